//! What the school's pages share: the signed-in staff member's school, days and months,
//! and the allergens' names.

use leptos::prelude::*;

use crate::api;
use crate::gql::school::{self as gs, Allergen, MealCharge};
use crate::i18n::Key;
use crate::session;
use crate::ui::{EmptyState, loaded};
use adal_web::days;

/// The school of the active role assignment (the first school role's otherwise), then the
/// page of it.
pub fn with_school(page: fn(String) -> AnyView) -> impl IntoView {
    let roles = api::query::<gs::SchoolMyRoles>(|| gs::school_my_roles::Variables {});
    move || {
        loaded(roles.get(), |d| {
            let active = session::current().and_then(|s| s.active);
            let orgs: Vec<(String, String)> =
                d.me.roles
                    .into_iter()
                    .filter_map(|r| r.organisation.map(|o| (r.id, o.id)))
                    .collect();
            let school = orgs
                .iter()
                .find(|(id, _)| Some(id) == active.as_ref())
                .or(orgs.first())
                .map(|(_, o)| o.clone());
            match school {
                Some(s) => page(s),
                None => view! { <EmptyState title=Key::PortalSchool text=Key::SchoolNoSchool/> }
                    .into_any(),
            }
        })
    }
}

/// The day `n` days after `day` (`YYYY-MM-DD`); `day` itself when it is not a date.
pub fn add_days(day: &str, n: i64) -> String {
    days::parse(day).map_or_else(|| day.to_string(), |d| days::iso(d + n))
}

/// The Monday of the week of `day`.
pub fn monday_of(day: &str) -> String {
    // 1970-01-01 (day 0) was a Thursday: Monday is 3 days before it.
    days::parse(day).map_or_else(|| day.to_string(), |d| days::iso(d - (d + 3).rem_euclid(7)))
}

/// Today in Kazakhstan (`YYYY-MM-DD`), whatever the browser's time zone.
pub fn today() -> String {
    days::iso(days::today())
}

/// `YYYYMM` of a `YYYY-MM` (a month input's value).
pub fn month_number(month: &str) -> Option<i64> {
    let (y, m) = month.split_once('-')?;
    let (y, m): (i64, i64) = (y.parse().ok()?, m.parse().ok()?);
    (1..=12).contains(&m).then_some(y * 100 + m)
}

pub fn allergen_key(a: Allergen) -> Key {
    match a {
        Allergen::Gluten => Key::SchoolAllergenGluten,
        Allergen::Crustaceans => Key::SchoolAllergenCrustaceans,
        Allergen::Eggs => Key::SchoolAllergenEggs,
        Allergen::Fish => Key::SchoolAllergenFish,
        Allergen::Peanuts => Key::SchoolAllergenPeanuts,
        Allergen::Soy => Key::SchoolAllergenSoy,
        Allergen::Milk => Key::SchoolAllergenMilk,
        Allergen::Nuts => Key::SchoolAllergenNuts,
        Allergen::Celery => Key::SchoolAllergenCelery,
        Allergen::Mustard => Key::SchoolAllergenMustard,
        Allergen::Sesame => Key::SchoolAllergenSesame,
        Allergen::Sulphites => Key::SchoolAllergenSulphites,
        Allergen::Lupin => Key::SchoolAllergenLupin,
        Allergen::Molluscs | Allergen::Unknown => Key::SchoolAllergenMolluscs,
    }
}

/// Allergens named in the language, comma-separated.
pub fn allergen_names(l: crate::i18n::Lang, list: &[Allergen]) -> String {
    crate::ui::joined(list.iter().map(|a| l.text(allergen_key(*a)).to_string()))
}

pub fn charge_key(c: MealCharge) -> Key {
    match c {
        MealCharge::Free => Key::TillFree,
        MealCharge::Reduced => Key::TillReduced,
        MealCharge::Paid | MealCharge::Unknown => Key::TillPaid,
    }
}

/// Why a till refuses a card or a meal, in the language.
pub fn refusal(l: crate::i18n::Lang, code: &str, allergens: &[Allergen]) -> String {
    let key = match code {
        "UNKNOWN_CARD" => Key::TillUnknownCard,
        "CARD_BLOCKED" => Key::TillCardBlocked,
        "NOT_THIS_SCHOOL" => Key::TillNotThisSchool,
        "NOT_A_PUPIL" => Key::TillNotAPupil,
        "INSUFFICIENT_BALANCE" => Key::TillInsufficient,
        "ALLERGEN_BLOCKED" => {
            return crate::ui::fill(
                l.text(Key::TillAllergenRefused),
                &[("allergens", allergen_names(l, allergens))],
            );
        }
        other => {
            return crate::ui::fill(l.text(Key::TillRefused), &[("reason", other.to_string())]);
        }
    };
    crate::ui::fill(
        l.text(Key::TillRefused),
        &[("reason", l.text(key).to_string())],
    )
}

/// Money in whole tenge, as the schools' API counts it.
pub fn tenge(l: crate::i18n::Lang, amount: i64) -> String {
    crate::format::money(l, amount * 100)
}

/// A value kept in the browser (`localStorage`).
pub fn stored(key: &str) -> Option<String> {
    web_sys::window()?
        .local_storage()
        .ok()??
        .get_item(key)
        .ok()?
}

pub fn store(key: &str, value: &str) {
    if let Some(s) = web_sys::window().and_then(|w| w.local_storage().ok().flatten()) {
        let _ = s.set_item(key, value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_and_weeks() {
        assert_eq!(add_days("2026-12-31", 1), "2027-01-01");
        assert_eq!(add_days("2026-03-01", -1), "2026-02-28");
        assert_eq!(monday_of("2026-12-05"), "2026-11-30");
        assert_eq!(monday_of("2026-11-30"), "2026-11-30");
        assert_eq!(month_number("2026-11"), Some(202_611));
        assert_eq!(month_number("2026-13"), None);
    }
}
