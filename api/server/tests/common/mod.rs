#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail by panicking
//! Helpers shared by the API test suites: a GraphQL client and the role-matrix checker.
#![allow(dead_code)]

use adal_testkit::TestApp;
use serde_json::{Value, json};

#[allow(unused_imports)]
pub use adal_testkit::{spawn_app, spawn_app_with, spawn_app_with_demo};

pub const GQL_MEDIA: &str = "application/graphql-response+json";

pub struct Reply {
    pub status: u16,
    pub content_type: String,
    pub body: Value,
    /// The `Set-Cookie` headers of the answer.
    pub set_cookies: Vec<String>,
}

impl Reply {
    /// The `extensions.code` of every error.
    pub fn codes(&self) -> Vec<String> {
        self.body["errors"]
            .as_array()
            .map(|errs| {
                errs.iter()
                    .filter_map(|e| e["extensions"]["code"].as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    }
    pub fn code(&self) -> Option<String> {
        self.codes().into_iter().next()
    }
    pub fn data(&self) -> &Value {
        &self.body["data"]
    }
    /// Panics with the errors when the request did not succeed.
    pub fn ok(&self) -> &Value {
        assert!(
            self.body.get("errors").is_none(),
            "unexpected errors: {}",
            self.body
        );
        &self.body["data"]
    }
}

pub async fn gql(app: &TestApp, token: Option<&str>, query: &str, variables: Value) -> Reply {
    gql_with(app, token, &[], query, variables).await
}

/// [`gql`] with extra request headers (`X-Forwarded-For` from a proxy, say).
pub async fn gql_with(
    app: &TestApp,
    token: Option<&str>,
    headers: &[(&str, &str)],
    query: &str,
    variables: Value,
) -> Reply {
    post_body(
        app,
        token,
        headers,
        &json!({ "query": query, "variables": variables }),
    )
    .await
}

/// Posts a request body as it is (one that names a registered operation by its hash, say).
pub async fn post_body(
    app: &TestApp,
    token: Option<&str>,
    headers: &[(&str, &str)],
    body: &Value,
) -> Reply {
    let client = reqwest::Client::new();
    let mut req = client
        .post(format!("{}/graphql", app.address))
        .header("accept", GQL_MEDIA)
        .json(body);
    for (name, value) in headers {
        req = req.header(*name, *value);
    }
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    let resp = req.send().await.expect("request");
    let status = resp.status().as_u16();
    let content_type = resp
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    let set_cookies = resp
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok().map(str::to_owned))
        .collect();
    let text = resp.text().await.expect("body");
    let body = serde_json::from_str(&text).unwrap_or(Value::String(text));
    Reply {
        status,
        content_type,
        set_cookies,
        body,
    }
}

pub const LOGIN: &str = "mutation($l: String!, $p: String!) { login(login: $l, password: $p) { accessToken refreshToken expiresAt } }";

/// Signs a demo account in and returns its access token.
pub async fn token(app: &TestApp, login: &str) -> String {
    token_with(app, login, "adal-demo").await
}

/// Signs a person in with a password of their own and returns the access token.
pub async fn token_with(app: &TestApp, login: &str, password: &str) -> String {
    let r = gql(app, None, LOGIN, json!({ "l": login, "p": password })).await;
    r.ok()["login"]["accessToken"]
        .as_str()
        .unwrap_or_else(|| panic!("no token for {login}: {}", r.body))
        .to_owned()
}

/// Signs a machine client in and returns its access token.
pub async fn client_token(app: &TestApp, id: &str, secret: &str) -> String {
    let r = gql(
        app,
        None,
        "mutation($i: String!, $s: String!) { clientToken(clientId: $i, clientSecret: $s) { accessToken refreshToken } }",
        json!({ "i": id, "s": secret }),
    )
    .await;
    assert!(r.ok()["clientToken"]["refreshToken"].is_null());
    r.ok()["clientToken"]["accessToken"]
        .as_str()
        .expect("client token")
        .to_owned()
}

/// Every demo identity: person logins and the two machine clients.
pub const PEOPLE: &[&str] = &[
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
pub const CLIENTS: &[(&str, &str)] = &[
    ("demo-integration", "demo-integration-secret"),
    ("demo-turnstile", "demo-turnstile-secret"),
];

/// Tokens for every demo identity, by login or client id.
pub async fn all_tokens(app: &TestApp) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for login in PEOPLE {
        out.push(((*login).to_owned(), token(app, login).await));
    }
    for (id, secret) in CLIENTS {
        out.push(((*id).to_owned(), client_token(app, id, secret).await));
    }
    out
}

/// One operation of the role matrix: the identities allowed to call it.
pub struct Op<'a> {
    pub name: &'a str,
    pub query: String,
    pub variables: Value,
    pub allowed: &'a [&'a str],
}

/// In `Op::allowed`: the operation is public, open to a caller who is not signed in.
pub const ANONYMOUS: &str = "anonymous";

/// Sends an operation of the matrix: as multipart when it declares an upload (`$file:
/// Upload!` gets a small CSV file, `$documents: [Upload!]!` one small PDF), as JSON otherwise.
async fn call(app: &TestApp, token: Option<&str>, op: &Op<'_>) -> Reply {
    if op.query.contains("$file: Upload!") {
        let csv = b"kato,name_kk,name_ru,name_en\n".to_vec();
        gql_upload_as(
            app,
            token,
            &op.query,
            op.variables.clone(),
            vec![("variables.file", "regions.csv", csv)],
        )
        .await
    } else if op.query.contains("$documents: [Upload!]!") {
        let pdf = b"%PDF-1.4\n% a statement\n%%EOF\n".to_vec();
        gql_upload_as(
            app,
            token,
            &op.query,
            op.variables.clone(),
            vec![("variables.documents.0", "statement.pdf", pdf)],
        )
        .await
    } else {
        gql(app, token, &op.query, op.variables.clone()).await
    }
}

/// Whether the access check refused the call (not the operation's own answer, such as a
/// wrong password's UNAUTHENTICATED).
fn refused(r: &Reply) -> bool {
    r.body["errors"].as_array().is_some_and(|errs| {
        errs.iter()
            .any(|e| e["extensions"]["code"] == "FORBIDDEN" || e["message"] == "sign-in required")
    })
}

/// For each operation, the allowed identities pass the access check, every other identity gets
/// `FORBIDDEN`, and an anonymous caller gets `UNAUTHENTICATED`; a public operation (allowed
/// includes [`ANONYMOUS`]) refuses nobody. Returns the failures.
pub async fn role_matrix(app: &TestApp, ops: &[Op<'_>]) -> Vec<String> {
    let tokens = all_tokens(app).await;
    let mut failures = Vec::new();
    for op in ops {
        let public = op.allowed.contains(&ANONYMOUS);
        let anon = call(app, None, op).await;
        if public {
            if refused(&anon) {
                failures.push(format!(
                    "{}: public, but anonymous got {}",
                    op.name, anon.body
                ));
            }
        } else if anon.code().as_deref() != Some("UNAUTHENTICATED") {
            failures.push(format!("{}: anonymous got {}", op.name, anon.body));
        }
        for (who, token) in &tokens {
            let r = call(app, Some(token), op).await;
            let codes = r.codes();
            if public {
                if refused(&r) {
                    failures.push(format!("{}: public, but {who} got {}", op.name, r.body));
                }
                continue;
            }
            let denied = codes
                .iter()
                .any(|c| c == "FORBIDDEN" || c == "UNAUTHENTICATED");
            let allowed = op.allowed.contains(&who.as_str());
            if allowed && denied {
                failures.push(format!(
                    "{}: {who} should be allowed, got {}",
                    op.name, r.body
                ));
            }
            // A conflict, or a row outside the caller's scope, is the operation's own answer:
            // the access check let the caller through.
            if allowed
                && r.data().is_null()
                && !codes.is_empty()
                && codes[0] != "CONFLICT"
                && codes[0] != "NOT_FOUND"
            {
                failures.push(format!("{}: {who} allowed but failed: {}", op.name, r.body));
            }
            if !allowed && codes.first().map(String::as_str) != Some("FORBIDDEN") {
                failures.push(format!(
                    "{}: {who} should get FORBIDDEN, got {}",
                    op.name, r.body
                ));
            }
        }
    }
    failures
}

/// The id of the first organisation with this BIN.
pub async fn org_id(app: &TestApp, bin: &str) -> String {
    let r = gql(
        app,
        None,
        "query($s: String) { organisations(filter: {search: $s}) { nodes { id bin } } }",
        json!({ "s": bin }),
    )
    .await;
    r.ok()["organisations"]["nodes"][0]["id"]
        .as_str()
        .expect("organisation")
        .to_owned()
}

/// Completes 11 digits with a valid check digit.
pub fn valid_id(first11: &str) -> String {
    adal_core::identifiers::with_check_digit(first11).expect("check digit exists")
}

/// A plain GET of `path` (a download), signed in or not: its status, headers and bytes.
pub async fn get_path(
    app: &TestApp,
    token: Option<&str>,
    path: &str,
) -> (u16, reqwest::header::HeaderMap, Vec<u8>) {
    let mut req = reqwest::Client::new().get(format!("{}{path}", app.address));
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    let resp = req.send().await.unwrap();
    let status = resp.status().as_u16();
    let headers = resp.headers().clone();
    (status, headers, resp.bytes().await.unwrap().to_vec())
}

/// A GraphQL multipart request (the GraphQL multipart request spec): `files` are
/// (variable path, file name, bytes).
pub async fn gql_upload(
    app: &TestApp,
    token: &str,
    query: &str,
    variables: Value,
    files: Vec<(&str, &str, Vec<u8>)>,
) -> Reply {
    gql_upload_as(app, Some(token), query, variables, files).await
}

/// [`gql_upload`], signed in or not.
pub async fn gql_upload_as(
    app: &TestApp,
    token: Option<&str>,
    query: &str,
    variables: Value,
    files: Vec<(&str, &str, Vec<u8>)>,
) -> Reply {
    let mut map = serde_json::Map::new();
    for (i, (path, _, _)) in files.iter().enumerate() {
        map.insert(i.to_string(), json!([path]));
    }
    let mut form = reqwest::multipart::Form::new()
        .text(
            "operations",
            json!({ "query": query, "variables": variables }).to_string(),
        )
        .text("map", Value::Object(map).to_string());
    for (i, (_, name, bytes)) in files.into_iter().enumerate() {
        form = form.part(
            i.to_string(),
            reqwest::multipart::Part::bytes(bytes).file_name(name.to_owned()),
        );
    }
    let mut req = reqwest::Client::new()
        .post(format!("{}/graphql", app.address))
        .header("accept", GQL_MEDIA)
        .multipart(form);
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    let resp = req.send().await.unwrap();
    let status = resp.status().as_u16();
    let text = resp.text().await.unwrap();
    Reply {
        status,
        content_type: String::new(),
        set_cookies: Vec::new(),
        body: serde_json::from_str(&text).unwrap_or(Value::String(text)),
    }
}

/// The id of the demo graduate with this last name (as the admin sees the register).
pub async fn graduate_id(app: &TestApp, admin: &str, last_name: &str) -> String {
    let r = gql(
        app,
        Some(admin),
        "{ graduates(first: 100) { nodes { id fullName } } }",
        json!({}),
    )
    .await;
    r.ok()["graduates"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["fullName"].as_str().unwrap().starts_with(last_name))
        .map(|n| n["id"].as_str().unwrap().to_owned())
        .unwrap_or_else(|| panic!("no graduate {last_name}"))
}

/// The `personal_data.read` events on the trail, newest first, as the administrator sees them.
pub async fn read_events(app: &TestApp, admin: &str) -> Vec<Value> {
    let r = gql(
        app,
        Some(admin),
        "{ auditEvents(subjectType: \"person\", first: 100) { nodes { action actorAccountId subjectId details } } }",
        json!({}),
    )
    .await;
    r.ok()["auditEvents"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "personal_data.read")
        .cloned()
        .collect()
}

/// Turns the second factor of the account behind `token` on, as its owner does from the
/// security page: starts the setup and confirms it with the app's code of the moment. Returns
/// the secret, from which a test computes the app's later codes.
pub async fn turn_on_second_factor(app: &TestApp, token: &str) -> String {
    let r = gql(
        app,
        Some(token),
        "mutation { startSecondFactor { secret } }",
        json!({}),
    )
    .await;
    let secret = r.ok()["startSecondFactor"]["secret"]
        .as_str()
        .unwrap()
        .to_owned();
    let now = u64::try_from(chrono::Utc::now().timestamp()).unwrap();
    let code = adal_core::auth::second_factor::code_at(&secret, now).unwrap();
    let r = gql(
        app,
        Some(token),
        "mutation($c: String!) { confirmSecondFactor(code: $c) { secondFactor } }",
        json!({ "c": code }),
    )
    .await;
    assert_eq!(r.ok()["confirmSecondFactor"]["secondFactor"], true);
    secret
}
