//! What the registers tell the domains when reference data changes. The registers know no
//! domain: they declare [`OrganisationChanged`], and the server plugs the obligations' answer
//! in as [`ReferenceEvents`] (data of the GraphQL schema, beside the other domains' hooks).
//! Without it (the registers alone) nobody is told.

use std::sync::Arc;

use futures_util::future::BoxFuture;
use sea_orm::DatabaseConnection;

use adal_core::error::ApiResult;

/// Who hears that an organisation's kind, locality or region changed (a new version in its
/// history): the obligations re-evaluate the graduates who worked there.
pub trait OrganisationChanged: Send + Sync {
    /// Called after the change is committed, with the organisation's id.
    fn organisation_changed<'a>(
        &'a self,
        db: &'a DatabaseConnection,
        organisation: i64,
    ) -> BoxFuture<'a, ApiResult<()>>;
}

/// The listener the server plugs in.
#[derive(Clone)]
pub struct ReferenceEvents(Arc<dyn OrganisationChanged>);

impl ReferenceEvents {
    pub fn new(listener: Arc<dyn OrganisationChanged>) -> Self {
        Self(listener)
    }

    pub fn listener(&self) -> &dyn OrganisationChanged {
        self.0.as_ref()
    }
}
