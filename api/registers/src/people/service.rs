//! Rules of the persons registry: one person per IIN, checked contacts, guardianship links,
//! visibility by scope (operator staff: all; parent: own children; anyone: themselves).

use chrono::{NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    IntoActiveModel, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};
use serde_json::json;

use entities::{guardianship, person};

use adal_core::audit;
use adal_core::auth::Actor;
use adal_core::auth::scope;
use adal_core::error::{ApiError, ApiResult, FieldContext};
use adal_core::identifiers::{Email, Iin, Name, Phone};
use adal_core::pagination::PageRequest;
use adal_core::sql::{contains_any, is_unique_violation};
use adal_core::vocab::Language;

#[derive(Debug, Default, Clone)]
pub struct PersonFilter {
    /// Exact IIN.
    pub iin: Option<String>,
    /// Part of a name.
    pub search: Option<String>,
}

pub async fn list(
    db: &DatabaseConnection,
    actor: &Actor,
    filter: &PersonFilter,
    page: &PageRequest,
) -> ApiResult<(Vec<person::Model>, u64)> {
    let mut query = scope::persons(actor).apply(person::Entity::find(), person::Column::Id);
    if let Some(iin) = filter.iin.as_deref().filter(|s| !s.trim().is_empty()) {
        let iin = Iin::parse(iin).field("iin")?;
        query = query.filter(person::Column::Iin.eq(iin.as_str()));
    }
    if let Some(s) = filter.search.as_deref().filter(|s| !s.trim().is_empty()) {
        query = query.filter(contains_any(
            db.get_database_backend(),
            &[
                person::Column::LastName,
                person::Column::FirstName,
                person::Column::MiddleName,
            ],
            s,
        ));
    }
    let total = query.clone().count(db).await?;
    let mut q = query.order_by_asc(person::Column::Id);
    if let Some(after) = page.after_id()? {
        q = q.filter(person::Column::Id.gt(after));
    }
    Ok((q.limit(page.fetch_limit()).all(db).await?, total))
}

/// One person, if the actor's scope includes them; otherwise NOT_FOUND.
pub async fn get(db: &impl ConnectionTrait, actor: &Actor, id: i64) -> ApiResult<person::Model> {
    scope::persons(actor)
        .apply(person::Entity::find_by_id(id), person::Column::Id)
        .one(db)
        .await?
        .ok_or(ApiError::NotFound("person"))
}

pub async fn children_of(
    db: &impl ConnectionTrait,
    parent_person_id: i64,
) -> ApiResult<Vec<person::Model>> {
    let ids: Vec<i64> = guardianship::Entity::find()
        .select_only()
        .column(guardianship::Column::ChildPersonId)
        .filter(guardianship::Column::ParentPersonId.eq(parent_person_id))
        .into_tuple()
        .all(db)
        .await?;
    Ok(person::Entity::find()
        .filter(person::Column::Id.is_in(ids))
        .order_by_asc(person::Column::Id)
        .all(db)
        .await?)
}

#[derive(Debug, Clone)]
pub struct PersonDraft {
    pub iin: String,
    pub last_name: String,
    pub first_name: String,
    pub middle_name: Option<String>,
    pub birth_date: Option<NaiveDate>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub language: Language,
}

struct ValidPerson {
    iin: Iin,
    last_name: String,
    first_name: String,
    middle_name: Option<String>,
    birth_date: Option<NaiveDate>,
    phone: Option<String>,
    email: Option<String>,
    language: Language,
}

fn validate(d: PersonDraft) -> ApiResult<ValidPerson> {
    let iin = Iin::parse(&d.iin).field("iin")?;
    let non_empty = |o: Option<String>| o.filter(|s| !s.trim().is_empty());
    Ok(ValidPerson {
        last_name: Name::parse(&d.last_name, "last name")
            .field("lastName")?
            .into_string(),
        first_name: Name::parse(&d.first_name, "first name")
            .field("firstName")?
            .into_string(),
        middle_name: non_empty(d.middle_name)
            .map(|m| Name::parse(&m, "middle name").field("middleName"))
            .transpose()?
            .map(Name::into_string),
        // The IIN's date is a hint used only when none is given.
        birth_date: d.birth_date.or_else(|| iin.birth_date_hint()),
        phone: non_empty(d.phone)
            .map(|p| Phone::parse(&p).field("phone"))
            .transpose()?
            .map(|p| p.as_str().to_owned()),
        email: non_empty(d.email)
            .map(|e| Email::parse(&e).field("email"))
            .transpose()?
            .map(|e| e.as_str().to_owned()),
        language: d.language,
        iin,
    })
}

fn duplicate_iin(err: sea_orm::DbErr) -> ApiError {
    if is_unique_violation(&err) {
        ApiError::Conflict("a person with this IIN already exists".into())
    } else {
        err.into()
    }
}

pub async fn create(
    db: &DatabaseConnection,
    actor_account: Option<i64>,
    draft: PersonDraft,
) -> ApiResult<person::Model> {
    let v = validate(draft)?;
    let txn = adal_core::db::begin_write(db).await?;
    if person::Entity::find()
        .filter(person::Column::Iin.eq(v.iin.as_str()))
        .one(&txn)
        .await?
        .is_some()
    {
        return Err(ApiError::Conflict(
            "a person with this IIN already exists".into(),
        ));
    }
    let now = Utc::now();
    let model = person::ActiveModel {
        iin: Set(v.iin.as_str().to_owned()),
        last_name: Set(v.last_name),
        first_name: Set(v.first_name),
        middle_name: Set(v.middle_name),
        birth_date: Set(v.birth_date),
        phone: Set(v.phone),
        email: Set(v.email),
        language: Set(v.language.as_str().to_owned()),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .map_err(duplicate_iin)?;
    audit::record(
        &txn,
        actor_account,
        "person.create",
        "person",
        model.id,
        json!({ "iin": v.iin.masked() }),
    )
    .await?;
    txn.commit().await?;
    Ok(model)
}

pub async fn update(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
    draft: PersonDraft,
) -> ApiResult<person::Model> {
    let v = validate(draft)?;
    let txn = adal_core::db::begin_write(db).await?;
    let existing = get(&txn, actor, id).await?;
    let mut am = existing.clone().into_active_model();
    let mut changed = Vec::new();
    macro_rules! set {
        ($field:ident, $value:expr, $name:literal) => {
            let value = $value;
            if existing.$field != value {
                changed.push($name);
                am.$field = Set(value);
            }
        };
    }
    set!(iin, v.iin.as_str().to_owned(), "iin");
    set!(last_name, v.last_name, "lastName");
    set!(first_name, v.first_name, "firstName");
    set!(middle_name, v.middle_name, "middleName");
    set!(birth_date, v.birth_date, "birthDate");
    set!(phone, v.phone, "phone");
    set!(email, v.email, "email");
    set!(language, v.language.as_str().to_owned(), "language");
    if changed.is_empty() {
        txn.commit().await?;
        return Ok(existing);
    }
    am.updated_at = Set(Utc::now());
    let model = am.update(&txn).await.map_err(duplicate_iin)?;
    audit::record(
        &txn,
        Some(actor.account_id),
        "person.update",
        "person",
        id,
        json!({ "changed": changed }),
    )
    .await?;
    adal_core::generation::bump(&txn, adal_core::generation::PEOPLE).await?;
    txn.commit().await?;
    Ok(model)
}

/// Records that `parent` is a parent or guardian of `child`; idempotent.
pub async fn link_guardian(
    db: &DatabaseConnection,
    actor: &Actor,
    parent_id: i64,
    child_id: i64,
) -> ApiResult<person::Model> {
    if parent_id == child_id {
        return Err(ApiError::bad_input(
            "childId",
            "a person cannot be their own guardian",
        ));
    }
    let txn = adal_core::db::begin_write(db).await?;
    get(&txn, actor, parent_id)
        .await
        .map_err(|_| ApiError::bad_input("parentId", "unknown person"))?;
    let child = get(&txn, actor, child_id)
        .await
        .map_err(|_| ApiError::bad_input("childId", "unknown person"))?;
    let exists = guardianship::Entity::find()
        .filter(guardianship::Column::ParentPersonId.eq(parent_id))
        .filter(guardianship::Column::ChildPersonId.eq(child_id))
        .one(&txn)
        .await?
        .is_some();
    if !exists {
        guardianship::ActiveModel {
            parent_person_id: Set(parent_id),
            child_person_id: Set(child_id),
            created_at: Set(Utc::now()),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        audit::record(
            &txn,
            Some(actor.account_id),
            "guardianship.link",
            "person",
            child_id,
            json!({ "parentPersonId": parent_id }),
        )
        .await?;
    }
    txn.commit().await?;
    Ok(child)
}
