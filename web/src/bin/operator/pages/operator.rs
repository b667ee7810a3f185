//! The operator's portal: dashboard and the reference pages (regions, organisations,
//! accounts and role assignments). Only OPERATOR_ADMIN writes; everyone else reads.

use leptos::prelude::*;

use crate::api::{self, ApiError, ErrorCode};
use crate::format;
use crate::gql::{self, Language, OrganisationKind, Role};
use crate::i18n::{Key, Lang};
use crate::ident::{self, IdentError};
use crate::portal::role_key;
use crate::session::Names;
use crate::ui::{
    Cursor, EmptyState, ErrorBox, Loading, PageTitle, Pager, fill, lang, non_empty, t,
};

const PAGE: i64 = 20;

fn names(kk: &str, ru: &str, en: &str) -> Names {
    Names {
        kk: kk.to_string(),
        ru: ru.to_string(),
        en: en.to_string(),
    }
}

/// Whether the signed-in person may change reference data.
pub use adal_web::ui::can_write;

#[component]
fn ReadOnlyNote() -> impl IntoView {
    view! { <p class="alert info" id="read-only">{t(Key::ReadOnlyNotice)}</p> }
}

// ---------------------------------------------------------------------------------------
// Dashboard

#[component]
pub fn Dashboard() -> impl IntoView {
    let data = api::query::<gql::Dashboard>(|| gql::dashboard::Variables {});
    view! {
        <PageTitle key=Key::NavDashboard/>
        {move || match data.get() {
            None => view! { <Loading/> }.into_any(),
            Some(Err(e)) => view! { <ErrorBox error=e/> }.into_any(),
            Some(Ok(d)) => {
                let (r, o) = (d.regions.total_count, d.organisations.total_count);
                view! {
                    <ul class="stats">
                        <li class="stat">
                            <span class="stat-value">{move || format::number(lang(), r)}</span>
                            <a href="/operator/regions">{t(Key::NavRegions)}</a>
                        </li>
                        <li class="stat">
                            <span class="stat-value">{move || format::number(lang(), o)}</span>
                            <a href="/operator/organisations">{t(Key::NavOrganisations)}</a>
                        </li>
                    </ul>
                }
                    .into_any()
            }
        }}
        <crate::pages::obligations::ObligationFigures/>
        <crate::pages::coverage::CoveragePanel/>
    }
}

// ---------------------------------------------------------------------------------------
// Regions and localities

pub(crate) type RegionRow = gql::regions::RegionsRegionsNodes;

/// Every region (for menus and labels).
pub(crate) type Regions = api::Query<gql::Regions>;

pub(crate) fn load_regions() -> Regions {
    api::query::<gql::Regions>(|| gql::regions::Variables {
        first: Some(100),
        after: None,
    })
}

/// The regions loaded so far (tracked): none while they load or after an error.
pub(crate) fn region_rows(regions: Regions) -> Vec<RegionRow> {
    regions
        .get()
        .and_then(Result::ok)
        .map(|d| d.regions.nodes)
        .unwrap_or_default()
}

/// A region's name in the language, by its KATO code (tracked).
pub(crate) fn region_name(regions: Regions, kato: &str, l: Lang) -> Option<String> {
    region_rows(regions)
        .into_iter()
        .find(|r| r.kato == kato)
        .map(|r| names_of(&r.name_kk, &r.name_ru, &r.name_en, l))
}

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
    let region = kato.clone();
    let data = api::query::<gql::Localities>(move || gql::localities::Variables {
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
                            view! {
                                <tr>
                                    <td>
                                        <code>{x.kato}</code>
                                    </td>
                                    <td>{name}</td>
                                    <td>{t(if x.rural { Key::Rural } else { Key::Urban })}</td>
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

fn names_of(kk: &str, ru: &str, en: &str, l: Lang) -> String {
    names(kk, ru, en).get(l).to_string()
}

/// A `<select>` of the regions, with a first option for "any" / "none".
#[component]
pub(crate) fn RegionSelect(
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

/// An organisation chosen by typing part of its name or its BIN: the register suggests up to
/// eight matches (of `kind`, if given) as the person types, and `chosen` holds the id of the
/// one picked (`None` while the text names no suggested organisation). `changed` runs when
/// `chosen` changes.
#[component]
pub(crate) fn OrgPicker(
    #[prop(into)] id: String,
    label: Key,
    kind: Option<OrganisationKind>,
    chosen: RwSignal<Option<String>>,
    changed: Callback<()>,
    /// The text typed (`name · BIN`, or a BIN), when the caller keeps it (a filter in the
    /// address keeps the BIN).
    #[prop(optional)]
    text: Option<RwSignal<String>>,
) -> impl IntoView {
    // What names a BIN is searched by it, anything else as typed.
    let text = text.unwrap_or_else(|| RwSignal::new(String::new()));
    let found = api::query::<gql::Organisations>(move || {
        let typed = text.get();
        gql::organisations::Variables {
            filter: Some(gql::organisations::OrganisationFilter {
                search: bin_of(&typed)
                    .map(str::to_string)
                    .or_else(|| non_empty(typed)),
                kind,
                region_kato: None,
            }),
            first: Some(8),
            after: None,
        }
    });
    // The id of the organisation the text names, among the suggestions at hand.
    let named = move || {
        let typed = text.get();
        let bin = bin_of(&typed)?;
        found
            .get()?
            .ok()?
            .organisations
            .nodes
            .into_iter()
            .find(|o| o.bin == bin)
            .map(|o| o.id)
    };
    Effect::new(move |_| {
        let now = named();
        if now != chosen.get_untracked() {
            chosen.set(now);
            changed.run(());
        }
    });
    let list = format!("{id}-list");
    let hint = format!("{id}-hint");
    view! {
        <div class="field">
            <label for=id.clone()>{t(label)}</label>
            <input
                id=id
                type="search"
                list=list.clone()
                autocomplete="off"
                aria-describedby=hint.clone()
                prop:value=move || text.get()
                on:input=move |ev| text.set(event_target_value(&ev))
            />
            <datalist id=list>
                {move || {
                    let l = lang();
                    found
                        .get()
                        .and_then(Result::ok)
                        .map(|d| {
                            d.organisations
                                .nodes
                                .into_iter()
                                .map(|o| {
                                    let name = names_of(&o.name_kk, &o.name_ru, &o.name_en, l);
                                    view! { <option value=format!("{name} · {}", o.bin)/> }
                                })
                                .collect_view()
                        })
                }}
            </datalist>
            <small id=hint class="muted">{t(Key::OrgPickerHint)}</small>
        </div>
    }
}

/// The BIN an organisation picker's text names: a suggestion reads `name · BIN`; a BIN
/// typed alone counts too.
pub(crate) fn bin_of(text: &str) -> Option<&str> {
    let bin = text.rsplit_once(" · ").map_or(text.trim(), |(_, b)| b);
    (bin.len() == 12 && bin.bytes().all(|b| b.is_ascii_digit())).then_some(bin)
}

// ---------------------------------------------------------------------------------------
// Organisations

pub use adal_web::labels::kind_key;

/// An organisation being created (`id: None`) or edited.
#[derive(Clone, Debug, Default, PartialEq)]
struct OrgDraft {
    id: Option<String>,
    bin: String,
    kind: String,
    name_kk: String,
    name_ru: String,
    name_en: String,
    region_kato: String,
    locality_kato: String,
    parent_id: Option<String>,
}

type OrgRow = gql::organisations::OrganisationsOrganisationsNodes;

impl OrgDraft {
    fn of(o: &OrgRow) -> Self {
        Self {
            id: Some(o.id.clone()),
            bin: o.bin.clone(),
            kind: o.kind.as_str().to_string(),
            name_kk: o.name_kk.clone(),
            name_ru: o.name_ru.clone(),
            name_en: o.name_en.clone(),
            region_kato: o
                .region
                .as_ref()
                .map(|r| r.kato.clone())
                .unwrap_or_default(),
            locality_kato: o
                .locality
                .as_ref()
                .map(|r| r.kato.clone())
                .unwrap_or_default(),
            parent_id: o.parent.as_ref().map(|p| p.id.clone()),
        }
    }
}

/// The message shown under the BIN field as the person types.
fn bin_message(bin: &str) -> Option<(bool, String, Lang)> {
    let l = lang();
    if bin.is_empty() {
        return None;
    }
    Some(match ident::check(bin) {
        Ok(()) => (true, l.text(Key::BinValid).to_string(), l),
        Err(IdentError::NotDigits) => (false, l.text(Key::BinNotDigits).to_string(), l),
        Err(IdentError::Length(n)) => (
            false,
            fill(l.text(Key::BinLength), &[("n", n.to_string())]),
            l,
        ),
        Err(IdentError::CheckDigit) => (false, l.text(Key::BinCheckDigit).to_string(), l),
    })
}

#[component]
pub fn OrganisationsPage() -> impl IntoView {
    let writer = can_write();
    let cursor = Cursor::new();
    let search = RwSignal::new(String::new());
    let kind = RwSignal::new(String::new());
    let region = RwSignal::new(String::new());
    let reload = RwSignal::new(0u32);
    let editing: RwSignal<Option<OrgDraft>> = RwSignal::new(None);
    let saved: RwSignal<Option<String>> = RwSignal::new(None);
    let regions = load_regions();

    let data = api::query::<gql::Organisations>(move || {
        reload.track();
        let filter = gql::organisations::OrganisationFilter {
            search: non_empty(search.get()),
            kind: non_empty(kind.get()).map(|k| OrganisationKind::parse(&k)),
            region_kato: non_empty(region.get()),
        };
        gql::organisations::Variables {
            filter: Some(filter),
            first: Some(PAGE),
            after: cursor.after(),
        }
    });

    let on_saved = Callback::new(move |bin: String| {
        editing.set(None);
        saved.set(Some(bin));
        reload.update(|n| *n += 1);
    });
    let on_cancel = Callback::new(move |()| editing.set(None));

    view! {
        <PageTitle key=Key::NavOrganisations/>
        {(!writer).then(|| view! { <ReadOnlyNote/> })}
        <div class="toolbar">
            {writer
                .then(|| {
                    view! {
                        <button
                            type="button"
                            id="new-organisation"
                            on:click=move |_| {
                                saved.set(None);
                                editing.set(Some(OrgDraft::default()));
                            }
                        >
                            {t(Key::NewOrganisation)}
                        </button>
                    }
                })}
        </div>
        {move || {
            saved
                .get()
                .map(|bin| {
                    view! {
                        <p class="alert success" role="status" id="saved">
                            {move || fill(lang().text(Key::OrganisationSaved), &[("bin", bin.clone())])}
                        </p>
                    }
                })
        }}
        {move || {
            editing
                .get()
                .map(|d| view! { <OrgForm draft=d regions=regions on_saved=on_saved on_cancel=on_cancel/> })
        }}
        <form class="filters" role="search" on:submit=|ev| ev.prevent_default()>
            <div class="field">
                <label for="org-search">{t(Key::SearchOrganisations)}</label>
                <input
                    id="org-search"
                    type="search"
                    prop:value=move || search.get()
                    on:input=move |ev| {
                        search.set(event_target_value(&ev));
                        cursor.reset();
                    }
                />
            </div>
            <div class="field">
                <label for="org-kind">{t(Key::Kind)}</label>
                <select
                    id="org-kind"
                    on:change=move |ev| {
                        kind.set(event_target_value(&ev));
                        cursor.reset();
                    }
                >
                    <option value="">{t(Key::AllKinds)}</option>
                    {OrganisationKind::ALL
                        .iter()
                        .map(|k| view! { <option value=k.as_str()>{t(kind_key(*k))}</option> })
                        .collect_view()}
                </select>
            </div>
            <RegionSelect
                id="org-region"
                label=Key::Region
                value=region
                empty=Key::AllRegions
                regions=regions
                on_change=Callback::new(move |()| cursor.reset())
            />
        </form>
        {move || match data.get() {
            None => view! { <Loading/> }.into_any(),
            Some(Err(e)) => view! { <ErrorBox error=e/> }.into_any(),
            Some(Ok(d)) if d.organisations.nodes.is_empty() => {
                view! { <p class="empty-line">{t(Key::NothingFound)}</p> }.into_any()
            }
            Some(Ok(d)) => {
                let l = lang();
                let c = d.organisations;
                let shown = c.nodes.len();
                let rows = c
                    .nodes
                    .into_iter()
                    .map(|o| {
                        let draft = OrgDraft::of(&o);
                        let region = o
                            .region
                            .as_ref()
                            .map(|r| names_of(&r.name_kk, &r.name_ru, &r.name_en, l))
                            .unwrap_or_default();
                        let name = names_of(&o.name_kk, &o.name_ru, &o.name_en, l);
                        let label = format!("{} {name}", l.text(Key::Edit));
                        view! {
                            <tr>
                                <td>
                                    <code>{o.bin.clone()}</code>
                                </td>
                                <td>{name}</td>
                                <td>{t(kind_key(o.kind))}</td>
                                <td>{region}</td>
                                {writer
                                    .then(|| {
                                        view! {
                                            <td>
                                                <button
                                                    type="button"
                                                    class="link"
                                                    aria-label=label
                                                    on:click=move |_| {
                                                        saved.set(None);
                                                        editing.set(Some(draft.clone()));
                                                    }
                                                >
                                                    {t(Key::Edit)}
                                                </button>
                                            </td>
                                        }
                                    })}
                            </tr>
                        }
                    })
                    .collect_view();
                view! {
                    <div class="table-wrap">
                        <table id="organisations">
                            <caption class="sr-only">{t(Key::NavOrganisations)}</caption>
                            <thead>
                                <tr>
                                    <th scope="col">{t(Key::Bin)}</th>
                                    <th scope="col">{t(Key::Name)}</th>
                                    <th scope="col">{t(Key::Kind)}</th>
                                    <th scope="col">{t(Key::Region)}</th>
                                    {writer.then(|| view! { <th scope="col">{t(Key::Actions)}</th> })}
                                </tr>
                            </thead>
                            <tbody>{rows}</tbody>
                        </table>
                    </div>
                    <Pager
                        cursor=cursor
                        total=c.total_count
                        shown=shown
                        page_size=PAGE
                        has_next=c.page_info.has_next_page
                        end_cursor=c.page_info.end_cursor
                    />
                }
                    .into_any()
            }
        }}
    }
}

macro_rules! org_input {
    ($module:ident, $d:expr) => {
        gql::$module::OrganisationInput {
            bin: $d.bin.trim().to_string(),
            kind: OrganisationKind::parse(&$d.kind),
            name_kk: $d.name_kk.trim().to_string(),
            name_ru: $d.name_ru.trim().to_string(),
            name_en: $d.name_en.trim().to_string(),
            locality_kato: non_empty($d.locality_kato.clone()),
            region_kato: non_empty($d.region_kato.clone()),
            parent_id: $d.parent_id.clone(),
        }
    };
}

#[component]
fn OrgForm(
    draft: OrgDraft,
    regions: Regions,
    on_saved: Callback<String>,
    on_cancel: Callback<()>,
) -> impl IntoView {
    let creating = draft.id.is_none();
    let id = draft.id.clone();
    let parent_id = draft.parent_id.clone();
    let bin = RwSignal::new(draft.bin.clone());
    let kind = RwSignal::new(if draft.kind.is_empty() {
        OrganisationKind::School.as_str().to_string()
    } else {
        draft.kind.clone()
    });
    let name_kk = RwSignal::new(draft.name_kk.clone());
    let name_ru = RwSignal::new(draft.name_ru.clone());
    let name_en = RwSignal::new(draft.name_en.clone());
    let region = RwSignal::new(draft.region_kato.clone());
    let locality = RwSignal::new(draft.locality_kato.clone());
    let error: RwSignal<Option<ApiError>> = RwSignal::new(None);
    // The API's BAD_USER_INPUT error, shown at the field it names.
    let field_error: RwSignal<Option<ApiError>> = RwSignal::new(None);
    let show_missing = RwSignal::new(false);
    let pending = RwSignal::new(false);

    let localities = LocalResource::new(move || {
        let kato = non_empty(region.get());
        async move {
            let Some(kato) = kato else {
                return Ok(Vec::new());
            };
            api::call::<gql::Localities>(gql::localities::Variables {
                region_kato: Some(kato),
                rural: None,
                search: None,
                first: Some(100),
                after: None,
            })
            .await
            .map(|d| d.localities.nodes)
        }
    });

    let server_error = move |field: &'static str| {
        move || {
            field_error.with(|e| {
                e.as_ref()
                    .filter(|e| e.is_about(field))
                    .map(|e| lang().text(e.code.key()))
            })
        }
    };

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        error.set(None);
        field_error.set(None);
        let d = OrgDraft {
            id: id.clone(),
            bin: bin.get_untracked(),
            kind: kind.get_untracked(),
            name_kk: name_kk.get_untracked(),
            name_ru: name_ru.get_untracked(),
            name_en: name_en.get_untracked(),
            region_kato: region.get_untracked(),
            locality_kato: locality.get_untracked(),
            parent_id: parent_id.clone(),
        };
        let missing = [&d.name_kk, &d.name_ru, &d.name_en]
            .iter()
            .any(|n| n.trim().is_empty());
        if ident::check(&d.bin).is_err() || missing {
            show_missing.set(true);
            focus_first_invalid();
            return;
        }
        pending.set(true);
        leptos::task::spawn_local(async move {
            let result = match d.id.clone() {
                None => api::call::<gql::CreateOrganisation>(gql::create_organisation::Variables {
                    input: org_input!(create_organisation, d),
                })
                .await
                .map(|r| r.create_organisation.bin),
                Some(id) => {
                    api::call::<gql::UpdateOrganisation>(gql::update_organisation::Variables {
                        id,
                        input: org_input!(update_organisation, d),
                    })
                    .await
                    .map(|r| r.update_organisation.bin)
                }
            };
            pending.set(false);
            match result {
                Ok(bin) => on_saved.run(bin),
                Err(e) => {
                    if e.code == ErrorCode::BadUserInput && e.field.is_some() {
                        field_error.set(Some(e.clone()));
                    }
                    error.set(Some(e));
                }
            }
        });
    };

    let required =
        move |sig: RwSignal<String>| move || show_missing.get() && sig.get().trim().is_empty();

    let name_field = move |fid: &'static str,
                           label: Key,
                           sig: RwSignal<String>,
                           api_field: &'static str| {
        let missing = required(sig);
        let api_err = server_error(api_field);
        let err_id = format!("{fid}-error");
        let err_id2 = err_id.clone();
        view! {
            <div class="field">
                <label for=fid>{t(label)}</label>
                <input
                    id=fid
                    type="text"
                    required=true
                    aria-invalid=move || if missing() || api_err().is_some() { "true" } else { "false" }
                    aria-describedby=err_id.clone()
                    prop:value=move || sig.get()
                    on:input=move |ev| sig.set(event_target_value(&ev))
                />
                <p class="field-error" id=err_id2 aria-live="polite">
                    {move || missing().then(|| t(Key::Required)())}
                    {api_err}
                </p>
            </div>
        }
    };

    let bin_api_error = server_error("bin");
    let bin_state = move || bin_message(&bin.get());
    view! {
        <section class="panel" aria-labelledby="org-form-title" id="org-form">
            <h2 id="org-form-title">
                {t(if creating { Key::NewOrganisation } else { Key::EditOrganisation })}
            </h2>
            <form on:submit=on_submit novalidate=true>
                <div class="grid">
                    <div class="field">
                        <label for="org-bin">{t(Key::Bin)}</label>
                        <input
                            id="org-bin"
                            type="text"
                            inputmode="numeric"
                            maxlength="12"
                            autocomplete="off"
                            required=true
                            aria-describedby="org-bin-hint org-bin-message"
                            aria-invalid=move || {
                                let bad = bin_state().is_some_and(|(ok, _, _)| !ok)
                                    || (show_missing.get() && bin.get().is_empty())
                                    || bin_api_error().is_some();
                                if bad { "true" } else { "false" }
                            }
                            prop:value=move || bin.get()
                            on:input=move |ev| {
                                bin.set(event_target_value(&ev));
                                if field_error.with_untracked(|e| e.as_ref().is_some_and(|e| e.is_about("bin"))) {
                                    field_error.set(None);
                                }
                            }
                        />
                        <p class="hint" id="org-bin-hint">{t(Key::BinHint)}</p>
                        <p
                            id="org-bin-message"
                            aria-live="polite"
                            class=move || match bin_state() {
                                Some((true, _, _)) => "field-ok",
                                _ => "field-error",
                            }
                        >
                            {move || bin_state().map(|(_, m, _)| m)}
                            {move || (show_missing.get() && bin.get().is_empty()).then(|| t(Key::Required)())}
                            {bin_api_error}
                        </p>
                    </div>
                    <div class="field">
                        <label for="org-kind-input">{t(Key::Kind)}</label>
                        <select id="org-kind-input" on:change=move |ev| kind.set(event_target_value(&ev))>
                            {OrganisationKind::ALL
                                .iter()
                                .map(|k| {
                                    let code = k.as_str();
                                    view! {
                                        <option value=code selected=move || kind.get() == code>
                                            {t(kind_key(*k))}
                                        </option>
                                    }
                                })
                                .collect_view()}
                        </select>
                    </div>
                    {name_field("org-name-kk", Key::NameKk, name_kk, "nameKk")}
                    {name_field("org-name-ru", Key::NameRu, name_ru, "nameRu")}
                    {name_field("org-name-en", Key::NameEn, name_en, "nameEn")}
                    <RegionSelect
                        id="org-region-input"
                        label=Key::Region
                        value=region
                        empty=Key::NotSet
                        regions=regions
                        on_change=Callback::new(move |()| locality.set(String::new()))
                    />
                    <div class="field">
                        <label for="org-locality-input">{t(Key::Locality)}</label>
                        <select
                            id="org-locality-input"
                            disabled=move || region.get().is_empty()
                            on:change=move |ev| locality.set(event_target_value(&ev))
                        >
                            <option value="" selected=move || locality.get().is_empty()>{t(Key::NotSet)}</option>
                            {move || {
                                let l = lang();
                                localities
                                    .get()
                                    .and_then(Result::ok)
                                    .unwrap_or_default()
                                    .into_iter()
                                    .map(|x| {
                                        let kato = x.kato.clone();
                                        view! {
                                            <option value=x.kato.clone() selected=move || locality.get() == kato>
                                                {names_of(&x.name_kk, &x.name_ru, &x.name_en, l)}
                                            </option>
                                        }
                                    })
                                    .collect_view()
                            }}
                        </select>
                    </div>
                </div>
                {move || error.get().map(|e| view! { <ErrorBox error=e/> })}
                <div class="actions">
                    <button type="submit" id="save-organisation" disabled=move || pending.get()>
                        {t(Key::Save)}
                    </button>
                    <button type="button" class="secondary" on:click=move |_| on_cancel.run(())>
                        {t(Key::Cancel)}
                    </button>
                </div>
            </form>
        </section>
    }
}

/// Moves the keyboard focus to the first field marked invalid.
fn focus_first_invalid() {
    use wasm_bindgen::JsCast;
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    // The aria-invalid attributes update in the same tick; query after they do.
    leptos::task::spawn_local(async move {
        if let Ok(Some(el)) = doc.query_selector("[aria-invalid=\"true\"]")
            && let Ok(el) = el.dyn_into::<web_sys::HtmlElement>()
        {
            let _ = el.focus();
        }
    });
}

// ---------------------------------------------------------------------------------------
// Accounts and role assignments

type AccountRow = gql::accounts::AccountParts;

fn lang_key(l: Language) -> &'static str {
    Lang::from_api(l).endonym()
}

/// Whether a role needs an organisation (school, provider) or a region (akimat).
fn scope_of(role: Role) -> (bool, bool) {
    match role {
        Role::SchoolAdmin | Role::SchoolStaff | Role::ProviderStaff => (true, false),
        Role::AkimatOfficer => (false, true),
        _ => (false, false),
    }
}

#[component]
pub fn AccountsPage() -> impl IntoView {
    let writer = can_write();
    let cursor = Cursor::new();
    let search = RwSignal::new(String::new());
    let role = RwSignal::new(String::new());
    let reload = RwSignal::new(0u32);
    let open: RwSignal<Option<String>> = RwSignal::new(None);
    let creating = RwSignal::new(false);
    let notice: RwSignal<Option<String>> = RwSignal::new(None);
    let regions = load_regions();

    let data = api::query::<gql::Accounts>(move || {
        reload.track();
        gql::accounts::Variables {
            filter: Some(gql::accounts::AccountFilter {
                search: non_empty(search.get()),
                role: non_empty(role.get()).map(|r| Role::parse(&r)),
            }),
            first: Some(PAGE),
            after: cursor.after(),
        }
    });
    let changed = Callback::new(move |msg: String| {
        notice.set(Some(msg));
        reload.update(|n| *n += 1);
    });

    view! {
        <PageTitle key=Key::NavAccounts/>
        {(!writer).then(|| view! { <ReadOnlyNote/> })}
        <div class="toolbar">
            {writer
                .then(|| {
                    view! {
                        <button
                            type="button"
                            id="new-account"
                            on:click=move |_| {
                                notice.set(None);
                                creating.set(true);
                            }
                        >
                            {t(Key::NewAccount)}
                        </button>
                    }
                })}
        </div>
        {move || notice.get().map(|m| view! { <p class="alert success" role="status">{m}</p> })}
        {move || {
            creating
                .get()
                .then(|| {
                    view! {
                        <CreateAccountForm
                            regions=regions
                            on_done=Callback::new(move |msg: Option<String>| {
                                creating.set(false);
                                if let Some(m) = msg {
                                    changed.run(m);
                                }
                            })
                        />
                    }
                })
        }}
        <form class="filters" role="search" on:submit=|ev| ev.prevent_default()>
            <div class="field">
                <label for="account-search">{t(Key::SearchAccounts)}</label>
                <input
                    id="account-search"
                    type="search"
                    prop:value=move || search.get()
                    on:input=move |ev| {
                        search.set(event_target_value(&ev));
                        cursor.reset();
                    }
                />
            </div>
            <div class="field">
                <label for="account-role">{t(Key::Role)}</label>
                <select
                    id="account-role"
                    on:change=move |ev| {
                        role.set(event_target_value(&ev));
                        cursor.reset();
                    }
                >
                    <option value="">{t(Key::AllRoles)}</option>
                    {Role::ALL
                        .iter()
                        .map(|r| view! { <option value=r.as_str()>{t(role_key(*r))}</option> })
                        .collect_view()}
                </select>
            </div>
        </form>
        {move || match data.get() {
            None => view! { <Loading/> }.into_any(),
            Some(Err(e)) => view! { <ErrorBox error=e/> }.into_any(),
            Some(Ok(d)) if d.accounts.nodes.is_empty() => {
                view! { <p class="empty-line">{t(Key::NothingFound)}</p> }.into_any()
            }
            Some(Ok(d)) => {
                let l = lang();
                let c = d.accounts;
                let shown = c.nodes.len();
                let opened = open.get();
                let detail = opened
                    .as_ref()
                    .and_then(|id| c.nodes.iter().find(|a| &a.id == id).cloned());
                let rows = c
                    .nodes
                    .into_iter()
                    .map(|a| {
                        let id = a.id.clone();
                        let roles = a
                            .roles
                            .iter()
                            .map(|r| l.text(role_key(r.role)))
                            .collect::<Vec<_>>()
                            .join(", ");
                        let person = a.person.as_ref().map(|p| p.full_name.clone()).unwrap_or_default();
                        let status = t(if a.disabled { Key::Disabled } else { Key::Active });
                        let is_open = opened.as_deref() == Some(a.id.as_str());
                        view! {
                            <tr class:selected=is_open>
                                <td>
                                    <code>{a.login.clone()}</code>
                                </td>
                                <td>{person}</td>
                                <td>{roles}</td>
                                <td>{lang_key(a.language)}</td>
                                <td>{status}</td>
                                <td>{format::short_date(l, &a.created_at)}</td>
                                <td>
                                    <button
                                        type="button"
                                        class="link"
                                        aria-expanded=if is_open { "true" } else { "false" }
                                        on:click=move |_| {
                                            notice.set(None);
                                            open.set(if is_open { None } else { Some(id.clone()) });
                                        }
                                    >
                                        {t(if is_open { Key::Close } else { Key::Open })}
                                    </button>
                                </td>
                            </tr>
                        }
                    })
                    .collect_view();
                view! {
                    <div class="table-wrap">
                        <table id="accounts">
                            <caption class="sr-only">{t(Key::NavAccounts)}</caption>
                            <thead>
                                <tr>
                                    <th scope="col">{t(Key::LoginLabel)}</th>
                                    <th scope="col">{t(Key::Person)}</th>
                                    <th scope="col">{t(Key::Roles)}</th>
                                    <th scope="col">{t(Key::Language)}</th>
                                    <th scope="col">{t(Key::Status)}</th>
                                    <th scope="col">{t(Key::CreatedAt)}</th>
                                    <th scope="col">{t(Key::Actions)}</th>
                                </tr>
                            </thead>
                            <tbody>{rows}</tbody>
                        </table>
                    </div>
                    <Pager
                        cursor=cursor
                        total=c.total_count
                        shown=shown
                        page_size=PAGE
                        has_next=c.page_info.has_next_page
                        end_cursor=c.page_info.end_cursor
                    />
                    {detail.map(|a| view! { <AccountDetail account=a writer=writer regions=regions on_change=changed/> })}
                }
                    .into_any()
            }
        }}
    }
}

#[component]
fn AccountDetail(
    account: AccountRow,
    writer: bool,
    regions: Regions,
    on_change: Callback<String>,
) -> impl IntoView {
    let id = account.id.clone();
    let language = RwSignal::new(account.language.as_str().to_string());
    let disabled = RwSignal::new(account.disabled);
    let password = RwSignal::new(String::new());
    let error: RwSignal<Option<ApiError>> = RwSignal::new(None);
    let pending = RwSignal::new(false);
    let created = account.created_at.clone();
    let login = account.login.clone();

    let update_id = id.clone();
    let on_update = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        error.set(None);
        pending.set(true);
        let vars = gql::update_account::Variables {
            id: update_id.clone(),
            input: gql::update_account::UpdateAccountInput {
                language: Some(Language::parse(&language.get_untracked())),
                disabled: Some(disabled.get_untracked()),
                password: non_empty(password.get_untracked()),
                cost_per_minute: None,
                expires_at: None,
                persisted_only: None,
                requests_per_minute: None,
            },
        };
        leptos::task::spawn_local(async move {
            let r = api::send::<gql::UpdateAccount>(vars, Vec::new()).await;
            pending.set(false);
            match r {
                Ok(_) => {
                    password.set(String::new());
                    on_change.run(lang().text(Key::AccountSaved).to_string());
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };

    let roles = account
        .roles
        .iter()
        .map(|r| {
            let rid = r.id.clone();
            let role = r.role;
            let scope = r
                .organisation
                .as_ref()
                .map(|o| names(&o.name_kk, &o.name_ru, &o.name_en))
                .or_else(|| r.region.as_ref().map(|o| names(&o.name_kk, &o.name_ru, &o.name_en)));
            let on_revoke = move |_| {
                error.set(None);
                let vars = gql::revoke_role::Variables {
                    assignment_id: rid.clone(),
                };
                leptos::task::spawn_local(async move {
                    match api::send::<gql::RevokeRole>(vars, Vec::new()).await {
                        Ok(_) => on_change.run(lang().text(Key::RoleRevoked).to_string()),
                        Err(e) => error.set(Some(e)),
                    }
                });
            };
            view! {
                <li>
                    <span>{t(role_key(role))}</span>
                    {scope.map(|n| view! { <span class="muted">" · " {move || n.get(lang()).to_string()}</span> })}
                    {writer.then(|| view! {
                        <button type="button" class="link danger" on:click=on_revoke>{t(Key::Revoke)}</button>
                    })}
                </li>
            }
        })
        .collect_view();

    view! {
        <section class="panel" aria-labelledby="account-title" id="account-detail">
            <h2 id="account-title">{login}</h2>
            <p class="muted">{t(Key::CreatedAt)}": " {move || format::date(lang(), &created)}</p>
            <h3>{t(Key::Roles)}</h3>
            <ul class="roles">{roles}</ul>
            {move || error.get().map(|e| view! { <ErrorBox error=e/> })}
            {writer.then(|| view! {
                <AssignRoleForm account_id=id.clone() regions=regions on_change=on_change/>
                <h3>{t(Key::AccountSettings)}</h3>
                <form on:submit=on_update.clone()>
                    <div class="grid">
                        <div class="field">
                            <label for="account-language">{t(Key::Language)}</label>
                            <select id="account-language" on:change=move |ev| language.set(event_target_value(&ev))>
                                {Lang::ALL.into_iter().map(|l| {
                                    let code = l.to_api().as_str();
                                    view! { <option value=code selected=move || language.get() == code>{l.endonym()}</option> }
                                }).collect_view()}
                            </select>
                        </div>
                        <div class="field">
                            <label for="account-password">{t(Key::NewPassword)}</label>
                            <input
                                id="account-password"
                                type="password"
                                autocomplete="new-password"
                                prop:value=move || password.get()
                                on:input=move |ev| password.set(event_target_value(&ev))
                            />
                        </div>
                        <div class="field checkbox">
                            <input
                                id="account-disabled"
                                type="checkbox"
                                prop:checked=move || disabled.get()
                                on:change=move |ev| disabled.set(event_target_checked(&ev))
                            />
                            <label for="account-disabled">{t(Key::AccountDisabled)}</label>
                        </div>
                    </div>
                    <div class="actions">
                        <button type="submit" disabled=move || pending.get()>{t(Key::Save)}</button>
                    </div>
                </form>
            })}
        </section>
    }
}

/// Role + organisation + region inputs, shared by "assign role" and "create account".
#[derive(Clone, Copy)]
struct RoleInputs {
    role: RwSignal<String>,
    organisation: RwSignal<String>,
    region: RwSignal<String>,
}

impl RoleInputs {
    fn new() -> Self {
        Self {
            role: RwSignal::new(Role::SchoolStaff.as_str().to_string()),
            organisation: RwSignal::new(String::new()),
            region: RwSignal::new(String::new()),
        }
    }

    fn role(self) -> Role {
        Role::parse(&self.role.get_untracked())
    }
}

macro_rules! role_input {
    ($module:ident, $inputs:expr) => {{
        let role = $inputs.role();
        let (org, region) = scope_of(role);
        gql::$module::RoleAssignmentInput {
            role,
            organisation_id: if org {
                non_empty($inputs.organisation.get_untracked())
            } else {
                None
            },
            region_kato: if region {
                non_empty($inputs.region.get_untracked())
            } else {
                None
            },
            allowed_operations: None,
            allowed_fields: None,
        }
    }};
}

#[component]
fn RoleFields(prefix: &'static str, inputs: RoleInputs, regions: Regions) -> impl IntoView {
    let org_search = RwSignal::new(String::new());
    let orgs = LocalResource::new(move || {
        let vars = gql::organisations::Variables {
            filter: Some(gql::organisations::OrganisationFilter {
                search: non_empty(org_search.get()),
                kind: None,
                region_kato: None,
            }),
            first: Some(20),
            after: None,
        };
        async move {
            api::call::<gql::Organisations>(vars)
                .await
                .map(|d| d.organisations.nodes)
        }
    });
    let role_id = format!("{prefix}-role");
    let search_id = format!("{prefix}-org-search");
    let org_id = format!("{prefix}-org");
    let region_id: &'static str = if prefix == "new" {
        "new-region"
    } else {
        "assign-region"
    };
    let scope = move || scope_of(Role::parse(&inputs.role.get()));
    view! {
        <div class="field">
            <label for=role_id.clone()>{t(Key::Role)}</label>
            <select id=role_id on:change=move |ev| inputs.role.set(event_target_value(&ev))>
                {Role::ALL
                    .iter()
                    // Machines' roles and pupils' logins have flows of their own.
                    .filter(|r| !matches!(r, Role::Integration | Role::Device | Role::Pupil))
                    .map(|r| {
                        let code = r.as_str();
                        view! {
                            <option value=code selected=move || inputs.role.get() == code>
                                {t(role_key(*r))}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
        </div>
        {move || {
            scope()
                .0
                .then(|| {
                    view! {
                        <div class="field">
                            <label for=search_id.clone()>{t(Key::SearchOrganisations)}</label>
                            <input
                                id=search_id.clone()
                                type="search"
                                prop:value=move || org_search.get()
                                on:input=move |ev| org_search.set(event_target_value(&ev))
                            />
                        </div>
                        <div class="field">
                            <label for=org_id.clone()>{t(Key::Organisation)}</label>
                            <select id=org_id.clone() on:change=move |ev| inputs.organisation.set(event_target_value(&ev))>
                                <option value="">{t(Key::NotSet)}</option>
                                {move || {
                                    let l = lang();
                                    orgs.get()
                                        .and_then(Result::ok)
                                        .unwrap_or_default()
                                        .into_iter()
                                        .map(|o| {
                                            let oid = o.id.clone();
                                            view! {
                                                <option value=o.id.clone() selected=move || inputs.organisation.get() == oid>
                                                    {format!("{} · {}", names_of(&o.name_kk, &o.name_ru, &o.name_en, l), o.bin)}
                                                </option>
                                            }
                                        })
                                        .collect_view()
                                }}
                            </select>
                        </div>
                    }
                })
        }}
        {move || {
            scope()
                .1
                .then(|| {
                    view! {
                        <RegionSelect id=region_id label=Key::Region value=inputs.region empty=Key::NotSet regions=regions/>
                    }
                })
        }}
    }
}

#[component]
fn AssignRoleForm(
    account_id: String,
    regions: Regions,
    on_change: Callback<String>,
) -> impl IntoView {
    let inputs = RoleInputs::new();
    let error: RwSignal<Option<ApiError>> = RwSignal::new(None);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        error.set(None);
        let vars = gql::assign_role::Variables {
            account_id: account_id.clone(),
            input: role_input!(assign_role, inputs),
        };
        leptos::task::spawn_local(async move {
            match api::send::<gql::AssignRole>(vars, Vec::new()).await {
                Ok(_) => on_change.run(lang().text(Key::RoleAssigned).to_string()),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <h3>{t(Key::AssignRole)}</h3>
        <form on:submit=on_submit id="assign-role-form">
            <div class="grid">
                <RoleFields prefix="assign" inputs=inputs regions=regions/>
            </div>
            {move || error.get().map(|e| view! { <ErrorBox error=e/> })}
            <div class="actions">
                <button type="submit">{t(Key::AssignRole)}</button>
            </div>
        </form>
    }
}

#[component]
fn CreateAccountForm(regions: Regions, on_done: Callback<Option<String>>) -> impl IntoView {
    let login = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let language = RwSignal::new(Language::Kk.as_str().to_string());
    let person_search = RwSignal::new(String::new());
    let person = RwSignal::new(String::new());
    let inputs = RoleInputs::new();
    let error: RwSignal<Option<ApiError>> = RwSignal::new(None);
    let pending = RwSignal::new(false);
    let persons = LocalResource::new(move || {
        let search = non_empty(person_search.get());
        async move {
            let Some(search) = search else {
                return Ok(Vec::new());
            };
            api::call::<gql::Persons>(gql::persons::Variables {
                filter: Some(gql::persons::PersonFilter {
                    iin: None,
                    search: Some(search),
                }),
                first: Some(20),
            })
            .await
            .map(|d| d.persons.nodes)
        }
    });

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        error.set(None);
        pending.set(true);
        let vars = gql::create_account::Variables {
            input: gql::create_account::CreateAccountInput {
                login: login.get_untracked().trim().to_string(),
                password: password.get_untracked(),
                language: Language::parse(&language.get_untracked()),
                person_id: non_empty(person.get_untracked()),
                roles: vec![role_input!(create_account, inputs)],
            },
        };
        leptos::task::spawn_local(async move {
            let r = api::call::<gql::CreateAccount>(vars).await;
            pending.set(false);
            match r {
                Ok(d) => on_done.run(Some(fill(
                    lang().text(Key::AccountCreated),
                    &[("login", d.create_account.login)],
                ))),
                Err(e) => error.set(Some(e)),
            }
        });
    };

    view! {
        <section class="panel" aria-labelledby="new-account-title" id="account-form">
            <h2 id="new-account-title">{t(Key::NewAccount)}</h2>
            <form on:submit=on_submit>
                <div class="grid">
                    <div class="field">
                        <label for="new-login">{t(Key::LoginLabel)}</label>
                        <input
                            id="new-login"
                            type="text"
                            autocomplete="off"
                            required=true
                            prop:value=move || login.get()
                            on:input=move |ev| login.set(event_target_value(&ev))
                        />
                    </div>
                    <div class="field">
                        <label for="new-password">{t(Key::PasswordLabel)}</label>
                        <input
                            id="new-password"
                            type="password"
                            autocomplete="new-password"
                            required=true
                            prop:value=move || password.get()
                            on:input=move |ev| password.set(event_target_value(&ev))
                        />
                    </div>
                    <div class="field">
                        <label for="new-language">{t(Key::Language)}</label>
                        <select id="new-language" on:change=move |ev| language.set(event_target_value(&ev))>
                            {Lang::ALL.into_iter().map(|l| {
                                let code = l.to_api().as_str();
                                view! { <option value=code selected=move || language.get() == code>{l.endonym()}</option> }
                            }).collect_view()}
                        </select>
                    </div>
                    <div class="field">
                        <label for="new-person-search">{t(Key::SearchPersons)}</label>
                        <input
                            id="new-person-search"
                            type="search"
                            prop:value=move || person_search.get()
                            on:input=move |ev| person_search.set(event_target_value(&ev))
                        />
                    </div>
                    <div class="field">
                        <label for="new-person">{t(Key::Person)}</label>
                        <select id="new-person" on:change=move |ev| person.set(event_target_value(&ev))>
                            <option value="">{t(Key::NotSet)}</option>
                            {move || persons.get().and_then(Result::ok).unwrap_or_default().into_iter().map(|p| {
                                let pid = p.id.clone();
                                view! { <option value=p.id.clone() selected=move || person.get() == pid>{p.full_name}</option> }
                            }).collect_view()}
                        </select>
                    </div>
                    <RoleFields prefix="new" inputs=inputs regions=regions/>
                </div>
                {move || error.get().map(|e| view! { <ErrorBox error=e/> })}
                <div class="actions">
                    <button type="submit" disabled=move || pending.get()>{t(Key::CreateAccount)}</button>
                    <button type="button" class="secondary" on:click=move |_| on_done.run(None)>{t(Key::Cancel)}</button>
                </div>
            </form>
        </section>
    }
}
