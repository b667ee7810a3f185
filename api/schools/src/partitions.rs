//! Monthly partitions of the event and meal tables on PostgreSQL: the server creates the
//! months from a year back to three ahead (at start and once a day), so a query of one month
//! touches one partition and an old month can be detached to an archive
//! (`ALTER TABLE school_event DETACH PARTITION school_event_y2026m09`). Rows whose date falls
//! in no month (a device clock years off) wait in the default partition; when their month is
//! created they move into it in the same transaction. SQLite has no partitions: nothing to do.

use chrono::{Datelike, NaiveDate};
use sea_orm::{ConnectionTrait, DatabaseBackend, DatabaseConnection, Statement, TransactionTrait};

use adal_core::error::ApiResult;

/// The partitioned tables.
pub const TABLES: &[&str] = &["school_event", "school_meal"];

/// Months kept ready behind and ahead of today.
pub const MONTHS_BACK: i32 = 12;
pub const MONTHS_AHEAD: i32 = 3;

fn month_start(day: NaiveDate, shift: i32) -> Option<NaiveDate> {
    let m = day.year() * 12 + day.month0() as i32 + shift;
    NaiveDate::from_ymd_opt(m.div_euclid(12), m.rem_euclid(12) as u32 + 1, 1)
}

/// The partition's name for a table and month.
pub fn name(table: &str, month: NaiveDate) -> String {
    format!("{table}_y{:04}m{:02}", month.year(), month.month())
}

/// Creates the missing month partitions around `today`; returns how many it created.
pub async fn ensure(db: &DatabaseConnection, today: NaiveDate) -> ApiResult<usize> {
    if db.get_database_backend() != DatabaseBackend::Postgres {
        return Ok(0);
    }
    let existing: std::collections::HashSet<String> = db
        .query_all_raw(Statement::from_string(
            DatabaseBackend::Postgres,
            "SELECT c.relname AS name FROM pg_inherits i \
             JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent \
             WHERE p.relname IN ('school_event', 'school_meal')",
        ))
        .await?
        .into_iter()
        .filter_map(|r| r.try_get::<String>("", "name").ok())
        .collect();
    let mut created = 0;
    for shift in -MONTHS_BACK..=MONTHS_AHEAD {
        let (Some(from), Some(to)) = (month_start(today, shift), month_start(today, shift + 1))
        else {
            continue;
        };
        for table in TABLES {
            if existing.contains(&name(table, from)) {
                continue;
            }
            if create(db, table, from, to).await? {
                created += 1;
            }
        }
    }
    Ok(created)
}

async fn create(
    db: &DatabaseConnection,
    table: &str,
    from: NaiveDate,
    to: NaiveDate,
) -> ApiResult<bool> {
    let part = name(table, from);
    let exists = db
        .query_one_raw(Statement::from_string(
            DatabaseBackend::Postgres,
            format!("SELECT to_regclass('{part}') IS NOT NULL AS present"),
        ))
        .await?
        .map(|r| r.try_get::<bool>("", "present"))
        .transpose()?
        .unwrap_or(false);
    if exists {
        return Ok(false);
    }
    let (f, t) = (from.format("%Y-%m-%d"), to.format("%Y-%m-%d"));
    let txn = db.begin().await?;
    // Serialise creators (two servers starting at once).
    txn.execute_unprepared(&format!("LOCK TABLE {table} IN SHARE ROW EXCLUSIVE MODE"))
        .await?;
    let again = txn
        .query_one_raw(Statement::from_string(
            DatabaseBackend::Postgres,
            format!("SELECT to_regclass('{part}') IS NOT NULL AS present"),
        ))
        .await?
        .map(|r| r.try_get::<bool>("", "present"))
        .transpose()?
        .unwrap_or(false);
    if again {
        txn.commit().await?;
        return Ok(false);
    }
    txn.execute_unprepared(&format!(
        "CREATE TABLE {part} (LIKE {table} INCLUDING DEFAULTS INCLUDING CONSTRAINTS);
         INSERT INTO {part} SELECT * FROM {table}_default WHERE day >= '{f}' AND day < '{t}';
         DELETE FROM {table}_default WHERE day >= '{f}' AND day < '{t}';
         ALTER TABLE {table} ATTACH PARTITION {part} FOR VALUES FROM ('{f}') TO ('{t}');"
    ))
    .await?;
    txn.commit().await?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_around_a_day() {
        let d = NaiveDate::from_ymd_opt(2026, 1, 15).expect("date");
        assert_eq!(month_start(d, -1), NaiveDate::from_ymd_opt(2025, 12, 1));
        assert_eq!(month_start(d, 0), NaiveDate::from_ymd_opt(2026, 1, 1));
        assert_eq!(month_start(d, 12), NaiveDate::from_ymd_opt(2027, 1, 1));
        assert_eq!(
            name(
                "school_event",
                NaiveDate::from_ymd_opt(2026, 3, 1).expect("date")
            ),
            "school_event_y2026m03"
        );
    }
}
