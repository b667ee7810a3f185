//! Connecting to the database (SQLite embedded by default, PostgreSQL in production) and
//! migrating it.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use anyhow::Context;
use migration::{Migrator, MigratorTrait};
use sea_orm::{
    ConnectOptions, Database, DatabaseConnection, DatabaseTransaction, DbErr,
    SqliteTransactionMode, TransactionOptions, TransactionTrait,
};

use crate::settings::Settings;

/// Counts SQL statements run through a connection: used by tests that bound the statements per
/// request, and by the slow-statement log.
#[derive(Clone, Default, Debug)]
pub struct StatementCounter(Arc<AtomicU64>);

impl StatementCounter {
    pub fn get(&self) -> u64 {
        self.0.load(Ordering::Relaxed)
    }
}

const SLOW_STATEMENT: Duration = Duration::from_millis(500);

/// Begins a transaction that reads, then writes. On SQLite it takes the write lock at once
/// (`BEGIN IMMEDIATE`, waiting out the busy timeout): a deferred one that read first fails
/// with `SQLITE_BUSY` when another connection (a worker, a webhook) commits before its first
/// write, which the busy timeout does not help. PostgreSQL ignores the mode.
pub async fn begin_write(db: &DatabaseConnection) -> Result<DatabaseTransaction, DbErr> {
    db.begin_with_options(TransactionOptions {
        sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
        ..TransactionOptions::default()
    })
    .await
}

/// Fresh planner statistics for `table` after a bulk write, on PostgreSQL (autovacuum would
/// catch up only a minute or more later, and the statements that follow the write would be
/// planned for the table as it was); samples the table, a fraction of a second. SQLite keeps
/// no statistics unless asked, and is left alone.
pub async fn analyze(db: &DatabaseConnection, table: &str) -> Result<(), DbErr> {
    if db.get_database_backend() == sea_orm::DbBackend::Postgres {
        sea_orm::ConnectionTrait::execute_unprepared(db, &format!("ANALYZE {table}")).await?;
    }
    Ok(())
}

pub async fn connect(
    settings: &Settings,
) -> anyhow::Result<(DatabaseConnection, StatementCounter)> {
    let url = settings.database_url();
    if url.starts_with("sqlite:") {
        std::fs::create_dir_all(&settings.data_dir).with_context(|| {
            format!("cannot create data folder {}", settings.data_dir.display())
        })?;
    }
    let mut opts = ConnectOptions::new(url);
    opts.max_connections(settings.database_max_connections)
        .connect_timeout(Duration::from_secs(10))
        .acquire_timeout(Duration::from_secs(30))
        // sqlx would log statements with their values: personal data. Never.
        .sqlx_logging(false)
        .map_sqlx_sqlite_opts(|o| {
            o.journal_mode(sea_orm::sqlx::sqlite::SqliteJournalMode::Wal)
                .synchronous(sea_orm::sqlx::sqlite::SqliteSynchronous::Normal)
                .busy_timeout(Duration::from_secs(10))
                .foreign_keys(true)
        });
    let mut db = Database::connect(opts)
        .await
        .with_context(|| format!("cannot connect to {}", settings.database_url_redacted()))?;
    let counter = StatementCounter::default();
    let c = counter.clone();
    db.set_metric_callback(move |info| {
        c.0.fetch_add(1, Ordering::Relaxed);
        if info.elapsed > SLOW_STATEMENT {
            // The SQL text only: its values may be personal data.
            tracing::warn!(
                duration_ms = info.elapsed.as_millis() as u64,
                sql = %info.statement.sql,
                "slow statement"
            );
        }
    });
    Ok((db, counter))
}

pub async fn migrate(db: &DatabaseConnection) -> anyhow::Result<()> {
    Migrator::up(db, None)
        .await
        .context("migrating the database")?;
    Ok(())
}
