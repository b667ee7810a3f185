//! The open figures of the graduates under monitoring (no sign-in): how many stand in each
//! status, by home region, by year of graduation and by grant category. Counts of fewer than
//! ten graduates are hidden, with the cells that would give them away
//! ([`adal_core::disclosure`]).

use std::collections::BTreeSet;

use sea_orm::{ConnectionTrait, Statement};

use adal_core::disclosure::{Counts, OpenHeading, UNKNOWN, region_headings};
use adal_core::error::ApiResult;
use adal_core::vocab::Language;

use crate::vocab::{FundingCategory, ObligationStatus};

const METHOD_STATUS: &str = "Graduates who studied on a state grant and hold an obligation to \
    work it off, counted once each, by the status of their obligation as last evaluated \
    (evaluated from the monthly pension contribution records).";

/// One group of obligations: their status, the graduate's home region, year of graduation and
/// grant category, and how many.
struct Group {
    status: String,
    region: Option<String>,
    year: String,
    funding: String,
    n: i64,
}

async fn groups(db: &impl ConnectionTrait) -> ApiResult<Vec<Group>> {
    // The year is the first four characters of the date in both databases' text form.
    let sql = "SELECT o.status AS status, g.home_region_kato AS region, \
               SUBSTR(CAST(g.graduation_date AS TEXT), 1, 4) AS year, \
               g.funding_category AS funding, COUNT(*) AS n \
               FROM obligation o JOIN graduate g ON g.id = o.graduate_id \
               GROUP BY o.status, g.home_region_kato, \
               SUBSTR(CAST(g.graduation_date AS TEXT), 1, 4), g.funding_category";
    let rows = db
        .query_all_raw(Statement::from_string(db.get_database_backend(), sql))
        .await?;
    rows.iter()
        .map(|r| {
            Ok(Group {
                status: r.try_get("", "status")?,
                region: r.try_get("", "region")?,
                year: r.try_get("", "year")?,
                funding: r.try_get("", "funding")?,
                n: r.try_get("", "n")?,
            })
        })
        .collect()
}

/// A stored value as the schema spells it (`working`: `WORKING`).
fn schema_code(s: &str) -> String {
    s.to_uppercase()
}

/// The three tables: `graduates-by-region`, `graduates-by-year`, `graduates-by-funding`; each
/// a row per region (year, category) and a column per status.
pub async fn tables(db: &impl ConnectionTrait, language: Language) -> ApiResult<Vec<Counts>> {
    let groups = groups(db).await?;
    let statuses: Vec<OpenHeading> = ObligationStatus::ALL
        .iter()
        .map(|s| OpenHeading::coded(schema_code(s.as_str())))
        .collect();
    let years: BTreeSet<&str> = groups.iter().map(|g| g.year.as_str()).collect();
    let mut by_region = Counts::new(
        "graduates-by-region",
        ("region", region_headings(db, language).await?),
        ("status", statuses.clone()),
        None,
        METHOD_STATUS,
    );
    let mut by_year = Counts::new(
        "graduates-by-year",
        (
            "year",
            years.iter().map(|y| OpenHeading::coded(*y)).collect(),
        ),
        ("status", statuses.clone()),
        None,
        METHOD_STATUS,
    );
    let mut by_funding = Counts::new(
        "graduates-by-funding",
        (
            "funding",
            FundingCategory::ALL
                .iter()
                .map(|f| OpenHeading::coded(schema_code(f.as_str())))
                .collect(),
        ),
        ("status", statuses),
        None,
        METHOD_STATUS,
    );
    for g in &groups {
        let status = schema_code(&g.status);
        by_region.add(g.region.as_deref().unwrap_or(UNKNOWN), &status, g.n, 0);
        by_year.add(&g.year, &status, g.n, 0);
        by_funding.add(&schema_code(&g.funding), &status, g.n, 0);
    }
    Ok(vec![by_region, by_year, by_funding])
}
