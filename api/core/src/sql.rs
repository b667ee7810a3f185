//! Small query helpers shared by the registers.

use async_graphql::ID;
use sea_orm::sea_query::extension::postgres::PgExpr;
use sea_orm::sea_query::{Condition, Expr, ExprTrait, LikeExpr};
use sea_orm::{ColumnTrait, DbBackend, Statement};

use crate::error::{ApiError, ApiResult};

/// Rows where any of `columns` contains `q`, ignoring case. PostgreSQL folds every letter
/// (`ILIKE`); SQLite's `LIKE` folds only ASCII, so for Cyrillic and Kazakh letters it also tries
/// the text as typed, in lower case and capitalised ("айгүл" finds "Айгүл").
pub fn contains_any<C: ColumnTrait>(backend: DbBackend, columns: &[C], q: &str) -> Condition {
    let q = escape_like(q.trim());
    let mut cond = Condition::any();
    for col in columns {
        cond = match backend {
            DbBackend::Postgres => cond.add(Expr::col(*col).ilike(format!("%{q}%"))),
            _ => {
                let lower = q.to_lowercase();
                let mut variants = vec![q.clone(), capitalised(&lower), lower];
                variants.dedup();
                variants.into_iter().fold(cond, |c, v| {
                    c.add(Expr::col(*col).like(LikeExpr::new(format!("%{v}%")).escape('\\')))
                })
            }
        };
    }
    cond
}

fn capitalised(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn escape_like(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

/// Reads an integer id from a GraphQL `ID`.
pub fn parse_id(field: &str, id: &ID) -> ApiResult<i64> {
    id.parse::<i64>()
        .map_err(|_| ApiError::bad_input(field, "not a valid id"))
}

/// True when a database error is a unique-constraint violation.
pub fn is_unique_violation(err: &sea_orm::DbErr) -> bool {
    matches!(
        err.sql_err(),
        Some(sea_orm::SqlErr::UniqueConstraintViolation(_))
    )
}

/// Maps a unique-index violation to a conflict with its machine reason (`ALREADY_APPLIED`),
/// any other database error to an internal one: `.map_err(conflict_on_unique(...))` after an
/// insert whose uniqueness is the rule.
pub fn conflict_on_unique(
    reason: impl Into<crate::error::Reason>,
    message: &'static str,
) -> impl FnOnce(sea_orm::DbErr) -> crate::error::ApiError {
    let reason = reason.into();
    move |e| {
        if is_unique_violation(&e) {
            crate::error::ApiError::ConflictBecause {
                reason,
                message: message.into(),
            }
        } else {
            e.into()
        }
    }
}

/// The values of a statement written by hand, each given its placeholder in the order they
/// appear in the text (PostgreSQL's numbered `$n`, SQLite's positional `?`).
pub struct Binds {
    backend: DbBackend,
    values: Vec<sea_orm::Value>,
}

impl Binds {
    pub fn new(backend: DbBackend) -> Self {
        Self {
            backend,
            values: Vec::new(),
        }
    }

    /// The placeholder that binds `value` at this point of the text.
    pub fn push(&mut self, value: impl Into<sea_orm::Value>) -> String {
        self.values.push(value.into());
        match self.backend {
            DbBackend::Postgres => format!("${}", self.values.len()),
            _ => "?".to_owned(),
        }
    }

    /// The statement of `sql` with these values.
    pub fn statement(self, sql: impl Into<String>) -> Statement {
        Statement::from_sql_and_values(self.backend, sql, self.values)
    }
}

/// Takes a row's write lock for the rest of the transaction with a no-op write of
/// `touch` (PostgreSQL locks the row; SQLite's write transaction already holds the database),
/// so that read-decide-write sequences on that row run one after the other. `table`, `touch`
/// and `key` are the code's own names, never input.
pub async fn lock_row(
    db: &impl sea_orm::ConnectionTrait,
    table: &'static str,
    touch: &'static str,
    key: &'static str,
    id: i64,
) -> ApiResult<()> {
    let mut b = Binds::new(db.get_database_backend());
    let p = b.push(id);
    db.execute_raw(b.statement(format!(
        "UPDATE {table} SET {touch} = {touch} WHERE {key} = {p}"
    )))
    .await?;
    Ok(())
}
