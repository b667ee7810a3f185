//! The sign-in page: its own small bundle, served at `/` and `/login`. It sends each person
//! to their portal (or back to the page they were on, when their roles open it); `/` sends a
//! signed-in person to their portal at once.

use adal_web::api::{self, ApiError, ErrorCode};
use adal_web::gql::{self, Login};
use adal_web::i18n::Key;
use adal_web::portal::Portal;
use adal_web::session::{self, Session};
use adal_web::shell::{Frame, NotFound, go, login_notice, redirect};
use adal_web::ui::{ErrorBox, app, t};
use leptos::prelude::*;
use leptos_router::components::{Redirect, Route, Router, Routes};
use leptos_router::hooks::use_query_map;
use leptos_router::path;

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
                </Routes>
            </Frame>
        </Router>
    }
}

/// `/`: the person's portal, or sign-in; an account without a portal (a machine client's
/// login) is told so.
#[component]
fn Home() -> impl IntoView {
    let st = app();
    move || match st.session.get() {
        Some(s) if s.home_portal().is_some() => {
            redirect(s.home());
            ().into_any()
        }
        Some(_) => view! {
            <section class="notice">
                <h1>{t(Key::WelcomeTitle)}</h1>
                <p>{t(Key::NoPortalYet)}</p>
            </section>
        }
        .into_any(),
        None => view! { <Redirect path="/login"/> }.into_any(),
    }
}

/// Where to go after sign-in: `next` when it is a page of a portal the person's roles open,
/// else their own portal.
fn next_or_home(next: Option<String>, s: &Session) -> String {
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
        };
        leptos::task::spawn_local(async move {
            match api::call_anonymous::<Login>(vars).await {
                Ok(data) => {
                    let s = data.login;
                    let session = Session::new(
                        s.access_token,
                        s.expires_at,
                        s.refresh_token,
                        s.me.into(),
                        None,
                    );
                    let to = target(&session);
                    st.notice.set(None);
                    session::sign_in(session);
                    password.set(String::new());
                    // Each portal is its own bundle: a full page load.
                    go(&to);
                }
                Err(e) => error.set(Some(e)),
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
                {move || error.get().map(sign_in_error)}
                <button type="submit" id="sign-in" disabled=move || pending.get()>
                    {move || {
                        if pending.get() { t(Key::SigningIn)() } else { t(Key::SignIn)() }
                    }}
                </button>
            </form>
        </section>
    }
}

/// Why signing in failed: a refused login or password is said as such (the API answers an
/// unknown login and a wrong password alike); anything else (too many attempts, no network)
/// as the error says.
fn sign_in_error(e: ApiError) -> AnyView {
    if e.code == ErrorCode::Unauthenticated {
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
