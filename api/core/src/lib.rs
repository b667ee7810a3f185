//! Adal's core, shared by every domain: errors and their codes, settings, the database
//! connection and `begin_write`, identifiers, the caller (`Actor`), guards and row scopes,
//! pagination, loaders, the audit trail, the document store and the GraphQL HTTP endpoint.
//! It knows no domain: domains depend on it, never the other way.

pub mod audit;
pub mod audit_chain;
pub mod auth;
pub mod calendar;
pub mod clients;
pub mod clock;
pub mod db;
pub mod decisions;
pub mod disclosure;
pub mod documents;
pub mod error;
pub mod generation;
pub mod graphql;
pub mod identifiers;
pub mod jobs;
pub mod limits;
pub mod loaders;
pub mod metrics;
pub mod net;
pub mod pagination;
pub mod reason;
pub mod settings;
pub mod spreadsheet;
pub mod sql;
pub mod state;
pub mod telemetry;
pub mod vocab;
