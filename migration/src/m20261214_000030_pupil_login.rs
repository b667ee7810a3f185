//! Whether a school lets its pupils sign in to a single sign-on resource with the login the
//! school issued them (`sso_client_school.pupil_login`), beside the PIN (`pupil_pin`). Each
//! school chooses per resource; a resource registered before has neither login sign-in.

use sea_orm_migration::{prelude::*, schema::*};

use crate::common::{a, add_column, drop_column};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        add_column(
            manager,
            "sso_client_school",
            boolean(a("pupil_login")).default(false).take(),
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_column(manager, "sso_client_school", "pupil_login").await
    }
}
