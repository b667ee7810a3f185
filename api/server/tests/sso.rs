#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail by panicking
//! Single sign-on: an independent relying party (the `openidconnect` crate, on an HTTP client
//! built here over reqwest) signs people in through Adal: discovery, PKCE, code, token, the ID
//! token's signature checked against the JWKS, userinfo; the refusals the specifications
//! require; a child without a parent's permission stopped at the consent step; key rotation.

use crate::common;

use std::future::Future;
use std::pin::Pin;

use chrono::Duration;
use openidconnect::core::{
    CoreAuthenticationFlow, CoreClient, CoreErrorResponseType, CoreGenderClaim,
    CoreJwsSigningAlgorithm, CoreProviderMetadata,
};
use openidconnect::{
    AdditionalClaims, AuthorizationCode, ClientId, ClientSecret, CsrfToken, EndpointMaybeSet,
    EndpointNotSet, EndpointSet, HttpRequest, HttpResponse, IssuerUrl, Nonce, OAuth2TokenResponse,
    PkceCodeChallenge, PkceCodeVerifier, RedirectUrl, RequestTokenError, Scope, TokenResponse,
    UserInfoClaims,
};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
use serde::Deserialize;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use adal_core::clock::Clock;
use adal_testkit::TestApp;
use common::{Op, gql, org_id, role_matrix, token, token_with};

const REDIRECT: &str = "http://127.0.0.1:9/callback";
const PIN: &str = "4821";

// ---- the relying party's HTTP client ----

#[derive(Debug)]
struct HttpError(String);

impl std::fmt::Display for HttpError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}
impl std::error::Error for HttpError {}

type HttpFuture = Pin<Box<dyn Future<Output = Result<HttpResponse, HttpError>>>>;

/// An async HTTP client for `openidconnect`, built on reqwest; never follows redirects.
fn rp_http() -> impl Fn(HttpRequest) -> HttpFuture {
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    move |req: HttpRequest| {
        let client = client.clone();
        Box::pin(async move {
            let req = reqwest::Request::try_from(req).map_err(|e| HttpError(e.to_string()))?;
            let resp = client
                .execute(req)
                .await
                .map_err(|e| HttpError(e.to_string()))?;
            let mut out = openidconnect::http::Response::builder().status(resp.status());
            for (k, v) in resp.headers() {
                out = out.header(k, v);
            }
            let body = resp.bytes().await.map_err(|e| HttpError(e.to_string()))?;
            out.body(body.to_vec())
                .map_err(|e| HttpError(e.to_string()))
        })
    }
}

type Rp = CoreClient<
    EndpointSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointMaybeSet,
    EndpointMaybeSet,
>;

/// Discovery, then a client with the registration's id and secret.
async fn relying_party(app: &TestApp, client_id: &str, secret: &str) -> Rp {
    relying_party_at(app, client_id, secret, REDIRECT).await
}

async fn relying_party_at(app: &TestApp, client_id: &str, secret: &str, redirect: &str) -> Rp {
    let http = rp_http();
    let meta =
        CoreProviderMetadata::discover_async(IssuerUrl::new(app.address.clone()).unwrap(), &http)
            .await
            .expect("discovery");
    CoreClient::from_provider_metadata(
        meta,
        ClientId::new(client_id.into()),
        Some(ClientSecret::new(secret.into())),
    )
    .set_redirect_uri(RedirectUrl::new(redirect.into()).unwrap())
}

#[derive(Debug, Clone, Deserialize, serde::Serialize)]
struct AdalClaims {
    role: Option<String>,
    school: Option<String>,
    class: Option<String>,
}
impl AdditionalClaims for AdalClaims {}

// ---- the person's browser ----

fn form(pairs: &[(&str, &str)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| {
            let enc: String = v
                .bytes()
                .map(|b| {
                    if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                        (b as char).to_string()
                    } else {
                        format!("%{b:02X}")
                    }
                })
                .collect();
            format!("{k}={enc}")
        })
        .collect::<Vec<_>>()
        .join("&")
}

struct Browser {
    http: reqwest::Client,
    /// The sign-in page's form address and the cookie it set.
    action: String,
    cookie: String,
}

struct Page {
    status: u16,
    location: Option<String>,
    body: String,
}

async fn page(resp: reqwest::Response) -> Page {
    Page {
        status: resp.status().as_u16(),
        location: resp
            .headers()
            .get("location")
            .map(|v| v.to_str().unwrap().to_owned()),
        body: resp.text().await.unwrap(),
    }
}

impl Browser {
    /// Opens the authorization URL: the sign-in page.
    async fn open(app: &TestApp, url: &str) -> (Self, Page) {
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        let resp = http.get(url).send().await.unwrap();
        let cookie = resp
            .headers()
            .get("set-cookie")
            .map(|v| v.to_str().unwrap().split(';').next().unwrap().to_owned())
            .unwrap_or_default();
        let p = page(resp).await;
        let action = p
            .body
            .split("action=\"")
            .nth(1)
            .and_then(|s| s.split('"').next())
            .map(|a| format!("{}{a}", app.address))
            .unwrap_or_default();
        (
            Self {
                http,
                action,
                cookie,
            },
            p,
        )
    }

    async fn post(&self, pairs: &[(&str, &str)]) -> Page {
        page(
            self.http
                .post(&self.action)
                .header("content-type", "application/x-www-form-urlencoded")
                .header("cookie", &self.cookie)
                .body(form(pairs))
                .send()
                .await
                .unwrap(),
        )
        .await
    }
}

/// A query parameter of a URL.
fn param(url: &str, name: &str) -> Option<String> {
    let query = url.split_once('?')?.1;
    query.split('&').find_map(|kv| {
        let (k, v) = kv.split_once('=')?;
        (k == name).then(|| v.replace("%2D", "-").replace("%5F", "_"))
    })
}

/// One authorization as the relying party starts it: the browser's sign-in page, the PKCE
/// verifier, the state and the nonce.
struct Flow {
    browser: Browser,
    first: Page,
    verifier: PkceCodeVerifier,
    state: CsrfToken,
    nonce: Nonce,
}

async fn start(app: &TestApp, rp: &Rp) -> Flow {
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let (url, state, nonce) = rp
        .authorize_url(
            CoreAuthenticationFlow::AuthorizationCode,
            CsrfToken::new_random,
            Nonce::new_random,
        )
        .add_scope(Scope::new("profile".into()))
        .add_scope(Scope::new("school".into()))
        .set_pkce_challenge(challenge)
        .url();
    let (browser, first) = Browser::open(app, url.as_str()).await;
    assert_eq!(first.status, 200, "{}", first.body);
    Flow {
        browser,
        first,
        verifier,
        state,
        nonce,
    }
}

/// Signs in with a password, allows, and returns the code from the redirect.
async fn code_for(flow: &Flow, login: &str) -> String {
    let consent = flow
        .browser
        .post(&[
            ("step", "password"),
            ("login", login),
            ("password", "adal-demo"),
        ])
        .await;
    assert_eq!(consent.status, 200, "{}", consent.body);
    let back = flow.browser.post(&[("step", "allow")]).await;
    assert_eq!(back.status, 303, "{}", back.body);
    let to = back.location.unwrap();
    assert!(to.starts_with(REDIRECT), "{to}");
    assert_eq!(
        param(&to, "state").as_deref(),
        Some(flow.state.secret().as_str())
    );
    param(&to, "code").unwrap()
}

type Exchanged = Result<
    openidconnect::core::CoreTokenResponse,
    RequestTokenError<HttpError, openidconnect::StandardErrorResponse<CoreErrorResponseType>>,
>;

/// The relying party exchanges a code (with its PKCE verifier, when given).
async fn exchange(rp: &Rp, code: &str, verifier: Option<&PkceCodeVerifier>) -> Exchanged {
    let http = rp_http();
    let mut req = rp
        .exchange_code(AuthorizationCode::new(code.to_owned()))
        .unwrap();
    if let Some(v) = verifier {
        req = req.set_pkce_verifier(PkceCodeVerifier::new(v.secret().clone()));
    }
    req.request_async(&http).await
}

/// The status of a userinfo call with an access token.
async fn userinfo_status(app: &TestApp, token: String) -> u16 {
    reqwest::Client::new()
        .get(format!("{}/oidc/userinfo", app.address))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

// ---- the demo school's resource ----

struct Setup {
    app: TestApp,
    clock: Clock,
    client_id: String,
    secret: String,
    school_id: String,
    aruzhan: i64,
}

async fn setup() -> Setup {
    let clock = Clock::manual();
    let moved = clock.clone();
    let app = adal_testkit::spawn_app_with_demo_and(move |s| s.clock = moved).await;
    let school_id = org_id(&app, adal_schools::demo::SCHOOL_BIN).await;
    let admin = token(&app, "school.admin").await;
    let r = gql(
        &app,
        Some(&admin),
        "mutation($i: SsoClientInput!) { registerSsoClient(input: $i) { clientSecret client { clientId schoolIds pupilPin } } }",
        json!({ "i": { "name": "Kundelik", "redirectUris": [REDIRECT],
                       "scopes": ["openid", "profile", "school"], "schoolAndClass": true,
                       "schoolIds": [school_id], "pupilPin": true } }),
    )
    .await;
    let reg = &r.ok()["registerSsoClient"];
    // A PIN for Аружан (8 years old), as the school keeps it: sha256(school:pin).
    let aruzhan = entities::person::Entity::find()
        .filter(entities::person::Column::FirstName.eq("Аружан"))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let sid: i64 = school_id.parse().unwrap();
    entities::school_card::ActiveModel {
        school_id: Set(sid),
        person_id: Set(aruzhan.id),
        kind: Set("pin".into()),
        credential: Set(hex::encode(Sha256::digest(format!("{sid}:{PIN}")))),
        status: Set("active".into()),
        consent_id: Set(None),
        issued_at: Set(chrono::Utc::now()),
        blocked_at: Set(None),
        block_reason: Set(None),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .unwrap();
    Setup {
        clock,
        client_id: reg["client"]["clientId"].as_str().unwrap().to_owned(),
        secret: reg["clientSecret"].as_str().unwrap().to_owned(),
        school_id,
        aruzhan: aruzhan.id,
        app,
    }
}

fn ed_verifier(rp: &Rp) -> openidconnect::core::CoreIdTokenVerifier<'_> {
    rp.id_token_verifier()
        .set_allowed_algs(vec![CoreJwsSigningAlgorithm::EdDsa])
}

/// The claims of a JWT as they are (the signature is checked elsewhere).
fn raw_claims(jwt: &str) -> Value {
    use base64::Engine;
    let payload = jwt.split('.').nth(1).unwrap();
    serde_json::from_slice(
        &base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(payload)
            .unwrap(),
    )
    .unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_teacher_signs_in_to_a_school_resource_and_it_learns_only_what_it_may() {
    let s = setup().await;
    let (app, http) = (&s.app, rp_http());
    let rp = relying_party(app, &s.client_id, &s.secret).await;
    let flow = start(app, &rp).await;
    assert!(flow.first.body.contains("Kundelik"), "{}", flow.first.body);
    let code = code_for(&flow, "teacher.parent").await;

    let tokens = exchange(&rp, &code, Some(&flow.verifier))
        .await
        .expect("token");
    let id_token = tokens.id_token().expect("an ID token");
    let claims = id_token
        .claims(&ed_verifier(&rp), &flow.nonce)
        .expect("the ID token verifies with the JWKS");
    let sub = claims.subject().as_str().to_owned();
    // A pairwise subject, not the IIN; the role, language, school and nothing else.
    assert!(!sub.chars().all(|c| c.is_ascii_digit()), "{sub}");
    let raw = raw_claims(&id_token.to_string());
    let mut keys: Vec<&str> = raw
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort();
    assert_eq!(
        keys,
        [
            "aud",
            "auth_time",
            "exp",
            "iat",
            "iss",
            "locale",
            "nonce",
            "role",
            "school",
            "sid",
            "sub"
        ],
        "{raw}"
    );
    assert_eq!(raw["role"], "teacher");
    let text = raw.to_string();
    for personal in ["Мария", "900707", "iin", "phone", "email", "birth"] {
        assert!(!text.contains(personal), "{personal} in {text}");
    }

    let info: UserInfoClaims<AdalClaims, CoreGenderClaim> = rp
        .user_info(
            tokens.access_token().clone(),
            Some(claims.subject().clone()),
        )
        .unwrap()
        .request_async(&http)
        .await
        .expect("userinfo");
    assert_eq!(info.additional_claims().role.as_deref(), Some("teacher"));
    assert!(info.additional_claims().school.is_some());
    assert_eq!(info.additional_claims().class, None);

    // The same person at the same resource keeps the subject.
    let again = start(app, &rp).await;
    let code2 = code_for(&again, "teacher.parent").await;
    let t2 = exchange(&rp, &code2, Some(&again.verifier)).await.unwrap();
    let c2 = t2
        .id_token()
        .unwrap()
        .claims(&ed_verifier(&rp), &again.nonce)
        .unwrap();
    assert_eq!(c2.subject().as_str(), sub);

    // A reused code is refused and revokes what it issued (RFC 6749 §4.1.2).
    let reused = exchange(&rp, &code, Some(&flow.verifier)).await;
    match reused {
        Err(RequestTokenError::ServerResponse(e)) => {
            assert_eq!(*e.error(), CoreErrorResponseType::InvalidGrant)
        }
        other => panic!("reused code: {other:?}"),
    }
    let revoked = rp
        .user_info(tokens.access_token().clone(), None)
        .unwrap()
        .request_async::<AdalClaims, _, CoreGenderClaim>(&http)
        .await;
    assert!(revoked.is_err(), "the first code's access token is revoked");
    let raw_info = reqwest::Client::new()
        .get(format!("{}/oidc/userinfo", app.address))
        .bearer_auth(tokens.access_token().secret())
        .send()
        .await
        .unwrap();
    assert_eq!(raw_info.status().as_u16(), 401);
    // The second session's token still works.
    let still = reqwest::Client::new()
        .get(format!("{}/oidc/userinfo", app.address))
        .bearer_auth(t2.access_token().secret())
        .send()
        .await
        .unwrap();
    assert_eq!(still.status().as_u16(), 200);

    // The teacher sees the sign-ins in Adal.
    let teacher = token(app, "teacher.parent").await;
    let r = gql(
        app,
        Some(&teacher),
        "{ ssoSignIns { resource role at } }",
        json!({}),
    )
    .await;
    let list = r.ok()["ssoSignIns"].as_array().unwrap();
    assert_eq!(list.len(), 2, "{list:?}");
    assert_eq!(list[0]["resource"], "Kundelik");
    assert_eq!(list[0]["role"], "teacher");
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_provider_refuses_what_the_specifications_refuse() {
    let s = setup().await;
    let app = &s.app;
    let rp = relying_party(app, &s.client_id, &s.secret).await;

    // A redirect URI that is not registered: an error page, never a redirect.
    let (challenge, _) = PkceCodeChallenge::new_random_sha256();
    let wrong = format!(
        "{}/oidc/authorize?response_type=code&client_id={}&redirect_uri={}&scope=openid&state=s&code_challenge={}&code_challenge_method=S256",
        app.address,
        s.client_id,
        "http%3A%2F%2F127.0.0.1%3A9%2Fcallback%2Fother",
        challenge.as_str()
    );
    let (_, p) = Browser::open(app, &wrong).await;
    assert_eq!(p.status, 400);
    assert!(p.location.is_none());
    // Without PKCE: back to the resource with invalid_request.
    let no_pkce = format!(
        "{}/oidc/authorize?response_type=code&client_id={}&redirect_uri={}&scope=openid&state=s1",
        app.address, s.client_id, "http%3A%2F%2F127.0.0.1%3A9%2Fcallback"
    );
    let (_, p) = Browser::open(app, &no_pkce).await;
    assert_eq!(p.status, 303);
    let to = p.location.unwrap();
    assert_eq!(
        param(&to, "error").as_deref(),
        Some("invalid_request"),
        "{to}"
    );
    assert_eq!(param(&to, "state").as_deref(), Some("s1"));

    // A code exchanged without its PKCE verifier: invalid_request.
    let flow = start(app, &rp).await;
    let code = code_for(&flow, "teacher.parent").await;
    let missing = exchange(&rp, &code, None).await;
    match missing {
        Err(RequestTokenError::ServerResponse(e)) => {
            assert_eq!(*e.error(), CoreErrorResponseType::InvalidRequest)
        }
        other => panic!("missing verifier: {other:?}"),
    }
    // With a verifier that is not the one: invalid_grant, and the code is spent.
    let wrong_verifier = exchange(&rp, &code, Some(&PkceCodeVerifier::new("x".repeat(50)))).await;
    assert!(
        matches!(
            wrong_verifier,
            Err(RequestTokenError::ServerResponse(ref e)) if *e.error() == CoreErrorResponseType::InvalidGrant
        ),
        "{wrong_verifier:?}"
    );

    // A wrong client secret: invalid_client.
    let stranger = relying_party(app, &s.client_id, "not-the-secret").await;
    let flow = start(app, &rp).await;
    let code = code_for(&flow, "teacher.parent").await;
    let bad_client = exchange(&stranger, &code, Some(&flow.verifier)).await;
    assert!(
        matches!(
            bad_client,
            Err(RequestTokenError::ServerResponse(ref e)) if *e.error() == CoreErrorResponseType::InvalidClient
        ),
        "{bad_client:?}"
    );

    // An expired code (60 s): invalid_grant, on a clock moved forward, not waited for.
    let flow = start(app, &rp).await;
    let code = code_for(&flow, "teacher.parent").await;
    s.clock.advance(Duration::seconds(61));
    let expired = exchange(&rp, &code, Some(&flow.verifier)).await;
    assert!(
        matches!(
            expired,
            Err(RequestTokenError::ServerResponse(ref e)) if *e.error() == CoreErrorResponseType::InvalidGrant
        ),
        "{expired:?}"
    );

    // A form posted without the browser's cookie finds no request.
    let flow = start(app, &rp).await;
    let stolen = Browser {
        http: reqwest::Client::new(),
        action: flow.browser.action.clone(),
        cookie: String::new(),
    };
    let p = stolen
        .post(&[
            ("step", "password"),
            ("login", "teacher.parent"),
            ("password", "adal-demo"),
        ])
        .await;
    assert_eq!(p.status, 400);
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn an_account_with_a_second_factor_signs_in_to_a_resource_with_its_code() {
    use adal_core::auth::second_factor::{STEP_SECS, code_at};
    let s = setup().await;
    let app = &s.app;
    // The teacher turns a second factor on in Adal.
    let t = token(app, "teacher.parent").await;
    let secret = common::turn_on_second_factor(app, &t).await;
    let now = u64::try_from(chrono::Utc::now().timestamp()).unwrap();
    let code = |at: u64| code_at(&secret, at).unwrap();
    let says = |p: &Page, key: &str| {
        ["kk", "ru", "en"]
            .iter()
            .any(|l| p.body.contains(adal_sso::pages::t(l, key)))
    };

    let rp = relying_party(app, &s.client_id, &s.secret).await;
    let flow = start(app, &rp).await;
    assert!(!flow.first.body.contains("name=\"code\""));
    // The password alone: the page asks for the app's code, keeping the login and asking the
    // password again (a page never holds a password).
    let password = [
        ("step", "password"),
        ("login", "teacher.parent"),
        ("password", "adal-demo"),
    ];
    let p = flow.browser.post(&password).await;
    assert_eq!(p.status, 401, "{}", p.body);
    assert!(says(&p, "code_needed"), "{}", p.body);
    assert!(p.body.contains("name=\"code\""), "{}", p.body);
    assert!(p.body.contains("value=\"teacher.parent\""), "{}", p.body);
    assert!(!p.body.contains("adal-demo"));
    // A code that is none of the app's codes around now is refused, and asked again.
    let near: Vec<String> = (0..5)
        .map(|i| code(now + i * STEP_SECS - 2 * STEP_SECS))
        .collect();
    let wrong = (0..10)
        .map(|d| format!("{d}{d}{d}{d}{d}{d}"))
        .find(|w| !near.contains(w))
        .unwrap();
    let p = flow
        .browser
        .post(&[password.as_slice(), &[("code", wrong.as_str())]].concat())
        .await;
    assert_eq!(p.status, 401, "{}", p.body);
    assert!(says(&p, "wrong_code"), "{}", p.body);
    // The app's next code (the one that confirmed the setup has signed in once already):
    // on to the consent step, and the resource receives its code.
    let next = code(now + STEP_SECS);
    let consent = flow
        .browser
        .post(&[password.as_slice(), &[("code", next.as_str())]].concat())
        .await;
    assert_eq!(consent.status, 200, "{}", consent.body);
    let back = flow.browser.post(&[("step", "allow")]).await;
    assert_eq!(back.status, 303, "{}", back.body);
    let to = back.location.unwrap();
    assert!(param(&to, "code").is_some(), "{to}");
    s.app.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_child_under_14_needs_a_parents_permission() {
    let s = setup().await;
    let (app, http) = (&s.app, rp_http());
    let rp = relying_party(app, &s.client_id, &s.secret).await;
    let school: i64 = s.school_id.parse().unwrap();

    // Аружан signs in with the school's PIN and is stopped at the consent step.
    let flow = start(app, &rp).await;
    let school_field = school.to_string();
    let wrong = flow
        .browser
        .post(&[
            ("step", "pin"),
            ("school_id", &school_field),
            ("pin", "0000"),
        ])
        .await;
    assert_eq!(wrong.status, 401);
    let stopped = flow
        .browser
        .post(&[("step", "pin"), ("school_id", &school_field), ("pin", PIN)])
        .await;
    assert_eq!(stopped.status, 403, "{}", stopped.body);
    assert!(stopped.body.contains("parent-needed"), "{}", stopped.body);
    let pushed = flow.browser.post(&[("step", "allow")]).await;
    assert_eq!(pushed.status, 403);
    assert!(pushed.location.is_none());

    // Her parent allows the resource in Adal.
    let parent = token(app, "parent").await;
    let child = s.aruzhan.to_string();
    let r = gql(
        app,
        Some(&parent),
        "query($c: ID!) { ssoChildResources(childId: $c) { clientId name allowed needsPermission } }",
        json!({ "c": child }),
    )
    .await;
    assert_eq!(r.ok()["ssoChildResources"][0]["allowed"], false);
    assert_eq!(r.ok()["ssoChildResources"][0]["needsPermission"], true);
    let r = allow_for_child(app, &parent, &child, &s.client_id).await;
    assert_eq!(r.ok()["setSsoChildConsent"]["allowed"], true);
    // Another family's parent cannot.
    let other = token(app, "teacher.parent").await;
    let r = allow_for_child(app, &other, &child, &s.client_id).await;
    assert_eq!(r.code().as_deref(), Some("NOT_FOUND"));

    // Now she signs in and lands back at the resource.
    let flow = start(app, &rp).await;
    let consent = flow
        .browser
        .post(&[("step", "pin"), ("school_id", &school_field), ("pin", PIN)])
        .await;
    assert_eq!(consent.status, 200, "{}", consent.body);
    let back = flow.browser.post(&[("step", "allow")]).await;
    assert_eq!(back.status, 303);
    let code = param(&back.location.unwrap(), "code").unwrap();
    let tokens = exchange(&rp, &code, Some(&flow.verifier)).await.unwrap();
    tokens
        .id_token()
        .unwrap()
        .claims(&ed_verifier(&rp), &flow.nonce)
        .unwrap();
    let info: UserInfoClaims<AdalClaims, CoreGenderClaim> = rp
        .user_info(tokens.access_token().clone(), None)
        .unwrap()
        .request_async(&http)
        .await
        .unwrap();
    let extra = info.additional_claims();
    assert_eq!(extra.role.as_deref(), Some("pupil"));
    assert_eq!(extra.class.as_deref(), Some("3Б"));
    assert!(extra.school.is_some());

    // The parent sees the child's sign-in.
    let r = gql(
        app,
        Some(&parent),
        "query($c: ID) { ssoSignIns(childId: $c) { resource role } }",
        json!({ "c": child }),
    )
    .await;
    assert_eq!(r.ok()["ssoSignIns"].as_array().unwrap().len(), 1);
    assert_eq!(r.ok()["ssoSignIns"][0]["role"], "pupil");
    app.stop().await;
}

/// A parent (by token) allows a resource for a child: the answer.
async fn allow_for_child(
    app: &TestApp,
    parent: &str,
    child: &str,
    client_id: &str,
) -> common::Reply {
    gql(
        app,
        Some(parent),
        "mutation($c: ID!, $k: String!) { setSsoChildConsent(childId: $c, clientId: $k, allowed: true) { allowed } }",
        json!({ "c": child, "k": client_id }),
    )
    .await
}

/// Posts the password form of a flow as the given login and password.
async fn sign_in_as(flow: &Flow, login: &str, password: &str) -> Page {
    flow.browser
        .post(&[
            ("step", "password"),
            ("login", login),
            ("password", password),
        ])
        .await
}

#[tokio::test(flavor = "multi_thread")]
async fn a_pupil_signs_in_with_the_login_the_school_issued_where_the_school_chose_logins() {
    let s = setup().await;
    let (app, http) = (&s.app, rp_http());
    let admin = token(app, "school.admin").await;
    let child = s.aruzhan.to_string();

    // The school issues Аружан a login; she held the demo's, so only its password is new,
    // shown this once, and the old one no longer signs in.
    let r = gql(
        app,
        Some(&admin),
        "mutation($s: ID!, $p: ID!) { issuePupilLogin(schoolId: $s, personId: $p) { login password reissued } }",
        json!({ "s": s.school_id, "p": child }),
    )
    .await;
    let issued = &r.ok()["issuePupilLogin"];
    assert_eq!(issued["login"], "pupil");
    assert_eq!(issued["reissued"], true);
    let password = issued["password"].as_str().unwrap().to_owned();
    assert_ne!(password, "adal-demo");
    // The operator's administrator cannot make one: pupils' logins are the schools' to issue.
    let operator = token(app, "admin").await;
    let r = gql(
        app,
        Some(&operator),
        "mutation($p: ID!) { createAccount(input: { login: \"pupil.x\", password: \"Pupil-login-2026\", personId: $p, roles: [{ role: PUPIL }] }) { id } }",
        json!({ "p": child }),
    )
    .await;
    assert_eq!(r.code().as_deref(), Some("BAD_USER_INPUT"), "{}", r.body);
    assert!(
        r.body["errors"][0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("issued by their school")),
        "{}",
        r.body
    );

    // At the resource of the setup the school chose PINs only: her login is not for it.
    let rp = relying_party(app, &s.client_id, &s.secret).await;
    let flow = start(app, &rp).await;
    let refused = sign_in_as(&flow, "pupil", &password).await;
    assert_eq!(refused.status, 403, "{}", refused.body);

    // A resource where the school chose logins; her parent allows it for her.
    let r = gql(
        app,
        Some(&admin),
        "mutation($i: SsoClientInput!) { registerSsoClient(input: $i) { clientSecret client { clientId pupilLogin pupilPin } } }",
        json!({ "i": { "name": "Bilimland", "redirectUris": [REDIRECT],
                       "scopes": ["openid", "profile", "school"], "schoolAndClass": true,
                       "schoolIds": [s.school_id], "pupilPin": false, "pupilLogin": true } }),
    )
    .await;
    let reg = &r.ok()["registerSsoClient"];
    assert_eq!(reg["client"]["pupilLogin"], true);
    assert_eq!(reg["client"]["pupilPin"], false);
    let client_id = reg["client"]["clientId"].as_str().unwrap().to_owned();
    let secret = reg["clientSecret"].as_str().unwrap().to_owned();
    let parent = token(app, "parent").await;
    let r = allow_for_child(app, &parent, &child, &client_id).await;
    assert_eq!(r.ok()["setSsoChildConsent"]["allowed"], true);

    let rp = relying_party(app, &client_id, &secret).await;
    let flow = start(app, &rp).await;
    let old = sign_in_as(&flow, "pupil", "adal-demo").await;
    assert_eq!(old.status, 401, "the replaced password still signs in");
    let consent = sign_in_as(&flow, "pupil", &password).await;
    assert_eq!(consent.status, 200, "{}", consent.body);
    let back = flow.browser.post(&[("step", "allow")]).await;
    assert_eq!(back.status, 303, "{}", back.body);
    let code = param(&back.location.unwrap(), "code").unwrap();
    let tokens = exchange(&rp, &code, Some(&flow.verifier)).await.unwrap();
    let id_token = tokens.id_token().unwrap().to_string();
    let claims = raw_claims(&id_token);
    assert_eq!(claims["role"], "pupil");
    let info: UserInfoClaims<AdalClaims, CoreGenderClaim> = rp
        .user_info(tokens.access_token().clone(), None)
        .unwrap()
        .request_async(&http)
        .await
        .unwrap();
    assert_eq!(info.additional_claims().role.as_deref(), Some("pupil"));
    assert_eq!(info.additional_claims().class.as_deref(), Some("3Б"));
    // She sees her sign-in herself.
    let own = token_with(app, "pupil", &password).await;
    let r = gql(
        app,
        Some(&own),
        "{ ssoSignIns { resource role } }",
        json!({}),
    )
    .await;
    assert_eq!(
        r.ok()["ssoSignIns"],
        json!([{ "resource": "Bilimland", "role": "pupil" }])
    );

    // The school lists the login it issued, then withdraws it: it signs in nowhere.
    let r = gql(
        app,
        Some(&admin),
        "query($s: ID!) { pupilLogins(schoolId: $s) { personId login withdrawn } }",
        json!({ "s": s.school_id }),
    )
    .await;
    assert_eq!(
        r.ok()["pupilLogins"],
        json!([{ "personId": child, "login": "pupil", "withdrawn": false }])
    );
    let r = gql(
        app,
        Some(&admin),
        "mutation($s: ID!, $p: ID!) { withdrawPupilLogin(schoolId: $s, personId: $p) }",
        json!({ "s": s.school_id, "p": child }),
    )
    .await;
    assert_eq!(r.ok()["withdrawPupilLogin"], true);
    let flow = start(app, &rp).await;
    let after = sign_in_as(&flow, "pupil", &password).await;
    assert_eq!(after.status, 401, "{}", after.body);
    // A pupil without one is issued a new login, `pupil.` and six digits.
    let other = entities::school_member::Entity::find()
        .filter(entities::school_member::Column::Kind.eq("pupil"))
        .filter(entities::school_member::Column::PersonId.ne(s.aruzhan))
        .filter(entities::school_member::Column::SchoolId.eq(s.school_id.parse::<i64>().unwrap()))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let r = gql(
        app,
        Some(&admin),
        "mutation($s: ID!, $p: ID!) { issuePupilLogin(schoolId: $s, personId: $p) { login password reissued } }",
        json!({ "s": s.school_id, "p": other.person_id.to_string() }),
    )
    .await;
    let fresh = &r.ok()["issuePupilLogin"];
    assert_eq!(fresh["reissued"], false);
    let login = fresh["login"].as_str().unwrap();
    assert!(
        login.len() == 12
            && login.starts_with("pupil.")
            && login[6..].bytes().all(|b| b.is_ascii_digit()),
        "{login}"
    );
    // A person who is not a pupil of the school gets no login from it.
    let teacher = entities::account::Entity::find()
        .filter(entities::account::Column::Login.eq("teacher.parent"))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let r = gql(
        app,
        Some(&admin),
        "mutation($s: ID!, $p: ID!) { issuePupilLogin(schoolId: $s, personId: $p) { login } }",
        json!({ "s": s.school_id, "p": teacher.person_id.unwrap().to_string() }),
    )
    .await;
    assert_eq!(r.code().as_deref(), Some("NOT_FOUND"));
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn registration_refuses_addresses_that_only_look_local_and_resources_for_no_school() {
    let s = setup().await;
    let app = &s.app;
    let admin = token(app, "admin").await;
    let register = |uris: Vec<&str>, schools: Vec<&str>| {
        let vars = json!({ "i": { "name": "R", "redirectUris": uris, "scopes": ["openid"],
                                  "schoolAndClass": false, "schoolIds": schools,
                                  "pupilPin": false } });
        let admin = admin.clone();
        async move {
            gql(
                app,
                Some(&admin),
                "mutation($i: SsoClientInput!) { registerSsoClient(input: $i) { client { clientId } } }",
                vars,
            )
            .await
        }
    };
    for uri in [
        "http://localhost.evil.example/cb",
        "http://127.0.0.1.evil.example/cb",
        "http://localhost@evil.example/cb",
        "https://rp.kz@evil.example/cb",
    ] {
        let r = register(vec![uri], vec![s.school_id.as_str()]).await;
        assert_eq!(
            r.code().as_deref(),
            Some("BAD_USER_INPUT"),
            "{uri}: {}",
            r.body
        );
    }
    let r = register(vec!["https://rp.kz/cb"], vec![]).await;
    assert_eq!(r.code().as_deref(), Some("BAD_USER_INPUT"), "{}", r.body);
    let r = register(vec!["http://localhost:8090/cb"], vec![s.school_id.as_str()]).await;
    assert!(r.ok()["registerSsoClient"]["client"]["clientId"].is_string());
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn rotation_keeps_old_tokens_verifiable_until_they_expire() {
    let s = setup().await;
    let app = &s.app;
    let rp = relying_party(app, &s.client_id, &s.secret).await;
    let flow = start(app, &rp).await;
    let code = code_for(&flow, "teacher.parent").await;
    let old = exchange(&rp, &code, Some(&flow.verifier)).await.unwrap();
    let old_token = old.id_token().unwrap().clone();

    let kid = adal_sso::service::rotate_key(&app.db, &app.settings)
        .await
        .unwrap();
    // A relying party that fetches the keys again verifies the old token and the new one.
    let rp = relying_party(app, &s.client_id, &s.secret).await;
    old_token
        .claims(&ed_verifier(&rp), &flow.nonce)
        .expect("the old token still verifies");
    let flow = start(app, &rp).await;
    let code = code_for(&flow, "teacher.parent").await;
    let new = exchange(&rp, &code, Some(&flow.verifier)).await.unwrap();
    let header = new.id_token().unwrap().to_string();
    let header: Value = {
        use base64::Engine;
        serde_json::from_slice(
            &base64::engine::general_purpose::URL_SAFE_NO_PAD
                .decode(header.split('.').next().unwrap())
                .unwrap(),
        )
        .unwrap()
    };
    assert_eq!(header["kid"], kid.as_str());
    assert_eq!(header["alg"], "EdDSA");
    new.id_token()
        .unwrap()
        .claims(&ed_verifier(&rp), &flow.nonce)
        .unwrap();

    let jwks = |app: &TestApp| {
        let url = format!("{}/oidc/jwks", app.address);
        async move {
            let v: Value = reqwest::get(url).await.unwrap().json().await.unwrap();
            v["keys"].as_array().unwrap().len()
        }
    };
    assert_eq!(jwks(app).await, 2);
    // Once the old key's tokens have expired, it is no longer published.
    s.clock
        .advance(Duration::seconds(app.settings.sso_token_ttl_secs + 1));
    assert_eq!(jwks(app).await, 1);
    app.stop().await;
}

/// The `kid` in a JWT's header.
fn kid_of(jwt: &str) -> String {
    use base64::Engine;
    let header: Value = serde_json::from_slice(
        &base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(jwt.split('.').next().unwrap())
            .unwrap(),
    )
    .unwrap();
    header["kid"].as_str().unwrap().to_owned()
}

#[tokio::test(flavor = "multi_thread")]
async fn signing_keys_are_sealed_at_rest_and_retire_on_their_schedule() {
    let s = setup().await;
    let app = &s.app;
    let rp = relying_party(app, &s.client_id, &s.secret).await;
    let flow = start(app, &rp).await;
    let code = code_for(&flow, "teacher.parent").await;
    let first = exchange(&rp, &code, Some(&flow.verifier)).await.unwrap();
    let first_kid = kid_of(&first.id_token().unwrap().to_string());

    // What a copy of the database holds is sealed: no Ed25519 private key in it (a PKCS#8
    // key names its algorithm by the OID 1.3.101.112, bytes 06 03 2b 65 70).
    let stored = entities::sso_key::Entity::find()
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(stored.len(), 1);
    let sealed = stored[0]
        .private_key
        .strip_prefix("sealed1:")
        .expect("the private key is stored sealed");
    let bytes = {
        use base64::Engine;
        base64::engine::general_purpose::STANDARD
            .decode(sealed)
            .unwrap()
    };
    assert!(
        !bytes
            .windows(5)
            .any(|w| w == [0x06, 0x03, 0x2b, 0x65, 0x70])
    );
    // Under another sealing secret the stored key does not sign.
    let mut other = app.settings.clone();
    other.sso_key_secret = Some(adal_core::settings::Secret::new(
        "another deployment's secret",
    ));
    let signed = adal_sso::keys::Keys::of(&other)
        .unwrap()
        .sign(&stored[0], &json!({ "sub": "x" }));
    assert!(signed.is_err(), "a stored key opened under another secret");

    // Within its 30 days the key keeps signing: five minutes before them, it signs.
    s.clock.advance(Duration::days(30) - Duration::minutes(5));
    let flow = start(app, &rp).await;
    let code = code_for(&flow, "teacher.parent").await;
    let same = exchange(&rp, &code, Some(&flow.verifier)).await.unwrap();
    let same_nonce = flow.nonce.clone();
    assert_eq!(kid_of(&same.id_token().unwrap().to_string()), first_kid);

    // At 30 days the next token is signed by a new key, with no command run.
    s.clock.advance(Duration::minutes(5));
    let flow = start(app, &rp).await;
    let code = code_for(&flow, "teacher.parent").await;
    let next = exchange(&rp, &code, Some(&flow.verifier)).await.unwrap();
    let next_kid = kid_of(&next.id_token().unwrap().to_string());
    assert_ne!(next_kid, first_kid);
    // A relying party that fetches the keys again verifies the new token, and the one the
    // retired key signed five minutes ago (alive for ten).
    let rp = relying_party(app, &s.client_id, &s.secret).await;
    next.id_token()
        .unwrap()
        .claims(&ed_verifier(&rp), &flow.nonce)
        .unwrap();
    same.id_token()
        .unwrap()
        .claims(&ed_verifier(&rp), &same_nonce)
        .expect("a token of the retired key still verifies");
    let jwks: Value = reqwest::get(format!("{}/oidc/jwks", app.address))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let kids: Vec<&str> = jwks["keys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["kid"].as_str().unwrap())
        .collect();
    assert_eq!(kids, [next_kid.as_str(), first_kid.as_str()]);
    // The rotation is on the audit trail, with why.
    let events = entities::audit_event::Entity::find()
        .filter(entities::audit_event::Column::Action.eq("sso.key_rotated"))
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(events.len(), 1);
    assert!(
        events[0].details.contains("schedule"),
        "{}",
        events[0].details
    );
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_rotated_secret_and_a_disabled_resource_stop_at_once() {
    let s = setup().await;
    let app = &s.app;
    let admin = token(app, "school.admin").await;
    let userinfo = |t: String| userinfo_status(app, t);
    let rp = relying_party(app, &s.client_id, &s.secret).await;
    let flow = start(app, &rp).await;
    let code = code_for(&flow, "teacher.parent").await;
    let tokens = exchange(&rp, &code, Some(&flow.verifier)).await.unwrap();
    let access = tokens.access_token().secret().clone();
    assert_eq!(userinfo(access.clone()).await, 200);

    // A new secret, shown once; the old one no longer exchanges a code.
    let r = gql(
        app,
        Some(&admin),
        "mutation($c: String!) { rotateSsoClientSecret(clientId: $c) { clientSecret client { clientId disabled } } }",
        json!({ "c": s.client_id }),
    )
    .await;
    let rotated = &r.ok()["rotateSsoClientSecret"];
    let new_secret = rotated["clientSecret"].as_str().unwrap().to_owned();
    assert_ne!(new_secret, s.secret);
    assert_eq!(rotated["client"]["disabled"], false);
    let flow = start(app, &rp).await;
    let code = code_for(&flow, "teacher.parent").await;
    match exchange(&rp, &code, Some(&flow.verifier)).await {
        Err(RequestTokenError::ServerResponse(e)) => {
            assert_eq!(e.error(), &CoreErrorResponseType::InvalidClient);
        }
        other => panic!("the old secret: {other:?}"),
    }
    let rp = relying_party(app, &s.client_id, &new_secret).await;
    let flow = start(app, &rp).await;
    let code = code_for(&flow, "teacher.parent").await;
    exchange(&rp, &code, Some(&flow.verifier))
        .await
        .expect("the new secret exchanges a code");

    // Disabled, with a reason: its tokens stop at once, and no sign-in starts.
    let disable = |disabled: bool, reason: &'static str| {
        gql(
            app,
            Some(&admin),
            "mutation($c: String!, $d: Boolean!, $r: String!) { setSsoClientDisabled(clientId: $c, disabled: $d, reason: $r) { disabled } }",
            json!({ "c": s.client_id, "d": disabled, "r": reason }),
        )
    };
    let r = disable(true, " ").await;
    assert_eq!(r.code().as_deref(), Some("BAD_USER_INPUT"));
    let r = disable(true, "The publisher's contract ended").await;
    assert_eq!(r.ok()["setSsoClientDisabled"]["disabled"], true);
    assert_eq!(userinfo(access).await, 401);
    let (_, first) = Browser::open(
        app,
        rp.authorize_url(
            CoreAuthenticationFlow::AuthorizationCode,
            CsrfToken::new_random,
            Nonce::new_random,
        )
        .set_pkce_challenge(PkceCodeChallenge::new_random_sha256().0)
        .url()
        .0
        .as_str(),
    )
    .await;
    assert_eq!(first.status, 400, "{}", first.body);
    // Enabled again, it signs people in.
    let r = disable(false, "A new contract").await;
    assert_eq!(r.ok()["setSsoClientDisabled"]["disabled"], false);
    let flow = start(app, &rp).await;
    code_for(&flow, "teacher.parent").await;
    // Both decisions are on the trail with their reasons.
    let events: Vec<String> = entities::audit_event::Entity::find()
        .filter(entities::audit_event::Column::Action.starts_with("sso.client_"))
        .all(&app.db)
        .await
        .unwrap()
        .iter()
        .map(|e| format!("{} {}", e.action, e.details))
        .collect();
    assert!(
        events.iter().any(|e| e.starts_with("sso.client_disabled")
            && e.contains("contract ended")
            && e.contains("\"tokens_revoked\":2")),
        "{events:?}"
    );
    assert!(
        events
            .iter()
            .any(|e| e.starts_with("sso.client_secret_rotated"))
    );
    assert!(events.iter().any(|e| e.starts_with("sso.client_enabled")));
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn role_matrix_of_single_sign_on() {
    let s = setup().await;
    let app = &s.app;
    let child = s.aruzhan.to_string();
    let ops = [
        Op {
            name: "ssoClients",
            query: "{ ssoClients { clientId } }".into(),
            variables: json!({}),
            allowed: &["admin", "school.admin"],
        },
        Op {
            name: "ssoChildResources",
            query: "query($c: ID!) { ssoChildResources(childId: $c) { clientId } }".into(),
            variables: json!({ "c": child }),
            allowed: &["parent", "teacher.parent"],
        },
        Op {
            name: "ssoSignIns",
            query: "{ ssoSignIns { at } }".into(),
            variables: json!({}),
            allowed: &["school.admin", "school.staff", "parent", "teacher.parent", "pupil"],
        },
        Op {
            name: "registerSsoClient",
            query: "mutation($i: SsoClientInput!) { registerSsoClient(input: $i) { clientSecret } }".into(),
            variables: json!({ "i": { "name": "Matrix", "redirectUris": [REDIRECT],
                                      "scopes": ["openid"], "schoolAndClass": false,
                                      "schoolIds": [s.school_id], "pupilPin": false } }),
            allowed: &["admin", "school.admin"],
        },
        Op {
            name: "setSsoClientDisabled",
            query: "mutation($c: String!) { setSsoClientDisabled(clientId: $c, disabled: false, reason: \"matrix\") { disabled } }".into(),
            variables: json!({ "c": s.client_id }),
            allowed: &["admin", "school.admin"],
        },
        Op {
            name: "rotateSsoClientSecret",
            query: "mutation($c: String!) { rotateSsoClientSecret(clientId: $c) { clientSecret } }".into(),
            variables: json!({ "c": s.client_id }),
            allowed: &["admin", "school.admin"],
        },
        Op {
            name: "setSsoChildConsent",
            query: "mutation($c: ID!) { setSsoChildConsent(childId: $c, clientId: \"none\", allowed: true) { allowed } }".into(),
            variables: json!({ "c": child }),
            allowed: &["parent", "teacher.parent"],
        },
    ];
    let failures = role_matrix(app, &ops).await;
    assert!(
        failures.is_empty(),
        "role matrix failures:\n{}",
        failures.join("\n")
    );
    // A school admin registers only for their own schools (and everyone for some school).
    let admin = token(app, "school.admin").await;
    for (schools, code) in [
        (json!([]), "BAD_USER_INPUT"),
        (json!(["999999"]), "FORBIDDEN"),
    ] {
        let r = gql(
            app,
            Some(&admin),
            "mutation($i: SsoClientInput!) { registerSsoClient(input: $i) { clientSecret } }",
            json!({ "i": { "name": "Elsewhere", "redirectUris": [REDIRECT], "scopes": ["openid"],
                           "schoolAndClass": false, "schoolIds": schools, "pupilPin": false } }),
        )
        .await;
        assert_eq!(r.code().as_deref(), Some(code), "{schools}");
    }
    // The resources list never shows a secret or its hash.
    let r = gql(
        app,
        Some(&admin),
        "{ ssoClients { clientId name redirectUris scopes } }",
        json!({}),
    )
    .await;
    assert!(!r.body.to_string().contains(&s.secret));
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_demo_school_resource_signs_the_demo_pupil_in() {
    let app = adal_testkit::spawn_app_with_demo().await;
    let rp = relying_party_at(
        &app,
        adal_sso::demo::CLIENT_ID,
        adal_sso::demo::CLIENT_SECRET,
        adal_sso::demo::REDIRECT_URI,
    )
    .await;
    let flow = start(&app, &rp).await;
    let school = org_id(&app, adal_schools::demo::SCHOOL_BIN).await;
    let consent = flow
        .browser
        .post(&[
            ("step", "pin"),
            ("school_id", &school),
            ("pin", adal_server::seed::DEMO_PUPIL_PIN),
        ])
        .await;
    assert_eq!(consent.status, 200, "{}", consent.body);
    let back = flow.browser.post(&[("step", "allow")]).await;
    let to = back.location.unwrap();
    assert!(to.starts_with(adal_sso::demo::REDIRECT_URI), "{to}");
    let code = param(&to, "code").unwrap();
    let tokens = exchange(&rp, &code, Some(&flow.verifier)).await.unwrap();
    let id = tokens.id_token().unwrap();
    id.claims(&ed_verifier(&rp), &flow.nonce).unwrap();
    // Only the subject, the role, the language, the school and the class.
    let raw = raw_claims(&id.to_string());
    assert_eq!(raw["role"], "pupil");
    assert_eq!(raw["class"], "3Б");
    for k in raw.as_object().unwrap().keys() {
        assert!(
            [
                "aud",
                "auth_time",
                "exp",
                "iat",
                "iss",
                "locale",
                "nonce",
                "role",
                "school",
                "class",
                "sid",
                "sub"
            ]
            .contains(&k.as_str()),
            "{k}"
        );
    }
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn logout_ends_the_resources_session_and_returns_to_a_registered_address() {
    let s = setup().await;
    let app = &s.app;
    let rp = relying_party(app, &s.client_id, &s.secret).await;
    let flow = start(app, &rp).await;
    let code = code_for(&flow, "teacher.parent").await;
    let tokens = exchange(&rp, &code, Some(&flow.verifier)).await.unwrap();
    let hint = tokens.id_token().unwrap().to_string();
    let userinfo = |t: String| userinfo_status(app, t);
    assert_eq!(userinfo(tokens.access_token().secret().clone()).await, 200);
    let browser = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    // An address that is not registered: no redirect, a page.
    let elsewhere = browser
        .get(format!(
            "{}/oidc/logout?post_logout_redirect_uri=https%3A%2F%2Fevil.example%2F&client_id={}",
            app.address, s.client_id
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(elsewhere.status().as_u16(), 200);
    let out = browser
        .get(format!(
            "{}/oidc/logout?id_token_hint={hint}&post_logout_redirect_uri={}&state=bye",
            app.address, "http%3A%2F%2F127.0.0.1%3A9%2Fcallback"
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(out.status().as_u16(), 303);
    let to = out.headers()["location"].to_str().unwrap().to_owned();
    assert_eq!(to, format!("{REDIRECT}?state=bye"));
    assert_eq!(userinfo(tokens.access_token().secret().clone()).await, 401);
    app.stop().await;
}
