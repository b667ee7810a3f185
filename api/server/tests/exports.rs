#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail by panicking
//! The graduates list export (`GET /exports/graduates.csv` and `.xlsx`): the caller's filters,
//! the operator's staff only, masked IINs, an audit record. Runs on SQLite, and on PostgreSQL
//! with `ADAL_TEST_DATABASE_URL`.

use crate::common;

use common::*;
use serde_json::json;

async fn download(
    app: &adal_testkit::TestApp,
    token: Option<&str>,
    path: &str,
) -> (u16, String, Vec<u8>) {
    let mut req = reqwest::Client::new().get(format!("{}{path}", app.address));
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    let resp = req.send().await.expect("request");
    let status = resp.status().as_u16();
    let content_type = resp
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    (
        status,
        content_type,
        resp.bytes().await.expect("body").to_vec(),
    )
}

async fn export(
    app: &adal_testkit::TestApp,
    token: Option<&str>,
    query: &str,
) -> (u16, String, String) {
    let (status, content_type, body) =
        download(app, token, &format!("/exports/graduates.csv{query}")).await;
    (
        status,
        content_type,
        String::from_utf8(body).expect("UTF-8"),
    )
}

/// The worksheet's XML from an XLSX file.
fn sheet_xml(xlsx: &[u8]) -> String {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(xlsx)).expect("an XLSX is a zip");
    let mut xml = String::new();
    zip.by_name("xl/worksheets/sheet1.xml")
        .expect("one worksheet")
        .read_to_string(&mut xml)
        .expect("UTF-8 XML");
    xml
}

#[tokio::test(flavor = "multi_thread")]
async fn the_filtered_list_exports_as_xlsx_with_a_header_in_the_language_asked() {
    let app = spawn_app_with_demo().await;
    let analyst = token(&app, "analyst").await;
    let graduate = token(&app, "graduate").await;
    let (status, _, _) = download(&app, Some(&graduate), "/exports/graduates.xlsx").await;
    assert_eq!(status, 403);
    let (status, _, _) = download(&app, None, "/exports/graduates.xlsx").await;
    assert_eq!(status, 401);

    let (status, content_type, body) = download(
        &app,
        Some(&analyst),
        "/exports/graduates.xlsx?status=BREACH&lang=kk",
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(
        content_type,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    let xml = sheet_xml(&body);
    assert!(xml.contains("Аты-жөні") && xml.contains("Мәртебе"), "{xml}");
    assert!(xml.contains("Омаров") && !xml.contains("Ахметов"), "{xml}");
    // One row per graduate in breach, after the header row.
    let r = gql(
        &app,
        Some(&analyst),
        "{ graduates(filter: {status: BREACH}) { totalCount } }",
        json!({}),
    )
    .await;
    let breach = r.ok()["graduates"]["totalCount"].as_u64().unwrap() as usize;
    assert!(breach > 0);
    assert_eq!(xml.matches("<row ").count(), breach + 1, "{xml}");

    let (_, _, body) = download(&app, Some(&analyst), "/exports/graduates.xlsx").await;
    assert!(sheet_xml(&body).contains("Статус"), "Russian by default");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_filtered_list_exports_as_csv_for_staff_only() {
    let app = spawn_app_with_demo().await;
    let analyst = token(&app, "analyst").await;

    let (status, _, _) = export(&app, None, "").await;
    assert_eq!(status, 401);
    let (status, _, _) = export(&app, Some("not-a-token"), "").await;
    assert_eq!(status, 401);
    let graduate = token(&app, "graduate").await;
    let (status, _, _) = export(&app, Some(&graduate), "").await;
    assert_eq!(status, 403);
    let (status, _, body) = export(&app, Some(&analyst), "?status=NOPE").await;
    assert_eq!(status, 400, "{body}");

    // Everyone, then the graduates in breach only.
    let (status, content_type, all) = export(&app, Some(&analyst), "").await;
    assert_eq!(status, 200);
    assert!(content_type.starts_with("text/csv"), "{content_type}");
    let mut lines = all.lines();
    assert!(
        lines
            .next()
            .unwrap()
            .starts_with("id,full_name,iin_masked,")
    );
    let r = gql(
        &app,
        Some(&analyst),
        "{ graduates { totalCount } }",
        json!({}),
    )
    .await;
    let total = r.ok()["graduates"]["totalCount"].as_u64().unwrap() as usize;
    assert_eq!(lines.count(), total);
    assert!(all.contains("Ахметов") && all.contains("Омаров"));

    let (status, _, breach) = export(&app, Some(&analyst), "?status=BREACH").await;
    assert_eq!(status, 200);
    let rows: Vec<&str> = breach.lines().skip(1).collect();
    assert!(!rows.is_empty());
    assert!(rows.iter().all(|r| r.contains(",BREACH,")), "{breach}");
    assert!(breach.contains("Омаров") && !breach.contains("Ахметов"));
    // IINs go out masked, as the list shows them.
    let admin = token(&app, "admin").await;
    let iin = gql(
        &app,
        Some(&admin),
        "{ persons(filter: {search: \"Омаров\"}) { nodes { iin } } }",
        json!({}),
    )
    .await
    .ok()["persons"]["nodes"][0]["iin"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(!breach.contains(&iin));
    assert!(breach.contains(&iin[..6]));

    // Each export is recorded with its filters.
    let r = gql(
        &app,
        Some(&admin),
        "{ auditEvents(subjectType: \"graduate\", subjectId: \"list\") { nodes { action details } } }",
        json!({}),
    )
    .await;
    let events = r.ok()["auditEvents"]["nodes"].as_array().unwrap().clone();
    assert!(events.iter().all(|e| e["action"] == "graduates.export"));
    assert_eq!(events.len(), 2, "{events:?}");
    assert!(
        events
            .iter()
            .any(|e| e["details"].to_string().contains("BREACH"))
    );
}

/// A name that begins like a formula is accepted and shown as written, but a spreadsheet
/// opening the export reads it as text, not as a formula to run.
#[tokio::test(flavor = "multi_thread")]
async fn a_cell_that_begins_like_a_formula_is_exported_as_text() {
    use sea_orm::ConnectionTrait;
    let app = spawn_app_with_demo().await;
    let analyst = token(&app, "analyst").await;
    app.db
        .execute_unprepared("UPDATE person SET last_name = '=1+2' WHERE last_name = 'Ахметов'")
        .await
        .unwrap();
    let (status, _, csv) = export(&app, Some(&analyst), "").await;
    assert_eq!(status, 200);
    let row = csv
        .lines()
        .find(|l| l.contains("Дамир"))
        .expect("the renamed graduate is exported");
    assert!(row.contains(",'=1+2 Дамир"), "{row}");
    assert!(!row.contains(",=1+2"), "{row}");
    // In Adal itself the name reads as written.
    let r = gql(
        &app,
        Some(&analyst),
        "{ graduates(first: 100) { nodes { fullName } } }",
        json!({}),
    )
    .await;
    assert!(
        r.ok()["graduates"]["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n["fullName"] == "=1+2 Дамир Асқарұлы")
    );
}

/// With the page's language the CSV is for people: Excel opens it as UTF-8 (byte-order mark),
/// split at the locale's separator, with column names, statuses, categories and regions in
/// words, and the codes still there in columns at the end.
#[tokio::test(flavor = "multi_thread")]
async fn with_a_language_the_csv_is_for_people_and_keeps_the_codes() {
    let app = spawn_app_with_demo().await;
    let analyst = token(&app, "analyst").await;

    let (status, _, body) = download(
        &app,
        Some(&analyst),
        "/exports/graduates.csv?status=BREACH&lang=kk",
    )
    .await;
    assert_eq!(status, 200);
    assert!(body.starts_with(&[0xEF, 0xBB, 0xBF]), "a byte-order mark");
    let csv = String::from_utf8(body[3..].to_vec()).unwrap();
    let mut lines = csv.lines();
    let header: Vec<&str> = lines.next().unwrap().split(';').collect();
    assert_eq!(header[1], "Аты-жөні");
    assert_eq!(header[8], "Мәртебе");
    assert_eq!(
        &header[header.len() - 3..],
        ["category_code", "region_kato", "status_code"]
    );
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(';').collect()).collect();
    assert!(!rows.is_empty());
    for row in &rows {
        assert_eq!(row.len(), header.len(), "{row:?}");
        assert_eq!(row[8], "Міндеттеме бұзылды");
        // Омаров's specialty, from the classifier in Kazakh.
        assert_eq!((row[4], row[5]), ("6B10101", "Жалпы медицина"), "{row:?}");
        assert_eq!(row[row.len() - 1], "BREACH");
        assert!(
            !row[3].chars().any(|c| c == '_'),
            "a category in words: {row:?}"
        );
    }

    // Russian, and the region by name with its code at the end.
    let (_, _, body) = download(&app, Some(&analyst), "/exports/graduates.csv?lang=ru").await;
    let csv = String::from_utf8(body[3..].to_vec()).unwrap();
    assert!(csv.starts_with("№;ФИО;"), "{csv}");
    assert!(csv.contains("Нарушение обязательства"), "{csv}");
    let row: Vec<&str> = csv.lines().nth(1).unwrap().split(';').collect();
    let kato = row[row.len() - 2];
    assert!(
        !kato.is_empty() && kato.chars().all(|c| c.is_ascii_digit()),
        "{row:?}"
    );
    assert_ne!(row[6], kato, "the region by name: {row:?}");

    // English with commas; an unknown language is refused.
    let (_, _, body) = download(&app, Some(&analyst), "/exports/graduates.csv?lang=en").await;
    assert!(
        String::from_utf8(body[3..].to_vec())
            .unwrap()
            .starts_with("No.,Full name,")
    );
    // The specialty too, from the classifier (the university wrote it in Kazakh).
    let (_, _, body) = download(
        &app,
        Some(&analyst),
        "/exports/graduates.csv?status=BREACH&lang=en",
    )
    .await;
    let csv = String::from_utf8(body[3..].to_vec()).unwrap();
    let row: Vec<&str> = csv.lines().nth(1).unwrap().split(',').collect();
    assert_eq!(row[5], "General medicine", "{row:?}");
    let (status, _, _) = download(&app, Some(&analyst), "/exports/graduates.csv?lang=xx").await;
    assert_eq!(status, 400);
}
