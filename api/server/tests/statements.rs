#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail by panicking
//! No N+1: a page of organisations with nested relations costs a fixed number of statements,
//! whatever the page size.

use crate::common;

use common::*;
use serde_json::json;

#[tokio::test(flavor = "multi_thread")]
async fn nested_relations_are_batched() {
    // The counter counts every statement on the pool: no job runner polling beside.
    let app = adal_testkit::spawn_app_with_demo_and(|s| s.job_runner = false).await;
    let q = "query($n: Int) { organisations(first: $n) { totalCount nodes { id region { nameKk } locality { name region { kato } } parent { id } } } }";
    let mut counts = Vec::new();
    // Anonymous callers see the demo's six institutions.
    for n in [2, 6] {
        let before = app.statements.get();
        let r = gql(&app, None, q, json!({ "n": n })).await;
        assert_eq!(
            r.ok()["organisations"]["nodes"].as_array().unwrap().len(),
            n as usize
        );
        counts.push(app.statements.get() - before);
    }
    assert_eq!(
        counts[0], counts[1],
        "statements grow with the page size: {counts:?}"
    );
    // count + page + regions + localities (+ localities' regions, cached) : at most 5.
    assert!(counts[1] <= 5, "{counts:?}");
}
