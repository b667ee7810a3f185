//! The schools' monthly reports (each regeneration a new version only when its bytes change,
//! with what changed) and the transfer of every subsidised meal to the Social Wallet.

use sea_orm_migration::{prelude::*, schema::*};

use crate::common::{a, drop_tables, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(a("school_report"))
                    .col(big_integer(a("id")).auto_increment().primary_key().take())
                    .col(string_len(a("kind"), 32))
                    // `school:<id>` or `region:<kato>`.
                    .col(string_len(a("scope"), 32))
                    .col(big_integer_null(a("school_id")))
                    .col(string_len_null(a("region_kato"), 9))
                    // YYYYMM.
                    .col(integer(a("month")))
                    .col(integer(a("version")))
                    .col(text(a("csv")))
                    .col(string_len(a("csv_sha256"), 64))
                    .col(string_len(a("xlsx_sha256"), 64))
                    .col(integer(a("rows")))
                    // What changed since the previous version; empty for the first.
                    .col(text_null(a("changes")))
                    .col(timestamp_with_time_zone(a("generated_at")))
                    .col(big_integer_null(a("generated_by")))
                    .take(),
            )
            .await?;
        index(
            manager,
            "school_report_version",
            "school_report",
            &["kind", "scope", "month", "version"],
            true,
        )
        .await?;
        index(
            manager,
            "school_report_school",
            "school_report",
            &["school_id", "month"],
            false,
        )
        .await?;
        manager
            .create_table(
                Table::create()
                    .table(a("school_wallet_transfer"))
                    .col(big_integer(a("meal_id")).primary_key().take())
                    .col(big_integer(a("school_id")))
                    .col(date(a("day")))
                    // pending, accepted or rejected.
                    .col(string_len(a("state"), 16))
                    .col(integer(a("attempts")))
                    .col(timestamp_with_time_zone(a("next_at")))
                    .col(text_null(a("reason")))
                    .col(timestamp_with_time_zone_null(a("answered_at")))
                    .take(),
            )
            .await?;
        index(
            manager,
            "school_wallet_transfer_due",
            "school_wallet_transfer",
            &["state", "next_at"],
            false,
        )
        .await?;
        index(
            manager,
            "school_wallet_transfer_school",
            "school_wallet_transfer",
            &["school_id", "state"],
            false,
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(manager, &["school_wallet_transfer", "school_report"]).await
    }
}
