//! Identifiers and small values of the domain, parsed once at the boundary ("parse, don't
//! validate"). Each `parse` returns a [`ParseError`] naming what is wrong.

use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Why a value was rejected; shown to clients as `BAD_USER_INPUT`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ParseError(pub String);

impl ParseError {
    fn new(msg: impl Into<String>) -> Self {
        Self(msg.into())
    }
}

const WEIGHTS_1: [u32; 11] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
const WEIGHTS_2: [u32; 11] = [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2];

/// The check digit of the first 11 digits of an IIN or BIN, or `None` when the number cannot
/// have one (the second pass gives 10 too).
pub fn check_digit(first11: &[u8; 11]) -> Option<u8> {
    let sum = |w: &[u32; 11]| -> u32 {
        first11
            .iter()
            .zip(w)
            .map(|(d, w)| u32::from(*d) * w)
            .sum::<u32>()
            % 11
    };
    let c = sum(&WEIGHTS_1);
    let c = if c == 10 { sum(&WEIGHTS_2) } else { c };
    (c != 10).then_some(c as u8)
}

/// Completes 11 digits with their check digit: used by generators and the demo data.
pub fn with_check_digit(first11: &str) -> Option<String> {
    let digits = digits::<11>(first11)?;
    let c = check_digit(&digits)?;
    Some(format!("{first11}{c}"))
}

fn digits<const N: usize>(s: &str) -> Option<[u8; N]> {
    if s.len() != N || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut out = [0u8; N];
    for (o, b) in out.iter_mut().zip(s.bytes()) {
        *o = b - b'0';
    }
    Some(out)
}

fn parse_12(raw: &str, what: &str) -> Result<String, ParseError> {
    let s = raw.trim();
    let Some(d) = digits::<12>(s) else {
        return Err(ParseError::new(format!("{what} must be exactly 12 digits")));
    };
    let mut first = [0u8; 11];
    first.copy_from_slice(&d[..11]);
    match check_digit(&first) {
        Some(c) if c == d[11] => Ok(s.to_owned()),
        _ => Err(ParseError::new(format!("{what} has a wrong check digit"))),
    }
}

/// Individual identification number: 12 digits with a valid check digit. Birth date and sex
/// encoded in it are hints only (since 2013 they need not match the person).
#[derive(Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Iin(String);

impl Iin {
    pub fn parse(raw: &str) -> Result<Self, ParseError> {
        parse_12(raw, "IIN").map(Self)
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
    /// The birth date the IIN suggests, when its digits form a real date.
    pub fn birth_date_hint(&self) -> Option<NaiveDate> {
        let b = self.0.as_bytes();
        let yy: i32 = self.0.get(0..2)?.parse().ok()?;
        let mm: u32 = self.0.get(2..4)?.parse().ok()?;
        let dd: u32 = self.0.get(4..6)?.parse().ok()?;
        let century = match b.get(6)? {
            b'1' | b'2' => 1800,
            b'3' | b'4' => 1900,
            b'5' | b'6' => 2000,
            _ => return None,
        };
        NaiveDate::from_ymd_opt(century + yy, mm, dd)
    }
    /// At most the first six digits, for anything a person might read in a log or a list.
    pub fn masked(&self) -> String {
        mask(&self.0)
    }
}

/// Masks a 12-digit identifier: the first 6 digits and six asterisks.
pub fn mask(id: &str) -> String {
    let head: String = id.chars().take(6).collect();
    format!("{head}******")
}

/// Hides the middle of a phone number or e-mail address: `+7701*****00`.
pub fn mask_contact(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    if chars.len() <= 6 {
        return "*".repeat(chars.len());
    }
    let head: String = chars[..4].iter().collect();
    let tail: String = chars[chars.len() - 2..].iter().collect();
    format!("{head}{}{tail}", "*".repeat(chars.len() - 6))
}

/// Hides a name but its first letter: `А***`.
pub fn mask_name(s: &str) -> String {
    let first: String = s.chars().take(1).collect();
    format!("{first}***")
}

impl fmt::Debug for Iin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Iin({})", self.masked())
    }
}

impl fmt::Display for Iin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.masked())
    }
}

impl TryFrom<String> for Iin {
    type Error = ParseError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<Iin> for String {
    fn from(value: Iin) -> Self {
        value.0
    }
}

/// Business identification number of a legal entity: 12 digits with a valid check digit.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Bin(String);

impl Bin {
    pub fn parse(raw: &str) -> Result<Self, ParseError> {
        parse_12(raw, "BIN").map(Self)
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The identifier of an organisation or employer: a BIN, or the IIN of an individual
/// entrepreneur. Both share the format and the check digit.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct OrganisationId(String);

impl OrganisationId {
    pub fn parse(raw: &str) -> Result<Self, ParseError> {
        parse_12(raw, "BIN or IIN").map(Self)
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
    pub fn into_string(self) -> String {
        self.0
    }
}

/// A KATO code of an administrative-territorial unit: 9 digits.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Kato(String);

impl Kato {
    pub fn parse(raw: &str) -> Result<Self, ParseError> {
        let s = raw.trim();
        if digits::<9>(s).is_some() {
            Ok(Self(s.to_owned()))
        } else {
            Err(ParseError::new("KATO code must be exactly 9 digits"))
        }
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
    pub fn into_string(self) -> String {
        self.0
    }
}

/// A Kazakhstan mobile or landline number, kept as `+7` and ten digits.
#[derive(Clone, PartialEq, Eq)]
pub struct Phone(String);

impl Phone {
    pub fn parse(raw: &str) -> Result<Self, ParseError> {
        let digits: String = raw.chars().filter(char::is_ascii_digit).collect();
        let allowed = raw
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '+' | ' ' | '-' | '(' | ')'));
        let national = match digits.len() {
            11 if digits.starts_with('7') || digits.starts_with('8') => &digits[1..],
            10 => &digits[..],
            _ => "",
        };
        if !allowed || national.is_empty() {
            return Err(ParseError::new(
                "phone must be a Kazakhstan number: +7 and 10 digits",
            ));
        }
        Ok(Self(format!("+7{national}")))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Phone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Phone(***)")
    }
}

/// An e-mail address, checked with `validator`'s rules.
#[derive(Clone, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    pub fn parse(raw: &str) -> Result<Self, ParseError> {
        let s = raw.trim();
        if validator::ValidateEmail::validate_email(&s) {
            Ok(Self(s.to_lowercase()))
        } else {
            Err(ParseError::new("e-mail address is not valid"))
        }
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Email(***)")
    }
}

/// A person's name part: trimmed, 1 to 100 characters, no control characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Name(String);

impl Name {
    pub fn parse(raw: &str, what: &str) -> Result<Self, ParseError> {
        let s = raw.trim();
        let n = s.chars().count();
        if n == 0 {
            return Err(ParseError::new(format!("{what} must not be empty")));
        }
        if n > 200 {
            return Err(ParseError::new(format!(
                "{what} must be at most 200 characters"
            )));
        }
        if s.chars().any(char::is_control) {
            return Err(ParseError::new(format!(
                "{what} must not contain control characters"
            )));
        }
        Ok(Self(s.to_owned()))
    }
    pub fn into_string(self) -> String {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_valid_bins_pass() {
        for bin in ["940140000385", "990140004654", "020140001689"] {
            assert!(Bin::parse(bin).is_ok(), "{bin}");
        }
    }

    #[test]
    fn wrong_check_digit_is_rejected_with_reason() {
        let err = Bin::parse("940140000386").unwrap_err();
        assert_eq!(err.0, "BIN has a wrong check digit");
        let err = Iin::parse("12345").unwrap_err();
        assert_eq!(err.0, "IIN must be exactly 12 digits");
        assert!(Iin::parse("94014000038a").is_err());
    }

    #[test]
    fn second_weight_pass_is_used_when_first_gives_ten() {
        // Find an 11-digit prefix whose first pass gives 10 and check the completed number.
        let prefix = (0..100_000u32)
            .map(|n| format!("900101{n:05}"))
            .find(|p| {
                let d = digits::<11>(p).unwrap();
                d.iter()
                    .zip(WEIGHTS_1)
                    .map(|(d, w)| u32::from(*d) * w)
                    .sum::<u32>()
                    % 11
                    == 10
                    && check_digit(&d).is_some()
            })
            .unwrap();
        let full = with_check_digit(&prefix).unwrap();
        assert!(Iin::parse(&full).is_ok());
        let d = digits::<11>(&prefix).unwrap();
        let second = d
            .iter()
            .zip(WEIGHTS_2)
            .map(|(d, w)| u32::from(*d) * w)
            .sum::<u32>()
            % 11;
        assert_eq!(full.as_bytes()[11] - b'0', second as u8);
    }

    #[test]
    fn numbers_without_a_possible_check_digit_are_invalid() {
        let prefix = (0..100_000u32)
            .map(|n| format!("900101{n:05}"))
            .find(|p| check_digit(&digits::<11>(p).unwrap()).is_none())
            .unwrap();
        for last in 0..10 {
            assert!(Iin::parse(&format!("{prefix}{last}")).is_err());
        }
    }

    #[test]
    fn iin_hints_and_masking() {
        let iin = Iin::parse(&with_check_digit("05031550012").unwrap()).unwrap();
        assert_eq!(iin.birth_date_hint(), NaiveDate::from_ymd_opt(2005, 3, 15));
        assert_eq!(iin.masked(), "050315******");
        assert_eq!(format!("{iin:?}"), "Iin(050315******)");
        // A number whose date digits are not a date is still a valid IIN.
        let odd = Iin::parse(&with_check_digit("99133150012").unwrap()).unwrap();
        assert_eq!(odd.birth_date_hint(), None);
    }

    #[test]
    fn employer_id_accepts_bin_or_iin() {
        assert!(OrganisationId::parse("940140000385").is_ok());
        let iin = with_check_digit("85010230045").unwrap();
        assert!(OrganisationId::parse(&iin).is_ok());
    }

    #[test]
    fn phone_normalises() {
        assert_eq!(
            Phone::parse("8 (701) 123-45-67").unwrap().as_str(),
            "+77011234567"
        );
        assert_eq!(
            Phone::parse("+77011234567").unwrap().as_str(),
            "+77011234567"
        );
        assert!(Phone::parse("12345").is_err());
        assert!(Phone::parse("+7 701 abc 45 67").is_err());
    }

    #[test]
    fn kato_and_email_and_name() {
        assert!(Kato::parse("710000000").is_ok());
        assert!(Kato::parse("71000").is_err());
        assert_eq!(Email::parse(" A@b.kz ").unwrap().as_str(), "a@b.kz");
        assert!(Email::parse("nope").is_err());
        assert!(Name::parse("  ", "first name").is_err());
        assert_eq!(
            Name::parse(" Әсем ", "first name").unwrap().into_string(),
            "Әсем"
        );
    }
}
