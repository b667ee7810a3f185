//! The shell every portal shares: header (language, role switch, sign-out), routes,
//! sign-in, and the access check of each portal.

use leptos::prelude::*;
use leptos_router::components::{A, Outlet, ParentRoute, Redirect, Route, Router, Routes};
use leptos_router::hooks::{use_location, use_navigate, use_query_map};
use leptos_router::path;

use crate::api::{self, ApiError};
use crate::gql::{self, Login, Logout, SetMyLanguage};
use crate::i18n::{Key, Lang};
use crate::pages::{
    campaigns, claims, commission, imports, messages, obligations, operator, parent,
    placeholder::Placeholder, rules, templates,
};
use crate::portal::{Portal, role_key};
use crate::session::{self, Session};
use crate::ui::{ErrorBox, app, lang, t};

#[component]
pub fn App() -> impl IntoView {
    let st = app();
    // <html lang> and the title follow the interface language.
    Effect::new(move |_| {
        let l = st.lang.get();
        if let Some(doc) = web_sys::window().and_then(|w| w.document()) {
            if let Some(root) = doc.document_element() {
                let _ = root.set_attribute("lang", l.code());
            }
            doc.set_title(l.text(Key::AppTitle));
        }
    });

    view! {
        <Router>
            <a class="skip-link" href="#main">{t(Key::SkipToContent)}</a>
            <Header/>
            <main id="main" tabindex="-1">
                <Routes fallback=|| view! { <NotFound/> }>
                    <Route path=path!("/") view=Home/>
                    <Route path=path!("/login") view=LoginPage/>
                    <Route path=path!("/welcome") view=Welcome/>
                    <ParentRoute path=path!("/operator") view=|| view! { <PortalShell portal=Portal::Operator/> }>
                        <Route path=path!("") view=operator::Dashboard/>
                        <Route path=path!("graduates") view=obligations::GraduatesPage/>
                        <Route path=path!("graduates/:id") view=obligations::GraduateCard/>
                        <Route path=path!("imports") view=imports::ImportsPage/>
                        <Route path=path!("commission") view=commission::CommissionPage/>
                        <Route path=path!("claims") view=claims::ClaimsPage/>
                        <Route path=path!("rules") view=rules::RulesPage/>
                        <Route path=path!("templates") view=templates::TemplatesPage/>
                        <Route path=path!("campaigns") view=campaigns::CampaignsPage/>
                        <Route path=path!("dead-letters") view=messages::DeadLettersPage/>
                        <Route path=path!("regions") view=operator::RegionsPage/>
                        <Route path=path!("organisations") view=operator::OrganisationsPage/>
                        <Route path=path!("accounts") view=operator::AccountsPage/>
                    </ParentRoute>
                    <ParentRoute path=path!("/akimat") view=|| view! { <PortalShell portal=Portal::Akimat/> }>
                        <Route path=path!("") view=|| view! { <Placeholder title=Key::NavVouchersQueue text=Key::EmptyVouchersQueue/> }/>
                        <Route path=path!("providers") view=|| view! { <Placeholder title=Key::NavProviders text=Key::EmptyProviders/> }/>
                        <Route path=path!("budgets") view=|| view! { <Placeholder title=Key::NavBudgets text=Key::EmptyBudgets/> }/>
                    </ParentRoute>
                    <ParentRoute path=path!("/school") view=|| view! { <PortalShell portal=Portal::School/> }>
                        <Route path=path!("") view=|| view! { <Placeholder title=Key::NavAttendance text=Key::EmptySchoolAttendance/> }/>
                        <Route path=path!("meals") view=|| view! { <Placeholder title=Key::NavMeals text=Key::EmptySchoolMeals/> }/>
                        <Route path=path!("menus") view=|| view! { <Placeholder title=Key::NavMenus text=Key::EmptyMenus/> }/>
                        <Route path=path!("reports") view=|| view! { <Placeholder title=Key::NavReports text=Key::EmptyReports/> }/>
                    </ParentRoute>
                    <ParentRoute path=path!("/parent") view=|| view! { <PortalShell portal=Portal::Parent/> }>
                        <Route path=path!("") view=parent::MyChildren/>
                        <Route path=path!("attendance") view=|| view! { <Placeholder title=Key::NavAttendance text=Key::EmptyParentAttendance/> }/>
                        <Route path=path!("meals") view=|| view! { <Placeholder title=Key::NavMeals text=Key::EmptyParentMeals/> }/>
                        <Route path=path!("vouchers") view=|| view! { <Placeholder title=Key::NavVouchers text=Key::EmptyParentVouchers/> }/>
                        <Route path=path!("allergens") view=|| view! { <Placeholder title=Key::NavAllergens text=Key::EmptyAllergens/> }/>
                    </ParentRoute>
                    <ParentRoute path=path!("/graduate") view=|| view! { <PortalShell portal=Portal::Graduate/> }>
                        <Route path=path!("") view=obligations::MyObligation/>
                    </ParentRoute>
                </Routes>
            </main>
        </Router>
    }
}

/// `/`: the person's portal, or sign-in.
#[component]
fn Home() -> impl IntoView {
    let st = app();
    move || match st.session.get() {
        Some(s) => view! { <Redirect path=s.home()/> }.into_any(),
        None => view! { <Redirect path="/login"/> }.into_any(),
    }
}

#[component]
fn Header() -> impl IntoView {
    let st = app();
    let navigate = use_navigate();
    let lang_error: RwSignal<Option<ApiError>> = RwSignal::new(None);

    let on_lang = move |ev: leptos::ev::Event| {
        let l = Lang::from_code(&event_target_value(&ev));
        lang_error.set(None);
        leptos::task::spawn_local(async move {
            if let Err(e) = session::switch_lang(l).await {
                lang_error.set(Some(ApiError::network(e)));
                return;
            }
            if session::current().is_some() {
                let vars = gql::set_my_language::Variables {
                    language: l.to_api(),
                };
                if let Err(e) = api::send::<SetMyLanguage>(vars, Vec::new()).await {
                    lang_error.set(Some(e));
                }
            }
        });
    };

    let nav_role = navigate.clone();
    let on_role = move |ev: leptos::ev::Event| {
        let id = event_target_value(&ev);
        let Some(s) = session::current() else { return };
        let target =
            s.me.roles
                .iter()
                .find(|r| r.id == id)
                .and_then(|r| Portal::of(r.role));
        // Navigate first: making the role active re-renders this menu (and its handler).
        if let Some(p) = target {
            nav_role(p.path(), Default::default());
        }
        session::set_active(&id);
    };

    let on_sign_out = move |_| {
        let refresh = session::current().and_then(|s| s.refresh_token);
        session::sign_out();
        navigate("/login", Default::default());
        if let Some(refresh_token) = refresh {
            leptos::task::spawn_local(async move {
                // The session is gone locally either way; the API revokes the token.
                let _ =
                    api::call_anonymous::<Logout>(gql::logout::Variables { refresh_token }).await;
            });
        }
    };

    let role_switch = move || {
        let s = st.session.get()?;
        let l = lang();
        let active = s.active.clone().unwrap_or_default();
        let options =
            s.me.roles
                .iter()
                .map(|r| {
                    let scope = r
                        .organisation
                        .as_ref()
                        .or(r.region.as_ref())
                        .map(|n| format!(" · {}", n.get(l)))
                        .unwrap_or_default();
                    let label = format!("{}{scope}", l.text(role_key(r.role)));
                    let selected = r.id == active;
                    view! { <option value=r.id.clone() selected=selected>{label}</option> }
                })
                .collect_view();
        let several = s.me.roles.len() > 1;
        let who = s.me.full_name.clone().unwrap_or_else(|| s.me.login.clone());
        Some(view! {
            <div class="who">
                <span class="who-name">{who}</span>
                {if several {
                    view! {
                        <label for="role-switch" class="sr-only-sm">{t(Key::ActiveRole)}</label>
                        <select id="role-switch" on:change=on_role.clone()>{options}</select>
                    }
                        .into_any()
                } else {
                    view! { <span class="who-role">{options_label(&s, l)}</span> }.into_any()
                }}
            </div>
        })
    };
    let sign_out = move || {
        st.session.with(Option::is_some).then(|| {
            view! {
                <button type="button" id="sign-out" class="secondary" on:click=on_sign_out.clone()>
                    {t(Key::SignOut)}
                </button>
            }
        })
    };

    view! {
        <header class="topbar">
            <a class="brand" href="/">
                <span class="brand-mark" aria-hidden="true">"A"</span>
                <span>{t(Key::AppName)}</span>
            </a>
            <div class="topbar-tools">
                {role_switch}
                <div class="lang">
                <label for="lang-switch">{t(Key::Language)}</label>
                <select id="lang-switch" on:change=on_lang>
                    {Lang::ALL
                        .into_iter()
                        .map(|l| {
                            view! {
                                <option value=l.code() selected=move || st.lang.get() == l>
                                    {l.endonym()}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
                </div>
                {sign_out}
            </div>
            {move || lang_error.get().map(|e| view! { <ErrorBox error=e/> })}
        </header>
    }
}

fn options_label(s: &Session, l: Lang) -> String {
    s.me.roles
        .first()
        .map(|r| l.text(role_key(r.role)).to_string())
        .unwrap_or_default()
}

/// A portal: checks the person may open it, then shows its navigation and the page.
#[component]
fn PortalShell(portal: Portal) -> impl IntoView {
    let st = app();
    let location = use_location();

    // Opening a portal of another role the person holds makes that role active.
    // Tracks the path only: switching roles by the menu must not be undone here.
    Effect::new(move |_| {
        // A shell being left (the path is already another portal's) does nothing.
        if Portal::of_path(&location.pathname.get()) != Some(portal) {
            return;
        }
        let Some(s) = st.session.get_untracked() else {
            return;
        };
        let active_portal = s.active_assignment().and_then(|a| Portal::of(a.role));
        if active_portal != Some(portal)
            && let Some(a) =
                s.me.roles
                    .iter()
                    .find(|r| Portal::of(r.role) == Some(portal))
        {
            session::set_active(&a.id);
        }
    });

    move || {
        let path = location.pathname.get();
        if Portal::of_path(&path) != Some(portal) {
            // The router is leaving this portal: render nothing, redirect nowhere.
            return ().into_any();
        }
        let Some(s) = st.session.get() else {
            // After a sign-out, no way back; after an expired session, back to this page.
            let to = if st.notice.get_untracked() == Some(Key::SignedOut) {
                "/login".to_string()
            } else {
                format!("/login?next={}", js_sys::encode_uri_component(&path))
            };
            return view! { <Redirect path=to/> }.into_any();
        };
        if !s.portals().contains(&portal) {
            return view! { <NoAccess/> }.into_any();
        }
        let roles: Vec<_> =
            s.me.roles
                .iter()
                .filter(|r| Portal::of(r.role) == Some(portal))
                .map(|r| r.role)
                .collect();
        let visible =
            |allowed: &[gql::Role]| allowed.is_empty() || allowed.iter().any(|a| roles.contains(a));
        let here = path.trim_end_matches('/');
        let page_allowed = portal
            .pages()
            .iter()
            .find(|(p, _, _)| *p == here)
            .is_none_or(|(_, _, allowed)| visible(allowed));
        let links = portal
            .pages()
            .iter()
            .filter(|(_, _, allowed)| visible(allowed))
            .map(|(href, key, _)| {
                view! {
                    <li>
                        <A href=*href exact=true>{t(*key)}</A>
                    </li>
                }
            })
            .collect_view();
        view! {
            <div class="portal">
                <nav class="sidenav" aria-label=t(portal.title())>
                    <p class="sidenav-title">{t(portal.title())}</p>
                    <ul>{links}</ul>
                </nav>
                <div class="content">
                    {if page_allowed {
                        view! { <Outlet/> }.into_any()
                    } else {
                        view! { <NoAccess/> }.into_any()
                    }}
                </div>
            </div>
        }
        .into_any()
    }
}

#[component]
fn NoAccess() -> impl IntoView {
    let st = app();
    let home = move || {
        st.session
            .get()
            .map_or_else(|| "/login".to_string(), |s| s.home())
    };
    view! {
        <section class="notice" id="no-access" role="alert">
            <h1>{t(Key::NoAccess)}</h1>
            <p>{t(Key::NoAccessText)}</p>
            <p>
                <a href=home>{t(Key::GoToMyPortal)}</a>
            </p>
        </section>
    }
}

#[component]
fn NotFound() -> impl IntoView {
    view! {
        <section class="notice">
            <h1>{t(Key::NotFound)}</h1>
            <p>
                <a href="/">{t(Key::GoToMyPortal)}</a>
            </p>
        </section>
    }
}

/// For roles without a portal in this version (provider staff).
#[component]
fn Welcome() -> impl IntoView {
    let st = app();
    move || match st.session.get() {
        None => view! { <Redirect path="/login"/> }.into_any(),
        Some(_) => view! {
            <section class="notice">
                <h1>{t(Key::WelcomeTitle)}</h1>
                <p>{t(Key::NoPortalYet)}</p>
            </section>
        }
        .into_any(),
    }
}

#[component]
fn LoginPage() -> impl IntoView {
    let st = app();
    let query = use_query_map();
    let navigate = use_navigate();
    let login = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let error: RwSignal<Option<ApiError>> = RwSignal::new(None);
    let pending = RwSignal::new(false);

    // Where to go after sign-in: the page the person was on, if their roles open it.
    let target = move |s: &Session| -> String {
        query
            .with_untracked(|q| q.get("next"))
            .filter(|next| next.starts_with('/') && !next.starts_with("//"))
            .filter(|next| Portal::of_path(next).is_some_and(|p| s.portals().contains(&p)))
            .unwrap_or_else(|| s.home())
    };

    let nav = navigate.clone();
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
        let nav = nav.clone();
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
                    nav(&to, Default::default());
                }
                Err(e) => error.set(Some(e)),
            }
            pending.set(false);
        });
    };

    // Someone already signed in goes to their portal.
    let already = move || {
        st.session
            .get()
            .map(|s| view! { <Redirect path=target(&s)/> })
    };

    view! {
        {already}
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
                {move || error.get().map(|e| view! { <ErrorBox error=e/> })}
                <button type="submit" id="sign-in" disabled=move || pending.get()>
                    {move || {
                        if pending.get() { t(Key::SigningIn)() } else { t(Key::SignIn)() }
                    }}
                </button>
            </form>
        </section>
    }
}
