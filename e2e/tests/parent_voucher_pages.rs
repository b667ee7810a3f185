//! The parent's voucher pages in real headless Chromium on a phone-sized window: the rank of
//! an application with its reasons and the receipt code, moving the voucher to another
//! section and applying for a child (in Kazakh); confirming one month of attendance and
//! disputing another in two taps (in Russian); declining a voucher, which goes to the next
//! child in the queue (in Russian); and that another family's application stays out of reach
//! when its id is put in the address.

use anyhow::{Context, Result, ensure};
use e2e::{Page, fits_the_phone, parent_on_a_phone, run};
use sea_orm::{ConnectionTrait, Statement};
use serde_json::Value;

/// The text with no-break spaces as plain spaces.
fn plain(s: &str) -> String {
    s.replace(['\u{a0}', '\u{202f}'], " ")
}

/// The first column of the first row `sql` returns.
async fn sql_id(page: &Page, sql: &str) -> Result<i64> {
    let db = &page.app.db;
    Ok(db
        .query_one_raw(Statement::from_string(db.get_database_backend(), sql))
        .await?
        .with_context(|| format!("no row: {sql}"))?
        .try_get_by_index::<i64>(0)?)
}

/// The signed-in parent's applications as the API reports them.
async fn applications(page: &Page) -> Result<Vec<Value>> {
    let r = page
        .graphql(
            "{ myVoucherApplications { id childName status rank score receipt { childHash }
               categories { category status } campaign { name status }
               voucher { id direction enrolments { firstMonth lastMonth section { id name } } } } }",
        )
        .await?;
    r["data"]["myVoucherApplications"]
        .as_array()
        .cloned()
        .with_context(|| format!("applications: {r}"))
}

#[tokio::test(flavor = "multi_thread")]
async fn parent_reads_the_rank_moves_the_voucher_and_applies_in_kazakh() {
    run(
        "parent_reads_the_rank_moves_the_voucher_and_applies_in_kazakh",
        async |page| {
            parent_on_a_phone(page, "kk").await?;
            let apps = applications(page).await?;
            // The child declared with a disability: ranked, a sport voucher, used at football.
            let app = apps
                .iter()
                .find(|a| a["categories"][0]["category"] == "disability")
                .with_context(|| format!("no disability application in {apps:?}"))?
                .clone();
            let id = app["id"].as_str().context("id")?.to_owned();
            let rank = app["rank"].as_i64().context("ranked")?;

            page.goto("/citizen/vouchers").await?;
            page.wait_text("h1", "Ваучерлер").await?;
            let card = format!(".vch-app[data-application=\"{id}\"]");
            page.wait_text(&card, "Ваучер берілді").await?;
            fits_the_phone(page, "the vouchers").await?;
            page.screenshot_for_review("parent-vouchers-kk").await?;
            page.click(&format!("{card} .vch-open")).await?;
            page.wait_path(&format!("/citizen/vouchers/{id}")).await?;

            // The rank, and why: the score is the weight of the confirmed category.
            page.wait_text("#vch-rank", &format!("Рейтингтегі орын: {rank};"))
                .await?;
            page.wait_text("#vch-score", "Ұпай 10").await?;
            let why = page
                .wait_text(
                    "#vch-why",
                    "Ерекше қажеттіліктері бар немесе мүгедектігі бар бала",
                )
                .await?;
            ensure!(
                why.contains("салмағы 10") && why.contains("расталды"),
                "why: {why:?}"
            );
            ensure!(
                why.contains("МСЭ № 123456"),
                "the evidence is not shown: {why:?}"
            );
            page.wait_text("#vch-cutoff", "Соңғы ваучер").await?;
            ensure!(why.contains("алдымен кішісі"), "the tie rules: {why:?}");
            // The receipt code is the one in the published file.
            let code = page.text("#vch-code").await?;
            ensure!(
                app["receipt"]["childHash"] == code.as_str(),
                "the receipt code {code:?} is not the API's"
            );
            page.find("#vch-receipt a.vch-file").await?;
            // The month's cost: football costs 18 000 ₸, the voucher pays 15 000 ₸.
            let months = plain(&page.wait_text("#vch-months", "Ваучерден").await?);
            ensure!(
                months.contains("15 000") && months.contains("өзіңіз төлейсіз: 3 000"),
                "the months: {months:?}"
            );
            fits_the_phone(page, "the application").await?;
            page.screenshot_for_review("parent-voucher-rank-kk").await?;

            // A second football group opens (with its provider's approval, as a fixture): the
            // parent moves the voucher there from next month.
            page.app
                .db
                .execute_unprepared(
                    "INSERT INTO voucher_section (organisation_id, region_kato, name, direction,
                       age_min, age_max, schedule, capacity, enrolled, locality_kato, address,
                       monthly_price, active, created_at)
                     SELECT organisation_id, region_kato, 'Футбол-2 / Football 2', direction,
                       age_min, age_max, schedule, capacity, 0, locality_kato,
                       'Астана, Мәңгілік Ел 10', 15000, active, created_at
                     FROM voucher_section WHERE name = 'Футбол / Football'",
                )
                .await?;
            let second = sql_id(
                page,
                "SELECT id FROM voucher_section WHERE name = 'Футбол-2 / Football 2'",
            )
            .await?;
            page.click("#vch-choose").await?;
            let offers = page.wait_text("#vch-offers", "Футбол-2").await?;
            ensure!(
                offers.contains("Қазіргі үйірме"),
                "the current section: {offers:?}"
            );
            ensure!(offers.contains("Астана"), "the district: {offers:?}");
            fits_the_phone(page, "the sections").await?;
            page.screenshot_for_review("parent-voucher-sections-kk")
                .await?;
            page.click(&format!(".vch-offer[data-section=\"{second}\"] .vch-enrol"))
                .await?;
            page.wait_text("#vch-enrolled", "Дайын").await?;
            page.wait_text("#vch-section", "Футбол-2").await?;
            let after = applications(page).await?;
            let moved = after
                .iter()
                .find(|a| a["id"] == id.as_str())
                .context("the application")?;
            let enrolments = moved["voucher"]["enrolments"]
                .as_array()
                .context("enrolments")?;
            ensure!(
                enrolments
                    .iter()
                    .any(|e| e["section"]["id"] == second.to_string().as_str()
                        && e["lastMonth"].is_null()),
                "the API does not report the move: {moved}"
            );

            // Applying for a child of the registry in the summer campaign: no IIN typed.
            page.click("#vch-back").await?;
            page.click("#vch-apply").await?;
            page.wait_path("/citizen/vouchers/apply").await?;
            page.find("#vch-apply-form").await?;
            page.select_by_label_containing("#vch-child", "Әлихан")
                .await?;
            page.select_by_label_containing("#vch-campaign", "жазғы")
                .await?;
            page.select("#vch-direction", "ARTS").await?;
            page.click(".vch-cat[value=\"large_family\"]").await?;
            // A category ticked without its evidence is explained before anything is sent.
            page.click("#vch-submit").await?;
            page.wait_text("#vch-apply-form [role=alert]", "EVIDENCE_REQUIRED")
                .await?;
            page.wait_text("#vch-apply-form [role=alert]", "анықтаманың нөмірін")
                .await?;
            page.fill("#vch-evidence-large_family", "Куәлік № 78")
                .await?;
            fits_the_phone(page, "the application form").await?;
            page.screenshot_for_review("parent-voucher-apply-kk")
                .await?;
            page.click("#vch-submit").await?;
            page.wait_text("#vch-new", "Өтініш берілді").await?;
            let path = page.wait_path("/citizen/vouchers/").await?;
            let new_id = path
                .trim_start_matches("/citizen/vouchers/")
                .split('?')
                .next()
                .unwrap_or_default()
                .to_owned();
            let all = applications(page).await?;
            let new = all
                .iter()
                .find(|a| a["id"] == new_id.as_str())
                .with_context(|| format!("no application {new_id} in {all:?}"))?;
            ensure!(
                new["status"] == "SUBMITTED"
                    && new["categories"][0]["category"] == "large_family"
                    && new["categories"][0]["status"] == "DECLARED"
                    && new["childName"]
                        .as_str()
                        .is_some_and(|n| n.contains("Әлихан")),
                "the API reports {new}"
            );
            page.wait_text("#vch-status", "Бөлуді күтуде").await?;
            let code = page.text("#vch-code").await?;
            ensure!(
                new["receipt"]["childHash"] == code.as_str(),
                "the new receipt code {code:?} is not the API's"
            );
            Ok(())
        },
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn parent_confirms_a_month_and_disputes_another_in_russian() {
    run(
        "parent_confirms_a_month_and_disputes_another_in_russian",
        async |page| {
            parent_on_a_phone(page, "ru").await?;
            let r = page
                .graphql("{ voucherAttendance(status: RECORDED) { id month voucherId } }")
                .await?;
            let waiting = r["data"]["voucherAttendance"]
                .as_array()
                .with_context(|| format!("attendance: {r}"))?;
            let newest = waiting
                .iter()
                .filter_map(|a| a["month"].as_i64())
                .max()
                .context("no month waits")?;
            // This month's (answerable) of each child, and last month's (past its days).
            let (open, old): (Vec<&Value>, Vec<&Value>) =
                waiting.iter().partition(|a| a["month"] == newest);
            ensure!(open.len() == 2, "two months to answer expected: {r}");
            let id = |a: &Value| a["id"].as_str().unwrap_or_default().to_owned();
            let (confirm, dispute) = (id(open[0]), id(open[1]));

            page.goto("/citizen/vouchers").await?;
            page.wait_text("h1", "Ваучеры").await?;
            let row = |id: &str| format!(".vch-month[data-attendance=\"{id}\"]");
            page.wait_text(&row(&confirm), "Ответьте до").await?;
            if let Some(o) = old.first() {
                let text = page.wait_text(&row(&id(o)), "считается подтверждённым").await?;
                ensure!(
                    !page.exists(&format!("{} .vch-confirm", row(&id(o)))).await?,
                    "a month past its days can still be answered: {text:?}"
                );
            }
            fits_the_phone(page, "the months to answer").await?;
            page.screenshot_for_review("parent-voucher-months-ru").await?;

            // One tap confirms.
            page.click(&format!("{} .vch-confirm", row(&confirm))).await?;
            page.wait_text("#vch-answered", "Месяц подтверждён").await?;
            // Two taps dispute: "Оспорить", then the reason.
            page.click(&format!("{} .vch-dispute", row(&dispute))).await?;
            page.click(&format!("{} .vch-reason", row(&dispute))).await?;
            page.wait_text("#vch-answered", "Месяц оспорен").await?;
            page.wait_without("#vch-waiting", "Ответьте до").await?;
            let r = page
                .graphql("{ voucherAttendance { id status disputeReason } }")
                .await?;
            let find = |id: &str| {
                r["data"]["voucherAttendance"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .find(|a| a["id"] == id)
                    .cloned()
                    .unwrap_or_default()
            };
            ensure!(find(&confirm)["status"] == "CONFIRMED", "confirmed: {r}");
            let d = find(&dispute);
            ensure!(
                d["status"] == "DISPUTED" && d["disputeReason"] == "Ребёнок посетил меньше занятий",
                "disputed: {r}"
            );

            // The disputed month on its application's page, with the reason.
            let voucher = open[1]["voucherId"].clone();
            let apps = applications(page).await?;
            let app = apps
                .iter()
                .find(|a| a["voucher"]["id"] == voucher)
                .context("the disputed month's application")?;
            let app_id = app["id"].as_str().context("id")?;
            page.goto(&format!("/citizen/vouchers/{app_id}")).await?;
            let months = page.wait_text("#vch-months", "Оспорено родителем").await?;
            ensure!(
                months.contains("Причина родителя: Ребёнок посетил меньше занятий"),
                "the months: {months:?}"
            );
            fits_the_phone(page, "the application").await?;

            // Another family's application (Мария's Софья): its id in the address shows the
            // API's refusal and nothing of theirs; the API answers NOT_FOUND.
            let other = sql_id(
                page,
                "SELECT a.id FROM voucher_application a JOIN person p ON p.id = a.child_person_id
                 WHERE p.first_name = 'Софья'",
            )
            .await?;
            let r = page
                .graphql(&format!(
                    "{{ voucherApplication(id: \"{other}\") {{ id childName receipt {{ childHash }} }} }}"
                ))
                .await?;
            ensure!(
                r["errors"][0]["extensions"]["code"] == "NOT_FOUND" && r["data"].is_null(),
                "another family's application: {r}"
            );
            page.goto(&format!("/citizen/vouchers/{other}")).await?;
            page.wait_text("main [role=alert]", "не найдена").await?;
            let shown = page.text("main").await?;
            ensure!(
                !shown.contains("Софья") && !page.exists("#vch-code").await?,
                "another family's application shows {shown:?}"
            );
            Ok(())
        },
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn parent_declines_a_voucher_and_the_next_child_in_the_queue_receives_it_in_russian() {
    run(
        "parent_declines_a_voucher_and_the_next_child_in_the_queue_receives_it_in_russian",
        async |page| {
            let queued = "SELECT COUNT(*) FROM voucher_application WHERE status = 'queued'";
            let waiting = sql_id(page, queued).await?;
            ensure!(waiting > 0, "the demo campaign has no queue");
            parent_on_a_phone(page, "ru").await?;
            let apps = applications(page).await?;
            let app = apps
                .iter()
                .find(|a| a["status"] == "ISSUED")
                .with_context(|| format!("no voucher in {apps:?}"))?;
            let id = app["id"].as_str().context("id")?.to_owned();
            page.goto(&format!("/citizen/vouchers/{id}")).await?;
            page.wait_text("#vch-voucher h2", "Ваучер").await?;
            page.click("#vch-decline").await?;
            // Said what it does before it is done.
            page.wait_text("#vch-decline-form", "следующему ребёнку в очереди")
                .await?;
            fits_the_phone(page, "declining a voucher").await?;
            page.click("#vch-decline-confirm").await?;
            page.wait_text("#vch-ended", "Вы отказались от ваучера")
                .await?;
            ensure!(
                !page.exists("#vch-decline").await?,
                "a declined voucher can still be declined"
            );
            let apps = applications(page).await?;
            let declined = apps
                .iter()
                .find(|a| a["id"] == id.as_str())
                .context("the application")?;
            let voucher = declined["voucher"]["id"].as_str().context("voucher")?;
            let r = page
                .graphql(&format!(
                    "{{ voucherApplication(id: \"{id}\") {{ voucher {{ id status endReason }} }} }}"
                ))
                .await?;
            ensure!(
                r["data"]["voucherApplication"]["voucher"]["status"] == "DECLINED"
                    && r["data"]["voucherApplication"]["voucher"]["id"] == voucher,
                "{r}"
            );
            // Its months went to the first child waiting.
            ensure!(
                sql_id(page, queued).await? == waiting - 1,
                "nobody in the queue received the freed voucher"
            );
            page.screenshot_for_review("parent-voucher-declined-ru")
                .await?;
            Ok(())
        },
    )
    .await;
}
