//! Downloads of the documents graduates and the operator upload (`GET /documents/{application|task}/{id}`):
//! for the operator's staff and the graduate concerned, checked against its checksum, sent as
//! an attachment, recorded in the audit trail. Anyone else gets 404.

use actix_web::{HttpRequest, HttpResponse, web};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, JoinType, Query};
use sea_orm::{DatabaseConnection, FromQueryResult};
use serde_json::json;

use adal_core::auth::roles::Role;
use adal_core::documents;
use adal_core::error::{ApiError, ApiResult};
use adal_core::state::AppState;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/documents/{kind}/{id}", web::get().to(download));
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

async fn download(
    req: HttpRequest,
    path: web::Path<(String, i64)>,
    state: web::Data<AppState>,
) -> HttpResponse {
    let (kind, id) = path.into_inner();
    let (req, kind) = (&req, kind.as_str());
    let opening = async {
        let actor = adal_core::graphql::http_actor(req, &state, READERS).await?;
        let doc = find(&state.db, kind, id).await?;
        // Outside the caller's graduates (the shared scope): as if it did not exist.
        crate::service::get(&state.db, &actor, doc.graduate_id)
            .await
            .map_err(|e| match e {
                ApiError::NotFound(_) => ApiError::NotFound("document"),
                e => e,
            })?;
        Ok(documents::Opening {
            reader_account: actor.account_id,
            file_name: doc.file_name,
            sha256: doc.sha256,
            subject_type: format!("{kind}_document"),
            subject_id: id,
            details: json!({ "graduateId": doc.graduate_id }),
        })
    }
    .await;
    documents::send(&state, opening).await
}
