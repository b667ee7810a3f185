//! Calendar days as whole numbers (days since 1970-01-01), for pages that step through days
//! and months without a date library. Pure functions, tested natively; only [`today`] asks the
//! browser.

/// The day number of a civil date (Howard Hinnant's `days_from_civil`).
pub fn from_civil(y: i32, m: u32, d: u32) -> i64 {
    let y = i64::from(y) - i64::from(m <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let (m, d) = (i64::from(m), i64::from(d));
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The civil date (year, month, day) of a day number.
pub fn civil(z: i64) -> (i32, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (
        (yoe + era * 400 + i64::from(m <= 2)) as i32,
        m as u32,
        d as u32,
    )
}

/// The day number of `YYYY-MM-DD` (or of an RFC 3339 date-time's date).
pub fn parse(s: &str) -> Option<i64> {
    crate::format::parse_date(s).map(|(y, m, d)| from_civil(y, m, d))
}

/// `YYYY-MM-DD`, as the API's `NaiveDate`.
pub fn iso(day: i64) -> String {
    let (y, m, d) = civil(day);
    let mut s = y.to_string();
    for n in [m, d] {
        s.push('-');
        if n < 10 {
            s.push('0');
        }
        s.push_str(&n.to_string());
    }
    s
}

/// The first and the last day of the day's month.
pub fn month(day: i64) -> (i64, i64) {
    let (y, m, _) = civil(day);
    let (ny, nm) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    (from_civil(y, m, 1), from_civil(ny, nm, 1) - 1)
}

/// Whether the day is a Saturday or a Sunday (1970-01-01 was a Thursday).
pub fn weekend(day: i64) -> bool {
    day.rem_euclid(7) >= 2 && day.rem_euclid(7) <= 3
}

/// Kazakhstan's offset from UTC in milliseconds: one time zone, UTC+5, for the whole country
/// since 1 March 2024; the API keeps its days in it (`adal_schools::rules::LOCAL_OFFSET_SECS`).
const KAZAKHSTAN_OFFSET_MS: f64 = 5.0 * 3600.0 * 1000.0;

/// The day in Kazakhstan at an instant (milliseconds since 1970-01-01 UTC).
pub fn day_in_kazakhstan(unix_ms: f64) -> i64 {
    ((unix_ms + KAZAKHSTAN_OFFSET_MS) / 86_400_000.0).floor() as i64
}

/// The date and the time of day (hours, minutes) in Kazakhstan at an instant (milliseconds
/// since 1970-01-01 UTC): what a page shows of the API's instants, whatever the browser's
/// time zone.
pub fn kazakhstan_time(unix_ms: f64) -> ((i32, u32, u32), (u32, u32)) {
    let day = day_in_kazakhstan(unix_ms);
    let ms_of_day = unix_ms + KAZAKHSTAN_OFFSET_MS - day as f64 * 86_400_000.0;
    let minutes = (ms_of_day / 60_000.0).floor() as u32;
    (civil(day), (minutes / 60, minutes % 60))
}

/// The instant (RFC 3339, UTC) of a day (`YYYY-MM-DD`) at a time of day (`HH:MM`) in
/// Kazakhstan: what a date or `datetime-local` field means, whatever the browser's time zone.
pub fn kazakhstan_instant(day: &str, time: &str) -> Option<String> {
    let day = parse(day.trim()).filter(|_| day.trim().len() == 10)?;
    let (h, m) = time.trim().split_once(':')?;
    let (h, m): (i64, i64) = (h.parse().ok()?, m.get(..2)?.parse().ok()?);
    if !(0..24).contains(&h) || !(0..60).contains(&m) {
        return None;
    }
    let minutes = day * 1440 + h * 60 + m - KAZAKHSTAN_OFFSET_MS as i64 / 60_000;
    let (y, mo, d) = civil(minutes.div_euclid(1440));
    let of_day = minutes.rem_euclid(1440);
    Some(format!(
        "{y:04}-{mo:02}-{d:02}T{:02}:{:02}:00Z",
        of_day / 60,
        of_day % 60
    ))
}

/// Today in Kazakhstan, whatever the browser's time zone: the day the API counts in (a
/// school's day, the day a lifted block holds for), also between 19:00 and 24:00 UTC.
pub fn today() -> i64 {
    day_in_kazakhstan(js_sys::Date::now())
}

/// This month in Kazakhstan (`YYYYMM`, as the API writes months).
pub fn this_month() -> i64 {
    let (y, m, _) = civil(today());
    i64::from(y) * 100 + i64::from(m)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_day_is_kazakhstans_not_the_browsers() {
        // 2026-12-05 19:06 UTC is 2026-12-06 00:06 in Kazakhstan.
        let at = (from_civil(2026, 12, 5) as f64) * 86_400_000.0 + (19.0 * 60.0 + 6.0) * 60_000.0;
        assert_eq!(civil(day_in_kazakhstan(at)), (2026, 12, 6));
        // 18:59 UTC is still the 5th there.
        let before = at - 7.0 * 60_000.0;
        assert_eq!(civil(day_in_kazakhstan(before)), (2026, 12, 5));
    }

    #[test]
    fn a_day_and_time_in_kazakhstan_is_its_instant() {
        assert_eq!(
            kazakhstan_instant("2026-12-06", "00:00").as_deref(),
            Some("2026-12-05T19:00:00Z")
        );
        assert_eq!(
            kazakhstan_instant("2027-01-01", "23:59").as_deref(),
            Some("2027-01-01T18:59:00Z")
        );
        // A `datetime-local` value with seconds reads the same.
        assert_eq!(
            kazakhstan_instant("2026-03-01", "04:30:15").as_deref(),
            Some("2026-02-28T23:30:00Z")
        );
        for (day, time) in [
            ("", "10:00"),
            ("2026-13-01", "10:00"),
            ("2026-12-06", "24:00"),
            ("2026-12-06", ""),
        ] {
            assert_eq!(kazakhstan_instant(day, time), None, "{day} {time}");
        }
    }

    #[test]
    fn an_instant_reads_in_kazakhstans_time() {
        // 2026-12-05T19:06:30Z is 00:06 on the 6th in Kazakhstan; 04:59 UTC is 09:59.
        let at = (from_civil(2026, 12, 5) as f64) * 86_400_000.0
            + ((19.0 * 60.0 + 6.0) * 60.0 + 30.0) * 1000.0;
        assert_eq!(kazakhstan_time(at), ((2026, 12, 6), (0, 6)));
        let morning =
            (from_civil(2026, 12, 5) as f64) * 86_400_000.0 + (4.0 * 60.0 + 59.0) * 60_000.0;
        assert_eq!(kazakhstan_time(morning), ((2026, 12, 5), (9, 59)));
        // Before 1970 too (a birth date's instant).
        let old = (from_civil(1969, 12, 31) as f64) * 86_400_000.0 + 20.0 * 3_600_000.0;
        assert_eq!(kazakhstan_time(old), ((1970, 1, 1), (1, 0)));
    }

    #[test]
    fn days_round_trip_and_read_as_the_api_writes_them() {
        assert_eq!(from_civil(1970, 1, 1), 0);
        assert_eq!(civil(0), (1970, 1, 1));
        for z in [-800_000, -1, 0, 59, 11_016, 20_792, 20_793, 2_000_000] {
            let (y, m, d) = civil(z);
            assert_eq!(from_civil(y, m, d), z);
        }
        assert_eq!(iso(from_civil(2026, 12, 4)), "2026-12-04");
        assert_eq!(iso(from_civil(2026, 11, 30)), "2026-11-30");
        assert_eq!(parse("2026-02-28"), Some(from_civil(2026, 2, 28)));
        assert_eq!(parse("2026-12-04T07:50:00Z"), Some(from_civil(2026, 12, 4)));
    }

    #[test]
    fn months_and_weekends() {
        let day = from_civil(2028, 2, 14);
        assert_eq!(
            month(day),
            (from_civil(2028, 2, 1), from_civil(2028, 2, 29))
        );
        let dec = from_civil(2026, 12, 31);
        assert_eq!(month(dec), (from_civil(2026, 12, 1), dec));
        // 2026-12-05 is a Saturday, 12-06 a Sunday, 12-07 a Monday.
        assert!(weekend(from_civil(2026, 12, 5)));
        assert!(weekend(from_civil(2026, 12, 6)));
        assert!(!weekend(from_civil(2026, 12, 7)));
        assert!(!weekend(from_civil(2026, 12, 4)));
    }
}
