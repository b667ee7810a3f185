use sea_orm::entity::prelude::*;

/// A region (oblast or city of republican significance), keyed by its KATO code.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "region")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub kato: String,
    pub name_kk: String,
    pub name_ru: String,
    pub name_en: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(has_many = "super::locality::Entity")]
    Locality,
}

impl Related<super::locality::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Locality.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
