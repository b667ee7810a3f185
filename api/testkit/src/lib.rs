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
    server: actix_web::dev::ServerHandle,
    database: TestDatabase,
    _data_dir: tempfile::TempDir,
}

impl TestApp {
    /// Stops the server gracefully and returns once every request in flight has finished
    /// (and written its log lines).
    pub async fn stop(&self) {
        self.server.stop(true).await;
    }

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

/// A name for the migrations as they are now: a template made under other migrations is
/// never used.
fn migrations_key() -> String {
    use migration::MigratorTrait;
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    for m in migration::Migrator::migrations() {
        m.name().hash(&mut h);
    }
    format!("{:016x}", h.finish())
}

/// A migrated SQLite file to copy for each test, made once and kept in `target/` (written to a
/// temporary name and renamed, so test processes running at once never see half a file).
async fn sqlite_template() -> PathBuf {
    static TEMPLATE: tokio::sync::OnceCell<PathBuf> = tokio::sync::OnceCell::const_new();
    TEMPLATE
        .get_or_init(|| async {
            let dir = workspace_root().join("target").join("test-templates");
            std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
            let path = dir.join(format!("sqlite-{}.db", migrations_key()));
            if path.exists() {
                return path;
            }
            let tmp = dir.join(format!("sqlite-{}.tmp", uuid::Uuid::new_v4().simple()));
            let conn = Database::connect(format!("sqlite://{}?mode=rwc", tmp.display()))
                .await
                .unwrap_or_else(|e| panic!("template database: {e}"));
            adal_core::db::migrate(&conn)
                .await
                .unwrap_or_else(|e| panic!("migrating the template: {e:#}"));
            let _ = conn.close().await;
            std::fs::rename(&tmp, &path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            path
        })
        .await
        .clone()
}

/// A migrated PostgreSQL database that `CREATE DATABASE ... TEMPLATE` copies for each test,
/// made once per set of migrations (migrated under a temporary name, then renamed).
async fn postgres_template(admin: &str) -> String {
    static TEMPLATE: tokio::sync::OnceCell<String> = tokio::sync::OnceCell::const_new();
    TEMPLATE
        .get_or_init(|| async {
            let name = format!("adal_template_{}", migrations_key());
            let conn = Database::connect(admin).await.unwrap_or_else(|e| {
                panic!("ADAL_TEST_DATABASE_URL is set but PostgreSQL is not reachable: {e}")
            });
            let exists = conn
                .query_one_raw(sea_orm::Statement::from_string(
                    sea_orm::DbBackend::Postgres,
                    format!("SELECT 1 AS one FROM pg_database WHERE datname = '{name}'"),
                ))
                .await
                .unwrap_or_else(|e| panic!("looking for the template: {e}"))
                .is_some();
            if !exists {
                let tmp = format!("adal_template_tmp_{}", uuid::Uuid::new_v4().simple());
                conn.execute_unprepared(&format!("CREATE DATABASE \"{tmp}\""))
                    .await
                    .unwrap_or_else(|e| panic!("cannot create the template: {e}"));
                let t = Database::connect(format!("{}/{tmp}", server_of(admin)))
                    .await
                    .unwrap_or_else(|e| panic!("template database: {e}"));
                adal_core::db::migrate(&t)
                    .await
                    .unwrap_or_else(|e| panic!("migrating the template: {e:#}"));
                // The months around today, so that each test's server finds them made.
                adal_schools::partitions::ensure(
                    &t,
                    adal_schools::rules::local_day(chrono::Utc::now()),
                )
                .await
                .unwrap_or_else(|e| panic!("partitions of the template: {}", e.message()));
                let _ = t.close().await;
                // Another test process may have made it meanwhile: then this copy goes.
                if conn
                    .execute_unprepared(&format!("ALTER DATABASE \"{tmp}\" RENAME TO \"{name}\""))
                    .await
                    .is_err()
                {
                    let _ = conn
                        .execute_unprepared(&format!(
                            "DROP DATABASE IF EXISTS \"{tmp}\" WITH (FORCE)"
                        ))
                        .await;
                }
            }
            let _ = conn.close().await;
            name
        })
        .await
        .clone()
}

/// `postgres://user@host:port` of an admin URL (without its database).
fn server_of(admin: &str) -> &str {
    match admin.rfind('/') {
        Some(i) if admin[..i].contains("://") && !admin[..i].ends_with('/') => &admin[..i],
        _ => admin.trim_end_matches('/'),
    }
}

/// A fresh database for one test, copied from a migrated template (the server's own
/// migration step then finds nothing to do).
async fn test_database(data_dir: &std::path::Path) -> TestDatabase {
    match std::env::var("ADAL_TEST_DATABASE_URL") {
        Ok(admin) if !admin.trim().is_empty() => {
            let template = postgres_template(&admin).await;
            let name = format!("adal_test_{}", uuid::Uuid::new_v4().simple());
            let conn = Database::connect(admin.as_str()).await.unwrap_or_else(|e| {
                panic!("ADAL_TEST_DATABASE_URL is set but PostgreSQL is not reachable: {e}")
            });
            conn.execute_unprepared(&format!(
                "CREATE DATABASE \"{name}\" TEMPLATE \"{template}\""
            ))
            .await
            .unwrap_or_else(|e| panic!("cannot create test database: {e}"));
            let _ = conn.close().await;
            TestDatabase {
                url: format!("{}/{name}", server_of(&admin)),
                drop_url: Some((admin, name)),
            }
        }
        _ => {
            let file = data_dir.join("test.db");
            std::fs::copy(sqlite_template().await, &file)
                .unwrap_or_else(|e| panic!("copying the template database: {e}"));
            TestDatabase {
                url: format!("sqlite://{}?mode=rwc", file.display()),
                drop_url: None,
            }
        }
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
        // A test asks for the reports it checks.
        school_reports_day: 0,
        ..Settings::default()
    };
    customise(&mut settings);
    let app = Application::build(settings.clone())
        .await
        .unwrap_or_else(|e| panic!("starting the test server: {e:#}"));
    let address = format!("http://127.0.0.1:{}", app.port());
    let db = app.db().clone();
    let statements = app.state().statements.clone();
    let server = app.handle();
    tokio::spawn(app.run_until_stopped());
    TestApp {
        address,
        db,
        statements,
        settings,
        server,
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

/// The workspace's top folder (this crate is `api/testkit/`).
pub fn workspace_root() -> PathBuf {
    let here = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    here.ancestors().nth(2).map(PathBuf::from).unwrap_or(here)
}
