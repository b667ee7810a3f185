//! The schools' loaders: a meal's rating by meal, made for every request by the server (a
//! page of meals reads their ratings in one statement, and a meal's `rating` and `ratedBy`
//! share the read).

use async_graphql::dataloader::DataLoader;
use sea_orm::DatabaseConnection;

use adal_core::loaders::ByKey;
use entities::school_meal_rating;

pub type RatingLoader = DataLoader<ByKey<school_meal_rating::Entity, i64>>;

/// The per-request loaders (their caches must not outlive a request: callers differ).
pub struct Loaders {
    /// A meal's rating (at most one) by the meal's id.
    pub ratings: RatingLoader,
}

impl Loaders {
    pub fn new(db: &DatabaseConnection) -> Self {
        Self {
            ratings: DataLoader::new(
                ByKey::new(
                    db.clone(),
                    school_meal_rating::Column::MealId,
                    |m: &school_meal_rating::Model| m.meal_id,
                ),
                tokio::spawn,
            ),
        }
    }
}

/// The request's school loaders from the GraphQL context.
pub fn loaders<'a>(ctx: &async_graphql::Context<'a>) -> async_graphql::Result<&'a Loaders> {
    ctx.data::<Loaders>()
}
