//! The document store every domain uses for uploaded files (a graduate's exemption
//! application, the upload task after a 512 refusal, later a club's or a school's papers):
//! kept once per content in `<data dir>/documents/<sha256>`, checked against that checksum
//! when read, and sent as an attachment with the content type its own bytes prove (never
//! rendered on Adal's origin). Who may download what is the domain's decision (see the
//! obligations' `downloads`).

use std::path::{Path, PathBuf};

use actix_web::HttpResponse;
use sha2::{Digest, Sha256};

use crate::error::{ApiError, ApiResult};

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

/// What every table of documents keeps of one (beside its owner and time).
pub struct Columns {
    /// Cut to the column's length.
    pub file_name: String,
    /// The type its own bytes prove ([`sniff`]), not the one declared.
    pub content_type: String,
    pub size: i64,
    pub sha256: String,
}

impl Stored<'_> {
    pub fn columns(&self) -> Columns {
        let (file_name, _declared) = labels(self.document);
        Columns {
            file_name,
            content_type: sniff(&self.document.bytes).to_owned(),
            size: i64::try_from(self.document.bytes.len()).unwrap_or(i64::MAX),
            sha256: self.sha256.clone(),
        }
    }
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
pub fn read(data_dir: &Path, sha256: &str) -> ApiResult<Vec<u8>> {
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

/// A stored document as every domain lists it (an application's, a task's, a contest's):
/// what was uploaded, its checksum, and where it downloads from.
#[derive(async_graphql::SimpleObject, Debug, Clone)]
pub struct DocumentInfo {
    pub id: async_graphql::ID,
    pub file_name: String,
    /// The type declared or, for a contest's, the type its own bytes prove; a download always
    /// goes out with the type its bytes prove.
    pub content_type: String,
    pub size: i64,
    /// SHA-256 of the file, as kept.
    pub sha256: String,
    pub uploaded_at: chrono::DateTime<chrono::Utc>,
    /// Where the file downloads from (`GET`, with the bearer token), for those who may read
    /// the record it belongs to.
    pub download_path: String,
}

/// The [`DocumentInfo`] of a row of any table of documents (they share their columns:
/// `id`, `file_name`, `content_type`, `size`, `sha256`, `uploaded_at`), as `kind`
/// (`application`, `task`, `contest`: its download path's) downloads it; or, `at path`, from
/// the path `path(id)` of a domain that serves its documents under its own prefix.
#[macro_export]
macro_rules! document_info {
    ($kind:literal, $row:expr) => {
        $crate::document_info!(at | id | $crate::documents::download_path($kind, id), $row)
    };
    (at $path:expr, $row:expr) => {{
        let d = $row;
        $crate::documents::DocumentInfo {
            id: async_graphql::ID(d.id.to_string()),
            file_name: d.file_name.clone(),
            content_type: d.content_type.clone(),
            size: d.size,
            sha256: d.sha256.clone(),
            uploaded_at: d.uploaded_at,
            download_path: ($path)(d.id),
        }
    }};
}

/// The path a document of `kind` (`application`, `task` or `contest`) downloads from.
pub fn download_path(kind: &str, id: i64) -> String {
    format!("/documents/{kind}/{id}")
}

/// The content type a file's own first bytes prove (PDF, PNG, JPEG); anything else goes out
/// as plain bytes, whatever the uploader declared.
pub fn sniff(bytes: &[u8]) -> &'static str {
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

/// A stored document a reader may open, as the domain's own rule found it: the file, and what
/// the audit trail records of the opening.
pub struct Opening {
    pub reader_account: i64,
    pub file_name: String,
    pub sha256: String,
    /// The trail's subject: the kind of record (`voucher_message`, `task_document`, ...) and
    /// its id.
    pub subject_type: String,
    pub subject_id: i64,
    /// What else the trail notes (the case, the graduate, the conversation).
    pub details: serde_json::Value,
}

/// Sends the document of `opening` as an attachment (checked against its checksum) after
/// recording the opening, `document.download`, on the audit trail; or the refusal that
/// finding it met (not found, for anyone the domain's rule does not admit).
pub async fn send(state: &crate::state::AppState, opening: ApiResult<Opening>) -> HttpResponse {
    let sent: ApiResult<(String, Vec<u8>)> = async {
        let o = opening?;
        let bytes = read(&state.settings.data_dir, &o.sha256)?;
        crate::audit::record(
            &state.db,
            Some(o.reader_account),
            "document.download",
            &o.subject_type,
            o.subject_id,
            o.details,
        )
        .await?;
        Ok((o.file_name, bytes))
    }
    .await;
    match sent {
        Ok((name, bytes)) => attachment_response(&name, bytes),
        Err(e) => crate::error::refusal(&e),
    }
}

/// A stored file sent as a download: its type from its own bytes, always an attachment, never
/// sniffed or run by the browser.
pub fn attachment_response(file_name: &str, bytes: Vec<u8>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type(sniff(&bytes))
        .insert_header(("X-Content-Type-Options", "nosniff"))
        .insert_header(("Content-Security-Policy", "sandbox"))
        .insert_header(("Content-Disposition", attachment(file_name).as_str()))
        .body(bytes)
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
