#![allow(clippy::unwrap_used)] // tests fail by panicking
//! The crate graph the house is built on, read from `cargo metadata`: dependencies point one
//! way (core <- registers, notifications <- domains <- server), no domain depends on another
//! domain, notifications and the registers know no domain, and the test kit is only ever a
//! dev-dependency (the `adal` binary contains none of it).

use std::collections::BTreeMap;
use std::process::Command;

/// The layer of a workspace crate of the API; any other `adal-*` crate under `api/` is a domain.
fn layer(name: &str) -> u8 {
    match name {
        "adal-core" => 0,
        "adal-registers" | "adal-notifications" => 1,
        "adal-server" => 3,
        "adal-testkit" => 4,
        _ => 2,
    }
}

/// Each API crate with its normal (non-dev, non-build) dependencies on other `adal-*` crates,
/// and every crate that takes the test kit as a normal dependency.
fn api_graph() -> (BTreeMap<String, Vec<String>>, Vec<String>) {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = Command::new(cargo)
        .args([
            "metadata",
            "--format-version",
            "1",
            "--no-deps",
            "--offline",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let meta: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut graph = BTreeMap::new();
    let mut takes_testkit = Vec::new();
    for p in meta["packages"].as_array().unwrap() {
        let name = p["name"].as_str().unwrap().to_owned();
        let normal: Vec<String> = p["dependencies"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| d["kind"].is_null())
            .map(|d| d["name"].as_str().unwrap().to_owned())
            .collect();
        if normal.iter().any(|d| d == "adal-testkit") && name != "e2e" {
            takes_testkit.push(name.clone());
        }
        if name.starts_with("adal-") && p["manifest_path"].as_str().unwrap().contains("/api/") {
            let adal: Vec<String> = normal
                .into_iter()
                .filter(|d| d.starts_with("adal-"))
                .collect();
            graph.insert(name, adal);
        }
    }
    (graph, takes_testkit)
}

#[test]
fn dependencies_point_one_way_and_no_domain_imports_another() {
    let (graph, _) = api_graph();
    for want in [
        "adal-core",
        "adal-registers",
        "adal-notifications",
        "adal-obligations",
        "adal-server",
        "adal-testkit",
    ] {
        assert!(graph.contains_key(want), "{want} is missing: {graph:?}");
    }
    for (krate, deps) in &graph {
        for d in deps {
            assert!(
                layer(d) < layer(krate),
                "{krate} depends on {d}: dependencies must point down (core <- registers, notifications <- domains <- server)"
            );
        }
    }
    assert!(graph["adal-core"].is_empty(), "{:?}", graph["adal-core"]);
    assert_eq!(graph["adal-notifications"], ["adal-core"]);
}

#[test]
fn the_test_kit_is_only_a_dev_dependency() {
    let (graph, takes_testkit) = api_graph();
    assert!(
        takes_testkit.is_empty(),
        "{takes_testkit:?} ship the test kit"
    );
    assert!(!graph["adal-server"].contains(&"adal-testkit".to_owned()));
}
