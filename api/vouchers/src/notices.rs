//! Parents told, through the notification service, in their language: a voucher issued, a move
//! up the queue, a month's attendance waiting for their confirmation, a voucher lapsed. The
//! messages are about an application (one child in one campaign) and go to the parent who
//! applied, on the channel they can be reached by. A message in a conversation is told to every
//! side but the writer's ([`tell`]): the parent, and the staff accounts of the provider and of
//! the akimat, each through the person the account belongs to, in the account's language (an
//! account with no person has no address: it sees the message as new in its portal). The
//! domain's work on every worker pass lapses unused vouchers and marks the months of
//! attendance not answered in time as auto-confirmed (at most once an hour).

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use futures_util::future::BoxFuture;
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter};

use entities::{account, person, voucher_application as application, voucher_campaign};

use adal_core::error::ApiResult;
use adal_core::settings::Settings;
use adal_core::vocab::Language;
use adal_notifications::outbox::{NewMessage, enqueue, preferred_channel, template_for};
use adal_notifications::purposes::{InCampaigns, Purpose, PurposeDef};
use adal_notifications::subjects::{Every, Subject, Subjects, Values, Variable};
use adal_notifications::templates::render;

/// What the vouchers' messages are about: an application (`voucher_application.id`).
pub const SUBJECT_KIND: &str = "voucher_application";

/// A voucher was issued to the child (a decision about them).
pub static VOUCHER_ISSUED: PurposeDef = PurposeDef {
    code: "voucher_issued",
    legal: true,
    campaigns: InCampaigns::Never,
    order: 300,
    description: "a club voucher was issued to your child",
    any_hour: false,
};

/// The child moved up the queue.
pub static VOUCHER_QUEUE: PurposeDef = PurposeDef {
    code: "voucher_queue",
    legal: false,
    campaigns: InCampaigns::Never,
    order: 310,
    description: "your child moved up the voucher queue",
    any_hour: false,
};

/// A month's attendance waits for the parent's confirmation.
pub static VOUCHER_ATTENDANCE: PurposeDef = PurposeDef {
    code: "voucher_attendance",
    legal: false,
    campaigns: InCampaigns::Never,
    order: 320,
    description: "a month of club attendance waits for your confirmation",
    any_hour: false,
};

/// The voucher lapsed unused (a decision about the child).
pub static VOUCHER_LAPSED: PurposeDef = PurposeDef {
    code: "voucher_lapsed",
    legal: true,
    campaigns: InCampaigns::Never,
    order: 330,
    description: "your child's club voucher lapsed unused",
    any_hour: false,
};

/// A new message in a conversation about a child's voucher, to every side but the writer's.
pub static VOUCHER_MESSAGE: PurposeDef = PurposeDef {
    code: "voucher_message",
    legal: false,
    campaigns: InCampaigns::Never,
    order: 340,
    description: "a new message in a conversation about a child's voucher",
    any_hour: false,
};

const PURPOSES: &[&PurposeDef] = &[
    &VOUCHER_ISSUED,
    &VOUCHER_QUEUE,
    &VOUCHER_ATTENDANCE,
    &VOUCHER_LAPSED,
    &VOUCHER_MESSAGE,
];

/// The variables a template about an application may use.
pub const VARIABLES: &[Variable] = &[
    ("child_name", 30, "the child's first name"),
    ("campaign", 60, "the campaign's name"),
    ("rank", 7, "the child's place in the queue"),
    ("children_ahead", 7, "children ahead in the queue"),
];

/// How many children after the last voucher issued are told they moved up.
pub const QUEUE_NOTICES: u64 = 20;

/// A message about an application.
pub fn about(application_id: i64) -> Subject {
    Subject {
        kind: SUBJECT_KIND,
        id: application_id,
    }
}

/// The built-in texts (subject, body), with `{variables}`.
pub fn default_text(purpose: &PurposeDef, lang: Language) -> (&'static str, &'static str) {
    match purpose.code {
        "voucher_issued" => (
            lang.pick("Ваучер берілді", "Ваучер выдан", "Voucher issued"),
            lang.pick(
                "Adal: {child_name} «{campaign}» ваучерін алды. Порталда үйірме таңдаңыз.",
                "Adal: {child_name} получает ваучер «{campaign}». Выберите кружок на портале.",
                "Adal: {child_name} has a voucher of \"{campaign}\". Choose a club on the portal.",
            ),
        ),
        "voucher_queue" => (
            lang.pick("Кезек", "Очередь", "Queue"),
            lang.pick(
                "Adal: {child_name} «{campaign}» кезегінде алға жылжыды: алда {children_ahead} бала.",
                "Adal: {child_name} продвинулся в очереди «{campaign}»: впереди {children_ahead} детей.",
                "Adal: {child_name} moved up the \"{campaign}\" queue: {children_ahead} children ahead.",
            ),
        ),
        "voucher_attendance" => (
            lang.pick("Қатысу", "Посещаемость", "Attendance"),
            lang.pick(
                "Adal: {child_name} {month} айындағы қатысуы: {attended}/{held}. {answer_by} дейін растаңыз немесе дау айтыңыз.",
                "Adal: посещение {child_name} за {month}: {attended}/{held}. Подтвердите или оспорьте до {answer_by}.",
                "Adal: {child_name}'s attendance in {month}: {attended}/{held}. Confirm or dispute by {answer_by}.",
            ),
        ),
        "voucher_message" => (
            lang.pick("Жаңа хабарлама", "Новое сообщение", "New message"),
            lang.pick(
                "Adal: {child_name} ваучері туралы жаңа хабарлама бар. Порталда оқыңыз.",
                "Adal: новое сообщение о ваучере {child_name}. Прочитайте на портале.",
                "Adal: a new message about {child_name}'s voucher. Read it on the portal.",
            ),
        ),
        _ => (
            lang.pick("Ваучер жойылды", "Ваучер аннулирован", "Voucher lapsed"),
            lang.pick(
                "Adal: {child_name} ваучері {days} күн пайдаланылмағандықтан жойылды.",
                "Adal: ваучер {child_name} аннулирован: не использовался {days} дней.",
                "Adal: {child_name}'s voucher lapsed: unused for {days} days.",
            ),
        ),
    }
}

/// Writes a message about an application to its parent, with the caller's transaction, once
/// per `key`. `extra` adds values the built-in text uses beyond the subject's.
pub async fn tell_parent(
    db: &impl ConnectionTrait,
    purpose: &'static PurposeDef,
    application_id: i64,
    key: String,
    extra: &[(&'static str, String)],
    now: DateTime<Utc>,
) -> ApiResult<()> {
    let Some(app) = application::Entity::find_by_id(application_id)
        .one(db)
        .await?
    else {
        return Ok(());
    };
    let Some(parent) = person::Entity::find_by_id(app.parent_person_id)
        .one(db)
        .await?
    else {
        return Ok(());
    };
    let mut values = values_of(db, std::slice::from_ref(&app))
        .await?
        .remove(&app.id)
        .unwrap_or_default();
    values.extend(extra.iter().cloned());
    let notice = Notice {
        purpose,
        application_id: app.id,
        values: &values,
        now,
    };
    tell_person(db, &notice, &parent, None, key).await
}

/// Who hears of something about an application: its parent (the person who applied), staff
/// accounts (each through its person), never the person `except` (the one who caused it).
#[derive(Debug, Default)]
pub struct Audience {
    pub parent: bool,
    pub accounts: Vec<i64>,
    pub except: Option<i64>,
}

/// Writes a message about an application to each person of `to`, with the caller's
/// transaction, once per `key` and person (a person reached twice, as the parent and as
/// staff, is told once). The parent reads it in their language, staff in their account's.
/// Returns how many people were told.
pub async fn tell(
    db: &impl ConnectionTrait,
    purpose: &'static PurposeDef,
    application_id: i64,
    to: &Audience,
    key: &str,
    now: DateTime<Utc>,
) -> ApiResult<usize> {
    let Some(app) = application::Entity::find_by_id(application_id)
        .one(db)
        .await?
    else {
        return Ok(0);
    };
    // Each person with the language to write in (none: their record's), the parent first.
    let mut people: Vec<(i64, Option<Language>)> = Vec::new();
    if to.parent {
        people.push((app.parent_person_id, None));
    }
    if !to.accounts.is_empty() {
        let accounts = account::Entity::find()
            .filter(account::Column::Id.is_in(to.accounts.iter().copied()))
            .filter(account::Column::Disabled.eq(false))
            .all(db)
            .await?;
        for a in accounts {
            if let Some(p) = a.person_id
                && a.expires_at.is_none_or(|at| at > now)
            {
                people.push((p, Some(Language::from_db_or_default(&a.language))));
            }
        }
    }
    let mut seen = std::collections::HashSet::new();
    people.retain(|(p, _)| Some(*p) != to.except && seen.insert(*p));
    if people.is_empty() {
        return Ok(0);
    }
    let persons: HashMap<i64, person::Model> = person::Entity::find()
        .filter(person::Column::Id.is_in(people.iter().map(|(p, _)| *p)))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.id, p))
        .collect();
    let values = values_of(db, std::slice::from_ref(&app))
        .await?
        .remove(&app.id)
        .unwrap_or_default();
    let notice = Notice {
        purpose,
        application_id: app.id,
        values: &values,
        now,
    };
    let mut told = 0;
    for (pid, language) in people {
        if let Some(p) = persons.get(&pid) {
            tell_person(db, &notice, p, language, format!("{key}:{pid}")).await?;
            told += 1;
        }
    }
    Ok(told)
}

/// What a notice says and about which application.
struct Notice<'a> {
    purpose: &'static PurposeDef,
    application_id: i64,
    values: &'a Values,
    now: DateTime<Utc>,
}

/// Writes `n` to person `to`, in `language` or else their record's, once per `key`.
async fn tell_person(
    db: &impl ConnectionTrait,
    n: &Notice<'_>,
    to: &person::Model,
    language: Option<Language>,
    key: String,
) -> ApiResult<()> {
    let language = language.unwrap_or_else(|| Language::from_db_or_default(&to.language));
    let template = template_for(db, Purpose::of(n.purpose)).await?;
    let (subject, body) = match &template {
        Some(_) => (None, None),
        None => {
            let (s, b) = default_text(n.purpose, language);
            (Some(s.to_owned()), Some(render(b, n.values)))
        }
    };
    enqueue(
        db,
        NewMessage {
            idempotency_key: key,
            person_id: Some(to.id),
            about: Some(about(n.application_id)),
            purpose: Purpose::of(n.purpose),
            channel: preferred_channel(to),
            language,
            template_id: template.map(|t| t.id),
            subject,
            body,
            recipient: None,
            not_before: n.now,
            max_attempts: 0,
        },
    )
    .await?;
    Ok(())
}

async fn values_of(
    db: &impl ConnectionTrait,
    apps: &[application::Model],
) -> ApiResult<HashMap<i64, Values>> {
    let children: HashMap<i64, person::Model> = person::Entity::find()
        .filter(person::Column::Id.is_in(apps.iter().map(|a| a.child_person_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.id, p))
        .collect();
    let campaigns: HashMap<i64, voucher_campaign::Model> = voucher_campaign::Entity::find()
        .filter(voucher_campaign::Column::Id.is_in(apps.iter().map(|a| a.campaign_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c))
        .collect();
    Ok(apps
        .iter()
        .map(|a| {
            let mut v: Values = HashMap::new();
            if let Some(c) = children.get(&a.child_person_id) {
                v.insert("child_name", c.first_name.clone());
            }
            if let Some(c) = campaigns.get(&a.campaign_id) {
                v.insert("campaign", c.name.clone());
            }
            if let Some(r) = a.rank {
                v.insert("rank", r.to_string());
                v.insert("children_ahead", (r - 1).to_string());
            }
            (a.id, v)
        })
        .collect())
}

/// Applications as the subjects of messages: the notification service's view of vouchers.
#[derive(Debug, Default)]
pub struct Children {
    /// Unused vouchers lapsed and unanswered months auto-confirmed, at most once an hour.
    hourly: Every,
}

impl Subjects for Children {
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
            let apps = application::Entity::find()
                .filter(application::Column::Id.is_in(ids.iter().copied()))
                .all(db)
                .await?;
            values_of(db, &apps).await
        })
    }

    fn on_pass<'a>(
        &'a self,
        db: &'a DatabaseConnection,
        _settings: &'a Settings,
    ) -> BoxFuture<'a, ApiResult<usize>> {
        Box::pin(async move {
            let now = Utc::now();
            if self.hourly.due(now, chrono::Duration::hours(1)) {
                let lapsed = crate::allocation::lapse_unused(db, now).await?;
                let confirmed = crate::attendance::auto_confirm_due(db, now).await?;
                Ok(lapsed + confirmed)
            } else {
                Ok(0)
            }
        })
    }
}

/// The job that tells the parents of an allocation run: a voucher issued to each child it
/// issued one to, and, after a run on freed money, a move up to the next children waiting.
pub const NOTIFY_JOB: &str = "vouchers.notify_allocation";

#[derive(Debug, serde::Serialize, serde::Deserialize)]
struct NotifyAllocation {
    allocation_id: i64,
}

/// Queues the notices of an allocation run, with the caller's transaction.
pub async fn notify_allocation(db: &impl ConnectionTrait, allocation_id: i64) -> ApiResult<i64> {
    adal_core::jobs::enqueue(
        db,
        NOTIFY_JOB,
        &serde_json::json!(NotifyAllocation { allocation_id }),
        5,
    )
    .await
}

/// Runs [`NOTIFY_JOB`]: idempotent (each message has its key), so a resumed job sends nothing
/// twice.
#[derive(Debug, Default, Clone, Copy)]
pub struct AllocationNotices;

impl adal_core::jobs::JobHandler for AllocationNotices {
    fn kind(&self) -> &'static str {
        NOTIFY_JOB
    }

    fn run<'a>(&'a self, cx: &'a adal_core::jobs::JobContext) -> BoxFuture<'a, ApiResult<()>> {
        Box::pin(async move {
            use sea_orm::{QueryOrder, QuerySelect};
            let p: NotifyAllocation = cx.payload()?;
            let Some(run) = entities::voucher_allocation::Entity::find_by_id(p.allocation_id)
                .one(&cx.db)
                .await?
            else {
                return Ok(());
            };
            let now = Utc::now();
            let issued: Vec<i64> = entities::voucher::Entity::find()
                .select_only()
                .column(entities::voucher::Column::ApplicationId)
                .filter(entities::voucher::Column::AllocationId.eq(run.id))
                .order_by_asc(entities::voucher::Column::Id)
                .into_tuple()
                .all(&cx.db)
                .await?;
            for chunk in issued.chunks(200) {
                let txn = adal_core::db::begin_write(&cx.db).await?;
                for app in chunk {
                    tell_parent(
                        &txn,
                        &VOUCHER_ISSUED,
                        *app,
                        format!("voucher-issued:{app}"),
                        &[],
                        now,
                    )
                    .await?;
                }
                txn.commit().await?;
            }
            if run.trigger == "money_freed" {
                let next: Vec<i64> = application::Entity::find()
                    .select_only()
                    .column(application::Column::Id)
                    .filter(application::Column::CampaignId.eq(run.campaign_id))
                    .filter(
                        application::Column::Status
                            .eq(crate::vocab::VoucherApplicationStatus::Queued.as_str()),
                    )
                    .order_by_asc(application::Column::Rank)
                    .limit(QUEUE_NOTICES)
                    .into_tuple()
                    .all(&cx.db)
                    .await?;
                let txn = adal_core::db::begin_write(&cx.db).await?;
                for app in next {
                    tell_parent(
                        &txn,
                        &VOUCHER_QUEUE,
                        app,
                        format!("voucher-queue:{}:{app}", run.id),
                        &[],
                        now,
                    )
                    .await?;
                }
                txn.commit().await?;
            }
            Ok(())
        })
    }
}
