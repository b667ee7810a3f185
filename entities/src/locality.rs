use sea_orm::entity::prelude::*;

/// A locality (city, town, village) or district, keyed by KATO code; `rural` tells whether work
/// there counts as rural.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "locality")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub kato: String,
    #[sea_orm(indexed)]
    pub region_kato: String,
    pub name_kk: String,
    pub name_ru: String,
    pub name_en: String,
    pub rural: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::region::Entity",
        from = "Column::RegionKato",
        to = "super::region::Column::Kato"
    )]
    Region,
}

impl Related<super::region::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Region.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
