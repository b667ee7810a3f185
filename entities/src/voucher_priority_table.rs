use sea_orm::entity::prelude::*;

/// A region's priority table for voucher queues: category weights and tie rules. A change is
/// a new version; a version in use is never edited.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "voucher_priority_table")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub region_kato: String,
    pub version: i32,
    /// JSON object: category code -> weight.
    pub weights: String,
    /// JSON array of tie rules, in order.
    pub ties: String,
    pub note: String,
    pub created_at: DateTimeUtc,
    pub created_by: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
