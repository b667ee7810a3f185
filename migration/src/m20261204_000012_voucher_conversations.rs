//! Conversations about an application or a month of attendance, between the parent, the
//! provider and the akimat officer concerned: part of the record the akimat decides on.

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
                    .table(a("voucher_message"))
                    .col(big_integer(a("id")).auto_increment().primary_key().take())
                    // `application` or `attendance`, and that row's id.
                    .col(string_len(a("thread_kind"), 16))
                    .col(big_integer(a("thread_id")))
                    .col(big_integer(a("author_account_id")))
                    // `parent`, `provider` or `akimat`: the side the author wrote for.
                    .col(string_len(a("author_side"), 16))
                    .col(string_len(a("language"), 2))
                    .col(text(a("body")))
                    .col(timestamp_with_time_zone(a("created_at")))
                    .take(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("voucher_message_thread")
                    .table(a("voucher_message"))
                    .col(a("thread_kind"))
                    .col(a("thread_id"))
                    .col(a("id"))
                    .take(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(manager, &["voucher_message"]).await
    }
}
