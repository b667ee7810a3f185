#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail by panicking
//! `schema.graphql` is a contract: it must equal the schema the code serves.

#[test]
fn schema_file_is_up_to_date() {
    let path = adal_testkit::workspace_root().join("schema.graphql");
    let on_disk = std::fs::read_to_string(&path).unwrap_or_default();
    let current = adal_server::schema::sdl();
    if on_disk != current {
        panic!(
            "schema.graphql is stale: run `cargo run -p adal-server -- print-schema > schema.graphql` \
             and commit it (and fix the web queries if they break)"
        );
    }
}
