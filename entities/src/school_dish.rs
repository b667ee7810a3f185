use sea_orm::entity::prelude::*;

/// A dish of a school's canteen, with its names, photo, price, portion and allergens.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "school_dish")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub school_id: i64,
    pub name_kk: String,
    pub name_ru: String,
    pub name_en: String,
    pub photo_url: Option<String>,
    pub price: i64,
    pub portion: String,
    pub allergens: String,
    pub active: bool,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
