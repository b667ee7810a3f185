//! The obligations' status over time: how many graduates were in each status at the end of each
//! month the feeds cover, kept by every evaluation run (and reconstructed for past months on
//! request), so the dashboard can draw the trend without re-evaluating history.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

use crate::common::{a, drop_tables};

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(a("obligation_status_month"))
                    // The month (`YYYYMM`, as `contribution.period`) the statuses hold at the end of.
                    .col(integer(a("period")))
                    .col(string_len(a("status"), 32))
                    .col(big_integer(a("graduates")))
                    // `evaluation` (the statuses as stored by a run) or `reconstruction` (a past
                    // month computed later from the evidence, under the rules then in force).
                    .col(string_len(a("source"), 16))
                    .col(integer(a("rule_version")))
                    .col(timestamp_with_time_zone(a("recorded_at")))
                    .primary_key(Index::create().col(a("period")).col(a("status")))
                    .take(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(manager, &["obligation_status_month"]).await
    }
}
