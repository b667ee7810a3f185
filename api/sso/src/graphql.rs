//! GraphQL of single sign-on: registering resources (the operator's admin, a school admin for
//! its schools), a parent's permission per child and resource, and the record of sign-ins.

use async_graphql::{Context, ID, InputObject, Object, Result, SimpleObject};
use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use adal_core::auth::guard::actor;
use adal_core::auth::{Allow, Role};
use adal_core::error::ApiError;
use adal_core::sql::parse_id;
use adal_core::state::AppState;
use entities::{sso_client, sso_client_school};

use crate::service::{self, NewClient};

const MANAGERS: &[Role] = &[Role::OperatorAdmin, Role::SchoolAdmin];
const PARENT: &[Role] = &[Role::Parent];
/// The people who sign in to resources with an account: teachers (school staff), parents and
/// pupils with the login their school issued.
const RESOURCE_USERS: &[Role] = &[
    Role::SchoolAdmin,
    Role::SchoolStaff,
    Role::Parent,
    Role::Pupil,
];

fn state<'a>(ctx: &'a Context<'_>) -> Result<&'a AppState> {
    ctx.data::<AppState>()
}

/// A registered resource (its secret is never shown again).
pub struct SsoClient {
    client: sso_client::Model,
    schools: Vec<sso_client_school::Model>,
}

#[Object]
impl SsoClient {
    async fn id(&self) -> ID {
        ID(self.client.id.to_string())
    }
    /// The `client_id` the resource presents.
    async fn client_id(&self) -> &str {
        &self.client.client_id
    }
    async fn name(&self) -> &str {
        &self.client.name
    }
    async fn redirect_uris(&self) -> Vec<String> {
        service::redirect_uris(&self.client)
    }
    /// The scopes it may ask for.
    async fn scopes(&self) -> Vec<String> {
        self.client
            .scopes
            .split_whitespace()
            .map(str::to_owned)
            .collect()
    }
    /// Whether it may receive the pupil's school and class (with consent).
    async fn school_and_class(&self) -> bool {
        self.client.school_and_class
    }
    async fn school_ids(&self) -> Vec<ID> {
        self.schools
            .iter()
            .map(|s| ID(s.school_id.to_string()))
            .collect()
    }
    /// Whether the schools let their pupils sign in here with their PIN.
    async fn pupil_pin(&self) -> bool {
        self.schools.iter().any(|s| s.pupil_pin)
    }
    /// Whether the schools let their pupils sign in here with the login the school issued.
    async fn pupil_login(&self) -> bool {
        self.schools.iter().any(|s| s.pupil_login)
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.client.created_at
    }
    /// Disabled resources can start no sign-in, exchange no code and read no userinfo.
    async fn disabled(&self) -> bool {
        self.client.disabled
    }
}

/// One resource with its schools.
async fn one_with_schools(state: &AppState, client: sso_client::Model) -> Result<SsoClient> {
    let mut clients = with_schools(state, vec![client]).await?;
    Ok(clients.pop().ok_or(ApiError::NotFound("client"))?)
}

async fn with_schools(state: &AppState, clients: Vec<sso_client::Model>) -> Result<Vec<SsoClient>> {
    let ids: Vec<i64> = clients.iter().map(|c| c.id).collect();
    let schools = sso_client_school::Entity::find()
        .filter(sso_client_school::Column::ClientPk.is_in(ids))
        .all(&state.db)
        .await
        .map_err(ApiError::from)?;
    Ok(clients
        .into_iter()
        .map(|client| SsoClient {
            schools: schools
                .iter()
                .filter(|s| s.client_pk == client.id)
                .cloned()
                .collect(),
            client,
        })
        .collect())
}

#[derive(SimpleObject)]
pub struct SsoClientRegistered {
    pub client: SsoClient,
    /// Shown this once; Adal keeps only its hash.
    pub client_secret: String,
}

#[derive(InputObject)]
pub struct SsoClientInput {
    pub name: String,
    /// Exact redirect URIs (https; http only for localhost).
    pub redirect_uris: Vec<String>,
    /// `openid`, and `profile` (role, language) and/or `school` (school and class).
    pub scopes: Vec<String>,
    pub school_and_class: bool,
    /// The schools that use it (a school admin: only their own, at least one).
    pub school_ids: Vec<ID>,
    /// The schools let their pupils sign in with their PIN.
    pub pupil_pin: bool,
    /// The schools let their pupils sign in with the login the school issued them
    /// (`issuePupilLogin`).
    #[graphql(default)]
    pub pupil_login: bool,
}

/// A resource a child's schools use, and whether the parent allowed it.
#[derive(SimpleObject)]
pub struct SsoChildResource {
    pub client_id: String,
    pub name: String,
    pub allowed: bool,
    /// Whether the child needs the parent's permission (under 14, or of unknown age); from
    /// 14 the child decides on the consent page.
    pub needs_permission: bool,
}

impl From<service::ChildResource> for SsoChildResource {
    fn from(r: service::ChildResource) -> Self {
        Self {
            client_id: r.client.client_id,
            name: r.client.name,
            allowed: r.allowed,
            needs_permission: r.needs_permission,
        }
    }
}

/// One sign-in to a resource.
#[derive(SimpleObject)]
pub struct SsoSignIn {
    pub at: DateTime<Utc>,
    pub resource: String,
    /// `pupil`, `teacher` or `parent`.
    pub role: String,
}

#[derive(Default)]
pub struct SsoQuery;

#[Object]
impl SsoQuery {
    /// The resources registered for the caller's schools (the operator's admin: all).
    #[graphql(guard = "Allow::roles(\"ssoClients\", MANAGERS)")]
    async fn sso_clients(&self, ctx: &Context<'_>) -> Result<Vec<SsoClient>> {
        let s = state(ctx)?;
        let clients = service::clients(&s.db, actor(ctx)?).await?;
        with_schools(s, clients).await
    }

    /// The resources a child's schools use, with the parent's decision on each.
    #[graphql(guard = "Allow::roles(\"ssoChildResources\", PARENT)")]
    async fn sso_child_resources(
        &self,
        ctx: &Context<'_>,
        child_id: ID,
    ) -> Result<Vec<SsoChildResource>> {
        let child = parse_id("childId", &child_id)?;
        let s = state(ctx)?;
        Ok(
            service::child_resources(&s.db, actor(ctx)?, child, s.settings.clock.now())
                .await?
                .into_iter()
                .map(Into::into)
                .collect(),
        )
    }

    /// The caller's sign-ins to resources, or (a parent) a child's; newest first.
    #[graphql(guard = "Allow::roles(\"ssoSignIns\", RESOURCE_USERS)")]
    async fn sso_sign_ins(
        &self,
        ctx: &Context<'_>,
        child_id: Option<ID>,
    ) -> Result<Vec<SsoSignIn>> {
        let child = child_id
            .as_ref()
            .map(|c| parse_id("childId", c))
            .transpose()?;
        Ok(service::sign_ins(&state(ctx)?.db, actor(ctx)?, child)
            .await?
            .into_iter()
            .map(|r| SsoSignIn {
                at: r.at,
                resource: r.client_name,
                role: r.role,
            })
            .collect())
    }
}

#[derive(Default)]
pub struct SsoMutation;

#[Object]
impl SsoMutation {
    /// Registers a resource; its secret is in the answer, once.
    #[graphql(guard = "Allow::roles(\"registerSsoClient\", MANAGERS)")]
    async fn register_sso_client(
        &self,
        ctx: &Context<'_>,
        input: SsoClientInput,
    ) -> Result<SsoClientRegistered> {
        let s = state(ctx)?;
        let school_ids = input
            .school_ids
            .iter()
            .map(|i| parse_id("schoolIds", i))
            .collect::<Result<Vec<_>, _>>()?;
        let new = NewClient {
            name: input.name,
            redirect_uris: input.redirect_uris,
            scopes: input.scopes,
            school_and_class: input.school_and_class,
            school_ids,
            pupil_pin: input.pupil_pin,
            pupil_login: input.pupil_login,
        };
        let (client, secret) = service::register_client(s, actor(ctx)?, new).await?;
        Ok(SsoClientRegistered {
            client: one_with_schools(s, client).await?,
            client_secret: secret,
        })
    }

    /// Disables a resource (its access tokens are revoked at once), or enables it again; the
    /// reason goes on the audit trail.
    #[graphql(guard = "Allow::roles(\"setSsoClientDisabled\", MANAGERS)")]
    async fn set_sso_client_disabled(
        &self,
        ctx: &Context<'_>,
        client_id: String,
        disabled: bool,
        reason: String,
    ) -> Result<SsoClient> {
        let s = state(ctx)?;
        let client =
            service::set_client_disabled(s, actor(ctx)?, &client_id, disabled, &reason).await?;
        one_with_schools(s, client).await
    }

    /// Gives a resource a new secret, in the answer once; the old one stops working at once.
    #[graphql(guard = "Allow::roles(\"rotateSsoClientSecret\", MANAGERS)")]
    async fn rotate_sso_client_secret(
        &self,
        ctx: &Context<'_>,
        client_id: String,
    ) -> Result<SsoClientRegistered> {
        let s = state(ctx)?;
        let (client, secret) = service::rotate_client_secret(s, actor(ctx)?, &client_id).await?;
        Ok(SsoClientRegistered {
            client: one_with_schools(s, client).await?,
            client_secret: secret,
        })
    }

    /// A parent allows a resource for a child under 14 (or withdraws it: its tokens end).
    #[graphql(guard = "Allow::roles(\"setSsoChildConsent\", PARENT)")]
    async fn set_sso_child_consent(
        &self,
        ctx: &Context<'_>,
        child_id: ID,
        client_id: String,
        allowed: bool,
    ) -> Result<SsoChildResource> {
        let child = parse_id("childId", &child_id)?;
        Ok(
            service::set_child_consent(state(ctx)?, actor(ctx)?, child, &client_id, allowed)
                .await?
                .into(),
        )
    }
}
