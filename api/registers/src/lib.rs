//! The registers every domain shares: accounts with their role assignments and sign-in
//! (GraphQL), persons and guardianships, regions, localities and organisations.

pub mod accounts;
pub mod auth;
pub mod loaders;
pub mod people;
pub mod reference;
