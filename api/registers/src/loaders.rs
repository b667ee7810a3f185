//! The registers' loaders (regions, localities, organisations and their histories, persons,
//! role assignments, guardianships), made for every request by the server.

use async_graphql::dataloader::DataLoader;
use sea_orm::DatabaseConnection;

use adal_core::loaders::{ByKey, GroupedBy};
use entities::{
    guardianship, locality, locality_history, organisation, organisation_history, person, region,
    role_assignment,
};

pub type RegionLoader = DataLoader<ByKey<region::Entity, String>>;
pub type LocalityLoader = DataLoader<ByKey<locality::Entity, String>>;
pub type OrganisationLoader = DataLoader<ByKey<organisation::Entity, i64>>;
pub type PersonLoader = DataLoader<ByKey<person::Entity, i64>>;
pub type AssignmentsByAccount = DataLoader<GroupedBy<role_assignment::Entity, i64>>;
pub type ChildrenByParent = DataLoader<GroupedBy<guardianship::Entity, i64>>;
/// The history rows of organisations, by organisation id (unordered: the field sorts them).
pub type OrganisationHistory = DataLoader<GroupedBy<organisation_history::Entity, i64>>;
/// The history rows of localities, by KATO code (unordered: the field sorts them).
pub type LocalityHistory = DataLoader<GroupedBy<locality_history::Entity, String>>;

/// The per-request loaders (their caches must not outlive a request: callers differ).
pub struct Loaders {
    pub regions: RegionLoader,
    pub localities: LocalityLoader,
    pub organisations: OrganisationLoader,
    pub persons: PersonLoader,
    pub assignments: AssignmentsByAccount,
    pub children: ChildrenByParent,
    pub organisation_history: OrganisationHistory,
    pub locality_history: LocalityHistory,
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
            organisation_history: DataLoader::new(
                GroupedBy(ByKey::new(
                    db.clone(),
                    organisation_history::Column::OrganisationId,
                    |m: &organisation_history::Model| m.organisation_id,
                )),
                spawn,
            ),
            locality_history: DataLoader::new(
                GroupedBy(ByKey::new(
                    db.clone(),
                    locality_history::Column::Kato,
                    |m: &locality_history::Model| m.kato.clone(),
                )),
                spawn,
            ),
        }
    }
}

/// The request's register loaders from the GraphQL context.
pub fn loaders<'a>(ctx: &async_graphql::Context<'a>) -> async_graphql::Result<&'a Loaders> {
    ctx.data::<Loaders>()
}

/// A person's full name through the request's loader, the read recorded as a read of personal
/// data (every domain's `name`/`childName` field).
pub async fn person_name(
    ctx: &async_graphql::Context<'_>,
    person: i64,
) -> async_graphql::Result<Option<String>> {
    let p = loaders(ctx)?
        .persons
        .load_one(person)
        .await
        .map_err(adal_core::loaders::load_err)?;
    let shown = adal_core::audit::reveal(ctx, person, "name");
    Ok(p.map(|p| {
        let name = p.full_name();
        if shown {
            name
        } else {
            adal_core::identifiers::mask_name(&name)
        }
    }))
}
