//! The canteen: dishes with names in three languages, photo, price, portion and allergens; the
//! menu of each day; the ratings pupils' parents give a meal, averaged per dish and per week.

use std::collections::BTreeMap;

use chrono::{Datelike, Duration, NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    IntoActiveModel, QueryFilter, QueryOrder, Set,
};
use serde_json::json;

use entities::{school_dish, school_meal, school_meal_rating, school_menu_item};

use adal_core::error::{ApiError, ApiResult};
use adal_core::sql::conflict_on_unique;
use adal_core::{audit, documents};

use crate::meals;
use crate::roster;
use crate::vocab::SchoolRefusal;
use crate::vocab::{Allergen, allergens_to_db};

pub async fn dish(db: &impl ConnectionTrait, id: i64) -> ApiResult<school_dish::Model> {
    school_dish::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(ApiError::NotFound("dish"))
}

pub async fn dishes(
    db: &impl ConnectionTrait,
    school_id: i64,
    active_only: bool,
) -> ApiResult<Vec<school_dish::Model>> {
    let mut q = school_dish::Entity::find().filter(school_dish::Column::SchoolId.eq(school_id));
    if active_only {
        q = q.filter(school_dish::Column::Active.eq(true));
    }
    Ok(q.order_by_asc(school_dish::Column::Id).all(db).await?)
}

/// A dish to add or change.
#[derive(Debug, Clone)]
pub struct DishDraft {
    pub name_kk: String,
    pub name_ru: String,
    pub name_en: String,
    pub photo_url: Option<String>,
    pub price: i64,
    pub portion: String,
    pub allergens: Vec<Allergen>,
    pub active: bool,
}

fn check_dish(d: &DishDraft) -> ApiResult<()> {
    for (field, v) in [
        ("nameKk", &d.name_kk),
        ("nameRu", &d.name_ru),
        ("nameEn", &d.name_en),
    ] {
        if v.trim().is_empty() || v.chars().count() > 120 {
            return Err(ApiError::bad_input(field, "a name of 1 to 120 characters"));
        }
    }
    if !(0..=20_000).contains(&d.price) {
        return Err(ApiError::bad_input("price", "0 to 20,000 tenge"));
    }
    if d.portion.trim().is_empty() || d.portion.chars().count() > 32 {
        return Err(ApiError::bad_input(
            "portion",
            "e.g. 250 g, 1 to 32 characters",
        ));
    }
    if let Some(u) = &d.photo_url
        && (!(u.starts_with("https://") || u.starts_with('/')) || u.len() > 500)
    {
        return Err(ApiError::bad_input(
            "photoUrl",
            "an https:// address or a path on this server",
        ));
    }
    Ok(())
}

/// Adds a dish (`id` none) or changes one of the school's.
pub async fn save_dish(
    db: &DatabaseConnection,
    actor_account: i64,
    school_id: i64,
    id: Option<i64>,
    d: DishDraft,
) -> ApiResult<school_dish::Model> {
    check_dish(&d)?;
    let txn = adal_core::db::begin_write(db).await?;
    roster::school(&txn, school_id).await?;
    let mut am = match id {
        Some(id) => {
            let old = dish(&txn, id).await?;
            if old.school_id != school_id {
                return Err(ApiError::NotFound("dish"));
            }
            old.into_active_model()
        }
        None => school_dish::ActiveModel {
            school_id: Set(school_id),
            created_at: Set(Utc::now()),
            ..Default::default()
        },
    };
    am.name_kk = Set(d.name_kk.trim().to_owned());
    am.name_ru = Set(d.name_ru.trim().to_owned());
    am.name_en = Set(d.name_en.trim().to_owned());
    am.photo_url = Set(d.photo_url.clone());
    am.price = Set(d.price);
    am.portion = Set(d.portion.trim().to_owned());
    am.allergens = Set(allergens_to_db(&d.allergens));
    am.active = Set(d.active);
    let saved = if id.is_some() {
        am.update(&txn).await?
    } else {
        am.insert(&txn).await?
    };
    audit::record(
        &txn,
        Some(actor_account),
        "school.dish",
        "school_dish",
        saved.id,
        json!({ "school": school_id, "price": saved.price, "allergens": saved.allergens }),
    )
    .await?;
    txn.commit().await?;
    Ok(saved)
}

/// The largest dish photo taken.
pub const MAX_PHOTO_BYTES: usize = 2 * 1024 * 1024;

/// Where a dish photo is served from (public, like the menu).
pub fn photo_path(sha256: &str) -> String {
    format!("/schools/dish-photos/{sha256}")
}

/// Stores a photo of one of the school's dishes (PNG or JPEG, as its own bytes prove; at most
/// 2 MB) in the document store and shows it with the dish.
pub async fn set_photo(
    db: &DatabaseConnection,
    data_dir: &std::path::Path,
    actor_account: i64,
    school_id: i64,
    dish_id: i64,
    photo: documents::Document,
) -> ApiResult<school_dish::Model> {
    if !matches!(documents::sniff(&photo.bytes), "image/png" | "image/jpeg") {
        return Err(ApiError::bad_input("photo", "a PNG or JPEG picture"));
    }
    let docs = [photo];
    let stored = documents::store(data_dir, &docs, MAX_PHOTO_BYTES)?;
    let sha = stored
        .first()
        .map(|s| s.sha256.clone())
        .ok_or_else(|| ApiError::bad_input("photo", "no picture"))?;
    let txn = adal_core::db::begin_write(db).await?;
    let old = dish(&txn, dish_id).await?;
    if old.school_id != school_id {
        return Err(ApiError::NotFound("dish"));
    }
    let mut am = old.into_active_model();
    am.photo_url = Set(Some(photo_path(&sha)));
    let saved = am.update(&txn).await?;
    audit::record(
        &txn,
        Some(actor_account),
        "school.dish.photo",
        "school_dish",
        saved.id,
        json!({ "school": school_id, "sha256": sha }),
    )
    .await?;
    txn.commit().await?;
    Ok(saved)
}

/// A dish photo's bytes and type, when a dish shows it (no other stored document is served).
pub async fn photo(
    db: &impl ConnectionTrait,
    data_dir: &std::path::Path,
    sha256: &str,
) -> ApiResult<(Vec<u8>, &'static str)> {
    let shown = school_dish::Entity::find()
        .filter(school_dish::Column::PhotoUrl.eq(photo_path(sha256)))
        .one(db)
        .await?;
    if shown.is_none() {
        return Err(ApiError::NotFound("photo"));
    }
    let bytes = documents::read(data_dir, sha256)?;
    let kind = documents::sniff(&bytes);
    Ok((bytes, kind))
}

/// The dishes on a school's menu of a day.
pub async fn menu(
    db: &impl ConnectionTrait,
    school_id: i64,
    day: NaiveDate,
) -> ApiResult<Vec<school_dish::Model>> {
    let ids: Vec<i64> = school_menu_item::Entity::find()
        .filter(school_menu_item::Column::SchoolId.eq(school_id))
        .filter(school_menu_item::Column::Day.eq(day))
        .all(db)
        .await?
        .into_iter()
        .map(|i| i.dish_id)
        .collect();
    Ok(school_dish::Entity::find()
        .filter(school_dish::Column::Id.is_in(ids))
        .order_by_asc(school_dish::Column::Id)
        .all(db)
        .await?)
}

/// Sets the menu of a day (the whole list).
pub async fn set_menu(
    db: &DatabaseConnection,
    actor_account: i64,
    school_id: i64,
    day: NaiveDate,
    dish_ids: &[i64],
) -> ApiResult<Vec<school_dish::Model>> {
    let txn = adal_core::db::begin_write(db).await?;
    roster::school(&txn, school_id).await?;
    let mut ids = dish_ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    let found = school_dish::Entity::find()
        .filter(school_dish::Column::Id.is_in(ids.clone()))
        .filter(school_dish::Column::SchoolId.eq(school_id))
        .filter(school_dish::Column::Active.eq(true))
        .all(&txn)
        .await?;
    if found.len() != ids.len() {
        return Err(ApiError::bad_input(
            "dishIds",
            "every dish must be an active dish of this school",
        ));
    }
    school_menu_item::Entity::delete_many()
        .filter(school_menu_item::Column::SchoolId.eq(school_id))
        .filter(school_menu_item::Column::Day.eq(day))
        .exec(&txn)
        .await?;
    for id in &ids {
        school_menu_item::ActiveModel {
            school_id: Set(school_id),
            day: Set(day),
            dish_id: Set(*id),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
    }
    audit::record(
        &txn,
        Some(actor_account),
        "school.menu",
        "organisation",
        school_id,
        json!({ "day": day, "dishes": ids }),
    )
    .await?;
    let out = menu(&txn, school_id, day).await?;
    txn.commit().await?;
    Ok(out)
}

/// Rates a meal served to the child (1-5 and a comment): one rating per meal.
pub async fn rate(
    db: &DatabaseConnection,
    rater: i64,
    meal: &school_meal::Model,
    score: i32,
    comment: Option<String>,
) -> ApiResult<school_meal_rating::Model> {
    if !(1..=5).contains(&score) {
        return Err(ApiError::bad_input("score", "1 to 5"));
    }
    let comment = comment
        .map(|c| c.trim().to_owned())
        .filter(|c| !c.is_empty());
    if comment.as_ref().is_some_and(|c| c.chars().count() > 1000) {
        return Err(ApiError::bad_input("comment", "at most 1000 characters"));
    }
    let txn = adal_core::db::begin_write(db).await?;
    let r = school_meal_rating::ActiveModel {
        meal_id: Set(meal.id),
        school_id: Set(meal.school_id),
        pupil_person_id: Set(meal.person_id),
        day: Set(meal.day),
        dishes: Set(meal.dishes.clone()),
        rater_person_id: Set(rater),
        score: Set(score),
        comment: Set(comment),
        at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .map_err(conflict_on_unique(
        SchoolRefusal::AlreadyRated,
        "this meal has its rating",
    ))?;
    txn.commit().await?;
    Ok(r)
}

/// Who rated a meal, as the reader of the rating sees it.
#[derive(async_graphql::Enum, Copy, Clone, Debug, PartialEq, Eq)]
pub enum MealRater {
    /// The reader.
    You,
    /// The pupil who was served the meal.
    Pupil,
    /// A parent of the pupil (not the reader).
    Guardian,
}

/// Who gave `rating`, as the person `reader` (none for a machine client) sees it.
pub fn rater(rating: &school_meal_rating::Model, reader: Option<i64>) -> MealRater {
    if Some(rating.rater_person_id) == reader {
        MealRater::You
    } else if rating.rater_person_id == rating.pupil_person_id {
        MealRater::Pupil
    } else {
        MealRater::Guardian
    }
}

/// An average of ratings.
#[derive(Debug, Clone, PartialEq)]
pub struct Average {
    pub ratings: i32,
    pub average: f64,
}

/// A school's ratings over a span of days: averaged per dish and per week (the Monday it
/// starts), and the latest comments.
pub struct Ratings {
    pub dishes: BTreeMap<i64, Average>,
    pub weeks: BTreeMap<NaiveDate, Average>,
    /// The ratings with a comment, latest first, at most [`COMMENTS`] of them. Who rated is
    /// not among them: the school reads what families say of the food, not who said it.
    pub comments: Vec<school_meal_rating::Model>,
}

/// How many comments a span of ratings shows.
pub const COMMENTS: usize = 50;

/// Ratings of a school's meals between two days.
pub async fn averages(
    db: &impl ConnectionTrait,
    school_id: i64,
    from: NaiveDate,
    to: NaiveDate,
) -> ApiResult<Ratings> {
    let rows = school_meal_rating::Entity::find()
        .filter(school_meal_rating::Column::SchoolId.eq(school_id))
        .filter(school_meal_rating::Column::Day.gte(from))
        .filter(school_meal_rating::Column::Day.lte(to))
        .order_by_desc(school_meal_rating::Column::Day)
        .order_by_desc(school_meal_rating::Column::Id)
        .all(db)
        .await?;
    let mut dishes: BTreeMap<i64, (i32, i64)> = BTreeMap::new();
    let mut weeks: BTreeMap<NaiveDate, (i32, i64)> = BTreeMap::new();
    for r in &rows {
        for d in meals::dish_ids(&r.dishes) {
            let e = dishes.entry(d).or_default();
            e.0 += 1;
            e.1 += i64::from(r.score);
        }
        let monday = r.day - Duration::days(i64::from(r.day.weekday().num_days_from_monday()));
        let e = weeks.entry(monday).or_default();
        e.0 += 1;
        e.1 += i64::from(r.score);
    }
    let avg = |(n, sum): (i32, i64)| Average {
        ratings: n,
        average: if n == 0 {
            0.0
        } else {
            sum as f64 / f64::from(n)
        },
    };
    Ok(Ratings {
        dishes: dishes.into_iter().map(|(k, v)| (k, avg(v))).collect(),
        weeks: weeks.into_iter().map(|(k, v)| (k, avg(v))).collect(),
        comments: rows
            .into_iter()
            .filter(|r| r.comment.is_some())
            .take(COMMENTS)
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rating(pupil: i64, rater_person: i64) -> school_meal_rating::Model {
        school_meal_rating::Model {
            id: 1,
            meal_id: 1,
            school_id: 1,
            pupil_person_id: pupil,
            day: NaiveDate::from_ymd_opt(2026, 12, 7).unwrap(),
            dishes: String::new(),
            rater_person_id: rater_person,
            score: 5,
            comment: None,
            at: Utc::now(),
        }
    }

    #[test]
    fn who_rated_is_said_from_the_readers_side() {
        // The pupil (7) rated her own meal.
        let by_pupil = rating(7, 7);
        assert_eq!(rater(&by_pupil, Some(7)), MealRater::You);
        assert_eq!(rater(&by_pupil, Some(3)), MealRater::Pupil);
        assert_eq!(rater(&by_pupil, None), MealRater::Pupil);
        // Her parent (3) rated it.
        let by_parent = rating(7, 3);
        assert_eq!(rater(&by_parent, Some(3)), MealRater::You);
        assert_eq!(rater(&by_parent, Some(7)), MealRater::Guardian);
        assert_eq!(rater(&by_parent, Some(4)), MealRater::Guardian);
    }
}
