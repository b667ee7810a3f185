//! What the vouchers ask of the schools: when the school's turnstile shows a child inside. The
//! vouchers know no school: they declare [`SchoolPresence`], and the server plugs the schools'
//! answer in as [`Presence`] (data of the GraphQL schema, beside the other domains' hooks).
//! Without it (the vouchers alone, or no school module) the turnstile check is not made.

use std::collections::HashMap;
use std::sync::Arc;

use futures_util::future::BoxFuture;
use sea_orm::DatabaseTransaction;

use adal_core::error::ApiResult;

use crate::money::Month;

pub use crate::rules::Inside;

/// Where the vouchers learn when children were inside school.
pub trait SchoolPresence: Send + Sync {
    /// For each of these children, the spans of the month's days (local) in which a school's
    /// turnstile shows them inside, read with the caller's transaction in one pass for all of
    /// them. A child never inside that month is absent from the answer.
    fn inside<'a>(
        &'a self,
        txn: &'a DatabaseTransaction,
        children: &'a [i64],
        month: Month,
    ) -> BoxFuture<'a, ApiResult<HashMap<i64, Vec<Inside>>>>;
}

/// The source of school presence the server plugs in.
#[derive(Clone)]
pub struct Presence(Arc<dyn SchoolPresence>);

impl Presence {
    pub fn new(source: Arc<dyn SchoolPresence>) -> Self {
        Self(source)
    }

    pub fn source(&self) -> &dyn SchoolPresence {
        self.0.as_ref()
    }
}
