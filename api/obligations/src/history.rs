//! The obligations' status over time, for the dashboard's trend: how many graduates were in
//! each status at the end of each month the feeds cover.
//!
//! Every evaluation run records the statuses it leaves for its horizon month (`evaluation`), so
//! the trend grows as feeds arrive. Months before Adal kept figures can be reconstructed from
//! the evidence (`adal reevaluate --history N`, and `seed-demo` for its demo): each past month's
//! ledgers are computed under the rules in force in each of its months (the term and the grace
//! and breach limits of those in force in that month) with the evidence after that month ignored
//! (`reconstruction`); a month already recorded is never overwritten by a reconstruction.

use std::collections::BTreeMap;

use chrono::Utc;
use sea_orm::sea_query::{Expr, Func, Query};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, Set,
};

use entities::{obligation, obligation_status_month as month};

use super::evaluate::{horizon, rule_book, statuses_at};
use super::period::Period;
use adal_core::error::ApiResult;

/// Records the statuses as stored now, as those at the end of `horizon`.
pub async fn record(db: &DatabaseConnection, horizon: Period, rule_version: i32) -> ApiResult<()> {
    let txn = adal_core::db::begin_write(db).await?;
    month::Entity::delete_many()
        .filter(month::Column::Period.eq(horizon.as_i32()))
        .exec(&txn)
        .await?;
    let counts = Query::select()
        .expr(Expr::val(horizon.as_i32()))
        .column(obligation::Column::Status)
        .expr(Func::count(Expr::col(obligation::Column::Id)))
        .expr(Expr::val("evaluation"))
        .expr(Expr::val(rule_version))
        .expr(Expr::val(Utc::now()))
        .from(obligation::Entity)
        .group_by_col(obligation::Column::Status)
        .to_owned();
    let insert = Query::insert()
        .into_table(month::Entity)
        .columns([
            month::Column::Period,
            month::Column::Status,
            month::Column::Graduates,
            month::Column::Source,
            month::Column::RuleVersion,
            month::Column::RecordedAt,
        ])
        .select_from(counts)
        .map_err(adal_core::error::ApiError::internal)?
        .to_owned();
    txn.execute(&insert).await?;
    txn.commit().await?;
    Ok(())
}

/// Reconstructs the `months` months before the horizon that have no figures yet; returns how
/// many it reconstructed.
pub async fn reconstruct(db: &DatabaseConnection, months: u32) -> ApiResult<u32> {
    let book = rule_book(db).await?;
    let latest = horizon(db).await?.feed;
    let mut done = 0;
    for back in 1..=months as i32 {
        let at = latest.plus(-back);
        let known = month::Entity::find()
            .filter(month::Column::Period.eq(at.as_i32()))
            .count(db)
            .await?;
        if known > 0 {
            continue;
        }
        let counts = statuses_at(db, &book, at).await?;
        let version = book.at(at).version;
        let now = Utc::now();
        let rows: Vec<month::ActiveModel> = counts
            .into_iter()
            .map(|(status, n)| month::ActiveModel {
                period: Set(at.as_i32()),
                status: Set(status.to_owned()),
                graduates: Set(n as i64),
                source: Set("reconstruction".into()),
                rule_version: Set(version),
                recorded_at: Set(now),
            })
            .collect();
        if !rows.is_empty() {
            month::Entity::insert_many(rows).exec(db).await?;
        }
        done += 1;
    }
    Ok(done)
}

/// The figures of the last `months` months that have any, oldest first: each month with its
/// (status, graduates) pairs.
pub async fn months(
    db: &DatabaseConnection,
    months: u32,
) -> ApiResult<Vec<(Period, Vec<(String, i64)>)>> {
    let latest = horizon(db).await?.feed;
    let from = latest.plus(1 - months as i32);
    let rows = month::Entity::find()
        .filter(month::Column::Period.gte(from.as_i32()))
        .filter(month::Column::Period.lte(latest.as_i32()))
        .order_by_asc(month::Column::Period)
        .order_by_asc(month::Column::Status)
        .all(db)
        .await?;
    let mut by_month: BTreeMap<i32, Vec<(String, i64)>> = BTreeMap::new();
    for r in rows {
        by_month
            .entry(r.period)
            .or_default()
            .push((r.status, r.graduates));
    }
    Ok(by_month
        .into_iter()
        .filter_map(|(p, counts)| Period::from_i32(p).map(|p| (p, counts)))
        .collect())
}
