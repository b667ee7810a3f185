//! The open figures of the vouchers (no sign-in), across every campaign: children holding a
//! voucher by the campaign's region and the club's direction with the money committed to
//! them, by confirmed vulnerability category, and the attendance paid for by region and month.
//! Counts under ten children are hidden, with the cells that would give them away
//! ([`adal_core::disclosure`]).

use std::collections::BTreeSet;

use sea_orm::{ConnectionTrait, DbBackend};

use adal_core::disclosure::{Counts, OpenHeading, region_headings};
use adal_core::error::ApiResult;
use adal_core::sql::Binds;
use adal_core::vocab::Language;

use crate::vocab::{ClubDirection, VoucherCategoryStatus, VoucherStatus};

const METHOD_DIRECTION: &str = "Children holding a voucher issued in a campaign (in use, or \
    ended by the akimat after use; vouchers declined by the parent or lapsed unused are left \
    out), each child counted once per direction (a child in two directions counts in each, and \
    twice in the totals), by the region of the campaign; the amount is the money committed to \
    those vouchers, in tenge.";
const METHOD_CATEGORY: &str = "Children holding a voucher (as above), by the vulnerability \
    category the akimat confirmed for their application; a child in two categories counts in \
    each, and twice in the totals.";
const METHOD_PAID: &str = "Vouchers paid for in a month, by the region of the campaign: a \
    provider is paid for a child's month only when the parent confirmed the attendance; a \
    child with two vouchers counts twice. The amount is the money paid, in tenge.";

/// A month `yyyymm` as `yyyy-mm`.
fn month_code(m: i32) -> String {
    format!("{:04}-{:02}", m / 100, m % 100)
}

fn direction_code(d: &str) -> String {
    d.to_uppercase()
}

/// `vouchers-by-direction`, `vouchers-by-category` and `vouchers-paid-by-month`.
pub async fn tables(db: &impl ConnectionTrait, language: Language) -> ApiResult<Vec<Counts>> {
    let backend: DbBackend = db.get_database_backend();
    let directions: Vec<OpenHeading> = ClubDirection::ALL
        .iter()
        .map(|d| OpenHeading::coded(direction_code(d.as_str())))
        .collect();
    let used = |b: &mut Binds| {
        format!(
            "v.status IN ({}, {})",
            b.push(VoucherStatus::Issued.as_str()),
            b.push(VoucherStatus::Ended.as_str())
        )
    };

    let mut by_direction = Counts::new(
        "vouchers-by-direction",
        ("region", region_headings(db, language).await?),
        ("direction", directions.clone()),
        Some("tenge"),
        METHOD_DIRECTION,
    );
    let mut b = Binds::new(backend);
    let used_v = used(&mut b);
    let sql = format!(
        "SELECT c.region_kato AS region, v.direction AS direction, \
         COUNT(DISTINCT v.child_person_id) AS n, CAST(SUM(v.committed) AS BIGINT) AS amount \
         FROM voucher v JOIN voucher_campaign c ON c.id = v.campaign_id \
         WHERE {used_v} GROUP BY c.region_kato, v.direction"
    );
    for r in db.query_all_raw(b.statement(sql)).await? {
        let region: String = r.try_get("", "region")?;
        let direction: String = r.try_get("", "direction")?;
        by_direction.add(
            &region,
            &direction_code(&direction),
            r.try_get("", "n")?,
            r.try_get("", "amount")?,
        );
    }

    let categories: BTreeSet<String> = {
        let b = Binds::new(backend);
        let rows = db
            .query_all_raw(b.statement(
                "SELECT DISTINCT category FROM voucher_application_category ORDER BY category",
            ))
            .await?;
        rows.iter()
            .map(|r| r.try_get::<String>("", "category"))
            .collect::<Result<_, _>>()?
    };
    let mut by_category = Counts::new(
        "vouchers-by-category",
        (
            "category",
            categories
                .iter()
                .map(|c| OpenHeading::coded(c.as_str()))
                .collect(),
        ),
        ("direction", directions),
        None,
        METHOD_CATEGORY,
    );
    let mut b = Binds::new(backend);
    let used_v = used(&mut b);
    let confirmed = b.push(VoucherCategoryStatus::Confirmed.as_str());
    let sql = format!(
        "SELECT k.category AS category, v.direction AS direction, \
         COUNT(DISTINCT v.child_person_id) AS n \
         FROM voucher v JOIN voucher_application_category k ON k.application_id = v.application_id \
         WHERE {used_v} AND k.status = {confirmed} GROUP BY k.category, v.direction"
    );
    for r in db.query_all_raw(b.statement(sql)).await? {
        let category: String = r.try_get("", "category")?;
        let direction: String = r.try_get("", "direction")?;
        by_category.add(
            &category,
            &direction_code(&direction),
            r.try_get("", "n")?,
            0,
        );
    }

    let b = Binds::new(backend);
    let paid: Vec<(String, i32, i64, i64)> = db
        .query_all_raw(b.statement(
            "SELECT c.region_kato AS region, p.month AS month, \
             CAST(SUM(p.children) AS BIGINT) AS n, CAST(SUM(p.amount) AS BIGINT) AS amount \
             FROM voucher_payout p JOIN voucher_campaign c ON c.id = p.campaign_id \
             GROUP BY c.region_kato, p.month",
        ))
        .await?
        .iter()
        .map(|r| {
            Ok((
                r.try_get("", "region")?,
                r.try_get("", "month")?,
                r.try_get("", "n")?,
                r.try_get("", "amount")?,
            ))
        })
        .collect::<Result<_, sea_orm::DbErr>>()?;
    let months: BTreeSet<i32> = paid.iter().map(|p| p.1).collect();
    let mut paid_by_month = Counts::new(
        "vouchers-paid-by-month",
        ("region", region_headings(db, language).await?),
        (
            "month",
            months
                .iter()
                .map(|m| OpenHeading::coded(month_code(*m)))
                .collect(),
        ),
        Some("tenge"),
        METHOD_PAID,
    );
    for (region, month, n, amount) in &paid {
        paid_by_month.add(region, &month_code(*month), *n, *amount);
    }
    Ok(vec![by_direction, by_category, paid_by_month])
}
