use sea_orm::entity::prelude::*;

/// One registry of people keyed by IIN: graduates, pupils, children and parents alike.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "person")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub iin: String,
    pub last_name: String,
    pub first_name: String,
    pub middle_name: Option<String>,
    /// Birth date as read from the IIN or given: a hint, never grounds to reject.
    pub birth_date: Option<Date>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub language: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

/// A person's name as documents write it: last, first and (when there is one) middle name.
pub fn full_name(last: &str, first: &str, middle: Option<&str>) -> String {
    match middle.map(str::trim).filter(|m| !m.is_empty()) {
        Some(m) => format!("{last} {first} {m}"),
        None => format!("{last} {first}"),
    }
}

impl Model {
    /// Last, first and middle name.
    pub fn full_name(&self) -> String {
        full_name(
            &self.last_name,
            &self.first_name,
            self.middle_name.as_deref(),
        )
    }
}
