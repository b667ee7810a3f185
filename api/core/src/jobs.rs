//! Jobs: long work (imports now; report generation and allocation runs later) recorded as a
//! row in `job`, so that any `adal` instance may take it and none is lost to a restart.
//!
//! A runner takes the oldest due job of a kind it has a handler for, with one statement: on
//! PostgreSQL `UPDATE ... WHERE id = (SELECT ... FOR UPDATE SKIP LOCKED) RETURNING`, so
//! instances sharing a database never take the same job; on SQLite the same statement runs
//! under SQLite's single writer. Taking a job is a lease that the runner renews while the job
//! runs. When an instance stops mid-job its lease runs out, and another runner takes the job
//! over (a handler's work is idempotent: an import run twice stores each row once) until the
//! job's attempts are used up; then the job is failed with the reason, and its handler is told
//! so it can fail what it was doing (the import batch). Nothing stays `running` forever.
//!
//! A handler's own error fails the job at once: a bad file does not get better by retrying.

use std::collections::HashMap;
use std::future::Future;
use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use futures_util::future::BoxFuture;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DbBackend, EntityTrait,
    FromQueryResult, QueryFilter, QueryOrder, Set, Statement,
};
use serde::de::DeserializeOwned;
use tokio::sync::Notify;

use entities::job;

use crate::error::{ApiError, ApiResult};

pub const QUEUED: &str = "queued";
pub const RUNNING: &str = "running";
pub const COMPLETED: &str = "completed";
pub const FAILED: &str = "failed";

/// Records a job with the caller's connection or transaction; returns its id.
pub async fn enqueue(
    db: &impl ConnectionTrait,
    kind: &str,
    payload: &serde_json::Value,
    max_attempts: i32,
) -> ApiResult<i64> {
    let now = Utc::now();
    let j = job::ActiveModel {
        kind: Set(kind.to_owned()),
        payload: Set(payload.to_string()),
        status: Set(QUEUED.into()),
        attempts: Set(0),
        max_attempts: Set(max_attempts.max(1)),
        run_after: Set(now),
        locked_by: Set(None),
        lease_until: Set(None),
        progress: Set(None),
        error: Set(None),
        created_at: Set(now),
        started_at: Set(None),
        finished_at: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await?;
    tracing::info!(job.id = j.id, job.kind = kind, "job queued");
    Ok(j.id)
}

/// A job as its handler sees it.
pub struct JobContext {
    pub db: DatabaseConnection,
    pub job: job::Model,
    runner: String,
    observer: Option<Observer>,
}

impl JobContext {
    /// The job's arguments.
    pub fn payload<T: DeserializeOwned>(&self) -> ApiResult<T> {
        serde_json::from_str(&self.job.payload)
            .map_err(|e| ApiError::internal(anyhow::anyhow!("job {} payload: {e}", self.job.id)))
    }

    /// Whether an earlier attempt was interrupted (its instance stopped).
    pub fn resumed(&self) -> bool {
        self.job.attempts > 1
    }

    /// Shows progress to the runner's observer only (cheap: for every chunk of a file).
    pub fn observe(&self, value: &serde_json::Value) {
        if let Some(o) = &self.observer {
            o(self.job.id, value);
        }
    }

    /// Records how far the job is (shown to whoever follows it).
    pub async fn progress(&self, value: serde_json::Value) -> ApiResult<()> {
        if let Some(o) = &self.observer {
            o(self.job.id, &value);
        }
        job::Entity::update_many()
            .col_expr(
                job::Column::Progress,
                sea_orm::sea_query::Expr::value(Some(value.to_string())),
            )
            .filter(job::Column::Id.eq(self.job.id))
            .filter(job::Column::LockedBy.eq(self.runner.clone()))
            .exec(&self.db)
            .await?;
        Ok(())
    }
}

/// Sees each progress report of the jobs a runner runs (the command line prints them).
pub type Observer = Arc<dyn Fn(i64, &serde_json::Value) + Send + Sync>;

/// The work behind one kind of job.
pub trait JobHandler: Send + Sync + 'static {
    fn kind(&self) -> &'static str;

    /// Runs the job to its end; an error fails the job with its message.
    fn run<'a>(&'a self, cx: &'a JobContext) -> BoxFuture<'a, ApiResult<()>>;

    /// Told when a job of this kind is failed without running (its attempts were used up by
    /// instances that stopped), so that what it stands for is failed too.
    fn failed<'a>(
        &'a self,
        _db: &'a DatabaseConnection,
        _job: &'a job::Model,
        _reason: &'a str,
    ) -> BoxFuture<'a, ApiResult<()>> {
        Box::pin(async { Ok(()) })
    }
}

/// How a job ended on this runner.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Completed,
    Failed(String),
    /// Another runner holds it now (this runner's lease ran out while it worked).
    Lost,
}

/// Takes jobs and runs them; any number of runners may share a database.
#[derive(Clone)]
pub struct Runner {
    db: DatabaseConnection,
    handlers: Arc<HashMap<&'static str, Arc<dyn JobHandler>>>,
    id: String,
    lease: Duration,
    poll: std::time::Duration,
    wake: Arc<Notify>,
    observer: Option<Observer>,
}

impl Runner {
    pub fn new(db: DatabaseConnection, lease: Duration, poll: std::time::Duration) -> Self {
        Self {
            db,
            handlers: Arc::new(HashMap::new()),
            id: format!("j-{}", uuid::Uuid::new_v4().simple()),
            lease: lease.max(Duration::seconds(1)),
            poll,
            wake: Arc::new(Notify::new()),
            observer: None,
        }
    }

    /// Adds the handler of one kind of job.
    pub fn with(mut self, handler: impl JobHandler) -> Self {
        let mut handlers = (*self.handlers).clone();
        handlers.insert(handler.kind(), Arc::new(handler));
        self.handlers = Arc::new(handlers);
        self
    }

    /// Wakes this runner through `waker` (the one in `AppState`, which enqueuers use).
    pub fn with_waker(mut self, waker: &Waker) -> Self {
        self.wake = waker.0.clone();
        self
    }

    /// Sees the progress of the jobs this runner runs.
    pub fn observe(mut self, observer: Observer) -> Self {
        self.observer = Some(observer);
        self
    }

    pub fn id(&self) -> &str {
        &self.id
    }

    /// Wakes an idle runner at once (after an enqueue in the same process).
    pub fn wake(&self) {
        self.wake.notify_one();
    }

    /// A handle that wakes this runner, for those who enqueue.
    pub fn waker(&self) -> Waker {
        Waker(self.wake.clone())
    }

    fn kinds(&self) -> Vec<&'static str> {
        let mut k: Vec<&'static str> = self.handlers.keys().copied().collect();
        k.sort_unstable();
        k
    }

    /// Fails, at `now`, the jobs whose lease ran out and whose attempts are used up; returns
    /// how many.
    pub async fn fail_abandoned(&self, now: DateTime<Utc>) -> ApiResult<usize> {
        let abandoned = job::Entity::find()
            .filter(job::Column::Status.eq(RUNNING))
            .filter(job::Column::LeaseUntil.lt(now))
            .filter(job::Column::Kind.is_in(self.kinds()))
            .all(&self.db)
            .await?;
        let mut n = 0;
        for j in abandoned {
            if j.attempts < j.max_attempts {
                continue;
            }
            let reason = format!(
                "interrupted {} times: the instance running it stopped before it finished",
                j.attempts
            );
            let r = close(FAILED, Some(reason.clone()), now)
                .filter(job::Column::Id.eq(j.id))
                .filter(job::Column::Status.eq(RUNNING))
                .filter(job::Column::LeaseUntil.lt(now))
                .exec(&self.db)
                .await?;
            if r.rows_affected == 1 {
                tracing::warn!(job.id = j.id, job.kind = %j.kind, "job failed: abandoned");
                if let Some(h) = self.handlers.get(j.kind.as_str()) {
                    h.failed(&self.db, &j, &reason).await?;
                }
                n += 1;
            }
        }
        Ok(n)
    }

    /// Takes, at `now`, the oldest job that is due (queued, or running on an instance whose
    /// lease ran out) and whose attempts are not used up. `only` limits it to one job.
    pub async fn claim(
        &self,
        now: DateTime<Utc>,
        only: Option<i64>,
    ) -> ApiResult<Option<job::Model>> {
        let kinds = self.kinds();
        if kinds.is_empty() {
            return Ok(None);
        }
        let backend = self.db.get_database_backend();
        // Placeholders numbered in the order they appear in the text (PostgreSQL's `$n`,
        // SQLite's positional `?`).
        let mut b = crate::sql::Binds::new(backend);
        let set = format!(
            "UPDATE job SET status = 'running', locked_by = {}, lease_until = {}, \
             attempts = attempts + 1, started_at = COALESCE(started_at, {}) ",
            b.push(self.id.clone()),
            b.push(now + self.lease),
            b.push(now),
        );
        let kind_list: Vec<String> = kinds.iter().map(|k| b.push((*k).to_owned())).collect();
        let only_sql = match only {
            Some(id) => format!(" AND id = {}", b.push(id)),
            None => String::new(),
        };
        let due = format!(
            "((status = 'queued' AND run_after <= {}) \
             OR (status = 'running' AND lease_until < {} AND attempts < max_attempts))",
            b.push(now),
            b.push(now),
        );
        let lock = match backend {
            DbBackend::Postgres => " FOR UPDATE SKIP LOCKED",
            _ => "",
        };
        let sql = format!(
            "{set}WHERE id = (SELECT id FROM job WHERE kind IN ({kinds}){only_sql} AND {due} \
             ORDER BY id LIMIT 1{lock}) RETURNING *",
            kinds = kind_list.join(", "),
        );
        let j = job::Model::find_by_statement(b.statement(sql))
            .one(&self.db)
            .await?;
        if let Some(j) = &j {
            tracing::info!(job.id = j.id, job.kind = %j.kind, attempt = j.attempts, runner = %self.id, "job taken");
        }
        Ok(j)
    }

    /// Runs a job this runner took to its end, renewing the lease while it runs.
    pub async fn execute(&self, j: job::Model) -> ApiResult<Outcome> {
        let Some(handler) = self.handlers.get(j.kind.as_str()).cloned() else {
            return self
                .finish(j.id, Err(format!("no handler for jobs of kind {}", j.kind)))
                .await;
        };
        let cx = JobContext {
            db: self.db.clone(),
            job: j,
            runner: self.id.clone(),
            observer: self.observer.clone(),
        };
        let work = handler.run(&cx);
        tokio::pin!(work);
        let renew_every = (self.lease / 3)
            .to_std()
            .unwrap_or(std::time::Duration::from_secs(1));
        let result = loop {
            tokio::select! {
                r = &mut work => break r,
                () = tokio::time::sleep(renew_every) => {
                    let r = job::Entity::update_many()
                        .col_expr(job::Column::LeaseUntil, sea_orm::sea_query::Expr::value(Some(Utc::now() + self.lease)))
                        .filter(job::Column::Id.eq(cx.job.id))
                        .filter(job::Column::LockedBy.eq(self.id.clone()))
                        .exec(&self.db)
                        .await;
                    if let Err(e) = r {
                        tracing::warn!(job.id = cx.job.id, error = %e, "lease not renewed");
                    }
                }
            }
        };
        let result = result.map_err(|e| {
            e.log_cause();
            e.message()
        });
        self.finish(cx.job.id, result).await
    }

    async fn finish(&self, id: i64, result: Result<(), String>) -> ApiResult<Outcome> {
        let now = Utc::now();
        let (status, error) = match &result {
            Ok(()) => (COMPLETED, None),
            Err(m) => (FAILED, Some(m.clone())),
        };
        let r = close(status, error, now)
            .col_expr(
                job::Column::LeaseUntil,
                sea_orm::sea_query::Expr::value(Option::<DateTime<Utc>>::None),
            )
            .filter(job::Column::Id.eq(id))
            .filter(job::Column::LockedBy.eq(self.id.clone()))
            .exec(&self.db)
            .await?;
        if r.rows_affected == 0 {
            tracing::warn!(
                job.id = id,
                "job taken over by another runner before it finished"
            );
            return Ok(Outcome::Lost);
        }
        Ok(match result {
            Ok(()) => {
                tracing::info!(job.id = id, "job completed");
                Outcome::Completed
            }
            Err(m) => {
                tracing::warn!(job.id = id, "job failed");
                Outcome::Failed(m)
            }
        })
    }

    /// One pass at `now`: fails abandoned jobs, then takes and runs one due job.
    pub async fn run_once_at(&self, now: DateTime<Utc>) -> ApiResult<Option<(i64, Outcome)>> {
        self.fail_abandoned(now).await?;
        match self.claim(now, None).await? {
            Some(j) => {
                let id = j.id;
                Ok(Some((id, self.execute(j).await?)))
            }
            None => Ok(None),
        }
    }

    /// Takes and runs one job (the command line's import, run in its own process).
    pub async fn run_job(&self, id: i64) -> ApiResult<Option<Outcome>> {
        match self.claim(Utc::now(), Some(id)).await? {
            Some(j) => Ok(Some(self.execute(j).await?)),
            None => Ok(None),
        }
    }

    /// Runs passes until `shutdown` completes; an idle runner waits `poll` or a wake-up.
    pub async fn run(self, shutdown: impl Future<Output = ()>) {
        tracing::info!(runner = %self.id, "job runner started");
        tokio::pin!(shutdown);
        loop {
            let busy = match self.run_once_at(Utc::now()).await {
                Ok(ran) => ran.is_some(),
                Err(e) => {
                    e.log_cause();
                    tracing::error!(runner = %self.id, error = %e.message(), "job pass failed");
                    false
                }
            };
            if busy {
                continue;
            }
            tokio::select! {
                () = &mut shutdown => break,
                () = self.wake.notified() => {}
                () = tokio::time::sleep(self.poll) => {}
            }
        }
        tracing::info!(runner = %self.id, "job runner stopped");
    }

    /// Starts `run` on the runtime; the returned sender stops it.
    pub fn spawn(
        self,
    ) -> (
        tokio::sync::oneshot::Sender<()>,
        tokio::task::JoinHandle<()>,
    ) {
        let (tx, stop) = stop_signal();
        (tx, tokio::spawn(self.run(stop)))
    }
}

/// The update that closes a job (completed or failed) and releases it; the caller adds which.
fn close(
    status: &str,
    error: Option<String>,
    now: DateTime<Utc>,
) -> sea_orm::UpdateMany<job::Entity> {
    use sea_orm::sea_query::Expr;
    job::Entity::update_many()
        .col_expr(job::Column::Status, Expr::value(status))
        .col_expr(job::Column::Error, Expr::value(error))
        .col_expr(job::Column::FinishedAt, Expr::value(Some(now)))
        .col_expr(job::Column::LockedBy, Expr::value(Option::<String>::None))
}

/// A stop signal for a background loop (a job runner, the notification worker): send on the
/// sender, or drop it, and the future completes.
pub fn stop_signal() -> (
    tokio::sync::oneshot::Sender<()>,
    impl Future<Output = ()> + Send + 'static,
) {
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    (tx, async move {
        let _ = rx.await;
    })
}

/// Wakes a runner of this process after a job is enqueued (shared through the GraphQL
/// context); runners of other processes find the job on their next poll.
#[derive(Clone, Default)]
pub struct Waker(Arc<Notify>);

impl Waker {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn wake(&self) {
        self.0.notify_one();
    }
}

/// Jobs by status and the age of the oldest waiting one, in seconds (for `/metrics`).
pub async fn queue_stats(
    db: &DatabaseConnection,
    now: DateTime<Utc>,
) -> ApiResult<(Vec<(String, i64)>, f64)> {
    #[derive(FromQueryResult)]
    struct Count {
        status: String,
        n: i64,
    }
    let backend = db.get_database_backend();
    let counts = Count::find_by_statement(Statement::from_string(
        backend,
        "SELECT status, COUNT(*) AS n FROM job GROUP BY status",
    ))
    .all(db)
    .await?;
    let oldest = job::Entity::find()
        .filter(job::Column::Status.eq(QUEUED))
        .filter(job::Column::RunAfter.lte(now))
        .order_by_asc(job::Column::Id)
        .one(db)
        .await?
        .map_or(0.0, |j| {
            (now - j.created_at).num_milliseconds() as f64 / 1000.0
        });
    Ok((
        counts.into_iter().map(|c| (c.status, c.n)).collect(),
        oldest.max(0.0),
    ))
}
