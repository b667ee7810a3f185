//! The citizen portal's pages: compiled into this bundle only.

pub mod account;
pub mod allergens;
pub mod children;
pub mod day;
pub mod decisions;
pub mod meals;
pub mod resources;
pub mod school;
