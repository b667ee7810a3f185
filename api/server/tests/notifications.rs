#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail by panicking
//! Notifications against real local servers started by each test: an HTTP server standing in
//! for the SMS and push gateways (and the ministry's interface) and an SMTP listener.

use crate::common;

use std::sync::Arc;
use std::time::Duration;

use adal_core::settings::{Secret, Settings};
use adal_notifications::webhooks::{sign, signed_headers};
use adal_notifications::worker::{Pass, Worker};
use adal_testkit::TestApp;
use adal_testkit::fakes::{FakeGateway, FakeSmtp, Mode};
use chrono::{DateTime, Timelike, Utc};
use common::*;
use entities::{
    consent_request, graduate, inbound_sms, notification_message, obligation, organisation, person,
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, PaginatorTrait, QueryFilter,
    QueryOrder, Set,
};
use serde_json::{Value, json};

const SMS_SECRET: &str = "sms-webhook-secret";
const PUSH_SECRET: &str = "push-webhook-secret";

struct Env {
    app: TestApp,
    sms: FakeGateway,
    push: FakeGateway,
    smtp: FakeSmtp,
    ministry: FakeGateway,
    admin: String,
}

impl Env {
    fn worker(&self) -> Worker {
        adal_server::wiring::worker(self.app.db.clone(), Arc::new(self.app.settings.clone()))
            .unwrap()
    }
    /// A worker whose clock runs `ahead` of the wall clock (a lease or a delay has passed).
    fn worker_ahead(&self, ahead: chrono::Duration) -> Worker {
        self.worker()
            .with_clock(Arc::new(move || chrono::Utc::now() + ahead))
    }
    /// A worker whose clock stands still at `at`.
    fn worker_at(&self, at: DateTime<Utc>) -> Worker {
        self.worker().with_clock(Arc::new(move || at))
    }
    fn worker_with(&self, tweak: impl FnOnce(&mut Settings)) -> Worker {
        let mut s = self.app.settings.clone();
        tweak(&mut s);
        adal_server::wiring::worker(self.app.db.clone(), Arc::new(s)).unwrap()
    }
    async fn gql(&self, query: &str, variables: Value) -> Reply {
        gql(&self.app, Some(&self.admin), query, variables).await
    }
    async fn graduate(&self, last_name: &str) -> i64 {
        graduate_id(&self.app, &self.admin, last_name)
            .await
            .parse()
            .unwrap()
    }
    async fn person_of(&self, graduate_id: i64) -> person::Model {
        let g = graduate::Entity::find_by_id(graduate_id)
            .one(&self.app.db)
            .await
            .unwrap()
            .unwrap();
        person::Entity::find_by_id(g.person_id)
            .one(&self.app.db)
            .await
            .unwrap()
            .unwrap()
    }
    async fn messages(&self) -> Vec<notification_message::Model> {
        notification_message::Entity::find()
            .order_by_asc(notification_message::Column::Id)
            .all(&self.app.db)
            .await
            .unwrap()
    }
    async fn message(&self, id: i64) -> notification_message::Model {
        notification_message::Entity::find_by_id(id)
            .one(&self.app.db)
            .await
            .unwrap()
            .unwrap()
    }
    async fn post_signed(&self, path: &str, body: &Value, secret: &str) -> u16 {
        let raw = body.to_string();
        let [(t, ts), (g, sig)] = signed_headers(secret, raw.as_bytes());
        reqwest::Client::new()
            .post(format!("{}{path}", self.app.address))
            .header(t, ts)
            .header(g, sig)
            .header("content-type", "application/json")
            .body(raw)
            .send()
            .await
            .unwrap()
            .status()
            .as_u16()
    }
}

/// A server with the demo data, every channel pointing at a fake, quiet hours off, retries
/// without delay. Demo graduates get distinct phones; Ли also an e-mail; Ким only an e-mail;
/// Қасымов no contact at all.
/// A moment for a worker's clock in the middle of the next hour: after every message the test
/// queues now, and far from an hour's turn.
fn quiet_moment() -> DateTime<Utc> {
    let next = Utc::now() + chrono::Duration::hours(1);
    next.with_minute(30)
        .and_then(|t| t.with_second(0))
        .expect("half past the hour")
}

async fn env_with(tweak: impl FnOnce(&mut Settings)) -> Env {
    let sms = FakeGateway::start().unwrap();
    let push = FakeGateway::start().unwrap();
    let ministry = FakeGateway::start().unwrap();
    let smtp = FakeSmtp::start().await.unwrap();
    let (s_url, p_url, m_url, smtp_url) = (
        sms.url.clone(),
        push.url.clone(),
        ministry.url.clone(),
        smtp.url.clone(),
    );
    let app = spawn_app_with(move |s| {
        s.sms_gateway_url = Some(s_url);
        s.push_gateway_url = Some(p_url);
        s.ministry_url = Some(m_url);
        s.smtp_url = Some(Secret::new(smtp_url));
        s.sms_webhook_secret = Some(Secret::new(SMS_SECRET));
        s.push_webhook_secret = Some(Secret::new(PUSH_SECRET));
        s.quiet_hours_start = 0;
        s.quiet_hours_end = 0;
        s.notify_backoff_base_secs = 0;
        s.notify_backoff_max_secs = 0;
        s.notify_max_attempts = 3;
        s.notify_timeout_ms = 2_000;
        s.notify_poll_ms = 20;
        s.sms_rate_per_sec = 10_000;
        s.push_rate_per_sec = 10_000;
        s.email_rate_per_sec = 10_000;
        tweak(s);
    })
    .await;
    adal_server::seed::seed_demo(&app.db, &app.settings)
        .await
        .unwrap();
    let admin = token(&app, "admin").await;
    let env = Env {
        app,
        sms,
        push,
        smtp,
        ministry,
        admin,
    };
    for g in graduate::Entity::find().all(&env.app.db).await.unwrap() {
        let p = env.person_of(g.id).await;
        let (phone, email) = match p.last_name.as_str() {
            "Ли" => (
                Some(format!("+77015{:06}", p.id)),
                Some("anna.li@example.kz".to_owned()),
            ),
            "Ким" => (None, Some("viktor.kim@example.kz".to_owned())),
            "Қасымов" => (None, None),
            _ => (Some(format!("+77015{:06}", p.id)), None),
        };
        let mut am = p.into_active_model();
        am.phone = Set(phone);
        am.email = Set(email);
        am.update(&env.app.db).await.unwrap();
    }
    env
}

async fn env() -> Env {
    env_with(|_| {}).await
}

/// Runs worker passes until one does nothing.
async fn drain(w: &Worker) -> Vec<Pass> {
    let mut passes = Vec::new();
    for _ in 0..40 {
        let p = w.run_once().await.unwrap();
        passes.push(p);
        if p.claimed == 0 && p.fallbacks == 0 && p.follow_ups == 0 {
            return passes;
        }
    }
    panic!("the worker never settled: {passes:?}");
}

const SAVE: &str = "mutation($i: TemplateInput!) { saveTemplate(input: $i) { id code purpose legal maxSegments } }";

async fn template(env: &Env, code: &str, purpose: &str) -> String {
    let r = env
        .gql(
            SAVE,
            json!({ "i": {
                "code": code, "purpose": purpose,
                "subjectKk": "Adal", "subjectRu": "Adal", "subjectEn": "Adal",
                "bodyKk": "Сәлем, {name}! Қалды: {remaining_months} ай.",
                "bodyRu": "Здравствуйте, {name}! Осталось: {remaining_months} мес.",
                "bodyEn": "Hello {name}! Left: {remaining_months} months."
            }}),
        )
        .await;
    r.ok()["saveTemplate"]["id"].as_str().unwrap().to_owned()
}

const CREATE: &str =
    "mutation($i: CampaignInput!) { createCampaign(input: $i) { id enqueued status channels } }";

#[tokio::test(flavor = "multi_thread")]
async fn templates_are_checked_on_save_and_previewed_with_real_data() {
    let env = env().await;
    let bad_var = env
        .gql(
            SAVE,
            json!({ "i": { "code": "t1", "purpose": "BREACH_NOTICE",
                "bodyKk": "Сәлем {name}", "bodyRu": "Привет {nmae}", "bodyEn": "Hi {name}" } }),
        )
        .await;
    assert_eq!(bad_var.code().as_deref(), Some("BAD_USER_INPUT"));
    assert_eq!(bad_var.body["errors"][0]["extensions"]["field"], "bodyRu");
    // A machine reason and the variable, for the portal to explain in the person's language.
    assert_eq!(
        bad_var.body["errors"][0]["extensions"]["reason"],
        "UNKNOWN_VARIABLE"
    );
    assert_eq!(bad_var.body["errors"][0]["extensions"]["value"], "nmae");
    assert!(
        bad_var.body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("{nmae}")
    );

    // 150 Cyrillic letters and a full name counted at 70: 220 UCS-2 units > 3 × 67.
    let long = format!("{} {{full_name}}", "ж".repeat(150));
    let too_long = env
        .gql(
            SAVE,
            json!({ "i": { "code": "t1", "purpose": "BREACH_NOTICE",
                "bodyKk": long, "bodyRu": "Привет {name}", "bodyEn": "Hi {name}" } }),
        )
        .await;
    assert_eq!(too_long.code().as_deref(), Some("BAD_USER_INPUT"));
    assert_eq!(too_long.body["errors"][0]["extensions"]["field"], "bodyKk");
    assert_eq!(
        too_long.body["errors"][0]["extensions"]["reason"],
        "SMS_TOO_LONG"
    );
    assert_eq!(too_long.body["errors"][0]["extensions"]["value"], "4");
    assert!(
        too_long.body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("segments")
    );

    let id = template(&env, "breach", "BREACH_NOTICE").await;
    let r = env
        .gql(
            "{ notificationTemplates { code legal maxSegments } }",
            json!({}),
        )
        .await;
    assert_eq!(r.ok()["notificationTemplates"][0]["code"], "breach");
    assert_eq!(r.ok()["notificationTemplates"][0]["legal"], true);

    let omarov = env.graduate("Омаров").await;
    let r = env
        .gql(
            "query($g: ID!, $t: ID) { previewTemplate(graduateId: $g, templateId: $t) { language body smsSegments preferred } }",
            json!({ "g": omarov.to_string(), "t": id }),
        )
        .await;
    let previews = r.ok()["previewTemplate"].as_array().unwrap().clone();
    assert_eq!(previews.len(), 3);
    let kk = previews.iter().find(|p| p["language"] == "KK").unwrap();
    assert_eq!(kk["body"], "Сәлем, Бекзат! Қалды: 30 ай.");
    assert_eq!(kk["preferred"], true, "Омаров reads Kazakh");
    assert_eq!(kk["smsSegments"], 1);
    let en = previews.iter().find(|p| p["language"] == "EN").unwrap();
    assert_eq!(en["body"], "Hello Бекзат! Left: 30 months.");
    assert_eq!(en["preferred"], false);

    // An unsaved text is checked the same way when previewed.
    let r = env
        .gql(
            "query($g: ID!, $i: TemplateInput) { previewTemplate(graduateId: $g, input: $i) { body } }",
            json!({ "g": omarov.to_string(), "i": { "code": "x", "purpose": "REMINDER",
                "bodyKk": "{bogus}", "bodyRu": "a", "bodyEn": "b" } }),
        )
        .await;
    assert_eq!(r.body["errors"][0]["extensions"]["field"], "bodyKk");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_campaign_falls_back_through_channels_and_counts_receipts() {
    let env = env().await;
    let db = &env.app.db;
    // Push refuses everyone (permanently): every person falls back to SMS, then e-mail.
    env.push.set_mode(Mode::Fail(400));
    let tpl = template(&env, "breach", "BREACH_NOTICE").await;
    // A second grant of Омаров's: the audience overlaps, one person still gets one message.
    let omarov = env.graduate("Омаров").await;
    let g = graduate::Entity::find_by_id(omarov)
        .one(db)
        .await
        .unwrap()
        .unwrap();
    let mut dup = g.clone().into_active_model();
    dup.id = sea_orm::ActiveValue::NotSet;
    dup.specialty_code = Set("7M10101".into());
    let dup = dup.insert(db).await.unwrap();
    let o = obligation::Entity::find()
        .filter(obligation::Column::GraduateId.eq(omarov))
        .one(db)
        .await
        .unwrap()
        .unwrap();
    let mut o2 = o.into_active_model();
    o2.id = sea_orm::ActiveValue::NotSet;
    o2.graduate_id = Set(dup.id);
    o2.insert(db).await.unwrap();
    let persons = person::Entity::find()
        .filter(
            person::Column::Id.is_in(
                graduate::Entity::find()
                    .all(db)
                    .await
                    .unwrap()
                    .into_iter()
                    .map(|g| g.person_id),
            ),
        )
        .count(db)
        .await
        .unwrap();
    assert_eq!(
        graduate::Entity::find().count(db).await.unwrap(),
        persons + 1
    );

    let r = env
        .gql(
            CREATE,
            json!({ "i": { "name": "All graduates", "templateId": tpl,
                "channels": ["PUSH", "SMS", "EMAIL"], "fallbackAfterSeconds": 1800 } }),
        )
        .await;
    let c = r.ok()["createCampaign"].clone();
    assert_eq!(
        c["enqueued"].as_u64().unwrap(),
        persons,
        "one message per person"
    );
    assert_eq!(c["channels"], json!(["PUSH", "SMS", "EMAIL"]));
    let cid = c["id"].as_str().unwrap().to_owned();
    // Before any message went out, nobody is reached. The figures are kept until the outbox
    // moves: the ones at the end are read after the worker's and the receipts' changes.
    const COVERAGE: &str = "{ notificationCoverage { total reached share byChannel { key reached } byStatus { key total reached } } unreachableGraduates { total nodes { reason graduate { fullName } } } }";
    let r = env.gql(COVERAGE, json!({})).await;
    assert_eq!(r.ok()["notificationCoverage"]["reached"], 0);

    let w = env.worker();
    drain(&w).await;
    // Push was tried once per person, SMS reached everyone with a phone, e-mail Ким.
    assert_eq!(env.push.request_count() as u64, persons);
    let with_phone = [
        "Ахметов",
        "Серікова",
        "Омаров",
        "Ли",
        "Әбенов",
        "Байжанов",
        "Мұқанова",
        "Сейітова",
    ];
    assert_eq!(env.sms.sent().len(), with_phone.len());
    assert_eq!(env.sms.request_count(), with_phone.len(), "no SMS twice");
    let mails = env.smtp.mails();
    assert_eq!(mails.len(), 1);
    assert!(mails[0].to[0].contains("viktor.kim@example.kz"));
    assert!(mails[0].data.contains("Message-ID"), "{}", mails[0].data);
    for req in env.sms.requests() {
        assert_eq!(req["sender"], "1414");
        assert!(
            req["idempotency_key"]
                .as_str()
                .unwrap()
                .starts_with(&format!("c{cid}:p"))
        );
    }
    let omarov_person = env.person_of(omarov).await;
    let omarov_sms = env
        .messages()
        .await
        .into_iter()
        .find(|m| m.person_id == Some(omarov_person.id) && m.channel == "sms")
        .unwrap();
    assert_eq!(omarov_sms.status, "sent");
    assert_eq!(omarov_sms.language, "kk");
    assert_eq!(
        omarov_sms.body.as_deref(),
        Some("Сәлем, Бекзат! Қалды: 30 ай.")
    );
    assert_eq!(omarov_sms.step, 1);

    // Receipts: Омаров's SMS delivered, Серікова's failed (she has no e-mail: nothing left).
    let status = env
        .post_signed(
            "/webhooks/sms/receipt",
            &json!({ "id": omarov_sms.provider_message_id, "status": "delivered" }),
            SMS_SECRET,
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(env.message(omarov_sms.id).await.status, "delivered");
    let serikova = env.person_of(env.graduate("Серікова").await).await;
    let ser_sms = env
        .messages()
        .await
        .into_iter()
        .find(|m| m.person_id == Some(serikova.id) && m.channel == "sms")
        .unwrap();
    let status = env
        .post_signed(
            "/webhooks/sms/receipt",
            &json!({ "reference": ser_sms.idempotency_key, "status": "failed", "error": "absent subscriber" }),
            SMS_SECRET,
        )
        .await;
    assert_eq!(status, 200);
    let ser_sms = env.message(ser_sms.id).await;
    assert_eq!(ser_sms.status, "failed");
    assert_eq!(ser_sms.last_error.as_deref(), Some("absent subscriber"));
    drain(&w).await;
    let ser_email = env
        .messages()
        .await
        .into_iter()
        .find(|m| m.person_id == Some(serikova.id) && m.channel == "email")
        .unwrap();
    assert_eq!(ser_email.status, "failed");
    assert!(ser_email.last_error.unwrap().contains("no email contact"));
    assert_eq!(
        env.sms.request_count(),
        with_phone.len(),
        "still no SMS twice"
    );

    let r = env
        .gql(
            "query($c: ID!) { campaign(id: $c) { progress { people peopleReached byChannel { channel total sent delivered failed deliveryRate } } } }",
            json!({ "c": cid }),
        )
        .await;
    let p = &r.ok()["campaign"]["progress"];
    assert_eq!(p["people"].as_u64().unwrap(), persons);
    assert_eq!(p["peopleReached"], 2, "Омаров by SMS, Ким by e-mail");
    let by = p["byChannel"].as_array().unwrap();
    let ch = |c: &str| by.iter().find(|x| x["channel"] == c).unwrap().clone();
    assert_eq!(ch("PUSH")["failed"].as_u64().unwrap(), persons);
    assert_eq!(ch("SMS")["delivered"], 1);
    // Sent, no receipt yet: Ахметов, Ли, Әбенов, Байжанов, Мұқанова and Сейітова.
    assert_eq!(ch("SMS")["sent"], 6);
    assert_eq!(ch("EMAIL")["delivered"], 1);
    assert!((ch("SMS")["deliveryRate"].as_f64().unwrap() - 1.0 / persons as f64).abs() < 1e-9);

    // The graduate card lists every message with language, channel and times.
    let r = env
        .gql(
            "query($g: ID!) { graduate(id: $g) { messages { purpose legal language channel status queuedAt sentAt deliveredAt } } }",
            json!({ "g": omarov.to_string() }),
        )
        .await;
    let ms = r.ok()["graduate"]["messages"].as_array().unwrap().clone();
    assert_eq!(ms.len(), 2, "{ms:?}");
    assert_eq!(ms[0]["channel"], "SMS");
    assert_eq!(ms[0]["status"], "DELIVERED");
    assert_eq!(ms[0]["language"], "KK");
    assert!(ms[0]["deliveredAt"].is_string());
    assert_eq!(ms[1]["channel"], "PUSH");
    assert_eq!(ms[1]["status"], "FAILED");

    // Coverage: the share of obligated graduates with a delivered message.
    let r = env.gql(COVERAGE, json!({})).await;
    let cov = &r.ok()["notificationCoverage"];
    let total = cov["total"].as_i64().unwrap();
    assert!(total >= 5, "{cov}");
    // Омаров's two grants and Ким: coverage counts obligations (graduate records).
    assert_eq!(cov["reached"], 3);
    let sms = cov["byChannel"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["key"] == "sms")
        .unwrap()
        .clone();
    assert_eq!(sms["reached"], 2, "Омаров's two grants");
    let unreachable = &r.ok()["unreachableGraduates"];
    let reasons: Vec<(String, String)> = unreachable["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| {
            (
                n["graduate"]["fullName"].as_str().unwrap().to_owned(),
                n["reason"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert!(
        reasons
            .iter()
            .any(|(n, r)| n.starts_with("Қасымов") && r == "no_contact"),
        "{reasons:?}"
    );
    assert!(
        reasons
            .iter()
            .any(|(n, r)| n.starts_with("Серікова") && r == "all_failed"),
        "{reasons:?}"
    );
    let r = env.gql("mutation { exportUnreachable }", json!({})).await;
    let csv = r.ok()["exportUnreachable"].as_str().unwrap().to_owned();
    assert!(csv.starts_with("graduate_id,iin,last_name"));
    assert!(csv.contains("Қасымов"));

    // Қасымов's phone, entered in the people register, moves him on the list at once: he
    // has a contact now, and every message to him failed.
    let kasymov = env.person_of(env.graduate("Қасымов").await).await;
    let r = env
        .gql(
            "mutation($id: ID!, $i: PersonInput!) { updatePerson(id: $id, input: $i) { phone } }",
            json!({ "id": kasymov.id.to_string(), "i": { "iin": kasymov.iin,
                "lastName": kasymov.last_name, "firstName": kasymov.first_name,
                "phone": "+77011234567" } }),
        )
        .await;
    assert_eq!(r.ok()["updatePerson"]["phone"], "+77011234567");
    let r = env.gql(COVERAGE, json!({})).await;
    let after = &r.ok()["unreachableGraduates"];
    assert_eq!(after["total"], unreachable["total"], "{after}");
    let kasymov_now = after["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| {
            n["graduate"]["fullName"]
                .as_str()
                .unwrap()
                .starts_with("Қасымов")
        })
        .map(|n| n["reason"].clone());
    assert_eq!(kasymov_now, Some(json!("all_failed")), "{after}");
}

#[tokio::test(flavor = "multi_thread")]
async fn gateway_errors_back_off_to_a_dead_letter_that_the_operator_retries() {
    let env = env().await;
    env.sms.set_mode(Mode::Fail(503));
    let omarov = env.graduate("Омаров").await;
    let r = env
        .gql(
            "mutation($g: ID!) { sendNotice(graduateId: $g, purpose: BREACH_NOTICE) { id status channel legal } }",
            json!({ "g": omarov.to_string() }),
        )
        .await;
    let m = r.ok()["sendNotice"].clone();
    assert_eq!(m["status"], "QUEUED");
    assert_eq!(m["channel"], "SMS");
    let id: i64 = m["id"].as_str().unwrap().parse().unwrap();

    // With a real backoff the next attempt waits: a second pass does not touch the message.
    let slow = env.worker_with(|s| {
        s.notify_backoff_base_secs = 60;
        s.notify_backoff_max_secs = 600;
    });
    let p = slow.run_once().await.unwrap();
    assert_eq!(p.retried, 1);
    let after = env.message(id).await;
    assert_eq!(after.status, "queued");
    assert_eq!(after.attempts, 1);
    let wait = (after.next_attempt_at - Utc::now()).num_seconds();
    assert!((25..=60).contains(&wait), "backoff with jitter: {wait}s");
    assert_eq!(slow.run_once().await.unwrap().claimed, 0);
    assert_eq!(env.sms.request_count(), 1);

    // Without delay: attempts 2 and 3 fail too, then the message is a dead letter.
    let mut am = after.into_active_model();
    am.next_attempt_at = Set(Utc::now());
    am.update(&env.app.db).await.unwrap();
    let w = env.worker();
    drain(&w).await;
    let dead = env.message(id).await;
    assert_eq!(dead.status, "dead");
    assert_eq!(dead.attempts, 3);
    assert!(
        dead.last_error.as_deref().unwrap().contains("503"),
        "{:?}",
        dead.last_error
    );
    let reqs = env.sms.requests();
    assert_eq!(reqs.len(), 3);
    assert!(
        reqs.iter()
            .all(|r| r["idempotency_key"] == reqs[0]["idempotency_key"])
    );
    let r = env
        .gql(
            "{ deadLetters { id status attempts lastError } }",
            json!({}),
        )
        .await;
    assert_eq!(r.ok()["deadLetters"][0]["id"], id.to_string());

    // The operator retries once the gateway works again: sent once.
    env.sms.set_mode(Mode::Accept);
    let r = env
        .gql(
            "mutation($m: ID!) { retryMessage(id: $m) { status attempts } }",
            json!({ "m": id.to_string() }),
        )
        .await;
    assert_eq!(r.ok()["retryMessage"]["status"], "QUEUED");
    let r = env
        .gql(
            "mutation($m: ID!) { retryMessage(id: $m) { status } }",
            json!({ "m": id.to_string() }),
        )
        .await;
    assert_eq!(
        r.code().as_deref(),
        Some("CONFLICT"),
        "a queued message is not retried"
    );
    drain(&w).await;
    let sent = env.message(id).await;
    assert_eq!(sent.status, "sent");
    assert_eq!(env.sms.sent().len(), 1);
    assert!(sent.provider_message_id.unwrap().starts_with("gw-"));
}

#[tokio::test(flavor = "multi_thread")]
async fn timeouts_are_retried_and_an_unconfigured_channel_is_reported() {
    let env = env_with(|s| {
        s.notify_timeout_ms = 300;
        s.notify_max_attempts = 2;
    })
    .await;
    env.sms.set_mode(Mode::Hang);
    let omarov = env.graduate("Омаров").await;
    let send =
        "mutation($g: ID!) { sendNotice(graduateId: $g, purpose: OBLIGATION_NOTICE) { id } }";
    let r = env.gql(send, json!({ "g": omarov.to_string() })).await;
    let id: i64 = r.ok()["sendNotice"]["id"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    let started = std::time::Instant::now();
    drain(&env.worker()).await;
    assert!(started.elapsed() < Duration::from_secs(10));
    let m = env.message(id).await;
    assert_eq!(m.status, "dead");
    assert_eq!(m.attempts, 2);
    assert!(
        m.last_error.as_deref().unwrap().contains("timed out"),
        "{:?}",
        m.last_error
    );

    // No SMS gateway configured: the message says so and waits for the operator.
    let r = env.gql(send, json!({ "g": omarov.to_string() })).await;
    let id: i64 = r.ok()["sendNotice"]["id"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    drain(&env.worker_with(|s| s.sms_gateway_url = None)).await;
    let m = env.message(id).await;
    assert_eq!(m.status, "dead");
    assert_eq!(m.last_error.as_deref(), Some("sms channel not configured"));
    assert_eq!(m.attempts, 1);
    let r = env.gql("{ deadLetters { id lastError } }", json!({})).await;
    assert_eq!(
        r.ok()["deadLetters"][0]["lastError"],
        "sms channel not configured"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn webhooks_with_bad_signatures_are_refused_and_change_nothing() {
    let env = env().await;
    let omarov = env.graduate("Омаров").await;
    let r = env
        .gql(
            "mutation($g: ID!) { sendNotice(graduateId: $g, purpose: BREACH_NOTICE) { id } }",
            json!({ "g": omarov.to_string() }),
        )
        .await;
    let id: i64 = r.ok()["sendNotice"]["id"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    drain(&env.worker()).await;
    let m = env.message(id).await;
    assert_eq!(m.status, "sent");
    let receipt = json!({ "id": m.provider_message_id, "status": "delivered" });
    assert_eq!(
        env.post_signed("/webhooks/sms/receipt", &receipt, "wrong-secret")
            .await,
        401
    );
    assert_eq!(
        env.post_signed("/webhooks/push/receipt", &receipt, SMS_SECRET)
            .await,
        401
    );
    let unsigned = reqwest::Client::new()
        .post(format!("{}/webhooks/sms/receipt", env.app.address))
        .json(&receipt)
        .send()
        .await
        .unwrap();
    assert_eq!(unsigned.status().as_u16(), 401);
    // A valid signature over a different body does not pass either.
    let raw = receipt.to_string();
    let now = Utc::now().timestamp();
    let post = |timestamp: i64, signature: String| {
        reqwest::Client::new()
            .post(format!("{}/webhooks/sms/receipt", env.app.address))
            .header("X-Adal-Timestamp", timestamp.to_string())
            .header("X-Adal-Signature", signature)
            .body(raw.clone())
            .send()
    };
    let tampered = post(now, sign(SMS_SECRET, now, b"{}")).await.unwrap();
    assert_eq!(tampered.status().as_u16(), 401);
    // A well-signed receipt replayed after more than 5 minutes is refused, and so is one
    // whose signature was made for another time.
    let stale = now - 6 * 60;
    let replayed = post(stale, sign(SMS_SECRET, stale, raw.as_bytes()))
        .await
        .unwrap();
    assert_eq!(replayed.status().as_u16(), 401);
    let moved = post(now, sign(SMS_SECRET, stale, raw.as_bytes()))
        .await
        .unwrap();
    assert_eq!(moved.status().as_u16(), 401);
    // A receipt dated before the message was sent, or ahead of the clock, proves nothing.
    for at in [
        m.sent_at.unwrap() - chrono::Duration::minutes(1),
        Utc::now() + chrono::Duration::hours(1),
    ] {
        let early =
            json!({ "id": m.provider_message_id, "status": "delivered", "at": at.to_rfc3339() });
        assert_eq!(
            env.post_signed("/webhooks/sms/receipt", &early, SMS_SECRET)
                .await,
            400
        );
    }
    let inbound = json!({ "id": "in-1", "from": "+77010000000", "text": "511" });
    assert_eq!(
        env.post_signed("/webhooks/sms/inbound", &inbound, "nope")
            .await,
        401
    );
    assert_eq!(env.message(id).await.status, "sent", "nothing changed");
    assert_eq!(
        inbound_sms::Entity::find()
            .filter(inbound_sms::Column::ProviderId.eq("in-1"))
            .count(&env.app.db)
            .await
            .unwrap(),
        0
    );
    assert_eq!(
        env.post_signed("/webhooks/sms/receipt", &receipt, SMS_SECRET)
            .await,
        200
    );
    assert_eq!(env.message(id).await.status, "delivered");
}

#[tokio::test(flavor = "multi_thread")]
async fn quiet_hours_hold_sms_and_push_but_not_email() {
    // Quiet hours are set around the Almaty hour of the worker's moment (its own clock, not
    // the wall clock, so an hour turning during the test changes nothing).
    let at = quiet_moment();
    let h = (at.hour() + 5) % 24;
    let env = env_with(move |s| {
        s.quiet_hours_start = h;
        s.quiet_hours_end = (h + 1) % 24;
    })
    .await;
    let send = "mutation($g: ID!) { sendNotice(graduateId: $g, purpose: OBLIGATION_NOTICE) { id channel } }";
    let omarov = env.graduate("Омаров").await;
    let r = env.gql(send, json!({ "g": omarov.to_string() })).await;
    let sms_id: i64 = r.ok()["sendNotice"]["id"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    let kim = env.graduate("Ким").await;
    let r = env.gql(send, json!({ "g": kim.to_string() })).await;
    assert_eq!(r.ok()["sendNotice"]["channel"], "EMAIL");
    let mail_id: i64 = r.ok()["sendNotice"]["id"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    let w = env.worker_at(at);
    let p = w.run_once().await.unwrap();
    assert_eq!((p.sent, p.deferred), (1, 1));
    let held = env.message(sms_id).await;
    assert_eq!(held.status, "queued");
    assert_eq!(held.attempts, 0, "waiting is not an attempt");
    let until = held.next_attempt_at;
    assert!(until > at);
    assert_eq!((until.hour() + 5) % 24, (h + 1) % 24);
    assert_eq!(until.minute(), 0);
    assert_eq!(env.sms.request_count(), 0);
    assert_eq!(w.run_once().await.unwrap().claimed, 0);
    assert_eq!(env.message(mail_id).await.status, "delivered");
    assert_eq!(env.smtp.mails().len(), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn quiet_hours_do_not_hold_a_parents_school_notices() {
    // Quiet hours around the Almaty hour of the worker's moment; a pupil enters school now.
    let at = quiet_moment();
    let h = (at.hour() + 5) % 24;
    let env = env_with(move |s| {
        s.quiet_hours_start = h;
        s.quiet_hours_end = (h + 1) % 24;
    })
    .await;
    let pupil = person::Entity::find()
        .filter(person::Column::FirstName.eq("Аружан"))
        .filter(person::Column::LastName.eq("Нұрланова"))
        .one(&env.app.db)
        .await
        .unwrap()
        .unwrap();
    let card = entities::school_card::Entity::find()
        .filter(entities::school_card::Column::PersonId.eq(pupil.id))
        .filter(entities::school_card::Column::Status.eq("active"))
        .one(&env.app.db)
        .await
        .unwrap()
        .unwrap();
    let turnstile = client_token(&env.app, "demo-turnstile", "demo-turnstile-secret").await;
    let r = gql(
        &env.app,
        Some(&turnstile),
        "mutation($e: [SchoolEventInput!]!) { uploadSchoolEvents(events: $e) { answers { status } } }",
        json!({ "e": [{ "seq": 100000, "kind": "ENTRY", "credential": card.credential, "at": Utc::now().to_rfc3339() }] }),
    )
    .await;
    assert_eq!(
        r.ok()["uploadSchoolEvents"]["answers"][0]["status"],
        "STORED"
    );
    // And a reminder by SMS to a graduate, which quiet hours hold.
    let omarov = env.graduate("Омаров").await;
    let held = env
        .gql(
            "mutation($g: ID!) { sendNotice(graduateId: $g, purpose: OBLIGATION_NOTICE) { id channel } }",
            json!({ "g": omarov.to_string() }),
        )
        .await;
    assert_eq!(held.ok()["sendNotice"]["channel"], "SMS");
    let p = env.worker_at(at).run_once().await.unwrap();
    assert_eq!((p.sent, p.deferred), (1, 1));
    let entry = notification_message::Entity::find()
        .filter(notification_message::Column::Purpose.eq("school_entry"))
        .one(&env.app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(entry.channel, "push");
    assert_eq!(entry.status, "sent");
    assert_eq!(env.push.request_count(), 1);
    assert_eq!(env.sms.request_count(), 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn optional_purposes_can_be_opted_out_of_but_legal_notices_cannot() {
    let env = env().await;
    let me = token(&env.app, "graduate").await;
    let set = "mutation($p: NotificationPurpose!, $o: Boolean!) { setNotificationOptOut(purpose: $p, optOut: $o) { purpose legal optedOut } }";
    let r = gql(
        &env.app,
        Some(&me),
        set,
        json!({ "p": "BREACH_NOTICE", "o": true }),
    )
    .await;
    assert_eq!(r.code().as_deref(), Some("BAD_USER_INPUT"));
    assert_eq!(r.body["errors"][0]["extensions"]["field"], "purpose");
    let r = gql(
        &env.app,
        Some(&me),
        set,
        json!({ "p": "REMINDER", "o": true }),
    )
    .await;
    let settings = r.ok()["setNotificationOptOut"].as_array().unwrap().clone();
    assert!(
        settings
            .iter()
            .any(|s| s["purpose"] == "REMINDER" && s["optedOut"] == true && s["legal"] == false)
    );
    let r = gql(
        &env.app,
        Some(&me),
        "{ notificationPurposes { purpose legal optOutAllowed } }",
        json!({}),
    )
    .await;
    let purposes = r.ok()["notificationPurposes"].as_array().unwrap().clone();
    assert!(purposes.iter().any(|p| p["purpose"] == "CLAIM_NOTICE"
        && p["legal"] == true
        && p["optOutAllowed"] == false));

    let reminder = template(&env, "reminder", "REMINDER").await;
    let r = env
        .gql(
            CREATE,
            json!({ "i": { "name": "Reminder", "templateId": reminder, "channels": ["SMS"] } }),
        )
        .await;
    let cid: i64 = r.ok()["createCampaign"]["id"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    let akhmetov = env.graduate("Ахметов").await;
    let person = env.person_of(akhmetov).await;
    let mine: Vec<_> = env
        .messages()
        .await
        .into_iter()
        .filter(|m| m.person_id == Some(person.id))
        .collect();
    assert_eq!(mine.len(), 1);
    assert_eq!(mine[0].status, "suppressed");
    assert_eq!(mine[0].campaign_id, Some(cid));
    // A legal notice goes out regardless.
    let r = env
        .gql(
            "mutation($g: ID!) { sendNotice(graduateId: $g, purpose: BREACH_NOTICE) { id } }",
            json!({ "g": akhmetov.to_string() }),
        )
        .await;
    let legal: i64 = r.ok()["sendNotice"]["id"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    drain(&env.worker()).await;
    assert_eq!(env.message(legal).await.status, "sent");
    let to_me: Vec<_> = env
        .sms
        .requests()
        .into_iter()
        .filter(|r| r["to"] == json!(person.phone))
        .collect();
    assert_eq!(to_me.len(), 1, "only the legal notice reached the graduate");
    // Opting out after a message was queued still holds it back.
    let r = gql(
        &env.app,
        Some(&me),
        set,
        json!({ "p": "INFORMATION", "o": true }),
    )
    .await;
    r.ok();
    let info = template(&env, "info", "INFORMATION").await;
    env.gql(
        CREATE,
        json!({ "i": { "name": "Info", "templateId": info, "channels": ["SMS"] } }),
    )
    .await
    .ok();
    let r = gql(
        &env.app,
        Some(&me),
        "{ myNotificationSettings { purpose optedOut } }",
        json!({}),
    )
    .await;
    let s = r.ok()["myNotificationSettings"].as_array().unwrap().clone();
    assert_eq!(s.iter().filter(|x| x["optedOut"] == true).count(), 2);
}

#[tokio::test(flavor = "multi_thread")]
async fn consent_replies_are_matched_late_and_malformed_ones_answered() {
    let env = env().await;
    let db = &env.app.db;
    let employer = valid_id("21034000555");
    env.ministry.set_answer(json!({ "rows": [
        { "employer_id": employer, "employer_name": "ТОО «Министерство тест»", "period": "2026-09", "payment_code": "010" },
        { "employer_id": employer, "period": "2026-10", "payment_code": "010", "amount_kzt": "45000" }
    ]}));
    let request = "mutation($g: ID!) { requestConsent(graduateId: $g) { id status } }";
    let w = env.worker();

    // Омаров: a malformed reply gets an answer, then 511 counts.
    let omarov = env.graduate("Омаров").await;
    let r = env.gql(request, json!({ "g": omarov.to_string() })).await;
    assert_eq!(r.ok()["requestConsent"]["status"], "OPEN");
    drain(&w).await;
    let phone = env.person_of(omarov).await.phone.unwrap();
    let inbound =
        |id: &str, text: &str| json!({ "id": id, "from": phone.replace("+7", "8"), "text": text });
    assert_eq!(
        env.post_signed(
            "/webhooks/sms/inbound",
            &inbound("i1", "ok, da"),
            SMS_SECRET
        )
        .await,
        200
    );
    let answers: Vec<_> = env
        .messages()
        .await
        .into_iter()
        .filter(|m| m.purpose == "consent_answer" && m.recipient.as_deref() == Some(&phone))
        .collect();
    assert_eq!(answers.len(), 1);
    assert!(answers[0].body.as_deref().unwrap().contains("511"));
    assert_eq!(answers[0].recipient.as_deref(), Some(phone.as_str()));
    assert_eq!(
        env.post_signed("/webhooks/sms/inbound", &inbound("i2", " 511 "), SMS_SECRET)
            .await,
        200
    );
    // The same inbound delivered twice is recorded once.
    assert_eq!(
        env.post_signed("/webhooks/sms/inbound", &inbound("i2", " 511 "), SMS_SECRET)
            .await,
        200
    );
    assert_eq!(
        inbound_sms::Entity::find()
            .filter(inbound_sms::Column::Phone.eq(phone.clone()))
            .count(db)
            .await
            .unwrap(),
        2
    );
    let req = consent_request::Entity::find()
        .filter(consent_request::Column::GraduateId.eq(omarov))
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(req.status, "consented");
    assert!(req.answered_at.is_some());
    let consent_msg = env.message(req.message_id.unwrap()).await;
    assert!(consent_msg.replied_at.is_some());
    // Consent opened the ministry request; its answer is ingested as a contribution feed.
    drain(&w).await;
    let req = consent_request::Entity::find_by_id(req.id)
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        req.employment_status.as_deref(),
        Some("ingested"),
        "{:?}",
        req.employment_error
    );
    assert!(req.employment_batch_id.is_some());
    let asked = env.ministry.requests();
    assert_eq!(asked.len(), 1);
    let iin = env.person_of(omarov).await.iin;
    assert_eq!(asked[0]["iin"], iin);
    let rows = entities::contribution::Entity::find()
        .filter(entities::contribution::Column::Iin.eq(iin))
        .filter(entities::contribution::Column::EmployerBin.eq(employer.clone()))
        .count(db)
        .await
        .unwrap();
    assert_eq!(rows, 2);
    assert!(
        organisation::Entity::find()
            .filter(organisation::Column::Bin.eq(employer))
            .one(db)
            .await
            .unwrap()
            .is_some()
    );

    // Ли: a reply after 15 minutes is late and does not count.
    let li = env.graduate("Ли").await;
    env.gql(request, json!({ "g": li.to_string() })).await.ok();
    drain(&w).await;
    let li_phone = env.person_of(li).await.phone.unwrap();
    // The request left 16 minutes ago; the reply comes now.
    let li_req = consent_request::Entity::find()
        .filter(consent_request::Column::GraduateId.eq(li))
        .one(db)
        .await
        .unwrap()
        .unwrap();
    sent_minutes_ago(db, li_req.message_id.unwrap(), 16).await;
    let body = json!({ "id": "i3", "from": li_phone, "text": "511" });
    assert_eq!(
        env.post_signed("/webhooks/sms/inbound", &body, SMS_SECRET)
            .await,
        200
    );
    let r = env
        .gql(
            "query($g: ID!) { graduate(id: $g) { consentRequests { status answeredAt employmentRequestStatus } messages { purpose repliedAt } } }",
            json!({ "g": li.to_string() }),
        )
        .await;
    let card = &r.ok()["graduate"];
    assert_eq!(card["consentRequests"][0]["status"], "EXPIRED");
    assert!(card["consentRequests"][0]["answeredAt"].is_null());
    assert!(card["consentRequests"][0]["employmentRequestStatus"].is_null());
    let late_in = inbound_sms::Entity::find()
        .filter(inbound_sms::Column::ProviderId.eq("i3"))
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(late_in.outcome, "late");
    assert_eq!(
        env.ministry.requests().len(),
        1,
        "a late reply opens nothing"
    );

    // Ахметов (the demo graduate): 512 opens an upload task on their page.
    let akhmetov = env.graduate("Ахметов").await;
    env.gql(request, json!({ "g": akhmetov.to_string() }))
        .await
        .ok();
    drain(&w).await;
    let a_phone = env.person_of(akhmetov).await.phone.unwrap();
    let body = json!({ "id": "i4", "from": a_phone, "text": "512" });
    assert_eq!(
        env.post_signed("/webhooks/sms/inbound", &body, SMS_SECRET)
            .await,
        200
    );
    let me = token(&env.app, "graduate").await;
    let r = gql(&env.app, Some(&me), "{ myTasks { id kind status instructions(language: KK) } myObligations { tasks { status } } }", json!({})).await;
    let task = r.ok()["myTasks"][0].clone();
    assert_eq!(task["kind"], "upload_employment_documents");
    assert_eq!(task["status"], "OPEN");
    assert_eq!(r.ok()["myObligations"][0]["tasks"][0]["status"], "OPEN");
    let r = gql_upload(
        &env.app,
        &me,
        "mutation($t: ID!, $d: [Upload!]!) { submitTask(taskId: $t, note: \"договор\", documents: $d) { status documents { fileName size downloadPath } } }",
        json!({ "t": task["id"], "d": [null] }),
        vec![("variables.d.0", "contract.pdf", b"%PDF-1.4 contract".to_vec())],
    )
    .await;
    assert_eq!(r.ok()["submitTask"]["status"], "SUBMITTED");
    assert_eq!(
        r.ok()["submitTask"]["documents"][0]["fileName"],
        "contract.pdf"
    );
    // The reviewer downloads what the graduate uploaded.
    let path = r.ok()["submitTask"]["documents"][0]["downloadPath"]
        .as_str()
        .unwrap()
        .to_owned();
    let analyst = token(&env.app, "analyst").await;
    let resp = reqwest::Client::new()
        .get(format!("{}{path}", env.app.address))
        .bearer_auth(&analyst)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 200);
    assert_eq!(resp.bytes().await.unwrap().as_ref(), b"%PDF-1.4 contract");
    let r = env
        .gql("{ graduateTasks(status: SUBMITTED) { id } }", json!({}))
        .await;
    assert_eq!(r.ok()["graduateTasks"][0]["id"], task["id"]);
    // Accepting names the employer and the months the contract proves (this month only).
    let this_month = Utc::now().format("%Y-%m").to_string();
    let r = env
        .gql(
            "mutation($t: ID!, $b: String, $m: String) { reviewTask(taskId: $t, accept: true, note: \"ok\", employerBin: $b, fromMonth: $m, toMonth: $m) { status } }",
            json!({ "t": task["id"], "b": valid_id("21034000777"), "m": this_month }),
        )
        .await;
    assert_eq!(r.ok()["reviewTask"]["status"], "ACCEPTED");
    // An SMS from a number with no open request gets the "no open request" answer.
    let body = json!({ "id": "i5", "from": a_phone, "text": "511" });
    assert_eq!(
        env.post_signed("/webhooks/sms/inbound", &body, SMS_SECRET)
            .await,
        200
    );
    let last = inbound_sms::Entity::find()
        .filter(inbound_sms::Column::ProviderId.eq("i5"))
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(last.outcome, "unmatched");
    // Every reply from a known person got an answer through the outbox.
    drain(&w).await;
    let answers = env
        .messages()
        .await
        .into_iter()
        .filter(|m| m.purpose == "consent_answer")
        .count();
    // The demo's history holds a sixth: the answer to Сейітова's 512.
    assert_eq!(answers, 6);
}

async fn university(env: &Env) -> i64 {
    organisation::Entity::find()
        .filter(organisation::Column::Bin.eq("990140004654"))
        .one(&env.app.db)
        .await
        .unwrap()
        .unwrap()
        .id
}

async fn big_campaign(env: &Env, n: usize) -> (i64, u64) {
    adal_testkit::fakes::insert_graduates(&env.app.db, n, university(env).await, "gap", 2023)
        .await
        .unwrap();
    let tpl = template(env, "gap", "OBLIGATION_NOTICE").await;
    let r = env
        .gql(
            CREATE,
            json!({ "i": { "name": "Gap 2023", "templateId": tpl, "channels": ["SMS"],
                "audience": { "status": "GAP", "graduationYear": 2023 } } }),
        )
        .await;
    let c = &r.ok()["createCampaign"];
    (
        c["id"].as_str().unwrap().parse().unwrap(),
        c["enqueued"].as_u64().unwrap(),
    )
}

async fn wait_all_sent(env: &Env, cid: i64, n: u64) {
    for _ in 0..600 {
        let sent = notification_message::Entity::find()
            .filter(notification_message::Column::CampaignId.eq(cid))
            .filter(notification_message::Column::Status.eq("sent"))
            .count(&env.app.db)
            .await
            .unwrap();
        if sent == n {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the campaign was not delivered in time");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_worker_restarted_mid_campaign_loses_nothing_and_sends_nothing_twice() {
    let env = env_with(|s| {
        s.notify_batch = 5;
        s.notify_concurrency = 2;
        s.notify_lease_secs = 1;
    })
    .await;
    env.sms.set_delay(Duration::from_millis(30));
    let (cid, n) = big_campaign(&env, 80).await;
    assert_eq!(n, 80);
    let (_stop, handle) = env.worker().spawn();
    for _ in 0..300 {
        if env.sms.sent().len() >= 20 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    // The process dies: no clean shutdown, messages may be left mid-send.
    handle.abort();
    let _ = handle.await;
    let sent_before = env.sms.sent().len();
    assert!(
        sent_before >= 20 && (sent_before as u64) < n,
        "{sent_before}"
    );
    // Pause the campaign while no worker runs: nothing is claimed...
    env.gql(
        "mutation($c: ID!) { pauseCampaign(id: $c) { status } }",
        json!({ "c": cid.to_string() }),
    )
    .await
    .ok();
    // Workers that come later, when the dead one's leases (1 s) have run out.
    let later = chrono::Duration::seconds(2);
    assert_eq!(
        env.worker_ahead(later).run_once().await.unwrap().claimed,
        0,
        "a paused campaign waits"
    );
    env.gql(
        "mutation($c: ID!) { resumeCampaign(id: $c) { status } }",
        json!({ "c": cid.to_string() }),
    )
    .await
    .ok();
    // ...and a new worker takes over (leases of the dead one have ended).
    let (stop, handle) = env.worker_ahead(later).spawn();
    wait_all_sent(&env, cid, n).await;
    let _ = stop.send(());
    handle.await.unwrap();
    let sent = env.sms.sent();
    assert_eq!(sent.len() as u64, n, "every person got exactly one SMS");
    let mut per_key = std::collections::HashMap::new();
    for r in env.sms.requests() {
        *per_key
            .entry(r["idempotency_key"].as_str().unwrap().to_owned())
            .or_insert(0) += 1;
    }
    // Results are written once per claimed batch: messages of the batch cut off by the crash
    // are repeated with the same key (the gateway deduplicates), never more than a batch.
    assert!(per_key.values().all(|&c| c <= 2), "{per_key:?}");
    assert!(per_key.values().filter(|&&c| c == 2).count() <= 5);
    let progress = env
        .gql(
            "query($c: ID!) { campaign(id: $c) { status progress { byChannel { channel total sent queued } } } }",
            json!({ "c": cid.to_string() }),
        )
        .await;
    let ch = &progress.ok()["campaign"]["progress"]["byChannel"][0];
    assert_eq!(ch["sent"].as_u64().unwrap(), n);
    assert_eq!(ch["queued"], 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn two_worker_processes_share_a_campaign_without_sending_twice() {
    let env = env().await;
    let (cid, n) = big_campaign(&env, 150).await;
    // Held while both workers start, so that both take part.
    env.gql(
        "mutation($c: ID!) { pauseCampaign(id: $c) { status } }",
        json!({ "c": cid.to_string() }),
    )
    .await
    .ok();
    env.sms.set_delay(Duration::from_millis(20));
    let dir = tempfile::tempdir().unwrap();
    let spawn = |i: usize| {
        let data = dir.path().join(format!("w{i}"));
        std::fs::create_dir_all(&data).unwrap();
        std::process::Command::new(env!("CARGO_BIN_EXE_adal"))
            .arg("worker")
            .current_dir(&data)
            .env("ADAL_DATABASE_URL", env.app.settings.database_url())
            .env("ADAL_DATA_DIR", &data)
            .env("ADAL_SMS_GATEWAY_URL", &env.sms.url)
            .env("ADAL_QUIET_HOURS_START", "0")
            .env("ADAL_QUIET_HOURS_END", "0")
            .env("ADAL_NOTIFY_POLL_MS", "20")
            .env("ADAL_NOTIFY_BATCH", "10")
            .env("ADAL_SMS_RATE_PER_SEC", "100000")
            .env("ADAL_LOG_LEVEL", "warn,adal_notifications::worker=debug")
            .stdout(std::process::Stdio::null())
            .stderr(std::fs::File::create(data.join("stderr.log")).unwrap())
            .spawn()
            .unwrap()
    };
    let mut a = spawn(1);
    let mut b = spawn(2);
    // Both workers have made passes (their logs say so) while the campaign is paused.
    for i in [1, 2] {
        let log = dir.path().join(format!("w{i}")).join("stderr.log");
        let mut passes = 0;
        for _ in 0..600 {
            passes = std::fs::read_to_string(&log)
                .unwrap_or_default()
                .matches("claim")
                .count();
            if passes >= 2 {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        assert!(passes >= 2, "worker {i} made no pass: {log:?}");
    }
    assert_eq!(env.sms.request_count(), 0, "a paused campaign waits");
    env.gql(
        "mutation($c: ID!) { resumeCampaign(id: $c) { status } }",
        json!({ "c": cid.to_string() }),
    )
    .await
    .ok();
    wait_all_sent(&env, cid, n).await;
    let _ = a.kill();
    let _ = b.kill();
    let _ = a.wait();
    let _ = b.wait();
    assert_eq!(env.sms.sent().len() as u64, n);
    assert_eq!(
        env.sms.request_count() as u64,
        n,
        "no message was sent twice"
    );
    let workers: std::collections::HashSet<String> = notification_message::Entity::find()
        .filter(notification_message::Column::CampaignId.eq(cid))
        .all(&env.app.db)
        .await
        .unwrap()
        .into_iter()
        .filter_map(|m| m.claimed_by)
        .collect();
    let logs: Vec<String> = (1..=2)
        .map(|i| {
            std::fs::read_to_string(dir.path().join(format!("w{i}/stderr.log"))).unwrap_or_default()
        })
        .collect();
    let claims: Vec<&str> = logs
        .iter()
        .flat_map(|l| l.lines())
        .filter(|l| l.contains("claim") && !l.contains("claimed=0"))
        .collect();
    assert_eq!(
        workers.len(),
        2,
        "both workers took part ({}): {claims:?}",
        env.app.backend()
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn campaigns_can_be_cancelled_and_are_checked() {
    let env = env().await;
    let tpl = template(&env, "breach", "BREACH_NOTICE").await;
    let r = env
        .gql(
            CREATE,
            json!({ "i": { "name": "x", "templateId": tpl, "channels": ["SMS", "SMS"] } }),
        )
        .await;
    assert_eq!(r.body["errors"][0]["extensions"]["field"], "channels");
    let consent = template(&env, "consent", "CONSENT_REQUEST").await;
    let r = env
        .gql(
            CREATE,
            json!({ "i": { "name": "x", "templateId": consent, "channels": ["PUSH"] } }),
        )
        .await;
    assert_eq!(r.body["errors"][0]["extensions"]["field"], "channels");
    let r = env
        .gql(
            "query($a: GraduateFilter) { campaignAudienceCount(audience: $a) }",
            json!({ "a": { "status": "BREACH" } }),
        )
        .await;
    assert_eq!(r.ok()["campaignAudienceCount"], 1);
    let r = env
        .gql(
            CREATE,
            json!({ "i": { "name": "Later", "templateId": tpl, "channels": ["SMS"],
                "scheduledAt": (Utc::now() + chrono::Duration::hours(2)).to_rfc3339() } }),
        )
        .await;
    let cid = r.ok()["createCampaign"]["id"].as_str().unwrap().to_owned();
    assert_eq!(
        env.worker().run_once().await.unwrap().claimed,
        0,
        "scheduled for later"
    );
    let r = env
        .gql("mutation($c: ID!) { cancelCampaign(id: $c) { status progress { byChannel { cancelled } } } }", json!({ "c": cid }))
        .await;
    assert_eq!(r.ok()["cancelCampaign"]["status"], "CANCELLED");
    assert!(
        r.ok()["cancelCampaign"]["progress"]["byChannel"][0]["cancelled"]
            .as_u64()
            .unwrap()
            >= 5
    );
    let r = env
        .gql(
            "mutation($c: ID!) { resumeCampaign(id: $c) { status } }",
            json!({ "c": cid }),
        )
        .await;
    assert_eq!(r.code().as_deref(), Some("CONFLICT"));
    // A consent campaign opens one request per person with a phone.
    let r = env
        .gql(
            CREATE,
            json!({ "i": { "name": "511/512", "templateId": consent, "channels": ["SMS"] } }),
        )
        .await;
    let n = r.ok()["createCampaign"]["enqueued"].as_u64().unwrap();
    // (The demo's own request, Сейітова's, was refused before.)
    let opened = consent_request::Entity::find()
        .filter(consent_request::Column::Status.eq("open"))
        .count(&env.app.db)
        .await
        .unwrap();
    assert_eq!(opened, n - 2, "Ким and Қасымов have no phone");
}

#[tokio::test(flavor = "multi_thread")]
async fn notification_operations_admit_exactly_their_roles() {
    let env = env().await;
    let app = &env.app;
    let tpl = template(&env, "breach", "BREACH_NOTICE").await;
    let omarov = env.graduate("Омаров").await.to_string();
    let r = env
        .gql(
            CREATE,
            json!({ "i": { "name": "c", "templateId": tpl, "channels": ["SMS"] } }),
        )
        .await;
    let cid = r.ok()["createCampaign"]["id"].as_str().unwrap().to_owned();
    let staff: &[&str] = &["admin", "analyst", "commission"];
    let analysts: &[&str] = &["admin", "analyst"];
    let everyone: &[&str] = &[
        "admin",
        "analyst",
        "commission",
        "akimat",
        "school.admin",
        "school.staff",
        "provider",
        "parent",
        "graduate",
        "teacher.parent",
        "pupil",
        "demo-integration",
        "demo-turnstile",
    ];
    let ops = vec![
        Op { name: "notificationPurposes", query: "{ notificationPurposes { purpose } }".into(), variables: json!({}), allowed: everyone },
        Op { name: "templateVariables", query: "{ templateVariables { name } }".into(), variables: json!({}), allowed: staff },
        Op { name: "notificationTemplates", query: "{ notificationTemplates { id } }".into(), variables: json!({}), allowed: staff },
        Op { name: "previewTemplate", query: "query($g: ID!, $t: ID) { previewTemplate(graduateId: $g, templateId: $t) { body } }".into(), variables: json!({ "g": omarov, "t": tpl }), allowed: analysts },
        Op { name: "campaigns", query: "{ campaigns { id } }".into(), variables: json!({}), allowed: staff },
        Op { name: "campaign", query: "query($c: ID!) { campaign(id: $c) { id } }".into(), variables: json!({ "c": cid }), allowed: staff },
        Op { name: "campaignAudienceCount", query: "{ campaignAudienceCount }".into(), variables: json!({}), allowed: analysts },
        Op { name: "deadLetters", query: "{ deadLetters { id } }".into(), variables: json!({}), allowed: analysts },
        Op { name: "notificationCoverage", query: "{ notificationCoverage { share } }".into(), variables: json!({}), allowed: staff },
        Op { name: "unreachableGraduates", query: "{ unreachableGraduates { total } }".into(), variables: json!({}), allowed: staff },
        Op { name: "graduateTasks", query: "{ graduateTasks { id } }".into(), variables: json!({}), allowed: staff },
        Op { name: "myTasks", query: "{ myTasks { id } }".into(), variables: json!({}), allowed: &["graduate"] },
        Op { name: "myNotificationSettings", query: "{ myNotificationSettings { purpose } }".into(), variables: json!({}), allowed: &["graduate"] },
        Op { name: "saveTemplate", query: "mutation { saveTemplate(input: {code: \"rm\", purpose: REMINDER, bodyKk: \"a\", bodyRu: \"b\", bodyEn: \"c\"}) { id } }".into(), variables: json!({}), allowed: &["admin"] },
        Op { name: "createCampaign", query: "mutation($t: ID!) { createCampaign(input: {name: \"rm\", templateId: $t, channels: [EMAIL]}) { id } }".into(), variables: json!({ "t": tpl }), allowed: &["admin"] },
        Op { name: "pauseCampaign", query: "mutation($c: ID!) { pauseCampaign(id: $c) { id } }".into(), variables: json!({ "c": cid }), allowed: &["admin"] },
        Op { name: "resumeCampaign", query: "mutation($c: ID!) { resumeCampaign(id: $c) { id } }".into(), variables: json!({ "c": cid }), allowed: &["admin"] },
        Op { name: "cancelCampaign", query: "mutation($c: ID!) { cancelCampaign(id: $c) { id } }".into(), variables: json!({ "c": cid }), allowed: &["admin"] },
        Op { name: "retryMessage", query: "mutation { retryMessage(id: \"999999\") { id } }".into(), variables: json!({}), allowed: &["admin"] },
        Op { name: "sendNotice", query: "mutation($g: ID!) { sendNotice(graduateId: $g, purpose: OBLIGATION_NOTICE) { id } }".into(), variables: json!({ "g": omarov }), allowed: &["admin"] },
        Op { name: "requestConsent", query: "mutation($g: ID!) { requestConsent(graduateId: $g) { id } }".into(), variables: json!({ "g": omarov }), allowed: &["admin"] },
        Op { name: "exportUnreachable", query: "mutation { exportUnreachable }".into(), variables: json!({}), allowed: &["admin"] },
        Op { name: "setNotificationOptOut", query: "mutation { setNotificationOptOut(purpose: REMINDER, optOut: true) { purpose } }".into(), variables: json!({}), allowed: &["graduate"] },
        Op { name: "submitTask", query: "mutation { submitTask(taskId: \"999999\", documents: []) { id } }".into(), variables: json!({}), allowed: &["graduate"] },
        Op { name: "reviewTask", query: "mutation { reviewTask(taskId: \"999999\", accept: true) { id } }".into(), variables: json!({}), allowed: &["admin"] },
    ];
    let failures: Vec<_> = role_matrix(app, &ops)
        .await
        .into_iter()
        .filter(|f| !(f.contains("allowed but failed") && f.contains("NOT_FOUND")))
        .collect();
    assert!(
        failures.is_empty(),
        "role matrix failures:\n{}",
        failures.join("\n")
    );
    // The graduate's own card shows their messages; nobody else's.
    let me = token(app, "graduate").await;
    let r = gql(
        app,
        Some(&me),
        "query($g: ID!) { graduate(id: $g) { messages { id } } }",
        json!({ "g": omarov }),
    )
    .await;
    assert_eq!(r.code().as_deref(), Some("NOT_FOUND"));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_message_not_delivered_in_time_falls_back_to_the_next_channel() {
    let env = env().await;
    let tpl = template(&env, "breach", "BREACH_NOTICE").await;
    let r = env
        .gql(
            CREATE,
            json!({ "i": { "name": "SMS then e-mail", "templateId": tpl,
                "channels": ["SMS", "EMAIL"], "fallbackAfterSeconds": 2 } }),
        )
        .await;
    let cid: i64 = r.ok()["createCampaign"]["id"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    let w = env.worker();
    w.run_once().await.unwrap();
    let li = env.person_of(env.graduate("Ли").await).await;
    let li_sms = env
        .messages()
        .await
        .into_iter()
        .find(|m| m.person_id == Some(li.id) && m.channel == "sms")
        .unwrap();
    assert_eq!(li_sms.status, "sent");
    // Омаров's SMS is delivered in time: no e-mail follows for him.
    let omarov = env.person_of(env.graduate("Омаров").await).await;
    let omarov_sms = env
        .messages()
        .await
        .into_iter()
        .find(|m| m.person_id == Some(omarov.id) && m.channel == "sms")
        .unwrap();
    let receipt = json!({ "id": omarov_sms.provider_message_id, "status": "delivered" });
    assert_eq!(
        env.post_signed("/webhooks/sms/receipt", &receipt, SMS_SECRET)
            .await,
        200
    );
    // Before the delay nothing falls back for Ли (only those SMS could not reach, at once);
    // after it, Ли (sent, not delivered) gets an e-mail.
    w.run_once().await.unwrap();
    assert!(
        env.messages()
            .await
            .iter()
            .all(|m| !(m.person_id == Some(li.id) && m.channel == "email")),
        "not before the delay"
    );
    let kim = env.person_of(env.graduate("Ким").await).await;
    assert!(
        env.messages()
            .await
            .iter()
            .any(|m| m.person_id == Some(kim.id) && m.channel == "email"),
        "no phone: e-mail at once"
    );
    // The fallback delay (2 s) passes.
    drain(&w.with_clock(Arc::new(|| {
        chrono::Utc::now() + chrono::Duration::milliseconds(2_100)
    })))
    .await;
    let li_mail = env
        .messages()
        .await
        .into_iter()
        .find(|m| m.person_id == Some(li.id) && m.channel == "email")
        .unwrap();
    assert_eq!(li_mail.status, "delivered");
    assert_eq!(li_mail.idempotency_key, format!("c{cid}:p{}:1", li.id));
    assert!(
        env.messages()
            .await
            .iter()
            .all(|m| !(m.person_id == Some(omarov.id) && m.channel == "email")),
        "a delivered message does not fall back"
    );
    assert!(
        env.smtp
            .mails()
            .iter()
            .any(|m| m.to[0].contains("anna.li@example.kz"))
    );
}

/// Webhooks (a reply, a receipt) and the worker write at the same time. A transaction that
/// reads before it writes waits for the other writer instead of failing: on SQLite a deferred
/// one would get `SQLITE_BUSY` when the other commits between its read and its write (a 500
/// to the SMS provider for a 511/512 reply, seen under load).
#[tokio::test(flavor = "multi_thread")]
async fn a_transaction_that_reads_then_writes_waits_for_another_writer() {
    let app = spawn_app().await;
    let db = app.db.clone();
    let txn = adal_core::db::begin_write(&db).await.unwrap();
    let before = entities::audit_event::Entity::find()
        .count(&txn)
        .await
        .unwrap();
    let other = tokio::spawn(async move {
        adal_core::audit::record(&db, None, "test.other", "test", 2, json!({})).await
    });
    tokio::time::sleep(Duration::from_millis(300)).await;
    adal_core::audit::record(&txn, None, "test.first", "test", 1, json!({}))
        .await
        .unwrap();
    txn.commit().await.unwrap();
    assert!(other.await.unwrap().is_ok(), "the other writer failed");
    let after = entities::audit_event::Entity::find()
        .count(&app.db)
        .await
        .unwrap();
    assert_eq!(after, before + 2);
}

/// A second domain sends through the notification service unchanged: it names its kind of
/// subject and its variables, and the service renders and delivers its messages beside the
/// graduates'. (A stand-in for the schools' and vouchers' notices to parents.)
struct Pupils;

impl adal_notifications::subjects::Subjects for Pupils {
    fn kind(&self) -> &'static str {
        "pupil"
    }
    fn purposes(&self) -> &'static [&'static adal_notifications::purposes::PurposeDef] {
        &[]
    }
    fn variables(&self) -> &'static [adal_notifications::subjects::Variable] {
        &[("pupil_name", 30, "the pupil's first name")]
    }
    fn values<'a>(
        &'a self,
        db: &'a sea_orm::DatabaseConnection,
        ids: &'a [i64],
    ) -> futures_util::future::BoxFuture<
        'a,
        adal_core::error::ApiResult<
            std::collections::HashMap<i64, adal_notifications::subjects::Values>,
        >,
    > {
        Box::pin(async move {
            Ok(person::Entity::find()
                .filter(person::Column::Id.is_in(ids.to_vec()))
                .all(db)
                .await?
                .into_iter()
                .map(|p| (p.id, [("pupil_name", p.first_name)].into()))
                .collect())
        })
    }
    fn on_pass<'a>(
        &'a self,
        _: &'a sea_orm::DatabaseConnection,
        _: &'a Settings,
    ) -> futures_util::future::BoxFuture<'a, adal_core::error::ApiResult<usize>> {
        Box::pin(async { Ok(0) })
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn another_domain_sends_about_its_own_subjects_through_the_same_service() {
    use adal_notifications::purposes::{Purpose, REMINDER};
    use adal_notifications::subjects::{Domains, Subject};
    let env = env().await;
    let domains = Domains::new(vec![
        Arc::new(adal_obligations::notices::Graduates),
        Arc::new(Pupils),
    ]);
    // A template may use the pupils' variable; an unknown one is still refused.
    let draft = |body: &str| adal_notifications::templates::TemplateDraft {
        code: "pupil_reminder".into(),
        purpose: Purpose::of(&REMINDER),
        subject: [String::new(), String::new(), String::new()],
        body: [body.into(), body.into(), body.into()],
    };
    let tpl = adal_notifications::templates::save(
        &env.app.db,
        None,
        draft("{pupil_name}: бүгін үйірме 16:00."),
        3,
        &domains.variables(),
    )
    .await
    .unwrap();
    assert!(
        adal_notifications::templates::check(&draft("{pupil_surname}"), 3, &domains.variables())
            .is_err()
    );
    let omarov = env.person_of(env.graduate("Омаров").await).await;
    let id = adal_notifications::outbox::enqueue(
        &env.app.db,
        adal_notifications::outbox::NewMessage {
            idempotency_key: "pupil:reminder:1".into(),
            person_id: Some(omarov.id),
            about: Some(Subject {
                kind: "pupil",
                id: omarov.id,
            }),
            purpose: Purpose::of(&REMINDER),
            channel: adal_notifications::vocab::Channel::Sms,
            language: adal_core::vocab::Language::Kk,
            template_id: Some(tpl.id),
            subject: None,
            body: None,
            recipient: None,
            not_before: Utc::now(),
            max_attempts: 0,
        },
    )
    .await
    .unwrap();
    let worker = Worker::with_channels(
        env.app.db.clone(),
        Arc::new(env.app.settings.clone()),
        adal_notifications::channels::Channels::from_settings(&env.app.settings).unwrap(),
        domains,
    );
    drain(&worker).await;
    let m = env.message(id).await;
    assert_eq!(m.status, "sent");
    assert_eq!(
        (m.subject_kind.as_deref(), m.subject_id),
        (Some("pupil"), Some(omarov.id))
    );
    let texts: Vec<Value> = env
        .sms
        .requests()
        .into_iter()
        .filter(|r| r["idempotency_key"] == "pupil:reminder:1")
        .map(|r| r["text"].clone())
        .collect();
    assert_eq!(
        texts,
        [json!(format!("{}: бүгін үйірме 16:00.", omarov.first_name))]
    );
}

/// Moves a message's sending back by `minutes`, as if it had left then.
async fn sent_minutes_ago(db: &sea_orm::DatabaseConnection, message_id: i64, minutes: i64) {
    let mut m = notification_message::Entity::find_by_id(message_id)
        .one(db)
        .await
        .unwrap()
        .unwrap()
        .into_active_model();
    m.sent_at = Set(Some(Utc::now() - chrono::Duration::minutes(minutes)));
    m.update(db).await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn a_reply_counts_only_inside_its_window_once_and_for_the_person_it_names() {
    let env = env().await;
    let db = &env.app.db;
    let request = "mutation($g: ID!) { requestConsent(graduateId: $g) { id status } }";
    let w = env.worker();
    let omarov = env.graduate("Омаров").await;
    let li = env.graduate("Ли").await;
    // Siblings: both graduates' requests go to one parent's phone.
    let phone = env.person_of(omarov).await.phone.unwrap();
    let li_person = env.person_of(li).await;
    let mut p = li_person.clone().into_active_model();
    p.phone = Set(Some(phone.clone()));
    p.update(db).await.unwrap();
    let status = |g: i64| async move {
        consent_request::Entity::find()
            .filter(consent_request::Column::GraduateId.eq(g))
            .one(db)
            .await
            .unwrap()
            .unwrap()
            .status
    };
    let outcome = |id: &'static str| async move {
        inbound_sms::Entity::find()
            .filter(inbound_sms::Column::ProviderId.eq(id))
            .one(db)
            .await
            .unwrap()
            .unwrap()
            .outcome
    };

    // A reply before the request has left counts for nothing.
    env.gql(request, json!({ "g": omarov.to_string() }))
        .await
        .ok();
    let early = json!({ "id": "e1", "from": phone, "text": "511" });
    assert_eq!(
        env.post_signed("/webhooks/sms/inbound", &early, SMS_SECRET)
            .await,
        200
    );
    assert_eq!(outcome("e1").await, "unmatched");
    assert_eq!(status(omarov).await, "open");
    drain(&w).await;
    // Nor one dated before it was sent.
    let before = (Utc::now() - chrono::Duration::minutes(30)).to_rfc3339();
    let dated = json!({ "id": "e2", "from": phone, "text": "511", "received_at": before });
    assert_eq!(
        env.post_signed("/webhooks/sms/inbound", &dated, SMS_SECRET)
            .await,
        200
    );
    assert_eq!(outcome("e2").await, "unmatched");
    assert_eq!(status(omarov).await, "open");
    // Without the gateway's id, or dated in the future, a reply is refused outright.
    let no_id = json!({ "from": phone, "text": "511" });
    assert_eq!(
        env.post_signed("/webhooks/sms/inbound", &no_id, SMS_SECRET)
            .await,
        400
    );
    let future = (Utc::now() + chrono::Duration::hours(1)).to_rfc3339();
    let ahead = json!({ "id": "e3", "from": phone, "text": "511", "received_at": future });
    assert_eq!(
        env.post_signed("/webhooks/sms/inbound", &ahead, SMS_SECRET)
            .await,
        400
    );
    assert_eq!(status(omarov).await, "open");

    // Li's request to the same phone: a bare 511 is now ambiguous and counts for nobody.
    env.gql(request, json!({ "g": li.to_string() })).await.ok();
    drain(&w).await;
    let bare = json!({ "id": "s1", "from": phone, "text": "511" });
    assert_eq!(
        env.post_signed("/webhooks/sms/inbound", &bare, SMS_SECRET)
            .await,
        200
    );
    assert_eq!(outcome("s1").await, "ambiguous");
    assert_eq!(
        (status(omarov).await, status(li).await),
        ("open".into(), "open".into())
    );
    // The answer names each person with the digits to add.
    let question = env
        .messages()
        .await
        .into_iter()
        .filter(|m| m.purpose == "consent_answer")
        .max_by_key(|m| m.id)
        .unwrap();
    let li_digits = &li_person.iin[li_person.iin.len() - 4..];
    let body = question.body.unwrap();
    assert!(body.contains(&li_person.last_name), "{body}");
    assert!(body.contains(li_digits), "{body}");
    assert_eq!(question.recipient.as_deref(), Some(phone.as_str()));
    // Naming Li by the digits answers for Li alone.
    let named = json!({ "id": "s2", "from": phone, "text": format!("512 {li_digits}") });
    assert_eq!(
        env.post_signed("/webhooks/sms/inbound", &named, SMS_SECRET)
            .await,
        200
    );
    assert_eq!(outcome("s2").await, "refusal");
    assert_eq!(
        (status(omarov).await, status(li).await),
        ("open".into(), "refused".into())
    );
    // The same delivery replayed changes nothing.
    assert_eq!(
        env.post_signed("/webhooks/sms/inbound", &named, SMS_SECRET)
            .await,
        200
    );
    assert_eq!(
        inbound_sms::Entity::find()
            .filter(inbound_sms::Column::ProviderId.eq("s2"))
            .count(db)
            .await
            .unwrap(),
        1
    );
    // With one request left open, a bare 511 answers it.
    let last = json!({ "id": "s3", "from": phone, "text": "511" });
    assert_eq!(
        env.post_signed("/webhooks/sms/inbound", &last, SMS_SECRET)
            .await,
        200
    );
    assert_eq!(status(omarov).await, "consented");
}
