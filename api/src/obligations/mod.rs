//! Work-off obligations of state-funded graduates (domain brief §2): graduates, contribution
//! evidence, the compliance ledger, exemptions and suspensions decided by the commission, and
//! reimbursement claims.

pub mod claims;
pub mod classify;
pub mod decisions;
pub mod demo;
pub mod evaluate;
pub mod export;
pub mod generator;
pub mod graphql;
pub mod history;
pub mod import;
pub mod ledger;
pub mod next_step;
pub mod period;
pub mod rules;
pub mod service;
pub mod vocab;
