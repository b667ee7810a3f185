//! Schema migrations, written with SeaQuery's builder so they run on SQLite and PostgreSQL.
//!
//! Tests copy a migrated template database kept per set of migration names (SQLite in
//! `target/test-templates/`, PostgreSQL as `adal_template_<key>`): after editing a migration
//! that already exists, delete those so the tests migrate afresh.

pub use sea_orm_migration::prelude::*;

mod common;
mod m20261122_000001_foundation;
mod m20261122_000002_obligations;
mod m20261122_000003_notifications;
mod m20261129_000004_status_history;
mod m20261129_000005_horizon_state;
mod m20261201_000006_jobs;
mod m20261201_000007_message_subject;
mod m20261201_000008_decision_end;
mod m20261202_000009_session_limits;
mod m20261204_000010_vouchers;
mod m20261204_000011_voucher_clubs;
mod m20261204_000012_voucher_conversations;
mod m20261205_000013_schools;
mod m20261205_000014_school_reports;
mod m20261205_000015_data_generation;
mod m20261205_000016_audit_chain;
mod m20261206_000017_sso;
mod m20261206_000018_import_reason_codes;
mod m20261207_000019_document_evidence;
mod m20261207_000020_reference_history;
mod m20261207_000021_feed_scope;
mod m20261208_000022_specialties;
mod m20261208_000023_listed_grant;
mod m20261209_000024_account_controls;
mod m20261210_000025_refresh_revoked_why;
mod m20261210_000026_client_expiry;
mod m20261211_000027_contest_case;
mod m20261212_000028_client_controls;
mod m20261213_000029_contest_document;
mod m20261214_000030_pupil_login;
mod m20261215_000031_member_photo;
mod m20261216_000032_voucher_thread_read;
mod m20261217_000033_voucher_evidence_document;
mod m20261218_000034_voucher_message_document;
mod m20261219_000035_allocation_file_storage;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261122_000001_foundation::Migration),
            Box::new(m20261122_000002_obligations::Migration),
            Box::new(m20261122_000003_notifications::Migration),
            Box::new(m20261129_000004_status_history::Migration),
            Box::new(m20261129_000005_horizon_state::Migration),
            Box::new(m20261201_000006_jobs::Migration),
            Box::new(m20261201_000007_message_subject::Migration),
            Box::new(m20261201_000008_decision_end::Migration),
            Box::new(m20261202_000009_session_limits::Migration),
            Box::new(m20261204_000010_vouchers::Migration),
            Box::new(m20261204_000011_voucher_clubs::Migration),
            Box::new(m20261204_000012_voucher_conversations::Migration),
            Box::new(m20261205_000013_schools::Migration),
            Box::new(m20261205_000014_school_reports::Migration),
            Box::new(m20261205_000015_data_generation::Migration),
            Box::new(m20261205_000016_audit_chain::Migration),
            Box::new(m20261206_000017_sso::Migration),
            Box::new(m20261206_000018_import_reason_codes::Migration),
            Box::new(m20261207_000019_document_evidence::Migration),
            Box::new(m20261207_000020_reference_history::Migration),
            Box::new(m20261207_000021_feed_scope::Migration),
            Box::new(m20261208_000022_specialties::Migration),
            Box::new(m20261208_000023_listed_grant::Migration),
            Box::new(m20261209_000024_account_controls::Migration),
            Box::new(m20261210_000025_refresh_revoked_why::Migration),
            Box::new(m20261210_000026_client_expiry::Migration),
            Box::new(m20261211_000027_contest_case::Migration),
            Box::new(m20261212_000028_client_controls::Migration),
            Box::new(m20261213_000029_contest_document::Migration),
            Box::new(m20261214_000030_pupil_login::Migration),
            Box::new(m20261215_000031_member_photo::Migration),
            Box::new(m20261216_000032_voucher_thread_read::Migration),
            Box::new(m20261217_000033_voucher_evidence_document::Migration),
            Box::new(m20261218_000034_voucher_message_document::Migration),
            Box::new(m20261219_000035_allocation_file_storage::Migration),
        ]
    }
}
