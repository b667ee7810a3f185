//! A pupil's canteen balance in tenge: top-ups arrive from the payment side as signed records
//! (each counted once, by its reference), paid meals are debited. It never goes below zero
//! unless the school allows credit, and then not below its limit.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};
use serde::Deserialize;
use serde_json::json;

use entities::{person, school_balance, school_balance_entry};

use adal_core::audit;
use adal_core::error::{ApiError, ApiResult};
use adal_core::identifiers::Iin;
use adal_core::sql::{Binds, lock_row};

use crate::roster;
use crate::vocab::SchoolRefusal;

/// The pupil's balance (0 before any top-up).
pub async fn amount(db: &impl ConnectionTrait, person: i64) -> ApiResult<i64> {
    Ok(school_balance::Entity::find_by_id(person)
        .one(db)
        .await?
        .map_or(0, |b| b.amount))
}

/// Locks a pupil's balance row (creating it at zero) and returns the amount: every meal and
/// top-up of one pupil goes through this lock, one after the other.
pub async fn lock(db: &impl ConnectionTrait, person: i64) -> ApiResult<i64> {
    school_balance::Entity::insert(school_balance::ActiveModel {
        person_id: Set(person),
        amount: Set(0),
        updated_at: Set(Utc::now()),
    })
    .on_conflict(
        OnConflict::column(school_balance::Column::PersonId)
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    lock_row(db, "school_balance", "amount", "person_id", person).await?;
    amount(db, person).await
}

/// The lowest balance a school lets a paid meal reach: 0, or minus its credit limit.
pub async fn floor(db: &impl ConnectionTrait, school_id: i64) -> ApiResult<i64> {
    let p = roster::profile(db, school_id).await?;
    Ok(if p.allow_credit { -p.credit_limit } else { 0 })
}

async fn change(
    db: &impl ConnectionTrait,
    person: i64,
    amount: i64,
    kind: &str,
    reference: String,
    at: DateTime<Utc>,
) -> ApiResult<i64> {
    let before = lock(db, person).await?;
    let after = before + amount;
    let mut b = Binds::new(db.get_database_backend());
    let (n, t, p) = (b.push(after), b.push(Utc::now()), b.push(person));
    db.execute_raw(b.statement(format!(
        "UPDATE school_balance SET amount = {n}, updated_at = {t} WHERE person_id = {p}"
    )))
    .await?;
    school_balance_entry::ActiveModel {
        person_id: Set(person),
        amount: Set(amount),
        balance_after: Set(after),
        kind: Set(kind.to_owned()),
        reference: Set(reference),
        at: Set(at),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(after)
}

/// Debits a paid meal; returns the balance after.
pub async fn debit(
    db: &impl ConnectionTrait,
    person: i64,
    price: i64,
    meal_id: i64,
    at: DateTime<Utc>,
) -> ApiResult<i64> {
    change(db, person, -price, "meal", format!("meal:{meal_id}"), at).await
}

/// A top-up as the payment side sends it (signed: see `http`).
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TopUp {
    /// The payment's own reference: a record sent twice counts once.
    pub reference: String,
    /// The pupil's IIN.
    pub iin: String,
    /// Tenge, above zero.
    pub amount: i64,
    pub paid_at: DateTime<Utc>,
}

/// Whether a top-up was new or seen before.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TopUpOutcome {
    Credited { balance: i64 },
    AlreadyCredited { balance: i64 },
}

/// Credits a top-up once by its reference.
pub async fn top_up(db: &DatabaseConnection, t: TopUp) -> ApiResult<TopUpOutcome> {
    let reference = t.reference.trim();
    if reference.is_empty() || reference.len() > 64 {
        return Err(ApiError::bad_input("reference", "1 to 64 characters"));
    }
    if t.amount <= 0 || t.amount > 1_000_000 {
        return Err(ApiError::bad_input(
            "amount",
            "a top-up of 1 to 1,000,000 tenge",
        ));
    }
    let iin = Iin::parse(&t.iin).map_err(|e| ApiError::bad_input("iin", e.0))?;
    let key = format!("topup:{reference}");
    let txn = adal_core::db::begin_write(db).await?;
    let pupil = person::Entity::find()
        .filter(person::Column::Iin.eq(iin.as_str()))
        .one(&txn)
        .await?
        .ok_or(ApiError::NotFound("pupil"))?;
    if roster::schools_of(&txn, pupil.id).await?.is_empty() {
        return Err(ApiError::NotFound("pupil"));
    }
    let seen = school_balance_entry::Entity::find()
        .filter(school_balance_entry::Column::Reference.eq(&key))
        .one(&txn)
        .await?;
    if let Some(e) = seen {
        if e.person_id != pupil.id || e.amount != t.amount {
            return Err(ApiError::ConflictBecause {
                reason: SchoolRefusal::ReferenceReused.into(),
                message: "this reference was credited with other data".into(),
            });
        }
        let balance = amount(&txn, pupil.id).await?;
        return Ok(TopUpOutcome::AlreadyCredited { balance });
    }
    let balance = change(&txn, pupil.id, t.amount, "topup", key, t.paid_at).await?;
    audit::record(
        &txn,
        None,
        "school.balance_topup",
        "person",
        pupil.id,
        json!({ "reference": reference, "amount": t.amount }),
    )
    .await?;
    txn.commit().await?;
    Ok(TopUpOutcome::Credited { balance })
}

/// A pupil's latest balance changes, newest first.
pub async fn entries(
    db: &impl ConnectionTrait,
    person: i64,
    limit: u64,
) -> ApiResult<Vec<school_balance_entry::Model>> {
    Ok(school_balance_entry::Entity::find()
        .filter(school_balance_entry::Column::PersonId.eq(person))
        .order_by_desc(school_balance_entry::Column::At)
        .order_by_desc(school_balance_entry::Column::Id)
        .limit(limit)
        .all(db)
        .await?)
}
