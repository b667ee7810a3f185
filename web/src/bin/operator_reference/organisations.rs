//! The organisations: the register filtered by name or BIN, kind and region; an
//! administrator creates and edits them (the BIN checked as it is typed); everyone reads each
//! one's history (kind, locality and activity code, with the date each takes effect).

use leptos::prelude::*;

use crate::PAGE;
use crate::api::{self, ApiError, ErrorCode};
use crate::gql::{self, OrganisationKind};
use crate::history::{SINCE_EVER, from_text, recorded_text, source_text, toggle};
use crate::i18n::{Key, Lang};
use crate::ident::{self, IdentError};
use crate::reference::{RegionSelect, Regions, load_regions, names_of, region_name};
use crate::ui::{
    Cursor, ErrorBox, Loading, PageTitle, Pager, can_write, fill, lang, loaded, non_empty, t, table,
};
use adal_web::labels::kind_key;

type OrgPeriod = gql::organisation_history::OrganisationHistoryOrganisationHistory;
type PeriodLocality = gql::organisation_history::OrganisationHistoryOrganisationHistoryLocality;

#[component]
fn ReadOnlyNote() -> impl IntoView {
    view! { <p class="alert info" id="read-only">{t(Key::ReadOnlyNotice)}</p> }
}

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
    // The organisation whose history is open (one at a time).
    let open: RwSignal<Option<String>> = RwSignal::new(None);
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
                        let history_label = fill(l.text(Key::RefHistoryOf), &[("name", name.clone())]);
                        let history_id = format!("org-history-{}", o.id);
                        let oid = o.id.clone();
                        let is_open = Signal::derive(move || open.with(|x| x.as_ref() == Some(&oid)));
                        let oid = o.id.clone();
                        let on_toggle = move || {
                            open.update(|x| {
                                *x = if x.as_ref() == Some(&oid) { None } else { Some(oid.clone()) };
                            })
                        };
                        // The values as they are now: the history of an organisation kept
                        // without one (created by a feed) is these, from the start.
                        let now = OrgPeriod {
                            effective_from: SINCE_EVER.to_string(),
                            kind: o.kind,
                            locality: o.locality.as_ref().map(|x| PeriodLocality {
                                kato: x.kato.clone(),
                                name_kk: x.name_kk.clone(),
                                name_ru: x.name_ru.clone(),
                                name_en: x.name_en.clone(),
                            }),
                            region_kato: o.region.as_ref().map(|x| x.kato.clone()),
                            activity_code: None,
                            recorded_at: String::new(),
                            import_batch_id: None,
                        };
                        let id = o.id.clone();
                        let history = move || {
                            is_open.get().then(|| {
                                view! {
                                    <OrgHistory
                                        id=id.clone()
                                        now=now.clone()
                                        regions=regions
                                    />
                                }
                            })
                        };
                        view! {
                            <tr>
                                <td>
                                    <code>{o.bin.clone()}</code>
                                </td>
                                <td>{name}</td>
                                <td>{t(kind_key(o.kind))}</td>
                                <td>{region}</td>
                                <td>
                                    {toggle(history_label, history_id.clone(), is_open, on_toggle)}
                                    {writer
                                        .then(|| {
                                            view! {
                                                " "
                                                <button
                                                    type="button"
                                                    class="link edit"
                                                    aria-label=label
                                                    on:click=move |_| {
                                                        saved.set(None);
                                                        editing.set(Some(draft.clone()));
                                                    }
                                                >
                                                    {t(Key::Edit)}
                                                </button>
                                            }
                                        })}
                                </td>
                            </tr>
                            <tr id=history_id hidden=move || !is_open.get()>
                                <td colspan="5">{history}</td>
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
    // The day a change of kind, locality or region takes effect (empty: the API's default).
    let effective = RwSignal::new(String::new());
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
        let effective_from = non_empty(effective.get_untracked());
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
                        effective_from,
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
                    {(!creating).then(|| {
                        let too_early = move || {
                            field_error.with(|e| e.as_ref().is_some_and(|e| e.is_about("effectiveFrom")))
                        };
                        view! {
                            <div class="field">
                                <label for="org-effective-input">{t(Key::RefHistoryFrom)}</label>
                                <input
                                    id="org-effective-input"
                                    type="date"
                                    aria-describedby="org-effective-hint"
                                    aria-invalid=move || if too_early() { "true" } else { "false" }
                                    prop:value=move || effective.get()
                                    on:input=move |ev| effective.set(event_target_value(&ev))
                                />
                                <p class="hint" id="org-effective-hint" aria-live="polite">
                                    {move || t(if too_early() { Key::RefChangeTooEarly } else { Key::RefChangeFromHint })()}
                                </p>
                            </div>
                        }
                    })}
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

/// An organisation's history, loaded when it is opened: from when each version holds (the
/// first "from the start"), its kind, locality (or region) and activity code, when and by what
/// it was recorded. `now` is the organisation's values as they are (shown from the start
/// when it has no history). Each version names its own locality, a past one too.
#[component]
fn OrgHistory(id: String, now: OrgPeriod, regions: Regions) -> impl IntoView {
    let data = api::query::<gql::OrganisationHistory>(move || {
        gql::organisation_history::Variables { id: id.clone() }
    });
    move || {
        loaded(data.get(), |d| {
            let l = lang();
            let mut periods = d.organisation.history;
            if periods.is_empty() {
                periods.push(now.clone());
            }
            periods.sort_by(|a, b| {
                (&a.effective_from, &a.recorded_at).cmp(&(&b.effective_from, &b.recorded_at))
            });
            let rows = periods
                .into_iter()
                .map(|p| {
                    let place = match (&p.locality, &p.region_kato) {
                        (Some(x), _) => names_of(&x.name_kk, &x.name_ru, &x.name_en, l),
                        (None, Some(r)) => region_name(regions, r, l).unwrap_or_else(|| r.clone()),
                        (None, None) => l.text(Key::NotSet).to_string(),
                    };
                    // A version the API recorded, or the values as they are (no history).
                    let recorded = (!p.recorded_at.is_empty()).then_some(p.recorded_at.as_str());
                    let source = match recorded {
                        Some(_) => source_text(l, p.import_batch_id.as_deref()),
                        None => "—".to_string(),
                    };
                    view! {
                        <tr>
                            <td>{from_text(l, &p.effective_from)}</td>
                            <td>{l.text(kind_key(p.kind))}</td>
                            <td>{place}</td>
                            <td>{p.activity_code.clone().unwrap_or_else(|| "—".to_string())}</td>
                            <td>{recorded_text(l, recorded)}</td>
                            <td>{source}</td>
                        </tr>
                    }
                })
                .collect_view()
                .into_any();
            table(
                l,
                "",
                "history",
                &[
                    Key::RefHistoryFrom,
                    Key::Kind,
                    Key::Locality,
                    Key::RefActivityCode,
                    Key::RefHistoryRecorded,
                    Key::RefHistorySource,
                ],
                rows,
            )
        })
    }
}
