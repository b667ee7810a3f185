//! Evaluating obligations against their evidence: loads what the ledger reads, runs it, and
//! stores the summary (status, credited months, explanation, rule version) on the obligation.
//! Runs for the graduates an import or a decision touched, or for all after a rule change.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{Datelike, NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DbBackend, EntityTrait,
    FromQueryResult, QueryFilter, QueryOrder, QuerySelect, Set, Statement, Value,
};

use entities::{
    claim, contribution, document_evidence, exemption, graduate, import_batch, locality,
    locality_history, obligation, organisation, organisation_history, person, rule_set,
};

use super::import::{FeedScope, ImportKind, start_of};
use super::ledger::{self, Decision, Ledger, LedgerInput};
use super::period::Period;
use super::rules::{EmployerFacts, EmployerTimeline, RuleBook, RuleSet, RuleVersion};
use super::vocab::{ApplicationStatus, ClaimStatus, FundingCategory, MonthState, SpecialtyGroup};
use adal_core::error::{ApiError, ApiResult};
use adal_core::vocab::OrganisationKind;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EvalSummary {
    pub obligations: u64,
    pub rule_version: i32,
}

/// The rule set in force this month (see [`rule_book`]); the defaults are saved as version 1,
/// in force since 1900, on first use.
pub async fn current_rules(db: &impl ConnectionTrait) -> ApiResult<(i32, RuleSet)> {
    let book = rule_book(db).await?;
    let v = book.at(this_month());
    Ok((v.version, v.rules.clone()))
}

/// Every version of the rules with the month it applies from; the defaults are saved as
/// version 1, in force since 1900, on first use.
pub async fn rule_book(db: &impl ConnectionTrait) -> ApiResult<RuleBook> {
    let mut versions = Vec::new();
    for r in rule_set::Entity::find().all(db).await? {
        versions.push(RuleVersion {
            from: first_month_from(r.effective_from),
            version: r.version,
            rules: serde_json::from_str(&r.rules).map_err(ApiError::internal)?,
        });
    }
    if let Some(book) = RuleBook::new(versions) {
        return Ok(book);
    }
    let rules = RuleSet::default();
    rule_set::ActiveModel {
        version: Set(1),
        rules: Set(serde_json::to_string(&rules).map_err(ApiError::internal)?),
        note: Set("defaults of the domain brief".into()),
        created_at: Set(Utc::now()),
        created_by: Set(None),
        effective_from: Set(since_ever()),
    }
    .insert(db)
    .await?;
    Ok(RuleBook::single(1, rules))
}

/// The date the first version of reference data holds from: a locality or employer recorded
/// without a date has its values for every month.
pub fn since_ever() -> NaiveDate {
    NaiveDate::from_ymd_opt(1900, 1, 1).unwrap_or(NaiveDate::MIN)
}

/// Every version of the rules, newest first (the defaults are saved on first use).
pub async fn rule_versions(db: &impl ConnectionTrait) -> ApiResult<Vec<rule_set::Model>> {
    current_rules(db).await?;
    Ok(rule_set::Entity::find()
        .order_by_desc(rule_set::Column::Version)
        .all(db)
        .await?)
}

/// Saves a new version of the rules with the reason for the change, applying to the months from
/// `effective_from` on (default: the first day of the current month; a date that is not the
/// first of a month applies from the next month). Evaluations keep the version they were made
/// with until a re-evaluation runs.
pub async fn save_rules(
    db: &DatabaseConnection,
    actor_account: i64,
    rules: serde_json::Value,
    note: &str,
    effective_from: Option<NaiveDate>,
) -> ApiResult<rule_set::Model> {
    let effective_from = effective_from.unwrap_or_else(this_month_start);
    let parsed = RuleSet::from_json(rules)?;
    let note = note.trim();
    if note.chars().count() < 3 {
        return Err(ApiError::bad_input("note", "say why the rules change"));
    }
    let txn = adal_core::db::begin_write(db).await?;
    let version = rule_book(&txn).await?.max_version();
    let saved = rule_set::ActiveModel {
        version: Set(version + 1),
        rules: Set(serde_json::to_string(&parsed).map_err(ApiError::internal)?),
        note: Set(note.to_owned()),
        created_at: Set(Utc::now()),
        created_by: Set(Some(actor_account)),
        effective_from: Set(effective_from),
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
        serde_json::json!({ "note": saved.note, "effectiveFrom": saved.effective_from }),
    )
    .await?;
    txn.commit().await?;
    Ok(saved)
}

/// How far the evidence reaches, for each graduate: the national feeds cover everyone up to
/// `feed`; a graduate whose own records reach further (the ministry's answer after a 511
/// consent) is covered up to their latest record, but never past `limit`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Horizon {
    pub feed: Period,
    pub limit: Period,
}

impl Horizon {
    /// The same month for everyone (the months before the latest, as history reconstructs
    /// them).
    pub fn at(p: Period) -> Self {
        Self { feed: p, limit: p }
    }

    /// The last month the evidence covers for a graduate whose latest record is `own_latest`.
    pub fn of(self, own_latest: Option<Period>) -> Period {
        own_latest.map_or(self.feed, |own| own.min(self.limit).max(self.feed))
    }
}

/// The last month the national feeds cover: the latest month a completed national
/// contribution feed brought, but never the current (incomplete) month; with no feed yet, the
/// last complete month. A person's answer (`FeedScope::Person`) moves only their own horizon.
pub async fn horizon(db: &impl ConnectionTrait) -> ApiResult<Horizon> {
    let today = Utc::now().date_naive();
    let limit = Period::of_date(today).plus(-1);
    let max: Option<i32> = import_batch::Entity::find()
        .select_only()
        .column_as(import_batch::Column::CoversUntil.max(), "max")
        .filter(import_batch::Column::Kind.eq(ImportKind::Contributions.as_str()))
        .filter(import_batch::Column::Status.eq("completed"))
        .filter(import_batch::Column::Scope.eq(FeedScope::National.as_str()))
        .into_tuple::<Option<i32>>()
        .one(db)
        .await?
        .flatten();
    let feed = max
        .and_then(Period::from_i32)
        .map_or(limit, |p| p.min(limit));
    Ok(Horizon { feed, limit })
}

#[derive(FromQueryResult)]
struct OrgRow {
    id: i64,
    bin: String,
    kind: String,
    locality_kato: Option<String>,
    region_kato: Option<String>,
    needs_classification: bool,
}

/// One version of an organisation's history.
#[derive(FromQueryResult)]
struct OrgVersion {
    organisation_id: i64,
    kind: String,
    locality_kato: Option<String>,
    region_kato: Option<String>,
    effective_from: NaiveDate,
}

/// The first month whose first day is on or after `d`: the first month a value effective
/// from `d` is in force for a whole month.
pub fn first_month_from(d: NaiveDate) -> Period {
    let p = Period::of_date(d);
    if d.day() == 1 { p } else { p.next() }
}

/// The localities' rural flags over time: the history where there is one, else the current
/// flag (a locality created without history, by a seed).
#[derive(Default)]
pub(crate) struct RuralFlags {
    /// By KATO, in (effective_from, recorded) order.
    history: HashMap<String, Vec<(NaiveDate, bool)>>,
    current: HashMap<String, bool>,
}

impl RuralFlags {
    /// The flag in force on `day`: the latest value effective by then, else the first one.
    pub(crate) fn at(&self, kato: &str, day: NaiveDate) -> bool {
        match self.history.get(kato) {
            Some(v) if !v.is_empty() => v
                .iter()
                .rev()
                .find(|(from, _)| *from <= day)
                .or(v.first())
                .is_some_and(|(_, r)| *r),
            _ => self.current.get(kato).copied().unwrap_or(false),
        }
    }

    fn dates(&self, kato: &str) -> impl Iterator<Item = NaiveDate> + '_ {
        self.history
            .get(kato)
            .into_iter()
            .flat_map(|v| v.iter().map(|(d, _)| *d))
    }
}

/// Loads the rural flags (history and current) of `katos`, or of every locality.
pub(crate) async fn rural_flags(
    db: &impl ConnectionTrait,
    katos: Option<Vec<String>>,
) -> ApiResult<RuralFlags> {
    let mut flags = RuralFlags::default();
    let chunks: Vec<Option<Vec<String>>> = match katos {
        None => vec![None],
        Some(k) if k.is_empty() => vec![],
        Some(k) => k.chunks(CHUNK).map(|c| Some(c.to_vec())).collect(),
    };
    for chunk in chunks {
        let mut q = locality_history::Entity::find()
            .select_only()
            .column(locality_history::Column::Kato)
            .column(locality_history::Column::EffectiveFrom)
            .column(locality_history::Column::Rural)
            .order_by_asc(locality_history::Column::Kato)
            .order_by_asc(locality_history::Column::EffectiveFrom)
            .order_by_asc(locality_history::Column::Id);
        let mut c = locality::Entity::find()
            .select_only()
            .column(locality::Column::Kato)
            .column(locality::Column::Rural);
        if let Some(k) = &chunk {
            q = q.filter(locality_history::Column::Kato.is_in(k.iter().cloned()));
            c = c.filter(locality::Column::Kato.is_in(k.iter().cloned()));
        }
        for (kato, from, rural) in q.into_tuple::<(String, NaiveDate, bool)>().all(db).await? {
            flags.history.entry(kato).or_default().push((from, rural));
        }
        flags
            .current
            .extend(c.into_tuple::<(String, bool)>().all(db).await?);
    }
    Ok(flags)
}

/// Employers (those with `bins`, or all), each with its facts over time: the organisation's
/// history (kind, locality, region) merged with the rural history of the localities it names;
/// an organisation without history (created by a feed or a seed) has its current values
/// always. One query per table, whatever the number of employers.
///
/// A national evaluation holds every employer at once, so each is held once (a BIN maps to its
/// id) and the rows are read in id order and consumed as the timelines are built.
pub async fn employer_facts(
    db: &impl ConnectionTrait,
    bins: Option<&[String]>,
) -> ApiResult<Employers> {
    let backend = db.get_database_backend();
    let mut filter = String::new();
    let mut values: Vec<Value> = Vec::new();
    if let Some(bins) = bins {
        if bins.is_empty() {
            return Ok(Employers::default());
        }
        filter.push_str(" WHERE o.bin IN (");
        filter.push_str(&placeholders(backend, 1, bins.len()));
        filter.push(')');
        values.extend(bins.iter().map(|b| Value::from(b.clone())));
    }
    let orgs = OrgRow::find_by_statement(Statement::from_sql_and_values(
        backend,
        format!(
            "SELECT o.id, o.bin, o.kind, o.locality_kato, o.region_kato, o.needs_classification \
             FROM organisation o{filter} ORDER BY o.id"
        ),
        values.clone(),
    ))
    .all(db)
    .await?;
    let versions = OrgVersion::find_by_statement(Statement::from_sql_and_values(
        backend,
        format!(
            "SELECT h.organisation_id, h.kind, h.locality_kato, h.region_kato, h.effective_from \
             FROM organisation_history h JOIN organisation o ON o.id = h.organisation_id{filter} \
             ORDER BY h.organisation_id, h.effective_from, h.id"
        ),
        values,
    ))
    .all(db)
    .await?;
    let katos = bins.map(|_| {
        let mut k: Vec<String> = orgs
            .iter()
            .filter_map(|o| o.locality_kato.clone())
            .chain(versions.iter().filter_map(|v| v.locality_kato.clone()))
            .collect();
        k.sort_unstable();
        k.dedup();
        k
    });
    let rural = rural_flags(db, katos).await?;
    let mut employers = Employers {
        by_bin: HashMap::with_capacity(orgs.len()),
        by_id: HashMap::with_capacity(orgs.len()),
    };
    // Both lists are in organisation id order: each organisation's versions are the next run.
    let mut rest = versions.as_slice();
    for o in orgs {
        rest = &rest[rest.partition_point(|v| v.organisation_id < o.id)..];
        let (own, after) = rest.split_at(rest.partition_point(|v| v.organisation_id == o.id));
        rest = after;
        employers.by_id.insert(o.id, timeline(&o, own, &rural));
        employers.by_bin.insert(o.bin, o.id);
    }
    Ok(employers)
}

/// One employer's timeline: a version at each month where its own values or its locality's
/// rural flag change.
fn timeline(o: &OrgRow, history: &[OrgVersion], rural: &RuralFlags) -> EmployerTimeline {
    let facts = |kind: &str, locality: Option<&str>, region: Option<String>, day| EmployerFacts {
        id: o.id,
        kind: OrganisationKind::from_db(kind).unwrap_or(OrganisationKind::Other),
        rural: locality.is_some_and(|k| rural.at(k, day)),
        region,
        needs_classification: o.needs_classification,
    };
    let mut t = EmployerTimeline {
        id: o.id,
        versions: Vec::new(),
    };
    if history.is_empty() {
        // No history of its own: its values always, with its locality's flag over time.
        let mut months: Vec<Period> = o
            .locality_kato
            .as_deref()
            .map(|k| rural.dates(k).map(first_month_from).collect())
            .unwrap_or_default();
        if months.is_empty() {
            months.push(Period::of_date(NaiveDate::MIN));
        }
        months.sort_unstable();
        months.dedup();
        for m in months {
            let f = facts(
                &o.kind,
                o.locality_kato.as_deref(),
                o.region_kato.clone(),
                m.first_day(),
            );
            push_version(&mut t, m, f);
        }
        t.versions.shrink_to_fit();
        return t;
    }
    let mut months: Vec<Period> = history
        .iter()
        .map(|v| first_month_from(v.effective_from))
        .chain(
            history
                .iter()
                .filter_map(|v| v.locality_kato.as_deref())
                .flat_map(|k| rural.dates(k))
                .map(first_month_from),
        )
        .collect();
    months.sort_unstable();
    months.dedup();
    for m in months {
        let day = m.first_day();
        let v = history
            .iter()
            .rev()
            .find(|v| v.effective_from <= day)
            .or(history.first());
        if let Some(v) = v {
            let f = facts(
                &v.kind,
                v.locality_kato.as_deref(),
                v.region_kato.clone(),
                day,
            );
            push_version(&mut t, m, f);
        }
    }
    // Most employers have one version; the spare capacity of 25,000 of them is megabytes.
    t.versions.shrink_to_fit();
    t
}

/// Appends a version unless it repeats the one before.
fn push_version(t: &mut EmployerTimeline, from: Period, f: EmployerFacts) {
    if t.versions.last().is_none_or(|(_, last)| *last != f) {
        t.versions.push((from, f));
    }
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
    /// By IIN: each month a contribution was paid, with the employer's BIN (one shared string
    /// per employer of the person).
    pub contributions: HashMap<String, Vec<(Period, Arc<str>)>>,
    /// By graduate id: each month an accepted document proves, with the employer's BIN.
    pub documents: HashMap<i64, Vec<(Period, String)>>,
    pub decisions: HashMap<i64, Vec<Decision>>,
    pub claims: HashMap<i64, ClaimStatus>,
}

pub async fn evidence(db: &impl ConnectionTrait, subjects: &[Subject]) -> ApiResult<Evidence> {
    let contributions = contributions_of(db, subjects).await?;
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

/// The subjects' contributions, one row per person: the months and employers aggregated in
/// the database as `period:bin,period:bin,...`. A national evaluation reads 5 million
/// contributions; a row and two strings for each cost more than evaluating them did.
async fn contributions_of(
    db: &impl ConnectionTrait,
    subjects: &[Subject],
) -> ApiResult<HashMap<String, Vec<(Period, Arc<str>)>>> {
    if subjects.is_empty() {
        return Ok(HashMap::new());
    }
    let backend = db.get_database_backend();
    let aggregate = match backend {
        DbBackend::Postgres => "string_agg",
        _ => "group_concat",
    };
    let sql = format!(
        "SELECT iin, {aggregate}(CAST(period AS TEXT) || ':' || employer_bin, ',') AS months \
         FROM contribution WHERE iin IN ({}) GROUP BY iin",
        placeholders(backend, 1, subjects.len())
    );
    let values: Vec<Value> = subjects
        .iter()
        .map(|s| Value::from(s.iin.clone()))
        .collect();
    let rows = db
        .query_all_raw(Statement::from_sql_and_values(backend, sql, values))
        .await?;
    let mut out = HashMap::with_capacity(rows.len());
    for r in rows {
        let iin: String = r.try_get("", "iin")?;
        let months: String = r.try_get("", "months")?;
        out.insert(iin, contribution_months(&months));
    }
    Ok(out)
}

/// Reads `period:bin,period:bin,...`, holding each employer's BIN once.
fn contribution_months(s: &str) -> Vec<(Period, Arc<str>)> {
    let mut bins: Vec<Arc<str>> = Vec::new();
    s.split(',')
        .filter_map(|pair| {
            let (period, bin) = pair.split_once(':')?;
            let period = Period::from_i32(period.parse().ok()?)?;
            let bin = match bins.iter().find(|b| &***b == bin) {
                Some(b) => b.clone(),
                None => {
                    let b: Arc<str> = Arc::from(bin);
                    bins.push(b.clone());
                    b
                }
            };
            Some((period, bin))
        })
        .collect()
}

/// Runs the ledger of one subject.
pub fn ledger_of(
    s: &Subject,
    ev: &Evidence,
    employers: &Employers,
    book: &RuleBook,
    horizon: Horizon,
    judged: Period,
) -> Ledger {
    // The term and the limits are those of the version in force in the month the status is
    // judged in; each month's work is judged by the version in force in that month.
    let rules = &book.at(judged).rules;
    let g = &s.graduate;
    let own = ev.contributions.get(&s.iin);
    let horizon = horizon.of(own.and_then(|v| v.iter().map(|(p, _)| *p).max()));
    let category =
        FundingCategory::from_db(&g.funding_category).unwrap_or(FundingCategory::StateOrder);
    let group = SpecialtyGroup::from_db(&g.specialty_group).unwrap_or(SpecialtyGroup::Other);
    fn ids_of<B: AsRef<str>>(
        employers: &Employers,
        v: Option<&Vec<(Period, B)>>,
    ) -> Vec<(Period, i64)> {
        v.map(|v| {
            v.iter()
                .filter_map(|(p, bin)| employers.by_bin.get(bin.as_ref()).map(|id| (*p, *id)))
                .collect()
        })
        .unwrap_or_default()
    }
    let contributions = ids_of(employers, own);
    let documented = ids_of(employers, ev.documents.get(&g.id));
    let no_decisions = Vec::new();
    ledger::evaluate_in(
        &LedgerInput {
            category,
            group,
            required_months: rules.required_months(category, g.grant_months, g.programme_months),
            start: Period::of_date(start_of(g.graduation_date)),
            horizon,
            contributions: &contributions,
            documented: &documented,
            employers: &employers.by_id,
            decisions: ev.decisions.get(&g.id).unwrap_or(&no_decisions),
            claim: ev.claims.get(&s.obligation.id).copied(),
        },
        book,
        rules,
    )
}

const CHUNK: usize = 1000;

/// Employers as the ledger reads them: each one's timeline by id, and the id of each BIN.
#[derive(Default)]
pub struct Employers {
    pub by_bin: HashMap<String, i64>,
    pub by_id: HashMap<i64, EmployerTimeline>,
}

/// One chunk's inputs, loaded: the subjects, their evidence and, unless every employer was
/// loaded up front, the employers that evidence names.
struct Loaded {
    subjects: Vec<Subject>,
    evidence: Evidence,
    employers: Option<Employers>,
}

impl Loaded {
    /// The chunk's own employers, else `all` (loaded with the chunk exactly when `all` is
    /// absent).
    fn employers_or<'a>(&'a self, all: Option<&'a Employers>) -> ApiResult<&'a Employers> {
        self.employers
            .as_ref()
            .or(all)
            .ok_or_else(|| ApiError::internal(anyhow::anyhow!("no employers loaded")))
    }
}

async fn load_chunk(db: &DatabaseConnection, ids: &[i64], employers: bool) -> ApiResult<Loaded> {
    let subjects = subjects(db, ids).await?;
    let evidence = evidence(db, &subjects).await?;
    let employers = if employers {
        Some(employer_facts(db, Some(&evidence_bins(&evidence))).await?)
    } else {
        None
    };
    Ok(Loaded {
        subjects,
        evidence,
        employers,
    })
}

/// Chunks loaded at once, and chunks loaded ahead of the one being evaluated.
const LOAD_AHEAD: usize = 2;

/// Loads the chunks of `ids` on a task of their own, two at once (each on its own
/// connection: the database reads them on both cores) and up to [`LOAD_AHEAD`] ahead of the
/// receiver, which gets them in order. Reading is the longest of the three stages of an
/// evaluation. Stops at the first error (sent as the last item), or when the receiver is
/// dropped.
fn load_ahead(
    db: &DatabaseConnection,
    ids: &[i64],
    per_chunk: bool,
) -> tokio::sync::mpsc::Receiver<ApiResult<Loaded>> {
    use futures_util::StreamExt as _;
    let (tx, rx) = tokio::sync::mpsc::channel(LOAD_AHEAD);
    let db = db.clone();
    let chunks: Vec<Vec<i64>> = ids.chunks(CHUNK).map(<[i64]>::to_vec).collect();
    tokio::spawn(async move {
        let mut loads = futures_util::stream::iter(chunks)
            .map(|ids| {
                let db = db.clone();
                async move { load_chunk(&db, &ids, per_chunk).await }
            })
            .buffered(LOAD_AHEAD);
        while let Some(loaded) = loads.next().await {
            let failed = loaded.is_err();
            if tx.send(loaded).await.is_err() || failed {
                return;
            }
        }
    });
    rx
}

/// Evaluates and stores the obligations of `ids` a chunk at a time, in three stages that
/// overlap: the next chunks are loaded on a task of their own ([`load_ahead`]), this one is
/// evaluated here, and the one before is written by a third task (each stage on its own
/// connection, so the database works on reads and writes at once). `all` holds every
/// employer; without it each chunk loads its own.
async fn evaluate_ids(
    db: &DatabaseConnection,
    ids: &[i64],
    all: Option<&Employers>,
    book: &RuleBook,
    version: i32,
    horizon: Horizon,
) -> ApiResult<u64> {
    if ids.is_empty() {
        return Ok(0);
    }
    let mut loaded = load_ahead(db, ids, all.is_none());
    let (to_store, mut stored) = tokio::sync::mpsc::channel::<(Vec<Stored>, Stamp)>(1);
    let writer = {
        let db = db.clone();
        tokio::spawn(async move {
            let mut n = 0;
            while let Some((rows, stamp)) = stored.recv().await {
                write(&db, &rows, &stamp).await?;
                n += rows.len() as u64;
            }
            ApiResult::Ok(n)
        })
    };
    let mut failed = None;
    while let Some(chunk) = loaded.recv().await {
        let evaluated = chunk.and_then(|chunk| {
            let employers = chunk.employers_or(all)?;
            evaluate_chunk(&chunk.subjects, &chunk.evidence, employers, book, horizon)
        });
        match evaluated {
            Ok(rows) => {
                let stamp = Stamp {
                    version,
                    at: Utc::now(),
                };
                if to_store.send((rows, stamp)).await.is_err() {
                    // The writer stopped: its error is the one to report.
                    break;
                }
            }
            Err(e) => {
                failed = Some(e);
                break;
            }
        }
    }
    drop(to_store);
    let written = writer
        .await
        .map_err(|e| ApiError::internal(anyhow::anyhow!("the evaluation's writer: {e}")))?;
    match failed {
        Some(e) => Err(e),
        None => written,
    }
}

/// Re-evaluates the given graduates' obligations.
pub async fn evaluate_graduates(db: &DatabaseConnection, ids: &[i64]) -> ApiResult<u64> {
    if ids.is_empty() {
        return Ok(0);
    }
    let book = rule_book(db).await?;
    let horizon = horizon(db).await?;
    let version = book.at(this_month()).version;
    // In id order, so each chunk reads neighbouring rows, and each graduate once.
    let mut ids = ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    // Past one chunk, loading every employer once is cheaper than a lookup per chunk.
    let all = if ids.len() > CHUNK {
        Some(employer_facts(db, None).await?)
    } else {
        None
    };
    let n = evaluate_ids(db, &ids, all.as_ref(), &book, version, horizon).await?;
    analyze_after(db, n).await?;
    super::history::record(db, horizon.feed, version).await?;
    Ok(n)
}

/// After an evaluation that rewrote many obligations, fresh statistics: the register's pages
/// are planned by how many graduates hold each status, and until autovacuum catches up the
/// planner would go by the statuses before the evaluation (after a graduates import, every one
/// `not_started`) and sort a status's 100,000 rows to show the first hundred.
async fn analyze_after(db: &DatabaseConnection, evaluated: u64) -> ApiResult<()> {
    if evaluated >= ANALYZE_AFTER {
        adal_core::db::analyze(db, "obligation").await?;
    }
    Ok(())
}

/// Obligations evaluated at once past which [`analyze_after`] refreshes the statistics.
const ANALYZE_AFTER: u64 = 10_000;

/// How many of the graduates `ids` have a ledger in `state` in the month `month`, computed
/// as their evaluation computes it and not saved: the dashboard's count for the graduates whose
/// stored state is that of a later month (their own horizon is past the feed's).
pub async fn count_in_state(
    db: &DatabaseConnection,
    ids: &[i64],
    month: Period,
    state: MonthState,
) -> ApiResult<u64> {
    if ids.is_empty() {
        return Ok(0);
    }
    let book = rule_book(db).await?;
    let horizon = horizon(db).await?;
    let mut n = 0;
    for_each_ledger(db, Some(ids), &book, horizon, this_month(), |_, l| {
        if l.state_in(month) == Some(state) {
            n += 1;
        }
    })
    .await?;
    Ok(n)
}

/// Every graduate's id, in id order.
async fn every_graduate(db: &DatabaseConnection) -> ApiResult<Vec<i64>> {
    Ok(graduate::Entity::find()
        .select_only()
        .column(graduate::Column::Id)
        .order_by_asc(graduate::Column::Id)
        .into_tuple()
        .all(db)
        .await?)
}

/// Re-evaluates every obligation (after a rule change, or as a nightly check).
pub async fn reevaluate_all(db: &DatabaseConnection) -> ApiResult<EvalSummary> {
    let book = rule_book(db).await?;
    let horizon = horizon(db).await?;
    let version = book.at(this_month()).version;
    let employers = employer_facts(db, None).await?;
    let ids = every_graduate(db).await?;
    let n = evaluate_ids(db, &ids, Some(&employers), &book, version, horizon).await?;
    analyze_after(db, n).await?;
    super::history::record(db, horizon.feed, version).await?;
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

/// Counts, without saving, how many obligations would change status were `rules` saved to apply
/// from `effective_from` (default: the first day of the current month): the months before it
/// keep the versions in force then.
pub async fn preview(
    db: &DatabaseConnection,
    rules: &RuleSet,
    effective_from: Option<NaiveDate>,
) -> ApiResult<HashMap<(String, String), u64>> {
    let mut changes: HashMap<(String, String), u64> = HashMap::new();
    let horizon = horizon(db).await?;
    let book = rule_book(db).await?;
    let book = book.with(RuleVersion {
        from: first_month_from(effective_from.unwrap_or_else(this_month_start)),
        version: book.max_version() + 1,
        rules: rules.clone(),
    });
    for_each_ledger(db, None, &book, horizon, this_month(), |s, l| {
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

/// Counts, without saving, how many obligations the rules of `book` put in each status at the
/// end of the month `horizon` (the evidence after it ignored; the term and limits those in
/// force in that month).
pub async fn statuses_at(
    db: &DatabaseConnection,
    book: &RuleBook,
    horizon: Period,
) -> ApiResult<HashMap<&'static str, u64>> {
    let mut counts: HashMap<&'static str, u64> = HashMap::new();
    for_each_ledger(db, None, book, Horizon::at(horizon), horizon, |_, l| {
        *counts.entry(l.status.as_str()).or_default() += 1;
    })
    .await?;
    Ok(counts)
}

/// Computes the ledgers of the graduates `ids` (or of every graduate) under `book` up to
/// `horizon`, a chunk at a time, and hands each to `f`; nothing is saved.
async fn for_each_ledger(
    db: &DatabaseConnection,
    ids: Option<&[i64]>,
    book: &RuleBook,
    horizon: Horizon,
    judged: Period,
    mut f: impl FnMut(&Subject, &Ledger),
) -> ApiResult<()> {
    let every: Vec<i64>;
    let ids = match ids {
        Some(ids) => ids,
        None => {
            every = every_graduate(db).await?;
            &every
        }
    };
    // Past one chunk, loading every employer once is cheaper than a lookup per chunk.
    let all = if ids.len() > CHUNK {
        Some(employer_facts(db, None).await?)
    } else {
        None
    };
    let mut chunks = load_ahead(db, ids, all.is_none());
    while let Some(loaded) = chunks.recv().await {
        let loaded = loaded?;
        let employers = loaded.employers_or(all.as_ref())?;
        for s in &loaded.subjects {
            f(
                s,
                &ledger_of(s, &loaded.evidence, employers, book, horizon, judged),
            );
        }
    }
    Ok(())
}

/// Evaluates a chunk's subjects, ready to write.
fn evaluate_chunk(
    subs: &[Subject],
    ev: &Evidence,
    employers: &Employers,
    book: &RuleBook,
    horizon: Horizon,
) -> ApiResult<Vec<Stored>> {
    let judged = this_month();
    subs.iter()
        .map(|s| {
            let l = ledger_of(s, ev, employers, book, horizon, judged);
            let explanation = serde_json::to_string(&l.explanation).map_err(ApiError::internal)?;
            Ok(Stored {
                id: s.obligation.id,
                ledger: l,
                explanation,
            })
        })
        .collect()
}

/// Writes a chunk's obligations in one statement per backend.
async fn write(db: &DatabaseConnection, rows: &[Stored], stamp: &Stamp) -> ApiResult<()> {
    if db.get_database_backend() == DbBackend::Postgres {
        store_postgres(db, rows, stamp).await?;
    } else {
        store_values(db, rows, stamp).await?;
    }
    adal_core::generation::bump(db, adal_core::generation::REGISTER).await
}

/// One obligation's evaluation, ready to write.
struct Stored {
    id: i64,
    ledger: Ledger,
    explanation: String,
}

/// What every row of one evaluation run shares (each row has its own horizon).
struct Stamp {
    version: i32,
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
                l.explanation.horizon.as_i32().into(),
                l.last_employer_id.into(),
                l.state_in(l.explanation.horizon)
                    .map(MonthState::as_str)
                    .into(),
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
         horizon_state = v.horizon_state, horizon = v.horizon, \
         rule_version = $9, evaluated_at = $10 \
         FROM unnest($1::bigint[], $2::text[], $3::integer[], $4::integer[], $5::date[], \
                     $6::text[], $7::bigint[], $8::text[], $11::integer[]) \
              AS v(id, status, required_months, credited_months, projected_completion, \
                   explanation, last_employer_id, horizon_state, horizon) \
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
            .map(|r| {
                r.ledger
                    .state_in(r.ledger.explanation.horizon)
                    .map(MonthState::as_str)
            })
            .collect::<Vec<Option<&str>>>(),
    )
    .bind(stamp.version)
    .bind(stamp.at)
    .bind(
        rows.iter()
            .map(|r| r.ledger.explanation.horizon.as_i32())
            .collect::<Vec<i32>>(),
    )
    .execute(pool)
    .await
    .map_err(ApiError::internal)?;
    Ok(())
}

/// PostgreSQL: `SELECT {columns}` from the persons `p` with these checked IINs, `then` joined
/// to more. The list is one parameter, unnested and joined, so it is planned by its length:
/// as `IN (...)` of 1,000 IINs PostgreSQL reads every person instead, cheaper by its default
/// costs and ten times slower (a feed touching 160,000 graduates read the person table 160
/// times). A checked IIN is twelve digits: no comma in it.
pub(crate) fn persons_with_iins_postgres(columns: &str, then: &str, iins: &[String]) -> Statement {
    Statement::from_sql_and_values(
        DbBackend::Postgres,
        format!(
            "SELECT {columns} FROM unnest(string_to_array($1, ',')) AS t(iin) \
             JOIN person p ON p.iin = t.iin {then}"
        ),
        [Value::from(iins.join(","))],
    )
}

/// The graduates whose persons hold these IINs: one statement on PostgreSQL, one per
/// [`CHUNK`] on SQLite (under its parameter limit).
pub async fn graduates_with_iins(
    db: &impl ConnectionTrait,
    iins: &[String],
) -> ApiResult<Vec<i64>> {
    if db.get_database_backend() == DbBackend::Postgres {
        let rows = db
            .query_all_raw(persons_with_iins_postgres(
                "g.id",
                "JOIN graduate g ON g.person_id = p.id",
                iins,
            ))
            .await?;
        return Ok(rows
            .iter()
            .map(|r| r.try_get_by_index::<i64>(0))
            .collect::<Result<_, _>>()?);
    }
    let mut ids = Vec::new();
    for chunk in iins.chunks(CHUNK) {
        ids.extend(
            graduate::Entity::find()
                .select_only()
                .column(graduate::Column::Id)
                .filter(
                    graduate::Column::PersonId.in_subquery(
                        sea_orm::sea_query::Query::select()
                            .column(person::Column::Id)
                            .from(person::Entity)
                            .and_where(person::Column::Iin.is_in(chunk.iter().cloned()))
                            .to_owned(),
                    ),
                )
                .into_tuple::<i64>()
                .all(db)
                .await?,
        );
    }
    Ok(ids)
}

/// The distinct employer BINs in a chunk's evidence (contributions and documents).
pub fn evidence_bins(ev: &Evidence) -> Vec<String> {
    let mut bins: Vec<String> = (ev.contributions.values())
        .flat_map(|v| v.iter().map(|(_, b)| b.to_string()))
        .chain(
            ev.documents
                .values()
                .flat_map(|v| v.iter().map(|(_, b)| b.clone())),
        )
        .collect();
    bins.sort_unstable();
    bins.dedup();
    bins
}

/// What a completed import touched: the IINs of a graduates file or a contribution feed's
/// rows, and the organisations whose reference values changed (a reclassified employer, or
/// one in a locality whose rural flag changed).
#[derive(Debug, Default)]
pub struct Touched {
    pub iins: Vec<String>,
    pub orgs: Vec<i64>,
}

/// Re-evaluates what a completed import touched.
pub async fn evaluate_batch(
    db: &DatabaseConnection,
    kind: ImportKind,
    batch_id: i64,
    touched: &Touched,
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
            ids.extend(graduates_with_iins(db, &touched.iins).await?);
            evaluate_graduates(db, &ids).await
        }
        ImportKind::Contributions => {
            let ids = graduates_with_iins(db, &touched.iins).await?;
            evaluate_graduates(db, &ids).await
        }
        // Whoever worked for the organisations whose values changed.
        ImportKind::Employers | ImportKind::Localities => {
            reevaluate_employees(db, &touched.orgs).await
        }
        ImportKind::Regions | ImportKind::ActivityCodes | ImportKind::Specialties => Ok(0),
    }
}

/// The first day of the current month: the date a change of reference data takes effect when
/// none is given.
pub fn this_month_start() -> NaiveDate {
    this_month().first_day()
}

/// The current month: a status evaluated now is judged by the term and limits in force in it.
pub fn this_month() -> Period {
    Period::of_date(Utc::now().date_naive())
}

/// The organisations that are, or ever were, in one of these localities.
pub async fn employers_in_localities(
    db: &impl ConnectionTrait,
    katos: &[String],
) -> ApiResult<Vec<i64>> {
    let mut ids = Vec::new();
    for chunk in katos.chunks(CHUNK) {
        ids.extend(
            organisation::Entity::find()
                .select_only()
                .column(organisation::Column::Id)
                .filter(organisation::Column::LocalityKato.is_in(chunk.iter().cloned()))
                .into_tuple::<i64>()
                .all(db)
                .await?,
        );
        ids.extend(
            organisation_history::Entity::find()
                .select_only()
                .column(organisation_history::Column::OrganisationId)
                .filter(organisation_history::Column::LocalityKato.is_in(chunk.iter().cloned()))
                .distinct()
                .into_tuple::<i64>()
                .all(db)
                .await?,
        );
    }
    ids.sort_unstable();
    ids.dedup();
    Ok(ids)
}

/// The IINs of the graduates these organisations paid contributions for.
async fn iins_paid_by(db: &impl ConnectionTrait, orgs: &[i64]) -> ApiResult<Vec<String>> {
    let mut iins = Vec::new();
    for chunk in orgs.chunks(CHUNK) {
        let bins: Vec<String> = organisation::Entity::find()
            .select_only()
            .column(organisation::Column::Bin)
            .filter(organisation::Column::Id.is_in(chunk.iter().copied()))
            .into_tuple()
            .all(db)
            .await?;
        iins.extend(
            contribution::Entity::find()
                .select_only()
                .column(contribution::Column::Iin)
                .filter(contribution::Column::EmployerBin.is_in(bins))
                .distinct()
                .into_tuple::<String>()
                .all(db)
                .await?,
        );
    }
    iins.sort_unstable();
    iins.dedup();
    Ok(iins)
}

/// The graduates who worked for these organisations: they paid contributions for them, or an
/// accepted document names them.
pub async fn employees(db: &impl ConnectionTrait, orgs: &[i64]) -> ApiResult<Vec<i64>> {
    let iins = iins_paid_by(db, orgs).await?;
    let mut ids = graduates_with_iins(db, &iins).await?;
    for chunk in orgs.chunks(CHUNK) {
        ids.extend(
            document_evidence::Entity::find()
                .select_only()
                .column(document_evidence::Column::GraduateId)
                .filter(document_evidence::Column::OrganisationId.is_in(chunk.iter().copied()))
                .distinct()
                .into_tuple::<i64>()
                .all(db)
                .await?,
        );
    }
    ids.sort_unstable();
    ids.dedup();
    Ok(ids)
}

/// Re-evaluates the [`employees`] of these organisations, after their kind, locality or region
/// changed (a register edit or a reference import).
pub async fn reevaluate_employees(db: &DatabaseConnection, orgs: &[i64]) -> ApiResult<u64> {
    evaluate_graduates(db, &employees(db, orgs).await?).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn p(s: &str) -> Period {
        Period::parse(s).unwrap()
    }

    #[test]
    fn a_persons_contributions_read_back_with_each_employer_held_once() {
        let months =
            contribution_months("202401:020140001689,202402:990340000017,202403:020140001689");
        let read: Vec<(Period, &str)> = months.iter().map(|(p, b)| (*p, &**b)).collect();
        assert_eq!(
            read,
            [
                (p("2024-01"), "020140001689"),
                (p("2024-02"), "990340000017"),
                (p("2024-03"), "020140001689"),
            ]
        );
        assert!(Arc::ptr_eq(&months[0].1, &months[2].1));
        assert!(contribution_months("").is_empty());
    }

    #[test]
    fn a_value_applies_from_the_first_month_whose_first_day_it_covers() {
        assert_eq!(first_month_from(d("2025-09-01")), p("2025-09"));
        assert_eq!(first_month_from(d("2025-09-02")), p("2025-10"));
        assert_eq!(first_month_from(d("2025-12-31")), p("2026-01"));
    }

    #[test]
    fn a_timeline_merges_the_employer_and_its_localities_histories() {
        // A firm in the town (urban) since ever, reclassified as a school on 2025-03-01 and
        // moved to the village on 2025-06-15 (from 2025-07); the village was rural until it was
        // made urban on 2026-01-01.
        let o = OrgRow {
            id: 7,
            bin: "x".into(),
            kind: "school".into(),
            locality_kato: Some("village".into()),
            region_kato: Some("110000000".into()),
            needs_classification: false,
        };
        let v = |kind: &str, loc: &str, from: &str| OrgVersion {
            organisation_id: 7,
            kind: kind.into(),
            locality_kato: Some(loc.into()),
            region_kato: Some("110000000".into()),
            effective_from: d(from),
        };
        let history = [
            v("employer", "town", "1900-01-01"),
            v("school", "town", "2025-03-01"),
            v("school", "village", "2025-06-15"),
        ];
        let mut rural = RuralFlags::default();
        rural.history.insert(
            "village".into(),
            vec![(d("1900-01-01"), true), (d("2026-01-01"), false)],
        );
        rural.current.insert("town".into(), false);
        let t = timeline(&o, &history, &rural);
        let at = |m: &str| {
            let f = t.at(p(m)).unwrap();
            (f.kind, f.rural)
        };
        use OrganisationKind as K;
        assert_eq!(at("2024-09"), (K::Employer, false));
        assert_eq!(at("2025-02"), (K::Employer, false));
        assert_eq!(at("2025-03"), (K::School, false));
        assert_eq!(
            at("2025-06"),
            (K::School, false),
            "the move counts from July"
        );
        assert_eq!(at("2025-07"), (K::School, true));
        assert_eq!(at("2025-12"), (K::School, true));
        assert_eq!(at("2026-01"), (K::School, false));
        // 1900 (twice, merged), 2025-03, 2025-07, 2026-01.
        assert_eq!(t.versions.len(), 4, "{:?}", t.versions);

        // Without history of its own: its current values, with its locality's flag over time.
        let t = timeline(&o, &[], &rural);
        assert!(t.at(p("2025-12")).unwrap().rural);
        assert!(!t.at(p("2026-01")).unwrap().rural);
        assert_eq!(t.at(p("2024-01")).unwrap().kind, K::School);
    }
}
