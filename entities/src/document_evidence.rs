use sea_orm::entity::prelude::*;

/// Months of work a document proves: the operator accepted a graduate's upload (employment
/// contract, hiring order, employer's certificate) after a 512 refusal, naming the employer
/// and the months. The ledger counts them like months the employer paid for, through the same
/// qualification rules. `period_from`/`period_to` are `YYYYMM`, both included.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "document_evidence")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(indexed)]
    pub graduate_id: i64,
    pub task_id: i64,
    pub organisation_id: i64,
    pub employer_bin: String,
    pub period_from: i32,
    pub period_to: i32,
    pub accepted_by: i64,
    pub accepted_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
