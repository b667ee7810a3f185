//! Attendance per person per day, read from the passes stored (refused and clock-suspect ones
//! left out): first entry, last exit, late against the school's timetable, absent.

use std::collections::HashMap;

use chrono::{Duration, NaiveDate};
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
