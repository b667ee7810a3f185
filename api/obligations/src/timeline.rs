//! What the obligations domain tells a person's timeline: their obligation's status as the
//! rules evaluated it, the commission's decisions on their applications (with each member's
//! vote and reason, members named by role) and the claims raised against them.

use std::collections::HashMap;

use futures_util::future::BoxFuture;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};

use adal_core::auth::roles::Role;
use adal_core::decisions::{DecidingBody, Decision, DecisionKind, Figures, Vote};
use adal_core::error::ApiResult;
use entities::{claim, commission_vote, exemption, graduate, obligation};

/// The decisions of the obligations domain about these persons (its
/// [`DecisionSource`](adal_core::decisions::DecisionSource)).
pub fn about<'a>(
    db: &'a DatabaseConnection,
    persons: &'a [i64],
) -> BoxFuture<'a, ApiResult<Vec<Decision>>> {
    Box::pin(async move {
        let graduates: HashMap<i64, i64> = graduate::Entity::find()
            .filter(graduate::Column::PersonId.is_in(persons.iter().copied()))
            .all(db)
            .await?
            .into_iter()
            .map(|g| (g.id, g.person_id))
            .collect();
        if graduates.is_empty() {
            return Ok(Vec::new());
        }
        let mut out = Vec::new();
        let obligations = obligation::Entity::find()
            .filter(obligation::Column::GraduateId.is_in(graduates.keys().copied()))
            .all(db)
            .await?;
        let person_of_obligation: HashMap<i64, i64> = obligations
            .iter()
            .filter_map(|o| graduates.get(&o.graduate_id).map(|p| (o.id, *p)))
            .collect();
        for o in &obligations {
            let Some(&person_id) = graduates.get(&o.graduate_id) else {
                continue;
            };
            out.push(Decision {
                kind: DecisionKind::ObligationStatus,
                id: o.id,
                person_id,
                at: o.evaluated_at,
                outcome: o.status.clone(),
                rule: None,
                reason: None,
                decided_by: None,
                body: DecidingBody::Operator,
                region_kato: None,
                organisation_id: None,
                figures: Figures {
                    rule_version: Some(o.rule_version),
                    credited_months: Some(o.credited_months),
                    required_months: Some(o.required_months),
                    valid_from: Some(o.start_date),
                    ..Figures::default()
                },
                votes: Vec::new(),
            });
        }
        let decided = exemption::Entity::find()
            .filter(exemption::Column::GraduateId.is_in(graduates.keys().copied()))
            .filter(exemption::Column::DecidedAt.is_not_null())
            .all(db)
            .await?;
        let mut votes: HashMap<i64, Vec<Vote>> = HashMap::new();
        for v in commission_vote::Entity::find()
            .filter(commission_vote::Column::ExemptionId.is_in(decided.iter().map(|e| e.id)))
            .order_by_asc(commission_vote::Column::At)
            .all(db)
            .await?
        {
            votes.entry(v.exemption_id).or_default().push(Vote {
                role: Role::CommissionMember,
                approve: v.approve,
                reason: v.reason,
                at: v.at,
            });
        }
        for e in decided {
            let (Some(&person_id), Some(decided_at)) =
                (graduates.get(&e.graduate_id), e.decided_at)
            else {
                continue;
            };
            let ended = e.ended_at.is_some();
            out.push(Decision {
                kind: DecisionKind::Exemption,
                id: e.id,
                person_id,
                at: e.ended_at.unwrap_or(decided_at),
                outcome: if ended { "ended".into() } else { e.status },
                rule: Some(e.ground),
                reason: if ended {
                    e.end_reason
                } else {
                    e.decision_reason
                },
                decided_by: Some(Role::CommissionMember),
                body: DecidingBody::Commission,
                region_kato: None,
                organisation_id: None,
                figures: Figures {
                    valid_from: e.period_start,
                    valid_to: e.period_end,
                    ..Figures::default()
                },
                votes: votes.remove(&e.id).unwrap_or_default(),
            });
        }
        for c in claim::Entity::find()
            .filter(claim::Column::ObligationId.is_in(person_of_obligation.keys().copied()))
            .all(db)
            .await?
        {
            let Some(&person_id) = person_of_obligation.get(&c.obligation_id) else {
                continue;
            };
            out.push(Decision {
                kind: DecisionKind::Claim,
                id: c.id,
                person_id,
                at: c.updated_at,
                outcome: c.status,
                rule: None,
                reason: None,
                decided_by: Some(Role::OperatorAdmin),
                body: DecidingBody::Operator,
                region_kato: None,
                organisation_id: None,
                figures: Figures {
                    amount: Some(c.amount),
                    ..Figures::default()
                },
                votes: Vec::new(),
            });
        }
        Ok(out)
    })
}
