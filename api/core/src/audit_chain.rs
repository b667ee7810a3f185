//! The audit trail as a hash chain that no one can rewrite unseen.
//!
//! Events are written by [`crate::audit::record`] in the transaction of the change they record.
//! A sealer ([`seal`], run by `adal serve` and `adal worker` every few seconds, by any number of
//! instances: they take turns on the one row of `audit_chain_head`) links each committed event
//! into the chain: link `n` holds the event's id, the hash of link `n - 1` and its own hash,
//! SHA-256 over a canonical encoding of both (see [`link_hash`]). Changing, deleting or
//! reordering a sealed event breaks the chain from that link on, and [`verify`] names the first
//! link that does not match. The database refuses updates and deletes of events and links
//! (triggers); an administrator who drops them and rewrites the chain still cannot match the
//! day heads already published (`GET /audit/heads`) and sent to the witness.
//!
//! Sealing follows commit order, not id order: an event whose transaction commits late is
//! linked when it is seen. The sealer looks for unsealed events recorded up to
//! [`LATE_COMMIT`] before the last sealed one; [`verify`] reports any older event that is not
//! in the chain.

use chrono::{DateTime, Duration, NaiveDate, SecondsFormat, TimeZone, Utc};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Order, Query};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, FromQueryResult, QueryFilter,
    QueryOrder, QuerySelect, Statement, TransactionTrait,
};
use serde::Serialize;
use sha2::{Digest, Sha256};

use entities::audit_event;

use crate::clock::zone;
use crate::error::ApiResult;

/// The hash before the first link.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// How much earlier than the last sealed event an unsealed one may have been recorded and
/// still be found by the sealer (a transaction open that long before it commits).
pub const LATE_COMMIT: Duration = Duration::hours(1);

/// Events linked in one transaction of the sealer.
const BATCH: u64 = 2_000;

/// A link's hash: SHA-256 (hex) of the JSON array
/// `[seq, prev_hash, event id, at (RFC 3339, microseconds, UTC), actor account id or null,
/// action, subject type, subject id, details]`. Anyone holding an export of the events can
/// recompute it.
pub fn link_hash(seq: i64, prev_hash: &str, e: &audit_event::Model) -> String {
    let canonical = serde_json::json!([
        seq,
        prev_hash,
        e.id,
        e.at.to_rfc3339_opts(SecondsFormat::Micros, true),
        e.actor_account_id,
        e.action,
        e.subject_type,
        e.subject_id,
        e.details,
    ]);
    hex::encode(Sha256::digest(canonical.to_string().as_bytes()))
}

#[derive(Debug, FromQueryResult)]
struct Head {
    seq: i64,
    hash: String,
}

/// Links every committed event not yet in the chain, in batches, then publishes the heads of
/// the days that have ended; returns how many events were linked.
pub async fn seal(db: &DatabaseConnection, now: DateTime<Utc>) -> ApiResult<u64> {
    let mut linked = 0;
    loop {
        let n = seal_batch(db, now).await?;
        linked += n;
        if n < BATCH {
            break;
        }
    }
    publish_days(db, now).await?;
    Ok(linked)
}

async fn seal_batch(db: &DatabaseConnection, now: DateTime<Utc>) -> ApiResult<u64> {
    let backend = db.get_database_backend();
    let txn = db.begin().await?;
    // The turn: this row stays locked until the commit (PostgreSQL: row lock; SQLite: the
    // write lock), so instances seal one after another and keep one chain.
    txn.execute_raw(Statement::from_string(
        backend,
        "UPDATE audit_chain_head SET seq = seq WHERE id = 1",
    ))
    .await?;
    let head = Head::find_by_statement(Statement::from_string(
        backend,
        "SELECT seq, hash FROM audit_chain_head WHERE id = 1",
    ))
    .one(&txn)
    .await?
    .unwrap_or(Head {
        seq: 0,
        hash: GENESIS.to_owned(),
    });
    let last_at = last_sealed_at(&txn, head.seq).await?;
    let mut q = audit_event::Entity::find().filter(Expr::cust(
        "NOT EXISTS (SELECT 1 FROM audit_chain c WHERE c.event_id = audit_event.id)",
    ));
    if let Some(at) = last_at {
        q = q.filter(audit_event::Column::At.gte(at - LATE_COMMIT));
    }
    let events = q
        .order_by_asc(audit_event::Column::Id)
        .limit(BATCH)
        .all(&txn)
        .await?;
    if events.is_empty() {
        txn.rollback().await?;
        return Ok(0);
    }
    let (mut seq, mut prev) = (head.seq, head.hash);
    let mut rows = Vec::with_capacity(events.len());
    for e in &events {
        seq += 1;
        let hash = link_hash(seq, &prev, e);
        rows.push((seq, e.id, prev.clone(), hash.clone()));
        prev = hash;
    }
    for chunk in rows.chunks(400) {
        let mut insert = Query::insert();
        insert.into_table(Alias::new("audit_chain")).columns([
            Alias::new("seq"),
            Alias::new("event_id"),
            Alias::new("prev_hash"),
            Alias::new("hash"),
            Alias::new("sealed_at"),
        ]);
        for (seq, id, prev_hash, hash) in chunk {
            insert
                .values([
                    (*seq).into(),
                    (*id).into(),
                    prev_hash.clone().into(),
                    hash.clone().into(),
                    now.into(),
                ])
                .map_err(|e| crate::error::ApiError::Internal(e.into()))?;
        }
        txn.execute_raw(backend.build(&insert)).await?;
    }
    let mut update = Query::update();
    update
        .table(Alias::new("audit_chain_head"))
        .values([
            (Alias::new("seq"), seq.into()),
            (Alias::new("hash"), prev.into()),
        ])
        .and_where(Expr::col(Alias::new("id")).eq(1));
    txn.execute_raw(backend.build(&update)).await?;
    txn.commit().await?;
    Ok(events.len() as u64)
}

/// When the event of link `seq` was recorded.
async fn last_sealed_at(db: &impl ConnectionTrait, seq: i64) -> ApiResult<Option<DateTime<Utc>>> {
    if seq == 0 {
        return Ok(None);
    }
    let mut q = Query::select();
    q.column((Alias::new("e"), audit_event::Column::At))
        .from_as(audit_event::Entity, Alias::new("e"))
        .inner_join(
            Alias::new("audit_chain"),
            Expr::col((Alias::new("audit_chain"), Alias::new("event_id")))
                .equals((Alias::new("e"), audit_event::Column::Id)),
        )
        .and_where(Expr::col((Alias::new("audit_chain"), Alias::new("seq"))).eq(seq));
    let row = db
        .query_one_raw(db.get_database_backend().build(&q))
        .await?;
    Ok(row.and_then(|r| r.try_get::<DateTime<Utc>>("", "at").ok()))
}

/// A published day head: the chain's last link at the end of a day (Kazakhstan's time).
#[derive(Debug, Clone, Serialize, FromQueryResult, async_graphql::SimpleObject)]
#[serde(rename_all = "camelCase")]
#[graphql(name = "AuditDayHead")]
pub struct DayHead {
    /// The day (Kazakhstan's time).
    pub day: NaiveDate,
    /// The position of the day's last link in the chain.
    pub seq: i64,
    /// The SHA-256 of that link (hex): `adal audit verify --from` checks the chain against it.
    pub hash: String,
    /// Links sealed that day.
    pub events: i64,
    pub published_at: DateTime<Utc>,
    /// When the witness (`ADAL_AUDIT_WITNESS_URL`) took it; none while it has not.
    pub witnessed_at: Option<DateTime<Utc>>,
}

/// The first instant of `day` in Kazakhstan's time.
fn day_start(day: NaiveDate) -> DateTime<Utc> {
    zone()
        .from_local_datetime(&day.and_hms_opt(0, 0, 0).unwrap_or_default())
        .single()
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_default()
}

fn day_of(t: DateTime<Utc>) -> NaiveDate {
    t.with_timezone(&zone()).date_naive()
}

#[derive(Debug, FromQueryResult)]
struct Link {
    seq: i64,
    hash: String,
    sealed_at: DateTime<Utc>,
}

/// Publishes a head for every day that has ended (before `now`'s day) since the last one
/// published and had links sealed; returns the heads published.
pub async fn publish_days(db: &DatabaseConnection, now: DateTime<Utc>) -> ApiResult<Vec<DayHead>> {
    let today = day_of(now);
    let last = heads(db, 1).await?.into_iter().next();
    // The first link after the last published head (or the chain's first).
    let mut first = Query::select();
    first
        .columns([
            Alias::new("seq"),
            Alias::new("hash"),
            Alias::new("sealed_at"),
        ])
        .from(Alias::new("audit_chain"))
        .order_by(Alias::new("seq"), Order::Asc)
        .limit(1);
    if let Some(h) = &last {
        first.and_where(Expr::col(Alias::new("seq")).gt(h.seq));
    }
    let first_link = Link::find_by_statement(db.get_database_backend().build(&first))
        .one(db)
        .await?;
    let Some(first_link) = first_link else {
        return Ok(Vec::new());
    };
    let mut day = day_of(first_link.sealed_at);
    let mut published = Vec::new();
    while day < today {
        let end = day_start(day + Duration::days(1));
        let start = day_start(day);
        let mut q = Query::select();
        q.columns([
            Alias::new("seq"),
            Alias::new("hash"),
            Alias::new("sealed_at"),
        ])
        .from(Alias::new("audit_chain"))
        .and_where(Expr::col(Alias::new("sealed_at")).lt(end))
        .order_by(Alias::new("seq"), Order::Desc)
        .limit(1);
        let backend = db.get_database_backend();
        let link = Link::find_by_statement(backend.build(&q)).one(db).await?;
        let mut count = Query::select();
        count
            .expr_as(Expr::cust("COUNT(*)"), Alias::new("n"))
            .from(Alias::new("audit_chain"))
            .and_where(Expr::col(Alias::new("sealed_at")).gte(start))
            .and_where(Expr::col(Alias::new("sealed_at")).lt(end));
        let events = db
            .query_one_raw(backend.build(&count))
            .await?
            .and_then(|r| r.try_get::<i64>("", "n").ok())
            .unwrap_or(0);
        if let (Some(link), true) = (link, events > 0) {
            let mut insert = Query::insert();
            insert
                .into_table(Alias::new("audit_day_head"))
                .columns([
                    Alias::new("day"),
                    Alias::new("seq"),
                    Alias::new("hash"),
                    Alias::new("events"),
                    Alias::new("published_at"),
                ])
                .values([
                    day.into(),
                    link.seq.into(),
                    link.hash.clone().into(),
                    events.into(),
                    now.into(),
                ])
                .map_err(|e| crate::error::ApiError::Internal(e.into()))?
                .on_conflict(
                    sea_orm::sea_query::OnConflict::column(Alias::new("day"))
                        .do_nothing()
                        .to_owned(),
                );
            let r = db.execute_raw(backend.build(&insert)).await?;
            if r.rows_affected() > 0 {
                published.push(DayHead {
                    day,
                    seq: link.seq,
                    hash: link.hash,
                    events,
                    published_at: now,
                    witnessed_at: None,
                });
            }
        }
        day += Duration::days(1);
    }
    Ok(published)
}

/// The columns of [`DayHead`] from the published heads.
fn head_select() -> sea_orm::sea_query::SelectStatement {
    let mut q = Query::select();
    q.columns([
        Alias::new("day"),
        Alias::new("seq"),
        Alias::new("hash"),
        Alias::new("events"),
        Alias::new("published_at"),
        Alias::new("witnessed_at"),
    ])
    .from(Alias::new("audit_day_head"));
    q
}

/// The published heads, newest first, at most `limit`.
pub async fn heads(db: &impl ConnectionTrait, limit: u64) -> ApiResult<Vec<DayHead>> {
    let mut q = head_select();
    q.order_by(Alias::new("day"), Order::Desc).limit(limit);
    Ok(
        DayHead::find_by_statement(db.get_database_backend().build(&q))
            .all(db)
            .await?,
    )
}

/// Where the day heads are sent for safekeeping outside Adal's database (an adapter behind
/// this trait; `witness_url` configures the HTTP one). Answers the witness's receipt.
pub trait Witness: Send + Sync {
    fn witness<'a>(
        &'a self,
        head: &'a DayHead,
    ) -> futures_util::future::BoxFuture<'a, Result<String, String>>;
}

/// Sends every published head the witness has not yet received; a failure leaves the head
/// for the next round. Returns how many were witnessed.
pub async fn send_to_witness(
    db: &DatabaseConnection,
    witness: &dyn Witness,
    now: DateTime<Utc>,
) -> ApiResult<u64> {
    let mut q = head_select();
    q.and_where(Expr::col(Alias::new("witnessed_at")).is_null())
        .order_by(Alias::new("day"), Order::Asc);
    let backend = db.get_database_backend();
    let pending = DayHead::find_by_statement(backend.build(&q))
        .all(db)
        .await?;
    let mut sent = 0;
    for head in pending {
        match witness.witness(&head).await {
            Ok(receipt) => {
                let mut update = Query::update();
                update
                    .table(Alias::new("audit_day_head"))
                    .values([
                        (Alias::new("witnessed_at"), now.into()),
                        (Alias::new("witness_receipt"), receipt.into()),
                    ])
                    .and_where(Expr::col(Alias::new("day")).eq(head.day));
                db.execute_raw(backend.build(&update)).await?;
                sent += 1;
            }
            Err(e) => {
                tracing::warn!(day = %head.day, error = %e, "the witness did not take the day's head");
                break;
            }
        }
    }
    Ok(sent)
}

/// What [`verify`] found wrong first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "fault", rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Fault {
    /// The event of this link is not what was sealed (changed, or swapped with another).
    EventChanged { seq: i64, event_id: i64 },
    /// The event of this link is gone.
    EventDeleted { seq: i64, event_id: i64 },
    /// This link does not follow the one before it (a link rewritten, removed or reordered).
    LinkBroken { seq: i64 },
    /// A link is missing: `seq` was expected next.
    LinkMissing { seq: i64 },
    /// A published day head does not match the chain.
    HeadMismatch { day: NaiveDate, seq: i64 },
    /// An event recorded long before the last sealed one is not in the chain (inserted
    /// behind the sealer's back).
    NotInChain { event_id: i64 },
}

impl std::fmt::Display for Fault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Fault::EventChanged { seq, event_id } => write!(
                f,
                "audit event {event_id} (link {seq}) was changed after it was sealed"
            ),
            Fault::EventDeleted { seq, event_id } => {
                write!(f, "audit event {event_id} (link {seq}) was deleted")
            }
            Fault::LinkBroken { seq } => {
                write!(f, "link {seq} does not follow the link before it")
            }
            Fault::LinkMissing { seq } => write!(f, "link {seq} is missing"),
            Fault::HeadMismatch { day, seq } => write!(
                f,
                "the head published for {day} (link {seq}) does not match the chain"
            ),
            Fault::NotInChain { event_id } => write!(
                f,
                "audit event {event_id} is not in the chain (recorded behind the sealer)"
            ),
        }
    }
}

/// What [`verify`] read and found.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Verification {
    /// The link it started after (0: the beginning) and the last it checked.
    pub from_seq: i64,
    pub to_seq: i64,
    pub links: u64,
    /// Events recorded lately and not yet sealed (not a fault).
    pub unsealed: u64,
    pub fault: Option<Fault>,
}

#[derive(Debug, FromQueryResult)]
struct Checked {
    seq: i64,
    event_id: i64,
    prev_hash: String,
    hash: String,
}

/// Recomputes the chain from the beginning, or from the head published for `from_day`, and
/// names the first fault: a changed, deleted or reordered event, a broken or missing link, a
/// published head that does not match, an old event outside the chain.
pub async fn verify(
    db: &DatabaseConnection,
    from_day: Option<NaiveDate>,
) -> ApiResult<Verification> {
    let backend = db.get_database_backend();
    let mut result = Verification {
        from_seq: 0,
        to_seq: 0,
        links: 0,
        unsealed: 0,
        fault: None,
    };
    let (mut expected_seq, mut prev) = (1, GENESIS.to_owned());
    if let Some(day) = from_day {
        let head = heads_from(db, Some(day)).await?.into_iter().next();
        let Some(head) = head.filter(|h| h.day == day) else {
            return Err(crate::error::ApiError::NotFound("published audit head"));
        };
        expected_seq = head.seq + 1;
        prev = head.hash;
        result.from_seq = head.seq;
    }
    result.to_seq = result.from_seq;
    let mut after = result.from_seq;
    'pages: loop {
        let links = Checked::find_by_statement(Statement::from_sql_and_values(
            backend,
            match backend {
                sea_orm::DbBackend::Postgres => {
                    "SELECT seq, event_id, prev_hash, hash FROM audit_chain WHERE seq > $1 ORDER BY seq LIMIT 5000"
                }
                _ => "SELECT seq, event_id, prev_hash, hash FROM audit_chain WHERE seq > ? ORDER BY seq LIMIT 5000",
            },
            [after.into()],
        ))
        .all(db)
        .await?;
        let Some(last) = links.last() else { break };
        after = last.seq;
        let ids: Vec<i64> = links.iter().map(|l| l.event_id).collect();
        let events: std::collections::HashMap<i64, audit_event::Model> =
            audit_event::Entity::find()
                .filter(audit_event::Column::Id.is_in(ids))
                .all(db)
                .await?
                .into_iter()
                .map(|e| (e.id, e))
                .collect();
        for l in &links {
            let fault = if l.seq != expected_seq {
                Some(Fault::LinkMissing { seq: expected_seq })
            } else if l.prev_hash != prev {
                Some(Fault::LinkBroken { seq: l.seq })
            } else {
                match events.get(&l.event_id) {
                    None => Some(Fault::EventDeleted {
                        seq: l.seq,
                        event_id: l.event_id,
                    }),
                    Some(e) if link_hash(l.seq, &l.prev_hash, e) != l.hash => {
                        Some(Fault::EventChanged {
                            seq: l.seq,
                            event_id: l.event_id,
                        })
                    }
                    Some(_) => None,
                }
            };
            if fault.is_some() {
                result.fault = fault;
                break 'pages;
            }
            result.links += 1;
            result.to_seq = l.seq;
            expected_seq = l.seq + 1;
            prev = l.hash.clone();
        }
    }
    if result.fault.is_none() {
        result.fault = check_heads(db, from_day).await?;
    }
    // Events outside the chain: lately recorded ones wait for the sealer; older ones are a
    // fault.
    let head_at = last_sealed_at(db, result.to_seq).await?;
    let outside = audit_event::Entity::find()
        .filter(Expr::cust(
            "NOT EXISTS (SELECT 1 FROM audit_chain c WHERE c.event_id = audit_event.id)",
        ))
        .order_by_asc(audit_event::Column::Id)
        .all(db)
        .await?;
    for e in outside {
        match head_at {
            Some(at) if e.at < at - LATE_COMMIT && result.fault.is_none() => {
                result.fault = Some(Fault::NotInChain { event_id: e.id });
            }
            _ => result.unsealed += 1,
        }
    }
    Ok(result)
}

/// Heads published for `from` and later, oldest first.
async fn heads_from(db: &DatabaseConnection, from: Option<NaiveDate>) -> ApiResult<Vec<DayHead>> {
    let mut q = head_select();
    q.order_by(Alias::new("day"), Order::Asc);
    if let Some(from) = from {
        q.and_where(Expr::col(Alias::new("day")).gte(from));
    }
    Ok(
        DayHead::find_by_statement(db.get_database_backend().build(&q))
            .all(db)
            .await?,
    )
}

/// Each published head (from `from_day` on) against the link it names.
async fn check_heads(
    db: &DatabaseConnection,
    from_day: Option<NaiveDate>,
) -> ApiResult<Option<Fault>> {
    for head in heads_from(db, from_day).await? {
        let mut q = Query::select();
        q.column(Alias::new("hash"))
            .from(Alias::new("audit_chain"))
            .and_where(Expr::col(Alias::new("seq")).eq(head.seq));
        let hash = db
            .query_one_raw(db.get_database_backend().build(&q))
            .await?
            .and_then(|r| r.try_get::<String>("", "hash").ok());
        if hash.as_deref() != Some(head.hash.as_str()) {
            return Ok(Some(Fault::HeadMismatch {
                day: head.day,
                seq: head.seq,
            }));
        }
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(id: i64, details: &str) -> audit_event::Model {
        audit_event::Model {
            id,
            at: DateTime::parse_from_rfc3339("2026-12-05T08:00:00.123456789Z")
                .unwrap()
                .with_timezone(&Utc),
            actor_account_id: Some(7),
            action: "exemption.decided".into(),
            subject_type: "exemption".into(),
            subject_id: "12".into(),
            details: details.into(),
        }
    }

    #[test]
    fn a_link_hash_covers_the_event_its_place_and_the_link_before() {
        let e = event(1, r#"{"reason":"call-up papers"}"#);
        let h = link_hash(1, GENESIS, &e);
        assert_eq!(h.len(), 64);
        assert_eq!(h, link_hash(1, GENESIS, &e), "deterministic");
        assert_ne!(h, link_hash(2, GENESIS, &e), "its place");
        assert_ne!(h, link_hash(1, &h, &e), "the link before");
        assert_ne!(h, link_hash(1, GENESIS, &event(1, r#"{"reason":"none"}"#)));
        assert_ne!(
            h,
            link_hash(1, GENESIS, &event(2, r#"{"reason":"call-up papers"}"#))
        );
    }

    #[test]
    fn days_are_kazakhstan_days() {
        let t = |s: &str| DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc);
        assert_eq!(
            day_of(t("2026-12-04T19:00:00Z")),
            NaiveDate::from_ymd_opt(2026, 12, 5).unwrap()
        );
        assert_eq!(
            day_of(t("2026-12-04T18:59:59Z")),
            NaiveDate::from_ymd_opt(2026, 12, 4).unwrap()
        );
        assert_eq!(
            day_start(NaiveDate::from_ymd_opt(2026, 12, 5).unwrap()),
            t("2026-12-04T19:00:00Z")
        );
    }
}
