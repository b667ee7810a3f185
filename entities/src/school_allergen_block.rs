use sea_orm::entity::prelude::*;

/// An allergen a parent has said their child must not be given.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "school_allergen_block")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub child_person_id: i64,
    pub allergen: String,
    pub set_by_person_id: i64,
    pub set_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
