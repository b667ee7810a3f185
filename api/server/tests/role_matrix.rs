#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail by panicking
//! Who may call what: every operation of the foundation against every demo identity and an
//! anonymous caller. Later domains add their operations to the same helper.

use crate::common;

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
                "provider", "parent", "graduate", "teacher.parent", "pupil",
                "demo-integration", "demo-turnstile",
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
            name: "registerOperation",
            query: "mutation { registerOperation(query: \"{ __typename }\") { hash } }".into(),
            variables: json!({}),
            allowed: &["demo-integration"],
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
        // The demo's institutions; its employers are for the operator's staff only.
        assert!(d["organisations"]["totalCount"].as_u64().unwrap() >= 6);
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

/// The operations not in the other matrices: public ones (reference data, sign-in), the
/// caller's own settings, the registers' single rows and changes, and the obligations'
/// uploads, claims and rules. With `role_coverage.rs`, every root field has its row.
#[tokio::test(flavor = "multi_thread")]
async fn the_remaining_operations_admit_exactly_their_roles() {
    let app = spawn_app_with_demo().await;
    let admin = token(&app, "admin").await;
    let school = org_id(&app, "020140001689").await;
    let persons = gql(
        &app,
        Some(&admin),
        "{ persons(first: 50) { nodes { id firstName } } }",
        json!({}),
    )
    .await;
    let person_id = |first: &str| {
        persons.ok()["persons"]["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["firstName"] == first)
            .map(|p| p["id"].as_str().unwrap().to_owned())
            .unwrap()
    };
    let (child, graduate_person) = (person_id("Әлихан"), person_id("Дамир"));
    // An account of its own, so that role changes touch no identity of the matrix.
    let created = gql(
        &app,
        Some(&admin),
        "mutation($i: CreateAccountInput!) { createAccount(input: $i) { id roles { id } } }",
        json!({ "i": { "login": "matrix.subject", "password": "long-enough-pw", "roles": [
            { "role": "OPERATOR_ANALYST" }, { "role": "COMMISSION_MEMBER" }
        ] } }),
    )
    .await;
    let subject = created.ok()["createAccount"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let assignment = created.ok()["createAccount"]["roles"][1]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let graduate = graduate_id(&app, &admin, "Ахметов").await;
    let batch = gql(
        &app,
        Some(&admin),
        "{ importBatches(first: 1) { nodes { id } } }",
        json!({}),
    )
    .await;
    let batch = batch.ok()["importBatches"]["nodes"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let rules = gql(&app, Some(&admin), "{ ruleSets { rules } }", json!({})).await;
    let rules = rules.ok()["ruleSets"][0]["rules"].clone();
    let refresh = gql(
        &app,
        None,
        "mutation { login(login: \"analyst\", password: \"adal-demo\") { refreshToken } }",
        json!({}),
    )
    .await;
    let refresh = refresh.ok()["login"]["refreshToken"]
        .as_str()
        .unwrap()
        .to_owned();
    const EVERYONE: &[&str] = &[
        ANONYMOUS,
        "admin",
        "analyst",
        "commission",
        "akimat",
        "school.admin",
        "school.staff",
        "provider",
        "parent",
        "graduate",
        "teacher.parent",
        "pupil",
        "demo-integration",
        "demo-turnstile",
    ];
    // People's accounts (machine clients have no second factor).
    const PEOPLE: &[&str] = &[
        "admin",
        "analyst",
        "commission",
        "akimat",
        "school.admin",
        "school.staff",
        "provider",
        "parent",
        "graduate",
        "teacher.parent",
        "pupil",
    ];
    let ops = vec![
        Op {
            name: "auditHeads",
            query: "{ auditHeads(first: 3) { day hash } }".into(),
            variables: json!({}),
            allowed: EVERYONE,
        },
        Op {
            name: "openFigures",
            query: "{ openFigures { minCell tables { id } } }".into(),
            variables: json!({}),
            allowed: EVERYONE,
        },
        Op {
            name: "regions",
            query: "{ regions(first: 5) { totalCount } }".into(),
            variables: json!({}),
            allowed: EVERYONE,
        },
        Op {
            name: "region",
            query: "{ region(kato: \"710000000\") { nameKk } }".into(),
            variables: json!({}),
            allowed: EVERYONE,
        },
        Op {
            name: "localities",
            query: "{ localities(first: 5) { totalCount } }".into(),
            variables: json!({}),
            allowed: EVERYONE,
        },
        Op {
            name: "organisations",
            query: "{ organisations(first: 5) { totalCount } }".into(),
            variables: json!({}),
            allowed: EVERYONE,
        },
        Op {
            name: "organisation",
            query: "query($id: ID!) { organisation(id: $id) { nameRu } }".into(),
            variables: json!({ "id": school }),
            allowed: EVERYONE,
        },
        Op {
            name: "login",
            query: "mutation { login(login: \"analyst\", password: \"adal-demo\") { accessToken } }"
                .into(),
            variables: json!({}),
            allowed: EVERYONE,
        },
        Op {
            name: "clientToken",
            query: "mutation { clientToken(clientId: \"demo-integration\", clientSecret: \"demo-integration-secret\") { accessToken } }".into(),
            variables: json!({}),
            allowed: EVERYONE,
        },
        Op {
            name: "refreshSession",
            query: "mutation($t: String!) { refreshSession(refreshToken: $t) { accessToken } }"
                .into(),
            variables: json!({ "t": refresh }),
            allowed: EVERYONE,
        },
        Op {
            name: "logout",
            query: "mutation { logout(refreshToken: \"not-a-token\") }".into(),
            variables: json!({}),
            allowed: EVERYONE,
        },
        Op {
            name: "setMyLanguage",
            query: "mutation { setMyLanguage(language: KK) { language } }".into(),
            variables: json!({}),
            allowed: &[
                "admin", "analyst", "commission", "akimat", "school.admin", "school.staff",
                "provider", "parent", "graduate", "teacher.parent", "pupil",
                "demo-integration", "demo-turnstile",
            ],
        },
        // Before any setup starts: each person is answered CONFLICT (nothing being set up).
        Op {
            name: "confirmSecondFactor",
            query: "mutation { confirmSecondFactor(code: \"000000\") { id } }".into(),
            variables: json!({}),
            allowed: PEOPLE,
        },
        Op {
            name: "startSecondFactor",
            query: "mutation { startSecondFactor { otpauthUrl } }".into(),
            variables: json!({}),
            allowed: PEOPLE,
        },
        Op {
            name: "person",
            query: "query($id: ID!) { person(id: $id) { firstName } }".into(),
            variables: json!({ "id": child }),
            allowed: &[
                "admin", "analyst", "commission", "parent", "graduate", "teacher.parent",
                "demo-integration",
            ],
        },
        Op {
            name: "account",
            query: "query($id: ID!) { account(id: $id) { login } }".into(),
            variables: json!({ "id": subject }),
            allowed: &["admin", "analyst"],
        },
        Op {
            name: "graduate",
            query: "query($id: ID!) { graduate(id: $id) { fullName } }".into(),
            variables: json!({ "id": graduate }),
            allowed: &["admin", "analyst", "commission", "graduate"],
        },
        Op {
            name: "importBatch",
            query: "query($id: ID!) { importBatch(id: $id) { status } }".into(),
            variables: json!({ "id": batch }),
            allowed: &["admin", "analyst"],
        },
        Op {
            name: "updatePerson",
            query: "mutation($id: ID!, $i: PersonInput!) { updatePerson(id: $id, input: $i) { id } }".into(),
            variables: json!({ "id": child, "i": { "iin": valid_id("01020350088"), "lastName": "Test", "firstName": "Case" } }),
            allowed: &["admin"],
        },
        Op {
            name: "linkGuardian",
            query: "mutation($p: ID!, $c: ID!) { linkGuardian(parentId: $p, childId: $c) { id } }"
                .into(),
            variables: json!({ "p": graduate_person, "c": child }),
            allowed: &["admin"],
        },
        Op {
            name: "updateAccount",
            query: "mutation($id: ID!) { updateAccount(id: $id, input: { language: KK }) { id } }"
                .into(),
            variables: json!({ "id": subject }),
            allowed: &["admin"],
        },
        Op {
            name: "assignRole",
            query: "mutation($id: ID!) { assignRole(accountId: $id, input: { role: OPERATOR_ANALYST }) { id } }".into(),
            variables: json!({ "id": subject }),
            allowed: &["admin"],
        },
        Op {
            name: "resetSecondFactor",
            query: "mutation($id: ID!) { resetSecondFactor(accountId: $id) { secondFactor } }".into(),
            variables: json!({ "id": subject }),
            allowed: &["admin"],
        },
        Op {
            name: "revokeRole",
            query: "mutation($id: ID!) { revokeRole(assignmentId: $id) { id } }".into(),
            variables: json!({ "id": assignment }),
            allowed: &["admin"],
        },
        Op {
            name: "importFile",
            query: "mutation($file: Upload!) { importFile(kind: REGIONS, file: $file) { id } }"
                .into(),
            variables: json!({ "file": null }),
            allowed: &["admin"],
        },
        Op {
            name: "applyForExemption",
            query: "mutation($g: ID!, $documents: [Upload!]!) { applyForExemption(input: { graduateId: $g, ground: DISABILITY, statement: \"A statement\", documents: $documents }) { id } }".into(),
            variables: json!({ "g": graduate, "documents": [null] }),
            allowed: &["admin", "graduate"],
        },
        Op {
            name: "setClaimStatus",
            query: "mutation { setClaimStatus(claimId: \"999999\", status: SENT) { id } }".into(),
            variables: json!({}),
            allowed: &["admin"],
        },
        Op {
            name: "recordClaimPayment",
            query: "mutation { recordClaimPayment(claimId: \"999999\", amount: 1000, paidOn: \"2026-11-02\", reference: \"P-1\") { id } }".into(),
            variables: json!({}),
            allowed: &["admin"],
        },
        Op {
            name: "recordClaimContact",
            query: "mutation { recordClaimContact(claimId: \"999999\", channel: PHONE, outcome: \"reached\") { id } }".into(),
            variables: json!({}),
            allowed: &["admin"],
        },
        Op {
            name: "saveRules",
            query: "mutation($r: JSON!) { saveRules(rules: $r, note: \"unchanged\") { version } }"
                .into(),
            variables: json!({ "r": rules }),
            allowed: &["admin"],
        },
        Op {
            name: "classifyEmployer",
            query: "mutation { classifyEmployer(id: \"999999\", kind: EMPLOYER, localityKato: \"711100000\") { id } }".into(),
            variables: json!({}),
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
