//! What the parent's school pages share: the choice of a child, allergen names, prices.

use leptos::prelude::*;

use crate::api;
use crate::format;
use crate::gql::{self, Allergen, MealCharge};
use crate::i18n::{Key, Lang};
use crate::ui::{EmptyState, joined, loaded, t};

thread_local! {
    /// The child last picked, so each school page opens on the same child.
    static PICKED: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
}

/// The signed-in parent's children and the one the page shows: the one picked last (on this
/// or another school page), else the first. A parent of one child sees the name, not a menu.
#[component]
pub fn ChildPicker(child: RwSignal<Option<String>>) -> impl IntoView {
    let data = api::query::<gql::MyChildren>(|| gql::my_children::Variables {});
    // `?child=ID` (the links of "My children"): that child, when it is one of the parent's.
    let asked = leptos_router::hooks::use_query_map().with_untracked(|q| q.get("child"));
    move || {
        loaded(data.get(), |d| {
            let kids = d.my_children;
            let Some(first) = kids.first() else {
                return view! { <EmptyState title=Key::NoDataYet text=Key::EmptyChildren/> }
                    .into_any();
            };
            if child.get_untracked().is_none() {
                let mine = |id: &String| kids.iter().any(|k| &k.id == id);
                let kept = asked
                    .clone()
                    .filter(mine)
                    .or_else(|| PICKED.with_borrow(Clone::clone).filter(mine));
                let id = kept.unwrap_or_else(|| first.id.clone());
                PICKED.set(Some(id.clone()));
                child.set(Some(id));
            }
            if kids.len() == 1 {
                let name = first.full_name.clone();
                return view! { <p class="child-name" id="child-name">{name}</p> }.into_any();
            }
            let options = kids
                .into_iter()
                .map(|c| {
                    let selected = child.get_untracked().as_deref() == Some(c.id.as_str());
                    view! { <option value=c.id selected=selected>{c.full_name}</option> }
                })
                .collect_view();
            view! {
                <div class="field child-pick">
                    <label for="child-pick">{t(Key::ChildPick)}</label>
                    <select id="child-pick" on:change=move |ev| {
                        let id = event_target_value(&ev);
                        PICKED.set(Some(id.clone()));
                        child.set(Some(id));
                    }>
                        {options}
                    </select>
                </div>
            }
            .into_any()
        })
    }
}

/// A page of one child: the picker, then `page` of the child chosen (made anew for each).
pub fn for_child<V: IntoView + 'static>(
    title: Key,
    page: impl Fn(String) -> V + Send + Sync + 'static,
) -> impl IntoView {
    let child = RwSignal::new(None::<String>);
    view! {
        <crate::ui::PageTitle key=title/>
        <ChildPicker child=child/>
        {move || child.get().map(&page)}
    }
}

pub fn allergen_key(a: Allergen) -> Key {
    match a {
        Allergen::Gluten | Allergen::Unknown => Key::AllergenGluten,
        Allergen::Crustaceans => Key::AllergenCrustaceans,
        Allergen::Eggs => Key::AllergenEggs,
        Allergen::Fish => Key::AllergenFish,
        Allergen::Peanuts => Key::AllergenPeanuts,
        Allergen::Soy => Key::AllergenSoy,
        Allergen::Milk => Key::AllergenMilk,
        Allergen::Nuts => Key::AllergenNuts,
        Allergen::Celery => Key::AllergenCelery,
        Allergen::Mustard => Key::AllergenMustard,
        Allergen::Sesame => Key::AllergenSesame,
        Allergen::Sulphites => Key::AllergenSulphites,
        Allergen::Lupin => Key::AllergenLupin,
        Allergen::Molluscs => Key::AllergenMolluscs,
    }
}

/// Allergens by name in the language, comma-separated.
pub fn allergen_names(l: Lang, list: &[Allergen]) -> String {
    joined(list.iter().map(|a| l.text(allergen_key(*a)).to_string()))
}

/// A price in tenge as money.
pub fn tenge(l: Lang, amount: i64) -> String {
    format::money(l, amount * 100)
}

/// What a meal cost the pupil: free, or its price (and that it was reduced).
pub fn meal_price(l: Lang, charge: Option<MealCharge>, price: i64) -> String {
    match charge {
        Some(MealCharge::Free) => l.text(Key::ChildMealFree).to_string(),
        Some(MealCharge::Reduced) => tenge(l, price) + " · " + l.text(Key::ChildMealReduced),
        _ => tenge(l, price),
    }
}
