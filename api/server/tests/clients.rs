//! Integration clients as the operator controls them: the personal fields a client may read
//! (the others reach it masked, with the reason), the operations it registered (and, when the
//! operator requires it, only those), and its use day by day.

use crate::common;

use adal_testkit::TestApp;
use common::*;
use serde_json::{Value, json};

const PERSONS: &str =
    "{ persons(first: 50) { nodes { id iin fullName lastName phone email birthDate } } }";

async fn post(app: &TestApp, token: &str, body: Value) -> Reply {
    post_body(app, Some(token), &[], &body).await
}

fn by_hash(hash: &str) -> Value {
    json!({ "extensions": { "persistedQuery": { "version": 1, "sha256Hash": hash } } })
}

fn reason(r: &Reply) -> String {
    r.body["errors"][0]["extensions"]["reason"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

async fn client_id(app: &TestApp, admin: &str, login: &str) -> String {
    let r = gql(
        app,
        Some(admin),
        "query($s: String) { accounts(filter: {search: $s}) { nodes { id login } } }",
        json!({ "s": login }),
    )
    .await;
    r.ok()["accounts"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["login"] == login)
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_field_not_granted_reaches_the_client_masked_with_the_reason() {
    let app = spawn_app_with_demo().await;
    let admin = token(&app, "admin").await;
    // The demo integration matches persons by IIN and name: granted those two only.
    let demo = client_token(&app, "demo-integration", "demo-integration-secret").await;
    let r = gql(&app, Some(&demo), PERSONS, json!({})).await;
    let nodes = r.ok()["persons"]["nodes"].as_array().unwrap().clone();
    let with_phone = nodes
        .iter()
        .find(|p| p["phone"].is_string())
        .expect("a demo person with a phone");
    let seen = gql(
        &app,
        Some(&admin),
        "query($id: ID!) { person(id: $id) { iin fullName phone email } }",
        json!({ "id": with_phone["id"] }),
    )
    .await;
    let full = &seen.ok()["person"];
    assert_eq!(with_phone["iin"], full["iin"], "the IIN is granted");
    assert_eq!(
        with_phone["fullName"], full["fullName"],
        "names are granted"
    );
    let phone = with_phone["phone"].as_str().unwrap();
    assert_ne!(phone, full["phone"].as_str().unwrap());
    assert!(phone.contains('*'), "{phone}");
    assert!(nodes.iter().all(|p| p["birthDate"].is_null()));
    // Each masked field is named at its path, with the reason.
    let masked = r.body["extensions"]["masked"].as_array().unwrap();
    assert!(masked.iter().all(|m| m["reason"] == "FIELD_NOT_GRANTED"));
    let fields: std::collections::BTreeSet<&str> = masked
        .iter()
        .map(|m| m["field"].as_str().unwrap())
        .collect();
    assert!(fields.contains("phone") && !fields.contains("iin") && !fields.contains("name"));
    assert!(masked.iter().any(|m| m["path"]
        == json!([
            "persons",
            "nodes",
            nodes.iter().position(|p| p == with_phone).unwrap(),
            "phone"
        ])));
    // The trail names the fields the client read, not those it was refused.
    let demo_id = client_id(&app, &admin, "demo-integration").await;
    let events = read_events(&app, &admin).await;
    let read = events
        .iter()
        .find(|e| e["actorAccountId"].as_str() == Some(demo_id.as_str()))
        .expect("the client's read is on the trail");
    assert_eq!(read["details"]["fields"], json!(["iin", "name"]));

    // A client granted no field reads names by their first letter and IINs masked.
    let r = gql(
        &app,
        Some(&admin),
        "mutation($i: CreateClientInput!) { createClient(input: $i) { clientSecret account { roles { allowedFields } } } }",
        json!({ "i": { "clientId": "stat-office", "displayName": "Statistics office", "role": "INTEGRATION", "allowedOperations": ["persons"] } }),
    )
    .await;
    assert_eq!(
        r.ok()["createClient"]["account"]["roles"][0]["allowedFields"],
        json!([])
    );
    let secret = r.ok()["createClient"]["clientSecret"]
        .as_str()
        .unwrap()
        .to_owned();
    let stat = client_token(&app, "stat-office", &secret).await;
    let r = gql(&app, Some(&stat), PERSONS, json!({})).await;
    let first = &r.ok()["persons"]["nodes"][0];
    assert!(first["iin"].as_str().unwrap().ends_with("******"));
    assert!(first["fullName"].as_str().unwrap().ends_with("***"));
    assert!(first["lastName"].as_str().unwrap().chars().count() == 4);

    // A field that does not exist is refused by name.
    let r = gql(
        &app,
        Some(&admin),
        "mutation($i: CreateClientInput!) { createClient(input: $i) { clientId } }",
        json!({ "i": { "clientId": "salary-reader", "displayName": "X", "role": "INTEGRATION", "allowedOperations": ["persons"], "allowedFields": ["salary"] } }),
    )
    .await;
    assert_eq!(r.code().as_deref(), Some("BAD_USER_INPUT"));
    assert_eq!(r.body["errors"][0]["extensions"]["field"], "allowedFields");
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_client_runs_its_registered_operations_by_hash_and_only_those_when_required() {
    let app = spawn_app_with_demo().await;
    let admin = token(&app, "admin").await;
    let demo = client_token(&app, "demo-integration", "demo-integration-secret").await;
    let text = "query Count { persons { totalCount } }";
    let register = "mutation Register($q: String!) { registerOperation(query: $q) { hash name } }";
    // The registration itself, registered too (a client that registers as it goes).
    let r = gql(&app, Some(&demo), register, json!({ "q": register })).await;
    let register_hash = r.ok()["registerOperation"]["hash"]
        .as_str()
        .unwrap()
        .to_owned();
    let r = gql(&app, Some(&demo), register, json!({ "q": text })).await;
    let hash = r.ok()["registerOperation"]["hash"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(hash, adal_core::clients::operation_hash(text));
    assert_eq!(r.ok()["registerOperation"]["name"], "Count");

    // By its hash alone.
    let r = post(&app, &demo, by_hash(&hash)).await;
    assert!(r.ok()["persons"]["totalCount"].as_i64().unwrap() > 0);
    // A hash it never registered, and a hash that is not the text's.
    let r = post(&app, &demo, by_hash(&"0".repeat(64))).await;
    assert_eq!(r.code().as_deref(), Some("FORBIDDEN"));
    assert_eq!(reason(&r), "PERSISTED_QUERY_NOT_FOUND");
    let mut wrong = by_hash(&hash);
    wrong["query"] = json!("{ persons { totalCount } }");
    let r = post(&app, &demo, wrong).await;
    assert_eq!(r.code().as_deref(), Some("BAD_USER_INPUT"));
    assert_eq!(reason(&r), "PERSISTED_QUERY_HASH_MISMATCH");

    // The operator requires registered operations only.
    let id = client_id(&app, &admin, "demo-integration").await;
    let r = gql(
        &app,
        Some(&admin),
        "mutation($id: ID!) { updateAccount(id: $id, input: {persistedOnly: true}) { persistedOnly operations { hash name } } }",
        json!({ "id": id }),
    )
    .await;
    assert_eq!(r.ok()["updateAccount"]["persistedOnly"], true);
    // The demo's own registered operation first, then this test's two.
    let names: Vec<&str> = r.ok()["updateAccount"]["operations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["MatchByIin", "Register", "Count"]);
    assert_eq!(
        r.ok()["updateAccount"]["operations"][2]["hash"],
        hash.as_str()
    );
    let demo = client_token(&app, "demo-integration", "demo-integration-secret").await;
    let r = gql(
        &app,
        Some(&demo),
        "{ persons(first: 1) { nodes { id } } }",
        json!({}),
    )
    .await;
    assert_eq!(r.code().as_deref(), Some("FORBIDDEN"));
    assert_eq!(reason(&r), "OPERATION_NOT_REGISTERED");
    assert!(r.body["data"].is_null());
    // Its registered operation runs, by hash or by text.
    let r = post(&app, &demo, by_hash(&hash)).await;
    assert!(r.ok()["persons"]["totalCount"].is_number());
    let r = gql(&app, Some(&demo), text, json!({})).await;
    assert!(r.ok()["persons"]["totalCount"].is_number());
    // And it registers no more, not even through its registered registration.
    let mut again = by_hash(&register_hash);
    again["variables"] = json!({ "q": "{ persons(first: 1) { nodes { id } } }" });
    let r = post(&app, &demo, again).await;
    assert_eq!(r.code().as_deref(), Some("FORBIDDEN"));
    assert_eq!(reason(&r), "REGISTRATION_CLOSED");
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_operator_sees_a_clients_calls_cost_refusals_and_masked_fields_by_day() {
    let app = spawn_app_with_demo().await;
    let admin = token(&app, "admin").await;
    let analyst = token(&app, "analyst").await;
    let demo = client_token(&app, "demo-integration", "demo-integration-secret").await;
    for _ in 0..3 {
        gql(&app, Some(&demo), PERSONS, json!({})).await.ok();
    }
    // Not granted: refused, and counted as a refusal.
    let r = gql(&app, Some(&demo), "{ accounts { totalCount } }", json!({})).await;
    assert_eq!(r.code().as_deref(), Some("FORBIDDEN"));
    let id = client_id(&app, &admin, "demo-integration").await;
    let usage = "query($id: ID!) { account(id: $id) { usage(days: 7) { day calls cost refusals masked } } }";
    let r = gql(&app, Some(&analyst), usage, json!({ "id": id })).await;
    let days = r.ok()["account"]["usage"].as_array().unwrap().clone();
    assert_eq!(days.len(), 1, "{days:?}");
    let today = &days[0];
    assert_eq!(
        today["day"],
        adal_core::clock::local_day(chrono::Utc::now()).to_string()
    );
    // The client token's sign-in is a call too.
    assert!(today["calls"].as_i64().unwrap() >= 4, "{today}");
    assert_eq!(today["refusals"], 1);
    assert!(today["cost"].as_i64().unwrap() >= 3 * 50, "{today}");
    assert!(today["masked"].as_i64().unwrap() > 0, "{today}");
    // A person's own calls are nobody's usage; the client reads no one's.
    let me = client_id(&app, &admin, "admin").await;
    let r = gql(&app, Some(&admin), usage, json!({ "id": me })).await;
    assert_eq!(r.ok()["account"]["usage"], json!([]));
    let r = gql(
        &app,
        Some(&admin),
        "query($id: ID!) { account(id: $id) { usage(days: 0) { day } } }",
        json!({ "id": id }),
    )
    .await;
    assert_eq!(r.code().as_deref(), Some("BAD_USER_INPUT"));
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_client_over_its_own_request_rate_is_refused_however_cheap_its_requests() {
    let app = spawn_app_with_demo().await;
    let admin = token(&app, "admin").await;
    let r = gql(
        &app,
        Some(&admin),
        "mutation($i: CreateClientInput!) { createClient(input: $i) { clientSecret account { id requestsPerMinute } } }",
        json!({ "i": { "clientId": "slow-poller", "displayName": "Slow poller", "role": "INTEGRATION", "allowedOperations": ["persons"], "requestsPerMinute": 3 } }),
    )
    .await;
    let created = &r.ok()["createClient"];
    assert_eq!(created["account"]["requestsPerMinute"], 3);
    let id = created["account"]["id"].as_str().unwrap().to_owned();
    let secret = created["clientSecret"].as_str().unwrap().to_owned();
    let client = client_token(&app, "slow-poller", &secret).await;
    let cheap = "{ persons(first: 1) { totalCount } }";
    for _ in 0..3 {
        gql(&app, Some(&client), cheap, json!({})).await.ok();
    }
    let r = gql(&app, Some(&client), cheap, json!({})).await;
    assert_eq!(r.status, 429);
    assert_eq!(r.code().as_deref(), Some("RATE_LIMITED"));
    assert!(
        r.body["errors"][0]["extensions"]["retryAfterSeconds"]
            .as_i64()
            .unwrap()
            >= 1
    );
    // A person's requests are theirs: the administrator is not held back.
    gql(&app, Some(&admin), cheap, json!({})).await.ok();
    let r = gql(
        &app,
        Some(&admin),
        "query($id: ID!) { account(id: $id) { usage(days: 1) { calls refusals } } }",
        json!({ "id": id }),
    )
    .await;
    assert_eq!(
        r.ok()["account"]["usage"],
        json!([{ "calls": 4, "refusals": 1 }])
    );
    // Back to the server's default.
    let r = gql(
        &app,
        Some(&admin),
        "mutation($id: ID!) { updateAccount(id: $id, input: {requestsPerMinute: 0}) { requestsPerMinute } }",
        json!({ "id": id }),
    )
    .await;
    assert!(r.ok()["updateAccount"]["requestsPerMinute"].is_null());
    let r = gql(
        &app,
        Some(&admin),
        "mutation($id: ID!) { updateAccount(id: $id, input: {requestsPerMinute: 100000}) { requestsPerMinute } }",
        json!({ "id": id }),
    )
    .await;
    assert_eq!(
        r.body["errors"][0]["extensions"]["field"],
        "requestsPerMinute"
    );
}
