//! Jobs: long work (an import, later report generation and allocation runs) recorded as a row
//! that any `adal` instance may take. A job taken is leased; an instance that stops mid-job
//! leaves the lease to run out, and another takes the job over or fails it with a reason.
//! Imports left `running` by a version before jobs cannot be resumed: they are failed with a
//! reason here, so none stays `running` forever.

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
                    .table(a("job"))
                    .col(big_integer(a("id")).auto_increment().primary_key().take())
                    // What to run (`import`, ...) and its arguments as JSON.
                    .col(string_len(a("kind"), 64))
                    .col(text(a("payload")))
                    // `queued`, `running`, `completed`, `failed`.
                    .col(string_len(a("status"), 16))
                    .col(integer(a("attempts")))
                    .col(integer(a("max_attempts")))
                    .col(timestamp_with_time_zone(a("run_after")))
                    // The instance holding the job and until when (renewed while it runs).
                    .col(string_len_null(a("locked_by"), 64))
                    .col(timestamp_with_time_zone_null(a("lease_until")))
                    // What the job reports of its progress, as JSON.
                    .col(text_null(a("progress")))
                    .col(text_null(a("error")))
                    .col(timestamp_with_time_zone(a("created_at")))
                    .col(timestamp_with_time_zone_null(a("started_at")))
                    .col(timestamp_with_time_zone_null(a("finished_at")))
                    .take(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("job_due")
                    .table(a("job"))
                    .col(a("status"))
                    .col(a("run_after"))
                    .take(),
            )
            .await?;
        let db = manager.get_connection();
        db.execute_unprepared(
            "UPDATE import_batch SET status = 'failed', \
             error = 'interrupted: the server stopped during the import; upload the file again' \
             WHERE status = 'running'",
        )
        .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(manager, &["job"]).await
    }
}
