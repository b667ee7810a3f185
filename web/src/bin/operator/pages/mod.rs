//! The operator portal's pages: compiled into this bundle only.

pub mod campaigns;
pub mod claims;
pub mod commission;
pub mod coverage;
pub mod imports;
pub mod messages;
pub mod obligations;
pub mod operator;
pub mod tasks;
