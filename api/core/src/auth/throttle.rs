//! Failed sign-in throttling per login and per client address: each failure slows the next
//! answer, and too many failures within the window lock the key for a while. Keys are hashed.

use chrono::{Duration, Utc};
use sea_orm::{ActiveModelTrait, ConnectionTrait, EntityTrait, Set};

use entities::login_throttle;

use super::tokens::sha256_hex;
use crate::error::{ApiError, ApiResult};

#[derive(Debug, Clone)]
pub struct ThrottlePolicy {
    pub max_failures: i32,
    pub window: Duration,
    pub lock: Duration,
    /// Base delay added after a failure, doubled each further failure (capped at 2 s).
    pub slowdown_ms: u64,
}

/// The keys a sign-in attempt is counted under. The address key tolerates more failures,
/// since many people may share one office address.
pub fn keys(login: &str, addr: Option<&str>) -> Vec<(String, i32)> {
    let mut keys = vec![(
        sha256_hex(&format!("login:{}", login.trim().to_lowercase())),
        1,
    )];
    if let Some(addr) = addr {
        keys.push((sha256_hex(&format!("addr:{addr}")), 4));
    }
    keys
}

/// Fails with `RATE_LIMITED` while any key is locked.
pub async fn check(db: &impl ConnectionTrait, keys: &[(String, i32)]) -> ApiResult<()> {
    let now = Utc::now();
    for (key, _) in keys {
        if let Some(row) = login_throttle::Entity::find_by_id(key.clone())
            .one(db)
            .await?
            && let Some(until) = row.locked_until
            && until > now
        {
            return Err(ApiError::RateLimited {
                retry_after_secs: (until - now).num_seconds().max(1),
            });
        }
    }
    Ok(())
}

/// Counts a failure under each key; returns how long to delay the answer.
pub async fn record_failure(
    db: &impl ConnectionTrait,
    policy: &ThrottlePolicy,
    keys: &[(String, i32)],
) -> ApiResult<std::time::Duration> {
    let now = Utc::now();
    let mut worst = 0;
    for (key, factor) in keys {
        let existing = login_throttle::Entity::find_by_id(key.clone())
            .one(db)
            .await?;
        let (failures, window_start) = match &existing {
            Some(r) if now - r.window_start < policy.window => (r.failures + 1, r.window_start),
            _ => (1, now),
        };
        let limit = policy.max_failures * factor;
        let locked_until = (failures >= limit).then(|| now + policy.lock);
        let row = login_throttle::ActiveModel {
            key_hash: Set(key.clone()),
            failures: Set(failures),
            window_start: Set(window_start),
            locked_until: Set(locked_until),
        };
        if existing.is_some() {
            row.update(db).await?;
        } else {
            row.insert(db).await?;
        }
        if *factor == 1 {
            worst = worst.max(failures);
        }
    }
    let shift = (worst.max(1) - 1).min(5) as u32;
    let ms = (policy.slowdown_ms << shift).min(2_000);
    Ok(std::time::Duration::from_millis(ms))
}

/// A successful sign-in clears its login's counter (the address keeps its count).
pub async fn clear_login(db: &impl ConnectionTrait, keys: &[(String, i32)]) -> ApiResult<()> {
    if let Some((key, _)) = keys.first() {
        login_throttle::Entity::delete_by_id(key.clone())
            .exec(db)
            .await?;
    }
    Ok(())
}
