use sea_orm::entity::prelude::*;

/// A locality's rural flag from a date on: the history behind `locality.rural` (which holds the
/// latest value), so each month is judged with the flag in force on its first day.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "locality_history")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(indexed)]
    pub kato: String,
    pub rural: bool,
    /// The first day the value holds.
    pub effective_from: Date,
    pub recorded_at: DateTimeUtc,
    /// The import that recorded it, if one did.
    pub batch_id: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
