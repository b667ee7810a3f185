//! Obligations benchmark: a bench binary (`harness = false`) that prints figures, not a
//! statistical micro-benchmark. See docs/benchmarks.md.
//!
//! ```text
//! cargo bench -p adal-server --bench obligations -- [--graduates N] [--months M] [--seed S]
//!     [--postgres URL] [--sqlite | --no-sqlite] [--no-memory] [--keep]
//! ```
//!
//! 1. Generates the data set (`adal_testkit::generator`) into a temporary folder.
//! 2. For each database (SQLite always unless `--no-sqlite`; PostgreSQL when `--postgres URL` or
//!    `ADAL_BENCH_DATABASE_URL` is given, `URL` pointing at a server where the user may create
//!    databases): a fresh database (SQLite file in the temporary folder; PostgreSQL
//!    `CREATE DATABASE adal_bench_<random>`, dropped at the end), migrated, then the importer:
//!    regions + localities + employers + graduates (one figure), contributions (another; the
//!    importer also evaluates the graduates it touches), then the full re-evaluation.
//! 3. PostgreSQL only: `psql \copy` of the same contributions.csv into a scratch table of text
//!    columns, in the same database, and the ratio of the two rates.
//! 4. Peak memory of `adal import contributions FILE` run as a child process on a second fresh
//!    database (reference files imported in-process first), read with `/usr/bin/time -f %M`,
//!    else by polling the child's `VmHWM` in /proc. The binary is the one cargo built for this
//!    bench (`CARGO_BIN_EXE_adal`, set by cargo at compile time for benches), else `adal` in
//!    the profile folder above the bench executable (`target/release/adal`).
//! 5. After the full re-evaluation, on the same database: the operator's pages under `wrk`
//!    against `adal serve` (see `support/register.rs`), unless `--no-register`.
//! 6. A Markdown table of the figures for docs/benchmarks.md.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use sea_orm::{ConnectionTrait, DatabaseConnection};

use adal_core::error::ApiError;
use adal_core::settings::{Secret, Settings};
use adal_obligations::evaluate::reevaluate_all;
use adal_obligations::import::{BatchReport, ImportKind, import_file};
use adal_testkit::generator::{self, GenSpec, GenSummary};

#[path = "support/machine.rs"]
mod machine;
#[path = "support/register.rs"]
mod register;
#[path = "support/serve.rs"]
mod serve;

const USAGE: &str = "usage: cargo bench -p adal-server --bench obligations -- \
[--graduates N] [--months M] [--seed S] [--postgres URL] [--sqlite | --no-sqlite] \
[--no-memory] [--no-register] [--register-seconds S] [--keep]
  --graduates N    graduates to generate (default 183000: about 5 million contribution rows)
  --months M       months of contributions per graduate (default 36)
  --seed S         generator seed (default: the generator's)
  --postgres URL   also run on PostgreSQL (or set ADAL_BENCH_DATABASE_URL); the URL names a
                   server where the user may create databases, e.g.
                   postgres://postgres@127.0.0.1:5432/postgres
  --sqlite         run on SQLite (the default)
  --no-sqlite      skip SQLite
  --no-memory      skip the peak-memory run of `adal import contributions`
  --no-register    skip the operator's pages under wrk (`adal serve` on the evaluated database)
  --register-seconds S
                   seconds of each wrk run (default 10)
  --keep           keep the temporary folder (generated files, SQLite databases) and the
                   evaluated PostgreSQL database";

struct Args {
    spec: GenSpec,
    postgres: Option<String>,
    sqlite: bool,
    memory: bool,
    /// Seconds of each wrk run of the register phase; `None`: skip it.
    register: Option<u64>,
    keep: bool,
}

fn parse_args() -> anyhow::Result<Option<Args>> {
    let mut args = Args {
        spec: GenSpec::default(),
        postgres: std::env::var("ADAL_BENCH_DATABASE_URL")
            .ok()
            .filter(|s| !s.is_empty()),
        sqlite: true,
        memory: true,
        register: Some(10),
        keep: false,
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        let (name, inline) = match arg.split_once('=') {
            Some((n, v)) => (n.to_owned(), Some(v.to_owned())),
            None => (arg.clone(), None),
        };
        let mut value = |what: &str| -> anyhow::Result<String> {
            match inline.clone().or_else(|| it.next()) {
                Some(v) => Ok(v),
                None => bail!("{what} needs a value\n{USAGE}"),
            }
        };
        match name.as_str() {
            // cargo bench passes --bench to every bench binary.
            "--bench" => {}
            "--graduates" => {
                args.spec.graduates = value("--graduates")?
                    .replace('_', "")
                    .parse()
                    .context("--graduates")?;
            }
            "--months" => args.spec.months = value("--months")?.parse().context("--months")?,
            "--seed" => args.spec.seed = value("--seed")?.parse().context("--seed")?,
            "--postgres" => args.postgres = Some(value("--postgres")?),
            "--sqlite" => args.sqlite = true,
            "--no-sqlite" => args.sqlite = false,
            "--no-memory" => args.memory = false,
            "--no-register" => args.register = None,
            "--register-seconds" => {
                args.register = Some(
                    value("--register-seconds")?
                        .parse()
                        .context("--register-seconds")?,
                );
            }
            "--keep" => args.keep = true,
            "--help" | "-h" => {
                println!("{USAGE}");
                return Ok(None);
            }
            other => bail!("unknown argument {other}\n{USAGE}"),
        }
    }
    Ok(Some(args))
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(Some(a)) => a,
        Ok(None) => return ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{e:#}");
            return ExitCode::from(2);
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(args)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("obligations bench failed: {e:#}");
            ExitCode::FAILURE
        }
    }
}

/// Figures of one database; `None` where the step did not run or failed.
#[derive(Default)]
struct DbFigures {
    name: &'static str,
    reference: Option<Rate>,
    contributions: Option<Rate>,
    contributions_report: Option<BatchReport>,
    /// The re-evaluation the import ran for the graduates it touched.
    touched_evaluation: Option<(Duration, u64)>,
    evaluation: Option<(Duration, u64)>,
    copy: Option<Rate>,
    memory: Option<Memory>,
    register: Option<register::Figures>,
    /// The graduates file's load alone (the reference import's largest part).
    graduates: Option<Rate>,
    /// The evaluation of the new graduates that the graduates import ran after its load.
    graduates_evaluation: Option<(Duration, u64)>,
    /// Cores busy before the contributions import and before `\copy`, the bench idle.
    import_background: Option<f64>,
    copy_background: Option<f64>,
    /// PostgreSQL's version and the settings that change bulk loads.
    server: Option<String>,
    errors: Vec<String>,
}

#[derive(Clone, Copy)]
struct Rate {
    rows: u64,
    time: Duration,
}

impl Rate {
    fn per_sec(self) -> f64 {
        self.rows as f64 / self.time.as_secs_f64().max(1e-9)
    }
}

struct Memory {
    peak_kib: u64,
    time: Duration,
    method: &'static str,
}

struct Files {
    dir: PathBuf,
    summary: GenSummary,
}

impl Files {
    fn path(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }
}

async fn run(args: Args) -> anyhow::Result<()> {
    let tmp = tempfile::Builder::new()
        .prefix("adal-bench-")
        .tempdir()
        .context("cannot create a temporary folder")?;
    let root = tmp.path().to_path_buf();
    let data = root.join("data");
    let load_at_start = machine::load_average();
    let run_ticks = machine::ticks();
    println!(
        "obligations bench: {} graduates, {} months, seed {}, {} cores, load average {load_at_start}, folder {}",
        args.spec.graduates,
        args.spec.months,
        args.spec.seed,
        machine::cores(),
        root.display()
    );

    // 1. Generate.
    let started = Instant::now();
    let spec = args.spec.clone();
    let dir = data.clone();
    let summary = tokio::task::spawn_blocking(move || generator::generate(&spec, &dir))
        .await
        .context("generator task")??;
    let gen_time = started.elapsed();
    let files = Files { dir: data, summary };
    let size = std::fs::metadata(files.path(generator::CONTRIBUTIONS_CSV))
        .map(|m| m.len())
        .unwrap_or(0);
    println!(
        "generated in {:.2} s ({} rows/s): {} regions, {} localities, {} employers, \
         {} graduates, {} contribution rows ({:.0} MB)",
        gen_time.as_secs_f64(),
        fmt_int(summary.total_rows() as f64 / gen_time.as_secs_f64().max(1e-9)),
        summary.regions,
        summary.localities,
        summary.employers,
        summary.graduates,
        summary.contributions,
        size as f64 / 1e6
    );

    let mut all = Vec::new();
    if args.sqlite {
        all.push(bench_sqlite(&args, &files, &root).await);
    }
    if let Some(url) = &args.postgres {
        all.push(bench_postgres(&args, &files, url).await);
    }

    print_table(&args, &files, gen_time, &all);
    let whole = machine::Span::between(run_ticks, machine::ticks());
    println!(
        "Conditions: {} cores; load average at the start {load_at_start}, at the end {}; \
         the whole run {}{}",
        machine::cores(),
        machine::load_average(),
        whole.describe(),
        all.iter()
            .filter_map(|f| f.server.as_ref())
            .map(|s| format!("; {s}"))
            .collect::<String>()
    );
    if args.keep {
        let kept = tmp.keep();
        println!("kept {}", kept.display());
    }
    if all.iter().any(|f| !f.errors.is_empty()) {
        bail!("some steps failed (see above)");
    }
    Ok(())
}

fn sqlite_settings(dir: &Path) -> Settings {
    let url = format!("sqlite://{}?mode=rwc", dir.join("adal.db").display());
    Settings {
        database_url: Some(Secret::new(url)),
        data_dir: dir.to_path_buf(),
        ..Default::default()
    }
}

async fn bench_sqlite(args: &Args, files: &Files, root: &Path) -> DbFigures {
    let mut fig = DbFigures {
        name: "SQLite",
        ..Default::default()
    };
    println!("\n== SQLite");
    let settings = sqlite_settings(&root.join("sqlite"));
    if let Err(e) = import_and_evaluate(args, &settings, files, &mut fig).await {
        fig.errors.push(format!("{e:#}"));
        eprintln!("SQLite: {e:#}");
    }
    if args.memory {
        let settings = sqlite_settings(&root.join("sqlite-memory"));
        match measure_memory(&settings, files).await {
            Ok(m) => fig.memory = Some(m),
            Err(e) => {
                eprintln!("SQLite memory run: {e:#}");
                fig.errors.push(format!("memory: {e:#}"));
            }
        }
    }
    fig
}

async fn bench_postgres(args: &Args, files: &Files, server_url: &str) -> DbFigures {
    let mut fig = DbFigures {
        name: "PostgreSQL",
        ..Default::default()
    };
    println!("\n== PostgreSQL");
    match FreshPg::create(server_url).await {
        Ok(pg) => {
            match pg.server_settings().await {
                Ok(s) => {
                    println!("{s}");
                    fig.server = Some(s);
                }
                Err(e) => eprintln!("could not read the server's settings: {e:#}"),
            }
            let settings = pg.settings(files);
            let mut result = import_and_evaluate(args, &settings, files, &mut fig).await;
            if result.is_ok() {
                fig.copy_background = quiet_before("psql \\copy").await;
                let before = machine::ticks();
                result = psql_copy(&pg.url, files).map(|rate| {
                    print_rate("psql \\copy contributions", rate);
                    println!(
                        "  {}",
                        machine::Span::between(before, machine::ticks()).describe()
                    );
                    fig.copy = Some(rate);
                });
            }
            if let Err(e) = result {
                eprintln!("PostgreSQL: {e:#}");
                fig.errors.push(format!("{e:#}"));
            }
            if args.keep {
                println!("kept database {} ({})", pg.name, redact(&pg.url));
            } else {
                pg.drop_database().await;
            }
        }
        Err(e) => {
            eprintln!("PostgreSQL: {e:#}");
            fig.errors.push(format!("{e:#}"));
        }
    }
    if args.memory {
        match FreshPg::create(server_url).await {
            Ok(pg) => {
                match measure_memory(&pg.settings(files), files).await {
                    Ok(m) => fig.memory = Some(m),
                    Err(e) => {
                        eprintln!("PostgreSQL memory run: {e:#}");
                        fig.errors.push(format!("memory: {e:#}"));
                    }
                }
                pg.drop_database().await;
            }
            Err(e) => fig.errors.push(format!("memory: {e:#}")),
        }
    }
    fig
}

fn api(e: ApiError) -> anyhow::Error {
    anyhow::anyhow!("{} ({}): {e:?}", e.message(), e.code())
}

async fn fresh(settings: &Settings) -> anyhow::Result<DatabaseConnection> {
    let (db, _) = adal_core::db::connect(settings).await?;
    adal_core::db::migrate(&db).await?;
    Ok(db)
}

/// Rows and time of the four reference files, and of the graduates file alone.
struct Reference {
    all: Rate,
    graduates: (Rate, (Duration, u64)),
}

/// Imports regions, localities, employers and graduates.
async fn import_reference(db: &DatabaseConnection, files: &Files) -> anyhow::Result<Reference> {
    let started = Instant::now();
    let mut rows = 0;
    let mut graduates = None;
    for (kind, name) in [
        (ImportKind::Regions, generator::REGIONS_CSV),
        (ImportKind::Localities, generator::LOCALITIES_CSV),
        (ImportKind::Employers, generator::EMPLOYERS_CSV),
        (ImportKind::Graduates, generator::GRADUATES_CSV),
    ] {
        let t = Instant::now();
        let report = import_file(db, kind, &files.path(name), None)
            .await
            .map_err(api)
            .with_context(|| format!("importing {name}"))?;
        println!(
            "  {name}: {} rows in {:.2} s: load {:.2} s, evaluation {:.2} s ({})",
            report.total_rows,
            t.elapsed().as_secs_f64(),
            report.load_time.as_secs_f64(),
            report.evaluate_time.as_secs_f64(),
            report_counts(&report)
        );
        rows += report.total_rows;
        if matches!(kind, ImportKind::Graduates) {
            // As for the contributions: the load (read, check, store) is the import's rate;
            // the evaluation of the new graduates it runs next is a figure of its own.
            graduates = Some((
                Rate {
                    rows: report.total_rows,
                    time: report.load_time,
                },
                (report.evaluate_time, report.evaluated),
            ));
        }
    }
    Ok(Reference {
        all: Rate {
            rows,
            time: started.elapsed(),
        },
        graduates: graduates.context("no graduates file")?,
    })
}

/// Waits (at most two minutes) until the machine is quiet, the bench idle, before a timed
/// step, and says how busy it was: a step timed on a busy machine is not compared.
async fn quiet_before(step: &str) -> Option<f64> {
    let (busy, waited) = machine::wait_for_quiet(QUIET_CORES, Duration::from_secs(120)).await;
    match busy {
        Some(b) => println!(
            "before {step}: the machine busy with {b:.2} cores, the bench idle (waited {:.0} s)",
            waited.as_secs_f64()
        ),
        None => println!("before {step}: the machine's load is unknown (no /proc/stat)"),
    }
    busy
}

/// Cores busy, the bench idle, under which a machine counts as quiet.
const QUIET_CORES: f64 = 0.15;

fn report_counts(r: &BatchReport) -> String {
    format!(
        "batch {}: {} accepted, {} duplicates, {} rejected",
        r.id, r.accepted, r.duplicates, r.rejected
    )
}

async fn import_and_evaluate(
    args: &Args,
    settings: &Settings,
    files: &Files,
    fig: &mut DbFigures,
) -> anyhow::Result<()> {
    let db = fresh(settings).await?;
    let reference = import_reference(&db, files).await?;
    print_rate(
        "import regions + localities + employers + graduates",
        reference.all,
    );
    fig.reference = Some(reference.all);
    fig.graduates = Some(reference.graduates.0);
    fig.graduates_evaluation = Some(reference.graduates.1);

    fig.import_background = quiet_before("the contributions import").await;
    let before = machine::ticks();
    let started = Instant::now();
    let report = import_file(
        &db,
        ImportKind::Contributions,
        &files.path(generator::CONTRIBUTIONS_CSV),
        None,
    )
    .await
    .map_err(api)
    .context("importing contributions.csv")?;
    let total = started.elapsed();
    // The load (read, check, store) is what `\copy` is compared with; the re-evaluation of
    // the touched graduates that the import runs next is reported on its own line.
    let rate = Rate {
        rows: files.summary.contributions,
        time: report.load_time,
    };
    print_rate("import contributions (load)", rate);
    println!(
        "  the whole import: {}",
        machine::Span::between(before, machine::ticks()).describe()
    );
    println!(
        "  then re-evaluated {} touched obligations in {:.2} s (whole import {:.2} s)",
        report.evaluated,
        report.evaluate_time.as_secs_f64(),
        total.as_secs_f64()
    );
    println!("  {}", report_counts(&report));
    fig.contributions = Some(rate);
    fig.touched_evaluation = Some((report.evaluate_time, report.evaluated));
    fig.contributions_report = Some(report);

    let started = Instant::now();
    let eval = reevaluate_all(&db).await.map_err(api)?;
    let time = started.elapsed();
    println!(
        "full re-evaluation: {} obligations in {:.2} s",
        eval.obligations,
        time.as_secs_f64()
    );
    fig.evaluation = Some((time, eval.obligations));
    db.close().await.ok();

    if let Some(seconds) = args.register {
        let bin = adal_binary()?;
        // A working folder without an adal.toml.
        std::fs::create_dir_all(&settings.data_dir)?;
        let adal = |a: &[&str]| {
            let mut cmd = Command::new(&bin);
            cmd.args(a).current_dir(&settings.data_dir);
            with_settings(&mut cmd, settings);
            cmd
        };
        let iins = first_iins(files, 3)?;
        fig.register = Some(register::measure(&adal, &iins, seconds).await?);
    }
    Ok(())
}

/// The first `n` graduates' IINs in graduates.csv.
fn first_iins(files: &Files, n: usize) -> anyhow::Result<Vec<String>> {
    let mut reader = csv::Reader::from_path(files.path(generator::GRADUATES_CSV))?;
    let column = reader
        .headers()?
        .iter()
        .position(|h| h == "iin")
        .context("graduates.csv has no iin column")?;
    let mut out = Vec::new();
    for record in reader.records().take(n) {
        out.push(record?.get(column).unwrap_or_default().to_owned());
    }
    Ok(out)
}

/// Only the settings we mean for an `adal` child: the database and data folder, and none of
/// the caller's `ADAL_*` variables (ADAL_BENCH_DATABASE_URL would be an unknown setting).
fn with_settings(cmd: &mut Command, settings: &Settings) {
    for (key, _) in std::env::vars_os() {
        if key.to_string_lossy().starts_with("ADAL_") {
            cmd.env_remove(key);
        }
    }
    cmd.env("ADAL_DATABASE_URL", settings.database_url())
        .env("ADAL_DATA_DIR", &settings.data_dir);
}

fn print_rate(what: &str, rate: Rate) {
    println!(
        "{what}: {} rows in {:.2} s = {} rows/s",
        rate.rows,
        rate.time.as_secs_f64(),
        fmt_int(rate.per_sec())
    );
}

// ------------------------------------------------------------------------------------------
// PostgreSQL

struct FreshPg {
    server_url: String,
    name: String,
    url: String,
    admin: DatabaseConnection,
}

impl FreshPg {
    async fn create(server_url: &str) -> anyhow::Result<Self> {
        let admin = sea_orm::Database::connect(server_url)
            .await
            .context("cannot connect to the PostgreSQL server")?;
        let name = format!("adal_bench_{:08x}", rand::random::<u32>());
        admin
            .execute_unprepared(&format!("CREATE DATABASE {name}"))
            .await
            .with_context(|| format!("CREATE DATABASE {name}"))?;
        println!("created database {name}");
        Ok(Self {
            server_url: server_url.to_owned(),
            url: with_database(server_url, &name),
            name,
            admin,
        })
    }

    /// The server's version and the settings that change bulk loads, in one line.
    async fn server_settings(&self) -> anyhow::Result<String> {
        let names = [
            "server_version",
            "shared_buffers",
            "max_wal_size",
            "synchronous_commit",
            "wal_level",
        ];
        let sql = format!(
            "SELECT {}",
            names
                .iter()
                .map(|n| format!("current_setting('{n}')"))
                .collect::<Vec<_>>()
                .join(", ")
        );
        let row = self
            .admin
            .query_one_raw(sea_orm::Statement::from_string(
                sea_orm::DbBackend::Postgres,
                sql,
            ))
            .await?
            .context("no settings")?;
        let mut out = String::from("PostgreSQL");
        for (i, n) in names.iter().enumerate() {
            let v: String = row.try_get_by_index(i)?;
            if i == 0 {
                out.push_str(&format!(" {v}"));
            } else {
                out.push_str(&format!(", {n} {v}"));
            }
        }
        Ok(out)
    }

    fn settings(&self, files: &Files) -> Settings {
        Settings {
            database_url: Some(Secret::new(self.url.clone())),
            data_dir: files.dir.join("pg-data"),
            ..Default::default()
        }
    }

    async fn drop_database(self) {
        let sql = format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name);
        match self.admin.execute_unprepared(&sql).await {
            Ok(_) => println!("dropped database {}", self.name),
            Err(e) => eprintln!(
                "could not drop database {} on {}: {e}",
                self.name,
                redact(&self.server_url)
            ),
        }
        self.admin.close().await.ok();
    }
}

/// The server URL with its database replaced by `name` (query parameters kept).
fn with_database(server_url: &str, name: &str) -> String {
    let (base, query) = match server_url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (server_url, None),
    };
    let (scheme, rest) = base.split_once("://").unwrap_or(("postgres", base));
    let host = rest.split_once('/').map_or(rest, |(h, _)| h);
    let mut url = format!("{scheme}://{host}/{name}");
    if let Some(q) = query {
        url.push('?');
        url.push_str(q);
    }
    url
}

fn redact(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    match rest.split_once('@') {
        Some((userinfo, host)) => {
            let user = userinfo.split(':').next().unwrap_or("");
            format!("{scheme}://{user}:***@{host}")
        }
        None => url.to_owned(),
    }
}

fn psql(url: &str, command: &str) -> anyhow::Result<()> {
    let out = Command::new("psql")
        .args([
            "-X",
            "-q",
            "-v",
            "ON_ERROR_STOP=1",
            "-d",
            url,
            "-c",
            command,
        ])
        .stdin(Stdio::null())
        .output()
        .context("cannot run psql (is it installed and on PATH?)")?;
    if !out.status.success() {
        bail!(
            "psql failed ({}): {}",
            out.status,
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    Ok(())
}

/// `psql \copy` of contributions.csv into a scratch table of text columns: the rate a bare
/// bulk load reaches on this machine.
fn psql_copy(url: &str, files: &Files) -> anyhow::Result<Rate> {
    let table = "bench_copy_contributions";
    psql(
        url,
        &format!(
            "CREATE TABLE {table} (iin text, employer_id text, employer_name text, \
             employer_address text, period text, payment_date text, amount_kzt text, \
             payment_code text)"
        ),
    )?;
    let file = files
        .path(generator::CONTRIBUTIONS_CSV)
        .display()
        .to_string()
        .replace('\'', "''");
    let started = Instant::now();
    psql(
        url,
        &format!("\\copy {table} FROM '{file}' WITH (FORMAT csv, HEADER true)"),
    )?;
    let time = started.elapsed();
    psql(url, &format!("DROP TABLE {table}"))?;
    Ok(Rate {
        rows: files.summary.contributions,
        time,
    })
}

// ------------------------------------------------------------------------------------------
// Peak memory of the `adal` child process

fn adal_binary() -> anyhow::Result<PathBuf> {
    if let Some(p) = option_env!("CARGO_BIN_EXE_adal") {
        return Ok(PathBuf::from(p));
    }
    // target/<profile>/deps/obligations-<hash> -> target/<profile>/adal
    let exe = std::env::current_exe().context("cannot locate the bench executable")?;
    let candidate = exe
        .parent()
        .and_then(Path::parent)
        .map(|profile| profile.join("adal"))
        .context("cannot locate the target folder")?;
    if candidate.exists() {
        Ok(candidate)
    } else {
        bail!(
            "no adal binary at {}: build it with `cargo build --release -p adal-server`",
            candidate.display()
        )
    }
}

async fn measure_memory(settings: &Settings, files: &Files) -> anyhow::Result<Memory> {
    println!("-- peak memory of `adal import contributions` (fresh database)");
    let db = fresh(settings).await?;
    import_reference(&db, files).await?;
    db.close().await.ok();

    let bin = adal_binary()?;
    let file = files.path(generator::CONTRIBUTIONS_CSV);
    let work = settings.data_dir.join("child");
    std::fs::create_dir_all(&work)?;
    let mut cmd = if Path::new("/usr/bin/time").exists() {
        let mut c = Command::new("/usr/bin/time");
        c.arg("-f").arg("%M").arg("-o").arg(work.join("rss.txt"));
        c.arg(&bin);
        c
    } else {
        Command::new(&bin)
    };
    cmd.args(["import", "contributions"]).arg(&file);
    // Only the settings we mean, and a working folder without an adal.toml.
    with_settings(&mut cmd, settings);
    cmd.env("ADAL_LOG_LEVEL", "warn")
        .current_dir(&work)
        .stdin(Stdio::null())
        // To files, so that a chatty child costs this process no memory.
        .stdout(std::fs::File::create(work.join("stdout.txt"))?)
        .stderr(std::fs::File::create(work.join("stderr.txt"))?);

    let started = Instant::now();
    let with_time = Path::new("/usr/bin/time").exists();
    let (status, polled) = tokio::task::spawn_blocking(move || run_polling_hwm(cmd))
        .await
        .context("child task")??;
    let time = started.elapsed();
    let stdout = std::fs::read_to_string(work.join("stdout.txt")).unwrap_or_default();
    if !status.success() {
        let stderr = std::fs::read_to_string(work.join("stderr.txt")).unwrap_or_default();
        let tail: Vec<&str> = stderr.lines().rev().take(15).collect();
        let tail: Vec<&str> = tail.into_iter().rev().collect();
        bail!(
            "`{} import contributions` failed ({status}): {}\n{}",
            bin.display(),
            stdout.trim(),
            tail.join("\n")
        );
    }
    for line in stdout.lines().filter(|l| l.starts_with("batch ")) {
        println!("  adal: {}", line.trim());
    }
    let (peak_kib, method) = if with_time {
        let text = std::fs::read_to_string(work.join("rss.txt"))?;
        let kib = text
            .lines()
            .rev()
            .find_map(|l| l.trim().parse::<u64>().ok())
            .context("no figure from /usr/bin/time")?;
        (kib, "/usr/bin/time %M")
    } else {
        (
            polled.context("could not read VmHWM")?,
            "VmHWM polled every 20 ms",
        )
    };
    let rate = Rate {
        rows: files.summary.contributions,
        time,
    };
    println!(
        "peak RSS {:.0} MB ({method}); child import {:.2} s = {} rows/s",
        peak_kib as f64 / 1024.0,
        time.as_secs_f64(),
        fmt_int(rate.per_sec())
    );
    Ok(Memory {
        peak_kib,
        time,
        method,
    })
}

/// Runs the child, polling its high-water RSS (`VmHWM`, KiB) from /proc while it runs: the
/// fallback when /usr/bin/time is missing (with /usr/bin/time the figure is the time process's
/// own, so this one is ignored).
fn run_polling_hwm(mut cmd: Command) -> anyhow::Result<(std::process::ExitStatus, Option<u64>)> {
    let mut child = cmd.spawn().context("cannot start the adal binary")?;
    let status_path = PathBuf::from(format!("/proc/{}/status", child.id()));
    let done = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let flag = done.clone();
    let poller = std::thread::spawn(move || {
        let mut peak = None;
        while !flag.load(std::sync::atomic::Ordering::Relaxed) {
            if let Ok(text) = std::fs::read_to_string(&status_path)
                && let Some(kib) = text
                    .lines()
                    .find_map(|l| l.strip_prefix("VmHWM:"))
                    .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
            {
                peak = Some(peak.map_or(kib, |p: u64| p.max(kib)));
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        peak
    });
    let status = child.wait();
    done.store(true, std::sync::atomic::Ordering::Relaxed);
    let peak = poller.join().ok().flatten();
    Ok((status.context("waiting for the adal binary")?, peak))
}

// ------------------------------------------------------------------------------------------
// Report

fn fmt_int(x: f64) -> String {
    let n = x.round().max(0.0) as u64;
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn cell<T>(v: Option<T>, f: impl Fn(T) -> String, fig: &DbFigures) -> String {
    match v {
        Some(v) => f(v),
        None if fig.errors.is_empty() => "–".into(),
        None => "failed".into(),
    }
}

/// Whether the import and `\copy` both started on a quiet machine (so their rates compare).
fn same_quiet(f: &DbFigures) -> bool {
    match (f.import_background, f.copy_background) {
        (Some(a), Some(b)) => a < QUIET_CORES && b < QUIET_CORES,
        // Without /proc the load is unknown; the figures say so.
        _ => true,
    }
}

fn print_table(args: &Args, files: &Files, gen_time: Duration, all: &[DbFigures]) {
    let date = chrono::Local::now().format("%Y-%m-%d");
    let cores = std::thread::available_parallelism().map_or(0, usize::from);
    let s = &files.summary;
    let mut t = String::new();
    t.push_str(&format!(
        "\n### {date}: {} graduates × {} months, {} contribution rows, {cores} cores\n\n",
        fmt_int(s.graduates as f64),
        args.spec.months,
        fmt_int(s.contributions as f64)
    ));
    t.push_str("| Figure | Target |");
    for f in all {
        t.push_str(&format!(" {} |", f.name));
    }
    t.push_str("\n|---|---|");
    for _ in all {
        t.push_str("---|");
    }
    t.push('\n');
    let mut row = |name: &str, target: &str, cells: Vec<String>| {
        t.push_str(&format!("| {name} | {target} |"));
        for c in cells {
            t.push_str(&format!(" {c} |"));
        }
        t.push('\n');
    };
    let gen_rate = s.total_rows() as f64 / gen_time.as_secs_f64().max(1e-9);
    row(
        "Generation (all five files)",
        "> 1,000,000 rows/s",
        all.iter()
            .map(|_| {
                format!(
                    "{} rows/s ({:.1} s)",
                    fmt_int(gen_rate),
                    gen_time.as_secs_f64()
                )
            })
            .collect(),
    );
    let rate = |r: Rate| {
        format!(
            "{} rows/s ({:.1} s)",
            fmt_int(r.per_sec()),
            r.time.as_secs_f64()
        )
    };
    row(
        "Import regions + localities + employers + graduates",
        "–",
        all.iter().map(|f| cell(f.reference, rate, f)).collect(),
    );
    let evaluation = |(d, n): (Duration, u64)| {
        format!(
            "{:.1} s ({} obligations)",
            d.as_secs_f64(),
            fmt_int(n as f64)
        )
    };
    row(
        "…of which graduates.csv: load (read, check, store)",
        "≥ 30,000 rows/s",
        all.iter().map(|f| cell(f.graduates, rate, f)).collect(),
    );
    row(
        "…then evaluation of the new graduates",
        "–",
        all.iter()
            .map(|f| cell(f.graduates_evaluation, evaluation, f))
            .collect(),
    );
    row(
        "Import contributions: load (read, check, store)",
        "PostgreSQL: ≥ 0.7 of `\\copy`",
        all.iter().map(|f| cell(f.contributions, rate, f)).collect(),
    );
    row(
        "…then re-evaluation of the graduates the import touched",
        "–",
        all.iter()
            .map(|f| cell(f.touched_evaluation, evaluation, f))
            .collect(),
    );
    row(
        "Contributions accepted / duplicates / rejected",
        "–",
        all.iter()
            .map(|f| {
                cell(
                    f.contributions_report.as_ref(),
                    |r| format!("{} / {} / {}", r.accepted, r.duplicates, r.rejected),
                    f,
                )
            })
            .collect(),
    );
    row(
        "`psql \\copy` of contributions.csv",
        "–",
        all.iter()
            .map(|f| {
                if f.name == "PostgreSQL" {
                    cell(f.copy, rate, f)
                } else {
                    "n/a".into()
                }
            })
            .collect(),
    );
    row(
        "Adal import ÷ `\\copy`",
        "≥ 0.7",
        all.iter()
            .map(|f| match (f.contributions, f.copy) {
                (Some(_), Some(_)) if !same_quiet(f) => format!(
                    "not compared: the machine was busy ({} cores before the import, {} before \\copy); rerun on a quiet machine",
                    f.import_background.map_or("?".into(), |b| format!("{b:.2}")),
                    f.copy_background.map_or("?".into(), |b| format!("{b:.2}"))
                ),
                (Some(a), Some(c)) => format!("{:.2}", a.per_sec() / c.per_sec().max(1e-9)),
                _ if f.name == "PostgreSQL" => cell(None::<()>, |_| String::new(), f),
                _ => "n/a".into(),
            })
            .collect(),
    );
    row(
        "Full re-evaluation",
        "< 10 s on 2 cores",
        all.iter()
            .map(|f| cell(f.evaluation, evaluation, f))
            .collect(),
    );
    row(
        "Peak RSS, `adal import contributions`",
        "< 200 MB",
        all.iter()
            .map(|f| {
                if !args.memory {
                    return "not run".into();
                }
                cell(
                    f.memory.as_ref(),
                    |m| {
                        format!(
                            "{:.0} MB ({:.1} s, {})",
                            m.peak_kib as f64 / 1024.0,
                            m.time.as_secs_f64(),
                            m.method
                        )
                    },
                    f,
                )
            })
            .collect(),
    );
    let register = |f: &DbFigures, what: &dyn Fn(&register::Figures) -> String| {
        if args.register.is_none() {
            return "not run".into();
        }
        cell(f.register.as_ref(), what, f)
    };
    for (i, (name, target)) in [
        (
            "Register, first pages of 27 filters, 1 caller: p95",
            "< 100 ms",
        ),
        (
            "Register, deeper pages by cursor, 1 caller: p95",
            "< 100 ms",
        ),
        ("Graduate card, 1 caller: p95", "< 100 ms"),
        ("Dashboard, 1 caller: p95", "< 100 ms"),
        ("Coverage, 1 caller: p95", "< 100 ms"),
    ]
    .into_iter()
    .enumerate()
    {
        row(
            name,
            target,
            all.iter()
                .map(|f| {
                    register(f, &|r| {
                        let l = &r.pages[i];
                        format!(
                            "{:.1} ms (p50 {:.1}, p99 {:.1}; {:.0}/s)",
                            l.p95_ms,
                            l.p50_ms,
                            l.p99_ms,
                            l.per_sec()
                        )
                    })
                })
                .collect(),
        );
    }
    row(
        "Register, 8 callers (first and deeper pages)",
        "≥ 200 pages/s",
        all.iter()
            .map(|f| {
                register(f, &|r| {
                    format!(
                        "{:.0} pages/s (p95 {:.1} ms)",
                        r.register.per_sec(),
                        r.register.p95_ms
                    )
                })
            })
            .collect(),
    );
    row(
        "Register, a filter's first page with its total counted (nothing cached)",
        "–",
        all.iter()
            .map(|f| {
                register(f, &|r| {
                    format!(
                        "median {:.0} ms, worst {:.0} ms",
                        r.first_count_ms.0, r.first_count_ms.1
                    )
                })
            })
            .collect(),
    );
    row(
        "`adal serve`'s peak RSS after the register's loads",
        "–",
        all.iter()
            .map(|f| register(f, &|r| format!("{:.0} MB", r.server_peak_mib)))
            .collect(),
    );
    println!("{t}");
    println!("Paste the table above into the \"Measured\" section of docs/benchmarks.md.");
}
