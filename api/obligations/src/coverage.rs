//! Coverage: the share of obligated graduates (every status but fulfilled, closed and exempt)
//! with at least one delivered message in a period, by channel, region, category and status;
//! and the graduates nobody reaches (no contact at all, or every message failed).

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, Statement};

use adal_core::error::ApiResult;
use adal_core::generation::{self, Kept};

const OBLIGATED: &str = "o.status NOT IN ('fulfilled', 'closed', 'exempt')";

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Share {
    pub key: String,
    pub total: i64,
    pub reached: i64,
}

impl Share {
    pub fn share(&self) -> f64 {
        if self.total > 0 {
            self.reached as f64 / self.total as f64
        } else {
            0.0
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct Coverage {
    pub total: i64,
    pub reached: i64,
    pub by_channel: Vec<Share>,
    pub by_region: Vec<Share>,
    pub by_category: Vec<Share>,
    pub by_status: Vec<Share>,
}

/// Coverage and the graduates nobody reaches, kept until what they summarise changes: every
/// obligated graduate is read for either, and the operator's dashboard opens both. "Changes"
/// is the sum of the register's, the outbox's and the people register's generations, plus the
/// newest message's id (a message queued with a decision, in the decision's transaction,
/// raises no generation; its id is enough, and costs one index lookup).
#[derive(Default)]
pub struct CoverageCache {
    coverage: Kept<(DateTime<Utc>, Option<DateTime<Utc>>), Coverage>,
    unreachable: Kept<u64, (Vec<Unreachable>, i64)>,
}

impl CoverageCache {
    /// Lists longer than this are read afresh each time (the export's), not kept.
    const KEPT_LIMIT: u64 = 1000;

    /// [`coverage`] from `from` to `to` (until now when `None`).
    pub async fn coverage(
        &self,
        db: &DatabaseConnection,
        from: DateTime<Utc>,
        to: Option<DateTime<Utc>>,
    ) -> ApiResult<Coverage> {
        let g = current(db).await?;
        if let Some(c) = self.coverage.get(&(from, to), g) {
            return Ok(c);
        }
        let c = coverage(db, from, to.unwrap_or_else(Utc::now)).await?;
        self.coverage.put((from, to), g, c.clone());
        Ok(c)
    }

    /// [`unreachable`], the first `limit` and the total.
    pub async fn unreachable(
        &self,
        db: &DatabaseConnection,
        limit: u64,
    ) -> ApiResult<(Vec<Unreachable>, i64)> {
        if limit > Self::KEPT_LIMIT {
            return unreachable(db, limit).await;
        }
        let g = current(db).await?;
        if let Some(u) = self.unreachable.get(&limit, g) {
            return Ok(u);
        }
        let u = unreachable(db, limit).await?;
        self.unreachable.put(limit, g, u.clone());
        Ok(u)
    }
}

/// Taken before computing, so a write that lands meanwhile costs a computation, never a stale
/// answer kept.
async fn current(db: &DatabaseConnection) -> ApiResult<i64> {
    let generations = generation::read_sum(
        db,
        &[
            generation::REGISTER,
            generation::NOTIFICATIONS,
            generation::PEOPLE,
        ],
    )
    .await?;
    let newest = db
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT COALESCE(MAX(id), 0) AS n FROM notification_message",
        ))
        .await?
        .and_then(|r| r.try_get::<i64>("", "n").ok())
        .unwrap_or(0);
    Ok(generations + newest)
}

pub async fn coverage(
    db: &DatabaseConnection,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> ApiResult<Coverage> {
    let backend = db.get_database_backend();
    let (a, b) = match backend {
        DbBackend::Postgres => ("$1", "$2"),
        _ => ("?", "?"),
    };
    let delivered_by = |channel: &str| {
        format!("MAX(CASE WHEN m.channel = '{channel}' THEN 1 ELSE 0 END) AS {channel}_c")
    };
    // Who was reached, read once from the period's delivered messages (one row a person), then
    // joined to the obligated graduates and summed in the database: one row per region,
    // category and status comes back, not one per graduate.
    let sql = format!(
        "SELECT COALESCE(g.home_region_kato, 'unknown') AS region, g.funding_category AS category, \
         o.status AS status, COUNT(*) AS n, COUNT(d.person_id) AS any_c, \
         COALESCE(SUM(d.sms_c), 0) AS sms_c, COALESCE(SUM(d.push_c), 0) AS push_c, \
         COALESCE(SUM(d.email_c), 0) AS email_c \
         FROM graduate g JOIN obligation o ON o.graduate_id = g.id \
         LEFT JOIN (SELECT m.person_id AS person_id, {}, {}, {} FROM notification_message m \
           WHERE m.status = 'delivered' AND m.delivered_at >= {a} AND m.delivered_at < {b} \
           GROUP BY m.person_id) d ON d.person_id = g.person_id \
         WHERE {OBLIGATED} GROUP BY COALESCE(g.home_region_kato, 'unknown'), g.funding_category, o.status",
        delivered_by("sms"),
        delivered_by("push"),
        delivered_by("email"),
    );
    let values: Vec<sea_orm::Value> = vec![from.into(), to.into()];
    let rows = db
        .query_all_raw(Statement::from_sql_and_values(backend, sql, values))
        .await?;
    let mut c = Coverage::default();
    let mut channel = [0i64; 3];
    let mut region: BTreeMap<String, Share> = BTreeMap::new();
    let mut category: BTreeMap<String, Share> = BTreeMap::new();
    let mut status: BTreeMap<String, Share> = BTreeMap::new();
    for r in rows {
        let get = |name: &str| -> i64 {
            r.try_get::<i32>("", name)
                .map(i64::from)
                .or_else(|_| r.try_get::<i64>("", name))
                .unwrap_or(0)
        };
        let (n, any) = (get("n"), get("any_c"));
        c.total += n;
        c.reached += any;
        channel[0] += get("sms_c");
        channel[1] += get("push_c");
        channel[2] += get("email_c");
        for (map, key) in [
            (
                &mut region,
                r.try_get::<String>("", "region").unwrap_or_default(),
            ),
            (
                &mut category,
                r.try_get::<String>("", "category").unwrap_or_default(),
            ),
            (
                &mut status,
                r.try_get::<String>("", "status").unwrap_or_default(),
            ),
        ] {
            let e = map.entry(key.clone()).or_insert_with(|| Share {
                key,
                ..Share::default()
            });
            e.total += n;
            e.reached += any;
        }
    }
    c.by_channel = ["sms", "push", "email"]
        .iter()
        .zip(channel)
        .map(|(k, n)| Share {
            key: (*k).to_owned(),
            total: c.total,
            reached: n,
        })
        .collect();
    c.by_region = region.into_values().collect();
    c.by_category = category.into_values().collect();
    c.by_status = status.into_values().collect();
    Ok(c)
}

/// A graduate nobody reaches, and why: `no_contact` (neither phone nor e-mail) or
/// `all_failed` (messages were sent and every one failed).
#[derive(Debug, Clone)]
pub struct Unreachable {
    pub graduate_id: i64,
    pub reason: &'static str,
}

pub async fn unreachable(
    db: &DatabaseConnection,
    limit: u64,
) -> ApiResult<(Vec<Unreachable>, i64)> {
    let backend = db.get_database_backend();
    let sql = format!(
        "SELECT g.id AS id, CASE WHEN (p.phone IS NULL OR p.phone = '') AND (p.email IS NULL OR p.email = '') THEN 'no_contact' ELSE 'all_failed' END AS reason, COUNT(*) OVER () AS total \
         FROM graduate g JOIN obligation o ON o.graduate_id = g.id JOIN person p ON p.id = g.person_id \
         WHERE {OBLIGATED} AND ( ((p.phone IS NULL OR p.phone = '') AND (p.email IS NULL OR p.email = '')) \
           OR (EXISTS (SELECT 1 FROM notification_message m WHERE m.person_id = p.id) \
               AND NOT EXISTS (SELECT 1 FROM notification_message m WHERE m.person_id = p.id AND m.status IN ('queued', 'sending', 'sent', 'delivered', 'suppressed', 'cancelled'))) ) \
         ORDER BY g.id LIMIT {limit}"
    );
    let rows = db
        .query_all_raw(Statement::from_string(backend, sql))
        .await?;
    let mut out = Vec::new();
    let mut total = 0;
    for r in rows {
        total = r.try_get::<i64>("", "total")?;
        let reason: String = r.try_get("", "reason")?;
        out.push(Unreachable {
            graduate_id: r.try_get("", "id")?,
            reason: if reason == "no_contact" {
                "no_contact"
            } else {
                "all_failed"
            },
        });
    }
    Ok((out, total))
}
