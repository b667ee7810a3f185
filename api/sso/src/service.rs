//! The provider's flows, each in one transaction: registering resources, the authorization
//! request (kept server-side while the person signs in and consents), codes, tokens,
//! userinfo, logout, the parents' consents and the record of sign-ins.

use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, Set, TransactionTrait, sea_query::Expr,
};
use serde_json::{Value, json};

use adal_core::audit;
use adal_core::auth::actor::Actor;
use adal_core::auth::roles::Role;
use adal_core::auth::second_factor::SignInRefusal;
use adal_core::auth::service::{Credentials, authenticate};
use adal_core::auth::throttle;
use adal_core::db::begin_write;
use adal_core::error::{ApiError, ApiResult};
use adal_core::state::AppState;
use entities::{
    organisation, person, school_card, school_class, school_member, sso_client, sso_client_school,
    sso_code, sso_consent, sso_request, sso_sign_in, sso_token,
};

use crate::keys;
use crate::rules::{self, Facts, SsoRole};

// ---- resources ----

/// What an operator or a school admin registers.
#[derive(Debug, Clone)]
pub struct NewClient {
    pub name: String,
    pub redirect_uris: Vec<String>,
    pub scopes: Vec<String>,
    pub school_and_class: bool,
    pub school_ids: Vec<i64>,
    /// The schools let their pupils sign in with their PIN.
    pub pupil_pin: bool,
    /// The schools let their pupils sign in with the login the school issued them.
    pub pupil_login: bool,
}

/// The schools whose resources an actor manages; `None`: all (the operator's admin).
pub fn managed_schools(actor: &Actor) -> Option<Vec<i64>> {
    if actor.has_role(Role::OperatorAdmin) {
        None
    } else {
        Some(actor.organisations(&[Role::SchoolAdmin]))
    }
}

/// Registers a resource; returns it and its secret (shown once, stored hashed).
pub async fn register_client(
    state: &AppState,
    actor: &Actor,
    input: NewClient,
) -> ApiResult<(sso_client::Model, String)> {
    let now = state.settings.clock.now();
    let name = input.name.trim().to_owned();
    if name.is_empty() || name.chars().count() > 200 {
        return Err(ApiError::bad_input("name", "a name of 1 to 200 characters"));
    }
    if input.redirect_uris.is_empty()
        || input.redirect_uris.len() > 10
        || !input
            .redirect_uris
            .iter()
            .all(|u| rules::valid_redirect_uri(u))
    {
        return Err(ApiError::bad_input(
            "redirectUris",
            "1 to 10 absolute https URIs without a fragment (http only for localhost)",
        ));
    }
    if input.school_ids.is_empty() {
        return Err(ApiError::bad_input(
            "schoolIds",
            "at least one school that uses the resource",
        ));
    }
    let scopes = rules::granted_scopes(&input.scopes.join(" "), &rules::SCOPES.join(" "))
        .map_err(|_| ApiError::bad_input("scopes", "openid, and profile or school"))?;
    if let Some(own) = managed_schools(actor)
        && (input.school_ids.is_empty() || !input.school_ids.iter().all(|s| own.contains(s)))
    {
        return Err(ApiError::Forbidden);
    }
    let txn = begin_write(&state.db).await?;
    let schools = organisation::Entity::find()
        .filter(organisation::Column::Id.is_in(input.school_ids.clone()))
        .filter(organisation::Column::Kind.eq("school"))
        .count(&txn)
        .await?;
    if schools != input.school_ids.len() as u64 {
        return Err(ApiError::NotFound("school"));
    }
    let secret = rules::random_token();
    let client =
        sso_client::ActiveModel {
            client_id: Set(format!("adal-{}", &rules::random_token()[..20])),
            name: Set(name),
            secret_hash: Set(rules::hash(&secret)),
            redirect_uris: Set(
                serde_json::to_string(&input.redirect_uris).map_err(ApiError::internal)?
            ),
            scopes: Set(scopes.join(" ")),
            school_and_class: Set(input.school_and_class),
            created_by: Set(Some(actor.account_id)),
            disabled: Set(false),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
    for school_id in &input.school_ids {
        sso_client_school::ActiveModel {
            client_pk: Set(client.id),
            school_id: Set(*school_id),
            pupil_pin: Set(input.pupil_pin),
            pupil_login: Set(input.pupil_login),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
    }
    audit::record(
        &txn,
        Some(actor.account_id),
        "sso.client_registered",
        "sso_client",
        client.id,
        json!({ "scopes": client.scopes, "school_and_class": client.school_and_class,
                "schools": input.school_ids, "pupil_pin": input.pupil_pin,
                "pupil_login": input.pupil_login }),
    )
    .await?;
    txn.commit().await?;
    Ok((client, secret))
}

/// The resources an actor manages, newest first.
pub async fn clients(
    db: &impl ConnectionTrait,
    actor: &Actor,
) -> ApiResult<Vec<sso_client::Model>> {
    let mut q = sso_client::Entity::find().order_by_desc(sso_client::Column::Id);
    if let Some(own) = managed_schools(actor) {
        q = q.filter(
            sso_client::Column::Id.in_subquery(
                sea_orm::sea_query::Query::select()
                    .column(sso_client_school::Column::ClientPk)
                    .from(sso_client_school::Entity)
                    .and_where(sso_client_school::Column::SchoolId.is_in(own))
                    .to_owned(),
            ),
        );
    }
    Ok(q.all(db).await?)
}

/// A resource the actor manages, by its `client_id`.
async fn managed_client(
    db: &impl ConnectionTrait,
    actor: &Actor,
    client_id: &str,
) -> ApiResult<sso_client::Model> {
    clients(db, actor)
        .await?
        .into_iter()
        .find(|c| c.client_id == client_id)
        .ok_or(ApiError::NotFound("client"))
}

/// Disables a resource, with the reason, or enables it again. Disabled, it can start no
/// sign-in, exchange no code and read no userinfo, and its access tokens are revoked at once.
pub async fn set_client_disabled(
    state: &AppState,
    actor: &Actor,
    client_id: &str,
    disabled: bool,
    reason: &str,
) -> ApiResult<sso_client::Model> {
    let reason =
        adal_core::reason::required(reason, "disabling or enabling a resource states why")?;
    let now = state.settings.clock.now();
    let txn = begin_write(&state.db).await?;
    let client = managed_client(&txn, actor, client_id).await?;
    let mut am = client.into_active_model();
    am.disabled = Set(disabled);
    let client = am.update(&txn).await?;
    let revoked = if disabled {
        sso_token::Entity::update_many()
            .col_expr(sso_token::Column::RevokedAt, Expr::value(now))
            .filter(sso_token::Column::ClientPk.eq(client.id))
            .filter(sso_token::Column::RevokedAt.is_null())
            .exec(&txn)
            .await?
            .rows_affected
    } else {
        0
    };
    audit::record(
        &txn,
        Some(actor.account_id),
        if disabled {
            "sso.client_disabled"
        } else {
            "sso.client_enabled"
        },
        "sso_client",
        client.id,
        json!({ "reason": reason, "tokens_revoked": revoked }),
    )
    .await?;
    txn.commit().await?;
    Ok(client)
}

/// Gives a resource a new secret, returned once; the old one stops working at once (the
/// resource's operators put the new one in place first, then the call is made).
pub async fn rotate_client_secret(
    state: &AppState,
    actor: &Actor,
    client_id: &str,
) -> ApiResult<(sso_client::Model, String)> {
    let txn = begin_write(&state.db).await?;
    let client = managed_client(&txn, actor, client_id).await?;
    let secret = rules::random_token();
    let mut am = client.into_active_model();
    am.secret_hash = Set(rules::hash(&secret));
    let client = am.update(&txn).await?;
    audit::record(
        &txn,
        Some(actor.account_id),
        "sso.client_secret_rotated",
        "sso_client",
        client.id,
        json!({}),
    )
    .await?;
    txn.commit().await?;
    Ok((client, secret))
}

/// The schools that use a resource.
pub async fn client_schools(
    db: &impl ConnectionTrait,
    client_pk: i64,
) -> ApiResult<Vec<sso_client_school::Model>> {
    Ok(sso_client_school::Entity::find()
        .filter(sso_client_school::Column::ClientPk.eq(client_pk))
        .order_by_asc(sso_client_school::Column::SchoolId)
        .all(db)
        .await?)
}

pub fn redirect_uris(client: &sso_client::Model) -> Vec<String> {
    serde_json::from_str(&client.redirect_uris).unwrap_or_default()
}

async fn client_by_id(
    db: &impl ConnectionTrait,
    client_id: &str,
) -> ApiResult<Option<sso_client::Model>> {
    Ok(sso_client::Entity::find()
        .filter(sso_client::Column::ClientId.eq(client_id))
        .filter(sso_client::Column::Disabled.eq(false))
        .one(db)
        .await?)
}

// ---- the authorization request ----

/// The query of `/oidc/authorize`.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct AuthorizeQuery {
    pub response_type: Option<String>,
    pub client_id: Option<String>,
    pub redirect_uri: Option<String>,
    pub scope: Option<String>,
    pub state: Option<String>,
    pub nonce: Option<String>,
    pub code_challenge: Option<String>,
    pub code_challenge_method: Option<String>,
    pub ui_locales: Option<String>,
}

/// Why an authorization request is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refused {
    /// The client or redirect URI cannot be trusted: an error page, never a redirect.
    Page(&'static str),
    /// Back to the resource with `error` (RFC 6749 §4.1.2.1).
    Redirect(String),
}

/// `redirect_uri` with the response parameters added to its query.
pub fn with_params(uri: &str, params: &[(&str, &str)]) -> String {
    let mut out = uri.to_owned();
    let mut sep = if uri.contains('?') { '&' } else { '?' };
    for (k, v) in params {
        out.push(sep);
        out.push_str(k);
        out.push('=');
        out.push_str(&encode(v));
        sep = '&';
    }
    out
}

fn encode(v: &str) -> String {
    let mut s = String::with_capacity(v.len());
    for b in v.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            s.push(b as char);
        } else {
            s.push_str(&format!("%{b:02X}"));
        }
    }
    s
}

/// A started request: its id, the browser secret for the cookie, and the resource.
pub struct Started {
    pub request: sso_request::Model,
    pub browser_secret: String,
    pub client: sso_client::Model,
}

/// Checks an authorization request and keeps it server-side.
pub async fn start(
    state: &AppState,
    issuer: &str,
    q: AuthorizeQuery,
) -> ApiResult<Result<Started, Refused>> {
    let now = state.settings.clock.now();
    let db = &state.db;
    let Some(client) = (match q.client_id.as_deref() {
        Some(id) => client_by_id(db, id).await?,
        None => None,
    }) else {
        return Ok(Err(Refused::Page("unknown_client")));
    };
    let Some(redirect_uri) = q
        .redirect_uri
        .clone()
        .filter(|u| rules::redirect_registered(&redirect_uris(&client), u))
    else {
        return Ok(Err(Refused::Page("redirect_uri")));
    };
    let fail = |error: &str, description: &str| {
        let mut params = vec![("error", error), ("error_description", description)];
        if let Some(s) = q.state.as_deref() {
            params.push(("state", s));
        }
        params.push(("iss", issuer));
        Ok(Err(Refused::Redirect(with_params(&redirect_uri, &params))))
    };
    if q.response_type.as_deref() != Some("code") {
        return fail("unsupported_response_type", "only the code flow");
    }
    let Some(challenge) = q
        .code_challenge
        .clone()
        .filter(|c| rules::valid_challenge(c))
    else {
        return fail("invalid_request", "PKCE is required: code_challenge (S256)");
    };
    if q.code_challenge_method.as_deref() != Some("S256") {
        return fail("invalid_request", "code_challenge_method must be S256");
    }
    let scopes = match rules::granted_scopes(q.scope.as_deref().unwrap_or(""), &client.scopes) {
        Ok(s) => s,
        Err(_) => return fail("invalid_scope", "a scope this resource may not ask for"),
    };
    if q.state.as_ref().is_some_and(|s| s.len() > 500)
        || q.nonce.as_ref().is_some_and(|s| s.len() > 500)
    {
        return fail("invalid_request", "state or nonce too long");
    }
    let browser_secret = rules::random_token();
    let ttl = Duration::seconds(state.settings.sso_request_ttl_secs.max(60));
    let request = sso_request::ActiveModel {
        id: Set(rules::random_token()),
        browser_hash: Set(rules::hash(&browser_secret)),
        client_pk: Set(client.id),
        redirect_uri: Set(redirect_uri),
        scope: Set(scopes.join(" ")),
        state: Set(q.state),
        nonce: Set(q.nonce),
        code_challenge: Set(challenge),
        ui_locales: Set(q.ui_locales.map(|l| l.chars().take(64).collect())),
        person_id: Set(None),
        role: Set(None),
        auth_time: Set(None),
        created_at: Set(now),
        expires_at: Set(now + ttl),
    }
    .insert(db)
    .await?;
    // Requests nobody finished go when a new one starts.
    sso_request::Entity::delete_many()
        .filter(sso_request::Column::ExpiresAt.lt(now))
        .exec(db)
        .await?;
    Ok(Ok(Started {
        request,
        browser_secret,
        client,
    }))
}

/// A request still open, bound to this browser (its cookie), with its resource.
pub async fn open_request(
    state: &AppState,
    id: &str,
    browser_secret: Option<&str>,
) -> ApiResult<Option<(sso_request::Model, sso_client::Model)>> {
    let now = state.settings.clock.now();
    let Some(req) = sso_request::Entity::find_by_id(id.to_owned())
        .one(&state.db)
        .await?
    else {
        return Ok(None);
    };
    let bound = browser_secret.is_some_and(|s| rules::hash(s) == req.browser_hash);
    if !bound || req.expires_at <= now {
        return Ok(None);
    }
    let Some(client) = sso_client::Entity::find_by_id(req.client_pk)
        .one(&state.db)
        .await?
        .filter(|c| !c.disabled)
    else {
        return Ok(None);
    };
    Ok(Some((req, client)))
}

/// The schools of a resource where pupils may sign in with their PIN: (id, name).
pub async fn pin_schools(
    db: &impl ConnectionTrait,
    client_pk: i64,
    language: &str,
) -> ApiResult<Vec<(i64, String)>> {
    let ids: Vec<i64> = client_schools(db, client_pk)
        .await?
        .into_iter()
        .filter(|s| s.pupil_pin)
        .map(|s| s.school_id)
        .collect();
    let orgs = organisation::Entity::find()
        .filter(organisation::Column::Id.is_in(ids))
        .order_by_asc(organisation::Column::Id)
        .all(db)
        .await?;
    Ok(orgs.iter().map(|o| (o.id, org_name(o, language))).collect())
}

fn org_name(o: &organisation::Model, language: &str) -> String {
    match language {
        "kk" => o.name_kk.clone(),
        "en" => o.name_en.clone(),
        _ => o.name_ru.clone(),
    }
}

/// How a person signs in on the page.
pub enum SignIn<'a> {
    /// With the authenticator app's code when the account has a second factor.
    Password {
        login: &'a str,
        password: &'a str,
        code: Option<&'a str>,
    },
    Pin {
        school_id: i64,
        pin: &'a str,
    },
}

/// Why a sign-in on the page did not lead to the consent step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotSignedIn {
    WrongCredentials,
    /// The person has no role this resource serves (not at its schools).
    NotForYou,
    /// The password was right and the account has a second factor: its code is to come.
    CodeNeeded,
    /// The code is not the app's code of the moment, or it signed in once already.
    WrongCode,
}

/// Signs the person in on the request's page; remembers who and as what.
pub async fn sign_in(
    state: &AppState,
    req: &sso_request::Model,
    how: SignIn<'_>,
    client_addr: Option<&str>,
) -> ApiResult<Result<(), NotSignedIn>> {
    let db = &state.db;
    // The resource's schools, and those that chose each way a pupil signs in.
    let links = client_schools(db, req.client_pk).await?;
    let schools_where = |keep: fn(&sso_client_school::Model) -> bool| -> Vec<i64> {
        links
            .iter()
            .filter(|s| keep(s))
            .map(|s| s.school_id)
            .collect()
    };
    let schools = schools_where(|_| true);
    let (person_id, role) = match how {
        SignIn::Password {
            login,
            password,
            code,
        } => {
            let signed_in = authenticate(
                state,
                Credentials::Person,
                login,
                password,
                code,
                client_addr,
            );
            let actor = match signed_in.await {
                Ok(a) => a,
                Err(ApiError::UnauthenticatedBecause(_)) => {
                    return Ok(Err(NotSignedIn::WrongCredentials));
                }
                Err(ApiError::UnauthenticatedFor { reason, .. }) => {
                    let needed = reason == SignInRefusal::SecondFactorRequired.into();
                    return Ok(Err(if needed {
                        NotSignedIn::CodeNeeded
                    } else {
                        NotSignedIn::WrongCode
                    }));
                }
                Err(e) => return Err(e),
            };
            let Some(person_id) = actor.person_id else {
                return Ok(Err(NotSignedIn::NotForYou));
            };
            let login_schools = schools_where(|s| s.pupil_login);
            match role_of(db, &actor, person_id, &schools, &login_schools).await? {
                Some(role) => (person_id, role),
                None => return Ok(Err(NotSignedIn::NotForYou)),
            }
        }
        SignIn::Pin { school_id, pin } => {
            if !schools_where(|s| s.pupil_pin).contains(&school_id) {
                return Ok(Err(NotSignedIn::WrongCredentials));
            }
            // PINs are short: throttled like passwords, per school and per address.
            let attempt =
                throttle::Attempt::new(&state.throttle, &format!("pin@{school_id}"), client_addr);
            let reservation = throttle::reserve(db, &state.throttle, &attempt).await?;
            match pupil_by_pin(db, school_id, pin).await? {
                Some(pid) => {
                    throttle::succeeded(db, &attempt).await?;
                    (pid, SsoRole::Pupil)
                }
                None => {
                    let delay =
                        throttle::failed(db, &state.throttle, &attempt, &reservation).await?;
                    tokio::time::sleep(delay).await;
                    return Ok(Err(NotSignedIn::WrongCredentials));
                }
            }
        }
    };
    let now = state.settings.clock.now();
    let mut am: sso_request::ActiveModel = req.clone().into();
    am.person_id = Set(Some(person_id));
    am.role = Set(Some(role.as_str().to_owned()));
    am.auth_time = Set(Some(now));
    am.update(db).await?;
    tracing::info!(sso.client = req.client_pk, outcome = "ok", "sso sign-in");
    Ok(Ok(()))
}

/// The PIN credential (`sha256(school:pin)`, as the schools keep it) of an active pupil there.
async fn pupil_by_pin(
    db: &impl ConnectionTrait,
    school_id: i64,
    pin: &str,
) -> ApiResult<Option<i64>> {
    use sha2::{Digest, Sha256};
    let key = hex::encode(Sha256::digest(format!("{school_id}:{}", pin.trim())));
    let Some(card) = school_card::Entity::find()
        .filter(school_card::Column::Kind.eq("pin"))
        .filter(school_card::Column::Credential.eq(key))
        .filter(school_card::Column::SchoolId.eq(school_id))
        .filter(school_card::Column::Status.eq("active"))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let member = membership(db, &[school_id], card.person_id, "pupil").await?;
    Ok(member.map(|_| card.person_id))
}

async fn membership(
    db: &impl ConnectionTrait,
    schools: &[i64],
    person_id: i64,
    kind: &str,
) -> ApiResult<Option<school_member::Model>> {
    Ok(school_member::Entity::find()
        .filter(school_member::Column::SchoolId.is_in(schools.to_vec()))
        .filter(school_member::Column::PersonId.eq(person_id))
        .filter(school_member::Column::Kind.eq(kind))
        .filter(school_member::Column::Active.eq(true))
        .order_by_asc(school_member::Column::Id)
        .one(db)
        .await?)
}

/// As what a signed-in account uses a resource: a teacher on the staff of one of its
/// schools; a pupil with the login the school issued, on the list of one of its schools that
/// chose login sign-in (`login_schools`); else a parent of a pupil there.
async fn role_of(
    db: &impl ConnectionTrait,
    actor: &Actor,
    person_id: i64,
    schools: &[i64],
    login_schools: &[i64],
) -> ApiResult<Option<SsoRole>> {
    if actor.has_any(&[Role::SchoolAdmin, Role::SchoolStaff])
        && membership(db, schools, person_id, "staff").await?.is_some()
    {
        return Ok(Some(SsoRole::Teacher));
    }
    if actor.has_role(Role::Pupil)
        && membership(db, login_schools, person_id, "pupil")
            .await?
            .is_some()
    {
        return Ok(Some(SsoRole::Pupil));
    }
    if actor.has_role(Role::Parent) {
        let children = school_member::Entity::find()
            .filter(school_member::Column::SchoolId.is_in(schools.to_vec()))
            .filter(school_member::Column::PersonId.is_in(actor.children.clone()))
            .filter(school_member::Column::Kind.eq("pupil"))
            .filter(school_member::Column::Active.eq(true))
            .one(db)
            .await?;
        if children.is_some() {
            return Ok(Some(SsoRole::Parent));
        }
    }
    Ok(None)
}

/// What the consent page shows.
pub struct ConsentView {
    pub client_name: String,
    pub role: SsoRole,
    /// The claims the resource will receive besides the subject: `role`, `locale`, `school`,
    /// `class`.
    pub receives: Vec<&'static str>,
    /// A pupil under 14 whose parent has not allowed this resource.
    pub needs_parent: bool,
    pub language: String,
}

/// The consent step of a signed-in request (`None` before sign-in).
pub async fn consent_view(
    state: &AppState,
    req: &sso_request::Model,
    client: &sso_client::Model,
) -> ApiResult<Option<ConsentView>> {
    let db = &state.db;
    let (Some(person_id), Some(role)) =
        (req.person_id, req.role.as_deref().and_then(SsoRole::parse))
    else {
        return Ok(None);
    };
    let Some(p) = person::Entity::find_by_id(person_id).one(db).await? else {
        return Ok(None);
    };
    let today = adal_today(state.settings.clock.now());
    let needs_parent = role == SsoRole::Pupil
        && rules::younger_than(p.birth_date, today, rules::CONSENT_AGE)
        && sso_consent::Entity::find()
            .filter(sso_consent::Column::ChildPersonId.eq(person_id))
            .filter(sso_consent::Column::ClientPk.eq(client.id))
            .one(db)
            .await?
            .is_none();
    let mut receives = Vec::new();
    if rules::has_scope(&req.scope, "profile") {
        receives.extend(["role", "locale"]);
    }
    if rules::has_scope(&req.scope, "school") && client.school_and_class && role != SsoRole::Parent
    {
        receives.push("school");
        if role == SsoRole::Pupil {
            receives.push("class");
        }
    }
    Ok(Some(ConsentView {
        client_name: client.name.clone(),
        role,
        receives,
        needs_parent,
        language: rules::page_language(req.ui_locales.as_deref(), &p.language),
    }))
}

/// Today in Kazakhstan (UTC+5).
fn adal_today(now: DateTime<Utc>) -> chrono::NaiveDate {
    (now + Duration::hours(5)).date_naive()
}

/// The person allowed: a code for the resource (single use, short-lived, bound to the client,
/// the redirect URI and the PKCE challenge), the sign-in recorded, the request closed. Returns
/// where the browser goes; `None` if the consent step refuses (a parent must allow first).
pub async fn allow(
    state: &AppState,
    issuer: &str,
    req: &sso_request::Model,
    client: &sso_client::Model,
) -> ApiResult<Option<String>> {
    let Some(view) = consent_view(state, req, client).await? else {
        return Ok(None);
    };
    let (Some(person_id), true) = (req.person_id, !view.needs_parent) else {
        return Ok(None);
    };
    let now = state.settings.clock.now();
    let code = rules::random_token();
    let txn = begin_write(&state.db).await?;
    // The request is used once: of two posts, the second finds it gone.
    let gone = sso_request::Entity::delete_by_id(req.id.clone())
        .exec(&txn)
        .await?;
    if gone.rows_affected != 1 {
        return Ok(None);
    }
    sso_code::ActiveModel {
        code_hash: Set(rules::hash(&code)),
        client_pk: Set(client.id),
        redirect_uri: Set(req.redirect_uri.clone()),
        code_challenge: Set(req.code_challenge.clone()),
        person_id: Set(person_id),
        role: Set(view.role.as_str().to_owned()),
        scope: Set(req.scope.clone()),
        school_and_class: Set(view.receives.contains(&"school")),
        nonce: Set(req.nonce.clone()),
        auth_time: Set(req.auth_time.unwrap_or(now)),
        expires_at: Set(now + Duration::seconds(state.settings.sso_code_ttl_secs.max(1))),
        used_at: Set(None),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    sso_sign_in::ActiveModel {
        person_id: Set(person_id),
        client_pk: Set(client.id),
        role: Set(view.role.as_str().to_owned()),
        at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        None,
        "sso.signed_in",
        "sso_client",
        client.id,
        json!({ "person_id": person_id, "role": view.role.as_str(), "receives": view.receives }),
    )
    .await?;
    txn.commit().await?;
    let mut params = vec![("code", code.as_str())];
    if let Some(s) = req.state.as_deref() {
        params.push(("state", s));
    }
    params.push(("iss", issuer));
    Ok(Some(with_params(&req.redirect_uri, &params)))
}

/// The person declined: the request closes and the resource learns `access_denied`.
pub async fn deny(state: &AppState, issuer: &str, req: &sso_request::Model) -> ApiResult<String> {
    sso_request::Entity::delete_by_id(req.id.clone())
        .exec(&state.db)
        .await?;
    let mut params = vec![("error", "access_denied")];
    if let Some(s) = req.state.as_deref() {
        params.push(("state", s));
    }
    params.push(("iss", issuer));
    Ok(with_params(&req.redirect_uri, &params))
}

// ---- the token endpoint ----

/// The token request's form, with the client's credentials from Basic auth or the form.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct TokenForm {
    pub grant_type: Option<String>,
    pub code: Option<String>,
    pub redirect_uri: Option<String>,
    pub code_verifier: Option<String>,
    pub client_id: Option<String>,
    pub client_secret: Option<String>,
}

/// An error of the token endpoint (RFC 6749 §5.2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenError {
    pub status: u16,
    pub error: &'static str,
    pub description: &'static str,
}

fn token_error(status: u16, error: &'static str, description: &'static str) -> TokenError {
    TokenError {
        status,
        error,
        description,
    }
}

/// The client authenticated by its id and secret.
async fn authenticate_client(
    db: &impl ConnectionTrait,
    id: Option<&str>,
    secret: Option<&str>,
) -> ApiResult<Option<sso_client::Model>> {
    let (Some(id), Some(secret)) = (id, secret) else {
        return Ok(None);
    };
    let client = client_by_id(db, id).await?;
    // Compared as hashes of a 256-bit random secret: timing tells nothing useful.
    Ok(client.filter(|c| c.secret_hash == rules::hash(secret)))
}

/// The subject key: from the settings, or generated once into the data folder.
pub fn subject_secret(state: &AppState) -> ApiResult<Vec<u8>> {
    match &state.settings.sso_subject_secret {
        Some(s) => Ok(s.expose().as_bytes().to_vec()),
        None => adal_core::auth::tokens::load_or_create_key(
            &state.settings.data_dir.join("sso-subject.key"),
        )
        .map_err(ApiError::internal),
    }
}

/// What a resource may learn of a person, from the database.
async fn facts(
    state: &AppState,
    client: &sso_client::Model,
    person_id: i64,
    role: SsoRole,
) -> ApiResult<Facts> {
    let db = &state.db;
    let p = person::Entity::find_by_id(person_id)
        .one(db)
        .await?
        .ok_or(ApiError::NotFound("person"))?;
    let schools: Vec<i64> = client_schools(db, client.id)
        .await?
        .iter()
        .map(|s| s.school_id)
        .collect();
    let member = match role {
        SsoRole::Pupil => membership(db, &schools, person_id, "pupil").await?,
        SsoRole::Teacher => membership(db, &schools, person_id, "staff").await?,
        SsoRole::Parent => None,
    };
    let (mut school, mut class) = (None, None);
    if let Some(m) = member {
        school = organisation::Entity::find_by_id(m.school_id)
            .one(db)
            .await?
            .map(|o| org_name(&o, &p.language));
        if role == SsoRole::Pupil
            && let Some(class_id) = m.class_id
        {
            class = school_class::Entity::find_by_id(class_id)
                .one(db)
                .await?
                .map(|c| c.name);
        }
    }
    Ok(Facts {
        subject: rules::pairwise_subject(&subject_secret(state)?, &client.client_id, person_id),
        role,
        language: p.language,
        school,
        class,
    })
}

/// The token endpoint: a code (with its PKCE verifier) for an ID token and an access token.
pub async fn exchange(
    state: &AppState,
    issuer: &str,
    form: TokenForm,
) -> ApiResult<Result<Value, TokenError>> {
    let now = state.settings.clock.now();
    let Some(client) = authenticate_client(
        &state.db,
        form.client_id.as_deref(),
        form.client_secret.as_deref(),
    )
    .await?
    else {
        return Ok(Err(token_error(
            401,
            "invalid_client",
            "client authentication failed",
        )));
    };
    if form.grant_type.as_deref() != Some("authorization_code") {
        return Ok(Err(token_error(
            400,
            "unsupported_grant_type",
            "only authorization_code",
        )));
    }
    let (Some(code), Some(redirect_uri)) = (form.code.as_deref(), form.redirect_uri.as_deref())
    else {
        return Ok(Err(token_error(
            400,
            "invalid_request",
            "code and redirect_uri are required",
        )));
    };
    let Some(verifier) = form.code_verifier.as_deref() else {
        return Ok(Err(token_error(
            400,
            "invalid_request",
            "code_verifier is required (PKCE)",
        )));
    };
    let txn = begin_write(&state.db).await?;
    let Some(found) = sso_code::Entity::find()
        .filter(sso_code::Column::CodeHash.eq(rules::hash(code)))
        .one(&txn)
        .await?
    else {
        return Ok(Err(token_error(400, "invalid_grant", "unknown code")));
    };
    if found.client_pk != client.id {
        return Ok(Err(token_error(
            400,
            "invalid_grant",
            "the code was issued to another client",
        )));
    }
    if found.used_at.is_some() {
        // RFC 6749 §4.1.2: a code used twice revokes what it issued.
        sso_token::Entity::update_many()
            .col_expr(sso_token::Column::RevokedAt, Expr::value(now))
            .filter(sso_token::Column::CodeId.eq(found.id))
            .filter(sso_token::Column::RevokedAt.is_null())
            .exec(&txn)
            .await?;
        audit::record(
            &txn,
            None,
            "sso.code_reused",
            "sso_client",
            client.id,
            json!({}),
        )
        .await?;
        txn.commit().await?;
        return Ok(Err(token_error(
            400,
            "invalid_grant",
            "the code was already used",
        )));
    }
    // Used now, whatever follows: a code gets one attempt.
    let burnt = sso_code::Entity::update_many()
        .col_expr(sso_code::Column::UsedAt, Expr::value(now))
        .filter(sso_code::Column::Id.eq(found.id))
        .filter(sso_code::Column::UsedAt.is_null())
        .exec(&txn)
        .await?;
    if burnt.rows_affected != 1 {
        return Ok(Err(token_error(
            400,
            "invalid_grant",
            "the code was already used",
        )));
    }
    let refusal = if found.expires_at <= now {
        Some("the code has expired")
    } else if found.redirect_uri != redirect_uri {
        Some("redirect_uri differs from the authorization request's")
    } else if !rules::pkce_matches(verifier, &found.code_challenge) {
        Some("code_verifier does not match the code_challenge")
    } else {
        None
    };
    if let Some(description) = refusal {
        txn.commit().await?;
        return Ok(Err(token_error(400, "invalid_grant", description)));
    }
    let role = SsoRole::parse(&found.role).ok_or(ApiError::NotFound("role"))?;
    let facts = facts(state, &client, found.person_id, role).await?;
    let ttl = Duration::seconds(state.settings.sso_token_ttl_secs.max(60));
    let access_token = rules::random_token();
    sso_token::ActiveModel {
        token_hash: Set(rules::hash(&access_token)),
        code_id: Set(found.id),
        client_pk: Set(client.id),
        person_id: Set(found.person_id),
        role: Set(found.role.clone()),
        scope: Set(found.scope.clone()),
        school_and_class: Set(found.school_and_class),
        expires_at: Set(now + ttl),
        revoked_at: Set(None),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let mut claims = rules::select_claims(&facts, &found.scope, found.school_and_class);
    claims.insert("iss".into(), json!(issuer));
    claims.insert("aud".into(), json!(client.client_id));
    claims.insert("iat".into(), json!(now.timestamp()));
    claims.insert("exp".into(), json!((now + ttl).timestamp()));
    claims.insert("auth_time".into(), json!(found.auth_time.timestamp()));
    claims.insert("sid".into(), json!(found.id.to_string()));
    if let Some(nonce) = &found.nonce {
        claims.insert("nonce".into(), json!(nonce));
    }
    let keys = keys::Keys::of(&state.settings)?;
    let key = keys.current(&txn, now).await?;
    let id_token = keys.sign(&key, &Value::Object(claims))?;
    txn.commit().await?;
    Ok(Ok(json!({
        "access_token": access_token,
        "token_type": "Bearer",
        "expires_in": ttl.num_seconds(),
        "id_token": id_token,
        "scope": found.scope,
    })))
}

/// The userinfo claims of a live access token.
pub async fn userinfo(state: &AppState, access_token: &str) -> ApiResult<Option<Value>> {
    let now = state.settings.clock.now();
    let Some(t) = sso_token::Entity::find()
        .filter(sso_token::Column::TokenHash.eq(rules::hash(access_token)))
        .one(&state.db)
        .await?
        .filter(|t| t.revoked_at.is_none() && t.expires_at > now)
    else {
        return Ok(None);
    };
    let Some(client) = sso_client::Entity::find_by_id(t.client_pk)
        .one(&state.db)
        .await?
        .filter(|c| !c.disabled)
    else {
        return Ok(None);
    };
    let role = SsoRole::parse(&t.role).ok_or(ApiError::NotFound("role"))?;
    let facts = facts(state, &client, t.person_id, role).await?;
    Ok(Some(Value::Object(rules::select_claims(
        &facts,
        &t.scope,
        t.school_and_class,
    ))))
}

// ---- keys ----

/// `adal sso rotate-key`: the current key retires (still published until its tokens expire)
/// and a new one signs from now on; returns the new key's `kid`.
pub async fn rotate_key(
    db: &sea_orm::DatabaseConnection,
    settings: &adal_core::settings::Settings,
) -> ApiResult<String> {
    let keys = keys::Keys::of(settings)?;
    let txn = begin_write(db).await?;
    let key = keys
        .rotate(&txn, settings.clock.now(), keys::Rotation::Command)
        .await?;
    txn.commit().await?;
    Ok(key.kid)
}

/// At start: seals the signing keys stored before keys were sealed (see [`keys`]).
pub async fn seal_stored_keys(
    db: &sea_orm::DatabaseConnection,
    settings: &adal_core::settings::Settings,
) -> ApiResult<usize> {
    let keys = keys::Keys::of(settings)?;
    let txn = begin_write(db).await?;
    let sealed = keys.seal_stored(&txn).await?;
    txn.commit().await?;
    Ok(sealed)
}

// ---- the parents' consents and the record of sign-ins ----

/// A resource a child's schools use, and whether the parent allowed it.
pub struct ChildResource {
    pub client: sso_client::Model,
    pub allowed: bool,
    /// The child is under 14 (or of unknown age): without the parent's permission they are
    /// stopped at the consent step. From 14 the child decides, and a permission is not asked.
    pub needs_permission: bool,
}

fn own_child(actor: &Actor, child_id: i64) -> ApiResult<()> {
    if actor.children.contains(&child_id) {
        Ok(())
    } else {
        Err(ApiError::NotFound("child"))
    }
}

/// The resources a child's schools use, with the parent's decision on each.
pub async fn child_resources(
    db: &impl ConnectionTrait,
    actor: &Actor,
    child_id: i64,
    now: DateTime<Utc>,
) -> ApiResult<Vec<ChildResource>> {
    own_child(actor, child_id)?;
    let birth = person::Entity::find_by_id(child_id)
        .one(db)
        .await?
        .ok_or(ApiError::NotFound("person"))?
        .birth_date;
    let needs_permission = rules::younger_than(birth, adal_today(now), rules::CONSENT_AGE);
    let schools: Vec<i64> = school_member::Entity::find()
        .select_only()
        .column(school_member::Column::SchoolId)
        .filter(school_member::Column::PersonId.eq(child_id))
        .filter(school_member::Column::Kind.eq("pupil"))
        .filter(school_member::Column::Active.eq(true))
        .into_tuple::<i64>()
        .all(db)
        .await?;
    let client_ids: Vec<i64> = sso_client_school::Entity::find()
        .select_only()
        .column(sso_client_school::Column::ClientPk)
        .filter(sso_client_school::Column::SchoolId.is_in(schools))
        .into_tuple::<i64>()
        .all(db)
        .await?;
    let clients = sso_client::Entity::find()
        .filter(sso_client::Column::Id.is_in(client_ids))
        .filter(sso_client::Column::Disabled.eq(false))
        .order_by_asc(sso_client::Column::Name)
        .all(db)
        .await?;
    let allowed: Vec<i64> = sso_consent::Entity::find()
        .select_only()
        .column(sso_consent::Column::ClientPk)
        .filter(sso_consent::Column::ChildPersonId.eq(child_id))
        .into_tuple::<i64>()
        .all(db)
        .await?;
    Ok(clients
        .into_iter()
        .map(|c| ChildResource {
            allowed: allowed.contains(&c.id),
            client: c,
            needs_permission,
        })
        .collect())
}

/// A parent allows (or withdraws) a resource for a child; withdrawing revokes its tokens.
pub async fn set_child_consent(
    state: &AppState,
    actor: &Actor,
    child_id: i64,
    client_id: &str,
    allowed: bool,
) -> ApiResult<ChildResource> {
    let parent = actor.person_id.ok_or(ApiError::Forbidden)?;
    let txn = state.db.begin().await?;
    let now = state.settings.clock.now();
    let resources = child_resources(&txn, actor, child_id, now).await?;
    let Some(found) = resources
        .into_iter()
        .find(|r| r.client.client_id == client_id)
    else {
        return Err(ApiError::NotFound("resource"));
    };
    if allowed && !found.allowed {
        sso_consent::ActiveModel {
            child_person_id: Set(child_id),
            client_pk: Set(found.client.id),
            parent_person_id: Set(parent),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
    }
    if !allowed && found.allowed {
        sso_consent::Entity::delete_many()
            .filter(sso_consent::Column::ChildPersonId.eq(child_id))
            .filter(sso_consent::Column::ClientPk.eq(found.client.id))
            .exec(&txn)
            .await?;
        sso_token::Entity::update_many()
            .col_expr(sso_token::Column::RevokedAt, Expr::value(now))
            .filter(sso_token::Column::PersonId.eq(child_id))
            .filter(sso_token::Column::ClientPk.eq(found.client.id))
            .filter(sso_token::Column::RevokedAt.is_null())
            .exec(&txn)
            .await?;
    }
    audit::record(
        &txn,
        Some(actor.account_id),
        if allowed {
            "sso.consent_given"
        } else {
            "sso.consent_withdrawn"
        },
        "person",
        child_id,
        json!({ "client": found.client.id }),
    )
    .await?;
    txn.commit().await?;
    Ok(ChildResource { allowed, ..found })
}

/// One recorded sign-in, with the resource's name.
pub struct SignInRecord {
    pub at: DateTime<Utc>,
    pub role: String,
    pub client_name: String,
}

/// The sign-ins of the actor's own person, or of one of a parent's children; newest first.
pub async fn sign_ins(
    db: &impl ConnectionTrait,
    actor: &Actor,
    child_id: Option<i64>,
) -> ApiResult<Vec<SignInRecord>> {
    let person_id = match child_id {
        Some(c) => {
            own_child(actor, c)?;
            c
        }
        None => actor.person_id.ok_or(ApiError::NotFound("person"))?,
    };
    let rows = sso_sign_in::Entity::find()
        .filter(sso_sign_in::Column::PersonId.eq(person_id))
        .order_by_desc(sso_sign_in::Column::At)
        .order_by_desc(sso_sign_in::Column::Id)
        .limit(200)
        .all(db)
        .await?;
    let ids: Vec<i64> = rows.iter().map(|r| r.client_pk).collect();
    let clients = sso_client::Entity::find()
        .filter(sso_client::Column::Id.is_in(ids))
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|r| SignInRecord {
            at: r.at,
            role: r.role,
            client_name: clients
                .iter()
                .find(|c| c.id == r.client_pk)
                .map(|c| c.name.clone())
                .unwrap_or_default(),
        })
        .collect())
}

// ---- RP-initiated logout ----

/// The query of `/oidc/logout` (OpenID Connect RP-Initiated Logout 1.0).
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct LogoutQuery {
    pub id_token_hint: Option<String>,
    pub client_id: Option<String>,
    pub post_logout_redirect_uri: Option<String>,
    pub state: Option<String>,
    pub ui_locales: Option<String>,
}

/// Ends the resource's session behind an ID token (its access tokens are revoked). Adal
/// keeps no browser session of its own for resources: each sign-in asks again. Returns where
/// the browser goes: the registered post-logout URI, else `None` (a page says it is done).
pub async fn logout(state: &AppState, issuer: &str, q: &LogoutQuery) -> ApiResult<Option<String>> {
    let now = state.settings.clock.now();
    let mut client = match q.client_id.as_deref() {
        Some(id) => client_by_id(&state.db, id).await?,
        None => None,
    };
    if let Some(hint) = q.id_token_hint.as_deref() {
        let published = keys::Keys::of(&state.settings)?
            .published(&state.db, now)
            .await?;
        if let Some((aud, sid)) = keys::verify_hint(&published, issuer, hint) {
            let hinted = client_by_id(&state.db, &aud).await?;
            if let (Some(c), Ok(code_id)) = (&hinted, sid.parse::<i64>()) {
                let txn = begin_write(&state.db).await?;
                sso_token::Entity::update_many()
                    .col_expr(sso_token::Column::RevokedAt, Expr::value(now))
                    .filter(sso_token::Column::CodeId.eq(code_id))
                    .filter(sso_token::Column::ClientPk.eq(c.id))
                    .filter(sso_token::Column::RevokedAt.is_null())
                    .exec(&txn)
                    .await?;
                audit::record(&txn, None, "sso.logged_out", "sso_client", c.id, json!({})).await?;
                txn.commit().await?;
            }
            if client.as_ref().is_none_or(|c| {
                Some(c.client_id.as_str()) == hinted.as_ref().map(|h| h.client_id.as_str())
            }) {
                client = hinted;
            }
        }
    }
    let (Some(client), Some(uri)) = (client, q.post_logout_redirect_uri.as_deref()) else {
        return Ok(None);
    };
    if !rules::redirect_registered(&redirect_uris(&client), uri) {
        return Ok(None);
    }
    let mut params = Vec::new();
    if let Some(s) = q.state.as_deref() {
        params.push(("state", s));
    }
    Ok(Some(with_params(uri, &params)))
}

/// Deletes what the resources' sign-ins leave behind once it can serve nothing: authorization
/// requests, codes and access tokens that expired more than a day before `now` (a code is kept
/// past its tokens' lifetime, so that its replay still revokes them). Sign-in records, which
/// the person sees, are kept. Returns how many rows went.
pub async fn purge_spent(db: &impl ConnectionTrait, now: DateTime<Utc>) -> ApiResult<u64> {
    let before = now - adal_core::auth::tokens::kept_after_expiry();
    let requests = sso_request::Entity::delete_many()
        .filter(sso_request::Column::ExpiresAt.lt(before))
        .exec(db)
        .await?;
    let tokens = sso_token::Entity::delete_many()
        .filter(sso_token::Column::ExpiresAt.lt(before))
        .exec(db)
        .await?;
    let codes = sso_code::Entity::delete_many()
        .filter(sso_code::Column::ExpiresAt.lt(before))
        .exec(db)
        .await?;
    Ok(requests.rows_affected + tokens.rows_affected + codes.rows_affected)
}
