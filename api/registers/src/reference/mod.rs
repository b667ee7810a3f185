//! Reference data: regions and localities (KATO) and organisations. Public to read.

pub mod events;
pub mod graphql;
pub mod service;
