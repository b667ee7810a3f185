//! The child's school menu of a day, with photos and prices, and the meals the child was
//! served, each of which the parent may rate once (1-5, a comment).

use leptos::prelude::*;

use adal_web::meal_rating::{RatingTexts, last_two_weeks, meal_item};

use super::school::{allergen_names, for_child, meal_price, tenge};
use crate::api;
use crate::days;
use crate::format;
use crate::gql;
use crate::i18n::Key;
use crate::ui::{lang, loaded, t};

#[component]
pub fn ChildMeals() -> impl IntoView {
    for_child(Key::NavMeals, |id| view! { <MealsOf child=id/> })
}

/// The parent's words for a meal's rating.
const TEXTS: RatingTexts = RatingTexts {
    rated: Key::ParentRated,
    rated_by_pupil: Key::ParentRatedByChild,
    rated_by_guardian: Key::ParentRatedByOtherParent,
    score: Key::ParentScore,
    comment: Key::ParentComment,
    rate: Key::ParentRate,
};

/// The meals of the last two weeks.
#[component]
fn MealsOf(child: String) -> impl IntoView {
    let reload = RwSignal::new(0u32);
    let child = StoredValue::new(child);
    let data = api::query::<gql::ChildMeals>(move || {
        reload.track();
        let (from, to) = last_two_weeks();
        gql::child_meals::Variables {
            person_id: child.get_value(),
            from,
            to,
        }
    });
    move || {
        loaded(data.get(), |d| {
            let menu = d
                .pupil_schools
                .into_iter()
                .next()
                .map(|s| view! { <MenuOf school=s.school_id/> });
            let meals = if d.pupil_meals.is_empty() {
                view! { <p class="muted">{t(Key::EmptyParentMeals)}</p> }.into_any()
            } else {
                d.pupil_meals
                    .into_iter()
                    .rev()
                    .map(|m| child_meal(m, reload))
                    .collect_view()
                    .into_any()
            };
            view! {
                {menu}
                <section class="panel" aria-labelledby="meals-title">
                    <h2 id="meals-title">{t(Key::ParentMealsServed)}</h2>
                    <ul class="meals" id="meals">{meals}</ul>
                </section>
            }
            .into_any()
        })
    }
}

/// The school's menu of a day (today first), a day at a time.
#[component]
fn MenuOf(school: String) -> impl IntoView {
    let day = RwSignal::new(days::today());
    let school = StoredValue::new(school);
    let data = api::query::<gql::ChildMenu>(move || gql::child_menu::Variables {
        school_id: school.get_value(),
        day: days::iso(day.get()),
    });
    let dishes = move || {
        loaded(data.get(), |d| {
            let l = lang();
            if d.school_menu.is_empty() {
                return view! { <p class="muted">{l.text(Key::ParentNoMenu)}</p> }.into_any();
            }
            d.school_menu
                .into_iter()
                .map(|dish| {
                    let photo = match dish.photo_url {
                        Some(src) => view! { <img src=src alt="" loading="lazy"/> }.into_any(),
                        None => view! { <span class="no-photo"></span> }.into_any(),
                    };
                    let allergens = (!dish.allergens.is_empty()).then(|| {
                        view! { <span class="muted dish-allergens">{allergen_names(l, &dish.allergens)}</span> }
                    });
                    view! {
                        <li class="dish">
                            {photo}
                            <span>
                                <strong class="dish-name">{dish.name}</strong>
                                <span class="muted">" · " {dish.portion}</span>
                                <br/>
                                {allergens}
                            </span>
                            <span class="price">{tenge(l, dish.price)}</span>
                        </li>
                    }
                })
                .collect_view()
                .into_any()
        })
    };
    view! {
        <section class="panel" aria-labelledby="menu-title">
            <h2 id="menu-title">{t(Key::ParentMenuTitle)}</h2>
            <div class="day-nav">
                <button type="button" class="secondary" id="menu-prev" aria-label=t(Key::ChildPrevDay)
                    on:click=move |_| day.update(|d| *d -= 1)>"‹"</button>
                <h3 id="menu-date">{move || format::date(lang(), &days::iso(day.get()))}</h3>
                <button type="button" class="secondary" id="menu-next" aria-label=t(Key::ChildNextDay)
                    on:click=move |_| day.update(|d| *d += 1)>"›"</button>
            </div>
            <ul class="menu" id="menu">{dishes}</ul>
        </section>
    }
}

/// A meal of the child's, with what it cost.
fn child_meal(m: gql::child_meals::ChildMealsPupilMeals, reload: RwSignal<u32>) -> AnyView {
    let price = meal_price(lang(), m.charge, m.price);
    meal_item(m.into(), Some(price), TEXTS, reload)
}
