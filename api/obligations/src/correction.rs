//! Corrections of a graduate's study data: the university's corrected line (the graduates
//! import) and the operator's correction of one graduate's terms with a reason. Both compare
//! the same way ([`study_changes`]) and record `graduate.corrected` with the old and new values.

use chrono::NaiveDate;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    Set,
};
use serde_json::{Map, Value, json};

use entities::{graduate, obligation};

use super::evaluate;
use super::vocab::{FundingCategory, StudyLevel};
use adal_core::audit;
use adal_core::error::{ApiError, ApiResult};

/// Calls `$mac!` with the study data a correction compares: what a graduates line says of the
/// grant besides its key (person, university, specialty, listed graduation date).
macro_rules! with_study_fields {
    ($mac:ident) => {
        $mac!(
            specialty_name,
            specialty_group,
            level,
            funding_category,
            home_region_kato,
            study_start,
            graduation_date,
            grant_months,
            programme_months,
            budget_cost,
            referral_employer_id,
            referral_date
        )
    };
}

/// The study data of `new` (the fields it sets) that differ from `old`: the model to update and,
/// per changed field, `[old, new]`. With `listed` (what the university's previous line said,
/// [`listed_study`]), only the fields the new line changes since then count: a field the
/// university repeats is left as it is, also where an operator corrected it.
pub fn study_changes(
    old: &graduate::Model,
    new: &graduate::ActiveModel,
    listed: Option<&Map<String, Value>>,
) -> (graduate::ActiveModel, Map<String, Value>) {
    let mut changes = Map::new();
    let mut am: graduate::ActiveModel = old.clone().into();
    macro_rules! compare {
        ($($field:ident),*) => {$(
            if let Some(v) = new.$field.try_as_ref() {
                let repeated = listed
                    .is_some_and(|l| l.get(stringify!($field)) == Some(&json!(v)));
                if *v != old.$field && !repeated {
                    changes.insert(stringify!($field).to_owned(), json!([old.$field, v]));
                    am.$field = Set(v.clone());
                }
            }
        )*};
    }
    with_study_fields!(compare);
    (am, changes)
}

/// The study data a graduates line sets, as JSON (kept as `graduate.listed_study`).
pub fn listed_study(line: &graduate::ActiveModel) -> Map<String, Value> {
    let mut out = Map::new();
    macro_rules! collect {
        ($($field:ident),*) => {$(
            if let Some(v) = line.$field.try_as_ref() {
                out.insert(stringify!($field).to_owned(), json!(v));
            }
        )*};
    }
    with_study_fields!(collect);
    out
}

/// Moves the start of a graduate's obligation to follow a corrected graduation date (the work
/// starts from it; re-evaluation reads the rest).
pub async fn move_start(
    db: &impl ConnectionTrait,
    graduate_id: i64,
    graduation: NaiveDate,
) -> ApiResult<()> {
    obligation::Entity::update_many()
        .col_expr(
            obligation::Column::StartDate,
            Expr::value(super::import::start_of(graduation)),
        )
        .filter(obligation::Column::GraduateId.eq(graduate_id))
        .exec(db)
        .await?;
    Ok(())
}

/// The terms an operator may correct; `None` keeps the stored value.
#[derive(Debug, Default, Clone)]
pub struct TermsCorrection {
    pub funding_category: Option<FundingCategory>,
    pub grant_months: Option<i32>,
    pub programme_months: Option<i32>,
    pub graduation_date: Option<NaiveDate>,
    /// Whole tenge.
    pub budget_cost: Option<i64>,
}

/// Corrects one graduate's terms with the operator's reason, checked as the graduates import
/// checks a line; the change and the reason go to the audit trail in the same transaction,
/// then the graduate is re-evaluated.
pub async fn correct_terms(
    db: &DatabaseConnection,
    actor_account: i64,
    graduate_id: i64,
    c: TermsCorrection,
    reason: &str,
) -> ApiResult<()> {
    let reason = reason.trim();
    if reason.chars().count() < 3 {
        return Err(ApiError::bad_input(
            "reason",
            "say why the terms are corrected (at least 3 characters)",
        ));
    }
    let txn = adal_core::db::begin_write(db).await?;
    let old = graduate::Entity::find_by_id(graduate_id)
        .one(&txn)
        .await?
        .ok_or(ApiError::NotFound("graduate"))?;
    let grant = c.grant_months.unwrap_or(old.grant_months);
    let programme = c.programme_months.unwrap_or(old.programme_months);
    for (field, v) in [("grantMonths", grant), ("programmeMonths", programme)] {
        if !(1..=240).contains(&v) {
            return Err(ApiError::bad_input(
                field,
                "months must be between 1 and 240",
            ));
        }
    }
    if grant > programme {
        return Err(ApiError::bad_input(
            "grantMonths",
            "grant months exceed the programme",
        ));
    }
    if let Some(category) = c.funding_category
        && let Some(level) = StudyLevel::from_db(&old.level)
        && !category.admits(level)
    {
        return Err(ApiError::bad_input(
            "fundingCategory",
            format!(
                "a {} grant is for {} graduates, not {}",
                category.as_str(),
                category.as_str(),
                level.as_str()
            ),
        ));
    }
    if let Some(d) = c.graduation_date
        && d <= old.study_start
    {
        return Err(ApiError::bad_input(
            "graduationDate",
            "study must start before graduation",
        ));
    }
    if c.budget_cost.is_some_and(|v| v < 0) {
        return Err(ApiError::bad_input(
            "budgetCostKzt",
            "the budget cost cannot be negative",
        ));
    }
    let new = graduate::ActiveModel {
        funding_category: c
            .funding_category
            .map_or(Default::default(), |v| Set(v.as_str().to_owned())),
        grant_months: c.grant_months.map_or(Default::default(), Set),
        programme_months: c.programme_months.map_or(Default::default(), Set),
        graduation_date: c.graduation_date.map_or(Default::default(), Set),
        budget_cost: c.budget_cost.map_or(Default::default(), Set),
        ..Default::default()
    };
    let (am, changes) = study_changes(&old, &new, None);
    if changes.is_empty() {
        return Err(ApiError::bad_input(
            "input",
            "nothing to correct: the values are those already recorded",
        ));
    }
    am.update(&txn).await?;
    if let Some(d) = c.graduation_date {
        move_start(&txn, old.id, d).await?;
    }
    audit::record(
        &txn,
        Some(actor_account),
        "graduate.corrected",
        "graduate",
        old.id,
        json!({ "changes": changes, "reason": reason }),
    )
    .await?;
    adal_core::generation::bump(&txn, adal_core::generation::REGISTER).await?;
    txn.commit().await?;
    evaluate::evaluate_graduates(db, &[graduate_id]).await?;
    Ok(())
}
