#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail by panicking
//! The `adal` binary: creating the first administrator from the command line, printing the
//! schema, and refusing unknown settings.

use std::io::Write;
use std::process::{Command, Stdio};

fn adal(data_dir: &std::path::Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_adal"));
    c.env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("ADAL_DATA_DIR", data_dir)
        .env("ADAL_LOG_LEVEL", "warn")
        .current_dir(data_dir);
    c
}

/// `adal user create --login chief --role operator_admin --password-stdin`, the password
/// given on standard input.
fn create_chief(data_dir: &std::path::Path) -> std::process::Output {
    let mut child = adal(data_dir)
        .args([
            "user",
            "create",
            "--login",
            "chief",
            "--role",
            "operator_admin",
            "--password-stdin",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"a-long-secret-42\n")
        .unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn user_create_reads_the_password_from_stdin_and_the_account_signs_in() {
    let dir = tempfile::tempdir().unwrap();
    let out = create_chief(dir.path());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("account chief created"));
    assert!(
        dir.path().join("adal.db").exists(),
        "the embedded database was created"
    );

    // The same login again is refused with a clear message.
    let mut child = adal(dir.path())
        .args([
            "user",
            "create",
            "--login",
            "chief",
            "--role",
            "operator_admin",
            "--password-stdin",
        ])
        .stdin(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"a-long-secret-42\n")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("already taken"));

    // A role that needs a scope without it is refused.
    let mut child = adal(dir.path())
        .args([
            "user",
            "create",
            "--login",
            "officer",
            "--role",
            "akimat_officer",
            "--password-stdin",
        ])
        .stdin(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"a-long-secret-42\n")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("needs a region"));
    let out = adal(dir.path())
        .args([
            "user",
            "create",
            "--login",
            "x",
            "--role",
            "wizard",
            "--password-stdin",
        ])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown Role"));

    // The account signs in against the same database.
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let settings = adal_core::settings::Settings {
            data_dir: dir.path().to_path_buf(),
            ..Default::default()
        };
        let (db, _) = adal_core::db::connect(&settings).await.unwrap();
        let state = adal_core::state::AppState::new(settings, db, Default::default()).unwrap();
        let s = adal_core::auth::service::sign_in(
            &state,
            adal_core::auth::service::Credentials::Person,
            "chief",
            "a-long-secret-42",
            None,
            None,
        )
        .await
        .map_err(|e| e.message())
        .unwrap();
        assert!(s.actor.has_role(adal_core::auth::Role::OperatorAdmin));
    });
}

#[test]
fn unknown_settings_are_rejected() {
    let dir = tempfile::tempdir().unwrap();
    let out = adal(dir.path())
        .env("ADAL_LISTN", "x")
        .arg("migrate")
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("listn"));
}

#[test]
fn print_schema_prints_the_sdl() {
    let dir = tempfile::tempdir().unwrap();
    let out = adal(dir.path()).arg("print-schema").output().unwrap();
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        adal_server::schema::sdl()
    );
}

#[test]
fn vouchers_verify_accepts_a_published_allocation_and_refuses_a_tampered_one() {
    use adal_vouchers::ranking::{self, Entry, PriorityTable, TieBreak};
    let dir = tempfile::tempdir().unwrap();
    let table = PriorityTable {
        version: 1,
        weights: [("orphan".to_owned(), 5), ("asp".to_owned(), 3)].into(),
        ties: vec![TieBreak::YoungerFirst, TieBreak::Lottery],
    };
    let entries: Vec<Entry> = (0..6)
        .map(|n| Entry {
            child_hash: ranking::child_hash(&format!("salt{n}"), &format!("1501015000{n}0")),
            categories: if n % 2 == 0 {
                vec!["asp".into()]
            } else {
                vec![]
            },
            age_months: 100 + n,
            direction: "sport".into(),
            monthly_value: 15_000,
        })
        .collect();
    let file = ranking::allocate(7, table, "a-published-seed", 3 * 5 * 15_000, 5, entries);
    let good = dir.path().join("allocation.json");
    std::fs::write(&good, serde_json::to_string(&file).unwrap()).unwrap();
    let out = adal(dir.path())
        .args(["vouchers", "verify"])
        .arg(&good)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("matches"));

    // The fourth child marked issued: the budget held three.
    let mut tampered = file.clone();
    tampered.result[3].issued = true;
    let bad = dir.path().join("tampered.json");
    std::fs::write(&bad, serde_json::to_string(&tampered).unwrap()).unwrap();
    let out = adal(dir.path())
        .args(["vouchers", "verify"])
        .arg(&bad)
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("does NOT match"));
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("Rank 4"),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn audit_verify_names_the_event_edited_in_the_database() {
    use sea_orm::ConnectionTrait;
    let dir = tempfile::tempdir().unwrap();
    // Creating an account is an audit event.
    assert!(create_chief(dir.path()).status.success());
    let run = |args: &[&str]| adal(dir.path()).args(args).output().unwrap();
    let sealed = run(&["audit", "seal"]);
    assert!(sealed.status.success());
    assert!(
        String::from_utf8_lossy(&sealed.stdout).contains("1 audit events sealed"),
        "{}",
        String::from_utf8_lossy(&sealed.stdout)
    );
    let ok = run(&["audit", "verify"]);
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    assert!(String::from_utf8_lossy(&ok.stdout).contains("the audit trail holds: links 1..1"));

    // Someone with the database's file drops the trigger and rewrites the event's grounds.
    let url = format!("sqlite://{}", dir.path().join("adal.db").display());
    let db = sea_orm::Database::connect(&url).await.unwrap();
    db.execute_unprepared("DROP TRIGGER audit_event_no_update")
        .await
        .unwrap();
    db.execute_unprepared("UPDATE audit_event SET details = '{}'")
        .await
        .unwrap();
    db.close().await.unwrap();
    let bad = run(&["audit", "verify"]);
    assert!(!bad.status.success());
    let said = String::from_utf8_lossy(&bad.stderr);
    assert!(
        said.contains("(link 1) was changed after it was sealed"),
        "{said}"
    );
}

#[test]
fn sso_rotate_key_makes_a_new_signing_key_each_time() {
    let dir = tempfile::tempdir().unwrap();
    let run = || {
        let out = adal(dir.path())
            .args(["sso", "rotate-key"])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let text = String::from_utf8(out.stdout).unwrap();
        text.trim()
            .strip_prefix("new ID-token signing key: ")
            .unwrap_or_else(|| panic!("{text}"))
            .to_owned()
    };
    let first = run();
    let second = run();
    assert_ne!(first, second);
    assert_eq!(second.len(), 16);
}
