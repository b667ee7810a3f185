//! The monthly reports, prepared on the 1st for the month before (well before the 5th):
//! free and subsidised meals per school (pupil, meals, ground, cost) for the school's
//! administration, their totals per school for the region's education authority, and the
//! attendance of pupils and staff with dates and times.
//!
//! Each report is a table written as CSV and XLSX. The bytes depend on the data only (rows in a
//! fixed order, the workbook's creation date fixed to the month's end), so regenerating a month
//! gives the same bytes unless data changed: then a new version is stored, saying which rows
//! changed. Every version's checksums are recorded in the audit trail.

use std::collections::{BTreeMap, HashMap};

use chrono::{Datelike, Duration, NaiveDate, Utc};
use futures_util::future::BoxFuture;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, Set,
};
use serde::{Deserialize, Serialize};
use serde_json::json;
use sha2::{Digest, Sha256};

use entities::{organisation, person, school_class, school_meal, school_member, school_report};

use adal_core::audit;
use adal_core::error::{ApiError, ApiResult};
use adal_core::jobs::{JobContext, JobHandler};
use adal_core::spreadsheet::text_cell;
use adal_core::vocab::OrganisationKind;

use crate::attendance;
use crate::rules;
use crate::vocab::{MealCharge, MemberKind};

/// A month as `YYYYMM`.
pub type Month = i32;

/// The first and last day of a month; `None` for a malformed one.
pub fn days_of(month: Month) -> Option<(NaiveDate, NaiveDate)> {
    let first = NaiveDate::from_ymd_opt(month / 100, u32::try_from(month % 100).ok()?, 1)?;
    let next = if month % 100 == 12 {
        NaiveDate::from_ymd_opt(month / 100 + 1, 1, 1)?
    } else {
        NaiveDate::from_ymd_opt(month / 100, u32::try_from(month % 100 + 1).ok()?, 1)?
    };
    Some((first, next - Duration::days(1)))
}

/// The month of a day.
pub fn month_of(day: NaiveDate) -> Month {
    day.year() * 100 + day.month() as i32
}

/// The month before.
pub fn previous(month: Month) -> Month {
    if month % 100 == 1 {
        (month / 100 - 1) * 100 + 12
    } else {
        month - 1
    }
}

/// What a report is about.
pub use crate::vocab::SchoolReportKind as Kind;

/// A cell: text, or a whole number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cell {
    Text(String),
    Int(i64),
}

/// A report's table: its header and rows; the last row may be a total.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    pub header: Vec<&'static str>,
    pub rows: Vec<Vec<Cell>>,
}

fn t(s: impl Into<String>) -> Cell {
    Cell::Text(s.into())
}

/// The table as CSV (comma-separated, quoted where needed, formula-like text defused).
pub fn csv(table: &Table) -> String {
    let mut out = table.header.join(",");
    out.push('\n');
    for row in &table.rows {
        let cells: Vec<String> = row
            .iter()
            .map(|c| match c {
                Cell::Int(n) => n.to_string(),
                Cell::Text(s) => {
                    let s = text_cell(s);
                    if s.contains([',', '"', '\n']) {
                        format!("\"{}\"", s.replace('"', "\"\""))
                    } else {
                        s.into_owned()
                    }
                }
            })
            .collect();
        out.push_str(&cells.join(","));
        out.push('\n');
    }
    out
}

/// The table as an XLSX workbook whose bytes depend on the table and the month only.
pub fn xlsx(table: &Table, month: Month) -> ApiResult<Vec<u8>> {
    use rust_xlsxwriter::{DocProperties, ExcelDateTime, Workbook};
    let failed = |e: rust_xlsxwriter::XlsxError| ApiError::internal(e);
    let (_, last) = days_of(month).ok_or(ApiError::NotFound("month"))?;
    let mut book = Workbook::new();
    let created = ExcelDateTime::from_ymd(
        u16::try_from(last.year()).unwrap_or(2000),
        u8::try_from(last.month()).unwrap_or(1),
        u8::try_from(last.day()).unwrap_or(1),
    )
    .map_err(failed)?;
    book.set_properties(&DocProperties::new().set_creation_datetime(&created));
    let sheet = book.add_worksheet();
    for (c, h) in table.header.iter().enumerate() {
        sheet
            .write_string(0, u16::try_from(c).unwrap_or(0), *h)
            .map_err(failed)?;
    }
    for (r, row) in table.rows.iter().enumerate() {
        let r = u32::try_from(r + 1).unwrap_or(u32::MAX);
        for (c, cell) in row.iter().enumerate() {
            let c = u16::try_from(c).unwrap_or(0);
            match cell {
                Cell::Int(n) => sheet.write_number(r, c, *n as f64).map_err(failed)?,
                Cell::Text(s) => sheet.write_string(r, c, text_cell(s)).map_err(failed)?,
            };
        }
    }
    book.save_to_buffer().map_err(failed)
}

fn sha(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// What changed between two versions of a table: rows are keyed by their text cells, valued
/// by their numbers.
pub fn changes(before: &Table, after: &Table) -> String {
    fn keyed(t: &Table) -> BTreeMap<String, Vec<i64>> {
        let mut m = BTreeMap::new();
        for row in &t.rows {
            let key: Vec<&str> = row
                .iter()
                .filter_map(|c| match c {
                    Cell::Text(s) => Some(s.as_str()),
                    Cell::Int(_) => None,
                })
                .collect();
            let nums: Vec<i64> = row
                .iter()
                .filter_map(|c| match c {
                    Cell::Int(n) => Some(*n),
                    Cell::Text(_) => None,
                })
                .collect();
            m.insert(key.join(" · "), nums);
        }
        m
    }
    let (a, b) = (keyed(before), keyed(after));
    let mut lines = Vec::new();
    for (k, v) in &b {
        match a.get(k) {
            None => lines.push(format!("+ {k}: {v:?}")),
            Some(old) if old != v => lines.push(format!("~ {k}: {old:?} → {v:?}")),
            _ => {}
        }
    }
    for k in a.keys().filter(|k| !b.contains_key(*k)) {
        lines.push(format!("- {k}"));
    }
    let n = lines.len();
    let mut out = format!("{n} rows changed");
    for l in lines.iter().take(20) {
        out.push('\n');
        out.push_str(l);
    }
    if n > 20 {
        out.push_str(&format!("\n… and {} more", n - 20));
    }
    out
}

/// The columns of a kind of report that hold numbers.
fn numeric(kind: Kind) -> &'static [usize] {
    match kind {
        Kind::MealsSchool => &[3, 4, 5, 6],
        Kind::MealsRegion => &[2, 3, 4, 5],
        Kind::AttendanceSchool => &[],
    }
}

/// Reads a stored CSV back into its table: numbers where the kind has them, text (with the
/// apostrophe that defused a formula-like value taken off) elsewhere.
pub fn from_csv(kind: Kind, text: &str) -> Table {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(text.as_bytes());
    let nums = numeric(kind);
    let rows = reader
        .records()
        .filter_map(Result::ok)
        .map(|r| {
            r.iter()
                .enumerate()
                .map(|(i, c)| match c.parse::<i64>() {
                    Ok(n) if nums.contains(&i) => Cell::Int(n),
                    _ => match c.strip_prefix('\'') {
                        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => t(rest),
                        _ => t(c),
                    },
                })
                .collect()
        })
        .collect();
    Table {
        header: header_of(kind),
        rows,
    }
}

struct Pupil {
    class: String,
    grade: i32,
    name: String,
}

async fn pupils_of(
    db: &impl ConnectionTrait,
    ids: &[i64],
    school_id: i64,
) -> ApiResult<HashMap<i64, Pupil>> {
    let people: HashMap<i64, person::Model> = person::Entity::find()
        .filter(person::Column::Id.is_in(ids.iter().copied()))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.id, p))
        .collect();
    let members: HashMap<i64, school_member::Model> = school_member::Entity::find()
        .filter(school_member::Column::SchoolId.eq(school_id))
        .filter(school_member::Column::PersonId.is_in(ids.iter().copied()))
        .all(db)
        .await?
        .into_iter()
        .map(|m| (m.person_id, m))
        .collect();
    let classes: HashMap<i64, school_class::Model> = school_class::Entity::find()
        .filter(school_class::Column::SchoolId.eq(school_id))
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c))
        .collect();
    Ok(ids
        .iter()
        .map(|id| {
            let class = members
                .get(id)
                .and_then(|m| m.class_id)
                .and_then(|c| classes.get(&c));
            (
                *id,
                Pupil {
                    class: class.map(|c| c.name.clone()).unwrap_or_default(),
                    grade: class.map_or(0, |c| c.grade),
                    name: people.get(id).map(|p| p.full_name()).unwrap_or_default(),
                },
            )
        })
        .collect())
}

/// Subsidised meals of a month, counted and summed by the database.
#[derive(Debug, sea_orm::FromQueryResult)]
struct Sums {
    key: i64,
    ground: Option<String>,
    charge: String,
    n: i64,
    price: i64,
    cost: i64,
}

/// The subsidised meals of some schools in a month (one partition on PostgreSQL).
fn subsidised(school_ids: &[i64], month: Month) -> ApiResult<sea_orm::Select<school_meal::Entity>> {
    let (from, to) = days_of(month).ok_or(ApiError::bad_input("month", "YYYYMM"))?;
    Ok(school_meal::Entity::find()
        .filter(school_meal::Column::SchoolId.is_in(school_ids.iter().copied()))
        .filter(school_meal::Column::Day.gte(from))
        .filter(school_meal::Column::Day.lte(to))
        .filter(school_meal::Column::Charge.ne(MealCharge::Paid.as_str())))
}

/// The month's subsidised meals of some schools grouped by `key` (`person_id` or
/// `school_id`), ground and charge: one pass over the month's partition.
async fn sums(
    db: &impl ConnectionTrait,
    school_ids: &[i64],
    month: Month,
    key: school_meal::Column,
) -> ApiResult<Vec<Sums>> {
    use sea_orm::QuerySelect;
    use sea_orm::sea_query::Expr;
    Ok(subsidised(school_ids, month)?
        .select_only()
        .column_as(key, "key")
        .column(school_meal::Column::Ground)
        .column(school_meal::Column::Charge)
        .column_as(Expr::cust("COUNT(*)"), "n")
        .column_as(Expr::cust("CAST(SUM(price) AS BIGINT)"), "price")
        .column_as(Expr::cust("CAST(SUM(cost) AS BIGINT)"), "cost")
        .group_by(key)
        .group_by(school_meal::Column::Ground)
        .group_by(school_meal::Column::Charge)
        .into_model::<Sums>()
        .all(db)
        .await?)
}

/// A school's free and subsidised meals of a month, per pupil and ground, with a total row.
pub async fn meals_school(
    db: &impl ConnectionTrait,
    school_id: i64,
    month: Month,
) -> ApiResult<Table> {
    // (person, ground) -> (free, reduced, paid by the pupil, budget cost)
    let mut agg: BTreeMap<(i64, String), (i64, i64, i64, i64)> = BTreeMap::new();
    for m in sums(db, &[school_id], month, school_meal::Column::PersonId).await? {
        let e = agg
            .entry((m.key, m.ground.unwrap_or_default()))
            .or_default();
        if m.charge == MealCharge::Free.as_str() {
            e.0 += m.n;
        } else {
            e.1 += m.n;
        }
        e.2 += m.price;
        e.3 += m.cost;
    }
    let ids: Vec<i64> = agg.keys().map(|(p, _)| *p).collect();
    let pupils = pupils_of(db, &ids, school_id).await?;
    type Row = (i32, String, String, String, (i64, i64, i64, i64));
    let mut rows: Vec<Row> = agg
        .into_iter()
        .map(|((p, ground), v)| {
            let pupil = pupils.get(&p);
            (
                pupil.map_or(0, |x| x.grade),
                pupil.map(|x| x.class.clone()).unwrap_or_default(),
                pupil.map(|x| x.name.clone()).unwrap_or_default(),
                ground,
                v,
            )
        })
        .collect();
    rows.sort();
    let mut total = (0, 0, 0, 0);
    let mut out: Vec<Vec<Cell>> = Vec::new();
    for (_, class, name, ground, (f, r, paid, cost)) in rows {
        total = (total.0 + f, total.1 + r, total.2 + paid, total.3 + cost);
        out.push(vec![
            t(class),
            t(name),
            t(ground),
            Cell::Int(f),
            Cell::Int(r),
            Cell::Int(paid),
            Cell::Int(cost),
        ]);
    }
    out.push(vec![
        t("TOTAL"),
        t(""),
        t(""),
        Cell::Int(total.0),
        Cell::Int(total.1),
        Cell::Int(total.2),
        Cell::Int(total.3),
    ]);
    Ok(Table {
        header: header_of(Kind::MealsSchool),
        rows: out,
    })
}

/// The schools of a region (by their own region or their locality's).
pub async fn schools_of_region(
    db: &impl ConnectionTrait,
    region: &str,
) -> ApiResult<Vec<organisation::Model>> {
    Ok(organisation::Entity::find()
        .filter(organisation::Column::Kind.eq(OrganisationKind::School.as_str()))
        .filter(organisation::Column::RegionKato.eq(region))
        .order_by_asc(organisation::Column::Bin)
        .all(db)
        .await?)
}

#[derive(Debug, sea_orm::FromQueryResult)]
struct Fed {
    school_id: i64,
    n: i64,
}

/// The pupils who had a subsidised meal in a month, per school.
async fn pupils_fed(
    db: &impl ConnectionTrait,
    school_ids: &[i64],
    month: Month,
) -> ApiResult<Vec<(i64, i64)>> {
    use sea_orm::QuerySelect;
    use sea_orm::sea_query::Expr;
    Ok(subsidised(school_ids, month)?
        .select_only()
        .column(school_meal::Column::SchoolId)
        .column_as(Expr::cust("COUNT(DISTINCT person_id)"), "n")
        .group_by(school_meal::Column::SchoolId)
        .into_model::<Fed>()
        .all(db)
        .await?
        .into_iter()
        .map(|f| (f.school_id, f.n))
        .collect())
}

/// A region's free and subsidised meals of a month, per school, with a total row.
pub async fn meals_region(
    db: &impl ConnectionTrait,
    region: &str,
    month: Month,
) -> ApiResult<Table> {
    let schools = schools_of_region(db, region).await?;
    let ids: Vec<i64> = schools.iter().map(|s| s.id).collect();
    // school -> (pupils, free, reduced, cost)
    let mut per: HashMap<i64, (i64, i64, i64, i64)> = HashMap::new();
    for m in sums(db, &ids, month, school_meal::Column::SchoolId).await? {
        let e = per.entry(m.key).or_default();
        if m.charge == MealCharge::Free.as_str() {
            e.1 += m.n;
        } else {
            e.2 += m.n;
        }
        e.3 += m.cost;
    }
    for (school, pupils) in pupils_fed(db, &ids, month).await? {
        per.entry(school).or_default().0 = pupils;
    }
    let mut total = (0i64, 0i64, 0i64, 0i64);
    let mut rows = Vec::new();
    for s in &schools {
        let Some((n, f, r, cost)) = per.get(&s.id).copied() else {
            continue;
        };
        total = (total.0 + n, total.1 + f, total.2 + r, total.3 + cost);
        rows.push(vec![
            t(s.bin.clone()),
            t(s.name_ru.clone()),
            Cell::Int(n),
            Cell::Int(f),
            Cell::Int(r),
            Cell::Int(cost),
        ]);
    }
    rows.push(vec![
        t("TOTAL"),
        t(""),
        Cell::Int(total.0),
        Cell::Int(total.1),
        Cell::Int(total.2),
        Cell::Int(total.3),
    ]);
    Ok(Table {
        header: header_of(Kind::MealsRegion),
        rows,
    })
}

/// A school's attendance of a month: each member, each school day the school was open (a
/// day without any pass is left out), first entry and last exit (local time), late, absent.
pub async fn attendance_school(
    db: &impl ConnectionTrait,
    school_id: i64,
    month: Month,
) -> ApiResult<Table> {
    let (from, to) = days_of(month).ok_or(ApiError::bad_input("month", "YYYYMM"))?;
    let members = crate::roster::members(db, school_id, None, None).await?;
    let ids: Vec<i64> = members.iter().map(|m| m.person_id).collect();
    let people = pupils_of(db, &ids, school_id).await?;
    let mut per_day: Vec<(NaiveDate, Vec<(school_member::Model, rules::Day)>)> = Vec::new();
    let mut d = from;
    while d <= to {
        if rules::is_school_day(d) {
            let list = attendance::school_day(db, school_id, d).await?;
            // A school day without a single pass: the school was closed (a holiday, before
            // it used Adal, a day still to come), not everyone absent.
            if list.iter().any(|(_, day)| !day.absent) {
                per_day.push((d, list));
            }
        }
        d += Duration::days(1);
    }
    let mut rows = Vec::new();
    for (day, list) in per_day {
        let mut list: Vec<(String, i32, String, String, rules::Day)> = list
            .into_iter()
            .map(|(m, dd)| {
                let p = people.get(&m.person_id);
                (
                    m.kind.clone(),
                    p.map_or(0, |x| x.grade),
                    p.map(|x| x.class.clone()).unwrap_or_default(),
                    p.map(|x| x.name.clone()).unwrap_or_default(),
                    dd,
                )
            })
            .collect();
        list.sort_by(|a, b| (&a.0, a.1, &a.2, &a.3).cmp(&(&b.0, b.1, &b.2, &b.3)));
        for (kind, _, class, name, dd) in list {
            let kind = if kind == MemberKind::Staff.as_str() {
                "staff"
            } else {
                "pupil"
            };
            rows.push(vec![
                t(day.format("%Y-%m-%d").to_string()),
                t(kind),
                t(class),
                t(name),
                t(dd.first_entry.map(rules::hhmm).unwrap_or_default()),
                t(dd.last_exit.map(rules::hhmm).unwrap_or_default()),
                t(if dd.late { "late" } else { "" }),
                t(if dd.absent { "absent" } else { "" }),
            ]);
        }
    }
    Ok(Table {
        header: header_of(Kind::AttendanceSchool),
        rows,
    })
}

/// Where a report is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    School(i64),
    Region(String),
}

impl Scope {
    fn key(&self) -> String {
        match self {
            Scope::School(id) => format!("school:{id}"),
            Scope::Region(k) => format!("region:{k}"),
        }
    }
}

async fn build(
    db: &impl ConnectionTrait,
    kind: Kind,
    scope: &Scope,
    month: Month,
) -> ApiResult<Table> {
    match (kind, scope) {
        (Kind::MealsSchool, Scope::School(id)) => meals_school(db, *id, month).await,
        (Kind::AttendanceSchool, Scope::School(id)) => attendance_school(db, *id, month).await,
        (Kind::MealsRegion, Scope::Region(r)) => meals_region(db, r, month).await,
        _ => Err(ApiError::bad_input(
            "kind",
            "this report is not made for this scope",
        )),
    }
}

/// The newest version of a report.
pub async fn latest(
    db: &impl ConnectionTrait,
    kind: Kind,
    scope: &Scope,
    month: Month,
) -> ApiResult<Option<school_report::Model>> {
    Ok(school_report::Entity::find()
        .filter(school_report::Column::Kind.eq(kind.as_str()))
        .filter(school_report::Column::Scope.eq(scope.key()))
        .filter(school_report::Column::Month.eq(month))
        .order_by_desc(school_report::Column::Version)
        .one(db)
        .await?)
}

pub async fn get(db: &impl ConnectionTrait, id: i64) -> ApiResult<school_report::Model> {
    school_report::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(ApiError::NotFound("report"))
}

/// The versions of a school's reports (or a region's) for a month, newest first.
pub async fn list(
    db: &impl ConnectionTrait,
    scope: &Scope,
    month: Month,
) -> ApiResult<Vec<school_report::Model>> {
    Ok(school_report::Entity::find()
        .filter(school_report::Column::Scope.eq(scope.key()))
        .filter(school_report::Column::Month.eq(month))
        .order_by_asc(school_report::Column::Kind)
        .order_by_desc(school_report::Column::Version)
        .all(db)
        .await?)
}

/// Makes a report: a new version when its bytes differ from the newest one (with what
/// changed), else the newest one as it is. Returns the version and whether it is new.
pub async fn generate(
    db: &DatabaseConnection,
    actor_account: Option<i64>,
    kind: Kind,
    scope: Scope,
    month: Month,
) -> ApiResult<(school_report::Model, bool)> {
    days_of(month).ok_or(ApiError::bad_input("month", "a month as YYYYMM"))?;
    let table = build(db, kind, &scope, month).await?;
    let text = csv(&table);
    let csv_sha = sha(text.as_bytes());
    // The workbook is made from the CSV, as the download makes it again.
    let xlsx_sha = sha(&xlsx(&from_csv(kind, &text), month)?);
    let txn = adal_core::db::begin_write(db).await?;
    let before = latest(&txn, kind, &scope, month).await?;
    if let Some(b) = &before
        && b.csv_sha256 == csv_sha
        && b.xlsx_sha256 == xlsx_sha
    {
        txn.commit().await?;
        return Ok((b.clone(), false));
    }
    let changes = before
        .as_ref()
        .map(|b| changes(&from_csv(kind, &b.csv), &from_csv(kind, &text)));
    let (school_id, region_kato) = match &scope {
        Scope::School(id) => (Some(*id), None),
        Scope::Region(r) => (None, Some(r.clone())),
    };
    let m = school_report::ActiveModel {
        kind: Set(kind.as_str().into()),
        scope: Set(scope.key()),
        school_id: Set(school_id),
        region_kato: Set(region_kato),
        month: Set(month),
        version: Set(before.as_ref().map_or(1, |b| b.version + 1)),
        csv: Set(text),
        csv_sha256: Set(csv_sha.clone()),
        xlsx_sha256: Set(xlsx_sha.clone()),
        rows: Set(i32::try_from(table.rows.len()).unwrap_or(i32::MAX)),
        changes: Set(changes.clone()),
        generated_at: Set(Utc::now()),
        generated_by: Set(actor_account),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        actor_account,
        "school.report",
        "school_report",
        m.id,
        json!({ "kind": kind.as_str(), "scope": scope.key(), "month": month,
                "version": m.version, "csvSha256": csv_sha, "xlsxSha256": xlsx_sha,
                "changes": changes }),
    )
    .await?;
    txn.commit().await?;
    Ok((m, true))
}

/// A stored version's workbook and its checksum (the one recorded when it was made).
pub fn workbook(m: &school_report::Model) -> ApiResult<(Vec<u8>, String)> {
    let kind = Kind::from_db(&m.kind).ok_or(ApiError::NotFound("report"))?;
    let bytes = xlsx(&from_csv(kind, &m.csv), m.month)?;
    let sum = sha(&bytes);
    Ok((bytes, sum))
}

fn header_of(k: Kind) -> Vec<&'static str> {
    match k {
        Kind::MealsSchool => vec![
            "class",
            "pupil",
            "ground",
            "free_meals",
            "reduced_meals",
            "paid_by_family_kzt",
            "budget_cost_kzt",
        ],
        Kind::MealsRegion => vec![
            "school_bin",
            "school",
            "pupils_fed",
            "free_meals",
            "reduced_meals",
            "budget_cost_kzt",
        ],
        Kind::AttendanceSchool => vec![
            "date",
            "kind",
            "class",
            "person",
            "first_entry",
            "last_exit",
            "late",
            "absent",
        ],
    }
}

/// The job that prepares every report of a month.
pub const JOB: &str = "schools.monthly_reports";

#[derive(Debug, Serialize, Deserialize)]
struct MonthlyJob {
    month: Month,
}

/// Queues the month's reports, once per month (a job of this kind and month already queued,
/// running or done is enough).
pub async fn schedule(db: &DatabaseConnection, month: Month) -> ApiResult<bool> {
    use entities::job;
    let payload = json!(MonthlyJob { month });
    let exists = job::Entity::find()
        .filter(job::Column::Kind.eq(JOB))
        .filter(job::Column::Payload.eq(payload.to_string()))
        .one(db)
        .await?
        .is_some();
    if exists {
        return Ok(false);
    }
    adal_core::jobs::enqueue(db, JOB, &payload, 3).await?;
    Ok(true)
}

/// Prepares the month's reports of every school on the platform (one with its list of
/// members loaded) and of their regions, reporting progress; resumable (each report already
/// made is found unchanged). An organisation of kind school that never loaded its list (an
/// employer from the contribution records) has nothing to report, and writing two empty
/// reports for each of thousands of them would hold SQLite's one writer for minutes.
#[derive(Debug, Default, Clone, Copy)]
pub struct MonthlyReports;

impl JobHandler for MonthlyReports {
    fn kind(&self) -> &'static str {
        JOB
    }

    fn run<'a>(&'a self, cx: &'a JobContext) -> BoxFuture<'a, ApiResult<()>> {
        Box::pin(async move {
            let MonthlyJob { month } = cx.payload()?;
            let schools: Vec<organisation::Model> = organisation::Entity::find()
                .filter(organisation::Column::Kind.eq(OrganisationKind::School.as_str()))
                .filter(
                    organisation::Column::Id.in_subquery(
                        sea_orm::sea_query::Query::select()
                            .column(school_member::Column::SchoolId)
                            .from(school_member::Entity)
                            .to_owned(),
                    ),
                )
                .order_by_asc(organisation::Column::Id)
                .all(&cx.db)
                .await?;
            let mut regions: Vec<String> = schools
                .iter()
                .filter_map(|s| s.region_kato.clone())
                .collect();
            regions.sort();
            regions.dedup();
            let total = schools.len() * 2 + regions.len();
            let mut done = 0;
            for s in &schools {
                for kind in [Kind::MealsSchool, Kind::AttendanceSchool] {
                    generate(&cx.db, None, kind, Scope::School(s.id), month).await?;
                    done += 1;
                }
                cx.progress(json!({ "done": done, "total": total })).await?;
            }
            for r in regions {
                generate(&cx.db, None, Kind::MealsRegion, Scope::Region(r), month).await?;
                done += 1;
            }
            cx.progress(json!({ "done": done, "total": total })).await?;
            Ok(())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months() {
        assert_eq!(
            days_of(202602),
            Some((
                NaiveDate::from_ymd_opt(2026, 2, 1).expect("date"),
                NaiveDate::from_ymd_opt(2026, 2, 28).expect("date")
            ))
        );
        assert_eq!(days_of(202613), None);
        assert_eq!(previous(202701), 202612);
        assert_eq!(previous(202611), 202610);
    }

    fn table(rows: Vec<Vec<Cell>>) -> Table {
        Table {
            header: vec!["class", "pupil", "free_meals"],
            rows,
        }
    }

    #[test]
    fn csv_is_quoted_and_defused_and_reads_back() {
        let tb = table(vec![
            vec![t("5А"), t("=HYPERLINK(\"x\")"), Cell::Int(3)],
            vec![t("5А"), t("O'Neil, Tom"), Cell::Int(2)],
        ]);
        let text = csv(&tb);
        assert_eq!(
            text,
            "class,pupil,free_meals\n5А,\"'=HYPERLINK(\"\"x\"\")\",3\n5А,\"O'Neil, Tom\",2\n"
        );
        let back = from_csv(Kind::MealsSchool, &text);
        assert_eq!(back.rows[0][1], t("=HYPERLINK(\"x\")"));
        assert_eq!(
            csv(&back).split_once('\n').map(|x| x.1),
            text.split_once('\n').map(|x| x.1)
        );
    }

    #[test]
    fn the_same_table_gives_the_same_bytes() {
        let tb = table(vec![vec![t("5А"), t("Әлихан"), Cell::Int(20)]]);
        let a = xlsx(&tb, 202611).expect("xlsx");
        let b = xlsx(&tb, 202611).expect("xlsx");
        assert_eq!(sha(&a), sha(&b));
        let other = table(vec![vec![t("5А"), t("Әлихан"), Cell::Int(21)]]);
        assert_ne!(sha(&a), sha(&xlsx(&other, 202611).expect("xlsx")));
    }

    #[test]
    fn changes_name_the_rows() {
        let a = table(vec![
            vec![t("5А"), t("Әлихан"), Cell::Int(20)],
            vec![t("3Б"), t("Аружан"), Cell::Int(19)],
        ]);
        let b = table(vec![
            vec![t("5А"), t("Әлихан"), Cell::Int(21)],
            vec![t("4А"), t("Софья"), Cell::Int(18)],
        ]);
        let c = changes(&a, &b);
        assert!(c.starts_with("3 rows changed"), "{c}");
        assert!(c.contains("~ 5А · Әлихан: [20] → [21]"), "{c}");
        assert!(c.contains("+ 4А · Софья: [18]"), "{c}");
        assert!(c.contains("- 3Б · Аружан"), "{c}");
    }
}
