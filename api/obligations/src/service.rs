//! Reading obligations: the graduates register with filters (one statement per page), one
//! graduate's card (ledger, evidence, applications, claims), the dashboard figures and the
//! classification queue. Scope: the operator's staff see all; a graduate only themselves.

use std::collections::HashMap;

use sea_orm::sea_query::{Alias, Expr, ExprTrait, Func, JoinType, Order, Query, SelectStatement};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, DbBackend, EntityTrait, FromQueryResult,
    QueryFilter, QueryOrder, QuerySelect, Statement,
};

use entities::{claim, contribution, exemption, graduate, obligation, organisation, person};

use super::evaluate::{self, Evidence, Subject};
use super::ledger::Ledger;
use super::period::Period;
use super::vocab::{FundingCategory, MonthState, ObligationStatus, SpecialtyGroup};
use adal_core::auth::Actor;
use adal_core::auth::scope;
use adal_core::error::{ApiError, ApiResult};
use adal_core::identifiers::Iin;
use adal_core::pagination::PageRequest;

#[derive(Debug, Default, Clone)]
pub struct GraduateFilter {
    pub status: Option<ObligationStatus>,
    pub category: Option<FundingCategory>,
    pub specialty_group: Option<SpecialtyGroup>,
    pub region_kato: Option<String>,
    pub university_id: Option<i64>,
    pub graduation_year: Option<i32>,
    pub employer_id: Option<i64>,
    pub iin: Option<Iin>,
}

/// One row of the register: graduate, obligation summary and the person's name.
#[derive(Debug, Clone, FromQueryResult)]
pub struct GraduateRow {
    pub id: i64,
    pub person_id: i64,
    pub university_id: i64,
    pub specialty_code: String,
    pub specialty_name: String,
    pub specialty_group: String,
    pub level: String,
    pub funding_category: String,
    pub home_region_kato: Option<String>,
    pub graduation_date: chrono::NaiveDate,
    pub grant_months: i32,
    pub programme_months: i32,
    pub budget_cost: i64,
    pub obligation_id: i64,
    pub status: String,
    pub required_months: i32,
    pub credited_months: i32,
    pub start_date: chrono::NaiveDate,
    pub projected_completion: Option<chrono::NaiveDate>,
    pub rule_version: i32,
    pub explanation: String,
    pub last_employer_id: Option<i64>,
    pub iin: String,
    pub last_name: String,
    pub first_name: String,
    pub middle_name: Option<String>,
}

impl GraduateRow {
    /// Last, first and middle name.
    pub fn full_name(&self) -> String {
        entities::person::full_name(
            &self.last_name,
            &self.first_name,
            self.middle_name.as_deref(),
        )
    }
}

/// The register's page and count as a statement. On PostgreSQL the filter's values are written
/// into the SQL, so that each is planned for its value: a prepared statement with bound values
/// may be planned once for all values after a few runs (a generic plan), and the register's
/// values differ too much for one plan. Walking graduates in id order suits a status that
/// 98,000 of 183,000 hold, and scans them all for one that 327 hold, or for an employer's dozen.
/// sea-query writes the values as escaped literals.
fn with_values_inlined(backend: DbBackend, q: &SelectStatement) -> Statement {
    match backend {
        DbBackend::Postgres => Statement::from_string(
            backend,
            q.to_string(sea_orm::sea_query::PostgresQueryBuilder),
        ),
        _ => backend.build(q),
    }
}

fn base_select() -> SelectStatement {
    let g = Alias::new("g");
    let o = Alias::new("o");
    let p = Alias::new("p");
    let mut q = Query::select();
    q.from_as(graduate::Entity, g.clone())
        .join_as(
            JoinType::InnerJoin,
            obligation::Entity,
            o.clone(),
            Expr::col((o.clone(), obligation::Column::GraduateId))
                .equals((g.clone(), graduate::Column::Id)),
        )
        .join_as(
            JoinType::InnerJoin,
            person::Entity,
            p.clone(),
            Expr::col((p.clone(), person::Column::Id))
                .equals((g.clone(), graduate::Column::PersonId)),
        );
    q
}

fn apply_filter(q: &mut SelectStatement, f: &GraduateFilter) {
    let g = Alias::new("g");
    let o = Alias::new("o");
    let p = Alias::new("p");
    if let Some(s) = f.status {
        q.and_where(Expr::col((o.clone(), obligation::Column::Status)).eq(s.as_str()));
    }
    if let Some(c) = f.category {
        q.and_where(Expr::col((g.clone(), graduate::Column::FundingCategory)).eq(c.as_str()));
    }
    if let Some(sg) = f.specialty_group {
        q.and_where(Expr::col((g.clone(), graduate::Column::SpecialtyGroup)).eq(sg.as_str()));
    }
    if let Some(r) = &f.region_kato {
        q.and_where(Expr::col((g.clone(), graduate::Column::HomeRegionKato)).eq(r.clone()));
    }
    if let Some(u) = f.university_id {
        q.and_where(Expr::col((g.clone(), graduate::Column::UniversityId)).eq(u));
    }
    if let Some(y) = f.graduation_year {
        let (from, to) = (
            chrono::NaiveDate::from_ymd_opt(y, 1, 1),
            chrono::NaiveDate::from_ymd_opt(y, 12, 31),
        );
        if let (Some(from), Some(to)) = (from, to) {
            q.and_where(Expr::col((g.clone(), graduate::Column::GraduationDate)).between(from, to));
        }
    }
    if let Some(e) = f.employer_id {
        q.and_where(Expr::col((o.clone(), obligation::Column::LastEmployerId)).eq(e));
    }
    if let Some(iin) = &f.iin {
        q.and_where(Expr::col((p.clone(), person::Column::Iin)).eq(iin.as_str()));
    }
}

fn row_columns(q: &mut SelectStatement) {
    let g = Alias::new("g");
    let o = Alias::new("o");
    let p = Alias::new("p");
    use graduate::Column as G;
    for c in [
        G::Id,
        G::PersonId,
        G::UniversityId,
        G::SpecialtyCode,
        G::SpecialtyName,
        G::SpecialtyGroup,
        G::Level,
        G::FundingCategory,
        G::HomeRegionKato,
        G::GraduationDate,
        G::GrantMonths,
        G::ProgrammeMonths,
        G::BudgetCost,
    ] {
        q.column((g.clone(), c));
    }
    q.expr_as(
        Expr::col((o.clone(), obligation::Column::Id)),
        Alias::new("obligation_id"),
    );
    use obligation::Column as O;
    for c in [
        O::Status,
        O::RequiredMonths,
        O::CreditedMonths,
        O::StartDate,
        O::ProjectedCompletion,
        O::RuleVersion,
        O::Explanation,
        O::LastEmployerId,
    ] {
        q.column((o.clone(), c));
    }
    use person::Column as P;
    for c in [P::Iin, P::LastName, P::FirstName, P::MiddleName] {
        q.column((p.clone(), c));
    }
}

/// A page of the register, in the order of the graduates' ids (a keyset cursor: any page
/// costs what the first does). The total is [`count`]ed apart, only when asked: a window
/// count beside the page made the database join and number every matching row for each page.
pub async fn list(
    db: &DatabaseConnection,
    filter: &GraduateFilter,
    page: &PageRequest,
) -> ApiResult<Vec<GraduateRow>> {
    let backend = db.get_database_backend();
    let g = Alias::new("g");
    let mut q = base_select();
    row_columns(&mut q);
    apply_filter(&mut q, filter);
    if let Some(after) = page.after_id()? {
        q.and_where(Expr::col((g.clone(), graduate::Column::Id)).gt(after));
    }
    q.order_by((g, graduate::Column::Id), Order::Asc)
        .limit(page.fetch_limit());
    Ok(
        GraduateRow::find_by_statement(with_values_inlined(backend, &q))
            .all(db)
            .await?,
    )
}

/// The register's totals per filter, kept until the register's data changes (its
/// [`generation`](adal_core::generation::REGISTER) moves on): an analyst paging through a
/// filter, or eight of them on the same filters, costs one count, not one per page.
pub type RegisterCounts = adal_core::generation::Kept<String, u64>;

/// How many graduates the filter matches, over all pages: from `counts` while the register
/// has not changed since it was counted, else counted now (one statement) and kept.
pub async fn count(
    db: &DatabaseConnection,
    counts: &RegisterCounts,
    filter: &GraduateFilter,
) -> ApiResult<u64> {
    // Taken before counting: a write that lands meanwhile raises it past what is kept.
    let generation = adal_core::generation::read(db, adal_core::generation::REGISTER).await?;
    let key = format!("{filter:?}");
    if let Some(n) = counts.get(&key, generation) {
        return Ok(n);
    }
    let backend = db.get_database_backend();
    let mut q = base_select();
    q.expr_as(
        Func::count(Expr::col((Alias::new("g"), graduate::Column::Id))),
        Alias::new("n"),
    );
    apply_filter(&mut q, filter);
    let n = db
        .query_one_raw(with_values_inlined(backend, &q))
        .await?
        .and_then(|r| r.try_get::<i64>("", "n").ok())
        .unwrap_or(0);
    let n = u64::try_from(n).unwrap_or(0);
    counts.put(key, generation, n);
    Ok(n)
}

/// The register's filter as a query over `graduate g JOIN obligation o JOIN person p` with no
/// columns yet: notification campaigns select their audience from it (set-based enqueue).
pub fn filtered_select(filter: &GraduateFilter) -> SelectStatement {
    let mut q = base_select();
    apply_filter(&mut q, filter);
    q
}

/// Register rows of these graduates, for services acting for the operator (no row scope).
pub async fn rows_by_ids(db: &impl ConnectionTrait, ids: &[i64]) -> ApiResult<Vec<GraduateRow>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let backend = db.get_database_backend();
    let mut q = base_select();
    row_columns(&mut q);
    q.and_where(Expr::col((Alias::new("g"), graduate::Column::Id)).is_in(ids.iter().copied()));
    Ok(GraduateRow::find_by_statement(backend.build(&q))
        .all(db)
        .await?)
}

/// One graduate within the actor's scope (operator staff: all; a graduate: their own).
pub async fn get(db: &DatabaseConnection, actor: &Actor, id: i64) -> ApiResult<GraduateRow> {
    let backend = db.get_database_backend();
    let mut q = base_select();
    row_columns(&mut q);
    q.and_where(Expr::col((Alias::new("g"), graduate::Column::Id)).eq(id));
    q.cond_where(
        scope::graduates(actor)
            .condition_on(Expr::col((Alias::new("g"), graduate::Column::PersonId))),
    );
    GraduateRow::find_by_statement(backend.build(&q))
        .one(db)
        .await?
        .ok_or(ApiError::NotFound("graduate"))
}

/// The caller's own graduate records.
pub async fn mine(db: &DatabaseConnection, actor: &Actor) -> ApiResult<Vec<GraduateRow>> {
    let Some(pid) = actor.person_id else {
        return Ok(Vec::new());
    };
    let backend = db.get_database_backend();
    let mut q = base_select();
    row_columns(&mut q);
    q.and_where(Expr::col((Alias::new("g"), graduate::Column::PersonId)).eq(pid));
    q.order_by((Alias::new("g"), graduate::Column::Id), Order::Asc);
    Ok(GraduateRow::find_by_statement(backend.build(&q))
        .all(db)
        .await?)
}

/// The full ledger of one graduate, computed from the evidence now.
pub struct Card {
    pub ledger: Ledger,
    pub employers: HashMap<i64, organisation::Model>,
    pub contributions: Vec<contribution::Model>,
}

pub async fn card(db: &DatabaseConnection, row: &GraduateRow) -> ApiResult<Card> {
    let g = graduate::Entity::find_by_id(row.id)
        .one(db)
        .await?
        .ok_or(ApiError::NotFound("graduate"))?;
    let o = obligation::Entity::find_by_id(row.obligation_id)
        .one(db)
        .await?
        .ok_or(ApiError::NotFound("obligation"))?;
    let subject = Subject {
        graduate: g,
        obligation: o,
        iin: row.iin.clone(),
    };
    let subjects = std::slice::from_ref(&subject);
    let ev: Evidence = evaluate::evidence(db, subjects).await?;
    let bins = evaluate::evidence_bins(&ev);
    let facts = evaluate::employer_facts(db, Some(&bins)).await?;
    let book = evaluate::rule_book(db).await?;
    let horizon = evaluate::horizon(db).await?;
    let ledger = evaluate::ledger_of(
        &subject,
        &ev,
        &facts,
        &book,
        horizon,
        evaluate::this_month(),
    );
    let employers = organisation::Entity::find()
        .filter(organisation::Column::Bin.is_in(bins))
        .all(db)
        .await?
        .into_iter()
        .map(|o| (o.id, o))
        .collect();
    let contributions = contribution::Entity::find()
        .filter(contribution::Column::Iin.eq(row.iin.clone()))
        .order_by_asc(contribution::Column::Period)
        .order_by_asc(contribution::Column::EmployerBin)
        .all(db)
        .await?;
    Ok(Card {
        ledger,
        employers,
        contributions,
    })
}

pub async fn exemptions_of(
    db: &DatabaseConnection,
    graduate_id: i64,
) -> ApiResult<Vec<exemption::Model>> {
    Ok(exemption::Entity::find()
        .filter(exemption::Column::GraduateId.eq(graduate_id))
        .order_by_asc(exemption::Column::Id)
        .all(db)
        .await?)
}

pub async fn claims_of(
    db: &DatabaseConnection,
    obligation_id: i64,
) -> ApiResult<Vec<claim::Model>> {
    Ok(claim::Entity::find()
        .filter(claim::Column::ObligationId.eq(obligation_id))
        .order_by_asc(claim::Column::Id)
        .all(db)
        .await?)
}

/// Counts by a key, for the dashboard.
#[derive(Debug, Clone)]
pub struct Bucket {
    pub key: String,
    pub count: i64,
}

#[derive(Debug, Clone)]
pub struct Dashboard {
    pub total: i64,
    pub by_status: Vec<Bucket>,
    pub by_category: Vec<Bucket>,
    pub by_region: Vec<Bucket>,
    pub by_year: Vec<Bucket>,
    pub breach_share: f64,
    pub horizon: Period,
    /// Graduates with any contribution in the latest month the feeds cover.
    pub paid_in_latest_month: i64,
    /// Graduates whose ledger credits that month (its state as the last evaluation stored).
    pub credited_in_latest_month: i64,
    pub pending_classification: i64,
    pub imports_running: i64,
}

async fn buckets(db: &DatabaseConnection, sql: &str) -> ApiResult<Vec<Bucket>> {
    let backend = db.get_database_backend();
    let rows = db
        .query_all_raw(Statement::from_string(backend, sql.to_owned()))
        .await?;
    let mut out = Vec::new();
    for r in rows {
        let key: Option<String> = r.try_get("", "k").ok().flatten();
        let count: i64 = r.try_get("", "n").unwrap_or(0);
        out.push(Bucket {
            key: key.unwrap_or_else(|| "unknown".into()),
            count,
        });
    }
    out.sort_by(|a, b| b.count.cmp(&a.count).then(a.key.cmp(&b.key)));
    Ok(out)
}

/// The dashboard kept until the register's data changes (its
/// [`generation`](adal_core::generation::REGISTER) moves on): its figures over every
/// graduate, contribution and obligation cost whole-table scans (a second at national scale),
/// and every analyst opens it. The classification queue and the running imports are counted
/// live at each read.
#[derive(Default)]
pub struct DashboardCache {
    kept: adal_core::generation::Kept<(), Dashboard>,
}

impl DashboardCache {
    pub async fn get(&self, db: &DatabaseConnection) -> ApiResult<Dashboard> {
        // Taken before computing: a write that lands meanwhile raises it past what is kept.
        let generation = adal_core::generation::read(db, adal_core::generation::REGISTER).await?;
        let Some(mut d) = self.kept.get(&(), generation) else {
            let d = dashboard(db).await?;
            self.kept.put((), generation, d.clone());
            return Ok(d);
        };
        d.pending_classification = pending_classification(db).await?;
        d.imports_running = imports_running(db).await?;
        Ok(d)
    }
}

async fn count_of(db: &DatabaseConnection, sql: &str) -> ApiResult<i64> {
    let backend = db.get_database_backend();
    Ok(db
        .query_one_raw(Statement::from_string(backend, sql.to_owned()))
        .await?
        .and_then(|r| r.try_get::<i64>("", "n").ok())
        .unwrap_or(0))
}

async fn pending_classification(db: &DatabaseConnection) -> ApiResult<i64> {
    count_of(
        db,
        "SELECT COUNT(*) AS n FROM organisation WHERE needs_classification = TRUE",
    )
    .await
}

async fn imports_running(db: &DatabaseConnection) -> ApiResult<i64> {
    count_of(
        db,
        "SELECT COUNT(*) AS n FROM import_batch WHERE status = 'running'",
    )
    .await
}

/// The dashboard computed now (see [`DashboardCache`]).
pub async fn dashboard(db: &DatabaseConnection) -> ApiResult<Dashboard> {
    let backend = db.get_database_backend();
    let year_expr = match backend {
        DbBackend::Postgres => "CAST(EXTRACT(YEAR FROM g.graduation_date) AS TEXT)",
        _ => "substr(g.graduation_date, 1, 4)",
    };
    let from = "FROM graduate g JOIN obligation o ON o.graduate_id = g.id";
    let by_status = buckets(
        db,
        &format!("SELECT o.status AS k, COUNT(*) AS n {from} GROUP BY o.status"),
    )
    .await?;
    let by_category = buckets(
        db,
        &format!(
            "SELECT g.funding_category AS k, COUNT(*) AS n {from} GROUP BY g.funding_category"
        ),
    )
    .await?;
    let by_region = buckets(
        db,
        &format!(
            "SELECT g.home_region_kato AS k, COUNT(*) AS n {from} GROUP BY g.home_region_kato"
        ),
    )
    .await?;
    let mut by_year = buckets(
        db,
        &format!("SELECT {year_expr} AS k, COUNT(*) AS n {from} GROUP BY {year_expr}"),
    )
    .await?;
    by_year.sort_by(|a, b| a.key.cmp(&b.key));
    let total: i64 = by_status.iter().map(|b| b.count).sum();
    let breach = by_status
        .iter()
        .find(|b| b.key == ObligationStatus::Breach.as_str())
        .map_or(0, |b| b.count);
    let horizon = evaluate::horizon(db).await?.feed;
    let paid = count_of(
        db,
        &format!(
            "SELECT COUNT(DISTINCT iin) AS n FROM contribution WHERE period = {}",
            horizon.as_i32()
        ),
    )
    .await?;
    // Each obligation stores its state in its own horizon, the feed's month for most; the
    // few whose own records run later (a person's answer after a 511) have that month's state
    // computed here.
    let credited = count_of(
        db,
        &format!(
            "SELECT COUNT(*) AS n FROM obligation WHERE horizon = {} AND horizon_state = '{}'",
            horizon.as_i32(),
            MonthState::Credited.as_str()
        ),
    )
    .await?;
    let fresher: Vec<i64> = obligation::Entity::find()
        .select_only()
        .column(obligation::Column::GraduateId)
        .filter(obligation::Column::Horizon.gt(horizon.as_i32()))
        .into_tuple()
        .all(db)
        .await?;
    let credited = credited
        + evaluate::count_in_state(db, &fresher, horizon, MonthState::Credited).await? as i64;
    let pending = pending_classification(db).await?;
    let running = imports_running(db).await?;
    Ok(Dashboard {
        total,
        breach_share: if total > 0 {
            breach as f64 / total as f64
        } else {
            0.0
        },
        by_status,
        by_category,
        by_region,
        by_year,
        horizon,
        paid_in_latest_month: paid,
        credited_in_latest_month: credited,
        pending_classification: pending,
        imports_running: running,
    })
}

/// Employers waiting for classification, by how many graduate-months depend on them.
pub async fn classification_queue(
    db: &DatabaseConnection,
    limit: u64,
) -> ApiResult<Vec<(organisation::Model, i64)>> {
    let backend = db.get_database_backend();
    let rows = db
        .query_all_raw(Statement::from_sql_and_values(
            backend,
            format!(
                "SELECT o.id AS id, COUNT(c.iin) AS n FROM organisation o LEFT JOIN contribution c ON c.employer_bin = o.bin \
                 WHERE o.needs_classification = TRUE GROUP BY o.id ORDER BY n DESC, o.id ASC LIMIT {limit}"
            ),
            [],
        ))
        .await?;
    let mut counts = Vec::new();
    for r in rows {
        counts.push((r.try_get::<i64>("", "id")?, r.try_get::<i64>("", "n")?));
    }
    let ids: Vec<i64> = counts.iter().map(|(id, _)| *id).collect();
    let mut orgs: HashMap<i64, organisation::Model> = organisation::Entity::find()
        .filter(organisation::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|o| (o.id, o))
        .collect();
    Ok(counts
        .into_iter()
        .filter_map(|(id, n)| orgs.remove(&id).map(|o| (o, n)))
        .collect())
}
