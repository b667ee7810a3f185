//! Decisions about a person, as each domain states them: what was decided, when, by which
//! body and role, under which rule, with which reason and figures. Every domain answers for
//! its own decisions through [`DecisionSource`]; the transparency domain gathers them into a
//! person's timeline and routes a contest to the body that decided (the server wires the
//! sources in). Core knows no domain: the kinds below are the vocabulary they share.

use chrono::{DateTime, NaiveDate, Utc};
use futures_util::future::BoxFuture;
use sea_orm::DatabaseConnection;

use crate::auth::roles::Role;
use crate::error::ApiResult;
use crate::vocab::stored_enum;

stored_enum! {
    /// What kind of decision it is.
    DecisionKind {
        /// A graduate's obligation status, as the rules evaluated their months.
        ObligationStatus = "obligation_status",
        /// The commission's decision on an application for exemption or suspension.
        Exemption = "exemption",
        /// A reimbursement claim raised against a graduate.
        Claim = "claim",
        /// A voucher application's place in the ranking and its outcome.
        VoucherApplication = "voucher_application",
        /// The akimat's decision on a declared vulnerability category.
        VoucherCategory = "voucher_category",
        /// A ground for free or subsidised school meals.
        MealGround = "meal_ground",
        /// A school's override of a parent's allergen block.
        AllergenOverride = "allergen_override",
    }
}

stored_enum! {
    /// The body that made a decision, and so answers a contest of it.
    DecidingBody {
        /// The operator (the Financial Center): obligation statuses and claims.
        Operator = "operator",
        /// The operator's commission: exemptions and suspensions.
        Commission = "commission",
        /// The akimat of a region: vouchers.
        Akimat = "akimat",
        /// A school: meals and allergen overrides.
        School = "school",
    }
}

impl DecidingBody {
    /// The roles that answer the body's contest cases.
    pub fn answerers(self) -> &'static [Role] {
        match self {
            DecidingBody::Operator => &[Role::OperatorAdmin],
            DecidingBody::Commission => &[Role::CommissionMember],
            DecidingBody::Akimat => &[Role::AkimatOfficer],
            DecidingBody::School => &[Role::SchoolAdmin],
        }
    }

    /// The role that supervises the body and sees its overdue cases: the operator's
    /// administrators over the operator, the commission and the akimats; the akimat of the
    /// region over its schools.
    pub fn supervisor(self) -> Role {
        match self {
            DecidingBody::Operator | DecidingBody::Commission | DecidingBody::Akimat => {
                Role::OperatorAdmin
            }
            DecidingBody::School => Role::AkimatOfficer,
        }
    }
}

/// One member's vote on a decision, named by role, not by name.
#[derive(Debug, Clone, async_graphql::SimpleObject)]
#[graphql(name = "DecisionVote")]
pub struct Vote {
    pub role: Role,
    pub approve: bool,
    pub reason: String,
    pub at: DateTime<Utc>,
}

/// The figures a decision rests on (each kind fills those it has).
#[derive(Debug, Clone, Default, async_graphql::SimpleObject)]
#[graphql(name = "DecisionFigures")]
pub struct Figures {
    /// The version of the rules (an obligation) or of the priority table (a voucher) applied.
    pub rule_version: Option<i32>,
    /// The vulnerability score of a voucher application.
    pub score: Option<i64>,
    /// The lowest score that received a voucher in the allocation.
    pub cutoff: Option<i64>,
    /// The place in the ranking.
    pub rank: Option<i32>,
    /// Months credited towards an obligation.
    pub credited_months: Option<i32>,
    /// Months the obligation requires.
    pub required_months: Option<i32>,
    /// An amount in tenge (a claim).
    pub amount: Option<i64>,
    /// The first day the decision holds.
    pub valid_from: Option<NaiveDate>,
    /// The last day it holds (none: open-ended).
    pub valid_to: Option<NaiveDate>,
}

/// One decision about one person.
#[derive(Debug, Clone)]
pub struct Decision {
    pub kind: DecisionKind,
    /// The decision's row in its domain; with the kind, its key (`exemption:42`).
    pub id: i64,
    /// The person it is about.
    pub person_id: i64,
    pub at: DateTime<Utc>,
    /// What was decided, as a machine code of the kind (a status, a category, an allergen).
    pub outcome: String,
    /// The stated rule it applied, as a code of its kind (a legal ground, a category) or a
    /// name (the campaign whose priority table ranked); its version is in the figures.
    pub rule: Option<String>,
    /// The reason given.
    pub reason: Option<String>,
    /// The role of whoever decided; none when the rules decided on their own.
    pub decided_by: Option<Role>,
    pub body: DecidingBody,
    /// The region of an akimat's or a school's decision.
    pub region_kato: Option<String>,
    /// The school of a school's decision.
    pub organisation_id: Option<i64>,
    pub figures: Figures,
    pub votes: Vec<Vote>,
}

impl Decision {
    /// The decision's key: its kind and its row (`exemption:42`).
    pub fn key(&self) -> String {
        format!("{}:{}", self.kind.as_str(), self.id)
    }
}

/// A domain's side: the decisions it made about these persons (each domain's
/// `timeline::about`).
pub type DecisionSource =
    for<'a> fn(&'a DatabaseConnection, &'a [i64]) -> BoxFuture<'a, ApiResult<Vec<Decision>>>;

/// Every domain's source, plugged in by the server.
#[derive(Clone, Default)]
pub struct DecisionSources(Vec<DecisionSource>);

impl DecisionSources {
    pub fn new(sources: Vec<DecisionSource>) -> Self {
        Self(sources)
    }

    /// Every decision about these persons, newest first.
    pub async fn about(
        &self,
        db: &DatabaseConnection,
        persons: &[i64],
    ) -> ApiResult<Vec<Decision>> {
        let mut all = Vec::new();
        for source in &self.0 {
            all.extend(source(db, persons).await?);
        }
        all.sort_by(|a, b| b.at.cmp(&a.at).then_with(|| b.key().cmp(&a.key())));
        Ok(all)
    }
}
