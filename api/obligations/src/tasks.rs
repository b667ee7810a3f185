//! Graduates' tasks: after a 512 refusal the graduate uploads supporting documents (employment
//! contract, hiring order, employer's certificate) and the operator reviews them.

use std::path::Path;

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder, QuerySelect, Set,
};
use serde_json::json;

use entities::{graduate_task, graduate_task_document};

use crate::vocab::TaskStatus;
use adal_core::audit;
use adal_core::error::{ApiError, ApiResult};

const MAX_DOCUMENT_BYTES: usize = 20 * 1024 * 1024;

pub use adal_core::documents::Document;

pub async fn of_person(
    db: &DatabaseConnection,
    person_id: i64,
) -> ApiResult<Vec<graduate_task::Model>> {
    Ok(graduate_task::Entity::find()
        .filter(graduate_task::Column::PersonId.eq(person_id))
        .order_by_desc(graduate_task::Column::Id)
        .all(db)
        .await?)
}

pub async fn of_graduate(
    db: &DatabaseConnection,
    graduate_id: i64,
) -> ApiResult<Vec<graduate_task::Model>> {
    Ok(graduate_task::Entity::find()
        .filter(graduate_task::Column::GraduateId.eq(graduate_id))
        .order_by_desc(graduate_task::Column::Id)
        .all(db)
        .await?)
}

pub async fn list(
    db: &DatabaseConnection,
    status: Option<TaskStatus>,
) -> ApiResult<Vec<graduate_task::Model>> {
    let mut q = graduate_task::Entity::find();
    if let Some(s) = status {
        q = q.filter(graduate_task::Column::Status.eq(s.as_str()));
    }
    Ok(q.order_by_desc(graduate_task::Column::Id)
        .limit(500)
        .all(db)
        .await?)
}

pub async fn documents_of(
    db: &DatabaseConnection,
    task_id: i64,
) -> ApiResult<Vec<graduate_task_document::Model>> {
    Ok(graduate_task_document::Entity::find()
        .filter(graduate_task_document::Column::TaskId.eq(task_id))
        .order_by_asc(graduate_task_document::Column::Id)
        .all(db)
        .await?)
}

/// The graduate submits documents for their own open (or rejected) task.
pub async fn submit(
    db: &DatabaseConnection,
    data_dir: &Path,
    actor: i64,
    person_id: i64,
    task_id: i64,
    note: &str,
    documents: Vec<Document>,
) -> ApiResult<graduate_task::Model> {
    let t = graduate_task::Entity::find_by_id(task_id)
        .one(db)
        .await?
        .filter(|t| t.person_id == person_id)
        .ok_or(ApiError::NotFound("task"))?;
    if !matches!(
        TaskStatus::from_db(&t.status),
        Some(TaskStatus::Open | TaskStatus::Rejected)
    ) {
        return Err(ApiError::Conflict(format!(
            "the task is already {}",
            t.status
        )));
    }
    if documents.is_empty() {
        return Err(ApiError::bad_input(
            "documents",
            "attach the employment contract, the hiring order or the employer's certificate",
        ));
    }
    let stored = adal_core::documents::store(data_dir, &documents, MAX_DOCUMENT_BYTES)?;
    let txn = adal_core::db::begin_write(db).await?;
    let now = Utc::now();
    for d in stored {
        let (file_name, content_type) = adal_core::documents::labels(d.document);
        graduate_task_document::ActiveModel {
            task_id: Set(task_id),
            file_name: Set(file_name),
            content_type: Set(content_type),
            size: Set(d.document.bytes.len() as i64),
            sha256: Set(d.sha256),
            uploaded_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
    }
    let mut am = t.into_active_model();
    am.status = Set(TaskStatus::Submitted.as_str().into());
    am.note = Set(note.trim().chars().take(4000).collect());
    am.submitted_at = Set(Some(now));
    let t = am.update(&txn).await?;
    audit::record(
        &txn,
        Some(actor),
        "task.submit",
        "graduate_task",
        task_id,
        json!({ "documents": documents.len() }),
    )
    .await?;
    txn.commit().await?;
    Ok(t)
}

/// The operator accepts or rejects submitted documents (a rejected task is open to resubmit).
pub async fn review(
    db: &DatabaseConnection,
    actor: i64,
    task_id: i64,
    accept: bool,
    note: &str,
) -> ApiResult<graduate_task::Model> {
    let txn = adal_core::db::begin_write(db).await?;
    let t = graduate_task::Entity::find_by_id(task_id)
        .one(&txn)
        .await?
        .ok_or(ApiError::NotFound("task"))?;
    if TaskStatus::from_db(&t.status) != Some(TaskStatus::Submitted) {
        return Err(ApiError::Conflict(format!(
            "only submitted tasks are reviewed; this one is {}",
            t.status
        )));
    }
    if !accept && note.trim().is_empty() {
        return Err(ApiError::bad_input(
            "note",
            "say why the documents are rejected",
        ));
    }
    let mut am = t.into_active_model();
    am.status = Set(if accept {
        TaskStatus::Accepted
    } else {
        TaskStatus::Rejected
    }
    .as_str()
    .into());
    am.review_note = Set(note.trim().chars().take(4000).collect());
    am.reviewed_at = Set(Some(Utc::now()));
    am.reviewed_by = Set(Some(actor));
    let t = am.update(&txn).await?;
    audit::record(
        &txn,
        Some(actor),
        "task.review",
        "graduate_task",
        task_id,
        json!({ "accept": accept }),
    )
    .await?;
    txn.commit().await?;
    Ok(t)
}
