//! Adal's test kit, a dev-dependency only (the `adal` binary contains none of it): the
//! spawn-app harness, fake gateways and the benchmarks' data generator. Shared by the server's
//! tests, the e2e suite and the benchmarks: each test gets its
//! own server on a free port and its own fresh database (a SQLite file in a temporary folder,
//! or a new PostgreSQL database when `ADAL_TEST_DATABASE_URL` is set).

pub mod fakes;
pub mod generator;

use std::path::PathBuf;

use sea_orm::{ConnectionTrait, Database, DatabaseConnection};

use adal_core::db::StatementCounter;
use adal_core::settings::{Secret, Settings};
use adal_server::startup::Application;

pub struct TestApp {
    /// `http://127.0.0.1:PORT`
    pub address: String,
    pub db: DatabaseConnection,
    pub statements: StatementCounter,
    pub settings: Settings,
    database: TestDatabase,
    _data_dir: tempfile::TempDir,
}

impl TestApp {
    /// `postgres` or `sqlite`.
    pub fn backend(&self) -> &'static str {
        if self.database.drop_url.is_some() {
            "postgres"
        } else {
            "sqlite"
        }
    }
}

/// A fresh database for one test; a PostgreSQL one is dropped when the test ends.
struct TestDatabase {
    url: String,
    /// (admin URL, database name) of a PostgreSQL database to drop.
    drop_url: Option<(String, String)>,
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        if let Some((admin, name)) = self.drop_url.take() {
            // A separate thread with its own runtime: drop runs inside the test's runtime.
            let _ = std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .ok()?;
                rt.block_on(async {
                    let conn = Database::connect(admin).await.ok()?;
                    conn.execute_unprepared(&format!(
                        "DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"
                    ))
                    .await
                    .ok()?;
                    conn.close().await.ok()
                })
            })
            .join();
        }
    }
}

async fn test_database(data_dir: &std::path::Path) -> TestDatabase {
    match std::env::var("ADAL_TEST_DATABASE_URL") {
        Ok(admin) if !admin.trim().is_empty() => {
            let name = format!("adal_test_{}", uuid::Uuid::new_v4().simple());
            let conn = Database::connect(admin.as_str()).await.unwrap_or_else(|e| {
                panic!("ADAL_TEST_DATABASE_URL is set but PostgreSQL is not reachable: {e}")
            });
            conn.execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
                .await
                .unwrap_or_else(|e| panic!("cannot create test database: {e}"));
            let _ = conn.close().await;
            let base = match admin.rfind('/') {
                Some(i) if admin[..i].contains("://") && !admin[..i].ends_with('/') => &admin[..i],
                _ => admin.trim_end_matches('/'),
            };
            TestDatabase {
                url: format!("{base}/{name}"),
                drop_url: Some((admin, name)),
            }
        }
        _ => TestDatabase {
            url: format!("sqlite://{}?mode=rwc", data_dir.join("test.db").display()),
            drop_url: None,
        },
    }
}

/// Settings for a test server; `customise` may change any of them.
pub async fn spawn_app_with(customise: impl FnOnce(&mut Settings)) -> TestApp {
    let data_dir = tempfile::tempdir().unwrap_or_else(|e| panic!("temp dir: {e}"));
    let database = test_database(data_dir.path()).await;
    let mut settings = Settings {
        listen: "127.0.0.1:0".into(),
        data_dir: data_dir.path().to_path_buf(),
        database_url: Some(Secret::new(database.url.clone())),
        database_max_connections: 5,
        web_dir: workspace_root().join("web").join("dist"),
        login_slowdown_ms: 5,
        ..Settings::default()
    };
    customise(&mut settings);
    let app = Application::build(settings.clone())
        .await
        .unwrap_or_else(|e| panic!("starting the test server: {e:#}"));
    let address = format!("http://127.0.0.1:{}", app.port());
    let db = app.db().clone();
    let statements = app.state().statements.clone();
    tokio::spawn(app.run_until_stopped());
    TestApp {
        address,
        db,
        statements,
        settings,
        database,
        _data_dir: data_dir,
    }
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

pub async fn spawn_app_with_demo() -> TestApp {
    spawn_app_with_demo_and(|_| {}).await
}

/// The demo data on a server with settings of the test's own.
pub async fn spawn_app_with_demo_and(customise: impl FnOnce(&mut Settings)) -> TestApp {
    let app = spawn_app_with(customise).await;
    adal_server::seed::seed_demo(&app.db)
        .await
        .unwrap_or_else(|e| panic!("loading demo data: {e:#}"));
    app
}

/// The workspace's top folder.
pub fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(PathBuf::from)
        .unwrap_or_default()
}
