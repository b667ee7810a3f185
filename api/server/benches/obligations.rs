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
//! 5. A Markdown table of the figures for docs/benchmarks.md.

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

const USAGE: &str = "usage: cargo bench -p adal-server --bench obligations -- \
[--graduates N] [--months M] [--seed S] [--postgres URL] [--sqlite | --no-sqlite] \
[--no-memory] [--keep]
  --graduates N    graduates to generate (default 183000: about 5 million contribution rows)
  --months M       months of contributions per graduate (default 36)
  --seed S         generator seed (default: the generator's)
  --postgres URL   also run on PostgreSQL (or set ADAL_BENCH_DATABASE_URL); the URL names a
                   server where the user may create databases, e.g.
                   postgres://postgres@127.0.0.1:5432/postgres
  --sqlite         run on SQLite (the default)
  --no-sqlite      skip SQLite
  --no-memory      skip the peak-memory run of `adal import contributions`
  --keep           keep the temporary folder (generated files, SQLite databases)";

struct Args {
    spec: GenSpec,
    postgres: Option<String>,
    sqlite: bool,
    memory: bool,
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
    let cores = std::thread::available_parallelism().map_or(0, usize::from);
    println!(
        "obligations bench: {} graduates, {} months, seed {}, {cores} cores, folder {}",
        args.spec.graduates,
        args.spec.months,
        args.spec.seed,
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
    if let Err(e) = import_and_evaluate(&settings, files, &mut fig).await {
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
            let settings = pg.settings(files);
            let mut result = import_and_evaluate(&settings, files, &mut fig).await;
            if result.is_ok() {
                result = psql_copy(&pg.url, files).map(|rate| {
                    print_rate("psql \\copy contributions", rate);
                    fig.copy = Some(rate);
                });
            }
            if let Err(e) = result {
                eprintln!("PostgreSQL: {e:#}");
                fig.errors.push(format!("{e:#}"));
            }
            pg.drop_database().await;
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

/// Imports regions, localities, employers and graduates; returns rows and time.
async fn import_reference(db: &DatabaseConnection, files: &Files) -> anyhow::Result<Rate> {
    let started = Instant::now();
    let mut rows = 0;
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
            "  {name}: {} rows in {:.2} s ({})",
            report.total_rows,
            t.elapsed().as_secs_f64(),
            report_counts(&report)
        );
        rows += report.total_rows;
    }
    Ok(Rate {
        rows,
        time: started.elapsed(),
    })
}

fn report_counts(r: &BatchReport) -> String {
    format!(
        "batch {}: {} accepted, {} duplicates, {} rejected",
        r.id, r.accepted, r.duplicates, r.rejected
    )
}

async fn import_and_evaluate(
    settings: &Settings,
    files: &Files,
    fig: &mut DbFigures,
) -> anyhow::Result<()> {
    let db = fresh(settings).await?;
    let reference = import_reference(&db, files).await?;
    print_rate(
        "import regions + localities + employers + graduates",
        reference,
    );
    fig.reference = Some(reference);

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
    Ok(())
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
    // Only the settings we mean: no ADAL_* of the caller (ADAL_BENCH_DATABASE_URL would be an
    // unknown setting), and a working folder without an adal.toml.
    for (key, _) in std::env::vars_os() {
        if key.to_string_lossy().starts_with("ADAL_") {
            cmd.env_remove(key);
        }
    }
    cmd.env("ADAL_DATABASE_URL", settings.database_url())
        .env("ADAL_DATA_DIR", &settings.data_dir)
        .env("ADAL_LOG_LEVEL", "warn")
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
    row(
        "Import contributions: load (read, check, store)",
        "PostgreSQL: ≥ 1/3 of `\\copy`",
        all.iter().map(|f| cell(f.contributions, rate, f)).collect(),
    );
    let evaluation = |(d, n): (Duration, u64)| {
        format!(
            "{:.1} s ({} obligations)",
            d.as_secs_f64(),
            fmt_int(n as f64)
        )
    };
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
        "≥ 0.33",
        all.iter()
            .map(|f| match (f.contributions, f.copy) {
                (Some(a), Some(c)) => format!("{:.2}", a.per_sec() / c.per_sec().max(1e-9)),
                _ if f.name == "PostgreSQL" => cell(None::<()>, |_| String::new(), f),
                _ => "n/a".into(),
            })
            .collect(),
    );
    row(
        "Full re-evaluation",
        "< 60 s on 2 cores",
        all.iter()
            .map(|f| cell(f.evaluation, evaluation, f))
            .collect(),
    );
    row(
        "Peak RSS, `adal import contributions`",
        "< 500 MB",
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
    println!("{t}");
    println!("Paste the table above into the \"Measured\" section of docs/benchmarks.md.");
}
