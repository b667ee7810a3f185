//! Coverage: the share of obligated graduates (every status but fulfilled, closed and exempt)
//! with at least one delivered message in a period, by channel, region, category and status;
//! and the graduates nobody reaches (no contact at all, or every message failed).

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, Statement};

use adal_core::error::ApiResult;

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

pub async fn coverage(
    db: &DatabaseConnection,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> ApiResult<Coverage> {
    let backend = db.get_database_backend();
    let (p1, p2) = match backend {
        DbBackend::Postgres => ("$1", "$2"),
        _ => ("?", "?"),
    };
    let delivered = |channel: Option<&str>, a: &str, b: &str| {
        let ch = channel.map_or(String::new(), |c| format!(" AND m.channel = '{c}'"));
        format!(
            "CASE WHEN EXISTS (SELECT 1 FROM notification_message m WHERE m.person_id = g.person_id AND m.status = 'delivered' AND m.delivered_at >= {a} AND m.delivered_at < {b}{ch}) THEN 1 ELSE 0 END"
        )
    };
    // SQLite binds `?` in order: each EXISTS takes the period again.
    let (cols, values): (String, Vec<sea_orm::Value>) = {
        let mut cols = Vec::new();
        let mut values = Vec::new();
        for (i, (name, ch)) in [
            ("any_c", None),
            ("sms_c", Some("sms")),
            ("push_c", Some("push")),
            ("email_c", Some("email")),
        ]
        .into_iter()
        .enumerate()
        {
            let (a, b) = match backend {
                DbBackend::Postgres => (p1.to_owned(), p2.to_owned()),
                _ => ("?".to_owned(), "?".to_owned()),
            };
            cols.push(format!("{} AS {name}", delivered(ch, &a, &b)));
            if backend != DbBackend::Postgres || i == 0 {
                values.push(from.into());
                values.push(to.into());
            }
        }
        (cols.join(", "), values)
    };
    let sql = format!(
        "SELECT COALESCE(g.home_region_kato, 'unknown') AS region, g.funding_category AS category, o.status AS status, {cols} \
         FROM graduate g JOIN obligation o ON o.graduate_id = g.id WHERE {OBLIGATED}"
    );
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
        let any = get("any_c");
        c.total += 1;
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
            e.total += 1;
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
