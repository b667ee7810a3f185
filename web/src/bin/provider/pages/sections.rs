//! The organisation's sections: direction, price, ages, places, schedule and address, with
//! the children whose vouchers are used there this month, each with the conversation about
//! the child's application; one form that lists a new section or changes a listed one (its
//! direction stays; its places never fall below the children enrolled, which the API checks).

use leptos::prelude::*;

use super::{Own, day_key, direction_key, refusal_view, this_month};
use crate::api::{self, ApiError};
use crate::format;
use crate::gql::{self, ClubDirection, ProviderStatus, VoucherThreadKind};
use crate::i18n::Key;
use crate::ui::{EmptyState, PageTitle, fill, lang, loaded, non_empty, t};
use adal_web::conversation::Conversation;

#[component]
pub fn SectionsPage() -> impl IntoView {
    let reload = RwSignal::new(0u32);
    // Outside the list: the form is drawn anew when the list reloads after a creation.
    let created = RwSignal::new(false);
    // The section being changed, and whether a change was saved.
    let editing: RwSignal<Option<String>> = RwSignal::new(None);
    let saved = RwSignal::new(false);
    Effect::new(move |_| {
        if saved.get() {
            editing.set(None);
        }
    });
    let data = api::query::<gql::ProviderSections>(move || {
        reload.track();
        gql::provider_sections::Variables {}
    });
    view! {
        <PageTitle key=Key::ProviderNavSections/>
        {move || loaded(data.get(), move |d| {
            let own = Own::of(d);
            let approved = own
                .providers
                .iter()
                .find(|p| p.status == Some(ProviderStatus::Approved))
                .and_then(|p| Some((p.organisation.as_ref()?.id.clone(), p.region_kato.clone())));
            let standing = own.standing();
            let cards = if own.sections.is_empty() {
                view! { <EmptyState title=Key::NoDataYet text=Key::ProviderNoSections/> }.into_any()
            } else {
                view! {
                    {move || saved.get().then(|| view! { <p class="alert success" role="status" id="section-saved">{t(Key::ProviderSectionSaved)}</p> })}
                    <div class="cards sections" id="sections">
                        {own.sections.into_iter().map(|s| view! { <SectionCard s=s editing=editing reload=reload saved=saved/> }).collect_view()}
                    </div>
                }
                .into_any()
            };
            view! {
                {standing}
                {cards}
                {approved.map(|(org, region)| view! { <SectionForm org=org region=region section=None reload=reload done=created/> })}
            }
            .into_any()
        })}
    }
}

type Listed = gql::provider_sections::ProviderSectionsVoucherSections;

#[component]
fn SectionCard(
    s: Listed,
    editing: RwSignal<Option<String>>,
    reload: RwSignal<u32>,
    saved: RwSignal<bool>,
) -> impl IntoView {
    let id = s.id.clone();
    let mine = move || editing.get().as_deref() == Some(id.as_str());
    let listed = s.clone();
    move || {
        if mine() {
            let org = listed
                .organisation
                .as_ref()
                .map(|o| o.id.clone())
                .unwrap_or_default();
            let region = listed.region_kato.clone();
            return view! {
                <article class="card section editing" data-id=listed.id.clone()>
                    <SectionForm org=org region=region section=Some(listed.clone()) reload=reload done=saved/>
                    <button type="button" class="secondary" id="edit-cancel" on:click=move |_| editing.set(None)>{t(Key::Cancel)}</button>
                </article>
            }
            .into_any();
        }
        section_facts(listed.clone(), editing, saved).into_any()
    }
}

fn section_facts(
    s: Listed,
    editing: RwSignal<Option<String>>,
    saved: RwSignal<bool>,
) -> impl IntoView {
    let l = lang();
    let schedule = s
        .schedule
        .iter()
        .map(|x| format!("{} {}–{}", l.text(day_key(x.day)), x.start, x.end))
        .collect::<Vec<_>>()
        .join(", ");
    let ages = fill(
        l.text(Key::ProviderAgesRange),
        &[
            ("min", s.age_min.to_string()),
            ("max", s.age_max.to_string()),
        ],
    );
    let places = fill(
        l.text(Key::ProviderPlacesLeft),
        &[
            ("left", format::number(l, s.places_left)),
            ("capacity", format::number(l, s.capacity)),
        ],
    );
    let facts = [
        (
            Key::ProviderDirection,
            l.text(direction_key(s.direction)).to_string(),
        ),
        (Key::ProviderPrice, format::money(l, s.monthly_price * 100)),
        (Key::ProviderAges, ages),
        (Key::ProviderCapacity, places),
        (Key::ProviderSchedule, schedule),
        (Key::ProviderAddress, s.address.clone()),
    ]
    .into_iter()
    .map(|(k, v)| view! { <div class="dl-row"><dt>{l.text(k)}</dt><dd>{v}</dd></div> })
    .collect_view();
    let id = s.id.clone();
    let edit = s.id.clone();
    view! {
        <article class="card section" data-id=id>
            <h2>{s.name.clone()}</h2>
            <dl class="section-facts">{facts}</dl>
            <button type="button" class="secondary edit-section" on:click=move |_| {
                saved.set(false);
                editing.set(Some(edit.clone()));
            }>{t(Key::Edit)}</button>
            <h3>{t(Key::ProviderEnrolledNow)}</h3>
            <Enrolled section=s.id/>
        </article>
    }
}

/// The children whose vouchers are used at a section this month, each with the conversation
/// about the child's application (the parent's, the akimat's and the provider's).
#[component]
fn Enrolled(section: String) -> impl IntoView {
    let roster = api::query::<gql::SectionRoster>(move || gql::section_roster::Variables {
        section_id: section.clone(),
        month: this_month(),
    });
    move || {
        loaded(roster.get(), |d| {
            if d.voucher_section_roster.is_empty() {
                return view! { <p class="muted">{t(Key::ProviderNobodyEnrolled)}</p> }.into_any();
            }
            view! {
                <ul class="enrolled">
                    {d.voucher_section_roster
                        .into_iter()
                        .map(|r| {
                            let app = r.application_id;
                            view! {
                                <li data-application=app.clone()>
                                    {r.child_name.unwrap_or_default()}
                                    <Conversation kind=VoucherThreadKind::Application id=app.clone() unread=r.application_unread_messages/>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            }
            .into_any()
        })
    }
}

/// One weekly session being typed.
#[derive(Clone, Copy)]
struct Session {
    day: RwSignal<String>,
    start: RwSignal<String>,
    end: RwSignal<String>,
}

impl Session {
    fn new() -> Self {
        Self::at(1, "16:00", "17:00")
    }

    fn at(day: i64, start: &str, end: &str) -> Self {
        Self {
            day: RwSignal::new(day.to_string()),
            start: RwSignal::new(start.into()),
            end: RwSignal::new(end.into()),
        }
    }
}

/// `HH:MM` as minutes of the day.
fn minutes(s: &str) -> Option<u32> {
    let (h, m) = s.trim().split_once(':')?;
    let (h, m): (u32, u32) = (h.parse().ok()?, m.parse().ok()?);
    (h < 24 && m < 60 && s.trim().len() == 5).then_some(h * 60 + m)
}

/// A section as typed, checked: the input of either operation.
struct Fields {
    organisation_id: String,
    region_kato: String,
    name: String,
    direction: ClubDirection,
    age_min: i64,
    age_max: i64,
    /// Day of the week (1 = Monday), start and end, `HH:MM`.
    schedule: Vec<(i64, String, String)>,
    capacity: i64,
    locality_kato: Option<String>,
    address: String,
    monthly_price: i64,
}

/// [`Fields`] as the input type of the operation module `$m` (each operation has its own).
macro_rules! section_input {
    ($m:ident, $f:expr) => {{
        let f: Fields = $f;
        gql::$m::VoucherSectionInput {
            organisation_id: f.organisation_id,
            region_kato: f.region_kato,
            name: f.name,
            direction: f.direction,
            age_min: f.age_min,
            age_max: f.age_max,
            schedule: f
                .schedule
                .into_iter()
                .map(|(day, start, end)| gql::$m::VoucherSessionTimeInput { day, start, end })
                .collect(),
            capacity: f.capacity,
            locality_kato: f.locality_kato,
            address: f.address,
            monthly_price: f.monthly_price,
        }
    }};
}

/// The form that lists a new section (`section` none, fields prefixed `sec-`) or changes a
/// listed one (fields prefixed `edit-`, its direction fixed). `done` is set once saved.
#[component]
fn SectionForm(
    org: String,
    region: String,
    section: Option<Listed>,
    reload: RwSignal<u32>,
    done: RwSignal<bool>,
) -> impl IntoView {
    let p = if section.is_some() { "edit" } else { "sec" };
    let id = StoredValue::new(section.as_ref().map(|s| s.id.clone()));
    let given = |f: fn(&Listed) -> String, default: &str| {
        RwSignal::new(section.as_ref().map_or_else(|| default.to_string(), f))
    };
    let name = given(|s| s.name.clone(), "");
    let direction = RwSignal::new(
        section
            .as_ref()
            .and_then(|s| s.direction)
            .unwrap_or(ClubDirection::Sport),
    );
    let age_min = given(|s| s.age_min.to_string(), "6");
    let age_max = given(|s| s.age_max.to_string(), "14");
    let capacity = given(|s| s.capacity.to_string(), "15");
    let price = given(|s| s.monthly_price.to_string(), "");
    let address = given(|s| s.address.clone(), "");
    let locality = given(|s| s.locality_kato.clone().unwrap_or_default(), "");
    let listed: Vec<(usize, Session)> = section
        .as_ref()
        .map(|s| {
            s.schedule
                .iter()
                .enumerate()
                .map(|(i, x)| (i, Session::at(x.day, &x.start, &x.end)))
                .collect()
        })
        .filter(|l: &Vec<_>| !l.is_empty())
        .unwrap_or_else(|| vec![(0usize, Session::new())]);
    let next_id = StoredValue::new(listed.len());
    let sessions = RwSignal::new(listed);
    let invalid: RwSignal<Option<Key>> = RwSignal::new(None);
    let error: RwSignal<Option<ApiError>> = RwSignal::new(None);
    let (org, region) = (StoredValue::new(org), StoredValue::new(region));

    let input = move || -> Result<Fields, Key> {
        let name = non_empty(name.get_untracked()).filter(|n| n.len() <= 200);
        let name = name.ok_or(Key::ProviderErrName)?;
        let num = |s: RwSignal<String>| s.get_untracked().trim().parse::<i64>().ok();
        let (min, max) = (num(age_min), num(age_max));
        let (Some(min), Some(max)) = (min, max) else {
            return Err(Key::ProviderErrAges);
        };
        if !(3..=18).contains(&min) || !(min..=18).contains(&max) {
            return Err(Key::ProviderErrAges);
        }
        let schedule = sessions.with_untracked(|list| {
            list.iter()
                .map(|(_, s)| {
                    let (start, end) = (s.start.get_untracked(), s.end.get_untracked());
                    match (
                        minutes(&start),
                        minutes(&end),
                        s.day.get_untracked().parse(),
                    ) {
                        (Some(a), Some(b), Ok(day)) if a < b => {
                            Ok((day, start.trim().to_string(), end.trim().to_string()))
                        }
                        _ => Err(Key::ProviderErrSchedule),
                    }
                })
                .collect::<Result<Vec<_>, Key>>()
        })?;
        if schedule.is_empty() {
            return Err(Key::ProviderErrSchedule);
        }
        let capacity = num(capacity)
            .filter(|c| (1..=500).contains(c))
            .ok_or(Key::ProviderErrCapacity)?;
        let price = num(price)
            .filter(|p| *p >= 0)
            .ok_or(Key::ProviderErrPrice)?;
        let address = non_empty(address.get_untracked()).ok_or(Key::ProviderErrAddress)?;
        let locality = non_empty(locality.get_untracked());
        if locality
            .as_ref()
            .is_some_and(|k| k.len() != 9 || !k.chars().all(|c| c.is_ascii_digit()))
        {
            return Err(Key::ProviderErrLocality);
        }
        Ok(Fields {
            organisation_id: org.get_value(),
            region_kato: region.get_value(),
            name,
            direction: direction.get_untracked(),
            age_min: min,
            age_max: max,
            schedule,
            capacity,
            locality_kato: locality,
            address,
            monthly_price: price,
        })
    };
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        done.set(false);
        error.set(None);
        let input = match input() {
            Ok(i) => i,
            Err(k) => {
                invalid.set(Some(k));
                return;
            }
        };
        invalid.set(None);
        let sent = match id.get_value() {
            Some(id) => api::send::<gql::UpdateSection>(
                gql::update_section::Variables {
                    id,
                    input: section_input!(update_section, input),
                },
                Vec::new(),
            ),
            None => api::send::<gql::CreateSection>(
                gql::create_section::Variables {
                    input: section_input!(create_section, input),
                },
                Vec::new(),
            ),
        };
        leptos::task::spawn_local(async move {
            match sent.await {
                Ok(()) => {
                    done.set(true);
                    if id.get_value().is_none() {
                        name.set(String::new());
                    }
                    reload.update(|n| *n += 1);
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let text_field = move |field: &'static str,
                           label: Key,
                           sig: RwSignal<String>,
                           kind: &'static str| {
        let id = format!("{p}-{field}");
        view! {
            <div class="field">
                <label for=id.clone()>{t(label)}</label>
                <input id=id type=kind prop:value=move || sig.get() on:input=move |ev| sig.set(event_target_value(&ev))/>
            </div>
        }
    };
    let session_rows = move || {
        let count = sessions.with(Vec::len);
        sessions
            .get()
            .into_iter()
            .enumerate()
            .map(|(i, (key, s))| {
                let days = (1..=7i64)
                    .map(|d| view! { <option value=d.to_string() selected=move || s.day.get() == d.to_string()>{t(day_key(d))}</option> })
                    .collect_view();
                view! {
                    <div class="form-row session-row">
                        <div class="field">
                            <label for=format!("{p}-day-{i}")>{t(Key::ProviderDay)}</label>
                            <select id=format!("{p}-day-{i}") on:change=move |ev| s.day.set(event_target_value(&ev))>{days}</select>
                        </div>
                        <div class="field">
                            <label for=format!("{p}-start-{i}")>{t(Key::ProviderStart)}</label>
                            <input id=format!("{p}-start-{i}") type="time" prop:value=move || s.start.get() on:input=move |ev| s.start.set(event_target_value(&ev))/>
                        </div>
                        <div class="field">
                            <label for=format!("{p}-end-{i}")>{t(Key::ProviderEnd)}</label>
                            <input id=format!("{p}-end-{i}") type="time" prop:value=move || s.end.get() on:input=move |ev| s.end.set(event_target_value(&ev))/>
                        </div>
                        {(count > 1).then(|| view! {
                            <button type="button" class="link danger" on:click=move |_| sessions.update(|l| l.retain(|(k, _)| *k != key))>
                                {t(Key::ProviderRemoveSession)}
                            </button>
                        })}
                    </div>
                }
            })
            .collect_view()
    };
    let editing = id.get_value().is_some();
    let (title, submit) = if editing {
        (Key::ProviderEditSection, Key::ProviderSaveSection)
    } else {
        (Key::ProviderNewSection, Key::ProviderCreateSection)
    };
    let chosen = direction.get_untracked();
    view! {
        <form class="panel" id=format!("{p}-form") on:submit=on_submit novalidate=true>
            <h2>{t(title)}</h2>
            {editing.then(|| view! { <p class="hint">{t(Key::ProviderEditHint)}</p> })}
            <div class="grid">
                {text_field("name", Key::ProviderSectionName, name, "text")}
                <div class="field">
                    <label for=format!("{p}-direction")>{t(Key::ProviderDirection)}</label>
                    <select id=format!("{p}-direction") disabled=editing on:change=move |ev| direction.set(ClubDirection::parse(&event_target_value(&ev)))>
                        {ClubDirection::ALL
                            .iter()
                            .map(|d| view! { <option value=d.as_str() selected=*d == chosen>{t(direction_key(Some(*d)))}</option> })
                            .collect_view()}
                    </select>
                </div>
                {text_field("age-min", Key::ProviderAgeMin, age_min, "number")}
                {text_field("age-max", Key::ProviderAgeMax, age_max, "number")}
                {text_field("capacity", Key::ProviderCapacity, capacity, "number")}
                {text_field("price", Key::ProviderPrice, price, "number")}
                {text_field("address", Key::ProviderAddress, address, "text")}
                {text_field("locality", Key::ProviderLocality, locality, "text")}
            </div>
            <fieldset>
                <legend>{t(Key::ProviderSessions)}</legend>
                {session_rows}
                <button type="button" class="secondary" id=format!("{p}-add-session") on:click=move |_| {
                    let key = next_id.get_value();
                    next_id.set_value(key + 1);
                    sessions.update(|l| l.push((key, Session::new())));
                }>{t(Key::ProviderAddSession)}</button>
            </fieldset>
            {move || invalid.get().map(|k| view! { <p class="alert error" role="alert" id=format!("{p}-invalid")>{t(k)}</p> })}
            {refusal_view(error)}
            {move || (done.get() && !editing).then(|| view! { <p class="alert success" role="status" id="section-created">{t(Key::ProviderSectionCreated)}</p> })}
            <button type="submit" id=format!("{p}-save")>{t(submit)}</button>
        </form>
    }
}
