//! The provider's endpoints: `/.well-known/openid-configuration`, `/oidc/jwks`,
//! `/oidc/authorize` (the sign-in and consent pages), `/oidc/token`, `/oidc/userinfo` and
//! `/oidc/logout`.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::json;

use adal_core::error::{ApiError, refusal};
use adal_core::state::AppState;

use crate::service::{self, AuthorizeQuery, LogoutQuery, NotSignedIn, Refused, SignIn, TokenForm};
use crate::{keys, pages, rules};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route(
        "/.well-known/openid-configuration",
        web::get().to(discovery),
    )
    .route("/oidc/jwks", web::get().to(jwks))
    .route("/oidc/authorize", web::get().to(authorize))
    .route("/oidc/authorize/{id}", web::post().to(authorize_step))
    .route("/oidc/token", web::post().to(token))
    .route("/oidc/userinfo", web::get().to(userinfo))
    .route("/oidc/userinfo", web::post().to(userinfo))
    .route("/oidc/logout", web::get().to(logout));
}

/// The issuer: from the settings, else the scheme and host of the request.
fn issuer(req: &HttpRequest, state: &AppState) -> String {
    match &state.settings.sso_issuer {
        Some(i) => i.trim_end_matches('/').to_owned(),
        None => {
            let ci = req.connection_info();
            format!("{}://{}", ci.scheme(), ci.host())
        }
    }
}

async fn discovery(req: HttpRequest, state: web::Data<AppState>) -> HttpResponse {
    let iss = issuer(&req, &state);
    HttpResponse::Ok()
        .insert_header(("Cache-Control", "public, max-age=300"))
        .json(json!({
            "issuer": iss,
            "authorization_endpoint": format!("{iss}/oidc/authorize"),
            "token_endpoint": format!("{iss}/oidc/token"),
            "userinfo_endpoint": format!("{iss}/oidc/userinfo"),
            "jwks_uri": format!("{iss}/oidc/jwks"),
            "end_session_endpoint": format!("{iss}/oidc/logout"),
            "response_types_supported": ["code"],
            "response_modes_supported": ["query"],
            "grant_types_supported": ["authorization_code"],
            "subject_types_supported": ["pairwise"],
            "id_token_signing_alg_values_supported": ["EdDSA"],
            "scopes_supported": rules::SCOPES,
            "claims_supported": ["sub", "role", "locale", "school", "class", "iss", "aud",
                                 "exp", "iat", "auth_time", "nonce", "sid"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
            "code_challenge_methods_supported": ["S256"],
            "ui_locales_supported": ["kk", "ru", "en"],
            "authorization_response_iss_parameter_supported": true,
        }))
}

async fn jwks(state: web::Data<AppState>) -> HttpResponse {
    let s = &state.settings;
    let published = match keys::Keys::of(s) {
        Ok(k) => k.published(&state.db, s.clock.now()).await,
        Err(e) => Err(e),
    };
    match published {
        Ok(k) => HttpResponse::Ok()
            .insert_header(("Cache-Control", "public, max-age=60"))
            .content_type("application/jwk-set+json")
            .body(keys::jwks(&k).to_string()),
        Err(e) => refusal(&e),
    }
}

/// The origin (`scheme://host[:port]`) of a URI, for the pages' `form-action`.
fn origin(uri: &str) -> String {
    let Some((scheme, rest)) = uri.split_once("://") else {
        return String::new();
    };
    let host = rest.split(['/', '?']).next().unwrap_or("");
    format!("{scheme}://{host}")
}

/// An HTML page; its forms post here, and the redirect after a post goes to the resource.
fn html(status: StatusCode, redirect_uri: Option<&str>, body: String) -> HttpResponse {
    let form_action = match redirect_uri {
        Some(u) => format!("'self' {}", origin(u)),
        None => "'self'".into(),
    };
    HttpResponse::build(status)
        .insert_header((
            "Content-Security-Policy",
            format!(
                "default-src 'none'; style-src 'unsafe-inline'; form-action {form_action}; \
                 frame-ancestors 'none'; base-uri 'none'"
            ),
        ))
        .insert_header(("Cache-Control", "no-store"))
        .content_type("text/html; charset=utf-8")
        .body(body)
}

fn see_other(location: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header(("Location", location))
        .insert_header(("Cache-Control", "no-store"))
        .finish()
}

const DEFAULT_LANGUAGE: &str = "kk";

fn cookie_name(request_id: &str) -> String {
    format!("adal_sso_{}", &request_id[..request_id.len().min(12)])
}

/// The value of a cookie of the request (actix's cookie feature is off).
fn cookie(req: &HttpRequest, name: &str) -> Option<String> {
    req.headers()
        .get_all("cookie")
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|c| c.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_owned())
}

async fn authorize(
    req: HttpRequest,
    state: web::Data<AppState>,
    q: web::Query<AuthorizeQuery>,
) -> HttpResponse {
    let iss = issuer(&req, &state);
    let lang = rules::page_language(q.ui_locales.as_deref(), DEFAULT_LANGUAGE);
    let started = match service::start(&state, &iss, q.into_inner()).await {
        Ok(s) => s,
        Err(e) => return refusal(&e),
    };
    let s = match started {
        Ok(s) => s,
        Err(Refused::Page(key)) => {
            return html(StatusCode::BAD_REQUEST, None, pages::error(&lang, key));
        }
        Err(Refused::Redirect(to)) => return see_other(&to),
    };
    let schools = match service::pin_schools(&state.db, s.client.id, &lang).await {
        Ok(x) => x,
        Err(e) => return refusal(&e),
    };
    let secure = if iss.starts_with("https://") {
        "; Secure"
    } else {
        ""
    };
    let mut page = html(
        StatusCode::OK,
        Some(&s.request.redirect_uri),
        pages::sign_in(
            &lang,
            &s.request.id,
            &s.client.name,
            &schools,
            pages::SignInForm::default(),
        ),
    );
    let cookie = format!(
        "{}={}; Path=/oidc/authorize/{}; Max-Age={}; HttpOnly; SameSite=Lax{secure}",
        cookie_name(&s.request.id),
        s.browser_secret,
        s.request.id,
        state.settings.sso_request_ttl_secs.max(60)
    );
    if let Ok(v) = actix_web::http::header::HeaderValue::from_str(&cookie) {
        page.headers_mut()
            .append(actix_web::http::header::SET_COOKIE, v);
    }
    page
}

#[derive(Debug, Default, serde::Deserialize)]
struct StepForm {
    step: String,
    login: Option<String>,
    password: Option<String>,
    /// The authenticator app's code, for an account with a second factor.
    code: Option<String>,
    school_id: Option<i64>,
    pin: Option<String>,
}

async fn authorize_step(
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<String>,
    form: web::Form<StepForm>,
) -> HttpResponse {
    let iss = issuer(&req, &state);
    let id = id.into_inner();
    let secret = cookie(&req, &cookie_name(&id));
    let (request, client) = match service::open_request(&state, &id, secret.as_deref()).await {
        Ok(Some(x)) => x,
        Ok(None) => {
            return html(
                StatusCode::BAD_REQUEST,
                None,
                pages::error(DEFAULT_LANGUAGE, "expired"),
            );
        }
        Err(e) => return refusal(&e),
    };
    let lang = rules::page_language(request.ui_locales.as_deref(), DEFAULT_LANGUAGE);
    let redirect = Some(request.redirect_uri.as_str());
    let sign_in_page =
        |status: StatusCode, error: &str, schools: &[(i64, String)], code_for: Option<&str>| {
            let form = pages::SignInForm {
                error: Some(error),
                code_for,
            };
            html(
                status,
                redirect,
                pages::sign_in(&lang, &request.id, &client.name, schools, form),
            )
        };
    let form = form.into_inner();
    let how = match (form.step.as_str(), &form) {
        (
            "password",
            StepForm {
                login: Some(login),
                password: Some(password),
                code,
                ..
            },
        ) => Some(SignIn::Password {
            login,
            password,
            code: code.as_deref().filter(|c| !c.trim().is_empty()),
        }),
        (
            "pin",
            StepForm {
                school_id: Some(school_id),
                pin: Some(pin),
                ..
            },
        ) => Some(SignIn::Pin {
            school_id: *school_id,
            pin,
        }),
        _ => None,
    };
    if let Some(how) = how {
        let addr = adal_core::net::client_addr(&req, &state.trusted_proxies).map(|a| a.to_string());
        let outcome = service::sign_in(&state, &request, how, addr.as_deref()).await;
        let schools = service::pin_schools(&state.db, client.id, &lang)
            .await
            .unwrap_or_default();
        match outcome {
            Ok(Ok(())) => {}
            Ok(Err(NotSignedIn::WrongCredentials)) => {
                return sign_in_page(StatusCode::UNAUTHORIZED, "wrong", &schools, None);
            }
            Ok(Err(NotSignedIn::NotForYou)) => {
                return sign_in_page(StatusCode::FORBIDDEN, "not_for_you", &schools, None);
            }
            // The password is asked again with the code: the page never holds a password.
            Ok(Err(NotSignedIn::CodeNeeded)) => {
                let login = form.login.as_deref();
                return sign_in_page(StatusCode::UNAUTHORIZED, "code_needed", &schools, login);
            }
            Ok(Err(NotSignedIn::WrongCode)) => {
                let login = form.login.as_deref();
                return sign_in_page(StatusCode::UNAUTHORIZED, "wrong_code", &schools, login);
            }
            Err(ApiError::RateLimited { .. }) => {
                return sign_in_page(StatusCode::TOO_MANY_REQUESTS, "wrong", &schools, None);
            }
            Err(e) => return refusal(&e),
        }
        // Signed in: on to the consent step with the request as it is now.
        return match service::open_request(&state, &id, secret.as_deref()).await {
            Ok(Some((request, client))) => consent_step(&state, &request, &client).await,
            Ok(None) => html(
                StatusCode::BAD_REQUEST,
                None,
                pages::error(&lang, "expired"),
            ),
            Err(e) => refusal(&e),
        };
    }
    match form.step.as_str() {
        "allow" => match service::allow(&state, &iss, &request, &client).await {
            Ok(Some(to)) => see_other(&to),
            Ok(None) => consent_step(&state, &request, &client).await,
            Err(e) => refusal(&e),
        },
        "deny" => match service::deny(&state, &iss, &request).await {
            Ok(to) => see_other(&to),
            Err(e) => refusal(&e),
        },
        _ => {
            let schools = service::pin_schools(&state.db, client.id, &lang)
                .await
                .unwrap_or_default();
            sign_in_page(StatusCode::BAD_REQUEST, "wrong", &schools, None)
        }
    }
}

/// The consent page of a signed-in request (a pupil under 14 without a parent's permission
/// is stopped here), or the sign-in page again.
async fn consent_step(
    state: &AppState,
    request: &entities::sso_request::Model,
    client: &entities::sso_client::Model,
) -> HttpResponse {
    let redirect = Some(request.redirect_uri.as_str());
    match service::consent_view(state, request, client).await {
        Ok(Some(view)) => {
            let status = if view.needs_parent {
                StatusCode::FORBIDDEN
            } else {
                StatusCode::OK
            };
            html(status, redirect, pages::consent(&request.id, &view))
        }
        Ok(None) => {
            let lang = rules::page_language(request.ui_locales.as_deref(), DEFAULT_LANGUAGE);
            let schools = service::pin_schools(&state.db, client.id, &lang)
                .await
                .unwrap_or_default();
            html(
                StatusCode::OK,
                redirect,
                pages::sign_in(
                    &lang,
                    &request.id,
                    &client.name,
                    &schools,
                    pages::SignInForm::default(),
                ),
            )
        }
        Err(e) => refusal(&e),
    }
}

/// Client credentials from `Authorization: Basic` (RFC 6749 §2.3.1), when given.
fn basic_credentials(req: &HttpRequest) -> Option<(String, String)> {
    let value = req.headers().get("authorization")?.to_str().ok()?;
    let encoded = value.strip_prefix("Basic ")?;
    let decoded = String::from_utf8(STANDARD.decode(encoded.trim()).ok()?).ok()?;
    let (id, secret) = decoded.split_once(':')?;
    Some((percent_decode(id), percent_decode(secret)))
}

/// `application/x-www-form-urlencoded` decoding of one value.
fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("");
                match u8::from_str_radix(hex, 16) {
                    Ok(b) => {
                        out.push(b);
                        i += 2;
                    }
                    Err(_) => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn token_json(status: StatusCode, body: serde_json::Value) -> HttpResponse {
    HttpResponse::build(status)
        .insert_header(("Cache-Control", "no-store"))
        .insert_header(("Pragma", "no-cache"))
        .json(body)
}

async fn token(
    req: HttpRequest,
    state: web::Data<AppState>,
    form: Result<web::Form<TokenForm>, actix_web::Error>,
) -> HttpResponse {
    let iss = issuer(&req, &state);
    let Ok(form) = form else {
        return token_json(
            StatusCode::BAD_REQUEST,
            json!({ "error": "invalid_request", "error_description": "a form body is required" }),
        );
    };
    let mut form = form.into_inner();
    let basic = basic_credentials(&req);
    if let Some((id, secret)) = &basic {
        form.client_id = Some(id.clone());
        form.client_secret = Some(secret.clone());
    }
    match service::exchange(&state, &iss, form).await {
        Ok(Ok(body)) => token_json(StatusCode::OK, body),
        Ok(Err(e)) => {
            let status = StatusCode::from_u16(e.status).unwrap_or(StatusCode::BAD_REQUEST);
            let mut resp = token_json(
                status,
                json!({ "error": e.error, "error_description": e.description }),
            );
            if status == StatusCode::UNAUTHORIZED
                && let Ok(v) =
                    actix_web::http::header::HeaderValue::from_str("Basic realm=\"adal\"")
            {
                resp.headers_mut()
                    .insert(actix_web::http::header::WWW_AUTHENTICATE, v);
            }
            resp
        }
        Err(e) => refusal(&e),
    }
}

async fn userinfo(req: HttpRequest, state: web::Data<AppState>) -> HttpResponse {
    let token = req
        .headers()
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim);
    let found = match token {
        Some(t) => service::userinfo(&state, t).await,
        None => Ok(None),
    };
    match found {
        Ok(Some(claims)) => token_json(StatusCode::OK, claims),
        Ok(None) => HttpResponse::Unauthorized()
            .insert_header(("WWW-Authenticate", "Bearer error=\"invalid_token\""))
            .insert_header(("Cache-Control", "no-store"))
            .finish(),
        Err(e) => refusal(&e),
    }
}

async fn logout(
    req: HttpRequest,
    state: web::Data<AppState>,
    q: web::Query<LogoutQuery>,
) -> HttpResponse {
    let iss = issuer(&req, &state);
    let lang = rules::page_language(q.ui_locales.as_deref(), DEFAULT_LANGUAGE);
    match service::logout(&state, &iss, &q).await {
        Ok(Some(to)) => see_other(&to),
        Ok(None) => html(StatusCode::OK, None, pages::error(&lang, "signed_out")),
        Err(e) => refusal(&e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_values_are_decoded() {
        assert_eq!(percent_decode("a%3Ab+c"), "a:b c");
        assert_eq!(percent_decode("plain-id_1"), "plain-id_1");
        assert_eq!(percent_decode("bad%zz"), "bad%zz");
        assert_eq!(origin("https://rp.kz:8443/cb?x=1"), "https://rp.kz:8443");
    }
}
