//! The published file of a voucher allocation run is stored out of line without compression
//! on PostgreSQL (`STORAGE EXTERNAL`). A national run's file is about 150 MB of JSON, mostly
//! hex hashes that do not compress: PostgreSQL's default tried anyway, which took seconds of
//! the run's transaction for no saving (docs/benchmarks.md). SQLite never compresses.

use sea_orm::{ConnectionTrait, DatabaseBackend};
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() == DatabaseBackend::Postgres {
            manager
                .get_connection()
                .execute_unprepared(
                    "ALTER TABLE voucher_allocation ALTER COLUMN file SET STORAGE EXTERNAL",
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() == DatabaseBackend::Postgres {
            manager
                .get_connection()
                .execute_unprepared(
                    "ALTER TABLE voucher_allocation ALTER COLUMN file SET STORAGE EXTENDED",
                )
                .await?;
        }
        Ok(())
    }
}
