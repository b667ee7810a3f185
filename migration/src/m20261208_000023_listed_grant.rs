//! A grant is matched on what the university listed, not on what an operator corrected: the
//! graduation date the university gave (`listed_graduation_date`, the key of a grant, which a
//! correction of `graduation_date` does not move) and the study data of its latest line
//! (`listed_study`, JSON), so that a line sent again unchanged neither makes a second grant nor
//! undoes an operator's correction, while a line that does change something still corrects it.

use sea_orm_migration::{prelude::*, schema::*};

use crate::common::a;

const TABLE: &str = "graduate";
/// The grant's unique index before (on `graduation_date`) and after (on the listed date).
const GRANT_INDEX: &str = "uq_graduate_grant";
const LISTED_GRANT_INDEX: &str = "uq_graduate_listed_grant";

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Replaces the grant's unique index `old` with `new`, on `date_column` as its last column
/// (a new name: creating one under the name just dropped failed on SQLite with "already
/// exists" when `adal migrate` ran it over its pool of WAL connections).
async fn grant_index(
    manager: &SchemaManager<'_>,
    old: &str,
    new: &str,
    date_column: &str,
) -> Result<(), DbErr> {
    manager
        .drop_index(Index::drop().name(old).table(a(TABLE)).to_owned())
        .await?;
    let mut i = Index::create();
    i.name(new).table(a(TABLE)).unique();
    for c in ["person_id", "university_id", "specialty_code", date_column] {
        i.col(a(c));
    }
    manager.create_index(i.take()).await
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(a(TABLE))
                    .add_column(
                        date(a("listed_graduation_date"))
                            .default("1900-01-01")
                            .take(),
                    )
                    .take(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(a(TABLE))
                    .add_column(text_null(a("listed_study")))
                    .take(),
            )
            .await?;
        // The grants stored so far: the date they hold is the one listed (a date an operator
        // corrected before this migration stays the key).
        manager
            .get_connection()
            .execute_unprepared("UPDATE graduate SET listed_graduation_date = graduation_date")
            .await?;
        grant_index(
            manager,
            GRANT_INDEX,
            LISTED_GRANT_INDEX,
            "listed_graduation_date",
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        grant_index(manager, LISTED_GRANT_INDEX, GRANT_INDEX, "graduation_date").await?;
        for column in ["listed_study", "listed_graduation_date"] {
            manager
                .alter_table(Table::alter().table(a(TABLE)).drop_column(a(column)).take())
                .await?;
        }
        Ok(())
    }
}
