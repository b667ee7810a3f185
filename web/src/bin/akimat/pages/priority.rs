//! The region's priority tables: every version with its category weights, tie rules, note
//! and date (versions are never edited), and the form that records the next version from
//! the latest one's weights, showing first whose score and place the new weights would change.

use leptos::prelude::*;

use super::{category_label, officer_regions, refusal_view};
use crate::api::{self, ApiError};
use crate::gql::akimat::{self as gql, VoucherTieRule};
use crate::i18n::{Key, Lang};
use crate::ui::{EmptyState, PageTitle, lang, loaded, local_time, non_empty, t, table};

type Table = gql::akimat_priority_tables::AkimatPriorityTablesVoucherPriorityTables;

const HEADS: [Key; 2] = [Key::AkimatCategory, Key::AkimatWeight];

/// The tie rules in their order, as people read them.
fn ties_label(l: Lang, ties: &[VoucherTieRule]) -> String {
    ties.iter()
        .map(|r| {
            l.text(match r {
                VoucherTieRule::YoungerFirst => Key::AkimatTieYounger,
                VoucherTieRule::OlderFirst => Key::AkimatTieOlder,
                _ => Key::AkimatTieLottery,
            })
        })
        .collect::<Vec<_>>()
        .join(" → ")
}

/// The tie orders the form offers (the lottery always decides last).
const TIE_ORDERS: [&[VoucherTieRule]; 3] = [
    &[VoucherTieRule::YoungerFirst, VoucherTieRule::Lottery],
    &[VoucherTieRule::OlderFirst, VoucherTieRule::Lottery],
    &[VoucherTieRule::Lottery],
];

#[component]
pub fn PriorityPage() -> impl IntoView {
    let reload = RwSignal::new(0u32);
    // Outside the list: the form is drawn anew when the list reloads after a save.
    let saved: RwSignal<Option<i64>> = RwSignal::new(None);
    let data = api::query::<gql::AkimatPriorityTables>(move || {
        reload.track();
        gql::akimat_priority_tables::Variables {}
    });
    view! {
        <PageTitle key=Key::AkimatPriorityTitle/>
        {move || loaded(data.get(), move |d| {
            let l = lang();
            let mine = officer_regions(
                d.me.roles
                    .iter()
                    .map(|r| (r.role, r.region.as_ref().map(|x| x.kato.as_str()))),
            );
            let tables: Vec<Table> = d
                .voucher_priority_tables
                .into_iter()
                .filter(|x| mine.contains(&x.region_kato))
                .collect();
            let latest = tables.first().cloned();
            let list = if tables.is_empty() {
                view! { <EmptyState title=Key::NoDataYet text=Key::AkimatNoTables/> }.into_any()
            } else {
                tables
                    .into_iter()
                    .map(|x| {
                        let rows = x
                            .weights
                            .iter()
                            .map(|w| view! {
                                <tr data-category=w.category.clone()>
                                    <th scope="row">{category_label(l, &w.category)}</th>
                                    <td class="num">{w.weight}</td>
                                </tr>
                            })
                            .collect_view();
                        view! {
                            <article class="card priority-table" data-version=x.version.to_string()>
                                <h2>{format!("v{}", x.version)} " · " {x.note.clone()}</h2>
                                <p class="muted">{local_time(l, &x.created_at)} " · " {l.text(Key::AkimatTies)} ": " {ties_label(l, &x.ties)}</p>
                                {table(l, "", "weights", &HEADS, rows.into_any())}
                            </article>
                        }
                    })
                    .collect_view()
                    .into_any()
            };
            let region = mine.first().cloned().unwrap_or_default();
            view! {
                <NewTable region=region latest=latest reload=reload saved=saved/>
                {list}
            }
            .into_any()
        })}
    }
}

#[component]
fn NewTable(
    region: String,
    latest: Option<Table>,
    reload: RwSignal<u32>,
    saved: RwSignal<Option<i64>>,
) -> impl IntoView {
    let weights: Vec<(String, RwSignal<String>)> = latest
        .as_ref()
        .map(|x| {
            x.weights
                .iter()
                .map(|w| (w.category.clone(), RwSignal::new(w.weight.to_string())))
                .collect()
        })
        .unwrap_or_default();
    let weights = StoredValue::new(weights);
    let ties = RwSignal::new(0usize);
    let note = RwSignal::new(String::new());
    let invalid: RwSignal<Option<Key>> = RwSignal::new(None);
    let error: RwSignal<Option<ApiError>> = RwSignal::new(None);
    let region = StoredValue::new(region);
    // The weights as typed, each 0 to 1000.
    let typed = move || -> Option<Vec<(String, i64)>> {
        let mut list = Vec::new();
        for (category, w) in weights.get_value() {
            match w.get_untracked().trim().parse::<i64>() {
                Ok(weight) if (0..=1000).contains(&weight) => list.push((category, weight)),
                _ => {
                    invalid.set(Some(Key::AkimatErrWeight));
                    return None;
                }
            }
        }
        Some(list)
    };
    let preview: RwSignal<Option<Vec<Preview>>> = RwSignal::new(None);
    let on_preview =
        move |_| {
            error.set(None);
            preview.set(None);
            let Some(list) = typed() else { return };
            invalid.set(None);
            let vars =
                gql::priority_preview::Variables {
                    region_kato: region.get_value(),
                    weights: list
                        .into_iter()
                        .map(|(category, weight)| {
                            gql::priority_preview::VoucherCategoryWeightInput { category, weight }
                        })
                        .collect(),
                };
            leptos::task::spawn_local(async move {
                match api::call::<gql::PriorityPreview>(vars).await {
                    Ok(d) => preview.set(Some(d.voucher_priority_preview)),
                    Err(e) => error.set(Some(e)),
                }
            });
        };
    let on_submit =
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            saved.set(None);
            error.set(None);
            let Some(list) = typed() else { return };
            let list =
                list.into_iter()
                    .map(|(category, weight)| {
                        gql::create_priority_table::VoucherCategoryWeightInput { category, weight }
                    })
                    .collect();
            let Some(note) = non_empty(note.get_untracked()) else {
                invalid.set(Some(Key::AkimatErrNote));
                return;
            };
            invalid.set(None);
            let input = gql::create_priority_table::VoucherPriorityTableInput {
                region_kato: region.get_value(),
                weights: list,
                ties: TIE_ORDERS[ties.get_untracked().min(2)].to_vec(),
                note,
            };
            leptos::task::spawn_local(async move {
                let vars = gql::create_priority_table::Variables { input };
                match api::call::<gql::CreatePriorityTable>(vars).await {
                    Ok(d) => {
                        saved.set(Some(d.create_voucher_priority_table.version));
                        reload.update(|n| *n += 1);
                    }
                    Err(e) => error.set(Some(e)),
                }
            });
        };
    let rows = weights
        .get_value()
        .into_iter()
        .map(|(category, w)| {
            let id = format!("weight-{category}");
            view! {
                <div class="field">
                    <label for=id.clone()>{move || category_label(lang(), &category)}</label>
                    <input id=id type="number" min="0" max="1000" prop:value=move || w.get() on:input=move |ev| w.set(event_target_value(&ev))/>
                </div>
            }
        })
        .collect_view();
    let tie_options = TIE_ORDERS
        .iter()
        .enumerate()
        .map(|(i, order)| view! { <option value=i.to_string()>{move || ties_label(lang(), order)}</option> })
        .collect_view();
    view! {
        <form class="panel" id="table-form" on:submit=on_submit novalidate=true>
            <h2>{t(Key::AkimatNewTable)}</h2>
            <p class="hint">{t(Key::AkimatNewTableHint)}</p>
            <div class="grid">{rows}</div>
            <div class="grid">
                <div class="field">
                    <label for="table-ties">{t(Key::AkimatTies)}</label>
                    <select id="table-ties" on:change=move |ev| ties.set(event_target_value(&ev).parse().unwrap_or(0))>{tie_options}</select>
                </div>
                <div class="field">
                    <label for="table-note">{t(Key::AkimatNote)}</label>
                    <input id="table-note" type="text" prop:value=move || note.get() on:input=move |ev| note.set(event_target_value(&ev))/>
                </div>
            </div>
            {move || invalid.get().map(|k| view! { <p class="alert error" role="alert" id="table-invalid">{t(k)}</p> })}
            {refusal_view(error)}
            {move || saved.get().map(|v| view! { <p class="alert success" role="status" id="table-saved">{t(Key::AkimatTableSaved)} {format!(" v{v}")}</p> })}
            <p class="actions">
                <button type="button" class="secondary" id="table-preview" on:click=on_preview>{t(Key::AkimatPreviewTable)}</button>
                " "
                <button type="submit" id="table-save">{t(Key::AkimatSaveTable)}</button>
            </p>
            {move || preview.get().map(preview_view)}
        </form>
    }
}

type Preview = gql::priority_preview::PriorityPreviewVoucherPriorityPreview;

const PREVIEW_HEADS: [Key; 3] = [
    Key::SheetChild,
    Key::AkimatScoreNowThen,
    Key::AkimatPlaceNowThen,
];

/// What the proposed weights would change, per campaign not yet allocated.
fn preview_view(campaigns: Vec<Preview>) -> AnyView {
    let l = lang();
    let moved: usize = campaigns.iter().map(|c| c.changes.len()).sum();
    let parts = campaigns
        .into_iter()
        .filter(|c| !c.changes.is_empty())
        .map(|c| {
            let title = crate::ui::fill(
                l.text(Key::AkimatPreviewCampaign),
                &[
                    ("campaign", c.campaign.name.clone()),
                    ("applications", c.applications.to_string()),
                    ("changed", c.changes.len().to_string()),
                ],
            );
            let rows = c
                .changes
                .into_iter()
                .map(|x| view! {
                    <tr class="moved" data-id=x.application_id>
                        <th scope="row">{x.child_name.unwrap_or_default()}</th>
                        <td class="num score">{format!("{} → {}", x.score_now, x.score_then)}</td>
                        <td class="num place">{format!("{} → {}", x.place_now, x.place_then)}</td>
                    </tr>
                })
                .collect_view();
            view! {
                <h3 data-campaign=c.campaign.id>{title}</h3>
                {table(l, "", "preview", &PREVIEW_HEADS, rows.into_any())}
            }
        })
        .collect_view();
    view! {
        <section id="table-preview-result" aria-live="polite">
            <p class="hint">{l.text(Key::AkimatPreviewHint)}</p>
            {(moved == 0).then(|| view! { <p class="muted">{l.text(Key::AkimatPreviewNone)}</p> })}
            {parts}
        </section>
    }
    .into_any()
}
