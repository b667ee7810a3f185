//! The citizen portal's pages: compiled into this bundle only.

pub mod children;
pub mod obligation;
