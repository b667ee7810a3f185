//! The sign-in page: its own small bundle, served at `/` and `/login`. It sends each person
//! to their portal (or back to the page they were on, when their roles open it); `/` sends a
//! signed-in person to their portal at once. The same bundle holds the pages anyone may read
//! without signing in: `/open`, the open figures.

use adal_web::api::{self, ApiError, ErrorCode};
use adal_web::gql::{self, ConfirmSecondFactor, Login, MySecondFactor, Role, StartSecondFactor};
use adal_web::i18n::Key;
use adal_web::portal::Portal;
use adal_web::session::{self, Session};
use adal_web::shell::{Frame, NotFound, go, login_notice, redirect};
use adal_web::sign_ins::sign_ins;
use adal_web::ui::{ErrorBox, app, error_view, lang, loaded, t};
use leptos::prelude::*;
use leptos_router::components::{Redirect, Route, Router, Routes};
use leptos_router::hooks::use_query_map;
use leptos_router::path;

mod open;
mod pupil;

fn main() {
    adal_web::shell::start(App);
}

#[component]
fn App() -> impl IntoView {
    view! {
        <Router>
            <Frame portal=None>
                <Routes fallback=|| view! { <NotFound/> }>
                    <Route path=path!("/") view=Home/>
                    <Route path=path!("/login") view=LoginPage/>
                    <Route path=path!("/security") view=SecurityPage/>
                    <Route path=path!("/open") view=open::OpenPage/>
                </Routes>
            </Frame>
        </Router>
    }
}

/// `/`: the person's portal, or sign-in; an account without a portal is told so, and a pupil's
/// login (issued by the school for educational resources) where it signs in, with the pupil's
/// meals at school to rate below.
#[component]
fn Home() -> impl IntoView {
    let st = app();
    move || match st.session.get() {
        Some(s) if s.home_portal().is_some() => {
            redirect(s.home());
            ().into_any()
        }
        Some(s) => {
            let pupil = !s.me.roles.is_empty() && s.me.roles.iter().all(|r| r.role == Role::Pupil);
            let text = if pupil {
                Key::PupilLoginSignIn
            } else {
                Key::NoPortalYet
            };
            view! {
                <section class="notice">
                    <h1>{t(Key::WelcomeTitle)}</h1>
                    <p id="no-portal">{t(text)}</p>
                </section>
                {pupil.then(|| view! { <pupil::MyMeals/> })}
            }
            .into_any()
        }
        None => view! { <Redirect path="/login"/> }.into_any(),
    }
}

/// Where to go after sign-in: `next` when it is a page of a portal the person's roles open,
/// else their own portal.
fn next_or_home(next: Option<String>, s: &Session) -> String {
    if s.me.second_factor_setup {
        return session::SECURITY_PAGE.to_string();
    }
    next.filter(|next| next.starts_with('/') && !next.starts_with("//"))
        .filter(|next| Portal::of_path(next).is_some_and(|p| s.portals().contains(&p)))
        .unwrap_or_else(|| s.home().to_string())
}

#[component]
fn LoginPage() -> impl IntoView {
    let st = app();
    let query = use_query_map();
    let login = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    // The authenticator app's code, asked for once the API says the account has a second
    // factor.
    let code = RwSignal::new(String::new());
    let needs_code = RwSignal::new(false);
    let error: RwSignal<Option<ApiError>> = RwSignal::new(None);
    let pending = RwSignal::new(false);

    // Where to go after sign-in: the page the person was on, if their roles open it.
    let target =
        move |s: &Session| -> String { query.with_untracked(|q| next_or_home(q.get("next"), s)) };
    // Why the person is here (signed out, session expired), as the portal they left says.
    if let Some(why) = query
        .with_untracked(|q| q.get("why"))
        .and_then(|w| login_notice(&w))
    {
        st.notice.set(Some(why));
    }

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        pending.set(true);
        error.set(None);
        st.notice.set(None);
        let vars = gql::login::Variables {
            login: login.get_untracked().trim().to_string(),
            password: password.get_untracked(),
            code: Some(code.get_untracked()).filter(|c| !c.trim().is_empty()),
        };
        leptos::task::spawn_local(async move {
            match api::call_anonymous::<Login>(vars).await {
                Ok(data) => {
                    let s = data.login;
                    let session = Session::new(s.access_token, s.expires_at, s.me.into(), None);
                    let to = target(&session);
                    st.notice.set(None);
                    session::sign_in(session);
                    password.set(String::new());
                    // Each portal is its own bundle: a full page load.
                    go(&to);
                }
                Err(e) => {
                    if e.reason
                        .as_ref()
                        .is_some_and(|(r, _)| r.starts_with("SECOND_FACTOR"))
                    {
                        needs_code.set(true);
                        code.set(String::new());
                    }
                    error.set(Some(e));
                }
            }
            pending.set(false);
        });
    };

    // Someone already signed in goes to their portal.
    Effect::new(move |_| {
        if let Some(s) = st.session.get() {
            redirect(&target(&s));
        }
    });

    view! {
        <section class="login-card" aria-labelledby="login-title">
            <h1 id="login-title">{t(Key::SignInTitle)}</h1>
            <p class="muted">{t(Key::SignInIntro)}</p>
            {move || {
                st.notice.get().map(|k| view! { <p class="alert info" role="status" id="login-notice">{t(k)}</p> })
            }}
            <form on:submit=on_submit novalidate=true>
                <div class="field">
                    <label for="login">{t(Key::LoginLabel)}</label>
                    <input
                        id="login"
                        name="login"
                        type="text"
                        autocomplete="username"
                        required=true
                        prop:value=move || login.get()
                        on:input=move |ev| login.set(event_target_value(&ev))
                    />
                </div>
                <div class="field">
                    <label for="password">{t(Key::PasswordLabel)}</label>
                    <input
                        id="password"
                        name="password"
                        type="password"
                        autocomplete="current-password"
                        required=true
                        prop:value=move || password.get()
                        on:input=move |ev| password.set(event_target_value(&ev))
                    />
                </div>
                {move || {
                    needs_code.get().then(|| view! { <CodeField code=code/> })
                }}
                {move || error.get().map(sign_in_error)}
                <button type="submit" id="sign-in" disabled=move || pending.get()>
                    {move || {
                        if pending.get() { t(Key::SigningIn)() } else { t(Key::SignIn)() }
                    }}
                </button>
            </form>
            <p class="muted"><a href="/open" id="open-figures-link">{t(Key::OpenFiguresLink)}</a></p>
        </section>
    }
}

/// Why signing in failed: a refused login or password is said as such (the API answers an
/// unknown login and a wrong password alike); anything else (a code still to give, too many
/// attempts, no network) as the error says.
fn sign_in_error(e: ApiError) -> AnyView {
    if e.code == ErrorCode::Unauthenticated && e.reason.is_none() {
        view! {
            <div class="alert error" role="alert" id="login-error">
                <strong>{t(Key::WrongLoginOrPassword)}</strong>
            </div>
        }
        .into_any()
    } else {
        view! { <ErrorBox error=e/> }.into_any()
    }
}

/// `/security`: the signed-in person's second factor. Off, it is set up here: the key for an
/// authenticator app (typed in, or opened on the phone as an `otpauth:` link), then the app's
/// first code turns it on. On, it says so; an administrator resets it for a lost phone. Below,
/// for whoever signs in to educational resources with this account, their sign-ins there.
#[component]
fn SecurityPage() -> impl IntoView {
    let st = app();
    let on: RwSignal<Option<bool>> = RwSignal::new(None);
    let setup: RwSignal<Option<(String, String)>> = RwSignal::new(None);
    let code = RwSignal::new(String::new());
    let done = RwSignal::new(false);
    let error: RwSignal<Option<ApiError>> = RwSignal::new(None);
    Effect::new(move |_| {
        if st.session.with(Option::is_none) {
            redirect("/login?next=%2Fsecurity");
            return;
        }
        leptos::task::spawn_local(async move {
            match api::call::<MySecondFactor>(gql::my_second_factor::Variables {}).await {
                Ok(d) => on.set(Some(d.me.account.second_factor)),
                Err(e) => error.set(Some(e)),
            }
        });
    });
    let start = move |_| {
        error.set(None);
        leptos::task::spawn_local(async move {
            match api::call::<StartSecondFactor>(gql::start_second_factor::Variables {}).await {
                Ok(d) => {
                    let s = d.start_second_factor;
                    setup.set(Some((s.secret, s.otpauth_url)));
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let confirm = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        error.set(None);
        let vars = gql::confirm_second_factor::Variables {
            code: code.get_untracked().trim().to_string(),
        };
        leptos::task::spawn_local(async move {
            match api::call::<ConfirmSecondFactor>(vars).await {
                Ok(d) => {
                    on.set(Some(d.confirm_second_factor.second_factor));
                    setup.set(None);
                    done.set(true);
                    session::second_factor_set_up();
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    // The key in groups of four, as apps show it.
    let grouped = |secret: &str| {
        secret
            .as_bytes()
            .chunks(4)
            .map(|c| String::from_utf8_lossy(c).into_owned())
            .collect::<Vec<_>>()
            .join(" ")
    };
    view! {
        <section class="login-card" aria-labelledby="security-title">
            <h1 id="security-title">{t(Key::SecurityTitle)}</h1>
            {move || st.session.with(|s| s.as_ref().is_some_and(|s| s.me.second_factor_setup)).then(|| view! {
                <p class="alert" role="alert" id="second-factor-required">{t(Key::SecondFactorRequired)}</p>
            })}
            {move || done.get().then(|| view! {
                <p class="alert success" role="status" id="second-factor-done">{t(Key::SecondFactorDone)}</p>
                <p><a id="second-factor-continue" href=move || st.session.with(|s| s.as_ref().map_or("/", Session::home))>
                    {t(Key::SecondFactorContinue)}
                </a></p>
            })}
            {move || match (on.get(), setup.get()) {
                (Some(true), _) => view! { <p id="second-factor-state">{t(Key::SecondFactorOn)}</p> }.into_any(),
                (Some(false), None) => view! {
                    <p id="second-factor-state">{t(Key::SecondFactorOff)}</p>
                    <button type="button" id="second-factor-start" on:click=start>
                        {t(Key::SecondFactorStart)}
                    </button>
                }.into_any(),
                (Some(false), Some((secret, url))) => view! {
                    <p>{t(Key::SecondFactorKey)}</p>
                    <p><code id="second-factor-key" class="key">{grouped(&secret)}</code></p>
                    <p><a href=url rel="external">{t(Key::SecondFactorOpenApp)}</a></p>
                    <form on:submit=confirm novalidate=true>
                        <CodeField code=code/>
                        <button type="submit" id="second-factor-confirm">{t(Key::SecondFactorConfirm)}</button>
                    </form>
                }.into_any(),
                (None, _) => ().into_any(),
            }}
            {error_view(error)}
        </section>
        {move || st.session.with(|s| s.as_ref().is_some_and(signs_in_to_resources)).then(|| view! { <MySignIns/> })}
    }
}

/// Whether the person signs in to educational resources with this account (a teacher, a
/// parent, a pupil with the school's login): their page lists those sign-ins.
fn signs_in_to_resources(s: &Session) -> bool {
    [
        Role::SchoolAdmin,
        Role::SchoolStaff,
        Role::Parent,
        Role::Pupil,
    ]
    .into_iter()
    .any(|r| s.holds(r))
}

/// The signed-in person's own sign-ins to educational resources, newest first.
#[component]
fn MySignIns() -> impl IntoView {
    let data = api::query::<gql::MySsoSignIns>(|| gql::my_sso_sign_ins::Variables {});
    view! {
        <section class="login-card" aria-labelledby="my-sign-ins-title">
            <h2 id="my-sign-ins-title">{t(Key::SsoMySignIns)}</h2>
            {move || loaded(data.get(), |d| {
                let list = d
                    .sso_sign_ins
                    .into_iter()
                    .map(|s| (s.at, s.resource, s.role))
                    .collect();
                sign_ins(lang(), "my-sign-ins", list)
            })}
        </section>
    }
}

/// The field for an authenticator app's six digits (a phone offers its number pad and the
/// code an SMS or app just gave).
#[component]
fn CodeField(code: RwSignal<String>) -> impl IntoView {
    view! {
        <div class="field">
            <label for="code">{t(Key::CodeLabel)}</label>
            <input
                id="code"
                name="code"
                type="text"
                inputmode="numeric"
                autocomplete="one-time-code"
                maxlength="7"
                prop:value=move || code.get()
                on:input=move |ev| code.set(event_target_value(&ev))
            />
        </div>
    }
}
