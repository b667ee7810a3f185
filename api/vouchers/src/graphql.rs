//! GraphQL types and resolvers of the vouchers domain. Campaigns, priority tables and
//! allocation runs are public (no personal data); applications are seen by the child's parents
//! and by the akimat officers running the campaign.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use async_graphql::{Context, Enum, ID, InputObject, Object, Result, SimpleObject, Upload};
use chrono::{DateTime, Utc};

use entities::{
    voucher, voucher_allocation, voucher_application, voucher_application_category,
    voucher_campaign, voucher_direction, voucher_priority_table,
};

use adal_core::auth::guard::actor;
use adal_core::auth::{Allow, Role};
use adal_core::documents::DocumentInfo;
use adal_core::error::{ApiError, FieldContext};
use adal_core::identifiers::{Iin, Kato, mask};
use adal_core::loaders::load_err;
use adal_core::pagination::{Conn, PageRequest, connection};
use adal_core::sql::parse_id;
use adal_core::state::AppState;
use adal_registers::loaders::loaders;

use crate::allocation;
use crate::applications::{self, ApplicationDraft};
use crate::campaigns::{self, CampaignDraft, TableDraft, parse_category};
use crate::money;
use crate::preview;
use crate::ranking::TieBreak;
use crate::vocab::{
    ClubDirection, VoucherApplicationStatus, VoucherCampaignStatus, VoucherCategoryStatus,
    VoucherStatus,
};

const AKIMAT: &[Role] = &[Role::AkimatOfficer];
const PARENT: &[Role] = &[Role::Parent];
const PARENT_OR_AKIMAT: &[Role] = &[Role::Parent, Role::AkimatOfficer];

/// How ties of equal score are broken, in the order a table lists them. The lottery (from the
/// campaign's published seed) always decides last; the time of application never does.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
pub enum VoucherTieRule {
    YoungerFirst,
    OlderFirst,
    Lottery,
}

impl From<VoucherTieRule> for TieBreak {
    fn from(t: VoucherTieRule) -> Self {
        match t {
            VoucherTieRule::YoungerFirst => TieBreak::YoungerFirst,
            VoucherTieRule::OlderFirst => TieBreak::OlderFirst,
            VoucherTieRule::Lottery => TieBreak::Lottery,
        }
    }
}

impl From<TieBreak> for VoucherTieRule {
    fn from(t: TieBreak) -> Self {
        match t {
            TieBreak::YoungerFirst => VoucherTieRule::YoungerFirst,
            TieBreak::OlderFirst => VoucherTieRule::OlderFirst,
            TieBreak::Lottery => VoucherTieRule::Lottery,
        }
    }
}

#[derive(SimpleObject, InputObject, Clone, Debug)]
#[graphql(
    name = "VoucherCategoryWeight",
    input_name = "VoucherCategoryWeightInput"
)]
pub struct CategoryWeight {
    /// A category code, e.g. `orphan`, `disability`, `large_family`.
    pub category: String,
    pub weight: i64,
}

/// A version of a region's priority table.
pub struct PriorityTable(pub voucher_priority_table::Model);

#[Object(name = "VoucherPriorityTable")]
impl PriorityTable {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    async fn region_kato(&self) -> &str {
        &self.0.region_kato
    }
    async fn version(&self) -> i32 {
        self.0.version
    }
    /// Category weights; a child's score is the sum of the weights of their confirmed
    /// categories.
    async fn weights(&self) -> Result<Vec<CategoryWeight>> {
        Ok(campaigns::table_of(&self.0)?
            .weights
            .into_iter()
            .map(|(category, weight)| CategoryWeight { category, weight })
            .collect())
    }
    async fn ties(&self) -> Result<Vec<VoucherTieRule>> {
        Ok(campaigns::table_of(&self.0)?
            .ties
            .into_iter()
            .map(VoucherTieRule::from)
            .collect())
    }
    async fn note(&self) -> &str {
        &self.0.note
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
}

#[derive(SimpleObject, Clone, Debug)]
#[graphql(name = "VoucherDirectionValue")]
pub struct DirectionValue {
    pub direction: ClubDirection,
    /// The voucher's monthly value in tenge.
    pub monthly_value: i64,
}

fn direction_of(m: voucher_direction::Model) -> Option<DirectionValue> {
    Some(DirectionValue {
        direction: ClubDirection::from_db(&m.direction)?,
        monthly_value: m.monthly_value,
    })
}

/// A campaign: its rules and its money (integer tenge).
pub struct Campaign(pub voucher_campaign::Model);

#[Object(name = "VoucherCampaign")]
impl Campaign {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    async fn region_kato(&self) -> &str {
        &self.0.region_kato
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// First month of the period (YYYYMM).
    async fn first_month(&self) -> i32 {
        self.0.first_month
    }
    async fn last_month(&self) -> i32 {
        self.0.last_month
    }
    async fn opens_at(&self) -> DateTime<Utc> {
        self.0.opens_at
    }
    async fn closes_at(&self) -> DateTime<Utc> {
        self.0.closes_at
    }
    async fn status(&self) -> Option<VoucherCampaignStatus> {
        VoucherCampaignStatus::from_db(&self.0.status)
    }
    async fn age_min(&self) -> i32 {
        self.0.age_min
    }
    async fn age_max(&self) -> i32 {
        self.0.age_max
    }
    async fn budget(&self) -> i64 {
        self.0.budget
    }
    /// Held by issued vouchers for their months to come.
    async fn committed(&self) -> i64 {
        self.0.committed
    }
    async fn paid(&self) -> i64 {
        self.0.paid
    }
    /// Returned by vouchers that ended before their last month (a running total).
    async fn freed(&self) -> i64 {
        self.0.freed
    }
    /// Budget less committed and paid.
    async fn available(&self) -> i64 {
        money::Accounts {
            budget: self.0.budget,
            committed: self.0.committed,
            paid: self.0.paid,
            freed: self.0.freed,
        }
        .available()
    }
    async fn unused_days(&self) -> i32 {
        self.0.unused_days
    }
    async fn confirm_days(&self) -> i32 {
        self.0.confirm_days
    }
    async fn attendance_threshold_pct(&self) -> i32 {
        self.0.attendance_threshold_pct
    }
    /// SHA-256 of the lottery seed, published when the campaign opened.
    async fn seed_commitment(&self) -> &str {
        &self.0.seed_commitment
    }
    /// The lottery seed itself, revealed by the allocation.
    async fn seed(&self) -> Option<&str> {
        (self.0.status == VoucherCampaignStatus::Allocated.as_str()).then_some(self.0.seed.as_str())
    }
    async fn directions(&self, ctx: &Context<'_>) -> Result<Vec<DirectionValue>> {
        let state = ctx.data::<AppState>()?;
        Ok(campaigns::directions(&state.db, self.0.id)
            .await?
            .into_iter()
            .filter_map(direction_of)
            .collect())
    }
    async fn priority_table(&self, ctx: &Context<'_>) -> Result<PriorityTable> {
        let state = ctx.data::<AppState>()?;
        Ok(PriorityTable(
            campaigns::table(&state.db, self.0.priority_table_id).await?,
        ))
    }
    /// The score of the last voucher issued.
    async fn cutoff_score(&self, ctx: &Context<'_>) -> Result<Option<i64>> {
        let state = ctx.data::<AppState>()?;
        Ok(allocation::cutoff_score(&state.db, self.0.id).await?)
    }
    /// The allocation runs, each with its published file.
    async fn allocations(&self, ctx: &Context<'_>) -> Result<Vec<Allocation>> {
        let state = ctx.data::<AppState>()?;
        Ok(allocation::runs(&state.db, self.0.id)
            .await?
            .into_iter()
            .map(Allocation)
            .collect())
    }
}

/// An allocation run and its published file.
pub struct Allocation(pub voucher_allocation::Model);

#[Object(name = "VoucherAllocation")]
impl Allocation {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    /// `window_closed` (the allocation) or `money_freed` (the next in the queue).
    async fn trigger(&self) -> &str {
        &self.0.trigger
    }
    async fn issued(&self) -> i32 {
        self.0.issued
    }
    async fn cutoff_score(&self) -> Option<i64> {
        self.0.cutoff_score
    }
    async fn committed(&self) -> i64 {
        self.0.committed
    }
    /// SHA-256 of the published file.
    async fn sha256(&self) -> &str {
        &self.0.sha256
    }
    /// Where anyone downloads the file (`adal vouchers verify FILE` checks it).
    async fn download_url(&self) -> String {
        crate::http::allocation_path(self.0.id)
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
}

/// A declared category with its evidence, its weight in the campaign's table and the
/// akimat's decision.
pub struct Category {
    model: voucher_application_category::Model,
    weight: i64,
}

#[Object(name = "VoucherCategory")]
impl Category {
    async fn id(&self) -> ID {
        ID(self.model.id.to_string())
    }
    async fn category(&self) -> &str {
        &self.model.category
    }
    async fn weight(&self) -> i64 {
        self.weight
    }
    async fn evidence(&self) -> &str {
        &self.model.evidence
    }
    async fn status(&self) -> Option<VoucherCategoryStatus> {
        VoucherCategoryStatus::from_db(&self.model.status)
    }
    async fn reason(&self) -> Option<&str> {
        self.model.reason.as_deref()
    }
    async fn decided_at(&self) -> Option<DateTime<Utc>> {
        self.model.decided_at
    }
    /// The documents the parent attached, each opened at its `downloadPath`.
    async fn documents(&self, ctx: &Context<'_>) -> Result<Vec<DocumentInfo>> {
        Ok(ctx
            .data::<crate::loaders::Loaders>()?
            .evidence
            .load_one(self.model.id)
            .await
            .map_err(load_err)?
            .unwrap_or_default()
            .iter()
            .map(|d| adal_core::document_info!(at crate::http::evidence_path, d))
            .collect())
    }
}

/// A child's voucher.
pub struct Voucher(pub voucher::Model);

#[Object(name = "Voucher")]
impl Voucher {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    async fn direction(&self) -> Option<ClubDirection> {
        ClubDirection::from_db(&self.0.direction)
    }
    async fn monthly_value(&self) -> i64 {
        self.0.monthly_value
    }
    async fn first_month(&self) -> i32 {
        self.0.first_month
    }
    async fn last_month(&self) -> i32 {
        self.0.last_month
    }
    /// What the voucher still holds of the campaign's budget.
    async fn committed(&self) -> i64 {
        self.0.committed
    }
    async fn status(&self) -> Option<VoucherStatus> {
        VoucherStatus::from_db(&self.0.status)
    }
    async fn issued_at(&self) -> DateTime<Utc> {
        self.0.issued_at
    }
    async fn ended_at(&self) -> Option<DateTime<Utc>> {
        self.0.ended_at
    }
    async fn end_reason(&self) -> Option<&str> {
        self.0.end_reason.as_deref()
    }
    /// Where the voucher is used, section by section.
    async fn enrolments(&self, ctx: &Context<'_>) -> Result<Vec<crate::clubs_graphql::Enrolment>> {
        let state = ctx.data::<AppState>()?;
        Ok(crate::clubs::enrolments_of(&state.db, &[self.0.id])
            .await?
            .into_iter()
            .map(crate::clubs_graphql::Enrolment)
            .collect())
    }
    /// Each month's cost at its section: the voucher's part and the parent's own payment.
    async fn months(&self, ctx: &Context<'_>) -> Result<Vec<MonthCost>> {
        let state = ctx.data::<AppState>()?;
        let mut out = Vec::new();
        let enrolments = crate::clubs::enrolments_of(&state.db, &[self.0.id]).await?;
        let sections =
            crate::clubs::sections_by_id(&state.db, enrolments.iter().map(|e| e.section_id))
                .await?;
        for e in enrolments {
            let Some(s) = sections.get(&e.section_id) else {
                continue;
            };
            let last = e
                .last_month
                .unwrap_or(self.0.last_month)
                .min(self.0.last_month);
            let mut m = e.first_month;
            while m <= last {
                out.push(MonthCost {
                    month: m,
                    section_name: s.name.clone(),
                    voucher_part: self.0.monthly_value.min(s.monthly_price),
                    own_payment: crate::rules::copay(s.monthly_price, self.0.monthly_value),
                });
                m = money::next_month(m);
            }
        }
        Ok(out)
    }
}

/// One month of a voucher at a section: what the voucher pays and what the parent pays.
#[derive(SimpleObject, Clone, Debug)]
#[graphql(name = "VoucherMonthCost")]
pub struct MonthCost {
    pub month: i32,
    pub section_name: String,
    pub voucher_part: i64,
    pub own_payment: i64,
}

/// What the parent keeps to find their child in the published allocation: the salt, and the
/// child's hash (SHA-256 of `salt:IIN`).
#[derive(SimpleObject, Clone, Debug)]
#[graphql(name = "VoucherReceipt")]
pub struct Receipt {
    pub salt: String,
    pub child_hash: String,
}

/// An application with everything its rank is made of.
pub struct Application {
    app: voucher_application::Model,
    categories: Vec<Category>,
    voucher: Option<voucher::Model>,
}

#[Object(name = "VoucherApplication")]
impl Application {
    async fn id(&self) -> ID {
        ID(self.app.id.to_string())
    }
    async fn campaign(&self, ctx: &Context<'_>) -> Result<Campaign> {
        let state = ctx.data::<AppState>()?;
        Ok(Campaign(
            campaigns::get(&state.db, self.app.campaign_id).await?,
        ))
    }
    /// How many messages of the application's conversation the caller has not read.
    async fn unread_messages(&self, ctx: &Context<'_>) -> Result<i64> {
        crate::clubs_graphql::unread_messages(
            ctx,
            crate::vocab::VoucherThreadKind::Application,
            self.app.id,
        )
        .await
    }
    /// The child's name (personal data: the read is recorded).
    async fn child_name(&self, ctx: &Context<'_>) -> Result<Option<String>> {
        adal_registers::loaders::person_name(ctx, self.app.child_person_id).await
    }
    /// The child's IIN, masked.
    async fn child_iin_masked(&self, ctx: &Context<'_>) -> Result<Option<String>> {
        let p = loaders(ctx)?
            .persons
            .load_one(self.app.child_person_id)
            .await
            .map_err(load_err)?;
        Ok(p.map(|p| mask(&p.iin)))
    }
    async fn direction(&self) -> Option<ClubDirection> {
        ClubDirection::from_db(&self.app.direction)
    }
    async fn status(&self) -> Option<VoucherApplicationStatus> {
        VoucherApplicationStatus::from_db(&self.app.status)
    }
    /// The akimat's reason (a refusal, a guardianship decision).
    async fn reason(&self) -> Option<&str> {
        self.app.reason.as_deref()
    }
    /// The document given for guardianship the registry did not show.
    async fn guardianship_evidence(&self) -> Option<&str> {
        self.app.guardianship_evidence.as_deref()
    }
    async fn submitted_at(&self) -> DateTime<Utc> {
        self.app.submitted_at
    }
    async fn receipt(&self) -> Receipt {
        Receipt {
            salt: self.app.salt.clone(),
            child_hash: self.app.child_hash.clone(),
        }
    }
    async fn categories(&self) -> &[Category] {
        &self.categories
    }
    /// The sum of the weights of the confirmed categories (set by the allocation).
    async fn score(&self) -> Option<i64> {
        self.app.score
    }
    /// Place in the ranking (1 is first), once allocated.
    async fn rank(&self) -> Option<i32> {
        self.app.rank
    }
    /// How many children are ranked ahead.
    async fn children_ahead(&self) -> Option<i32> {
        self.app.rank.map(|r| r - 1)
    }
    /// Age in months when applications closed (a tie rule's input).
    async fn age_months(&self) -> Option<i32> {
        self.app.age_months
    }
    async fn voucher(&self) -> Option<Voucher> {
        self.voucher.clone().map(Voucher)
    }
}

/// Gives applications their categories (with weights) and vouchers, in a few statements.
async fn hydrate(
    db: &sea_orm::DatabaseConnection,
    apps: Vec<voucher_application::Model>,
) -> Result<Vec<Application>> {
    let ids: Vec<i64> = apps.iter().map(|a| a.id).collect();
    let mut cats: HashMap<i64, Vec<voucher_application_category::Model>> = HashMap::new();
    for c in applications::categories_of(db, &ids).await? {
        cats.entry(c.application_id).or_default().push(c);
    }
    let mut vouchers: HashMap<i64, voucher::Model> = HashMap::new();
    let children: Vec<i64> = apps.iter().map(|a| a.child_person_id).collect();
    for v in allocation::vouchers_of(db, &children).await? {
        vouchers.insert(v.application_id, v);
    }
    let mut weights: HashMap<i64, Arc<BTreeMap<String, i64>>> = HashMap::new();
    let mut out = Vec::with_capacity(apps.len());
    for app in apps {
        let w = match weights.get(&app.campaign_id) {
            Some(w) => w.clone(),
            None => {
                let c = campaigns::get(db, app.campaign_id).await?;
                let t = campaigns::table_of(&campaigns::table(db, c.priority_table_id).await?)?;
                let w = Arc::new(t.weights);
                weights.insert(app.campaign_id, w.clone());
                w
            }
        };
        let categories = cats
            .remove(&app.id)
            .unwrap_or_default()
            .into_iter()
            .map(|model| Category {
                weight: w.get(&model.category).copied().unwrap_or(0),
                model,
            })
            .collect();
        out.push(Application {
            voucher: vouchers.remove(&app.id),
            categories,
            app,
        });
    }
    Ok(out)
}

/// Counts of a group as published: none where fewer than 10 children would be shown, or where
/// a hidden count could be recovered from the others and the total.
#[derive(SimpleObject, Clone, Debug)]
#[graphql(name = "VoucherFigureCounts")]
pub struct FigureCounts {
    /// The group: a direction's or a category's code; empty for the whole campaign.
    pub group: String,
    /// Applications (refused ones left out); none when under 10.
    pub applications: Option<i64>,
    /// Vouchers issued; none when under 10.
    pub vouchers: Option<i64>,
}

impl FigureCounts {
    /// A group whose counts are hidden only when small (no total is published that they sum
    /// to: the categories overlap).
    fn of(group: String, c: &crate::figures::Counts) -> Self {
        let shown = |n: i64| (!adal_core::disclosure::too_small(n)).then_some(n);
        Self {
            group,
            applications: shown(c.applications),
            vouchers: shown(c.vouchers),
        }
    }

    /// The campaign's total and its directions: the directions sum to the total, so a small
    /// count hidden in one direction hides a second direction (or the total) with it, as
    /// [`adal_core::disclosure`] says.
    fn by_direction(f: &crate::figures::Figures) -> (Self, Vec<Self>) {
        use adal_core::disclosure::suppress;
        let groups: Vec<(&String, &crate::figures::Counts)> = f.by_direction.iter().collect();
        let hide = |pick: fn(&crate::figures::Counts) -> i64| {
            let column: Vec<Vec<i64>> = groups.iter().map(|(_, c)| vec![pick(c)]).collect();
            suppress(&column, 1)
        };
        let applications = hide(|c| c.applications);
        let vouchers = hide(|c| c.vouchers);
        let shown = |hidden: bool, n: i64| (!hidden).then_some(n);
        let total = Self {
            group: String::new(),
            applications: shown(applications.total, f.total.applications),
            vouchers: shown(vouchers.total, f.total.vouchers),
        };
        let directions = groups
            .iter()
            .enumerate()
            .map(|(i, (group, c))| Self {
                group: (*group).clone(),
                applications: shown(applications.cells[i][0], c.applications),
                vouchers: shown(vouchers.cells[i][0], c.vouchers),
            })
            .collect();
        (total, directions)
    }
}

/// A campaign's public figures.
#[derive(SimpleObject)]
#[graphql(name = "VoucherCampaignFigures")]
pub struct Figures {
    pub campaign: Campaign,
    pub total: FigureCounts,
    pub by_direction: Vec<FigureCounts>,
    /// By confirmed priority category.
    pub by_category: Vec<FigureCounts>,
    pub cutoff_score: Option<i64>,
    pub budget: i64,
    pub committed: i64,
    pub paid: i64,
}

#[derive(Default)]
pub struct VouchersQuery;

#[Object]
impl VouchersQuery {
    /// Priority tables (public), newest version first, optionally of one region.
    #[graphql(guard = "Allow::public(\"voucherPriorityTables\")")]
    async fn voucher_priority_tables(
        &self,
        ctx: &Context<'_>,
        region_kato: Option<String>,
    ) -> Result<Vec<PriorityTable>> {
        let state = ctx.data::<AppState>()?;
        Ok(campaigns::tables(&state.db, region_kato.as_deref())
            .await?
            .into_iter()
            .map(PriorityTable)
            .collect())
    }

    /// A campaign's dashboard, for the akimat officers running it: the children served by
    /// direction, district and confirmed priority category, and by month the children's months
    /// confirmed, disputed and rejected and the money paid.
    #[graphql(guard = "Allow::roles(\"voucherDashboard\", AKIMAT)")]
    async fn voucher_dashboard(
        &self,
        ctx: &Context<'_>,
        campaign_id: ID,
    ) -> Result<crate::dashboard::Dashboard> {
        let state = ctx.data::<AppState>()?;
        Ok(crate::dashboard::of_campaign(
            &state.db,
            actor(ctx)?,
            parse_id("campaignId", &campaign_id)?,
        )
        .await?)
    }

    /// What proposed weights would change, before they are saved as the region's next
    /// table: per campaign not yet allocated, each application whose score or place by score
    /// moves. Categories the akimat rejected do not count; the lottery's order is not shown
    /// (its seed is secret until the allocation).
    #[graphql(guard = "Allow::roles(\"voucherPriorityPreview\", AKIMAT)")]
    async fn voucher_priority_preview(
        &self,
        ctx: &Context<'_>,
        region_kato: String,
        weights: Vec<CategoryWeight>,
    ) -> Result<Vec<PriorityPreview>> {
        let state = ctx.data::<AppState>()?;
        let region = Kato::parse(&region_kato).field("regionKato")?;
        Ok(preview::preview(
            &state.db,
            actor(ctx)?,
            region.as_str(),
            &weights_of(weights)?,
        )
        .await?
        .into_iter()
        .map(PriorityPreview)
        .collect())
    }

    /// Voucher campaigns (public), newest first.
    #[graphql(guard = "Allow::public(\"voucherCampaigns\")")]
    async fn voucher_campaigns(
        &self,
        ctx: &Context<'_>,
        region_kato: Option<String>,
    ) -> Result<Vec<Campaign>> {
        let state = ctx.data::<AppState>()?;
        Ok(campaigns::list(&state.db, region_kato.as_deref())
            .await?
            .into_iter()
            .map(Campaign)
            .collect())
    }

    #[graphql(guard = "Allow::public(\"voucherCampaign\")")]
    async fn voucher_campaign(&self, ctx: &Context<'_>, id: ID) -> Result<Campaign> {
        let state = ctx.data::<AppState>()?;
        Ok(Campaign(
            campaigns::get(&state.db, parse_id("id", &id)?).await?,
        ))
    }

    /// A campaign's public figures (no sign-in; counts under 10 children hidden, with a
    /// direction or the total that would give one away).
    #[graphql(guard = "Allow::public(\"voucherCampaignFigures\")")]
    async fn voucher_campaign_figures(&self, ctx: &Context<'_>, id: ID) -> Result<Figures> {
        let state = ctx.data::<AppState>()?;
        let c = campaigns::get(&state.db, parse_id("id", &id)?).await?;
        let f = crate::figures::of_campaign(&state.db, c.id).await?;
        let (total, by_direction) = FigureCounts::by_direction(&f);
        Ok(Figures {
            total,
            by_direction,
            by_category: f
                .by_category
                .iter()
                .map(|(k, v)| FigureCounts::of(k.clone(), v))
                .collect(),
            cutoff_score: allocation::cutoff_score(&state.db, c.id).await?,
            budget: c.budget,
            committed: c.committed,
            paid: c.paid,
            campaign: Campaign(c),
        })
    }

    /// A campaign's applications, for the akimat officers running it.
    #[graphql(
        guard = "Allow::roles(\"voucherApplications\", AKIMAT)",
        complexity = "adal_core::pagination::list_complexity(first, child_complexity)"
    )]
    async fn voucher_applications(
        &self,
        ctx: &Context<'_>,
        campaign_id: ID,
        status: Option<VoucherApplicationStatus>,
        #[graphql(default)] order: ApplicationOrder,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<Conn<Application>> {
        let state = ctx.data::<AppState>()?;
        let page = PageRequest::parse(first, after)?;
        let order = order.into();
        let (rows, total) = applications::for_campaign(
            &state.db,
            actor(ctx)?,
            parse_id("campaignId", &campaign_id)?,
            status,
            order,
            &page,
        )
        .await?;
        let keys: Vec<String> = rows
            .iter()
            .map(|r| applications::page_key(order, r))
            .collect();
        let hydrated = hydrate(&state.db, rows).await?;
        let mut keyed: Vec<(String, Application)> = keys.into_iter().zip(hydrated).collect();
        keyed.truncate(page.fetch_limit() as usize);
        Ok(connection(
            &page,
            keyed,
            total,
            |(k, _)| k.clone(),
            |(_, a)| a,
        ))
    }

    /// One application: for the child's parents and the officers running its campaign.
    #[graphql(guard = "Allow::roles(\"voucherApplication\", PARENT_OR_AKIMAT)")]
    async fn voucher_application(&self, ctx: &Context<'_>, id: ID) -> Result<Application> {
        let state = ctx.data::<AppState>()?;
        let app = applications::get(&state.db, actor(ctx)?, parse_id("id", &id)?).await?;
        hydrate(&state.db, vec![app])
            .await?
            .pop()
            .ok_or_else(|| ApiError::NotFound("application").into())
    }

    /// The caller's children's applications, each with its rank and what made it.
    #[graphql(guard = "Allow::roles(\"myVoucherApplications\", PARENT)")]
    async fn my_voucher_applications(&self, ctx: &Context<'_>) -> Result<Vec<Application>> {
        let state = ctx.data::<AppState>()?;
        let apps = applications::mine(&state.db, actor(ctx)?).await?;
        hydrate(&state.db, apps).await
    }
}

/// Category weights as typed: each category code once.
fn weights_of(list: Vec<CategoryWeight>) -> Result<BTreeMap<String, i64>> {
    let mut weights = BTreeMap::new();
    for w in list {
        let code = parse_category(&w.category)?;
        if weights.insert(code, w.weight).is_some() {
            return Err(ApiError::bad_input("weights", "each category is weighed once").into());
        }
    }
    Ok(weights)
}

/// A campaign's applications under proposed weights (see `preview`).
pub struct PriorityPreview(pub preview::CampaignPreview);

#[Object(name = "VoucherPriorityPreview")]
impl PriorityPreview {
    async fn campaign(&self) -> Campaign {
        Campaign(self.0.campaign.clone())
    }
    /// Applications still in the queue (submitted or held for a document).
    async fn applications(&self) -> i32 {
        i32::try_from(self.0.applications).unwrap_or(i32::MAX)
    }
    /// Those whose score or place would change, the largest move first.
    async fn changes(&self) -> Vec<PreviewChange> {
        self.0.changes.iter().cloned().map(PreviewChange).collect()
    }
}

/// One application whose score or place proposed weights change.
pub struct PreviewChange(pub preview::Change);

#[Object(name = "VoucherPreviewChange")]
impl PreviewChange {
    async fn application_id(&self) -> ID {
        ID(self.0.application_id.to_string())
    }
    /// The child's name (personal data: the read is recorded).
    async fn child_name(&self, ctx: &Context<'_>) -> Result<Option<String>> {
        adal_registers::loaders::person_name(ctx, self.0.child_person_id).await
    }
    /// The score under the table in force, and under the proposed weights.
    async fn score_now(&self) -> i64 {
        self.0.score_now
    }
    async fn score_then(&self) -> i64 {
        self.0.score_then
    }
    /// The place by score (1 + the applications with a higher one), now and then; the tie
    /// rules and the lottery order equal scores at the allocation.
    async fn place_now(&self) -> i32 {
        i32::try_from(self.0.place_now).unwrap_or(i32::MAX)
    }
    async fn place_then(&self) -> i32 {
        i32::try_from(self.0.place_then).unwrap_or(i32::MAX)
    }
}

#[derive(InputObject)]
pub struct VoucherPriorityTableInput {
    pub region_kato: String,
    pub weights: Vec<CategoryWeight>,
    /// Tie rules in order; the lottery always decides last.
    pub ties: Vec<VoucherTieRule>,
    pub note: String,
}

#[derive(InputObject)]
pub struct VoucherDirectionValueInput {
    pub direction: ClubDirection,
    pub monthly_value: i64,
}

#[derive(InputObject)]
pub struct VoucherCampaignInput {
    pub region_kato: String,
    pub name: String,
    /// YYYYMM
    pub first_month: i32,
    /// YYYYMM
    pub last_month: i32,
    pub opens_at: DateTime<Utc>,
    pub closes_at: DateTime<Utc>,
    /// Tenge.
    pub budget: i64,
    pub directions: Vec<VoucherDirectionValueInput>,
    pub age_min: i32,
    pub age_max: i32,
    pub priority_table_id: ID,
    /// Days a voucher may stay unused before it lapses.
    pub unused_days: i32,
    /// Days a parent has to confirm a month's attendance before it counts as confirmed.
    pub confirm_days: i32,
    /// Share of sessions (per cent) at which a month is paid in full.
    pub attendance_threshold_pct: i32,
}

impl VoucherCampaignInput {
    fn into_draft(self) -> Result<CampaignDraft> {
        Ok(CampaignDraft {
            region: Kato::parse(&self.region_kato).field("regionKato")?,
            name: self.name,
            first_month: self.first_month,
            last_month: self.last_month,
            opens_at: self.opens_at,
            closes_at: self.closes_at,
            budget: self.budget,
            directions: self
                .directions
                .into_iter()
                .map(|d| (d.direction, d.monthly_value))
                .collect(),
            age_min: self.age_min,
            age_max: self.age_max,
            priority_table_id: parse_id("priorityTableId", &self.priority_table_id)?,
            unused_days: self.unused_days,
            confirm_days: self.confirm_days,
            attendance_threshold_pct: self.attendance_threshold_pct,
        })
    }
}

/// The order of a campaign's applications.
#[derive(Enum, Copy, Clone, PartialEq, Eq, Default)]
#[graphql(name = "VoucherApplicationOrder")]
pub enum ApplicationOrder {
    /// As they came in.
    #[default]
    Submitted,
    /// By the allocation's rank; the applications it did not rank after them.
    Rank,
}

impl From<ApplicationOrder> for applications::Order {
    fn from(o: ApplicationOrder) -> Self {
        match o {
            ApplicationOrder::Submitted => Self::Submitted,
            ApplicationOrder::Rank => Self::Rank,
        }
    }
}

#[derive(InputObject)]
pub struct VoucherCategoryInput {
    pub category: String,
    /// A certificate's number, a document's reference: what the akimat checks.
    pub evidence: String,
}

#[derive(InputObject)]
pub struct VoucherApplicationInput {
    pub campaign_id: ID,
    pub child_iin: String,
    pub direction: ClubDirection,
    pub categories: Vec<VoucherCategoryInput>,
    /// Only when the registry does not show you as the child's parent: the document that
    /// proves it (held for the akimat to verify).
    pub guardianship_evidence: Option<String>,
}

/// A voucher ended, and what its freed money did.
#[derive(SimpleObject)]
pub struct VoucherEnded {
    pub voucher: Voucher,
    /// Tenge returned to the campaign.
    pub freed: i64,
    /// Vouchers issued at once to the next children in the queue.
    pub issued_to_queue: i32,
}

impl From<allocation::Ended> for VoucherEnded {
    fn from(e: allocation::Ended) -> Self {
        Self {
            voucher: Voucher(e.voucher),
            freed: e.freed,
            issued_to_queue: e.issued.len() as i32,
        }
    }
}

#[derive(Default)]
pub struct VouchersMutation;

#[Object]
impl VouchersMutation {
    /// Records the next version of a region's priority table (versions are never edited).
    #[graphql(guard = "Allow::roles(\"createVoucherPriorityTable\", AKIMAT)")]
    async fn create_voucher_priority_table(
        &self,
        ctx: &Context<'_>,
        input: VoucherPriorityTableInput,
    ) -> Result<PriorityTable> {
        let state = ctx.data::<AppState>()?;
        let draft = TableDraft {
            region: Kato::parse(&input.region_kato).field("regionKato")?,
            weights: weights_of(input.weights)?,
            ties: input.ties.into_iter().map(TieBreak::from).collect(),
            note: input.note,
        };
        Ok(PriorityTable(
            campaigns::create_table(&state.db, actor(ctx)?, draft).await?,
        ))
    }

    /// Opens a campaign in the officer's region.
    #[graphql(guard = "Allow::roles(\"openVoucherCampaign\", AKIMAT)")]
    async fn open_voucher_campaign(
        &self,
        ctx: &Context<'_>,
        input: VoucherCampaignInput,
    ) -> Result<Campaign> {
        let state = ctx.data::<AppState>()?;
        Ok(Campaign(
            campaigns::open(&state.db, actor(ctx)?, input.into_draft()?).await?,
        ))
    }

    /// Changes a campaign before its application window opens (after it: `CAMPAIGN_STARTED`);
    /// its region and lottery seed stay.
    #[graphql(guard = "Allow::roles(\"updateVoucherCampaign\", AKIMAT)")]
    async fn update_voucher_campaign(
        &self,
        ctx: &Context<'_>,
        id: ID,
        input: VoucherCampaignInput,
    ) -> Result<Campaign> {
        let state = ctx.data::<AppState>()?;
        Ok(Campaign(
            campaigns::update(
                &state.db,
                actor(ctx)?,
                parse_id("id", &id)?,
                input.into_draft()?,
                Utc::now(),
            )
            .await?,
        ))
    }

    /// A parent applies for their child's voucher.
    #[graphql(guard = "Allow::roles(\"applyForVoucher\", PARENT)")]
    async fn apply_for_voucher(
        &self,
        ctx: &Context<'_>,
        input: VoucherApplicationInput,
    ) -> Result<Application> {
        let state = ctx.data::<AppState>()?;
        let draft = ApplicationDraft {
            campaign_id: parse_id("campaignId", &input.campaign_id)?,
            child_iin: Iin::parse(&input.child_iin).field("childIin")?,
            direction: input.direction,
            categories: input
                .categories
                .into_iter()
                .map(|c| (c.category, c.evidence))
                .collect(),
            guardianship_evidence: input.guardianship_evidence,
        };
        let filed = applications::apply(&state.db, actor(ctx)?, draft, Utc::now()).await?;
        hydrate(&state.db, vec![filed.application])
            .await?
            .pop()
            .ok_or_else(|| ApiError::NotFound("application").into())
    }

    /// The parent attaches a document (PDF, PNG or JPEG, at most 5 MB; at most 5 per
    /// category) to a category they declared, until the akimat decides it.
    #[graphql(guard = "Allow::roles(\"attachVoucherEvidence\", PARENT)")]
    async fn attach_voucher_evidence(
        &self,
        ctx: &Context<'_>,
        category_id: ID,
        file: Upload,
    ) -> Result<DocumentInfo> {
        let state = ctx.data::<AppState>()?;
        let doc = adal_core::graphql::uploaded(ctx, &file, "file")?;
        let saved = crate::evidence::attach(
            &state.db,
            &state.settings.data_dir,
            actor(ctx)?,
            parse_id("categoryId", &category_id)?,
            &doc,
            Utc::now(),
        )
        .await?;
        Ok(adal_core::document_info!(at crate::http::evidence_path, &saved))
    }

    /// The akimat confirms or rejects a declared category (a rejection states its reason).
    #[graphql(guard = "Allow::roles(\"decideVoucherCategory\", AKIMAT)")]
    async fn decide_voucher_category(
        &self,
        ctx: &Context<'_>,
        id: ID,
        confirm: bool,
        reason: Option<String>,
    ) -> Result<Category> {
        let state = ctx.data::<AppState>()?;
        let model = applications::decide_category(
            &state.db,
            actor(ctx)?,
            parse_id("id", &id)?,
            confirm,
            reason,
        )
        .await?;
        Ok(Category { model, weight: 0 })
    }

    /// The akimat decides an application held for a guardianship document.
    #[graphql(guard = "Allow::roles(\"decideVoucherGuardianship\", AKIMAT)")]
    async fn decide_voucher_guardianship(
        &self,
        ctx: &Context<'_>,
        application_id: ID,
        accept: bool,
        reason: Option<String>,
    ) -> Result<Application> {
        let state = ctx.data::<AppState>()?;
        let app = applications::decide_guardianship(
            &state.db,
            actor(ctx)?,
            parse_id("applicationId", &application_id)?,
            accept,
            reason,
        )
        .await?;
        hydrate(&state.db, vec![app])
            .await?
            .pop()
            .ok_or_else(|| ApiError::NotFound("application").into())
    }

    /// Runs the campaign's allocation after its window closed; publishes its file.
    #[graphql(guard = "Allow::roles(\"runVoucherAllocation\", AKIMAT)")]
    async fn run_voucher_allocation(
        &self,
        ctx: &Context<'_>,
        campaign_id: ID,
    ) -> Result<Allocation> {
        let state = ctx.data::<AppState>()?;
        Ok(Allocation(
            allocation::run(
                &state.db,
                actor(ctx)?,
                parse_id("campaignId", &campaign_id)?,
                Utc::now(),
            )
            .await?,
        ))
    }

    /// A parent declines their child's voucher; the next child in the queue receives one.
    #[graphql(guard = "Allow::roles(\"declineVoucher\", PARENT)")]
    async fn decline_voucher(
        &self,
        ctx: &Context<'_>,
        id: ID,
        reason: Option<String>,
    ) -> Result<VoucherEnded> {
        let state = ctx.data::<AppState>()?;
        Ok(allocation::decline(
            &state.db,
            actor(ctx)?,
            parse_id("id", &id)?,
            reason,
            Utc::now(),
        )
        .await?
        .into())
    }

    /// The akimat ends a voucher with its reason; the next child in the queue receives one.
    #[graphql(guard = "Allow::roles(\"endVoucher\", AKIMAT)")]
    async fn end_voucher(&self, ctx: &Context<'_>, id: ID, reason: String) -> Result<VoucherEnded> {
        let state = ctx.data::<AppState>()?;
        Ok(allocation::end(
            &state.db,
            actor(ctx)?,
            parse_id("id", &id)?,
            reason,
            Utc::now(),
        )
        .await?
        .into())
    }
}
