//! Attendance per person per day, read from the passes stored (refused and clock-suspect ones
//! left out): first entry, last exit, late against the school's timetable, absent; and the
//! spans in which the turnstiles show people inside (what other domains may ask, through the
//! server).

use std::collections::HashMap;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use entities::{school_event, school_member};

use adal_core::error::ApiResult;

use crate::roster;
use crate::rules::{self, Day, Pass, parse_hhmm};
use crate::vocab::SchoolEventKind;

fn passes_of(events: &[school_event::Model]) -> HashMap<(i64, NaiveDate), Vec<Pass>> {
    let mut out: HashMap<(i64, NaiveDate), Vec<Pass>> = HashMap::new();
    for e in events {
        if e.refused.is_some() || e.clock_suspect {
            continue;
        }
        let (Some(person), Some(kind)) = (e.person_id, SchoolEventKind::from_db(&e.kind)) else {
            continue;
        };
        if kind == SchoolEventKind::Meal {
            continue;
        }
        out.entry((person, e.day)).or_default().push(Pass {
            kind,
            at: e.happened_at,
        });
    }
    out
}

async fn timetable(
    db: &impl ConnectionTrait,
    school_id: i64,
) -> ApiResult<(chrono::NaiveTime, i32)> {
    let p = roster::profile(db, school_id).await?;
    let start = parse_hhmm(&p.lessons_start)
        .unwrap_or_else(|| chrono::NaiveTime::from_hms_opt(8, 30, 0).unwrap_or_default());
    Ok((start, p.late_grace_minutes))
}

/// Every active member of a school on a day, with their day.
pub async fn school_day(
    db: &impl ConnectionTrait,
    school_id: i64,
    day: NaiveDate,
) -> ApiResult<Vec<(school_member::Model, Day)>> {
    let (start, grace) = timetable(db, school_id).await?;
    let events = school_event::Entity::find()
        .filter(school_event::Column::SchoolId.eq(school_id))
        .filter(school_event::Column::Day.eq(day))
        .all(db)
        .await?;
    let passes = passes_of(&events);
    Ok(roster::members(db, school_id, None, None)
        .await?
        .into_iter()
        .map(|m| {
            let p = passes.get(&(m.person_id, day)).map_or(&[][..], |v| &v[..]);
            let d = rules::day(day, p, start, grace);
            (m, d)
        })
        .collect())
}

/// A person's days at a school between two days (inclusive), oldest first.
pub async fn person_days(
    db: &impl ConnectionTrait,
    school_id: i64,
    person: i64,
    from: NaiveDate,
    to: NaiveDate,
) -> ApiResult<Vec<(NaiveDate, Day)>> {
    let (start, grace) = timetable(db, school_id).await?;
    let events = school_event::Entity::find()
        .filter(school_event::Column::SchoolId.eq(school_id))
        .filter(school_event::Column::PersonId.eq(person))
        .filter(school_event::Column::Day.gte(from))
        .filter(school_event::Column::Day.lte(to))
        .order_by_asc(school_event::Column::HappenedAt)
        .all(db)
        .await?;
    let passes = passes_of(&events);
    let mut out = Vec::new();
    let mut d = from;
    while d <= to {
        let p = passes.get(&(person, d)).map_or(&[][..], |v| &v[..]);
        out.push((d, rules::day(d, p, start, grace)));
        d += Duration::days(1);
    }
    Ok(out)
}

/// One span of a local day in which a school's turnstile shows a person inside: from an entry
/// to the exit after it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Inside {
    pub school_id: i64,
    pub day: NaiveDate,
    pub entry: DateTime<Utc>,
    pub exit: DateTime<Utc>,
}

/// The spans in which these persons were inside any school between two days (inclusive), by
/// person, oldest first ([`rules::spans_inside`] per person, school and day). One query per
/// thousand persons.
pub async fn inside(
    db: &impl ConnectionTrait,
    persons: &[i64],
    from: NaiveDate,
    to: NaiveDate,
) -> ApiResult<HashMap<i64, Vec<Inside>>> {
    let mut passes: HashMap<(i64, i64, NaiveDate), Vec<Pass>> = HashMap::new();
    for chunk in persons.chunks(1000) {
        let events = school_event::Entity::find()
            .filter(school_event::Column::PersonId.is_in(chunk.iter().copied()))
            .filter(school_event::Column::Day.gte(from))
            .filter(school_event::Column::Day.lte(to))
            .filter(school_event::Column::Kind.is_in([
                SchoolEventKind::Entry.as_str(),
                SchoolEventKind::Exit.as_str(),
            ]))
            .filter(school_event::Column::Refused.is_null())
            .filter(school_event::Column::ClockSuspect.eq(false))
            .all(db)
            .await?;
        for e in events {
            let (Some(person), Some(kind)) = (e.person_id, SchoolEventKind::from_db(&e.kind))
            else {
                continue;
            };
            passes
                .entry((person, e.school_id, e.day))
                .or_default()
                .push(Pass {
                    kind,
                    at: e.happened_at,
                });
        }
    }
    let mut out: HashMap<i64, Vec<Inside>> = HashMap::new();
    for ((person, school_id, day), p) in passes {
        out.entry(person)
            .or_default()
            .extend(
                rules::spans_inside(&p)
                    .into_iter()
                    .map(|(entry, exit)| Inside {
                        school_id,
                        day,
                        entry,
                        exit,
                    }),
            );
    }
    for spans in out.values_mut() {
        spans.sort_by_key(|s| (s.entry, s.school_id));
    }
    Ok(out)
}
