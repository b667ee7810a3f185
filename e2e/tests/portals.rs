//! The portals in real headless Chromium: sign-in per demo role, language, the operator's
//! reference pages (a program of their own, with each organisation's and locality's history),
//! role switching, session refresh and expiry, sign-out.

use anyhow::{Context, Result, ensure};
use e2e::{Page, run, valid_bin};

/// The portals, each its own program under its own path.
const PORTALS: [&str; 5] = ["/operator", "/akimat", "/provider", "/school", "/citizen"];

/// Signs in as `login`, checks the landing page and that every other portal says "no access".
async fn lands_on(page: &Page, login: &str, home: &str, nav_links: usize) -> Result<()> {
    page.sign_in(login).await?;
    page.wait_path(home).await?;
    let links = page.nav_links().await?;
    ensure!(
        links.len() == nav_links,
        "{login}: expected {nav_links} pages in the navigation, saw {links:?}"
    );
    for other in PORTALS.iter().filter(|p| !home.starts_with(**p)) {
        page.goto(other).await?;
        page.find("#no-access").await?;
        ensure!(
            !page.exists(".sidenav").await?,
            "{login} sees the navigation of {other}"
        );
    }
    page.goto(home).await?;
    page.sign_out().await
}

#[tokio::test(flavor = "multi_thread")]
async fn every_demo_role_lands_on_its_portal_and_no_other() {
    run(
        "every_demo_role_lands_on_its_portal_and_no_other",
        async |page| {
            page.goto("/").await?;
            page.wait_path("/login").await?;
            lands_on(page, "admin", "/operator", 15).await?;
            lands_on(page, "analyst", "/operator", 13).await?;
            lands_on(page, "commission", "/operator", 7).await?;
            lands_on(page, "akimat", "/akimat", 5).await?;
            lands_on(page, "school.admin", "/school", 8).await?;
            lands_on(page, "school.staff", "/school", 4).await?;
            lands_on(page, "graduate", "/citizen/obligation", 2).await?;
            lands_on(page, "provider", "/provider", 3).await?;

            // The parent sees both children (the demo parent's language is Kazakh).
            page.sign_in("parent").await?;
            page.wait_path("/citizen/children").await?;
            page.wait_text("#children", "Әлихан").await?;
            page.wait_text("#children", "Аружан").await?;
            page.wait_text(".sidenav", "Менің балаларым").await?;
            page.screenshot_for_review("parent-kk").await?;
            // The vouchers page lists the children's applications as cards, not as a table.
            page.goto("/citizen/vouchers").await?;
            page.wait_text("#vch-apps", "Әлихан").await?;
            ensure!(
                !page.exists(".content table").await?,
                "the vouchers page shows a table"
            );
            page.sign_out().await?;

            // A wrong password is refused with a readable message.
            page.fill("#login", "admin").await?;
            page.fill("#password", "not-the-password").await?;
            page.click("#sign-in").await?;
            page.find(".login-card [role=alert]").await?;
            ensure!(
                page.wait_path("/login").await.is_ok(),
                "left the sign-in page"
            );
            Ok(())
        },
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn language_switch_is_kazakh_complete_and_kept_as_chosen() {
    run(
        "language_switch_is_kazakh_complete_and_kept_as_chosen",
        async |page| {
            page.goto("/login").await?;
            page.select("#lang-switch", "en").await?;
            page.wait_text("h1", "Sign in to Adal").await?;
            ensure!(page.html_lang().await? == "en", "html lang is not en");
            page.select("#lang-switch", "kk").await?;
            page.wait_text("h1", "Adal жүйесіне кіру").await?;
            page.wait_text("label[for=password]", "Құпиясөз").await?;
            ensure!(page.html_lang().await? == "kk", "html lang is not kk");
            page.screenshot_for_review("login-kk").await?;

            // The admin's account speaks Russian, but the language chosen on the sign-in
            // page stays.
            page.sign_in("admin").await?;
            page.wait_text(".sidenav", "Ұйымдар").await?;
            ensure!(
                page.html_lang().await? == "kk",
                "html lang is not kk after sign-in"
            );

            // Switching changes every text; keeping it as the default is asked, not silent.
            page.select("#lang-switch", "ru").await?;
            page.wait_text(".sidenav", "Организации").await?;
            page.select("#lang-switch", "kk").await?;
            page.wait_text(".sidenav", "Ұйымдар").await?;
            page.wait_text(".sidenav", "Тіркелгілер").await?;
            page.wait_text("h1", "Шолу").await?;
            ensure!(page.html_lang().await? == "kk", "html lang is not kk");
            page.wait_graphql("{ me { language } }", "/me/language", "RU")
                .await?;
            page.click("#keep-lang-yes").await?;
            page.wait_graphql("{ me { language } }", "/me/language", "KK")
                .await?;
            page.goto("/operator/reference/organisations").await?;
            page.wait_text("#organisations", "«Қаржы орталығы» АҚ")
                .await?;
            page.wait_text("#organisations thead", "БСН").await?;
            page.screenshot_for_review("operator-organisations-kk")
                .await?;
            page.goto("/operator/accounts").await?;
            page.wait_text("#accounts", "teacher.parent").await?;
            page.screenshot_for_review("operator-accounts-kk").await?;
            page.sign_out().await?;

            // The browser's choice before sign-in applies after it too.
            page.select("#lang-switch", "en").await?;
            page.wait_text("h1", "Sign in to Adal").await?;
            page.sign_in("admin").await?;
            page.wait_text(".sidenav", "Organisations").await?;
            Ok(())
        },
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn admin_creates_and_edits_an_organisation_with_bin_checks() {
    run(
        "admin_creates_and_edits_an_organisation_with_bin_checks",
        async |page| {
            page.sign_in("admin").await?;
            page.select("#lang-switch", "en").await?;
            page.goto("/operator/reference/organisations").await?;
            page.wait_text("#organisations", "JSC Financial Center")
                .await?;
            page.click("#new-organisation").await?;

            // The BIN is checked as it is typed.
            page.fill("#org-bin", "94014").await?;
            page.wait_text("#org-bin-message", "5 entered").await?;
            page.fill("#org-bin", "94014000038x").await?;
            page.wait_text("#org-bin-message", "digits only").await?;
            page.fill("#org-bin", "940140000386").await?;
            page.wait_text("#org-bin-message", "check digit does not match")
                .await?;
            page.fill("#org-name-kk", "Сынақ колледжі").await?;
            page.fill("#org-name-ru", "Тестовый колледж").await?;
            page.fill("#org-name-en", "Test College").await?;
            page.select("#org-kind-input", "COLLEGE").await?;
            page.select("#org-region-input", "710000000").await?;
            page.click("#save-organisation").await?;
            // Not sent: the form stays, the BIN is marked invalid.
            page.find("#org-form").await?;
            ensure!(
                page.attr("#org-bin", "aria-invalid").await?.as_deref() == Some("true"),
                "the bad BIN is not marked invalid"
            );
            page.screenshot_for_review("organisation-bad-bin").await?;

            let bin = valid_bin("2411", 7);
            page.fill("#org-bin", &bin).await?;
            page.wait_text("#org-bin-message", "The BIN is valid")
                .await?;
            page.click("#save-organisation").await?;
            page.wait_text("#saved", &bin).await?;
            page.fill("#org-search", &bin).await?;
            page.wait_text("#organisations", "Test College").await?;

            // The same BIN again: the API refuses and the page says why.
            page.click("#new-organisation").await?;
            page.fill("#org-bin", &bin).await?;
            page.fill("#org-name-kk", "Екінші").await?;
            page.fill("#org-name-ru", "Второй").await?;
            page.fill("#org-name-en", "Second").await?;
            page.click("#save-organisation").await?;
            page.find("#org-form [role=alert]").await?;
            page.click("#org-form button.secondary").await?;

            // Edit the new organisation.
            page.click("#organisations button.edit").await?;
            page.fill("#org-name-en", "Test College of Astana").await?;
            page.click("#save-organisation").await?;
            page.wait_text("#saved", &bin).await?;
            page.wait_text("#organisations", "Test College of Astana")
                .await?;
            Ok(())
        },
    )
    .await;
}

/// The cells of the rows of an opened history table, in order.
async fn history_rows(page: &Page, css: &str) -> Result<Vec<Vec<String>>> {
    let v = page
        .js(&format!(
            "return [...document.querySelectorAll('{css} tbody tr')]\
             .map(r => [...r.cells].map(c => c.textContent.trim()));"
        ))
        .await?;
    Ok(serde_json::from_value(v)?)
}

#[tokio::test(flavor = "multi_thread")]
async fn an_organisations_history_shows_each_value_from_its_date() {
    run(
        "an_organisations_history_shows_each_value_from_its_date",
        async |page| {
            page.sign_in("admin").await?;
            page.select("#lang-switch", "en").await?;
            // The demo employer, an employer in Botakara since it was registered, is
            // classified as an agrarian organisation in Karaganda from 1 December 2026.
            let r = page
                .graphql(r#"{ organisations(filter: { search: "Dala Agro" }, first: 1) { nodes { id } } }"#)
                .await?;
            let id = r["data"]["organisations"]["nodes"][0]["id"]
                .as_str()
                .with_context(|| format!("the demo employer: {r}"))?
                .to_owned();
            let r = page
                .graphql(&format!(
                    "mutation {{ classifyEmployer(id: \"{id}\", kind: AGRARIAN, localityKato: \"351010000\", activityCode: \"01110\", effectiveFrom: \"2026-12-01\") {{ id }} }}"
                ))
                .await?;
            ensure!(r["errors"].is_null(), "classifying the employer: {r}");

            page.goto("/operator/reference/organisations").await?;
            page.fill("#org-search", "Dala Agro").await?;
            page.wait_without("#organisations", "School-lyceum").await?;
            // Its first button opens the history (the administrator's second edits).
            page.click_row_button("#organisations tr", "Dala Agro LLP")
                .await?;
            let history = format!("#org-history-{id}");
            page.wait_text(&history, "1 December 2026").await?;
            ensure!(
                page.attr(&format!("#organisations button[aria-controls='org-history-{id}']"), "aria-expanded")
                    .await?
                    .as_deref()
                    == Some("true"),
                "the history button does not say it is open"
            );
            let rows = history_rows(page, &history).await?;
            // From, kind, locality, activity code, recorded, source.
            ensure!(rows.len() == 2, "two versions expected: {rows:?}");
            let (first, then) = (&rows[0], &rows[1]);
            // Its locality then, named as the locality it is, not as a KATO code.
            ensure!(
                first[0] == "From the start"
                    && first[1] == "Employer"
                    && first[2] == "Botakara settlement",
                "the first version: {first:?}"
            );
            ensure!(
                !first.concat().contains("1900"),
                "the start is shown as a date: {first:?}"
            );
            ensure!(
                then[0] == "1 December 2026"
                    && then[1] == "Agrarian organisation"
                    && then[2] == "Karaganda"
                    && then[3] == "01110"
                    && then[5] == "by an operator",
                "the classification: {then:?}"
            );
            // Recorded today, in Kazakhstan's time (`YYYY-MM-DD hh:mm` in English).
            ensure!(
                then[4].len() == 16 && then[4].as_bytes()[10] == b' ',
                "the time it was recorded: {then:?}"
            );
            page.screenshot_for_review("organisation-history-en").await?;

            // The administrator changes its kind in the register's form, saying from when:
            // dated before the classification, the change is refused at its date; dated
            // 5 December, it is the third version, and the months before keep the others.
            page.click("#organisations button.edit").await?;
            page.select("#org-kind-input", "RESEARCH_UNIT").await?;
            page.set_value("#org-effective-input", "2026-11-01").await?;
            page.click("#save-organisation").await?;
            page.wait_text("#org-effective-hint", "before the organisation's latest recorded change")
                .await?;
            page.set_value("#org-effective-input", "2026-12-05").await?;
            page.click("#save-organisation").await?;
            page.wait_graphql(
                &format!("{{ organisation(id: \"{id}\") {{ kind }} }}"),
                "/organisation/kind",
                "RESEARCH_UNIT",
            )
            .await?;
            page.goto("/operator/reference/organisations").await?;
            page.fill("#org-search", "Dala Agro").await?;
            page.wait_without("#organisations", "School-lyceum").await?;
            page.click_row_button("#organisations tr", "Dala Agro LLP")
                .await?;
            page.wait_text(&history, "5 December 2026").await?;
            let rows = history_rows(page, &history).await?;
            ensure!(
                rows.len() == 3 && rows[1][0] == "1 December 2026" && rows[2][0] == "5 December 2026",
                "three versions expected: {rows:?}"
            );

            // The same history in Russian; closing it hides it.
            page.select("#lang-switch", "ru").await?;
            page.wait_text(&history, "С самого начала").await?;
            page.wait_text(&history, "1 декабря 2026 г.").await?;
            page.click(&format!("#organisations button[aria-controls='org-history-{id}']"))
                .await?;
            page.wait_without("#organisations", "С самого начала")
                .await?;
            Ok(())
        },
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn analyst_reads_reference_pages_without_writing() {
    run(
        "analyst_reads_reference_pages_without_writing",
        async |page| {
            page.sign_in("analyst").await?;
            page.select("#lang-switch", "en").await?;
            page.goto("/operator/reference/organisations").await?;
            page.wait_text("#organisations", "School-lyceum No. 1")
                .await?;
            // The reference registers are a program of their own.
            let program = page
                .js("return document.querySelector('meta[name=adal-program]').content;")
                .await?;
            ensure!(program == "operator/reference", "served by {program}");
            page.find("#read-only").await?;
            ensure!(
                !page.exists("#new-organisation").await?,
                "analyst can create"
            );
            ensure!(
                !page.exists("#organisations button.edit").await?,
                "analyst can edit"
            );

            // Filters: kind and search.
            page.select("#org-kind", "UNIVERSITY").await?;
            page.wait_without("#organisations", "School-lyceum").await?;
            page.wait_text("#organisations", "Eurasian National University")
                .await?;
            page.select("#org-kind", "").await?;
            page.fill("#org-search", "lyceum").await?;
            page.wait_without("#organisations", "Eurasian").await?;
            page.wait_text("#organisations", "School-lyceum No. 1")
                .await?;

            // Regions with their localities and the rural flag.
            page.goto("/operator/reference/regions").await?;
            page.wait_text("#regions", "Akmola region").await?;
            page.click_row_button("#regions tr", "Akmola region")
                .await?;
            page.wait_text("#localities", "Zhaltyr village").await?;
            page.wait_text("#localities", "Rural").await?;
            // Its rural flag's history: the demo's village is rural from the start.
            page.click_row_button("#localities tr", "Zhaltyr village")
                .await?;
            page.wait_text("#locality-history-116835100", "From the start")
                .await?;
            page.wait_text("#locality-history-116835100", "Rural")
                .await?;
            page.select("#locality-rural", "urban").await?;
            page.wait_without("#localities tbody", "Zhaltyr").await?;
            page.wait_text("#localities", "Kokshetau").await?;
            page.screenshot_for_review("operator-regions-en").await?;

            // Accounts: the analyst reads them but cannot change them.
            page.goto("/operator/accounts").await?;
            page.wait_text("#accounts", "teacher.parent").await?;
            page.find("#read-only").await?;
            ensure!(
                !page.exists("#new-account").await?,
                "analyst can create accounts"
            );
            Ok(())
        },
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn admin_creates_an_account_and_manages_its_roles() {
    run(
        "admin_creates_an_account_and_manages_its_roles",
        async |page| {
            page.sign_in("admin").await?;
            page.select("#lang-switch", "en").await?;
            page.goto("/operator/accounts").await?;
            page.wait_text("#accounts", "school.admin").await?;
            page.click("#new-account").await?;
            page.fill("#new-login", "new.teacher").await?;
            page.fill("#new-password", "Correct-horse-battery-9")
                .await?;
            page.select("#new-role", "SCHOOL_STAFF").await?;
            page.fill("#new-org-search", "lyceum").await?;
            page.wait_text("#new-org", "School-lyceum No. 1").await?;
            page.select_by_label_containing("#new-org", "School-lyceum No. 1")
                .await?;
            page.click("#account-form button[type=submit]").await?;
            page.wait_text("[role=status]", "new.teacher").await?;

            page.fill("#account-search", "new.teacher").await?;
            // Wait for the filtered list, so "Open" is the new account's.
            page.wait_without("#accounts", "school.admin").await?;
            page.wait_text("#accounts", "School staff").await?;
            page.click("#accounts button.link").await?;
            page.find("#account-detail").await?;
            page.select("#assign-role", "COMMISSION_MEMBER").await?;
            page.click("#assign-role-form button[type=submit]").await?;
            page.wait_text("#accounts", "Commission member").await?;
            page.click_row_button("#account-detail .roles li", "Commission member")
                .await?;
            page.wait_text("[role=status]", "Role revoked").await?;
            page.wait_without("#accounts", "Commission member").await?;
            page.sign_out().await?;

            page.sign_in_with("new.teacher", "Correct-horse-battery-9")
                .await?;
            page.wait_path("/school").await?;
            Ok(())
        },
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn an_account_with_two_roles_switches_portals() {
    run("an_account_with_two_roles_switches_portals", async |page| {
        page.sign_in("teacher.parent").await?;
        page.wait_path("/school").await?;
        page.select("#lang-switch", "en").await?;
        page.wait_text(".sidenav", "Canteen till").await?;
        page.select_by_label_containing("#role-switch", "Parent")
            .await?;
        page.wait_path("/citizen/children").await?;
        page.wait_text("#children", "Иванова").await?;
        page.screenshot_for_review("parent-en").await?;
        // Parents use phones: the page fits a phone's width without sideways scrolling.
        page.client.set_window_size(390, 844).await?;
        page.wait_text("#children", "Иванова").await?;
        let overflow = page
            .js("return document.documentElement.scrollWidth - window.innerWidth;")
            .await?;
        ensure!(
            overflow.as_i64().unwrap_or(1) <= 0,
            "the parent page scrolls sideways on a phone by {overflow}px"
        );
        page.screenshot_for_review("parent-phone").await?;
        page.client.set_window_size(1280, 900).await?;
        // Back by the switcher, and by a link to the school portal.
        page.select_by_label_containing("#role-switch", "School staff")
            .await?;
        page.wait_path("/school").await?;
        // Left at once: a renewal still in flight whose answer is lost does not end the
        // session (the next page presents the spent token once more).
        page.goto("/citizen/allergens").await?;
        page.wait_text("h1", "Allergens").await?;
        ensure!(
            page.text("#role-switch option:checked")
                .await?
                .contains("Parent"),
            "opening the parent portal did not make the parent role active"
        );
        page.goto("/operator").await?;
        page.find("#no-access").await?;
        page.sign_out().await
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn sessions_refresh_expire_and_sign_out() {
    run("sessions_refresh_expire_and_sign_out", async |page| {
        page.sign_in("admin").await?;
        page.goto("/operator/accounts").await?;
        page.wait_text("#accounts", "teacher.parent").await?;

        // No token where a script on the page reaches it: the browser's storage holds who is
        // signed in, and the refresh cookie is HttpOnly, sent to the API only.
        let storage = page.js("return JSON.stringify(localStorage);").await?;
        let storage = storage.as_str().unwrap_or_default();
        ensure!(
            storage.contains("admin") && !storage.contains("token") && !storage.contains("eyJ"),
            "a token is kept in localStorage: {storage}"
        );
        let script_sees = page.js("return document.cookie;").await?;
        ensure!(
            !script_sees
                .as_str()
                .unwrap_or_default()
                .contains("adal_refresh"),
            "a script reads the refresh cookie: {script_sees}"
        );
        let first = refresh_cookie(page).await?;
        ensure!(
            first.http_only() == Some(true)
                && first.secure() == Some(true)
                && first.same_site().map(|s| s.to_string()).as_deref() == Some("Strict")
                && first.path() == Some("/graphql"),
            "the refresh cookie is not HttpOnly, Secure, SameSite=Strict for /graphql: {first:?}"
        );

        // Each page load renews the access token from the cookie, which rotates.
        page.goto("/operator/accounts").await?;
        page.wait_text("#accounts", "teacher.parent").await?;
        let second = refresh_cookie(page).await?;
        ensure!(
            first.value() != second.value(),
            "the refresh token did not rotate"
        );

        // A renewal whose answer never reached the browser (the person left the page while it
        // was in flight): the browser still holds the spent token. The next page presents it,
        // and the session goes on with a new one.
        page.client.delete_cookie("adal_refresh").await?;
        page.client.add_cookie(first.clone()).await?;
        page.goto("/operator/accounts").await?;
        page.wait_text("#accounts", "teacher.parent").await?;
        let third = refresh_cookie(page).await?;
        ensure!(
            third.value() != first.value() && third.value() != second.value(),
            "the spent token was not exchanged for a new one"
        );

        // When the session cannot be renewed, back to sign-in, then to the same page.
        page.client.delete_cookie("adal_refresh").await?;
        page.goto("/operator/accounts").await?;
        let at = page.wait_path("/login?next=").await?;
        ensure!(at.contains("accounts"), "next is lost: {at}");
        page.find("#login-notice").await?;
        page.sign_in("admin").await?;
        page.wait_path("/operator/accounts").await?;
        page.wait_text("#accounts", "teacher.parent").await?;

        // Sign-out forgets the session: the cookie (the API ends its session: the `auth`
        // suite's cookie test), and the page's storage.
        page.sign_out().await?;
        page.find("#login-notice").await?;
        ensure!(
            page.js("return localStorage.getItem('adal.session');")
                .await?
                .is_null(),
            "session still stored"
        );
        page.goto("/graphql").await?;
        ensure!(
            page.client.get_named_cookie("adal_refresh").await.is_err(),
            "the refresh cookie is still kept after sign-out"
        );
        page.goto("/operator").await?;
        page.wait_path("/login?next=").await?;
        Ok(())
    })
    .await;
}

/// The refresh cookie as the browser keeps it (read where it is sent: under `/graphql`).
async fn refresh_cookie(page: &Page) -> anyhow::Result<fantoccini::cookies::Cookie<'static>> {
    page.goto("/graphql").await?;
    Ok(page.client.get_named_cookie("adal_refresh").await?)
}
