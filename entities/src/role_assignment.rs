use sea_orm::entity::prelude::*;

/// A role an account holds, with its scope: an organisation (school, provider, device's school),
/// a region (akimat officer), or none (the role's own rule: operator-wide, own children, self).
/// Integration clients carry the explicit list of operations they may call.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "role_assignment")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(indexed)]
    pub account_id: i64,
    pub role: String,
    #[sea_orm(indexed)]
    pub organisation_id: Option<i64>,
    #[sea_orm(indexed)]
    pub region_kato: Option<String>,
    /// JSON array of operation names, for the `integration` role only.
    pub allowed_operations: Option<String>,
    /// JSON array of the personal fields an integration client may read (`iin`, `name`,
    /// `birthDate`, `phone`, `email`); the others reach it masked.
    pub allowed_fields: Option<String>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
