//! A small HTTPS client for the gateways: hyper with rustls on an explicit ring provider (so no
//! process-wide provider is needed and no second one is pulled in), a time limit per request.

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HttpError {
    Timeout,
    Unreachable(String),
    Other(String),
}

impl std::fmt::Display for HttpError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            HttpError::Timeout => f.write_str("gateway timed out"),
            HttpError::Unreachable(e) => write!(f, "gateway unreachable: {e}"),
            HttpError::Other(e) => write!(f, "gateway request failed: {e}"),
        }
    }
}

#[derive(Clone)]
pub struct HttpClient {
    client: Client<hyper_rustls::HttpsConnector<HttpConnector>, Full<Bytes>>,
    timeout: Duration,
}

/// An answer: status and body.
pub struct Answer {
    pub status: u16,
    pub body: Bytes,
}

impl HttpClient {
    pub fn new(timeout: Duration) -> anyhow::Result<Self> {
        let mut http = HttpConnector::new();
        http.enforce_http(false);
        http.set_connect_timeout(Some(timeout.min(Duration::from_secs(5))));
        let https = hyper_rustls::HttpsConnectorBuilder::new()
            .with_provider_and_webpki_roots(Arc::new(rustls::crypto::ring::default_provider()))?
            .https_or_http()
            .enable_http1()
            .wrap_connector(http);
        let client = Client::builder(TokioExecutor::new())
            .pool_idle_timeout(Duration::from_secs(30))
            .build(https);
        Ok(Self { client, timeout })
    }

    /// POSTs JSON with `Authorization: Bearer <token>` when a token is given (the adapters
    /// of the Social Wallet and the audit witness).
    pub async fn post_json_bearer(
        &self,
        url: &str,
        token: Option<&str>,
        body: &serde_json::Value,
    ) -> Result<Answer, HttpError> {
        let auth = token.map(|t| format!("Bearer {t}"));
        let headers: Vec<(&str, &str)> = auth
            .as_deref()
            .map(|a| vec![("authorization", a)])
            .unwrap_or_default();
        self.post_json(url, &headers, body).await
    }

    /// POSTs JSON with extra headers; the whole exchange is bounded by the time limit.
    pub async fn post_json(
        &self,
        url: &str,
        headers: &[(&str, &str)],
        body: &serde_json::Value,
    ) -> Result<Answer, HttpError> {
        let mut req = hyper::Request::post(url)
            .header("content-type", "application/json")
            .header("accept", "application/json");
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        let req = req
            .body(Full::new(Bytes::from(body.to_string())))
            .map_err(|e| HttpError::Other(e.to_string()))?;
        let exchange = async {
            let resp = self.client.request(req).await.map_err(|e| {
                if e.is_connect() {
                    HttpError::Unreachable(e.to_string())
                } else {
                    HttpError::Other(e.to_string())
                }
            })?;
            let status = resp.status().as_u16();
            let body = resp
                .into_body()
                .collect()
                .await
                .map_err(|e| HttpError::Other(e.to_string()))?
                .to_bytes();
            Ok(Answer { status, body })
        };
        match tokio::time::timeout(self.timeout, exchange).await {
            Ok(r) => r,
            Err(_) => Err(HttpError::Timeout),
        }
    }
}
