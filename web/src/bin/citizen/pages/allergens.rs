//! A child's allergen blocks: the parent ticks which of the 14 allergens the canteen's till
//! must refuse, sees what changes at the till before saving, and reads the blocks the school
//! lifted, with their reasons.

use leptos::prelude::*;

use super::school::{allergen_key, allergen_names, for_child};
use crate::api::{self, ApiError};
use crate::days;
use crate::format;
use crate::gql::{self, Allergen};
use crate::i18n::{Key, Lang};
use crate::ui::{error_view, fill, lang, loaded, local_time, t};

#[component]
pub fn ChildAllergens() -> impl IntoView {
    for_child(Key::NavAllergens, |id| view! { <AllergensOf child=id/> })
}

/// What saving `chosen` over `saved` changes at the till, in plain words.
fn changes(l: Lang, saved: &[Allergen], chosen: &[Allergen]) -> Vec<String> {
    let lifted: Vec<Allergen> = saved
        .iter()
        .copied()
        .filter(|a| !chosen.contains(a))
        .collect();
    let added = chosen.iter().any(|a| !saved.contains(a));
    let mut out = Vec::new();
    if !added && lifted.is_empty() {
        out.push(l.text(Key::AllergenNoChange).to_string());
        return out;
    }
    out.push(if chosen.is_empty() {
        l.text(Key::AllergenNothingBlocked).to_string()
    } else {
        fill(
            l.text(Key::AllergenWillRefuse),
            &[("list", allergen_names(l, chosen))],
        )
    });
    if !lifted.is_empty() {
        out.push(fill(
            l.text(Key::AllergenNoLongerBlocked),
            &[("list", allergen_names(l, &lifted))],
        ));
    }
    out
}

#[component]
fn AllergensOf(child: String) -> impl IntoView {
    let reload = RwSignal::new(0u32);
    let child = StoredValue::new(child);
    let data = api::query::<gql::ChildAllergens>(move || {
        reload.track();
        gql::child_allergens::Variables {
            child_id: child.get_value(),
        }
    });
    let saved: RwSignal<Vec<Allergen>> = RwSignal::new(Vec::new());
    let chosen: RwSignal<Vec<Allergen>> = RwSignal::new(Vec::new());
    let confirming = RwSignal::new(false);
    let done = RwSignal::new(false);
    let error: RwSignal<Option<ApiError>> = RwSignal::new(None);
    let save = move |_| {
        let allergens = chosen.get_untracked();
        error.set(None);
        leptos::task::spawn_local(async move {
            let vars = gql::set_allergen_blocks::Variables {
                child_id: child.get_value(),
                allergens,
            };
            match api::send::<gql::SetAllergenBlocks>(vars, Vec::new()).await {
                Ok(()) => {
                    confirming.set(false);
                    done.set(true);
                    reload.update(|n| *n += 1);
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let boxes = Allergen::ALL
        .iter()
        .map(|a| {
            let a = *a;
            view! {
                <li>
                    <label>
                        <input
                            type="checkbox"
                            value=a.as_str()
                            prop:checked=move || chosen.with(|c| c.contains(&a))
                            on:change=move |ev| {
                                let on = event_target_checked(&ev);
                                chosen.update(|c| {
                                    c.retain(|x| *x != a);
                                    if on {
                                        c.push(a);
                                    }
                                });
                                confirming.set(false);
                                done.set(false);
                            }
                        />
                        {t(allergen_key(a))}
                    </label>
                </li>
            }
        })
        .collect_view();
    let confirm = move || {
        confirming.get().then(|| {
            let l = lang();
            let mut list = chosen.get();
            list.sort();
            let lines = changes(l, &saved.get(), &list)
                .into_iter()
                .map(|s| view! { <p>{s}</p> })
                .collect_view();
            view! {
                <div class="alert info" role="status" id="allergen-changes">
                    <strong>{l.text(Key::AllergenConfirmTitle)}</strong>
                    {lines}
                    <div class="actions">
                        <button type="button" id="allergen-confirm" on:click=save>{l.text(Key::AllergenConfirm)}</button>
                        <button type="button" class="secondary" on:click=move |_| confirming.set(false)>{l.text(Key::Cancel)}</button>
                    </div>
                </div>
            }
        })
    };
    // The saved list, once loaded and after each save, is what the boxes show.
    Effect::new(move |_| {
        if let Some(Ok(d)) = data.get() {
            let mut blocks = d.allergen_blocks;
            blocks.sort();
            saved.set(blocks.clone());
            chosen.set(blocks);
        }
    });
    let overrides = move || {
        loaded(data.get(), |d| {
            let l = lang();
            if d.allergen_overrides.is_empty() {
                return view! { <p class="muted">{l.text(Key::AllergenNoOverrides)}</p> }
                    .into_any();
            }
            d.allergen_overrides
                .into_iter()
                .map(|o| {
                    let name = o
                        .allergen
                        .map(|a| l.text(allergen_key(a)))
                        .unwrap_or_default();
                    let until = match &o.valid_to {
                        Some(d) => {
                            fill(l.text(Key::AllergenUntil), &[("date", format::date(l, d))])
                        }
                        None => l.text(Key::AllergenUntilFurther).to_string(),
                    };
                    let current = o
                        .valid_to
                        .as_deref()
                        .and_then(days::parse)
                        .is_none_or(|d| d >= days::today());
                    view! {
                        <li class="card" class:muted=!current>
                            <strong>{name}</strong> " · " {until}
                            <p class="reason">{o.reason}</p>
                            <p class="muted">{local_time(l, &o.at)}</p>
                        </li>
                    }
                })
                .collect_view()
                .into_any()
        })
    };
    view! {
        <form
            class="panel"
            id="allergen-form"
            on:submit=move |ev: leptos::ev::SubmitEvent| {
                ev.prevent_default();
                done.set(false);
                confirming.set(true);
                // On a phone the confirmation opens below the fold: bring it into view.
                request_animation_frame(|| {
                    if let Some(el) = document().get_element_by_id("allergen-changes") {
                        el.scroll_into_view();
                    }
                });
            }
        >
            <p>{t(Key::AllergenIntro)}</p>
            <ul class="allergens" id="allergens">{boxes}</ul>
            <button type="submit" id="allergen-review">{t(Key::AllergenReview)}</button>
        </form>
        {confirm}
        {move || done.get().then(|| view! { <p class="alert success" role="status" id="allergen-saved">{t(Key::AllergenSaved)}</p> })}
        {error_view(error)}
        <section class="panel" aria-labelledby="overrides-title">
            <h2 id="overrides-title">{t(Key::AllergenOverridesTitle)}</h2>
            <ul class="cards" id="overrides">{overrides}</ul>
        </section>
    }
}
