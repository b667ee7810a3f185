#![allow(clippy::unwrap_used)] // tests fail by panicking
//! Every root query and mutation of the schema has a row in a role matrix (the suites that
//! check, for every demo role, an anonymous caller and the integration client, who may call
//! it). A field added without its row fails here.

use std::collections::BTreeSet;

/// The suites holding role matrices (`Op { name: "...", ... }` rows).
const MATRICES: [&str; 7] = [
    include_str!("role_matrix.rs"),
    include_str!("obligations_api.rs"),
    include_str!("notifications.rs"),
    include_str!("vouchers.rs"),
    include_str!("schools.rs"),
    include_str!("sso.rs"),
    include_str!("transparency.rs"),
];

/// The names of the rows: each `Op {` followed by `name: "..."`.
fn rows() -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for text in MATRICES {
        for block in text.split("Op {").skip(1) {
            let Some(rest) = block.trim_start().strip_prefix("name: \"") else {
                continue;
            };
            out.insert(rest[..rest.find('"').unwrap()].to_owned());
        }
    }
    out
}

/// The fields of a root type in the SDL (descriptions skipped).
fn root_fields(sdl: &str, root: &str) -> Vec<String> {
    let start = sdl.find(&format!("\ntype {root} {{\n")).unwrap();
    let body = &sdl[start..];
    let body = &body[..body.find("\n}").unwrap()];
    let mut fields = Vec::new();
    let mut in_doc = false;
    for line in body.lines().skip(2) {
        let t = line.trim();
        if t.starts_with("\"\"\"") {
            if !(t.len() > 3 && t.ends_with("\"\"\"")) {
                in_doc = !in_doc;
            }
            continue;
        }
        if in_doc || t.is_empty() || t.starts_with('@') {
            continue;
        }
        let name: String = t
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        if !name.is_empty() {
            fields.push(name);
        }
    }
    fields
}

#[test]
fn every_root_field_has_a_row_in_a_role_matrix() {
    let sdl = adal_server::schema::sdl();
    let rows = rows();
    let mut missing = Vec::new();
    let mut total = 0;
    for root in ["Query", "Mutation"] {
        for f in root_fields(&sdl, root) {
            total += 1;
            if !rows.contains(&f) {
                missing.push(format!("{root}.{f}"));
            }
        }
    }
    assert!(
        total > 70,
        "the schema's root fields were not read ({total})"
    );
    assert!(
        missing.is_empty(),
        "{} of {total} root fields have no row in a role matrix: {}",
        missing.len(),
        missing.join(", ")
    );
}
