//! Sign-in rules: passwords and client secrets, throttling, session rotation, sign-out.

use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, Set};

use entities::account;

use super::actor::Actor;
use super::{password, throttle, tokens};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use crate::vocab::Language;

/// A signed-in session: the access token, and for people a refresh token.
pub struct SessionTokens {
    pub access_token: String,
    pub expires_at: DateTime<Utc>,
    pub refresh_token: Option<String>,
    pub actor: Actor,
}

const WRONG_CREDENTIALS: &str = "login or password is incorrect";

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Credentials {
    /// A person's login and password.
    Person,
    /// A machine client's id and secret.
    Client,
}

/// Checks credentials with throttling; the answer never tells whether the login exists.
pub async fn sign_in(
    state: &AppState,
    kind: Credentials,
    login: &str,
    secret: &str,
    client_addr: Option<&str>,
) -> ApiResult<SessionTokens> {
    let db = &state.db;
    let keys = throttle::keys(login, client_addr);
    throttle::check(db, &keys).await?;

    let found = account::Entity::find()
        .filter(account::Column::Login.eq(login.trim()))
        .one(db)
        .await?;
    let wanted_kind = match kind {
        Credentials::Person => "user",
        Credentials::Client => "client",
    };
    let ok = match &found {
        Some(acc) => {
            let verified = password::verify(secret, &acc.password_hash);
            verified && !acc.disabled && acc.kind == wanted_kind
        }
        None => {
            password::verify_dummy(secret);
            false
        }
    };
    let actor = match (ok, &found) {
        (true, Some(acc)) => Actor::load(db, acc.id).await?,
        _ => None,
    };
    let Some(actor) = actor else {
        let delay = throttle::record_failure(db, &state.throttle, &keys).await?;
        tokio::time::sleep(delay).await;
        tracing::info!(outcome = "refused", "sign-in");
        return Err(ApiError::UnauthenticatedBecause(WRONG_CREDENTIALS.into()));
    };
    throttle::clear_login(db, &keys).await?;
    let (access_token, expires_at) = state.keys.issue_access(actor.account_id)?;
    let refresh_token = match kind {
        Credentials::Person => {
            Some(tokens::issue_refresh(db, &state.keys, actor.account_id, None).await?)
        }
        Credentials::Client => None,
    };
    tracing::info!(account.id = actor.account_id, outcome = "ok", "sign-in");
    Ok(SessionTokens {
        access_token,
        expires_at,
        refresh_token,
        actor,
    })
}

/// Exchanges a refresh token for a new access token and the next refresh token.
pub async fn refresh(state: &AppState, refresh_token: &str) -> ApiResult<SessionTokens> {
    // No transaction: revoking a reused token's family must stick even though the call fails,
    // and consuming is one conditional update, so two concurrent refreshes cannot both win.
    let db = &state.db;
    let (account_id, family) = tokens::consume_refresh(db, refresh_token).await?;
    let Some(actor) = Actor::load(db, account_id).await? else {
        tokens::revoke_family(db, &family).await?;
        return Err(ApiError::Unauthenticated);
    };
    let next = tokens::issue_refresh(db, &state.keys, account_id, Some(family)).await?;
    let (access_token, expires_at) = state.keys.issue_access(account_id)?;
    Ok(SessionTokens {
        access_token,
        expires_at,
        refresh_token: Some(next),
        actor,
    })
}

pub async fn sign_out(state: &AppState, refresh_token: &str) -> ApiResult<()> {
    tokens::revoke(&state.db, refresh_token).await
}

pub async fn set_language(state: &AppState, actor: &Actor, language: Language) -> ApiResult<Actor> {
    let Some(acc) = account::Entity::find_by_id(actor.account_id)
        .one(&state.db)
        .await?
    else {
        return Err(ApiError::Unauthenticated);
    };
    let mut am = acc.into_active_model();
    am.language = Set(language.as_str().to_owned());
    am.updated_at = Set(Utc::now());
    am.update(&state.db).await?;
    Ok(Actor {
        language,
        ..actor.clone()
    })
}
