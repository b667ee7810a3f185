//! GraphQL types and resolvers of the obligations domain.

use async_graphql::{
    ComplexObject, Context, Enum, ID, InputObject, Json, Object, Result, SimpleObject, Upload,
};
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::EntityTrait;

use entities::{
    claim, claim_contact, claim_payment, commission_vote, exemption, import_batch, organisation,
};

use super::import::{self, ImportKind};
use super::import_reason::ImportRejectionReason;
use super::ledger::{self, Explanation, LedgerMonth};
use super::service::{self, GraduateFilter, GraduateRow};
use super::vocab::{
    ApplicationStatus, ClaimStatus, ContactChannel, EvidenceSource, FundingCategory, Ground,
    MonthState, ObligationStatus, SpecialtyGroup, StudyLevel,
};
use super::{claims, correction, decisions, evaluate, import_job, next_step};
use adal_core::audit;
use adal_core::auth::guard::actor;
use adal_core::auth::roles::OPERATOR_STAFF;
use adal_core::auth::{Allow, Role};
use adal_core::documents::DocumentInfo;
use adal_core::error::ApiError;
use adal_core::identifiers::{Iin, mask};
use adal_core::loaders::load_err;
use adal_core::pagination::{Conn, PageRequest, connection};
use adal_core::sql::parse_id;
use adal_core::state::AppState;
use adal_core::vocab::{Language, OrganisationKind};
use adal_registers::loaders::loaders;
use adal_registers::reference::graphql::{Organisation, Region, lang};

async fn org(ctx: &Context<'_>, id: Option<i64>) -> Result<Option<Organisation>> {
    let Some(id) = id else { return Ok(None) };
    Ok(loaders(ctx)?
        .organisations
        .load_one(id)
        .await
        .map_err(load_err)?
        .map(Organisation))
}

/// A graduate under monitoring and their obligation.
pub struct Graduate(pub GraduateRow);

#[Object]
impl Graduate {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    async fn full_name(&self, ctx: &Context<'_>) -> String {
        audit::read(ctx, self.0.person_id, "name");
        self.0.full_name()
    }
    /// The IIN with its last six digits hidden; `revealIin` shows it and records who asked.
    async fn masked_iin(&self) -> String {
        mask(&self.0.iin)
    }
    async fn university(&self, ctx: &Context<'_>) -> Result<Option<Organisation>> {
        org(ctx, Some(self.0.university_id)).await
    }
    async fn specialty_code(&self) -> &str {
        &self.0.specialty_code
    }
    /// The specialty's name in `language` (default: the caller's language) from the
    /// classifier (`SPECIALTIES` imports); the name the university gave where the classifier
    /// has no such code.
    async fn specialty_name(
        &self,
        ctx: &Context<'_>,
        language: Option<Language>,
    ) -> Result<String> {
        let l = lang(ctx, language);
        let listed = crate::loaders::loaders(ctx)?
            .specialties
            .load_one(self.0.specialty_code.clone())
            .await
            .map_err(load_err)?;
        Ok(crate::labels::specialty(
            listed.as_ref(),
            &self.0.specialty_name,
            l,
        ))
    }
    async fn specialty_group(&self) -> Option<SpecialtyGroup> {
        SpecialtyGroup::from_db(&self.0.specialty_group)
    }
    async fn level(&self) -> Option<StudyLevel> {
        StudyLevel::from_db(&self.0.level)
    }
    async fn category(&self) -> Option<FundingCategory> {
        FundingCategory::from_db(&self.0.funding_category)
    }
    async fn home_region(&self, ctx: &Context<'_>) -> Result<Option<Region>> {
        let Some(k) = self.0.home_region_kato.clone() else {
            return Ok(None);
        };
        Ok(loaders(ctx)?
            .regions
            .load_one(k)
            .await
            .map_err(load_err)?
            .map(Region))
    }
    async fn graduation_date(&self) -> NaiveDate {
        self.0.graduation_date
    }
    async fn grant_months(&self) -> i32 {
        self.0.grant_months
    }
    async fn programme_months(&self) -> i32 {
        self.0.programme_months
    }
    /// Budget cost of the training, KZT.
    async fn budget_cost(&self) -> i64 {
        self.0.budget_cost
    }
    async fn obligation(&self) -> Obligation<'_> {
        Obligation(&self.0)
    }
    /// The ledger month by month, computed from the evidence now.
    async fn ledger(&self, ctx: &Context<'_>) -> Result<Vec<LedgerEntry>> {
        audit::read(ctx, self.0.person_id, "employment");
        let state = ctx.data::<AppState>()?;
        let card = service::card(&state.db, &self.0).await?;
        Ok(card
            .ledger
            .months
            .into_iter()
            .map(|m| LedgerEntry {
                employer: m
                    .employer_id
                    .and_then(|id| card.employers.get(&id).cloned()),
                month: m,
            })
            .collect())
    }
    /// The contribution records behind the ledger, the employer named in `language`.
    async fn contributions(
        &self,
        ctx: &Context<'_>,
        language: Option<Language>,
    ) -> Result<Vec<ContributionRecord>> {
        audit::read(ctx, self.0.person_id, "contributions");
        let state = ctx.data::<AppState>()?;
        let l = lang(ctx, language);
        let card = service::card(&state.db, &self.0).await?;
        let by_bin: std::collections::HashMap<String, organisation::Model> = card
            .employers
            .into_values()
            .map(|o| (o.bin.clone(), o))
            .collect();
        Ok(card
            .contributions
            .into_iter()
            .map(|c| ContributionRecord {
                period: month_text(c.period),
                employer_bin: c.employer_bin.clone(),
                employer_name: by_bin
                    .get(&c.employer_bin)
                    .map(|o| l.pick(&o.name_kk, &o.name_ru, &o.name_en).to_owned()),
                payment_code: c.payment_code,
                payment_date: c.payment_date,
                amount_tiyn: c.amount,
            })
            .collect())
    }
    /// The months accepted documents prove (an employment contract or an employer's
    /// certificate after a 512 refusal), oldest first.
    async fn document_evidence(&self, ctx: &Context<'_>) -> Result<Vec<DocumentEvidence>> {
        audit::read(ctx, self.0.person_id, "employment");
        let state = ctx.data::<AppState>()?;
        Ok(super::tasks::evidence_of(&state.db, self.0.id)
            .await?
            .into_iter()
            .map(DocumentEvidence)
            .collect())
    }
    async fn applications(&self, ctx: &Context<'_>) -> Result<Vec<Application>> {
        let state = ctx.data::<AppState>()?;
        Ok(service::exemptions_of(&state.db, self.0.id)
            .await?
            .into_iter()
            .map(Application)
            .collect())
    }
    /// Every message to the graduate: what, in which language, through which channel, when
    /// queued, sent, delivered and replied (newest first).
    async fn messages(
        &self,
        ctx: &Context<'_>,
    ) -> Result<Vec<adal_notifications::graphql::Message>> {
        crate::notices::graphql::graduate_messages(ctx, self.0.id).await
    }
    /// Tasks for the graduate (the document upload after a 512 refusal).
    async fn tasks(&self, ctx: &Context<'_>) -> Result<Vec<crate::notices::graphql::Task>> {
        crate::notices::graphql::graduate_tasks(ctx, self.0.id).await
    }
    /// 511/512 consent requests and their answers.
    async fn consent_requests(
        &self,
        ctx: &Context<'_>,
    ) -> Result<Vec<crate::notices::graphql::ConsentRequest>> {
        crate::notices::graphql::graduate_consents(ctx, self.0.id).await
    }
    /// Why drafting a claim would be refused now, as the refusal's reason code
    /// (`NOT_IN_BREACH`, `NO_DELIVERED_NOTICE`), or null when the rules allow it: pages show
    /// the button disabled with the reason instead of offering it. (An open claim is listed
    /// with the claims.)
    async fn claim_blocked_by(&self, ctx: &Context<'_>) -> Result<Option<&'static str>> {
        if self.0.status != ObligationStatus::Breach.as_str() {
            return Ok(Some("NOT_IN_BREACH"));
        }
        let messages = crate::loaders::loaders(ctx)?
            .messages
            .load_one(self.0.id)
            .await
            .map_err(load_err)?
            .unwrap_or_default();
        Ok((!messages.iter().any(crate::notices::proves_notice)).then_some("NO_DELIVERED_NOTICE"))
    }
    async fn claims(&self, ctx: &Context<'_>) -> Result<Vec<Claim>> {
        let state = ctx.data::<AppState>()?;
        Ok(service::claims_of(&state.db, self.0.obligation_id)
            .await?
            .into_iter()
            .map(|c| Claim(c, Some(self.0.person_id)))
            .collect())
    }
}

/// The obligation's terms and its evaluated state.
pub struct Obligation<'a>(&'a GraduateRow);

impl Obligation<'_> {
    fn parsed_explanation(&self) -> Option<Explanation> {
        serde_json::from_str(&self.0.explanation).ok()
    }
}

#[Object]
impl Obligation<'_> {
    async fn id(&self) -> ID {
        ID(self.0.obligation_id.to_string())
    }
    async fn required_months(&self) -> i32 {
        self.0.required_months
    }
    async fn credited_months(&self) -> i32 {
        self.0.credited_months
    }
    async fn remaining_months(&self) -> i32 {
        (self.0.required_months - self.0.credited_months).max(0)
    }
    /// The obligation's first day: 1 September of the graduation year, never before the month
    /// after graduation (the rule the ledger applies, whatever was stored at import).
    async fn start_date(&self) -> NaiveDate {
        crate::import::start_of(self.0.graduation_date)
    }
    async fn projected_completion(&self) -> Option<NaiveDate> {
        self.0.projected_completion
    }
    async fn status(&self) -> Option<ObligationStatus> {
        ObligationStatus::from_db(&self.0.status)
    }
    /// The rule version of the last evaluation.
    async fn rule_version(&self) -> i32 {
        self.0.rule_version
    }
    /// Why the status is what it is, in plain words.
    async fn reason(&self, ctx: &Context<'_>, language: Option<Language>) -> Result<String> {
        let Some(e) = self.parsed_explanation() else {
            return Ok(String::new());
        };
        let employer = org(ctx, e.employer_id).await?;
        let l = lang(ctx, language);
        let name = employer
            .as_ref()
            .map(|o| l.pick(&o.0.name_kk, &o.0.name_ru, &o.0.name_en).to_owned());
        Ok(ledger::explain(&e, name.as_deref(), l))
    }
    /// What the operator does next about this obligation, in plain words: a claim under way,
    /// then an open application, then an employer to classify, then the status decide it.
    async fn next_step(&self, ctx: &Context<'_>, language: Option<Language>) -> Result<String> {
        let state = ctx.data::<AppState>()?;
        let situation =
            next_step::situation(&state.db, self.0, self.parsed_explanation().as_ref()).await?;
        Ok(situation.map_or_else(String::new, |s| {
            next_step::next_step(s, lang(ctx, language))
        }))
    }
    /// The same explanation as data (months, employer, rule limits).
    async fn explanation(&self) -> Json<serde_json::Value> {
        Json(serde_json::from_str(&self.0.explanation).unwrap_or_default())
    }
    async fn last_employer(&self, ctx: &Context<'_>) -> Result<Option<Organisation>> {
        org(ctx, self.0.last_employer_id).await
    }
}

pub struct LedgerEntry {
    month: LedgerMonth,
    employer: Option<organisation::Model>,
}

/// One month of the ledger.
#[Object]
impl LedgerEntry {
    /// `YYYY-MM`.
    async fn period(&self) -> String {
        self.month.period.to_string()
    }
    async fn state(&self) -> MonthState {
        self.month.state
    }
    async fn employer(&self) -> Option<Organisation> {
        self.employer.clone().map(Organisation)
    }
    /// Why the paying employer does not count, in plain words.
    async fn reason(&self, ctx: &Context<'_>, language: Option<Language>) -> Option<String> {
        self.month
            .reason
            .as_ref()
            .map(|r| ledger::reason_text(r, lang(ctx, language)))
    }
    /// How many employers paid for the month (or a document names for it).
    async fn employers_paying(&self) -> i32 {
        self.month.employers.len() as i32
    }
    /// Where the evidence behind `employer` comes from: the pension feed, or a document the
    /// operator accepted (the feed when both prove the month); null without evidence.
    async fn source(&self) -> Option<EvidenceSource> {
        self.month.source
    }
}

/// Months of work an accepted document proves.
pub struct DocumentEvidence(entities::document_evidence::Model);

#[Object]
impl DocumentEvidence {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    /// The task whose documents were accepted.
    async fn task_id(&self) -> ID {
        ID(self.0.task_id.to_string())
    }
    /// The BIN (or an entrepreneur's IIN) the document names.
    async fn employer_bin(&self) -> &str {
        &self.0.employer_bin
    }
    async fn employer(&self, ctx: &Context<'_>) -> Result<Option<Organisation>> {
        org(ctx, Some(self.0.organisation_id)).await
    }
    /// The first month proven, `YYYY-MM`.
    async fn from_month(&self) -> String {
        month_text(self.0.period_from)
    }
    /// The last month proven, `YYYY-MM`.
    async fn to_month(&self) -> String {
        month_text(self.0.period_to)
    }
    async fn accepted_at(&self) -> DateTime<Utc> {
        self.0.accepted_at
    }
}

/// A stored month (`YYYYMM`) as the schema writes months (`YYYY-MM`); empty if it is none.
fn month_text(period: i32) -> String {
    super::period::Period::from_i32(period)
        .map(|p| p.to_string())
        .unwrap_or_default()
}

#[derive(SimpleObject)]
pub struct ContributionRecord {
    pub period: String,
    pub employer_bin: String,
    pub employer_name: Option<String>,
    /// 010 (OPV) or 012 (SO).
    pub payment_code: String,
    pub payment_date: Option<NaiveDate>,
    /// In tiyn (a hundredth of a tenge), when the feed carries it.
    pub amount_tiyn: Option<i64>,
}

/// An exemption or suspension application.
pub struct Application(pub exemption::Model);

#[Object]
impl Application {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    async fn ground(&self) -> Option<Ground> {
        Ground::from_db(&self.0.ground)
    }
    async fn is_suspension(&self) -> bool {
        self.0.kind == "suspension"
    }
    async fn period_start(&self) -> Option<NaiveDate> {
        self.0.period_start
    }
    async fn period_end(&self) -> Option<NaiveDate> {
        self.0.period_end
    }
    async fn status(&self) -> Option<ApplicationStatus> {
        ApplicationStatus::from_db(&self.0.status)
    }
    async fn statement(&self) -> &str {
        &self.0.statement
    }
    async fn applied_at(&self) -> DateTime<Utc> {
        self.0.applied_at
    }
    async fn decided_at(&self) -> Option<DateTime<Utc>> {
        self.0.decided_at
    }
    async fn decision_reason(&self) -> Option<&str> {
        self.0.decision_reason.as_deref()
    }
    /// When the commission ended the decision before its period ran out (`periodEnd` is then
    /// the last day it held).
    async fn ended_at(&self) -> Option<DateTime<Utc>> {
        self.0.ended_at
    }
    /// Why it was ended.
    async fn end_reason(&self) -> Option<&str> {
        self.0.end_reason.as_deref()
    }
    async fn graduate_id(&self) -> ID {
        ID(self.0.graduate_id.to_string())
    }
    /// The applicant's full name, as the commission reads the case.
    async fn applicant_name(&self, ctx: &Context<'_>) -> Result<String> {
        let graduate = super::loaders::loaders(ctx)?
            .graduates
            .load_one(self.0.graduate_id)
            .await
            .map_err(load_err)?
            .ok_or(ApiError::NotFound("graduate"))?;
        audit::read(ctx, graduate.person_id, "name");
        Ok(loaders(ctx)?
            .persons
            .load_one(graduate.person_id)
            .await
            .map_err(load_err)?
            .map(|p| p.full_name())
            .unwrap_or_default())
    }
    async fn documents(&self, ctx: &Context<'_>) -> Result<Vec<DocumentInfo>> {
        let state = ctx.data::<AppState>()?;
        Ok(decisions::documents_of(&state.db, self.0.id)
            .await?
            .iter()
            .map(|d| adal_core::document_info!("application", d))
            .collect())
    }
    async fn votes(&self, ctx: &Context<'_>) -> Result<Vec<Vote>> {
        let state = ctx.data::<AppState>()?;
        Ok(decisions::votes_of(&state.db, self.0.id)
            .await?
            .into_iter()
            .map(Vote)
            .collect())
    }
    /// Votes needed before the majority decides.
    async fn quorum(&self, ctx: &Context<'_>) -> Result<i32> {
        Ok(ctx.data::<AppState>()?.settings.commission_quorum as i32)
    }
}

pub struct Vote(commission_vote::Model);

#[Object]
impl Vote {
    async fn member_account_id(&self) -> ID {
        ID(self.0.member_account_id.to_string())
    }
    async fn approve(&self) -> bool {
        self.0.approve
    }
    async fn reason(&self) -> &str {
        &self.0.reason
    }
    async fn at(&self) -> DateTime<Utc> {
        self.0.at
    }
}

/// A reimbursement claim, with the person it is raised against where it is read (a list or a
/// graduate's card; a mutation's answer is covered by the mutation's own audit event).
pub struct Claim(pub claim::Model, pub Option<i64>);

impl Claim {
    /// Notes the read of the claim's money and contacts for the `personal_data.read` event.
    fn read(&self, ctx: &Context<'_>) {
        if let Some(person) = self.1 {
            audit::read(ctx, person, "claim");
        }
    }
}

#[Object]
impl Claim {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    /// KZT.
    async fn amount(&self, ctx: &Context<'_>) -> i64 {
        self.read(ctx);
        self.0.amount
    }
    /// How the amount was computed: formula, inputs, rounding, rule version.
    async fn computation(&self, ctx: &Context<'_>) -> Json<serde_json::Value> {
        self.read(ctx);
        Json(serde_json::from_str(&self.0.computation).unwrap_or_default())
    }
    async fn status(&self) -> Option<ClaimStatus> {
        ClaimStatus::from_db(&self.0.status)
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    async fn payments(&self, ctx: &Context<'_>) -> Result<Vec<Payment>> {
        self.read(ctx);
        let state = ctx.data::<AppState>()?;
        Ok(claims::payments_of(&state.db, self.0.id)
            .await?
            .into_iter()
            .map(Payment)
            .collect())
    }
    async fn paid_total(&self, ctx: &Context<'_>) -> Result<i64> {
        self.read(ctx);
        let state = ctx.data::<AppState>()?;
        Ok(claims::payments_of(&state.db, self.0.id)
            .await?
            .iter()
            .map(|p| p.amount)
            .sum())
    }
    async fn contacts(&self, ctx: &Context<'_>) -> Result<Vec<Contact>> {
        self.read(ctx);
        let state = ctx.data::<AppState>()?;
        Ok(claims::contacts_of(&state.db, self.0.id)
            .await?
            .into_iter()
            .map(Contact)
            .collect())
    }
}

/// A claim in the operator's list, with the graduate it is raised against.
#[derive(SimpleObject)]
#[graphql(complex)]
pub struct ClaimListItem {
    pub graduate_id: ID,
    #[graphql(skip)]
    pub graduate_name: String,
    pub claim: Claim,
}

#[ComplexObject]
impl ClaimListItem {
    async fn graduate_name(&self, ctx: &Context<'_>) -> &str {
        if let Some(person) = self.claim.1 {
            audit::read(ctx, person, "name");
        }
        &self.graduate_name
    }
}

pub struct Payment(claim_payment::Model);

#[Object]
impl Payment {
    async fn amount(&self) -> i64 {
        self.0.amount
    }
    async fn paid_on(&self) -> NaiveDate {
        self.0.paid_on
    }
    async fn reference(&self) -> &str {
        &self.0.reference
    }
}

pub struct Contact(claim_contact::Model);

#[Object]
impl Contact {
    async fn channel(&self) -> Option<ContactChannel> {
        ContactChannel::from_db(&self.0.channel)
    }
    async fn outcome(&self) -> &str {
        &self.0.outcome
    }
    async fn note(&self) -> &str {
        &self.0.note
    }
    async fn at(&self) -> DateTime<Utc> {
        self.0.at
    }
}

#[derive(SimpleObject)]
pub struct CountBy {
    pub key: String,
    pub count: i64,
}

fn counts(b: Vec<service::Bucket>) -> Vec<CountBy> {
    b.into_iter()
        .map(|b| CountBy {
            key: b.key,
            count: b.count,
        })
        .collect()
}

/// The operator's figures at a glance.
#[derive(SimpleObject)]
pub struct ObligationDashboard {
    pub graduates: i64,
    pub by_status: Vec<CountBy>,
    pub by_category: Vec<CountBy>,
    pub by_region: Vec<CountBy>,
    pub by_graduation_year: Vec<CountBy>,
    /// Share of obligations in breach (0..1).
    pub breach_share: f64,
    /// The latest month the feeds cover (`YYYY-MM`).
    pub horizon: String,
    /// Graduates with a contribution paid for that month.
    pub paid_in_latest_month: i64,
    /// Graduates whose ledger credits that month: the months credited this month.
    pub credited_in_latest_month: i64,
    /// Employers waiting for classification.
    pub pending_classification: i64,
    pub imports_running: i64,
    /// Graduates by status at the end of each of the last 12 months that have figures, oldest
    /// first.
    pub status_history: Vec<StatusMonth>,
}

/// Graduates by status at the end of one month.
#[derive(SimpleObject)]
pub struct StatusMonth {
    /// `YYYY-MM`.
    pub period: String,
    pub by_status: Vec<CountBy>,
}

/// An imported file and its outcome.
pub struct ImportBatch(pub import_batch::Model);

/// A rejected line of an import: its reason as a machine code (for a text in the reader's
/// language) and in English (for machines and logs).
#[derive(SimpleObject)]
pub struct RejectedLine {
    pub line: i64,
    /// The file's column at fault.
    pub field: Option<String>,
    /// Absent only on lines rejected before reasons had codes.
    pub code: Option<ImportRejectionReason>,
    /// The reason in English.
    pub reason: String,
}

#[Object]
impl ImportBatch {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    async fn kind(&self) -> Option<ImportKind> {
        ImportKind::from_db(&self.0.kind)
    }
    async fn file_name(&self) -> &str {
        &self.0.file_name
    }
    /// `running`, `completed` or `failed`.
    async fn status(&self) -> &str {
        &self.0.status
    }
    async fn total_rows(&self) -> i64 {
        self.0.total_rows
    }
    async fn accepted(&self) -> i64 {
        self.0.accepted
    }
    async fn duplicates(&self) -> i64 {
        self.0.duplicates
    }
    async fn rejected(&self) -> i64 {
        self.0.rejected
    }
    async fn started_at(&self) -> DateTime<Utc> {
        self.0.started_at
    }
    async fn finished_at(&self) -> Option<DateTime<Utc>> {
        self.0.finished_at
    }
    /// Why the whole file was refused, in English (for machines and logs).
    async fn error(&self) -> Option<&str> {
        self.0.error.as_deref()
    }
    /// Why the whole file was refused, as a machine code.
    async fn error_code(&self) -> Option<ImportRejectionReason> {
        self.0
            .error_code
            .as_deref()
            .and_then(ImportRejectionReason::from_code)
    }
    /// The values the refusal's text needs (for `MISSING_COLUMNS`, the missing column names).
    async fn error_params(&self) -> Vec<String> {
        self.0
            .error_params
            .as_deref()
            .and_then(|p| serde_json::from_str(p).ok())
            .unwrap_or_default()
    }
    /// The first rejected lines (at most `first`, 100 by default, 1000 at most), by line.
    async fn rejections(&self, ctx: &Context<'_>, first: Option<i32>) -> Result<Vec<RejectedLine>> {
        let state = ctx.data::<AppState>()?;
        let limit = first.unwrap_or(100).clamp(1, 1000) as u64;
        Ok(import::rejections(&state.db, self.0.id, limit)
            .await?
            .into_iter()
            .map(|r| RejectedLine {
                line: r.line,
                field: r.field,
                code: r
                    .reason_code
                    .as_deref()
                    .and_then(ImportRejectionReason::from_code),
                reason: r.reason,
            })
            .collect())
    }
    /// The rejected lines as CSV (`line,field,reason`), for download.
    async fn rejection_report(&self, ctx: &Context<'_>) -> Result<String> {
        let state = ctx.data::<AppState>()?;
        Ok(import::rejection_report(&state.db, self.0.id).await?)
    }
}

#[derive(SimpleObject)]
pub struct RuleSetVersion {
    pub version: i32,
    /// The administrator's reason for the version; for the defaults, the system's own words
    /// (a page shows its own text for them, see `defaults`).
    pub note: String,
    /// The domain brief's defaults, saved by the system on first use: no administrator wrote
    /// them or their note.
    pub defaults: bool,
    pub created_at: DateTime<Utc>,
    /// The first day the version applies to: each month is judged by the latest version
    /// applying from its first day or before.
    pub effective_from: NaiveDate,
    pub rules: Json<serde_json::Value>,
}

impl RuleSetVersion {
    fn from_model(r: entities::rule_set::Model) -> Self {
        Self {
            version: r.version,
            note: r.note,
            defaults: r.created_by.is_none(),
            created_at: r.created_at,
            effective_from: r.effective_from,
            rules: Json(serde_json::from_str(&r.rules).unwrap_or_default()),
        }
    }
}

#[derive(SimpleObject)]
pub struct StatusChange {
    pub from: String,
    pub to: String,
    pub count: u64,
}

#[derive(SimpleObject)]
pub struct ClassificationItem {
    pub organisation: Organisation,
    /// Contribution records that wait on this employer's classification.
    pub records: i64,
}

#[derive(InputObject, Default)]
#[graphql(name = "GraduateFilter")]
pub struct GraduateFilterInput {
    pub status: Option<ObligationStatus>,
    pub category: Option<FundingCategory>,
    pub specialty_group: Option<SpecialtyGroup>,
    pub region_kato: Option<String>,
    pub university_id: Option<ID>,
    pub graduation_year: Option<i32>,
    pub employer_id: Option<ID>,
    /// Exact IIN (12 digits).
    pub iin: Option<String>,
}

impl GraduateFilterInput {
    pub(crate) fn parse(self) -> adal_core::error::ApiResult<GraduateFilter> {
        Ok(GraduateFilter {
            status: self.status,
            category: self.category,
            specialty_group: self.specialty_group,
            region_kato: self.region_kato.filter(|s| !s.is_empty()),
            university_id: self
                .university_id
                .as_ref()
                .map(|i| parse_id("universityId", i))
                .transpose()?,
            graduation_year: self.graduation_year,
            employer_id: self
                .employer_id
                .as_ref()
                .map(|i| parse_id("employerId", i))
                .transpose()?,
            iin: self
                .iin
                .filter(|s| !s.trim().is_empty())
                .map(|s| Iin::parse(&s).map_err(|e| ApiError::bad_input("iin", e.0)))
                .transpose()?,
        })
    }
}

const ANALYSTS: &[Role] = &[Role::OperatorAdmin, Role::OperatorAnalyst];
const ADMIN: &[Role] = &[Role::OperatorAdmin];
const STAFF_AND_GRADUATE: &[Role] = &[
    Role::OperatorAdmin,
    Role::OperatorAnalyst,
    Role::CommissionMember,
    Role::Graduate,
];

#[derive(Default)]
pub struct ObligationsQuery;

#[Object]
impl ObligationsQuery {
    /// Graduates under monitoring, filtered; each with its obligation's status and reason.
    #[graphql(
        guard = "Allow::roles(\"graduates\", OPERATOR_STAFF)",
        complexity = "adal_core::pagination::list_complexity(first, child_complexity)"
    )]
    async fn graduates(
        &self,
        ctx: &Context<'_>,
        filter: Option<GraduateFilterInput>,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<Conn<Graduate>> {
        let state = ctx.data::<AppState>()?;
        let page = PageRequest::parse(first, after)?;
        let filter = filter.unwrap_or_default().parse()?;
        let rows = service::list(&state.db, &filter, &page).await?;
        let total = if ctx.look_ahead().field("totalCount").exists() {
            let counts = ctx.data::<service::RegisterCounts>()?;
            service::count(&state.db, counts, &filter).await?
        } else {
            0
        };
        Ok(connection(
            &page,
            rows,
            total,
            |r| r.id.to_string(),
            Graduate,
        ))
    }

    /// One graduate: the operator's staff see anyone; a graduate only themselves.
    #[graphql(guard = "Allow::roles(\"graduate\", STAFF_AND_GRADUATE)")]
    async fn graduate(&self, ctx: &Context<'_>, id: ID) -> Result<Graduate> {
        let state = ctx.data::<AppState>()?;
        let id = parse_id("id", &id)?;
        Ok(Graduate(service::get(&state.db, actor(ctx)?, id).await?))
    }

    /// The caller's own obligations (graduates).
    #[graphql(guard = "Allow::roles(\"myObligations\", &[Role::Graduate])")]
    async fn my_obligations(&self, ctx: &Context<'_>) -> Result<Vec<Graduate>> {
        let state = ctx.data::<AppState>()?;
        Ok(service::mine(&state.db, actor(ctx)?)
            .await?
            .into_iter()
            .map(Graduate)
            .collect())
    }

    #[graphql(guard = "Allow::roles(\"obligationDashboard\", OPERATOR_STAFF)")]
    async fn obligation_dashboard(&self, ctx: &Context<'_>) -> Result<ObligationDashboard> {
        let state = ctx.data::<AppState>()?;
        let d = ctx
            .data::<service::DashboardCache>()?
            .get(&state.db)
            .await?;
        Ok(ObligationDashboard {
            graduates: d.total,
            by_status: counts(d.by_status),
            by_category: counts(d.by_category),
            by_region: counts(d.by_region),
            by_graduation_year: counts(d.by_year),
            breach_share: d.breach_share,
            horizon: d.horizon.to_string(),
            paid_in_latest_month: d.paid_in_latest_month,
            credited_in_latest_month: d.credited_in_latest_month,
            pending_classification: d.pending_classification,
            imports_running: d.imports_running,
            status_history: super::history::months(&state.db, 12)
                .await?
                .into_iter()
                .map(|(p, counts)| StatusMonth {
                    period: p.to_string(),
                    by_status: counts
                        .into_iter()
                        .map(|(key, count)| CountBy { key, count })
                        .collect(),
                })
                .collect(),
        })
    }

    /// Employers created from the feeds that wait for kind and locality, most needed first.
    #[graphql(
        guard = "Allow::roles(\"classificationQueue\", ANALYSTS)",
        complexity = "adal_core::pagination::list_complexity(first, child_complexity)"
    )]
    async fn classification_queue(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
    ) -> Result<Vec<ClassificationItem>> {
        let state = ctx.data::<AppState>()?;
        let n = first.unwrap_or(50).clamp(1, 200) as u64;
        Ok(service::classification_queue(&state.db, n)
            .await?
            .into_iter()
            .map(|(o, records)| ClassificationItem {
                organisation: Organisation(o),
                records,
            })
            .collect())
    }

    /// Imported files, newest first.
    #[graphql(
        guard = "Allow::roles(\"importBatches\", ANALYSTS)",
        complexity = "adal_core::pagination::list_complexity(first, child_complexity)"
    )]
    async fn import_batches(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<Conn<ImportBatch>> {
        let state = ctx.data::<AppState>()?;
        let page = PageRequest::parse(first, after)?;
        let (rows, total) = import::list_batches(&state.db, &page).await?;
        Ok(connection(
            &page,
            rows,
            total,
            |r| r.id.to_string(),
            ImportBatch,
        ))
    }

    #[graphql(guard = "Allow::roles(\"importBatch\", ANALYSTS)")]
    async fn import_batch(&self, ctx: &Context<'_>, id: ID) -> Result<ImportBatch> {
        let state = ctx.data::<AppState>()?;
        let id = parse_id("id", &id)?;
        Ok(ImportBatch(
            import_batch::Entity::find_by_id(id)
                .one(&state.db)
                .await?
                .ok_or(ApiError::NotFound("import batch"))?,
        ))
    }

    /// Exemption and suspension applications (the commission's queue).
    #[graphql(guard = "Allow::roles(\"applications\", OPERATOR_STAFF)")]
    async fn applications(
        &self,
        ctx: &Context<'_>,
        status: Option<ApplicationStatus>,
    ) -> Result<Vec<Application>> {
        let state = ctx.data::<AppState>()?;
        Ok(decisions::queue(&state.db, status)
            .await?
            .into_iter()
            .map(Application)
            .collect())
    }

    /// Reimbursement claims, newest first, optionally of one status (the operator's claim
    /// work; graduates in breach without a claim are `graduates(filter: {status: BREACH})`).
    #[graphql(
        guard = "Allow::roles(\"claims\", ANALYSTS)",
        complexity = "adal_core::pagination::list_complexity(first, child_complexity)"
    )]
    async fn claims(
        &self,
        ctx: &Context<'_>,
        status: Option<ClaimStatus>,
        first: Option<i32>,
    ) -> Result<Vec<ClaimListItem>> {
        let state = ctx.data::<AppState>()?;
        let n = first.unwrap_or(100).clamp(1, 500) as u64;
        Ok(claims::list(&state.db, status, n)
            .await?
            .into_iter()
            .map(|r| ClaimListItem {
                graduate_id: ID(r.graduate_id.to_string()),
                graduate_name: r.graduate_name,
                claim: Claim(r.claim, Some(r.person_id)),
            })
            .collect())
    }

    /// The qualification rules, every version, newest first.
    #[graphql(guard = "Allow::roles(\"ruleSets\", OPERATOR_STAFF)")]
    async fn rule_sets(&self, ctx: &Context<'_>) -> Result<Vec<RuleSetVersion>> {
        let state = ctx.data::<AppState>()?;
        Ok(evaluate::rule_versions(&state.db)
            .await?
            .into_iter()
            .map(RuleSetVersion::from_model)
            .collect())
    }
}

#[derive(InputObject)]
pub struct ApplicationInput {
    pub graduate_id: ID,
    pub ground: Ground,
    pub period_start: Option<NaiveDate>,
    pub period_end: Option<NaiveDate>,
    pub statement: String,
    pub documents: Vec<Upload>,
}

/// The terms of a graduate's grant an operator may correct; an omitted field keeps its value.
#[derive(InputObject)]
pub struct GraduateTermsInput {
    pub funding_category: Option<FundingCategory>,
    /// Months studied on the grant (1 to 240, at most the programme's months).
    pub grant_months: Option<i32>,
    /// Months of the programme (1 to 240).
    pub programme_months: Option<i32>,
    pub graduation_date: Option<NaiveDate>,
    /// The budget spent on the grant, in whole tenge.
    pub budget_cost_kzt: Option<i64>,
}

#[derive(Enum, Copy, Clone, PartialEq, Eq)]
pub enum ClaimStatusChange {
    Sent,
    Acknowledged,
    InCourt,
    Withdrawn,
}

#[derive(Default)]
pub struct ObligationsMutation;

#[Object]
impl ObligationsMutation {
    /// Uploads a CSV file and imports it as a job (any instance may run it, and a restart
    /// resumes it); follow it with `importBatch`.
    #[graphql(guard = "Allow::roles(\"importFile\", ADMIN)")]
    async fn import_file(
        &self,
        ctx: &Context<'_>,
        kind: ImportKind,
        file: Upload,
    ) -> Result<ImportBatch> {
        let state = ctx.data::<AppState>()?;
        let actor = actor(ctx)?;
        let upload = file
            .value(ctx)
            .map_err(|_| ApiError::bad_input("file", "the file could not be read"))?;
        let (batch, queued) = import_job::keep_and_enqueue(
            &state.db,
            &state.settings.data_dir,
            kind,
            &upload.filename,
            upload.content,
            Some(actor.account_id),
        )
        .await?;
        if queued {
            state.jobs.wake();
        }
        Ok(ImportBatch(batch))
    }

    /// Shows a graduate's full IIN; the request is recorded in the audit trail.
    #[graphql(guard = "Allow::roles(\"revealIin\", OPERATOR_STAFF)")]
    async fn reveal_iin(&self, ctx: &Context<'_>, graduate_id: ID) -> Result<String> {
        let state = ctx.data::<AppState>()?;
        let actor = actor(ctx)?;
        let id = parse_id("graduateId", &graduate_id)?;
        let g = service::get(&state.db, actor, id).await?;
        audit::record(
            &state.db,
            Some(actor.account_id),
            "graduate.reveal_iin",
            "graduate",
            id,
            serde_json::json!({}),
        )
        .await?;
        Ok(g.iin)
    }

    /// Applies for exemption or suspension with supporting documents (the graduate for
    /// themselves, or the operator's administrator on their behalf).
    #[graphql(
        guard = "Allow::roles(\"applyForExemption\", &[Role::Graduate, Role::OperatorAdmin])"
    )]
    async fn apply_for_exemption(
        &self,
        ctx: &Context<'_>,
        input: ApplicationInput,
    ) -> Result<Application> {
        let state = ctx.data::<AppState>()?;
        let actor = actor(ctx)?;
        let gid = parse_id("graduateId", &input.graduate_id)?;
        service::get(&state.db, actor, gid).await?;
        let documents = input
            .documents
            .iter()
            .map(|u| adal_core::graphql::uploaded(ctx, u, "documents"))
            .collect::<Result<Vec<_>, _>>()?;
        let app = decisions::apply(
            &state.db,
            &state.settings.data_dir,
            actor.account_id,
            decisions::Application {
                graduate_id: gid,
                ground: input.ground,
                period_start: input.period_start,
                period_end: input.period_end,
                statement: input.statement,
                documents,
            },
        )
        .await?;
        Ok(Application(app))
    }

    /// A commission member's vote with reasons; the quorum's majority decides.
    #[graphql(guard = "Allow::roles(\"vote\", &[Role::CommissionMember])")]
    async fn vote(
        &self,
        ctx: &Context<'_>,
        application_id: ID,
        approve: bool,
        reason: String,
    ) -> Result<Application> {
        let state = ctx.data::<AppState>()?;
        let actor = actor(ctx)?;
        let id = parse_id("applicationId", &application_id)?;
        let app = decisions::vote(
            &state.db,
            actor.account_id,
            id,
            approve,
            &reason,
            state.settings.commission_quorum,
        )
        .await?;
        Ok(Application(app))
    }

    /// Ends an approved exemption or suspension early, with the reasons (a contract military
    /// service whose terms are not kept): `lastDay` is the last day it holds; the months after
    /// it are evaluated by the rules again.
    #[graphql(guard = "Allow::roles(\"endDecision\", &[Role::CommissionMember])")]
    async fn end_decision(
        &self,
        ctx: &Context<'_>,
        application_id: ID,
        last_day: NaiveDate,
        reason: String,
    ) -> Result<Application> {
        let state = ctx.data::<AppState>()?;
        let actor = actor(ctx)?;
        let id = parse_id("applicationId", &application_id)?;
        Ok(Application(
            decisions::end(&state.db, actor.account_id, id, last_day, &reason).await?,
        ))
    }

    /// Corrects one graduate's terms (checked as the graduates import checks a line), with
    /// the reason: the old and new values, the reason and the operator go to the audit trail
    /// (`graduate.corrected`), and the obligation is evaluated again.
    #[graphql(guard = "Allow::roles(\"correctGraduateTerms\", ADMIN)")]
    async fn correct_graduate_terms(
        &self,
        ctx: &Context<'_>,
        graduate_id: ID,
        input: GraduateTermsInput,
        reason: String,
    ) -> Result<Graduate> {
        let state = ctx.data::<AppState>()?;
        let actor = actor(ctx)?;
        let id = parse_id("graduateId", &graduate_id)?;
        service::get(&state.db, actor, id).await?;
        correction::correct_terms(
            &state.db,
            actor.account_id,
            id,
            correction::TermsCorrection {
                funding_category: input.funding_category,
                grant_months: input.grant_months,
                programme_months: input.programme_months,
                graduation_date: input.graduation_date,
                budget_cost: input.budget_cost_kzt,
            },
            &reason,
        )
        .await?;
        Ok(Graduate(service::get(&state.db, actor, id).await?))
    }

    /// Drafts the reimbursement claim of a graduate in breach.
    #[graphql(guard = "Allow::roles(\"draftClaim\", ADMIN)")]
    async fn draft_claim(&self, ctx: &Context<'_>, graduate_id: ID) -> Result<Claim> {
        let state = ctx.data::<AppState>()?;
        let id = parse_id("graduateId", &graduate_id)?;
        Ok(Claim(
            claims::draft(&state.db, actor(ctx)?.account_id, id).await?,
            None,
        ))
    }

    #[graphql(guard = "Allow::roles(\"setClaimStatus\", ADMIN)")]
    async fn set_claim_status(
        &self,
        ctx: &Context<'_>,
        claim_id: ID,
        status: ClaimStatusChange,
    ) -> Result<Claim> {
        let state = ctx.data::<AppState>()?;
        let id = parse_id("claimId", &claim_id)?;
        let status = match status {
            ClaimStatusChange::Sent => ClaimStatus::Sent,
            ClaimStatusChange::Acknowledged => ClaimStatus::Acknowledged,
            ClaimStatusChange::InCourt => ClaimStatus::InCourt,
            ClaimStatusChange::Withdrawn => ClaimStatus::Withdrawn,
        };
        Ok(Claim(
            claims::set_status(&state.db, actor(ctx)?.account_id, id, status).await?,
            None,
        ))
    }

    #[graphql(guard = "Allow::roles(\"recordClaimPayment\", ADMIN)")]
    async fn record_claim_payment(
        &self,
        ctx: &Context<'_>,
        claim_id: ID,
        amount: i64,
        paid_on: NaiveDate,
        reference: String,
    ) -> Result<Claim> {
        let state = ctx.data::<AppState>()?;
        let id = parse_id("claimId", &claim_id)?;
        Ok(Claim(
            claims::record_payment(
                &state.db,
                actor(ctx)?.account_id,
                id,
                amount,
                paid_on,
                &reference,
            )
            .await?,
            None,
        ))
    }

    #[graphql(guard = "Allow::roles(\"recordClaimContact\", ADMIN)")]
    async fn record_claim_contact(
        &self,
        ctx: &Context<'_>,
        claim_id: ID,
        channel: ContactChannel,
        outcome: String,
        note: Option<String>,
    ) -> Result<Claim> {
        let state = ctx.data::<AppState>()?;
        let id = parse_id("claimId", &claim_id)?;
        claims::record_contact(
            &state.db,
            actor(ctx)?.account_id,
            id,
            channel,
            &outcome,
            note.as_deref().unwrap_or(""),
        )
        .await?;
        Ok(Claim(
            claim::Entity::find_by_id(id)
                .one(&state.db)
                .await?
                .ok_or(ApiError::NotFound("claim"))?,
            None,
        ))
    }

    /// Saves a new version of the qualification rules, applying to the months from
    /// `effectiveFrom` on (default: the first day of the current month); the months before it
    /// keep the versions in force then. Past evaluations keep their version until
    /// `reevaluateAll` runs.
    #[graphql(guard = "Allow::roles(\"saveRules\", ADMIN)")]
    async fn save_rules(
        &self,
        ctx: &Context<'_>,
        rules: Json<serde_json::Value>,
        note: String,
        effective_from: Option<NaiveDate>,
    ) -> Result<RuleSetVersion> {
        let state = ctx.data::<AppState>()?;
        let actor = actor(ctx)?;
        let saved =
            evaluate::save_rules(&state.db, actor.account_id, rules.0, &note, effective_from)
                .await?;
        Ok(RuleSetVersion::from_model(saved))
    }

    /// How many graduates would change status were these rules saved to apply from
    /// `effectiveFrom` (default: the first day of the current month); nothing is saved.
    #[graphql(guard = "Allow::roles(\"previewRules\", ADMIN)")]
    async fn preview_rules(
        &self,
        ctx: &Context<'_>,
        rules: Json<serde_json::Value>,
        effective_from: Option<NaiveDate>,
    ) -> Result<Vec<StatusChange>> {
        let state = ctx.data::<AppState>()?;
        let parsed = super::rules::RuleSet::from_json(rules.0)?;
        let mut changes: Vec<StatusChange> = evaluate::preview(&state.db, &parsed, effective_from)
            .await?
            .into_iter()
            .map(|((from, to), count)| StatusChange { from, to, count })
            .collect();
        changes.sort_by_key(|c| std::cmp::Reverse(c.count));
        Ok(changes)
    }

    /// Re-evaluates every obligation with the rules in force; returns how many.
    #[graphql(guard = "Allow::roles(\"reevaluateAll\", ADMIN)")]
    async fn reevaluate_all(&self, ctx: &Context<'_>) -> Result<i64> {
        let state = ctx.data::<AppState>()?;
        let s = evaluate::reevaluate_all(&state.db).await?;
        audit::record(
            &state.db,
            Some(actor(ctx)?.account_id),
            "rules.reevaluate",
            "rule_set",
            s.rule_version,
            serde_json::json!({ "obligations": s.obligations }),
        )
        .await?;
        Ok(s.obligations as i64)
    }

    /// Classifies an employer (one the feeds created, or one whose kind or locality changed):
    /// the values hold from `effectiveFrom` (default: the first day of the current month), the
    /// months before it keep the values then in force; its graduates are re-evaluated.
    #[graphql(guard = "Allow::roles(\"classifyEmployer\", ADMIN)")]
    async fn classify_employer(
        &self,
        ctx: &Context<'_>,
        id: ID,
        kind: OrganisationKind,
        locality_kato: String,
        activity_code: Option<String>,
        effective_from: Option<NaiveDate>,
    ) -> Result<Organisation> {
        let state = ctx.data::<AppState>()?;
        let actor = actor(ctx)?;
        let id = parse_id("id", &id)?;
        let o = super::classify::classify(
            &state.db,
            actor.account_id,
            id,
            kind,
            &locality_kato,
            activity_code,
            effective_from,
        )
        .await?;
        Ok(Organisation(o))
    }
}
