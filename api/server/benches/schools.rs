//! Schools benchmark: a bench binary (`harness = false`) that prints figures, not a
//! statistical micro-benchmark. See docs/benchmarks.md.
//!
//! ```text
//! cargo bench -p adal-server --bench schools -- [--pupils N] [--devices D] [--batches B]
//!     [--pace P] [--seconds S] [--report-pupils R] [--days K] [--postgres URL] [--no-sqlite]
//! ```
//!
//! For each database (SQLite unless `--no-sqlite`, with one school's load: 4 devices; PostgreSQL
//! with `--postgres URL` or `ADAL_BENCH_DATABASE_URL`, a server where the user may create
//! databases):
//! 1. a fresh database with the demo data, N pupils with a card and a parent each, D turnstiles
//!    (set-up, not measured);
//! 2. **the parents told**: D other turnstiles upload, once a second each, the entries of a
//!    morning's pace of P events a second in all (SQLite: at most 200) for S seconds, while a
//!    notification worker with the server's settings runs alongside and sends to a local push
//!    gateway (the providers' rate limits set out of the way). For each notice, the time from
//!    its event reaching Adal (the upload, which queues the notice in its transaction) to the
//!    gateway's acceptance (`sent_at`): median, 99th percentile, worst, and the share within 5 s;
//! 3. **ingestion**: D devices at once each upload B batches of 100 entries, every fifth batch
//!    sent twice (the re-sent one is answered from what was stored); each stored entry enqueues
//!    its parent's notice in the same transaction. Events stored per second, and the check that
//!    every event and notice was written once;
//! 4. **the month's meal report**: R pupils in R/1000 schools of one region, each with a free
//!    meal on K days of a month, written straight into `school_meal` (set-up); then the
//!    region's report of that month, timed.

use std::sync::Arc;
use std::time::Instant;

use anyhow::Context;
use chrono::{Duration, Utc};
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, EntityTrait, PaginatorTrait, Set,
};

use adal_core::settings::Settings;
use adal_schools::events::{EventIn, upload};
use adal_schools::reports::{self, month_of};
use adal_schools::vocab::{CredentialKind, SchoolEventKind};
use adal_testkit::fakes::FakeGateway;
use entities::{
    guardianship, notification_message, organisation, person, school_card, school_device,
    school_event, school_member,
};

struct Args {
    pupils: usize,
    devices: usize,
    batches: usize,
    pace: usize,
    seconds: usize,
    report_pupils: i64,
    days: i64,
    postgres: Option<String>,
    sqlite: bool,
}

fn parse_args() -> anyhow::Result<Args> {
    let mut a = Args {
        pupils: 20_000,
        devices: 50,
        batches: 40,
        pace: 2_000,
        seconds: 20,
        report_pupils: 350_000,
        days: 20,
        postgres: std::env::var("ADAL_BENCH_DATABASE_URL")
            .ok()
            .filter(|s| !s.is_empty()),
        sqlite: true,
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        let mut value = || it.next().context("a value is missing");
        match arg.as_str() {
            "--pupils" => a.pupils = value()?.parse()?,
            "--devices" => a.devices = value()?.parse()?,
            "--batches" => a.batches = value()?.parse()?,
            "--pace" => a.pace = value()?.parse()?,
            "--seconds" => a.seconds = value()?.parse()?,
            "--report-pupils" => a.report_pupils = value()?.parse()?,
            "--days" => a.days = value()?.parse()?,
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
    devices: usize,
    stored: u64,
    resent: u64,
    ingest_secs: f64,
    told: Told,
    report_meals: i64,
    report_secs: f64,
}

fn e(err: adal_core::error::ApiError) -> anyhow::Error {
    anyhow::anyhow!(err.message())
}

/// N pupils of the demo school with a card (`B` + index) and a parent each; returns their ids.
async fn pupils(db: &DatabaseConnection, school: i64, n: usize) -> anyhow::Result<Vec<i64>> {
    let now = Utc::now();
    let person = |iin: String, first: &str| person::ActiveModel {
        iin: Set(iin),
        last_name: Set("Bench".into()),
        first_name: Set(first.into()),
        middle_name: Set(None),
        birth_date: Set(None),
        phone: Set(None),
        email: Set(None),
        language: Set("kk".into()),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    };
    for chunk in (0..n).collect::<Vec<_>>().chunks(1000) {
        person::Entity::insert_many(chunk.iter().flat_map(|i| {
            [
                person(format!("8{i:011}"), "Pupil"),
                person(format!("7{i:011}"), "Parent"),
            ]
        }))
        .exec_without_returning(db)
        .await?;
    }
    use sea_orm::{ColumnTrait, QueryFilter, QueryOrder};
    let kids: Vec<i64> = person::Entity::find()
        .filter(person::Column::Iin.starts_with("8"))
        .filter(person::Column::LastName.eq("Bench"))
        .order_by_asc(person::Column::Iin)
        .all(db)
        .await?
        .into_iter()
        .map(|p| p.id)
        .collect();
    let parents: Vec<i64> = person::Entity::find()
        .filter(person::Column::Iin.starts_with("7"))
        .filter(person::Column::LastName.eq("Bench"))
        .order_by_asc(person::Column::Iin)
        .all(db)
        .await?
        .into_iter()
        .map(|p| p.id)
        .collect();
    let class = adal_schools::roster::classes(db, school)
        .await
        .map_err(e)?
        .first()
        .map(|c| c.id);
    for (i, chunk) in kids.chunks(1000).enumerate() {
        let base = i * 1000;
        guardianship::Entity::insert_many(chunk.iter().enumerate().map(|(j, k)| {
            guardianship::ActiveModel {
                parent_person_id: Set(parents[base + j]),
                child_person_id: Set(*k),
                created_at: Set(now),
                ..Default::default()
            }
        }))
        .exec_without_returning(db)
        .await?;
        school_member::Entity::insert_many(chunk.iter().map(|k| school_member::ActiveModel {
            school_id: Set(school),
            person_id: Set(*k),
            kind: Set("pupil".into()),
            class_id: Set(class),
            position: Set(None),
            active: Set(true),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }))
        .exec_without_returning(db)
        .await?;
        school_card::Entity::insert_many(chunk.iter().enumerate().map(|(j, k)| {
            school_card::ActiveModel {
                school_id: Set(school),
                person_id: Set(*k),
                kind: Set("card".into()),
                credential: Set(format!("B{:08X}", base + j)),
                status: Set("active".into()),
                consent_id: Set(None),
                issued_at: Set(now),
                blocked_at: Set(None),
                block_reason: Set(None),
                ..Default::default()
            }
        }))
        .exec_without_returning(db)
        .await?;
    }
    Ok(kids)
}

/// D turnstiles of the school, registered a day ago; returns their ids.
async fn turnstiles(
    db: &DatabaseConnection,
    school: i64,
    name: &str,
    devices: usize,
) -> anyhow::Result<Vec<i64>> {
    let mut ids = Vec::new();
    for d in 0..devices {
        let (dev, _) = adal_schools::devices::register(
            db,
            1,
            school,
            adal_schools::vocab::DeviceKind::Turnstile,
            &format!("Bench {name} turnstile {d}"),
            &format!("bench-{name}-turnstile-{d}"),
            Some(format!("bench-{name}-turnstile-secret-{d}")),
        )
        .await
        .map_err(e)?;
        let mut am: school_device::ActiveModel = dev.into();
        am.registered_at = Set(Utc::now() - Duration::days(1));
        ids.push(school_device::Entity::update(am).exec(db).await?.id);
    }
    Ok(ids)
}

/// How long the parents' notices took to leave Adal.
struct Told {
    pace: usize,
    notices: usize,
    median: f64,
    p99: f64,
    worst: f64,
    within_5s: f64,
}

/// Entries at `pace` a second for `seconds` from other turnstiles, a notification worker
/// running alongside; the time from each event's upload to its notice's acceptance by the
/// push gateway.
async fn told(
    backend: &'static str,
    db: &DatabaseConnection,
    school: i64,
    args: &Args,
    devices: usize,
) -> anyhow::Result<Told> {
    use sea_orm::{ColumnTrait, QueryFilter, QuerySelect};
    let pace = if backend == "sqlite" {
        args.pace.min(200)
    } else {
        args.pace
    };
    let ids = turnstiles(db, school, "pace", devices).await?;
    let gateway = FakeGateway::start()?;
    let settings = Settings {
        push_gateway_url: Some(gateway.url.clone()),
        sms_gateway_url: Some(gateway.url.clone()),
        push_rate_per_sec: 1_000_000,
        sms_rate_per_sec: 1_000_000,
        quiet_hours_start: 0,
        quiet_hours_end: 0,
        ..Settings::default()
    };
    let worker = adal_server::wiring::worker(db.clone(), Arc::new(settings))?;
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let running = tokio::spawn(worker.run(async {
        stopped.await.ok();
    }));
    let started = Utc::now();
    let per_device = pace.div_ceil(devices).max(1);
    let (pupils, seconds) = (args.pupils, args.seconds);
    let mut tasks = Vec::new();
    for (d, device) in ids.into_iter().enumerate() {
        let db = db.clone();
        tasks.push(tokio::spawn(async move {
            // The devices' seconds are spread over the second, as real turnstiles' are.
            tokio::time::sleep(std::time::Duration::from_millis(
                (d * 1000 / devices.max(1)) as u64,
            ))
            .await;
            let mut tick = tokio::time::interval(std::time::Duration::from_secs(1));
            for s in 0..seconds {
                tick.tick().await;
                let now = Utc::now();
                let batch: Vec<EventIn> = (0..per_device)
                    .map(|k| {
                        let n = s * per_device + k;
                        EventIn {
                            seq: i64::try_from(n + 1).unwrap_or(i64::MAX),
                            kind: SchoolEventKind::Entry,
                            method: CredentialKind::Card,
                            credential: format!("B{:08X}", (d * 7919 + n * 104_729) % pupils),
                            at: now,
                            dishes: Vec::new(),
                        }
                    })
                    .collect();
                upload(&db, device, batch, now).await.map_err(e)?;
            }
            Ok::<(), anyhow::Error>(())
        }));
    }
    for t in tasks {
        t.await??;
    }
    let expected = (per_device * devices * seconds) as u64;
    let queued = || {
        notification_message::Entity::find()
            .filter(notification_message::Column::QueuedAt.gte(started))
    };
    // A bench, not a test: it may wait on the clock. Two minutes is far past any target.
    let deadline = Instant::now() + std::time::Duration::from_secs(120);
    loop {
        let waiting = queued()
            .filter(notification_message::Column::SentAt.is_null())
            .count(db)
            .await?;
        if waiting == 0 {
            break;
        }
        anyhow::ensure!(
            Instant::now() < deadline,
            "{waiting} notices still unsent two minutes after the last upload"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    stop.send(()).ok();
    running.await?;
    gateway.stop().await;
    let times: Vec<(chrono::DateTime<Utc>, Option<chrono::DateTime<Utc>>)> = queued()
        .select_only()
        .column(notification_message::Column::QueuedAt)
        .column(notification_message::Column::SentAt)
        .into_tuple()
        .all(db)
        .await?;
    anyhow::ensure!(
        times.len() as u64 == expected,
        "{} notices queued for {expected} events",
        times.len()
    );
    let mut secs: Vec<f64> = times
        .iter()
        .filter_map(|(q, s)| s.map(|s| (s - *q).num_microseconds().unwrap_or(0) as f64 / 1e6))
        .collect();
    secs.sort_by(f64::total_cmp);
    let at = |q: f64| secs[((secs.len() as f64 * q).ceil() as usize).clamp(1, secs.len()) - 1];
    let told = Told {
        pace: per_device * devices,
        notices: secs.len(),
        median: at(0.5),
        p99: at(0.99),
        worst: secs.last().copied().unwrap_or(0.0),
        within_5s: secs.iter().filter(|s| **s <= 5.0).count() as f64 / secs.len() as f64,
    };
    println!(
        "[{backend}] the parents told: {} notices of entries at {} a second for {seconds} s, from upload to the push gateway: median {:.2} s, 99th percentile {:.2} s, worst {:.2} s, {:.1}% within 5 s",
        told.notices,
        told.pace,
        told.median,
        told.p99,
        told.worst,
        told.within_5s * 100.0
    );
    Ok(told)
}

async fn ingestion(
    backend: &'static str,
    db: &DatabaseConnection,
    school: i64,
    args: &Args,
    devices: usize,
) -> anyhow::Result<(u64, u64, f64)> {
    let ids = turnstiles(db, school, "ingest", devices).await?;
    let events_before = school_event::Entity::find().count(db).await?;
    let messages_before = notification_message::Entity::find().count(db).await?;
    let pupils = args.pupils;
    let batches = args.batches;
    let started = Instant::now();
    let mut tasks = Vec::new();
    for (d, device) in ids.into_iter().enumerate() {
        let db = db.clone();
        tasks.push(tokio::spawn(async move {
            let mut resent = 0u64;
            let mut prev: Option<Vec<EventIn>> = None;
            for b in 0..batches {
                let at = Utc::now() - Duration::seconds(30);
                let batch: Vec<EventIn> = (0..100)
                    .map(|k| {
                        let n = b * 100 + k;
                        let pupil = (d * 7919 + n * 104_729) % pupils;
                        EventIn {
                            seq: i64::try_from(n + 1).unwrap_or(i64::MAX),
                            kind: if b % 2 == 0 {
                                SchoolEventKind::Entry
                            } else {
                                SchoolEventKind::Exit
                            },
                            method: CredentialKind::Card,
                            credential: format!("B{pupil:08X}"),
                            at,
                            dishes: Vec::new(),
                        }
                    })
                    .collect();
                upload(&db, device, batch.clone(), Utc::now())
                    .await
                    .map_err(e)?;
                if b % 5 == 4
                    && let Some(p) = prev.take()
                {
                    let answer = upload(&db, device, p, Utc::now()).await.map_err(e)?;
                    anyhow::ensure!(
                        answer
                            .answers
                            .iter()
                            .all(|a| a.status == adal_schools::events::Status::Duplicate),
                        "a re-sent batch was stored again"
                    );
                    resent += 100;
                }
                prev = Some(batch);
            }
            Ok::<u64, anyhow::Error>(resent)
        }));
    }
    let mut resent = 0;
    for t in tasks {
        resent += t.await??;
    }
    let secs = started.elapsed().as_secs_f64();
    let stored = school_event::Entity::find().count(db).await? - events_before;
    let messages = notification_message::Entity::find().count(db).await? - messages_before;
    let expected = (devices * batches * 100) as u64;
    anyhow::ensure!(stored == expected, "{stored} events stored of {expected}");
    anyhow::ensure!(
        messages == expected,
        "{messages} notices queued for {expected} events"
    );
    println!(
        "[{backend}] ingestion: {stored} events ({resent} re-sent) from {devices} devices in {secs:.2} s: {:.0} events/s, each with its parent's notice",
        stored as f64 / secs
    );
    Ok((stored, resent, secs))
}

/// R pupils' free meals on K days of the month before, in R/1000 schools of one region.
async fn meals(db: &DatabaseConnection, args: &Args) -> anyhow::Result<(i32, i64)> {
    let month = reports::previous(month_of(adal_schools::rules::local_day(Utc::now())));
    let (first, _) = reports::days_of(month).context("month")?;
    let schools = (args.report_pupils / 1000).max(1);
    let now = Utc::now();
    let mut ids = Vec::new();
    for chunk in (0..schools).collect::<Vec<_>>().chunks(500) {
        organisation::Entity::insert_many(chunk.iter().map(|i| organisation::ActiveModel {
            bin: Set(format!("6{i:011}")),
            kind: Set("school".into()),
            name_kk: Set(format!("Bench school {i}")),
            name_ru: Set(format!("Bench school {i}")),
            name_en: Set(format!("Bench school {i}")),
            locality_kato: Set(None),
            region_kato: Set(Some("750000000".into())),
            parent_id: Set(None),
            activity_code: Set(None),
            address: Set(None),
            needs_classification: Set(false),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }))
        .exec_without_returning(db)
        .await?;
    }
    use sea_orm::{ColumnTrait, QueryFilter};
    for o in organisation::Entity::find()
        .filter(organisation::Column::RegionKato.eq("750000000"))
        .all(db)
        .await?
    {
        ids.push(o.id);
    }
    let min_school = ids.iter().min().copied().unwrap_or(0);
    let r = args.report_pupils;
    let sql = match db.get_database_backend() {
        sea_orm::DatabaseBackend::Postgres => format!(
            "INSERT INTO school_meal (school_id, device_id, event_id, person_id, day, served_at, dishes, charge, ground, price, cost, free_day, late, allergens_served) \
             SELECT {min_school} + p / 1000, 0, p * 100 + d, 10000000 + p, DATE '{first}' + d, \
                    (DATE '{first}' + d) + TIME '07:00', '[]', 'free', 'grade_1_4', 0, 650, DATE '{first}' + d, false, NULL \
             FROM generate_series(0, {r} - 1) p, generate_series(0, {} - 1) d",
            args.days
        ),
        _ => format!(
            "WITH RECURSIVE p(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM p WHERE n + 1 < {r}), \
             d(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM d WHERE n + 1 < {}) \
             INSERT INTO school_meal (school_id, device_id, event_id, person_id, day, served_at, dishes, charge, ground, price, cost, free_day, late, allergens_served) \
             SELECT {min_school} + p.n / 1000, 0, p.n * 100 + d.n, 10000000 + p.n, date('{first}', '+' || d.n || ' days'), \
                    date('{first}', '+' || d.n || ' days') || 'T07:00:00+00:00', '[]', 'free', 'grade_1_4', 0, 650, date('{first}', '+' || d.n || ' days'), 0, NULL \
             FROM p, d",
            args.days
        ),
    };
    db.execute_unprepared(&sql).await?;
    if db.get_database_backend() == sea_orm::DatabaseBackend::Postgres {
        db.execute_unprepared("ANALYZE school_meal").await?;
    }
    Ok((month, r * args.days))
}

async fn run(backend: &'static str, url: String, args: &Args) -> anyhow::Result<Figures> {
    let mut opts = ConnectOptions::new(url.clone());
    opts.max_connections(u32::try_from(args.devices + 10).unwrap_or(60))
        .sqlx_logging(false);
    let db = Database::connect(opts).await?;
    adal_core::db::migrate(&db).await?;
    adal_schools::partitions::ensure(&db, adal_schools::rules::local_day(Utc::now()))
        .await
        .map_err(e)?;
    // The demo's documents go to a folder of the run's own.
    let files = tempfile::tempdir()?;
    let demo = adal_core::settings::Settings {
        data_dir: files.path().to_path_buf(),
        ..adal_core::settings::Settings::default()
    };
    adal_server::seed::seed_demo(&db, &demo).await?;
    adal_server::wiring::domains();
    use sea_orm::{ColumnTrait, QueryFilter};
    let school = organisation::Entity::find()
        .filter(organisation::Column::Bin.eq(adal_schools::demo::SCHOOL_BIN))
        .one(&db)
        .await?
        .context("the demo school")?
        .id;
    let devices = if backend == "sqlite" {
        args.devices.min(4)
    } else {
        args.devices
    };
    let t = Instant::now();
    pupils(&db, school, args.pupils).await?;
    // The cards, memberships and guardians exist weeks before a morning's rush, and autovacuum
    // has analysed them by then; a fresh bench database has statistics of empty tables.
    db.execute_unprepared("ANALYZE").await?;
    println!(
        "[{backend}] {} pupils with cards and parents: {:.1} s (set-up, not measured)",
        args.pupils,
        t.elapsed().as_secs_f64()
    );
    let told = told(backend, &db, school, args, devices).await?;
    let (stored, resent, ingest_secs) = ingestion(backend, &db, school, args, devices).await?;

    let report_args = Args {
        report_pupils: if backend == "sqlite" {
            args.report_pupils.min(1_000)
        } else {
            args.report_pupils
        },
        postgres: None,
        ..*args
    };
    let t = Instant::now();
    let (month, n) = meals(&db, &report_args).await?;
    println!(
        "[{backend}] {n} meals of {} pupils written: {:.1} s (set-up, not measured)",
        report_args.report_pupils,
        t.elapsed().as_secs_f64()
    );
    let t = Instant::now();
    let table = reports::meals_region(&db, "750000000", month)
        .await
        .map_err(e)?;
    let report_secs = t.elapsed().as_secs_f64();
    let total = table.rows.last().context("a total row")?;
    anyhow::ensure!(
        total.get(3) == Some(&reports::Cell::Int(n)),
        "the report counts {:?} free meals of {n}",
        total.get(3)
    );
    println!(
        "[{backend}] the region's meal report of {month}: {} schools, {n} meals, {report_secs:.2} s",
        table.rows.len() - 1
    );
    db.close().await?;
    Ok(Figures {
        backend,
        devices,
        stored,
        resent,
        ingest_secs,
        told,
        report_meals: n,
        report_secs,
    })
}

async fn main_async() -> anyhow::Result<()> {
    let args = Arc::new(parse_args()?);
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
        "| database | devices at once | events stored (re-sent) | ingestion | parents told: pace | from upload to the push gateway: median / p99 / worst | within 5 s | meals in the report | the region's meal report |"
    );
    println!("|---|---|---|---|---|---|---|---|---|");
    for f in figures {
        println!(
            "| {} | {} | {} ({}) | {:.0} events/s | {} events/s | {:.2} / {:.2} / {:.2} s | {:.1}% | {} | {:.2} s |",
            f.backend,
            f.devices,
            f.stored,
            f.resent,
            f.stored as f64 / f.ingest_secs,
            f.told.pace,
            f.told.median,
            f.told.p99,
            f.told.worst,
            f.told.within_5s * 100.0,
            f.report_meals,
            f.report_secs
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
            eprintln!("schools bench: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
