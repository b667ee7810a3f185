#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail by panicking
//! The GraphQL over HTTP contract, health endpoints, GraphiQL offline, error codes.

mod common;

use common::*;
use serde_json::json;

async fn post_raw(
    app: &adal_testkit::TestApp,
    accept: Option<&str>,
    ct: &str,
    body: Vec<u8>,
) -> (u16, String, String) {
    let mut req = reqwest::Client::new()
        .post(format!("{}/graphql", app.address))
        .header("content-type", ct)
        .body(body);
    if let Some(a) = accept {
        req = req.header("accept", a);
    }
    let r = req.send().await.unwrap();
    let status = r.status().as_u16();
    let ct = r
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    (status, ct, r.text().await.unwrap())
}

#[tokio::test(flavor = "multi_thread")]
async fn media_types_and_status_codes_follow_the_spec() {
    let app = spawn_app().await;
    let ok = json!({ "query": "{ regions { totalCount } }" })
        .to_string()
        .into_bytes();
    let (s, ct, _) = post_raw(&app, Some(GQL_MEDIA), "application/json", ok.clone()).await;
    assert_eq!((s, ct.starts_with(GQL_MEDIA)), (200, true));
    let (s, ct, _) = post_raw(&app, None, "application/json", ok.clone()).await;
    assert_eq!((s, ct.starts_with("application/json")), (200, true));
    let (s, _, _) = post_raw(&app, Some("text/html"), "application/json", ok.clone()).await;
    assert_eq!(s, 406);
    let (s, _, _) = post_raw(&app, Some(GQL_MEDIA), "text/plain", ok).await;
    assert_eq!(s, 415);

    // A document that does not validate: 400 with graphql-response+json, 200 with json.
    let bad = json!({ "query": "{ noSuchField }" })
        .to_string()
        .into_bytes();
    let (s, _, body) = post_raw(&app, Some(GQL_MEDIA), "application/json", bad.clone()).await;
    assert_eq!(s, 400);
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert!(v.get("data").is_none(), "request errors carry no data: {v}");
    assert_eq!(v["errors"][0]["extensions"]["code"], "BAD_USER_INPUT");
    let (s, _, _) = post_raw(&app, Some("application/json"), "application/json", bad).await;
    assert_eq!(s, 200);

    // Malformed JSON.
    let (s, _, body) = post_raw(
        &app,
        Some(GQL_MEDIA),
        "application/json",
        b"{not json".to_vec(),
    )
    .await;
    assert_eq!(s, 400);
    assert!(body.contains("BAD_USER_INPUT"));

    // A field error (not signed in) is still a 200 with data.
    let r = gql(&app, None, "{ me { language } }", json!({})).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.code().as_deref(), Some("UNAUTHENTICATED"));
}

#[tokio::test(flavor = "multi_thread")]
async fn oversized_bodies_are_refused() {
    let app = spawn_app_with(|s| s.max_body_bytes = 4096).await;
    let big = json!({ "query": format!("{{ regions {{ totalCount }} }} #{}", "x".repeat(10_000)) });
    let (s, _, _) = post_raw(
        &app,
        Some(GQL_MEDIA),
        "application/json",
        big.to_string().into_bytes(),
    )
    .await;
    assert_eq!(s, 413);
}

#[tokio::test(flavor = "multi_thread")]
async fn depth_and_complexity_are_limited() {
    let app = spawn_app_with(|s| s.graphql_depth_limit = 5).await;
    let deep = "{ organisations { nodes { parent { parent { parent { parent { id } } } } } } }";
    let r = gql(&app, None, deep, json!({})).await;
    assert_eq!(r.status, 400);
    assert_eq!(r.code().as_deref(), Some("BAD_USER_INPUT"));
    let r = gql(
        &app,
        None,
        "{ organisations(first: 101) { totalCount } }",
        json!({}),
    )
    .await;
    assert_eq!(r.code().as_deref(), Some("BAD_USER_INPUT"));
    assert_eq!(r.body["errors"][0]["extensions"]["field"], "first");
}

#[tokio::test(flavor = "multi_thread")]
async fn health_readiness_and_graphiql_work_offline() {
    let app = spawn_app().await;
    let c = reqwest::Client::new();
    assert_eq!(
        c.get(format!("{}/healthz", app.address))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    assert_eq!(
        c.get(format!("{}/readyz", app.address))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap(),
        "ready"
    );
    let page = c
        .get(format!("{}/graphql", app.address))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("GraphiQL"));
    assert!(
        !page.contains("https://"),
        "GraphiQL must not load anything from the internet"
    );
    for asset in [
        "graphiql.min.js",
        "graphiql.min.css",
        "react.production.min.js",
        "react-dom.production.min.js",
    ] {
        assert!(page.contains(&format!("/graphiql/{asset}")));
        let r = c
            .get(format!("{}/graphiql/{asset}", app.address))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "{asset}");
        assert!(r.bytes().await.unwrap().len() > 1000, "{asset}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn every_error_code_is_reachable_and_internal_errors_hide_their_cause() {
    use sea_orm::ConnectionTrait;
    let app = spawn_app_with(|s| s.login_max_failures = 1).await;
    adal_server::seed::seed_demo(&app.db).await.unwrap();
    let admin = token(&app, "admin").await;
    let analyst = token(&app, "analyst").await;
    let mut seen = std::collections::BTreeSet::new();
    let create = "mutation($i: OrganisationInput!) { createOrganisation(input: $i) { id } }";
    let org = |bin: &str| json!({ "i": { "bin": bin, "kind": "EMPLOYER", "nameKk": "А", "nameRu": "Б", "nameEn": "C" } });

    seen.extend(
        gql(&app, None, "{ me { language } }", json!({}))
            .await
            .codes(),
    );
    seen.extend(
        gql(&app, Some(&analyst), create, org("940140000385"))
            .await
            .codes(),
    );
    seen.extend(
        gql(
            &app,
            None,
            "{ organisation(id: \"99999\") { id } }",
            json!({}),
        )
        .await
        .codes(),
    );
    seen.extend(
        gql(&app, Some(&admin), create, org("940140000386"))
            .await
            .codes(),
    );
    seen.extend(
        gql(&app, Some(&admin), create, org("940140000385"))
            .await
            .codes(),
    );
    gql(
        &app,
        None,
        LOGIN,
        json!({ "l": "graduate", "p": "wrong-password" }),
    )
    .await;
    seen.extend(
        gql(
            &app,
            None,
            LOGIN,
            json!({ "l": "graduate", "p": "wrong-password" }),
        )
        .await
        .codes(),
    );

    let count = "{ organisations { totalCount } }";
    let before =
        gql(&app, None, count, json!({})).await.ok()["organisations"]["totalCount"].clone();
    // Break the database under the server: the client learns nothing about SQL.
    app.db
        .execute_unprepared("DROP TABLE audit_event")
        .await
        .unwrap();
    let r = gql(&app, Some(&admin), create, org(&valid_id("22064000011"))).await;
    seen.extend(r.codes());
    let text = r.body.to_string().to_lowercase();
    assert_eq!(r.code().as_deref(), Some("INTERNAL"));
    for leak in ["audit_event", "sql", "table", "relation", "insert"] {
        assert!(
            !text.contains(leak),
            "internal detail `{leak}` leaked: {text}"
        );
    }
    // Nothing half-written: the organisation insert was rolled back with the audit failure.
    let r = gql(&app, None, count, json!({})).await;
    assert_eq!(r.ok()["organisations"]["totalCount"], before);

    let expected: std::collections::BTreeSet<String> = adal_core::error::CODES
        .iter()
        .map(|c| (*c).to_owned())
        .collect();
    assert_eq!(seen, expected);
}

/// graphql-js 16 `getIntrospectionQuery({ descriptions: true, specifiedByUrl: true,
/// directiveIsRepeatable: true, schemaDescription: true, inputValueDeprecation: true })`, as
/// GraphiQL, code generators and API tools send it.
const INTROSPECTION_QUERY: &str = r#"
query IntrospectionQuery {
  __schema {
    description
    queryType { name }
    mutationType { name }
    subscriptionType { name }
    types { ...FullType }
    directives {
      name
      description
      isRepeatable
      locations
      args(includeDeprecated: true) { ...InputValue }
    }
  }
}
fragment FullType on __Type {
  kind
  name
  description
  specifiedByURL
  fields(includeDeprecated: true) {
    name
    description
    args(includeDeprecated: true) { ...InputValue }
    type { ...TypeRef }
    isDeprecated
    deprecationReason
  }
  inputFields(includeDeprecated: true) { ...InputValue }
  interfaces { ...TypeRef }
  enumValues(includeDeprecated: true) {
    name
    description
    isDeprecated
    deprecationReason
  }
  possibleTypes { ...TypeRef }
}
fragment InputValue on __InputValue {
  name
  description
  type { ...TypeRef }
  defaultValue
  isDeprecated
  deprecationReason
}
fragment TypeRef on __Type {
  kind
  name
  ofType {
    kind
    name
    ofType {
      kind
      name
      ofType {
        kind
        name
        ofType {
          kind
          name
          ofType {
            kind
            name
            ofType {
              kind
              name
              ofType {
                kind
                name
                ofType {
                  kind
                  name
                  ofType {
                    kind
                    name
                  }
                }
              }
            }
          }
        }
      }
    }
  }
}
"#;

#[tokio::test(flavor = "multi_thread")]
async fn the_standard_introspection_query_is_answered_and_ordinary_depth_still_limited() {
    let app = spawn_app().await;
    let r = gql(&app, None, INTROSPECTION_QUERY, json!({})).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.body.get("errors").is_none(), "{}", r.body);
    let types = r.body["data"]["__schema"]["types"].as_array().unwrap();
    assert!(
        types.iter().any(|t| t["name"] == "Graduate"),
        "the schema's own types are listed"
    );
    assert_eq!(r.body["data"]["__schema"]["queryType"]["name"], "Query");
    // The same depth in ordinary fields is still refused.
    let deep = "{ organisations { nodes { parent { parent { parent { parent { parent { parent { parent { parent { parent { parent { parent { id } } } } } } } } } } } } } }";
    let r = gql(&app, None, deep, json!({})).await;
    assert_eq!(r.status, 400);
    assert_eq!(r.code().as_deref(), Some("BAD_USER_INPUT"));
}

#[tokio::test(flavor = "multi_thread")]
async fn values_the_types_refuse_are_bad_input_named_by_their_argument() {
    let app = spawn_app_with_demo().await;
    let admin = token(&app, "admin").await;
    // An Int out of range, written in the query and sent as a variable.
    let r = gql(
        &app,
        Some(&admin),
        "{ graduates(first: 2147483648) { totalCount } }",
        json!({}),
    )
    .await;
    assert_eq!(r.code().as_deref(), Some("BAD_USER_INPUT"), "{}", r.body);
    assert_eq!(r.body["errors"][0]["extensions"]["field"], "first");
    let r = gql(
        &app,
        Some(&admin),
        "query($n: Int) { graduates(first: $n) { totalCount } }",
        json!({ "n": 2_147_483_648_i64 }),
    )
    .await;
    assert_eq!(r.code().as_deref(), Some("BAD_USER_INPUT"), "{}", r.body);
    // A malformed cursor.
    let r = gql(
        &app,
        Some(&admin),
        "{ graduates(first: 5, after: \"not a cursor\") { totalCount } }",
        json!({}),
    )
    .await;
    assert_eq!(r.code().as_deref(), Some("BAD_USER_INPUT"), "{}", r.body);
    assert_eq!(r.body["errors"][0]["extensions"]["field"], "after");
    // An enum value that does not exist.
    let r = gql(
        &app,
        Some(&admin),
        "{ graduates(filter: { status: NOPE }) { totalCount } }",
        json!({}),
    )
    .await;
    assert_eq!(r.code().as_deref(), Some("BAD_USER_INPUT"), "{}", r.body);
    assert!(
        r.body["errors"][0]["extensions"]["field"]
            .as_str()
            .is_some_and(|f| f.starts_with("filter")),
        "{}",
        r.body
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn metrics_are_served_to_the_allowed_addresses_only() {
    let app = spawn_app().await;
    let c = reqwest::Client::new();
    let r = c
        .post(format!("{}/graphql", app.address))
        .json(&json!({ "query": "query Regions { regions { totalCount } }", "operationName": "Regions" }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    gql(&app, None, "{ me { language } }", json!({})).await;
    let r = c
        .get(format!("{}/metrics", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert!(
        r.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/openmetrics-text")
    );
    let text = r.text().await.unwrap();
    for line in [
        r#"adal_graphql_requests_total{operation="Regions"} 1"#,
        r#"adal_graphql_errors_total{code="UNAUTHENTICATED"} 1"#,
        r#"adal_jobs{status="queued"} 0"#,
        r#"adal_outbox_messages{status="queued"} 0"#,
        "adal_outbox_delivery_lag_seconds 0",
        "adal_jobs_oldest_queued_age_seconds 0",
        r#"adal_db_pool_connections{state="max"}"#,
        r#"adal_graphql_request_duration_seconds_count{operation="Regions"} 1"#,
    ] {
        assert!(text.contains(line), "{line} missing from:\n{text}");
    }

    let closed = spawn_app_with(|s| s.metrics_allow = "10.0.0.0/8".into()).await;
    let r = c
        .get(format!("{}/metrics", closed.address))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
}
