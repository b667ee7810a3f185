//! Kazakhstan's working days, for terms counted in them (a contest's answer is due in twenty).
//!
//! Days off are Saturdays, Sundays and the holidays the Labour Code (art. 84) and the Law on
//! holidays make days off:
//! - New Year (1 and 2 January), International Women's Day (8 March), Nauryz (21 to 23 March),
//!   Unity Day (1 May), Defender of the Fatherland Day (7 May), Victory Day (9 May), Capital
//!   Day (6 July), Constitution Day (30 August), Republic Day (25 October), Independence Day
//!   (16 December). One of these that falls on a Saturday or Sunday moves its day off to the
//!   next working day;
//! - Orthodox Christmas (7 January) and the first day of Kurban Ait, whose date the Muslim
//!   Board announces each year ([`KURBAN_AIT`]): days off that do not move.
//!
//! The government's yearly decrees that swap a working day for a bridge day are not known
//! here: a term counted across one is a day shorter or longer than the decree makes it.

use chrono::{Datelike, Duration, NaiveDate, Weekday};

/// The holidays whose day off moves to the next working day when they fall on a weekend, as
/// (month, day).
const HOLIDAYS: [(u32, u32); 12] = [
    (1, 1),
    (1, 2),
    (3, 8),
    (3, 21),
    (3, 22),
    (3, 23),
    (5, 1),
    (5, 7),
    (5, 9),
    (7, 6),
    (8, 30),
    (12, 16),
];

/// Republic Day, a holiday again from 2022 (25 October).
const REPUBLIC_DAY: (u32, u32) = (10, 25);

/// Orthodox Christmas: a day off that does not move.
const CHRISTMAS: (u32, u32) = (1, 7);

/// The first day of Kurban Ait, as announced (year, month, day): a day off that does not move.
pub const KURBAN_AIT: [(i32, u32, u32); 8] = [
    (2023, 6, 28),
    (2024, 6, 16),
    (2025, 6, 6),
    (2026, 5, 27),
    (2027, 5, 16),
    (2028, 5, 5),
    (2029, 4, 24),
    (2030, 4, 13),
];

fn is_weekend(day: NaiveDate) -> bool {
    matches!(day.weekday(), Weekday::Sat | Weekday::Sun)
}

/// The holidays of `year` whose day off moves, by date.
fn moving_holidays(year: i32) -> impl Iterator<Item = NaiveDate> {
    HOLIDAYS
        .iter()
        .copied()
        .chain((year >= 2022).then_some(REPUBLIC_DAY))
        .filter_map(move |(m, d)| NaiveDate::from_ymd_opt(year, m, d))
}

/// Whether `day` is a holiday's own date.
fn is_holiday(day: NaiveDate) -> bool {
    let (m, d) = (day.month(), day.day());
    HOLIDAYS.contains(&(m, d))
        || (day.year() >= 2022 && (m, d) == REPUBLIC_DAY)
        || (m, d) == CHRISTMAS
        || KURBAN_AIT.contains(&(day.year(), m, d))
}

/// Whether `day` is a day off: a weekend, a holiday, or the day a weekend holiday's day off
/// moved to.
pub fn is_day_off(day: NaiveDate) -> bool {
    is_weekend(day) || is_holiday(day) || moved_day_offs(day.year()).contains(&day)
}

/// The days that weekend holidays of `year` (and of the end of the year before) moved their
/// day off to: each to the first day after the holiday that is neither a weekend, a holiday
/// nor a day already taken by another move.
fn moved_day_offs(year: i32) -> Vec<NaiveDate> {
    let mut moved: Vec<NaiveDate> = Vec::new();
    let mut weekend_holidays: Vec<NaiveDate> = moving_holidays(year - 1)
        .chain(moving_holidays(year))
        .filter(|d| is_weekend(*d))
        .collect();
    weekend_holidays.sort();
    for h in weekend_holidays {
        let mut d = h + Duration::days(1);
        while is_weekend(d) || is_holiday(d) || moved.contains(&d) {
            d += Duration::days(1);
        }
        moved.push(d);
    }
    moved
}

/// The `n`th working day after `day` (`day` itself not counted).
pub fn working_days_after(day: NaiveDate, n: u32) -> NaiveDate {
    let mut d = day;
    let mut left = n;
    while left > 0 {
        d += Duration::days(1);
        if !is_day_off(d) {
            left -= 1;
        }
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn holidays_are_days_off_and_a_weekend_holiday_moves_its_day_off() {
        // Independence Day 2026 is a Wednesday.
        assert!(is_day_off(day(2026, 12, 16)));
        assert!(!is_day_off(day(2026, 12, 17)));
        // Nauryz 2026: 21 March is a Saturday, 22 a Sunday, 23 a Monday: the day offs of the
        // 21st and 22nd move to Tuesday the 24th and Wednesday the 25th.
        assert!(is_day_off(day(2026, 3, 23)));
        assert!(is_day_off(day(2026, 3, 24)));
        assert!(is_day_off(day(2026, 3, 25)));
        assert!(!is_day_off(day(2026, 3, 26)));
        // Orthodox Christmas does not move: 7 January 2024 was a Sunday, the 8th was worked.
        assert!(!is_day_off(day(2024, 1, 8)));
        // Kurban Ait 2026, a Wednesday.
        assert!(is_day_off(day(2026, 5, 27)));
        // New Year 2028: 1 January is a Saturday, the 2nd a Sunday: Monday the 3rd and
        // Tuesday the 4th are off.
        assert!(is_day_off(day(2028, 1, 3)));
        assert!(is_day_off(day(2028, 1, 4)));
        assert!(!is_day_off(day(2028, 1, 5)));
        // Constitution Day 2025 is a Saturday: Monday 1 September is off.
        assert!(is_day_off(day(2025, 9, 1)));
        // An ordinary Tuesday.
        assert!(!is_day_off(day(2026, 12, 1)));
    }

    #[test]
    fn a_term_in_working_days_steps_over_weekends_and_holidays() {
        // Tuesday 1 December 2026: twenty working days, less Independence Day (the 16th).
        assert_eq!(working_days_after(day(2026, 12, 1), 20), day(2026, 12, 30));
        // Across the New Year and Christmas: 1, 2 and 7 January 2027 are off.
        assert_eq!(working_days_after(day(2026, 12, 30), 3), day(2027, 1, 6));
        assert_eq!(working_days_after(day(2027, 1, 6), 1), day(2027, 1, 8));
        assert_eq!(working_days_after(day(2026, 12, 1), 0), day(2026, 12, 1));
    }
}
