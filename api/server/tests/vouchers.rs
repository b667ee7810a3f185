#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail by panicking
//! Vouchers (issue 15): an akimat officer runs a campaign from its priority table to the
//! allocation; parents apply and see what their rank is made of; anyone verifies the published
//! allocation; a declined voucher goes to the next child in the queue at once.

use crate::common;

use adal_testkit::TestApp;
use common::*;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use std::collections::HashMap;

const TABLE: &str = "mutation($i: VoucherPriorityTableInput!) { createVoucherPriorityTable(input: $i) { id version weights { category weight } ties } }";
const OPEN: &str = "mutation($i: VoucherCampaignInput!) { openVoucherCampaign(input: $i) { id status seedCommitment seed available } }";
const APPLY: &str = "mutation($i: VoucherApplicationInput!) { applyForVoucher(input: $i) { id status receipt { salt childHash } categories { id category weight status } } }";
const DECIDE: &str = "mutation($id: ID!, $c: Boolean!, $r: String) { decideVoucherCategory(id: $id, confirm: $c, reason: $r) { status reason } }";
const RUN: &str = "mutation($c: ID!) { runVoucherAllocation(campaignId: $c) { id issued cutoffScore committed sha256 downloadUrl } }";
const MINE: &str = "{ myVoucherApplications { id status score rank childrenAhead reason receipt { salt childHash } categories { category weight status reason } voucher { id status monthlyValue firstMonth lastMonth committed } campaign { cutoffScore } } }";
const CAMPAIGN: &str = "query($id: ID!) { voucherCampaign(id: $id) { status budget committed freed available seed seedCommitment cutoffScore allocations { trigger issued } } }";

/// An IIN as the demo data makes it: birth date, century and sex, the first serial from
/// `serial` that gives a valid check digit.
fn demo_iin(birth: &str, century_sex: char, serial: u32) -> String {
    (serial..serial + 1000)
        .find_map(|n| {
            adal_core::identifiers::with_check_digit(&format!(
                "{birth}{century_sex}{:04}",
                n % 10_000
            ))
        })
        .unwrap()
}

/// The demo children: Әлихан and Аружан (the parent's), Софья (the teacher's).
fn alikhan() -> String {
    demo_iin("150904", '5', 2001)
}
fn aruzhan() -> String {
    demo_iin("180221", '6', 2002)
}
fn sofya() -> String {
    demo_iin("160130", '6', 4002)
}

async fn table(app: &TestApp, akimat: &str) -> String {
    let r = gql(
        app,
        Some(akimat),
        TABLE,
        json!({ "i": { "regionKato": "710000000", "note": "Astana 2027",
            "ties": ["YOUNGER_FIRST", "LOTTERY"],
            "weights": [
                { "category": "orphan", "weight": 5 }, { "category": "disability", "weight": 4 },
                { "category": "asp", "weight": 3 }, { "category": "large_family", "weight": 2 }
            ] } }),
    )
    .await;
    r.ok()["createVoucherPriorityTable"]["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

use adal_vouchers::money::add_months;

fn this_month() -> i32 {
    adal_vouchers::money::month_of(chrono::Utc::now().date_naive())
}

/// A campaign whose window is open now, for the five months from the next, sport at 15,000
/// tenge a month: money for exactly two vouchers.
async fn campaign(app: &TestApp, akimat: &str, table_id: &str) -> Value {
    let now = chrono::Utc::now();
    let (first, last) = (add_months(this_month(), 1), add_months(this_month(), 5));
    let r = gql(
        app,
        Some(akimat),
        OPEN,
        json!({ "i": { "regionKato": "710000000", "name": "Astana clubs 2027",
            "firstMonth": first, "lastMonth": last,
            "opensAt": (now - chrono::Duration::hours(1)).to_rfc3339(),
            "closesAt": (now + chrono::Duration::hours(1)).to_rfc3339(),
            "budget": 2 * 5 * 15_000,
            "directions": [{ "direction": "SPORT", "monthlyValue": 15_000 },
                           { "direction": "ARTS", "monthlyValue": 12_000 }],
            "ageMin": 4, "ageMax": 18, "priorityTableId": table_id,
            "unusedDays": 30, "confirmDays": 10, "attendanceThresholdPct": 75 } }),
    )
    .await;
    r.ok()["openVoucherCampaign"].clone()
}

fn apply_input(campaign: &str, child: &str, categories: &[(&str, &str)]) -> Value {
    json!({ "i": { "campaignId": campaign, "childIin": child, "direction": "SPORT",
        "categories": categories.iter().map(|(c, e)| json!({ "category": c, "evidence": e })).collect::<Vec<_>>() } })
}

/// Closes the campaign's window (time passes).
async fn close_window(app: &TestApp, campaign: &str) {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, sea_query::Expr};
    entities::voucher_campaign::Entity::update_many()
        .col_expr(
            entities::voucher_campaign::Column::ClosesAt,
            Expr::value(chrono::Utc::now() - chrono::Duration::minutes(1)),
        )
        .filter(entities::voucher_campaign::Column::Id.eq(campaign.parse::<i64>().unwrap()))
        .exec(&app.db)
        .await
        .unwrap();
}

/// Runs the queued jobs of the vouchers' notices (the test's server runs no job runner).
async fn run_notice_jobs(app: &TestApp) {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let jobs = entities::job::Entity::find()
        .filter(entities::job::Column::Kind.eq(adal_vouchers::notices::NOTIFY_JOB))
        .filter(entities::job::Column::Status.eq("queued"))
        .all(&app.db)
        .await
        .unwrap();
    for j in jobs {
        adal_server::wiring::jobs(app.db.clone(), &app.settings)
            .run_job(j.id)
            .await
            .unwrap();
    }
}

/// The messages of a purpose in the outbox: (person id, body).
async fn messages(app: &TestApp, purpose: &str) -> Vec<(Option<i64>, String)> {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
    entities::notification_message::Entity::find()
        .filter(entities::notification_message::Column::Purpose.eq(purpose))
        .order_by_asc(entities::notification_message::Column::Id)
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|m| (m.person_id, m.body.unwrap_or_default()))
        .collect()
}

fn category_id(application: &Value, code: &str) -> String {
    application["categories"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["category"] == code)
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_campaign_runs_from_its_table_to_a_verifiable_allocation_and_freed_money_reaches_the_queue()
 {
    let app = adal_testkit::spawn_app_with_demo_and(|s| s.job_runner = false).await;
    let akimat = token(&app, "akimat").await;
    let parent = token(&app, "parent").await;
    let teacher = token(&app, "teacher.parent").await;
    let (alikhan_iin, aruzhan_iin, sofya_iin) = (alikhan(), aruzhan(), sofya());
    let r = gql(&app, Some(&parent), "{ myChildren { iin } }", json!({})).await;
    let children: Vec<&str> = r.ok()["myChildren"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["iin"].as_str().unwrap())
        .collect();
    assert!(children.contains(&alikhan_iin.as_str()) && children.contains(&aruzhan_iin.as_str()));

    // A table is versioned: a second one for the region is version 2, never an edit.
    let t1 = table(&app, &akimat).await;
    let t2 = table(&app, &akimat).await;
    let r = gql(
        &app,
        None,
        "{ voucherPriorityTables(regionKato: \"710000000\") { id version } }",
        json!({}),
    )
    .await;
    let versions: Vec<i64> = r.ok()["voucherPriorityTables"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["version"].as_i64().unwrap())
        .collect();
    // Newest first: the second table is the next version after the first, which stays.
    assert_eq!(versions.len(), 3, "the demo's and these two: {versions:?}");
    assert_eq!(versions[0], versions[1] + 1);
    assert_ne!(t1, t2);

    let c = campaign(&app, &akimat, &t2).await;
    let cid = c["id"].as_str().unwrap().to_owned();
    assert_eq!(c["status"], "OPEN");
    assert!(
        c["seed"].is_null(),
        "the seed stays secret until the allocation"
    );
    assert_eq!(c["available"], 150_000);

    // Applications: Аружан with a disability (4) and an orphan claim the akimat rejects,
    // Әлихан of a large family (2), Софья of a family on social assistance (3).
    let aruzhan = gql(
        &app,
        Some(&parent),
        APPLY,
        apply_input(
            &cid,
            &aruzhan_iin,
            &[("disability", "МСЭ 123"), ("orphan", "no document")],
        ),
    )
    .await;
    let aruzhan = aruzhan.ok()["applyForVoucher"].clone();
    assert_eq!(aruzhan["status"], "SUBMITTED");
    let alikhan = gql(
        &app,
        Some(&parent),
        APPLY,
        apply_input(&cid, &alikhan_iin, &[("large_family", "certificate 77")]),
    )
    .await;
    let alikhan = alikhan.ok()["applyForVoucher"].clone();
    let sofya = gql(
        &app,
        Some(&teacher),
        APPLY,
        apply_input(&cid, &sofya_iin, &[("asp", "АСП 2026-11")]),
    )
    .await;
    let sofya = sofya.ok()["applyForVoucher"].clone();

    // One child, one application per campaign.
    let again = gql(
        &app,
        Some(&parent),
        APPLY,
        apply_input(&cid, &alikhan_iin, &[]),
    )
    .await;
    assert_eq!(again.code().as_deref(), Some("CONFLICT"));
    assert_eq!(
        again.body["errors"][0]["extensions"]["reason"],
        "ALREADY_APPLIED"
    );
    // Another family's child without a document: refused with the reason.
    let not_mine = gql(
        &app,
        Some(&parent),
        APPLY,
        apply_input(&cid, &sofya_iin, &[]),
    )
    .await;
    assert_eq!(
        not_mine.body["errors"][0]["extensions"]["reason"],
        "NOT_GUARDIAN"
    );
    // A category the table does not know.
    let unknown = gql(
        &app,
        Some(&teacher),
        APPLY,
        apply_input(&cid, &sofya_iin, &[("vip", "x")]),
    )
    .await;
    assert_eq!(
        unknown.body["errors"][0]["extensions"]["reason"],
        "UNKNOWN_CATEGORY"
    );

    // Not before the window closes, and not before every category is decided.
    let early = gql(&app, Some(&akimat), RUN, json!({ "c": cid })).await;
    assert_eq!(
        early.body["errors"][0]["extensions"]["reason"],
        "WINDOW_OPEN"
    );
    close_window(&app, &cid).await;
    let late = gql(
        &app,
        Some(&parent),
        APPLY,
        apply_input(&cid, &aruzhan_iin, &[]),
    )
    .await;
    assert_eq!(
        late.body["errors"][0]["extensions"]["reason"],
        "WINDOW_CLOSED"
    );
    let pending = gql(&app, Some(&akimat), RUN, json!({ "c": cid })).await;
    assert_eq!(
        pending.body["errors"][0]["extensions"]["reason"],
        "DECISIONS_PENDING"
    );

    // The parent attaches a certificate to a declared category; the akimat opens it (on the
    // trail); another family cannot; once decided, the evidence is final.
    const ATTACH: &str = "mutation($c: ID!, $file: Upload!) { attachVoucherEvidence(categoryId: $c, file: $file) { id fileName contentType downloadPath } }";
    let pdf = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n".to_vec();
    let disability = category_id(&aruzhan, "disability");
    let attached = gql_upload(
        &app,
        &parent,
        ATTACH,
        json!({ "c": disability, "file": null }),
        vec![("variables.file", "anyktama.pdf", pdf.clone())],
    )
    .await;
    let doc = attached.ok()["attachVoucherEvidence"].clone();
    assert_eq!(doc["contentType"], "application/pdf");
    let path = doc["downloadPath"].as_str().unwrap().to_owned();
    let stranger = gql_upload(
        &app,
        &teacher,
        ATTACH,
        json!({ "c": disability, "file": null }),
        vec![("variables.file", "x.pdf", pdf.clone())],
    )
    .await;
    assert_eq!(stranger.code().as_deref(), Some("NOT_FOUND"));
    let listed = gql(
        &app,
        Some(&akimat),
        "query($id: ID!) { voucherApplication(id: $id) { categories { category documents { fileName downloadPath } } } }",
        json!({ "id": aruzhan["id"] }),
    )
    .await;
    let cats = listed.ok()["voucherApplication"]["categories"].clone();
    let docs = cats
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["category"] == "disability")
        .unwrap()["documents"]
        .clone();
    assert_eq!(
        docs,
        json!([{ "fileName": "anyktama.pdf", "downloadPath": path }])
    );
    let (status, _, bytes) = get_path(&app, Some(&akimat), &path).await;
    assert_eq!((status, bytes), (200, pdf.clone()));
    let (status, _, _) = get_path(&app, Some(&teacher), &path).await;
    assert_eq!(status, 404, "another family's document");
    let (status, _, _) = get_path(&app, None, &path).await;
    assert_eq!(status, 401);
    use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
    let opened = entities::audit_event::Entity::find()
        .filter(entities::audit_event::Column::Action.eq("document.download"))
        .filter(entities::audit_event::Column::SubjectType.eq("voucher_category_document"))
        .count(&app.db)
        .await
        .unwrap();
    assert_eq!(opened, 1, "the akimat's opening is on the trail");

    let no_reason = gql(
        &app,
        Some(&akimat),
        DECIDE,
        json!({ "id": category_id(&aruzhan, "orphan"), "c": false }),
    )
    .await;
    assert_eq!(no_reason.code().as_deref(), Some("BAD_USER_INPUT"));
    for (app_json, code, confirm, reason) in [
        (&aruzhan, "disability", true, None),
        (
            &aruzhan,
            "orphan",
            false,
            Some("both parents are listed in the registry"),
        ),
        (&alikhan, "large_family", true, None),
        (&sofya, "asp", true, None),
    ] {
        let r = gql(
            &app,
            Some(&akimat),
            DECIDE,
            json!({ "id": category_id(app_json, code), "c": confirm, "r": reason }),
        )
        .await;
        assert_eq!(
            r.ok()["decideVoucherCategory"]["status"],
            if confirm { "CONFIRMED" } else { "REJECTED" }
        );
    }

    let late_doc = gql_upload(
        &app,
        &parent,
        ATTACH,
        json!({ "c": disability, "file": null }),
        vec![("variables.file", "again.pdf", pdf)],
    )
    .await;
    assert_eq!(
        late_doc.body["errors"][0]["extensions"]["reason"],
        "CATEGORY_DECIDED"
    );

    // The allocation: Аружан 4, Софья 3, Әлихан 2; money for two vouchers of 5 × 15,000.
    let run = gql(&app, Some(&akimat), RUN, json!({ "c": cid })).await;
    let run = run.ok()["runVoucherAllocation"].clone();
    assert_eq!(run["issued"], 2);
    assert_eq!(run["cutoffScore"], 3);
    assert_eq!(run["committed"], 150_000);
    let again = gql(&app, Some(&akimat), RUN, json!({ "c": cid })).await;
    assert_eq!(
        again.body["errors"][0]["extensions"]["reason"],
        "ALREADY_ALLOCATED"
    );

    // Both families are told, each in their language.
    run_notice_jobs(&app).await;
    let issued = messages(&app, "voucher_issued").await;
    assert_eq!(issued.len(), 2, "{issued:?}");
    assert!(
        issued
            .iter()
            .any(|(_, b)| b.contains("Аружан") && b.contains("ваучерін алды")),
        "{issued:?}"
    );
    assert!(
        issued
            .iter()
            .any(|(_, b)| b.contains("Софья") && b.contains("получает ваучер")),
        "{issued:?}"
    );

    // The parent sees each child's score, what made it, the rank and the cut-off.
    let mine = gql(&app, Some(&parent), MINE, json!({})).await;
    let mine = mine.ok()["myVoucherApplications"]
        .as_array()
        .unwrap()
        .clone();
    let of = |id: &Value| mine.iter().find(|a| a["id"] == *id).unwrap().clone();
    let a = of(&aruzhan["id"]);
    assert_eq!(
        (
            a["status"].as_str(),
            a["score"].as_i64(),
            a["rank"].as_i64()
        ),
        (Some("ISSUED"), Some(4), Some(1))
    );
    let orphan = a["categories"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["category"] == "orphan")
        .unwrap()
        .clone();
    assert_eq!(orphan["status"], "REJECTED");
    assert_eq!(orphan["reason"], "both parents are listed in the registry");
    assert_eq!(a["voucher"]["monthlyValue"], 15_000);
    assert_eq!(
        (
            a["voucher"]["firstMonth"].as_i64(),
            a["voucher"]["lastMonth"].as_i64()
        ),
        (
            Some(i64::from(add_months(this_month(), 1))),
            Some(i64::from(add_months(this_month(), 5)))
        )
    );
    let k = of(&alikhan["id"]);
    assert_eq!(
        (
            k["status"].as_str(),
            k["score"].as_i64(),
            k["rank"].as_i64(),
            k["childrenAhead"].as_i64()
        ),
        (Some("QUEUED"), Some(2), Some(3), Some(2))
    );
    assert_eq!(k["campaign"]["cutoffScore"], 3);
    assert!(k["voucher"].is_null());
    // Another family's application is not found.
    let other = gql(
        &app,
        Some(&parent),
        "query($id: ID!) { voucherApplication(id: $id) { id } }",
        json!({ "id": sofya["id"] }),
    )
    .await;
    assert_eq!(other.code().as_deref(), Some("NOT_FOUND"));

    // Anyone downloads the file; it verifies, and the parent finds their child by the receipt.
    let c = gql(&app, None, CAMPAIGN, json!({ "id": cid })).await;
    let c = c.ok()["voucherCampaign"].clone();
    let seed = c["seed"].as_str().unwrap();
    assert_eq!(
        hex::encode(Sha256::digest(seed.as_bytes())),
        c["seedCommitment"].as_str().unwrap()
    );
    let body = reqwest::get(format!(
        "{}{}",
        app.address,
        run["downloadUrl"].as_str().unwrap()
    ))
    .await
    .unwrap();
    assert_eq!(body.status(), 200);
    assert_eq!(
        body.headers()["x-checksum-sha256"].to_str().unwrap(),
        run["sha256"].as_str().unwrap()
    );
    let text = body.text().await.unwrap();
    assert!(
        !text.contains(alikhan_iin.as_str()) && !text.contains("Нұрланов"),
        "no personal data in the file"
    );
    assert!(
        adal_vouchers::allocation::verify_file(&text)
            .unwrap()
            .matches()
    );
    let receipt = &k["receipt"];
    let recomputed = hex::encode(Sha256::digest(format!(
        "{}:{alikhan_iin}",
        receipt["salt"].as_str().unwrap()
    )));
    assert_eq!(recomputed, receipt["childHash"].as_str().unwrap());
    let file: Value = serde_json::from_str(&text).unwrap();
    let row = file["result"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["child_hash"] == recomputed.as_str())
        .unwrap();
    assert_eq!(
        (row["rank"].as_i64(), row["issued"].as_bool()),
        (Some(3), Some(false))
    );
    // A tampered file does not verify: Әлихан marked issued.
    let mut tampered = file.clone();
    for r in tampered["result"].as_array_mut().unwrap() {
        r["issued"] = json!(true);
    }
    assert!(
        !adal_vouchers::allocation::verify_file(&tampered.to_string())
            .unwrap()
            .matches()
    );

    // Софья's family declines: all five months return and Әлихан, next in the queue, gets a
    // voucher at once.
    let sofya_voucher = {
        let r = gql(&app, Some(&teacher), MINE, json!({})).await;
        r.ok()["myVoucherApplications"][0]["voucher"]["id"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let not_theirs = gql(
        &app,
        Some(&parent),
        "mutation($id: ID!) { declineVoucher(id: $id) { freed } }",
        json!({ "id": sofya_voucher }),
    )
    .await;
    assert_eq!(not_theirs.code().as_deref(), Some("NOT_FOUND"));
    let declined = gql(&app, Some(&teacher), "mutation($id: ID!) { declineVoucher(id: $id, reason: \"we move to Almaty\") { freed issuedToQueue voucher { status } } }", json!({ "id": sofya_voucher })).await;
    let declined = &declined.ok()["declineVoucher"];
    assert_eq!(declined["freed"], 75_000);
    assert_eq!(declined["issuedToQueue"], 1);
    assert_eq!(declined["voucher"]["status"], "DECLINED");
    let twice = gql(
        &app,
        Some(&teacher),
        "mutation($id: ID!) { declineVoucher(id: $id) { freed } }",
        json!({ "id": sofya_voucher }),
    )
    .await;
    assert_eq!(
        twice.body["errors"][0]["extensions"]["reason"],
        "VOUCHER_ENDED"
    );
    let mine = gql(&app, Some(&parent), MINE, json!({})).await;
    let k = mine.ok()["myVoucherApplications"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["id"] == alikhan["id"])
        .unwrap()
        .clone();
    assert_eq!(k["status"], "ISSUED");
    assert_eq!(k["voucher"]["committed"], 75_000);
    run_notice_jobs(&app).await;
    let issued = messages(&app, "voucher_issued").await;
    assert_eq!(issued.len(), 3);
    assert!(issued[2].1.contains("Әлихан"), "{issued:?}");

    // The money: committed never above the budget; the freed months counted.
    let c = gql(&app, None, CAMPAIGN, json!({ "id": cid })).await;
    let c = &c.ok()["voucherCampaign"];
    assert_eq!(
        (
            c["budget"].as_i64(),
            c["committed"].as_i64(),
            c["freed"].as_i64(),
            c["available"].as_i64()
        ),
        (Some(150_000), Some(150_000), Some(75_000), Some(0))
    );
    let triggers: Vec<&str> = c["allocations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["trigger"].as_str().unwrap())
        .collect();
    assert_eq!(triggers, ["window_closed", "money_freed"]);

    // Every step is on the trail.
    let admin = token(&app, "admin").await;
    let r = gql(&app, Some(&admin), "query($id: String) { auditEvents(subjectType: \"voucher_campaign\", subjectId: $id) { nodes { action } } }", json!({ "id": cid })).await;
    let actions: Vec<&str> = r.ok()["auditEvents"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    for a in [
        "voucher.campaign.opened",
        "voucher.allocation.run",
        "voucher.allocation.reissue",
    ] {
        assert!(actions.contains(&a), "{a} missing from {actions:?}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn guardianship_the_registry_does_not_show_is_held_for_the_akimat_and_officers_see_only_their_region()
 {
    let app = spawn_app_with_demo().await;
    let akimat = token(&app, "akimat").await;
    let parent = token(&app, "parent").await;
    let admin = token(&app, "admin").await;
    let t = table(&app, &akimat).await;
    let cid = campaign(&app, &akimat, &t).await["id"]
        .as_str()
        .unwrap()
        .to_owned();

    // A nephew in the parent's care, not linked in the registry.
    let nephew = demo_iin("170603", '5', 5001);
    gql(&app, Some(&admin), "mutation($i: PersonInput!) { createPerson(input: $i) { id } }",
        json!({ "i": { "iin": nephew, "lastName": "Серіков", "firstName": "Нұрсұлтан", "language": "KK" } })).await.ok();
    let mut input = apply_input(&cid, &nephew, &[]);
    input["i"]["guardianshipEvidence"] = json!("court decision 2-123/2025");
    let held = gql(&app, Some(&parent), APPLY, input).await;
    let held = held.ok()["applyForVoucher"].clone();
    assert_eq!(held["status"], "HELD");

    // An officer of another region does not see it; the campaign's officer decides it.
    gql(
        &app,
        Some(&admin),
        "mutation($i: CreateAccountInput!) { createAccount(input: $i) { id } }",
        json!({ "i": { "login": "akimat.almaty", "password": "a-long-secret-42",
            "roles": [{ "role": "AKIMAT_OFFICER", "regionKato": "750000000" }] } }),
    )
    .await
    .ok();
    let almaty = {
        let r = gql(&app, None, "mutation { login(login: \"akimat.almaty\", password: \"a-long-secret-42\") { accessToken } }", json!({})).await;
        r.ok()["login"]["accessToken"].as_str().unwrap().to_owned()
    };
    const GUARD: &str = "mutation($id: ID!, $a: Boolean!, $r: String) { decideVoucherGuardianship(applicationId: $id, accept: $a, reason: $r) { status reason } }";
    let foreign = gql(
        &app,
        Some(&almaty),
        GUARD,
        json!({ "id": held["id"], "a": true }),
    )
    .await;
    assert_eq!(foreign.code().as_deref(), Some("NOT_FOUND"));
    let listed = gql(
        &app,
        Some(&almaty),
        "query($c: ID!) { voucherApplications(campaignId: $c) { totalCount } }",
        json!({ "c": cid }),
    )
    .await;
    assert_eq!(listed.code().as_deref(), Some("NOT_FOUND"));
    let listed = gql(&app, Some(&akimat), "query($c: ID!) { voucherApplications(campaignId: $c, status: HELD) { totalCount nodes { childName guardianshipEvidence } } }", json!({ "c": cid })).await;
    assert_eq!(listed.ok()["voucherApplications"]["totalCount"], 1);
    assert_eq!(
        listed.ok()["voucherApplications"]["nodes"][0]["guardianshipEvidence"],
        "court decision 2-123/2025"
    );
    // Another region's officer cannot open a campaign for Astana.
    let r = gql(&app, Some(&almaty), TABLE, json!({ "i": { "regionKato": "710000000", "note": "", "ties": [], "weights": [{ "category": "orphan", "weight": 1 }] } })).await;
    assert_eq!(r.code().as_deref(), Some("FORBIDDEN"));

    let accepted = gql(
        &app,
        Some(&akimat),
        GUARD,
        json!({ "id": held["id"], "a": true }),
    )
    .await;
    assert_eq!(
        accepted.ok()["decideVoucherGuardianship"]["status"],
        "SUBMITTED"
    );
    // The registry now shows the link: the parent sees the nephew among their children.
    let parent = token(&app, "parent").await;
    let r = gql(&app, Some(&parent), "{ myChildren { iin } }", json!({})).await;
    assert!(
        r.ok()["myChildren"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["iin"] == nephew.as_str())
    );
    let twice = gql(
        &app,
        Some(&akimat),
        GUARD,
        json!({ "id": held["id"], "a": false, "r": "x" }),
    )
    .await;
    assert_eq!(twice.body["errors"][0]["extensions"]["reason"], "NOT_HELD");
}

#[tokio::test(flavor = "multi_thread")]
async fn concurrent_applications_for_one_child_leave_exactly_one() {
    let app = spawn_app_with_demo().await;
    let akimat = token(&app, "akimat").await;
    let parent = token(&app, "parent").await;
    let t = table(&app, &akimat).await;
    let cid = campaign(&app, &akimat, &t).await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let tries = (0..8).map(|_| {
        let (app, parent, cid) = (&app, parent.clone(), cid.clone());
        async move {
            gql(
                app,
                Some(&parent),
                APPLY,
                apply_input(&cid, &aruzhan(), &[("disability", "МСЭ 1")]),
            )
            .await
        }
    });
    let replies = futures_util::future::join_all(tries).await;
    let ok = replies
        .iter()
        .filter(|r| r.body["errors"].is_null())
        .count();
    let conflicts = replies
        .iter()
        .filter(|r| r.body["errors"][0]["extensions"]["reason"] == "ALREADY_APPLIED")
        .count();
    assert_eq!(
        (ok, conflicts),
        (1, 7),
        "{:?}",
        replies.iter().map(|r| &r.body).collect::<Vec<_>>()
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn every_voucher_operation_admits_exactly_its_roles() {
    let app = spawn_app_with_demo().await;
    let ops = vec![
        Op { name: "voucherPriorityTables", query: "{ voucherPriorityTables { id } }".into(), variables: json!({}), allowed: &[ANONYMOUS] },
        Op { name: "voucherCampaigns", query: "{ voucherCampaigns { id } }".into(), variables: json!({}), allowed: &[ANONYMOUS] },
        Op { name: "voucherCampaign", query: "{ voucherCampaign(id: \"1\") { id } }".into(), variables: json!({}), allowed: &[ANONYMOUS] },
        Op { name: "voucherApplications", query: "{ voucherApplications(campaignId: \"1\") { totalCount } }".into(), variables: json!({}), allowed: &["akimat"] },
        Op { name: "voucherApplication", query: "{ voucherApplication(id: \"1\") { id } }".into(), variables: json!({}), allowed: &["akimat", "parent", "teacher.parent"] },
        Op { name: "myVoucherApplications", query: "{ myVoucherApplications { id } }".into(), variables: json!({}), allowed: &["parent", "teacher.parent"] },
        Op { name: "createVoucherPriorityTable", query: TABLE.into(), variables: json!({ "i": { "regionKato": "710000000", "note": "", "ties": [], "weights": [{ "category": "orphan", "weight": 1 }] } }), allowed: &["akimat"] },
        Op { name: "openVoucherCampaign", query: OPEN.into(), variables: json!({ "i": { "regionKato": "710000000", "name": "x", "firstMonth": 202701, "lastMonth": 202705, "opensAt": "2026-12-01T00:00:00Z", "closesAt": "2026-12-20T00:00:00Z", "budget": 1000, "directions": [{ "direction": "SPORT", "monthlyValue": 100 }], "ageMin": 4, "ageMax": 18, "priorityTableId": "1", "unusedDays": 30, "confirmDays": 10, "attendanceThresholdPct": 75 } }), allowed: &["akimat"] },
        Op { name: "applyForVoucher", query: APPLY.into(), variables: apply_input("999", &aruzhan(), &[]), allowed: &["parent", "teacher.parent"] },
        Op { name: "decideVoucherCategory", query: DECIDE.into(), variables: json!({ "id": "999", "c": true }), allowed: &["akimat"] },
        Op { name: "decideVoucherGuardianship", query: "mutation { decideVoucherGuardianship(applicationId: \"999\", accept: true) { id } }".into(), variables: json!({}), allowed: &["akimat"] },
        Op { name: "runVoucherAllocation", query: RUN.into(), variables: json!({ "c": "999" }), allowed: &["akimat"] },
        Op { name: "declineVoucher", query: "mutation { declineVoucher(id: \"999\") { freed } }".into(), variables: json!({}), allowed: &["parent", "teacher.parent"] },
        Op { name: "voucherCampaignFigures", query: "{ voucherCampaignFigures(id: \"1\") { budget } }".into(), variables: json!({}), allowed: &[ANONYMOUS] },
        Op { name: "voucherConversation", query: "{ voucherConversation(kind: APPLICATION, id: \"999\") { id } }".into(), variables: json!({}), allowed: &["akimat", "provider", "parent", "teacher.parent"] },
        Op { name: "postVoucherMessage", query: "mutation { postVoucherMessage(kind: ATTENDANCE, id: \"999\", body: \"hello\") { id } }".into(), variables: json!({}), allowed: &["akimat", "provider", "parent", "teacher.parent"] },
        Op { name: "markVoucherConversationRead", query: "mutation { markVoucherConversationRead(kind: ATTENDANCE, id: \"999\") }".into(), variables: json!({}), allowed: &["akimat", "provider", "parent", "teacher.parent"] },
        Op { name: "voucherDashboard", query: "{ voucherDashboard(campaignId: \"999\") { childrenServed } }".into(), variables: json!({}), allowed: &["akimat"] },
        Op { name: "attachVoucherEvidence", query: "mutation($file: Upload!) { attachVoucherEvidence(categoryId: \"999\", file: $file) { id } }".into(), variables: json!({ "file": null }), allowed: &["parent", "teacher.parent"] },
        Op { name: "voucherProviders", query: "{ voucherProviders { id } }".into(), variables: json!({}), allowed: &["akimat", "provider"] },
        Op { name: "voucherSections", query: "{ voucherSections { id } }".into(), variables: json!({}), allowed: &[ANONYMOUS] },
        Op { name: "voucherSectionsForVoucher", query: "{ voucherSectionsForVoucher(voucherId: \"999\") { ownPayment } }".into(), variables: json!({}), allowed: &["parent", "teacher.parent"] },
        Op { name: "voucherEnrolments", query: "{ voucherEnrolments(voucherId: \"999\") { id } }".into(), variables: json!({}), allowed: &["parent", "teacher.parent"] },
        Op { name: "voucherAttendance", query: "{ voucherAttendance { id } }".into(), variables: json!({}), allowed: &["akimat", "provider", "parent", "teacher.parent"] },
        Op { name: "voucherPayouts", query: "{ voucherPayouts(campaignId: \"999\") { id } }".into(), variables: json!({}), allowed: &["akimat"] },
        Op { name: "voucherSectionRoster", query: "{ voucherSectionRoster(sectionId: \"999\", month: 202612) { voucherId } }".into(), variables: json!({}), allowed: &["provider"] },
        Op { name: "providerVoucherPayouts", query: "{ providerVoucherPayouts { id } }".into(), variables: json!({}), allowed: &["provider"] },
        Op { name: "registerVoucherProvider", query: "mutation { registerVoucherProvider(organisationId: \"999\", regionKato: \"710000000\") { id } }".into(), variables: json!({}), allowed: &["provider"] },
        Op { name: "decideVoucherProvider", query: "mutation { decideVoucherProvider(id: \"999\", approve: true) { id } }".into(), variables: json!({}), allowed: &["akimat"] },
        Op { name: "createVoucherSection", query: SECTION.into(), variables: section_input("999", "x", 1, 1, (1, "10:00", "11:00")), allowed: &["provider"] },
        Op { name: "voucherPriorityPreview", query: "{ voucherPriorityPreview(regionKato: \"710000000\", weights: []) { applications } }".into(), variables: json!({}), allowed: &["akimat"] },
        Op { name: "updateVoucherCampaign", query: UPDATE_CAMPAIGN.into(), variables: json!({ "id": "999", "i": { "regionKato": "710000000", "name": "x", "firstMonth": 202701, "lastMonth": 202705, "opensAt": "2026-12-01T00:00:00Z", "closesAt": "2026-12-20T00:00:00Z", "budget": 1000, "directions": [{ "direction": "SPORT", "monthlyValue": 100 }], "ageMin": 4, "ageMax": 18, "priorityTableId": "1", "unusedDays": 30, "confirmDays": 10, "attendanceThresholdPct": 75 } }), allowed: &["akimat"] },
        Op { name: "updateVoucherSection", query: UPDATE_SECTION.into(), variables: { let mut v = section_input("999", "x", 1, 1, (1, "10:00", "11:00")); v["id"] = json!("999"); v }, allowed: &["provider"] },
        Op { name: "enrolVoucher", query: ENROL.into(), variables: json!({ "v": "999", "s": "999" }), allowed: &["parent", "teacher.parent"] },
        Op { name: "recordVoucherAttendance", query: RECORD.into(), variables: json!({ "s": "999", "m": 202612, "r": [] }), allowed: &["provider"] },
        Op { name: "answerVoucherAttendance", query: "mutation { answerVoucherAttendance(id: \"999\", confirm: true) { id } }".into(), variables: json!({}), allowed: &["parent", "teacher.parent"] },
        Op { name: "resolveVoucherAttendance", query: "mutation { resolveVoucherAttendance(id: \"999\", uphold: true, reason: \"checked\") { id } }".into(), variables: json!({}), allowed: &["akimat"] },
        Op { name: "computeVoucherPayouts", query: "mutation { computeVoucherPayouts(campaignId: \"999\", month: 202601) { autoConfirmed } }".into(), variables: json!({}), allowed: &["akimat"] },
        Op { name: "endVoucher", query: "mutation { endVoucher(id: \"999\", reason: \"moved away\") { freed } }".into(), variables: json!({}), allowed: &["akimat"] },
    ];
    let failures = role_matrix(&app, &ops).await;
    assert!(failures.is_empty(), "{failures:#?}");
}

/// A campaign that began three months ago and runs five more, allocated now: Аружан and Софья
/// hold vouchers for this month and the five after at 15,000 a month; Әлихан waits in the
/// queue. Returns the campaign id and the two vouchers' ids.
async fn allocated(app: &TestApp) -> (String, String, String) {
    let akimat = token(app, "akimat").await;
    let parent = token(app, "parent").await;
    let teacher = token(app, "teacher.parent").await;
    let t = table(app, &akimat).await;
    let now = chrono::Utc::now();
    let r = gql(
        app,
        Some(&akimat),
        OPEN,
        json!({ "i": { "regionKato": "710000000", "name": "Astana clubs 2026/27",
            "firstMonth": add_months(this_month(), -3), "lastMonth": add_months(this_month(), 5),
            "opensAt": (now - chrono::Duration::hours(1)).to_rfc3339(),
            "closesAt": (now + chrono::Duration::hours(1)).to_rfc3339(),
            "budget": 2 * 6 * 15_000,
            "directions": [{ "direction": "SPORT", "monthlyValue": 15_000 }],
            "ageMin": 4, "ageMax": 18, "priorityTableId": t,
            "unusedDays": 30, "confirmDays": 10, "attendanceThresholdPct": 75 } }),
    )
    .await;
    let cid = r.ok()["openVoucherCampaign"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let mut categories = Vec::new();
    for (who, child, cat) in [
        (&parent, aruzhan(), "disability"),
        (&teacher, sofya(), "asp"),
        (&parent, alikhan(), "large_family"),
    ] {
        let r = gql(
            app,
            Some(who),
            APPLY,
            apply_input(&cid, &child, &[(cat, "ref")]),
        )
        .await;
        categories.push(category_id(&r.ok()["applyForVoucher"], cat));
    }
    for id in categories {
        gql(app, Some(&akimat), DECIDE, json!({ "id": id, "c": true }))
            .await
            .ok();
    }
    close_window(app, &cid).await;
    let run = gql(app, Some(&akimat), RUN, json!({ "c": cid })).await;
    assert_eq!(run.ok()["runVoucherAllocation"]["issued"], 2);
    let voucher = |r: Reply| {
        r.ok()["myVoucherApplications"]
            .as_array()
            .unwrap()
            .iter()
            .find_map(|a| a["voucher"]["id"].as_str().map(str::to_owned))
            .unwrap()
    };
    let a = voucher(gql(app, Some(&parent), MINE, json!({})).await);
    let s = voucher(gql(app, Some(&teacher), MINE, json!({})).await);
    (cid, a, s)
}

const SECTION: &str =
    "mutation($i: VoucherSectionInput!) { createVoucherSection(input: $i) { id placesLeft } }";
const UPDATE_CAMPAIGN: &str = "mutation($id: ID!, $i: VoucherCampaignInput!) { updateVoucherCampaign(id: $id, input: $i) { id name budget opensAt closesAt seedCommitment directions { direction monthlyValue } } }";
const UPDATE_SECTION: &str = "mutation($id: ID!, $i: VoucherSectionInput!) { updateVoucherSection(id: $id, input: $i) { id name capacity placesLeft monthlyPrice schedule { day start end } } }";
const ENROL: &str = "mutation($v: ID!, $s: ID!) { enrolVoucher(voucherId: $v, sectionId: $s) { id firstMonth lastMonth } }";
const RECORD: &str = "mutation($s: ID!, $m: Int!, $r: [VoucherAttendanceRowInput!]!) { recordVoucherAttendance(sectionId: $s, month: $m, rows: $r) { id status sessionsAttended } }";

/// A new provider's staff token and organisation id, registered with Astana's akimat (the
/// demo's provider is registered already) and approved.
async fn approved_provider(app: &TestApp) -> (String, String) {
    let admin = token(app, "admin").await;
    let akimat = token(app, "akimat").await;
    let org = gql(app, Some(&admin), "mutation($i: OrganisationInput!) { createOrganisation(input: $i) { id } }",
        json!({ "i": { "bin": valid_id("21054000123"), "kind": "EDUCATION_PROVIDER", "nameKk": "Жұлдыз",
            "nameRu": "Звезда", "nameEn": "Star club", "localityKato": "711100000" } })).await;
    let org = org.ok()["createOrganisation"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    gql(
        app,
        Some(&admin),
        "mutation($i: CreateAccountInput!) { createAccount(input: $i) { id } }",
        json!({ "i": { "login": "star.club", "password": "a-long-secret-42",
            "roles": [{ "role": "PROVIDER_STAFF", "organisationId": org }] } }),
    )
    .await
    .ok();
    let provider = {
        let r = gql(
            app,
            None,
            LOGIN,
            json!({ "l": "star.club", "p": "a-long-secret-42" }),
        )
        .await;
        r.ok()["login"]["accessToken"].as_str().unwrap().to_owned()
    };
    let reg = gql(app, Some(&provider), "mutation($o: ID!) { registerVoucherProvider(organisationId: $o, regionKato: \"710000000\") { id status } }", json!({ "o": org })).await;
    let reg = reg.ok()["registerVoucherProvider"].clone();
    assert_eq!(reg["status"], "PENDING");
    let again = gql(app, Some(&provider), "mutation($o: ID!) { registerVoucherProvider(organisationId: $o, regionKato: \"710000000\") { id } }", json!({ "o": org })).await;
    assert_eq!(
        again.body["errors"][0]["extensions"]["reason"],
        "ALREADY_REGISTERED"
    );
    let early = gql(
        app,
        Some(&provider),
        SECTION,
        section_input(&org, "Футбол", 18_000, 1, (1, "16:00", "17:30")),
    )
    .await;
    assert_eq!(
        early.body["errors"][0]["extensions"]["reason"],
        "PROVIDER_NOT_APPROVED"
    );
    let ok = gql(
        app,
        Some(&akimat),
        "mutation($id: ID!) { decideVoucherProvider(id: $id, approve: true) { status } }",
        json!({ "id": reg["id"] }),
    )
    .await;
    assert_eq!(ok.ok()["decideVoucherProvider"]["status"], "APPROVED");
    (provider, org)
}

fn section_input(
    org: &str,
    name: &str,
    price: i64,
    capacity: i32,
    slot: (i32, &str, &str),
) -> Value {
    json!({ "i": { "organisationId": org, "regionKato": "710000000", "name": name,
        "direction": "SPORT", "ageMin": 6, "ageMax": 12,
        "schedule": [{ "day": slot.0, "start": slot.1, "end": slot.2 }],
        "capacity": capacity, "address": "Астана, ул. Достык 5", "monthlyPrice": price } })
}

/// Lists a section as the provider and returns its id.
async fn new_section(app: &TestApp, provider: &str, input: Value) -> String {
    let r = gql(app, Some(provider), SECTION, input).await;
    r.ok()["createVoucherSection"]["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// Where the attendance tests begin: the demo campaign allocated (Аружан's and Софья's
/// vouchers), an approved provider with one section (`name`, 15,000 ₸ a month, ten places,
/// one session a week), and Аружан enrolled in it by her parent.
struct Club {
    campaign: String,
    aruzhan_v: String,
    sofya_v: String,
    provider: String,
    org: String,
    section: String,
}

async fn club_with_aruzhan(app: &TestApp, name: &str, slot: (i32, &str, &str)) -> Club {
    let (campaign, aruzhan_v, sofya_v) = allocated(app).await;
    let (provider, org) = approved_provider(app).await;
    let section = new_section(app, &provider, section_input(&org, name, 15_000, 10, slot)).await;
    let parent = token(app, "parent").await;
    let r = gql(
        app,
        Some(&parent),
        ENROL,
        json!({ "v": aruzhan_v, "s": section }),
    )
    .await;
    assert!(r.ok()["enrolVoucher"]["id"].is_string());
    Club {
        campaign,
        aruzhan_v,
        sofya_v,
        provider,
        org,
        section,
    }
}

async fn account_actor(app: &TestApp, login: &str) -> adal_core::auth::Actor {
    let t = token(app, login).await;
    let me = gql(app, Some(&t), "{ me { account { id } } }", json!({})).await;
    let id: i64 = me.ok()["me"]["account"]["id"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    adal_core::auth::Actor::load(&app.db, id)
        .await
        .unwrap()
        .unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_voucher_follows_the_child_and_providers_are_paid_only_for_confirmed_attendance() {
    let app = spawn_app_with_demo().await;
    let (cid, aruzhan_v, sofya_v) = allocated(&app).await;
    let (provider, org) = approved_provider(&app).await;
    let parent = token(&app, "parent").await;
    let teacher = token(&app, "teacher.parent").await;
    let akimat = token(&app, "akimat").await;

    let football = new_section(
        &app,
        &provider,
        section_input(&org, "Футбол", 18_000, 1, (1, "16:00", "17:30")),
    )
    .await;
    let swimming = new_section(
        &app,
        &provider,
        section_input(&org, "Жүзу", 12_000, 10, (2, "16:00", "17:00")),
    )
    .await;

    // Before enrolling, the parent sees what they would pay on top of the voucher.
    let offers = gql(&app, Some(&parent), "query($v: ID!) { voucherSectionsForVoucher(voucherId: $v) { section { id name } voucherPart ownPayment } }", json!({ "v": aruzhan_v })).await;
    let offers = offers.ok()["voucherSectionsForVoucher"]
        .as_array()
        .unwrap()
        .clone();
    let offer = |id: &str| {
        offers
            .iter()
            .find(|o| o["section"]["id"] == id)
            .unwrap()
            .clone()
    };
    assert_eq!(
        (
            offer(&football)["voucherPart"].as_i64(),
            offer(&football)["ownPayment"].as_i64()
        ),
        (Some(15_000), Some(3_000))
    );
    assert_eq!(
        (
            offer(&swimming)["voucherPart"].as_i64(),
            offer(&swimming)["ownPayment"].as_i64()
        ),
        (Some(12_000), Some(0))
    );
    // Another family's voucher is not found.
    let foreign = gql(
        &app,
        Some(&parent),
        "query($v: ID!) { voucherSectionsForVoucher(voucherId: $v) { ownPayment } }",
        json!({ "v": sofya_v }),
    )
    .await;
    assert_eq!(foreign.code().as_deref(), Some("NOT_FOUND"));

    // The last place of the football section goes to one child only.
    let this_month = this_month();
    let e = gql(
        &app,
        Some(&parent),
        ENROL,
        json!({ "v": aruzhan_v, "s": football }),
    )
    .await;
    assert_eq!(
        e.ok()["enrolVoucher"]["firstMonth"].as_i64(),
        Some(i64::from(this_month))
    );
    let full = gql(
        &app,
        Some(&teacher),
        ENROL,
        json!({ "v": sofya_v, "s": football }),
    )
    .await;
    assert_eq!(
        full.body["errors"][0]["extensions"]["reason"],
        "SECTION_FULL"
    );
    gql(
        &app,
        Some(&teacher),
        ENROL,
        json!({ "v": sofya_v, "s": swimming }),
    )
    .await
    .ok();
    let again = gql(
        &app,
        Some(&teacher),
        ENROL,
        json!({ "v": sofya_v, "s": swimming }),
    )
    .await;
    assert_eq!(
        again.body["errors"][0]["extensions"]["reason"],
        "ALREADY_ENROLLED"
    );

    // The provider's sheet for the month: one row per child whose voucher is used at the
    // section, nothing recorded yet; another provider's section is not found.
    const ROSTER: &str = "query($s: ID!, $m: Int!) { voucherSectionRoster(sectionId: $s, month: $m) { voucherId childName attendance { sessionsAttended status } } }";
    let sheet_of = |who: &str| {
        let (app, who, football) = (&app, who.to_owned(), football.clone());
        async move {
            gql(
                app,
                Some(&who),
                ROSTER,
                json!({ "s": football, "m": this_month }),
            )
            .await
        }
    };
    let sheet = sheet_of(&provider).await;
    assert_eq!(
        sheet.ok()["voucherSectionRoster"],
        json!([{ "voucherId": aruzhan_v, "childName": "Нұрланова Аружан Ерланқызы", "attendance": null }])
    );
    let foreign = sheet_of(&parent).await;
    assert_eq!(foreign.code().as_deref(), Some("FORBIDDEN"));

    // The provider records this month; a voucher not used at the section is refused, and the
    // same figures sent twice are stored once.
    let rows = json!([{ "voucherId": aruzhan_v, "sessionsHeld": 8, "sessionsAttended": 5 }]);
    let first = gql(
        &app,
        Some(&provider),
        RECORD,
        json!({ "s": football, "m": this_month, "r": rows }),
    )
    .await;
    let att_a = first.ok()["recordVoucherAttendance"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let twice = gql(
        &app,
        Some(&provider),
        RECORD,
        json!({ "s": football, "m": this_month, "r": rows }),
    )
    .await;
    assert_eq!(
        twice.ok()["recordVoucherAttendance"][0]["id"],
        att_a.as_str()
    );
    let wrong = gql(&app, Some(&provider), RECORD, json!({ "s": football, "m": this_month, "r": [{ "voucherId": sofya_v, "sessionsHeld": 8, "sessionsAttended": 8 }] })).await;
    assert_eq!(
        wrong.body["errors"][0]["extensions"]["reason"],
        "NOT_ENROLLED"
    );
    let rec = gql(&app, Some(&provider), RECORD, json!({ "s": swimming, "m": this_month, "r": [{ "voucherId": sofya_v, "sessionsHeld": 4, "sessionsAttended": 2 }] })).await;
    assert_eq!(rec.ok()["recordVoucherAttendance"][0]["status"], "RECORDED");
    let asked = messages(&app, "voucher_attendance").await;
    assert_eq!(asked.len(), 2, "{asked:?}");
    assert!(
        asked
            .iter()
            .any(|(_, b)| b.contains("Софья") && b.contains("2/4")),
        "{asked:?}"
    );

    // The parent disputes; the akimat upholds the month with 6 sessions attended.
    let no_reason = gql(
        &app,
        Some(&parent),
        "mutation($id: ID!) { answerVoucherAttendance(id: $id, confirm: false) { status } }",
        json!({ "id": att_a }),
    )
    .await;
    assert_eq!(no_reason.code().as_deref(), Some("BAD_USER_INPUT"));
    let disputed = gql(&app, Some(&parent), "mutation($id: ID!) { answerVoucherAttendance(id: $id, confirm: false, reason: \"she went six times, not five\") { status } }", json!({ "id": att_a })).await;
    assert_eq!(
        disputed.ok()["answerVoucherAttendance"]["status"],
        "DISPUTED"
    );
    let resolved = gql(&app, Some(&akimat), "mutation($id: ID!) { resolveVoucherAttendance(id: $id, uphold: true, sessionsAttended: 6, reason: \"the coach's register shows six\") { status sessionsAttended } }", json!({ "id": att_a })).await;
    assert_eq!(
        resolved.ok()["resolveVoucherAttendance"]["sessionsAttended"],
        6
    );

    // The disputed month carries its conversation: the parent, the provider and the akimat
    // write; another family does not see it; the parent is told of the others' messages.
    const POST: &str = "mutation($k: VoucherThreadKind!, $id: ID!, $b: String!) { postVoucherMessage(kind: $k, id: $id, body: $b) { side } }";
    const THREAD: &str = "query($k: VoucherThreadKind!, $id: ID!) { voucherConversation(kind: $k, id: $id) { id side body language } }";
    let said = gql(
        &app,
        Some(&provider),
        POST,
        json!({ "k": "ATTENDANCE", "id": att_a, "b": "Журналда 6 сабақ белгіленген" }),
    )
    .await;
    assert_eq!(said.ok()["postVoucherMessage"]["side"], "PROVIDER");
    gql(
        &app,
        Some(&parent),
        POST,
        json!({ "k": "ATTENDANCE", "id": att_a, "b": "Рахмет" }),
    )
    .await
    .ok();
    let thread = gql(
        &app,
        Some(&akimat),
        THREAD,
        json!({ "k": "ATTENDANCE", "id": att_a }),
    )
    .await;
    let sides: Vec<&str> = thread.ok()["voucherConversation"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["side"].as_str().unwrap())
        .collect();
    assert_eq!(sides, ["PROVIDER", "PARENT"]);
    // Each side counts what the others wrote since it last read the thread: the akimat both
    // messages, the parent the provider's (not their own), until each opens it.
    const UNREAD: &str = "query { voucherAttendance { id unreadMessages } }";
    let unread_of = async |who: &str| -> i64 {
        let list = gql(&app, Some(who), UNREAD, json!({})).await;
        list.ok()["voucherAttendance"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["id"] == att_a)
            .map(|a| a["unreadMessages"].as_i64().unwrap())
            .unwrap()
    };
    assert_eq!(unread_of(&akimat).await, 2);
    assert_eq!(unread_of(&parent).await, 1);
    assert_eq!(unread_of(&provider).await, 1);
    const READ: &str = "mutation($id: ID!, $t: ID) { markVoucherConversationRead(kind: ATTENDANCE, id: $id, through: $t) }";
    let first: String = thread.ok()["voucherConversation"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    // Read through the first message only (the page showed no more): one stays unread.
    let partly = gql(
        &app,
        Some(&akimat),
        READ,
        json!({ "id": att_a, "t": first }),
    )
    .await;
    assert_eq!(partly.ok()["markVoucherConversationRead"], 1);
    let all = gql(&app, Some(&akimat), READ, json!({ "id": att_a })).await;
    assert_eq!(all.ok()["markVoucherConversationRead"], 0);
    // An older page cannot mark it unread again.
    gql(
        &app,
        Some(&akimat),
        READ,
        json!({ "id": att_a, "t": first }),
    )
    .await
    .ok();
    assert_eq!(unread_of(&akimat).await, 0);
    assert_eq!(
        unread_of(&parent).await,
        1,
        "the akimat's reading is its own"
    );
    let hidden = gql(
        &app,
        Some(&teacher),
        THREAD,
        json!({ "k": "ATTENDANCE", "id": att_a }),
    )
    .await;
    assert_eq!(hidden.code().as_deref(), Some("NOT_FOUND"));
    let empty = gql(
        &app,
        Some(&parent),
        POST,
        json!({ "k": "ATTENDANCE", "id": att_a, "b": "  " }),
    )
    .await;
    assert_eq!(empty.code().as_deref(), Some("BAD_USER_INPUT"));
    let told = messages(&app, "voucher_message").await;
    assert_eq!(
        told.len(),
        1,
        "the provider's message is told to the parent; the staff here belong to no person, \
         so have no address: {told:?}"
    );

    // Not paid before the month ends; then from confirmed attendance only. Софья's family did
    // not answer within 10 days: her month counts as confirmed.
    let early = gql(&app, Some(&akimat), "mutation($c: ID!, $m: Int!) { computeVoucherPayouts(campaignId: $c, month: $m) { autoConfirmed } }", json!({ "c": cid, "m": this_month })).await;
    assert_eq!(
        early.body["errors"][0]["extensions"]["reason"],
        "MONTH_NOT_OVER"
    );
    let officer = account_actor(&app, "akimat").await;
    let later = chrono::Utc::now() + chrono::Duration::days(40);
    let presence = adal_server::wiring::school_presence();
    let run = adal_vouchers::attendance::compute_payouts(
        &app.db,
        &officer,
        cid.parse().unwrap(),
        this_month,
        later,
        Some(presence.source()),
    )
    .await
    .unwrap();
    assert_eq!(run.auto_confirmed, 1);
    assert_eq!(run.payouts.len(), 1);
    // Аружан: 6 of 8 sessions reach the 75 % threshold: the voucher's 15,000 (the section
    // costs 18,000; the parent pays the 3,000). Софья: 2 of 4 is below it: her section's price
    // of 12,000 in proportion, 6,000.
    assert_eq!(
        (run.payouts[0].amount, run.payouts[0].children),
        (21_000, 2)
    );
    // The akimat's dashboard: the two children served, where and why, and the month's
    // confirmed attendance and money as the payouts have them.
    const DASHBOARD: &str = "query($c: ID!) { voucherDashboard(campaignId: $c) { childrenServed byDirection { key children } byDistrict { key children } byCategory { key children } months { month confirmed disputed rejected waiting paid childrenPaid } } }";
    let dash = gql(&app, Some(&akimat), DASHBOARD, json!({ "c": cid })).await;
    let d = &dash.ok()["voucherDashboard"];
    assert_eq!(d["childrenServed"], 2);
    assert_eq!(d["byDirection"], json!([{ "key": "sport", "children": 2 }]));
    assert_eq!(
        d["byCategory"],
        json!([{ "key": "asp", "children": 1 }, { "key": "disability", "children": 1 }])
    );
    assert_eq!(d["byDistrict"], json!([{ "key": "", "children": 2 }]));
    let month = d["months"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["month"] == this_month)
        .unwrap();
    assert_eq!(
        (
            &month["confirmed"],
            &month["disputed"],
            &month["paid"],
            &month["childrenPaid"]
        ),
        (&json!(2), &json!(0), &json!(21_000), &json!(2))
    );
    let hidden = gql(&app, Some(&provider), DASHBOARD, json!({ "c": cid })).await;
    assert_eq!(hidden.code().as_deref(), Some("FORBIDDEN"));
    // The provider sees its payout, and the sheet each child's month as the parent answered.
    let paid = gql(
        &app,
        Some(&provider),
        "query($m: Int!) { providerVoucherPayouts(month: $m) { campaignId month children amount } }",
        json!({ "m": this_month }),
    )
    .await;
    assert_eq!(
        paid.ok()["providerVoucherPayouts"],
        json!([{ "campaignId": cid, "month": this_month, "children": 2, "amount": 21_000 }])
    );
    let sheet = sheet_of(&provider).await;
    assert_eq!(
        sheet.ok()["voucherSectionRoster"][0]["attendance"]["sessionsAttended"],
        6
    );
    // The provider is told which month was paid in proportion: Софья's 2 of 4, not
    // Аружан's 6 of 8.
    let months = gql(
        &app,
        Some(&provider),
        "query($m: Int!) { voucherAttendance(month: $m) { voucherId belowThreshold } }",
        json!({ "m": this_month }),
    )
    .await;
    let below = |v: &str| {
        months.ok()["voucherAttendance"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["voucherId"] == v)
            .unwrap()["belowThreshold"]
            .clone()
    };
    assert_eq!(
        (below(&aruzhan_v), below(&sofya_v)),
        (json!(false), json!(true))
    );
    let again = adal_vouchers::attendance::compute_payouts(
        &app.db,
        &officer,
        cid.parse().unwrap(),
        this_month,
        later,
        Some(presence.source()),
    )
    .await;
    assert!(matches!(
        again,
        Err(adal_core::error::ApiError::ConflictBecause { reason, .. })
            if reason.as_str() == "ALREADY_PAID"
    ));
    let c = gql(&app, None, CAMPAIGN, json!({ "id": cid })).await;
    let c = &c.ok()["voucherCampaign"];
    // Two vouchers × 6 months × 15,000 were committed; this month's 30,000 left the commitment:
    // 21,000 paid, 9,000 freed.
    assert_eq!(
        (
            c["committed"].as_i64(),
            c["freed"].as_i64(),
            c["available"].as_i64()
        ),
        (Some(150_000), Some(9_000), Some(9_000))
    );
    let att = gql(
        &app,
        Some(&teacher),
        "{ voucherAttendance { status payout } }",
        json!({}),
    )
    .await;
    assert_eq!(att.ok()["voucherAttendance"][0]["status"], "AUTO_CONFIRMED");
    assert_eq!(att.ok()["voucherAttendance"][0]["payout"], 6_000);

    // The payment register, at the address the month's payouts give, for the akimat only,
    // with its checksum.
    let listed = gql(
        &app,
        Some(&akimat),
        "query($c: ID!, $m: Int) { voucherPayouts(campaignId: $c, month: $m) { registerCsvUrl registerXlsxUrl } }",
        json!({ "c": cid, "m": this_month }),
    )
    .await;
    let path = format!("/vouchers/payouts/{cid}/{this_month}.csv");
    assert_eq!(
        listed.ok()["voucherPayouts"],
        json!([{ "registerCsvUrl": path, "registerXlsxUrl": path.replace(".csv", ".xlsx") }])
    );
    let url = format!("{}{path}", app.address);
    let anon = reqwest::get(&url).await.unwrap();
    assert_eq!(anon.status(), 401);
    let client = reqwest::Client::new();
    let csv = client.get(&url).bearer_auth(&akimat).send().await.unwrap();
    assert_eq!(csv.status(), 200);
    let sum = csv.headers()["x-checksum-sha256"]
        .to_str()
        .unwrap()
        .to_owned();
    let body = csv.bytes().await.unwrap();
    assert_eq!(hex::encode(Sha256::digest(&body)), sum);
    let text = String::from_utf8(body.to_vec()).unwrap();
    assert!(text.lines().nth(1).unwrap().ends_with(",2,21000"), "{text}");
    let xlsx = client
        .get(url.replace(".csv", ".xlsx"))
        .bearer_auth(&akimat)
        .send()
        .await
        .unwrap();
    assert_eq!(xlsx.status(), 200);
    assert!(xlsx.bytes().await.unwrap().starts_with(b"PK"));
    let other = client
        .get(&url)
        .bearer_auth(&provider)
        .send()
        .await
        .unwrap();
    assert_eq!(other.status(), 403);

    // Moving the voucher: from the next month, at the new section; this month stays.
    let moved = gql(
        &app,
        Some(&parent),
        ENROL,
        json!({ "v": aruzhan_v, "s": swimming }),
    )
    .await;
    let next = adal_vouchers::money::next_month(this_month);
    assert_eq!(
        moved.ok()["enrolVoucher"]["firstMonth"].as_i64(),
        Some(i64::from(next))
    );
    let mine = gql(&app, Some(&parent), "{ myVoucherApplications { voucher { enrolments { section { name placesLeft } firstMonth lastMonth } months { month sectionName voucherPart ownPayment } } } }", json!({})).await;
    let v = mine.ok()["myVoucherApplications"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| !a["voucher"].is_null())
        .unwrap()["voucher"]
        .clone();
    assert_eq!(
        v["enrolments"][0]["lastMonth"].as_i64(),
        Some(i64::from(this_month))
    );
    assert_eq!(
        v["enrolments"][0]["section"]["placesLeft"], 1,
        "the football place is free again"
    );
    assert_eq!(
        v["months"][0],
        json!({ "month": this_month, "sectionName": "Футбол", "voucherPart": 15_000, "ownPayment": 3_000 })
    );
    assert_eq!(
        v["months"][1],
        json!({ "month": next, "sectionName": "Жүзу", "voucherPart": 12_000, "ownPayment": 0 })
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_last_place_goes_to_one_child_and_an_unused_voucher_lapses_to_the_queue() {
    let app = spawn_app_with_demo().await;
    let (cid, aruzhan_v, sofya_v) = allocated(&app).await;
    let (provider, org) = approved_provider(&app).await;
    let parent = token(&app, "parent").await;
    let teacher = token(&app, "teacher.parent").await;
    let last = new_section(
        &app,
        &provider,
        section_input(&org, "Дзюдо", 15_000, 1, (4, "17:00", "18:00")),
    )
    .await;
    let (a, b) = tokio::join!(
        gql(
            &app,
            Some(&parent),
            ENROL,
            json!({ "v": aruzhan_v, "s": last })
        ),
        gql(
            &app,
            Some(&teacher),
            ENROL,
            json!({ "v": sofya_v, "s": last })
        ),
    );
    let won = [&a, &b]
        .iter()
        .filter(|r| r.body["errors"].is_null())
        .count();
    let full = [&a, &b]
        .iter()
        .filter(|r| r.body["errors"][0]["extensions"]["reason"] == "SECTION_FULL")
        .count();
    assert_eq!((won, full), (1, 1), "{} / {}", a.body, b.body);

    // The child left without a section keeps the voucher for 30 days, then it lapses and
    // Әлихан, first in the queue, receives one. (The demo's campaign lapses its own.)
    let (loser, child) = if a.body["errors"].is_null() {
        (&teacher, "Софья")
    } else {
        (&parent, "Аружан")
    };
    let in_campaign = |r: Reply| {
        r.ok()["myVoucherApplications"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|a| a["campaign"]["id"] == cid.as_str())
            .cloned()
            .collect::<Vec<Value>>()
    };
    const MINE_HERE: &str =
        "{ myVoucherApplications { rank status campaign { id } voucher { status } } }";
    let now = chrono::Utc::now();
    adal_vouchers::allocation::lapse_unused(&app.db, now + chrono::Duration::days(29))
        .await
        .unwrap();
    let before = in_campaign(gql(&app, Some(loser), MINE_HERE, json!({})).await);
    assert!(
        before
            .iter()
            .all(|a| a["voucher"].is_null() || a["voucher"]["status"] == "ISSUED"),
        "{before:?}"
    );
    assert!(
        adal_vouchers::allocation::lapse_unused(&app.db, now + chrono::Duration::days(31))
            .await
            .unwrap()
            >= 1
    );
    let after = in_campaign(gql(&app, Some(loser), MINE_HERE, json!({})).await);
    assert!(
        after.iter().any(|a| a["voucher"]["status"] == "LAPSED"),
        "{after:?}"
    );
    let told = messages(&app, "voucher_lapsed").await;
    assert!(
        told.iter()
            .any(|(_, b)| b.contains(child) && b.contains("30")),
        "{told:?}"
    );
    let k = in_campaign(gql(&app, Some(&parent), MINE_HERE, json!({})).await)
        .into_iter()
        .find(|a| a["rank"] == 3)
        .unwrap();
    assert_eq!(k["status"], "ISSUED");
    let c = gql(&app, None, CAMPAIGN, json!({ "id": cid })).await;
    let triggers: Vec<&str> = c.ok()["voucherCampaign"]["allocations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["trigger"].as_str().unwrap())
        .collect();
    assert_eq!(triggers, ["window_closed", "money_freed"]);
}

#[tokio::test(flavor = "multi_thread")]
async fn public_figures_show_only_counts_of_ten_children_and_more() {
    let app = spawn_app_with_demo().await;
    let akimat = token(&app, "akimat").await;
    let admin = token(&app, "admin").await;
    let parent = token(&app, "parent").await;
    let t = table(&app, &akimat).await;
    let cid = campaign(&app, &akimat, &t).await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let me = gql(&app, Some(&parent), "{ me { person { id } } }", json!({})).await;
    let parent_id = me.ok()["me"]["person"]["id"].as_str().unwrap().to_owned();
    // Twelve children of a large family (one of them also on social assistance).
    for n in 0..12u32 {
        let iin = demo_iin("160101", '5', 6000 + n * 10);
        let p = gql(&app, Some(&admin), "mutation($i: PersonInput!) { createPerson(input: $i) { id } }",
            json!({ "i": { "iin": iin, "lastName": "Тестов", "firstName": format!("Бала {n}"), "language": "KK" } })).await;
        let child = p.ok()["createPerson"]["id"].as_str().unwrap().to_owned();
        gql(
            &app,
            Some(&admin),
            "mutation($p: ID!, $c: ID!) { linkGuardian(parentId: $p, childId: $c) { id } }",
            json!({ "p": parent_id, "c": child }),
        )
        .await
        .ok();
        let mut cats = vec![("large_family", "certificate")];
        if n == 0 {
            cats.push(("asp", "АСП"));
        }
        let parent = token(&app, "parent").await;
        let r = gql(&app, Some(&parent), APPLY, apply_input(&cid, &iin, &cats)).await;
        for c in r.ok()["applyForVoucher"]["categories"].as_array().unwrap() {
            gql(
                &app,
                Some(&akimat),
                DECIDE,
                json!({ "id": c["id"], "c": true }),
            )
            .await
            .ok();
        }
    }
    let f = gql(&app, None, "query($id: ID!) { voucherCampaignFigures(id: $id) { total { applications vouchers } byDirection { group applications } byCategory { group applications } budget } }", json!({ "id": cid })).await;
    let f = &f.ok()["voucherCampaignFigures"];
    assert_eq!(f["total"]["applications"], 12);
    assert_eq!(f["total"]["vouchers"], 0);
    assert_eq!(
        f["byDirection"],
        json!([{ "group": "sport", "applications": 12 }])
    );
    assert_eq!(
        f["byCategory"],
        json!([{ "group": "asp", "applications": null }, { "group": "large_family", "applications": 12 }]),
        "one child on social assistance is not shown"
    );
    assert_eq!(f["budget"], 150_000);
}

/// A provider changes its section: the new name, price, schedule and places are what parents
/// see; the places never fall below the children enrolled; the direction stays (a different
/// one is a new section); the audit trail keeps what it was.
#[tokio::test(flavor = "multi_thread")]
async fn a_provider_changes_its_section_but_never_below_the_children_enrolled() {
    let app = spawn_app_with_demo().await;
    let (_, aruzhan_v, sofya_v) = allocated(&app).await;
    let (provider, org) = approved_provider(&app).await;
    let parent = token(&app, "parent").await;
    let teacher = token(&app, "teacher.parent").await;
    let id = new_section(
        &app,
        &provider,
        section_input(&org, "Футбол", 18_000, 2, (1, "16:00", "17:30")),
    )
    .await;
    for (token, voucher) in [(&parent, &aruzhan_v), (&teacher, &sofya_v)] {
        gql(&app, Some(token), ENROL, json!({ "v": voucher, "s": id }))
            .await
            .ok();
    }
    let update = |name: &str, price: i64, capacity: i32| {
        let mut v = section_input(&org, name, price, capacity, (2, "15:00", "16:30"));
        v["id"] = json!(id);
        v["i"]["schedule"]
            .as_array_mut()
            .unwrap()
            .push(json!({ "day": 4, "start": "15:00", "end": "16:30" }));
        v
    };

    // Two children are enrolled: one place is too few, and nothing changes.
    let r = gql(
        &app,
        Some(&provider),
        UPDATE_SECTION,
        update("Футбол U10", 20_000, 1),
    )
    .await;
    assert_eq!(r.code().as_deref(), Some("BAD_USER_INPUT"), "{}", r.body);
    assert!(
        r.body["errors"][0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("2 children are enrolled")),
        "{}",
        r.body
    );
    // Three places, a new name, price and two sessions a week.
    let r = gql(
        &app,
        Some(&provider),
        UPDATE_SECTION,
        update("Футбол U10", 20_000, 3),
    )
    .await;
    assert_eq!(
        r.ok()["updateVoucherSection"],
        json!({ "id": id, "name": "Футбол U10", "capacity": 3, "placesLeft": 1, "monthlyPrice": 20_000,
                "schedule": [{ "day": 2, "start": "15:00", "end": "16:30" }, { "day": 4, "start": "15:00", "end": "16:30" }] })
    );
    // The parent's offer follows: the voucher pays 15,000 of the new 20,000.
    let offers = gql(&app, Some(&parent), "query($v: ID!) { voucherSectionsForVoucher(voucherId: $v) { section { id name } ownPayment } }", json!({ "v": aruzhan_v })).await;
    let offer = offers.ok()["voucherSectionsForVoucher"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["section"]["id"] == json!(id))
        .cloned();
    assert_eq!(
        offer,
        Some(json!({ "section": { "id": id, "name": "Футбол U10" }, "ownPayment": 5_000 }))
    );

    // Another direction is another section.
    let mut arts = update("Футбол U10", 20_000, 3);
    arts["i"]["direction"] = json!("ARTS");
    let r = gql(&app, Some(&provider), UPDATE_SECTION, arts).await;
    assert_eq!(r.code().as_deref(), Some("BAD_USER_INPUT"), "{}", r.body);
    // A section that is not the provider's is not found.
    let mut other = update("Футбол U10", 20_000, 3);
    other["id"] = json!("999999");
    let r = gql(&app, Some(&provider), UPDATE_SECTION, other).await;
    assert_eq!(r.code().as_deref(), Some("NOT_FOUND"), "{}", r.body);

    // The trail says what changed, and from what.
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let trail = entities::audit_event::Entity::find()
        .filter(entities::audit_event::Column::Action.eq("voucher.section.updated"))
        .filter(entities::audit_event::Column::SubjectId.eq(id.as_str()))
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(trail.len(), 1);
    let details: Value = serde_json::from_str(&trail[0].details).unwrap();
    assert_eq!(
        (
            &details["was"]["name"],
            &details["now"]["name"],
            &details["was"]["capacity"],
            &details["now"]["capacity"]
        ),
        (&json!("Футбол"), &json!("Футбол U10"), &json!(2), &json!(3))
    );
}

/// The akimat changes a campaign before its window opens: the budget, window and directions
/// are what the campaign then says, its seed's commitment unchanged; once the window has opened
/// the terms are fixed (`CAMPAIGN_STARTED`), and a campaign of another region is not found.
#[tokio::test(flavor = "multi_thread")]
async fn a_campaign_changes_until_its_window_opens_and_then_holds() {
    let app = spawn_app_with_demo().await;
    let akimat = token(&app, "akimat").await;
    let t = table(&app, &akimat).await;
    let now = chrono::Utc::now();
    let (first, last) = (add_months(this_month(), 2), add_months(this_month(), 6));
    let input = |opens: chrono::DateTime<chrono::Utc>, budget: i64, arts: bool| {
        let mut directions = vec![json!({ "direction": "SPORT", "monthlyValue": 15_000 })];
        if arts {
            directions.push(json!({ "direction": "ARTS", "monthlyValue": 12_000 }));
        }
        json!({ "regionKato": "710000000", "name": "Astana clubs, spring",
            "firstMonth": first, "lastMonth": last,
            "opensAt": opens.to_rfc3339(), "closesAt": (opens + chrono::Duration::days(14)).to_rfc3339(),
            "budget": budget, "directions": directions,
            "ageMin": 4, "ageMax": 18, "priorityTableId": t,
            "unusedDays": 30, "confirmDays": 10, "attendanceThresholdPct": 75 })
    };
    let opens = now + chrono::Duration::days(3);
    let r = gql(
        &app,
        Some(&akimat),
        OPEN,
        json!({ "i": input(opens, 1_000_000, false) }),
    )
    .await;
    let opened = r.ok()["openVoucherCampaign"].clone();
    let id = opened["id"].as_str().unwrap().to_owned();

    // Three days before the window: a larger budget, arts added, the window a day later.
    let later = opens + chrono::Duration::days(1);
    let r = gql(
        &app,
        Some(&akimat),
        UPDATE_CAMPAIGN,
        json!({ "id": id, "i": input(later, 1_500_000, true) }),
    )
    .await;
    let changed = r.ok()["updateVoucherCampaign"].clone();
    assert_eq!(
        (
            &changed["budget"],
            &changed["seedCommitment"],
            &changed["directions"]
        ),
        (
            &json!(1_500_000),
            &opened["seedCommitment"],
            &json!([{ "direction": "ARTS", "monthlyValue": 12_000 }, { "direction": "SPORT", "monthlyValue": 15_000 }])
        )
    );
    assert_eq!(
        chrono::DateTime::parse_from_rfc3339(changed["opensAt"].as_str().unwrap())
            .unwrap()
            .timestamp(),
        later.timestamp()
    );
    // Bad input is named, and changes nothing.
    let mut bad = input(later, 0, true);
    bad["budget"] = json!(0);
    let r = gql(
        &app,
        Some(&akimat),
        UPDATE_CAMPAIGN,
        json!({ "id": id, "i": bad }),
    )
    .await;
    assert_eq!(r.code().as_deref(), Some("BAD_USER_INPUT"), "{}", r.body);
    // Another region's officer does not find it.
    let mut other = input(later, 1_500_000, true);
    other["regionKato"] = json!("750000000");
    let r = gql(
        &app,
        Some(&akimat),
        UPDATE_CAMPAIGN,
        json!({ "id": "999999", "i": other }),
    )
    .await;
    assert_eq!(r.code().as_deref(), Some("NOT_FOUND"), "{}", r.body);

    // A campaign whose window has opened holds its terms.
    let started = campaign(&app, &akimat, &t).await;
    let r = gql(
        &app,
        Some(&akimat),
        UPDATE_CAMPAIGN,
        json!({ "id": started["id"], "i": input(now - chrono::Duration::hours(1), 9_000_000, true) }),
    )
    .await;
    assert_eq!(
        r.body["errors"][0]["extensions"]["reason"], "CAMPAIGN_STARTED",
        "{}",
        r.body
    );

    // The trail says what changed, and from what.
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let trail = entities::audit_event::Entity::find()
        .filter(entities::audit_event::Column::Action.eq("voucher.campaign.changed"))
        .filter(entities::audit_event::Column::SubjectId.eq(id.as_str()))
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(trail.len(), 1);
    let details: Value = serde_json::from_str(&trail[0].details).unwrap();
    assert_eq!(
        (
            &details["was"]["budget"],
            &details["now"]["budget"],
            &details["now"]["directions"]
        ),
        (
            &json!(1_000_000),
            &json!(1_500_000),
            &json!({ "arts": 12_000, "sport": 15_000 })
        )
    );
}

/// The ranking is listed by rank by the API, page after page (a page of one here), not only
/// within the page a caller holds; the default order is still as the applications came in.
#[tokio::test(flavor = "multi_thread")]
async fn applications_are_listed_in_rank_order_across_pages() {
    let app = spawn_app_with_demo().await;
    let (cid, _, _) = allocated(&app).await;
    let akimat = token(&app, "akimat").await;
    // The ranks against the order of arrival: the first unranked, the last first.
    use entities::voucher_application as application;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
    let rows = application::Entity::find()
        .filter(application::Column::CampaignId.eq(cid.parse::<i64>().unwrap()))
        .order_by_asc(application::Column::Id)
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(rows.len(), 3);
    for (row, rank) in rows.iter().zip([None, Some(2), Some(1)]) {
        application::Entity::update_many()
            .col_expr(application::Column::Rank, rank.into())
            .filter(application::Column::Id.eq(row.id))
            .exec(&app.db)
            .await
            .unwrap();
    }
    let id = |i: usize| json!(rows[i].id.to_string());
    const PAGE: &str = "query($c: ID!, $o: VoucherApplicationOrder!, $a: String) { voucherApplications(campaignId: $c, order: $o, first: 1, after: $a) { totalCount pageInfo { hasNextPage endCursor } nodes { id rank } } }";
    let walk = |order: &'static str| {
        let (app, akimat, cid) = (&app, &akimat, &cid);
        async move {
            let mut seen = Vec::new();
            let mut after = Value::Null;
            loop {
                let r = gql(
                    app,
                    Some(akimat),
                    PAGE,
                    json!({ "c": cid, "o": order, "a": after }),
                )
                .await;
                let list = r.ok()["voucherApplications"].clone();
                seen.extend(list["nodes"].as_array().unwrap().iter().cloned());
                if list["pageInfo"]["hasNextPage"] != true {
                    return seen;
                }
                after = list["pageInfo"]["endCursor"].clone();
            }
        }
    };
    assert_eq!(
        walk("RANK").await,
        [
            json!({ "id": id(2), "rank": 1 }),
            json!({ "id": id(1), "rank": 2 }),
            json!({ "id": id(0), "rank": null })
        ]
    );
    assert_eq!(
        walk("SUBMITTED").await,
        [
            json!({ "id": id(0), "rank": null }),
            json!({ "id": id(1), "rank": 2 }),
            json!({ "id": id(2), "rank": 1 })
        ]
    );
    // A cursor of the other order is refused with the field named.
    let r = gql(
        &app,
        Some(&akimat),
        PAGE,
        json!({ "c": cid, "o": "RANK", "a": adal_core::pagination::encode_cursor("12") }),
    )
    .await;
    assert_eq!(r.code().as_deref(), Some("BAD_USER_INPUT"), "{}", r.body);
}

/// Before a new table is saved, the officer sees what it would change: each application whose
/// score or place by score moves, the largest move first; a rejected category counts under
/// neither table; nothing is saved; another region's officer may not look.
#[tokio::test(flavor = "multi_thread")]
async fn a_proposed_table_shows_whose_place_it_would_change_before_it_is_saved() {
    let app = spawn_app_with_demo().await;
    let akimat = token(&app, "akimat").await;
    let parent = token(&app, "parent").await;
    let teacher = token(&app, "teacher.parent").await;
    let t = table(&app, &akimat).await;
    let cid = campaign(&app, &akimat, &t).await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let mut ids = HashMap::new();
    for (who, child, cat, confirm) in [
        (&parent, aruzhan(), "disability", true),
        (&teacher, sofya(), "asp", false),
        (&parent, alikhan(), "large_family", true),
    ] {
        let r = gql(
            &app,
            Some(who),
            APPLY,
            apply_input(&cid, &child, &[(cat, "ref")]),
        )
        .await;
        let a = r.ok()["applyForVoucher"].clone();
        gql(
            &app,
            Some(&akimat),
            DECIDE,
            json!({ "id": category_id(&a, cat), "c": confirm, "r": "checked" }),
        )
        .await
        .ok();
        ids.insert(cat, a["id"].as_str().unwrap().to_owned());
    }
    const PREVIEW: &str = "query($r: String!, $w: [VoucherCategoryWeightInput!]!) { voucherPriorityPreview(regionKato: $r, weights: $w) { campaign { id } applications changes { applicationId childName scoreNow scoreThen placeNow placeThen } } }";
    let tables_before = gql(&app, None, "{ voucherPriorityTables { id } }", json!({})).await;
    // Large families up to 6, the allowance for targeted assistance (Софья's, rejected) to 9.
    let weights = json!([
        { "category": "orphan", "weight": 5 }, { "category": "disability", "weight": 4 },
        { "category": "asp", "weight": 9 }, { "category": "large_family", "weight": 6 }
    ]);
    let r = gql(
        &app,
        Some(&akimat),
        PREVIEW,
        json!({ "r": "710000000", "w": weights }),
    )
    .await;
    let ours = r.ok()["voucherPriorityPreview"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["campaign"]["id"] == json!(cid))
        .cloned()
        .unwrap_or_else(|| panic!("no preview of the campaign: {}", r.body));
    assert_eq!(ours["applications"], 3);
    let changes = ours["changes"].as_array().unwrap();
    let brief: Vec<Value> = changes
        .iter()
        .map(|c| {
            json!([
                c["applicationId"],
                c["scoreNow"],
                c["scoreThen"],
                c["placeNow"],
                c["placeThen"]
            ])
        })
        .collect();
    // Әлихан from 2 to 6 points rises to the first place; Аружан keeps 4 and is second.
    assert_eq!(
        brief,
        [
            json!([ids["large_family"], 2, 6, 2, 1]),
            json!([ids["disability"], 4, 4, 1, 2])
        ]
    );
    assert!(
        changes[0]["childName"]
            .as_str()
            .is_some_and(|n| n.contains("Әлихан")),
        "{}",
        r.body
    );
    // Nothing was saved.
    let tables_after = gql(&app, None, "{ voucherPriorityTables { id } }", json!({})).await;
    assert_eq!(tables_before.ok(), tables_after.ok());
    // Another region is not the officer's to preview.
    let r = gql(
        &app,
        Some(&akimat),
        PREVIEW,
        json!({ "r": "750000000", "w": [] }),
    )
    .await;
    assert_eq!(r.code().as_deref(), Some("FORBIDDEN"), "{}", r.body);
}

/// A person (with `contact`: a phone or an e-mail) and their account holding `role`, both
/// created by the operator; returns the account's token and the person's id.
async fn staff_with_person(
    app: &TestApp,
    login: &str,
    iin11: &str,
    contact: Value,
    language: &str,
    role: Value,
) -> (String, i64) {
    let admin = token(app, "admin").await;
    let mut person = json!({ "iin": valid_id(iin11), "lastName": "Сейітов", "firstName": login });
    person
        .as_object_mut()
        .unwrap()
        .extend(contact.as_object().unwrap().clone());
    let p = gql(
        app,
        Some(&admin),
        "mutation($i: PersonInput!) { createPerson(input: $i) { id } }",
        json!({ "i": person }),
    )
    .await;
    let pid = p.ok()["createPerson"]["id"].as_str().unwrap().to_owned();
    gql(
        app,
        Some(&admin),
        "mutation($i: CreateAccountInput!) { createAccount(input: $i) { id } }",
        json!({ "i": { "login": login, "password": "a-long-secret-42", "language": language,
            "personId": pid, "roles": [role] } }),
    )
    .await
    .ok();
    (
        token_with(app, login, "a-long-secret-42").await,
        pid.parse().unwrap(),
    )
}

/// The notices of message `id` in the outbox: (person, channel, language), by person.
async fn told_of(app: &TestApp, id: &str) -> Vec<(i64, String, String)> {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
    let mut told: Vec<(i64, String, String)> = entities::notification_message::Entity::find()
        .filter(
            entities::notification_message::Column::IdempotencyKey
                .starts_with(format!("voucher-message:{id}:")),
        )
        .order_by_asc(entities::notification_message::Column::PersonId)
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|m| {
            assert_eq!(m.purpose, "voucher_message");
            (m.person_id.unwrap(), m.channel, m.language)
        })
        .collect();
    told.sort();
    told
}

#[tokio::test(flavor = "multi_thread")]
async fn a_conversation_carries_files_for_its_sides_and_tells_every_message_to_the_others() {
    let app = spawn_app_with_demo().await;
    let Club {
        aruzhan_v,
        provider,
        org,
        section: football,
        ..
    } = club_with_aruzhan(&app, "Футбол", (1, "16:00", "17:30")).await;
    let parent = token(&app, "parent").await;
    let teacher = token(&app, "teacher.parent").await;
    let akimat = token(&app, "akimat").await;
    let mine = gql(&app, Some(&parent), MINE, json!({})).await;
    let application = mine.ok()["myVoucherApplications"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["voucher"]["id"] == aruzhan_v.as_str())
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let parent_person = {
        use sea_orm::EntityTrait;
        entities::voucher_application::Entity::find_by_id(application.parse::<i64>().unwrap())
            .one(&app.db)
            .await
            .unwrap()
            .unwrap()
            .parent_person_id
    };
    // Staff reached through the person their account belongs to: the club's coach by e-mail
    // in English, a second officer of Astana by SMS in Russian. The demo's officer and the
    // club's first account belong to nobody: they have no address (their portals show the
    // messages as new).
    let (coach, coach_person) = staff_with_person(
        &app,
        "coach",
        "85010130001",
        json!({ "email": "coach@example.kz" }),
        "EN",
        json!({ "role": "PROVIDER_STAFF", "organisationId": org }),
    )
    .await;
    let (officer, officer_person) = staff_with_person(
        &app,
        "officer.two",
        "80020230002",
        json!({ "phone": "+77010000002" }),
        "RU",
        json!({ "role": "AKIMAT_OFFICER", "regionKato": "710000000" }),
    )
    .await;

    // The parent sends a PDF with no text; a message of neither, or of a file that is no
    // PDF, PNG or JPEG, is refused.
    const POST: &str = "mutation($id: ID!, $b: String!, $file: Upload) { postVoucherMessage(kind: APPLICATION, id: $id, body: $b, file: $file) { id side body document { fileName contentType size downloadPath } } }";
    let pdf = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n".to_vec();
    let sent = gql_upload(
        &app,
        &parent,
        POST,
        json!({ "id": application, "b": "", "file": null }),
        vec![("variables.file", "chek.pdf", pdf.clone())],
    )
    .await;
    let sent = sent.ok()["postVoucherMessage"].clone();
    assert_eq!(sent["side"], "PARENT");
    assert_eq!(sent["body"], "");
    let path = sent["document"]["downloadPath"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        sent["document"],
        json!({ "fileName": "chek.pdf", "contentType": "application/pdf",
            "size": pdf.len(), "downloadPath": path })
    );
    // The provider reaches the application's conversation from its section's roster, where
    // the message shows as new.
    let roster = gql(
        &app,
        Some(&provider),
        "query($s: ID!, $m: Int!) { voucherSectionRoster(sectionId: $s, month: $m) { voucherId applicationId applicationUnreadMessages } }",
        json!({ "s": football, "m": this_month() }),
    )
    .await;
    assert_eq!(
        roster.ok()["voucherSectionRoster"],
        json!([{ "voucherId": aruzhan_v, "applicationId": application,
            "applicationUnreadMessages": 1 }])
    );
    let nothing = gql(
        &app,
        Some(&parent),
        POST,
        json!({ "id": application, "b": " " }),
    )
    .await;
    assert_eq!(nothing.code().as_deref(), Some("BAD_USER_INPUT"));
    let page = gql_upload(
        &app,
        &parent,
        POST,
        json!({ "id": application, "b": "see this", "file": null }),
        vec![(
            "variables.file",
            "chek.pdf",
            b"<html><script></script>".to_vec(),
        )],
    )
    .await;
    assert_eq!(page.code().as_deref(), Some("BAD_USER_INPUT"));
    // Another family can neither write in the thread nor leave a file in the store.
    let stranger = gql_upload(
        &app,
        &teacher,
        POST,
        json!({ "id": application, "b": "", "file": null }),
        vec![("variables.file", "x.pdf", pdf.clone())],
    )
    .await;
    assert_eq!(stranger.code().as_deref(), Some("NOT_FOUND"));

    // Each side opens the file (on the trail); another family and the anonymous do not.
    for who in [&parent, &provider, &coach, &akimat, &officer] {
        let (status, headers, bytes) = get_path(&app, Some(who), &path).await;
        assert_eq!((status, bytes), (200, pdf.clone()));
        assert_eq!(headers["content-type"], "application/pdf");
    }
    let (status, _, _) = get_path(&app, Some(&teacher), &path).await;
    assert_eq!(status, 404, "another family's conversation");
    let (status, _, _) = get_path(&app, None, &path).await;
    assert_eq!(status, 401);
    {
        use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
        let opened = entities::audit_event::Entity::find()
            .filter(entities::audit_event::Column::Action.eq("document.download"))
            .filter(entities::audit_event::Column::SubjectType.eq("voucher_message"))
            .filter(entities::audit_event::Column::SubjectId.eq(sent["id"].as_str().unwrap()))
            .count(&app.db)
            .await
            .unwrap();
        assert_eq!(opened, 5, "each opening is on the trail");
    }
    // A message of text only has no document, and no path serves one.
    let said = gql(
        &app,
        Some(&coach),
        POST,
        json!({ "id": application, "b": "Received, thank you" }),
    )
    .await;
    let said = said.ok()["postVoucherMessage"].clone();
    assert_eq!(
        (said["side"].as_str(), &said["document"]),
        (Some("PROVIDER"), &Value::Null)
    );
    let text_path = format!(
        "/vouchers/messages/{}/document",
        said["id"].as_str().unwrap()
    );
    let (status, _, _) = get_path(&app, Some(&parent), &text_path).await;
    assert_eq!(status, 404);
    let thread = gql(
        &app,
        Some(&akimat),
        "query($id: ID!) { voucherConversation(kind: APPLICATION, id: $id) { side document { fileName downloadPath } } }",
        json!({ "id": application }),
    )
    .await;
    assert_eq!(
        thread.ok()["voucherConversation"],
        json!([{ "side": "PARENT", "document": { "fileName": "chek.pdf", "downloadPath": path } },
               { "side": "PROVIDER", "document": null }])
    );

    // Every message is told to the other sides, never to its writer: the parent's to the
    // provider's and the akimat's staff, the provider's to the parent and the akimat, the
    // akimat's to the parent and the provider; each in the recipient's language.
    let sms = |p: i64, l: &str| (p, "sms".to_owned(), l.to_owned());
    let email = |p: i64, l: &str| (p, "email".to_owned(), l.to_owned());
    let parent_notice = {
        use sea_orm::EntityTrait;
        let p = entities::person::Entity::find_by_id(parent_person)
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        let channel = adal_notifications::outbox::preferred_channel(&p);
        (parent_person, channel.as_str().to_owned(), p.language)
    };
    let mut expected = vec![email(coach_person, "en"), sms(officer_person, "ru")];
    expected.sort();
    assert_eq!(told_of(&app, sent["id"].as_str().unwrap()).await, expected);
    let mut expected = vec![parent_notice.clone(), sms(officer_person, "ru")];
    expected.sort();
    assert_eq!(told_of(&app, said["id"].as_str().unwrap()).await, expected);
    let ruled = gql(
        &app,
        Some(&officer),
        POST,
        json!({ "id": application, "b": "Құжат қабылданды" }),
    )
    .await;
    let ruled = ruled.ok()["postVoucherMessage"].clone();
    assert_eq!(ruled["side"], "AKIMAT");
    let mut expected = vec![parent_notice, email(coach_person, "en")];
    expected.sort();
    assert_eq!(told_of(&app, ruled["id"].as_str().unwrap()).await, expected);
    // The coach reads it in English, the officer in Russian.
    let texts = messages(&app, "voucher_message").await;
    assert!(
        texts.iter().any(|(p, b)| *p == Some(coach_person)
            && b == "Adal: a new message about Аружан's voucher. Read it on the portal."),
        "{texts:?}"
    );
    assert!(
        texts.iter().any(|(p, b)| *p == Some(officer_person)
            && b == "Adal: новое сообщение о ваучере Аружан. Прочитайте на портале."),
        "{texts:?}"
    );
}

/// The attendance of a month as the caller sees it: voucher id → (status, anomaly, the parent's
/// dispute reason).
async fn attendance_of(
    app: &TestApp,
    who: &str,
    month: i32,
) -> HashMap<String, (Value, Value, Value)> {
    let r = gql(
        app,
        Some(who),
        "query($m: Int!) { voucherAttendance(month: $m) { voucherId status anomaly disputeReason } }",
        json!({ "m": month }),
    )
    .await;
    r.ok()["voucherAttendance"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["voucherId"].as_str().unwrap().to_owned(),
                (
                    a["status"].clone(),
                    a["anomaly"].clone(),
                    a["disputeReason"].clone(),
                ),
            )
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_month_at_a_club_while_the_school_turnstile_shows_the_child_inside_is_flagged() {
    use chrono::{Datelike, NaiveDate};
    use sea_orm::{ActiveModelTrait, EntityTrait, IntoActiveModel, Set};

    let app = spawn_app_with_demo().await;
    let parent = token(&app, "parent").await;
    let teacher = token(&app, "teacher.parent").await;
    let akimat = token(&app, "akimat").await;
    let school_admin = token(&app, "school.admin").await;
    let month = this_month();

    // A day of this month that is not the demo's school day (whose passes are the demo's own),
    // and the club's session on its weekday, 16:00-17:30.
    let first = NaiveDate::from_ymd_opt(month / 100, (month % 100) as u32, 1).unwrap();
    let demo = adal_schools::demo::demo_day(chrono::Utc::now());
    let day = if first == demo {
        first.succ_opt().unwrap()
    } else {
        first
    };
    let weekday = day.weekday().number_from_monday() as i32;
    let Club {
        campaign: cid,
        aruzhan_v,
        sofya_v,
        provider,
        section: club,
        ..
    } = club_with_aruzhan(&app, "Күрес", (weekday, "16:00", "17:30")).await;
    gql(
        &app,
        Some(&teacher),
        ENROL,
        json!({ "v": sofya_v, "s": club }),
    )
    .await
    .ok();

    // Both children are pupils of the demo school with its cards. A turnstile at the side door,
    // installed before that day: Аружан stayed at school until 17:00, Софья left at 15:30 (and
    // stayed late the next day, another weekday).
    let school = org_id(&app, adal_schools::demo::SCHOOL_BIN).await;
    let r = gql(
        &app,
        Some(&school_admin),
        "mutation($s: ID!) { registerSchoolDevice(schoolId: $s, kind: TURNSTILE, name: \"Turnstile, side door\", clientId: \"school1-side-door\") { device { id } } }",
        json!({ "s": school }),
    )
    .await;
    let device: i64 = r.ok()["registerSchoolDevice"]["device"]["id"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    let d = entities::school_device::Entity::find_by_id(device)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let mut am = d.into_active_model();
    am.registered_at = Set(adal_core::clock::at_local(
        day - chrono::Duration::days(1),
        chrono::NaiveTime::MIN,
    ));
    am.update(&app.db).await.unwrap();
    let child_of = async |v: &str| {
        entities::voucher::Entity::find_by_id(v.parse::<i64>().unwrap())
            .one(&app.db)
            .await
            .unwrap()
            .unwrap()
            .child_person_id
    };
    let card = |person: i64| format!("04A1{person:06X}");
    let (aruzhan, sofya) = (child_of(&aruzhan_v).await, child_of(&sofya_v).await);
    let at = |d: NaiveDate, hhmm: &str| {
        adal_core::clock::at_local(d, chrono::NaiveTime::parse_from_str(hhmm, "%H:%M").unwrap())
    };
    let next = day.succ_opt().unwrap();
    let passes = [
        (aruzhan, "ENTRY", day, "08:00"),
        (sofya, "ENTRY", day, "08:02"),
        (sofya, "EXIT", day, "15:30"),
        (aruzhan, "EXIT", day, "17:00"),
        (sofya, "ENTRY", next, "08:00"),
        (sofya, "EXIT", next, "18:00"),
    ];
    let events = passes
        .iter()
        .enumerate()
        .map(|(i, (person, kind, d, t))| adal_schools::events::EventIn {
            seq: i as i64 + 1,
            kind: if *kind == "ENTRY" {
                adal_schools::vocab::SchoolEventKind::Entry
            } else {
                adal_schools::vocab::SchoolEventKind::Exit
            },
            method: adal_schools::vocab::CredentialKind::Card,
            credential: card(*person),
            at: at(*d, t),
            dishes: vec![],
        })
        .collect();
    // What `uploadSchoolEvents` does with the device's batch, at the time the device sent it
    // (the evening after), so that the day may be any of the month without waiting for it.
    let answer = adal_schools::events::upload_with(
        &app.db,
        device,
        events,
        at(next, "20:00"),
        adal_schools::events::Notices::Quiet,
    )
    .await
    .unwrap();
    assert!(
        answer
            .answers
            .iter()
            .all(|a| a.code.is_none() && !a.clock_suspect),
        "{answer:?}"
    );

    // The provider records the month; both parents confirm it.
    let rows = json!([
        { "voucherId": aruzhan_v, "sessionsHeld": 4, "sessionsAttended": 4 },
        { "voucherId": sofya_v, "sessionsHeld": 4, "sessionsAttended": 3 }
    ]);
    let rec = gql(
        &app,
        Some(&provider),
        RECORD,
        json!({ "s": club, "m": month, "r": rows }),
    )
    .await;
    for (who, a) in [(&parent, 0), (&teacher, 1)] {
        let id = rec.ok()["recordVoucherAttendance"][a]["id"].clone();
        let r = gql(
            &app,
            Some(who),
            "mutation($id: ID!) { answerVoucherAttendance(id: $id, confirm: true) { status } }",
            json!({ "id": id }),
        )
        .await;
        assert_eq!(r.ok()["answerVoucherAttendance"]["status"], "CONFIRMED");
    }

    // The payouts wait: Аружан's month is flagged with the day and times the turnstile shows;
    // Софья, who left before the session, is not.
    let officer = account_actor(&app, "akimat").await;
    let presence = adal_server::wiring::school_presence();
    let run = adal_vouchers::attendance::compute_payouts(
        &app.db,
        &officer,
        cid.parse().unwrap(),
        month,
        chrono::Utc::now() + chrono::Duration::days(40),
        Some(presence.source()),
    )
    .await;
    assert!(
        matches!(
            &run,
            Err(adal_core::error::ApiError::ConflictBecause { reason, .. })
                if reason.as_str() == "ATTENDANCE_PENDING"
        ),
        "{run:?}"
    );
    let seen = attendance_of(&app, &akimat, month).await;
    let reason = format!(
        "the school's turnstile shows the child inside school on {} from 08:00 to 17:00, \
         during the section's session 16:00-17:30",
        day.format("%d.%m.%Y")
    );
    assert_eq!(
        seen[&aruzhan_v],
        (json!("DISPUTED"), json!(reason), Value::Null)
    );
    assert_eq!(
        seen[&sofya_v],
        (json!("CONFIRMED"), Value::Null, Value::Null)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_month_not_answered_in_time_is_marked_auto_confirmed_by_the_hourly_pass() {
    use sea_orm::{
        ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder, Set,
    };

    let app = spawn_app_with_demo().await;
    let Club {
        campaign: cid,
        aruzhan_v,
        sofya_v,
        provider,
        section: club,
        ..
    } = club_with_aruzhan(&app, "Футбол", (1, "16:00", "17:30")).await;
    let parent = token(&app, "parent").await;
    let teacher = token(&app, "teacher.parent").await;
    gql(
        &app,
        Some(&teacher),
        ENROL,
        json!({ "v": sofya_v, "s": club }),
    )
    .await
    .ok();
    let month = this_month();
    let rec = gql(
        &app,
        Some(&provider),
        RECORD,
        json!({ "s": club, "m": month, "r": [
            { "voucherId": aruzhan_v, "sessionsHeld": 8, "sessionsAttended": 7 },
            { "voucherId": sofya_v, "sessionsHeld": 8, "sessionsAttended": 8 }] }),
    )
    .await;
    let ids: Vec<i64> = rec.ok()["recordVoucherAttendance"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap().parse().unwrap())
        .collect();
    let (id, sofya_id) = (ids[0], ids[1]);
    let recorded_at = entities::voucher_attendance::Entity::find_by_id(id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .recorded_at;
    // Софья's month was recorded five days later (a correction the provider sent then).
    let mut sofya = entities::voucher_attendance::Entity::find_by_id(sofya_id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .into_active_model();
    sofya.recorded_at = Set(recorded_at + chrono::Duration::days(5));
    sofya.update(&app.db).await.unwrap();
    // The campaign gives the parents 10 days to answer.
    let deadline = recorded_at + chrono::Duration::days(10);
    let marked = || async {
        entities::audit_event::Entity::find()
            .filter(entities::audit_event::Column::Action.eq("voucher.attendance.auto_confirmed"))
            .filter(entities::audit_event::Column::SubjectId.eq(cid.as_str()))
            .order_by_asc(entities::audit_event::Column::Id)
            .all(&app.db)
            .await
            .unwrap()
            .into_iter()
            .map(|e| {
                assert_eq!(e.actor_account_id, None);
                let d: Value = serde_json::from_str(&e.details).unwrap();
                d["attendance"].clone()
            })
            .collect::<Vec<_>>()
    };

    // An hour before the answer time is over, the pass leaves the month waiting (it marks only
    // the demo campaign's months already due).
    let pass = |at| adal_vouchers::attendance::auto_confirm_due(&app.db, at);
    pass(deadline - chrono::Duration::hours(1)).await.unwrap();
    assert_eq!(
        attendance_of(&app, &parent, month).await[&aruzhan_v].0,
        "RECORDED"
    );
    // An hour after, it counts as confirmed and is marked so, without the payouts, once, with
    // an audit row naming it. Софья's month still has five days.
    assert!(pass(deadline + chrono::Duration::hours(1)).await.unwrap() >= 1);
    assert_eq!(
        attendance_of(&app, &parent, month).await[&aruzhan_v].0,
        "AUTO_CONFIRMED"
    );
    assert_eq!(
        attendance_of(&app, &teacher, month).await[&sofya_v].0,
        "RECORDED"
    );
    assert_eq!(
        pass(deadline + chrono::Duration::hours(2)).await.unwrap(),
        0
    );
    assert_eq!(marked().await, vec![json!([id])]);

    // Софья's parent answers an hour after her month's time is over, before the next pass: the
    // answer is refused, and the month is marked then, on the trail as well.
    let late = adal_vouchers::attendance::answer(
        &app.db,
        &account_actor(&app, "teacher.parent").await,
        sofya_id,
        false,
        Some("she was ill for two weeks".into()),
        deadline + chrono::Duration::days(5) + chrono::Duration::hours(1),
    )
    .await
    .unwrap_err();
    assert_eq!(
        late.reason(),
        Some(adal_vouchers::vocab::VoucherRefusal::AnswerWindowOver.into())
    );
    assert_eq!(
        attendance_of(&app, &teacher, month).await[&sofya_v].0,
        "AUTO_CONFIRMED"
    );
    assert_eq!(marked().await, vec![json!([id]), json!([sofya_id])]);
}
