//! The regions and, for the region chosen, its localities, each with its rural flag's history.

use leptos::prelude::*;

use crate::PAGE;
use crate::api;
use crate::gql;
use crate::history::{SINCE_EVER, from_text, recorded_text, source_text, toggle};
use crate::i18n::{Key, Lang};
use crate::reference::{names, names_of};
use crate::ui::{
    Cursor, EmptyState, ErrorBox, Loading, PageTitle, Pager, fill, lang, non_empty, t, table,
};
use adal_web::session::Names;

type LocalityPeriod = gql::locality_rows::LocalityRowsLocalitiesNodesHistory;

#[component]
pub fn RegionsPage() -> impl IntoView {
    let cursor = Cursor::new();
    let filter = RwSignal::new(String::new());
    let selected: RwSignal<Option<(String, Names)>> = RwSignal::new(None);
    let data = api::query::<gql::Regions>(move || gql::regions::Variables {
        first: Some(PAGE),
        after: cursor.after(),
    });
    view! {
        <PageTitle key=Key::NavRegions/>
        <div class="filters">
            <div class="field">
                <label for="region-filter">{t(Key::FilterByName)}</label>
                <input
                    id="region-filter"
                    type="search"
                    prop:value=move || filter.get()
                    on:input=move |ev| filter.set(event_target_value(&ev))
                />
            </div>
        </div>
        {move || match data.get() {
            None => view! { <Loading/> }.into_any(),
            Some(Err(e)) => view! { <ErrorBox error=e/> }.into_any(),
            Some(Ok(d)) => {
                let l = lang();
                let needle = filter.get().to_lowercase();
                let rows: Vec<_> = d
                    .regions
                    .nodes
                    .into_iter()
                    .filter(|r| {
                        needle.is_empty()
                            || [&r.name_kk, &r.name_ru, &r.name_en, &r.kato]
                                .iter()
                                .any(|n| n.to_lowercase().contains(&needle))
                    })
                    .collect();
                if rows.is_empty() && d.regions.total_count == 0 {
                    return view! { <EmptyState title=Key::NoDataYet text=Key::EmptyRegions/> }
                        .into_any();
                }
                let shown = rows.len();
                let table = rows
                    .into_iter()
                    .map(|r| {
                        let n = names(&r.name_kk, &r.name_ru, &r.name_en);
                        let name = n.get(l).to_string();
                        let kato = r.kato.clone();
                        let pick = (kato.clone(), n);
                        view! {
                            <tr>
                                <td>
                                    <code>{kato}</code>
                                </td>
                                <td>{name}</td>
                                <td>
                                    <button
                                        type="button"
                                        class="link"
                                        on:click=move |_| selected.set(Some(pick.clone()))
                                    >
                                        {t(Key::ShowLocalities)}
                                    </button>
                                </td>
                            </tr>
                        }
                    })
                    .collect_view();
                view! {
                    <div class="table-wrap">
                        <table id="regions">
                            <caption class="sr-only">{t(Key::NavRegions)}</caption>
                            <thead>
                                <tr>
                                    <th scope="col">{t(Key::Kato)}</th>
                                    <th scope="col">{t(Key::Name)}</th>
                                    <th scope="col">{t(Key::NavLocalities)}</th>
                                </tr>
                            </thead>
                            <tbody>{table}</tbody>
                        </table>
                    </div>
                    <Pager
                        cursor=cursor
                        total=d.regions.total_count
                        shown=shown
                        page_size=PAGE
                        has_next=d.regions.page_info.has_next_page
                        end_cursor=d.regions.page_info.end_cursor
                    />
                }
                    .into_any()
            }
        }}
        {move || selected.get().map(|(kato, n)| view! { <LocalitiesPanel kato=kato names=n/> })}
    }
}

#[component]
fn LocalitiesPanel(kato: String, names: Names) -> impl IntoView {
    let cursor = Cursor::new();
    let search = RwSignal::new(String::new());
    let rural = RwSignal::new(String::new());
    // The locality whose history is open (one at a time).
    let open: RwSignal<Option<String>> = RwSignal::new(None);
    let region = kato.clone();
    let data = api::query::<gql::LocalityRows>(move || gql::locality_rows::Variables {
        region_kato: Some(region.clone()),
        rural: match rural.get().as_str() {
            "rural" => Some(true),
            "urban" => Some(false),
            _ => None,
        },
        search: non_empty(search.get()),
        first: Some(PAGE),
        after: cursor.after(),
    });
    let title = move || {
        fill(
            lang().text(Key::LocalitiesOf),
            &[("region", names.get(lang()).to_string())],
        )
    };
    view! {
        <section class="panel" aria-labelledby="localities-title" id="localities">
            <h2 id="localities-title">{title}</h2>
            <div class="filters">
                <div class="field">
                    <label for="locality-search">{t(Key::Search)}</label>
                    <input
                        id="locality-search"
                        type="search"
                        prop:value=move || search.get()
                        on:input=move |ev| {
                            search.set(event_target_value(&ev));
                            cursor.reset();
                        }
                    />
                </div>
                <div class="field">
                    <label for="locality-rural">{t(Key::Settlement)}</label>
                    <select
                        id="locality-rural"
                        on:change=move |ev| {
                            rural.set(event_target_value(&ev));
                            cursor.reset();
                        }
                    >
                        <option value="">{t(Key::All)}</option>
                        <option value="rural">{t(Key::Rural)}</option>
                        <option value="urban">{t(Key::Urban)}</option>
                    </select>
                </div>
            </div>
            {move || match data.get() {
                None => view! { <Loading/> }.into_any(),
                Some(Err(e)) => view! { <ErrorBox error=e/> }.into_any(),
                Some(Ok(d)) if d.localities.nodes.is_empty() => {
                    view! { <p class="empty-line">{t(Key::NothingFound)}</p> }.into_any()
                }
                Some(Ok(d)) => {
                    let l = lang();
                    let shown = d.localities.nodes.len();
                    let rows = d
                        .localities
                        .nodes
                        .into_iter()
                        .map(|x| {
                            let name = names_of(&x.name_kk, &x.name_ru, &x.name_en, l);
                            let label = fill(l.text(Key::RefHistoryOf), &[("name", name.clone())]);
                            let history_id = format!("locality-history-{}", x.kato);
                            let kato = x.kato.clone();
                            let is_open = Signal::derive(move || open.with(|o| o.as_ref() == Some(&kato)));
                            let kato = x.kato.clone();
                            let on_toggle = move || {
                                open.update(|o| {
                                    *o = if o.as_ref() == Some(&kato) { None } else { Some(kato.clone()) };
                                })
                            };
                            let history = rural_history(l, x.rural, x.history);
                            view! {
                                <tr>
                                    <td>
                                        <code>{x.kato}</code>
                                    </td>
                                    <td>{name}</td>
                                    <td>{t(if x.rural { Key::Rural } else { Key::Urban })}</td>
                                    <td>{toggle(label, history_id.clone(), is_open, on_toggle)}</td>
                                </tr>
                                <tr id=history_id hidden=move || !is_open.get()>
                                    <td colspan="4">{history}</td>
                                </tr>
                            }
                        })
                        .collect_view();
                    view! {
                        <div class="table-wrap">
                            <table>
                                <thead>
                                    <tr>
                                        <th scope="col">{t(Key::Kato)}</th>
                                        <th scope="col">{t(Key::Name)}</th>
                                        <th scope="col">{t(Key::Settlement)}</th>
                                        <th scope="col">{t(Key::RefHistory)}</th>
                                    </tr>
                                </thead>
                                <tbody>{rows}</tbody>
                            </table>
                        </div>
                        <Pager
                            cursor=cursor
                            total=d.localities.total_count
                            shown=shown
                            page_size=PAGE
                            has_next=d.localities.page_info.has_next_page
                            end_cursor=d.localities.page_info.end_cursor
                        />
                    }
                        .into_any()
                }
            }}
        </section>
    }
}

/// A locality's rural flag over time: from when each value holds (the first "from the
/// start"), rural or urban, when and by what it was recorded. A locality kept without history
/// has its flag from the start.
fn rural_history(l: Lang, rural_now: bool, mut periods: Vec<LocalityPeriod>) -> AnyView {
    periods.sort_by(|a, b| {
        (&a.effective_from, &a.recorded_at).cmp(&(&b.effective_from, &b.recorded_at))
    });
    let row = |from: &str, rural: bool, recorded: Option<&str>, source: String| {
        view! {
            <tr>
                <td>{from_text(l, from)}</td>
                <td>{l.text(if rural { Key::Rural } else { Key::Urban })}</td>
                <td>{recorded_text(l, recorded)}</td>
                <td>{source}</td>
            </tr>
        }
    };
    let rows = if periods.is_empty() {
        vec![row(SINCE_EVER, rural_now, None, "—".to_string())]
    } else {
        periods
            .iter()
            .map(|p| {
                row(
                    &p.effective_from,
                    p.rural,
                    Some(&p.recorded_at),
                    // A flag no import recorded is the one the register held when its
                    // history began.
                    p.import_batch_id
                        .as_deref()
                        .map_or_else(|| "—".to_string(), |n| source_text(l, Some(n))),
                )
            })
            .collect()
    };
    table(
        l,
        "",
        "history",
        &[
            Key::RefHistoryFrom,
            Key::Settlement,
            Key::RefHistoryRecorded,
            Key::RefHistorySource,
        ],
        rows.collect_view().into_any(),
    )
}
