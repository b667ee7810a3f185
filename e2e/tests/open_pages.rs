//! The open figures, in real headless Chromium, on a phone and in Kazakh, without signing in:
//! a journalist follows the link on the sign-in page, reads a table whose small counts are
//! hidden, finds the audit trail's seal of the day, and downloads the table as CSV.

use anyhow::{Context, Result, ensure};
use e2e::{Page, fits_the_phone, run};
use sea_orm::{ConnectionTrait, Statement};

/// A cohort beside the demo's graduates: 2011 with 40 working, 30 in a gap and 3 in breach;
/// 2012 with 20 working and 25 in a gap.
async fn a_cohort_of_2011_and_2012(page: &Page) -> Result<()> {
    let db = &page.app.db;
    let row = db
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT id FROM organisation WHERE bin = '990140004654'",
        ))
        .await?
        .context("the demo university")?;
    let university: i64 = row.try_get("", "id")?;
    for (n, status, year) in [
        (40, "working", 2011),
        (30, "gap", 2011),
        (3, "breach", 2011),
        (20, "working", 2012),
        (25, "gap", 2012),
    ] {
        adal_testkit::fakes::insert_graduates(db, n, university, status, year).await?;
    }
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
async fn anyone_reads_the_open_figures_on_a_phone_and_downloads_them() {
    run(
        "anyone_reads_the_open_figures_on_a_phone_and_downloads_them",
        async |page| {
            a_cohort_of_2011_and_2012(page).await?;
            // The demo's records sealed, and the day ended: its head is published.
            let db = &page.app.db;
            let now = chrono::Utc::now();
            let failed = |e: adal_core::error::ApiError| anyhow::anyhow!("{}", e.message());
            adal_core::audit_chain::seal(db, now)
                .await
                .map_err(failed)?;
            let heads = adal_core::audit_chain::publish_days(db, now + chrono::Duration::days(1))
                .await
                .map_err(failed)?;
            let day_head = heads.last().context("no day head published")?;
            page.client.set_window_size(390, 844).await?;
            page.goto("/login").await?;
            page.select("#lang-switch", "kk").await?;
            page.click("#open-figures-link").await?;
            page.wait_path("/open").await?;
            page.wait_text("h1", "Ашық деректер").await?;
            page.wait_text("#open-computed-at", "Есептелген уақыты")
                .await?;
            // Graduates by year: 2011's working count is shown, its 3 in breach are not, and
            // neither is a second count that would give them away from the row's total.
            let row = page
                .wait_text("#open-graduates-by-year tbody tr:first-child", "2011")
                .await?;
            let cells: Vec<&str> = row.split_whitespace().collect();
            ensure!(
                cells.contains(&"40"),
                "2011's 40 working are not shown: {row:?}"
            );
            ensure!(
                !cells.contains(&"3"),
                "2011's 3 in breach are shown: {row:?}"
            );
            ensure!(
                cells.iter().filter(|c| **c == "—").count() >= 2,
                "2011 hides fewer than two counts: {row:?}"
            );
            let head = page.text("#open-graduates-by-year thead").await?;
            ensure!(
                head.contains("Барлығы"),
                "no total column in Kazakh: {head:?}"
            );
            // Last, the audit trail's seal of the day, whole, for anyone to keep.
            let sealed = page
                .wait_text("#audit-heads tbody tr:first-child", "")
                .await?;
            ensure!(
                sealed.contains(&day_head.hash),
                "the day's hash {} is not shown: {sealed:?}",
                day_head.hash
            );
            ensure!(sealed.contains("әлі жоқ"), "the witness column: {sealed:?}");
            fits_the_phone(page, "the open figures").await?;
            page.screenshot_for_review("open-figures-phone").await?;

            // The same table as a file, in the page's language, with the hidden count empty.
            let href = page
                .attr("#open-graduates-by-year a[download]", "href")
                .await?
                .context("no CSV link")?;
            ensure!(
                href.ends_with("/open-data/graduates-by-year.csv?lang=kk"),
                "{href}"
            );
            let csv = page
                .js("return fetch('/open-data/graduates-by-year.csv?lang=kk').then(r => r.text());")
                .await?;
            let csv = csv.as_str().unwrap_or_default();
            ensure!(csv.contains("2011,,WORKING,,40,"), "{csv}");
            ensure!(csv.contains("2011,,BREACH,,,"), "{csv}");
            Ok(())
        },
    )
    .await;
}
