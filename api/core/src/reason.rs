//! A decision's stated reason: the person's own words, trimmed. A decision against someone
//! (a rejection, a dispute, a voucher ended) must state one; a favourable one may.

use crate::error::{ApiError, ApiResult};

/// The reason as given, trimmed; `None` when blank.
pub fn given(reason: Option<&str>) -> Option<String> {
    reason
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .map(str::to_owned)
}

/// The reason, required unless the decision is `favourable`; `hint` is the error's message
/// (`"a rejection states its reason"`).
pub fn unless_favourable(
    favourable: bool,
    reason: Option<&str>,
    hint: &str,
) -> ApiResult<Option<String>> {
    let reason = given(reason);
    if !favourable && reason.is_none() {
        return Err(ApiError::bad_input("reason", hint));
    }
    Ok(reason)
}

/// A reason that must be stated whatever the decision.
pub fn required(reason: &str, hint: &str) -> ApiResult<String> {
    given(Some(reason)).ok_or_else(|| ApiError::bad_input("reason", hint))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_blank_reason_is_no_reason() {
        assert_eq!(given(Some("  ")), None);
        assert_eq!(given(Some(" lost ")), Some("lost".into()));
        assert!(unless_favourable(false, Some(" "), "say why").is_err());
        assert_eq!(unless_favourable(true, None, "say why").ok(), Some(None));
        assert!(required("\t", "say why").is_err());
        assert_eq!(required(" ok ", "say why").ok(), Some("ok".into()));
    }
}
