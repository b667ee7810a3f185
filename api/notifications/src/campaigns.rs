//! Campaigns: an audience a domain builds as a query (the obligations build it from the
//! graduates register's filter), a template, a channel order with fallback after a delay, a schedule. Enqueueing is one `INSERT ... SELECT`
//! (set-based: tens of thousands of recipients in well under a second), keyed
//! `c<campaign>:p<person>` so one person gets one message per campaign however the audience
//! overlaps; fallbacks are keyed `c<campaign>:p<person>:<step>`.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Alias, Expr, OnConflict, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DbBackend, EntityTrait,
    IntoActiveModel, QueryFilter, QueryOrder, QuerySelect, Set, Statement,
};
use serde_json::json;

use entities::{notification_campaign, notification_message, notification_template};

use super::purposes::{InCampaigns, Purpose};
use super::vocab::{CampaignStatus, Channel, MessageStatus};
use adal_core::audit;
use adal_core::error::{ApiError, ApiResult};
use adal_core::settings::Settings;
use sea_orm::sea_query::SelectStatement;

#[derive(Debug, Clone)]
pub struct CampaignDraft {
    pub name: String,
    pub template_id: i64,
    /// The people to reach: a query from the domain with the person table as `p`, to which
    /// the campaign adds its columns and groups by person.
    pub audience: SelectStatement,
    /// What each message is about: the domain's subject kind and the column of the audience
    /// that holds the subject's id (`g.id`); a person reached through several subjects gets
    /// one message, about the first.
    pub subject: Option<(&'static str, &'static str)>,
    /// The filter as the operator gave it, kept with the campaign.
    pub audience_json: serde_json::Value,
    pub channels: Vec<Channel>,
    pub fallback_after_secs: i32,
    pub scheduled_at: Option<DateTime<Utc>>,
}

/// How many people a filter reaches (the audience builder's live count).
pub async fn audience_count(db: &DatabaseConnection, audience: SelectStatement) -> ApiResult<i64> {
    let backend = db.get_database_backend();
    let mut q = audience;
    q.expr_as(Expr::cust("COUNT(DISTINCT p.id)"), Alias::new("n"));
    Ok(db
        .query_one_raw(backend.build(&q))
        .await?
        .and_then(|r| r.try_get::<i64>("", "n").ok())
        .unwrap_or(0))
}

fn check(d: &CampaignDraft, purpose: Purpose) -> ApiResult<()> {
    if d.name.trim().is_empty() {
        return Err(ApiError::bad_input("name", "give the campaign a name"));
    }
    if d.channels.is_empty() || d.channels.len() > 3 {
        return Err(ApiError::bad_input(
            "channels",
            "one to three channels, in order",
        ));
    }
    for (i, c) in d.channels.iter().enumerate() {
        if d.channels[..i].contains(c) {
            return Err(ApiError::bad_input("channels", "each channel once"));
        }
    }
    if d.fallback_after_secs < 0 {
        return Err(ApiError::bad_input(
            "fallbackAfterSeconds",
            "the fallback delay cannot be negative",
        ));
    }
    match purpose.campaigns() {
        InCampaigns::Any => {}
        InCampaigns::SmsOnly if d.channels == [Channel::Sms] => {}
        InCampaigns::SmsOnly => {
            return Err(ApiError::bad_input(
                "channels",
                "this notice is answered by SMS (a 511/512 consent request): send it by SMS only",
            ));
        }
        InCampaigns::Never => {
            return Err(ApiError::bad_input(
                "templateId",
                "notices of this purpose (answers to replies) are sent one by one, not in campaigns",
            ));
        }
    }
    Ok(())
}

/// Creates a campaign and enqueues its messages with the caller's transaction (the domain
/// may add its own rows to it, such as the consent requests a 511/512 campaign opens).
pub async fn create(
    txn: &impl ConnectionTrait,
    settings: &Settings,
    actor: i64,
    d: CampaignDraft,
) -> ApiResult<notification_campaign::Model> {
    let template = notification_template::Entity::find_by_id(d.template_id)
        .one(txn)
        .await?
        .ok_or(ApiError::NotFound("template"))?;
    let purpose = Purpose::from_db(&template.purpose)
        .ok_or_else(|| ApiError::bad_input("templateId", "the template's purpose is unknown"))?;
    check(&d, purpose)?;
    let now = Utc::now();
    let scheduled = d.scheduled_at.unwrap_or(now).max(now);
    let c = notification_campaign::ActiveModel {
        name: Set(d.name.trim().chars().take(200).collect()),
        template_id: Set(template.id),
        purpose: Set(purpose.as_str().into()),
        audience: Set(d.audience_json.to_string()),
        channel_1: Set(d.channels[0].as_str().into()),
        channel_2: Set(d.channels.get(1).map(|c| c.as_str().to_owned())),
        channel_3: Set(d.channels.get(2).map(|c| c.as_str().to_owned())),
        fallback_after_secs: Set(d.fallback_after_secs),
        scheduled_at: Set(scheduled),
        status: Set(CampaignStatus::Running.as_str().into()),
        enqueued: Set(0),
        created_by: Set(Some(actor)),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    let enqueued =
        enqueue_audience(txn, &c, d.audience, d.subject, purpose, scheduled, settings).await?;
    let mut am = c.into_active_model();
    am.enqueued = Set(enqueued as i64);
    let c = am.update(txn).await?;
    audit::record(
        txn,
        Some(actor),
        "campaign.create",
        "notification_campaign",
        c.id,
        json!({ "templateId": template.id, "audience": d.audience_json, "channels": d.channels, "enqueued": enqueued }),
    )
    .await?;
    tracing::info!(campaign.id = c.id, enqueued, "campaign created");
    Ok(c)
}

/// One message per person of the audience: a single `INSERT ... SELECT`.
async fn enqueue_audience(
    db: &impl ConnectionTrait,
    c: &notification_campaign::Model,
    audience: SelectStatement,
    subject: Option<(&'static str, &'static str)>,
    purpose: Purpose,
    not_before: DateTime<Utc>,
    settings: &Settings,
) -> ApiResult<u64> {
    let backend = db.get_database_backend();
    let mut q = audience;
    let cid = c.id;
    let status = if purpose.is_legal() {
        "'queued'".to_owned()
    } else {
        format!(
            "CASE WHEN EXISTS (SELECT 1 FROM notification_opt_out x WHERE x.person_id = p.id AND x.purpose = '{}') THEN 'suppressed' ELSE 'queued' END",
            purpose.as_str()
        )
    };
    q.expr(Expr::cust(format!("'c{cid}:p' || CAST(p.id AS TEXT)")))
        .expr(Expr::cust("p.id"))
        .expr(match subject {
            Some((kind, _)) => Expr::val(kind),
            None => Expr::val(Option::<String>::None),
        })
        .expr(match subject {
            Some((_, id)) => Expr::cust(format!("MIN({id})")),
            None => Expr::val(Option::<i64>::None),
        })
        .expr(Expr::val(purpose.as_str()))
        .expr(Expr::val(purpose.is_legal()))
        .expr(Expr::cust(
            "CASE WHEN p.language IN ('kk', 'ru', 'en') THEN p.language ELSE 'ru' END",
        ))
        .expr(Expr::val(c.channel_1.clone()))
        .expr(Expr::val(c.template_id))
        .expr(Expr::cust(status))
        .expr(Expr::val(0))
        .expr(Expr::val(settings.notify_max_attempts.max(1)))
        .expr(Expr::val(not_before))
        .expr(Expr::val(Utc::now()))
        .expr(Expr::val(cid))
        .expr(Expr::val(0))
        .group_by_col((Alias::new("p"), Alias::new("id")));
    if backend == DbBackend::Postgres {
        q.group_by_col((Alias::new("p"), Alias::new("language")));
    }
    use notification_message::Column as M;
    let mut ins = Query::insert();
    ins.into_table(notification_message::Entity)
        .columns([
            M::IdempotencyKey,
            M::PersonId,
            M::SubjectKind,
            M::SubjectId,
            M::Purpose,
            M::Legal,
            M::Language,
            M::Channel,
            M::TemplateId,
            M::Status,
            M::Attempts,
            M::MaxAttempts,
            M::NextAttemptAt,
            M::QueuedAt,
            M::CampaignId,
            M::Step,
        ])
        .select_from(q)
        .map_err(ApiError::internal)?
        .on_conflict(
            OnConflict::column(M::IdempotencyKey)
                .do_nothing()
                .to_owned(),
        );
    let r = db.execute(&ins).await?;
    Ok(r.rows_affected())
}

/// Enqueues the next channel for campaign messages that failed, or were sent and not
/// delivered within the campaign's fallback delay. Set-based, idempotent by key.
pub async fn enqueue_fallbacks(
    db: &DatabaseConnection,
    settings: &Settings,
    now: DateTime<Utc>,
) -> ApiResult<u64> {
    let campaigns = notification_campaign::Entity::find()
        .filter(notification_campaign::Column::Status.eq(CampaignStatus::Running.as_str()))
        .filter(notification_campaign::Column::Channel2.is_not_null())
        .all(db)
        .await?;
    let backend = db.get_database_backend();
    let mut total = 0;
    for c in campaigns {
        let cutoff = now - chrono::Duration::seconds(i64::from(c.fallback_after_secs));
        for (step, next) in [(0, c.channel_2.clone()), (1, c.channel_3.clone())] {
            let Some(next) = next else { continue };
            let p = |i: usize| match backend {
                DbBackend::Postgres => format!("${i}"),
                _ => "?".to_owned(),
            };
            let sql = format!(
                "INSERT INTO notification_message (idempotency_key, person_id, subject_kind, subject_id, purpose, legal, language, channel, template_id, status, attempts, max_attempts, next_attempt_at, queued_at, campaign_id, step) \
                 SELECT 'c{cid}:p' || CAST(m.person_id AS TEXT) || ':{next_step}', m.person_id, m.subject_kind, m.subject_id, m.purpose, m.legal, m.language, {p1}, m.template_id, 'queued', 0, {p2}, {p3}, {p4}, m.campaign_id, {next_step} \
                 FROM notification_message m WHERE m.campaign_id = {cid} AND m.step = {step} \
                 AND (m.status IN ('failed', 'dead') OR (m.status = 'sent' AND m.sent_at < {p5})) \
                 ON CONFLICT (idempotency_key) DO NOTHING",
                cid = c.id,
                next_step = step + 1,
                p1 = p(1),
                p2 = p(2),
                p3 = p(3),
                p4 = p(4),
                p5 = p(5),
            );
            let r = db
                .execute_raw(Statement::from_sql_and_values(
                    backend,
                    sql,
                    [
                        next.clone().into(),
                        settings.notify_max_attempts.max(1).into(),
                        now.into(),
                        now.into(),
                        cutoff.into(),
                    ],
                ))
                .await?;
            total += r.rows_affected();
        }
    }
    Ok(total)
}

pub async fn list(db: &DatabaseConnection) -> ApiResult<Vec<notification_campaign::Model>> {
    Ok(notification_campaign::Entity::find()
        .order_by_desc(notification_campaign::Column::Id)
        .limit(200)
        .all(db)
        .await?)
}

pub async fn get(db: &DatabaseConnection, id: i64) -> ApiResult<notification_campaign::Model> {
    notification_campaign::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(ApiError::NotFound("campaign"))
}

/// Pauses, resumes or cancels; cancelling withdraws the messages not yet sent.
pub async fn set_status(
    db: &DatabaseConnection,
    actor: i64,
    id: i64,
    to: CampaignStatus,
) -> ApiResult<notification_campaign::Model> {
    let txn = adal_core::db::begin_write(db).await?;
    let c = notification_campaign::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or(ApiError::NotFound("campaign"))?;
    let from = CampaignStatus::from_db(&c.status);
    let allowed = matches!(
        (from, to),
        (Some(CampaignStatus::Running), CampaignStatus::Paused)
            | (Some(CampaignStatus::Paused), CampaignStatus::Running)
            | (
                Some(CampaignStatus::Running | CampaignStatus::Paused),
                CampaignStatus::Cancelled
            )
    );
    if !allowed {
        return Err(ApiError::Conflict(format!(
            "a {} campaign cannot become {}",
            c.status, to
        )));
    }
    if to == CampaignStatus::Cancelled {
        notification_message::Entity::update_many()
            .col_expr(
                notification_message::Column::Status,
                Expr::value(MessageStatus::Cancelled.as_str()),
            )
            .filter(notification_message::Column::CampaignId.eq(id))
            .filter(notification_message::Column::Status.eq(MessageStatus::Queued.as_str()))
            .exec(&txn)
            .await?;
    }
    let mut am = c.into_active_model();
    am.status = Set(to.as_str().into());
    am.updated_at = Set(Utc::now());
    let c = am.update(&txn).await?;
    audit::record(
        &txn,
        Some(actor),
        "campaign.status",
        "notification_campaign",
        id,
        json!({ "from": from, "to": to }),
    )
    .await?;
    txn.commit().await?;
    Ok(c)
}

/// Counts of a campaign's messages by channel and status.
#[derive(Debug, Clone, Default)]
pub struct ChannelProgress {
    pub channel: String,
    pub total: i64,
    pub queued: i64,
    pub sent: i64,
    pub delivered: i64,
    pub failed: i64,
    pub suppressed: i64,
    pub cancelled: i64,
}

impl ChannelProgress {
    /// Delivered among the messages that were (or are being) tried.
    pub fn delivery_rate(&self) -> f64 {
        let tried = self.total - self.suppressed - self.cancelled;
        if tried > 0 {
            self.delivered as f64 / tried as f64
        } else {
            0.0
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct Progress {
    pub by_channel: Vec<ChannelProgress>,
    /// People with at least one delivered message of the campaign.
    pub people_reached: i64,
    pub people: i64,
}

pub async fn progress(db: &DatabaseConnection, id: i64) -> ApiResult<Progress> {
    let backend = db.get_database_backend();
    let rows = db
        .query_all_raw(Statement::from_string(
            backend,
            format!(
                "SELECT channel, status, COUNT(*) AS n FROM notification_message WHERE campaign_id = {id} GROUP BY channel, status"
            ),
        ))
        .await?;
    let mut by: Vec<ChannelProgress> = Vec::new();
    for r in rows {
        let channel: String = r.try_get("", "channel")?;
        let status: String = r.try_get("", "status")?;
        let n: i64 = r.try_get("", "n")?;
        let i = match by.iter().position(|c| c.channel == channel) {
            Some(i) => i,
            None => {
                by.push(ChannelProgress {
                    channel: channel.clone(),
                    ..Default::default()
                });
                by.len() - 1
            }
        };
        let e = &mut by[i];
        e.total += n;
        match MessageStatus::from_db(&status) {
            Some(MessageStatus::Queued | MessageStatus::Sending) => e.queued += n,
            Some(MessageStatus::Sent) => e.sent += n,
            Some(MessageStatus::Delivered) => e.delivered += n,
            Some(MessageStatus::Failed | MessageStatus::Dead) | None => e.failed += n,
            Some(MessageStatus::Suppressed) => e.suppressed += n,
            Some(MessageStatus::Cancelled) => e.cancelled += n,
        }
    }
    let order = |c: &str| Channel::ALL.iter().position(|x| x.as_str() == c);
    by.sort_by_key(|c| order(&c.channel));
    let one = |sql: String| async move {
        Ok::<i64, ApiError>(
            db.query_one_raw(Statement::from_string(backend, sql))
                .await?
                .and_then(|r| r.try_get::<i64>("", "n").ok())
                .unwrap_or(0),
        )
    };
    let people_reached = one(format!(
        "SELECT COUNT(DISTINCT person_id) AS n FROM notification_message WHERE campaign_id = {id} AND status = 'delivered'"
    ))
    .await?;
    let people = one(format!(
        "SELECT COUNT(DISTINCT person_id) AS n FROM notification_message WHERE campaign_id = {id}"
    ))
    .await?;
    Ok(Progress {
        by_channel: by,
        people_reached,
        people,
    })
}
