//! The small things a person notices in a day's office work, in real headless Chromium: a
//! wrong password said as such, the site's icon, a title per page, the register's filters in
//! the address (bookmarked, shared, restored; a wrong IIN or year said, not ignored), the
//! register as cards and the current tab in view on a phone, and a parent's child's name as a
//! link to the child's page.

use std::time::Duration;

use anyhow::{Result, bail, ensure};
use e2e::{Page, fits_the_phone, run};
use tokio::time::Instant;

/// Waits until `script` (returning a boolean) holds in the page.
async fn wait_js(page: &Page, script: &str, what: &str) -> Result<()> {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if page.js(script).await? == serde_json::Value::Bool(true) {
            return Ok(());
        }
        if Instant::now() > deadline {
            bail!("{what}: never true");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn title(page: &Page) -> Result<String> {
    Ok(page
        .js("return document.title;")
        .await?
        .as_str()
        .unwrap_or_default()
        .to_owned())
}

#[tokio::test(flavor = "multi_thread")]
async fn analyst_shares_a_filtered_register_and_finds_each_page_by_its_title() {
    run(
        "analyst_shares_a_filtered_register_and_finds_each_page_by_its_title",
        async |page| {
            // A wrong password: the sign-in page says that the login or password is wrong.
            page.goto("/login").await?;
            page.select("#lang-switch", "en").await?;
            page.fill("#login", "analyst").await?;
            page.fill("#password", "not-the-password").await?;
            page.click("#sign-in").await?;
            page.wait_text("#login-error", "The login or password is wrong.")
                .await?;

            // The site's icon is linked from every page and served.
            let icon = page
                .js("const l = document.querySelector('link[rel=icon]');
                     const x = new XMLHttpRequest(); x.open('GET', l.getAttribute('href'), false); x.send();
                     return [l.getAttribute('href'), x.status, x.getResponseHeader('content-type')];")
                .await?;
            ensure!(
                icon == serde_json::json!(["/favicon.svg", 200, "image/svg+xml"]),
                "the icon: {icon}"
            );

            page.sign_in("analyst").await?;
            page.select("#lang-switch", "en").await?;

            // A shared address opens the filtered list, its filters shown as chosen.
            page.goto("/operator/graduates?status=BREACH").await?;
            page.wait_text("#graduates", "Омаров").await?;
            ensure!(
                page.value("#grad-status").await? == "BREACH",
                "the status filter from the address is not shown"
            );
            wait_js(
                page,
                "return document.title.startsWith('Graduates · ');",
                "the register's title",
            )
            .await?;

            // Filters set on the page go into the address; a reload keeps them.
            page.fill("#grad-year", "2099").await?;
            let at = page.wait_path("/operator/graduates?status=BREACH&year=2099").await?;
            page.find("#graduates-empty").await?;
            page.goto(&at).await?;
            page.find("#graduates-empty").await?;
            ensure!(
                page.value("#grad-year").await? == "2099"
                    && page.value("#grad-status").await? == "BREACH",
                "the reloaded page lost its filters"
            );

            // A year or an IIN that cannot be is said, not silently ignored.
            page.fill("#grad-year", "20").await?;
            page.wait_text(".field-error", "Enter a year from 1990 to 2100")
                .await?;
            page.wait_path("/operator/graduates?status=BREACH").await?;
            page.wait_text("#graduates", "Омаров").await?;
            page.fill("#grad-iin", "123456789012").await?;
            page.wait_text("#grad-iin-error", "Not a valid IIN").await?;
            page.wait_text("#graduates", "Омаров").await?;

            // On a phone the register reads as cards, and the page fits.
            page.client.set_window_size(390, 844).await?;
            wait_js(
                page,
                "const r = document.querySelector('#graduates tbody tr');
                 return !!r && getComputedStyle(r).display === 'block';",
                "the register's rows as cards",
            )
            .await?;
            fits_the_phone(page, "the register").await?;

            // The last tab of the navigation is in view on a phone when its page is open.
            page.goto("/operator/accounts").await?;
            wait_js(
                page,
                "const a = document.querySelector('.sidenav a[aria-current=page]');
                 if (!a || !a.getAttribute('href').endsWith('/accounts')) return false;
                 const r = a.getBoundingClientRect();
                 return r.left >= 0 && r.right <= window.innerWidth;",
                "the current tab in view",
            )
            .await?;
            let t = title(page).await?;
            ensure!(
                t.starts_with("Accounts · ") && t.ends_with(" · Adal"),
                "the accounts page's title: {t:?}"
            );

            // A parent's child's name opens the child's page.
            page.sign_out().await?;
            page.sign_in("parent").await?;
            page.goto("/citizen/children").await?;
            page.click("#children h2 a").await?;
            page.wait_path("/citizen/attendance?child=").await?;
            Ok(())
        },
    )
    .await;
}
