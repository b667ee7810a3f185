//! Sign-in rules: passwords and client secrets, throttling, session rotation, sign-out.

use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, Set};

use entities::account;

use super::actor::Actor;
use super::second_factor::{self, SignInRefusal};
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

/// The account behind a login and password (or a client id and secret), throttled; the
/// answer never tells whether the login exists. An account with a second factor also needs
/// `code`, the authenticator app's code of the moment: without it the answer is
/// `SECOND_FACTOR_REQUIRED` (the attempt stays counted), with a wrong one
/// `SECOND_FACTOR_INCORRECT` (a failure, as a wrong password). Issues nothing: [`sign_in`]
/// starts a session, single sign-on signs the person in to a resource.
pub async fn authenticate(
    state: &AppState,
    kind: Credentials,
    login: &str,
    secret: &str,
    code: Option<&str>,
    client_addr: Option<&str>,
) -> ApiResult<Actor> {
    let db = &state.db;
    let attempt = throttle::Attempt::new(&state.throttle, login, client_addr);
    let reservation = throttle::reserve(db, &state.throttle, &attempt).await?;
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
            let verified = password::verify_blocking(secret, &acc.password_hash).await;
            verified && !acc.disabled && acc.kind == wanted_kind
        }
        None => {
            password::verify_dummy_blocking(secret).await;
            false
        }
    };
    // Its secret proved, an expired client is told why (its operators ask for an extension).
    if let Some(at) = found
        .as_ref()
        .filter(|_| ok)
        .and_then(|a| a.expires_at)
        .filter(|at| *at <= chrono::Utc::now())
    {
        tracing::info!(outcome = "expired", "sign-in");
        return Err(ApiError::UnauthenticatedFor {
            reason: SignInRefusal::AccountExpired.into(),
            message: format!(
                "this client's access expired at {}: ask the operator to extend it",
                at.to_rfc3339()
            ),
        });
    }
    let actor = match (ok, &found) {
        (true, Some(acc)) => Actor::load(db, acc.id).await?,
        _ => None,
    };
    let Some(actor) = actor else {
        let delay = throttle::failed(db, &state.throttle, &attempt, &reservation).await?;
        tokio::time::sleep(delay).await;
        tracing::info!(outcome = "refused", "sign-in");
        return Err(ApiError::UnauthenticatedBecause(WRONG_CREDENTIALS.into()));
    };
    if let Some(acc) = found.as_ref().filter(|a| a.totp_confirmed_at.is_some()) {
        let Some(code) = code.filter(|c| !c.trim().is_empty()) else {
            tracing::info!(outcome = "second factor required", "sign-in");
            return Err(ApiError::UnauthenticatedFor {
                reason: SignInRefusal::SecondFactorRequired.into(),
                message: "enter the code your authenticator app shows".into(),
            });
        };
        if !use_code(db, acc, code).await? {
            let delay = throttle::failed(db, &state.throttle, &attempt, &reservation).await?;
            tokio::time::sleep(delay).await;
            tracing::info!(outcome = "second factor refused", "sign-in");
            return Err(ApiError::UnauthenticatedFor {
                reason: SignInRefusal::SecondFactorIncorrect.into(),
                message: "the code is not the one your authenticator app shows now".into(),
            });
        }
    }
    throttle::succeeded(db, &attempt).await?;
    Ok(actor)
}

/// Takes `code` as the account's second factor if it is the code of this moment and newer
/// than the last one used: one atomic update, so of two sign-ins with one code only one
/// passes.
pub async fn use_code(
    db: &impl sea_orm::ConnectionTrait,
    acc: &account::Model,
    code: &str,
) -> ApiResult<bool> {
    let Some(secret) = acc.totp_secret.as_deref() else {
        return Ok(false);
    };
    let now = u64::try_from(Utc::now().timestamp()).unwrap_or_default();
    let Some(step) = second_factor::matching_step(secret, code, now, acc.totp_last_step)? else {
        return Ok(false);
    };
    let unused = sea_orm::Condition::any()
        .add(account::Column::TotpLastStep.is_null())
        .add(account::Column::TotpLastStep.lt(step));
    let taken = account::Entity::update_many()
        .col_expr(
            account::Column::TotpLastStep,
            sea_orm::sea_query::Expr::value(step),
        )
        .filter(account::Column::Id.eq(acc.id))
        .filter(unused)
        .exec(db)
        .await?;
    Ok(taken.rows_affected == 1)
}

/// Checks credentials with throttling; the answer never tells whether the login exists.
pub async fn sign_in(
    state: &AppState,
    kind: Credentials,
    login: &str,
    secret: &str,
    code: Option<&str>,
    client_addr: Option<&str>,
) -> ApiResult<SessionTokens> {
    let db = &state.db;
    let actor = authenticate(state, kind, login, secret, code, client_addr).await?;
    let (access_token, expires_at) = state
        .keys
        .issue_access(actor.account_id, actor.session_epoch)?;
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
    // One write transaction: of two refreshes with one token, the second waits for the first
    // to commit its successor, then finds the token used: it takes it back once if the
    // successor is still unused, or else revokes the whole family. A refused refresh commits
    // too, so a revocation sticks.
    let txn = crate::db::begin_write(&state.db).await?;
    let session = match tokens::consume_refresh(&txn, &state.keys, refresh_token).await {
        Ok(s) => s,
        Err(e) => {
            txn.commit().await?;
            return Err(e);
        }
    };
    let account_id = session.account_id;
    let Some(actor) = Actor::load(&txn, account_id).await? else {
        tokens::revoke_family(&txn, &session.family).await?;
        txn.commit().await?;
        return Err(ApiError::Unauthenticated);
    };
    let next = tokens::issue_refresh(&txn, &state.keys, account_id, Some(session)).await?;
    txn.commit().await?;
    let (access_token, expires_at) = state.keys.issue_access(account_id, actor.session_epoch)?;
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
        saved_language: language,
        ..actor.clone()
    })
}
