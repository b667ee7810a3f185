//! One error type at the API boundary, with stable machine codes in `extensions.code`.
//! Internal causes are logged with their chain and reach clients only as `INTERNAL`.

use async_graphql::ErrorExtensions;

use crate::identifiers::ParseError;

/// The machine codes a client may see. Each is used somewhere (a test checks them all).
pub const CODES: [&str; 7] = [
    "UNAUTHENTICATED",
    "FORBIDDEN",
    "NOT_FOUND",
    "BAD_USER_INPUT",
    "CONFLICT",
    "RATE_LIMITED",
    "INTERNAL",
];

/// Every machine code of `extensions.code`: the schema lists them as the enum `ErrorCode`, so
/// clients (and the web's test that each has a text in every language) read them from one place.
#[derive(async_graphql::Enum, Copy, Clone, Debug, PartialEq, Eq)]
pub enum ErrorCode {
    Unauthenticated,
    Forbidden,
    NotFound,
    BadUserInput,
    Conflict,
    RateLimited,
    Internal,
}

/// A refusal's stable machine reason (`extensions.reason`): always a variant of one of the
/// domains' `…Refusal` enums, which the schema lists with what each means, so that a client
/// explains every one in its person's language (the web's test finds a text for each). It is
/// made only from such an enum: a reason cannot be a string the schema does not list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Reason(&'static str);

/// An enum of a domain's refusal reasons (`ObligationRefusal`, …): the only kind of enum a
/// [`Reason`] is made from. Each one is registered in the server's schema, and the server's
/// `schema` test fails for one that is not, so that a reason never escapes the list that
/// clients translate.
pub trait Refusal: async_graphql::EnumType {}

impl Reason {
    /// The reason as `extensions.reason` and the schema spell it (`NO_DELIVERED_NOTICE`).
    pub fn as_str(self) -> &'static str {
        self.0
    }
}

impl<E: Refusal> From<E> for Reason {
    fn from(e: E) -> Self {
        // `items` lists every variant, so the search always finds `e`.
        Reason(
            E::items()
                .iter()
                .find(|item| item.value == e)
                .map_or("", |item| item.name),
        )
    }
}

impl ErrorCode {
    pub const ALL: &[ErrorCode] = &[
        ErrorCode::Unauthenticated,
        ErrorCode::Forbidden,
        ErrorCode::NotFound,
        ErrorCode::BadUserInput,
        ErrorCode::Conflict,
        ErrorCode::RateLimited,
        ErrorCode::Internal,
    ];

    /// The code as `extensions.code` and the schema spell it.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::Unauthenticated => "UNAUTHENTICATED",
            ErrorCode::Forbidden => "FORBIDDEN",
            ErrorCode::NotFound => "NOT_FOUND",
            ErrorCode::BadUserInput => "BAD_USER_INPUT",
            ErrorCode::Conflict => "CONFLICT",
            ErrorCode::RateLimited => "RATE_LIMITED",
            ErrorCode::Internal => "INTERNAL",
        }
    }
}

/// Not `Display` on purpose: async-graphql converts any `Display` type into an error without
/// extensions, so this type converts only through `From`, which attaches the code.
#[derive(Debug)]
pub enum ApiError {
    Unauthenticated,
    UnauthenticatedBecause(String),
    /// Not signed in, with a stable machine reason in `extensions.reason` (e.g.
    /// `SECOND_FACTOR_REQUIRED`: the password was right, the code is still to come).
    UnauthenticatedFor {
        reason: Reason,
        message: String,
    },
    Forbidden,
    /// Not allowed, with a stable machine reason in `extensions.reason` (e.g.
    /// `SECOND_FACTOR_SETUP_REQUIRED`: the role needs a second factor the account lacks).
    ForbiddenFor {
        reason: Reason,
        message: String,
    },
    NotFound(&'static str),
    BadInput {
        field: String,
        message: String,
    },
    /// Bad input with a stable machine reason in `extensions.reason` and the value at fault
    /// in `extensions.value` (e.g. `UNKNOWN_VARIABLE` and the variable's name), for clients
    /// that explain it in the person's language.
    BadInputBecause {
        field: String,
        reason: Reason,
        value: String,
        message: String,
    },
    Conflict(String),
    /// A conflict with a stable machine reason in `extensions.reason` (e.g.
    /// `NO_DELIVERED_NOTICE`), for clients that explain it.
    ConflictBecause {
        reason: Reason,
        message: String,
    },
    RateLimited {
        retry_after_secs: i64,
    },
    Internal(anyhow::Error),
}

impl ApiError {
    /// The message shown to clients (internal causes are never shown).
    pub fn message(&self) -> String {
        match self {
            ApiError::Unauthenticated => "sign-in required".into(),
            ApiError::UnauthenticatedBecause(m) | ApiError::Conflict(m) => m.clone(),
            ApiError::Forbidden => "not allowed for your role".into(),
            ApiError::NotFound(what) => format!("{what} not found"),
            ApiError::BadInput { message, .. }
            | ApiError::BadInputBecause { message, .. }
            | ApiError::UnauthenticatedFor { message, .. }
            | ApiError::ForbiddenFor { message, .. }
            | ApiError::ConflictBecause { message, .. } => message.clone(),
            ApiError::RateLimited { retry_after_secs } => {
                format!("too many attempts; try again in {retry_after_secs} s")
            }
            ApiError::Internal(_) => "internal error".into(),
        }
    }

    pub fn code(&self) -> &'static str {
        self.error_code().as_str()
    }

    /// The refusal's reason, as `extensions.reason` carries it, for the errors that have one.
    pub fn reason(&self) -> Option<Reason> {
        match self {
            ApiError::BadInputBecause { reason, .. }
            | ApiError::ConflictBecause { reason, .. }
            | ApiError::UnauthenticatedFor { reason, .. }
            | ApiError::ForbiddenFor { reason, .. } => Some(*reason),
            _ => None,
        }
    }

    /// The machine code, as the schema's `ErrorCode` enum lists it.
    pub fn error_code(&self) -> ErrorCode {
        match self {
            ApiError::Unauthenticated
            | ApiError::UnauthenticatedBecause(_)
            | ApiError::UnauthenticatedFor { .. } => ErrorCode::Unauthenticated,
            ApiError::Forbidden | ApiError::ForbiddenFor { .. } => ErrorCode::Forbidden,
            ApiError::NotFound(_) => ErrorCode::NotFound,
            ApiError::BadInput { .. } | ApiError::BadInputBecause { .. } => ErrorCode::BadUserInput,
            ApiError::Conflict(_) | ApiError::ConflictBecause { .. } => ErrorCode::Conflict,
            ApiError::RateLimited { .. } => ErrorCode::RateLimited,
            ApiError::Internal(_) => ErrorCode::Internal,
        }
    }

    pub fn bad_input(field: &str, message: impl Into<String>) -> Self {
        ApiError::BadInput {
            field: field.to_owned(),
            message: message.into(),
        }
    }

    pub fn internal(err: impl Into<anyhow::Error>) -> Self {
        ApiError::Internal(err.into())
    }
}

/// Attaches the input field a parse error belongs to.
pub trait FieldContext<T> {
    fn field(self, field: &str) -> Result<T, ApiError>;
}

impl<T> FieldContext<T> for Result<T, ParseError> {
    fn field(self, field: &str) -> Result<T, ApiError> {
        self.map_err(|e| ApiError::bad_input(field, e.0))
    }
}

impl From<sea_orm::DbErr> for ApiError {
    fn from(err: sea_orm::DbErr) -> Self {
        ApiError::Internal(err.into())
    }
}

impl ErrorExtensions for ApiError {
    fn extend(&self) -> async_graphql::Error {
        self.log_cause();
        async_graphql::Error::new(self.message()).extend_with(|_, e| {
            e.set("code", self.code());
            match self {
                ApiError::BadInput { field, .. } => e.set("field", field.as_str()),
                ApiError::BadInputBecause { field, value, .. } => {
                    e.set("field", field.as_str());
                    e.set("value", value.as_str());
                }
                ApiError::RateLimited { retry_after_secs } => {
                    e.set("retryAfterSeconds", *retry_after_secs)
                }
                _ => {}
            }
            if let Some(reason) = self.reason() {
                e.set("reason", reason.as_str());
            }
        })
    }
}

impl From<ApiError> for async_graphql::Error {
    fn from(err: ApiError) -> Self {
        err.extend()
    }
}

pub type ApiResult<T> = Result<T, ApiError>;

impl ApiError {
    /// The HTTP status of this error on the plain HTTP endpoints (exports, downloads,
    /// webhooks), and of a GraphQL response whose only outcome is this error.
    pub fn status(&self) -> actix_web::http::StatusCode {
        use actix_web::http::StatusCode as S;
        match self {
            ApiError::Unauthenticated
            | ApiError::UnauthenticatedBecause(_)
            | ApiError::UnauthenticatedFor { .. } => S::UNAUTHORIZED,
            ApiError::Forbidden | ApiError::ForbiddenFor { .. } => S::FORBIDDEN,
            ApiError::NotFound(_) => S::NOT_FOUND,
            ApiError::BadInput { .. } | ApiError::BadInputBecause { .. } => S::BAD_REQUEST,
            ApiError::Conflict(_) | ApiError::ConflictBecause { .. } => S::CONFLICT,
            ApiError::RateLimited { .. } => S::TOO_MANY_REQUESTS,
            ApiError::Internal(_) => S::INTERNAL_SERVER_ERROR,
        }
    }

    /// Logs an internal error's cause chain; the one place it is logged, at the boundary
    /// where the error leaves Adal (a GraphQL response, an HTTP refusal, a worker pass).
    pub fn log_cause(&self) {
        if let ApiError::Internal(cause) = self {
            tracing::error!(error = format!("{cause:#}"), "internal error");
        }
    }
}

/// The plain HTTP response for an error on the endpoints that are not GraphQL: the status
/// its code maps to (`CONFLICT` 409, `RATE_LIMITED` 429 with `Retry-After`, ...) and a body
/// `{"error": {"code", "message", ...}}`; an internal cause is logged, never sent.
pub fn refusal(e: &ApiError) -> actix_web::HttpResponse {
    e.log_cause();
    let mut error = serde_json::json!({ "code": e.code(), "message": e.message() });
    let mut response = actix_web::HttpResponse::build(e.status());
    match e {
        ApiError::BadInput { field, .. } => error["field"] = field.as_str().into(),
        ApiError::BadInputBecause { field, reason, .. } => {
            error["field"] = field.as_str().into();
            error["reason"] = reason.as_str().into();
        }
        ApiError::ConflictBecause { reason, .. }
        | ApiError::UnauthenticatedFor { reason, .. }
        | ApiError::ForbiddenFor { reason, .. } => error["reason"] = reason.as_str().into(),
        ApiError::RateLimited { retry_after_secs } => {
            error["retryAfterSeconds"] = (*retry_after_secs).into();
            response.insert_header(("Retry-After", retry_after_secs.max(&1).to_string()));
        }
        _ => {}
    }
    response
        .content_type("application/json")
        .body(serde_json::json!({ "error": error }).to_string())
}

#[cfg(test)]
mod http_tests {
    use super::*;

    #[derive(async_graphql::Enum, Clone, Copy, PartialEq, Eq)]
    enum TestRefusal {
        NoDeliveredNotice,
        SmsTooLong,
    }
    impl Refusal for TestRefusal {}

    #[test]
    fn a_reason_is_spelled_as_the_schema_spells_its_variant() {
        assert_eq!(
            Reason::from(TestRefusal::NoDeliveredNotice).as_str(),
            "NO_DELIVERED_NOTICE"
        );
        assert_eq!(
            Reason::from(TestRefusal::SmsTooLong).as_str(),
            "SMS_TOO_LONG"
        );
    }

    #[test]
    fn the_status_follows_the_code() {
        let cases = [
            (ApiError::Unauthenticated, 401),
            (ApiError::Forbidden, 403),
            (ApiError::NotFound("graduate"), 404),
            (ApiError::bad_input("first", "too large"), 400),
            (ApiError::Conflict("already decided".into()), 409),
            (
                ApiError::ConflictBecause {
                    reason: TestRefusal::NoDeliveredNotice.into(),
                    message: "no notice".into(),
                },
                409,
            ),
            (
                ApiError::RateLimited {
                    retry_after_secs: 30,
                },
                429,
            ),
            (ApiError::internal(anyhow::anyhow!("disk full")), 500),
        ];
        for (e, status) in cases {
            assert_eq!(e.status().as_u16(), status, "{}", e.code());
            assert_eq!(refusal(&e).status().as_u16(), status, "{}", e.code());
        }
    }

    #[test]
    fn a_rate_limited_refusal_says_when_to_come_back() {
        let r = refusal(&ApiError::RateLimited {
            retry_after_secs: 42,
        });
        assert_eq!(r.headers().get("Retry-After").unwrap(), "42");
    }
}
