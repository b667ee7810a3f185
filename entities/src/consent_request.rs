use sea_orm::entity::prelude::*;

/// A 511/512 request sent by SMS, its answer, and the employment-data request it opens.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "consent_request")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub person_id: i64,
    pub graduate_id: i64,
    pub message_id: Option<i64>,
    pub phone: String,
    pub status: String,
    pub created_at: DateTimeUtc,
    pub answered_at: Option<DateTimeUtc>,
    pub inbound_id: Option<i64>,
    pub employment_status: Option<String>,
    pub employment_attempts: i32,
    pub employment_next_at: Option<DateTimeUtc>,
    pub employment_batch_id: Option<i64>,
    pub employment_error: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
