//! A file attached to a message of a voucher conversation (a PDF, a photo of a receipt or of
//! the coach's register): the same columns as every table of documents, kept on the message
//! itself since a message carries at most one, all four null for a message of text only.

use sea_orm_migration::{prelude::*, schema::*};

use crate::common::{a, add_column, drop_column};

#[derive(DeriveMigrationName)]
pub struct Migration;

const COLUMNS: [&str; 4] = ["file_name", "content_type", "size", "sha256"];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        add_column(
            manager,
            "voucher_message",
            string_len_null(a("file_name"), 255).take(),
        )
        .await?;
        add_column(
            manager,
            "voucher_message",
            string_len_null(a("content_type"), 128).take(),
        )
        .await?;
        add_column(
            manager,
            "voucher_message",
            big_integer_null(a("size")).take(),
        )
        .await?;
        add_column(
            manager,
            "voucher_message",
            string_len_null(a("sha256"), 64).take(),
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for c in COLUMNS.iter().rev() {
            drop_column(manager, "voucher_message", c).await?;
        }
        Ok(())
    }
}
