use sea_orm::entity::prelude::*;

/// A child's voucher: a monthly value for a direction over months of a campaign. It belongs
/// to the child, not to a club.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "voucher")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub campaign_id: i64,
    pub application_id: i64,
    pub child_person_id: i64,
    pub allocation_id: i64,
    pub direction: String,
    pub monthly_value: i64,
    pub first_month: i32,
    pub last_month: i32,
    pub committed: i64,
    pub status: String,
    pub issued_at: DateTimeUtc,
    pub ended_at: Option<DateTimeUtc>,
    pub end_reason: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
