//! `Application::build(settings)`: the one way `main`, tests, benchmarks and the e2e suite start
//! Adal. It connects, migrates, binds (port 0 picks a free port) and returns the address.

use std::net::{SocketAddr, TcpListener};
use std::time::Instant;

use actix_web::dev::Server;
use actix_web::middleware::{Compress, DefaultHeaders};
use actix_web::{App, HttpResponse, HttpServer, web};
use anyhow::Context;
use sea_orm::DatabaseConnection;

use adal_core::db;
use adal_core::graphql;

use crate::schema::{self, AdalSchema};
use adal_core::settings::Settings;
use adal_core::state::AppState;

pub struct Application {
    address: SocketAddr,
    server: Server,
    state: AppState,
    /// The job runner started with the server (unless `job_runner` is off); stops with it.
    jobs: Option<(
        tokio::sync::oneshot::Sender<()>,
        tokio::task::JoinHandle<()>,
    )>,
    /// The audit trail's sealer, started and stopped with the job runner.
    sealer: Option<(
        tokio::sync::oneshot::Sender<()>,
        tokio::task::JoinHandle<()>,
    )>,
    /// Housekeeping (expired sign-in material), started and stopped with the job runner.
    housekeeping: Option<(
        tokio::sync::oneshot::Sender<()>,
        tokio::task::JoinHandle<()>,
    )>,
}

impl Application {
    pub async fn build(settings: Settings) -> anyhow::Result<Self> {
        let (db, statements) = db::connect(&settings).await?;
        db::migrate(&db).await?;
        adal_schools::partitions::ensure(&db, adal_schools::rules::local_day(chrono::Utc::now()))
            .await
            .map_err(|e| anyhow::anyhow!("creating the monthly partitions: {}", e.message()))?;
        let sealed = adal_sso::service::seal_stored_keys(&db, &settings)
            .await
            .map_err(|e| anyhow::anyhow!("sealing the stored signing keys: {}", e.message()))?;
        if sealed > 0 {
            tracing::info!(
                keys = sealed,
                "sealed the single sign-on signing keys stored in the clear"
            );
        }
        let state = AppState::new(settings, db, statements)?;
        let listener = TcpListener::bind(&state.settings.listen)
            .with_context(|| format!("cannot listen on {}", state.settings.listen))?;
        let address = listener.local_addr()?;
        let server = serve(listener, state.clone())?;
        let jobs = state.settings.job_runner.then(|| {
            crate::wiring::jobs(state.db.clone(), &state.settings)
                .with_waker(&state.jobs)
                .spawn()
        });
        let sealer = if state.settings.job_runner {
            Some(crate::audit::spawn_sealer(
                state.db.clone(),
                &state.settings,
            )?)
        } else {
            None
        };
        let housekeeping = state.settings.job_runner.then(|| {
            crate::housekeeping::spawn(
                state.db.clone(),
                std::time::Duration::from_secs(state.settings.housekeeping_secs.max(1)),
            )
        });
        Ok(Self {
            address,
            server,
            state,
            jobs,
            sealer,
            housekeeping,
        })
    }

    pub fn address(&self) -> SocketAddr {
        self.address
    }

    pub fn port(&self) -> u16 {
        self.address.port()
    }

    pub fn state(&self) -> &AppState {
        &self.state
    }

    pub fn db(&self) -> &DatabaseConnection {
        &self.state.db
    }

    /// Stops the server from elsewhere (gracefully: requests in flight finish first).
    pub fn handle(&self) -> actix_web::dev::ServerHandle {
        self.server.handle()
    }

    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let served = self.server.await;
        for (stop, handle) in [self.jobs, self.sealer, self.housekeeping]
            .into_iter()
            .flatten()
        {
            let _ = stop.send(());
            let _ = handle.await;
        }
        served
    }
}

/// The portals' Content-Security-Policy: scripts and styles from this server only, no inline
/// script (a page starts from its `start.js`), WebAssembly allowed to compile, no framing.
/// Inline styles stay allowed: the portals set widths and colours through `style`.
pub const PORTAL_CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; \
    style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; \
    font-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; \
    form-action 'self'";

/// Headers on every answer that does not set its own (a stored document's download keeps its
/// `sandbox` policy; GraphiQL's page its own).
fn security_headers() -> DefaultHeaders {
    DefaultHeaders::new()
        .add(("Content-Security-Policy", PORTAL_CSP))
        .add(("X-Frame-Options", "DENY"))
        .add(("Referrer-Policy", "no-referrer"))
        .add(("X-Content-Type-Options", "nosniff"))
}

fn serve(listener: TcpListener, state: AppState) -> anyhow::Result<Server> {
    let s = &state.settings;
    let schema = web::Data::new(graphql::Schemas {
        ordinary: schema::build_schema(
            Some(&state),
            s.graphql_depth_limit,
            s.graphql_complexity_limit,
        ),
        introspection: schema::build_schema(Some(&state), usize::MAX, s.graphql_complexity_limit),
        depth_limit: s.graphql_depth_limit,
        per_request: crate::wiring::per_request,
    });
    let web_dir = s.web_dir.clone();
    let state_data = web::Data::new(state);
    let server = HttpServer::new(move || {
        let app = App::new()
            .wrap(security_headers())
            .wrap(Compress::default())
            .wrap_fn(|req, srv| {
                use actix_web::dev::Service;
                let started = Instant::now();
                let method = req.method().to_string();
                // The path only: query strings are never logged.
                let path = req.path().to_owned();
                let fut = srv.call(req);
                async move {
                    let res = fut.await?;
                    tracing::debug!(
                        http.method = %method,
                        http.path = %path,
                        http.status = res.status().as_u16(),
                        duration_ms = started.elapsed().as_millis() as u64,
                        "request"
                    );
                    Ok(res)
                }
            })
            .app_data(schema.clone())
            .app_data(state_data.clone())
            .route(
                "/graphql",
                web::post().to(graphql::graphql_post::<AdalSchema>),
            )
            .route("/graphql", web::get().to(crate::graphiql::page))
            .route("/graphiql/{name}", web::get().to(crate::graphiql::asset))
            .route("/healthz", web::get().to(healthz))
            .route("/readyz", web::get().to(readyz))
            .route("/metrics", web::get().to(crate::metrics::metrics))
            .configure(adal_notifications::webhooks::routes)
            .configure(adal_obligations::consent::routes)
            .configure(adal_obligations::export::routes)
            // Before the obligations' `/documents/{kind}/{id}`: the more specific path first.
            .configure(adal_transparency::downloads::routes)
            .configure(adal_obligations::downloads::routes)
            .configure(adal_vouchers::http::routes)
            .configure(adal_schools::http::routes)
            .configure(adal_sso::http::routes)
            .configure(crate::audit::routes)
            .configure(crate::open_data::routes);
        if crate::web_portals::built(&web_dir) {
            app.configure(crate::web_portals::services(&web_dir))
        } else {
            app.default_service(web::to(not_built))
        }
    })
    .listen(listener)?
    .run();
    Ok(server)
}

async fn not_built() -> HttpResponse {
    HttpResponse::NotFound()
        .content_type("text/html; charset=utf-8")
        .body(NOT_BUILT)
}

const NOT_BUILT: &str = "<!doctype html><meta charset=utf-8><title>Adal</title>\
<h1>Adal</h1><p>The web bundle is not built: run <code>cargo xtask build-web</code> \
(or <code>cargo xtask run</code>). The API and GraphiQL are at <a href=/graphql>/graphql</a>.</p>";

async fn healthz() -> HttpResponse {
    HttpResponse::Ok().content_type("text/plain").body("ok")
}

async fn readyz(state: web::Data<AppState>) -> HttpResponse {
    match state.db.ping().await {
        Ok(()) => HttpResponse::Ok().content_type("text/plain").body("ready"),
        Err(e) => {
            tracing::warn!(error = %e, "database not reachable");
            HttpResponse::ServiceUnavailable()
                .content_type("text/plain")
                .body("database not reachable")
        }
    }
}
