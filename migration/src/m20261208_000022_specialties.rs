//! The classifier of specialties (education programmes) with names in the three languages, so
//! that a graduate's specialty reads in the page's language; a graduate keeps the name the
//! university gave, which shows where the classifier has no such code.

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
                    .table(a("specialty"))
                    .col(string_len(a("code"), 16).primary_key().take())
                    .col(string(a("name_kk")))
                    .col(string(a("name_ru")))
                    .col(string(a("name_en")))
                    .take(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(manager, &["specialty"]).await
    }
}
