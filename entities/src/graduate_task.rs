use sea_orm::entity::prelude::*;

/// Something a graduate must do (upload employment documents after a 512 refusal) and its review.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "graduate_task")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub graduate_id: i64,
    pub person_id: i64,
    pub kind: String,
    pub status: String,
    pub consent_request_id: Option<i64>,
    #[sea_orm(column_type = "Text")]
    pub note: String,
    #[sea_orm(column_type = "Text")]
    pub review_note: String,
    pub created_at: DateTimeUtc,
    pub submitted_at: Option<DateTimeUtc>,
    pub reviewed_at: Option<DateTimeUtc>,
    pub reviewed_by: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
