//! What a domain tells the notification service, which knows no domain: the kind of subject
//! its messages are about (a graduate, a child), the purposes it sends, the variables its
//! templates may use and their values for each subject, and the work it does on every pass of
//! the worker. The server plugs the domains' implementations in ([`Domains::new`]).

use std::collections::HashMap;
use std::sync::Arc;

use futures_util::future::BoxFuture;
use sea_orm::DatabaseConnection;

use adal_core::error::ApiResult;
use adal_core::settings::Settings;

use crate::purposes::{self, PurposeDef};

/// A template variable: its name, the longest value it takes (the SMS length check counts it
/// at that length) and what it means.
pub type Variable = (&'static str, usize, &'static str);

/// The values of the variables for one subject.
pub type Values = HashMap<&'static str, String>;

/// The variable every template may use, whatever the domain: the SMS short number.
pub const SHORT_NUMBER: Variable = ("short_number", 6, "the SMS short number (1414)");

/// What a message is about: a kind a domain names and the id of one of its rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Subject {
    pub kind: &'static str,
    pub id: i64,
}

/// A domain's side of notifications.
pub trait Subjects: Send + Sync + 'static {
    /// The kind of subject the domain's messages are about, stored with each message
    /// (`graduate`, `child`): one per domain.
    fn kind(&self) -> &'static str;

    /// The purposes the domain sends (besides the general reminder and information).
    fn purposes(&self) -> &'static [&'static PurposeDef];

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

/// A domain's work that runs at most once a period on the worker's passes (the first pass
/// after start, then once the period has gone by).
#[derive(Debug, Default)]
pub struct Every(std::sync::Mutex<Option<chrono::DateTime<chrono::Utc>>>);

impl Every {
    /// Whether the work is due at `now`; if so, the period starts again from `now`.
    pub fn due(&self, now: chrono::DateTime<chrono::Utc>, period: chrono::Duration) -> bool {
        match self.0.lock() {
            Ok(mut last) => {
                let due = last.is_none_or(|t| now - t >= period);
                if due {
                    *last = Some(now);
                }
                due
            }
            Err(_) => false,
        }
    }
}

/// The domains' implementations, shared by the worker and the GraphQL schema (as data).
#[derive(Clone)]
pub struct Domains(Arc<Vec<Arc<dyn Subjects>>>);

impl Domains {
    /// The domains that send messages, one per subject kind. Registers their purposes (the
    /// GraphQL enum `NotificationPurpose` lists them); panics when two domains claim one kind
    /// or the process already registered other purposes, which are wiring mistakes.
    pub fn new(domains: Vec<Arc<dyn Subjects>>) -> Self {
        for (i, d) in domains.iter().enumerate() {
            assert!(
                domains[..i].iter().all(|o| o.kind() != d.kind()),
                "two domains send messages about `{}`",
                d.kind()
            );
        }
        if let Err(e) =
            purposes::register(domains.iter().flat_map(|d| d.purposes().iter().copied()))
        {
            panic!("{e}");
        }
        Domains(Arc::new(domains))
    }

    /// The domain whose subjects are of this kind.
    pub fn of(&self, kind: &str) -> Option<&dyn Subjects> {
        self.0.iter().find(|d| d.kind() == kind).map(|d| d.as_ref())
    }

    /// Every domain.
    pub fn iter(&self) -> impl Iterator<Item = &dyn Subjects> {
        self.0.iter().map(|d| d.as_ref())
    }

    /// Every variable a template may use: each domain's (a name once), then [`SHORT_NUMBER`].
    pub fn variables(&self) -> Vec<Variable> {
        let mut v: Vec<Variable> = Vec::new();
        for d in self.iter() {
            for var in d.variables() {
                if !v.iter().any(|x| x.0 == var.0) {
                    v.push(*var);
                }
            }
        }
        v.push(SHORT_NUMBER);
        v
    }

    /// The values of the variables for these subjects, asked of each subject's domain; a
    /// subject whose kind no domain claims, or which no longer exists, is left out.
    pub async fn values(
        &self,
        db: &DatabaseConnection,
        subjects: &[Subject],
    ) -> ApiResult<HashMap<Subject, Values>> {
        let mut out = HashMap::new();
        for d in self.iter() {
            let ids: Vec<i64> = subjects
                .iter()
                .filter(|s| s.kind == d.kind())
                .map(|s| s.id)
                .collect();
            if ids.is_empty() {
                continue;
            }
            for (id, values) in d.values(db, &ids).await? {
                out.insert(Subject { kind: d.kind(), id }, values);
            }
        }
        Ok(out)
    }

    /// Every domain's work on a worker pass; how many items they handled.
    pub async fn on_pass(&self, db: &DatabaseConnection, settings: &Settings) -> ApiResult<usize> {
        let mut n = 0;
        for d in self.iter() {
            n += d.on_pass(db, settings).await?;
        }
        Ok(n)
    }
}
