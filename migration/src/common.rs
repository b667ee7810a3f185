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

/// Adds one column to `table` (SQLite alters one column per statement).
pub async fn add_column(
    manager: &SchemaManager<'_>,
    table: &str,
    mut column: ColumnDef,
) -> Result<(), DbErr> {
    manager
        .alter_table(
            Table::alter()
                .table(a(table))
                .add_column(column.take())
                .take(),
        )
        .await
}

/// Drops one column of `table`.
pub async fn drop_column(
    manager: &SchemaManager<'_>,
    table: &str,
    column: &str,
) -> Result<(), DbErr> {
    manager
        .alter_table(Table::alter().table(a(table)).drop_column(a(column)).take())
        .await
}

/// A foreign key `from.0(from.1) -> to.0(to.1)` that refuses to delete a referenced row.
pub fn fk(name: &str, from: (&str, &str), to: (&str, &str)) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(name)
        .from(a(from.0), a(from.1))
        .to(a(to.0), a(to.1))
        .on_delete(ForeignKeyAction::Restrict)
        .take()
}

/// Creates an index on `table(cols)`.
pub async fn index(
    manager: &SchemaManager<'_>,
    name: &str,
    table: &str,
    cols: &[&str],
    unique: bool,
) -> Result<(), DbErr> {
    let mut i = Index::create();
    i.name(name).table(a(table));
    for c in cols {
        i.col(a(c));
    }
    if unique {
        i.unique();
    }
    manager.create_index(i.take()).await
}
