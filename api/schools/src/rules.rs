//! The school's rules as pure functions: local time, a person's day from their passes, who eats
//! free, and which allergens a dish would give a child against the parent's block.

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, Utc, Weekday};

use crate::vocab::{Allergen, MealCharge, SchoolEventKind};

/// A school's day and times are local to it, in Kazakhstan's one time zone.
pub use adal_core::clock::{LOCAL_OFFSET_SECS, at_local, local, local_day};

/// An event later than this after it happened is "late" (uploaded by a device that was
/// offline), and the parent's notice says so.
pub const LATE_AFTER: Duration = Duration::minutes(2);

/// A device's time this far ahead of Adal's is a clock fault.
pub const FUTURE_TOLERANCE: Duration = Duration::minutes(5);

/// `HH:MM` of a local time.
pub fn hhmm(at: DateTime<Utc>) -> String {
    local(at).format("%H:%M").to_string()
}

/// Parses `HH:MM`.
pub fn parse_hhmm(s: &str) -> Option<NaiveTime> {
    NaiveTime::parse_from_str(s.trim(), "%H:%M").ok()
}

/// Whether lessons are held on this date (Monday to Friday).
pub fn is_school_day(day: NaiveDate) -> bool {
    !matches!(day.weekday(), Weekday::Sat | Weekday::Sun)
}

/// How a device's time for an event stands against Adal's clock and the device's registration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timing {
    pub late: bool,
    pub clock_suspect: bool,
}

/// Judges an event's time: in the future, or before the device was registered, is a clock
/// fault (kept and flagged); more than [`LATE_AFTER`] before it reached Adal is late.
pub fn timing(
    happened: DateTime<Utc>,
    received: DateTime<Utc>,
    registered: DateTime<Utc>,
) -> Timing {
    let clock_suspect = happened > received + FUTURE_TOLERANCE || happened < registered;
    Timing {
        late: !clock_suspect && received - happened > LATE_AFTER,
        clock_suspect,
    }
}

/// One pass at a turnstile, as attendance reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pass {
    pub kind: SchoolEventKind,
    pub at: DateTime<Utc>,
}

/// A person's day at school.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Day {
    pub first_entry: Option<DateTime<Utc>>,
    pub last_exit: Option<DateTime<Utc>>,
    /// The first entry came after lessons started plus the grace.
    pub late: bool,
    /// A school day without any entry.
    pub absent: bool,
    /// The day's latest pass is an entry: the person is in the building (someone who left at
    /// noon and came back is inside again, though the day has an exit).
    pub inside: bool,
}

/// A person's day from their passes (refused and clock-suspect ones already left out): the
/// first entry, the last exit, late against `lessons_start + grace`, absent on a school day
/// without an entry. An exit with no entry (the card not shown coming in) still counts as
/// present.
pub fn day(date: NaiveDate, passes: &[Pass], lessons_start: NaiveTime, grace_minutes: i32) -> Day {
    let first_entry = passes
        .iter()
        .filter(|p| p.kind == SchoolEventKind::Entry)
        .map(|p| p.at)
        .min();
    let last_exit = passes
        .iter()
        .filter(|p| p.kind == SchoolEventKind::Exit)
        .map(|p| p.at)
        .max();
    let deadline = at_local(date, lessons_start) + Duration::minutes(i64::from(grace_minutes));
    // Of passes at the same instant, the exit is taken as the later (a turnstile that logs
    // both at once has let the person out).
    let latest = passes
        .iter()
        .max_by_key(|p| (p.at, p.kind == SchoolEventKind::Exit));
    Day {
        inside: latest.is_some_and(|p| p.kind == SchoolEventKind::Entry),
        first_entry,
        last_exit,
        late: first_entry.is_some_and(|t| t > deadline),
        absent: is_school_day(date) && first_entry.is_none() && last_exit.is_none(),
    }
}

/// The spans of a day in which a person was inside by their passes (refused and clock-suspect
/// ones already left out), oldest first: each from an entry to the exit after it. Another entry
/// while inside keeps the first; passes at the same instant are read as in [`day`] (the exit
/// the later). An exit with no entry before it, and an entry with no exit after it, give no
/// span: when the person came in or left is not known (nor does an entry and exit at one
/// instant).
pub fn spans_inside(passes: &[Pass]) -> Vec<(DateTime<Utc>, DateTime<Utc>)> {
    let mut sorted: Vec<&Pass> = passes.iter().collect();
    sorted.sort_by_key(|p| (p.at, p.kind == SchoolEventKind::Exit));
    let mut spans = Vec::new();
    let mut since: Option<DateTime<Utc>> = None;
    for p in sorted {
        match p.kind {
            SchoolEventKind::Entry => {
                since.get_or_insert(p.at);
            }
            SchoolEventKind::Exit => {
                if let Some(from) = since.take()
                    && from < p.at
                {
                    spans.push((from, p.at));
                }
            }
            SchoolEventKind::Meal => {}
        }
    }
    spans
}

/// The grounds the law gives older pupils for free meals.
pub const LAW_FREE_CATEGORIES: &[&str] = &[
    "targeted_social_assistance",
    "below_subsistence",
    "orphan",
    "without_parental_care",
];

/// The ground of free meals for grades 1 to 4.
pub const GROUND_PRIMARY: &str = "grade_1_4";

/// The highest grade that eats free by grade alone.
pub const FREE_GRADE_MAX: i32 = 4;

/// A region's meal rules in force on a day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Policy {
    /// Categories the region adds to the law's free grounds.
    pub free_categories: Vec<String>,
    /// Reduced prices the region sets, by category.
    pub reduced: Vec<(String, i64)>,
    /// What the budget pays for one free meal.
    pub meal_cost: i64,
}

/// The typical cost of a free meal (domain brief §4), when a region has set none.
pub const DEFAULT_MEAL_COST: i64 = 577;

impl Default for Policy {
    fn default() -> Self {
        Policy {
            free_categories: Vec::new(),
            reduced: Vec::new(),
            meal_cost: DEFAULT_MEAL_COST,
        }
    }
}

/// Who pays for a pupil's meal, and on what ground.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Eligibility {
    pub charge: MealCharge,
    /// The ground of a free or reduced meal.
    pub ground: Option<String>,
    /// The pupil's price of a reduced meal.
    pub reduced_price: Option<i64>,
}

/// A pupil's eligibility on a day, from their grade and the categories that hold that day:
/// grades 1-4 eat free; then the law's categories and the region's free ones; then the
/// cheapest reduced price the region sets for a category the pupil has; else they pay. The
/// first ground found is the one recorded (grade first, then the law's order, then the
/// region's).
pub fn eligibility(policy: &Policy, grade: Option<i32>, categories: &[String]) -> Eligibility {
    if grade.is_some_and(|g| (1..=FREE_GRADE_MAX).contains(&g)) {
        return Eligibility {
            charge: MealCharge::Free,
            ground: Some(GROUND_PRIMARY.into()),
            reduced_price: None,
        };
    }
    let free = LAW_FREE_CATEGORIES
        .iter()
        .map(|c| (*c).to_owned())
        .chain(policy.free_categories.iter().cloned())
        .find(|c| categories.contains(c));
    if let Some(ground) = free {
        return Eligibility {
            charge: MealCharge::Free,
            ground: Some(ground),
            reduced_price: None,
        };
    }
    let reduced = policy
        .reduced
        .iter()
        .filter(|(c, _)| categories.contains(c))
        .min_by_key(|(c, p)| (*p, c.clone()));
    if let Some((ground, price)) = reduced {
        return Eligibility {
            charge: MealCharge::Reduced,
            ground: Some(ground.clone()),
            reduced_price: Some(*price),
        };
    }
    Eligibility {
        charge: MealCharge::Paid,
        ground: None,
        reduced_price: None,
    }
}

/// What one meal costs: the pupil's price and the budget's part.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Price {
    pub charge: MealCharge,
    pub pupil: i64,
    pub budget: i64,
}

/// Prices a meal of dishes costing `dishes_price` in total. The day's one subsidised meal (free
/// or reduced) is used already when `subsidised_used`: then the pupil pays the dishes' price.
pub fn price(e: &Eligibility, policy: &Policy, dishes_price: i64, subsidised_used: bool) -> Price {
    match (e.charge, subsidised_used) {
        (MealCharge::Free, false) => Price {
            charge: MealCharge::Free,
            pupil: 0,
            budget: policy.meal_cost,
        },
        (MealCharge::Reduced, false) => {
            let pupil = e.reduced_price.unwrap_or(0).clamp(0, policy.meal_cost);
            Price {
                charge: MealCharge::Reduced,
                pupil,
                budget: policy.meal_cost - pupil,
            }
        }
        _ => Price {
            charge: MealCharge::Paid,
            pupil: dishes_price,
            budget: 0,
        },
    }
}

/// The allergens of the dishes that the child's block forbids and no override lifts, sorted.
pub fn blocked_allergens(
    dishes: &[Vec<Allergen>],
    blocked: &[Allergen],
    lifted: &[Allergen],
) -> Vec<Allergen> {
    let mut out: Vec<Allergen> = dishes
        .iter()
        .flatten()
        .copied()
        .filter(|a| blocked.contains(a) && !lifted.contains(a))
        .collect();
    out.sort_by_key(|a| a.as_str());
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(day: NaiveDate, hhmm: &str) -> DateTime<Utc> {
        at_local(day, parse_hhmm(hhmm).expect("time"))
    }

    fn d(y: i32, m: u32, dd: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, dd).expect("date")
    }

    #[test]
    fn a_persons_spans_inside_pair_each_entry_with_the_exit_after_it() {
        let day0 = d(2026, 12, 7);
        let pass = |kind, at: &str| Pass {
            kind,
            at: t(day0, at),
        };
        use SchoolEventKind::{Entry, Exit};
        // Sent out of order: a stray exit before any entry, in at 08:00 (and again at 08:05),
        // out at noon, back at 12:40, out at 17:00, in again at 18:00 and not seen leaving.
        let passes = [
            pass(Exit, "12:00"),
            pass(Entry, "08:05"),
            pass(Exit, "07:00"),
            pass(Entry, "08:00"),
            pass(Entry, "12:40"),
            pass(Exit, "17:00"),
            pass(Entry, "18:00"),
        ];
        assert_eq!(
            spans_inside(&passes),
            vec![
                (t(day0, "08:00"), t(day0, "12:00")),
                (t(day0, "12:40"), t(day0, "17:00")),
            ]
        );
        // An entry and an exit at the same instant let the person out: no time inside.
        assert!(spans_inside(&[pass(Exit, "09:00"), pass(Entry, "09:00")]).is_empty());
        assert!(spans_inside(&[pass(Entry, "08:00")]).is_empty());
    }

    #[test]
    fn local_time_is_utc_plus_five() {
        let at = DateTime::parse_from_rfc3339("2026-12-03T03:02:00Z")
            .expect("time")
            .with_timezone(&Utc);
        assert_eq!(hhmm(at), "08:02");
        assert_eq!(local_day(at), d(2026, 12, 3));
        // 20:30 UTC is already the next local day.
        let late = DateTime::parse_from_rfc3339("2026-12-03T20:30:00Z")
            .expect("time")
            .with_timezone(&Utc);
        assert_eq!(local_day(late), d(2026, 12, 4));
        assert_eq!(t(d(2026, 12, 3), "08:02"), at);
    }

    #[test]
    fn a_day_from_passes() {
        let day0 = d(2026, 12, 3); // a Thursday
        let start = parse_hhmm("08:30").expect("time");
        let passes = [
            Pass {
                kind: SchoolEventKind::Entry,
                at: t(day0, "08:25"),
            },
            Pass {
                kind: SchoolEventKind::Exit,
                at: t(day0, "12:00"),
            },
            Pass {
                kind: SchoolEventKind::Entry,
                at: t(day0, "12:40"),
            },
            Pass {
                kind: SchoolEventKind::Exit,
                at: t(day0, "14:10"),
            },
        ];
        let got = day(day0, &passes, start, 5);
        assert_eq!(got.first_entry, Some(t(day0, "08:25")));
        assert_eq!(got.last_exit, Some(t(day0, "14:10")));
        assert!(!got.late && !got.absent);
        assert!(!got.inside, "left at 14:10");
        // Out at noon and back at 12:40: inside, though the day has an exit.
        let back = day(day0, &passes[..passes.len() - 1], start, 5);
        assert!(back.inside);
        assert_eq!(back.last_exit, Some(t(day0, "12:00")));

        // 08:36 is past 08:30 + 5 minutes; 08:35 is not.
        let late = day(
            day0,
            &[Pass {
                kind: SchoolEventKind::Entry,
                at: t(day0, "08:36"),
            }],
            start,
            5,
        );
        assert!(late.late);
        let in_time = day(
            day0,
            &[Pass {
                kind: SchoolEventKind::Entry,
                at: t(day0, "08:35"),
            }],
            start,
            5,
        );
        assert!(!in_time.late);

        assert!(day(day0, &[], start, 5).absent);
        // Saturday is no school day: nobody is absent.
        assert!(!day(d(2026, 12, 5), &[], start, 5).absent);
    }

    #[test]
    fn device_clocks_are_judged() {
        let reg = t(d(2026, 12, 1), "07:00");
        let now = t(d(2026, 12, 3), "09:00");
        let ok = timing(now - Duration::seconds(3), now, reg);
        assert_eq!(
            ok,
            Timing {
                late: false,
                clock_suspect: false
            }
        );
        let offline_a_day = timing(now - Duration::days(1), now, reg);
        assert!(offline_a_day.late && !offline_a_day.clock_suspect);
        let future = timing(now + Duration::hours(1), now, reg);
        assert!(future.clock_suspect && !future.late);
        let before_registration = timing(reg - Duration::days(30), now, reg);
        assert!(before_registration.clock_suspect);
    }

    fn cats(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn eligibility_by_grade_then_law_then_region() {
        let policy = Policy {
            free_categories: cats(&["large_family"]),
            reduced: vec![("disabled_parent".into(), 300), ("low_income".into(), 200)],
            meal_cost: 650,
        };
        let e = eligibility(&policy, Some(3), &cats(&["orphan"]));
        assert_eq!(e.charge, MealCharge::Free);
        assert_eq!(e.ground.as_deref(), Some(GROUND_PRIMARY));
        let e = eligibility(&policy, Some(7), &cats(&["large_family", "orphan"]));
        assert_eq!(e.ground.as_deref(), Some("orphan"));
        let e = eligibility(&policy, Some(7), &cats(&["large_family"]));
        assert_eq!(e.charge, MealCharge::Free);
        let e = eligibility(&policy, Some(7), &cats(&["disabled_parent", "low_income"]));
        assert_eq!(e.charge, MealCharge::Reduced);
        assert_eq!(e.ground.as_deref(), Some("low_income"));
        assert_eq!(e.reduced_price, Some(200));
        let e = eligibility(&policy, Some(9), &cats(&["unknown"]));
        assert_eq!(e.charge, MealCharge::Paid);
        // The region's categories count only in its policy.
        let e = eligibility(&Policy::default(), Some(7), &cats(&["large_family"]));
        assert_eq!(e.charge, MealCharge::Paid);
    }

    #[test]
    fn one_subsidised_meal_a_day() {
        let policy = Policy {
            meal_cost: 650,
            ..Policy::default()
        };
        let free = eligibility(&policy, Some(2), &[]);
        assert_eq!(
            price(&free, &policy, 900, false),
            Price {
                charge: MealCharge::Free,
                pupil: 0,
                budget: 650
            }
        );
        assert_eq!(
            price(&free, &policy, 900, true),
            Price {
                charge: MealCharge::Paid,
                pupil: 900,
                budget: 0
            }
        );
        let reduced = Eligibility {
            charge: MealCharge::Reduced,
            ground: Some("low_income".into()),
            reduced_price: Some(200),
        };
        assert_eq!(
            price(&reduced, &policy, 900, false),
            Price {
                charge: MealCharge::Reduced,
                pupil: 200,
                budget: 450
            }
        );
    }

    #[test]
    fn blocks_name_the_allergen_unless_lifted() {
        let dishes = vec![
            vec![Allergen::Milk, Allergen::Gluten],
            vec![Allergen::Eggs, Allergen::Milk],
        ];
        assert_eq!(
            blocked_allergens(&dishes, &[Allergen::Milk, Allergen::Fish], &[]),
            vec![Allergen::Milk]
        );
        assert_eq!(
            blocked_allergens(&dishes, &[Allergen::Milk], &[Allergen::Milk]),
            Vec::<Allergen>::new()
        );
        assert_eq!(
            blocked_allergens(&dishes, &[Allergen::Milk, Allergen::Eggs], &[]),
            vec![Allergen::Eggs, Allergen::Milk]
        );
    }
}
