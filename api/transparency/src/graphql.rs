//! The transparency domain's GraphQL: a person's decisions (`myDecisions`), contesting one
//! (`contestDecision`), and the bodies' list of cases (`contestCases`) and their answer
//! (`answerContest`).

use async_graphql::{Context, ID, Object, Result, Upload};
use chrono::{DateTime, NaiveDate, Utc};

use adal_core::auth::guard::{Allow, actor};
use adal_core::auth::roles::Role;
use adal_core::decisions::{DecidingBody, Decision, DecisionKind, DecisionSources, Figures, Vote};
use adal_core::documents::DocumentInfo;
use adal_core::error::ApiError;
use adal_core::pagination::{Conn, PageRequest, connection, list_complexity};
use adal_core::state::AppState;
use entities::contest_case;

use crate::contest;
use crate::vocab::ContestOutcome;
use adal_core::clock::local_day;

const CITIZENS: &[Role] = &[Role::Parent, Role::Graduate];
const BODIES: &[Role] = &[
    Role::OperatorAdmin,
    Role::CommissionMember,
    Role::AkimatOfficer,
    Role::SchoolAdmin,
];

fn parse_id(id: &ID, field: &str) -> Result<i64, ApiError> {
    id.parse::<i64>()
        .map_err(|_| ApiError::bad_input(field, "not an id"))
}

/// A decision about the person or their child, with its contest if there is one.
pub struct DecisionOut {
    d: Decision,
    person_name: String,
    contest: Option<contest_case::Model>,
    today: NaiveDate,
}

#[Object(name = "Decision")]
impl DecisionOut {
    /// The decision's key (`exemption:42`), which `contestDecision` takes.
    async fn key(&self) -> String {
        self.d.key()
    }
    async fn kind(&self) -> DecisionKind {
        self.d.kind
    }
    /// The person it is about.
    async fn person_id(&self) -> ID {
        ID(self.d.person_id.to_string())
    }
    /// Their first name (the person themselves, or a parent's child).
    async fn person_name(&self) -> &str {
        &self.person_name
    }
    async fn at(&self) -> DateTime<Utc> {
        self.d.at
    }
    /// What was decided, as a code of its kind: a status (`working`, `approved`, `issued`),
    /// a category, an allergen.
    async fn outcome(&self) -> &str {
        &self.d.outcome
    }
    /// The stated rule it applied: a legal ground (an exemption), a category (a voucher
    /// category), the campaign whose priority table ranked (a voucher application); the
    /// version of the rules or the table is `figures.ruleVersion`.
    async fn rule(&self) -> Option<&str> {
        self.d.rule.as_deref()
    }
    async fn reason(&self) -> Option<&str> {
        self.d.reason.as_deref()
    }
    /// The role of whoever decided (members are named by role, not by name); none when the
    /// rules decided on their own.
    async fn decided_by(&self) -> Option<Role> {
        self.d.decided_by
    }
    /// The body that decided, and answers a contest.
    async fn body(&self) -> DecidingBody {
        self.d.body
    }
    async fn figures(&self) -> &Figures {
        &self.d.figures
    }
    /// The commission members' votes, by role.
    async fn votes(&self) -> &[Vote] {
        &self.d.votes
    }
    /// The contest of this decision, if the person opened one.
    async fn contest(&self) -> Option<ContestCase> {
        self.contest.clone().map(|c| ContestCase {
            c,
            person_name: None,
            today: self.today,
        })
    }
}

/// A contest of a decision: the person's statement, the body's term and its answer.
pub struct ContestCase {
    c: contest_case::Model,
    /// The person's full name, for the body that answers (absent in the person's own view).
    person_name: Option<String>,
    today: NaiveDate,
}

#[Object]
impl ContestCase {
    async fn id(&self) -> ID {
        ID(self.c.id.to_string())
    }
    async fn decision_key(&self) -> &str {
        &self.c.decision_key
    }
    async fn decision_kind(&self) -> Option<DecisionKind> {
        DecisionKind::from_db(&self.c.decision_kind)
    }
    async fn body(&self) -> Option<DecidingBody> {
        DecidingBody::from_db(&self.c.body)
    }
    /// The person the decision is about.
    async fn person_id(&self) -> ID {
        ID(self.c.person_id.to_string())
    }
    async fn person_name(&self, ctx: &Context<'_>) -> Option<&str> {
        if self.person_name.is_some() {
            adal_core::audit::read(ctx, self.c.person_id, "name");
        }
        self.person_name.as_deref()
    }
    async fn statement(&self) -> &str {
        &self.c.statement
    }
    async fn opened_at(&self) -> DateTime<Utc> {
        self.c.opened_at
    }
    /// The last day of the body's term to answer.
    async fn due_on(&self) -> NaiveDate {
        self.c.due_on
    }
    /// Unanswered past its term, or answered after it.
    async fn overdue(&self) -> bool {
        contest::overdue(&self.c, self.today)
    }
    /// Whether the caller's body answers this case (a supervisor only sees it).
    async fn can_answer(&self, ctx: &Context<'_>) -> bool {
        actor(ctx).is_ok_and(|a| contest::answers(a, &self.c))
    }
    /// The documents the person attached, in the order they came.
    async fn documents(&self, ctx: &Context<'_>) -> Result<Vec<DocumentInfo>> {
        let state = ctx.data::<AppState>()?;
        Ok(contest::documents_of(&state.db, self.c.id)
            .await?
            .iter()
            .map(|d| adal_core::document_info!("contest", d))
            .collect())
    }
    async fn outcome(&self) -> Option<ContestOutcome> {
        self.c.outcome.as_deref().and_then(ContestOutcome::from_db)
    }
    async fn answer(&self) -> Option<&str> {
        self.c.answer.as_deref()
    }
    async fn answered_at(&self) -> Option<DateTime<Utc>> {
        self.c.answered_at
    }
}

#[derive(Default)]
pub struct TransparencyQuery;

#[Object]
impl TransparencyQuery {
    /// Every decision about the signed-in person and their children, newest first: what was
    /// decided, when, by which role and body, under which rule, with its reason and figures,
    /// and its contest. `personId` narrows it to one of them.
    #[graphql(guard = "Allow::roles(\"myDecisions\", CITIZENS)")]
    async fn my_decisions(
        &self,
        ctx: &Context<'_>,
        person_id: Option<ID>,
    ) -> Result<Vec<DecisionOut>> {
        let state = ctx.data::<AppState>()?;
        let sources = ctx.data::<DecisionSources>()?;
        let actor = actor(ctx)?;
        let mut persons = contest::own_persons(actor);
        if let Some(id) = person_id {
            let id = parse_id(&id, "personId")?;
            if !persons.contains(&id) {
                return Err(ApiError::NotFound("person").into());
            }
            persons = vec![id];
        }
        let names =
            contest::names(&state.db, persons.iter().copied(), |p| p.first_name.clone()).await?;
        let (decisions, mut cases) = contest::timeline(&state.db, sources, &persons).await?;
        let today = local_day(state.settings.clock.now());
        Ok(decisions
            .into_iter()
            .map(|d| DecisionOut {
                person_name: names.get(&d.person_id).cloned().unwrap_or_default(),
                contest: cases.remove(&d.key()),
                d,
                today,
            })
            .collect())
    }

    /// The contest cases the caller's body answers, and those of the bodies it supervises,
    /// the earliest deadline first; `overdueOnly` keeps the unanswered ones past their term.
    #[graphql(
        guard = "Allow::roles(\"contestCases\", BODIES)",
        complexity = "list_complexity(first, child_complexity)"
    )]
    async fn contest_cases(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = false)] overdue_only: bool,
        #[graphql(default = false)] answered: bool,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<Conn<ContestCase>> {
        let state = ctx.data::<AppState>()?;
        let actor = actor(ctx)?;
        let page = PageRequest::parse(first, after)?;
        let today = local_day(state.settings.clock.now());
        let filter = contest::CaseFilter {
            answered,
            overdue_only,
        };
        let (rows, total) = contest::cases(&state.db, actor, filter, today, &page).await?;
        let names = contest::names(&state.db, rows.iter().map(|c| c.person_id), |p| {
            format!("{} {}", p.last_name, p.first_name)
        })
        .await?;
        Ok(connection(
            &page,
            rows,
            total,
            |c| c.id.to_string(),
            |c| ContestCase {
                person_name: names.get(&c.person_id).cloned(),
                c,
                today,
            },
        ))
    }
}

#[derive(Default)]
pub struct TransparencyMutation;

#[Object]
impl TransparencyMutation {
    /// Contests a decision about the signed-in person or their child (its `key` from
    /// `myDecisions`): the case goes to the body that decided, which answers within
    /// twenty working days. One case per decision. Up to five documents (10 MB each) may
    /// bear the statement out (a multipart request).
    #[graphql(guard = "Allow::roles(\"contestDecision\", CITIZENS)")]
    async fn contest_decision(
        &self,
        ctx: &Context<'_>,
        key: String,
        statement: String,
        #[graphql(default)] documents: Vec<Upload>,
    ) -> Result<ContestCase> {
        let state = ctx.data::<AppState>()?;
        let sources = ctx.data::<DecisionSources>()?;
        let actor = actor(ctx)?;
        let now = state.settings.clock.now();
        let documents = documents
            .iter()
            .map(|u| adal_core::graphql::uploaded(ctx, u, "documents"))
            .collect::<Result<Vec<_>, _>>()?;
        let stored = contest::store_documents(&state.settings.data_dir, &documents)?;
        let contest = contest::Contest {
            key: &key,
            statement: &statement,
            documents: &stored,
        };
        let c = contest::open(&state.db, sources, actor, contest, now).await?;
        Ok(ContestCase {
            c,
            person_name: None,
            today: local_day(now),
        })
    }

    /// The body answers a contest case: the decision is upheld or overturned, with its
    /// reasons. The person sees the answer beside the decision.
    #[graphql(guard = "Allow::roles(\"answerContest\", BODIES)")]
    async fn answer_contest(
        &self,
        ctx: &Context<'_>,
        case_id: ID,
        outcome: ContestOutcome,
        answer: String,
    ) -> Result<ContestCase> {
        let state = ctx.data::<AppState>()?;
        let actor = actor(ctx)?;
        let now = state.settings.clock.now();
        let id = parse_id(&case_id, "caseId")?;
        let c = contest::answer(&state.db, actor, id, outcome, &answer, now).await?;
        Ok(ContestCase {
            c,
            person_name: None,
            today: local_day(now),
        })
    }
}
