//! The school portal's pages.

pub mod common;
pub mod menus;
pub mod pupils;
pub mod reports;

pub mod till;
pub mod today;
