//! The parent's school pages in real headless Chromium on a phone-sized window: a child's
//! day with the exact local times the API reports, the allergens with their confirmation (in
//! Kazakh), the menu and the rating of a meal (in Russian), and that another family's child
//! stays out of reach.

use std::collections::BTreeSet;

use anyhow::{Context, Result, ensure};
use e2e::{Page, fits_the_phone, parent_on_a_phone, run};
use sea_orm::{ConnectionTrait, Statement};
use serde_json::Value;

/// The text with no-break spaces as plain spaces.
fn plain(s: &str) -> String {
    s.replace('\u{a0}', " ")
}

/// The browser's today and the day `back` days before, as `YYYY-MM-DD`.
async fn days_back(page: &Page, back: u32) -> Result<(String, String)> {
    let r = page
        .js(&format!(
            "const d = n => {{ const t = new Date(Date.now() - n * 864e5);
               return t.getFullYear() + '-' + String(t.getMonth() + 1).padStart(2, '0') + '-'
                 + String(t.getDate()).padStart(2, '0'); }};
             return [d({back}), d(0)];"
        ))
        .await?;
    Ok((
        r[0].as_str().context("from")?.to_owned(),
        r[1].as_str().context("to")?.to_owned(),
    ))
}

/// The school day of the demo (the last day with a meal) and what the API says of the child
/// that day: the first entry, the last exit and the meals' local times.
async fn demo_day_of(page: &Page, child: &str) -> Result<(String, Value, Vec<String>)> {
    let (from, to) = days_back(page, 12).await?;
    let r = page
        .graphql(&format!(
            "{{ pupilMeals(personId: \"{child}\", from: \"{from}\", to: \"{to}\") {{ day servedAtLocal }}
               pupilAttendance(personId: \"{child}\", from: \"{from}\", to: \"{to}\") {{ date firstEntryLocal lastExitLocal }} }}"
        ))
        .await?;
    let meals = r["data"]["pupilMeals"].as_array().context("meals")?;
    let day = meals
        .iter()
        .filter_map(|m| m["day"].as_str())
        .max()
        .with_context(|| format!("no meal in {r}"))?
        .to_owned();
    let times = meals
        .iter()
        .filter(|m| m["day"] == day.as_str())
        .filter_map(|m| m["servedAtLocal"].as_str().map(str::to_owned))
        .collect();
    let att = r["data"]["pupilAttendance"]
        .as_array()
        .context("attendance")?
        .iter()
        .find(|a| a["date"] == day.as_str())
        .cloned()
        .with_context(|| format!("no attendance on {day} in {r}"))?;
    Ok((day, att, times))
}

/// Waits until the allergen's box is ticked (or not).
async fn wait_checked(page: &Page, allergen: &str, on: bool) -> Result<()> {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    let script = format!(
        "const b = document.querySelector('#allergens input[value=\"{allergen}\"]'); return !!b && b.checked;"
    );
    while page.js(&script).await? != Value::Bool(on) {
        ensure!(
            std::time::Instant::now() < deadline,
            "{allergen} is not {on}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    Ok(())
}

/// The allergens the API reports blocked for the child.
async fn blocks(page: &Page, child: &str) -> Result<BTreeSet<String>> {
    let r = page
        .graphql(&format!("{{ allergenBlocks(childId: \"{child}\") }}"))
        .await?;
    Ok(r["data"]["allergenBlocks"]
        .as_array()
        .with_context(|| format!("blocks: {r}"))?
        .iter()
        .filter_map(|a| a.as_str().map(str::to_owned))
        .collect())
}

/// Steps back a day at a time until the page shows `day`.
async fn show_day(page: &Page, day: &str) -> Result<()> {
    for _ in 0..40 {
        let shown = page
            .attr("#day-date", "data-day")
            .await?
            .unwrap_or_default();
        if shown == day {
            return Ok(());
        }
        ensure!(shown.as_str() > day, "the page shows {shown}, before {day}");
        page.click("#day-prev").await?;
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        while page
            .attr("#day-date", "data-day")
            .await?
            .unwrap_or_default()
            == shown
        {
            ensure!(
                std::time::Instant::now() < deadline,
                "the day did not change from {shown}"
            );
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
    }
    anyhow::bail!("{day} not reached")
}

#[tokio::test(flavor = "multi_thread")]
async fn parent_follows_a_childs_day_and_blocks_an_allergen_in_kazakh() {
    run(
        "parent_follows_a_childs_day_and_blocks_an_allergen_in_kazakh",
        async |page| {
            parent_on_a_phone(page, "kk").await?;
            let aruzhan = page.child_id("Аружан").await?;
            let (day, att, meals) = demo_day_of(page, &aruzhan).await?;

            page.goto("/citizen/attendance").await?;
            page.wait_text("h1", "Баланың күні").await?;
            page.select("#child-pick", &aruzhan).await?;
            page.wait_text("#child-school", "").await?;
            show_day(page, &day).await?;
            let entry = att["firstEntryLocal"].as_str().context("an entry")?;
            page.wait_text("#entry-time", entry).await?;
            let exit = att["lastExitLocal"].as_str().context("an exit")?;
            page.wait_text("#exit-time", exit).await?;
            let line = page.text("#day-line").await?;
            for t in &meals {
                ensure!(line.contains(t.as_str()), "the meal at {t} is not in {line:?}");
            }
            // Her pilaf and compote (the porridge was refused for milk), named in Kazakh.
            ensure!(line.contains("Палау"), "no pilaf in {line:?}");
            page.find(&format!("#month-strip button[data-day=\"{day}\"].d-present, #month-strip button[data-day=\"{day}\"].d-late")).await?;
            fits_the_phone(page, "the child's day").await?;
            page.screenshot_for_review("parent-child-day-kk").await?;

            // Allergens: milk is blocked (the demo); the parent adds eggs and reads, before
            // saving, what the till will refuse.
            // By the portal's navigation: the page opens on the child picked.
            page.click("nav a[href=\"/citizen/allergens\"]").await?;
            page.wait_text("h1", "Аллергендер").await?;
            page.find("#child-pick").await?;
            ensure!(
                page.value("#child-pick").await? == aruzhan,
                "the allergens page did not open on the child picked"
            );
            wait_checked(page, "MILK", true).await?;
            page.click("#allergens input[value=\"EGGS\"]").await?;
            page.click("#allergen-review").await?;
            let changes = page.wait_text("#allergen-changes", "Жұмыртқа").await?;
            ensure!(
                changes.contains("Касса мына аллергендері бар тағамдарды бермейді: Жұмыртқа, Сүт."),
                "the confirmation is {changes:?}"
            );
            page.screenshot_for_review("parent-allergens-confirm-kk").await?;
            page.click("#allergen-confirm").await?;
            page.wait_text("#allergen-saved", "Сақталды").await?;
            ensure!(
                blocks(page, &aruzhan).await? == BTreeSet::from(["EGGS".to_owned(), "MILK".to_owned()]),
                "the API does not report the new block"
            );
            // Unticking milk says it is no longer blocked; cancelling changes nothing.
            page.click("#allergens input[value=\"MILK\"]").await?;
            page.click("#allergen-review").await?;
            page.wait_text("#allergen-changes", "Енді бұғатталмайды: Сүт.").await?;
            fits_the_phone(page, "the allergens").await?;
            page.click("#allergen-changes button.secondary").await?;
            ensure!(
                blocks(page, &aruzhan).await?.contains("MILK"),
                "milk was unblocked without confirmation"
            );
            Ok(())
        },
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn parent_rates_a_meal_in_russian_and_cannot_reach_another_familys_child() {
    run(
        "parent_rates_a_meal_in_russian_and_cannot_reach_another_familys_child",
        async |page| {
            parent_on_a_phone(page, "ru").await?;
            let alikhan = page.child_id("Әлихан").await?;
            let (day, _, _) = demo_day_of(page, &alikhan).await?;
            let r = page
                .graphql(&format!(
                    "{{ pupilMeals(personId: \"{alikhan}\", from: \"{day}\", to: \"{day}\") {{ id servedAtLocal }} }}"
                ))
                .await?;
            let meal = r["data"]["pupilMeals"][0]["id"]
                .as_str()
                .with_context(|| format!("Әлихан's meal: {r}"))?
                .to_owned();

            // From "My children", the link to his meals.
            page.goto("/citizen/children").await?;
            page.click(&format!("#children a[href=\"/citizen/meals?child={alikhan}\"]"))
                .await?;
            page.wait_text("h1", "Питание").await?;
            page.find("#child-pick").await?;
            ensure!(
                page.value("#child-pick").await? == alikhan,
                "the meals page did not open on Әлихан"
            );
            // The school's menu of the day, in Russian, with prices.
            let menu = plain(&page.wait_text("#menu", "Молочная каша").await?);
            ensure!(menu.contains("350 ₸"), "the menu is {menu:?}");
            let item = format!("li.meal[data-meal=\"{meal}\"]");
            page.wait_text(&item, "Плов").await?;
            page.select(&format!("#rate-score-{meal}"), "4").await?;
            page.fill(&format!("#rate-comment-{meal}"), "Вкусно, но остыло").await?;
            page.click(&format!("{item} .rate-submit")).await?;
            page.wait_text(&item, "Ваша оценка: 4 из 5").await?;
            let r = page
                .graphql(&format!(
                    "{{ pupilMeals(personId: \"{alikhan}\", from: \"{day}\", to: \"{day}\") {{ id rating }} }}"
                ))
                .await?;
            ensure!(
                r["data"]["pupilMeals"][0]["rating"] == 4,
                "the API does not report the rating: {r}"
            );
            fits_the_phone(page, "the meals").await?;
            page.screenshot_for_review("parent-meals-ru").await?;

            // Balance and notices: meals also by SMS.
            page.goto("/citizen/account").await?;
            page.select("#child-pick", &alikhan).await?;
            page.wait_text("#balance", "₸").await?;
            let sms_meal = "#sms-MEAL";
            page.find(sms_meal).await?;
            page.click(sms_meal).await?;
            page.click("#notice-save").await?;
            page.wait_text("#notice-form", "Настройки уведомлений сохранены").await?;
            let r = page
                .graphql(&format!("{{ schoolNoticePreferences(childId: \"{alikhan}\") {{ smsKinds }} }}"))
                .await?;
            let sms = r["data"]["schoolNoticePreferences"]["smsKinds"].to_string();
            ensure!(sms.contains("MEAL") && sms.contains("ENTRY"), "SMS kinds: {r}");
            fits_the_phone(page, "the balance and notices").await?;
            page.screenshot_for_review("parent-account-ru").await?;

            // Another family's child (Мария's Софья at the same school) is out of reach: the
            // API answers nothing, and the picker lists only the parent's own children.
            let other = page
                .app
                .db
                .query_one_raw(Statement::from_string(
                    page.app.db.get_database_backend(),
                    "SELECT id FROM person WHERE first_name = 'Софья'",
                ))
                .await?
                .context("Софья")?
                .try_get_by_index::<i64>(0)?;
            let (from, to) = days_back(page, 12).await?;
            for q in [
                format!("{{ pupilAttendance(personId: \"{other}\", from: \"{from}\", to: \"{to}\") {{ date firstEntryLocal }} }}"),
                format!("{{ pupilMeals(personId: \"{other}\", from: \"{from}\", to: \"{to}\") {{ id }} }}"),
                format!("{{ pupilSchools(personId: \"{other}\") {{ schoolId }} }}"),
                format!("{{ allergenBlocks(childId: \"{other}\") }}"),
                format!("{{ schoolBalance(personId: \"{other}\") {{ amount }} }}"),
            ] {
                let r = page.graphql(&q).await?;
                let refused = r["errors"].as_array().is_some_and(|e| !e.is_empty());
                let empty = r["data"]
                    .as_object()
                    .is_some_and(|d| d.values().all(|v| v.is_null() || v.as_array().is_some_and(Vec::is_empty)));
                ensure!(refused || empty, "{q} gave {r}");
            }
            // A link naming her opens on the parent's own child instead.
            page.goto(&format!("/citizen/attendance?child={other}")).await?;
            page.wait_text("#child-school", "").await?;
            let chosen = page.value("#child-pick").await?;
            ensure!(chosen != other.to_string(), "the page opened on another family's child");
            let shown = page.text("main").await?;
            ensure!(!shown.contains("Софья"), "the page shows {shown:?}");
            Ok(())
        },
    )
    .await;
}

/// The parent, in Kazakh on a phone, gives consent to a QR code for Аружан and withdraws it:
/// the page says which consents stand, and the API agrees at each step.
#[tokio::test(flavor = "multi_thread")]
async fn parent_gives_and_withdraws_consent_to_a_qr_code_in_kazakh() {
    run(
        "parent_gives_and_withdraws_consent_to_a_qr_code_in_kazakh",
        async |page| {
            parent_on_a_phone(page, "kk").await?;
            let aruzhan = page.child_id("Аружан").await?;
            page.goto("/citizen/account").await?;
            page.select("#child-pick", &aruzhan).await?;
            page.wait_text("#id-title", "Картасыз сәйкестендіру")
                .await?;
            // The demo's parent consented to a PIN, not to a QR code.
            page.wait_text(
                "#id-consents li[data-method=PIN] .consent-state",
                "Келісім берілді",
            )
            .await?;
            page.wait_text(
                "#id-consents li[data-method=QR] .consent-state",
                "Келісім жоқ",
            )
            .await?;
            let qr_consent = async || -> Result<Value> {
                let r = page
                    .graphql(&format!(
                        "{{ schoolIdConsents(childId: \"{aruzhan}\") {{ method revokedAt }} }}"
                    ))
                    .await?;
                Ok(r["data"]["schoolIdConsents"]
                    .as_array()
                    .context("consents")?
                    .iter()
                    .find(|c| c["method"] == "QR")
                    .cloned()
                    .unwrap_or(Value::Null))
            };
            page.click("#consent-QR").await?;
            page.wait_text(
                "#id-consents li[data-method=QR] .consent-state",
                "Келісім берілді",
            )
            .await?;
            page.wait_text("#consent-QR", "Келісімді кері қайтару")
                .await?;
            let given = qr_consent().await?;
            ensure!(
                given["method"] == "QR" && given["revokedAt"].is_null(),
                "the API has no standing QR consent: {given}"
            );
            fits_the_phone(page, "the consents").await?;
            page.screenshot_for_review("parent-id-consent-kk").await?;
            page.click("#consent-QR").await?;
            page.wait_text(
                "#id-consents li[data-method=QR] .consent-state",
                "Келісім жоқ",
            )
            .await?;
            // The consent's history keeps it, withdrawn.
            let withdrawn = qr_consent().await?;
            ensure!(
                withdrawn["revokedAt"].is_string(),
                "the QR consent still stands: {withdrawn}"
            );
            Ok(())
        },
    )
    .await;
}
