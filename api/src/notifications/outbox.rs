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

use entities::{
    graduate, notification_message, notification_opt_out, notification_template, person,
};

use super::vocab::{Channel, MessageStatus, NotificationPurpose};
use crate::audit;
use crate::error::{ApiError, ApiResult};
use crate::vocab::Language;

/// A message to write to the outbox.
#[derive(Debug, Clone)]
pub struct NewMessage {
    pub idempotency_key: String,
    pub person_id: Option<i64>,
    pub graduate_id: Option<i64>,
    pub purpose: NotificationPurpose,
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
    let now = Utc::now();
    let am = notification_message::ActiveModel {
        idempotency_key: Set(m.idempotency_key.clone()),
        person_id: Set(m.person_id),
        graduate_id: Set(m.graduate_id),
        purpose: Set(m.purpose.as_str().into()),
        legal: Set(m.purpose.is_legal()),
        language: Set(m.language.as_str().into()),
        channel: Set(m.channel.as_str().into()),
        recipient: Set(m.recipient),
        template_id: Set(m.template_id),
        subject: Set(m.subject),
        body: Set(m.body),
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
    };
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
    purpose: NotificationPurpose,
) -> ApiResult<Option<notification_template::Model>> {
    Ok(notification_template::Entity::find()
        .filter(notification_template::Column::Purpose.eq(purpose.as_str()))
        .order_by_desc(notification_template::Column::UpdatedAt)
        .one(db)
        .await?)
}

/// Built-in texts for notices the system sends when no template exists for their purpose.
pub fn default_text(purpose: NotificationPurpose, lang: Language) -> (&'static str, &'static str) {
    use NotificationPurpose as P;
    match purpose {
        P::ClaimNotice => (
            lang.pick("Өтемақы талабы", "Требование о возмещении", "Reimbursement claim"),
            lang.pick(
                "{name}, мемлекеттік грант бойынша міндеттеме орындалмағандықтан өтемақы талабы жасалды. Толығырақ: eGov, Adal.",
                "{name}, в связи с неисполнением обязательства по государственному гранту составлено требование о возмещении. Подробнее: eGov, Adal.",
                "{name}, a reimbursement claim was drafted because the state-grant work-off obligation was not met. Details: eGov, Adal.",
            ),
        ),
        P::BreachNotice => (
            lang.pick("Міндеттемені бұзу", "Нарушение обязательства", "Obligation breach"),
            lang.pick(
                "{name}, грант бойынша {remaining_months} ай өтелмеген. Құжаттарды Adal порталына жіберіңіз, әйтпесе өтемақы талабы жасалады.",
                "{name}, по гранту не отработано {remaining_months} мес. Направьте документы в портал Adal, иначе будет составлено требование о возмещении.",
                "{name}, {remaining_months} months of your grant are not worked off. Send documents via Adal, or a reimbursement claim will be drafted.",
            ),
        ),
        P::ConsentRequest => (
            lang.pick("Келісім", "Согласие", "Consent"),
            lang.pick(
                "Adal: зейнетақы жарналары туралы деректерді сұратуға келісесіз бе? 15 минут ішінде 511 (иә) немесе 512 (жоқ) деп жауап беріңіз.",
                "Adal: согласны на запрос сведений о пенсионных взносах? Ответьте 511 (да) или 512 (нет) в течение 15 минут.",
                "Adal: do you consent to a request for your pension-contribution data? Reply 511 (yes) or 512 (no) within 15 minutes.",
            ),
        ),
        P::ConsentAnswer => (
            lang.pick("Жауап", "Ответ", "Answer"),
            lang.pick(
                "Adal: жауап танылмады. Келісу үшін 511, бас тарту үшін 512 деп жіберіңіз.",
                "Adal: ответ не распознан. Отправьте 511 для согласия или 512 для отказа.",
                "Adal: reply not recognised. Send 511 to consent or 512 to refuse.",
            ),
        ),
        P::ObligationNotice | P::Reminder | P::Information => (
            lang.pick("Міндеттеме", "Обязательство", "Obligation"),
            lang.pick(
                "{name}, мемлекеттік грант бойынша {required_months} ай жұмыс істеу міндеттемеңіз бар, өтелгені {credited_months} ай.",
                "{name}, у вас обязательство отработать {required_months} мес. по государственному гранту, отработано {credited_months} мес.",
                "{name}, you must work off {required_months} months for your state grant; {credited_months} are credited.",
            ),
        ),
    }
}

/// Enqueues a notice to a graduate with the caller's transaction: the purpose's template (or
/// the built-in text), the person's language, their preferred channel.
pub async fn notify_graduate(
    db: &impl ConnectionTrait,
    graduate_id: i64,
    purpose: NotificationPurpose,
    key: String,
    max_attempts: i32,
) -> ApiResult<i64> {
    let g = graduate::Entity::find_by_id(graduate_id)
        .one(db)
        .await?
        .ok_or(ApiError::NotFound("graduate"))?;
    let p = person::Entity::find_by_id(g.person_id)
        .one(db)
        .await?
        .ok_or(ApiError::NotFound("person"))?;
    let language = Language::from_db_or_default(&p.language);
    let template = template_for(db, purpose).await?;
    let (subject, body) = match &template {
        Some(_) => (None, None),
        None => {
            let (s, b) = default_text(purpose, language);
            (Some(s.to_owned()), Some(b.to_owned()))
        }
    };
    enqueue(
        db,
        NewMessage {
            idempotency_key: key,
            person_id: Some(p.id),
            graduate_id: Some(g.id),
            purpose,
            channel: preferred_channel(&p),
            language,
            template_id: template.map(|t| t.id),
            subject,
            body,
            recipient: None,
            not_before: Utc::now(),
            max_attempts,
        },
    )
    .await
}

/// Proof of notice: a claim is raised only after an obligation or breach notice reached the
/// graduate (a delivered message).
pub async fn require_delivered_notice(
    db: &impl ConnectionTrait,
    graduate_id: i64,
) -> ApiResult<()> {
    let purposes: Vec<&str> = NotificationPurpose::ALL
        .iter()
        .filter(|p| p.proves_notice())
        .map(|p| p.as_str())
        .collect();
    let n = notification_message::Entity::find()
        .filter(notification_message::Column::GraduateId.eq(graduate_id))
        .filter(notification_message::Column::Purpose.is_in(purposes))
        .filter(notification_message::Column::Status.eq(MessageStatus::Delivered.as_str()))
        .count(db)
        .await?;
    if n == 0 {
        return Err(ApiError::ConflictBecause {
            reason: "NO_DELIVERED_NOTICE",
            message: "a claim needs proof of notice: no obligation or breach notice has been delivered to this graduate yet".into(),
        });
    }
    Ok(())
}

/// An individual notice sent by the operator.
pub async fn send_notice(
    db: &DatabaseConnection,
    actor: i64,
    graduate_id: i64,
    purpose: NotificationPurpose,
    max_attempts: i32,
) -> ApiResult<notification_message::Model> {
    if matches!(
        purpose,
        NotificationPurpose::ConsentRequest | NotificationPurpose::ConsentAnswer
    ) {
        return Err(ApiError::bad_input(
            "purpose",
            "consent requests are sent with requestConsent",
        ));
    }
    let txn = crate::db::begin_write(db).await?;
    let key = format!(
        "notice:{graduate_id}:{}:{}",
        purpose.as_str(),
        uuid::Uuid::new_v4().simple()
    );
    let id = notify_graduate(&txn, graduate_id, purpose, key, max_attempts).await?;
    audit::record(
        &txn,
        Some(actor),
        "notification.notice",
        "notification_message",
        id,
        json!({ "graduateId": graduate_id, "purpose": purpose }),
    )
    .await?;
    let m = notification_message::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or(ApiError::NotFound("message"))?;
    txn.commit().await?;
    Ok(m)
}

/// Every message to a graduate's person (or about the graduate), newest first.
pub async fn messages_of_graduate(
    db: &impl ConnectionTrait,
    graduate_id: i64,
    person_id: i64,
) -> ApiResult<Vec<notification_message::Model>> {
    Ok(notification_message::Entity::find()
        .filter(
            sea_orm::Condition::any()
                .add(notification_message::Column::GraduateId.eq(graduate_id))
                .add(
                    sea_orm::Condition::all()
                        .add(notification_message::Column::PersonId.eq(person_id))
                        .add(notification_message::Column::GraduateId.is_null()),
                ),
        )
        .order_by_desc(notification_message::Column::Id)
        .limit(500)
        .all(db)
        .await?)
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
    let txn = crate::db::begin_write(db).await?;
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
    purpose: NotificationPurpose,
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
