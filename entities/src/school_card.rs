use sea_orm::entity::prelude::*;

/// A means of identification issued to a person at a school: a card (by UID), or with the parent's
/// consent a QR code or a PIN (stored as `sha256(school:pin)`). A lost one is blocked.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "school_card")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub school_id: i64,
    pub person_id: i64,
    pub kind: String,
    pub credential: String,
    pub status: String,
    pub consent_id: Option<i64>,
    pub issued_at: DateTimeUtc,
    pub blocked_at: Option<DateTimeUtc>,
    pub block_reason: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
