//! The caller of one request, built once from the access token.

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};

use entities::{account, guardianship, role_assignment};

use super::roles::Role;
use crate::error::ApiResult;
use crate::vocab::Language;

/// One role assignment of the caller, with its scope.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assignment {
    pub id: i64,
    pub role: Role,
    pub organisation_id: Option<i64>,
    pub region_kato: Option<String>,
    pub allowed_operations: Vec<String>,
    /// The personal fields an integration client may read.
    pub allowed_fields: Vec<String>,
}

impl Assignment {
    pub fn from_model(m: &role_assignment::Model) -> Option<Self> {
        Some(Self {
            id: m.id,
            role: Role::from_db(&m.role)?,
            organisation_id: m.organisation_id,
            region_kato: m.region_kato.clone(),
            allowed_operations: m
                .allowed_operations
                .as_deref()
                .and_then(|s| serde_json::from_str(s).ok())
                .unwrap_or_default(),
            allowed_fields: m
                .allowed_fields
                .as_deref()
                .and_then(|s| serde_json::from_str(s).ok())
                .unwrap_or_default(),
        })
    }
}

/// A signed-in account with everything access decisions need.
#[derive(Debug, Clone)]
pub struct Actor {
    pub account_id: i64,
    pub is_client: bool,
    pub person_id: Option<i64>,
    /// The language of this request's answers: the account's saved language, or the one the
    /// request asks for (`Accept-Language`: the portals send the one the person reads now).
    pub language: Language,
    /// The account's saved language (notifications; the default after sign-in).
    pub saved_language: Language,
    /// The account's session epoch: access tokens from an earlier one are refused.
    pub session_epoch: i32,
    pub assignments: Vec<Assignment>,
    /// Person ids of the children in the caller's guardianship (for the parent role).
    pub children: Vec<i64>,
    /// The caller's own GraphQL cost budget per minute (a machine client's, set with it);
    /// `None`: the server's default.
    pub cost_per_minute: Option<u32>,
    /// The caller's own GraphQL requests per minute (a machine client's); `None`: the
    /// server's default.
    pub requests_per_minute: Option<u32>,
    /// Whether the account signs in with a second factor.
    pub second_factor: bool,
    /// A machine client that runs only the operations it registered.
    pub persisted_only: bool,
}

impl Actor {
    /// Loads the actor of an enabled account; `None` when it is gone, disabled or expired.
    pub async fn load(db: &impl ConnectionTrait, account_id: i64) -> ApiResult<Option<Self>> {
        let Some(acc) = account::Entity::find_by_id(account_id).one(db).await? else {
            return Ok(None);
        };
        if acc.disabled || acc.expires_at.is_some_and(|at| at <= chrono::Utc::now()) {
            return Ok(None);
        }
        let assignments: Vec<Assignment> = role_assignment::Entity::find()
            .filter(role_assignment::Column::AccountId.eq(account_id))
            .all(db)
            .await?
            .iter()
            .filter_map(Assignment::from_model)
            .collect();
        let children = match acc.person_id {
            Some(pid) if assignments.iter().any(|a| a.role == Role::Parent) => {
                guardianship::Entity::find()
                    .select_only()
                    .column(guardianship::Column::ChildPersonId)
                    .filter(guardianship::Column::ParentPersonId.eq(pid))
                    .into_tuple::<i64>()
                    .all(db)
                    .await?
            }
            _ => Vec::new(),
        };
        Ok(Some(Self {
            account_id,
            is_client: acc.kind == "client",
            person_id: acc.person_id,
            language: Language::from_db_or_default(&acc.language),
            saved_language: Language::from_db_or_default(&acc.language),
            session_epoch: acc.session_epoch,
            assignments,
            children,
            cost_per_minute: acc.cost_per_minute.and_then(|n| u32::try_from(n).ok()),
            requests_per_minute: acc.requests_per_minute.and_then(|n| u32::try_from(n).ok()),
            second_factor: acc.totp_confirmed_at.is_some(),
            persisted_only: acc.persisted_only,
        }))
    }

    pub fn has_role(&self, role: Role) -> bool {
        self.assignments.iter().any(|a| a.role == role)
    }

    pub fn has_any(&self, roles: &[Role]) -> bool {
        self.assignments.iter().any(|a| roles.contains(&a.role))
    }

    /// An integration client may call an operation only when it is on its list.
    pub fn integration_allows(&self, operation: &str) -> bool {
        self.assignments.iter().any(|a| {
            a.role == Role::Integration && a.allowed_operations.iter().any(|o| o == operation)
        })
    }

    /// Whether the caller may read the personal field `field` (one of
    /// [`super::roles::GRANTABLE_FIELDS`]) of those its scope reaches: people and devices
    /// always, an integration client when it was granted the field.
    pub fn reads_field(&self, field: &str) -> bool {
        !self.has_role(Role::Integration)
            || self
                .assignments
                .iter()
                .any(|a| a.role == Role::Integration && a.allowed_fields.iter().any(|f| f == field))
    }

    /// Regions the caller holds `role` in.
    pub fn regions(&self, role: Role) -> Vec<String> {
        self.assignments
            .iter()
            .filter(|a| a.role == role)
            .filter_map(|a| a.region_kato.clone())
            .collect()
    }

    /// Organisations the caller holds one of `roles` in.
    pub fn organisations(&self, roles: &[Role]) -> Vec<i64> {
        self.assignments
            .iter()
            .filter(|a| roles.contains(&a.role))
            .filter_map(|a| a.organisation_id)
            .collect()
    }
}

/// Why a presented token was not accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenProblem {
    Expired,
    Invalid,
}

/// The caller of a request: an actor, or anonymous (with the reason when a token was refused).
#[derive(Debug, Clone, Default)]
pub struct Caller {
    pub actor: Option<Actor>,
    pub token_problem: Option<TokenProblem>,
    /// The client's network address, for sign-in throttling.
    pub client_addr: Option<String>,
    /// The refresh token of the portals' cookie, sent only to `/graphql`.
    pub refresh_cookie: Option<String>,
    /// The actor's role requires a second factor it has not set up: only its setup is allowed.
    pub second_factor_missing: bool,
}
