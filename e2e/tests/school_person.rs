//! A person's card at the school in real headless Chromium. The administrator, in Russian,
//! adds the demo pupil Аружан's photo and sees it on her card; issues her a PIN (her mother
//! consented to PINs) and reads its six digits the one time they are shown; asks for a QR
//! code (no consent) and is told why not; ends Әлихан's meal ground and sees its last day;
//! takes a pupil off the list after a second step and sees them gone. Staff, in Kazakh, see
//! the photo but neither ending grounds nor removing; at the till on a 1024 px tablet
//! Аружан's card shows her photo beside her name, a pupil without one shows a placeholder,
//! and the removed pupil's card is refused.

use std::path::PathBuf;

use anyhow::{Context, Result, ensure};
use e2e::{PNG, Page, run};

/// The demo school's pupils: (person id, name).
async fn pupils(page: &Page) -> Result<Vec<(i64, String)>> {
    let r = page
        .graphql("{ me { roles { organisation { id } } } }")
        .await?;
    let school = r["data"]["me"]["roles"]
        .as_array()
        .and_then(|a| a.iter().find_map(|x| x["organisation"]["id"].as_str()))
        .context("the school of the signed-in staff")?
        .to_owned();
    let r = page
        .graphql(&format!(
            "{{ schoolMembers(schoolId: \"{school}\", kind: PUPIL) {{ personId name }} }}"
        ))
        .await?;
    r["data"]["schoolMembers"]
        .as_array()
        .context("the school's pupils")?
        .iter()
        .map(|m| {
            let id = m["personId"].as_str().unwrap_or_default().parse()?;
            Ok((id, m["name"].as_str().unwrap_or_default().to_owned()))
        })
        .collect()
}

/// The pupil whose name contains `name`.
fn pupil<'a>(all: &'a [(i64, String)], name: &str) -> Result<&'a (i64, String)> {
    all.iter()
        .find(|(_, n)| n.contains(name))
        .with_context(|| format!("{name} on the list"))
}

/// A demo card's number (`adal_schools::demo`: 04A1 and the person's id).
fn card_of(person: i64) -> String {
    format!("04A1{person:06X}")
}

/// Opens the card of the member whose name contains `name` from the school's list.
async fn open_member(page: &Page, name: &str) -> Result<()> {
    page.click_row_button("#members tr.member", name).await?;
    page.wait_text("#person-title", name).await?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
async fn a_person_card_photo_pin_refused_qr_ended_ground_removal_and_the_photo_at_the_till() {
    run(
        "a_person_card_photo_pin_refused_qr_ended_ground_removal_and_the_photo_at_the_till",
        async |page| {
            // The administrator, in Russian.
            page.sign_in("school.admin").await?;
            page.wait_path("/school").await?;
            page.select("#lang-switch", "ru").await?;
            page.wait_text("h1", "Сегодня").await?;
            let all = pupils(page).await?;
            let aruzhan = pupil(&all, "Аружан")?.clone();
            let sofya = pupil(&all, "Софья")?.clone();
            // A pupil of the generated list, not of the demo families, leaves.
            let leaver = all
                .iter()
                .rev()
                .find(|(_, n)| !["Аружан", "Әлихан", "Софья"].iter().any(|f| n.contains(f)))
                .context("a generated pupil")?
                .clone();
            page.goto("/school/pupils").await?;

            // Аружан's photo: none yet; a PNG uploaded shows on her card.
            open_member(page, "Аружан").await?;
            page.wait_text("#no-member-photo", "Нет фото").await?;
            page.wait_text("#member-photo-panel .hint", "не больше 1 МБ")
                .await?;
            let dir = tempfile::tempdir()?;
            let png: PathBuf = dir.path().join("aruzhan.png");
            std::fs::write(&png, PNG)?;
            page.find("#photo-file")
                .await?
                .send_keys(&png.to_string_lossy())
                .await?;
            page.click("#upload-photo").await?;
            page.find("#member-photo").await?;
            let src = page.attr("#member-photo", "src").await?.unwrap_or_default();
            ensure!(
                src.starts_with("data:image/png;base64,"),
                "the photo on the card: {src:.40}"
            );
            let alt = page.attr("#member-photo", "alt").await?.unwrap_or_default();
            ensure!(alt.contains("Аружан"), "the photo's alt text: {alt:?}");
            ensure!(
                page.exists("#remove-photo").await?,
                "the photo cannot be removed"
            );

            // A PIN: her mother consented; six digits, shown this once.
            page.wait_text("#alt-id-title", "QR-код или PIN-код")
                .await?;
            page.click("#issue-pin").await?;
            page.wait_text("#alt-issued", "PIN-код выдан").await?;
            page.wait_text("#alt-issued", "только сейчас").await?;
            let code = page.text("#alt-code").await?;
            ensure!(
                code.len() == 6 && code.chars().all(|c| c.is_ascii_digit()),
                "the PIN shows as {code:?}"
            );
            ensure!(!page.exists("#alt-qr").await?, "a PIN drawn as a QR code");
            page.find("#alt-print").await?;
            // The cards table names the kinds; the demo's PIN is blocked as replaced.
            page.wait_text("#cards .card-kind", "PIN-код").await?;
            page.wait_text("#cards .card-kind", "Электронная карта")
                .await?;
            page.screenshot_for_review("school-person-pin").await?;

            // A QR code: no consent, and the page says so.
            page.click("#issue-qr").await?;
            page.wait_text("#alt-id [role=alert]", "Родитель не дал согласия")
                .await?;
            page.wait_text("#alt-id [role=alert]", "NO_CONSENT").await?;
            ensure!(
                !page.exists("#alt-issued").await?,
                "a code shown for a refused QR code"
            );

            // Әлихан's ground for a large family ends today.
            open_member(page, "Әлихан").await?;
            page.wait_text("#grounds .ground-row", "№4471").await?;
            ensure!(
                page.text("#grounds .ground-to").await?.trim().is_empty(),
                "Әлихан's demo ground already ends"
            );
            page.click("#grounds button.end-ground").await?;
            page.wait_text("#end-ground-form legend", "Завершить основание")
                .await?;
            let today = page
                .js("const d = new Date(Date.now() + 5 * 3600 * 1000);
                     const p = n => String(n).padStart(2, '0');
                     return [String(d.getUTCFullYear()), p(d.getUTCMonth() + 1), p(d.getUTCDate())];")
                .await?;
            let part = |i: usize| today[i].as_str().unwrap_or_default().to_owned();
            let (iso, shown) = (
                format!("{}-{}-{}", part(0), part(1), part(2)),
                format!("{}.{}.{}", part(2), part(1), part(0)),
            );
            let last_day = page.value("#end-ground-on").await?;
            ensure!(
                last_day == iso,
                "the last day is {last_day:?} by default, not today ({iso})"
            );
            page.fill(
                "#end-ground-reason",
                "Удостоверение многодетной семьи истекло",
            )
            .await?;
            page.click("#end-ground-confirm").await?;
            page.wait_text("#grounds .ground-to", &shown).await?;
            ensure!(
                !page.exists("#end-ground-form").await?,
                "the form stays after the ground ended"
            );
            ensure!(
                !page.exists("#grounds button.end-ground").await?,
                "a ground ended today can be ended again"
            );

            // A pupil leaves: a second step, which can be cancelled, then gone from the list.
            open_member(page, &leaver.1).await?;
            page.wait_text("#remove-member .hint", "сразу перестают действовать")
                .await?;
            page.click("#remove-start").await?;
            page.wait_text("#remove-confirm", &leaver.1).await?;
            page.click("#remove-cancel").await?;
            page.find("#remove-start").await?;
            ensure!(
                page.exists("#person").await?,
                "cancelling removed the person"
            );
            page.click("#remove-start").await?;
            page.click("#remove-yes").await?;
            page.wait_text("#member-removed", &leaver.1).await?;
            ensure!(!page.exists("#person").await?, "the card stays open");
            page.wait_without("#members", &leaver.1).await?;
            page.screenshot_for_review("school-person-removed").await?;
            page.sign_out().await?;

            // Staff, in Kazakh: the photo, but neither ending grounds nor removing anyone.
            page.sign_in("school.staff").await?;
            page.wait_path("/school").await?;
            page.select("#lang-switch", "kk").await?;
            page.goto("/school/pupils").await?;
            open_member(page, "Аружан").await?;
            page.find("#member-photo").await?;
            page.wait_text("#alt-id-title", "QR коды").await?;
            ensure!(
                !page.exists("#remove-start").await?,
                "staff may take a person off the list"
            );
            open_member(page, "Әлихан").await?;
            page.find("#grounds").await?;
            ensure!(
                !page.exists("#grounds button.end-ground").await?,
                "staff may end a ground"
            );

            // At the till on a tablet: Аружан's photo beside her name.
            page.client.set_window_size(1024, 768).await?;
            page.goto("/school/till").await?;
            page.wait_text("button.till-choice", "Canteen till 2")
                .await?;
            page.js("[...document.querySelectorAll('button.till-choice')]
                       .find(b => b.textContent.includes('Canteen till 2')).click(); return true;")
                .await?;
            page.wait_text("#till-name", "Canteen till 2").await?;
            page.read_card_at_till(&card_of(aruzhan.0)).await?;
            page.wait_text("#till-pupil-name", "Аружан").await?;
            let src = page.attr("#till-photo", "src").await?.unwrap_or_default();
            ensure!(
                src.starts_with("data:image/png"),
                "the photo at the till: {src:.40}"
            );
            let alt = page.attr("#till-photo", "alt").await?.unwrap_or_default();
            ensure!(alt.contains("Аружан"), "the till photo's alt text: {alt:?}");
            page.screenshot_for_review("school-till-photo").await?;
            // Софья has no photo: a placeholder says so.
            page.read_card_at_till(&card_of(sofya.0)).await?;
            page.wait_text("#till-pupil-name", "Софья").await?;
            page.wait_text("#till-no-photo", "Фотосурет жоқ").await?;
            ensure!(!page.exists("#till-photo").await?, "Аружан's photo stays");
            let overflow = page
                .js("return document.documentElement.scrollWidth - window.innerWidth;")
                .await?;
            ensure!(
                overflow.as_i64().unwrap_or(1) <= 0,
                "the till scrolls sideways at 1024 px by {overflow}px"
            );
            // The pupil who left: their card works no more.
            page.read_card_at_till(&card_of(leaver.0)).await?;
            page.find("#till-refused").await?;
            ensure!(
                !page.exists("#till-pupil-name").await?,
                "the removed pupil's card still names them"
            );
            page.client.set_window_size(1280, 900).await?;
            Ok(())
        },
    )
    .await;
}
