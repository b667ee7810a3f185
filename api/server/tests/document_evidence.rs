#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail by panicking
//! Documents as evidence: a graduate who refused the pension-data request (512) uploads an
//! employment contract, the operator accepts it with the employer and the months it proves, and
//! those months count in the ledger (source `DOCUMENT`) through the same rules as paid months,
//! on the operator's card and on the graduate's own page.

use crate::common;

use adal_obligations::period::Period;
use adal_obligations::vocab::{TASK_UPLOAD_EMPLOYMENT_DOCUMENTS, TaskStatus};
use adal_testkit::TestApp;
use chrono::Utc;
use common::*;
use entities::{contribution, graduate, graduate_task, organisation, person};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
use serde_json::{Value, json};

const CARD: &str = "query($g: ID!) { graduate(id: $g) { obligation { status creditedMonths } ledger { period state source employer { bin } } documentEvidence { employerBin employer { bin } fromMonth toMonth acceptedAt } tasks { id status } } }";

const REVIEW: &str = "mutation($t: ID!, $b: String, $f: String, $to: String) { reviewTask(taskId: $t, accept: true, note: \"договор принят\", employerBin: $b, fromMonth: $f, toMonth: $to) { status } }";

/// The last month the demo's feeds cover: the month before this one.
fn last() -> Period {
    Period::of_date(Utc::now().date_naive()).plus(-1)
}

async fn bin_of(app: &TestApp, name_en: &str) -> String {
    organisation::Entity::find()
        .filter(organisation::Column::NameEn.eq(name_en))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .bin
}

async fn person_of(app: &TestApp, graduate_id: i64) -> person::Model {
    let g = graduate::Entity::find_by_id(graduate_id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    person::Entity::find_by_id(g.person_id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
}

/// The upload task a 512 refusal opens (the consent flow itself is `notifications.rs`'s).
async fn task(app: &TestApp, graduate_id: i64, status: TaskStatus) -> String {
    let p = person_of(app, graduate_id).await;
    let t = graduate_task::ActiveModel {
        graduate_id: Set(graduate_id),
        person_id: Set(p.id),
        kind: Set(TASK_UPLOAD_EMPLOYMENT_DOCUMENTS.into()),
        status: Set(status.as_str().into()),
        consent_request_id: Set(None),
        note: Set(String::new()),
        review_note: Set(String::new()),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .unwrap();
    t.id.to_string()
}

async fn card(app: &TestApp, admin: &str, g: &str) -> Value {
    gql(app, Some(admin), CARD, json!({ "g": g })).await.ok()["graduate"].clone()
}

/// The ledger month `p` of a card or page.
fn month(ledger: &Value, p: Period) -> Value {
    ledger
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["period"] == p.to_string())
        .cloned()
        .unwrap_or_else(|| panic!("no month {p} in {ledger}"))
}

#[tokio::test(flavor = "multi_thread")]
async fn an_accepted_contract_credits_the_months_it_proves() {
    let app = spawn_app_with_demo().await;
    let admin = token(&app, "admin").await;
    let g = graduate_id(&app, &admin, "Ахметов").await;
    let gid: i64 = g.parse().unwrap();
    let agro = bin_of(&app, "Dala Agro LLP").await;
    // Ахметов (state order, technical: any employer qualifies; 36 months from 2024-09)
    // refused the pension-data request: the feed has nothing for him. The other demo
    // graduates' feeds run to `last` (the month before this one), so the horizon is `last`.
    // 2024-09..last is 27 months when this was written in December 2026 (last = 2026-11),
    // all gaps: 27 > the breach limit of 12, BREACH, 0 credited.
    let iin = person_of(&app, gid).await.iin;
    contribution::Entity::delete_many()
        .filter(contribution::Column::Iin.eq(iin))
        .exec(&app.db)
        .await
        .unwrap();
    adal_obligations::evaluate::evaluate_graduates(&app.db, &[gid])
        .await
        .unwrap();
    let c = card(&app, &admin, &g).await;
    assert_eq!(c["obligation"]["status"], "BREACH");
    assert_eq!(c["obligation"]["creditedMonths"], 0);
    assert_eq!(month(&c["ledger"], last())["source"], Value::Null);

    // He uploads his employment contract on his own page.
    let t = task(&app, gid, TaskStatus::Open).await;
    let me = token(&app, "graduate").await;
    let r = gql_upload(
        &app,
        &me,
        "mutation($t: ID!, $d: [Upload!]!) { submitTask(taskId: $t, note: \"трудовой договор\", documents: $d) { status } }",
        json!({ "t": t, "d": [null] }),
        vec![("variables.d.0", "contract.pdf", b"%PDF-1.4 contract".to_vec())],
    )
    .await;
    assert_eq!(r.ok()["submitTask"]["status"], "SUBMITTED");

    // Accepting without the employer and the months is refused, and nothing changes.
    let r = gql(
        &app,
        Some(&admin),
        "mutation($t: ID!) { reviewTask(taskId: $t, accept: true) { status } }",
        json!({ "t": t }),
    )
    .await;
    assert_eq!(r.code().as_deref(), Some("BAD_USER_INPUT"), "{}", r.body);
    assert_eq!(r.body["errors"][0]["extensions"]["field"], "employerBin");
    let msg = r.body["errors"][0]["message"].as_str().unwrap();
    assert!(msg.contains("BIN") && msg.contains("month"), "{msg}");
    // Half a proof, a wrong check digit, months backwards or still to come: refused too.
    let wrong_digit = format!("{}{}", &agro[..11], (agro.as_bytes()[11] - b'0' + 1) % 10);
    let next = Period::of_date(Utc::now().date_naive()).next();
    for (b, f, to, field) in [
        (agro.clone(), last().to_string(), String::new(), "toMonth"),
        (
            wrong_digit,
            last().to_string(),
            last().to_string(),
            "employerBin",
        ),
        (
            agro.clone(),
            last().to_string(),
            last().plus(-1).to_string(),
            "toMonth",
        ),
        (
            agro.clone(),
            last().to_string(),
            next.to_string(),
            "toMonth",
        ),
    ] {
        let r = gql(
            &app,
            Some(&admin),
            REVIEW,
            json!({ "t": t, "b": b, "f": f, "to": to }),
        )
        .await;
        assert_eq!(r.code().as_deref(), Some("BAD_USER_INPUT"), "{}", r.body);
        assert_eq!(
            r.body["errors"][0]["extensions"]["field"], field,
            "{}",
            r.body
        );
    }
    let c = card(&app, &admin, &g).await;
    assert_eq!(c["tasks"][0]["status"], "SUBMITTED");
    assert_eq!(c["documentEvidence"], json!([]));

    // The operator accepts the contract with Dala Agro for the last six months,
    // last-5..last: those 6 months are credited by document; the run without work at the end
    // is 0 (the 21 months before them stay gaps in December 2026): WORKING, 6 of 36.
    let from = last().plus(-5);
    let r = gql(
        &app,
        Some(&admin),
        REVIEW,
        json!({ "t": t, "b": agro, "f": from.to_string(), "to": last().to_string() }),
    )
    .await;
    assert_eq!(r.ok()["reviewTask"]["status"], "ACCEPTED");
    let c = card(&app, &admin, &g).await;
    assert_eq!(c["obligation"]["status"], "WORKING");
    assert_eq!(c["obligation"]["creditedMonths"], 6);
    for i in 0..6 {
        let m = month(&c["ledger"], from.plus(i));
        assert_eq!(m["state"], "CREDITED", "{m}");
        assert_eq!(m["source"], "DOCUMENT", "{m}");
        assert_eq!(m["employer"]["bin"], agro.as_str());
    }
    let before = month(&c["ledger"], from.plus(-1));
    assert_eq!(before["state"], "GAP");
    assert_eq!(before["source"], Value::Null);
    let ev = &c["documentEvidence"];
    assert_eq!(ev.as_array().unwrap().len(), 1);
    assert_eq!(ev[0]["employerBin"], agro.as_str());
    assert_eq!(ev[0]["employer"]["bin"], agro.as_str());
    assert_eq!(ev[0]["fromMonth"], from.to_string());
    assert_eq!(ev[0]["toMonth"], last().to_string());
    assert!(ev[0]["acceptedAt"].is_string());

    // The graduate's own page shows the same status and months.
    let r = gql(
        &app,
        Some(&me),
        "{ myObligations { obligation { status creditedMonths } ledger { period state source } } }",
        json!({}),
    )
    .await;
    let mine = &r.ok()["myObligations"][0];
    assert_eq!(mine["obligation"]["status"], "WORKING");
    assert_eq!(mine["obligation"]["creditedMonths"], 6);
    assert_eq!(month(&mine["ledger"], last())["source"], "DOCUMENT");
    assert_eq!(month(&mine["ledger"], from)["state"], "CREDITED");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_document_from_an_employer_that_does_not_qualify_credits_nothing() {
    let app = spawn_app_with_demo().await;
    let admin = token(&app, "admin").await;
    let g = graduate_id(&app, &admin, "Омаров").await;
    let gid: i64 = g.parse().unwrap();
    let agro = bin_of(&app, "Dala Agro LLP").await;
    // Омаров (state order, medical: only health organisations qualify) worked at the district
    // hospital 2024-09..2025-02 (6 credited), nothing since: 2025-03..last is 21 months in
    // December 2026 > 12: BREACH.
    let c = card(&app, &admin, &g).await;
    assert_eq!(c["obligation"]["status"], "BREACH");
    assert_eq!(c["obligation"]["creditedMonths"], 6);
    // A certificate from Dala Agro (an ordinary employer) for last-2..last: those 3 months
    // are NON_QUALIFYING by document; 2025-03..last are still months without qualifying work
    // (gaps and non-qualifying months alike): still BREACH, still 6 credited.
    let t = task(&app, gid, TaskStatus::Submitted).await;
    let from = last().plus(-2);
    let r = gql(
        &app,
        Some(&admin),
        REVIEW,
        json!({ "t": t, "b": agro, "f": from.to_string(), "to": last().to_string() }),
    )
    .await;
    assert_eq!(r.ok()["reviewTask"]["status"], "ACCEPTED");
    let c = card(&app, &admin, &g).await;
    assert_eq!(c["obligation"]["status"], "BREACH");
    assert_eq!(c["obligation"]["creditedMonths"], 6);
    for i in 0..3 {
        let m = month(&c["ledger"], from.plus(i));
        assert_eq!(m["state"], "NON_QUALIFYING", "{m}");
        assert_eq!(m["source"], "DOCUMENT", "{m}");
        assert_eq!(m["employer"]["bin"], agro.as_str());
    }
    // The hospital's months keep the pension feed as their source.
    assert_eq!(
        month(&c["ledger"], Period::new(2024, 9).unwrap())["source"],
        "PENSION_FEED"
    );

    // A contract with an employer Adal does not know: it is created waiting for
    // classification, and its months (last-4..last-3) are pending, neither credit nor gap.
    let unknown = (0..100)
        .find_map(|n| adal_core::identifiers::with_check_digit(&format!("987654000{n:02}")))
        .unwrap();
    let t = task(&app, gid, TaskStatus::Submitted).await;
    let r = gql(
        &app,
        Some(&admin),
        REVIEW,
        json!({ "t": t, "b": unknown, "f": last().plus(-4).to_string(), "to": last().plus(-3).to_string() }),
    )
    .await;
    assert_eq!(r.ok()["reviewTask"]["status"], "ACCEPTED");
    let org = organisation::Entity::find()
        .filter(organisation::Column::Bin.eq(unknown.clone()))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert!(org.needs_classification);
    let c = card(&app, &admin, &g).await;
    let m = month(&c["ledger"], last().plus(-4));
    assert_eq!(m["state"], "PENDING_CLASSIFICATION", "{m}");
    assert_eq!(m["source"], "DOCUMENT");
    assert_eq!(c["obligation"]["status"], "BREACH");
    assert_eq!(c["documentEvidence"].as_array().unwrap().len(), 2);
}
