//! A second factor for a person's sign-in: one-time codes from an authenticator app (RFC 6238
//! as every such app makes them: HMAC-SHA1, six digits, a new code every 30 seconds), made and
//! compared in constant time by the `totp-rs` crate.
//!
//! A person turns it on in two steps: [`new_secret`] gives the secret the app scans (as an
//! `otpauth://` address) and is kept unconfirmed; the first right code confirms it. From then
//! on a sign-in with the right password also needs the code of the moment (the step before or
//! after counts too, for a phone's clock a little off), and each code signs in once.
//!
//! Roles named in the `second_factor_roles` setting require one: their holders without it
//! are signed in only to set it up ([`SETUP_OPERATIONS`]); everything else is refused with
//! `SECOND_FACTOR_SETUP_REQUIRED`.

use totp_rs::{Algorithm, Secret, TOTP};

use super::actor::Actor;
use super::roles::Role;
use crate::error::{ApiError, ApiResult, Refusal};

/// Seconds one code lasts.
pub const STEP_SECS: u64 = 30;
/// Digits of a code.
pub const DIGITS: usize = 6;
/// The issuer the authenticator app shows beside the login.
const ISSUER: &str = "Adal";

/// Why a sign-in with the right password was not let in, or a code was not taken.
#[derive(async_graphql::Enum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum SignInRefusal {
    /// The account has a second factor: the sign-in needs the code the authenticator app shows.
    SecondFactorRequired,
    /// The code is not the app's code of this moment, or it has signed in once already.
    SecondFactorIncorrect,
    /// The second factor is on already: a new one is set up after an administrator resets it.
    SecondFactorAlreadyOn,
    /// No second factor is being set up: ask for a new secret first.
    SecondFactorNotStarted,
    /// The account holds a role that requires a second factor and has none yet: everything but
    /// setting one up (`/security`) is refused until it is on.
    SecondFactorSetupRequired,
    /// A machine client whose access has expired (`expiresAt`): the operator extends it.
    AccountExpired,
}

/// What an account whose role requires a second factor may still call before it has one:
/// who it is, the setup itself, and its language.
pub const SETUP_OPERATIONS: &[&str] = &[
    "me",
    "startSecondFactor",
    "confirmSecondFactor",
    "setMyLanguage",
];

/// The roles of the `second_factor_roles` setting; an unknown or a machine client's role
/// stops the server with a clear error.
pub fn required_roles(setting: &str) -> anyhow::Result<Vec<Role>> {
    setting
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|name| match Role::from_db(&name.to_ascii_lowercase()) {
            Some(r) if !r.is_client_role() => Ok(r),
            _ => Err(anyhow::anyhow!(
                "second_factor_roles: {name:?} is not a role people hold"
            )),
        })
        .collect()
}

/// Whether `actor` holds one of `required` roles and has no second factor yet.
pub fn setup_missing(actor: &Actor, required: &[Role]) -> bool {
    !actor.is_client && !actor.second_factor && actor.has_any(required)
}

/// The refusal of everything but the setup, for an actor that [`setup_missing`].
pub fn setup_required() -> ApiError {
    ApiError::ForbiddenFor {
        reason: SignInRefusal::SecondFactorSetupRequired.into(),
        message: "your role requires a second factor: turn it on at /security first".into(),
    }
}

impl Refusal for SignInRefusal {}

/// A new secret (160 random bits, as RFC 4226 recommends), base32 as apps read it.
pub fn new_secret() -> String {
    use rand::RngCore;
    let mut bytes = [0u8; 20];
    rand::rng().fill_bytes(&mut bytes);
    match Secret::Raw(bytes.to_vec()).to_encoded() {
        Secret::Encoded(s) => s,
        Secret::Raw(_) => String::new(),
    }
}

/// The address an authenticator app reads (as a QR code or typed in) to add the account.
pub fn otpauth_url(login: &str, secret: &str) -> String {
    let label: String = login
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '@'))
        .collect();
    format!(
        "otpauth://totp/{ISSUER}:{label}?secret={secret}&issuer={ISSUER}&algorithm=SHA1&digits={DIGITS}&period={STEP_SECS}"
    )
}

fn totp(secret: &str) -> ApiResult<TOTP> {
    let bytes = Secret::Encoded(secret.to_owned())
        .to_bytes()
        .map_err(|e| ApiError::internal(anyhow::anyhow!("a stored second-factor secret: {e:?}")))?;
    TOTP::new(Algorithm::SHA1, DIGITS, 0, STEP_SECS, bytes)
        .map_err(|e| ApiError::internal(anyhow::anyhow!("a stored second-factor secret: {e}")))
}

/// The step (`unix seconds / 30`) whose code `code` is, among the step of `now` and the one
/// either side, if it is one of theirs; a step at or before `last_used` does not count again.
pub fn matching_step(
    secret: &str,
    code: &str,
    now_unix: u64,
    last_used: Option<i64>,
) -> ApiResult<Option<i64>> {
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    if code.len() != DIGITS || !code.bytes().all(|b| b.is_ascii_digit()) {
        return Ok(None);
    }
    let t = totp(secret)?;
    let now = now_unix / STEP_SECS;
    for step in [now.saturating_sub(1), now, now + 1] {
        let step_i = i64::try_from(step).unwrap_or(i64::MAX);
        if last_used.is_some_and(|l| step_i <= l) {
            continue;
        }
        if t.check(&code, step * STEP_SECS) {
            return Ok(Some(step_i));
        }
    }
    Ok(None)
}

/// The code of the moment `unix` (for tests and the demo's own checks).
pub fn code_at(secret: &str, unix: u64) -> ApiResult<String> {
    Ok(totp(secret)?.generate(unix))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_setting_names_roles_people_hold_or_stops_the_server() {
        assert_eq!(required_roles(" ").unwrap(), vec![]);
        assert_eq!(
            required_roles("OPERATOR_ADMIN, commission_member").unwrap(),
            vec![Role::OperatorAdmin, Role::CommissionMember]
        );
        for bad in ["OPERATOR", "DEVICE", "integration"] {
            let e = required_roles(bad).unwrap_err().to_string();
            assert!(e.contains("second_factor_roles") && e.contains(bad), "{e}");
        }
    }

    #[test]
    fn a_code_counts_in_its_step_and_the_ones_beside_it_once() {
        let secret = new_secret();
        assert_eq!(secret.len(), 32);
        let t0 = 1_765_000_000;
        let code = code_at(&secret, t0).unwrap();
        let step = (t0 / STEP_SECS) as i64;
        assert_eq!(matching_step(&secret, &code, t0, None).unwrap(), Some(step));
        // A phone 30 s behind or ahead still signs in.
        assert_eq!(
            matching_step(&secret, &code, t0 + 30, None).unwrap(),
            Some(step)
        );
        assert_eq!(
            matching_step(&secret, &code, t0 - 30, None).unwrap(),
            Some(step)
        );
        // Two steps away, no.
        assert_eq!(matching_step(&secret, &code, t0 + 60, None).unwrap(), None);
        // Used once: not again, nor a code of an earlier step.
        assert_eq!(matching_step(&secret, &code, t0, Some(step)).unwrap(), None);
        // Spaces as an app groups the digits are fine; letters are not a code.
        let spaced = format!("{} {}", &code[..3], &code[3..]);
        assert_eq!(
            matching_step(&secret, &spaced, t0, None).unwrap(),
            Some(step)
        );
        assert_eq!(matching_step(&secret, "12a456", t0, None).unwrap(), None);
        let url = otpauth_url("chief", &secret);
        assert!(
            url.starts_with("otpauth://totp/Adal:chief?secret="),
            "{url}"
        );
        assert!(url.contains("&digits=6&period=30"), "{url}");
    }

    #[test]
    fn rfc_6238_reference_code() {
        // RFC 6238 appendix B, SHA-1, T = 59 s: 94287082 (eight digits); its last six here.
        let secret = match Secret::Raw(b"12345678901234567890".to_vec()).to_encoded() {
            Secret::Encoded(s) => s,
            Secret::Raw(_) => unreachable!(),
        };
        assert_eq!(code_at(&secret, 59).unwrap(), "287082");
    }
}
