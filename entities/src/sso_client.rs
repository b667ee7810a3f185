use sea_orm::entity::prelude::*;

/// A resource (OpenID Connect client) that signs people in through Adal.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "sso_client")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub client_id: String,
    pub name: String,
    pub secret_hash: String,
    pub redirect_uris: String,
    pub scopes: String,
    pub school_and_class: bool,
    pub created_by: Option<i64>,
    pub disabled: bool,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
