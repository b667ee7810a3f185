//! Who may call a root field, stated in one line on the field:
//! `#[graphql(guard = "Allow::roles(\"persons\", OPERATOR_STAFF)")]`.
//!
//! Anonymous callers of a protected field get `UNAUTHENTICATED` (or the token problem);
//! signed-in callers without one of the roles get `FORBIDDEN`. Integration clients pass only
//! for the operations named in their assignment.

use async_graphql::{Context, Guard};

use super::actor::{Actor, Caller, TokenProblem};
use super::roles::Role;
use crate::error::{ApiError, ApiResult};

#[derive(Debug, Clone, Copy)]
pub struct Allow {
    operation: &'static str,
    rule: Rule,
}

#[derive(Debug, Clone, Copy)]
enum Rule {
    /// Anyone, signed in or not (public reference data).
    Public,
    /// Any signed-in account.
    SignedIn,
    /// Holders of one of these roles (and integration clients allowed the operation).
    Roles(&'static [Role]),
}

impl Allow {
    pub const fn public(operation: &'static str) -> Self {
        Self {
            operation,
            rule: Rule::Public,
        }
    }
    pub const fn signed_in(operation: &'static str) -> Self {
        Self {
            operation,
            rule: Rule::SignedIn,
        }
    }
    pub const fn roles(operation: &'static str, roles: &'static [Role]) -> Self {
        Self {
            operation,
            rule: Rule::Roles(roles),
        }
    }

    pub fn check_caller(&self, caller: &Caller) -> ApiResult<()> {
        if let Rule::Public = self.rule {
            return Ok(());
        }
        let actor = require_actor(caller)?;
        if caller.second_factor_missing
            && !super::second_factor::SETUP_OPERATIONS.contains(&self.operation)
        {
            return Err(super::second_factor::setup_required());
        }
        match self.rule {
            Rule::Public | Rule::SignedIn => Ok(()),
            Rule::Roles(roles) => {
                if actor.has_any(roles) || actor.integration_allows(self.operation) {
                    Ok(())
                } else {
                    Err(ApiError::Forbidden)
                }
            }
        }
    }
}

/// The signed-in actor, or why there is none.
pub fn require_actor(caller: &Caller) -> ApiResult<&Actor> {
    match (&caller.actor, caller.token_problem) {
        (Some(actor), _) => Ok(actor),
        (None, Some(TokenProblem::Expired)) => Err(ApiError::UnauthenticatedBecause(
            "session expired; refresh or sign in again".into(),
        )),
        (None, Some(TokenProblem::Invalid)) => Err(ApiError::UnauthenticatedBecause(
            "access token is not valid".into(),
        )),
        (None, None) => Err(ApiError::Unauthenticated),
    }
}

/// The caller of the current request.
pub fn caller<'a>(ctx: &'a Context<'_>) -> &'a Caller {
    static ANONYMOUS: std::sync::OnceLock<Caller> = std::sync::OnceLock::new();
    ctx.data_opt::<Caller>()
        .unwrap_or_else(|| ANONYMOUS.get_or_init(Caller::default))
}

/// The signed-in actor of the current request (after a guard has let it through).
pub fn actor<'a>(ctx: &'a Context<'_>) -> ApiResult<&'a Actor> {
    require_actor(caller(ctx))
}

impl Guard for Allow {
    async fn check(&self, ctx: &Context<'_>) -> async_graphql::Result<()> {
        self.check_caller(caller(ctx)).map_err(Into::into)
    }
}
