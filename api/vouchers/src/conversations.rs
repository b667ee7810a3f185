//! Conversations: each application and each month of attendance carries one between the
//! parent, the provider and the akimat officer concerned, in the writer's language. It is part
//! of the record the akimat decides on. Only those three sides see it; to anyone else the
//! conversation is not found. A message is text, a file (PDF, PNG or JPEG, at most 5 MB, kept
//! in the document store like every other document), or both; its file is opened by the three
//! sides only (`GET /vouchers/messages/{id}/document`, each opening on the audit trail). Each
//! message is notified to the other two sides ([`crate::notices::tell`]): the parent who
//! applied, the staff of the provider(s) where the child's voucher is used, and the akimat
//! officers of the campaign's region; never to the writer. Staff also see new messages in their
//! portals: each person's unread count is what others wrote after the last message they saw
//! ([`mark_read`]).

use std::collections::HashMap;
use std::path::Path;

use chrono::{DateTime, Utc};
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};
use serde_json::json;

use entities::{
    role_assignment, voucher, voucher_application, voucher_attendance, voucher_campaign,
    voucher_enrolment, voucher_message as message, voucher_section, voucher_thread_read as read,
};

use adal_core::audit;
use adal_core::auth::scope::organisations;
use adal_core::auth::{Actor, Role};
use adal_core::db::begin_write;
use adal_core::documents::{Document, sniff};
use adal_core::error::{ApiError, ApiResult};

use crate::scope;
use crate::vocab::{VoucherSide, VoucherThreadKind};

/// The longest message, in characters.
pub const MAX_CHARS: usize = 2000;
/// The largest file a message carries, in bytes (a phone's photo, a scanned PDF).
pub const MAX_BYTES: usize = 5 * 1024 * 1024;
/// The types a message's file may be, as its own bytes prove them.
pub const FILE_TYPES: [&str; 3] = ["application/pdf", "image/png", "image/jpeg"];

/// What a side writes: text of at most [`MAX_CHARS`] characters, a file, or both; never
/// neither.
pub struct Draft<'a> {
    body: String,
    file: Option<&'a Document>,
}

impl<'a> Draft<'a> {
    pub fn parse(body: &str, file: Option<&'a Document>) -> ApiResult<Self> {
        let body = body.trim();
        let chars = body.chars().count();
        if chars > MAX_CHARS || (chars == 0 && file.is_none()) {
            return Err(ApiError::bad_input(
                "body",
                format!(
                    "a message is 1-{MAX_CHARS} characters, or a file with at most {MAX_CHARS}"
                ),
            ));
        }
        if let Some(f) = file {
            if !FILE_TYPES.contains(&sniff(&f.bytes)) {
                return Err(ApiError::bad_input("file", "a file is a PDF, PNG or JPEG"));
            }
            if f.bytes.len() > MAX_BYTES {
                return Err(ApiError::bad_input(
                    "file",
                    format!("a file is at most {} MB", MAX_BYTES / 1024 / 1024),
                ));
            }
        }
        Ok(Self {
            body: body.to_owned(),
            file,
        })
    }
}

/// Who takes part in a thread: the caller's sides, and where the others are.
struct Thread {
    sides: Vec<VoucherSide>,
    application_id: i64,
    campaign_id: i64,
    /// The organisations of the providers concerned.
    providers: Vec<i64>,
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
        campaign_id,
        providers: provider_orgs,
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

/// Writes a message for the caller's side (a parent first, when the caller is several), and
/// notifies it to the other sides.
pub async fn post(
    db: &DatabaseConnection,
    data_dir: &Path,
    actor: &Actor,
    kind: VoucherThreadKind,
    id: i64,
    draft: Draft<'_>,
    now: DateTime<Utc>,
) -> ApiResult<message::Model> {
    // The file is written before the transaction, and only for a side of the thread: a refusal
    // below leaves at most a file no row names.
    let stored = match draft.file {
        Some(doc) => {
            thread(db, actor, kind, id).await?;
            let stored =
                adal_core::documents::store(data_dir, std::slice::from_ref(doc), MAX_BYTES)?;
            stored.into_iter().next().map(|s| s.columns())
        }
        None => None,
    };
    let txn = begin_write(db).await?;
    let t = thread(&txn, actor, kind, id).await?;
    let side = t.sides[0];
    let saved = message::ActiveModel {
        thread_kind: Set(kind.as_str().to_owned()),
        thread_id: Set(id),
        author_account_id: Set(actor.account_id),
        author_side: Set(side.as_str().to_owned()),
        language: Set(actor.language.as_str().to_owned()),
        body: Set(draft.body.clone()),
        created_at: Set(now),
        file_name: Set(stored.as_ref().map(|c| c.file_name.clone())),
        content_type: Set(stored.as_ref().map(|c| c.content_type.clone())),
        size: Set(stored.as_ref().map(|c| c.size)),
        sha256: Set(stored.as_ref().map(|c| c.sha256.clone())),
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
        json!({"message": saved.id, "side": side.as_str(), "chars": draft.body.chars().count(),
            "sha256": saved.sha256}),
    )
    .await?;
    let to = crate::notices::Audience {
        parent: side != VoucherSide::Parent,
        accounts: staff(&txn, &t, side, actor.account_id).await?,
        except: actor.person_id,
    };
    crate::notices::tell(
        &txn,
        &crate::notices::VOUCHER_MESSAGE,
        t.application_id,
        &to,
        &format!("voucher-message:{}", saved.id),
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(saved)
}

/// The staff accounts of the sides other than `side` (the provider's staff, the akimat officers
/// of the campaign's region), without the writer's.
async fn staff(
    db: &impl ConnectionTrait,
    t: &Thread,
    side: VoucherSide,
    writer: i64,
) -> ApiResult<Vec<i64>> {
    let mut accounts: Vec<i64> = Vec::new();
    if side != VoucherSide::Provider && !t.providers.is_empty() {
        accounts.extend(
            role_assignment::Entity::find()
                .select_only()
                .column(role_assignment::Column::AccountId)
                .filter(role_assignment::Column::Role.eq(Role::ProviderStaff.as_str()))
                .filter(role_assignment::Column::OrganisationId.is_in(t.providers.iter().copied()))
                .into_tuple::<i64>()
                .all(db)
                .await?,
        );
    }
    if side != VoucherSide::Akimat
        && let Some(c) = voucher_campaign::Entity::find_by_id(t.campaign_id)
            .one(db)
            .await?
    {
        accounts.extend(
            role_assignment::Entity::find()
                .select_only()
                .column(role_assignment::Column::AccountId)
                .filter(role_assignment::Column::Role.eq(Role::AkimatOfficer.as_str()))
                .filter(role_assignment::Column::RegionKato.eq(c.region_kato))
                .into_tuple::<i64>()
                .all(db)
                .await?,
        );
    }
    accounts.retain(|a| *a != writer);
    accounts.sort_unstable();
    accounts.dedup();
    Ok(accounts)
}

/// The message `id` that carries a file, for a side of its thread (else not found).
pub async fn with_document(
    db: &impl ConnectionTrait,
    actor: &Actor,
    id: i64,
) -> ApiResult<message::Model> {
    let not_found = || ApiError::NotFound("document");
    let m = message::Entity::find_by_id(id)
        .one(db)
        .await?
        .filter(|m| m.sha256.is_some())
        .ok_or_else(not_found)?;
    let kind = VoucherThreadKind::from_db(&m.thread_kind).ok_or_else(not_found)?;
    thread(db, actor, kind, m.thread_id)
        .await
        .map_err(|_| not_found())?;
    Ok(m)
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

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(bytes: &[u8]) -> Document {
        Document {
            file_name: "x".into(),
            content_type: "application/pdf".into(),
            bytes: bytes.to_vec(),
        }
    }

    #[test]
    fn a_message_is_text_a_file_or_both_never_neither() {
        let pdf = doc(b"%PDF-1.4\n%%EOF\n");
        assert_eq!(Draft::parse("  hello ", None).unwrap().body, "hello");
        assert!(Draft::parse("", Some(&pdf)).unwrap().file.is_some());
        assert!(Draft::parse("see the register", Some(&pdf)).is_ok());
        assert!(Draft::parse("   ", None).is_err());
        assert!(Draft::parse(&"a".repeat(MAX_CHARS + 1), Some(&pdf)).is_err());
        assert!(Draft::parse(&"ә".repeat(MAX_CHARS), None).is_ok());
    }

    #[test]
    fn a_file_is_a_pdf_png_or_jpeg_by_its_own_bytes() {
        let png = doc(b"\x89PNG\r\n\x1a\n....");
        let jpeg = doc(&[0xFF, 0xD8, 0xFF, 0xE0]);
        let html = doc(b"<html><script>alert(1)</script>");
        let empty = doc(b"");
        assert!(Draft::parse("", Some(&png)).is_ok());
        assert!(Draft::parse("", Some(&jpeg)).is_ok());
        assert!(
            Draft::parse("hi", Some(&html)).is_err(),
            "declared a PDF, is not one"
        );
        assert!(Draft::parse("hi", Some(&empty)).is_err());
        let mut big = b"%PDF-".to_vec();
        big.resize(MAX_BYTES + 1, b' ');
        assert!(Draft::parse("hi", Some(&doc(&big))).is_err());
    }
}
