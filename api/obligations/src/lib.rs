//! Work-off obligations of state-funded graduates (domain brief §2): graduates, contribution
//! evidence, the compliance ledger, exemptions and suspensions decided by the commission,
//! reimbursement claims, and the notices to graduates: campaigns, the 511/512 consent flow and
//! the tasks a refusal opens. Notices go through the notification service
//! (`adal-notifications`), which knows no domain.

pub mod claims;
pub mod classify;
pub mod consent;
pub mod correction;
pub mod coverage;
pub mod decisions;
pub mod demo;
pub mod demo_templates;
pub mod downloads;
pub mod evaluate;
pub mod export;
pub mod graphql;
pub mod history;
pub mod import;
pub mod import_job;
pub mod import_reason;
pub mod labels;
pub mod ledger;
pub mod loaders;
pub mod next_step;
pub mod notices;
pub mod open_figures;
pub mod period;
pub mod rules;
pub mod service;
pub mod tasks;
pub mod timeline;
pub mod vocab;
