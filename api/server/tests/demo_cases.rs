#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail by panicking
//! The demo's cases of the rules over time, as a new user meets them on the operator's card
//! and on the graduate's own page: an open-ended exemption, a village made urban, a PhD at a
//! Nazarbayev Intellectual School, and a contract accepted after a 512. The demo's feeds run
//! to `last`, the month before this one (2026-11 when this was written, in December 2026).

use crate::common;

use adal_obligations::period::Period;
use chrono::Utc;
use common::*;
use serde_json::{Value, json};

const CARD: &str = "query($g: ID!) { graduate(id: $g) { obligation { status creditedMonths requiredMonths projectedCompletion } ledger { period state source employer { bin } } applications { ground status periodStart periodEnd documents { fileName downloadPath } } tasks { status documents { fileName } } documentEvidence { fromMonth toMonth } } }";

fn last() -> Period {
    Period::of_date(Utc::now().date_naive()).plus(-1)
}

fn p(y: i32, m: u32) -> Period {
    Period::new(y, m).unwrap()
}

/// (period, state, source) of each ledger month from `from` to `to`.
fn months(ledger: &Value, from: Period, to: Period) -> Vec<(String, String, Value)> {
    ledger
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| {
            let at = Period::parse(m["period"].as_str().unwrap()).unwrap();
            from <= at && at <= to
        })
        .map(|m| {
            (
                m["period"].as_str().unwrap().to_owned(),
                m["state"].as_str().unwrap().to_owned(),
                m["source"].clone(),
            )
        })
        .collect()
}

/// Every month from `from` to `to` in `state`, from `source`.
fn run_of(from: Period, to: Period, state: &str, source: Value) -> Vec<(String, String, Value)> {
    let mut out = Vec::new();
    let mut at = from;
    while at <= to {
        out.push((at.to_string(), state.to_owned(), source.clone()));
        at = at.next();
    }
    out
}

async fn card(app: &adal_testkit::TestApp, admin: &str, last_name: &str) -> Value {
    let g = graduate_id(app, admin, last_name).await;
    gql(app, Some(admin), CARD, json!({ "g": g })).await.ok()["graduate"].clone()
}

#[tokio::test(flavor = "multi_thread")]
async fn the_demo_shows_each_case_with_the_status_and_months_its_rules_give() {
    let app = spawn_app_with_demo().await;
    let admin = token(&app, "admin").await;
    let feed = json!("PENSION_FEED");

    // Байжанов Ержан, state order, technical (any employer qualifies), graduated 2024-06:
    // Dala Agro paid 2024-09..2025-02 (6 credited); contract military service from
    // 2025-03-01 with no end, approved by the three commission members: every month from
    // March 2025 is EXEMPT and so is he, with no projected completion.
    let c = card(&app, &admin, "Байжанов").await;
    assert_eq!(c["obligation"]["status"], "EXEMPT", "{c}");
    assert_eq!(c["obligation"]["creditedMonths"], 6);
    assert_eq!(c["obligation"]["projectedCompletion"], Value::Null);
    let a = &c["applications"][0];
    assert_eq!(a["ground"], "CONTRACT_MILITARY_SERVICE");
    assert_eq!(a["status"], "APPROVED");
    assert_eq!(a["periodStart"], "2025-03-01");
    assert_eq!(a["periodEnd"], Value::Null);
    // Its contract downloads, as a PDF.
    let path = a["documents"][0]["downloadPath"].as_str().unwrap();
    let r = reqwest::Client::new()
        .get(format!("{}{path}", app.address))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert!(r.bytes().await.unwrap().starts_with(b"%PDF-1.4"));
    assert_eq!(
        months(&c["ledger"], p(2024, 9), last()),
        [
            run_of(p(2024, 9), p(2025, 2), "CREDITED", feed.clone()),
            run_of(p(2025, 3), last(), "EXEMPT", Value::Null),
        ]
        .concat()
    );

    // Мұқанова Жанар, rural quota, pedagogical: taught at the Akzhar school from 2024-09 to
    // `last`. The localities import made Akzhar urban from 2026-01-01: 2024-09..2025-12 (16
    // months) were worked while it was rural and stay credited; 2026-01..last at the same
    // school are NON_QUALIFYING (11 in December 2026), the latest month without credit.
    let c = card(&app, &admin, "Мұқанова").await;
    assert_eq!(c["obligation"]["status"], "NON_QUALIFYING", "{c}");
    assert_eq!(c["obligation"]["creditedMonths"], 16);
    assert_eq!(
        months(&c["ledger"], p(2024, 9), last()),
        [
            run_of(p(2024, 9), p(2025, 12), "CREDITED", feed.clone()),
            run_of(p(2026, 1), last(), "NON_QUALIFYING", feed.clone()),
        ]
        .concat()
    );
    // The village's history names both flags, with the date of the change.
    let r = gql(
        &app,
        Some(&admin),
        "{ localities(first: 100) { nodes { kato history { effectiveFrom rural } } } }",
        json!({}),
    )
    .await;
    let village = r.ok()["localities"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["kato"] == "116657100")
        .cloned()
        .unwrap();
    let history: Vec<(String, bool)> = village["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| {
            (
                h["effectiveFrom"].as_str().unwrap().to_owned(),
                h["rural"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        history.last(),
        Some(&("2026-01-01".to_owned(), false)),
        "{village}"
    );
    assert!(history.iter().any(|(_, rural)| *rural), "{village}");

    // Әбенов Нұрлан, PhD, defended 2024-12-20: his obligation starts in January 2025, and
    // the Nazarbayev Intellectual School that paid him from then to `last` qualifies.
    let c = card(&app, &admin, "Әбенов").await;
    assert_eq!(
        months(&c["ledger"], p(2025, 1), last()),
        run_of(p(2025, 1), last(), "CREDITED", feed.clone())
    );
    assert_eq!(
        months(&c["ledger"], p(2024, 1), p(2024, 12)),
        [],
        "nothing before the month after the defence"
    );
    let credited = c["obligation"]["creditedMonths"].as_i64().unwrap();
    let required = c["obligation"]["requiredMonths"].as_i64().unwrap();
    let expected = if credited >= required {
        "FULFILLED"
    } else {
        "WORKING"
    };
    assert_eq!(c["obligation"]["status"], expected, "{c}");

    // Сейітова Гүлнар, rural quota, medical: she answered the pension-data request with 512,
    // uploaded her contract with the Shortandy district hospital (a rural settlement), and the
    // administrator accepted it for 2024-09..last: every one of those months is credited by
    // DOCUMENT (27 in December 2026), WORKING.
    let c = card(&app, &admin, "Сейітова").await;
    assert_eq!(c["obligation"]["status"], "WORKING", "{c}");
    let proven = months(&c["ledger"], p(2024, 9), last());
    assert_eq!(
        proven,
        run_of(p(2024, 9), last(), "CREDITED", json!("DOCUMENT"))
    );
    assert_eq!(
        c["obligation"]["creditedMonths"].as_i64().unwrap(),
        proven.len() as i64
    );
    assert_eq!(c["tasks"][0]["status"], "ACCEPTED");
    assert_eq!(c["documentEvidence"][0]["fromMonth"], "2024-09");
    assert_eq!(c["documentEvidence"][0]["toMonth"], last().to_string());

    // Her own page, signed in as `graduate.contract`: the same status and months, and the
    // contract she sent, accepted.
    let me = token(&app, "graduate.contract").await;
    let r = gql(
        &app,
        Some(&me),
        "{ myObligations { obligation { status creditedMonths } ledger { period state source } } myTasks { status documents { fileName } } }",
        json!({}),
    )
    .await;
    let mine = r.ok();
    let o = &mine["myObligations"][0];
    assert_eq!(o["obligation"]["status"], "WORKING");
    assert_eq!(o["obligation"]["creditedMonths"], proven.len() as i64);
    assert_eq!(months(&o["ledger"], p(2024, 9), last()), proven);
    assert_eq!(mine["myTasks"][0]["status"], "ACCEPTED");
    assert_eq!(
        mine["myTasks"][0]["documents"][0]["fileName"],
        "employment-contract.pdf"
    );
}

/// A localities import re-evaluates the graduates known only by a document, too: Сейітова's
/// months at the Shortandy district hospital come from her accepted contract alone (no feed
/// pays them). Shortandy made urban from June 2026: on the rural quota, 2026-06..last no
/// longer count (6 in December 2026); 2024-09..2026-05 (21 months) stay credited.
#[tokio::test(flavor = "multi_thread")]
async fn a_localities_import_re_evaluates_a_graduate_known_by_a_document() {
    let app = spawn_app_with_demo().await;
    let admin = token(&app, "admin").await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("shortandy-urban.csv");
    std::fs::write(
        &file,
        "kato,region_kato,name_kk,name_ru,name_en,rural,effective_from\n\
         116430100,110000000,Шортанды кенті,поселок Шортанды,Shortandy settlement,false,2026-06-01\n",
    )
    .unwrap();
    let report = adal_obligations::import::import_file(
        &app.db,
        adal_obligations::import::ImportKind::Localities,
        &file,
        None,
    )
    .await
    .unwrap();
    assert_eq!(report.rejected, 0);
    // Омаров, paid by the hospital in 2024-25, and Сейітова, by her contract.
    assert_eq!(report.evaluated, 2);

    let c = card(&app, &admin, "Сейітова").await;
    let document = json!("DOCUMENT");
    assert_eq!(
        months(&c["ledger"], p(2024, 9), last()),
        [
            run_of(p(2024, 9), p(2026, 5), "CREDITED", document.clone()),
            run_of(p(2026, 6), last(), "NON_QUALIFYING", document),
        ]
        .concat()
    );
    assert_eq!(c["obligation"]["creditedMonths"], 21);
    assert_eq!(c["obligation"]["status"], "NON_QUALIFYING", "{c}");
}
