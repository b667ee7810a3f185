use sea_orm::entity::prelude::*;

/// A meal served to a pupil at a till: what it cost the pupil and the budget, and on what ground.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "school_meal")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub school_id: i64,
    pub device_id: i64,
    pub event_id: i64,
    pub person_id: i64,
    pub day: Date,
    pub served_at: DateTimeUtc,
    pub dishes: String,
    pub charge: String,
    pub ground: Option<String>,
    pub price: i64,
    pub cost: i64,
    pub free_day: Option<Date>,
    pub late: bool,
    pub allergens_served: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
