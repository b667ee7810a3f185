//! What the migrations share.

use sea_orm_migration::prelude::*;

/// A table or column name.
pub fn a(name: &str) -> Alias {
    Alias::new(name)
}

/// Drops the tables, in the order given (dependents first), where they exist.
pub async fn drop_tables(manager: &SchemaManager<'_>, tables: &[&str]) -> Result<(), DbErr> {
    for t in tables {
        manager
            .drop_table(Table::drop().table(a(t)).if_exists().take())
            .await?;
    }
    Ok(())
}
