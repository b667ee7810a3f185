//! Refusals in the page's language: every machine reason the API gives for an import's
//! rejected line or refused file has its text here, chosen by code (the API's English text is
//! for machines and logs and is never shown).

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::ErrorCode;
    use crate::i18n::Lang;

    /// The values of an enum of the schema the API prints.
    fn schema_enum(name: &str) -> Vec<String> {
        let schema = include_str!("../../schema.graphql");
        let head = format!("enum {name} {{");
        let start = schema.find(&head).map(|s| s + head.len());
        let body = start.map_or("", |s| &schema[s..s + schema[s..].find('}').unwrap_or(0)]);
        body.lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('"') && !l.starts_with('#'))
            .map(str::to_string)
            .collect()
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
