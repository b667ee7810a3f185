//! Each graduate's own horizon: a contribution batch says whether it is a national feed, which
//! covers everyone up to its latest month (`covers_until`), or one person's answer (the
//! ministry's answer after a 511 consent), which covers only the persons it names.

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
                    .table(a("import_batch"))
                    .add_column(string_len(a("scope"), 16).default("national").take())
                    .take(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(a("import_batch"))
                    .add_column(integer_null(a("covers_until")))
                    .take(),
            )
            .await?;
        // The batches already stored: the ministry's answers were imported as files named
        // after their consent request; every other completed contribution feed covers up to
        // the latest month among the rows it brought.
        let db = manager.get_connection();
        db.execute_unprepared(
            "UPDATE import_batch SET scope = 'person' \
             WHERE kind = 'contributions' AND file_name LIKE 'ministry-consent-%'",
        )
        .await?;
        db.execute_unprepared(
            "UPDATE import_batch SET covers_until = \
               (SELECT MAX(c.period) FROM contribution c WHERE c.batch_id = import_batch.id) \
             WHERE kind = 'contributions' AND status = 'completed' AND scope = 'national'",
        )
        .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in ["covers_until", "scope"] {
            manager
                .alter_table(
                    Table::alter()
                        .table(a("import_batch"))
                        .drop_column(a(column))
                        .take(),
                )
                .await?;
        }
        Ok(())
    }
}
