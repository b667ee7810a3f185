//! Imports of CSV files: reference data (localities, activity codes, specialties, employers), graduate
//! lists and contribution feeds. Streaming (a chunk at a time, so a file larger than memory
//! imports), idempotent (the same file twice changes nothing; duplicate rows count once), each
//! bad row rejected with its line number and reason while the good rows go in, progress kept on
//! the batch row, and the batch kept forever.

use std::collections::{HashMap, HashSet};
use std::io::{Read, Seek, SeekFrom};
use std::path::Path;

use chrono::{Datelike, NaiveDate, Utc};
use sea_orm::sea_query::{Expr, OnConflict, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction,
    DbBackend, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder, QuerySelect, Set,
};
use sha2::{Digest, Sha256};

use entities::{
    activity_code, contribution, graduate, import_batch, import_rejection, locality,
    locality_history, obligation, organisation, organisation_history, person, specialty,
};

use super::import_reason::ImportRejectionReason as Reason;
use super::period::Period;
use super::rules::RuleSet;
use super::vocab::{FundingCategory, ObligationStatus, SpecialtyGroup, StudyLevel};
use adal_core::audit;
use adal_core::error::{ApiError, ApiResult};
use adal_core::identifiers::{Email, Iin, Kato, Name, OrganisationId, Phone};
use adal_core::vocab::{Language, OrganisationKind, stored_enum};

stored_enum! {
    /// What a file holds.
    ImportKind {
        Regions = "regions",
        Localities = "localities",
        ActivityCodes = "activity_codes",
        /// The classifier of specialties (education programmes), with names in kk, ru and en.
        Specialties = "specialties",
        Employers = "employers",
        Graduates = "graduates",
        Contributions = "contributions",
    }
}

impl ImportKind {
    /// The columns a file of this kind must have (in any order; extra columns are ignored).
    pub fn columns(self) -> &'static [&'static str] {
        match self {
            ImportKind::Regions => &["kato", "name_kk", "name_ru", "name_en"],
            ImportKind::Localities => &[
                "kato",
                "region_kato",
                "name_kk",
                "name_ru",
                "name_en",
                "rural",
            ],
            ImportKind::ActivityCodes | ImportKind::Specialties => {
                &["code", "name_kk", "name_ru", "name_en"]
            }
            ImportKind::Employers => &["bin", "kind", "name_ru", "locality_kato", "activity_code"],
            ImportKind::Graduates => &[
                "iin",
                "last_name",
                "first_name",
                "middle_name",
                "birth_date",
                "phone",
                "email",
                "language",
                "university_bin",
                "specialty_code",
                "specialty_name",
                "specialty_group",
                "level",
                "funding_category",
                "home_region_kato",
                "study_start",
                "graduation_date",
                "grant_months",
                "programme_months",
                "budget_cost_kzt",
                "referral_employer_bin",
                "referral_date",
            ],
            ImportKind::Contributions => &[
                "iin",
                "employer_id",
                "employer_name",
                "employer_address",
                "period",
                "payment_date",
                "amount_kzt",
                "payment_code",
            ],
        }
    }

    /// Columns a file of this kind may have; a row without one reads it as empty.
    pub fn optional_columns(self) -> &'static [&'static str] {
        match self {
            // The date the row's values take effect (`YYYY-MM-DD`; empty: the first day of the
            // current month).
            ImportKind::Localities | ImportKind::Employers => &["effective_from"],
            _ => &[],
        }
    }

    fn chunk(self) -> usize {
        match self {
            ImportKind::Contributions => 50_000,
            _ => 1_000,
        }
    }
}

/// The outcome of an import.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BatchReport {
    pub id: i64,
    pub kind: ImportKind,
    pub total_rows: u64,
    pub accepted: u64,
    pub duplicates: u64,
    pub rejected: u64,
    /// The same file had been imported before: nothing was changed.
    pub already_imported: bool,
    /// Obligations re-evaluated after the import.
    pub evaluated: u64,
    /// Time spent reading, checking and storing the rows.
    pub load_time: std::time::Duration,
    /// Time spent re-evaluating the obligations the rows touched.
    pub evaluate_time: std::time::Duration,
    /// The latest month among a contribution file's rows.
    pub latest_period: Option<Period>,
}

impl BatchReport {
    fn from_model(b: &import_batch::Model, already: bool) -> Self {
        Self {
            id: b.id,
            kind: ImportKind::from_db(&b.kind).unwrap_or(ImportKind::Contributions),
            total_rows: b.total_rows as u64,
            accepted: b.accepted as u64,
            duplicates: b.duplicates as u64,
            rejected: b.rejected as u64,
            already_imported: already,
            evaluated: 0,
            load_time: std::time::Duration::ZERO,
            evaluate_time: std::time::Duration::ZERO,
            latest_period: None,
        }
    }
}

/// A rejected line.
struct Rejection {
    line: u64,
    field: Option<&'static str>,
    code: Reason,
    reason: String,
}

/// A refused line: the field at fault, the machine reason and its English text.
type RowResult<T> = Result<T, (Option<&'static str>, Reason, String)>;

/// A file's SHA-256, read once before the import.
fn file_sha256(file: &mut std::fs::File) -> ApiResult<String> {
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = file.read(&mut buf).map_err(ApiError::internal)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    file.seek(SeekFrom::Start(0)).map_err(ApiError::internal)?;
    Ok(hex::encode(hasher.finalize()))
}

/// Imports a file by path (the command line and benchmarks).
pub async fn import_file(
    db: &DatabaseConnection,
    kind: ImportKind,
    path: &Path,
    actor_account: Option<i64>,
) -> ApiResult<BatchReport> {
    import_path(db, kind, path, actor_account, FeedScope::National).await
}

/// Imports the contributions of an answer about one person (the ministry's answer after a 511
/// consent): it moves that person's horizon, never everyone's.
pub async fn import_person_answer(db: &DatabaseConnection, path: &Path) -> ApiResult<BatchReport> {
    import_path(db, ImportKind::Contributions, path, None, FeedScope::Person).await
}

async fn import_path(
    db: &DatabaseConnection,
    kind: ImportKind,
    path: &Path,
    actor_account: Option<i64>,
    scope: FeedScope,
) -> ApiResult<BatchReport> {
    let file = std::fs::File::open(path)
        .map_err(|e| ApiError::bad_input("file", format!("cannot open {}: {e}", path.display())))?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    match start_batch(db, kind, &name, file, actor_account).await? {
        Started::Already(report) => Ok(report),
        Started::New(batch, file) => {
            let batch = if scope == FeedScope::National {
                batch
            } else {
                let mut am = batch.into_active_model();
                am.scope = Set(scope.as_str().into());
                am.update(db).await?
            };
            run_batch(db, kind, batch, file, |_| {}).await
        }
    }
}

/// Whom a contribution file covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FeedScope {
    /// A national feed: everyone, up to its latest month.
    National,
    /// An answer about the persons it names (the ministry's answer after a 511 consent).
    Person,
}

impl FeedScope {
    pub fn as_str(self) -> &'static str {
        match self {
            FeedScope::National => "national",
            FeedScope::Person => "person",
        }
    }

    fn of(batch: &import_batch::Model) -> Self {
        if batch.scope == FeedScope::Person.as_str() {
            FeedScope::Person
        } else {
            FeedScope::National
        }
    }
}

pub enum Started {
    /// The same file was imported before.
    Already(BatchReport),
    /// A new batch row, and the file rewound to its start.
    New(import_batch::Model, std::fs::File),
}

/// Registers a batch for a file, or finds the completed batch of the same file.
pub async fn start_batch(
    db: &DatabaseConnection,
    kind: ImportKind,
    file_name: &str,
    mut file: std::fs::File,
    actor_account: Option<i64>,
) -> ApiResult<Started> {
    let sha = file_sha256(&mut file)?;
    if let Some(done) = import_batch::Entity::find()
        .filter(import_batch::Column::Kind.eq(kind.as_str()))
        .filter(import_batch::Column::Sha256.eq(sha.clone()))
        .filter(import_batch::Column::Status.eq("completed"))
        .one(db)
        .await?
    {
        return Ok(Started::Already(BatchReport::from_model(&done, true)));
    }
    let batch = import_batch::ActiveModel {
        kind: Set(kind.as_str().into()),
        file_name: Set(file_name.chars().take(200).collect()),
        sha256: Set(sha),
        status: Set("running".into()),
        total_rows: Set(0),
        accepted: Set(0),
        duplicates: Set(0),
        rejected: Set(0),
        started_at: Set(Utc::now()),
        finished_at: Set(None),
        created_by: Set(actor_account),
        error: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(Started::New(batch, file))
}

/// Runs a registered batch to the end; `progress` sees the counts after each chunk.
pub async fn run_batch(
    db: &DatabaseConnection,
    kind: ImportKind,
    batch: import_batch::Model,
    file: std::fs::File,
    progress: impl Fn(&BatchReport),
) -> ApiResult<BatchReport> {
    let id = batch.id;
    let batch_scope = FeedScope::of(&batch);
    let started = std::time::Instant::now();
    let result = run_chunks(db, kind, &batch, file, progress).await;
    let mut am = import_batch::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(ApiError::NotFound("import batch"))?
        .into_active_model();
    am.finished_at = Set(Some(Utc::now()));
    match result {
        Ok((mut report, touched)) => {
            report.load_time = started.elapsed();
            am.status = Set("completed".into());
            am.total_rows = Set(report.total_rows as i64);
            am.accepted = Set(report.accepted as i64);
            am.duplicates = Set(report.duplicates as i64);
            am.rejected = Set(report.rejected as i64);
            // A national feed covers everyone up to its latest month; a person's answer only
            // them (each graduate's horizon, `evaluate::Horizon`).
            if kind == ImportKind::Contributions && batch_scope == FeedScope::National {
                am.covers_until = Set(report.latest_period.map(Period::as_i32));
            }
            am.update(db).await?;
            // What the register's caches summarise may have moved even where no obligation
            // is re-evaluated (the feeds' horizon, the month's payers).
            adal_core::generation::bump(db, adal_core::generation::REGISTER).await?;
            // Statistics for the reads by IIN and by person of the evaluation that follows,
            // and of the next import: without them PostgreSQL plans a lookup of 1,000
            // persons' graduates as a read of the whole table.
            if report.accepted > 0 {
                let tables: &[&str] = match kind {
                    ImportKind::Contributions => &["contribution"],
                    ImportKind::Graduates => &["person", "graduate"],
                    _ => &[],
                };
                for table in tables {
                    adal_core::db::analyze(db, table).await?;
                }
            }
            let evaluating = std::time::Instant::now();
            report.evaluated = super::evaluate::evaluate_batch(db, kind, id, &touched).await?;
            report.evaluate_time = evaluating.elapsed();
            tracing::info!(
                batch.id = id,
                kind = kind.as_str(),
                rows = report.total_rows,
                accepted = report.accepted,
                rejected = report.rejected,
                "import completed"
            );
            Ok(report)
        }
        Err(e) => {
            am.status = Set("failed".into());
            am.error = Set(Some(e.message()));
            am.update(db).await?;
            Err(e)
        }
    }
}

/// One chunk of a file as the reader thread hands it over: its rows and the lines that are
/// not CSV at all (or, for contributions, fail the row checks).
struct RawChunk {
    /// Lines read, good or bad.
    lines: u64,
    rows: ChunkRows,
    rejections: Vec<Rejection>,
}

enum ChunkRows {
    /// Each row's line number and the kind's columns in order.
    Raw(Vec<(u64, Vec<String>)>),
    /// Contribution rows, checked on the reader thread so that the checks of the next chunk
    /// run while the database stores this one.
    Contributions(ContributionChunk),
}

/// Chunks read ahead of the one being stored.
const READ_AHEAD: usize = 2;

/// Reads the file on a blocking thread, a chunk ahead of the database work, and stores each
/// chunk as it arrives; returns the report and what it touched (whose obligations need
/// re-evaluating).
async fn run_chunks(
    db: &DatabaseConnection,
    kind: ImportKind,
    batch: &import_batch::Model,
    file: std::fs::File,
    progress: impl Fn(&BatchReport),
) -> ApiResult<(BatchReport, super::evaluate::Touched)> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(std::io::BufReader::with_capacity(1 << 20, file));
    let headers = match reader.headers() {
        Ok(h) => h.clone(),
        Err(e) => {
            refuse_file(db, batch.id, Reason::UnreadableHeader, &[]).await?;
            return Err(ApiError::bad_input(
                "file",
                format!("cannot read the header line: {e}"),
            ));
        }
    };
    let mut index = HashMap::new();
    for (i, h) in headers.iter().enumerate() {
        index.insert(
            h.trim().trim_start_matches('\u{feff}').to_ascii_lowercase(),
            i,
        );
    }
    let missing: Vec<&str> = kind
        .columns()
        .iter()
        .filter(|c| !index.contains_key(**c))
        .copied()
        .collect();
    if !missing.is_empty() {
        refuse_file(db, batch.id, Reason::MissingColumns, &missing).await?;
        return Err(ApiError::bad_input(
            "file",
            format!("missing columns: {}", missing.join(", ")),
        ));
    }
    let mut cols: Vec<usize> = kind.columns().iter().map(|c| index[*c]).collect();
    // An optional column the file lacks reads past the end of every row: empty.
    cols.extend(
        kind.optional_columns()
            .iter()
            .map(|c| index.get(*c).copied().unwrap_or(usize::MAX)),
    );
    let mut report = BatchReport::from_model(batch, false);
    let mut ctx = ChunkContext::new(db, batch.id, batch.created_by).await?;
    let (tx, mut chunks) = tokio::sync::mpsc::channel::<RawChunk>(READ_AHEAD);
    let chunk_rows = kind.chunk();
    let reading = tokio::task::spawn_blocking(move || {
        let mut records = reader.into_records();
        let mut line: u64 = 1;
        loop {
            let mut raw: Vec<(u64, Vec<String>)> = Vec::new();
            let mut contributions = ContributionChunk::default();
            let mut rejections = Vec::new();
            let mut lines = 0;
            for rec in records.by_ref().take(chunk_rows) {
                line += 1;
                lines += 1;
                let r = match rec {
                    Ok(r) => r,
                    Err(e) => {
                        rejections.push(Rejection {
                            line,
                            field: None,
                            code: Reason::NotCsvLine,
                            reason: format!("not a valid CSV line: {e}"),
                        });
                        continue;
                    }
                };
                if kind == ImportKind::Contributions {
                    let mut fields = [""; CONTRIBUTION_COLUMNS];
                    for (f, i) in fields.iter_mut().zip(&cols) {
                        *f = r.get(*i).unwrap_or("");
                    }
                    if let Err(e) = contributions.push(&fields) {
                        reject(&mut rejections, line, e);
                    }
                } else {
                    raw.push((
                        line,
                        cols.iter()
                            .map(|i| r.get(*i).unwrap_or("").to_owned())
                            .collect(),
                    ));
                }
            }
            let rows = if kind == ImportKind::Contributions {
                contributions.finish();
                ChunkRows::Contributions(contributions)
            } else {
                ChunkRows::Raw(raw)
            };
            // Stop at the end of the file, or when the importer has stopped listening (an
            // error while storing).
            if lines == 0
                || tx
                    .blocking_send(RawChunk {
                        lines,
                        rows,
                        rejections,
                    })
                    .is_err()
            {
                break;
            }
        }
    });
    // On PostgreSQL a contribution chunk's rows are stored while the next chunk is prepared
    // and its own store starts: two at once, one per core (the rows of a chunk are in key
    // order, so two stores take their index locks in the same order and never deadlock).
    let mut in_flight: Option<Pending> = None;
    while let Some(RawChunk {
        lines,
        rows,
        mut rejections,
    }) = chunks.recv().await
    {
        let store = match rows {
            ChunkRows::Contributions(c) => {
                report.latest_period = report.latest_period.max(c.latest);
                import_contributions(db, &mut ctx, c).await?
            }
            ChunkRows::Raw(rows) => {
                let (accepted, duplicates) = match kind {
                    ImportKind::Regions => import_regions(db, rows, &mut rejections).await?,
                    ImportKind::Localities => {
                        import_localities(db, &mut ctx, rows, &mut rejections).await?
                    }
                    ImportKind::ActivityCodes => {
                        store_classifier!(activity_code, db, coded_names(rows, &mut rejections))?
                    }
                    ImportKind::Specialties => {
                        store_classifier!(specialty, db, coded_names(rows, &mut rejections))?
                    }
                    ImportKind::Employers => {
                        import_employers(db, &mut ctx, rows, &mut rejections).await?
                    }
                    ImportKind::Graduates => {
                        let stored = import_graduates(db, &mut ctx, rows, &mut rejections).await?;
                        ctx.keep_statistics(db, stored.0).await?;
                        stored
                    }
                    ImportKind::Contributions => {
                        return Err(ApiError::internal(anyhow::anyhow!(
                            "contribution rows arrived unchecked"
                        )));
                    }
                };
                Store::Done {
                    accepted,
                    duplicates,
                }
            }
        };
        let chunk = Pending {
            lines,
            store,
            rejections,
        };
        let finished = if matches!(chunk.store, Store::Running { .. }) {
            in_flight.replace(chunk)
        } else {
            Some(chunk)
        };
        if let Some(chunk) = finished {
            chunk.account(db, batch.id, &mut report).await?;
            progress(&report);
        }
    }
    if let Some(chunk) = in_flight {
        chunk.account(db, batch.id, &mut report).await?;
        progress(&report);
    }
    reading.await.map_err(ApiError::internal)?;
    // Reference data changed: the employers it touches, whose employees are re-evaluated.
    let mut orgs = ctx.touched_orgs;
    if !ctx.touched_katos.is_empty() {
        let katos: Vec<String> = ctx.touched_katos.into_iter().collect();
        orgs.extend(super::evaluate::employers_in_localities(db, &katos).await?);
    }
    let mut orgs: Vec<i64> = orgs.into_iter().collect();
    orgs.sort_unstable();
    Ok((
        report,
        super::evaluate::Touched {
            iins: ctx.touched.into_iter().collect(),
            orgs,
        },
    ))
}

/// How a chunk's rows are being stored.
enum Store {
    Done {
        accepted: u64,
        duplicates: u64,
    },
    /// Rows still being written by a task of their own; it returns how many were new.
    Running {
        rows: u64,
        task: tokio::task::JoinHandle<ApiResult<u64>>,
    },
}

/// A chunk whose outcome goes into the batch once its rows are stored.
struct Pending {
    lines: u64,
    store: Store,
    rejections: Vec<Rejection>,
}

impl Pending {
    /// Waits for the rows, then records the chunk's rejections and the batch's counts.
    async fn account(
        self,
        db: &DatabaseConnection,
        batch_id: i64,
        report: &mut BatchReport,
    ) -> ApiResult<()> {
        let (accepted, duplicates) = match self.store {
            Store::Done {
                accepted,
                duplicates,
            } => (accepted, duplicates),
            Store::Running { rows, task } => {
                let accepted = task.await.map_err(ApiError::internal)??;
                (accepted, rows - accepted)
            }
        };
        report.total_rows += self.lines;
        report.accepted += accepted;
        report.duplicates += duplicates;
        report.rejected += self.rejections.len() as u64;
        save_rejections(db, batch_id, self.rejections).await?;
        import_batch::Entity::update_many()
            .col_expr(
                import_batch::Column::TotalRows,
                (report.total_rows as i64).into(),
            )
            .col_expr(
                import_batch::Column::Accepted,
                (report.accepted as i64).into(),
            )
            .col_expr(
                import_batch::Column::Duplicates,
                (report.duplicates as i64).into(),
            )
            .col_expr(
                import_batch::Column::Rejected,
                (report.rejected as i64).into(),
            )
            .filter(import_batch::Column::Id.eq(batch_id))
            .exec(db)
            .await?;
        Ok(())
    }
}

/// Records why a whole file was refused (its reason code and the values the reason's text
/// needs), before the batch fails with the English text.
pub async fn refuse_file(
    db: &DatabaseConnection,
    batch_id: i64,
    reason: Reason,
    params: &[&str],
) -> ApiResult<()> {
    let params = serde_json::to_string(params).map_err(ApiError::internal)?;
    import_batch::Entity::update_many()
        .col_expr(
            import_batch::Column::ErrorCode,
            Some(reason.as_str().to_owned()).into(),
        )
        .col_expr(import_batch::Column::ErrorParams, Some(params).into())
        .filter(import_batch::Column::Id.eq(batch_id))
        .exec(db)
        .await?;
    Ok(())
}

async fn save_rejections(
    db: &DatabaseConnection,
    batch_id: i64,
    rejections: Vec<Rejection>,
) -> ApiResult<()> {
    for chunk in rejections.chunks(500) {
        import_rejection::Entity::insert_many(chunk.iter().map(|r| {
            import_rejection::ActiveModel {
                batch_id: Set(batch_id),
                line: Set(r.line as i64),
                field: Set(r.field.map(str::to_owned)),
                reason: Set(r.reason.clone()),
                reason_code: Set(Some(r.code.as_str().to_owned())),
                ..Default::default()
            }
        }))
        .exec_without_returning(db)
        .await?;
    }
    Ok(())
}

/// What an import keeps between chunks.
struct ChunkContext {
    batch_id: i64,
    /// Organisation ids by BIN (employers and universities seen so far).
    orgs: HashMap<String, i64>,
    localities: HashMap<String, String>,
    rules: RuleSet,
    /// IINs of the contribution rows read so far.
    touched: HashSet<String>,
    /// Localities whose rural flag changed.
    touched_katos: HashSet<String>,
    /// Organisations whose kind, locality or region changed (or that were classified).
    touched_orgs: HashSet<i64>,
    /// The account that started the import.
    actor: Option<i64>,
    /// Graduates in the table when its statistics were last refreshed, and now
    /// ([`Self::keep_statistics`]).
    graduates: Option<(u64, u64)>,
}

impl ChunkContext {
    async fn new(db: &DatabaseConnection, batch_id: i64, actor: Option<i64>) -> ApiResult<Self> {
        let localities = locality::Entity::find()
            .select_only()
            .column(locality::Column::Kato)
            .column(locality::Column::RegionKato)
            .into_tuple::<(String, String)>()
            .all(db)
            .await?
            .into_iter()
            .collect();
        Ok(Self {
            batch_id,
            orgs: HashMap::new(),
            localities,
            rules: super::evaluate::current_rules(db).await?.1,
            touched: HashSet::new(),
            touched_katos: HashSet::new(),
            touched_orgs: HashSet::new(),
            actor,
            graduates: None,
        })
    }

    /// PostgreSQL: fresh statistics of the tables a graduates import fills, each time it has
    /// doubled the graduates. A first import starts from empty tables, and without statistics
    /// each chunk's lookups of its persons' graduates read the whole table (autovacuum
    /// analyses a minute later at best); into a register that holds many more than the file
    /// brings, nothing is analysed.
    async fn keep_statistics(&mut self, db: &DatabaseConnection, added: u64) -> ApiResult<()> {
        if db.get_database_backend() != DbBackend::Postgres {
            return Ok(());
        }
        let (analysed, now) = match self.graduates {
            Some((analysed, before)) => (analysed, before + added),
            None => {
                let now = sea_orm::PaginatorTrait::count(graduate::Entity::find(), db).await?;
                (now.saturating_sub(added), now)
            }
        };
        let analysed = if now >= analysed.saturating_mul(2) && added > 0 {
            for table in ["person", "graduate", "obligation"] {
                adal_core::db::analyze(db, table).await?;
            }
            now
        } else {
            analysed
        };
        self.graduates = Some((analysed, now));
        Ok(())
    }

    /// Ids of the organisations with these BINs, from the cache or the database.
    async fn org_ids(
        &mut self,
        db: &impl ConnectionTrait,
        bins: impl Iterator<Item = String>,
    ) -> ApiResult<()> {
        let wanted: Vec<String> = bins
            .filter(|b| !self.orgs.contains_key(b))
            .collect::<HashSet<_>>()
            .into_iter()
            .collect();
        for chunk in wanted.chunks(1000) {
            let found: Vec<(i64, String)> = organisation::Entity::find()
                .select_only()
                .column(organisation::Column::Id)
                .column(organisation::Column::Bin)
                .filter(organisation::Column::Bin.is_in(chunk.iter().cloned()))
                .into_tuple()
                .all(db)
                .await?;
            for (id, bin) in found {
                self.orgs.insert(bin, id);
            }
        }
        Ok(())
    }
}

fn opt(s: &str) -> Option<&str> {
    let s = s.trim();
    (!s.is_empty()).then_some(s)
}

/// A row's `effective_from`, if it has one.
fn effective_from(s: &str) -> RowResult<Option<NaiveDate>> {
    opt(s).map(|d| date("effective_from", d)).transpose()
}

/// When a row's values take effect: the date given; else, for a locality or employer seen for
/// the first time, always (1900-01-01), and for a change, the first day of the current month.
fn effective_or_default(given: Option<NaiveDate>, is_new: bool) -> NaiveDate {
    given.unwrap_or_else(|| {
        if is_new {
            super::evaluate::since_ever()
        } else {
            super::evaluate::this_month_start()
        }
    })
}

fn date(field: &'static str, s: &str) -> RowResult<NaiveDate> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").map_err(|_| {
        (
            Some(field),
            Reason::InvalidDate,
            format!("{field} must be a date YYYY-MM-DD"),
        )
    })
}

/// A value parsed by its type, refused with that type's reason.
fn parsed<T>(
    field: &'static str,
    reason: Reason,
    r: Result<T, adal_core::identifiers::ParseError>,
) -> RowResult<T> {
    r.map_err(|e| (Some(field), reason, e.0))
}

fn enum_value<T: std::str::FromStr<Err = String>>(field: &'static str, s: &str) -> RowResult<T> {
    s.parse::<T>()
        .map_err(|e| (Some(field), Reason::InvalidChoice, e))
}

fn int(field: &'static str, s: &str) -> RowResult<i64> {
    s.trim().parse::<i64>().map_err(|_| {
        (
            Some(field),
            Reason::InvalidNumber,
            format!("{field} must be a whole number"),
        )
    })
}

/// An amount in tenge (`123456` or `123456.78`), kept in tiyn.
fn money_tiyn(field: &'static str, s: &str) -> RowResult<i64> {
    let s = s.trim().replace(' ', "");
    let (whole, frac) = s.split_once(['.', ',']).unwrap_or((&s, "0"));
    let w: i64 = whole.parse().map_err(|_| {
        (
            Some(field),
            Reason::InvalidAmount,
            format!("{field} must be an amount in tenge"),
        )
    })?;
    let f: i64 = format!("{frac:0<2}")
        .get(..2)
        .and_then(|f| f.parse().ok())
        .ok_or((
            Some(field),
            Reason::InvalidAmount,
            format!("{field} must be an amount in tenge"),
        ))?;
    if w < 0 {
        return Err((
            Some(field),
            Reason::NegativeAmount,
            format!("{field} must not be negative"),
        ));
    }
    Ok(w * 100 + f)
}

fn reject(
    rejections: &mut Vec<Rejection>,
    line: u64,
    (field, code, reason): (Option<&'static str>, Reason, String),
) {
    rejections.push(Rejection {
        line,
        field,
        code,
        reason,
    });
}

async fn import_regions(
    db: &DatabaseConnection,
    rows: Vec<(u64, Vec<String>)>,
    rejections: &mut Vec<Rejection>,
) -> ApiResult<(u64, u64)> {
    let mut models = Vec::new();
    for (line, r) in rows {
        let parse = || -> RowResult<entities::region::ActiveModel> {
            let kato = parsed("kato", Reason::InvalidKato, Kato::parse(&r[0]))?;
            let name = |i: usize, f: &'static str| -> RowResult<String> {
                Ok(parsed(f, Reason::InvalidName, Name::parse(&r[i], f))?.into_string())
            };
            Ok(entities::region::ActiveModel {
                kato: Set(kato.into_string()),
                name_kk: Set(name(1, "name_kk")?),
                name_ru: Set(name(2, "name_ru")?),
                name_en: Set(name(3, "name_en")?),
            })
        };
        match parse() {
            Ok(m) => models.push(m),
            Err(e) => reject(rejections, line, e),
        }
    }
    let n = models.len() as u64;
    if !models.is_empty() {
        entities::region::Entity::insert_many(models)
            .on_conflict(
                OnConflict::column(entities::region::Column::Kato)
                    .update_columns([
                        entities::region::Column::NameKk,
                        entities::region::Column::NameRu,
                        entities::region::Column::NameEn,
                    ])
                    .to_owned(),
            )
            .exec_without_returning(db)
            .await?;
    }
    Ok((n, 0))
}

async fn import_localities(
    db: &DatabaseConnection,
    ctx: &mut ChunkContext,
    rows: Vec<(u64, Vec<String>)>,
    rejections: &mut Vec<Rejection>,
) -> ApiResult<(u64, u64)> {
    let regions: HashSet<String> = entities::region::Entity::find()
        .select_only()
        .column(entities::region::Column::Kato)
        .into_tuple::<String>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let mut models = Vec::new();
    let mut dates = Vec::new();
    for (line, r) in rows {
        let parse = || -> RowResult<(locality::ActiveModel, Option<NaiveDate>)> {
            let kato = parsed("kato", Reason::InvalidKato, Kato::parse(&r[0]))?;
            let region = parsed("region_kato", Reason::InvalidKato, Kato::parse(&r[1]))?;
            if !regions.contains(region.as_str()) {
                return Err((
                    Some("region_kato"),
                    Reason::UnknownRegion,
                    "unknown region".into(),
                ));
            }
            let rural = match r[5].trim().to_ascii_lowercase().as_str() {
                "true" | "1" | "yes" => true,
                "false" | "0" | "no" => false,
                _ => {
                    return Err((
                        Some("rural"),
                        Reason::InvalidBoolean,
                        "rural must be true or false".into(),
                    ));
                }
            };
            let name = |i: usize, f: &'static str| -> RowResult<String> {
                Ok(parsed(f, Reason::InvalidName, Name::parse(&r[i], f))?.into_string())
            };
            let m = locality::ActiveModel {
                kato: Set(kato.into_string()),
                region_kato: Set(region.into_string()),
                name_kk: Set(name(2, "name_kk")?),
                name_ru: Set(name(3, "name_ru")?),
                name_en: Set(name(4, "name_en")?),
                rural: Set(rural),
            };
            Ok((m, effective_from(&r[6])?))
        };
        match parse() {
            Ok((m, d)) => {
                models.push(m);
                dates.push(d);
            }
            Err(e) => reject(rejections, line, e),
        }
    }
    let n = models.len() as u64;
    if !models.is_empty() {
        // The flags before this chunk: a new locality gets its first version; a flag that
        // differs from the current one, or from the one in force on its date, a new version.
        let katos: Vec<String> = models
            .iter()
            .filter_map(|m| m.kato.try_as_ref().cloned())
            .collect();
        let before: HashMap<String, bool> = locality::Entity::find()
            .select_only()
            .column(locality::Column::Kato)
            .column(locality::Column::Rural)
            .filter(locality::Column::Kato.is_in(katos.clone()))
            .into_tuple::<(String, bool)>()
            .all(db)
            .await?
            .into_iter()
            .collect();
        let flags = super::evaluate::rural_flags(db, Some(katos)).await?;
        let now = Utc::now();
        let mut versions = Vec::new();
        for (m, given) in models.iter().zip(&dates) {
            let (Some(kato), Some(rural)) = (m.kato.try_as_ref(), m.rural.try_as_ref()) else {
                continue;
            };
            let d = effective_or_default(*given, !before.contains_key(kato));
            if let Some(was) = before.get(kato) {
                if was == rural && flags.at(kato, d) == *rural {
                    continue;
                }
                ctx.touched_katos.insert(kato.clone());
            }
            versions.push(locality_history::ActiveModel {
                kato: Set(kato.clone()),
                rural: Set(*rural),
                effective_from: Set(d),
                recorded_at: Set(now),
                batch_id: Set(Some(ctx.batch_id)),
                ..Default::default()
            });
        }
        let txn = adal_core::db::begin_write(db).await?;
        // A national list re-imported updates names and the rural flag.
        locality::Entity::insert_many(models)
            .on_conflict(
                OnConflict::column(locality::Column::Kato)
                    .update_columns([
                        locality::Column::RegionKato,
                        locality::Column::NameKk,
                        locality::Column::NameRu,
                        locality::Column::NameEn,
                        locality::Column::Rural,
                    ])
                    .to_owned(),
            )
            .exec_without_returning(&txn)
            .await?;
        if !versions.is_empty() {
            locality_history::Entity::insert_many(versions)
                .exec_without_returning(&txn)
                .await?;
        }
        txn.commit().await?;
    }
    Ok((n, 0))
}

/// Rows of a classifier (`code, name_kk, name_ru, name_en`: activity codes, specialties),
/// checked; a bad line is rejected.
fn coded_names(
    rows: Vec<(u64, Vec<String>)>,
    rejections: &mut Vec<Rejection>,
) -> Vec<(String, [String; 3])> {
    let mut out = Vec::new();
    for (line, r) in rows {
        let code = r[0].trim();
        if code.is_empty() || code.len() > 16 {
            reject(
                rejections,
                line,
                (
                    Some("code"),
                    Reason::InvalidCode,
                    "code must be 1 to 16 characters".into(),
                ),
            );
            continue;
        }
        let name = |i: usize, f: &'static str| -> RowResult<String> {
            Ok(parsed(f, Reason::InvalidName, Name::parse(&r[i], f))?.into_string())
        };
        let names = || -> RowResult<[String; 3]> {
            Ok([
                name(1, "name_kk")?,
                name(2, "name_ru")?,
                name(3, "name_en")?,
            ])
        };
        match names() {
            Ok(n) => out.push((code.to_owned(), n)),
            Err(e) => reject(rejections, line, e),
        }
    }
    out
}

/// Stores a classifier's rows: a code already there takes the new names.
async fn upsert_classifier<A>(
    db: &DatabaseConnection,
    models: Vec<A>,
    code: <A::Entity as EntityTrait>::Column,
    names: [<A::Entity as EntityTrait>::Column; 3],
) -> ApiResult<(u64, u64)>
where
    A: ActiveModelTrait + Send,
{
    let n = models.len() as u64;
    if !models.is_empty() {
        <A::Entity as EntityTrait>::insert_many(models)
            .on_conflict(OnConflict::column(code).update_columns(names).to_owned())
            .exec_without_returning(db)
            .await?;
    }
    Ok((n, 0))
}

/// Stores a classifier's checked rows ([`coded_names`]) in the table of the entity module
/// `$table` (columns `code, name_kk, name_ru, name_en`): a code already there takes the new
/// names.
macro_rules! store_classifier {
    ($table:ident, $db:expr, $rows:expr) => {{
        use $table::{ActiveModel, Column};
        let models: Vec<ActiveModel> = $rows
            .into_iter()
            .map(|(code, [kk, ru, en])| ActiveModel {
                code: Set(code),
                name_kk: Set(kk),
                name_ru: Set(ru),
                name_en: Set(en),
            })
            .collect();
        let names = [Column::NameKk, Column::NameRu, Column::NameEn];
        upsert_classifier($db, models, Column::Code, names).await
    }};
}
// By path: the import's dispatch, above it in the file, names it.
use store_classifier;

/// bin, kind, name, (locality, region), activity code, effective from (if given)
type EmployerRow = (
    String,
    OrganisationKind,
    String,
    Option<(String, String)>,
    Option<String>,
    Option<NaiveDate>,
);

/// Employers: creates them, or classifies those the feeds created (kind, locality, activity).
async fn import_employers(
    db: &DatabaseConnection,
    ctx: &mut ChunkContext,
    rows: Vec<(u64, Vec<String>)>,
    rejections: &mut Vec<Rejection>,
) -> ApiResult<(u64, u64)> {
    let mut valid = Vec::new();
    for (line, r) in rows {
        let parse = || -> RowResult<EmployerRow> {
            let bin =
                parsed("bin", Reason::InvalidBin, OrganisationId::parse(&r[0]))?.into_string();
            let kind: OrganisationKind = enum_value("kind", &r[1])?;
            let name = parsed(
                "name_ru",
                Reason::InvalidName,
                Name::parse(&r[2], "name_ru"),
            )?
            .into_string();
            let locality = match opt(&r[3]) {
                Some(k) => {
                    let region = ctx.localities.get(k).ok_or((
                        Some("locality_kato"),
                        Reason::UnknownLocality,
                        "unknown locality".to_owned(),
                    ))?;
                    Some((k.to_owned(), region.clone()))
                }
                None => None,
            };
            Ok((
                bin,
                kind,
                name,
                locality,
                opt(&r[4]).map(str::to_owned),
                effective_from(&r[5])?,
            ))
        };
        match parse() {
            Ok(v) => valid.push(v),
            Err(e) => reject(rejections, line, e),
        }
    }
    let txn = adal_core::db::begin_write(db).await?;
    let bins: Vec<String> = valid.iter().map(|v| v.0.clone()).collect();
    ctx.org_ids(&txn, bins.iter().cloned()).await?;
    // What each existing employer holds now: a change (or a first classification) gets a
    // version of its history and re-evaluates its graduates.
    let mut current: HashMap<String, organisation::Model> = HashMap::new();
    for chunk in bins.chunks(1000) {
        for o in organisation::Entity::find()
            .filter(organisation::Column::Bin.is_in(chunk.iter().cloned()))
            .all(&txn)
            .await?
        {
            current.insert(o.bin.clone(), o);
        }
    }
    // Their histories, to compare a change with the values in force on its date.
    let ids: Vec<i64> = current.values().map(|o| o.id).collect();
    let mut history: HashMap<i64, Vec<organisation_history::Model>> = HashMap::new();
    for chunk in ids.chunks(1000) {
        for v in organisation_history::Entity::find()
            .filter(organisation_history::Column::OrganisationId.is_in(chunk.iter().copied()))
            .order_by_asc(organisation_history::Column::EffectiveFrom)
            .order_by_asc(organisation_history::Column::Id)
            .all(&txn)
            .await?
        {
            history.entry(v.organisation_id).or_default().push(v);
        }
    }
    let now = Utc::now();
    let mut accepted = 0;
    let mut versions = Vec::new();
    let (actor, batch_id) = (ctx.actor, ctx.batch_id);
    for (bin, kind, name, loc, activity, given) in valid {
        let (locality, region) = loc.map_or((None, None), |(l, r)| (Some(l), Some(r)));
        let from = effective_or_default(given, !current.contains_key(&bin));
        let differs = |k: &str, l: &Option<String>, r: &Option<String>, a: &Option<String>| {
            k != kind.as_str() || *l != locality || *r != region || *a != activity
        };
        let version = |organisation_id| organisation_history::ActiveModel {
            organisation_id: Set(organisation_id),
            kind: Set(kind.as_str().into()),
            locality_kato: Set(locality.clone()),
            region_kato: Set(region.clone()),
            activity_code: Set(activity.clone()),
            effective_from: Set(from),
            recorded_at: Set(now),
            recorded_by: Set(actor),
            batch_id: Set(Some(batch_id)),
            ..Default::default()
        };
        match ctx.orgs.get(&bin) {
            Some(id) => {
                // The version in force on the date (before the first: the first).
                let in_force = history.get(id).and_then(|h| {
                    h.iter()
                        .rev()
                        .find(|v| v.effective_from <= from)
                        .or(h.first())
                });
                let changed = current.get(&bin).is_none_or(|o| {
                    o.needs_classification
                        || differs(&o.kind, &o.locality_kato, &o.region_kato, &o.activity_code)
                }) || in_force.is_some_and(|v| {
                    differs(&v.kind, &v.locality_kato, &v.region_kato, &v.activity_code)
                });
                if changed {
                    versions.push(version(*id));
                    ctx.touched_orgs.insert(*id);
                }
                organisation::Entity::update_many()
                    .col_expr(organisation::Column::Kind, kind.as_str().into())
                    .col_expr(organisation::Column::LocalityKato, locality.clone().into())
                    .col_expr(organisation::Column::RegionKato, region.clone().into())
                    .col_expr(organisation::Column::ActivityCode, activity.clone().into())
                    .col_expr(organisation::Column::NeedsClassification, false.into())
                    .col_expr(organisation::Column::UpdatedAt, now.into())
                    .filter(organisation::Column::Id.eq(*id))
                    .exec(&txn)
                    .await?;
            }
            None => {
                let m = organisation::ActiveModel {
                    bin: Set(bin.clone()),
                    kind: Set(kind.as_str().into()),
                    name_kk: Set(name.clone()),
                    name_ru: Set(name.clone()),
                    name_en: Set(name),
                    locality_kato: Set(locality.clone()),
                    region_kato: Set(region.clone()),
                    parent_id: Set(None),
                    activity_code: Set(activity.clone()),
                    address: Set(None),
                    needs_classification: Set(false),
                    created_at: Set(now),
                    updated_at: Set(now),
                    ..Default::default()
                }
                .insert(&txn)
                .await?;
                versions.push(version(m.id));
                ctx.orgs.insert(bin, m.id);
            }
        }
        accepted += 1;
    }
    for chunk in versions.chunks(500) {
        organisation_history::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(&txn)
            .await?;
    }
    txn.commit().await?;
    Ok((accepted, 0))
}

struct GraduateRow {
    iin: Iin,
    last: String,
    first: String,
    middle: Option<String>,
    birth: Option<NaiveDate>,
    phone: Option<String>,
    email: Option<String>,
    language: Language,
    university: String,
    specialty_code: String,
    specialty_name: String,
    group: SpecialtyGroup,
    level: StudyLevel,
    category: FundingCategory,
    home_region: Option<String>,
    study_start: NaiveDate,
    graduation: NaiveDate,
    grant_months: i32,
    programme_months: i32,
    budget_cost: i64,
    referral: Option<(String, Option<NaiveDate>)>,
}

fn parse_graduate(r: &[String]) -> RowResult<GraduateRow> {
    let iin = parsed("iin", Reason::InvalidIin, Iin::parse(&r[0]))?;
    let name = |i: usize, f: &'static str| -> RowResult<String> {
        Ok(parsed(f, Reason::InvalidName, Name::parse(&r[i], f))?.into_string())
    };
    let months = |i: usize, f: &'static str| -> RowResult<i32> {
        let v = int(f, &r[i])?;
        if !(1..=240).contains(&v) {
            return Err((
                Some(f),
                Reason::MonthsOutOfRange,
                format!("{f} must be between 1 and 240"),
            ));
        }
        Ok(v as i32)
    };
    let graduation = date("graduation_date", &r[16])?;
    let study_start = date("study_start", &r[15])?;
    if study_start >= graduation {
        return Err((
            Some("study_start"),
            Reason::StudyOrder,
            "study must start before graduation".into(),
        ));
    }
    let grant_months = months(17, "grant_months")?;
    let programme_months = months(18, "programme_months")?;
    if grant_months > programme_months {
        return Err((
            Some("grant_months"),
            Reason::GrantExceedsProgramme,
            "grant months exceed the programme".into(),
        ));
    }
    let budget_cost = money_tiyn("budget_cost_kzt", &r[19])? / 100;
    let (level, category): (StudyLevel, FundingCategory) = (
        enum_value("level", &r[12])?,
        enum_value("funding_category", &r[13])?,
    );
    if !category.admits(level) {
        return Err((
            Some("level"),
            Reason::LevelNotAdmitted,
            format!(
                "a {} grant is for {} graduates, not {}",
                category.as_str(),
                category.as_str(),
                level.as_str()
            ),
        ));
    }
    let code = r[9].trim();
    if code.is_empty() || code.len() > 32 {
        return Err((
            Some("specialty_code"),
            Reason::InvalidCode,
            "specialty code must be 1 to 32 characters".into(),
        ));
    }
    Ok(GraduateRow {
        last: name(1, "last_name")?,
        first: name(2, "first_name")?,
        middle: opt(&r[3]).map(str::to_owned),
        birth: opt(&r[4]).map(|d| date("birth_date", d)).transpose()?,
        phone: opt(&r[5])
            .map(|p| {
                parsed("phone", Reason::InvalidPhone, Phone::parse(p))
                    .map(|p| p.as_str().to_owned())
            })
            .transpose()?,
        email: opt(&r[6])
            .map(|e| {
                parsed("email", Reason::InvalidEmail, Email::parse(e))
                    .map(|e| e.as_str().to_owned())
            })
            .transpose()?,
        language: opt(&r[7])
            .map(|l| enum_value("language", l))
            .transpose()?
            .unwrap_or(Language::Ru),
        university: parsed(
            "university_bin",
            Reason::InvalidBin,
            OrganisationId::parse(&r[8]),
        )?
        .into_string(),
        specialty_code: code.to_owned(),
        specialty_name: name(10, "specialty_name")?,
        group: enum_value("specialty_group", &r[11])?,
        level,
        category,
        home_region: opt(&r[14])
            .map(|k| {
                parsed("home_region_kato", Reason::InvalidKato, Kato::parse(k))
                    .map(Kato::into_string)
            })
            .transpose()?,
        study_start,
        graduation,
        grant_months,
        programme_months,
        budget_cost,
        referral: match opt(&r[20]) {
            Some(bin) => Some((
                parsed(
                    "referral_employer_bin",
                    Reason::InvalidBin,
                    OrganisationId::parse(bin),
                )?
                .into_string(),
                opt(&r[21]).map(|d| date("referral_date", d)).transpose()?,
            )),
            None => None,
        },
        iin,
    })
}

/// Graduates: persons are created by IIN when new (an existing person is kept as is), the
/// graduate row once per grant, and the obligation with its term by the current rules.
async fn import_graduates(
    db: &DatabaseConnection,
    ctx: &mut ChunkContext,
    rows: Vec<(u64, Vec<String>)>,
    rejections: &mut Vec<Rejection>,
) -> ApiResult<(u64, u64)> {
    // `Expr::not`; imported here, where `Ord::max` is not needed.
    use sea_orm::sea_query::ExprTrait as _;
    let mut valid = Vec::new();
    for (line, r) in rows {
        match parse_graduate(&r) {
            Ok(g) => valid.push((line, g)),
            Err(e) => reject(rejections, line, e),
        }
    }
    let txn = adal_core::db::begin_write(db).await?;
    let mut bins: Vec<String> = Vec::with_capacity(valid.len());
    for (_, g) in &valid {
        bins.push(g.university.clone());
        if let Some((bin, _)) = &g.referral {
            bins.push(bin.clone());
        }
    }
    ctx.org_ids(&txn, bins.into_iter()).await?;
    let mut kept = Vec::new();
    for (line, g) in valid {
        if !ctx.orgs.contains_key(&g.university) {
            reject(
                rejections,
                line,
                (
                    Some("university_bin"),
                    Reason::UnknownUniversity,
                    "unknown university".into(),
                ),
            );
        } else if g
            .referral
            .as_ref()
            .is_some_and(|r| !ctx.orgs.contains_key(&r.0))
        {
            reject(
                rejections,
                line,
                (
                    Some("referral_employer_bin"),
                    Reason::UnknownEmployer,
                    "unknown employer".into(),
                ),
            );
        } else {
            kept.push(g);
        }
    }
    let now = Utc::now();
    // Persons, by IIN.
    let iins: Vec<String> = kept.iter().map(|g| g.iin.as_str().to_owned()).collect();
    let mut person_ids: HashMap<String, i64> = HashMap::new();
    person_ids.extend(persons_with_iins(&txn, &iins).await?);
    let mut seen = HashSet::new();
    let new_people: Vec<person::ActiveModel> = kept
        .iter()
        .filter(|g| !person_ids.contains_key(g.iin.as_str()) && seen.insert(g.iin.as_str()))
        .map(|g| person::ActiveModel {
            iin: Set(g.iin.as_str().to_owned()),
            last_name: Set(g.last.clone()),
            first_name: Set(g.first.clone()),
            middle_name: Set(g.middle.clone()),
            birth_date: Set(g.birth.or_else(|| g.iin.birth_date_hint())),
            phone: Set(g.phone.clone()),
            email: Set(g.email.clone()),
            language: Set(g.language.as_str().into()),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        })
        .collect();
    if !new_people.is_empty() {
        person::Entity::insert_many(new_people)
            .on_conflict(
                OnConflict::column(person::Column::Iin)
                    .do_nothing()
                    .to_owned(),
            )
            .exec_without_returning(&txn)
            .await?;
        person_ids.extend(persons_with_iins(&txn, &iins).await?);
    }
    let models: Vec<graduate::ActiveModel> = kept
        .iter()
        .filter_map(|g| {
            let mut line = graduate::ActiveModel {
                person_id: Set(*person_ids.get(g.iin.as_str())?),
                university_id: Set(*ctx.orgs.get(&g.university)?),
                specialty_code: Set(g.specialty_code.clone()),
                specialty_name: Set(g.specialty_name.clone()),
                specialty_group: Set(g.group.as_str().into()),
                level: Set(g.level.as_str().into()),
                funding_category: Set(g.category.as_str().into()),
                home_region_kato: Set(g.home_region.clone()),
                study_start: Set(g.study_start),
                graduation_date: Set(g.graduation),
                listed_graduation_date: Set(g.graduation),
                grant_months: Set(g.grant_months),
                programme_months: Set(g.programme_months),
                budget_cost: Set(g.budget_cost),
                referral_employer_id: Set(g
                    .referral
                    .as_ref()
                    .and_then(|r| ctx.orgs.get(&r.0).copied())),
                referral_date: Set(g.referral.as_ref().and_then(|r| r.1)),
                batch_id: Set(Some(ctx.batch_id)),
                created_at: Set(now),
                ..Default::default()
            };
            let listed = super::correction::listed_study(&line);
            line.listed_study = Set(Some(serde_json::Value::Object(listed).to_string()));
            Some(line)
        })
        .collect();
    let total = models.len() as u64;
    // A grant already held (same person, university, specialty and listed graduation date)
    // whose line now says something else than the university's line before is its correction:
    // its study data are updated, what changed goes on the trail, and the graduate is
    // re-evaluated. A line repeated as it was leaves an operator's correction standing.
    let corrected = correct_graduates(&txn, &models, ctx.batch_id).await?;
    ctx.touched.extend(corrected.iter().cloned());
    let mut inserted = 0;
    if !models.is_empty() {
        inserted = graduate::Entity::insert_many(models)
            .on_conflict(
                OnConflict::columns([
                    graduate::Column::PersonId,
                    graduate::Column::UniversityId,
                    graduate::Column::SpecialtyCode,
                    graduate::Column::ListedGraduationDate,
                ])
                .do_nothing()
                .to_owned(),
            )
            .exec_without_returning(&txn)
            .await?;
    }
    // One obligation for every graduate of this chunk's people that has none yet: looked up
    // by person and probed by graduate, so each chunk costs its own rows (a `NOT IN` over every
    // obligation, or a filter on the batch, grew with every chunk before it).
    let chunk_people: Vec<i64> = person_ids.values().copied().collect();
    let new_graduates = graduate::Entity::find()
        .filter(graduate::Column::PersonId.is_in(chunk_people))
        .filter(
            Expr::exists(
                Query::select()
                    .expr(Expr::val(1))
                    .from(obligation::Entity)
                    .and_where(
                        Expr::col((obligation::Entity, obligation::Column::GraduateId))
                            .equals((graduate::Entity, graduate::Column::Id)),
                    )
                    .to_owned(),
            )
            .not(),
        )
        .all(&txn)
        .await?;
    let (version, rules) = (super::evaluate::current_rules(&txn).await?.0, &ctx.rules);
    let obligations: Vec<obligation::ActiveModel> = new_graduates
        .iter()
        .map(|g| {
            let category = FundingCategory::from_db(&g.funding_category)
                .unwrap_or(FundingCategory::StateOrder);
            obligation::ActiveModel {
                graduate_id: Set(g.id),
                required_months: Set(rules.required_months(
                    category,
                    g.grant_months,
                    g.programme_months,
                )),
                start_date: Set(start_of(g.graduation_date)),
                status: Set(ObligationStatus::NotStarted.as_str().into()),
                credited_months: Set(0),
                projected_completion: Set(None),
                rule_version: Set(version),
                explanation: Set("{}".into()),
                evaluated_at: Set(now),
                horizon: Set(None),
                last_employer_id: Set(None),
                created_at: Set(now),
                ..Default::default()
            }
        })
        .collect();
    for chunk in obligations.chunks(1000) {
        obligation::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(&txn)
            .await?;
    }
    adal_core::generation::bump(&txn, adal_core::generation::REGISTER).await?;
    txn.commit().await?;
    let taken = inserted + corrected.len() as u64;
    Ok((taken, total.saturating_sub(taken)))
}

/// The persons with these (checked) IINs, by IIN.
async fn persons_with_iins(
    db: &impl ConnectionTrait,
    iins: &[String],
) -> ApiResult<Vec<(String, i64)>> {
    if db.get_database_backend() == DbBackend::Postgres {
        let stmt = super::evaluate::persons_with_iins_postgres("p.iin, p.id", "", iins);
        let rows = db.query_all_raw(stmt).await?;
        return Ok(rows
            .iter()
            .map(|r| Ok((r.try_get_by_index(0)?, r.try_get_by_index(1)?)))
            .collect::<Result<_, sea_orm::DbErr>>()?);
    }
    Ok(person::Entity::find()
        .select_only()
        .column(person::Column::Iin)
        .column(person::Column::Id)
        .filter(person::Column::Iin.is_in(iins.iter().cloned()))
        .into_tuple()
        .all(db)
        .await?)
}

/// Updates the grants of `models` that exist with other study data, recording each change on
/// the audit trail; returns the IINs of the graduates corrected.
async fn correct_graduates(
    txn: &DatabaseTransaction,
    models: &[graduate::ActiveModel],
    batch_id: i64,
) -> ApiResult<Vec<String>> {
    let key =
        |person: i64, uni: i64, code: &str, grad: NaiveDate| (person, uni, code.to_owned(), grad);
    let persons: Vec<i64> = models
        .iter()
        .filter_map(|m| m.person_id.try_as_ref().copied())
        .collect();
    if persons.is_empty() {
        return Ok(Vec::new());
    }
    let held = graduate::Entity::find()
        .filter(graduate::Column::PersonId.is_in(persons))
        .all(txn)
        .await?;
    // The grants by their key, and by the same study started on the same day: a line whose
    // graduation date alone differs from the one grant of that study is its new date.
    let mut by_start: HashMap<_, Vec<&graduate::Model>> = HashMap::new();
    for g in &held {
        by_start
            .entry(key(
                g.person_id,
                g.university_id,
                &g.specialty_code,
                g.study_start,
            ))
            .or_default()
            .push(g);
    }
    let existing: HashMap<_, &graduate::Model> = held
        .iter()
        .map(|g| {
            (
                key(
                    g.person_id,
                    g.university_id,
                    &g.specialty_code,
                    g.listed_graduation_date,
                ),
                g,
            )
        })
        .collect();
    let mut corrected_people = Vec::new();
    for m in models {
        let (Some(person), Some(uni), Some(code), Some(grad), Some(start)) = (
            m.person_id.try_as_ref().copied(),
            m.university_id.try_as_ref().copied(),
            m.specialty_code.try_as_ref(),
            m.listed_graduation_date.try_as_ref().copied(),
            m.study_start.try_as_ref().copied(),
        ) else {
            continue;
        };
        let (old, new_date) = match existing.get(&key(person, uni, code, grad)) {
            Some(old) => (*old, false),
            None => match by_start
                .get(&key(person, uni, code, start))
                .map(Vec::as_slice)
            {
                Some([old]) => (*old, true),
                _ => continue,
            },
        };
        let listed: Option<serde_json::Map<String, serde_json::Value>> = old
            .listed_study
            .as_deref()
            .and_then(|s| serde_json::from_str(s).ok());
        let (mut am, changes) = super::correction::study_changes(old, m, listed.as_ref());
        let line = m.listed_study.try_as_ref().cloned().flatten();
        if changes.is_empty() && old.listed_study == line {
            continue;
        }
        // What the university says now is what its next line is compared with.
        am.listed_study = Set(line);
        if new_date {
            am.listed_graduation_date = Set(grad);
        }
        am.update(txn).await?;
        if let Some(d) = changes
            .get("graduation_date")
            .and(m.graduation_date.try_as_ref())
        {
            super::correction::move_start(txn, old.id, *d).await?;
        }
        if changes.is_empty() {
            continue;
        }
        audit::record(
            txn,
            None,
            "graduate.corrected",
            "graduate",
            old.id,
            serde_json::json!({ "batch": batch_id, "changes": changes }),
        )
        .await?;
        corrected_people.push(old.person_id);
    }
    if corrected_people.is_empty() {
        return Ok(Vec::new());
    }
    Ok(person::Entity::find()
        .filter(person::Column::Id.is_in(corrected_people))
        .all(txn)
        .await?
        .into_iter()
        .map(|p| p.iin)
        .collect())
}

/// Work starts on 1 September of the graduation year, and never before the month after
/// graduation: a doctoral defence in December starts the obligation on 1 January.
pub fn start_of(graduation: NaiveDate) -> NaiveDate {
    let september = NaiveDate::from_ymd_opt(graduation.year(), 9, 1).unwrap_or(graduation);
    let month_after = graduation
        .with_day(1)
        .and_then(|d| d.checked_add_months(chrono::Months::new(1)))
        .unwrap_or(graduation);
    september.max(month_after)
}

/// One checked contribution row.
struct ContributionRow {
    iin: String,
    employer: String,
    period: Period,
    payment_date: Option<NaiveDate>,
    amount: Option<i64>,
    code: &'static str,
}

/// The columns of a contribution feed (`ImportKind::columns`).
const CONTRIBUTION_COLUMNS: usize = 8;

/// A chunk of contribution rows, checked and sorted by key (neighbouring rows land in
/// neighbouring index pages, however the feed is ordered), with what the importer needs besides
/// the rows: the distinct IINs (whose obligations to re-evaluate) and each employer's name and
/// address as first seen (to create the employers Adal does not know).
#[derive(Default)]
struct ContributionChunk {
    rows: Vec<ContributionRow>,
    /// The latest month among the rows.
    latest: Option<Period>,
    iins: HashSet<String>,
    employers: HashMap<String, (String, Option<String>)>,
}

impl ContributionChunk {
    /// Checks one row (the feed's columns in `ImportKind::columns` order) and keeps it.
    fn push(&mut self, r: &[&str; CONTRIBUTION_COLUMNS]) -> RowResult<()> {
        let iin = parsed("iin", Reason::InvalidIin, Iin::parse(r[0]))?;
        let employer = parsed(
            "employer_id",
            Reason::InvalidBin,
            OrganisationId::parse(r[1]),
        )?
        .into_string();
        let code = match r[7].trim() {
            "010" | "10" => "010",
            "012" | "12" => "012",
            _ => {
                return Err((
                    Some("payment_code"),
                    Reason::InvalidPaymentCode,
                    "payment_code must be 010 (OPV) or 012 (SO)".into(),
                ));
            }
        };
        let row = ContributionRow {
            iin: iin.as_str().to_owned(),
            employer,
            period: parsed("period", Reason::InvalidPeriod, Period::parse(r[4]))?,
            payment_date: opt(r[5]).map(|d| date("payment_date", d)).transpose()?,
            amount: opt(r[6]).map(|a| money_tiyn("amount_kzt", a)).transpose()?,
            code,
        };
        if !self.employers.contains_key(&row.employer) {
            self.employers.insert(
                row.employer.clone(),
                (
                    opt(r[2]).unwrap_or("").chars().take(200).collect(),
                    opt(r[3]).map(|a| a.chars().take(300).collect()),
                ),
            );
        }
        if !self.iins.contains(&row.iin) {
            self.iins.insert(row.iin.clone());
        }
        self.latest = self.latest.max(Some(row.period));
        self.rows.push(row);
        Ok(())
    }

    fn finish(&mut self) {
        self.rows.sort_unstable_by(|a, b| {
            (&a.iin, a.period, &a.employer, a.code).cmp(&(&b.iin, b.period, &b.employer, b.code))
        });
    }
}

/// An employer the platform did not know, as evidence names it (a feed's row, an accepted
/// document): an employer by kind until the operator classifies it; named by its BIN when the
/// evidence gives no name.
pub(crate) fn unclassified_employer(
    bin: String,
    name: String,
    address: Option<String>,
    now: chrono::DateTime<Utc>,
) -> organisation::ActiveModel {
    let name = if name.is_empty() { bin.clone() } else { name };
    organisation::ActiveModel {
        bin: Set(bin),
        kind: Set(OrganisationKind::Employer.as_str().into()),
        name_kk: Set(name.clone()),
        name_ru: Set(name.clone()),
        name_en: Set(name),
        locality_kato: Set(None),
        region_kato: Set(None),
        parent_id: Set(None),
        activity_code: Set(None),
        address: Set(address),
        needs_classification: Set(true),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
}

/// Contributions: employers the platform does not know are created from the feed and wait for
/// classification; rows are stored once whatever feed repeats them.
async fn import_contributions(
    db: &DatabaseConnection,
    ctx: &mut ChunkContext,
    chunk: ContributionChunk,
) -> ApiResult<Store> {
    let ContributionChunk {
        rows,
        iins,
        employers,
        latest: _,
    } = chunk;
    ctx.touched.extend(iins);
    // Unknown employers.
    ctx.org_ids(db, employers.keys().cloned()).await?;
    let now = Utc::now();
    let models: Vec<organisation::ActiveModel> = employers
        .into_iter()
        .filter(|(bin, _)| !ctx.orgs.contains_key(bin))
        .map(|(bin, (name, address))| unclassified_employer(bin, name, address, now))
        .collect();
    if !models.is_empty() {
        let bins: Vec<String> = models
            .iter()
            .filter_map(|m| m.bin.try_as_ref().cloned())
            .collect();
        for chunk in models.chunks(1000) {
            organisation::Entity::insert_many(chunk.to_vec())
                .on_conflict(
                    OnConflict::column(organisation::Column::Bin)
                        .do_nothing()
                        .to_owned(),
                )
                .exec_without_returning(db)
                .await?;
        }
        ctx.org_ids(db, bins.into_iter()).await?;
    }
    let n = rows.len() as u64;
    Ok(match db.get_database_backend() {
        DbBackend::Postgres => {
            let (db, batch_id) = (db.clone(), ctx.batch_id);
            Store::Running {
                rows: n,
                task: tokio::spawn(async move {
                    insert_contributions_postgres(&db, batch_id, rows).await
                }),
            }
        }
        _ => {
            let accepted = insert_contributions(db, ctx.batch_id, &rows).await?;
            Store::Done {
                accepted,
                duplicates: n - accepted,
            }
        }
    })
}

async fn insert_contributions(
    db: &DatabaseConnection,
    batch_id: i64,
    rows: &[ContributionRow],
) -> ApiResult<u64> {
    let txn = adal_core::db::begin_write(db).await?;
    let mut inserted = 0;
    for chunk in rows.chunks(2000) {
        inserted +=
            contribution::Entity::insert_many(chunk.iter().map(|c| contribution::ActiveModel {
                iin: Set(c.iin.clone()),
                employer_bin: Set(c.employer.clone()),
                period: Set(c.period.as_i32()),
                payment_code: Set(c.code.into()),
                payment_date: Set(c.payment_date),
                amount: Set(c.amount),
                batch_id: Set(batch_id),
            }))
            .on_conflict(
                OnConflict::columns([
                    contribution::Column::Iin,
                    contribution::Column::Period,
                    contribution::Column::EmployerBin,
                    contribution::Column::PaymentCode,
                ])
                .do_nothing()
                .to_owned(),
            )
            .exec_without_returning(&txn)
            .await?;
    }
    txn.commit().await?;
    Ok(inserted)
}

/// PostgreSQL: the whole chunk in one `INSERT ... SELECT FROM unnest(arrays) ON CONFLICT DO
/// NOTHING`, six bound arrays in binary form. The chunk commits without waiting for the WAL
/// flush: the batch's final status update, committed normally after the last chunk, flushes
/// the WAL before it (and so every chunk) before the import reports success.
async fn insert_contributions_postgres(
    db: &DatabaseConnection,
    batch_id: i64,
    rows: Vec<ContributionRow>,
) -> ApiResult<u64> {
    use sea_orm::sqlx;
    let n = rows.len();
    let (mut iins, mut periods, mut employers, mut codes, mut dates, mut amounts) = (
        Vec::with_capacity(n),
        Vec::with_capacity(n),
        Vec::with_capacity(n),
        Vec::with_capacity(n),
        Vec::with_capacity(n),
        Vec::with_capacity(n),
    );
    for c in rows {
        iins.push(c.iin);
        periods.push(c.period.as_i32());
        employers.push(c.employer);
        codes.push(c.code);
        dates.push(c.payment_date);
        amounts.push(c.amount);
    }
    let pool = db.get_postgres_connection_pool();
    let result: Result<u64, sqlx::Error> = async {
        let mut tx = pool.begin().await?;
        sqlx::query("SET LOCAL synchronous_commit = off")
            .execute(&mut *tx)
            .await?;
        let res = sqlx::query(
            "INSERT INTO contribution \
             (iin, period, employer_bin, payment_code, payment_date, amount, batch_id) \
             SELECT v.*, $7 FROM unnest($1::varchar[], $2::integer[], $3::varchar[], \
                                        $4::varchar[], $5::date[], $6::bigint[]) AS v \
             ON CONFLICT (iin, period, employer_bin, payment_code) DO NOTHING",
        )
        .bind(iins)
        .bind(periods)
        .bind(employers)
        .bind(codes)
        .bind(dates)
        .bind(amounts)
        .bind(batch_id)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(res.rows_affected())
    }
    .await;
    result.map_err(ApiError::internal)
}

/// Imported files, newest first.
pub async fn list_batches(
    db: &DatabaseConnection,
    page: &adal_core::pagination::PageRequest,
) -> ApiResult<(Vec<import_batch::Model>, u64)> {
    use sea_orm::{PaginatorTrait, QueryOrder};
    let total = import_batch::Entity::find().count(db).await?;
    let mut q = import_batch::Entity::find().order_by_desc(import_batch::Column::Id);
    if let Some(a) = page.after_id()? {
        q = q.filter(import_batch::Column::Id.lt(a));
    }
    Ok((q.limit(page.fetch_limit()).all(db).await?, total))
}

/// The first `limit` rejected lines of a batch, by line.
pub async fn rejections(
    db: &DatabaseConnection,
    batch_id: i64,
    limit: u64,
) -> ApiResult<Vec<import_rejection::Model>> {
    Ok(import_rejection::Entity::find()
        .filter(import_rejection::Column::BatchId.eq(batch_id))
        .order_by_asc(import_rejection::Column::Line)
        .order_by_asc(import_rejection::Column::Id)
        .limit(limit)
        .all(db)
        .await?)
}

/// The rejected lines of a batch, as CSV (`line,field,reason`).
pub async fn rejection_report(db: &DatabaseConnection, batch_id: i64) -> ApiResult<String> {
    let rows = import_rejection::Entity::find()
        .filter(import_rejection::Column::BatchId.eq(batch_id))
        .all(db)
        .await?;
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record(["line", "field", "reason"]);
    let mut rows = rows;
    rows.sort_by_key(|r| r.line);
    for r in rows {
        let _ = w.write_record([r.line.to_string(), r.field.unwrap_or_default(), r.reason]);
    }
    let bytes = w
        .into_inner()
        .map_err(|e| ApiError::internal(anyhow::anyhow!("{e}")))?;
    String::from_utf8(bytes).map_err(ApiError::internal)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_obligation_starts_in_september_and_never_before_the_month_after_graduation() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        // A June graduation: 1 September of that year.
        assert_eq!(start_of(d(2025, 6, 30)), d(2025, 9, 1));
        // Graduated on 1 August: September still.
        assert_eq!(start_of(d(2025, 8, 1)), d(2025, 9, 1));
        // A defence on 20 September: October, the month after.
        assert_eq!(start_of(d(2025, 9, 20)), d(2025, 10, 1));
        // A doctoral defence on 15 December: January of the next year, not the September before.
        assert_eq!(start_of(d(2025, 12, 15)), d(2026, 1, 1));
    }

    #[test]
    fn money_is_kept_in_tiyn() {
        assert_eq!(money_tiyn("a", "15000").unwrap(), 1_500_000);
        assert_eq!(money_tiyn("a", "15000.5").unwrap(), 1_500_050);
        assert_eq!(money_tiyn("a", "1 500,25").unwrap(), 150_025);
        assert!(money_tiyn("a", "-5").is_err());
        assert!(money_tiyn("a", "abc").is_err());
    }

    #[test]
    fn contribution_rows_are_checked() {
        let check = |iin: &str, code: &str, period: &str| {
            ContributionChunk::default()
                .push(&[iin, "940140000385", "X", "", period, "", "", code])
                .err()
                .map(|e| (e.0, e.1))
        };
        let iin = adal_core::identifiers::with_check_digit("95010130001").unwrap();
        assert_eq!(check(&iin, "010", "2024-09"), None);
        assert_eq!(
            check(&iin, "011", "2024-09"),
            Some((Some("payment_code"), Reason::InvalidPaymentCode))
        );
        assert_eq!(
            check(&iin, "010", "2024-13"),
            Some((Some("period"), Reason::InvalidPeriod))
        );
        assert_eq!(
            check("950101300011", "010", "2024-09"),
            Some((Some("iin"), Reason::InvalidIin))
        );
    }

    #[test]
    fn contribution_chunks_sort_by_key_and_keep_each_employer_once() {
        let a = adal_core::identifiers::with_check_digit("95010130001").unwrap();
        let b = adal_core::identifiers::with_check_digit("94010130001").unwrap();
        let mut chunk = ContributionChunk::default();
        for (iin, period, name) in [
            (&a, "2024-10", "First"),
            (&b, "2024-09", "Second"),
            (&a, "2024-09", ""),
        ] {
            chunk
                .push(&[iin, "940140000385", name, "", period, "", "", "010"])
                .unwrap();
        }
        chunk.finish();
        let keys: Vec<(&str, i32)> = chunk
            .rows
            .iter()
            .map(|r| (r.iin.as_str(), r.period.as_i32()))
            .collect();
        let (sep, oct) = (
            Period::parse("2024-09").unwrap().as_i32(),
            Period::parse("2024-10").unwrap().as_i32(),
        );
        assert_eq!(
            keys,
            vec![(b.as_str(), sep), (a.as_str(), sep), (a.as_str(), oct)]
        );
        assert_eq!(chunk.iins.len(), 2);
        assert_eq!(chunk.employers["940140000385"].0, "First");
    }
}
