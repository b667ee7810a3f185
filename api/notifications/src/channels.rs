//! Channels behind one trait: SMS through an HTTP gateway (sender 1414), eGov push through an
//! HTTP endpoint, e-mail through SMTP (`lettre`), registered letters through the post
//! operator's hybrid mail endpoint. Each is configured by settings; an
//! unconfigured channel answers `NotConfigured`, which the worker records on the message.
//!
//! The HTTP gateways receive `POST <url>` with a JSON body and the message's idempotency key
//! (in the body and as the `Idempotency-Key` header, so a retried request never produces a
//! second SMS), and answer `2xx {"id": "<provider message id>"}`. 429, 5xx, timeouts and
//! connection errors are transient (retried); other answers are permanent.

use std::sync::Arc;
use std::time::Duration;

use futures_util::future::BoxFuture;
use lettre::message::header::ContentType;
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use serde_json::json;
use tokio::sync::Mutex;
use tokio::time::Instant;

use super::http::{Answer, HttpClient};
use super::vocab::Channel;
use adal_core::settings::{Secret, Settings};

/// One message as a channel sends it.
#[derive(Debug, Clone)]
pub struct Outgoing {
    pub idempotency_key: String,
    /// Phone (SMS), IIN (push) or e-mail address.
    pub recipient: String,
    pub subject: String,
    pub body: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SendError {
    NotConfigured,
    /// Worth retrying (timeouts, 429, 5xx, connection errors).
    Transient(String),
    /// Retrying will not help (refused by the provider).
    Permanent(String),
}

impl SendError {
    pub fn describe(&self, channel: Channel) -> String {
        match self {
            SendError::NotConfigured => format!("{channel} channel not configured"),
            SendError::Transient(e) | SendError::Permanent(e) => e.clone(),
        }
    }
}

/// A delivery channel. Returns the provider's message id.
pub trait Sender: Send + Sync {
    fn send<'a>(&'a self, msg: &'a Outgoing) -> BoxFuture<'a, Result<String, SendError>>;
}

/// The process-wide TLS provider for SMTPS (lettre's rustls), ring as sqlx uses; installed only
/// when none is.
pub fn install_tls_provider() {
    if rustls::crypto::CryptoProvider::get_default().is_none() {
        let _ = rustls::crypto::ring::default_provider().install_default();
    }
}

/// SMS or push over an HTTP gateway.
pub struct HttpGateway {
    client: HttpClient,
    url: Option<String>,
    token: Option<Secret>,
    channel: Channel,
    sender: String,
}

impl HttpGateway {
    fn body(&self, msg: &Outgoing) -> serde_json::Value {
        match self.channel {
            Channel::Sms => json!({
                "sender": self.sender,
                "to": msg.recipient,
                "text": msg.body,
                "idempotency_key": msg.idempotency_key,
            }),
            // The post operator prints the letter and takes the address by IIN from the
            // state register of individuals; it is registered: handed over against a signature.
            Channel::Post => json!({
                "iin": msg.recipient,
                "title": msg.subject,
                "body": msg.body,
                "registered": true,
                "idempotency_key": msg.idempotency_key,
            }),
            _ => json!({
                "iin": msg.recipient,
                "title": msg.subject,
                "body": msg.body,
                "idempotency_key": msg.idempotency_key,
            }),
        }
    }
}

/// Classifies an HTTP answer of a gateway: the provider's message id, or why not.
pub fn read_answer(a: &Answer) -> Result<String, SendError> {
    if (200..300).contains(&a.status) {
        let v: serde_json::Value = serde_json::from_slice(&a.body)
            .map_err(|e| SendError::Transient(format!("unreadable gateway answer: {e}")))?;
        return v["id"]
            .as_str()
            .map(str::to_owned)
            .or_else(|| v["id"].as_i64().map(|i| i.to_string()))
            .ok_or_else(|| SendError::Permanent("gateway answer without an id".into()));
    }
    let text: String = String::from_utf8_lossy(&a.body).chars().take(200).collect();
    let e = format!("gateway answered {}: {text}", a.status);
    if a.status == 429 || a.status == 408 || a.status >= 500 {
        Err(SendError::Transient(e))
    } else {
        Err(SendError::Permanent(e))
    }
}

impl Sender for HttpGateway {
    fn send<'a>(&'a self, msg: &'a Outgoing) -> BoxFuture<'a, Result<String, SendError>> {
        Box::pin(async move {
            let Some(url) = &self.url else {
                return Err(SendError::NotConfigured);
            };
            let auth = self
                .token
                .as_ref()
                .map(|t| format!("Bearer {}", t.expose()));
            let mut headers = vec![("Idempotency-Key", msg.idempotency_key.as_str())];
            if let Some(a) = &auth {
                headers.push(("Authorization", a.as_str()));
            }
            let answer = self
                .client
                .post_json(url, &headers, &self.body(msg))
                .await
                .map_err(|e| SendError::Transient(e.to_string()))?;
            read_answer(&answer)
        })
    }
}

/// E-mail over SMTP.
pub struct Smtp {
    transport: Option<AsyncSmtpTransport<Tokio1Executor>>,
    from: String,
}

impl Smtp {
    fn new(settings: &Settings) -> anyhow::Result<Self> {
        let transport = match &settings.smtp_url {
            Some(url) => {
                install_tls_provider();
                Some(
                    AsyncSmtpTransport::<Tokio1Executor>::from_url(url.expose())
                        .map_err(|e| anyhow::anyhow!("invalid smtp_url: {e}"))?
                        .timeout(Some(Duration::from_millis(settings.notify_timeout_ms)))
                        .build(),
                )
            }
            None => None,
        };
        Ok(Self {
            transport,
            from: settings.email_from.clone(),
        })
    }
}

impl Sender for Smtp {
    fn send<'a>(&'a self, msg: &'a Outgoing) -> BoxFuture<'a, Result<String, SendError>> {
        Box::pin(async move {
            let Some(transport) = &self.transport else {
                return Err(SendError::NotConfigured);
            };
            let from = self
                .from
                .parse()
                .map_err(|_| SendError::Permanent("email_from is not an address".into()))?;
            let to = msg.recipient.parse().map_err(|_| {
                SendError::Permanent("the recipient is not an e-mail address".into())
            })?;
            // The idempotency key is the Message-ID: a resent e-mail is recognisable as the same.
            let id = format!("<{}@adal>", msg.idempotency_key.replace([':', ' '], "."));
            let email = lettre::Message::builder()
                .from(from)
                .to(to)
                .subject(msg.subject.clone())
                .message_id(Some(id.clone()))
                .header(ContentType::TEXT_PLAIN)
                .body(msg.body.clone())
                .map_err(|e| SendError::Permanent(format!("cannot build the e-mail: {e}")))?;
            match transport.send(email).await {
                Ok(_) => Ok(id),
                Err(e) if e.is_permanent() => Err(SendError::Permanent(format!("smtp: {e}"))),
                Err(e) => Err(SendError::Transient(format!("smtp: {e}"))),
            }
        })
    }
}

/// Spaces sends of one channel to a rate (per worker process).
pub struct RateLimit {
    interval: Duration,
    next: Mutex<Instant>,
}

impl RateLimit {
    pub fn per_second(rate: u32) -> Self {
        Self {
            interval: Duration::from_secs_f64(1.0 / f64::from(rate.max(1))),
            next: Mutex::new(Instant::now()),
        }
    }

    pub async fn acquire(&self) {
        let at = {
            let mut next = self.next.lock().await;
            let now = Instant::now();
            let at = (*next).max(now);
            *next = at + self.interval;
            at
        };
        tokio::time::sleep_until(at).await;
    }
}

/// The configured channels with their rate limits.
#[derive(Clone)]
pub struct Channels {
    pub sms: Arc<dyn Sender>,
    pub push: Arc<dyn Sender>,
    pub email: Arc<dyn Sender>,
    pub post: Arc<dyn Sender>,
    limits: Arc<[RateLimit; 4]>,
}

impl Channels {
    pub fn from_settings(settings: &Settings) -> anyhow::Result<Self> {
        let client = HttpClient::new(Duration::from_millis(settings.notify_timeout_ms))?;
        let gateway = |channel, url: &Option<String>, token: &Option<Secret>| HttpGateway {
            client: client.clone(),
            url: url.clone().filter(|u| !u.trim().is_empty()),
            token: token.clone(),
            channel,
            sender: settings.sms_sender.clone(),
        };
        Ok(Self {
            sms: Arc::new(gateway(
                Channel::Sms,
                &settings.sms_gateway_url,
                &settings.sms_gateway_token,
            )),
            push: Arc::new(gateway(
                Channel::Push,
                &settings.push_gateway_url,
                &settings.push_gateway_token,
            )),
            email: Arc::new(Smtp::new(settings)?),
            post: Arc::new(gateway(
                Channel::Post,
                &settings.post_gateway_url,
                &settings.post_gateway_token,
            )),
            limits: Arc::new([
                RateLimit::per_second(settings.sms_rate_per_sec),
                RateLimit::per_second(settings.push_rate_per_sec),
                RateLimit::per_second(settings.email_rate_per_sec),
                RateLimit::per_second(settings.post_rate_per_sec),
            ]),
        })
    }

    pub fn sender(&self, c: Channel) -> &Arc<dyn Sender> {
        match c {
            Channel::Sms => &self.sms,
            Channel::Push => &self.push,
            Channel::Email => &self.email,
            Channel::Post => &self.post,
        }
    }

    pub async fn wait_turn(&self, c: Channel) {
        let i = match c {
            Channel::Sms => 0,
            Channel::Push => 1,
            Channel::Email => 2,
            Channel::Post => 3,
        };
        self.limits[i].acquire().await;
    }
}
