#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail by panicking
//! The operator corrects one graduate's terms with a reason (issue 13), and one person with two
//! state grants: one month of qualifying work counts for both obligations.

use crate::common;

use std::io::Write;

use adal_obligations::import::{ImportKind, import_file};
use adal_obligations::period::Period;
use common::*;
use entities::{graduate, organisation, person};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::json;

const GRAD_HEADER: &str = "iin,last_name,first_name,middle_name,birth_date,phone,email,language,university_bin,specialty_code,specialty_name,specialty_group,level,funding_category,home_region_kato,study_start,graduation_date,grant_months,programme_months,budget_cost_kzt,referral_employer_bin,referral_date";
const CONTRIB_HEADER: &str =
    "iin,employer_id,employer_name,employer_address,period,payment_date,amount_kzt,payment_code";

const CORRECT: &str = "mutation($g: ID!, $i: GraduateTermsInput!, $r: String!) { correctGraduateTerms(graduateId: $g, input: $i, reason: $r) { id grantMonths programmeMonths obligation { requiredMonths } } }";

/// The `graduate.corrected` events of a graduate on the audit trail.
async fn corrections(app: &adal_testkit::TestApp, admin: &str, id: &str) -> Vec<serde_json::Value> {
    let audit = gql(
        app,
        Some(admin),
        "query($id: String) { auditEvents(subjectType: \"graduate\", subjectId: $id) { nodes { action actorAccountId details } } }",
        json!({ "id": id }),
    )
    .await;
    audit.ok()["auditEvents"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["action"] == "graduate.corrected")
        .cloned()
        .collect()
}

/// Омаров (demo): a rural-quota bachelor, grant 48 of 48 months, base term 36 months:
/// required 36 × 48 / 48 = 36. The university's record was wrong: he studied 24 months on the
/// grant. After the correction: required 36 × 24 / 48 = 18 months.
#[tokio::test(flavor = "multi_thread")]
async fn the_operator_corrects_grant_months_with_a_reason() {
    let app = spawn_app_with_demo().await;
    let admin = token(&app, "admin").await;
    let id = graduate_id(&app, &admin, "Омаров").await;
    let before = gql(
        &app,
        Some(&admin),
        "query($g: ID!) { graduate(id: $g) { grantMonths obligation { requiredMonths } } }",
        json!({ "g": id }),
    )
    .await;
    assert_eq!(before.ok()["graduate"]["grantMonths"], 48);
    assert_eq!(before.ok()["graduate"]["obligation"]["requiredMonths"], 36);

    // No reason: refused, nothing changes.
    let r = gql(
        &app,
        Some(&admin),
        CORRECT,
        json!({ "g": id, "i": { "grantMonths": 24 }, "r": "  " }),
    )
    .await;
    assert_eq!(r.code().as_deref(), Some("BAD_USER_INPUT"), "{:?}", r.body);
    // Nothing changed (48 is the recorded value): refused.
    let r = gql(
        &app,
        Some(&admin),
        CORRECT,
        json!({ "g": id, "i": { "grantMonths": 48 }, "r": "the university's letter" }),
    )
    .await;
    assert_eq!(r.code().as_deref(), Some("BAD_USER_INPUT"), "{:?}", r.body);
    // The grant longer than the programme: refused as the import refuses it.
    let r = gql(
        &app,
        Some(&admin),
        CORRECT,
        json!({ "g": id, "i": { "grantMonths": 60 }, "r": "the university's letter" }),
    )
    .await;
    assert_eq!(r.code().as_deref(), Some("BAD_USER_INPUT"), "{:?}", r.body);
    // A PhD grant for a bachelor: refused.
    let r = gql(
        &app,
        Some(&admin),
        CORRECT,
        json!({ "g": id, "i": { "fundingCategory": "PHD" }, "r": "the university's letter" }),
    )
    .await;
    assert_eq!(r.code().as_deref(), Some("BAD_USER_INPUT"), "{:?}", r.body);

    let r = gql(
        &app,
        Some(&admin),
        CORRECT,
        json!({ "g": id, "i": { "grantMonths": 24 }, "r": "the university's letter No. 12" }),
    )
    .await;
    let g = &r.ok()["correctGraduateTerms"];
    assert_eq!(g["grantMonths"], 24);
    assert_eq!(g["programmeMonths"], 48);
    assert_eq!(g["obligation"]["requiredMonths"], 18);

    let nodes = corrections(&app, &admin, &id).await;
    let e = nodes
        .first()
        .unwrap_or_else(|| panic!("no graduate.corrected in {nodes:?}"));
    assert!(e["actorAccountId"].is_string(), "{e}");
    assert_eq!(e["details"]["reason"], "the university's letter No. 12");
    assert_eq!(e["details"]["changes"], json!({ "grant_months": [48, 24] }));
    // Only the accepted correction was recorded.
    assert_eq!(nodes.len(), 1);
}

fn write(dir: &std::path::Path, name: &str, lines: &[String]) -> std::path::PathBuf {
    let path = dir.join(name);
    let mut f = std::fs::File::create(&path).unwrap();
    for l in lines {
        writeln!(f, "{l}").unwrap();
    }
    path
}

/// One person, two state grants: a bachelor's (technical, state order, graduated 2020-06-30,
/// start 2020-09) and a master's (technical, state order, graduated 2022-06-30, start 2022-09),
/// the grant covering the whole programme (48 of 48 and 24 of 24 months): each requires
/// 36 × 48 / 48 = 36 × 24 / 24 = 36 months, and any organisation qualifies. A company paid for every month 2022-09..L (L: the last complete month, at least
/// 2026-11, so at least 51 months).
/// One month of work counts for each obligation:
/// - bachelor: 2020-09..2022-08 without work (24 months), then 2022-09..2025-08 credited: 36 of
///   36, fulfilled;
/// - master: 2022-09..2025-08 credited: 36 of 36, fulfilled;
/// - both ledgers credit the same 36 months 2022-09..2025-08. (Were a month counted once, the
///   master's would have to wait for 2025-09..L: 15+ months, not 36.)
#[tokio::test(flavor = "multi_thread")]
async fn one_month_of_work_counts_for_both_grants_of_a_person() {
    let app = spawn_app_with_demo().await;
    let admin = token(&app, "admin").await;
    let dir = tempfile::tempdir().unwrap();
    let uni = organisation::Entity::find()
        .filter(organisation::Column::Kind.eq("university"))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .bin;
    let firm = valid_id("19084000123");
    let r = import_file(
        &app.db,
        ImportKind::Employers,
        &write(
            dir.path(),
            "employers.csv",
            &[
                "bin,kind,name_ru,locality_kato,activity_code".into(),
                format!("{firm},employer,ТОО Компания,711100000,"),
            ],
        ),
        None,
    )
    .await
    .unwrap();
    assert_eq!(r.rejected, 0, "{r:?}");
    let iin = valid_id("98010150021");
    let grads = vec![
        GRAD_HEADER.to_owned(),
        format!(
            "{iin},Екеуов,Ерлан,,,,,ru,{uni},6B06101,Информатика,technical,bachelor,state_order,,2016-09-01,2020-06-30,48,48,2400000,,"
        ),
        format!(
            "{iin},Екеуов,Ерлан,,,,,ru,{uni},7M06101,Информатика,technical,master,state_order,,2020-09-01,2022-06-30,24,24,1800000,,"
        ),
    ];
    let r = import_file(
        &app.db,
        ImportKind::Graduates,
        &write(dir.path(), "graduates.csv", &grads),
        None,
    )
    .await
    .unwrap();
    assert_eq!(r.accepted, 2, "{r:?}");
    let last = Period::of_date(chrono::Utc::now().date_naive()).plus(-1);
    let start = Period::new(2022, 9).unwrap();
    let mut feed = vec![CONTRIB_HEADER.to_owned()];
    let mut p = start;
    while p <= last {
        feed.push(format!("{iin},{firm},ТОО Компания,,{p},,,010"));
        p = p.next();
    }
    let r = import_file(
        &app.db,
        ImportKind::Contributions,
        &write(dir.path(), "feed.csv", &feed),
        None,
    )
    .await
    .unwrap();
    assert_eq!(r.rejected, 0, "{r:?}");

    let pid = person::Entity::find()
        .filter(person::Column::Iin.eq(&iin))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .id;
    let mut ids: Vec<i64> = graduate::Entity::find()
        .filter(graduate::Column::PersonId.eq(pid))
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|g| g.id)
        .collect();
    ids.sort_unstable();
    assert_eq!(ids.len(), 2);
    let expected: Vec<String> = (0..36).map(|i| start.plus(i).to_string()).collect();
    for id in ids {
        let r = gql(
            &app,
            Some(&admin),
            "query($g: ID!) { graduate(id: $g) { level obligation { requiredMonths creditedMonths status } ledger { period state } } }",
            json!({ "g": id.to_string() }),
        )
        .await;
        let g = &r.ok()["graduate"];
        let o = &g["obligation"];
        assert_eq!(
            (&o["requiredMonths"], &o["creditedMonths"], &o["status"]),
            (&json!(36), &json!(36), &json!("FULFILLED")),
            "{g}"
        );
        let credited: Vec<String> = g["ledger"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|m| m["state"] == "CREDITED")
            .map(|m| m["period"].as_str().unwrap().to_owned())
            .collect();
        assert_eq!(credited, expected, "{}", g["level"]);
    }
}

/// The university's list after an operator corrected a date. Омаров (demo) graduated on
/// 2024-06-30 by the university's line; the operator corrects it to 2024-01-31 from the
/// diploma. The university then sends its list again:
/// - his line as it was: still one grant (matched on the date the university listed, not on
///   the corrected one), and the operator's date stands;
/// - his line with a new budget cost, 3,700,000 instead of 3,600,000: the budget is corrected
///   (on the trail as the university's correction), the operator's date still stands;
/// - his line with a new graduation date for the same study: that is the university's
///   correction of the date.
#[tokio::test(flavor = "multi_thread")]
async fn the_universitys_list_sent_again_keeps_the_operators_correction() {
    let app = spawn_app_with_demo().await;
    let admin = token(&app, "admin").await;
    let id = graduate_id(&app, &admin, "Омаров").await;
    let r = gql(
        &app,
        Some(&admin),
        CORRECT,
        json!({ "g": id, "i": { "graduationDate": "2024-01-31" }, "r": "the diploma's date" }),
    )
    .await;
    r.ok();
    let person = person::Entity::find()
        .filter(person::Column::LastName.eq("Омаров"))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let grants = async || {
        graduate::Entity::find()
            .filter(graduate::Column::PersonId.eq(person.id))
            .all(&app.db)
            .await
            .unwrap()
    };
    let uni = organisation::Entity::find()
        .filter(organisation::Column::Kind.eq("university"))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let line = |budget: u32, graduated: &str| {
        format!(
            "{},Омаров,Бекзат,,,+77015550000,,kk,{},6B10101,Жалпы медицина,medical,bachelor,state_order,350000000,2020-09-01,{graduated},48,48,{budget},,",
            person.iin, uni.bin
        )
    };
    let dir = tempfile::tempdir().unwrap();
    // The university's list (one line), then Омаров's grants.
    let send = async |name: &str, budget: u32, graduated: &str| {
        let file = write(
            dir.path(),
            name,
            &[GRAD_HEADER.to_owned(), line(budget, graduated)],
        );
        import_file(&app.db, ImportKind::Graduates, &file, None)
            .await
            .unwrap();
        let g = grants().await;
        assert_eq!(g.len(), 1, "a second grant: {g:?}");
        g
    };
    let g = send("list-again.csv", 3_600_000, "2024-06-30").await;
    assert_eq!(
        g[0].graduation_date.to_string(),
        "2024-01-31",
        "the repeated line undid the operator's date"
    );
    let g = send("list-changed.csv", 3_700_000, "2024-06-30").await;
    assert_eq!(g[0].graduation_date.to_string(), "2024-01-31");
    assert_eq!(g[0].budget_cost, 3_700_000);
    assert_eq!(g[0].graduation_date.to_string(), "2024-01-31");
    let by_university: Vec<_> = corrections(&app, &admin, &id)
        .await
        .into_iter()
        .filter(|n| n["actorAccountId"].is_null())
        .collect();
    assert_eq!(by_university.len(), 1, "{by_university:?}");
    assert_eq!(
        by_university[0]["details"]["changes"],
        json!({ "budget_cost": [3_600_000, 3_700_000] })
    );

    // The university corrects the date itself: the same study (started 2020-09-01) ended on
    // 2023-06-30. Still one grant, now with the university's date, and the obligation starts
    // on 1 September 2023; the list sent again with that date changes nothing more.
    let g = send("list-new-date.csv", 3_700_000, "2023-06-30").await;
    assert_eq!(g[0].graduation_date.to_string(), "2023-06-30");
    let o = entities::obligation::Entity::find()
        .filter(entities::obligation::Column::GraduateId.eq(g[0].id))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(o.start_date.to_string(), "2023-09-01");
    send("list-new-date-again.csv", 3_700_000, "2023-06-30").await;
    let last = corrections(&app, &admin, &id).await;
    assert_eq!(
        last.iter()
            .filter(|n| n["actorAccountId"].is_null())
            .count(),
        2,
        "{last:?}"
    );
}
