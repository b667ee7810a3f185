use sea_orm::entity::prelude::*;

/// A monthly pension (OPV, KNP 010) or social (SO, 012) contribution paid by an employer for a
/// graduate. `period` is `YYYYMM`. Duplicates in or across feeds are stored once.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "contribution")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(indexed)]
    pub iin: String,
    #[sea_orm(indexed)]
    pub employer_bin: String,
    pub period: i32,
    pub payment_code: String,
    pub payment_date: Option<Date>,
    pub amount: Option<i64>,
    #[sea_orm(indexed)]
    pub batch_id: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
