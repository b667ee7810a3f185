//! Events from devices: a batch of entries, exits and meals, each with the device's sequence
//! number and the time it happened.
//!
//! - **Idempotent.** The device's row is locked for the batch; an event whose number is not
//!   above the highest stored one is a duplicate and is answered as it was the first time
//!   (a till re-sending after a lost answer learns the same price). The answer carries the
//!   last number stored.
//! - **Late and wrong clocks.** An event lands at the time it happened; one that reached Adal
//!   more than two minutes later is `late` (the parent's notice says so); one in the future or
//!   before the device was registered is kept with `clock_suspect` and left out of attendance.
//! - **Refusals are kept.** A blocked or unknown card, or a meal refused, is stored with its
//!   code, so the school sees every attempt.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction,
    EntityTrait, QueryFilter, QueryOrder, Set,
};

use entities::{school_card, school_device, school_event, school_meal, school_member};

use adal_core::error::{ApiError, ApiResult};
use adal_core::sql::Binds;

use crate::cards::credential_key;
use crate::meals::{self, MealAnswer, MealRequest};
use crate::notices;
use crate::rules::{self, local_day};
use crate::vocab::{Allergen, CredentialKind, CredentialStatus, DeviceKind, SchoolEventKind};

/// The most events one batch may carry.
pub const MAX_BATCH: usize = 500;

/// One event as a device reports it.
#[derive(Debug, Clone)]
pub struct EventIn {
    pub seq: i64,
    pub kind: SchoolEventKind,
    pub method: CredentialKind,
    pub credential: String,
    pub at: DateTime<Utc>,
    /// For a meal: the dishes served.
    pub dishes: Vec<i64>,
}

/// What became of one event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, async_graphql::Enum)]
#[graphql(name = "SchoolEventStatus")]
pub enum Status {
    /// Stored now.
    Stored,
    /// Stored before (a re-sent event); the answer is the first one.
    Duplicate,
    /// Stored as an attempt that was refused: see the code.
    Refused,
}

/// The answer to one event.
#[derive(Debug, Clone)]
pub struct Answer {
    pub seq: i64,
    pub status: Status,
    /// Why it was refused: `UNKNOWN_CARD`, `CARD_BLOCKED`, `NOT_THIS_SCHOOL`, `NOT_A_PUPIL`,
    /// `WRONG_DEVICE`, `UNKNOWN_DISH`, `ALLERGEN_BLOCKED`, `INSUFFICIENT_BALANCE`.
    pub code: Option<String>,
    pub person_id: Option<i64>,
    pub late: bool,
    pub clock_suspect: bool,
    pub meal: Option<MealAnswer>,
    /// The blocked allergens that refused a meal.
    pub allergens: Vec<Allergen>,
}

/// The answer to a batch: each event's, and the last sequence number stored from the device.
#[derive(Debug, Clone)]
pub struct BatchAnswer {
    pub last_seq: i64,
    pub answers: Vec<Answer>,
}

/// Locks a device's row for the batch (a no-op write: PostgreSQL locks the row, SQLite's write
/// transaction holds the database) and reads it.
async fn lock_device(txn: &DatabaseTransaction, id: i64) -> ApiResult<school_device::Model> {
    adal_core::sql::lock_row(txn, "school_device", "last_seq", "id", id).await?;
    crate::devices::get(txn, id).await
}

fn check(events: &[EventIn]) -> ApiResult<()> {
    if events.is_empty() || events.len() > MAX_BATCH {
        return Err(ApiError::bad_input(
            "events",
            format!("1 to {MAX_BATCH} events a batch"),
        ));
    }
    let mut seen = HashSet::new();
    for e in events {
        if e.seq < 1 {
            return Err(ApiError::bad_input("seq", "sequence numbers start at 1"));
        }
        if !seen.insert(e.seq) {
            return Err(ApiError::bad_input(
                "seq",
                format!("sequence number {} twice in one batch", e.seq),
            ));
        }
        if e.credential.trim().is_empty() || e.credential.len() > 64 {
            return Err(ApiError::bad_input("credential", "1 to 64 characters"));
        }
    }
    Ok(())
}

/// The cards the batch presents, by (kind, key).
async fn cards_of(
    db: &impl ConnectionTrait,
    school_id: i64,
    events: &[&EventIn],
) -> ApiResult<HashMap<(String, String), school_card::Model>> {
    let mut out = HashMap::new();
    for kind in CredentialKind::ALL {
        let keys: Vec<String> = events
            .iter()
            .filter(|e| e.method == *kind)
            .map(|e| credential_key(school_id, *kind, &e.credential))
            .collect();
        if keys.is_empty() {
            continue;
        }
        for c in school_card::Entity::find()
            .filter(school_card::Column::Kind.eq(kind.as_str()))
            .filter(school_card::Column::Credential.is_in(keys))
            .all(db)
            .await?
        {
            out.insert((c.kind.clone(), c.credential.clone()), c);
        }
    }
    Ok(out)
}

/// Whether the parents are told of a batch's events (always, but for the demo day loaded
/// before anyone could be told).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Notices {
    Send,
    Quiet,
}

/// Stores a batch from a device and answers each event; the parents are told.
pub async fn upload(
    db: &DatabaseConnection,
    device_id: i64,
    events: Vec<EventIn>,
    now: DateTime<Utc>,
) -> ApiResult<BatchAnswer> {
    upload_with(db, device_id, events, now, Notices::Send).await
}

/// [`upload`], telling the parents or not.
pub async fn upload_with(
    db: &DatabaseConnection,
    device_id: i64,
    events: Vec<EventIn>,
    now: DateTime<Utc>,
    tell_parents: Notices,
) -> ApiResult<BatchAnswer> {
    check(&events)?;
    let txn = adal_core::db::begin_write(db).await?;
    let device = lock_device(&txn, device_id).await?;
    let school_id = device.school_id;
    let (old, mut new): (Vec<&EventIn>, Vec<&EventIn>) =
        events.iter().partition(|e| e.seq <= device.last_seq);
    new.sort_by_key(|e| e.seq);
    let mut answers: BTreeMap<i64, Answer> = BTreeMap::new();
    for a in replay(&txn, &device, &old).await? {
        answers.insert(a.seq, a);
    }
    let cards = cards_of(&txn, school_id, &new).await?;
    let person_ids: Vec<i64> = cards.values().map(|c| c.person_id).collect();
    let members: HashMap<i64, school_member::Model> = school_member::Entity::find()
        .filter(school_member::Column::SchoolId.eq(school_id))
        .filter(school_member::Column::Active.eq(true))
        .filter(school_member::Column::PersonId.is_in(person_ids))
        .all(&txn)
        .await?
        .into_iter()
        .map(|m| (m.person_id, m))
        .collect();
    let mut passes: Vec<school_event::ActiveModel> = Vec::new();
    let mut told: Vec<notices::Told> = Vec::new();
    for e in &new {
        let timing = rules::timing(e.at, now, device.registered_at);
        let card = cards
            .get(&(
                e.method.as_str().to_owned(),
                credential_key(school_id, e.method, &e.credential),
            ))
            .cloned();
        let refused: Option<&'static str> = match &card {
            None => Some("UNKNOWN_CARD"),
            Some(c) if c.status != CredentialStatus::Active.as_str() => Some("CARD_BLOCKED"),
            Some(c) if c.school_id != school_id || !members.contains_key(&c.person_id) => {
                Some("NOT_THIS_SCHOOL")
            }
            Some(_) => match (device_kind(&device), e.kind) {
                (Some(DeviceKind::Turnstile), SchoolEventKind::Meal)
                | (Some(DeviceKind::Till), SchoolEventKind::Entry | SchoolEventKind::Exit) => {
                    Some("WRONG_DEVICE")
                }
                _ => None,
            },
        };
        let row = school_event::ActiveModel {
            school_id: Set(school_id),
            device_id: Set(device.id),
            seq: Set(e.seq),
            kind: Set(e.kind.as_str().into()),
            person_id: Set(card.as_ref().map(|c| c.person_id)),
            card_id: Set(card.as_ref().map(|c| c.id)),
            day: Set(local_day(e.at)),
            happened_at: Set(e.at),
            received_at: Set(now),
            late: Set(timing.late),
            clock_suspect: Set(timing.clock_suspect),
            refused: Set(refused.map(str::to_owned)),
            ..Default::default()
        };
        let mut answer = Answer {
            seq: e.seq,
            status: if refused.is_some() {
                Status::Refused
            } else {
                Status::Stored
            },
            code: refused.map(str::to_owned),
            person_id: card.as_ref().map(|c| c.person_id),
            late: timing.late,
            clock_suspect: timing.clock_suspect,
            meal: None,
            allergens: Vec::new(),
        };
        match (e.kind, refused, &card) {
            (SchoolEventKind::Meal, None, Some(card)) => {
                let member = members.get(&card.person_id);
                let outcome = meals::serve(
                    &txn,
                    MealRequest {
                        school_id,
                        device_id: device.id,
                        member,
                        dishes: &e.dishes,
                        at: e.at,
                        late: timing.late,
                    },
                    row,
                )
                .await?;
                match outcome {
                    Ok(meal) => {
                        told.push(notices::Told::meal(&meal.0, &meal.1));
                        answer.meal = Some(meal.1);
                    }
                    Err((code, allergens)) => {
                        answer.status = Status::Refused;
                        answer.code = Some(code.to_owned());
                        answer.allergens = allergens;
                    }
                }
            }
            _ => {
                if let (None, false, Some(c)) = (refused, timing.clock_suspect, &card) {
                    told.push(notices::Told::pass(
                        e.kind,
                        c.person_id,
                        e.at,
                        timing.late,
                        device.id,
                        e.seq,
                    ));
                }
                passes.push(row);
            }
        }
        answers.insert(e.seq, answer);
    }
    if !passes.is_empty() {
        school_event::Entity::insert_many(passes)
            .exec_without_returning(&txn)
            .await?;
    }
    let last_seq = new
        .last()
        .map_or(device.last_seq, |e| e.seq.max(device.last_seq));
    let mut b = Binds::new(txn.get_database_backend());
    let (s, n, id) = (b.push(last_seq), b.push(now), b.push(device.id));
    txn.execute_raw(b.statement(format!(
        "UPDATE school_device SET last_seq = {s}, last_seen_at = {n} WHERE id = {id}"
    )))
    .await?;
    if tell_parents == Notices::Send {
        notices::tell(&txn, &told, now).await?;
    }
    txn.commit().await?;
    Ok(BatchAnswer {
        last_seq,
        answers: answers.into_values().collect(),
    })
}

fn device_kind(d: &school_device::Model) -> Option<DeviceKind> {
    DeviceKind::from_db(&d.kind)
}

/// The first answers to re-sent events, rebuilt from what was stored.
async fn replay(
    db: &impl ConnectionTrait,
    device: &school_device::Model,
    old: &[&EventIn],
) -> ApiResult<Vec<Answer>> {
    if old.is_empty() {
        return Ok(Vec::new());
    }
    let seqs: Vec<i64> = old.iter().map(|e| e.seq).collect();
    let stored: HashMap<i64, school_event::Model> = school_event::Entity::find()
        .filter(school_event::Column::DeviceId.eq(device.id))
        .filter(school_event::Column::Seq.is_in(seqs))
        .order_by_asc(school_event::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|e| (e.seq, e))
        .collect();
    let event_ids: Vec<i64> = stored.values().map(|e| e.id).collect();
    let meals: HashMap<i64, school_meal::Model> = school_meal::Entity::find()
        .filter(school_meal::Column::EventId.is_in(event_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|m| (m.event_id, m))
        .collect();
    let mut out = Vec::new();
    for e in old {
        let s = stored.get(&e.seq);
        let meal = match s.and_then(|s| meals.get(&s.id)) {
            Some(m) => Some(meals::answer_of(db, m).await?),
            None => None,
        };
        out.push(Answer {
            seq: e.seq,
            status: Status::Duplicate,
            code: s.and_then(|s| s.refused.clone()),
            person_id: s.and_then(|s| s.person_id),
            late: s.is_some_and(|s| s.late),
            clock_suspect: s.is_some_and(|s| s.clock_suspect),
            meal,
            allergens: Vec::new(),
        });
    }
    Ok(out)
}

/// A school's events of a day (for the school to check refusals and clocks), oldest first.
pub async fn of_school_day(
    db: &impl ConnectionTrait,
    school_id: i64,
    day: chrono::NaiveDate,
    flagged_only: bool,
) -> ApiResult<Vec<school_event::Model>> {
    let mut q = school_event::Entity::find()
        .filter(school_event::Column::SchoolId.eq(school_id))
        .filter(school_event::Column::Day.eq(day));
    if flagged_only {
        q = q.filter(
            sea_orm::Condition::any()
                .add(school_event::Column::Refused.is_not_null())
                .add(school_event::Column::ClockSuspect.eq(true))
                .add(school_event::Column::Late.eq(true)),
        );
    }
    Ok(q.order_by_asc(school_event::Column::HappenedAt)
        .order_by_asc(school_event::Column::Id)
        .all(db)
        .await?)
}

/// Stores one event row and returns it (meals need its id).
pub async fn insert_one(
    db: &impl ConnectionTrait,
    row: school_event::ActiveModel,
) -> ApiResult<school_event::Model> {
    Ok(row.insert(db).await?)
}
