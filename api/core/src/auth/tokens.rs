//! Access tokens (short-lived JWT, HS256) and refresh tokens (random, stored hashed, rotating).

use std::path::Path;

use anyhow::Context;
use chrono::{DateTime, Duration, Utc};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use rand::RngCore;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
    sea_query::Expr,
};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use entities::refresh_token;

use super::actor::TokenProblem;
use crate::error::{ApiError, ApiResult};
use crate::settings::Settings;

/// Signs and checks access tokens.
#[derive(Clone)]
pub struct TokenKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    pub access_ttl: Duration,
    /// How long an unused refresh token stays valid.
    pub refresh_ttl: Duration,
    /// How long a session lasts from its sign-in, however often it is refreshed.
    pub session_max_age: Duration,
    /// How long after its exchange a refresh token may be presented once more while its
    /// successor is unused (the answer was lost).
    pub reuse_grace: Duration,
}

#[derive(Debug, Serialize, Deserialize)]
struct Claims {
    sub: String,
    iat: i64,
    exp: i64,
    /// `access` only: refresh tokens are not JWTs.
    typ: String,
    /// Unique per token, so two tokens issued in the same second differ.
    jti: String,
    /// The account's session epoch when the token was issued (tokens from before the epoch
    /// was kept carry none and count as epoch 0).
    #[serde(default)]
    ver: i32,
}

/// What a valid access token says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AccessClaims {
    pub account_id: i64,
    /// The account's session epoch it was issued in: a token from an earlier epoch is refused.
    pub session_epoch: i32,
}

impl TokenKeys {
    /// The key from settings, or the one generated once and kept in the data folder.
    pub fn from_settings(settings: &Settings) -> anyhow::Result<Self> {
        let secret = match &settings.jwt_secret {
            Some(s) if s.expose().len() >= 32 => s.expose().as_bytes().to_vec(),
            Some(_) => anyhow::bail!("jwt_secret must be at least 32 characters"),
            None => load_or_create_key(&settings.data_dir.join("jwt.key"))?,
        };
        Ok(Self {
            encoding: EncodingKey::from_secret(&secret),
            decoding: DecodingKey::from_secret(&secret),
            access_ttl: Duration::seconds(settings.access_token_ttl_secs),
            refresh_ttl: Duration::seconds(settings.refresh_token_ttl_secs),
            session_max_age: Duration::seconds(settings.session_max_age_secs),
            reuse_grace: Duration::seconds(settings.refresh_reuse_grace_secs),
        })
    }

    /// An access token for the account in its current session epoch.
    pub fn issue_access(
        &self,
        account_id: i64,
        session_epoch: i32,
    ) -> ApiResult<(String, DateTime<Utc>)> {
        let now = Utc::now();
        let exp = now + self.access_ttl;
        let claims = Claims {
            sub: account_id.to_string(),
            iat: now.timestamp(),
            exp: exp.timestamp(),
            typ: "access".into(),
            jti: uuid::Uuid::new_v4().simple().to_string(),
            ver: session_epoch,
        };
        let token = jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
            .map_err(ApiError::internal)?;
        Ok((token, exp))
    }

    /// The account and session epoch of a valid access token.
    pub fn verify_access(&self, token: &str) -> Result<AccessClaims, TokenProblem> {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.leeway = 5;
        let data = jsonwebtoken::decode::<Claims>(token, &self.decoding, &validation).map_err(
            |e| match e.kind() {
                jsonwebtoken::errors::ErrorKind::ExpiredSignature => TokenProblem::Expired,
                _ => TokenProblem::Invalid,
            },
        )?;
        if data.claims.typ != "access" {
            return Err(TokenProblem::Invalid);
        }
        let account_id = data.claims.sub.parse().map_err(|_| TokenProblem::Invalid)?;
        Ok(AccessClaims {
            account_id,
            session_epoch: data.claims.ver,
        })
    }
}

/// The shortest signing key accepted (HS256 wants at least the hash's 256 bits).
const MIN_KEY_BYTES: usize = 32;

/// A random key kept hex-encoded in a file of the data folder, made on first use.
pub fn load_or_create_key(path: &Path) -> anyhow::Result<Vec<u8>> {
    if path.exists() {
        let hexed = std::fs::read_to_string(path)
            .with_context(|| format!("reading signing key {}", path.display()))?;
        let key = hex::decode(hexed.trim())
            .with_context(|| format!("signing key {} is not hex", path.display()))?;
        if key.len() < MIN_KEY_BYTES {
            anyhow::bail!(
                "signing key {} holds {} bytes, fewer than {MIN_KEY_BYTES}: restore it from a \
                 backup, or delete it to generate a new one (every session then ends)",
                path.display(),
                key.len()
            );
        }
        return Ok(key);
    }
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("creating data folder {}", dir.display()))?;
    }
    let mut key = vec![0u8; 64];
    rand::rng().fill_bytes(&mut key);
    write_private(path, &hex::encode(&key))
        .with_context(|| format!("writing signing key {}", path.display()))?;
    tracing::info!(path = %path.display(), "generated a new token signing key");
    Ok(key)
}

#[cfg(unix)]
fn write_private(path: &Path, contents: &str) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)?;
    f.write_all(contents.as_bytes())
}

#[cfg(not(unix))]
fn write_private(path: &Path, contents: &str) -> std::io::Result<()> {
    std::fs::write(path, contents)
}

/// A random 256-bit token, URL-safe.
pub fn random_token() -> String {
    use base64::Engine;
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

pub fn sha256_hex(s: &str) -> String {
    hex::encode(Sha256::digest(s.as_bytes()))
}

/// The session a refresh token belongs to: its family and when it began.
#[derive(Debug, Clone)]
pub struct RefreshSession {
    pub account_id: i64,
    pub family: String,
    pub started_at: DateTime<Utc>,
}

/// Issues a refresh token in `session` (a new session when `None`), returning its plain text.
/// It expires when unused for `refresh_ttl`, and at the latest when the session reaches
/// `session_max_age`.
pub async fn issue_refresh(
    db: &impl ConnectionTrait,
    keys: &TokenKeys,
    account_id: i64,
    session: Option<RefreshSession>,
) -> ApiResult<String> {
    let token = random_token();
    let now = Utc::now();
    let (family, started_at) = match session {
        Some(s) => (s.family, s.started_at),
        None => (random_token(), now),
    };
    refresh_token::ActiveModel {
        token_hash: Set(sha256_hex(&token)),
        family: Set(family),
        account_id: Set(account_id),
        expires_at: Set((now + keys.refresh_ttl).min(started_at + keys.session_max_age)),
        revoked_at: Set(None),
        created_at: Set(now),
        session_started_at: Set(Some(started_at)),
        revoked_why: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(token)
}

/// Why a token of a session that goes on stopped being valid (`refresh_token.revoked_why`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum RevokedWhy {
    /// Exchanged for its successor.
    Rotated,
    /// Presented again while its successor was unused, and exchanged once more.
    TakenBack,
    /// The successor replaced by that second exchange.
    Superseded,
}

impl RevokedWhy {
    fn as_str(self) -> &'static str {
        match self {
            Self::Rotated => "rotated",
            Self::TakenBack => "taken_back",
            Self::Superseded => "superseded",
        }
    }
}

/// Uses a refresh token: revokes it and returns its session, in which the caller issues its
/// successor. Presenting a token that was already used revokes its whole family (it was stolen
/// or replayed), with one exception: a token exchanged less than `reuse_grace` ago whose
/// successor was never presented may be exchanged once more. Its successor's answer was lost
/// (the person left the page while it was renewing), so the successor is revoked and the
/// caller issues another. Two holders of one token still cannot both go on: the first to
/// present a token revoked this way ends the session.
pub async fn consume_refresh(
    db: &impl ConnectionTrait,
    keys: &TokenKeys,
    token: &str,
) -> ApiResult<RefreshSession> {
    let refused = || {
        ApiError::UnauthenticatedBecause(
            "the session has ended (its refresh token was used, revoked or expired): sign in again"
                .into(),
        )
    };
    let Some(mut row) = refresh_token::Entity::find()
        .filter(refresh_token::Column::TokenHash.eq(sha256_hex(token)))
        .one(db)
        .await?
    else {
        return Err(refused());
    };
    let now = Utc::now();
    let session = RefreshSession {
        account_id: row.account_id,
        family: row.family.clone(),
        started_at: row.session_started_at.unwrap_or(row.created_at),
    };
    if session.started_at + keys.session_max_age <= now {
        return Err(refused());
    }
    if row.revoked_at.is_none() {
        if row.expires_at <= now {
            return Err(refused());
        }
        // Revoke only if still unrevoked: of two concurrent uses one exchanges the token, and
        // the other is judged as a second presentation once the first has committed.
        if revoke_one(db, row.id, now, None, RevokedWhy::Rotated).await? {
            return Ok(session);
        }
        match refresh_token::Entity::find_by_id(row.id).one(db).await? {
            Some(again) => row = again,
            None => return Err(refused()),
        }
    }
    if take_back(db, keys, &row, now).await? {
        tracing::info!(
            account.id = row.account_id,
            "refresh token presented again while its successor was unused; exchanged once more"
        );
        return Ok(session);
    }
    revoke_family(db, &row.family).await?;
    tracing::warn!(
        account.id = row.account_id,
        "refresh token reused; family revoked"
    );
    Err(refused())
}

/// Exchanges a used token once more when its successor's answer was lost: the token was
/// rotated (not taken back before, not ended with its session) less than `reuse_grace` ago,
/// and its successor is unused. Revokes the successor; `false` when any of that fails.
async fn take_back(
    db: &impl ConnectionTrait,
    keys: &TokenKeys,
    row: &refresh_token::Model,
    now: DateTime<Utc>,
) -> ApiResult<bool> {
    let rotated_recently = row.revoked_why.as_deref() == Some(RevokedWhy::Rotated.as_str())
        && row
            .revoked_at
            .is_some_and(|at| now - at <= keys.reuse_grace);
    if !rotated_recently {
        return Ok(false);
    }
    let Some(successor) = refresh_token::Entity::find()
        .filter(refresh_token::Column::Family.eq(row.family.as_str()))
        .filter(refresh_token::Column::Id.gt(row.id))
        .order_by_asc(refresh_token::Column::Id)
        .one(db)
        .await?
    else {
        return Ok(false);
    };
    if successor.revoked_at.is_some() || successor.expires_at <= now {
        return Ok(false);
    }
    // Each step holds only if nobody changed the row meanwhile: a concurrent second
    // take-back, or the successor's own use, makes this one a reuse.
    Ok(revoke_one(
        db,
        row.id,
        now,
        Some(RevokedWhy::Rotated),
        RevokedWhy::TakenBack,
    )
    .await?
        && revoke_one(db, successor.id, now, None, RevokedWhy::Superseded).await?)
}

/// Marks one token revoked for `why`, if it is still in the state `from` (`None`: valid).
/// `false` when another request changed it first.
async fn revoke_one(
    db: &impl ConnectionTrait,
    id: i64,
    now: DateTime<Utc>,
    from: Option<RevokedWhy>,
    why: RevokedWhy,
) -> ApiResult<bool> {
    let update = refresh_token::Entity::update_many()
        .col_expr(refresh_token::Column::RevokedWhy, Expr::value(why.as_str()))
        .filter(refresh_token::Column::Id.eq(id));
    let update = match from {
        None => update
            .col_expr(refresh_token::Column::RevokedAt, Expr::value(now))
            .filter(refresh_token::Column::RevokedAt.is_null()),
        Some(from) => update.filter(refresh_token::Column::RevokedWhy.eq(from.as_str())),
    };
    Ok(update.exec(db).await?.rows_affected == 1)
}

pub async fn revoke_family(db: &impl ConnectionTrait, family: &str) -> ApiResult<()> {
    refresh_token::Entity::update_many()
        .col_expr(refresh_token::Column::RevokedAt, Expr::value(Utc::now()))
        .filter(refresh_token::Column::Family.eq(family))
        .filter(refresh_token::Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}

/// How long sign-in material (refresh tokens, sign-in counters, a resource's codes) is kept
/// after it expired before housekeeping deletes it: a replay just after expiry is still
/// recognised as one.
pub fn kept_after_expiry() -> Duration {
    Duration::days(1)
}

/// Deletes the refresh tokens that expired more than [`kept_after_expiry`] before `now`
/// (used, revoked or not: none of them can renew a session); returns how many.
pub async fn purge_expired(db: &impl ConnectionTrait, now: DateTime<Utc>) -> ApiResult<u64> {
    Ok(refresh_token::Entity::delete_many()
        .filter(refresh_token::Column::ExpiresAt.lt(now - kept_after_expiry()))
        .exec(db)
        .await?
        .rows_affected)
}

/// Revokes the family of a token (sign-out); unknown tokens are ignored.
pub async fn revoke(db: &impl ConnectionTrait, token: &str) -> ApiResult<()> {
    if let Some(row) = refresh_token::Entity::find()
        .filter(refresh_token::Column::TokenHash.eq(sha256_hex(token)))
        .one(db)
        .await?
    {
        revoke_family(db, &row.family).await?;
    }
    Ok(())
}
