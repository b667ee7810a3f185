//! Accounts (people's logins and machine clients) and their role assignments.

pub mod clients;
pub mod graphql;
pub mod second_factor;
pub mod service;
