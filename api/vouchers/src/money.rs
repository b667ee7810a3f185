//! Money and months, as pure rules: a campaign's accounts in integer tenge and the months a
//! voucher is paid for.
//!
//! - A voucher issued on a day is paid from that day's month (or from the campaign's first
//!   month, when that is later) to the campaign's last month. Issuing it commits its monthly
//!   value times those months.
//! - A voucher that ends (declined, lapsed, ended by the akimat) keeps the months up to and
//!   including the month it ended in; the months after are freed and return to the queue.
//! - A voucher issued from freed money is paid from the month after its issue (or from the
//!   campaign's first month, when that is later): the months freed are those.
//! - Committed plus paid never exceeds the budget: what is available is the budget less both.

use chrono::{Datelike, NaiveDate};

/// A month as the number `YYYYMM`.
pub type Month = i32;

pub fn month_of(date: NaiveDate) -> Month {
    date.year() * 100 + date.month() as i32
}

/// Whether `m` is a real month (`YYYYMM` with a month 1-12).
pub fn is_month(m: Month) -> bool {
    (190_001..=299_912).contains(&m) && (1..=12).contains(&(m % 100))
}

pub fn next_month(m: Month) -> Month {
    add_months(m, 1)
}

/// The month `k` months after `m` (before it when `k` is negative).
pub fn add_months(m: Month, k: i32) -> Month {
    let index = m / 100 * 12 + m % 100 - 1 + k;
    index.div_euclid(12) * 100 + index.rem_euclid(12) + 1
}

/// Months from `first` to `last`, both included; zero when `last` is before `first`.
pub fn months_between(first: Month, last: Month) -> i64 {
    let index = |m: Month| i64::from(m / 100) * 12 + i64::from(m % 100);
    (index(last) - index(first) + 1).max(0)
}

/// The first month a voucher issued on `today` is paid for.
pub fn paid_from(campaign_first: Month, today: NaiveDate) -> Month {
    campaign_first.max(month_of(today))
}

/// The first month a voucher issued from freed money on `today` is paid for.
pub fn reissued_from(campaign_first: Month, today: NaiveDate) -> Month {
    campaign_first.max(next_month(month_of(today)))
}

/// What a voucher of `monthly_value` for `months` months commits.
pub fn cost(monthly_value: i64, months: i64) -> i64 {
    monthly_value.saturating_mul(months.max(0))
}

/// What ending a voucher on `today` frees: its value for the months after today's month,
/// within the voucher's own months.
pub fn freed_on_end(monthly_value: i64, first: Month, last: Month, today: NaiveDate) -> i64 {
    let from = first.max(next_month(month_of(today)));
    cost(monthly_value, months_between(from, last))
}

/// Whole months from `birth` to `on` (an age).
pub fn age_in_months(birth: NaiveDate, on: NaiveDate) -> i32 {
    let mut months = (on.year() - birth.year()) * 12 + on.month() as i32 - birth.month() as i32;
    if on.day() < birth.day() {
        months -= 1;
    }
    months.max(0)
}

/// A campaign's accounts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Accounts {
    pub budget: i64,
    pub committed: i64,
    pub paid: i64,
    pub freed: i64,
}

impl Accounts {
    pub fn available(&self) -> i64 {
        self.budget - self.committed - self.paid
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn months_move_across_years_both_ways() {
        assert_eq!(add_months(202611, 1), 202612);
        assert_eq!(add_months(202612, 1), 202701);
        assert_eq!(add_months(202701, -1), 202612);
        assert_eq!(add_months(202603, -15), 202412);
        assert_eq!(next_month(202612), 202701);
    }

    #[test]
    fn months_are_counted_inclusively_across_a_new_year() {
        assert_eq!(months_between(202609, 202705), 9);
        assert_eq!(months_between(202609, 202609), 1);
        assert_eq!(months_between(202610, 202609), 0);
        assert_eq!(next_month(202612), 202701);
        assert!(is_month(202612) && !is_month(202613) && !is_month(202600));
    }

    #[test]
    fn a_voucher_is_paid_from_its_issue_month_and_frees_the_months_after_its_end() {
        // Issued in August for a September-May campaign: nine months.
        assert_eq!(paid_from(202609, d(2026, 8, 20)), 202609);
        // Issued on 3 October: October to May, eight months.
        assert_eq!(paid_from(202609, d(2026, 10, 3)), 202610);
        // Ended on 15 November: December to May (six months) return, November is kept.
        assert_eq!(
            freed_on_end(15_000, 202609, 202705, d(2026, 11, 15)),
            6 * 15_000
        );
        // Declined before the period starts: every month returns.
        assert_eq!(
            freed_on_end(15_000, 202609, 202705, d(2026, 8, 25)),
            9 * 15_000
        );
        // Its money, issued again to the next child on the same day, pays December-May.
        assert_eq!(reissued_from(202609, d(2026, 11, 15)), 202612);
        assert_eq!(reissued_from(202609, d(2026, 8, 25)), 202609);
        // Ended in its last month: nothing left to free.
        assert_eq!(freed_on_end(15_000, 202609, 202705, d(2027, 5, 2)), 0);
    }

    #[test]
    fn an_age_counts_whole_months() {
        assert_eq!(age_in_months(d(2019, 3, 15), d(2026, 9, 14)), 7 * 12 + 5);
        assert_eq!(age_in_months(d(2019, 3, 15), d(2026, 9, 15)), 7 * 12 + 6);
        assert_eq!(age_in_months(d(2027, 1, 1), d(2026, 9, 15)), 0);
    }
}
