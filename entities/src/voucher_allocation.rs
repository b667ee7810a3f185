use sea_orm::entity::prelude::*;

/// One allocation run of a campaign, with the file it published (no personal data).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "voucher_allocation")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub campaign_id: i64,
    pub trigger: String,
    pub issued: i32,
    pub cutoff_score: Option<i64>,
    pub committed: i64,
    pub file: String,
    pub sha256: String,
    pub created_by: Option<i64>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
