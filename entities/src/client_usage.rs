use sea_orm::entity::prelude::*;

/// One integration client's use of the API on one day (Almaty time): its calls, the query
/// complexity they spent, the calls refused, and the personal fields masked in its answers.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "client_usage")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub account_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub day: Date,
    pub calls: i64,
    pub cost: i64,
    pub refusals: i64,
    pub masked: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
