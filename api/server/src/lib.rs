//! Adal: one open platform for Kazakhstan's education-sector obligations and benefits.
//! This crate is the server and the `adal` command-line tool: the domains' GraphQL roots
//! merged into one schema, startup, the CLI, the demo data, and the wiring that plugs one
//! domain's implementation into another's trait.

pub mod audit;
pub mod cli;
pub mod graphiql;
pub mod housekeeping;
pub mod metrics;
pub mod open_data;
pub mod schema;
pub mod seed;
pub mod startup;
pub mod web_portals;
pub mod wiring;
