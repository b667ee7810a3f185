use sea_orm::entity::prelude::*;

/// A graduate who studied on a state grant (one row per grant).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "graduate")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(indexed)]
    pub person_id: i64,
    #[sea_orm(indexed)]
    pub university_id: i64,
    pub specialty_code: String,
    pub specialty_name: String,
    pub specialty_group: String,
    pub level: String,
    #[sea_orm(indexed)]
    pub funding_category: String,
    #[sea_orm(indexed)]
    pub home_region_kato: Option<String>,
    pub study_start: Date,
    pub graduation_date: Date,
    /// The graduation date the university listed: with the person, university and specialty,
    /// the key of the grant (an operator's correction of `graduation_date` leaves it).
    pub listed_graduation_date: Date,
    /// The study data of the university's latest line for this grant (JSON), so that a line
    /// sent again unchanged does not undo an operator's correction.
    pub listed_study: Option<String>,
    pub grant_months: i32,
    pub programme_months: i32,
    pub budget_cost: i64,
    pub referral_employer_id: Option<i64>,
    pub referral_date: Option<Date>,
    pub batch_id: Option<i64>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
