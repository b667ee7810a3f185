use sea_orm::entity::prelude::*;

/// A version of the qualification rules (JSON), never changed once saved.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "rule_set")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub version: i32,
    pub rules: String,
    pub note: String,
    pub created_at: DateTimeUtc,
    pub created_by: Option<i64>,
    /// The first day this version applies to (months from then on are judged by it, until a
    /// version with a later date).
    pub effective_from: Date,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
