//! A person's second factor (an authenticator app's codes, `adal_core::auth::second_factor`):
//! set up by the person, confirmed by their first code, reset by an administrator when the
//! phone is lost. Each step is on the audit trail; the secret never is.

use chrono::Utc;
use sea_orm::{ActiveModelTrait, IntoActiveModel, Set};
use serde_json::json;

use entities::account;

use adal_core::audit;
use adal_core::auth::second_factor::{self, SignInRefusal};
use adal_core::db::begin_write;
use adal_core::error::{ApiError, ApiResult};

use super::service::get;

/// A second factor being set up: the authenticator app's secret, shown this once.
#[derive(async_graphql::SimpleObject)]
#[graphql(name = "SecondFactorSetup")]
pub struct Setup {
    /// Base32, for typing into the app.
    pub secret: String,
    /// `otpauth://totp/...`, for the app to read from a QR code.
    pub otpauth_url: String,
}

fn refused(reason: SignInRefusal, message: &str) -> ApiError {
    ApiError::ConflictBecause {
        reason: reason.into(),
        message: message.into(),
    }
}

/// A person's own account whose second factor is not on yet (a machine client has none).
async fn own_without_factor(
    txn: &sea_orm::DatabaseTransaction,
    account_id: i64,
) -> ApiResult<account::Model> {
    let acc = get(txn, account_id).await?;
    if acc.kind != "user" {
        return Err(ApiError::Forbidden);
    }
    if acc.totp_confirmed_at.is_some() {
        return Err(refused(
            SignInRefusal::SecondFactorAlreadyOn,
            "the second factor is on; an administrator resets it before a new one is set up",
        ));
    }
    Ok(acc)
}

/// Starts (or starts again) setting up the second factor of a person's own account: a new
/// secret, kept unconfirmed until [`confirm`]. Refused when one is on already.
pub async fn start(db: &sea_orm::DatabaseConnection, account_id: i64) -> ApiResult<Setup> {
    let txn = begin_write(db).await?;
    let acc = own_without_factor(&txn, account_id).await?;
    let secret = second_factor::new_secret();
    let otpauth_url = second_factor::otpauth_url(&acc.login, &secret);
    let mut am = acc.into_active_model();
    am.totp_secret = Set(Some(secret.clone()));
    am.totp_last_step = Set(None);
    am.updated_at = Set(Utc::now());
    am.update(&txn).await?;
    audit::record(
        &txn,
        Some(account_id),
        "account.second_factor.start",
        "account",
        account_id,
        json!({}),
    )
    .await?;
    txn.commit().await?;
    Ok(Setup {
        secret,
        otpauth_url,
    })
}

/// Confirms the second factor being set up with the app's first code: from now on every
/// sign-in of the account needs one.
pub async fn confirm(
    db: &sea_orm::DatabaseConnection,
    account_id: i64,
    code: &str,
) -> ApiResult<account::Model> {
    let txn = begin_write(db).await?;
    let acc = own_without_factor(&txn, account_id).await?;
    if acc.totp_secret.is_none() {
        return Err(refused(
            SignInRefusal::SecondFactorNotStarted,
            "no second factor is being set up",
        ));
    }
    if !adal_core::auth::service::use_code(&txn, &acc, code).await? {
        return Err(ApiError::BadInputBecause {
            field: "code".into(),
            reason: SignInRefusal::SecondFactorIncorrect.into(),
            value: String::new(),
            message: "the code is not the one the authenticator app shows now".into(),
        });
    }
    let mut am = get(&txn, account_id).await?.into_active_model();
    am.totp_confirmed_at = Set(Some(Utc::now()));
    am.updated_at = Set(Utc::now());
    let model = am.update(&txn).await?;
    audit::record(
        &txn,
        Some(account_id),
        "account.second_factor.on",
        "account",
        account_id,
        json!({}),
    )
    .await?;
    txn.commit().await?;
    Ok(model)
}

/// An administrator turns a person's second factor off (a lost phone): the person signs in
/// with the password alone until they set up a new one.
pub async fn reset(
    db: &sea_orm::DatabaseConnection,
    actor_account: i64,
    account_id: i64,
) -> ApiResult<account::Model> {
    let txn = begin_write(db).await?;
    let acc = get(&txn, account_id).await?;
    let was_on = acc.totp_confirmed_at.is_some();
    let mut am = acc.into_active_model();
    am.totp_secret = Set(None);
    am.totp_confirmed_at = Set(None);
    am.totp_last_step = Set(None);
    am.updated_at = Set(Utc::now());
    let model = am.update(&txn).await?;
    audit::record(
        &txn,
        Some(actor_account),
        "account.second_factor.reset",
        "account",
        account_id,
        json!({ "wasOn": was_on }),
    )
    .await?;
    txn.commit().await?;
    Ok(model)
}
