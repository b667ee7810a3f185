//! Graduates' obligations in real headless Chromium: the graduate's own page with the
//! ledger timeline, the operator's filtered list of graduates, the graduate card and the
//! dashboard figures, and that a graduate cannot open the operator's card.

use anyhow::{Result, ensure};
use e2e::{Page, run};

/// How many cells of the ledger timeline are in `state` (`CREDITED`, `GAP`, ...).
async fn month_cells(page: &Page, state: &str) -> Result<i64> {
    let n = page
        .js(&format!(
            "return document.querySelectorAll('#ledger .month[data-state=\"{state}\"]').length;"
        ))
        .await?;
    Ok(n.as_i64().unwrap_or(0))
}

#[tokio::test(flavor = "multi_thread")]
async fn graduate_sees_their_obligation_and_ledger_in_kazakh() {
    run(
        "graduate_sees_their_obligation_and_ledger_in_kazakh",
        async |page| {
            page.sign_in("graduate").await?;
            page.wait_path("/citizen/obligation").await?;
            page.select("#lang-switch", "en").await?;
            page.wait_text("#credited-months", "Months credited")
                .await?;
            page.select("#lang-switch", "kk").await?;
            page.wait_text("h1", "Менің міндеттемем").await?;
            page.wait_text("#credited-months", "Есепке алынған айлар")
                .await?;
            // The demo's feeds run to the last complete month, so the figures grow by one a
            // month: the page must show what the API says (at least the 26 months the feeds
            // held on 2026-11-30).
            let mine = page
                .graphql("{ myObligations { obligation { creditedMonths remainingMonths } } }")
                .await?;
            let o = &mine["data"]["myObligations"][0]["obligation"];
            let credited = o["creditedMonths"].as_i64().unwrap_or(0);
            let remaining = o["remainingMonths"].as_i64().unwrap_or(-1);
            ensure!(credited >= 26 && credited + remaining == 36, "{mine}");
            page.wait_text("#credited-months .stat-value", &credited.to_string())
                .await?;
            page.wait_text("#required-months .stat-value", "36").await?;
            page.wait_text("#remaining-months .stat-value", &remaining.to_string())
                .await?;
            page.wait_text("#status", "Жұмыс істеп жүр").await?;
            page.wait_text("#plain", "36 ай").await?;
            page.wait_text("#legend", "Есепке алынды").await?;
            page.wait_text("#my-employers", "Дала Агро").await?;
            page.find("#ledger .month").await?;
            let cells = month_cells(page, "CREDITED").await?;
            ensure!(
                cells >= credited,
                "the timeline shows {cells} credited months, expected at least {credited}"
            );
            let title = page
                .attr("#ledger .month[data-state=CREDITED]", "title")
                .await?
                .unwrap_or_default();
            ensure!(
                title.contains("Дала Агро"),
                "a credited month's tooltip does not name the employer: {title:?}"
            );
            page.screenshot_for_review("graduate-obligation-kk").await?;

            // Graduates use phones: no sideways scrolling at a phone's width.
            page.client.set_window_size(390, 844).await?;
            page.wait_text("#credited-months .stat-value", &credited.to_string())
                .await?;
            let overflow = page
                .js("return document.documentElement.scrollWidth - window.innerWidth;")
                .await?;
            ensure!(
                overflow.as_i64().unwrap_or(1) <= 0,
                "the graduate page scrolls sideways on a phone by {overflow}px"
            );
            page.screenshot_for_review("graduate-obligation-phone")
                .await?;
            page.client.set_window_size(1280, 900).await?;
            Ok(())
        },
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn analyst_filters_graduates_and_opens_a_card() {
    run("analyst_filters_graduates_and_opens_a_card", async |page| {
        page.sign_in("analyst").await?;
        page.select("#lang-switch", "en").await?;

        // The dashboard's figures and chart.
        page.goto("/operator").await?;
        page.find("#status-chart rect").await?;
        page.wait_text("#status-chart", "Breach").await?;
        page.wait_text("#graduates-total", "10").await?;
        page.find("#breach-share").await?;
        page.find("#latest-month").await?;
        page.find("#employers-waiting").await?;
        page.find("#imports-running").await?;
        // Of the six graduates paid for in the latest month, three are in qualifying work
        // (one of them a PhD at a Nazarbayev Intellectual School); a fourth is credited by
        // her accepted contract, which no feed pays.
        page.wait_text("#paid-latest-month", "6").await?;
        page.wait_text("#credited-latest-month", "4").await?;
        page.wait_text("#category-chart", "Rural quota").await?;
        page.wait_text("#year-chart", "2024").await?;
        page.screenshot_for_review("operator-dashboard-en").await?;

        page.goto("/operator/graduates").await?;
        page.wait_text("#graduates", "Ахметов").await?;
        page.wait_text("#graduates", "Омаров").await?;
        page.select("#grad-status", "BREACH").await?;
        page.wait_without("#graduates tbody", "Ахметов").await?;
        page.wait_text("#graduates tbody", "Омаров").await?;
        let rows = page.count("#graduates tbody tr").await?;
        ensure!(rows == 1, "BREACH shows {rows} rows, expected only Омаров");
        page.wait_text("#graduates tbody", "Breach").await?;
        page.screenshot_for_review("operator-graduates-breach")
            .await?;

        // The region filter keeps Омаров (home region Karaganda).
        page.find("#grad-region option[value='350000000']").await?;
        page.select("#grad-region", "350000000").await?;
        page.wait_text("#graduates tbody", "Омаров").await?;

        page.click("#graduates tbody tr td:nth-child(3)").await?;
        page.wait_path("/operator/graduates/").await?;
        page.wait_text("#graduate-name", "Омаров").await?;
        // The university wrote the specialty in Kazakh; the classifier names it in English.
        page.wait_text(".facts", "6B10101 General medicine").await?;
        page.wait_text("#status", "Breach").await?;
        page.find("#ledger .month").await?;
        page.find("#legend li").await?;
        // What to do next, the evidence behind the ledger, and no application yet.
        page.wait_text("#next-step", "Draft a reimbursement claim")
            .await?;
        // Six months the hospital paid, each with a pension (010) and a social (012) record.
        page.wait_text("#evidence summary", "12 records").await?;
        page.click("#evidence summary").await?;
        page.wait_text("#evidence table", "Shortandy district hospital")
            .await?;
        ensure!(
            page.count("#evidence tbody tr").await? == 12,
            "the evidence is not the six months the hospital paid"
        );
        // Each record says what its payment code means.
        page.wait_text("#evidence table", "mandatory pension contribution")
            .await?;
        page.wait_text("#evidence table", "social contribution")
            .await?;
        page.wait_text("#applications", "No applications").await?;
        let masked = page.text("#iin").await?;
        page.click("#reveal-iin").await?;
        page.wait_without("#identity", "Reveal IIN").await?;
        let iin = page.text("#iin").await?;
        ensure!(
            iin != masked && iin.len() == 12 && iin.chars().all(|c| c.is_ascii_digit()),
            "revealing the IIN showed {iin:?} (masked {masked:?})"
        );
        page.screenshot_for_review("operator-graduate-card").await?;

        // A doctor of philosophy teaching at a Nazarbayev Intellectual School: the school
        // counts for a PhD (seed 001), so the months are credited and the status is working.
        page.goto("/operator/graduates?category=PHD").await?;
        page.wait_text("#graduates tbody", "Әбенов").await?;
        page.click("#graduates tbody tr td:nth-child(3)").await?;
        page.wait_text("#graduate-name", "Әбенов").await?;
        page.wait_text("#status", "Working").await?;
        page.find("#ledger .month[data-state=CREDITED]").await?;
        ensure!(
            !page
                .exists("#ledger .month[data-state=NON_QUALIFYING]")
                .await?,
            "a month at the NIS school is not credited"
        );
        page.click("#evidence summary").await?;
        page.wait_text("#evidence table", "Nazarbayev Intellectual School")
            .await?;
        Ok(())
    })
    .await;
}

/// Picks an organisation in an organisation field as a person does: types part of its name, then
/// takes the suggestion (a `name · BIN` option of the field's list).
async fn pick_organisation(page: &Page, field: &str, typed: &str, name: &str) -> Result<()> {
    page.fill(field, typed).await?;
    let option = format!("{field}-list option");
    let value = wait_value(page, &option, name).await?;
    page.set_value(field, &value).await
}

/// The value of the first `css` option whose value contains `text`, once the page offers it.
async fn wait_value(page: &Page, css: &str, text: &str) -> Result<String> {
    for _ in 0..100 {
        let found = page
            .js(&format!(
                "return [...document.querySelectorAll({css:?})].map(o => o.value).find(v => v.includes({text:?})) || null;"
            ))
            .await?;
        if let Some(v) = found.as_str() {
            return Ok(v.to_owned());
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    anyhow::bail!("no {css} offers {text:?}")
}

#[tokio::test(flavor = "multi_thread")]
async fn analyst_narrows_the_register_by_specialty_group_university_and_employer() {
    run(
        "analyst_narrows_the_register_by_specialty_group_university_and_employer",
        async |page| {
            page.sign_in("analyst").await?;
            page.select("#lang-switch", "en").await?;
            page.goto("/operator/graduates").await?;
            page.wait_text("#graduates tbody", "Ахметов").await?;

            // Medical specialties: the doctor and the two nurses of the demo, nobody else.
            page.select("#grad-group", "MEDICAL").await?;
            page.wait_without("#graduates tbody", "Ахметов").await?;
            page.wait_text("#graduates tbody", "Омаров").await?;
            page.wait_text("#graduates tbody", "Ли").await?;
            page.wait_text("#graduates tbody", "Сейітова").await?;
            let rows = page.count("#graduates tbody tr").await?;
            ensure!(rows == 3, "the medical group shows {rows} rows, not 3");
            page.select("#grad-group", "").await?;
            page.wait_text("#graduates tbody", "Ахметов").await?;

            // The university, found by part of its name; every demo graduate studied there.
            pick_organisation(
                page,
                "#grad-university",
                "Eurasian",
                "Eurasian National University",
            )
            .await?;
            // The employer, found the same way: only the three graduates Dala Agro paid.
            pick_organisation(page, "#grad-employer", "Dala", "Dala Agro LLP").await?;
            page.wait_without("#graduates tbody", "Омаров").await?;
            page.wait_text("#graduates tbody", "Ахметов").await?;
            page.wait_text("#graduates tbody", "Ким").await?;
            page.wait_text("#graduates tbody", "Байжанов").await?;
            let rows = page.count("#graduates tbody tr").await?;
            ensure!(rows == 3, "Dala Agro's graduates: {rows} rows, not 3");
            page.screenshot_for_review("operator-graduates-by-employer")
                .await?;

            // The export takes the same filters.
            page.capture_downloads().await?;
            page.click("#export-csv").await?;
            let (csv, _) = page.download(0, 1 << 20).await?;
            let names: Vec<&str> = csv.lines().skip(1).collect();
            ensure!(
                names.len() == 3
                    && csv.contains("Ахметов")
                    && csv.contains("Ким")
                    && csv.contains("Байжанов"),
                "the export is not Dala Agro's graduates: {csv:?}"
            );

            // Clearing the employer brings everyone back; the fields speak Kazakh after the switch.
            page.set_value("#grad-employer", "").await?;
            page.wait_text("#graduates tbody", "Омаров").await?;
            page.select("#lang-switch", "kk").await?;
            page.wait_text("label[for='grad-group']", "Мамандықтар тобы")
                .await?;
            page.wait_text("label[for='grad-employer']", "Жұмыс беруші")
                .await?;
            page.wait_text("#grad-group", "Медициналық").await?;
            page.select("#lang-switch", "ru").await?;
            page.wait_text("label[for='grad-group']", "Группа специальностей")
                .await?;
            page.wait_text("label[for='grad-university']", "Вуз")
                .await?;
            page.wait_text("#grad-employer-hint", "БИН").await?;
            Ok(())
        },
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_graduate_cannot_open_the_operator_card() {
    run("a_graduate_cannot_open_the_operator_card", async |page| {
        page.sign_in("graduate").await?;
        page.wait_path("/citizen/obligation").await?;
        page.goto("/operator/graduates/3").await?;
        page.find("#no-access").await?;
        ensure!(
            !page.exists("#graduate-name").await?,
            "the graduate sees an operator's graduate card"
        );
        ensure!(
            !page.exists("#ledger").await?,
            "the graduate sees another graduate's ledger"
        );
        // Nor through the API.
        let reply = page
            .graphql("{ graduates(first: 5) { totalCount } }")
            .await?;
        ensure!(
            reply["data"]["graduates"].is_null() || reply["errors"].is_array(),
            "a graduate lists graduates: {reply}"
        );
        Ok(())
    })
    .await;
}

/// The demo's cases of the rules over time, as a new user meets them: the operator's card of
/// a graduate with an open-ended exemption and of one who taught in a village made urban,
/// and the own page of the graduate whose contract was accepted after a 512.
#[tokio::test(flavor = "multi_thread")]
async fn the_demo_cases_read_on_the_card_and_the_graduates_own_page() {
    run(
        "the_demo_cases_read_on_the_card_and_the_graduates_own_page",
        async |page| {
            page.sign_in("admin").await?;
            page.select("#lang-switch", "en").await?;
            // Байжанов: contract military service from March 2025, with no end.
            let id = page.graduate_id("Байжанов").await?;
            page.goto(&format!("/operator/graduates/{id}")).await?;
            page.wait_text("#graduate-name", "Байжанов").await?;
            page.wait_text("#status", "Exempt").await?;
            page.wait_text("#applications", "Contract military service")
                .await?;
            page.wait_text("#applications", "contract-military-service.pdf")
                .await?;
            ensure!(
                month_cells(page, "EXEMPT").await? >= 12,
                "the months since March 2025 are not exempt on the card"
            );
            // Мұқанова: credited while Akzhar was a village, not since it was made urban.
            let id = page.graduate_id("Мұқанова").await?;
            page.goto(&format!("/operator/graduates/{id}")).await?;
            page.wait_text("#graduate-name", "Мұқанова").await?;
            page.wait_text("#status", "Work does not count").await?;
            page.find("#ledger .month").await?;
            ensure!(
                month_cells(page, "CREDITED").await? == 16,
                "2024-09..2025-12 are not the credited months"
            );
            ensure!(
                month_cells(page, "NON_QUALIFYING").await? >= 11,
                "the months since January 2026 count"
            );
            page.sign_out().await?;

            // Сейітова on her own page: working, by the contract she sent and the operator
            // accepted.
            page.sign_in("graduate.contract").await?;
            page.wait_path("/citizen/obligation").await?;
            page.select("#lang-switch", "en").await?;
            page.wait_text("#status", "Working").await?;
            page.wait_text("#my-documents .task", "Accepted").await?;
            page.wait_text("#my-documents", "employment-contract.pdf")
                .await?;
            page.wait_text("#my-documents .proof", "Shortandy district hospital")
                .await?;
            ensure!(
                month_cells(page, "CREDITED").await? >= 27,
                "the months the contract proves are not credited on her page"
            );
            Ok(())
        },
    )
    .await;
}
