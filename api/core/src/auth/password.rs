//! Password and client-secret hashing with argon2id.

use argon2::Argon2;
use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};

use crate::error::{ApiError, ApiResult};

pub const MIN_PASSWORD_LEN: usize = 8;
pub const MAX_PASSWORD_LEN: usize = 256;

/// Rejects passwords that are too short or too long (argon2 work is bounded too).
pub fn check_strength(field: &str, password: &str) -> ApiResult<()> {
    let n = password.chars().count();
    if n < MIN_PASSWORD_LEN {
        return Err(ApiError::bad_input(
            field,
            format!("password must be at least {MIN_PASSWORD_LEN} characters"),
        ));
    }
    if n > MAX_PASSWORD_LEN {
        return Err(ApiError::bad_input(
            field,
            format!("password must be at most {MAX_PASSWORD_LEN} characters"),
        ));
    }
    Ok(())
}

pub fn hash(password: &str) -> ApiResult<String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| ApiError::internal(anyhow::anyhow!("hashing password: {e}")))
}

pub fn verify(password: &str, stored: &str) -> bool {
    match PasswordHash::new(stored) {
        Ok(parsed) => Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok(),
        Err(_) => false,
    }
}

/// Spends the same work as a real verification, so an unknown login takes as long as a known
/// one with a wrong password.
pub fn verify_dummy(password: &str) {
    static DUMMY: std::sync::OnceLock<Option<String>> = std::sync::OnceLock::new();
    if let Some(h) = DUMMY.get_or_init(|| hash("dummy-password-for-timing").ok()) {
        let _ = verify(password, h);
    }
}

/// Hashing is deliberately slow (tens of milliseconds of one core): it runs on the blocking
/// pool, at most one per core at a time, so a flood of sign-ins waits its turn instead of
/// stalling the threads that serve every other request.
async fn on_hashing_pool<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> T {
    static PERMITS: std::sync::LazyLock<tokio::sync::Semaphore> = std::sync::LazyLock::new(|| {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        tokio::sync::Semaphore::new(cores)
    });
    // The semaphore is never closed: a permit always comes.
    let _permit = PERMITS.acquire().await.ok();
    match tokio::task::spawn_blocking(work).await {
        Ok(v) => v,
        Err(e) => std::panic::resume_unwind(e.into_panic()),
    }
}

/// [`verify`] on the hashing pool.
pub async fn verify_blocking(password: &str, stored: &str) -> bool {
    let (password, stored) = (password.to_owned(), stored.to_owned());
    on_hashing_pool(move || verify(&password, &stored)).await
}

/// [`verify_dummy`] on the hashing pool.
pub async fn verify_dummy_blocking(password: &str) {
    let password = password.to_owned();
    on_hashing_pool(move || verify_dummy(&password)).await
}

/// [`hash`] on the hashing pool.
pub async fn hash_blocking(password: &str) -> ApiResult<String> {
    let password = password.to_owned();
    on_hashing_pool(move || hash(&password)).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_and_verify() {
        let h = hash("correct horse").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify("correct horse", &h));
        assert!(!verify("wrong horse", &h));
        assert!(!verify("x", "not a hash"));
        assert!(check_strength("password", "short").is_err());
        assert!(check_strength("password", "long enough").is_ok());
    }
}
