//! A meal at the till: who the pupil is, whether the dishes carry an allergen their parent
//! blocked, what the meal costs them (free, reduced or paid, on a stated ground), and the
//! debit from their balance, all in the batch's transaction.
//!
//! One subsidised (free or reduced) meal a day per pupil across every till of the school: the
//! pupil's balance row is locked first, so two tills serving one card at the same second are
//! served one after the other, and the second sees the first's meal; a unique index on
//! `(person_id, free_day, day)` stands behind it.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, Set,
};

use entities::{school_dish, school_event, school_meal, school_member};

use adal_core::error::ApiResult;

use crate::allergens;
use crate::balance;
use crate::events::insert_one;
use crate::policy;
use crate::roster;
use crate::rules::{self, Eligibility, local_day};
use crate::vocab::{Allergen, MealCharge, MemberKind, allergens_from_db, allergens_to_db};

/// What the till asks.
pub struct MealRequest<'a> {
    pub school_id: i64,
    pub device_id: i64,
    pub member: Option<&'a school_member::Model>,
    pub dishes: &'a [i64],
    pub at: DateTime<Utc>,
    pub late: bool,
}

/// What the till is told of a meal served.
#[derive(Debug, Clone)]
pub struct MealAnswer {
    pub meal_id: i64,
    pub charge: MealCharge,
    /// The pupil's price.
    pub price: i64,
    pub ground: Option<String>,
    /// The pupil's balance after the meal.
    pub balance: i64,
    /// Allergens served against the parent's block (an override lifted them).
    pub allergens_served: Vec<Allergen>,
}

/// A refusal: its code and the allergens that caused it.
pub type Refusal = (&'static str, Vec<Allergen>);

/// Serves a meal (storing `event` with it) or refuses it (storing `event` with the code).
pub async fn serve(
    txn: &DatabaseTransaction,
    r: MealRequest<'_>,
    mut event: school_event::ActiveModel,
) -> ApiResult<Result<(school_meal::Model, MealAnswer), Refusal>> {
    let refuse = |code: &'static str, allergens: Vec<Allergen>| Ok(Err((code, allergens)));
    let outcome = decide(txn, &r).await?;
    let (member, dishes, plan) = match outcome {
        Ok(x) => x,
        Err((code, allergens)) => {
            event.refused = Set(Some(code.to_owned()));
            insert_one(txn, event).await?;
            return refuse(code, allergens);
        }
    };
    let day = local_day(r.at);
    let person = member.person_id;
    let current = balance::lock(txn, person).await?;
    let used = subsidised_used(txn, person, day).await?;
    let policy = policy::in_force(txn, r.school_id, day).await?;
    let dishes_price: i64 = dishes.iter().map(|d| d.price).sum();
    let price = rules::price(&plan.eligibility, &policy, dishes_price, used);
    if price.pupil > 0 {
        let floor = balance::floor(txn, r.school_id).await?;
        if current - price.pupil < floor {
            event.refused = Set(Some("INSUFFICIENT_BALANCE".to_owned()));
            insert_one(txn, event).await?;
            return refuse("INSUFFICIENT_BALANCE", Vec::new());
        }
    }
    let stored = insert_one(txn, event).await?;
    let ground = match price.charge {
        MealCharge::Paid => None,
        _ => plan.eligibility.ground.clone(),
    };
    let meal = school_meal::ActiveModel {
        school_id: Set(r.school_id),
        device_id: Set(r.device_id),
        event_id: Set(stored.id),
        person_id: Set(person),
        day: Set(day),
        served_at: Set(r.at),
        dishes: Set(serde_json::to_string(&r.dishes).unwrap_or_else(|_| "[]".into())),
        charge: Set(price.charge.as_str().into()),
        ground: Set(ground.clone()),
        price: Set(price.pupil),
        cost: Set(price.budget),
        free_day: Set((price.charge != MealCharge::Paid).then_some(day)),
        late: Set(r.late),
        allergens_served: Set(
            Some(allergens_to_db(&plan.allergens_served)).filter(|s| !s.is_empty())
        ),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    if price.charge != MealCharge::Paid {
        crate::wallet::enqueue(txn, &meal).await?;
    }
    let after = if price.pupil > 0 {
        balance::debit(txn, person, price.pupil, meal.id, r.at).await?
    } else {
        current
    };
    let answer = MealAnswer {
        meal_id: meal.id,
        charge: price.charge,
        price: price.pupil,
        ground,
        balance: after,
        allergens_served: plan.allergens_served,
    };
    Ok(Ok((meal, answer)))
}

struct Plan {
    eligibility: Eligibility,
    allergens_served: Vec<Allergen>,
}

async fn decide<'a>(
    txn: &DatabaseTransaction,
    r: &MealRequest<'a>,
) -> ApiResult<Result<(&'a school_member::Model, Vec<school_dish::Model>, Plan), Refusal>> {
    let Some(member) = r.member.filter(|m| m.kind == MemberKind::Pupil.as_str()) else {
        return Ok(Err(("NOT_A_PUPIL", Vec::new())));
    };
    let dishes: Vec<school_dish::Model> = school_dish::Entity::find()
        .filter(school_dish::Column::Id.is_in(r.dishes.iter().copied()))
        .filter(school_dish::Column::SchoolId.eq(r.school_id))
        .all(txn)
        .await?;
    let mut wanted: Vec<i64> = r.dishes.to_vec();
    wanted.sort_unstable();
    wanted.dedup();
    if wanted.is_empty() || dishes.len() != wanted.len() {
        return Ok(Err(("UNKNOWN_DISH", Vec::new())));
    }
    let day = local_day(r.at);
    let blocked = allergens::blocked(txn, member.person_id).await?;
    let lifted = allergens::lifted(txn, member.person_id, r.school_id, day).await?;
    let dish_allergens: Vec<Vec<Allergen>> = dishes
        .iter()
        .map(|d| allergens_from_db(&d.allergens))
        .collect();
    let against = rules::blocked_allergens(&dish_allergens, &blocked, &lifted);
    // A late upload reports a meal already eaten: it is recorded with what was served against
    // the block, and the parent is told.
    if !against.is_empty() && !r.late {
        return Ok(Err(("ALLERGEN_BLOCKED", against)));
    }
    let served_lifted = rules::blocked_allergens(&dish_allergens, &blocked, &[]);
    let eligibility = eligibility_of(txn, member, r.school_id, day).await?;
    Ok(Ok((
        member,
        dishes,
        Plan {
            eligibility,
            allergens_served: served_lifted,
        },
    )))
}

/// A pupil's eligibility at a school on a day: their grade, the grounds that hold that day,
/// the region's policy in force.
pub async fn eligibility_of(
    db: &impl ConnectionTrait,
    member: &school_member::Model,
    school_id: i64,
    day: NaiveDate,
) -> ApiResult<Eligibility> {
    let grade = roster::grade(db, member).await?;
    let categories = policy::categories_on(db, member.person_id, day).await?;
    let policy = policy::in_force(db, school_id, day).await?;
    Ok(rules::eligibility(&policy, grade, &categories))
}

/// Whether the pupil has had the day's subsidised (free or reduced) meal.
pub async fn subsidised_used(
    db: &impl ConnectionTrait,
    person: i64,
    day: NaiveDate,
) -> ApiResult<bool> {
    Ok(school_meal::Entity::find()
        .filter(school_meal::Column::PersonId.eq(person))
        .filter(school_meal::Column::FreeDay.eq(day))
        .filter(school_meal::Column::Day.eq(day))
        .count(db)
        .await?
        > 0)
}

/// The till's answer for a meal stored before (a re-sent event).
pub async fn answer_of(db: &impl ConnectionTrait, m: &school_meal::Model) -> ApiResult<MealAnswer> {
    Ok(MealAnswer {
        meal_id: m.id,
        charge: MealCharge::from_db(&m.charge).unwrap_or(MealCharge::Paid),
        price: m.price,
        ground: m.ground.clone(),
        balance: balance::amount(db, m.person_id).await?,
        allergens_served: m
            .allergens_served
            .as_deref()
            .map(allergens_from_db)
            .unwrap_or_default(),
    })
}

/// The dish ids of a stored meal (its `dishes` JSON).
pub fn dish_ids(dishes: &str) -> Vec<i64> {
    serde_json::from_str(dishes).unwrap_or_default()
}

/// A pupil's meals between two days (inclusive), oldest first.
pub async fn of_pupil(
    db: &impl ConnectionTrait,
    person: i64,
    from: NaiveDate,
    to: NaiveDate,
) -> ApiResult<Vec<school_meal::Model>> {
    Ok(school_meal::Entity::find()
        .filter(school_meal::Column::PersonId.eq(person))
        .filter(school_meal::Column::Day.gte(from))
        .filter(school_meal::Column::Day.lte(to))
        .order_by_asc(school_meal::Column::ServedAt)
        .all(db)
        .await?)
}

/// A school's meals of a day, oldest first.
pub async fn of_school_day(
    db: &impl ConnectionTrait,
    school_id: i64,
    day: NaiveDate,
) -> ApiResult<Vec<school_meal::Model>> {
    Ok(school_meal::Entity::find()
        .filter(school_meal::Column::SchoolId.eq(school_id))
        .filter(school_meal::Column::Day.eq(day))
        .order_by_asc(school_meal::Column::ServedAt)
        .all(db)
        .await?)
}

pub async fn get(db: &impl ConnectionTrait, id: i64) -> ApiResult<Option<school_meal::Model>> {
    Ok(school_meal::Entity::find()
        .filter(school_meal::Column::Id.eq(id))
        .one(db)
        .await?)
}
