//! One program per portal: each person signs in on the sign-in page and lands in their
//! portal's own bundle, moves between its pages without reloading, and a person with two
//! roles moves into another portal's bundle without signing in again.

use anyhow::{Result, ensure};
use e2e::{Page, run};

/// The script and wasm files this page has loaded.
async fn loaded_files(page: &Page) -> Result<Vec<String>> {
    let v = page
        .js("return performance.getEntriesByType('resource').map(e => new URL(e.name).pathname);")
        .await?;
    Ok(v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|x| x.as_str())
                .filter(|p| p.ends_with(".js") || p.ends_with(".wasm"))
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default())
}

/// The page runs the program `portal` (a portal, or one nested in it: `citizen/obligation`)
/// and no other (call once the page shows something of it: then its files are loaded).
async fn runs_bundle(page: &Page, portal: &str) -> Result<()> {
    let files = loaded_files(page).await?;
    let name = portal.replace('/', "_");
    ensure!(
        files
            .iter()
            .any(|f| f == &format!("/{portal}/{name}_bg.wasm")),
        "{portal}'s wasm is not loaded: {files:?}"
    );
    ensure!(
        files.iter().all(|f| f.starts_with(&format!("/{portal}/"))),
        "another bundle is loaded in {portal}: {files:?}"
    );
    Ok(())
}

/// Marks the page; [`same_page`] tells whether the mark survived (no page load since).
async fn mark(page: &Page) -> Result<()> {
    page.js("window.__adalMark = 1; return true;").await?;
    Ok(())
}

async fn same_page(page: &Page) -> Result<bool> {
    Ok(page.js("return window.__adalMark === 1;").await? == serde_json::json!(true))
}

/// Signs in as `login` from `/`, lands on `home` in `portal`'s bundle, switches to English,
/// then follows each `(path, heading)` link of the navigation without a page load.
async fn signs_in_and_navigates(
    page: &Page,
    login: &str,
    portal: &str,
    home: &str,
    links: &[(&str, &str)],
) -> Result<()> {
    page.goto("/").await?;
    page.wait_path("/login").await?;
    page.find("#login").await?;
    runs_bundle(page, "signin").await?;
    page.sign_in(login).await?;
    page.wait_path(home).await?;
    page.find(".sidenav").await?;
    runs_bundle(page, portal).await?;
    page.select("#lang-switch", "en").await?;
    // The page is in English once its texts have arrived (the select shows the choice at
    // once); the offer to keep English as the default appears with them, above the
    // navigation, and a link clicked before it would move under the pointer.
    page.find("html[lang='en'] .sidenav").await?;
    mark(page).await?;
    for (path, heading) in links {
        page.click(&format!(".sidenav a[href='{path}']")).await?;
        page.wait_path(path).await?;
        page.wait_text("h1", heading).await?;
        ensure!(
            page.attr(&format!(".sidenav a[href='{path}']"), "aria-current")
                .await?
                .as_deref()
                == Some("page"),
            "{path} is not marked as the current page"
        );
    }
    ensure!(
        same_page(page).await?,
        "{login}: moving inside {portal} reloaded the page"
    );
    // A reload of a deep path is answered with the same portal.
    if let Some((path, heading)) = links.last() {
        page.goto(path).await?;
        page.wait_text("h1", heading).await?;
        runs_bundle(page, portal).await?;
    }
    page.sign_out().await?;
    page.find("#login").await?;
    runs_bundle(page, "signin").await
}

#[tokio::test(flavor = "multi_thread")]
async fn operator_signs_in_and_navigates_in_the_operator_portal() {
    run(
        "operator_signs_in_and_navigates_in_the_operator_portal",
        async |page| {
            signs_in_and_navigates(
                page,
                "analyst",
                "operator",
                "/operator",
                &[
                    ("/operator/graduates", "Graduates"),
                    ("/operator/commission", "Commission"),
                    ("/operator", "Dashboard"),
                ],
            )
            .await
        },
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_operators_reference_registers_are_a_program_of_their_own() {
    run(
        "the_operators_reference_registers_are_a_program_of_their_own",
        async |page| {
            page.sign_in("analyst").await?;
            page.wait_path("/operator").await?;
            page.select("#lang-switch", "en").await?;
            page.find("html[lang='en'] .sidenav").await?;
            runs_bundle(page, "operator").await?;
            mark(page).await?;
            // The navigation loads the other program as another page.
            page.nav_to("/operator/reference/regions").await?;
            page.wait_text("h1", "Regions").await?;
            page.wait_text("#regions", "Akmola region").await?;
            ensure!(
                !same_page(page).await?,
                "the reference registers are drawn by the operator's program"
            );
            runs_bundle(page, "operator/reference").await?;
            // Its two pages are one program: no page load between them.
            mark(page).await?;
            page.nav_to("/operator/reference/organisations").await?;
            page.wait_text("h1", "Organisations").await?;
            page.wait_text("#organisations", "School-lyceum No. 1")
                .await?;
            ensure!(
                same_page(page).await?,
                "moving between the regions and organisations reloaded the page"
            );
            // A reload of a deep path is answered by the same program; and back.
            page.goto("/operator/reference/organisations").await?;
            page.wait_text("#organisations", "School-lyceum No. 1")
                .await?;
            runs_bundle(page, "operator/reference").await?;
            page.nav_to("/operator/graduates").await?;
            page.wait_text("h1", "Graduates").await?;
            runs_bundle(page, "operator").await
        },
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn akimat_provider_and_school_sign_in_and_navigate_in_their_portals() {
    run(
        "akimat_provider_and_school_sign_in_and_navigate_in_their_portals",
        async |page| {
            for (login, portal, links) in [
                (
                    "akimat",
                    "akimat",
                    &[
                        ("/akimat/providers", "Providers"),
                        ("/akimat/budgets", "Budgets"),
                    ][..],
                ),
                (
                    "provider",
                    "provider",
                    &[
                        ("/provider/sections", "Sections"),
                        ("/provider", "Monthly attendance sheet"),
                    ][..],
                ),
                (
                    "school.admin",
                    "school",
                    &[("/school/menus", "Menus"), ("/school/reports", "Reports")][..],
                ),
            ] {
                signs_in_and_navigates(page, login, portal, &format!("/{portal}"), links).await?;
            }
            Ok(())
        },
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_parent_and_a_graduate_sign_in_to_the_citizen_portal() {
    run(
        "a_parent_and_a_graduate_sign_in_to_the_citizen_portal",
        async |page| {
            signs_in_and_navigates(
                page,
                "parent",
                "citizen",
                "/citizen/children",
                &[
                    ("/citizen/meals", "Meals"),
                    ("/citizen/children", "My children"),
                ],
            )
            .await?;
            page.sign_in("parent").await?;
            page.wait_text("#children", "Әлихан").await?;
            ensure!(
                !page
                    .exists(".sidenav a[href='/citizen/obligation']")
                    .await?,
                "a parent who is no graduate sees the obligation page"
            );
            page.sign_out().await?;

            signs_in_and_navigates(
                page,
                "graduate",
                "citizen/obligation",
                "/citizen/obligation",
                &[("/citizen/obligation", "My obligation")],
            )
            .await?;
            page.sign_in("graduate").await?;
            page.find("#ledger .month").await?;
            // Their obligation and the decisions about them; none of the parent's pages.
            let links = page.nav_links().await?;
            ensure!(
                links.len() == 2 && !page.exists(".sidenav a[href='/citizen/children']").await?,
                "a graduate who is no parent sees the parent's pages: {links:?}"
            );
            Ok(())
        },
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_teacher_who_is_a_parent_switches_from_school_to_citizen_without_signing_in_again() {
    run(
        "a_teacher_who_is_a_parent_switches_from_school_to_citizen_without_signing_in_again",
        async |page| {
            page.sign_in("teacher.parent").await?;
            page.wait_path("/school").await?;
            page.select("#lang-switch", "en").await?;
            page.wait_text(".sidenav", "Canteen till").await?;
            runs_bundle(page, "school").await?;
            mark(page).await?;

            page.select_by_label_containing("#role-switch", "Parent")
                .await?;
            page.wait_path("/citizen/children").await?;
            page.wait_text("#children", "Иванова").await?;
            // Another bundle, loaded afresh, with the same session: no sign-in in between.
            ensure!(
                !same_page(page).await?,
                "the citizen portal is not its own page"
            );
            runs_bundle(page, "citizen").await?;
            ensure!(!page.exists("#login").await?, "the sign-in form is shown");
            ensure!(
                page.text("#role-switch option:checked")
                    .await?
                    .contains("Parent"),
                "the parent role is not active in the citizen portal"
            );

            // And back by the switcher.
            page.select_by_label_containing("#role-switch", "School staff")
                .await?;
            page.wait_path("/school").await?;
            page.wait_text(".sidenav", "Canteen till").await?;
            runs_bundle(page, "school").await?;
            Ok(())
        },
    )
    .await;
}
