//! The child's school menu of a day, with photos and prices, and the meals the child was
//! served, each of which the parent may rate once (1-5, a comment).

use leptos::prelude::*;

use super::school::{allergen_names, for_child, meal_price, tenge};
use crate::api::{self, ApiError};
use crate::days;
use crate::format;
use crate::gql;
use crate::i18n::Key;
use crate::ui::{error_view, fill, joined, lang, loaded, non_empty, t};

#[component]
pub fn ChildMeals() -> impl IntoView {
    for_child(Key::NavMeals, |id| view! { <MealsOf child=id/> })
}

/// The meals of the last two weeks.
const MEAL_DAYS: i64 = 13;

#[component]
fn MealsOf(child: String) -> impl IntoView {
    let reload = RwSignal::new(0u32);
    let child = StoredValue::new(child);
    let data = api::query::<gql::ChildMeals>(move || {
        reload.track();
        let today = days::today();
        gql::child_meals::Variables {
            person_id: child.get_value(),
            from: days::iso(today - MEAL_DAYS),
            to: days::iso(today),
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
                    .map(|m| meal_item(m, reload))
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

fn meal_item(m: gql::child_meals::ChildMealsPupilMeals, reload: RwSignal<u32>) -> AnyView {
    let l = lang();
    let dishes = joined(m.dishes.into_iter().map(|d| d.name));
    let when = format::short_date(l, &m.day) + " " + &m.served_at_local;
    let rating = match m.rating {
        Some(n) => {
            let text = fill(l.text(Key::ParentRated), &[("n", format::number(l, n))]);
            view! { <p class="rated">{text}</p> }.into_any()
        }
        None => view! { <RateForm meal=m.id.clone() reload=reload/> }.into_any(),
    };
    view! {
        <li class="meal" data-meal=m.id>
            <strong>{when}</strong> " · " <span class="meal-price">{meal_price(l, m.charge, m.price)}</span>
            <span class="dishes">{dishes}</span>
            {rating}
        </li>
    }
    .into_any()
}

#[component]
fn RateForm(meal: String, reload: RwSignal<u32>) -> impl IntoView {
    let score = RwSignal::new(5i64);
    let comment = RwSignal::new(String::new());
    let error: RwSignal<Option<ApiError>> = RwSignal::new(None);
    let id = |name: &str| String::from("rate-") + name + "-" + &meal;
    let (score_id, comment_id) = (id("score"), id("comment"));
    let meal = StoredValue::new(meal);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let vars = gql::rate_school_meal::Variables {
            meal_id: meal.get_value(),
            score: score.get_untracked(),
            comment: non_empty(comment.get_untracked()),
        };
        crate::ui::act(
            api::send::<gql::RateSchoolMeal>(vars, Vec::new()),
            error,
            reload,
        );
    };
    view! {
        <form class="rate-form" on:submit=on_submit>
            <div class="field">
                <label for=score_id.clone()>{t(Key::ParentScore)}</label>
                <select id=score_id class="rate-score" on:change=move |ev| score.set(event_target_value(&ev).parse().unwrap_or(5))>
                    {(1..=5).rev().map(|n| view! { <option value=n>{n}</option> }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for=comment_id.clone()>{t(Key::ParentComment)}</label>
                <input id=comment_id class="rate-comment" type="text" maxlength="500" on:input=move |ev| comment.set(event_target_value(&ev))/>
            </div>
            <button type="submit" class="rate-submit">{t(Key::ParentRate)}</button>
            {error_view(error)}
        </form>
    }
}
