//! The provider's portal in real headless Chromium: the monthly attendance sheet filled with
//! the whole-column actions and the keyboard, submitted, then confirmed by the parent; a
//! section that is not the provider's shows nothing; the sections and payouts pages; the
//! conversations about a disputed month and about a child's application.

use anyhow::{Context, Result, ensure};
use e2e::{DEMO_PASSWORD, PNG, Page, allocated_campaign, run, this_month};

/// The provider's section where a demo child's voucher is used this month, and the child's
/// voucher id (the signed-in provider asks the API).
async fn enrolled_section(page: &Page, month: i64) -> Result<(String, String)> {
    let r = page
        .graphql("{ voucherProviders { organisation { id } } voucherSections { id organisation { id } } }")
        .await?;
    let org = r["data"]["voucherProviders"][0]["organisation"]["id"]
        .as_str()
        .context("the provider's organisation")?
        .to_owned();
    let sections = r["data"]["voucherSections"]
        .as_array()
        .context("sections")?
        .iter()
        .filter(|s| s["organisation"]["id"].as_str() == Some(org.as_str()))
        .filter_map(|s| s["id"].as_str().map(str::to_owned))
        .collect::<Vec<_>>();
    for id in sections {
        let roster = page
            .graphql(&format!(
                "{{ voucherSectionRoster(sectionId: \"{id}\", month: {month}) {{ voucherId }} }}"
            ))
            .await?;
        if let Some(v) = roster["data"]["voucherSectionRoster"][0]["voucherId"].as_str() {
            return Ok((id, v.to_owned()));
        }
    }
    anyhow::bail!("no section of the demo provider has a child this month")
}

/// The id of the element that has the keyboard focus.
async fn focused(page: &Page) -> Result<String> {
    Ok(page
        .js("return document.activeElement && document.activeElement.id;")
        .await?
        .as_str()
        .unwrap_or_default()
        .to_owned())
}

#[tokio::test(flavor = "multi_thread")]
async fn provider_fills_the_month_and_sees_the_parent_confirm_it() {
    run(
        "provider_fills_the_month_and_sees_the_parent_confirm_it",
        async |page| {
            page.sign_in("provider").await?;
            page.wait_path("/provider").await?;
            page.select("#lang-switch", "en").await?;
            page.wait_text("h1", "Monthly attendance sheet").await?;
            let month = this_month(page).await?;
            let (section, voucher) = enrolled_section(page, month).await?;

            // The sheet of the section with the demo child, this month (the default month).
            page.select("#sheet-section", &section).await?;
            let row = format!("#sheet tr[data-voucher='{voucher}']");
            page.find(&row).await?;
            page.wait_text(&format!("{row} .state"), "Recorded, waiting for the parent")
                .await?;
            let rows = page.count("#sheet tbody tr").await?;
            page.screenshot_for_review("provider-sheet").await?;

            // Whole-column actions: 8 sessions held for everyone, everyone attended all.
            page.fill("#sheet-held-all", "8").await?;
            page.click("#sheet-apply-held").await?;
            page.click("#sheet-all-attended").await?;
            ensure!(
                page.value("#sheet-held-0").await? == "8"
                    && page.value("#sheet-attended-0").await? == "8",
                "the column actions did not fill the first row"
            );
            // The keyboard: Enter moves down the held column, then to the attended column.
            page.click("#sheet-held-0").await?;
            page.find("#sheet-held-0").await?.send_keys("\u{e007}").await?;
            let expected = if rows > 1 { "sheet-held-1" } else { "sheet-attended-0" };
            ensure!(
                focused(page).await? == expected,
                "Enter moved the focus to {:?}, not {expected}",
                focused(page).await?
            );
            // The child's row: attended 7 of 8, typed in place.
            page.fill(&format!("{row} .attended"), "7").await?;
            page.click("#sheet-submit").await?;
            page.find("#sheet-sent").await?;
            let r = page
                .graphql(&format!(
                    "{{ voucherSectionRoster(sectionId: \"{section}\", month: {month}) {{ voucherId attendance {{ sessionsHeld sessionsAttended status }} }} }}"
                ))
                .await?;
            let a = r["data"]["voucherSectionRoster"]
                .as_array()
                .into_iter()
                .flatten()
                .find(|x| x["voucherId"].as_str() == Some(voucher.as_str()))
                .context("the child's row")?["attendance"]
                .clone();
            ensure!(
                a["sessionsHeld"] == 8 && a["sessionsAttended"] == 7 && a["status"] == "RECORDED",
                "the API holds {a}"
            );
            page.screenshot_for_review("provider-sheet-sent").await?;

            // A section that is not the provider's: not found, no rows.
            let other = page
                .graphql(&format!(
                    "{{ voucherSectionRoster(sectionId: \"987654\", month: {month}) {{ voucherId childName }} }}"
                ))
                .await?;
            ensure!(
                other["data"].is_null()
                    && other["errors"][0]["extensions"]["code"] == "NOT_FOUND",
                "another section's sheet answered {other}"
            );
            page.sign_out().await?;

            // The parent confirms the month.
            page.sign_in("parent").await?;
            page.wait_path("/citizen").await?;
            let r = page
                .graphql(&format!(
                    "{{ voucherAttendance(month: {month}) {{ id voucherId status }} }}"
                ))
                .await?;
            let id = r["data"]["voucherAttendance"]
                .as_array()
                .into_iter()
                .flatten()
                .find(|x| x["voucherId"].as_str() == Some(voucher.as_str()))
                .and_then(|x| x["id"].as_str())
                .with_context(|| format!("the parent's month in {r}"))?
                .to_owned();
            let answered = page
                .graphql(&format!(
                    "mutation {{ answerVoucherAttendance(id: \"{id}\", confirm: true) {{ status }} }}"
                ))
                .await?;
            ensure!(
                answered["data"]["answerVoucherAttendance"]["status"] == "CONFIRMED",
                "the parent's answer: {answered}"
            );
            // A parent is not provider staff: the sheet is refused.
            let refused = page
                .graphql(&format!(
                    "{{ voucherSectionRoster(sectionId: \"{section}\", month: {month}) {{ voucherId }} }}"
                ))
                .await?;
            ensure!(
                refused["errors"][0]["extensions"]["code"] == "FORBIDDEN",
                "a parent read the sheet: {refused}"
            );
            page.sign_out().await?;

            // The provider sees the month confirmed, in Russian, and its figures final.
            page.sign_in("provider").await?;
            page.wait_path("/provider").await?;
            page.select("#lang-switch", "ru").await?;
            page.wait_text("h1", "Табель посещаемости").await?;
            page.select("#sheet-section", &section).await?;
            page.wait_text(&format!("{row} .state"), "Подтверждено родителем")
                .await?;
            ensure!(
                page.attr(&format!("{row} .held"), "readonly").await?.is_some(),
                "a confirmed month can still be edited"
            );
            page.screenshot_for_review("provider-sheet-confirmed-ru").await?;
            Ok(())
        },
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn provider_lists_a_section_and_reads_its_payouts() {
    run(
        "provider_lists_a_section_and_reads_its_payouts",
        async |page| {
            page.sign_in("provider").await?;
            page.wait_path("/provider").await?;
            page.select("#lang-switch", "en").await?;
            page.click(".sidenav a[href='/provider/sections']").await?;
            page.wait_text("h1", "Sections").await?;
            // The demo's three sections, with the demo child enrolled in one of them.
            page.wait_text("#sections", "Робототехника").await?;
            ensure!(
                page.count("#sections .section").await? == 3,
                "the provider's sections are not the demo's three"
            );
            page.find("#sections .enrolled li").await?;
            page.wait_text("#sections", "16:00–17:30").await?;

            // A form refused in the person's language before it is sent.
            page.fill("#sec-name", "Шахмат / Chess").await?;
            page.fill("#sec-age-min", "20").await?;
            page.click("#sec-save").await?;
            page.wait_text("#sec-invalid", "Ages are 3 to 18 years").await?;
            page.fill("#sec-age-min", "7").await?;
            page.select("#sec-direction", "SCIENCE").await?;
            page.fill("#sec-price", "9000").await?;
            page.fill("#sec-address", "Астана, Абай даңғылы 10").await?;
            page.click("#sec-add-session").await?;
            page.select("#sec-day-1", "4").await?;
            page.screenshot_for_review("provider-sections-form").await?;
            page.click("#sec-save").await?;
            page.find("#section-created").await?;
            page.wait_text("#sections", "Шахмат / Chess").await?;
            page.wait_text("#sections", "Thu 16:00–17:00").await?;
            let r = page
                .graphql("{ voucherSections(direction: SCIENCE) { name monthlyPrice schedule { day } } }")
                .await?;
            ensure!(
                r["data"]["voucherSections"][0]["monthlyPrice"] == 9000
                    && r["data"]["voucherSections"][0]["schedule"][1]["day"] == 4,
                "the API holds {r}"
            );
            page.screenshot_for_review("provider-sections").await?;

            // The chess section changed: a new price and places; its direction stays.
            page.js(
                "[...document.querySelectorAll('#sections .section')]
                   .find(c => c.textContent.includes('Шахмат / Chess'))
                   .querySelector('.edit-section').click(); return true;",
            )
            .await?;
            page.wait_text("#edit-form h2", "Change the section").await?;
            ensure!(
                page.value("#edit-name").await? == "Шахмат / Chess"
                    && page.value("#edit-price").await? == "9000",
                "the form does not hold the section as listed"
            );
            page.fill("#edit-price", "9500").await?;
            page.fill("#edit-capacity", "12").await?;
            page.click("#edit-save").await?;
            page.find("#section-saved").await?;
            page.wait_text("#sections", "12").await?;
            let r = page
                .graphql("{ voucherSections(direction: SCIENCE) { name monthlyPrice capacity direction } }")
                .await?;
            ensure!(
                r["data"]["voucherSections"][0]
                    == serde_json::json!({ "name": "Шахмат / Chess", "monthlyPrice": 9500, "capacity": 12, "direction": "SCIENCE" }),
                "the API holds {r}"
            );

            // The payouts, in Kazakh: last month's attendance of the demo child, not paid yet.
            page.select("#lang-switch", "kk").await?;
            page.click(".sidenav a[href='/provider/payouts']").await?;
            page.wait_text("h1", "Ваучерлер бойынша төлемдер").await?;
            page.find(".month-payouts .unpaid").await?;
            page.screenshot_for_review("provider-payouts-kk").await?;
            Ok(())
        },
    )
    .await;
}

/// A disputed month is talked over in the three portals that take part in it: the provider
/// answers the parent's dispute, the parent sees one new message and replies, the akimat sees
/// two; each count goes once its reader opens the conversation, and stays gone.
#[tokio::test(flavor = "multi_thread")]
async fn a_disputed_month_is_talked_over_in_three_portals_with_unread_counts() {
    run(
        "a_disputed_month_is_talked_over_in_three_portals_with_unread_counts",
        async |page| {
            page.sign_in("parent").await?;
            page.wait_path("/citizen").await?;
            let month = this_month(page).await?;
            let r = page
                .graphql(&format!(
                    "{{ voucherAttendance(month: {month}, status: RECORDED) {{ id voucherId section {{ id }} }} }}"
                ))
                .await?;
            let first = &r["data"]["voucherAttendance"][0];
            let (id, voucher, section) = (
                first["id"].as_str().context("a month to dispute")?.to_owned(),
                first["voucherId"].as_str().context("its voucher")?.to_owned(),
                first["section"]["id"].as_str().context("its section")?.to_owned(),
            );
            let disputed = page
                .graphql(&format!(
                    "mutation {{ answerVoucherAttendance(id: \"{id}\", confirm: false, reason: \"Бала 4 рет қана барды\") {{ status }} }}"
                ))
                .await?;
            ensure!(
                disputed["data"]["answerVoucherAttendance"]["status"] == "DISPUTED",
                "the dispute: {disputed}"
            );
            page.sign_out().await?;

            page.sign_in("provider").await?;
            page.wait_path("/provider").await?;
            page.select("#lang-switch", "en").await?;
            page.select("#sheet-section", &section).await?;
            let row = format!("#sheet tr[data-voucher='{voucher}']");
            page.wait_text(&format!("{row} .state"), "Disputed by the parent")
                .await?;
            page.wait_text(&format!("{row} .dispute-reason"), "Бала 4 рет қана барды")
                .await?;
            page.find(&format!("{row} .conversation[data-unread='0']")).await?;
            page.click(&format!("{row} .conversation button")).await?;
            page.wait_text(&format!("{row} .conversation"), "No messages yet")
                .await?;
            page.fill(&format!("{row} .conversation textarea"), "Журнал бойынша 5 сабақ.")
                .await?;
            page.click(&format!("{row} .conversation button[type=submit]")).await?;
            page.wait_text(&format!("{row} .conversation .message"), "Журнал бойынша 5 сабақ.")
                .await?;
            page.screenshot_for_review("provider-sheet-dispute").await?;
            // The payouts page gives the dispute as the reason the month is not paid.
            page.click(".sidenav a[href='/provider/payouts']").await?;
            page.wait_text(".unpaid[data-status=DISPUTED] .why", "Бала 4 рет қана барды")
                .await?;
            page.sign_out().await?;

            // The parent: the month on its application's page has one new message.
            page.sign_in("parent").await?;
            page.wait_path("/citizen").await?;
            let r = page
                .graphql("{ myVoucherApplications { id voucher { id } } }")
                .await?;
            let app = r["data"]["myVoucherApplications"]
                .as_array()
                .into_iter()
                .flatten()
                .find(|a| a["voucher"]["id"].as_str() == Some(voucher.as_str()))
                .and_then(|a| a["id"].as_str())
                .context("the disputed month's application")?
                .to_owned();
            page.goto(&format!("/citizen/vouchers/{app}")).await?;
            let talk = "#vch-months .conversation";
            page.find(&format!("{talk}[data-unread='1'] .unread")).await?;
            page.click(&format!("{talk} button")).await?;
            page.wait_text(&format!("{talk} .message"), "Журнал бойынша 5 сабақ.")
                .await?;
            page.find(&format!("{talk}[data-unread='0']")).await?;
            // The reply carries a photo of the child's own notebook.
            page.fill(&format!("{talk} textarea"), "Рахмет, түсіндім.").await?;
            let dir = tempfile::tempdir()?;
            let png = dir.path().join("kundelik.png");
            std::fs::write(&png, PNG)?;
            page.find(&format!("{talk} input[type=file]"))
                .await?
                .send_keys(&png.to_string_lossy())
                .await?;
            page.click(&format!("{talk} button[type=submit]")).await?;
            page.wait_text(&format!("{talk} .messages"), "Рахмет, түсіндім.")
                .await?;
            page.wait_text(&format!("{talk} .messages"), "kundelik.png")
                .await?;
            page.sign_out().await?;

            // The akimat: the dispute has two new messages, read once opened.
            page.sign_in("akimat").await?;
            page.wait_path("/akimat").await?;
            page.goto("/akimat/budgets").await?;
            let allocated = allocated_campaign(page).await?;
            page.select("#pay-campaign", &allocated).await?;
            page.select("#pay-month", &month.to_string()).await?;
            let talk = format!("#disputes .dispute[data-id='{id}'] .conversation");
            page.find(&format!("{talk}[data-unread='2'] .unread")).await?;
            page.click(&format!("{talk} button")).await?;
            page.wait_text(&format!("{talk} .messages"), "Рахмет, түсіндім.")
                .await?;
            // The parent's file is there for the officer too.
            page.wait_text(&format!("{talk} .messages"), "kundelik.png")
                .await?;
            page.find(&format!("{talk}[data-unread='0']")).await?;
            page.screenshot_for_review("akimat-dispute-conversation").await?;
            page.goto("/akimat/budgets").await?;
            page.select("#pay-campaign", &allocated).await?;
            page.select("#pay-month", &month.to_string()).await?;
            page.find(&format!("{talk}[data-unread='0']")).await?;
            Ok(())
        },
    )
    .await;
}

/// Posts `postVoucherMessage` with `file` attached, as the GraphQL multipart request the
/// portals send, with `token`; the reply.
async fn post_with_file(
    page: &Page,
    token: &str,
    variables: serde_json::Value,
    file: (&str, &[u8]),
) -> Result<serde_json::Value> {
    let operations = serde_json::json!({
        "query": "mutation($kind: VoucherThreadKind!, $id: ID!, $body: String!, $file: Upload) { postVoucherMessage(kind: $kind, id: $id, body: $body, file: $file) { id side body document { fileName } } }",
        "variables": variables,
    });
    Ok(page
        .client
        .execute_async(
            "const [operations, token, name, bytes, done] = arguments;
             const form = new FormData();
             form.append('operations', JSON.stringify(operations));
             form.append('map', JSON.stringify({ '0': ['variables.file'] }));
             form.append('0', new Blob([new Uint8Array(bytes)], { type: 'image/png' }), name);
             fetch('/graphql', { method: 'POST', headers: { 'Authorization': 'Bearer ' + token }, body: form })
               .then(r => r.json()).then(done, e => done({ error: String(e) }));",
            vec![
                operations,
                token.into(),
                file.0.into(),
                serde_json::json!(file.1),
            ],
        )
        .await?)
}

/// A child's application is talked over by the parent and the provider where the voucher is
/// used: the parent writes with a file attached (through the API); the provider's sections
/// page shows one new message at the child's row, the provider opens it, reads the text and
/// the file's name, and answers; the count stays gone, and the parent has the answer.
#[tokio::test(flavor = "multi_thread")]
async fn a_childs_application_is_talked_over_by_the_parent_and_the_provider() {
    run(
        "a_childs_application_is_talked_over_by_the_parent_and_the_provider",
        async |page| {
            // The provider's section with the demo child this month, and the child's
            // application as the provider's roster gives it.
            page.sign_in("provider").await?;
            page.wait_path("/provider").await?;
            let month = this_month(page).await?;
            let (section, voucher) = enrolled_section(page, month).await?;
            let r = page
                .graphql(&format!(
                    "{{ voucherSectionRoster(sectionId: \"{section}\", month: {month}) {{ voucherId applicationId applicationUnreadMessages }} }}"
                ))
                .await?;
            let row = r["data"]["voucherSectionRoster"]
                .as_array()
                .into_iter()
                .flatten()
                .find(|x| x["voucherId"].as_str() == Some(voucher.as_str()))
                .with_context(|| format!("the child's row in {r}"))?
                .clone();
            ensure!(
                row["applicationUnreadMessages"] == 0,
                "the provider has new messages before anyone wrote: {row}"
            );
            page.sign_out().await?;

            // The parent writes about the application, with a certificate attached.
            page.sign_in("parent").await?;
            page.wait_path("/citizen").await?;
            let r = page
                .graphql("{ myVoucherApplications { id voucher { id } } }")
                .await?;
            let app = r["data"]["myVoucherApplications"]
                .as_array()
                .into_iter()
                .flatten()
                .find(|a| a["voucher"]["id"].as_str() == Some(voucher.as_str()))
                .and_then(|a| a["id"].as_str())
                .with_context(|| format!("the voucher's application in {r}"))?
                .to_owned();
            ensure!(
                row["applicationId"].as_str() == Some(app.as_str()),
                "the roster gives application {} for the parent's {app}",
                row["applicationId"]
            );
            let login = page
                .graphql_anonymous(&format!(
                    "mutation {{ login(login: \"parent\", password: \"{DEMO_PASSWORD}\") {{ accessToken }} }}"
                ))
                .await?;
            let token = login["data"]["login"]["accessToken"]
                .as_str()
                .with_context(|| format!("the parent's token: {login}"))?;
            let posted = post_with_file(
                page,
                token,
                serde_json::json!({
                    "kind": "APPLICATION",
                    "id": app,
                    "body": "Балам аяғын жарақаттады, екі апта келмейді.",
                    "file": null,
                }),
                ("anyktama.png", &PNG),
            )
            .await?;
            let m = &posted["data"]["postVoucherMessage"];
            ensure!(
                m["side"] == "PARENT" && m["document"]["fileName"] == "anyktama.png",
                "the parent's message: {posted}"
            );
            page.sign_out().await?;

            // The provider: the child's row on the sections page has one new message.
            page.sign_in("provider").await?;
            page.wait_path("/provider").await?;
            page.select("#lang-switch", "en").await?;
            page.click(".sidenav a[href='/provider/sections']").await?;
            page.wait_text("h1", "Sections").await?;
            let talk = format!("#sections .enrolled li[data-application='{app}'] .conversation");
            page.wait_text(&format!("{talk}[data-unread='1'] .unread"), "1 new")
                .await?;
            page.wait_text(&format!("{talk} button"), "Conversation about this application")
                .await?;
            page.click(&format!("{talk} button")).await?;
            page.wait_text(
                &format!("{talk} .message"),
                "Балам аяғын жарақаттады, екі апта келмейді.",
            )
            .await?;
            page.wait_text(&format!("{talk} .message"), "anyktama.png")
                .await?;
            page.wait_text(&format!("{talk} .message"), "Parent").await?;
            page.find(&format!("{talk}[data-unread='0']")).await?;
            // The answer.
            page.fill(
                &format!("{talk} textarea"),
                "Жазғаныңызға рахмет, орнын сақтаймыз.",
            )
            .await?;
            page.click(&format!("{talk} button[type=submit]")).await?;
            page.wait_text(
                &format!("{talk} .messages"),
                "Жазғаныңызға рахмет, орнын сақтаймыз.",
            )
            .await?;
            ensure!(
                page.count(&format!("{talk} .message")).await? == 2,
                "the conversation does not hold the two messages"
            );
            page.screenshot_for_review("provider-application-conversation")
                .await?;
            // Read once opened: the count stays gone when the page is drawn anew.
            page.goto("/provider/sections").await?;
            page.find(&format!("{talk}[data-unread='0']")).await?;
            ensure!(
                !page.exists(&format!("{talk} .unread")).await?,
                "the provider's new-message badge came back"
            );
            page.sign_out().await?;

            // The parent has the provider's answer, new to them.
            page.sign_in("parent").await?;
            page.wait_path("/citizen").await?;
            let r = page
                .graphql(&format!(
                    "{{ voucherConversation(kind: APPLICATION, id: \"{app}\") {{ side body document {{ fileName }} }} myVoucherApplications {{ id unreadMessages }} }}"
                ))
                .await?;
            let said = &r["data"]["voucherConversation"];
            ensure!(
                said[0]["side"] == "PARENT"
                    && said[0]["document"]["fileName"] == "anyktama.png"
                    && said[1]["side"] == "PROVIDER"
                    && said[1]["body"] == "Жазғаныңызға рахмет, орнын сақтаймыз."
                    && said[2].is_null(),
                "the parent reads {r}"
            );
            let unread = r["data"]["myVoucherApplications"]
                .as_array()
                .into_iter()
                .flatten()
                .find(|a| a["id"].as_str() == Some(app.as_str()))
                .map(|a| a["unreadMessages"].clone());
            ensure!(
                unread == Some(serde_json::json!(1)),
                "the parent's new messages on the application: {r}"
            );
            Ok(())
        },
    )
    .await;
}
