use sea_orm::entity::prelude::*;

/// One imported file: kept forever with its outcome.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "import_batch")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub kind: String,
    pub file_name: String,
    #[sea_orm(indexed)]
    pub sha256: String,
    pub status: String,
    pub total_rows: i64,
    pub accepted: i64,
    pub duplicates: i64,
    pub rejected: i64,
    pub started_at: DateTimeUtc,
    pub finished_at: Option<DateTimeUtc>,
    pub created_by: Option<i64>,
    pub error: Option<String>,
    /// The failure's machine reason code (`ImportRejectionReason`), when the file itself was refused.
    pub error_code: Option<String>,
    /// The values the failure's text needs (a JSON array of strings: the missing column names).
    pub error_params: Option<String>,
    /// `national`: a feed that covers everyone up to `covers_until`; `person`: an answer about
    /// the persons it names only (the ministry's answer after a 511 consent).
    pub scope: String,
    /// The latest month a completed national contribution feed brought.
    pub covers_until: Option<i32>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
