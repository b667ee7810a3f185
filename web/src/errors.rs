//! Refusals in the page's language: every machine reason the API gives for an import's
//! rejected line or refused file, and every reason of a refused action, has its text here,
//! chosen by code (the API's English text is for machines and logs and is never shown).

use crate::gql::import_batch::ImportRejectionReason as R;
use crate::i18n::Key;

/// The text of an import rejection reason (`ImportRejectionReason` in the schema).
pub fn import_reason_key(r: &R) -> Key {
    match r {
        R::UNREADABLE_FILE => Key::ImpRUnreadableFile,
        R::UNREADABLE_HEADER => Key::ImpRUnreadableHeader,
        R::MISSING_COLUMNS => Key::ImpRMissingColumns,
        R::NOT_CSV_LINE => Key::ImpRNotCsvLine,
        R::INVALID_IIN => Key::ImpRInvalidIin,
        R::INVALID_BIN => Key::ImpRInvalidBin,
        R::INVALID_KATO => Key::ImpRInvalidKato,
        R::INVALID_NAME => Key::ImpRInvalidName,
        R::INVALID_PHONE => Key::ImpRInvalidPhone,
        R::INVALID_EMAIL => Key::ImpRInvalidEmail,
        R::INVALID_PERIOD => Key::ImpRInvalidPeriod,
        R::INVALID_DATE => Key::ImpRInvalidDate,
        R::INVALID_NUMBER => Key::ImpRInvalidNumber,
        R::INVALID_AMOUNT => Key::ImpRInvalidAmount,
        R::NEGATIVE_AMOUNT => Key::ImpRNegativeAmount,
        R::INVALID_CHOICE => Key::ImpRInvalidChoice,
        R::INVALID_BOOLEAN => Key::ImpRInvalidBoolean,
        R::INVALID_CODE => Key::ImpRInvalidCode,
        R::MONTHS_OUT_OF_RANGE => Key::ImpRMonthsOutOfRange,
        R::STUDY_ORDER => Key::ImpRStudyOrder,
        R::GRANT_EXCEEDS_PROGRAMME => Key::ImpRGrantExceedsProgramme,
        R::LEVEL_NOT_ADMITTED => Key::ImpRLevelNotAdmitted,
        R::INVALID_PAYMENT_CODE => Key::ImpRInvalidPaymentCode,
        R::UNKNOWN_REGION => Key::ImpRUnknownRegion,
        R::UNKNOWN_LOCALITY => Key::ImpRUnknownLocality,
        R::UNKNOWN_UNIVERSITY => Key::ImpRUnknownUniversity,
        R::UNKNOWN_EMPLOYER => Key::ImpRUnknownEmployer,
        R::Other(_) => Key::ImpROther,
    }
}

/// Every reason the API gives in `extensions.reason` (the values of the schema's
/// `…Refusal` enums) and its text; the test below finds one for each.
const REFUSALS: [(&str, Key); 53] = [
    ("NO_DELIVERED_NOTICE", Key::ErrNoDeliveredNotice),
    ("NOT_APPROVED", Key::ErrNotApproved),
    ("UNKNOWN_VARIABLE", Key::ErrUnknownVariable),
    ("SMS_TOO_LONG", Key::ErrSmsTooLong),
    ("CARD_IN_USE", Key::ErrCardInUse),
    ("NO_CONSENT", Key::ErrNoConsent),
    ("NOT_BLOCKED", Key::ErrNotBlocked),
    ("REFERENCE_REUSED", Key::ErrReferenceReused),
    ("ALREADY_RATED", Key::ErrAlreadyRated),
    ("BAD_CATEGORY_CODE", Key::ErrBadCategoryCode),
    ("NOT_ENROLLED", Key::SheetErrNotEnrolled),
    ("ALREADY_ANSWERED", Key::SheetErrAlreadyAnswered),
    ("ANSWER_WINDOW_OVER", Key::VchErrAnswerWindowOver),
    ("NOT_DISPUTED", Key::AkimatErrNotDisputed),
    ("MONTH_NOT_OVER", Key::AkimatErrMonthNotOver),
    ("ALREADY_PAID", Key::AkimatErrAlreadyPaid),
    ("ATTENDANCE_PENDING", Key::AkimatErrAttendancePending),
    ("WINDOW_NOT_OPEN", Key::VchErrWindowNotOpen),
    ("WINDOW_CLOSED", Key::VchErrWindowClosed),
    ("DIRECTION_NOT_OFFERED", Key::VchErrDirection),
    ("UNKNOWN_CATEGORY", Key::VchErrUnknownCategory),
    ("EVIDENCE_REQUIRED", Key::VchErrEvidence),
    ("NOT_GUARDIAN", Key::VchErrNotGuardian),
    ("AGE_OUT_OF_RANGE", Key::VchErrAge),
    ("ALREADY_APPLIED", Key::VchErrAlreadyApplied),
    ("ALREADY_ALLOCATED", Key::AkimatErrAllocated),
    ("NOT_HELD", Key::AkimatErrNotHeld),
    ("BUDGET_EXCEEDED", Key::ErrBudgetExceeded),
    ("WINDOW_OPEN", Key::AkimatErrWindowOpen),
    ("DECISIONS_PENDING", Key::AkimatErrPending),
    ("VOUCHER_ENDED", Key::VchErrVoucherEnded),
    ("ALREADY_REGISTERED", Key::ErrAlreadyRegistered),
    ("PROVIDER_NOT_APPROVED", Key::ProviderErrNotApproved),
    ("SECTION_CLOSED", Key::VchErrSectionClosed),
    ("OTHER_DIRECTION", Key::VchErrOtherDirection),
    ("OTHER_REGION", Key::VchErrOtherRegion),
    ("ALREADY_ENROLLED", Key::VchErrAlreadyEnrolled),
    ("VOUCHER_OVER", Key::VchErrVoucherOver),
    ("SECTION_FULL", Key::VchErrSectionFull),
    ("CAMPAIGN_STARTED", Key::VchErrCampaignStarted),
    ("CATEGORY_DECIDED", Key::VchErrCategoryDecided),
    ("SECOND_FACTOR_REQUIRED", Key::ErrSecondFactorRequired),
    ("SECOND_FACTOR_INCORRECT", Key::ErrSecondFactorIncorrect),
    ("SECOND_FACTOR_ALREADY_ON", Key::ErrSecondFactorAlreadyOn),
    ("SECOND_FACTOR_NOT_STARTED", Key::ErrSecondFactorNotStarted),
    (
        "SECOND_FACTOR_SETUP_REQUIRED",
        Key::ErrSecondFactorSetupRequired,
    ),
    ("ACCOUNT_EXPIRED", Key::ErrAccountExpired),
    ("ALREADY_CONTESTED", Key::ErrAlreadyContested),
    ("ALREADY_ANSWERED", Key::ErrAlreadyAnswered),
    ("PERSISTED_QUERY_NOT_FOUND", Key::ErrPersistedQueryNotFound),
    (
        "PERSISTED_QUERY_HASH_MISMATCH",
        Key::ErrPersistedQueryHashMismatch,
    ),
    ("OPERATION_NOT_REGISTERED", Key::ErrOperationNotRegistered),
    ("REGISTRATION_CLOSED", Key::ErrRegistrationClosed),
];

/// The text of a refusal's machine reason (`extensions.reason`), when the API gives one.
pub fn refusal_key(reason: &str) -> Option<Key> {
    REFUSALS
        .iter()
        .find(|(code, _)| *code == reason)
        .map(|(_, key)| *key)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::ErrorCode;
    use crate::i18n::Lang;

    /// The values of an enum of the schema the API prints (without their descriptions,
    /// `"one line"` or between `"""` lines).
    fn schema_enum(name: &str) -> Vec<String> {
        let schema = include_str!("../../schema.graphql");
        let head = format!("enum {name} {{");
        let start = schema.find(&head).map(|s| s + head.len());
        let body = start.map_or("", |s| &schema[s..s + schema[s..].find('}').unwrap_or(0)]);
        let mut in_description = false;
        let mut values = Vec::new();
        for l in body.lines().map(str::trim) {
            if l == "\"\"\"" {
                in_description = !in_description;
            } else if !in_description && !l.is_empty() && !l.starts_with('"') && !l.starts_with('#')
            {
                values.push(l.to_string());
            }
        }
        values
    }

    fn has_text_in_every_language(what: &str, key: Key) {
        for l in [Lang::Kk, Lang::Ru, Lang::En] {
            assert!(!l.text(key).trim().is_empty(), "{what}: no {l:?} text");
        }
    }

    #[test]
    fn every_import_rejection_reason_the_api_gives_has_a_text() {
        let codes = schema_enum("ImportRejectionReason");
        assert!(codes.len() > 20, "{codes:?}");
        for code in codes {
            let r: R = serde_json::from_value(serde_json::Value::String(code.clone()))
                .unwrap_or(R::Other(String::new()));
            let key = import_reason_key(&r);
            assert_ne!(key, Key::ImpROther, "{code} has no text of its own");
            has_text_in_every_language(&code, key);
        }
    }

    /// The names of the schema's enums that end in `suffix`.
    fn schema_enums_ending(suffix: &str) -> Vec<String> {
        include_str!("../../schema.graphql")
            .lines()
            .filter_map(|l| l.strip_prefix("enum ")?.strip_suffix(" {"))
            .filter(|name| name.ends_with(suffix))
            .map(str::to_string)
            .collect()
    }

    #[test]
    fn every_refusal_reason_the_api_gives_has_a_text() {
        let enums = schema_enums_ending("Refusal");
        assert!(enums.len() >= 4, "{enums:?}");
        let mut listed = 0;
        for name in enums {
            for reason in schema_enum(&name) {
                let key = refusal_key(&reason);
                assert!(key.is_some(), "{name}::{reason} has no text");
                if let Some(key) = key {
                    has_text_in_every_language(&reason, key);
                }
                listed += 1;
            }
        }
        assert_eq!(
            listed,
            REFUSALS.len(),
            "the web explains a reason the API never gives"
        );
    }

    #[test]
    fn every_error_code_the_api_gives_has_a_text() {
        let codes = schema_enum("ErrorCode");
        assert!(codes.len() >= 7, "{codes:?}");
        for code in codes {
            let c = ErrorCode::parse(&code);
            assert_ne!(c, ErrorCode::Unknown, "{code} is not known to the web");
            has_text_in_every_language(&code, c.key());
        }
    }
}
