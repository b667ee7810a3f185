//! The vouchers' loaders: campaigns by id (public, no personal data) and the caller's unread
//! messages by conversation, made for every request by the server.

use std::collections::HashMap;
use std::sync::Arc;

use async_graphql::dataloader::{DataLoader, Loader};
use sea_orm::{DatabaseConnection, DbErr};

use adal_core::loaders::{ByKey, GroupedBy};
use entities::{voucher_campaign, voucher_category_document};

use crate::vocab::VoucherThreadKind;

pub type CampaignLoader = DataLoader<ByKey<voucher_campaign::Entity, i64>>;

/// The per-request loaders.
pub struct Loaders {
    pub campaigns: CampaignLoader,
    pub unread: DataLoader<Unread>,
    /// The evidence documents of declared categories, by category.
    pub evidence: DataLoader<GroupedBy<voucher_category_document::Entity, i64>>,
}

/// A conversation as one reader sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ThreadKey {
    pub account: i64,
    pub kind: VoucherThreadKind,
    pub id: i64,
}

/// Counts the unread messages of many conversations at once (a list's rows: one statement
/// per reader and kind, not one per row).
pub struct Unread(DatabaseConnection);

impl Loader<ThreadKey> for Unread {
    type Value = i64;
    type Error = Arc<DbErr>;

    async fn load(&self, keys: &[ThreadKey]) -> Result<HashMap<ThreadKey, i64>, Self::Error> {
        let mut groups: HashMap<(i64, VoucherThreadKind), Vec<i64>> = HashMap::new();
        for k in keys {
            groups.entry((k.account, k.kind)).or_default().push(k.id);
        }
        let mut out = HashMap::new();
        for ((account, kind), ids) in groups {
            let counts = crate::conversations::unread(&self.0, account, kind, &ids)
                .await
                .map_err(|e| Arc::new(DbErr::Custom(format!("{e:?}"))))?;
            out.extend(
                counts
                    .into_iter()
                    .map(|(id, n)| (ThreadKey { account, kind, id }, n)),
            );
        }
        Ok(out)
    }
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
            unread: DataLoader::new(Unread(db.clone()), tokio::spawn),
            evidence: DataLoader::new(
                GroupedBy(ByKey::new(
                    db.clone(),
                    voucher_category_document::Column::CategoryId,
                    |m: &voucher_category_document::Model| m.category_id,
                )),
                tokio::spawn,
            ),
        }
    }
}
