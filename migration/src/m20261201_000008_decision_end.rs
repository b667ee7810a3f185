//! A decision can be ended by the commission before its period runs out (a contract military
//! service whose terms are not kept): when, by whom and why are kept with it.

use sea_orm_migration::{prelude::*, schema::*};

use crate::common::a;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for col in [
            timestamp_with_time_zone_null(a("ended_at")),
            big_integer_null(a("ended_by")),
            text_null(a("end_reason")),
        ] {
            let mut col = col;
            manager
                .alter_table(
                    Table::alter()
                        .table(a("exemption"))
                        .add_column(&mut col)
                        .take(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for col in ["ended_at", "ended_by", "end_reason"] {
            manager
                .alter_table(
                    Table::alter()
                        .table(a("exemption"))
                        .drop_column(a(col))
                        .take(),
                )
                .await?;
        }
        Ok(())
    }
}
