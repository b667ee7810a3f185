//! The language a person chose, in real headless Chromium: the one chosen on the sign-in page
//! stays after sign-in (the account's saved language is changed only when the person keeps
//! a choice as their default), and an import's rejections read in the page's language, on a
//! phone too.

use std::path::PathBuf;

use anyhow::{Result, ensure};
use e2e::{Page, fits_the_phone, run};

/// The account's saved language, as the API has it.
async fn saved_language(page: &Page) -> Result<String> {
    let r = page.graphql("{ me { language } }").await?;
    Ok(r["data"]["me"]["language"]
        .as_str()
        .unwrap_or_default()
        .to_owned())
}

#[tokio::test(flavor = "multi_thread")]
async fn english_chosen_at_sign_in_stays_and_the_default_changes_only_when_kept() {
    run(
        "english_chosen_at_sign_in_stays_and_the_default_changes_only_when_kept",
        async |page| {
            // The demo administrator's saved language is Russian.
            page.goto("/login").await?;
            page.select("#lang-switch", "en").await?;
            page.sign_in("admin").await?;
            page.wait_path("/operator").await?;
            page.wait_text("#sign-out", "Sign out").await?;
            ensure!(page.html_lang().await? == "en", "the portal left English");
            ensure!(
                saved_language(page).await? == "RU",
                "signing in changed the default"
            );
            // A reload stays in English too.
            page.goto("/operator/imports").await?;
            page.wait_text("h1", "Imports").await?;

            // Switching asks whether to keep it; "not now" keeps the default.
            page.select("#lang-switch", "kk").await?;
            page.wait_text("#keep-lang", "Қазақша").await?;
            page.click("#keep-lang-no").await?;
            page.wait_text("#sign-out", "Шығу").await?;
            ensure!(!page.exists("#keep-lang").await?, "the question stayed");
            ensure!(
                saved_language(page).await? == "RU",
                "the default changed silently"
            );

            // "Yes" saves it as the account's default.
            page.select("#lang-switch", "en").await?;
            page.wait_text("#keep-lang", "English").await?;
            page.click("#keep-lang-yes").await?;
            page.wait_graphql("{ me { language } }", "/me/language", "EN")
                .await?;
            ensure!(!page.exists("#keep-lang").await?, "the question stayed");
            Ok(())
        },
    )
    .await;
}

/// Writes a file for the browser to upload; returns its absolute path.
fn upload_file(dir: &tempfile::TempDir, name: &str, content: &str) -> Result<String> {
    let path: PathBuf = dir.path().join(name);
    std::fs::write(&path, content)?;
    Ok(path.to_string_lossy().into_owned())
}

#[tokio::test(flavor = "multi_thread")]
async fn a_bad_file_is_rejected_in_kazakh_on_a_phone() {
    run("a_bad_file_is_rejected_in_kazakh_on_a_phone", async |page| {
        page.client.set_window_size(390, 844).await?;
        page.goto("/login").await?;
        // Kazakh chosen on the sign-in page (the page opens in it; choosing it is a choice).
        page.select("#lang-switch", "ru").await?;
        page.wait_text("#sign-in", "Войти").await?;
        page.select("#lang-switch", "kk").await?;
        page.sign_in("admin").await?;
        page.wait_path("/operator").await?;
        page.goto("/operator/imports").await?;
        page.wait_text("#sign-out", "Шығу").await?;

        let dir = tempfile::tempdir()?;
        let iin = adal_core::identifiers::with_check_digit("95010130001")
            .ok_or_else(|| anyhow::anyhow!("no valid IIN"))?;
        let feed = upload_file(
            &dir,
            "feed-bad.csv",
            &format!(
                "iin,employer_id,employer_name,employer_address,period,payment_date,amount_kzt,payment_code\n\
                 12345,940140000385,,,2024-01,,,010\n\
                 {iin},940140000385,,,2024-13,,,010\n\
                 {iin},940140000385,,,2024-01,,,011\n"
            ),
        )?;
        page.select("#import-kind", "CONTRIBUTIONS").await?;
        page.find("#import-file").await?.send_keys(&feed).await?;
        page.click("#start-import").await?;
        page.find("#batch[data-status=completed]").await?;
        let reasons = page.wait_text("#rejections", "ЖСН").await?;
        let cells = page
            .js("return [...document.querySelectorAll('#rejections td.reason')].map(e => e.textContent);")
            .await?;
        let cells: Vec<String> = cells
            .as_array()
            .map(|a| a.iter().filter_map(|v| v.as_str().map(str::to_owned)).collect())
            .unwrap_or_default();
        ensure!(cells.len() == 3, "three rejected lines expected: {reasons:?}");
        for c in &cells {
            ensure!(
                !c.chars().any(|ch| ch.is_ascii_alphabetic()),
                "a rejection is not in Kazakh: {c:?}"
            );
        }
        ensure!(
            cells.iter().any(|c| c.contains("төлем коды") || c.contains("Төлем коды")),
            "the payment code's rejection: {cells:?}"
        );
        fits_the_phone(page, "the import page with its rejections").await?;

        // A file without the required columns is refused whole, in Kazakh, and never says
        // that every line was accepted.
        let refused = upload_file(&dir, "no-columns.csv", "iin,period\n1,2\n")?;
        page.find("#import-file").await?.send_keys(&refused).await?;
        page.click("#start-import").await?;
        page.find("#batch[data-status=failed]").await?;
        page.wait_text("#batch-error", "Файлда міндетті бағандар жоқ")
            .await?;
        let batch = page.text("#batch").await?;
        ensure!(
            !batch.contains("Барлық жол қабылданды") && !page.exists("#batch-summary").await?,
            "a refused file claims accepted lines: {batch:?}"
        );
        page.screenshot_for_review("import-rejected-kk-phone").await?;
        Ok(())
    })
    .await;
}
