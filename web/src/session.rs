//! The signed-in person's session: who they are, which role assignment is active, and the
//! access token.
//!
//! Who is signed in and the active role are kept in `localStorage` (so a reload, and the full
//! page load into another portal's bundle, keeps the person signed in) and in a signal that the
//! whole app reads. No token is kept where a script on the page could read it: the access
//! token lives in this program's memory only, and the refresh token in an `HttpOnly` cookie
//! that only the API receives; each page load renews the access token from that cookie. The interface language lives here too: the one chosen in
//! this browser (on the sign-in page or later); the account's saved language (`me.language`) is
//! changed only when the person keeps a choice as their default.

use std::cell::Cell;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::gql::{self, Language, Role};
use crate::i18n::{self, Key, Lang};
use crate::portal::Portal;

const SESSION_KEY: &str = "adal.session";
const LANG_KEY: &str = "adal.lang";
/// The language chosen while nobody was signed in (on the sign-in page): the language after
/// the next sign-in. A choice made while signed in is not one for the next person.
const CHOSEN_KEY: &str = "adal.lang.chosen";
/// The language the person said "not now" to keeping as their default.
const DECLINED_KEY: &str = "adal.lang.declined";

/// A name in the three languages, as the API stores it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Default)]
pub struct Names {
    pub kk: String,
    pub ru: String,
    pub en: String,
}

impl Names {
    pub fn get(&self, lang: Lang) -> &str {
        let s = match lang {
            Lang::Kk => &self.kk,
            Lang::Ru => &self.ru,
            Lang::En => &self.en,
        };
        if s.is_empty() { &self.ru } else { s }
    }
}

/// One role assignment of the signed-in account.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Assignment {
    pub id: String,
    pub role: Role,
    pub organisation: Option<Names>,
    pub region: Option<Names>,
}

/// `me`: who is signed in.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Me {
    pub account_id: String,
    pub login: String,
    pub full_name: Option<String>,
    pub language: Language,
    pub roles: Vec<Assignment>,
    /// A role of the account requires a second factor it has not set up: the portals stay
    /// closed, and the person is sent to the security page.
    #[serde(default)]
    pub second_factor_setup: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Session {
    /// In memory only: empty after a page load until the first renewal.
    #[serde(skip)]
    pub access_token: String,
    #[serde(skip)]
    pub expires_at: String,
    pub me: Me,
    /// The id of the role assignment the person works as now.
    pub active: Option<String>,
}

impl Session {
    pub fn new(access_token: String, expires_at: String, me: Me, active: Option<String>) -> Self {
        // Keep the active assignment only if the account still holds it.
        let active = active
            .filter(|id| me.roles.iter().any(|r| &r.id == id))
            .or_else(|| {
                me.roles
                    .iter()
                    .find(|r| Portal::of(r.role).is_some())
                    .or(me.roles.first())
                    .map(|r| r.id.clone())
            });
        Self {
            access_token,
            expires_at,
            me,
            active,
        }
    }

    /// Whether the access token expires within `margin_ms` (or its expiry is unreadable, as
    /// after a page load, before the first renewal).
    pub fn expires_soon(&self, margin_ms: f64) -> bool {
        let at = js_sys::Date::parse(&self.expires_at);
        at.is_nan() || at - js_sys::Date::now() < margin_ms
    }

    pub fn active_assignment(&self) -> Option<&Assignment> {
        let id = self.active.as_ref()?;
        self.me.roles.iter().find(|r| &r.id == id)
    }

    pub fn holds(&self, role: Role) -> bool {
        self.me.roles.iter().any(|r| r.role == role)
    }

    /// The portals this person may open, in the order of their assignments.
    pub fn portals(&self) -> Vec<Portal> {
        let mut out = Vec::new();
        for r in &self.me.roles {
            if let Some(p) = Portal::of(r.role)
                && !out.contains(&p)
            {
                out.push(p);
            }
        }
        out
    }

    /// The portal the person lands in: the active assignment's, else their first.
    pub fn home_portal(&self) -> Option<Portal> {
        self.active_assignment()
            .and_then(|a| Portal::of(a.role))
            .or_else(|| self.portals().first().copied())
    }

    /// Where the person lands: their portal's path, or `/` (the sign-in bundle's welcome)
    /// for an account without one.
    pub fn home(&self) -> &'static str {
        if self.me.second_factor_setup {
            return SECURITY_PAGE;
        }
        self.home_portal().map_or("/", Portal::path)
    }
}

/// Converts the `me` selection of each session operation (one generated type per operation).
macro_rules! me_from {
    ($($module:ident),*) => {$(
        impl From<gql::$module::MeParts> for Me {
            fn from(m: gql::$module::MeParts) -> Self {
                Me {
                    account_id: m.account.id,
                    login: m.account.login,
                    full_name: m.person.map(|p| p.full_name),
                    language: m.language,
                    second_factor_setup: m.second_factor_setup_required,
                    roles: m
                        .roles
                        .into_iter()
                        .map(|r| Assignment {
                            id: r.id,
                            role: r.role,
                            organisation: r.organisation.map(|o| Names {
                                kk: o.name_kk,
                                ru: o.name_ru,
                                en: o.name_en,
                            }),
                            region: r.region.map(|o| Names {
                                kk: o.name_kk,
                                ru: o.name_ru,
                                en: o.name_en,
                            }),
                        })
                        .collect(),
                }
            }
        }
    )*};
}
me_from!(login, refresh_session);

/// The sign-in security page (the sign-in program's), where a second factor is set up.
pub const SECURITY_PAGE: &str = "/security";

/// Records that the person's second factor is on now: the portals open again.
pub fn second_factor_set_up() {
    if let Some(mut s) = current()
        && s.me.second_factor_setup
    {
        s.me.second_factor_setup = false;
        adopt(s);
    }
}

/// The app-wide reactive state; `Copy`, so closures take it freely.
#[derive(Clone, Copy)]
pub struct AppState {
    pub session: RwSignal<Option<Session>>,
    pub lang: RwSignal<Lang>,
    /// A one-off notice for the sign-in page (session expired, signed out).
    pub notice: RwSignal<Option<Key>>,
}

thread_local! {
    static STATE: Cell<Option<AppState>> = const { Cell::new(None) };
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

/// The session saved in this browser, if any.
pub fn stored() -> Option<Session> {
    let text = storage()?.get_item(SESSION_KEY).ok()??;
    serde_json::from_str(&text).ok()
}

fn save(s: Option<&Session>) {
    let Some(st) = storage() else { return };
    // Storage may be full or disabled; the session then lasts for this page only.
    let _ = match s.and_then(|s| serde_json::to_string(s).ok()) {
        Some(text) => st.set_item(SESSION_KEY, &text),
        None => st.remove_item(SESSION_KEY),
    };
}

/// The interface language last used in this browser (chosen, or adopted at sign-in), if any.
fn chosen_lang() -> Option<Lang> {
    storage()
        .and_then(|s| s.get_item(LANG_KEY).ok().flatten())
        .map(|code| Lang::from_code(&code))
}

/// Creates the state at start-up.
pub fn init() -> AppState {
    let session = stored();
    // Written back without tokens: a session stored by an earlier version held them.
    save(session.as_ref());
    // The language chosen in this browser; an account's saved language only where none was.
    let lang = match (chosen_lang(), &session) {
        (Some(l), _) => l,
        (None, Some(s)) => Lang::from_api(s.me.language),
        (None, None) => Lang::Kk,
    };
    let state = AppState {
        session: RwSignal::new(session),
        lang: RwSignal::new(lang),
        notice: RwSignal::new(None),
    };
    STATE.with(|c| c.set(Some(state)));
    state
}

pub fn state() -> Option<AppState> {
    STATE.with(Cell::get)
}

/// The current session (untracked: for requests, not for views).
pub fn current() -> Option<Session> {
    state().and_then(|s| s.session.get_untracked())
}

/// Makes `s` the session, in memory and in storage. A renewed access token alone changes
/// nothing a page shows, so it is kept without telling the views: a page load renews the
/// token once its first request goes out, and the page must not be drawn again for it (what
/// the person has typed would be lost, and every query asked twice).
pub fn adopt(s: Session) {
    save(Some(&s));
    if let Some(st) = state() {
        let same = st.session.with_untracked(|c| {
            c.as_ref()
                .is_some_and(|c| c.me == s.me && c.active == s.active)
        });
        if same {
            st.session.update_untracked(|c| *c = Some(s));
        } else {
            st.session.set(Some(s));
        }
    }
}

/// Signs in: adopts the session and keeps the language chosen in this browser (on the sign-in
/// page); where none was chosen, the account's saved language.
pub fn sign_in(s: Session) {
    let chosen = storage()
        .and_then(|st| st.get_item(CHOSEN_KEY).ok().flatten())
        .map(|code| Lang::from_code(&code));
    let lang = chosen.unwrap_or_else(|| Lang::from_api(s.me.language));
    adopt(s);
    // Remembered at once: the portal opens as another page, before the texts could load.
    if let Some(st) = storage() {
        let _ = st.set_item(LANG_KEY, lang.code());
        let _ = st.remove_item(CHOSEN_KEY);
        let _ = st.remove_item(DECLINED_KEY);
    }
    set_lang_local(lang);
}

/// Ends the session because the API no longer accepts it.
pub fn expire() {
    end(Key::SessionExpired);
}

/// Ends the session at the person's request.
pub fn sign_out() {
    end(Key::SignedOut);
}

fn end(why: Key) {
    save(None);
    if let Some(st) = state() {
        st.notice.set(Some(why));
        st.session.set(None);
    }
}

/// Switches the active role assignment.
pub fn set_active(id: &str) {
    if let Some(mut s) = current()
        && s.active.as_deref() != Some(id)
        && s.me.roles.iter().any(|r| r.id == id)
    {
        s.active = Some(id.to_string());
        adopt(s);
    }
}

/// Sets the interface language in this browser (the account's is set through the API): at
/// once if its texts are loaded, else once they are (the page stays in its language if they
/// cannot be; [`switch_lang`] reports that).
pub fn set_lang_local(lang: Lang) {
    if i18n::is_loaded(lang) {
        apply_lang(lang);
    } else {
        leptos::task::spawn_local(async move {
            let _ = switch_lang(lang).await;
        });
    }
}

/// Loads `lang`'s texts and then switches to it.
pub async fn switch_lang(lang: Lang) -> Result<(), String> {
    i18n::load(lang).await?;
    apply_lang(lang);
    Ok(())
}

/// Remembers the person's choice in this browser at once, before its texts are loaded: a page
/// opened or reloaded meanwhile comes up in the chosen language. The account's saved language
/// stays as it is until the person keeps the choice ([`keep_lang_as_default`]).
pub fn remember_lang(lang: Lang) {
    if let Some(st) = storage() {
        let _ = st.set_item(LANG_KEY, lang.code());
        if current().is_none() {
            let _ = st.set_item(CHOSEN_KEY, lang.code());
        }
    }
}

/// The language the person said "not now" to keeping as their default, if any.
pub fn declined_lang() -> Option<Lang> {
    storage()
        .and_then(|st| st.get_item(DECLINED_KEY).ok().flatten())
        .map(|code| Lang::from_code(&code))
}

/// Remembers that the person does not want `lang` as their default now.
pub fn decline_lang(lang: Lang) {
    if let Some(st) = storage() {
        let _ = st.set_item(DECLINED_KEY, lang.code());
    }
}

/// The language of the interface in this browser now (for the API's answers: names and
/// reasons in the language the person reads, which need not be the account's default).
pub fn ui_lang() -> Lang {
    chosen_lang()
        .or_else(|| current().map(|s| Lang::from_api(s.me.language)))
        .unwrap_or(Lang::Kk)
}

/// Records in the stored session that the account's saved language is now `lang` (after the
/// API saved it).
pub fn keep_lang_as_default(lang: Lang) {
    if let Some(mut s) = current()
        && s.me.language != lang.to_api()
    {
        s.me.language = lang.to_api();
        adopt(s);
    }
}

fn apply_lang(lang: Lang) {
    remember_lang(lang);
    if let Some(st) = state() {
        st.lang.set(lang);
    }
}
