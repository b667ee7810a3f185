//! Single sign-on: Adal as an OpenID Connect provider for the resources (clients) that
//! schools and the operator register. Pure rules (PKCE, pairwise subjects, which claims a
//! resource receives) sit in [`rules`]; [`keys`] holds the rotating Ed25519 signing keys;
//! [`service`] the flows in transactions; [`http`] the endpoints under `/oidc` and the
//! discovery document; [`pages`] the sign-in and consent pages; [`graphql`] the registration of
//! resources, the parents' consents and the record of sign-ins.

pub mod demo;
pub mod graphql;
pub mod http;
pub mod keys;
pub mod pages;
pub mod rules;
pub mod service;
