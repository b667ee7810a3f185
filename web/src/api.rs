//! The one way the app talks to the API: typed GraphQL over `POST /graphql`.
//!
//! Sends the access token, refreshes the session shortly before it expires (once for all
//! concurrent requests, since the refresh token rotates) and once more on `UNAUTHENTICATED`;
//! when the session cannot be refreshed it ends it, and the shell sends the person to sign-in.

use std::collections::HashMap;

use futures::lock::Mutex;
use gloo_net::http::Request;
use graphql_client::{GraphQLQuery, QueryBody, Response};
use serde::de::DeserializeOwned;

use crate::gql::{self, RefreshSession};
use crate::i18n::Key;
use crate::session::{self, Session};

/// The machine code in `extensions.code` of a GraphQL error.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorCode {
    Unauthenticated,
    Forbidden,
    NotFound,
    BadUserInput,
    Conflict,
    RateLimited,
    Internal,
    /// The API could not be reached or answered something that is not GraphQL.
    Network,
    /// An error without a code this app knows.
    Unknown,
}

impl ErrorCode {
    pub fn parse(code: &str) -> Self {
        match code {
            "UNAUTHENTICATED" => Self::Unauthenticated,
            "FORBIDDEN" => Self::Forbidden,
            "NOT_FOUND" => Self::NotFound,
            "BAD_USER_INPUT" => Self::BadUserInput,
            "CONFLICT" => Self::Conflict,
            "RATE_LIMITED" => Self::RateLimited,
            "INTERNAL" => Self::Internal,
            _ => Self::Unknown,
        }
    }

    /// The translated explanation shown to the person.
    pub fn key(self) -> Key {
        match self {
            Self::Unauthenticated => Key::ErrUnauthenticated,
            Self::Forbidden => Key::ErrForbidden,
            Self::NotFound => Key::ErrNotFound,
            Self::BadUserInput => Key::ErrBadUserInput,
            Self::Conflict => Key::ErrConflict,
            Self::RateLimited => Key::ErrRateLimited,
            Self::Internal => Key::ErrInternal,
            Self::Network => Key::ErrNetwork,
            Self::Unknown => Key::ErrUnknown,
        }
    }
}

/// An error of one request, as the page shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct ApiError {
    pub code: ErrorCode,
    /// The API's own message (shown for `BAD_USER_INPUT` and `CONFLICT`, where it explains
    /// what to change).
    pub message: String,
    /// For `BAD_USER_INPUT`: the input field at fault (`extensions.field`).
    pub field: Option<String>,
}

impl ApiError {
    fn network(message: impl Into<String>) -> Self {
        Self {
            code: ErrorCode::Network,
            message: message.into(),
            field: None,
        }
    }

    fn from_graphql(e: &graphql_client::Error) -> Self {
        let ext = e.extensions.as_ref();
        let text = |name: &str| -> Option<String> {
            ext.and_then(|x: &HashMap<String, serde_json::Value>| x.get(name))
                .and_then(|v| v.as_str())
                .map(str::to_string)
        };
        Self {
            code: text("code").map_or(ErrorCode::Unknown, |c| ErrorCode::parse(&c)),
            message: e.message.clone(),
            field: text("field"),
        }
    }

    /// Whether the error names this input field (`bin`, `input.bin`, ...).
    pub fn is_about(&self, field: &str) -> bool {
        self.field
            .as_deref()
            .is_some_and(|f| f == field || f.rsplit('.').next() == Some(field))
    }
}

/// Sends one operation without touching the session.
async fn send<Q: GraphQLQuery>(
    variables: Q::Variables,
    token: Option<&str>,
) -> Result<Q::ResponseData, ApiError>
where
    Q::ResponseData: DeserializeOwned,
{
    let body: QueryBody<Q::Variables> = Q::build_query(variables);
    let mut req = Request::post("/graphql").header("Accept", "application/json");
    if let Some(token) = token {
        req = req.header("Authorization", &format!("Bearer {token}"));
    }
    let resp = req
        .json(&body)
        .map_err(|e| ApiError::network(e.to_string()))?
        .send()
        .await
        .map_err(|e| ApiError::network(e.to_string()))?;
    let status = resp.status();
    let parsed: Response<Q::ResponseData> = match resp.json().await {
        Ok(r) => r,
        Err(e) if status == 401 => {
            return Err(ApiError {
                code: ErrorCode::Unauthenticated,
                message: e.to_string(),
                field: None,
            });
        }
        Err(e) => return Err(ApiError::network(format!("HTTP {status}: {e}"))),
    };
    if let Some(first) = parsed.errors.as_ref().and_then(|errs| errs.first()) {
        return Err(ApiError::from_graphql(first));
    }
    parsed
        .data
        .ok_or_else(|| ApiError::network(format!("HTTP {status}: no data")))
}

thread_local! {
    /// Held while a refresh runs, so concurrent requests refresh once.
    static REFRESH_LOCK: std::rc::Rc<Mutex<()>> = std::rc::Rc::new(Mutex::new(()));
}

/// Milliseconds before expiry at which the access token is renewed.
const REFRESH_MARGIN_MS: f64 = 30_000.0;

/// Swaps the refresh token for a new session. `seen` is the refresh token of the session the
/// caller used: if another request (or tab) already rotated it, nothing is sent. (Comparing
/// access tokens would not do: two issued in the same second can be identical.)
async fn refresh(seen: Option<&str>) -> Result<(), ApiError> {
    let lock = REFRESH_LOCK.with(|l| l.clone());
    let _guard = lock.lock().await;
    // Another tab may have rotated the tokens: the stored session is the newest.
    let Some(current) = session::stored() else {
        return Err(ApiError {
            code: ErrorCode::Unauthenticated,
            message: String::new(),
            field: None,
        });
    };
    if current.refresh_token.as_deref() != seen {
        session::adopt(current);
        return Ok(());
    }
    let Some(refresh_token) = current.refresh_token.clone() else {
        return Err(ApiError {
            code: ErrorCode::Unauthenticated,
            message: String::new(),
            field: None,
        });
    };
    let data =
        send::<RefreshSession>(gql::refresh_session::Variables { refresh_token }, None).await?;
    let s = data.refresh_session;
    let fresh = Session::new(
        s.access_token,
        s.expires_at,
        s.refresh_token,
        s.me.into(),
        current.active.clone(),
    );
    session::adopt(fresh);
    Ok(())
}

/// Sends an operation as the signed-in person (or anonymously when nobody is signed in).
pub async fn call<Q: GraphQLQuery>(variables: Q::Variables) -> Result<Q::ResponseData, ApiError>
where
    Q::Variables: Clone,
    Q::ResponseData: DeserializeOwned,
{
    let Some(current) = session::current() else {
        return send::<Q>(variables, None).await;
    };
    // The access token sent, and the refresh token of the same session.
    let mut token = current.access_token.clone();
    let mut seen = current.refresh_token.clone();
    if current.expires_soon(REFRESH_MARGIN_MS) {
        match refresh(seen.as_deref()).await {
            Ok(()) => {
                let now = session::current();
                token = now
                    .as_ref()
                    .map(|s| s.access_token.clone())
                    .unwrap_or_default();
                seen = now.and_then(|s| s.refresh_token);
            }
            Err(e) if e.code == ErrorCode::Unauthenticated => {
                session::expire();
                return Err(e);
            }
            // A network error: try the request anyway; the API decides.
            Err(_) => {}
        }
    }
    match send::<Q>(variables.clone(), Some(&token)).await {
        Err(e) if e.code == ErrorCode::Unauthenticated => match refresh(seen.as_deref()).await {
            Ok(()) => {
                let token = session::current()
                    .map(|s| s.access_token)
                    .unwrap_or_default();
                let again = send::<Q>(variables, Some(&token)).await;
                if matches!(&again, Err(e) if e.code == ErrorCode::Unauthenticated) {
                    session::expire();
                }
                again
            }
            Err(_) => {
                session::expire();
                Err(e)
            }
        },
        other => other,
    }
}

/// Sends an operation that needs no session (sign-in).
pub async fn call_anonymous<Q: GraphQLQuery>(
    variables: Q::Variables,
) -> Result<Q::ResponseData, ApiError>
where
    Q::ResponseData: DeserializeOwned,
{
    send::<Q>(variables, None).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_codes_and_fields_are_read_from_extensions() -> Result<(), serde_json::Error> {
        let e: graphql_client::Error = serde_json::from_str(
            r#"{"message":"BIN check digit is wrong","extensions":{"code":"BAD_USER_INPUT","field":"input.bin"}}"#,
        )?;
        let a = ApiError::from_graphql(&e);
        assert_eq!(a.code, ErrorCode::BadUserInput);
        assert!(a.is_about("bin"));
        assert!(!a.is_about("kind"));
        let e: graphql_client::Error = serde_json::from_str(r#"{"message":"boom"}"#)?;
        assert_eq!(ApiError::from_graphql(&e).code, ErrorCode::Unknown);
        for (code, want) in [
            ("UNAUTHENTICATED", ErrorCode::Unauthenticated),
            ("FORBIDDEN", ErrorCode::Forbidden),
            ("NOT_FOUND", ErrorCode::NotFound),
            ("CONFLICT", ErrorCode::Conflict),
            ("RATE_LIMITED", ErrorCode::RateLimited),
            ("INTERNAL", ErrorCode::Internal),
        ] {
            assert_eq!(ErrorCode::parse(code), want);
        }
        Ok(())
    }
}
