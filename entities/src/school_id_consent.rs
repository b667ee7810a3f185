use sea_orm::entity::prelude::*;

/// A parent's consent that their child may be identified otherwise than by card (QR code, PIN).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "school_id_consent")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub pupil_person_id: i64,
    pub parent_person_id: i64,
    pub method: String,
    pub given_at: DateTimeUtc,
    pub revoked_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
