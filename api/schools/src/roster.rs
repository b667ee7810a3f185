//! A school's people: its settings, classes, pupils and staff, imported from the school's list
//! (idempotent: the same list twice changes nothing) and kept by the school's administrator.

use std::collections::HashMap;

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    IntoActiveModel, QueryFilter, QueryOrder, Set,
};
use serde::Serialize;
use serde_json::json;

use entities::{organisation, person, school_class, school_member, school_profile};

use adal_core::audit;
use adal_core::documents;
use adal_core::error::{ApiError, ApiResult};
use adal_core::identifiers::{Iin, Name};
use adal_core::vocab::{Language, OrganisationKind};

use crate::rules::parse_hhmm;
use crate::vocab::MemberKind;

/// The settings a school starts with until its administrator changes them.
pub fn default_profile(school_id: i64) -> school_profile::Model {
    school_profile::Model {
        organisation_id: school_id,
        lessons_start: "08:30".into(),
        late_grace_minutes: 5,
        allow_credit: false,
        credit_limit: 0,
        updated_at: Utc::now(),
    }
}

/// A school (an organisation of kind school), or not found.
pub async fn school(db: &impl ConnectionTrait, id: i64) -> ApiResult<organisation::Model> {
    organisation::Entity::find_by_id(id)
        .one(db)
        .await?
        .filter(|o| o.kind == OrganisationKind::School.as_str())
        .ok_or(ApiError::NotFound("school"))
}

/// A school's settings (the defaults until saved).
pub async fn profile(
    db: &impl ConnectionTrait,
    school_id: i64,
) -> ApiResult<school_profile::Model> {
    Ok(school_profile::Entity::find_by_id(school_id)
        .one(db)
        .await?
        .unwrap_or_else(|| default_profile(school_id)))
}

/// New settings of a school.
#[derive(Debug, Clone)]
pub struct ProfileDraft {
    pub lessons_start: String,
    pub late_grace_minutes: i32,
    pub allow_credit: bool,
    pub credit_limit: i64,
}

pub async fn save_profile(
    db: &DatabaseConnection,
    actor_account: i64,
    school_id: i64,
    d: ProfileDraft,
) -> ApiResult<school_profile::Model> {
    let start = parse_hhmm(&d.lessons_start)
        .ok_or_else(|| ApiError::bad_input("lessonsStart", "a time as HH:MM"))?;
    if !(0..=120).contains(&d.late_grace_minutes) {
        return Err(ApiError::bad_input(
            "lateGraceMinutes",
            "between 0 and 120 minutes",
        ));
    }
    if d.credit_limit < 0 || (!d.allow_credit && d.credit_limit != 0) {
        return Err(ApiError::bad_input(
            "creditLimit",
            "zero without credit, else a positive amount of tenge",
        ));
    }
    let txn = adal_core::db::begin_write(db).await?;
    school(&txn, school_id).await?;
    let model = school_profile::Model {
        organisation_id: school_id,
        lessons_start: start.format("%H:%M").to_string(),
        late_grace_minutes: d.late_grace_minutes,
        allow_credit: d.allow_credit,
        credit_limit: d.credit_limit,
        updated_at: Utc::now(),
    };
    let exists = school_profile::Entity::find_by_id(school_id)
        .one(&txn)
        .await?
        .is_some();
    let am = model.clone().into_active_model().reset_all();
    if exists {
        am.update(&txn).await?;
    } else {
        am.insert(&txn).await?;
    }
    audit::record(
        &txn,
        Some(actor_account),
        "school.profile",
        "organisation",
        school_id,
        json!({ "lessonsStart": model.lessons_start, "lateGraceMinutes": model.late_grace_minutes,
                "allowCredit": model.allow_credit, "creditLimit": model.credit_limit }),
    )
    .await?;
    txn.commit().await?;
    Ok(model)
}

/// The grade of a class from its name: the leading number ("5Б" is grade 5).
pub fn grade_of(class_name: &str) -> Option<i32> {
    let digits: String = class_name
        .trim()
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().ok().filter(|g| (0..=12).contains(g))
}

pub async fn classes(
    db: &impl ConnectionTrait,
    school_id: i64,
) -> ApiResult<Vec<school_class::Model>> {
    Ok(school_class::Entity::find()
        .filter(school_class::Column::SchoolId.eq(school_id))
        .order_by_asc(school_class::Column::Grade)
        .order_by_asc(school_class::Column::Name)
        .all(db)
        .await?)
}

/// Members of a school, pupils by class, then by name order of ids.
pub async fn members(
    db: &impl ConnectionTrait,
    school_id: i64,
    kind: Option<MemberKind>,
    class_id: Option<i64>,
) -> ApiResult<Vec<school_member::Model>> {
    let mut q = school_member::Entity::find()
        .filter(school_member::Column::SchoolId.eq(school_id))
        .filter(school_member::Column::Active.eq(true));
    if let Some(k) = kind {
        q = q.filter(school_member::Column::Kind.eq(k.as_str()));
    }
    if let Some(c) = class_id {
        q = q.filter(school_member::Column::ClassId.eq(c));
    }
    Ok(q.order_by_asc(school_member::Column::Id).all(db).await?)
}

/// A person's active membership of a school.
pub async fn membership(
    db: &impl ConnectionTrait,
    school_id: i64,
    person_id: i64,
) -> ApiResult<Option<school_member::Model>> {
    Ok(school_member::Entity::find()
        .filter(school_member::Column::SchoolId.eq(school_id))
        .filter(school_member::Column::PersonId.eq(person_id))
        .filter(school_member::Column::Active.eq(true))
        .one(db)
        .await?)
}

/// The schools a person is an active member of.
pub async fn schools_of(db: &impl ConnectionTrait, person_id: i64) -> ApiResult<Vec<i64>> {
    Ok(school_member::Entity::find()
        .filter(school_member::Column::PersonId.eq(person_id))
        .filter(school_member::Column::Active.eq(true))
        .all(db)
        .await?
        .into_iter()
        .map(|m| m.school_id)
        .collect())
}

/// A pupil's grade (from their class), when known.
pub async fn grade(db: &impl ConnectionTrait, m: &school_member::Model) -> ApiResult<Option<i32>> {
    let Some(cid) = m.class_id else {
        return Ok(None);
    };
    Ok(school_class::Entity::find_by_id(cid)
        .one(db)
        .await?
        .map(|c| c.grade))
}

/// A line of the school's list that was not taken, and why.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Rejected {
    pub line: i32,
    pub reason: String,
}

/// What an import of the school's list did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportReport {
    pub created: i32,
    pub updated: i32,
    pub unchanged: i32,
    pub rejected: Vec<Rejected>,
}

/// One valid line of the list.
struct Line {
    kind: MemberKind,
    iin: Iin,
    last_name: String,
    first_name: String,
    middle_name: Option<String>,
    class: Option<String>,
    position: Option<String>,
}

/// The columns of the school's list, in this order, separated by `;` or `,`, with a header
/// line: `kind;iin;last_name;first_name;middle_name;class;position`. `kind` is `pupil` or
/// `staff`; a pupil names a class ("5Б"), staff a position.
pub const LIST_HEADER: &str = "kind;iin;last_name;first_name;middle_name;class;position";

fn parse_line(rec: &csv::StringRecord) -> Result<Line, String> {
    let get = |i: usize| rec.get(i).map(str::trim).unwrap_or("");
    let opt = |i: usize| Some(get(i).to_owned()).filter(|s| !s.is_empty());
    let kind: MemberKind = get(0).parse()?;
    let iin = Iin::parse(get(1)).map_err(|e| e.0)?;
    let last_name = Name::parse(get(2), "last name")
        .map_err(|e| e.0)?
        .into_string();
    let first_name = Name::parse(get(3), "first name")
        .map_err(|e| e.0)?
        .into_string();
    let middle_name = opt(4)
        .map(|m| Name::parse(&m, "middle name").map(Name::into_string))
        .transpose()
        .map_err(|e| e.0)?;
    let class = opt(5);
    if kind == MemberKind::Pupil {
        match class.as_deref() {
            None => return Err("a pupil needs a class".into()),
            Some(c) if grade_of(c).is_none() || c.chars().count() > 16 => {
                return Err(format!("class {c} does not start with a grade 0-12"));
            }
            _ => {}
        }
    }
    Ok(Line {
        kind,
        iin,
        last_name,
        first_name,
        middle_name,
        class: if kind == MemberKind::Pupil {
            class
        } else {
            None
        },
        position: if kind == MemberKind::Staff {
            opt(6)
        } else {
            None
        },
    })
}

/// Imports the school's list in one transaction: people found by IIN (or added to the
/// registry), classes created as named, memberships created or brought up to date. Lines that
/// fail are reported with their number and reason; the others are applied. A person listed
/// twice is rejected the second time.
pub async fn import(
    db: &DatabaseConnection,
    actor_account: i64,
    school_id: i64,
    text: &str,
) -> ApiResult<ImportReport> {
    let delimiter = if text.lines().next().is_some_and(|h| h.contains(';')) {
        b';'
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .has_headers(true)
        .from_reader(text.as_bytes());
    let mut report = ImportReport::default();
    let mut lines: Vec<(i32, Line)> = Vec::new();
    let mut seen: HashMap<String, i32> = HashMap::new();
    for (i, rec) in reader.records().enumerate() {
        let line_no = i32::try_from(i + 2).unwrap_or(i32::MAX);
        let parsed = rec
            .map_err(|e| format!("unreadable line: {e}"))
            .and_then(|r| parse_line(&r));
        match parsed {
            Ok(l) => {
                if let Some(first) = seen.get(l.iin.as_str()) {
                    report.rejected.push(Rejected {
                        line: line_no,
                        reason: format!("the same IIN as line {first}"),
                    });
                } else {
                    seen.insert(l.iin.as_str().to_owned(), line_no);
                    lines.push((line_no, l));
                }
            }
            Err(reason) => report.rejected.push(Rejected {
                line: line_no,
                reason,
            }),
        }
    }
    let txn = adal_core::db::begin_write(db).await?;
    school(&txn, school_id).await?;
    let now = Utc::now();
    let mut class_ids: HashMap<String, i64> = classes(&txn, school_id)
        .await?
        .into_iter()
        .map(|c| (c.name, c.id))
        .collect();
    for (_, l) in &lines {
        let class_id = match &l.class {
            None => None,
            Some(name) => Some(match class_ids.get(name) {
                Some(id) => *id,
                None => {
                    let c = school_class::ActiveModel {
                        school_id: Set(school_id),
                        name: Set(name.clone()),
                        grade: Set(grade_of(name).unwrap_or(0)),
                        created_at: Set(now),
                        ..Default::default()
                    }
                    .insert(&txn)
                    .await?;
                    class_ids.insert(name.clone(), c.id);
                    c.id
                }
            }),
        };
        let person_id = match person::Entity::find()
            .filter(person::Column::Iin.eq(l.iin.as_str()))
            .one(&txn)
            .await?
        {
            Some(p) => p.id,
            None => {
                person::ActiveModel {
                    iin: Set(l.iin.as_str().to_owned()),
                    last_name: Set(l.last_name.clone()),
                    first_name: Set(l.first_name.clone()),
                    middle_name: Set(l.middle_name.clone()),
                    birth_date: Set(l.iin.birth_date_hint()),
                    phone: Set(None),
                    email: Set(None),
                    language: Set(Language::Kk.as_str().to_owned()),
                    created_at: Set(now),
                    updated_at: Set(now),
                    ..Default::default()
                }
                .insert(&txn)
                .await?
                .id
            }
        };
        let existing = school_member::Entity::find()
            .filter(school_member::Column::SchoolId.eq(school_id))
            .filter(school_member::Column::PersonId.eq(person_id))
            .one(&txn)
            .await?;
        match existing {
            Some(m)
                if m.kind == l.kind.as_str()
                    && m.class_id == class_id
                    && m.position == l.position
                    && m.active =>
            {
                report.unchanged += 1;
            }
            Some(m) => {
                let mut am = m.into_active_model();
                am.kind = Set(l.kind.as_str().into());
                am.class_id = Set(class_id);
                am.position = Set(l.position.clone());
                am.active = Set(true);
                am.updated_at = Set(now);
                am.update(&txn).await?;
                report.updated += 1;
            }
            None => {
                school_member::ActiveModel {
                    school_id: Set(school_id),
                    person_id: Set(person_id),
                    kind: Set(l.kind.as_str().into()),
                    class_id: Set(class_id),
                    position: Set(l.position.clone()),
                    active: Set(true),
                    created_at: Set(now),
                    updated_at: Set(now),
                    ..Default::default()
                }
                .insert(&txn)
                .await?;
                report.created += 1;
            }
        }
    }
    audit::record(
        &txn,
        Some(actor_account),
        "school.roster_import",
        "organisation",
        school_id,
        json!({ "created": report.created, "updated": report.updated,
                "unchanged": report.unchanged, "rejected": report.rejected.len() }),
    )
    .await?;
    txn.commit().await?;
    Ok(report)
}

/// Takes a person off a school's list (they left): their cards stop working there.
pub async fn remove_member(
    db: &DatabaseConnection,
    actor_account: i64,
    school_id: i64,
    person_id: i64,
) -> ApiResult<()> {
    let txn = adal_core::db::begin_write(db).await?;
    let m = membership(&txn, school_id, person_id)
        .await?
        .ok_or(ApiError::NotFound("member"))?;
    let mut am = m.into_active_model();
    am.active = Set(false);
    am.updated_at = Set(Utc::now());
    am.update(&txn).await?;
    crate::cards::block_all(&txn, school_id, person_id, "left the school").await?;
    audit::record(
        &txn,
        Some(actor_account),
        "school.member_removed",
        "person",
        person_id,
        json!({ "school": school_id }),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// The largest photo of a member the school may keep: a portrait for the till, not an album.
pub const MAX_PHOTO_BYTES: usize = 1024 * 1024;

/// Keeps a photo of a member of the school (PNG or JPEG, as its own bytes prove; at most
/// 1 MB), or with `None` takes it away. The till shows it beside the name.
pub async fn set_photo(
    db: &DatabaseConnection,
    data_dir: &std::path::Path,
    actor_account: i64,
    school_id: i64,
    person_id: i64,
    photo: Option<documents::Document>,
) -> ApiResult<school_member::Model> {
    let sha = match photo {
        Some(photo) => {
            if photo.bytes.len() > MAX_PHOTO_BYTES {
                return Err(ApiError::bad_input("photo", "at most 1 MB"));
            }
            if !matches!(documents::sniff(&photo.bytes), "image/png" | "image/jpeg") {
                return Err(ApiError::bad_input("photo", "a PNG or JPEG picture"));
            }
            let docs = [photo];
            let stored = documents::store(data_dir, &docs, MAX_PHOTO_BYTES)?;
            stored.into_iter().next().map(|s| s.sha256)
        }
        None => None,
    };
    let txn = adal_core::db::begin_write(db).await?;
    let m = membership(&txn, school_id, person_id)
        .await?
        .filter(|m| m.active)
        .ok_or(ApiError::NotFound("member"))?;
    let mut am = m.into_active_model();
    am.photo_sha256 = Set(sha.clone());
    am.updated_at = Set(Utc::now());
    let saved = am.update(&txn).await?;
    audit::record(
        &txn,
        Some(actor_account),
        if sha.is_some() {
            "school.member_photo_set"
        } else {
            "school.member_photo_removed"
        },
        "person",
        person_id,
        json!({ "school": school_id, "sha256": sha }),
    )
    .await?;
    txn.commit().await?;
    Ok(saved)
}

/// A member's photo as a `data:` address an image element shows as it is: the photo is a
/// child's personal data, so it travels only inside an answer to a signed-in caller the
/// school's scope admits, never at an address of its own.
pub fn photo_data_url(
    data_dir: &std::path::Path,
    member: &school_member::Model,
) -> ApiResult<Option<String>> {
    use base64::Engine as _;
    let Some(sha) = member.photo_sha256.as_deref() else {
        return Ok(None);
    };
    let bytes = documents::read(data_dir, sha)?;
    let kind = documents::sniff(&bytes);
    Ok(Some(format!(
        "data:{kind};base64,{}",
        base64::engine::general_purpose::STANDARD.encode(&bytes)
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grades_from_class_names() {
        assert_eq!(grade_of("5Б"), Some(5));
        assert_eq!(grade_of("11А"), Some(11));
        assert_eq!(grade_of(" 1 А"), Some(1));
        assert_eq!(grade_of("А5"), None);
        assert_eq!(grade_of("15А"), None);
    }
}
