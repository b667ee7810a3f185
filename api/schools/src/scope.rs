//! Which schools and pupils a caller reaches. Rows outside are simply not found: another
//! school's staff, another school's device and another family see nothing of them.

use sea_orm::ConnectionTrait;

use adal_core::auth::{Actor, Role};
use adal_core::error::{ApiError, ApiResult};

use crate::roster;

/// The school roles.
pub const STAFF: &[Role] = &[Role::SchoolAdmin, Role::SchoolStaff];

/// The school, when the caller works there in one of `roles`; else not found.
pub fn school(actor: &Actor, school_id: i64, roles: &[Role]) -> ApiResult<i64> {
    if actor.organisations(roles).contains(&school_id) {
        Ok(school_id)
    } else {
        Err(ApiError::NotFound("school"))
    }
}

/// The region (KATO), when the caller is one of its akimat officers; else not found.
pub fn region(actor: &Actor, kato: &str) -> ApiResult<String> {
    let kato = kato.trim();
    if adal_core::auth::scope::regions(actor).contains(&kato.to_owned()) {
        Ok(kato.to_owned())
    } else {
        Err(ApiError::NotFound("region"))
    }
}

/// One of `schools` the caller works at in one of `roles`; else not found (`what`).
pub fn any_school(
    actor: &Actor,
    schools: &[i64],
    roles: &[Role],
    what: &'static str,
) -> ApiResult<i64> {
    let mine = actor.organisations(roles);
    schools
        .iter()
        .copied()
        .find(|s| mine.contains(s))
        .ok_or(ApiError::NotFound(what))
}

/// A child of the calling parent; else not found.
pub fn own_child(actor: &Actor, person: i64) -> ApiResult<i64> {
    if actor.has_role(Role::Parent) && actor.children.contains(&person) {
        Ok(person)
    } else {
        Err(ApiError::NotFound("pupil"))
    }
}

/// Whether `person` is the caller's child (a parent) or the caller (a pupil signed in with the
/// login their school issued).
pub fn own_or_child(actor: &Actor, person: i64) -> bool {
    (actor.has_role(Role::Parent) && actor.children.contains(&person))
        || (actor.has_role(Role::Pupil) && actor.person_id == Some(person))
}

/// The schools through which the caller sees a person: every school of theirs for their
/// parent, or for the pupil themselves; the schools both share for the staff. Not found when
/// none.
pub async fn person_schools(
    db: &impl ConnectionTrait,
    actor: &Actor,
    person: i64,
) -> ApiResult<Vec<i64>> {
    let schools = roster::schools_of(db, person).await?;
    if own_or_child(actor, person) {
        return Ok(schools);
    }
    let mine = actor.organisations(STAFF);
    let shared: Vec<i64> = schools.into_iter().filter(|s| mine.contains(s)).collect();
    if shared.is_empty() {
        Err(ApiError::NotFound("pupil"))
    } else {
        Ok(shared)
    }
}
