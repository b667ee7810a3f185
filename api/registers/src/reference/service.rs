//! Rules of the reference registers: organisations are identified by a checked BIN (or the IIN
//! of an individual entrepreneur), sit in a known locality, and every change is audited.

use chrono::{Datelike, NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    IntoActiveModel, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Select, Set,
};
use serde_json::json;

use entities::{locality, organisation, organisation_history, region};

use adal_core::audit;
use adal_core::error::{ApiError, ApiResult, FieldContext};
use adal_core::identifiers::{Kato, Name, OrganisationId};
use adal_core::pagination::PageRequest;
use adal_core::sql::{contains_any, is_unique_violation};
use adal_core::vocab::OrganisationKind;

use super::events::OrganisationChanged;

pub async fn list_regions(
    db: &DatabaseConnection,
    page: &PageRequest,
) -> ApiResult<(Vec<region::Model>, u64)> {
    let query = region::Entity::find();
    let total = query.clone().count(db).await?;
    let mut q = query.order_by_asc(region::Column::Kato);
    if let Some(after) = &page.after {
        q = q.filter(region::Column::Kato.gt(after.clone()));
    }
    Ok((q.limit(page.fetch_limit()).all(db).await?, total))
}

pub async fn region(db: &DatabaseConnection, kato: &str) -> ApiResult<region::Model> {
    region::Entity::find_by_id(kato.to_owned())
        .one(db)
        .await?
        .ok_or(ApiError::NotFound("region"))
}

#[derive(Debug, Default, Clone)]
pub struct LocalityFilter {
    pub region_kato: Option<String>,
    pub rural: Option<bool>,
    pub search: Option<String>,
}

pub async fn list_localities(
    db: &DatabaseConnection,
    filter: &LocalityFilter,
    page: &PageRequest,
) -> ApiResult<(Vec<locality::Model>, u64)> {
    let mut query = locality::Entity::find();
    if let Some(r) = &filter.region_kato {
        query = query.filter(locality::Column::RegionKato.eq(r.clone()));
    }
    if let Some(rural) = filter.rural {
        query = query.filter(locality::Column::Rural.eq(rural));
    }
    if let Some(s) = filter.search.as_deref().filter(|s| !s.trim().is_empty()) {
        query = query.filter(contains_any(
            db.get_database_backend(),
            &[
                locality::Column::NameKk,
                locality::Column::NameRu,
                locality::Column::NameEn,
            ],
            s,
        ));
    }
    let total = query.clone().count(db).await?;
    let mut q = query.order_by_asc(locality::Column::Kato);
    if let Some(after) = &page.after {
        q = q.filter(locality::Column::Kato.gt(after.clone()));
    }
    Ok((q.limit(page.fetch_limit()).all(db).await?, total))
}

#[derive(Debug, Default, Clone)]
pub struct OrganisationFilter {
    /// Only public institutions (see `OrganisationKind::INSTITUTIONS`).
    pub institutions_only: bool,
    pub search: Option<String>,
    pub kind: Option<OrganisationKind>,
    pub region_kato: Option<String>,
}

fn filtered(db: &DatabaseConnection, f: &OrganisationFilter) -> Select<organisation::Entity> {
    let mut q = organisation::Entity::find();
    if f.institutions_only {
        q = q.filter(
            organisation::Column::Kind
                .is_in(OrganisationKind::INSTITUTIONS.map(OrganisationKind::as_str)),
        );
    }
    if let Some(kind) = f.kind {
        q = q.filter(organisation::Column::Kind.eq(kind.as_str()));
    }
    if let Some(r) = &f.region_kato {
        q = q.filter(organisation::Column::RegionKato.eq(r.clone()));
    }
    if let Some(s) = f.search.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        let mut cond = contains_any(
            db.get_database_backend(),
            &[
                organisation::Column::NameKk,
                organisation::Column::NameRu,
                organisation::Column::NameEn,
            ],
            s,
        );
        if s.bytes().all(|b| b.is_ascii_digit()) {
            cond = cond.add(organisation::Column::Bin.starts_with(s));
        }
        q = q.filter(cond);
    }
    q
}

pub async fn list_organisations(
    db: &DatabaseConnection,
    filter: &OrganisationFilter,
    page: &PageRequest,
) -> ApiResult<(Vec<organisation::Model>, u64)> {
    let query = filtered(db, filter);
    let total = query.clone().count(db).await?;
    let mut q = query.order_by_asc(organisation::Column::Id);
    if let Some(after) = page.after_id()? {
        q = q.filter(organisation::Column::Id.gt(after));
    }
    Ok((q.limit(page.fetch_limit()).all(db).await?, total))
}

pub async fn organisation(db: &impl ConnectionTrait, id: i64) -> ApiResult<organisation::Model> {
    organisation::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(ApiError::NotFound("organisation"))
}

/// An organisation as submitted, before its references are checked.
#[derive(Debug, Clone)]
pub struct OrganisationDraft {
    pub bin: String,
    pub kind: OrganisationKind,
    pub name_kk: String,
    pub name_ru: String,
    pub name_en: String,
    pub locality_kato: Option<String>,
    pub region_kato: Option<String>,
    pub parent_id: Option<i64>,
}

/// A draft whose every value parsed and every reference exists.
struct ValidOrganisation {
    bin: OrganisationId,
    kind: OrganisationKind,
    names: [String; 3],
    locality: Option<String>,
    region: Option<String>,
    parent_id: Option<i64>,
}

async fn validate(
    db: &impl ConnectionTrait,
    d: OrganisationDraft,
    self_id: Option<i64>,
) -> ApiResult<ValidOrganisation> {
    let bin = OrganisationId::parse(&d.bin).field("bin")?;
    let names = [
        Name::parse(&d.name_kk, "name in Kazakh")
            .field("nameKk")?
            .into_string(),
        Name::parse(&d.name_ru, "name in Russian")
            .field("nameRu")?
            .into_string(),
        Name::parse(&d.name_en, "name in English")
            .field("nameEn")?
            .into_string(),
    ];
    let locality = match d.locality_kato.as_deref().filter(|s| !s.is_empty()) {
        Some(raw) => {
            let kato = Kato::parse(raw).field("localityKato")?;
            Some(
                locality::Entity::find_by_id(kato.into_string())
                    .one(db)
                    .await?
                    .ok_or_else(|| ApiError::bad_input("localityKato", "unknown locality"))?,
            )
        }
        None => None,
    };
    let region = match d.region_kato.as_deref().filter(|s| !s.is_empty()) {
        Some(raw) => {
            let kato = Kato::parse(raw).field("regionKato")?;
            let r = region::Entity::find_by_id(kato.into_string())
                .one(db)
                .await?
                .ok_or_else(|| ApiError::bad_input("regionKato", "unknown region"))?;
            if let Some(l) = &locality
                && l.region_kato != r.kato
            {
                return Err(ApiError::bad_input(
                    "regionKato",
                    "the locality is not in this region",
                ));
            }
            Some(r.kato)
        }
        None => locality.as_ref().map(|l| l.region_kato.clone()),
    };
    if let Some(pid) = d.parent_id {
        if Some(pid) == self_id {
            return Err(ApiError::bad_input(
                "parentId",
                "an organisation cannot be its own parent",
            ));
        }
        organisation::Entity::find_by_id(pid)
            .one(db)
            .await?
            .ok_or_else(|| ApiError::bad_input("parentId", "unknown parent organisation"))?;
    }
    Ok(ValidOrganisation {
        bin,
        kind: d.kind,
        names,
        locality: locality.map(|l| l.kato),
        region,
        parent_id: d.parent_id,
    })
}

/// The date a new organisation's first values hold from: always (1900-01-01).
fn since_ever() -> NaiveDate {
    NaiveDate::from_ymd_opt(1900, 1, 1).unwrap_or(NaiveDate::MIN)
}

/// The first day of the current month: the date a change holds from when none is given.
fn this_month_start() -> NaiveDate {
    let today = Utc::now().date_naive();
    today.with_day(1).unwrap_or(today)
}

/// Appends the organisation's kind, locality, region and activity code to its history, in
/// force from `from` (the months before keep the values then in force).
async fn record_version(
    db: &impl ConnectionTrait,
    actor_account: Option<i64>,
    o: &organisation::Model,
    from: NaiveDate,
) -> ApiResult<()> {
    organisation_history::ActiveModel {
        organisation_id: Set(o.id),
        kind: Set(o.kind.clone()),
        locality_kato: Set(o.locality_kato.clone()),
        region_kato: Set(o.region_kato.clone()),
        activity_code: Set(o.activity_code.clone()),
        effective_from: Set(from),
        recorded_at: Set(Utc::now()),
        recorded_by: Set(actor_account),
        batch_id: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

/// Refuses a change dated before the organisation's latest recorded one: the later version
/// would hold over it, and the register's row would disagree with its history.
async fn check_after_latest(db: &impl ConnectionTrait, id: i64, from: NaiveDate) -> ApiResult<()> {
    let latest: Option<NaiveDate> = organisation_history::Entity::find()
        .select_only()
        .column(organisation_history::Column::EffectiveFrom)
        .filter(organisation_history::Column::OrganisationId.eq(id))
        .order_by_desc(organisation_history::Column::EffectiveFrom)
        .limit(1)
        .into_tuple()
        .one(db)
        .await?;
    match latest {
        Some(latest) if latest > from => Err(ApiError::bad_input(
            "effectiveFrom",
            format!("on or after {latest}, the date of its latest recorded change"),
        )),
        _ => Ok(()),
    }
}

fn duplicate_bin(err: sea_orm::DbErr) -> ApiError {
    if is_unique_violation(&err) {
        ApiError::Conflict("an organisation with this BIN already exists".into())
    } else {
        err.into()
    }
}

pub async fn create_organisation(
    db: &DatabaseConnection,
    actor_account: Option<i64>,
    draft: OrganisationDraft,
) -> ApiResult<organisation::Model> {
    let txn = adal_core::db::begin_write(db).await?;
    let v = validate(&txn, draft, None).await?;
    if organisation::Entity::find()
        .filter(organisation::Column::Bin.eq(v.bin.as_str()))
        .one(&txn)
        .await?
        .is_some()
    {
        return Err(ApiError::Conflict(
            "an organisation with this BIN already exists".into(),
        ));
    }
    let now = Utc::now();
    let [kk, ru, en] = v.names;
    let model = organisation::ActiveModel {
        bin: Set(v.bin.into_string()),
        kind: Set(v.kind.as_str().to_owned()),
        name_kk: Set(kk),
        name_ru: Set(ru),
        name_en: Set(en),
        locality_kato: Set(v.locality),
        region_kato: Set(v.region),
        parent_id: Set(v.parent_id),
        activity_code: Set(None),
        address: Set(None),
        needs_classification: Set(false),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .map_err(duplicate_bin)?;
    record_version(&txn, actor_account, &model, since_ever()).await?;
    audit::record(
        &txn,
        actor_account,
        "organisation.create",
        "organisation",
        model.id,
        json!({ "bin": model.bin, "kind": model.kind }),
    )
    .await?;
    txn.commit().await?;
    Ok(model)
}

/// Edits an organisation. A change of its kind, locality or region is a new version of its
/// history, in force from `effective_from` (default: the first day of the current month; the
/// months before keep the values then in force); once it is committed, `events` hears of it
/// (the server's listener re-evaluates the graduates who worked there).
pub async fn update_organisation(
    db: &DatabaseConnection,
    actor_account: Option<i64>,
    id: i64,
    draft: OrganisationDraft,
    effective_from: Option<NaiveDate>,
    events: Option<&dyn OrganisationChanged>,
) -> ApiResult<organisation::Model> {
    let txn = adal_core::db::begin_write(db).await?;
    let existing = organisation(&txn, id).await?;
    let v = validate(&txn, draft, Some(id)).await?;
    let mut changed = Vec::new();
    let [kk, ru, en] = v.names;
    let mut am = existing.clone().into_active_model();
    macro_rules! set {
        ($field:ident, $value:expr, $name:literal) => {
            let value = $value;
            if existing.$field != value {
                changed.push($name);
                am.$field = Set(value);
            }
        };
    }
    set!(bin, v.bin.into_string(), "bin");
    set!(kind, v.kind.as_str().to_owned(), "kind");
    set!(name_kk, kk, "nameKk");
    set!(name_ru, ru, "nameRu");
    set!(name_en, en, "nameEn");
    set!(locality_kato, v.locality, "localityKato");
    set!(region_kato, v.region, "regionKato");
    set!(parent_id, v.parent_id, "parentId");
    if changed.is_empty() {
        txn.commit().await?;
        return Ok(existing);
    }
    am.updated_at = Set(Utc::now());
    let model = am.update(&txn).await.map_err(duplicate_bin)?;
    let versioned = changed
        .iter()
        .any(|c| matches!(*c, "kind" | "localityKato" | "regionKato"));
    let mut details = json!({ "changed": changed });
    if versioned {
        let from = effective_from.unwrap_or_else(this_month_start);
        check_after_latest(&txn, id, from).await?;
        record_version(&txn, actor_account, &model, from).await?;
        details["effectiveFrom"] = json!(from);
    }
    audit::record(
        &txn,
        actor_account,
        "organisation.update",
        "organisation",
        id,
        details,
    )
    .await?;
    txn.commit().await?;
    if versioned && let Some(events) = events {
        events.organisation_changed(db, id).await?;
    }
    Ok(model)
}
