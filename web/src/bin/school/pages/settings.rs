//! The school's settings, for its administrator: when lessons start and how many minutes after
//! that a pupil may enter before counting late, whether the canteen serves paying pupils on
//! credit and down to what limit; the school's turnstiles and tills, and registering one (its
//! client secret shown this once, to enter into the device).

use leptos::prelude::*;

use crate::api::{self, ApiError, ErrorCode};
use crate::format;
use crate::gql::school::{self as gs, DeviceKind};
use crate::i18n::Key;
use crate::pages::common::with_school;
use crate::ui::{PageTitle, explained_error_view, fill, lang, loaded, local_time, t, table};

type Profile = gs::school_settings::SchoolSettingsSchoolProfile;
type Registered = gs::school_register_device::SchoolRegisterDeviceRegisterSchoolDevice;

#[component]
pub fn SettingsPage() -> impl IntoView {
    view! {
        <PageTitle key=Key::NavSchoolSettings/>
        {with_school(|s| view! { <ProfileForm school=s.clone()/> <Devices school=s/> }.into_any())}
    }
}

/// The text for a refusal of the settings the API states by its field.
fn explain_profile(e: &ApiError) -> Option<Key> {
    if e.code != ErrorCode::BadUserInput {
        return None;
    }
    [
        ("lessonsStart", Key::SchoolLessonsStartWrong),
        ("lateGraceMinutes", Key::SchoolLateGraceWrong),
        ("creditLimit", Key::SchoolCreditLimitWrong),
    ]
    .into_iter()
    .find(|(field, _)| e.is_about(field))
    .map(|(_, key)| key)
}

/// The text for a refused registration: a client ID that is malformed or taken.
fn explain_device(e: &ApiError) -> Option<Key> {
    match e.code {
        ErrorCode::BadUserInput if e.is_about("clientId") => Some(Key::SchoolClientIdHint),
        ErrorCode::Conflict => Some(Key::SchoolClientIdTaken),
        _ => None,
    }
}

/// A whole number typed into a field; what is not one goes to the API as -1, which it refuses
/// by the field.
fn whole(text: &str) -> i64 {
    text.trim().parse().unwrap_or(-1)
}

#[component]
fn ProfileForm(school: String) -> impl IntoView {
    let school = StoredValue::new(school);
    let data = api::query::<gs::SchoolSettings>(move || gs::school_settings::Variables {
        school_id: school.get_value(),
    });
    view! {
        <section class="panel" aria-labelledby="profile-title">
            <h2 id="profile-title">{t(Key::SchoolDayAndCanteen)}</h2>
            <p class="hint">{t(Key::SchoolSettingsHint)}</p>
            {move || loaded(data.get(), move |d| {
                view! { <ProfileFields school=school.get_value() profile=d.school_profile/> }.into_any()
            })}
        </section>
    }
}

#[component]
fn ProfileFields(school: String, profile: Profile) -> impl IntoView {
    let school = StoredValue::new(school);
    let start = RwSignal::new(profile.lessons_start);
    let grace = RwSignal::new(profile.late_grace_minutes.to_string());
    let allow = RwSignal::new(profile.allow_credit);
    let limit = RwSignal::new(profile.credit_limit.to_string());
    let error: RwSignal<Option<ApiError>> = RwSignal::new(None);
    let saved = RwSignal::new(false);
    let busy = RwSignal::new(false);
    // Whether the API refused the form because of this field.
    let wrong = move |field: &'static str| {
        move || {
            error
                .with(|e| e.as_ref().is_some_and(|e| e.is_about(field)))
                .then_some("true")
        }
    };
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        saved.set(false);
        error.set(None);
        let credit = allow.get_untracked();
        let input = gs::school_save_profile::SchoolProfileInput {
            lessons_start: start.get_untracked(),
            late_grace_minutes: whole(&grace.get_untracked()),
            allow_credit: credit,
            // Without credit the limit is zero.
            credit_limit: if credit {
                whole(&limit.get_untracked())
            } else {
                0
            },
        };
        leptos::task::spawn_local(async move {
            let vars = gs::school_save_profile::Variables {
                school_id: school.get_value(),
                input,
            };
            match api::call::<gs::SchoolSaveProfile>(vars).await {
                Ok(d) => {
                    // The values as the API keeps them (`8:05` is `08:05`).
                    let p = d.save_school_profile;
                    start.set(p.lessons_start);
                    grace.set(p.late_grace_minutes.to_string());
                    allow.set(p.allow_credit);
                    limit.set(p.credit_limit.to_string());
                    saved.set(true);
                }
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    };
    // A change hides the last "saved".
    let edit = move |sig: RwSignal<String>, ev: leptos::ev::Event| {
        sig.set(event_target_value(&ev));
        saved.set(false);
    };
    view! {
        <form id="profile-form" on:submit=on_submit>
            <div class="form-row">
                <div class="field">
                    <label for="lessons-start">{t(Key::SchoolLessonsStart)}</label>
                    <input id="lessons-start" type="time" required=true aria-invalid=wrong("lessonsStart")
                        prop:value=move || start.get() on:input=move |ev| edit(start, ev)/>
                </div>
                <div class="field">
                    <label for="late-grace">{t(Key::SchoolLateGrace)}</label>
                    <input id="late-grace" type="number" min="0" max="120" step="1" inputmode="numeric" required=true
                        aria-invalid=wrong("lateGraceMinutes")
                        prop:value=move || grace.get() on:input=move |ev| edit(grace, ev)/>
                </div>
            </div>
            <div class="field checkbox">
                <input type="checkbox" id="allow-credit" prop:checked=move || allow.get() on:change=move |ev| {
                    allow.set(event_target_checked(&ev));
                    saved.set(false);
                }/>
                <label for="allow-credit">{t(Key::SchoolAllowCredit)}</label>
            </div>
            <div class="form-row">
                <div class="field">
                    <label for="credit-limit">{t(Key::SchoolCreditLimit)}</label>
                    <input id="credit-limit" type="number" min="0" step="1" inputmode="numeric" required=true
                        aria-invalid=wrong("creditLimit")
                        disabled=move || !allow.get()
                        prop:value=move || limit.get() on:input=move |ev| edit(limit, ev)/>
                </div>
            </div>
            <p class="actions">
                <button type="submit" id="profile-save" disabled=move || busy.get()>{t(Key::Save)}</button>
            </p>
        </form>
        {move || saved.get().then(|| view! {
            <div class="alert success" role="status" id="profile-saved">{t(Key::SchoolSettingsSaved)}</div>
        })}
        {explained_error_view(error, explain_profile)}
    }
}

fn kind_key(kind: Option<DeviceKind>) -> Option<Key> {
    match kind {
        Some(DeviceKind::Turnstile) => Some(Key::SchoolDeviceTurnstile),
        Some(DeviceKind::Till) => Some(Key::SchoolDeviceTill),
        Some(DeviceKind::Unknown) | None => None,
    }
}

#[component]
fn Devices(school: String) -> impl IntoView {
    let school = StoredValue::new(school);
    let reload = RwSignal::new(0u32);
    let data = api::query::<gs::SchoolDevices>(move || {
        reload.track();
        gs::school_devices::Variables {
            school_id: school.get_value(),
        }
    });
    let kind = RwSignal::new(DeviceKind::Turnstile);
    let name = RwSignal::new(String::new());
    let client_id = RwSignal::new(String::new());
    let error: RwSignal<Option<ApiError>> = RwSignal::new(None);
    let registered: RwSignal<Option<Registered>> = RwSignal::new(None);
    let busy = RwSignal::new(false);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        error.set(None);
        registered.set(None);
        let vars = gs::school_register_device::Variables {
            school_id: school.get_value(),
            kind: kind.get_untracked(),
            name: name.get_untracked().trim().to_string(),
            client_id: client_id.get_untracked().trim().to_string(),
        };
        leptos::task::spawn_local(async move {
            match api::call::<gs::SchoolRegisterDevice>(vars).await {
                Ok(d) => {
                    registered.set(Some(d.register_school_device));
                    name.set(String::new());
                    client_id.set(String::new());
                    reload.update(|n| *n += 1);
                    // On a phone the secret opens below the fold: bring it into view.
                    request_animation_frame(|| {
                        if let Some(el) = document().get_element_by_id("device-registered") {
                            el.scroll_into_view();
                        }
                    });
                }
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    };
    let list = move || {
        loaded(data.get(), |d| {
            let l = lang();
            if d.school_devices.is_empty() {
                return view! { <p class="muted" id="no-devices">{l.text(Key::SchoolNoDevicesYet)}</p> }
                    .into_any();
            }
            let rows = d
                .school_devices
                .into_iter()
                .map(|dev| {
                    let kind = kind_key(dev.kind).map(|k| l.text(k)).unwrap_or_default();
                    let seen = match &dev.last_seen_at {
                        Some(at) => local_time(l, at),
                        None => l.text(Key::SchoolNever).to_string(),
                    };
                    view! {
                        <tr class="device-row">
                            <td>{kind}</td>
                            <td>{dev.name}</td>
                            <td>{local_time(l, &dev.registered_at)}</td>
                            <td>{seen}</td>
                            <td class="num">{format::number(l, dev.last_seq)}</td>
                        </tr>
                    }
                })
                .collect_view()
                .into_any();
            table(
                l,
                "school-devices",
                "",
                &[
                    Key::Kind,
                    Key::SchoolDevice,
                    Key::SchoolRegisteredAt,
                    Key::SchoolLastEvent,
                    Key::SchoolLastSeq,
                ],
                rows,
            )
        })
    };
    let option = move |k: DeviceKind, label: Key| {
        view! { <option value=k.as_str() selected=move || kind.get() == k>{t(label)}</option> }
    };
    view! {
        <section class="panel" aria-labelledby="devices-title">
            <h2 id="devices-title">{t(Key::SchoolDevices)}</h2>
            {list}
            <h3 id="register-device-title">{t(Key::SchoolRegisterDevice)}</h3>
            <form class="form-row" id="device-form" aria-labelledby="register-device-title" on:submit=on_submit>
                <div class="field">
                    <label for="device-kind">{t(Key::Kind)}</label>
                    <select id="device-kind" on:change=move |ev| kind.set(DeviceKind::parse(&event_target_value(&ev)))>
                        {option(DeviceKind::Turnstile, Key::SchoolDeviceTurnstile)}
                        {option(DeviceKind::Till, Key::SchoolDeviceTill)}
                    </select>
                </div>
                <div class="field">
                    <label for="device-name">{t(Key::Name)}</label>
                    <input id="device-name" required=true autocomplete="off"
                        prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev))/>
                </div>
                <div class="field">
                    <label for="device-client-id">{t(Key::ClientIdLabel)}</label>
                    <input id="device-client-id" required=true autocomplete="off" autocapitalize="off" spellcheck="false"
                        minlength="3" maxlength="64" aria-describedby="device-client-id-hint"
                        aria-invalid=move || error.with(|e| e.as_ref().is_some_and(|e| e.is_about("clientId") || e.code == ErrorCode::Conflict)).then_some("true")
                        prop:value=move || client_id.get() on:input=move |ev| client_id.set(event_target_value(&ev))/>
                </div>
                <button type="submit" id="register-device" disabled=move || busy.get()>{t(Key::SchoolRegisterDevice)}</button>
            </form>
            <p class="hint" id="device-client-id-hint">{t(Key::SchoolClientIdHint)}</p>
            {explained_error_view(error, explain_device)}
            {move || registered.get().map(secret_box)}
        </section>
    }
}

/// The new device's client ID and secret, shown this once, marked as such.
fn secret_box(r: Registered) -> impl IntoView {
    let name = r.device.name;
    let title = move || {
        fill(
            lang().text(Key::SchoolDeviceRegistered),
            &[("name", name.clone())],
        )
    };
    view! {
        <div class="alert warn" role="status" id="device-registered">
            <strong>{title}</strong>
            <dl class="facts">
                <div class="dl-row">
                    <dt>{t(Key::ClientIdLabel)}</dt>
                    <dd><code id="device-client">{r.client_id}</code></dd>
                </div>
                <div class="dl-row">
                    <dt>{t(Key::SsoSecret)}</dt>
                    <dd><code class="hash" id="device-secret">{r.client_secret}</code></dd>
                </div>
            </dl>
            <p><strong>{t(Key::SchoolDeviceSecretNote)}</strong></p>
        </div>
    }
}
