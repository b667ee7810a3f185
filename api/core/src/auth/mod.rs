//! Sign-in, sessions and access: who the caller is (`Actor`), what each role may call (`Allow`)
//! and which rows it may see (`scope`).

pub mod actor;
pub mod cookie;
pub mod guard;
pub mod password;
pub mod roles;
pub mod scope;
pub mod second_factor;
pub mod service;
pub mod throttle;
pub mod tokens;

pub use actor::{Actor, Caller};
pub use guard::Allow;
pub use roles::Role;
