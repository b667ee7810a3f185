//! Housekeeping: deletes the sign-in material that has expired and can serve nothing, so that
//! the tables of secrets hold only what is alive: refresh tokens, failed sign-in counters, and
//! the resources' authorization requests, codes and access tokens, each kept a day past its
//! expiry. Runs with the job runner (`adal serve`, `adal worker`) every
//! `ADAL_HOUSEKEEPING_SECS`; instances sharing a database may run it at once (each deletes what
//! it finds).

use std::time::Duration;

use chrono::{DateTime, Utc};
use sea_orm::DatabaseConnection;

use adal_core::error::ApiResult;

/// How many rows one round deleted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Purged {
    pub refresh_tokens: u64,
    pub sign_in_counters: u64,
    pub resource_sign_ins: u64,
}

/// One round, as of `now`.
pub async fn purge(db: &DatabaseConnection, now: DateTime<Utc>) -> ApiResult<Purged> {
    Ok(Purged {
        refresh_tokens: adal_core::auth::tokens::purge_expired(db, now).await?,
        sign_in_counters: adal_core::auth::throttle::purge_stale(db, now).await?,
        resource_sign_ins: adal_sso::service::purge_spent(db, now).await?,
    })
}

/// Runs [`purge`] now and every `every` until stopped; the returned sender stops it.
pub fn spawn(
    db: DatabaseConnection,
    every: Duration,
) -> (
    tokio::sync::oneshot::Sender<()>,
    tokio::task::JoinHandle<()>,
) {
    let (tx, stop) = adal_core::jobs::stop_signal();
    let handle = tokio::spawn(async move {
        tokio::pin!(stop);
        loop {
            match purge(&db, Utc::now()).await {
                Ok(p) if p != Purged::default() => tracing::info!(
                    refresh_tokens = p.refresh_tokens,
                    sign_in_counters = p.sign_in_counters,
                    resource_sign_ins = p.resource_sign_ins,
                    "expired sign-in material deleted"
                ),
                Ok(_) => {}
                Err(e) => {
                    e.log_cause();
                    tracing::error!(error = %e.message(), "housekeeping failed");
                }
            }
            tokio::select! {
                () = &mut stop => break,
                () = tokio::time::sleep(every) => {}
            }
        }
    });
    (tx, handle)
}
