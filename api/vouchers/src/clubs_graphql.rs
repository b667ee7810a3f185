//! GraphQL of using a voucher: providers and their sections, enrolment, monthly attendance the
//! parent confirms, and the payouts made from it.

use async_graphql::{Context, ID, InputObject, Object, Result, SimpleObject, Upload};
use chrono::{DateTime, Utc};

use entities::{
    voucher_attendance, voucher_enrolment, voucher_payout, voucher_provider, voucher_section,
};

use adal_core::auth::guard::actor;
use adal_core::auth::{Allow, Role};
use adal_core::error::{ApiError, FieldContext};
use adal_core::identifiers::Kato;
use adal_core::loaders::load_err;
use adal_core::sql::parse_id;
use adal_core::state::AppState;
use adal_registers::loaders::loaders;
use adal_registers::reference::graphql::Organisation;

use crate::attendance::{self, Row};
use crate::clubs::{self, SectionDraft};
use crate::rules::{self, Slot};
use crate::vocab::{
    AttendanceStatus, ClubDirection, ProviderStatus, VoucherSide, VoucherThreadKind,
};

const AKIMAT: &[Role] = &[Role::AkimatOfficer];
const PARENT: &[Role] = &[Role::Parent];
const PROVIDER: &[Role] = &[Role::ProviderStaff];
const AKIMAT_OR_PROVIDER: &[Role] = &[Role::AkimatOfficer, Role::ProviderStaff];
const EVERYONE_INVOLVED: &[Role] = &[Role::AkimatOfficer, Role::ProviderStaff, Role::Parent];

async fn organisation(ctx: &Context<'_>, id: i64) -> Result<Option<Organisation>> {
    Ok(loaders(ctx)?
        .organisations
        .load_one(id)
        .await
        .map_err(load_err)?
        .map(Organisation))
}

/// How many messages of the conversation `kind` `id` the caller has not read.
pub(crate) async fn unread_messages(
    ctx: &Context<'_>,
    kind: VoucherThreadKind,
    id: i64,
) -> Result<i64> {
    let key = crate::loaders::ThreadKey {
        account: actor(ctx)?.account_id,
        kind,
        id,
    };
    Ok(ctx
        .data::<crate::loaders::Loaders>()?
        .unread
        .load_one(key)
        .await
        .map_err(load_err)?
        .unwrap_or(0))
}

/// A provider's registration with a region's akimat.
pub struct Provider(pub voucher_provider::Model);

#[Object(name = "VoucherProvider")]
impl Provider {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    async fn organisation(&self, ctx: &Context<'_>) -> Result<Option<Organisation>> {
        organisation(ctx, self.0.organisation_id).await
    }
    async fn region_kato(&self) -> &str {
        &self.0.region_kato
    }
    async fn status(&self) -> Option<ProviderStatus> {
        ProviderStatus::from_db(&self.0.status)
    }
    async fn reason(&self) -> Option<&str> {
        self.0.reason.as_deref()
    }
    async fn registered_at(&self) -> DateTime<Utc> {
        self.0.registered_at
    }
    async fn decided_at(&self) -> Option<DateTime<Utc>> {
        self.0.decided_at
    }
}

/// A weekly session: day 1 (Monday) to 7 (Sunday), times `HH:MM`.
#[derive(SimpleObject, InputObject, Clone, Debug)]
#[graphql(name = "VoucherSessionTime", input_name = "VoucherSessionTimeInput")]
pub struct SessionTime {
    pub day: i32,
    pub start: String,
    pub end: String,
}

/// A provider's section (club).
pub struct Section(pub voucher_section::Model);

#[Object(name = "VoucherSection")]
impl Section {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    async fn organisation(&self, ctx: &Context<'_>) -> Result<Option<Organisation>> {
        organisation(ctx, self.0.organisation_id).await
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    async fn direction(&self) -> Option<ClubDirection> {
        ClubDirection::from_db(&self.0.direction)
    }
    async fn age_min(&self) -> i32 {
        self.0.age_min
    }
    async fn age_max(&self) -> i32 {
        self.0.age_max
    }
    async fn schedule(&self) -> Vec<SessionTime> {
        clubs::schedule_of(&self.0)
            .into_iter()
            .map(|s| SessionTime {
                day: i32::from(s.day),
                start: rules::format_time(s.start),
                end: rules::format_time(s.end),
            })
            .collect()
    }
    async fn capacity(&self) -> i32 {
        self.0.capacity
    }
    async fn places_left(&self) -> i32 {
        (self.0.capacity - self.0.enrolled).max(0)
    }
    async fn region_kato(&self) -> &str {
        &self.0.region_kato
    }
    async fn locality_kato(&self) -> Option<&str> {
        self.0.locality_kato.as_deref()
    }
    async fn address(&self) -> &str {
        &self.0.address
    }
    /// Tenge a month.
    async fn monthly_price(&self) -> i64 {
        self.0.monthly_price
    }
}

/// A section a voucher can be used at, and what the parent pays each month on top.
#[derive(SimpleObject)]
#[graphql(name = "VoucherSectionOffer")]
pub struct Offer {
    pub section: Section,
    /// Paid from the voucher each month.
    pub voucher_part: i64,
    /// Paid by the parent each month (the price above the voucher's value).
    pub own_payment: i64,
}

/// A voucher used at a section from a month (to a month, once moved or ended).
pub struct Enrolment(pub voucher_enrolment::Model);

#[Object(name = "VoucherEnrolment")]
impl Enrolment {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    async fn section(&self, ctx: &Context<'_>) -> Result<Section> {
        let state = ctx.data::<AppState>()?;
        Ok(Section(clubs::section(&state.db, self.0.section_id).await?))
    }
    async fn first_month(&self) -> i32 {
        self.0.first_month
    }
    async fn last_month(&self) -> Option<i32> {
        self.0.last_month
    }
}

/// A child's full name, the read recorded as a read of personal data.
async fn child_name(ctx: &Context<'_>, person: i64) -> Result<Option<String>> {
    adal_registers::loaders::person_name(ctx, person).await
}

/// One child's month at a section.
pub struct Attendance(pub voucher_attendance::Model);

#[Object(name = "VoucherAttendance")]
impl Attendance {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    async fn month(&self) -> i32 {
        self.0.month
    }
    async fn voucher_id(&self) -> ID {
        ID(self.0.voucher_id.to_string())
    }
    async fn section(&self, ctx: &Context<'_>) -> Result<Section> {
        let state = ctx.data::<AppState>()?;
        Ok(Section(clubs::section(&state.db, self.0.section_id).await?))
    }
    /// The child's name (personal data: the read is recorded).
    async fn child_name(&self, ctx: &Context<'_>) -> Result<Option<String>> {
        child_name(ctx, self.0.child_person_id).await
    }
    async fn sessions_held(&self) -> i32 {
        self.0.sessions_held
    }
    async fn sessions_attended(&self) -> i32 {
        self.0.sessions_attended
    }
    async fn status(&self) -> Option<AttendanceStatus> {
        AttendanceStatus::from_db(&self.0.status)
    }
    async fn recorded_at(&self) -> DateTime<Utc> {
        self.0.recorded_at
    }
    /// The parent's reason for disputing the month (none where the month was flagged as an
    /// anomaly: [`Self::anomaly`]).
    async fn dispute_reason(&self) -> Option<&str> {
        self.0
            .dispute_reason
            .as_deref()
            .filter(|r| !r.starts_with(attendance::ANOMALY))
    }
    /// What was found unusual when the payouts were computed (the month waits for the
    /// akimat's decision instead of being paid): a child at two sections at overlapping times,
    /// a child at a section while the school's turnstile shows them inside school, a provider
    /// whose every child attended every session, or more children than places.
    async fn anomaly(&self) -> Option<&str> {
        self.0
            .dispute_reason
            .as_deref()
            .and_then(|r| r.strip_prefix(attendance::ANOMALY))
    }
    /// The akimat's resolution.
    async fn resolution(&self) -> Option<&str> {
        self.0.resolution.as_deref()
    }
    /// How many messages of this month's conversation the caller has not read.
    async fn unread_messages(&self, ctx: &Context<'_>) -> Result<i64> {
        unread_messages(ctx, VoucherThreadKind::Attendance, self.0.id).await
    }
    /// What the provider was paid for this month.
    async fn payout(&self) -> Option<i64> {
        self.0.payout
    }
    /// The child attended less than the campaign's threshold share of the sessions held, so
    /// the month is paid in proportion, not in full (false when no session was held).
    async fn below_threshold(&self, ctx: &Context<'_>) -> Result<bool> {
        let campaign = ctx
            .data::<crate::loaders::Loaders>()?
            .campaigns
            .load_one(self.0.campaign_id)
            .await
            .map_err(adal_core::loaders::load_err)?;
        Ok(self.0.sessions_held > 0
            && campaign.is_some_and(|c| {
                !crate::rules::reaches_threshold(
                    self.0.sessions_held,
                    self.0.sessions_attended,
                    c.attendance_threshold_pct,
                )
            }))
    }
}

/// One child on a section's attendance sheet.
pub struct RosterRow(pub attendance::RosterRow);

#[Object(name = "VoucherRosterRow")]
impl RosterRow {
    /// The voucher the month is recorded against (`recordVoucherAttendance`'s `voucherId`).
    async fn voucher_id(&self) -> ID {
        ID(self.0.enrolment.voucher_id.to_string())
    }
    /// The child's name (personal data: the read is recorded).
    async fn child_name(&self, ctx: &Context<'_>) -> Result<Option<String>> {
        child_name(ctx, self.0.child_person_id).await
    }
    /// The month's attendance when recorded, with the parent's answer.
    async fn attendance(&self) -> Option<Attendance> {
        self.0.attendance.clone().map(Attendance)
    }
    /// The application the child's voucher came from: its conversation (kind `APPLICATION`)
    /// is the provider's too, while the voucher is used at its sections.
    async fn application_id(&self) -> ID {
        ID(self.0.application_id.to_string())
    }
    /// How many messages of the application's conversation the caller has not read.
    async fn application_unread_messages(&self, ctx: &Context<'_>) -> Result<i64> {
        unread_messages(ctx, VoucherThreadKind::Application, self.0.application_id).await
    }
}

/// What a provider is paid for a month.
pub struct Payout(pub voucher_payout::Model);

#[Object(name = "VoucherPayout")]
impl Payout {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    async fn month(&self) -> i32 {
        self.0.month
    }
    async fn campaign_id(&self) -> ID {
        ID(self.0.campaign_id.to_string())
    }
    async fn organisation(&self, ctx: &Context<'_>) -> Result<Option<Organisation>> {
        organisation(ctx, self.0.organisation_id).await
    }
    /// Children whose month was paid.
    async fn children(&self) -> i32 {
        self.0.children
    }
    async fn amount(&self) -> i64 {
        self.0.amount
    }
    /// Where the month's payment register (every provider's payouts of the campaign's month)
    /// is downloaded as CSV.
    async fn register_csv_url(&self) -> String {
        crate::http::register_path(self.0.campaign_id, self.0.month, "csv")
    }
    /// The same register as XLSX.
    async fn register_xlsx_url(&self) -> String {
        crate::http::register_path(self.0.campaign_id, self.0.month, "xlsx")
    }
}

/// A month's payouts and where their payment register is downloaded.
#[derive(SimpleObject)]
#[graphql(name = "VoucherPayoutRun")]
pub struct PayoutRun {
    pub payouts: Vec<Payout>,
    /// Months that counted as confirmed because the parent did not answer in time.
    pub auto_confirmed: i32,
    pub register_csv_url: String,
    pub register_xlsx_url: String,
}

/// A message in a conversation about an application or a month of attendance.
pub struct Message(pub entities::voucher_message::Model);

#[Object(name = "VoucherMessage")]
impl Message {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    /// The side it was written for: `parent`, `provider` or `akimat`.
    async fn side(&self) -> Option<VoucherSide> {
        VoucherSide::from_db(&self.0.author_side)
    }
    /// The writer's language.
    async fn language(&self) -> &str {
        &self.0.language
    }
    /// Empty when the message is a file alone.
    async fn body(&self) -> &str {
        &self.0.body
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    /// The file attached, opened at its `downloadPath` by the sides of the conversation.
    async fn document(&self) -> Option<adal_core::documents::DocumentInfo> {
        let m = &self.0;
        Some(adal_core::documents::DocumentInfo {
            id: ID(m.id.to_string()),
            file_name: m.file_name.clone()?,
            content_type: m.content_type.clone()?,
            size: m.size?,
            sha256: m.sha256.clone()?,
            uploaded_at: m.created_at,
            download_path: crate::http::message_document_path(m.id),
        })
    }
}

#[derive(Default)]
pub struct ClubsQuery;

#[Object]
impl ClubsQuery {
    /// Providers: an akimat officer's region's, or the caller's own organisation's.
    #[graphql(guard = "Allow::roles(\"voucherProviders\", AKIMAT_OR_PROVIDER)")]
    async fn voucher_providers(
        &self,
        ctx: &Context<'_>,
        status: Option<ProviderStatus>,
    ) -> Result<Vec<Provider>> {
        let state = ctx.data::<AppState>()?;
        Ok(clubs::providers(&state.db, actor(ctx)?, status)
            .await?
            .into_iter()
            .map(Provider)
            .collect())
    }

    /// Sections of approved providers (public).
    #[graphql(guard = "Allow::public(\"voucherSections\")")]
    async fn voucher_sections(
        &self,
        ctx: &Context<'_>,
        region_kato: Option<String>,
        direction: Option<ClubDirection>,
    ) -> Result<Vec<Section>> {
        let state = ctx.data::<AppState>()?;
        Ok(
            clubs::sections(&state.db, region_kato.as_deref(), direction)
                .await?
                .into_iter()
                .map(Section)
                .collect(),
        )
    }

    /// Sections where a child's voucher can be used, with the parent's own payment.
    #[graphql(guard = "Allow::roles(\"voucherSectionsForVoucher\", PARENT)")]
    async fn voucher_sections_for_voucher(
        &self,
        ctx: &Context<'_>,
        voucher_id: ID,
    ) -> Result<Vec<Offer>> {
        let state = ctx.data::<AppState>()?;
        let id = parse_id("voucherId", &voucher_id)?;
        let v = clubs::own_voucher(&state.db, actor(ctx)?, id).await?;
        Ok(
            clubs::sections_for_voucher(&state.db, actor(ctx)?, id, Utc::now())
                .await?
                .into_iter()
                .map(|(s, own)| Offer {
                    voucher_part: v.monthly_value.min(s.monthly_price),
                    own_payment: own,
                    section: Section(s),
                })
                .collect(),
        )
    }

    /// A voucher's enrolments (its parents).
    #[graphql(guard = "Allow::roles(\"voucherEnrolments\", PARENT)")]
    async fn voucher_enrolments(
        &self,
        ctx: &Context<'_>,
        voucher_id: ID,
    ) -> Result<Vec<Enrolment>> {
        let state = ctx.data::<AppState>()?;
        let v =
            clubs::own_voucher(&state.db, actor(ctx)?, parse_id("voucherId", &voucher_id)?).await?;
        Ok(clubs::enrolments_of(&state.db, &[v.id])
            .await?
            .into_iter()
            .map(Enrolment)
            .collect())
    }

    /// Attendance the caller may see: a parent their children's, a provider its sections', an
    /// akimat officer their campaigns'.
    #[graphql(guard = "Allow::roles(\"voucherAttendance\", EVERYONE_INVOLVED)")]
    async fn voucher_attendance(
        &self,
        ctx: &Context<'_>,
        month: Option<i32>,
        status: Option<AttendanceStatus>,
    ) -> Result<Vec<Attendance>> {
        let state = ctx.data::<AppState>()?;
        Ok(attendance::list(&state.db, actor(ctx)?, month, status)
            .await?
            .into_iter()
            .map(Attendance)
            .collect())
    }

    /// The conversation about an application or a month of attendance (its parent, provider
    /// and akimat officers only).
    #[graphql(guard = "Allow::roles(\"voucherConversation\", EVERYONE_INVOLVED)")]
    async fn voucher_conversation(
        &self,
        ctx: &Context<'_>,
        kind: VoucherThreadKind,
        id: ID,
    ) -> Result<Vec<Message>> {
        let state = ctx.data::<AppState>()?;
        Ok(
            crate::conversations::messages(&state.db, actor(ctx)?, kind, parse_id("id", &id)?)
                .await?
                .into_iter()
                .map(Message)
                .collect(),
        )
    }

    /// A section's attendance sheet for a month (its provider's staff): one row per child
    /// whose voucher is used there that month, with what was recorded.
    #[graphql(guard = "Allow::roles(\"voucherSectionRoster\", PROVIDER)")]
    async fn voucher_section_roster(
        &self,
        ctx: &Context<'_>,
        section_id: ID,
        month: i32,
    ) -> Result<Vec<RosterRow>> {
        let state = ctx.data::<AppState>()?;
        Ok(attendance::roster(
            &state.db,
            actor(ctx)?,
            parse_id("sectionId", &section_id)?,
            month,
        )
        .await?
        .into_iter()
        .map(RosterRow)
        .collect())
    }

    /// The payouts made to the caller's organisation (a provider's staff).
    #[graphql(guard = "Allow::roles(\"providerVoucherPayouts\", PROVIDER)")]
    async fn provider_voucher_payouts(
        &self,
        ctx: &Context<'_>,
        month: Option<i32>,
    ) -> Result<Vec<Payout>> {
        let state = ctx.data::<AppState>()?;
        Ok(attendance::own_payouts(&state.db, actor(ctx)?, month)
            .await?
            .into_iter()
            .map(Payout)
            .collect())
    }

    /// A campaign's payouts (its akimat officers).
    #[graphql(guard = "Allow::roles(\"voucherPayouts\", AKIMAT)")]
    async fn voucher_payouts(
        &self,
        ctx: &Context<'_>,
        campaign_id: ID,
        month: Option<i32>,
    ) -> Result<Vec<Payout>> {
        let state = ctx.data::<AppState>()?;
        Ok(attendance::payouts(
            &state.db,
            actor(ctx)?,
            parse_id("campaignId", &campaign_id)?,
            month,
        )
        .await?
        .into_iter()
        .map(Payout)
        .collect())
    }
}

#[derive(InputObject)]
pub struct VoucherSectionInput {
    pub organisation_id: ID,
    pub region_kato: String,
    pub name: String,
    pub direction: ClubDirection,
    pub age_min: i32,
    pub age_max: i32,
    pub schedule: Vec<SessionTime>,
    pub capacity: i32,
    pub locality_kato: Option<String>,
    pub address: String,
    pub monthly_price: i64,
}

impl VoucherSectionInput {
    fn into_draft(self) -> Result<SectionDraft> {
        let mut schedule = Vec::with_capacity(self.schedule.len());
        for t in &self.schedule {
            let day = u8::try_from(t.day).unwrap_or(0);
            schedule.push(
                Slot::new(day, &t.start, &t.end).map_err(|m| ApiError::bad_input("schedule", m))?,
            );
        }
        Ok(SectionDraft {
            organisation_id: parse_id("organisationId", &self.organisation_id)?,
            region: Kato::parse(&self.region_kato).field("regionKato")?,
            name: self.name,
            direction: self.direction,
            age_min: self.age_min,
            age_max: self.age_max,
            schedule,
            capacity: self.capacity,
            locality: self
                .locality_kato
                .as_deref()
                .map(|k| Kato::parse(k).field("localityKato"))
                .transpose()?,
            address: self.address,
            monthly_price: self.monthly_price,
        })
    }
}

#[derive(InputObject)]
pub struct VoucherAttendanceRowInput {
    pub voucher_id: ID,
    pub sessions_held: i32,
    pub sessions_attended: i32,
}

#[derive(Default)]
pub struct ClubsMutation;

#[Object]
impl ClubsMutation {
    /// A provider's staff register their organisation with a region's akimat.
    #[graphql(guard = "Allow::roles(\"registerVoucherProvider\", PROVIDER)")]
    async fn register_voucher_provider(
        &self,
        ctx: &Context<'_>,
        organisation_id: ID,
        region_kato: String,
    ) -> Result<Provider> {
        let state = ctx.data::<AppState>()?;
        Ok(Provider(
            clubs::register_provider(
                &state.db,
                actor(ctx)?,
                parse_id("organisationId", &organisation_id)?,
                Kato::parse(&region_kato).field("regionKato")?,
            )
            .await?,
        ))
    }

    /// The akimat approves a provider, or rejects it with the reason.
    #[graphql(guard = "Allow::roles(\"decideVoucherProvider\", AKIMAT)")]
    async fn decide_voucher_provider(
        &self,
        ctx: &Context<'_>,
        id: ID,
        approve: bool,
        reason: Option<String>,
    ) -> Result<Provider> {
        let state = ctx.data::<AppState>()?;
        Ok(Provider(
            clubs::decide_provider(
                &state.db,
                actor(ctx)?,
                parse_id("id", &id)?,
                approve,
                reason,
            )
            .await?,
        ))
    }

    /// An approved provider lists a section.
    #[graphql(guard = "Allow::roles(\"createVoucherSection\", PROVIDER)")]
    async fn create_voucher_section(
        &self,
        ctx: &Context<'_>,
        input: VoucherSectionInput,
    ) -> Result<Section> {
        let state = ctx.data::<AppState>()?;
        Ok(Section(
            clubs::create_section(&state.db, actor(ctx)?, input.into_draft()?).await?,
        ))
    }

    /// The provider changes a section: name, ages, schedule, places (never below the
    /// children enrolled), address, price. Organisation, region and direction stay as listed.
    #[graphql(guard = "Allow::roles(\"updateVoucherSection\", PROVIDER)")]
    async fn update_voucher_section(
        &self,
        ctx: &Context<'_>,
        id: ID,
        input: VoucherSectionInput,
    ) -> Result<Section> {
        let state = ctx.data::<AppState>()?;
        Ok(Section(
            clubs::update_section(
                &state.db,
                actor(ctx)?,
                parse_id("id", &id)?,
                input.into_draft()?,
            )
            .await?,
        ))
    }

    /// A parent uses the child's voucher at a section: from this month the first time, from
    /// the next month when moving it.
    #[graphql(guard = "Allow::roles(\"enrolVoucher\", PARENT)")]
    async fn enrol_voucher(
        &self,
        ctx: &Context<'_>,
        voucher_id: ID,
        section_id: ID,
    ) -> Result<Enrolment> {
        let state = ctx.data::<AppState>()?;
        Ok(Enrolment(
            clubs::enrol(
                &state.db,
                actor(ctx)?,
                parse_id("voucherId", &voucher_id)?,
                parse_id("sectionId", &section_id)?,
                Utc::now(),
            )
            .await?,
        ))
    }

    /// The provider records a month's attendance at a section (idempotent until answered).
    #[graphql(guard = "Allow::roles(\"recordVoucherAttendance\", PROVIDER)")]
    async fn record_voucher_attendance(
        &self,
        ctx: &Context<'_>,
        section_id: ID,
        month: i32,
        rows: Vec<VoucherAttendanceRowInput>,
    ) -> Result<Vec<Attendance>> {
        let state = ctx.data::<AppState>()?;
        let mut parsed = Vec::with_capacity(rows.len());
        for r in rows {
            parsed.push(Row {
                voucher_id: parse_id("voucherId", &r.voucher_id)?,
                held: r.sessions_held,
                attended: r.sessions_attended,
            });
        }
        Ok(attendance::record(
            &state.db,
            actor(ctx)?,
            parse_id("sectionId", &section_id)?,
            month,
            parsed,
            Utc::now(),
        )
        .await?
        .into_iter()
        .map(Attendance)
        .collect())
    }

    /// The parent confirms a month, or disputes it with a reason.
    #[graphql(guard = "Allow::roles(\"answerVoucherAttendance\", PARENT)")]
    async fn answer_voucher_attendance(
        &self,
        ctx: &Context<'_>,
        id: ID,
        confirm: bool,
        reason: Option<String>,
    ) -> Result<Attendance> {
        let state = ctx.data::<AppState>()?;
        Ok(Attendance(
            attendance::answer(
                &state.db,
                actor(ctx)?,
                parse_id("id", &id)?,
                confirm,
                reason,
                Utc::now(),
            )
            .await?,
        ))
    }

    /// The akimat resolves a disputed or flagged month, with its reason.
    #[graphql(guard = "Allow::roles(\"resolveVoucherAttendance\", AKIMAT)")]
    async fn resolve_voucher_attendance(
        &self,
        ctx: &Context<'_>,
        id: ID,
        uphold: bool,
        sessions_attended: Option<i32>,
        reason: String,
    ) -> Result<Attendance> {
        let state = ctx.data::<AppState>()?;
        Ok(Attendance(
            attendance::resolve(
                &state.db,
                actor(ctx)?,
                parse_id("id", &id)?,
                uphold,
                sessions_attended,
                reason,
            )
            .await?,
        ))
    }

    /// Writes in the conversation about an application or a month of attendance: text (at
    /// most 2,000 characters), a file (PDF, PNG or JPEG, at most 5 MB) with `body` empty, or
    /// both. The other sides are notified.
    #[graphql(guard = "Allow::roles(\"postVoucherMessage\", EVERYONE_INVOLVED)")]
    async fn post_voucher_message(
        &self,
        ctx: &Context<'_>,
        kind: VoucherThreadKind,
        id: ID,
        body: String,
        file: Option<Upload>,
    ) -> Result<Message> {
        let state = ctx.data::<AppState>()?;
        let doc = file
            .map(|f| adal_core::graphql::uploaded(ctx, &f, "file"))
            .transpose()?;
        let draft = crate::conversations::Draft::parse(&body, doc.as_ref())?;
        Ok(Message(
            crate::conversations::post(
                &state.db,
                &state.settings.data_dir,
                actor(ctx)?,
                kind,
                parse_id("id", &id)?,
                draft,
                Utc::now(),
            )
            .await?,
        ))
    }

    /// Marks the conversation read by the caller, through message `through` (the last one the
    /// page showed) or else its latest; returns how many stay unread.
    #[graphql(guard = "Allow::roles(\"markVoucherConversationRead\", EVERYONE_INVOLVED)")]
    async fn mark_voucher_conversation_read(
        &self,
        ctx: &Context<'_>,
        kind: VoucherThreadKind,
        id: ID,
        through: Option<ID>,
    ) -> Result<i64> {
        let state = ctx.data::<AppState>()?;
        let through = through.map(|t| parse_id("through", &t)).transpose()?;
        Ok(crate::conversations::mark_read(
            &state.db,
            actor(ctx)?,
            kind,
            parse_id("id", &id)?,
            through,
            Utc::now(),
        )
        .await?)
    }

    /// Computes a finished month's payouts from confirmed attendance.
    #[graphql(guard = "Allow::roles(\"computeVoucherPayouts\", AKIMAT)")]
    async fn compute_voucher_payouts(
        &self,
        ctx: &Context<'_>,
        campaign_id: ID,
        month: i32,
    ) -> Result<PayoutRun> {
        let state = ctx.data::<AppState>()?;
        let cid = parse_id("campaignId", &campaign_id)?;
        // The schools' answer to "was this child inside school?", when the server plugs it in.
        let presence = ctx.data_opt::<crate::presence::Presence>();
        let run = attendance::compute_payouts(
            &state.db,
            actor(ctx)?,
            cid,
            month,
            Utc::now(),
            presence.map(|p| p.source()),
        )
        .await?;
        Ok(PayoutRun {
            payouts: run.payouts.into_iter().map(Payout).collect(),
            auto_confirmed: run.auto_confirmed as i32,
            register_csv_url: crate::http::register_path(cid, month, "csv"),
            register_xlsx_url: crate::http::register_path(cid, month, "xlsx"),
        })
    }
}
