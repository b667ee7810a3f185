//! The payment side's balance top-ups: `POST /schools/topups` with a JSON body
//! `{"reference", "iin", "amount", "paidAt"}`, signed like every webhook of Adal
//! (`X-Adal-Timestamp`, `X-Adal-Signature: sha256=<hmac of "<timestamp>.<body>">` under
//! `payments_webhook_secret`). The same reference twice credits once (`"credited": false`).
//! And the monthly reports: `GET /schools/reports/{id}.csv` or `.xlsx`, with `X-Checksum-SHA256`;
//! the dishes' photos: `GET /schools/dish-photos/{sha256}`.

use actix_web::{HttpRequest, HttpResponse, web};
use serde_json::json;

use adal_core::audit;
use adal_core::auth::Role;
use adal_core::error::{ApiError, ApiResult, refusal};
use adal_core::state::AppState;
use adal_notifications::webhooks::{bad, internal, unauthorized, verify};

use crate::balance::{self, TopUp, TopUpOutcome};
use crate::{canteen, reports, scope};

async fn top_up(req: HttpRequest, body: web::Bytes, state: web::Data<AppState>) -> HttpResponse {
    if !verify(state.settings.payments_webhook_secret.as_ref(), &req, &body) {
        tracing::warn!("top-up with a bad signature refused");
        return unauthorized();
    }
    let Ok(t) = serde_json::from_slice::<TopUp>(&body) else {
        return bad("unreadable top-up");
    };
    match balance::top_up(&state.db, t).await {
        Ok(TopUpOutcome::Credited { balance }) => {
            HttpResponse::Ok().json(json!({ "credited": true, "balance": balance }))
        }
        Ok(TopUpOutcome::AlreadyCredited { balance }) => {
            HttpResponse::Ok().json(json!({ "credited": false, "balance": balance }))
        }
        Err(
            e @ (ApiError::BadInput { .. }
            | ApiError::NotFound(_)
            | ApiError::ConflictBecause { .. }),
        ) => {
            HttpResponse::build(e.status()).json(json!({ "error": e.message(), "code": e.code() }))
        }
        Err(e) => internal(e),
    }
}

/// Where a report version is downloaded (`csv` or `xlsx`).
pub fn report_path(id: i64, format: &str) -> String {
    format!("/schools/reports/{id}.{format}")
}

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

async fn report(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> HttpResponse {
    match report_file(&req, &state, path.into_inner()).await {
        Ok(r) => r,
        Err(e) => refusal(&e),
    }
}

/// A report's file: a school's for its staff, a region's for its akimat officers; each
/// download is on the trail with its checksum.
async fn report_file(req: &HttpRequest, state: &AppState, file: String) -> ApiResult<HttpResponse> {
    let actor = adal_core::graphql::http_actor(
        req,
        state,
        &[Role::SchoolAdmin, Role::SchoolStaff, Role::AkimatOfficer],
    )
    .await?;
    let (id, format) = file
        .split_once('.')
        .and_then(|(i, f)| Some((i.parse::<i64>().ok()?, f.to_owned())))
        .ok_or(ApiError::NotFound("report"))?;
    let r = reports::get(&state.db, id).await?;
    match (r.school_id, &r.region_kato) {
        (Some(s), _) => scope::any_school(&actor, &[s], scope::STAFF, "report").map(drop)?,
        (None, Some(k)) => scope::region(&actor, k)
            .map(drop)
            .map_err(|_| ApiError::NotFound("report"))?,
        _ => return Err(ApiError::NotFound("report")),
    }
    let (bytes, sum, content_type) = match format.as_str() {
        "csv" => (
            r.csv.clone().into_bytes(),
            r.csv_sha256.clone(),
            "text/csv; charset=utf-8",
        ),
        "xlsx" => {
            let (b, s) = reports::workbook(&r)?;
            (b, s, XLSX)
        }
        _ => return Err(ApiError::NotFound("report")),
    };
    audit::record(
        &state.db,
        Some(actor.account_id),
        "school.report.downloaded",
        "school_report",
        r.id,
        json!({ "format": format, "sha256": sum }),
    )
    .await?;
    Ok(HttpResponse::Ok()
        .content_type(content_type)
        .insert_header((
            "Content-Disposition",
            format!(
                "attachment; filename=\"{}-{}-v{}.{format}\"",
                r.kind, r.month, r.version
            ),
        ))
        .insert_header(("X-Checksum-SHA256", sum))
        .body(bytes))
}

/// A dish's photo, public like the menu; the address names the content, so it never changes.
async fn dish_photo(state: web::Data<AppState>, sha: web::Path<String>) -> HttpResponse {
    let sha = sha.into_inner();
    if sha.len() != 64 || !sha.bytes().all(|b| b.is_ascii_hexdigit()) {
        return refusal(&ApiError::NotFound("photo"));
    }
    match canteen::photo(&state.db, &state.settings.data_dir, &sha).await {
        Ok((bytes, kind)) => HttpResponse::Ok()
            .content_type(kind)
            .insert_header(("X-Content-Type-Options", "nosniff"))
            .insert_header(("Content-Security-Policy", "sandbox"))
            .insert_header(("Cache-Control", "public, max-age=31536000, immutable"))
            .body(bytes),
        Err(e) => refusal(&e),
    }
}

/// The schools' HTTP routes, registered by `startup`.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/schools/topups", web::post().to(top_up))
        .route("/schools/reports/{file}", web::get().to(report))
        .route("/schools/dish-photos/{sha}", web::get().to(dish_photo));
}
