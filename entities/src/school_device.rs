use sea_orm::entity::prelude::*;

/// A turnstile or canteen till of one school, signed in as its machine client (`account_id`).
/// `last_seq` is the highest event sequence number stored from it.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "school_device")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub account_id: i64,
    pub school_id: i64,
    pub kind: String,
    pub name: String,
    pub registered_at: DateTimeUtc,
    pub last_seq: i64,
    pub last_seen_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
