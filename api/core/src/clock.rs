//! The time a rule reads. The server reads the system clock; a test may hand the server a
//! clock it moves forward itself (`Clock::manual` + `advance`), so nothing waits on real time.

use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use chrono::{DateTime, Duration, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, Offset, Utc};

/// Kazakhstan keeps one time zone, UTC+5, since 1 March 2024: days (a school's, a term's, a
/// client's use, a published head's) are local to it.
pub const LOCAL_OFFSET_SECS: i32 = 5 * 3600;

/// Kazakhstan's time zone.
pub fn zone() -> FixedOffset {
    FixedOffset::east_opt(LOCAL_OFFSET_SECS).unwrap_or(Utc.fix())
}

/// The local date and time of an instant.
pub fn local(at: DateTime<Utc>) -> NaiveDateTime {
    at.naive_utc() + Duration::seconds(i64::from(LOCAL_OFFSET_SECS))
}

/// The local date of an instant.
pub fn local_day(at: DateTime<Utc>) -> NaiveDate {
    local(at).date()
}

/// The instant of a local date and time.
pub fn at_local(day: NaiveDate, time: NaiveTime) -> DateTime<Utc> {
    (day.and_time(time) - Duration::seconds(i64::from(LOCAL_OFFSET_SECS))).and_utc()
}

/// The system clock, or the system clock moved forward by a test.
#[derive(Clone, Default)]
pub struct Clock(Option<Arc<AtomicI64>>);

impl Clock {
    /// A clock a test moves forward with [`Clock::advance`]; its clones move with it.
    pub fn manual() -> Self {
        Self(Some(Arc::new(AtomicI64::new(0))))
    }

    pub fn now(&self) -> DateTime<Utc> {
        let now = Utc::now();
        match &self.0 {
            Some(offset) => now + Duration::milliseconds(offset.load(Ordering::SeqCst)),
            None => now,
        }
    }

    /// Moves a manual clock forward (the system clock does not move).
    pub fn advance(&self, by: Duration) {
        if let Some(offset) = &self.0 {
            offset.fetch_add(by.num_milliseconds(), Ordering::SeqCst);
        }
    }
}

impl fmt::Debug for Clock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if self.0.is_some() { "manual" } else { "system" })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_manual_clock_moves_with_its_clones() {
        let clock = Clock::manual();
        let other = clock.clone();
        let before = other.now();
        clock.advance(Duration::seconds(61));
        assert!(other.now() - before >= Duration::seconds(61));
        let system = Clock::default();
        system.advance(Duration::days(1));
        assert!(system.now() - Utc::now() < Duration::hours(1));
    }
}
