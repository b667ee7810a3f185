//! The operator's work pages and the graduate's application in real headless Chromium:
//! imports with a rejection report, the commission's vote up to the quorum, claim work, the
//! rules with their preview, a graduate applying for an exemption (in Kazakh), the
//! correction of a graduate's terms on the card, and the documents a graduate sent after a 512
//! on their own page.

use std::path::PathBuf;

use adal_notifications::purposes::Purpose;
use adal_obligations::tasks::{self, Proof};
use adal_obligations::vocab::{TASK_UPLOAD_EMPLOYMENT_DOCUMENTS, TaskStatus};
use anyhow::{Context, Result, anyhow, ensure};
use e2e::{Page, fits_the_phone, run};
use sea_orm::ConnectionTrait;

/// Writes a file for the browser to upload; returns its absolute path.
fn upload_file(dir: &tempfile::TempDir, name: &str, content: &str) -> Result<String> {
    let path: PathBuf = dir.path().join(name);
    std::fs::write(&path, content)?;
    Ok(path.to_string_lossy().into_owned())
}

/// Chooses a file in an `<input type=file>` as a person does in the dialog.
async fn choose_file(page: &Page, css: &str, path: &str) -> Result<()> {
    page.find(css).await?.send_keys(path).await?;
    Ok(())
}

/// A claim needs proof of notice: the signed-in administrator sends the graduate a breach
/// notice, and it is recorded as delivered (as the SMS gateway's receipt would; the demo
/// has no gateway).
async fn deliver_breach_notice(page: &Page, last_name: &str) -> Result<()> {
    let admin = my_account(page).await?;
    let graduate: i64 = page.graduate_id(last_name).await?.parse()?;
    let m = adal_obligations::notices::send_notice(
        &page.app.db,
        admin,
        graduate,
        Purpose::of(&adal_obligations::notices::BREACH_NOTICE),
        None,
        3,
    )
    .await
    .map_err(|e| anyhow!("sending the notice: {}", e.message()))?;
    page.app
        .db
        .execute_unprepared(&format!(
            "UPDATE notification_message SET status = 'delivered', delivered_at = CURRENT_TIMESTAMP WHERE id = {}",
            m.id
        ))
        .await?;
    Ok(())
}

/// The signed-in person's account id.
async fn my_account(page: &Page) -> Result<i64> {
    let r = page.graphql("{ me { account { id } } }").await?;
    Ok(r["data"]["me"]["account"]["id"]
        .as_str()
        .context("my account id")?
        .parse()?)
}

/// The text with no-break spaces as plain spaces.
fn plain(s: &str) -> String {
    s.replace('\u{a0}', " ")
}

#[tokio::test(flavor = "multi_thread")]
async fn admin_imports_a_feed_with_bad_rows_and_downloads_the_rejection_report() {
    run(
        "admin_imports_a_feed_with_bad_rows_and_downloads_the_rejection_report",
        async |page| {
            page.sign_in("admin").await?;
            page.select("#lang-switch", "en").await?;
            let r = page
                .graphql("{ persons(filter: {search: \"Дамир\"}) { nodes { iin } } }")
                .await?;
            let iin = r["data"]["persons"]["nodes"][0]["iin"]
                .as_str()
                .context("the demo graduate's IIN")?
                .to_owned();
            let dir = tempfile::tempdir()?;
            let feed = upload_file(
                &dir,
                "feed-2023-01.csv",
                &format!(
                    "iin,employer_id,employer_name,employer_address,period,payment_date,amount_kzt,payment_code\n\
                     {iin},940140000385,,,2023-01,,,010\n\
                     {iin},940140000386,,,2023-01,,,010\n\
                     {iin},940140000385,,,2023-13,,,010\n"
                ),
            )?;

            page.goto("/operator/imports").await?;
            page.wait_text("h1", "Imports").await?;
            page.select("#import-kind", "CONTRIBUTIONS").await?;
            // Submitting without a file says what is missing.
            page.click("#start-import").await?;
            page.wait_text(".field-error", "Choose a file").await?;
            choose_file(page, "#import-file", &feed).await?;
            page.click("#start-import").await?;

            page.wait_text("#batch-status", "Completed").await?;
            let summary = plain(&page.text("#batch-summary").await?);
            ensure!(
                summary.contains("accepted: 1") && summary.contains("rejected: 2"),
                "the batch summary is {summary:?}"
            );
            page.wait_text("#rejections", "valid check digit").await?;
            let report = page.text("#rejections").await?;
            ensure!(
                report.contains("3") && report.contains("employer_id") && report.contains("4"),
                "the rejection table lacks the line numbers: {report:?}"
            );
            page.wait_text("#import-history", "feed-2023-01.csv").await?;

            // Downloading hands the browser the report as a CSV file.
            page.js(
                "window.__blobs = []; const make = URL.createObjectURL;
                 URL.createObjectURL = b => { window.__blobs.push(b); return make(b); };
                 return true;",
            )
            .await?;
            page.click("#download-report").await?;
            let text = page
                .client
                .execute_async(
                    "const done = arguments[arguments.length - 1];
                     const b = window.__blobs[0];
                     if (!b) { done(null); } else { b.text().then(t => done([b.type, t])); }",
                    vec![],
                )
                .await?;
            let (kind, csv) = (
                text[0].as_str().unwrap_or_default(),
                text[1].as_str().unwrap_or_default(),
            );
            ensure!(kind == "text/csv", "the download is {kind:?}");
            ensure!(
                csv.starts_with("line,field,reason")
                    && csv.contains("3,employer_id,BIN or IIN has a wrong check digit"),
                "the downloaded report is {csv:?}"
            );
            page.screenshot_for_review("imports-rejections").await?;

            // Reference files come the same way: activity codes (OKED), one line without a code.
            let codes = upload_file(
                &dir,
                "oked.csv",
                "code,name_kk,name_ru,name_en\n\
                 85999,Басқа білім беру,Прочее образование,Other education\n\
                 ,Атаусыз,Без кода,No code\n",
            )?;
            page.select("#import-kind", "ACTIVITY_CODES").await?;
            choose_file(page, "#import-file", &codes).await?;
            page.click("#start-import").await?;
            page.wait_text("#import-history", "oked.csv").await?;
            page.wait_text("#rejections", "The code is empty or too long")
                .await?;
            // The import runs as a job: its rejections show while it runs, its figures once
            // it has completed.
            page.wait_text("#batch-status", "Completed").await?;
            let summary = plain(&page.text("#batch-summary").await?);
            ensure!(
                summary.contains("accepted: 1") && summary.contains("rejected: 1"),
                "the activity codes batch summary is {summary:?}"
            );
            Ok(())
        },
    )
    .await;
}

/// One commission member votes on the first open application.
async fn vote(
    page: &Page,
    login: &str,
    approve: bool,
    reason: &str,
    votes_after: &str,
) -> Result<()> {
    page.sign_in(login).await?;
    page.select("#lang-switch", "en").await?;
    page.goto("/operator/commission").await?;
    page.wait_text(".application", "Residency, master's or doctoral study")
        .await?;
    page.wait_text(".application .documents", "admission-order.pdf")
        .await?;
    page.fill(".vote-reason", reason).await?;
    let button = if approve {
        ".vote-form .approve"
    } else {
        ".vote-form .reject"
    };
    page.click(button).await?;
    page.wait_text(".application .tally", votes_after).await?;
    page.sign_out().await?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
async fn graduate_applies_in_kazakh_the_commission_decides_and_the_graduate_sees_it() {
    run(
        "graduate_applies_in_kazakh_the_commission_decides_and_the_graduate_sees_it",
        async |page| {
            let dir = tempfile::tempdir()?;
            let doc = upload_file(&dir, "admission-order.pdf", "%PDF-1.4 admission order")?;

            page.sign_in("graduate").await?;
            page.wait_path("/citizen/obligation").await?;
            page.select("#lang-switch", "kk").await?;
            page.wait_text("#my-applications", "Босату және тоқтата тұру")
                .await?;
            page.wait_text("#my-applications", "Сіз әлі өтініш берген жоқсыз")
                .await?;
            // Nothing attached: the form says what is missing, in Kazakh.
            page.click("#apply-submit").await?;
            page.wait_text("#apply-form .field-error", "кемінде бір құжат")
                .await?;
            page.select("#apply-ground", "FURTHER_STUDY").await?;
            page.fill(
                "#apply-statement",
                "Магистратураға мемлекеттік грантпен түстім.",
            )
            .await?;
            choose_file(page, "#apply-documents", &doc).await?;
            page.click("#apply-submit").await?;
            page.wait_text("#apply-sent", "Өтініш берілді").await?;
            page.wait_text(".my-application", "Шешім күтілуде").await?;
            page.wait_text(".my-application", "admission-order.pdf")
                .await?;
            page.screenshot_for_review("graduate-applied-kk").await?;
            page.sign_out().await?;

            vote(
                page,
                "commission",
                true,
                "The admission order is attached.",
                "1 of 3",
            )
            .await?;
            vote(
                page,
                "commission2",
                false,
                "The order carries no university seal.",
                "2 of 3",
            )
            .await?;

            // The third member reads the card in Kazakh: who applied, what they ask for, who
            // has voted so far (by role, in order) and how, as a result.
            page.sign_in("commission3").await?;
            page.select("#lang-switch", "kk").await?;
            page.goto("/operator/commission").await?;
            page.wait_text(".application .applicant", "Ахметов").await?;
            page.wait_text(".application .asked", "Сұрайды Босату").await?;
            let dates = page.text(".application p.muted").await?;
            ensure!(
                !dates.starts_with('·') && !dates.contains("· ·"),
                "a separator with nothing beside it: {dates:?}"
            );
            let first = page.text(".application .votes .vote:nth-child(1)").await?;
            ensure!(
                first.starts_with("1. Комиссия мүшесі") && first.contains("Мақұлданды"),
                "the first vote reads {first:?}"
            );
            let second = page.text(".application .votes .vote:nth-child(2)").await?;
            ensure!(
                second.starts_with("2. Комиссия мүшесі")
                    && second.contains("Қабылданбады")
                    && second.contains("no university seal"),
                "the second vote reads {second:?}"
            );
            ensure!(
                page.exists(".vote:nth-child(1) .badge.ok").await?
                    && page.exists(".vote:nth-child(2) .badge.bad").await?,
                "the approval and the rejection are marked alike"
            );
            // Approve and reject look different, not only by their words.
            let looks = page
                .js("const s = (c) => getComputedStyle(document.querySelector('.vote-form ' + c)).backgroundColor; \
                     return [s('.approve'), s('.reject')];")
                .await?;
            ensure!(looks[0] != looks[1], "approve and reject look alike: {looks}");
            page.screenshot_for_review("commission-card-kk").await?;

            // The third vote reaches the quorum: two for, one against approves, and the case
            // leaves the queue, decided.
            page.select("#lang-switch", "en").await?;
            page.wait_text(".application .asked", "Exemption").await?;
            page.fill(".vote-reason", "Agreed.").await?;
            page.click(".vote-form .approve").await?;
            page.wait_text(".empty", "No applications").await?;
            page.select("#app-status", "APPROVED").await?;
            page.wait_text(".application", "Approved").await?;
            page.wait_text(".application .tally", "3 of 3").await?;
            page.wait_text(".application .votes", "no university seal")
                .await?;
            ensure!(
                !page.exists(".vote-form").await?,
                "a decided case still offers a vote"
            );
            // The attached document downloads as the graduate uploaded it (the demo's approved
            // exemption, Байжанов's, is listed beside it with its own).
            page.capture_downloads().await?;
            page.click_row_button(".application .documents", "admission-order.pdf")
                .await?;
            let (text, _) = page.download(0, 100).await?;
            ensure!(
                text == "%PDF-1.4 admission order",
                "the document downloaded as {text:?}"
            );
            page.sign_out().await?;

            page.sign_in("graduate").await?;
            page.wait_path("/citizen/obligation").await?;
            page.select("#lang-switch", "kk").await?;
            page.wait_text(".my-application", "Мақұлданды").await?;
            page.screenshot_for_review("graduate-decision-kk").await?;
            Ok(())
        },
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn admin_drafts_a_claim_sends_it_records_a_payment_and_a_contact() {
    run(
        "admin_drafts_a_claim_sends_it_records_a_payment_and_a_contact",
        async |page| {
            page.sign_in("admin").await?;
            page.select("#lang-switch", "en").await?;
            deliver_breach_notice(page, "Омаров").await?;
            page.goto("/operator/claims").await?;
            page.click_row_button("#claims-due tr", "Омаров").await?;
            page.wait_without("#claims-due", "Омаров").await?;

            page.select("#claims-view", "DRAFTED").await?;
            page.wait_text(".claim", "Омаров").await?;
            let amount = plain(&page.text(".claim .claim-amount").await?);
            ensure!(amount == "KZT 3 000 000", "the claim amount is {amount:?}");
            page.wait_text(".claim .computation", "(36 − 6) / 36")
                .await?;
            ensure!(
                !page.exists(".payment-form").await?,
                "a drafted claim offers to record a payment"
            );
            page.select(".next-status", "SENT").await?;
            page.click(".set-status").await?;
            page.wait_text(".empty", "no reimbursement claims").await?;

            page.select("#claims-view", "SENT").await?;
            page.wait_text(".claim .claim-status", "Sent").await?;
            page.fill(".pay-amount", "1000000").await?;
            page.set_value(".pay-date", "2026-11-01").await?;
            page.fill(".pay-reference", "KNP 911").await?;
            page.click(".record-payment").await?;
            page.wait_text(".empty", "no reimbursement claims").await?;

            page.select("#claims-view", "PAID_IN_PART").await?;
            page.wait_text(".claim .payments", "KNP 911").await?;
            let paid = plain(&page.text(".claim").await?);
            ensure!(
                paid.contains("paid KZT 1 000 000"),
                "the claim shows {paid:?}"
            );
            page.select(".contact-channel", "PHONE").await?;
            page.fill(".contact-outcome", "Promised to pay the rest")
                .await?;
            page.click(".log-contact").await?;
            page.wait_text(".claim .contacts", "Promised to pay the rest")
                .await?;
            page.wait_text(".claim .contacts", "Phone").await?;
            page.screenshot_for_review("claims-paid-in-part").await?;
            Ok(())
        },
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn admin_previews_and_saves_rules_and_an_analyst_only_reads_them() {
    run(
        "admin_previews_and_saves_rules_and_an_analyst_only_reads_them",
        async |page| {
            page.sign_in("admin").await?;
            page.select("#lang-switch", "en").await?;
            page.goto("/operator/rules").await?;
            page.wait_text("#rule-versions", "Version 1").await?;
            // A looser breach limit frees the demo graduate in breach.
            page.set_value("#rule-breach-months", "24").await?;
            page.click("#preview-rules").await?;
            let preview = page
                .wait_text("#rules-preview", "graduates would change status")
                .await?;
            ensure!(
                !preview.contains(" 0 graduates"),
                "the preview changes nobody: {preview:?}"
            );
            page.wait_text("#rules-preview", "Breach").await?;
            page.fill("#rules-note", "Breach after 24 months").await?;
            page.click("#save-rules").await?;
            page.wait_text("#rules-saved", "Version 2").await?;
            page.wait_text("#rule-versions", "Breach after 24 months")
                .await?;
            page.sign_out().await?;

            page.sign_in("analyst").await?;
            page.select("#lang-switch", "en").await?;
            page.goto("/operator/rules").await?;
            page.wait_text("#rule-versions", "Version 2").await?;
            ensure!(
                !page.exists("#rules-form").await?,
                "an analyst is offered the rules editor"
            );
            Ok(())
        },
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn analyst_exports_the_graduates_in_breach_as_csv_and_xlsx() {
    run(
        "analyst_exports_the_graduates_in_breach_as_csv_and_xlsx",
        async |page| {
            page.sign_in("analyst").await?;
            page.select("#lang-switch", "en").await?;
            page.goto("/operator/graduates").await?;
            page.select("#grad-status", "BREACH").await?;
            page.wait_text("table", "Омаров").await?;
            page.capture_downloads().await?;
            page.click("#export-csv").await?;
            let (csv, _) = page.download(0, 1 << 20).await?;
            let csv = csv.as_str();
            let mut lines = csv.lines();
            // For a person reading English (the page's language): names and words, the codes
            // at the end.
            ensure!(
                lines
                    .next()
                    .is_some_and(|h| h.trim_start_matches('\u{feff}').starts_with("No.,Full name,")),
                "the export has no header: {csv:?}"
            );
            let rows: Vec<&str> = lines.collect();
            ensure!(
                !rows.is_empty() && rows.iter().all(|r| r.ends_with(",BREACH")),
                "the export is not the filtered list: {csv:?}"
            );
            ensure!(
                csv.contains("Омаров"),
                "the export lacks the graduate in breach"
            );
            // The same list as an Excel workbook (a zip: it starts with "PK").
            page.click("#export-xlsx").await?;
            let (head, size) = page.download(1, 2).await?;
            ensure!(
                head == "PK" && size > 1000,
                "the XLSX export is not a workbook: {head:?}, {size} bytes"
            );

            // The dashboard draws graduates by home region, named in the language.
            let r = page
                .graphql("{ obligationDashboard { byRegion { key count } } regions(first: 100) { nodes { kato nameEn } } }")
                .await?;
            let top = r["data"]["obligationDashboard"]["byRegion"]
                .as_array()
                .and_then(|b| b.iter().max_by_key(|c| c["count"].as_i64()))
                .and_then(|c| c["key"].as_str())
                .context("a region bucket")?
                .to_owned();
            let name = r["data"]["regions"]["nodes"]
                .as_array()
                .and_then(|n| n.iter().find(|n| n["kato"] == top.as_str()))
                .and_then(|n| n["nameEn"].as_str())
                .context("the region's name")?
                .to_owned();
            page.goto("/operator").await?;
            page.wait_text("#region-chart", &name).await?;
            ensure!(
                page.exists(&format!("#region-chart g[data-key='{top}'] rect")).await?,
                "the region chart has no bar for {top}"
            );
            // The status over the last year: one column per month, the latest being the
            // month the feeds cover, its counts in the tooltip; in Kazakh after the switch.
            let horizon = page
                .graphql("{ obligationDashboard { horizon } }")
                .await?["data"]["obligationDashboard"]["horizon"]
                .as_str()
                .context("the horizon")?
                .to_owned();
            page.wait_text("#trend-title", "Status over the last 12 months")
                .await?;
            let columns = page.count("#status-trend g.trend-month").await?;
            ensure!(columns == 12, "the trend has {columns} months, not 12");
            ensure!(
                page.exists(&format!("#status-trend g[data-period='{horizon}'] rect"))
                    .await?,
                "the trend lacks the latest month {horizon}"
            );
            page.select("#lang-switch", "kk").await?;
            page.wait_text("#trend-title", "Соңғы 12 айдағы мәртебе").await?;
            page.wait_text(".legend", "Бұзушылық немесе өтеу").await?;
            page.js("document.getElementById('trend-title').scrollIntoView(); return true;")
                .await?;
            page.screenshot_for_review("dashboard-trend-kk").await?;
            Ok(())
        },
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn admin_corrects_a_graduates_grant_months_and_the_card_shows_the_new_term() {
    run(
        "admin_corrects_a_graduates_grant_months_and_the_card_shows_the_new_term",
        async |page| {
            page.sign_in("admin").await?;
            page.select("#lang-switch", "en").await?;
            let id = page.graduate_id("Ахметов").await?;
            page.goto(&format!("/operator/graduates/{id}")).await?;
            // Ахметов (demo): state order, technical, 48 of 48 months on the grant, so
            // 36 × 48 / 48 = 36 months to work from 2024-09; Dala Agro has paid every month
            // since (27 months by 2026-11): working.
            page.wait_text("#required-months", "36").await?;
            page.wait_text("#status", "Working").await?;
            page.click("#correct-terms").await?;
            // The form starts from the recorded terms.
            for (field, recorded) in [("#terms-grant", "48"), ("#terms-programme", "48")] {
                let v = page.value(field).await?;
                ensure!(v == recorded, "{field} starts at {v:?}, not {recorded}");
            }
            ensure!(
                page.value("#terms-graduation").await? == "2024-06-30",
                "the form does not start from the graduation date"
            );
            page.fill("#terms-grant", "24").await?;
            // Without a reason the API refuses, and the form says so beside the reason.
            page.click("#terms-save").await?;
            page.wait_text("#terms-form .field-error", "Write why the terms are corrected")
                .await?;
            ensure!(
                page.attr("#terms-reason", "aria-invalid").await?.as_deref() == Some("true"),
                "the reason is not marked as the field at fault"
            );
            // More months on the grant than the programme has: refused beside the months.
            page.fill("#terms-reason", "The university's corrected transcript No. 12")
                .await?;
            page.fill("#terms-grant", "60").await?;
            page.click("#terms-save").await?;
            page.wait_text("#terms-form .field-error", "cannot exceed the programme")
                .await?;
            page.fill("#terms-grant", "24").await?;
            page.click("#terms-save").await?;
            page.wait_text("#terms-corrected", "The terms are corrected")
                .await?;
            // 36 × 24 / 48 = 18 months to work, and the 27 months paid fulfil them.
            page.wait_text("#required-months", "18").await?;
            page.wait_text("#status", "Fulfilled").await?;
            ensure!(
                !page.exists("#terms-form").await?,
                "the form stays open after the correction"
            );
            let r = page
                .graphql(&format!(
                    "{{ graduate(id: \"{id}\") {{ grantMonths programmeMonths obligation {{ requiredMonths status }} }} }}"
                ))
                .await?;
            let g = &r["data"]["graduate"];
            ensure!(
                g["grantMonths"] == 24
                    && g["programmeMonths"] == 48
                    && g["obligation"]["requiredMonths"] == 18
                    && g["obligation"]["status"] == "FULFILLED",
                "the API has {r}"
            );
            page.screenshot_for_review("graduate-terms-corrected").await?;
            page.sign_out().await?;

            // An analyst reads the corrected card but is not offered the correction.
            page.sign_in("analyst").await?;
            page.select("#lang-switch", "en").await?;
            page.goto(&format!("/operator/graduates/{id}")).await?;
            page.wait_text("#required-months", "18").await?;
            ensure!(
                !page.exists("#correct-terms").await?,
                "an analyst is offered to correct the terms"
            );
            Ok(())
        },
    )
    .await;
}

/// The BIN of the demo's School-lyceum No. 1 (Astana).
const SCHOOL_LYCEUM_BIN: &str = "020140001689";

#[tokio::test(flavor = "multi_thread")]
async fn graduate_sees_the_contract_accepted_after_a_512_and_the_months_it_proves() {
    run(
        "graduate_sees_the_contract_accepted_after_a_512_and_the_months_it_proves",
        async |page| {
            page.sign_in("admin").await?;
            let admin = my_account(page).await?;
            let graduate: i64 = page.graduate_id("Ахметов").await?.parse()?;
            page.sign_out().await?;
            // Ахметов, the demo graduate, answered 512 to the pension-data request: the refusal
            // opens a task to upload employment documents (the SMS flow itself is the
            // notification suite's).
            page.app
                .db
                .execute_unprepared(&format!(
                    "INSERT INTO graduate_task (graduate_id, person_id, kind, status, note, review_note, created_at) \
                     SELECT id, person_id, '{TASK_UPLOAD_EMPLOYMENT_DOCUMENTS}', '{}', '', '', CURRENT_TIMESTAMP \
                     FROM graduate WHERE id = {graduate}",
                    TaskStatus::Open.as_str()
                ))
                .await?;

            // On a phone, the graduate has sent nothing yet, and the page says so.
            page.client.set_window_size(390, 844).await?;
            page.sign_in("graduate").await?;
            page.wait_path("/citizen/obligation").await?;
            page.select("#lang-switch", "en").await?;
            // The switch reloads the page's data and draws the task's form anew (a file
            // chosen before would be gone): its instructions, the API's text in English, say
            // the reload is done.
            page.wait_text("#my-tasks .instructions", "Upload your employment contract")
                .await?;
            page.wait_text("#my-documents", "My documents").await?;
            page.wait_text("#my-documents-empty", "You have not sent any documents yet")
                .await?;
            // They upload the employment contract the task asks for.
            let dir = tempfile::tempdir()?;
            let contract = upload_file(
                &dir,
                "employment-contract-school-lyceum-no-1.pdf",
                "%PDF-1.4 employment contract",
            )?;
            choose_file(page, "#my-tasks .task-files", &contract).await?;
            page.fill("#my-tasks .task-note", "I teach at School-lyceum No. 1")
                .await?;
            page.click("#my-tasks .task-submit").await?;
            page.wait_text("#my-documents", "employment-contract-school-lyceum-no-1.pdf")
                .await?;
            page.wait_text("#my-documents .task", "Under review").await?;
            let r = page.graphql("{ myObligations { tasks { id } } }").await?;
            let task: i64 = r["data"]["myObligations"][0]["tasks"][0]["id"]
                .as_str()
                .context("the graduate's task")?
                .parse()?;

            // The operator accepts it: the contract proves work at the school from September
            // to November 2025 (the card's review form is the notification suite's).
            let today = chrono::Utc::now().date_naive();
            let proof = Proof::parse(Some(SCHOOL_LYCEUM_BIN), Some("2025-09"), Some("2025-11"), today)
                .map_err(|e| anyhow!("the proof: {}", e.message()))?;
            tasks::review(&page.app.db, admin, task, true, "Contract checked", proof)
                .await
                .map_err(|e| anyhow!("accepting the contract: {}", e.message()))?;

            // The graduate's page lists the document, accepted, with what it proves.
            page.goto("/citizen/obligation").await?;
            page.select("#lang-switch", "en").await?;
            page.wait_text("#my-documents .task", "Accepted").await?;
            page.wait_text("#my-documents .review-note", "Contract checked")
                .await?;
            let proof = page
                .wait_text("#my-documents .proof", "School-lyceum No. 1")
                .await?;
            ensure!(
                proof.contains(SCHOOL_LYCEUM_BIN)
                    && proof.contains("September 2025")
                    && proof.contains("November 2025"),
                "the proof reads {proof:?}"
            );
            let line = page.text("#my-documents .documents li").await?;
            ensure!(
                line.contains("employment-contract-school-lyceum-no-1.pdf")
                    && line.contains("KB")
                    && line.contains("Submitted"),
                "the document reads {line:?}"
            );
            ensure!(
                !page.exists("#my-documents-empty").await?,
                "the page still says nothing was sent"
            );
            fits_the_phone(page, "the graduate's page with their documents").await?;
            page.screenshot_for_review("graduate-documents-accepted").await?;
            // The document downloads as it was sent.
            page.capture_downloads().await?;
            page.click("#my-documents button.document").await?;
            let (text, _) = page.download(0, 100).await?;
            ensure!(
                text == "%PDF-1.4 employment contract",
                "the document downloaded as {text:?}"
            );
            Ok(())
        },
    )
    .await;
}
