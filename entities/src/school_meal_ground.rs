use sea_orm::entity::prelude::*;

/// A ground for a pupil's free or reduced meals (a category), with the period it holds and its
/// evidence.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "school_meal_ground")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub person_id: i64,
    pub category: String,
    pub valid_from: Date,
    pub valid_to: Option<Date>,
    pub evidence: String,
    pub recorded_by: Option<i64>,
    pub recorded_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
