//! GraphQL of the obligations' notices: campaigns to graduates (the audience is a graduates
//! filter), template previews with a graduate's data, the 511/512 consent flow, graduates'
//! tasks, and the coverage of notices.

use async_graphql::{Context, ID, InputObject, Object, Result, SimpleObject, Upload};
use chrono::{DateTime, Utc};

use entities::{consent_request, graduate_task};

use crate::loaders::loaders;
use adal_core::audit;
use adal_core::auth::guard::actor;
use adal_core::auth::roles::OPERATOR_STAFF;
use adal_core::auth::{Allow, Role};
use adal_core::documents::DocumentInfo;
use adal_core::error::ApiError;
use adal_core::loaders::load_err;
use adal_core::sql::parse_id;
use adal_core::state::AppState;
use adal_core::vocab::Language;
use adal_notifications::graphql::{
    ADMIN, ANALYSTS, Campaign, Message, TemplateInput, TemplatePreview, variables,
};
use adal_notifications::purposes::Purpose;
use adal_notifications::vocab::Channel;
use adal_notifications::{campaigns, templates};

use crate::graphql::{Graduate, GraduateFilterInput};
use crate::service;
use crate::vocab::{ConsentStatus, EmploymentRequestStatus, TaskStatus};
use crate::{consent, coverage, tasks};

#[derive(InputObject)]
pub struct CampaignInput {
    pub name: String,
    pub template_id: ID,
    /// The audience, with the graduates register's filter.
    #[graphql(default)]
    pub audience: GraduateFilterInput,
    /// Channel order, e.g. `[PUSH, SMS, EMAIL]`.
    pub channels: Vec<Channel>,
    /// Try the next channel when a message is not delivered within this time (default 30 min).
    #[graphql(default = 1800)]
    pub fallback_after_seconds: i32,
    /// When to start; now when unset.
    pub scheduled_at: Option<DateTime<Utc>>,
}

pub struct Task(pub graduate_task::Model);

#[Object]
impl Task {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    async fn graduate_id(&self) -> ID {
        ID(self.0.graduate_id.to_string())
    }
    /// `upload_employment_documents`: after a 512 refusal.
    async fn kind(&self) -> &str {
        &self.0.kind
    }
    async fn status(&self) -> Option<TaskStatus> {
        TaskStatus::from_db(&self.0.status)
    }
    /// What the graduate is asked to do, in their language.
    async fn instructions(&self, language: Option<Language>) -> &'static str {
        language.unwrap_or(Language::Ru).pick(
            "Еңбек шартын, жұмысқа қабылдау туралы бұйрықты немесе жұмыс берушінің анықтамасын жүктеңіз.",
            "Загрузите трудовой договор, приказ о приёме на работу или справку с места работы.",
            "Upload your employment contract, the hiring order or a certificate from your employer.",
        )
    }
    async fn note(&self) -> &str {
        &self.0.note
    }
    async fn review_note(&self) -> &str {
        &self.0.review_note
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    async fn submitted_at(&self) -> Option<DateTime<Utc>> {
        self.0.submitted_at
    }
    async fn reviewed_at(&self) -> Option<DateTime<Utc>> {
        self.0.reviewed_at
    }
    async fn documents(&self, ctx: &Context<'_>) -> Result<Vec<DocumentInfo>> {
        let state = ctx.data::<AppState>()?;
        Ok(tasks::documents_of(&state.db, self.0.id)
            .await?
            .into_iter()
            .map(|d| adal_core::document_info!("task", d))
            .collect())
    }
}

/// A 511/512 request and where it led.
pub struct ConsentRequest(pub consent_request::Model);

#[Object]
impl ConsentRequest {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    async fn status(&self) -> Option<ConsentStatus> {
        ConsentStatus::from_db(&self.0.status)
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    async fn answered_at(&self) -> Option<DateTime<Utc>> {
        self.0.answered_at
    }
    async fn employment_request_status(&self) -> Option<EmploymentRequestStatus> {
        self.0
            .employment_status
            .as_deref()
            .and_then(EmploymentRequestStatus::from_db)
    }
    async fn employment_request_error(&self) -> Option<&str> {
        self.0.employment_error.as_deref()
    }
    /// The import batch the ministry's answer was ingested as.
    async fn employment_batch_id(&self) -> Option<ID> {
        self.0.employment_batch_id.map(|b| ID(b.to_string()))
    }
}

#[derive(SimpleObject)]
pub struct CoverageShare {
    pub key: String,
    pub total: i64,
    pub reached: i64,
    pub share: f64,
}

impl From<coverage::Share> for CoverageShare {
    fn from(s: coverage::Share) -> Self {
        Self {
            share: s.share(),
            key: s.key,
            total: s.total,
            reached: s.reached,
        }
    }
}

/// Obligated graduates (all but fulfilled, closed, exempt) with a delivered message in the period.
#[derive(SimpleObject)]
pub struct NotificationCoverage {
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    pub total: i64,
    pub reached: i64,
    pub share: f64,
    pub by_channel: Vec<CoverageShare>,
    pub by_region: Vec<CoverageShare>,
    pub by_category: Vec<CoverageShare>,
    pub by_status: Vec<CoverageShare>,
}

#[derive(SimpleObject)]
pub struct UnreachableGraduate {
    pub graduate: Graduate,
    /// `no_contact` or `all_failed`.
    pub reason: String,
}

#[derive(SimpleObject)]
pub struct UnreachableList {
    pub total: i64,
    pub nodes: Vec<UnreachableGraduate>,
}

// Graduate card additions (resolved from `obligations::graphql::Graduate`).

pub async fn graduate_messages(ctx: &Context<'_>, graduate_id: i64) -> Result<Vec<Message>> {
    let mut ms = loaders(ctx)?
        .messages
        .load_one(graduate_id)
        .await
        .map_err(load_err)?
        .unwrap_or_default();
    ms.sort_by_key(|m| std::cmp::Reverse(m.id));
    Ok(ms.into_iter().map(Message).collect())
}

pub async fn graduate_tasks(ctx: &Context<'_>, graduate_id: i64) -> Result<Vec<Task>> {
    let mut ts = loaders(ctx)?
        .tasks
        .load_one(graduate_id)
        .await
        .map_err(load_err)?
        .unwrap_or_default();
    ts.sort_by_key(|t| std::cmp::Reverse(t.id));
    Ok(ts.into_iter().map(Task).collect())
}

pub async fn graduate_consents(ctx: &Context<'_>, graduate_id: i64) -> Result<Vec<ConsentRequest>> {
    let state = ctx.data::<AppState>()?;
    Ok(consent::of_graduate(&state.db, graduate_id)
        .await?
        .into_iter()
        .map(ConsentRequest)
        .collect())
}

/// The period asked for; by default from midnight (UTC) 365 days ago until now, so that the
/// same default asked again is the same period for [`coverage::CoverageCache`]. `to` is `None`
/// for "until now".
fn period(
    from: Option<DateTime<Utc>>,
    to: Option<DateTime<Utc>>,
) -> Result<(DateTime<Utc>, Option<DateTime<Utc>>)> {
    let end = to.unwrap_or_else(Utc::now);
    let from = from.unwrap_or_else(|| {
        (end - chrono::Duration::days(365))
            .date_naive()
            .and_time(chrono::NaiveTime::MIN)
            .and_utc()
    });
    if from >= end {
        return Err(ApiError::bad_input("from", "the period must start before it ends").into());
    }
    Ok((from, to))
}

#[derive(Default)]
pub struct NoticesQuery;

#[Object]
impl NoticesQuery {
    /// A template (saved, or as being edited) rendered in kk, ru and en with a real graduate's
    /// data. Unsaved text is checked as on save.
    #[graphql(guard = "Allow::roles(\"previewTemplate\", ANALYSTS)")]
    async fn preview_template(
        &self,
        ctx: &Context<'_>,
        graduate_id: ID,
        template_id: Option<ID>,
        input: Option<TemplateInput>,
    ) -> Result<Vec<TemplatePreview>> {
        let state = ctx.data::<AppState>()?;
        let gid = parse_id("graduateId", &graduate_id)?;
        let row = service::get(&state.db, actor(ctx)?, gid).await?;
        let (subject, body) = match (input, template_id) {
            (Some(i), _) => {
                let d = i.draft();
                templates::check(&d, state.settings.sms_max_segments, &variables(ctx)?)?;
                (d.subject, d.body)
            }
            (None, Some(id)) => {
                let t = templates::get(&state.db, parse_id("templateId", &id)?).await?;
                (
                    [t.subject_kk, t.subject_ru, t.subject_en],
                    [t.body_kk, t.body_ru, t.body_en],
                )
            }
            (None, None) => {
                return Err(
                    ApiError::bad_input("templateId", "give a template or its text").into(),
                );
            }
        };
        let vars = super::variables_of(&row);
        let mut vars = vars;
        vars.insert(
            adal_notifications::subjects::SHORT_NUMBER.0,
            state.settings.sms_sender.clone(),
        );
        let lang = <entities::person::Entity as sea_orm::EntityTrait>::find_by_id(row.person_id)
            .one(&state.db)
            .await
            .map_err(ApiError::from)?
            .map_or(Language::Ru, |p| Language::from_db_or_default(&p.language));
        Ok([Language::Kk, Language::Ru, Language::En]
            .into_iter()
            .enumerate()
            .map(|(i, l)| {
                let b = templates::render(&body[i], &vars);
                TemplatePreview {
                    language: l,
                    subject: templates::render(&subject[i], &vars),
                    characters: b.chars().count() as i32,
                    sms_segments: templates::sms_segments(&b) as i32,
                    body: b,
                    preferred: l == lang,
                }
            })
            .collect())
    }

    /// How many people a graduates filter reaches (the audience builder's live count).
    #[graphql(guard = "Allow::roles(\"campaignAudienceCount\", ANALYSTS)")]
    async fn campaign_audience_count(
        &self,
        ctx: &Context<'_>,
        #[graphql(default)] audience: GraduateFilterInput,
    ) -> Result<i64> {
        let state = ctx.data::<AppState>()?;
        Ok(super::audience_count(&state.db, &audience.parse()?).await?)
    }

    /// The share of obligated graduates with a delivered message in the period (default: the
    /// last 365 days), by channel, region, category and status.
    #[graphql(guard = "Allow::roles(\"notificationCoverage\", OPERATOR_STAFF)")]
    async fn notification_coverage(
        &self,
        ctx: &Context<'_>,
        from: Option<DateTime<Utc>>,
        to: Option<DateTime<Utc>>,
    ) -> Result<NotificationCoverage> {
        let state = ctx.data::<AppState>()?;
        let (from, to) = period(from, to)?;
        let c = ctx
            .data::<coverage::CoverageCache>()?
            .coverage(&state.db, from, to)
            .await?;
        Ok(NotificationCoverage {
            from,
            to: to.unwrap_or_else(Utc::now),
            share: if c.total > 0 {
                c.reached as f64 / c.total as f64
            } else {
                0.0
            },
            total: c.total,
            reached: c.reached,
            by_channel: c.by_channel.into_iter().map(Into::into).collect(),
            by_region: c.by_region.into_iter().map(Into::into).collect(),
            by_category: c.by_category.into_iter().map(Into::into).collect(),
            by_status: c.by_status.into_iter().map(Into::into).collect(),
        })
    }

    /// Obligated graduates nobody reaches: no contact at all, or every message failed.
    #[graphql(guard = "Allow::roles(\"unreachableGraduates\", OPERATOR_STAFF)")]
    async fn unreachable_graduates(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = 100)] limit: i32,
    ) -> Result<UnreachableList> {
        let state = ctx.data::<AppState>()?;
        let (list, total) = ctx
            .data::<coverage::CoverageCache>()?
            .unreachable(&state.db, limit.clamp(0, 1000) as u64)
            .await?;
        let ids: Vec<i64> = list.iter().map(|u| u.graduate_id).collect();
        let mut rows: std::collections::HashMap<i64, service::GraduateRow> =
            service::rows_by_ids(&state.db, &ids)
                .await?
                .into_iter()
                .map(|r| (r.id, r))
                .collect();
        Ok(UnreachableList {
            total,
            nodes: list
                .into_iter()
                .filter_map(|u| {
                    rows.remove(&u.graduate_id).map(|r| UnreachableGraduate {
                        graduate: Graduate(r),
                        reason: u.reason.to_owned(),
                    })
                })
                .collect(),
        })
    }

    /// Graduates' tasks for the operator to review (e.g. `status: SUBMITTED`).
    #[graphql(guard = "Allow::roles(\"graduateTasks\", OPERATOR_STAFF)")]
    async fn graduate_tasks(
        &self,
        ctx: &Context<'_>,
        status: Option<TaskStatus>,
    ) -> Result<Vec<Task>> {
        let state = ctx.data::<AppState>()?;
        Ok(tasks::list(&state.db, status)
            .await?
            .into_iter()
            .map(Task)
            .collect())
    }

    /// The caller's own tasks (a graduate's upload task after a refusal).
    #[graphql(guard = "Allow::roles(\"myTasks\", &[Role::Graduate])")]
    async fn my_tasks(&self, ctx: &Context<'_>) -> Result<Vec<Task>> {
        let state = ctx.data::<AppState>()?;
        let Some(pid) = actor(ctx)?.person_id else {
            return Ok(Vec::new());
        };
        Ok(tasks::of_person(&state.db, pid)
            .await?
            .into_iter()
            .map(Task)
            .collect())
    }
}

#[derive(Default)]
pub struct NoticesMutation;

#[Object]
impl NoticesMutation {
    /// Creates a campaign and enqueues one message per person of the audience.
    #[graphql(guard = "Allow::roles(\"createCampaign\", ADMIN)")]
    async fn create_campaign(&self, ctx: &Context<'_>, input: CampaignInput) -> Result<Campaign> {
        let state = ctx.data::<AppState>()?;
        let a = actor(ctx)?;
        let audience_json = async_graphql::InputType::to_value(&input.audience)
            .into_json()
            .unwrap_or_default();
        let draft = campaigns::CampaignDraft {
            name: input.name,
            template_id: parse_id("templateId", &input.template_id)?,
            audience: crate::service::filtered_select(&input.audience.parse()?),
            subject: Some((super::SUBJECT_KIND, "g.id")),
            audience_json,
            channels: input.channels,
            fallback_after_secs: input.fallback_after_seconds,
            scheduled_at: input.scheduled_at,
        };
        Ok(Campaign(
            super::create_campaign(&state.db, &state.settings, a.account_id, draft).await?,
        ))
    }

    /// Sends one notice to a graduate in their language: by `channel`, or by default their
    /// first reachable one. `POST` sends a registered letter through the post operator's
    /// hybrid mail, handed over against a signature at the registered address: its receipt
    /// proves notice as an SMS's or a push's does.
    #[graphql(guard = "Allow::roles(\"sendNotice\", ADMIN)")]
    async fn send_notice(
        &self,
        ctx: &Context<'_>,
        graduate_id: ID,
        purpose: Purpose,
        channel: Option<adal_notifications::vocab::Channel>,
    ) -> Result<Message> {
        let state = ctx.data::<AppState>()?;
        let a = actor(ctx)?;
        let gid = parse_id("graduateId", &graduate_id)?;
        service::get(&state.db, a, gid).await?;
        Ok(Message(
            super::send_notice(
                &state.db,
                a.account_id,
                gid,
                purpose,
                channel,
                state.settings.notify_max_attempts,
            )
            .await?,
        ))
    }

    /// Sends the 511/512 consent request by SMS.
    #[graphql(guard = "Allow::roles(\"requestConsent\", ADMIN)")]
    async fn request_consent(&self, ctx: &Context<'_>, graduate_id: ID) -> Result<ConsentRequest> {
        let state = ctx.data::<AppState>()?;
        let a = actor(ctx)?;
        let gid = parse_id("graduateId", &graduate_id)?;
        service::get(&state.db, a, gid).await?;
        Ok(ConsentRequest(
            consent::request(&state.db, &state.settings, a.account_id, gid).await?,
        ))
    }

    /// The unreachable graduates as CSV for hybrid mail (full IINs and names: recorded in the audit).
    #[graphql(guard = "Allow::roles(\"exportUnreachable\", ADMIN)")]
    async fn export_unreachable(&self, ctx: &Context<'_>) -> Result<String> {
        let state = ctx.data::<AppState>()?;
        let a = actor(ctx)?;
        let (list, total) = coverage::unreachable(&state.db, 1_000_000).await?;
        let ids: Vec<i64> = list.iter().map(|u| u.graduate_id).collect();
        let rows: std::collections::HashMap<i64, service::GraduateRow> =
            service::rows_by_ids(&state.db, &ids)
                .await?
                .into_iter()
                .map(|r| (r.id, r))
                .collect();
        let mut w = csv::Writer::from_writer(Vec::new());
        let header = [
            "graduate_id",
            "iin",
            "last_name",
            "first_name",
            "middle_name",
            "region_kato",
            "university_id",
            "reason",
        ];
        w.write_record(header).map_err(ApiError::internal)?;
        for u in &list {
            if let Some(r) = rows.get(&u.graduate_id) {
                let text = |s: &str| adal_core::spreadsheet::text_cell(s).into_owned();
                w.write_record([
                    r.id.to_string(),
                    r.iin.clone(),
                    text(&r.last_name),
                    text(&r.first_name),
                    text(r.middle_name.as_deref().unwrap_or_default()),
                    r.home_region_kato.clone().unwrap_or_default(),
                    r.university_id.to_string(),
                    u.reason.to_owned(),
                ])
                .map_err(ApiError::internal)?;
            }
        }
        let bytes = w
            .into_inner()
            .map_err(|e| ApiError::internal(anyhow::anyhow!("{e}")))?;
        audit::record(
            &state.db,
            Some(a.account_id),
            "unreachable.export",
            "graduate",
            0,
            serde_json::json!({ "rows": total }),
        )
        .await?;
        Ok(String::from_utf8_lossy(&bytes).into_owned())
    }

    /// The graduate submits supporting documents for their task (multipart upload).
    #[graphql(guard = "Allow::roles(\"submitTask\", &[Role::Graduate])")]
    async fn submit_task(
        &self,
        ctx: &Context<'_>,
        task_id: ID,
        #[graphql(default)] note: String,
        documents: Vec<Upload>,
    ) -> Result<Task> {
        let state = ctx.data::<AppState>()?;
        let a = actor(ctx)?;
        let Some(pid) = a.person_id else {
            return Err(ApiError::NotFound("task").into());
        };
        let docs = documents
            .iter()
            .map(|u| adal_core::graphql::uploaded(ctx, u, "documents"))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Task(
            tasks::submit(
                &state.db,
                &state.settings.data_dir,
                a.account_id,
                pid,
                parse_id("taskId", &task_id)?,
                &note,
                docs,
            )
            .await?,
        ))
    }

    /// The operator accepts or rejects a task's documents (a reason is required to reject).
    /// Accepting a document-upload task needs what the document proves: the employer's BIN
    /// (or an entrepreneur's IIN) and the first and last month of work (`YYYY-MM`, not after
    /// the current month). Those months then count in the ledger like months the employer paid
    /// for (source `DOCUMENT`), through the same qualification rules.
    #[graphql(guard = "Allow::roles(\"reviewTask\", ADMIN)")]
    #[allow(clippy::too_many_arguments)] // each argument is one of the field's GraphQL arguments
    async fn review_task(
        &self,
        ctx: &Context<'_>,
        task_id: ID,
        accept: bool,
        #[graphql(default)] note: String,
        employer_bin: Option<String>,
        from_month: Option<String>,
        to_month: Option<String>,
    ) -> Result<Task> {
        let state = ctx.data::<AppState>()?;
        let a = actor(ctx)?;
        let proof = tasks::Proof::parse(
            employer_bin.as_deref(),
            from_month.as_deref(),
            to_month.as_deref(),
            Utc::now().date_naive(),
        )?;
        Ok(Task(
            tasks::review(
                &state.db,
                a.account_id,
                parse_id("taskId", &task_id)?,
                accept,
                &note,
                proof,
            )
            .await?,
        ))
    }
}
