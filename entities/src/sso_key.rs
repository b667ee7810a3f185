use sea_orm::entity::prelude::*;

/// A signing key of ID tokens (Ed25519); a retired one stays published until its tokens expire.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "sso_key")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub kid: String,
    pub private_key: String,
    pub public_key: String,
    pub created_at: DateTimeUtc,
    pub retired_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
