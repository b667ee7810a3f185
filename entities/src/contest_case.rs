use sea_orm::entity::prelude::*;

/// A person's contest of a decision about them (or about their child): their statement, the
/// body that decided and must answer, the deadline, and the answer with its outcome.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "contest_case")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// The contested decision (`exemption:42`): one case per decision.
    #[sea_orm(unique)]
    pub decision_key: String,
    pub decision_kind: String,
    /// The person the decision is about.
    #[sea_orm(indexed)]
    pub person_id: i64,
    /// The account that contested it (the person, or a parent).
    pub opened_by: i64,
    pub statement: String,
    /// The body that answers: `operator`, `commission`, `akimat`, `school`.
    pub body: String,
    /// The region of an akimat's or a school's case.
    pub region_kato: Option<String>,
    /// The school of a school's case.
    pub organisation_id: Option<i64>,
    pub opened_at: DateTimeUtc,
    /// The last day of the answer's term.
    pub due_on: Date,
    /// `upheld` or `overturned`, once answered.
    pub outcome: Option<String>,
    pub answer: Option<String>,
    pub answered_by: Option<i64>,
    pub answered_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
