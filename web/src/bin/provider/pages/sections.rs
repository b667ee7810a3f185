//! The organisation's sections: direction, price, ages, places, schedule and address, with
//! the children whose vouchers are used there this month; and the form that lists a new
//! section. A listed section cannot be edited: the API has no mutation for it yet.

use leptos::prelude::*;

use super::{Own, day_key, direction_key, refusal_view, this_month};
use crate::api::{self, ApiError};
use crate::format;
use crate::gql::{self, ClubDirection, ProviderStatus};
use crate::i18n::Key;
use crate::ui::{EmptyState, PageTitle, fill, lang, loaded, non_empty, t};

#[component]
pub fn SectionsPage() -> impl IntoView {
    let reload = RwSignal::new(0u32);
    // Outside the list: the form is drawn anew when the list reloads after a creation.
    let created = RwSignal::new(false);
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
                    <p class="hint">{t(Key::ProviderSectionsNoEdit)}</p>
                    <div class="cards sections" id="sections">
                        {own.sections.into_iter().map(|s| view! { <SectionCard s=s/> }).collect_view()}
                    </div>
                }
                .into_any()
            };
            view! {
                {standing}
                {cards}
                {approved.map(|(org, region)| view! { <NewSection org=org region=region reload=reload created=created/> })}
            }
            .into_any()
        })}
    }
}

#[component]
fn SectionCard(s: gql::provider_sections::ProviderSectionsVoucherSections) -> impl IntoView {
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
    view! {
        <article class="card section" data-id=id>
            <h2>{s.name.clone()}</h2>
            <dl class="section-facts">{facts}</dl>
            <h3>{t(Key::ProviderEnrolledNow)}</h3>
            <Enrolled section=s.id/>
        </article>
    }
}

/// The children whose vouchers are used at a section this month.
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
                        .map(|r| view! { <li>{r.child_name.unwrap_or_default()}</li> })
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
        Self {
            day: RwSignal::new("1".into()),
            start: RwSignal::new("16:00".into()),
            end: RwSignal::new("17:00".into()),
        }
    }
}

/// `HH:MM` as minutes of the day.
fn minutes(s: &str) -> Option<u32> {
    let (h, m) = s.trim().split_once(':')?;
    let (h, m): (u32, u32) = (h.parse().ok()?, m.parse().ok()?);
    (h < 24 && m < 60 && s.trim().len() == 5).then_some(h * 60 + m)
}

#[component]
fn NewSection(
    org: String,
    region: String,
    reload: RwSignal<u32>,
    created: RwSignal<bool>,
) -> impl IntoView {
    let name = RwSignal::new(String::new());
    let direction = RwSignal::new(ClubDirection::Sport);
    let age_min = RwSignal::new("6".to_string());
    let age_max = RwSignal::new("14".to_string());
    let capacity = RwSignal::new("15".to_string());
    let price = RwSignal::new(String::new());
    let address = RwSignal::new(String::new());
    let locality = RwSignal::new(String::new());
    let sessions = RwSignal::new(vec![(0usize, Session::new())]);
    let next_id = StoredValue::new(1usize);
    let invalid: RwSignal<Option<Key>> = RwSignal::new(None);
    let error: RwSignal<Option<ApiError>> = RwSignal::new(None);
    let (org, region) = (StoredValue::new(org), StoredValue::new(region));

    let input = move || -> Result<gql::create_section::VoucherSectionInput, Key> {
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
                            Ok(gql::create_section::VoucherSessionTimeInput {
                                day,
                                start: start.trim().to_string(),
                                end: end.trim().to_string(),
                            })
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
        Ok(gql::create_section::VoucherSectionInput {
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
        created.set(false);
        error.set(None);
        let input = match input() {
            Ok(i) => i,
            Err(k) => {
                invalid.set(Some(k));
                return;
            }
        };
        invalid.set(None);
        let sent =
            api::send::<gql::CreateSection>(gql::create_section::Variables { input }, Vec::new());
        leptos::task::spawn_local(async move {
            match sent.await {
                Ok(()) => {
                    created.set(true);
                    name.set(String::new());
                    reload.update(|n| *n += 1);
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let text_field = move |id: &'static str,
                           label: Key,
                           sig: RwSignal<String>,
                           kind: &'static str| {
        view! {
            <div class="field">
                <label for=id>{t(label)}</label>
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
                            <label for=format!("sec-day-{i}")>{t(Key::ProviderDay)}</label>
                            <select id=format!("sec-day-{i}") on:change=move |ev| s.day.set(event_target_value(&ev))>{days}</select>
                        </div>
                        <div class="field">
                            <label for=format!("sec-start-{i}")>{t(Key::ProviderStart)}</label>
                            <input id=format!("sec-start-{i}") type="time" prop:value=move || s.start.get() on:input=move |ev| s.start.set(event_target_value(&ev))/>
                        </div>
                        <div class="field">
                            <label for=format!("sec-end-{i}")>{t(Key::ProviderEnd)}</label>
                            <input id=format!("sec-end-{i}") type="time" prop:value=move || s.end.get() on:input=move |ev| s.end.set(event_target_value(&ev))/>
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
    view! {
        <form class="panel" id="section-form" on:submit=on_submit novalidate=true>
            <h2>{t(Key::ProviderNewSection)}</h2>
            <div class="grid">
                {text_field("sec-name", Key::ProviderSectionName, name, "text")}
                <div class="field">
                    <label for="sec-direction">{t(Key::ProviderDirection)}</label>
                    <select id="sec-direction" on:change=move |ev| direction.set(ClubDirection::parse(&event_target_value(&ev)))>
                        {ClubDirection::ALL
                            .iter()
                            .map(|d| view! { <option value=d.as_str()>{t(direction_key(Some(*d)))}</option> })
                            .collect_view()}
                    </select>
                </div>
                {text_field("sec-age-min", Key::ProviderAgeMin, age_min, "number")}
                {text_field("sec-age-max", Key::ProviderAgeMax, age_max, "number")}
                {text_field("sec-capacity", Key::ProviderCapacity, capacity, "number")}
                {text_field("sec-price", Key::ProviderPrice, price, "number")}
                {text_field("sec-address", Key::ProviderAddress, address, "text")}
                {text_field("sec-locality", Key::ProviderLocality, locality, "text")}
            </div>
            <fieldset>
                <legend>{t(Key::ProviderSessions)}</legend>
                {session_rows}
                <button type="button" class="secondary" id="sec-add-session" on:click=move |_| {
                    let key = next_id.get_value();
                    next_id.set_value(key + 1);
                    sessions.update(|l| l.push((key, Session::new())));
                }>{t(Key::ProviderAddSession)}</button>
            </fieldset>
            {move || invalid.get().map(|k| view! { <p class="alert error" role="alert" id="section-invalid">{t(k)}</p> })}
            {refusal_view(error)}
            {move || created.get().then(|| view! { <p class="alert success" role="status" id="section-created">{t(Key::ProviderSectionCreated)}</p> })}
            <button type="submit" id="sec-create">{t(Key::ProviderCreateSection)}</button>
        </form>
    }
}
