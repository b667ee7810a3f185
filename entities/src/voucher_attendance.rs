use sea_orm::entity::prelude::*;

/// One child's month at a section: sessions held and attended as the provider recorded them,
/// the parent's confirmation or dispute, the akimat's resolution and the payout made from it.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "voucher_attendance")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub enrolment_id: i64,
    pub voucher_id: i64,
    pub section_id: i64,
    pub organisation_id: i64,
    pub campaign_id: i64,
    pub child_person_id: i64,
    pub month: i32,
    pub sessions_held: i32,
    pub sessions_attended: i32,
    pub status: String,
    pub recorded_by: Option<i64>,
    pub recorded_at: DateTimeUtc,
    pub dispute_reason: Option<String>,
    pub resolution: Option<String>,
    pub decided_by: Option<i64>,
    pub decided_at: Option<DateTimeUtc>,
    pub payout: Option<i64>,
    pub payout_id: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
