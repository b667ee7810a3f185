//! The operator's and the graduate's pages as office work meets them (issue 19): the ledger
//! tapped on a phone, the graduates list downloaded as a CSV that Excel opens, and the
//! qualification rules changed through a form (its own program under `/operator/rules`).

use anyhow::{Context, Result, ensure};
use e2e::{Page, fits_the_phone, run};

/// "2025-03" as the Russian ledger names the month ("Март 2025").
fn month_ru(period: &str) -> Option<String> {
    const NAMES: [&str; 12] = [
        "Январь",
        "Февраль",
        "Март",
        "Апрель",
        "Май",
        "Июнь",
        "Июль",
        "Август",
        "Сентябрь",
        "Октябрь",
        "Ноябрь",
        "Декабрь",
    ];
    let (y, m) = period.split_once('-')?;
    let m: usize = m.parse().ok()?;
    Some(format!("{} {y}", NAMES.get(m.checked_sub(1)?)?))
}

#[tokio::test(flavor = "multi_thread")]
async fn graduate_taps_a_month_of_the_ledger_on_a_phone_and_reads_its_reason() {
    run(
        "graduate_taps_a_month_of_the_ledger_on_a_phone_and_reads_its_reason",
        async |page| {
            page.client.set_window_size(390, 844).await?;
            page.sign_in("graduate").await?;
            page.wait_path("/citizen/obligation").await?;
            page.select("#lang-switch", "ru").await?;
            page.wait_text("#credited-months", "Засчитано месяцев")
                .await?;
            // A row per year, labelled with the year.
            let years = page.count("#ledger .ledger-year").await?;
            ensure!(years >= 2, "the ledger has {years} year rows");
            page.wait_text("#ledger .ledger-year .year", "20").await?;
            fits_the_phone(page, "the ledger").await?;

            // Each month tells a screen reader its month, state and employer.
            let cell = "#ledger button.month[data-state=CREDITED]";
            let period = page.attr(cell, "data-period").await?.context("a period")?;
            let name = month_ru(&period).context("a month name")?;
            let label = page.attr(cell, "aria-label").await?.unwrap_or_default();
            ensure!(
                label.starts_with(&name)
                    && label.contains("Засчитан")
                    && label.contains("Дала Агро"),
                "the cell of {period} reads {label:?}"
            );

            // Tapping it shows the same beside the ledger.
            page.click(cell).await?;
            page.wait_text("#month-detail", &name).await?;
            let detail = page.wait_text("#month-detail", "Засчитан").await?;
            ensure!(
                detail.contains("Дала Агро"),
                "the tapped month reads {detail:?}"
            );
            ensure!(
                page.attr(cell, "aria-pressed").await?.as_deref() == Some("true"),
                "the tapped month is not marked as chosen"
            );

            // A month that does not count says why.
            let other = "#ledger button.month:not([data-state=CREDITED])";
            if page.exists(other).await? {
                let label = page.attr(other, "aria-label").await?.unwrap_or_default();
                page.click(other).await?;
                let why = label.rsplit(" · ").next().unwrap_or_default().to_owned();
                page.wait_text("#month-detail", &why).await?;
            }
            page.screenshot_for_review("ledger-month-tapped-phone-ru")
                .await?;
            Ok(())
        },
    )
    .await;
}

/// The `n`th captured download's first bytes and its text as decoded with its byte-order
/// mark kept.
async fn raw_download(page: &Page, n: usize) -> Result<(Vec<u64>, String)> {
    page.download(n, 4).await?;
    let got = page
        .client
        .execute_async(
            "const [n, done] = arguments;
             window.__blobs[n].arrayBuffer().then(b => done([
               Array.from(new Uint8Array(b.slice(0, 3))),
               new TextDecoder('utf-8', { ignoreBOM: true }).decode(b)]));",
            vec![n.into()],
        )
        .await?;
    let bytes = got[0]
        .as_array()
        .map(|a| a.iter().filter_map(|v| v.as_u64()).collect())
        .unwrap_or_default();
    Ok((bytes, got[1].as_str().unwrap_or_default().to_owned()))
}

#[tokio::test(flavor = "multi_thread")]
async fn analyst_downloads_the_graduates_in_breach_as_a_csv_excel_opens_in_kazakh() {
    run(
        "analyst_downloads_the_graduates_in_breach_as_a_csv_excel_opens_in_kazakh",
        async |page| {
            page.sign_in("analyst").await?;
            page.select("#lang-switch", "kk").await?;
            page.goto("/operator/graduates").await?;
            page.select("#grad-status", "BREACH").await?;
            page.wait_text("table", "Омаров").await?;
            page.capture_downloads().await?;
            page.click("#export-csv").await?;
            let (bom, csv) = raw_download(page, 0).await?;
            ensure!(bom == [0xEF, 0xBB, 0xBF], "no byte-order mark: {bom:?}");
            let csv = csv.trim_start_matches('\u{feff}');
            let mut lines = csv.lines();
            let header: Vec<&str> = lines.next().context("a header")?.split(';').collect();
            ensure!(
                header.first() == Some(&"№")
                    && header.contains(&"Аты-жөні")
                    && header.contains(&"Мәртебе")
                    && header.ends_with(&["category_code", "region_kato", "status_code"]),
                "the header is not in Kazakh with the codes at the end: {header:?}"
            );
            let rows: Vec<&str> = lines.collect();
            ensure!(
                !rows.is_empty()
                    && rows
                        .iter()
                        .all(|r| r.contains(";Міндеттеме бұзылды;") && r.ends_with(";BREACH")),
                "the rows are not the graduates in breach in Kazakh: {csv:?}"
            );
            ensure!(csv.contains("Омаров"), "the graduate in breach is missing");
            Ok(())
        },
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn admin_changes_a_rule_through_the_form_and_sees_the_preview() {
    run(
        "admin_changes_a_rule_through_the_form_and_sees_the_preview",
        async |page| {
            page.sign_in("admin").await?;
            page.select("#lang-switch", "ru").await?;
            page.goto("/operator/rules").await?;
            // The rules are a program of their own.
            let program = page
                .js("return document.querySelector('meta[name=adal-program]').content;")
                .await?;
            ensure!(program == "operator/rules", "served by {program}");
            // Version 1 is the defaults: named in the page's language, not by the system's
            // English note.
            page.wait_text("#rule-versions", "Исходные правила").await?;
            let versions = page.text("#rule-versions").await?;
            ensure!(
                !versions.contains("domain brief"),
                "the defaults' note in English: {versions}"
            );
            ensure!(
                !page.exists("textarea").await?,
                "the administrator is handed JSON to edit"
            );
            // Per category: the kinds of employer, rural only, the regions.
            page.wait_text("#rule-0 legend", "Сельская квота").await?;
            page.find("#rule-0-rural").await?;
            page.click("#rule-0-any-region").await?;
            let regions = page.count("#rule-0 input[id^='rule-0-region-']").await?;
            ensure!(regions > 1, "no regions to choose: {regions}");
            page.click("#rule-0-any-region").await?;
            ensure!(
                page.count("#rule-0 input[id^='rule-0-region-']").await? == 0,
                "any region again still lists regions"
            );

            // A looser breach limit frees the demo graduate in breach.
            page.set_value("#rule-breach-months", "24").await?;
            page.click("#preview-rules").await?;
            page.wait_text("#rules-preview", "Нарушение обязательства")
                .await?;
            page.fill("#rules-note", "Нарушение после 24 месяцев")
                .await?;
            page.click("#save-rules").await?;
            page.wait_text("#rule-versions", "Нарушение после 24 месяцев")
                .await?;
            let r = page.graphql("{ ruleSets { version rules } }").await?;
            let latest = &r["data"]["ruleSets"][0];
            ensure!(
                latest["rules"]["breachMonths"] == 24 && latest["version"] == 2,
                "the saved rules: {latest}"
            );
            ensure!(
                latest["rules"]["rules"][0]["regions"].is_null(),
                "a region list was saved for the rural quota: {latest}"
            );
            Ok(())
        },
    )
    .await;
}
