//! What a new priority table would change before it is saved: for each campaign of the region
//! not yet allocated, each application's score and place under the table in force and under
//! the proposed weights. A place counts the applications with a higher score (places
//! `1, 2, 2, 4`): the order within equal scores is the tie rules', and the lottery's seed is
//! secret until the allocation, so a preview cannot and does not show it. A category counts
//! unless the akimat rejected it (one still waiting may yet be confirmed).

use std::collections::{BTreeMap, HashMap};

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use entities::{
    voucher_application as application, voucher_application_category as category, voucher_campaign,
};

use adal_core::auth::Actor;
use adal_core::error::ApiResult;

use crate::campaigns;
use crate::ranking::{PriorityTable, score};
use crate::vocab::{VoucherApplicationStatus, VoucherCampaignStatus, VoucherCategoryStatus};

/// One application whose score or place the proposed weights change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub application_id: i64,
    pub child_person_id: i64,
    pub score_now: i64,
    pub score_then: i64,
    pub place_now: usize,
    pub place_then: usize,
}

/// A campaign's applications under the proposed weights.
pub struct CampaignPreview {
    pub campaign: voucher_campaign::Model,
    /// Applications still in the queue (submitted or held).
    pub applications: usize,
    /// Those whose score or place would change, the largest move first.
    pub changes: Vec<Change>,
}

/// Places by score, highest first: 1 + the number of higher scores.
fn places(scores: &[i64]) -> Vec<usize> {
    scores
        .iter()
        .map(|s| 1 + scores.iter().filter(|o| *o > s).count())
        .collect()
}

/// The preview for the officer's region (a region not theirs is forbidden).
pub async fn preview(
    db: &impl ConnectionTrait,
    actor: &Actor,
    region: &str,
    weights: &BTreeMap<String, i64>,
) -> ApiResult<Vec<CampaignPreview>> {
    campaigns::require_region(actor, region)?;
    let campaigns = voucher_campaign::Entity::find()
        .filter(voucher_campaign::Column::RegionKato.eq(region))
        .filter(voucher_campaign::Column::Status.eq(VoucherCampaignStatus::Open.as_str()))
        .order_by_asc(voucher_campaign::Column::Id)
        .all(db)
        .await?;
    let proposed = PriorityTable {
        version: 0,
        weights: weights.clone(),
        ties: Vec::new(),
    };
    let mut out = Vec::with_capacity(campaigns.len());
    for campaign in campaigns {
        let now = campaigns::table_of(&campaigns::table(db, campaign.priority_table_id).await?)?;
        let apps = application::Entity::find()
            .filter(application::Column::CampaignId.eq(campaign.id))
            .filter(application::Column::Status.is_in([
                VoucherApplicationStatus::Submitted.as_str(),
                VoucherApplicationStatus::Held.as_str(),
            ]))
            .order_by_asc(application::Column::Id)
            .all(db)
            .await?;
        let ids: Vec<i64> = apps.iter().map(|a| a.id).collect();
        let mut counted: HashMap<i64, Vec<String>> = HashMap::new();
        for c in category::Entity::find()
            .filter(category::Column::ApplicationId.is_in(ids))
            .filter(category::Column::Status.ne(VoucherCategoryStatus::Rejected.as_str()))
            .all(db)
            .await?
        {
            counted
                .entry(c.application_id)
                .or_default()
                .push(c.category);
        }
        let none = Vec::new();
        let of = |a: &application::Model| counted.get(&a.id).unwrap_or(&none);
        let scores_now: Vec<i64> = apps.iter().map(|a| score(&now, of(a))).collect();
        let scores_then: Vec<i64> = apps.iter().map(|a| score(&proposed, of(a))).collect();
        let (places_now, places_then) = (places(&scores_now), places(&scores_then));
        let mut changes: Vec<Change> = apps
            .iter()
            .enumerate()
            .filter(|(i, _)| scores_now[*i] != scores_then[*i] || places_now[*i] != places_then[*i])
            .map(|(i, a)| Change {
                application_id: a.id,
                child_person_id: a.child_person_id,
                score_now: scores_now[i],
                score_then: scores_then[i],
                place_now: places_now[i],
                place_then: places_then[i],
            })
            .collect();
        changes.sort_by_key(|c| {
            (
                std::cmp::Reverse(c.place_now.abs_diff(c.place_then)),
                c.place_then,
                c.application_id,
            )
        });
        out.push(CampaignPreview {
            campaign,
            applications: apps.len(),
            changes,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_scores_share_a_place_and_the_next_place_counts_them() {
        assert_eq!(places(&[5, 9, 5, 0]), [2, 1, 2, 4]);
        assert_eq!(places(&[]), Vec::<usize>::new());
    }
}
