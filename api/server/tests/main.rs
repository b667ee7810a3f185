#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail by panicking
//! The API's integration tests, one binary: each file beside this one is a suite (a module).
//! One binary links once and shares one scheduler across every suite; `logs.rs` keeps its own
//! (it installs the process-wide log subscriber). Run one suite with
//! `cargo test -p adal-server --test api <suite>::` (e.g. `auth::`).

mod common;

mod architecture;
mod audit_chain;
mod auth;
mod cli;
mod clients;
mod demo_cases;
mod document_evidence;
mod documents;
mod exports;
mod graduate_correction;
mod http;
mod import_reasons;
mod jobs;
mod notifications;
mod obligations_api;
mod obligations_import;
mod open_data;
mod reference_history;
mod registers;
mod role_coverage;
mod role_matrix;
mod schema;
mod school_reports;
mod schools;
mod sso;
mod statements;
mod transparency;
mod vouchers;
