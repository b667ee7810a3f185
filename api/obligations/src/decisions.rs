//! Exemption and suspension applications, decided by the commission: members vote with
//! reasons; when the quorum is reached the majority decides (a tie rejects), the decision is
//! recorded with its grounds, and the graduate's obligation is re-evaluated.

use chrono::{NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder, Set,
};
use serde_json::json;

use entities::{commission_vote, exemption, exemption_document};

use super::vocab::{ApplicationStatus, Ground};
use crate::vocab::ObligationRefusal;
use adal_core::audit;
use adal_core::error::{ApiError, ApiResult};

pub use adal_core::documents::Document;

pub const MAX_DOCUMENT_BYTES: usize = 10 * 1024 * 1024;

pub struct Application {
    pub graduate_id: i64,
    pub ground: Ground,
    pub period_start: Option<NaiveDate>,
    pub period_end: Option<NaiveDate>,
    pub statement: String,
    pub documents: Vec<Document>,
}

/// Files an application with its documents (kept by checksum in the data folder).
pub async fn apply(
    db: &DatabaseConnection,
    data_dir: &std::path::Path,
    actor_account: i64,
    a: Application,
) -> ApiResult<exemption::Model> {
    if a.ground.is_suspension() && a.period_start.is_none() {
        return Err(ApiError::bad_input(
            "periodStart",
            "a suspension needs the date it starts",
        ));
    }
    if let (Some(s), Some(e)) = (a.period_start, a.period_end)
        && e < s
    {
        return Err(ApiError::bad_input(
            "periodEnd",
            "the period ends before it starts",
        ));
    }
    if a.documents.is_empty() {
        return Err(ApiError::bad_input(
            "documents",
            "attach at least one supporting document",
        ));
    }
    let statement: String = a.statement.trim().chars().take(4000).collect();
    let stored = adal_core::documents::store(data_dir, &a.documents, MAX_DOCUMENT_BYTES)?;
    let txn = adal_core::db::begin_write(db).await?;
    let now = Utc::now();
    let e = exemption::ActiveModel {
        graduate_id: Set(a.graduate_id),
        kind: Set(if a.ground.is_suspension() {
            "suspension"
        } else {
            "exemption"
        }
        .into()),
        ground: Set(a.ground.as_str().into()),
        period_start: Set(a.period_start),
        period_end: Set(a.period_end),
        status: Set(ApplicationStatus::Submitted.as_str().into()),
        statement: Set(statement),
        applied_by: Set(Some(actor_account)),
        applied_at: Set(now),
        decided_at: Set(None),
        decision_reason: Set(None),
        ended_at: Set(None),
        ended_by: Set(None),
        end_reason: Set(None),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    for d in stored {
        let (file_name, content_type) = adal_core::documents::labels(d.document);
        exemption_document::ActiveModel {
            exemption_id: Set(e.id),
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
    audit::record(
        &txn,
        Some(actor_account),
        "application.submit",
        "exemption",
        e.id,
        json!({ "ground": e.ground, "graduateId": a.graduate_id }),
    )
    .await?;
    txn.commit().await?;
    Ok(e)
}

pub async fn documents_of(
    db: &DatabaseConnection,
    exemption_id: i64,
) -> ApiResult<Vec<exemption_document::Model>> {
    Ok(exemption_document::Entity::find()
        .filter(exemption_document::Column::ExemptionId.eq(exemption_id))
        .order_by_asc(exemption_document::Column::Id)
        .all(db)
        .await?)
}

pub async fn votes_of(
    db: &DatabaseConnection,
    exemption_id: i64,
) -> ApiResult<Vec<commission_vote::Model>> {
    Ok(commission_vote::Entity::find()
        .filter(commission_vote::Column::ExemptionId.eq(exemption_id))
        .order_by_asc(commission_vote::Column::Id)
        .all(db)
        .await?)
}

pub async fn queue(
    db: &DatabaseConnection,
    status: Option<ApplicationStatus>,
) -> ApiResult<Vec<exemption::Model>> {
    let mut q = exemption::Entity::find().order_by_asc(exemption::Column::Id);
    if let Some(s) = status {
        q = q.filter(exemption::Column::Status.eq(s.as_str()));
    }
    Ok(q.all(db).await?)
}

/// Records a member's vote; decides the application when the quorum is reached.
pub async fn vote(
    db: &DatabaseConnection,
    member_account: i64,
    exemption_id: i64,
    approve: bool,
    reason: &str,
    quorum: usize,
) -> ApiResult<exemption::Model> {
    let reason = reason.trim();
    if reason.chars().count() < 3 {
        return Err(ApiError::bad_input(
            "reason",
            "state the reasons for your vote",
        ));
    }
    let txn = adal_core::db::begin_write(db).await?;
    let app = exemption::Entity::find_by_id(exemption_id)
        .one(&txn)
        .await?
        .ok_or(ApiError::NotFound("application"))?;
    if app.status != ApplicationStatus::Submitted.as_str() {
        return Err(ApiError::Conflict(
            "this application is already decided".into(),
        ));
    }
    let already = commission_vote::Entity::find()
        .filter(commission_vote::Column::ExemptionId.eq(exemption_id))
        .filter(commission_vote::Column::MemberAccountId.eq(member_account))
        .one(&txn)
        .await?;
    if already.is_some() {
        return Err(ApiError::Conflict(
            "you have already voted on this application".into(),
        ));
    }
    commission_vote::ActiveModel {
        exemption_id: Set(exemption_id),
        member_account_id: Set(member_account),
        approve: Set(approve),
        reason: Set(reason.chars().take(2000).collect()),
        at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        Some(member_account),
        "application.vote",
        "exemption",
        exemption_id,
        json!({ "approve": approve }),
    )
    .await?;
    let votes = commission_vote::Entity::find()
        .filter(commission_vote::Column::ExemptionId.eq(exemption_id))
        .all(&txn)
        .await?;
    let mut decided = false;
    let mut app_model = app.clone();
    if votes.len() >= quorum.max(1) {
        let yes = votes.iter().filter(|v| v.approve).count();
        let no = votes.len() - yes;
        let outcome = if yes > no {
            ApplicationStatus::Approved
        } else {
            ApplicationStatus::Rejected
        };
        let mut am = app.into_active_model();
        am.status = Set(outcome.as_str().into());
        am.decided_at = Set(Some(Utc::now()));
        am.decision_reason = Set(Some(format!(
            "{yes} for, {no} against (quorum {quorum}); {}",
            votes
                .iter()
                .map(|v| v.reason.as_str())
                .collect::<Vec<_>>()
                .join("; ")
        )));
        app_model = am.update(&txn).await?;
        audit::record(
            &txn,
            None,
            "application.decide",
            "exemption",
            exemption_id,
            json!({ "outcome": outcome, "for": yes, "against": no, "quorum": quorum }),
        )
        .await?;
        decided = true;
    }
    txn.commit().await?;
    if decided {
        super::evaluate::evaluate_graduates(db, &[app_model.graduate_id]).await?;
    }
    Ok(app_model)
}

/// Ends an approved decision early, with the reasons (a contract military service exemption
/// whose terms are not kept): `last_day` becomes the last day it holds, the months after it
/// are evaluated by the rules again, and the graduate is re-evaluated now.
pub async fn end(
    db: &DatabaseConnection,
    member_account: i64,
    exemption_id: i64,
    last_day: NaiveDate,
    reason: &str,
) -> ApiResult<exemption::Model> {
    let reason = reason.trim();
    if reason.chars().count() < 3 {
        return Err(ApiError::bad_input("reason", "state why the decision ends"));
    }
    let txn = adal_core::db::begin_write(db).await?;
    let app = exemption::Entity::find_by_id(exemption_id)
        .one(&txn)
        .await?
        .ok_or(ApiError::NotFound("application"))?;
    if app.status != ApplicationStatus::Approved.as_str() {
        return Err(ApiError::ConflictBecause {
            reason: ObligationRefusal::NotApproved.into(),
            message: "only an approved decision can be ended".into(),
        });
    }
    if app.period_start.is_some_and(|s| last_day < s) {
        return Err(ApiError::bad_input(
            "lastDay",
            "the decision cannot end before it starts",
        ));
    }
    if app.period_end.is_some_and(|e| last_day >= e) {
        return Err(ApiError::bad_input(
            "lastDay",
            "the decision already ends by then",
        ));
    }
    let before = app.period_end;
    let mut am = app.into_active_model();
    am.period_end = Set(Some(last_day));
    am.ended_at = Set(Some(Utc::now()));
    am.ended_by = Set(Some(member_account));
    am.end_reason = Set(Some(reason.chars().take(2000).collect()));
    let app = am.update(&txn).await?;
    audit::record(
        &txn,
        Some(member_account),
        "application.end",
        "exemption",
        exemption_id,
        json!({ "lastDay": last_day, "periodEndBefore": before, "reason": app.end_reason }),
    )
    .await?;
    txn.commit().await?;
    super::evaluate::evaluate_graduates(db, &[app.graduate_id]).await?;
    Ok(app)
}
