//! What the operator controls of an integration client beyond its operations and budget:
//! - its own rate of requests per minute (`account.requests_per_minute`; unset, the server's
//!   default);
//! - the personal fields it may read (`role_assignment.allowed_fields`, a JSON array of
//!   `iin`, `name`, `birthDate`, `phone`, `email`); a field not granted comes back masked.
//!   Clients that existed before keep every field: nothing they read changes;
//! - whether it may run only the operations it registered (`account.persisted_only`), and
//!   those operations, by the SHA-256 of their text (`persisted_operation`);
//! - its use, day by day: calls, complexity spent, refusals, masked fields (`client_usage`).

use sea_orm_migration::{prelude::*, schema::*};

use crate::common::{a, add_column, drop_column, drop_tables, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Every personal field, granted to the clients that existed before this migration.
const ALL_FIELDS: &str = r#"["iin","name","birthDate","phone","email"]"#;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        add_column(manager, "role_assignment", text_null(a("allowed_fields"))).await?;
        manager
            .exec_stmt(
                Query::update()
                    .table(a("role_assignment"))
                    .value(a("allowed_fields"), ALL_FIELDS)
                    .and_where(Expr::col(a("role")).eq("integration"))
                    .take(),
            )
            .await?;
        add_column(
            manager,
            "account",
            boolean(a("persisted_only")).default(false).take(),
        )
        .await?;
        add_column(manager, "account", integer_null(a("requests_per_minute"))).await?;
        manager
            .create_table(
                Table::create()
                    .table(a("persisted_operation"))
                    .col(big_integer(a("id")).auto_increment().primary_key().take())
                    .col(big_integer(a("account_id")))
                    .col(string_len(a("hash"), 64))
                    .col(string_len_null(a("name"), 128))
                    .col(text(a("query")))
                    .col(timestamp_with_time_zone(a("registered_at")))
                    .take(),
            )
            .await?;
        index(
            manager,
            "uq_persisted_operation_hash",
            "persisted_operation",
            &["account_id", "hash"],
            true,
        )
        .await?;
        manager
            .create_table(
                Table::create()
                    .table(a("client_usage"))
                    .col(big_integer(a("account_id")))
                    .col(date(a("day")))
                    .col(big_integer(a("calls")).default(0))
                    .col(big_integer(a("cost")).default(0))
                    .col(big_integer(a("refusals")).default(0))
                    .col(big_integer(a("masked")).default(0))
                    .primary_key(Index::create().col(a("account_id")).col(a("day")))
                    .take(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(manager, &["client_usage", "persisted_operation"]).await?;
        drop_column(manager, "account", "requests_per_minute").await?;
        drop_column(manager, "account", "persisted_only").await?;
        drop_column(manager, "role_assignment", "allowed_fields").await
    }
}
