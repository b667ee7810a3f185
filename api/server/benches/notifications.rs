//! Notifications benchmark: a bench binary (`harness = false`) that prints figures, not a
//! statistical micro-benchmark. See docs/benchmarks.md.
//!
//! ```text
//! cargo bench -p adal-server --bench notifications -- [--recipients N] [--dispatch M]
//!     [--concurrency C] [--rate R] [--postgres URL] [--no-sqlite]
//! ```
//!
//! For each database (SQLite unless `--no-sqlite`; PostgreSQL with `--postgres URL` or
//! `ADAL_BENCH_DATABASE_URL`, a server where the user may create databases):
//! 1. a fresh database with the demo data and N synthetic graduates in gap status (2024);
//! 2. **enqueue**: a campaign to "everyone in gap status from the 2024 graduation", timed (one
//!    `INSERT ... SELECT`);
//! 3. **dispatch**: a worker sends M of those messages to a local HTTP gateway (the fake one the
//!    tests use, answering at once) with the given concurrency and no rate limit, timed;
//! 4. **rate-limited dispatch**: the same with `sms_rate_per_sec = R`, to show the configured
//!    rate is what limits throughput.

use std::sync::Arc;
use std::time::Instant;

use anyhow::Context;
use sea_orm::{ColumnTrait, ConnectionTrait, Database, EntityTrait, PaginatorTrait, QueryFilter};

use adal_core::settings::{Secret, Settings};
use adal_notifications::campaigns::CampaignDraft;
use adal_notifications::purposes::Purpose;
use adal_notifications::templates::{self, TemplateDraft};
use adal_notifications::vocab::Channel;
use adal_obligations::service::GraduateFilter;
use adal_obligations::vocab::ObligationStatus;
use adal_testkit::fakes::{FakeGateway, insert_graduates};
use entities::{notification_message, organisation};

struct Args {
    recipients: usize,
    dispatch: u64,
    concurrency: usize,
    rate: u32,
    postgres: Option<String>,
    sqlite: bool,
}

fn parse_args() -> anyhow::Result<Args> {
    let mut a = Args {
        recipients: 60_000,
        dispatch: 20_000,
        concurrency: 64,
        rate: 500,
        postgres: std::env::var("ADAL_BENCH_DATABASE_URL")
            .ok()
            .filter(|s| !s.is_empty()),
        sqlite: true,
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        let mut value = || it.next().context("a value is missing");
        match arg.as_str() {
            "--recipients" => a.recipients = value()?.parse()?,
            "--dispatch" => a.dispatch = value()?.parse()?,
            "--concurrency" => a.concurrency = value()?.parse()?,
            "--rate" => a.rate = value()?.parse()?,
            "--postgres" => a.postgres = Some(value()?),
            "--no-sqlite" => a.sqlite = false,
            "--bench" => {}
            other => anyhow::bail!("unknown argument {other}"),
        }
    }
    Ok(a)
}

struct Figures {
    backend: &'static str,
    enqueued: u64,
    enqueue_secs: f64,
    dispatched: u64,
    dispatch_rate: f64,
    limited_rate: f64,
}

async fn sent(db: &sea_orm::DatabaseConnection, cid: i64) -> anyhow::Result<u64> {
    Ok(notification_message::Entity::find()
        .filter(notification_message::Column::CampaignId.eq(cid))
        .filter(notification_message::Column::Status.eq("sent"))
        .count(db)
        .await?)
}

/// Runs worker passes until `target` messages of the campaign are sent; messages per second.
async fn dispatch(
    db: &sea_orm::DatabaseConnection,
    settings: Settings,
    cid: i64,
    target: u64,
) -> anyhow::Result<(u64, f64)> {
    let before = sent(db, cid).await?;
    let worker = adal_server::wiring::worker(db.clone(), Arc::new(settings))?;
    let started = Instant::now();
    let mut done = 0u64;
    while done < target {
        let p = worker
            .run_once()
            .await
            .map_err(|e| anyhow::anyhow!(e.message()))?;
        if p.claimed == 0 {
            break;
        }
        done += p.sent as u64;
    }
    let secs = started.elapsed().as_secs_f64();
    let after = sent(db, cid).await?;
    Ok((after - before, (after - before) as f64 / secs))
}

async fn run(backend: &'static str, url: String, args: &Args) -> anyhow::Result<Figures> {
    let db = Database::connect(url.as_str()).await?;
    adal_core::db::migrate(&db).await?;
    // The demo's documents go to a folder of the run's own.
    let files = tempfile::tempdir()?;
    let demo = adal_core::settings::Settings {
        data_dir: files.path().to_path_buf(),
        ..adal_core::settings::Settings::default()
    };
    adal_server::seed::seed_demo(&db, &demo).await?;
    let uni = organisation::Entity::find()
        .filter(organisation::Column::Bin.eq("990140004654"))
        .one(&db)
        .await?
        .context("the demo university")?
        .id;
    let t = Instant::now();
    insert_graduates(
        &db,
        args.recipients,
        uni,
        ObligationStatus::Gap.as_str(),
        2024,
    )
    .await?;
    println!(
        "[{backend}] {} graduates inserted in {:.1} s (set-up, not measured)",
        args.recipients,
        t.elapsed().as_secs_f64()
    );
    let gateway = FakeGateway::start()?;
    let settings = Settings {
        database_url: Some(Secret::new(url.clone())),
        sms_gateway_url: Some(gateway.url.clone()),
        quiet_hours_start: 0,
        quiet_hours_end: 0,
        sms_rate_per_sec: 1_000_000,
        notify_batch: 1_000,
        notify_concurrency: args.concurrency,
        ..Settings::default()
    };
    let tpl = templates::save(
        &db,
        None,
        TemplateDraft {
            code: "bench".into(),
            purpose: Purpose::of(&adal_obligations::notices::OBLIGATION_NOTICE),
            subject: ["".into(), "".into(), "".into()],
            body: [
                "{name}, {remaining_months} ай қалды.".into(),
                "{name}, осталось {remaining_months} мес.".into(),
                "{name}, {remaining_months} months left.".into(),
            ],
        },
        3,
        &adal_obligations::notices::template_variables(),
    )
    .await
    .map_err(|e| anyhow::anyhow!(e.message()))?;
    let filter = GraduateFilter {
        status: Some(ObligationStatus::Gap),
        graduation_year: Some(2024),
        ..GraduateFilter::default()
    };
    // The purposes are registered as the server registers them.
    adal_server::wiring::domains();
    let t = Instant::now();
    let c = adal_obligations::notices::create_campaign(
        &db,
        &settings,
        1,
        CampaignDraft {
            name: "Everyone in gap status, 2024".into(),
            template_id: tpl.id,
            audience: adal_obligations::service::filtered_select(&filter),
            subject: Some((adal_obligations::notices::SUBJECT_KIND, "g.id")),
            audience_json: serde_json::json!({ "status": "GAP", "graduationYear": 2024 }),
            channels: vec![Channel::Sms],
            fallback_after_secs: 1800,
            scheduled_at: None,
        },
    )
    .await
    .map_err(|e| anyhow::anyhow!(e.message()))?;
    let enqueue_secs = t.elapsed().as_secs_f64();
    println!(
        "[{backend}] enqueue: {} messages in {enqueue_secs:.2} s",
        c.enqueued
    );
    let (dispatched, dispatch_rate) = dispatch(&db, settings.clone(), c.id, args.dispatch).await?;
    println!(
        "[{backend}] dispatch: {dispatched} messages at {dispatch_rate:.0} msgs/s (concurrency {}, no rate limit)",
        args.concurrency
    );
    let limited = Settings {
        sms_rate_per_sec: args.rate,
        ..settings
    };
    let (n, limited_rate) = dispatch(&db, limited, c.id, u64::from(args.rate) * 4).await?;
    println!(
        "[{backend}] dispatch with sms_rate_per_sec = {}: {n} messages at {limited_rate:.0} msgs/s",
        args.rate
    );
    let requests = gateway.request_count() as u64;
    anyhow::ensure!(
        requests == dispatched + n && gateway.sent().len() as u64 == requests,
        "the gateway saw {requests} requests for {} messages",
        dispatched + n
    );
    gateway.stop().await;
    db.close().await?;
    Ok(Figures {
        backend,
        enqueued: c.enqueued as u64,
        enqueue_secs,
        dispatched,
        dispatch_rate,
        limited_rate,
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
    println!();
    println!(
        "| database | recipients enqueued | enqueue | dispatch (no limit, concurrency {}) | dispatch at sms_rate_per_sec = {} |",
        args.concurrency, args.rate
    );
    println!("|---|---|---|---|---|");
    for f in figures {
        println!(
            "| {} | {} | {:.2} s | {:.0} msgs/s ({} msgs) | {:.0} msgs/s |",
            f.backend, f.enqueued, f.enqueue_secs, f.dispatch_rate, f.dispatched, f.limited_rate
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
            eprintln!("notifications bench: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
