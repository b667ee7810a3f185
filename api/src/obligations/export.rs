//! Export of the filtered graduates list: `GET /exports/graduates.csv` with the filters of
//! the `graduates` query as URL parameters (`status=BREACH&regionKato=...`), for the
//! operator's staff (bearer token). The CSV is streamed page by page, so a national export
//! does not sit in memory; each export is recorded in the audit trail with its filters.
//! IINs go out masked, as the list shows them; the exact-IIN filter is not offered, since an
//! IIN never goes into a URL (domain brief §1).

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use futures_util::stream;
use serde::Deserialize;
use serde_json::json;

use super::graphql::GraduateFilterInput;
use super::service::{self, GraduateRow};
use super::vocab::{FundingCategory, ObligationStatus, SpecialtyGroup};
use crate::audit;
use crate::auth::roles::OPERATOR_STAFF;
use crate::error::{ApiError, ApiResult};
use crate::identifiers::mask;
use crate::pagination::{MAX_PAGE, PageRequest, encode_cursor};
use crate::state::AppState;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/exports/graduates.csv", web::get().to(graduates_csv));
}

/// The filters, named as in `GraduateFilter`.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ExportFilter {
    status: Option<String>,
    category: Option<String>,
    specialty_group: Option<String>,
    region_kato: Option<String>,
    university_id: Option<String>,
    graduation_year: Option<i32>,
    employer_id: Option<String>,
}

/// `BREACH` (the GraphQL name) as the stored vocabulary value.
fn vocab<T>(
    field: &str,
    v: Option<String>,
    from_db: fn(&str) -> Option<T>,
) -> ApiResult<Option<T>> {
    v.filter(|s| !s.is_empty())
        .map(|s| {
            from_db(&s.to_ascii_lowercase())
                .ok_or_else(|| ApiError::bad_input(field, format!("unknown value {s}")))
        })
        .transpose()
}

impl ExportFilter {
    fn parse(self) -> ApiResult<service::GraduateFilter> {
        GraduateFilterInput {
            status: vocab("status", self.status, ObligationStatus::from_db)?,
            category: vocab("category", self.category, FundingCategory::from_db)?,
            specialty_group: vocab(
                "specialtyGroup",
                self.specialty_group,
                SpecialtyGroup::from_db,
            )?,
            region_kato: self.region_kato,
            university_id: self.university_id.map(Into::into),
            graduation_year: self.graduation_year,
            employer_id: self.employer_id.map(Into::into),
            iin: None,
        }
        .parse()
    }
}

const HEADER: &str = "id,full_name,iin_masked,category,specialty_code,specialty_name,region_kato,graduation_date,status,required_months,credited_months,remaining_months\n";

/// One CSV field, quoted when it needs to be.
fn field(out: &mut String, value: &str) {
    if value.contains([',', '"', '\n', '\r']) {
        out.push('"');
        out.push_str(&value.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(value);
    }
}

/// The CSV lines of one page of rows.
pub fn csv_lines(rows: &[GraduateRow]) -> String {
    let mut out = String::new();
    for r in rows {
        let name = match &r.middle_name {
            Some(m) => format!("{} {} {m}", r.last_name, r.first_name),
            None => format!("{} {}", r.last_name, r.first_name),
        };
        let remaining = (r.required_months - r.credited_months).max(0);
        let cells = [
            r.id.to_string(),
            name,
            mask(&r.iin),
            r.funding_category.to_ascii_uppercase(),
            r.specialty_code.clone(),
            r.specialty_name.clone(),
            r.home_region_kato.clone().unwrap_or_default(),
            r.graduation_date.to_string(),
            r.status.to_ascii_uppercase(),
            r.required_months.to_string(),
            r.credited_months.to_string(),
            remaining.to_string(),
        ];
        for (i, c) in cells.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            field(&mut out, c);
        }
        out.push('\n');
    }
    out
}

fn refuse(status: StatusCode, code: &str, message: &str) -> HttpResponse {
    HttpResponse::build(status)
        .content_type("application/json")
        .body(json!({ "error": { "code": code, "message": message } }).to_string())
}

async fn graduates_csv(
    req: HttpRequest,
    query: web::Query<ExportFilter>,
    state: web::Data<AppState>,
) -> HttpResponse {
    let caller = match crate::graphql::identify(&req, &state).await {
        Ok(c) => c,
        Err(e) => {
            tracing::warn!(code = e.code(), "export: identifying the caller failed");
            return refuse(
                StatusCode::INTERNAL_SERVER_ERROR,
                "INTERNAL",
                "internal error",
            );
        }
    };
    let Some(actor) = caller.actor else {
        return refuse(StatusCode::UNAUTHORIZED, "UNAUTHENTICATED", "sign in first");
    };
    if !actor.has_any(OPERATOR_STAFF) {
        return refuse(
            StatusCode::FORBIDDEN,
            "FORBIDDEN",
            "the operator's staff only",
        );
    }
    let raw = format!("{:?}", query.0);
    let filter = match query.into_inner().parse() {
        Ok(f) => f,
        Err(e) => return refuse(StatusCode::BAD_REQUEST, e.code(), &e.message()),
    };
    if let Err(e) = audit::record(
        &state.db,
        Some(actor.account_id),
        "graduates.export",
        "graduate",
        "list",
        json!({ "format": "csv", "filter": raw }),
    )
    .await
    {
        tracing::warn!(code = e.code(), "export: the audit record failed");
        return refuse(
            StatusCode::INTERNAL_SERVER_ERROR,
            "INTERNAL",
            "internal error",
        );
    }
    // Pages of the register, one chunk each; `None` after the last page.
    let db = state.db.clone();
    let pages = stream::unfold(Some(None::<String>), move |after| {
        let db = db.clone();
        let filter = filter.clone();
        async move {
            let after = after?;
            let page = match PageRequest::parse(Some(MAX_PAGE as i32), after) {
                Ok(p) => p,
                Err(e) => return Some((Err(e), None)),
            };
            match service::list(&db, &filter, &page).await {
                Err(e) => Some((Err(e), None)),
                Ok((rows, _)) => {
                    let next = (rows.len() as u64 == MAX_PAGE)
                        .then(|| rows.last().map(|r| encode_cursor(&r.id.to_string())))
                        .flatten();
                    Some((Ok(web::Bytes::from(csv_lines(&rows))), next.map(Some)))
                }
            }
        }
    });
    let head =
        stream::once(async { Ok::<_, ApiError>(web::Bytes::from_static(HEADER.as_bytes())) });
    // A failure mid-stream ends the response early (the client sees a truncated download);
    // its cause is logged, never sent.
    let body = futures_util::StreamExt::map(futures_util::StreamExt::chain(head, pages), |r| {
        r.map_err(|e| {
            tracing::warn!(code = e.code(), "export: reading a page failed");
            std::io::Error::other(e.code())
        })
    });
    HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            "Content-Disposition",
            "attachment; filename=\"graduates.csv\"",
        ))
        .streaming(body)
}
