//! "Decisions about me" in real headless Chromium on a phone-sized window: a parent reads, in
//! Kazakh, every decision about her children with its rule, reason and figures, contests the
//! school's meal ground for her son with a certificate attached; the school's administrator
//! reads the case and its document at the school's desk and answers it; the parent reads the answer beside the decision.

use anyhow::{Context, ensure};
use e2e::{fits_the_phone, parent_on_a_phone, run};

#[tokio::test(flavor = "multi_thread")]
async fn a_parent_contests_a_decision_in_kazakh_and_reads_the_answer() {
    run(
        "a_parent_contests_a_decision_in_kazakh_and_reads_the_answer",
        async |page| {
            parent_on_a_phone(page, "kk").await?;
            let r = page
                .graphql("{ myDecisions { key kind personName figures { score rank } } }")
                .await?;
            let all = r["data"]["myDecisions"]
                .as_array()
                .cloned()
                .with_context(|| format!("decisions: {r}"))?;
            let key_of = |kind: &str, name: &str| {
                all.iter()
                    .find(|d| d["kind"] == kind && d["personName"] == name)
                    .and_then(|d| d["key"].as_str())
                    .map(|k| format!("#decision-{}", k.replace(':', "-")))
                    .with_context(|| format!("no {kind} about {name} in {all:?}"))
            };
            let ground = key_of("MEAL_GROUND", "Әлихан")?;
            let ranking = key_of("VOUCHER_APPLICATION", "Аружан")?;

            page.goto("/citizen/decisions").await?;
            page.wait_text("h1", "Мен туралы шешімдер").await?;
            // The ranking: by the rules, with the score, the place and the cut-off.
            let card = page.wait_text(&ranking, "Ваучер кезегі · Аружан").await?;
            ensure!(
                card.contains("Ережелер бойынша, автоматты түрде")
                    && card.contains("Балл 10, орын 1")
                    && card.contains("Басымдық кестесі, 1-редакция"),
                "ranking: {card:?}"
            );
            // The meal ground: the school's administrator, on the family's certificate.
            let card = page
                .wait_text(&ground, "Тегін тамақтану негізі · Әлихан")
                .await?;
            ensure!(
                card.contains("Мектеп әкімшісі") && card.contains("4471"),
                "ground: {card:?}"
            );
            fits_the_phone(page, "the decisions").await?;

            page.click(&format!("{ground} .contest-open")).await?;
            let field = format!("#contest-{}", &ground["#decision-".len()..]);
            page.wait_text(&format!("{ground} label"), "мектеп").await?;
            page.fill(&field, "Куәлік 2027 жылдың мамырына дейін жарамды: негіз оқу жылының соңына дейін болуы керек.")
                .await?;
            // The certificate, attached as a person chooses a file in the dialog.
            let dir = tempfile::tempdir()?;
            let certificate = dir.path().join("kuelik.pdf");
            std::fs::write(&certificate, "%PDF-1.4 large family certificate")?;
            page.find(&format!("{ground} .contest-files"))
                .await?
                .send_keys(&certificate.to_string_lossy())
                .await?;
            page.click(&format!("{ground} .contest-form button[type=submit]"))
                .await?;
            let state = page.wait_text(&format!("{ground} .contest"), "шағымданылды").await?;
            ensure!(
                state.contains("мектеп") && state.contains("kuelik.pdf"),
                "contest: {state:?}"
            );
            page.screenshot_for_review("citizen-decisions-kk").await?;

            let r = page.graphql("{ myDecisions { key contest { id } } }").await?;
            let id = r["data"]["myDecisions"]
                .as_array()
                .and_then(|all| {
                    all.iter()
                        .find(|d| format!("#decision-{}", d["key"].as_str().unwrap_or("").replace(':', "-")) == ground)
                })
                .and_then(|d| d["contest"]["id"].as_str())
                .with_context(|| format!("no contest of the ground: {r}"))?
                .to_owned();

            // The school's administrator answers at the school's desk.
            page.sign_out().await?;
            page.sign_in("school.admin").await?;
            page.goto("/school/contests").await?;
            let case = format!("#case-{id}");
            let card = page.wait_text(&case, "2027").await?;
            ensure!(card.contains("Әлихан"), "the case names the pupil: {card:?}");
            ensure!(card.contains("kuelik.pdf"), "the case lists the document: {card:?}");
            page.click(&format!("{case} input[value=OVERTURNED]")).await?;
            page.fill(&format!("#answer-{id}"), "Негіз 2027 жылғы 31 мамырға дейін ұзартылды.")
                .await?;
            page.click(&format!("{case} .contest-form button[type=submit]"))
                .await?;
            page.click("#desk-answered").await?;
            page.wait_text(&case, "31 мамырға дейін ұзартылды").await?;
            page.screenshot_for_review("school-contests").await?;
            page.sign_out().await?;

            parent_on_a_phone(page, "kk").await?;
            page.goto("/citizen/decisions").await?;
            let state = page
                .wait_text(&format!("{ground} .contest"), "Жауап: шешім өзгертілді")
                .await?;
            ensure!(state.contains("31 мамырға дейін ұзартылды"), "answer: {state:?}");
            // Contested once: no second contest.
            ensure!(
                !page.exists(&format!("{ground} .contest-open")).await?,
                "a contested decision offers no second contest"
            );
            Ok(())
        },
    )
    .await;
}
