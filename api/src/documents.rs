//! Uploaded documents (a graduate's exemption application, the upload task after a 512
//! refusal): kept once per content in `<data dir>/documents/<sha256>`, and downloaded by the
//! people entitled to them:
//!
//! - `GET /documents/application/{id}`: a document of an exemption or suspension application;
//! - `GET /documents/task/{id}`: a document uploaded for a graduate's task.
//!
//! Both answer the operator's staff (administrators, analysts, commission members) and the
//! graduate the document belongs to; anyone else gets 404, as if it did not exist. The file is
//! checked against its checksum before it goes out, is always sent as an attachment with the
//! content type its own bytes prove (never rendered on Adal's origin), and each download is on
//! the audit trail.

use std::path::{Path, PathBuf};

use actix_web::{HttpRequest, HttpResponse, web};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, JoinType, Query};
use sea_orm::{DatabaseConnection, FromQueryResult};
use serde_json::json;
use sha2::{Digest, Sha256};

use crate::audit;
use crate::auth::roles::Role;
use crate::error::{ApiError, ApiResult, refusal};
use crate::state::AppState;

/// A document as uploaded.
pub struct Document {
    pub file_name: String,
    pub content_type: String,
    pub bytes: Vec<u8>,
}

/// A stored document: its content's checksum, which names its file.
pub struct Stored<'a> {
    pub document: &'a Document,
    pub sha256: String,
}

fn folder(data_dir: &Path) -> PathBuf {
    data_dir.join("documents")
}

/// Checks the documents' sizes (1 byte to `max_bytes` each) and writes each content once.
/// Files are written before the caller's transaction: a failed transaction leaves at most an
/// unreferenced file, never a row without its file.
pub fn store<'a>(
    data_dir: &Path,
    documents: &'a [Document],
    max_bytes: usize,
) -> ApiResult<Vec<Stored<'a>>> {
    let dir = folder(data_dir);
    std::fs::create_dir_all(&dir).map_err(ApiError::internal)?;
    let mut stored = Vec::with_capacity(documents.len());
    for d in documents {
        if d.bytes.is_empty() || d.bytes.len() > max_bytes {
            return Err(ApiError::bad_input(
                "documents",
                format!(
                    "each document must be 1 byte to {} MB",
                    max_bytes / 1024 / 1024
                ),
            ));
        }
        let sha = hex::encode(Sha256::digest(&d.bytes));
        let path = dir.join(&sha);
        if !path.exists() {
            std::fs::write(&path, &d.bytes).map_err(ApiError::internal)?;
        }
        stored.push(Stored {
            document: d,
            sha256: sha,
        });
    }
    Ok(stored)
}

/// A file name and a content type cut to the columns' lengths.
pub fn labels(d: &Document) -> (String, String) {
    (
        d.file_name.chars().take(200).collect(),
        d.content_type.chars().take(100).collect(),
    )
}

/// Reads a stored document back, refusing a file whose content no longer matches.
fn read(data_dir: &Path, sha256: &str) -> ApiResult<Vec<u8>> {
    if sha256.len() != 64 || !sha256.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(ApiError::internal(anyhow::anyhow!("a malformed checksum")));
    }
    let bytes = std::fs::read(folder(data_dir).join(sha256)).map_err(ApiError::internal)?;
    if hex::encode(Sha256::digest(&bytes)) != sha256 {
        return Err(ApiError::internal(anyhow::anyhow!(
            "a stored document does not match its checksum"
        )));
    }
    Ok(bytes)
}

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/documents/{kind}/{id}", web::get().to(download));
}

/// The path a document of `kind` (`application` or `task`) downloads from.
pub fn download_path(kind: &str, id: i64) -> String {
    format!("/documents/{kind}/{id}")
}

/// People only: the operator's staff, and graduates (for their own documents, by scope).
const READERS: &[Role] = &[
    Role::OperatorAdmin,
    Role::OperatorAnalyst,
    Role::CommissionMember,
    Role::Graduate,
];

/// What a download needs to know of a document.
#[derive(FromQueryResult)]
struct Found {
    graduate_id: i64,
    file_name: String,
    sha256: String,
}

/// A document of `kind` with the graduate it belongs to: the document's table, its parent's
/// table (which names the graduate) and the column that links them.
async fn find(db: &DatabaseConnection, kind: &str, id: i64) -> ApiResult<Found> {
    let (documents, parent, link) = match kind {
        "application" => ("exemption_document", "exemption", "exemption_id"),
        "task" => ("graduate_task_document", "graduate_task", "task_id"),
        _ => return Err(ApiError::NotFound("document")),
    };
    let (d, p) = (Alias::new("d"), Alias::new("p"));
    let q = Query::select()
        .column((p.clone(), Alias::new("graduate_id")))
        .column((d.clone(), Alias::new("file_name")))
        .column((d.clone(), Alias::new("sha256")))
        .from_as(Alias::new(documents), d.clone())
        .join_as(
            JoinType::InnerJoin,
            Alias::new(parent),
            p.clone(),
            Expr::col((p.clone(), Alias::new("id"))).equals((d.clone(), Alias::new(link))),
        )
        .and_where(Expr::col((d, Alias::new("id"))).eq(id))
        .to_owned();
    Found::find_by_statement(db.get_database_backend().build(&q))
        .one(db)
        .await?
        .ok_or(ApiError::NotFound("document"))
}

/// The content type a file's own first bytes prove (PDF, PNG, JPEG); anything else goes out
/// as plain bytes, whatever the uploader declared.
fn sniff(bytes: &[u8]) -> &'static str {
    if bytes.starts_with(b"%PDF-") {
        "application/pdf"
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        "image/png"
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        "image/jpeg"
    } else {
        "application/octet-stream"
    }
}

async fn download(
    req: HttpRequest,
    path: web::Path<(String, i64)>,
    state: web::Data<AppState>,
) -> HttpResponse {
    let (kind, id) = path.into_inner();
    let (req, kind) = (&req, kind.as_str());
    let result: ApiResult<(Found, Vec<u8>)> = async {
        let actor = crate::graphql::http_actor(req, &state, READERS).await?;
        let doc = find(&state.db, kind, id).await?;
        // Outside the caller's graduates (the shared scope): as if it did not exist.
        crate::obligations::service::get(&state.db, &actor, doc.graduate_id)
            .await
            .map_err(|e| match e {
                ApiError::NotFound(_) => ApiError::NotFound("document"),
                e => e,
            })?;
        let bytes = read(&state.settings.data_dir, &doc.sha256)?;
        audit::record(
            &state.db,
            Some(actor.account_id),
            "document.download",
            &format!("{kind}_document"),
            id,
            json!({ "graduateId": doc.graduate_id }),
        )
        .await?;
        Ok((doc, bytes))
    }
    .await;
    match result {
        Ok((doc, bytes)) => HttpResponse::Ok()
            .content_type(sniff(&bytes))
            .insert_header(("X-Content-Type-Options", "nosniff"))
            .insert_header(("Content-Security-Policy", "sandbox"))
            .insert_header(("Content-Disposition", attachment(&doc.file_name).as_str()))
            .body(bytes),
        Err(e) => refusal(&e),
    }
}

/// `attachment` with an ASCII fallback name and the real one in RFC 5987 form.
fn attachment(file_name: &str) -> String {
    let ascii: String = file_name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect();
    let encoded: String = file_name
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_') {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attachment_names_survive_any_script() {
        assert_eq!(
            attachment("справка.pdf"),
            "attachment; filename=\"_______.pdf\"; \
             filename*=UTF-8''%D1%81%D0%BF%D1%80%D0%B0%D0%B2%D0%BA%D0%B0.pdf"
        );
        assert_eq!(
            attachment("a\"b.pdf"),
            "attachment; filename=\"a_b.pdf\"; filename*=UTF-8''a%22b.pdf"
        );
    }
}
