//! Documents as evidence: the months of work an accepted document proves (an employment
//! contract or an employer's certificate a graduate uploaded after refusing the pension-data
//! request), with the employer it names and who accepted it. The ledger reads them next to the
//! contributions.

use sea_orm_migration::{prelude::*, schema::*};

use crate::common::{a, drop_tables, fk, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(a("document_evidence"))
                    .col(big_integer(a("id")).auto_increment().primary_key().take())
                    .col(big_integer(a("graduate_id")))
                    .col(big_integer(a("task_id")))
                    .col(big_integer(a("organisation_id")))
                    // The BIN (or an entrepreneur's IIN) as the document names it.
                    .col(string_len(a("employer_bin"), 12))
                    // The months proven, `YYYYMM`, both included.
                    .col(integer(a("period_from")))
                    .col(integer(a("period_to")))
                    .col(big_integer(a("accepted_by")))
                    .col(timestamp_with_time_zone(a("accepted_at")))
                    .foreign_key(&mut fk(
                        "document_evidence_graduate",
                        ("document_evidence", "graduate_id"),
                        ("graduate", "id"),
                    ))
                    .foreign_key(&mut fk(
                        "document_evidence_task",
                        ("document_evidence", "task_id"),
                        ("graduate_task", "id"),
                    ))
                    .foreign_key(&mut fk(
                        "document_evidence_organisation",
                        ("document_evidence", "organisation_id"),
                        ("organisation", "id"),
                    ))
                    .foreign_key(&mut fk(
                        "document_evidence_account",
                        ("document_evidence", "accepted_by"),
                        ("account", "id"),
                    ))
                    .take(),
            )
            .await?;
        index(
            manager,
            "ix_document_evidence_graduate",
            "document_evidence",
            &["graduate_id"],
            false,
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(manager, &["document_evidence"]).await
    }
}
