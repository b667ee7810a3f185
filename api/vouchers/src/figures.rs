//! Public figures of a campaign (no sign-in): applications and vouchers issued, by direction
//! and by priority category, the cut-off score, and the money. Counts of fewer than ten children
//! are hidden as [`adal_core::disclosure`] says, so that no child can be singled out.

use std::collections::BTreeMap;

use sea_orm::{ConnectionTrait, DbBackend};

use adal_core::error::ApiResult;
use adal_core::sql::Binds;

use crate::vocab::{VoucherApplicationStatus, VoucherCategoryStatus};

/// Counts of one group: applications (refused ones left out) and vouchers issued.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counts {
    pub applications: i64,
    pub vouchers: i64,
}

/// A campaign's counts, whole and by direction and by confirmed category.
#[derive(Debug, Clone, Default)]
pub struct Figures {
    pub total: Counts,
    pub by_direction: BTreeMap<String, Counts>,
    pub by_category: BTreeMap<String, Counts>,
}

async fn grouped(
    db: &impl ConnectionTrait,
    sql: String,
    b: Binds,
) -> ApiResult<BTreeMap<String, Counts>> {
    let mut out: BTreeMap<String, Counts> = BTreeMap::new();
    for r in db.query_all_raw(b.statement(sql)).await? {
        let key: String = r.try_get("", "k")?;
        let issued: bool = r.try_get::<i64>("", "issued")? == 1;
        let n: i64 = r.try_get("", "n")?;
        let e = out.entry(key).or_default();
        e.applications += n;
        if issued {
            e.vouchers += n;
        }
    }
    Ok(out)
}

/// The figures of a campaign.
pub async fn of_campaign(db: &impl ConnectionTrait, campaign_id: i64) -> ApiResult<Figures> {
    let backend: DbBackend = db.get_database_backend();
    let issued = |b: &mut Binds| {
        format!(
            "CAST(CASE WHEN a.status = {} THEN 1 ELSE 0 END AS BIGINT)",
            b.push(VoucherApplicationStatus::Issued.as_str())
        )
    };
    // Grouped by position: the flag's placeholder differs between SELECT and GROUP BY.
    let mut b = Binds::new(backend);
    let flag = issued(&mut b);
    let c = b.push(campaign_id);
    let refused = b.push(VoucherApplicationStatus::Refused.as_str());
    let by_direction = grouped(
        db,
        format!(
            "SELECT a.direction AS k, {flag} AS issued, COUNT(*) AS n FROM voucher_application a \
             WHERE a.campaign_id = {c} AND a.status <> {refused} GROUP BY 1, 2"
        ),
        b,
    )
    .await?;
    let mut b = Binds::new(backend);
    let flag = issued(&mut b);
    let c = b.push(campaign_id);
    let refused = b.push(VoucherApplicationStatus::Refused.as_str());
    let confirmed = b.push(VoucherCategoryStatus::Confirmed.as_str());
    let by_category = grouped(
        db,
        format!(
            "SELECT k.category AS k, {flag} AS issued, COUNT(*) AS n \
             FROM voucher_application_category k JOIN voucher_application a \
             ON a.id = k.application_id WHERE a.campaign_id = {c} AND a.status <> {refused} \
             AND k.status = {confirmed} GROUP BY 1, 2"
        ),
        b,
    )
    .await?;
    let total = by_direction
        .values()
        .fold(Counts::default(), |acc, x| Counts {
            applications: acc.applications + x.applications,
            vouchers: acc.vouchers + x.vouchers,
        });
    Ok(Figures {
        total,
        by_direction,
        by_category,
    })
}
