//! Single sign-on's resources (docs/sso.md) as the school's administrator (for their school,
//! `/school/resources`) and the operator's administrator (for any schools,
//! `/operator/oversight/resources`) manage them: the registered resources, registering one
//! (its secret shown once), disabling or enabling one with a reason, and giving one a new
//! secret after a confirmation.

use leptos::prelude::*;

use crate::api::{self, ApiError};
use crate::gql;
use crate::i18n::Key;
use crate::session::Names;
use crate::ui::{PageTitle, explained_error_view, fill, lang, loaded, non_empty, t};

type Client = gql::sso_clients::SsoClientsSsoClients;

/// A secret shown once: the resource's name and client id, and the secret.
#[derive(Clone)]
struct Secret {
    name: String,
    client_id: String,
    secret: String,
}

/// What a resource's card asks before acting.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Step {
    Idle,
    /// The reason for disabling (or enabling) it.
    Toggle,
    /// The confirmation of a new secret.
    Rotate,
}

/// The texts of the refusals the API states by a form's field.
fn explain(e: &ApiError) -> Option<Key> {
    if e.is_about("redirectUris") {
        Some(Key::SsoUrisHint)
    } else if e.is_about("reason") || e.is_about("name") {
        Some(Key::Required)
    } else {
        None
    }
}

/// `/<portal>/resources`: the resources, then the form to register one. `school`: the school a
/// school's administrator registers for; none: the operator's administrator picks schools.
#[component]
pub fn ResourcesDesk(#[prop(optional)] school: Option<String>) -> impl IntoView {
    let reload = RwSignal::new(0u32);
    let data = api::query::<gql::SsoClients>(move || {
        reload.track();
        gql::sso_clients::Variables {}
    });
    let list = move || {
        loaded(data.get(), move |d| {
            if d.sso_clients.is_empty() {
                return view! { <p class="empty-line">{t(Key::SsoNone)}</p> }.into_any();
            }
            d.sso_clients
                .into_iter()
                .map(|client| view! { <ClientCard client=client reload=reload/> })
                .collect_view()
                .into_any()
        })
    };
    view! {
        <PageTitle key=Key::SsoNav/>
        <p class="hint">{t(Key::SsoHint)}</p>
        <div id="sso-clients">{list}</div>
        <RegisterForm school=school reload=reload/>
    }
}

/// A label and its value.
fn fact(label: Key, value: impl IntoView + 'static) -> impl IntoView {
    view! {
        <div class="dl-row">
            <dt>{t(label)}</dt>
            <dd>{value}</dd>
        </div>
    }
}

fn yes_no(on: bool) -> impl IntoView {
    let (class, key) = if on {
        ("badge ok", Key::SsoYes)
    } else {
        ("badge", Key::SsoNo)
    };
    view! { <span class=class>{t(key)}</span> }
}

/// Texts as chips of code (addresses, scopes).
fn chips(items: Vec<String>) -> impl IntoView {
    let items = items
        .into_iter()
        .map(|i| view! { <li><code>{i}</code></li> })
        .collect_view();
    view! { <ul class="chips">{items}</ul> }
}

/// The secret of a resource, shown once, marked as such.
fn secret_box(s: Secret) -> impl IntoView {
    let title = move || {
        fill(
            lang().text(Key::SsoSecretTitle),
            &[("name", s.name.clone())],
        )
    };
    view! {
        <div class="alert warn sso-secret-box" role="status">
            <strong>{title}</strong>
            <dl class="facts">
                {fact(Key::ClientIdLabel, view! { <code class="sso-client-id">{s.client_id}</code> })}
                {fact(Key::SsoSecret, view! { <code class="hash sso-secret">{s.secret}</code> })}
            </dl>
            <p>{t(Key::SsoSecretNote)}</p>
        </div>
    }
}

#[component]
fn ClientCard(client: Client, reload: RwSignal<u32>) -> impl IntoView {
    let step = RwSignal::new(Step::Idle);
    let secret: RwSignal<Option<Secret>> = RwSignal::new(None);
    let error: RwSignal<Option<ApiError>> = RwSignal::new(None);
    let reason = RwSignal::new(String::new());
    let disabled = client.disabled;
    let id = StoredValue::new(client.client_id.clone());
    let field = format!("sso-reason-{}", client.client_id);
    let card_id = client.client_id.clone();
    let (status_class, status) = if disabled {
        ("badge bad", Key::Disabled)
    } else {
        ("badge ok", Key::Active)
    };
    let toggle_key = if disabled {
        Key::SsoEnable
    } else {
        Key::SsoDisable
    };
    let toggle = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let vars = gql::set_sso_client_disabled::Variables {
            client_id: id.get_value(),
            disabled: !disabled,
            reason: reason.get_untracked(),
        };
        crate::ui::act(
            api::send::<gql::SetSsoClientDisabled>(vars, Vec::new()),
            error,
            reload,
        );
    };
    let rotate = move |_| {
        error.set(None);
        let vars = gql::rotate_sso_client_secret::Variables {
            client_id: id.get_value(),
        };
        leptos::task::spawn_local(async move {
            match api::call::<gql::RotateSsoClientSecret>(vars).await {
                Ok(d) => {
                    let r = d.rotate_sso_client_secret;
                    step.set(Step::Idle);
                    secret.set(Some(Secret {
                        name: r.client.name,
                        client_id: r.client.client_id,
                        secret: r.client_secret,
                    }));
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let cancel = move |_| {
        error.set(None);
        step.set(Step::Idle);
    };
    let asked = move || {
        match step.get() {
        Step::Idle => None,
        Step::Toggle => Some(
            view! {
                <form class="sso-toggle" on:submit=toggle>
                    <label for=field.clone()>{t(Key::Reason)}</label>
                    <textarea
                        id=field.clone()
                        required
                        maxlength="500"
                        rows="2"
                        prop:value=move || reason.get()
                        on:input=move |ev| reason.set(event_target_value(&ev))
                    ></textarea>
                    {(!disabled).then(|| view! { <p class="hint">{t(Key::SsoDisableNote)}</p> })}
                    <div class="actions">
                        <button type="submit" class="sso-toggle-submit">{t(toggle_key)}</button>
                        <button type="button" class="secondary" on:click=cancel>{t(Key::Cancel)}</button>
                    </div>
                </form>
            }
            .into_any(),
        ),
        Step::Rotate => Some(
            view! {
                <div class="alert warn sso-rotate-confirm" role="alert">
                    <p>{t(Key::SsoRotateConfirm)}</p>
                    <div class="actions">
                        <button type="button" class="sso-rotate-yes" on:click=rotate>{t(Key::SsoRotateYes)}</button>
                        <button type="button" class="secondary" on:click=cancel>{t(Key::Cancel)}</button>
                    </div>
                </div>
            }
            .into_any(),
        ),
    }
    };
    view! {
        <article class="panel sso-client" data-client=card_id>
            <h2>{client.name}</h2>
            <dl class="facts">
                {fact(Key::ClientIdLabel, view! { <code>{client.client_id}</code> })}
                {fact(Key::Status, view! { <span class=status_class>{t(status)}</span> })}
                {fact(Key::SsoRedirectUris, chips(client.redirect_uris))}
                {fact(Key::SsoScopes, chips(client.scopes))}
                {fact(Key::SsoSchoolAndClass, yes_no(client.school_and_class))}
                {fact(Key::SsoPupilPin, yes_no(client.pupil_pin))}
                {fact(Key::SsoPupilLogin, yes_no(client.pupil_login))}
            </dl>
            <div class="actions">
                <button type="button" class="secondary sso-toggle-open" on:click=move |_| step.set(Step::Toggle)>
                    {t(toggle_key)}
                </button>
                <button type="button" class="secondary sso-rotate" on:click=move |_| step.set(Step::Rotate)>
                    {t(Key::SsoRotate)}
                </button>
            </div>
            {asked}
            {move || secret.get().map(secret_box)}
            {explained_error_view(error, explain)}
        </article>
    }
}

/// A labelled checkbox bound to `on`.
fn check(id: &'static str, label: Key, on: RwSignal<bool>) -> impl IntoView {
    view! {
        <div class="field checkbox">
            <input
                type="checkbox"
                id=id
                prop:checked=move || on.get()
                on:change=move |ev| on.set(event_target_checked(&ev))
            />
            <label for=id>{t(label)}</label>
        </div>
    }
}

#[component]
fn RegisterForm(school: Option<String>, reload: RwSignal<u32>) -> impl IntoView {
    let name = RwSignal::new(String::new());
    let uris = RwSignal::new(String::new());
    let profile = RwSignal::new(true);
    let school_scope = RwSignal::new(false);
    let school_and_class = RwSignal::new(false);
    let pupil_pin = RwSignal::new(false);
    let pupil_login = RwSignal::new(false);
    let chosen: RwSignal<Vec<(String, Names)>> = RwSignal::new(Vec::new());
    let no_school = RwSignal::new(false);
    let pending = RwSignal::new(false);
    let error: RwSignal<Option<ApiError>> = RwSignal::new(None);
    let secret: RwSignal<Option<Secret>> = RwSignal::new(None);
    let own = school.is_some();
    let school = StoredValue::new(school);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let school_ids: Vec<String> = match school.get_value() {
            Some(s) => vec![s],
            None => chosen
                .get_untracked()
                .into_iter()
                .map(|(id, _)| id)
                .collect(),
        };
        no_school.set(school_ids.is_empty());
        if school_ids.is_empty() {
            return;
        }
        let mut scopes = vec![String::from("openid")];
        for (on, scope) in [(profile, "profile"), (school_scope, "school")] {
            if on.get_untracked() {
                scopes.push(scope.into());
            }
        }
        let input = gql::register_sso_client::SsoClientInput {
            name: name.get_untracked(),
            redirect_uris: uris
                .get_untracked()
                .lines()
                .filter_map(|l| non_empty(l.to_string()))
                .collect(),
            scopes,
            school_and_class: school_and_class.get_untracked(),
            school_ids,
            pupil_pin: pupil_pin.get_untracked(),
            pupil_login: pupil_login.get_untracked(),
        };
        error.set(None);
        secret.set(None);
        pending.set(true);
        leptos::task::spawn_local(async move {
            let answer =
                api::call::<gql::RegisterSsoClient>(gql::register_sso_client::Variables { input })
                    .await;
            pending.set(false);
            match answer {
                Ok(d) => {
                    let r = d.register_sso_client;
                    secret.set(Some(Secret {
                        name: r.client.name,
                        client_id: r.client.client_id,
                        secret: r.client_secret,
                    }));
                    name.set(String::new());
                    uris.set(String::new());
                    reload.update(|n| *n += 1);
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let schools = if own {
        view! { <p class="hint">{t(Key::SsoForYourSchool)}</p> }.into_any()
    } else {
        view! { <SchoolPicker chosen=chosen/> }.into_any()
    };
    view! {
        <form class="panel" id="sso-register" on:submit=submit>
            <h2>{t(Key::SsoRegisterTitle)}</h2>
            <div class="field">
                <label for="sso-name">{t(Key::Name)}</label>
                <input
                    id="sso-name"
                    required
                    maxlength="200"
                    prop:value=move || name.get()
                    on:input=move |ev| name.set(event_target_value(&ev))
                />
            </div>
            <div class="field">
                <label for="sso-uris">{t(Key::SsoRedirectUris)}</label>
                <textarea
                    id="sso-uris"
                    required
                    rows="3"
                    inputmode="url"
                    aria-describedby="sso-uris-hint"
                    prop:value=move || uris.get()
                    on:input=move |ev| uris.set(event_target_value(&ev))
                ></textarea>
                <p class="hint" id="sso-uris-hint">{t(Key::SsoUrisHint)}</p>
            </div>
            <fieldset>
                <legend>{t(Key::SsoScopes)}</legend>
                <div class="field checkbox">
                    <input type="checkbox" id="sso-scope-openid" checked disabled/>
                    <label for="sso-scope-openid">{t(Key::SsoScopeOpenid)}</label>
                </div>
                {check("sso-scope-profile", Key::SsoScopeProfile, profile)}
                {check("sso-scope-school", Key::SsoScopeSchool, school_scope)}
                {check("sso-school-class", Key::SsoSchoolAndClass, school_and_class)}
            </fieldset>
            {check("sso-pin", Key::SsoPupilPin, pupil_pin)}
            {check("sso-pupil-login", Key::SsoPupilLogin, pupil_login)}
            {schools}
            {move || {
                no_school
                    .get()
                    .then(|| view! { <p class="alert error" role="alert">{t(Key::SsoPickSchool)}</p> })
            }}
            <button type="submit" id="sso-register-submit" disabled=move || pending.get()>
                {t(Key::SsoRegister)}
            </button>
            {explained_error_view(error, explain)}
            {move || secret.get().map(secret_box)}
        </form>
    }
}

/// The operator's administrator's choice of schools: those chosen, then the schools found by
/// name or BIN as one types.
#[component]
fn SchoolPicker(chosen: RwSignal<Vec<(String, Names)>>) -> impl IntoView {
    let search = RwSignal::new(String::new());
    let found = api::query::<gql::SsoSchools>(move || gql::sso_schools::Variables {
        search: non_empty(search.get()),
    });
    let row = move |id: String, names: Names, on: bool| {
        let field = format!("sso-school-{id}");
        let label = names.clone();
        view! {
            <li>
                <input
                    type="checkbox"
                    id=field.clone()
                    prop:checked=on
                    on:change=move |ev| {
                        let id = id.clone();
                        if event_target_checked(&ev) {
                            let names = names.clone();
                            chosen.update(|c| c.push((id, names)));
                        } else {
                            chosen.update(|c| c.retain(|(i, _)| *i != id));
                        }
                    }
                />
                <label for=field>{move || label.get(lang()).to_string()}</label>
            </li>
        }
    };
    let picked = move || {
        chosen
            .get()
            .into_iter()
            .map(|(id, names)| row(id, names, true))
            .collect_view()
    };
    let results = move || {
        loaded(found.get(), move |d| {
            let taken = chosen.get();
            let rows = d
                .organisations
                .nodes
                .into_iter()
                .filter(|o| !taken.iter().any(|(id, _)| *id == o.id))
                .map(|o| {
                    let names = Names {
                        kk: o.name_kk,
                        ru: o.name_ru,
                        en: o.name_en,
                    };
                    row(o.id, names, false)
                })
                .collect_view();
            view! { <ul class="toggles">{rows}</ul> }.into_any()
        })
    };
    view! {
        <fieldset id="sso-schools">
            <legend>{t(Key::SsoSchools)}</legend>
            <ul class="toggles" id="sso-schools-chosen">{picked}</ul>
            <div class="field">
                <label for="sso-school-search">{t(Key::SearchOrganisations)}</label>
                <input
                    id="sso-school-search"
                    type="search"
                    on:input=move |ev| search.set(event_target_value(&ev))
                />
            </div>
            <div id="sso-schools-found">{results}</div>
        </fieldset>
    }
}
