#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail by panicking
//! Downloading the documents of exemption applications (`GET /documents/application/{id}`):
//! the operator's staff and the graduate they belong to, nobody else; the file as uploaded,
//! as an attachment; a file altered on disk is refused. Runs on SQLite, and on PostgreSQL
//! with `ADAL_TEST_DATABASE_URL`.

use crate::common;

use common::*;
use serde_json::json;

const APPLY: &str = "mutation($i: ApplicationInput!) { applyForExemption(input: $i) { id documents { id fileName sha256 downloadPath } } }";

/// Files an application for `graduate` with one document; returns its download path and
/// checksum.
async fn apply(
    app: &adal_testkit::TestApp,
    token: &str,
    graduate: &str,
    name: &str,
    bytes: &[u8],
) -> (String, String) {
    let input = json!({ "i": { "graduateId": graduate, "ground": "MILITARY_SERVICE", "periodStart": "2026-10-01", "statement": "Called up", "documents": [null] } });
    let r = gql_upload(
        app,
        token,
        APPLY,
        input,
        vec![("variables.i.documents.0", name, bytes.to_vec())],
    )
    .await;
    let doc = &r.ok()["applyForExemption"]["documents"][0];
    (
        doc["downloadPath"].as_str().unwrap().to_owned(),
        doc["sha256"].as_str().unwrap().to_owned(),
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn application_documents_download_for_staff_and_their_graduate_only() {
    let app = spawn_app_with_demo().await;
    let me = token(&app, "graduate").await;
    let r = gql(&app, Some(&me), "{ myObligations { id } }", json!({})).await;
    let mine = r.ok()["myObligations"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let content = b"%PDF-1.4 call-up papers".to_vec();
    let (path, _) = apply(&app, &me, &mine, "повестка.pdf", &content).await;
    assert!(path.starts_with("/documents/application/"), "{path}");

    // The graduate, an analyst and a commission member get the file as uploaded.
    for login in ["graduate", "analyst", "commission"] {
        let t = token(&app, login).await;
        let (status, headers, body) = get_path(&app, Some(&t), &path).await;
        assert_eq!(status, 200, "{login}");
        assert_eq!(body, content, "{login}");
        assert_eq!(headers["content-type"], "application/pdf");
        let disposition = headers["content-disposition"].to_str().unwrap();
        assert!(disposition.starts_with("attachment;"), "{disposition}");
        assert!(
            disposition.contains("UTF-8''%D0%BF%D0%BE%D0%B2%D0%B5%D1%81%D1%82%D0%BA%D0%B0.pdf"),
            "{disposition}"
        );
    }

    // Another graduate's document, filed by the administrator on their behalf: not found for
    // this graduate, as if it did not exist; a parent may not download documents at all.
    let admin = token(&app, "admin").await;
    let other = graduate_id(&app, &admin, "Омаров").await;
    assert_ne!(other, mine);
    let (theirs, sha) = apply(&app, &admin, &other, "<script>.html", b"<script>x</script>").await;
    let (status, _, body) = get_path(&app, Some(&me), &theirs).await;
    assert_eq!(status, 404, "{}", String::from_utf8_lossy(&body));
    assert!(String::from_utf8_lossy(&body).contains("NOT_FOUND"));
    let (status, _, _) = get_path(&app, Some(&token(&app, "parent").await), &theirs).await;
    assert_eq!(status, 403);
    let (status, _, _) = get_path(&app, None, &theirs).await;
    assert_eq!(status, 401);
    let (status, _, _) = get_path(&app, Some(&admin), "/documents/application/999999").await;
    assert_eq!(status, 404);

    // An uploaded page is never served as a page on Adal's origin.
    let (status, headers, _) = get_path(&app, Some(&admin), &theirs).await;
    assert_eq!(status, 200);
    assert_eq!(headers["content-type"], "application/octet-stream");
    assert_eq!(headers["x-content-type-options"], "nosniff");

    // Each download is on the audit trail.
    let r = gql(
        &app,
        Some(&admin),
        "{ auditEvents(first: 50) { nodes { action } } }",
        json!({}),
    )
    .await;
    let downloads = r.ok()["auditEvents"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "document.download")
        .count();
    assert_eq!(downloads, 4);

    // A file altered on disk no longer matches its checksum: refused, never sent.
    let file = app.settings.data_dir.join("documents").join(&sha);
    std::fs::write(&file, b"tampered").unwrap();
    let (status, _, body) = get_path(&app, Some(&admin), &theirs).await;
    assert_eq!(status, 500);
    assert!(!String::from_utf8_lossy(&body).contains("tampered"));
}
