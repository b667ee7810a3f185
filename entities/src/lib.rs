//! SeaORM models of Adal's tables. Models only: the rules live in `api`.
//!
//! Tables holding personal data (persons, accounts) are never exposed to GraphQL directly;
//! `api` writes an output type for each, so every exposed column is a decision.

pub mod account;
pub mod activity_code;
pub mod audit_event;
pub mod claim;
pub mod claim_contact;
pub mod claim_payment;
pub mod commission_vote;
pub mod consent_request;
pub mod contribution;
pub mod exemption;
pub mod exemption_document;
pub mod graduate;
pub mod graduate_task;
pub mod graduate_task_document;
pub mod guardianship;
pub mod import_batch;
pub mod import_rejection;
pub mod inbound_sms;
pub mod job;
pub mod locality;
pub mod login_throttle;
pub mod notification_campaign;
pub mod notification_message;
pub mod notification_opt_out;
pub mod notification_template;
pub mod obligation;
pub mod obligation_status_month;
pub mod organisation;
pub mod person;
pub mod refresh_token;
pub mod region;
pub mod role_assignment;
pub mod rule_set;
pub mod voucher;
pub mod voucher_allocation;
pub mod voucher_application;
pub mod voucher_application_category;
pub mod voucher_attendance;
pub mod voucher_campaign;
pub mod voucher_direction;
pub mod voucher_enrolment;
pub mod voucher_message;
pub mod voucher_payout;
pub mod voucher_priority_table;
pub mod voucher_provider;
pub mod voucher_section;

pub mod prelude {
    pub use super::account::Entity as Account;
    pub use super::audit_event::Entity as AuditEvent;
    pub use super::guardianship::Entity as Guardianship;
    pub use super::locality::Entity as Locality;
    pub use super::login_throttle::Entity as LoginThrottle;
    pub use super::organisation::Entity as Organisation;
    pub use super::person::Entity as Person;
    pub use super::refresh_token::Entity as RefreshToken;
    pub use super::region::Entity as Region;
    pub use super::role_assignment::Entity as RoleAssignment;
}
