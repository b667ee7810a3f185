//! The akimat's dashboard of a campaign: the children served (who used their voucher at a
//! section: at least one month of attendance recorded) by direction, by district (the
//! section's locality) and by confirmed priority category; and by month, the children's months
//! confirmed, disputed and rejected, and the money paid. For the officers running the campaign
//! (its children are theirs to see), so small counts are not hidden as in the public figures.

use std::collections::BTreeMap;

use async_graphql::SimpleObject;
use sea_orm::ConnectionTrait;

use adal_core::auth::Actor;
use adal_core::error::ApiResult;
use adal_core::sql::Binds;

use crate::vocab::{AttendanceStatus, VoucherCategoryStatus};

/// One month of a campaign.
#[derive(Debug, Clone, Default, PartialEq, Eq, SimpleObject)]
#[graphql(name = "VoucherDashboardMonth")]
pub struct Month {
    /// `YYYYMM`.
    pub month: i32,
    /// Children's months confirmed by the parent, by no answer, or upheld by the akimat.
    pub confirmed: i64,
    /// Disputed or flagged, waiting for the akimat.
    pub disputed: i64,
    /// Rejected by the akimat (not paid).
    pub rejected: i64,
    /// Recorded by the provider, waiting for the parent.
    pub waiting: i64,
    /// Paid to providers, in tenge (once the month's payouts are computed).
    pub paid: i64,
    pub children_paid: i64,
}

/// A count of children served in one group.
#[derive(Debug, Clone, PartialEq, Eq, SimpleObject)]
#[graphql(name = "VoucherDashboardCount")]
pub struct Count {
    /// The direction (`sport`, ...), the locality's KATO (empty where a section names none),
    /// or the category.
    pub key: String,
    pub children: i64,
}

/// A campaign's dashboard (its officers only: small counts are not hidden).
#[derive(Debug, Clone, Default, SimpleObject)]
#[graphql(name = "VoucherDashboard")]
pub struct Dashboard {
    /// Children with at least one month of attendance recorded.
    pub children_served: i64,
    pub by_direction: Vec<Count>,
    /// By the section's locality; a child served in two counts in both.
    pub by_district: Vec<Count>,
    /// By confirmed priority category; a child with two counts in both.
    pub by_category: Vec<Count>,
    pub months: Vec<Month>,
}

/// The children served of campaign `campaign` (a month of attendance recorded, `t`, with its
/// voucher `v` and `join`), counted once each per value of `group` (all together without).
async fn served_by(
    db: &impl ConnectionTrait,
    campaign: i64,
    group: Option<&str>,
    join: &str,
    extra: Option<&str>,
) -> ApiResult<Vec<Count>> {
    let mut b = Binds::new(db.get_database_backend());
    // Placeholders in the order they appear: the join's value first.
    let join = match extra {
        Some(v) => join.replace("{}", &b.push(v.to_owned())),
        None => join.to_owned(),
    };
    let c = b.push(campaign);
    let (key, grouped) = match group {
        Some(g) => (g.to_owned(), format!("GROUP BY {g}")),
        None => ("''".to_owned(), String::new()),
    };
    let sql = format!(
        "SELECT {key} AS k, COUNT(DISTINCT t.child_person_id) AS n \
         FROM voucher_attendance t JOIN voucher v ON v.id = t.voucher_id {join} \
         WHERE t.campaign_id = {c} {grouped}"
    );
    let mut out = Vec::new();
    for r in db.query_all_raw(b.statement(sql)).await? {
        let key: Option<String> = r.try_get("", "k")?;
        out.push(Count {
            key: key.unwrap_or_default(),
            children: r.try_get("", "n")?,
        });
    }
    out.sort_by(|a, b| a.key.cmp(&b.key));
    Ok(out)
}

/// The dashboard of campaign `campaign_id`, which the caller runs (else `NOT_FOUND`).
pub async fn of_campaign(
    db: &impl ConnectionTrait,
    actor: &Actor,
    campaign_id: i64,
) -> ApiResult<Dashboard> {
    let c = crate::campaigns::get_managed(db, actor, campaign_id).await?;
    let total = served_by(db, c.id, None, "", None).await?;
    let by_direction = served_by(db, c.id, Some("v.direction"), "", None).await?;
    let by_district = served_by(
        db,
        c.id,
        Some("s.locality_kato"),
        "JOIN voucher_section s ON s.id = t.section_id",
        None,
    )
    .await?;
    let by_category = served_by(
        db,
        c.id,
        Some("k.category"),
        "JOIN voucher_application_category k ON k.application_id = v.application_id \
         AND k.status = {}",
        Some(VoucherCategoryStatus::Confirmed.as_str()),
    )
    .await?;

    let backend = db.get_database_backend();
    let mut months: BTreeMap<i32, Month> = BTreeMap::new();
    let mut b = Binds::new(backend);
    let cid = b.push(c.id);
    let sql = format!(
        "SELECT month, status, COUNT(*) AS n FROM voucher_attendance WHERE campaign_id = {cid} \
         GROUP BY month, status"
    );
    for r in db.query_all_raw(b.statement(sql)).await? {
        let month: i32 = r.try_get("", "month")?;
        let status: String = r.try_get("", "status")?;
        let n: i64 = r.try_get("", "n")?;
        let m = months.entry(month).or_insert_with(|| Month {
            month,
            ..Default::default()
        });
        match AttendanceStatus::from_db(&status) {
            Some(s) if s.payable() => m.confirmed += n,
            Some(AttendanceStatus::Disputed) => m.disputed += n,
            Some(AttendanceStatus::Rejected) => m.rejected += n,
            _ => m.waiting += n,
        }
    }
    let mut b = Binds::new(backend);
    let cid = b.push(c.id);
    let sql = format!(
        "SELECT month, CAST(SUM(amount) AS BIGINT) AS paid, \
         CAST(SUM(children) AS BIGINT) AS children FROM voucher_payout \
         WHERE campaign_id = {cid} GROUP BY month"
    );
    for r in db.query_all_raw(b.statement(sql)).await? {
        let month: i32 = r.try_get("", "month")?;
        let m = months.entry(month).or_insert_with(|| Month {
            month,
            ..Default::default()
        });
        m.paid = r.try_get("", "paid")?;
        m.children_paid = r.try_get("", "children")?;
    }

    Ok(Dashboard {
        children_served: total.iter().map(|c| c.children).sum(),
        by_direction,
        by_district,
        by_category,
        months: months.into_values().collect(),
    })
}
