use sea_orm::entity::prelude::*;

/// A school that uses a resource, and whether its pupils sign in there with their PIN.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "sso_client_school")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub client_pk: i64,
    pub school_id: i64,
    pub pupil_pin: bool,
    /// Its pupils may sign in with the login the school issued them.
    pub pupil_login: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
