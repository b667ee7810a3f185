//! Row scope: which rows of a register a caller may see. One reusable filter per scope, applied
//! in the service layer; rows outside it are simply not found.

use sea_orm::sea_query::{Condition, Expr, ExprTrait};
use sea_orm::{ColumnTrait, QueryFilter};

use super::actor::Actor;
use super::roles::{OPERATOR_STAFF, Role};

/// Rows the caller may see by some key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope<T> {
    All,
    Only(Vec<T>),
}

impl<T: Clone + Into<sea_orm::Value>> Scope<T> {
    /// The filter on `column`; an empty scope matches nothing.
    pub fn condition(&self, column: impl ColumnTrait) -> Condition {
        self.condition_on(Expr::col(column))
    }

    /// The same filter on any expression (e.g. an aliased column in a hand-built query).
    pub fn condition_on(&self, expr: Expr) -> Condition {
        match self {
            Scope::All => Condition::all(),
            Scope::Only(ids) if ids.is_empty() => Condition::all().add(Expr::cust("1 = 0")),
            Scope::Only(ids) => Condition::all().add(expr.is_in(ids.iter().cloned())),
        }
    }

    pub fn apply<Q: QueryFilter>(&self, query: Q, column: impl ColumnTrait) -> Q {
        query.filter(self.condition(column))
    }
}

impl<T: PartialEq> Scope<T> {
    pub fn contains(&self, id: &T) -> bool {
        match self {
            Scope::All => true,
            Scope::Only(ids) => ids.contains(id),
        }
    }
}

/// Persons the caller may see: the operator's staff and integration clients allowed `persons`
/// see the register; a parent their children; a graduate (or anyone with a linked person)
/// themselves.
pub fn persons(actor: &Actor) -> Scope<i64> {
    if actor.has_any(OPERATOR_STAFF) || actor.integration_allows("persons") {
        return Scope::All;
    }
    let mut ids: Vec<i64> = Vec::new();
    if actor.has_role(Role::Parent) {
        ids.extend(&actor.children);
    }
    if let Some(own) = actor.person_id {
        ids.push(own);
    }
    ids.sort_unstable();
    ids.dedup();
    Scope::Only(ids)
}

/// Whether the caller reads `person_id`'s IIN in full: their own and their children's, and
/// anyone else's only where their work needs it (the operator's administrators, who keep the
/// registers and raise claims; integration clients granted `persons`, which match by IIN). The
/// analysts and the commission read it masked; `revealIin` shows one graduate's IIN and records
/// who asked.
pub fn reads_full_iin(actor: &Actor, person_id: i64) -> bool {
    actor.person_id == Some(person_id)
        || (actor.has_role(Role::Parent) && actor.children.contains(&person_id))
        || actor.has_any(FULL_IIN_READERS)
        || actor.integration_allows("persons")
}

/// Roles whose work needs a stranger's full IIN (see [`reads_full_iin`]).
pub const FULL_IIN_READERS: &[Role] = &[Role::OperatorAdmin];

/// Graduates (by person) the caller may see: the operator's staff and integration clients
/// allowed `graduate` see the register; anyone else only their own records.
pub fn graduates(actor: &Actor) -> Scope<i64> {
    if actor.has_any(OPERATOR_STAFF) || actor.integration_allows("graduate") {
        Scope::All
    } else {
        Scope::Only(actor.person_id.into_iter().collect())
    }
}

/// Regions an akimat officer works in; the operator's staff see all.
pub fn regions(actor: &Actor) -> Scope<String> {
    if actor.has_any(OPERATOR_STAFF) {
        Scope::All
    } else {
        Scope::Only(actor.regions(Role::AkimatOfficer))
    }
}

/// Organisations the caller works for in one of `roles` (school, provider, device).
pub fn organisations(actor: &Actor, roles: &[Role]) -> Scope<i64> {
    Scope::Only(actor.organisations(roles))
}
