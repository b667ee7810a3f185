//! The shell every portal shares: the frame (header with language, role switch and
//! sign-out), the start-up, and the portal frame that checks the person may open it.
//!
//! Each portal is its own bundle with its own `<Router base="/portal">`; the sign-in page is
//! a small bundle of its own at `/` and `/login`. Going from one to another is a full page
//! load ([`go`], or a link with `rel="external"`); the session survives it in storage.

use leptos::prelude::*;
use leptos_router::components::{A, Outlet};
use leptos_router::hooks::use_location;

use crate::api::{self, ApiError};
use crate::gql::{self, Logout, SetMyLanguage};
use crate::i18n::{self, Key, Lang};
use crate::portal::{Portal, role_key};
use crate::session::{self, Session};
use crate::ui::{ErrorBox, app, fill, lang, t};

/// Starts a bundle: the session and the interface language from storage, then, once the
/// language's texts are here (one small request), mounts `app`.
pub fn start<F, N>(app: F)
where
    F: FnOnce() -> N + 'static,
    N: IntoView + 'static,
{
    let lang = session::init().lang.get_untracked();
    // Leptos's executor starts with the mount, hence wasm-bindgen's own spawn here.
    wasm_bindgen_futures::spawn_local(async move {
        match i18n::load(lang).await {
            Ok(()) => leptos::mount::mount_to_body(app),
            Err(e) => crate::ui::startup_failed(&e),
        }
    });
}

/// The program this page runs (its bundle's folder: `citizen`, `citizen/vouchers`,
/// `signin`), as `cargo xtask build-web` writes it into the page (`<meta name="adal-program">`);
/// empty outside a built page.
pub fn program() -> String {
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.query_selector("meta[name=adal-program]").ok().flatten())
        .and_then(|m| m.get_attribute("content"))
        .unwrap_or_default()
}

/// Loads another page of the site (another bundle), keeping this page in the history.
pub fn go(url: &str) {
    if let Some(w) = web_sys::window() {
        let _ = w.location().assign(url);
    }
}

/// Loads another page of the site in place of this one (a redirect).
pub fn redirect(url: &str) {
    if let Some(w) = web_sys::window() {
        let _ = w.location().replace(url);
    }
}

/// The frame of every page: `<html lang>` and, outside a portal, the title follow the
/// language (a portal names its pages: [`PortalShell`]); the skip link, the header, and
/// `children` as the main content.
#[component]
pub fn Frame(portal: Option<Portal>, children: Children) -> impl IntoView {
    let st = app();
    Effect::new(move |_| {
        let l = st.lang.get();
        if let Some(doc) = web_sys::window().and_then(|w| w.document()) {
            if let Some(root) = doc.document_element() {
                let _ = root.set_attribute("lang", l.code());
            }
            if portal.is_none() {
                doc.set_title(l.text(Key::AppTitle));
            }
        }
    });
    view! {
        <a class="skip-link" href="#main">{t(Key::SkipToContent)}</a>
        <Header portal=portal/>
        <main id="main" tabindex="-1">{children()}</main>
    }
}

/// The top bar: the brand (to `/`, the sign-in bundle, which sends a signed-in person to
/// their portal), who is signed in with the role switch, the language, and sign-out. `portal`
/// is the bundle's own portal (`None` on the sign-in page).
#[component]
pub fn Header(portal: Option<Portal>) -> impl IntoView {
    let st = app();
    let lang_error: RwSignal<Option<ApiError>> = RwSignal::new(None);

    // While the page's language is not the account's saved one, whether to keep it as the
    // default (never changed silently), until answered. Drawn with the language itself, so
    // the page does not shift under the person's finger a moment later.
    let declined: RwSignal<Option<Lang>> = RwSignal::new(session::declined_lang());
    let keep = Memo::new(move |_| {
        let l = st.lang.get();
        let differs = st
            .session
            .with(|s| s.as_ref().is_some_and(|s| s.me.language != l.to_api()));
        (differs && declined.get() != Some(l)).then_some(l)
    });
    let on_lang = move |ev: leptos::ev::Event| {
        let l = Lang::from_code(&event_target_value(&ev));
        lang_error.set(None);
        // Kept at once: a page that opens before the texts arrive still uses the choice.
        session::remember_lang(l);
        leptos::task::spawn_local(async move {
            if let Err(e) = session::switch_lang(l).await {
                lang_error.set(Some(ApiError::network(e)));
            }
        });
    };
    let on_keep = move |_| {
        let Some(l) = keep.get_untracked() else {
            return;
        };
        leptos::task::spawn_local(async move {
            let vars = gql::set_my_language::Variables {
                language: l.to_api(),
            };
            match api::send::<SetMyLanguage>(vars, Vec::new()).await {
                Ok(()) => session::keep_lang_as_default(l),
                Err(e) => lang_error.set(Some(e)),
            }
        });
    };
    let on_not_now = move |_| {
        if let Some(l) = keep.get_untracked() {
            session::decline_lang(l);
            declined.set(Some(l));
        }
    };
    let keep_prompt = move || {
        keep.get().map(|l| {
            let question = move || fill(lang().text(Key::KeepLangPrompt), &[("language", l.endonym().to_string())]);
            view! {
                <div class="keep-lang" id="keep-lang" role="status">
                    <span>{question}</span>
                    " "
                    <button type="button" id="keep-lang-yes" on:click=on_keep>{t(Key::KeepLangYes)}</button>
                    " "
                    <button type="button" id="keep-lang-no" class="secondary" on:click=on_not_now>
                        {t(Key::KeepLangNotNow)}
                    </button>
                </div>
            }
        })
    };

    let on_role = move |ev: leptos::ev::Event| {
        let id = event_target_value(&ev);
        let Some(s) = session::current() else { return };
        let target =
            s.me.roles
                .iter()
                .find(|r| r.id == id)
                .and_then(|r| Portal::of(r.role));
        session::set_active(&id);
        // Another portal is another bundle: a full page load, the session stays in storage.
        if let Some(p) = target
            && Some(p) != portal
        {
            go(p.path());
        }
    };

    let on_sign_out = move |_| {
        leptos::task::spawn_local(async move {
            // The API ends the cookie's session and clears the cookie before the page goes (a
            // page load would cancel the request); the session is forgotten locally either way.
            let _ = api::call_anonymous::<Logout>(gql::logout::Variables).await;
            session::sign_out();
            go(&login_url(None, Some(Key::SignedOut)));
        });
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
                        <select id="role-switch" on:change=on_role>{options}</select>
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
                <a href="/security" id="security-link" rel="external">{t(Key::SecurityTitle)}</a>
                <button type="button" id="sign-out" class="secondary" on:click=on_sign_out>
                    {t(Key::SignOut)}
                </button>
            }
        })
    };

    view! {
        <header class="topbar">
            <a class="brand" href="/" rel="external">
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
            {keep_prompt}
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

/// The sign-in page's address: back to `next` afterwards, saying `why` the person is there
/// (the sign-in page is another bundle: the reason travels in the address).
pub fn login_url(next: Option<&str>, why: Option<Key>) -> String {
    let mut params = Vec::new();
    if let Some(next) = next {
        params.push(format!("next={}", js_sys::encode_uri_component(next)));
    }
    match why {
        Some(Key::SignedOut) => params.push("why=signed-out".to_string()),
        Some(Key::SessionExpired) => params.push("why=expired".to_string()),
        _ => {}
    }
    if params.is_empty() {
        "/login".to_string()
    } else {
        format!("/login?{}", params.join("&"))
    }
}

/// The notice of a sign-in address's `why` (see [`login_url`]).
pub fn login_notice(why: &str) -> Option<Key> {
    match why {
        "signed-out" => Some(Key::SignedOut),
        "expired" => Some(Key::SessionExpired),
        _ => None,
    }
}

/// A portal: checks the person may open it, then shows its navigation and the page.
#[component]
pub fn PortalShell(portal: Portal) -> impl IntoView {
    let st = app();
    let location = use_location();

    // Opening a portal of another role the person holds makes that role active.
    Effect::new(move |_| {
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

    // Each page has its own title, so the browser's tabs and history name it; on a phone the
    // navigation scrolls sideways, and the page's tab is brought into view.
    Effect::new(move |_| {
        let path = location.pathname.get();
        let l = st.lang.get();
        let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
            return;
        };
        let place = l.text(portal.title());
        doc.set_title(&match portal.page_of(&path) {
            Some(page) => format!("{} · {place} · {}", l.text(page), l.text(Key::AppName)),
            None => format!("{place} · {}", l.text(Key::AppName)),
        });
        // After the navigation has drawn this path's tab as current.
        request_animation_frame(move || show_active_tab(&doc));
    });

    move || {
        let path = location.pathname.get();
        let Some(s) = st.session.get() else {
            // After a sign-out, no way back; otherwise back to this page afterwards.
            let why = st.notice.get_untracked();
            if why == Some(Key::SignedOut) {
                redirect(&login_url(None, why));
            } else {
                redirect(&login_url(Some(&path), why));
            }
            return ().into_any();
        };
        // A role that requires a second factor the account lacks: nothing opens before it.
        if s.me.second_factor_setup {
            redirect(session::SECURITY_PAGE);
            return ().into_any();
        }
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
        // A page drawn by another program of the portal is loaded as another page.
        let this_program = program();
        let links = portal
            .pages()
            .iter()
            .filter(|(_, _, allowed)| visible(allowed))
            .map(|(href, key, _)| {
                let link = if this_program.is_empty() || Portal::program_of(href) == this_program {
                    view! { <A href=*href exact=true>{t(*key)}</A> }.into_any()
                } else {
                    view! { <a href=*href rel="external">{t(*key)}</a> }.into_any()
                };
                view! { <li>{link}</li> }
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

/// Scrolls the side navigation (a sideways strip on a phone) so that the current page's tab
/// is in view; a no-op when the whole list fits.
fn show_active_tab(doc: &web_sys::Document) {
    use wasm_bindgen::JsCast;
    let Some(list) = doc.query_selector(".sidenav ul").ok().flatten() else {
        return;
    };
    let Some(tab) = list
        .query_selector("a[aria-current=page]")
        .ok()
        .flatten()
        .and_then(|a| a.dyn_into::<web_sys::HtmlElement>().ok())
    else {
        return;
    };
    let centred = tab.offset_left() - (list.client_width() - tab.offset_width()) / 2;
    list.set_scroll_left(centred.max(0));
}

/// Where a signed-in person's own portal is, for links out of a page they may not open.
fn home_of(s: Option<Session>) -> &'static str {
    s.map_or("/login", |s| s.home())
}

#[component]
pub fn NoAccess() -> impl IntoView {
    let st = app();
    view! {
        <section class="notice" id="no-access" role="alert">
            <h1>{t(Key::NoAccess)}</h1>
            <p>{t(Key::NoAccessText)}</p>
            <p>
                <a href=move || home_of(st.session.get()) rel="external">{t(Key::GoToMyPortal)}</a>
            </p>
        </section>
    }
}

#[component]
pub fn NotFound() -> impl IntoView {
    view! {
        <section class="notice">
            <h1>{t(Key::NotFound)}</h1>
            <p>
                <a href="/" rel="external">{t(Key::GoToMyPortal)}</a>
            </p>
        </section>
    }
}
