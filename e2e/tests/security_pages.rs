//! A second factor, in real headless Chromium and in Russian: an analyst sets it up from the
//! sign-in security page with the key an authenticator app would add, turns it on with the
//! app's code, and from then on signs in with the password and the code of the moment. Where
//! the operator's staff must have one, an administrator without it is sent to set it up.

use anyhow::{Context, Result, ensure};
use e2e::{Page, run, run_with};

use adal_core::auth::second_factor::{STEP_SECS, code_at};

/// The authenticator app's code for `secret`, `ahead` steps from now.
fn app_code(secret: &str, ahead: u64) -> Result<String> {
    let now = u64::try_from(chrono::Utc::now().timestamp())?;
    code_at(secret, now + ahead * STEP_SECS).map_err(|e| anyhow::anyhow!(e.message()))
}

async fn signed_in_portal(page: &Page) -> Result<()> {
    page.wait_path("/operator").await?;
    page.wait_text("#sign-out", "Выйти").await?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
async fn an_analyst_turns_a_second_factor_on_and_signs_in_with_the_apps_code() {
    run(
        "an_analyst_turns_a_second_factor_on_and_signs_in_with_the_apps_code",
        async |page| {
            page.goto("/login").await?;
            page.select("#lang-switch", "ru").await?;
            page.sign_in("analyst").await?;
            signed_in_portal(page).await?;
            // The security page is one link away from every portal.
            page.click("#security-link").await?;
            page.wait_path("/security").await?;
            page.wait_text("#second-factor-state", "Второй фактор выключен")
                .await?;
            page.click("#second-factor-start").await?;
            let key = page.wait_text("#second-factor-key", "").await?;
            let secret: String = key.split_whitespace().collect();
            ensure!(
                secret.len() == 32,
                "the key is not a 160-bit base32 secret: {key:?}"
            );
            let link = page
                .attr("a[href^='otpauth:']", "href")
                .await?
                .context("no link for the authenticator app")?;
            ensure!(
                link.contains(&secret),
                "the link carries another key: {link}"
            );
            let first = app_code(&secret, 0)?;
            page.fill("#code", &first).await?;
            page.click("#second-factor-confirm").await?;
            page.wait_text("#second-factor-done", "Второй фактор включён")
                .await?;
            page.wait_text("#second-factor-state", "при каждом входе")
                .await?;

            // Signing in again: the password alone asks for the code, in Russian.
            page.goto("/operator").await?;
            page.sign_out().await?;
            page.fill("#login", "analyst").await?;
            page.fill("#password", "adal-demo").await?;
            page.click("#sign-in").await?;
            page.wait_text(".login-card [role=alert]", "введите шесть цифр")
                .await?;
            ensure!(page.exists("#code").await?, "no field for the code");
            // The code that turned the factor on does not sign in a second time.
            page.fill("#code", &first).await?;
            page.click("#sign-in").await?;
            page.wait_text(".login-card [role=alert]", "уже использован")
                .await?;
            // The app's next code does.
            page.fill("#code", &app_code(&secret, 1)?).await?;
            page.click("#sign-in").await?;
            signed_in_portal(page).await?;
            Ok(())
        },
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn an_administrator_whose_role_requires_a_second_factor_sets_it_up_before_the_portal_opens() {
    run_with(
        "an_administrator_whose_role_requires_a_second_factor_sets_it_up_before_the_portal_opens",
        |s| s.second_factor_roles = "OPERATOR_ADMIN".into(),
        async |page| {
            page.goto("/login").await?;
            page.select("#lang-switch", "ru").await?;
            page.sign_in("admin").await?;
            // Not the portal: the security page, saying why.
            page.wait_path("/security").await?;
            page.wait_text("#second-factor-required", "требует второго фактора")
                .await?;
            // A portal's address leads back here.
            page.goto("/operator/accounts").await?;
            page.wait_path("/security").await?;
            page.click("#second-factor-start").await?;
            let key = page.wait_text("#second-factor-key", "").await?;
            let secret: String = key.split_whitespace().collect();
            page.fill("#code", &app_code(&secret, 0)?).await?;
            page.click("#second-factor-confirm").await?;
            page.wait_text("#second-factor-done", "").await?;
            ensure!(
                !page.exists("#second-factor-required").await?,
                "still asked to set up the factor"
            );
            // On to the portal, which opens now.
            page.click("#second-factor-continue").await?;
            page.wait_path("/operator").await?;
            page.goto("/operator/accounts").await?;
            page.wait_text("#accounts", "teacher.parent").await?;
            Ok(())
        },
    )
    .await;
}
