//! GraphQL types and resolvers of the reference registers.

use async_graphql::{Context, ID, InputObject, Object, Result};
use chrono::{DateTime, NaiveDate, Utc};

use entities::{locality, locality_history, organisation, organisation_history, region};

use super::events::ReferenceEvents;
use super::service::{self, LocalityFilter, OrganisationDraft, OrganisationFilter};
use crate::loaders::loaders;
use adal_core::auth::guard::actor;
use adal_core::auth::{Allow, Role};
use adal_core::loaders::load_err;
use adal_core::pagination::{Conn, PageRequest, connection};
use adal_core::sql::parse_id;
use adal_core::state::AppState;
use adal_core::vocab::{Language, OrganisationKind};

/// The language a `name` field answers in: the argument, else the caller's, else Russian.
pub fn lang(ctx: &Context<'_>, language: Option<Language>) -> Language {
    language
        .or_else(|| {
            adal_core::auth::guard::caller(ctx)
                .actor
                .as_ref()
                .map(|a| a.language)
        })
        .unwrap_or(Language::Ru)
}

/// Whether the caller sees employers too: the operator's staff, who work with the pension
/// feed. Anyone else, anonymous callers included, sees public institutions only.
fn sees_every_organisation(ctx: &Context<'_>) -> bool {
    adal_core::auth::guard::caller(ctx)
        .actor
        .as_ref()
        .is_some_and(|a| a.has_any(adal_core::auth::roles::OPERATOR_STAFF))
}

pub struct Region(pub region::Model);

/// A region: an oblast or a city of republican significance.
#[Object]
impl Region {
    /// KATO code.
    async fn kato(&self) -> &str {
        &self.0.kato
    }
    /// The name in `language` (default: the caller's language).
    async fn name(&self, ctx: &Context<'_>, language: Option<Language>) -> &str {
        lang(ctx, language).pick(&self.0.name_kk, &self.0.name_ru, &self.0.name_en)
    }
    async fn name_kk(&self) -> &str {
        &self.0.name_kk
    }
    async fn name_ru(&self) -> &str {
        &self.0.name_ru
    }
    async fn name_en(&self) -> &str {
        &self.0.name_en
    }
    /// Localities of the region.
    #[graphql(complexity = "adal_core::pagination::list_complexity(first, child_complexity)")]
    async fn localities(
        &self,
        ctx: &Context<'_>,
        rural: Option<bool>,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<Conn<Locality>> {
        let filter = LocalityFilter {
            region_kato: Some(self.0.kato.clone()),
            rural,
            search: None,
        };
        localities_page(ctx, &filter, first, after).await
    }
}

pub struct Locality(pub locality::Model);

/// A locality or district, by KATO code; `rural` tells whether work there counts as rural.
#[Object]
impl Locality {
    async fn kato(&self) -> &str {
        &self.0.kato
    }
    async fn name(&self, ctx: &Context<'_>, language: Option<Language>) -> &str {
        lang(ctx, language).pick(&self.0.name_kk, &self.0.name_ru, &self.0.name_en)
    }
    async fn name_kk(&self) -> &str {
        &self.0.name_kk
    }
    async fn name_ru(&self) -> &str {
        &self.0.name_ru
    }
    async fn name_en(&self) -> &str {
        &self.0.name_en
    }
    async fn rural(&self) -> bool {
        self.0.rural
    }
    async fn region(&self, ctx: &Context<'_>) -> Result<Region> {
        loaders(ctx)?
            .regions
            .load_one(self.0.region_kato.clone())
            .await
            .map_err(load_err)?
            .map(Region)
            .ok_or_else(|| adal_core::error::ApiError::NotFound("region").into())
    }
    /// Its rural flag over time, oldest first.
    async fn history(&self, ctx: &Context<'_>) -> Result<Vec<LocalityPeriod>> {
        let mut rows = loaders(ctx)?
            .locality_history
            .load_one(self.0.kato.clone())
            .await
            .map_err(load_err)?
            .unwrap_or_default();
        rows.sort_by_key(|r| (r.effective_from, r.id));
        Ok(rows.into_iter().map(LocalityPeriod).collect())
    }
}

pub struct LocalityPeriod(pub locality_history::Model);

/// A locality's rural flag from a date until the next period's date.
#[Object]
impl LocalityPeriod {
    /// The first day the flag holds.
    async fn effective_from(&self) -> NaiveDate {
        self.0.effective_from
    }
    async fn rural(&self) -> bool {
        self.0.rural
    }
    async fn recorded_at(&self) -> DateTime<Utc> {
        self.0.recorded_at
    }
    /// The import that recorded the flag; null for the flag the register held when its history
    /// began.
    async fn import_batch_id(&self) -> Option<ID> {
        self.0.batch_id.map(|id| ID(id.to_string()))
    }
}

pub struct Organisation(pub organisation::Model);

/// An organisation: operator, university, school, employer, provider, akimat, ...
#[Object]
impl Organisation {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    /// BIN, or the IIN of an individual entrepreneur.
    async fn bin(&self) -> &str {
        &self.0.bin
    }
    async fn kind(&self) -> OrganisationKind {
        OrganisationKind::from_db(&self.0.kind).unwrap_or(OrganisationKind::Other)
    }
    async fn name(&self, ctx: &Context<'_>, language: Option<Language>) -> &str {
        lang(ctx, language).pick(&self.0.name_kk, &self.0.name_ru, &self.0.name_en)
    }
    async fn name_kk(&self) -> &str {
        &self.0.name_kk
    }
    async fn name_ru(&self) -> &str {
        &self.0.name_ru
    }
    async fn name_en(&self) -> &str {
        &self.0.name_en
    }
    async fn locality(&self, ctx: &Context<'_>) -> Result<Option<Locality>> {
        locality_by_kato(ctx, self.0.locality_kato.clone()).await
    }
    async fn region(&self, ctx: &Context<'_>) -> Result<Option<Region>> {
        let Some(k) = self.0.region_kato.clone() else {
            return Ok(None);
        };
        Ok(loaders(ctx)?
            .regions
            .load_one(k)
            .await
            .map_err(load_err)?
            .map(Region))
    }
    /// The head organisation of a branch.
    async fn parent(&self, ctx: &Context<'_>) -> Result<Option<Organisation>> {
        let Some(id) = self.0.parent_id else {
            return Ok(None);
        };
        Ok(loaders(ctx)?
            .organisations
            .load_one(id)
            .await
            .map_err(load_err)?
            .map(Organisation))
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }
    /// Its kind, locality, region and activity code over time, oldest first: each row holds
    /// from its effectiveFrom until the next row's.
    async fn history(&self, ctx: &Context<'_>) -> Result<Vec<OrganisationPeriod>> {
        let mut rows = loaders(ctx)?
            .organisation_history
            .load_one(self.0.id)
            .await
            .map_err(load_err)?
            .unwrap_or_default();
        rows.sort_by_key(|r| (r.effective_from, r.id));
        Ok(rows.into_iter().map(OrganisationPeriod).collect())
    }
}

/// The locality of a KATO code, through the request's loader.
async fn locality_by_kato(ctx: &Context<'_>, kato: Option<String>) -> Result<Option<Locality>> {
    let Some(k) = kato else {
        return Ok(None);
    };
    Ok(loaders(ctx)?
        .localities
        .load_one(k)
        .await
        .map_err(load_err)?
        .map(Locality))
}

pub struct OrganisationPeriod(pub organisation_history::Model);

/// An organisation's kind, locality, region and activity code from a date until the next
/// period's date.
#[Object]
impl OrganisationPeriod {
    /// The first day the values hold.
    async fn effective_from(&self) -> NaiveDate {
        self.0.effective_from
    }
    async fn kind(&self) -> OrganisationKind {
        OrganisationKind::from_db(&self.0.kind).unwrap_or(OrganisationKind::Other)
    }
    async fn locality_kato(&self) -> Option<&str> {
        self.0.locality_kato.as_deref()
    }
    /// The locality of this period, with its names (a past one is not the organisation's
    /// `locality`).
    async fn locality(&self, ctx: &Context<'_>) -> Result<Option<Locality>> {
        locality_by_kato(ctx, self.0.locality_kato.clone()).await
    }
    async fn region_kato(&self) -> Option<&str> {
        self.0.region_kato.as_deref()
    }
    async fn activity_code(&self) -> Option<&str> {
        self.0.activity_code.as_deref()
    }
    async fn recorded_at(&self) -> DateTime<Utc> {
        self.0.recorded_at
    }
    /// The import that recorded the values; null when a person did (an operator's edit or
    /// classification), or for the values the register held when its history began.
    async fn import_batch_id(&self) -> Option<ID> {
        self.0.batch_id.map(|id| ID(id.to_string()))
    }
}

async fn localities_page(
    ctx: &Context<'_>,
    filter: &LocalityFilter,
    first: Option<i32>,
    after: Option<String>,
) -> Result<Conn<Locality>> {
    let state = ctx.data::<AppState>()?;
    let page = PageRequest::parse(first, after)?;
    let (rows, total) = service::list_localities(&state.db, filter, &page).await?;
    Ok(connection(&page, rows, total, |r| r.kato.clone(), Locality))
}

#[derive(InputObject, Default)]
#[graphql(name = "OrganisationFilter")]
pub struct OrganisationFilterInput {
    /// Part of a name in any language, or the first digits of the BIN.
    pub search: Option<String>,
    pub kind: Option<OrganisationKind>,
    pub region_kato: Option<String>,
}

#[derive(InputObject)]
pub struct OrganisationInput {
    /// BIN, or the IIN of an individual entrepreneur (12 digits, check digit verified).
    pub bin: String,
    pub kind: OrganisationKind,
    pub name_kk: String,
    pub name_ru: String,
    pub name_en: String,
    pub locality_kato: Option<String>,
    /// Taken from the locality when not given.
    pub region_kato: Option<String>,
    pub parent_id: Option<ID>,
}

impl OrganisationInput {
    fn into_draft(self) -> adal_core::error::ApiResult<OrganisationDraft> {
        Ok(OrganisationDraft {
            bin: self.bin,
            kind: self.kind,
            name_kk: self.name_kk,
            name_ru: self.name_ru,
            name_en: self.name_en,
            locality_kato: self.locality_kato,
            region_kato: self.region_kato,
            parent_id: self
                .parent_id
                .as_ref()
                .map(|id| parse_id("parentId", id))
                .transpose()?,
        })
    }
}

#[derive(Default)]
pub struct ReferenceQuery;

#[Object]
impl ReferenceQuery {
    /// Regions (public reference data).
    #[graphql(
        guard = "Allow::public(\"regions\")",
        complexity = "adal_core::pagination::list_complexity(first, child_complexity)"
    )]
    async fn regions(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<Conn<Region>> {
        let state = ctx.data::<AppState>()?;
        let page = PageRequest::parse(first, after)?;
        let (rows, total) = service::list_regions(&state.db, &page).await?;
        Ok(connection(&page, rows, total, |r| r.kato.clone(), Region))
    }

    #[graphql(guard = "Allow::public(\"regions\")")]
    async fn region(&self, ctx: &Context<'_>, kato: String) -> Result<Region> {
        let state = ctx.data::<AppState>()?;
        Ok(Region(service::region(&state.db, &kato).await?))
    }

    /// Localities, filtered by region, rural flag and name (public reference data).
    #[graphql(
        guard = "Allow::public(\"localities\")",
        complexity = "adal_core::pagination::list_complexity(first, child_complexity)"
    )]
    async fn localities(
        &self,
        ctx: &Context<'_>,
        region_kato: Option<String>,
        rural: Option<bool>,
        search: Option<String>,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<Conn<Locality>> {
        let filter = LocalityFilter {
            region_kato,
            rural,
            search,
        };
        localities_page(ctx, &filter, first, after).await
    }

    /// Organisations. Public institutions (schools, universities, colleges, providers, akimats,
    /// state bodies, the operator) for everyone; employers only for the operator's staff.
    #[graphql(
        guard = "Allow::public(\"organisations\")",
        complexity = "adal_core::pagination::list_complexity(first, child_complexity)"
    )]
    async fn organisations(
        &self,
        ctx: &Context<'_>,
        filter: Option<OrganisationFilterInput>,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<Conn<Organisation>> {
        let state = ctx.data::<AppState>()?;
        let page = PageRequest::parse(first, after)?;
        let f = filter.unwrap_or_default();
        let filter = OrganisationFilter {
            institutions_only: !sees_every_organisation(ctx),
            search: f.search,
            kind: f.kind,
            region_kato: f.region_kato,
        };
        let (rows, total) = service::list_organisations(&state.db, &filter, &page).await?;
        Ok(connection(
            &page,
            rows,
            total,
            |r| r.id.to_string(),
            Organisation,
        ))
    }

    #[graphql(guard = "Allow::public(\"organisations\")")]
    async fn organisation(&self, ctx: &Context<'_>, id: ID) -> Result<Organisation> {
        let state = ctx.data::<AppState>()?;
        let id = parse_id("id", &id)?;
        let org = service::organisation(&state.db, id).await?;
        let institution = OrganisationKind::from_db(&org.kind).is_some_and(|k| k.is_institution());
        if !institution && !sees_every_organisation(ctx) {
            return Err(adal_core::error::ApiError::NotFound("organisation").into());
        }
        Ok(Organisation(org))
    }
}

#[derive(Default)]
pub struct ReferenceMutation;

#[Object]
impl ReferenceMutation {
    #[graphql(guard = "Allow::roles(\"createOrganisation\", &[Role::OperatorAdmin])")]
    async fn create_organisation(
        &self,
        ctx: &Context<'_>,
        input: OrganisationInput,
    ) -> Result<Organisation> {
        let state = ctx.data::<AppState>()?;
        let actor = actor(ctx)?;
        let model =
            service::create_organisation(&state.db, Some(actor.account_id), input.into_draft()?)
                .await?;
        Ok(Organisation(model))
    }

    /// Edits an organisation. A change of its kind, locality or region holds from
    /// `effectiveFrom` (default: the first day of the current month; not before its latest
    /// recorded change), the months before it keep the values then in force; the graduates who
    /// worked there are re-evaluated.
    #[graphql(guard = "Allow::roles(\"updateOrganisation\", &[Role::OperatorAdmin])")]
    async fn update_organisation(
        &self,
        ctx: &Context<'_>,
        id: ID,
        input: OrganisationInput,
        effective_from: Option<NaiveDate>,
    ) -> Result<Organisation> {
        let state = ctx.data::<AppState>()?;
        let actor = actor(ctx)?;
        let id = parse_id("id", &id)?;
        let events = ctx.data_opt::<ReferenceEvents>();
        let model = service::update_organisation(
            &state.db,
            Some(actor.account_id),
            id,
            input.into_draft()?,
            effective_from,
            events.map(ReferenceEvents::listener),
        )
        .await?;
        Ok(Organisation(model))
    }
}
