#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail by panicking
//! The obligations API as the operator, the commission and a graduate use it.

use crate::common;

use common::*;
use serde_json::json;

#[tokio::test(flavor = "multi_thread")]
async fn operations_admit_exactly_their_roles() {
    let app = spawn_app_with_demo().await;
    let admin = token(&app, "admin").await;
    let breach = graduate_id(&app, &admin, "Омаров").await;
    let staff: &[&str] = &["admin", "analyst", "commission"];
    let ops = vec![
        Op { name: "graduates", query: "{ graduates { totalCount } }".into(), variables: json!({}), allowed: staff },
        Op { name: "obligationDashboard", query: "{ obligationDashboard { graduates } }".into(), variables: json!({}), allowed: staff },
        Op { name: "applications", query: "{ applications { id } }".into(), variables: json!({}), allowed: staff },
        Op { name: "ruleSets", query: "{ ruleSets { version } }".into(), variables: json!({}), allowed: staff },
        Op { name: "myObligations", query: "{ myObligations { id } }".into(), variables: json!({}), allowed: &["graduate"] },
        Op { name: "classificationQueue", query: "{ classificationQueue { records } }".into(), variables: json!({}), allowed: &["admin", "analyst"] },
        Op { name: "importBatches", query: "{ importBatches { totalCount } }".into(), variables: json!({}), allowed: &["admin", "analyst"] },
        Op { name: "claims", query: "{ claims { graduateId } }".into(), variables: json!({}), allowed: &["admin", "analyst"] },
        Op { name: "revealIin", query: "mutation($g: ID!) { revealIin(graduateId: $g) }".into(), variables: json!({ "g": breach }), allowed: staff },
        Op { name: "previewRules", query: "mutation($r: JSON!) { previewRules(rules: $r) { count } }".into(), variables: json!({ "r": {} }), allowed: &["admin"] },
        Op { name: "reevaluateAll", query: "mutation { reevaluateAll }".into(), variables: json!({}), allowed: &["admin"] },
        Op { name: "correctGraduateTerms", query: "mutation($g: ID!) { correctGraduateTerms(graduateId: $g, input: { grantMonths: 24 }, reason: \"\") { id } }".into(), variables: json!({ "g": breach }), allowed: &["admin"] },
        Op { name: "draftClaim", query: "mutation($g: ID!) { draftClaim(graduateId: $g) { id } }".into(), variables: json!({ "g": breach }), allowed: &["admin"] },
        Op { name: "vote", query: "mutation { vote(applicationId: \"999\", approve: true, reason: \"documents are in order\") { id } }".into(), variables: json!({}), allowed: &["commission"] },
        Op { name: "endDecision", query: "mutation { endDecision(applicationId: \"999\", lastDay: \"2026-01-31\", reason: \"terms not kept\") { id } }".into(), variables: json!({}), allowed: &["commission"] },
    ];
    let failures = role_matrix(&app, &ops).await;
    // previewRules with `{}` and vote on a missing application are refused as bad input or not
    // found for the allowed roles: the access check passed, which is what this test is about.
    let failures: Vec<_> = failures
        .into_iter()
        .filter(|f| {
            !(f.contains("allowed but failed")
                && (f.contains("BAD_USER_INPUT") || f.contains("NOT_FOUND")))
        })
        .collect();
    assert!(
        failures.is_empty(),
        "role matrix failures:\n{}",
        failures.join("\n")
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_graduate_sees_their_own_obligation_and_nobody_elses() {
    let app = spawn_app_with_demo().await;
    let admin = token(&app, "admin").await;
    let other = graduate_id(&app, &admin, "Омаров").await;
    let me = token(&app, "graduate").await;
    let r = gql(&app, Some(&me), "{ myObligations { id fullName obligation { status requiredMonths creditedMonths reason(language: KK) lastEmployer { nameRu } } ledger { period state } } }", json!({})).await;
    let mine = &r.ok()["myObligations"][0];
    assert_eq!(mine["fullName"], "Ахметов Дамир Асқарұлы");
    assert_eq!(mine["obligation"]["status"], "WORKING");
    assert_eq!(
        mine["obligation"]["lastEmployer"]["nameRu"],
        "ТОО «Дала Агро»"
    );
    assert!(
        mine["obligation"]["reason"]
            .as_str()
            .unwrap()
            .contains("Жұмыс істеп жатыр")
    );
    let ledger = mine["ledger"].as_array().unwrap();
    assert_eq!(
        ledger[0],
        json!({ "period": "2024-09", "state": "CREDITED" })
    );
    let own = mine["id"].as_str().unwrap();
    let r = gql(
        &app,
        Some(&me),
        "query($id: ID!) { graduate(id: $id) { fullName } }",
        json!({ "id": own }),
    )
    .await;
    assert_eq!(r.ok()["graduate"]["fullName"], "Ахметов Дамир Асқарұлы");
    let r = gql(
        &app,
        Some(&me),
        "query($id: ID!) { graduate(id: $id) { fullName } }",
        json!({ "id": other }),
    )
    .await;
    assert_eq!(r.code().as_deref(), Some("NOT_FOUND"));
}

#[tokio::test(flavor = "multi_thread")]
async fn the_register_filters_and_explains() {
    let app = spawn_app_with_demo().await;
    let analyst = token(&app, "analyst").await;
    let q = "query($f: GraduateFilter) { graduates(filter: $f) { totalCount nodes { fullName maskedIin obligation { status reason(language: RU) } } } }";
    let r = gql(
        &app,
        Some(&analyst),
        q,
        json!({ "f": { "status": "BREACH" } }),
    )
    .await;
    let c = &r.ok()["graduates"];
    assert_eq!(c["totalCount"], 1);
    assert_eq!(c["nodes"][0]["fullName"], "Омаров Бекзат");
    assert!(
        c["nodes"][0]["maskedIin"]
            .as_str()
            .unwrap()
            .ends_with("******")
    );
    assert!(
        c["nodes"][0]["obligation"]["reason"]
            .as_str()
            .unwrap()
            .contains("возмещении")
    );
    let r = gql(
        &app,
        Some(&analyst),
        q,
        json!({ "f": { "category": "RURAL_QUOTA", "regionKato": "110000000" } }),
    )
    .await;
    // Серікова, Ли, Мұқанова and Сейітова.
    assert_eq!(r.ok()["graduates"]["totalCount"], 4);
    let r = gql(
        &app,
        Some(&analyst),
        q,
        json!({ "f": { "status": "NON_QUALIFYING" } }),
    )
    .await;
    let reason = r.ok()["graduates"]["nodes"][0]["obligation"]["reason"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(reason.contains("сельской"), "{reason}");
    let r = gql(&app, Some(&analyst), "{ obligationDashboard { graduates breachShare pendingClassification paidInLatestMonth creditedInLatestMonth byStatus { key count } } }", json!({})).await;
    let d = &r.ok()["obligationDashboard"];
    assert_eq!(d["graduates"], 10);
    assert_eq!(d["pendingClassification"], 1);
    // In the latest month six graduates were paid for: Ахметов, Серікова and Әбенов (a PhD
    // at a Nazarbayev Intellectual School) in qualifying work (credited), Ли at a city school
    // on a rural quota, Мұқанова at the school of a village made urban, and Қасымов at an
    // employer not yet classified (not credited).
    assert_eq!(d["paidInLatestMonth"], 6);
    // Credited: those three, and Сейітова by her accepted contract (no feed pays her month).
    assert_eq!(d["creditedInLatestMonth"], 4);
    // What to do next: a claim for the graduate in breach, a classification for the one whose
    // employer is not classified yet, nothing for the one working.
    let next = |status: &'static str, lang: &'static str| {
        let app = &app;
        let analyst = &analyst;
        async move {
            let r = gql(
                app,
                Some(analyst),
                "query($f: GraduateFilter, $l: Language) { graduates(filter: $f) { nodes { fullName obligation { nextStep(language: $l) } } } }",
                json!({ "f": { "status": status }, "l": lang }),
            )
            .await;
            r.ok()["graduates"]["nodes"][0]["obligation"]["nextStep"]
                .as_str()
                .unwrap()
                .to_owned()
        }
    };
    assert!(
        next("BREACH", "EN")
            .await
            .starts_with("Draft a reimbursement claim")
    );
    assert!(next("BREACH", "KK").await.contains("талап"));
    assert!(
        next("NOT_STARTED", "EN")
            .await
            .starts_with("Classify the employer")
    );
    assert!((d["breachShare"].as_f64().unwrap() - 1.0 / 10.0).abs() < 1e-9);
    let r = gql(
        &app,
        Some(&analyst),
        "{ classificationQueue { records organisation { nameRu address: bin } } }",
        json!({}),
    )
    .await;
    assert_eq!(
        r.ok()["classificationQueue"][0]["organisation"]["nameRu"],
        "ИП Жұмабаев"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_register_costs_a_fixed_number_of_statements() {
    // The counter counts every statement on the pool: no job runner polling beside the
    // requests (it would add its own, at its own time).
    let app = adal_testkit::spawn_app_with_demo_and(|s| s.job_runner = false).await;
    let analyst = token(&app, "analyst").await;
    let nodes = "nodes { id fullName maskedIin category obligation { status creditedMonths requiredMonths remainingMonths explanation } }";
    let with_total = format!("query($n: Int) {{ graduates(first: $n) {{ totalCount {nodes} }} }}");
    let without = format!("query($n: Int) {{ graduates(first: $n) {{ {nodes} }} }}");
    let mut counts = Vec::new();
    for (q, n) in [(&with_total, 2), (&with_total, 6), (&without, 6)] {
        let before = app.statements.get();
        let r = gql(&app, Some(&analyst), q, json!({ "n": n })).await;
        assert_eq!(
            r.ok()["graduates"]["nodes"].as_array().unwrap().len(),
            n as usize
        );
        if q == &with_total {
            assert_eq!(r.ok()["graduates"]["totalCount"], 10);
        }
        counts.push(app.statements.get() - before);
    }
    // Two statements identify the caller (account, role assignments); one reads the page; one
    // writes the read of personal data (the names) to the audit trail. The total costs a read
    // of the register's generation, and the count itself only the first time for a filter.
    assert_eq!(counts, vec![6, 5, 4]);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_dashboard_is_kept_until_the_register_changes() {
    use sea_orm::EntityTrait;
    let app = adal_testkit::spawn_app_with_demo_and(|s| s.job_runner = false).await;
    let analyst = token(&app, "analyst").await;
    let q = "{ obligationDashboard { graduates byStatus { key count } pendingClassification } }";
    let mut seen = Vec::new();
    for _ in 0..2 {
        let before = app.statements.get();
        let r = gql(&app, Some(&analyst), q, json!({})).await;
        seen.push((
            r.ok()["obligationDashboard"].clone(),
            app.statements.get() - before,
        ));
    }
    assert_eq!(seen[0].0["graduates"], 10);
    assert_eq!(
        seen[1].0, seen[0].0,
        "the kept figures are the computed ones"
    );
    // The second read takes the register's generation and the two live counts (the
    // classification queue, the running imports) besides the caller's, not the scans.
    assert!(
        seen[1].1 + 5 <= seen[0].1,
        "statements: first {}, kept {}",
        seen[0].1,
        seen[1].1
    );

    // Graduates arrive (as an import brings them): the next read counts them.
    let university = entities::graduate::Entity::find()
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .university_id;
    adal_testkit::fakes::insert_graduates(&app.db, 3, university, "breach", 2024)
        .await
        .unwrap();
    let r = gql(&app, Some(&analyst), q, json!({})).await;
    assert_eq!(r.ok()["obligationDashboard"]["graduates"], 13);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_graduate_applies_and_the_commission_decides() {
    let app = spawn_app_with_demo().await;
    let me = token(&app, "graduate").await;
    let r = gql(&app, Some(&me), "{ myObligations { id } }", json!({})).await;
    let gid = r.ok()["myObligations"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let apply = "mutation($i: ApplicationInput!) { applyForExemption(input: $i) { id status documents { fileName size sha256 } } }";
    let input = json!({ "i": { "graduateId": gid, "ground": "MILITARY_SERVICE", "periodStart": "2026-10-01", "periodEnd": "2027-09-30", "statement": "Called up for service", "documents": [null] } });
    let r = gql_upload(
        &app,
        &me,
        apply,
        input,
        vec![(
            "variables.i.documents.0",
            "повестка.pdf",
            b"%PDF-1.4 call-up".to_vec(),
        )],
    )
    .await;
    let app_id = r.ok()["applyForExemption"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        r.ok()["applyForExemption"]["documents"][0]["fileName"],
        "повестка.pdf"
    );
    assert_eq!(r.ok()["applyForExemption"]["status"], "SUBMITTED");

    let vote = "mutation($a: ID!, $y: Boolean!, $r: String!) { vote(applicationId: $a, approve: $y, reason: $r) { status decisionReason votes { approve } } }";
    let c1 = token(&app, "commission").await;
    let r = gql(
        &app,
        Some(&c1),
        vote,
        json!({ "a": app_id, "y": true, "r": "call-up papers attached" }),
    )
    .await;
    assert_eq!(r.ok()["vote"]["status"], "SUBMITTED");
    let r = gql(
        &app,
        Some(&c1),
        vote,
        json!({ "a": app_id, "y": true, "r": "again" }),
    )
    .await;
    assert_eq!(r.code().as_deref(), Some("CONFLICT"), "one vote per member");
    let r = gql(
        &app,
        Some(&token(&app, "commission2").await),
        vote,
        json!({ "a": app_id, "y": false, "r": "dates unclear" }),
    )
    .await;
    assert_eq!(r.ok()["vote"]["status"], "SUBMITTED");
    let r = gql(
        &app,
        Some(&token(&app, "commission3").await),
        vote,
        json!({ "a": app_id, "y": true, "r": "service confirmed" }),
    )
    .await;
    assert_eq!(r.ok()["vote"]["status"], "APPROVED");
    assert!(
        r.ok()["vote"]["decisionReason"]
            .as_str()
            .unwrap()
            .starts_with("2 for, 1 against")
    );
    let r = gql(
        &app,
        Some(&c1),
        vote,
        json!({ "a": app_id, "y": false, "r": "late vote" }),
    )
    .await;
    assert_eq!(
        r.code().as_deref(),
        Some("CONFLICT"),
        "decided cases are read-only"
    );

    let r = gql(
        &app,
        Some(&me),
        "{ myObligations { obligation { status } applications { status } } }",
        json!({}),
    )
    .await;
    assert_eq!(
        r.ok()["myObligations"][0]["obligation"]["status"],
        "SUSPENDED"
    );
    assert_eq!(
        r.ok()["myObligations"][0]["applications"][0]["status"],
        "APPROVED"
    );

    // The commission reads the case with the applicant's name and the votes in order.
    let r = gql(&app, Some(&me), "{ myObligations { fullName } }", json!({})).await;
    let name = r.ok()["myObligations"][0]["fullName"]
        .as_str()
        .unwrap()
        .to_owned();
    let r = gql(
        &app,
        Some(&c1),
        "{ applications(status: APPROVED) { id applicantName votes { approve at } } }",
        json!({}),
    )
    .await;
    let case = r.ok()["applications"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["id"] == app_id.as_str())
        .cloned()
        .unwrap();
    assert_eq!(case["applicantName"], name.as_str());
    let approvals: Vec<bool> = case["votes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["approve"].as_bool().unwrap())
        .collect();
    assert_eq!(approvals, [true, false, true], "in the order cast");
}

#[tokio::test(flavor = "multi_thread")]
async fn claims_follow_the_formula_and_close_when_paid() {
    let app = spawn_app_with_demo().await;
    let admin = token(&app, "admin").await;
    let working = graduate_id(&app, &admin, "Ахметов").await;
    let r = gql(
        &app,
        Some(&admin),
        "mutation($g: ID!) { draftClaim(graduateId: $g) { id } }",
        json!({ "g": working }),
    )
    .await;
    assert_eq!(r.code().as_deref(), Some("CONFLICT"));
    let breach = graduate_id(&app, &admin, "Омаров").await;
    let draft = "mutation($g: ID!) { draftClaim(graduateId: $g) { id amount status computation } }";
    // Proof of notice: no claim before a notice has reached the graduate.
    let r = gql(&app, Some(&admin), draft, json!({ "g": breach })).await;
    assert_eq!(r.code().as_deref(), Some("CONFLICT"));
    assert_eq!(
        r.body["errors"][0]["extensions"]["reason"],
        "NO_DELIVERED_NOTICE"
    );
    // An e-mail the SMTP server accepted is no proof that it reached the graduate.
    deliver_breach_notice_by(&app, &admin, &breach, "email").await;
    let r = gql(&app, Some(&admin), draft, json!({ "g": breach })).await;
    assert_eq!(
        r.body["errors"][0]["extensions"]["reason"],
        "NO_DELIVERED_NOTICE"
    );
    // The card and the claims page know the refusal before anyone presses the button.
    let blocked = "query($g: ID!) { graduate(id: $g) { claimBlockedBy } }";
    let r = gql(&app, Some(&admin), blocked, json!({ "g": working })).await;
    assert_eq!(r.ok()["graduate"]["claimBlockedBy"], "NOT_IN_BREACH");
    let r = gql(&app, Some(&admin), blocked, json!({ "g": breach })).await;
    assert_eq!(r.ok()["graduate"]["claimBlockedBy"], "NO_DELIVERED_NOTICE");
    deliver_notice_through_gateway(&app, &admin, &breach).await;
    let r = gql(&app, Some(&admin), blocked, json!({ "g": breach })).await;
    assert!(
        r.ok()["graduate"]["claimBlockedBy"].is_null(),
        "{:?}",
        r.body
    );
    let r = gql(&app, Some(&admin), draft, json!({ "g": breach })).await;
    let claim = &r.ok()["draftClaim"];
    // The claim's own legal notice was queued in the same transaction.
    let r = gql(
        &app,
        Some(&admin),
        "query($g: ID!) { graduate(id: $g) { messages { purpose status legal } } }",
        json!({ "g": breach }),
    )
    .await;
    let messages = r.ok()["graduate"]["messages"].clone();
    assert_eq!(messages[0]["purpose"], "CLAIM_NOTICE");
    assert_eq!(messages[0]["status"], "QUEUED");
    assert_eq!(messages[0]["legal"], true);
    assert_eq!(messages[1]["purpose"], "BREACH_NOTICE");
    assert_eq!(messages[1]["status"], "DELIVERED");
    // 3,600,000 × (36 − 6) / 36
    assert_eq!(claim["amount"], 3_000_000);
    assert_eq!(claim["computation"]["creditedMonths"], 6);
    let id = claim["id"].as_str().unwrap().to_owned();
    let r = gql(
        &app,
        Some(&admin),
        "mutation($c: ID!) { setClaimStatus(claimId: $c, status: SENT) { status } }",
        json!({ "c": id }),
    )
    .await;
    assert_eq!(r.ok()["setClaimStatus"]["status"], "SENT");
    let r = gql(&app, Some(&admin), "mutation($c: ID!) { recordClaimContact(claimId: $c, channel: PHONE, outcome: \"promised to pay\") { contacts { channel outcome } } }", json!({ "c": id })).await;
    assert_eq!(
        r.ok()["recordClaimContact"]["contacts"][0]["channel"],
        "PHONE"
    );
    let pay = "mutation($c: ID!, $a: Int!) { recordClaimPayment(claimId: $c, amount: $a, paidOn: \"2026-11-01\", reference: \"KNP 911\") { status paidTotal } }";
    let r = gql(&app, Some(&admin), pay, json!({ "c": id, "a": 1_000_000 })).await;
    assert_eq!(r.ok()["recordClaimPayment"]["status"], "PAID_IN_PART");
    let q = "query($g: ID!) { graduate(id: $g) { obligation { status } } }";
    assert_eq!(
        gql(&app, Some(&admin), q, json!({ "g": breach }))
            .await
            .ok()["graduate"]["obligation"]["status"],
        "REIMBURSING"
    );
    let r = gql(&app, Some(&admin), pay, json!({ "c": id, "a": 2_000_000 })).await;
    assert_eq!(r.ok()["recordClaimPayment"]["paidTotal"], 3_000_000);
    assert_eq!(
        gql(&app, Some(&admin), q, json!({ "g": breach }))
            .await
            .ok()["graduate"]["obligation"]["status"],
        "CLOSED"
    );

    // Reading someone's claim (its money and contacts, the name on the list) or the notices
    // sent to them is a read of personal data, on the trail like a read of the person.
    let analyst = token(&app, "analyst").await;
    for (query, vars, fields) in [
        (
            "query Claims { claims { graduateName claim { amount contacts { note } } } }",
            json!({}),
            vec!["claim", "name"],
        ),
        (
            "query Card($g: ID!) { graduate(id: $g) { claims { paidTotal } } }",
            json!({ "g": breach }),
            vec!["claim"],
        ),
        (
            "query Card($g: ID!) { graduate(id: $g) { messages { body } } }",
            json!({ "g": breach }),
            vec!["notice"],
        ),
    ] {
        let before = read_events(&app, &admin).await.len();
        gql(&app, Some(&analyst), query, vars).await.ok();
        let events = read_events(&app, &admin).await;
        assert_eq!(events.len(), before + 1, "{query}");
        assert_eq!(events[0]["details"]["fields"], json!(fields), "{query}");
        assert_eq!(events[0]["details"]["persons"], 1, "{query}");
    }
    // What carries no personal data is read without an event.
    let before = read_events(&app, &admin).await.len();
    gql(
        &app,
        Some(&analyst),
        "{ claims { graduateId claim { status } } }",
        json!({}),
    )
    .await
    .ok();
    assert_eq!(read_events(&app, &admin).await.len(), before);
}

/// Proof of notice the real way: a breach notice sent by the worker through a local stand-in
/// for the SMS gateway, then the gateway's delivery receipt applied.
async fn deliver_notice_through_gateway(app: &adal_testkit::TestApp, admin: &str, graduate: &str) {
    use adal_notifications::{vocab::Channel, webhooks};
    use adal_testkit::fakes::FakeGateway;
    let gateway = FakeGateway::start().unwrap();
    let r = gql(
        app,
        Some(admin),
        "mutation($g: ID!) { sendNotice(graduateId: $g, purpose: BREACH_NOTICE) { id channel } }",
        json!({ "g": graduate }),
    )
    .await;
    assert_eq!(r.ok()["sendNotice"]["channel"], "SMS");
    let mut settings = app.settings.clone();
    settings.sms_gateway_url = Some(gateway.url.clone());
    settings.quiet_hours_start = 0;
    settings.quiet_hours_end = 0;
    let worker =
        adal_server::wiring::worker(app.db.clone(), std::sync::Arc::new(settings)).unwrap();
    assert_eq!(worker.run_once().await.unwrap().sent, 1);
    let (key, id) = gateway.sent().into_iter().next().unwrap();
    let receipt = webhooks::Receipt {
        id: Some(id),
        reference: Some(key),
        status: "delivered".into(),
        error: None,
        at: None,
    };
    assert_eq!(
        webhooks::apply_receipt(&app.db, Channel::Sms, &receipt)
            .await
            .unwrap(),
        webhooks::ReceiptOutcome::Applied
    );
    gateway.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_registered_letter_handed_over_against_a_signature_proves_notice() {
    use adal_core::settings::Secret;
    use adal_notifications::webhooks::signed_headers;
    use adal_testkit::fakes::FakeGateway;
    const POST_SECRET: &str = "post-webhook-secret";
    let app = spawn_app_with(|s| {
        s.post_webhook_secret = Some(Secret::new(POST_SECRET));
        s.sms_webhook_secret = Some(Secret::new("sms-webhook-secret"));
    })
    .await;
    adal_server::seed::seed_demo(&app.db, &app.settings)
        .await
        .unwrap();
    let admin = token(&app, "admin").await;
    let breach = graduate_id(&app, &admin, "Омаров").await;
    let blocked = "query($g: ID!) { graduate(id: $g) { claimBlockedBy } }";
    let r = gql(&app, Some(&admin), blocked, json!({ "g": breach })).await;
    assert_eq!(r.ok()["graduate"]["claimBlockedBy"], "NO_DELIVERED_NOTICE");
    let iin = {
        use sea_orm::EntityTrait;
        let g = entities::graduate::Entity::find_by_id(breach.parse::<i64>().unwrap())
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        entities::person::Entity::find_by_id(g.person_id)
            .one(&app.db)
            .await
            .unwrap()
            .unwrap()
            .iin
    };

    // The operator sends the breach notice as a registered letter.
    let r = gql(
        &app,
        Some(&admin),
        "mutation($g: ID!) { sendNotice(graduateId: $g, purpose: BREACH_NOTICE, channel: POST) { id channel status } }",
        json!({ "g": breach }),
    )
    .await;
    assert_eq!(r.ok()["sendNotice"]["channel"], "POST");
    // The post operator's hybrid mail receives it: addressed by IIN, registered.
    let post = FakeGateway::start().unwrap();
    let mut settings = app.settings.clone();
    settings.post_gateway_url = Some(post.url.clone());
    let worker =
        adal_server::wiring::worker(app.db.clone(), std::sync::Arc::new(settings)).unwrap();
    assert_eq!(worker.run_once().await.unwrap().sent, 1);
    let letter = post.requests().into_iter().next().unwrap();
    assert_eq!(letter["iin"], iin.as_str());
    assert_eq!(letter["registered"], true);
    assert!(!letter["title"].as_str().unwrap().is_empty());
    assert!(!letter["body"].as_str().unwrap().is_empty());
    // Accepted by the post operator is not yet handed over: no proof.
    let r = gql(&app, Some(&admin), blocked, json!({ "g": breach })).await;
    assert_eq!(r.ok()["graduate"]["claimBlockedBy"], "NO_DELIVERED_NOTICE");

    // The receipt: signed with the post operator's key, and no other.
    let (key, id) = post.sent().into_iter().next().unwrap();
    let receipt = json!({ "id": id, "reference": key, "status": "delivered" });
    let send = |secret: &'static str| {
        let raw = receipt.to_string();
        let [(t, ts), (g, sig)] = signed_headers(secret, raw.as_bytes());
        reqwest::Client::new()
            .post(format!("{}/webhooks/post/receipt", app.address))
            .header(t, ts)
            .header(g, sig)
            .header("content-type", "application/json")
            .body(raw)
            .send()
    };
    assert_eq!(
        send("sms-webhook-secret").await.unwrap().status().as_u16(),
        401
    );
    let r = gql(&app, Some(&admin), blocked, json!({ "g": breach })).await;
    assert_eq!(r.ok()["graduate"]["claimBlockedBy"], "NO_DELIVERED_NOTICE");
    assert_eq!(send(POST_SECRET).await.unwrap().status().as_u16(), 200);
    // Handed over against a signature: notice is proven, and a claim may be drafted.
    let r = gql(&app, Some(&admin), blocked, json!({ "g": breach })).await;
    assert!(
        r.ok()["graduate"]["claimBlockedBy"].is_null(),
        "{:?}",
        r.body
    );
    let r = gql(
        &app,
        Some(&admin),
        "mutation($g: ID!) { draftClaim(graduateId: $g) { id } }",
        json!({ "g": breach }),
    )
    .await;
    assert!(r.ok()["draftClaim"]["id"].is_string(), "{:?}", r.body);
    post.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn rule_changes_are_versioned_previewed_and_applied_only_on_reevaluation() {
    let app = spawn_app_with_demo().await;
    let admin = token(&app, "admin").await;
    let r = gql(
        &app,
        Some(&admin),
        "{ ruleSets { version rules } }",
        json!({}),
    )
    .await;
    let mut rules = r.ok()["ruleSets"][0]["rules"].clone();
    assert_eq!(r.ok()["ruleSets"][0]["version"], 1);
    // A stricter grace period turns Ким's 5-month gap... and a looser breach limit frees Омаров.
    rules["breachMonths"] = json!(24);
    let r = gql(
        &app,
        Some(&admin),
        "mutation($r: JSON!) { previewRules(rules: $r) { from to count } }",
        json!({ "r": rules }),
    )
    .await;
    assert_eq!(
        r.ok()["previewRules"],
        json!([{ "from": "breach", "to": "gap", "count": 1 }])
    );
    let r = gql(&app, Some(&admin), "mutation($r: JSON!) { saveRules(rules: $r, note: \"pilot: longer breach limit\") { version } }", json!({ "r": rules })).await;
    assert_eq!(r.ok()["saveRules"]["version"], 2);
    let analyst = token(&app, "analyst").await;
    let q = "{ graduates(filter: {status: BREACH}) { totalCount nodes { obligation { ruleVersion } } } }";
    assert_eq!(
        gql(&app, Some(&analyst), q, json!({})).await.ok()["graduates"]["totalCount"],
        1,
        "past evaluations stand until re-evaluation"
    );
    let r = gql(&app, Some(&admin), "mutation { reevaluateAll }", json!({})).await;
    assert_eq!(r.ok()["reevaluateAll"], 10);
    assert_eq!(
        gql(&app, Some(&analyst), q, json!({})).await.ok()["graduates"]["totalCount"],
        0
    );
    let bad = gql(
        &app,
        Some(&admin),
        "mutation($r: JSON!) { saveRules(rules: $r, note: \"oops\") { version } }",
        json!({ "r": { "graceMonths": "x" } }),
    )
    .await;
    assert_eq!(bad.code().as_deref(), Some("BAD_USER_INPUT"));
}

#[tokio::test(flavor = "multi_thread")]
async fn an_uploaded_feed_imports_in_the_background_with_a_rejection_report() {
    let app = adal_testkit::spawn_app_with_demo_and(|s| s.job_runner = false).await;
    let admin = token(&app, "admin").await;
    let me = gql(
        &app,
        Some(&admin),
        "{ persons(filter: {search: \"Дамир\"}) { nodes { iin } } }",
        json!({}),
    )
    .await;
    let iin = me.ok()["persons"]["nodes"][0]["iin"]
        .as_str()
        .unwrap()
        .to_owned();
    let csv = format!(
        "iin,employer_id,employer_name,employer_address,period,payment_date,amount_kzt,payment_code\n{iin},940140000385,,,2023-01,,,010\n{iin},940140000386,,,2023-01,,,010\n"
    );
    let r = gql_upload(
        &app,
        &admin,
        "mutation($f: Upload!) { importFile(kind: CONTRIBUTIONS, file: $f) { id status } }",
        json!({ "f": null }),
        vec![("variables.f", "feed.csv", csv.into_bytes())],
    )
    .await;
    let id = r.ok()["importFile"]["id"].as_str().unwrap().to_owned();
    // The import is a job: run it here rather than wait for the server's runner.
    adal_server::wiring::jobs(app.db.clone(), &app.settings)
        .run_once_at(chrono::Utc::now())
        .await
        .unwrap();
    let r = gql(&app, Some(&admin), "query($id: ID!) { importBatch(id: $id) { status totalRows accepted rejected rejectionReport } }", json!({ "id": id })).await;
    let batch = r.ok()["importBatch"].clone();
    assert_eq!(batch["status"], "completed", "{batch}");
    assert_eq!(
        (batch["accepted"].as_i64(), batch["rejected"].as_i64()),
        (Some(1), Some(1))
    );
    assert!(
        batch["rejectionReport"]
            .as_str()
            .unwrap()
            .contains("3,employer_id,BIN or IIN has a wrong check digit")
    );
}

/// A claim needs proof of notice: a breach notice to the graduate, recorded as delivered (as
/// the SMS gateway's receipt would record it).
async fn deliver_breach_notice(app: &adal_testkit::TestApp, admin: &str, graduate: &str) {
    deliver_breach_notice_by(app, admin, graduate, "sms").await;
}

/// A breach notice sent to the graduate by `channel`, marked delivered.
async fn deliver_breach_notice_by(
    app: &adal_testkit::TestApp,
    admin: &str,
    graduate: &str,
    channel: &str,
) {
    use sea_orm::ConnectionTrait;
    let me = gql(app, Some(admin), "{ me { account { id } } }", json!({})).await;
    let account: i64 = me.ok()["me"]["account"]["id"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    let m = adal_obligations::notices::send_notice(
        &app.db,
        account,
        graduate.parse().unwrap(),
        adal_notifications::purposes::Purpose::of(&adal_obligations::notices::BREACH_NOTICE),
        None,
        3,
    )
    .await
    .unwrap();
    app.db
        .execute_unprepared(&format!(
            "UPDATE notification_message SET channel = '{channel}', status = 'delivered', sent_at = CURRENT_TIMESTAMP, delivered_at = CURRENT_TIMESTAMP WHERE id = {}",
            m.id
        ))
        .await
        .unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn claims_are_listed_by_status_with_their_graduate() {
    let app = spawn_app_with_demo().await;
    let admin = token(&app, "admin").await;
    let analyst = token(&app, "analyst").await;
    let list = "query($s: ClaimStatus) { claims(status: $s) { graduateId graduateName claim { id amount status } } }";
    assert_eq!(
        gql(&app, Some(&analyst), list, json!({})).await.ok()["claims"],
        json!([])
    );
    let breach = graduate_id(&app, &admin, "Омаров").await;
    deliver_breach_notice(&app, &admin, &breach).await;
    let r = gql(
        &app,
        Some(&admin),
        "mutation($g: ID!) { draftClaim(graduateId: $g) { id } }",
        json!({ "g": breach }),
    )
    .await;
    let id = r.ok()["draftClaim"]["id"].as_str().unwrap().to_owned();
    // The operator's list by status names the graduate; other statuses do not list it.
    let r = gql(&app, Some(&analyst), list, json!({ "s": "DRAFTED" })).await;
    let drafted = r.ok()["claims"].as_array().unwrap().clone();
    assert_eq!(drafted.len(), 1, "{drafted:?}");
    assert_eq!(drafted[0]["graduateId"], json!(breach));
    assert!(
        drafted[0]["graduateName"]
            .as_str()
            .unwrap()
            .starts_with("Омаров")
    );
    assert_eq!(drafted[0]["claim"]["id"], json!(id));
    assert_eq!(drafted[0]["claim"]["amount"], 3_000_000);
    let r = gql(&app, Some(&analyst), list, json!({ "s": "SENT" })).await;
    assert_eq!(r.ok()["claims"], json!([]));
    let r = gql(
        &app,
        Some(&admin),
        "mutation($c: ID!) { setClaimStatus(claimId: $c, status: SENT) { status } }",
        json!({ "c": id }),
    )
    .await;
    assert_eq!(r.ok()["setClaimStatus"]["status"], "SENT");
    let r = gql(&app, Some(&analyst), list, json!({ "s": "SENT" })).await;
    assert_eq!(r.ok()["claims"][0]["claim"]["status"], "SENT");
    assert_eq!(
        gql(&app, Some(&analyst), list, json!({ "s": "DRAFTED" }))
            .await
            .ok()["claims"],
        json!([])
    );
    assert_eq!(
        gql(&app, Some(&analyst), list, json!({})).await.ok()["claims"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_dashboard_shows_the_status_over_the_last_year() {
    let app = spawn_app_with_demo().await;
    let analyst = token(&app, "analyst").await;
    let q = "{ obligationDashboard { graduates horizon byStatus { key count } statusHistory { period byStatus { key count } } } }";
    let r = gql(&app, Some(&analyst), q, json!({})).await;
    let d = &r.ok()["obligationDashboard"];
    let months = d["statusHistory"].as_array().unwrap().clone();
    // The demo reconstructs a year before the latest month; the dashboard shows 12 months.
    assert_eq!(months.len(), 12, "{months:?}");
    let counts = |m: &serde_json::Value| -> std::collections::BTreeMap<String, i64> {
        m["byStatus"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| {
                (
                    c["key"].as_str().unwrap().to_owned(),
                    c["count"].as_i64().unwrap(),
                )
            })
            .collect()
    };
    for m in &months {
        assert_eq!(counts(m).values().sum::<i64>(), 10, "{m:?}");
    }
    // The latest month is the statuses as stored now.
    let latest = months.last().unwrap();
    assert_eq!(latest["period"], d["horizon"]);
    assert_eq!(counts(latest), counts(d));
    // Eleven months earlier the 2026 graduate had not started yet.
    let first = &months[0];
    assert!(
        counts(first).get("not_started").copied().unwrap_or(0) >= 1,
        "{first:?}"
    );
    assert_ne!(counts(first), counts(latest));

    // A re-evaluation records the latest month again; reconstructed months stay as they were.
    let admin = token(&app, "admin").await;
    let r = gql(&app, Some(&admin), "mutation { reevaluateAll }", json!({})).await;
    assert_eq!(r.ok()["reevaluateAll"], 10);
    let r = gql(&app, Some(&analyst), q, json!({})).await;
    let again = r.ok()["obligationDashboard"]["statusHistory"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(again.len(), 12);
    assert_eq!(counts(&again[0]), counts(first));
    assert_eq!(counts(again.last().unwrap()), counts(latest));
}

/// A contract military service exemption with a start and no end holds from its start on
/// (EXEMPT, every month from then exempt); when the commission ends it because the terms are
/// not kept, the months after its last day are evaluated by the rules again.
#[tokio::test(flavor = "multi_thread")]
async fn an_open_ended_exemption_holds_until_the_commission_ends_it() {
    let app = spawn_app_with_demo().await;
    let admin = token(&app, "admin").await;
    let gid = graduate_id(&app, &admin, "Омаров").await;
    let card = "query($g: ID!) { graduate(id: $g) { obligation { status projectedCompletion } ledger { period state } applications { id endedAt endReason periodEnd } } }";
    let before = gql(&app, Some(&admin), card, json!({ "g": gid })).await;
    let before = before.ok()["graduate"].clone();
    // The demo's Омаров is in breach: more than a year without credited work at the end.
    assert_eq!(before["obligation"]["status"], "BREACH");
    let months_from = |g: &serde_json::Value, from: &str| -> Vec<(String, String)> {
        g["ledger"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|m| m["period"].as_str().unwrap() >= from)
            .map(|m| {
                (
                    m["period"].as_str().unwrap().to_owned(),
                    m["state"].as_str().unwrap().to_owned(),
                )
            })
            .collect()
    };
    let before_2025 = months_from(&before, "2025-01");
    assert!(before_2025.iter().any(|(_, s)| s == "GAP"));

    let apply = "mutation($i: ApplicationInput!) { applyForExemption(input: $i) { id } }";
    let input = json!({ "i": { "graduateId": gid, "ground": "CONTRACT_MILITARY_SERVICE", "periodStart": "2025-01-01", "statement": "Contract service from January 2025", "documents": [null] } });
    let r = gql_upload(
        &app,
        &admin,
        apply,
        input,
        vec![(
            "variables.i.documents.0",
            "contract.pdf",
            b"%PDF-1.4 contract".to_vec(),
        )],
    )
    .await;
    let app_id = r.ok()["applyForExemption"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let vote = "mutation($a: ID!, $r: String!) { vote(applicationId: $a, approve: true, reason: $r) { status } }";
    for member in ["commission", "commission2", "commission3"] {
        let t = token(&app, member).await;
        gql(
            &app,
            Some(&t),
            vote,
            json!({ "a": app_id, "r": "contract attached" }),
        )
        .await
        .ok();
    }
    let exempt = gql(&app, Some(&admin), card, json!({ "g": gid })).await;
    let exempt = exempt.ok()["graduate"].clone();
    assert_eq!(
        exempt["obligation"]["status"], "EXEMPT",
        "from its start on"
    );
    assert_eq!(exempt["obligation"]["projectedCompletion"], json!(null));
    // Every month from January 2025 is exempt, except those a qualifying employer paid for.
    let expected: Vec<(String, String)> = before_2025
        .iter()
        .map(|(p, s)| {
            let s = if s == "CREDITED" {
                "CREDITED"
            } else {
                "EXEMPT"
            };
            (p.clone(), s.to_owned())
        })
        .collect();
    assert_eq!(months_from(&exempt, "2025-01"), expected);

    let end = "mutation($a: ID!, $d: NaiveDate!, $r: String!) { endDecision(applicationId: $a, lastDay: $d, reason: $r) { periodEnd endedAt endReason } }";
    let member = token(&app, "commission").await;
    let r = gql(
        &app,
        Some(&member),
        end,
        json!({ "a": app_id, "d": "2024-12-31", "r": "terms not kept" }),
    )
    .await;
    assert_eq!(
        r.code().as_deref(),
        Some("BAD_USER_INPUT"),
        "before it starts"
    );
    let r = gql(
        &app,
        Some(&member),
        end,
        json!({ "a": app_id, "d": "2025-01-31", "r": "" }),
    )
    .await;
    assert_eq!(
        r.code().as_deref(),
        Some("BAD_USER_INPUT"),
        "a reason is required"
    );
    let r = gql(
        &app,
        Some(&member),
        end,
        json!({ "a": app_id, "d": "2025-01-31", "r": "the contract was terminated" }),
    )
    .await;
    let ended = &r.ok()["endDecision"];
    assert_eq!(ended["periodEnd"], "2025-01-31");
    assert_eq!(ended["endReason"], "the contract was terminated");
    assert!(ended["endedAt"].is_string());
    let r = gql(
        &app,
        Some(&member),
        end,
        json!({ "a": app_id, "d": "2025-06-30", "r": "again" }),
    )
    .await;
    assert_eq!(
        r.code().as_deref(),
        Some("BAD_USER_INPUT"),
        "it already ends by then"
    );

    let after = gql(&app, Some(&admin), card, json!({ "g": gid })).await;
    let after = after.ok()["graduate"].clone();
    // January 2025 stays as the decision made it; the months after it are as before it.
    assert_eq!(months_from(&after, "2025-01")[0], expected[0]);
    assert_eq!(
        months_from(&after, "2025-02"),
        months_from(&before, "2025-02")
    );
    assert_eq!(after["obligation"]["status"], "BREACH");
    let audit = gql(
        &app,
        Some(&admin),
        "query($id: String) { auditEvents(subjectType: \"exemption\", subjectId: $id) { nodes { action } } }",
        json!({ "id": app_id }),
    )
    .await;
    assert_eq!(
        audit.ok()["auditEvents"]["nodes"][0]["action"],
        "application.end"
    );
}
