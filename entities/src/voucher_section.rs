use sea_orm::entity::prelude::*;

/// A provider's section (club): direction, ages, weekly schedule, capacity, place and price.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "voucher_section")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub organisation_id: i64,
    pub region_kato: String,
    pub name: String,
    pub direction: String,
    pub age_min: i32,
    pub age_max: i32,
    /// JSON array of `{"day": 1-7, "start": "HH:MM", "end": "HH:MM"}`.
    pub schedule: String,
    pub capacity: i32,
    pub enrolled: i32,
    pub locality_kato: Option<String>,
    pub address: String,
    pub monthly_price: i64,
    pub active: bool,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
