use sea_orm::entity::prelude::*;

/// An organisation's kind, locality, region and activity code from a date on: the history
/// behind the `organisation` row (which holds the latest values), so each month is judged with
/// the values in force on its first day.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "organisation_history")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(indexed)]
    pub organisation_id: i64,
    pub kind: String,
    pub locality_kato: Option<String>,
    pub region_kato: Option<String>,
    pub activity_code: Option<String>,
    /// The first day the values hold.
    pub effective_from: Date,
    pub recorded_at: DateTimeUtc,
    /// The account that recorded them (a classification), if any.
    pub recorded_by: Option<i64>,
    /// The import that recorded them, if one did.
    pub batch_id: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
