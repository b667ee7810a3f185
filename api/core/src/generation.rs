//! Generations of data for caches that must not outlive the data they summarise: a counter
//! per name in `data_generation`, raised by every write that changes what such a cache holds.
//! A reader takes the generation *before* computing, so a write that lands while it computes
//! only costs one more computation later, never a stale answer kept.

use sea_orm::ConnectionTrait;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query};

use crate::error::ApiResult;

/// The graduates register: graduates, their obligations and statuses (the register's totals
/// per filter are cached against it).
pub const REGISTER: &str = "register";

fn table() -> Alias {
    Alias::new("data_generation")
}

/// The current generation of `name` (0 when the row is missing).
pub async fn read(db: &impl ConnectionTrait, name: &str) -> ApiResult<i64> {
    let mut q = Query::select();
    q.column(Alias::new("value"))
        .from(table())
        .and_where(Expr::col(Alias::new("name")).eq(name));
    let row = db
        .query_one_raw(db.get_database_backend().build(&q))
        .await?;
    Ok(row
        .and_then(|r| r.try_get::<i64>("", "value").ok())
        .unwrap_or(0))
}

/// Raises the generation of `name`: call it in (or after) every transaction that changes the
/// data a cache of `name` summarises.
pub async fn bump(db: &impl ConnectionTrait, name: &str) -> ApiResult<()> {
    let mut q = Query::update();
    q.table(table())
        .value(Alias::new("value"), Expr::col(Alias::new("value")).add(1))
        .and_where(Expr::col(Alias::new("name")).eq(name));
    db.execute_raw(db.get_database_backend().build(&q)).await?;
    Ok(())
}
