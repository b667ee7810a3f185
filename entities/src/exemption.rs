use sea_orm::entity::prelude::*;

/// An application for exemption or suspension of an obligation, and its decision.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "exemption")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(indexed)]
    pub graduate_id: i64,
    pub kind: String,
    pub ground: String,
    pub period_start: Option<Date>,
    pub period_end: Option<Date>,
    #[sea_orm(indexed)]
    pub status: String,
    pub statement: String,
    pub applied_by: Option<i64>,
    pub applied_at: DateTimeUtc,
    pub decided_at: Option<DateTimeUtc>,
    pub decision_reason: Option<String>,
    /// Set when the commission ended an approved decision before its period ran out (the
    /// period's end is then the last day it held).
    pub ended_at: Option<DateTimeUtc>,
    pub ended_by: Option<i64>,
    pub end_reason: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
