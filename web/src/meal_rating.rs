//! A meal served to a pupil, with its rating or the form to rate it (1-5 and a comment, one
//! rating per meal, by the pupil or a parent, whoever rates it first): the parent's meals page
//! (citizen portal) and the pupil's own page (the sign-in page's home for a pupil's login)
//! list meals with it.

use leptos::prelude::*;

use crate::api::{self, ApiError};
use crate::days;
use crate::format;
use crate::gql;
use crate::i18n::Key;
use crate::ui::{act, error_view, fill, joined, lang, non_empty, t};

/// The days a meals list covers: today in Kazakhstan (the API's days) and the 13 before,
/// as the API's `from` and `to`.
pub fn last_two_weeks() -> (String, String) {
    let today = days::today();
    (days::iso(today - 13), days::iso(today))
}

/// A meal as the lists show it.
pub struct ServedMeal {
    pub id: String,
    /// `YYYY-MM-DD`.
    pub day: String,
    /// The time it was served, in Kazakhstan (`HH:MM`).
    pub time: String,
    pub dishes: Vec<String>,
    pub rating: Option<i64>,
    pub rated_by: Option<gql::MealRater>,
}

/// A meal as the parent's (`ChildMeals`) and the pupil's (`PupilMeals`) queries give it.
macro_rules! served_meal_from {
    ($($meal:ty),*) => {$(
        impl From<$meal> for ServedMeal {
            fn from(m: $meal) -> Self {
                ServedMeal {
                    id: m.id,
                    day: m.day,
                    time: m.served_at_local,
                    dishes: m.dishes.into_iter().map(|d| d.name).collect(),
                    rating: m.rating,
                    rated_by: m.rated_by,
                }
            }
        }
    )*};
}
served_meal_from!(
    gql::child_meals::ChildMealsPupilMeals,
    gql::pupil_meals::PupilMealsPupilMeals
);

/// The texts of the one who reads the list: a parent's, or a pupil's simpler words.
#[derive(Clone, Copy)]
pub struct RatingTexts {
    /// The meal's rating when the reader gave it, with `{n}` (1 to 5).
    pub rated: Key,
    /// The rating the pupil gave (a parent reads it), with `{n}`.
    pub rated_by_pupil: Key,
    /// The rating a parent gave (the pupil, or the other parent, reads it), with `{n}`.
    pub rated_by_guardian: Key,
    /// The score's label (1 to 5).
    pub score: Key,
    /// The comment's label (optional).
    pub comment: Key,
    /// The button that rates.
    pub rate: Key,
}

/// One meal of a list (`ul.meals`): when, the `price` (the parent's page says what it cost),
/// the dishes, and its rating or the form; `reload` asks the list again once a rating is
/// saved, so the meal then shows it.
pub fn meal_item(
    m: ServedMeal,
    price: Option<String>,
    texts: RatingTexts,
    reload: RwSignal<u32>,
) -> AnyView {
    let l = lang();
    let when = format::short_date(l, &m.day) + " " + &m.time;
    let price = price.map(|p| view! { " · " <span class="meal-price">{p}</span> });
    let rating = match m.rating {
        Some(n) => {
            let stars = n.clamp(0, 5) as usize;
            let stars = "★".repeat(stars) + &"☆".repeat(5 - stars);
            let key = match m.rated_by {
                Some(gql::MealRater::Pupil) => texts.rated_by_pupil,
                Some(gql::MealRater::Guardian) => texts.rated_by_guardian,
                _ => texts.rated,
            };
            let text = fill(l.text(key), &[("n", format::number(l, n))]);
            view! { <p class="rated"><span aria-hidden="true">{stars}</span> " " {text}</p> }
                .into_any()
        }
        None => view! { <RateForm meal=m.id.clone() texts=texts reload=reload/> }.into_any(),
    };
    view! {
        <li class="meal" data-meal=m.id>
            <strong>{when}</strong>{price}
            <span class="dishes">{joined(m.dishes)}</span>
            {rating}
        </li>
    }
    .into_any()
}

/// The form that rates a meal: a score (5 first) and an optional comment (as long as the
/// API takes); a refusal (the meal was rated meanwhile) shows below it.
#[component]
fn RateForm(meal: String, texts: RatingTexts, reload: RwSignal<u32>) -> impl IntoView {
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
        act(
            api::send::<gql::RateSchoolMeal>(vars, Vec::new()),
            error,
            reload,
        );
    };
    view! {
        <form class="rate-form" on:submit=on_submit>
            <div class="field">
                <label for=score_id.clone()>{t(texts.score)}</label>
                <select id=score_id class="rate-score" on:change=move |ev| score.set(event_target_value(&ev).parse().unwrap_or(5))>
                    {(1..=5).rev().map(|n| view! { <option value=n>{n}</option> }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for=comment_id.clone()>{t(texts.comment)}</label>
                <input id=comment_id class="rate-comment" type="text" maxlength="1000" on:input=move |ev| comment.set(event_target_value(&ev))/>
            </div>
            <button type="submit" class="rate-submit">{t(texts.rate)}</button>
            {error_view(error)}
        </form>
    }
}
