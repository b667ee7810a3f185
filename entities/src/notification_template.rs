use sea_orm::entity::prelude::*;

/// A message text per purpose in Kazakh, Russian and English with named `{variables}`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "notification_template")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub code: String,
    pub purpose: String,
    pub subject_kk: String,
    pub subject_ru: String,
    pub subject_en: String,
    pub body_kk: String,
    pub body_ru: String,
    pub body_en: String,
    pub updated_by: Option<i64>,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
