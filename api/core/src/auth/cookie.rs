//! The portals' refresh token, kept where no script on the page can read it: an
//! `HttpOnly; Secure; SameSite=Strict` cookie sent only to `/graphql`. The portals hold the
//! access token in memory, and each page load renews it from this cookie.
//!
//! Integration clients and other programs keep receiving the refresh token in the answer, as
//! before; a browser asks for the cookie with `login(refreshInCookie: true)`.

use actix_web::HttpRequest;
use actix_web::http::header;

/// The cookie's name.
pub const REFRESH_COOKIE: &str = "adal_refresh";

/// The path the cookie is sent to: the API only, not pages or files.
const PATH: &str = "/graphql";

/// The refresh token in the request's cookie, if any.
pub fn refresh_from(req: &HttpRequest) -> Option<String> {
    req.headers()
        .get_all(header::COOKIE)
        .filter_map(|v| v.to_str().ok())
        .find_map(refresh_in)
}

/// The refresh token in one `Cookie` header's value.
fn refresh_in(header: &str) -> Option<String> {
    header.split(';').find_map(|pair| {
        let (name, value) = pair.trim().split_once('=')?;
        (name == REFRESH_COOKIE && !value.is_empty()).then(|| value.to_string())
    })
}

/// The `Set-Cookie` value that keeps `token` for `max_age_secs`.
pub fn keep(token: &str, max_age_secs: i64) -> String {
    format!(
        "{REFRESH_COOKIE}={token}; Path={PATH}; Max-Age={}; HttpOnly; Secure; SameSite=Strict",
        max_age_secs.max(0)
    )
}

/// The `Set-Cookie` value that makes the browser forget the cookie.
pub fn forget() -> String {
    keep("", 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_token_is_read_from_among_other_cookies() {
        assert_eq!(
            refresh_in("theme=dark; adal_refresh=abc-123_x; lang=kk").as_deref(),
            Some("abc-123_x")
        );
        assert_eq!(refresh_in("adal_refresh=; theme=dark"), None);
        assert_eq!(refresh_in("xadal_refresh=abc"), None);
    }

    #[test]
    fn the_cookie_is_out_of_scripts_reach_and_sent_to_the_api_only() {
        let c = keep("t0k", 604_800);
        for part in [
            "adal_refresh=t0k",
            "Path=/graphql",
            "Max-Age=604800",
            "HttpOnly",
            "Secure",
            "SameSite=Strict",
        ] {
            assert!(c.split("; ").any(|p| p == part), "{part} missing in {c}");
        }
        assert!(forget().starts_with("adal_refresh=; Path=/graphql; Max-Age=0"));
    }
}
