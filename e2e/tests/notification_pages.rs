//! The notification pages in real headless Chromium, with messages really delivered: the
//! server's SMS and push channels point at local fake gateways (`adal_notifications::
//! fakes`), a notification worker runs as `adal serve` runs it, and the providers' signed
//! webhooks (delivery receipts, 511/512 replies) are posted to Adal as the providers would.
//!
//! Templates are checked and previewed in three languages; a campaign reaches the graduates
//! in gap status (in Kazakh), its deliveries and replies arrive, coverage follows, and a
//! second campaign is paused and cancelled; an undelivered notice is sent again, after
//! which the claim its absence blocked can be drafted; a graduate who refused (512) uploads
//! documents on their page (in Kazakh) and the operator accepts them.

use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use adal_core::settings::Secret;
use adal_notifications::webhooks::signed_headers;
use adal_testkit::fakes::{FakeGateway, Mode, insert_graduates};
use anyhow::{Context, Result, bail, ensure};
use e2e::{Page, Settings, run_with};
use sea_orm::ConnectionTrait;
use serde_json::{Value, json};

const SMS_SECRET: &str = "e2e-sms-webhook-secret";
const PUSH_SECRET: &str = "e2e-push-webhook-secret";
/// How long deliveries may take to show.
const WAIT: Duration = Duration::from_secs(30);

/// The providers' side: an SMS gateway and an eGov push endpoint on free ports.
struct Providers {
    sms: FakeGateway,
    push: FakeGateway,
}

impl Providers {
    fn start() -> Result<Self> {
        Ok(Self {
            sms: FakeGateway::start()?,
            push: FakeGateway::start()?,
        })
    }

    /// The server's settings for these providers (as `ADAL_SMS_GATEWAY_URL`,
    /// `ADAL_SMS_WEBHOOK_SECRET`, ... would set them), quiet hours off and quick retries.
    fn settings(&self) -> impl FnOnce(&mut Settings) + use<> {
        let (sms, push) = (self.sms.url.clone(), self.push.url.clone());
        move |s: &mut Settings| {
            *s = Settings {
                sms_gateway_url: Some(sms),
                push_gateway_url: Some(push),
                sms_webhook_secret: Some(Secret::new(SMS_SECRET)),
                push_webhook_secret: Some(Secret::new(PUSH_SECRET)),
                // Quiet hours off, one quick attempt per message.
                quiet_hours_start: 0,
                quiet_hours_end: 0,
                notify_poll_ms: 100,
                notify_max_attempts: 1,
                notify_backoff_base_secs: 0,
                notify_backoff_max_secs: 0,
                notify_timeout_ms: 2_000,
                ..std::mem::take(s)
            };
        }
    }
}

/// Starts a notification worker on the test's server, as `adal serve` does.
fn start_worker(page: &Page) -> Result<tokio::sync::oneshot::Sender<()>> {
    let worker =
        adal_server::wiring::worker(page.app.db.clone(), Arc::new(page.app.settings.clone()))?;
    Ok(worker.spawn().0)
}

/// Gives every graduate their own phone number (the demo shares one), `+77015` and the
/// person's id: replies are matched to people by the number they come from.
async fn distinct_phones(page: &Page) -> Result<()> {
    page.app
        .db
        .execute_unprepared(
            "UPDATE person SET phone = '+77015' || CAST(100000 + id AS TEXT) \
             WHERE id IN (SELECT person_id FROM graduate)",
        )
        .await?;
    Ok(())
}

/// A graduate's id and phone, by last name.
async fn graduate(page: &Page, last_name: &str) -> Result<(String, String)> {
    let id = page.graduate_id(last_name).await?;
    let row = page
        .app
        .db
        .query_one_raw(sea_orm::Statement::from_string(
            page.app.db.get_database_backend(),
            format!(
                "SELECT p.phone FROM person p JOIN graduate g ON g.person_id = p.id WHERE g.id = {id}"
            ),
        ))
        .await?
        .context("the graduate's person")?;
    let phone: String = row.try_get("", "phone")?;
    Ok((id, phone))
}

/// Starts a campaign from the builder for the graduates in gap status (with the year and
/// schedule already filled in), by SMS only, and waits for it in the list; `count` is the
/// live audience count expected first.
async fn new_campaign(page: &Page, name: &str, template: &str, count: Option<&str>) -> Result<()> {
    page.fill("#camp-name", name).await?;
    page.select("#camp-status", "GAP").await?;
    if let Some(count) = count {
        page.wait_text("#audience-count", count).await?;
    }
    page.select_by_label_containing("#camp-template", template)
        .await?;
    for (select, channel) in [("1", "SMS"), ("2", ""), ("3", "")] {
        page.select(&format!("#camp-channel-{select}"), channel)
            .await?;
    }
    page.click("#camp-start").await?;
    page.wait_text(".campaign", name).await?;
    Ok(())
}

/// Saves a screenshot for review with `css` scrolled into view.
async fn shot(page: &Page, css: &str, name: &str) -> Result<()> {
    page.find(css).await?;
    page.client
        .execute(
            "document.querySelector(arguments[0]).scrollIntoView()",
            vec![json!(css)],
        )
        .await?;
    page.screenshot_for_review(name).await
}

/// Signs the operator's administrator in and switches the interface to `lang`.
async fn admin_in(page: &Page, lang: &str) -> Result<()> {
    page.sign_in("admin").await?;
    page.select("#lang-switch", lang).await
}

/// The item of a JSON list whose `field` is `value`.
fn named<'a>(list: &'a Value, field: &str, value: &str) -> Result<&'a Value> {
    list.as_array()
        .into_iter()
        .flatten()
        .find(|item| item[field] == value)
        .with_context(|| format!("no {field} {value} in {list}"))
}

/// Posts a provider's webhook, signed with its secret; the HTTP status.
async fn post_signed(page: &Page, path: &str, body: &Value, secret: &str) -> Result<u16> {
    let raw = body.to_string();
    let [(t, ts), (g, sig)] = signed_headers(secret, raw.as_bytes());
    let status = reqwest::Client::new()
        .post(page.url(path))
        .header("Content-Type", "application/json")
        .header(t, ts)
        .header(g, sig)
        .body(raw)
        .send()
        .await?
        .status();
    Ok(status.as_u16())
}

/// Waits until the gateway has accepted `n` messages whose idempotency key starts with
/// `prefix`; their (key, provider id).
async fn wait_sent(gw: &FakeGateway, prefix: &str, n: usize) -> Result<Vec<(String, String)>> {
    let deadline = Instant::now() + WAIT;
    loop {
        let sent: Vec<(String, String)> = gw
            .sent()
            .into_iter()
            .filter(|(k, _)| k.starts_with(prefix))
            .collect();
        if sent.len() >= n {
            return Ok(sent);
        }
        if Instant::now() > deadline {
            bail!(
                "the gateway accepted {} of {n} messages `{prefix}…`",
                sent.len()
            );
        }
        tokio::time::sleep(Duration::from_millis(150)).await;
    }
}

/// The SMS provider reports these messages delivered.
async fn deliver(page: &Page, sent: &[(String, String)]) -> Result<()> {
    for (key, id) in sent {
        let receipt = json!({ "id": id, "reference": key, "status": "delivered" });
        let code = post_signed(page, "/webhooks/sms/receipt", &receipt, SMS_SECRET).await?;
        ensure!(code == 200, "the receipt of {key} was answered {code}");
    }
    Ok(())
}

/// The SMS provider passes on a reply from `phone`.
async fn reply(page: &Page, id: &str, phone: &str, text: &str) -> Result<()> {
    let body = json!({ "id": id, "from": phone, "text": text });
    let code = post_signed(page, "/webhooks/sms/inbound", &body, SMS_SECRET).await?;
    ensure!(code == 200, "the reply was answered {code}");
    Ok(())
}

/// Runs a browser test whose server delivers through fake providers, with a worker running
/// as `adal serve` runs one and every graduate on their own phone number.
async fn run_delivering(name: &str, test: impl AsyncFnOnce(&Page, &Providers) -> Result<()>) {
    let providers =
        Providers::start().unwrap_or_else(|e| panic!("starting the fake gateways: {e:#}"));
    run_with(name, providers.settings(), async |page| {
        let _worker = start_worker(page)?;
        distinct_phones(page).await?;
        test(page, &providers).await
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_template_is_checked_on_save_and_previewed_in_three_languages() {
    run_delivering(
        "a_template_is_checked_on_save_and_previewed_in_three_languages",
        template_check_and_preview,
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_campaign_reaches_the_graduates_in_gap_and_coverage_follows_in_kazakh() {
    run_delivering(
        "a_campaign_reaches_the_graduates_in_gap_and_coverage_follows_in_kazakh",
        campaign_to_the_graduates_in_gap,
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn an_undelivered_notice_is_sent_again_and_then_proves_notice_for_a_claim() {
    run_delivering(
        "an_undelivered_notice_is_sent_again_and_then_proves_notice_for_a_claim",
        undelivered_notice_sent_again,
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_graduate_who_refused_uploads_documents_in_kazakh_and_the_operator_accepts_them() {
    run_delivering(
        "a_graduate_who_refused_uploads_documents_in_kazakh_and_the_operator_accepts_them",
        refusal_and_upload,
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_campaign_pages_fit_a_phone() {
    run_delivering("the_campaign_pages_fit_a_phone", pages_on_a_phone).await;
}

async fn template_check_and_preview(page: &Page, _providers: &Providers) -> Result<()> {
    admin_in(page, "en").await?;
    page.goto("/operator/templates").await?;
    page.select("#tpl-select", "breach_notice").await?;
    page.wait_text("#tpl-variables", "{remaining_months}")
        .await?;
    let subject = page.value("#tpl-subjectRu").await?;
    ensure!(
        subject == "Обязательство не исполняется",
        "the Russian subject is {subject:?}"
    );

    // A misspelt variable is refused on save, explained in the person's language.
    page.fill(
        "#tpl-bodyRu",
        "{name}, осталось {remaning_months} мес. Adal",
    )
    .await?;
    page.click("#tpl-save").await?;
    page.wait_text(
        "#template-form [role=alert]",
        "Unknown variable “remaning_months”",
    )
    .await?;
    let invalid = page.attr("#tpl-bodyRu", "aria-invalid").await?;
    ensure!(
        invalid.as_deref() == Some("true"),
        "the field is not marked: {invalid:?}"
    );
    page.screenshot_for_review("template-unknown-variable")
        .await?;

    page.fill(
        "#tpl-bodyRu",
        "{name}, осталось отработать {remaining_months} мес. Adal",
    )
    .await?;
    page.click("#tpl-save").await?;
    page.wait_text("#tpl-saved", "The template is saved.")
        .await?;
    let r = page
        .graphql("{ notificationTemplates { code bodyRu } }")
        .await?;
    let saved = &r["data"]["notificationTemplates"];
    let breach = named(saved, "code", "breach_notice")?;
    ensure!(
        breach["bodyRu"]
            .as_str()
            .is_some_and(|b| b.contains("осталось отработать")),
        "saved {breach}"
    );

    // The preview renders the draft with a real graduate's data, in kk, ru and en.
    page.select_by_label_containing("#tpl-graduate", "Омаров")
        .await?;
    page.click("#tpl-preview").await?;
    // Омаров reads Kazakh: that is the text he would receive.
    for (lang, text) in [
        ("ru", "Бекзат, осталось отработать 30 мес. Adal"),
        ("ru", "SMS segments: 1"),
        ("kk", "Бекзат, грант бойынша 30 ай өтелмеген"),
        ("kk", "Graduate's language"),
        ("en", "Бекзат, 30 months of your grant"),
    ] {
        page.wait_text(&format!("#previews [data-lang={lang}]"), text)
            .await?;
    }
    shot(page, "#previews", "template-preview").await?;

    // A new template, saved under its own code, joins the list.
    page.select("#tpl-select", "").await?;
    page.fill("#tpl-code", "reminder_2026").await?;
    page.select("#tpl-purpose", "REMINDER").await?;
    for (field, text) in [
        ("bodyKk", "{name}, жұмыс орныңызды Adal-да тексеріңіз."),
        ("bodyRu", "{name}, проверьте место работы в Adal."),
        ("bodyEn", "{name}, check your workplace in Adal."),
    ] {
        page.fill(&format!("#tpl-{field}"), text).await?;
    }
    page.click("#tpl-save").await?;
    page.wait_text("#tpl-saved", "The template is saved.")
        .await?;
    page.select("#tpl-select", "reminder_2026").await?;
    ensure!(
        page.value("#tpl-bodyEn").await? == "{name}, check your workplace in Adal.",
        "the new template is not offered"
    );
    Ok(())
}

async fn campaign_to_the_graduates_in_gap(page: &Page, providers: &Providers) -> Result<()> {
    // Five more graduates in gap status from 2024 next to the demo's.
    let uni = page
        .app
        .db
        .query_one_raw(sea_orm::Statement::from_string(
            page.app.db.get_database_backend(),
            "SELECT id FROM organisation WHERE bin = '990140004654'",
        ))
        .await?
        .context("the demo university")?
        .try_get::<i64>("", "id")?;
    insert_graduates(&page.app.db, 5, uni, "gap", 2024).await?;
    admin_in(page, "kk").await?;
    let gap = page
        .graphql("{ campaignAudienceCount(audience: {status: GAP, graduationYear: 2024}) notificationCoverage { total } }")
        .await?;
    let n = gap["data"]["campaignAudienceCount"]
        .as_i64()
        .context("count")?;
    let obligated = gap["data"]["notificationCoverage"]["total"]
        .as_i64()
        .context("obligated")?;
    ensure!(n >= 6, "{n} graduates in gap status from 2024");

    // Nobody has been reached yet.
    page.wait_text("#coverage-share", "0,0").await?;

    // The audience builder: the count follows the filter.
    page.goto("/operator/campaigns").await?;
    page.fill("#camp-year", "2024").await?;
    let count = format!("Алатын түлектер саны: {n}.");
    new_campaign(page, "Үзіліс 2024", "consent_request", Some(&count)).await?;
    page.wait_text("#campaign-started", "Тарату басталды.")
        .await?;
    page.wait_text(".campaign", "Үзіліс 2024").await?;
    page.wait_text(".campaign", "Жүріп жатыр").await?;

    // The worker sends; the provider reports every SMS delivered but one.
    let r = page.graphql("{ campaigns { id name } }").await?;
    let cid = r["data"]["campaigns"][0]["id"]
        .as_str()
        .context("campaign")?
        .to_string();
    let mut sent = wait_sent(&providers.sms, &format!("c{cid}:"), n as usize).await?;
    sent.sort();
    let (key, id) = sent.pop().context("a message")?;
    let failed =
        json!({ "id": id, "reference": key, "status": "failed", "error": "absent subscriber" });
    ensure!(post_signed(page, "/webhooks/sms/receipt", &failed, SMS_SECRET).await? == 200);
    deliver(page, &sent).await?;
    let delivered = sent.len();
    page.wait_text(
        ".campaign .reached",
        &format!("{n} адамның {delivered} адамына жетті"),
    )
    .await?;
    page.wait_text(
        ".campaign tr[data-channel=SMS] .delivered",
        &delivered.to_string(),
    )
    .await?;
    page.wait_text(".campaign tr[data-channel=SMS] .rate", "83,3")
        .await?;
    shot(page, ".campaign", "campaign-delivered-kk").await?;

    // Replies: one graduate consents (511), another refuses (512).
    let gap_graduates = page
        .graphql(
            "{ graduates(filter: {status: GAP, graduationYear: 2024}) { nodes { fullName } } }",
        )
        .await?;
    let names: Vec<String> = gap_graduates["data"]["graduates"]["nodes"]
        .as_array()
        .context("gap graduates")?
        .iter()
        .filter_map(|g| g["fullName"].as_str().map(str::to_string))
        .collect();
    ensure!(
        names.iter().any(|n| n.starts_with("Ким")),
        "gap graduates: {names:?}"
    );
    let (id, phone) = graduate(page, "Ким").await?;
    reply(page, "in-1", &phone, "512").await?;
    let (_, phone2) = graduate(page, "Тестов1").await?;
    reply(page, "in-2", &phone2, "511").await?;

    // The card shows the message: purpose, language, channel, times, the reply.
    page.goto(&format!("/operator/graduates/{id}")).await?;
    page.wait_text("#message-history", "Келісім сұрауы (511/512)")
        .await?;
    page.wait_text("#message-history", "Жеткізілді").await?;
    page.wait_text("#consents", "Бас тартты (512)").await?;
    page.wait_text("#tasks", "Құжаттар қажет").await?;
    let replied = page
        .js(
            "const r = [...document.querySelectorAll('#message-history tbody tr')]
               .find(r => r.textContent.includes('Келісім сұрауы'));
             return r ? r.lastElementChild.textContent : null;",
        )
        .await?;
    ensure!(
        replied.as_str().is_some_and(|t| t.contains(':')),
        "no reply time on the card: {replied}"
    );
    shot(page, "#messages", "graduate-card-messages-kk").await?;

    // Coverage: the share actually delivered, by channel too.
    page.goto("/operator").await?;
    page.wait_text(
        "#coverage-reached",
        &format!("{obligated} ішінен {delivered}"),
    )
    .await?;
    let c = page.graphql("{ notificationCoverage { share } }").await?;
    let share = c["data"]["notificationCoverage"]["share"]
        .as_f64()
        .context("share")?;
    let expected = format!("{:.1}", share * 100.0).replace('.', ",");
    page.wait_text("#coverage-share", &expected).await?;
    page.wait_text(
        "#coverage-by-channel tr[data-key=sms]",
        &delivered.to_string(),
    )
    .await?;
    shot(page, "#coverage", "dashboard-coverage-kk").await?;
    // A period before any delivery reaches nobody.
    page.set_value("#coverage-from", "2020-01-01").await?;
    page.set_value("#coverage-to", "2020-12-31").await?;
    page.wait_text("#coverage-reached", &format!("{obligated} ішінен 0"))
        .await?;

    // A second campaign, scheduled for later: paused, then cancelled.
    page.goto("/operator/campaigns").await?;
    page.set_value("#camp-schedule", "2099-01-01T09:00").await?;
    new_campaign(page, "Еске салу", "reminder", None).await?;
    for (from, button, to, shown) in [
        ("RUNNING", "pause", "PAUSED", "Тоқтатыла тұр"),
        ("PAUSED", "cancel", "CANCELLED", "Болдырылмады"),
    ] {
        page.click(&format!(".campaign[data-status={from}] .{button}"))
            .await?;
        page.wait_text(&format!(".campaign[data-status={to}]"), shown)
            .await?;
    }
    let r = page
        .graphql(
            "{ campaigns { id name status scheduledAt progress { byChannel { cancelled } } } }",
        )
        .await?;
    let second = named(&r["data"]["campaigns"], "name", "Еске салу")?;
    ensure!(second["status"] == "CANCELLED", "{second}");
    // 09:00 in the form is 09:00 in Kazakhstan, whatever the browser's time zone.
    ensure!(
        second["scheduledAt"]
            .as_str()
            .is_some_and(|at| at.starts_with("2099-01-01T04:00:00")),
        "the start is not 09:00 in Kazakhstan: {second}"
    );
    ensure!(
        second["progress"]["byChannel"][0]["cancelled"].as_i64() >= Some(1),
        "nothing was withdrawn: {second}"
    );
    let prefix = format!("c{}:", second["id"].as_str().unwrap_or_default());
    let sent_any = [&providers.sms, &providers.push]
        .iter()
        .any(|gw| gw.sent().keys().any(|k| k.starts_with(&prefix)));
    ensure!(!sent_any, "the cancelled campaign sent something");
    Ok(())
}

async fn undelivered_notice_sent_again(page: &Page, providers: &Providers) -> Result<()> {
    providers.sms.set_mode(Mode::Fail(503));
    admin_in(page, "ru").await?;

    // No notice delivered yet: the claim is not offered, and the page says why beside it.
    page.goto("/operator/claims").await?;
    page.wait_text("#claims-due tr", "Омаров").await?;
    page.wait_text(
        "#claims-due .claim-blocked",
        "Уведомление ещё не доставлено выпускнику",
    )
    .await?;
    let disabled = page
        .js("return [...document.querySelectorAll('#claims-due tr')]
                .filter(r => r.textContent.includes('Омаров'))
                .every(r => r.querySelector('button.draft-claim').disabled);")
        .await?;
    ensure!(
        disabled == serde_json::Value::Bool(true),
        "the claim is offered before a notice was delivered"
    );
    page.screenshot_for_review("claim-without-notice-ru")
        .await?;

    // The operator sends a breach notice from the card; the gateway is down.
    let (id, _) = graduate(page, "Омаров").await?;
    page.goto(&format!("/operator/graduates/{id}")).await?;
    page.select("#notify-purpose", "BREACH_NOTICE").await?;
    page.click("#notify-send").await?;
    page.wait_text("#message-history", "Уведомление о нарушении")
        .await?;

    // Its only attempt fails: it waits among the undelivered for an operator.
    page.wait_graphql(
        "{ deadLetters { purpose } }",
        "/deadLetters/0/purpose",
        "BREACH_NOTICE",
    )
    .await?;
    page.goto("/operator/dead-letters").await?;
    for shown in ["Уведомление о нарушении", "503"] {
        page.wait_text("#dead-letters", shown).await?;
    }
    page.screenshot_for_review("dead-letters-ru").await?;
    providers.sms.set_mode(Mode::Accept);
    page.click_row_button("#dead-letters tbody tr", "Уведомление о нарушении")
        .await?;
    page.wait_text(".empty", "Нет сообщений, ожидающих оператора.")
        .await?;
    let sent = wait_sent(&providers.sms, "", 1).await?;
    deliver(page, &sent).await?;

    page.goto(&format!("/operator/graduates/{id}")).await?;
    page.wait_text(
        "#message-history tr[data-status=DELIVERED]",
        "Уведомление о нарушении",
    )
    .await?;

    // Now the claim can be drafted.
    page.goto("/operator/claims").await?;
    page.click_row_button("#claims-due tr", "Омаров").await?;
    page.wait_without("#claims-due", "Омаров").await?;
    let drafted = page
        .graphql("{ claims(status: DRAFTED) { graduateName } }")
        .await?;
    ensure!(
        named(&drafted["data"]["claims"], "graduateName", "Омаров Бекзат").is_ok(),
        "no drafted claim: {drafted}"
    );
    Ok(())
}

async fn refusal_and_upload(page: &Page, providers: &Providers) -> Result<()> {
    admin_in(page, "en").await?;
    let (id, phone) = graduate(page, "Ахметов").await?;

    // The operator asks for consent by SMS; the graduate answers 512.
    page.goto(&format!("/operator/graduates/{id}")).await?;
    page.select("#notify-purpose", "CONSENT_REQUEST").await?;
    page.click("#notify-send").await?;
    page.wait_text("#consents", "Waiting for the reply").await?;
    let sent = wait_sent(&providers.sms, "", 1).await?;
    deliver(page, &sent).await?;
    reply(page, "refusal-1", &phone, "512").await?;
    // The card follows (a reload of the page shows the answer).
    page.goto(&format!("/operator/graduates/{id}")).await?;
    page.wait_text("#consents", "Refused (512)").await?;
    page.wait_text("#tasks", "Documents needed").await?;
    page.sign_out().await?;

    // The graduate finds the task on their page, in Kazakh, and uploads a document.
    page.sign_in("graduate").await?;
    page.wait_path("/citizen/obligation").await?;
    page.select("#lang-switch", "kk").await?;
    page.wait_text("#my-tasks", "Сізге арналған тапсырмалар")
        .await?;
    page.wait_text(
        "#my-tasks",
        "Еңбек шартын, жұмысқа қабылдау туралы бұйрықты",
    )
    .await?;
    page.wait_text("#my-tasks", "Құжаттар қажет").await?;
    let dir = tempfile::tempdir()?;
    let path: PathBuf = dir.path().join("enbek-sharty.pdf");
    std::fs::write(&path, "%PDF-1.4 employment contract")?;
    page.find(".task-files")
        .await?
        .send_keys(&path.to_string_lossy())
        .await?;
    page.fill(".task-note", "Ауылдағы мектепте жұмыс істеймін")
        .await?;
    page.click(".task-submit").await?;
    page.wait_text("#my-tasks", "Тексерілуде").await?;
    page.wait_text("#my-tasks", "enbek-sharty.pdf").await?;
    shot(page, "#my-tasks", "graduate-task-kk").await?;
    page.sign_out().await?;

    // The operator reviews the document on the card and accepts it (in English: the
    // graduate's Kazakh, chosen while signed in, is not the next person's language).
    admin_in(page, "en").await?;
    page.goto(&format!("/operator/graduates/{id}")).await?;
    page.wait_text("#tasks", "enbek-sharty.pdf").await?;
    page.wait_text("#tasks", "Ауылдағы мектепте жұмыс істеймін")
        .await?;
    // Accepting names the employer and the months the contract proves (this month).
    let this_month = chrono::Utc::now().format("%Y-%m").to_string();
    page.fill(".proof-bin-input", "020140001689").await?;
    page.set_value(".proof-from-input", &this_month).await?;
    page.set_value(".proof-to-input", &this_month).await?;
    page.click(".accept-task").await?;
    page.wait_text("#tasks", "Accepted").await?;
    let r = page.graphql("{ graduateTasks { status } }").await?;
    let statuses: HashSet<String> = r["data"]["graduateTasks"]
        .as_array()
        .context("tasks")?
        .iter()
        .filter_map(|t| t["status"].as_str().map(str::to_string))
        .collect();
    ensure!(statuses.contains("ACCEPTED"), "tasks: {r}");
    Ok(())
}

async fn pages_on_a_phone(page: &Page, _providers: &Providers) -> Result<()> {
    page.client.set_window_size(390, 844).await?;
    page.sign_in("admin").await?;
    for path in [
        "/operator/campaigns",
        "/operator/templates",
        "/operator/dead-letters",
        "/operator",
    ] {
        page.goto(path).await?;
        page.find("h1").await?;
        tokio::time::sleep(Duration::from_millis(500)).await;
        let wide = page
            .js("return document.documentElement.scrollWidth > window.innerWidth + 1;")
            .await?;
        ensure!(wide == json!(false), "{path} is wider than a phone");
    }
    Ok(())
}
