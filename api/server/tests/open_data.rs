#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail by panicking
//! The open figures: read without signing in, as GraphQL and as CSV, with counts of fewer
//! than ten persons hidden together with the cells that would give them away.

use crate::common;

use chrono::Utc;
use common::*;
use entities::{organisation, region};
use sea_orm::{ActiveModelTrait, Set};
use serde_json::{Value, json};

const FIGURES: &str = "query($l: Language) { openFigures(language: $l) { computedAt minCell \
    tables { id rowKind columnKind amountKind method hidden \
    rows { code name } columns { code name } \
    cells { persons amount } rowTotals { persons amount } columnTotals { persons amount } \
    total { persons amount } } } }";

/// The persons of a table's cell by its row and column codes (`TOTAL` for a total).
fn persons(table: &Value, row: &str, column: &str) -> Value {
    let at = |headings: &str, code: &str| {
        table[headings]
            .as_array()
            .unwrap()
            .iter()
            .position(|h| h["code"] == code)
    };
    let cell = match (at("rows", row), at("columns", column)) {
        (Some(i), Some(j)) => &table["cells"][i][j],
        (Some(i), None) => &table["rowTotals"][i],
        (None, Some(j)) => &table["columnTotals"][j],
        (None, None) => &table["total"],
    };
    cell["persons"].clone()
}

#[tokio::test(flavor = "multi_thread")]
async fn anyone_reads_the_open_figures_with_small_counts_hidden() {
    let app = spawn_app().await;
    let now = Utc::now();
    region::ActiveModel {
        kato: Set("710000000".into()),
        name_kk: Set("Астана".into()),
        name_ru: Set("Астана".into()),
        name_en: Set("Astana".into()),
    }
    .insert(&app.db)
    .await
    .unwrap();
    let university = organisation::ActiveModel {
        bin: Set("990140004654".into()),
        kind: Set("university".into()),
        name_kk: Set("Университет".into()),
        name_ru: Set("Университет".into()),
        name_en: Set("University".into()),
        region_kato: Set(Some("710000000".into())),
        needs_classification: Set(false),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .unwrap()
    .id;
    // Graduated in 2011: 40 working, 15 in a gap, 3 in breach; in 2012: 25 working, 12 in a
    // gap. All from Astana.
    for (n, status, year) in [
        (40, "working", 2011),
        (15, "gap", 2011),
        (3, "breach", 2011),
        (25, "working", 2012),
        (12, "gap", 2012),
    ] {
        adal_testkit::fakes::insert_graduates(&app.db, n, university, status, year)
            .await
            .unwrap();
    }

    let r = gql(&app, None, FIGURES, json!({ "l": "EN" })).await;
    let figures = &r.ok()["openFigures"];
    assert_eq!(figures["minCell"], 10);
    let tables = figures["tables"].as_array().unwrap();
    let ids: Vec<&str> = tables.iter().map(|t| t["id"].as_str().unwrap()).collect();
    assert_eq!(
        ids,
        [
            "graduates-by-region",
            "graduates-by-year",
            "graduates-by-funding",
            "vouchers-by-direction",
            "vouchers-by-category",
            "vouchers-paid-by-month",
            "free-meals-cost-by-month",
            "free-meals-served-by-month",
            "contest-cases-by-body",
        ]
    );
    for t in tables {
        assert!(t["method"].as_str().unwrap().len() > 40, "{}", t["id"]);
        // Nothing shown counts between one and nine persons.
        let shown = t["cells"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|r| r.as_array().unwrap().iter())
            .chain(t["rowTotals"].as_array().unwrap())
            .chain(t["columnTotals"].as_array().unwrap())
            .chain(std::iter::once(&t["total"]));
        for v in shown {
            if let Some(n) = v["persons"].as_i64() {
                assert!(n == 0 || n >= 10, "{} shows {n}", t["id"]);
            }
        }
    }

    let by_year = tables
        .iter()
        .find(|t| t["id"] == "graduates-by-year")
        .unwrap();
    assert_eq!(
        (&by_year["rowKind"], &by_year["columnKind"]),
        (&json!("year"), &json!("status"))
    );
    // 2011: the 3 in breach are hidden, and so is the gap (15): else 58 - 40 gives the 3.
    assert_eq!(persons(by_year, "2011", "WORKING"), 40);
    assert_eq!(persons(by_year, "2011", "BREACH"), Value::Null);
    assert_eq!(persons(by_year, "2011", "GAP"), Value::Null);
    assert_eq!(persons(by_year, "2011", "TOTAL"), 58);
    assert_eq!(persons(by_year, "2011", "FULFILLED"), 0);
    // 2012 has no small count, and is shown whole.
    assert_eq!(persons(by_year, "2012", "WORKING"), 25);
    assert_eq!(persons(by_year, "2012", "GAP"), 12);
    assert_eq!(persons(by_year, "2012", "TOTAL"), 37);
    // The breach column's total is the hidden 3 itself; the gap column's would give it away
    // from the grand total.
    assert_eq!(persons(by_year, "TOTAL", "BREACH"), Value::Null);
    assert_eq!(persons(by_year, "TOTAL", "GAP"), Value::Null);
    assert_eq!(persons(by_year, "TOTAL", "WORKING"), 65);
    assert_eq!(persons(by_year, "TOTAL", "TOTAL"), 95);
    assert_eq!(by_year["hidden"], 4);

    let by_region = tables
        .iter()
        .find(|t| t["id"] == "graduates-by-region")
        .unwrap();
    assert_eq!(
        by_region["rows"][0],
        json!({ "code": "710000000", "name": "Astana" })
    );
    assert_eq!(
        by_region["rows"][1],
        json!({ "code": "UNKNOWN", "name": null })
    );
    assert_eq!(persons(by_region, "710000000", "WORKING"), 65);
    assert_eq!(persons(by_region, "710000000", "BREACH"), Value::Null);
    assert_eq!(persons(by_region, "710000000", "GAP"), Value::Null);
    assert_eq!(persons(by_region, "710000000", "TOTAL"), 95);

    // The same table as a file, without signing in, names in Kazakh.
    let res = reqwest::get(format!(
        "{}/open-data/graduates-by-year.csv?lang=kk",
        app.address
    ))
    .await
    .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(
        res.headers()["content-type"].to_str().unwrap(),
        "text/csv; charset=utf-8"
    );
    let csv = res.text().await.unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines[0], "year,year_name,status,status_name,persons,amount");
    assert!(lines.contains(&"2011,,WORKING,,40,"), "{csv}");
    assert!(lines.contains(&"2011,,BREACH,,,"), "{csv}");
    assert!(lines.contains(&"TOTAL,,TOTAL,,95,"), "{csv}");
    let res = reqwest::get(format!(
        "{}/open-data/graduates-by-region.csv?lang=kk",
        app.address
    ))
    .await
    .unwrap();
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("710000000,Астана,WORKING,,65,")
    );

    let res = reqwest::get(format!("{}/open-data/salaries.csv", app.address))
        .await
        .unwrap();
    assert_eq!(res.status(), 404);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["error"]["code"], "NOT_FOUND");
}
