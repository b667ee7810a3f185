//! Transparency across the domains: a person's timeline of every decision about them and
//! their children (each domain states its own through `adal_core::decisions`), contests of a
//! decision answered by the body that made it within a term, and the open figures of
//! contests. It knows no domain: the server plugs the domains' sources in.

pub mod contest;
pub mod downloads;
pub mod graphql;
pub mod open_figures;
pub mod vocab;
