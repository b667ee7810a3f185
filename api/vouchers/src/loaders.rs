//! The vouchers' loaders: campaigns by id (public, no personal data), made for every request
//! by the server.

use async_graphql::dataloader::DataLoader;
use sea_orm::DatabaseConnection;

use adal_core::loaders::ByKey;
use entities::voucher_campaign;

pub type CampaignLoader = DataLoader<ByKey<voucher_campaign::Entity, i64>>;

/// The per-request loaders.
pub struct Loaders {
    pub campaigns: CampaignLoader,
}

impl Loaders {
    pub fn new(db: &DatabaseConnection) -> Self {
        Self {
            campaigns: DataLoader::new(
                ByKey::new(
                    db.clone(),
                    voucher_campaign::Column::Id,
                    |m: &voucher_campaign::Model| m.id,
                ),
                tokio::spawn,
            ),
        }
    }
}
