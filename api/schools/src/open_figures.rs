//! The open figures of school meals (no sign-in): pupils who ate a free meal, by the school's
//! region and month, with the meals served and their cost. Counts under ten pupils are hidden,
//! with the cells that would give them away ([`adal_core::disclosure`]).

use std::collections::BTreeSet;

use sea_orm::ConnectionTrait;

use adal_core::disclosure::{Counts, OpenHeading, region_headings};
use adal_core::error::ApiResult;
use adal_core::sql::Binds;
use adal_core::vocab::Language;

use crate::vocab::MealCharge;

const METHOD_COST: &str = "Pupils who ate at least one free meal in the month at a school of \
    the region, each counted once per month; the amount is the cost of the free meals served, \
    in tenge, as the canteen recorded it at the till.";
const METHOD_MEALS: &str = "Pupils who ate at least one free meal in the month at a school of \
    the region, each counted once per month; the amount is the number of free meals served.";

/// `free-meals-cost-by-month` and `free-meals-served-by-month`.
pub async fn tables(db: &impl ConnectionTrait, language: Language) -> ApiResult<Vec<Counts>> {
    let mut b = Binds::new(db.get_database_backend());
    let free = b.push(MealCharge::Free.as_str());
    // The month is the first seven characters of the day in both databases' text form.
    let sql = format!(
        "SELECT o.region_kato AS region, SUBSTR(CAST(m.day AS TEXT), 1, 7) AS month, \
         COUNT(DISTINCT m.person_id) AS n, COUNT(*) AS meals, \
         CAST(SUM(m.cost) AS BIGINT) AS cost \
         FROM school_meal m JOIN organisation o ON o.id = m.school_id \
         WHERE m.charge = {free} \
         GROUP BY o.region_kato, SUBSTR(CAST(m.day AS TEXT), 1, 7)"
    );
    let mut rows = Vec::new();
    for r in db.query_all_raw(b.statement(sql)).await? {
        let region: Option<String> = r.try_get("", "region")?;
        let month: String = r.try_get("", "month")?;
        let n: i64 = r.try_get("", "n")?;
        let meals: i64 = r.try_get("", "meals")?;
        let cost: i64 = r.try_get("", "cost")?;
        rows.push((region, month, n, meals, cost));
    }
    let months: BTreeSet<&str> = rows.iter().map(|r| r.1.as_str()).collect();
    let regions = region_headings(db, language).await?;
    let table = |id, amount, method| {
        Counts::new(
            id,
            ("region", regions.clone()),
            (
                "month",
                months.iter().map(|m| OpenHeading::coded(*m)).collect(),
            ),
            Some(amount),
            method,
        )
    };
    let mut cost = table("free-meals-cost-by-month", "tenge", METHOD_COST);
    let mut served = table("free-meals-served-by-month", "meals", METHOD_MEALS);
    for (region, month, n, meals, c) in &rows {
        let region = region.as_deref().unwrap_or(adal_core::disclosure::UNKNOWN);
        cost.add(region, month, *n, *c);
        served.add(region, month, *n, *meals);
    }
    Ok(vec![cost, served])
}
