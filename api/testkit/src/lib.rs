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

/// A fresh database for one test; a PostgreSQL one is dropped when the test ends, in the
/// background: a drop waits for a checkpoint (about a second), which the next test need not
/// wait for. One the process ends before dropping is removed by the next test process
/// ([`remove_dead_leftovers`]: its name holds the process id).
struct TestDatabase {
    url: String,
    /// (admin URL, database name) of a PostgreSQL database to drop.
    drop_url: Option<(String, String)>,
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        if let Some((admin, name)) = self.drop_url.take() {
            // A separate thread with its own runtime (drop runs inside the test's runtime),
            // not waited for.
            std::thread::spawn(move || {
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
            });
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

/// The PostgreSQL server tests run on (`ADAL_TEST_DATABASE_URL`), if any.
fn postgres_admin() -> Option<String> {
    std::env::var("ADAL_TEST_DATABASE_URL")
        .ok()
        .filter(|a| !a.trim().is_empty())
}

/// A new PostgreSQL database copied from `template`. A test's database needs no durability:
/// its commits do not wait for the disk (`synchronous_commit` off, for that database only).
async fn postgres_copy(admin: &str, template: &str, prefix: &str) -> String {
    let name = format!("{prefix}_{}", uuid::Uuid::new_v4().simple());
    let conn = Database::connect(admin).await.unwrap_or_else(|e| {
        panic!("ADAL_TEST_DATABASE_URL is set but PostgreSQL is not reachable: {e}")
    });
    for sql in [
        format!("CREATE DATABASE \"{name}\" TEMPLATE \"{template}\""),
        format!("ALTER DATABASE \"{name}\" SET synchronous_commit = off"),
    ] {
        conn.execute_unprepared(&sql)
            .await
            .unwrap_or_else(|e| panic!("cannot create test database: {e}"));
    }
    let _ = conn.close().await;
    name
}

/// A fresh database for one test, copied from a migrated template (the server's own
/// migration step then finds nothing to do), or from the one with the demo data loaded.
async fn test_database(data_dir: &std::path::Path, demo: bool) -> TestDatabase {
    static CLEANED: tokio::sync::OnceCell<()> = tokio::sync::OnceCell::const_new();
    CLEANED.get_or_init(remove_dead_leftovers).await;
    match postgres_admin() {
        Some(admin) => {
            let template = if demo {
                let t = demo_template().await;
                copy_files(&t.files, data_dir);
                t.database.clone()
            } else {
                postgres_template(&admin).await
            };
            let prefix = format!("adal_test_{}", std::process::id());
            let name = postgres_copy(&admin, &template, &prefix).await;
            TestDatabase {
                url: format!("{}/{name}", server_of(&admin)),
                drop_url: Some((admin, name)),
            }
        }
        None => {
            let file = data_dir.join("test.db");
            let template = if demo {
                let t = demo_template().await;
                copy_files(&t.files, data_dir);
                PathBuf::from(&t.database)
            } else {
                sqlite_template().await
            };
            std::fs::copy(template, &file)
                .unwrap_or_else(|e| panic!("copying the template database: {e}"));
            TestDatabase {
                url: format!("sqlite://{}?mode=rwc", file.display()),
                drop_url: None,
            }
        }
    }
}

/// The demo data, loaded once per test process: a database (a SQLite file, or a PostgreSQL
/// database) each test with the demo copies, and the files it stored (its documents), copied
/// into each such test's data folder. Made per process, since the demo is code that changes
/// between runs; a run's leftovers are removed by the next one.
struct DemoTemplate {
    /// The SQLite file's path, or the PostgreSQL database's name.
    database: String,
    files: PathBuf,
}

async fn demo_template() -> &'static DemoTemplate {
    static TEMPLATE: tokio::sync::OnceCell<DemoTemplate> = tokio::sync::OnceCell::const_new();
    TEMPLATE
        .get_or_init(|| async {
            let root = workspace_root().join("target").join("test-templates");
            let files = root.join(format!(
                "demo-{}-{}",
                std::process::id(),
                uuid::Uuid::new_v4().simple()
            ));
            std::fs::create_dir_all(&files).unwrap_or_else(|e| panic!("{}: {e}", files.display()));
            let (url, database) = match postgres_admin() {
                Some(admin) => {
                    let migrated = postgres_template(&admin).await;
                    let prefix = format!("adal_demo_{}", std::process::id());
                    let name = postgres_copy(&admin, &migrated, &prefix).await;
                    (format!("{}/{name}", server_of(&admin)), name)
                }
                None => {
                    let file = files.join("seeding.db");
                    std::fs::copy(sqlite_template().await, &file)
                        .unwrap_or_else(|e| panic!("copying the template database: {e}"));
                    (
                        format!("sqlite://{}?mode=rwc", file.display()),
                        files.join("demo.db").display().to_string(),
                    )
                }
            };
            let settings = Settings {
                data_dir: files.join("data"),
                database_url: Some(Secret::new(url)),
                ..Settings::default()
            };
            let (db, _) = adal_core::db::connect(&settings)
                .await
                .unwrap_or_else(|e| panic!("the demo's database: {e:#}"));
            adal_server::seed::seed_demo(&db, &settings)
                .await
                .unwrap_or_else(|e| panic!("loading demo data: {e:#}"));
            if db.get_database_backend() == sea_orm::DatabaseBackend::Sqlite {
                // One whole file, whatever the write-ahead log still holds.
                db.execute_unprepared(&format!("VACUUM INTO '{database}'"))
                    .await
                    .unwrap_or_else(|e| panic!("copying the demo's database: {e}"));
            }
            let _ = db.close().await;
            DemoTemplate {
                database,
                files: settings.data_dir,
            }
        })
        .await
}

/// Copies the files under `from` (the demo's stored documents) into `to`.
fn copy_files(from: &std::path::Path, to: &std::path::Path) {
    let Ok(entries) = std::fs::read_dir(from) else {
        return;
    };
    for e in entries.flatten() {
        let target = to.join(e.file_name());
        if e.path().is_dir() {
            std::fs::create_dir_all(&target)
                .unwrap_or_else(|err| panic!("{}: {err}", target.display()));
            copy_files(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), &target)
                .unwrap_or_else(|err| panic!("{}: {err}", target.display()));
        }
    }
}

/// Whether the test process `pid` still runs.
fn alive(pid: &str) -> bool {
    std::path::Path::new("/proc").join(pid).exists()
}

/// Removes what test processes that have ended left: their demo templates (folders
/// `demo-PID-…`, PostgreSQL databases `adal_demo_PID_…`) and the PostgreSQL databases of
/// their last tests (`adal_test_PID_…`).
async fn remove_dead_leftovers() {
    let root = workspace_root().join("target").join("test-templates");
    if let Ok(entries) = std::fs::read_dir(root) {
        for e in entries.flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            if let Some(pid) = name.strip_prefix("demo-").and_then(|r| r.split('-').next())
                && !alive(pid)
            {
                let _ = std::fs::remove_dir_all(e.path());
            }
        }
    }
    let Some(admin) = postgres_admin() else {
        return;
    };
    let Ok(conn) = Database::connect(admin.as_str()).await else {
        return;
    };
    let names = conn
        .query_all_raw(sea_orm::Statement::from_string(
            sea_orm::DbBackend::Postgres,
            "SELECT datname FROM pg_database \
             WHERE datname LIKE 'adal\\_demo\\_%' OR datname LIKE 'adal\\_test\\_%'"
                .to_owned(),
        ))
        .await
        .unwrap_or_default();
    for row in names {
        let Ok(name) = row.try_get::<String>("", "datname") else {
            continue;
        };
        let pid = ["adal_demo_", "adal_test_"]
            .iter()
            .find_map(|p| name.strip_prefix(p))
            .and_then(|rest| rest.split('_').next());
        if pid.is_some_and(|p| !alive(p)) {
            let _ = conn
                .execute_unprepared(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
                .await;
        }
    }
    let _ = conn.close().await;
}

/// Settings for a test server; `customise` may change any of them.
pub async fn spawn_app_with(customise: impl FnOnce(&mut Settings)) -> TestApp {
    spawn(customise, false).await
}

async fn spawn(customise: impl FnOnce(&mut Settings), demo: bool) -> TestApp {
    let data_dir = tempfile::tempdir().unwrap_or_else(|e| panic!("temp dir: {e}"));
    let database = test_database(data_dir.path(), demo).await;
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

/// The demo data on a server with settings of the test's own. The demo is loaded once per
/// test process with the default settings (`seed_demo`), and each test gets a copy of it.
pub async fn spawn_app_with_demo_and(customise: impl FnOnce(&mut Settings)) -> TestApp {
    spawn(customise, true).await
}

/// The workspace's top folder (this crate is `api/testkit/`).
pub fn workspace_root() -> PathBuf {
    let here = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    here.ancestors().nth(2).map(PathBuf::from).unwrap_or(here)
}
