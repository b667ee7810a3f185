//! The akimat's portal in real headless Chromium: an officer opens a campaign with the form,
//! confirms a parent's declared category with a reason at the verification desk, runs the
//! allocation after the window and reads the ranking with its reasons (in Russian); the
//! priority table's next version; the providers with their sections' fill; and a disputed
//! month resolved with a reason, the month's payouts computed and the payment register
//! downloaded (in Kazakh and English).

use anyhow::{Context, Result, ensure};
use e2e::{PNG, Page, allocated_campaign, run, this_month};
use sea_orm::ConnectionTrait;

/// A date `days` from today and a month `months` from this one, in Kazakhstan's calendar
/// (UTC+5), as date and month inputs write them (`YYYY-MM-DD`, `YYYY-MM`). The campaign form
/// opens and closes the window at Kazakhstan's midnight of those dates, whatever the
/// browser's time zone.
async fn day_and_month(page: &Page, days: i64, months: i64) -> Result<(String, String)> {
    let r = page
        .js(&format!(
            "const p = n => String(n).padStart(2, '0');
             const kz = () => new Date(Date.now() + 5 * 3600 * 1000);
             const d = kz(); d.setUTCDate(d.getUTCDate() + {days});
             const m = kz(); m.setUTCDate(1); m.setUTCMonth(m.getUTCMonth() + {months});
             return [d.getUTCFullYear() + '-' + p(d.getUTCMonth() + 1) + '-' + p(d.getUTCDate()),
                     m.getUTCFullYear() + '-' + p(m.getUTCMonth() + 1)];"
        ))
        .await?;
    Ok((
        r[0].as_str().context("a day")?.to_owned(),
        r[1].as_str().context("a month")?.to_owned(),
    ))
}

#[tokio::test(flavor = "multi_thread")]
async fn akimat_opens_a_campaign_confirms_a_category_and_allocates() {
    run(
        "akimat_opens_a_campaign_confirms_a_category_and_allocates",
        async |page| {
            page.sign_in("akimat").await?;
            page.wait_path("/akimat").await?;
            page.select("#lang-switch", "ru").await?;
            page.wait_text("h1", "Ваучерные кампании").await?;
            // The demo's two campaigns of Astana.
            page.wait_text("#campaigns", "летние кружки").await?;
            ensure!(
                page.count("#campaigns tr.campaign").await? == 2,
                "the demo campaigns are not listed"
            );

            // A form refused in the person's language before it is sent.
            page.fill("#camp-name", "Осенние кружки / Күзгі үйірмелер").await?;
            page.click("#camp-save").await?;
            page.wait_text("#camp-invalid", "Бюджет — целое положительное число")
                .await?;
            let (today, first) = day_and_month(page, 0, 1).await?;
            let (closes, last) = day_and_month(page, 30, 4).await?;
            page.fill("#camp-budget", "1800000").await?;
            page.set_value("#camp-first", &first).await?;
            page.set_value("#camp-last", &last).await?;
            page.set_value("#camp-opens", &today).await?;
            page.set_value("#camp-closes", &closes).await?;
            page.fill("#camp-value-sport", "15000").await?;
            page.fill("#camp-value-arts", "12000").await?;
            page.screenshot_for_review("akimat-campaign-form-ru").await?;
            page.click("#camp-save").await?;
            page.find("#campaign-created").await?;
            page.wait_text("#campaigns", "Осенние кружки").await?;
            let r = page.graphql("{ voucherCampaigns { id name } }").await?;
            let campaign = r["data"]["voucherCampaigns"]
                .as_array()
                .into_iter()
                .flatten()
                .find(|c| c["name"].as_str().is_some_and(|n| n.starts_with("Осенние")))
                .and_then(|c| c["id"].as_str())
                .with_context(|| format!("the new campaign in {r}"))?
                .to_owned();
            page.sign_out().await?;

            // A parent applies for a child of a large family (weight 4 in the demo table).
            page.sign_in("parent").await?;
            page.wait_path("/citizen").await?;
            let r = page.graphql("{ myChildren { iin } }").await?;
            let iin = r["data"]["myChildren"][0]["iin"]
                .as_str()
                .context("the parent's child")?
                .to_owned();
            let applied = page
                .graphql(&format!(
                    "mutation {{ applyForVoucher(input: {{ campaignId: \"{campaign}\", childIin: \"{iin}\", direction: SPORT, categories: [{{ category: \"large_family\", evidence: \"Удостоверение многодетной семьи № 4417\" }}] }}) {{ id }} }}"
                ))
                .await?;
            let app_id = applied["data"]["applyForVoucher"]["id"]
                .as_str()
                .with_context(|| format!("the application: {applied}"))?
                .to_owned();
            // With a photo of the certificate, attached on the application's page.
            page.goto(&format!("/citizen/vouchers/{app_id}")).await?;
            let declared = ".vch-category[data-category='large_family']";
            let dir = tempfile::tempdir()?;
            let png = dir.path().join("kuality.png");
            std::fs::write(&png, PNG)?;
            page.find(&format!("{declared} input[type=file]"))
                .await?
                .send_keys(&png.to_string_lossy())
                .await?;
            page.click(&format!("{declared} .attach-evidence button[type=submit]"))
                .await?;
            page.wait_text(&format!("{declared} .evidence-files"), "kuality.png")
                .await?;
            page.sign_out().await?;

            // The officer confirms the category with a reason (in Russian again: a language
            // chosen while signed in is not the account's default until kept).
            page.sign_in("akimat").await?;
            page.wait_path("/akimat").await?;
            page.select("#lang-switch", "ru").await?;
            page.goto(&format!("/akimat/campaigns/{campaign}/desk")).await?;
            page.wait_text("h1", "Стол проверки").await?;
            let category = ".application .category[data-category='large_family']";
            page.wait_text(category, "Удостоверение многодетной семьи № 4417")
                .await?;
            page.wait_text(&format!("{category} .state"), "Не проверена").await?;
            // The certificate opens in the page, as the picture it is.
            page.wait_text(&format!("{category} .evidence-open"), "kuality.png")
                .await?;
            page.click(&format!("{category} .evidence-open")).await?;
            page.find(&format!("{category} img.evidence-view")).await?;
            let width = page
                .js(&format!(
                    "const i = document.querySelector(\"{category} img.evidence-view\");
                     return i.decode().then(() => i.naturalWidth);"
                ))
                .await?;
            ensure!(width == 1, "the certificate shown is {width} px wide");
            page.fill(&format!("{category} .reason-input"), "Проверено по справке ЦОН")
                .await?;
            page.click(&format!("{category} .yes")).await?;
            page.wait_text(&format!("{category} .state"), "Подтверждена").await?;
            page.wait_text(&format!("{category} .reason"), "Проверено по справке ЦОН")
                .await?;
            page.screenshot_for_review("akimat-desk-ru").await?;

            // The window is still open: the allocation is refused in the language.
            page.goto(&format!("/akimat/campaigns/{campaign}")).await?;
            page.wait_text("#campaign-name", "Осенние кружки").await?;
            page.find("#seed-hidden").await?;
            page.click("#run-allocation").await?;
            page.wait_text("#allocation .alert", "Приём заявок ещё идёт").await?;
            // With the machine reason beside it, for a call to support.
            page.wait_text("#allocation .alert code", "WINDOW_OPEN").await?;

            // Time passes: the window closes (the fixture moves its end to its start).
            page.app
                .db
                .execute_unprepared(&format!(
                    "UPDATE voucher_campaign SET closes_at = opens_at WHERE id = {campaign}"
                ))
                .await?;
            page.click("#run-allocation").await?;
            page.find("#seed").await?;
            page.wait_text("#campaign-status", "Распределена").await?;
            let href = page
                .attr("#runs .run a.download", "href")
                .await?
                .context("the verification file's link")?;
            ensure!(
                href.contains("/vouchers/allocations/"),
                "the file's link is {href}"
            );
            let file = page
                .js(&format!(
                    "return fetch('{href}').then(r => r.text());"
                ))
                .await?;
            let seed = page.text("#seed").await?;
            ensure!(
                file.as_str().is_some_and(|f| f.contains(seed.trim())),
                "the published file does not hold the revealed seed"
            );
            page.wait_text("#by-status tr[data-status='ISSUED']", "1").await?;
            page.screenshot_for_review("akimat-campaign-ru").await?;

            // The ranking: the child first, with the score and why.
            page.goto(&format!("/akimat/campaigns/{campaign}/ranking")).await?;
            page.wait_text("h1", "Рейтинг очереди").await?;
            let first = "#ranking tr.ranked[data-rank='1']";
            page.wait_text(&format!("{first} .score"), "4").await?;
            page.wait_text(&format!("{first} .why"), "Многодетная семья +4")
                .await?;
            page.screenshot_for_review("akimat-ranking-ru").await?;
            Ok(())
        },
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn akimat_reads_providers_resolves_a_dispute_and_downloads_the_register() {
    run(
        "akimat_reads_providers_resolves_a_dispute_and_downloads_the_register",
        async |page| {
            // The parent disputes this month's attendance of a child.
            page.sign_in("parent").await?;
            page.wait_path("/citizen").await?;
            let month = this_month(page).await?;
            let r = page
                .graphql(&format!(
                    "{{ voucherAttendance(month: {month}, status: RECORDED) {{ id }} }}"
                ))
                .await?;
            let id = r["data"]["voucherAttendance"][0]["id"]
                .as_str()
                .context("a month to dispute")?
                .to_owned();
            let disputed = page
                .graphql(&format!(
                    "mutation {{ answerVoucherAttendance(id: \"{id}\", confirm: false, reason: \"Бала 2 рет қана барды\") {{ status }} }}"
                ))
                .await?;
            ensure!(
                disputed["data"]["answerVoucherAttendance"]["status"] == "DISPUTED",
                "the dispute: {disputed}"
            );
            page.sign_out().await?;

            page.sign_in("akimat").await?;
            page.wait_path("/akimat").await?;
            page.select("#lang-switch", "kk").await?;
            page.wait_text("h1", "Ваучер науқандары").await?;

            // The priority table: a new version from the latest one's weights.
            page.click("a[href='/akimat/priority']").await?;
            page.wait_text("h1", "Басымдық кестелері").await?;
            page.wait_text(".priority-table[data-version='1']", "Көп балалы отбасы")
                .await?;
            page.fill("#weight-large_family", "5").await?;
            // Before saving, whose place the new weight would change: as many rows as the
            // API counts for the same weights.
            page.click("#table-preview").await?;
            page.wait_text("#table-preview-result", "Сақтамас бұрын").await?;
            let r = page
                .graphql("{ voucherPriorityTables(regionKato: \"710000000\") { weights { category weight } } }")
                .await?;
            let weights: Vec<String> = r["data"]["voucherPriorityTables"][0]["weights"]
                .as_array()
                .context("the table's weights")?
                .iter()
                .map(|w| {
                    let category = w["category"].as_str().unwrap_or_default();
                    let weight = if category == "large_family" { 5 } else { w["weight"].as_i64().unwrap_or(0) };
                    format!("{{ category: \"{category}\", weight: {weight} }}")
                })
                .collect();
            let r = page
                .graphql(&format!(
                    "{{ voucherPriorityPreview(regionKato: \"710000000\", weights: [{}]) {{ changes {{ applicationId }} }} }}",
                    weights.join(", ")
                ))
                .await?;
            let expected: usize = r["data"]["voucherPriorityPreview"]
                .as_array()
                .context("the preview")?
                .iter()
                .map(|c| c["changes"].as_array().map_or(0, Vec::len))
                .sum();
            ensure!(
                page.count("#table-preview-result tr.moved").await? == expected,
                "the page's preview differs from the API's {r}"
            );
            page.click("#table-save").await?;
            page.wait_text("#table-invalid", "Не өзгергенін жазыңыз").await?;
            page.fill("#table-note", "Көп балалы отбасының салмағы 5").await?;
            page.click("#table-save").await?;
            page.wait_text("#table-saved", "v2").await?;
            page.wait_text(
                ".priority-table[data-version='2'] tr[data-category='large_family']",
                "5",
            )
            .await?;
            page.screenshot_for_review("akimat-priority-kk").await?;

            // The providers: the demo provider approved, its sections with their fill.
            page.click(".sidenav a[href='/akimat/providers']").await?;
            page.wait_text(".provider .state", "Мақұлданды").await?;
            page.wait_text(".provider .sections", "Робототехника").await?;
            page.wait_text(".provider .sections .fill", "орын").await?;
            page.screenshot_for_review("akimat-providers-kk").await?;

            // The dispute, resolved with a reason.
            page.click(".sidenav a[href='/akimat/budgets']").await?;
            page.wait_text("h1", "Бюджеттер мен төлемдер").await?;
            let allocated = allocated_campaign(page).await?;
            page.select("#pay-campaign", &allocated).await?;
            page.select("#pay-month", &month.to_string()).await?;
            let dispute = format!("#disputes .dispute[data-id='{id}']");
            page.wait_text(&dispute, "Бала 2 рет қана барды").await?;
            page.click(&format!("{dispute} .no")).await?;
            page.wait_text(&format!("{dispute} .alert"), "Себебін жазыңыз").await?;
            page.fill(&format!("{dispute} .reason-input"), "Журналда 2 сабақ қана")
                .await?;
            page.click(&format!("{dispute} .no")).await?;
            page.find("#no-disputes").await?;
            page.wait_text(".resolutions .resolved", "Журналда 2 сабақ қана")
                .await?;
            let r = page
                .graphql(&format!(
                    "{{ voucherAttendance(month: {month}) {{ id status resolution }} }}"
                ))
                .await?;
            let resolved = r["data"]["voucherAttendance"]
                .as_array()
                .into_iter()
                .flatten()
                .find(|a| a["id"].as_str() == Some(id.as_str()))
                .context("the resolved month")?;
            ensure!(
                resolved["status"] == "REJECTED",
                "the API holds {resolved}"
            );
            page.screenshot_for_review("akimat-dispute-kk").await?;

            // The demo's earlier month of attendance (unanswered): computed, then its
            // register downloaded; its totals match the page.
            page.select("#lang-switch", "en").await?;
            page.wait_text("h1", "Budgets and payouts").await?;
            let r = page.graphql("{ voucherAttendance { month } }").await?;
            let months: Vec<i64> = r["data"]["voucherAttendance"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|a| a["month"].as_i64())
                .collect();
            let earlier = months
                .iter()
                .copied()
                .filter(|m| *m < month)
                .max()
                .context("an earlier month of attendance")?;
            // How many children's months the provider recorded then (the demo's allocation,
            // hence who holds a voucher, follows the children's ages on the day it runs).
            let recorded = months.iter().filter(|m| **m == earlier).count();
            let last = earlier.to_string();
            page.select("#pay-month", &last).await?;
            page.wait_text("#by-provider", &recorded.to_string()).await?;
            page.click("#compute-payouts").await?;
            page.wait_text("#computed", "confirmed automatically").await?;
            page.find("#payouts tr.payout").await?;
            let amount = page.text("#payouts tr.payout .amount").await?;
            page.capture_downloads().await?;
            page.click("#register-csv").await?;
            let (csv, _) = page.download(0, 1 << 16).await?;
            ensure!(
                csv.starts_with("month,provider_bin,provider_name,children,amount_kzt"),
                "the register is {csv:?}"
            );
            let digits = |s: &str| s.chars().filter(char::is_ascii_digit).collect::<String>();
            let total = csv
                .lines()
                .nth(1)
                .and_then(|l| l.rsplit(',').next())
                .context("the register's first row")?;
            ensure!(
                digits(&amount) == digits(total),
                "the page shows {amount}, the register {total}"
            );
            page.screenshot_for_review("akimat-payouts-en").await?;

            // The dashboard: the children served by direction, and the month just paid with
            // the amount the payouts page shows.
            page.click(".sidenav a[href='/akimat/dashboard']").await?;
            page.wait_text("h1", "Dashboard").await?;
            page.select("#dash-campaign", &allocated).await?;
            page.wait_text("#dash-served", "Children served").await?;
            ensure!(
                page.count("#dash-direction g[data-key]").await? >= 1,
                "no direction on the dashboard"
            );
            let row = format!("#dash-months tr.month[data-month='{last}']");
            page.find(&row).await?;
            let paid = page.text(&format!("{row} .paid")).await?;
            ensure!(
                digits(&paid) == digits(&amount),
                "the dashboard shows {paid}, the payouts page {amount}"
            );
            page.screenshot_for_review("akimat-dashboard-en").await?;
            Ok(())
        },
    )
    .await;
}

/// The officer changes a campaign whose window opens in ten days (in Kazakh): the form holds
/// the campaign as opened, the new budget and values are what the API then says; a campaign
/// whose window has opened offers no change.
#[tokio::test(flavor = "multi_thread")]
async fn akimat_changes_a_campaign_before_its_window_opens() {
    run(
        "akimat_changes_a_campaign_before_its_window_opens",
        async |page| {
            page.sign_in("akimat").await?;
            page.wait_path("/akimat").await?;
            page.select("#lang-switch", "kk").await?;
            let (opens, first) = day_and_month(page, 10, 2).await?;
            let (closes, last) = day_and_month(page, 30, 5).await?;
            page.wait_text("h1", "").await?;
            page.set_value("#camp-first", &first).await?;
            page.set_value("#camp-last", &last).await?;
            page.set_value("#camp-opens", &opens).await?;
            page.set_value("#camp-closes", &closes).await?;
            page.fill("#camp-name", "Көктемгі үйірмелер").await?;
            page.fill("#camp-budget", "900000").await?;
            page.fill("#camp-value-sport", "15000").await?;
            page.click("#camp-save").await?;
            page.find("#campaign-created a").await?;
            page.click("#campaign-created a").await?;
            page.find("#campaign-edit").await?;
            page.click("#campaign-edit summary").await?;
            ensure!(
                page.value("#edit-name").await? == "Көктемгі үйірмелер"
                    && page.value("#edit-budget").await? == "900000"
                    && page.value("#edit-opens").await? == opens
                    && page.value("#edit-value-sport").await? == "15000",
                "the form does not hold the campaign as opened"
            );
            page.fill("#edit-budget", "1200000").await?;
            page.fill("#edit-value-arts", "12000").await?;
            page.screenshot_for_review("akimat-campaign-edit-kk").await?;
            page.click("#edit-save").await?;
            page.find("#campaign-saved").await?;
            page.wait_text("#stat-budget", "1").await?;
            let id = page.js("return document.querySelector('#campaign').dataset.id;").await?;
            let id = id.as_str().context("the campaign's id")?.to_owned();
            let r = page
                .graphql(&format!(
                    "{{ voucherCampaign(id: \"{id}\") {{ budget opensAt directions {{ direction monthlyValue }} }} }}"
                ))
                .await?;
            let c = &r["data"]["voucherCampaign"];
            ensure!(
                c["budget"] == 1_200_000
                    && c["directions"]
                        == serde_json::json!([{ "direction": "ARTS", "monthlyValue": 12000 }, { "direction": "SPORT", "monthlyValue": 15000 }]),
                "the API holds {r}"
            );

            // Its ranking, before any allocation, says so in words, not with an empty table.
            page.goto(&format!("/akimat/campaigns/{id}/ranking")).await?;
            page.wait_text(".empty", "Бөлу әлі жүргізілмеді").await?;
            ensure!(
                !page.exists(".content table").await?,
                "the empty ranking shows a table"
            );

            // A demo campaign whose window has opened offers no change.
            let r = page.graphql("{ voucherCampaigns { id opensAt status } }").await?;
            let started = r["data"]["voucherCampaigns"]
                .as_array()
                .into_iter()
                .flatten()
                .find(|c| c["status"] == "OPEN" && c["id"] != id.as_str())
                .and_then(|c| c["id"].as_str())
                .with_context(|| format!("an open demo campaign in {r}"))?
                .to_owned();
            page.goto(&format!("/akimat/campaigns/{started}")).await?;
            page.find("#campaign-money").await?;
            ensure!(
                page.count("#campaign-edit").await? == 0,
                "a started campaign offers a change"
            );
            Ok(())
        },
    )
    .await;
}
