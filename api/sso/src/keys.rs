//! The signing keys of ID tokens: Ed25519 (EdDSA), kept in the database. The private half
//! never leaves the server (no query returns it); the JWKS publishes the current key and the
//! retired ones whose tokens may still be alive. `adal sso rotate-key` retires the current key
//! and makes a new one.

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use chrono::{DateTime, Duration, Utc};
use ed25519_dalek::SigningKey;
use ed25519_dalek::pkcs8::EncodePrivateKey;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use rand::RngCore;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
    sea_query::Expr,
};
use serde_json::{Value, json};

use adal_core::error::{ApiError, ApiResult};
use entities::sso_key;

/// A new key pair, stored.
async fn create(db: &impl ConnectionTrait, now: DateTime<Utc>) -> ApiResult<sso_key::Model> {
    let mut seed = [0u8; 32];
    rand::rng().fill_bytes(&mut seed);
    let signing = SigningKey::from_bytes(&seed);
    let der = signing
        .to_pkcs8_der()
        .map_err(|e| ApiError::internal(anyhow::anyhow!("encoding a signing key: {e}")))?;
    let public = URL_SAFE_NO_PAD.encode(signing.verifying_key().to_bytes());
    let kid = crate::rules::random_token()[..16].to_owned();
    Ok(sso_key::ActiveModel {
        kid: Set(kid),
        private_key: Set(STANDARD.encode(der.as_bytes())),
        public_key: Set(public),
        created_at: Set(now),
        retired_at: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await?)
}

/// The key that signs now (the newest not retired), made on first use.
pub async fn current(db: &impl ConnectionTrait, now: DateTime<Utc>) -> ApiResult<sso_key::Model> {
    let found = sso_key::Entity::find()
        .filter(sso_key::Column::RetiredAt.is_null())
        .order_by_desc(sso_key::Column::Id)
        .one(db)
        .await?;
    match found {
        Some(k) => Ok(k),
        None => create(db, now).await,
    }
}

/// Retires every current key and makes a new one; returns the new key's id (`kid`).
pub async fn rotate(db: &impl ConnectionTrait, now: DateTime<Utc>) -> ApiResult<String> {
    sso_key::Entity::update_many()
        .col_expr(sso_key::Column::RetiredAt, Expr::value(now))
        .filter(sso_key::Column::RetiredAt.is_null())
        .exec(db)
        .await?;
    let key = create(db, now).await?;
    adal_core::audit::record(
        db,
        None,
        "sso.key_rotated",
        "sso_key",
        key.id,
        json!({ "kid": key.kid }),
    )
    .await?;
    Ok(key.kid)
}

/// The published keys: the current ones, and the retired ones a token signed before their
/// retirement may still need (`token_ttl` after it).
pub async fn published(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
    token_ttl: Duration,
) -> ApiResult<Vec<sso_key::Model>> {
    current(db, now).await?;
    Ok(sso_key::Entity::find()
        .filter(
            sea_orm::Condition::any()
                .add(sso_key::Column::RetiredAt.is_null())
                .add(sso_key::Column::RetiredAt.gt(now - token_ttl)),
        )
        .order_by_desc(sso_key::Column::Id)
        .all(db)
        .await?)
}

/// The JWKS document.
pub fn jwks(keys: &[sso_key::Model]) -> Value {
    let keys: Vec<Value> = keys
        .iter()
        .map(|k| {
            json!({
                "kty": "OKP",
                "crv": "Ed25519",
                "use": "sig",
                "alg": "EdDSA",
                "kid": k.kid,
                "x": k.public_key,
            })
        })
        .collect();
    json!({ "keys": keys })
}

/// Signs claims with a key (EdDSA, its `kid` in the header).
pub fn sign(key: &sso_key::Model, claims: &Value) -> ApiResult<String> {
    let der = STANDARD
        .decode(&key.private_key)
        .map_err(|e| ApiError::internal(anyhow::anyhow!("stored signing key: {e}")))?;
    let mut header = Header::new(Algorithm::EdDSA);
    header.kid = Some(key.kid.clone());
    jsonwebtoken::encode(&header, claims, &EncodingKey::from_ed_der(&der))
        .map_err(|e| ApiError::internal(anyhow::anyhow!("signing an ID token: {e}")))
}

/// An ID token of ours given back as a logout hint: its audience and session id when the
/// signature is good (an expired token is still a good hint).
pub fn verify_hint(keys: &[sso_key::Model], issuer: &str, token: &str) -> Option<(String, String)> {
    let kid = jsonwebtoken::decode_header(token).ok()?.kid?;
    let key = keys.iter().find(|k| k.kid == kid)?;
    let decoding = jsonwebtoken::DecodingKey::from_ed_components(&key.public_key).ok()?;
    let mut validation = jsonwebtoken::Validation::new(Algorithm::EdDSA);
    validation.validate_exp = false;
    validation.validate_aud = false;
    validation.set_issuer(&[issuer]);
    let data = jsonwebtoken::decode::<Value>(token, &decoding, &validation).ok()?;
    let aud = data.claims["aud"].as_str()?.to_owned();
    let sid = data.claims["sid"].as_str()?.to_owned();
    Some((aud, sid))
}
