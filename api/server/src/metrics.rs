//! `GET /metrics`: the process's counters and, read when scraped, the job queue, the outbox
//! backlog and the database pool. Only the addresses `metrics_allow` names get an answer;
//! anyone else gets 404, as for a path that does not exist. Behind a reverse proxy the client
//! is the one the trusted proxies name, not the proxy.

use actix_web::{HttpRequest, HttpResponse, web};
use chrono::Utc;
use sea_orm::DbBackend;

use adal_core::metrics::Metrics;
use adal_core::state::AppState;

pub async fn metrics(req: HttpRequest, state: web::Data<AppState>) -> HttpResponse {
    // The client behind trusted proxies: a proxy on this host must not admit the internet.
    let admitted = adal_core::net::client_addr(&req, &state.trusted_proxies)
        .is_some_and(|client| state.metrics_allow.admits(client));
    if !admitted {
        return HttpResponse::NotFound().finish();
    }
    let now = Utc::now();
    let m = &state.metrics;
    match adal_core::jobs::queue_stats(&state.db, now).await {
        Ok((counts, oldest)) => {
            Metrics::set_counts(
                &m.jobs,
                "status",
                &counts,
                &["queued", "running", "completed", "failed"],
            );
            m.jobs_oldest_age.set(oldest);
        }
        Err(e) => tracing::warn!(error = %e.message(), "job figures for /metrics"),
    }
    match adal_notifications::outbox::backlog(&state.db, now).await {
        Ok((counts, lag)) => {
            Metrics::set_counts(&m.outbox, "status", &counts, &[]);
            m.outbox_lag.set(lag);
        }
        Err(e) => tracing::warn!(error = %e.message(), "outbox figures for /metrics"),
    }
    let (size, idle, max) = match state.db.get_database_backend() {
        DbBackend::Postgres => {
            let p = state.db.get_postgres_connection_pool();
            (p.size(), p.num_idle(), p.options().get_max_connections())
        }
        DbBackend::Sqlite => {
            let p = state.db.get_sqlite_connection_pool();
            (p.size(), p.num_idle(), p.options().get_max_connections())
        }
        _ => (0, 0, 0),
    };
    let in_use = i64::from(size) - idle as i64;
    Metrics::set_counts(
        &m.pool,
        "state",
        &[
            ("in_use".to_owned(), in_use.max(0)),
            ("idle".to_owned(), idle as i64),
            ("max".to_owned(), i64::from(max)),
        ],
        &[],
    );
    HttpResponse::Ok()
        .content_type("application/openmetrics-text; version=1.0.0; charset=utf-8")
        .body(m.render())
}
