//! Sign-in throttling. Every attempt is counted *before* its password is checked, in one atomic
//! statement per key, so however many guesses arrive at once, at most the configured number per
//! window is ever evaluated. Keys are hashed; the table holds no login or address.
//!
//! An attempt counts under three keys:
//! - the login *from this address*: `max_failures` per window, then that address is locked
//!   out of that login for `lock`. The owner, elsewhere, still signs in: a known login such as
//!   `admin` cannot be kept locked by guessing it.
//! - the address: 4 × `max_failures` over all logins (several people share an office address),
//!   then the address is locked. It slows and locks that address only.
//! - the login from anywhere: never locks, only slows every failed answer for that login
//!   (doubling up to 2 s), so guesses spread over many addresses cost time.
//!
//! A successful sign-in gives its attempt back: the login's keys are cleared and the address's
//! count goes down by one.

use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, QueryFilter};

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

/// How many times more failures an address may have than one login from it.
const ADDRESS_FACTOR: i32 = 4;
const MAX_DELAY_MS: u64 = 2_000;

#[derive(Debug, Clone, PartialEq, Eq)]
struct Key {
    hash: String,
    /// Attempts per window before the key locks; `None`: it never locks, it slows.
    limit: Option<i32>,
}

/// The keys one sign-in attempt counts under.
#[derive(Debug, Clone)]
pub struct Attempt {
    address: Key,
    login_from_address: Key,
    login: Key,
}

impl Attempt {
    pub fn new(policy: &ThrottlePolicy, login: &str, addr: Option<&str>) -> Self {
        let login = login.trim().to_lowercase();
        // Without a known address every attempt shares one: the limits still hold.
        let addr = addr.unwrap_or("-");
        Self {
            address: Key {
                hash: sha256_hex(&format!("addr:{addr}")),
                limit: Some(policy.max_failures * ADDRESS_FACTOR),
            },
            login_from_address: Key {
                hash: sha256_hex(&format!("login-addr:{login}\n{addr}")),
                limit: Some(policy.max_failures),
            },
            login: Key {
                hash: sha256_hex(&format!("login:{login}")),
                limit: None,
            },
        }
    }

    fn keys(&self) -> [&Key; 3] {
        [&self.address, &self.login_from_address, &self.login]
    }
}

/// An attempt that was counted and may be evaluated.
#[derive(Debug)]
pub struct Reservation {
    /// Attempts counted under each key (in `Attempt::keys` order), this one included.
    counts: [i32; 3],
}

#[derive(Debug, FromQueryResult)]
struct Counted {
    failures: i32,
    window_start: DateTime<Utc>,
    locked_until: Option<DateTime<Utc>>,
}

/// Counts the attempt under each of its keys, or refuses it with `RATE_LIMITED` when a key is
/// locked or this attempt is over a key's limit. Nothing is evaluated for a refused attempt.
pub async fn reserve(
    db: &impl ConnectionTrait,
    policy: &ThrottlePolicy,
    attempt: &Attempt,
) -> ApiResult<Reservation> {
    let now = Utc::now();
    let mut counts = [0; 3];
    for (i, key) in attempt.keys().into_iter().enumerate() {
        let row = count(db, &key.hash, now, now - policy.window).await?;
        if let Some(until) = row.locked_until.filter(|u| *u > now) {
            return Err(rate_limited(until, now));
        }
        if key.limit.is_some_and(|limit| row.failures > limit) {
            return Err(rate_limited(row.window_start + policy.window, now));
        }
        counts[i] = row.failures;
    }
    Ok(Reservation { counts })
}

fn rate_limited(until: DateTime<Utc>, now: DateTime<Utc>) -> ApiError {
    ApiError::RateLimited {
        retry_after_secs: (until - now).num_seconds().max(1),
    }
}

/// One atomic statement: adds one to the key's count in the current window (starting a new
/// window when the last one is over), leaving a locked key as it is, and returns the row.
async fn count(
    db: &impl ConnectionTrait,
    key: &str,
    now: DateTime<Utc>,
    window_cutoff: DateTime<Utc>,
) -> ApiResult<Counted> {
    let backend = db.get_database_backend();
    let mut b = crate::sql::Binds::new(backend);
    let insert = format!(
        "INSERT INTO login_throttle (key_hash, failures, window_start, locked_until) \
         VALUES ({}, 1, {}, NULL) ON CONFLICT (key_hash) DO UPDATE SET ",
        b.push(key.to_owned()),
        b.push(now),
    );
    // The SET expressions all read the row as it was before this statement.
    let locked = format!(
        "(login_throttle.locked_until IS NOT NULL AND login_throttle.locked_until > {})",
        b.push(now)
    );
    let in_window = format!("login_throttle.window_start > {}", b.push(window_cutoff));
    let failures = format!(
        "failures = CASE WHEN {locked} THEN login_throttle.failures \
         WHEN {in_window} THEN login_throttle.failures + 1 ELSE 1 END"
    );
    let locked_again = format!(
        "(login_throttle.locked_until IS NOT NULL AND login_throttle.locked_until > {})",
        b.push(now)
    );
    let in_window_again = format!("login_throttle.window_start > {}", b.push(window_cutoff));
    let window_start = format!(
        "window_start = CASE WHEN {locked_again} OR {in_window_again} \
         THEN login_throttle.window_start ELSE {} END",
        b.push(now)
    );
    let locked_until = format!(
        "locked_until = CASE WHEN login_throttle.locked_until > {} \
         THEN login_throttle.locked_until ELSE NULL END",
        b.push(now)
    );
    let sql = format!(
        "{insert}{failures}, {window_start}, {locked_until} \
         RETURNING failures, window_start, locked_until"
    );
    let row = Counted::find_by_statement(b.statement(sql))
        .one(db)
        .await?
        .ok_or_else(|| ApiError::internal(anyhow::anyhow!("sign-in count returned no row")))?;
    Ok(row)
}

/// The attempt failed: locks each key that reached its limit, and returns how long to delay
/// the answer (by the failures of this login from anywhere).
pub async fn failed(
    db: &impl ConnectionTrait,
    policy: &ThrottlePolicy,
    attempt: &Attempt,
    reservation: &Reservation,
) -> ApiResult<std::time::Duration> {
    let now = Utc::now();
    for (key, count) in attempt.keys().into_iter().zip(reservation.counts) {
        if key.limit.is_some_and(|limit| count >= limit) {
            login_throttle::Entity::update_many()
                .col_expr(
                    login_throttle::Column::LockedUntil,
                    Expr::value(now + policy.lock),
                )
                .filter(login_throttle::Column::KeyHash.eq(key.hash.clone()))
                .exec(db)
                .await?;
        }
    }
    let login_failures = reservation.counts[2];
    let shift = (login_failures.max(1) - 1).min(5) as u32;
    let ms = (policy.slowdown_ms << shift).min(MAX_DELAY_MS);
    Ok(std::time::Duration::from_millis(ms))
}

/// The attempt succeeded: clears the login's counts and gives the address its attempt back.
pub async fn succeeded(db: &impl ConnectionTrait, attempt: &Attempt) -> ApiResult<()> {
    use sea_orm::sea_query::ExprTrait;
    login_throttle::Entity::delete_many()
        .filter(login_throttle::Column::KeyHash.is_in([
            attempt.login_from_address.hash.clone(),
            attempt.login.hash.clone(),
        ]))
        .exec(db)
        .await?;
    login_throttle::Entity::update_many()
        .col_expr(
            login_throttle::Column::Failures,
            Expr::col(login_throttle::Column::Failures).sub(1),
        )
        .filter(login_throttle::Column::KeyHash.eq(attempt.address.hash.clone()))
        .filter(login_throttle::Column::Failures.gt(0))
        .exec(db)
        .await?;
    Ok(())
}

/// Deletes the sign-in counters that count nothing any more: their window began, and any lock
/// ended, more than a day before `now`. Returns how many.
pub async fn purge_stale(db: &impl ConnectionTrait, now: DateTime<Utc>) -> ApiResult<u64> {
    use sea_orm::Condition;
    let before = now - super::tokens::kept_after_expiry();
    Ok(login_throttle::Entity::delete_many()
        .filter(login_throttle::Column::WindowStart.lt(before))
        .filter(
            Condition::any()
                .add(login_throttle::Column::LockedUntil.is_null())
                .add(login_throttle::Column::LockedUntil.lt(before)),
        )
        .exec(db)
        .await?
        .rows_affected)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_separate_logins_and_addresses_and_ignore_case() {
        let p = ThrottlePolicy {
            max_failures: 5,
            window: Duration::minutes(15),
            lock: Duration::minutes(15),
            slowdown_ms: 250,
        };
        let a = Attempt::new(&p, " Admin ", Some("203.0.113.5"));
        let b = Attempt::new(&p, "admin", Some("203.0.113.9"));
        assert_eq!(a.login, b.login);
        assert_ne!(a.login_from_address, b.login_from_address);
        assert_ne!(a.address, b.address);
        assert_eq!(a.login_from_address.limit, Some(5));
        assert_eq!(a.address.limit, Some(20));
        assert_eq!(a.login.limit, None);
        let c = Attempt::new(&p, "analyst", Some("203.0.113.5"));
        assert_eq!(a.address, c.address);
        assert_ne!(a.login_from_address, c.login_from_address);
    }
}
