//! Notifications, a service that knows no domain: SMS from 1414, eGov push and e-mail through
//! a transactional outbox with delivery proof, receipts, templates with named variables, and
//! campaigns whose audience a domain builds as a query. What a domain adds (the kind of subject
//! its messages are about, its purposes, its variables and their values, its work on each
//! pass) arrives through [`subjects::Subjects`].

pub mod campaigns;
pub mod channels;
pub mod graphql;
pub mod http;
pub mod outbox;
pub mod purposes;
pub mod subjects;
pub mod templates;
pub mod vocab;
pub mod webhooks;
pub mod worker;
