//! Sign-in over GraphQL: `login`, `clientToken`, `refreshSession`, `logout`, `me`.

use async_graphql::{Context, Object, Result};
use chrono::{DateTime, Utc};

use crate::accounts::graphql::{Account, RoleAssignment};
use crate::accounts::second_factor;
use crate::accounts::service as accounts;
use crate::loaders::loaders;
use crate::people::graphql::Person;
use adal_core::auth::Allow;
use adal_core::auth::actor::Actor;
use adal_core::auth::cookie;
use adal_core::auth::guard::{actor, caller};
use adal_core::auth::second_factor as second_factor_rules;
use adal_core::auth::service::{self, Credentials, SessionTokens};
use adal_core::error::ApiError;
use adal_core::loaders::load_err;
use adal_core::state::AppState;
use adal_core::vocab::Language;

/// The signed-in caller.
pub struct Me(pub Actor);

#[Object]
impl Me {
    async fn account(&self, ctx: &Context<'_>) -> Result<Account> {
        let state = ctx.data::<AppState>()?;
        Ok(Account(accounts::get(&state.db, self.0.account_id).await?))
    }
    /// The person behind the account (none for machine clients and staff without one).
    async fn person(&self, ctx: &Context<'_>) -> Result<Option<Person>> {
        let Some(pid) = self.0.person_id else {
            return Ok(None);
        };
        Ok(loaders(ctx)?
            .persons
            .load_one(pid)
            .await
            .map_err(load_err)?
            .map(Person))
    }
    /// The account's saved language: notifications use it, and the portals after sign-in
    /// where the person chose none.
    async fn language(&self) -> Language {
        self.0.saved_language
    }
    /// True when a role of the account requires a second factor it has not set up: until it
    /// is on (`startSecondFactor`, `confirmSecondFactor`), everything else is refused with
    /// `SECOND_FACTOR_SETUP_REQUIRED`, and the portals open the security page.
    async fn second_factor_setup_required(&self, ctx: &Context<'_>) -> Result<bool> {
        let state = ctx.data::<AppState>()?;
        Ok(second_factor_rules::setup_missing(
            &self.0,
            &state.second_factor_roles,
        ))
    }
    /// Role assignments with their scope; a portal per role.
    async fn roles(&self, ctx: &Context<'_>) -> Result<Vec<RoleAssignment>> {
        let mut rows = loaders(ctx)?
            .assignments
            .load_one(self.0.account_id)
            .await
            .map_err(load_err)?
            .unwrap_or_default();
        rows.sort_by_key(|r| r.id);
        Ok(rows.into_iter().map(RoleAssignment).collect())
    }
}

/// A session: a short-lived access token (send as `Authorization: Bearer ...`) and, for people,
/// a refresh token that rotates on every use.
pub struct Session(SessionTokens);

/// The session as answered: with `in_cookie`, its refresh token goes into the portals'
/// `HttpOnly` cookie instead of the answer.
fn answer(ctx: &Context<'_>, mut tokens: SessionTokens, in_cookie: bool) -> Result<Session> {
    if in_cookie && let Some(token) = tokens.refresh_token.take() {
        let ttl = ctx.data::<AppState>()?.keys.refresh_ttl.num_seconds();
        ctx.append_http_header("set-cookie", cookie::keep(&token, ttl));
    }
    Ok(Session(tokens))
}

#[Object]
impl Session {
    async fn access_token(&self) -> &str {
        &self.0.access_token
    }
    async fn expires_at(&self) -> DateTime<Utc> {
        self.0.expires_at
    }
    /// The refresh token; none for machine clients, and none when it was kept in the portals'
    /// cookie.
    async fn refresh_token(&self) -> Option<&str> {
        self.0.refresh_token.as_deref()
    }
    async fn me(&self) -> Me {
        Me(self.0.actor.clone())
    }
}

#[derive(Default)]
pub struct AuthQuery;

#[Object]
impl AuthQuery {
    /// The caller: account, person, language and role assignments.
    #[graphql(guard = "Allow::signed_in(\"me\")")]
    async fn me(&self, ctx: &Context<'_>) -> Result<Me> {
        Ok(Me(actor(ctx)?.clone()))
    }
}

#[derive(Default)]
pub struct AuthMutation;

#[Object]
impl AuthMutation {
    /// Signs a person in. Repeated failures slow down and lock; the message never tells
    /// whether the login exists. An account with a second factor also sends `code`, the six
    /// digits its authenticator app shows: without it the answer is `UNAUTHENTICATED` with
    /// reason `SECOND_FACTOR_REQUIRED`, with a wrong one `SECOND_FACTOR_INCORRECT`.
    ///
    /// With `refreshInCookie` (the portals), the refresh token is not in the answer but in an
    /// `HttpOnly; Secure; SameSite=Strict` cookie that only `/graphql` receives, out of reach
    /// of any script on the page; `refreshSession` and `logout` then use it when called
    /// without a token.
    #[graphql(guard = "Allow::public(\"login\")")]
    async fn login(
        &self,
        ctx: &Context<'_>,
        login: String,
        password: String,
        code: Option<String>,
        #[graphql(default)] refresh_in_cookie: bool,
    ) -> Result<Session> {
        let state = ctx.data::<AppState>()?;
        let addr = caller(ctx).client_addr.clone();
        let s = service::sign_in(
            state,
            Credentials::Person,
            &login,
            &password,
            code.as_deref(),
            addr.as_deref(),
        )
        .await?;
        answer(ctx, s, refresh_in_cookie)
    }

    /// Signs a machine client (integration system, device) in with its id and secret.
    #[graphql(guard = "Allow::public(\"clientToken\")")]
    async fn client_token(
        &self,
        ctx: &Context<'_>,
        client_id: String,
        client_secret: String,
    ) -> Result<Session> {
        let state = ctx.data::<AppState>()?;
        let addr = caller(ctx).client_addr.clone();
        let s = service::sign_in(
            state,
            Credentials::Client,
            &client_id,
            &client_secret,
            None,
            addr.as_deref(),
        )
        .await?;
        Ok(Session(s))
    }

    /// Exchanges a refresh token for a new session; the old refresh token stops working.
    /// Without `refreshToken`, the portals' cookie is used, and the new token goes back into
    /// it; a session that cannot be renewed also clears the cookie.
    #[graphql(guard = "Allow::public(\"refreshSession\")")]
    async fn refresh_session(
        &self,
        ctx: &Context<'_>,
        refresh_token: Option<String>,
    ) -> Result<Session> {
        let state = ctx.data::<AppState>()?;
        let (token, in_cookie) = match refresh_token {
            Some(t) => (t, false),
            None => match caller(ctx).refresh_cookie.clone() {
                Some(t) => (t, true),
                None => {
                    return Err(ApiError::UnauthenticatedBecause(
                        "no session to renew: sign in".into(),
                    )
                    .into());
                }
            },
        };
        match service::refresh(state, &token).await {
            Ok(s) => answer(ctx, s, in_cookie),
            Err(e) => {
                if in_cookie {
                    ctx.append_http_header("set-cookie", cookie::forget());
                }
                Err(e.into())
            }
        }
    }

    /// Ends the session of a refresh token (and every token rotated from it). Without
    /// `refreshToken`, the session of the portals' cookie ends and the cookie is cleared.
    #[graphql(guard = "Allow::public(\"logout\")")]
    async fn logout(&self, ctx: &Context<'_>, refresh_token: Option<String>) -> Result<bool> {
        let state = ctx.data::<AppState>()?;
        match refresh_token {
            Some(t) => service::sign_out(state, &t).await?,
            None => {
                if let Some(t) = caller(ctx).refresh_cookie.clone() {
                    service::sign_out(state, &t).await?;
                    ctx.append_http_header("set-cookie", cookie::forget());
                }
            }
        }
        Ok(true)
    }

    /// Starts setting up a second factor for the caller's own sign-in: the secret to add to an
    /// authenticator app (typed in, or its `otpauthUrl` as a QR code), shown this once. It is
    /// on once `confirmSecondFactor` receives the app's first code.
    #[graphql(guard = "Allow::signed_in(\"startSecondFactor\")")]
    async fn start_second_factor(&self, ctx: &Context<'_>) -> Result<second_factor::Setup> {
        let state = ctx.data::<AppState>()?;
        Ok(second_factor::start(&state.db, actor(ctx)?.account_id).await?)
    }

    /// Turns the caller's second factor on with the authenticator app's first code; from now
    /// on each sign-in needs a code.
    #[graphql(guard = "Allow::signed_in(\"confirmSecondFactor\")")]
    async fn confirm_second_factor(&self, ctx: &Context<'_>, code: String) -> Result<Account> {
        let state = ctx.data::<AppState>()?;
        Ok(Account(
            second_factor::confirm(&state.db, actor(ctx)?.account_id, &code).await?,
        ))
    }

    /// Remembers the caller's language.
    #[graphql(guard = "Allow::signed_in(\"setMyLanguage\")")]
    async fn set_my_language(&self, ctx: &Context<'_>, language: Language) -> Result<Me> {
        let state = ctx.data::<AppState>()?;
        let actor = actor(ctx)?;
        Ok(Me(service::set_language(state, actor, language).await?))
    }
}
