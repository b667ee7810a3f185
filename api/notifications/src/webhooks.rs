//! Provider webhooks, each authenticated with an HMAC-SHA256 signature in
//! `X-Adal-Signature: sha256=<hex>` under the provider's configured secret, of
//! `<timestamp>.<raw body>` where `<timestamp>` is the `X-Adal-Timestamp` header (Unix
//! seconds). A missing or bad signature, a timestamp more than 5 minutes from this server's
//! clock (a replay), or no configured secret is answered 401 and changes nothing.
//!
//! - `POST /webhooks/sms/receipt`, `POST /webhooks/push/receipt`, `POST
//!   /webhooks/post/receipt` (a registered letter handed over, or returned): a delivery receipt
//!   `{"id": "<provider message id>", "reference": "<idempotency key>", "status":
//!   "delivered" | "failed", "error": "..."}`.
//!
//! Inbound SMS (`POST /webhooks/sms/inbound`) belong to the domain that asked the question
//! (the obligations' 511/512 consent flow) and use [`verify`], [`unauthorized`], [`bad`] and
//! [`internal`] from here.

use actix_web::{HttpRequest, HttpResponse, web};
use chrono::{DateTime, Utc};
use hmac::{Hmac, Mac};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use serde::Deserialize;
use sha2::Sha256;

use entities::notification_message;

use super::vocab::{Channel, MessageStatus};
use adal_core::error::ApiResult;
use adal_core::settings::Secret;
use adal_core::state::AppState;

pub const SIGNATURE_HEADER: &str = "X-Adal-Signature";
pub const TIMESTAMP_HEADER: &str = "X-Adal-Timestamp";

/// How far a signed timestamp may lie from this server's clock, either way.
pub const MAX_SKEW_SECS: i64 = 300;

/// `sha256=<hex>` of `<timestamp>.<body>` under a secret (providers and tests sign with this).
pub fn sign(secret: &str, timestamp: i64, body: &[u8]) -> String {
    let mut mac = match Hmac::<Sha256>::new_from_slice(secret.as_bytes()) {
        Ok(m) => m,
        Err(_) => return String::new(),
    };
    mac.update(format!("{timestamp}.").as_bytes());
    mac.update(body);
    format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
}

/// The headers a provider sends with `body` now: its timestamp and the signature over both.
pub fn signed_headers(secret: &str, body: &[u8]) -> [(&'static str, String); 2] {
    let now = Utc::now().timestamp();
    [
        (TIMESTAMP_HEADER, now.to_string()),
        (SIGNATURE_HEADER, sign(secret, now, body)),
    ]
}

/// Checks the timestamp's age and the signature (in constant time).
pub fn verify(secret: Option<&Secret>, req: &HttpRequest, body: &[u8]) -> bool {
    let Some(secret) = secret.filter(|s| !s.expose().is_empty()) else {
        return false;
    };
    let header = |name: &str| {
        req.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::trim)
    };
    let Some(timestamp) = header(TIMESTAMP_HEADER).and_then(|t| t.parse::<i64>().ok()) else {
        return false;
    };
    if (Utc::now().timestamp() - timestamp).abs() > MAX_SKEW_SECS {
        return false;
    }
    let Some(given) = header(SIGNATURE_HEADER)
        .and_then(|v| v.strip_prefix("sha256="))
        .and_then(|h| hex::decode(h).ok())
    else {
        return false;
    };
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(secret.expose().as_bytes()) else {
        return false;
    };
    mac.update(format!("{timestamp}.").as_bytes());
    mac.update(body);
    mac.verify_slice(&given).is_ok()
}

/// What became of a receipt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReceiptOutcome {
    Applied,
    /// No message of the channel has this id or reference.
    Unknown,
    /// The receipt's time lies before the message was sent, or ahead of this server's clock:
    /// it proves nothing and changes nothing.
    OutOfTime,
}

#[derive(Debug, Deserialize)]
pub struct Receipt {
    pub id: Option<String>,
    pub reference: Option<String>,
    pub status: String,
    pub error: Option<String>,
    pub at: Option<DateTime<Utc>>,
}

/// Applies a receipt whose time lies between the message's sending and now.
pub async fn apply_receipt(
    db: &DatabaseConnection,
    channel: Channel,
    r: &Receipt,
) -> ApiResult<ReceiptOutcome> {
    use notification_message::Column as C;
    let by_id = match &r.id {
        Some(id) => {
            notification_message::Entity::find()
                .filter(C::ProviderMessageId.eq(id.clone()))
                .filter(C::Channel.eq(channel.as_str()))
                .one(db)
                .await?
        }
        None => None,
    };
    let m = match (by_id, &r.reference) {
        (Some(m), _) => Some(m),
        (None, Some(key)) => {
            notification_message::Entity::find()
                .filter(C::IdempotencyKey.eq(key.clone()))
                .filter(C::Channel.eq(channel.as_str()))
                .one(db)
                .await?
        }
        (None, None) => None,
    };
    let Some(m) = m else {
        return Ok(ReceiptOutcome::Unknown);
    };
    let now = Utc::now();
    let at = r.at.unwrap_or(now);
    let before_sending = m.sent_at.is_none_or(|sent| at < sent);
    if before_sending || at > now + chrono::Duration::seconds(MAX_SKEW_SECS) {
        tracing::warn!(
            message.id = m.id,
            channel = channel.as_str(),
            "receipt dated outside its message's life refused"
        );
        return Ok(ReceiptOutcome::OutOfTime);
    }
    let open = [
        MessageStatus::Sending.as_str(),
        MessageStatus::Sent.as_str(),
    ];
    let mut q = notification_message::Entity::update_many();
    match r.status.as_str() {
        "delivered" => {
            q = q
                .col_expr(C::Status, Expr::value(MessageStatus::Delivered.as_str()))
                .col_expr(C::DeliveredAt, Expr::value(Some(at)));
        }
        _ => {
            let e: String = r
                .error
                .clone()
                .unwrap_or_else(|| format!("provider reported {}", r.status))
                .chars()
                .take(500)
                .collect();
            q = q
                .col_expr(C::Status, Expr::value(MessageStatus::Failed.as_str()))
                .col_expr(C::FailedAt, Expr::value(Some(at)))
                .col_expr(C::LastError, Expr::value(Some(e)));
        }
    }
    if let Some(id) = &r.id {
        q = q.col_expr(
            C::ProviderMessageId,
            Expr::value(Some(id.chars().take(120).collect::<String>())),
        );
    }
    let applied = q
        .filter(C::Id.eq(m.id))
        .filter(C::Status.is_in(open))
        .exec(db)
        .await?;
    if applied.rows_affected > 0 {
        adal_core::generation::bump(db, adal_core::generation::NOTIFICATIONS).await?;
    }
    tracing::info!(message.id = m.id, channel = channel.as_str(), status = %r.status, "delivery receipt");
    Ok(ReceiptOutcome::Applied)
}

pub fn unauthorized() -> HttpResponse {
    HttpResponse::Unauthorized()
        .content_type("application/json")
        .body(r#"{"error":"bad or missing signature"}"#)
}

pub fn bad(what: &str) -> HttpResponse {
    HttpResponse::BadRequest()
        .content_type("application/json")
        .body(serde_json::json!({ "error": what }).to_string())
}

pub fn internal(e: adal_core::error::ApiError) -> HttpResponse {
    if let adal_core::error::ApiError::Internal(cause) = &e {
        tracing::error!(error = format!("{cause:#}"), "webhook failed");
    }
    HttpResponse::InternalServerError().finish()
}

async fn receipt(
    channel: Channel,
    req: HttpRequest,
    body: web::Bytes,
    state: web::Data<AppState>,
) -> HttpResponse {
    let secret = match channel {
        Channel::Sms => state.settings.sms_webhook_secret.as_ref(),
        Channel::Push => state.settings.push_webhook_secret.as_ref(),
        Channel::Post => state.settings.post_webhook_secret.as_ref(),
        // SMTP sends no receipts: no route leads here.
        Channel::Email => None,
    };
    if !verify(secret, &req, &body) {
        tracing::warn!(
            channel = channel.as_str(),
            "receipt with a bad signature refused"
        );
        return unauthorized();
    }
    let Ok(r) = serde_json::from_slice::<Receipt>(&body) else {
        return bad("unreadable receipt");
    };
    match apply_receipt(&state.db, channel, &r).await {
        Ok(ReceiptOutcome::Applied) => HttpResponse::Ok().json(serde_json::json!({ "ok": true })),
        Ok(ReceiptOutcome::Unknown) => {
            HttpResponse::NotFound().json(serde_json::json!({ "error": "unknown message" }))
        }
        Ok(ReceiptOutcome::OutOfTime) => {
            bad("the receipt's time lies before the message was sent, or in the future")
        }
        Err(e) => internal(e),
    }
}

/// The webhook routes, registered by `startup`: a receipt route per channel that has them.
pub fn routes(cfg: &mut web::ServiceConfig) {
    for (path, channel) in [
        ("/webhooks/sms/receipt", Channel::Sms),
        ("/webhooks/push/receipt", Channel::Push),
        ("/webhooks/post/receipt", Channel::Post),
    ] {
        cfg.route(
            path,
            web::post().to(
                move |req: HttpRequest, body: web::Bytes, state: web::Data<AppState>| {
                    receipt(channel, req, body, state)
                },
            ),
        );
    }
}
