//! The canteen till in a browser, for a school whose till is a tablet: a member of staff,
//! signed in, reads a card and sees who the pupil is and how they eat today before choosing
//! the dishes; the meal then goes through the same path as a hardware till's upload (the
//! tablet is registered as the school's `TILL` device, and the page numbers its meals as a
//! device does, so a meal re-sent after a lost answer is answered as the first time).

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{ConnectionTrait, DatabaseConnection};

use entities::school_member;

use adal_core::error::{ApiError, ApiResult};

use crate::allergens;
use crate::balance;
use crate::cards;
use crate::devices;
use crate::events::{self, BatchAnswer, EventIn};
use crate::meals;
use crate::rules::{Eligibility, local_day};
use crate::vocab::{Allergen, CredentialKind, DeviceKind, MealCharge, MemberKind, SchoolEventKind};

/// What the till shows of a pupil before the meal.
#[derive(Debug, Clone)]
pub struct Pupil {
    pub member: school_member::Model,
    /// Today's eligibility; `PAID` once the day's subsidised meal is used.
    pub eligibility: Eligibility,
    pub subsidised_used: bool,
    /// The allergens the parent blocked that no override of the school lifts today.
    pub blocked: Vec<Allergen>,
    pub balance: i64,
    /// The lowest the balance may go (below zero only where the school allows credit).
    pub floor: i64,
}

/// Who a card (or QR code, or PIN) identifies at the till, or why it would be refused:
/// `UNKNOWN_CARD`, `CARD_BLOCKED`, `NOT_THIS_SCHOOL`, `NOT_A_PUPIL`.
pub async fn look_up(
    db: &impl ConnectionTrait,
    school_id: i64,
    method: CredentialKind,
    credential: &str,
    at: DateTime<Utc>,
) -> ApiResult<Result<Pupil, &'static str>> {
    let card = match cards::identify(db, school_id, method, credential).await? {
        Ok(card) => card,
        Err((code, _)) => return Ok(Err(code)),
    };
    let Some(member) = crate::roster::membership(db, school_id, card.person_id)
        .await?
        .filter(|m| m.kind == MemberKind::Pupil.as_str())
    else {
        return Ok(Err("NOT_A_PUPIL"));
    };
    let day: NaiveDate = local_day(at);
    let person = member.person_id;
    let mut eligibility = meals::eligibility_of(db, &member, school_id, day).await?;
    let subsidised_used = meals::subsidised_used(db, person, day).await?;
    if subsidised_used {
        eligibility = Eligibility {
            charge: MealCharge::Paid,
            ground: None,
            reduced_price: None,
        };
    }
    let lifted = allergens::lifted(db, person, school_id, day).await?;
    let blocked = allergens::blocked(db, person)
        .await?
        .into_iter()
        .filter(|a| !lifted.contains(a))
        .collect();
    Ok(Ok(Pupil {
        eligibility,
        subsidised_used,
        blocked,
        balance: balance::amount(db, person).await?,
        floor: balance::floor(db, school_id).await?,
        member,
    }))
}

/// A meal served at a browser till: device `device_id` must be a `TILL` of `school_id` (the
/// caller's school, checked by the resolver). The meal's `seq` is the page's number for it.
pub async fn serve(
    db: &DatabaseConnection,
    school_id: i64,
    device_id: i64,
    meal: EventIn,
) -> ApiResult<BatchAnswer> {
    let device = devices::get(db, device_id).await?;
    if device.school_id != school_id {
        return Err(ApiError::NotFound("device"));
    }
    if DeviceKind::from_db(&device.kind) != Some(DeviceKind::Till) {
        return Err(ApiError::bad_input("deviceId", "not a till of the school"));
    }
    if meal.kind != SchoolEventKind::Meal {
        return Err(ApiError::bad_input("kind", "a till serves meals"));
    }
    let now = meal.at;
    events::upload(db, device.id, vec![meal], now).await
}
