//! Who eats free: the law's grounds (in `rules`), a region's versioned policy (the categories
//! it adds, its reduced prices, the cost of a free meal) and each pupil's grounds with the
//! period they hold. A policy is never edited: a change is a new version from a date.

use chrono::{NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    IntoActiveModel, QueryFilter, QueryOrder, Set,
};
use serde::{Deserialize, Serialize};
use serde_json::json;

use entities::{school_meal_ground, school_meal_policy};

use adal_core::audit;
use adal_core::error::{ApiError, ApiResult};

use crate::roster;
use crate::rules::{LAW_FREE_CATEGORIES, Policy};
use crate::vocab::MemberKind;

/// A reduced price for a category.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Reduced {
    pub category: String,
    pub price: i64,
}

/// A category code: lower-case latin letters and `_`, 2 to 32.
pub fn check_category(field: &str, c: &str) -> ApiResult<String> {
    let c = c.trim();
    if (2..=32).contains(&c.len()) && c.chars().all(|ch| ch.is_ascii_lowercase() || ch == '_') {
        Ok(c.to_owned())
    } else {
        Err(ApiError::bad_input(
            field,
            format!("category {c}: 2 to 32 lower-case latin letters or _"),
        ))
    }
}

/// The rules of a stored policy version.
pub fn rules_of(m: &school_meal_policy::Model) -> Policy {
    Policy {
        free_categories: serde_json::from_str(&m.free_categories).unwrap_or_default(),
        reduced: serde_json::from_str::<Vec<Reduced>>(&m.reduced)
            .unwrap_or_default()
            .into_iter()
            .map(|r| (r.category, r.price))
            .collect(),
        meal_cost: m.meal_cost,
    }
}

/// A region's policy versions, newest first.
pub async fn versions(
    db: &impl ConnectionTrait,
    region: &str,
) -> ApiResult<Vec<school_meal_policy::Model>> {
    Ok(school_meal_policy::Entity::find()
        .filter(school_meal_policy::Column::RegionKato.eq(region))
        .order_by_desc(school_meal_policy::Column::Version)
        .all(db)
        .await?)
}

/// The version in force in a region on a day: the latest taking effect by then.
pub async fn version_on(
    db: &impl ConnectionTrait,
    region: &str,
    day: NaiveDate,
) -> ApiResult<Option<school_meal_policy::Model>> {
    Ok(school_meal_policy::Entity::find()
        .filter(school_meal_policy::Column::RegionKato.eq(region))
        .filter(school_meal_policy::Column::ValidFrom.lte(day))
        .order_by_desc(school_meal_policy::Column::ValidFrom)
        .order_by_desc(school_meal_policy::Column::Version)
        .one(db)
        .await?)
}

/// The rules in force at a school on a day: its region's version, else the law alone.
pub async fn in_force(
    db: &impl ConnectionTrait,
    school_id: i64,
    day: NaiveDate,
) -> ApiResult<Policy> {
    let school = roster::school(db, school_id).await?;
    let Some(region) = school.region_kato else {
        return Ok(Policy::default());
    };
    Ok(version_on(db, &region, day)
        .await?
        .map(|m| rules_of(&m))
        .unwrap_or_default())
}

/// A new version of a region's policy.
#[derive(Debug, Clone)]
pub struct PolicyDraft {
    pub region_kato: String,
    pub valid_from: NaiveDate,
    pub free_categories: Vec<String>,
    pub reduced: Vec<Reduced>,
    pub meal_cost: i64,
}

pub async fn publish(
    db: &DatabaseConnection,
    actor_account: i64,
    d: PolicyDraft,
) -> ApiResult<school_meal_policy::Model> {
    let mut free: Vec<String> = Vec::new();
    for c in &d.free_categories {
        let c = check_category("freeCategories", c)?;
        if !LAW_FREE_CATEGORIES.contains(&c.as_str()) && !free.contains(&c) {
            free.push(c);
        }
    }
    let mut reduced: Vec<Reduced> = Vec::new();
    for r in &d.reduced {
        let category = check_category("reduced", &r.category)?;
        if r.price < 0 || r.price > d.meal_cost {
            return Err(ApiError::bad_input(
                "reduced",
                "a reduced price between 0 and the meal's cost",
            ));
        }
        if free.contains(&category) || reduced.iter().any(|x| x.category == category) {
            return Err(ApiError::bad_input(
                "reduced",
                format!("category {category} named twice"),
            ));
        }
        reduced.push(Reduced {
            category,
            price: r.price,
        });
    }
    if !(1..=5_000).contains(&d.meal_cost) {
        return Err(ApiError::bad_input("mealCost", "1 to 5,000 tenge"));
    }
    let txn = adal_core::db::begin_write(db).await?;
    let version = versions(&txn, &d.region_kato)
        .await?
        .first()
        .map_or(1, |v| v.version + 1);
    let m = school_meal_policy::ActiveModel {
        region_kato: Set(d.region_kato.clone()),
        version: Set(version),
        valid_from: Set(d.valid_from),
        free_categories: Set(serde_json::to_string(&free).unwrap_or_else(|_| "[]".into())),
        reduced: Set(serde_json::to_string(&reduced).unwrap_or_else(|_| "[]".into())),
        meal_cost: Set(d.meal_cost),
        created_by: Set(Some(actor_account)),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        Some(actor_account),
        "school.meal_policy",
        "region",
        &d.region_kato,
        json!({ "version": version, "validFrom": d.valid_from, "freeCategories": free,
                "reduced": reduced, "mealCost": d.meal_cost }),
    )
    .await?;
    txn.commit().await?;
    Ok(m)
}

/// The categories that hold for a pupil on a day.
pub async fn categories_on(
    db: &impl ConnectionTrait,
    person: i64,
    day: NaiveDate,
) -> ApiResult<Vec<String>> {
    Ok(grounds(db, person)
        .await?
        .into_iter()
        .filter(|g| g.valid_from <= day && g.valid_to.is_none_or(|t| day <= t))
        .map(|g| g.category)
        .collect())
}

/// A pupil's grounds, newest first.
pub async fn grounds(
    db: &impl ConnectionTrait,
    person: i64,
) -> ApiResult<Vec<school_meal_ground::Model>> {
    Ok(school_meal_ground::Entity::find()
        .filter(school_meal_ground::Column::PersonId.eq(person))
        .order_by_desc(school_meal_ground::Column::ValidFrom)
        .order_by_desc(school_meal_ground::Column::Id)
        .all(db)
        .await?)
}

pub async fn ground(db: &impl ConnectionTrait, id: i64) -> ApiResult<school_meal_ground::Model> {
    school_meal_ground::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(ApiError::NotFound("meal ground"))
}

/// A ground to record for a pupil.
#[derive(Debug, Clone)]
pub struct GroundDraft {
    /// The school recording it: the pupil must be on its list.
    pub school_id: i64,
    pub person_id: i64,
    pub category: String,
    pub valid_from: NaiveDate,
    pub valid_to: Option<NaiveDate>,
    pub evidence: String,
}

pub async fn record_ground(
    db: &DatabaseConnection,
    actor_account: i64,
    d: GroundDraft,
) -> ApiResult<school_meal_ground::Model> {
    let category = check_category("category", &d.category)?;
    if d.valid_to.is_some_and(|t| t < d.valid_from) {
        return Err(ApiError::bad_input("validTo", "ends before it starts"));
    }
    let evidence = d.evidence.trim();
    if evidence.is_empty() {
        return Err(ApiError::bad_input(
            "evidence",
            "name the document the ground rests on",
        ));
    }
    let txn = adal_core::db::begin_write(db).await?;
    roster::membership(&txn, d.school_id, d.person_id)
        .await?
        .filter(|m| m.kind == MemberKind::Pupil.as_str())
        .ok_or(ApiError::NotFound("pupil"))?;
    let g = school_meal_ground::ActiveModel {
        person_id: Set(d.person_id),
        category: Set(category.clone()),
        valid_from: Set(d.valid_from),
        valid_to: Set(d.valid_to),
        evidence: Set(evidence.to_owned()),
        recorded_by: Set(Some(actor_account)),
        recorded_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        Some(actor_account),
        "school.meal_ground",
        "person",
        d.person_id,
        json!({ "ground": g.id, "category": category, "validFrom": d.valid_from,
                "validTo": d.valid_to }),
    )
    .await?;
    txn.commit().await?;
    Ok(g)
}

/// Ends a ground on a day (the family no longer receives assistance).
pub async fn end_ground(
    db: &DatabaseConnection,
    actor_account: i64,
    g: school_meal_ground::Model,
    on: NaiveDate,
    reason: &str,
) -> ApiResult<school_meal_ground::Model> {
    if on < g.valid_from {
        return Err(ApiError::bad_input("on", "before the ground starts"));
    }
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(ApiError::bad_input("reason", "say why the ground ends"));
    }
    let txn = adal_core::db::begin_write(db).await?;
    let person = g.person_id;
    let mut am = g.into_active_model();
    am.valid_to = Set(Some(on));
    let g = am.update(&txn).await?;
    audit::record(
        &txn,
        Some(actor_account),
        "school.meal_ground_ended",
        "person",
        person,
        json!({ "ground": g.id, "on": on, "reason": reason }),
    )
    .await?;
    txn.commit().await?;
    Ok(g)
}
