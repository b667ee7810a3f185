//! The school portal's pages.

pub mod common;
pub mod identity;
pub mod logins;
pub mod menus;
pub mod pupils;
pub mod reports;
pub mod settings;

pub mod till;
pub mod today;
