//! How far each person has read each voucher conversation (`voucher_thread_read`): the last
//! message they saw, so that each portal counts what is new to them. One row per account and
//! thread, moved forward when they open it; a person's own messages never count as unread.

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
                    .table(a("voucher_thread_read"))
                    .col(big_integer(a("id")).auto_increment().primary_key().take())
                    .col(big_integer(a("account_id")))
                    // `application` or `attendance`, and that row's id.
                    .col(string_len(a("thread_kind"), 16))
                    .col(big_integer(a("thread_id")))
                    .col(big_integer(a("last_message_id")))
                    .col(timestamp_with_time_zone(a("read_at")))
                    .take(),
            )
            .await?;
        index(
            manager,
            "voucher_thread_read_account_thread",
            "voucher_thread_read",
            &["account_id", "thread_kind", "thread_id"],
            true,
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(manager, &["voucher_thread_read"]).await
    }
}
