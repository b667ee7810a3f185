use sea_orm::entity::prelude::*;

/// An organisation: operator, university, school, employer, provider, akimat, ...
/// `bin` holds a checked BIN, or a checked IIN for an individual entrepreneur.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "organisation")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub bin: String,
    pub kind: String,
    pub name_kk: String,
    pub name_ru: String,
    pub name_en: String,
    pub locality_kato: Option<String>,
    pub region_kato: Option<String>,
    pub parent_id: Option<i64>,
    /// Economic activity code (OKED), when known.
    pub activity_code: Option<String>,
    pub address: Option<String>,
    /// Created from a contribution feed and waiting for kind and locality to be confirmed.
    pub needs_classification: bool,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::locality::Entity",
        from = "Column::LocalityKato",
        to = "super::locality::Column::Kato"
    )]
    Locality,
    #[sea_orm(
        belongs_to = "super::region::Entity",
        from = "Column::RegionKato",
        to = "super::region::Column::Kato"
    )]
    Region,
    #[sea_orm(belongs_to = "Entity", from = "Column::ParentId", to = "Column::Id")]
    Parent,
}

impl ActiveModelBehavior for ActiveModel {}
