//! Adal: one open platform for Kazakhstan's education-sector obligations and benefits.
//! This crate is the GraphQL API server and the `adal` command-line tool.

pub mod accounts;
pub mod audit;
pub mod auth;
pub mod cli;
pub mod db;
pub mod documents;
pub mod error;
pub mod graphiql;
pub mod graphql;
pub mod identifiers;
pub mod loaders;
pub mod notifications;
pub mod obligations;
pub mod pagination;
pub mod people;
pub mod reference;
pub mod seed;
pub mod settings;
pub mod sql;
pub mod startup;
pub mod state;
pub mod telemetry;
pub mod testing;
pub mod vocab;
pub mod web_portals;
