//! Graduates' tasks: after a 512 refusal the graduate uploads supporting documents (employment
//! contract, hiring order, employer's certificate) and the operator reviews them.

use std::path::Path;

use chrono::{NaiveDate, Utc};
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    IntoActiveModel, QueryFilter, QueryOrder, QuerySelect, Set,
};
use serde_json::json;

use entities::{document_evidence, graduate_task, graduate_task_document, organisation};

use crate::period::Period;
use crate::vocab::{TASK_UPLOAD_EMPLOYMENT_DOCUMENTS, TaskStatus};
use adal_core::audit;
use adal_core::error::{ApiError, ApiResult, FieldContext};
use adal_core::identifiers::OrganisationId;

const MAX_DOCUMENT_BYTES: usize = 20 * 1024 * 1024;

pub use adal_core::documents::Document;

pub async fn of_person(
    db: &DatabaseConnection,
    person_id: i64,
) -> ApiResult<Vec<graduate_task::Model>> {
    Ok(graduate_task::Entity::find()
        .filter(graduate_task::Column::PersonId.eq(person_id))
        .order_by_desc(graduate_task::Column::Id)
        .all(db)
        .await?)
}

pub async fn of_graduate(
    db: &DatabaseConnection,
    graduate_id: i64,
) -> ApiResult<Vec<graduate_task::Model>> {
    Ok(graduate_task::Entity::find()
        .filter(graduate_task::Column::GraduateId.eq(graduate_id))
        .order_by_desc(graduate_task::Column::Id)
        .all(db)
        .await?)
}

pub async fn list(
    db: &DatabaseConnection,
    status: Option<TaskStatus>,
) -> ApiResult<Vec<graduate_task::Model>> {
    let mut q = graduate_task::Entity::find();
    if let Some(s) = status {
        q = q.filter(graduate_task::Column::Status.eq(s.as_str()));
    }
    Ok(q.order_by_desc(graduate_task::Column::Id)
        .limit(500)
        .all(db)
        .await?)
}

pub async fn documents_of(
    db: &DatabaseConnection,
    task_id: i64,
) -> ApiResult<Vec<graduate_task_document::Model>> {
    Ok(graduate_task_document::Entity::find()
        .filter(graduate_task_document::Column::TaskId.eq(task_id))
        .order_by_asc(graduate_task_document::Column::Id)
        .all(db)
        .await?)
}

/// The graduate submits documents for their own open (or rejected) task.
pub async fn submit(
    db: &DatabaseConnection,
    data_dir: &Path,
    actor: i64,
    person_id: i64,
    task_id: i64,
    note: &str,
    documents: Vec<Document>,
) -> ApiResult<graduate_task::Model> {
    let t = graduate_task::Entity::find_by_id(task_id)
        .one(db)
        .await?
        .filter(|t| t.person_id == person_id)
        .ok_or(ApiError::NotFound("task"))?;
    if !matches!(
        TaskStatus::from_db(&t.status),
        Some(TaskStatus::Open | TaskStatus::Rejected)
    ) {
        return Err(ApiError::Conflict(format!(
            "the task is already {}",
            t.status
        )));
    }
    if documents.is_empty() {
        return Err(ApiError::bad_input(
            "documents",
            "attach the employment contract, the hiring order or the employer's certificate",
        ));
    }
    let stored = adal_core::documents::store(data_dir, &documents, MAX_DOCUMENT_BYTES)?;
    let txn = adal_core::db::begin_write(db).await?;
    let now = Utc::now();
    for d in stored {
        let (file_name, content_type) = adal_core::documents::labels(d.document);
        graduate_task_document::ActiveModel {
            task_id: Set(task_id),
            file_name: Set(file_name),
            content_type: Set(content_type),
            size: Set(d.document.bytes.len() as i64),
            sha256: Set(d.sha256),
            uploaded_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
    }
    let mut am = t.into_active_model();
    am.status = Set(TaskStatus::Submitted.as_str().into());
    am.note = Set(note.trim().chars().take(4000).collect());
    am.submitted_at = Set(Some(now));
    let t = am.update(&txn).await?;
    audit::record(
        &txn,
        Some(actor),
        "task.submit",
        "graduate_task",
        task_id,
        json!({ "documents": documents.len() }),
    )
    .await?;
    txn.commit().await?;
    Ok(t)
}

/// What an accepted document proves: the employer it names (a BIN, or an entrepreneur's IIN)
/// and the months of work, both included.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Proof {
    pub employer: OrganisationId,
    pub from: Period,
    pub to: Period,
}

impl Proof {
    /// Reads the review's `employerBin`, `fromMonth` and `toMonth` (`YYYY-MM`): all three or
    /// none (`Ok(None)`). The months run forwards and end no later than `today`'s month; a
    /// start before the obligation's is allowed (the ledger reads only its own months).
    pub fn parse(
        employer_bin: Option<&str>,
        from: Option<&str>,
        to: Option<&str>,
        today: NaiveDate,
    ) -> ApiResult<Option<Self>> {
        let blank = |v: Option<&str>| v.is_none_or(|v| v.trim().is_empty());
        if blank(employer_bin) && blank(from) && blank(to) {
            return Ok(None);
        }
        let employer =
            OrganisationId::parse(employer_bin.unwrap_or_default()).field("employerBin")?;
        let month =
            |field: &str, v: Option<&str>| Period::parse(v.unwrap_or_default()).field(field);
        let (from, to) = (month("fromMonth", from)?, month("toMonth", to)?);
        if from > to {
            return Err(ApiError::bad_input(
                "toMonth",
                "the last month proven comes before the first",
            ));
        }
        if to > Period::of_date(today) {
            return Err(ApiError::bad_input(
                "toMonth",
                "a document cannot prove work in a month still to come",
            ));
        }
        Ok(Some(Self { employer, from, to }))
    }
}

/// The operator accepts or rejects submitted documents (a rejected task is open to resubmit).
/// Accepting a document-upload task takes what the document proves: the months enter the
/// ledger as evidence (source `document`) and the graduate is evaluated anew.
pub async fn review(
    db: &DatabaseConnection,
    actor: i64,
    task_id: i64,
    accept: bool,
    note: &str,
    proof: Option<Proof>,
) -> ApiResult<graduate_task::Model> {
    let txn = adal_core::db::begin_write(db).await?;
    let t = graduate_task::Entity::find_by_id(task_id)
        .one(&txn)
        .await?
        .ok_or(ApiError::NotFound("task"))?;
    if TaskStatus::from_db(&t.status) != Some(TaskStatus::Submitted) {
        return Err(ApiError::Conflict(format!(
            "only submitted tasks are reviewed; this one is {}",
            t.status
        )));
    }
    if !accept && note.trim().is_empty() {
        return Err(ApiError::bad_input(
            "note",
            "say why the documents are rejected",
        ));
    }
    let proof = if accept { proof } else { None };
    if accept && proof.is_none() && t.kind == TASK_UPLOAD_EMPLOYMENT_DOCUMENTS {
        return Err(ApiError::bad_input(
            "employerBin",
            "to accept the documents, give the employer's BIN and the first and last month \
             they prove",
        ));
    }
    let graduate_id = t.graduate_id;
    let now = Utc::now();
    let mut am = t.into_active_model();
    am.status = Set(if accept {
        TaskStatus::Accepted
    } else {
        TaskStatus::Rejected
    }
    .as_str()
    .into());
    am.review_note = Set(note.trim().chars().take(4000).collect());
    am.reviewed_at = Set(Some(now));
    am.reviewed_by = Set(Some(actor));
    let t = am.update(&txn).await?;
    audit::record(
        &txn,
        Some(actor),
        "task.review",
        "graduate_task",
        task_id,
        json!({ "accept": accept }),
    )
    .await?;
    if let Some(proof) = &proof {
        let org = employer(&txn, proof.employer.as_str()).await?;
        let evidence = document_evidence::ActiveModel {
            graduate_id: Set(graduate_id),
            task_id: Set(task_id),
            organisation_id: Set(org),
            employer_bin: Set(proof.employer.as_str().to_owned()),
            period_from: Set(proof.from.as_i32()),
            period_to: Set(proof.to.as_i32()),
            accepted_by: Set(actor),
            accepted_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        audit::record(
            &txn,
            Some(actor),
            "evidence.accept",
            "document_evidence",
            evidence.id,
            json!({
                "task_id": task_id,
                "organisation_id": org,
                "from": proof.from.to_string(),
                "to": proof.to.to_string(),
            }),
        )
        .await?;
    }
    txn.commit().await?;
    if proof.is_some() {
        crate::evaluate::evaluate_graduates(db, &[graduate_id]).await?;
    }
    Ok(t)
}

/// The organisation with this BIN; one Adal does not know yet is created as the contribution
/// import creates an unknown employer: waiting for classification, so its months are pending
/// until an operator confirms its kind and locality.
async fn employer(db: &impl ConnectionTrait, bin: &str) -> ApiResult<i64> {
    let find = || {
        organisation::Entity::find()
            .select_only()
            .column(organisation::Column::Id)
            .filter(organisation::Column::Bin.eq(bin))
            .into_tuple::<i64>()
            .one(db)
    };
    if let Some(id) = find().await? {
        return Ok(id);
    }
    organisation::Entity::insert(crate::import::unclassified_employer(
        bin.to_owned(),
        String::new(),
        None,
        Utc::now(),
    ))
    .on_conflict(
        OnConflict::column(organisation::Column::Bin)
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    find()
        .await?
        .ok_or_else(|| ApiError::internal(anyhow::anyhow!("employer {bin} not created")))
}

/// The months accepted documents prove for a graduate, oldest first.
pub async fn evidence_of(
    db: &DatabaseConnection,
    graduate_id: i64,
) -> ApiResult<Vec<document_evidence::Model>> {
    Ok(document_evidence::Entity::find()
        .filter(document_evidence::Column::GraduateId.eq(graduate_id))
        .order_by_asc(document_evidence::Column::PeriodFrom)
        .order_by_asc(document_evidence::Column::Id)
        .all(db)
        .await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 5).unwrap()
    }

    #[test]
    fn a_proof_is_an_employer_and_months_or_nothing() {
        let bin = adal_core::identifiers::with_check_digit("21034000777").unwrap();
        assert_eq!(Proof::parse(None, None, Some(" "), today()).unwrap(), None);
        let p = Proof::parse(Some(&bin), Some("2026-06"), Some("2026-12"), today())
            .unwrap()
            .unwrap();
        assert_eq!(
            (p.from.to_string(), p.to.to_string()),
            ("2026-06".into(), "2026-12".into())
        );
        let field = |r: ApiResult<Option<Proof>>| match r {
            Err(ApiError::BadInput { field, .. }) => field,
            other => panic!("{other:?}"),
        };
        assert_eq!(
            field(Proof::parse(Some(&bin), None, None, today())),
            "fromMonth"
        );
        assert_eq!(
            field(Proof::parse(
                None,
                Some("2026-01"),
                Some("2026-02"),
                today()
            )),
            "employerBin"
        );
        let wrong = format!("{}{}", &bin[..11], (bin.as_bytes()[11] - b'0' + 1) % 10);
        assert_eq!(
            field(Proof::parse(
                Some(&wrong),
                Some("2026-01"),
                Some("2026-02"),
                today()
            )),
            "employerBin"
        );
        assert_eq!(
            field(Proof::parse(
                Some(&bin),
                Some("2026-03"),
                Some("2026-02"),
                today()
            )),
            "toMonth"
        );
        assert_eq!(
            field(Proof::parse(
                Some(&bin),
                Some("2026-03"),
                Some("2027-01"),
                today()
            )),
            "toMonth"
        );
    }
}
