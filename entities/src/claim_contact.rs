use sea_orm::entity::prelude::*;

/// A contact made in claim work (SMS, hybrid mail, phone, e-mail, messenger).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "claim_contact")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(indexed)]
    pub claim_id: i64,
    pub channel: String,
    pub outcome: String,
    pub note: String,
    pub by_account: Option<i64>,
    pub at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
