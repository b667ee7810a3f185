//! The time a rule reads. The server reads the system clock; a test may hand the server a
//! clock it moves forward itself (`Clock::manual` + `advance`), so nothing waits on real time.

use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use chrono::{DateTime, Duration, Utc};

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
