//! The transactional outbox: a message is written in the same transaction as the decision that
//! causes it (`enqueue` takes the caller's transaction), and workers deliver it later. The
//! idempotency key is unique: enqueuing the same key twice writes one message.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    IntoActiveModel, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};
use serde_json::json;

use entities::{notification_message, notification_opt_out, notification_template, person};

use super::purposes::Purpose;
use super::subjects::Subject;
use super::vocab::{Channel, MessageStatus};
use adal_core::audit;
use adal_core::error::{ApiError, ApiResult};
use adal_core::vocab::Language;

/// A message to write to the outbox.
#[derive(Debug, Clone)]
pub struct NewMessage {
    pub idempotency_key: String,
    pub person_id: Option<i64>,
    /// What the message is about (a graduate, a child), for the template's variables.
    pub about: Option<Subject>,
    pub purpose: Purpose,
    pub channel: Channel,
    pub language: Language,
    /// The template to render when sending (with `body` unset).
    pub template_id: Option<i64>,
    pub subject: Option<String>,
    pub body: Option<String>,
    /// The address, when known at enqueue time (answers to an inbound SMS).
    pub recipient: Option<String>,
    pub not_before: DateTime<Utc>,
    /// Attempts before the dead letter; 0: the worker's `notify_max_attempts`.
    pub max_attempts: i32,
}

/// The row of a message to write.
fn row(m: &NewMessage, suppressed: bool, now: DateTime<Utc>) -> notification_message::ActiveModel {
    notification_message::ActiveModel {
        idempotency_key: Set(m.idempotency_key.clone()),
        person_id: Set(m.person_id),
        subject_kind: Set(m.about.map(|s| s.kind.to_owned())),
        subject_id: Set(m.about.map(|s| s.id)),
        purpose: Set(m.purpose.as_str().into()),
        legal: Set(m.purpose.is_legal()),
        language: Set(m.language.as_str().into()),
        channel: Set(m.channel.as_str().into()),
        recipient: Set(m.recipient.clone()),
        template_id: Set(m.template_id),
        subject: Set(m.subject.clone()),
        body: Set(m.body.clone()),
        status: Set(if suppressed {
            MessageStatus::Suppressed
        } else {
            MessageStatus::Queued
        }
        .as_str()
        .into()),
        attempts: Set(0),
        max_attempts: Set(m.max_attempts.max(0)),
        next_attempt_at: Set(m.not_before),
        last_error: Set(suppressed.then(|| "the person opted out of this purpose".to_owned())),
        queued_at: Set(now),
        step: Set(0),
        ..Default::default()
    }
}

/// Writes a message with the caller's transaction; returns its id (the existing message's id
/// when the key was used before). A person who opted out of an optional purpose gets the
/// message recorded as `suppressed`.
pub async fn enqueue(db: &impl ConnectionTrait, m: NewMessage) -> ApiResult<i64> {
    let suppressed = match (m.purpose.is_legal(), m.person_id) {
        (false, Some(pid)) => {
            notification_opt_out::Entity::find()
                .filter(notification_opt_out::Column::PersonId.eq(pid))
                .filter(notification_opt_out::Column::Purpose.eq(m.purpose.as_str()))
                .count(db)
                .await?
                > 0
        }
        _ => false,
    };
    let am = row(&m, suppressed, Utc::now());
    notification_message::Entity::insert(am)
        .on_conflict(
            OnConflict::column(notification_message::Column::IdempotencyKey)
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    notification_message::Entity::find()
        .filter(notification_message::Column::IdempotencyKey.eq(m.idempotency_key))
        .one(db)
        .await?
        .map(|x| x.id)
        .ok_or_else(|| ApiError::internal(anyhow::anyhow!("enqueued message not found")))
}

/// Writes many messages with the caller's transaction, in a few statements (one look at the
/// opt-outs, one insert per 500 messages): for a domain that tells many people at once (a
/// device's batch of events). A key used before writes nothing; returns how many were new.
pub async fn enqueue_many(db: &impl ConnectionTrait, messages: Vec<NewMessage>) -> ApiResult<u64> {
    if messages.is_empty() {
        return Ok(0);
    }
    let persons: Vec<i64> = messages
        .iter()
        .filter(|m| !m.purpose.is_legal())
        .filter_map(|m| m.person_id)
        .collect();
    let opted: std::collections::HashSet<(i64, String)> = if persons.is_empty() {
        Default::default()
    } else {
        notification_opt_out::Entity::find()
            .filter(notification_opt_out::Column::PersonId.is_in(persons))
            .all(db)
            .await?
            .into_iter()
            .map(|o| (o.person_id, o.purpose))
            .collect()
    };
    let now = Utc::now();
    let mut written = 0;
    for chunk in messages.chunks(500) {
        let rows: Vec<notification_message::ActiveModel> = chunk
            .iter()
            .map(|m| {
                let suppressed = !m.purpose.is_legal()
                    && m.person_id
                        .is_some_and(|p| opted.contains(&(p, m.purpose.as_str().to_owned())));
                row(m, suppressed, now)
            })
            .collect();
        let r = notification_message::Entity::insert_many(rows)
            .on_conflict(
                OnConflict::column(notification_message::Column::IdempotencyKey)
                    .do_nothing()
                    .to_owned(),
            )
            .exec_without_returning(db)
            .await?;
        written += r;
    }
    Ok(written)
}

/// The first channel a person can be reached on for an individual notice: SMS, then e-mail,
/// then eGov push (addressed by IIN).
pub fn preferred_channel(p: &person::Model) -> Channel {
    if p.phone.as_deref().is_some_and(|s| !s.is_empty()) {
        Channel::Sms
    } else if p.email.as_deref().is_some_and(|s| !s.is_empty()) {
        Channel::Email
    } else {
        Channel::Push
    }
}

/// The newest template for a purpose, if the operator has written one.
pub async fn template_for(
    db: &impl ConnectionTrait,
    purpose: Purpose,
) -> ApiResult<Option<notification_template::Model>> {
    Ok(notification_template::Entity::find()
        .filter(notification_template::Column::Purpose.eq(purpose.as_str()))
        .order_by_desc(notification_template::Column::UpdatedAt)
        .one(db)
        .await?)
}

/// The backlog: messages waiting (`queued`) or being sent (`sending`), and how long the
/// oldest due message has waited past its time, in seconds (for `/metrics`).
pub async fn backlog(
    db: &DatabaseConnection,
    now: DateTime<Utc>,
) -> ApiResult<(Vec<(String, i64)>, f64)> {
    let mut counts = Vec::new();
    for s in [MessageStatus::Queued, MessageStatus::Sending] {
        counts.push((s.as_str().to_owned(), count_by_status(db, s).await? as i64));
    }
    let oldest = notification_message::Entity::find()
        .filter(notification_message::Column::Status.eq(MessageStatus::Queued.as_str()))
        .filter(notification_message::Column::NextAttemptAt.lte(now))
        .order_by_asc(notification_message::Column::NextAttemptAt)
        .one(db)
        .await?;
    let lag = oldest.map_or(0.0, |m| {
        (now - m.next_attempt_at).num_milliseconds().max(0) as f64 / 1000.0
    });
    Ok((counts, lag))
}

/// Dead letters (and final failures), newest first.
pub async fn dead_letters(
    db: &DatabaseConnection,
    limit: u64,
) -> ApiResult<Vec<notification_message::Model>> {
    Ok(notification_message::Entity::find()
        .filter(notification_message::Column::Status.eq(MessageStatus::Dead.as_str()))
        .order_by_desc(notification_message::Column::Id)
        .limit(limit.min(1000))
        .all(db)
        .await?)
}

/// The operator's retry of a dead or failed message: queued again now with a fresh set of
/// attempts, the same idempotency key (a gateway that saw it will not send it twice).
pub async fn retry(
    db: &DatabaseConnection,
    actor: i64,
    id: i64,
) -> ApiResult<notification_message::Model> {
    let txn = adal_core::db::begin_write(db).await?;
    let m = notification_message::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or(ApiError::NotFound("message"))?;
    if !matches!(
        MessageStatus::from_db(&m.status),
        Some(MessageStatus::Dead | MessageStatus::Failed)
    ) {
        return Err(ApiError::Conflict(format!(
            "only dead or failed messages are retried; this one is {}",
            m.status
        )));
    }
    let from = m.status.clone();
    let mut am = m.into_active_model();
    am.status = Set(MessageStatus::Queued.as_str().into());
    am.attempts = Set(0);
    am.next_attempt_at = Set(Utc::now());
    am.claimed_by = Set(None);
    am.claimed_until = Set(None);
    am.failed_at = Set(None);
    let m = am.update(&txn).await?;
    audit::record(
        &txn,
        Some(actor),
        "notification.retry",
        "notification_message",
        id,
        json!({ "from": from }),
    )
    .await?;
    txn.commit().await?;
    Ok(m)
}

/// Sets or clears a person's opt-out of an optional purpose.
pub async fn set_opt_out(
    db: &DatabaseConnection,
    person_id: i64,
    purpose: Purpose,
    opt_out: bool,
) -> ApiResult<()> {
    if purpose.is_legal() {
        return Err(ApiError::bad_input(
            "purpose",
            "legal notices cannot be opted out of",
        ));
    }
    let existing = notification_opt_out::Entity::find()
        .filter(notification_opt_out::Column::PersonId.eq(person_id))
        .filter(notification_opt_out::Column::Purpose.eq(purpose.as_str()))
        .one(db)
        .await?;
    match (opt_out, existing) {
        (true, None) => {
            notification_opt_out::ActiveModel {
                person_id: Set(person_id),
                purpose: Set(purpose.as_str().into()),
                created_at: Set(Utc::now()),
                ..Default::default()
            }
            .insert(db)
            .await?;
        }
        (false, Some(x)) => {
            notification_opt_out::Entity::delete_by_id(x.id)
                .exec(db)
                .await?;
        }
        _ => {}
    }
    Ok(())
}

pub async fn opt_outs(db: &DatabaseConnection, person_id: i64) -> ApiResult<Vec<String>> {
    Ok(notification_opt_out::Entity::find()
        .filter(notification_opt_out::Column::PersonId.eq(person_id))
        .all(db)
        .await?
        .into_iter()
        .map(|o| o.purpose)
        .collect())
}

/// Counts messages by status (tests and the CLI).
pub async fn count_by_status(db: &impl ConnectionTrait, status: MessageStatus) -> ApiResult<u64> {
    Ok(notification_message::Entity::find()
        .filter(notification_message::Column::Status.eq(status.as_str()))
        .count(db)
        .await?)
}
