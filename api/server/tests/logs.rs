#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail by panicking
//! Personal data never reaches a log line: sign-in and a person query are run with every log
//! level on, and the captured output is searched for the IIN, password, tokens and body.
//! (Its own test binary: it installs the process-wide subscriber.)

mod common;

use std::io::Write;
use std::sync::{Arc, Mutex};

use common::*;
use serde_json::json;

#[derive(Clone, Default)]
struct Capture(Arc<Mutex<Vec<u8>>>);

impl Write for Capture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn no_personal_data_in_logs() {
    let capture = Capture::default();
    let writer = capture.clone();
    tracing_subscriber::fmt()
        .with_env_filter("trace")
        .with_writer(move || writer.clone())
        .json()
        .init();

    let app = spawn_app_with_demo().await;
    let login = gql(&app, None, LOGIN, json!({ "l": "admin", "p": "adal-demo" })).await;
    let session = &login.ok()["login"];
    let access = session["accessToken"].as_str().unwrap().to_owned();
    let refresh = session["refreshToken"].as_str().unwrap().to_owned();
    gql(
        &app,
        None,
        LOGIN,
        json!({ "l": "admin", "p": "Wrong-Password-42" }),
    )
    .await;
    let persons = gql(
        &app,
        Some(&access),
        "{ persons { nodes { id iin lastName phone } } }",
        json!({}),
    )
    .await;
    let person = persons.ok()["persons"]["nodes"][0].clone();
    let iin = person["iin"].as_str().unwrap().to_owned();
    let r = gql(
        &app,
        Some(&access),
        "query($i: String) { persons(filter: {iin: $i}) { totalCount } }",
        json!({ "i": iin }),
    )
    .await;
    assert_eq!(r.ok()["persons"]["totalCount"], 1);
    gql(
        &app,
        None,
        "mutation($t: String!) { refreshSession(refreshToken: $t) { accessToken } }",
        json!({ "t": refresh }),
    )
    .await;
    // Lines written after a response (the connection's end) are in once the server stopped.
    app.stop().await;

    let logs = String::from_utf8(capture.0.lock().unwrap().clone()).unwrap();
    assert!(logs.contains("sign-in"), "the sign-in was logged at all");
    assert!(logs.contains("graphql"), "requests were logged at all");
    for (what, secret) in [
        ("IIN", iin.as_str()),
        ("IIN tail", &iin[6..]),
        ("password", "adal-demo"),
        ("wrong password", "Wrong-Password-42"),
        ("access token", access.as_str()),
        ("refresh token", refresh.as_str()),
        ("last name", person["lastName"].as_str().unwrap()),
        ("phone", person["phone"].as_str().unwrap()),
        ("request body", "refreshSession(refreshToken"),
    ] {
        assert!(!logs.contains(secret), "{what} appears in the logs");
    }
}
