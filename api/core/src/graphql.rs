//! The GraphQL HTTP endpoint (for the schema the server merges from the domains' roots), following the
//! GraphQL over HTTP specification: `application/graphql-response+json` with 4xx for request
//! errors, `application/json` (always 200) for older clients.

use std::time::Instant;

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderMap};
use actix_web::{HttpRequest, HttpResponse, web};
use async_graphql::http::MultipartOptions;
use async_graphql::{ErrorExtensions, Executor, Response, ServerError, Value};

use crate::auth::actor::{Actor, Caller, TokenProblem};
use crate::state::AppState;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum MediaType {
    GraphqlResponse,
    Json,
}

impl MediaType {
    fn as_str(self) -> &'static str {
        match self {
            MediaType::GraphqlResponse => "application/graphql-response+json; charset=utf-8",
            MediaType::Json => "application/json; charset=utf-8",
        }
    }
}

/// Picks the response media type from `Accept`; `None` when the client accepts neither.
fn negotiate(headers: &HeaderMap) -> Option<MediaType> {
    let Some(accept) = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()) else {
        return Some(MediaType::Json);
    };
    let types: Vec<String> = accept
        .split(',')
        .map(|t| {
            t.split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase()
        })
        .collect();
    if types
        .iter()
        .any(|t| t == "application/graphql-response+json")
    {
        Some(MediaType::GraphqlResponse)
    } else if types
        .iter()
        .any(|t| t == "application/json" || t == "application/*" || t == "*/*")
    {
        Some(MediaType::Json)
    } else {
        None
    }
}

fn error_body(message: &str) -> serde_json::Value {
    error_body_with("BAD_USER_INPUT", message)
}

fn error_body_with(code: &str, message: &str) -> serde_json::Value {
    serde_json::json!({
        "errors": [{ "message": message, "extensions": { "code": code } }]
    })
}

fn reply(media: MediaType, status: StatusCode, body: &serde_json::Value) -> HttpResponse {
    HttpResponse::build(status)
        .content_type(media.as_str())
        .body(body.to_string())
}

/// The language a request asks its answer in: the first tag of `Accept-Language` when it is
/// one of Adal's (`kk`, `ru-RU`, `en;q=0.9` ...), else none (the account's saved language).
pub fn request_language(req: &HttpRequest) -> Option<crate::vocab::Language> {
    let first = req
        .headers()
        .get(header::ACCEPT_LANGUAGE)?
        .to_str()
        .ok()?
        .split(',')
        .next()?;
    let primary = first
        .split([';', '-', '_'])
        .next()?
        .trim()
        .to_ascii_lowercase();
    crate::vocab::Language::from_db(&primary)
}

/// Who is calling: the actor of a valid bearer token, else anonymous with the reason.
pub async fn identify(
    req: &HttpRequest,
    state: &AppState,
) -> Result<Caller, crate::error::ApiError> {
    let client_addr = crate::net::client_addr(req, &state.trusted_proxies).map(|a| a.to_string());
    let refresh_cookie = crate::auth::cookie::refresh_from(req);
    let token = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            v.strip_prefix("Bearer ")
                .or_else(|| v.strip_prefix("bearer "))
        })
        .map(str::trim);
    let Some(token) = token else {
        return Ok(Caller {
            client_addr,
            refresh_cookie,
            ..Caller::default()
        });
    };
    let (actor, problem) = match state.keys.verify_access(token) {
        Ok(claims) => match Actor::load(&state.db, claims.account_id).await? {
            Some(mut actor) if actor.session_epoch == claims.session_epoch => {
                // The interface's language for this request (the portals send the one the
                // person reads now, which need not be the account's saved default).
                if let Some(l) = request_language(req) {
                    actor.language = l;
                }
                (Some(actor), None)
            }
            // Disabled, gone, or its password changed since the token was issued.
            _ => (None, Some(TokenProblem::Invalid)),
        },
        Err(p) => (None, Some(p)),
    };
    let second_factor_missing = actor
        .as_ref()
        .is_some_and(|a| crate::auth::second_factor::setup_missing(a, &state.second_factor_roles));
    Ok(Caller {
        actor,
        token_problem: problem,
        client_addr,
        refresh_cookie,
        second_factor_missing,
    })
}

/// The signed-in person behind a plain HTTP endpoint (exports, downloads), who must hold one
/// of `roles`: UNAUTHENTICATED without a valid token, FORBIDDEN without the role.
pub async fn http_actor(
    req: &HttpRequest,
    state: &AppState,
    roles: &[crate::auth::roles::Role],
) -> Result<Actor, crate::error::ApiError> {
    let caller = identify(req, state).await?;
    if caller.second_factor_missing {
        return Err(crate::auth::second_factor::setup_required());
    }
    let actor = caller
        .actor
        .ok_or(crate::error::ApiError::Unauthenticated)?;
    if actor.has_any(roles) {
        Ok(actor)
    } else {
        Err(crate::error::ApiError::Forbidden)
    }
}

/// Every error leaves with a machine code; errors without one are internal and lose their text.
fn finish_errors(errors: &mut [ServerError], request_error: bool, query: Option<&str>) {
    for e in errors {
        let has_code = e
            .extensions
            .as_ref()
            .is_some_and(|x| x.get("code").is_some());
        if has_code {
            continue;
        }
        if request_error {
            // A value refused while the complexity is computed is reported at its field.
            let arg = named_argument(&e.message).or_else(|| {
                is_coercion_failure(&e.message)
                    .then(|| out_of_range_argument_at(query?, e.locations.first().copied()?))
                    .flatten()
            });
            let ext = e.extensions.get_or_insert_with(Default::default);
            ext.set("code", "BAD_USER_INPUT");
            if let Some(arg) = arg {
                ext.set("field", arg);
            }
        } else if is_coercion_failure(&e.message) {
            // A value the schema's types refuse (an `Int` out of range, a malformed `ID`):
            // the caller's input, named by its argument.
            let arg = query.and_then(|q| argument_at(q, e.locations.first().copied()?));
            let ext = e.extensions.get_or_insert_with(Default::default);
            ext.set("code", "BAD_USER_INPUT");
            if let Some(arg) = arg {
                ext.set("field", arg);
            }
        } else {
            tracing::error!(error = %e.message, "unclassified resolver error");
            e.message = "internal error".into();
            e.extensions
                .get_or_insert_with(Default::default)
                .set("code", "INTERNAL");
        }
    }
}

/// Messages async-graphql gives a value its input types refuse while executing.
fn is_coercion_failure(message: &str) -> bool {
    message.starts_with("Failed to parse \"")
        || message.starts_with("Expected input type \"")
        || message.starts_with("Invalid value for argument")
}

/// The argument a validation message names: `Invalid value for argument "first", ...`.
fn named_argument(message: &str) -> Option<String> {
    let rest = &message[message.find("argument \"")? + "argument \"".len()..];
    let name = &rest[..rest.find('"')?];
    (!name.is_empty()).then(|| name.to_owned())
}

/// The argument of the field at `pos` whose literal is a number no `Int` holds (a page size
/// written too large): async-graphql reports such a value at its field when it computes the
/// field's complexity.
fn out_of_range_argument_at(query: &str, pos: async_graphql::Pos) -> Option<String> {
    find_argument(query, &|field, _, value| {
        // A number literal prints as itself.
        let text = value.to_string();
        field == pos && text.parse::<f64>().is_ok() && text.parse::<i32>().is_err()
    })
}

/// The name of the field argument whose value starts at `pos` in the query.
fn argument_at(query: &str, pos: async_graphql::Pos) -> Option<String> {
    find_argument(query, &|_, at, _| at == pos)
}

/// The name of the first argument in the query (its operations, then its fragments) that
/// `picks(field position, value position, value)` chooses.
fn find_argument(
    query: &str,
    picks: &dyn Fn(async_graphql::Pos, async_graphql::Pos, &dyn std::fmt::Display) -> bool,
) -> Option<String> {
    use async_graphql::parser::types::{Selection, SelectionSet};
    type Picks<'a> =
        &'a dyn Fn(async_graphql::Pos, async_graphql::Pos, &dyn std::fmt::Display) -> bool;
    fn walk(set: &SelectionSet, picks: Picks<'_>) -> Option<String> {
        set.items.iter().find_map(|item| match &item.node {
            Selection::Field(f) => f
                .node
                .arguments
                .iter()
                .find(|(_, v)| picks(f.pos, v.pos, &v.node))
                .map(|(n, _)| n.node.to_string())
                .or_else(|| walk(&f.node.selection_set.node, picks)),
            Selection::InlineFragment(f) => walk(&f.node.selection_set.node, picks),
            Selection::FragmentSpread(_) => None,
        })
    }
    let doc = async_graphql::parser::parse_query(query).ok()?;
    doc.operations
        .iter()
        .find_map(|(_, op)| walk(&op.node.selection_set.node, picks))
        .or_else(|| {
            doc.fragments
                .values()
                .find_map(|f| walk(&f.node.selection_set.node, picks))
        })
}

/// Why a body was not read to its end.
enum BodyProblem {
    TooLarge,
    Unreadable,
}

/// Parses a multipart upload as it arrives: files go to temporary files (async-graphql's
/// `tempfile`), never whole into memory, and reading stops as soon as `limit` bytes have come.
/// The body is pumped through a small channel because actix's payload stays on its thread.
async fn receive_multipart(
    content_type: Option<String>,
    mut payload: web::Payload,
    limit: usize,
) -> Result<Result<async_graphql::Request, async_graphql::ParseRequestError>, BodyProblem> {
    use futures_util::{StreamExt, TryStreamExt};
    use std::sync::Arc;
    use std::sync::atomic::{AtomicU8, Ordering};
    const READ_ALL: u8 = 0;
    const TOO_LARGE: u8 = 1;
    const UNREADABLE: u8 = 2;
    let outcome = Arc::new(AtomicU8::new(READ_ALL));
    let (tx, rx) = tokio::sync::mpsc::channel::<std::io::Result<web::Bytes>>(4);
    let pump = {
        let outcome = outcome.clone();
        async move {
            let mut total = 0usize;
            while let Some(chunk) = payload.next().await {
                let item = match chunk {
                    Ok(c) => {
                        total += c.len();
                        if total > limit {
                            outcome.store(TOO_LARGE, Ordering::SeqCst);
                            Err(std::io::Error::other("the upload is too large"))
                        } else {
                            Ok(c)
                        }
                    }
                    Err(e) => {
                        outcome.store(UNREADABLE, Ordering::SeqCst);
                        Err(std::io::Error::other(e.to_string()))
                    }
                };
                let stop = item.is_err();
                // The parser stopped listening (it refused the request): stop reading.
                if tx.send(item).await.is_err() || stop {
                    break;
                }
            }
        }
    };
    let chunks = futures_util::stream::unfold(rx, |mut rx| async move {
        rx.recv().await.map(|item| (item, rx))
    });
    let reader = Box::pin(chunks).into_async_read();
    let options = MultipartOptions::default()
        .max_num_files(20)
        .max_file_size(limit);
    let ((), parsed) = futures_util::future::join(
        pump,
        async_graphql::http::receive_body(content_type, reader, options),
    )
    .await;
    match outcome.load(Ordering::SeqCst) {
        TOO_LARGE => Err(BodyProblem::TooLarge),
        UNREADABLE => Err(BodyProblem::Unreadable),
        _ => Ok(parsed),
    }
}

/// Reads the body up to `limit` bytes; `None` when it is larger.
async fn read_body(
    mut payload: web::Payload,
    limit: usize,
) -> Result<Option<web::BytesMut>, actix_web::Error> {
    use futures_util::StreamExt;
    let mut body = web::BytesMut::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk?;
        if body.len() + chunk.len() > limit {
            return Ok(None);
        }
        body.extend_from_slice(&chunk);
    }
    Ok(Some(body))
}

/// The schema twice: `ordinary`, with the depth limit, and `introspection`, without it, for
/// requests that ask nothing but the schema itself. Those are checked here with the same
/// limit, where `ofType` chains do not count: a chain is as deep as types wrap (`[Int!]!`) and
/// each link is one object, so it cannot multiply a response, while the standard
/// introspection query (graphql-js `getIntrospectionQuery()`, GraphiQL, code generators)
/// nests nine of them.
pub struct Schemas<S> {
    pub ordinary: S,
    pub introspection: S,
    pub depth_limit: usize,
    /// Adds what every request needs of its own (the crates' loaders, whose caches must not
    /// outlive a request).
    pub per_request:
        fn(async_graphql::Request, &sea_orm::DatabaseConnection) -> async_graphql::Request,
}

impl<S> Schemas<S> {
    /// The schema that answers `query`: `introspection` for an introspection-only query
    /// within the limit, `ordinary` otherwise (whose own limit then refuses it if too deep).
    pub fn for_query(&self, query: &str, operation: Option<&str>) -> &S {
        if (query.contains("__schema") || query.contains("__type"))
            && introspection_depth(query, operation).is_some_and(|d| d <= self.depth_limit)
        {
            &self.introspection
        } else {
            &self.ordinary
        }
    }
}

/// The depth of an operation that selects only `__schema`, `__type` and `__typename`, with
/// `ofType` fields not counted; `None` for any other operation.
fn introspection_depth(query: &str, operation: Option<&str>) -> Option<usize> {
    use async_graphql::parser::types::{ExecutableDocument, Selection, SelectionSet};
    fn depth(doc: &ExecutableDocument, set: &SelectionSet, budget: usize) -> Option<usize> {
        let budget = budget.checked_sub(1)?;
        let mut deepest = 0;
        for item in &set.items {
            let d = match &item.node {
                Selection::Field(f) => {
                    let inner = depth(doc, &f.node.selection_set.node, budget)?;
                    if f.node.name.node.as_str() == "ofType" {
                        inner
                    } else {
                        inner + 1
                    }
                }
                Selection::InlineFragment(f) => depth(doc, &f.node.selection_set.node, budget)?,
                Selection::FragmentSpread(s) => {
                    let f = doc.fragments.get(&s.node.fragment_name.node)?;
                    depth(doc, &f.node.selection_set.node, budget)?
                }
            };
            deepest = deepest.max(d);
        }
        Some(deepest)
    }
    let doc = async_graphql::parser::parse_query(query).ok()?;
    let op = doc
        .operations
        .iter()
        .find(|(name, _)| operation.is_none() || name.map(|n| n.as_str()) == operation)?
        .1;
    let only_introspection = op.node.selection_set.node.items.iter().all(|item| {
        matches!(&item.node, Selection::Field(f)
            if matches!(f.node.name.node.as_str(), "__schema" | "__type" | "__typename"))
    });
    if !only_introspection {
        return None;
    }
    // Fragments may spread each other: 64 levels is far beyond any real query.
    depth(&doc, &op.node.selection_set.node, 64)
}

pub async fn graphql_post<S: Executor>(
    req: HttpRequest,
    payload: web::Payload,
    schema: web::Data<Schemas<S>>,
    state: web::Data<AppState>,
) -> HttpResponse {
    let started = Instant::now();
    let Some(media) = negotiate(req.headers()) else {
        return HttpResponse::NotAcceptable()
            .content_type("application/json")
            .body(
                error_body("accept application/graphql-response+json or application/json")
                    .to_string(),
            );
    };
    let content_type = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let base = content_type
        .as_deref()
        .map(|ct| {
            ct.split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase()
        })
        .unwrap_or_default();
    let multipart = match base.as_str() {
        "application/json" => false,
        "multipart/form-data" => true,
        _ => {
            return reply(
                media,
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                &error_body(
                    "send the request as application/json (or multipart/form-data with files)",
                ),
            );
        }
    };
    // The caller is known from the headers alone, before a byte of the body is read: only
    // callers allowed to upload may send a large body.
    let caller = match identify(&req, &state).await {
        Ok(c) => c,
        Err(e) => {
            let mut resp = Response::from_errors(vec![ServerError::new(e.message(), None)]);
            finish_errors(&mut resp.errors, false, None);
            return respond(media, resp, started, None, None, &state.metrics);
        }
    };
    let limit = if multipart {
        match &caller.actor {
            None => {
                return reply(
                    media,
                    StatusCode::UNAUTHORIZED,
                    &error_body_with("UNAUTHENTICATED", "sign in to upload files"),
                );
            }
            Some(a) if !a.has_any(crate::auth::roles::UPLOADERS) => {
                return reply(
                    media,
                    StatusCode::FORBIDDEN,
                    &error_body_with("FORBIDDEN", "your role does not upload files"),
                );
            }
            Some(_) => state.settings.max_upload_bytes,
        }
    } else {
        state.settings.max_body_bytes
    };
    let too_large = || {
        reply(
            media,
            StatusCode::PAYLOAD_TOO_LARGE,
            &error_body(&format!("the request is larger than {limit} bytes")),
        )
    };
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit as u64) {
        return too_large();
    }
    let parsed = if multipart {
        receive_multipart(content_type, payload, limit).await
    } else {
        match read_body(payload, limit).await {
            Ok(Some(body)) => Ok(async_graphql::http::receive_body(
                content_type,
                body.as_ref(),
                MultipartOptions::default(),
            )
            .await),
            Ok(None) => Err(BodyProblem::TooLarge),
            Err(_) => Err(BodyProblem::Unreadable),
        }
    };
    let mut request = match parsed {
        Ok(Ok(r)) => r,
        Err(BodyProblem::TooLarge) | Ok(Err(async_graphql::ParseRequestError::PayloadTooLarge)) => {
            return too_large();
        }
        Err(BodyProblem::Unreadable) => {
            return reply(
                media,
                StatusCode::BAD_REQUEST,
                &error_body("the request body could not be read"),
            );
        }
        Ok(Err(e)) => {
            tracing::info!(status = 400, reason = %short_reason(&e), "graphql request refused");
            return reply(
                media,
                StatusCode::BAD_REQUEST,
                &error_body("the request body is not a valid GraphQL request"),
            );
        }
    };
    let actor = caller.actor.clone();
    // A client's operation named by its hash gets its text; one it may not run stops here.
    if let Err(e) =
        crate::clients::resolve_registered(&state.db, actor.as_ref(), &mut request).await
    {
        let response =
            Response::from_errors(vec![e.extend().into_server_error(Default::default())]);
        count_client_call(&state, actor.as_ref(), 0, 0, &response).await;
        return respond(media, response, started, None, None, &state.metrics);
    }
    let query = request.query.clone();
    let operation = request
        .operation_name
        .clone()
        .or_else(|| sole_operation_name(&query));
    let account = actor.as_ref().map(|a| a.account_id);
    let reads = std::sync::Arc::new(crate::audit::Reads::default());
    let spent = std::sync::Arc::new(crate::clients::Spent::default());
    let request = (schema.per_request)(
        request.data(caller).data(reads.clone()).data(spent.clone()),
        &state.db,
    );
    let mut response = schema
        .for_query(&query, operation.as_deref())
        .execute(request)
        .await;
    if let Some(masked) = reads.masked_extension() {
        response.extensions.insert("masked".into(), masked);
    }
    let masked = i64::try_from(reads.masked()).unwrap_or(i64::MAX);
    count_client_call(&state, actor.as_ref(), spent.get(), masked, &response).await;
    // Personal data leaves only with its read on the trail.
    if let Err(e) =
        crate::audit::record_reads(&state.db, actor.as_ref(), operation.as_deref(), &reads).await
    {
        e.log_cause();
        let mut resp = Response::from_errors(vec![ServerError::new(e.message(), None)]);
        finish_errors(&mut resp.errors, false, None);
        return respond(media, resp, started, operation, None, &state.metrics);
    }
    tracing::debug!(account.id = account, "graphql request served");
    respond(
        media,
        response,
        started,
        operation,
        Some(&query),
        &state.metrics,
    )
}

/// Counts a machine client's call in its day's use (calls, complexity spent, refusals, masked
/// fields); a person's passes uncounted. A count that cannot be written is logged, and the
/// answer still goes out.
async fn count_client_call(
    state: &AppState,
    actor: Option<&Actor>,
    cost: i64,
    masked: i64,
    response: &Response,
) {
    use crate::error::ErrorCode;
    let Some(actor) = actor.filter(|a| a.is_client) else {
        return;
    };
    let refusals = [
        ErrorCode::Forbidden,
        ErrorCode::RateLimited,
        ErrorCode::Unauthenticated,
    ];
    let refused = response.errors.iter().any(|e| {
        e.extensions.as_ref().is_some_and(|x| {
            matches!(x.get("code"), Some(Value::String(c))
                if refusals.iter().any(|r| r.as_str() == c))
        })
    });
    let call = crate::clients::Call {
        cost,
        refused,
        masked,
    };
    let day = crate::clock::local_day(state.settings.clock.now());
    if let Err(e) = crate::clients::count(&state.db, actor.account_id, day, call).await {
        e.log_cause();
    }
}

/// The name of the document's only operation, when the request did not name one (for the
/// audit trail, the metrics and a client's registered operations).
pub fn sole_operation_name(query: &str) -> Option<String> {
    use async_graphql::parser::types::DocumentOperations;
    match async_graphql::parser::parse_query(query).ok()?.operations {
        DocumentOperations::Single(_) => None,
        DocumentOperations::Multiple(ops) if ops.len() == 1 => {
            ops.keys().next().map(|n| n.to_string())
        }
        DocumentOperations::Multiple(_) => None,
    }
}

fn short_reason(e: &async_graphql::ParseRequestError) -> &'static str {
    use async_graphql::ParseRequestError as P;
    match e {
        P::Io(_) => "io",
        P::InvalidRequest(_) => "invalid json",
        P::InvalidFilesMap(_) => "invalid files map",
        P::InvalidMultipart(_) => "invalid multipart",
        P::MissingOperatorsPart => "missing operations part",
        P::MissingMapPart => "missing map part",
        P::NotUpload => "not an upload",
        P::MissingFiles => "missing files",
        P::PayloadTooLarge => "payload too large",
        P::UnsupportedBatch => "batch not supported",
        _ => "other",
    }
}

fn respond(
    media: MediaType,
    mut response: Response,
    started: Instant,
    operation: Option<String>,
    query: Option<&str>,
    metrics: &crate::metrics::Metrics,
) -> HttpResponse {
    // A request error: the document did not parse or validate, so nothing was executed.
    let request_error = response.data == Value::Null
        && !response.errors.is_empty()
        && response.errors.iter().all(|e| e.path.is_empty());
    finish_errors(&mut response.errors, request_error, query);
    let retry_after = response.errors.iter().find_map(|e| {
        let x = e.extensions.as_ref()?;
        match x.get("retryAfterSeconds")? {
            Value::Number(n) => n.as_i64(),
            _ => None,
        }
    });
    let status = match (media, request_error) {
        // Nothing but a rate limit came back (a sign-in, or a spent cost budget): say so in
        // the status too (the GraphQL over HTTP media type allows it when `data` is null).
        (MediaType::GraphqlResponse, _)
            if response.data == Value::Null && retry_after.is_some() =>
        {
            StatusCode::TOO_MANY_REQUESTS
        }
        (MediaType::GraphqlResponse, true) => StatusCode::BAD_REQUEST,
        _ => StatusCode::OK,
    };
    let body = if request_error {
        serde_json::json!({ "errors": response.errors })
    } else {
        match serde_json::to_value(&response) {
            Ok(v) => v,
            Err(e) => {
                tracing::error!(error = %e, "serialising a response");
                return HttpResponse::InternalServerError().finish();
            }
        }
    };
    let codes: Vec<String> = response
        .errors
        .iter()
        .filter_map(|e| e.extensions.as_ref()?.get("code").map(|c| c.to_string()))
        .collect();
    metrics.graphql_request(
        operation.as_deref(),
        started.elapsed().as_secs_f64(),
        &codes,
    );
    tracing::info!(
        operation = operation.as_deref().unwrap_or("-"),
        status = status.as_u16(),
        errors = ?codes,
        duration_ms = started.elapsed().as_millis() as u64,
        "graphql"
    );
    let mut res = reply(media, status, &body);
    // Headers a resolver set (the portals' refresh cookie).
    for (name, value) in &response.http_headers {
        if let (Ok(n), Ok(v)) = (
            header::HeaderName::from_bytes(name.as_str().as_bytes()),
            header::HeaderValue::from_bytes(value.as_bytes()),
        ) {
            res.headers_mut().append(n, v);
        }
    }
    if let Some(secs) = retry_after
        && let Ok(v) = header::HeaderValue::from_str(&secs.max(1).to_string())
    {
        res.headers_mut().insert(header::RETRY_AFTER, v);
    }
    res
}

/// An uploaded file of a GraphQL multipart request, read whole as a document; `field` names
/// the argument in the error when it cannot be read.
pub fn uploaded(
    ctx: &async_graphql::Context<'_>,
    upload: &async_graphql::Upload,
    field: &str,
) -> Result<crate::documents::Document, crate::error::ApiError> {
    use crate::error::ApiError;
    let v = upload
        .value(ctx)
        .map_err(|_| ApiError::bad_input(field, "the file could not be read"))?;
    let mut bytes = Vec::new();
    let mut reader = v.content;
    std::io::Read::read_to_end(&mut reader, &mut bytes).map_err(ApiError::internal)?;
    Ok(crate::documents::Document {
        file_name: v.filename,
        content_type: v
            .content_type
            .unwrap_or_else(|| "application/octet-stream".into()),
        bytes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn introspection_depth_does_not_count_of_type_chains() {
        let q = "query { __schema { types { fields { type { ...R } } } } } \
                 fragment R on __Type { kind ofType { kind ofType { kind ofType { kind } } } }";
        assert_eq!(introspection_depth(q, None), Some(5));
        assert_eq!(introspection_depth("{ __typename }", None), Some(1));
        // Anything but introspection at the top: the ordinary limits apply.
        assert_eq!(
            introspection_depth("{ me { language } __schema { description } }", None),
            None
        );
        // Nesting that multiplies a response still counts.
        let deep = "{ __schema { types { fields { type { fields { type { fields { type { name } } } } } } } } }";
        assert_eq!(introspection_depth(deep, None), Some(9));
        // A fragment spreading itself is refused, not followed forever.
        assert_eq!(
            introspection_depth(
                "{ __schema { types { ...A } } } fragment A on __Type { ofType { ...A } }",
                None
            ),
            None
        );
    }

    #[test]
    fn a_refused_value_is_named_by_its_argument() {
        let q = "query { graduates(first: 2147483648, after: \"x\") { totalCount } }";
        let pos = async_graphql::Pos {
            line: 1,
            column: 26,
        };
        assert_eq!(argument_at(q, pos).as_deref(), Some("first"));
        assert_eq!(
            argument_at(q, async_graphql::Pos { line: 1, column: 2 }),
            None
        );
        assert_eq!(
            named_argument(r#"Invalid value for argument "status", enumeration type "ObligationStatus" does not contain the value "NOPE""#).as_deref(),
            Some("status")
        );
        assert_eq!(
            named_argument(
                r#"Invalid value for argument "filter.status", expected type "ObligationStatus""#
            )
            .as_deref(),
            Some("filter.status")
        );
        assert!(is_coercion_failure(
            r#"Failed to parse "Int": Only integers from -2147483648 to 2147483647 are accepted."#
        ));
    }
    use actix_web::http::header::HeaderValue;

    fn accept(v: Option<&str>) -> Option<MediaType> {
        let mut h = HeaderMap::new();
        if let Some(v) = v {
            h.insert(header::ACCEPT, HeaderValue::from_str(v).unwrap());
        }
        negotiate(&h)
    }

    #[test]
    fn negotiation_follows_graphql_over_http() {
        assert_eq!(accept(None), Some(MediaType::Json));
        assert_eq!(
            accept(Some(
                "application/graphql-response+json, application/json;q=0.9"
            )),
            Some(MediaType::GraphqlResponse)
        );
        assert_eq!(accept(Some("application/json")), Some(MediaType::Json));
        assert_eq!(accept(Some("*/*")), Some(MediaType::Json));
        assert_eq!(accept(Some("text/html")), None);
    }
}
