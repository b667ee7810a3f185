#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail by panicking
//! The graduates list export (`GET /exports/graduates.csv`): the caller's filters, the
//! operator's staff only, masked IINs, an audit record. Runs on SQLite, and on PostgreSQL
//! with `ADAL_TEST_DATABASE_URL`.

mod common;

use common::*;
use serde_json::json;

async fn export(
    app: &adal_api::testing::TestApp,
    token: Option<&str>,
    query: &str,
) -> (u16, String, String) {
    let mut req =
        reqwest::Client::new().get(format!("{}/exports/graduates.csv{query}", app.address));
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
    (status, content_type, resp.text().await.expect("body"))
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
    let iin = gql(
        &app,
        Some(&analyst),
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
    let admin = token(&app, "admin").await;
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
