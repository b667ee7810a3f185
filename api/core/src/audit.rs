//! The audit trail: who did what, when, to which record, on what grounds. Written in the same
//! transaction as the change it records; open to review by the operator's administrators.

use chrono::Utc;
use sea_orm::{ActiveModelTrait, ConnectionTrait, Set};
use serde_json::Value;

use entities::audit_event;

use crate::error::ApiResult;

/// Records one event. `details` must not hold secrets (passwords, tokens).
pub async fn record(
    db: &impl ConnectionTrait,
    actor_account_id: Option<i64>,
    action: &str,
    subject_type: &str,
    subject_id: impl ToString,
    details: Value,
) -> ApiResult<()> {
    audit_event::ActiveModel {
        at: Set(Utc::now()),
        actor_account_id: Set(actor_account_id),
        action: Set(action.to_owned()),
        subject_type: Set(subject_type.to_owned()),
        subject_id: Set(subject_id.to_string()),
        details: Set(details.to_string()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

/// One recorded decision or change.
pub struct AuditEvent(pub audit_event::Model);

#[async_graphql::Object]
impl AuditEvent {
    async fn id(&self) -> async_graphql::ID {
        async_graphql::ID(self.0.id.to_string())
    }
    async fn at(&self) -> chrono::DateTime<Utc> {
        self.0.at
    }
    /// The account that acted (none for system jobs and the command line).
    async fn actor_account_id(&self) -> Option<async_graphql::ID> {
        self.0
            .actor_account_id
            .map(|id| async_graphql::ID(id.to_string()))
    }
    async fn action(&self) -> &str {
        &self.0.action
    }
    async fn subject_type(&self) -> &str {
        &self.0.subject_type
    }
    async fn subject_id(&self) -> &str {
        &self.0.subject_id
    }
    /// Grounds and changed fields.
    async fn details(&self) -> async_graphql::Json<Value> {
        async_graphql::Json(serde_json::from_str(&self.0.details).unwrap_or(Value::Null))
    }
}

#[derive(Default)]
pub struct AuditQuery;

#[async_graphql::Object]
impl AuditQuery {
    /// The audit trail, newest first, optionally for one record.
    #[graphql(
        guard = "crate::auth::Allow::roles(\"auditEvents\", &[crate::auth::Role::OperatorAdmin])"
    )]
    async fn audit_events(
        &self,
        ctx: &async_graphql::Context<'_>,
        subject_type: Option<String>,
        subject_id: Option<String>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<crate::pagination::Conn<AuditEvent>> {
        use sea_orm::{
            ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
        };
        let state = ctx.data::<crate::state::AppState>()?;
        let page = crate::pagination::PageRequest::parse(first, after)?;
        let mut q = audit_event::Entity::find();
        if let Some(t) = subject_type {
            q = q.filter(audit_event::Column::SubjectType.eq(t));
        }
        if let Some(id) = subject_id {
            q = q.filter(audit_event::Column::SubjectId.eq(id));
        }
        let total = q.clone().count(&state.db).await?;
        let mut q = q.order_by_desc(audit_event::Column::Id);
        if let Some(after) = page.after_id()? {
            q = q.filter(audit_event::Column::Id.lt(after));
        }
        let rows = q.limit(page.fetch_limit()).all(&state.db).await?;
        Ok(crate::pagination::connection(
            &page,
            rows,
            total,
            |r| r.id.to_string(),
            AuditEvent,
        ))
    }
}
