use sea_orm::entity::prelude::*;

/// A rejected line of an import, with its reason.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "import_rejection")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(indexed)]
    pub batch_id: i64,
    pub line: i64,
    pub field: Option<String>,
    pub reason: String,
    /// The machine reason code (`ImportRejectionReason`), absent on lines rejected before codes.
    pub reason_code: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
