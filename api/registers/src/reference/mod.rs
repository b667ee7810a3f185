//! Reference data: regions and localities (KATO) and organisations. Public to read.

pub mod graphql;
pub mod service;
