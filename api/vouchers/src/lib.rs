//! Vouchers for children's clubs (domain brief §3, the akimat's module): versioned priority
//! tables, campaigns and their money in integer tenge, parents' applications with declared
//! vulnerability categories the akimat confirms, an allocation anyone can verify from its
//! published file, and the voucher that belongs to the child.
//!
//! Pure rules ([`ranking`], [`money`]) sit apart from the services that run them in
//! transactions ([`campaigns`], [`applications`], [`allocation`]) and from the GraphQL layer.

pub mod allocation;
pub mod applications;
pub mod attendance;
pub mod campaigns;
pub mod clubs;
pub mod clubs_graphql;
pub mod conversations;
pub mod dashboard;
pub mod demo;
pub mod evidence;
pub mod figures;
pub mod graphql;
pub mod http;
pub mod loaders;
pub mod money;
pub mod notices;
pub mod open_figures;
pub mod presence;
pub mod preview;
pub mod ranking;
pub mod rules;
pub mod scope;
pub mod timeline;
pub mod vocab;
