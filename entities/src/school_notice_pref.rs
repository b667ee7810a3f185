use sea_orm::entity::prelude::*;

/// What a parent wants to be told about a child at school (event kinds), and which also by SMS.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "school_notice_pref")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub parent_person_id: i64,
    pub child_person_id: i64,
    pub kinds: String,
    pub sms_kinds: String,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
