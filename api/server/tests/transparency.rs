#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail by panicking
//! Every decision about me: a graduate and a parent see the decisions of every domain about
//! them and their children, with the rule, the reason and who decided (by role); they contest
//! one; the body that decided answers within its term, the supervising role sees what is
//! overdue, and the open figures count the cases.

use crate::common;

use chrono::Duration;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::{Value, json};

use adal_core::clock::Clock;
use adal_testkit::TestApp;
use common::{Op, get_path, gql, gql_upload, role_matrix, token};

const DECISIONS: &str = "query($p: ID) { myDecisions(personId: $p) { key kind personId personName at outcome rule reason decidedBy body figures { ruleVersion score cutoff rank creditedMonths requiredMonths amount validFrom validTo } votes { role approve reason } contest { id dueOn overdue outcome answer } } }";

async fn decisions(app: &TestApp, who: &str) -> Vec<Value> {
    let t = token(app, who).await;
    let r = gql(app, Some(&t), DECISIONS, json!({})).await;
    r.ok()["myDecisions"].as_array().unwrap().clone()
}

#[tokio::test]
async fn role_matrix_of_transparency() {
    let app = adal_testkit::spawn_app_with_demo().await;
    const CITIZENS: &[&str] = &["parent", "graduate", "teacher.parent"];
    const BODIES: &[&str] = &["admin", "commission", "akimat", "school.admin"];
    let ops = [
        Op { name: "myDecisions", query: "{ myDecisions { key } }".into(), variables: json!({}), allowed: CITIZENS },
        Op { name: "contestCases", query: "{ contestCases { totalCount } }".into(), variables: json!({}), allowed: BODIES },
        Op { name: "contestDecision", query: "mutation { contestDecision(key: \"claim:999\", statement: \"wrong\") { id } }".into(), variables: json!({}), allowed: CITIZENS },
        Op { name: "answerContest", query: "mutation { answerContest(caseId: \"999\", outcome: UPHELD, answer: \"the rule holds\") { id } }".into(), variables: json!({}), allowed: BODIES },
    ];
    let failures = role_matrix(&app, &ops).await;
    assert!(failures.is_empty(), "{failures:#?}");
}

fn find<'a>(all: &'a [Value], kind: &str, name: &str) -> &'a Value {
    all.iter()
        .find(|d| d["kind"] == kind && d["personName"] == name)
        .unwrap_or_else(|| panic!("no {kind} about {name} in {all:#?}"))
}

/// The graduate's first obligation and an application the three members decide (two for, one
/// against).
async fn commission_decides(app: &TestApp) {
    let me = token(app, "graduate").await;
    let r = gql(app, Some(&me), "{ myObligations { id } }", json!({})).await;
    let gid = r.ok()["myObligations"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let r = common::gql_upload(
        app,
        &me,
        "mutation($i: ApplicationInput!) { applyForExemption(input: $i) { id } }",
        json!({ "i": { "graduateId": gid, "ground": "MILITARY_SERVICE", "periodStart": "2026-10-01",
                       "periodEnd": "2027-09-30", "statement": "Called up", "documents": [null] } }),
        vec![("variables.i.documents.0", "повестка.pdf", b"%PDF-1.4 call-up".to_vec())],
    )
    .await;
    let id = r.ok()["applyForExemption"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    for (who, yes, why) in [
        ("commission", true, "call-up papers attached"),
        ("commission2", false, "dates unclear"),
        ("commission3", true, "service confirmed"),
    ] {
        let t = token(app, who).await;
        let r = gql(
            app,
            Some(&t),
            "mutation($a: ID!, $y: Boolean!, $r: String!) { vote(applicationId: $a, approve: $y, reason: $r) { status } }",
            json!({ "a": id, "y": yes, "r": why }),
        )
        .await;
        r.ok();
    }
}

/// The graduate sees the rules' status of their obligation and the commission's decision with
/// each vote by role; the parent sees, for each child, the akimat's ranking with the score and
/// the cut-off, its decisions on the declared categories, the school's meal ground and its
/// lifting of an allergen block, each with its reason. Nobody sees another family's.
#[tokio::test]
async fn every_decision_about_me_from_every_domain() {
    let app = adal_testkit::spawn_app_with_demo().await;
    commission_decides(&app).await;
    let school = common::org_id(&app, adal_schools::demo::SCHOOL_BIN).await;
    let parent = decisions(&app, "parent").await;
    let aruzhan = find(&parent, "VOUCHER_APPLICATION", "Аружан")["personId"].clone();
    let staff = token(&app, "school.staff").await;
    let r = gql(
        &app,
        Some(&staff),
        "mutation($s: ID!, $c: ID!) { liftAllergenBlock(schoolId: $s, childId: $c, allergen: MILK, reason: \"Справка педиатра №52\") { id } }",
        json!({ "s": school, "c": aruzhan }),
    )
    .await;
    r.ok();

    let graduate = decisions(&app, "graduate").await;
    let status = find(&graduate, "OBLIGATION_STATUS", "Дамир");
    assert_eq!(
        (&status["body"], &status["decidedBy"], &status["rule"]),
        (&json!("OPERATOR"), &Value::Null, &Value::Null)
    );
    assert_eq!(status["figures"]["requiredMonths"], 36);
    assert_eq!(status["figures"]["ruleVersion"], 1);
    let exemption = find(&graduate, "EXEMPTION", "Дамир");
    assert_eq!(
        (
            &exemption["outcome"],
            &exemption["decidedBy"],
            &exemption["body"],
            &exemption["rule"]
        ),
        (
            &json!("approved"),
            &json!("COMMISSION_MEMBER"),
            &json!("COMMISSION"),
            &json!("military_service")
        )
    );
    assert!(
        exemption["reason"]
            .as_str()
            .unwrap()
            .starts_with("2 for, 1 against")
    );
    assert_eq!(
        exemption["votes"],
        json!([
            { "role": "COMMISSION_MEMBER", "approve": true, "reason": "call-up papers attached" },
            { "role": "COMMISSION_MEMBER", "approve": false, "reason": "dates unclear" },
            { "role": "COMMISSION_MEMBER", "approve": true, "reason": "service confirmed" },
        ])
    );
    assert_eq!(
        (
            &exemption["figures"]["validFrom"],
            &exemption["figures"]["validTo"]
        ),
        (&json!("2026-10-01"), &json!("2027-09-30"))
    );
    // The newest first.
    let at = |d: &Value| d["at"].as_str().unwrap().to_owned();
    assert!(graduate.windows(2).all(|w| at(&w[0]) >= at(&w[1])));
    assert!(graduate.iter().all(|d| d["personName"] == "Дамир"));

    let parent = decisions(&app, "parent").await;
    let ranking = find(&parent, "VOUCHER_APPLICATION", "Аружан");
    assert_eq!(
        (&ranking["outcome"], &ranking["body"], &ranking["decidedBy"]),
        (&json!("issued"), &json!("AKIMAT"), &Value::Null)
    );
    let f = &ranking["figures"];
    assert!(f["score"].as_i64().unwrap() >= f["cutoff"].as_i64().unwrap());
    assert!(f["rank"].as_i64().unwrap() >= 1);
    assert_eq!(f["ruleVersion"], 1);
    assert!(
        ranking["rule"].as_str().unwrap().contains("Астана"),
        "the campaign"
    );
    let category = find(&parent, "VOUCHER_CATEGORY", "Аружан");
    assert_eq!(
        (
            &category["outcome"],
            &category["decidedBy"],
            &category["rule"]
        ),
        (
            &json!("confirmed"),
            &json!("AKIMAT_OFFICER"),
            &json!("disability")
        )
    );
    let ground = find(&parent, "MEAL_GROUND", "Әлихан");
    assert_eq!(
        (&ground["outcome"], &ground["body"], &ground["decidedBy"]),
        (
            &json!("large_family"),
            &json!("SCHOOL"),
            &json!("SCHOOL_ADMIN")
        )
    );
    assert!(ground["reason"].as_str().unwrap().contains("4471"));
    let lifted = find(&parent, "ALLERGEN_OVERRIDE", "Аружан");
    assert_eq!(
        (&lifted["outcome"], &lifted["decidedBy"], &lifted["reason"]),
        (
            &json!("milk"),
            &json!("SCHOOL_STAFF"),
            &json!("Справка педиатра №52")
        )
    );
    // Only their own children, and one of them when asked.
    assert!(
        parent
            .iter()
            .all(|d| d["personName"] == "Аружан" || d["personName"] == "Әлихан")
    );
    let t = token(&app, "parent").await;
    let r = gql(&app, Some(&t), DECISIONS, json!({ "p": aruzhan })).await;
    let only = r.ok()["myDecisions"].as_array().unwrap();
    assert!(!only.is_empty() && only.iter().all(|d| d["personName"] == "Аружан"));
    let other = find(
        &decisions(&app, "teacher.parent").await,
        "VOUCHER_APPLICATION",
        "Софья",
    )["personId"]
        .clone();
    let r = gql(&app, Some(&t), DECISIONS, json!({ "p": other })).await;
    assert_eq!(r.code().as_deref(), Some("NOT_FOUND"));
    let r = gql(
        &app,
        Some(&token(&app, "graduate").await),
        DECISIONS,
        json!({ "p": aruzhan }),
    )
    .await;
    assert_eq!(r.code().as_deref(), Some("NOT_FOUND"));
}

const CONTEST: &str = "mutation($k: String!, $s: String!) { contestDecision(key: $k, statement: $s) { id decisionKey body dueOn overdue outcome personName } }";
const CASES: &str = "query($o: Boolean, $a: Boolean) { contestCases(overdueOnly: $o, answered: $a) { totalCount nodes { id decisionKey decisionKind body personName statement dueOn overdue canAnswer outcome answer } } }";
const ANSWER: &str = "mutation($c: ID!, $o: ContestOutcome!, $a: String!) { answerContest(caseId: $c, outcome: $o, answer: $a) { id outcome answer overdue } }";

async fn cases(app: &TestApp, who: &str, overdue_only: bool, answered: bool) -> Vec<Value> {
    let t = token(app, who).await;
    let r = gql(
        app,
        Some(&t),
        CASES,
        json!({ "o": overdue_only, "a": answered }),
    )
    .await;
    r.ok()["contestCases"]["nodes"].as_array().unwrap().clone()
}

/// The demo's mother contested the akimat's ranking that left her daughter in the queue: the
/// case is on the akimat's desk, with twenty working days to answer, and on the operator's,
/// which supervises; not on the school's or the commission's. Another parent contests her
/// son's ranking. The term passes: the cases are overdue for the supervisor. The akimat
/// answers late, overturning; the answer joins the mother's timeline. A case is opened once
/// and answered once; a decision about someone else cannot be contested.
#[tokio::test]
async fn a_contest_goes_to_the_body_that_decided_and_its_answer_joins_the_timeline() {
    let clock = Clock::manual();
    let moved = clock.clone();
    let app = adal_testkit::spawn_app_with_demo_and(move |s| s.clock = moved).await;
    let mother = token(&app, "teacher.parent").await;
    let ranking = find(
        &decisions(&app, "teacher.parent").await,
        "VOUCHER_APPLICATION",
        "Софья",
    )
    .clone();
    let key = ranking["key"].as_str().unwrap().to_owned();
    assert_eq!(ranking["outcome"], "queued");
    let demo_case = ranking["contest"].clone();
    assert_eq!(
        (&demo_case["overdue"], &demo_case["outcome"]),
        (&json!(false), &Value::Null)
    );
    let r = gql(
        &app,
        Some(&mother),
        CONTEST,
        json!({ "k": key, "s": "again" }),
    )
    .await;
    assert_eq!(
        (
            r.code().as_deref(),
            r.body["errors"][0]["extensions"]["reason"].as_str()
        ),
        (Some("CONFLICT"), Some("ALREADY_CONTESTED"))
    );

    let parent = token(&app, "parent").await;
    let son = find(
        &decisions(&app, "parent").await,
        "VOUCHER_APPLICATION",
        "Әлихан",
    )["key"]
        .clone();
    let r = gql(
        &app,
        Some(&parent),
        CONTEST,
        json!({ "k": son, "s": "   " }),
    )
    .await;
    assert_eq!(r.code().as_deref(), Some("BAD_USER_INPUT"));
    let r = gql(
        &app,
        Some(&parent),
        CONTEST,
        json!({ "k": key, "s": "not mine" }),
    )
    .await;
    assert_eq!(
        r.code().as_deref(),
        Some("NOT_FOUND"),
        "another family's decision"
    );
    let statement = "Әлихан's section is full: the voucher should be for the chess club";
    let r = gql(
        &app,
        Some(&parent),
        CONTEST,
        json!({ "k": son, "s": statement }),
    )
    .await;
    let case = r.ok()["contestDecision"].clone();
    assert_eq!(
        (&case["body"], &case["overdue"], &case["outcome"]),
        (&json!("AKIMAT"), &json!(false), &Value::Null)
    );
    let today = adal_core::clock::local_day(clock.now());
    assert_eq!(
        case["dueOn"],
        json!(adal_transparency::contest::due_on(today).to_string())
    );

    // On the akimat's desk and the operator's; not the school's or the commission's.
    let desk = cases(&app, "akimat", false, false).await;
    assert_eq!(desk.len(), 2);
    let sofya = desk
        .iter()
        .find(|c| c["decisionKey"] == key.as_str())
        .unwrap();
    assert_eq!(sofya["decisionKind"], "VOUCHER_APPLICATION");
    assert_eq!(sofya["canAnswer"], true);
    let supervised = cases(&app, "admin", false, false).await;
    assert!(
        supervised.iter().all(|c| c["canAnswer"] == false),
        "the operator only supervises"
    );
    assert!(sofya["personName"].as_str().unwrap().contains("Софья"));
    assert!(sofya["statement"].as_str().unwrap().contains("учитель"));
    assert!(desk.iter().any(|c| c["statement"] == statement));
    assert_eq!(supervised.len(), 2);
    assert!(cases(&app, "school.admin", false, false).await.is_empty());
    assert!(cases(&app, "commission", false, false).await.is_empty());
    assert!(
        cases(&app, "admin", true, false).await.is_empty(),
        "not overdue yet"
    );
    // The commission cannot answer the akimat's case; the operator supervises it but does not
    // answer it.
    let id = sofya["id"].as_str().unwrap().to_owned();
    let r = gql(
        &app,
        Some(&token(&app, "commission").await),
        ANSWER,
        json!({ "c": id, "o": "UPHELD", "a": "no" }),
    )
    .await;
    assert_eq!(r.code().as_deref(), Some("NOT_FOUND"));
    let r = gql(
        &app,
        Some(&token(&app, "admin").await),
        ANSWER,
        json!({ "c": id, "o": "UPHELD", "a": "no" }),
    )
    .await;
    assert_eq!(r.code().as_deref(), Some("FORBIDDEN"));

    clock.advance(Duration::days(40));
    let overdue = cases(&app, "admin", true, false).await;
    assert_eq!(overdue.len(), 2);
    assert!(overdue.iter().all(|c| c["overdue"] == true));

    let akimat = token(&app, "akimat").await;
    let r = gql(
        &app,
        Some(&akimat),
        ANSWER,
        json!({ "c": id, "o": "OVERTURNED", "a": "  " }),
    )
    .await;
    assert_eq!(r.code().as_deref(), Some("BAD_USER_INPUT"));
    let answer = "The large family's certificate is confirmed: the application is ranked again";
    let r = gql(
        &app,
        Some(&akimat),
        ANSWER,
        json!({ "c": id, "o": "OVERTURNED", "a": answer }),
    )
    .await;
    assert_eq!(
        r.ok()["answerContest"],
        json!({ "id": id, "outcome": "OVERTURNED", "answer": answer, "overdue": true })
    );
    let r = gql(
        &app,
        Some(&akimat),
        ANSWER,
        json!({ "c": id, "o": "UPHELD", "a": "changed my mind" }),
    )
    .await;
    assert_eq!(
        r.body["errors"][0]["extensions"]["reason"],
        "ALREADY_ANSWERED"
    );
    assert_eq!(cases(&app, "akimat", false, false).await.len(), 1);
    assert_eq!(cases(&app, "akimat", false, true).await.len(), 1);

    let mine = decisions(&app, "teacher.parent").await;
    let contested = mine.iter().find(|d| d["key"] == key.as_str()).unwrap();
    assert_eq!(
        (
            &contested["contest"]["outcome"],
            &contested["contest"]["answer"],
            &contested["contest"]["overdue"]
        ),
        (&json!("OVERTURNED"), &json!(answer), &json!(true))
    );

    let actions: Vec<String> = entities::audit_event::Entity::find()
        .filter(entities::audit_event::Column::SubjectType.eq("contest_case"))
        .order_by_asc(entities::audit_event::Column::Id)
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect();
    assert_eq!(
        actions,
        ["contest.opened", "contest.opened", "contest.answered"]
    );
}

/// A school's decision goes to the school's administrator; the akimat of its region
/// supervises and sees it, but only the school answers. The open figures count the cases by
/// body, hiding counts under ten.
#[tokio::test]
async fn a_school_answers_for_its_decisions_and_the_figures_count_the_cases() {
    let app = adal_testkit::spawn_app_with_demo().await;
    let parent = token(&app, "parent").await;
    let ground = find(&decisions(&app, "parent").await, "MEAL_GROUND", "Әлихан").clone();
    let r = gql(
        &app,
        Some(&parent),
        CONTEST,
        json!({ "k": ground["key"], "s": "The ground should run to the end of the school year" }),
    )
    .await;
    let id = r.ok()["contestDecision"]["id"].as_str().unwrap().to_owned();
    assert_eq!(r.ok()["contestDecision"]["body"], "SCHOOL");
    assert_eq!(cases(&app, "school.admin", false, false).await.len(), 1);
    // The akimat supervises the school: the demo's case of its own and the school's.
    let desk = cases(&app, "akimat", false, false).await;
    assert_eq!(desk.len(), 2);
    let school_case = desk.iter().find(|c| c["id"] == id.as_str()).unwrap();
    assert_eq!(school_case["canAnswer"], false);
    let r = gql(
        &app,
        Some(&token(&app, "akimat").await),
        ANSWER,
        json!({ "c": id, "o": "UPHELD", "a": "no" }),
    )
    .await;
    assert_eq!(r.code().as_deref(), Some("FORBIDDEN"));
    let r = gql(
        &app,
        Some(&token(&app, "school.admin").await),
        ANSWER,
        json!({ "c": id, "o": "UPHELD", "a": "The certificate runs to its own date" }),
    )
    .await;
    assert_eq!(r.ok()["answerContest"]["overdue"], false);

    let r = gql(
        &app,
        None,
        "{ openFigures(language: EN) { tables { id rows { code name } columns { code } cells { persons } total { persons } } } }",
        json!({}),
    )
    .await;
    let table = r.ok()["openFigures"]["tables"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"] == "contest-cases-by-body")
        .unwrap()
        .clone();
    let rows: Vec<&str> = table["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["code"].as_str().unwrap())
        .collect();
    assert_eq!(rows, ["operator", "commission", "akimat", "school"]);
    assert_eq!(table["rows"][3]["name"], "School");
    // One case: under ten, so hidden wherever it could be read.
    let school_upheld = &table["cells"][3][2]["persons"];
    assert_eq!(table["columns"][2]["code"], "upheld");
    assert_eq!(school_upheld, &Value::Null);
    assert_eq!(table["total"]["persons"], Value::Null);
}

/// A parent bears their statement out with documents; the body that answers and its
/// supervisor download them, the parent too, nobody else.
#[tokio::test]
async fn a_contest_carries_documents_that_the_bodies_that_see_it_download() {
    let app = adal_testkit::spawn_app_with_demo().await;
    let parent = token(&app, "parent").await;
    let ground = find(&decisions(&app, "parent").await, "MEAL_GROUND", "Әлихан").clone();
    let query = "mutation($k: String!, $s: String!, $d: [Upload!]) { contestDecision(key: $k, statement: $s, documents: $d) { id documents { fileName contentType size downloadPath } } }";
    let pdf = b"%PDF-1.4 the certificate of large family".to_vec();
    // Six documents are more than a contest carries.
    let six: Vec<(String, Vec<u8>)> = (0..6)
        .map(|i| (format!("variables.d.{i}"), pdf.clone()))
        .collect();
    let r = gql_upload(
        &app,
        &parent,
        query,
        json!({ "k": ground["key"], "s": "See the certificate", "d": [null, null, null, null, null, null] }),
        six.iter().map(|(p, b)| (p.as_str(), "c.pdf", b.clone())).collect(),
    )
    .await;
    assert_eq!(r.code().as_deref(), Some("BAD_USER_INPUT"));
    assert_eq!(r.body["errors"][0]["extensions"]["field"], "documents");
    let r = gql_upload(
        &app,
        &parent,
        query,
        json!({ "k": ground["key"], "s": "See the certificate", "d": [null] }),
        vec![("variables.d.0", "certificate.pdf", pdf.clone())],
    )
    .await;
    let doc = r.ok()["contestDecision"]["documents"][0].clone();
    assert_eq!(doc["fileName"], "certificate.pdf");
    assert_eq!(doc["contentType"], "application/pdf");
    assert_eq!(doc["size"], pdf.len());
    let path = doc["downloadPath"].as_str().unwrap().to_owned();
    assert!(path.starts_with("/documents/contest/"), "{path}");
    // On the school's desk with the case.
    let desk = cases(&app, "school.admin", false, false).await;
    assert!(
        desk.iter()
            .any(|c| c["id"] == r.ok()["contestDecision"]["id"])
    );
    for who in ["school.admin", "akimat", "admin", "parent"] {
        let (status, headers, bytes) = get_path(&app, Some(&token(&app, who).await), &path).await;
        assert_eq!(status, 200, "{who}");
        assert_eq!(bytes, pdf, "{who}");
        assert!(
            headers["content-disposition"]
                .to_str()
                .unwrap()
                .starts_with("attachment"),
            "{who}"
        );
    }
    // Another parent, and the commission (which does not see a school's case): not found.
    for who in ["teacher.parent", "commission"] {
        let (status, _, _) = get_path(&app, Some(&token(&app, who).await), &path).await;
        assert_eq!(status, 404, "{who}");
    }
    let (status, _, _) = get_path(&app, None, &path).await;
    assert_eq!(status, 401);
    // The obligations' documents are still theirs.
    let (status, _, _) = get_path(
        &app,
        Some(&token(&app, "admin").await),
        "/documents/application/999999",
    )
    .await;
    assert_eq!(status, 404);
}
