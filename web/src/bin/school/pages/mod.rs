//! The school portal's pages.

pub mod common;

pub mod till;
pub mod today;
