use sea_orm::entity::prelude::*;

/// The transfer of one subsidised meal to the Social Wallet: pending (with its next attempt),
/// accepted, or rejected with the Wallet's reason.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "school_wallet_transfer")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub meal_id: i64,
    pub school_id: i64,
    pub day: Date,
    pub state: String,
    pub attempts: i32,
    pub next_at: DateTimeUtc,
    pub reason: Option<String>,
    pub answered_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
