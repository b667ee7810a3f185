//! The obligations' loaders: a graduate's messages and tasks, graduates by id, specialties by
//! code, made for every request by
//! the server.

use async_graphql::dataloader::DataLoader;
use sea_orm::{ColumnTrait, Condition, DatabaseConnection};

use adal_core::loaders::{ByKey, GroupedBy};
use entities::{graduate, graduate_task, notification_message, specialty};

pub type MessagesByGraduate = DataLoader<GroupedBy<notification_message::Entity, i64>>;
pub type TasksByGraduate = DataLoader<GroupedBy<graduate_task::Entity, i64>>;
pub type GraduateLoader = DataLoader<ByKey<graduate::Entity, i64>>;
pub type SpecialtyLoader = DataLoader<ByKey<specialty::Entity, String>>;

/// The per-request loaders (their caches must not outlive a request: callers differ).
pub struct Loaders {
    pub messages: MessagesByGraduate,
    pub tasks: TasksByGraduate,
    /// Graduates by id (an application's applicant).
    pub graduates: GraduateLoader,
    /// The classifier's specialties by code (a graduate's specialty in the caller's language).
    pub specialties: SpecialtyLoader,
}

impl Loaders {
    pub fn new(db: &DatabaseConnection) -> Self {
        let spawn = tokio::spawn;
        Self {
            messages: DataLoader::new(
                GroupedBy(
                    ByKey::new(
                        db.clone(),
                        notification_message::Column::SubjectId,
                        |m: &notification_message::Model| m.subject_id.unwrap_or_default(),
                    )
                    .only(Condition::all().add(
                        notification_message::Column::SubjectKind.eq(crate::notices::SUBJECT_KIND),
                    )),
                ),
                spawn,
            ),
            tasks: DataLoader::new(
                GroupedBy(ByKey::new(
                    db.clone(),
                    graduate_task::Column::GraduateId,
                    |m: &graduate_task::Model| m.graduate_id,
                )),
                spawn,
            ),
            graduates: DataLoader::new(
                ByKey::new(db.clone(), graduate::Column::Id, |m: &graduate::Model| m.id),
                spawn,
            ),
            specialties: DataLoader::new(
                ByKey::new(
                    db.clone(),
                    specialty::Column::Code,
                    |m: &specialty::Model| m.code.clone(),
                ),
                spawn,
            ),
        }
    }
}

/// The request's obligation loaders from the GraphQL context.
pub fn loaders<'a>(ctx: &async_graphql::Context<'a>) -> async_graphql::Result<&'a Loaders> {
    ctx.data::<Loaders>()
}
