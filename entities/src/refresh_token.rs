use sea_orm::entity::prelude::*;

/// A refresh token, stored as a SHA-256 hash. Tokens rotate: each use revokes the token and
/// issues its successor in the same family; reuse of a revoked token revokes the family, except
/// that a token whose successor's answer was lost may be presented once more within seconds.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "refresh_token")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub token_hash: String,
    #[sea_orm(indexed)]
    pub family: String,
    #[sea_orm(indexed)]
    pub account_id: i64,
    pub expires_at: DateTimeUtc,
    pub revoked_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    /// When the session this token belongs to began (its first sign-in); a session ends
    /// `session_max_age_secs` after it, however often it is refreshed. `None` on tokens issued
    /// before this was kept: their own `created_at` stands in.
    pub session_started_at: Option<DateTimeUtc>,
    /// Why the token was revoked when that was a step of its own session: `rotated`,
    /// `taken_back` or `superseded` (see `adal_core::auth::tokens::consume_refresh`). Empty
    /// while valid, and when the whole session was ended.
    pub revoked_why: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
