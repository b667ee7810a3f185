//! Demo data: a few regions and localities, organisations of every kind the portals need,
//! families, a graduate, and one account per role (password `adal-demo`), plus two machine
//! clients. Identifiers are generated with valid check digits; none belongs to a real person.

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter,
    Set,
};

use entities::{account, locality, locality_history, region};

use adal_core::auth::Role;
use adal_core::error::ApiError;
use adal_core::identifiers::with_check_digit;
use adal_core::settings::Settings;
use adal_core::vocab::{Language, OrganisationKind};
use adal_registers::accounts::service::{
    AccountDraft, AssignmentDraft, ClientDraft, create_account, create_client,
};
use adal_registers::people::service::{self as people, PersonDraft};
use adal_registers::reference::service::{OrganisationDraft, create_organisation};

pub const DEMO_PASSWORD: &str = "adal-demo";
pub const DEMO_INTEGRATION: (&str, &str) = ("demo-integration", "demo-integration-secret");
pub const DEMO_DEVICE: (&str, &str) = ("demo-turnstile", "demo-turnstile-secret");

/// The village the demo's localities import makes urban from 2026 (KATO, region, kk, ru, en);
/// rural until then.
const VILLAGE: (&str, &str, &str, &str, &str) = (
    "116657100",
    "110000000",
    "Ақжар ауылы",
    "село Акжар",
    "Akzhar village",
);

/// (KATO, kk, ru, en)
const REGIONS: &[(&str, &str, &str, &str)] = &[
    ("710000000", "Астана қаласы", "город Астана", "Astana city"),
    ("750000000", "Алматы қаласы", "город Алматы", "Almaty city"),
    (
        "790000000",
        "Шымкент қаласы",
        "город Шымкент",
        "Shymkent city",
    ),
    (
        "110000000",
        "Ақмола облысы",
        "Акмолинская область",
        "Akmola region",
    ),
    (
        "150000000",
        "Ақтөбе облысы",
        "Актюбинская область",
        "Aktobe region",
    ),
    (
        "190000000",
        "Алматы облысы",
        "Алматинская область",
        "Almaty region",
    ),
    (
        "230000000",
        "Атырау облысы",
        "Атырауская область",
        "Atyrau region",
    ),
    (
        "270000000",
        "Батыс Қазақстан облысы",
        "Западно-Казахстанская область",
        "West Kazakhstan region",
    ),
    (
        "310000000",
        "Жамбыл облысы",
        "Жамбылская область",
        "Zhambyl region",
    ),
    (
        "350000000",
        "Қарағанды облысы",
        "Карагандинская область",
        "Karaganda region",
    ),
    (
        "390000000",
        "Қостанай облысы",
        "Костанайская область",
        "Kostanay region",
    ),
    (
        "430000000",
        "Қызылорда облысы",
        "Кызылординская область",
        "Kyzylorda region",
    ),
    (
        "470000000",
        "Маңғыстау облысы",
        "Мангистауская область",
        "Mangystau region",
    ),
    (
        "550000000",
        "Павлодар облысы",
        "Павлодарская область",
        "Pavlodar region",
    ),
    (
        "590000000",
        "Солтүстік Қазақстан облысы",
        "Северо-Казахстанская область",
        "North Kazakhstan region",
    ),
    (
        "610000000",
        "Түркістан облысы",
        "Туркестанская область",
        "Turkistan region",
    ),
    (
        "630000000",
        "Шығыс Қазақстан облысы",
        "Восточно-Казахстанская область",
        "East Kazakhstan region",
    ),
];

/// (KATO, region, kk, ru, en, rural)
const LOCALITIES: &[(&str, &str, &str, &str, &str, bool)] = &[
    (
        "711100000",
        "710000000",
        "Астана",
        "Астана",
        "Astana",
        false,
    ),
    (
        "751100000",
        "750000000",
        "Алматы",
        "Алматы",
        "Almaty",
        false,
    ),
    (
        "111010000",
        "110000000",
        "Көкшетау",
        "Кокшетау",
        "Kokshetau",
        false,
    ),
    (
        "116430100",
        "110000000",
        "Шортанды кенті",
        "поселок Шортанды",
        "Shortandy settlement",
        true,
    ),
    (
        "116835100",
        "110000000",
        "Жалтыр ауылы",
        "село Жалтыр",
        "Zhaltyr village",
        true,
    ),
    (VILLAGE.0, VILLAGE.1, VILLAGE.2, VILLAGE.3, VILLAGE.4, true),
    (
        "351010000",
        "350000000",
        "Қарағанды",
        "Караганда",
        "Karaganda",
        false,
    ),
    (
        "355633100",
        "350000000",
        "Ботақара кенті",
        "поселок Ботакара",
        "Botakara settlement",
        true,
    ),
    (
        "551010000",
        "550000000",
        "Павлодар",
        "Павлодар",
        "Pavlodar",
        false,
    ),
];

fn bin(prefix: &str) -> String {
    // Registration year/month + type 4 (resident) + 0 (head office) + serial; the first serial
    // that has a check digit.
    (0..1000)
        .find_map(|n| with_check_digit(&format!("{prefix}40{n:05}")))
        .unwrap_or_default()
}

fn iin(birth: &str, century_sex: char, serial: u32) -> String {
    (serial..serial + 1000)
        .find_map(|n| with_check_digit(&format!("{birth}{century_sex}{:04}", n % 10_000)))
        .unwrap_or_default()
}

/// True when no account exists yet (a fresh database).
pub async fn is_empty(db: &DatabaseConnection) -> anyhow::Result<bool> {
    Ok(account::Entity::find().count(db).await? == 0)
}

fn e(err: ApiError) -> anyhow::Error {
    anyhow::anyhow!("{}", err.message())
}

/// Loads the demo data; refuses when it is already there.
/// Loads the demo data into an empty database; its documents are stored in the settings' data
/// folder, and its cases follow the settings' rules (the commission's quorum, the reply window).
pub async fn seed_demo(db: &DatabaseConnection, settings: &Settings) -> anyhow::Result<String> {
    if account::Entity::find()
        .filter(account::Column::Login.eq("admin"))
        .one(db)
        .await?
        .is_some()
    {
        return Ok("demo data already present: nothing to do".into());
    }
    let txn = adal_core::db::begin_write(db).await?;
    for (kato, kk, ru, en) in REGIONS {
        if region::Entity::find_by_id(*kato).one(&txn).await?.is_none() {
            region::ActiveModel {
                kato: Set((*kato).into()),
                name_kk: Set((*kk).into()),
                name_ru: Set((*ru).into()),
                name_en: Set((*en).into()),
            }
            .insert(&txn)
            .await?;
        }
    }
    for (kato, reg, kk, ru, en, rural) in LOCALITIES {
        if locality::Entity::find_by_id(*kato)
            .one(&txn)
            .await?
            .is_none()
        {
            locality::ActiveModel {
                kato: Set((*kato).into()),
                region_kato: Set((*reg).into()),
                name_kk: Set((*kk).into()),
                name_ru: Set((*ru).into()),
                name_en: Set((*en).into()),
                rural: Set(*rural),
            }
            .insert(&txn)
            .await?;
            // Its flag holds for every month, as a localities import records a new locality.
            locality_history::ActiveModel {
                kato: Set((*kato).into()),
                rural: Set(*rural),
                effective_from: Set(adal_obligations::evaluate::since_ever()),
                recorded_at: Set(Utc::now()),
                batch_id: Set(None),
                ..Default::default()
            }
            .insert(&txn)
            .await?;
        }
    }
    txn.commit().await?;

    let org = |bin: String, kind, kk: &str, ru: &str, en: &str, loc: &str| OrganisationDraft {
        bin,
        kind,
        name_kk: kk.into(),
        name_ru: ru.into(),
        name_en: en.into(),
        locality_kato: Some(loc.into()),
        region_kato: None,
        parent_id: None,
    };
    use OrganisationKind as K;
    let drafts = vec![
        org(
            "940140000385".into(),
            K::Operator,
            "«Қаржы орталығы» АҚ",
            "АО «Финансовый центр»",
            "JSC Financial Center",
            "711100000",
        ),
        org(
            "990140004654".into(),
            K::University,
            "Еуразия ұлттық университеті",
            "Евразийский национальный университет",
            "Eurasian National University",
            "711100000",
        ),
        org(
            "020140001689".into(),
            K::School,
            "№1 мектеп-лицей",
            "Школа-лицей №1",
            "School-lyceum No. 1",
            "711100000",
        ),
        org(
            bin("1503"),
            K::School,
            "Жалтыр орта мектебі",
            "Жалтырская средняя школа",
            "Zhaltyr secondary school",
            "116835100",
        ),
        org(
            bin("1709"),
            K::EducationProvider,
            "«Самғау» балалар клубы",
            "Детский клуб «Самгау»",
            "Samgau children's club",
            "711100000",
        ),
        org(
            bin("0512"),
            K::Akimat,
            "Астана қаласының әкімдігі",
            "Акимат города Астаны",
            "Akimat of Astana",
            "711100000",
        ),
        org(
            bin("1102"),
            K::Healthcare,
            "Шортанды аудандық ауруханасы",
            "Шортандинская районная больница",
            "Shortandy district hospital",
            "116430100",
        ),
        org(
            bin("1908"),
            K::Employer,
            "«Дала Агро» ЖШС",
            "ТОО «Дала Агро»",
            "Dala Agro LLP",
            "355633100",
        ),
        org(
            bin("0807"),
            K::Nis,
            "Астана қаласындағы химия-биология бағытындағы Назарбаев Зияткерлік мектебі",
            "Назарбаев Интеллектуальная школа химико-биологического направления г. Астаны",
            "Nazarbayev Intellectual School of Chemistry and Biology, Astana",
            "711100000",
        ),
        org(
            bin("1611"),
            K::School,
            "Ақжар орта мектебі",
            "Акжарская средняя школа",
            "Akzhar secondary school",
            VILLAGE.0,
        ),
    ];
    let mut orgs = Vec::new();
    for d in drafts {
        orgs.push(create_organisation(db, None, d).await.map_err(e)?);
    }
    let school = orgs[2].id;
    let provider = orgs[4].id;

    let person = |iin: String, last: &str, first: &str, middle: Option<&str>, lang| PersonDraft {
        iin,
        last_name: last.into(),
        first_name: first.into(),
        middle_name: middle.map(Into::into),
        birth_date: None,
        phone: Some("+77010000000".into()),
        email: None,
        language: lang,
    };
    let parent = people::create(
        db,
        None,
        person(
            iin("850312", '4', 1001),
            "Нұрланова",
            "Айгүл",
            Some("Серікқызы"),
            Language::Kk,
        ),
    )
    .await
    .map_err(e)?;
    let child1 = people::create(
        db,
        None,
        person(
            iin("150904", '5', 2001),
            "Нұрланов",
            "Әлихан",
            Some("Ерланұлы"),
            Language::Kk,
        ),
    )
    .await
    .map_err(e)?;
    let child2 = people::create(
        db,
        None,
        person(
            iin("180221", '6', 2002),
            "Нұрланова",
            "Аружан",
            Some("Ерланқызы"),
            Language::Kk,
        ),
    )
    .await
    .map_err(e)?;
    let graduate = people::create(
        db,
        None,
        person(
            iin("000515", '5', 3001),
            "Ахметов",
            "Дамир",
            Some("Асқарұлы"),
            Language::Ru,
        ),
    )
    .await
    .map_err(e)?;
    // A graduate with an account of her own: her contract is accepted after a 512.
    let nurse = people::create(
        db,
        None,
        PersonDraft {
            phone: Some("+77015550042".into()),
            ..person(
                iin("020614", '6', 3002),
                "Сейітова",
                "Гүлнар",
                Some("Маратқызы"),
                Language::Kk,
            )
        },
    )
    .await
    .map_err(e)?;
    let teacher = people::create(
        db,
        None,
        person(
            iin("900707", '4', 4001),
            "Иванова",
            "Мария",
            Some("Петровна"),
            Language::Ru,
        ),
    )
    .await
    .map_err(e)?;
    let teacher_child = people::create(
        db,
        None,
        person(
            iin("160130", '6', 4002),
            "Иванова",
            "Софья",
            None,
            Language::Ru,
        ),
    )
    .await
    .map_err(e)?;
    for (p, c) in [
        (parent.id, child1.id),
        (parent.id, child2.id),
        (teacher.id, teacher_child.id),
    ] {
        entities::guardianship::ActiveModel {
            parent_person_id: Set(p),
            child_person_id: Set(c),
            created_at: Set(Utc::now()),
            ..Default::default()
        }
        .insert(db)
        .await?;
    }

    let role = |role: Role| AssignmentDraft {
        role,
        organisation_id: None,
        region_kato: None,
        allowed_operations: None,
        allowed_fields: None,
    };
    let accounts: Vec<(&str, Option<i64>, Language, Vec<AssignmentDraft>)> = vec![
        ("admin", None, Language::Ru, vec![role(Role::OperatorAdmin)]),
        (
            "analyst",
            None,
            Language::Ru,
            vec![role(Role::OperatorAnalyst)],
        ),
        (
            "commission",
            None,
            Language::Kk,
            vec![role(Role::CommissionMember)],
        ),
        (
            "commission2",
            None,
            Language::Ru,
            vec![role(Role::CommissionMember)],
        ),
        (
            "commission3",
            None,
            Language::Kk,
            vec![role(Role::CommissionMember)],
        ),
        (
            "akimat",
            None,
            Language::Kk,
            vec![AssignmentDraft {
                region_kato: Some("710000000".into()),
                ..role(Role::AkimatOfficer)
            }],
        ),
        (
            "school.admin",
            None,
            Language::Kk,
            vec![AssignmentDraft {
                organisation_id: Some(school),
                ..role(Role::SchoolAdmin)
            }],
        ),
        (
            "school.staff",
            None,
            Language::Ru,
            vec![AssignmentDraft {
                organisation_id: Some(school),
                ..role(Role::SchoolStaff)
            }],
        ),
        (
            "provider",
            None,
            Language::Ru,
            vec![AssignmentDraft {
                organisation_id: Some(provider),
                ..role(Role::ProviderStaff)
            }],
        ),
        (
            "parent",
            Some(parent.id),
            Language::Kk,
            vec![role(Role::Parent)],
        ),
        (
            "graduate",
            Some(graduate.id),
            Language::Ru,
            vec![role(Role::Graduate)],
        ),
        (
            "graduate.contract",
            Some(nurse.id),
            Language::Kk,
            vec![role(Role::Graduate)],
        ),
        (
            "teacher.parent",
            Some(teacher.id),
            Language::Ru,
            vec![
                AssignmentDraft {
                    organisation_id: Some(school),
                    ..role(Role::SchoolStaff)
                },
                role(Role::Parent),
            ],
        ),
    ];
    let n_accounts = accounts.len();
    let mut account_ids = std::collections::HashMap::new();
    for (login, person_id, language, roles) in accounts {
        let created = create_account(
            db,
            None,
            AccountDraft {
                login: login.into(),
                password: DEMO_PASSWORD.into(),
                language,
                person_id,
                roles,
            },
        )
        .await
        .map_err(e)?;
        account_ids.insert(login, created.id);
    }
    let account_id = |login: &str| {
        account_ids
            .get(login)
            .copied()
            .ok_or_else(|| anyhow::anyhow!("no demo account {login}"))
    };
    let integration = create_client(
        db,
        None,
        ClientDraft {
            client_id: DEMO_INTEGRATION.0.into(),
            display_name: "Demo integration (state information system)".into(),
            role: Role::Integration,
            organisation_id: None,
            allowed_operations: Some(vec!["persons".into(), "person".into()]),
            // It matches persons by IIN and name; their contacts and birth dates reach it
            // masked.
            allowed_fields: Some(vec!["iin".into(), "name".into()]),
            // A state system matching persons in bulk: more than a person's default budget.
            cost_per_minute: Some(20_000),
            requests_per_minute: None,
            expires_at: None,
            secret: Some(DEMO_INTEGRATION.1.into()),
        },
    )
    .await
    .map_err(e)?;
    // The one operation it runs, registered: it may send the hash alone.
    let client = adal_core::auth::actor::Actor::load(db, integration.0.id)
        .await
        .map_err(e)?
        .ok_or_else(|| anyhow::anyhow!("the demo integration cannot act"))?;
    adal_core::clients::register(
        db,
        &client,
        "query MatchByIin($iin: String!) { persons(filter: {iin: $iin}, first: 1) { nodes { id iin fullName } } }",
        Utc::now(),
    )
    .await
    .map_err(e)?;
    create_client(
        db,
        None,
        ClientDraft {
            client_id: DEMO_DEVICE.0.into(),
            display_name: "Turnstile, main entrance, School-lyceum No. 1".into(),
            role: Role::Device,
            organisation_id: Some(school),
            allowed_operations: None,
            allowed_fields: None,
            cost_per_minute: None,
            requests_per_minute: None,
            expires_at: None,
            secret: Some(DEMO_DEVICE.1.into()),
        },
    )
    .await
    .map_err(e)?;
    use adal_obligations::demo::{DemoEmployers, DemoPeople, DemoVillage};
    adal_obligations::demo::seed(
        db,
        settings,
        &DemoPeople {
            graduate_iin: graduate.iin.clone(),
            contract_iin: nurse.iin.clone(),
            contract_graduate: account_id("graduate.contract")?,
            admin: account_id("admin")?,
            commission: vec![
                account_id("commission")?,
                account_id("commission2")?,
                account_id("commission3")?,
            ],
        },
        &DemoEmployers {
            agro: orgs[7].bin.clone(),
            rural_school: orgs[3].bin.clone(),
            hospital: orgs[6].bin.clone(),
            city_school: orgs[2].bin.clone(),
            nis: orgs[8].bin.clone(),
            village_school: orgs[9].bin.clone(),
            village: DemoVillage {
                kato: VILLAGE.0.into(),
                region_kato: VILLAGE.1.into(),
                name_kk: VILLAGE.2.into(),
                name_ru: VILLAGE.3.into(),
                name_en: VILLAGE.4.into(),
            },
        },
    )
    .await?;
    let templates = adal_obligations::demo_templates::seed_templates(db, None).await?;
    let vouchers = adal_vouchers::demo::seed(db).await.map_err(e)?;
    let schools = adal_schools::demo::seed(db).await.map_err(e)?;
    let sso = seed_sso(db).await?;
    seed_contest(db).await?;
    Ok(format!(
        "demo data loaded: {} regions, {} localities, {} organisations, 7 persons, {n_accounts} accounts (password {DEMO_PASSWORD}), 2 clients, 10 graduates with their evidence, {templates} notification templates, {vouchers}, {schools}, {sso}, 1 contest case",
        REGIONS.len(),
        LOCALITIES.len(),
        orgs.len()
    ))
}

/// Transparency's demo: `teacher.parent` contests the ranking that left her daughter Софья in
/// the queue, so the akimat's desk has a case to answer and her timeline a case waiting.
async fn seed_contest(db: &DatabaseConnection) -> anyhow::Result<()> {
    use adal_core::decisions::DecisionKind;
    use anyhow::Context;
    let account = account::Entity::find()
        .filter(account::Column::Login.eq("teacher.parent"))
        .one(db)
        .await?
        .context("no demo account teacher.parent")?;
    let e = |err: ApiError| anyhow::anyhow!("{}", err.message());
    let actor = adal_core::auth::actor::Actor::load(db, account.id)
        .await
        .map_err(e)?
        .context("teacher.parent cannot act")?;
    let sources = crate::wiring::decisions();
    let persons = adal_transparency::contest::own_persons(&actor);
    let ranking = sources
        .about(db, &persons)
        .await
        .map_err(e)?
        .into_iter()
        .find(|d| d.kind == DecisionKind::VoucherApplication)
        .context("no ranking of Софья's application")?;
    let contest = adal_transparency::contest::Contest {
        key: &ranking.key(),
        statement: "Софьяның әкесі – мұғалім, біз көпбалалы отбасымыз: балл тек бір санатты ескерген. / \
         Отец Софьи – учитель, мы многодетная семья: в балле учтена только одна категория.",
        documents: &[],
    };
    adal_transparency::contest::open(db, &sources, &actor, contest, chrono::Utc::now())
        .await
        .map_err(e)?;
    Ok(())
}

/// The PIN of the demo pupil (Аружан, 8) at the demo school, printed in the README.
pub const DEMO_PUPIL_PIN: &str = "246810";
/// The demo pupil's login for educational resources (her password is the demo password).
pub const DEMO_PUPIL_LOGIN: &str = "pupil";

/// Single sign-on's demo: the demo school's resource, Аружан's PIN there (her mother Айгүл
/// consents to identification by PIN) and Айгүл's permission for the resource.
async fn seed_sso(db: &DatabaseConnection) -> anyhow::Result<String> {
    use adal_schools::vocab::CredentialKind;
    use anyhow::Context;
    use entities::{guardianship, organisation, person, school_card};
    let e = |err: ApiError| anyhow::anyhow!("{}", err.message());
    let school = organisation::Entity::find()
        .filter(organisation::Column::Bin.eq(adal_schools::demo::SCHOOL_BIN))
        .one(db)
        .await?
        .context("no demo school")?;
    let login = |l: &'static str| async move {
        account::Entity::find()
            .filter(account::Column::Login.eq(l))
            .one(db)
            .await?
            .with_context(|| format!("no demo account {l}"))
    };
    let admin = login("school.admin").await?;
    let parent = login("parent").await?;
    let mother = parent.person_id.context("the demo parent has no person")?;
    let children: Vec<i64> = guardianship::Entity::find()
        .filter(guardianship::Column::ParentPersonId.eq(mother))
        .all(db)
        .await?
        .iter()
        .map(|g| g.child_person_id)
        .collect();
    let child = person::Entity::find()
        .filter(person::Column::Id.is_in(children))
        .filter(person::Column::FirstName.eq("Аружан"))
        .one(db)
        .await?
        .context("no demo child Аружан")?;
    adal_schools::cards::set_consent(db, parent.id, mother, child.id, CredentialKind::Pin, true)
        .await
        .map_err(e)?;
    let (card, _) = adal_schools::cards::issue_alternative(
        db,
        admin.id,
        school.id,
        child.id,
        CredentialKind::Pin,
    )
    .await
    .map_err(e)?;
    // The PIN the README names instead of the random one.
    let mut am: school_card::ActiveModel = card.into();
    am.credential = Set(adal_schools::cards::credential_key(
        school.id,
        CredentialKind::Pin,
        DEMO_PUPIL_PIN,
    ));
    am.update(db).await?;
    // Her login for the resources (a school issues `pupil.` and six digits with a drawn
    // password: `issuePupilLogin`; the demo's is one the README can name).
    create_account(
        db,
        Some(admin.id),
        adal_schools::logins::draft(DEMO_PUPIL_LOGIN.into(), DEMO_PASSWORD.into(), &child),
    )
    .await
    .map_err(e)?;
    adal_sso::demo::seed(
        db,
        adal_sso::demo::DemoPeople {
            school_id: school.id,
            school_admin_account: admin.id,
            parent_person: mother,
            child_person: child.id,
        },
    )
    .await
    .map_err(e)
}
