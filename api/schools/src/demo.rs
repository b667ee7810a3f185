//! The schools' demo data: School-lyceum No. 1 with its list (the demo families' children,
//! about twenty generated pupils, the teacher), cards for all, the main turnstile and two canteen
//! tills, a menu with allergens, Astana's meal policy, a few grounds, Аружан's milk block, and
//! one school day played through the devices (the last weekday whose lessons are over):
//! entries (two pupils late), Әлихан's lost card refused and replaced, meals at both tills
//! (Аружан's porridge refused for milk, Софья's second meal paid from her balance), the second
//! till's batch uploaded late, exits, and Мария's rating of Софья's lunch with a comment.
//! Loaded quietly: nobody is told of a day that has passed.

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc, Weekday};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder, Set,
};

use entities::{account, guardianship, organisation, person, school_device, school_meal};

use adal_core::error::{ApiError, ApiResult};
use adal_core::identifiers::with_check_digit;

use crate::events::{EventIn, Notices, upload_with};
use crate::policy::{GroundDraft, PolicyDraft, Reduced};
use crate::roster::ProfileDraft;
use crate::rules::{at_local, local, local_day, parse_hhmm};
use crate::vocab::{Allergen, CredentialKind, DeviceKind, SchoolEventKind};
use crate::{allergens, balance, canteen, cards, devices, notices, policy, roster};

/// The demo school's BIN (School-lyceum No. 1, Astana).
pub const SCHOOL_BIN: &str = "020140001689";

/// The demo tills' client ids and secrets.
pub const TILLS: [(&str, &str); 2] = [
    ("demo-till-1", "demo-till-1-secret"),
    ("demo-till-2", "demo-till-2-secret"),
];

/// The demo turnstile's client id (created with the registers' demo data).
pub const TURNSTILE: &str = "demo-turnstile";

fn bad(e: impl std::fmt::Display) -> ApiError {
    ApiError::internal(anyhow::anyhow!("schools demo: {e}"))
}

async fn account_id(db: &DatabaseConnection, login: &str) -> ApiResult<i64> {
    Ok(account::Entity::find()
        .filter(account::Column::Login.eq(login))
        .one(db)
        .await?
        .ok_or_else(|| bad(format!("no account {login}")))?
        .id)
}

async fn person_of(db: &DatabaseConnection, login: &str) -> ApiResult<person::Model> {
    let acc = account::Entity::find()
        .filter(account::Column::Login.eq(login))
        .one(db)
        .await?
        .ok_or_else(|| bad(format!("no account {login}")))?;
    let id = acc
        .person_id
        .ok_or_else(|| bad(format!("{login} has no person")))?;
    person::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| bad(format!("no person of {login}")))
}

async fn children_of(db: &DatabaseConnection, parent: i64) -> ApiResult<Vec<person::Model>> {
    let ids: Vec<i64> = guardianship::Entity::find()
        .filter(guardianship::Column::ParentPersonId.eq(parent))
        .all(db)
        .await?
        .into_iter()
        .map(|g| g.child_person_id)
        .collect();
    Ok(person::Entity::find()
        .filter(person::Column::Id.is_in(ids))
        .all(db)
        .await?)
}

async fn person_by_iin(db: &DatabaseConnection, iin: &str) -> ApiResult<person::Model> {
    person::Entity::find()
        .filter(person::Column::Iin.eq(iin))
        .one(db)
        .await?
        .ok_or_else(|| bad(format!("no person {iin}")))
}

/// The school day the demo plays: today once lessons are over (15:00 local), else the last
/// weekday before.
pub fn demo_day(now: DateTime<Utc>) -> NaiveDate {
    let mut d = local_day(now);
    if local(now).time() < parse_hhmm("15:00").unwrap_or_default() {
        d -= Duration::days(1);
    }
    while matches!(d.weekday(), Weekday::Sat | Weekday::Sun) {
        d -= Duration::days(1);
    }
    d
}

/// The generated pupils: (IIN, last, first, class).
fn generated() -> Vec<(String, String, String, String)> {
    const LAST: [&str; 7] = [
        "Сейітов",
        "Ким",
        "Омаров",
        "Петров",
        "Жұмабаев",
        "Ли",
        "Ахмедов",
    ];
    const FIRST: [&str; 7] = [
        "Нұрсұлтан",
        "Артём",
        "Алан",
        "Данияр",
        "Тимур",
        "Ерасыл",
        "Мирас",
    ];
    const CLASSES: [(&str, i32); 3] = [("3Б", 17), ("4А", 16), ("7Б", 13)];
    let mut out = Vec::new();
    for i in 0..24u32 {
        let (class, year) = CLASSES[(i % 3) as usize];
        // Born in 20YY (century digit 5 or 6 by sex), a serial from 7000.
        let first11 = format!(
            "{year:02}{:02}{:02}{}{:04}",
            1 + i % 12,
            1 + i % 28,
            5 + i % 2,
            7000 + i
        );
        let Some(iin) = with_check_digit(&first11) else {
            continue;
        };
        out.push((
            iin,
            LAST[(i % 7) as usize].to_owned(),
            FIRST[((i + i / 7) % 7) as usize].to_owned(),
            class.to_owned(),
        ));
    }
    out
}

/// Loads the schools' demo data; says what it made.
pub async fn seed(db: &DatabaseConnection) -> ApiResult<String> {
    let school = organisation::Entity::find()
        .filter(organisation::Column::Bin.eq(SCHOOL_BIN))
        .one(db)
        .await?
        .ok_or_else(|| bad("no demo school"))?;
    let region = school
        .region_kato
        .clone()
        .ok_or_else(|| bad("the demo school has no region"))?;
    let s = school.id;
    let admin = account_id(db, "school.admin").await?;
    let staff = account_id(db, "school.staff").await?;
    let parent_account = account_id(db, "parent").await?;
    let now = Utc::now();
    let day = demo_day(now);
    let at = |hhmm: &str| at_local(day, parse_hhmm(hhmm).unwrap_or_default());

    roster::save_profile(
        db,
        admin,
        s,
        ProfileDraft {
            lessons_start: "08:30".into(),
            late_grace_minutes: 5,
            allow_credit: false,
            credit_limit: 0,
        },
    )
    .await?;

    // The families of the demo: Айгүл's Әлихан and Аружан, Мария's Софья; Мария teaches.
    let aigul = person_of(db, "parent").await?;
    let maria = person_of(db, "teacher.parent").await?;
    let kids = children_of(db, aigul.id).await?;
    let child = |name: &str| {
        kids.iter()
            .find(|p| p.first_name == name)
            .cloned()
            .ok_or_else(|| bad(format!("no demo child {name}")))
    };
    let (alikhan, aruzhan) = (child("Әлихан")?, child("Аружан")?);
    let sofya = children_of(db, maria.id)
        .await?
        .into_iter()
        .next()
        .ok_or_else(|| bad("no demo child of the teacher"))?;
    let mut csv = String::from(roster::LIST_HEADER);
    for (p, class) in [(&alikhan, "5А"), (&aruzhan, "3Б"), (&sofya, "4А")] {
        csv.push_str(&format!(
            "\npupil;{};{};{};{};{class};",
            p.iin,
            p.last_name,
            p.first_name,
            p.middle_name.clone().unwrap_or_default()
        ));
    }
    let generated = generated();
    for (iin, last, first, class) in &generated {
        csv.push_str(&format!("\npupil;{iin};{last};{first};;{class};"));
    }
    csv.push_str(&format!(
        "\nstaff;{};{};{};{};;teacher",
        maria.iin,
        maria.last_name,
        maria.first_name,
        maria.middle_name.clone().unwrap_or_default()
    ));
    let report = roster::import(db, admin, s, &csv).await?;
    if !report.rejected.is_empty() {
        return Err(bad(format!("list lines rejected: {:?}", report.rejected)));
    }
    let members = roster::members(db, s, None, None).await?;

    // Devices: the turnstile's client exists; the tills are registered here.
    let turnstile_account = account_id(db, TURNSTILE).await?;
    let turnstile = school_device::ActiveModel {
        account_id: Set(turnstile_account),
        school_id: Set(s),
        kind: Set(DeviceKind::Turnstile.as_str().into()),
        name: Set("Turnstile, main entrance".into()),
        registered_at: Set(now - Duration::days(90)),
        last_seq: Set(0),
        last_seen_at: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await?;
    let mut tills = Vec::new();
    for (i, (client, secret)) in TILLS.iter().enumerate() {
        let (d, _) = devices::register(
            db,
            admin,
            s,
            DeviceKind::Till,
            &format!("Canteen till {}", i + 1),
            client,
            Some((*secret).to_owned()),
        )
        .await?;
        let mut am = d.into_active_model();
        am.registered_at = Set(now - Duration::days(90));
        tills.push(am.update(db).await?);
    }

    // A card for everyone: UID 04 + the person's id.
    let uid = |person: i64| format!("04A1{person:06X}");
    for m in &members {
        cards::issue_card(db, staff, s, m.person_id, &uid(m.person_id)).await?;
    }

    // The canteen.
    let dish = |kk: &str, ru: &str, en: &str, price: i64, portion: &str, a: &[Allergen]| {
        canteen::DishDraft {
            name_kk: kk.into(),
            name_ru: ru.into(),
            name_en: en.into(),
            photo_url: None,
            price,
            portion: portion.into(),
            allergens: a.to_vec(),
            active: true,
        }
    };
    let drafts = vec![
        dish("Палау", "Плов", "Pilaf", 650, "250 г", &[]),
        dish(
            "Сүт ботқасы",
            "Молочная каша",
            "Milk porridge",
            350,
            "200 г",
            &[Allergen::Milk, Allergen::Gluten],
        ),
        dish(
            "Балық котлеті",
            "Рыбная котлета",
            "Fish cutlet",
            550,
            "120 г",
            &[Allergen::Fish, Allergen::Gluten, Allergen::Eggs],
        ),
        dish(
            "Жеміс компоты",
            "Компот",
            "Fruit compote",
            150,
            "200 мл",
            &[],
        ),
        dish("Нан", "Хлеб", "Bread", 50, "40 г", &[Allergen::Gluten]),
        dish("Айран", "Айран", "Ayran", 200, "200 мл", &[Allergen::Milk]),
    ];
    let mut dishes = Vec::new();
    for d in drafts {
        dishes.push(canteen::save_dish(db, staff, s, None, d).await?.id);
    }
    let (pilaf, porridge, fish, compote, bread, ayran) = (
        dishes[0], dishes[1], dishes[2], dishes[3], dishes[4], dishes[5],
    );
    for k in 0..7 {
        let d = day + Duration::days(k);
        let menu = if k % 2 == 0 {
            vec![pilaf, porridge, compote, bread, ayran]
        } else {
            vec![fish, porridge, compote, bread, ayran]
        };
        canteen::set_menu(db, staff, s, d, &menu).await?;
    }

    // The region's policy, grounds, blocks, top-ups, a parent's choice of notices.
    let akimat = account_id(db, "akimat").await?;
    policy::publish(
        db,
        akimat,
        PolicyDraft {
            region_kato: region,
            valid_from: day - Duration::days(120),
            free_categories: vec!["large_family".into()],
            reduced: vec![Reduced {
                category: "low_income".into(),
                price: 300,
            }],
            meal_cost: 650,
        },
    )
    .await?;
    policy::record_ground(
        db,
        admin,
        GroundDraft {
            school_id: s,
            person_id: alikhan.id,
            category: "large_family".into(),
            valid_from: day - Duration::days(90),
            valid_to: None,
            evidence: "Көпбалалы отбасы куәлігі / удостоверение многодетной семьи №4471".into(),
        },
    )
    .await?;
    let seventh: Vec<i64> = {
        let mut v = Vec::new();
        for (iin, _, _, class) in &generated {
            if class == "7Б" {
                v.push(person_by_iin(db, iin).await?.id);
            }
        }
        v
    };
    if let Some(first) = seventh.first() {
        policy::record_ground(
            db,
            admin,
            GroundDraft {
                school_id: s,
                person_id: *first,
                category: "low_income".into(),
                valid_from: day - Duration::days(60),
                valid_to: None,
                evidence: "Справка о доходах семьи №118".into(),
            },
        )
        .await?;
    }
    allergens::set_blocks(db, parent_account, aigul.id, aruzhan.id, &[Allergen::Milk]).await?;
    for (i, p) in std::iter::once(sofya.id)
        .chain(seventh.iter().copied())
        .enumerate()
    {
        let person = person::Entity::find_by_id(p)
            .one(db)
            .await?
            .ok_or_else(|| bad("pupil"))?;
        balance::top_up(
            db,
            balance::TopUp {
                reference: format!("demo-kaspi-{i:04}"),
                iin: person.iin,
                amount: 5_000,
                paid_at: at("07:00") - Duration::days(3),
            },
        )
        .await?;
    }
    notices::set_prefs(
        db,
        aigul.id,
        alikhan.id,
        notices::Prefs {
            kinds: SchoolEventKind::ALL.to_vec(),
            sms_kinds: vec![SchoolEventKind::Entry],
        },
    )
    .await?;

    // The day. Entries from 07:50, one a minute; the last two late.
    let card = |p: i64| uid(p);
    let ev = |seq: i64, kind, p: i64, t: DateTime<Utc>, dishes: Vec<i64>| EventIn {
        seq,
        kind,
        method: CredentialKind::Card,
        credential: card(p),
        at: t,
        dishes,
    };
    let mut seq = 0i64;
    let mut entries = Vec::new();
    let late: Vec<i64> = members
        .iter()
        .filter(|m| m.person_id != maria.id)
        .rev()
        .take(2)
        .map(|m| m.person_id)
        .collect();
    for (i, m) in members.iter().enumerate() {
        seq += 1;
        let t = if late.contains(&m.person_id) {
            at("08:41") + Duration::minutes(i as i64 % 3)
        } else {
            at("07:50") + Duration::seconds(40 * i as i64)
        };
        entries.push(ev(seq, SchoolEventKind::Entry, m.person_id, t, vec![]));
    }
    // The turnstile is online: each pass reaches Adal two seconds after it happened (one batch
    // sent after the last entry would make every earlier one a late upload).
    for e in entries {
        let received = e.at + Duration::seconds(2);
        upload_with(db, turnstile.id, vec![e], received, Notices::Quiet).await?;
    }

    // Әлихан lost his card at the break: blocked; his old card is refused at 12:20; a new one.
    let old = cards::of_person(db, Some(s), alikhan.id).await?;
    if let Some(c) = old.into_iter().next() {
        cards::block(db, staff, c, "lost at the break").await?;
    }
    seq += 1;
    upload_with(
        db,
        turnstile.id,
        vec![ev(
            seq,
            SchoolEventKind::Exit,
            alikhan.id,
            at("12:20"),
            vec![],
        )],
        at("12:20") + Duration::seconds(1),
        Notices::Quiet,
    )
    .await?;
    let new_uid = "04B2C3D4E5";
    cards::issue_card(db, staff, s, alikhan.id, new_uid).await?;

    // Lunch. Till 1, online: every pupil a meal; Аружан's porridge refused for milk.
    let (till1, till2) = (&tills[0], &tills[1]);
    let mut t1 = Vec::new();
    let mut t1_seq = 0i64;
    let mut lunch = at("12:00");
    let pupils: Vec<i64> = members
        .iter()
        .filter(|m| m.person_id != maria.id)
        .map(|m| m.person_id)
        .collect();
    for p in &pupils {
        t1_seq += 1;
        lunch += Duration::seconds(45);
        let (credential, dishes) = if *p == aruzhan.id {
            (card(*p), vec![porridge, compote])
        } else if *p == alikhan.id {
            (new_uid.to_owned(), vec![pilaf, compote, bread])
        } else {
            (card(*p), vec![pilaf, compote])
        };
        t1.push(EventIn {
            seq: t1_seq,
            kind: SchoolEventKind::Meal,
            method: CredentialKind::Card,
            credential,
            at: lunch,
            dishes,
        });
    }
    for e in t1 {
        let at_ = e.at;
        upload_with(
            db,
            till1.id,
            vec![e],
            at_ + Duration::seconds(1),
            Notices::Quiet,
        )
        .await?;
    }
    // Аружан takes pilaf instead.
    t1_seq += 1;
    lunch += Duration::seconds(30);
    upload_with(
        db,
        till1.id,
        vec![ev(
            t1_seq,
            SchoolEventKind::Meal,
            aruzhan.id,
            lunch,
            vec![pilaf, compote],
        )],
        lunch + Duration::seconds(1),
        Notices::Quiet,
    )
    .await?;
    // Till 2 was offline: Софья's second meal (paid: her free one was at till 1) and an ayran,
    // uploaded at 14:50.
    let t2 = vec![
        ev(
            1,
            SchoolEventKind::Meal,
            sofya.id,
            at("12:31"),
            vec![fish, bread],
        ),
        ev(2, SchoolEventKind::Meal, sofya.id, at("13:05"), vec![ayran]),
    ];
    upload_with(db, till2.id, t2, at("14:50"), Notices::Quiet).await?;
    // Мария rates Софья's lunch and says why, so the school's ratings show what families write.
    let sofya_lunch = school_meal::Entity::find()
        .filter(school_meal::Column::PersonId.eq(sofya.id))
        .filter(school_meal::Column::Day.eq(day))
        .order_by_asc(school_meal::Column::Id)
        .one(db)
        .await?
        .ok_or_else(|| bad("Софья's lunch was not stored"))?;
    canteen::rate(
        db,
        maria.id,
        &sofya_lunch,
        4,
        Some("Палау дәмді, бірақ компот тым тәтті.".into()),
    )
    .await?;

    // Exits from 13:30.
    let mut exits = Vec::new();
    for (i, m) in members.iter().enumerate() {
        seq += 1;
        let credential = if m.person_id == alikhan.id {
            new_uid.to_owned()
        } else {
            card(m.person_id)
        };
        exits.push(EventIn {
            seq,
            kind: SchoolEventKind::Exit,
            method: CredentialKind::Card,
            credential,
            at: at("13:30") + Duration::seconds(50 * i as i64),
            dishes: vec![],
        });
    }
    for e in exits {
        let received = e.at + Duration::seconds(2);
        upload_with(db, turnstile.id, vec![e], received, Notices::Quiet).await?;
    }

    Ok(format!(
        "a school with {} members, 3 devices, {} dishes and the day {day} played",
        members.len(),
        dishes.len()
    ))
}
