//! The voucher follows the child: providers register with the akimat of a region and are
//! approved or rejected with a reason; an approved provider lists sections; a parent enrols
//! the child's voucher in any approved section of the direction with room for the child's age,
//! seeing first what they pay on top, and may move it to another section from the next month.
//! A section's capacity is never exceeded: a seat is taken by a conditional update.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction,
    EntityTrait, IntoActiveModel, QueryFilter, QueryOrder, QuerySelect, Set,
};
use serde_json::json;

use entities::{
    person, voucher, voucher_enrolment as enrolment, voucher_provider as provider,
    voucher_section as section,
};

use adal_core::audit;
use adal_core::auth::scope::organisations;
use adal_core::auth::{Actor, Role};
use adal_core::db::begin_write;
use adal_core::error::{ApiError, ApiResult};
use adal_core::identifiers::{Iin, Kato};
use adal_core::sql::{Binds, conflict_on_unique};

use crate::money::{self, Month, age_in_months};
use crate::rules::{self, Slot};
use crate::scope;
use crate::vocab::VoucherRefusal;
use crate::vocab::{ClubDirection, ProviderStatus, VoucherStatus};

const PROVIDER_STAFF: &[Role] = &[Role::ProviderStaff];

fn require_provider_org(actor: &Actor, organisation_id: i64) -> ApiResult<()> {
    if organisations(actor, PROVIDER_STAFF).contains(&organisation_id) {
        Ok(())
    } else {
        Err(ApiError::NotFound("organisation"))
    }
}

/// A provider's staff register their organisation with a region's akimat.
pub async fn register_provider(
    db: &DatabaseConnection,
    actor: &Actor,
    organisation_id: i64,
    region: Kato,
) -> ApiResult<provider::Model> {
    require_provider_org(actor, organisation_id)?;
    let txn = begin_write(db).await?;
    let saved = provider::ActiveModel {
        organisation_id: Set(organisation_id),
        region_kato: Set(region.as_str().to_owned()),
        status: Set(ProviderStatus::Pending.as_str().to_owned()),
        reason: Set(None),
        registered_by: Set(Some(actor.account_id)),
        registered_at: Set(Utc::now()),
        decided_by: Set(None),
        decided_at: Set(None),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .map_err(conflict_on_unique(
        VoucherRefusal::AlreadyRegistered,
        "this organisation is already registered with this region",
    ))?;
    audit::record(
        &txn,
        Some(actor.account_id),
        "voucher.provider.registered",
        "voucher_provider",
        saved.id,
        json!({"organisation": organisation_id, "region": saved.region_kato}),
    )
    .await?;
    txn.commit().await?;
    Ok(saved)
}

/// The akimat approves a provider, or rejects it with the reason.
pub async fn decide_provider(
    db: &DatabaseConnection,
    actor: &Actor,
    provider_id: i64,
    approve: bool,
    reason: Option<String>,
) -> ApiResult<provider::Model> {
    let reason = adal_core::reason::unless_favourable(
        approve,
        reason.as_deref(),
        "a rejection states its reason",
    )?;
    let txn = begin_write(db).await?;
    let found = scope::campaign_regions(actor)
        .apply(
            provider::Entity::find_by_id(provider_id),
            provider::Column::RegionKato,
        )
        .one(&txn)
        .await?
        .ok_or(ApiError::NotFound("provider"))?;
    let status = if approve {
        ProviderStatus::Approved
    } else {
        ProviderStatus::Rejected
    };
    let mut am = found.into_active_model();
    am.status = Set(status.as_str().to_owned());
    am.reason = Set(reason.clone());
    am.decided_by = Set(Some(actor.account_id));
    am.decided_at = Set(Some(Utc::now()));
    let saved = am.update(&txn).await?;
    audit::record(
        &txn,
        Some(actor.account_id),
        "voucher.provider.decided",
        "voucher_provider",
        saved.id,
        json!({"status": status.as_str(), "reason": reason}),
    )
    .await?;
    txn.commit().await?;
    Ok(saved)
}

/// Providers of the akimat officer's regions, or of the caller's own organisations.
pub async fn providers(
    db: &impl ConnectionTrait,
    actor: &Actor,
    status: Option<ProviderStatus>,
) -> ApiResult<Vec<provider::Model>> {
    let mut q = provider::Entity::find().filter(
        sea_orm::Condition::any()
            .add(scope::campaign_regions(actor).condition(provider::Column::RegionKato))
            .add(organisations(actor, PROVIDER_STAFF).condition(provider::Column::OrganisationId)),
    );
    if let Some(s) = status {
        q = q.filter(provider::Column::Status.eq(s.as_str()));
    }
    Ok(q.order_by_asc(provider::Column::Id)
        .limit(500)
        .all(db)
        .await?)
}

async fn approved(
    db: &impl ConnectionTrait,
    organisation_id: i64,
    region: &str,
) -> ApiResult<bool> {
    Ok(provider::Entity::find()
        .filter(provider::Column::OrganisationId.eq(organisation_id))
        .filter(provider::Column::RegionKato.eq(region))
        .filter(provider::Column::Status.eq(ProviderStatus::Approved.as_str()))
        .one(db)
        .await?
        .is_some())
}

/// A section as its provider lists it.
#[derive(Debug, Clone)]
pub struct SectionDraft {
    pub organisation_id: i64,
    pub region: Kato,
    pub name: String,
    pub direction: ClubDirection,
    pub age_min: i32,
    pub age_max: i32,
    pub schedule: Vec<Slot>,
    pub capacity: i32,
    pub locality: Option<Kato>,
    pub address: String,
    pub monthly_price: i64,
}

/// What a section must be, listed or changed.
fn check_section(d: &SectionDraft) -> ApiResult<()> {
    let bad = |f: &str, m: &str| Err(ApiError::bad_input(f, m));
    if d.name.trim().is_empty() || d.name.len() > 200 {
        return bad("name", "a section needs a name of up to 200 characters");
    }
    if !(3..=18).contains(&d.age_min) || !(d.age_min..=18).contains(&d.age_max) {
        return bad("ageMin", "ages are 3-18 years, the youngest first");
    }
    if d.schedule.is_empty() {
        return bad("schedule", "a section meets at least once a week");
    }
    if !(1..=500).contains(&d.capacity) {
        return bad("capacity", "a section takes 1-500 children");
    }
    if d.monthly_price < 0 {
        return bad("monthlyPrice", "a price is zero or more tenge");
    }
    if d.address.trim().is_empty() {
        return bad("address", "a section has an address");
    }
    Ok(())
}

/// The provider changes a listed section: its name, ages, schedule, places, address and price.
/// Its organisation, region and direction stay (the vouchers used there are of that
/// direction): a different one is a new section. The places never fall below the children
/// enrolled, checked in the same statement that changes them, so an enrolment at the same
/// moment cannot slip past.
pub async fn update_section(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
    d: SectionDraft,
) -> ApiResult<section::Model> {
    let txn = begin_write(db).await?;
    let old = section::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or(ApiError::NotFound("section"))?;
    require_provider_org(actor, old.organisation_id).map_err(|_| ApiError::NotFound("section"))?;
    if d.organisation_id != old.organisation_id || d.region.as_str() != old.region_kato {
        return Err(ApiError::bad_input(
            "organisationId",
            "a section stays with its organisation and region: list a new one",
        ));
    }
    if d.direction.as_str() != old.direction {
        return Err(ApiError::bad_input(
            "direction",
            "a section keeps its direction (vouchers used there are of it): list a new one",
        ));
    }
    check_section(&d)?;
    let schedule = json!(d.schedule).to_string();
    let changed = section::Entity::update_many()
        .col_expr(section::Column::Name, d.name.trim().into())
        .col_expr(section::Column::AgeMin, d.age_min.into())
        .col_expr(section::Column::AgeMax, d.age_max.into())
        .col_expr(section::Column::Schedule, schedule.clone().into())
        .col_expr(section::Column::Capacity, d.capacity.into())
        .col_expr(
            section::Column::LocalityKato,
            d.locality.clone().map(Kato::into_string).into(),
        )
        .col_expr(section::Column::Address, d.address.trim().into())
        .col_expr(section::Column::MonthlyPrice, d.monthly_price.into())
        .filter(section::Column::Id.eq(id))
        .filter(section::Column::Enrolled.lte(d.capacity))
        .exec(&txn)
        .await?;
    if changed.rows_affected == 0 {
        return Err(ApiError::bad_input(
            "capacity",
            format!(
                "{} children are enrolled: at least that many places",
                old.enrolled
            ),
        ));
    }
    let saved = section::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or(ApiError::NotFound("section"))?;
    let mut was = serde_json::Map::new();
    let mut now = serde_json::Map::new();
    let pairs = [
        ("name", json!(old.name), json!(saved.name)),
        ("ageMin", json!(old.age_min), json!(saved.age_min)),
        ("ageMax", json!(old.age_max), json!(saved.age_max)),
        ("schedule", json!(old.schedule), json!(saved.schedule)),
        ("capacity", json!(old.capacity), json!(saved.capacity)),
        (
            "localityKato",
            json!(old.locality_kato),
            json!(saved.locality_kato),
        ),
        ("address", json!(old.address), json!(saved.address)),
        (
            "monthlyPrice",
            json!(old.monthly_price),
            json!(saved.monthly_price),
        ),
    ];
    for (field, before, after) in pairs {
        if before != after {
            was.insert(field.into(), before);
            now.insert(field.into(), after);
        }
    }
    audit::record(
        &txn,
        Some(actor.account_id),
        "voucher.section.updated",
        "voucher_section",
        saved.id,
        json!({ "organisation": saved.organisation_id, "was": was, "now": now }),
    )
    .await?;
    txn.commit().await?;
    Ok(saved)
}

/// An approved provider lists a section.
pub async fn create_section(
    db: &DatabaseConnection,
    actor: &Actor,
    d: SectionDraft,
) -> ApiResult<section::Model> {
    require_provider_org(actor, d.organisation_id)?;
    check_section(&d)?;
    let txn = begin_write(db).await?;
    if !approved(&txn, d.organisation_id, d.region.as_str()).await? {
        return Err(ApiError::ConflictBecause {
            reason: VoucherRefusal::ProviderNotApproved.into(),
            message: "the akimat of this region has not approved your organisation yet".into(),
        });
    }
    let saved = section::ActiveModel {
        organisation_id: Set(d.organisation_id),
        region_kato: Set(d.region.as_str().to_owned()),
        name: Set(d.name.trim().to_owned()),
        direction: Set(d.direction.as_str().to_owned()),
        age_min: Set(d.age_min),
        age_max: Set(d.age_max),
        schedule: Set(json!(d.schedule).to_string()),
        capacity: Set(d.capacity),
        enrolled: Set(0),
        locality_kato: Set(d.locality.map(Kato::into_string)),
        address: Set(d.address.trim().to_owned()),
        monthly_price: Set(d.monthly_price),
        active: Set(true),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        Some(actor.account_id),
        "voucher.section.created",
        "voucher_section",
        saved.id,
        json!({"organisation": saved.organisation_id, "direction": saved.direction,
               "capacity": saved.capacity, "price": saved.monthly_price}),
    )
    .await?;
    txn.commit().await?;
    Ok(saved)
}

/// A section's weekly schedule.
pub fn schedule_of(s: &section::Model) -> Vec<Slot> {
    serde_json::from_str(&s.schedule).unwrap_or_default()
}

/// Active sections of approved providers (public), optionally of a region and direction.
pub async fn sections(
    db: &impl ConnectionTrait,
    region: Option<&str>,
    direction: Option<ClubDirection>,
) -> ApiResult<Vec<section::Model>> {
    let mut b = Binds::new(db.get_database_backend());
    let approved = b.push(ProviderStatus::Approved.as_str());
    let mut sql = format!(
        "SELECT s.* FROM voucher_section s WHERE s.active AND EXISTS (SELECT 1 FROM \
         voucher_provider p WHERE p.organisation_id = s.organisation_id AND p.region_kato = \
         s.region_kato AND p.status = {approved})"
    );
    if let Some(r) = region {
        sql.push_str(&format!(" AND s.region_kato = {}", b.push(r)));
    }
    if let Some(d) = direction {
        sql.push_str(&format!(" AND s.direction = {}", b.push(d.as_str())));
    }
    sql.push_str(" ORDER BY s.id LIMIT 500");
    Ok(section::Entity::find()
        .from_raw_sql(b.statement(sql))
        .all(db)
        .await?)
}

pub async fn section(db: &impl ConnectionTrait, id: i64) -> ApiResult<section::Model> {
    section::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(ApiError::NotFound("section"))
}

/// One of the caller's own sections (a provider's staff); any other is not found.
pub async fn own_section(
    db: &impl ConnectionTrait,
    actor: &Actor,
    id: i64,
) -> ApiResult<section::Model> {
    let s = section(db, id).await?;
    if organisations(actor, PROVIDER_STAFF).contains(&s.organisation_id) {
        Ok(s)
    } else {
        Err(ApiError::NotFound("section"))
    }
}

/// The enrolments that cover `month` (begun by then, not ended before it).
pub fn enrolled_in(month: Month) -> sea_orm::Condition {
    sea_orm::Condition::all()
        .add(enrolment::Column::FirstMonth.lte(month))
        .add(
            sea_orm::Condition::any()
                .add(enrolment::Column::LastMonth.is_null())
                .add(enrolment::Column::LastMonth.gte(month)),
        )
}

/// Sections by id, in one query.
pub async fn sections_by_id(
    db: &impl ConnectionTrait,
    ids: impl IntoIterator<Item = i64>,
) -> ApiResult<std::collections::HashMap<i64, section::Model>> {
    Ok(section::Entity::find()
        .filter(section::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.id, s))
        .collect())
}

/// A voucher of one of the caller's children.
pub async fn own_voucher(
    db: &impl ConnectionTrait,
    actor: &Actor,
    voucher_id: i64,
) -> ApiResult<voucher::Model> {
    scope::children(actor)
        .apply(
            voucher::Entity::find_by_id(voucher_id),
            voucher::Column::ChildPersonId,
        )
        .one(db)
        .await?
        .ok_or(ApiError::NotFound("voucher"))
}

async fn child_age_years(
    db: &impl ConnectionTrait,
    child_person_id: i64,
    on: chrono::NaiveDate,
) -> ApiResult<Option<i32>> {
    let Some(p) = person::Entity::find_by_id(child_person_id).one(db).await? else {
        return Ok(None);
    };
    let birth = p
        .birth_date
        .or_else(|| Iin::parse(&p.iin).ok().and_then(|i| i.birth_date_hint()));
    Ok(birth.map(|b| age_in_months(b, on) / 12))
}

/// Why a section does not suit a voucher, if it does not.
fn unsuitable(
    v: &voucher::Model,
    s: &section::Model,
    campaign_region: &str,
    age: Option<i32>,
) -> Option<(VoucherRefusal, String)> {
    if !s.active {
        return Some((
            VoucherRefusal::SectionClosed,
            "the section no longer takes children".into(),
        ));
    }
    if s.direction != v.direction {
        return Some((
            VoucherRefusal::OtherDirection,
            format!(
                "the voucher pays for {}, the section teaches {}",
                v.direction, s.direction
            ),
        ));
    }
    if s.region_kato != campaign_region {
        return Some((
            VoucherRefusal::OtherRegion,
            "the section is in another region".into(),
        ));
    }
    if let Some(age) = age
        && (age < s.age_min || age > s.age_max)
    {
        return Some((
            VoucherRefusal::AgeOutOfRange,
            format!(
                "the section takes children of {}-{} years",
                s.age_min, s.age_max
            ),
        ));
    }
    None
}

/// Sections a child's voucher can be used at, each with the parent's monthly payment on top.
pub async fn sections_for_voucher(
    db: &DatabaseConnection,
    actor: &Actor,
    voucher_id: i64,
    now: DateTime<Utc>,
) -> ApiResult<Vec<(section::Model, i64)>> {
    let v = own_voucher(db, actor, voucher_id).await?;
    let campaign = crate::campaigns::get(db, v.campaign_id).await?;
    let age = child_age_years(db, v.child_person_id, now.date_naive()).await?;
    let direction = ClubDirection::from_db(&v.direction);
    Ok(sections(db, Some(&campaign.region_kato), direction)
        .await?
        .into_iter()
        .filter(|s| {
            s.enrolled < s.capacity && unsuitable(&v, s, &campaign.region_kato, age).is_none()
        })
        .map(|s| {
            let pay = rules::copay(s.monthly_price, v.monthly_value);
            (s, pay)
        })
        .collect())
}

/// The voucher's current enrolment (no last month yet).
pub async fn current_enrolment(
    db: &impl ConnectionTrait,
    voucher_id: i64,
) -> ApiResult<Option<enrolment::Model>> {
    Ok(enrolment::Entity::find()
        .filter(enrolment::Column::VoucherId.eq(voucher_id))
        .filter(enrolment::Column::LastMonth.is_null())
        .one(db)
        .await?)
}

/// Ends the voucher's current enrolment with `last_month` and gives its seat back.
pub async fn close_enrolment(
    txn: &DatabaseTransaction,
    voucher_id: i64,
    last_month: Month,
) -> ApiResult<Option<enrolment::Model>> {
    let Some(current) = current_enrolment(txn, voucher_id).await? else {
        return Ok(None);
    };
    let section_id = current.section_id;
    let mut am = current.into_active_model();
    am.last_month = Set(Some(last_month));
    let closed = am.update(txn).await?;
    let mut b = Binds::new(txn.get_database_backend());
    let id = b.push(section_id);
    txn.execute_raw(b.statement(format!(
        "UPDATE voucher_section SET enrolled = enrolled - 1 WHERE id = {id} AND enrolled > 0"
    )))
    .await?;
    Ok(Some(closed))
}

/// Enrols a child's voucher in a section: the first time from this month (or the voucher's
/// first), a move from the next month.
pub async fn enrol(
    db: &DatabaseConnection,
    actor: &Actor,
    voucher_id: i64,
    section_id: i64,
    now: DateTime<Utc>,
) -> ApiResult<enrolment::Model> {
    let txn = begin_write(db).await?;
    let v = own_voucher(&txn, actor, voucher_id).await?;
    if v.status != VoucherStatus::Issued.as_str() {
        return Err(ApiError::ConflictBecause {
            reason: VoucherRefusal::VoucherEnded.into(),
            message: format!("this voucher is {}", v.status),
        });
    }
    let s = section(&txn, section_id).await?;
    let campaign = crate::campaigns::get(&txn, v.campaign_id).await?;
    let age = child_age_years(&txn, v.child_person_id, now.date_naive()).await?;
    if let Some((reason, message)) = unsuitable(&v, &s, &campaign.region_kato, age) {
        return Err(ApiError::ConflictBecause {
            reason: reason.into(),
            message,
        });
    }
    if !approved(&txn, s.organisation_id, &s.region_kato).await? {
        return Err(ApiError::NotFound("section"));
    }
    let this_month = money::month_of(now.date_naive());
    let first = match current_enrolment(&txn, v.id).await? {
        Some(c) if c.section_id == s.id => {
            return Err(ApiError::ConflictBecause {
                reason: VoucherRefusal::AlreadyEnrolled.into(),
                message: "the voucher is already used at this section".into(),
            });
        }
        Some(_) => {
            close_enrolment(&txn, v.id, this_month.max(v.first_month)).await?;
            money::next_month(this_month).max(v.first_month)
        }
        None => this_month.max(v.first_month),
    };
    if first > v.last_month {
        return Err(ApiError::ConflictBecause {
            reason: VoucherRefusal::VoucherOver.into(),
            message: "the voucher has no month left to use".into(),
        });
    }
    let mut b = Binds::new(txn.get_database_backend());
    let id = b.push(s.id);
    let seat = txn
        .execute_raw(b.statement(format!(
            "UPDATE voucher_section SET enrolled = enrolled + 1 \
             WHERE id = {id} AND enrolled < capacity"
        )))
        .await?;
    if seat.rows_affected() != 1 {
        return Err(ApiError::ConflictBecause {
            reason: VoucherRefusal::SectionFull.into(),
            message: "the section has no place left".into(),
        });
    }
    let saved = enrolment::ActiveModel {
        voucher_id: Set(v.id),
        section_id: Set(s.id),
        child_person_id: Set(v.child_person_id),
        first_month: Set(first),
        last_month: Set(None),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        Some(actor.account_id),
        "voucher.enrolled",
        "voucher",
        v.id,
        json!({"section": s.id, "from": first,
               "own_payment": rules::copay(s.monthly_price, v.monthly_value)}),
    )
    .await?;
    txn.commit().await?;
    Ok(saved)
}

/// A voucher's enrolments, oldest first.
pub async fn enrolments_of(
    db: &impl ConnectionTrait,
    voucher_ids: &[i64],
) -> ApiResult<Vec<enrolment::Model>> {
    if voucher_ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(enrolment::Entity::find()
        .filter(enrolment::Column::VoucherId.is_in(voucher_ids.iter().copied()))
        .order_by_asc(enrolment::Column::Id)
        .all(db)
        .await?)
}
