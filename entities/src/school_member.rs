use sea_orm::entity::prelude::*;

/// A pupil or a member of staff of a school, from the school's list.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "school_member")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub school_id: i64,
    pub person_id: i64,
    pub kind: String,
    pub class_id: Option<i64>,
    pub position: Option<String>,
    pub active: bool,
    /// The SHA-256 of the member's photo in the document store, when the school added one.
    pub photo_sha256: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
