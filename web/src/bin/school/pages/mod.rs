//! The school portal's pages.

pub mod common;
pub mod logins;
pub mod menus;
pub mod pupils;
pub mod reports;

pub mod till;
pub mod today;
