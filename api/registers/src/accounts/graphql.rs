//! GraphQL types and resolvers of accounts and role assignments. `Account` never exposes the
//! password hash.

use async_graphql::{Context, Enum, ID, InputObject, MaybeUndefined, Object, Result, SimpleObject};
use chrono::{DateTime, Utc};

use entities::{account, role_assignment};

use super::service::{
    self, AccountChanges, AccountDraft, AccountFilter, AssignmentDraft, ClientDraft,
};
use crate::loaders::loaders;
use crate::people::graphql::Person;
use crate::reference::graphql::{Organisation, Region};
use adal_core::auth::guard::actor;
use adal_core::auth::{Allow, Role};
use adal_core::error::{ApiError, ApiResult};
use adal_core::loaders::load_err;
use adal_core::pagination::{Conn, PageRequest, connection};
use adal_core::sql::parse_id;
use adal_core::state::AppState;
use adal_core::vocab::Language;

#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
pub enum AccountKind {
    /// A person signing in with login and password.
    User,
    /// A machine client (integration system or device) with client id and secret.
    Client,
}

pub struct Account(pub account::Model);

#[Object]
impl Account {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    /// The login (the client id for machine clients).
    async fn login(&self) -> &str {
        &self.0.login
    }
    async fn kind(&self) -> AccountKind {
        if self.0.kind == "client" {
            AccountKind::Client
        } else {
            AccountKind::User
        }
    }
    /// The name of a client system or device.
    async fn display_name(&self) -> Option<&str> {
        self.0.display_name.as_deref()
    }
    async fn language(&self) -> Language {
        Language::from_db_or_default(&self.0.language)
    }
    /// Whether each sign-in needs an authenticator app's code besides the password.
    async fn second_factor(&self) -> bool {
        self.0.totp_confirmed_at.is_some()
    }
    /// A machine client's own GraphQL cost budget per minute; null: the server's default.
    async fn cost_per_minute(&self) -> Option<i32> {
        self.0.cost_per_minute
    }
    /// A machine client's own GraphQL requests per minute; null: the server's default.
    async fn requests_per_minute(&self) -> Option<i32> {
        self.0.requests_per_minute
    }
    async fn disabled(&self) -> bool {
        self.0.disabled
    }
    /// An integration client runs only the operations it registered.
    async fn persisted_only(&self) -> bool {
        self.0.persisted_only
    }
    /// When a machine client's access ends (it can then neither sign in nor use its tokens);
    /// null: it does not expire.
    async fn expires_at(&self) -> Option<DateTime<Utc>> {
        self.0.expires_at
    }
    /// A machine client's use, day by day (Almaty time) for the last `days` days (30 unless
    /// given), newest first; days without a call are absent. The operator's staff only.
    #[graphql(guard = "Allow::roles(\"clientUsage\", ACCOUNT_READERS)")]
    async fn usage(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = 30)] days: i32,
    ) -> Result<Vec<super::clients::ClientUsageDay>> {
        super::clients::usage(ctx, self.0.id, days).await
    }
    /// The operations an integration client registered, oldest first. The operator's staff
    /// only.
    #[graphql(guard = "Allow::roles(\"clientOperations\", ACCOUNT_READERS)")]
    async fn operations(
        &self,
        ctx: &Context<'_>,
    ) -> Result<Vec<super::clients::PersistedOperation>> {
        super::clients::operations(ctx, self.0.id).await
    }
    /// The person this account belongs to, when the caller may see that person (the same
    /// scope as the `person` and `persons` queries; an integration client allowed `accounts`
    /// but not `persons` gets null).
    async fn person(&self, ctx: &Context<'_>) -> Result<Option<Person>> {
        let Some(pid) = self.0.person_id else {
            return Ok(None);
        };
        if !adal_core::auth::scope::persons(actor(ctx)?).contains(&pid) {
            return Ok(None);
        }
        Ok(loaders(ctx)?
            .persons
            .load_one(pid)
            .await
            .map_err(load_err)?
            .map(Person))
    }
    async fn roles(&self, ctx: &Context<'_>) -> Result<Vec<RoleAssignment>> {
        let mut rows = loaders(ctx)?
            .assignments
            .load_one(self.0.id)
            .await
            .map_err(load_err)?
            .unwrap_or_default();
        rows.sort_by_key(|r| r.id);
        Ok(rows.into_iter().map(RoleAssignment).collect())
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
}

pub struct RoleAssignment(pub role_assignment::Model);

/// A role held by an account, with its scope.
#[Object]
impl RoleAssignment {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    async fn role(&self) -> Result<Role> {
        Role::from_db(&self.0.role).ok_or_else(|| {
            adal_core::error::ApiError::internal(anyhow::anyhow!("unknown stored role")).into()
        })
    }
    /// The school, provider or device's school the role is scoped to.
    async fn organisation(&self, ctx: &Context<'_>) -> Result<Option<Organisation>> {
        let Some(id) = self.0.organisation_id else {
            return Ok(None);
        };
        Ok(loaders(ctx)?
            .organisations
            .load_one(id)
            .await
            .map_err(load_err)?
            .map(Organisation))
    }
    /// The region an akimat officer works in.
    async fn region(&self, ctx: &Context<'_>) -> Result<Option<Region>> {
        let Some(k) = self.0.region_kato.clone() else {
            return Ok(None);
        };
        Ok(loaders(ctx)?
            .regions
            .load_one(k)
            .await
            .map_err(load_err)?
            .map(Region))
    }
    /// Operations an integration client may call.
    async fn allowed_operations(&self) -> Option<Vec<String>> {
        self.0
            .allowed_operations
            .as_deref()
            .and_then(|s| serde_json::from_str(s).ok())
    }
    /// Personal fields an integration client may read (`iin`, `name`, `birthDate`, `phone`,
    /// `email`); the others reach it masked.
    async fn allowed_fields(&self) -> Option<Vec<String>> {
        self.0
            .allowed_fields
            .as_deref()
            .and_then(|s| serde_json::from_str(s).ok())
    }
}

#[derive(InputObject)]
pub struct RoleAssignmentInput {
    pub role: Role,
    /// School (school roles, device) or provider (provider staff).
    pub organisation_id: Option<ID>,
    /// Region (akimat officer).
    pub region_kato: Option<String>,
    /// Operations (integration).
    pub allowed_operations: Option<Vec<String>>,
    /// Personal fields (integration): `iin`, `name`, `birthDate`, `phone`, `email`; unset,
    /// none.
    pub allowed_fields: Option<Vec<String>>,
}

impl RoleAssignmentInput {
    fn into_draft(self) -> ApiResult<AssignmentDraft> {
        if self.role == Role::Pupil {
            return Err(ApiError::bad_input(
                "role",
                "a pupil's login is issued by their school (issuePupilLogin)",
            ));
        }
        Ok(AssignmentDraft {
            role: self.role,
            organisation_id: self
                .organisation_id
                .as_ref()
                .map(|id| parse_id("organisationId", id))
                .transpose()?,
            region_kato: self.region_kato.filter(|s| !s.is_empty()),
            allowed_operations: self.allowed_operations,
            allowed_fields: self.allowed_fields,
        })
    }
}

#[derive(InputObject)]
pub struct CreateAccountInput {
    pub login: String,
    pub password: String,
    #[graphql(default_with = "Language::Ru")]
    pub language: Language,
    /// The person the account belongs to (required for parent and graduate roles).
    pub person_id: Option<ID>,
    pub roles: Vec<RoleAssignmentInput>,
}

#[derive(InputObject, Default)]
pub struct UpdateAccountInput {
    pub language: Option<Language>,
    pub disabled: Option<bool>,
    pub password: Option<String>,
    /// A machine client's own GraphQL cost budget per minute; 0 returns it to the server's
    /// default.
    pub cost_per_minute: Option<i32>,
    /// A machine client's own GraphQL requests per minute; 0 returns it to the server's
    /// default.
    pub requests_per_minute: Option<i32>,
    /// When a machine client's access ends (an instant still to come); null removes the
    /// expiry, absent leaves it.
    pub expires_at: MaybeUndefined<DateTime<Utc>>,
    /// Whether an integration client may run only the operations it registered
    /// (`registerOperation`), and register no more.
    pub persisted_only: Option<bool>,
}

#[derive(InputObject, Default)]
#[graphql(name = "AccountFilter")]
pub struct AccountFilterInput {
    pub search: Option<String>,
    pub role: Option<Role>,
}

#[derive(InputObject)]
pub struct CreateClientInput {
    pub client_id: String,
    pub display_name: String,
    /// `INTEGRATION` or `DEVICE`.
    pub role: Role,
    /// The device's school.
    pub organisation_id: Option<ID>,
    /// The operations an integration may call.
    pub allowed_operations: Option<Vec<String>>,
    /// The personal fields an integration may read (`iin`, `name`, `birthDate`, `phone`,
    /// `email`); the others reach it masked, with the reason in `extensions.masked`. Unset,
    /// none.
    pub allowed_fields: Option<Vec<String>>,
    /// The client's own GraphQL cost budget per minute (query complexity points); unset, the
    /// server's default (`ADAL_GRAPHQL_COST_PER_MINUTE`).
    pub cost_per_minute: Option<i32>,
    /// The client's own GraphQL requests per minute, however cheap each; unset, the server's
    /// default (`ADAL_GRAPHQL_REQUESTS_PER_MINUTE`).
    pub requests_per_minute: Option<i32>,
    /// When its access ends (an instant still to come); unset: it does not expire.
    pub expires_at: Option<DateTime<Utc>>,
}

/// A new client's credentials: the secret is shown this once and stored only as a hash.
#[derive(SimpleObject)]
pub struct ClientCredentials {
    pub client_id: String,
    pub client_secret: String,
    pub account: Account,
}

const ADMIN: &[Role] = &[Role::OperatorAdmin];
/// The operator's administrators and analysts read accounts; only administrators change them.
const ACCOUNT_READERS: &[Role] = &[Role::OperatorAdmin, Role::OperatorAnalyst];

#[derive(Default)]
pub struct AccountsQuery;

#[Object]
impl AccountsQuery {
    /// Accounts and their roles (operator administrators and analysts).
    #[graphql(
        guard = "Allow::roles(\"accounts\", ACCOUNT_READERS)",
        complexity = "adal_core::pagination::list_complexity(first, child_complexity)"
    )]
    async fn accounts(
        &self,
        ctx: &Context<'_>,
        filter: Option<AccountFilterInput>,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<Conn<Account>> {
        let state = ctx.data::<AppState>()?;
        let page = PageRequest::parse(first, after)?;
        let f = filter.unwrap_or_default();
        let filter = AccountFilter {
            search: f.search,
            role: f.role,
        };
        let (rows, total) = service::list(&state.db, &filter, &page).await?;
        Ok(connection(
            &page,
            rows,
            total,
            |r| r.id.to_string(),
            Account,
        ))
    }

    #[graphql(guard = "Allow::roles(\"account\", ACCOUNT_READERS)")]
    async fn account(&self, ctx: &Context<'_>, id: ID) -> Result<Account> {
        let state = ctx.data::<AppState>()?;
        let id = parse_id("id", &id)?;
        Ok(Account(service::get(&state.db, id).await?))
    }
}

#[derive(Default)]
pub struct AccountsMutation;

#[Object]
impl AccountsMutation {
    #[graphql(guard = "Allow::roles(\"createAccount\", ADMIN)")]
    async fn create_account(
        &self,
        ctx: &Context<'_>,
        input: CreateAccountInput,
    ) -> Result<Account> {
        let state = ctx.data::<AppState>()?;
        let actor = actor(ctx)?;
        let draft = AccountDraft {
            login: input.login,
            password: input.password,
            language: input.language,
            person_id: input
                .person_id
                .as_ref()
                .map(|id| parse_id("personId", id))
                .transpose()?,
            roles: input
                .roles
                .into_iter()
                .map(RoleAssignmentInput::into_draft)
                .collect::<ApiResult<_>>()?,
        };
        Ok(Account(
            service::create_account(&state.db, Some(actor.account_id), draft).await?,
        ))
    }

    #[graphql(guard = "Allow::roles(\"updateAccount\", ADMIN)")]
    async fn update_account(
        &self,
        ctx: &Context<'_>,
        id: ID,
        input: UpdateAccountInput,
    ) -> Result<Account> {
        let state = ctx.data::<AppState>()?;
        let actor = actor(ctx)?;
        let id = parse_id("id", &id)?;
        let changes = AccountChanges {
            language: input.language,
            disabled: input.disabled,
            password: input.password,
            cost_per_minute: input.cost_per_minute,
            requests_per_minute: input.requests_per_minute,
            expires_at: match input.expires_at {
                MaybeUndefined::Undefined => None,
                MaybeUndefined::Null => Some(None),
                MaybeUndefined::Value(at) => Some(Some(at)),
            },
            persisted_only: input.persisted_only,
        };
        Ok(Account(
            service::update_account(&state.db, actor.account_id, id, changes).await?,
        ))
    }

    #[graphql(guard = "Allow::roles(\"assignRole\", ADMIN)")]
    async fn assign_role(
        &self,
        ctx: &Context<'_>,
        account_id: ID,
        input: RoleAssignmentInput,
    ) -> Result<Account> {
        let state = ctx.data::<AppState>()?;
        let actor = actor(ctx)?;
        let id = parse_id("accountId", &account_id)?;
        Ok(Account(
            service::assign_role(&state.db, Some(actor.account_id), id, input.into_draft()?)
                .await?,
        ))
    }

    #[graphql(guard = "Allow::roles(\"revokeRole\", ADMIN)")]
    async fn revoke_role(&self, ctx: &Context<'_>, assignment_id: ID) -> Result<Account> {
        let state = ctx.data::<AppState>()?;
        let actor = actor(ctx)?;
        let id = parse_id("assignmentId", &assignment_id)?;
        Ok(Account(
            service::revoke_role(&state.db, actor.account_id, id).await?,
        ))
    }

    /// Turns a person's second factor off (a lost phone): they sign in with the password
    /// alone until they set up a new one. Recorded with who did it.
    #[graphql(guard = "Allow::roles(\"resetSecondFactor\", ADMIN)")]
    async fn reset_second_factor(&self, ctx: &Context<'_>, account_id: ID) -> Result<Account> {
        let state = ctx.data::<AppState>()?;
        let actor = actor(ctx)?;
        let id = parse_id("accountId", &account_id)?;
        Ok(Account(
            super::second_factor::reset(&state.db, actor.account_id, id).await?,
        ))
    }

    /// Registers an integration system or a device; returns its secret once.
    #[graphql(guard = "Allow::roles(\"createClient\", ADMIN)")]
    async fn create_client(
        &self,
        ctx: &Context<'_>,
        input: CreateClientInput,
    ) -> Result<ClientCredentials> {
        let state = ctx.data::<AppState>()?;
        let actor = actor(ctx)?;
        let draft = ClientDraft {
            client_id: input.client_id,
            display_name: input.display_name,
            role: input.role,
            organisation_id: input
                .organisation_id
                .as_ref()
                .map(|id| parse_id("organisationId", id))
                .transpose()?,
            allowed_operations: input.allowed_operations,
            allowed_fields: input.allowed_fields,
            cost_per_minute: input.cost_per_minute,
            requests_per_minute: input.requests_per_minute,
            expires_at: input.expires_at,
            secret: None,
        };
        let (acc, secret) =
            service::create_client(&state.db, Some(actor.account_id), draft).await?;
        Ok(ClientCredentials {
            client_id: acc.login.clone(),
            client_secret: secret,
            account: Account(acc),
        })
    }
}
