//! The pages of the portals.

pub mod apply;
pub mod claims;
pub mod commission;
pub mod imports;
pub mod obligations;
pub mod operator;
pub mod parent;
pub mod placeholder;
pub mod rules;
