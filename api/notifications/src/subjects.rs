//! What a domain tells the notification service, which knows no domain: the variables its
//! templates may use and their values for the people a message is about (the message's
//! subject, e.g. a graduate), and the work it does on every pass of the worker. The server
//! plugs the domains' implementations in.

use std::collections::HashMap;
use std::sync::Arc;

use futures_util::future::BoxFuture;
use sea_orm::DatabaseConnection;

use adal_core::error::ApiResult;
use adal_core::settings::Settings;

/// A template variable: its name, the longest value it takes (the SMS length check counts it
/// at that length) and what it means.
pub type Variable = (&'static str, usize, &'static str);

/// The values of the variables for one subject.
pub type Values = HashMap<&'static str, String>;

/// The variable every template may use, whatever the domain: the SMS short number.
pub const SHORT_NUMBER: Variable = ("short_number", 6, "the SMS short number (1414)");

/// A domain's side of notifications.
pub trait Subjects: Send + Sync + 'static {
    /// The variables the domain's templates may use (besides [`SHORT_NUMBER`]).
    fn variables(&self) -> &'static [Variable];

    /// The values of those variables for the subjects with these ids; a subject that no
    /// longer exists is left out.
    fn values<'a>(
        &'a self,
        db: &'a DatabaseConnection,
        ids: &'a [i64],
    ) -> BoxFuture<'a, ApiResult<HashMap<i64, Values>>>;

    /// Work the domain does on every worker pass (e.g. requests to another state system
    /// after a consent); returns how many items it handled.
    fn on_pass<'a>(
        &'a self,
        db: &'a DatabaseConnection,
        settings: &'a Settings,
    ) -> BoxFuture<'a, ApiResult<usize>>;
}

/// The domains' implementation, shared by the worker and the GraphQL schema (as data).
#[derive(Clone)]
pub struct Domains(pub Arc<dyn Subjects>);

impl Domains {
    /// Every variable a template may use: the domain's, then [`SHORT_NUMBER`].
    pub fn variables(&self) -> Vec<Variable> {
        let mut v = self.0.variables().to_vec();
        v.push(SHORT_NUMBER);
        v
    }
}
