//! GraphQL types and resolvers of the persons registry. `Person` is written field by field:
//! each exposed column of personal data is a decision, and each read of one is noted for the
//! request's `personal_data.read` audit event.

use async_graphql::{Context, ID, InputObject, Object, Result};
use chrono::NaiveDate;

use entities::person;

use super::service::{self, PersonDraft, PersonFilter};
use crate::loaders::loaders;
use adal_core::audit;
use adal_core::auth::guard::actor;
use adal_core::auth::roles::OPERATOR_STAFF;
use adal_core::auth::{Allow, Role, scope};
use adal_core::identifiers::{mask, mask_contact, mask_name};
use adal_core::loaders::load_err;
use adal_core::pagination::{Conn, PageRequest, connection};
use adal_core::sql::parse_id;
use adal_core::state::AppState;
use adal_core::vocab::Language;

pub struct Person(pub person::Model);

/// A person in the registry (graduate, pupil, child, parent).
#[Object]
impl Person {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    /// The IIN: in full for the person themself, their parents, the operator's administrators
    /// and integration clients granted `persons` and the field `iin`; for anyone else
    /// (analysts, the commission) with its last six digits hidden, as `maskedIin`.
    async fn iin(&self, ctx: &Context<'_>) -> Result<String> {
        if scope::reads_full_iin(actor(ctx)?, self.0.id) && audit::reveal(ctx, self.0.id, "iin") {
            Ok(self.0.iin.clone())
        } else {
            Ok(mask(&self.0.iin))
        }
    }
    /// The IIN with its last six digits hidden, for lists and screens shown to others.
    async fn masked_iin(&self) -> String {
        mask(&self.0.iin)
    }
    async fn last_name(&self, ctx: &Context<'_>) -> String {
        self.name(ctx, &self.0.last_name)
    }
    async fn first_name(&self, ctx: &Context<'_>) -> String {
        self.name(ctx, &self.0.first_name)
    }
    async fn middle_name(&self, ctx: &Context<'_>) -> Option<String> {
        let m = self.0.middle_name.as_deref()?;
        Some(self.name(ctx, m))
    }
    /// Last, first and middle name.
    async fn full_name(&self, ctx: &Context<'_>) -> String {
        self.name(ctx, &full_name(&self.0))
    }
    /// Birth date (a hint from the IIN unless given).
    async fn birth_date(&self, ctx: &Context<'_>) -> Option<NaiveDate> {
        self.0
            .birth_date
            .filter(|_| audit::reveal(ctx, self.0.id, "birthDate"))
    }
    async fn phone(&self, ctx: &Context<'_>) -> Option<String> {
        self.contact(ctx, self.0.phone.as_deref(), "phone")
    }
    async fn email(&self, ctx: &Context<'_>) -> Option<String> {
        self.contact(ctx, self.0.email.as_deref(), "email")
    }
    /// The language notifications go out in.
    async fn language(&self) -> Language {
        Language::from_db_or_default(&self.0.language)
    }
    /// Children in this person's guardianship that the caller may see.
    async fn children(&self, ctx: &Context<'_>) -> Result<Vec<Person>> {
        let actor = actor(ctx)?;
        let l = loaders(ctx)?;
        let links = l
            .children
            .load_one(self.0.id)
            .await
            .map_err(load_err)?
            .unwrap_or_default();
        let visible = scope::persons(actor);
        let ids: Vec<i64> = links
            .iter()
            .map(|g| g.child_person_id)
            .filter(|id| visible.contains(id))
            .collect();
        let mut found = l.persons.load_many(ids).await.map_err(load_err)?;
        let mut out: Vec<Person> = found.drain().map(|(_, m)| Person(m)).collect();
        out.sort_by_key(|p| p.0.id);
        Ok(out)
    }
}

impl Person {
    /// A name, or its first letter for a client not granted names.
    fn name(&self, ctx: &Context<'_>, name: &str) -> String {
        if audit::reveal(ctx, self.0.id, "name") {
            name.to_owned()
        } else {
            mask_name(name)
        }
    }

    /// A phone or e-mail, or its ends for a client not granted the field.
    fn contact(
        &self,
        ctx: &Context<'_>,
        value: Option<&str>,
        field: &'static str,
    ) -> Option<String> {
        let value = value?;
        Some(if audit::reveal(ctx, self.0.id, field) {
            value.to_owned()
        } else {
            mask_contact(value)
        })
    }
}

pub fn full_name(p: &person::Model) -> String {
    match &p.middle_name {
        Some(m) => format!("{} {} {}", p.last_name, p.first_name, m),
        None => format!("{} {}", p.last_name, p.first_name),
    }
}

#[derive(InputObject, Default)]
#[graphql(name = "PersonFilter")]
pub struct PersonFilterInput {
    /// Exact IIN (12 digits).
    pub iin: Option<String>,
    /// Part of a name.
    pub search: Option<String>,
}

#[derive(InputObject)]
pub struct PersonInput {
    pub iin: String,
    pub last_name: String,
    pub first_name: String,
    pub middle_name: Option<String>,
    pub birth_date: Option<NaiveDate>,
    pub phone: Option<String>,
    pub email: Option<String>,
    #[graphql(default_with = "Language::Ru")]
    pub language: Language,
}

impl From<PersonInput> for PersonDraft {
    fn from(i: PersonInput) -> Self {
        PersonDraft {
            iin: i.iin,
            last_name: i.last_name,
            first_name: i.first_name,
            middle_name: i.middle_name,
            birth_date: i.birth_date,
            phone: i.phone,
            email: i.email,
            language: i.language,
        }
    }
}

/// Who may look people up: the operator's staff, parents (their children) and graduates
/// (themselves); the row scope decides which persons each sees.
const PERSON_READERS: &[Role] = &[
    Role::OperatorAdmin,
    Role::OperatorAnalyst,
    Role::CommissionMember,
    Role::Parent,
    Role::Graduate,
];

#[derive(Default)]
pub struct PeopleQuery;

#[Object]
impl PeopleQuery {
    /// The persons registry (operator staff; integration clients allowed `persons`).
    #[graphql(
        guard = "Allow::roles(\"persons\", OPERATOR_STAFF)",
        complexity = "adal_core::pagination::list_complexity(first, child_complexity)"
    )]
    async fn persons(
        &self,
        ctx: &Context<'_>,
        filter: Option<PersonFilterInput>,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<Conn<Person>> {
        let state = ctx.data::<AppState>()?;
        let actor = actor(ctx)?;
        let page = PageRequest::parse(first, after)?;
        let f = filter.unwrap_or_default();
        let filter = PersonFilter {
            iin: f.iin,
            search: f.search,
        };
        let (rows, total) = service::list(&state.db, actor, &filter, &page).await?;
        Ok(connection(&page, rows, total, |r| r.id.to_string(), Person))
    }

    /// One person within the caller's scope; anyone else is NOT_FOUND.
    #[graphql(guard = "Allow::roles(\"person\", PERSON_READERS)")]
    async fn person(&self, ctx: &Context<'_>, id: ID) -> Result<Person> {
        let state = ctx.data::<AppState>()?;
        let actor = actor(ctx)?;
        let id = parse_id("id", &id)?;
        Ok(Person(service::get(&state.db, actor, id).await?))
    }

    /// The caller's children (parents).
    #[graphql(guard = "Allow::roles(\"myChildren\", &[Role::Parent])")]
    async fn my_children(&self, ctx: &Context<'_>) -> Result<Vec<Person>> {
        let state = ctx.data::<AppState>()?;
        let actor = actor(ctx)?;
        let Some(pid) = actor.person_id else {
            return Ok(Vec::new());
        };
        Ok(service::children_of(&state.db, pid)
            .await?
            .into_iter()
            .map(Person)
            .collect())
    }
}

#[derive(Default)]
pub struct PeopleMutation;

#[Object]
impl PeopleMutation {
    #[graphql(guard = "Allow::roles(\"createPerson\", &[Role::OperatorAdmin])")]
    async fn create_person(&self, ctx: &Context<'_>, input: PersonInput) -> Result<Person> {
        let state = ctx.data::<AppState>()?;
        let actor = actor(ctx)?;
        let model = service::create(&state.db, Some(actor.account_id), input.into()).await?;
        Ok(Person(model))
    }

    #[graphql(guard = "Allow::roles(\"updatePerson\", &[Role::OperatorAdmin])")]
    async fn update_person(&self, ctx: &Context<'_>, id: ID, input: PersonInput) -> Result<Person> {
        let state = ctx.data::<AppState>()?;
        let actor = actor(ctx)?;
        let id = parse_id("id", &id)?;
        Ok(Person(
            service::update(&state.db, actor, id, input.into()).await?,
        ))
    }

    /// Records that one person is a parent or guardian of another (returns the child).
    #[graphql(guard = "Allow::roles(\"linkGuardian\", &[Role::OperatorAdmin])")]
    async fn link_guardian(
        &self,
        ctx: &Context<'_>,
        parent_id: ID,
        child_id: ID,
    ) -> Result<Person> {
        let state = ctx.data::<AppState>()?;
        let actor = actor(ctx)?;
        let parent = parse_id("parentId", &parent_id)?;
        let child = parse_id("childId", &child_id)?;
        Ok(Person(
            service::link_guardian(&state.db, actor, parent, child).await?,
        ))
    }
}
