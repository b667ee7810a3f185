//! "My child's day": entry, meals and exit of a day as a timeline, the days around it, and
//! the month at a glance (present, late, absent).

use leptos::prelude::*;

use super::school::{allergen_names, for_child, meal_price};
use crate::api;
use crate::days;
use crate::format;
use crate::gql::{self, ChildDay as ChildDayQuery};
use crate::i18n::{Key, Lang};
use crate::ui::{fill, lang, loaded, t};

#[component]
pub fn ChildDay() -> impl IntoView {
    for_child(Key::ChildToday, |id| view! { <DayOf child=id/> })
}

/// How a day went: the class of its cell in the month's strip and its label.
fn day_mark(present: bool, late: bool, absent: bool) -> Option<(&'static str, Key)> {
    if late {
        Some(("d-late", Key::ChildLate))
    } else if present {
        Some(("d-present", Key::ChildPresent))
    } else if absent {
        Some(("d-absent", Key::ChildAbsent))
    } else {
        None
    }
}

#[component]
fn DayOf(child: String) -> impl IntoView {
    // The day the parent chose; until then today, or the month's last day with something to
    // show when today has nothing yet (a weekend, before lessons).
    let picked = RwSignal::new(None::<i64>);
    let month = Memo::new(move |_| days::month(picked.get().unwrap_or_else(days::today)));
    let child = StoredValue::new(child);
    let data = api::query::<ChildDayQuery>(move || {
        let (from, to) = month.get();
        gql::child_day::Variables {
            person_id: child.get_value(),
            from: days::iso(from),
            to: days::iso(to),
        }
    });
    move || {
        loaded(data.get(), |d| {
            let l = lang();
            let today = days::today();
            let att = d.pupil_attendance;
            let meals = d.pupil_meals;
            let has_any = |day: &str| {
                att.iter().any(|a| {
                    a.date == day && (a.first_entry_local.is_some() || a.last_exit_local.is_some())
                }) || meals.iter().any(|m| m.day == day)
            };
            let shown = picked.get().unwrap_or_else(|| {
                (month.get_untracked().0..=today)
                    .rev()
                    .find(|z| has_any(&days::iso(*z)))
                    .unwrap_or(today)
            });
            let shown_iso = days::iso(shown);
            let school = d.pupil_schools.into_iter().next().map(|s| {
                let class = s.member.class.map(|c| c.name).unwrap_or_default();
                view! { <p class="muted" id="child-school">{s.name} " · " {class}</p> }
            });

            // The day's timeline, in the order things happened.
            let mut events: Vec<(String, AnyView)> = Vec::new();
            let mut mark = None;
            if let Some(a) = att.iter().find(|a| a.date == shown_iso) {
                mark = day_mark(
                    a.first_entry_local.is_some() || a.last_exit_local.is_some(),
                    a.late,
                    a.absent,
                )
                .filter(|_| shown <= today);
                if let Some(at) = a.first_entry_local.clone() {
                    let late = a.late.then(
                        || view! { <span class="badge warn">{l.text(Key::ChildLate)}</span> },
                    );
                    let row = event(
                        &at,
                        "ev-entry",
                        "entry-time",
                        l.text(Key::PurposeSchoolEntry),
                        late.into_any(),
                    );
                    events.push((at, row));
                }
                if let Some(at) = a.last_exit_local.clone() {
                    let row = event(
                        &at,
                        "ev-exit",
                        "exit-time",
                        l.text(Key::PurposeSchoolExit),
                        ().into_any(),
                    );
                    events.push((at, row));
                }
            }
            for m in meals.iter().filter(|m| m.day == shown_iso) {
                events.push((m.served_at_local.clone(), meal_event(l, m)));
            }
            events.sort_by(|a, b| a.0.cmp(&b.0));
            let line = if events.is_empty() {
                view! { <p class="muted" id="day-empty">{l.text(Key::ChildNothingThatDay)}</p> }
                    .into_any()
            } else {
                let items = events.into_iter().map(|(_, v)| v).collect_view();
                view! { <ol class="day-line" id="day-line">{items}</ol> }.into_any()
            };
            let badge = mark.map(|(class, key)| {
                view! { <span class={"badge ".to_string() + class} id="day-mark">{l.text(key)}</span> }
            });

            // The month: one cell a day, coloured by how it went; a cell opens its day.
            let (first, last) = month.get_untracked();
            let cells = (first..=last)
                .map(|z| {
                    let iso = days::iso(z);
                    let a = att.iter().find(|a| a.date == iso);
                    let m = a.filter(|_| z <= today).and_then(|a| {
                        day_mark(
                            a.first_entry_local.is_some() || a.last_exit_local.is_some(),
                            a.late,
                            a.absent,
                        )
                    });
                    let class = match (m, days::weekend(z)) {
                        (Some((c, _)), _) => c,
                        (None, true) => "d-off",
                        (None, false) => "d-none",
                    };
                    let label = format::date(l, &iso)
                        + &m.map(|(_, k)| String::from(": ") + l.text(k))
                            .unwrap_or_default();
                    let n = days::civil(z).2;
                    view! {
                        <li>
                            <button
                                type="button"
                                class={"d ".to_string() + class}
                                aria-current=(z == shown).then_some("date")
                                aria-label=label.clone()
                                title=label
                                data-day=iso
                                on:click=move |_| picked.set(Some(z))
                            >
                                {n}
                            </button>
                        </li>
                    }
                })
                .collect_view();
            let legend = [
                ("d-present", Key::ChildPresent),
                ("d-late", Key::ChildLate),
                ("d-absent", Key::ChildAbsent),
            ]
            .into_iter()
            .map(|(class, key)| view! { <li><span class={"d swatch ".to_string() + class}></span>{l.text(key)}</li> })
            .collect_view();
            view! {
                {school}
                <section class="panel day" aria-labelledby="day-date">
                    <div class="day-nav">
                        <button type="button" class="secondary" id="day-prev" aria-label=t(Key::ChildPrevDay)
                            on:click=move |_| picked.set(Some(shown - 1))>"‹"</button>
                        <h2 id="day-date" data-day=shown_iso.clone()>{format::date(l, &shown_iso)}</h2>
                        <button type="button" class="secondary" id="day-next" aria-label=t(Key::ChildNextDay)
                            disabled={shown >= today}
                            on:click=move |_| picked.set(Some(shown + 1))>"›"</button>
                    </div>
                    {badge}
                    {line}
                </section>
                <section class="panel" aria-labelledby="month-title">
                    <h2 id="month-title">{l.text(Key::ChildMonth)}</h2>
                    <ol class="days" id="month-strip">{cells}</ol>
                    <ul class="legend">{legend}</ul>
                </section>
            }
            .into_any()
        })
    }
}

/// One line of the timeline: the time, what happened, and more.
fn event(
    at: &str,
    class: &'static str,
    id: &'static str,
    what: &'static str,
    more: AnyView,
) -> AnyView {
    view! {
        <li class={"ev ".to_string() + class}>
            <time id=id>{at.to_string()}</time>
            <span class="ev-what">{what} " " {more}</span>
        </li>
    }
    .into_any()
}

fn meal_event(l: Lang, m: &gql::child_day::ChildDayPupilMeals) -> AnyView {
    let dishes = crate::ui::joined(m.dishes.iter().map(|d| d.name.clone()));
    let price = meal_price(l, m.charge, m.price);
    let served = (!m.allergens_served.is_empty()).then(|| {
        let text = fill(
            l.text(Key::ChildAllergensServed),
            &[("list", allergen_names(l, &m.allergens_served))],
        );
        view! { <p class="alert error">{text}</p> }
    });
    view! {
        <li class="ev ev-meal" data-meal=m.id.clone()>
            <time class="meal-time">{m.served_at_local.clone()}</time>
            <span class="ev-what">
                {l.text(Key::PurposeSchoolMeal)} " · " <strong class="meal-price">{price}</strong>
                <span class="dishes">{dishes}</span>
                {served}
            </span>
        </li>
    }
    .into_any()
}
