//! Parents told at once: an entry, an exit, each meal, with the exact local time, in the
//! parent's language, through the notification service; a late-uploaded event says it was
//! late. The message is written in the batch's transaction, so it leaves with the worker's next
//! pass (`notify_poll_ms`). Each parent chooses, per child, which events they want (all by
//! default) and which of them also by SMS (none by default: eGov push first).
//!
//! The texts carry the time and the meal's price, so they are rendered here, at the event: from
//! the operator's template for the purpose when there is one (variables `child_name`, `time`,
//! `late_note`, `meal_price`, `allergen_note`), else from Adal's own texts.

use std::collections::{HashMap, HashSet};
use std::sync::Mutex;

use chrono::{DateTime, Utc};
use futures_util::future::BoxFuture;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    IntoActiveModel, QueryFilter, Set,
};

use entities::{
    guardianship, notification_template, person, school_allergen_override, school_meal,
    school_notice_pref,
};

use adal_core::error::ApiResult;
use adal_core::settings::Settings;
use adal_core::vocab::Language;
use adal_notifications::outbox::{NewMessage, enqueue, enqueue_many, template_for};
use adal_notifications::purposes::{InCampaigns, Purpose, PurposeDef};
use adal_notifications::subjects::{Every, Subject, Subjects, Values, Variable};
use adal_notifications::templates;
use adal_notifications::vocab::Channel;

use crate::meals::MealAnswer;
use crate::rules::hhmm;
use crate::vocab::{Allergen, MealCharge, SchoolEventKind};

/// What the schools' messages are about: a pupil (`person.id`).
pub const SUBJECT_KIND: &str = "pupil";

pub static SCHOOL_ENTRY: PurposeDef = PurposeDef {
    code: "school_entry",
    legal: false,
    campaigns: InCampaigns::Never,
    order: 400,
    description: "your child entered school",
    any_hour: true,
};

pub static SCHOOL_EXIT: PurposeDef = PurposeDef {
    code: "school_exit",
    legal: false,
    campaigns: InCampaigns::Never,
    order: 410,
    description: "your child left school",
    any_hour: true,
};

pub static SCHOOL_MEAL: PurposeDef = PurposeDef {
    code: "school_meal",
    legal: false,
    campaigns: InCampaigns::Never,
    order: 420,
    description: "your child had a meal at the canteen",
    any_hour: true,
};

/// The school lifted the parent's allergen block (a decision about the child).
pub static SCHOOL_ALLERGEN_OVERRIDE: PurposeDef = PurposeDef {
    code: "school_allergen_override",
    legal: true,
    campaigns: InCampaigns::Never,
    order: 430,
    description: "the school lifted your allergen block",
    any_hour: false,
};

const PURPOSES: &[&PurposeDef] = &[
    &SCHOOL_ENTRY,
    &SCHOOL_EXIT,
    &SCHOOL_MEAL,
    &SCHOOL_ALLERGEN_OVERRIDE,
];

const VARIABLES: &[Variable] = &[
    ("child_name", 30, "the child's first name"),
    (
        "time",
        5,
        "school notices: the local time of the entry, exit or meal (HH:MM)",
    ),
    (
        "late_note",
        40,
        "school notices: \"(sent late by the device)\" when it was, else nothing",
    ),
    (
        "meal_price",
        12,
        "school meal notices: \"free\" or what the meal cost, in tenge",
    ),
    (
        "allergen_note",
        60,
        "school meal notices: the allergens served against the parent's block, if any",
    ),
];

/// The event kinds a parent can choose.
pub const KINDS: &[SchoolEventKind] = SchoolEventKind::ALL;

/// One thing to tell the parents of a pupil.
#[derive(Debug, Clone)]
pub struct Told {
    kind: SchoolEventKind,
    child: i64,
    at: DateTime<Utc>,
    late: bool,
    /// Unique per event: the idempotency key's stem.
    key: String,
    meal: Option<(MealCharge, i64, Vec<Allergen>)>,
}

impl Told {
    pub fn pass(
        kind: SchoolEventKind,
        child: i64,
        at: DateTime<Utc>,
        late: bool,
        device: i64,
        seq: i64,
    ) -> Self {
        Told {
            kind,
            child,
            at,
            late,
            key: format!("{device}:{seq}"),
            meal: None,
        }
    }

    pub fn meal(m: &school_meal::Model, a: &MealAnswer) -> Self {
        Told {
            kind: SchoolEventKind::Meal,
            child: m.person_id,
            at: m.served_at,
            late: m.late,
            key: format!("meal:{}", m.id),
            meal: Some((a.charge, a.price, a.allergens_served.clone())),
        }
    }
}

fn purpose_of(kind: SchoolEventKind) -> &'static PurposeDef {
    match kind {
        SchoolEventKind::Entry => &SCHOOL_ENTRY,
        SchoolEventKind::Exit => &SCHOOL_EXIT,
        SchoolEventKind::Meal => &SCHOOL_MEAL,
    }
}

/// The values of a notice's variables, in the parent's language.
fn values(t: &Told, child: &str, lang: Language) -> HashMap<&'static str, String> {
    let mut v = HashMap::new();
    v.insert("child_name", child.to_owned());
    v.insert("time", hhmm(t.at));
    let late = if t.late {
        lang.pick(
            " (құрылғы кеш жіберді)",
            " (устройство передало с опозданием)",
            " (sent late by the device)",
        )
    } else {
        ""
    };
    v.insert("late_note", late.to_owned());
    if let Some((charge, price, allergens)) = &t.meal {
        let how = match charge {
            MealCharge::Free => lang.pick("тегін", "бесплатно", "free").to_owned(),
            _ => format!("{price} ₸"),
        };
        v.insert("meal_price", how);
        let warn = if allergens.is_empty() {
            String::new()
        } else {
            let list: Vec<&str> = allergens.iter().map(|a| a.as_str()).collect();
            format!(
                " {} {}.",
                lang.pick("Аллерген:", "Аллерген:", "Allergen:"),
                list.join(", ")
            )
        };
        v.insert("allergen_note", warn);
    }
    v
}

/// Adal's own texts of the notices (subject, body), used until the operator writes a template
/// for the purpose; written with the same variables as a template.
fn default_text(kind: SchoolEventKind, lang: Language) -> (&'static str, &'static str) {
    match kind {
        SchoolEventKind::Entry => (
            lang.pick("Мектепке келді", "Пришёл в школу", "Entered school"),
            lang.pick(
                "Adal: {child_name} мектепке {time} келді{late_note}.",
                "Adal: {child_name} пришёл(а) в школу в {time}{late_note}.",
                "Adal: {child_name} entered school at {time}{late_note}.",
            ),
        ),
        SchoolEventKind::Exit => (
            lang.pick("Мектептен шықты", "Ушёл из школы", "Left school"),
            lang.pick(
                "Adal: {child_name} мектептен {time} шықты{late_note}.",
                "Adal: {child_name} ушёл(а) из школы в {time}{late_note}.",
                "Adal: {child_name} left school at {time}{late_note}.",
            ),
        ),
        SchoolEventKind::Meal => (
            lang.pick("Тамақтану", "Питание", "Meal"),
            lang.pick(
                "Adal: {child_name} {time} тамақтанды, {meal_price}{late_note}.{allergen_note}",
                "Adal: {child_name} поел(а) в {time}, {meal_price}{late_note}.{allergen_note}",
                "Adal: {child_name} had a meal at {time}, {meal_price}{late_note}.{allergen_note}",
            ),
        ),
    }
}

/// A notice's subject and body: the operator's template for its purpose when there is one,
/// else Adal's own text.
fn text(
    t: &Told,
    child: &str,
    lang: Language,
    template: Option<&notification_template::Model>,
) -> (String, String) {
    let (subject, body) = match template {
        Some(tpl) => templates::texts(tpl, lang),
        None => default_text(t.kind, lang),
    };
    let v = values(t, child, lang);
    (templates::render(subject, &v), templates::render(body, &v))
}

/// A parent's choice for a child: the kinds wanted, and those also by SMS.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prefs {
    pub kinds: Vec<SchoolEventKind>,
    pub sms_kinds: Vec<SchoolEventKind>,
}

impl Default for Prefs {
    fn default() -> Self {
        Prefs {
            kinds: KINDS.to_vec(),
            sms_kinds: Vec::new(),
        }
    }
}

fn kinds_from(s: &str) -> Vec<SchoolEventKind> {
    s.split(',').filter_map(SchoolEventKind::from_db).collect()
}

fn kinds_to(k: &[SchoolEventKind]) -> String {
    KINDS
        .iter()
        .filter(|x| k.contains(x))
        .map(|x| x.as_str())
        .collect::<Vec<_>>()
        .join(",")
}

fn prefs_of(m: &school_notice_pref::Model) -> Prefs {
    Prefs {
        kinds: kinds_from(&m.kinds),
        sms_kinds: kinds_from(&m.sms_kinds),
    }
}

pub async fn prefs(db: &impl ConnectionTrait, parent: i64, child: i64) -> ApiResult<Prefs> {
    Ok(school_notice_pref::Entity::find()
        .filter(school_notice_pref::Column::ParentPersonId.eq(parent))
        .filter(school_notice_pref::Column::ChildPersonId.eq(child))
        .one(db)
        .await?
        .map(|m| prefs_of(&m))
        .unwrap_or_default())
}

/// Saves a parent's choice for a child. SMS only for kinds wanted.
pub async fn set_prefs(
    db: &DatabaseConnection,
    parent: i64,
    child: i64,
    p: Prefs,
) -> ApiResult<Prefs> {
    let sms: Vec<SchoolEventKind> = p
        .sms_kinds
        .iter()
        .copied()
        .filter(|k| p.kinds.contains(k))
        .collect();
    let txn = adal_core::db::begin_write(db).await?;
    let existing = school_notice_pref::Entity::find()
        .filter(school_notice_pref::Column::ParentPersonId.eq(parent))
        .filter(school_notice_pref::Column::ChildPersonId.eq(child))
        .one(&txn)
        .await?;
    let now = Utc::now();
    match existing {
        Some(m) => {
            let mut am = m.into_active_model();
            am.kinds = Set(kinds_to(&p.kinds));
            am.sms_kinds = Set(kinds_to(&sms));
            am.updated_at = Set(now);
            am.update(&txn).await?;
        }
        None => {
            school_notice_pref::ActiveModel {
                parent_person_id: Set(parent),
                child_person_id: Set(child),
                kinds: Set(kinds_to(&p.kinds)),
                sms_kinds: Set(kinds_to(&sms)),
                updated_at: Set(now),
                ..Default::default()
            }
            .insert(&txn)
            .await?;
        }
    }
    let out = prefs(&txn, parent, child).await?;
    txn.commit().await?;
    Ok(out)
}

/// Writes the messages for a batch's events to each pupil's parents, with the batch's
/// transaction, in a few statements whatever the batch's size.
pub async fn tell(db: &impl ConnectionTrait, told: &[Told], now: DateTime<Utc>) -> ApiResult<()> {
    if told.is_empty() {
        return Ok(());
    }
    let children: HashSet<i64> = told.iter().map(|t| t.child).collect();
    let links = guardianship::Entity::find()
        .filter(guardianship::Column::ChildPersonId.is_in(children.iter().copied()))
        .all(db)
        .await?;
    if links.is_empty() {
        return Ok(());
    }
    let ids: HashSet<i64> = links
        .iter()
        .map(|l| l.parent_person_id)
        .chain(children.iter().copied())
        .collect();
    let people: HashMap<i64, person::Model> = person::Entity::find()
        .filter(person::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.id, p))
        .collect();
    let prefs: HashMap<(i64, i64), Prefs> = school_notice_pref::Entity::find()
        .filter(school_notice_pref::Column::ChildPersonId.is_in(children.iter().copied()))
        .all(db)
        .await?
        .into_iter()
        .map(|m| ((m.parent_person_id, m.child_person_id), prefs_of(&m)))
        .collect();
    let mut templates_by_kind = HashMap::new();
    for kind in told.iter().map(|t| t.kind).collect::<HashSet<_>>() {
        templates_by_kind.insert(kind, template_for(db, Purpose::of(purpose_of(kind))).await?);
    }
    let mut messages = Vec::new();
    for t in told {
        let Some(child) = people.get(&t.child) else {
            continue;
        };
        for l in links.iter().filter(|l| l.child_person_id == t.child) {
            let Some(parent) = people.get(&l.parent_person_id) else {
                continue;
            };
            let p = prefs
                .get(&(parent.id, child.id))
                .cloned()
                .unwrap_or_default();
            if !p.kinds.contains(&t.kind) {
                continue;
            }
            let lang = Language::from_db_or_default(&parent.language);
            let template = templates_by_kind.get(&t.kind).and_then(Option::as_ref);
            let (subject, body) = text(t, &child.first_name, lang, template);
            let mut channels = vec![Channel::Push];
            if p.sms_kinds.contains(&t.kind)
                && parent.phone.as_deref().is_some_and(|s| !s.is_empty())
            {
                channels.push(Channel::Sms);
            }
            for channel in channels {
                messages.push(NewMessage {
                    idempotency_key: format!(
                        "school:{}:{}:{}:{}",
                        t.kind.as_str(),
                        t.key,
                        parent.id,
                        channel.as_str()
                    ),
                    person_id: Some(parent.id),
                    about: Some(Subject {
                        kind: SUBJECT_KIND,
                        id: child.id,
                    }),
                    purpose: Purpose::of(purpose_of(t.kind)),
                    channel,
                    language: lang,
                    template_id: template.map(|t| t.id),
                    subject: Some(subject.clone()),
                    body: Some(body.clone()),
                    recipient: None,
                    not_before: now,
                    max_attempts: 0,
                });
            }
        }
    }
    enqueue_many(db, messages).await?;
    Ok(())
}

/// Tells a child's parents that the school lifted their block of an allergen, and why.
pub async fn tell_override(
    db: &impl ConnectionTrait,
    o: &school_allergen_override::Model,
    now: DateTime<Utc>,
) -> ApiResult<()> {
    let links = guardianship::Entity::find()
        .filter(guardianship::Column::ChildPersonId.eq(o.child_person_id))
        .all(db)
        .await?;
    let Some(child) = person::Entity::find_by_id(o.child_person_id)
        .one(db)
        .await?
    else {
        return Ok(());
    };
    for l in links {
        let Some(parent) = person::Entity::find_by_id(l.parent_person_id)
            .one(db)
            .await?
        else {
            continue;
        };
        let lang = Language::from_db_or_default(&parent.language);
        let name = &child.first_name;
        let allergen = &o.allergen;
        let reason = &o.reason;
        let body = match lang {
            Language::Kk => format!(
                "Adal: мектеп {name} үшін «{allergen}» аллергенін бұғаттауды алып тастады. Себебі: {reason}"
            ),
            Language::Ru => format!(
                "Adal: школа сняла запрет аллергена «{allergen}» для {name}. Причина: {reason}"
            ),
            Language::En => format!(
                "Adal: the school lifted your block of {allergen} for {name}. Reason: {reason}"
            ),
        };
        for channel in [Channel::Push, Channel::Sms] {
            if channel == Channel::Sms && parent.phone.as_deref().is_none_or(str::is_empty) {
                continue;
            }
            enqueue(
                db,
                NewMessage {
                    idempotency_key: format!(
                        "school:override:{}:{}:{}",
                        o.id,
                        parent.id,
                        channel.as_str()
                    ),
                    person_id: Some(parent.id),
                    about: Some(Subject {
                        kind: SUBJECT_KIND,
                        id: child.id,
                    }),
                    purpose: Purpose::of(&SCHOOL_ALLERGEN_OVERRIDE),
                    channel,
                    language: lang,
                    template_id: None,
                    subject: Some(
                        lang.pick("Аллерген", "Аллерген", "Allergen block")
                            .to_owned(),
                    ),
                    body: Some(body.clone()),
                    recipient: None,
                    not_before: now,
                    max_attempts: 0,
                },
            )
            .await?;
        }
    }
    Ok(())
}

/// Pupils as the subjects of messages: the notification service's view of schools. Its work
/// on the worker's passes: hourly, the months ahead of the partitioned tables and the month's
/// reports once due; every pass, the subsidised meals due to the Social Wallet.
#[derive(Default)]
pub struct Pupils {
    hourly: Every,
    wallet: Mutex<Option<adal_notifications::http::HttpClient>>,
}

impl Pupils {
    fn wallet_client(&self) -> Option<adal_notifications::http::HttpClient> {
        let mut slot = self.wallet.lock().ok()?;
        if slot.is_none() {
            *slot =
                adal_notifications::http::HttpClient::new(std::time::Duration::from_secs(20)).ok();
        }
        slot.clone()
    }
}

impl Subjects for Pupils {
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
            Ok(person::Entity::find()
                .filter(person::Column::Id.is_in(ids.iter().copied()))
                .all(db)
                .await?
                .into_iter()
                .map(|p| {
                    let mut v: Values = HashMap::new();
                    v.insert("child_name", p.first_name);
                    (p.id, v)
                })
                .collect())
        })
    }

    fn on_pass<'a>(
        &'a self,
        db: &'a DatabaseConnection,
        settings: &'a Settings,
    ) -> BoxFuture<'a, ApiResult<usize>> {
        Box::pin(async move {
            let now = Utc::now();
            let mut done = 0;
            // Hourly: the months ahead of the partitioned tables; the month's reports.
            if self.hourly.due(now, chrono::Duration::hours(1)) {
                let today = crate::rules::local_day(now);
                done += crate::partitions::ensure(db, today).await?;
                let day = settings.school_reports_day;
                if day > 0 && chrono::Datelike::day(&today) >= day {
                    let month = crate::reports::previous(crate::reports::month_of(today));
                    done += usize::from(crate::reports::schedule(db, month).await?);
                }
            }
            if let (Some(url), Some(client)) = (&settings.social_wallet_url, self.wallet_client()) {
                let wallet = crate::wallet::HttpWallet {
                    url: url.clone(),
                    token: settings
                        .social_wallet_token
                        .as_ref()
                        .map(|t| t.expose().to_owned()),
                    client,
                };
                done += crate::wallet::pass(db, &wallet, now, 10).await?;
            }
            Ok(done)
        })
    }
}
