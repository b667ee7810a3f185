use sea_orm::entity::prelude::*;

/// An access token for a resource's userinfo call (stored hashed).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "sso_token")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub token_hash: String,
    pub code_id: i64,
    pub client_pk: i64,
    pub person_id: i64,
    pub role: String,
    pub scope: String,
    pub school_and_class: bool,
    pub expires_at: DateTimeUtc,
    pub revoked_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
