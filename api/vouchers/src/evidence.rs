//! The documents a parent attaches to a declared priority category (a certificate of
//! disability, of large-family status, ...), for the akimat officers who decide it: stored by
//! checksum in the data folder like every other document, listed with the category, opened
//! by the parent and by the campaign's officers (`GET /vouchers/evidence/{id}`); to anyone
//! else not found. Attached until the category is decided; each attachment and each opening
//! is on the audit trail.

use std::path::Path;

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    PaginatorTrait, QueryFilter, Set,
};
use serde_json::json;

use entities::{
    voucher_application as application, voucher_application_category as category,
    voucher_category_document as document,
};

use adal_core::audit;
use adal_core::auth::Actor;
use adal_core::db::begin_write;
use adal_core::documents::Document;
use adal_core::error::{ApiError, ApiResult};

use crate::vocab::{VoucherCategoryStatus, VoucherRefusal};
use crate::{applications, scope};

/// The largest document, in bytes (a phone's photo of a certificate, or a scanned PDF).
pub const MAX_BYTES: usize = 5 * 1024 * 1024;
/// The most documents one category holds.
pub const MAX_PER_CATEGORY: u64 = 5;

/// Attaches `doc` to the caller's child's declared category `category_id`.
pub async fn attach(
    db: &DatabaseConnection,
    data_dir: &Path,
    actor: &Actor,
    category_id: i64,
    doc: &Document,
    now: DateTime<Utc>,
) -> ApiResult<document::Model> {
    let not_found = || ApiError::NotFound("category");
    let cat = category::Entity::find_by_id(category_id)
        .one(db)
        .await?
        .ok_or_else(not_found)?;
    let app = application::Entity::find_by_id(cat.application_id)
        .one(db)
        .await?
        .ok_or_else(not_found)?;
    if !scope::children(actor).contains(&app.child_person_id) {
        return Err(not_found());
    }
    if cat.status != VoucherCategoryStatus::Declared.as_str() {
        return Err(ApiError::ConflictBecause {
            reason: VoucherRefusal::CategoryDecided.into(),
            message: "the akimat has decided this category: its evidence is final".into(),
        });
    }
    // Written before the transaction: a refusal below leaves at most a file no row names.
    let stored = adal_core::documents::store(data_dir, std::slice::from_ref(doc), MAX_BYTES)?;
    let stored = &stored[0];
    let txn = begin_write(db).await?;
    let held = document::Entity::find()
        .filter(document::Column::CategoryId.eq(cat.id))
        .count(&txn)
        .await?;
    if held >= MAX_PER_CATEGORY {
        return Err(ApiError::bad_input(
            "file",
            format!("a category holds at most {MAX_PER_CATEGORY} documents"),
        ));
    }
    let c = stored.columns();
    let saved = document::ActiveModel {
        category_id: Set(cat.id),
        file_name: Set(c.file_name),
        content_type: Set(c.content_type),
        size: Set(c.size),
        sha256: Set(c.sha256),
        uploaded_by: Set(actor.account_id),
        uploaded_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        Some(actor.account_id),
        "voucher.evidence.attached",
        "voucher_application",
        app.id,
        json!({ "category": cat.category, "document": saved.id, "sha256": saved.sha256 }),
    )
    .await?;
    txn.commit().await?;
    Ok(saved)
}

/// Document `id`, for the parent of the child or the campaign's officers (else not found).
pub async fn document_for(
    db: &impl ConnectionTrait,
    actor: &Actor,
    id: i64,
) -> ApiResult<(document::Model, i64)> {
    let not_found = || ApiError::NotFound("document");
    let doc = document::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(not_found)?;
    let cat = category::Entity::find_by_id(doc.category_id)
        .one(db)
        .await?
        .ok_or_else(not_found)?;
    let app = applications::get(db, actor, cat.application_id)
        .await
        .map_err(|_| not_found())?;
    Ok((doc, app.id))
}
