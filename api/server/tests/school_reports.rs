#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail by panicking
//! Schools (issue 16): the monthly meal and attendance reports (hand-computed totals, the same
//! bytes when nothing changed, a new version saying what changed, checksums on the trail and
//! on the downloads), and the Social Wallet failing and recovering.

use crate::common;

use adal_schools::demo::{TILLS, demo_day};
use adal_schools::reports::month_of;
use adal_schools::wallet::{HttpWallet, pass};
use adal_testkit::TestApp;
use adal_testkit::fakes::FakeWallet;
use chrono::{Duration, Utc};
use common::*;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::json;
use sha2::{Digest, Sha256};

const SCHOOL_BIN: &str = "020140001689";
const PREPARE: &str = "mutation($s: ID!, $m: Int!, $k: SchoolReportKind!) { prepareSchoolReport(schoolId: $s, month: $m, kind: $k) { newVersion report { id version rows csvSha256 xlsxSha256 changes csvUrl xlsxUrl } } }";

async fn download(app: &TestApp, token: &str, url: &str) -> (u16, Vec<u8>, String) {
    let r = reqwest::Client::new()
        .get(format!("{}{url}", app.address))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    let sum = r
        .headers()
        .get("X-Checksum-SHA256")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    (status, r.bytes().await.unwrap().to_vec(), sum)
}

/// The demo's pupils by grade: (pupils in grades 1-4, all pupils).
async fn pupils(app: &TestApp, staff: &str, school: &str) -> (i64, i64) {
    let r = gql(
        app,
        Some(staff),
        "query($s: ID!) { schoolMembers(schoolId: $s, kind: PUPIL) { class { grade } } }",
        json!({ "s": school }),
    )
    .await;
    let list = r.ok()["schoolMembers"].as_array().unwrap().clone();
    let young = list
        .iter()
        .filter(|m| m["class"]["grade"].as_i64().unwrap() <= 4)
        .count() as i64;
    (young, list.len() as i64)
}

fn total_row(csv: &str) -> Vec<String> {
    csv.lines()
        .find(|l| l.starts_with("TOTAL"))
        .unwrap()
        .split(',')
        .map(str::to_owned)
        .collect()
}

#[tokio::test]
async fn the_month_of_meals_adds_up_and_says_what_changed() {
    let app = spawn_app_with_demo().await;
    let admin = token(&app, "school.admin").await;
    let akimat = token(&app, "akimat").await;
    let school = org_id(&app, SCHOOL_BIN).await;
    let day = demo_day(Utc::now());
    let month = month_of(day) as i64;

    // By hand: on the demo day every pupil of grades 1-4 ate free (grade_1_4), Әлихан (5А)
    // free on his large-family ground, one pupil of 7Б at the reduced price of 300 (the budget
    // pays 650 - 300 = 350); the other 7Б pupils paid. A free meal costs the budget 650.
    let (young, _) = pupils(&app, &admin, &school).await;
    let free = young + 1;
    let budget = free * 650 + 350;

    let r = gql(
        &app,
        Some(&admin),
        PREPARE,
        json!({ "s": school, "m": month, "k": "MEALS_SCHOOL" }),
    )
    .await;
    let run = r.ok()["prepareSchoolReport"].clone();
    assert_eq!(run["newVersion"], true);
    assert_eq!(run["report"]["version"], 1);
    assert!(run["report"]["changes"].is_null());
    let (status, csv, sum) =
        download(&app, &admin, run["report"]["csvUrl"].as_str().unwrap()).await;
    assert_eq!(status, 200);
    let csv = String::from_utf8(csv).unwrap();
    assert!(
        csv.starts_with(
            "class,pupil,ground,free_meals,reduced_meals,paid_by_family_kzt,budget_cost_kzt\n"
        ),
        "{csv}"
    );
    assert_eq!(
        total_row(&csv),
        vec![
            "TOTAL",
            "",
            "",
            &free.to_string(),
            "1",
            "300",
            &budget.to_string()
        ],
        "{csv}"
    );
    assert!(
        csv.contains(",large_family,1,0,0,650\n"),
        "Әлихан's row: {csv}"
    );
    assert_eq!(sum, run["report"]["csvSha256"].as_str().unwrap());
    assert_eq!(hex::encode(Sha256::digest(csv.as_bytes())), sum);
    let (status, xlsx, xsum) =
        download(&app, &admin, run["report"]["xlsxUrl"].as_str().unwrap()).await;
    assert_eq!(status, 200);
    assert_eq!(xsum, run["report"]["xlsxSha256"].as_str().unwrap());
    assert_eq!(hex::encode(Sha256::digest(&xlsx)), xsum);
    // The checksums are on the trail.
    let trail = entities::audit_event::Entity::find()
        .filter(entities::audit_event::Column::Action.eq("school.report"))
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(trail.len(), 1);
    assert!(trail[0].details.contains(&sum), "{}", trail[0].details);

    // Again, nothing changed: the same version, the same bytes.
    let again = gql(
        &app,
        Some(&admin),
        PREPARE,
        json!({ "s": school, "m": month, "k": "MEALS_SCHOOL" }),
    )
    .await;
    assert_eq!(again.ok()["prepareSchoolReport"]["newVersion"], false);
    assert_eq!(
        again.ok()["prepareSchoolReport"]["report"]["csvSha256"],
        run["report"]["csvSha256"]
    );
    assert_eq!(
        again.ok()["prepareSchoolReport"]["report"]["xlsxSha256"],
        run["report"]["xlsxSha256"]
    );

    // A till that was offline uploads a meal of the day before: Әлихан ate free then too.
    let till = client_token(&app, TILLS[1].0, TILLS[1].1).await;
    let menu = gql(
        &app,
        None,
        "query($s: ID!, $d: NaiveDate!) { schoolMenu(schoolId: $s, day: $d) { id allergens } }",
        json!({ "s": school, "d": day.to_string() }),
    )
    .await;
    let safe: Vec<String> = menu.ok()["schoolMenu"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["allergens"].as_array().unwrap().is_empty())
        .map(|d| d["id"].as_str().unwrap().to_owned())
        .collect();
    let other_day = day - Duration::days(1);
    let at = adal_schools::rules::at_local(
        other_day,
        chrono::NaiveTime::from_hms_opt(12, 0, 0).unwrap(),
    );
    let alikhan_card = "04B2C3D4E5";
    let up = gql(
        &app,
        Some(&till),
        "mutation($e: [SchoolEventInput!]!) { uploadSchoolEvents(events: $e) { lastSeq answers { status charge late } } }",
        json!({ "e": [{ "seq": 10, "kind": "MEAL", "credential": alikhan_card, "at": at.to_rfc3339(), "dishIds": safe }] }),
    )
    .await;
    let a = up.ok()["uploadSchoolEvents"]["answers"][0].clone();
    assert_eq!(a["status"], "STORED", "{a}");
    assert_eq!(a["charge"], "FREE");
    assert_eq!(a["late"], true);
    let month2 = month_of(other_day) as i64;
    let r2 = gql(
        &app,
        Some(&admin),
        PREPARE,
        json!({ "s": school, "m": month2, "k": "MEALS_SCHOOL" }),
    )
    .await;
    let run2 = r2.ok()["prepareSchoolReport"].clone();
    if month2 == month {
        assert_eq!(run2["newVersion"], true);
        assert_eq!(run2["report"]["version"], 2);
        let changes = run2["report"]["changes"].as_str().unwrap();
        assert!(changes.starts_with("2 rows changed"), "{changes}");
        assert!(
            changes.contains("Әлихан") && changes.contains("[1, 0, 0, 650] → [2, 0, 0, 1300]"),
            "{changes}"
        );
    } else {
        // The day before fell in the month before: a report of its own, first version.
        assert_eq!(run2["report"]["version"], 1);
    }

    // The region's report as the akimat sees it: the school's totals.
    let region = gql(
        &app,
        Some(&akimat),
        "mutation($m: Int!) { prepareRegionMealReport(regionKato: \"710000000\", month: $m) { report { csvUrl } } }",
        json!({ "m": month }),
    )
    .await;
    let url = region.ok()["prepareRegionMealReport"]["report"]["csvUrl"]
        .as_str()
        .unwrap()
        .to_owned();
    let (status, body, _) = download(&app, &akimat, &url).await;
    assert_eq!(status, 200);
    let body = String::from_utf8(body).unwrap();
    let extra = i64::from(month2 == month);
    let t = total_row(&body);
    assert_eq!(t[3], (free + extra).to_string(), "{body}");
    assert_eq!(t[5], (budget + 650 * extra).to_string(), "{body}");
    // Another side cannot read the school's file.
    let parent = token(&app, "parent").await;
    let (status, _, _) = download(&app, &parent, run["report"]["csvUrl"].as_str().unwrap()).await;
    assert_eq!(status, 403);
    let (status, _, _) = download(&app, &akimat, run["report"]["csvUrl"].as_str().unwrap()).await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn the_attendance_report_lists_every_member_every_school_day() {
    let app = spawn_app_with_demo().await;
    let admin = token(&app, "school.admin").await;
    let school = org_id(&app, SCHOOL_BIN).await;
    let day = demo_day(Utc::now());
    let r = gql(
        &app,
        Some(&admin),
        PREPARE,
        json!({ "s": school, "m": month_of(day), "k": "ATTENDANCE_SCHOOL" }),
    )
    .await;
    let report = r.ok()["prepareSchoolReport"]["report"].clone();
    let (_, csv, _) = download(&app, &admin, report["csvUrl"].as_str().unwrap()).await;
    let csv = String::from_utf8(csv).unwrap();
    let d = day.format("%Y-%m-%d").to_string();
    let of_day: Vec<&str> = csv.lines().filter(|l| l.starts_with(&d)).collect();
    let (_, all) = pupils(&app, &admin, &school).await;
    assert_eq!(
        of_day.len() as i64,
        all + 1,
        "every pupil and the teacher: {csv}"
    );
    assert!(
        of_day.iter().all(|l| !l.ends_with(",absent")),
        "nobody absent on the demo day"
    );
    assert_eq!(
        of_day.iter().filter(|l| l.contains(",late,")).count(),
        2,
        "{csv}"
    );
    let staff = of_day.iter().find(|l| l.contains(",staff,")).unwrap();
    assert!(staff.contains("Иванова Мария"), "{staff}");
}

#[tokio::test]
async fn meals_reach_the_social_wallet_through_its_failures() {
    let app = spawn_app_with_demo().await;
    let staff = token(&app, "school.staff").await;
    let school = org_id(&app, SCHOOL_BIN).await;
    let wallet = FakeWallet::start().unwrap();
    let client = HttpWallet {
        url: wallet.url.clone(),
        token: None,
        client: adal_notifications::http::HttpClient::new(std::time::Duration::from_secs(5))
            .unwrap(),
    };
    use entities::school_wallet_transfer as t;
    let pending = t::Entity::find()
        .filter(t::Column::State.eq("pending"))
        .count(&app.db)
        .await
        .unwrap();
    // Every subsidised meal of the demo day waits for the Wallet (no paid one does).
    let subsidised = entities::school_meal::Entity::find()
        .filter(entities::school_meal::Column::Charge.ne("paid"))
        .count(&app.db)
        .await
        .unwrap();
    assert!(pending > 0);
    assert_eq!(pending, subsidised);

    // The Wallet is down: nothing answered, each meal waits 30 s with the reason.
    wallet.fail_first(1);
    let now = Utc::now();
    assert_eq!(pass(&app.db, &client, now, 10).await.unwrap(), 0);
    assert_eq!(wallet.batches(), 1);
    let after = t::Entity::find().all(&app.db).await.unwrap();
    assert!(
        after
            .iter()
            .all(|x| x.attempts == 1 && x.state == "pending")
    );
    assert!(
        after
            .iter()
            .all(|x| x.next_at > now + Duration::seconds(29))
    );
    assert!(after[0].reason.as_deref().unwrap().contains("503"));
    // Not before its time.
    assert_eq!(
        pass(&app.db, &client, now + Duration::seconds(10), 10)
            .await
            .unwrap(),
        0
    );
    assert_eq!(wallet.batches(), 1, "no request before the backoff");

    // It recovers and rejects one meal with its reason.
    let first = after.iter().map(|x| x.meal_id).min().unwrap();
    wallet.reject(
        first,
        "PUPIL_NOT_IN_REGISTER: the pupil's IIN is not in the Wallet",
    );
    let answered = pass(&app.db, &client, now + Duration::seconds(31), 10)
        .await
        .unwrap();
    assert_eq!(answered as u64, pending);
    let mut got = wallet.received();
    got.sort_unstable();
    got.dedup();
    assert_eq!(got.len() as u64, pending, "each meal by its id");

    let list = gql(
        &app,
        Some(&staff),
        "query($s: ID!) { schoolWalletTransfers(schoolId: $s, state: REJECTED) { mealId state reason attempts } }",
        json!({ "s": school }),
    )
    .await;
    let rejected = list.ok()["schoolWalletTransfers"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(rejected.len(), 1);
    assert_eq!(rejected[0]["mealId"], first.to_string());
    assert!(
        rejected[0]["reason"]
            .as_str()
            .unwrap()
            .starts_with("PUPIL_NOT_IN_REGISTER")
    );

    // The school fixed it: sent again, accepted.
    wallet.accept_all();
    let retry = gql(
        &app,
        Some(&staff),
        "mutation($m: ID!) { retryWalletTransfer(mealId: $m) { state } }",
        json!({ "m": first.to_string() }),
    )
    .await;
    assert_eq!(retry.ok()["retryWalletTransfer"]["state"], "PENDING");
    assert_eq!(pass(&app.db, &client, Utc::now(), 10).await.unwrap(), 1);
    let accepted = t::Entity::find()
        .filter(t::Column::State.eq("accepted"))
        .count(&app.db)
        .await
        .unwrap();
    assert_eq!(accepted, pending);
    wallet.stop().await;
}

/// The month's job reports every school on the platform (one that loaded its list of members)
/// and its region, and writes nothing for an organisation of kind school that never did (an
/// employer from the contribution records): thousands of those held SQLite's one writer for
/// minutes after a start.
#[tokio::test]
async fn the_months_job_reports_the_schools_on_the_platform_only() {
    use adal_core::jobs::Outcome;
    use entities::{job, organisation, school_report};
    use sea_orm::{ActiveModelTrait, Set};

    let app = adal_testkit::spawn_app_with_demo_and(|s| s.job_runner = false).await;
    let school: i64 = org_id(&app, SCHOOL_BIN).await.parse().unwrap();
    let bin = (1..100)
        .find_map(|n| adal_core::identifiers::with_check_digit(&format!("0301400{n:04}")))
        .unwrap();
    let region = organisation::Entity::find_by_id(school)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .region_kato;
    let now = Utc::now();
    let employer = organisation::ActiveModel {
        bin: Set(bin),
        kind: Set("school".into()),
        name_kk: Set("№ 7 мектеп".into()),
        name_ru: Set("Школа № 7".into()),
        name_en: Set("School No. 7".into()),
        region_kato: Set(region),
        needs_classification: Set(false),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .unwrap();

    let month = adal_schools::reports::previous(month_of(demo_day(now)));
    adal_schools::reports::schedule(&app.db, month)
        .await
        .unwrap();
    let queued = job::Entity::find()
        .filter(job::Column::Kind.eq(adal_schools::reports::JOB))
        .one(&app.db)
        .await
        .unwrap()
        .expect("the month's job is queued");
    let runner = adal_server::wiring::jobs(app.db.clone(), &app.settings);
    assert_eq!(
        runner.run_job(queued.id).await.unwrap(),
        Some(Outcome::Completed)
    );

    let reports = school_report::Entity::find()
        .filter(school_report::Column::Month.eq(month))
        .all(&app.db)
        .await
        .unwrap();
    let mut of_school: Vec<&str> = reports
        .iter()
        .filter(|r| r.school_id == Some(school))
        .map(|r| r.kind.as_str())
        .collect();
    of_school.sort_unstable();
    assert_eq!(of_school, ["attendance_school", "meals_school"]);
    assert!(
        reports.iter().all(|r| r.school_id != Some(employer.id)),
        "no report for a school with no members"
    );
    let regions = reports.iter().filter(|r| r.region_kato.is_some()).count();
    assert!(regions >= 1, "the school's region has its report");
}
