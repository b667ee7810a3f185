use sea_orm::entity::prelude::*;

/// A voucher used at a section from a month (to a month, once it moves or ends).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "voucher_enrolment")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub voucher_id: i64,
    pub section_id: i64,
    pub child_person_id: i64,
    pub first_month: i32,
    pub last_month: Option<i32>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
