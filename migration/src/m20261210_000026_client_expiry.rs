//! When a machine client's access ends (`account.expires_at`): from then on it can neither
//! sign in nor use a token it holds. Unset: it does not expire. People's accounts have none.

use sea_orm_migration::{prelude::*, schema::*};

use crate::common::{a, add_column, drop_column};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        add_column(
            manager,
            "account",
            timestamp_with_time_zone_null(a("expires_at")),
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_column(manager, "account", "expires_at").await
    }
}
