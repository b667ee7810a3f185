//! A message's subject is any domain's: the column that named a graduate becomes a kind and an
//! id (`subject_kind`, `subject_id`), so that schools and vouchers send through the same outbox.
//! Messages written before were all about graduates.

use sea_orm_migration::{prelude::*, schema::*};

use crate::common::a;

#[derive(DeriveMigrationName)]
pub struct Migration;

const TABLE: &str = "notification_message";

async fn rename(manager: &SchemaManager<'_>, from: &str, to: &str) -> Result<(), DbErr> {
    manager
        .alter_table(
            Table::alter()
                .table(a(TABLE))
                .rename_column(a(from), a(to))
                .take(),
        )
        .await
}

/// Drops index `old` and creates `new` on `cols`.
async fn reindex(
    manager: &SchemaManager<'_>,
    old: &str,
    new: &str,
    cols: &[&str],
) -> Result<(), DbErr> {
    manager
        .drop_index(Index::drop().name(old).table(a(TABLE)).to_owned())
        .await?;
    let mut i = Index::create();
    i.name(new).table(a(TABLE));
    for c in cols {
        i.col(a(c));
    }
    manager.create_index(i.take()).await
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        rename(manager, "graduate_id", "subject_id").await?;
        manager
            .alter_table(
                Table::alter()
                    .table(a(TABLE))
                    .add_column(string_len_null(a("subject_kind"), 32))
                    .take(),
            )
            .await?;
        manager
            .get_connection()
            .execute_unprepared(
                "UPDATE notification_message SET subject_kind = 'graduate' WHERE subject_id IS NOT NULL",
            )
            .await?;
        reindex(
            manager,
            "ix_message_graduate",
            "ix_message_subject",
            &["subject_kind", "subject_id"],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .get_connection()
            .execute_unprepared(
                "UPDATE notification_message SET subject_id = NULL WHERE subject_kind IS NULL OR subject_kind <> 'graduate'",
            )
            .await?;
        reindex(
            manager,
            "ix_message_subject",
            "ix_message_graduate",
            &["subject_id"],
        )
        .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(a(TABLE))
                    .drop_column(a("subject_kind"))
                    .take(),
            )
            .await?;
        rename(manager, "subject_id", "graduate_id").await
    }
}
