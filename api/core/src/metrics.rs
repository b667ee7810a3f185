//! Metrics in the Prometheus (OpenMetrics) text format, served at `/metrics` to the addresses
//! `metrics_allow` names: requests and latency per GraphQL operation, errors by code, and the
//! gauges the server fills when scraped (jobs, outbox, database pool).
//!
//! The `prometheus-client` crate (the Prometheus project's own Rust client) keeps the
//! counters and writes the text.

use std::collections::HashSet;
use std::sync::Mutex;
use std::sync::atomic::AtomicU64;

use prometheus_client::encoding::text::encode;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;

type Labels = Vec<(&'static str, String)>;

/// Distinct operation names kept as labels; further names count as `other` (a client cannot
/// grow the scrape without bound by naming its operations).
const MAX_OPERATIONS: usize = 200;

fn latency_histogram() -> Histogram {
    // 5 ms .. ~20 s.
    Histogram::new(exponential_buckets(0.005, 2.0, 13))
}

/// The process's metrics.
pub struct Metrics {
    registry: Registry,
    requests: Family<Labels, Counter>,
    latency: Family<Labels, Histogram, fn() -> Histogram>,
    errors: Family<Labels, Counter>,
    /// Jobs by status.
    pub jobs: Family<Labels, Gauge>,
    /// Age of the oldest due job waiting to be taken, in seconds.
    pub jobs_oldest_age: Gauge<f64, AtomicU64>,
    /// Outbox messages by status.
    pub outbox: Family<Labels, Gauge>,
    /// How long the oldest due message has waited to be sent, in seconds.
    pub outbox_lag: Gauge<f64, AtomicU64>,
    /// Database pool connections by state (`in_use`, `idle`, `max`).
    pub pool: Family<Labels, Gauge>,
    operations: Mutex<HashSet<String>>,
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

impl Metrics {
    pub fn new() -> Self {
        let mut registry = Registry::with_prefix("adal");
        let requests = Family::<Labels, Counter>::default();
        let latency =
            Family::<Labels, Histogram, fn() -> Histogram>::new_with_constructor(latency_histogram);
        let errors = Family::<Labels, Counter>::default();
        let jobs = Family::<Labels, Gauge>::default();
        let jobs_oldest_age = Gauge::<f64, AtomicU64>::default();
        let outbox = Family::<Labels, Gauge>::default();
        let outbox_lag = Gauge::<f64, AtomicU64>::default();
        let pool = Family::<Labels, Gauge>::default();
        registry.register(
            "graphql_requests",
            "GraphQL requests by operation name",
            requests.clone(),
        );
        registry.register(
            "graphql_request_duration_seconds",
            "Time to answer a GraphQL request, by operation name",
            latency.clone(),
        );
        registry.register(
            "graphql_errors",
            "Errors in GraphQL responses by code",
            errors.clone(),
        );
        registry.register("jobs", "Jobs by status", jobs.clone());
        registry.register(
            "jobs_oldest_queued_age_seconds",
            "How long the oldest due job has waited to be taken",
            jobs_oldest_age.clone(),
        );
        registry.register(
            "outbox_messages",
            "Outbox messages by status",
            outbox.clone(),
        );
        registry.register(
            "outbox_delivery_lag_seconds",
            "How long the oldest due message has waited to be sent",
            outbox_lag.clone(),
        );
        registry.register(
            "db_pool_connections",
            "Database pool connections by state",
            pool.clone(),
        );
        Self {
            registry,
            requests,
            latency,
            errors,
            jobs,
            jobs_oldest_age,
            outbox,
            outbox_lag,
            pool,
            operations: Mutex::new(HashSet::new()),
        }
    }

    /// The label of an operation name: itself when it is a plain GraphQL name and one of the
    /// first names seen, `anonymous` without a name, `other` otherwise.
    fn operation_label(&self, operation: Option<&str>) -> String {
        let Some(op) = operation.filter(|o| !o.is_empty()) else {
            return "anonymous".into();
        };
        let plain = op.len() <= 64 && op.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        if !plain {
            return "other".into();
        }
        let mut known = match self.operations.lock() {
            Ok(g) => g,
            Err(p) => p.into_inner(),
        };
        if known.contains(op) || known.len() < MAX_OPERATIONS {
            known.insert(op.to_owned());
            op.to_owned()
        } else {
            "other".into()
        }
    }

    /// Records one answered GraphQL request.
    pub fn graphql_request(&self, operation: Option<&str>, seconds: f64, error_codes: &[String]) {
        let labels = vec![("operation", self.operation_label(operation))];
        self.requests.get_or_create(&labels).inc();
        self.latency.get_or_create(&labels).observe(seconds);
        for code in error_codes {
            self.errors
                .get_or_create(&vec![("code", code.trim_matches('"').to_owned())])
                .inc();
        }
    }

    /// Sets a gauge family to these counts, zeroing the labels not given.
    pub fn set_counts(
        family: &Family<Labels, Gauge>,
        key: &'static str,
        counts: &[(String, i64)],
        known: &[&str],
    ) {
        for k in known {
            family.get_or_create(&vec![(key, (*k).to_owned())]).set(0);
        }
        for (label, n) in counts {
            family.get_or_create(&vec![(key, label.clone())]).set(*n);
        }
    }

    /// The scrape: OpenMetrics text.
    pub fn render(&self) -> String {
        let mut out = String::new();
        if let Err(e) = encode(&mut out, &self.registry) {
            tracing::error!(error = %e, "encoding metrics");
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_and_errors_are_counted_by_operation_and_code() {
        let m = Metrics::new();
        m.graphql_request(Some("Graduates"), 0.02, &[]);
        m.graphql_request(Some("Graduates"), 0.04, &["BAD_USER_INPUT".into()]);
        m.graphql_request(None, 0.01, &[]);
        m.graphql_request(Some("name with spaces"), 0.01, &[]);
        let text = m.render();
        assert!(
            text.contains(r#"adal_graphql_requests_total{operation="Graduates"} 2"#),
            "{text}"
        );
        assert!(
            text.contains(r#"adal_graphql_requests_total{operation="anonymous"} 1"#),
            "{text}"
        );
        assert!(
            text.contains(r#"adal_graphql_requests_total{operation="other"} 1"#),
            "{text}"
        );
        assert!(
            text.contains(r#"adal_graphql_errors_total{code="BAD_USER_INPUT"} 1"#),
            "{text}"
        );
        assert!(
            text.contains("adal_graphql_request_duration_seconds_bucket"),
            "{text}"
        );
    }

    #[test]
    fn operation_names_beyond_the_limit_count_as_other() {
        let m = Metrics::new();
        for i in 0..MAX_OPERATIONS + 10 {
            m.graphql_request(Some(&format!("Op{i}")), 0.01, &[]);
        }
        let text = m.render();
        assert!(
            text.contains(r#"adal_graphql_requests_total{operation="other"} 10"#),
            "{text}"
        );
    }
}
