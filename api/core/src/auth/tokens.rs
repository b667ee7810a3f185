//! Access tokens (short-lived JWT, HS256) and refresh tokens (random, stored hashed, rotating).

use std::path::Path;

use anyhow::Context;
use chrono::{DateTime, Duration, Utc};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use rand::RngCore;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set, sea_query::Expr,
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
    pub refresh_ttl: Duration,
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
        })
    }

    pub fn issue_access(&self, account_id: i64) -> ApiResult<(String, DateTime<Utc>)> {
        let now = Utc::now();
        let exp = now + self.access_ttl;
        let claims = Claims {
            sub: account_id.to_string(),
            iat: now.timestamp(),
            exp: exp.timestamp(),
            typ: "access".into(),
            jti: uuid::Uuid::new_v4().simple().to_string(),
        };
        let token = jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
            .map_err(ApiError::internal)?;
        Ok((token, exp))
    }

    /// The account id in a valid access token.
    pub fn verify_access(&self, token: &str) -> Result<i64, TokenProblem> {
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
        data.claims.sub.parse().map_err(|_| TokenProblem::Invalid)
    }
}

fn load_or_create_key(path: &Path) -> anyhow::Result<Vec<u8>> {
    if path.exists() {
        let hexed = std::fs::read_to_string(path)
            .with_context(|| format!("reading signing key {}", path.display()))?;
        return hex::decode(hexed.trim())
            .with_context(|| format!("signing key {} is not hex", path.display()));
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

/// Issues a refresh token in `family` (a new family when `None`), returning its plain text.
pub async fn issue_refresh(
    db: &impl ConnectionTrait,
    keys: &TokenKeys,
    account_id: i64,
    family: Option<String>,
) -> ApiResult<String> {
    let token = random_token();
    let now = Utc::now();
    refresh_token::ActiveModel {
        token_hash: Set(sha256_hex(&token)),
        family: Set(family.unwrap_or_else(random_token)),
        account_id: Set(account_id),
        expires_at: Set(now + keys.refresh_ttl),
        revoked_at: Set(None),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(token)
}

/// Uses a refresh token once: revokes it and returns its account and family. Presenting a token
/// that was already used revokes its whole family (it was stolen or replayed).
pub async fn consume_refresh(db: &impl ConnectionTrait, token: &str) -> ApiResult<(i64, String)> {
    let refused = || {
        ApiError::UnauthenticatedBecause(
            "the session has ended (its refresh token was used, revoked or expired): sign in again"
                .into(),
        )
    };
    let Some(row) = refresh_token::Entity::find()
        .filter(refresh_token::Column::TokenHash.eq(sha256_hex(token)))
        .one(db)
        .await?
    else {
        return Err(refused());
    };
    let now = Utc::now();
    if row.revoked_at.is_some() {
        revoke_family(db, &row.family).await?;
        tracing::warn!(
            account.id = row.account_id,
            "refresh token reused; family revoked"
        );
        return Err(refused());
    }
    if row.expires_at <= now {
        return Err(refused());
    }
    // Revoke only if still unrevoked: two concurrent refreshes cannot both win.
    let res = refresh_token::Entity::update_many()
        .col_expr(refresh_token::Column::RevokedAt, Expr::value(now))
        .filter(refresh_token::Column::Id.eq(row.id))
        .filter(refresh_token::Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    if res.rows_affected != 1 {
        return Err(refused());
    }
    Ok((row.account_id, row.family))
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
