//! GraphQL types and resolvers of notifications.

use async_graphql::{Context, ID, InputObject, Json, Object, Result, SimpleObject};
use chrono::{DateTime, Utc};

use entities::{notification_campaign, notification_message, notification_template};

use super::purposes::Purpose;
use super::subjects::{Domains, Variable};
use super::vocab::{CampaignStatus, Channel, MessageStatus};
use super::{campaigns, outbox, templates};
use adal_core::auth::guard::actor;
use adal_core::auth::roles::OPERATOR_STAFF;
use adal_core::auth::{Allow, Role};
use adal_core::error::ApiError;
use adal_core::sql::parse_id;
use adal_core::state::AppState;
use adal_core::vocab::Language;

/// Every variable a template may use: the domains' (wired in by the server) and the short
/// number.
pub fn variables(ctx: &Context<'_>) -> Result<Vec<Variable>> {
    Ok(ctx.data::<Domains>()?.variables())
}

pub const ANALYSTS: &[Role] = &[Role::OperatorAdmin, Role::OperatorAnalyst];
pub const ADMIN: &[Role] = &[Role::OperatorAdmin];

use adal_core::identifiers::mask_contact;

/// A purpose and whether the law requires it (legal notices cannot be opted out of).
#[derive(SimpleObject)]
pub struct PurposeInfo {
    pub purpose: Purpose,
    pub legal: bool,
    pub opt_out_allowed: bool,
}

/// A variable templates may use.
#[derive(SimpleObject)]
pub struct TemplateVariable {
    pub name: String,
    /// Length assumed when the SMS length is checked.
    pub max_length: i32,
    pub meaning: String,
}

pub struct NotificationTemplate(pub notification_template::Model);

#[Object]
impl NotificationTemplate {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    async fn code(&self) -> &str {
        &self.0.code
    }
    async fn purpose(&self) -> Option<Purpose> {
        Purpose::from_db(&self.0.purpose)
    }
    async fn legal(&self) -> bool {
        Purpose::from_db(&self.0.purpose).is_none_or(|p| p.is_legal())
    }
    async fn subject_kk(&self) -> &str {
        &self.0.subject_kk
    }
    async fn subject_ru(&self) -> &str {
        &self.0.subject_ru
    }
    async fn subject_en(&self) -> &str {
        &self.0.subject_en
    }
    async fn body_kk(&self) -> &str {
        &self.0.body_kk
    }
    async fn body_ru(&self) -> &str {
        &self.0.body_ru
    }
    async fn body_en(&self) -> &str {
        &self.0.body_en
    }
    /// SMS segments of the text in each language with variables at their longest (kk, ru, en).
    async fn max_segments(&self, ctx: &Context<'_>) -> Result<Vec<i32>> {
        let variables = variables(ctx)?;
        Ok([&self.0.body_kk, &self.0.body_ru, &self.0.body_en]
            .iter()
            .map(|b| {
                let longest: String = variables.iter().fold((*b).clone(), |acc, (n, len, _)| {
                    acc.replace(&format!("{{{n}}}"), &"Ж".repeat(*len))
                });
                templates::sms_segments(&longest) as i32
            })
            .collect())
    }
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }
}

#[derive(InputObject)]
pub struct TemplateInput {
    /// A stable code, e.g. `breach_notice_2025`; saving an existing code updates it.
    pub code: String,
    pub purpose: Purpose,
    #[graphql(default)]
    pub subject_kk: String,
    #[graphql(default)]
    pub subject_ru: String,
    #[graphql(default)]
    pub subject_en: String,
    pub body_kk: String,
    pub body_ru: String,
    pub body_en: String,
}

impl TemplateInput {
    pub fn draft(self) -> templates::TemplateDraft {
        templates::TemplateDraft {
            code: self.code,
            purpose: self.purpose,
            subject: [self.subject_kk, self.subject_ru, self.subject_en],
            body: [self.body_kk, self.body_ru, self.body_en],
        }
    }
}

/// A template rendered with a real subject's data (a graduate's, a child's).
#[derive(SimpleObject)]
pub struct TemplatePreview {
    pub language: Language,
    pub subject: String,
    pub body: String,
    pub characters: i32,
    pub sms_segments: i32,
    /// The person's own language: the one they would receive.
    pub preferred: bool,
}

/// One message of the outbox.
pub struct Message(pub notification_message::Model);

#[Object]
impl Message {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    async fn purpose(&self) -> Option<Purpose> {
        Purpose::from_db(&self.0.purpose)
    }
    /// A legal notice (sent whatever the person's preferences).
    async fn legal(&self) -> bool {
        self.0.legal
    }
    async fn language(&self) -> Language {
        Language::from_db_or_default(&self.0.language)
    }
    async fn channel(&self) -> Option<Channel> {
        Channel::from_db(&self.0.channel)
    }
    async fn status(&self) -> Option<MessageStatus> {
        MessageStatus::from_db(&self.0.status)
    }
    /// The address used, masked.
    async fn recipient(&self) -> Option<String> {
        self.0.recipient.as_deref().map(mask_contact)
    }
    async fn subject(&self) -> Option<&str> {
        self.0.subject.as_deref()
    }
    /// The text as sent (unset until sent: it is rendered then). It names the person and
    /// their case: reading someone else's is a read of personal data.
    async fn body(&self, ctx: &Context<'_>) -> Option<&str> {
        if let Some(person) = self.0.person_id {
            adal_core::audit::read(ctx, person, "notice");
        }
        self.0.body.as_deref()
    }
    async fn attempts(&self) -> i32 {
        self.0.attempts
    }
    async fn max_attempts(&self) -> i32 {
        self.0.max_attempts
    }
    async fn last_error(&self) -> Option<&str> {
        self.0.last_error.as_deref()
    }
    async fn provider_message_id(&self) -> Option<&str> {
        self.0.provider_message_id.as_deref()
    }
    async fn campaign_id(&self) -> Option<ID> {
        self.0.campaign_id.map(|c| ID(c.to_string()))
    }
    /// What the message is about: the kind a domain names (`graduate`, `child`).
    async fn subject_kind(&self) -> Option<&str> {
        self.0.subject_kind.as_deref()
    }
    /// The id of the subject (a graduate's, a child's) in its domain.
    async fn subject_id(&self) -> Option<ID> {
        self.0.subject_id.map(|c| ID(c.to_string()))
    }
    /// The graduate the message is about (its subject, when that is a graduate).
    #[graphql(
        deprecation = "use subjectKind and subjectId: messages are about any domain's subjects"
    )]
    async fn graduate_id(&self) -> Option<ID> {
        (self.0.subject_kind.as_deref() == Some("graduate"))
            .then_some(self.0.subject_id)
            .flatten()
            .map(|c| ID(c.to_string()))
    }
    async fn next_attempt_at(&self) -> DateTime<Utc> {
        self.0.next_attempt_at
    }
    async fn queued_at(&self) -> DateTime<Utc> {
        self.0.queued_at
    }
    async fn sent_at(&self) -> Option<DateTime<Utc>> {
        self.0.sent_at
    }
    async fn delivered_at(&self) -> Option<DateTime<Utc>> {
        self.0.delivered_at
    }
    async fn failed_at(&self) -> Option<DateTime<Utc>> {
        self.0.failed_at
    }
    async fn replied_at(&self) -> Option<DateTime<Utc>> {
        self.0.replied_at
    }
}

#[derive(SimpleObject)]
pub struct ChannelProgress {
    pub channel: Option<Channel>,
    pub total: i64,
    pub queued: i64,
    pub sent: i64,
    pub delivered: i64,
    pub failed: i64,
    pub suppressed: i64,
    pub cancelled: i64,
    /// Delivered among the messages tried.
    pub delivery_rate: f64,
}

#[derive(SimpleObject)]
pub struct CampaignProgress {
    pub people: i64,
    pub people_reached: i64,
    pub by_channel: Vec<ChannelProgress>,
}

pub struct Campaign(pub notification_campaign::Model);

#[Object]
impl Campaign {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    async fn purpose(&self) -> Option<Purpose> {
        Purpose::from_db(&self.0.purpose)
    }
    async fn template(&self, ctx: &Context<'_>) -> Result<NotificationTemplate> {
        let state = ctx.data::<AppState>()?;
        Ok(NotificationTemplate(
            templates::get(&state.db, self.0.template_id).await?,
        ))
    }
    /// The filter the audience was chosen with, as the domain's register took it.
    async fn audience(&self) -> Json<serde_json::Value> {
        Json(serde_json::from_str(&self.0.audience).unwrap_or_default())
    }
    /// The channel order: the next is tried when the previous fails or is not delivered in time.
    async fn channels(&self) -> Vec<Channel> {
        [
            Some(&self.0.channel_1),
            self.0.channel_2.as_ref(),
            self.0.channel_3.as_ref(),
        ]
        .into_iter()
        .flatten()
        .filter_map(|c| Channel::from_db(c))
        .collect()
    }
    async fn fallback_after_seconds(&self) -> i32 {
        self.0.fallback_after_secs
    }
    async fn scheduled_at(&self) -> DateTime<Utc> {
        self.0.scheduled_at
    }
    async fn status(&self) -> Option<CampaignStatus> {
        CampaignStatus::from_db(&self.0.status)
    }
    /// People the campaign was enqueued for.
    async fn enqueued(&self) -> i64 {
        self.0.enqueued
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    async fn progress(&self, ctx: &Context<'_>) -> Result<CampaignProgress> {
        let state = ctx.data::<AppState>()?;
        let p = campaigns::progress(&state.db, self.0.id).await?;
        Ok(CampaignProgress {
            people: p.people,
            people_reached: p.people_reached,
            by_channel: p
                .by_channel
                .into_iter()
                .map(|c| ChannelProgress {
                    channel: Channel::from_db(&c.channel),
                    delivery_rate: c.delivery_rate(),
                    total: c.total,
                    queued: c.queued,
                    sent: c.sent,
                    delivered: c.delivered,
                    failed: c.failed,
                    suppressed: c.suppressed,
                    cancelled: c.cancelled,
                })
                .collect(),
        })
    }
}

#[derive(SimpleObject)]
pub struct NotificationSetting {
    pub purpose: Purpose,
    pub legal: bool,
    pub opted_out: bool,
}

#[derive(Default)]
pub struct NotificationsQuery;

#[Object]
impl NotificationsQuery {
    /// Every purpose, and which are legal notices (no opt-out) and which are optional.
    #[graphql(guard = "Allow::signed_in(\"notificationPurposes\")")]
    async fn notification_purposes(&self) -> Vec<PurposeInfo> {
        Purpose::all()
            .iter()
            .map(|p| PurposeInfo {
                purpose: *p,
                legal: p.is_legal(),
                opt_out_allowed: !p.is_legal(),
            })
            .collect()
    }

    /// The variables templates may use.
    #[graphql(guard = "Allow::roles(\"templateVariables\", OPERATOR_STAFF)")]
    async fn template_variables(&self, ctx: &Context<'_>) -> Result<Vec<TemplateVariable>> {
        Ok(variables(ctx)?
            .iter()
            .map(|(n, l, m)| TemplateVariable {
                name: (*n).to_owned(),
                max_length: *l as i32,
                meaning: (*m).to_owned(),
            })
            .collect())
    }

    #[graphql(guard = "Allow::roles(\"notificationTemplates\", OPERATOR_STAFF)")]
    async fn notification_templates(&self, ctx: &Context<'_>) -> Result<Vec<NotificationTemplate>> {
        let state = ctx.data::<AppState>()?;
        Ok(templates::list(&state.db)
            .await?
            .into_iter()
            .map(NotificationTemplate)
            .collect())
    }

    #[graphql(guard = "Allow::roles(\"campaigns\", OPERATOR_STAFF)")]
    async fn campaigns(&self, ctx: &Context<'_>) -> Result<Vec<Campaign>> {
        let state = ctx.data::<AppState>()?;
        Ok(campaigns::list(&state.db)
            .await?
            .into_iter()
            .map(Campaign)
            .collect())
    }

    #[graphql(guard = "Allow::roles(\"campaign\", OPERATOR_STAFF)")]
    async fn campaign(&self, ctx: &Context<'_>, id: ID) -> Result<Campaign> {
        let state = ctx.data::<AppState>()?;
        Ok(Campaign(
            campaigns::get(&state.db, parse_id("id", &id)?).await?,
        ))
    }

    /// Messages whose retries ran out or whose channel is not configured.
    #[graphql(guard = "Allow::roles(\"deadLetters\", ANALYSTS)")]
    async fn dead_letters(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = 100)] limit: i32,
    ) -> Result<Vec<Message>> {
        let state = ctx.data::<AppState>()?;
        Ok(outbox::dead_letters(&state.db, limit.max(0) as u64)
            .await?
            .into_iter()
            .map(Message)
            .collect())
    }

    /// The caller's notification settings: every purpose, legal or optional, and their opt-outs.
    #[graphql(guard = "Allow::roles(\"myNotificationSettings\", &[Role::Graduate])")]
    async fn my_notification_settings(
        &self,
        ctx: &Context<'_>,
    ) -> Result<Vec<NotificationSetting>> {
        let state = ctx.data::<AppState>()?;
        let opted = match actor(ctx)?.person_id {
            Some(pid) => outbox::opt_outs(&state.db, pid).await?,
            None => Vec::new(),
        };
        Ok(Purpose::all()
            .iter()
            .map(|p| NotificationSetting {
                purpose: *p,
                legal: p.is_legal(),
                opted_out: opted.iter().any(|o| o == p.as_str()),
            })
            .collect())
    }
}

#[derive(Default)]
pub struct NotificationsMutation;

#[Object]
impl NotificationsMutation {
    /// Saves a template (by code) after checking it: known variables only, and SMS no longer
    /// than `sms_max_segments` segments with variables at their longest.
    #[graphql(guard = "Allow::roles(\"saveTemplate\", ADMIN)")]
    async fn save_template(
        &self,
        ctx: &Context<'_>,
        input: TemplateInput,
    ) -> Result<NotificationTemplate> {
        let state = ctx.data::<AppState>()?;
        let a = actor(ctx)?;
        Ok(NotificationTemplate(
            templates::save(
                &state.db,
                Some(a.account_id),
                input.draft(),
                state.settings.sms_max_segments,
                &variables(ctx)?,
            )
            .await?,
        ))
    }

    #[graphql(guard = "Allow::roles(\"pauseCampaign\", ADMIN)")]
    async fn pause_campaign(&self, ctx: &Context<'_>, id: ID) -> Result<Campaign> {
        set_campaign(ctx, id, CampaignStatus::Paused).await
    }

    #[graphql(guard = "Allow::roles(\"resumeCampaign\", ADMIN)")]
    async fn resume_campaign(&self, ctx: &Context<'_>, id: ID) -> Result<Campaign> {
        set_campaign(ctx, id, CampaignStatus::Running).await
    }

    /// Cancels a campaign: messages not yet sent are withdrawn.
    #[graphql(guard = "Allow::roles(\"cancelCampaign\", ADMIN)")]
    async fn cancel_campaign(&self, ctx: &Context<'_>, id: ID) -> Result<Campaign> {
        set_campaign(ctx, id, CampaignStatus::Cancelled).await
    }

    /// Queues a dead (or failed) message again with fresh attempts and the same idempotency key.
    #[graphql(guard = "Allow::roles(\"retryMessage\", ADMIN)")]
    async fn retry_message(&self, ctx: &Context<'_>, id: ID) -> Result<Message> {
        let state = ctx.data::<AppState>()?;
        let a = actor(ctx)?;
        Ok(Message(
            outbox::retry(&state.db, a.account_id, parse_id("id", &id)?).await?,
        ))
    }

    /// Opts the caller out of (or back into) an optional purpose; legal notices cannot be.
    #[graphql(guard = "Allow::roles(\"setNotificationOptOut\", &[Role::Graduate])")]
    async fn set_notification_opt_out(
        &self,
        ctx: &Context<'_>,
        purpose: Purpose,
        opt_out: bool,
    ) -> Result<Vec<NotificationSetting>> {
        let state = ctx.data::<AppState>()?;
        let Some(pid) = actor(ctx)?.person_id else {
            return Err(ApiError::NotFound("person").into());
        };
        outbox::set_opt_out(&state.db, pid, purpose, opt_out).await?;
        let opted = outbox::opt_outs(&state.db, pid).await?;
        Ok(Purpose::all()
            .iter()
            .map(|p| NotificationSetting {
                purpose: *p,
                legal: p.is_legal(),
                opted_out: opted.iter().any(|o| o == p.as_str()),
            })
            .collect())
    }
}

async fn set_campaign(ctx: &Context<'_>, id: ID, to: CampaignStatus) -> Result<Campaign> {
    let state = ctx.data::<AppState>()?;
    let a = actor(ctx)?;
    Ok(Campaign(
        campaigns::set_status(&state.db, a.account_id, parse_id("id", &id)?, to).await?,
    ))
}
