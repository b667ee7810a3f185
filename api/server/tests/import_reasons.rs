#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail by panicking
//! Import rejections carry a stable machine reason code next to their English text: each
//! rejected line's code through the API, and a refused file's code with the values its text
//! needs; the schema's `ImportRejectionReason` is the one list of those codes.

use crate::common;

use std::io::Write;

use adal_obligations::import::{ImportKind, import_file};
use adal_obligations::import_reason::ImportRejectionReason;
use common::*;
use serde_json::json;

fn write(dir: &std::path::Path, name: &str, lines: &[String]) -> std::path::PathBuf {
    let path = dir.join(name);
    let mut f = std::fs::File::create(&path).unwrap();
    for l in lines {
        writeln!(f, "{l}").unwrap();
    }
    path
}

const BATCH: &str = "query($id: ID!) { importBatch(id: $id) {
    status error errorCode errorParams rejected
    rejections { line field code reason }
} }";

#[tokio::test(flavor = "multi_thread")]
async fn each_rejected_line_has_a_reason_code_the_schema_lists() {
    let app = spawn_app_with_demo().await;
    let analyst = token(&app, "analyst").await;
    let dir = tempfile::tempdir().unwrap();
    let good = valid_id("95010130001");
    let bad_check = format!("{}{}", &good[..11], (good.as_bytes()[11] - b'0' + 1) % 10);
    let path = write(
        dir.path(),
        "feed.csv",
        &[
            "iin,employer_id,employer_name,employer_address,period,payment_date,amount_kzt,payment_code".into(),
            format!("{good},940140000385,X,,2024-09,,,010"),
            format!("{bad_check},940140000385,X,,2024-09,,,010"),
            format!("{good},940140000385,X,,2024-13,,,010"),
            format!("{good},940140000385,X,,2024-09,,,011"),
            format!("{good},940140000385,X,,2024-10,2024-31-10,,010"),
            format!("{good},940140000385,X,,2024-11,,-5,010"),
            "12345,940140000385,X,,2024-09,,,010".to_owned(),
        ],
    );
    let report = import_file(&app.db, ImportKind::Contributions, &path, None)
        .await
        .unwrap();
    assert_eq!(report.rejected, 6);
    let r = gql(
        &app,
        Some(&analyst),
        BATCH,
        json!({ "id": report.id.to_string() }),
    )
    .await;
    let b = &r.ok()["importBatch"];
    assert_eq!(b["errorCode"], json!(null));
    let got: Vec<(i64, String, String)> = b["rejections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| {
            assert!(!x["reason"].as_str().unwrap().is_empty(), "{x}");
            (
                x["line"].as_i64().unwrap(),
                x["field"].as_str().unwrap().to_owned(),
                x["code"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let want = [
        (3, "iin", "INVALID_IIN"),
        (4, "period", "INVALID_PERIOD"),
        (5, "payment_code", "INVALID_PAYMENT_CODE"),
        (6, "payment_date", "INVALID_DATE"),
        (7, "amount_kzt", "NEGATIVE_AMOUNT"),
        (8, "iin", "INVALID_IIN"),
    ];
    let want: Vec<(i64, String, String)> = want
        .iter()
        .map(|(l, f, c)| (*l, (*f).to_owned(), (*c).to_owned()))
        .collect();
    assert_eq!(got, want);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_refused_file_says_why_with_a_code_and_the_missing_columns() {
    let app = spawn_app_with_demo().await;
    let analyst = token(&app, "analyst").await;
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "c.csv", &["iin,period".into(), "1,2".into()]);
    import_file(&app.db, ImportKind::Contributions, &path, None)
        .await
        .unwrap_err();
    let list = gql(
        &app,
        Some(&analyst),
        "{ importBatches(first: 1) { nodes { id } } }",
        json!({}),
    )
    .await;
    let id = list.ok()["importBatches"]["nodes"][0]["id"].clone();
    let r = gql(&app, Some(&analyst), BATCH, json!({ "id": id })).await;
    let b = &r.ok()["importBatch"];
    assert_eq!(b["status"], "failed");
    assert_eq!(b["errorCode"], "MISSING_COLUMNS");
    assert_eq!(
        b["errorParams"],
        json!([
            "employer_id",
            "employer_name",
            "employer_address",
            "payment_date",
            "amount_kzt",
            "payment_code"
        ])
    );
    // The English text stays for machines and logs.
    assert!(b["error"].as_str().unwrap().contains("missing columns"));
    assert_eq!(b["rejections"], json!([]));
}

/// The values of an enum of the printed schema, in order.
fn schema_enum(name: &str) -> Vec<String> {
    let sdl = adal_server::schema::sdl();
    let head = format!("enum {name} {{");
    let start = sdl.find(&head).unwrap();
    let body = &sdl[start..start + sdl[start..].find('}').unwrap()];
    body.lines()
        .skip(1)
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('"') && !l.starts_with('#'))
        .map(str::to_owned)
        .collect()
}

#[test]
fn the_schema_lists_every_reason_code_and_no_other() {
    let codes: Vec<&str> = ImportRejectionReason::ALL
        .iter()
        .map(|r| r.as_str())
        .collect();
    assert_eq!(schema_enum("ImportRejectionReason"), codes);
}

#[test]
fn the_schema_lists_every_error_code() {
    let codes: Vec<&str> = adal_core::error::ErrorCode::ALL
        .iter()
        .map(|c| c.as_str())
        .collect();
    assert_eq!(schema_enum("ErrorCode"), codes);
}
