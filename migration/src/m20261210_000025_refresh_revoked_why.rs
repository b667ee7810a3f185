//! Why a refresh token stopped being valid (`revoked_why`): `rotated` (it was exchanged for
//! its successor), `taken_back` (it was presented again because its successor's answer was
//! lost, and exchanged once more), `superseded` (the successor replaced that way). Revocations
//! of a whole session (sign-out, reuse, an administrator) leave it empty. Only a `rotated`
//! token may be taken back, within seconds and while its successor is unused.

use sea_orm_migration::{prelude::*, schema::*};

use crate::common::{a, add_column, drop_column};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        add_column(manager, "refresh_token", string_null(a("revoked_why"))).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_column(manager, "refresh_token", "revoked_why").await
    }
}
