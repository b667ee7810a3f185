//! Notifications: SMS from 1414, eGov push and e-mail through a transactional outbox with
//! delivery proof, templates and campaigns, the 511/512 consent flow, coverage.

pub mod campaigns;
pub mod channels;
pub mod consent;
pub mod coverage;
pub mod demo;
pub mod fakes;
pub mod graphql;
pub mod http;
pub mod outbox;
pub mod tasks;
pub mod templates;
pub mod vocab;
pub mod webhooks;
pub mod worker;
