#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail by panicking
//! Vouchers (issue 15): an akimat officer runs a campaign from its priority table to the
//! allocation; parents apply and see what their rank is made of; anyone verifies the published
//! allocation; a declined voucher goes to the next child in the queue at once.

mod common;

use adal_testkit::TestApp;
use common::*;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

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

/// A campaign whose window is open now: January-May 2027, sport at 15,000 tenge a month,
/// money for exactly two vouchers.
async fn campaign(app: &TestApp, akimat: &str, table_id: &str) -> Value {
    let now = chrono::Utc::now();
    let r = gql(
        app,
        Some(akimat),
        OPEN,
        json!({ "i": { "regionKato": "710000000", "name": "Astana clubs 2027",
            "firstMonth": 202701, "lastMonth": 202705,
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
    let app = spawn_app_with_demo().await;
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
    assert_eq!(versions, [2, 1]);
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
    let again = gql(&app, Some(&parent), APPLY, apply_input(&cid, &alikhan_iin, &[])).await;
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
        (Some(202701), Some(202705))
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
        Op { name: "endVoucher", query: "mutation { endVoucher(id: \"999\", reason: \"moved away\") { freed } }".into(), variables: json!({}), allowed: &["akimat"] },
    ];
    let failures = role_matrix(&app, &ops).await;
    assert!(failures.is_empty(), "{failures:#?}");
}
