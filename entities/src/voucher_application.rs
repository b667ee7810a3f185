use sea_orm::entity::prelude::*;

/// A parent's application for a child's voucher in one campaign (one per child).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "voucher_application")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub campaign_id: i64,
    pub child_person_id: i64,
    pub parent_person_id: i64,
    pub direction: String,
    pub status: String,
    pub salt: String,
    pub child_hash: String,
    /// What the parent gave to prove guardianship the registry does not show.
    pub guardianship_evidence: Option<String>,
    pub score: Option<i64>,
    pub rank: Option<i32>,
    pub age_months: Option<i32>,
    pub reason: Option<String>,
    pub submitted_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
