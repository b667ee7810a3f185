//! What the operator controls of an integration client beyond its operations and budget, and
//! what Adal keeps of its use:
//! - **registered operations**: a client registers the texts it will run and then sends only
//!   their SHA-256 (`extensions.persistedQuery.sha256Hash`, as Apollo's automatic persisted
//!   queries do). The operator may require it to run registered operations only
//!   (`account.persisted_only`): from then on any other text is refused and it registers no
//!   more, so a stolen secret runs nothing the operator has not seen;
//! - **use per day** (Almaty time): calls, the complexity they spent, refusals, masked fields.
//!
//! The personal fields a client may read are its role assignment's (`Actor::reads_field`,
//! `audit::reveal`).

use std::sync::atomic::{AtomicU64, Ordering};

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, Set,
};
use sha2::{Digest, Sha256};

use entities::{client_usage, persisted_operation};

use crate::auth::actor::Actor;
use crate::error::{ApiError, ApiResult, Refusal};

/// Why a client's operation or registration was refused (`extensions.reason`).
#[derive(async_graphql::Enum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ClientRefusal {
    /// The request names an operation by a hash this client has not registered: send the text
    /// with the hash once (while registration is open) or register it.
    PersistedQueryNotFound,
    /// The hash sent is not the SHA-256 of the text sent with it.
    PersistedQueryHashMismatch,
    /// The operator requires this client to run only registered operations, and this text is
    /// not one of them.
    OperationNotRegistered,
    /// The operator requires this client to run only registered operations: it registers no
    /// more until the operator lifts the requirement.
    RegistrationClosed,
}

impl Refusal for ClientRefusal {}

/// The SHA-256 of an operation's text, in lowercase hex: how a client names it.
pub fn operation_hash(query: &str) -> String {
    hex::encode(Sha256::digest(query.as_bytes()))
}

/// The hash a request names in `extensions.persistedQuery.sha256Hash`, if any.
fn named_hash(request: &async_graphql::Request) -> Option<String> {
    match request.extensions.get("persistedQuery")? {
        async_graphql::Value::Object(o) => match o.get("sha256Hash")? {
            async_graphql::Value::String(h) => Some(h.to_ascii_lowercase()),
            _ => None,
        },
        _ => None,
    }
}

async fn registered(
    db: &impl ConnectionTrait,
    account_id: i64,
    hash: &str,
) -> ApiResult<Option<persisted_operation::Model>> {
    Ok(persisted_operation::Entity::find()
        .filter(persisted_operation::Column::AccountId.eq(account_id))
        .filter(persisted_operation::Column::Hash.eq(hash))
        .one(db)
        .await?)
}

fn refused(reason: ClientRefusal, message: &str) -> ApiError {
    ApiError::ForbiddenFor {
        reason: reason.into(),
        message: message.into(),
    }
}

/// Fills in the text of a request that names a registered operation by its hash, and refuses
/// what the client may not run: an unknown hash, a hash that is not its text's, and, for a
/// client restricted to registered operations, any text it did not register. A person's
/// request passes as it came (the portals send their texts).
pub async fn resolve_registered(
    db: &impl ConnectionTrait,
    actor: Option<&Actor>,
    request: &mut async_graphql::Request,
) -> ApiResult<()> {
    let Some(actor) = actor.filter(|a| a.is_client) else {
        return Ok(());
    };
    let hash = named_hash(request);
    if request.query.trim().is_empty() {
        let Some(hash) = hash else {
            return Ok(());
        };
        let op = registered(db, actor.account_id, &hash)
            .await?
            .ok_or_else(|| {
                refused(
                    ClientRefusal::PersistedQueryNotFound,
                    "no operation of yours has this hash: register its text first",
                )
            })?;
        request.query = op.query;
        return Ok(());
    }
    let actual = operation_hash(&request.query);
    if hash.is_some_and(|h| h != actual) {
        return Err(ApiError::BadInputBecause {
            field: "extensions.persistedQuery.sha256Hash".into(),
            reason: ClientRefusal::PersistedQueryHashMismatch.into(),
            value: actual,
            message: "the hash is not the SHA-256 of the text sent with it".into(),
        });
    }
    if actor.persisted_only && registered(db, actor.account_id, &actual).await?.is_none() {
        return Err(refused(
            ClientRefusal::OperationNotRegistered,
            "this client runs only the operations it registered, and this is not one",
        ));
    }
    Ok(())
}

/// Registers an operation's text for the client `actor` and returns it; one registered again
/// changes nothing. A new one is on the audit trail. Refused while the operator requires
/// registered operations only.
pub async fn register(
    db: &DatabaseConnection,
    actor: &Actor,
    query: &str,
    now: DateTime<Utc>,
) -> ApiResult<persisted_operation::Model> {
    let hash = operation_hash(query);
    if let Some(op) = registered(db, actor.account_id, &hash).await? {
        return Ok(op);
    }
    if actor.persisted_only {
        return Err(refused(
            ClientRefusal::RegistrationClosed,
            "the operator requires this client to run only the operations it registered",
        ));
    }
    async_graphql::parser::parse_query(query)
        .map_err(|e| ApiError::bad_input("query", format!("not a GraphQL document: {e}")))?;
    let txn = crate::db::begin_write(db).await?;
    persisted_operation::Entity::insert(persisted_operation::ActiveModel {
        account_id: Set(actor.account_id),
        hash: Set(hash.clone()),
        name: Set(crate::graphql::sole_operation_name(query)),
        query: Set(query.to_owned()),
        registered_at: Set(now),
        ..Default::default()
    })
    .on_conflict(
        OnConflict::columns([
            persisted_operation::Column::AccountId,
            persisted_operation::Column::Hash,
        ])
        .do_nothing()
        .to_owned(),
    )
    .exec_without_returning(&txn)
    .await?;
    let op = registered(&txn, actor.account_id, &hash)
        .await?
        .ok_or_else(|| ApiError::internal(anyhow::anyhow!("a registered operation vanished")))?;
    crate::audit::record(
        &txn,
        Some(actor.account_id),
        "client.operation_registered",
        "persisted_operation",
        op.id,
        serde_json::json!({ "hash": op.hash, "name": op.name }),
    )
    .await?;
    txn.commit().await?;
    Ok(op)
}

/// A client's registered operations, oldest first.
pub async fn operations(
    db: &impl ConnectionTrait,
    account_id: i64,
) -> ApiResult<Vec<persisted_operation::Model>> {
    Ok(persisted_operation::Entity::find()
        .filter(persisted_operation::Column::AccountId.eq(account_id))
        .order_by_asc(persisted_operation::Column::Id)
        .all(db)
        .await?)
}

/// The complexity a request was charged (set by the limits extension), for the usage record.
#[derive(Debug, Default)]
pub struct Spent(AtomicU64);

impl Spent {
    pub fn set(&self, cost: usize) {
        self.0
            .store(u64::try_from(cost).unwrap_or(u64::MAX), Ordering::Relaxed);
    }
    pub fn get(&self) -> i64 {
        i64::try_from(self.0.load(Ordering::Relaxed)).unwrap_or(i64::MAX)
    }
}

/// One request of a client, as counted in its day's use.
#[derive(Debug, Clone, Copy, Default)]
pub struct Call {
    pub cost: i64,
    pub refused: bool,
    pub masked: i64,
}

/// Adds one call to the client's use on `day`: one statement, whichever instance serves it.
pub async fn count(
    db: &impl ConnectionTrait,
    account_id: i64,
    day: NaiveDate,
    call: Call,
) -> ApiResult<()> {
    use client_usage::Column as C;
    let refused = i64::from(call.refused);
    let add = |c: C, n: i64| Expr::col((client_usage::Entity, c)).add(n);
    client_usage::Entity::insert(client_usage::ActiveModel {
        account_id: Set(account_id),
        day: Set(day),
        calls: Set(1),
        cost: Set(call.cost),
        refusals: Set(refused),
        masked: Set(call.masked),
    })
    .on_conflict(
        OnConflict::columns([C::AccountId, C::Day])
            .value(C::Calls, add(C::Calls, 1))
            .value(C::Cost, add(C::Cost, call.cost))
            .value(C::Refusals, add(C::Refusals, refused))
            .value(C::Masked, add(C::Masked, call.masked))
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    Ok(())
}

/// The longest span of use one answer covers.
pub const MAX_USAGE_DAYS: i32 = 366;

/// A client's use on the last `days` days up to `today` (1 to [`MAX_USAGE_DAYS`]), newest
/// first; days without a call are absent.
pub async fn usage(
    db: &impl ConnectionTrait,
    account_id: i64,
    today: NaiveDate,
    days: i32,
) -> ApiResult<Vec<client_usage::Model>> {
    if !(1..=MAX_USAGE_DAYS).contains(&days) {
        return Err(ApiError::bad_input(
            "days",
            format!("from 1 to {MAX_USAGE_DAYS} days"),
        ));
    }
    let since = today - chrono::Duration::days(i64::from(days - 1));
    Ok(client_usage::Entity::find()
        .filter(client_usage::Column::AccountId.eq(account_id))
        .filter(client_usage::Column::Day.gte(since))
        .order_by_desc(client_usage::Column::Day)
        .all(db)
        .await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_operation_is_named_by_the_sha256_of_its_text() {
        assert_eq!(
            operation_hash("{ __typename }"),
            "7f56e67dd21ab3f30d1ff8b7bed08893f0a0db86449836189b361dd1e56ddb4b"
        );
        let mut r = async_graphql::Request::new("");
        r.extensions.insert(
            "persistedQuery".into(),
            async_graphql::Value::from_json(serde_json::json!({
                "version": 1, "sha256Hash": "ABC"
            }))
            .unwrap(),
        );
        assert_eq!(named_hash(&r).as_deref(), Some("abc"));
    }
}
