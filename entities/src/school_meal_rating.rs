use sea_orm::entity::prelude::*;

/// A rating of a meal (1-5, a comment) by the pupil or a parent: one per meal.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "school_meal_rating")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub meal_id: i64,
    pub school_id: i64,
    pub pupil_person_id: i64,
    pub day: Date,
    pub dishes: String,
    pub rater_person_id: i64,
    pub score: i32,
    pub comment: Option<String>,
    pub at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
