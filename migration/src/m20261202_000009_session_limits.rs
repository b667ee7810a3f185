//! Sessions that end: a refresh token knows when its session began (an absolute lifetime), and
//! an account's session epoch ends every access token issued before a password change or a
//! disabling.

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
                    .table(a("account"))
                    .add_column(integer(a("session_epoch")).default(0))
                    .take(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(a("refresh_token"))
                    .add_column(timestamp_with_time_zone_null(a("session_started_at")))
                    .take(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(a("refresh_token"))
                    .drop_column(a("session_started_at"))
                    .take(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(a("account"))
                    .drop_column(a("session_epoch"))
                    .take(),
            )
            .await?;
        Ok(())
    }
}
