use sea_orm::entity::prelude::*;

/// Who did what, when, to which record: written in the same transaction as the change.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "audit_event")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub at: DateTimeUtc,
    #[sea_orm(indexed)]
    pub actor_account_id: Option<i64>,
    pub action: String,
    pub subject_type: String,
    pub subject_id: String,
    /// JSON object with the grounds and changed fields (never secrets).
    pub details: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
