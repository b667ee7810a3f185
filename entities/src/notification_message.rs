use sea_orm::entity::prelude::*;

/// One message in the outbox: written with the decision that causes it, delivered by workers.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "notification_message")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub idempotency_key: String,
    pub person_id: Option<i64>,
    /// What the message is about: a kind a domain names (`graduate`, `child`) and the id of
    /// one of that domain's rows.
    pub subject_kind: Option<String>,
    pub subject_id: Option<i64>,
    pub purpose: String,
    pub legal: bool,
    pub language: String,
    pub channel: String,
    /// The address used (phone, e-mail, IIN for eGov push), fixed when sent.
    pub recipient: Option<String>,
    pub template_id: Option<i64>,
    pub subject: Option<String>,
    /// The text sent; rendered from the template when the message is sent.
    #[sea_orm(column_type = "Text", nullable)]
    pub body: Option<String>,
    pub status: String,
    pub attempts: i32,
    pub max_attempts: i32,
    pub next_attempt_at: DateTimeUtc,
    pub last_error: Option<String>,
    pub provider_message_id: Option<String>,
    pub claimed_by: Option<String>,
    pub claimed_until: Option<DateTimeUtc>,
    pub queued_at: DateTimeUtc,
    pub sent_at: Option<DateTimeUtc>,
    pub delivered_at: Option<DateTimeUtc>,
    pub failed_at: Option<DateTimeUtc>,
    pub replied_at: Option<DateTimeUtc>,
    pub campaign_id: Option<i64>,
    /// Position in the campaign's channel order (0 for the first channel).
    pub step: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
