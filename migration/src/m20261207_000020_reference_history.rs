//! Reference data with history: a locality's rural flag and an organisation's kind, locality,
//! region and activity code keep every value with the date it takes effect, and each version of
//! the rules its effective date, so every month is judged with the values in force in it. The
//! current rows keep the latest value; the history starts with one version per existing row,
//! in force since 1900-01-01 (the values as they are).

use sea_orm::{ConnectionTrait, DatabaseBackend};
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
                    .table(a("locality_history"))
                    .col(big_integer(a("id")).auto_increment().primary_key().take())
                    .col(string_len(a("kato"), 9))
                    .col(boolean(a("rural")))
                    .col(date(a("effective_from")))
                    .col(timestamp_with_time_zone(a("recorded_at")))
                    .col(big_integer_null(a("batch_id")))
                    .take(),
            )
            .await?;
        index(
            manager,
            "idx_locality_history_kato",
            "locality_history",
            &["kato", "effective_from"],
            false,
        )
        .await?;
        manager
            .create_table(
                Table::create()
                    .table(a("organisation_history"))
                    .col(big_integer(a("id")).auto_increment().primary_key().take())
                    .col(big_integer(a("organisation_id")))
                    .col(string_len(a("kind"), 32))
                    .col(string_len_null(a("locality_kato"), 9))
                    .col(string_len_null(a("region_kato"), 9))
                    .col(string_len_null(a("activity_code"), 16))
                    .col(date(a("effective_from")))
                    .col(timestamp_with_time_zone(a("recorded_at")))
                    .col(big_integer_null(a("recorded_by")))
                    .col(big_integer_null(a("batch_id")))
                    .take(),
            )
            .await?;
        index(
            manager,
            "idx_organisation_history_org",
            "organisation_history",
            &["organisation_id", "effective_from"],
            false,
        )
        .await?;
        index(
            manager,
            "idx_organisation_history_locality",
            "organisation_history",
            &["locality_kato"],
            false,
        )
        .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(a("rule_set"))
                    .add_column(date(a("effective_from")).default("1900-01-01").take())
                    .take(),
            )
            .await?;
        // One version per existing row, in force since 1900-01-01.
        let (since, now) = if manager.get_database_backend() == DatabaseBackend::Postgres {
            ("DATE '1900-01-01'", "CURRENT_TIMESTAMP")
        } else {
            ("'1900-01-01'", "strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now')")
        };
        let db = manager.get_connection();
        db.execute_unprepared(&format!(
            "INSERT INTO locality_history (kato, rural, effective_from, recorded_at) \
             SELECT kato, rural, {since}, {now} FROM locality ORDER BY kato"
        ))
        .await?;
        db.execute_unprepared(&format!(
            "INSERT INTO organisation_history (organisation_id, kind, locality_kato, region_kato, \
             activity_code, effective_from, recorded_at) \
             SELECT id, kind, locality_kato, region_kato, activity_code, {since}, {now} \
             FROM organisation ORDER BY id"
        ))
        .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(a("rule_set"))
                    .drop_column(a("effective_from"))
                    .take(),
            )
            .await?;
        drop_tables(manager, &["organisation_history", "locality_history"]).await
    }
}
