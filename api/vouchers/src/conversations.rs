//! Conversations: each application and each month of attendance carries one between the
//! parent, the provider and the akimat officer concerned, in the writer's language. It is part
//! of the record the akimat decides on. Only those three sides see it; to anyone else the
//! conversation is not found. A message from the provider or the akimat is notified to the
//! parent; staff see new messages in their portals. Each person's unread count is what others
//! wrote after the last message they saw ([`mark_read`]).

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};
use serde_json::json;

use entities::{
    voucher, voucher_application, voucher_attendance, voucher_enrolment,
    voucher_message as message, voucher_section, voucher_thread_read as read,
};

use adal_core::audit;
use adal_core::auth::scope::organisations;
use adal_core::auth::{Actor, Role};
use adal_core::db::begin_write;
use adal_core::error::{ApiError, ApiResult};

use crate::scope;
use crate::vocab::{VoucherSide, VoucherThreadKind};

/// The longest message, in characters.
pub const MAX_CHARS: usize = 2000;

/// Who takes part in a thread, as far as the caller is concerned.
struct Thread {
    sides: Vec<VoucherSide>,
    application_id: i64,
}

async fn thread(
    db: &impl ConnectionTrait,
    actor: &Actor,
    kind: VoucherThreadKind,
    id: i64,
) -> ApiResult<Thread> {
    let providers = organisations(actor, &[Role::ProviderStaff]);
    let not_found = || ApiError::NotFound("conversation");
    let (child, campaign_id, application_id, provider_orgs): (i64, i64, i64, Vec<i64>) = match kind
    {
        VoucherThreadKind::Application => {
            let app = voucher_application::Entity::find_by_id(id)
                .one(db)
                .await?
                .ok_or_else(not_found)?;
            // The providers where the child's voucher of this application is used.
            let mut orgs = Vec::new();
            if let Some(v) = voucher::Entity::find()
                .filter(voucher::Column::ApplicationId.eq(app.id))
                .one(db)
                .await?
            {
                let sections: Vec<i64> = voucher_enrolment::Entity::find()
                    .filter(voucher_enrolment::Column::VoucherId.eq(v.id))
                    .all(db)
                    .await?
                    .into_iter()
                    .map(|e| e.section_id)
                    .collect();
                orgs = voucher_section::Entity::find()
                    .filter(voucher_section::Column::Id.is_in(sections))
                    .all(db)
                    .await?
                    .into_iter()
                    .map(|s| s.organisation_id)
                    .collect();
            }
            (app.child_person_id, app.campaign_id, app.id, orgs)
        }
        VoucherThreadKind::Attendance => {
            let a = voucher_attendance::Entity::find_by_id(id)
                .one(db)
                .await?
                .ok_or_else(not_found)?;
            let v = voucher::Entity::find_by_id(a.voucher_id)
                .one(db)
                .await?
                .ok_or_else(not_found)?;
            (
                a.child_person_id,
                a.campaign_id,
                v.application_id,
                vec![a.organisation_id],
            )
        }
    };
    let mut sides = Vec::new();
    if scope::children(actor).contains(&child) {
        sides.push(VoucherSide::Parent);
    }
    if provider_orgs.iter().any(|o| providers.contains(o)) {
        sides.push(VoucherSide::Provider);
    }
    if crate::campaigns::get_managed(db, actor, campaign_id)
        .await
        .is_ok()
    {
        sides.push(VoucherSide::Akimat);
    }
    if sides.is_empty() {
        return Err(not_found());
    }
    Ok(Thread {
        sides,
        application_id,
    })
}

/// The thread's messages, oldest first.
pub async fn messages(
    db: &impl ConnectionTrait,
    actor: &Actor,
    kind: VoucherThreadKind,
    id: i64,
) -> ApiResult<Vec<message::Model>> {
    thread(db, actor, kind, id).await?;
    Ok(message::Entity::find()
        .filter(message::Column::ThreadKind.eq(kind.as_str()))
        .filter(message::Column::ThreadId.eq(id))
        .order_by_asc(message::Column::Id)
        .all(db)
        .await?)
}

/// Writes a message for the caller's side (a parent first, when the caller is several).
pub async fn post(
    db: &DatabaseConnection,
    actor: &Actor,
    kind: VoucherThreadKind,
    id: i64,
    body: &str,
    now: DateTime<Utc>,
) -> ApiResult<message::Model> {
    let body = body.trim();
    if body.is_empty() || body.chars().count() > MAX_CHARS {
        return Err(ApiError::bad_input(
            "body",
            format!("a message is 1-{MAX_CHARS} characters"),
        ));
    }
    let txn = begin_write(db).await?;
    let t = thread(&txn, actor, kind, id).await?;
    let side = t.sides[0];
    let saved = message::ActiveModel {
        thread_kind: Set(kind.as_str().to_owned()),
        thread_id: Set(id),
        author_account_id: Set(actor.account_id),
        author_side: Set(side.as_str().to_owned()),
        language: Set(actor.language.as_str().to_owned()),
        body: Set(body.to_owned()),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        Some(actor.account_id),
        "voucher.message.posted",
        &format!("voucher_{}", kind.as_str()),
        id,
        json!({"message": saved.id, "side": side.as_str(), "chars": body.chars().count()}),
    )
    .await?;
    if side != VoucherSide::Parent {
        crate::notices::tell_parent(
            &txn,
            &crate::notices::VOUCHER_MESSAGE,
            t.application_id,
            format!("voucher-message:{}", saved.id),
            &[],
            now,
        )
        .await?;
    }
    txn.commit().await?;
    Ok(saved)
}

/// Marks the thread read by the caller, through message `through` where given (the last one
/// the page showed: a message that arrived meanwhile stays unread), else through its latest.
/// Returns how many messages stay unread.
pub async fn mark_read(
    db: &DatabaseConnection,
    actor: &Actor,
    kind: VoucherThreadKind,
    id: i64,
    through: Option<i64>,
    now: DateTime<Utc>,
) -> ApiResult<i64> {
    let txn = begin_write(db).await?;
    thread(&txn, actor, kind, id).await?;
    let mut latest = message::Entity::find()
        .filter(message::Column::ThreadKind.eq(kind.as_str()))
        .filter(message::Column::ThreadId.eq(id))
        .order_by_desc(message::Column::Id);
    if let Some(t) = through {
        latest = latest.filter(message::Column::Id.lte(t));
    }
    if let Some(last) = latest.one(&txn).await? {
        let row = read::ActiveModel {
            account_id: Set(actor.account_id),
            thread_kind: Set(kind.as_str().to_owned()),
            thread_id: Set(id),
            last_message_id: Set(last.id),
            read_at: Set(now),
            ..Default::default()
        };
        // Never moved back: a page showing an older list cannot mark newer messages unread.
        let existing = read::Entity::find()
            .filter(read::Column::AccountId.eq(actor.account_id))
            .filter(read::Column::ThreadKind.eq(kind.as_str()))
            .filter(read::Column::ThreadId.eq(id))
            .one(&txn)
            .await?;
        match existing {
            Some(r) if r.last_message_id >= last.id => {}
            Some(r) => {
                let mut r: read::ActiveModel = r.into();
                r.last_message_id = Set(last.id);
                r.read_at = Set(now);
                r.update(&txn).await?;
            }
            None => {
                read::Entity::insert(row)
                    .on_conflict(
                        OnConflict::columns([
                            read::Column::AccountId,
                            read::Column::ThreadKind,
                            read::Column::ThreadId,
                        ])
                        .update_columns([read::Column::LastMessageId, read::Column::ReadAt])
                        .to_owned(),
                    )
                    .exec(&txn)
                    .await?;
            }
        }
    }
    let left = unread(&txn, actor.account_id, kind, &[id])
        .await?
        .get(&id)
        .copied()
        .unwrap_or(0);
    txn.commit().await?;
    Ok(left)
}

/// How many messages of each thread `ids` of `kind` the account has not read (others'
/// messages after the last it saw); threads with none are absent.
pub async fn unread(
    db: &impl ConnectionTrait,
    account: i64,
    kind: VoucherThreadKind,
    ids: &[i64],
) -> ApiResult<HashMap<i64, i64>> {
    let mut out = HashMap::new();
    for chunk in ids.chunks(500) {
        let seen: HashMap<i64, i64> = read::Entity::find()
            .filter(read::Column::AccountId.eq(account))
            .filter(read::Column::ThreadKind.eq(kind.as_str()))
            .filter(read::Column::ThreadId.is_in(chunk.iter().copied()))
            .all(db)
            .await?
            .into_iter()
            .map(|r| (r.thread_id, r.last_message_id))
            .collect();
        let others: Vec<(i64, i64)> = message::Entity::find()
            .select_only()
            .column(message::Column::ThreadId)
            .column(message::Column::Id)
            .filter(message::Column::ThreadKind.eq(kind.as_str()))
            .filter(message::Column::ThreadId.is_in(chunk.iter().copied()))
            .filter(message::Column::AuthorAccountId.ne(account))
            .into_tuple()
            .all(db)
            .await?;
        for (thread, message) in others {
            if message > seen.get(&thread).copied().unwrap_or(0) {
                *out.entry(thread).or_insert(0) += 1;
            }
        }
    }
    Ok(out)
}
