//! The open figures (no sign-in): every domain's tables of counts, published with small cells
//! hidden ([`adal_core::disclosure`]), as GraphQL (`openFigures`) and as CSV files
//! (`GET /open-data/<table>.csv?lang=kk|ru|en`). They are computed at most once per
//! `open_figures_ttl_secs` and language, so readers without an account cannot load the
//! database by asking often.

use actix_web::{HttpResponse, web};
use async_graphql::{Context, Object, SimpleObject};
use chrono::{DateTime, Utc};
use sea_orm::DatabaseConnection;
use serde::Deserialize;

use adal_core::auth::guard::Allow;
use adal_core::disclosure::{Computed, MIN_CELL, OpenTable};
use adal_core::error::{ApiError, ApiResult};
use adal_core::state::AppState;
use adal_core::vocab::Language;

/// Every domain's tables, published.
async fn compute(
    db: &DatabaseConnection,
    language: Language,
    now: DateTime<Utc>,
) -> ApiResult<Vec<OpenTable>> {
    let mut counts = adal_obligations::open_figures::tables(db, language).await?;
    counts.extend(adal_vouchers::open_figures::tables(db, language).await?);
    counts.extend(adal_schools::open_figures::tables(db, language).await?);
    counts.extend(adal_transparency::open_figures::tables(db, language, now).await?);
    Ok(counts.into_iter().map(|c| c.publish()).collect())
}

async fn figures(state: &AppState, language: Language) -> ApiResult<Computed> {
    state
        .open_figures
        .get(language, Utc::now(), || {
            compute(&state.db, language, state.settings.clock.now())
        })
        .await
}

/// The open figures of one moment.
#[derive(SimpleObject)]
pub struct OpenFigures {
    /// When they were computed (they are computed again after `ADAL_OPEN_FIGURES_TTL_SECS`).
    pub computed_at: DateTime<Utc>,
    /// The smallest count of persons shown: smaller ones are hidden.
    pub min_cell: i32,
    pub tables: Vec<OpenTable>,
}

#[derive(Default)]
pub struct OpenDataQuery;

#[Object]
impl OpenDataQuery {
    /// The open figures (no sign-in): graduates under monitoring by status and region, year
    /// and grant category; children with vouchers by direction and category with the money
    /// committed and paid; free school meals by region and month with their cost. Counts of
    /// fewer than 10 persons are `null`, and so is any cell or total that would let one be
    /// recovered. Region names are in `language` (default: the caller's, else Russian). Each
    /// table is also a CSV file: `/open-data/<id>.csv`.
    #[graphql(guard = "Allow::public(\"openFigures\")")]
    async fn open_figures(
        &self,
        ctx: &Context<'_>,
        language: Option<Language>,
    ) -> async_graphql::Result<OpenFigures> {
        let state = ctx.data::<AppState>()?;
        let language = adal_registers::reference::graphql::lang(ctx, language);
        let (computed_at, tables) = figures(state, language).await?;
        Ok(OpenFigures {
            computed_at,
            min_cell: i32::try_from(MIN_CELL).unwrap_or(i32::MAX),
            tables: tables.as_ref().clone(),
        })
    }
}

#[derive(Deserialize)]
struct CsvQuery {
    lang: Option<Language>,
}

/// `GET /open-data/{id}.csv`: one table as CSV, for anyone.
async fn csv(
    state: web::Data<AppState>,
    path: web::Path<String>,
    query: web::Query<CsvQuery>,
) -> HttpResponse {
    let Some(id) = path.strip_suffix(".csv") else {
        return adal_core::error::refusal(&ApiError::NotFound("open table"));
    };
    let language = query.lang.unwrap_or(Language::Ru);
    let tables = match figures(&state, language).await {
        Ok((_, tables)) => tables,
        Err(e) => return adal_core::error::refusal(&e),
    };
    match tables.iter().find(|t| t.id == id) {
        Some(t) => HttpResponse::Ok()
            .content_type("text/csv; charset=utf-8")
            .insert_header((
                "Content-Disposition",
                format!("attachment; filename=\"adal-{id}.csv\""),
            ))
            .insert_header(("Cache-Control", "public, max-age=600"))
            .body(t.to_csv()),
        None => adal_core::error::refusal(&ApiError::NotFound("open table")),
    }
}

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/open-data/{file}", web::get().to(csv));
}
