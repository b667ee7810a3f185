//! Two controls on an account:
//! - a machine client's own GraphQL cost budget per minute (`cost_per_minute`), set with the
//!   client: a state system that reads the register in bulk is given more than the default.
//!   Unset, the server's `ADAL_GRAPHQL_COST_PER_MINUTE`;
//! - a person's second factor: the authenticator app's secret (`totp_secret`, base32), when
//!   its first code confirmed it (`totp_confirmed_at`; until then it is being set up), and the
//!   step of the last code that signed in (`totp_last_step`), so that no code signs in twice.

use sea_orm_migration::{prelude::*, schema::*};

use crate::common::a;

#[derive(DeriveMigrationName)]
pub struct Migration;

const COLUMNS: [&str; 4] = [
    "cost_per_minute",
    "totp_secret",
    "totp_confirmed_at",
    "totp_last_step",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite alters one at a time.
        let columns = [
            integer_null(a(COLUMNS[0])),
            text_null(a(COLUMNS[1])),
            timestamp_with_time_zone_null(a(COLUMNS[2])),
            big_integer_null(a(COLUMNS[3])),
        ];
        for mut c in columns {
            manager
                .alter_table(
                    Table::alter()
                        .table(a("account"))
                        .add_column(c.take())
                        .take(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for c in COLUMNS {
            manager
                .alter_table(Table::alter().table(a("account")).drop_column(a(c)).take())
                .await?;
        }
        Ok(())
    }
}
