use sea_orm::entity::prelude::*;

/// An entry, exit or meal reported by a device, at the time it happened (`day` is its local date,
/// the partition key on PostgreSQL).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "school_event")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub school_id: i64,
    pub device_id: i64,
    pub seq: i64,
    pub kind: String,
    pub person_id: Option<i64>,
    pub card_id: Option<i64>,
    pub day: Date,
    pub happened_at: DateTimeUtc,
    pub received_at: DateTimeUtc,
    pub late: bool,
    pub clock_suspect: bool,
    pub refused: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
