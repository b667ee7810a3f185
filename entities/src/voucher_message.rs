use sea_orm::entity::prelude::*;

/// A message in the conversation about an application or a month of attendance.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "voucher_message")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub thread_kind: String,
    pub thread_id: i64,
    pub author_account_id: i64,
    pub author_side: String,
    pub language: String,
    pub body: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
