//! Schema migrations, written with SeaQuery's builder so they run on SQLite and PostgreSQL.

pub use sea_orm_migration::prelude::*;

mod m20261122_000001_foundation;
mod m20261122_000002_obligations;
mod m20261122_000003_notifications;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261122_000001_foundation::Migration),
            Box::new(m20261122_000002_obligations::Migration),
            Box::new(m20261122_000003_notifications::Migration),
        ]
    }
}
