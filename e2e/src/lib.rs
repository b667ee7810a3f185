//! Browser tests drive real headless Chromium through Adal's portals, as a person would.
//!
//! [`run`] gives each test its own server (`adal_testkit`, fresh database, demo data,
//! port 0), its own chromedriver (a free port) and its own Chromium profile. When a test
//! fails it saves a screenshot and the page's HTML under `e2e/artifacts/<test>/`; the
//! WebDriver session is always closed and chromedriver killed, also after a panic.

use std::net::TcpListener;
use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, anyhow, bail, ensure};
use fantoccini::elements::Element;
use fantoccini::error::{CmdError, ErrorStatus};
use fantoccini::{Client, ClientBuilder, Locator};
use futures_util::FutureExt;
use serde_json::json;

pub use adal_core::settings::Settings;
pub use adal_testkit::TestApp;

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
/// How long to wait for the page to show something.
const WAIT: Duration = Duration::from_secs(20);
/// How often our own waits look again. A step that must not overtake a page drawing itself
/// anew (a language switch reloads the page's data and redraws its forms) waits for what the
/// page shows once it has settled, whatever this interval.
const POLL: Duration = Duration::from_millis(150);
/// The password of every demo person account.
pub const DEMO_PASSWORD: &str = "adal-demo";

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

/// Fails (never skips) when what the browser tests need is missing, saying how to get it.
fn check_prerequisites() {
    for bundle in [
        "signin", "operator", "akimat", "provider", "school", "citizen",
    ] {
        let index = workspace_root().join(format!("web/dist/{bundle}/index.html"));
        assert!(
            index.is_file(),
            "{} is missing: build the portals first with `cargo xtask build-web` \
             (or run the whole suite with `cargo xtask test`)",
            index.display()
        );
    }
    for (bin, what) in [(CHROMIUM, "chromium"), (CHROMEDRIVER, "chromedriver")] {
        assert!(
            Path::new(bin).is_file(),
            "{bin} ({what}) is missing: install it with \
             `apt-get update && apt-get install -y chromium chromium-driver`"
        );
    }
}

fn free_port() -> Result<u16> {
    let l = TcpListener::bind("127.0.0.1:0")?;
    Ok(l.local_addr()?.port())
}

/// chromedriver, killed (by its process id) when dropped.
struct Driver {
    child: Child,
    port: u16,
    profile: tempfile::TempDir,
}

impl Driver {
    fn start() -> Result<Self> {
        let port = free_port()?;
        let profile = tempfile::tempdir()?;
        let child = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .with_context(|| format!("starting {CHROMEDRIVER}"))?;
        Ok(Self {
            child,
            port,
            profile,
        })
    }

    /// Chromium processes of this test's profile (started by our chromedriver).
    fn chromium_pids(&self) -> Vec<u32> {
        let marker = self.profile.path().to_string_lossy().into_owned();
        let Ok(entries) = std::fs::read_dir("/proc") else {
            return Vec::new();
        };
        entries
            .filter_map(|e| e.ok())
            .filter_map(|e| e.file_name().to_str()?.parse::<u32>().ok())
            .filter(|pid| {
                std::fs::read(format!("/proc/{pid}/cmdline"))
                    .map(|c| String::from_utf8_lossy(&c).contains(&marker))
                    .unwrap_or(false)
            })
            .collect()
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        // Killing chromedriver does not kill Chromium: end any left of this test's profile.
        for pid in self.chromium_pids() {
            let _ = Command::new("kill").arg("-9").arg(pid.to_string()).status();
        }
    }
}

async fn connect(driver: &Driver) -> Result<Client> {
    let args = vec![
        "--headless".to_string(),
        "--no-sandbox".into(),
        "--disable-gpu".into(),
        "--disable-quic".into(),
        "--no-first-run".into(),
        "--disable-background-networking".into(),
        "--disable-component-update".into(),
        "--disable-sync".into(),
        "--disable-dev-shm-usage".into(),
        "--window-size=1280,900".into(),
        format!("--user-data-dir={}", driver.profile.path().display()),
    ];
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        json!({ "binary": CHROMIUM, "args": args }),
    );
    let url = format!("http://127.0.0.1:{}", driver.port);
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        match ClientBuilder::new(connector)
            .capabilities(caps.clone())
            .connect(&url)
            .await
        {
            Ok(c) => return Ok(c),
            Err(e) if Instant::now() < deadline => {
                let _ = e;
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
            Err(e) => bail!("cannot open a WebDriver session at {url}: {e}"),
        }
    }
}

/// Whether a WebDriver error says an element was replaced while we held it (the page
/// re-rendered it between finding and acting).
fn is_stale(e: &anyhow::Error) -> bool {
    e.chain().any(|cause| {
        matches!(
            cause.downcast_ref::<CmdError>(),
            Some(CmdError::Standard(w)) if w.error == ErrorStatus::StaleElementReference
        )
    })
}

/// Runs a step that finds elements and acts on them again while the page re-renders them
/// (a stale element), up to the usual wait; any other outcome is returned as it is.
async fn settled<T>(step: impl AsyncFn() -> Result<T>) -> Result<T> {
    let deadline = Instant::now() + WAIT;
    loop {
        match step().await {
            Err(e) if is_stale(&e) && Instant::now() < deadline => {
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            other => return other,
        }
    }
}

fn remember<T>(cell: &std::sync::Mutex<Option<T>>, value: Option<T>) {
    *cell
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner) = value;
}

fn recall<T: Clone>(cell: &std::sync::Mutex<Option<T>>) -> Option<T> {
    cell.lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .clone()
}

/// The browser page of one test, with the steps a person takes.
pub struct Page {
    pub client: Client,
    pub app: TestApp,
    /// Who signed in through [`Page::sign_in_with`], for [`Page::graphql`]'s own session.
    signed_in: std::sync::Mutex<Option<(String, String)>>,
    /// The access token of [`Page::graphql`]'s own session.
    helper_token: std::sync::Mutex<Option<String>>,
}

impl Page {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.app.address)
    }

    pub async fn goto(&self, path: &str) -> Result<()> {
        self.client.goto(&self.url(path)).await?;
        Ok(())
    }

    /// Waits for an element matching `css`.
    pub async fn find(&self, css: &str) -> Result<Element> {
        self.client
            .wait()
            .at_most(WAIT)
            .for_element(Locator::Css(css))
            .await
            .with_context(|| format!("no element `{css}` appeared"))
    }

    pub async fn exists(&self, css: &str) -> Result<bool> {
        Ok(self.count(css).await? > 0)
    }

    /// How many elements match `css` now.
    pub async fn count(&self, css: &str) -> Result<usize> {
        Ok(self.client.find_all(Locator::Css(css)).await?.len())
    }

    /// Waits until the text of `css` contains `text`; returns the whole text.
    pub async fn wait_text(&self, css: &str, text: &str) -> Result<String> {
        let deadline = Instant::now() + WAIT;
        let mut last = String::new();
        loop {
            if let Ok(els) = self.client.find_all(Locator::Css(css)).await {
                for el in els {
                    if let Ok(t) = el.text().await {
                        if t.contains(text) {
                            return Ok(t);
                        }
                        last = t;
                    }
                }
            }
            if Instant::now() > deadline {
                bail!("`{css}` never showed {text:?}; last text: {last:?}");
            }
            tokio::time::sleep(POLL).await;
        }
    }

    /// Waits until the location's path (and query) starts with `prefix`.
    pub async fn wait_path(&self, prefix: &str) -> Result<String> {
        let deadline = Instant::now() + WAIT;
        loop {
            let u = self.client.current_url().await?;
            let mut path = u.path().to_string();
            if let Some(q) = u.query() {
                path = format!("{path}?{q}");
            }
            if path.starts_with(prefix) {
                return Ok(path);
            }
            if Instant::now() > deadline {
                bail!("expected to be at {prefix}, still at {path}");
            }
            tokio::time::sleep(POLL).await;
        }
    }

    pub async fn click(&self, css: &str) -> Result<()> {
        settled(async || {
            self.find(css).await?.click().await?;
            Ok(())
        })
        .await
    }

    /// Clears a field and types into it.
    pub async fn fill(&self, css: &str, text: &str) -> Result<()> {
        settled(async || {
            let el = self.find(css).await?;
            el.clear().await?;
            el.send_keys(text).await?;
            Ok(())
        })
        .await
    }

    pub async fn select(&self, css: &str, value: &str) -> Result<()> {
        settled(async || {
            self.find(css).await?.select_by_value(value).await?;
            Ok(())
        })
        .await
    }

    /// Sets a field's value as typing would (date and time inputs take locale-specific
    /// keystrokes), with its `input` and `change` events.
    pub async fn set_value(&self, css: &str, value: &str) -> Result<()> {
        self.find(css).await?;
        self.client
            .execute(
                "const e = document.querySelector(arguments[0]); e.value = arguments[1];
                 e.dispatchEvent(new Event('input', { bubbles: true }));
                 e.dispatchEvent(new Event('change', { bubbles: true }));",
                vec![json!(css), json!(value)],
            )
            .await?;
        Ok(())
    }

    /// Runs a script in the page and returns its result.
    pub async fn js(&self, script: &str) -> Result<serde_json::Value> {
        Ok(self.client.execute(script, vec![]).await?)
    }

    /// From now on, keeps every file the page hands the browser to save (the blobs the app
    /// makes object URLs of), so a test can read what a download button produced.
    pub async fn capture_downloads(&self) -> Result<()> {
        self.js("window.__blobs = [];
             const make = URL.createObjectURL;
             URL.createObjectURL = b => { window.__blobs.push(b); return make(b); };
             return true;")
            .await?;
        Ok(())
    }

    /// The `n`th captured download (from 0), once it exists: its first bytes as text (at most
    /// `max`) and its size.
    pub async fn download(&self, n: usize, max: usize) -> Result<(String, usize)> {
        let got = self
            .client
            .execute_async(
                "const [n, max, done] = arguments;
                 const wait = () => window.__blobs.length > n
                   ? window.__blobs[n].arrayBuffer().then(b => done([
                       new TextDecoder().decode(b.slice(0, max)), b.byteLength]))
                   : setTimeout(wait, 100);
                 wait();",
                vec![n.into(), max.into()],
            )
            .await?;
        let text = got[0].as_str().unwrap_or_default().to_owned();
        let size = got[1].as_u64().unwrap_or_default() as usize;
        Ok((text, size))
    }

    /// Signs in as a demo person on a phone-sized window (390 × 844), the interface in
    /// English, and waits for `home` with its texts.
    pub async fn sign_in_on_a_phone_in_english(&self, login: &str, home: &str) -> Result<()> {
        self.client.set_window_size(390, 844).await?;
        self.goto("/login").await?;
        self.select("#lang-switch", "en").await?;
        self.wait_text("h1", "Sign in to Adal").await?;
        self.sign_in(login).await?;
        self.wait_path(home).await?;
        // A sign-in takes the account's language: choose again, and wait for the texts (with
        // the offer to keep English, above the navigation).
        self.select("#lang-switch", "en").await?;
        self.find("html[lang='en'] .sidenav").await?;
        Ok(())
    }

    /// Reads a card at the school's till page as a USB reader does: its number, then Enter.
    pub async fn read_card_at_till(&self, uid: &str) -> Result<()> {
        self.fill("#till-card", uid).await?;
        self.find("#till-card").await?.send_keys("\u{E007}").await?;
        Ok(())
    }

    /// Clicks a link of the navigation (on a phone, a strip that scrolls sideways) and waits
    /// for its page.
    pub async fn nav_to(&self, href: &str) -> Result<()> {
        let link = format!(".sidenav a[href='{href}']");
        self.find(&link).await?;
        self.js(&format!(
            "document.querySelector(\"{link}\").scrollIntoView({{inline: 'center'}}); return true;"
        ))
        .await?;
        self.click(&link).await?;
        self.wait_path(href).await?;
        Ok(())
    }

    /// The id of the signed-in parent's child whose name contains `name`.
    pub async fn child_id(&self, name: &str) -> Result<String> {
        let r = self.graphql("{ myChildren { id fullName } }").await?;
        r["data"]["myChildren"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|c| c["fullName"].as_str().is_some_and(|n| n.contains(name)))
            .and_then(|c| c["id"].as_str())
            .map(str::to_owned)
            .with_context(|| format!("no child {name} in {r}"))
    }

    /// Signs in as a demo person from the sign-in page (opened if needed).
    pub async fn sign_in(&self, login: &str) -> Result<()> {
        self.sign_in_with(login, DEMO_PASSWORD).await
    }

    /// Signs in with a password from the sign-in page (opened if needed).
    pub async fn sign_in_with(&self, login: &str, password: &str) -> Result<()> {
        remember(
            &self.signed_in,
            Some((login.to_string(), password.to_string())),
        );
        remember(&self.helper_token, None);
        let at = self.client.current_url().await?;
        if at.path() != "/login" {
            self.goto("/login").await?;
        }
        self.fill("#login", login).await?;
        self.fill("#password", password).await?;
        self.click("#sign-in").await?;
        let deadline = Instant::now() + WAIT;
        while self.client.current_url().await?.path() == "/login" {
            if Instant::now() > deadline {
                let shown = self
                    .client
                    .find(Locator::Css(".login-card [role=alert]"))
                    .await
                    .ok()
                    .map(|e| async move { e.text().await.unwrap_or_default() });
                let shown = match shown {
                    Some(f) => f.await,
                    None => String::new(),
                };
                bail!("signing in as {login} failed: {shown}");
            }
            tokio::time::sleep(POLL).await;
        }
        Ok(())
    }

    pub async fn sign_out(&self) -> Result<()> {
        remember(&self.signed_in, None);
        remember(&self.helper_token, None);
        self.click("#sign-out").await?;
        self.wait_path("/login").await?;
        Ok(())
    }

    /// The texts of the portal navigation's links.
    pub async fn nav_links(&self) -> Result<Vec<String>> {
        self.find(".sidenav a").await?;
        settled(async || {
            let mut out = Vec::new();
            for el in self.client.find_all(Locator::Css(".sidenav a")).await? {
                out.push(el.text().await?);
            }
            Ok(out)
        })
        .await
    }

    /// Waits until no element matching `css` contains `text` (a filter took effect).
    pub async fn wait_without(&self, css: &str, text: &str) -> Result<()> {
        let deadline = Instant::now() + WAIT;
        loop {
            let mut found = false;
            for el in self.client.find_all(Locator::Css(css)).await? {
                // A row replaced while we read it may still hold the text: look again.
                found |= match el.text().await {
                    Ok(t) => t.contains(text),
                    Err(_) => true,
                };
            }
            if !found {
                return Ok(());
            }
            if Instant::now() > deadline {
                bail!("`{css}` still shows {text:?}");
            }
            tokio::time::sleep(POLL).await;
        }
    }

    /// The text of the first element matching `css` (waiting for it).
    pub async fn text(&self, css: &str) -> Result<String> {
        settled(async || Ok(self.find(css).await?.text().await?)).await
    }

    /// The current value of a field (its `value` property, not the attribute).
    pub async fn value(&self, css: &str) -> Result<String> {
        settled(async || {
            Ok(self
                .find(css)
                .await?
                .prop("value")
                .await?
                .unwrap_or_default())
        })
        .await
    }

    pub async fn attr(&self, css: &str, name: &str) -> Result<Option<String>> {
        settled(async || Ok(self.find(css).await?.attr(name).await?)).await
    }

    /// Clicks the button inside the first `row_css` element whose text contains `text`.
    pub async fn click_row_button(&self, row_css: &str, text: &str) -> Result<()> {
        self.wait_text(row_css, text).await?;
        settled(async || {
            for row in self.client.find_all(Locator::Css(row_css)).await? {
                if row.text().await?.contains(text) {
                    row.find(Locator::Css("button")).await?.click().await?;
                    return Ok(());
                }
            }
            bail!("no `{row_css}` with {text:?}")
        })
        .await
    }

    /// Picks the option of a `<select>` whose text contains `label`.
    pub async fn select_by_label_containing(&self, css: &str, label: &str) -> Result<()> {
        let deadline = Instant::now() + WAIT;
        loop {
            let picked = settled(async || {
                let select = self.find(css).await?;
                for option in select.find_all(Locator::Css("option")).await? {
                    if option.text().await?.contains(label) {
                        let value = option.attr("value").await?.unwrap_or_default();
                        select.select_by_value(&value).await?;
                        return Ok(true);
                    }
                }
                Ok(false)
            })
            .await?;
            if picked {
                return Ok(());
            }
            if Instant::now() > deadline {
                bail!("`{css}` has no option {label:?}");
            }
            tokio::time::sleep(POLL).await;
        }
    }

    /// `<html lang>`.
    pub async fn html_lang(&self) -> Result<String> {
        let v = self.js("return document.documentElement.lang;").await?;
        Ok(v.as_str().unwrap_or_default().to_string())
    }

    /// The session the app keeps in localStorage (who, and the active role: no token).
    pub async fn stored_session(&self) -> Result<serde_json::Value> {
        let v = self
            .js("return JSON.parse(localStorage.getItem('adal.session'));")
            .await?;
        ensure!(!v.is_null(), "no session stored");
        Ok(v)
    }

    /// An access token of the person signed in by [`Page::sign_in_with`]: a session of the
    /// test's own, since the app keeps its token where no script reaches it, and renewing
    /// the app's cookie from here would race the app.
    async fn token(&self) -> Result<Option<String>> {
        if let Some(t) = recall(&self.helper_token) {
            return Ok(Some(t));
        }
        let Some((login, password)) = recall(&self.signed_in) else {
            return Ok(None);
        };
        let reply = self
            .fetch_graphql(
                "mutation($l: String!, $p: String!) { login(login: $l, password: $p) { accessToken } }",
                json!({ "l": login, "p": password }),
                None,
            )
            .await?;
        let token = reply["data"]["login"]["accessToken"]
            .as_str()
            .with_context(|| format!("signing the test's session in as {login}: {reply}"))?
            .to_string();
        remember(&self.helper_token, Some(token.clone()));
        Ok(Some(token))
    }

    /// `fetch` from the page: the browser's language and origin, as the app's own requests.
    async fn fetch_graphql(
        &self,
        query: &str,
        variables: serde_json::Value,
        token: Option<&str>,
    ) -> Result<serde_json::Value> {
        let script = "const [query, variables, token, done] = arguments;\
            const headers = { 'Content-Type': 'application/json' };\
            if (token) { headers['Authorization'] = 'Bearer ' + token; }\
            fetch('/graphql', { method: 'POST', headers, body: JSON.stringify({ query, variables }) })\
              .then(r => r.json()).then(done, e => done({ error: String(e) }));";
        Ok(self
            .client
            .execute_async(script, vec![json!(query), variables, json!(token)])
            .await?)
    }

    async fn graphql_with(&self, query: &str, auth: bool) -> Result<serde_json::Value> {
        let token = if auth { self.token().await? } else { None };
        self.fetch_graphql(query, json!({}), token.as_deref()).await
    }

    /// The id of the graduate whose full name starts with `last_name` (the signed-in
    /// person must see the register).
    pub async fn graduate_id(&self, last_name: &str) -> Result<String> {
        let r = self
            .graphql("{ graduates(first: 100) { nodes { id fullName } } }")
            .await?;
        r["data"]["graduates"]["nodes"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|n| {
                n["fullName"]
                    .as_str()
                    .is_some_and(|name| name.starts_with(last_name))
            })
            .and_then(|n| n["id"].as_str())
            .map(str::to_string)
            .with_context(|| format!("no graduate {last_name} in {r}"))
    }

    /// Sends a GraphQL document from the page, as the signed-in person.
    pub async fn graphql(&self, query: &str) -> Result<serde_json::Value> {
        self.graphql_with(query, true).await
    }

    /// Sends a GraphQL document from the page without a token.
    pub async fn graphql_anonymous(&self, query: &str) -> Result<serde_json::Value> {
        self.graphql_with(query, false).await
    }

    /// Polls a query until `data` at the JSON `pointer` equals `expected`.
    pub async fn wait_graphql(&self, query: &str, pointer: &str, expected: &str) -> Result<()> {
        let deadline = Instant::now() + WAIT;
        loop {
            let reply = self.graphql(query).await?;
            let got = reply["data"].pointer(pointer).cloned().unwrap_or_default();
            if got == expected {
                return Ok(());
            }
            if Instant::now() > deadline {
                bail!("{query}: {pointer} is {got}, expected {expected}; reply {reply}");
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }

    /// Saves a screenshot under `$ADAL_E2E_SCREENSHOTS/<name>.png` when that is set, for
    /// people to look at the pages.
    pub async fn screenshot_for_review(&self, name: &str) -> Result<()> {
        if let Some(dir) = std::env::var_os("ADAL_E2E_SCREENSHOTS") {
            self.screenshot(&PathBuf::from(dir).join(format!("{name}.png")))
                .await?;
        }
        Ok(())
    }

    /// Saves a screenshot (for looking at pages, not only on failure).
    pub async fn screenshot(&self, path: &Path) -> Result<()> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        std::fs::write(path, self.client.screenshot().await?)?;
        Ok(())
    }
}

/// Saves a screenshot and the page's HTML of a failed test.
async fn save_artifacts(client: &Client, dir: &Path) -> Result<()> {
    std::fs::create_dir_all(dir)?;
    let png = client.screenshot().await?;
    std::fs::write(dir.join("screenshot.png"), png)?;
    let html = client.source().await?;
    std::fs::write(dir.join("page.html"), html)?;
    Ok(())
}

/// Runs one browser test: a fresh server with demo data, chromedriver and Chromium; saves
/// artifacts on failure; always closes the session and kills chromedriver.
///
/// ```text
/// e2e::run("signs_in", async |page| {
///     page.sign_in("admin").await?;
///     Ok(())
/// })
/// .await;
/// ```
pub async fn run<F>(name: &str, test: F)
where
    F: AsyncFnOnce(&Page) -> Result<()>,
{
    run_with(name, |_| {}, test).await;
}

/// [`run`] with the server's settings changed first, as `ADAL_*` variables would change them
/// for `adal serve` (e.g. the notification channels pointed at local fake gateways).
pub async fn run_with<F>(name: &str, customise: impl FnOnce(&mut Settings), test: F)
where
    F: AsyncFnOnce(&Page) -> Result<()>,
{
    check_prerequisites();
    let app = adal_testkit::spawn_app_with_demo_and(customise).await;
    if let Err(e) = run_in_browser(name, app, test).await {
        panic!("{name} failed: {e:#}");
    }
}

async fn run_in_browser<F>(name: &str, app: TestApp, test: F) -> Result<()>
where
    F: AsyncFnOnce(&Page) -> Result<()>,
{
    let driver = Driver::start()?;
    let client = connect(&driver).await?;
    let page = Page {
        client,
        app,
        signed_in: Default::default(),
        helper_token: Default::default(),
    };
    let artifacts = workspace_root().join("e2e/artifacts").join(name);
    let _ = std::fs::remove_dir_all(&artifacts);

    let result = AssertUnwindSafe(test(&page)).catch_unwind().await;
    let outcome = match result {
        Ok(Ok(())) => Ok(()),
        Ok(Err(e)) => Err(e),
        Err(panic) => {
            let msg = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_else(|| "panic".into());
            Err(anyhow!("panicked: {msg}"))
        }
    };
    if outcome.is_err() {
        match save_artifacts(&page.client, &artifacts).await {
            Ok(()) => eprintln!("artifacts of the failure: {}", artifacts.display()),
            Err(e) => eprintln!("could not save artifacts: {e:#}"),
        }
    }
    if let Err(e) = page.client.close().await {
        eprintln!("closing the WebDriver session: {e}");
    }
    drop(driver);
    outcome
}

/// This month in Kazakhstan (UTC+5), as the API writes it (`YYYYMM`) and the pages count it,
/// whatever the browser's time zone.
pub async fn this_month(page: &Page) -> Result<i64> {
    page.js("const d = new Date(Date.now() + 5 * 3600 * 1000);
             return d.getUTCFullYear() * 100 + d.getUTCMonth() + 1;")
        .await?
        .as_i64()
        .context("this month")
}

/// A PNG of one pixel (a photo, a scanned certificate).
pub const PNG: [u8; 70] = [
    137, 80, 78, 71, 13, 10, 26, 10, 0, 0, 0, 13, 73, 72, 68, 82, 0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0,
    0, 0, 31, 21, 196, 137, 0, 0, 0, 13, 73, 68, 65, 84, 120, 218, 99, 252, 207, 192, 80, 15, 0, 4,
    133, 1, 128, 132, 169, 140, 33, 0, 0, 0, 0, 73, 69, 78, 68, 174, 66, 96, 130,
];

/// The demo's allocated voucher campaign, as the signed-in akimat officer's API lists it.
pub async fn allocated_campaign(page: &Page) -> Result<String> {
    let r = page.graphql("{ voucherCampaigns { id status } }").await?;
    r["data"]["voucherCampaigns"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|c| c["status"] == "ALLOCATED")
        .and_then(|c| c["id"].as_str())
        .map(str::to_owned)
        .context("the demo's allocated campaign")
}

/// A valid BIN that the demo data does not use: registered in `yymm`, serial `serial`.
pub fn valid_bin(yymm: &str, serial: u32) -> String {
    for tail in 0..100u32 {
        let eleven = format!("{yymm}40{:05}", (serial * 100 + tail) % 100_000);
        let d: Vec<u32> = eleven.chars().filter_map(|c| c.to_digit(10)).collect();
        let sum = |w: [u32; 11]| d.iter().zip(w).map(|(a, b)| a * b).sum::<u32>() % 11;
        let mut c = sum([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
        if c == 10 {
            c = sum([3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2]);
        }
        if c < 10 {
            return format!("{eleven}{c}");
        }
    }
    String::new()
}

// ---- the parent's pages on a phone (school and vouchers) ----

/// A phone-sized window (390 px wide), the demo parent signed in, the interface in `lang`
/// (chosen in the language menu).
pub async fn parent_on_a_phone(page: &Page, lang: &str) -> Result<()> {
    page.client.set_window_size(390, 844).await?;
    page.sign_in("parent").await?;
    page.select("#lang-switch", lang).await?;
    Ok(())
}

/// Fails when the page is wider than the window (a phone scrolling sideways).
pub async fn fits_the_phone(page: &Page, what: &str) -> Result<()> {
    let wide = page
        .js("return document.documentElement.scrollWidth > window.innerWidth + 1;")
        .await?;
    ensure!(
        wide == serde_json::Value::Bool(false),
        "{what} is wider than a phone"
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_bins_have_a_valid_check_digit() {
        for serial in 0..50 {
            let bin = valid_bin("2411", serial);
            assert_eq!(bin.len(), 12, "{bin}");
            let d: Vec<u32> = bin.chars().filter_map(|c| c.to_digit(10)).collect();
            let s: u32 = d[..11].iter().zip(1..=11).map(|(a, b)| a * b).sum::<u32>() % 11;
            if s != 10 {
                assert_eq!(s, d[11], "{bin}");
            }
        }
    }
}
