//! Why a refresh token stopped being valid (`revoked_why`): `rotated` (it was exchanged for
//! its successor), `taken_back` (it was presented again because its successor's answer was
//! lost, and exchanged once more), `superseded` (the successor replaced that way). Revocations
//! of a whole session (sign-out, reuse, an administrator) leave it empty. Only a `rotated`
//! token may be taken back, within seconds and while its successor is unused.

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
                    .table(a("refresh_token"))
                    .add_column(string_null(a("revoked_why")))
                    .take(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(a("refresh_token"))
                    .drop_column(a("revoked_why"))
                    .take(),
            )
            .await
    }
}
