//! The transparency domain's words.

use adal_core::vocab::stored_enum;

stored_enum! {
    /// How the body answered a contest.
    ContestOutcome {
        /// The decision stands; the answer says why.
        Upheld = "upheld",
        /// The decision is changed; the body changes it through its own work.
        Overturned = "overturned",
    }
}

/// Why the transparency domain refused an action (`extensions.reason` of a `CONFLICT`
/// error); the schema lists every one, so a client explains each.
#[derive(async_graphql::Enum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ContestRefusal {
    /// This decision has been contested already: one case per decision.
    AlreadyContested,
    /// This case has its answer already.
    AlreadyAnswered,
}

impl adal_core::error::Refusal for ContestRefusal {}
