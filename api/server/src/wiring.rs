//! Where one domain's implementation is plugged into another's trait: the notification
//! service learns from each domain what its messages are about, their purposes and what its
//! templates may say, and the job runner learns each domain's kinds of job.

use std::sync::Arc;

use sea_orm::DatabaseConnection;

use adal_core::jobs::Runner;
use adal_core::settings::Settings;
use adal_notifications::subjects::Domains;
use adal_notifications::worker::Worker;

/// The domains as the notification service sees them (one per subject kind). Registers
/// their purposes, so it runs before a schema is built.
pub fn domains() -> Domains {
    Domains::new(vec![
        Arc::new(adal_obligations::notices::Graduates),
        Arc::new(adal_vouchers::notices::Children::default()),
        Arc::new(adal_schools::notices::Pupils::default()),
    ])
}

/// Every domain's decisions about a person, for the timeline and its contests.
pub fn decisions() -> adal_core::decisions::DecisionSources {
    adal_core::decisions::DecisionSources::new(vec![
        adal_obligations::timeline::about,
        adal_vouchers::timeline::about,
        adal_schools::timeline::about,
    ])
}

/// A notification worker with the domains wired in (`adal serve`, `adal worker`, tests).
pub fn worker(db: DatabaseConnection, settings: Arc<Settings>) -> anyhow::Result<Worker> {
    Worker::new(db, settings, domains())
}

/// A job runner with every domain's handlers (`adal serve`, `adal worker`, `adal import`).
pub fn jobs(db: DatabaseConnection, settings: &Settings) -> Runner {
    Runner::new(
        db,
        chrono::Duration::seconds(settings.job_lease_secs.max(1)),
        std::time::Duration::from_millis(settings.job_poll_ms.max(10)),
    )
    .with(adal_obligations::import_job::Imports)
    .with(adal_vouchers::notices::AllocationNotices)
    .with(adal_schools::reports::MonthlyReports)
}

/// What every GraphQL request carries of its own: each crate's loaders.
pub fn per_request(
    request: async_graphql::Request,
    db: &DatabaseConnection,
) -> async_graphql::Request {
    request
        .data(adal_registers::loaders::Loaders::new(db))
        .data(adal_obligations::loaders::Loaders::new(db))
        .data(adal_vouchers::loaders::Loaders::new(db))
}
