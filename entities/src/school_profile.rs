use sea_orm::entity::prelude::*;

/// A school's settings: when lessons start, the grace before a pupil is late, and whether a pupil's
/// balance may go below zero (and how far).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "school_profile")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub organisation_id: i64,
    pub lessons_start: String,
    pub late_grace_minutes: i32,
    pub allow_credit: bool,
    pub credit_limit: i64,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
