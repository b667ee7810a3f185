use sea_orm::entity::prelude::*;

/// An operation an integration client registered: its text and the SHA-256 of that text, by
/// which the client may send it. A client the operator restricted runs only these.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "persisted_operation")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub account_id: i64,
    /// The SHA-256 of `query`, in lowercase hex.
    pub hash: String,
    /// The operation's name in the text, when it has one.
    pub name: Option<String>,
    pub query: String,
    pub registered_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
