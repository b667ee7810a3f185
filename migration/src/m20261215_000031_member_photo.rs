//! A photo of a pupil or member of staff, kept by their school (`school_member.photo_sha256`,
//! the picture's digest in the document store): the canteen's till shows it beside the name so
//! that staff can see the card is the pupil's own. None until the school adds one.

use sea_orm_migration::{prelude::*, schema::*};

use crate::common::{a, add_column, drop_column};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        add_column(
            manager,
            "school_member",
            string_null(a("photo_sha256")).take(),
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_column(manager, "school_member", "photo_sha256").await
    }
}
