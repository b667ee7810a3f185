use sea_orm::entity::prelude::*;

/// A campaign: an audience (a graduates filter), a template, a channel order with fallback.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "notification_campaign")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub name: String,
    pub template_id: i64,
    pub purpose: String,
    /// The graduates filter, as JSON.
    pub audience: String,
    pub channel_1: String,
    pub channel_2: Option<String>,
    pub channel_3: Option<String>,
    pub fallback_after_secs: i32,
    pub scheduled_at: DateTimeUtc,
    pub status: String,
    pub enqueued: i64,
    pub created_by: Option<i64>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
