//! The delivery worker: started inside `adal serve` and runnable alone as `adal worker`.
//!
//! Claiming is one `UPDATE ... WHERE id IN (SELECT ... FOR UPDATE SKIP LOCKED) RETURNING id` on
//! PostgreSQL, so workers sharing a database never claim the same message; on SQLite the same
//! single statement runs under SQLite's one-writer lock, which serialises claims. A claim is a
//! lease: a worker that dies mid-send leaves messages `sending`, and another worker takes them
//! over when the lease ends, re-sending with the same idempotency key (the gateway recognises
//! it, so nobody gets a second SMS). Failures are retried with exponential backoff and jitter
//! up to `notify_max_attempts`, then the message becomes a dead letter.

use std::collections::HashMap;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, FixedOffset, Timelike, Utc};
use futures_util::StreamExt;
use rand::Rng;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, DbBackend, EntityTrait, QueryFilter,
    Statement,
};

use entities::{notification_message, notification_opt_out, notification_template, person};

use super::campaigns;
use super::channels::{Channels, Outgoing, SendError};
use super::purposes::Purpose;
use super::subjects::{Domains, Subject, Values};
use super::templates;
use super::vocab::{Channel, MessageStatus};
use adal_core::error::{ApiError, ApiResult};
use adal_core::settings::Settings;
use adal_core::vocab::Language;

/// What one pass did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Pass {
    pub claimed: usize,
    pub sent: usize,
    pub retried: usize,
    pub failed: usize,
    pub deferred: usize,
    pub fallbacks: u64,
    /// Items the domains handled on this pass (their `Subjects::on_pass`).
    pub follow_ups: usize,
}

/// The worker's idea of the time: the wall clock, or one a test moves (a lease running out,
/// a fallback delay passing) without waiting for it.
pub type Clock = Arc<dyn Fn() -> DateTime<Utc> + Send + Sync>;

#[derive(Clone)]
pub struct Worker {
    db: DatabaseConnection,
    settings: Arc<Settings>,
    channels: Channels,
    domains: Domains,
    clock: Clock,
    id: String,
}

/// The end of quiet hours after `now`, or `None` when `now` is outside them.
pub fn quiet_until(settings: &Settings, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    let (start, end) = (
        settings.quiet_hours_start % 24,
        settings.quiet_hours_end % 24,
    );
    if start == end {
        return None;
    }
    let offset = FixedOffset::east_opt(settings.quiet_hours_utc_offset * 3600)?;
    let local = now.with_timezone(&offset);
    let h = local.hour();
    let quiet = if start > end {
        h >= start || h < end
    } else {
        h >= start && h < end
    };
    if !quiet {
        return None;
    }
    let mut day = local.date_naive();
    if start > end && h >= start {
        day = day.succ_opt()?;
    }
    let until = day
        .and_hms_opt(end, 0, 0)?
        .and_local_timezone(offset)
        .single()?;
    Some(until.with_timezone(&Utc))
}

/// The delay before attempt `attempts + 1`: base × 2^(attempts − 1), capped, with jitter
/// (a random point between half and all of it).
pub fn backoff(settings: &Settings, attempts: i32) -> chrono::Duration {
    let exp = attempts.clamp(1, 30) - 1;
    let base = settings.notify_backoff_base_secs.max(0) as f64 * 2f64.powi(exp);
    let capped = base.min(settings.notify_backoff_max_secs.max(0) as f64);
    let jittered = capped * rand::rng().random_range(0.5..=1.0);
    chrono::Duration::milliseconds((jittered * 1000.0) as i64)
}

impl Worker {
    pub fn new(
        db: DatabaseConnection,
        settings: Arc<Settings>,
        domains: Domains,
    ) -> anyhow::Result<Self> {
        let channels = Channels::from_settings(&settings)?;
        Ok(Self::with_channels(db, settings, channels, domains))
    }

    pub fn with_channels(
        db: DatabaseConnection,
        settings: Arc<Settings>,
        channels: Channels,
        domains: Domains,
    ) -> Self {
        Self {
            db,
            settings,
            channels,
            domains,
            clock: Arc::new(Utc::now),
            id: format!("w-{}", uuid::Uuid::new_v4().simple()),
        }
    }

    pub fn id(&self) -> &str {
        &self.id
    }

    /// The same worker on another clock.
    pub fn with_clock(mut self, clock: Clock) -> Self {
        self.clock = clock;
        self
    }

    fn now(&self) -> DateTime<Utc> {
        (self.clock)()
    }

    /// Runs passes until `shutdown` completes; an idle worker waits `notify_poll_ms`.
    pub async fn run(self, shutdown: impl Future<Output = ()>) {
        tracing::info!(worker.id = %self.id, "notification worker started");
        tokio::pin!(shutdown);
        loop {
            let busy = match self.run_once().await {
                Ok(p) => p.claimed > 0 || p.fallbacks > 0 || p.follow_ups > 0,
                Err(e) => {
                    tracing::error!(worker.id = %self.id, error = %e.message(), "notification pass failed");
                    if let ApiError::Internal(cause) = &e {
                        tracing::error!(error = format!("{cause:#}"), "cause");
                    }
                    false
                }
            };
            let pause = if busy {
                Duration::ZERO
            } else {
                Duration::from_millis(self.settings.notify_poll_ms.max(10))
            };
            tokio::select! {
                () = &mut shutdown => break,
                () = tokio::time::sleep(pause) => {}
            }
        }
        tracing::info!(worker.id = %self.id, "notification worker stopped");
    }

    /// Starts `run` on the runtime; the returned sender stops it.
    pub fn spawn(
        self,
    ) -> (
        tokio::sync::oneshot::Sender<()>,
        tokio::task::JoinHandle<()>,
    ) {
        let (tx, stop) = adal_core::jobs::stop_signal();
        (tx, tokio::spawn(self.run(stop)))
    }

    /// One pass: campaign fallbacks, a batch of due messages, employment-data requests.
    pub async fn run_once(&self) -> ApiResult<Pass> {
        let mut pass = Pass {
            fallbacks: campaigns::enqueue_fallbacks(&self.db, &self.settings, self.now()).await?,
            ..Pass::default()
        };
        let claimed = self.claim().await?;
        pass.claimed = claimed.len();
        if !claimed.is_empty() {
            let outcomes = self.deliver(claimed).await?;
            for o in outcomes {
                match o {
                    Outcome::Sent => pass.sent += 1,
                    Outcome::Retry => pass.retried += 1,
                    Outcome::Failed => pass.failed += 1,
                    Outcome::Deferred => pass.deferred += 1,
                }
            }
        }
        pass.follow_ups = self.domains.on_pass(&self.db, &self.settings).await?;
        Ok(pass)
    }

    /// Claims up to `notify_batch` due messages of running campaigns (or of none).
    async fn claim(&self) -> ApiResult<Vec<notification_message::Model>> {
        let backend = self.db.get_database_backend();
        let now = self.now();
        let until = now + chrono::Duration::seconds(self.settings.notify_lease_secs.max(1));
        let lock = match backend {
            DbBackend::Postgres => "FOR UPDATE OF m SKIP LOCKED",
            _ => "",
        };
        let (p1, p2, p3, p4) = match backend {
            DbBackend::Postgres => ("$1", "$2", "$3", "$4"),
            _ => ("?", "?", "?", "?"),
        };
        let due = |t: &str, now: &str| {
            format!(
                "(({t}status = 'queued' AND {t}next_attempt_at <= {now}) OR ({t}status = 'sending' AND {t}claimed_until < {now}))"
            )
        };
        // SQLite binds `?` by position: the values are listed in the order they appear.
        let sql = match backend {
            // A locking CTE runs once: `IN (SELECT ... LIMIT n FOR UPDATE SKIP LOCKED)` may be
            // rescanned by the planner and claim more than n rows.
            DbBackend::Postgres => format!(
                "WITH due AS (SELECT m.id FROM notification_message m WHERE {} \
                 AND (m.campaign_id IS NULL OR EXISTS (SELECT 1 FROM notification_campaign c WHERE c.id = m.campaign_id AND c.status = 'running')) \
                 ORDER BY m.next_attempt_at, m.id LIMIT {p4} {lock}) \
                 UPDATE notification_message AS n SET status = 'sending', claimed_by = {p1}, claimed_until = {p2}, attempts = n.attempts + 1 \
                 FROM due WHERE n.id = due.id RETURNING n.id AS id",
                due("m.", p3)
            ),
            _ => format!(
                "UPDATE notification_message SET status = 'sending', claimed_by = ?, claimed_until = ?, attempts = attempts + 1 \
                 WHERE id IN (SELECT m.id FROM notification_message m WHERE {} \
                 AND (m.campaign_id IS NULL OR EXISTS (SELECT 1 FROM notification_campaign c WHERE c.id = m.campaign_id AND c.status = 'running')) \
                 ORDER BY m.next_attempt_at, m.id LIMIT ?) AND {} RETURNING id",
                due("m.", "?"),
                due("", "?")
            ),
        };
        let limit = self.settings.notify_batch.max(1) as i64;
        let values: Vec<sea_orm::Value> = match backend {
            DbBackend::Postgres => vec![
                self.id.clone().into(),
                until.into(),
                now.into(),
                limit.into(),
            ],
            _ => vec![
                self.id.clone().into(),
                until.into(),
                now.into(),
                now.into(),
                limit.into(),
                now.into(),
                now.into(),
            ],
        };
        let rows = self
            .db
            .query_all_raw(Statement::from_sql_and_values(backend, sql, values))
            .await?;
        let mut ids = Vec::with_capacity(rows.len());
        for r in rows {
            ids.push(r.try_get::<i64>("", "id")?);
        }
        tracing::debug!(worker.id = %self.id, claimed = ids.len(), "claim");
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let mut ms = notification_message::Entity::find()
            .filter(notification_message::Column::Id.is_in(ids))
            .all(&self.db)
            .await?;
        ms.sort_by_key(|m| m.id);
        Ok(ms)
    }

    /// The message's subject, with the kind a wired domain claims (else none: its variables
    /// cannot be filled).
    fn subject_of(&self, m: &notification_message::Model) -> Option<Subject> {
        let kind = self.domains.of(m.subject_kind.as_deref()?)?.kind();
        Some(Subject {
            kind,
            id: m.subject_id?,
        })
    }

    /// Sends claimed messages with bounded concurrency.
    async fn deliver(&self, ms: Vec<notification_message::Model>) -> ApiResult<Vec<Outcome>> {
        let person_ids: Vec<i64> = ms.iter().filter_map(|m| m.person_id).collect();
        let persons: HashMap<i64, person::Model> = person::Entity::find()
            .filter(person::Column::Id.is_in(person_ids.clone()))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|p| (p.id, p))
            .collect();
        let subjects: Vec<Subject> = ms.iter().filter_map(|m| self.subject_of(m)).collect();
        let rows = self.domains.values(&self.db, &subjects).await?;
        let template_ids: Vec<i64> = ms.iter().filter_map(|m| m.template_id).collect();
        let tpls: HashMap<i64, notification_template::Model> =
            notification_template::Entity::find()
                .filter(notification_template::Column::Id.is_in(template_ids))
                .all(&self.db)
                .await?
                .into_iter()
                .map(|t| (t.id, t))
                .collect();
        let opted: Vec<(i64, String)> = notification_opt_out::Entity::find()
            .filter(notification_opt_out::Column::PersonId.is_in(person_ids))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|o| (o.person_id, o.purpose))
            .collect();
        let ctx = Arc::new(Batch {
            changes: std::sync::Mutex::new(Vec::new()),
            persons,
            rows,
            tpls,
            opted,
        });
        let outcomes = futures_util::stream::iter(ms.into_iter().map(|m| {
            let ctx = ctx.clone();
            async move { self.deliver_one(&ctx, m).await }
        }))
        .buffer_unordered(self.settings.notify_concurrency.max(1))
        .collect::<Vec<_>>()
        .await;
        let changes = match ctx.changes.lock() {
            Ok(mut g) => std::mem::take(&mut *g),
            Err(p) => std::mem::take(&mut *p.into_inner()),
        };
        self.write(changes).await?;
        outcomes.into_iter().collect()
    }

    async fn deliver_one(&self, b: &Batch, m: notification_message::Model) -> ApiResult<Outcome> {
        let now = self.now();
        let Some(channel) = Channel::from_db(&m.channel) else {
            return self
                .finish(b, &m, Final::Failed("unknown channel".into()))
                .await;
        };
        let person = m.person_id.and_then(|id| b.persons.get(&id));
        if !m.legal
            && let Some(pid) = m.person_id
            && b.opted
                .iter()
                .any(|(p, pur)| *p == pid && *pur == m.purpose)
        {
            return self.finish(b, &m, Final::Suppressed).await;
        }
        if channel.respects_quiet_hours()
            && !Purpose::from_db(&m.purpose).is_some_and(Purpose::any_hour)
            && let Some(until) = quiet_until(&self.settings, now)
        {
            self.defer(b, &m, until).await?;
            return Ok(Outcome::Deferred);
        }
        let recipient = match (&m.recipient, person) {
            (Some(r), _) if !r.is_empty() => Some(r.clone()),
            (_, Some(p)) => match channel {
                Channel::Sms => p.phone.clone(),
                Channel::Email => p.email.clone(),
                Channel::Push | Channel::Post => Some(p.iin.clone()),
            }
            .filter(|s| !s.trim().is_empty()),
            _ => None,
        };
        let Some(recipient) = recipient else {
            return self
                .finish(
                    b,
                    &m,
                    Final::Failed(format!("no {channel} contact for this person")),
                )
                .await;
        };
        let language = Language::from_db_or_default(&m.language);
        let mut vars = match self.subject_of(&m).and_then(|s| b.rows.get(&s)) {
            Some(values) => values.clone(),
            None => {
                let mut v = HashMap::new();
                if let Some(p) = person {
                    v.insert("name", p.first_name.clone());
                    v.insert("full_name", p.full_name());
                }
                v
            }
        };
        vars.insert(
            super::subjects::SHORT_NUMBER.0,
            self.settings.sms_sender.clone(),
        );
        let (subject, body) = match (&m.body, m.template_id.and_then(|t| b.tpls.get(&t))) {
            (Some(body), _) => (m.subject.clone().unwrap_or_default(), body.clone()),
            (None, Some(t)) => {
                let (s, body) = templates::texts(t, language);
                (s.to_owned(), body.to_owned())
            }
            (None, None) => {
                return self
                    .finish(
                        b,
                        &m,
                        Final::Failed("the message has neither a text nor a template".into()),
                    )
                    .await;
            }
        };
        let out = Outgoing {
            idempotency_key: m.idempotency_key.clone(),
            recipient,
            subject: templates::render(&subject, &vars),
            body: templates::render(&body, &vars),
        };
        self.channels.wait_turn(channel).await;
        let started = std::time::Instant::now();
        let result = self.channels.sender(channel).send(&out).await;
        tracing::debug!(
            message.id = m.id,
            channel = channel.as_str(),
            ok = result.is_ok(),
            duration_ms = started.elapsed().as_millis() as u64,
            "message attempt"
        );
        match result {
            Ok(provider_id) => {
                // E-mail has no receipts: the SMTP server's acceptance is the proof.
                let delivered = channel == Channel::Email;
                self.finish(
                    b,
                    &m,
                    Final::Sent {
                        provider_id,
                        recipient: out.recipient,
                        subject: out.subject,
                        body: out.body,
                        delivered,
                    },
                )
                .await
            }
            Err(SendError::NotConfigured) => {
                self.finish(
                    b,
                    &m,
                    Final::Dead(SendError::NotConfigured.describe(channel)),
                )
                .await
            }
            Err(SendError::Permanent(e)) => self.finish(b, &m, Final::Failed(e)).await,
            Err(SendError::Transient(e)) => {
                let max = if m.max_attempts > 0 {
                    m.max_attempts
                } else {
                    self.settings.notify_max_attempts
                };
                if m.attempts >= max {
                    self.finish(
                        b,
                        &m,
                        Final::Dead(format!("{e} (after {} attempts)", m.attempts)),
                    )
                    .await
                } else {
                    let at = self.now() + backoff(&self.settings, m.attempts);
                    self.update(
                        b,
                        &m,
                        vec![
                            (
                                notification_message::Column::Status,
                                MessageStatus::Queued.as_str().into(),
                            ),
                            (notification_message::Column::NextAttemptAt, at.into()),
                            (notification_message::Column::LastError, trunc(&e).into()),
                            (
                                notification_message::Column::ClaimedBy,
                                Option::<String>::None.into(),
                            ),
                        ],
                    )
                    .await?;
                    Ok(Outcome::Retry)
                }
            }
        }
    }

    /// Puts a message back until the end of quiet hours (the attempt does not count).
    async fn defer(
        &self,
        b: &Batch,
        m: &notification_message::Model,
        until: DateTime<Utc>,
    ) -> ApiResult<()> {
        self.update(
            b,
            m,
            vec![
                (
                    notification_message::Column::Status,
                    MessageStatus::Queued.as_str().into(),
                ),
                (notification_message::Column::NextAttemptAt, until.into()),
                (
                    notification_message::Column::Attempts,
                    (m.attempts - 1).max(0).into(),
                ),
                (
                    notification_message::Column::ClaimedBy,
                    Option::<String>::None.into(),
                ),
                (
                    notification_message::Column::LastError,
                    "waiting for the end of quiet hours".into(),
                ),
            ],
        )
        .await
    }

    async fn finish(
        &self,
        b: &Batch,
        m: &notification_message::Model,
        f: Final,
    ) -> ApiResult<Outcome> {
        use notification_message::Column as C;
        let now = self.now();
        let (values, outcome): (Vec<(C, sea_orm::Value)>, Outcome) = match f {
            Final::Sent {
                provider_id,
                recipient,
                subject,
                body,
                delivered,
            } => {
                let mut v = vec![
                    (
                        C::Status,
                        if delivered {
                            MessageStatus::Delivered
                        } else {
                            MessageStatus::Sent
                        }
                        .as_str()
                        .into(),
                    ),
                    (
                        C::ProviderMessageId,
                        Some(trunc_to(&provider_id, 120)).into(),
                    ),
                    (C::SentAt, Some(now).into()),
                    (C::Recipient, Some(trunc_to(&recipient, 320)).into()),
                    (C::Subject, Some(trunc_to(&subject, 200)).into()),
                    (C::Body, Some(body).into()),
                    (C::LastError, Option::<String>::None.into()),
                ];
                if delivered {
                    v.push((C::DeliveredAt, Some(now).into()));
                }
                (v, Outcome::Sent)
            }
            Final::Failed(e) => (
                vec![
                    (C::Status, MessageStatus::Failed.as_str().into()),
                    (C::LastError, Some(trunc(&e)).into()),
                    (C::FailedAt, Some(now).into()),
                ],
                Outcome::Failed,
            ),
            Final::Dead(e) => (
                vec![
                    (C::Status, MessageStatus::Dead.as_str().into()),
                    (C::LastError, Some(trunc(&e)).into()),
                    (C::FailedAt, Some(now).into()),
                ],
                Outcome::Failed,
            ),
            Final::Suppressed => (
                vec![
                    (C::Status, MessageStatus::Suppressed.as_str().into()),
                    (
                        C::LastError,
                        Some("the person opted out of this purpose".to_owned()).into(),
                    ),
                ],
                Outcome::Failed,
            ),
        };
        b.record(m.id, values, outcome == Outcome::Sent);
        Ok(outcome)
    }

    async fn update(
        &self,
        b: &Batch,
        m: &notification_message::Model,
        values: Vec<(notification_message::Column, sea_orm::Value)>,
    ) -> ApiResult<()> {
        b.record(m.id, values, false);
        Ok(())
    }

    /// Writes the results of a pass in one transaction (one commit, not one per message), each
    /// only if this worker still holds the message (`sending`, claimed by it). A crash before
    /// the commit leaves the messages `sending`: they are re-sent with the same idempotency
    /// key when the lease ends.
    async fn write(&self, changes: Vec<Change>) -> ApiResult<()> {
        use notification_message::Column as C;
        if changes.is_empty() {
            return Ok(());
        }
        let txn = adal_core::db::begin_write(&self.db).await?;
        let now = self.now();
        for c in changes {
            let mut q = notification_message::Entity::update_many();
            for (col, v) in c.values {
                q = q.col_expr(col, Expr::value(v));
            }
            let r = q
                .filter(C::Id.eq(c.id))
                .filter(C::Status.eq(MessageStatus::Sending.as_str()))
                .filter(C::ClaimedBy.eq(self.id.clone()))
                .exec(&txn)
                .await?;
            if r.rows_affected == 0 && c.sent {
                // A receipt overtook this update (or another worker took the lease over):
                // keep the newer state, but record that it was sent.
                notification_message::Entity::update_many()
                    .col_expr(C::SentAt, Expr::value(Some(now)))
                    .filter(C::Id.eq(c.id))
                    .filter(C::SentAt.is_null())
                    .exec(&txn)
                    .await?;
            }
        }
        adal_core::generation::bump(&txn, adal_core::generation::NOTIFICATIONS).await?;
        txn.commit().await?;
        Ok(())
    }
}

/// A pending update of one message.
struct Change {
    id: i64,
    values: Vec<(notification_message::Column, sea_orm::Value)>,
    sent: bool,
}

struct Batch {
    changes: std::sync::Mutex<Vec<Change>>,
    persons: HashMap<i64, person::Model>,
    rows: HashMap<Subject, Values>,
    tpls: HashMap<i64, notification_template::Model>,
    opted: Vec<(i64, String)>,
}

impl Batch {
    fn record(
        &self,
        id: i64,
        values: Vec<(notification_message::Column, sea_orm::Value)>,
        sent: bool,
    ) {
        let mut changes = match self.changes.lock() {
            Ok(g) => g,
            Err(p) => p.into_inner(),
        };
        changes.push(Change { id, values, sent });
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Sent,
    Retry,
    Failed,
    Deferred,
}

enum Final {
    Sent {
        provider_id: String,
        recipient: String,
        subject: String,
        body: String,
        delivered: bool,
    },
    Failed(String),
    Dead(String),
    Suppressed,
}

fn trunc(s: &str) -> String {
    trunc_to(s, 500)
}

fn trunc_to(s: &str, n: usize) -> String {
    s.chars().take(n).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(h: u32, m: u32) -> DateTime<Utc> {
        // Local (UTC+5) time h:m on 2026-11-22.
        Utc.with_ymd_and_hms(2026, 11, 22, 0, 0, 0)
            .single()
            .unwrap_or_default()
            + chrono::Duration::hours(i64::from(h) - 5)
            + chrono::Duration::minutes(i64::from(m))
    }

    #[test]
    fn quiet_hours_span_midnight_in_almaty() {
        let s = Settings::default();
        assert_eq!(quiet_until(&s, at(21, 59)), None);
        assert_eq!(quiet_until(&s, at(8, 0)), None);
        assert_eq!(quiet_until(&s, at(22, 0)), Some(at(32, 0)));
        assert_eq!(quiet_until(&s, at(23, 30)), Some(at(32, 0)));
        assert_eq!(quiet_until(&s, at(7, 59)), Some(at(8, 0)));
    }

    #[test]
    fn backoff_grows_and_is_capped() {
        let s = Settings {
            notify_backoff_base_secs: 10,
            notify_backoff_max_secs: 60,
            ..Settings::default()
        };
        for _ in 0..50 {
            let d1 = backoff(&s, 1).num_milliseconds();
            assert!((5_000..=10_000).contains(&d1), "{d1}");
            let d3 = backoff(&s, 3).num_milliseconds();
            assert!((20_000..=40_000).contains(&d3), "{d3}");
            let d9 = backoff(&s, 9).num_milliseconds();
            assert!((30_000..=60_000).contains(&d9), "{d9}");
        }
    }
}
