//! DataLoaders' primitives: every relation in the schema is fetched in one statement per
//! request level, whatever the page size (no N+1). One generic loader serves every table;
//! each crate keeps the loaders of its own tables (the server puts them in every request).

use std::collections::HashMap;
use std::hash::Hash;
use std::marker::PhantomData;
use std::sync::Arc;

use async_graphql::dataloader::Loader;
use sea_orm::{ColumnTrait, Condition, DatabaseConnection, DbErr, EntityTrait, QueryFilter};

/// Loads rows of `E` whose `column` is one of the keys; `key_of` reads the key back from a row.
pub struct ByKey<E: EntityTrait, K> {
    db: DatabaseConnection,
    column: E::Column,
    key_of: fn(&E::Model) -> K,
    only: Option<Condition>,
    _k: PhantomData<K>,
}

impl<E: EntityTrait, K> ByKey<E, K> {
    pub fn new(db: DatabaseConnection, column: E::Column, key_of: fn(&E::Model) -> K) -> Self {
        Self {
            db,
            column,
            key_of,
            only: None,
            _k: PhantomData,
        }
    }

    /// Loads only the rows that also meet this condition (e.g. messages about graduates,
    /// keyed by their subject id).
    pub fn only(mut self, condition: Condition) -> Self {
        self.only = Some(condition);
        self
    }
}

async fn fetch<E, K>(loader: &ByKey<E, K>, keys: &[K]) -> Result<Vec<E::Model>, Arc<DbErr>>
where
    E: EntityTrait,
    K: Clone + Into<sea_orm::Value>,
{
    let mut q = E::find().filter(loader.column.is_in(keys.iter().cloned()));
    if let Some(c) = &loader.only {
        q = q.filter(c.clone());
    }
    q.all(&loader.db).await.map_err(Arc::new)
}

impl<E, K> Loader<K> for ByKey<E, K>
where
    E: EntityTrait + Sync,
    E::Column: Sync,
    E::Model: Sync,
    K: Clone + Eq + Hash + Send + Sync + Into<sea_orm::Value> + 'static,
{
    type Value = E::Model;
    type Error = Arc<DbErr>;

    async fn load(&self, keys: &[K]) -> Result<HashMap<K, E::Model>, Self::Error> {
        let rows = fetch(self, keys).await?;
        Ok(rows.into_iter().map(|m| ((self.key_of)(&m), m)).collect())
    }
}

/// Loads all rows of `E` per key (one-to-many), e.g. the role assignments of accounts.
pub struct GroupedBy<E: EntityTrait, K>(pub ByKey<E, K>);

impl<E, K> Loader<K> for GroupedBy<E, K>
where
    E: EntityTrait + Sync,
    E::Column: Sync,
    E::Model: Sync,
    K: Clone + Eq + Hash + Send + Sync + Into<sea_orm::Value> + 'static,
{
    type Value = Vec<E::Model>;
    type Error = Arc<DbErr>;

    async fn load(&self, keys: &[K]) -> Result<HashMap<K, Vec<E::Model>>, Self::Error> {
        let rows = fetch(&self.0, keys).await?;
        let mut out: HashMap<K, Vec<E::Model>> = HashMap::new();
        for m in rows {
            out.entry((self.0.key_of)(&m)).or_default().push(m);
        }
        Ok(out)
    }
}

/// Maps a loader error to the API's internal error.
pub fn load_err(e: Arc<DbErr>) -> async_graphql::Error {
    crate::error::ApiError::internal(anyhow::anyhow!("loading: {e}")).into()
}
