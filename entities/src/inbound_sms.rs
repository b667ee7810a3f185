use sea_orm::entity::prelude::*;

/// An SMS received on the short number and what it was taken for.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "inbound_sms")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub provider_id: Option<String>,
    pub phone: String,
    pub text: String,
    pub received_at: DateTimeUtc,
    pub person_id: Option<i64>,
    pub consent_request_id: Option<i64>,
    pub outcome: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
