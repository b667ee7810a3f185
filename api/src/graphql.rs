//! The GraphQL schema (the domains' roots merged) and its HTTP endpoint, following the
//! GraphQL over HTTP specification: `application/graphql-response+json` with 4xx for request
//! errors, `application/json` (always 200) for older clients.

use std::time::Instant;

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderMap};
use actix_web::{HttpRequest, HttpResponse, web};
use async_graphql::http::MultipartOptions;
use async_graphql::{EmptySubscription, MergedObject, Response, Schema, ServerError, Value};

use crate::accounts::graphql::{AccountsMutation, AccountsQuery};
use crate::audit::AuditQuery;
use crate::auth::actor::{Actor, Caller, TokenProblem};
use crate::auth::graphql::{AuthMutation, AuthQuery};
use crate::loaders::Loaders;
use crate::notifications::graphql::{NotificationsMutation, NotificationsQuery};
use crate::obligations::graphql::{ObligationsMutation, ObligationsQuery};
use crate::people::graphql::{PeopleMutation, PeopleQuery};
use crate::reference::graphql::{ReferenceMutation, ReferenceQuery};
use crate::state::AppState;

#[derive(MergedObject, Default)]
pub struct Query(
    AuthQuery,
    ReferenceQuery,
    PeopleQuery,
    AccountsQuery,
    AuditQuery,
    ObligationsQuery,
    NotificationsQuery,
);

#[derive(MergedObject, Default)]
pub struct Mutation(
    AuthMutation,
    ReferenceMutation,
    PeopleMutation,
    AccountsMutation,
    ObligationsMutation,
    NotificationsMutation,
);

pub type AdalSchema = Schema<Query, Mutation, EmptySubscription>;

/// The schema with its limits; `state` is absent only when printing the SDL.
pub fn build_schema(state: Option<&AppState>, depth: usize, complexity: usize) -> AdalSchema {
    let mut builder = Schema::build(Query::default(), Mutation::default(), EmptySubscription)
        .limit_depth(depth)
        .limit_complexity(complexity);
    if let Some(state) = state {
        builder = builder.data(state.clone());
    }
    builder.finish()
}

/// The schema in SDL, as kept in `schema.graphql`.
pub fn sdl() -> String {
    build_schema(None, usize::MAX, usize::MAX).sdl()
}

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
    serde_json::json!({
        "errors": [{ "message": message, "extensions": { "code": "BAD_USER_INPUT" } }]
    })
}

fn reply(media: MediaType, status: StatusCode, body: &serde_json::Value) -> HttpResponse {
    HttpResponse::build(status)
        .content_type(media.as_str())
        .body(body.to_string())
}

/// Who is calling: the actor of a valid bearer token, else anonymous with the reason.
pub(crate) async fn identify(
    req: &HttpRequest,
    state: &AppState,
) -> Result<Caller, crate::error::ApiError> {
    let client_addr = req.peer_addr().map(|a| a.ip().to_string());
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
            ..Caller::default()
        });
    };
    let (actor, problem) = match state.keys.verify_access(token) {
        Ok(account_id) => match Actor::load(&state.db, account_id).await? {
            Some(actor) => (Some(actor), None),
            None => (None, Some(TokenProblem::Invalid)),
        },
        Err(p) => (None, Some(p)),
    };
    Ok(Caller {
        actor,
        token_problem: problem,
        client_addr,
    })
}

/// The signed-in person behind a plain HTTP endpoint (exports, downloads), who must hold one
/// of `roles`: UNAUTHENTICATED without a valid token, FORBIDDEN without the role.
pub(crate) async fn http_actor(
    req: &HttpRequest,
    state: &AppState,
    roles: &[crate::auth::roles::Role],
) -> Result<Actor, crate::error::ApiError> {
    let actor = identify(req, state)
        .await?
        .actor
        .ok_or(crate::error::ApiError::Unauthenticated)?;
    if actor.has_any(roles) {
        Ok(actor)
    } else {
        Err(crate::error::ApiError::Forbidden)
    }
}

/// Every error leaves with a machine code; errors without one are internal and lose their text.
fn finish_errors(errors: &mut [ServerError], request_error: bool) {
    for e in errors {
        let has_code = e
            .extensions
            .as_ref()
            .is_some_and(|x| x.get("code").is_some());
        if has_code {
            continue;
        }
        if request_error {
            e.extensions
                .get_or_insert_with(Default::default)
                .set("code", "BAD_USER_INPUT");
        } else {
            tracing::error!(error = %e.message, "unclassified resolver error");
            e.message = "internal error".into();
            e.extensions
                .get_or_insert_with(Default::default)
                .set("code", "INTERNAL");
        }
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

pub async fn graphql_post(
    req: HttpRequest,
    payload: web::Payload,
    schema: web::Data<AdalSchema>,
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
    // Uploads (multipart) may be larger than plain requests.
    let limit = match base.as_str() {
        "application/json" => state.settings.max_body_bytes,
        "multipart/form-data" => state.settings.max_upload_bytes,
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
    let body = match read_body(payload, limit).await {
        Ok(Some(b)) => b,
        Ok(None) => {
            return reply(
                media,
                StatusCode::PAYLOAD_TOO_LARGE,
                &error_body(&format!("the request is larger than {limit} bytes")),
            );
        }
        Err(_) => {
            return reply(
                media,
                StatusCode::BAD_REQUEST,
                &error_body("the request body could not be read"),
            );
        }
    };
    let request = match async_graphql::http::receive_body(
        content_type,
        body.as_ref(),
        MultipartOptions::default().max_num_files(20),
    )
    .await
    {
        Ok(r) => r,
        Err(e) => {
            tracing::info!(status = 400, reason = %short_reason(&e), "graphql request refused");
            return reply(
                media,
                StatusCode::BAD_REQUEST,
                &error_body("the request body is not a valid GraphQL request"),
            );
        }
    };
    let caller = match identify(&req, &state).await {
        Ok(c) => c,
        Err(e) => {
            let mut resp = Response::from_errors(vec![ServerError::new(e.message(), None)]);
            finish_errors(&mut resp.errors, false);
            return respond(media, resp, started, None);
        }
    };
    let operation = request.operation_name.clone();
    let account = caller.actor.as_ref().map(|a| a.account_id);
    let request = request.data(caller).data(Loaders::new(&state.db));
    let response = schema.execute(request).await;
    tracing::debug!(account.id = account, "graphql request served");
    respond(media, response, started, operation)
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
) -> HttpResponse {
    // A request error: the document did not parse or validate, so nothing was executed.
    let request_error = response.data == Value::Null
        && !response.errors.is_empty()
        && response.errors.iter().all(|e| e.path.is_empty());
    finish_errors(&mut response.errors, request_error);
    let status = match (media, request_error) {
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
    tracing::info!(
        operation = operation.as_deref().unwrap_or("-"),
        status = status.as_u16(),
        errors = ?codes,
        duration_ms = started.elapsed().as_millis() as u64,
        "graphql"
    );
    reply(media, status, &body)
}

pub async fn graphiql() -> HttpResponse {
    crate::graphiql::page()
}

#[cfg(test)]
mod tests {
    use super::*;
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
