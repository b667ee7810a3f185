//! Demo obligations: a handful of graduates whose evidence shows every common status, loaded
//! through the real importers (so the demo exercises the same path as a deployment).

use chrono::{NaiveDate, Utc};
use sea_orm::DatabaseConnection;

use super::import::{ImportKind, import_file};
use super::period::Period;
use adal_core::identifiers::with_check_digit;

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

/// Loads the demo graduates; `graduate_iin` is the demo graduate account's person.
pub async fn seed(
    db: &DatabaseConnection,
    graduate_iin: &str,
    employers: &DemoEmployers,
) -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let last = Period::of_date(Utc::now().date_naive()).plus(-1);
    let uni = "990140004654";
    let aiana = iin("000304500"); // 2000-03-04
    let bekzat = iin("991120300");
    let anna = iin("030115600");
    let erlan = iin("010707500");
    let viktor = iin("000909500");
    let nurlan = iin("930214300");
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
    let contrib_path = dir.path().join("demo-contributions.csv");
    std::fs::write(&contrib_path, rows.join("\n"))?;
    import_file(db, ImportKind::Contributions, &contrib_path, None)
        .await
        .map_err(|e| anyhow::anyhow!("{}", e.message()))?;
    // A year of status history for the dashboard's trend, from the demo's own evidence.
    super::history::reconstruct(db, 12)
        .await
        .map_err(|e| anyhow::anyhow!("{}", e.message()))?;
    Ok(())
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
}
