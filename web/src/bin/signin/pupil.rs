//! A pupil's own page, below the sign-in page's word on their login (a pupil's login opens no
//! portal): the meals they were served at school in the last two weeks, newest first, each
//! with its rating or the form to rate it (1-5 and a comment; one rating per meal, theirs or
//! a parent's). The rating widget is the parent's meals page's ([`adal_web::meal_rating`]).

use adal_web::api;
use adal_web::gql;
use adal_web::i18n::Key;
use adal_web::meal_rating::{RatingTexts, last_two_weeks, meal_item};
use adal_web::ui::{loaded, t};
use leptos::prelude::*;

/// A child's words for a meal's rating.
const TEXTS: RatingTexts = RatingTexts {
    rated: Key::PupilMealRated,
    // A pupil reads their own rating as theirs (`YOU`), never as the pupil's.
    rated_by_pupil: Key::PupilMealRated,
    rated_by_guardian: Key::PupilMealRatedByParent,
    score: Key::PupilMealScore,
    comment: Key::PupilMealComment,
    rate: Key::PupilMealRate,
};

/// "My meals": who the pupil is (their person), then their meals.
#[component]
pub fn MyMeals() -> impl IntoView {
    let me = api::query::<gql::PupilPerson>(|| gql::pupil_person::Variables {});
    view! {
        <section class="notice" aria-labelledby="pupil-meals-title">
            <h2 id="pupil-meals-title">{t(Key::PupilMealsTitle)}</h2>
            <p class="muted">{t(Key::PupilMealsIntro)}</p>
            {move || loaded(me.get(), |d| match d.me.person {
                Some(p) => view! { <MealsOf person=p.id/> }.into_any(),
                None => empty(),
            })}
        </section>
    }
}

/// The pupil's meals of the last two weeks, asked again once one is rated.
#[component]
fn MealsOf(person: String) -> impl IntoView {
    let reload = RwSignal::new(0u32);
    let person = StoredValue::new(person);
    let data = api::query::<gql::PupilMeals>(move || {
        reload.track();
        let (from, to) = last_two_weeks();
        gql::pupil_meals::Variables {
            person_id: person.get_value(),
            from,
            to,
        }
    });
    move || {
        loaded(data.get(), |d| {
            if d.pupil_meals.is_empty() {
                return empty();
            }
            // The API lists them in the order they were served: newest first here.
            let meals = d
                .pupil_meals
                .into_iter()
                .rev()
                .map(|m| meal_item(m.into(), None, TEXTS, reload));
            view! { <ul class="meals" id="pupil-meals">{meals.collect_view()}</ul> }.into_any()
        })
    }
}

/// No meal in the two weeks.
fn empty() -> AnyView {
    view! { <p class="empty-line" id="pupil-meals-empty">{t(Key::PupilMealsEmpty)}</p> }.into_any()
}
