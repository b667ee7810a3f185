//! Allergen blocks: a parent names, in their account, the allergens their child must not be
//! given; every till of every school refuses a dish that carries one, naming it. The school's
//! staff may lift a block with a reason (a doctor's note changed): the override is an audit
//! event and the parent is told.

use std::collections::HashSet;

use chrono::{NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, Set,
};
use serde_json::json;

use entities::{school_allergen_block, school_allergen_override};

use adal_core::audit;
use adal_core::error::{ApiError, ApiResult};

use crate::notices;
use crate::roster;
use crate::rules::local_day;
use crate::vocab::SchoolRefusal;
use crate::vocab::{Allergen, MemberKind};

/// The allergens blocked for a child.
pub async fn blocked(db: &impl ConnectionTrait, child: i64) -> ApiResult<Vec<Allergen>> {
    let mut out: Vec<Allergen> = school_allergen_block::Entity::find()
        .filter(school_allergen_block::Column::ChildPersonId.eq(child))
        .all(db)
        .await?
        .into_iter()
        .filter_map(|b| Allergen::from_db(&b.allergen))
        .collect();
    out.sort_by_key(|a| a.as_str());
    Ok(out)
}

/// The allergens a school has lifted for a child on a day.
pub async fn lifted(
    db: &impl ConnectionTrait,
    child: i64,
    school_id: i64,
    day: NaiveDate,
) -> ApiResult<Vec<Allergen>> {
    Ok(overrides(db, child)
        .await?
        .into_iter()
        .filter(|o| o.school_id == school_id)
        .filter(|o| local_day(o.at) <= day && o.valid_to.is_none_or(|t| day <= t))
        .filter_map(|o| Allergen::from_db(&o.allergen))
        .collect())
}

/// A child's overrides, newest first.
pub async fn overrides(
    db: &impl ConnectionTrait,
    child: i64,
) -> ApiResult<Vec<school_allergen_override::Model>> {
    Ok(school_allergen_override::Entity::find()
        .filter(school_allergen_override::Column::ChildPersonId.eq(child))
        .order_by_desc(school_allergen_override::Column::Id)
        .all(db)
        .await?)
}

/// Sets the allergens blocked for a child (the whole list: those left out are unblocked).
pub async fn set_blocks(
    db: &DatabaseConnection,
    actor_account: i64,
    parent: i64,
    child: i64,
    list: &[Allergen],
) -> ApiResult<Vec<Allergen>> {
    let wanted: HashSet<Allergen> = list.iter().copied().collect();
    let txn = adal_core::db::begin_write(db).await?;
    let current: HashSet<Allergen> = blocked(&txn, child).await?.into_iter().collect();
    let now = Utc::now();
    for a in wanted.difference(&current) {
        school_allergen_block::ActiveModel {
            child_person_id: Set(child),
            allergen: Set(a.as_str().into()),
            set_by_person_id: Set(parent),
            set_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
    }
    let removed: Vec<&str> = current.difference(&wanted).map(|a| a.as_str()).collect();
    if !removed.is_empty() {
        school_allergen_block::Entity::delete_many()
            .filter(school_allergen_block::Column::ChildPersonId.eq(child))
            .filter(school_allergen_block::Column::Allergen.is_in(removed.clone()))
            .exec(&txn)
            .await?;
    }
    let mut added: Vec<&str> = wanted.difference(&current).map(|a| a.as_str()).collect();
    added.sort_unstable();
    if !added.is_empty() || !removed.is_empty() {
        audit::record(
            &txn,
            Some(actor_account),
            "school.allergen_blocks",
            "person",
            child,
            json!({ "added": added, "removed": removed, "parent": parent }),
        )
        .await?;
    }
    let out = blocked(&txn, child).await?;
    txn.commit().await?;
    Ok(out)
}

/// Lifts a parent's block of one allergen for a child at a school, to a day or until revoked,
/// with the reason; the parent is told.
pub async fn lift(
    db: &DatabaseConnection,
    actor_account: i64,
    school_id: i64,
    child: i64,
    allergen: Allergen,
    reason: &str,
    valid_to: Option<NaiveDate>,
) -> ApiResult<school_allergen_override::Model> {
    let reason = reason.trim();
    if reason.len() < 5 {
        return Err(ApiError::bad_input(
            "reason",
            "say why the block is lifted (a doctor's note, its date)",
        ));
    }
    let now = Utc::now();
    if valid_to.is_some_and(|t| t < local_day(now)) {
        return Err(ApiError::bad_input("validTo", "a day in the past"));
    }
    let txn = adal_core::db::begin_write(db).await?;
    roster::membership(&txn, school_id, child)
        .await?
        .filter(|m| m.kind == MemberKind::Pupil.as_str())
        .ok_or(ApiError::NotFound("pupil"))?;
    if !blocked(&txn, child).await?.contains(&allergen) {
        return Err(ApiError::ConflictBecause {
            reason: SchoolRefusal::NotBlocked.into(),
            message: "the parent has not blocked this allergen".into(),
        });
    }
    let o = school_allergen_override::ActiveModel {
        child_person_id: Set(child),
        school_id: Set(school_id),
        allergen: Set(allergen.as_str().into()),
        reason: Set(reason.to_owned()),
        by_account: Set(actor_account),
        at: Set(now),
        valid_to: Set(valid_to),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        Some(actor_account),
        "school.allergen_override",
        "person",
        child,
        json!({ "override": o.id, "school": school_id, "allergen": allergen, "reason": reason,
                "validTo": valid_to }),
    )
    .await?;
    notices::tell_override(&txn, &o, now).await?;
    txn.commit().await?;
    Ok(o)
}
