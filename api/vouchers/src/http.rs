//! The published allocation files: anyone may download them (they hold no personal data).

use actix_web::{HttpResponse, web};

use adal_core::error::refusal;
use adal_core::state::AppState;

use crate::allocation;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/vouchers/allocations/{id}", web::get().to(download));
}

/// Where allocation run `id`'s file is published.
pub fn allocation_path(id: i64) -> String {
    format!("/vouchers/allocations/{id}")
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
