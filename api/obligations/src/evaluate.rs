//! Evaluating obligations against their evidence: loads what the ledger reads, runs it, and
//! stores the summary (status, credited months, explanation, rule version) on the obligation.
//! Runs for the graduates an import or a decision touched, or for all after a rule change.

use std::collections::HashMap;

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DbBackend, EntityTrait,
    FromQueryResult, QueryFilter, QueryOrder, QuerySelect, Set, Statement, Value,
};

use entities::{
    claim, contribution, document_evidence, exemption, graduate, obligation, person, rule_set,
};

use super::import::{ImportKind, start_of};
use super::ledger::{self, Decision, Ledger, LedgerInput};
use super::period::Period;
use super::rules::{EmployerFacts, RuleSet};
use super::vocab::{ApplicationStatus, ClaimStatus, FundingCategory, MonthState, SpecialtyGroup};
use adal_core::error::{ApiError, ApiResult};
use adal_core::vocab::OrganisationKind;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EvalSummary {
    pub obligations: u64,
    pub rule_version: i32,
}

/// The rule set in force (the latest version); the defaults are saved as version 1 on first use.
pub async fn current_rules(db: &impl ConnectionTrait) -> ApiResult<(i32, RuleSet)> {
    if let Some(r) = rule_set::Entity::find()
        .order_by_desc(rule_set::Column::Version)
        .one(db)
        .await?
    {
        let rules = serde_json::from_str(&r.rules).map_err(ApiError::internal)?;
        return Ok((r.version, rules));
    }
    let rules = RuleSet::default();
    rule_set::ActiveModel {
        version: Set(1),
        rules: Set(serde_json::to_string(&rules).map_err(ApiError::internal)?),
        note: Set("defaults of the domain brief".into()),
        created_at: Set(Utc::now()),
        created_by: Set(None),
    }
    .insert(db)
    .await?;
    Ok((1, rules))
}

/// Every version of the rules, newest first (the defaults are saved on first use).
pub async fn rule_versions(db: &impl ConnectionTrait) -> ApiResult<Vec<rule_set::Model>> {
    current_rules(db).await?;
    Ok(rule_set::Entity::find()
        .order_by_desc(rule_set::Column::Version)
        .all(db)
        .await?)
}

/// Saves a new version of the rules with the reason for the change. Evaluations keep the version
/// they were made with until a re-evaluation runs.
pub async fn save_rules(
    db: &DatabaseConnection,
    actor_account: i64,
    rules: serde_json::Value,
    note: &str,
) -> ApiResult<rule_set::Model> {
    let parsed = RuleSet::from_json(rules)?;
    let note = note.trim();
    if note.chars().count() < 3 {
        return Err(ApiError::bad_input("note", "say why the rules change"));
    }
    let txn = adal_core::db::begin_write(db).await?;
    let (version, _) = current_rules(&txn).await?;
    let saved = rule_set::ActiveModel {
        version: Set(version + 1),
        rules: Set(serde_json::to_string(&parsed).map_err(ApiError::internal)?),
        note: Set(note.to_owned()),
        created_at: Set(Utc::now()),
        created_by: Set(Some(actor_account)),
    }
    .insert(&txn)
    .await
    .map_err(|e| {
        if adal_core::sql::is_unique_violation(&e) {
            ApiError::Conflict("the rules were changed meanwhile; reload and try again".into())
        } else {
            e.into()
        }
    })?;
    adal_core::audit::record(
        &txn,
        Some(actor_account),
        "rules.save",
        "rule_set",
        saved.version,
        serde_json::json!({ "note": saved.note }),
    )
    .await?;
    txn.commit().await?;
    Ok(saved)
}

/// The last month the evidence covers: the latest period in the feeds, but never the current
/// (incomplete) month.
pub async fn horizon(db: &impl ConnectionTrait) -> ApiResult<Period> {
    let today = Utc::now().date_naive();
    let last_complete = Period::of_date(today).plus(-1);
    let max: Option<i32> = contribution::Entity::find()
        .select_only()
        .column_as(contribution::Column::Period.max(), "max")
        .into_tuple::<Option<i32>>()
        .one(db)
        .await?
        .flatten();
    Ok(max
        .and_then(Period::from_i32)
        .map_or(last_complete, |p| p.min(last_complete)))
}

#[derive(FromQueryResult)]
struct OrgRow {
    id: i64,
    bin: String,
    kind: String,
    region_kato: Option<String>,
    needs_classification: bool,
    rural: Option<bool>,
}

/// Employer facts by BIN (kind, rural flag of the locality, region, classification state).
pub async fn employer_facts(
    db: &impl ConnectionTrait,
    bins: Option<&[String]>,
) -> ApiResult<HashMap<String, EmployerFacts>> {
    let mut sql = "SELECT o.id, o.bin, o.kind, o.region_kato, o.needs_classification, l.rural \
                   FROM organisation o LEFT JOIN locality l ON l.kato = o.locality_kato"
        .to_owned();
    let backend = db.get_database_backend();
    let mut values: Vec<Value> = Vec::new();
    if let Some(bins) = bins {
        if bins.is_empty() {
            return Ok(HashMap::new());
        }
        sql.push_str(" WHERE o.bin IN (");
        sql.push_str(&placeholders(backend, 1, bins.len()));
        sql.push(')');
        values.extend(bins.iter().map(|b| Value::from(b.clone())));
    }
    let rows = OrgRow::find_by_statement(Statement::from_sql_and_values(backend, sql, values))
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|o| {
            (
                o.bin,
                EmployerFacts {
                    id: o.id,
                    kind: OrganisationKind::from_db(&o.kind).unwrap_or(OrganisationKind::Other),
                    rural: o.rural.unwrap_or(false),
                    region: o.region_kato,
                    needs_classification: o.needs_classification,
                },
            )
        })
        .collect())
}

fn placeholders(backend: DbBackend, first: usize, n: usize) -> String {
    (first..first + n)
        .map(|i| match backend {
            DbBackend::Postgres => format!("${i}"),
            _ => "?".to_owned(),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// One graduate's evaluation inputs.
pub struct Subject {
    pub graduate: graduate::Model,
    pub obligation: obligation::Model,
    pub iin: String,
}

/// Loads graduates (with obligation and IIN) by id.
async fn subjects(db: &impl ConnectionTrait, ids: &[i64]) -> ApiResult<Vec<Subject>> {
    let grads = graduate::Entity::find()
        .filter(graduate::Column::Id.is_in(ids.iter().copied()))
        .all(db)
        .await?;
    let obls: HashMap<i64, obligation::Model> = obligation::Entity::find()
        .filter(obligation::Column::GraduateId.is_in(ids.iter().copied()))
        .all(db)
        .await?
        .into_iter()
        .map(|o| (o.graduate_id, o))
        .collect();
    let person_ids: Vec<i64> = grads.iter().map(|g| g.person_id).collect();
    let iins: HashMap<i64, String> = person::Entity::find()
        .select_only()
        .column(person::Column::Id)
        .column(person::Column::Iin)
        .filter(person::Column::Id.is_in(person_ids))
        .into_tuple::<(i64, String)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let mut out = Vec::with_capacity(grads.len());
    let mut obls = obls;
    for g in grads {
        if let (Some(o), Some(iin)) = (obls.remove(&g.id), iins.get(&g.person_id)) {
            out.push(Subject {
                iin: iin.clone(),
                obligation: o,
                graduate: g,
            });
        }
    }
    Ok(out)
}

/// What one chunk of subjects needs besides themselves.
pub struct Evidence {
    pub contributions: HashMap<String, Vec<(Period, String)>>,
    /// By graduate id: each month an accepted document proves, with the employer's BIN.
    pub documents: HashMap<i64, Vec<(Period, String)>>,
    pub decisions: HashMap<i64, Vec<Decision>>,
    pub claims: HashMap<i64, ClaimStatus>,
}

pub async fn evidence(db: &impl ConnectionTrait, subjects: &[Subject]) -> ApiResult<Evidence> {
    let iins: Vec<String> = subjects.iter().map(|s| s.iin.clone()).collect();
    let rows: Vec<(String, i32, String)> = contribution::Entity::find()
        .select_only()
        .column(contribution::Column::Iin)
        .column(contribution::Column::Period)
        .column(contribution::Column::EmployerBin)
        .filter(contribution::Column::Iin.is_in(iins))
        .into_tuple()
        .all(db)
        .await?;
    let mut contributions: HashMap<String, Vec<(Period, String)>> = HashMap::new();
    for (iin, period, bin) in rows {
        if let Some(p) = Period::from_i32(period) {
            contributions.entry(iin).or_default().push((p, bin));
        }
    }
    let gids: Vec<i64> = subjects.iter().map(|s| s.graduate.id).collect();
    let mut documents: HashMap<i64, Vec<(Period, String)>> = HashMap::new();
    for d in document_evidence::Entity::find()
        .filter(document_evidence::Column::GraduateId.is_in(gids.iter().copied()))
        .all(db)
        .await?
    {
        let (Some(from), Some(to)) = (
            Period::from_i32(d.period_from),
            Period::from_i32(d.period_to),
        ) else {
            continue;
        };
        let months = documents.entry(d.graduate_id).or_default();
        let mut p = from;
        while p <= to {
            months.push((p, d.employer_bin.clone()));
            p = p.next();
        }
    }
    let mut decisions: HashMap<i64, Vec<Decision>> = HashMap::new();
    for e in exemption::Entity::find()
        .filter(exemption::Column::GraduateId.is_in(gids))
        .filter(exemption::Column::Status.eq(ApplicationStatus::Approved.as_str()))
        .all(db)
        .await?
    {
        decisions.entry(e.graduate_id).or_default().push(Decision {
            suspension: e.kind == "suspension",
            from: e.period_start.map(Period::of_date),
            to: e.period_end.map(Period::of_date),
        });
    }
    let oids: Vec<i64> = subjects.iter().map(|s| s.obligation.id).collect();
    let mut claims = HashMap::new();
    for c in claim::Entity::find()
        .filter(claim::Column::ObligationId.is_in(oids))
        .order_by_asc(claim::Column::Id)
        .all(db)
        .await?
    {
        if let Some(s) = ClaimStatus::from_db(&c.status)
            && s != ClaimStatus::Withdrawn
        {
            claims.insert(c.obligation_id, s);
        }
    }
    Ok(Evidence {
        contributions,
        documents,
        decisions,
        claims,
    })
}

/// Runs the ledger of one subject.
pub fn ledger_of(
    s: &Subject,
    ev: &Evidence,
    employers: &HashMap<String, EmployerFacts>,
    by_id: &HashMap<i64, EmployerFacts>,
    rules: &RuleSet,
    horizon: Period,
) -> Ledger {
    let g = &s.graduate;
    let category =
        FundingCategory::from_db(&g.funding_category).unwrap_or(FundingCategory::StateOrder);
    let group = SpecialtyGroup::from_db(&g.specialty_group).unwrap_or(SpecialtyGroup::Other);
    let ids_of = |v: Option<&Vec<(Period, String)>>| -> Vec<(Period, i64)> {
        v.map(|v| {
            v.iter()
                .filter_map(|(p, bin)| employers.get(bin).map(|f| (*p, f.id)))
                .collect()
        })
        .unwrap_or_default()
    };
    let contributions = ids_of(ev.contributions.get(&s.iin));
    let documented = ids_of(ev.documents.get(&g.id));
    let no_decisions = Vec::new();
    ledger::evaluate(
        &LedgerInput {
            category,
            group,
            required_months: rules.required_months(category, g.grant_months, g.programme_months),
            start: Period::of_date(start_of(g.graduation_date)),
            horizon,
            contributions: &contributions,
            documented: &documented,
            employers: by_id,
            decisions: ev.decisions.get(&g.id).unwrap_or(&no_decisions),
            claim: ev.claims.get(&s.obligation.id).copied(),
        },
        rules,
    )
}

const CHUNK: usize = 1000;

/// Employers by BIN and by id, as the ledger reads them.
pub struct Employers {
    pub by_bin: HashMap<String, EmployerFacts>,
    pub by_id: HashMap<i64, EmployerFacts>,
}

impl Employers {
    fn new(by_bin: HashMap<String, EmployerFacts>) -> Self {
        let by_id = by_bin.values().map(|f| (f.id, f.clone())).collect();
        Self { by_bin, by_id }
    }
}

/// One chunk's inputs, loaded: the subjects, their evidence and, unless every employer was
/// loaded up front, the employers that evidence names.
struct Loaded {
    subjects: Vec<Subject>,
    evidence: Evidence,
    employers: Option<Employers>,
}

async fn load_chunk(db: &DatabaseConnection, ids: &[i64], employers: bool) -> ApiResult<Loaded> {
    let subjects = subjects(db, ids).await?;
    let evidence = evidence(db, &subjects).await?;
    let employers = if employers {
        Some(Employers::new(
            employer_facts(db, Some(&evidence_bins(&evidence))).await?,
        ))
    } else {
        None
    };
    Ok(Loaded {
        subjects,
        evidence,
        employers,
    })
}

/// Evaluates and stores the obligations of `ids` a chunk at a time, loading the next chunk
/// while the current one is evaluated and stored (two connections, so the database works on
/// both at once). `all` holds every employer; without it each chunk loads its own.
async fn evaluate_ids(
    db: &DatabaseConnection,
    ids: &[i64],
    all: Option<&Employers>,
    rules: &RuleSet,
    version: i32,
    horizon: Period,
) -> ApiResult<u64> {
    let mut chunks = ids.chunks(CHUNK);
    let Some(first) = chunks.next() else {
        return Ok(0);
    };
    let per_chunk = all.is_none();
    let mut current = load_chunk(db, first, per_chunk).await?;
    let mut n = 0;
    loop {
        let next = chunks.next();
        let store_current = async {
            // Loaded with the chunk exactly when `all` is absent.
            let employers = current
                .employers
                .as_ref()
                .or(all)
                .ok_or_else(|| ApiError::internal(anyhow::anyhow!("no employers loaded")))?;
            store(
                db,
                &current.subjects,
                &current.evidence,
                employers,
                rules,
                version,
                horizon,
            )
            .await
        };
        match next {
            Some(ids) => {
                let (stored, loaded) = tokio::join!(store_current, load_chunk(db, ids, per_chunk));
                n += stored?;
                current = loaded?;
            }
            None => {
                n += store_current.await?;
                return Ok(n);
            }
        }
    }
}

/// Re-evaluates the given graduates' obligations.
pub async fn evaluate_graduates(db: &DatabaseConnection, ids: &[i64]) -> ApiResult<u64> {
    if ids.is_empty() {
        return Ok(0);
    }
    let (version, rules) = current_rules(db).await?;
    let horizon = horizon(db).await?;
    // In id order, so each chunk reads neighbouring rows, and each graduate once.
    let mut ids = ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    // Past one chunk, loading every employer once is cheaper than a lookup per chunk.
    let all = if ids.len() > CHUNK {
        Some(Employers::new(employer_facts(db, None).await?))
    } else {
        None
    };
    let n = evaluate_ids(db, &ids, all.as_ref(), &rules, version, horizon).await?;
    super::history::record(db, horizon, version).await?;
    Ok(n)
}

/// Re-evaluates every obligation (after a rule change, or as a nightly check).
pub async fn reevaluate_all(db: &DatabaseConnection) -> ApiResult<EvalSummary> {
    let (version, rules) = current_rules(db).await?;
    let horizon = horizon(db).await?;
    let employers = Employers::new(employer_facts(db, None).await?);
    let ids: Vec<i64> = graduate::Entity::find()
        .select_only()
        .column(graduate::Column::Id)
        .order_by_asc(graduate::Column::Id)
        .into_tuple()
        .all(db)
        .await?;
    let n = evaluate_ids(db, &ids, Some(&employers), &rules, version, horizon).await?;
    super::history::record(db, horizon, version).await?;
    tracing::info!(
        obligations = n,
        rule_version = version,
        "full re-evaluation done"
    );
    Ok(EvalSummary {
        obligations: n,
        rule_version: version,
    })
}

/// Counts, without saving, how many obligations would change status under `rules`.
pub async fn preview(
    db: &DatabaseConnection,
    rules: &RuleSet,
) -> ApiResult<HashMap<(String, String), u64>> {
    let mut changes: HashMap<(String, String), u64> = HashMap::new();
    let horizon = horizon(db).await?;
    for_each_ledger(db, rules, horizon, |s, l| {
        let new = l.status.as_str();
        if new != s.obligation.status {
            *changes
                .entry((s.obligation.status.clone(), new.to_owned()))
                .or_default() += 1;
        }
    })
    .await?;
    Ok(changes)
}

/// Counts, without saving, how many obligations `rules` put in each status at the end of the
/// month `horizon` (the evidence after it ignored).
pub async fn statuses_at(
    db: &DatabaseConnection,
    rules: &RuleSet,
    horizon: Period,
) -> ApiResult<HashMap<&'static str, u64>> {
    let mut counts: HashMap<&'static str, u64> = HashMap::new();
    for_each_ledger(db, rules, horizon, |_, l| {
        *counts.entry(l.status.as_str()).or_default() += 1;
    })
    .await?;
    Ok(counts)
}

/// Computes every graduate's ledger under `rules` up to `horizon`, a chunk at a time, and hands
/// each to `f`; nothing is saved.
async fn for_each_ledger(
    db: &DatabaseConnection,
    rules: &RuleSet,
    horizon: Period,
    mut f: impl FnMut(&Subject, &Ledger),
) -> ApiResult<()> {
    let employers = Employers::new(employer_facts(db, None).await?);
    let ids: Vec<i64> = graduate::Entity::find()
        .select_only()
        .column(graduate::Column::Id)
        .order_by_asc(graduate::Column::Id)
        .into_tuple()
        .all(db)
        .await?;
    for chunk in ids.chunks(CHUNK) {
        let subs = subjects(db, chunk).await?;
        let ev = evidence(db, &subs).await?;
        for s in &subs {
            f(
                s,
                &ledger_of(s, &ev, &employers.by_bin, &employers.by_id, rules, horizon),
            );
        }
    }
    Ok(())
}

/// Evaluates a chunk's subjects and writes their obligations in one statement per backend.
async fn store(
    db: &DatabaseConnection,
    subs: &[Subject],
    ev: &Evidence,
    employers: &Employers,
    rules: &RuleSet,
    version: i32,
    horizon: Period,
) -> ApiResult<u64> {
    let mut ledgers = Vec::with_capacity(subs.len());
    for s in subs {
        let l = ledger_of(s, ev, &employers.by_bin, &employers.by_id, rules, horizon);
        let explanation = serde_json::to_string(&l.explanation).map_err(ApiError::internal)?;
        ledgers.push(Stored {
            id: s.obligation.id,
            ledger: l,
            explanation,
        });
    }
    let stamp = Stamp {
        version,
        horizon,
        at: Utc::now(),
    };
    if db.get_database_backend() == DbBackend::Postgres {
        store_postgres(db, &ledgers, &stamp).await?;
    } else {
        store_values(db, &ledgers, &stamp).await?;
    }
    adal_core::generation::bump(db, adal_core::generation::REGISTER).await?;
    Ok(ledgers.len() as u64)
}

/// One obligation's evaluation, ready to write.
struct Stored {
    id: i64,
    ledger: Ledger,
    explanation: String,
}

/// What every row of one evaluation run shares.
struct Stamp {
    version: i32,
    horizon: Period,
    at: chrono::DateTime<Utc>,
}

/// SQLite: `UPDATE ... FROM (VALUES ...)`, 500 rows a statement (under its parameter limit).
async fn store_values(db: &DatabaseConnection, rows: &[Stored], stamp: &Stamp) -> ApiResult<()> {
    const COLS: [&str; 11] = [
        "id",
        "status",
        "required_months",
        "credited_months",
        "projected_completion",
        "rule_version",
        "explanation",
        "evaluated_at",
        "horizon",
        "last_employer_id",
        "horizon_state",
    ];
    let backend = db.get_database_backend();
    for chunk in rows.chunks(500) {
        let mut sql = format!("WITH v({}) AS (VALUES ", COLS.join(", "));
        let mut values: Vec<Value> = Vec::with_capacity(chunk.len() * COLS.len());
        for (i, r) in chunk.iter().enumerate() {
            if i > 0 {
                sql.push_str(", ");
            }
            sql.push('(');
            sql.push_str(&vec!["?"; COLS.len()].join(", "));
            sql.push(')');
            let l = &r.ledger;
            values.extend([
                r.id.into(),
                l.status.as_str().into(),
                l.explanation.required_months.into(),
                l.credited.into(),
                l.projected_completion.map(|p| p.first_day()).into(),
                stamp.version.into(),
                r.explanation.clone().into(),
                stamp.at.into(),
                stamp.horizon.as_i32().into(),
                l.last_employer_id.into(),
                l.state_in(stamp.horizon).map(MonthState::as_str).into(),
            ]);
        }
        sql.push_str(") UPDATE obligation SET ");
        sql.push_str(
            &COLS[1..]
                .iter()
                .map(|c| format!("{c} = v.{c}"))
                .collect::<Vec<_>>()
                .join(", "),
        );
        sql.push_str(" FROM v WHERE obligation.id = v.id");
        db.execute_raw(Statement::from_sql_and_values(backend, sql, values))
            .await?;
    }
    Ok(())
}

/// PostgreSQL: the whole chunk in one `UPDATE ... FROM unnest(arrays)`, a handful of bound
/// arrays instead of ten parameters per obligation.
async fn store_postgres(db: &DatabaseConnection, rows: &[Stored], stamp: &Stamp) -> ApiResult<()> {
    use sea_orm::sqlx;
    let pool = db.get_postgres_connection_pool();
    sqlx::query(
        "UPDATE obligation SET status = v.status, required_months = v.required_months, \
         credited_months = v.credited_months, projected_completion = v.projected_completion, \
         explanation = v.explanation, last_employer_id = v.last_employer_id, \
         horizon_state = v.horizon_state, \
         rule_version = $9, evaluated_at = $10, horizon = $11 \
         FROM unnest($1::bigint[], $2::text[], $3::integer[], $4::integer[], $5::date[], \
                     $6::text[], $7::bigint[], $8::text[]) \
              AS v(id, status, required_months, credited_months, projected_completion, \
                   explanation, last_employer_id, horizon_state) \
         WHERE obligation.id = v.id",
    )
    .bind(rows.iter().map(|r| r.id).collect::<Vec<i64>>())
    .bind(
        rows.iter()
            .map(|r| r.ledger.status.as_str())
            .collect::<Vec<&str>>(),
    )
    .bind(
        rows.iter()
            .map(|r| r.ledger.explanation.required_months)
            .collect::<Vec<i32>>(),
    )
    .bind(rows.iter().map(|r| r.ledger.credited).collect::<Vec<i32>>())
    .bind(
        rows.iter()
            .map(|r| r.ledger.projected_completion.map(|p| p.first_day()))
            .collect::<Vec<_>>(),
    )
    .bind(
        rows.iter()
            .map(|r| r.explanation.as_str())
            .collect::<Vec<&str>>(),
    )
    .bind(
        rows.iter()
            .map(|r| r.ledger.last_employer_id)
            .collect::<Vec<Option<i64>>>(),
    )
    .bind(
        rows.iter()
            .map(|r| r.ledger.state_in(stamp.horizon).map(MonthState::as_str))
            .collect::<Vec<Option<&str>>>(),
    )
    .bind(stamp.version)
    .bind(stamp.at)
    .bind(stamp.horizon.as_i32())
    .execute(pool)
    .await
    .map_err(ApiError::internal)?;
    Ok(())
}

/// The graduates whose persons hold these IINs.
pub async fn graduates_with_iins(
    db: &impl ConnectionTrait,
    iins: &[String],
) -> ApiResult<Vec<i64>> {
    let mut ids = Vec::new();
    for chunk in iins.chunks(CHUNK) {
        let persons: Vec<i64> = person::Entity::find()
            .select_only()
            .column(person::Column::Id)
            .filter(person::Column::Iin.is_in(chunk.iter().cloned()))
            .into_tuple()
            .all(db)
            .await?;
        let found: Vec<i64> = graduate::Entity::find()
            .select_only()
            .column(graduate::Column::Id)
            .filter(graduate::Column::PersonId.is_in(persons))
            .into_tuple()
            .all(db)
            .await?;
        ids.extend(found);
    }
    Ok(ids)
}

/// The distinct employer BINs in a chunk's evidence (contributions and documents).
pub fn evidence_bins(ev: &Evidence) -> Vec<String> {
    let mut bins: Vec<String> = (ev.contributions.values())
        .chain(ev.documents.values())
        .flat_map(|v| v.iter().map(|(_, b)| b.clone()))
        .collect();
    bins.sort_unstable();
    bins.dedup();
    bins
}

/// Re-evaluates what a completed import touched (`touched_iins`: the IINs of a contribution
/// feed's rows).
pub async fn evaluate_batch(
    db: &DatabaseConnection,
    kind: ImportKind,
    batch_id: i64,
    touched_iins: &[String],
) -> ApiResult<u64> {
    match kind {
        ImportKind::Graduates => {
            // The batch's new graduates, and those it corrected.
            let mut ids: Vec<i64> = graduate::Entity::find()
                .select_only()
                .column(graduate::Column::Id)
                .filter(graduate::Column::BatchId.eq(batch_id))
                .into_tuple()
                .all(db)
                .await?;
            ids.extend(graduates_with_iins(db, touched_iins).await?);
            evaluate_graduates(db, &ids).await
        }
        ImportKind::Contributions => {
            let ids = graduates_with_iins(db, touched_iins).await?;
            evaluate_graduates(db, &ids).await
        }
        // A classification can change any graduate's months.
        ImportKind::Employers => Ok(reevaluate_all(db).await?.obligations),
        ImportKind::Regions | ImportKind::Localities | ImportKind::ActivityCodes => Ok(0),
    }
}
