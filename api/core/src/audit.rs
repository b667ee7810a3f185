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

/// The personal data one request handed out, gathered while it runs and written to the trail
/// as one `personal_data.read` event when it ends: who read (the caller), through which
/// operation, which persons (how many, and the first [`READ_IDS_KEPT`] ids) and which fields.
/// Resolvers of personal fields note each read with [`read`].
#[derive(Debug, Default)]
pub struct Reads(std::sync::Mutex<ReadSet>);

#[derive(Debug, Default, Clone)]
struct ReadSet {
    persons: std::collections::BTreeSet<i64>,
    fields: std::collections::BTreeSet<&'static str>,
    /// Where a field was masked for want of its grant: the response path and the field.
    masked: Vec<(Vec<serde_json::Value>, &'static str)>,
}

/// Why a personal field reached an integration client masked (`extensions.masked`).
pub const FIELD_NOT_GRANTED: &str = "FIELD_NOT_GRANTED";

/// How many person ids one read event lists (the count is always whole).
pub const READ_IDS_KEPT: usize = 200;

impl Reads {
    pub fn saw(&self, person_id: i64, field: &'static str) {
        if let Ok(mut set) = self.0.lock() {
            set.persons.insert(person_id);
            set.fields.insert(field);
        }
    }

    fn masked_at(&self, path: Vec<serde_json::Value>, field: &'static str) {
        if let Ok(mut set) = self.0.lock() {
            set.masked.push((path, field));
        }
    }

    /// How many fields this request masked.
    pub fn masked(&self) -> usize {
        self.0.lock().map(|s| s.masked.len()).unwrap_or_default()
    }

    /// The masked fields as the answer's `extensions.masked`: each with its path, the field
    /// and the reason; `None` when nothing was masked.
    pub fn masked_extension(&self) -> Option<async_graphql::Value> {
        let set = self.taken();
        if set.masked.is_empty() {
            return None;
        }
        let list = set
            .masked
            .into_iter()
            .map(|(path, field)| {
                serde_json::json!({ "path": path, "field": field, "reason": FIELD_NOT_GRANTED })
            })
            .collect::<Vec<_>>();
        async_graphql::Value::from_json(serde_json::Value::Array(list)).ok()
    }

    fn taken(&self) -> ReadSet {
        self.0.lock().map(|s| s.clone()).unwrap_or_default()
    }
}

/// Notes that a resolver handed out `field` of the person `person_id` in this request.
pub fn read(ctx: &async_graphql::Context<'_>, person_id: i64, field: &'static str) {
    if let Some(reads) = ctx.data_opt::<std::sync::Arc<Reads>>() {
        reads.saw(person_id, field);
    }
}

/// Whether the caller may have `field` of the person `person_id` (an integration client only
/// the fields it was granted): noted as a read when it may, as masked at this field's path
/// when not, and the resolver then answers the field masked. Fields an integration client can
/// reach go through here; others use [`read`].
pub fn reveal(ctx: &async_graphql::Context<'_>, person_id: i64, field: &'static str) -> bool {
    let granted = ctx
        .data_opt::<crate::auth::actor::Caller>()
        .and_then(|c| c.actor.as_ref())
        .is_none_or(|a| a.reads_field(field));
    if let Some(reads) = ctx.data_opt::<std::sync::Arc<Reads>>() {
        if granted {
            reads.saw(person_id, field);
        } else {
            reads.masked_at(response_path(ctx), field);
        }
    }
    granted
}

/// The path of the field being resolved, as a response's errors give it: names and indices.
fn response_path(ctx: &async_graphql::Context<'_>) -> Vec<serde_json::Value> {
    use async_graphql::QueryPathSegment as S;
    let Some(node) = ctx.path_node else {
        return Vec::new();
    };
    let mut path: Vec<serde_json::Value> = std::iter::once(&node)
        .chain(node.parents())
        .map(|n| match n.segment {
            S::Index(i) => serde_json::Value::from(i),
            S::Name(name) => serde_json::Value::from(name),
        })
        .collect();
    path.reverse();
    path
}

/// Writes the request's reads as one event. Nothing is written when the caller read only
/// their own data (their person, or their children's for a parent).
pub async fn record_reads(
    db: &impl ConnectionTrait,
    actor: Option<&crate::auth::actor::Actor>,
    operation: Option<&str>,
    reads: &Reads,
) -> ApiResult<()> {
    let set = reads.taken();
    let own = |id: &i64| actor.is_some_and(|a| a.person_id == Some(*id) || a.children.contains(id));
    if set.persons.iter().all(own) {
        return Ok(());
    }
    let ids: Vec<i64> = set.persons.iter().copied().take(READ_IDS_KEPT).collect();
    let subject = match ids.as_slice() {
        [one] => one.to_string(),
        _ => "many".to_owned(),
    };
    record(
        db,
        actor.map(|a| a.account_id),
        "personal_data.read",
        "person",
        subject,
        serde_json::json!({
            "operation": operation.unwrap_or("-"),
            "persons": set.persons.len(),
            "ids": ids,
            "fields": set.fields,
        }),
    )
    .await
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
    /// The audit trail's published day heads, newest first (no sign-in; the same as
    /// `GET /audit/heads`): `first` days, 30 by default, at most 366.
    #[graphql(guard = "crate::auth::Allow::public(\"auditHeads\")")]
    async fn audit_heads(
        &self,
        ctx: &async_graphql::Context<'_>,
        #[graphql(default = 30)] first: i32,
    ) -> async_graphql::Result<Vec<crate::audit_chain::DayHead>> {
        let state = ctx.data::<crate::state::AppState>()?;
        let first = u64::try_from(first.clamp(1, 366)).unwrap_or(30);
        Ok(crate::audit_chain::heads(&state.db, first).await?)
    }

    /// The audit trail, newest first, optionally for one record.
    #[graphql(
        guard = "crate::auth::Allow::roles(\"auditEvents\", &[crate::auth::Role::OperatorAdmin])",
        complexity = "crate::pagination::list_complexity(first, child_complexity)"
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
