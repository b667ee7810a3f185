use sea_orm::entity::prelude::*;

/// A parent's permission for a child under 14 to use a resource.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "sso_consent")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub child_person_id: i64,
    pub client_pk: i64,
    pub parent_person_id: i64,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
