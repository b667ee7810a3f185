//! Months as `YYYYMM` integers (the contribution feed's periods).

use chrono::{Datelike, NaiveDate};

use adal_core::identifiers::ParseError;

/// A calendar month; serialised as `YYYY-MM`.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(into = "String", try_from = "String")]
pub struct Period(i32);

impl From<Period> for String {
    fn from(p: Period) -> String {
        p.to_string()
    }
}

impl TryFrom<String> for Period {
    type Error = ParseError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Period::parse(&s)
    }
}

impl Period {
    pub fn new(year: i32, month: u32) -> Option<Self> {
        ((1..=12).contains(&month) && (1990..=2100).contains(&year))
            .then_some(Self(year * 100 + month as i32))
    }
    /// `YYYY-MM` (or `YYYYMM`).
    pub fn parse(raw: &str) -> Result<Self, ParseError> {
        let s = raw.trim();
        let (y, m) = match (s.len(), s.split_once('-')) {
            (7, Some((y, m))) => (y, m),
            (6, None) => (&s[..4], &s[4..]),
            _ => return Err(ParseError("period must be YYYY-MM".into())),
        };
        let y: i32 = y
            .parse()
            .map_err(|_| ParseError("period must be YYYY-MM".into()))?;
        let m: u32 = m
            .parse()
            .map_err(|_| ParseError("period must be YYYY-MM".into()))?;
        Self::new(y, m).ok_or_else(|| ParseError("period is not a real month".into()))
    }
    pub fn from_i32(v: i32) -> Option<Self> {
        Self::new(v / 100, (v % 100) as u32)
    }
    pub fn of_date(d: NaiveDate) -> Self {
        Self(d.year() * 100 + d.month() as i32)
    }
    pub fn as_i32(self) -> i32 {
        self.0
    }
    pub fn year(self) -> i32 {
        self.0 / 100
    }
    pub fn month(self) -> u32 {
        (self.0 % 100) as u32
    }
    fn index(self) -> i32 {
        self.year() * 12 + self.month() as i32 - 1
    }
    fn from_index(i: i32) -> Self {
        Self((i / 12) * 100 + i % 12 + 1)
    }
    pub fn plus(self, months: i32) -> Self {
        Self::from_index(self.index() + months)
    }
    pub fn next(self) -> Self {
        self.plus(1)
    }
    /// Months from `self` to `other` (positive when `other` is later).
    pub fn months_until(self, other: Period) -> i32 {
        other.index() - self.index()
    }
    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year(), self.month(), 1).unwrap_or_default()
    }
}

impl std::fmt::Display for Period {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}", self.year(), self.month())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_and_arithmetic() {
        let p = Period::parse("2024-09").unwrap();
        assert_eq!(p.as_i32(), 202409);
        assert_eq!(Period::parse("202409").unwrap(), p);
        assert!(Period::parse("2024-13").is_err());
        assert!(Period::parse("24-09").is_err());
        assert_eq!(p.plus(4).to_string(), "2025-01");
        assert_eq!(p.plus(-9).to_string(), "2023-12");
        assert_eq!(p.months_until(Period::parse("2025-09").unwrap()), 12);
    }
}
