//! Contest cases: a person (or a parent for a child) contests a decision about them; the case
//! goes to the body that decided, which answers by a deadline, and its outcome joins the
//! person's timeline. One case per decision.

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
                    .table(a("contest_case"))
                    .col(big_integer(a("id")).auto_increment().primary_key().take())
                    .col(string_len(a("decision_key"), 64))
                    .col(string_len(a("decision_kind"), 32))
                    .col(big_integer(a("person_id")))
                    .col(big_integer(a("opened_by")))
                    .col(text(a("statement")))
                    .col(string_len(a("body"), 16))
                    .col(string_len_null(a("region_kato"), 9))
                    .col(big_integer_null(a("organisation_id")))
                    .col(timestamp_with_time_zone(a("opened_at")))
                    .col(date(a("due_on")))
                    .col(string_len_null(a("outcome"), 16))
                    .col(text_null(a("answer")))
                    .col(big_integer_null(a("answered_by")))
                    .col(timestamp_with_time_zone_null(a("answered_at")))
                    .take(),
            )
            .await?;
        index(
            manager,
            "uq_contest_case_decision",
            "contest_case",
            &["decision_key"],
            true,
        )
        .await?;
        index(
            manager,
            "idx_contest_case_person",
            "contest_case",
            &["person_id"],
            false,
        )
        .await?;
        index(
            manager,
            "idx_contest_case_body",
            "contest_case",
            &["body", "answered_at", "due_on"],
            false,
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(manager, &["contest_case"]).await
    }
}
