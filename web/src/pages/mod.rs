//! The pages of the portals.

pub mod obligations;
pub mod operator;
pub mod parent;
pub mod placeholder;
