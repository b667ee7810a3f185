//! The rules of using a voucher, as pure functions: what a parent pays on top, what a provider
//! is paid for a month, when two sections' schedules overlap, and when a child was inside
//! school during a section's session.
//!
//! **Payout.** A month is paid only from confirmed attendance (confirmed by the parent, not
//! answered within the campaign's days, or upheld by the akimat after a dispute). The base is
//! the voucher's monthly value, or the section's price when that is lower. If the child
//! attended at least the campaign's threshold share of the sessions held, the base is paid in
//! full; otherwise in proportion to the sessions attended (rounded down to the tenge). A month
//! with no session held pays nothing.
//!
//! **Own payment.** When a section costs more than the voucher's monthly value, the parent pays
//! the difference; the payout never covers more than the voucher's value.

use chrono::{Datelike, NaiveDate, NaiveTime, Timelike};
use serde::{Deserialize, Serialize};

/// What the parent pays each month on top of the voucher.
pub fn copay(monthly_price: i64, voucher_value: i64) -> i64 {
    (monthly_price - voucher_value).max(0)
}

/// What the provider is paid for one child's confirmed month.
pub fn payout(
    voucher_value: i64,
    monthly_price: i64,
    held: i32,
    attended: i32,
    threshold_pct: i32,
) -> i64 {
    let base = voucher_value.min(monthly_price).max(0);
    if held <= 0 {
        return 0;
    }
    if reaches_threshold(held, attended, threshold_pct) {
        base
    } else {
        base * i64::from(attended.clamp(0, held)) / i64::from(held)
    }
}

/// Whether a month's attendance reaches the campaign's threshold share of the sessions held
/// (paid in full); a month with no session held does not.
pub fn reaches_threshold(held: i32, attended: i32, threshold_pct: i32) -> bool {
    held > 0
        && i64::from(attended.clamp(0, held)) * 100 >= i64::from(held) * i64::from(threshold_pct)
}

/// One weekly session: day (1 Monday .. 7 Sunday) and minutes from midnight.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Slot {
    pub day: u8,
    pub start: u16,
    pub end: u16,
}

/// Reads `HH:MM`.
pub fn parse_time(s: &str) -> Option<u16> {
    let (h, m) = s.trim().split_once(':')?;
    let (h, m): (u16, u16) = (h.parse().ok()?, m.parse().ok()?);
    (h < 24 && m < 60).then_some(h * 60 + m)
}

/// Writes `HH:MM`.
pub fn format_time(minutes: u16) -> String {
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

impl Slot {
    pub fn new(day: u8, start: &str, end: &str) -> Result<Self, String> {
        if !(1..=7).contains(&day) {
            return Err(format!("day {day}: days are 1 (Monday) to 7 (Sunday)"));
        }
        let (Some(start), Some(end)) = (parse_time(start), parse_time(end)) else {
            return Err("times are written HH:MM".into());
        };
        if end <= start {
            return Err("a session ends after it starts".into());
        }
        Ok(Self { day, start, end })
    }

    pub fn overlaps(&self, other: &Slot) -> bool {
        self.day == other.day && self.start < other.end && other.start < self.end
    }
}

/// Whether two weekly schedules have a session at the same time.
pub fn schedules_overlap(a: &[Slot], b: &[Slot]) -> bool {
    a.iter().any(|x| b.iter().any(|y| x.overlaps(y)))
}

/// A span of one local day in which the school's turnstile shows a child inside: from an entry
/// to the exit after it, in local time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Inside {
    pub date: NaiveDate,
    pub from: NaiveTime,
    pub to: NaiveTime,
}

impl Inside {
    /// Whether the span falls on the session's weekday and shares time with it (a child who
    /// left school as the session began was not inside during it).
    pub fn overlaps(&self, slot: &Slot) -> bool {
        let (start, end) = (u32::from(slot.start) * 60, u32::from(slot.end) * 60);
        self.date.weekday().number_from_monday() == u32::from(slot.day)
            && self.from.num_seconds_from_midnight() < end
            && start < self.to.num_seconds_from_midnight()
    }
}

/// The earliest span in which the child was inside school during one of the section's weekly
/// sessions, with that session; none when every span falls outside the sessions.
pub fn inside_during_session(schedule: &[Slot], inside: &[Inside]) -> Option<(Inside, Slot)> {
    inside
        .iter()
        .filter_map(|i| schedule.iter().find(|s| i.overlaps(s)).map(|s| (*i, *s)))
        .min_by_key(|(i, s)| (i.date, i.from, s.start))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_month_is_paid_in_full_from_the_threshold_and_in_proportion_below_it() {
        // 15,000 voucher, section at 18,000: the base is the voucher's value.
        assert_eq!(payout(15_000, 18_000, 8, 6, 75), 15_000); // 6/8 = 75 %: full
        assert_eq!(payout(15_000, 18_000, 8, 5, 75), 15_000 * 5 / 8); // 9,375
        assert_eq!(payout(15_000, 18_000, 8, 5, 75), 9_375);
        // A section cheaper than the voucher is paid its price.
        assert_eq!(payout(15_000, 12_000, 8, 8, 75), 12_000);
        // No session held, nothing attended, attendance above held.
        assert_eq!(payout(15_000, 15_000, 0, 0, 75), 0);
        assert_eq!(payout(15_000, 15_000, 8, 0, 75), 0);
        assert_eq!(payout(15_000, 15_000, 8, 9, 75), 15_000);
        // 1/3 rounds down to the tenge.
        assert_eq!(payout(10_000, 10_000, 3, 1, 75), 3_333);
    }

    #[test]
    fn the_parent_pays_only_what_the_section_costs_above_the_voucher() {
        assert_eq!(copay(18_000, 15_000), 3_000);
        assert_eq!(copay(12_000, 15_000), 0);
    }

    #[test]
    fn schedules_overlap_on_the_same_day_and_time_only() {
        let a = [
            Slot::new(1, "16:00", "17:30").unwrap(),
            Slot::new(3, "16:00", "17:30").unwrap(),
        ];
        let b = [Slot::new(3, "17:00", "18:00").unwrap()];
        let c = [
            Slot::new(3, "17:30", "18:30").unwrap(),
            Slot::new(2, "16:00", "17:00").unwrap(),
        ];
        assert!(schedules_overlap(&a, &b));
        assert!(!schedules_overlap(&a, &c), "back to back is not an overlap");
        assert!(Slot::new(8, "10:00", "11:00").is_err());
        assert!(Slot::new(1, "11:00", "10:00").is_err());
        assert!(Slot::new(1, "25:00", "26:00").is_err());
        assert_eq!(format_time(parse_time("09:05").unwrap()), "09:05");
    }

    #[test]
    fn a_child_inside_school_during_a_session_is_found_on_its_weekday_only() {
        // Monday 16:00-17:30 and Wednesday 10:00-11:00.
        let schedule = [
            Slot::new(1, "16:00", "17:30").unwrap(),
            Slot::new(3, "10:00", "11:00").unwrap(),
        ];
        let t = |s: &str| NaiveTime::parse_from_str(s, "%H:%M:%S").unwrap();
        let day = |d: u32| NaiveDate::from_ymd_opt(2026, 12, d).unwrap();
        let span = |d: u32, from: &str, to: &str| Inside {
            date: day(d),
            from: t(from),
            to: t(to),
        };
        // 7 December 2026 is a Monday, the 8th a Tuesday, the 9th a Wednesday.
        assert_eq!(day(7).weekday(), chrono::Weekday::Mon);
        let left_before = span(7, "08:00:00", "15:59:59");
        let left_as_it_began = span(7, "08:00:00", "16:00:00");
        let came_as_it_ended = span(7, "17:30:00", "19:00:00");
        let tuesday = span(8, "08:00:00", "18:00:00");
        assert_eq!(
            inside_during_session(
                &schedule,
                &[left_before, left_as_it_began, came_as_it_ended, tuesday]
            ),
            None,
            "touching a session's ends, or another weekday, is not inside during it"
        );
        let stayed = span(7, "08:00:00", "16:00:01");
        assert_eq!(
            inside_during_session(&schedule, &[left_before, stayed]),
            Some((stayed, schedule[0]))
        );
        // The earliest of several is named: the Wednesday morning before the next Monday.
        let wednesday = span(9, "10:30:00", "10:45:00");
        let next_monday = span(14, "16:10:00", "16:20:00");
        assert_eq!(
            inside_during_session(&schedule, &[next_monday, wednesday, tuesday]),
            Some((wednesday, schedule[1]))
        );
        assert_eq!(inside_during_session(&[], &[stayed]), None);
    }
}
