//! DataLoaders: every relation in the schema is fetched in one statement per request level,
//! whatever the page size (no N+1). One generic loader serves every table.

use std::collections::HashMap;
use std::hash::Hash;
use std::marker::PhantomData;
use std::sync::Arc;

use async_graphql::dataloader::{DataLoader, Loader};
use sea_orm::{ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter};

use entities::{
    graduate_task, guardianship, locality, notification_message, organisation, person, region,
    role_assignment,
};

/// Loads rows of `E` whose `column` is one of the keys; `key_of` reads the key back from a row.
pub struct ByKey<E: EntityTrait, K> {
    db: DatabaseConnection,
    column: E::Column,
    key_of: fn(&E::Model) -> K,
    _k: PhantomData<K>,
}

impl<E: EntityTrait, K> ByKey<E, K> {
    pub fn new(db: DatabaseConnection, column: E::Column, key_of: fn(&E::Model) -> K) -> Self {
        Self {
            db,
            column,
            key_of,
            _k: PhantomData,
        }
    }
}

async fn fetch<E, K>(loader: &ByKey<E, K>, keys: &[K]) -> Result<Vec<E::Model>, Arc<DbErr>>
where
    E: EntityTrait,
    K: Clone + Into<sea_orm::Value>,
{
    E::find()
        .filter(loader.column.is_in(keys.iter().cloned()))
        .all(&loader.db)
        .await
        .map_err(Arc::new)
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
pub struct GroupedBy<E: EntityTrait, K>(ByKey<E, K>);

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

pub type RegionLoader = DataLoader<ByKey<region::Entity, String>>;
pub type LocalityLoader = DataLoader<ByKey<locality::Entity, String>>;
pub type OrganisationLoader = DataLoader<ByKey<organisation::Entity, i64>>;
pub type PersonLoader = DataLoader<ByKey<person::Entity, i64>>;
pub type AssignmentsByAccount = DataLoader<GroupedBy<role_assignment::Entity, i64>>;
pub type ChildrenByParent = DataLoader<GroupedBy<guardianship::Entity, i64>>;
pub type MessagesByGraduate = DataLoader<GroupedBy<notification_message::Entity, i64>>;
pub type TasksByGraduate = DataLoader<GroupedBy<graduate_task::Entity, i64>>;

/// The per-request loaders (their caches must not outlive a request: callers differ).
pub struct Loaders {
    pub regions: RegionLoader,
    pub localities: LocalityLoader,
    pub organisations: OrganisationLoader,
    pub persons: PersonLoader,
    pub assignments: AssignmentsByAccount,
    pub children: ChildrenByParent,
    pub messages: MessagesByGraduate,
    pub tasks: TasksByGraduate,
}

impl Loaders {
    pub fn new(db: &DatabaseConnection) -> Self {
        let spawn = tokio::spawn;
        Self {
            regions: DataLoader::new(
                ByKey::new(db.clone(), region::Column::Kato, |m: &region::Model| {
                    m.kato.clone()
                }),
                spawn,
            ),
            localities: DataLoader::new(
                ByKey::new(db.clone(), locality::Column::Kato, |m: &locality::Model| {
                    m.kato.clone()
                }),
                spawn,
            ),
            organisations: DataLoader::new(
                ByKey::new(
                    db.clone(),
                    organisation::Column::Id,
                    |m: &organisation::Model| m.id,
                ),
                spawn,
            ),
            persons: DataLoader::new(
                ByKey::new(db.clone(), person::Column::Id, |m: &person::Model| m.id),
                spawn,
            ),
            assignments: DataLoader::new(
                GroupedBy(ByKey::new(
                    db.clone(),
                    role_assignment::Column::AccountId,
                    |m: &role_assignment::Model| m.account_id,
                )),
                spawn,
            ),
            children: DataLoader::new(
                GroupedBy(ByKey::new(
                    db.clone(),
                    guardianship::Column::ParentPersonId,
                    |m: &guardianship::Model| m.parent_person_id,
                )),
                spawn,
            ),
            messages: DataLoader::new(
                GroupedBy(ByKey::new(
                    db.clone(),
                    notification_message::Column::GraduateId,
                    |m: &notification_message::Model| m.graduate_id.unwrap_or_default(),
                )),
                spawn,
            ),
            tasks: DataLoader::new(
                GroupedBy(ByKey::new(
                    db.clone(),
                    graduate_task::Column::GraduateId,
                    |m: &graduate_task::Model| m.graduate_id,
                )),
                spawn,
            ),
        }
    }
}

/// The request's loaders from the GraphQL context.
pub fn loaders<'a>(ctx: &async_graphql::Context<'a>) -> async_graphql::Result<&'a Loaders> {
    ctx.data::<Loaders>()
}

/// Maps a loader error to the API's internal error.
pub fn load_err(e: Arc<DbErr>) -> async_graphql::Error {
    crate::error::ApiError::internal(anyhow::anyhow!("loading: {e}")).into()
}
