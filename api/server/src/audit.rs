//! The audit chain's moving parts in the server: the sealer that runs beside the job runner
//! (`adal serve`, `adal worker`), the HTTP witness of the day heads, and the public list of
//! the heads at `GET /audit/heads`.

use std::sync::Arc;
use std::time::Duration;

use actix_web::{HttpResponse, web};
use futures_util::future::BoxFuture;
use sea_orm::DatabaseConnection;

use adal_core::audit_chain::{self, DayHead, Witness};
use adal_core::settings::Settings;
use adal_core::state::AppState;
use adal_notifications::http::HttpClient;

/// The witness over HTTP: `POST <url>` with the head as JSON
/// (`{"day", "seq", "hash", "events", "publishedAt"}`); any 2xx answer is the receipt, kept as
/// its body says it.
pub struct HttpWitness {
    pub url: String,
    pub token: Option<String>,
    pub client: HttpClient,
}

impl Witness for HttpWitness {
    fn witness<'a>(&'a self, head: &'a DayHead) -> BoxFuture<'a, Result<String, String>> {
        Box::pin(async move {
            let answer = self
                .client
                .post_json_bearer(
                    &self.url,
                    self.token.as_deref(),
                    &serde_json::to_value(head).map_err(|e| e.to_string())?,
                )
                .await
                .map_err(|e| e.to_string())?;
            if !(200..300).contains(&answer.status) {
                return Err(format!("the witness answered {}", answer.status));
            }
            Ok(String::from_utf8_lossy(&answer.body).into_owned())
        })
    }
}

/// The witness the settings name, if any.
pub fn witness(settings: &Settings) -> anyhow::Result<Option<HttpWitness>> {
    let Some(url) = &settings.audit_witness_url else {
        return Ok(None);
    };
    Ok(Some(HttpWitness {
        url: url.clone(),
        token: settings
            .audit_witness_token
            .as_ref()
            .map(|t| t.expose().to_owned()),
        client: HttpClient::new(Duration::from_millis(settings.notify_timeout_ms.max(1)))?,
    }))
}

/// One round: seal new events, publish ended days, send heads to the witness.
pub async fn seal_round(db: &DatabaseConnection, witness: Option<&dyn Witness>) -> u64 {
    let now = chrono::Utc::now();
    let linked = match audit_chain::seal(db, now).await {
        Ok(n) => n,
        Err(e) => {
            e.log_cause();
            tracing::error!(error = %e.message(), "sealing the audit trail failed");
            0
        }
    };
    if let Some(w) = witness
        && let Err(e) = audit_chain::send_to_witness(db, w, now).await
    {
        e.log_cause();
        tracing::error!(error = %e.message(), "sending audit heads to the witness failed");
    }
    linked
}

/// Runs [`seal_round`] every `audit_seal_ms` until stopped; the returned sender stops it.
pub fn spawn_sealer(
    db: DatabaseConnection,
    settings: &Settings,
) -> anyhow::Result<(
    tokio::sync::oneshot::Sender<()>,
    tokio::task::JoinHandle<()>,
)> {
    let witness: Option<Arc<dyn Witness>> =
        witness(settings)?.map(|w| Arc::new(w) as Arc<dyn Witness>);
    let every = Duration::from_millis(settings.audit_seal_ms.max(10));
    let (tx, stop) = adal_core::jobs::stop_signal();
    let handle = tokio::spawn(async move {
        tokio::pin!(stop);
        loop {
            seal_round(&db, witness.as_deref()).await;
            tokio::select! {
                () = &mut stop => break,
                () = tokio::time::sleep(every) => {}
            }
        }
        // What was recorded up to the stop is sealed before the process ends.
        seal_round(&db, witness.as_deref()).await;
    });
    Ok((tx, handle))
}

/// `GET /audit/heads`: the published day heads, newest first (a year of them), for anyone.
async fn heads(state: web::Data<AppState>) -> HttpResponse {
    match audit_chain::heads(&state.db, 366).await {
        Ok(h) => HttpResponse::Ok()
            .insert_header(("Cache-Control", "public, max-age=60"))
            .json(h),
        Err(e) => adal_core::error::refusal(&e),
    }
}

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/audit/heads", web::get().to(heads));
}
