//! Imports run as jobs (core's `jobs`): the file is kept until its job ends, so that a
//! restart resumes the import on whichever instance takes the job next. Re-running a file is
//! safe (each row is stored once), so a resumed import finishes what the stopped one began;
//! the rows the stopped run had stored count as duplicates in the batch's figures.

use std::path::{Path, PathBuf};

use futures_util::future::BoxFuture;
use sea_orm::{ActiveModelTrait, DatabaseConnection, EntityTrait, IntoActiveModel, Set};
use serde::{Deserialize, Serialize};
use serde_json::json;

use adal_core::error::{ApiError, ApiResult};
use adal_core::jobs::{JobContext, JobHandler};
use entities::{import_batch, job};
use sea_orm::{ColumnTrait, QueryFilter};

use crate::import::{self, BatchReport, ImportKind};

/// The kind of the import jobs.
pub const KIND: &str = "import";

/// Attempts before an import interrupted again and again is failed.
pub const MAX_ATTEMPTS: i32 = 3;

/// The arguments of an import job.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ImportJob {
    pub batch_id: i64,
    pub kind: ImportKind,
    /// The file to read: a copy of an upload in the data folder, or the path given to
    /// `adal import`.
    pub path: PathBuf,
    /// Remove the file when the job ends (an upload's copy).
    pub remove_after: bool,
}

/// The figures a finished import records as its job's progress.
pub fn report_json(r: &BatchReport) -> serde_json::Value {
    json!({
        "totalRows": r.total_rows,
        "accepted": r.accepted,
        "duplicates": r.duplicates,
        "rejected": r.rejected,
        "evaluated": r.evaluated,
        "loadSeconds": r.load_time.as_secs_f64(),
        "evaluateSeconds": r.evaluate_time.as_secs_f64(),
    })
}

/// Runs import jobs.
#[derive(Debug, Clone, Copy, Default)]
pub struct Imports;

/// Fails a batch still running, with the reason.
pub async fn fail(db: &DatabaseConnection, batch_id: i64, reason: &str) -> ApiResult<()> {
    if let Some(b) = import_batch::Entity::find_by_id(batch_id).one(db).await?
        && b.status == "running"
    {
        let mut am = b.into_active_model();
        am.status = Set("failed".into());
        am.error = Set(Some(reason.to_owned()));
        am.finished_at = Set(Some(chrono::Utc::now()));
        am.update(db).await?;
    }
    Ok(())
}

fn remove(p: &ImportJob) {
    if p.remove_after
        && let Err(e) = std::fs::remove_file(&p.path)
        && e.kind() != std::io::ErrorKind::NotFound
    {
        tracing::warn!(error = %e, "an imported upload could not be removed");
    }
}

impl JobHandler for Imports {
    fn kind(&self) -> &'static str {
        KIND
    }

    fn run<'a>(&'a self, cx: &'a JobContext) -> BoxFuture<'a, ApiResult<()>> {
        Box::pin(async move {
            let p: ImportJob = cx.payload()?;
            let batch = import_batch::Entity::find_by_id(p.batch_id)
                .one(&cx.db)
                .await?
                .ok_or(ApiError::NotFound("import batch"))?;
            if batch.status != "running" {
                // An earlier attempt finished it and stopped before it could say so.
                remove(&p);
                return Ok(());
            }
            if cx.resumed() {
                tracing::info!(
                    batch.id = p.batch_id,
                    attempt = cx.job.attempts,
                    "import resumed after an interruption"
                );
            }
            let file = match std::fs::File::open(&p.path) {
                Ok(f) => f,
                Err(e) => {
                    let reason = format!("the file to import cannot be read: {e}");
                    import::refuse_file(
                        &cx.db,
                        p.batch_id,
                        crate::import_reason::ImportRejectionReason::UnreadableFile,
                        &[],
                    )
                    .await?;
                    fail(&cx.db, p.batch_id, &reason).await?;
                    return Err(ApiError::bad_input("file", reason));
                }
            };
            let result = import::run_batch(&cx.db, p.kind, batch, file, |r| {
                cx.observe(&report_json(r));
            })
            .await;
            remove(&p);
            let report = result?;
            cx.progress(report_json(&report)).await
        })
    }

    fn failed<'a>(
        &'a self,
        db: &'a DatabaseConnection,
        job: &'a job::Model,
        reason: &'a str,
    ) -> BoxFuture<'a, ApiResult<()>> {
        Box::pin(async move {
            let p: ImportJob = serde_json::from_str(&job.payload)
                .map_err(|e| ApiError::internal(anyhow::anyhow!("import job payload: {e}")))?;
            fail(db, p.batch_id, reason).await?;
            remove(&p);
            Ok(())
        })
    }
}

/// An uploaded file to import: registers its batch, keeps a copy in `<data dir>/imports/`
/// until the job ends (so a restart can resume it) and records the job. The same file
/// imported before gives that batch back and no job; the flag says whether a job was queued.
pub async fn keep_and_enqueue(
    db: &DatabaseConnection,
    data_dir: &Path,
    kind: ImportKind,
    file_name: &str,
    file: std::fs::File,
    actor_account: Option<i64>,
) -> ApiResult<(import_batch::Model, bool)> {
    match import::start_batch(db, kind, file_name, file, actor_account).await? {
        import::Started::Already(r) => Ok((
            import_batch::Entity::find()
                .filter(import_batch::Column::Id.eq(r.id))
                .one(db)
                .await?
                .ok_or(ApiError::NotFound("import batch"))?,
            false,
        )),
        import::Started::New(batch, mut file) => {
            let dir = data_dir.join("imports");
            let path = dir.join(format!("batch-{}.csv", batch.id));
            let kept = std::fs::create_dir_all(&dir)
                .and_then(|()| std::fs::File::create(&path))
                .and_then(|mut out| std::io::copy(&mut file, &mut out));
            if let Err(e) = kept {
                fail(db, batch.id, "the upload could not be kept").await?;
                return Err(ApiError::internal(anyhow::anyhow!(
                    "keeping an upload: {e}"
                )));
            }
            enqueue(db, batch.id, kind, path, true).await?;
            Ok((batch, true))
        }
    }
}

/// Records the job of a registered batch, with the caller's connection.
pub async fn enqueue(
    db: &impl sea_orm::ConnectionTrait,
    batch_id: i64,
    kind: ImportKind,
    path: PathBuf,
    remove_after: bool,
) -> ApiResult<i64> {
    let payload = serde_json::to_value(ImportJob {
        batch_id,
        kind,
        path,
        remove_after,
    })
    .map_err(ApiError::internal)?;
    adal_core::jobs::enqueue(db, KIND, &payload, MAX_ATTEMPTS).await
}
