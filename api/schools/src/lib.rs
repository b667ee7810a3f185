//! Schools (domain brief §4, the school's module): a school's classes, pupils and staff, the
//! cards that identify them and the devices that read the cards; events that devices upload,
//! perhaps days late; attendance read from them; meals at the till with eligibility on stated
//! grounds, one subsidised meal a day, balances, and the allergen blocks parents set; parents
//! told of each event at once.
//!
//! Pure rules ([`rules`]) sit apart from the services that run them in transactions and from
//! the GraphQL layer ([`graphql`]).

pub mod allergens;
pub mod attendance;
pub mod balance;
pub mod canteen;
pub mod cards;
pub mod demo;
pub mod devices;
pub mod events;
pub mod graphql;
pub mod http;
pub mod loaders;
pub mod logins;
pub mod meals;
pub mod notices;
pub mod open_figures;
pub mod partitions;
pub mod policy;
pub mod reports;
pub mod roster;
pub mod rules;
pub mod scope;
pub mod till;
pub mod timeline;
pub mod vocab;
pub mod wallet;
