//! Documents a person attaches to a contest (a certificate, a letter): stored by checksum in
//! the data folder like every other document, listed with the case, downloaded by the person
//! and by the bodies that see the case.

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
                    .table(a("contest_document"))
                    .col(big_integer(a("id")).auto_increment().primary_key().take())
                    .col(big_integer(a("case_id")))
                    .col(string_len(a("file_name"), 255))
                    .col(string_len(a("content_type"), 128))
                    .col(big_integer(a("size")))
                    .col(string_len(a("sha256"), 64))
                    .col(timestamp_with_time_zone(a("uploaded_at")))
                    .take(),
            )
            .await?;
        index(
            manager,
            "idx_contest_document_case",
            "contest_document",
            &["case_id"],
            false,
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(manager, &["contest_document"]).await
    }
}
