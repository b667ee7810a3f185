//! What the vouchers domain tells a person's timeline: each of a child's applications with its
//! score, its place in the ranking and the allocation's cut-off, and the akimat's decisions on
//! the vulnerability categories the parent declared.

use std::collections::HashMap;

use futures_util::future::BoxFuture;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};

use adal_core::auth::roles::Role;
use adal_core::decisions::{DecidingBody, Decision, DecisionKind, Figures};
use adal_core::error::ApiResult;
use entities::{
    voucher_allocation, voucher_application, voucher_application_category, voucher_campaign,
    voucher_priority_table,
};

use crate::vocab::{VoucherApplicationStatus, VoucherCategoryStatus};

/// An application's status once it is a decision (ranked, issued or refused).
fn decided(status: &str) -> bool {
    matches!(
        VoucherApplicationStatus::from_db(status),
        Some(
            VoucherApplicationStatus::Queued
                | VoucherApplicationStatus::Issued
                | VoucherApplicationStatus::Refused
        )
    )
}

/// The decisions of the vouchers domain about these persons (its
/// [`DecisionSource`](adal_core::decisions::DecisionSource)).
pub fn about<'a>(
    db: &'a DatabaseConnection,
    persons: &'a [i64],
) -> BoxFuture<'a, ApiResult<Vec<Decision>>> {
    Box::pin(async move {
        let apps = voucher_application::Entity::find()
            .filter(voucher_application::Column::ChildPersonId.is_in(persons.iter().copied()))
            .all(db)
            .await?;
        if apps.is_empty() {
            return Ok(Vec::new());
        }
        let campaign_ids: Vec<i64> = apps.iter().map(|a| a.campaign_id).collect();
        let campaigns: HashMap<i64, voucher_campaign::Model> = voucher_campaign::Entity::find()
            .filter(voucher_campaign::Column::Id.is_in(campaign_ids.iter().copied()))
            .all(db)
            .await?
            .into_iter()
            .map(|c| (c.id, c))
            .collect();
        let tables: HashMap<i64, voucher_priority_table::Model> =
            voucher_priority_table::Entity::find()
                .filter(
                    voucher_priority_table::Column::Id
                        .is_in(campaigns.values().map(|c| c.priority_table_id)),
                )
                .all(db)
                .await?
                .into_iter()
                .map(|t| (t.id, t))
                .collect();
        // The cut-off of each campaign's latest allocation.
        let mut cutoffs: HashMap<i64, Option<i64>> = HashMap::new();
        for a in voucher_allocation::Entity::find()
            .filter(voucher_allocation::Column::CampaignId.is_in(campaign_ids.iter().copied()))
            .order_by_asc(voucher_allocation::Column::Id)
            .all(db)
            .await?
        {
            cutoffs.insert(a.campaign_id, a.cutoff_score);
        }
        let mut out = Vec::new();
        for a in apps.iter().filter(|a| decided(&a.status)) {
            let Some(c) = campaigns.get(&a.campaign_id) else {
                continue;
            };
            out.push(Decision {
                kind: DecisionKind::VoucherApplication,
                id: a.id,
                person_id: a.child_person_id,
                at: a.updated_at,
                outcome: a.status.clone(),
                rule: Some(c.name.clone()),
                reason: a.reason.clone(),
                decided_by: None,
                body: DecidingBody::Akimat,
                region_kato: Some(c.region_kato.clone()),
                organisation_id: None,
                figures: Figures {
                    rule_version: tables.get(&c.priority_table_id).map(|t| t.version),
                    score: a.score,
                    rank: a.rank,
                    cutoff: cutoffs.get(&c.id).copied().flatten(),
                    ..Figures::default()
                },
                votes: Vec::new(),
            });
        }
        let by_app: HashMap<i64, &voucher_application::Model> =
            apps.iter().map(|a| (a.id, a)).collect();
        for cat in voucher_application_category::Entity::find()
            .filter(
                voucher_application_category::Column::ApplicationId.is_in(by_app.keys().copied()),
            )
            .filter(
                voucher_application_category::Column::Status
                    .ne(VoucherCategoryStatus::Declared.as_str()),
            )
            .all(db)
            .await?
        {
            let (Some(a), Some(at)) = (by_app.get(&cat.application_id), cat.decided_at) else {
                continue;
            };
            out.push(Decision {
                kind: DecisionKind::VoucherCategory,
                id: cat.id,
                person_id: a.child_person_id,
                at,
                outcome: cat.status,
                rule: Some(cat.category),
                reason: cat.reason,
                decided_by: Some(Role::AkimatOfficer),
                body: DecidingBody::Akimat,
                region_kato: campaigns.get(&a.campaign_id).map(|c| c.region_kato.clone()),
                organisation_id: None,
                figures: Figures::default(),
                votes: Vec::new(),
            });
        }
        Ok(out)
    })
}
