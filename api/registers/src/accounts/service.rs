//! Rules of accounts and roles: unique logins, strong-enough passwords, each role with the scope
//! it needs (a region for akimat officers, a school for school staff and devices, a provider for
//! provider staff, a linked person for parents and graduates, an operation list for
//! integrations), and every change audited.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction,
    EntityTrait, IntoActiveModel, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, QueryTrait,
    Set, sea_query::Expr,
};
use serde_json::json;

use entities::{account, organisation, person, refresh_token, region, role_assignment};

use adal_core::audit;
use adal_core::auth::password;
use adal_core::auth::roles::{GRANTABLE_FIELDS, GRANTABLE_OPERATIONS, Role, ScopeKind};
use adal_core::auth::tokens::random_token;
use adal_core::error::{ApiError, ApiResult};
use adal_core::pagination::PageRequest;
use adal_core::sql::{contains_any, is_unique_violation};
use adal_core::vocab::{Language, OrganisationKind};

#[derive(Debug, Default, Clone)]
pub struct AccountFilter {
    pub search: Option<String>,
    pub role: Option<Role>,
}

pub async fn list(
    db: &DatabaseConnection,
    filter: &AccountFilter,
    page: &PageRequest,
) -> ApiResult<(Vec<account::Model>, u64)> {
    let mut query = account::Entity::find();
    if let Some(s) = filter.search.as_deref().filter(|s| !s.trim().is_empty()) {
        query = query.filter(contains_any(
            db.get_database_backend(),
            &[account::Column::Login, account::Column::DisplayName],
            s,
        ));
    }
    if let Some(role) = filter.role {
        let holders = role_assignment::Entity::find()
            .select_only()
            .column(role_assignment::Column::AccountId)
            .filter(role_assignment::Column::Role.eq(role.as_str()))
            .into_query();
        query = query.filter(account::Column::Id.in_subquery(holders));
    }
    let total = query.clone().count(db).await?;
    let mut q = query.order_by_asc(account::Column::Id);
    if let Some(after) = page.after_id()? {
        q = q.filter(account::Column::Id.gt(after));
    }
    Ok((q.limit(page.fetch_limit()).all(db).await?, total))
}

pub async fn get(db: &impl ConnectionTrait, id: i64) -> ApiResult<account::Model> {
    account::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(ApiError::NotFound("account"))
}

/// A role with its scope, as submitted.
#[derive(Debug, Clone)]
pub struct AssignmentDraft {
    pub role: Role,
    pub organisation_id: Option<i64>,
    pub region_kato: Option<String>,
    pub allowed_operations: Option<Vec<String>>,
    /// The personal fields an integration client may read; none when unset.
    pub allowed_fields: Option<Vec<String>>,
}

#[derive(Debug, Clone)]
pub struct AccountDraft {
    pub login: String,
    pub password: String,
    pub language: Language,
    pub person_id: Option<i64>,
    pub roles: Vec<AssignmentDraft>,
}

/// Logins: 3 to 64 characters of lower-case latin letters, digits, `.`, `_`, `-`, `@`.
pub fn parse_login(field: &str, raw: &str) -> ApiResult<String> {
    let login = raw.trim().to_lowercase();
    let ok_chars = login.chars().all(|c| {
        c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-' | '@')
    });
    if !(3..=64).contains(&login.len()) || !ok_chars {
        return Err(ApiError::bad_input(
            field,
            "login must be 3 to 64 characters: latin letters, digits, . _ - @",
        ));
    }
    Ok(login)
}

fn duplicate_login(err: sea_orm::DbErr) -> ApiError {
    if is_unique_violation(&err) {
        ApiError::Conflict("this login is already taken".into())
    } else {
        err.into()
    }
}

async fn ensure_login_free(db: &impl ConnectionTrait, login: &str) -> ApiResult<()> {
    let taken = account::Entity::find()
        .filter(account::Column::Login.eq(login))
        .one(db)
        .await?
        .is_some();
    if taken {
        return Err(ApiError::Conflict("this login is already taken".into()));
    }
    Ok(())
}

/// Checks that an assignment names exactly the scope its role needs, then stores it.
async fn add_assignment(
    db: &impl ConnectionTrait,
    acc: &account::Model,
    a: AssignmentDraft,
) -> ApiResult<role_assignment::Model> {
    let is_client = acc.kind == "client";
    if a.role.is_client_role() != is_client {
        return Err(ApiError::bad_input(
            "role",
            if is_client {
                "a client account can hold only the integration or device role"
            } else {
                "integration and device roles belong to client accounts"
            },
        ));
    }
    let kind = a.role.scope_kind();
    let wants_org = matches!(kind, ScopeKind::Organisation(_));
    let wants_region = kind == ScopeKind::Region;
    let wants_ops = kind == ScopeKind::Operations;
    if a.organisation_id.is_some() && !wants_org {
        return Err(ApiError::bad_input(
            "organisationId",
            format!("the {} role is not scoped to an organisation", a.role),
        ));
    }
    if a.region_kato.is_some() && !wants_region {
        return Err(ApiError::bad_input(
            "regionKato",
            format!("the {} role is not scoped to a region", a.role),
        ));
    }
    if a.allowed_operations.is_some() && !wants_ops {
        return Err(ApiError::bad_input(
            "allowedOperations",
            "only the integration role carries a list of operations",
        ));
    }
    if a.allowed_fields.is_some() && !wants_ops {
        return Err(ApiError::bad_input(
            "allowedFields",
            "only the integration role carries a list of personal fields",
        ));
    }
    if let Some(bad) = a
        .allowed_fields
        .iter()
        .flatten()
        .find(|f| !GRANTABLE_FIELDS.contains(&f.as_str()))
    {
        return Err(ApiError::bad_input(
            "allowedFields",
            format!(
                "unknown personal field: {bad} (one of {})",
                GRANTABLE_FIELDS.join(", ")
            ),
        ));
    }
    match kind {
        ScopeKind::Organisation(expected) => {
            let Some(id) = a.organisation_id else {
                return Err(ApiError::bad_input(
                    "organisationId",
                    format!("the {} role needs an organisation", a.role),
                ));
            };
            let org = organisation::Entity::find_by_id(id)
                .one(db)
                .await?
                .ok_or_else(|| ApiError::bad_input("organisationId", "unknown organisation"))?;
            if OrganisationKind::from_db(&org.kind) != Some(expected) {
                return Err(ApiError::bad_input(
                    "organisationId",
                    format!(
                        "the {} role needs an organisation of kind {expected}",
                        a.role
                    ),
                ));
            }
        }
        ScopeKind::Region => {
            let Some(kato) = &a.region_kato else {
                return Err(ApiError::bad_input(
                    "regionKato",
                    "the akimat_officer role needs a region",
                ));
            };
            region::Entity::find_by_id(kato.clone())
                .one(db)
                .await?
                .ok_or_else(|| ApiError::bad_input("regionKato", "unknown region"))?;
        }
        ScopeKind::OwnChildren | ScopeKind::OwnPerson => {
            if acc.person_id.is_none() {
                return Err(ApiError::bad_input(
                    "personId",
                    format!("the {} role needs an account linked to a person", a.role),
                ));
            }
        }
        ScopeKind::Operations => {
            let ops = a.allowed_operations.clone().unwrap_or_default();
            if ops.is_empty() {
                return Err(ApiError::bad_input(
                    "allowedOperations",
                    "the integration role needs the list of operations it may call",
                ));
            }
            if let Some(bad) = ops
                .iter()
                .find(|o| !GRANTABLE_OPERATIONS.contains(&o.as_str()))
            {
                return Err(ApiError::bad_input(
                    "allowedOperations",
                    format!("unknown operation: {bad}"),
                ));
            }
        }
        ScopeKind::National => {}
    }
    let mut dup = role_assignment::Entity::find()
        .filter(role_assignment::Column::AccountId.eq(acc.id))
        .filter(role_assignment::Column::Role.eq(a.role.as_str()));
    dup = match a.organisation_id {
        Some(id) => dup.filter(role_assignment::Column::OrganisationId.eq(id)),
        None => dup.filter(role_assignment::Column::OrganisationId.is_null()),
    };
    dup = match &a.region_kato {
        Some(k) => dup.filter(role_assignment::Column::RegionKato.eq(k.clone())),
        None => dup.filter(role_assignment::Column::RegionKato.is_null()),
    };
    if dup.one(db).await?.is_some() {
        return Err(ApiError::Conflict(
            "the account already holds this role with this scope".into(),
        ));
    }
    let ops = a
        .allowed_operations
        .map(|o| serde_json::to_string(&o))
        .transpose()
        .map_err(ApiError::internal)?;
    // An integration client's grant of personal fields is always stated, if only as none.
    let fields = wants_ops
        .then(|| {
            let mut f = a.allowed_fields.unwrap_or_default();
            f.sort();
            f.dedup();
            serde_json::to_string(&f)
        })
        .transpose()
        .map_err(ApiError::internal)?;
    Ok(role_assignment::ActiveModel {
        account_id: Set(acc.id),
        role: Set(a.role.as_str().to_owned()),
        organisation_id: Set(a.organisation_id),
        region_kato: Set(a.region_kato),
        allowed_operations: Set(ops),
        allowed_fields: Set(fields),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await?)
}

async fn check_person(db: &impl ConnectionTrait, person_id: Option<i64>) -> ApiResult<()> {
    if let Some(pid) = person_id {
        person::Entity::find_by_id(pid)
            .one(db)
            .await?
            .ok_or_else(|| ApiError::bad_input("personId", "unknown person"))?;
    }
    Ok(())
}

/// Creates a person's account with its roles, all or nothing.
pub async fn create_account(
    db: &DatabaseConnection,
    actor_account: Option<i64>,
    d: AccountDraft,
) -> ApiResult<account::Model> {
    let login = parse_login("login", &d.login)?;
    password::check_strength("password", &d.password)?;
    if d.roles.is_empty() {
        return Err(ApiError::bad_input(
            "roles",
            "an account needs at least one role",
        ));
    }
    let hash = password::hash_blocking(&d.password).await?;
    let txn = adal_core::db::begin_write(db).await?;
    ensure_login_free(&txn, &login).await?;
    check_person(&txn, d.person_id).await?;
    let now = Utc::now();
    let acc = account::ActiveModel {
        login: Set(login.clone()),
        kind: Set("user".into()),
        display_name: Set(None),
        password_hash: Set(hash),
        language: Set(d.language.as_str().to_owned()),
        person_id: Set(d.person_id),
        disabled: Set(false),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .map_err(duplicate_login)?;
    let mut roles = Vec::new();
    for a in d.roles {
        roles.push(add_assignment(&txn, &acc, a).await?.role);
    }
    audit::record(
        &txn,
        actor_account,
        "account.create",
        "account",
        acc.id,
        json!({ "login": login, "roles": roles }),
    )
    .await?;
    txn.commit().await?;
    Ok(acc)
}

#[derive(Debug, Clone, Default)]
pub struct AccountChanges {
    pub language: Option<Language>,
    pub disabled: Option<bool>,
    pub password: Option<String>,
    /// A machine client's own cost budget per minute; `Some(0)` returns it to the default.
    pub cost_per_minute: Option<i32>,
    /// A machine client's own requests per minute; `Some(0)` returns it to the default.
    pub requests_per_minute: Option<i32>,
    /// A machine client's expiry: `Some(None)` removes it.
    pub expires_at: Option<Option<DateTime<Utc>>>,
    /// An integration client runs only its registered operations.
    pub persisted_only: Option<bool>,
}

/// A client's expiry, checked: an instant still to come.
fn expiry(at: DateTime<Utc>) -> ApiResult<DateTime<Utc>> {
    if at > Utc::now() {
        Ok(at)
    } else {
        Err(ApiError::bad_input(
            "expiresAt",
            "an instant still to come (to end a client's access now, disable it)",
        ))
    }
}

/// The largest budget one client may be given: a million points a minute is some 2,500 pages
/// of a hundred rows.
const MAX_COST_PER_MINUTE: i32 = 1_000_000;

/// A client's own cost budget per minute, checked.
const MAX_REQUESTS_PER_MINUTE: i32 = 60_000;

fn requests_per_minute(n: i32) -> ApiResult<i32> {
    if (1..=MAX_REQUESTS_PER_MINUTE).contains(&n) {
        Ok(n)
    } else {
        Err(ApiError::bad_input(
            "requestsPerMinute",
            format!("a rate is 1 to {MAX_REQUESTS_PER_MINUTE} requests a minute"),
        ))
    }
}

fn cost_per_minute(n: i32) -> ApiResult<i32> {
    if (1..=MAX_COST_PER_MINUTE).contains(&n) {
        Ok(n)
    } else {
        Err(ApiError::bad_input(
            "costPerMinute",
            format!("a budget is 1 to {MAX_COST_PER_MINUTE} points a minute"),
        ))
    }
}

pub async fn update_account(
    db: &DatabaseConnection,
    actor_account: i64,
    id: i64,
    c: AccountChanges,
) -> ApiResult<account::Model> {
    if let Some(p) = &c.password {
        password::check_strength("password", p)?;
    }
    if c.disabled == Some(true) && id == actor_account {
        return Err(ApiError::bad_input(
            "disabled",
            "you cannot disable your own account",
        ));
    }
    let budget = match c.cost_per_minute {
        None => None,
        Some(0) => Some(None),
        Some(n) => Some(Some(cost_per_minute(n)?)),
    };
    let rate = match c.requests_per_minute {
        None => None,
        Some(0) => Some(None),
        Some(n) => Some(Some(requests_per_minute(n)?)),
    };
    let new_hash = match c.password.as_deref() {
        Some(p) => Some(password::hash_blocking(p).await?),
        None => None,
    };
    let txn = adal_core::db::begin_write(db).await?;
    let existing = get(&txn, id).await?;
    let mut am = existing.clone().into_active_model();
    let mut changed = Vec::new();
    if let Some(l) = c.language.filter(|l| l.as_str() != existing.language) {
        am.language = Set(l.as_str().to_owned());
        changed.push("language");
    }
    if let Some(d) = c.disabled.filter(|d| *d != existing.disabled) {
        am.disabled = Set(d);
        changed.push("disabled");
    }
    if let Some(h) = new_hash {
        am.password_hash = Set(h);
        changed.push("password");
    }
    let expires = c
        .expires_at
        .map(|e| e.map(expiry).transpose())
        .transpose()?;
    // What only a machine client has: refused for a person's account.
    let client_only = |field: &'static str, what: &str| {
        if existing.kind == "client" {
            Ok(())
        } else {
            Err(ApiError::bad_input(
                field,
                format!("only a machine client has {what}"),
            ))
        }
    };
    if let Some(e) = expires.filter(|e| *e != existing.expires_at) {
        client_only("expiresAt", "an expiry")?;
        am.expires_at = Set(e);
        changed.push("expiresAt");
    }
    if let Some(b) = budget.filter(|b| *b != existing.cost_per_minute) {
        client_only("costPerMinute", "a budget of its own")?;
        am.cost_per_minute = Set(b);
        changed.push("costPerMinute");
    }
    if let Some(r) = rate.filter(|r| *r != existing.requests_per_minute) {
        client_only("requestsPerMinute", "a rate of its own")?;
        am.requests_per_minute = Set(r);
        changed.push("requestsPerMinute");
    }
    if let Some(p) = c.persisted_only.filter(|p| *p != existing.persisted_only) {
        client_only("persistedOnly", "registered operations")?;
        am.persisted_only = Set(p);
        changed.push("persistedOnly");
    }
    if changed.is_empty() {
        txn.commit().await?;
        return Ok(existing);
    }
    if changed.contains(&"disabled") || changed.contains(&"password") {
        // Every access token issued before now stops working at its next request.
        am.session_epoch = Set(existing.session_epoch + 1);
    }
    am.updated_at = Set(Utc::now());
    let model = am.update(&txn).await?;
    if changed.contains(&"disabled") || changed.contains(&"password") {
        revoke_sessions(&txn, id).await?;
    }
    audit::record(
        &txn,
        Some(actor_account),
        "account.update",
        "account",
        id,
        json!({ "changed": changed, "disabled": model.disabled, "costPerMinute": model.cost_per_minute,
                "expiresAt": model.expires_at, "persistedOnly": model.persisted_only,
                "requestsPerMinute": model.requests_per_minute }),
    )
    .await?;
    txn.commit().await?;
    Ok(model)
}

async fn revoke_sessions(db: &impl ConnectionTrait, account_id: i64) -> ApiResult<()> {
    refresh_token::Entity::update_many()
        .col_expr(refresh_token::Column::RevokedAt, Expr::value(Utc::now()))
        .filter(refresh_token::Column::AccountId.eq(account_id))
        .filter(refresh_token::Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}

pub async fn assign_role(
    db: &DatabaseConnection,
    actor_account: Option<i64>,
    account_id: i64,
    a: AssignmentDraft,
) -> ApiResult<account::Model> {
    let txn = adal_core::db::begin_write(db).await?;
    let acc = get(&txn, account_id).await?;
    let added = add_assignment(&txn, &acc, a).await?;
    audit::record(
        &txn,
        actor_account,
        "role.assign",
        "account",
        account_id,
        json!({
            "assignmentId": added.id,
            "role": added.role,
            "organisationId": added.organisation_id,
            "regionKato": added.region_kato,
        }),
    )
    .await?;
    txn.commit().await?;
    Ok(acc)
}

pub async fn revoke_role(
    db: &DatabaseConnection,
    actor_account: i64,
    assignment_id: i64,
) -> ApiResult<account::Model> {
    let txn = adal_core::db::begin_write(db).await?;
    let a = role_assignment::Entity::find_by_id(assignment_id)
        .one(&txn)
        .await?
        .ok_or(ApiError::NotFound("role assignment"))?;
    if a.account_id == actor_account && a.role == Role::OperatorAdmin.as_str() {
        return Err(ApiError::bad_input(
            "assignmentId",
            "you cannot revoke your own administrator role",
        ));
    }
    role_assignment::Entity::delete_by_id(assignment_id)
        .exec(&txn)
        .await?;
    audit::record(
        &txn,
        Some(actor_account),
        "role.revoke",
        "account",
        a.account_id,
        json!({ "assignmentId": a.id, "role": a.role }),
    )
    .await?;
    let acc = get(&txn, a.account_id).await?;
    txn.commit().await?;
    Ok(acc)
}

#[derive(Debug, Clone)]
pub struct ClientDraft {
    pub client_id: String,
    pub display_name: String,
    pub role: Role,
    pub organisation_id: Option<i64>,
    pub allowed_operations: Option<Vec<String>>,
    /// The personal fields an integration may read; none when `None`.
    pub allowed_fields: Option<Vec<String>>,
    /// The client's own GraphQL cost budget per minute; `None`: the server's default.
    pub cost_per_minute: Option<i32>,
    /// The client's own GraphQL requests per minute; `None`: the server's default.
    pub requests_per_minute: Option<i32>,
    /// When its access ends; `None`: it does not expire.
    pub expires_at: Option<DateTime<Utc>>,
    /// A given secret (demo data, migrations of existing clients); generated when `None`.
    pub secret: Option<String>,
}

/// Creates a machine client; returns the account and its secret, shown this once only.
pub async fn create_client(
    db: &DatabaseConnection,
    actor_account: Option<i64>,
    d: ClientDraft,
) -> ApiResult<(account::Model, String)> {
    let txn = adal_core::db::begin_write(db).await?;
    let out = create_client_in(&txn, actor_account, d).await?;
    txn.commit().await?;
    Ok(out)
}

/// [`create_client`] within the caller's transaction (a domain that registers its own record
/// of the client, a school's device, in the same one).
pub async fn create_client_in(
    txn: &DatabaseTransaction,
    actor_account: Option<i64>,
    d: ClientDraft,
) -> ApiResult<(account::Model, String)> {
    let login = parse_login("clientId", &d.client_id)?;
    if !d.role.is_client_role() {
        return Err(ApiError::bad_input(
            "role",
            "a client holds the integration or device role",
        ));
    }
    let name = adal_core::identifiers::Name::parse(&d.display_name, "display name")
        .map_err(|e| ApiError::bad_input("displayName", e.0))?
        .into_string();
    let cost_per_minute = d.cost_per_minute.map(cost_per_minute).transpose()?;
    let requests_per_minute = d.requests_per_minute.map(requests_per_minute).transpose()?;
    let expires_at = d.expires_at.map(expiry).transpose()?;
    let secret = d.secret.unwrap_or_else(random_token);
    password::check_strength("clientSecret", &secret)?;
    let hash = password::hash_blocking(&secret).await?;
    ensure_login_free(txn, &login).await?;
    let now = Utc::now();
    let acc = account::ActiveModel {
        login: Set(login.clone()),
        kind: Set("client".into()),
        display_name: Set(Some(name)),
        password_hash: Set(hash),
        language: Set(Language::Ru.as_str().to_owned()),
        person_id: Set(None),
        disabled: Set(false),
        cost_per_minute: Set(cost_per_minute),
        requests_per_minute: Set(requests_per_minute),
        expires_at: Set(expires_at),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(txn)
    .await
    .map_err(duplicate_login)?;
    add_assignment(
        txn,
        &acc,
        AssignmentDraft {
            role: d.role,
            organisation_id: d.organisation_id,
            region_kato: None,
            allowed_operations: d.allowed_operations,
            allowed_fields: d.allowed_fields,
        },
    )
    .await?;
    audit::record(
        txn,
        actor_account,
        "client.create",
        "account",
        acc.id,
        json!({ "clientId": login, "role": d.role, "costPerMinute": cost_per_minute }),
    )
    .await?;
    Ok((acc, secret))
}
