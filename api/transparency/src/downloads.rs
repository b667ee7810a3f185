//! Downloads of the documents attached to contests (`GET /documents/contest/{id}`): for the
//! person the case is about (or their parent) and the bodies that see the case, checked
//! against its checksum, sent as an attachment, recorded in the audit trail. Anyone else gets
//! 404.

use actix_web::{HttpRequest, HttpResponse, web};
use serde_json::json;

use adal_core::auth::roles::Role;
use adal_core::documents;
use adal_core::state::AppState;

/// Registered before the obligations' `/documents/{kind}/{id}`, which it would otherwise
/// fall under.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/documents/contest/{id}", web::get().to(download));
}

/// The people who may hold one: the contesting person or parent, and the bodies.
const READERS: &[Role] = &[
    Role::Parent,
    Role::Graduate,
    Role::OperatorAdmin,
    Role::CommissionMember,
    Role::AkimatOfficer,
    Role::SchoolAdmin,
];

async fn download(
    req: HttpRequest,
    path: web::Path<i64>,
    state: web::Data<AppState>,
) -> HttpResponse {
    let id = path.into_inner();
    let opening = async {
        let actor = adal_core::graphql::http_actor(&req, &state, READERS).await?;
        let doc = crate::contest::document_for(&state.db, &actor, id).await?;
        Ok(documents::Opening {
            reader_account: actor.account_id,
            file_name: doc.file_name,
            sha256: doc.sha256,
            subject_type: "contest_document".into(),
            subject_id: id,
            details: json!({ "caseId": doc.case_id }),
        })
    }
    .await;
    documents::send(&state, opening).await
}
