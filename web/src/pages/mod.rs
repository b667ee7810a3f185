//! The pages of the portals.

pub mod apply;
pub mod campaigns;
pub mod claims;
pub mod commission;
pub mod coverage;
pub mod imports;
pub mod messages;
pub mod obligations;
pub mod operator;
pub mod parent;
pub mod placeholder;
pub mod rules;
pub mod tasks;
pub mod templates;
