use sea_orm::entity::prelude::*;

/// A region's meal rules, one version from a date: the categories it adds to the law's free-meal
/// grounds, its reduced prices, and the budget's cost of a free meal.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "school_meal_policy")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub region_kato: String,
    pub version: i32,
    pub valid_from: Date,
    pub free_categories: String,
    pub reduced: String,
    pub meal_cost: i64,
    pub created_by: Option<i64>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
