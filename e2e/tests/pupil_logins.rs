//! A pupil's login for educational resources (docs/sso.md, "Who signs in") in real headless
//! Chromium on a phone-sized window: the school's administrator sees the demo pupil Аружан's
//! login on her card, issues Әлихан one and reads its password the one time it is shown; the
//! login signs in, and the sign-in page sends it to the resources instead of a portal; once
//! the administrator withdraws it, it signs in no more. The demo pupil's page lists her meals
//! at school, and she rates one.

use anyhow::{Context, Result, ensure};
use chrono::{Duration, Utc};
use e2e::{Page, fits_the_phone, parent_on_a_phone, run};
use serde_json::{Value, json};

/// The demo pupil Аружан's login (`adal_server::seed::DEMO_PUPIL_LOGIN`).
const DEMO_LOGIN: &str = "pupil";
/// The pupil the test issues a login to (on the demo school's list, without one).
const PUPIL: &str = "Әлихан";

/// Opens the card of the member whose name contains `name` from the school's list.
async fn open_member(page: &Page, name: &str) -> Result<()> {
    page.click_row_button("#members tr.member", name).await?;
    page.wait_text("#person-title", name).await?;
    Ok(())
}

/// The answer of the API's `login` with this login and password (no session of the page's).
async fn sign_in_by_graphql(page: &Page, login: &str, password: &str) -> Result<Value> {
    page.graphql_anonymous(&format!(
        "mutation {{ login(login: {login:?}, password: {password:?}) {{ accessToken me {{ roles {{ role }} }} }} }}"
    ))
    .await
}

#[tokio::test(flavor = "multi_thread")]
async fn a_school_issues_a_pupil_a_login_for_resources_shown_once_and_withdraws_it() {
    run(
        "a_school_issues_a_pupil_a_login_for_resources_shown_once_and_withdraws_it",
        async |page| {
            page.sign_in_on_a_phone_in_english("school.admin", "/school")
                .await?;
            page.nav_to("/school/pupils").await?;

            // Аружан holds the demo's login, active: a new password may be given, or it is
            // withdrawn.
            open_member(page, "Аружан").await?;
            page.wait_text("#pupil-login-title", "Login for educational resources")
                .await?;
            page.wait_text("#pupil-login-name", DEMO_LOGIN).await?;
            let shown = page.text("#pupil-login-name").await?;
            ensure!(shown == DEMO_LOGIN, "Аружан's login shows as {shown:?}");
            page.wait_text("#issue-login", "New password").await?;
            ensure!(
                page.exists("#withdraw-login").await?,
                "Аружан's active login cannot be withdrawn"
            );
            ensure!(
                !page.exists("#pupil-login-withdrawn").await?,
                "Аружан's login shows as withdrawn"
            );

            // Әлихан has none: the administrator issues one and reads it once.
            open_member(page, PUPIL).await?;
            page.wait_text("#pupil-login-none", "no login").await?;
            page.wait_text("#issue-login", "Issue login").await?;
            ensure!(
                !page.exists("#withdraw-login").await?,
                "a login to withdraw where there is none"
            );
            page.click("#issue-login").await?;
            page.wait_text("#issued-box", "shown only this once")
                .await?;
            page.wait_text("#issued-box", "on paper").await?;
            let login = page.text("#issued-login").await?;
            let password = page.text("#issued-password").await?;
            let digits = login.strip_prefix("pupil.").unwrap_or_default();
            ensure!(
                digits.len() == 6 && digits.chars().all(|c| c.is_ascii_digit()),
                "the issued login is {login:?}"
            );
            ensure!(
                password.len() == 10 && password.chars().all(|c| c.is_ascii_alphanumeric()),
                "the issued password is {password:?}"
            );
            // The card now shows the login, active.
            page.wait_text("#pupil-login-name", &login).await?;
            page.wait_text("#issue-login", "New password").await?;
            page.find("#withdraw-login").await?;
            fits_the_phone(page, "the pupil's card with the issued login").await?;
            page.screenshot_for_review("school-pupil-login").await?;

            // The login signs in, as a pupil and nothing else.
            let r = sign_in_by_graphql(page, &login, &password).await?;
            ensure!(
                r["data"]["login"]["accessToken"].is_string(),
                "the issued login does not sign in: {r}"
            );
            let roles: Vec<&str> = r["data"]["login"]["me"]["roles"]
                .as_array()
                .context("the pupil's roles")?
                .iter()
                .filter_map(|x| x["role"].as_str())
                .collect();
            ensure!(roles == ["PUPIL"], "the pupil's login holds {roles:?}");

            // On the sign-in page it opens no portal: the page says where it signs in.
            page.sign_out().await?;
            page.sign_in_with(&login, &password).await?;
            page.find("#no-portal").await?;
            page.select("#lang-switch", "en").await?;
            page.wait_text("#no-portal", "for educational resources")
                .await?;
            page.wait_text("#no-portal", "Sign in with Adal").await?;
            ensure!(
                !page.exists(".sidenav").await?,
                "the pupil's login opens a portal"
            );
            fits_the_phone(page, "the sign-in page of a pupil's login").await?;
            page.screenshot_for_review("signin-pupil-login").await?;
            // The account's page lists the pupil's sign-ins to resources (none yet).
            page.click("#security-link").await?;
            page.wait_path("/security").await?;
            page.wait_text("#my-sign-ins", "No sign-ins yet.").await?;
            fits_the_phone(page, "the account page of a pupil's login").await?;
            page.sign_out().await?;

            // The administrator withdraws it: it signs in no more.
            page.sign_in_on_a_phone_in_english("school.admin", "/school")
                .await?;
            page.nav_to("/school/pupils").await?;
            open_member(page, PUPIL).await?;
            page.wait_text("#pupil-login-name", &login).await?;
            page.click("#withdraw-login").await?;
            page.wait_text("#pupil-login-withdrawn", "Withdrawn")
                .await?;
            page.wait_text("#issue-login", "Issue login").await?;
            ensure!(
                !page.exists("#withdraw-login").await?,
                "a withdrawn login can be withdrawn again"
            );
            let r = sign_in_by_graphql(page, &login, &password).await?;
            ensure!(
                r["data"]["login"].is_null()
                    && r["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED",
                "the withdrawn login still signs in: {r}"
            );
            Ok(())
        },
    )
    .await;
}

/// The demo pupil Аружан, signed in with her login on a phone, finds on her page (in Kazakh)
/// her meals of the last two weeks, newest first, with the demo school day's pilaf; she rates
/// it 5 with a comment, and the meal then shows its rating instead of the form. The school's
/// staff read her comment among the families' (without her name), and her parent reads the
/// rating as hers.
#[tokio::test(flavor = "multi_thread")]
async fn the_demo_pupil_rates_her_meal_and_the_school_reads_her_comment() {
    run(
        "the_demo_pupil_rates_her_meal_and_the_school_reads_her_comment",
        async |page| {
            page.client.set_window_size(390, 844).await?;
            page.sign_in(DEMO_LOGIN).await?;
            page.find("#no-portal").await?;
            // Kazakh, chosen in this browser: the page asks again in it (the dishes' names).
            page.select("#lang-switch", "kk").await?;
            page.goto("/").await?;
            page.wait_text("#pupil-meals-title", "Мектептегі тамағым")
                .await?;

            // What the API tells her of her meals: the last two weeks in Kazakhstan (UTC+5).
            let me = page.graphql("{ me { person { id } } }").await?;
            let aruzhan = me["data"]["me"]["person"]["id"]
                .as_str()
                .with_context(|| format!("Аружан's person: {me}"))?
                .to_owned();
            let today = (Utc::now() + Duration::hours(5)).date_naive();
            let from = today - Duration::days(13);
            let r = page
                .graphql(&format!(
                    "{{ pupilSchools(personId: \"{aruzhan}\") {{ schoolId }}
                       pupilMeals(personId: \"{aruzhan}\", from: \"{from}\", to: \"{today}\") {{ id day servedAtLocal rating }} }}"
                ))
                .await?;
            let school = r["data"]["pupilSchools"][0]["schoolId"]
                .as_str()
                .with_context(|| format!("Аружан's school: {r}"))?
                .to_owned();
            let meals = r["data"]["pupilMeals"]
                .as_array()
                .with_context(|| format!("Аружан's meals: {r}"))?
                .clone();
            // The demo school day's lunch (her pilaf: the porridge was refused for milk).
            let day = adal_schools::demo::demo_day(Utc::now()).to_string();
            let lunch = meals
                .iter()
                .rfind(|m| m["day"] == day.as_str())
                .with_context(|| format!("no meal of the demo day {day} in {r}"))?;
            let meal = lunch["id"].as_str().context("the meal's id")?.to_owned();
            let time = lunch["servedAtLocal"].as_str().context("its time")?;
            ensure!(lunch["rating"].is_null(), "her lunch is rated already: {r}");

            // The page lists them all, newest first; the lunch with its day, time and dishes.
            let item = format!("#pupil-meals li.meal[data-meal=\"{meal}\"]");
            let shown = page.wait_text(&item, "Палау").await?;
            let (y, rest) = day.split_once('-').context("the day")?;
            let (m, d) = rest.split_once('-').context("the day")?;
            for what in [format!("{d}.{m}.{y}"), time.to_owned()] {
                ensure!(shown.contains(&what), "the lunch shows {shown:?}, not {what:?}");
            }
            let listed = page
                .js("return [...document.querySelectorAll('#pupil-meals li.meal')].map(li => li.dataset.meal);")
                .await?;
            let newest_first: Vec<&Value> = meals.iter().rev().map(|m| &m["id"]).collect();
            ensure!(
                listed.as_array().is_some_and(|l| l.iter().eq(newest_first.iter().copied())),
                "the page lists {listed}, the API (oldest first) {r}"
            );
            ensure!(
                !page.exists("#pupil-meals-empty").await?,
                "her meals and the empty state at once"
            );

            // She rates it: 5 and a comment.
            let comment = "Палау өте дәмді болды!";
            page.wait_text(&item, "Қаншалықты дәмді болды?").await?;
            page.select(&format!("#rate-score-{meal}"), "5").await?;
            page.fill(&format!("#rate-comment-{meal}"), comment).await?;
            fits_the_phone(page, "the pupil's meals with the form").await?;
            page.click(&format!("{item} .rate-submit")).await?;
            page.wait_text(&format!("{item} .rated"), "Баға қойылды: 5 / 5")
                .await?;
            ensure!(
                !page.exists(&format!("#rate-score-{meal}")).await?,
                "the rated meal still offers the form"
            );
            let r = page
                .graphql(&format!(
                    "{{ pupilMeals(personId: \"{aruzhan}\", from: \"{day}\", to: \"{day}\") {{ id rating }} }}"
                ))
                .await?;
            let rated = r["data"]["pupilMeals"]
                .as_array()
                .and_then(|a| a.iter().find(|m| m["id"] == meal.as_str()))
                .with_context(|| format!("her lunch: {r}"))?;
            ensure!(rated["rating"] == 5, "the API does not report her rating: {r}");
            fits_the_phone(page, "the pupil's meals").await?;
            page.screenshot_for_review("signin-pupil-meals-kk").await?;
            page.sign_out().await?;

            // Her parent's meals page says the rating is hers, not theirs.
            parent_on_a_phone(page, "kk").await?;
            page.goto(&format!("/citizen/meals?child={aruzhan}")).await?;
            page.wait_text(
                &format!("li.meal[data-meal=\"{meal}\"] .rated"),
                "Баланың бағасы: 5 / 5",
            )
            .await?;
            page.sign_out().await?;

            // The school reads her comment with the day and the score.
            page.sign_in("school.staff").await?;
            page.wait_path("/school").await?;
            let r = page
                .graphql(&format!(
                    "{{ schoolMealRatings(schoolId: \"{school}\", from: \"{day}\", to: \"{day}\") {{ comments {{ day score comment }} }} }}"
                ))
                .await?;
            let comments = r["data"]["schoolMealRatings"]["comments"]
                .as_array()
                .with_context(|| format!("the school's ratings: {r}"))?;
            ensure!(
                comments.contains(&json!({ "day": day, "score": 5, "comment": comment })),
                "the school does not read her comment: {r}"
            );
            Ok(())
        },
    )
    .await;
}
