//! Priority tables and campaigns: an akimat officer keeps their region's table of category
//! weights (a change is a new version, never an edit) and opens campaigns with a period, an
//! application window, a budget, directions with their monthly values, the ages served and
//! the table in force. The lottery seed is drawn when a campaign opens; only its SHA-256 is
//! shown until the allocation publishes it.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use rand::RngCore;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction,
    EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};
use serde_json::json;

use entities::{voucher_campaign, voucher_direction, voucher_priority_table};

use adal_core::audit;
use adal_core::auth::Actor;
use adal_core::db::begin_write;
use adal_core::error::{ApiError, ApiResult};
use adal_core::identifiers::Kato;
use adal_core::sql::{is_unique_violation, lock_row};

use crate::money::{self, Month};
use crate::ranking::{self, PriorityTable, TieBreak};
use crate::scope;
use crate::vocab::VoucherRefusal;
use crate::vocab::{ClubDirection, VoucherCampaignStatus};

/// A new version of a region's priority table.
#[derive(Debug, Clone)]
pub struct TableDraft {
    pub region: Kato,
    pub weights: BTreeMap<String, i64>,
    pub ties: Vec<TieBreak>,
    pub note: String,
}

/// A category code: lower-case letters, digits and `_`, up to 32 characters.
pub fn parse_category(raw: &str) -> ApiResult<String> {
    let code = raw.trim().to_ascii_lowercase();
    let ok = !code.is_empty()
        && code.len() <= 32
        && code
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if ok {
        Ok(code)
    } else {
        Err(ApiError::BadInputBecause {
            field: "category".into(),
            reason: VoucherRefusal::BadCategoryCode.into(),
            value: raw.to_owned(),
            message: "a category code is 1-32 lower-case Latin letters, digits or _".into(),
        })
    }
}

/// Refuses (`FORBIDDEN`) an officer acting for a region not theirs.
pub(crate) fn require_region(actor: &Actor, region: &str) -> ApiResult<()> {
    if scope::campaign_regions(actor).contains(&region.to_owned()) {
        Ok(())
    } else {
        Err(ApiError::Forbidden)
    }
}

/// Records the next version of the region's table.
pub async fn create_table(
    db: &DatabaseConnection,
    actor: &Actor,
    draft: TableDraft,
) -> ApiResult<voucher_priority_table::Model> {
    require_region(actor, draft.region.as_str())?;
    if draft.weights.is_empty() {
        return Err(ApiError::bad_input(
            "weights",
            "a table needs at least one category",
        ));
    }
    if let Some((c, w)) = draft.weights.iter().find(|(_, w)| !(0..=1000).contains(*w)) {
        return Err(ApiError::bad_input(
            "weights",
            format!("the weight of {c} is {w}; a weight is 0-1000"),
        ));
    }
    let txn = begin_write(db).await?;
    let last: Option<i32> = voucher_priority_table::Entity::find()
        .select_only()
        .column(voucher_priority_table::Column::Version)
        .filter(voucher_priority_table::Column::RegionKato.eq(draft.region.as_str()))
        .order_by_desc(voucher_priority_table::Column::Version)
        .into_tuple()
        .one(&txn)
        .await?;
    let version = last.unwrap_or(0) + 1;
    let saved = voucher_priority_table::ActiveModel {
        region_kato: Set(draft.region.as_str().to_owned()),
        version: Set(version),
        weights: Set(json!(draft.weights).to_string()),
        ties: Set(json!(draft.ties).to_string()),
        note: Set(draft.note.trim().to_owned()),
        created_at: Set(Utc::now()),
        created_by: Set(Some(actor.account_id)),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .map_err(|e| {
        if is_unique_violation(&e) {
            ApiError::Conflict("another version of this table was saved at the same time".into())
        } else {
            e.into()
        }
    })?;
    audit::record(
        &txn,
        Some(actor.account_id),
        "voucher.priority_table.created",
        "voucher_priority_table",
        saved.id,
        json!({"region": saved.region_kato, "version": version, "weights": draft.weights,
               "ties": draft.ties}),
    )
    .await?;
    txn.commit().await?;
    Ok(saved)
}

/// The rule form of a stored table.
pub fn table_of(m: &voucher_priority_table::Model) -> ApiResult<PriorityTable> {
    let weights = serde_json::from_str(&m.weights).map_err(ApiError::internal)?;
    let ties = serde_json::from_str(&m.ties).map_err(ApiError::internal)?;
    Ok(PriorityTable {
        version: m.version,
        weights,
        ties,
    })
}

/// A region's tables, newest first (public: the rule of a queue is open to all).
pub async fn tables(
    db: &impl ConnectionTrait,
    region: Option<&str>,
) -> ApiResult<Vec<voucher_priority_table::Model>> {
    let mut q = voucher_priority_table::Entity::find()
        .order_by_asc(voucher_priority_table::Column::RegionKato)
        .order_by_desc(voucher_priority_table::Column::Version);
    if let Some(r) = region {
        q = q.filter(voucher_priority_table::Column::RegionKato.eq(r));
    }
    Ok(q.limit(200).all(db).await?)
}

pub async fn table(db: &impl ConnectionTrait, id: i64) -> ApiResult<voucher_priority_table::Model> {
    voucher_priority_table::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(ApiError::NotFound("priority table"))
}

/// A campaign as the akimat opens it.
#[derive(Debug, Clone)]
pub struct CampaignDraft {
    pub region: Kato,
    pub name: String,
    pub first_month: Month,
    pub last_month: Month,
    pub opens_at: DateTime<Utc>,
    pub closes_at: DateTime<Utc>,
    pub budget: i64,
    pub directions: Vec<(ClubDirection, i64)>,
    pub age_min: i32,
    pub age_max: i32,
    pub priority_table_id: i64,
    pub unused_days: i32,
    pub confirm_days: i32,
    pub attendance_threshold_pct: i32,
}

impl CampaignDraft {
    fn check(&self) -> ApiResult<()> {
        let bad = |field: &str, msg: &str| Err(ApiError::bad_input(field, msg));
        if self.name.trim().is_empty() || self.name.len() > 200 {
            return bad("name", "a campaign needs a name of up to 200 characters");
        }
        if !money::is_month(self.first_month) || !money::is_month(self.last_month) {
            return bad("firstMonth", "months are written YYYYMM, e.g. 202609");
        }
        if self.last_month < self.first_month {
            return bad("lastMonth", "the period ends before it starts");
        }
        if self.closes_at <= self.opens_at {
            return bad("closesAt", "the application window closes before it opens");
        }
        if self.budget <= 0 {
            return bad("budget", "the budget is a positive number of tenge");
        }
        if self.directions.is_empty() {
            return bad("directions", "a campaign offers at least one direction");
        }
        let mut seen = std::collections::HashSet::new();
        for (d, value) in &self.directions {
            if !seen.insert(*d) {
                return bad("directions", "each direction is given once");
            }
            if *value <= 0 {
                return bad(
                    "directions",
                    "a monthly voucher value is a positive number of tenge",
                );
            }
        }
        if !(3..=18).contains(&self.age_min) || !(self.age_min..=18).contains(&self.age_max) {
            return bad("ageMin", "ages are 3-18 years, the youngest first");
        }
        if !(1..=120).contains(&self.unused_days) {
            return bad("unusedDays", "an unused voucher lapses after 1-120 days");
        }
        if !(1..=60).contains(&self.confirm_days) {
            return bad("confirmDays", "parents confirm attendance within 1-60 days");
        }
        if !(1..=100).contains(&self.attendance_threshold_pct) {
            return bad(
                "attendanceThresholdPct",
                "the attendance threshold is 1-100 per cent",
            );
        }
        Ok(())
    }
}

/// Opens a campaign: applications are accepted in its window.
pub async fn open(
    db: &DatabaseConnection,
    actor: &Actor,
    draft: CampaignDraft,
) -> ApiResult<voucher_campaign::Model> {
    require_region(actor, draft.region.as_str())?;
    draft.check()?;
    let txn = begin_write(db).await?;
    let table = table(&txn, draft.priority_table_id).await?;
    if table.region_kato != draft.region.as_str() {
        return Err(ApiError::bad_input(
            "priorityTableId",
            "the priority table belongs to another region",
        ));
    }
    let mut seed = [0u8; 32];
    rand::rng().fill_bytes(&mut seed);
    let seed = hex::encode(seed);
    let now = Utc::now();
    let saved = voucher_campaign::ActiveModel {
        region_kato: Set(draft.region.as_str().to_owned()),
        name: Set(draft.name.trim().to_owned()),
        first_month: Set(draft.first_month),
        last_month: Set(draft.last_month),
        opens_at: Set(draft.opens_at),
        closes_at: Set(draft.closes_at),
        budget: Set(draft.budget),
        committed: Set(0),
        paid: Set(0),
        freed: Set(0),
        age_min: Set(draft.age_min),
        age_max: Set(draft.age_max),
        priority_table_id: Set(table.id),
        seed_commitment: Set(ranking::seed_commitment(&seed)),
        seed: Set(seed),
        unused_days: Set(draft.unused_days),
        confirm_days: Set(draft.confirm_days),
        attendance_threshold_pct: Set(draft.attendance_threshold_pct),
        status: Set(VoucherCampaignStatus::Open.as_str().to_owned()),
        allocated_at: Set(None),
        created_by: Set(Some(actor.account_id)),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    for (d, value) in &draft.directions {
        voucher_direction::ActiveModel {
            campaign_id: Set(saved.id),
            direction: Set(d.as_str().to_owned()),
            monthly_value: Set(*value),
        }
        .insert(&txn)
        .await?;
    }
    audit::record(
        &txn,
        Some(actor.account_id),
        "voucher.campaign.opened",
        "voucher_campaign",
        saved.id,
        json!({"region": saved.region_kato, "budget": saved.budget,
               "period": [saved.first_month, saved.last_month],
               "table_version": table.version, "seed_commitment": saved.seed_commitment}),
    )
    .await?;
    txn.commit().await?;
    Ok(saved)
}

/// Changes a campaign before its application window opens: its name, period, window, budget,
/// directions and values, ages, priority table and terms. Once the window has opened its terms
/// are what parents applied under (`CAMPAIGN_STARTED`). Its region and its lottery seed stay:
/// the seed's published commitment holds. The audit trail keeps what it was.
pub async fn update(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
    draft: CampaignDraft,
    now: DateTime<Utc>,
) -> ApiResult<voucher_campaign::Model> {
    let txn = begin_write(db).await?;
    let old = lock(&txn, id).await?;
    require_region(actor, &old.region_kato).map_err(|_| ApiError::NotFound("campaign"))?;
    if draft.region.as_str() != old.region_kato {
        return Err(ApiError::bad_input(
            "regionKato",
            "a campaign stays in its region: open a new one",
        ));
    }
    if now >= old.opens_at {
        return Err(ApiError::ConflictBecause {
            reason: VoucherRefusal::CampaignStarted.into(),
            message: "the application window has opened: the campaign's terms are fixed".into(),
        });
    }
    draft.check()?;
    let table = table(&txn, draft.priority_table_id).await?;
    if table.region_kato != old.region_kato {
        return Err(ApiError::bad_input(
            "priorityTableId",
            "the priority table belongs to another region",
        ));
    }
    let was_directions: BTreeMap<String, i64> = directions(&txn, id)
        .await?
        .into_iter()
        .map(|d| (d.direction, d.monthly_value))
        .collect();
    let mut am: voucher_campaign::ActiveModel = old.clone().into();
    am.name = Set(draft.name.trim().to_owned());
    am.first_month = Set(draft.first_month);
    am.last_month = Set(draft.last_month);
    am.opens_at = Set(draft.opens_at);
    am.closes_at = Set(draft.closes_at);
    am.budget = Set(draft.budget);
    am.age_min = Set(draft.age_min);
    am.age_max = Set(draft.age_max);
    am.priority_table_id = Set(table.id);
    am.unused_days = Set(draft.unused_days);
    am.confirm_days = Set(draft.confirm_days);
    am.attendance_threshold_pct = Set(draft.attendance_threshold_pct);
    let saved = am.update(&txn).await?;
    voucher_direction::Entity::delete_many()
        .filter(voucher_direction::Column::CampaignId.eq(id))
        .exec(&txn)
        .await?;
    for (d, value) in &draft.directions {
        voucher_direction::ActiveModel {
            campaign_id: Set(id),
            direction: Set(d.as_str().to_owned()),
            monthly_value: Set(*value),
        }
        .insert(&txn)
        .await?;
    }
    let now_directions: BTreeMap<String, i64> = draft
        .directions
        .iter()
        .map(|(d, v)| (d.as_str().to_owned(), *v))
        .collect();
    let mut was = serde_json::Map::new();
    let mut is = serde_json::Map::new();
    let pairs = [
        ("name", json!(old.name), json!(saved.name)),
        (
            "period",
            json!([old.first_month, old.last_month]),
            json!([saved.first_month, saved.last_month]),
        ),
        (
            "window",
            json!([old.opens_at, old.closes_at]),
            json!([saved.opens_at, saved.closes_at]),
        ),
        ("budget", json!(old.budget), json!(saved.budget)),
        (
            "ages",
            json!([old.age_min, old.age_max]),
            json!([saved.age_min, saved.age_max]),
        ),
        (
            "priorityTable",
            json!(old.priority_table_id),
            json!(saved.priority_table_id),
        ),
        (
            "unusedDays",
            json!(old.unused_days),
            json!(saved.unused_days),
        ),
        (
            "confirmDays",
            json!(old.confirm_days),
            json!(saved.confirm_days),
        ),
        (
            "attendanceThresholdPct",
            json!(old.attendance_threshold_pct),
            json!(saved.attendance_threshold_pct),
        ),
        ("directions", json!(was_directions), json!(now_directions)),
    ];
    for (field, before, after) in pairs {
        if before != after {
            was.insert(field.into(), before);
            is.insert(field.into(), after);
        }
    }
    audit::record(
        &txn,
        Some(actor.account_id),
        "voucher.campaign.changed",
        "voucher_campaign",
        id,
        json!({ "region": saved.region_kato, "was": was, "now": is }),
    )
    .await?;
    txn.commit().await?;
    Ok(saved)
}

/// A campaign by id (campaigns are public: no personal data).
pub async fn get(db: &impl ConnectionTrait, id: i64) -> ApiResult<voucher_campaign::Model> {
    voucher_campaign::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(ApiError::NotFound("campaign"))
}

/// Takes the campaign's row lock for the rest of the transaction (a no-op write: PostgreSQL
/// locks the row, SQLite's write transaction holds the database) and reads it afresh.
pub async fn lock(txn: &DatabaseTransaction, id: i64) -> ApiResult<voucher_campaign::Model> {
    lock_row(txn, "voucher_campaign", "committed", "id", id).await?;
    get(txn, id).await
}

/// A campaign the caller runs as an akimat officer; others' are not found.
pub async fn get_managed(
    db: &impl ConnectionTrait,
    actor: &Actor,
    id: i64,
) -> ApiResult<voucher_campaign::Model> {
    scope::campaign_regions(actor)
        .apply(
            voucher_campaign::Entity::find_by_id(id),
            voucher_campaign::Column::RegionKato,
        )
        .one(db)
        .await?
        .ok_or(ApiError::NotFound("campaign"))
}

/// Campaigns, newest first, optionally of one region.
pub async fn list(
    db: &impl ConnectionTrait,
    region: Option<&str>,
) -> ApiResult<Vec<voucher_campaign::Model>> {
    let mut q = voucher_campaign::Entity::find().order_by_desc(voucher_campaign::Column::Id);
    if let Some(r) = region {
        q = q.filter(voucher_campaign::Column::RegionKato.eq(r));
    }
    Ok(q.limit(200).all(db).await?)
}

/// A campaign's directions and their monthly values.
pub async fn directions(
    db: &impl ConnectionTrait,
    campaign_id: i64,
) -> ApiResult<Vec<voucher_direction::Model>> {
    Ok(voucher_direction::Entity::find()
        .filter(voucher_direction::Column::CampaignId.eq(campaign_id))
        .order_by_asc(voucher_direction::Column::Direction)
        .all(db)
        .await?)
}
