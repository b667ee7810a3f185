//! The school portal in real headless Chromium: the administrator (in Russian) imports a
//! pupil, issues her a card, adds a dish with a photo and puts it on today's menu; staff (in
//! Kazakh) serve her a free meal at the browser till, see Аружан's milk block stop the
//! porridge and lift it with a reason; the administrator downloads the month's meal report
//! and its totals match the page; staff of one school see nothing of another.

use std::path::PathBuf;

use anyhow::{Context, Result, bail, ensure};
use e2e::{Page, run};

/// A 1×1 PNG.
const PNG: [u8; 70] = [
    137, 80, 78, 71, 13, 10, 26, 10, 0, 0, 0, 13, 73, 72, 68, 82, 0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0,
    0, 0, 31, 21, 196, 137, 0, 0, 0, 13, 73, 68, 65, 84, 120, 218, 99, 252, 207, 192, 80, 15, 0, 4,
    133, 1, 128, 132, 169, 140, 33, 0, 0, 0, 0, 73, 69, 78, 68, 174, 66, 96, 130,
];

/// The new pupil's card.
const UID: &str = "04B2C3D4E6F7";

/// The text with no-break spaces as plain spaces.
fn plain(s: &str) -> String {
    s.replace('\u{a0}', " ")
}

/// The signed-in person's school.
async fn school_id(page: &Page) -> Result<String> {
    let r = page
        .graphql("{ me { roles { organisation { id } } } }")
        .await?;
    r["data"]["me"]["roles"]
        .as_array()
        .and_then(|a| a.iter().find_map(|x| x["organisation"]["id"].as_str()))
        .map(str::to_owned)
        .context("the school of the signed-in staff")
}

/// Clicks the first `css` element whose text contains `text` (a toggle, a row's button).
async fn click_with_text(page: &Page, css: &str, text: &str) -> Result<()> {
    page.wait_text(css, text).await?;
    let script = format!(
        "const el = [...document.querySelectorAll({css:?})].find(e => e.textContent.includes({text:?}));
         if (!el) return false; el.click(); return true;"
    );
    ensure!(
        page.js(&script).await? == serde_json::json!(true),
        "no {css} with {text:?}"
    );
    Ok(())
}

/// Presses Tab until the focused element's text (or id) contains `text`, as a person
/// without a mouse does; then Enter.
async fn tab_to_and_enter(page: &Page, text: &str) -> Result<()> {
    for _ in 0..30 {
        let el = page.client.active_element().await?;
        let shown = el.text().await.unwrap_or_default();
        let id = el.attr("id").await?.unwrap_or_default();
        if shown.contains(text) || id == text {
            el.send_keys("\u{E007}").await?;
            return Ok(());
        }
        el.send_keys("\u{E004}").await?;
    }
    bail!("Tab never reached {text:?}")
}

#[tokio::test(flavor = "multi_thread")]
async fn a_school_day_cards_menu_till_allergen_override_and_the_meal_report() {
    run(
        "a_school_day_cards_menu_till_allergen_override_and_the_meal_report",
        async |page| {
            // The administrator, in Russian: a new pupil of grade 2 and her card.
            page.sign_in("school.admin").await?;
            page.wait_path("/school").await?;
            page.select("#lang-switch", "ru").await?;
            page.wait_text("h1", "Сегодня").await?;
            // The demo's day: two pupils late, Әлихан's lost card refused, the turnstile
            // silent since.
            let day = adal_schools::demo::demo_day(chrono::Utc::now()).to_string();
            page.set_value("#school-day", &day).await?;
            page.wait_text("#stat-late", "2").await?;
            page.wait_text("#by-class", "Опоздали: ").await?;
            page.wait_text("#flagged", "Карта заблокирована").await?;
            page.wait_text("#devices tr.offline", "Turnstile, main entrance")
                .await?;
            page.screenshot_for_review("school-today").await?;
            page.goto("/school/pupils").await?;
            page.click("details.panel summary").await?;
            page.fill(
                "#import-csv",
                "kind;iin;last_name;first_name;middle_name;class;position\n\
                 pupil;180322681507;Серікова;Дана;Асқарқызы;2А;",
            )
            .await?;
            page.click("#import-list").await?;
            page.wait_text("#import-result", "Добавлено 1").await?;
            page.click_row_button("#members tr.member", "Серікова Дана")
                .await?;
            page.wait_text("#person-title", "Серікова").await?;
            page.fill("#card-uid", UID).await?;
            page.click("#issue-card").await?;
            page.wait_text("#card-issued", "Карта выдана").await?;
            page.wait_text("#cards", "E6F7").await?;
            page.wait_text("#cards", "Активна").await?;
            page.screenshot_for_review("school-pupils").await?;

            // A dish with a photo, on today's menu.
            page.goto("/school/menus").await?;
            page.click("#add-dish").await?;
            page.fill("#dish-name-kk", "Адал лағманы").await?;
            page.fill("#dish-name-ru", "Лагман Адал").await?;
            page.fill("#dish-name-en", "Adal lagman (Адал)").await?;
            page.fill("#dish-price", "400").await?;
            page.fill("#dish-portion", "250 г").await?;
            let dir = tempfile::tempdir()?;
            let png: PathBuf = dir.path().join("lagman.png");
            std::fs::write(&png, PNG)?;
            page.find("#dish-photo")
                .await?
                .send_keys(&png.to_string_lossy())
                .await?;
            page.click("#dish-save").await?;
            page.wait_text("#week-menu", "Лагман Адал").await?;
            // Today's column, Monday first: the day in Kazakhstan (UTC+5), as the pages count
            // it (1970-01-01 was a Thursday), whatever the browser's time zone.
            let tick =
                "const day = (Math.floor((Date.now() + 5 * 3600 * 1000) / 86400000) + 3) % 7;
                 const row = [...document.querySelectorAll('#week-menu tr.dish-row')]
                   .find(r => r.textContent.includes('Лагман Адал'));
                 const img = row.querySelector('img.thumb');
                 row.querySelectorAll('input[type=checkbox]')[day].click();
                 return img ? img.getAttribute('src') : null;";
            let src = page.js(tick).await?;
            let src = src
                .as_str()
                .context("the dish's photo is shown")?
                .to_owned();
            page.click("#save-week").await?;
            page.wait_text("#week-saved", "сохранено").await?;
            // The photo is served as the browser shows it.
            let loaded = page
                .js(&format!(
                    "const x = new XMLHttpRequest(); x.open('GET', {src:?}, false); x.send();
                     return x.status + ' ' + x.getResponseHeader('content-type');"
                ))
                .await?;
            ensure!(
                loaded == serde_json::json!("200 image/png"),
                "the dish photo: {loaded}"
            );
            page.screenshot_for_review("school-menus").await?;
            page.sign_out().await?;

            // Staff at the till, in Kazakh.
            page.sign_in("school.staff").await?;
            page.wait_path("/school").await?;
            page.select("#lang-switch", "kk").await?;
            let school = school_id(page).await?;
            // A tablet's width.
            page.client.set_window_size(1024, 768).await?;
            page.goto("/school/till").await?;
            click_with_text(page, "button.till-choice", "Canteen till 2").await?;
            page.wait_text("#till-name", "Canteen till 2").await?;
            page.read_card_at_till(UID).await?;
            page.wait_text("#till-pupil-name", "Серікова Дана").await?;
            page.wait_text("#till-charge", "Тегін").await?;
            page.wait_text("#till-ground", "1-4 сынып").await?;
            // Keyboard only: Tab to the dish, Enter; Tab to Serve, Enter.
            tab_to_and_enter(page, "Адал").await?;
            page.wait_text("#till-menu button.toggle[aria-pressed=true]", "Адал")
                .await?;
            tab_to_and_enter(page, "till-serve").await?;
            page.wait_text("#till-answer", "Берілді: Тегін").await?;
            page.screenshot_for_review("school-till-served").await?;
            let overflow = page
                .js("return document.documentElement.scrollWidth - window.innerWidth;")
                .await?;
            ensure!(
                overflow.as_i64().unwrap_or(1) <= 0,
                "the till scrolls sideways at 1024 px by {overflow}px"
            );

            // Аружан: her parent blocked milk; the porridge is stopped, the allergen named.
            let r = page
                .graphql(&format!(
                    "{{ schoolMembers(schoolId: \"{school}\", kind: PUPIL) {{ personId name }} }}"
                ))
                .await?;
            let aruzhan: i64 = r["data"]["schoolMembers"]
                .as_array()
                .and_then(|a| {
                    a.iter()
                        .find(|m| m["name"].as_str().is_some_and(|n| n.contains("Аружан")))
                })
                .and_then(|m| m["personId"].as_str())
                .context("Аружан on the list")?
                .parse()?;
            page.read_card_at_till(&format!("04A1{aruzhan:06X}"))
                .await?;
            page.wait_text("#till-pupil-name", "Аружан").await?;
            page.wait_text("#till-menu .dish-blocked", "сүт").await?;
            let disabled = page
                .js("return [...document.querySelectorAll('#till-menu li.dish')]
                       .find(li => li.textContent.includes('Сүт ботқасы'))
                       .querySelector('button.toggle').disabled;")
                .await?;
            ensure!(
                disabled == serde_json::json!(true),
                "the porridge is stopped"
            );
            page.screenshot_for_review("school-till-blocked").await?;
            click_with_text(page, "#till-menu button.lift", "Тыйымды алу").await?;
            page.fill("#lift-reason", "Педиатр анықтамасы: сүтке болады")
                .await?;
            page.click("#lift-confirm").await?;
            page.wait_text("#till-notice", "Тыйым бүгінге алынды")
                .await?;
            page.wait_without("#till-menu", "Тыйым салынған").await?;
            click_with_text(page, "#till-menu button.toggle", "Сүт ботқасы").await?;
            let subsidised_used = page.exists("#till-pupil .muted").await?;
            page.click("#till-serve").await?;
            if subsidised_used {
                // The demo day is today and she ate already: a paid meal, and no money.
                page.wait_text("#till-answer", "Теңгерім жеткіліксіз")
                    .await?;
            } else {
                page.wait_text("#till-answer", "Берілді: Тегін").await?;
            }

            // Staff of this school see nothing of another school.
            let other: i64 = school.parse::<i64>()? + 100_000;
            let r = page
                .graphql(&format!(
                    "{{ schoolMembers(schoolId: \"{other}\") {{ name }} }}"
                ))
                .await?;
            ensure!(
                r["data"].is_null() && r["errors"][0]["extensions"]["code"].is_string(),
                "another school's list: {r}"
            );
            let code = r["errors"][0]["extensions"]["code"].as_str().unwrap_or("");
            ensure!(
                code == "FORBIDDEN" || code == "NOT_FOUND",
                "another school's list: {r}"
            );
            page.client.set_window_size(1280, 900).await?;
            page.sign_out().await?;

            // The administrator: the month's meal report, and its totals against the page.
            page.sign_in("school.admin").await?;
            page.wait_path("/school").await?;
            page.select("#lang-switch", "en").await?;
            page.goto("/school/reports").await?;
            page.click("#prepare-meals").await?;
            page.wait_text("#report-prepared", "Report ready").await?;
            page.wait_text("#reports", "Free and subsidised meals")
                .await?;
            let shown = plain(&page.text("#meals-in-month").await?);
            let on_page: i64 = shown
                .rsplit(' ')
                .next()
                .unwrap_or("")
                .replace(',', "")
                .parse()
                .with_context(|| format!("the month's meals on the page: {shown}"))?;
            page.capture_downloads().await?;
            click_with_text(page, "#reports tr.report button.download-csv", "CSV").await?;
            let (csv, _) = page.download(0, 1_000_000).await?;
            let total = csv
                .lines()
                .find(|l| l.starts_with("TOTAL"))
                .context("the report's total row")?;
            let cells: Vec<&str> = total.split(',').collect();
            let (free, reduced): (i64, i64) = (cells[3].parse()?, cells[4].parse()?);
            if free + reduced != on_page {
                bail!("the report's total {free} + {reduced} differs from the page's {on_page}");
            }
            ensure!(free >= 1, "today's free meal is in the report: {total}");
            page.screenshot_for_review("school-reports").await?;
            Ok(())
        },
    )
    .await;
}

/// Staff read what families wrote of the food: the demo's comment on Софья's lunch, without
/// the name of who wrote it, over the span they choose.
#[tokio::test(flavor = "multi_thread")]
async fn staff_read_the_families_comments_over_a_span_they_choose() {
    run(
        "staff_read_the_families_comments_over_a_span_they_choose",
        async |page| {
            page.sign_in("school.staff").await?;
            page.wait_path("/school").await?;
            page.goto("/school/menus").await?;
            let comments = page
                .wait_text("#ratings-comments", "компот тым тәтті")
                .await?;
            ensure!(
                !comments.contains("Мария") && !comments.contains("Софья"),
                "a comment names a person: {comments}"
            );
            // The span starts a year back instead of two weeks back.
            let two_weeks = page.text("#ratings-range").await?;
            let from = two_weeks
                .split(" – ")
                .next()
                .context("the range names its first day")?
                .to_owned();
            page.select("#ratings-span", "364").await?;
            page.wait_without("#ratings-range", &from).await?;
            page.wait_text("#ratings-comments", "компот тым тәтті")
                .await?;
            page.screenshot_for_review("school-ratings").await?;
            Ok(())
        },
    )
    .await;
}
