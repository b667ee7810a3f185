use sea_orm::entity::prelude::*;

/// A way to sign in: a person's login, or a machine client (integration system, device).
/// `kind` is `user` or `client`; clients authenticate with `login` as client id and a secret
/// whose argon2 hash is `password_hash`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "account")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub login: String,
    pub kind: String,
    /// Display name of a client system or device; people show their person's name.
    pub display_name: Option<String>,
    pub password_hash: String,
    pub language: String,
    #[sea_orm(indexed)]
    pub person_id: Option<i64>,
    pub disabled: bool,
    /// Raised when the password changes or the account is disabled: access tokens carry the
    /// epoch they were issued in, and one from an earlier epoch is refused.
    pub session_epoch: i32,
    /// A machine client's GraphQL cost budget per minute; unset, the server's default.
    pub cost_per_minute: Option<i32>,
    /// A machine client's GraphQL requests per minute; unset, the server's default.
    pub requests_per_minute: Option<i32>,
    /// A person's authenticator-app secret (base32): being set up until confirmed.
    pub totp_secret: Option<String>,
    /// When the first right code confirmed the second factor: from then on sign-in needs one.
    pub totp_confirmed_at: Option<DateTimeUtc>,
    /// The 30-second step of the last code that signed in: no code counts twice.
    pub totp_last_step: Option<i64>,
    /// When a machine client's access ends: from then on it neither signs in nor uses a
    /// token. Unset: it does not expire.
    pub expires_at: Option<DateTimeUtc>,
    /// A machine client runs only the operations it registered (`persisted_operation`), and
    /// registers no more while this holds.
    pub persisted_only: bool,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
