//! What every request shares: the database, token keys and policies.

use std::sync::Arc;

use sea_orm::DatabaseConnection;

use crate::auth::throttle::ThrottlePolicy;
use crate::auth::tokens::TokenKeys;
use crate::db::StatementCounter;
use crate::jobs::Waker;
use crate::limits::CostBudget;
use crate::metrics::Metrics;
use crate::net::IpRanges;
use crate::settings::Settings;

#[derive(Clone)]
pub struct AppState {
    pub db: DatabaseConnection,
    pub keys: TokenKeys,
    pub throttle: ThrottlePolicy,
    pub settings: Arc<Settings>,
    pub statements: StatementCounter,
    /// Wakes this process's job runner after an enqueue.
    pub jobs: Waker,
    pub metrics: Arc<Metrics>,
    /// Who may read `/metrics`.
    pub metrics_allow: IpRanges,
    /// Proxies whose forwarding headers name the client.
    pub trusted_proxies: IpRanges,
    /// Each caller's GraphQL complexity budget.
    pub cost_budget: Arc<CostBudget>,
    /// Per-caller GraphQL requests per minute (the same limiter, one point a request).
    pub request_budget: Arc<CostBudget>,
    /// Roles whose holders must have a second factor (`second_factor_roles`).
    pub second_factor_roles: Vec<crate::auth::Role>,
    /// The open figures last computed (`open_figures_ttl_secs`).
    pub open_figures: Arc<crate::disclosure::OpenFiguresCache>,
}

impl AppState {
    pub fn new(
        settings: Settings,
        db: DatabaseConnection,
        statements: StatementCounter,
    ) -> anyhow::Result<Self> {
        let keys = TokenKeys::from_settings(&settings)?;
        let metrics_allow = IpRanges::parse(&settings.metrics_allow)
            .map_err(|e| anyhow::anyhow!("metrics_allow: {e}"))?;
        let trusted_proxies = IpRanges::parse(&settings.trusted_proxies)
            .map_err(|e| anyhow::anyhow!("trusted_proxies: {e}"))?;
        let throttle = ThrottlePolicy {
            max_failures: settings.login_max_failures,
            window: chrono::Duration::seconds(settings.login_window_secs),
            lock: chrono::Duration::seconds(settings.login_lock_secs),
            slowdown_ms: settings.login_slowdown_ms,
        };
        let second_factor_roles =
            crate::auth::second_factor::required_roles(&settings.second_factor_roles)?;
        let cost_budget = Arc::new(CostBudget::per_minute(settings.graphql_cost_per_minute));
        let request_budget = Arc::new(CostBudget::per_minute(settings.graphql_requests_per_minute));
        let open_figures = Arc::new(crate::disclosure::OpenFiguresCache::new(
            settings.open_figures_ttl_secs,
        ));
        Ok(Self {
            db,
            keys,
            throttle,
            settings: Arc::new(settings),
            statements,
            jobs: Waker::new(),
            metrics: Arc::new(Metrics::new()),
            metrics_allow,
            trusted_proxies,
            cost_budget,
            request_budget,
            second_factor_roles,
            open_figures,
        })
    }
}
