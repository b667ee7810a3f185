//! The 511/512 consent flow. The operator (or a campaign) sends a consent request by SMS; the
//! graduate replies through the SMS provider's inbound webhook. A reply is matched to the
//! open request for the phone, and counts only between the request's sending and
//! `consent_window_secs` (15 minutes) after it; a later one is recorded as late. When several
//! persons' requests are open on one phone (siblings on a parent's phone), a bare 511 counts
//! for nobody: the answer names each person and the reply must add the last four digits of
//! the person's IIN. An unknown or malformed reply gets an answer SMS. The gateway's message id
//! is required, and a delivery seen before is recorded once.
//! Consent opens an employment-data request to the ministry's interface, whose answer is
//! ingested as a contribution feed; refusal opens an upload task for the graduate.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DbBackend, EntityTrait,
    IntoActiveModel, QueryFilter, QueryOrder, QuerySelect, Set, Statement,
};
use serde::Deserialize;
use serde_json::json;

use entities::{
    consent_request, graduate, graduate_task, inbound_sms, notification_message, person,
};

use adal_notifications::outbox::{self, NewMessage};
use adal_notifications::purposes::Purpose;
use adal_notifications::vocab::Channel;

use crate::notices::{CONSENT_ANSWER, CONSENT_REQUEST};

use crate::vocab::{
    ConsentStatus, EmploymentRequestStatus, ReplyOutcome, TASK_UPLOAD_EMPLOYMENT_DOCUMENTS,
    TaskStatus,
};
use actix_web::{HttpRequest, HttpResponse, web};
use adal_core::audit;
use adal_core::error::{ApiError, ApiResult};
use adal_core::identifiers::Phone;
use adal_core::settings::Settings;
use adal_core::state::AppState;
use adal_core::vocab::Language;
use adal_notifications::webhooks;

/// Sends a consent request to one graduate (SMS only: the answer comes by SMS).
pub async fn request(
    db: &DatabaseConnection,
    settings: &Settings,
    actor: i64,
    graduate_id: i64,
) -> ApiResult<consent_request::Model> {
    let txn = adal_core::db::begin_write(db).await?;
    let g = graduate::Entity::find_by_id(graduate_id)
        .one(&txn)
        .await?
        .ok_or(ApiError::NotFound("graduate"))?;
    let p = person::Entity::find_by_id(g.person_id)
        .one(&txn)
        .await?
        .ok_or(ApiError::NotFound("person"))?;
    let Some(phone) = p.phone.clone().filter(|s| !s.is_empty()) else {
        return Err(ApiError::bad_input(
            "graduateId",
            "the graduate has no phone number: a 511/512 request needs one",
        ));
    };
    let now = Utc::now();
    let req = consent_request::ActiveModel {
        person_id: Set(p.id),
        graduate_id: Set(g.id),
        message_id: Set(None),
        phone: Set(phone),
        status: Set(ConsentStatus::Open.as_str().into()),
        created_at: Set(now),
        answered_at: Set(None),
        inbound_id: Set(None),
        employment_status: Set(None),
        employment_attempts: Set(0),
        employment_next_at: Set(None),
        employment_batch_id: Set(None),
        employment_error: Set(None),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let language = Language::from_db_or_default(&p.language);
    let template = outbox::template_for(&txn, Purpose::of(&CONSENT_REQUEST)).await?;
    let (subject, body) = match &template {
        Some(_) => (None, None),
        None => {
            let (s, b) = crate::notices::default_text(Purpose::of(&CONSENT_REQUEST), language);
            (Some(s.to_owned()), Some(b.to_owned()))
        }
    };
    let mid = outbox::enqueue(
        &txn,
        NewMessage {
            idempotency_key: format!("consent:{}", req.id),
            person_id: Some(p.id),
            about: Some(crate::notices::about(g.id)),
            purpose: Purpose::of(&CONSENT_REQUEST),
            channel: Channel::Sms,
            language,
            template_id: template.map(|t| t.id),
            subject,
            body,
            recipient: None,
            not_before: now,
            max_attempts: settings.notify_max_attempts,
        },
    )
    .await?;
    let mut am = req.into_active_model();
    am.message_id = Set(Some(mid));
    let req = am.update(&txn).await?;
    audit::record(
        &txn,
        Some(actor),
        "consent.request",
        "consent_request",
        req.id,
        json!({ "graduateId": graduate_id }),
    )
    .await?;
    txn.commit().await?;
    Ok(req)
}

/// Opens a consent request for every queued message of a consent campaign (set-based).
pub async fn open_for_campaign(
    db: &impl ConnectionTrait,
    campaign_id: i64,
    now: DateTime<Utc>,
) -> ApiResult<u64> {
    let backend = db.get_database_backend();
    let p = if backend == DbBackend::Postgres {
        "$1"
    } else {
        "?"
    };
    let r = db
        .execute_raw(Statement::from_sql_and_values(
            backend,
            format!(
                "INSERT INTO consent_request (person_id, graduate_id, message_id, phone, status, created_at, employment_attempts) \
                 SELECT m.person_id, m.subject_id, m.id, p.phone, 'open', {p}, 0 FROM notification_message m \
                 JOIN person p ON p.id = m.person_id \
                 WHERE m.campaign_id = {campaign_id} AND m.status = 'queued' AND p.phone IS NOT NULL AND p.phone <> ''"
            ),
            [now.into()],
        ))
        .await?;
    Ok(r.rows_affected())
}

/// An SMS received on the short number.
#[derive(Debug, Clone, Deserialize)]
pub struct Inbound {
    /// The provider's id of the inbound message (required: repeated deliveries are recognised
    /// by it).
    pub id: Option<String>,
    pub from: String,
    pub text: String,
    pub received_at: Option<DateTime<Utc>>,
}

fn answer_text(outcome: ReplyOutcome, lang: Language) -> &'static str {
    match outcome {
        ReplyOutcome::Consent => lang.pick(
            "Adal: келісіміңіз қабылданды. Рақмет!",
            "Adal: ваше согласие принято. Спасибо!",
            "Adal: your consent is recorded. Thank you!",
        ),
        ReplyOutcome::Refusal => lang.pick(
            "Adal: бас тартуыңыз тіркелді. Еңбек шартын немесе анықтаманы Adal порталындағы тапсырмаға жүктеңіз.",
            "Adal: отказ записан. Загрузите трудовой договор или справку с места работы в задаче на портале Adal.",
            "Adal: refusal recorded. Upload your employment contract or an employer's certificate to the task on the Adal portal.",
        ),
        ReplyOutcome::Late => lang.pick(
            "Adal: жауап 15 минуттан кейін келді және есептелмеді. Оператор жаңа сұрау жібереді.",
            "Adal: ответ пришёл позже 15 минут и не учтён. Оператор отправит новый запрос.",
            "Adal: your reply came after 15 minutes and was not counted. The operator will send a new request.",
        ),
        ReplyOutcome::Malformed => lang.pick(
            "Adal: жауап танылмады. Келісу үшін 511, бас тарту үшін 512 деп жіберіңіз.",
            "Adal: ответ не распознан. Отправьте 511 для согласия или 512 для отказа.",
            "Adal: reply not recognised. Send 511 to consent or 512 to refuse.",
        ),
        ReplyOutcome::Ambiguous => lang.pick(
            "Adal: бұл нөмірге бірнеше адамға сұрау ашық. Жауапқа ЖСН-ның соңғы 4 цифрын қосыңыз.",
            "Adal: на этот номер открыто несколько запросов. Добавьте к ответу последние 4 цифры ИИН.",
            "Adal: several requests are open on this number. Add the last 4 digits of the IIN to your reply.",
        ),
        ReplyOutcome::Unmatched => lang.pick(
            "Adal: сізге ашық сұрау жоқ. Сұрақтар бойынша: eGov, Adal.",
            "Adal: для вас нет открытого запроса. По вопросам: eGov, Adal.",
            "Adal: there is no open request for you. Questions: eGov, Adal.",
        ),
    }
}

/// A reply as written: `511` or `512`, optionally followed by the last four digits of the IIN
/// of the person it answers for (`511 1234`), which a number with several open requests needs.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Reply {
    Consent(Option<String>),
    Refusal(Option<String>),
    Other,
}

impl Reply {
    fn parse(text: &str) -> Self {
        let answer: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        let n = answer.len().min(3);
        if !answer.is_char_boundary(n) {
            return Reply::Other;
        }
        let (code, rest) = answer.split_at(n);
        let person = match rest {
            "" => None,
            r if r.len() == 4 && r.bytes().all(|b| b.is_ascii_digit()) => Some(r.to_owned()),
            _ => return Reply::Other,
        };
        match code {
            "511" => Reply::Consent(person),
            "512" => Reply::Refusal(person),
            _ => Reply::Other,
        }
    }

    fn person(&self) -> Option<&str> {
        match self {
            Reply::Consent(p) | Reply::Refusal(p) => p.as_deref(),
            Reply::Other => None,
        }
    }
}

/// The open request a reply answers: the only one for the number, or the one whose person's
/// IIN ends in the digits the reply names. When several are open and the reply names none of
/// them, no request and the persons to name in the question back.
async fn match_request(
    db: &impl ConnectionTrait,
    open: Vec<consent_request::Model>,
    reply: &Reply,
) -> ApiResult<(Option<consent_request::Model>, Vec<person::Model>)> {
    let persons = |ids: Vec<i64>| async move {
        person::Entity::find()
            .filter(person::Column::Id.is_in(ids))
            .order_by_asc(person::Column::Id)
            .all(db)
            .await
    };
    let mut distinct: Vec<i64> = open.iter().map(|r| r.person_id).collect();
    distinct.sort_unstable();
    distinct.dedup();
    match reply.person() {
        Some(digits) => {
            let named: Vec<i64> = persons(distinct)
                .await?
                .into_iter()
                .filter(|p| p.iin.ends_with(digits))
                .map(|p| p.id)
                .collect();
            let found = match named.as_slice() {
                [one] => open.into_iter().find(|r| r.person_id == *one),
                _ => None,
            };
            Ok((found, Vec::new()))
        }
        None if distinct.len() > 1 => Ok((None, persons(distinct).await?)),
        None => Ok((open.into_iter().next(), Vec::new())),
    }
}

/// The question back to a number with requests open for several persons: each named, with the
/// digits to add to the reply.
fn ask_again_naming(persons: &[person::Model], lang: Language) -> String {
    let named: Vec<String> = persons
        .iter()
        .map(|p| {
            let initial = p
                .first_name
                .chars()
                .next()
                .map(|c| format!(" {c}."))
                .unwrap_or_default();
            let digits = &p.iin[p.iin.len().saturating_sub(4)..];
            format!("{}{initial} {digits}", p.last_name)
        })
        .collect();
    let list = named.join(", ");
    let example = persons
        .first()
        .map(|p| p.iin[p.iin.len().saturating_sub(4)..].to_owned())
        .unwrap_or_default();
    match lang {
        Language::Kk => format!(
            "Adal: бұл нөмірге бірнеше адамға сұрау ашық: {list}. Жауапқа адамның цифрларын қосыңыз, мысалы: 511 {example}."
        ),
        Language::Ru => format!(
            "Adal: на этот номер открыты запросы для нескольких человек: {list}. Добавьте к ответу цифры человека, например: 511 {example}."
        ),
        Language::En => format!(
            "Adal: requests are open for several persons on this number: {list}. Add the person's digits to your reply, e.g. 511 {example}."
        ),
    }
}

/// Records an inbound SMS and acts on it; returns the recorded row.
pub async fn receive(
    db: &DatabaseConnection,
    settings: &Settings,
    msg: Inbound,
) -> ApiResult<inbound_sms::Model> {
    let txn = adal_core::db::begin_write(db).await?;
    if let Some(pid) = &msg.id
        && let Some(seen) = inbound_sms::Entity::find()
            .filter(inbound_sms::Column::ProviderId.eq(pid.clone()))
            .one(&txn)
            .await?
    {
        return Ok(seen);
    }
    let phone = Phone::parse(&msg.from)
        .map(|p| p.as_str().to_owned())
        .unwrap_or_else(|_| msg.from.chars().take(32).collect());
    let received = msg.received_at.unwrap_or_else(Utc::now);
    let text: String = msg.text.chars().take(500).collect();
    let open = consent_request::Entity::find()
        .filter(consent_request::Column::Phone.eq(phone.clone()))
        .filter(consent_request::Column::Status.eq(ConsentStatus::Open.as_str()))
        .order_by_desc(consent_request::Column::Id)
        .all(&txn)
        .await?;
    let reply = Reply::parse(&text);
    let (req, ambiguous) = match_request(&txn, open, &reply).await?;
    let sent_at = match &req {
        Some(r) => match r.message_id {
            // The window runs from when the request left, not from when it was queued: a
            // request not sent yet has no reply.
            Some(mid) => notification_message::Entity::find_by_id(mid)
                .one(&txn)
                .await?
                .and_then(|m| m.sent_at),
            None => Some(r.created_at),
        },
        None => None,
    };
    let outcome = match (&req, sent_at) {
        _ if !ambiguous.is_empty() => ReplyOutcome::Ambiguous,
        (None, _) | (_, None) => ReplyOutcome::Unmatched,
        // Dated before the request was sent: it cannot answer it.
        (Some(_), Some(at)) if received < at => ReplyOutcome::Unmatched,
        (Some(_), Some(at))
            if received > at + chrono::Duration::seconds(settings.consent_window_secs) =>
        {
            ReplyOutcome::Late
        }
        _ => match reply {
            Reply::Consent(_) => ReplyOutcome::Consent,
            Reply::Refusal(_) => ReplyOutcome::Refusal,
            Reply::Other => ReplyOutcome::Malformed,
        },
    };
    let person_id = match &req {
        Some(r) => Some(r.person_id),
        None if !ambiguous.is_empty() => None,
        None => person::Entity::find()
            .filter(person::Column::Phone.eq(phone.clone()))
            .order_by_asc(person::Column::Id)
            .one(&txn)
            .await?
            .map(|p| p.id),
    };
    let inbound = inbound_sms::ActiveModel {
        provider_id: Set(msg.id.clone().map(|s| s.chars().take(120).collect())),
        phone: Set(phone.clone()),
        text: Set(text),
        received_at: Set(received),
        person_id: Set(person_id),
        consent_request_id: Set(req.as_ref().map(|r| r.id)),
        outcome: Set(outcome.as_str().into()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let graduate_id = req.as_ref().map(|r| r.graduate_id);
    if let Some(r) = req {
        let counted = matches!(outcome, ReplyOutcome::Consent | ReplyOutcome::Refusal);
        if let Some(mid) = r.message_id
            && outcome != ReplyOutcome::Unmatched
        {
            notification_message::Entity::update_many()
                .col_expr(
                    notification_message::Column::RepliedAt,
                    Expr::value(Some(received)),
                )
                .filter(notification_message::Column::Id.eq(mid))
                .filter(notification_message::Column::RepliedAt.is_null())
                .exec(&txn)
                .await?;
        }
        let now = Utc::now();
        let mut am = r.clone().into_active_model();
        match outcome {
            ReplyOutcome::Consent => {
                am.status = Set(ConsentStatus::Consented.as_str().into());
                am.employment_status = Set(Some(EmploymentRequestStatus::Pending.as_str().into()));
                am.employment_next_at = Set(Some(now));
            }
            ReplyOutcome::Refusal => {
                am.status = Set(ConsentStatus::Refused.as_str().into());
                graduate_task::ActiveModel {
                    graduate_id: Set(r.graduate_id),
                    person_id: Set(r.person_id),
                    kind: Set(TASK_UPLOAD_EMPLOYMENT_DOCUMENTS.into()),
                    status: Set(TaskStatus::Open.as_str().into()),
                    consent_request_id: Set(Some(r.id)),
                    note: Set(String::new()),
                    review_note: Set(String::new()),
                    created_at: Set(now),
                    ..Default::default()
                }
                .insert(&txn)
                .await?;
            }
            ReplyOutcome::Late => am.status = Set(ConsentStatus::Expired.as_str().into()),
            ReplyOutcome::Malformed | ReplyOutcome::Unmatched | ReplyOutcome::Ambiguous => {}
        }
        if counted {
            am.answered_at = Set(Some(received));
            am.inbound_id = Set(Some(inbound.id));
        }
        am.update(&txn).await?;
    }
    // Every reply from a known person gets an answer; unknown numbers get none. A number with
    // requests open for several persons (siblings on a parent's phone) is asked again, each
    // person named, and nobody's consent is taken from the bare reply.
    let answered = person_id.or_else(|| ambiguous.first().map(|p| p.id));
    if let Some(pid) = answered {
        let lang = person::Entity::find_by_id(pid)
            .one(&txn)
            .await?
            .map(|p| Language::from_db_or_default(&p.language))
            .unwrap_or(Language::Ru);
        let body = if ambiguous.is_empty() {
            answer_text(outcome, lang).to_owned()
        } else {
            ask_again_naming(&ambiguous, lang)
        };
        outbox::enqueue(
            &txn,
            NewMessage {
                idempotency_key: format!("reply:{}", inbound.id),
                person_id: Some(pid),
                about: graduate_id.map(crate::notices::about),
                purpose: Purpose::of(&CONSENT_ANSWER),
                channel: Channel::Sms,
                language: lang,
                template_id: None,
                subject: None,
                body: Some(body),
                recipient: Some(phone),
                not_before: Utc::now(),
                max_attempts: settings.notify_max_attempts,
            },
        )
        .await?;
    }
    txn.commit().await?;
    tracing::info!(
        inbound.id = inbound.id,
        outcome = outcome.as_str(),
        "inbound SMS recorded"
    );
    Ok(inbound)
}

/// A row of the ministry's answer (the columns of a contribution feed).
#[derive(Debug, Clone, Deserialize)]
pub struct EmploymentRow {
    pub employer_id: String,
    #[serde(default)]
    pub employer_name: Option<String>,
    #[serde(default)]
    pub employer_address: Option<String>,
    /// `YYYY-MM`.
    pub period: String,
    #[serde(default)]
    pub payment_date: Option<String>,
    #[serde(default)]
    pub amount_kzt: Option<String>,
    pub payment_code: String,
}

#[derive(Debug, Deserialize)]
struct MinistryAnswer {
    rows: Vec<EmploymentRow>,
}

/// Sends due employment-data requests to the ministry and ingests the answers as contribution
/// feeds (through the same importer). Returns how many requests were handled.
pub async fn process_employment_requests(
    db: &DatabaseConnection,
    settings: &Settings,
) -> ApiResult<usize> {
    let now = Utc::now();
    let due = consent_request::Entity::find()
        .filter(
            consent_request::Column::EmploymentStatus.eq(EmploymentRequestStatus::Pending.as_str()),
        )
        .filter(consent_request::Column::EmploymentNextAt.lte(now))
        .order_by_asc(consent_request::Column::Id)
        .limit(20)
        .all(db)
        .await?;
    let mut handled = 0;
    for r in due {
        // Claim: move the next attempt forward only if nobody else did.
        let lease = now + chrono::Duration::seconds(settings.notify_lease_secs.max(1));
        let claimed = consent_request::Entity::update_many()
            .col_expr(
                consent_request::Column::EmploymentNextAt,
                Expr::value(Some(lease)),
            )
            .col_expr(
                consent_request::Column::EmploymentAttempts,
                Expr::value(r.employment_attempts + 1),
            )
            .filter(consent_request::Column::Id.eq(r.id))
            .filter(consent_request::Column::EmploymentAttempts.eq(r.employment_attempts))
            .filter(
                consent_request::Column::EmploymentStatus
                    .eq(EmploymentRequestStatus::Pending.as_str()),
            )
            .exec(db)
            .await?;
        if claimed.rows_affected != 1 {
            continue;
        }
        handled += 1;
        let attempts = r.employment_attempts + 1;
        let result = fetch_and_ingest(db, settings, &r).await;
        let mut am = consent_request::Entity::find_by_id(r.id)
            .one(db)
            .await?
            .ok_or(ApiError::NotFound("consent request"))?
            .into_active_model();
        match result {
            Ok(batch_id) => {
                am.employment_status = Set(Some(EmploymentRequestStatus::Ingested.as_str().into()));
                am.employment_batch_id = Set(batch_id);
                am.employment_error = Set(None);
            }
            Err(Fetch::Final(e)) => {
                am.employment_status = Set(Some(EmploymentRequestStatus::Failed.as_str().into()));
                am.employment_error = Set(Some(e.chars().take(500).collect()));
            }
            Err(Fetch::Retry(e)) if attempts >= settings.notify_max_attempts => {
                am.employment_status = Set(Some(EmploymentRequestStatus::Failed.as_str().into()));
                am.employment_error = Set(Some(
                    format!("{e} (after {attempts} attempts)")
                        .chars()
                        .take(500)
                        .collect(),
                ));
            }
            Err(Fetch::Retry(e)) => {
                am.employment_next_at = Set(Some(
                    Utc::now() + adal_notifications::worker::backoff(settings, attempts),
                ));
                am.employment_error = Set(Some(e.chars().take(500).collect()));
            }
        }
        am.update(db).await?;
    }
    Ok(handled)
}

enum Fetch {
    Retry(String),
    Final(String),
}

async fn fetch_and_ingest(
    db: &DatabaseConnection,
    settings: &Settings,
    r: &consent_request::Model,
) -> Result<Option<i64>, Fetch> {
    let Some(url) = settings
        .ministry_url
        .clone()
        .filter(|u| !u.trim().is_empty())
    else {
        return Err(Fetch::Final("ministry interface not configured".into()));
    };
    let iin = person::Entity::find_by_id(r.person_id)
        .one(db)
        .await
        .map_err(|e| Fetch::Retry(e.to_string()))?
        .map(|p| p.iin)
        .ok_or_else(|| Fetch::Final("person not found".into()))?;
    let client = adal_notifications::http::HttpClient::new(std::time::Duration::from_millis(
        settings.notify_timeout_ms,
    ))
    .map_err(|e| Fetch::Final(e.to_string()))?;
    let key = format!("employment:{}", r.id);
    let auth = settings
        .ministry_token
        .as_ref()
        .map(|t| format!("Bearer {}", t.expose()));
    let mut headers = vec![("Idempotency-Key", key.as_str())];
    if let Some(a) = &auth {
        headers.push(("Authorization", a.as_str()));
    }
    let resp = client
        .post_json(
            &url,
            &headers,
            &json!({ "iin": iin, "consentRequestId": r.id, "consentedAt": r.answered_at }),
        )
        .await
        .map_err(|e| Fetch::Retry(e.to_string()))?;
    if !(200..300).contains(&resp.status) {
        let e = format!("ministry answered {}", resp.status);
        return Err(if resp.status >= 500 || resp.status == 429 {
            Fetch::Retry(e)
        } else {
            Fetch::Final(e)
        });
    }
    let answer: MinistryAnswer = serde_json::from_slice(&resp.body)
        .map_err(|e| Fetch::Final(format!("unreadable ministry answer: {e}")))?;
    if answer.rows.is_empty() {
        return Ok(None);
    }
    // The answer goes through the contribution importer, as any feed does.
    let dir = tempfile::tempdir().map_err(|e| Fetch::Retry(e.to_string()))?;
    let path = dir.path().join(format!("ministry-consent-{}.csv", r.id));
    let write = || -> anyhow::Result<()> {
        let mut w = csv::Writer::from_path(&path)?;
        w.write_record(crate::import::ImportKind::Contributions.columns())?;
        for row in &answer.rows {
            w.write_record([
                iin.as_str(),
                row.employer_id.as_str(),
                row.employer_name.as_deref().unwrap_or(""),
                row.employer_address.as_deref().unwrap_or(""),
                row.period.as_str(),
                row.payment_date.as_deref().unwrap_or(""),
                row.amount_kzt.as_deref().unwrap_or(""),
                row.payment_code.as_str(),
            ])?;
        }
        w.flush()?;
        Ok(())
    };
    write().map_err(|e| Fetch::Retry(e.to_string()))?;
    let report = crate::import::import_person_answer(db, &path)
        .await
        .map_err(|e| Fetch::Retry(e.message()))?;
    Ok(Some(report.id))
}

/// A graduate's consent requests, newest first.
pub async fn of_graduate(
    db: &DatabaseConnection,
    graduate_id: i64,
) -> ApiResult<Vec<consent_request::Model>> {
    Ok(consent_request::Entity::find()
        .filter(consent_request::Column::GraduateId.eq(graduate_id))
        .order_by_desc(consent_request::Column::Id)
        .all(db)
        .await?)
}

/// `POST /webhooks/sms/inbound`: an SMS to the short number
/// `{"id": "...", "from": "+7...", "text": "511", "received_at": "RFC 3339"}`, signed as the
/// SMS gateway's receipts are.
pub async fn sms_inbound(
    req: HttpRequest,
    body: web::Bytes,
    state: web::Data<AppState>,
) -> HttpResponse {
    if !webhooks::verify(state.settings.sms_webhook_secret.as_ref(), &req, &body) {
        tracing::warn!("inbound SMS with a bad signature refused");
        return webhooks::unauthorized();
    }
    let Ok(msg) = serde_json::from_slice::<Inbound>(&body) else {
        return webhooks::bad("unreadable inbound SMS");
    };
    // The gateway's id makes a replayed delivery recognisable: without it, no reply counts.
    if msg.id.as_deref().is_none_or(|id| id.trim().is_empty()) {
        return webhooks::bad("the gateway's message id is required");
    }
    if msg
        .received_at
        .is_some_and(|at| at > Utc::now() + chrono::Duration::minutes(5))
    {
        return webhooks::bad("received_at lies in the future");
    }
    match receive(&state.db, &state.settings, msg).await {
        Ok(row) => {
            HttpResponse::Ok().json(serde_json::json!({ "ok": true, "outcome": row.outcome }))
        }
        Err(e) => webhooks::internal(e),
    }
}

/// The inbound SMS route, registered by the server.
pub fn routes(cfg: &mut actix_web::web::ServiceConfig) {
    cfg.route(
        "/webhooks/sms/inbound",
        actix_web::web::post().to(sms_inbound),
    );
}

#[cfg(test)]
mod reply_tests {
    use super::*;

    #[test]
    fn replies_are_read_with_or_without_the_persons_digits() {
        assert_eq!(Reply::parse(" 511 "), Reply::Consent(None));
        assert_eq!(Reply::parse("512"), Reply::Refusal(None));
        assert_eq!(
            Reply::parse("511 1234"),
            Reply::Consent(Some("1234".into()))
        );
        assert_eq!(
            Reply::parse("512 12 34"),
            Reply::Refusal(Some("1234".into()))
        );
        for other in [
            "ok, da",
            "да",
            "511 12",
            "5111",
            "513",
            "",
            "511 12345",
            "ә511",
        ] {
            assert_eq!(Reply::parse(other), Reply::Other, "{other}");
        }
    }
}
