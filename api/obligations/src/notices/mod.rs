//! Notices to graduates, through the notification service: the built-in texts, an individual
//! notice, proof of notice before a claim, and what the notification service needs to render
//! templates for graduates (their variables and values, and the consent follow-ups each worker
//! pass makes).

pub mod graphql;

use std::collections::HashMap;

use chrono::{Datelike, Utc};
use futures_util::future::BoxFuture;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use serde_json::json;

use adal_core::audit;
use adal_core::error::{ApiError, ApiResult};
use adal_core::settings::Settings;
use adal_core::vocab::Language;
use adal_notifications::campaigns::{self, CampaignDraft};
use adal_notifications::outbox::{NewMessage, enqueue, preferred_channel, template_for};
use adal_notifications::purposes::{GENERAL, InCampaigns, Purpose, PurposeDef};
use adal_notifications::subjects::{Subject, Subjects, Values, Variable};
use adal_notifications::vocab::{Channel, MessageStatus};
use entities::{graduate, notification_message, person};

pub use graphql::{NoticesMutation, NoticesQuery};

use crate::service::{self, GraduateFilter, GraduateRow};
use crate::vocab::ObligationRefusal;

/// What the obligations' messages are about: a graduate (`graduate.id`).
pub const SUBJECT_KIND: &str = "graduate";

/// A message about this graduate.
pub fn about(graduate_id: i64) -> Subject {
    Subject {
        kind: SUBJECT_KIND,
        id: graduate_id,
    }
}

/// The obligation and its terms (art. 47 p. 17 of the Law on Education, Rules No. 403).
pub static OBLIGATION_NOTICE: PurposeDef = PurposeDef {
    code: "obligation_notice",
    legal: true,
    campaigns: InCampaigns::Any,
    order: 100,
    description: "the work-off obligation and its terms (legal notice)",
    any_hour: false,
};

/// Non-compliance, before a reimbursement claim.
pub static BREACH_NOTICE: PurposeDef = PurposeDef {
    code: "breach_notice",
    legal: true,
    campaigns: InCampaigns::Any,
    order: 110,
    description: "months not worked off, before a reimbursement claim (legal notice)",
    any_hour: false,
};

/// The reimbursement claim itself.
pub static CLAIM_NOTICE: PurposeDef = PurposeDef {
    code: "claim_notice",
    legal: true,
    campaigns: InCampaigns::Any,
    order: 120,
    description: "a reimbursement claim was drafted (legal notice)",
    any_hour: false,
};

/// The 511/512 request for consent to ask for contribution records: answered by SMS.
pub static CONSENT_REQUEST: PurposeDef = PurposeDef {
    code: "consent_request",
    legal: true,
    campaigns: InCampaigns::SmsOnly,
    order: 130,
    description: "a 511/512 request for consent, answered by SMS (legal notice)",
    any_hour: false,
};

/// The answer to a reply to a consent request: one by one, never in a campaign.
pub static CONSENT_ANSWER: PurposeDef = PurposeDef {
    code: "consent_answer",
    legal: true,
    campaigns: InCampaigns::Never,
    order: 140,
    description: "the answer to a reply to a consent request (legal notice)",
    any_hour: false,
};

/// The purposes the obligations send.
pub const PURPOSES: &[&PurposeDef] = &[
    &OBLIGATION_NOTICE,
    &BREACH_NOTICE,
    &CLAIM_NOTICE,
    &CONSENT_REQUEST,
    &CONSENT_ANSWER,
];

/// Notices that prove a graduate was told before a reimbursement claim.
pub const PROVES_NOTICE: &[&PurposeDef] = &[&OBLIGATION_NOTICE, &BREACH_NOTICE];

/// The variables a graduate's templates may use, with the longest value each is assumed to
/// take when the SMS length is checked (the notification service adds `short_number`).
pub const VARIABLES: &[Variable] = &[
    ("name", 30, "first name"),
    ("full_name", 70, "last, first and middle name"),
    ("required_months", 3, "months to work off"),
    ("credited_months", 3, "months credited so far"),
    ("remaining_months", 3, "months still to work"),
    ("graduation_year", 4, "year of graduation"),
];

/// Every variable a graduate's template may use: [`VARIABLES`] and the short number.
pub fn template_variables() -> Vec<Variable> {
    let mut v = VARIABLES.to_vec();
    v.push(adal_notifications::subjects::SHORT_NUMBER);
    v
}

/// The values of the variables for one graduate.
pub fn variables_of(row: &GraduateRow) -> Values {
    let full = row.full_name();
    HashMap::from([
        ("name", row.first_name.clone()),
        ("full_name", full),
        ("required_months", row.required_months.to_string()),
        ("credited_months", row.credited_months.to_string()),
        (
            "remaining_months",
            (row.required_months - row.credited_months)
                .max(0)
                .to_string(),
        ),
        ("graduation_year", row.graduation_date.year().to_string()),
    ])
}

/// Graduates as the subjects of messages: the notification service's view of this domain.
#[derive(Debug, Clone, Copy, Default)]
pub struct Graduates;

impl Subjects for Graduates {
    fn kind(&self) -> &'static str {
        SUBJECT_KIND
    }

    fn purposes(&self) -> &'static [&'static PurposeDef] {
        PURPOSES
    }

    fn variables(&self) -> &'static [Variable] {
        VARIABLES
    }

    fn values<'a>(
        &'a self,
        db: &'a DatabaseConnection,
        ids: &'a [i64],
    ) -> BoxFuture<'a, ApiResult<HashMap<i64, Values>>> {
        Box::pin(async move {
            Ok(service::rows_by_ids(db, ids)
                .await?
                .into_iter()
                .map(|r| (r.id, variables_of(&r)))
                .collect())
        })
    }

    fn on_pass<'a>(
        &'a self,
        db: &'a DatabaseConnection,
        settings: &'a Settings,
    ) -> BoxFuture<'a, ApiResult<usize>> {
        Box::pin(crate::consent::process_employment_requests(db, settings))
    }
}

/// Built-in texts for notices the system sends when no template exists for their purpose.
pub fn default_text(purpose: Purpose, lang: Language) -> (&'static str, &'static str) {
    match purpose.as_str() {
        c if c == CLAIM_NOTICE.code => (
            lang.pick("Өтемақы талабы", "Требование о возмещении", "Reimbursement claim"),
            lang.pick(
                "{name}, мемлекеттік грант бойынша міндеттеме орындалмағандықтан өтемақы талабы жасалды. Толығырақ: eGov, Adal.",
                "{name}, в связи с неисполнением обязательства по государственному гранту составлено требование о возмещении. Подробнее: eGov, Adal.",
                "{name}, a reimbursement claim was drafted because the state-grant work-off obligation was not met. Details: eGov, Adal.",
            ),
        ),
        c if c == BREACH_NOTICE.code => (
            lang.pick("Міндеттемені бұзу", "Нарушение обязательства", "Obligation breach"),
            lang.pick(
                "{name}, грант бойынша {remaining_months} ай өтелмеген. Құжаттарды Adal порталына жіберіңіз, әйтпесе өтемақы талабы жасалады.",
                "{name}, по гранту не отработано {remaining_months} мес. Направьте документы в портал Adal, иначе будет составлено требование о возмещении.",
                "{name}, {remaining_months} months of your grant are not worked off. Send documents via Adal, or a reimbursement claim will be drafted.",
            ),
        ),
        c if c == CONSENT_REQUEST.code => (
            lang.pick("Келісім", "Согласие", "Consent"),
            lang.pick(
                "Adal: зейнетақы жарналары туралы деректерді сұратуға келісесіз бе? 15 минут ішінде 511 (иә) немесе 512 (жоқ) деп жауап беріңіз.",
                "Adal: согласны на запрос сведений о пенсионных взносах? Ответьте 511 (да) или 512 (нет) в течение 15 минут.",
                "Adal: do you consent to a request for your pension-contribution data? Reply 511 (yes) or 512 (no) within 15 minutes.",
            ),
        ),
        c if c == CONSENT_ANSWER.code => (
            lang.pick("Жауап", "Ответ", "Answer"),
            lang.pick(
                "Adal: жауап танылмады. Келісу үшін 511, бас тарту үшін 512 деп жіберіңіз.",
                "Adal: ответ не распознан. Отправьте 511 для согласия или 512 для отказа.",
                "Adal: reply not recognised. Send 511 to consent or 512 to refuse.",
            ),
        ),
        // The obligation notice, reminders and information.
        _ => (
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
/// the built-in text), the person's language, `channel` or else their preferred one.
pub async fn notify_graduate(
    db: &impl ConnectionTrait,
    graduate_id: i64,
    purpose: Purpose,
    key: String,
    channel: Option<Channel>,
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
            about: Some(about(g.id)),
            purpose,
            channel: channel.unwrap_or_else(|| preferred_channel(&p)),
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

/// The channels whose receipt proves that a notice reached the person: the SMS and eGov push
/// providers' delivery receipts, and the signature a registered letter is handed over against.
/// An e-mail accepted by an SMTP server proves only that it was sent.
const PROOF_CHANNELS: [Channel; 3] = [Channel::Sms, Channel::Push, Channel::Post];

/// Whether a message about a graduate proves they were told: an obligation or breach notice
/// delivered by SMS, eGov push or registered letter.
pub fn proves_notice(m: &notification_message::Model) -> bool {
    PROVES_NOTICE.iter().any(|p| p.code == m.purpose)
        && m.status == MessageStatus::Delivered.as_str()
        && PROOF_CHANNELS.iter().any(|c| c.as_str() == m.channel)
}

/// Proof of notice: a claim is raised only after an obligation or breach notice reached the
/// graduate, shown by a delivery receipt: an SMS or eGov push the provider reported
/// delivered, or a registered letter handed over against a signature. An e-mail accepted by an SMTP server proves sending, not receipt, so it does
/// not count.
pub async fn require_delivered_notice(
    db: &impl ConnectionTrait,
    graduate_id: i64,
) -> ApiResult<()> {
    let told = notification_message::Entity::find()
        .filter(notification_message::Column::SubjectKind.eq(SUBJECT_KIND))
        .filter(notification_message::Column::SubjectId.eq(graduate_id))
        .all(db)
        .await?
        .iter()
        .any(proves_notice);
    if !told {
        return Err(ApiError::ConflictBecause {
            reason: ObligationRefusal::NoDeliveredNotice.into(),
            message: "a claim needs proof of notice: no obligation or breach notice has been delivered to this graduate by SMS, eGov push or registered letter yet (an e-mail proves only that it was sent)".into(),
        });
    }
    Ok(())
}

/// An individual notice sent by the operator.
pub async fn send_notice(
    db: &DatabaseConnection,
    actor: i64,
    graduate_id: i64,
    purpose: Purpose,
    channel: Option<Channel>,
    max_attempts: i32,
) -> ApiResult<notification_message::Model> {
    if purpose.is(&CONSENT_REQUEST) || purpose.is(&CONSENT_ANSWER) {
        return Err(ApiError::bad_input(
            "purpose",
            "consent requests are sent with requestConsent",
        ));
    }
    if !PURPOSES.iter().chain(GENERAL).any(|d| purpose.is(d)) {
        return Err(ApiError::bad_input(
            "purpose",
            "not a notice to a graduate: another domain sends this purpose",
        ));
    }
    let txn = adal_core::db::begin_write(db).await?;
    let key = format!(
        "notice:{graduate_id}:{}:{}",
        purpose.as_str(),
        uuid::Uuid::new_v4().simple()
    );
    let id = notify_graduate(&txn, graduate_id, purpose, key, channel, max_attempts).await?;
    audit::record(
        &txn,
        Some(actor),
        "notification.notice",
        "notification_message",
        id,
        json!({ "graduateId": graduate_id, "purpose": purpose, "channel": channel }),
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
                .add(
                    sea_orm::Condition::all()
                        .add(notification_message::Column::SubjectKind.eq(SUBJECT_KIND))
                        .add(notification_message::Column::SubjectId.eq(graduate_id)),
                )
                .add(
                    sea_orm::Condition::all()
                        .add(notification_message::Column::PersonId.eq(person_id))
                        .add(notification_message::Column::SubjectId.is_null()),
                ),
        )
        .order_by_desc(notification_message::Column::Id)
        .limit(500)
        .all(db)
        .await?)
}

/// Creates a campaign to the graduates a register filter selects, in one transaction with
/// the consent requests a 511/512 campaign opens.
pub async fn create_campaign(
    db: &DatabaseConnection,
    settings: &Settings,
    actor: i64,
    d: CampaignDraft,
) -> ApiResult<entities::notification_campaign::Model> {
    let txn = adal_core::db::begin_write(db).await?;
    let c = campaigns::create(&txn, settings, actor, d).await?;
    if c.purpose == CONSENT_REQUEST.code {
        crate::consent::open_for_campaign(&txn, c.id, Utc::now()).await?;
    }
    txn.commit().await?;
    Ok(c)
}

/// How many people a graduates filter reaches (the audience builder's live count).
pub async fn audience_count(db: &DatabaseConnection, filter: &GraduateFilter) -> ApiResult<i64> {
    campaigns::audience_count(db, service::filtered_select(filter)).await
}
