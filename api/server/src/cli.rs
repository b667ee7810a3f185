//! The `adal` command line. Every command reads the same settings.

use std::io::Read;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use entities::{organisation, person};

use crate::startup::Application;
use crate::{schema as graphql, seed};
use adal_core::auth::Role;
use adal_core::settings::Settings;
use adal_core::vocab::Language;
use adal_core::{db, telemetry};
use adal_registers::accounts::service::{AccountDraft, AssignmentDraft, create_account};

#[derive(Parser, Debug)]
#[command(
    name = "adal",
    version,
    about = "Adal: education-sector obligations and benefits"
)]
struct Cli {
    /// Settings file (TOML); default `adal.toml` when present. `ADAL_*` variables override it.
    #[arg(long, global = true)]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Serve the API and the portals (the default).
    Serve {
        /// Load the demo data when the database has no accounts yet.
        #[arg(long)]
        seed_demo: bool,
    },
    /// Create or upgrade the database schema.
    Migrate,
    /// Load the demo data (regions, organisations, people, one account per role).
    SeedDemo,
    /// Print the GraphQL schema (SDL).
    PrintSchema,
    /// Import a CSV file: graduates, contributions, employers, localities, activity-codes
    /// or specialties.
    Import {
        /// What the file holds.
        kind: adal_obligations::import::ImportKind,
        file: PathBuf,
    },
    /// Re-evaluate every obligation with the rules in force (after a rule change).
    Reevaluate {
        /// Also reconstruct the status figures of this many months before the latest one the
        /// feeds cover, where none are recorded (the dashboard's trend).
        #[arg(long, value_name = "MONTHS", default_value_t = 0)]
        history: u32,
    },
    /// Deliver notifications (SMS, push, e-mail) from the outbox until stopped (Ctrl-C). Several
    /// workers may share one PostgreSQL database; `adal serve` runs one too unless
    /// `notify_worker = false`.
    Worker,
    /// Voucher campaigns: check a published allocation.
    Vouchers {
        #[command(subcommand)]
        command: VouchersCommand,
    },
    /// The audit trail's hash chain: verify it, or seal what is new now.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// Manage accounts.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Single sign-on (Adal as an OpenID Connect provider).
    Sso {
        #[command(subcommand)]
        command: SsoCommand,
    },
}

#[derive(Subcommand, Debug)]
enum SsoCommand {
    /// Retire the ID-token signing key and make a new one. The old key stays in the JWKS until
    /// the tokens it signed have expired (`sso_token_ttl_secs`).
    RotateKey,
}

#[derive(Subcommand, Debug)]
enum UserCommand {
    /// Create an account, e.g. the first administrator:
    /// `echo 'secret' | adal user create --login admin --role operator_admin --password-stdin`
    Create {
        #[arg(long)]
        login: String,
        /// operator_admin, operator_analyst, commission_member, akimat_officer, school_admin,
        /// school_staff, provider_staff, parent, graduate, pupil.
        #[arg(long)]
        role: Role,
        /// BIN of the school or provider the role is scoped to.
        #[arg(long)]
        org: Option<String>,
        /// KATO code of the region (akimat officers).
        #[arg(long)]
        region: Option<String>,
        /// IIN of the person the account belongs to (parents, graduates).
        #[arg(long)]
        person: Option<String>,
        #[arg(long, default_value = "ru")]
        language: Language,
        /// Read the password from standard input (first line).
        #[arg(long, required = true)]
        password_stdin: bool,
    },
}

#[derive(Subcommand, Debug)]
enum AuditCommand {
    /// Recompute the chain (from the beginning, or from the head published for a day) and
    /// name the first event or link that does not match; exits non-zero if one does not.
    Verify {
        /// Start from the head published for this day (YYYY-MM-DD), as the witness holds it.
        #[arg(long, value_name = "DAY")]
        from_day: Option<chrono::NaiveDate>,
    },
    /// Link every committed event not yet in the chain and publish the heads of ended days
    /// (`adal serve` and `adal worker` do it every few seconds).
    Seal,
}

#[derive(Subcommand, Debug)]
enum VouchersCommand {
    /// Reproduce an allocation from its published file (`/vouchers/allocations/{id}`) and say
    /// whether the ranking and the vouchers issued match the rules; exits non-zero if not.
    Verify { file: PathBuf },
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let settings = match Settings::load(cli.config.as_deref()) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("adal: {e:#}");
            return ExitCode::from(2);
        }
    };
    telemetry::init(&settings);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("adal: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli.command, settings)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("adal: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(command: Option<Command>, settings: Settings) -> anyhow::Result<()> {
    match command.unwrap_or(Command::Serve { seed_demo: false }) {
        Command::Serve { seed_demo } => serve(settings, seed_demo).await,
        Command::Audit { command } => {
            let (conn, _) = db::connect(&settings).await?;
            db::migrate(&conn).await?;
            match command {
                AuditCommand::Seal => {
                    let witness = crate::audit::witness(&settings)?;
                    let n = crate::audit::seal_round(
                        &conn,
                        witness
                            .as_ref()
                            .map(|w| w as &dyn adal_core::audit_chain::Witness),
                    )
                    .await;
                    println!("{n} audit events sealed");
                    Ok(())
                }
                AuditCommand::Verify { from_day } => {
                    let v = adal_core::audit_chain::verify(&conn, from_day)
                        .await
                        .map_err(|e| anyhow::anyhow!("{}", e.message()))?;
                    match &v.fault {
                        None => {
                            println!(
                                "the audit trail holds: links {}..{} recomputed ({} links), {} events recorded lately and not yet sealed",
                                v.from_seq + 1,
                                v.to_seq,
                                v.links,
                                v.unsealed
                            );
                            Ok(())
                        }
                        Some(fault) => {
                            anyhow::bail!(
                                "the audit trail does NOT hold: {fault} ({} links before it match)",
                                v.links
                            )
                        }
                    }
                }
            }
        }
        Command::Vouchers {
            command: VouchersCommand::Verify { file },
        } => {
            let text = std::fs::read_to_string(&file)
                .with_context(|| format!("cannot read {}", file.display()))?;
            let checked =
                adal_vouchers::allocation::verify_file(&text).map_err(|e| anyhow::anyhow!(e))?;
            if checked.matches() {
                println!(
                    "{}: the allocation matches its rules: the ranking and the vouchers issued \
                     follow from the file's applications, priority table and seed, and the seed \
                     is the one committed to when the campaign opened",
                    file.display()
                );
                Ok(())
            } else {
                for p in &checked.problems {
                    println!("- {p}");
                }
                anyhow::bail!(
                    "{}: the allocation does NOT match its rules ({} problems above)",
                    file.display(),
                    checked.problems.len()
                )
            }
        }
        Command::Sso {
            command: SsoCommand::RotateKey,
        } => {
            let (conn, _) = db::connect(&settings).await?;
            db::migrate(&conn).await?;
            let kid = adal_sso::service::rotate_key(&conn, &settings)
                .await
                .map_err(|e| anyhow::anyhow!("rotating the signing key: {}", e.message()))?;
            println!("new ID-token signing key: {kid}");
            Ok(())
        }
        Command::Migrate => {
            let (conn, _) = db::connect(&settings).await?;
            db::migrate(&conn).await?;
            println!("database migrated: {}", settings.database_url_redacted());
            Ok(())
        }
        Command::SeedDemo => {
            let (conn, _) = db::connect(&settings).await?;
            db::migrate(&conn).await?;
            let summary = seed::seed_demo(&conn, &settings).await?;
            println!("{summary}");
            Ok(())
        }
        Command::Import { kind, file } => {
            use adal_obligations::import::{Started, start_batch};
            use adal_obligations::import_job;
            let (conn, _) = db::connect(&settings).await?;
            db::migrate(&conn).await?;
            let handle = std::fs::File::open(&file)
                .with_context(|| format!("cannot open {}", file.display()))?;
            let name = file
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let started = start_batch(&conn, kind, &name, handle, None)
                .await
                .map_err(|e| anyhow::anyhow!("{}", e.message()))?;
            let batch = match started {
                Started::Already(r) => {
                    println!(
                        "this file was imported before as batch {}: nothing changed",
                        r.id
                    );
                    return Ok(());
                }
                Started::New(batch, _) => batch,
            };
            // A job like every import: if this process stops, a running `adal serve` or
            // `adal worker` resumes it.
            let path = std::fs::canonicalize(&file)
                .with_context(|| format!("cannot resolve {}", file.display()))?;
            let job_id = import_job::enqueue(&conn, batch.id, kind, path, false)
                .await
                .map_err(|e| anyhow::anyhow!("{}", e.message()))?;
            eprintln!(
                "batch {} (job {job_id}): importing {}",
                batch.id,
                file.display()
            );
            let runner = crate::wiring::jobs(conn.clone(), &settings).observe(std::sync::Arc::new(
                |_, p: &serde_json::Value| {
                    eprint!(
                        "\r{} rows read, {} accepted, {} rejected",
                        p["totalRows"], p["accepted"], p["rejected"]
                    );
                },
            ));
            match runner
                .run_job(job_id)
                .await
                .map_err(|e| anyhow::anyhow!("{}", e.message()))?
            {
                Some(adal_core::jobs::Outcome::Completed) => {}
                Some(adal_core::jobs::Outcome::Failed(m)) => {
                    eprintln!();
                    anyhow::bail!("batch {}: {m}", batch.id)
                }
                Some(adal_core::jobs::Outcome::Lost) | None => {
                    eprintln!();
                    anyhow::bail!(
                        "batch {}: another instance took the import over; follow it there",
                        batch.id
                    )
                }
            }
            let done = entities::job::Entity::find_by_id(job_id)
                .one(&conn)
                .await?
                .and_then(|j| j.progress)
                .and_then(|p| serde_json::from_str::<serde_json::Value>(&p).ok())
                .unwrap_or_default();
            let n = |k: &str| done[k].as_u64().unwrap_or(0);
            let secs = |k: &str| done[k].as_f64().unwrap_or(0.0);
            let report = Report {
                id: batch.id,
                total_rows: n("totalRows"),
                accepted: n("accepted"),
                duplicates: n("duplicates"),
                rejected: n("rejected"),
                evaluated: n("evaluated"),
                load_secs: secs("loadSeconds"),
                evaluate_secs: secs("evaluateSeconds"),
            };
            eprintln!();
            println!(
                "batch {}: {} rows, {} accepted, {} duplicates, {} rejected in {:.1} s; \
                 {} obligations re-evaluated in {:.1} s",
                report.id,
                report.total_rows,
                report.accepted,
                report.duplicates,
                report.rejected,
                report.load_secs,
                report.evaluated,
                report.evaluate_secs
            );
            if report.rejected > 0 {
                println!("rejected lines (line,field,reason):");
                let csv = adal_obligations::import::rejection_report(&conn, report.id)
                    .await
                    .map_err(|e| anyhow::anyhow!("{}", e.message()))?;
                for line in csv.lines().skip(1).take(20) {
                    println!("  {line}");
                }
                if report.rejected > 20 {
                    println!("  ... (all of them: the importBatch query or the operator portal)");
                }
            }
            Ok(())
        }
        Command::Reevaluate { history } => {
            let (conn, _) = db::connect(&settings).await?;
            db::migrate(&conn).await?;
            let started = std::time::Instant::now();
            let s = adal_obligations::evaluate::reevaluate_all(&conn)
                .await
                .map_err(|e| anyhow::anyhow!("{}", e.message()))?;
            println!(
                "{} obligations re-evaluated with rule version {} in {:.1} s",
                s.obligations,
                s.rule_version,
                started.elapsed().as_secs_f64()
            );
            if history > 0 {
                let started = std::time::Instant::now();
                let n = adal_obligations::history::reconstruct(&conn, history)
                    .await
                    .map_err(|e| anyhow::anyhow!("{}", e.message()))?;
                println!(
                    "status figures reconstructed for {n} of the {history} months before the latest in {:.1} s",
                    started.elapsed().as_secs_f64()
                );
            }
            Ok(())
        }
        Command::Worker => {
            let (conn, _) = db::connect(&settings).await?;
            db::migrate(&conn).await?;
            let jobs = crate::wiring::jobs(conn.clone(), &settings);
            let sealer = crate::audit::spawn_sealer(conn.clone(), &settings)?;
            let housekeeping = crate::housekeeping::spawn(
                conn.clone(),
                std::time::Duration::from_secs(settings.housekeeping_secs.max(1)),
            );
            let worker = crate::wiring::worker(conn, std::sync::Arc::new(settings))?;
            println!(
                "notification worker {} and job runner {} running; Ctrl-C stops them",
                worker.id(),
                jobs.id()
            );
            let (stop, handle) = jobs.spawn();
            worker.run(shutdown_signal()).await;
            for (stop, handle) in [(stop, handle), sealer, housekeeping] {
                let _ = stop.send(());
                let _ = handle.await;
            }
            Ok(())
        }
        Command::PrintSchema => {
            print!("{}", graphql::sdl());
            Ok(())
        }
        Command::User {
            command:
                UserCommand::Create {
                    login,
                    role,
                    org,
                    region,
                    person,
                    language,
                    password_stdin: _,
                },
        } => {
            let mut password = String::new();
            std::io::stdin()
                .read_to_string(&mut password)
                .context("reading the password from standard input")?;
            let password = password.lines().next().unwrap_or("").to_owned();
            let (conn, _) = db::connect(&settings).await?;
            db::migrate(&conn).await?;
            let organisation_id = match org {
                Some(bin) => Some(
                    organisation::Entity::find()
                        .filter(organisation::Column::Bin.eq(bin.trim()))
                        .one(&conn)
                        .await?
                        .with_context(|| format!("no organisation with BIN {bin}"))?
                        .id,
                ),
                None => None,
            };
            let person_id = match person {
                Some(iin) => Some(
                    person::Entity::find()
                        .filter(person::Column::Iin.eq(iin.trim()))
                        .one(&conn)
                        .await?
                        .context("no person with this IIN")?
                        .id,
                ),
                None => None,
            };
            let draft = AccountDraft {
                login,
                password,
                language,
                person_id,
                roles: vec![AssignmentDraft {
                    role,
                    organisation_id,
                    region_kato: region,
                    allowed_operations: None,
                    allowed_fields: None,
                }],
            };
            let acc = create_account(&conn, None, draft)
                .await
                .map_err(|e| anyhow::anyhow!("{}", e.message()))?;
            println!("account {} created with role {role}", acc.login);
            Ok(())
        }
    }
}

async fn serve(settings: Settings, seed_demo: bool) -> anyhow::Result<()> {
    let app = Application::build(settings).await?;
    if seed_demo {
        if seed::is_empty(app.db()).await? {
            let summary = seed::seed_demo(app.db(), &app.state().settings).await?;
            tracing::info!("{summary}");
        } else {
            tracing::info!("database already has accounts: demo data not loaded");
        }
    }
    let addr = app.address();
    let shown = if addr.ip().is_unspecified() {
        format!("http://127.0.0.1:{}", addr.port())
    } else {
        format!("http://{addr}")
    };
    println!("Adal is running: open {shown}/ (portals), {shown}/graphql (GraphiQL)");
    let worker = if app.state().settings.notify_worker {
        let w = crate::wiring::worker(app.db().clone(), app.state().settings.clone())?;
        Some(w.spawn())
    } else {
        None
    };
    app.run_until_stopped().await?;
    if let Some((stop, handle)) = worker {
        let _ = stop.send(());
        let _ = handle.await;
    }
    Ok(())
}

/// Completes on Ctrl-C or SIGTERM.
async fn shutdown_signal() {
    #[cfg(unix)]
    {
        let mut term =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(s) => s,
                Err(_) => {
                    let _ = tokio::signal::ctrl_c().await;
                    return;
                }
            };
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

/// The figures `adal import` prints.
struct Report {
    id: i64,
    total_rows: u64,
    accepted: u64,
    duplicates: u64,
    rejected: u64,
    evaluated: u64,
    load_secs: f64,
    evaluate_secs: f64,
}
