//! Generations of data for caches that must not outlive the data they summarise: a counter
//! per name in `data_generation`, raised by every write that changes what such a cache holds.
//! A reader takes the generation *before* computing, so a write that lands while it computes
//! only costs one more computation later, never a stale answer kept.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::Mutex;

use sea_orm::ConnectionTrait;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, OnConflict, Query};

use crate::error::ApiResult;

/// The graduates register: graduates, their obligations and statuses (the register's totals
/// per filter are cached against it).
pub const REGISTER: &str = "register";

/// The outbox's outcomes: raised by a worker's pass (sent, delivered, failed) and by a
/// delivery receipt that changes a message. Queueing raises nothing (it happens in many
/// domains' own transactions): a cache that must see new messages also reads the newest
/// message's id, as the notification coverage does.
pub const NOTIFICATIONS: &str = "notifications";

/// Persons' details as edited in the people register (contacts: who can be reached).
pub const PEOPLE: &str = "people";

fn table() -> Alias {
    Alias::new("data_generation")
}

/// The current generation of `name` (0 when the row is missing).
pub async fn read(db: &impl ConnectionTrait, name: &str) -> ApiResult<i64> {
    read_sum(db, &[name]).await
}

/// One generation for data summarised from several: the sum of theirs. Each only rises, so the
/// sum rises whenever any of them does.
pub async fn read_sum(db: &impl ConnectionTrait, names: &[&str]) -> ApiResult<i64> {
    let mut q = Query::select();
    q.expr_as(
        Expr::cust("CAST(COALESCE(SUM(value), 0) AS BIGINT)"),
        Alias::new("value"),
    )
    .from(table())
    .and_where(Expr::col(Alias::new("name")).is_in(names.iter().copied()));
    let row = db
        .query_one_raw(db.get_database_backend().build(&q))
        .await?;
    Ok(row
        .and_then(|r| r.try_get::<i64>("", "value").ok())
        .unwrap_or(0))
}

/// Raises the generation of `name` (its row made on the first raise): call it in (or after)
/// every transaction that changes the data a cache of `name` summarises.
pub async fn bump(db: &impl ConnectionTrait, name: &str) -> ApiResult<()> {
    let value = Alias::new("value");
    let mut q = Query::insert();
    q.into_table(table())
        .columns([Alias::new("name"), value.clone()])
        .values([name.into(), 1i64.into()])
        .map_err(crate::error::ApiError::internal)?
        .on_conflict(
            OnConflict::column(Alias::new("name"))
                .value(value.clone(), Expr::col((table(), value)).add(1))
                .to_owned(),
        );
    db.execute_raw(db.get_database_backend().build(&q)).await?;
    Ok(())
}

/// Values kept in memory by key, each with the generation it was computed at: a value is
/// returned only while its generation is still the current one. Bounded: when full it starts
/// again empty. The register's totals per filter and the operator's dashboard are kept so.
pub struct Kept<K, V> {
    values: Mutex<HashMap<K, (i64, V)>>,
}

impl<K, V> Default for Kept<K, V> {
    fn default() -> Self {
        Self {
            values: Mutex::new(HashMap::new()),
        }
    }
}

impl<K: Eq + Hash, V: Clone> Kept<K, V> {
    /// Keys kept at most.
    const CAPACITY: usize = 4096;

    /// The value kept for `key`, if it was computed at `generation`.
    pub fn get(&self, key: &K, generation: i64) -> Option<V> {
        let values = self.values.lock().ok()?;
        values
            .get(key)
            .filter(|(g, _)| *g == generation)
            .map(|(_, v)| v.clone())
    }

    /// Keeps `value`, computed at `generation` (read *before* computing it).
    pub fn put(&self, key: K, generation: i64, value: V) {
        if let Ok(mut values) = self.values.lock() {
            if values.len() >= Self::CAPACITY {
                values.clear();
            }
            values.insert(key, (generation, value));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Kept;

    #[test]
    fn a_value_is_kept_only_for_its_generation() {
        let kept: Kept<&str, u64> = Kept::default();
        assert_eq!(kept.get(&"all", 3), None);
        kept.put("all", 3, 183_000);
        assert_eq!(kept.get(&"all", 3), Some(183_000));
        assert_eq!(kept.get(&"all", 4), None, "the data moved on");
        assert_eq!(kept.get(&"breach", 3), None);
    }
}
