//! Publishing counts of persons without singling anyone out (statistical disclosure control),
//! for the open figures anyone may read or download.
//!
//! - Primary suppression: a cell counting fewer than [`MIN_CELL`] persons, but some, is not
//!   shown. Zero is shown: it describes nobody.
//! - Complementary suppression: a table is published with its row and column totals, so one
//!   hidden cell in a row or a column could be recovered by subtracting the others from the
//!   total. Wherever a row or a column (its total counted as one of its members) holds exactly
//!   one hidden member, a second is hidden: the smallest non-zero cell of that line (the least
//!   information lost), or the line's total when no other cell of it counts anyone. This
//!   repeats until every row and column holds no hidden member or at least two.
//!
//! That is the heuristic statistical offices use for tables published with margins: it stops a
//! cell being recovered by the arithmetic of one row or column. It does not promise that no
//! narrower range can be found by solving the whole table as a system of equations.
//!
//! Values that follow a cell (money, meals) are hidden with its count of persons.

use std::collections::HashMap;
use std::sync::Arc;

use async_graphql::SimpleObject;
use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, EntityTrait, QueryOrder};

use entities::region;

use crate::error::ApiResult;
use crate::vocab::Language;

/// The smallest count of persons shown.
pub const MIN_CELL: i64 = 10;

/// Whether a count of persons is too small to publish on its own.
pub fn too_small(n: i64) -> bool {
    n > 0 && n < MIN_CELL
}

/// Which cells of a table of counts to hide: `counts` is the table, `columns` cells a row
/// (also when it has no rows), and the answer says, for each cell and for the totals computed
/// from them, whether it is hidden.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hidden {
    pub cells: Vec<Vec<bool>>,
    pub row_totals: Vec<bool>,
    pub column_totals: Vec<bool>,
    pub total: bool,
}

/// The cells to hide in `counts` and its totals (see the module's rules).
pub fn suppress(counts: &[Vec<i64>], columns: usize) -> Hidden {
    let rows = counts.len();
    let cols = columns;
    // The table with its margins: row `rows` holds the column totals, column `cols` the row
    // totals, and their corner the grand total.
    let mut m = vec![vec![0i64; cols + 1]; rows + 1];
    for (i, row) in counts.iter().enumerate() {
        for (j, &v) in row.iter().take(cols).enumerate() {
            m[i][j] = v;
            m[i][cols] += v;
            m[rows][j] += v;
            m[rows][cols] += v;
        }
    }
    let mut hidden: Vec<Vec<bool>> = m
        .iter()
        .map(|r| r.iter().map(|&v| too_small(v)).collect())
        .collect();
    loop {
        let mut changed = false;
        // Each line: its cells, then its total.
        let lines = (0..=rows)
            .map(|i| {
                let cells: Vec<(usize, usize)> = (0..cols).map(|j| (i, j)).collect();
                (cells, (i, cols))
            })
            .chain((0..=cols).map(|j| {
                let cells: Vec<(usize, usize)> = (0..rows).map(|i| (i, j)).collect();
                (cells, (rows, j))
            }));
        for (cells, total) in lines {
            let hidden_members = cells
                .iter()
                .chain(std::iter::once(&total))
                .filter(|&&(i, j)| hidden[i][j])
                .count();
            if hidden_members != 1 {
                continue;
            }
            let second = cells
                .iter()
                .filter(|&&(i, j)| !hidden[i][j] && m[i][j] > 0)
                .min_by_key(|&&(i, j)| m[i][j])
                .copied()
                .unwrap_or(total);
            if !hidden[second.0][second.1] {
                hidden[second.0][second.1] = true;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    Hidden {
        cells: hidden
            .iter()
            .take(rows)
            .map(|r| r[..cols].to_vec())
            .collect(),
        row_totals: hidden.iter().take(rows).map(|r| r[cols]).collect(),
        column_totals: hidden[rows][..cols].to_vec(),
        total: hidden[rows][cols],
    }
}

/// A row or a column of an open table: a code (a status, a region's KATO code, a year, a
/// month) and its name where the code needs one.
#[derive(Debug, Clone, PartialEq, Eq, SimpleObject)]
pub struct OpenHeading {
    pub code: String,
    pub name: Option<String>,
}

impl OpenHeading {
    pub fn coded(code: impl Into<String>) -> Self {
        Self {
            code: code.into(),
            name: None,
        }
    }

    pub fn named(code: impl Into<String>, name: impl Into<String>) -> Self {
        Self {
            code: code.into(),
            name: Some(name.into()),
        }
    }
}

/// One published value of a cell, or of a total: `null` where hidden.
#[derive(Debug, Clone, PartialEq, Eq, SimpleObject)]
pub struct OpenValues {
    /// Persons counted (hidden under 10, and where a hidden neighbour could be recovered).
    pub persons: Option<i64>,
    /// A value that follows the persons (meals served, tenge), hidden with them; `null` for a
    /// table without one.
    pub amount: Option<i64>,
}

/// Every region as a heading named in `language`, by KATO code, and `UNKNOWN` last (a
/// person whose region is not known).
pub async fn region_headings(
    db: &impl ConnectionTrait,
    language: Language,
) -> ApiResult<Vec<OpenHeading>> {
    let regions = region::Entity::find()
        .order_by_asc(region::Column::Kato)
        .all(db)
        .await?;
    Ok(regions
        .iter()
        .map(|r| OpenHeading::named(&r.kato, language.pick(&r.name_kk, &r.name_ru, &r.name_en)))
        .chain(std::iter::once(OpenHeading::coded(UNKNOWN)))
        .collect())
}

/// The heading of persons whose row or column is not known.
pub const UNKNOWN: &str = "UNKNOWN";

/// A table of open figures as published: every count of persons under [`MIN_CELL`] hidden,
/// and the cells that would give one away.
#[derive(Debug, Clone, PartialEq, Eq, SimpleObject)]
pub struct OpenTable {
    /// Stable name, also the CSV's: `/open-data/<id>.csv`.
    pub id: String,
    /// What the rows are (`status`, `region`, `direction`).
    pub row_kind: String,
    /// What the columns are (`year`, `funding`, `month`).
    pub column_kind: String,
    /// What `amount` is, when the table has one (`tenge`, `meals`).
    pub amount_kind: Option<String>,
    /// How the figures are computed, in plain words (English; the page translates its titles).
    pub method: String,
    pub rows: Vec<OpenHeading>,
    pub columns: Vec<OpenHeading>,
    /// `cells[row][column]`.
    pub cells: Vec<Vec<OpenValues>>,
    pub row_totals: Vec<OpenValues>,
    pub column_totals: Vec<OpenValues>,
    pub total: OpenValues,
    /// How many cells and totals are hidden.
    pub hidden: i32,
}

/// A table's counts before publishing: persons, and optionally an amount that follows them.
#[derive(Debug, Clone)]
pub struct Counts {
    pub id: &'static str,
    pub row_kind: &'static str,
    pub column_kind: &'static str,
    pub amount_kind: Option<&'static str>,
    pub method: &'static str,
    pub rows: Vec<OpenHeading>,
    pub columns: Vec<OpenHeading>,
    /// `persons[row][column]`.
    pub persons: Vec<Vec<i64>>,
    /// `amounts[row][column]`, when `amount_kind` is set.
    pub amounts: Option<Vec<Vec<i64>>>,
}

impl Counts {
    /// A table of `rows` × `columns` with nobody counted yet.
    pub fn new(
        id: &'static str,
        (row_kind, rows): (&'static str, Vec<OpenHeading>),
        (column_kind, columns): (&'static str, Vec<OpenHeading>),
        amount_kind: Option<&'static str>,
        method: &'static str,
    ) -> Self {
        let zeros = vec![vec![0; columns.len()]; rows.len()];
        Self {
            id,
            row_kind,
            column_kind,
            amount_kind,
            method,
            amounts: amount_kind.map(|_| zeros.clone()),
            persons: zeros,
            rows,
            columns,
        }
    }

    /// Adds to the cell of the row and column coded so. A code not among the headings counts
    /// under the [`UNKNOWN`] heading; without one, it is left out (the caller lists every
    /// heading it groups by).
    pub fn add(&mut self, row: &str, column: &str, persons: i64, amount: i64) {
        let at = |headings: &[OpenHeading], code: &str| {
            headings
                .iter()
                .position(|h| h.code == code)
                .or_else(|| headings.iter().position(|h| h.code == UNKNOWN))
        };
        let (Some(i), Some(j)) = (at(&self.rows, row), at(&self.columns, column)) else {
            return;
        };
        self.persons[i][j] += persons;
        if let Some(a) = &mut self.amounts {
            a[i][j] += amount;
        }
    }

    /// The table as published.
    pub fn publish(self) -> OpenTable {
        let h = suppress(&self.persons, self.columns.len());
        let cols = self.columns.len();
        let amounts = self.amounts.as_ref();
        let value = |hidden: bool, persons: i64, amount: Option<i64>| OpenValues {
            persons: (!hidden).then_some(persons),
            amount: amount.filter(|_| !hidden),
        };
        let amount_at = |i: usize, j: usize| amounts.map(|a| a[i][j]);
        let row_amount = |i: usize| amounts.map(|a| a[i].iter().sum::<i64>());
        let col_amount = |j: usize| amounts.map(|a| a.iter().map(|r| r[j]).sum::<i64>());
        let cells = (0..self.rows.len())
            .map(|i| {
                (0..cols)
                    .map(|j| value(h.cells[i][j], self.persons[i][j], amount_at(i, j)))
                    .collect()
            })
            .collect();
        let row_totals = (0..self.rows.len())
            .map(|i| value(h.row_totals[i], self.persons[i].iter().sum(), row_amount(i)))
            .collect();
        let column_totals = (0..cols)
            .map(|j| {
                let n = self.persons.iter().map(|r| r[j]).sum();
                value(h.column_totals[j], n, col_amount(j))
            })
            .collect();
        let total = value(
            h.total,
            self.persons.iter().flatten().sum(),
            amounts.map(|a| a.iter().flatten().sum()),
        );
        let hidden = h.cells.iter().flatten().filter(|&&x| x).count()
            + h.row_totals.iter().filter(|&&x| x).count()
            + h.column_totals.iter().filter(|&&x| x).count()
            + usize::from(h.total);
        OpenTable {
            id: self.id.into(),
            row_kind: self.row_kind.into(),
            column_kind: self.column_kind.into(),
            amount_kind: self.amount_kind.map(Into::into),
            method: self.method.into(),
            rows: self.rows,
            columns: self.columns,
            cells,
            row_totals,
            column_totals,
            total,
            hidden: i32::try_from(hidden).unwrap_or(i32::MAX),
        }
    }
}

/// The open figures of one moment: computed at most once per `ttl` and language, so that
/// anonymous readers cost the database one computation per period, however many they are.
#[derive(Debug, Default)]
pub struct OpenFiguresCache {
    ttl_secs: i64,
    kept: tokio::sync::Mutex<HashMap<Language, Computed>>,
}

/// Tables and when they were computed.
pub type Computed = (DateTime<Utc>, Arc<Vec<OpenTable>>);

impl OpenFiguresCache {
    pub fn new(ttl_secs: i64) -> Self {
        Self {
            ttl_secs,
            kept: Default::default(),
        }
    }

    /// The tables in `language` and when they were computed: the kept ones while younger than
    /// the period, or else those `compute` gives now (one caller computes; the others wait).
    pub async fn get<F, Fut>(
        &self,
        language: Language,
        now: DateTime<Utc>,
        compute: F,
    ) -> ApiResult<Computed>
    where
        F: FnOnce() -> Fut,
        Fut: std::future::Future<Output = ApiResult<Vec<OpenTable>>>,
    {
        let mut kept = self.kept.lock().await;
        if let Some((at, tables)) = kept.get(&language)
            && (now - *at).num_seconds() < self.ttl_secs
        {
            return Ok((*at, tables.clone()));
        }
        let tables = Arc::new(compute().await?);
        kept.insert(language, (now, tables.clone()));
        Ok((now, tables))
    }
}

impl OpenTable {
    /// The table as CSV (RFC 4180, UTF-8): one line per cell and per total, `row`, `row name`,
    /// `column`, `column name`, `persons`, `amount`; a hidden value is left empty. Totals are
    /// the lines whose row or column is `TOTAL`.
    pub fn to_csv(&self) -> String {
        let amount = self.amount_kind.as_deref().unwrap_or("amount");
        let mut out = format!(
            "{},{}_name,{},{}_name,persons,{amount}\r\n",
            self.row_kind, self.row_kind, self.column_kind, self.column_kind
        );
        let total = OpenHeading::coded("TOTAL");
        let rows = self.rows.iter().chain(std::iter::once(&total));
        for (i, r) in rows.enumerate() {
            let cols = self.columns.iter().chain(std::iter::once(&total));
            for (j, c) in cols.enumerate() {
                let v = match (i < self.rows.len(), j < self.columns.len()) {
                    (true, true) => &self.cells[i][j],
                    (true, false) => &self.row_totals[i],
                    (false, true) => &self.column_totals[j],
                    (false, false) => &self.total,
                };
                let field = |n: Option<i64>| n.map(|n| n.to_string()).unwrap_or_default();
                out.push_str(&format!(
                    "{},{},{},{},{},{}\r\n",
                    csv_field(&r.code),
                    csv_field(r.name.as_deref().unwrap_or("")),
                    csv_field(&c.code),
                    csv_field(c.name.as_deref().unwrap_or("")),
                    field(v.persons),
                    field(v.amount),
                ));
            }
        }
        out
    }
}

/// A CSV field, quoted when it holds a comma, a quote or a line break; a leading `=`, `+`,
/// `-` or `@` is prefixed with `'` so that a spreadsheet does not run it as a formula.
fn csv_field(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '-', '@']) {
        format!("'{s}")
    } else {
        s.to_owned()
    };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(h: &Hidden) -> Vec<String> {
        h.cells
            .iter()
            .zip(&h.row_totals)
            .map(|(r, t)| {
                r.iter()
                    .chain(std::iter::once(t))
                    .map(|&x| if x { 'x' } else { '.' })
                    .collect()
            })
            .chain(std::iter::once(
                h.column_totals
                    .iter()
                    .chain(std::iter::once(&h.total))
                    .map(|&x| if x { 'x' } else { '.' })
                    .collect(),
            ))
            .collect()
    }

    #[test]
    fn a_table_without_small_cells_is_shown_whole() {
        let h = suppress(&[vec![12, 0], vec![40, 31]], 2);
        assert_eq!(shown(&h), ["...", "...", "..."]);
    }

    #[test]
    fn one_small_cell_hides_three_more_so_that_no_line_gives_it_away() {
        // Row totals 45, 60, 80; column totals 55, 130. The 3 is hidden; its row then hides
        // its smallest other cell (42), its column the smallest other (20), and those two's
        // column and row hide 40, so each row and column holds two hidden cells.
        let h = suppress(&[vec![3, 42], vec![20, 40], vec![32, 48]], 2);
        assert_eq!(shown(&h), ["xx.", "xx.", "...", "..."]);
    }

    #[test]
    fn a_line_whose_only_other_cells_are_zero_hides_its_total() {
        // The row counts 4 persons in one cell and nobody elsewhere: its total would say 4.
        let h = suppress(&[vec![4, 0], vec![25, 30]], 2);
        assert_eq!(shown(&h)[0], "x.x");
        // The first column then holds 4 and 25 with its total 29: 25 is hidden too, and so
        // on in turn, until no line has a single hidden member.
        for line in 0..2 {
            let row = &h.cells[line];
            let hidden = row.iter().filter(|&&x| x).count() + usize::from(h.row_totals[line]);
            assert_ne!(hidden, 1, "row {line}: {:?}", shown(&h));
        }
        for col in 0..2 {
            let hidden =
                h.cells.iter().filter(|r| r[col]).count() + usize::from(h.column_totals[col]);
            assert_ne!(hidden, 1, "column {col}: {:?}", shown(&h));
        }
    }

    #[test]
    fn a_small_total_is_hidden_with_its_cells() {
        let h = suppress(&[vec![2, 3]], 2);
        assert!(h.total && h.row_totals[0] && h.cells[0].iter().all(|&x| x));
    }

    #[test]
    fn published_tables_hide_amounts_with_their_persons_and_write_csv() {
        let mut c = Counts::new(
            "meals-by-region",
            (
                "region",
                vec![
                    OpenHeading::named("75", "Алматы"),
                    OpenHeading::named("71", "Астана"),
                ],
            ),
            ("month", vec![OpenHeading::coded("2026-09")]),
            Some("tenge"),
            "test",
        );
        c.add("75", "2026-09", 5, 50_000);
        c.add("71", "2026-09", 30, 300_000);
        // A code among no headings, and no `UNKNOWN` heading: left out.
        c.add("99", "2026-09", 1, 1);
        let t = c.publish();
        assert_eq!(
            t.cells[0][0],
            OpenValues {
                persons: None,
                amount: None
            }
        );
        // The other region's cell is its column's total minus the hidden one: hidden too, and
        // so is its row's total (the same count). The grand total, 35, gives neither away.
        assert_eq!(t.cells[1][0].persons, None);
        assert_eq!(t.row_totals[1].persons, None);
        assert_eq!(t.total.persons, Some(35));
        assert_eq!(t.total.amount, Some(350_000));
        assert_eq!(t.hidden, 4);
        let csv = t.to_csv();
        assert!(csv.starts_with("region,region_name,month,month_name,persons,tenge\r\n"));
        assert!(csv.contains("75,Алматы,2026-09,,,\r\n"), "{csv}");
        assert_eq!(csv.lines().count(), 1 + 3 * 2);
    }

    #[test]
    fn a_table_with_no_rows_yet_publishes_zero_totals() {
        let t = Counts::new(
            "empty",
            ("month", vec![]),
            ("direction", vec![OpenHeading::coded("SPORT")]),
            None,
            "test",
        )
        .publish();
        assert_eq!(t.column_totals[0].persons, Some(0));
        assert_eq!(t.total.persons, Some(0));
        assert_eq!(t.hidden, 0);
    }

    #[test]
    fn csv_fields_are_quoted_and_never_formulas() {
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("=HYPERLINK(1)"), "'=HYPERLINK(1)");
    }
}
