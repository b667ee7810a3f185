use sea_orm::entity::prelude::*;

/// A version of a monthly report (meals per school or region, attendance per school): its CSV,
/// the checksums of its CSV and XLSX, and what changed since the version before.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "school_report")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub kind: String,
    pub scope: String,
    pub school_id: Option<i64>,
    pub region_kato: Option<String>,
    pub month: i32,
    pub version: i32,
    pub csv: String,
    pub csv_sha256: String,
    pub xlsx_sha256: String,
    pub rows: i32,
    pub changes: Option<String>,
    pub generated_at: DateTimeUtc,
    pub generated_by: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
