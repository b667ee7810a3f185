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
    /// Empty when the message is a file alone.
    pub body: String,
    pub created_at: DateTimeUtc,
    /// The attached file, if any (all four set or none), as every table of documents keeps
    /// one: its name, the type its bytes prove, its size and its checksum in the store.
    pub file_name: Option<String>,
    pub content_type: Option<String>,
    pub size: Option<i64>,
    pub sha256: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
