use sea_orm::entity::prelude::*;

/// A change of a pupil's balance: a top-up (by the payment's reference) or a paid meal.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "school_balance_entry")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub person_id: i64,
    pub amount: i64,
    pub balance_after: i64,
    pub kind: String,
    pub reference: String,
    pub at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
