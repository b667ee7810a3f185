//! The `adal` command line. Every command reads the same settings.

use std::io::Read;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use entities::{organisation, person};

use crate::accounts::service::{AccountDraft, AssignmentDraft, create_account};
use crate::auth::Role;
use crate::settings::Settings;
use crate::startup::Application;
use crate::vocab::Language;
use crate::{db, graphql, seed, telemetry};

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
    /// Import a CSV file: graduates, contributions, employers, localities or activity-codes.
    Import {
        /// What the file holds.
        kind: crate::obligations::import::ImportKind,
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
    /// Manage accounts.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
}

#[derive(Subcommand, Debug)]
enum UserCommand {
    /// Create an account, e.g. the first administrator:
    /// `echo 'secret' | adal user create --login admin --role operator_admin --password-stdin`
    Create {
        #[arg(long)]
        login: String,
        /// operator_admin, operator_analyst, commission_member, akimat_officer, school_admin,
        /// school_staff, provider_staff, parent, graduate.
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
        Command::Migrate => {
            let (conn, _) = db::connect(&settings).await?;
            db::migrate(&conn).await?;
            println!("database migrated: {}", settings.database_url_redacted());
            Ok(())
        }
        Command::SeedDemo => {
            let (conn, _) = db::connect(&settings).await?;
            db::migrate(&conn).await?;
            let summary = seed::seed_demo(&conn).await?;
            println!("{summary}");
            Ok(())
        }
        Command::Import { kind, file } => {
            use crate::obligations::import::{Started, run_batch, start_batch};
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
            let report = match started {
                Started::Already(r) => {
                    println!(
                        "this file was imported before as batch {}: nothing changed",
                        r.id
                    );
                    return Ok(());
                }
                Started::New(batch, handle) => {
                    eprintln!("batch {}: importing {}", batch.id, file.display());
                    run_batch(&conn, kind, batch, handle, |r| {
                        eprint!(
                            "\r{} rows read, {} accepted, {} rejected",
                            r.total_rows, r.accepted, r.rejected
                        );
                    })
                    .await
                    .map_err(|e| anyhow::anyhow!("{}", e.message()))?
                }
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
                report.load_time.as_secs_f64(),
                report.evaluated,
                report.evaluate_time.as_secs_f64()
            );
            if report.rejected > 0 {
                println!("rejected lines (line,field,reason):");
                let csv = crate::obligations::import::rejection_report(&conn, report.id)
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
            let s = crate::obligations::evaluate::reevaluate_all(&conn)
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
                let n = crate::obligations::history::reconstruct(&conn, history)
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
            let worker =
                crate::notifications::worker::Worker::new(conn, std::sync::Arc::new(settings))?;
            println!(
                "notification worker {} running; Ctrl-C stops it",
                worker.id()
            );
            worker.run(shutdown_signal()).await;
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
            let summary = seed::seed_demo(app.db()).await?;
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
        let w = crate::notifications::worker::Worker::new(
            app.db().clone(),
            app.state().settings.clone(),
        )?;
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
