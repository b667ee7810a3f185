//! Dates, numbers and money per interface language. Pure functions, tested natively.

use crate::i18n::Lang;

const MONTHS_KK: [&str; 12] = [
    "қаңтар",
    "ақпан",
    "наурыз",
    "сәуір",
    "мамыр",
    "маусым",
    "шілде",
    "тамыз",
    "қыркүйек",
    "қазан",
    "қараша",
    "желтоқсан",
];
const MONTHS_RU: [&str; 12] = [
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
];
const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// Reads the date of `YYYY-MM-DD` or of an RFC 3339 date-time (`YYYY-MM-DDThh:mm:ssZ`).
pub fn parse_date(s: &str) -> Option<(i32, u32, u32)> {
    let date = s.get(..10)?;
    let mut parts = date.split('-');
    let y = parts.next()?.parse().ok()?;
    let m: u32 = parts.next()?.parse().ok()?;
    let d: u32 = parts.next()?.parse().ok()?;
    ((1..=12).contains(&m) && (1..=31).contains(&d)).then_some((y, m, d))
}

/// A date as people write it in each language; the input as is when it is not a date.
pub fn date(lang: Lang, s: &str) -> String {
    let Some((y, m, d)) = parse_date(s) else {
        return s.to_string();
    };
    let i = (m - 1) as usize;
    match lang {
        Lang::Kk => format!("{y} жылғы {d} {}", MONTHS_KK[i]),
        Lang::Ru => format!("{d} {} {y} г.", MONTHS_RU[i]),
        Lang::En => format!("{d} {} {y}", MONTHS_EN[i]),
    }
}

/// The names of the months as a month on its own is written (nominative): "март 2025".
const MONTHS_RU_ALONE: [&str; 12] = [
    "январь",
    "февраль",
    "март",
    "апрель",
    "май",
    "июнь",
    "июль",
    "август",
    "сентябрь",
    "октябрь",
    "ноябрь",
    "декабрь",
];

/// A month of the year (1 to 12) as a calendar names it, lower case where the language writes
/// it so ("наурыз", "март", "March").
pub fn month_of_year(lang: Lang, m: usize) -> &'static str {
    let i = m.clamp(1, 12) - 1;
    match lang {
        Lang::Kk => MONTHS_KK[i],
        Lang::Ru => MONTHS_RU_ALONE[i],
        Lang::En => MONTHS_EN[i],
    }
}

/// A month as each language writes it on its own: "наурыз 2025", "март 2025", "March 2025".
/// Reads `YYYY-MM` (a period) or a date (`YYYY-MM-DD`, the first day standing for its month);
/// the input as is when it is neither.
pub fn month(lang: Lang, s: &str) -> String {
    let ym = s.get(..7).and_then(|ym| {
        let (y, m) = ym.split_once('-')?;
        let m: u32 = m.parse().ok()?;
        (y.len() == 4 && (1..=12).contains(&m)).then_some((y.parse::<i32>().ok()?, m))
    });
    let Some((y, m)) = ym else {
        return s.to_string();
    };
    let i = (m - 1) as usize;
    match lang {
        Lang::Kk => format!("{} {y}", MONTHS_KK[i]),
        Lang::Ru => format!("{} {y}", MONTHS_RU_ALONE[i]),
        Lang::En => format!("{} {y}", MONTHS_EN[i]),
    }
}

/// A short numeric date: 22.11.2026 (kk, ru) or 2026-11-22 (en, ISO).
pub fn short_date(lang: Lang, s: &str) -> String {
    let Some((y, m, d)) = parse_date(s) else {
        return s.to_string();
    };
    match lang {
        Lang::Kk | Lang::Ru => format!("{d:02}.{m:02}.{y}"),
        Lang::En => format!("{y}-{m:02}-{d:02}"),
    }
}

/// A date and time of day as read on a clock: 22.11.2026 14:05 (kk, ru) or
/// 2026-11-22 14:05 (en). `date` is (year, month, day), `time` (hours, minutes).
pub fn date_time(lang: Lang, date: (i32, u32, u32), time: (u32, u32)) -> String {
    let ((y, m, d), (h, min)) = (date, time);
    match lang {
        Lang::Kk | Lang::Ru => format!("{d:02}.{m:02}.{y} {h:02}:{min:02}"),
        Lang::En => format!("{y}-{m:02}-{d:02} {h:02}:{min:02}"),
    }
}

/// A share (0 to 1) in per cent with one decimal: 33,3 % (kk, ru) or 33.3% (en). Whole
/// numbers only: no float formatting code in the bundle.
pub fn percent(lang: Lang, share: f64) -> String {
    let tenths = (share * 1000.0).round() as i64;
    let (whole, tenth) = (tenths / 10, tenths.rem_euclid(10));
    match lang {
        Lang::Kk | Lang::Ru => format!("{whole},{tenth}{NBSP}%"),
        Lang::En => format!("{whole}.{tenth}%"),
    }
}

/// Groups the digits of a whole number in threes with `sep`.
fn group(n: u64, sep: &str) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 * sep.len());
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push_str(sep);
        }
        out.push(c);
    }
    out
}

/// The no-break space that keeps a grouped number on one line.
const NBSP: &str = "\u{a0}";

/// A whole number: 12 345 (kk, ru: space) or 12,345 (en).
pub fn number(lang: Lang, n: i64) -> String {
    let sign = if n < 0 { "-" } else { "" };
    let sep = match lang {
        Lang::Kk | Lang::Ru => NBSP,
        Lang::En => ",",
    };
    format!("{sign}{}", group(n.unsigned_abs(), sep))
}

/// Money from tiyn (1/100 tenge): thousands separated by a space in every language,
/// `12 000 ₸` / `12 000,50 ₸` (kk, ru) and `KZT 12 000.50` (en).
pub fn money(lang: Lang, tiyn: i64) -> String {
    let sign = if tiyn < 0 { "-" } else { "" };
    let abs = tiyn.unsigned_abs();
    let (whole, cents) = (group(abs / 100, NBSP), abs % 100);
    match lang {
        Lang::Kk | Lang::Ru if cents == 0 => format!("{sign}{whole}{NBSP}₸"),
        Lang::Kk | Lang::Ru => format!("{sign}{whole},{cents:02}{NBSP}₸"),
        Lang::En if cents == 0 => format!("{sign}KZT{NBSP}{whole}"),
        Lang::En => format!("{sign}KZT{NBSP}{whole}.{cents:02}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(s: String) -> String {
        s.replace('\u{a0}', " ")
    }

    #[test]
    fn dates_per_language() {
        assert_eq!(date(Lang::Kk, "2026-11-22"), "2026 жылғы 22 қараша");
        assert_eq!(date(Lang::Ru, "2026-11-22T04:37:00Z"), "22 ноября 2026 г.");
        assert_eq!(date(Lang::En, "2026-01-05"), "5 January 2026");
        assert_eq!(short_date(Lang::Kk, "2026-01-05"), "05.01.2026");
        assert_eq!(short_date(Lang::En, "2026-01-05"), "2026-01-05");
        assert_eq!(date(Lang::En, "not a date"), "not a date");
        assert_eq!(parse_date("2026-13-01"), None);
    }

    #[test]
    fn times_and_shares_per_language() {
        assert_eq!(
            date_time(Lang::Kk, (2026, 11, 22), (9, 5)),
            "22.11.2026 09:05"
        );
        assert_eq!(
            date_time(Lang::En, (2026, 1, 5), (23, 59)),
            "2026-01-05 23:59"
        );
        assert_eq!(plain(percent(Lang::Ru, 1.0 / 3.0)), "33,3 %");
        assert_eq!(percent(Lang::En, 0.5), "50.0%");
        assert_eq!(plain(percent(Lang::Kk, 0.0)), "0,0 %");
        assert_eq!(percent(Lang::En, 0.9996), "100.0%");
    }

    #[test]
    fn numbers_per_language() {
        assert_eq!(plain(number(Lang::Kk, 1_234_567)), "1 234 567");
        assert_eq!(plain(number(Lang::Ru, -1_000)), "-1 000");
        assert_eq!(number(Lang::En, 1_234_567), "1,234,567");
        assert_eq!(number(Lang::En, 999), "999");
        assert_eq!(number(Lang::En, 0), "0");
    }

    #[test]
    fn money_in_tenge() {
        assert_eq!(plain(money(Lang::Kk, 1_200_000)), "12 000 ₸");
        assert_eq!(plain(money(Lang::Ru, 57_750)), "577,50 ₸");
        assert_eq!(plain(money(Lang::En, 1_900_000)), "KZT 19 000");
        assert_eq!(plain(money(Lang::En, 123_456_789)), "KZT 1 234 567.89");
        assert_eq!(plain(money(Lang::Ru, -5)), "-0,05 ₸");
    }

    #[test]
    fn months_are_written_as_each_language_writes_them() {
        assert_eq!(month(Lang::Kk, "2025-03"), "наурыз 2025");
        assert_eq!(month(Lang::Ru, "2025-03"), "март 2025");
        assert_eq!(month(Lang::En, "2025-03"), "March 2025");
        // A date stands for its month (the expected completion).
        assert_eq!(month(Lang::Ru, "2027-08-01"), "август 2027");
        assert_eq!(month(Lang::Kk, "2027-08-01"), "тамыз 2027");
        assert_eq!(month(Lang::En, "2026-13"), "2026-13");
        assert_eq!(month(Lang::En, "soon"), "soon");
    }
}
