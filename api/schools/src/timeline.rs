//! What the schools domain tells a person's timeline: the grounds for a pupil's free or
//! subsidised meals, and the school's overrides of a parent's allergen block, with the school
//! that answers for each.

use std::collections::HashMap;

use futures_util::future::BoxFuture;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};

use adal_core::auth::roles::Role;
use adal_core::decisions::{DecidingBody, Decision, DecisionKind, Figures};
use adal_core::error::ApiResult;
use entities::{
    organisation, role_assignment, school_allergen_override, school_meal_ground, school_member,
};

use crate::vocab::MemberKind;

/// The decisions of the schools domain about these persons (its
/// [`DecisionSource`](adal_core::decisions::DecisionSource)).
pub fn about<'a>(
    db: &'a DatabaseConnection,
    persons: &'a [i64],
) -> BoxFuture<'a, ApiResult<Vec<Decision>>> {
    Box::pin(async move {
        let grounds = school_meal_ground::Entity::find()
            .filter(school_meal_ground::Column::PersonId.is_in(persons.iter().copied()))
            .all(db)
            .await?;
        let overrides = school_allergen_override::Entity::find()
            .filter(school_allergen_override::Column::ChildPersonId.is_in(persons.iter().copied()))
            .all(db)
            .await?;
        if grounds.is_empty() && overrides.is_empty() {
            return Ok(Vec::new());
        }
        // A ground is the school's where the pupil studies now.
        let school_of: HashMap<i64, i64> = school_member::Entity::find()
            .filter(school_member::Column::PersonId.is_in(grounds.iter().map(|g| g.person_id)))
            .filter(school_member::Column::Kind.eq(MemberKind::Pupil.as_str()))
            .filter(school_member::Column::Active.eq(true))
            .all(db)
            .await?
            .into_iter()
            .map(|m| (m.person_id, m.school_id))
            .collect();
        let schools = school_of
            .values()
            .copied()
            .chain(overrides.iter().map(|o| o.school_id));
        let region_of: HashMap<i64, Option<String>> = organisation::Entity::find()
            .filter(organisation::Column::Id.is_in(schools))
            .all(db)
            .await?
            .into_iter()
            .map(|o| (o.id, o.region_kato))
            .collect();
        // Who lifted a block: the school's administrator, or a member of its staff.
        let admins: Vec<(i64, Option<i64>)> = role_assignment::Entity::find()
            .filter(
                role_assignment::Column::AccountId.is_in(overrides.iter().map(|o| o.by_account)),
            )
            .filter(role_assignment::Column::Role.eq(Role::SchoolAdmin.as_str()))
            .all(db)
            .await?
            .into_iter()
            .map(|r| (r.account_id, r.organisation_id))
            .collect();
        let region =
            |school: Option<i64>| school.and_then(|s| region_of.get(&s).cloned().flatten());
        let mut out = Vec::new();
        for g in grounds {
            let school = school_of.get(&g.person_id).copied();
            out.push(Decision {
                kind: DecisionKind::MealGround,
                id: g.id,
                person_id: g.person_id,
                at: g.recorded_at,
                outcome: g.category,
                rule: None,
                reason: Some(g.evidence),
                decided_by: Some(Role::SchoolAdmin),
                body: DecidingBody::School,
                region_kato: region(school),
                organisation_id: school,
                figures: Figures {
                    valid_from: Some(g.valid_from),
                    valid_to: g.valid_to,
                    ..Figures::default()
                },
                votes: Vec::new(),
            });
        }
        for o in overrides {
            let admin = admins.contains(&(o.by_account, Some(o.school_id)));
            out.push(Decision {
                kind: DecisionKind::AllergenOverride,
                id: o.id,
                person_id: o.child_person_id,
                at: o.at,
                outcome: o.allergen,
                rule: None,
                reason: Some(o.reason),
                decided_by: Some(if admin {
                    Role::SchoolAdmin
                } else {
                    Role::SchoolStaff
                }),
                body: DecidingBody::School,
                region_kato: region(Some(o.school_id)),
                organisation_id: Some(o.school_id),
                figures: Figures {
                    valid_to: o.valid_to,
                    ..Figures::default()
                },
                votes: Vec::new(),
            });
        }
        Ok(out)
    })
}
