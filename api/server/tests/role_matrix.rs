#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail by panicking
//! Who may call what: every operation of the foundation against every demo identity and an
//! anonymous caller. Later domains add their operations to the same helper.

mod common;

use common::*;
use serde_json::json;

#[tokio::test(flavor = "multi_thread")]
async fn every_operation_admits_exactly_its_roles() {
    let app = spawn_app_with_demo().await;
    let school = org_id(&app, "020140001689").await;
    let ops = vec![
        Op {
            name: "me",
            query: "{ me { language } }".into(),
            variables: json!({}),
            allowed: &[
                "admin", "analyst", "commission", "akimat", "school.admin", "school.staff",
                "provider", "parent", "graduate", "teacher.parent", "demo-integration",
                "demo-turnstile",
            ],
        },
        Op {
            name: "persons",
            query: "{ persons { totalCount } }".into(),
            variables: json!({}),
            allowed: &["admin", "analyst", "commission", "demo-integration"],
        },
        Op {
            name: "myChildren",
            query: "{ myChildren { id } }".into(),
            variables: json!({}),
            allowed: &["parent", "teacher.parent"],
        },
        Op {
            name: "accounts",
            query: "{ accounts { totalCount } }".into(),
            variables: json!({}),
            allowed: &["admin", "analyst"],
        },
        Op {
            name: "auditEvents",
            query: "{ auditEvents { totalCount } }".into(),
            variables: json!({}),
            allowed: &["admin"],
        },
        Op {
            name: "createOrganisation",
            query: "mutation($i: OrganisationInput!) { createOrganisation(input: $i) { id } }".into(),
            variables: json!({ "i": {
                "bin": valid_id("21054000077"), "kind": "EMPLOYER",
                "nameKk": "Жаңа", "nameRu": "Новая", "nameEn": "New", "localityKato": "711100000"
            }}),
            allowed: &["admin"],
        },
        Op {
            name: "updateOrganisation",
            query: "mutation($id: ID!, $i: OrganisationInput!) { updateOrganisation(id: $id, input: $i) { id } }".into(),
            variables: json!({ "id": school, "i": {
                "bin": "020140001689", "kind": "SCHOOL", "nameKk": "№1 мектеп-лицей",
                "nameRu": "Школа-лицей №1", "nameEn": "School-lyceum No. 1", "localityKato": "711100000"
            }}),
            allowed: &["admin"],
        },
        Op {
            name: "createPerson",
            query: "mutation($i: PersonInput!) { createPerson(input: $i) { id } }".into(),
            variables: json!({ "i": { "iin": valid_id("01020350077"), "lastName": "Test", "firstName": "Case" } }),
            allowed: &["admin"],
        },
        Op {
            name: "createAccount",
            query: "mutation($i: CreateAccountInput!) { createAccount(input: $i) { id } }".into(),
            variables: json!({ "i": { "login": "new.analyst", "password": "long-enough-pw", "roles": [{ "role": "OPERATOR_ANALYST" }] } }),
            allowed: &["admin"],
        },
        Op {
            name: "createClient",
            query: "mutation($i: CreateClientInput!) { createClient(input: $i) { clientId } }".into(),
            variables: json!({ "i": { "clientId": "new-system", "displayName": "New system", "role": "INTEGRATION", "allowedOperations": ["persons"] } }),
            allowed: &["admin"],
        },
    ];
    let failures = role_matrix(&app, &ops).await;
    assert!(
        failures.is_empty(),
        "role matrix failures:\n{}",
        failures.join("\n")
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn public_reference_data_is_open_to_everyone() {
    let app = spawn_app_with_demo().await;
    for token in [None, Some(token(&app, "parent").await)] {
        let r = gql(
            &app,
            token.as_deref(),
            "{ regions(first: 100) { totalCount nodes { kato nameKk } } organisations { totalCount } localities(rural: true) { nodes { kato rural } } }",
            json!({}),
        )
        .await;
        let d = r.ok();
        assert_eq!(d["regions"]["totalCount"], 17);
        assert!(d["organisations"]["totalCount"].as_u64().unwrap() >= 8);
        assert!(
            d["localities"]["nodes"]
                .as_array()
                .unwrap()
                .iter()
                .all(|l| l["rural"] == true)
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn people_see_only_the_persons_in_their_scope() {
    let app = spawn_app_with_demo().await;
    let admin = token(&app, "admin").await;
    let all = gql(
        &app,
        Some(&admin),
        "{ persons(first: 50) { nodes { id lastName firstName } } }",
        json!({}),
    )
    .await;
    let persons = all.ok()["persons"]["nodes"].as_array().unwrap().clone();
    let id_of = |first: &str| {
        persons
            .iter()
            .find(|p| p["firstName"] == first)
            .map(|p| p["id"].as_str().unwrap().to_owned())
            .unwrap()
    };
    let (child, other_child, graduate) = (id_of("Әлихан"), id_of("Софья"), id_of("Дамир"));
    let person = "query($id: ID!) { person(id: $id) { firstName iin } }";

    let parent = token(&app, "parent").await;
    let r = gql(&app, Some(&parent), person, json!({ "id": child })).await;
    assert_eq!(r.ok()["person"]["firstName"], "Әлихан");
    // Another family's child is simply not found: existence does not leak.
    let r = gql(&app, Some(&parent), person, json!({ "id": other_child })).await;
    assert_eq!(r.code().as_deref(), Some("NOT_FOUND"));
    let r = gql(
        &app,
        Some(&parent),
        "{ myChildren { firstName } }",
        json!({}),
    )
    .await;
    let names: Vec<_> = r.ok()["myChildren"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["firstName"].clone())
        .collect();
    assert_eq!(names, vec![json!("Әлихан"), json!("Аружан")]);

    let grad = token(&app, "graduate").await;
    let r = gql(&app, Some(&grad), person, json!({ "id": graduate })).await;
    assert_eq!(r.ok()["person"]["firstName"], "Дамир");
    let r = gql(&app, Some(&grad), person, json!({ "id": child })).await;
    assert_eq!(r.code().as_deref(), Some("NOT_FOUND"));

    // The integration client was granted `persons` and `person` only.
    let integ = client_token(&app, "demo-integration", "demo-integration-secret").await;
    let r = gql(&app, Some(&integ), person, json!({ "id": child })).await;
    assert_eq!(r.ok()["person"]["firstName"], "Әлихан");
    let r = gql(&app, Some(&integ), "{ accounts { totalCount } }", json!({})).await;
    assert_eq!(r.code().as_deref(), Some("FORBIDDEN"));
}
