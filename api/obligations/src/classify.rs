//! Classifying an employer the feeds created: kind, locality (hence region and the rural flag)
//! and activity code; the graduates whose months depend on it are re-evaluated.

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, IntoActiveModel, QueryFilter,
    QuerySelect, Set,
};
use serde_json::json;

use entities::{contribution, locality, organisation};

use adal_core::audit;
use adal_core::error::{ApiError, ApiResult, FieldContext};
use adal_core::identifiers::Kato;
use adal_core::vocab::OrganisationKind;

pub async fn classify(
    db: &DatabaseConnection,
    actor: i64,
    id: i64,
    kind: OrganisationKind,
    locality_kato: &str,
    activity_code: Option<String>,
) -> ApiResult<organisation::Model> {
    let kato = Kato::parse(locality_kato).field("localityKato")?;
    let loc = locality::Entity::find_by_id(kato.into_string())
        .one(db)
        .await?
        .ok_or_else(|| ApiError::bad_input("localityKato", "unknown locality"))?;
    let o = organisation::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(ApiError::NotFound("organisation"))?;
    let bin = o.bin.clone();
    let mut am = o.into_active_model();
    am.kind = Set(kind.as_str().into());
    am.locality_kato = Set(Some(loc.kato.clone()));
    am.region_kato = Set(Some(loc.region_kato.clone()));
    am.activity_code = Set(activity_code.filter(|s| !s.trim().is_empty()));
    am.needs_classification = Set(false);
    am.updated_at = Set(Utc::now());
    let saved = am.update(db).await?;
    audit::record(
        db,
        Some(actor),
        "organisation.classify",
        "organisation",
        id,
        json!({ "kind": kind, "locality": loc.kato, "rural": loc.rural }),
    )
    .await?;
    let iins: Vec<String> = contribution::Entity::find()
        .select_only()
        .column(contribution::Column::Iin)
        .filter(contribution::Column::EmployerBin.eq(bin))
        .distinct()
        .into_tuple()
        .all(db)
        .await?;
    let ids = super::evaluate::graduates_with_iins(db, &iins).await?;
    super::evaluate::evaluate_graduates(db, &ids).await?;
    Ok(saved)
}
