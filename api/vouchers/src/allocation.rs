//! The allocation and the vouchers it issues.
//!
//! After the window closes, and once every held application and declared category has the
//! akimat's decision, the allocation ranks the submitted applications by the rules of
//! [`crate::ranking`] and issues vouchers down the ranking while the budget lasts; the rest
//! wait in rank order. The run publishes its file (no personal data) for anyone to verify.
//! When a voucher ends and frees money, the next children in rank order receive vouchers at
//! once, in the same transaction, and the run that issued them is recorded too.
//!
//! Every change of a campaign's money first locks the campaign's row, so two of them never
//! interleave: committed plus paid never exceeds the budget.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction,
    EntityTrait, FromQueryResult, IntoActiveModel, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use serde_json::json;
use sha2::{Digest, Sha256};

use entities::{
    voucher, voucher_allocation as allocation, voucher_application as application, voucher_campaign,
};

use adal_core::audit;
use adal_core::auth::Actor;
use adal_core::db::begin_write;
use adal_core::error::{ApiError, ApiResult};
use adal_core::sql::Binds;

use crate::campaigns;
use crate::money::{self, age_in_months};
use crate::ranking::{self, Entry};
use crate::scope;
use crate::vocab::VoucherRefusal;
use crate::vocab::{
    VoucherApplicationStatus, VoucherCampaignStatus, VoucherCategoryStatus, VoucherStatus,
};

/// Moves `amount` into the campaign's commitment, only if it fits in the budget.
async fn commit_money(txn: &DatabaseTransaction, campaign_id: i64, amount: i64) -> ApiResult<()> {
    let mut b = Binds::new(txn.get_database_backend());
    let a1 = b.push(amount);
    let id = b.push(campaign_id);
    let a2 = b.push(amount);
    let done = txn
        .execute_raw(b.statement(format!(
            "UPDATE voucher_campaign SET committed = committed + {a1} \
             WHERE id = {id} AND committed + paid + {a2} <= budget"
        )))
        .await?;
    if done.rows_affected() == 1 {
        Ok(())
    } else {
        Err(ApiError::ConflictBecause {
            reason: VoucherRefusal::BudgetExceeded.into(),
            message: "the campaign's budget does not hold these vouchers".into(),
        })
    }
}

#[derive(FromQueryResult)]
struct Candidate {
    id: i64,
    child_hash: String,
    direction: String,
    birth_date: Option<chrono::NaiveDate>,
    iin: String,
}

/// Runs the campaign's allocation (its akimat officer, after the window closed).
pub async fn run(
    db: &DatabaseConnection,
    actor: &Actor,
    campaign_id: i64,
    now: DateTime<Utc>,
) -> ApiResult<allocation::Model> {
    run_with(db, actor, campaign_id, now, Notices::Send).await
}

/// Whether a service tells the parents. History loaded after the fact (the demo) is not
/// announced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Notices {
    Send,
    Quiet,
}

/// [`run`], telling the parents or not.
pub async fn run_with(
    db: &DatabaseConnection,
    actor: &Actor,
    campaign_id: i64,
    now: DateTime<Utc>,
    notices: Notices,
) -> ApiResult<allocation::Model> {
    let txn = begin_write(db).await?;
    let campaign = campaigns::get_managed(&txn, actor, campaign_id).await?;
    let campaign = campaigns::lock(&txn, campaign.id).await?;
    if campaign.status != VoucherCampaignStatus::Open.as_str() {
        return Err(ApiError::ConflictBecause {
            reason: VoucherRefusal::AlreadyAllocated.into(),
            message: "this campaign's vouchers are already allocated".into(),
        });
    }
    if now < campaign.closes_at {
        return Err(ApiError::ConflictBecause {
            reason: VoucherRefusal::WindowOpen.into(),
            message: format!(
                "applications are accepted until {}; the allocation runs after that",
                campaign.closes_at.format("%Y-%m-%d %H:%M UTC")
            ),
        });
    }
    let held = application::Entity::find()
        .filter(application::Column::CampaignId.eq(campaign.id))
        .filter(application::Column::Status.eq(VoucherApplicationStatus::Held.as_str()))
        .count(&txn)
        .await?;
    let backend = txn.get_database_backend();
    let mut b = Binds::new(backend);
    let c = b.push(campaign.id);
    let s1 = b.push(VoucherApplicationStatus::Submitted.as_str());
    let s2 = b.push(VoucherCategoryStatus::Declared.as_str());
    let undecided = txn
        .query_one_raw(b.statement(format!(
            "SELECT COUNT(*) AS n FROM voucher_application_category k \
             JOIN voucher_application a ON a.id = k.application_id \
             WHERE a.campaign_id = {c} AND a.status = {s1} AND k.status = {s2}"
        )))
        .await?
        .map(|r| r.try_get::<i64>("", "n"))
        .transpose()?
        .unwrap_or(0);
    if held > 0 || undecided > 0 {
        return Err(ApiError::ConflictBecause {
            reason: VoucherRefusal::DecisionsPending.into(),
            message: format!(
                "{held} applications wait for a guardianship decision and {undecided} declared \
                 categories for confirmation; decide them before the allocation"
            ),
        });
    }

    let table = campaigns::table_of(&campaigns::table(&txn, campaign.priority_table_id).await?)?;
    let values: HashMap<String, i64> = campaigns::directions(&txn, campaign.id)
        .await?
        .into_iter()
        .map(|d| (d.direction, d.monthly_value))
        .collect();
    let mut b = Binds::new(backend);
    let c = b.push(campaign.id);
    let s = b.push(VoucherApplicationStatus::Submitted.as_str());
    let candidates = Candidate::find_by_statement(b.statement(format!(
        "SELECT a.id, a.child_hash, a.direction, p.birth_date, p.iin \
         FROM voucher_application a JOIN person p ON p.id = a.child_person_id \
         WHERE a.campaign_id = {c} AND a.status = {s} ORDER BY a.id"
    )))
    .all(&txn)
    .await?;
    let mut b = Binds::new(backend);
    let c = b.push(campaign.id);
    let s1 = b.push(VoucherApplicationStatus::Submitted.as_str());
    let s2 = b.push(VoucherCategoryStatus::Confirmed.as_str());
    let confirmed: Vec<(i64, String)> = txn
        .query_all_raw(b.statement(format!(
            "SELECT k.application_id, k.category FROM voucher_application_category k \
             JOIN voucher_application a ON a.id = k.application_id \
             WHERE a.campaign_id = {c} AND a.status = {s1} AND k.status = {s2} \
             ORDER BY k.application_id, k.category"
        )))
        .await?
        .into_iter()
        .map(|r| Ok((r.try_get("", "application_id")?, r.try_get("", "category")?)))
        .collect::<Result<_, sea_orm::DbErr>>()?;
    let mut categories: HashMap<i64, Vec<String>> = HashMap::new();
    for (app, cat) in confirmed {
        categories.entry(app).or_default().push(cat);
    }

    let closed_on = campaign.closes_at.date_naive();
    if let Some(c) = candidates
        .iter()
        .find(|c| !values.contains_key(&c.direction))
    {
        return Err(ApiError::internal(anyhow::anyhow!(
            "application {} names direction {} the campaign has no value for",
            c.id,
            c.direction
        )));
    }
    let entries: Vec<Entry> = candidates
        .iter()
        .map(|c| {
            let birth = c.birth_date.or_else(|| {
                adal_core::identifiers::Iin::parse(&c.iin)
                    .ok()
                    .and_then(|i| i.birth_date_hint())
            });
            Entry {
                child_hash: c.child_hash.clone(),
                categories: categories.remove(&c.id).unwrap_or_default(),
                age_months: birth.map_or(0, |b| age_in_months(b, closed_on)) as u32,
                direction: c.direction.clone(),
                monthly_value: values.get(&c.direction).copied().unwrap_or(0),
            }
        })
        .collect();
    let first = money::paid_from(campaign.first_month, now.date_naive());
    let months = money::months_between(first, campaign.last_month);
    let available = campaign.budget - campaign.committed - campaign.paid;
    let file = ranking::allocate(
        campaign.id,
        table,
        &campaign.seed,
        available,
        months,
        entries,
    );

    let by_hash: HashMap<&str, (&Candidate, &Entry)> = candidates
        .iter()
        .zip(file.entries.iter())
        .map(|(c, e)| (c.child_hash.as_str(), (c, e)))
        .collect();
    let committed: i64 = file
        .result
        .iter()
        .filter(|r| r.issued)
        .filter_map(|r| by_hash.get(r.child_hash.as_str()))
        .map(|(_, e)| money::cost(e.monthly_value, months))
        .sum();
    let issued = file.result.iter().filter(|r| r.issued).count();
    let text = serde_json::to_string(&file).map_err(ApiError::internal)?;
    let sha256 = hex::encode(Sha256::digest(text.as_bytes()));
    commit_money(&txn, campaign.id, committed).await?;
    let run = allocation::ActiveModel {
        campaign_id: Set(campaign.id),
        trigger: Set("window_closed".into()),
        issued: Set(issued as i32),
        cutoff_score: Set(ranking::cutoff_score(&file.result)),
        committed: Set(committed),
        file: Set(text),
        sha256: Set(sha256.clone()),
        created_by: Set(Some(actor.account_id)),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;

    let mut places: Vec<Place> = file
        .result
        .iter()
        .filter_map(|r| {
            let (cand, entry) = by_hash.get(r.child_hash.as_str())?;
            Some(Place {
                application_id: cand.id,
                issued: r.issued,
                score: r.score,
                rank: r.rank,
                age_months: entry.age_months,
            })
        })
        .collect::<Vec<_>>();
    places.sort_unstable_by_key(|p| p.application_id);
    record_places(&txn, &places, now).await?;
    insert_first_vouchers(&txn, &campaign, run.id, &values, first, months, now).await?;
    if notices == Notices::Send {
        crate::notices::notify_allocation(&txn, run.id).await?;
    }
    voucher_campaign::Entity::update_many()
        .col_expr(
            voucher_campaign::Column::Status,
            VoucherCampaignStatus::Allocated.as_str().into(),
        )
        .col_expr(voucher_campaign::Column::AllocatedAt, Some(now).into())
        .filter(voucher_campaign::Column::Id.eq(campaign.id))
        .exec(&txn)
        .await?;
    audit::record(
        &txn,
        Some(actor.account_id),
        "voucher.allocation.run",
        "voucher_campaign",
        campaign.id,
        json!({"allocation": run.id, "applications": file.result.len(), "issued": issued,
               "committed": committed, "sha256": sha256, "table_version": file.table.version}),
    )
    .await?;
    txn.commit().await?;
    tracing::info!(
        campaign.id = campaign.id,
        allocation.id = run.id,
        applications = file.result.len(),
        issued,
        "voucher allocation run"
    );
    Ok(run)
}

/// An application's outcome in a run.
struct Place {
    application_id: i64,
    issued: bool,
    score: i64,
    rank: u32,
    age_months: u32,
}

/// Writes each application's status, score, rank and age in one statement: the places go,
/// in the order of their ids (the table's), as one JSON array of `[id, issued, score, rank,
/// age]` that the database unpacks
/// (`json_array_elements` on PostgreSQL, `json_each` on SQLite) and joins by id. A national
/// run writes half a million places; one statement spares the parsing and planning of
/// hundreds.
async fn record_places(
    txn: &DatabaseTransaction,
    places: &[Place],
    now: DateTime<Utc>,
) -> ApiResult<()> {
    if places.is_empty() {
        return Ok(());
    }
    let mut json = String::with_capacity(places.len() * 32);
    json.push('[');
    for (i, p) in places.iter().enumerate() {
        if i > 0 {
            json.push(',');
        }
        json.push_str(&format!(
            "[{},{},{},{},{}]",
            p.application_id,
            u8::from(p.issued),
            p.score,
            p.rank,
            p.age_months
        ));
    }
    json.push(']');
    let backend = txn.get_database_backend();
    // Placeholders in the order of the text: SQLite's are positional.
    let mut b = Binds::new(backend);
    let issued = b.push(VoucherApplicationStatus::Issued.as_str());
    let queued = b.push(VoucherApplicationStatus::Queued.as_str());
    let at = b.push(now);
    let list = b.push(json);
    let places = match backend {
        sea_orm::DbBackend::Postgres => format!(
            "SELECT (e->>0)::bigint AS id, (e->>1)::int AS issued, (e->>2)::bigint AS score, \
             (e->>3)::int AS place, (e->>4)::int AS age \
             FROM json_array_elements(CAST({list} AS json)) AS e"
        ),
        _ => format!(
            "SELECT value->>0 AS id, value->>1 AS issued, value->>2 AS score, \
             value->>3 AS place, value->>4 AS age FROM json_each({list})"
        ),
    };
    txn.execute_raw(b.statement(format!(
        "UPDATE voucher_application SET \
         status = CASE WHEN v.issued = 1 THEN {issued} ELSE {queued} END, \
         score = v.score, rank = v.place, age_months = v.age, updated_at = {at} \
         FROM ({places}) AS v WHERE voucher_application.id = v.id"
    )))
    .await?;
    Ok(())
}

/// Writes the vouchers of a campaign's first run in one statement, from the applications it
/// issued (their places are written): each at its direction's monthly value, committing what
/// [`money::cost`] says for `months` months from `first` (the same rule as a voucher issued
/// from the queue), in rank order. The directions' values and commitments go in as a small
/// derived table, so the database does no arithmetic on money.
async fn insert_first_vouchers(
    txn: &DatabaseTransaction,
    campaign: &voucher_campaign::Model,
    allocation_id: i64,
    values: &HashMap<String, i64>,
    first: money::Month,
    months: i64,
    now: DateTime<Utc>,
) -> ApiResult<()> {
    if values.is_empty() {
        return Ok(());
    }
    let mut directions: Vec<(&String, &i64)> = values.iter().collect();
    directions.sort();
    // Placeholders in the order of the text: SQLite's are positional.
    let mut b = Binds::new(txn.get_database_backend());
    let run = b.push(allocation_id);
    let first = b.push(first);
    let last = b.push(campaign.last_month);
    let status = b.push(VoucherStatus::Issued.as_str());
    let at = b.push(now);
    let rows: Vec<String> = directions
        .into_iter()
        .map(|(direction, value)| {
            let d = b.push(direction.clone());
            let v = b.push(*value);
            let c = b.push(money::cost(*value, months));
            format!("SELECT {d} AS direction, {v} AS monthly_value, {c} AS committed")
        })
        .collect();
    let rows = rows.join(" UNION ALL ");
    let c = b.push(campaign.id);
    let issued = b.push(VoucherApplicationStatus::Issued.as_str());
    txn.execute_raw(b.statement(format!(
        "INSERT INTO voucher (campaign_id, application_id, child_person_id, allocation_id, \
         direction, monthly_value, first_month, last_month, committed, status, issued_at) \
         SELECT a.campaign_id, a.id, a.child_person_id, {run}, a.direction, d.monthly_value, \
         {first}, {last}, d.committed, {status}, {at} \
         FROM voucher_application a JOIN ({rows}) AS d ON d.direction = a.direction \
         WHERE a.campaign_id = {c} AND a.status = {issued} ORDER BY a.rank"
    )))
    .await?;
    Ok(())
}

#[allow(clippy::too_many_arguments)]
fn new_voucher(
    campaign: &voucher_campaign::Model,
    application_id: i64,
    child_person_id: i64,
    allocation_id: i64,
    direction: &str,
    monthly_value: i64,
    first: money::Month,
    months: i64,
    now: DateTime<Utc>,
) -> voucher::ActiveModel {
    voucher::ActiveModel {
        campaign_id: Set(campaign.id),
        application_id: Set(application_id),
        child_person_id: Set(child_person_id),
        allocation_id: Set(allocation_id),
        direction: Set(direction.to_owned()),
        monthly_value: Set(monthly_value),
        first_month: Set(first),
        last_month: Set(campaign.last_month),
        committed: Set(money::cost(monthly_value, months)),
        status: Set(VoucherStatus::Issued.as_str().to_owned()),
        issued_at: Set(now),
        ended_at: Set(None),
        end_reason: Set(None),
        ..Default::default()
    }
}

/// Issues vouchers to the queued children in rank order while the freed money lasts; stops
/// at the first child whose voucher does not fit. Returns the vouchers issued.
async fn issue_from_queue(
    txn: &DatabaseTransaction,
    campaign: &voucher_campaign::Model,
    actor_account_id: Option<i64>,
    now: DateTime<Utc>,
) -> ApiResult<Vec<voucher::Model>> {
    let first = money::reissued_from(campaign.first_month, now.date_naive());
    let months = money::months_between(first, campaign.last_month);
    if campaign.status != VoucherCampaignStatus::Allocated.as_str() || months == 0 {
        return Ok(Vec::new());
    }
    let values: HashMap<String, i64> = campaigns::directions(txn, campaign.id)
        .await?
        .into_iter()
        .map(|d| (d.direction, d.monthly_value))
        .collect();
    let mut available = campaign.budget - campaign.committed - campaign.paid;
    let mut chosen: Vec<(application::Model, i64)> = Vec::new();
    'pages: loop {
        let page = application::Entity::find()
            .filter(application::Column::CampaignId.eq(campaign.id))
            .filter(application::Column::Status.eq(VoucherApplicationStatus::Queued.as_str()))
            .order_by_asc(application::Column::Rank)
            .offset(chosen.len() as u64)
            .limit(100)
            .all(txn)
            .await?;
        if page.is_empty() {
            break;
        }
        for app in page {
            let value = values.get(&app.direction).copied().unwrap_or(0);
            let cost = money::cost(value, months);
            if value <= 0 || cost > available {
                break 'pages;
            }
            available -= cost;
            chosen.push((app, value));
        }
    }
    if chosen.is_empty() {
        return Ok(Vec::new());
    }
    let committed: i64 = chosen.iter().map(|(_, v)| money::cost(*v, months)).sum();
    commit_money(txn, campaign.id, committed).await?;
    let listed: Vec<_> = chosen
        .iter()
        .map(|(a, v)| json!({"child_hash": a.child_hash, "rank": a.rank, "monthly_value": v}))
        .collect();
    let text = json!({
        "format": "adal.voucher-reissue/1",
        "campaign_id": campaign.id,
        "rule": "money freed by ended vouchers goes to the queued children in rank order; \
                 issuing stops at the first child whose voucher does not fit",
        "available": campaign.budget - campaign.committed - campaign.paid,
        "months": months,
        "issued": listed,
    })
    .to_string();
    let run = allocation::ActiveModel {
        campaign_id: Set(campaign.id),
        trigger: Set("money_freed".into()),
        issued: Set(chosen.len() as i32),
        cutoff_score: Set(chosen.last().and_then(|(a, _)| a.score)),
        committed: Set(committed),
        sha256: Set(hex::encode(Sha256::digest(text.as_bytes()))),
        file: Set(text),
        created_by: Set(actor_account_id),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    let mut issued = Vec::with_capacity(chosen.len());
    for (app, value) in chosen {
        let v = new_voucher(
            campaign,
            app.id,
            app.child_person_id,
            run.id,
            &app.direction,
            value,
            first,
            months,
            now,
        )
        .insert(txn)
        .await?;
        let mut am = app.into_active_model();
        am.status = Set(VoucherApplicationStatus::Issued.as_str().to_owned());
        am.updated_at = Set(now);
        am.update(txn).await?;
        issued.push(v);
    }
    crate::notices::notify_allocation(txn, run.id).await?;
    audit::record(
        txn,
        actor_account_id,
        "voucher.allocation.reissue",
        "voucher_campaign",
        campaign.id,
        json!({"allocation": run.id, "issued": issued.len(), "committed": committed}),
    )
    .await?;
    Ok(issued)
}

/// What ending a voucher did: the voucher, and the vouchers its freed money issued.
#[derive(Debug, Clone)]
pub struct Ended {
    pub voucher: voucher::Model,
    pub freed: i64,
    pub issued: Vec<voucher::Model>,
}

async fn end_voucher(
    txn: &DatabaseTransaction,
    found: voucher::Model,
    status: VoucherStatus,
    reason: Option<String>,
    actor_account_id: Option<i64>,
    now: DateTime<Utc>,
) -> ApiResult<Ended> {
    let campaign = campaigns::lock(txn, found.campaign_id).await?;
    let found = voucher::Entity::find_by_id(found.id)
        .one(txn)
        .await?
        .ok_or(ApiError::NotFound("voucher"))?;
    if found.status != VoucherStatus::Issued.as_str() {
        return Err(ApiError::ConflictBecause {
            reason: VoucherRefusal::VoucherEnded.into(),
            message: format!("this voucher is already {}", found.status),
        });
    }
    let freed = money::freed_on_end(
        found.monthly_value,
        found.first_month,
        found.last_month,
        now.date_naive(),
    )
    .min(found.committed);
    let mut b = Binds::new(txn.get_database_backend());
    let f1 = b.push(freed);
    let f2 = b.push(freed);
    let id = b.push(campaign.id);
    txn.execute_raw(b.statement(format!(
        "UPDATE voucher_campaign SET committed = committed - {f1}, freed = freed + {f2} \
         WHERE id = {id}"
    )))
    .await?;
    let committed = found.committed - freed;
    crate::clubs::close_enrolment(txn, found.id, money::month_of(now.date_naive())).await?;
    let mut am = found.into_active_model();
    am.status = Set(status.as_str().to_owned());
    am.committed = Set(committed);
    am.ended_at = Set(Some(now));
    am.end_reason = Set(reason.clone());
    let saved = am.update(txn).await?;
    audit::record(
        txn,
        actor_account_id,
        "voucher.ended",
        "voucher",
        saved.id,
        json!({"status": status.as_str(), "reason": reason, "freed": freed}),
    )
    .await?;
    let campaign = campaigns::get(txn, campaign.id).await?;
    let issued = issue_from_queue(txn, &campaign, actor_account_id, now).await?;
    Ok(Ended {
        voucher: saved,
        freed,
        issued,
    })
}

/// A parent declines their child's voucher; its money goes to the next in the queue.
pub async fn decline(
    db: &DatabaseConnection,
    actor: &Actor,
    voucher_id: i64,
    reason: Option<String>,
    now: DateTime<Utc>,
) -> ApiResult<Ended> {
    let txn = begin_write(db).await?;
    let found = scope::children(actor)
        .apply(
            voucher::Entity::find_by_id(voucher_id),
            voucher::Column::ChildPersonId,
        )
        .one(&txn)
        .await?
        .ok_or(ApiError::NotFound("voucher"))?;
    let reason = reason
        .map(|r| r.trim().to_owned())
        .filter(|r| !r.is_empty());
    let ended = end_voucher(
        &txn,
        found,
        VoucherStatus::Declined,
        reason,
        Some(actor.account_id),
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(ended)
}

/// The akimat ends a voucher, with its reason; its money goes to the next in the queue.
pub async fn end(
    db: &DatabaseConnection,
    actor: &Actor,
    voucher_id: i64,
    reason: String,
    now: DateTime<Utc>,
) -> ApiResult<Ended> {
    let reason = adal_core::reason::required(&reason, "ending a voucher states its reason")?;
    let txn = begin_write(db).await?;
    let found = voucher::Entity::find_by_id(voucher_id)
        .one(&txn)
        .await?
        .ok_or(ApiError::NotFound("voucher"))?;
    campaigns::get_managed(&txn, actor, found.campaign_id)
        .await
        .map_err(|_| ApiError::NotFound("voucher"))?;
    let ended = end_voucher(
        &txn,
        found,
        VoucherStatus::Ended,
        Some(reason),
        Some(actor.account_id),
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(ended)
}

/// A campaign's allocation runs, oldest first (public).
pub async fn runs(
    db: &impl ConnectionTrait,
    campaign_id: i64,
) -> ApiResult<Vec<allocation::Model>> {
    Ok(allocation::Entity::find()
        .filter(allocation::Column::CampaignId.eq(campaign_id))
        .order_by_asc(allocation::Column::Id)
        .all(db)
        .await?)
}

/// One run (public: its file holds no personal data).
pub async fn get_run(db: &impl ConnectionTrait, id: i64) -> ApiResult<allocation::Model> {
    allocation::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(ApiError::NotFound("allocation"))
}

/// The score of the last voucher issued in the campaign (the cut-off), if any.
pub async fn cutoff_score(db: &impl ConnectionTrait, campaign_id: i64) -> ApiResult<Option<i64>> {
    Ok(application::Entity::find()
        .select_only()
        .column(application::Column::Score)
        .filter(application::Column::CampaignId.eq(campaign_id))
        .filter(application::Column::Status.eq(VoucherApplicationStatus::Issued.as_str()))
        .order_by_desc(application::Column::Rank)
        .into_tuple::<Option<i64>>()
        .one(db)
        .await?
        .flatten())
}

/// Vouchers of children, newest first.
pub async fn vouchers_of(
    db: &impl ConnectionTrait,
    child_ids: &[i64],
) -> ApiResult<Vec<voucher::Model>> {
    if child_ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(voucher::Entity::find()
        .filter(voucher::Column::ChildPersonId.is_in(child_ids.iter().copied()))
        .order_by_desc(voucher::Column::Id)
        .all(db)
        .await?)
}

/// The voucher of one application, if issued.
pub async fn voucher_of_application(
    db: &impl ConnectionTrait,
    application_id: i64,
) -> ApiResult<Option<voucher::Model>> {
    Ok(voucher::Entity::find()
        .filter(voucher::Column::ApplicationId.eq(application_id))
        .one(db)
        .await?)
}

/// Reads a published allocation file and checks it against the rules (`adal vouchers verify`).
pub fn verify_file(text: &str) -> Result<ranking::Verification, String> {
    let file: ranking::AllocationFile =
        serde_json::from_str(text).map_err(|e| format!("not an allocation file: {e}"))?;
    Ok(ranking::verify(&file))
}

/// Ends, as lapsed, the issued vouchers of allocated campaigns that no section has used for
/// the campaign's `unused_days` since they were issued; their money goes to the queue. Returns
/// how many lapsed.
pub async fn lapse_unused(db: &DatabaseConnection, now: DateTime<Utc>) -> ApiResult<usize> {
    let campaigns = voucher_campaign::Entity::find()
        .filter(voucher_campaign::Column::Status.eq(VoucherCampaignStatus::Allocated.as_str()))
        .all(db)
        .await?;
    let mut lapsed = 0;
    for c in campaigns {
        let cutoff = now - chrono::Duration::days(i64::from(c.unused_days));
        let mut b = Binds::new(db.get_database_backend());
        let cid = b.push(c.id);
        let st = b.push(VoucherStatus::Issued.as_str());
        let before = b.push(cutoff);
        let unused = voucher::Entity::find()
            .from_raw_sql(b.statement(format!(
                "SELECT v.* FROM voucher v WHERE v.campaign_id = {cid} AND v.status = {st} \
                 AND v.issued_at <= {before} AND NOT EXISTS \
                 (SELECT 1 FROM voucher_enrolment e WHERE e.voucher_id = v.id) ORDER BY v.id"
            )))
            .all(db)
            .await?;
        if unused.is_empty() {
            continue;
        }
        let txn = begin_write(db).await?;
        for v in unused {
            let reason = format!("not used at any section for {} days", c.unused_days);
            let (voucher_id, application_id) = (v.id, v.application_id);
            match end_voucher(&txn, v, VoucherStatus::Lapsed, Some(reason), None, now).await {
                Ok(_) => {
                    lapsed += 1;
                    crate::notices::tell_parent(
                        &txn,
                        &crate::notices::VOUCHER_LAPSED,
                        application_id,
                        format!("voucher-lapsed:{voucher_id}"),
                        &[("days", c.unused_days.to_string())],
                        now,
                    )
                    .await?;
                }
                // Ended meanwhile by its parent or the akimat.
                Err(ApiError::ConflictBecause { reason, .. })
                    if reason == VoucherRefusal::VoucherEnded.into() => {}
                Err(e) => return Err(e),
            }
        }
        txn.commit().await?;
    }
    if lapsed > 0 {
        tracing::info!(vouchers = lapsed, "unused vouchers lapsed");
    }
    Ok(lapsed)
}
