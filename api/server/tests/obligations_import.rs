#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail by panicking
//! Imports and the ledger end to end on a real database: graduates and contributions in,
//! statuses with their reasons out; bad rows rejected by line; the same file twice changes
//! nothing; unknown employers wait for classification.

use crate::common;

use std::io::Write;

use adal_obligations::import::{ImportKind, import_file, rejection_report};
use common::*;
use entities::{graduate, obligation, organisation};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

const GRAD_HEADER: &str = "iin,last_name,first_name,middle_name,birth_date,phone,email,language,university_bin,specialty_code,specialty_name,specialty_group,level,funding_category,home_region_kato,study_start,graduation_date,grant_months,programme_months,budget_cost_kzt,referral_employer_bin,referral_date";
const CONTRIB_HEADER: &str =
    "iin,employer_id,employer_name,employer_address,period,payment_date,amount_kzt,payment_code";

pub struct Fixture {
    pub dir: tempfile::TempDir,
    pub a: String,
    pub b: String,
    pub c: String,
    pub unknown_employer: String,
}

fn write(dir: &std::path::Path, name: &str, lines: &[String]) -> std::path::PathBuf {
    let path = dir.join(name);
    let mut f = std::fs::File::create(&path).unwrap();
    for l in lines {
        writeln!(f, "{l}").unwrap();
    }
    path
}

/// Months from October 2026 (the month the fixture's feeds were written to end in) to the
/// last complete month: the fixture's contributions are moved by this much, so that they
/// always end in the month the evaluation reads as the latest (its horizon), whatever the date.
fn shift() -> u32 {
    use chrono::Datelike;
    let today = chrono::Utc::now().date_naive();
    let last_complete = today.year() * 12 + today.month0() as i32 - 1;
    (last_complete - (2026 * 12 + 9)).max(0) as u32
}

fn months(iin: &str, bin: &str, from: (i32, u32), n: u32) -> Vec<String> {
    let shift = shift();
    (0..n)
        .map(|i| {
            let m0 = from.1 - 1 + i + shift;
            let (y, m) = (from.0 + (m0 / 12) as i32, m0 % 12 + 1);
            format!("{iin},{bin},Employer,,{y}-{m:02},,,010")
        })
        .collect()
}

pub fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let a = valid_id("00010150001");
    let b = valid_id("00020250002");
    let c = valid_id("01030350003");
    let bad = format!("{}{}", &a[..11], (a.as_bytes()[11] - b'0' + 1) % 10);
    let uni = "990140004654";
    let unknown_uni = valid_id("05014000123");
    let grads = vec![
        GRAD_HEADER.to_owned(),
        format!(
            "{a},Серікова,Аяна,,,+77011112233,,kk,{uni},6B10101,Медицина,medical,bachelor,state_order,110000000,2020-09-01,2024-06-30,48,48,3600000,,"
        ),
        format!(
            "{bad},Bad,Checkdigit,,,,,ru,{uni},6B01,X,pedagogical,bachelor,state_order,,2020-09-01,2024-06-30,48,48,1000000,,"
        ),
        format!(
            "{b},Омаров,Бекзат,,,,,ru,{uni},6B01101,Педагогика,pedagogical,bachelor,rural_quota,110000000,2020-09-01,2024-06-30,48,48,2400000,,"
        ),
        format!(
            "{c},Ли,Анна,,,,,en,{unknown_uni},6B10102,Медицина,medical,bachelor,state_order,,2021-09-01,2025-06-30,48,48,3000000,,"
        ),
        format!(
            "{c},Ли,Анна,,,,,en,{uni},6B10102,Медицина,medical,bachelor,state_order,,2021-09-01,2025-06-30,40,48,3000000,,"
        ),
        // A PhD grant with a bachelor's degree: an error in the university's file.
        format!(
            "{b},Омаров,Бекзат,,,,,ru,{uni},8D01101,Педагогика,pedagogical,bachelor,phd,,2021-09-01,2024-06-30,36,36,9000000,,"
        ),
    ];
    write(dir.path(), "graduates.csv", &grads);
    let unknown_employer = valid_id("23014000999");
    let mut contribs = vec![CONTRIB_HEADER.to_owned()];
    // (Periods as written; `months` moves them to end in the last complete month.)
    // A: rural district hospital, Sept 2024 to Oct 2026, with a duplicate row.
    let hospital = "__HOSPITAL__";
    contribs.extend(months(&a, hospital, (2024, 9), 26));
    contribs.extend(months(&a, hospital, (2024, 9), 1));
    // B: a rural school until July 2026, then a city company.
    contribs.extend(months(&b, "__RURAL_SCHOOL__", (2024, 9), 23));
    contribs.extend(months(&b, "__CITY_FIRM__", (2026, 8), 3));
    // C: an employer nobody has classified yet.
    contribs.extend(
        months(&c, &unknown_employer, (2025, 9), 14)
            .into_iter()
            .map(|l| l.replace(",Employer,,", ",ТОО Белгісіз,\"Ақмола обл., Жалтыр\",")),
    );
    contribs.push(format!("{a},{hospital},Employer,,2025-13,,,010"));
    contribs.push(format!("{a},{hospital},Employer,,2025-01,,,099"));
    write(dir.path(), "contributions.csv", &contribs);
    Fixture {
        dir,
        a,
        b,
        c,
        unknown_employer,
    }
}

pub async fn bin_of(app: &adal_testkit::TestApp, kind: &str) -> String {
    organisation::Entity::find()
        .filter(organisation::Column::Kind.eq(kind))
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .find(|o| kind != "school" || o.locality_kato.as_deref() == Some("116835100"))
        .unwrap()
        .bin
}

/// Writes the contributions file with the demo employers' BINs filled in.
pub async fn contributions_file(app: &adal_testkit::TestApp, f: &Fixture) -> std::path::PathBuf {
    let text = std::fs::read_to_string(f.dir.path().join("contributions.csv")).unwrap();
    let text = text
        .replace("__HOSPITAL__", &bin_of(app, "healthcare").await)
        .replace("__RURAL_SCHOOL__", &bin_of(app, "school").await)
        .replace("__CITY_FIRM__", &bin_of(app, "employer").await);
    let path = f.dir.path().join("contributions-filled.csv");
    std::fs::write(&path, text).unwrap();
    path
}

async fn status_of(app: &adal_testkit::TestApp, iin: &str) -> obligation::Model {
    let person = entities::person::Entity::find()
        .filter(entities::person::Column::Iin.eq(iin))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let grad = entities::graduate::Entity::find()
        .filter(entities::graduate::Column::PersonId.eq(person.id))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    obligation::Entity::find()
        .filter(obligation::Column::GraduateId.eq(grad.id))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn graduates_and_contributions_become_explained_statuses() {
    let app = spawn_app_with_demo().await;
    let f = fixture();
    let grads = f.dir.path().join("graduates.csv");
    let r = import_file(&app.db, ImportKind::Graduates, &grads, None)
        .await
        .unwrap();
    assert_eq!((r.total_rows, r.accepted, r.rejected), (6, 3, 3), "{r:?}");
    let report = rejection_report(&app.db, r.id).await.unwrap();
    assert!(
        report.contains("3,iin,IIN has a wrong check digit"),
        "{report}"
    );
    assert!(
        report.contains("5,university_bin,unknown university"),
        "{report}"
    );
    assert!(
        report.contains("7,level,\"a phd grant is for phd graduates, not bachelor\""),
        "{report}"
    );
    let again = import_file(&app.db, ImportKind::Graduates, &grads, None)
        .await
        .unwrap();
    assert!(again.already_imported);
    assert_eq!(again.id, r.id);

    // C studied 40 of 48 months on the grant: 30 months to work.
    assert_eq!(status_of(&app, &f.c).await.required_months, 30);

    // The university corrects C's line: 44 months on the grant, not 40. The grant is updated,
    // not doubled; the change is on the trail; C now has 33 months to work (36 × 44 / 48).
    let uni = "990140004654";
    let corrected = write(
        f.dir.path(),
        "graduates-corrected.csv",
        &[
            GRAD_HEADER.to_owned(),
            format!(
                "{},Ли,Анна,,,,,en,{uni},6B10102,Медицина,medical,bachelor,state_order,,2021-09-01,2025-06-30,44,48,3000000,,",
                f.c
            ),
        ],
    );
    let r = import_file(&app.db, ImportKind::Graduates, &corrected, None)
        .await
        .unwrap();
    assert_eq!((r.accepted, r.duplicates, r.rejected), (1, 0, 0), "{r:?}");
    assert_eq!(status_of(&app, &f.c).await.required_months, 33);
    let c_person = entities::person::Entity::find()
        .filter(entities::person::Column::Iin.eq(f.c.as_str()))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let grants = entities::graduate::Entity::find()
        .filter(entities::graduate::Column::PersonId.eq(c_person.id))
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(grants.len(), 1);
    let trail = entities::audit_event::Entity::find()
        .filter(entities::audit_event::Column::Action.eq("graduate.corrected"))
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(trail.len(), 1);
    assert_eq!(trail[0].subject_id, grants[0].id.to_string());
    let details: serde_json::Value = serde_json::from_str(&trail[0].details).unwrap();
    assert_eq!(
        details["changes"],
        serde_json::json!({ "grant_months": [40, 44] })
    );

    let contribs = contributions_file(&app, &f).await;
    let r = import_file(&app.db, ImportKind::Contributions, &contribs, None)
        .await
        .unwrap();
    assert_eq!(r.rejected, 2);
    assert_eq!(r.duplicates, 1);
    assert_eq!(r.accepted, 26 + 26 + 14);
    assert!(r.evaluated >= 3);

    let a = status_of(&app, &f.a).await;
    assert_eq!(a.status, "working");
    assert_eq!(a.credited_months, 26);
    let b = status_of(&app, &f.b).await;
    assert_eq!(b.status, "non_qualifying", "{}", b.explanation);
    assert!(
        b.explanation.contains("not_rural") || b.explanation.contains("kind"),
        "{}",
        b.explanation
    );
    let c = status_of(&app, &f.c).await;
    assert_eq!(
        c.status, "not_started",
        "pending months are not a gap: {}",
        c.explanation
    );
    assert!(
        c.explanation.contains("\"pendingClassificationMonths\":14"),
        "{}",
        c.explanation
    );

    // The unknown employer was created from the feed and waits for classification.
    let emp = organisation::Entity::find()
        .filter(organisation::Column::Bin.eq(f.unknown_employer.clone()))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert!(emp.needs_classification);
    assert_eq!(emp.name_ru, "ТОО Белгісіз");
    assert_eq!(emp.address.as_deref(), Some("Ақмола обл., Жалтыр"));

    // Classifying it (a rural clinic) credits C's months.
    let employers = f.dir.path().join("employers.csv");
    std::fs::write(
        &employers,
        format!("bin,kind,name_ru,locality_kato,activity_code\n{},healthcare,ТОО Белгісіз,116835100,86101\n", f.unknown_employer),
    )
    .unwrap();
    import_file(&app.db, ImportKind::Employers, &employers, None)
        .await
        .unwrap();
    let c = status_of(&app, &f.c).await;
    assert_eq!(
        (c.status.as_str(), c.credited_months),
        ("working", 14),
        "{}",
        c.explanation
    );

    // The same feed again changes nothing.
    let again = import_file(&app.db, ImportKind::Contributions, &contribs, None)
        .await
        .unwrap();
    assert!(again.already_imported);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_file_without_the_required_columns_is_refused_whole() {
    let app = spawn_app_with_demo().await;
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "c.csv", &["iin,period".into(), "1,2".into()]);
    let err = import_file(&app.db, ImportKind::Contributions, &path, None)
        .await
        .unwrap_err();
    assert_eq!(err.code(), "BAD_USER_INPUT");
    assert!(
        err.message().contains("missing columns: employer_id"),
        "{}",
        err.message()
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn national_reference_lists_import_the_same_way() {
    let app = spawn_app().await;
    let dir = tempfile::tempdir().unwrap();
    let regions = write(
        dir.path(),
        "regions.csv",
        &[
            "kato,name_kk,name_ru,name_en".into(),
            "100000000,Абай облысы,Абайская область,Abai region".into(),
            "12345,Bad,Bad,Bad".into(),
        ],
    );
    let r = import_file(&app.db, ImportKind::Regions, &regions, None)
        .await
        .unwrap();
    assert_eq!((r.accepted, r.rejected), (1, 1));
    let localities = write(
        dir.path(),
        "kato.csv",
        &[
            "name_en,kato,region_kato,name_kk,name_ru,rural".into(),
            "Kurchatov,101010000,100000000,Курчатов,Курчатов,false".into(),
            "Karaul,104030100,100000000,Қарауыл,Караул,true".into(),
            "Nowhere,999999999,990000000,X,X,true".into(),
            "Odd,104030200,100000000,Y,Y,maybe".into(),
        ],
    );
    let r = import_file(&app.db, ImportKind::Localities, &localities, None)
        .await
        .unwrap();
    assert_eq!((r.accepted, r.rejected), (2, 2));
    let report = rejection_report(&app.db, r.id).await.unwrap();
    assert!(report.contains("4,region_kato,unknown region"), "{report}");
    assert!(
        report.contains("5,rural,rural must be true or false"),
        "{report}"
    );
    let rural = gql(
        &app,
        None,
        "{ localities(regionKato: \"100000000\", rural: true) { nodes { nameEn } } }",
        serde_json::json!({}),
    )
    .await;
    assert_eq!(
        rural.ok()["localities"]["nodes"],
        serde_json::json!([{ "nameEn": "Karaul" }])
    );
    let codes = write(
        dir.path(),
        "oked.csv",
        &[
            "code,name_kk,name_ru,name_en".into(),
            "85.31,Орта білім,Среднее образование,Secondary education".into(),
        ],
    );
    let r = import_file(&app.db, ImportKind::ActivityCodes, &codes, None)
        .await
        .unwrap();
    assert_eq!(r.accepted, 1);
}

/// A graduate's specialty in the language asked, as the graduates list gives it.
async fn specialty_of(
    app: &adal_testkit::TestApp,
    token: &str,
    last_name: &str,
    lang: &str,
) -> String {
    let r = gql(
        app,
        Some(token),
        "query($l: Language) { graduates(first: 100) { nodes { fullName specialtyName(language: $l) } } }",
        serde_json::json!({ "l": lang }),
    )
    .await;
    let nodes = r.ok()["graduates"]["nodes"].as_array().unwrap().clone();
    let node = nodes
        .iter()
        .find(|n| n["fullName"].as_str().unwrap().contains(last_name))
        .unwrap_or_else(|| panic!("no graduate {last_name} in {nodes:?}"));
    node["specialtyName"].as_str().unwrap().to_owned()
}

/// The classifier of specialties names a graduate's specialty in the language asked; a new
/// file renames a code (a bad line is rejected, the good ones go in); where the classifier
/// has no such code, the name the university gave shows.
#[tokio::test(flavor = "multi_thread")]
async fn a_specialty_reads_in_the_language_asked_from_the_classifier() {
    let app = spawn_app_with_demo().await;
    let admin = token(&app, "admin").await;
    // The demo's classifier: Омаров studied 6B10101, which the university called
    // «Жалпы медицина».
    assert_eq!(
        specialty_of(&app, &admin, "Омаров", "KK").await,
        "Жалпы медицина"
    );
    assert_eq!(
        specialty_of(&app, &admin, "Омаров", "RU").await,
        "Общая медицина"
    );
    assert_eq!(
        specialty_of(&app, &admin, "Омаров", "EN").await,
        "General medicine"
    );

    let dir = tempfile::tempdir().unwrap();
    let file = write(
        dir.path(),
        "specialties.csv",
        &[
            "code,name_kk,name_ru,name_en".into(),
            "6B10101,Жалпы медицина,Общая медицина,General Medicine (MD)".into(),
            ",Атауы жоқ,Без кода,No code".into(),
        ],
    );
    let r = import_file(&app.db, ImportKind::Specialties, &file, None)
        .await
        .unwrap();
    assert_eq!((r.accepted, r.rejected), (1, 1), "{r:?}");
    let report = rejection_report(&app.db, r.id).await.unwrap();
    assert!(report.contains("3,code,"), "{report}");
    assert_eq!(
        specialty_of(&app, &admin, "Омаров", "EN").await,
        "General Medicine (MD)"
    );

    // A code the classifier lacks: Ким's specialty as the university wrote it.
    entities::specialty::Entity::delete_by_id("6B06101".to_owned())
        .exec(&app.db)
        .await
        .unwrap();
    assert_eq!(specialty_of(&app, &admin, "Ким", "EN").await, "Информатика");
}

/// Each graduate's ledger runs to the latest month the feeds cover for them. The national feed
/// covers everyone up to L-5 (L: the last complete month); the ministry's answer after Y's 511
/// consent covers Y up to L. X and Y both studied technical specialties on a state order,
/// graduated on 2024-06-30 (start 2024-09) and worked at the same classified company from
/// 2024-09 without a break.
/// - X: horizon L-5; credited 2024-09..L-5, that is n = months(2024-09..L-5) months, no month
///   without credit: WORKING. (Read against everyone's latest month L, X would have five gap
///   months L-4..L, more than the 3 months' grace: GAP, a wrong SMS.)
/// - Y: horizon L; credited n + 5 months: WORKING.
/// - The national horizon, the dashboard's "as of" month, stays L-5; the dashboard counts X
///   and Y as paid for it and credited in it.
#[tokio::test(flavor = "multi_thread")]
async fn a_persons_fresher_answer_moves_only_their_horizon() {
    use adal_obligations::evaluate;
    use adal_obligations::import::import_person_answer;
    use adal_obligations::period::Period;

    let app = spawn_app().await;
    let dir = tempfile::tempdir().unwrap();
    let uni = valid_id("99014000465");
    let firm = valid_id("19084000123");
    let files: [(ImportKind, &str, Vec<String>); 3] = [
        (
            ImportKind::Regions,
            "regions.csv",
            vec![
                "kato,name_kk,name_ru,name_en".into(),
                "710000000,Астана,Астана,Astana".into(),
            ],
        ),
        (
            ImportKind::Localities,
            "kato.csv",
            vec![
                "kato,region_kato,name_kk,name_ru,name_en,rural".into(),
                "711100000,710000000,Астана,Астана,Astana,false".into(),
            ],
        ),
        (
            ImportKind::Employers,
            "employers.csv",
            vec![
                "bin,kind,name_ru,locality_kato,activity_code".into(),
                format!("{uni},university,Университет,711100000,"),
                format!("{firm},employer,ТОО Компания,711100000,"),
            ],
        ),
    ];
    for (kind, name, lines) in files {
        let r = import_file(&app.db, kind, &write(dir.path(), name, &lines), None)
            .await
            .unwrap();
        assert_eq!(r.rejected, 0, "{name}: {r:?}");
    }
    let x = valid_id("99010150011");
    let y = valid_id("99020250012");
    let grads: Vec<String> = std::iter::once(GRAD_HEADER.to_owned())
        .chain([&x, &y].map(|iin| {
            format!(
                "{iin},Тестов,Граду,,,,,ru,{uni},6B06101,Информатика,technical,bachelor,state_order,710000000,2020-09-01,2024-06-30,48,48,2400000,,"
            )
        }))
        .collect();
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
    let start = Period::new(2024, 9).unwrap();
    let feed_end = last.plus(-5);
    let rows = |iin: &str, from: Period, to: Period| {
        let mut out = Vec::new();
        let mut p = from;
        while p <= to {
            out.push(format!("{iin},{firm},ТОО Компания,,{p},,,010"));
            p = p.next();
        }
        out
    };
    let mut national = vec![CONTRIB_HEADER.to_owned()];
    national.extend(rows(&x, start, feed_end));
    national.extend(rows(&y, start, feed_end));
    import_file(
        &app.db,
        ImportKind::Contributions,
        &write(dir.path(), "feed.csv", &national),
        None,
    )
    .await
    .unwrap();
    let mut answer = vec![CONTRIB_HEADER.to_owned()];
    answer.extend(rows(&y, start, last));
    import_person_answer(&app.db, &write(dir.path(), "ministry-answer.csv", &answer))
        .await
        .unwrap();

    let n = start.months_until(feed_end) + 1;
    let ox = status_of(&app, &x).await;
    assert_eq!(ox.horizon, Some(feed_end.as_i32()));
    assert_eq!((ox.status.as_str(), ox.credited_months), ("working", n));
    let oy = status_of(&app, &y).await;
    assert_eq!(oy.horizon, Some(last.as_i32()));
    assert_eq!((oy.status.as_str(), oy.credited_months), ("working", n + 5));
    assert_eq!(evaluate::horizon(&app.db).await.unwrap().feed, feed_end);
    // The dashboard's figures are as of L-5: both were paid for it and both have it credited
    // (Y's stored state is that of L, so Y's L-5 is worked out for the count).
    let d = adal_obligations::service::dashboard(&app.db).await.unwrap();
    assert_eq!(d.horizon, feed_end);
    assert_eq!(d.paid_in_latest_month, 2);
    assert_eq!(d.credited_in_latest_month, 2);
}

/// A file of several chunks (the importer stores a thousand lines at a time): a person whose
/// second grant is in the next chunk is one person with two grants, a line repeated in the
/// next chunk is a duplicate, and every grant has exactly one obligation.
#[tokio::test(flavor = "multi_thread")]
async fn a_file_of_many_chunks_gives_each_grant_one_obligation() {
    let app = spawn_app_with_demo().await;
    let dir = tempfile::tempdir().unwrap();
    let uni = "990140004654";
    let iins: Vec<String> = (0..3000)
        .filter_map(|i| {
            adal_core::identifiers::with_check_digit(&format!(
                "7707{:02}3{:04}",
                1 + i / 1000,
                i % 1000 + 1
            ))
        })
        .take(2500)
        .collect();
    assert_eq!(iins.len(), 2500);
    let line = |iin: &str, code: &str| {
        format!(
            "{iin},Әлиев,Нұрлан,,,,,kk,{uni},{code},Педагогика,pedagogical,bachelor,state_order,,2020-09-01,2024-06-30,48,48,2400000,,"
        )
    };
    let mut lines = vec![GRAD_HEADER.to_owned()];
    lines.extend(iins.iter().map(|i| line(i, "6B01101")));
    // Lines 1,200 and 1,500 of the file, in the second chunk: the first chunk's person
    // studied a second specialty, and the first chunk's line sent again.
    lines.insert(1200, line(&iins[5], "6B01102"));
    lines.insert(1500, line(&iins[20], "6B01101"));
    let path = write(dir.path(), "graduates.csv", &lines);
    let r = import_file(&app.db, ImportKind::Graduates, &path, None)
        .await
        .unwrap();
    assert_eq!(
        (r.total_rows, r.accepted, r.duplicates, r.rejected),
        (2502, 2501, 1, 0),
        "{r:?}"
    );
    let grants = graduate::Entity::find()
        .filter(graduate::Column::BatchId.eq(r.id))
        .all(&app.db)
        .await
        .unwrap();
    let people: std::collections::HashSet<i64> = grants.iter().map(|g| g.person_id).collect();
    assert_eq!((grants.len(), people.len()), (2501, 2500));
    let obligations = obligation::Entity::find()
        .filter(obligation::Column::GraduateId.is_in(grants.iter().map(|g| g.id)))
        .all(&app.db)
        .await
        .unwrap();
    let obliged: std::collections::HashSet<i64> =
        obligations.iter().map(|o| o.graduate_id).collect();
    assert_eq!((obligations.len(), obliged.len()), (2501, 2501));
}
