//! Classifying an employer the feeds created: kind, locality (hence region and the rural flag)
//! and activity code, in force from a date (the first day of the current month unless given);
//! the values before that date stay in its history for the months before. The graduates whose
//! months depend on it are re-evaluated.

use chrono::{NaiveDate, Utc};
use sea_orm::{ActiveModelTrait, DatabaseConnection, EntityTrait, IntoActiveModel, Set};
use serde_json::json;

use entities::{locality, organisation, organisation_history};

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
    effective_from: Option<NaiveDate>,
) -> ApiResult<organisation::Model> {
    let effective_from = effective_from.unwrap_or_else(super::evaluate::this_month_start);
    let kato = Kato::parse(locality_kato).field("localityKato")?;
    let loc = locality::Entity::find_by_id(kato.into_string())
        .one(db)
        .await?
        .ok_or_else(|| ApiError::bad_input("localityKato", "unknown locality"))?;
    let o = organisation::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(ApiError::NotFound("organisation"))?;
    let mut am = o.into_active_model();
    am.kind = Set(kind.as_str().into());
    am.locality_kato = Set(Some(loc.kato.clone()));
    am.region_kato = Set(Some(loc.region_kato.clone()));
    am.activity_code = Set(activity_code.filter(|s| !s.trim().is_empty()));
    am.needs_classification = Set(false);
    let now = Utc::now();
    am.updated_at = Set(now);
    let txn = adal_core::db::begin_write(db).await?;
    let saved = am.update(&txn).await?;
    organisation_history::ActiveModel {
        organisation_id: Set(saved.id),
        kind: Set(saved.kind.clone()),
        locality_kato: Set(saved.locality_kato.clone()),
        region_kato: Set(saved.region_kato.clone()),
        activity_code: Set(saved.activity_code.clone()),
        effective_from: Set(effective_from),
        recorded_at: Set(now),
        recorded_by: Set(Some(actor)),
        batch_id: Set(None),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        Some(actor),
        "organisation.classify",
        "organisation",
        id,
        json!({
            "kind": kind,
            "locality": loc.kato,
            "rural": loc.rural,
            "effectiveFrom": effective_from,
        }),
    )
    .await?;
    txn.commit().await?;
    super::evaluate::reevaluate_employees(db, &[id]).await?;
    Ok(saved)
}
