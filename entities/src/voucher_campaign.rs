use sea_orm::entity::prelude::*;

/// An akimat's voucher campaign: period, application window, budget and its accounts (integer
/// tenge), ages, the priority table in force and the lottery seed's commitment.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "voucher_campaign")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub region_kato: String,
    pub name: String,
    /// First and last month of the period, as YYYYMM.
    pub first_month: i32,
    pub last_month: i32,
    pub opens_at: DateTimeUtc,
    pub closes_at: DateTimeUtc,
    pub budget: i64,
    pub committed: i64,
    pub paid: i64,
    pub freed: i64,
    pub age_min: i32,
    pub age_max: i32,
    pub priority_table_id: i64,
    pub seed: String,
    pub seed_commitment: String,
    pub unused_days: i32,
    pub confirm_days: i32,
    pub attendance_threshold_pct: i32,
    pub status: String,
    pub allocated_at: Option<DateTimeUtc>,
    pub created_by: Option<i64>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
