//! An integration client's registered operations and its use of the API, in GraphQL: the
//! client registers what it will run; the operator reads both on the client's account.

use async_graphql::{Context, Object, Result, SimpleObject};
use chrono::{DateTime, NaiveDate, Utc};

use entities::{client_usage, persisted_operation};

use adal_core::auth::guard::actor;
use adal_core::auth::{Allow, Role};
use adal_core::clients;
use adal_core::clock::local_day;
use adal_core::state::AppState;

/// An operation a client registered: it may send the hash in place of the text.
pub struct PersistedOperation(pub persisted_operation::Model);

#[Object]
impl PersistedOperation {
    /// The SHA-256 of the text, in lowercase hex: sent as
    /// `extensions.persistedQuery.sha256Hash`.
    async fn hash(&self) -> &str {
        &self.0.hash
    }
    /// The operation's name, when the text names its one operation.
    async fn name(&self) -> Option<&str> {
        self.0.name.as_deref()
    }
    async fn query(&self) -> &str {
        &self.0.query
    }
    async fn registered_at(&self) -> DateTime<Utc> {
        self.0.registered_at
    }
}

/// One day (Almaty time) of a client's use.
#[derive(SimpleObject)]
pub struct ClientUsageDay {
    pub day: NaiveDate,
    pub calls: i64,
    /// The query complexity its calls spent, of the budget it has per minute.
    pub cost: i64,
    /// Calls refused: over its budget (`RATE_LIMITED`), an operation it was not granted or did
    /// not register (`FORBIDDEN`), an expired or wrong token (`UNAUTHENTICATED`).
    pub refusals: i64,
    /// Personal fields its answers carried masked, for want of their grant.
    pub masked: i64,
}

impl From<client_usage::Model> for ClientUsageDay {
    fn from(m: client_usage::Model) -> Self {
        Self {
            day: m.day,
            calls: m.calls,
            cost: m.cost,
            refusals: m.refusals,
            masked: m.masked,
        }
    }
}

/// A client's use on the last `days` days, newest first (`clients::usage`).
pub async fn usage(ctx: &Context<'_>, account_id: i64, days: i32) -> Result<Vec<ClientUsageDay>> {
    let state = ctx.data::<AppState>()?;
    let today = local_day(state.settings.clock.now());
    Ok(clients::usage(&state.db, account_id, today, days)
        .await?
        .into_iter()
        .map(ClientUsageDay::from)
        .collect())
}

/// A client's registered operations, oldest first.
pub async fn operations(ctx: &Context<'_>, account_id: i64) -> Result<Vec<PersistedOperation>> {
    let state = ctx.data::<AppState>()?;
    Ok(clients::operations(&state.db, account_id)
        .await?
        .into_iter()
        .map(PersistedOperation)
        .collect())
}

const INTEGRATION: &[Role] = &[Role::Integration];

#[derive(Default)]
pub struct ClientsMutation;

#[Object]
impl ClientsMutation {
    /// Registers an operation this integration client will run, so that it may send its hash
    /// in place of its text (registering one twice changes nothing). Refused with
    /// `REGISTRATION_CLOSED` while the operator requires registered operations only.
    #[graphql(guard = "Allow::roles(\"registerOperation\", INTEGRATION)")]
    async fn register_operation(
        &self,
        ctx: &Context<'_>,
        query: String,
    ) -> Result<PersistedOperation> {
        let state = ctx.data::<AppState>()?;
        let actor = actor(ctx)?;
        let now = state.settings.clock.now();
        Ok(PersistedOperation(
            clients::register(&state.db, actor, &query, now).await?,
        ))
    }
}
