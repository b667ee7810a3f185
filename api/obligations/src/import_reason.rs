//! Why an import refused a line or a whole file: one stable machine code per check, stored next
//! to the English text (kept for machines and logs) and exposed as the GraphQL enum
//! `ImportRejectionReason`, which the web maps to a text in each language.

use async_graphql::Enum;

macro_rules! reasons {
    ($($v:ident = $code:literal),* $(,)?) => {
        /// Why an import refused a line (or, for the file-level reasons, the whole file).
        #[derive(Enum, Copy, Clone, Debug, PartialEq, Eq, Hash)]
        pub enum ImportRejectionReason { $($v),* }

        impl ImportRejectionReason {
            /// Every reason, in declaration order.
            pub const ALL: &[Self] = &[$(Self::$v),*];

            /// The code as stored and as the schema spells it (`INVALID_IIN`).
            pub fn as_str(self) -> &'static str {
                match self { $(Self::$v => $code),* }
            }

            /// The reason a stored code names.
            pub fn from_code(code: &str) -> Option<Self> {
                match code { $($code => Some(Self::$v),)* _ => None }
            }
        }
    };
}

reasons!(
    // The whole file.
    UnreadableFile = "UNREADABLE_FILE",
    UnreadableHeader = "UNREADABLE_HEADER",
    MissingColumns = "MISSING_COLUMNS",
    // One line.
    NotCsvLine = "NOT_CSV_LINE",
    InvalidIin = "INVALID_IIN",
    InvalidBin = "INVALID_BIN",
    InvalidKato = "INVALID_KATO",
    InvalidName = "INVALID_NAME",
    InvalidPhone = "INVALID_PHONE",
    InvalidEmail = "INVALID_EMAIL",
    InvalidPeriod = "INVALID_PERIOD",
    InvalidDate = "INVALID_DATE",
    InvalidNumber = "INVALID_NUMBER",
    InvalidAmount = "INVALID_AMOUNT",
    NegativeAmount = "NEGATIVE_AMOUNT",
    InvalidChoice = "INVALID_CHOICE",
    InvalidBoolean = "INVALID_BOOLEAN",
    InvalidCode = "INVALID_CODE",
    MonthsOutOfRange = "MONTHS_OUT_OF_RANGE",
    StudyOrder = "STUDY_ORDER",
    GrantExceedsProgramme = "GRANT_EXCEEDS_PROGRAMME",
    LevelNotAdmitted = "LEVEL_NOT_ADMITTED",
    InvalidPaymentCode = "INVALID_PAYMENT_CODE",
    UnknownRegion = "UNKNOWN_REGION",
    UnknownLocality = "UNKNOWN_LOCALITY",
    UnknownUniversity = "UNKNOWN_UNIVERSITY",
    UnknownEmployer = "UNKNOWN_EMPLOYER",
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_the_schema_names_and_read_back() {
        for r in ImportRejectionReason::ALL {
            assert_eq!(ImportRejectionReason::from_code(r.as_str()), Some(*r));
            // async-graphql spells a variant in SCREAMING_SNAKE_CASE, as the stored code.
            let upper: String = format!("{r:?}")
                .chars()
                .enumerate()
                .flat_map(|(i, c)| {
                    let sep = (i > 0 && c.is_ascii_uppercase()).then_some('_');
                    sep.into_iter()
                        .chain(std::iter::once(c.to_ascii_uppercase()))
                })
                .collect();
            assert_eq!(upper, r.as_str());
        }
    }
}
