//! The state of each obligation's latest ledger month (its `horizon`): credited, gap, ... It
//! is what the dashboard counts as "months credited this month", without re-walking ledgers.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

use crate::common::a;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(a("obligation"))
                    // `credited`, `gap`, ... for the month `horizon`; NULL when the ledger does
                    // not reach it (not started yet, or fulfilled before it).
                    .add_column(string_len_null(a("horizon_state"), 32))
                    .take(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(a("obligation"))
                    .drop_column(a("horizon_state"))
                    .take(),
            )
            .await
    }
}
