//! The browser tests, one binary: each file beside this one is a suite (a module), so the
//! server and browser driver link once and one scheduler runs every suite. Run one suite with
//! `cargo test -p e2e --test browser <suite>::` (e.g. `portals::`).

mod akimat_pages;
mod decision_pages;
mod notification_pages;
mod obligation_pages;
mod obligations;
mod office_details;
mod office_language;
mod office_pages;
mod open_pages;
mod oversight;
mod parent_school_pages;
mod parent_voucher_pages;
mod portal_split;
mod portals;
mod provider_pages;
mod pupil_logins;
mod school_pages;
mod school_person;
mod school_settings;
mod security_pages;
mod sso_pages;
