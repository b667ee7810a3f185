//! Applications: a parent applies for their child with the categories of vulnerability that
//! apply, each with its evidence; the akimat confirms or rejects each category (and verifies
//! guardianship the registry does not show) before the allocation. One child, one application
//! per campaign, whichever parent applies; the moment of applying inside the window never
//! counts.

use chrono::{DateTime, Utc};
use rand::RngCore;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    IntoActiveModel, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};
use serde_json::json;

use entities::{
    guardianship, person, voucher_application as application,
    voucher_application_category as category, voucher_campaign,
};

use adal_core::audit;
use adal_core::auth::Actor;
use adal_core::db::begin_write;
use adal_core::error::{ApiError, ApiResult};
use adal_core::identifiers::Iin;
use adal_core::pagination::PageRequest;
use adal_core::sql::conflict_on_unique;

use crate::campaigns::{self, parse_category};
use crate::money::age_in_months;
use crate::ranking;
use crate::scope;
use crate::vocab::VoucherRefusal;
use crate::vocab::{
    ClubDirection, VoucherApplicationStatus, VoucherCampaignStatus, VoucherCategoryStatus,
};

/// What a parent submits.
#[derive(Debug, Clone)]
pub struct ApplicationDraft {
    pub campaign_id: i64,
    pub child_iin: Iin,
    pub direction: ClubDirection,
    /// Declared categories with their evidence (a certificate's number, a document's reference).
    pub categories: Vec<(String, String)>,
    /// A document proving guardianship when the registry does not show it.
    pub guardianship_evidence: Option<String>,
}

/// An application with its declared categories.
#[derive(Debug, Clone)]
pub struct Filed {
    pub application: application::Model,
    pub categories: Vec<category::Model>,
}

fn window_open(c: &voucher_campaign::Model, now: DateTime<Utc>) -> ApiResult<()> {
    if now < c.opens_at {
        return Err(ApiError::ConflictBecause {
            reason: VoucherRefusal::WindowNotOpen.into(),
            message: format!(
                "applications open at {}",
                c.opens_at.format("%Y-%m-%d %H:%M UTC")
            ),
        });
    }
    if now >= c.closes_at || c.status != VoucherCampaignStatus::Open.as_str() {
        return Err(ApiError::ConflictBecause {
            reason: VoucherRefusal::WindowClosed.into(),
            message: format!(
                "applications closed at {}",
                c.closes_at.format("%Y-%m-%d %H:%M UTC")
            ),
        });
    }
    Ok(())
}

/// Files an application for a child (the caller is a parent with a linked person).
pub async fn apply(
    db: &DatabaseConnection,
    actor: &Actor,
    draft: ApplicationDraft,
    now: DateTime<Utc>,
) -> ApiResult<Filed> {
    let parent_id = actor.person_id.ok_or(ApiError::Forbidden)?;
    let txn = begin_write(db).await?;
    let campaign = campaigns::get(&txn, draft.campaign_id).await?;
    window_open(&campaign, now)?;
    let directions = campaigns::directions(&txn, campaign.id).await?;
    if !directions
        .iter()
        .any(|d| d.direction == draft.direction.as_str())
    {
        return Err(ApiError::BadInputBecause {
            field: "direction".into(),
            reason: VoucherRefusal::DirectionNotOffered.into(),
            value: draft.direction.as_str().into(),
            message: "this campaign does not offer vouchers in that direction".into(),
        });
    }
    let table = campaigns::table_of(&campaigns::table(&txn, campaign.priority_table_id).await?)?;
    let mut declared: Vec<(String, String)> = Vec::new();
    for (code, evidence) in &draft.categories {
        let code = parse_category(code)?;
        if !table.weights.contains_key(&code) {
            return Err(ApiError::BadInputBecause {
                field: "categories".into(),
                reason: VoucherRefusal::UnknownCategory.into(),
                value: code,
                message: "the campaign's priority table has no such category".into(),
            });
        }
        let evidence = evidence.trim();
        if evidence.is_empty() || evidence.len() > 500 {
            return Err(ApiError::BadInputBecause {
                field: "categories".into(),
                reason: VoucherRefusal::EvidenceRequired.into(),
                value: code,
                message: "each category needs its evidence (up to 500 characters)".into(),
            });
        }
        if declared.iter().any(|(c, _)| *c == code) {
            return Err(ApiError::bad_input(
                "categories",
                "each category is declared once",
            ));
        }
        declared.push((code, evidence.to_owned()));
    }

    // Guardianship as the registry shows it now; otherwise held for the akimat, with a document.
    let not_guardian = || ApiError::BadInputBecause {
        field: "childIin".into(),
        reason: VoucherRefusal::NotGuardian.into(),
        value: String::new(),
        message: "the persons registry does not show you as this child's parent; give the \
                  document that proves guardianship (a birth certificate, a court decision) \
                  for the akimat to verify"
            .into(),
    };
    let child = person::Entity::find()
        .filter(person::Column::Iin.eq(draft.child_iin.as_str()))
        .one(&txn)
        .await?
        .ok_or_else(not_guardian)?;
    let is_guardian = guardianship::Entity::find()
        .filter(guardianship::Column::ParentPersonId.eq(parent_id))
        .filter(guardianship::Column::ChildPersonId.eq(child.id))
        .count(&txn)
        .await?
        > 0;
    let evidence = draft
        .guardianship_evidence
        .as_deref()
        .map(str::trim)
        .filter(|e| !e.is_empty())
        .map(str::to_owned);
    let status = match (is_guardian, &evidence) {
        (true, _) => VoucherApplicationStatus::Submitted,
        (false, Some(_)) => VoucherApplicationStatus::Held,
        (false, None) => return Err(not_guardian()),
    };

    let birth = child
        .birth_date
        .or_else(|| draft.child_iin.birth_date_hint());
    if let Some(birth) = birth {
        let years = age_in_months(birth, campaign.closes_at.date_naive()) / 12;
        if years < campaign.age_min || years > campaign.age_max {
            return Err(ApiError::BadInputBecause {
                field: "childIin".into(),
                reason: VoucherRefusal::AgeOutOfRange.into(),
                value: years.to_string(),
                message: format!(
                    "the campaign serves children of {}-{} years; the child is {years} when \
                     applications close",
                    campaign.age_min, campaign.age_max
                ),
            });
        }
    }

    let mut salt = [0u8; 16];
    rand::rng().fill_bytes(&mut salt);
    let salt = hex::encode(salt);
    let saved = application::ActiveModel {
        campaign_id: Set(campaign.id),
        child_person_id: Set(child.id),
        parent_person_id: Set(parent_id),
        direction: Set(draft.direction.as_str().to_owned()),
        status: Set(status.as_str().to_owned()),
        child_hash: Set(ranking::child_hash(&salt, draft.child_iin.as_str())),
        salt: Set(salt),
        guardianship_evidence: Set(evidence),
        score: Set(None),
        rank: Set(None),
        age_months: Set(None),
        reason: Set(None),
        submitted_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .map_err(conflict_on_unique(
        VoucherRefusal::AlreadyApplied,
        "this child already has an application in this campaign (one child, one voucher per campaign, whichever parent applies)",
    ))?;
    let mut categories = Vec::with_capacity(declared.len());
    for (code, evidence) in declared {
        categories.push(
            category::ActiveModel {
                application_id: Set(saved.id),
                category: Set(code),
                evidence: Set(evidence),
                status: Set(VoucherCategoryStatus::Declared.as_str().to_owned()),
                reason: Set(None),
                decided_by: Set(None),
                decided_at: Set(None),
                ..Default::default()
            }
            .insert(&txn)
            .await?,
        );
    }
    audit::record(
        &txn,
        Some(actor.account_id),
        "voucher.applied",
        "voucher_application",
        saved.id,
        json!({"campaign": campaign.id, "direction": saved.direction, "status": saved.status,
               "categories": categories.iter().map(|c| &c.category).collect::<Vec<_>>()}),
    )
    .await?;
    txn.commit().await?;
    Ok(Filed {
        application: saved,
        categories,
    })
}

async fn open_campaign_of(
    txn: &impl ConnectionTrait,
    actor: &Actor,
    application_id: i64,
) -> ApiResult<(application::Model, voucher_campaign::Model)> {
    let app = application::Entity::find_by_id(application_id)
        .one(txn)
        .await?
        .ok_or(ApiError::NotFound("application"))?;
    let campaign = campaigns::get_managed(txn, actor, app.campaign_id)
        .await
        .map_err(|_| ApiError::NotFound("application"))?;
    if campaign.status != VoucherCampaignStatus::Open.as_str() {
        return Err(ApiError::ConflictBecause {
            reason: VoucherRefusal::AlreadyAllocated.into(),
            message: "the campaign's vouchers are allocated; its applications are final".into(),
        });
    }
    Ok((app, campaign))
}

fn require_reason(confirm: bool, reason: Option<String>) -> ApiResult<Option<String>> {
    adal_core::reason::unless_favourable(
        confirm,
        reason.as_deref(),
        "a rejection states its reason",
    )
}

/// The akimat confirms or rejects one declared category (a rejection with its reason).
pub async fn decide_category(
    db: &DatabaseConnection,
    actor: &Actor,
    category_id: i64,
    confirm: bool,
    reason: Option<String>,
) -> ApiResult<category::Model> {
    let reason = require_reason(confirm, reason)?;
    let txn = begin_write(db).await?;
    let cat = category::Entity::find_by_id(category_id)
        .one(&txn)
        .await?
        .ok_or(ApiError::NotFound("category"))?;
    let (app, _) = open_campaign_of(&txn, actor, cat.application_id)
        .await
        .map_err(|e| match e {
            ApiError::NotFound(_) => ApiError::NotFound("category"),
            e => e,
        })?;
    let status = if confirm {
        VoucherCategoryStatus::Confirmed
    } else {
        VoucherCategoryStatus::Rejected
    };
    let mut am = cat.into_active_model();
    am.status = Set(status.as_str().to_owned());
    am.reason = Set(reason.clone());
    am.decided_by = Set(Some(actor.account_id));
    am.decided_at = Set(Some(Utc::now()));
    let saved = am.update(&txn).await?;
    audit::record(
        &txn,
        Some(actor.account_id),
        "voucher.category.decided",
        "voucher_application",
        app.id,
        json!({"category": saved.category, "status": status.as_str(), "reason": reason}),
    )
    .await?;
    txn.commit().await?;
    Ok(saved)
}

/// The akimat decides a held application: the document proves guardianship (the registry
/// gains the link and the application joins the allocation) or it does not (refused, with
/// the reason).
pub async fn decide_guardianship(
    db: &DatabaseConnection,
    actor: &Actor,
    application_id: i64,
    accept: bool,
    reason: Option<String>,
) -> ApiResult<application::Model> {
    let reason = require_reason(accept, reason)?;
    let txn = begin_write(db).await?;
    let (app, _) = open_campaign_of(&txn, actor, application_id).await?;
    if app.status != VoucherApplicationStatus::Held.as_str() {
        return Err(ApiError::ConflictBecause {
            reason: VoucherRefusal::NotHeld.into(),
            message: "this application is not waiting for a guardianship decision".into(),
        });
    }
    if accept {
        guardianship::ActiveModel {
            parent_person_id: Set(app.parent_person_id),
            child_person_id: Set(app.child_person_id),
            created_at: Set(Utc::now()),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
    }
    let status = if accept {
        VoucherApplicationStatus::Submitted
    } else {
        VoucherApplicationStatus::Refused
    };
    let mut am = app.into_active_model();
    am.status = Set(status.as_str().to_owned());
    am.reason = Set(reason.clone());
    am.updated_at = Set(Utc::now());
    let saved = am.update(&txn).await?;
    audit::record(
        &txn,
        Some(actor.account_id),
        "voucher.guardianship.decided",
        "voucher_application",
        saved.id,
        json!({"accepted": accept, "reason": reason}),
    )
    .await?;
    txn.commit().await?;
    Ok(saved)
}

/// A campaign's applications for its akimat officer, in rank order once allocated.
pub async fn for_campaign(
    db: &DatabaseConnection,
    actor: &Actor,
    campaign_id: i64,
    status: Option<VoucherApplicationStatus>,
    order: Order,
    page: &PageRequest,
) -> ApiResult<(Vec<application::Model>, u64)> {
    use sea_orm::Condition;
    use sea_orm::sea_query::{Expr, ExprTrait};
    let campaign = campaigns::get_managed(db, actor, campaign_id).await?;
    let mut q = application::Entity::find().filter(application::Column::CampaignId.eq(campaign.id));
    if let Some(s) = status {
        q = q.filter(application::Column::Status.eq(s.as_str()));
    }
    let total = q.clone().count(db).await?;
    let (rank, id) = (application::Column::Rank, application::Column::Id);
    let q = match order {
        Order::Submitted => {
            if let Some(after) = page.after_id()? {
                q = q.filter(id.gt(after));
            }
            q.order_by_asc(id)
        }
        Order::Rank => {
            match page.after.as_deref().map(RankKey::parse).transpose()? {
                Some(RankKey::Ranked(r, i)) => {
                    q = q.filter(
                        Condition::any()
                            .add(rank.gt(r))
                            .add(Condition::all().add(rank.eq(r)).add(id.gt(i)))
                            .add(rank.is_null()),
                    );
                }
                Some(RankKey::Unranked(i)) => {
                    q = q.filter(rank.is_null()).filter(id.gt(i));
                }
                None => {}
            }
            // The ranked first (SQLite and PostgreSQL place nulls apart), then the rest.
            q.order_by_asc(Expr::col(rank).is_null())
                .order_by_asc(rank)
                .order_by_asc(id)
        }
    };
    let rows = q.limit(page.fetch_limit()).all(db).await?;
    Ok((rows, total))
}

/// The order a campaign's applications are listed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Order {
    /// As they came in (by id).
    Submitted,
    /// By the allocation's rank, the unranked after the ranked (by id).
    Rank,
}

/// Where a page in rank order ends: a rank and the id, or an unranked id.
enum RankKey {
    Ranked(i32, i64),
    Unranked(i64),
}

impl RankKey {
    fn parse(s: &str) -> ApiResult<Self> {
        let bad = || ApiError::bad_input("after", "the cursor is not valid");
        if let Some(rest) = s.strip_prefix('r') {
            let (r, i) = rest.split_once(':').ok_or_else(bad)?;
            Ok(Self::Ranked(
                r.parse().map_err(|_| bad())?,
                i.parse().map_err(|_| bad())?,
            ))
        } else if let Some(i) = s.strip_prefix('n') {
            Ok(Self::Unranked(i.parse().map_err(|_| bad())?))
        } else {
            Err(bad())
        }
    }
}

/// An application's key in a page of the given order (the cursor after it).
pub fn page_key(order: Order, a: &application::Model) -> String {
    match (order, a.rank) {
        (Order::Submitted, _) => a.id.to_string(),
        (Order::Rank, Some(r)) => format!("r{r}:{}", a.id),
        (Order::Rank, None) => format!("n{}", a.id),
    }
}

/// The caller's children's applications (a parent's view), newest first.
pub async fn mine(db: &impl ConnectionTrait, actor: &Actor) -> ApiResult<Vec<application::Model>> {
    Ok(scope::children(actor)
        .apply(
            application::Entity::find(),
            application::Column::ChildPersonId,
        )
        .order_by_desc(application::Column::Id)
        .all(db)
        .await?)
}

/// One application the caller may see: as a parent of the child, or as the officer running
/// its campaign.
pub async fn get(
    db: &impl ConnectionTrait,
    actor: &Actor,
    id: i64,
) -> ApiResult<application::Model> {
    let app = application::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(ApiError::NotFound("application"))?;
    if scope::children(actor).contains(&app.child_person_id)
        || campaigns::get_managed(db, actor, app.campaign_id)
            .await
            .is_ok()
    {
        Ok(app)
    } else {
        Err(ApiError::NotFound("application"))
    }
}

/// Categories of applications, by application.
pub async fn categories_of(
    db: &impl ConnectionTrait,
    application_ids: &[i64],
) -> ApiResult<Vec<category::Model>> {
    if application_ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(category::Entity::find()
        .filter(category::Column::ApplicationId.is_in(application_ids.iter().copied()))
        .order_by_asc(category::Column::Id)
        .all(db)
        .await?)
}
