//! The Social Wallet (the state's e-voucher service) pays the canteen's supplier only for the
//! subsidised meals actually served, so every free or reduced meal is sent to it:
//!
//! - a transfer row is written with the meal, in its transaction (nothing served is missed);
//! - the worker's passes send the due ones in batches of [`BATCH`], each meal by its id (the
//!   Wallet takes a meal id once, so a batch sent again after a lost answer counts once);
//! - a failed batch (timeout, refusal, unreadable answer) is tried again after 30 s, 1 min,
//!   2 min, ... up to an hour;
//! - the Wallet's answer per meal is kept: accepted, or rejected with its reason, listed for
//!   the school to fix.
//!
//! The Wallet is an adapter behind [`SocialWallet`], configured by `social_wallet_url`.

use std::collections::HashMap;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use futures_util::future::BoxFuture;
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use serde::{Deserialize, Serialize};

use entities::{organisation, person, school_meal, school_wallet_transfer as transfer};

use adal_core::error::ApiResult;
use adal_notifications::http::HttpClient;

/// Meals sent in one request.
pub const BATCH: u64 = 100;

/// Where a meal's transfer stands.
pub use crate::vocab::WalletTransferState as State;

/// Writes a subsidised meal's transfer, with the meal's transaction.
pub async fn enqueue(db: &impl ConnectionTrait, meal: &school_meal::Model) -> ApiResult<()> {
    transfer::Entity::insert(transfer::ActiveModel {
        meal_id: Set(meal.id),
        school_id: Set(meal.school_id),
        day: Set(meal.day),
        state: Set(State::Pending.as_str().into()),
        attempts: Set(0),
        next_at: Set(Utc::now()),
        reason: Set(None),
        answered_at: Set(None),
    })
    .on_conflict(
        OnConflict::column(transfer::Column::MealId)
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    Ok(())
}

/// One meal as the Wallet receives it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct WalletMeal {
    pub meal_id: i64,
    pub school_bin: String,
    pub pupil_iin: String,
    pub day: NaiveDate,
    pub served_at: DateTime<Utc>,
    /// `free` or `reduced`.
    pub charge: String,
    pub ground: Option<String>,
    /// What the budget pays, in tenge.
    pub cost: i64,
}

/// The Wallet's answer for one meal.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct WalletAnswer {
    pub meal_id: i64,
    pub accepted: bool,
    pub reason: Option<String>,
}

/// The Social Wallet as Adal needs it.
pub trait SocialWallet: Send + Sync {
    /// Sends meals; the answer for each, or why the batch failed.
    fn send<'a>(
        &'a self,
        meals: &'a [WalletMeal],
    ) -> BoxFuture<'a, Result<Vec<WalletAnswer>, String>>;
}

/// The Wallet over HTTP: `POST <url>` with `{"meals": [...]}`, answered by
/// `{"results": [{"mealId", "accepted", "reason"}]}`.
pub struct HttpWallet {
    pub url: String,
    pub token: Option<String>,
    pub client: HttpClient,
}

#[derive(Deserialize)]
struct Results {
    results: Vec<WalletAnswer>,
}

impl SocialWallet for HttpWallet {
    fn send<'a>(
        &'a self,
        meals: &'a [WalletMeal],
    ) -> BoxFuture<'a, Result<Vec<WalletAnswer>, String>> {
        Box::pin(async move {
            let answer = self
                .client
                .post_json_bearer(
                    &self.url,
                    self.token.as_deref(),
                    &serde_json::json!({ "meals": meals }),
                )
                .await
                .map_err(|e| e.to_string())?;
            if !(200..300).contains(&answer.status) {
                return Err(format!("the Social Wallet answered {}", answer.status));
            }
            serde_json::from_slice::<Results>(&answer.body)
                .map(|r| r.results)
                .map_err(|e| format!("unreadable answer of the Social Wallet: {e}"))
        })
    }
}

/// The wait before attempt `n + 1` after `n` failures: 30 s doubled each time, at most 1 h.
pub fn backoff(failures: i32) -> Duration {
    let secs = 30i64.saturating_mul(1i64 << failures.clamp(0, 10));
    Duration::seconds(secs.min(3600))
}

/// Sends the due transfers, a batch at a time (at most `batches`); returns how many meals got
/// an answer.
pub async fn pass(
    db: &DatabaseConnection,
    wallet: &dyn SocialWallet,
    now: DateTime<Utc>,
    batches: usize,
) -> ApiResult<usize> {
    let mut answered = 0;
    for _ in 0..batches {
        let due = transfer::Entity::find()
            .filter(transfer::Column::State.eq(State::Pending.as_str()))
            .filter(transfer::Column::NextAt.lte(now))
            .order_by_asc(transfer::Column::NextAt)
            .order_by_asc(transfer::Column::MealId)
            .limit(BATCH)
            .all(db)
            .await?;
        if due.is_empty() {
            break;
        }
        let meals = describe(db, &due).await?;
        match wallet.send(&meals).await {
            Ok(answers) => {
                let by_id: HashMap<i64, WalletAnswer> =
                    answers.into_iter().map(|a| (a.meal_id, a)).collect();
                let txn = adal_core::db::begin_write(db).await?;
                for t in &due {
                    let mut am: transfer::ActiveModel = t.clone().into();
                    am.attempts = Set(t.attempts + 1);
                    match by_id.get(&t.meal_id) {
                        Some(a) => {
                            am.state = Set(if a.accepted {
                                State::Accepted
                            } else {
                                State::Rejected
                            }
                            .as_str()
                            .into());
                            am.reason = Set(a.reason.clone());
                            am.answered_at = Set(Some(now));
                            answered += 1;
                        }
                        None => {
                            am.next_at = Set(now + backoff(t.attempts));
                            am.reason = Set(Some("no answer for this meal".into()));
                        }
                    }
                    transfer::Entity::update(am).exec(&txn).await?;
                }
                txn.commit().await?;
            }
            Err(e) => {
                tracing::warn!(meals = due.len(), error = %e, "social wallet batch failed");
                let txn = adal_core::db::begin_write(db).await?;
                for t in &due {
                    let mut am: transfer::ActiveModel = t.clone().into();
                    am.attempts = Set(t.attempts + 1);
                    am.next_at = Set(now + backoff(t.attempts));
                    am.reason = Set(Some(e.clone()));
                    transfer::Entity::update(am).exec(&txn).await?;
                }
                txn.commit().await?;
                break;
            }
        }
    }
    Ok(answered)
}

async fn describe(
    db: &impl ConnectionTrait,
    due: &[transfer::Model],
) -> ApiResult<Vec<WalletMeal>> {
    let ids: Vec<i64> = due.iter().map(|t| t.meal_id).collect();
    let meals = school_meal::Entity::find()
        .filter(school_meal::Column::Id.is_in(ids))
        .order_by_asc(school_meal::Column::Id)
        .all(db)
        .await?;
    let people: HashMap<i64, String> = person::Entity::find()
        .filter(person::Column::Id.is_in(meals.iter().map(|m| m.person_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.id, p.iin))
        .collect();
    let schools: HashMap<i64, String> = organisation::Entity::find()
        .filter(organisation::Column::Id.is_in(meals.iter().map(|m| m.school_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|o| (o.id, o.bin))
        .collect();
    Ok(meals
        .into_iter()
        .map(|m| WalletMeal {
            meal_id: m.id,
            school_bin: schools.get(&m.school_id).cloned().unwrap_or_default(),
            pupil_iin: people.get(&m.person_id).cloned().unwrap_or_default(),
            day: m.day,
            served_at: m.served_at,
            charge: m.charge,
            ground: m.ground,
            cost: m.cost,
        })
        .collect())
}

/// A school's transfers in a state (the rejected ones to fix), newest first.
pub async fn of_school(
    db: &impl ConnectionTrait,
    school_id: i64,
    state: Option<State>,
    limit: u64,
) -> ApiResult<Vec<transfer::Model>> {
    let mut q = transfer::Entity::find().filter(transfer::Column::SchoolId.eq(school_id));
    if let Some(s) = state {
        q = q.filter(transfer::Column::State.eq(s.as_str()));
    }
    Ok(q.order_by_desc(transfer::Column::MealId)
        .limit(limit)
        .all(db)
        .await?)
}

/// A meal's transfer.
pub async fn of_meal(
    db: &impl ConnectionTrait,
    meal_id: i64,
) -> ApiResult<Option<transfer::Model>> {
    Ok(transfer::Entity::find_by_id(meal_id).one(db).await?)
}

/// Sends a rejected meal again (after the school fixed what the Wallet named).
pub async fn retry(db: &DatabaseConnection, meal_id: i64) -> ApiResult<Option<transfer::Model>> {
    let Some(t) = of_meal(db, meal_id).await? else {
        return Ok(None);
    };
    if t.state != State::Rejected.as_str() {
        return Ok(Some(t));
    }
    let mut am: transfer::ActiveModel = t.into();
    am.state = Set(State::Pending.as_str().into());
    am.next_at = Set(Utc::now());
    am.answered_at = Set(None);
    transfer::Entity::update(am).exec(db).await?;
    of_meal(db, meal_id).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_to_an_hour() {
        assert_eq!(backoff(0), Duration::seconds(30));
        assert_eq!(backoff(1), Duration::seconds(60));
        assert_eq!(backoff(3), Duration::seconds(240));
        assert_eq!(backoff(9), Duration::seconds(3600));
        assert_eq!(backoff(50), Duration::seconds(3600));
    }
}
