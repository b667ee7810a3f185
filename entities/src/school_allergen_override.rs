use sea_orm::entity::prelude::*;

/// A school's lifting of a parent's allergen block for a child, with its reason.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "school_allergen_override")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub child_person_id: i64,
    pub school_id: i64,
    pub allergen: String,
    pub reason: String,
    pub by_account: i64,
    pub at: DateTimeUtc,
    pub valid_to: Option<Date>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
