#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail by panicking
//! Organisations, persons, accounts and roles: validation, conflicts, transactions, audit.

use crate::common;

use common::*;
use serde_json::json;

const CREATE_ORG: &str = "mutation($i: OrganisationInput!) { createOrganisation(input: $i) { id bin kind region { kato } locality { rural } } }";

#[tokio::test(flavor = "multi_thread")]
async fn organisations_are_validated_created_searched_and_audited() {
    let app = spawn_app_with_demo().await;
    let admin = token(&app, "admin").await;
    let mut input = json!({ "bin": "940140000384", "kind": "HEALTHCARE", "nameKk": "Ауылдық емхана",
        "nameRu": "Сельская поликлиника", "nameEn": "Village clinic", "localityKato": "116835100" });

    let r = gql(&app, Some(&admin), CREATE_ORG, json!({ "i": input })).await;
    assert_eq!(r.code().as_deref(), Some("BAD_USER_INPUT"));
    assert_eq!(r.body["errors"][0]["extensions"]["field"], "bin");
    assert!(
        r.body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("check digit")
    );

    // An individual entrepreneur's IIN is accepted as the id.
    input["bin"] = json!(valid_id("85010230045"));
    let r = gql(&app, Some(&admin), CREATE_ORG, json!({ "i": input })).await;
    let created = &r.ok()["createOrganisation"];
    assert_eq!(
        created["region"]["kato"], "110000000",
        "region comes from the locality"
    );
    assert_eq!(created["locality"]["rural"], true);

    let r = gql(&app, Some(&admin), CREATE_ORG, json!({ "i": input })).await;
    assert_eq!(r.code().as_deref(), Some("CONFLICT"));

    input["bin"] = json!(valid_id("21054000099"));
    input["localityKato"] = json!("999999999");
    let r = gql(&app, Some(&admin), CREATE_ORG, json!({ "i": input })).await;
    assert_eq!(r.body["errors"][0]["extensions"]["field"], "localityKato");

    input["localityKato"] = json!("116835100");
    input["regionKato"] = json!("710000000");
    let r = gql(&app, Some(&admin), CREATE_ORG, json!({ "i": input })).await;
    assert_eq!(r.body["errors"][0]["extensions"]["field"], "regionKato");

    let r = gql(&app, Some(&admin), "{ organisations(filter: {search: \"village\", kind: HEALTHCARE}) { totalCount nodes { nameEn } } }", json!({})).await;
    assert_eq!(r.ok()["organisations"]["totalCount"], 1);

    let id = created["id"].as_str().unwrap();
    let r = gql(&app, Some(&admin), "query($id: String) { auditEvents(subjectType: \"organisation\", subjectId: $id) { nodes { action actorAccountId details } } }", json!({ "id": id })).await;
    let ev = &r.ok()["auditEvents"]["nodes"][0];
    assert_eq!(ev["action"], "organisation.create");
    assert!(ev["actorAccountId"].is_string());
}

#[tokio::test(flavor = "multi_thread")]
async fn organisation_pages_follow_cursors() {
    let app = spawn_app_with_demo().await;
    let analyst = token(&app, "analyst").await;
    let q = "query($a: String) { organisations(first: 3, after: $a) { totalCount pageInfo { hasNextPage endCursor } nodes { id } } }";
    let mut after = serde_json::Value::Null;
    let mut ids = Vec::new();
    loop {
        let r = gql(&app, Some(&analyst), q, json!({ "a": after })).await;
        let c = &r.ok()["organisations"];
        // The demo's ten and the employer its feed named (ИП Жұмабаев).
        assert_eq!(c["totalCount"], 11);
        ids.extend(
            c["nodes"]
                .as_array()
                .unwrap()
                .iter()
                .map(|n| n["id"].clone()),
        );
        if c["pageInfo"]["hasNextPage"] == false {
            break;
        }
        after = c["pageInfo"]["endCursor"].clone();
    }
    assert_eq!(ids.len(), 11);
    let mut dedup = ids.clone();
    dedup.dedup();
    assert_eq!(dedup, ids);
}

#[tokio::test(flavor = "multi_thread")]
async fn persons_are_checked_and_unique() {
    let app = spawn_app_with_demo().await;
    let admin = token(&app, "admin").await;
    let create = "mutation($i: PersonInput!) { createPerson(input: $i) { id iin maskedIin birthDate phone email } }";
    let iin = valid_id("05031550012");
    let bad_iin = format!("{}{}", &iin[..11], (iin.as_bytes()[11] - b'0' + 1) % 10);
    let r = gql(
        &app,
        Some(&admin),
        create,
        json!({ "i": { "iin": bad_iin, "lastName": "A", "firstName": "B" } }),
    )
    .await;
    assert_eq!(r.body["errors"][0]["extensions"]["field"], "iin");
    let r = gql(
        &app,
        Some(&admin),
        create,
        json!({ "i": { "iin": iin, "lastName": "A", "firstName": "B", "phone": "12" } }),
    )
    .await;
    assert_eq!(r.body["errors"][0]["extensions"]["field"], "phone");
    let r = gql(&app, Some(&admin), create, json!({ "i": { "iin": iin, "lastName": "Сейтқали", "firstName": "Әмина", "phone": "8 701 555 12 34", "email": "A@Mail.KZ" } })).await;
    let p = &r.ok()["createPerson"];
    assert_eq!(p["phone"], "+77015551234");
    assert_eq!(p["email"], "a@mail.kz");
    assert_eq!(p["birthDate"], "2005-03-15");
    assert_eq!(p["maskedIin"], format!("{}******", &iin[..6]));
    let r = gql(
        &app,
        Some(&admin),
        create,
        json!({ "i": { "iin": iin, "lastName": "X", "firstName": "Y" } }),
    )
    .await;
    assert_eq!(r.code().as_deref(), Some("CONFLICT"));
    let r = gql(
        &app,
        Some(&admin),
        "query($i: String) { persons(filter: {iin: $i}) { totalCount nodes { firstName } } }",
        json!({ "i": iin }),
    )
    .await;
    assert_eq!(r.ok()["persons"]["nodes"][0]["firstName"], "Әмина");
}

#[tokio::test(flavor = "multi_thread")]
async fn accounts_need_the_scope_their_role_requires_and_fail_whole() {
    let app = spawn_app_with_demo().await;
    let admin = token(&app, "admin").await;
    let create = "mutation($i: CreateAccountInput!) { createAccount(input: $i) { id login roles { role region { kato } organisation { bin } } } }";
    let count = || async {
        gql(&app, Some(&admin), "{ accounts { totalCount } }", json!({}))
            .await
            .ok()["accounts"]["totalCount"]
            .as_u64()
            .unwrap()
    };
    let before = count().await;
    let cases = [
        (json!([{ "role": "AKIMAT_OFFICER" }]), "regionKato"),
        (
            json!([{ "role": "AKIMAT_OFFICER", "regionKato": "123456789" }]),
            "regionKato",
        ),
        (json!([{ "role": "SCHOOL_ADMIN" }]), "organisationId"),
        (
            json!([{ "role": "OPERATOR_ANALYST" }, { "role": "PARENT" }]),
            "personId",
        ),
        (
            json!([{ "role": "INTEGRATION", "allowedOperations": ["persons"] }]),
            "role",
        ),
        (json!([]), "roles"),
    ];
    for (roles, field) in cases {
        let r = gql(
            &app,
            Some(&admin),
            create,
            json!({ "i": { "login": "new.person", "password": "long-enough-pw", "roles": roles } }),
        )
        .await;
        assert_eq!(r.code().as_deref(), Some("BAD_USER_INPUT"), "{roles}");
        assert_eq!(r.body["errors"][0]["extensions"]["field"], field, "{roles}");
    }
    // The provider is not a school: wrong organisation kind.
    let provider = gql(
        &app,
        None,
        "{ organisations(filter: {kind: EDUCATION_PROVIDER}) { nodes { id } } }",
        json!({}),
    )
    .await;
    let provider_id = provider.ok()["organisations"]["nodes"][0]["id"].clone();
    let r = gql(&app, Some(&admin), create, json!({ "i": { "login": "new.person", "password": "long-enough-pw", "roles": [{ "role": "SCHOOL_STAFF", "organisationId": provider_id }] } })).await;
    assert_eq!(r.body["errors"][0]["extensions"]["field"], "organisationId");
    // Short passwords and taken logins.
    let r = gql(&app, Some(&admin), create, json!({ "i": { "login": "new.person", "password": "short", "roles": [{ "role": "OPERATOR_ANALYST" }] } })).await;
    assert_eq!(r.body["errors"][0]["extensions"]["field"], "password");
    let r = gql(&app, Some(&admin), create, json!({ "i": { "login": "Admin", "password": "long-enough-pw", "roles": [{ "role": "OPERATOR_ANALYST" }] } })).await;
    assert_eq!(r.code().as_deref(), Some("CONFLICT"));
    assert_eq!(count().await, before, "failed requests wrote nothing");

    let r = gql(&app, Some(&admin), create, json!({ "i": { "login": "astana.officer", "password": "long-enough-pw", "language": "KK", "roles": [{ "role": "AKIMAT_OFFICER", "regionKato": "710000000" }] } })).await;
    let acc = &r.ok()["createAccount"];
    assert_eq!(acc["roles"][0]["region"]["kato"], "710000000");
    let id = acc["id"].as_str().unwrap();
    // A second role, then its revocation.
    let r = gql(&app, Some(&admin), "mutation($id: ID!) { assignRole(accountId: $id, input: {role: COMMISSION_MEMBER}) { roles { id role } } }", json!({ "id": id })).await;
    let roles = r.ok()["assignRole"]["roles"].as_array().unwrap().clone();
    assert_eq!(roles.len(), 2);
    let r = gql(&app, Some(&admin), "mutation($id: ID!) { assignRole(accountId: $id, input: {role: COMMISSION_MEMBER}) { id } }", json!({ "id": id })).await;
    assert_eq!(r.code().as_deref(), Some("CONFLICT"));
    let r = gql(
        &app,
        Some(&admin),
        "mutation($a: ID!) { revokeRole(assignmentId: $a) { roles { role } } }",
        json!({ "a": roles[1]["id"] }),
    )
    .await;
    assert_eq!(r.ok()["revokeRole"]["roles"].as_array().unwrap().len(), 1);
    let officer = token_for(&app, "astana.officer", "long-enough-pw").await;
    let r = gql(
        &app,
        Some(&officer),
        "{ me { language roles { role } } }",
        json!({}),
    )
    .await;
    assert_eq!(r.ok()["me"]["language"], "KK");
}

async fn token_for(app: &adal_testkit::TestApp, login: &str, password: &str) -> String {
    let r = gql(app, None, LOGIN, json!({ "l": login, "p": password })).await;
    r.ok()["login"]["accessToken"].as_str().unwrap().to_owned()
}

#[tokio::test(flavor = "multi_thread")]
async fn clients_get_a_secret_once_and_only_their_own_role() {
    let app = spawn_app_with_demo().await;
    let admin = token(&app, "admin").await;
    let r = gql(&app, Some(&admin), "mutation { createClient(input: {clientId: \"stat-office\", displayName: \"Statistics office\", role: INTEGRATION, allowedOperations: [\"persons\"]}) { clientId clientSecret account { kind roles { allowedOperations } } } }", json!({})).await;
    let c = &r.ok()["createClient"];
    assert_eq!(c["account"]["kind"], "CLIENT");
    let secret = c["clientSecret"].as_str().unwrap();
    let t = client_token(&app, "stat-office", secret).await;
    let r = gql(&app, Some(&t), "{ persons { totalCount } }", json!({})).await;
    assert!(r.ok()["persons"]["totalCount"].as_u64().unwrap() >= 6);
    let r = gql(&app, Some(&t), "{ person(id: \"1\") { id } }", json!({})).await;
    assert_eq!(
        r.code().as_deref(),
        Some("FORBIDDEN"),
        "not granted `person`"
    );
    let r = gql(&app, Some(&admin), "mutation { createClient(input: {clientId: \"x-system\", displayName: \"X\", role: INTEGRATION, allowedOperations: [\"dropEverything\"]}) { clientId } }", json!({})).await;
    assert_eq!(
        r.body["errors"][0]["extensions"]["field"],
        "allowedOperations"
    );
    // The device holds only its school's device role.
    let t = client_token(&app, "demo-turnstile", "demo-turnstile-secret").await;
    let r = gql(
        &app,
        Some(&t),
        "{ me { roles { role organisation { bin } } } }",
        json!({}),
    )
    .await;
    assert_eq!(
        r.ok()["me"]["roles"],
        json!([{ "role": "DEVICE", "organisation": { "bin": "020140001689" } }])
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn guardianship_links_children_to_parents() {
    let app = spawn_app_with_demo().await;
    let admin = token(&app, "admin").await;
    let r = gql(&app, Some(&admin), "mutation($i: PersonInput!) { createPerson(input: $i) { id } }", json!({ "i": { "iin": valid_id("19060150031"), "lastName": "Нұрланов", "firstName": "Нұрсұлтан" } })).await;
    let baby = r.ok()["createPerson"]["id"].clone();
    let parent = gql(
        &app,
        Some(&admin),
        "{ persons(filter: {search: \"Айгүл\"}) { nodes { id } } }",
        json!({}),
    )
    .await;
    let parent_id = parent.ok()["persons"]["nodes"][0]["id"].clone();
    for _ in 0..2 {
        let r = gql(
            &app,
            Some(&admin),
            "mutation($p: ID!, $c: ID!) { linkGuardian(parentId: $p, childId: $c) { firstName } }",
            json!({ "p": parent_id, "c": baby }),
        )
        .await;
        assert_eq!(r.ok()["linkGuardian"]["firstName"], "Нұрсұлтан");
    }
    let p = token(&app, "parent").await;
    let r = gql(&app, Some(&p), "{ myChildren { firstName } }", json!({})).await;
    assert_eq!(
        r.ok()["myChildren"].as_array().unwrap().len(),
        3,
        "linking twice is idempotent"
    );
}

/// A client granted `accounts` but not `persons` reads accounts, not the persons behind them
/// (IINs, phones): a nested field that reaches a person applies the persons' scope.
#[tokio::test(flavor = "multi_thread")]
async fn an_account_reader_without_persons_does_not_reach_the_person() {
    let app = spawn_app_with_demo().await;
    let admin = token(&app, "admin").await;
    let r = gql(&app, Some(&admin), "mutation { createClient(input: {clientId: \"hr-audit\", displayName: \"HR audit\", role: INTEGRATION, allowedOperations: [\"accounts\"]}) { clientSecret } }", json!({})).await;
    let secret = r.ok()["createClient"]["clientSecret"]
        .as_str()
        .unwrap()
        .to_owned();
    let t = client_token(&app, "hr-audit", &secret).await;
    let list = "{ accounts(first: 100) { nodes { login person { iin phone } } } }";
    let r = gql(&app, Some(&t), list, json!({})).await;
    let nodes = r.ok()["accounts"]["nodes"].as_array().unwrap().clone();
    assert!(nodes.iter().any(|a| a["login"] == "graduate"));
    assert!(
        nodes.iter().all(|a| a["person"].is_null()),
        "no person reached: {nodes:?}"
    );
    // The operator's administrator sees them.
    let r = gql(&app, Some(&admin), list, json!({})).await;
    assert!(
        r.ok()["accounts"]["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["login"] == "graduate" && a["person"]["iin"].is_string())
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn employers_from_the_feed_are_not_public() {
    let app = spawn_app_with_demo().await;
    let analyst = token(&app, "analyst").await;
    let parent = token(&app, "parent").await;
    let q = "{ organisations(first: 100) { totalCount nodes { id kind bin nameEn } } }";
    let all = gql(&app, Some(&analyst), q, json!({})).await;
    let all = all.ok()["organisations"]["nodes"]
        .as_array()
        .unwrap()
        .clone();
    let employer = all
        .iter()
        .find(|o| o["kind"] == "EMPLOYER")
        .expect("the demo has an employer")
        .clone();
    let institutions = [
        "OPERATOR",
        "UNIVERSITY",
        "COLLEGE",
        "HIGHER_COLLEGE",
        "SCHOOL",
        "NIS",
        "EDUCATION_PROVIDER",
        "AKIMAT",
        "STATE_BODY",
    ];
    let expected = all
        .iter()
        .filter(|o| institutions.contains(&o["kind"].as_str().unwrap()))
        .count();
    assert!(expected >= 5 && expected < all.len());
    for token in [None, Some(parent.as_str())] {
        let r = gql(&app, token, q, json!({})).await;
        let c = &r.ok()["organisations"];
        assert_eq!(c["totalCount"], expected);
        for o in c["nodes"].as_array().unwrap() {
            assert!(institutions.contains(&o["kind"].as_str().unwrap()), "{o}");
        }
        // Asking by kind, by BIN or by id finds nothing either.
        let r = gql(
            &app,
            token,
            "query($b: String) { organisations(filter: {kind: EMPLOYER, search: $b}) { totalCount } }",
            json!({ "b": employer["bin"] }),
        )
        .await;
        assert_eq!(r.ok()["organisations"]["totalCount"], 0);
        let r = gql(
            &app,
            token,
            "query($id: ID!) { organisation(id: $id) { nameEn } }",
            json!({ "id": employer["id"] }),
        )
        .await;
        assert_eq!(r.code().as_deref(), Some("NOT_FOUND"));
    }
    // The operator's staff see the employer.
    let r = gql(
        &app,
        Some(&analyst),
        "query($id: ID!) { organisation(id: $id) { nameEn } }",
        json!({ "id": employer["id"] }),
    )
    .await;
    assert_eq!(r.ok()["organisation"]["nameEn"], employer["nameEn"]);
}

#[tokio::test(flavor = "multi_thread")]
async fn every_read_of_someone_elses_personal_data_is_on_the_trail() {
    let app = spawn_app_with_demo().await;
    let admin = token(&app, "admin").await;
    let me = "{ me { account { id } } }";
    // Each staff role reads persons or graduates: one event per request, naming who, through
    // which operation, how many persons and which fields.
    for (login, query, field) in [
        (
            "admin",
            "query Register { persons(first: 5) { nodes { iin phone birthDate } } }",
            "iin",
        ),
        (
            "analyst",
            "query Register { persons(first: 5) { nodes { fullName phone } } }",
            "phone",
        ),
        (
            "commission",
            "query Graduates { graduates(first: 3) { nodes { fullName } } }",
            "name",
        ),
    ] {
        let t = token(&app, login).await;
        let account = gql(&app, Some(&t), me, json!({})).await.ok()["me"]["account"]["id"].clone();
        let before = read_events(&app, &admin).await.len();
        let r = gql(&app, Some(&t), query, json!({})).await;
        let n = r.ok().as_object().unwrap().values().next().unwrap()["nodes"]
            .as_array()
            .unwrap()
            .len();
        assert!(n > 0);
        let events = read_events(&app, &admin).await;
        assert_eq!(events.len(), before + 1, "{login}: {events:?}");
        let e = &events[0];
        assert_eq!(e["actorAccountId"], account, "{login}");
        assert_eq!(e["details"]["persons"], n, "{login}: {e}");
        assert_eq!(e["details"]["ids"].as_array().unwrap().len(), n);
        assert!(
            e["details"]["operation"] == "Register" || e["details"]["operation"] == "Graduates"
        );
        assert!(
            e["details"]["fields"]
                .as_array()
                .unwrap()
                .iter()
                .any(|f| f == field),
            "{login}: {e}"
        );
    }
    // Reading one's own data, or one's children's, is not an event.
    let before = read_events(&app, &admin).await.len();
    let graduate = token(&app, "graduate").await;
    gql(
        &app,
        Some(&graduate),
        "{ me { person { iin fullName phone } } myObligations { fullName } }",
        json!({}),
    )
    .await
    .ok();
    let parent = token(&app, "parent").await;
    gql(
        &app,
        Some(&parent),
        "{ myChildren { iin fullName } }",
        json!({}),
    )
    .await
    .ok();
    assert_eq!(read_events(&app, &admin).await.len(), before);
}

#[tokio::test(flavor = "multi_thread")]
async fn full_iins_go_only_to_roles_whose_work_needs_them() {
    let app = spawn_app_with_demo().await;
    let admin = token(&app, "admin").await;
    let list = "query Register { persons(first: 20) { nodes { id iin maskedIin } } }";
    let nodes = |r: Reply| r.ok()["persons"]["nodes"].as_array().unwrap().clone();
    let is_full = |iin: &serde_json::Value| {
        iin.as_str()
            .is_some_and(|s| s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit()))
    };
    // The operator's administrator keeps the register: full IINs, and the read is on the trail.
    let before = read_events(&app, &admin).await.len();
    let seen = nodes(gql(&app, Some(&admin), list, json!({})).await);
    assert!(seen.len() > 5);
    assert!(
        seen.iter()
            .all(|p| is_full(&p["iin"]) && p["iin"] != p["maskedIin"]),
        "{seen:?}"
    );
    let events = read_events(&app, &admin).await;
    assert_eq!(events.len(), before + 1);
    assert!(
        events[0]["details"]["fields"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f == "iin")
    );
    // The analyst and the commission see the same persons with the IIN masked, and a masked
    // IIN is not a read of personal data.
    for login in ["analyst", "commission"] {
        let t = token(&app, login).await;
        let before = read_events(&app, &admin).await.len();
        let seen = nodes(gql(&app, Some(&t), list, json!({})).await);
        assert!(seen.len() > 5, "{login}");
        for p in &seen {
            assert_eq!(p["iin"], p["maskedIin"], "{login}: {p}");
            assert!(!is_full(&p["iin"]), "{login}: {p}");
            assert!(p["iin"].as_str().unwrap().contains('*'), "{login}: {p}");
        }
        assert_eq!(read_events(&app, &admin).await.len(), before, "{login}");
    }
    // A parent reads their children's IINs in full; a graduate their own.
    let parent = token(&app, "parent").await;
    let r = gql(&app, Some(&parent), "{ myChildren { iin } }", json!({})).await;
    let children = r.ok()["myChildren"].as_array().unwrap().clone();
    assert!(!children.is_empty());
    assert!(children.iter().all(|c| is_full(&c["iin"])), "{children:?}");
    let graduate = token(&app, "graduate").await;
    let r = gql(
        &app,
        Some(&graduate),
        "{ me { person { iin } } }",
        json!({}),
    )
    .await;
    assert!(is_full(&r.ok()["me"]["person"]["iin"]));
    // A state system granted `persons` and the field `iin` matches by IIN: it reads them in
    // full.
    let r = gql(&app, Some(&admin), "mutation { createClient(input: {clientId: \"egov-match\", displayName: \"eGov matching\", role: INTEGRATION, allowedOperations: [\"persons\"], allowedFields: [\"iin\"]}) { clientSecret } }", json!({})).await;
    let secret = r.ok()["createClient"]["clientSecret"]
        .as_str()
        .unwrap()
        .to_owned();
    let client = client_token(&app, "egov-match", &secret).await;
    let seen = nodes(gql(&app, Some(&client), list, json!({})).await);
    assert!(seen.len() > 5);
    assert!(seen.iter().all(|p| is_full(&p["iin"])), "{seen:?}");
}
