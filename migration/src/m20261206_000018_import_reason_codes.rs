//! Import rejections with a stable machine reason code next to their English text, so a page
//! explains them in its language: each rejected line's code, and a failed file's code with the
//! values its text needs (the missing column names).

use sea_orm_migration::{prelude::*, schema::*};

use crate::common::a;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(a("import_rejection"))
                    .add_column(string_null(a("reason_code")))
                    .take(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(a("import_batch"))
                    .add_column(string_null(a("error_code")))
                    .take(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(a("import_batch"))
                    .add_column(text_null(a("error_params")))
                    .take(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (table, column) in [
            ("import_batch", "error_params"),
            ("import_batch", "error_code"),
            ("import_rejection", "reason_code"),
        ] {
            manager
                .alter_table(Table::alter().table(a(table)).drop_column(a(column)).take())
                .await?;
        }
        Ok(())
    }
}
