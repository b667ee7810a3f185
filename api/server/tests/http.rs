#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail by panicking
//! The GraphQL over HTTP contract, health endpoints, GraphiQL offline, error codes.

use crate::common;

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
    adal_server::seed::seed_demo(&app.db, &app.settings)
        .await
        .unwrap();
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
    assert_eq!(
        r.body["errors"][0]["extensions"]["field"], "first",
        "{}",
        r.body
    );
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

    // Behind a reverse proxy on this host, loopback is the proxy, not the client: a request
    // it forwards from the internet is not admitted, one made on the host itself is.
    let proxied = spawn_app_with(|s| s.trusted_proxies = "127.0.0.1, ::1".into()).await;
    let r = c
        .get(format!("{}/metrics", proxied.address))
        .header("x-forwarded-for", "203.0.113.5")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    let r = c
        .get(format!("{}/metrics", proxied.address))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
}

/// Sends the head of a POST to `/graphql` and as much of its body as `body` holds, then reads
/// the answer's status line: the server must answer without waiting for the rest (a server
/// that read on would wait for bytes that never come).
async fn status_before_body(
    app: &adal_testkit::TestApp,
    headers: &[(&str, String)],
    body: &[u8],
) -> u16 {
    use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
    let host = app.address.trim_start_matches("http://");
    let mut stream = tokio::net::TcpStream::connect(host).await.unwrap();
    let mut head = format!("POST /graphql HTTP/1.1\r\nhost: {host}\r\naccept: {GQL_MEDIA}\r\n");
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).await.unwrap();
    // The server may close as soon as it has answered: a refused write is fine.
    let _ = stream.write_all(body).await;
    let mut line = String::new();
    BufReader::new(stream).read_line(&mut line).await.unwrap();
    line.split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no status line: {line:?}"))
}

#[tokio::test(flavor = "multi_thread")]
async fn uploads_are_refused_before_their_body_is_read_unless_the_caller_may_upload() {
    let app = spawn_app_with(|s| s.max_upload_bytes = 64 * 1024).await;
    adal_server::seed::seed_demo(&app.db, &app.settings)
        .await
        .unwrap();
    let multipart = (
        "content-type",
        "multipart/form-data; boundary=XyZ".to_owned(),
    );
    let huge = ("content-length", (200u64 * 1024 * 1024).to_string());
    let start = b"--XyZ\r\ncontent-disposition: form-data; name=\"operations\"\r\n\r\n";
    // Anonymous: 401, though 200 MB are announced and a few bytes sent.
    let s = status_before_body(&app, &[multipart.clone(), huge.clone()], start).await;
    assert_eq!(s, 401);
    // Signed in, but no role of theirs uploads: 403.
    let provider = token(&app, "provider").await;
    let bearer = ("authorization", format!("Bearer {provider}"));
    let s = status_before_body(&app, &[multipart.clone(), huge.clone(), bearer], start).await;
    assert_eq!(s, 403);
    // An uploader announcing more than the limit: 413 at once.
    let admin = token(&app, "admin").await;
    let bearer = ("authorization", format!("Bearer {admin}"));
    let s = status_before_body(
        &app,
        &[multipart.clone(), huge.clone(), bearer.clone()],
        start,
    )
    .await;
    assert_eq!(s, 413);
    // An uploader streaming without a length: refused once the limit is passed, while the
    // body is still coming (the chunks sent are well past the limit; the rest never comes).
    let chunk = vec![b'a'; 16 * 1024];
    let mut body = Vec::new();
    body.extend_from_slice(format!("{:x}\r\n", start.len()).as_bytes());
    body.extend_from_slice(start);
    body.extend_from_slice(b"\r\n");
    for _ in 0..8 {
        body.extend_from_slice(format!("{:x}\r\n", chunk.len()).as_bytes());
        body.extend_from_slice(&chunk);
        body.extend_from_slice(b"\r\n");
    }
    let chunked = ("transfer-encoding", "chunked".to_owned());
    let s = status_before_body(&app, &[multipart.clone(), chunked, bearer], &body).await;
    assert_eq!(s, 413);
    // A plain JSON request announcing more than `max_body_bytes`: 413 before reading.
    let json = ("content-type", "application/json".to_owned());
    let s = status_before_body(&app, &[json, huge], b"{\"query\":").await;
    assert_eq!(s, 413);
}

#[tokio::test(flavor = "multi_thread")]
async fn an_alias_flood_is_refused_unrun_and_each_caller_spends_a_budget() {
    let app = spawn_app_with(|s| s.graphql_cost_per_minute = 1_000).await;
    adal_server::seed::seed_demo(&app.db, &app.settings)
        .await
        .unwrap();
    let analyst = token(&app, "analyst").await;
    // 900 aliases of a search: refused as a whole before any search runs.
    let flood = format!(
        "{{ {} }}",
        (0..900)
            .map(|i| format!("o{i}: organisations(first: 100) {{ nodes {{ id }} }}"))
            .collect::<Vec<_>>()
            .join(" ")
    );
    let r = gql(&app, None, &flood, json!({})).await;
    assert_eq!(r.status, 400);
    assert_eq!(r.code().as_deref(), Some("BAD_USER_INPUT"));
    assert!(
        r.body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("at most 20 root fields"),
        "{}",
        r.body
    );
    // Aliases deeper down count too.
    let nested = format!(
        "{{ regions(first: 1) {{ nodes {{ {} }} }} }}",
        (0..61)
            .map(|i| format!("n{i}: nameKk"))
            .collect::<Vec<_>>()
            .join(" ")
    );
    let r = gql(&app, None, &nested, json!({})).await;
    assert_eq!(r.code().as_deref(), Some("BAD_USER_INPUT"));
    // A page of 100 costs a hundred rows: 1 + 100 × (nodes + 3 fields) = 401 points. Two fit
    // in this caller's 1,000 a minute; the third is refused, saying when to come back.
    let page = "{ organisations(first: 100) { nodes { id nameEn bin } } }";
    for _ in 0..2 {
        gql(&app, None, page, json!({})).await.ok();
    }
    let r = gql(&app, None, page, json!({})).await;
    assert_eq!(r.status, 429, "{}", r.body);
    assert_eq!(r.code().as_deref(), Some("RATE_LIMITED"));
    let wait = r.body["errors"][0]["extensions"]["retryAfterSeconds"]
        .as_i64()
        .unwrap();
    assert!((1..=60).contains(&wait), "{wait}");
    // Another caller has a budget of their own.
    let r = gql(&app, Some(&analyst), page, json!({})).await;
    assert!(r.ok()["organisations"]["nodes"].is_array());
}

#[tokio::test(flavor = "multi_thread")]
async fn an_integration_client_spends_the_budget_set_with_it() {
    let app = spawn_app_with(|s| s.graphql_cost_per_minute = 1_000).await;
    adal_server::seed::seed_demo(&app.db, &app.settings)
        .await
        .unwrap();
    let admin = token(&app, "admin").await;
    let create = "mutation($i: CreateClientInput!) { createClient(input: $i) { clientSecret account { id costPerMinute } } }";
    let mut clients = Vec::new();
    for (id, budget) in [("stat-bureau", json!(5_000)), ("small-system", json!(null))] {
        let r = gql(&app, Some(&admin), create, json!({ "i": { "clientId": id, "displayName": id, "role": "INTEGRATION", "allowedOperations": ["persons"], "costPerMinute": budget } })).await;
        let c = &r.ok()["createClient"];
        assert_eq!(c["account"]["costPerMinute"], budget);
        let t = client_token(&app, id, c["clientSecret"].as_str().unwrap()).await;
        clients.push((t, c["account"]["id"].as_str().unwrap().to_owned()));
    }
    // A page of 100 costs 401 points: the client given 5,000 a minute reads twelve pages,
    // the one on the server's default of 1,000 two.
    let page = "{ organisations(first: 100) { nodes { id nameEn bin } } }";
    let pages = |t: String| {
        let app = &app;
        async move {
            let mut n = 0;
            loop {
                let r = gql(app, Some(&t), page, json!({})).await;
                if r.status == 429 {
                    assert_eq!(r.code().as_deref(), Some("RATE_LIMITED"));
                    return n;
                }
                assert!(r.ok()["organisations"]["nodes"].is_array());
                n += 1;
                assert!(n < 50, "never limited");
            }
        }
    };
    assert_eq!(pages(clients[0].0.clone()).await, 12);
    assert_eq!(pages(clients[1].0.clone()).await, 2);
    // The budget is changed with the client, and set back to the default with 0; a bad one
    // is refused with the field named; a person's account has no budget of its own.
    let update = "mutation($id: ID!, $b: Int!) { updateAccount(id: $id, input: {costPerMinute: $b}) { costPerMinute } }";
    let r = gql(
        &app,
        Some(&admin),
        update,
        json!({ "id": clients[1].1, "b": 1_800 }),
    )
    .await;
    assert_eq!(r.ok()["updateAccount"]["costPerMinute"], 1_800);
    assert_eq!(pages(clients[1].0.clone()).await, 4);
    let r = gql(
        &app,
        Some(&admin),
        update,
        json!({ "id": clients[1].1, "b": 0 }),
    )
    .await;
    assert!(r.ok()["updateAccount"]["costPerMinute"].is_null());
    let r = gql(
        &app,
        Some(&admin),
        update,
        json!({ "id": clients[1].1, "b": -5 }),
    )
    .await;
    assert_eq!(r.code().as_deref(), Some("BAD_USER_INPUT"));
    assert_eq!(r.body["errors"][0]["extensions"]["field"], "costPerMinute");
    let me = gql(&app, Some(&admin), "{ me { account { id } } }", json!({})).await;
    let own = me.ok()["me"]["account"]["id"].clone();
    let r = gql(&app, Some(&admin), update, json!({ "id": own, "b": 9_000 })).await;
    assert_eq!(r.body["errors"][0]["extensions"]["field"], "costPerMinute");
}

#[tokio::test(flavor = "multi_thread")]
async fn pages_forbid_inline_script_and_framing() {
    let app = spawn_app().await;
    let c = reqwest::Client::new();
    // Any answer of the server (here a portal path: the portals are not built in this test).
    let r = c
        .get(format!("{}/operator/", app.address))
        .send()
        .await
        .unwrap();
    let h = r.headers();
    let csp = h["content-security-policy"].to_str().unwrap();
    assert!(
        csp.contains("script-src 'self' 'wasm-unsafe-eval';"),
        "{csp}"
    );
    assert!(!csp.contains("script-src 'self' 'unsafe-inline'"), "{csp}");
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
    assert_eq!(h["x-frame-options"], "DENY");
    assert_eq!(h["referrer-policy"], "no-referrer");
    // GraphiQL keeps its own policy, which its inline start needs.
    let r = c
        .get(format!("{}/graphql", app.address))
        .send()
        .await
        .unwrap();
    let csp = r.headers()["content-security-policy"].to_str().unwrap();
    assert!(csp.contains("'unsafe-inline'"), "{csp}");
    assert_eq!(r.headers()["x-frame-options"], "DENY");
}
