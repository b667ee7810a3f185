//! The regions as the operator's programs use them beside their own pages: loaded once for
//! menus and labels, a region's name by its KATO code, and a `<select>` of the regions. Shared
//! by the operator's program (graduates, campaigns, coverage, accounts) and the reference
//! registers' program (`/operator/reference`).

use leptos::prelude::*;

use crate::api;
use crate::gql;
use crate::i18n::{Key, Lang};
use crate::session::Names;
use crate::ui::{lang, t};

pub type RegionRow = gql::regions::RegionsRegionsNodes;

/// Every region (for menus and labels).
pub type Regions = api::Query<gql::Regions>;

pub fn load_regions() -> Regions {
    api::query::<gql::Regions>(|| gql::regions::Variables {
        first: Some(100),
        after: None,
    })
}

/// The regions loaded so far (tracked): none while they load or after an error.
pub fn region_rows(regions: Regions) -> Vec<RegionRow> {
    regions
        .get()
        .and_then(Result::ok)
        .map(|d| d.regions.nodes)
        .unwrap_or_default()
}

/// A region's name in the language, by its KATO code (tracked).
pub fn region_name(regions: Regions, kato: &str, l: Lang) -> Option<String> {
    region_rows(regions)
        .into_iter()
        .find(|r| r.kato == kato)
        .map(|r| names_of(&r.name_kk, &r.name_ru, &r.name_en, l))
}

/// A name the API gives in the three languages, as the three.
pub fn names(kk: &str, ru: &str, en: &str) -> Names {
    Names {
        kk: kk.to_string(),
        ru: ru.to_string(),
        en: en.to_string(),
    }
}

/// A name the API gives in the three languages, in `l`.
pub fn names_of(kk: &str, ru: &str, en: &str, l: Lang) -> String {
    names(kk, ru, en).get(l).to_string()
}

/// A `<select>` of the regions, with a first option for "any" / "none".
#[component]
pub fn RegionSelect(
    #[prop(into)] id: String,
    label: Key,
    value: RwSignal<String>,
    empty: Key,
    regions: Regions,
    #[prop(optional)] on_change: Option<Callback<()>>,
) -> impl IntoView {
    view! {
        <div class="field">
            <label for=id.clone()>{t(label)}</label>
            <select
                id=id
                on:change=move |ev| {
                    value.set(event_target_value(&ev));
                    if let Some(cb) = on_change {
                        cb.run(());
                    }
                }
            >
                <option value="" selected=move || value.get().is_empty()>{t(empty)}</option>
                {move || {
                    let l = lang();
                    region_rows(regions)
                        .into_iter()
                        .map(|r| {
                            let kato = r.kato.clone();
                            let selected = move || value.get() == kato;
                            view! {
                                <option value=r.kato.clone() selected=selected>
                                    {names_of(&r.name_kk, &r.name_ru, &r.name_en, l)}
                                </option>
                            }
                        })
                        .collect_view()
                }}
            </select>
        </div>
    }
}
