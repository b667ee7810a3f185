//! What one GraphQL operation and one caller may ask for, checked before any resolver runs:
//! - an operation selects at most `graphql_max_root_fields` root fields and names at most
//!   `graphql_max_aliases` aliases (900 aliases of one search are 900 searches);
//! - every caller (a signed-in account, else the client's address) has a budget of complexity
//!   per minute, `graphql_cost_per_minute`, or its own where the operator set one with a
//!   machine client (`account.cost_per_minute`); an operation that would overdraw it is refused with
//!   `RATE_LIMITED` and `retryAfterSeconds`, before it runs. Lists count their page size into
//!   the complexity (`crate::pagination::list_complexity`);
//! - every caller may also make at most `graphql_requests_per_minute` requests a minute (a
//!   machine client: its own `account.requests_per_minute` where the operator set one),
//!   however cheap each is: the same `RATE_LIMITED` beyond it.

use std::num::NonZeroU32;
use std::sync::Arc;

use async_graphql::extensions::{
    Extension, ExtensionContext, ExtensionFactory, NextParseQuery, NextValidation,
};
use async_graphql::parser::types::{ExecutableDocument, Selection, SelectionSet};
use async_graphql::{ErrorExtensions, ServerError, ServerResult, ValidationResult, Variables};
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

use crate::auth::actor::Caller;
use crate::error::ApiError;

/// Per-caller complexity budgets, shared by every request of this process. Every caller has
/// the default budget unless their account carries its own (a machine client's, set with it):
/// one limiter per distinct budget, each keyed by caller.
pub struct CostBudget {
    default: Limiter,
    own: std::sync::Mutex<std::collections::HashMap<u32, Arc<Limiter>>>,
}

struct Limiter {
    limiter: DefaultKeyedRateLimiter<String>,
    clock: DefaultClock,
    per_minute: u32,
}

impl Limiter {
    fn per_minute(per_minute: u32) -> Self {
        let per_minute = per_minute.max(1);
        let quota = Quota::per_minute(NonZeroU32::new(per_minute).unwrap_or(NonZeroU32::MIN));
        Self {
            limiter: RateLimiter::keyed(quota),
            clock: DefaultClock::default(),
            per_minute,
        }
    }

    fn charge(&self, caller: &str, cost: usize) -> Result<(), i64> {
        // Forget callers whose budget is full again, so the map stays small.
        if self.limiter.len() > 10_000 {
            self.limiter.retain_recent();
        }
        let cost = u32::try_from(cost.max(1)).unwrap_or(u32::MAX);
        let Some(n) = NonZeroU32::new(cost.min(self.per_minute)) else {
            return Ok(());
        };
        match self.limiter.check_key_n(&caller.to_owned(), n) {
            Ok(Ok(())) => Ok(()),
            Ok(Err(not_until)) => {
                let wait = not_until.wait_time_from(self.clock.now());
                Err((wait.as_secs_f64().ceil() as i64).max(1))
            }
            Err(_) => Err(60),
        }
    }
}

impl CostBudget {
    /// `per_minute` complexity points per caller, all of them available at once.
    pub fn per_minute(per_minute: u32) -> Self {
        Self {
            default: Limiter::per_minute(per_minute),
            own: Default::default(),
        }
    }

    /// Takes `cost` from `caller`'s budget (their own of `own_per_minute` points when they have
    /// one, else the default), or says how many seconds until it could.
    pub fn charge(
        &self,
        caller: &str,
        cost: usize,
        own_per_minute: Option<u32>,
    ) -> Result<(), i64> {
        let Some(per_minute) = own_per_minute.filter(|n| *n != self.default.per_minute) else {
            return self.default.charge(caller, cost);
        };
        let limiter = match self.own.lock() {
            Ok(mut own) => own
                .entry(per_minute)
                .or_insert_with(|| Arc::new(Limiter::per_minute(per_minute)))
                .clone(),
            // A poisoned map: the default budget still limits the caller.
            Err(_) => return self.default.charge(caller, cost),
        };
        limiter.charge(caller, cost)
    }
}

/// The caller a budget belongs to (the account, else the client's address) and the account's
/// own budgets, if it has them: complexity, then requests, per minute.
fn budget_key(caller: &Caller) -> (String, Option<u32>, Option<u32>) {
    match (&caller.actor, &caller.client_addr) {
        (Some(a), _) => (
            format!("account:{}", a.account_id),
            a.cost_per_minute,
            a.requests_per_minute,
        ),
        (None, Some(addr)) => (format!("addr:{addr}"), None, None),
        (None, None) => ("addr:-".to_owned(), None, None),
    }
}

fn rate_limited(retry_after_secs: i64) -> Vec<ServerError> {
    vec![
        ApiError::RateLimited { retry_after_secs }
            .extend()
            .into_server_error(Default::default()),
    ]
}

/// The schema extension that enforces the limits.
pub struct OperationLimits {
    pub max_root_fields: usize,
    pub max_aliases: usize,
    pub budget: Arc<CostBudget>,
    /// Requests per minute: one point a request.
    pub requests: Arc<CostBudget>,
}

impl ExtensionFactory for OperationLimits {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(LimitsExtension {
            max_root_fields: self.max_root_fields,
            max_aliases: self.max_aliases,
            budget: self.budget.clone(),
            requests: self.requests.clone(),
        })
    }
}

struct LimitsExtension {
    max_root_fields: usize,
    max_aliases: usize,
    budget: Arc<CostBudget>,
    requests: Arc<CostBudget>,
}

#[async_graphql::async_trait::async_trait]
impl Extension for LimitsExtension {
    async fn parse_query(
        &self,
        ctx: &ExtensionContext<'_>,
        query: &str,
        variables: &Variables,
        next: NextParseQuery<'_>,
    ) -> ServerResult<ExecutableDocument> {
        let doc = next.run(ctx, query, variables).await?;
        let (roots, aliases) = shape(&doc);
        if roots > self.max_root_fields {
            return Err(ServerError::new(
                format!(
                    "an operation may select at most {} root fields; this one selects {roots}",
                    self.max_root_fields
                ),
                None,
            ));
        }
        if aliases > self.max_aliases {
            return Err(ServerError::new(
                format!(
                    "an operation may name at most {} aliases; this one names {aliases}",
                    self.max_aliases
                ),
                None,
            ));
        }
        Ok(doc)
    }

    async fn validation(
        &self,
        ctx: &ExtensionContext<'_>,
        next: NextValidation<'_>,
    ) -> Result<ValidationResult, Vec<ServerError>> {
        let result = next.run(ctx).await?;
        let (key, own_cost, own_requests) = ctx
            .data_opt::<Caller>()
            .map_or_else(|| ("addr:-".to_owned(), None, None), budget_key);
        if let Err(retry_after_secs) = self.requests.charge(&key, 1, own_requests) {
            tracing::info!(retry_after_secs, "graphql request rate spent");
            return Err(rate_limited(retry_after_secs));
        }
        if let Err(retry_after_secs) = self.budget.charge(&key, result.complexity, own_cost) {
            tracing::info!(
                complexity = result.complexity,
                retry_after_secs,
                "graphql cost budget spent"
            );
            return Err(rate_limited(retry_after_secs));
        }
        if let Some(spent) = ctx.data_opt::<Arc<crate::clients::Spent>>() {
            spent.set(result.complexity);
        }
        Ok(result)
    }
}

/// The most root fields any operation of `doc` selects (through fragments), and the aliases
/// the document names.
fn shape(doc: &ExecutableDocument) -> (usize, usize) {
    fn roots(doc: &ExecutableDocument, set: &SelectionSet, budget: usize) -> usize {
        let Some(budget) = budget.checked_sub(1) else {
            return usize::MAX;
        };
        set.items
            .iter()
            .map(|item| match &item.node {
                Selection::Field(_) => 1,
                Selection::InlineFragment(f) => roots(doc, &f.node.selection_set.node, budget),
                Selection::FragmentSpread(s) => doc
                    .fragments
                    .get(&s.node.fragment_name.node)
                    .map_or(0, |f| roots(doc, &f.node.selection_set.node, budget)),
            })
            .fold(0usize, usize::saturating_add)
    }
    fn aliases(set: &SelectionSet) -> usize {
        set.items
            .iter()
            .map(|item| match &item.node {
                Selection::Field(f) => {
                    usize::from(f.node.alias.is_some()) + aliases(&f.node.selection_set.node)
                }
                Selection::InlineFragment(f) => aliases(&f.node.selection_set.node),
                Selection::FragmentSpread(_) => 0,
            })
            .sum()
    }
    // Fragments may spread each other: 32 levels is far beyond any real query.
    let most_roots = doc
        .operations
        .iter()
        .map(|(_, op)| roots(doc, &op.node.selection_set.node, 32))
        .max()
        .unwrap_or(0);
    let named = doc
        .operations
        .iter()
        .map(|(_, op)| aliases(&op.node.selection_set.node))
        .chain(
            doc.fragments
                .values()
                .map(|f| aliases(&f.node.selection_set.node)),
        )
        .sum();
    (most_roots, named)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shape_of(q: &str) -> (usize, usize) {
        shape(&async_graphql::parser::parse_query(q).unwrap())
    }

    #[test]
    fn roots_and_aliases_are_counted_through_fragments() {
        assert_eq!(shape_of("{ a b c }"), (3, 0));
        assert_eq!(shape_of("{ x: a y: b { z: c } }"), (2, 3));
        assert_eq!(
            shape_of("query { a ...F ... on Query { d } } fragment F on Query { b c: e }"),
            (4, 1)
        );
        // Two operations: the larger one counts.
        assert_eq!(shape_of("query A { a } query B { a b }"), (2, 0));
        // A fragment that spreads itself does not loop.
        let (roots, _) = shape_of("{ ...F } fragment F on Query { a ...F }");
        assert!(roots > 1000);
    }

    #[test]
    fn a_budget_refuses_what_would_overdraw_it_and_says_when() {
        let b = CostBudget::per_minute(1_000);
        assert_eq!(b.charge("account:1", 600, None), Ok(()));
        let wait = b.charge("account:1", 600, None).unwrap_err();
        // 600 points come back at 1,000 a minute: in about 12 s (less what already came back).
        assert!((1..=13).contains(&wait), "{wait}");
        // Another caller has their own budget.
        assert_eq!(b.charge("account:2", 1_000, None), Ok(()));
        // One operation dearer than a whole minute's budget takes the whole budget.
        assert_eq!(b.charge("account:3", 5_000, None), Ok(()));
        assert!(b.charge("account:3", 1, None).is_err());
        // A caller with a budget of their own spends it, not the default.
        assert_eq!(b.charge("account:4", 3_000, Some(5_000)), Ok(()));
        assert_eq!(b.charge("account:4", 1_900, Some(5_000)), Ok(()));
        assert!(b.charge("account:4", 600, Some(5_000)).is_err());
        assert_eq!(b.charge("account:5", 300, Some(500)), Ok(()));
        assert!(b.charge("account:5", 300, Some(500)).is_err());
    }
}
