//! The registry of persons (keyed by IIN) and guardianship of children.

pub mod graphql;
pub mod service;
