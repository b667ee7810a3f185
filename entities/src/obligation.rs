use sea_orm::entity::prelude::*;

/// The work-off obligation of a graduate and its latest evaluation (the summary of the ledger).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "obligation")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub graduate_id: i64,
    pub required_months: i32,
    pub start_date: Date,
    #[sea_orm(indexed)]
    pub status: String,
    pub credited_months: i32,
    pub projected_completion: Option<Date>,
    pub rule_version: i32,
    pub explanation: String,
    pub evaluated_at: DateTimeUtc,
    pub horizon: Option<i32>,
    /// The ledger's state for the month `horizon` (`credited`, `gap`, ...); `None` when the
    /// ledger does not reach it (not started, or fulfilled before it).
    pub horizon_state: Option<String>,
    #[sea_orm(indexed)]
    pub last_employer_id: Option<i64>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
