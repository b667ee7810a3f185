//! Demo obligations: a handful of graduates whose evidence shows every common status, loaded
//! through the real importers (so the demo exercises the same path as a deployment), and the
//! cases the rules over time decide, each through the service a person would use: an
//! open-ended exemption voted by the commission, a village made urban by a localities import,
//! and a contract accepted after a 512 refusal.

use chrono::{Duration, NaiveDate, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};

use super::import::{ImportKind, import_file};
use super::period::Period;
use super::vocab::{ApplicationStatus, ConsentStatus, Ground, TASK_UPLOAD_EMPLOYMENT_DOCUMENTS};
use super::{consent, decisions, tasks};
use adal_core::documents::Document;
use adal_core::error::ApiError;
use adal_core::identifiers::with_check_digit;
use adal_core::settings::Settings;
use adal_notifications::vocab::MessageStatus;
use entities::{consent_request, graduate, graduate_task, notification_message, person};

const GRAD_HEADER: &str = "iin,last_name,first_name,middle_name,birth_date,phone,email,language,university_bin,specialty_code,specialty_name,specialty_group,level,funding_category,home_region_kato,study_start,graduation_date,grant_months,programme_months,budget_cost_kzt,referral_employer_bin,referral_date";

fn iin(prefix: &str) -> String {
    (0..100)
        .find_map(|n| with_check_digit(&format!("{prefix}{n:02}")))
        .unwrap_or_default()
}

/// A month's two records as a real feed carries them: the pension contribution (010, 10% of a
/// 300,000 tenge salary) and the social contribution (012, 5% of the salary less the pension
/// contribution), transferred with the salary on the month's last day.
fn months(iin: &str, bin: &str, from: Period, to: Period) -> Vec<String> {
    let mut out = Vec::new();
    let mut p = from;
    while p <= to {
        let paid = p.next().first_day() - chrono::Duration::days(1);
        out.push(format!("{iin},{bin},,,{p},{paid},30000.00,010"));
        out.push(format!("{iin},{bin},,,{p},{paid},13500.00,012"));
        p = p.next();
    }
    out
}

/// The same months as the operator's legal feed often gives them: the employer and the months
/// paid, without dates or amounts.
fn months_bare(iin: &str, bin: &str, from: Period, to: Period) -> Vec<String> {
    let mut out = Vec::new();
    let mut p = from;
    while p <= to {
        out.push(format!("{iin},{bin},,,{p},,,010"));
        p = p.next();
    }
    out
}

/// Loads the demo graduates and their cases; `people` names the accounts that act in them.
pub async fn seed(
    db: &DatabaseConnection,
    settings: &Settings,
    people: &DemoPeople,
    employers: &DemoEmployers,
) -> anyhow::Result<()> {
    let graduate_iin = people.graduate_iin.as_str();
    let dir = tempfile::tempdir()?;
    let last = Period::of_date(Utc::now().date_naive()).plus(-1);
    let uni = "990140004654";
    let aiana = iin("000304500"); // 2000-03-04
    let bekzat = iin("991120300");
    let anna = iin("030115600");
    let erlan = iin("010707500");
    let viktor = iin("000909500");
    let nurlan = iin("930214300");
    let yerzhan = iin("990303300");
    let zhanar = iin("010811600");
    let gulnar = people.contract_iin.as_str();
    let g = |iin: &str,
             last: &str,
             first: &str,
             lang: &str,
             code: &str,
             name: &str,
             group: &str,
             cat: &str,
             region: &str,
             grad: NaiveDate,
             cost: u32| {
        let start =
            NaiveDate::from_ymd_opt(chrono::Datelike::year(&grad) - 4, 9, 1).unwrap_or(grad);
        format!(
            "{iin},{last},{first},,,+77015550000,,{lang},{uni},{code},{name},{group},bachelor,{cat},{region},{start},{grad},48,48,{cost},,"
        )
    };
    // A doctor of philosophy who defended in December 2024: the obligation starts in January
    // 2025, and teaching at a Nazarbayev Intellectual School counts (seed 001).
    let phd = format!(
        "{nurlan},Әбенов,Нұрлан,,,+77015550000,,kk,{uni},8D05301,Химия,other,phd,phd,710000000,2021-09-01,2024-12-20,36,36,9600000,,"
    );
    // A nurse on the rural quota who refused the pension-data request (512) and proved her
    // work at the district hospital with her contract instead.
    let nurse = format!(
        "{gulnar},Сейітова,Гүлнар,,,+77015550042,,kk,{uni},6B10102,Мейіргер ісі,medical,bachelor,rural_quota,110000000,2020-09-01,2024-06-30,48,48,3000000,,"
    );
    let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap_or_default();
    let graduates = [
        GRAD_HEADER.to_owned(),
        g(
            graduate_iin,
            "Ахметов",
            "Дамир",
            "ru",
            "6B07101",
            "Агроинженерия",
            "technical",
            "state_order",
            "710000000",
            d(2024, 6, 30),
            2_800_000,
        ),
        g(
            &aiana,
            "Серікова",
            "Аяна",
            "kk",
            "6B01301",
            "Бастауыш оқыту педагогикасы",
            "pedagogical",
            "rural_quota",
            "110000000",
            d(2024, 6, 30),
            2_400_000,
        ),
        g(
            &bekzat,
            "Омаров",
            "Бекзат",
            "kk",
            "6B10101",
            "Жалпы медицина",
            "medical",
            "state_order",
            "350000000",
            d(2024, 6, 30),
            3_600_000,
        ),
        g(
            &anna,
            "Ли",
            "Анна",
            "ru",
            "6B10102",
            "Медсестринское дело",
            "medical",
            "rural_quota",
            "110000000",
            d(2026, 6, 30),
            3_000_000,
        ),
        g(
            &erlan,
            "Қасымов",
            "Ерлан",
            "kk",
            "6B01501",
            "Математика",
            "pedagogical",
            "state_order",
            "110000000",
            d(2025, 6, 30),
            2_400_000,
        ),
        g(
            &viktor,
            "Ким",
            "Виктор",
            "ru",
            "6B06101",
            "Информатика",
            "technical",
            "state_order",
            "710000000",
            d(2024, 6, 30),
            2_600_000,
        ),
        phd,
        // Contract military service from March 2025, with no end: the commission's exemption.
        g(
            &yerzhan,
            "Байжанов",
            "Ержан",
            "kk",
            "6B06101",
            "Информатика",
            "technical",
            "state_order",
            "710000000",
            d(2024, 6, 30),
            2_600_000,
        ),
        // A teacher at the school of a village made urban in January 2026.
        g(
            &zhanar,
            "Мұқанова",
            "Жанар",
            "kk",
            "6B01301",
            "Бастауыш оқыту педагогикасы",
            "pedagogical",
            "rural_quota",
            "110000000",
            d(2024, 6, 30),
            2_400_000,
        ),
        nurse,
    ];
    // The classifier names the demo's specialties in the three languages; a graduate's card
    // reads them in the page's language.
    let specialties = [
        "code,name_kk,name_ru,name_en",
        "6B07101,Агроинженерия,Агроинженерия,Agricultural engineering",
        "6B01301,Бастауыш оқытудың педагогикасы мен әдістемесі,Педагогика и методика начального обучения,Pedagogy and methods of primary education",
        "6B10101,Жалпы медицина,Общая медицина,General medicine",
        "6B10102,Мейіргер ісі,Сестринское дело,Nursing",
        "6B01501,Математика мұғалімдерін даярлау,Подготовка учителей математики,Mathematics teacher training",
        "6B06101,Информатика,Информатика,Computer science",
        "8D05301,Химия,Химия,Chemistry",
    ];
    let specialties_path = dir.path().join("demo-specialties.csv");
    std::fs::write(&specialties_path, specialties.join("\n"))?;
    import_file(db, ImportKind::Specialties, &specialties_path, None)
        .await
        .map_err(|e| anyhow::anyhow!("{}", e.message()))?;
    let grads_path = dir.path().join("demo-graduates.csv");
    std::fs::write(&grads_path, graduates.join("\n"))?;
    import_file(db, ImportKind::Graduates, &grads_path, None)
        .await
        .map_err(|e| anyhow::anyhow!("{}", e.message()))?;

    let sep24 = Period::new(2024, 9).unwrap_or(last);
    let mut rows = vec!["iin,employer_id,employer_name,employer_address,period,payment_date,amount_kzt,payment_code".to_owned()];
    rows.extend(months(graduate_iin, &employers.agro, sep24, last));
    rows.extend(months(&aiana, &employers.rural_school, sep24, last));
    rows.extend(months(&bekzat, &employers.hospital, sep24, sep24.plus(5)));
    rows.extend(months(
        &anna,
        &employers.city_school,
        Period::new(2026, 9).unwrap_or(last),
        last,
    ));
    let unknown = with_check_digit("21034000777").unwrap_or_default();
    rows.extend(
        months_bare(&erlan, &unknown, Period::new(2025, 9).unwrap_or(last), last)
            .into_iter()
            .map(|r| {
                r.replace(
                    &format!("{unknown},,,"),
                    &format!("{unknown},ИП Жұмабаев,\"Ақмола обл., Шортанды\","),
                )
            }),
    );
    rows.extend(months(&viktor, &employers.agro, sep24, last.plus(-5)));
    rows.extend(months(
        &nurlan,
        &employers.nis,
        Period::new(2025, 1).unwrap_or(last),
        last,
    ));
    let mar25 = Period::new(2025, 3).unwrap_or(last);
    rows.extend(months(&yerzhan, &employers.agro, sep24, mar25.plus(-1)));
    rows.extend(months(&zhanar, &employers.village_school, sep24, last));
    let contrib_path = dir.path().join("demo-contributions.csv");
    std::fs::write(&contrib_path, rows.join("\n"))?;
    import_file(db, ImportKind::Contributions, &contrib_path, None)
        .await
        .map_err(|e| anyhow::anyhow!("{}", e.message()))?;

    // The village is made urban from 1 January 2026 by the national list, as a deployment
    // learns it: the months Жанар taught there while it was rural stay credited.
    let village = &employers.village;
    let localities = [
        "kato,region_kato,name_kk,name_ru,name_en,rural,effective_from".to_owned(),
        format!(
            "{},{},{},{},{},false,2026-01-01",
            village.kato, village.region_kato, village.name_kk, village.name_ru, village.name_en
        ),
    ];
    let localities_path = dir.path().join("demo-localities.csv");
    std::fs::write(&localities_path, localities.join("\n"))?;
    import_file(db, ImportKind::Localities, &localities_path, None)
        .await
        .map_err(|e| anyhow::anyhow!("{}", e.message()))?;

    exemption_case(db, settings, people, &yerzhan, mar25).await?;
    contract_case(db, settings, people, &employers.hospital, sep24, last).await?;
    // A year of status history for the dashboard's trend, from the demo's own evidence.
    super::history::reconstruct(db, 12)
        .await
        .map_err(|e| anyhow::anyhow!("{}", e.message()))?;
    Ok(())
}

fn api(e: ApiError) -> anyhow::Error {
    anyhow::anyhow!("{}", e.message())
}

async fn graduate_of(db: &DatabaseConnection, iin: &str) -> anyhow::Result<graduate::Model> {
    let p = person::Entity::find()
        .filter(person::Column::Iin.eq(iin))
        .one(db)
        .await?
        .ok_or_else(|| anyhow::anyhow!("no demo person {iin}"))?;
    graduate::Entity::find()
        .filter(graduate::Column::PersonId.eq(p.id))
        .one(db)
        .await?
        .ok_or_else(|| anyhow::anyhow!("no demo graduate {iin}"))
}

/// Ержан's contract military service: the administrator files the application with the
/// contract, and the commission approves it vote by vote until the quorum decides.
async fn exemption_case(
    db: &DatabaseConnection,
    settings: &Settings,
    people: &DemoPeople,
    iin: &str,
    from: Period,
) -> anyhow::Result<()> {
    let g = graduate_of(db, iin).await?;
    let application = decisions::apply(
        db,
        &settings.data_dir,
        people.admin,
        decisions::Application {
            graduate_id: g.id,
            ground: Ground::ContractMilitaryService,
            period_start: Some(from.first_day()),
            period_end: None,
            statement: "Келісімшарт бойынша әскери қызмет, 2025 жылғы наурыздан. / Военная служба по контракту с марта 2025 года.".into(),
            documents: vec![Document {
                file_name: "contract-military-service.pdf".into(),
                content_type: "application/pdf".into(),
                bytes: pdf(&[
                    "Contract of military service No. 2025/031",
                    "Ministry of Defence of the Republic of Kazakhstan",
                    "Service from 1 March 2025, term: until the contract ends",
                ]),
            }],
        },
    )
    .await
    .map_err(api)?;
    for member in &people.commission {
        let decided = decisions::vote(
            db,
            *member,
            application.id,
            true,
            "Келісімшарт тіркелген. / Контракт приложен.",
            settings.commission_quorum,
        )
        .await
        .map_err(api)?;
        if decided.status != ApplicationStatus::Submitted.as_str() {
            break;
        }
    }
    Ok(())
}

/// Гүлнар's 512: the request left by SMS three weeks ago and she refused it, which opened
/// her task; she uploaded her employment contract and the administrator accepted it with the
/// employer and the months it proves.
async fn contract_case(
    db: &DatabaseConnection,
    settings: &Settings,
    people: &DemoPeople,
    hospital_bin: &str,
    from: Period,
    to: Period,
) -> anyhow::Result<()> {
    let g = graduate_of(db, &people.contract_iin).await?;
    let employer = format!("Shortandy district hospital, BIN {hospital_bin}");
    let request = consent::request(db, settings, people.admin, g.id)
        .await
        .map_err(api)?;
    // The request left three weeks ago.
    let sent = Utc::now() - Duration::days(21);
    let request_message = notification_message::Column::Id.eq(request.message_id.unwrap_or(-1));
    delivered(db, request_message, sent).await?;
    let reply = consent::receive(
        db,
        settings,
        consent::Inbound {
            id: Some(format!("demo-reply-{}", request.id)),
            from: request.phone.clone(),
            text: "512".into(),
            received_at: Some(sent + Duration::minutes(4)),
        },
    )
    .await
    .map_err(api)?;
    let answer = notification_message::Column::IdempotencyKey.eq(format!("reply:{}", reply.id));
    delivered(db, answer, sent + Duration::minutes(5)).await?;
    let task = graduate_task::Entity::find()
        .filter(graduate_task::Column::GraduateId.eq(g.id))
        .filter(graduate_task::Column::Kind.eq(TASK_UPLOAD_EMPLOYMENT_DOCUMENTS))
        .one(db)
        .await?
        .ok_or_else(|| anyhow::anyhow!("the 512 reply opened no task"))?;
    let refused = consent_request::Entity::find_by_id(request.id)
        .one(db)
        .await?
        .map(|r| r.status);
    anyhow::ensure!(
        refused.as_deref() == Some(ConsentStatus::Refused.as_str()),
        "the demo's 512 reply was not taken as a refusal: {refused:?}"
    );
    tasks::submit(
        db,
        &settings.data_dir,
        people.contract_graduate,
        g.person_id,
        task.id,
        "Еңбек шарты, аудандық аурухана. / Трудовой договор, районная больница.",
        vec![Document {
            file_name: "employment-contract.pdf".into(),
            content_type: "application/pdf".into(),
            bytes: pdf(&[
                "Employment contract No. 47",
                &employer,
                "Position: ward nurse, from 2 September 2024, indefinite term",
            ]),
        }],
    )
    .await
    .map_err(api)?;
    let proof = tasks::Proof::parse(
        Some(hospital_bin),
        Some(&from.to_string()),
        Some(&to.to_string()),
        Utc::now().date_naive(),
    )
    .map_err(api)?;
    tasks::review(
        db,
        people.admin,
        task.id,
        true,
        "Шарт аурухананың мөрімен расталған. / Договор заверен печатью больницы.",
        proof,
    )
    .await
    .map_err(api)?;
    // Whatever the review told her left as it was queued.
    let now = Utc::now();
    delivered(
        db,
        sea_orm::Condition::all()
            .add(notification_message::Column::PersonId.eq(g.person_id))
            .add(notification_message::Column::Status.eq(MessageStatus::Queued.as_str())),
        now,
    )
    .await?;
    Ok(())
}

/// The demo's history: the SMS gateway took the messages `which` selects at `at` (a running
/// server sends through the gateway it is configured with; the demo's history has none), so
/// a worker started on the demo finds nothing of it waiting.
async fn delivered(
    db: &DatabaseConnection,
    which: impl sea_orm::sea_query::IntoCondition,
    at: chrono::DateTime<Utc>,
) -> anyhow::Result<()> {
    notification_message::Entity::update_many()
        .col_expr(
            notification_message::Column::Status,
            Expr::value(MessageStatus::Sent.as_str()),
        )
        .col_expr(notification_message::Column::Attempts, Expr::value(1))
        .col_expr(notification_message::Column::QueuedAt, Expr::value(at))
        .col_expr(notification_message::Column::SentAt, Expr::value(Some(at)))
        .filter(which)
        .exec(db)
        .await?;
    Ok(())
}

/// A one-page PDF with `lines` of Latin text (the standard Helvetica font), with a correct
/// cross-reference table, so the demo's documents open in any viewer.
fn pdf(lines: &[&str]) -> Vec<u8> {
    let escape = |l: &str| {
        l.replace('\\', "\\\\")
            .replace('(', "\\(")
            .replace(')', "\\)")
    };
    let text: String = lines
        .iter()
        .enumerate()
        .map(|(i, l)| {
            format!(
                "BT /F1 12 Tf 60 {} Td ({}) Tj ET\n",
                780 - 20 * i,
                escape(l)
            )
        })
        .collect();
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_owned(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_owned(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>".to_owned(),
        format!("<< /Length {} >>\nstream\n{text}endstream", text.len()),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_owned(),
    ];
    let mut out = String::from("%PDF-1.4\n");
    let mut offsets = Vec::with_capacity(objects.len());
    for (i, o) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.push_str(&format!("{} 0 obj\n{o}\nendobj\n", i + 1));
    }
    let xref = out.len();
    out.push_str(&format!(
        "xref\n0 {}\n0000000000 65535 f \n",
        objects.len() + 1
    ));
    for o in offsets {
        out.push_str(&format!("{o:010} 00000 n \n"));
    }
    out.push_str(&format!(
        "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
        objects.len() + 1
    ));
    out.into_bytes()
}

/// The demo's persons and accounts that act in its cases.
pub struct DemoPeople {
    /// The demo graduate account's person (Дамир).
    pub graduate_iin: String,
    /// The person of the graduate whose contract is accepted after a 512 (Гүлнар).
    pub contract_iin: String,
    /// Her account: she uploads the contract herself.
    pub contract_graduate: i64,
    /// The operator's administrator, who files and reviews.
    pub admin: i64,
    /// The commission's members, who vote.
    pub commission: Vec<i64>,
}

/// The village the demo makes urban, as the seed's localities list has it.
pub struct DemoVillage {
    pub kato: String,
    pub region_kato: String,
    pub name_kk: String,
    pub name_ru: String,
    pub name_en: String,
}

/// BINs of the demo employers the scenarios use.
pub struct DemoEmployers {
    pub agro: String,
    pub rural_school: String,
    pub hospital: String,
    pub city_school: String,
    /// A Nazarbayev Intellectual School: where a PhD's work counts and an ordinary school's
    /// does not.
    pub nis: String,
    /// The school of the village made urban, and the village.
    pub village_school: String,
    pub village: DemoVillage,
}
