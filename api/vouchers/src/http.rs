//! Downloads: the published allocation files (anyone: they hold no personal data), the
//! monthly payment registers (the campaign's akimat officers; each download is on the trail
//! with its checksum), the evidence documents of declared categories (the parent and the
//! campaign's officers), and the files of conversations' messages (the sides of the
//! conversation); each opening of a document is on the trail.

use actix_web::{HttpRequest, HttpResponse, web};
use serde_json::json;

use adal_core::audit;
use adal_core::auth::Role;
use adal_core::documents::{self, Opening};
use adal_core::error::{ApiError, ApiResult, refusal};
use adal_core::state::AppState;

use crate::{allocation, attendance};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/vouchers/allocations/{id}", web::get().to(download))
        .route(
            "/vouchers/payouts/{campaign}/{file}",
            web::get().to(register),
        )
        .route("/vouchers/evidence/{id}", web::get().to(evidence))
        .route(
            "/vouchers/messages/{id}/document",
            web::get().to(message_document),
        );
}

/// Where the file of message `id` is opened.
pub fn message_document_path(id: i64) -> String {
    format!("/vouchers/messages/{id}/document")
}

async fn message_document(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<i64>,
) -> HttpResponse {
    let id = path.into_inner();
    let opening = async {
        let actor = adal_core::graphql::http_actor(
            &req,
            &state,
            &[Role::Parent, Role::ProviderStaff, Role::AkimatOfficer],
        )
        .await?;
        let m = crate::conversations::with_document(&state.db, &actor, id).await?;
        let (Some(file_name), Some(sha256)) = (m.file_name, m.sha256) else {
            return Err(ApiError::NotFound("document"));
        };
        Ok(Opening {
            reader_account: actor.account_id,
            file_name,
            sha256,
            subject_type: "voucher_message".into(),
            subject_id: id,
            details: json!({ "thread": m.thread_kind, "thread_id": m.thread_id }),
        })
    }
    .await;
    documents::send(&state, opening).await
}

/// Where evidence document `id` is opened.
pub fn evidence_path(id: i64) -> String {
    format!("/vouchers/evidence/{id}")
}

async fn evidence(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<i64>,
) -> HttpResponse {
    let id = path.into_inner();
    let opening = async {
        let actor =
            adal_core::graphql::http_actor(&req, &state, &[Role::Parent, Role::AkimatOfficer])
                .await?;
        let (doc, application) = crate::evidence::document_for(&state.db, &actor, id).await?;
        Ok(Opening {
            reader_account: actor.account_id,
            file_name: doc.file_name,
            sha256: doc.sha256,
            subject_type: "voucher_category_document".into(),
            subject_id: id,
            details: json!({ "application": application }),
        })
    }
    .await;
    documents::send(&state, opening).await
}

/// Where allocation run `id`'s file is published.
pub fn allocation_path(id: i64) -> String {
    format!("/vouchers/allocations/{id}")
}

/// Where a month's payment register is downloaded (`csv` or `xlsx`).
pub fn register_path(campaign_id: i64, month: i32, format: &str) -> String {
    format!("/vouchers/payouts/{campaign_id}/{month}.{format}")
}

async fn download(state: web::Data<AppState>, path: web::Path<i64>) -> HttpResponse {
    match allocation::get_run(&state.db, path.into_inner()).await {
        Ok(run) => HttpResponse::Ok()
            .content_type("application/json")
            .insert_header((
                "Content-Disposition",
                format!(
                    "attachment; filename=\"voucher-allocation-{}.json\"",
                    run.id
                ),
            ))
            .insert_header(("X-Checksum-SHA256", run.sha256))
            .body(run.file),
        Err(e) => refusal(&e),
    }
}

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

async fn register(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(i64, String)>,
) -> HttpResponse {
    match register_file(&req, &state, path.into_inner()).await {
        Ok(r) => r,
        Err(e) => refusal(&e),
    }
}

async fn register_file(
    req: &HttpRequest,
    state: &AppState,
    (campaign_id, file): (i64, String),
) -> ApiResult<HttpResponse> {
    let actor = adal_core::graphql::http_actor(req, state, &[Role::AkimatOfficer]).await?;
    let (month, format) = file
        .split_once('.')
        .and_then(|(m, f)| Some((m.parse::<i32>().ok()?, f.to_owned())))
        .ok_or(ApiError::NotFound("register"))?;
    let (bytes, sha, content_type) = match format.as_str() {
        "csv" => {
            let (b, s) = attendance::register_csv(&state.db, &actor, campaign_id, month).await?;
            (b, s, "text/csv; charset=utf-8")
        }
        "xlsx" => {
            let (b, s) = attendance::register_xlsx(&state.db, &actor, campaign_id, month).await?;
            (b, s, XLSX)
        }
        _ => return Err(ApiError::NotFound("register")),
    };
    audit::record(
        &state.db,
        Some(actor.account_id),
        "voucher.register.downloaded",
        "voucher_campaign",
        campaign_id,
        json!({"month": month, "format": format, "sha256": sha}),
    )
    .await?;
    Ok(HttpResponse::Ok()
        .content_type(content_type)
        .insert_header((
            "Content-Disposition",
            format!("attachment; filename=\"voucher-payouts-{campaign_id}-{month}.{format}\""),
        ))
        .insert_header(("X-Checksum-SHA256", sha))
        .body(bytes))
}
