//! What every request shares: the database, token keys and policies.

use std::sync::Arc;

use sea_orm::DatabaseConnection;

use crate::auth::throttle::ThrottlePolicy;
use crate::auth::tokens::TokenKeys;
use crate::db::StatementCounter;
use crate::settings::Settings;

#[derive(Clone)]
pub struct AppState {
    pub db: DatabaseConnection,
    pub keys: TokenKeys,
    pub throttle: ThrottlePolicy,
    pub settings: Arc<Settings>,
    pub statements: StatementCounter,
}

impl AppState {
    pub fn new(
        settings: Settings,
        db: DatabaseConnection,
        statements: StatementCounter,
    ) -> anyhow::Result<Self> {
        let keys = TokenKeys::from_settings(&settings)?;
        let throttle = ThrottlePolicy {
            max_failures: settings.login_max_failures,
            window: chrono::Duration::seconds(settings.login_window_secs),
            lock: chrono::Duration::seconds(settings.login_lock_secs),
            slowdown_ms: settings.login_slowdown_ms,
        };
        Ok(Self {
            db,
            keys,
            throttle,
            settings: Arc::new(settings),
            statements,
        })
    }
}
