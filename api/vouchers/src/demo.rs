//! The vouchers' demo data: Astana's priority table, a campaign of this school year allocated
//! five weeks ago to thirty-three children (the demo families' and thirty generated ones), the
//! demo provider approved with three sections, the demo parent's children enrolled since then,
//! last month's attendance recorded (unanswered, it counts as confirmed: the akimat can compute
//! its payouts) and this month's waiting for the parent, and a summer campaign open for
//! applications.

use chrono::{Duration, NaiveDate, Utc};
use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, Set};

use entities::{
    account, guardianship, person, voucher, voucher_application, voucher_application_category,
};

use adal_core::auth::Actor;
use adal_core::error::{ApiError, ApiResult};
use adal_core::identifiers::{Iin, Kato, with_check_digit};

use crate::allocation::Notices;
use crate::applications::{self, ApplicationDraft};
use crate::attendance::{self, Row};
use crate::campaigns::{self, CampaignDraft, TableDraft};
use crate::clubs::{self, SectionDraft};
use crate::money::{self, add_months};
use crate::ranking::{self, TieBreak};
use crate::rules::Slot;
use crate::vocab::{ClubDirection, VoucherApplicationStatus, VoucherCategoryStatus};

/// Astana.
pub const REGION: &str = "710000000";

/// The priority table: Astana's twelve coefficients.
pub const WEIGHTS: &[(&str, i64)] = &[
    ("disability", 10),
    ("orphan", 9),
    ("no_parental_care", 9),
    ("disabled_family_member", 6),
    ("asp", 5),
    ("large_family", 4),
    ("single_parent", 3),
    ("low_income", 3),
    ("military_family", 2),
    ("teacher_family", 1),
    ("rural_relocated", 1),
    ("repressed_family", 1),
];

async fn actor(db: &DatabaseConnection, login: &str) -> ApiResult<Actor> {
    let acc = account::Entity::find()
        .filter(account::Column::Login.eq(login))
        .one(db)
        .await?
        .ok_or(ApiError::NotFound("demo account"))?;
    Actor::load(db, acc.id)
        .await?
        .ok_or(ApiError::NotFound("demo account"))
}

fn bad(e: impl std::fmt::Display) -> ApiError {
    ApiError::internal(anyhow::anyhow!("demo: {e}"))
}

/// Loads the demo campaigns. The demo accounts (`akimat`, `parent`, `teacher.parent`,
/// `provider`) must exist. Returns a line for the summary.
pub async fn seed(db: &DatabaseConnection) -> ApiResult<String> {
    let akimat = actor(db, "akimat").await?;
    let parent = actor(db, "parent").await?;
    let teacher = actor(db, "teacher.parent").await?;
    let provider = actor(db, "provider").await?;
    let region = Kato::parse(REGION).map_err(|e| bad(e.0))?;
    let now = Utc::now();
    let this_month = money::month_of(now.date_naive());

    let table = campaigns::create_table(
        db,
        &akimat,
        TableDraft {
            region: region.clone(),
            weights: WEIGHTS.iter().map(|(c, w)| ((*c).to_owned(), *w)).collect(),
            ties: vec![TieBreak::YoungerFirst, TieBreak::Lottery],
            note: "Астана, 12 коэффициентов".into(),
        },
    )
    .await?;
    let directions = vec![
        (ClubDirection::Sport, 15_000),
        (ClubDirection::Arts, 12_000),
        (ClubDirection::Technical, 14_000),
    ];
    let campaign = campaigns::open(
        db,
        &akimat,
        CampaignDraft {
            region: region.clone(),
            name: "Астана: балалар үйірмелері / детские кружки".into(),
            first_month: add_months(this_month, -3),
            last_month: add_months(this_month, 5),
            opens_at: now - Duration::days(70),
            closes_at: now - Duration::days(40),
            budget: 15 * 8 * 15_000,
            directions: directions.clone(),
            age_min: 4,
            age_max: 18,
            priority_table_id: table.id,
            unused_days: 60,
            confirm_days: 10,
            attendance_threshold_pct: 75,
        },
    )
    .await?;

    // The demo families apply through the service, as they would in the portal.
    let applied_on = now - Duration::days(55);
    // Allocated 38 days ago: always in an earlier month than today's.
    let allocated_on = now - Duration::days(38);
    let last_month = money::month_of(allocated_on.date_naive());
    let mut declared = Vec::new();
    for (who, iin, direction, cats) in [
        (
            &parent,
            child_iin(&parent, 1, db).await?,
            ClubDirection::Sport,
            vec![("disability", "МСЭ № 123456")],
        ),
        (
            &parent,
            child_iin(&parent, 0, db).await?,
            ClubDirection::Technical,
            vec![("large_family", "Куәлік № 77")],
        ),
        (
            &teacher,
            child_iin(&teacher, 0, db).await?,
            ClubDirection::Arts,
            vec![("teacher_family", "Справка с места работы")],
        ),
    ] {
        let filed = applications::apply(
            db,
            who,
            ApplicationDraft {
                campaign_id: campaign.id,
                child_iin: Iin::parse(&iin).map_err(|e| bad(e.0))?,
                direction,
                categories: cats
                    .iter()
                    .map(|(c, e)| ((*c).to_owned(), (*e).to_owned()))
                    .collect(),
                guardianship_evidence: None,
            },
            applied_on,
        )
        .await?;
        declared.extend(filed.categories.into_iter().map(|c| c.id));
    }
    for id in declared {
        applications::decide_category(db, &akimat, id, true, None).await?;
    }
    // Thirty more families, generated: most without a category, as in life.
    let shares: [&[&str]; 10] = [
        &[],
        &["large_family"],
        &[],
        &["asp", "large_family"],
        &[],
        &["single_parent"],
        &[],
        &["orphan"],
        &["low_income"],
        &[],
    ];
    for n in 0..30u32 {
        let birth = NaiveDate::from_ymd_opt(2011 + (n % 11) as i32, 1 + n % 12, 1 + n % 27)
            .ok_or_else(|| bad("a birth date"))?;
        let child = generated_person(db, birth, b'5' + (n % 2) as u8, 7000 + n * 7, n).await?;
        let mother = generated_person(
            db,
            NaiveDate::from_ymd_opt(1984 + (n % 10) as i32, 3, 1 + n % 27)
                .ok_or_else(|| bad("a birth date"))?,
            b'4',
            8000 + n * 7,
            n + 100,
        )
        .await?;
        guardianship::ActiveModel {
            parent_person_id: Set(mother.id),
            child_person_id: Set(child.id),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(db)
        .await?;
        let salt = format!("{:032x}", u128::from(n) * 7_919 + 1_000_003);
        let (direction, _) = directions[(n % 3) as usize];
        let app = voucher_application::ActiveModel {
            campaign_id: Set(campaign.id),
            child_person_id: Set(child.id),
            parent_person_id: Set(mother.id),
            direction: Set(direction.as_str().to_owned()),
            status: Set(VoucherApplicationStatus::Submitted.as_str().to_owned()),
            child_hash: Set(ranking::child_hash(&salt, &child.iin)),
            salt: Set(salt),
            guardianship_evidence: Set(None),
            score: Set(None),
            rank: Set(None),
            age_months: Set(None),
            reason: Set(None),
            submitted_at: Set(applied_on + Duration::minutes(i64::from(n))),
            updated_at: Set(applied_on),
            ..Default::default()
        }
        .insert(db)
        .await?;
        for c in shares[(n % 10) as usize] {
            voucher_application_category::ActiveModel {
                application_id: Set(app.id),
                category: Set((*c).to_owned()),
                evidence: Set("справка / анықтама".into()),
                status: Set(VoucherCategoryStatus::Confirmed.as_str().to_owned()),
                reason: Set(None),
                decided_by: Set(Some(akimat.account_id)),
                decided_at: Set(Some(applied_on)),
                ..Default::default()
            }
            .insert(db)
            .await?;
        }
    }
    let run =
        crate::allocation::run_with(db, &akimat, campaign.id, allocated_on, Notices::Quiet).await?;

    // The demo provider, approved, with a section in each direction.
    let org = provider
        .organisations(&[adal_core::auth::Role::ProviderStaff])
        .first()
        .copied()
        .ok_or_else(|| bad("the provider has no organisation"))?;
    let reg = clubs::register_provider(db, &provider, org, region.clone()).await?;
    clubs::decide_provider(db, &akimat, reg.id, true, None).await?;
    let slot = |d: u8, s: &str, e: &str| Slot::new(d, s, e).map_err(bad);
    let mut sections = Vec::new();
    for (name, direction, price, capacity, slots) in [
        (
            "Футбол / Football",
            ClubDirection::Sport,
            18_000,
            20,
            vec![slot(1, "16:00", "17:30")?, slot(3, "16:00", "17:30")?],
        ),
        (
            "Сурет / Рисование",
            ClubDirection::Arts,
            12_000,
            15,
            vec![slot(2, "15:00", "16:00")?, slot(4, "15:00", "16:00")?],
        ),
        (
            "Робототехника",
            ClubDirection::Technical,
            16_000,
            12,
            vec![slot(5, "16:00", "18:00")?],
        ),
    ] {
        sections.push(
            clubs::create_section(
                db,
                &provider,
                SectionDraft {
                    organisation_id: org,
                    region: region.clone(),
                    name: name.into(),
                    direction,
                    age_min: 5,
                    age_max: 16,
                    schedule: slots,
                    capacity,
                    locality: Some(Kato::parse("711100000").map_err(|e| bad(e.0))?),
                    address: "Астана, Достық көшесі 5".into(),
                    monthly_price: price,
                },
            )
            .await?,
        );
    }
    // The parent's children with a voucher use it from the month it was issued in: that
    // month's attendance was recorded then (unanswered for more than 10 days, it counts as
    // confirmed), this month's waits for the parent.
    let mut enrolled = 0;
    for v in voucher::Entity::find()
        .filter(voucher::Column::ChildPersonId.is_in(parent.children.iter().copied()))
        .all(db)
        .await?
    {
        if let Some(s) = sections.iter().find(|s| s.direction == v.direction) {
            clubs::enrol(db, &parent, v.id, s.id, allocated_on).await?;
            attendance::record_with(
                db,
                &provider,
                s.id,
                last_month,
                vec![Row {
                    voucher_id: v.id,
                    held: 8,
                    attended: 7,
                }],
                allocated_on + Duration::days(1),
                Notices::Quiet,
            )
            .await?;
            attendance::record_with(
                db,
                &provider,
                s.id,
                this_month,
                vec![Row {
                    voucher_id: v.id,
                    held: 6,
                    attended: 5,
                }],
                now,
                Notices::Quiet,
            )
            .await?;
            enrolled += 1;
        }
    }

    // A summer campaign open now, for applying in the portal.
    campaigns::open(
        db,
        &akimat,
        CampaignDraft {
            region,
            name: "Астана: жазғы үйірмелер / летние кружки".into(),
            first_month: add_months(this_month, 6),
            last_month: add_months(this_month, 8),
            opens_at: now - Duration::days(1),
            closes_at: now + Duration::days(30),
            budget: 40 * 3 * 15_000,
            directions,
            age_min: 4,
            age_max: 18,
            priority_table_id: table.id,
            unused_days: 14,
            confirm_days: 10,
            attendance_threshold_pct: 75,
        },
    )
    .await?;
    // The demo's history happened before the platform started: it is loaded without notices
    // (the demo families' numbers are placeholders), so the outbox has none of it.
    Ok(format!(
        "2 voucher campaigns (33 applications, {} vouchers issued, {enrolled} in use), 3 sections",
        run.issued
    ))
}

/// The IIN of the `n`-th child of a demo parent.
async fn child_iin(parent: &Actor, n: usize, db: &DatabaseConnection) -> ApiResult<String> {
    let mut children = parent.children.clone();
    children.sort_unstable();
    let id = children
        .get(n)
        .copied()
        .ok_or_else(|| bad("a demo child"))?;
    Ok(person::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| bad("a demo child"))?
        .iin)
}

const LAST: [&str; 6] = ["Сейітов", "Оспанов", "Ким", "Петров", "Жұмабаев", "Әбенов"];
const FIRST: [&str; 6] = ["Нұрлан", "Айбек", "Дина", "Мирас", "Алина", "Ерасыл"];

async fn generated_person(
    db: &DatabaseConnection,
    birth: NaiveDate,
    century_sex: u8,
    serial: u32,
    n: u32,
) -> ApiResult<person::Model> {
    let first11 = |s: u32| {
        format!(
            "{}{}{:04}",
            birth.format("%y%m%d"),
            century_sex as char,
            s % 10_000
        )
    };
    let iin = (serial..serial + 1000)
        .find_map(|s| with_check_digit(&first11(s)))
        .ok_or_else(|| bad("an IIN"))?;
    let now = Utc::now();
    Ok(person::ActiveModel {
        iin: Set(iin),
        last_name: Set(LAST[(n % 6) as usize].into()),
        first_name: Set(FIRST[(n / 6 % 6) as usize].into()),
        middle_name: Set(None),
        birth_date: Set(Some(birth)),
        phone: Set(None),
        email: Set(None),
        language: Set(if n.is_multiple_of(2) { "kk" } else { "ru" }.into()),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?)
}
