//! Reimbursement claims: drafted for a graduate in breach with the amount by the configured
//! formula (shown with its computation), moved through their statuses, payments recorded, and
//! every contact logged.

use chrono::{NaiveDate, Utc};
use std::collections::HashMap;

use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder, QuerySelect, Set,
};
use serde_json::json;

use entities::{claim, claim_contact, claim_payment, graduate, obligation, person};

use super::vocab::{ClaimStatus, ContactChannel, ObligationStatus};
use adal_core::audit;
use adal_core::error::{ApiError, ApiResult};

/// Drafts a claim for a graduate whose obligation is in breach.
pub async fn draft(
    db: &DatabaseConnection,
    actor: i64,
    graduate_id: i64,
) -> ApiResult<claim::Model> {
    let txn = adal_core::db::begin_write(db).await?;
    let g = graduate::Entity::find_by_id(graduate_id)
        .one(&txn)
        .await?
        .ok_or(ApiError::NotFound("graduate"))?;
    let o = obligation::Entity::find()
        .filter(obligation::Column::GraduateId.eq(graduate_id))
        .one(&txn)
        .await?
        .ok_or(ApiError::NotFound("obligation"))?;
    if o.status != ObligationStatus::Breach.as_str() {
        return Err(ApiError::Conflict(format!(
            "a claim is raised only for an obligation in breach; this one is {}",
            o.status
        )));
    }
    // Proof of notice: the graduate was told (a delivered obligation or breach notice).
    crate::notices::require_delivered_notice(&txn, graduate_id).await?;
    let open = claim::Entity::find()
        .filter(claim::Column::ObligationId.eq(o.id))
        .all(&txn)
        .await?
        .into_iter()
        .any(|c| c.status != ClaimStatus::Withdrawn.as_str());
    if open {
        return Err(ApiError::Conflict(
            "this obligation already has a claim".into(),
        ));
    }
    let (version, rules) = super::evaluate::current_rules(&txn).await?;
    let amount = rules.reimbursement(g.budget_cost, o.required_months, o.credited_months);
    let computation = json!({
        "formula": "budget_cost × (required − credited) / required",
        "budgetCost": g.budget_cost,
        "requiredMonths": o.required_months,
        "creditedMonths": o.credited_months,
        "rounding": rules.money_rounding,
        "ruleVersion": version,
        "amount": amount,
    });
    let now = Utc::now();
    let c = claim::ActiveModel {
        obligation_id: Set(o.id),
        amount: Set(amount),
        computation: Set(computation.to_string()),
        status: Set(ClaimStatus::Drafted.as_str().into()),
        created_by: Set(Some(actor)),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit::record(&txn, Some(actor), "claim.draft", "claim", c.id, computation).await?;
    // The claim's legal notice, in the same transaction (the outbox delivers it).
    crate::notices::notify_graduate(
        &txn,
        graduate_id,
        adal_notifications::purposes::Purpose::of(&crate::notices::CLAIM_NOTICE),
        format!("claim:{}", c.id),
        None,
        0,
    )
    .await?;
    txn.commit().await?;
    Ok(c)
}

async fn graduate_of(db: &DatabaseConnection, c: &claim::Model) -> ApiResult<i64> {
    Ok(obligation::Entity::find_by_id(c.obligation_id)
        .one(db)
        .await?
        .ok_or(ApiError::NotFound("obligation"))?
        .graduate_id)
}

/// Moves a claim to a new status (payments move it to paid in part or paid).
pub async fn set_status(
    db: &DatabaseConnection,
    actor: i64,
    claim_id: i64,
    status: ClaimStatus,
) -> ApiResult<claim::Model> {
    if matches!(
        status,
        ClaimStatus::Drafted | ClaimStatus::PaidInPart | ClaimStatus::Paid
    ) {
        return Err(ApiError::bad_input(
            "status",
            "claims become paid through recorded payments",
        ));
    }
    let txn = adal_core::db::begin_write(db).await?;
    let c = claim::Entity::find_by_id(claim_id)
        .one(&txn)
        .await?
        .ok_or(ApiError::NotFound("claim"))?;
    if matches!(
        ClaimStatus::from_db(&c.status),
        Some(ClaimStatus::Paid | ClaimStatus::Withdrawn)
    ) {
        return Err(ApiError::Conflict(format!(
            "the claim is already {}",
            c.status
        )));
    }
    let from = c.status.clone();
    let mut am = c.into_active_model();
    am.status = Set(status.as_str().into());
    am.updated_at = Set(Utc::now());
    let c = am.update(&txn).await?;
    audit::record(
        &txn,
        Some(actor),
        "claim.status",
        "claim",
        claim_id,
        json!({ "from": from, "to": status }),
    )
    .await?;
    txn.commit().await?;
    let gid = graduate_of(db, &c).await?;
    super::evaluate::evaluate_graduates(db, &[gid]).await?;
    Ok(c)
}

pub async fn record_payment(
    db: &DatabaseConnection,
    actor: i64,
    claim_id: i64,
    amount: i64,
    paid_on: NaiveDate,
    reference: &str,
) -> ApiResult<claim::Model> {
    if amount <= 0 {
        return Err(ApiError::bad_input("amount", "the amount must be positive"));
    }
    let txn = adal_core::db::begin_write(db).await?;
    let c = claim::Entity::find_by_id(claim_id)
        .one(&txn)
        .await?
        .ok_or(ApiError::NotFound("claim"))?;
    if matches!(
        ClaimStatus::from_db(&c.status),
        Some(ClaimStatus::Paid | ClaimStatus::Withdrawn | ClaimStatus::Drafted)
    ) {
        return Err(ApiError::Conflict(format!(
            "payments are recorded on a sent claim; this one is {}",
            c.status
        )));
    }
    claim_payment::ActiveModel {
        claim_id: Set(claim_id),
        amount: Set(amount),
        paid_on: Set(paid_on),
        reference: Set(reference.trim().chars().take(200).collect()),
        recorded_by: Set(Some(actor)),
        recorded_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let paid: i64 = claim_payment::Entity::find()
        .filter(claim_payment::Column::ClaimId.eq(claim_id))
        .all(&txn)
        .await?
        .iter()
        .map(|p| p.amount)
        .sum();
    let status = if paid >= c.amount {
        ClaimStatus::Paid
    } else {
        ClaimStatus::PaidInPart
    };
    let mut am = c.into_active_model();
    am.status = Set(status.as_str().into());
    am.updated_at = Set(Utc::now());
    let c = am.update(&txn).await?;
    audit::record(
        &txn,
        Some(actor),
        "claim.payment",
        "claim",
        claim_id,
        json!({ "amount": amount, "paidTotal": paid, "status": status }),
    )
    .await?;
    txn.commit().await?;
    let gid = graduate_of(db, &c).await?;
    super::evaluate::evaluate_graduates(db, &[gid]).await?;
    Ok(c)
}

pub async fn record_contact(
    db: &DatabaseConnection,
    actor: i64,
    claim_id: i64,
    channel: ContactChannel,
    outcome: &str,
    note: &str,
) -> ApiResult<claim_contact::Model> {
    let outcome = outcome.trim();
    if outcome.is_empty() {
        return Err(ApiError::bad_input(
            "outcome",
            "say what came of the contact",
        ));
    }
    claim::Entity::find_by_id(claim_id)
        .one(db)
        .await?
        .ok_or(ApiError::NotFound("claim"))?;
    let txn = adal_core::db::begin_write(db).await?;
    let m = claim_contact::ActiveModel {
        claim_id: Set(claim_id),
        channel: Set(channel.as_str().into()),
        outcome: Set(outcome.chars().take(200).collect()),
        note: Set(note.trim().chars().take(2000).collect()),
        by_account: Set(Some(actor)),
        at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        Some(actor),
        "claim.contact",
        "claim",
        claim_id,
        json!({ "channel": channel }),
    )
    .await?;
    txn.commit().await?;
    Ok(m)
}

pub async fn payments_of(
    db: &DatabaseConnection,
    claim_id: i64,
) -> ApiResult<Vec<claim_payment::Model>> {
    Ok(claim_payment::Entity::find()
        .filter(claim_payment::Column::ClaimId.eq(claim_id))
        .order_by_asc(claim_payment::Column::Id)
        .all(db)
        .await?)
}

pub async fn contacts_of(
    db: &DatabaseConnection,
    claim_id: i64,
) -> ApiResult<Vec<claim_contact::Model>> {
    Ok(claim_contact::Entity::find()
        .filter(claim_contact::Column::ClaimId.eq(claim_id))
        .order_by_asc(claim_contact::Column::Id)
        .all(db)
        .await?)
}

/// A claim with the graduate it is raised against, for the operator's list.
pub struct ClaimRow {
    pub claim: claim::Model,
    pub graduate_id: i64,
    pub graduate_name: String,
    pub person_id: i64,
}

/// Claims, newest first, optionally of one status: four statements whatever the count
/// (claims, their obligations, graduates, persons).
pub async fn list(
    db: &DatabaseConnection,
    status: Option<ClaimStatus>,
    limit: u64,
) -> ApiResult<Vec<ClaimRow>> {
    let mut q = claim::Entity::find();
    if let Some(s) = status {
        q = q.filter(claim::Column::Status.eq(s.as_str()));
    }
    let claims = q
        .order_by_desc(claim::Column::Id)
        .limit(limit)
        .all(db)
        .await?;
    let obligations: HashMap<i64, i64> = obligation::Entity::find()
        .filter(obligation::Column::Id.is_in(claims.iter().map(|c| c.obligation_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|o| (o.id, o.graduate_id))
        .collect();
    let graduates: HashMap<i64, i64> = graduate::Entity::find()
        .filter(graduate::Column::Id.is_in(obligations.values().copied()))
        .all(db)
        .await?
        .into_iter()
        .map(|g| (g.id, g.person_id))
        .collect();
    let persons: HashMap<i64, person::Model> = person::Entity::find()
        .filter(person::Column::Id.is_in(graduates.values().copied()))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.id, p))
        .collect();
    Ok(claims
        .into_iter()
        .filter_map(|c| {
            let gid = *obligations.get(&c.obligation_id)?;
            let p = persons.get(graduates.get(&gid)?)?;
            Some(ClaimRow {
                claim: c,
                graduate_id: gid,
                graduate_name: p.full_name(),
                person_id: p.id,
            })
        })
        .collect())
}
