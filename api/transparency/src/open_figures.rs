//! The open figures of contests (no sign-in): cases opened against each body's decisions, by
//! where they stand: open within the term, open past it, answered in time (decision upheld or
//! overturned), answered late. Counts under ten are hidden, with the cells that would give
//! them away ([`adal_core::disclosure`]).

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{ConnectionTrait, EntityTrait, QuerySelect};

use adal_core::decisions::DecidingBody;
use adal_core::disclosure::{Counts, OpenHeading};
use adal_core::error::ApiResult;
use adal_core::vocab::Language;
use entities::contest_case;

use crate::vocab::ContestOutcome;
use adal_core::clock::local_day;

const METHOD: &str = "Contest cases opened by persons against a decision about them or their \
    child, by the body that decided and by where the case stands today. The term to answer is \
    twenty working days from the day the case was opened; a case answered after its last day \
    counts as answered late, whatever its outcome.";

/// Where a case stands, the table's columns.
const STAGES: &[(&str, [&str; 3])] = &[
    (
        "open",
        [
            "Мерзімінде қаралуда",
            "На рассмотрении в срок",
            "Open, within the term",
        ],
    ),
    (
        "overdue",
        [
            "Мерзімі өтті, жауап жоқ",
            "Срок истёк, ответа нет",
            "Open, past the term",
        ],
    ),
    (
        "upheld",
        [
            "Шешім өзгеріссіз қалды",
            "Решение оставлено в силе",
            "Upheld in time",
        ],
    ),
    (
        "overturned",
        ["Шешім өзгертілді", "Решение изменено", "Overturned in time"],
    ),
    (
        "late",
        [
            "Кешігіп жауап берілді",
            "Ответ дан с опозданием",
            "Answered late",
        ],
    ),
];

fn body_name(body: DecidingBody, l: Language) -> &'static str {
    match body {
        DecidingBody::Operator => l.pick("Оператор", "Оператор", "Operator"),
        DecidingBody::Commission => l.pick("Комиссия", "Комиссия", "Commission"),
        DecidingBody::Akimat => l.pick("Әкімдік", "Акимат", "Akimat"),
        DecidingBody::School => l.pick("Мектеп", "Школа", "School"),
    }
}

/// Where one case stands on `today`.
pub fn stage(
    due_on: NaiveDate,
    answered_at: Option<DateTime<Utc>>,
    outcome: Option<&str>,
    today: NaiveDate,
) -> &'static str {
    match answered_at {
        None if today > due_on => "overdue",
        None => "open",
        Some(at) if local_day(at) > due_on => "late",
        Some(_) => match outcome.and_then(ContestOutcome::from_db) {
            Some(ContestOutcome::Overturned) => "overturned",
            _ => "upheld",
        },
    }
}

/// A case as the table counts it: its body, deadline, answer's time and outcome.
type CaseRow = (String, NaiveDate, Option<DateTime<Utc>>, Option<String>);

/// `contest-cases-by-body`.
pub async fn tables(
    db: &impl ConnectionTrait,
    language: Language,
    now: DateTime<Utc>,
) -> ApiResult<Vec<Counts>> {
    let today = local_day(now);
    let rows: Vec<CaseRow> = contest_case::Entity::find()
        .select_only()
        .column(contest_case::Column::Body)
        .column(contest_case::Column::DueOn)
        .column(contest_case::Column::AnsweredAt)
        .column(contest_case::Column::Outcome)
        .into_tuple()
        .all(db)
        .await?;
    let mut counts = Counts::new(
        "contest-cases-by-body",
        (
            "body",
            DecidingBody::ALL
                .iter()
                .map(|b| OpenHeading::named(b.as_str(), body_name(*b, language)))
                .collect(),
        ),
        (
            "stage",
            STAGES
                .iter()
                .map(|(code, [kk, ru, en])| OpenHeading::named(*code, language.pick(kk, ru, en)))
                .collect(),
        ),
        None,
        METHOD,
    );
    for (body, due_on, answered_at, outcome) in rows {
        counts.add(
            &body,
            stage(due_on, answered_at, outcome.as_deref(), today),
            1,
            0,
        );
    }
    Ok(vec![counts])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_case_stands_where_its_term_and_answer_put_it() {
        let due = NaiveDate::from_ymd_opt(2026, 12, 29).unwrap();
        let on = |d: u32| NaiveDate::from_ymd_opt(2026, 12, d).unwrap();
        let at = |d: u32| Some(on(d).and_hms_opt(6, 0, 0).unwrap().and_utc());
        assert_eq!(stage(due, None, None, on(29)), "open");
        assert_eq!(stage(due, None, None, on(30)), "overdue");
        assert_eq!(stage(due, at(10), Some("upheld"), on(31)), "upheld");
        assert_eq!(stage(due, at(10), Some("overturned"), on(31)), "overturned");
        assert_eq!(stage(due, at(30), Some("overturned"), on(31)), "late");
    }
}
