//! The signing keys of ID tokens: Ed25519 (EdDSA), kept in the database with their private
//! half sealed (ChaCha20-Poly1305 under `ADAL_SSO_KEY_SECRET`, the key's `kid` as associated
//! data, so a sealed key copied onto another row does not open). The private half never leaves
//! the server (no query returns it); the JWKS publishes the current key and the retired ones
//! whose tokens may still be alive. A key older than `ADAL_SSO_KEY_ROTATION_DAYS` retires when
//! it would next sign; `adal sso rotate-key` retires it at once.

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{ChaCha20Poly1305, Nonce};
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
use sha2::{Digest, Sha256};

use adal_core::error::{ApiError, ApiResult};
use adal_core::settings::Settings;
use entities::sso_key;

/// How a sealed private key is stored: this prefix, then base64 of nonce and ciphertext. A
/// value without it is a key stored before keys were sealed ([`Keys::seal_stored`] seals it).
const SEALED: &str = "sealed1:";
const NONCE_LEN: usize = 12;

/// Why a key was retired, for the audit trail.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rotation {
    /// `adal sso rotate-key`.
    Command,
    /// The key reached `ADAL_SSO_KEY_ROTATION_DAYS`.
    Schedule,
}

impl Rotation {
    fn code(self) -> &'static str {
        match self {
            Rotation::Command => "command",
            Rotation::Schedule => "schedule",
        }
    }
}

/// The signing keys as the settings govern them: the sealing key, the age at which a key
/// retires, and how long a retired key stays published.
pub struct Keys {
    cipher: ChaCha20Poly1305,
    rotate_after: Option<Duration>,
    token_ttl: Duration,
}

impl Keys {
    /// From the settings; the sealing key is `sso_key_secret`, or generated once into
    /// `<data_dir>/sso-keys.key`.
    pub fn of(settings: &Settings) -> ApiResult<Self> {
        let secret = match &settings.sso_key_secret {
            Some(s) => s.expose().as_bytes().to_vec(),
            None => {
                adal_core::auth::tokens::load_or_create_key(&settings.data_dir.join("sso-keys.key"))
                    .map_err(ApiError::internal)?
            }
        };
        Ok(Self::new(
            &secret,
            (settings.sso_key_rotation_days > 0)
                .then(|| Duration::days(settings.sso_key_rotation_days)),
            Duration::seconds(settings.sso_token_ttl_secs.max(60)),
        ))
    }

    fn new(secret: &[u8], rotate_after: Option<Duration>, token_ttl: Duration) -> Self {
        // The cipher's 256-bit key, from a secret of any length (domain-separated: the same
        // secret used elsewhere gives another key).
        let key = Sha256::new()
            .chain_update(b"adal sso signing keys, sealed, v1\n")
            .chain_update(secret)
            .finalize();
        Self {
            cipher: ChaCha20Poly1305::new(&key),
            rotate_after,
            token_ttl,
        }
    }

    fn seal(&self, kid: &str, der: &[u8]) -> ApiResult<String> {
        let mut nonce = [0u8; NONCE_LEN];
        rand::rng().fill_bytes(&mut nonce);
        let sealed = self
            .cipher
            .encrypt(
                &Nonce::from(nonce),
                Payload {
                    msg: der,
                    aad: kid.as_bytes(),
                },
            )
            .map_err(|_| ApiError::internal(anyhow::anyhow!("sealing a signing key")))?;
        let mut stored = nonce.to_vec();
        stored.extend_from_slice(&sealed);
        Ok(format!("{SEALED}{}", STANDARD.encode(stored)))
    }

    /// The private key's PKCS#8 DER.
    fn open(&self, key: &sso_key::Model) -> ApiResult<Vec<u8>> {
        let corrupt = |what: &str| {
            ApiError::internal(anyhow::anyhow!(
                "signing key {}: {what} (is ADAL_SSO_KEY_SECRET the one that sealed it?)",
                key.kid
            ))
        };
        let Some(sealed) = key.private_key.strip_prefix(SEALED) else {
            // Stored before keys were sealed: plain base64 of the DER.
            return STANDARD
                .decode(&key.private_key)
                .map_err(|_| corrupt("not base64"));
        };
        let bytes = STANDARD.decode(sealed).map_err(|_| corrupt("not base64"))?;
        if bytes.len() <= NONCE_LEN {
            return Err(corrupt("too short"));
        }
        let (nonce, ciphertext) = bytes.split_at(NONCE_LEN);
        let nonce: [u8; NONCE_LEN] = nonce.try_into().map_err(|_| corrupt("too short"))?;
        self.cipher
            .decrypt(
                &Nonce::from(nonce),
                Payload {
                    msg: ciphertext,
                    aad: key.kid.as_bytes(),
                },
            )
            .map_err(|_| corrupt("it does not open"))
    }

    /// A new key pair, stored sealed.
    async fn create(
        &self,
        db: &impl ConnectionTrait,
        now: DateTime<Utc>,
    ) -> ApiResult<sso_key::Model> {
        let mut seed = [0u8; 32];
        rand::rng().fill_bytes(&mut seed);
        let signing = SigningKey::from_bytes(&seed);
        let der = signing
            .to_pkcs8_der()
            .map_err(|e| ApiError::internal(anyhow::anyhow!("encoding a signing key: {e}")))?;
        let public = URL_SAFE_NO_PAD.encode(signing.verifying_key().to_bytes());
        let kid = crate::rules::random_token()[..16].to_owned();
        Ok(sso_key::ActiveModel {
            private_key: Set(self.seal(&kid, der.as_bytes())?),
            kid: Set(kid),
            public_key: Set(public),
            created_at: Set(now),
            retired_at: Set(None),
            ..Default::default()
        }
        .insert(db)
        .await?)
    }

    /// The newest key not retired, made on first use.
    async fn newest(
        &self,
        db: &impl ConnectionTrait,
        now: DateTime<Utc>,
    ) -> ApiResult<sso_key::Model> {
        let found = sso_key::Entity::find()
            .filter(sso_key::Column::RetiredAt.is_null())
            .order_by_desc(sso_key::Column::Id)
            .one(db)
            .await?;
        match found {
            Some(k) => Ok(k),
            None => self.create(db, now).await,
        }
    }

    /// The key that signs now: the newest not retired, unless it has reached the rotation
    /// age, when a new one replaces it. Call it in the transaction that issues the token.
    pub async fn current(
        &self,
        db: &impl ConnectionTrait,
        now: DateTime<Utc>,
    ) -> ApiResult<sso_key::Model> {
        let key = self.newest(db, now).await?;
        match self.rotate_after {
            Some(age) if key.created_at + age <= now => {
                self.rotate(db, now, Rotation::Schedule).await
            }
            _ => Ok(key),
        }
    }

    /// Retires every current key and makes a new one.
    pub async fn rotate(
        &self,
        db: &impl ConnectionTrait,
        now: DateTime<Utc>,
        why: Rotation,
    ) -> ApiResult<sso_key::Model> {
        sso_key::Entity::update_many()
            .col_expr(sso_key::Column::RetiredAt, Expr::value(now))
            .filter(sso_key::Column::RetiredAt.is_null())
            .exec(db)
            .await?;
        let key = self.create(db, now).await?;
        adal_core::audit::record(
            db,
            None,
            "sso.key_rotated",
            "sso_key",
            key.id,
            json!({ "kid": key.kid, "why": why.code() }),
        )
        .await?;
        Ok(key)
    }

    /// The published keys: the current ones, and the retired ones a token signed before their
    /// retirement may still need (the token lifetime after it).
    pub async fn published(
        &self,
        db: &impl ConnectionTrait,
        now: DateTime<Utc>,
    ) -> ApiResult<Vec<sso_key::Model>> {
        self.newest(db, now).await?;
        Ok(sso_key::Entity::find()
            .filter(
                sea_orm::Condition::any()
                    .add(sso_key::Column::RetiredAt.is_null())
                    .add(sso_key::Column::RetiredAt.gt(now - self.token_ttl)),
            )
            .order_by_desc(sso_key::Column::Id)
            .all(db)
            .await?)
    }

    /// Seals the keys stored before keys were sealed; returns how many. Run at start.
    pub async fn seal_stored(&self, db: &impl ConnectionTrait) -> ApiResult<usize> {
        let plain = sso_key::Entity::find()
            .filter(sso_key::Column::PrivateKey.not_like(format!("{SEALED}%")))
            .all(db)
            .await?;
        for key in &plain {
            let der = self.open(key)?;
            let mut row: sso_key::ActiveModel = key.clone().into();
            row.private_key = Set(self.seal(&key.kid, &der)?);
            row.update(db).await?;
        }
        Ok(plain.len())
    }

    /// Signs claims with a key (EdDSA, its `kid` in the header).
    pub fn sign(&self, key: &sso_key::Model, claims: &Value) -> ApiResult<String> {
        let der = self.open(key)?;
        let mut header = Header::new(Algorithm::EdDSA);
        header.kid = Some(key.kid.clone());
        jsonwebtoken::encode(&header, claims, &EncodingKey::from_ed_der(&der))
            .map_err(|e| ApiError::internal(anyhow::anyhow!("signing an ID token: {e}")))
    }
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

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn keys(secret: &str) -> Keys {
        Keys::new(secret.as_bytes(), None, Duration::minutes(10))
    }

    fn row(kid: &str, private_key: String) -> sso_key::Model {
        sso_key::Model {
            id: 1,
            kid: kid.into(),
            private_key,
            public_key: String::new(),
            created_at: Utc::now(),
            retired_at: None,
        }
    }

    fn der() -> Vec<u8> {
        SigningKey::from_bytes(&[7u8; 32])
            .to_pkcs8_der()
            .unwrap()
            .as_bytes()
            .to_vec()
    }

    #[test]
    fn a_sealed_key_opens_only_with_its_secret_and_on_its_own_row() {
        let k = keys("secret one");
        let sealed = k.seal("kid-a", &der()).unwrap();
        assert!(sealed.starts_with(SEALED));
        // The DER's algorithm identifier (1.3.101.112) is not in what is stored.
        let stored = STANDARD.decode(&sealed[SEALED.len()..]).unwrap();
        assert!(
            !stored
                .windows(5)
                .any(|w| w == [0x06, 0x03, 0x2b, 0x65, 0x70])
        );
        assert_eq!(k.open(&row("kid-a", sealed.clone())).unwrap(), der());
        // Another secret, or the sealed value copied onto another key's row: it does not open.
        assert!(
            keys("secret two")
                .open(&row("kid-a", sealed.clone()))
                .is_err()
        );
        assert!(k.open(&row("kid-b", sealed.clone())).is_err());
        // A sealed value with one bit flipped does not open either.
        let mut flipped = stored;
        flipped[NONCE_LEN + 3] ^= 1;
        let flipped = format!("{SEALED}{}", STANDARD.encode(flipped));
        assert!(k.open(&row("kid-a", flipped)).is_err());
    }

    #[test]
    fn a_key_stored_before_sealing_still_opens_and_signs() {
        let k = keys("secret one");
        let plain = row("kid-old", STANDARD.encode(der()));
        assert_eq!(k.open(&plain).unwrap(), der());
        let jwt = k.sign(&plain, &json!({ "sub": "x" })).unwrap();
        assert_eq!(
            jsonwebtoken::decode_header(&jwt).unwrap().kid.as_deref(),
            Some("kid-old")
        );
    }
}
