//! The one way the app talks to the API: typed GraphQL over `POST /graphql`.
//!
//! Sends the access token, refreshes the session shortly before it expires (once for all
//! concurrent requests, since the refresh token rotates) and once more on `UNAUTHENTICATED`;
//! when the session cannot be refreshed it ends it, and the shell sends the person to sign-in.

use std::cell::Cell;
use std::collections::HashMap;
use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;

use futures::lock::Mutex;
use gloo_net::http::Request;
use graphql_client::{GraphQLQuery, QueryBody};
use leptos::prelude::{Get, GetUntracked, LocalResource};
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
    /// A stable machine reason (`extensions.reason`, e.g. `NO_DELIVERED_NOTICE`) the page
    /// explains in the person's language, and the value at fault (`extensions.value`).
    pub reason: Option<(String, String)>,
}

impl ApiError {
    pub fn network(message: impl Into<String>) -> Self {
        Self::of(ErrorCode::Network, message.into())
    }

    /// An error without a field or a reason.
    fn of(code: ErrorCode, message: String) -> Self {
        Self {
            code,
            message,
            field: None,
            reason: None,
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
            reason: text("reason").map(|r| (r, text("value").unwrap_or_default())),
        }
    }

    /// Whether the error names this input field (`bin`, `input.bin`, ...).
    pub fn is_about(&self, field: &str) -> bool {
        self.field
            .as_deref()
            .is_some_and(|f| f == field || f.rsplit('.').next() == Some(field))
    }
}

/// Files of a multipart request: the variable path each fills (`variables.file`,
/// `variables.input.documents.0`) and the file the person chose.
pub type Files = [(String, web_sys::File)];

// The transport below is deliberately not generic: only building the query and decoding
// `data` are per operation (see docs/benchmarks.md, "Web bundle size"). A generic `send`
// was copied into the bundle once per operation, about 7 KB each.

/// The body of a request: JSON, or the GraphQL multipart request (`operations`, `map`, then
/// one part per file) when there are files.
fn body(
    req: gloo_net::http::RequestBuilder,
    query: &str,
    files: &Files,
) -> Result<gloo_net::http::Request, ApiError> {
    let net = |e: String| ApiError::network(e);
    if files.is_empty() {
        return req
            .header("Content-Type", "application/json")
            .body(query)
            .map_err(|e| net(e.to_string()));
    }
    let form = web_sys::FormData::new().map_err(|_| net("FormData".into()))?;
    let map: serde_json::Map<String, serde_json::Value> = files
        .iter()
        .enumerate()
        .map(|(i, (path, _))| (i.to_string(), serde_json::json!([path])))
        .collect();
    form.append_with_str("operations", query)
        .and_then(|()| form.append_with_str("map", &serde_json::Value::Object(map).to_string()))
        .map_err(|_| net("FormData".into()))?;
    for (i, (_, file)) in files.iter().enumerate() {
        form.append_with_blob_and_filename(&i.to_string(), file, &file.name())
            .map_err(|_| net("FormData".into()))?;
    }
    req.body(form).map_err(|e| net(e.to_string()))
}

/// The errors of a GraphQL response (its `data` skipped).
#[derive(serde::Deserialize)]
struct Errors {
    errors: Option<Vec<graphql_client::Error>>,
}

/// The `data` of a GraphQL response.
#[derive(serde::Deserialize)]
struct Data<T> {
    data: Option<T>,
}

/// Posts one operation without touching the session; the response text when it carries no
/// error.
async fn exchange(query: &str, token: Option<&str>, files: &Files) -> Result<String, ApiError> {
    let mut req = Request::post("/graphql")
        .header("Accept", "application/json")
        // Names and reasons in the language the person reads now.
        .header("Accept-Language", crate::session::ui_lang().code());
    if let Some(token) = token {
        req = req.header("Authorization", &format!("Bearer {token}"));
    }
    let resp = body(req, query, files)?
        .send()
        .await
        .map_err(|e| ApiError::network(e.to_string()))?;
    let status = resp.status();
    let text = resp
        .text()
        .await
        .map_err(|e| ApiError::network(format!("HTTP {status}: {e}")))?;
    match serde_json::from_str::<Errors>(&text) {
        Ok(Errors { errors: Some(errs) }) if !errs.is_empty() => {
            Err(ApiError::from_graphql(&errs[0]))
        }
        Ok(_) => Ok(text),
        Err(e) if status == 401 => Err(ApiError::of(ErrorCode::Unauthenticated, e.to_string())),
        Err(e) => Err(ApiError::network(format!("HTTP {status}: {e}"))),
    }
}

/// Decodes the `data` of a response [`exchange`] accepted.
fn decode<T: DeserializeOwned>(text: &str) -> Result<T, ApiError> {
    crate::decode::from_value(data_of(text)?)
        .map_err(|_| ApiError::network("the answer could not be read"))
}

/// The `data` of a response as JSON: parsing happens once here, not once per operation.
fn data_of(text: &str) -> Result<serde_json::Value, ApiError> {
    serde_json::from_str::<Data<serde_json::Value>>(text)
        .map_err(|e| ApiError::network(e.to_string()))?
        .data
        .ok_or_else(|| ApiError::network("no data"))
}

/// The JSON of an operation.
fn query_text<Q: GraphQLQuery>(variables: Q::Variables) -> Result<String, ApiError> {
    let query: QueryBody<Q::Variables> = Q::build_query(variables);
    serde_json::to_string(&query).map_err(|e| ApiError::network(e.to_string()))
}

thread_local! {
    /// Held while a refresh runs, so concurrent requests refresh once.
    static REFRESH_LOCK: std::rc::Rc<Mutex<()>> = std::rc::Rc::new(Mutex::new(()));
    /// How many times this page renewed its access token: a request that saw an earlier count
    /// was sent with a token already replaced.
    static RENEWALS: Cell<u64> = const { Cell::new(0) };
}

/// Milliseconds before expiry at which the access token is renewed.
const REFRESH_MARGIN_MS: f64 = 30_000.0;

fn renewals() -> u64 {
    RENEWALS.with(Cell::get)
}

/// Renews the access token with the refresh token of the `HttpOnly` cookie (rotated by the
/// API in the same answer). `seen` is the count of renewals when the caller took its token:
/// if another request renewed it since, nothing is sent (the cookie it would send is spent).
async fn refresh(seen: u64) -> Result<(), ApiError> {
    let lock = REFRESH_LOCK.with(|l| l.clone());
    let _guard = lock.lock().await;
    let Some(current) = session::current() else {
        return Err(ApiError::of(ErrorCode::Unauthenticated, String::new()));
    };
    if renewals() != seen {
        return Ok(());
    }
    let query = query_text::<RefreshSession>(gql::refresh_session::Variables)?;
    let data: gql::refresh_session::ResponseData = decode(&exchange(&query, None, &[]).await?)?;
    // Signed out while the answer was on its way (the person clicked sign-out as the page
    // loaded): the renewed session is not taken back, or the sign-in page would open the
    // portal again. Nor is the session "expired": the person ended it.
    if session::current().is_none() {
        return Ok(());
    }
    let s = data.refresh_session;
    let fresh = Session::new(s.access_token, s.expires_at, s.me.into(), current.active);
    session::adopt(fresh);
    RENEWALS.with(|r| r.set(r.get() + 1));
    Ok(())
}

/// The access token to send, renewed first when it expires soon (or this page has none yet),
/// and the count of renewals it belongs to. `Err` when the session cannot be renewed (it is
/// then ended); a network error sends the token as it is and lets the API decide.
async fn fresh_token() -> Result<(String, u64), ApiError> {
    let seen = renewals();
    if session::current().is_some_and(|s| s.expires_soon(REFRESH_MARGIN_MS)) {
        match refresh(seen).await {
            Err(e) if e.code == ErrorCode::Unauthenticated => {
                session::expire();
                return Err(e);
            }
            _ => {}
        }
    }
    let token = session::current()
        .map(|s| s.access_token)
        .unwrap_or_default();
    Ok((token, renewals()))
}

/// Sends an operation as the signed-in person (or anonymously when nobody is signed in).
pub async fn call<Q: GraphQLQuery>(variables: Q::Variables) -> Result<Q::ResponseData, ApiError>
where
    Q::ResponseData: DeserializeOwned,
{
    decode(&fetch_text(query_text::<Q>(variables), Vec::new()).await?)
}

/// [`call`] with files (a multipart request).
pub async fn call_with_files<Q: GraphQLQuery>(
    variables: Q::Variables,
    files: Vec<(String, web_sys::File)>,
) -> Result<Q::ResponseData, ApiError>
where
    Q::ResponseData: DeserializeOwned,
{
    decode(&fetch_text(query_text::<Q>(variables), files).await?)
}

/// A request on its way: boxed, so that waiting for it is compiled once, not per operation.
pub type Pending<T> = Pin<Box<dyn Future<Output = Result<T, ApiError>>>>;

/// Sends a mutation whose answer the page does not read (it reloads what changed instead),
/// with files if any (a multipart request): only building the query is per operation.
pub fn send<Q: GraphQLQuery>(
    variables: Q::Variables,
    files: Vec<(String, web_sys::File)>,
) -> Pending<()> {
    let text = fetch_text(query_text::<Q>(variables), files);
    Box::pin(async move { text.await.map(|_| ()) })
}

/// The response text of a query, as the signed-in person.
fn fetch_text(
    query: Result<String, ApiError>,
    files: Vec<(String, web_sys::File)>,
) -> Pending<String> {
    Box::pin(async move { call_text(&query?, &files).await })
}

/// The session's side of [`call`]: refresh shortly before expiry and once more on
/// `UNAUTHENTICATED`; end the session when it cannot be refreshed.
async fn call_text(query: &str, files: &Files) -> Result<String, ApiError> {
    if session::current().is_none() {
        return exchange(query, None, files).await;
    }
    let (token, seen) = fresh_token().await?;
    match exchange(query, Some(&token), files).await {
        Err(e) if e.code == ErrorCode::Unauthenticated => match refresh(seen).await {
            Ok(()) => {
                let token = session::current()
                    .map(|s| s.access_token)
                    .unwrap_or_default();
                let again = exchange(query, Some(&token), files).await;
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

/// The answer to a query as a page keeps it: the response's text, decoded when read.
type Answer = Result<std::rc::Rc<str>, ApiError>;
/// What fetches an [`Answer`]. Boxed, so that every page's resource is the same type.
type Fetch = Box<dyn Fn() -> Pin<Box<dyn Future<Output = Answer>>>>;

/// A query's result that follows the signals its variables read: it is fetched again when
/// they change (a filter, the language, a reload counter).
///
/// Every page's query shares one resource type (`LocalResource<Answer>`, fed by a boxed
/// fetcher), so Leptos' resource and future machinery is compiled into the bundle once,
/// not once per query; only building the query text and decoding `data` are per query
/// (see docs/benchmarks.md, "Web bundle size").
pub struct Query<Q> {
    answer: LocalResource<Answer>,
    query: PhantomData<fn() -> Q>,
}

impl<Q> Clone for Query<Q> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<Q> Copy for Query<Q> {}

fn answer(text: Pending<String>) -> Pin<Box<dyn Future<Output = Answer>>> {
    Box::pin(async move { text.await.map(std::rc::Rc::from) })
}

/// Starts a [`Query`] whose variables `variables` gives (reading signals tracks them).
pub fn query<Q: GraphQLQuery>(variables: impl Fn() -> Q::Variables + 'static) -> Query<Q> {
    let fetch: Fetch =
        Box::new(move || answer(fetch_text(query_text::<Q>(variables()), Vec::new())));
    Query {
        answer: LocalResource::new(fetch),
        query: PhantomData,
    }
}

impl<Q: GraphQLQuery> Query<Q>
where
    Q::ResponseData: DeserializeOwned,
{
    /// The result (tracked); `None` while the first answer loads. A later fetch keeps the
    /// previous result on screen until its answer arrives.
    pub fn get(self) -> Option<Result<Q::ResponseData, ApiError>> {
        Self::read(self.answer.get())
    }

    pub fn get_untracked(self) -> Option<Result<Q::ResponseData, ApiError>> {
        Self::read(self.answer.get_untracked())
    }

    fn read(answer: Option<Answer>) -> Option<Result<Q::ResponseData, ApiError>> {
        answer.map(|a| a.and_then(|text| decode(&text)))
    }
}

/// Sends an operation that needs no session (sign-in).
pub async fn call_anonymous<Q: GraphQLQuery>(
    variables: Q::Variables,
) -> Result<Q::ResponseData, ApiError>
where
    Q::ResponseData: DeserializeOwned,
{
    decode(&exchange(&query_text::<Q>(variables)?, None, &[]).await?)
}

/// Fetches a file of the API as the signed-in person (`Authorization` header, never a token
/// in the URL) and saves it.
pub async fn fetch_download(path: &str, file_name: &str) -> Result<(), ApiError> {
    let (mime, bytes) = fetch_file(path).await?;
    save(
        file_name,
        &mime,
        &js_sys::Uint8Array::from(bytes.as_slice()),
    )
}

/// Fetches a file of the API as the signed-in person to show it in the page: an object URL
/// of its bytes (the caller revokes it when the view goes) and its content type.
pub async fn fetch_object_url(path: &str) -> Result<(String, String), ApiError> {
    let (mime, bytes) = fetch_file(path).await?;
    let fail = || ApiError::network("open");
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes.as_slice()));
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type(&mime);
    let blob =
        web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &opts).map_err(|_| fail())?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(|_| fail())?;
    Ok((url, mime))
}

/// A file of the API (`Authorization` header, never a token in the URL): its content type
/// and bytes.
async fn fetch_file(path: &str) -> Result<(String, Vec<u8>), ApiError> {
    let token = match session::current() {
        Some(_) => Some(fresh_token().await?.0),
        None => None,
    };
    let mut req = Request::get(path).header("Accept-Language", crate::session::ui_lang().code());
    if let Some(access) = &token {
        req = req.header("Authorization", &format!("Bearer {access}"));
    }
    let resp = req
        .send()
        .await
        .map_err(|e| ApiError::network(e.to_string()))?;
    let code = match resp.status() {
        200 => None,
        401 => Some(ErrorCode::Unauthenticated),
        403 => Some(ErrorCode::Forbidden),
        404 => Some(ErrorCode::NotFound),
        400 => Some(ErrorCode::BadUserInput),
        _ => Some(ErrorCode::Internal),
    };
    if let Some(code) = code {
        return Err(ApiError::of(code, String::new()));
    }
    let mime = resp.headers().get("content-type").unwrap_or_default();
    let bytes = resp
        .binary()
        .await
        .map_err(|e| ApiError::network(e.to_string()))?;
    Ok((mime, bytes))
}

/// Saves text as a file the person downloads (a Blob behind an object URL).
pub fn download(file_name: &str, mime: &str, text: &str) -> Result<(), ApiError> {
    save(file_name, mime, &wasm_bindgen::JsValue::from_str(text))
}

fn save(file_name: &str, mime: &str, content: &wasm_bindgen::JsValue) -> Result<(), ApiError> {
    use wasm_bindgen::JsCast;
    let fail = || ApiError::network("download");
    let parts = js_sys::Array::of1(content);
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type(mime);
    let blob =
        web_sys::Blob::new_with_str_sequence_and_options(&parts, &opts).map_err(|_| fail())?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(|_| fail())?;
    let doc = web_sys::window()
        .and_then(|w| w.document())
        .ok_or_else(fail)?;
    let a: web_sys::HtmlAnchorElement = doc
        .create_element("a")
        .map_err(|_| fail())?
        .dyn_into()
        .map_err(|_| fail())?;
    a.set_href(&url);
    a.set_download(file_name);
    a.click();
    let _ = web_sys::Url::revoke_object_url(&url);
    Ok(())
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
        assert_eq!(a.reason, None);
        let e: graphql_client::Error = serde_json::from_str(
            r#"{"message":"unknown variable {nmae}","extensions":{"code":"BAD_USER_INPUT","field":"bodyRu","reason":"UNKNOWN_VARIABLE","value":"nmae"}}"#,
        )?;
        assert_eq!(
            ApiError::from_graphql(&e).reason,
            Some(("UNKNOWN_VARIABLE".into(), "nmae".into()))
        );
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
