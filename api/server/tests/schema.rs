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

/// Every source file under `dir`, recursively.
fn rust_files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The lines of a source file outside its `#[cfg(test)]` modules (a test may define refusals
/// of its own).
fn outside_tests(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        if line.trim() != "#[cfg(test)]" {
            out.push(line);
            continue;
        }
        // Skip the item the attribute applies to, up to its closing brace.
        let mut depth = 0i32;
        let mut opened = false;
        for inner in lines.by_ref() {
            depth += inner.matches('{').count() as i32 - inner.matches('}').count() as i32;
            opened |= inner.contains('{');
            if opened && depth <= 0 {
                break;
            }
        }
    }
    out
}

/// A refusal enum the schema does not list would reach clients as a reason no page can
/// explain (the web's test reads the reasons from `schema.graphql`).
#[test]
fn every_refusal_enum_is_in_the_schema() {
    let api = adal_testkit::workspace_root().join("api");
    let mut files = Vec::new();
    for krate in std::fs::read_dir(&api).unwrap() {
        let src = krate.unwrap().path().join("src");
        if src.is_dir() {
            rust_files(&src, &mut files);
        }
    }
    let mut refusals = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        for line in outside_tests(&text) {
            let line = line.trim();
            let Some(rest) = line
                .strip_prefix("impl adal_core::error::Refusal for ")
                .or_else(|| line.strip_prefix("impl Refusal for "))
                .or_else(|| line.strip_prefix("impl crate::error::Refusal for "))
            else {
                continue;
            };
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            refusals.push((name, file.display().to_string()));
        }
    }
    assert!(
        refusals.len() >= 4,
        "found only {refusals:?}: each domain's refusal enum implements `Refusal`"
    );
    let sdl = adal_server::schema::sdl();
    for (name, file) in &refusals {
        assert!(
            sdl.contains(&format!("enum {name} {{")),
            "{name} ({file}) implements Refusal but the schema does not list it: \
             register it in api/server/src/schema.rs"
        );
    }
}
