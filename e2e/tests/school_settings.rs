//! The school's settings in real headless Chromium: staff see no Settings in the navigation
//! and the address says they have no access; the administrator, on a phone in English, moves
//! the start of lessons and the grace for lateness, saves, and after a reload reads the saved
//! values; in Russian she is told the demo turnstile's client ID is taken, registers a till,
//! reads its secret the one time it is shown, sees the till in the table, and after a reload
//! the secret is gone; the page fits a phone and a 1024 px tablet.

use anyhow::{Result, ensure};
use e2e::{Page, fits_the_phone, run};

/// The demo turnstile's client ID (`adal_server::seed::DEMO_DEVICE`).
const TAKEN_CLIENT_ID: &str = "demo-turnstile";
/// The till the test registers.
const TILL_NAME: &str = "Касса буфета, 2 этаж";
const TILL_CLIENT_ID: &str = "till-buffet-2";

/// Waits until the field `css` holds `value` (the form fills once the settings load).
async fn wait_value(page: &Page, css: &str, value: &str) -> Result<()> {
    for _ in 0..100 {
        if page.value(css).await? == value {
            return Ok(());
        }
        tokio::time::sleep(std::time::Duration::from_millis(150)).await;
    }
    let shown = page.value(css).await?;
    anyhow::bail!("`{css}` holds {shown:?}, expected {value:?}")
}

#[tokio::test(flavor = "multi_thread")]
async fn a_school_admin_sets_lessons_and_grace_and_registers_a_till_shown_its_secret_once() {
    run(
        "a_school_admin_sets_lessons_and_grace_and_registers_a_till_shown_its_secret_once",
        async |page| {
            // Staff: no Settings in the navigation, and no access at its address.
            page.sign_in("school.staff").await?;
            page.wait_path("/school").await?;
            let links = page.nav_links().await?;
            ensure!(
                !page.exists(".sidenav a[href='/school/settings']").await?,
                "school staff see Settings in {links:?}"
            );
            page.goto("/school/settings").await?;
            page.find("#no-access").await?;
            ensure!(
                !page.exists("#profile-form").await?,
                "school staff see the settings form"
            );
            page.goto("/school").await?;
            page.sign_out().await?;

            // The administrator on a phone, in English: the demo school's settings.
            page.sign_in_on_a_phone_in_english("school.admin", "/school")
                .await?;
            page.nav_to("/school/settings").await?;
            page.wait_text("h1", "Settings").await?;
            page.wait_text("#profile-title", "School day and canteen")
                .await?;
            page.wait_text(".hint", "counted late").await?;
            page.wait_text(".hint", "down to the limit").await?;
            wait_value(page, "#lessons-start", "08:30").await?;
            wait_value(page, "#late-grace", "5").await?;
            ensure!(
                page.attr("#credit-limit", "disabled").await?.is_some(),
                "the credit limit can be typed without credit"
            );
            page.wait_text("#school-devices", "Turnstile, main entrance")
                .await?;

            // Lessons from 08:45, late after 10 minutes.
            page.set_value("#lessons-start", "08:45").await?;
            page.fill("#late-grace", "10").await?;
            page.click("#profile-save").await?;
            page.wait_text("#profile-saved", "The settings are saved.")
                .await?;
            fits_the_phone(page, "the settings page").await?;
            page.screenshot_for_review("school-settings").await?;

            // A reload reads them back from the API.
            page.goto("/school/settings").await?;
            page.wait_text("h1", "Settings").await?;
            wait_value(page, "#lessons-start", "08:45").await?;
            wait_value(page, "#late-grace", "10").await?;
            ensure!(
                !page.exists("#profile-saved").await?,
                "a reloaded page still says the settings are saved"
            );

            // In Russian: a client ID already taken is refused and said so.
            page.select("#lang-switch", "ru").await?;
            page.wait_text("h1", "Настройки").await?;
            page.wait_text("#devices-title", "Устройства").await?;
            page.select("#device-kind", "TILL").await?;
            page.fill("#device-name", TILL_NAME).await?;
            page.fill("#device-client-id", TAKEN_CLIENT_ID).await?;
            page.click("#register-device").await?;
            page.wait_text("#devices-title ~ [role=alert]", "уже занят")
                .await?;
            ensure!(
                !page.exists("#device-secret").await?,
                "a refused registration shows a secret"
            );

            // A till with its own client ID: the secret is shown this once.
            page.fill("#device-client-id", TILL_CLIENT_ID).await?;
            page.click("#register-device").await?;
            page.wait_text(
                "#device-registered",
                &format!("Устройство «{TILL_NAME}» зарегистрировано"),
            )
            .await?;
            page.wait_text("#device-registered", "показан только сейчас")
                .await?;
            page.wait_text("#device-registered", "введите его в устройство")
                .await?;
            let client = page.text("#device-client").await?;
            ensure!(
                client == TILL_CLIENT_ID,
                "the registered client ID shows as {client:?}"
            );
            let secret = page.text("#device-secret").await?;
            ensure!(
                secret.len() >= 16 && !secret.contains(' '),
                "the device's secret shows as {secret:?}"
            );
            ensure!(
                !page.exists("#devices-title ~ [role=alert]").await?,
                "the earlier refusal is still shown"
            );
            // The table, reloaded, lists the till in words, never heard from.
            let row = page
                .wait_text("#school-devices tr.device-row", TILL_NAME)
                .await?;
            ensure!(
                row.contains("Касса") && row.contains("Никогда"),
                "the new till's row reads {row:?}"
            );
            ensure!(
                page.value("#device-client-id").await?.is_empty(),
                "the form keeps the registered client ID"
            );
            fits_the_phone(page, "the settings page with a device's secret").await?;
            page.screenshot_for_review("school-settings-device").await?;

            // The same page on a tablet, 1024 px wide: nothing scrolls sideways.
            page.client.set_window_size(1024, 768).await?;
            let overflow = page
                .js("return document.documentElement.scrollWidth - window.innerWidth;")
                .await?;
            ensure!(
                overflow.as_i64().unwrap_or(1) <= 0,
                "the settings page scrolls sideways at 1024 px by {overflow}px"
            );

            // Shown once: after a reload the till is listed and its secret is gone.
            page.goto("/school/settings").await?;
            page.wait_text("#school-devices", TILL_NAME).await?;
            ensure!(
                !page.exists("#device-secret").await?,
                "the device's secret is shown again after a reload"
            );
            wait_value(page, "#lessons-start", "08:45").await?;
            Ok(())
        },
    )
    .await;
}
