//! GraphQL of the schools domain: the school's people, cards and devices; the devices' event
//! upload; attendance; the canteen, meals and their eligibility; allergen blocks; balances;
//! what parents want to be told.

use async_graphql::{Context, Enum, ID, InputObject, Object, Result, SimpleObject, Upload};
use chrono::{DateTime, NaiveDate, Utc};

use entities::{
    school_allergen_override, school_card, school_class, school_device, school_dish, school_event,
    school_id_consent, school_meal, school_meal_ground, school_meal_policy, school_meal_rating,
    school_member, school_profile,
};

use adal_core::auth::guard::actor;
use adal_core::auth::{Allow, Role};
use adal_core::error::ApiError;
use adal_core::sql::parse_id;
use adal_core::state::AppState;
use adal_core::vocab::Language;

use crate::canteen::MealRater;
use crate::events::{self, EventIn, Status};
use crate::meals::MealAnswer;
use crate::notices::Prefs;
use crate::policy::{GroundDraft, PolicyDraft, Reduced};
use crate::reports::{self, Kind as ReportKind, Scope as ReportScope};
use crate::roster::ProfileDraft;
use crate::rules::{self, local_day};
use crate::scope::{self, STAFF};
use crate::vocab::{
    Allergen, CredentialKind, CredentialStatus, DeviceKind, MealCharge, MemberKind,
    SchoolEventKind, allergens_from_db,
};
use crate::wallet::{self, State as WalletState};
use crate::{
    allergens, attendance, balance, canteen, cards, devices, logins, meals, notices, policy,
    roster, till,
};

const ADMIN: &[Role] = &[Role::SchoolAdmin];
const PARENT: &[Role] = &[Role::Parent];
const DEVICE: &[Role] = &[Role::Device];
const AKIMAT: &[Role] = &[Role::AkimatOfficer];
const STAFF_OR_PARENT: &[Role] = &[Role::SchoolAdmin, Role::SchoolStaff, Role::Parent];
/// A pupil's school and meals are read by their parent, their school's staff, or the pupil
/// with the login the school issued.
const STAFF_PARENT_OR_PUPIL: &[Role] = &[
    Role::SchoolAdmin,
    Role::SchoolStaff,
    Role::Parent,
    Role::Pupil,
];
const PARENT_OR_PUPIL: &[Role] = &[Role::Parent, Role::Pupil];

fn db<'a>(ctx: &'a Context<'_>) -> Result<&'a sea_orm::DatabaseConnection> {
    Ok(&ctx.data::<AppState>()?.db)
}

/// The person's full name, recorded as a read of personal data.
async fn name_of(ctx: &Context<'_>, person: i64) -> Result<Option<String>> {
    adal_registers::loaders::person_name(ctx, person).await
}

fn check_range(from: NaiveDate, to: NaiveDate) -> Result<()> {
    if to < from || (to - from).num_days() > 62 {
        return Err(ApiError::bad_input("to", "a range of 1 to 62 days, from before to").into());
    }
    Ok(())
}

/// A school's settings.
pub struct Profile(pub school_profile::Model);

#[Object(name = "SchoolProfile")]
impl Profile {
    async fn school_id(&self) -> ID {
        ID(self.0.organisation_id.to_string())
    }
    /// Local time lessons start, `HH:MM`.
    async fn lessons_start(&self) -> &str {
        &self.0.lessons_start
    }
    async fn late_grace_minutes(&self) -> i32 {
        self.0.late_grace_minutes
    }
    async fn allow_credit(&self) -> bool {
        self.0.allow_credit
    }
    async fn credit_limit(&self) -> i64 {
        self.0.credit_limit
    }
}

#[derive(InputObject)]
#[graphql(name = "SchoolProfileInput")]
pub struct ProfileInput {
    pub lessons_start: String,
    pub late_grace_minutes: i32,
    pub allow_credit: bool,
    pub credit_limit: i64,
}

/// A class and its grade.
pub struct Class(pub school_class::Model);

#[Object(name = "SchoolClass")]
impl Class {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    async fn grade(&self) -> i32 {
        self.0.grade
    }
}

/// A pupil or member of staff of a school.
pub struct Member(pub school_member::Model);

#[Object(name = "SchoolMember")]
impl Member {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    async fn person_id(&self) -> ID {
        ID(self.0.person_id.to_string())
    }
    /// Full name (personal data: the read is recorded).
    async fn name(&self, ctx: &Context<'_>) -> Result<Option<String>> {
        name_of(ctx, self.0.person_id).await
    }
    async fn kind(&self) -> Option<MemberKind> {
        MemberKind::from_db(&self.0.kind)
    }
    async fn class(&self, ctx: &Context<'_>) -> Result<Option<Class>> {
        let Some(id) = self.0.class_id else {
            return Ok(None);
        };
        use sea_orm::EntityTrait;
        Ok(school_class::Entity::find_by_id(id)
            .one(db(ctx)?)
            .await?
            .map(Class))
    }
    async fn position(&self) -> Option<&str> {
        self.0.position.as_deref()
    }
    /// The member's photo, when the school added one, as a `data:` address (PNG or JPEG) an
    /// image shows as it is. Ask for it for one person (the till, the person's card), not for a
    /// whole list. It is personal data: its read is recorded, as the name's is.
    async fn photo(&self, ctx: &Context<'_>) -> Result<Option<String>> {
        if self.0.photo_sha256.is_none()
            || !adal_core::audit::reveal(ctx, self.0.person_id, "photo")
        {
            return Ok(None);
        }
        let state = ctx.data::<AppState>()?;
        Ok(roster::photo_data_url(&state.settings.data_dir, &self.0)?)
    }
    /// Whether the school added a photo (cheap: reads no file).
    async fn has_photo(&self) -> bool {
        self.0.photo_sha256.is_some()
    }
}

/// The outcome of importing a school's list.
#[derive(SimpleObject)]
#[graphql(name = "SchoolListImport")]
pub struct ImportResult {
    pub created: i32,
    pub updated: i32,
    pub unchanged: i32,
    pub rejected: Vec<RejectedLine>,
}

/// A line of the list not taken, and why.
#[derive(SimpleObject)]
#[graphql(name = "SchoolListRejectedLine")]
pub struct RejectedLine {
    pub line: i32,
    pub reason: String,
}

/// A means of identification.
pub struct Card(pub school_card::Model);

#[Object(name = "SchoolCard")]
impl Card {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    async fn person_id(&self) -> ID {
        ID(self.0.person_id.to_string())
    }
    async fn kind(&self) -> Option<CredentialKind> {
        CredentialKind::from_db(&self.0.kind)
    }
    /// A card's UID with all but the last four digits masked; nothing for a QR code or PIN.
    async fn uid_masked(&self) -> Option<String> {
        (self.0.kind == CredentialKind::Card.as_str()).then(|| {
            let n = self.0.credential.len();
            format!(
                "{}{}",
                "•".repeat(n.saturating_sub(4)),
                &self.0.credential[n.saturating_sub(4)..]
            )
        })
    }
    async fn status(&self) -> Option<CredentialStatus> {
        CredentialStatus::from_db(&self.0.status)
    }
    async fn issued_at(&self) -> DateTime<Utc> {
        self.0.issued_at
    }
    async fn blocked_at(&self) -> Option<DateTime<Utc>> {
        self.0.blocked_at
    }
    async fn block_reason(&self) -> Option<&str> {
        self.0.block_reason.as_deref()
    }
}

/// A QR code or PIN issued, with the code shown this once.
#[derive(SimpleObject)]
#[graphql(name = "SchoolAlternativeId")]
pub struct AlternativeId {
    pub card: Card,
    /// The QR code's content or the PIN: give it to the family; it is not shown again.
    pub code: String,
    /// For a QR code, the code drawn as an SVG picture in a `data:` address, to print or show
    /// on the family's phone; none for a PIN.
    pub qr: Option<String>,
}

/// A parent's consent to identify their child by QR code or PIN.
pub struct Consent(pub school_id_consent::Model);

#[Object(name = "SchoolIdConsent")]
impl Consent {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    async fn method(&self) -> Option<CredentialKind> {
        CredentialKind::from_db(&self.0.method)
    }
    async fn given_at(&self) -> DateTime<Utc> {
        self.0.given_at
    }
    async fn revoked_at(&self) -> Option<DateTime<Utc>> {
        self.0.revoked_at
    }
}

/// A turnstile or till.
pub struct Device(pub school_device::Model);

#[Object(name = "SchoolDevice")]
impl Device {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    async fn kind(&self) -> Option<DeviceKind> {
        DeviceKind::from_db(&self.0.kind)
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    async fn registered_at(&self) -> DateTime<Utc> {
        self.0.registered_at
    }
    /// The highest event number stored from it.
    async fn last_seq(&self) -> i64 {
        self.0.last_seq
    }
    async fn last_seen_at(&self) -> Option<DateTime<Utc>> {
        self.0.last_seen_at
    }
}

/// A device registered, with its client secret shown this once.
#[derive(SimpleObject)]
#[graphql(name = "SchoolDeviceRegistration")]
pub struct Registration {
    pub device: Device,
    pub client_id: String,
    pub client_secret: String,
}

/// How the person identified themselves.
#[derive(InputObject)]
#[graphql(name = "SchoolEventInput")]
pub struct EventInput {
    /// The device's own sequence number, from 1, rising.
    pub seq: i64,
    pub kind: SchoolEventKind,
    /// `CARD` unless given.
    pub method: Option<CredentialKind>,
    /// The card's UID, the QR code's content, or the PIN.
    pub credential: String,
    /// When it happened, by the device's clock.
    pub at: DateTime<Utc>,
    /// For a meal: the dishes served.
    #[graphql(default)]
    pub dish_ids: Vec<ID>,
}

/// What became of one event.
#[derive(SimpleObject)]
#[graphql(name = "SchoolEventAnswer")]
pub struct EventAnswer {
    pub seq: i64,
    pub status: Status,
    /// Why it was refused (`CARD_BLOCKED`, `ALLERGEN_BLOCKED`, ...).
    pub code: Option<String>,
    pub late: bool,
    pub clock_suspect: bool,
    pub meal_id: Option<ID>,
    pub charge: Option<MealCharge>,
    /// The pupil's price of the meal.
    pub price: Option<i64>,
    pub ground: Option<String>,
    /// The pupil's balance after the meal.
    pub balance: Option<i64>,
    /// The blocked allergens that refused a meal (or were served under an override).
    pub allergens: Vec<Allergen>,
}

/// The answer to a batch.
#[derive(SimpleObject)]
#[graphql(name = "SchoolEventBatch")]
pub struct Batch {
    /// The last sequence number stored from this device: send from the next one.
    pub last_seq: i64,
    pub answers: Vec<EventAnswer>,
}

fn answer(a: events::Answer) -> EventAnswer {
    let meal: Option<MealAnswer> = a.meal;
    let mut allergens = a.allergens;
    if let Some(m) = &meal {
        allergens.extend(m.allergens_served.iter().copied());
    }
    EventAnswer {
        seq: a.seq,
        status: a.status,
        code: a.code,
        late: a.late,
        clock_suspect: a.clock_suspect,
        meal_id: meal.as_ref().map(|m| ID(m.meal_id.to_string())),
        charge: meal.as_ref().map(|m| m.charge),
        price: meal.as_ref().map(|m| m.price),
        ground: meal.as_ref().and_then(|m| m.ground.clone()),
        balance: meal.as_ref().map(|m| m.balance),
        allergens,
    }
}

/// A school a pupil attends, and their place in it.
#[derive(SimpleObject)]
pub struct PupilSchool {
    pub school_id: ID,
    /// The school's name in the caller's language.
    pub name: String,
    pub member: Member,
}

/// A meal at a browser till.
#[derive(InputObject)]
pub struct TillMealInput {
    /// The school's `TILL` device the tablet is registered as.
    pub device_id: ID,
    /// The page's number for this meal, rising as a device's do.
    pub seq: i64,
    /// The card's UID, the QR code's content, or the PIN.
    pub credential: String,
    /// `CARD` unless given.
    pub method: Option<CredentialKind>,
    pub dish_ids: Vec<ID>,
}

/// A pupil at the till before the meal, or why the till would refuse the card.
#[derive(SimpleObject)]
pub struct TillPupil {
    /// `UNKNOWN_CARD`, `CARD_BLOCKED`, `NOT_THIS_SCHOOL` or `NOT_A_PUPIL`; null for a pupil.
    pub refused: Option<String>,
    pub member: Option<Member>,
    /// How the next meal is charged: `PAID` once the day's free or reduced meal is had.
    pub charge: Option<MealCharge>,
    pub ground: Option<String>,
    pub reduced_price: Option<i64>,
    /// The day's free or reduced meal was had already.
    pub subsidised_used: bool,
    /// The allergens the parent blocked that no override lifts today.
    pub blocked_allergens: Vec<Allergen>,
    pub balance: Option<i64>,
    /// The lowest the balance may go (below zero only where the school allows credit).
    pub balance_floor: Option<i64>,
}

/// An event as stored.
pub struct Event(pub school_event::Model);

#[Object(name = "SchoolEvent")]
impl Event {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    async fn device_id(&self) -> ID {
        ID(self.0.device_id.to_string())
    }
    async fn seq(&self) -> i64 {
        self.0.seq
    }
    async fn kind(&self) -> Option<SchoolEventKind> {
        SchoolEventKind::from_db(&self.0.kind)
    }
    async fn person_id(&self) -> Option<ID> {
        self.0.person_id.map(|p| ID(p.to_string()))
    }
    async fn name(&self, ctx: &Context<'_>) -> Result<Option<String>> {
        match self.0.person_id {
            Some(p) => name_of(ctx, p).await,
            None => Ok(None),
        }
    }
    async fn happened_at(&self) -> DateTime<Utc> {
        self.0.happened_at
    }
    async fn received_at(&self) -> DateTime<Utc> {
        self.0.received_at
    }
    async fn late(&self) -> bool {
        self.0.late
    }
    async fn clock_suspect(&self) -> bool {
        self.0.clock_suspect
    }
    async fn refused(&self) -> Option<&str> {
        self.0.refused.as_deref()
    }
}

/// A person's day at school.
#[derive(SimpleObject)]
#[graphql(name = "SchoolDay")]
pub struct DayOut {
    pub date: NaiveDate,
    pub first_entry: Option<DateTime<Utc>>,
    pub last_exit: Option<DateTime<Utc>>,
    /// Local `HH:MM` of the first entry and last exit.
    pub first_entry_local: Option<String>,
    pub last_exit_local: Option<String>,
    pub late: bool,
    pub absent: bool,
    /// The day's latest pass is an entry: in the building now (for today).
    pub inside: bool,
}

fn day_out(date: NaiveDate, d: rules::Day) -> DayOut {
    DayOut {
        date,
        first_entry: d.first_entry,
        last_exit: d.last_exit,
        first_entry_local: d.first_entry.map(rules::hhmm),
        last_exit_local: d.last_exit.map(rules::hhmm),
        late: d.late,
        absent: d.absent,
        inside: d.inside,
    }
}

/// A member's day, for the school's register.
#[derive(SimpleObject)]
#[graphql(name = "SchoolAttendanceRow")]
pub struct AttendanceRow {
    pub member: Member,
    pub day: DayOut,
}

/// A dish of the canteen.
pub struct Dish(pub school_dish::Model);

#[Object(name = "SchoolDish")]
impl Dish {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    /// The name in the caller's language (Kazakh for anonymous callers).
    async fn name(&self, ctx: &Context<'_>) -> String {
        let lang = actor(ctx).map_or(Language::Kk, |a| a.language);
        lang.pick(&self.0.name_kk, &self.0.name_ru, &self.0.name_en)
            .to_owned()
    }
    async fn name_kk(&self) -> &str {
        &self.0.name_kk
    }
    async fn name_ru(&self) -> &str {
        &self.0.name_ru
    }
    async fn name_en(&self) -> &str {
        &self.0.name_en
    }
    async fn photo_url(&self) -> Option<&str> {
        self.0.photo_url.as_deref()
    }
    /// Tenge.
    async fn price(&self) -> i64 {
        self.0.price
    }
    async fn portion(&self) -> &str {
        &self.0.portion
    }
    async fn allergens(&self) -> Vec<Allergen> {
        allergens_from_db(&self.0.allergens)
    }
    async fn active(&self) -> bool {
        self.0.active
    }
}

#[derive(InputObject)]
#[graphql(name = "SchoolDishInput")]
pub struct DishInput {
    pub name_kk: String,
    pub name_ru: String,
    pub name_en: String,
    pub photo_url: Option<String>,
    pub price: i64,
    pub portion: String,
    pub allergens: Vec<Allergen>,
    #[graphql(default = true)]
    pub active: bool,
}

/// A meal served.
pub struct Meal(pub school_meal::Model);

#[Object(name = "SchoolMeal")]
impl Meal {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    async fn person_id(&self) -> ID {
        ID(self.0.person_id.to_string())
    }
    async fn name(&self, ctx: &Context<'_>) -> Result<Option<String>> {
        name_of(ctx, self.0.person_id).await
    }
    async fn day(&self) -> NaiveDate {
        self.0.day
    }
    async fn served_at(&self) -> DateTime<Utc> {
        self.0.served_at
    }
    async fn served_at_local(&self) -> String {
        rules::hhmm(self.0.served_at)
    }
    async fn dishes(&self, ctx: &Context<'_>) -> Result<Vec<Dish>> {
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
        Ok(school_dish::Entity::find()
            .filter(school_dish::Column::Id.is_in(meals::dish_ids(&self.0.dishes)))
            .all(db(ctx)?)
            .await?
            .into_iter()
            .map(Dish)
            .collect())
    }
    async fn charge(&self) -> Option<MealCharge> {
        MealCharge::from_db(&self.0.charge)
    }
    async fn ground(&self) -> Option<&str> {
        self.0.ground.as_deref()
    }
    /// What the pupil paid.
    async fn price(&self) -> i64 {
        self.0.price
    }
    /// What the budget pays.
    async fn cost(&self) -> i64 {
        self.0.cost
    }
    async fn late(&self) -> bool {
        self.0.late
    }
    /// Allergens served against the parent's block (under an override, or a late upload).
    async fn allergens_served(&self) -> Vec<Allergen> {
        self.0
            .allergens_served
            .as_deref()
            .map(allergens_from_db)
            .unwrap_or_default()
    }
    async fn rating(&self, ctx: &Context<'_>) -> Result<Option<i32>> {
        Ok(self.rating_model(ctx).await?.map(|r| r.score))
    }
    /// Who gave the rating, as the reader sees it (null while the meal is unrated).
    async fn rated_by(&self, ctx: &Context<'_>) -> Result<Option<MealRater>> {
        let reader = actor(ctx).ok().and_then(|a| a.person_id);
        Ok(self
            .rating_model(ctx)
            .await?
            .map(|r| canteen::rater(&r, reader)))
    }
}

impl Meal {
    async fn rating_model(&self, ctx: &Context<'_>) -> Result<Option<school_meal_rating::Model>> {
        crate::loaders::loaders(ctx)?
            .ratings
            .load_one(self.0.id)
            .await
            .map_err(adal_core::loaders::load_err)
    }
}

/// A pupil's eligibility for meals on a day, and why.
#[derive(SimpleObject)]
#[graphql(name = "MealEligibility")]
pub struct EligibilityOut {
    pub charge: MealCharge,
    pub ground: Option<String>,
    pub reduced_price: Option<i64>,
    pub grade: Option<i32>,
}

/// A version of a region's meal policy.
pub struct PolicyOut(pub school_meal_policy::Model);

/// A reduced price for a category.
#[derive(SimpleObject, InputObject, Clone)]
#[graphql(name = "MealReducedPrice", input_name = "MealReducedPriceInput")]
pub struct ReducedOut {
    pub category: String,
    pub price: i64,
}

#[Object(name = "MealPolicy")]
impl PolicyOut {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    async fn region_kato(&self) -> &str {
        &self.0.region_kato
    }
    async fn version(&self) -> i32 {
        self.0.version
    }
    async fn valid_from(&self) -> NaiveDate {
        self.0.valid_from
    }
    /// Categories the region adds to the law's free grounds (grades 1-4, targeted social
    /// assistance, below the subsistence minimum, orphans, without parental care).
    async fn free_categories(&self) -> Vec<String> {
        policy::rules_of(&self.0).free_categories
    }
    async fn reduced(&self) -> Vec<ReducedOut> {
        policy::rules_of(&self.0)
            .reduced
            .into_iter()
            .map(|(category, price)| ReducedOut { category, price })
            .collect()
    }
    /// What the budget pays for one free meal.
    async fn meal_cost(&self) -> i64 {
        self.0.meal_cost
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
}

#[derive(InputObject)]
#[graphql(name = "MealPolicyInput")]
pub struct PolicyInput {
    pub region_kato: String,
    pub valid_from: NaiveDate,
    pub free_categories: Vec<String>,
    pub reduced: Vec<ReducedOut>,
    pub meal_cost: i64,
}

/// A pupil's ground for free or reduced meals.
pub struct Ground(pub school_meal_ground::Model);

#[Object(name = "MealGround")]
impl Ground {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    async fn category(&self) -> &str {
        &self.0.category
    }
    async fn valid_from(&self) -> NaiveDate {
        self.0.valid_from
    }
    async fn valid_to(&self) -> Option<NaiveDate> {
        self.0.valid_to
    }
    async fn evidence(&self) -> &str {
        &self.0.evidence
    }
    async fn recorded_at(&self) -> DateTime<Utc> {
        self.0.recorded_at
    }
}

#[derive(InputObject)]
#[graphql(name = "MealGroundInput")]
pub struct GroundInput {
    pub category: String,
    pub valid_from: NaiveDate,
    pub valid_to: Option<NaiveDate>,
    pub evidence: String,
}

/// A school's lifting of an allergen block.
pub struct Override(pub school_allergen_override::Model);

#[Object(name = "AllergenOverride")]
impl Override {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    async fn school_id(&self) -> ID {
        ID(self.0.school_id.to_string())
    }
    async fn allergen(&self) -> Option<Allergen> {
        Allergen::from_db(&self.0.allergen)
    }
    async fn reason(&self) -> &str {
        &self.0.reason
    }
    async fn at(&self) -> DateTime<Utc> {
        self.0.at
    }
    async fn valid_to(&self) -> Option<NaiveDate> {
        self.0.valid_to
    }
}

/// A pupil's canteen balance and its latest changes.
#[derive(SimpleObject)]
#[graphql(name = "SchoolBalance")]
pub struct BalanceOut {
    pub amount: i64,
    pub entries: Vec<BalanceEntry>,
}

#[derive(SimpleObject)]
#[graphql(name = "SchoolBalanceEntry")]
pub struct BalanceEntry {
    pub amount: i64,
    pub balance_after: i64,
    /// `topup` or `meal`.
    pub kind: String,
    pub at: DateTime<Utc>,
}

/// What a parent wants to be told of a child at school.
#[derive(SimpleObject)]
#[graphql(name = "SchoolNoticePreferences")]
pub struct PrefsOut {
    pub kinds: Vec<SchoolEventKind>,
    /// Also by SMS (eGov push always).
    pub sms_kinds: Vec<SchoolEventKind>,
}

impl From<Prefs> for PrefsOut {
    fn from(p: Prefs) -> Self {
        PrefsOut {
            kinds: p.kinds,
            sms_kinds: p.sms_kinds,
        }
    }
}

/// An average of ratings.
#[derive(SimpleObject)]
#[graphql(name = "DishRatingAverage")]
pub struct DishAverage {
    pub dish: Dish,
    pub ratings: i32,
    pub average: f64,
}

#[derive(SimpleObject)]
#[graphql(name = "WeekRatingAverage")]
pub struct WeekAverage {
    /// The Monday of the week.
    pub week_start: NaiveDate,
    pub ratings: i32,
    pub average: f64,
}

#[derive(SimpleObject)]
#[graphql(name = "SchoolMealRatings")]
pub struct Ratings {
    pub dishes: Vec<DishAverage>,
    pub weeks: Vec<WeekAverage>,
    /// What families wrote with their ratings, latest first (at most 50), without who wrote it.
    pub comments: Vec<RatingComment>,
}

/// A comment given with a meal's rating.
pub struct RatingComment(pub school_meal_rating::Model);

#[Object(name = "SchoolMealComment")]
impl RatingComment {
    /// The day the meal was served.
    async fn day(&self) -> NaiveDate {
        self.0.day
    }
    /// 1 to 5.
    async fn score(&self) -> i32 {
        self.0.score
    }
    async fn comment(&self) -> &str {
        self.0.comment.as_deref().unwrap_or_default()
    }
    /// The dishes of the meal rated.
    async fn dishes(&self, ctx: &Context<'_>) -> Result<Vec<Dish>> {
        let db = db(ctx)?;
        let mut out = Vec::new();
        for d in meals::dish_ids(&self.0.dishes) {
            if let Ok(dish) = canteen::dish(db, d).await {
                out.push(Dish(dish));
            }
        }
        Ok(out)
    }
}

/// Which of a parent's answers on identification.
#[derive(Enum, Copy, Clone, PartialEq, Eq)]
#[graphql(name = "SchoolIdMethod")]
pub enum IdMethod {
    Qr,
    Pin,
}

impl From<IdMethod> for CredentialKind {
    fn from(m: IdMethod) -> Self {
        match m {
            IdMethod::Qr => CredentialKind::Qr,
            IdMethod::Pin => CredentialKind::Pin,
        }
    }
}

/// A version of a monthly report.
pub struct Report(pub entities::school_report::Model);

#[Object(name = "SchoolReport")]
impl Report {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    async fn kind(&self) -> Option<ReportKind> {
        ReportKind::from_db(&self.0.kind)
    }
    /// `YYYYMM`.
    async fn month(&self) -> i32 {
        self.0.month
    }
    async fn version(&self) -> i32 {
        self.0.version
    }
    async fn rows(&self) -> i32 {
        self.0.rows
    }
    async fn csv_sha256(&self) -> &str {
        &self.0.csv_sha256
    }
    async fn xlsx_sha256(&self) -> &str {
        &self.0.xlsx_sha256
    }
    /// What changed since the version before (none for the first).
    async fn changes(&self) -> Option<&str> {
        self.0.changes.as_deref()
    }
    async fn generated_at(&self) -> DateTime<Utc> {
        self.0.generated_at
    }
    async fn csv_url(&self) -> String {
        crate::http::report_path(self.0.id, "csv")
    }
    async fn xlsx_url(&self) -> String {
        crate::http::report_path(self.0.id, "xlsx")
    }
}

/// A report made (or found unchanged).
#[derive(SimpleObject)]
#[graphql(name = "SchoolReportRun")]
pub struct ReportRun {
    pub report: Report,
    /// Whether this run made a new version (the data changed).
    pub new_version: bool,
}

/// A subsidised meal's transfer to the Social Wallet.
pub struct Transfer(pub entities::school_wallet_transfer::Model);

#[Object(name = "WalletTransfer")]
impl Transfer {
    async fn meal_id(&self) -> ID {
        ID(self.0.meal_id.to_string())
    }
    async fn day(&self) -> NaiveDate {
        self.0.day
    }
    async fn state(&self) -> Option<WalletState> {
        WalletState::from_db(&self.0.state)
    }
    async fn attempts(&self) -> i32 {
        self.0.attempts
    }
    /// The Wallet's reason for a rejection, or the last failure of a pending one.
    async fn reason(&self) -> Option<&str> {
        self.0.reason.as_deref()
    }
    async fn next_attempt_at(&self) -> Option<DateTime<Utc>> {
        (self.0.state == WalletState::Pending.as_str()).then_some(self.0.next_at)
    }
    async fn answered_at(&self) -> Option<DateTime<Utc>> {
        self.0.answered_at
    }
}

fn month_arg(month: i32) -> Result<i32> {
    reports::days_of(month).ok_or_else(|| ApiError::bad_input("month", "a month as YYYYMM"))?;
    Ok(month)
}

fn id(field: &str, v: &ID) -> Result<i64> {
    Ok(parse_id(field, v)?)
}

/// A pupil's login for educational resources, and its password shown this once.
#[derive(SimpleObject)]
pub struct PupilLogin {
    pub login: String,
    pub password: String,
    /// The pupil held this login already: only the password is new.
    pub reissued: bool,
}

/// A pupil's login as the school sees it (never its password).
#[derive(SimpleObject)]
pub struct PupilLoginState {
    pub person_id: ID,
    pub login: String,
    /// Withdrawn: it signs in nowhere until issued again.
    pub withdrawn: bool,
}

#[derive(Default)]
pub struct SchoolsQuery;

#[Object]
impl SchoolsQuery {
    /// A school's settings.
    #[graphql(guard = "Allow::roles(\"schoolProfile\", STAFF)")]
    async fn school_profile(&self, ctx: &Context<'_>, school_id: ID) -> Result<Profile> {
        let s = scope::school(actor(ctx)?, id("schoolId", &school_id)?, STAFF)?;
        Ok(Profile(roster::profile(db(ctx)?, s).await?))
    }

    #[graphql(guard = "Allow::roles(\"schoolClasses\", STAFF)")]
    async fn school_classes(&self, ctx: &Context<'_>, school_id: ID) -> Result<Vec<Class>> {
        let s = scope::school(actor(ctx)?, id("schoolId", &school_id)?, STAFF)?;
        Ok(roster::classes(db(ctx)?, s)
            .await?
            .into_iter()
            .map(Class)
            .collect())
    }

    /// The school's pupils and staff on its list.
    #[graphql(guard = "Allow::roles(\"schoolMembers\", STAFF)")]
    async fn school_members(
        &self,
        ctx: &Context<'_>,
        school_id: ID,
        kind: Option<MemberKind>,
        class_id: Option<ID>,
    ) -> Result<Vec<Member>> {
        let s = scope::school(actor(ctx)?, id("schoolId", &school_id)?, STAFF)?;
        let class = class_id.as_ref().map(|c| id("classId", c)).transpose()?;
        Ok(roster::members(db(ctx)?, s, kind, class)
            .await?
            .into_iter()
            .map(Member)
            .collect())
    }

    /// The logins the school issued its pupils for educational resources.
    #[graphql(guard = "Allow::roles(\"pupilLogins\", ADMIN)")]
    async fn pupil_logins(&self, ctx: &Context<'_>, school_id: ID) -> Result<Vec<PupilLoginState>> {
        let s = scope::school(actor(ctx)?, id("schoolId", &school_id)?, ADMIN)?;
        let db = db(ctx)?;
        let pupils: Vec<i64> = roster::members(db, s, Some(MemberKind::Pupil), None)
            .await?
            .into_iter()
            .map(|m| m.person_id)
            .collect();
        Ok(logins::logins_of(db, &pupils)
            .await?
            .into_iter()
            .map(|a| PupilLoginState {
                person_id: ID(a.person_id.unwrap_or_default().to_string()),
                login: a.login,
                withdrawn: a.disabled,
            })
            .collect())
    }

    /// A member's cards, QR codes and PINs at the school.
    #[graphql(guard = "Allow::roles(\"schoolCards\", STAFF)")]
    async fn school_cards(
        &self,
        ctx: &Context<'_>,
        school_id: ID,
        person_id: ID,
    ) -> Result<Vec<Card>> {
        let s = scope::school(actor(ctx)?, id("schoolId", &school_id)?, STAFF)?;
        Ok(
            cards::of_person(db(ctx)?, Some(s), id("personId", &person_id)?)
                .await?
                .into_iter()
                .map(Card)
                .collect(),
        )
    }

    /// The school's devices, with when each was last heard from (staff see which tills and
    /// turnstiles are offline; no secret is shown).
    #[graphql(guard = "Allow::roles(\"schoolDevices\", STAFF)")]
    async fn school_devices(&self, ctx: &Context<'_>, school_id: ID) -> Result<Vec<Device>> {
        let s = scope::school(actor(ctx)?, id("schoolId", &school_id)?, STAFF)?;
        Ok(devices::list(db(ctx)?, s)
            .await?
            .into_iter()
            .map(Device)
            .collect())
    }

    /// The events of a day as devices reported them; `flaggedOnly`: refused, late or with a
    /// wrong clock.
    #[graphql(guard = "Allow::roles(\"schoolEvents\", STAFF)")]
    async fn school_events(
        &self,
        ctx: &Context<'_>,
        school_id: ID,
        day: NaiveDate,
        #[graphql(default)] flagged_only: bool,
    ) -> Result<Vec<Event>> {
        let s = scope::school(actor(ctx)?, id("schoolId", &school_id)?, STAFF)?;
        Ok(events::of_school_day(db(ctx)?, s, day, flagged_only)
            .await?
            .into_iter()
            .map(Event)
            .collect())
    }

    /// Every member's day: first entry, last exit, late, absent.
    #[graphql(guard = "Allow::roles(\"schoolAttendance\", STAFF)")]
    async fn school_attendance(
        &self,
        ctx: &Context<'_>,
        school_id: ID,
        day: NaiveDate,
    ) -> Result<Vec<AttendanceRow>> {
        let s = scope::school(actor(ctx)?, id("schoolId", &school_id)?, STAFF)?;
        Ok(attendance::school_day(db(ctx)?, s, day)
            .await?
            .into_iter()
            .map(|(m, d)| AttendanceRow {
                member: Member(m),
                day: day_out(day, d),
            })
            .collect())
    }

    /// A pupil's (or staff member's) days at school, for their parent or their school.
    #[graphql(guard = "Allow::roles(\"pupilAttendance\", STAFF_OR_PARENT)")]
    async fn pupil_attendance(
        &self,
        ctx: &Context<'_>,
        person_id: ID,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<DayOut>> {
        check_range(from, to)?;
        let person = id("personId", &person_id)?;
        let db = db(ctx)?;
        let schools = scope::person_schools(db, actor(ctx)?, person).await?;
        let Some(school) = schools.first() else {
            return Ok(Vec::new());
        };
        Ok(attendance::person_days(db, *school, person, from, to)
            .await?
            .into_iter()
            .map(|(d, day)| day_out(d, day))
            .collect())
    }

    /// A school's menu of a day (public: a canteen's menu is no secret).
    #[graphql(guard = "Allow::public(\"schoolMenu\")")]
    async fn school_menu(
        &self,
        ctx: &Context<'_>,
        school_id: ID,
        day: NaiveDate,
    ) -> Result<Vec<Dish>> {
        Ok(canteen::menu(db(ctx)?, id("schoolId", &school_id)?, day)
            .await?
            .into_iter()
            .map(Dish)
            .collect())
    }

    #[graphql(guard = "Allow::roles(\"schoolDishes\", STAFF)")]
    async fn school_dishes(&self, ctx: &Context<'_>, school_id: ID) -> Result<Vec<Dish>> {
        let s = scope::school(actor(ctx)?, id("schoolId", &school_id)?, STAFF)?;
        Ok(canteen::dishes(db(ctx)?, s, false)
            .await?
            .into_iter()
            .map(Dish)
            .collect())
    }

    #[graphql(guard = "Allow::roles(\"schoolMeals\", STAFF)")]
    async fn school_meals(
        &self,
        ctx: &Context<'_>,
        school_id: ID,
        day: NaiveDate,
    ) -> Result<Vec<Meal>> {
        let s = scope::school(actor(ctx)?, id("schoolId", &school_id)?, STAFF)?;
        Ok(meals::of_school_day(db(ctx)?, s, day)
            .await?
            .into_iter()
            .map(Meal)
            .collect())
    }

    /// A pupil's meals, for their parent, their school or themselves.
    #[graphql(guard = "Allow::roles(\"pupilMeals\", STAFF_PARENT_OR_PUPIL)")]
    async fn pupil_meals(
        &self,
        ctx: &Context<'_>,
        person_id: ID,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<Meal>> {
        check_range(from, to)?;
        let person = id("personId", &person_id)?;
        let db = db(ctx)?;
        let schools = scope::person_schools(db, actor(ctx)?, person).await?;
        Ok(meals::of_pupil(db, person, from, to)
            .await?
            .into_iter()
            .filter(|m| schools.contains(&m.school_id))
            .map(Meal)
            .collect())
    }

    /// Whether a pupil eats free, reduced or paid on a day, and on what ground.
    #[graphql(guard = "Allow::roles(\"mealEligibility\", STAFF_OR_PARENT)")]
    async fn meal_eligibility(
        &self,
        ctx: &Context<'_>,
        person_id: ID,
        day: Option<NaiveDate>,
    ) -> Result<Option<EligibilityOut>> {
        let person = id("personId", &person_id)?;
        let db = db(ctx)?;
        let day = day.unwrap_or_else(|| local_day(Utc::now()));
        let schools = scope::person_schools(db, actor(ctx)?, person).await?;
        for s in schools {
            if let Some(m) = roster::membership(db, s, person).await?
                && m.kind == MemberKind::Pupil.as_str()
            {
                let e = meals::eligibility_of(db, &m, s, day).await?;
                return Ok(Some(EligibilityOut {
                    charge: e.charge,
                    ground: e.ground,
                    reduced_price: e.reduced_price,
                    grade: roster::grade(db, &m).await?,
                }));
            }
        }
        Ok(None)
    }

    /// A region's meal policy, every version (public: the rules are open).
    #[graphql(guard = "Allow::public(\"mealPolicies\")")]
    async fn meal_policies(
        &self,
        ctx: &Context<'_>,
        region_kato: String,
    ) -> Result<Vec<PolicyOut>> {
        Ok(policy::versions(db(ctx)?, region_kato.trim())
            .await?
            .into_iter()
            .map(PolicyOut)
            .collect())
    }

    #[graphql(guard = "Allow::roles(\"mealGrounds\", STAFF_OR_PARENT)")]
    async fn meal_grounds(&self, ctx: &Context<'_>, person_id: ID) -> Result<Vec<Ground>> {
        let person = id("personId", &person_id)?;
        let db = db(ctx)?;
        scope::person_schools(db, actor(ctx)?, person).await?;
        Ok(policy::grounds(db, person)
            .await?
            .into_iter()
            .map(Ground)
            .collect())
    }

    /// The allergens blocked for a child.
    #[graphql(guard = "Allow::roles(\"allergenBlocks\", STAFF_OR_PARENT)")]
    async fn allergen_blocks(&self, ctx: &Context<'_>, child_id: ID) -> Result<Vec<Allergen>> {
        let child = id("childId", &child_id)?;
        let db = db(ctx)?;
        scope::person_schools(db, actor(ctx)?, child).await?;
        Ok(allergens::blocked(db, child).await?)
    }

    #[graphql(guard = "Allow::roles(\"allergenOverrides\", STAFF_OR_PARENT)")]
    async fn allergen_overrides(&self, ctx: &Context<'_>, child_id: ID) -> Result<Vec<Override>> {
        let child = id("childId", &child_id)?;
        let db = db(ctx)?;
        scope::person_schools(db, actor(ctx)?, child).await?;
        Ok(allergens::overrides(db, child)
            .await?
            .into_iter()
            .map(Override)
            .collect())
    }

    /// The parent's consents for a child's identification by QR code or PIN.
    #[graphql(guard = "Allow::roles(\"schoolIdConsents\", PARENT)")]
    async fn school_id_consents(&self, ctx: &Context<'_>, child_id: ID) -> Result<Vec<Consent>> {
        let child = scope::own_child(actor(ctx)?, id("childId", &child_id)?)?;
        Ok(cards::consents(db(ctx)?, child)
            .await?
            .into_iter()
            .map(Consent)
            .collect())
    }

    #[graphql(guard = "Allow::roles(\"schoolBalance\", STAFF_OR_PARENT)")]
    async fn school_balance(&self, ctx: &Context<'_>, person_id: ID) -> Result<BalanceOut> {
        let person = id("personId", &person_id)?;
        let db = db(ctx)?;
        scope::person_schools(db, actor(ctx)?, person).await?;
        Ok(BalanceOut {
            amount: balance::amount(db, person).await?,
            entries: balance::entries(db, person, 50)
                .await?
                .into_iter()
                .map(|e| BalanceEntry {
                    amount: e.amount,
                    balance_after: e.balance_after,
                    kind: e.kind,
                    at: e.at,
                })
                .collect(),
        })
    }

    /// The schools a pupil attends, with their class: for their parent, their school's staff,
    /// or themselves.
    #[graphql(guard = "Allow::roles(\"pupilSchools\", STAFF_PARENT_OR_PUPIL)")]
    async fn pupil_schools(&self, ctx: &Context<'_>, person_id: ID) -> Result<Vec<PupilSchool>> {
        let person = id("personId", &person_id)?;
        let db = db(ctx)?;
        let lang = actor(ctx)?.language;
        let mut out = Vec::new();
        for s in scope::person_schools(db, actor(ctx)?, person).await? {
            let Some(m) = roster::membership(db, s, person).await? else {
                continue;
            };
            out.push(PupilSchool {
                school_id: ID(s.to_string()),
                name: {
                    let o = roster::school(db, s).await?;
                    lang.pick(&o.name_kk, &o.name_ru, &o.name_en).to_owned()
                },
                member: Member(m),
            });
        }
        Ok(out)
    }

    /// Who a card (or QR code, or PIN) is at the school's till, before the meal: the pupil,
    /// how they eat today and what their parent blocked; or why the till would refuse it.
    #[graphql(guard = "Allow::roles(\"tillPupil\", STAFF)")]
    async fn till_pupil(
        &self,
        ctx: &Context<'_>,
        school_id: ID,
        credential: String,
        method: Option<CredentialKind>,
    ) -> Result<TillPupil> {
        let s = scope::school(actor(ctx)?, id("schoolId", &school_id)?, STAFF)?;
        let method = method.unwrap_or(CredentialKind::Card);
        Ok(
            match till::look_up(db(ctx)?, s, method, &credential, Utc::now()).await? {
                Ok(p) => TillPupil {
                    refused: None,
                    member: Some(Member(p.member)),
                    charge: Some(p.eligibility.charge),
                    ground: p.eligibility.ground,
                    reduced_price: p.eligibility.reduced_price,
                    subsidised_used: p.subsidised_used,
                    blocked_allergens: p.blocked,
                    balance: Some(p.balance),
                    balance_floor: Some(p.floor),
                },
                Err(code) => TillPupil {
                    refused: Some(code.to_owned()),
                    member: None,
                    charge: None,
                    ground: None,
                    reduced_price: None,
                    subsidised_used: false,
                    blocked_allergens: Vec::new(),
                    balance: None,
                    balance_floor: None,
                },
            },
        )
    }

    #[graphql(guard = "Allow::roles(\"schoolNoticePreferences\", PARENT)")]
    async fn school_notice_preferences(&self, ctx: &Context<'_>, child_id: ID) -> Result<PrefsOut> {
        let a = actor(ctx)?;
        let child = scope::own_child(a, id("childId", &child_id)?)?;
        let parent = a.person_id.ok_or(ApiError::NotFound("pupil"))?;
        Ok(notices::prefs(db(ctx)?, parent, child).await?.into())
    }

    /// The school's monthly reports (meals, attendance), every version.
    #[graphql(guard = "Allow::roles(\"schoolReports\", STAFF)")]
    async fn school_reports(
        &self,
        ctx: &Context<'_>,
        school_id: ID,
        month: i32,
    ) -> Result<Vec<Report>> {
        let s = scope::school(actor(ctx)?, id("schoolId", &school_id)?, STAFF)?;
        Ok(
            reports::list(db(ctx)?, &ReportScope::School(s), month_arg(month)?)
                .await?
                .into_iter()
                .map(Report)
                .collect(),
        )
    }

    /// A region's monthly meal reports, every version.
    #[graphql(guard = "Allow::roles(\"regionMealReports\", AKIMAT)")]
    async fn region_meal_reports(
        &self,
        ctx: &Context<'_>,
        region_kato: String,
        month: i32,
    ) -> Result<Vec<Report>> {
        let region = scope::region(actor(ctx)?, &region_kato)?;
        Ok(
            reports::list(db(ctx)?, &ReportScope::Region(region), month_arg(month)?)
                .await?
                .into_iter()
                .map(Report)
                .collect(),
        )
    }

    /// The school's subsidised meals and their transfer to the Social Wallet (the rejected
    /// ones to fix, with the Wallet's reason).
    #[graphql(guard = "Allow::roles(\"schoolWalletTransfers\", STAFF)")]
    async fn school_wallet_transfers(
        &self,
        ctx: &Context<'_>,
        school_id: ID,
        state: Option<WalletState>,
    ) -> Result<Vec<Transfer>> {
        let s = scope::school(actor(ctx)?, id("schoolId", &school_id)?, STAFF)?;
        Ok(wallet::of_school(db(ctx)?, s, state, 500)
            .await?
            .into_iter()
            .map(Transfer)
            .collect())
    }

    /// Ratings of the school's meals, averaged per dish and per week.
    #[graphql(guard = "Allow::roles(\"schoolMealRatings\", STAFF)")]
    async fn school_meal_ratings(
        &self,
        ctx: &Context<'_>,
        school_id: ID,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Ratings> {
        let s = scope::school(actor(ctx)?, id("schoolId", &school_id)?, STAFF)?;
        if to < from || (to - from).num_days() > 366 {
            return Err(
                ApiError::bad_input("to", "a span of at most a year, from before to").into(),
            );
        }
        let db = db(ctx)?;
        let canteen::Ratings {
            dishes,
            weeks,
            comments,
        } = canteen::averages(db, s, from, to).await?;
        let mut out = Vec::new();
        for (d, a) in dishes {
            if let Ok(dish) = canteen::dish(db, d).await {
                out.push(DishAverage {
                    dish: Dish(dish),
                    ratings: a.ratings,
                    average: a.average,
                });
            }
        }
        Ok(Ratings {
            dishes: out,
            weeks: weeks
                .into_iter()
                .map(|(w, a)| WeekAverage {
                    week_start: w,
                    ratings: a.ratings,
                    average: a.average,
                })
                .collect(),
            comments: comments.into_iter().map(RatingComment).collect(),
        })
    }
}

#[derive(Default)]
pub struct SchoolsMutation;

#[Object]
impl SchoolsMutation {
    #[graphql(guard = "Allow::roles(\"saveSchoolProfile\", ADMIN)")]
    async fn save_school_profile(
        &self,
        ctx: &Context<'_>,
        school_id: ID,
        input: ProfileInput,
    ) -> Result<Profile> {
        let a = actor(ctx)?;
        let s = scope::school(a, id("schoolId", &school_id)?, ADMIN)?;
        Ok(Profile(
            roster::save_profile(
                db(ctx)?,
                a.account_id,
                s,
                ProfileDraft {
                    lessons_start: input.lessons_start,
                    late_grace_minutes: input.late_grace_minutes,
                    allow_credit: input.allow_credit,
                    credit_limit: input.credit_limit,
                },
            )
            .await?,
        ))
    }

    /// Imports the school's list (CSV with the header
    /// `kind;iin;last_name;first_name;middle_name;class;position`): the same list twice changes
    /// nothing; lines that fail are reported.
    #[graphql(guard = "Allow::roles(\"importSchoolList\", ADMIN)")]
    async fn import_school_list(
        &self,
        ctx: &Context<'_>,
        school_id: ID,
        csv: String,
    ) -> Result<ImportResult> {
        let a = actor(ctx)?;
        let s = scope::school(a, id("schoolId", &school_id)?, ADMIN)?;
        if csv.len() > 2_000_000 {
            return Err(ApiError::bad_input("csv", "at most 2 MB").into());
        }
        let r = roster::import(db(ctx)?, a.account_id, s, &csv).await?;
        Ok(ImportResult {
            created: r.created,
            updated: r.updated,
            unchanged: r.unchanged,
            rejected: r
                .rejected
                .into_iter()
                .map(|x| RejectedLine {
                    line: x.line,
                    reason: x.reason,
                })
                .collect(),
        })
    }

    /// Takes a person off the list (they left); their cards stop working.
    #[graphql(guard = "Allow::roles(\"removeSchoolMember\", ADMIN)")]
    async fn remove_school_member(
        &self,
        ctx: &Context<'_>,
        school_id: ID,
        person_id: ID,
    ) -> Result<bool> {
        let a = actor(ctx)?;
        let s = scope::school(a, id("schoolId", &school_id)?, ADMIN)?;
        roster::remove_member(db(ctx)?, a.account_id, s, id("personId", &person_id)?).await?;
        Ok(true)
    }

    /// Keeps a photo of a pupil or member of staff for the till (PNG or JPEG, at most 1 MB), or
    /// without `photo` takes it away.
    #[graphql(guard = "Allow::roles(\"setSchoolMemberPhoto\", STAFF)")]
    async fn set_school_member_photo(
        &self,
        ctx: &Context<'_>,
        school_id: ID,
        person_id: ID,
        photo: Option<Upload>,
    ) -> Result<Member> {
        let a = actor(ctx)?;
        let s = scope::school(a, id("schoolId", &school_id)?, STAFF)?;
        let doc = match &photo {
            Some(p) => Some(adal_core::graphql::uploaded(ctx, p, "photo")?),
            None => None,
        };
        let state = ctx.data::<AppState>()?;
        Ok(Member(
            roster::set_photo(
                &state.db,
                &state.settings.data_dir,
                a.account_id,
                s,
                id("personId", &person_id)?,
                doc,
            )
            .await?,
        ))
    }

    /// Issues a card; the person's previous card at the school is blocked as replaced.
    #[graphql(guard = "Allow::roles(\"issueSchoolCard\", STAFF)")]
    async fn issue_school_card(
        &self,
        ctx: &Context<'_>,
        school_id: ID,
        person_id: ID,
        uid: String,
    ) -> Result<Card> {
        let a = actor(ctx)?;
        let s = scope::school(a, id("schoolId", &school_id)?, STAFF)?;
        Ok(Card(
            cards::issue_card(db(ctx)?, a.account_id, s, id("personId", &person_id)?, &uid).await?,
        ))
    }

    /// Blocks a lost card: every device refuses it with `CARD_BLOCKED`.
    #[graphql(guard = "Allow::roles(\"blockSchoolCard\", STAFF)")]
    async fn block_school_card(
        &self,
        ctx: &Context<'_>,
        card_id: ID,
        reason: String,
    ) -> Result<Card> {
        let a = actor(ctx)?;
        let db = db(ctx)?;
        let card = cards::get(db, id("cardId", &card_id)?).await?;
        scope::any_school(a, &[card.school_id], STAFF, "card")?;
        Ok(Card(cards::block(db, a.account_id, card, &reason).await?))
    }

    /// The parent gives or withdraws consent to identify their child by QR code or PIN.
    #[graphql(guard = "Allow::roles(\"setSchoolIdConsent\", PARENT)")]
    async fn set_school_id_consent(
        &self,
        ctx: &Context<'_>,
        child_id: ID,
        method: IdMethod,
        given: bool,
    ) -> Result<Option<Consent>> {
        let a = actor(ctx)?;
        let child = scope::own_child(a, id("childId", &child_id)?)?;
        let parent = a.person_id.ok_or(ApiError::NotFound("pupil"))?;
        Ok(
            cards::set_consent(db(ctx)?, a.account_id, parent, child, method.into(), given)
                .await?
                .map(Consent),
        )
    }

    /// Issues a QR code or PIN to a pupil whose parent consented (else `NO_CONSENT`).
    #[graphql(guard = "Allow::roles(\"issueSchoolAlternativeId\", STAFF)")]
    async fn issue_school_alternative_id(
        &self,
        ctx: &Context<'_>,
        school_id: ID,
        person_id: ID,
        method: IdMethod,
    ) -> Result<AlternativeId> {
        let a = actor(ctx)?;
        let s = scope::school(a, id("schoolId", &school_id)?, STAFF)?;
        let (card, code) = cards::issue_alternative(
            db(ctx)?,
            a.account_id,
            s,
            id("personId", &person_id)?,
            method.into(),
        )
        .await?;
        let qr = (card.kind == CredentialKind::Qr.as_str())
            .then(|| cards::qr_svg(&code))
            .transpose()?;
        Ok(AlternativeId {
            card: Card(card),
            code,
            qr,
        })
    }

    /// Issues a pupil of the school a login for educational resources (single sign-on), or a
    /// new password to the login they hold; the password is in this answer only.
    #[graphql(guard = "Allow::roles(\"issuePupilLogin\", ADMIN)")]
    async fn issue_pupil_login(
        &self,
        ctx: &Context<'_>,
        school_id: ID,
        person_id: ID,
    ) -> Result<PupilLogin> {
        let a = actor(ctx)?;
        let s = scope::school(a, id("schoolId", &school_id)?, ADMIN)?;
        let issued = logins::issue(db(ctx)?, a.account_id, s, id("personId", &person_id)?).await?;
        Ok(PupilLogin {
            login: issued.login,
            password: issued.password,
            reissued: issued.reissued,
        })
    }

    /// Withdraws a pupil's login: it signs in nowhere, its sessions end. False when the pupil
    /// held none.
    #[graphql(guard = "Allow::roles(\"withdrawPupilLogin\", ADMIN)")]
    async fn withdraw_pupil_login(
        &self,
        ctx: &Context<'_>,
        school_id: ID,
        person_id: ID,
    ) -> Result<bool> {
        let a = actor(ctx)?;
        let s = scope::school(a, id("schoolId", &school_id)?, ADMIN)?;
        Ok(logins::withdraw(db(ctx)?, a.account_id, s, id("personId", &person_id)?).await?)
    }

    /// Registers a turnstile or till; its client secret is shown this once.
    #[graphql(guard = "Allow::roles(\"registerSchoolDevice\", ADMIN)")]
    async fn register_school_device(
        &self,
        ctx: &Context<'_>,
        school_id: ID,
        kind: DeviceKind,
        name: String,
        client_id: String,
    ) -> Result<Registration> {
        let a = actor(ctx)?;
        let s = scope::school(a, id("schoolId", &school_id)?, ADMIN)?;
        let (device, secret) =
            devices::register(db(ctx)?, a.account_id, s, kind, &name, &client_id, None).await?;
        Ok(Registration {
            device: Device(device),
            client_id: client_id.trim().to_ascii_lowercase(),
            client_secret: secret,
        })
    }

    /// A device's batch of events (idempotent by sequence number).
    #[graphql(guard = "Allow::roles(\"uploadSchoolEvents\", DEVICE)")]
    async fn upload_school_events(
        &self,
        ctx: &Context<'_>,
        events: Vec<EventInput>,
    ) -> Result<Batch> {
        let db = db(ctx)?;
        let device = devices::of_actor(db, actor(ctx)?).await?;
        let mut list = Vec::with_capacity(events.len());
        for e in events {
            let dishes = e
                .dish_ids
                .iter()
                .map(|d| id("dishIds", d))
                .collect::<Result<Vec<i64>>>()?;
            list.push(EventIn {
                seq: e.seq,
                kind: e.kind,
                method: e.method.unwrap_or(CredentialKind::Card),
                credential: e.credential,
                at: e.at,
                dishes,
            });
        }
        let b = events::upload(db, device.id, list, Utc::now()).await?;
        Ok(Batch {
            last_seq: b.last_seq,
            answers: b.answers.into_iter().map(answer).collect(),
        })
    }

    /// A meal served at a till in the browser (a tablet registered as the school's `TILL`
    /// device), by a member of the school's staff. `seq` is the page's number for this meal,
    /// rising as a device's do: the same `seq` sent again is answered as the first time.
    #[graphql(guard = "Allow::roles(\"serveAtTill\", STAFF)")]
    async fn serve_at_till(
        &self,
        ctx: &Context<'_>,
        school_id: ID,
        meal: TillMealInput,
    ) -> Result<EventAnswer> {
        let s = scope::school(actor(ctx)?, id("schoolId", &school_id)?, STAFF)?;
        let dishes = meal
            .dish_ids
            .iter()
            .map(|d| id("dishIds", d))
            .collect::<Result<Vec<i64>>>()?;
        let device_id = id("deviceId", &meal.device_id)?;
        let meal = EventIn {
            seq: meal.seq,
            kind: SchoolEventKind::Meal,
            method: meal.method.unwrap_or(CredentialKind::Card),
            credential: meal.credential,
            at: Utc::now(),
            dishes,
        };
        let b = till::serve(db(ctx)?, s, device_id, meal).await?;
        b.answers.into_iter().next().map(answer).ok_or_else(|| {
            ApiError::internal(anyhow::anyhow!("a batch of one without its answer")).into()
        })
    }

    /// A dish's photo (PNG or JPEG, at most 2 MB), shown with it on the menus.
    #[graphql(guard = "Allow::roles(\"setSchoolDishPhoto\", STAFF)")]
    async fn set_school_dish_photo(
        &self,
        ctx: &Context<'_>,
        school_id: ID,
        dish_id: ID,
        photo: Upload,
    ) -> Result<Dish> {
        let a = actor(ctx)?;
        let s = scope::school(a, id("schoolId", &school_id)?, STAFF)?;
        let doc = adal_core::graphql::uploaded(ctx, &photo, "photo")?;
        let state = ctx.data::<AppState>()?;
        let saved = canteen::set_photo(
            &state.db,
            &state.settings.data_dir,
            a.account_id,
            s,
            id("dishId", &dish_id)?,
            doc,
        )
        .await?;
        Ok(Dish(saved))
    }

    /// Adds a dish (no `id`) or changes one.
    #[graphql(guard = "Allow::roles(\"saveSchoolDish\", STAFF)")]
    async fn save_school_dish(
        &self,
        ctx: &Context<'_>,
        school_id: ID,
        id: Option<ID>,
        input: DishInput,
    ) -> Result<Dish> {
        let a = actor(ctx)?;
        let s = scope::school(a, self::id("schoolId", &school_id)?, STAFF)?;
        let dish_id = id.as_ref().map(|d| self::id("id", d)).transpose()?;
        Ok(Dish(
            canteen::save_dish(
                db(ctx)?,
                a.account_id,
                s,
                dish_id,
                canteen::DishDraft {
                    name_kk: input.name_kk,
                    name_ru: input.name_ru,
                    name_en: input.name_en,
                    photo_url: input.photo_url,
                    price: input.price,
                    portion: input.portion,
                    allergens: input.allergens,
                    active: input.active,
                },
            )
            .await?,
        ))
    }

    /// Sets a day's menu.
    #[graphql(guard = "Allow::roles(\"setSchoolMenu\", STAFF)")]
    async fn set_school_menu(
        &self,
        ctx: &Context<'_>,
        school_id: ID,
        day: NaiveDate,
        dish_ids: Vec<ID>,
    ) -> Result<Vec<Dish>> {
        let a = actor(ctx)?;
        let s = scope::school(a, id("schoolId", &school_id)?, STAFF)?;
        let ids = dish_ids
            .iter()
            .map(|d| id("dishIds", d))
            .collect::<Result<Vec<i64>>>()?;
        Ok(canteen::set_menu(db(ctx)?, a.account_id, s, day, &ids)
            .await?
            .into_iter()
            .map(Dish)
            .collect())
    }

    /// Publishes a new version of a region's meal policy, from a day.
    #[graphql(guard = "Allow::roles(\"publishMealPolicy\", AKIMAT)")]
    async fn publish_meal_policy(
        &self,
        ctx: &Context<'_>,
        input: PolicyInput,
    ) -> Result<PolicyOut> {
        let a = actor(ctx)?;
        let region = scope::region(a, &input.region_kato)?;
        Ok(PolicyOut(
            policy::publish(
                db(ctx)?,
                a.account_id,
                PolicyDraft {
                    region_kato: region,
                    valid_from: input.valid_from,
                    free_categories: input.free_categories,
                    reduced: input
                        .reduced
                        .into_iter()
                        .map(|r| Reduced {
                            category: r.category,
                            price: r.price,
                        })
                        .collect(),
                    meal_cost: input.meal_cost,
                },
            )
            .await?,
        ))
    }

    /// Records a pupil's ground for free or reduced meals, with its evidence and period.
    #[graphql(guard = "Allow::roles(\"recordMealGround\", ADMIN)")]
    async fn record_meal_ground(
        &self,
        ctx: &Context<'_>,
        school_id: ID,
        person_id: ID,
        input: GroundInput,
    ) -> Result<Ground> {
        let a = actor(ctx)?;
        let s = scope::school(a, id("schoolId", &school_id)?, ADMIN)?;
        Ok(Ground(
            policy::record_ground(
                db(ctx)?,
                a.account_id,
                GroundDraft {
                    school_id: s,
                    person_id: id("personId", &person_id)?,
                    category: input.category,
                    valid_from: input.valid_from,
                    valid_to: input.valid_to,
                    evidence: input.evidence,
                },
            )
            .await?,
        ))
    }

    /// Ends a pupil's ground on a day, with the reason.
    #[graphql(guard = "Allow::roles(\"endMealGround\", ADMIN)")]
    async fn end_meal_ground(
        &self,
        ctx: &Context<'_>,
        ground_id: ID,
        on: NaiveDate,
        reason: String,
    ) -> Result<Ground> {
        let a = actor(ctx)?;
        let db = db(ctx)?;
        let g = policy::ground(db, id("groundId", &ground_id)?).await?;
        let schools = roster::schools_of(db, g.person_id).await?;
        scope::any_school(a, &schools, ADMIN, "meal ground")?;
        Ok(Ground(
            policy::end_ground(db, a.account_id, g, on, &reason).await?,
        ))
    }

    /// The parent sets the allergens their child must not be given (the whole list).
    #[graphql(guard = "Allow::roles(\"setAllergenBlocks\", PARENT)")]
    async fn set_allergen_blocks(
        &self,
        ctx: &Context<'_>,
        child_id: ID,
        allergens: Vec<Allergen>,
    ) -> Result<Vec<Allergen>> {
        let a = actor(ctx)?;
        let child = scope::own_child(a, id("childId", &child_id)?)?;
        let parent = a.person_id.ok_or(ApiError::NotFound("pupil"))?;
        Ok(allergens::set_blocks(db(ctx)?, a.account_id, parent, child, &allergens).await?)
    }

    /// The school lifts a parent's block of an allergen with a reason; the parent is told.
    #[graphql(guard = "Allow::roles(\"liftAllergenBlock\", STAFF)")]
    async fn lift_allergen_block(
        &self,
        ctx: &Context<'_>,
        school_id: ID,
        child_id: ID,
        allergen: Allergen,
        reason: String,
        valid_to: Option<NaiveDate>,
    ) -> Result<Override> {
        let a = actor(ctx)?;
        let s = scope::school(a, id("schoolId", &school_id)?, STAFF)?;
        Ok(Override(
            allergens::lift(
                db(ctx)?,
                a.account_id,
                s,
                id("childId", &child_id)?,
                allergen,
                &reason,
                valid_to,
            )
            .await?,
        ))
    }

    /// The parent rates a meal served to their child, or the pupil their own (1-5, a
    /// comment): once per meal, by whichever of them rates it first.
    #[graphql(guard = "Allow::roles(\"rateSchoolMeal\", PARENT_OR_PUPIL)")]
    async fn rate_school_meal(
        &self,
        ctx: &Context<'_>,
        meal_id: ID,
        score: i32,
        comment: Option<String>,
    ) -> Result<Meal> {
        let a = actor(ctx)?;
        let db = db(ctx)?;
        let meal = meals::get(db, id("mealId", &meal_id)?)
            .await?
            .filter(|m| scope::own_or_child(a, m.person_id))
            .ok_or(ApiError::NotFound("meal"))?;
        let rater = a.person_id.ok_or(ApiError::NotFound("meal"))?;
        canteen::rate(db, rater, &meal, score, comment).await?;
        Ok(Meal(meal))
    }

    /// Prepares a school's report of a month now: a new version only if the data changed.
    #[graphql(guard = "Allow::roles(\"prepareSchoolReport\", ADMIN)")]
    async fn prepare_school_report(
        &self,
        ctx: &Context<'_>,
        school_id: ID,
        month: i32,
        kind: ReportKind,
    ) -> Result<ReportRun> {
        let a = actor(ctx)?;
        let s = scope::school(a, id("schoolId", &school_id)?, ADMIN)?;
        let (r, new_version) = reports::generate(
            db(ctx)?,
            Some(a.account_id),
            kind,
            ReportScope::School(s),
            month_arg(month)?,
        )
        .await?;
        Ok(ReportRun {
            report: Report(r),
            new_version,
        })
    }

    /// Prepares a region's meal report of a month now.
    #[graphql(guard = "Allow::roles(\"prepareRegionMealReport\", AKIMAT)")]
    async fn prepare_region_meal_report(
        &self,
        ctx: &Context<'_>,
        region_kato: String,
        month: i32,
    ) -> Result<ReportRun> {
        let a = actor(ctx)?;
        let region = scope::region(a, &region_kato)?;
        let (r, new_version) = reports::generate(
            db(ctx)?,
            Some(a.account_id),
            ReportKind::MealsRegion,
            ReportScope::Region(region),
            month_arg(month)?,
        )
        .await?;
        Ok(ReportRun {
            report: Report(r),
            new_version,
        })
    }

    /// Sends a rejected meal to the Social Wallet again, once the school fixed what it named.
    #[graphql(guard = "Allow::roles(\"retryWalletTransfer\", STAFF)")]
    async fn retry_wallet_transfer(&self, ctx: &Context<'_>, meal_id: ID) -> Result<Transfer> {
        let a = actor(ctx)?;
        let db = db(ctx)?;
        let meal = id("mealId", &meal_id)?;
        let t = wallet::of_meal(db, meal)
            .await?
            .ok_or(ApiError::NotFound("meal"))?;
        scope::any_school(a, &[t.school_id], STAFF, "meal")?;
        Ok(Transfer(
            wallet::retry(db, t.meal_id)
                .await?
                .ok_or(ApiError::NotFound("meal"))?,
        ))
    }

    /// The parent chooses which events of a child they are told of, and which also by SMS.
    #[graphql(guard = "Allow::roles(\"setSchoolNoticePreferences\", PARENT)")]
    async fn set_school_notice_preferences(
        &self,
        ctx: &Context<'_>,
        child_id: ID,
        kinds: Vec<SchoolEventKind>,
        sms_kinds: Vec<SchoolEventKind>,
    ) -> Result<PrefsOut> {
        let a = actor(ctx)?;
        let child = scope::own_child(a, id("childId", &child_id)?)?;
        let parent = a.person_id.ok_or(ApiError::NotFound("pupil"))?;
        Ok(
            notices::set_prefs(db(ctx)?, parent, child, Prefs { kinds, sms_kinds })
                .await?
                .into(),
        )
    }
}
