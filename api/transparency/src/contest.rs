//! Contest cases: a person contests a decision about them (a parent, one about their child)
//! with their statement; the case goes to the body that decided, which answers by the
//! deadline, upholding or overturning it with its reasons. The supervising role sees the
//! body's cases, and which are overdue.

use std::collections::HashMap;
use std::path::Path;

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::{Condition, Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    IntoActiveModel, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set, SqlErr,
};
use serde_json::json;

use adal_core::audit;
use adal_core::auth::actor::Actor;
use adal_core::auth::roles::Role;
use adal_core::clock::local_day;
use adal_core::decisions::{DecidingBody, Decision, DecisionSources};
use adal_core::documents::{Document, Stored};
use adal_core::error::{ApiError, ApiResult};
use adal_core::pagination::PageRequest;
use entities::{contest_case, contest_document, person};

use crate::vocab::{ContestOutcome, ContestRefusal};

/// The working days a body has to answer: the term the Administrative Procedure Code gives for
/// a complaint. Weekends and public holidays do not count (`adal_core::calendar`).
pub const ANSWER_WORKING_DAYS: u32 = 20;

/// The longest statement or answer kept.
pub const MAX_TEXT: usize = 4_000;

/// The documents one contest may carry, and the size of each.
pub const MAX_DOCUMENTS: usize = 5;
pub const MAX_DOCUMENT_BYTES: usize = 10 * 1024 * 1024;

/// The last day of the answer's term for a case opened on `opened`: the
/// [`ANSWER_WORKING_DAYS`]th working day after it.
pub fn due_on(opened: NaiveDate) -> NaiveDate {
    adal_core::calendar::working_days_after(opened, ANSWER_WORKING_DAYS)
}

/// Which of the visible cases a desk lists.
#[derive(Debug, Clone, Copy, Default)]
pub struct CaseFilter {
    /// The answered cases, else the open ones.
    pub answered: bool,
    /// Only the open cases past their term on `today`.
    pub overdue_only: bool,
}

/// A page of the cases the caller sees ([`visible`]) that `filter` keeps, oldest first, and
/// how many there are in all.
pub async fn cases(
    db: &impl ConnectionTrait,
    actor: &Actor,
    filter: CaseFilter,
    today: NaiveDate,
    page: &PageRequest,
) -> ApiResult<(Vec<contest_case::Model>, u64)> {
    let mut q = contest_case::Entity::find().filter(visible(actor));
    q = if filter.answered {
        q.filter(contest_case::Column::AnsweredAt.is_not_null())
    } else {
        q.filter(contest_case::Column::AnsweredAt.is_null())
    };
    if filter.overdue_only {
        q = q
            .filter(contest_case::Column::AnsweredAt.is_null())
            .filter(contest_case::Column::DueOn.lt(today));
    }
    let total = q.clone().count(db).await?;
    let mut q = q.order_by_asc(contest_case::Column::Id);
    if let Some(after) = page.after_id()? {
        q = q.filter(contest_case::Column::Id.gt(after));
    }
    Ok((q.limit(page.fetch_limit()).all(db).await?, total))
}

/// The names of persons by id, as `name` writes each (a first name for a parent's page, the
/// full name on a body's desk).
pub async fn names(
    db: &impl ConnectionTrait,
    persons: impl IntoIterator<Item = i64>,
    name: fn(&person::Model) -> String,
) -> ApiResult<HashMap<i64, String>> {
    Ok(person::Entity::find()
        .filter(person::Column::Id.is_in(persons))
        .all(db)
        .await?
        .iter()
        .map(|p| (p.id, name(p)))
        .collect())
}

/// The documents of a case, in the order they came.
pub async fn documents_of(
    db: &impl ConnectionTrait,
    case_id: i64,
) -> ApiResult<Vec<contest_document::Model>> {
    Ok(contest_document::Entity::find()
        .filter(contest_document::Column::CaseId.eq(case_id))
        .order_by_asc(contest_document::Column::Id)
        .all(db)
        .await?)
}

/// A contest's document for a caller who may read it: the person it is about (or their
/// parent) and the bodies that see the case; to anyone else it does not exist.
pub async fn document_for(
    db: &impl ConnectionTrait,
    actor: &Actor,
    id: i64,
) -> ApiResult<contest_document::Model> {
    let doc = contest_document::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(ApiError::NotFound("document"))?;
    let case = contest_case::Entity::find_by_id(doc.case_id)
        .one(db)
        .await?
        .ok_or(ApiError::NotFound("document"))?;
    let readable = own_persons(actor).contains(&case.person_id)
        || contest_case::Entity::find_by_id(case.id)
            .filter(visible(actor))
            .one(db)
            .await?
            .is_some();
    if readable {
        Ok(doc)
    } else {
        Err(ApiError::NotFound("document"))
    }
}

/// Whether the case is past its term unanswered (on `today`), or was answered after it.
pub fn overdue(c: &contest_case::Model, today: NaiveDate) -> bool {
    match c.answered_at {
        Some(at) => local_day(at) > c.due_on,
        None => today > c.due_on,
    }
}

/// The persons whose decisions the caller sees and may contest: themselves, and a parent's
/// children.
pub fn own_persons(actor: &Actor) -> Vec<i64> {
    let mut ids: Vec<i64> = actor.person_id.into_iter().collect();
    if actor.has_role(Role::Parent) {
        ids.extend(&actor.children);
    }
    ids.sort_unstable();
    ids.dedup();
    ids
}

/// The decisions about the caller (and a parent's children), newest first, with their
/// contest cases by decision key.
pub async fn timeline(
    db: &DatabaseConnection,
    sources: &DecisionSources,
    persons: &[i64],
) -> ApiResult<(Vec<Decision>, HashMap<String, contest_case::Model>)> {
    let decisions = sources.about(db, persons).await?;
    let cases = contest_case::Entity::find()
        .filter(contest_case::Column::PersonId.is_in(persons.iter().copied()))
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.decision_key.clone(), c))
        .collect();
    Ok((decisions, cases))
}

fn text(value: &str, field: &str, hint: &str) -> ApiResult<String> {
    let t =
        adal_core::reason::given(Some(value)).ok_or_else(|| ApiError::bad_input(field, hint))?;
    if t.chars().count() > MAX_TEXT {
        return Err(ApiError::bad_input(
            field,
            format!("at most {MAX_TEXT} characters"),
        ));
    }
    Ok(t)
}

fn already_contested() -> ApiError {
    ApiError::ConflictBecause {
        reason: ContestRefusal::AlreadyContested.into(),
        message: "this decision has been contested already".into(),
    }
}

/// What a person says when they contest a decision: their statement and the documents that
/// bear it out, already in the store ([`store_documents`]).
pub struct Contest<'a> {
    pub key: &'a str,
    pub statement: &'a str,
    pub documents: &'a [Stored<'a>],
}

/// Writes a contest's documents (none, or up to [`MAX_DOCUMENTS`] of up to
/// [`MAX_DOCUMENT_BYTES`]) to the store, before the case's transaction: a case that is then
/// refused leaves at most a file no row names, never a row without its file.
pub fn store_documents<'a>(
    data_dir: &Path,
    documents: &'a [Document],
) -> ApiResult<Vec<Stored<'a>>> {
    if documents.len() > MAX_DOCUMENTS {
        return Err(ApiError::bad_input(
            "documents",
            format!("at most {MAX_DOCUMENTS} documents"),
        ));
    }
    if documents.is_empty() {
        return Ok(Vec::new());
    }
    adal_core::documents::store(data_dir, documents, MAX_DOCUMENT_BYTES)
}

/// Opens a contest of the decision `key` about the caller or their child.
pub async fn open(
    db: &DatabaseConnection,
    sources: &DecisionSources,
    actor: &Actor,
    contest: Contest<'_>,
    now: DateTime<Utc>,
) -> ApiResult<contest_case::Model> {
    let key = contest.key;
    let stored = contest.documents;
    let statement = text(
        contest.statement,
        "statement",
        "say what is wrong with the decision",
    )?;
    let persons = own_persons(actor);
    let decision = sources
        .about(db, &persons)
        .await?
        .into_iter()
        .find(|d| d.key() == key)
        .ok_or(ApiError::NotFound("decision"))?;
    let txn = adal_core::db::begin_write(db).await?;
    if contest_case::Entity::find()
        .filter(contest_case::Column::DecisionKey.eq(key))
        .one(&txn)
        .await?
        .is_some()
    {
        return Err(already_contested());
    }
    let case = contest_case::ActiveModel {
        decision_key: Set(key.to_owned()),
        decision_kind: Set(decision.kind.as_str().to_owned()),
        person_id: Set(decision.person_id),
        opened_by: Set(actor.account_id),
        statement: Set(statement),
        body: Set(decision.body.as_str().to_owned()),
        region_kato: Set(decision.region_kato.clone()),
        organisation_id: Set(decision.organisation_id),
        opened_at: Set(now),
        due_on: Set(due_on(local_day(now))),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .map_err(|e| match e.sql_err() {
        Some(SqlErr::UniqueConstraintViolation(_)) => already_contested(),
        _ => e.into(),
    })?;
    for d in stored {
        let c = d.columns();
        contest_document::ActiveModel {
            case_id: Set(case.id),
            file_name: Set(c.file_name),
            content_type: Set(c.content_type),
            size: Set(c.size),
            sha256: Set(c.sha256),
            uploaded_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
    }
    audit::record(
        &txn,
        Some(actor.account_id),
        "contest.opened",
        "contest_case",
        case.id,
        json!({ "decision": key, "body": decision.body, "due_on": case.due_on,
                "documents": stored.len() }),
    )
    .await?;
    txn.commit().await?;
    Ok(case)
}

/// The cases the caller sees: those their body answers, and those of the bodies they
/// supervise (the operator's administrators: every body's; an akimat officer: the akimat's and
/// the schools' of their regions; a school's administrator: their school's; the commission:
/// its own).
pub fn visible(actor: &Actor) -> Condition {
    let mut any = Condition::any();
    let body = |b: DecidingBody| contest_case::Column::Body.eq(b.as_str());
    if actor.has_role(Role::OperatorAdmin) {
        return Condition::all();
    }
    if actor.has_role(Role::CommissionMember) {
        any = any.add(body(DecidingBody::Commission));
    }
    let regions = actor.regions(Role::AkimatOfficer);
    if !regions.is_empty() {
        any = any.add(
            Condition::all()
                .add(body(DecidingBody::Akimat).or(body(DecidingBody::School)))
                .add(contest_case::Column::RegionKato.is_in(regions)),
        );
    }
    let schools = actor.organisations(&[Role::SchoolAdmin]);
    if !schools.is_empty() {
        any = any.add(
            Condition::all()
                .add(body(DecidingBody::School))
                .add(contest_case::Column::OrganisationId.is_in(schools)),
        );
    }
    if any.is_empty() {
        any = any.add(Expr::cust("1 = 0"));
    }
    any
}

/// Whether the caller answers for the case's body (not only supervises it).
pub fn answers(actor: &Actor, c: &contest_case::Model) -> bool {
    let Some(body) = DecidingBody::from_db(&c.body) else {
        return false;
    };
    body.answerers().iter().any(|role| match role {
        Role::AkimatOfficer => c
            .region_kato
            .as_ref()
            .is_some_and(|r| actor.regions(Role::AkimatOfficer).contains(r)),
        Role::SchoolAdmin => c
            .organisation_id
            .is_some_and(|o| actor.organisations(&[Role::SchoolAdmin]).contains(&o)),
        role => actor.has_role(*role),
    })
}

/// The body answers a case: the decision is upheld or overturned, with its reasons.
pub async fn answer(
    db: &DatabaseConnection,
    actor: &Actor,
    case_id: i64,
    outcome: ContestOutcome,
    answer: &str,
    now: DateTime<Utc>,
) -> ApiResult<contest_case::Model> {
    let answer = text(answer, "answer", "an answer states its reasons")?;
    let txn = adal_core::db::begin_write(db).await?;
    let case = contest_case::Entity::find_by_id(case_id)
        .filter(visible(actor))
        .one(&txn)
        .await?
        .ok_or(ApiError::NotFound("contest case"))?;
    if !answers(actor, &case) {
        return Err(ApiError::Forbidden);
    }
    if case.answered_at.is_some() {
        return Err(ApiError::ConflictBecause {
            reason: ContestRefusal::AlreadyAnswered.into(),
            message: "this case has its answer already".into(),
        });
    }
    let mut am = case.into_active_model();
    am.outcome = Set(Some(outcome.as_str().to_owned()));
    am.answer = Set(Some(answer));
    am.answered_by = Set(Some(actor.account_id));
    am.answered_at = Set(Some(now));
    let case = am.update(&txn).await?;
    audit::record(
        &txn,
        Some(actor.account_id),
        "contest.answered",
        "contest_case",
        case.id,
        json!({ "decision": case.decision_key, "outcome": outcome, "in_time": !overdue(&case, local_day(now)) }),
    )
    .await?;
    txn.commit().await?;
    Ok(case)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn the_term_is_twenty_working_days() {
        // Tuesday 1 December 2026: four weeks of five working days, less the 1st itself and
        // Independence Day (Wednesday the 16th).
        assert_eq!(due_on(day(2026, 12, 1)), day(2026, 12, 30));
        // Opened on a Saturday: the count starts on Monday, and steps over the 16th and the
        // New Year (1 January, and the 2nd, a Saturday, whose day off is Monday the 4th).
        assert_eq!(due_on(day(2026, 12, 5)), day(2027, 1, 6));
    }

    #[test]
    fn a_late_answer_and_an_unanswered_case_past_its_term_are_overdue() {
        let c = contest_case::Model {
            id: 1,
            decision_key: "claim:1".into(),
            decision_kind: "claim".into(),
            person_id: 1,
            opened_by: 1,
            statement: "s".into(),
            body: "operator".into(),
            region_kato: None,
            organisation_id: None,
            opened_at: Utc::now(),
            due_on: day(2026, 12, 29),
            outcome: None,
            answer: None,
            answered_by: None,
            answered_at: None,
        };
        assert!(!overdue(&c, day(2026, 12, 29)));
        assert!(overdue(&c, day(2026, 12, 30)));
        let late = contest_case::Model {
            answered_at: Some(day(2026, 12, 30).and_hms_opt(4, 0, 0).unwrap().and_utc()),
            ..c.clone()
        };
        assert!(overdue(&late, day(2027, 1, 5)));
        let in_time = contest_case::Model {
            answered_at: Some(day(2026, 12, 29).and_hms_opt(18, 0, 0).unwrap().and_utc()),
            ..c
        };
        // 18:00 UTC on the 29th is 23:00 in Astana: still the 29th.
        assert!(!overdue(&in_time, day(2027, 1, 5)));
    }
}
