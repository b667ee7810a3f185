//! Vouchers benchmark: a bench binary (`harness = false`) that prints figures, not a
//! statistical micro-benchmark. See docs/benchmarks.md.
//!
//! ```text
//! cargo bench -p adal-server --bench vouchers -- [--children N] [--apply A] [--concurrency C]
//!     [--postgres URL] [--no-sqlite]
//! ```
//!
//! For each database (SQLite unless `--no-sqlite`; PostgreSQL with `--postgres URL` or
//! `ADAL_BENCH_DATABASE_URL`, a server where the user may create databases):
//! 1. a fresh database with the demo data (set-up, not measured);
//! 2. **applications at the window's opening**: A children, each with a parent in the
//!    registry, apply at once through the service (`applications::apply`, what the GraphQL
//!    mutation runs: the checks, the insert, the audit row), C at a time; every tenth child's
//!    second parent applies for the same child at the same moment. Applications accepted per
//!    second, and the checks that each child has exactly one application and that every
//!    accepted one is stored;
//! 3. **the allocation**: N applications of another campaign, with categories in realistic
//!    shares, all confirmed, written straight into the tables (set-up); then the allocation run
//!    (`allocation::run`: read, rank, issue down the ranking while the budget lasts, write every
//!    application's place, the vouchers, the published file), timed. The inputs are
//!    deterministic (salts, seed, ages, categories, the clock), so the digest of the result is
//!    the same on every run and on both databases; the bench prints it and checks it against
//!    the published file recomputed by `ranking::verify` (also timed: what
//!    `adal vouchers verify FILE` does).

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use anyhow::Context;
use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use sea_orm::{
    ColumnTrait, ConnectOptions, ConnectionTrait, Database, DatabaseConnection, EntityTrait,
    PaginatorTrait, QueryFilter, Set,
};
use sha2::{Digest, Sha256};

use adal_core::auth::Actor;
use adal_core::identifiers::{Iin, Kato};
use adal_vouchers::allocation;
use adal_vouchers::applications::{self, ApplicationDraft};
use adal_vouchers::campaigns::{self, CampaignDraft};
use adal_vouchers::ranking::{self, AllocationFile};
use adal_vouchers::vocab::{
    ClubDirection, VoucherApplicationStatus, VoucherCategoryStatus, VoucherRefusal,
};
use entities::{
    account, guardianship, person, voucher, voucher_application, voucher_application_category,
    voucher_campaign,
};

struct Args {
    children: usize,
    apply: usize,
    concurrency: usize,
    postgres: Option<String>,
    sqlite: bool,
}

fn parse_args() -> anyhow::Result<Args> {
    let mut a = Args {
        children: 500_000,
        apply: 10_000,
        concurrency: 32,
        postgres: std::env::var("ADAL_BENCH_DATABASE_URL")
            .ok()
            .filter(|s| !s.is_empty()),
        sqlite: true,
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        let mut value = || it.next().context("a value is missing");
        match arg.as_str() {
            "--children" => a.children = value()?.parse()?,
            "--apply" => a.apply = value()?.parse()?,
            "--concurrency" => a.concurrency = value()?.parse()?,
            "--postgres" => a.postgres = Some(value()?),
            "--no-sqlite" => a.sqlite = false,
            "--bench" => {}
            other => anyhow::bail!("unknown argument {other}"),
        }
    }
    Ok(a)
}

fn e(err: adal_core::error::ApiError) -> anyhow::Error {
    anyhow::anyhow!(err.message())
}

/// The share of children in each category, per ten thousand: Astana's twelve, in proportions
/// like the city's (about two children in five have at least one).
const SHARES: &[(&str, u64)] = &[
    ("disability", 200),
    ("orphan", 50),
    ("no_parental_care", 60),
    ("disabled_family_member", 300),
    ("asp", 600),
    ("large_family", 2000),
    ("single_parent", 1000),
    ("low_income", 800),
    ("military_family", 100),
    ("teacher_family", 400),
    ("rural_relocated", 100),
    ("repressed_family", 20),
];

const DIRECTIONS: [(ClubDirection, i64); 3] = [
    (ClubDirection::Sport, 15_000),
    (ClubDirection::Arts, 12_000),
    (ClubDirection::Technical, 14_000),
];

/// A deterministic stream (splitmix64): the same data on every run and on both databases.
fn mix(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The benchmark's clock: the allocation runs on this day, whatever the date of the run.
fn clock() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 8, 20, 9, 0, 0)
        .single()
        .unwrap_or_default()
}

fn person_row(iin: String, birth: Option<NaiveDate>, now: DateTime<Utc>) -> person::ActiveModel {
    person::ActiveModel {
        iin: Set(iin),
        last_name: Set("Bench".into()),
        first_name: Set("Child".into()),
        middle_name: Set(None),
        birth_date: Set(birth),
        phone: Set(None),
        email: Set(None),
        language: Set("kk".into()),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
}

/// A valid IIN for person `i` of a group (`tag`: two digits, years of the 1930s no demo person
/// has): the tag, `i`, a digit chosen so that the check digit exists, the check digit.
fn iin(tag: &str, i: usize) -> String {
    (0..10)
        .find_map(|v| adal_core::identifiers::with_check_digit(&format!("{tag}{i:08}{v}")))
        // One of ten digits always gives a check digit; an empty IIN would fail the run loudly.
        .unwrap_or_default()
}

/// Ids of the bench's persons whose IIN starts with `tag`, in IIN order.
async fn ids_by_tag(db: &DatabaseConnection, tag: &str) -> anyhow::Result<Vec<i64>> {
    use sea_orm::{QueryOrder, QuerySelect};
    Ok(person::Entity::find()
        .select_only()
        .column(person::Column::Id)
        .filter(person::Column::LastName.eq("Bench"))
        .filter(person::Column::Iin.starts_with(tag))
        .order_by_asc(person::Column::Iin)
        .into_tuple::<i64>()
        .all(db)
        .await?)
}

/// `n` children born in 2008-2022 whose IINs start with `tags[0]`, each with a parent per
/// further tag, linked in the registry. Returns (child ids, parent ids by child).
async fn families(
    db: &DatabaseConnection,
    tags: &[&str],
    n: usize,
) -> anyhow::Result<(Vec<i64>, Vec<Vec<i64>>)> {
    let now = clock();
    let all: Vec<usize> = (0..n).collect();
    for chunk in all.chunks(1000) {
        person::Entity::insert_many(chunk.iter().map(|&i| {
            let r = mix(i as u64);
            let birth = NaiveDate::from_ymd_opt(2008, 1, 1).unwrap_or_default()
                + Duration::days((r % (15 * 365)) as i64);
            person_row(iin(tags[0], i), Some(birth), now)
        }))
        .exec_without_returning(db)
        .await?;
        for tag in &tags[1..] {
            person::Entity::insert_many(chunk.iter().map(|&i| person_row(iin(tag, i), None, now)))
                .exec_without_returning(db)
                .await?;
        }
    }
    let kids = ids_by_tag(db, tags[0]).await?;
    let mut by_child = vec![Vec::new(); kids.len()];
    for tag in &tags[1..] {
        let ps = ids_by_tag(db, tag).await?;
        for (i, chunk) in kids.chunks(1000).enumerate() {
            guardianship::Entity::insert_many(chunk.iter().enumerate().map(|(j, kid)| {
                guardianship::ActiveModel {
                    parent_person_id: Set(ps[i * 1000 + j]),
                    child_person_id: Set(*kid),
                    created_at: Set(now),
                    ..Default::default()
                }
            }))
            .exec_without_returning(db)
            .await?;
        }
        for (slot, p) in by_child.iter_mut().zip(ps) {
            slot.push(p);
        }
    }
    Ok((kids, by_child))
}

async fn akimat(db: &DatabaseConnection) -> anyhow::Result<Actor> {
    let acc = account::Entity::find()
        .filter(account::Column::Login.eq("akimat"))
        .one(db)
        .await?
        .context("the demo akimat account")?;
    Actor::load(db, acc.id)
        .await
        .map_err(e)?
        .context("the demo akimat account")
}

async fn campaign(
    db: &DatabaseConnection,
    officer: &Actor,
    name: &str,
    opens_at: DateTime<Utc>,
    closes_at: DateTime<Utc>,
    budget: i64,
) -> anyhow::Result<voucher_campaign::Model> {
    let table = campaigns::tables(db, Some(adal_vouchers::demo::REGION))
        .await
        .map_err(e)?
        .into_iter()
        .next()
        .context("the demo priority table")?;
    let c = campaigns::open(
        db,
        officer,
        CampaignDraft {
            region: Kato::parse(adal_vouchers::demo::REGION).map_err(|e| anyhow::anyhow!(e.0))?,
            name: name.into(),
            first_month: 202609,
            last_month: 202705,
            opens_at,
            closes_at,
            budget,
            directions: DIRECTIONS.to_vec(),
            age_min: 3,
            age_max: 18,
            priority_table_id: table.id,
            unused_days: 60,
            confirm_days: 10,
            attendance_threshold_pct: 75,
        },
    )
    .await
    .map_err(e)?;
    Ok(c)
}

struct Applied {
    accepted: u64,
    refused_twice: u64,
    secs: f64,
}

/// Step 2: `children` children apply at once, C at a time; every tenth one twice (both
/// parents).
async fn applications_at_opening(
    db: &DatabaseConnection,
    officer: &Actor,
    children: usize,
    concurrency: usize,
) -> anyhow::Result<Applied> {
    let opens = clock() - Duration::days(60);
    let c = campaign(
        db,
        officer,
        "Bench: the window's opening",
        opens,
        opens + Duration::days(30),
        1_000_000_000,
    )
    .await?;
    let (_, parents) = families(db, &["30", "31", "32"], children).await?;
    let parent_acc = account::Entity::find()
        .filter(account::Column::Login.eq("parent"))
        .one(db)
        .await?
        .context("the demo parent account")?;
    let template = Actor::load(db, parent_acc.id)
        .await
        .map_err(e)?
        .context("the demo parent")?;
    // (child index, which parent) in the order they arrive.
    let mut requests: Vec<(usize, usize)> = (0..children).map(|i| (i, 0)).collect();
    for i in (0..children).step_by(10) {
        requests.insert((i / 10) * 11 + 1, (i, 1));
    }
    let requests = Arc::new(requests);
    let next = Arc::new(AtomicU64::new(0));
    let accepted = Arc::new(AtomicU64::new(0));
    let refused = Arc::new(AtomicU64::new(0));
    let parents = Arc::new(parents);
    let t = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..concurrency {
        let (db, requests, next, accepted, refused, parents, template) = (
            db.clone(),
            requests.clone(),
            next.clone(),
            accepted.clone(),
            refused.clone(),
            parents.clone(),
            template.clone(),
        );
        let campaign_id = c.id;
        tasks.push(tokio::spawn(async move {
            loop {
                let k = next.fetch_add(1, Ordering::Relaxed) as usize;
                let Some(&(i, which)) = requests.get(k) else {
                    return anyhow::Ok(());
                };
                let mut actor = template.clone();
                actor.person_id = Some(parents[i][which]);
                let draft = ApplicationDraft {
                    campaign_id,
                    child_iin: Iin::parse(&iin("30", i)).map_err(|e| anyhow::anyhow!(e.0))?,
                    direction: DIRECTIONS[i % 3].0,
                    categories: if i % 5 == 0 {
                        vec![("large_family".into(), "Куәлік № 1".into())]
                    } else {
                        Vec::new()
                    },
                    guardianship_evidence: None,
                };
                match applications::apply(&db, &actor, draft, opens + Duration::seconds(1)).await {
                    Ok(_) => {
                        accepted.fetch_add(1, Ordering::Relaxed);
                    }
                    Err(err) if err.reason() == Some(VoucherRefusal::AlreadyApplied.into()) => {
                        refused.fetch_add(1, Ordering::Relaxed);
                    }
                    Err(err) => return Err(e(err)),
                }
            }
        }));
    }
    for t in tasks {
        t.await??;
    }
    let secs = t.elapsed().as_secs_f64();
    let stored = voucher_application::Entity::find()
        .filter(voucher_application::Column::CampaignId.eq(c.id))
        .count(db)
        .await?;
    let accepted = accepted.load(Ordering::Relaxed);
    let refused_twice = refused.load(Ordering::Relaxed);
    anyhow::ensure!(
        stored == accepted && accepted == children as u64,
        "{children} children, {accepted} accepted, {stored} stored"
    );
    anyhow::ensure!(
        refused_twice == children.div_ceil(10) as u64,
        "{refused_twice} second applications refused"
    );
    Ok(Applied {
        accepted,
        refused_twice,
        secs,
    })
}

struct Allocated {
    applications: usize,
    issued: i32,
    run_secs: f64,
    verify_secs: f64,
    file_mb: f64,
    digest: String,
}

/// Step 3: N applications written straight in, then the allocation, timed.
async fn allocation_run(
    db: &DatabaseConnection,
    officer: &Actor,
    children: usize,
) -> anyhow::Result<Allocated> {
    let closes = clock() - Duration::days(5);
    // Room for about two children in five.
    let budget = children as i64 * 2 / 5 * 13_700 * 9;
    let c = campaign(
        db,
        officer,
        "Bench: the allocation",
        closes - Duration::days(30),
        closes,
        budget,
    )
    .await?;
    // A fixed seed, so the result is the same on both databases.
    let seed = "5eed".repeat(16);
    voucher_campaign::Entity::update_many()
        .col_expr(voucher_campaign::Column::Seed, seed.clone().into())
        .col_expr(
            voucher_campaign::Column::SeedCommitment,
            ranking::seed_commitment(&seed).into(),
        )
        .filter(voucher_campaign::Column::Id.eq(c.id))
        .exec(db)
        .await?;
    let t = Instant::now();
    let (kids, parents) = families(db, &["35", "36"], children).await?;
    let submitted = closes - Duration::days(10);
    for (n, chunk) in kids.chunks(1000).enumerate() {
        voucher_application::Entity::insert_many(chunk.iter().enumerate().map(|(j, kid)| {
            let i = n * 1000 + j;
            let salt = format!("{:032x}", mix(i as u64 ^ 0xA11C));
            voucher_application::ActiveModel {
                campaign_id: Set(c.id),
                child_person_id: Set(*kid),
                parent_person_id: Set(parents[i][0]),
                direction: Set(DIRECTIONS[i % 3].0.as_str().to_owned()),
                status: Set(VoucherApplicationStatus::Submitted.as_str().to_owned()),
                child_hash: Set(ranking::child_hash(&salt, &iin("35", i))),
                salt: Set(salt),
                guardianship_evidence: Set(None),
                score: Set(None),
                rank: Set(None),
                age_months: Set(None),
                reason: Set(None),
                submitted_at: Set(submitted),
                updated_at: Set(submitted),
                ..Default::default()
            }
        }))
        .exec_without_returning(db)
        .await?;
    }
    let apps: Vec<i64> = {
        use sea_orm::{QueryOrder, QuerySelect};
        voucher_application::Entity::find()
            .select_only()
            .column(voucher_application::Column::Id)
            .filter(voucher_application::Column::CampaignId.eq(c.id))
            .order_by_asc(voucher_application::Column::Id)
            .into_tuple::<i64>()
            .all(db)
            .await?
    };
    let mut cats = Vec::new();
    for (i, app) in apps.iter().enumerate() {
        for (k, (code, share)) in SHARES.iter().enumerate() {
            if mix((i as u64) << 4 | k as u64) % 10_000 < *share {
                cats.push(voucher_application_category::ActiveModel {
                    application_id: Set(*app),
                    category: Set((*code).to_owned()),
                    evidence: Set("Анықтама № 1".into()),
                    status: Set(VoucherCategoryStatus::Confirmed.as_str().to_owned()),
                    reason: Set(None),
                    decided_by: Set(Some(officer.account_id)),
                    decided_at: Set(Some(submitted)),
                    ..Default::default()
                });
            }
        }
    }
    let categories = cats.len();
    for chunk in cats.chunks(1000) {
        voucher_application_category::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(db)
            .await?;
    }
    // Statistics, as the database keeps them after weeks of applications (PostgreSQL's
    // autovacuum; SQLite's `ANALYZE`).
    db.execute_unprepared("ANALYZE").await?;
    println!(
        "  {children} applications with {categories} confirmed categories written and analysed: {:.1} s (set-up, not measured)",
        t.elapsed().as_secs_f64()
    );

    let t = Instant::now();
    let run = allocation::run(db, officer, c.id, clock())
        .await
        .map_err(e)?;
    let run_secs = t.elapsed().as_secs_f64();

    let vouchers = voucher::Entity::find()
        .filter(voucher::Column::CampaignId.eq(c.id))
        .count(db)
        .await?;
    anyhow::ensure!(
        vouchers == run.issued as u64,
        "{vouchers} vouchers stored, {} issued",
        run.issued
    );
    let campaign = campaigns::get(db, c.id).await.map_err(e)?;
    anyhow::ensure!(
        campaign.committed == run.committed && campaign.committed <= campaign.budget,
        "committed {} of {}",
        campaign.committed,
        campaign.budget
    );
    let queued = voucher_application::Entity::find()
        .filter(voucher_application::Column::CampaignId.eq(c.id))
        .filter(voucher_application::Column::Status.eq(VoucherApplicationStatus::Queued.as_str()))
        .count(db)
        .await?;
    anyhow::ensure!(
        queued + vouchers == children as u64,
        "{queued} queued and {vouchers} issued of {children}"
    );

    let t = Instant::now();
    let file: AllocationFile = serde_json::from_str(&run.file)?;
    let verification = ranking::verify(&file);
    let verify_secs = t.elapsed().as_secs_f64();
    anyhow::ensure!(
        verification.matches(),
        "the published file does not verify: {:?}",
        verification.problems
    );
    let mut h = Sha256::new();
    for r in &file.result {
        h.update(format!(
            "{}:{}:{}:{}\n",
            r.child_hash, r.score, r.rank, r.issued
        ));
    }
    Ok(Allocated {
        applications: children,
        issued: run.issued,
        run_secs,
        verify_secs,
        file_mb: run.file.len() as f64 / 1e6,
        digest: hex::encode(h.finalize())[..16].to_owned(),
    })
}

struct Figures {
    backend: &'static str,
    applied: Applied,
    allocated: Allocated,
}

async fn run(backend: &'static str, url: String, args: &Args) -> anyhow::Result<Figures> {
    let mut opts = ConnectOptions::new(url.clone());
    // The server's own settings (`adal_core::db::connect`): SQLite in WAL mode, synchronous
    // NORMAL, foreign keys on.
    opts.max_connections(u32::try_from(args.concurrency + 4).unwrap_or(40))
        .sqlx_logging(false)
        .map_sqlx_sqlite_opts(|o| {
            o.journal_mode(sea_orm::sqlx::sqlite::SqliteJournalMode::Wal)
                .synchronous(sea_orm::sqlx::sqlite::SqliteSynchronous::Normal)
                .busy_timeout(std::time::Duration::from_secs(10))
                .foreign_keys(true)
        });
    let db = Database::connect(opts).await?;
    adal_core::db::migrate(&db).await?;
    // The demo's documents go to a folder of the run's own.
    let files = tempfile::tempdir()?;
    let demo = adal_core::settings::Settings {
        data_dir: files.path().to_path_buf(),
        ..adal_core::settings::Settings::default()
    };
    adal_server::seed::seed_demo(&db, &demo).await?;
    adal_server::wiring::domains();
    let officer = akimat(&db).await?;

    println!("[{backend}] applications at the window's opening");
    let applied = applications_at_opening(&db, &officer, args.apply, args.concurrency).await?;
    println!(
        "  {} accepted, {} second applications refused: {:.1} s, {:.0} applications/s",
        applied.accepted,
        applied.refused_twice,
        applied.secs,
        applied.accepted as f64 / applied.secs
    );
    println!("[{backend}] the allocation");
    let allocated = allocation_run(&db, &officer, args.children).await?;
    println!(
        "  {} applications, {} vouchers issued: the run {:.2} s; the file {:.0} MB, verified in {:.2} s; result digest {}",
        allocated.applications,
        allocated.issued,
        allocated.run_secs,
        allocated.file_mb,
        allocated.verify_secs,
        allocated.digest
    );
    db.close().await?;
    Ok(Figures {
        backend,
        applied,
        allocated,
    })
}

async fn main_async() -> anyhow::Result<()> {
    let args = parse_args()?;
    let mut figures = Vec::new();
    if args.sqlite {
        let dir = tempfile::tempdir()?;
        let url = format!(
            "sqlite://{}?mode=rwc",
            dir.path().join("bench.db").display()
        );
        figures.push(run("sqlite", url, &args).await?);
    }
    if let Some(server) = &args.postgres {
        let admin = Database::connect(server.as_str()).await?;
        let name = format!("adal_bench_{:08x}", rand::random::<u32>());
        admin
            .execute_unprepared(&format!("CREATE DATABASE {name}"))
            .await?;
        let base = server.rsplit_once('/').map_or(server.as_str(), |(b, _)| b);
        let result = run("postgres", format!("{base}/{name}"), &args).await;
        admin
            .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            .await?;
        figures.push(result?);
    }
    if figures.len() == 2 {
        anyhow::ensure!(
            figures[0].allocated.digest == figures[1].allocated.digest,
            "the two databases ranked differently"
        );
    }
    println!();
    println!(
        "| database | applications at once | accepted/s | second applications refused | applications allocated | vouchers issued | the allocation run | the file | `verify` | result digest |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|");
    for f in figures {
        println!(
            "| {} | {} | {:.0} | {} | {} | {} | {:.2} s | {:.0} MB | {:.2} s | `{}` |",
            f.backend,
            args.concurrency,
            f.applied.accepted as f64 / f.applied.secs,
            f.applied.refused_twice,
            f.allocated.applications,
            f.allocated.issued,
            f.allocated.run_secs,
            f.allocated.file_mb,
            f.allocated.verify_secs,
            f.allocated.digest
        );
    }
    Ok(())
}

fn main() -> std::process::ExitCode {
    let rt = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("runtime: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    match rt.block_on(main_async()) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("vouchers bench: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
