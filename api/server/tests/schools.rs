#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail by panicking
//! Schools: the school's list and cards, devices that upload late or twice, attendance and
//! meals as the school and the parents see them, one free meal a day across tills, allergen
//! blocks and their overrides, balances topped up by signed records, who eats free under the
//! region's policy in force.

use crate::common;

use adal_core::settings::Secret;
use adal_notifications::webhooks::signed_headers;
use adal_schools::demo::demo_day;
use adal_schools::rules::{hhmm, local_day};
use adal_testkit::TestApp;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use common::*;
use entities::{account, audit_event, notification_message, school_event, school_meal};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};
use serde_json::{Value, json};

const SCHOOL_BIN: &str = "020140001689";
const PAYMENTS_SECRET: &str = "payments-webhook-secret";
const LIST_HEADER: &str = "kind;iin;last_name;first_name;middle_name;class;position";

const UPLOAD: &str = "mutation($e: [SchoolEventInput!]!) { uploadSchoolEvents(events: $e) { lastSeq answers { seq status code late clockSuspect mealId charge price ground balance allergens } } }";
const IMPORT: &str = "mutation($s: ID!, $csv: String!) { importSchoolList(schoolId: $s, csv: $csv) { created updated unchanged rejected { line reason } } }";
const ISSUE: &str = "mutation($s: ID!, $p: ID!, $u: String!) { issueSchoolCard(schoolId: $s, personId: $p, uid: $u) { id status uidMasked } }";
const ATTENDANCE: &str = "query($p: ID!, $f: NaiveDate!, $t: NaiveDate!) { pupilAttendance(personId: $p, from: $f, to: $t) { date firstEntry lastExit firstEntryLocal lastExitLocal late absent } }";
const MEALS: &str = "query($p: ID!, $f: NaiveDate!, $t: NaiveDate!) { pupilMeals(personId: $p, from: $f, to: $t) { id personId day servedAtLocal charge ground price cost late allergensServed dishes { nameEn } } }";
const ELIGIBILITY: &str = "query($p: ID!, $d: NaiveDate) { mealEligibility(personId: $p, day: $d) { charge ground reducedPrice grade } }";
const BALANCE: &str = "query($p: ID!) { schoolBalance(personId: $p) { amount entries { amount balanceAfter kind } } }";

/// An IIN with a valid check digit: birth date, century and sex, the first serial from
/// `serial` that has one.
fn iin(birth: &str, century_sex: char, serial: u32) -> String {
    (serial..serial + 1000)
        .find_map(|n| {
            adal_core::identifiers::with_check_digit(&format!(
                "{birth}{century_sex}{:04}",
                n % 10_000
            ))
        })
        .unwrap()
}

/// The demo card of a member: `04A1` and their person id in six hexadecimal digits.
fn demo_card(person: &str) -> String {
    format!("04A1{:06X}", person.parse::<i64>().unwrap())
}

/// Now, to the second (a device's clock has no finer grain).
fn now_s() -> DateTime<Utc> {
    DateTime::from_timestamp(Utc::now().timestamp(), 0).unwrap()
}

fn time(v: &Value) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(v.as_str().unwrap())
        .unwrap()
        .with_timezone(&Utc)
}

/// The id of the child of the signed-in parent with this first name.
async fn child(app: &TestApp, parent: &str, first_name: &str) -> String {
    let r = gql(
        app,
        Some(parent),
        "{ myChildren { id firstName } }",
        json!({}),
    )
    .await;
    r.ok()["myChildren"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["firstName"] == first_name)
        .unwrap_or_else(|| panic!("no child {first_name}: {}", r.body))["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

async fn account_of(app: &TestApp, login: &str) -> account::Model {
    account::Entity::find()
        .filter(account::Column::Login.eq(login))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
}

/// The dish of the school's canteen with this English name.
async fn dish(app: &TestApp, staff: &str, school: &str, name_en: &str) -> String {
    let r = gql(
        app,
        Some(staff),
        "query($s: ID!) { schoolDishes(schoolId: $s) { id nameEn allergens price } }",
        json!({ "s": school }),
    )
    .await;
    r.ok()["schoolDishes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["nameEn"] == name_en)
        .unwrap_or_else(|| panic!("no dish {name_en}"))["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// The next sequence number of the school's device with this name, as its administrator sees
/// the devices.
async fn next_seq(app: &TestApp, school_admin: &str, school: &str, name: &str) -> i64 {
    let r = gql(
        app,
        Some(school_admin),
        "query($s: ID!) { schoolDevices(schoolId: $s) { name lastSeq } }",
        json!({ "s": school }),
    )
    .await;
    r.ok()["schoolDevices"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["name"] == name)
        .unwrap_or_else(|| panic!("no device {name}: {}", r.body))["lastSeq"]
        .as_i64()
        .unwrap()
        + 1
}

fn pass(seq: i64, kind: &str, card: &str, at: DateTime<Utc>) -> Value {
    json!({ "seq": seq, "kind": kind, "credential": card, "at": at.to_rfc3339() })
}

fn meal(seq: i64, card: &str, at: DateTime<Utc>, dishes: &[&str]) -> Value {
    json!({ "seq": seq, "kind": "MEAL", "credential": card, "at": at.to_rfc3339(), "dishIds": dishes })
}

/// Uploads a batch as a device; returns the batch's answer.
async fn upload(app: &TestApp, device: &str, events: Vec<Value>) -> Value {
    let r = gql(app, Some(device), UPLOAD, json!({ "e": events })).await;
    r.ok()["uploadSchoolEvents"].clone()
}

/// The messages queued with this purpose about this pupil, oldest first.
async fn messages_about(
    app: &TestApp,
    purpose: &str,
    pupil: &str,
) -> Vec<notification_message::Model> {
    notification_message::Entity::find()
        .filter(notification_message::Column::Purpose.eq(purpose))
        .filter(notification_message::Column::SubjectId.eq(pupil.parse::<i64>().unwrap()))
        .order_by_asc(notification_message::Column::Id)
        .all(&app.db)
        .await
        .unwrap()
}

/// Posts a top-up as the payment side does, signed with `secret`: the status and the body.
async fn top_up(app: &TestApp, secret: &str, body: &Value) -> (u16, Value) {
    let raw = body.to_string();
    let [(t, ts), (g, sig)] = signed_headers(secret, raw.as_bytes());
    let resp = reqwest::Client::new()
        .post(format!("{}/schools/topups", app.address))
        .header(t, ts)
        .header(g, sig)
        .header("content-type", "application/json")
        .body(raw)
        .send()
        .await
        .unwrap();
    let status = resp.status().as_u16();
    let text = resp.text().await.unwrap();
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

/// Adds a pupil to the school's list (the school's administrator imports one line) and returns
/// their person id.
async fn new_pupil(app: &TestApp, school_admin: &str, school: &str, line: &str) -> String {
    let r = gql(
        app,
        Some(school_admin),
        IMPORT,
        json!({ "s": school, "csv": format!("{LIST_HEADER}\n{line}") }),
    )
    .await;
    assert_eq!(
        r.ok()["importSchoolList"],
        json!({ "created": 1, "updated": 0, "unchanged": 0, "rejected": [] })
    );
    let iin = line.split(';').nth(1).unwrap();
    let person = entities::person::Entity::find()
        .filter(entities::person::Column::Iin.eq(iin))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    person.id.to_string()
}

async fn issue_card(app: &TestApp, staff: &str, school: &str, person: &str, uid: &str) -> Value {
    let r = gql(
        app,
        Some(staff),
        ISSUE,
        json!({ "s": school, "p": person, "u": uid }),
    )
    .await;
    r.ok()["issueSchoolCard"].clone()
}

#[tokio::test(flavor = "multi_thread")]
async fn every_school_operation_admits_exactly_its_roles() {
    let app = spawn_app_with_demo().await;
    let school = org_id(&app, SCHOOL_BIN).await;
    let day = demo_day(Utc::now()).to_string();
    const STAFF: &[&str] = &["school.admin", "school.staff", "teacher.parent"];
    const ADMIN: &[&str] = &["school.admin"];
    const PARENT: &[&str] = &["parent", "teacher.parent"];
    const STAFF_OR_PARENT: &[&str] = &["school.admin", "school.staff", "parent", "teacher.parent"];
    const STAFF_PARENT_OR_PUPIL: &[&str] = &[
        "school.admin",
        "school.staff",
        "parent",
        "teacher.parent",
        "pupil",
    ];
    const PARENT_OR_PUPIL: &[&str] = &["parent", "teacher.parent", "pupil"];
    const DEVICE: &[&str] = &["demo-turnstile"];
    const AKIMAT: &[&str] = &["akimat"];
    let sd = json!({ "s": school, "d": day });
    let s = json!({ "s": school });
    let d = json!({ "d": day });
    // Mutations name a school, person, card or meal that does not exist ("999"), so the
    // allowed callers pass the access check and change nothing. The turnstile re-sends its
    // first event of the demo day: a duplicate, stored once already.
    let ops = vec![
        Op { name: "schoolProfile", query: "query($s: ID!) { schoolProfile(schoolId: $s) { lessonsStart } }".into(), variables: s.clone(), allowed: STAFF },
        Op { name: "schoolClasses", query: "query($s: ID!) { schoolClasses(schoolId: $s) { id } }".into(), variables: s.clone(), allowed: STAFF },
        Op { name: "schoolMembers", query: "query($s: ID!) { schoolMembers(schoolId: $s) { id } }".into(), variables: s.clone(), allowed: STAFF },
        Op { name: "schoolCards", query: "query($s: ID!) { schoolCards(schoolId: $s, personId: \"999\") { id } }".into(), variables: s.clone(), allowed: STAFF },
        Op { name: "schoolDevices", query: "query($s: ID!) { schoolDevices(schoolId: $s) { id } }".into(), variables: s.clone(), allowed: STAFF },
        Op { name: "pupilSchools", query: "{ pupilSchools(personId: \"999\") { schoolId } }".into(), variables: json!({}), allowed: STAFF_PARENT_OR_PUPIL },
        Op { name: "tillPupil", query: "query($s: ID!) { tillPupil(schoolId: $s, credential: \"04FFFFFF\") { refused } }".into(), variables: s.clone(), allowed: STAFF },
        Op { name: "serveAtTill", query: "mutation { serveAtTill(schoolId: \"999\", meal: {deviceId: \"999\", seq: 1, credential: \"04FFFFFF\", dishIds: []}) { status } }".into(), variables: json!({}), allowed: STAFF },
        Op { name: "setSchoolDishPhoto", query: "mutation($file: Upload!) { setSchoolDishPhoto(schoolId: \"999\", dishId: \"999\", photo: $file) { id } }".into(), variables: json!({ "file": null }), allowed: STAFF },
        Op { name: "setSchoolMemberPhoto", query: "mutation { setSchoolMemberPhoto(schoolId: \"999\", personId: \"999\") { id } }".into(), variables: json!({}), allowed: STAFF },
        Op { name: "schoolEvents", query: "query($s: ID!, $d: NaiveDate!) { schoolEvents(schoolId: $s, day: $d, flaggedOnly: true) { id } }".into(), variables: sd.clone(), allowed: STAFF },
        Op { name: "schoolAttendance", query: "query($s: ID!, $d: NaiveDate!) { schoolAttendance(schoolId: $s, day: $d) { day { late } } }".into(), variables: sd.clone(), allowed: STAFF },
        Op { name: "pupilAttendance", query: "query($d: NaiveDate!) { pupilAttendance(personId: \"999\", from: $d, to: $d) { date } }".into(), variables: d.clone(), allowed: STAFF_OR_PARENT },
        Op { name: "schoolMenu", query: "query($s: ID!, $d: NaiveDate!) { schoolMenu(schoolId: $s, day: $d) { id } }".into(), variables: sd.clone(), allowed: &[ANONYMOUS] },
        Op { name: "schoolDishes", query: "query($s: ID!) { schoolDishes(schoolId: $s) { id } }".into(), variables: s.clone(), allowed: STAFF },
        Op { name: "schoolMeals", query: "query($s: ID!, $d: NaiveDate!) { schoolMeals(schoolId: $s, day: $d) { id } }".into(), variables: sd.clone(), allowed: STAFF },
        Op { name: "pupilMeals", query: "query($d: NaiveDate!) { pupilMeals(personId: \"999\", from: $d, to: $d) { id } }".into(), variables: d.clone(), allowed: STAFF_PARENT_OR_PUPIL },
        Op { name: "mealEligibility", query: "{ mealEligibility(personId: \"999\") { charge } }".into(), variables: json!({}), allowed: STAFF_OR_PARENT },
        Op { name: "mealPolicies", query: "{ mealPolicies(regionKato: \"710000000\") { version } }".into(), variables: json!({}), allowed: &[ANONYMOUS] },
        Op { name: "mealGrounds", query: "{ mealGrounds(personId: \"999\") { id } }".into(), variables: json!({}), allowed: STAFF_OR_PARENT },
        Op { name: "allergenBlocks", query: "{ allergenBlocks(childId: \"999\") }".into(), variables: json!({}), allowed: STAFF_OR_PARENT },
        Op { name: "allergenOverrides", query: "{ allergenOverrides(childId: \"999\") { id } }".into(), variables: json!({}), allowed: STAFF_OR_PARENT },
        Op { name: "schoolIdConsents", query: "{ schoolIdConsents(childId: \"999\") { id } }".into(), variables: json!({}), allowed: PARENT },
        Op { name: "schoolBalance", query: "{ schoolBalance(personId: \"999\") { amount } }".into(), variables: json!({}), allowed: STAFF_OR_PARENT },
        Op { name: "schoolNoticePreferences", query: "{ schoolNoticePreferences(childId: \"999\") { kinds } }".into(), variables: json!({}), allowed: PARENT },
        Op { name: "schoolMealRatings", query: "query($s: ID!, $d: NaiveDate!) { schoolMealRatings(schoolId: $s, from: $d, to: $d) { weeks { ratings } } }".into(), variables: sd.clone(), allowed: STAFF },
        Op { name: "schoolReports", query: "query($s: ID!) { schoolReports(schoolId: $s, month: 202611) { id } }".into(), variables: s.clone(), allowed: STAFF },
        Op { name: "regionMealReports", query: "{ regionMealReports(regionKato: \"710000000\", month: 202611) { id } }".into(), variables: json!({}), allowed: AKIMAT },
        Op { name: "schoolWalletTransfers", query: "query($s: ID!) { schoolWalletTransfers(schoolId: $s) { mealId } }".into(), variables: s.clone(), allowed: STAFF },
        Op { name: "saveSchoolProfile", query: "mutation { saveSchoolProfile(schoolId: \"999\", input: {lessonsStart: \"08:30\", lateGraceMinutes: 5, allowCredit: false, creditLimit: 0}) { lessonsStart } }".into(), variables: json!({}), allowed: ADMIN },
        Op { name: "importSchoolList", query: IMPORT.into(), variables: json!({ "s": "999", "csv": LIST_HEADER }), allowed: ADMIN },
        Op { name: "removeSchoolMember", query: "mutation { removeSchoolMember(schoolId: \"999\", personId: \"999\") }".into(), variables: json!({}), allowed: ADMIN },
        Op { name: "issueSchoolCard", query: ISSUE.into(), variables: json!({ "s": "999", "p": "999", "u": "04FFFFFF" }), allowed: STAFF },
        Op { name: "blockSchoolCard", query: "mutation { blockSchoolCard(cardId: \"999\", reason: \"lost\") { id } }".into(), variables: json!({}), allowed: STAFF },
        Op { name: "setSchoolIdConsent", query: "mutation { setSchoolIdConsent(childId: \"999\", method: QR, given: true) { id } }".into(), variables: json!({}), allowed: PARENT },
        Op { name: "issueSchoolAlternativeId", query: "mutation { issueSchoolAlternativeId(schoolId: \"999\", personId: \"999\", method: PIN) { code } }".into(), variables: json!({}), allowed: STAFF },
        Op { name: "pupilLogins", query: "{ pupilLogins(schoolId: \"999\") { login } }".into(), variables: json!({}), allowed: ADMIN },
        Op { name: "issuePupilLogin", query: "mutation { issuePupilLogin(schoolId: \"999\", personId: \"999\") { login } }".into(), variables: json!({}), allowed: ADMIN },
        Op { name: "withdrawPupilLogin", query: "mutation { withdrawPupilLogin(schoolId: \"999\", personId: \"999\") }".into(), variables: json!({}), allowed: ADMIN },
        Op { name: "registerSchoolDevice", query: "mutation { registerSchoolDevice(schoolId: \"999\", kind: TILL, name: \"Till\", clientId: \"matrix-till\") { clientSecret } }".into(), variables: json!({}), allowed: ADMIN },
        Op { name: "uploadSchoolEvents", query: UPLOAD.into(), variables: json!({ "e": [pass(1, "ENTRY", "04A1000001", now_s())] }), allowed: DEVICE },
        Op { name: "saveSchoolDish", query: "mutation { saveSchoolDish(schoolId: \"999\", input: {nameKk: \"Палау\", nameRu: \"Плов\", nameEn: \"Pilaf\", price: 650, portion: \"250 g\", allergens: []}) { id } }".into(), variables: json!({}), allowed: STAFF },
        Op { name: "setSchoolMenu", query: "mutation($d: NaiveDate!) { setSchoolMenu(schoolId: \"999\", day: $d, dishIds: []) { id } }".into(), variables: d.clone(), allowed: STAFF },
        Op { name: "publishMealPolicy", query: "mutation { publishMealPolicy(input: {regionKato: \"999\", validFrom: \"2027-01-01\", freeCategories: [], reduced: [], mealCost: 650}) { id } }".into(), variables: json!({}), allowed: AKIMAT },
        Op { name: "recordMealGround", query: "mutation { recordMealGround(schoolId: \"999\", personId: \"999\", input: {category: \"large_family\", validFrom: \"2026-09-01\", evidence: \"certificate\"}) { id } }".into(), variables: json!({}), allowed: ADMIN },
        Op { name: "endMealGround", query: "mutation { endMealGround(groundId: \"999\", on: \"2026-12-31\", reason: \"no longer\") { id } }".into(), variables: json!({}), allowed: ADMIN },
        Op { name: "setAllergenBlocks", query: "mutation { setAllergenBlocks(childId: \"999\", allergens: [MILK]) }".into(), variables: json!({}), allowed: PARENT },
        Op { name: "liftAllergenBlock", query: "mutation { liftAllergenBlock(schoolId: \"999\", childId: \"999\", allergen: MILK, reason: \"a doctor's note\") { id } }".into(), variables: json!({}), allowed: STAFF },
        Op { name: "rateSchoolMeal", query: "mutation { rateSchoolMeal(mealId: \"999\", score: 5) { id } }".into(), variables: json!({}), allowed: PARENT_OR_PUPIL },
        Op { name: "prepareSchoolReport", query: "mutation { prepareSchoolReport(schoolId: \"999\", month: 202611, kind: MEALS_SCHOOL) { newVersion } }".into(), variables: json!({}), allowed: ADMIN },
        Op { name: "prepareRegionMealReport", query: "mutation { prepareRegionMealReport(regionKato: \"999\", month: 202611) { newVersion } }".into(), variables: json!({}), allowed: AKIMAT },
        Op { name: "retryWalletTransfer", query: "mutation { retryWalletTransfer(mealId: \"999\") { mealId } }".into(), variables: json!({}), allowed: STAFF },
        Op { name: "setSchoolNoticePreferences", query: "mutation { setSchoolNoticePreferences(childId: \"999\", kinds: [ENTRY], smsKinds: []) { kinds } }".into(), variables: json!({}), allowed: PARENT },
    ];
    let failures = role_matrix(&app, &ops).await;
    assert!(failures.is_empty(), "{failures:#?}");
}

/// The school's day of the demo: who came when, who was late, what the devices refused; the
/// parents see the same facts of their own children, and only of theirs.
#[tokio::test(flavor = "multi_thread")]
async fn the_demo_school_day_reads_the_same_for_the_school_and_the_parents() {
    let app = spawn_app_with_demo().await;
    let day = demo_day(Utc::now());
    let school = org_id(&app, SCHOOL_BIN).await;
    let staff = token(&app, "school.staff").await;
    let parent = token(&app, "parent").await;
    let teacher = token(&app, "teacher.parent").await;
    let alikhan = child(&app, &parent, "Әлихан").await;
    let aruzhan = child(&app, &parent, "Аружан").await;
    let sofya = child(&app, &teacher, "Софья").await;

    // The school's register of the day.
    let r = gql(
        &app,
        Some(&staff),
        "query($s: ID!, $d: NaiveDate!) { schoolAttendance(schoolId: $s, day: $d) { member { personId kind name } day { date firstEntry lastExit firstEntryLocal lastExitLocal late absent } } }",
        json!({ "s": school, "d": day }),
    )
    .await;
    let rows = r.ok()["schoolAttendance"].as_array().unwrap().clone();
    let row = |person: &str| {
        rows.iter()
            .find(|r| r["member"]["personId"] == person)
            .unwrap_or_else(|| panic!("no row of {person}"))["day"]
            .clone()
    };
    let a = row(&alikhan);
    assert_eq!(
        (
            &a["firstEntryLocal"],
            &a["lastExitLocal"],
            &a["late"],
            &a["absent"]
        ),
        (
            &json!("07:50"),
            &json!("13:30"),
            &json!(false),
            &json!(false)
        ),
        "Әлихан came first and left at 13:30 with his new card: {a}"
    );
    assert!(
        rows.iter().all(|r| r["day"]["absent"] == false),
        "everyone on the list came: {rows:#?}"
    );
    // Lessons start at 08:30 with five minutes' grace: the two pupils who came at 08:41 and
    // after are late, nobody else.
    let late: Vec<&Value> = rows.iter().filter(|r| r["day"]["late"] == true).collect();
    assert_eq!(late.len(), 2, "{late:#?}");
    for r in &late {
        assert_eq!(r["member"]["kind"], "PUPIL");
        assert!(
            r["day"]["firstEntryLocal"].as_str().unwrap() >= "08:41",
            "{r}"
        );
    }
    for r in rows.iter().filter(|r| r["day"]["late"] == false) {
        assert!(
            r["day"]["firstEntryLocal"].as_str().unwrap() <= "08:35",
            "{r}"
        );
    }

    // What went wrong that day: the lost card at the turnstile, the milk porridge at the till,
    // and the second till's meals that reached Adal late. Nothing else.
    let r = gql(
        &app,
        Some(&staff),
        "query($s: ID!, $d: NaiveDate!) { schoolEvents(schoolId: $s, day: $d, flaggedOnly: true) { kind personId refused late clockSuspect } }",
        json!({ "s": school, "d": day }),
    )
    .await;
    let flagged: Vec<(String, String, Option<String>, bool)> = r.ok()["schoolEvents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            assert_eq!(e["clockSuspect"], false, "{e}");
            (
                e["kind"].as_str().unwrap().to_owned(),
                e["personId"].as_str().unwrap().to_owned(),
                e["refused"].as_str().map(str::to_owned),
                e["late"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        flagged,
        vec![
            (
                "MEAL".into(),
                aruzhan.clone(),
                Some("ALLERGEN_BLOCKED".into()),
                false
            ),
            (
                "EXIT".into(),
                alikhan.clone(),
                Some("CARD_BLOCKED".into()),
                false
            ),
            ("MEAL".into(), sofya.clone(), None, true),
            ("MEAL".into(), sofya.clone(), None, true),
        ]
    );

    // Аружан's mother sees the day the school sees.
    let r = gql(
        &app,
        Some(&parent),
        ATTENDANCE,
        json!({ "p": aruzhan, "f": day, "t": day }),
    )
    .await;
    let days = r.ok()["pupilAttendance"].as_array().unwrap().clone();
    assert_eq!(days.len(), 1);
    assert_eq!(days[0], row(&aruzhan));
    assert_eq!(days[0]["date"], day.to_string());
    assert!(days[0]["firstEntry"].is_string() && days[0]["lastExit"].is_string());
    // One meal: the pilaf after the porridge was refused, free as she is in grade 3.
    let r = gql(
        &app,
        Some(&parent),
        MEALS,
        json!({ "p": aruzhan, "f": day, "t": day }),
    )
    .await;
    let meals = r.ok()["pupilMeals"].as_array().unwrap().clone();
    assert_eq!(meals.len(), 1, "{meals:#?}");
    let m = &meals[0];
    assert_eq!(
        (&m["charge"], &m["ground"], &m["price"], &m["cost"]),
        (&json!("FREE"), &json!("grade_1_4"), &json!(0), &json!(650))
    );
    assert_eq!(
        m["dishes"],
        json!([{ "nameEn": "Pilaf" }, { "nameEn": "Fruit compote" }])
    );
    assert_eq!(m["allergensServed"], json!([]));
    let r = gql(
        &app,
        Some(&staff),
        "query($s: ID!, $d: NaiveDate!) { schoolMeals(schoolId: $s, day: $d) { id personId charge ground price } }",
        json!({ "s": school, "d": day }),
    )
    .await;
    let at_school: Vec<Value> = r.ok()["schoolMeals"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|x| x["personId"] == aruzhan)
        .cloned()
        .collect();
    assert_eq!(
        at_school,
        vec![
            json!({ "id": m["id"], "personId": aruzhan, "charge": "FREE", "ground": "grade_1_4", "price": 0 })
        ]
    );
    // Another family's child is not found for her.
    let r = gql(
        &app,
        Some(&parent),
        ATTENDANCE,
        json!({ "p": sofya, "f": day, "t": day }),
    )
    .await;
    assert_eq!(r.code().as_deref(), Some("NOT_FOUND"));

    // Софья's balance: 5000 topped up, a free meal at the first till, then 600 and 200 paid at
    // the second till (uploaded late). Her mother, who teaches at the school, and the school
    // see 4200.
    let mine = gql(&app, Some(&teacher), BALANCE, json!({ "p": sofya })).await;
    let theirs = gql(&app, Some(&staff), BALANCE, json!({ "p": sofya })).await;
    assert_eq!(mine.ok()["schoolBalance"]["amount"], 4200);
    assert_eq!(mine.ok()["schoolBalance"], theirs.ok()["schoolBalance"]);
    let entries: Vec<(i64, &str)> = mine.ok()["schoolBalance"]["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["amount"].as_i64().unwrap(), e["kind"].as_str().unwrap()))
        .collect();
    assert_eq!(
        entries,
        vec![(-200, "meal"), (-600, "meal"), (5000, "topup")]
    );
    let r = gql(
        &app,
        Some(&teacher),
        MEALS,
        json!({ "p": sofya, "f": day, "t": day }),
    )
    .await;
    let sofya_meals: Vec<(String, i64, bool)> = r.ok()["pupilMeals"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["charge"].as_str().unwrap().to_owned(),
                m["price"].as_i64().unwrap(),
                m["late"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        sofya_meals,
        vec![
            ("FREE".into(), 0, false),
            ("PAID".into(), 600, true),
            ("PAID".into(), 200, true)
        ]
    );
}

/// A turnstile that was offline for a day uploads what it saw: the entry lands on the day it
/// happened, marked late, and the parent is told it came late; a re-sent batch is answered as
/// the first time and stored once; a time in the future is a clock fault, kept out of
/// attendance and untold.
#[tokio::test(flavor = "multi_thread")]
async fn a_device_offline_for_a_day_uploads_late_and_a_resent_batch_is_stored_once() {
    let app = spawn_app_with_demo().await;
    let school = org_id(&app, SCHOOL_BIN).await;
    let operator = token(&app, "admin").await;
    let school_admin = token(&app, "school.admin").await;
    let staff = token(&app, "school.staff").await;
    let parent = token(&app, "parent").await;

    // Айгүл's third child joins grade 1 (the registry links him to her).
    let yerzhan = new_pupil(
        &app,
        &school_admin,
        &school,
        &format!(
            "pupil;{};Нұрланов;Ержан;Ерланұлы;1А;",
            iin("190415", '5', 5101)
        ),
    )
    .await;
    let aigul = account_of(&app, "parent").await.person_id.unwrap();
    let r = gql(
        &app,
        Some(&operator),
        "mutation($p: ID!, $c: ID!) { linkGuardian(parentId: $p, childId: $c) { id } }",
        json!({ "p": aigul.to_string(), "c": yerzhan }),
    )
    .await;
    r.ok();
    assert_eq!(child(&app, &parent, "Ержан").await, yerzhan);
    let card = "04E1A2B3C4";
    let issued = issue_card(&app, &staff, &school, &yerzhan, card).await;
    assert_eq!(issued["status"], "ACTIVE");
    assert_eq!(issued["uidMasked"], "••••••B3C4");

    // The back door's turnstile, registered by the school's administrator.
    let r = gql(
        &app,
        Some(&school_admin),
        "mutation($s: ID!) { registerSchoolDevice(schoolId: $s, kind: TURNSTILE, name: \"Turnstile, back door\", clientId: \"School1-Back-Door\") { device { id kind lastSeq } clientId clientSecret } }",
        json!({ "s": school }),
    )
    .await;
    let reg = r.ok()["registerSchoolDevice"].clone();
    assert_eq!(reg["device"]["kind"], "TURNSTILE");
    assert_eq!(reg["device"]["lastSeq"], 0);
    assert_eq!(reg["clientId"], "school1-back-door");
    let device_id: i64 = reg["device"]["id"].as_str().unwrap().parse().unwrap();
    let device = client_token(
        &app,
        reg["clientId"].as_str().unwrap(),
        reg["clientSecret"].as_str().unwrap(),
    )
    .await;
    // It was installed a week ago: times before its registration are clock faults, so the
    // registration moves back to when the device really started.
    {
        use sea_orm::{ActiveModelTrait, IntoActiveModel, Set};
        let d = entities::school_device::Entity::find_by_id(device_id)
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        let mut am = d.into_active_model();
        am.registered_at = Set(Utc::now() - Duration::days(7));
        am.update(&app.db).await.unwrap();
    }

    let now = now_s();
    let yesterday = now - Duration::hours(26);
    let ahead = now + Duration::hours(1);
    let before_install = now - Duration::days(8);
    let batch = vec![
        pass(1, "ENTRY", card, yesterday),
        pass(2, "ENTRY", card, ahead),
        pass(3, "ENTRY", card, before_install),
    ];
    let first = upload(&app, &device, batch.clone()).await;
    assert_eq!(first["lastSeq"], 3);
    let timing: Vec<(&str, bool, bool)> = first["answers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["status"].as_str().unwrap(),
                a["late"].as_bool().unwrap(),
                a["clockSuspect"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        timing,
        vec![
            ("STORED", true, false),
            ("STORED", false, true),
            ("STORED", false, true)
        ]
    );
    let stored = || async {
        school_event::Entity::find()
            .filter(school_event::Column::DeviceId.eq(device_id))
            .count(&app.db)
            .await
            .unwrap()
    };
    assert_eq!(stored().await, 3);

    // The answer to the batch was lost: the device sends it again.
    let again = upload(&app, &device, batch).await;
    assert_eq!(again["lastSeq"], 3);
    let answers = again["answers"].as_array().unwrap();
    assert_eq!(answers.len(), 3);
    for (a, f) in answers.iter().zip(first["answers"].as_array().unwrap()) {
        assert_eq!(a["status"], "DUPLICATE", "{a}");
        assert_eq!(
            (&a["seq"], &a["late"], &a["clockSuspect"], &a["code"]),
            (&f["seq"], &f["late"], &f["clockSuspect"], &f["code"])
        );
    }
    assert_eq!(stored().await, 3, "nothing stored twice");
    let r = gql(
        &app,
        Some(&school_admin),
        "query($s: ID!) { schoolDevices(schoolId: $s) { id lastSeq lastSeenAt } }",
        json!({ "s": school }),
    )
    .await;
    let seen = r.ok()["schoolDevices"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["id"] == reg["device"]["id"])
        .unwrap()
        .clone();
    assert_eq!(seen["lastSeq"], 3);
    assert!(seen["lastSeenAt"].is_string());

    // Yesterday's entry is in his attendance on its day; the clock fault of the next hour is
    // not.
    let (d0, d1) = (local_day(yesterday), local_day(ahead));
    let r = gql(
        &app,
        Some(&parent),
        ATTENDANCE,
        json!({ "p": yerzhan, "f": d0, "t": d1 }),
    )
    .await;
    let days = r.ok()["pupilAttendance"].as_array().unwrap().clone();
    let on = |d: NaiveDate| {
        days.iter()
            .find(|x| x["date"] == d.to_string())
            .unwrap()
            .clone()
    };
    assert_eq!(time(&on(d0)["firstEntry"]), yesterday);
    assert_eq!(on(d0)["firstEntryLocal"], hhmm(yesterday));
    assert_eq!(on(d0)["absent"], false);
    assert!(on(d1)["firstEntry"].is_null(), "{:?}", on(d1));
    let entries_seen: usize = days.iter().filter(|x| x["firstEntry"].is_string()).count();
    assert_eq!(entries_seen, 1, "{days:#?}");

    // Айгүл was told once, in Kazakh, that he came in yesterday at that time and that the
    // device sent it late; of the clock faults, nothing.
    let told = messages_about(&app, "school_entry", &yerzhan).await;
    assert_eq!(told.len(), 1, "{told:#?}");
    let m = &told[0];
    assert_eq!(m.person_id, Some(aigul));
    assert_eq!(m.language, "kk");
    let body = m.body.clone().unwrap();
    assert!(
        body.contains("Ержан") && body.contains(&hhmm(yesterday)),
        "{body}"
    );
    assert!(body.contains("кеш"), "the notice says it came late: {body}");
}

/// Two tills read one card at the same second: one meal is the day's free one, the other is
/// paid from the balance that the payment side topped up (a top-up sent twice counts once).
#[tokio::test(flavor = "multi_thread")]
async fn two_tills_serving_one_card_at_the_same_moment_give_one_free_meal() {
    let app = adal_testkit::spawn_app_with_demo_and(|s| {
        s.payments_webhook_secret = Some(Secret::new(PAYMENTS_SECRET));
    })
    .await;
    let school = org_id(&app, SCHOOL_BIN).await;
    let school_admin = token(&app, "school.admin").await;
    let staff = token(&app, "school.staff").await;
    let pupil_iin = iin("190614", '6', 6101);
    let pupil = new_pupil(
        &app,
        &school_admin,
        &school,
        &format!("pupil;{pupil_iin};Ким;Дана;;2В;"),
    )
    .await;
    let card = "04D2D3D4D5";
    issue_card(&app, &staff, &school, &pupil, card).await;

    // The payment side tops up 2000 tenge, then sends the same record again.
    let record = json!({ "reference": "kaspi-2026-77001", "iin": pupil_iin, "amount": 2000,
                         "paidAt": (Utc::now() - Duration::hours(1)).to_rfc3339() });
    assert_eq!(
        top_up(&app, PAYMENTS_SECRET, &record).await,
        (200, json!({ "credited": true, "balance": 2000 }))
    );
    assert_eq!(
        top_up(&app, PAYMENTS_SECRET, &record).await,
        (200, json!({ "credited": false, "balance": 2000 }))
    );
    // A record signed with another key is refused and credits nothing.
    let forged = json!({ "reference": "kaspi-2026-77002", "iin": pupil_iin, "amount": 50000,
                         "paidAt": Utc::now().to_rfc3339() });
    assert_eq!(top_up(&app, "not-the-secret", &forged).await.0, 401);
    let r = gql(&app, Some(&staff), BALANCE, json!({ "p": pupil })).await;
    assert_eq!(r.ok()["schoolBalance"]["amount"], 2000);

    // Pilaf and compote, 800 tenge, at both tills at once.
    let pilaf = dish(&app, &staff, &school, "Pilaf").await;
    let compote = dish(&app, &staff, &school, "Fruit compote").await;
    let seq1 = next_seq(&app, &school_admin, &school, "Canteen till 1").await;
    let seq2 = next_seq(&app, &school_admin, &school, "Canteen till 2").await;
    let till1 = client_token(&app, "demo-till-1", "demo-till-1-secret").await;
    let till2 = client_token(&app, "demo-till-2", "demo-till-2-secret").await;
    let at = now_s();
    let (a, b) = tokio::join!(
        upload(
            &app,
            &till1,
            vec![meal(seq1, card, at, &[&pilaf, &compote])]
        ),
        upload(
            &app,
            &till2,
            vec![meal(seq2, card, at, &[&pilaf, &compote])]
        ),
    );
    let mut served: Vec<Value> = vec![a["answers"][0].clone(), b["answers"][0].clone()];
    served.sort_by_key(|x| x["charge"].as_str().map(str::to_owned));
    for s in &served {
        assert_eq!(s["status"], "STORED", "{s}");
        assert_eq!(s["late"], false);
    }
    let (free, paid) = (&served[0], &served[1]);
    assert_eq!(
        (&free["charge"], &free["ground"], &free["price"]),
        (&json!("FREE"), &json!("grade_1_4"), &json!(0))
    );
    assert_eq!(
        (
            &paid["charge"],
            &paid["ground"],
            &paid["price"],
            &paid["balance"]
        ),
        (&json!("PAID"), &Value::Null, &json!(800), &json!(1200))
    );

    let day = local_day(at);
    let rows = school_meal::Entity::find()
        .filter(school_meal::Column::PersonId.eq(pupil.parse::<i64>().unwrap()))
        .filter(school_meal::Column::Day.eq(day))
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(rows.len(), 2);
    let free_rows: Vec<_> = rows.iter().filter(|m| m.free_day.is_some()).collect();
    assert_eq!(free_rows.len(), 1, "{rows:#?}");
    assert_eq!(free_rows[0].free_day, Some(day));
    assert_eq!(free_rows[0].charge, "free");

    let r = gql(&app, Some(&staff), BALANCE, json!({ "p": pupil })).await;
    let b = &r.ok()["schoolBalance"];
    assert_eq!(b["amount"], 1200);
    assert_eq!(
        b["entries"],
        json!([{ "amount": -800, "balanceAfter": 1200, "kind": "meal" },
               { "amount": 2000, "balanceAfter": 2000, "kind": "topup" }])
    );
}

/// A parent's milk block refuses the porridge at the till, naming the allergen; the school lifts
/// it with a reason (recorded, and the parent told); the porridge is then served with the
/// allergen named. A block the parent adds later refuses a dish with eggs.
#[tokio::test(flavor = "multi_thread")]
async fn an_allergen_block_refuses_the_dish_until_the_school_lifts_it_with_a_reason() {
    let app = adal_testkit::spawn_app_with_demo_and(|s| {
        s.payments_webhook_secret = Some(Secret::new(PAYMENTS_SECRET));
    })
    .await;
    let school = org_id(&app, SCHOOL_BIN).await;
    let school_admin = token(&app, "school.admin").await;
    let staff = token(&app, "school.staff").await;
    let parent = token(&app, "parent").await;
    let aruzhan = child(&app, &parent, "Аружан").await;
    let aigul = account_of(&app, "parent").await.person_id.unwrap();
    let card = demo_card(&aruzhan);
    // Money on her balance, so that a second meal today (after the demo's free one, when the
    // demo day is today) is served too.
    let aruzhan_iin = entities::person::Entity::find_by_id(aruzhan.parse::<i64>().unwrap())
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .iin;
    let (status, _) = top_up(
        &app,
        PAYMENTS_SECRET,
        &json!({ "reference": "kaspi-aruzhan-1", "iin": aruzhan_iin, "amount": 1000,
                 "paidAt": Utc::now().to_rfc3339() }),
    )
    .await;
    assert_eq!(status, 200);

    let porridge = dish(&app, &staff, &school, "Milk porridge").await;
    let fish = dish(&app, &staff, &school, "Fish cutlet").await;
    let till = client_token(&app, "demo-till-1", "demo-till-1-secret").await;
    let seq = next_seq(&app, &school_admin, &school, "Canteen till 1").await;

    let r = upload(&app, &till, vec![meal(seq, &card, now_s(), &[&porridge])]).await;
    let a = &r["answers"][0];
    assert_eq!(
        (&a["status"], &a["code"], &a["allergens"], &a["mealId"]),
        (
            &json!("REFUSED"),
            &json!("ALLERGEN_BLOCKED"),
            &json!(["MILK"]),
            &Value::Null
        )
    );

    // A doctor's note: milk is allowed again. The school's staff lift the block.
    let reason = "Справка педиатра №52 от 01.12: молочные продукты разрешены";
    let r = gql(
        &app,
        Some(&staff),
        "mutation($s: ID!, $c: ID!, $r: String!) { liftAllergenBlock(schoolId: $s, childId: $c, allergen: MILK, reason: $r) { id allergen reason validTo } }",
        json!({ "s": school, "c": aruzhan, "r": reason }),
    )
    .await;
    let o = r.ok()["liftAllergenBlock"].clone();
    assert_eq!(
        (&o["allergen"], &o["reason"]),
        (&json!("MILK"), &json!(reason))
    );
    let staff_account = account_of(&app, "school.staff").await.id;
    let audit = audit_event::Entity::find()
        .filter(audit_event::Column::Action.eq("school.allergen_override"))
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(audit.len(), 1);
    assert_eq!(audit[0].actor_account_id, Some(staff_account));
    assert_eq!(audit[0].subject_id, aruzhan);
    assert!(
        audit[0].details.contains("молочные"),
        "{}",
        audit[0].details
    );
    let told = messages_about(&app, "school_allergen_override", &aruzhan).await;
    assert!(!told.is_empty());
    for m in &told {
        assert_eq!(m.person_id, Some(aigul));
        assert_eq!(m.language, "kk");
        let body = m.body.clone().unwrap();
        assert!(body.contains("milk") && body.contains(reason), "{body}");
    }
    assert!(told.iter().any(|m| m.channel == "push"), "{told:#?}");
    // The parent sees the override and its reason.
    let r = gql(
        &app,
        Some(&parent),
        "query($c: ID!) { allergenOverrides(childId: $c) { id allergen reason } allergenBlocks(childId: $c) }",
        json!({ "c": aruzhan }),
    )
    .await;
    assert_eq!(
        r.ok()["allergenOverrides"],
        json!([{ "id": o["id"], "allergen": "MILK", "reason": reason }])
    );
    assert_eq!(r.ok()["allergenBlocks"], json!(["MILK"]));

    // The same porridge is served now, the allergen named.
    let r = upload(
        &app,
        &till,
        vec![meal(seq + 1, &card, now_s(), &[&porridge])],
    )
    .await;
    let a = &r["answers"][0];
    assert_eq!(a["status"], "STORED", "{a}");
    assert_eq!(a["code"], Value::Null);
    assert_eq!(a["allergens"], json!(["MILK"]));
    assert!(a["mealId"].is_string());

    // The parent adds eggs: the fish cutlet (fish, gluten, eggs) is refused for the eggs.
    let r = gql(
        &app,
        Some(&parent),
        "mutation($c: ID!) { setAllergenBlocks(childId: $c, allergens: [MILK, EGGS]) }",
        json!({ "c": aruzhan }),
    )
    .await;
    assert_eq!(r.ok()["setAllergenBlocks"], json!(["EGGS", "MILK"]));
    let r = upload(&app, &till, vec![meal(seq + 2, &card, now_s(), &[&fish])]).await;
    let a = &r["answers"][0];
    assert_eq!(
        (&a["status"], &a["code"], &a["allergens"]),
        (
            &json!("REFUSED"),
            &json!("ALLERGEN_BLOCKED"),
            &json!(["EGGS"])
        )
    );
}

/// A lost card is blocked: the turnstile refuses it with `CARD_BLOCKED`, and its UID is never
/// issued again. Another school's staff cannot even find it.
#[tokio::test(flavor = "multi_thread")]
async fn a_lost_card_is_refused_at_the_turnstile_and_never_issued_again() {
    let app = spawn_app_with_demo().await;
    let school = org_id(&app, SCHOOL_BIN).await;
    let zhaltyr = org_id(&app, "Zhaltyr secondary").await;
    assert_ne!(school, zhaltyr);
    let operator = token(&app, "admin").await;
    let school_admin = token(&app, "school.admin").await;
    let staff = token(&app, "school.staff").await;
    let teacher = token(&app, "teacher.parent").await;
    let sofya = child(&app, &teacher, "Софья").await;
    let uid = demo_card(&sofya);

    // A teacher of the Zhaltyr school.
    let r = gql(
        &app,
        Some(&operator),
        "mutation($i: CreateAccountInput!) { createAccount(input: $i) { id } }",
        json!({ "i": { "login": "zhaltyr.staff", "password": "long-enough-pw", "roles": [{ "role": "SCHOOL_STAFF", "organisationId": zhaltyr }] } }),
    )
    .await;
    r.ok();
    let r = gql(
        &app,
        None,
        LOGIN,
        json!({ "l": "zhaltyr.staff", "p": "long-enough-pw" }),
    )
    .await;
    let other = r.ok()["login"]["accessToken"].as_str().unwrap().to_owned();

    let cards = |who: String| {
        let (app, school, sofya) = (&app, school.clone(), sofya.clone());
        async move {
            gql(
                app,
                Some(&who),
                "query($s: ID!, $p: ID!) { schoolCards(schoolId: $s, personId: $p) { id kind status uidMasked blockReason } }",
                json!({ "s": school, "p": sofya }),
            )
            .await
        }
    };
    let r = cards(staff.clone()).await;
    let list = r.ok()["schoolCards"].as_array().unwrap().clone();
    assert_eq!(list.len(), 1, "{list:#?}");
    let card_id = list[0]["id"].as_str().unwrap().to_owned();
    assert_eq!(list[0]["status"], "ACTIVE");
    assert!(
        list[0]["uidMasked"]
            .as_str()
            .unwrap()
            .ends_with(&uid[uid.len() - 4..])
    );

    // The other school sees neither the card nor the school's list, and cannot block it.
    assert_eq!(
        cards(other.clone()).await.code().as_deref(),
        Some("NOT_FOUND")
    );
    let block = "mutation($c: ID!, $r: String!) { blockSchoolCard(cardId: $c, reason: $r) { id status blockReason } }";
    let r = gql(
        &app,
        Some(&other),
        block,
        json!({ "c": card_id, "r": "lost" }),
    )
    .await;
    assert_eq!(r.code().as_deref(), Some("NOT_FOUND"));
    assert_eq!(
        cards(staff.clone()).await.ok()["schoolCards"][0]["status"],
        "ACTIVE"
    );

    // Her own school blocks it: lost on the way home.
    let r = gql(
        &app,
        Some(&staff),
        block,
        json!({ "c": card_id, "r": "lost on the way home" }),
    )
    .await;
    assert_eq!(
        r.ok()["blockSchoolCard"],
        json!({ "id": card_id, "status": "BLOCKED", "blockReason": "lost on the way home" })
    );

    // Whoever found it cannot pass the turnstile with it.
    let turnstile = client_token(&app, "demo-turnstile", "demo-turnstile-secret").await;
    let seq = next_seq(&app, &school_admin, &school, "Turnstile, main entrance").await;
    let r = upload(&app, &turnstile, vec![pass(seq, "ENTRY", &uid, now_s())]).await;
    assert_eq!(
        (&r["answers"][0]["status"], &r["answers"][0]["code"]),
        (&json!("REFUSED"), &json!("CARD_BLOCKED"))
    );

    // The UID is never issued again, however it is written.
    for written in [
        uid.clone(),
        uid.to_lowercase(),
        format!("{}:{}", &uid[..4], &uid[4..]),
    ] {
        let r = gql(
            &app,
            Some(&staff),
            ISSUE,
            json!({ "s": school, "p": sofya, "u": written }),
        )
        .await;
        assert_eq!(r.code().as_deref(), Some("CONFLICT"), "{}", r.body);
        assert_eq!(r.body["errors"][0]["extensions"]["reason"], "CARD_IN_USE");
    }
    // A new card lets her in.
    let new = issue_card(&app, &staff, &school, &sofya, "04F0F1F2F3").await;
    assert_eq!(new["status"], "ACTIVE");
    let r = upload(
        &app,
        &turnstile,
        vec![pass(seq + 1, "ENTRY", "04F0F1F2F3", now_s())],
    )
    .await;
    assert_eq!(r["answers"][0]["status"], "STORED");
    assert_eq!(r["answers"][0]["code"], Value::Null);
}

/// The school's list: a line with a bad IIN is rejected with its number, the others are
/// taken; the same list again changes nothing.
#[tokio::test(flavor = "multi_thread")]
async fn the_school_list_names_each_bad_line_and_imports_once() {
    let app = spawn_app_with_demo().await;
    let school = org_id(&app, SCHOOL_BIN).await;
    let school_admin = token(&app, "school.admin").await;
    let good = iin("200311", '6', 7101);
    // The same digits with another check digit.
    let last = good.chars().last().unwrap().to_digit(10).unwrap();
    let bad = format!("{}{}", &good[..11], (last + 1) % 10);
    let csv = format!(
        "{LIST_HEADER}\n\
         pupil;{good};Сейітова;Алина;;2А;\n\
         pupil;{bad};Омаров;Арман;;6В;\n\
         staff;{};Ким;Ольга;Викторовна;;music teacher\n\
         pupil;{};Ли;Тимур;;6В;\n",
        iin("880210", '4', 7201),
        iin("140501", '5', 7301),
    );
    let members = || async {
        entities::school_member::Entity::find()
            .count(&app.db)
            .await
            .unwrap()
    };
    let before = members().await;

    let r = gql(
        &app,
        Some(&school_admin),
        IMPORT,
        json!({ "s": school, "csv": csv }),
    )
    .await;
    let report = r.ok()["importSchoolList"].clone();
    assert_eq!(
        (&report["created"], &report["updated"], &report["unchanged"]),
        (&json!(3), &json!(0), &json!(0))
    );
    let rejected = report["rejected"].as_array().unwrap();
    assert_eq!(rejected.len(), 1, "{rejected:#?}");
    assert_eq!(rejected[0]["line"], 3);
    assert!(
        rejected[0]["reason"]
            .as_str()
            .unwrap()
            .contains("check digit"),
        "{}",
        rejected[0]
    );
    assert_eq!(members().await, before + 3);
    // The classes named were created with their grades; 6В holds Тимур.
    let r = gql(
        &app,
        Some(&school_admin),
        "query($s: ID!) { schoolClasses(schoolId: $s) { id name grade } }",
        json!({ "s": school }),
    )
    .await;
    let classes = r.ok()["schoolClasses"].as_array().unwrap().clone();
    let class = |name: &str| {
        classes
            .iter()
            .find(|c| c["name"] == name)
            .unwrap_or_else(|| panic!("no class {name}"))
            .clone()
    };
    assert_eq!(class("2А")["grade"], 2);
    assert_eq!(class("6В")["grade"], 6);
    let r = gql(
        &app,
        Some(&school_admin),
        "query($s: ID!, $c: ID) { schoolMembers(schoolId: $s, kind: PUPIL, classId: $c) { name kind } }",
        json!({ "s": school, "c": class("6В")["id"] }),
    )
    .await;
    assert_eq!(
        r.ok()["schoolMembers"],
        json!([{ "name": "Ли Тимур", "kind": "PUPIL" }])
    );

    // The same list again.
    let r = gql(
        &app,
        Some(&school_admin),
        IMPORT,
        json!({ "s": school, "csv": csv }),
    )
    .await;
    let again = r.ok()["importSchoolList"].clone();
    assert_eq!(
        (&again["created"], &again["updated"], &again["unchanged"]),
        (&json!(0), &json!(0), &json!(3))
    );
    assert_eq!(again["rejected"], report["rejected"]);
    assert_eq!(members().await, before + 3, "no new memberships");
    let r = gql(
        &app,
        Some(&school_admin),
        "query($s: ID!) { schoolClasses(schoolId: $s) { id } }",
        json!({ "s": school }),
    )
    .await;
    assert_eq!(
        r.ok()["schoolClasses"].as_array().unwrap().len(),
        classes.len()
    );
}

/// Who eats free: Әлихан on the region's large-family ground, Софья by her grade; the rules are
/// public; a new version of the region's policy from tomorrow without the large-family ground
/// leaves today as it was and makes Әлихан pay from tomorrow.
#[tokio::test(flavor = "multi_thread")]
async fn who_eats_free_follows_the_policy_version_in_force_on_the_day() {
    let app = spawn_app_with_demo().await;
    let parent = token(&app, "parent").await;
    let teacher = token(&app, "teacher.parent").await;
    let akimat = token(&app, "akimat").await;
    let alikhan = child(&app, &parent, "Әлихан").await;
    let sofya = child(&app, &teacher, "Софья").await;
    let today = local_day(Utc::now());
    let tomorrow = today + Duration::days(1);

    let eligibility = |who: String, child: String, day: NaiveDate| {
        let app = &app;
        async move {
            let r = gql(
                app,
                Some(&who),
                ELIGIBILITY,
                json!({ "p": child, "d": day }),
            )
            .await;
            r.ok()["mealEligibility"].clone()
        }
    };
    assert_eq!(
        eligibility(parent.clone(), alikhan.clone(), today).await,
        json!({ "charge": "FREE", "ground": "large_family", "reducedPrice": null, "grade": 5 })
    );
    let sofya_free =
        json!({ "charge": "FREE", "ground": "grade_1_4", "reducedPrice": null, "grade": 4 });
    assert_eq!(
        eligibility(teacher.clone(), sofya.clone(), today).await,
        sofya_free
    );

    // The rules are open to anyone.
    let policies = || async {
        gql(
            &app,
            None,
            "{ mealPolicies(regionKato: \"710000000\") { version validFrom freeCategories reduced { category price } mealCost } }",
            json!({}),
        )
        .await
        .ok()["mealPolicies"]
            .clone()
    };
    let list = policies().await;
    assert_eq!(list.as_array().unwrap().len(), 1, "{list}");
    assert_eq!(list[0]["version"], 1);
    assert_eq!(list[0]["mealCost"], 650);
    assert_eq!(list[0]["freeCategories"], json!(["large_family"]));
    assert_eq!(
        list[0]["reduced"],
        json!([{ "category": "low_income", "price": 300 }])
    );

    // The akimat drops the large-family ground from tomorrow (and cannot publish for another
    // region).
    let publish = "mutation($i: MealPolicyInput!) { publishMealPolicy(input: $i) { version validFrom freeCategories mealCost } }";
    let input = |region: &str| {
        json!({ "i": { "regionKato": region, "validFrom": tomorrow, "freeCategories": [],
                        "reduced": [{ "category": "low_income", "price": 300 }], "mealCost": 700 } })
    };
    let r = gql(&app, Some(&akimat), publish, input("110000000")).await;
    assert_eq!(r.code().as_deref(), Some("NOT_FOUND"));
    let r = gql(&app, Some(&akimat), publish, input("710000000")).await;
    assert_eq!(
        r.ok()["publishMealPolicy"],
        json!({ "version": 2, "validFrom": tomorrow.to_string(), "freeCategories": [], "mealCost": 700 })
    );
    let versions: Vec<i64> = policies()
        .await
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["version"].as_i64().unwrap())
        .collect();
    assert_eq!(
        versions,
        vec![2, 1],
        "the first version stays, newest first"
    );

    assert_eq!(
        eligibility(parent.clone(), alikhan.clone(), today).await["charge"],
        "FREE"
    );
    assert_eq!(
        eligibility(parent.clone(), alikhan.clone(), tomorrow).await,
        json!({ "charge": "PAID", "ground": null, "reducedPrice": null, "grade": 5 })
    );
    // The law's ground does not depend on the region.
    assert_eq!(
        eligibility(teacher.clone(), sofya.clone(), tomorrow).await,
        sofya_free
    );
}

const TILL_PUPIL: &str = "query($s: ID!, $c: String!) { tillPupil(schoolId: $s, credential: $c) { refused member { name class { name } } charge ground subsidisedUsed blockedAllergens balance } }";
const SERVE_AT_TILL: &str = "mutation($s: ID!, $m: TillMealInput!) { serveAtTill(schoolId: $s, meal: $m) { seq status code mealId charge price ground allergens } }";

async fn till_pupil(app: &TestApp, staff: &str, school: &str, credential: &str) -> Value {
    let r = gql(
        app,
        Some(staff),
        TILL_PUPIL,
        json!({ "s": school, "c": credential }),
    )
    .await;
    r.ok()["tillPupil"].clone()
}

async fn serve_at_till(app: &TestApp, staff: &str, school: &str, meal: &Value) -> Reply {
    gql(
        app,
        Some(staff),
        SERVE_AT_TILL,
        json!({ "s": school, "m": meal }),
    )
    .await
}

/// The canteen till in a browser: staff read a card and see the pupil and how they eat before
/// serving; a meal goes through the devices' own path (a re-sent meal is answered as the
/// first time, a blocked allergen refuses it until the school lifts the block); a turnstile
/// is no till, and another school's staff cannot use this school's till.
#[tokio::test(flavor = "multi_thread")]
async fn a_browser_till_shows_the_pupil_first_and_serves_through_the_tills_path() {
    let app = spawn_app_with_demo().await;
    let school = org_id(&app, SCHOOL_BIN).await;
    let school_admin = token(&app, "school.admin").await;
    let staff = token(&app, "school.staff").await;
    let parent = token(&app, "parent").await;
    let devices = gql(
        &app,
        Some(&staff),
        "query($s: ID!) { schoolDevices(schoolId: $s) { id name kind lastSeq } }",
        json!({ "s": school }),
    )
    .await;
    let device = |name: &str| {
        devices.ok()["schoolDevices"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["name"] == name)
            .unwrap()
            .clone()
    };
    let till = device("Canteen till 2");
    let turnstile = device("Turnstile, main entrance");
    let seq = till["lastSeq"].as_i64().unwrap() + 1;

    // A new pupil of grade 2 with a new card: the till shows her free meal and its ground.
    let pupil = new_pupil(
        &app,
        &school_admin,
        &school,
        &format!(
            "pupil;{};Серікова;Дана;Асқарқызы;2А;",
            iin("180322", '6', 8101)
        ),
    )
    .await;
    let uid = "04B2C3D4E6F7";
    issue_card(&app, &staff, &school, &pupil, uid).await;
    assert_eq!(
        till_pupil(&app, &staff, &school, "04:b2:c3:d4:e6:f7").await,
        json!({ "refused": null, "member": { "name": "Серікова Дана Асқарқызы", "class": { "name": "2А" } },
                "charge": "FREE", "ground": "grade_1_4", "subsidisedUsed": false,
                "blockedAllergens": [], "balance": 0 })
    );
    let pilaf = dish(&app, &staff, &school, "Pilaf").await;
    let meal = json!({ "deviceId": till["id"], "seq": seq, "credential": uid, "dishIds": [pilaf] });
    let first = serve_at_till(&app, &staff, &school, &meal).await;
    let served = first.ok()["serveAtTill"].clone();
    assert_eq!(
        (
            &served["status"],
            &served["charge"],
            &served["price"],
            &served["ground"]
        ),
        (
            &json!("STORED"),
            &json!("FREE"),
            &json!(0),
            &json!("grade_1_4")
        )
    );
    // The answer was lost and the page sends the same meal again: the first answer, one meal.
    let again = serve_at_till(&app, &staff, &school, &meal).await;
    assert_eq!(again.ok()["serveAtTill"]["status"], "DUPLICATE");
    assert_eq!(again.ok()["serveAtTill"]["mealId"], served["mealId"]);
    let stored = school_meal::Entity::find()
        .filter(school_meal::Column::PersonId.eq(pupil.parse::<i64>().unwrap()))
        .count(&app.db)
        .await
        .unwrap();
    assert_eq!(stored, 1);
    // Her second meal of the day is hers to pay, and the till says so before serving.
    let r = till_pupil(&app, &staff, &school, uid).await;
    assert_eq!(
        (&r["charge"], &r["subsidisedUsed"], &r["ground"]),
        (&json!("PAID"), &json!(true), &Value::Null)
    );

    // Аружан's parent blocked milk: the till shows it, and the porridge is refused, the
    // allergen named, until the staff lift the block with a reason.
    let aruzhan = child(&app, &parent, "Аружан").await;
    let card = demo_card(&aruzhan);
    let r = till_pupil(&app, &staff, &school, &card).await;
    assert_eq!(r["blockedAllergens"], json!(["MILK"]));
    let porridge = dish(&app, &staff, &school, "Milk porridge").await;
    let meal = json!({ "deviceId": till["id"], "seq": seq + 1, "credential": card, "dishIds": [porridge] });
    let r = serve_at_till(&app, &staff, &school, &meal).await;
    assert_eq!(
        (
            &r.ok()["serveAtTill"]["status"],
            &r.ok()["serveAtTill"]["code"],
            &r.ok()["serveAtTill"]["allergens"]
        ),
        (
            &json!("REFUSED"),
            &json!("ALLERGEN_BLOCKED"),
            &json!(["MILK"])
        )
    );
    gql(
        &app,
        Some(&staff),
        "mutation($s: ID!, $c: ID!) { liftAllergenBlock(schoolId: $s, childId: $c, allergen: MILK, reason: \"Справка педиатра: молоко можно\") { id } }",
        json!({ "s": school, "c": aruzhan }),
    )
    .await
    .ok();
    let r = till_pupil(&app, &staff, &school, &card).await;
    assert_eq!(r["blockedAllergens"], json!([]));

    // Unknown and blocked cards are named before any dish is chosen.
    let r = till_pupil(&app, &staff, &school, "04FFFFFFFF").await;
    assert_eq!(r["refused"], "UNKNOWN_CARD");
    assert_eq!(r["member"], Value::Null);

    // The turnstile is no till.
    let meal = json!({ "deviceId": turnstile["id"], "seq": 999_999, "credential": uid, "dishIds": [pilaf] });
    let r = serve_at_till(&app, &staff, &school, &meal).await;
    assert_eq!(r.code().as_deref(), Some("BAD_USER_INPUT"), "{}", r.body);

    // The parent sees the school of each child, and nothing of a child not theirs.
    let r = gql(
        &app,
        Some(&parent),
        "query($p: ID!) { pupilSchools(personId: $p) { schoolId name member { class { name } } } }",
        json!({ "p": aruzhan }),
    )
    .await;
    assert_eq!(r.ok()["pupilSchools"][0]["schoolId"], json!(school));
    assert_eq!(r.ok()["pupilSchools"][0]["member"]["class"]["name"], "3Б");
    let r = gql(
        &app,
        Some(&parent),
        "query($p: ID!) { pupilSchools(personId: $p) { schoolId } }",
        json!({ "p": pupil }),
    )
    .await;
    assert_eq!(r.code().as_deref(), Some("NOT_FOUND"), "{}", r.body);
}

/// A dish's photo: staff upload a picture (a PNG or JPEG, as its own bytes prove), the menu
/// shows its address, anyone may load it; a file that is not a picture is refused, and no
/// other stored document is served at that address.
#[tokio::test(flavor = "multi_thread")]
async fn a_dish_photo_is_uploaded_by_staff_and_shown_with_the_public_menu() {
    let app = spawn_app_with_demo().await;
    let school = org_id(&app, SCHOOL_BIN).await;
    let staff = token(&app, "school.staff").await;
    let pilaf = dish(&app, &staff, &school, "Pilaf").await;
    const PHOTO: &str = "mutation($s: ID!, $d: ID!, $file: Upload!) { setSchoolDishPhoto(schoolId: $s, dishId: $d, photo: $file) { id photoUrl } }";
    let png =
        b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89".to_vec();
    let r = gql_upload(
        &app,
        &staff,
        PHOTO,
        json!({ "s": school, "d": pilaf, "file": null }),
        vec![("variables.file", "pilaf.png", png.clone())],
    )
    .await;
    let url = r.ok()["setSchoolDishPhoto"]["photoUrl"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(url.starts_with("/schools/dish-photos/"), "{url}");
    let resp = reqwest::get(format!("{}{url}", app.address)).await.unwrap();
    assert_eq!(resp.status().as_u16(), 200);
    assert_eq!(resp.headers()["content-type"], "image/png");
    assert_eq!(resp.bytes().await.unwrap().to_vec(), png);
    // The public menu carries the address.
    let dishes = gql(
        &app,
        Some(&staff),
        "query($s: ID!) { schoolDishes(schoolId: $s) { id photoUrl } }",
        json!({ "s": school }),
    )
    .await;
    let shown = dishes.ok()["schoolDishes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["id"] == json!(pilaf))
        .unwrap()["photoUrl"]
        .clone();
    assert_eq!(shown, json!(url));

    // A PDF is no picture.
    let r = gql_upload(
        &app,
        &staff,
        PHOTO,
        json!({ "s": school, "d": pilaf, "file": null }),
        vec![("variables.file", "menu.pdf", b"%PDF-1.4\n%%EOF\n".to_vec())],
    )
    .await;
    assert_eq!(r.code().as_deref(), Some("BAD_USER_INPUT"), "{}", r.body);
    // A checksum no dish shows is not served, whatever the store holds.
    let other = "0".repeat(64);
    let resp = reqwest::get(format!("{}/schools/dish-photos/{other}", app.address))
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 404);
}

/// The operator words the school notices: once a template for entries is saved, a parent's
/// notice of an entry is that template with the entry's time, in the parent's language; until
/// then Adal's own text.
#[tokio::test(flavor = "multi_thread")]
async fn the_operators_template_words_the_parents_notice_of_an_entry() {
    let app = spawn_app_with_demo().await;
    let school = org_id(&app, SCHOOL_BIN).await;
    let operator = token(&app, "admin").await;
    let school_admin = token(&app, "school.admin").await;
    let parent = token(&app, "parent").await;
    let aruzhan = child(&app, &parent, "Аружан").await;
    let turnstile = client_token(&app, "demo-turnstile", "demo-turnstile-secret").await;
    let seq = next_seq(&app, &school_admin, &school, "Turnstile, main entrance").await;

    let r = gql(
        &app,
        Some(&operator),
        "mutation($i: TemplateInput!) { saveTemplate(input: $i) { id } }",
        json!({ "i": {
            "code": "school_entry_2026",
            "purpose": "SCHOOL_ENTRY",
            "subjectKk": "Мектеп", "subjectRu": "Школа", "subjectEn": "School",
            "bodyKk": "{child_name} мектепте, {time}{late_note}. Adal",
            "bodyRu": "{child_name} в школе, {time}{late_note}. Adal",
            "bodyEn": "{child_name} is at school, {time}{late_note}. Adal",
        } }),
    )
    .await;
    let template: i64 = r.ok()["saveTemplate"]["id"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    let at = now_s();
    let r = upload(
        &app,
        &turnstile,
        vec![pass(seq, "ENTRY", &demo_card(&aruzhan), at)],
    )
    .await;
    assert_eq!(r["answers"][0]["status"], "STORED", "{r}");
    let told: Vec<_> = messages_about(&app, "school_entry", &aruzhan)
        .await
        .into_iter()
        .filter(|m| m.template_id.is_some())
        .collect();
    assert!(!told.is_empty());
    for m in &told {
        assert_eq!(m.template_id, Some(template));
        assert_eq!(m.language, "kk");
        assert_eq!(m.subject.as_deref(), Some("Мектеп"));
        assert_eq!(
            m.body.as_deref(),
            Some(format!("Аружан мектепте, {}. Adal", hhmm(at)).as_str())
        );
    }
}

const MEMBER_PHOTO: &str = "mutation($s: ID!, $p: ID!, $file: Upload) { setSchoolMemberPhoto(schoolId: $s, personId: $p, photo: $file) { hasPhoto photo } }";

/// A pupil's photo for the till: staff add a picture (PNG or JPEG, as its own bytes prove),
/// the till shows it beside the name inside its answer (never at an address of its own), and
/// the school can take it away; a file that is not a picture, or a person not on the list, is
/// refused.
#[tokio::test(flavor = "multi_thread")]
async fn a_pupils_photo_is_kept_by_the_school_and_shown_at_the_till() {
    use base64::Engine as _;
    let app = spawn_app_with_demo().await;
    let school = org_id(&app, SCHOOL_BIN).await;
    let school_admin = token(&app, "school.admin").await;
    let staff = token(&app, "school.staff").await;
    let pupil = new_pupil(
        &app,
        &school_admin,
        &school,
        &format!(
            "pupil;{};Оспанова;Мира;Ерланқызы;2А;",
            iin("180415", '6', 8201)
        ),
    )
    .await;
    let uid = "04C2C3D4E6F8";
    issue_card(&app, &staff, &school, &pupil, uid).await;
    const PHOTO_AT_TILL: &str = "query($s: ID!, $c: String!) { tillPupil(schoolId: $s, credential: $c) { member { name hasPhoto photo } } }";
    let at_till = || async {
        gql(
            &app,
            Some(&staff),
            PHOTO_AT_TILL,
            json!({ "s": school, "c": uid }),
        )
        .await
        .ok()["tillPupil"]["member"]
            .clone()
    };
    assert_eq!(
        at_till().await,
        json!({ "name": "Оспанова Мира Ерланқызы", "hasPhoto": false, "photo": null })
    );

    let png =
        b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89".to_vec();
    let r = gql_upload(
        &app,
        &staff,
        MEMBER_PHOTO,
        json!({ "s": school, "p": pupil, "file": null }),
        vec![("variables.file", "mira.png", png.clone())],
    )
    .await;
    let photo = r.ok()["setSchoolMemberPhoto"]["photo"]
        .as_str()
        .unwrap()
        .to_owned();
    let encoded = photo
        .strip_prefix("data:image/png;base64,")
        .unwrap_or_else(|| panic!("not a PNG data address: {photo:.40}"));
    assert_eq!(
        base64::engine::general_purpose::STANDARD
            .decode(encoded)
            .unwrap(),
        png
    );
    let member = at_till().await;
    assert_eq!(
        (&member["hasPhoto"], &member["photo"]),
        (&json!(true), &json!(photo))
    );
    // Showing it at the till is a read of her personal data, on the trail.
    let read = audit_event::Entity::find()
        .filter(audit_event::Column::Action.eq("personal_data.read"))
        .filter(audit_event::Column::SubjectId.eq(pupil.as_str()))
        .order_by_desc(audit_event::Column::Id)
        .one(&app.db)
        .await
        .unwrap()
        .expect("the read of her photo is recorded");
    let details: Value = serde_json::from_str(&read.details).unwrap();
    assert_eq!(details["fields"], json!(["name", "photo"]));

    // A PDF is no photo, and the photo stays as it was.
    let r = gql_upload(
        &app,
        &staff,
        MEMBER_PHOTO,
        json!({ "s": school, "p": pupil, "file": null }),
        vec![("variables.file", "mira.pdf", b"%PDF-1.4\n%%EOF\n".to_vec())],
    )
    .await;
    assert_eq!(r.code().as_deref(), Some("BAD_USER_INPUT"), "{}", r.body);
    assert_eq!(at_till().await["photo"], json!(photo));
    // A person not on the school's list has no photo here.
    let r = gql_upload(
        &app,
        &staff,
        MEMBER_PHOTO,
        json!({ "s": school, "p": "999999", "file": null }),
        vec![("variables.file", "x.png", png.clone())],
    )
    .await;
    assert_eq!(r.code().as_deref(), Some("NOT_FOUND"), "{}", r.body);

    // Taken away: the till shows none, and the audit trail says who did each.
    let r = gql(
        &app,
        Some(&staff),
        MEMBER_PHOTO,
        json!({ "s": school, "p": pupil, "file": null }),
    )
    .await;
    assert_eq!(r.ok()["setSchoolMemberPhoto"]["hasPhoto"], false);
    assert_eq!(at_till().await["photo"], Value::Null);
    let actions: Vec<String> = audit_event::Entity::find()
        .filter(audit_event::Column::SubjectId.eq(pupil.as_str()))
        .filter(audit_event::Column::Action.starts_with("school.member_photo"))
        .order_by_asc(audit_event::Column::Id)
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect();
    assert_eq!(
        actions,
        ["school.member_photo_set", "school.member_photo_removed"]
    );
}

/// Identification without a card: the school cannot issue a QR code or PIN until the parent
/// consents; the QR code comes with its picture, and the till knows the pupil by it; the
/// parent's withdrawal blocks it at once.
#[tokio::test(flavor = "multi_thread")]
async fn a_qr_code_is_issued_only_with_the_parents_consent_and_opens_the_till() {
    use base64::Engine as _;
    let app = spawn_app_with_demo().await;
    let school = org_id(&app, SCHOOL_BIN).await;
    let staff = token(&app, "school.staff").await;
    let parent = token(&app, "parent").await;
    let aruzhan = child(&app, &parent, "Аружан").await;
    const ISSUE_ALT: &str = "mutation($s: ID!, $p: ID!, $m: SchoolIdMethod!) { issueSchoolAlternativeId(schoolId: $s, personId: $p, method: $m) { code qr card { kind status } } }";
    const CONSENT: &str = "mutation($c: ID!, $m: SchoolIdMethod!, $g: Boolean!) { setSchoolIdConsent(childId: $c, method: $m, given: $g) { method revokedAt } }";
    let issue = |method: &'static str| {
        let (app, staff, school, aruzhan) = (&app, &staff, &school, &aruzhan);
        async move {
            gql(
                app,
                Some(staff),
                ISSUE_ALT,
                json!({ "s": school, "p": aruzhan, "m": method }),
            )
            .await
        }
    };

    let r = issue("QR").await;
    assert_eq!(
        r.body["errors"][0]["extensions"]["reason"], "NO_CONSENT",
        "{}",
        r.body
    );
    let r = gql(
        &app,
        Some(&parent),
        CONSENT,
        json!({ "c": aruzhan, "m": "QR", "g": true }),
    )
    .await;
    assert_eq!(
        r.ok()["setSchoolIdConsent"],
        json!({ "method": "QR", "revokedAt": null })
    );
    let r = issue("QR").await;
    let issued = r.ok()["issueSchoolAlternativeId"].clone();
    assert_eq!(issued["card"], json!({ "kind": "QR", "status": "ACTIVE" }));
    let code = issued["code"].as_str().unwrap().to_owned();
    assert_eq!(code.len(), 32, "{code}");
    let svg = issued["qr"]
        .as_str()
        .unwrap()
        .strip_prefix("data:image/svg+xml;base64,")
        .map(|b| {
            String::from_utf8(base64::engine::general_purpose::STANDARD.decode(b).unwrap()).unwrap()
        })
        .unwrap();
    assert!(svg.contains("<svg") && svg.contains("<path"), "{svg:.200}");

    // The till knows her by the code.
    const BY_QR: &str = "query($s: ID!, $c: String!) { tillPupil(schoolId: $s, credential: $c, method: QR) { refused member { personId } } }";
    let r = gql(&app, Some(&staff), BY_QR, json!({ "s": school, "c": code })).await;
    assert_eq!(
        r.ok()["tillPupil"],
        json!({ "refused": null, "member": { "personId": aruzhan } })
    );
    // A PIN stands on its own consent (the demo's parent gave it) and has no picture.
    let r = issue("PIN").await;
    let pin = r.ok()["issueSchoolAlternativeId"].clone();
    assert_eq!(
        (pin["code"].as_str().unwrap().len(), &pin["qr"]),
        (6, &Value::Null)
    );

    // The parent withdraws: the code stops at once.
    let r = gql(
        &app,
        Some(&parent),
        CONSENT,
        json!({ "c": aruzhan, "m": "QR", "g": false }),
    )
    .await;
    assert_eq!(r.ok()["setSchoolIdConsent"], Value::Null);
    let r = gql(&app, Some(&staff), BY_QR, json!({ "s": school, "c": code })).await;
    assert_eq!(r.ok()["tillPupil"]["refused"], "CARD_BLOCKED");
}

/// A pupil signed in with the login their school issued reads their own school and meals,
/// never a classmate's or a sibling's, and rates their own meal; the meal then has its one
/// rating, and the parent's comes too late.
#[tokio::test(flavor = "multi_thread")]
async fn a_pupil_reads_and_rates_their_own_meals_only() {
    let app = spawn_app_with_demo().await;
    let day = demo_day(Utc::now());
    let parent = token(&app, "parent").await;
    let pupil = token(&app, "pupil").await;
    let aruzhan = child(&app, &parent, "Аружан").await;
    let alikhan = child(&app, &parent, "Әлихан").await;

    let r = gql(
        &app,
        Some(&pupil),
        "query($p: ID!) { pupilSchools(personId: $p) { name member { class { name } } } }",
        json!({ "p": aruzhan }),
    )
    .await;
    assert_eq!(r.ok()["pupilSchools"].as_array().map(Vec::len), Some(1));
    let mine = gql(
        &app,
        Some(&pupil),
        MEALS,
        json!({ "p": aruzhan, "f": day, "t": day }),
    )
    .await;
    let theirs = gql(
        &app,
        Some(&parent),
        MEALS,
        json!({ "p": aruzhan, "f": day, "t": day }),
    )
    .await;
    // She sees what her parent sees of her day.
    assert_eq!(mine.ok()["pupilMeals"], theirs.ok()["pupilMeals"]);
    let meal = mine.ok()["pupilMeals"][0]["id"]
        .as_str()
        .expect("the demo day has her meal")
        .to_owned();
    // Her brother's meals are not hers to read or rate.
    let r = gql(
        &app,
        Some(&pupil),
        MEALS,
        json!({ "p": alikhan, "f": day, "t": day }),
    )
    .await;
    assert_eq!(r.code().as_deref(), Some("NOT_FOUND"));
    let his = gql(
        &app,
        Some(&parent),
        MEALS,
        json!({ "p": alikhan, "f": day, "t": day }),
    )
    .await;
    let his_meal = his.ok()["pupilMeals"][0]["id"].as_str().unwrap().to_owned();
    const RATE: &str = "mutation($m: ID!, $s: Int!) { rateSchoolMeal(mealId: $m, score: $s, comment: \"Сорпа дәмді\") { id rating } }";
    let r = gql(&app, Some(&pupil), RATE, json!({ "m": his_meal, "s": 5 })).await;
    assert_eq!(r.code().as_deref(), Some("NOT_FOUND"));

    const RATED: &str = "query($p: ID!, $f: NaiveDate!, $t: NaiveDate!) { pupilMeals(personId: $p, from: $f, to: $t) { id rating ratedBy } }";
    let vars = json!({ "p": aruzhan, "f": day, "t": day });
    // Unrated, it names no one.
    let r = gql(&app, Some(&parent), RATED, vars.clone()).await;
    assert_eq!(
        r.ok()["pupilMeals"][0],
        json!({ "id": meal, "rating": null, "ratedBy": null })
    );
    let r = gql(&app, Some(&pupil), RATE, json!({ "m": meal, "s": 5 })).await;
    assert_eq!(r.ok()["rateSchoolMeal"]["rating"], 5);
    let r = gql(&app, Some(&parent), RATE, json!({ "m": meal, "s": 3 })).await;
    assert_eq!(r.code().as_deref(), Some("CONFLICT"));
    assert_eq!(r.body["errors"][0]["extensions"]["reason"], "ALREADY_RATED");

    // Each reads who gave the rating: she, her own; her parent, their child's.
    let r = gql(&app, Some(&pupil), RATED, vars.clone()).await;
    assert_eq!(
        r.ok()["pupilMeals"][0],
        json!({ "id": meal, "rating": 5, "ratedBy": "YOU" })
    );
    let r = gql(&app, Some(&parent), RATED, vars).await;
    assert_eq!(
        r.ok()["pupilMeals"][0],
        json!({ "id": meal, "rating": 5, "ratedBy": "PUPIL" })
    );
    // Her brother's meal, rated by the parent, is theirs.
    let r = gql(&app, Some(&parent), RATE, json!({ "m": his_meal, "s": 4 })).await;
    assert_eq!(r.ok()["rateSchoolMeal"]["rating"], 4);
    let r = gql(
        &app,
        Some(&parent),
        RATED,
        json!({ "p": alikhan, "f": day, "t": day }),
    )
    .await;
    assert_eq!(
        r.ok()["pupilMeals"][0],
        json!({ "id": his_meal, "rating": 4, "ratedBy": "YOU" })
    );
}

/// A parent's comment on a meal reaches the school with the meal's day, score and dishes,
/// never with who wrote it; a span of up to a year can be read.
#[tokio::test(flavor = "multi_thread")]
async fn the_school_reads_the_families_comments_without_their_names() {
    let app = spawn_app_with_demo().await;
    let day = demo_day(Utc::now());
    let school = org_id(&app, SCHOOL_BIN).await;
    let staff = token(&app, "school.staff").await;
    let parent = token(&app, "parent").await;
    let alikhan = child(&app, &parent, "Әлихан").await;
    let r = gql(
        &app,
        Some(&parent),
        MEALS,
        json!({ "p": alikhan, "f": day, "t": day }),
    )
    .await;
    let meal = r.ok()["pupilMeals"][0].clone();
    let meal_id = meal["id"].as_str().unwrap().to_owned();
    let dishes: Vec<Value> = meal["dishes"].as_array().unwrap().clone();
    gql(
        &app,
        Some(&parent),
        "mutation($m: ID!) { rateSchoolMeal(mealId: $m, score: 2, comment: \"  Палау суық болды  \") { id } }",
        json!({ "m": meal_id }),
    )
    .await
    .ok();
    const RATINGS: &str = "query($s: ID!, $f: NaiveDate!, $t: NaiveDate!) { schoolMealRatings(schoolId: $s, from: $f, to: $t) { weeks { ratings } comments { day score comment dishes { nameEn } } } }";
    let from = day - Duration::days(90);
    let r = gql(
        &app,
        Some(&staff),
        RATINGS,
        json!({ "s": school, "f": from, "t": day }),
    )
    .await;
    // Latest first: this comment, then the demo's (Мария's, on Софья's lunch).
    let comments = r.ok()["schoolMealRatings"]["comments"].clone();
    assert_eq!(
        comments[0],
        json!({ "day": day, "score": 2, "comment": "Палау суық болды", "dishes": dishes })
    );
    assert_eq!(
        (
            &comments[1]["score"],
            &comments[1]["comment"],
            comments.as_array().unwrap().len()
        ),
        (&json!(4), &json!("Палау дәмді, бірақ компот тым тәтті."), 2)
    );
    // Nothing in a comment names a person.
    let r = gql(
        &app,
        Some(&staff),
        "{ __type(name: \"SchoolMealComment\") { fields { name } } }",
        json!({}),
    )
    .await;
    assert_eq!(
        r.ok()["__type"]["fields"],
        json!([{ "name": "day" }, { "name": "score" }, { "name": "comment" }, { "name": "dishes" }])
    );
    // More than a year is refused with the field named.
    let r = gql(
        &app,
        Some(&staff),
        RATINGS,
        json!({ "s": school, "f": day - Duration::days(400), "t": day }),
    )
    .await;
    assert_eq!(r.code().as_deref(), Some("BAD_USER_INPUT"), "{}", r.body);
}
