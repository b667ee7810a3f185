use sea_orm::entity::prelude::*;

/// How many graduates were in one status at the end of one month the feeds cover.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "obligation_status_month")]
pub struct Model {
    /// `YYYYMM`, as `contribution.period`.
    #[sea_orm(primary_key, auto_increment = false)]
    pub period: i32,
    #[sea_orm(primary_key, auto_increment = false)]
    pub status: String,
    pub graduates: i64,
    /// `evaluation` or `reconstruction`.
    pub source: String,
    pub rule_version: i32,
    pub recorded_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
