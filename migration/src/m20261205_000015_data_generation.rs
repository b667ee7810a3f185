//! Generations of data that caches depend on: a counter per name, raised by every write that
//! changes what the cache holds, so that a cache in any `adal` instance knows it is stale by
//! reading one row (the register's totals per filter: `register`).

use sea_orm_migration::{prelude::*, schema::*};

use crate::common::{a, drop_tables};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(a("data_generation"))
                    .col(string_len(a("name"), 64).primary_key().take())
                    .col(big_integer(a("value")))
                    .take(),
            )
            .await?;
        let mut first = Query::insert();
        first
            .into_table(a("data_generation"))
            .columns([a("name"), a("value")])
            .values(["register".into(), 0i64.into()])
            .map_err(|e| DbErr::Custom(e.to_string()))?;
        manager.exec_stmt(first).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(manager, &["data_generation"]).await
    }
}
