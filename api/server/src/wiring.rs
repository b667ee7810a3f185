//! Where one domain's implementation is plugged into another's trait: the notification
//! service learns from each domain what its messages are about, their purposes and what its
//! templates may say, the job runner learns each domain's kinds of job, the vouchers learn
//! from the schools when a child was inside school, and the obligations hear from the registers
//! when an organisation changed.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{Months, NaiveDate};
use futures_util::future::BoxFuture;
use sea_orm::DatabaseConnection;

use adal_core::clock::local;
use adal_core::error::{ApiError, ApiResult};
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

/// The schools' answer to the vouchers' question "when was this child inside school?" (the
/// payouts' turnstile check), as schema data.
pub fn school_presence() -> adal_vouchers::presence::Presence {
    adal_vouchers::presence::Presence::new(Arc::new(TurnstilePresence))
}

/// [`adal_vouchers::presence::SchoolPresence`] read from the schools' turnstile passes.
struct TurnstilePresence;

impl adal_vouchers::presence::SchoolPresence for TurnstilePresence {
    fn inside<'a>(
        &'a self,
        txn: &'a sea_orm::DatabaseTransaction,
        children: &'a [i64],
        month: adal_vouchers::money::Month,
    ) -> BoxFuture<'a, ApiResult<HashMap<i64, Vec<adal_vouchers::presence::Inside>>>> {
        Box::pin(async move {
            let first = u32::try_from(month % 100)
                .ok()
                .and_then(|m| NaiveDate::from_ymd_opt(month / 100, m, 1))
                .ok_or_else(|| ApiError::bad_input("month", "a month as YYYYMM"))?;
            let last = first
                .checked_add_months(Months::new(1))
                .and_then(|d| d.pred_opt())
                .unwrap_or(first);
            let spans = adal_schools::attendance::inside(txn, children, first, last).await?;
            Ok(spans
                .into_iter()
                .map(|(child, list)| {
                    let list = list
                        .into_iter()
                        .map(|s| adal_vouchers::presence::Inside {
                            date: s.day,
                            from: local(s.entry).time(),
                            to: local(s.exit).time(),
                        })
                        .collect();
                    (child, list)
                })
                .collect())
        })
    }
}

/// The obligations' answer to the registers' "this organisation's kind, locality or region
/// changed" (an operator's edit in the register): its graduates are re-evaluated, as schema
/// data.
pub fn reference_events() -> adal_registers::reference::events::ReferenceEvents {
    adal_registers::reference::events::ReferenceEvents::new(Arc::new(ReevaluateEmployees))
}

/// [`adal_registers::reference::events::OrganisationChanged`] heard by the obligations.
struct ReevaluateEmployees;

impl adal_registers::reference::events::OrganisationChanged for ReevaluateEmployees {
    fn organisation_changed<'a>(
        &'a self,
        db: &'a DatabaseConnection,
        organisation: i64,
    ) -> BoxFuture<'a, ApiResult<()>> {
        Box::pin(async move {
            adal_obligations::evaluate::reevaluate_employees(db, &[organisation]).await?;
            Ok(())
        })
    }
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
        .data(adal_schools::loaders::Loaders::new(db))
}
