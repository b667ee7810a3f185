//! The documents a parent attaches to a declared priority category of a voucher application
//! (a certificate of disability, of large-family status, ...): stored by checksum in the data
//! folder like every other document, opened by the akimat officers who decide the category and
//! by the parent.

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
                    .table(a("voucher_category_document"))
                    .col(big_integer(a("id")).auto_increment().primary_key().take())
                    .col(big_integer(a("category_id")))
                    .col(string_len(a("file_name"), 255))
                    .col(string_len(a("content_type"), 128))
                    .col(big_integer(a("size")))
                    .col(string_len(a("sha256"), 64))
                    .col(big_integer(a("uploaded_by")))
                    .col(timestamp_with_time_zone(a("uploaded_at")))
                    .take(),
            )
            .await?;
        index(
            manager,
            "idx_voucher_category_document_category",
            "voucher_category_document",
            &["category_id"],
            false,
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(manager, &["voucher_category_document"]).await
    }
}
