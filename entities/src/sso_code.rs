use sea_orm::entity::prelude::*;

/// An authorization code (stored hashed), single use.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "sso_code")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub code_hash: String,
    pub client_pk: i64,
    pub redirect_uri: String,
    pub code_challenge: String,
    pub person_id: i64,
    pub role: String,
    pub scope: String,
    pub school_and_class: bool,
    pub nonce: Option<String>,
    pub auth_time: DateTimeUtc,
    pub expires_at: DateTimeUtc,
    pub used_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
