use sea_orm::entity::prelude::*;

/// A monthly pension (OPV, KNP 010) or social (SO, 012) contribution paid by an employer for a
/// graduate. `period` is `YYYYMM`. Duplicates in or across feeds are stored once: the key is
/// (IIN, period, employer, payment code).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "contribution")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub iin: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub period: i32,
    #[sea_orm(primary_key, auto_increment = false, indexed)]
    pub employer_bin: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub payment_code: String,
    pub payment_date: Option<Date>,
    pub amount: Option<i64>,
    /// The batch that first brought the record.
    pub batch_id: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
