//! Adal's portals: the shared part of the Leptos client-side apps compiled to WebAssembly.
//!
//! Each portal is a small program of its own (`src/bin/<portal>/`: operator, akimat, provider,
//! school, citizen, and the sign-in page): its `main` mounts only its own routes, so its bundle
//! holds only its own pages. This library holds what they share: the transport ([`api`]) with
//! the typed operations of [`gql`] (checked against `schema.graphql` at compile time), the
//! session, the interface texts, formatting, UI pieces, charts, the obligation ledger's
//! timeline, the desks several portals share (contests, single sign-on's resources, a meal's
//! rating by a parent or the pupil), and the shell (header, role switch, portal frame).
//!
//! Nothing here is a `#[wasm_bindgen]` export: such an export would be kept in every bundle.

pub mod api;
pub mod charts;
pub mod contests;
pub mod conversation;
pub mod days;
pub mod decode;
pub mod errors;
pub mod format;
pub mod gql;
pub mod i18n;
pub mod ident;
pub mod labels;
pub mod ledger;
pub mod meal_rating;
pub mod placeholder;
pub mod portal;
pub mod records;
pub mod reference;
pub mod session;
pub mod shell;
pub mod sign_ins;
pub mod sso;
pub mod ui;
pub mod vouchers;
