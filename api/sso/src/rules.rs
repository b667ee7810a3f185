//! The provider's pure rules: PKCE (S256 only), pairwise subjects, scopes, which claims a
//! resource receives, redirect URIs and the age under which a parent decides.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{Datelike, NaiveDate};
use hmac::{Hmac, Mac};
use rand::RngCore;
use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};

/// The scopes Adal knows: `openid` (the pairwise subject), `profile` (role and language),
/// `school` (school and class, only for a resource allowed them and with consent).
pub const SCOPES: &[&str] = &["openid", "profile", "school"];

/// Below this age a parent decides which resources a pupil may use.
pub const CONSENT_AGE: i32 = 14;

/// `sha256(value)`, hex: how secrets, codes and tokens are stored.
pub fn hash(value: &str) -> String {
    hex::encode(Sha256::digest(value.as_bytes()))
}

/// 32 random bytes, base64url: secrets, codes, tokens, request ids.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// A PKCE code challenge (S256): 43 base64url characters.
pub fn valid_challenge(challenge: &str) -> bool {
    challenge.len() == 43
        && challenge
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// RFC 7636 §4.6 with S256: `base64url(sha256(verifier)) == challenge`, the verifier being 43
/// to 128 unreserved characters.
pub fn pkce_matches(verifier: &str, challenge: &str) -> bool {
    let well_formed = (43..=128).contains(&verifier.len())
        && verifier
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~'));
    well_formed && URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes())) == challenge
}

/// The subject a resource sees: HMAC-SHA256 over its sector and the person's id with the
/// server's secret. Stable for one resource, different between resources, never the IIN.
pub fn pairwise_subject(secret: &[u8], sector: &str, person_id: i64) -> String {
    // HMAC takes a key of any length.
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(secret) else {
        return String::new();
    };
    mac.update(sector.as_bytes());
    mac.update(b"\n");
    mac.update(person_id.to_string().as_bytes());
    URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes())
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScopeError {
    /// `openid` is missing.
    NotOpenId,
    /// A scope Adal does not know, or the resource may not ask for.
    NotAllowed(String),
}

/// The scopes requested, checked against what the resource may ask for; sorted, unique.
pub fn granted_scopes(requested: &str, allowed: &str) -> Result<Vec<String>, ScopeError> {
    let allowed: Vec<&str> = allowed.split_whitespace().collect();
    let mut out: Vec<String> = Vec::new();
    for s in requested.split_whitespace() {
        if !SCOPES.contains(&s) || !allowed.contains(&s) {
            return Err(ScopeError::NotAllowed(s.to_owned()));
        }
        if !out.iter().any(|o| o == s) {
            out.push(s.to_owned());
        }
    }
    if !out.iter().any(|s| s == "openid") {
        return Err(ScopeError::NotOpenId);
    }
    out.sort();
    Ok(out)
}

/// Whether a scope list (space-separated) holds a scope.
pub fn has_scope(scopes: &str, scope: &str) -> bool {
    scopes.split_whitespace().any(|s| s == scope)
}

/// The role a resource learns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SsoRole {
    Pupil,
    Teacher,
    Parent,
}

impl SsoRole {
    pub fn as_str(self) -> &'static str {
        match self {
            SsoRole::Pupil => "pupil",
            SsoRole::Teacher => "teacher",
            SsoRole::Parent => "parent",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "pupil" => Some(SsoRole::Pupil),
            "teacher" => Some(SsoRole::Teacher),
            "parent" => Some(SsoRole::Parent),
            _ => None,
        }
    }
}

/// Everything a resource could learn of a person; [`select_claims`] keeps what it may.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Facts {
    pub subject: String,
    pub role: SsoRole,
    pub language: String,
    /// The school's name in the person's language and its class, when a pupil or teacher.
    pub school: Option<String>,
    pub class: Option<String>,
}

/// The claims for the granted scopes: `sub` always; `role` and `locale` with `profile`; `school`
/// and `class` with `school`, only when the resource may receive them and the consent covered
/// them. Nothing else.
pub fn select_claims(facts: &Facts, scopes: &str, school_and_class: bool) -> Map<String, Value> {
    let mut claims = Map::new();
    claims.insert("sub".into(), json!(facts.subject));
    if has_scope(scopes, "profile") {
        claims.insert("role".into(), json!(facts.role.as_str()));
        claims.insert("locale".into(), json!(facts.language));
    }
    if has_scope(scopes, "school") && school_and_class {
        if let Some(school) = &facts.school {
            claims.insert("school".into(), json!(school));
        }
        if let Some(class) = &facts.class {
            claims.insert("class".into(), json!(class));
        }
    }
    claims
}

/// Exact match against the registered redirect URIs (no prefix, no normalisation).
pub fn redirect_registered(registered: &[String], uri: &str) -> bool {
    registered.iter().any(|r| r == uri)
}

/// A redirect URI a resource may register: absolute https (http only for localhost), no
/// fragment.
pub fn valid_redirect_uri(uri: &str) -> bool {
    if uri.len() > 500 || uri.contains(['#', ' ', '\t', '\n', '\r']) {
        return false;
    }
    let Ok(parsed) = url::Url::parse(uri) else {
        return false;
    };
    // No credentials in the address: `https://rp.kz@evil.example/` is no address of rp.kz's.
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return false;
    }
    // The address as written names the host the parser found, right after the scheme
    // (`https:///cb` parses as host `cb`; exact matching compares what was written).
    let Some(host) = parsed.host_str() else {
        return false;
    };
    let after = uri
        .strip_prefix(parsed.scheme())
        .and_then(|r| r.strip_prefix("://"))
        .and_then(|r| r.strip_prefix(host));
    if !after.is_some_and(|r| r.is_empty() || r.starts_with([':', '/', '?'])) {
        return false;
    }
    let local = matches!(
        parsed.host(),
        Some(url::Host::Domain("localhost"))
            | Some(url::Host::Ipv4(std::net::Ipv4Addr::LOCALHOST))
            | Some(url::Host::Ipv6(std::net::Ipv6Addr::LOCALHOST))
    );
    match parsed.scheme() {
        "https" => true,
        "http" => local,
        _ => false,
    }
}

/// Whether a person born on `birth` is younger than `years` on `today`; an unknown birth date
/// counts as younger (a parent decides).
pub fn younger_than(birth: Option<NaiveDate>, today: NaiveDate, years: i32) -> bool {
    let Some(birth) = birth else {
        return true;
    };
    let mut age = today.year() - birth.year();
    if (today.month(), today.day()) < (birth.month(), birth.day()) {
        age -= 1;
    }
    age < years
}

/// The language of the pages: the first of `ui_locales` Adal speaks, else the person's.
pub fn page_language(ui_locales: Option<&str>, fallback: &str) -> String {
    ui_locales
        .unwrap_or("")
        .split_whitespace()
        .map(|l| l.split('-').next().unwrap_or(l).to_ascii_lowercase())
        .find(|l| matches!(l.as_str(), "kk" | "ru" | "en"))
        .unwrap_or_else(|| fallback.to_owned())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn pkce_s256_matches_the_rfc_example() {
        // RFC 7636, Appendix B.
        let verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
        let challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
        assert!(valid_challenge(challenge));
        assert!(pkce_matches(verifier, challenge));
        assert!(!pkce_matches(
            "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXx",
            challenge
        ));
        assert!(!pkce_matches("short", challenge));
        assert!(!valid_challenge("plain-challenge"));
    }

    #[test]
    fn subjects_are_pairwise_and_stable() {
        let a = pairwise_subject(b"secret", "client-a", 7);
        assert_eq!(a, pairwise_subject(b"secret", "client-a", 7));
        assert_ne!(a, pairwise_subject(b"secret", "client-b", 7));
        assert_ne!(a, pairwise_subject(b"secret", "client-a", 8));
        assert_ne!(a, pairwise_subject(b"other", "client-a", 7));
        assert!(!a.contains('7'), "{a}");
    }

    #[test]
    fn scopes_must_be_allowed_and_include_openid() {
        assert_eq!(
            granted_scopes("openid profile openid", "openid profile school").unwrap(),
            vec!["openid", "profile"]
        );
        assert_eq!(
            granted_scopes("profile", "openid profile"),
            Err(ScopeError::NotOpenId)
        );
        assert_eq!(
            granted_scopes("openid school", "openid profile"),
            Err(ScopeError::NotAllowed("school".into()))
        );
        assert_eq!(
            granted_scopes("openid email", "openid email"),
            Err(ScopeError::NotAllowed("email".into()))
        );
    }

    #[test]
    fn claims_carry_only_what_was_granted() {
        let facts = Facts {
            subject: "s".into(),
            role: SsoRole::Pupil,
            language: "kk".into(),
            school: Some("School 1".into()),
            class: Some("5A".into()),
        };
        let only = select_claims(&facts, "openid", true);
        assert_eq!(Value::Object(only), json!({"sub": "s"}));
        let profile = select_claims(&facts, "openid profile school", false);
        assert_eq!(
            Value::Object(profile),
            json!({"sub": "s", "role": "pupil", "locale": "kk"})
        );
        let all = select_claims(&facts, "openid profile school", true);
        assert_eq!(all.len(), 5);
        assert_eq!(all["class"], "5A");
    }

    #[test]
    fn redirect_uris_match_exactly() {
        let reg = vec!["https://rp.kz/cb".to_owned()];
        assert!(redirect_registered(&reg, "https://rp.kz/cb"));
        assert!(!redirect_registered(&reg, "https://rp.kz/cb/"));
        assert!(!redirect_registered(&reg, "https://rp.kz/cb?x=1"));
        assert!(valid_redirect_uri("http://127.0.0.1:9/cb"));
        assert!(valid_redirect_uri("http://localhost:8090/callback"));
        assert!(valid_redirect_uri("http://[::1]/cb"));
        assert!(!valid_redirect_uri("http://rp.kz/cb"));
        assert!(!valid_redirect_uri("https://rp.kz/cb#f"));
        // Only the host itself is local, not a name or an address that starts like it.
        assert!(!valid_redirect_uri("http://localhost.evil.example/cb"));
        assert!(!valid_redirect_uri("http://127.0.0.1.evil.example/cb"));
        assert!(!valid_redirect_uri("http://localhost@evil.example/cb"));
        assert!(!valid_redirect_uri("https://rp.kz@evil.example/cb"));
        assert!(!valid_redirect_uri("javascript://localhost/%0aalert(1)"));
        assert!(!valid_redirect_uri("https:///cb"));
    }

    #[test]
    fn age_is_counted_in_whole_years() {
        let d = |y, m, dd| NaiveDate::from_ymd_opt(y, m, dd).unwrap();
        assert!(younger_than(Some(d(2012, 12, 6)), d(2026, 12, 5), 14));
        assert!(!younger_than(Some(d(2012, 12, 5)), d(2026, 12, 5), 14));
        assert!(younger_than(None, d(2026, 12, 5), 14));
    }

    #[test]
    fn page_language_prefers_ui_locales() {
        assert_eq!(page_language(Some("de ru-KZ"), "kk"), "ru");
        assert_eq!(page_language(None, "kk"), "kk");
    }
}
