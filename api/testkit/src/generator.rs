//! Deterministic generator of realistic work-off obligations data, for benchmarks, load tests
//! and demos. Everything comes from one seeded [`StdRng`]: the same [`GenSpec`] gives the same
//! bytes. Rows are streamed to buffered files as they are made; only the small reference sets
//! (localities, employers) and the set of identifiers already issued stay in memory, so the
//! 5-million-row contributions file of the production scale costs a few megabytes.
//!
//! Files written into the output folder (UTF-8, comma-separated, header line first, RFC 4180
//! quoting where a field holds a comma, a quote or a line break):
//! - [`REGIONS_CSV`], columns [`REGIONS_HEADER`]: the 17 regions (oblasts and the three cities
//!   of republican significance), to import first into an empty database;
//! - [`LOCALITIES_CSV`], columns [`LOCALITIES_HEADER`];
//! - [`EMPLOYERS_CSV`], columns [`EMPLOYERS_HEADER`] (the ~30 universities included);
//! - [`GRADUATES_CSV`], columns [`GRADUATES_HEADER`];
//! - [`CONTRIBUTIONS_CSV`], columns [`CONTRIBUTIONS_HEADER`].
//!
//! What the data exercises: about 70% of graduates mostly work for a qualifying employer (with
//! short gaps, job changes and some months with a second, concurrent employer), about 10% work
//! for a non-qualifying employer, about 20% have long gaps or never work; about 20% of the
//! contribution rows carry no amount, about 1% are exact duplicates, and about 2% name an
//! employer that is not in `employers.csv` (a BIN, or the IIN of an individual entrepreneur)
//! with its name and address, for the importer to create and classify. None of the identifiers
//! belongs to a real person or organisation, except by chance.

use std::collections::HashSet;
use std::fmt::Write as _;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

use anyhow::Context;
use chrono::{Datelike, Duration, NaiveDate};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use adal_core::identifiers::with_check_digit;

pub const REGIONS_CSV: &str = "regions.csv";
pub const LOCALITIES_CSV: &str = "localities.csv";
pub const EMPLOYERS_CSV: &str = "employers.csv";
pub const GRADUATES_CSV: &str = "graduates.csv";
pub const CONTRIBUTIONS_CSV: &str = "contributions.csv";

pub const REGIONS_HEADER: &str = "kato,name_kk,name_ru,name_en";
pub const LOCALITIES_HEADER: &str = "kato,region_kato,name_kk,name_ru,name_en,rural";
pub const EMPLOYERS_HEADER: &str = "bin,kind,name_ru,locality_kato,activity_code";
pub const GRADUATES_HEADER: &str = "iin,last_name,first_name,middle_name,birth_date,phone,email,\
language,university_bin,specialty_code,specialty_name,specialty_group,level,funding_category,\
home_region_kato,study_start,graduation_date,grant_months,programme_months,budget_cost_kzt,\
referral_employer_bin,referral_date";
pub const CONTRIBUTIONS_HEADER: &str =
    "iin,employer_id,employer_name,employer_address,period,payment_date,amount_kzt,payment_code";

/// The last period (year, month) a contribution is generated for, whatever `months` says.
pub const LAST_PERIOD: (i32, u32) = (2026, 10);

/// What to generate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GenSpec {
    pub graduates: usize,
    /// Months of contributions per graduate from 1 September of the graduation year (capped at
    /// [`LAST_PERIOD`]).
    pub months: u32,
    pub seed: u64,
    pub first_graduation_year: i32,
    pub last_graduation_year: i32,
}

impl Default for GenSpec {
    /// The production scale: 183,000 graduates of 2022-2025, 36 months (about 5 million
    /// contribution rows).
    fn default() -> Self {
        Self {
            graduates: 183_000,
            months: 36,
            seed: 20_260_101,
            first_graduation_year: 2022,
            last_graduation_year: 2025,
        }
    }
}

/// Rows written per file (header lines not counted; duplicate contribution rows counted).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct GenSummary {
    pub regions: u64,
    pub graduates: u64,
    pub contributions: u64,
    pub employers: u64,
    pub localities: u64,
}

impl GenSummary {
    pub fn total_rows(&self) -> u64 {
        self.regions + self.graduates + self.contributions + self.employers + self.localities
    }
}

/// Writes the five files into `out_dir` (created when missing) and returns their row counts.
pub fn generate(spec: &GenSpec, out_dir: &Path) -> anyhow::Result<GenSummary> {
    anyhow::ensure!(
        spec.first_graduation_year <= spec.last_graduation_year,
        "first graduation year {} is after the last {}",
        spec.first_graduation_year,
        spec.last_graduation_year
    );
    anyhow::ensure!(
        (1990..=2100).contains(&spec.first_graduation_year)
            && (1990..=2100).contains(&spec.last_graduation_year),
        "graduation years must lie between 1990 and 2100"
    );
    std::fs::create_dir_all(out_dir)
        .with_context(|| format!("cannot create {}", out_dir.display()))?;
    let mut g = Generator {
        rng: StdRng::seed_from_u64(spec.seed),
        used_ids: HashSet::new(),
        localities: Vec::new(),
        orgs: Vec::new(),
        known_orgs: 0,
        universities: Vec::new(),
        pools: Pools::default(),
    };
    let mut summary = GenSummary::default();

    let mut out = CsvFile::create(out_dir, REGIONS_CSV, REGIONS_HEADER)?;
    summary.regions = write_regions(&mut out)?;
    out.finish()?;

    let mut out = CsvFile::create(out_dir, LOCALITIES_CSV, LOCALITIES_HEADER)?;
    summary.localities = g.localities(&mut out)?;
    out.finish()?;

    let mut out = CsvFile::create(out_dir, EMPLOYERS_CSV, EMPLOYERS_HEADER)?;
    summary.employers = g.employers(spec.graduates.div_ceil(8), &mut out)?;
    out.finish()?;
    g.unknown_employers(spec.graduates / 100 + 5)?;

    let mut grads = CsvFile::create(out_dir, GRADUATES_CSV, GRADUATES_HEADER)?;
    let mut contribs = CsvFile::create(out_dir, CONTRIBUTIONS_CSV, CONTRIBUTIONS_HEADER)?;
    let mut line = String::with_capacity(512);
    let mut row = Vec::with_capacity(512);
    for _ in 0..spec.graduates {
        let grad = g.graduate(spec, &mut line)?;
        grads.write_line(line.as_bytes())?;
        summary.graduates += 1;
        summary.contributions += g.contributions(spec, &grad, &mut row, &mut contribs)?;
    }
    grads.finish()?;
    contribs.finish()?;
    Ok(summary)
}

// ----------------------------------------------------------------------------------------------
// Reference data

struct RegionDef {
    code: &'static str,
    kk: &'static str,
    /// Russian name as written in addresses ("г. Астана", "Акмолинская область").
    ru: &'static str,
    en: &'static str,
    /// City of republican significance: urban only.
    city: bool,
    /// Population in thousands: weights where people live and work.
    weight: u32,
    serpin: bool,
    /// Towns (kk, ru, en): the city itself, or the oblast's urban localities.
    towns: &'static [(&'static str, &'static str, &'static str)],
}

const REGIONS: &[RegionDef] = &[
    RegionDef {
        code: "710000000",
        kk: "Астана қаласы",
        ru: "г. Астана",
        en: "Astana city",
        city: true,
        weight: 1400,
        serpin: false,
        towns: &[("Астана", "Астана", "Astana")],
    },
    RegionDef {
        code: "750000000",
        kk: "Алматы қаласы",
        ru: "г. Алматы",
        en: "Almaty city",
        city: true,
        weight: 2200,
        serpin: false,
        towns: &[("Алматы", "Алматы", "Almaty")],
    },
    RegionDef {
        code: "790000000",
        kk: "Шымкент қаласы",
        ru: "г. Шымкент",
        en: "Shymkent city",
        city: true,
        weight: 1200,
        serpin: false,
        towns: &[("Шымкент", "Шымкент", "Shymkent")],
    },
    RegionDef {
        code: "110000000",
        kk: "Ақмола облысы",
        ru: "Акмолинская область",
        en: "Akmola region",
        city: false,
        weight: 790,
        serpin: true,
        towns: &[
            ("Көкшетау", "Кокшетау", "Kokshetau"),
            ("Степногорск", "Степногорск", "Stepnogorsk"),
        ],
    },
    RegionDef {
        code: "150000000",
        kk: "Ақтөбе облысы",
        ru: "Актюбинская область",
        en: "Aktobe region",
        city: false,
        weight: 930,
        serpin: true,
        towns: &[
            ("Ақтөбе", "Актобе", "Aktobe"),
            ("Хромтау", "Хромтау", "Khromtau"),
        ],
    },
    RegionDef {
        code: "190000000",
        kk: "Алматы облысы",
        ru: "Алматинская область",
        en: "Almaty region",
        city: false,
        weight: 1500,
        serpin: false,
        towns: &[
            ("Қонаев", "Конаев", "Konayev"),
            ("Талғар", "Талгар", "Talgar"),
        ],
    },
    RegionDef {
        code: "230000000",
        kk: "Атырау облысы",
        ru: "Атырауская область",
        en: "Atyrau region",
        city: false,
        weight: 700,
        serpin: true,
        towns: &[
            ("Атырау", "Атырау", "Atyrau"),
            ("Құлсары", "Кульсары", "Kulsary"),
        ],
    },
    RegionDef {
        code: "270000000",
        kk: "Батыс Қазақстан облысы",
        ru: "Западно-Казахстанская область",
        en: "West Kazakhstan region",
        city: false,
        weight: 690,
        serpin: true,
        towns: &[("Орал", "Уральск", "Uralsk"), ("Ақсай", "Аксай", "Aksay")],
    },
    RegionDef {
        code: "310000000",
        kk: "Жамбыл облысы",
        ru: "Жамбылская область",
        en: "Zhambyl region",
        city: false,
        weight: 1220,
        serpin: false,
        towns: &[("Тараз", "Тараз", "Taraz"), ("Шу", "Шу", "Shu")],
    },
    RegionDef {
        code: "350000000",
        kk: "Қарағанды облысы",
        ru: "Карагандинская область",
        en: "Karaganda region",
        city: false,
        weight: 1130,
        serpin: true,
        towns: &[
            ("Қарағанды", "Караганда", "Karaganda"),
            ("Теміртау", "Темиртау", "Temirtau"),
        ],
    },
    RegionDef {
        code: "390000000",
        kk: "Қостанай облысы",
        ru: "Костанайская область",
        en: "Kostanay region",
        city: false,
        weight: 830,
        serpin: true,
        towns: &[
            ("Қостанай", "Костанай", "Kostanay"),
            ("Рудный", "Рудный", "Rudny"),
        ],
    },
    RegionDef {
        code: "430000000",
        kk: "Қызылорда облысы",
        ru: "Кызылординская область",
        en: "Kyzylorda region",
        city: false,
        weight: 840,
        serpin: false,
        towns: &[
            ("Қызылорда", "Кызылорда", "Kyzylorda"),
            ("Арал", "Аральск", "Aralsk"),
        ],
    },
    RegionDef {
        code: "470000000",
        kk: "Маңғыстау облысы",
        ru: "Мангистауская область",
        en: "Mangystau region",
        city: false,
        weight: 780,
        serpin: false,
        towns: &[
            ("Ақтау", "Актау", "Aktau"),
            ("Жаңаөзен", "Жанаозен", "Zhanaozen"),
        ],
    },
    RegionDef {
        code: "550000000",
        kk: "Павлодар облысы",
        ru: "Павлодарская область",
        en: "Pavlodar region",
        city: false,
        weight: 750,
        serpin: true,
        towns: &[
            ("Павлодар", "Павлодар", "Pavlodar"),
            ("Екібастұз", "Экибастуз", "Ekibastuz"),
        ],
    },
    RegionDef {
        code: "590000000",
        kk: "Солтүстік Қазақстан облысы",
        ru: "Северо-Казахстанская область",
        en: "North Kazakhstan region",
        city: false,
        weight: 530,
        serpin: true,
        towns: &[
            ("Петропавл", "Петропавловск", "Petropavlovsk"),
            ("Булаево", "Булаево", "Bulayevo"),
        ],
    },
    RegionDef {
        code: "610000000",
        kk: "Түркістан облысы",
        ru: "Туркестанская область",
        en: "Turkistan region",
        city: false,
        weight: 2100,
        serpin: false,
        towns: &[
            ("Түркістан", "Туркестан", "Turkistan"),
            ("Кентау", "Кентау", "Kentau"),
        ],
    },
    RegionDef {
        code: "630000000",
        kk: "Шығыс Қазақстан облысы",
        ru: "Восточно-Казахстанская область",
        en: "East Kazakhstan region",
        city: false,
        weight: 730,
        serpin: true,
        towns: &[
            ("Өскемен", "Усть-Каменогорск", "Ust-Kamenogorsk"),
            ("Риддер", "Риддер", "Ridder"),
        ],
    },
];

/// Village names (kk, ru, en).
const VILLAGES: &[(&str, &str, &str)] = &[
    ("Жаңаауыл", "Жанаауыл", "Zhanaauyl"),
    ("Ақсу", "Аксу", "Aksu"),
    ("Қарабұлақ", "Карабулак", "Karabulak"),
    ("Көктерек", "Коктерек", "Kokterek"),
    ("Бірлік", "Бирлик", "Birlik"),
    ("Қызылжар", "Кызылжар", "Kyzylzhar"),
    ("Талдыкөл", "Талдыколь", "Taldykol"),
    ("Шұбаркөл", "Шубарколь", "Shubarkol"),
    ("Жаңатұрмыс", "Жанатурмыс", "Zhanaturmys"),
    ("Ынтымақ", "Ынтымак", "Yntymak"),
    ("Береке", "Береке", "Bereke"),
    ("Достық", "Достык", "Dostyk"),
    ("Ақтоғай", "Актогай", "Aktogay"),
    ("Қаражар", "Каражар", "Karazhar"),
    ("Сарыөзек", "Сарыозек", "Saryozek"),
    ("Бостандық", "Бостандык", "Bostandyk"),
    ("Еңбек", "Енбек", "Enbek"),
    ("Қайнар", "Кайнар", "Kainar"),
    ("Тасбұлақ", "Тасбулак", "Tasbulak"),
    ("Көкжар", "Кокжар", "Kokzhar"),
    ("Жалғызтөбе", "Жалгызтобе", "Zhalgyztobe"),
    ("Өркен", "Оркен", "Orken"),
    ("Қоғалы", "Когалы", "Kogaly"),
    ("Ақжар", "Акжар", "Akzhar"),
    ("Мырзакент", "Мырзакент", "Myrzakent"),
    ("Шаған", "Шаган", "Shagan"),
    ("Алғабас", "Алгабас", "Algabas"),
    ("Саумалкөл", "Саумалколь", "Saumalkol"),
    ("Тереңөзек", "Теренозек", "Terenozek"),
    ("Қарасу", "Карасу", "Karasu"),
];

const STREETS: &[&str] = &[
    "ул. Абая",
    "пр. Республики",
    "ул. Кунаева",
    "ул. Толе би",
    "ул. Сейфуллина",
    "ул. Жамбыла",
    "ул. Пушкина",
    "ул. Желтоксан",
    "ул. Богенбай батыра",
    "ул. Байтурсынова",
    "ул. Независимости",
    "мкр. Самал",
    "ул. Школьная",
    "ул. Степная",
];

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Profile {
    General,
    Pedagogical,
    Medical,
    Agrarian,
    Technical,
}

/// Universities: (name_ru, region index, profile).
const UNIVERSITIES: &[(&str, usize, Profile)] = &[
    (
        "НАО \"Евразийский национальный университет имени Л. Н. Гумилева\"",
        0,
        Profile::General,
    ),
    (
        "НАО \"Казахский агротехнический исследовательский университет имени С. Сейфуллина\"",
        0,
        Profile::Agrarian,
    ),
    (
        "НАО \"Медицинский университет Астана\"",
        0,
        Profile::Medical,
    ),
    ("ТОО \"Astana IT University\"", 0, Profile::Technical),
    (
        "НАО \"Казахский национальный университет имени аль-Фараби\"",
        1,
        Profile::General,
    ),
    (
        "НАО \"Казахский национальный педагогический университет имени Абая\"",
        1,
        Profile::Pedagogical,
    ),
    (
        "НАО \"Казахский национальный медицинский университет имени С. Д. Асфендиярова\"",
        1,
        Profile::Medical,
    ),
    (
        "НАО \"Казахский национальный исследовательский технический университет имени К. И. Сатпаева\"",
        1,
        Profile::Technical,
    ),
    (
        "НАО \"Казахский национальный аграрный исследовательский университет\"",
        1,
        Profile::Agrarian,
    ),
    (
        "НАО \"Алматинский университет энергетики и связи имени Г. Даукеева\"",
        1,
        Profile::Technical,
    ),
    (
        "НАО \"Казахский национальный женский педагогический университет\"",
        1,
        Profile::Pedagogical,
    ),
    (
        "НАО \"Южно-Казахстанский университет имени М. Ауэзова\"",
        2,
        Profile::Technical,
    ),
    (
        "АО \"Южно-Казахстанская медицинская академия\"",
        2,
        Profile::Medical,
    ),
    (
        "НАО \"Южно-Казахстанский педагогический университет имени У. Джанибекова\"",
        2,
        Profile::Pedagogical,
    ),
    (
        "НАО \"Кокшетауский университет имени Ш. Уалиханова\"",
        3,
        Profile::General,
    ),
    (
        "НАО \"Актюбинский региональный университет имени К. Жубанова\"",
        4,
        Profile::General,
    ),
    (
        "НАО \"Западно-Казахстанский медицинский университет имени М. Оспанова\"",
        4,
        Profile::Medical,
    ),
    ("Университет имени Сулеймана Демиреля", 5, Profile::General),
    (
        "НАО \"Атырауский университет имени Х. Досмухамедова\"",
        6,
        Profile::General,
    ),
    (
        "НАО \"Западно-Казахстанский аграрно-технический университет имени Жангир хана\"",
        7,
        Profile::Agrarian,
    ),
    (
        "НАО \"Западно-Казахстанский университет имени М. Утемисова\"",
        7,
        Profile::Pedagogical,
    ),
    (
        "НАО \"Таразский региональный университет имени М. Х. Дулати\"",
        8,
        Profile::General,
    ),
    (
        "НАО \"Карагандинский университет имени академика Е. А. Букетова\"",
        9,
        Profile::General,
    ),
    (
        "НАО \"Медицинский университет Караганды\"",
        9,
        Profile::Medical,
    ),
    (
        "НАО \"Карагандинский технический университет имени Абылкаса Сагинова\"",
        9,
        Profile::Technical,
    ),
    (
        "НАО \"Костанайский региональный университет имени А. Байтурсынова\"",
        10,
        Profile::Agrarian,
    ),
    (
        "НАО \"Кызылординский университет имени Коркыт Ата\"",
        11,
        Profile::General,
    ),
    (
        "НАО \"Каспийский университет технологий и инжиниринга имени Ш. Есенова\"",
        12,
        Profile::Technical,
    ),
    ("НАО \"Торайгыров университет\"", 13, Profile::General),
    (
        "НАО \"Павлодарский педагогический университет имени Э. Маргулана\"",
        13,
        Profile::Pedagogical,
    ),
    (
        "НАО \"Северо-Казахстанский университет имени М. Козыбаева\"",
        14,
        Profile::General,
    ),
    (
        "Международный казахско-турецкий университет имени Х. А. Ясави",
        15,
        Profile::General,
    ),
    (
        "НАО \"Восточно-Казахстанский университет имени С. Аманжолова\"",
        16,
        Profile::Pedagogical,
    ),
    (
        "НАО \"Восточно-Казахстанский технический университет имени Д. Серикбаева\"",
        16,
        Profile::Technical,
    ),
];

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Group {
    Pedagogical,
    Medical,
    Veterinary,
    Agricultural,
    Technical,
    Other,
}

impl Group {
    fn as_str(self) -> &'static str {
        match self {
            Group::Pedagogical => "pedagogical",
            Group::Medical => "medical",
            Group::Veterinary => "veterinary",
            Group::Agricultural => "agricultural",
            Group::Technical => "technical",
            Group::Other => "other",
        }
    }
    /// Specialties (classifier code without the level prefix, name).
    fn specialties(self) -> &'static [(&'static str, &'static str)] {
        match self {
            Group::Pedagogical => &[
                ("01101", "Педагогика и психология"),
                ("01201", "Дошкольное обучение и воспитание"),
                ("01301", "Педагогика и методика начального обучения"),
                ("01501", "Подготовка учителей математики"),
                ("01502", "Подготовка учителей физики"),
                ("01503", "Подготовка учителей информатики"),
                ("01701", "Подготовка учителей казахского языка и литературы"),
                ("01702", "Подготовка учителей русского языка и литературы"),
                ("01703", "Подготовка учителей иностранного языка"),
            ],
            Group::Medical => &[
                ("10101", "Общая медицина"),
                ("10102", "Стоматология"),
                ("10103", "Педиатрия"),
                ("10104", "Сестринское дело"),
                ("10105", "Фармация"),
                ("10106", "Общественное здравоохранение"),
            ],
            Group::Veterinary => &[
                ("09101", "Ветеринарная медицина"),
                ("09102", "Ветеринарная санитария"),
            ],
            Group::Agricultural => &[
                ("08101", "Агрономия"),
                ("08201", "Зоотехния"),
                ("08301", "Лесные ресурсы и лесоводство"),
                ("08401", "Водные ресурсы и водопользование"),
                ("08701", "Аграрная техника и технология"),
            ],
            Group::Technical => &[
                ("06101", "Информационные системы"),
                ("06102", "Вычислительная техника и программное обеспечение"),
                ("07101", "Электроэнергетика"),
                ("07102", "Теплоэнергетика"),
                ("07104", "Машиностроение"),
                ("07201", "Горное дело"),
                ("07202", "Нефтегазовое дело"),
                ("07301", "Строительство"),
                ("07111", "Транспорт, транспортная техника и технологии"),
            ],
            Group::Other => &[
                ("03101", "Экономика"),
                ("04101", "Финансы"),
                ("04201", "Юриспруденция"),
                ("03201", "Журналистика"),
                ("02301", "Филология"),
                ("03102", "Социология"),
                ("04102", "Учет и аудит"),
                ("02201", "История, археология и этнология"),
            ],
        }
    }
}

const RESIDENCY_SPECIALTIES: &[(&str, &str)] = &[
    ("01101", "Кардиология взрослая, детская"),
    ("01102", "Акушерство и гинекология взрослая, детская"),
    ("01103", "Педиатрия"),
    ("01104", "Общая хирургия"),
    ("01105", "Анестезиология и реаниматология взрослая, детская"),
    ("01106", "Неврология взрослая, детская"),
    ("01107", "Семейная медицина"),
];

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Level {
    Bachelor,
    Master,
    Residency,
    Phd,
    DoctorByProfile,
}

impl Level {
    fn as_str(self) -> &'static str {
        match self {
            Level::Bachelor => "bachelor",
            Level::Master => "master",
            Level::Residency => "residency",
            Level::Phd => "phd",
            Level::DoctorByProfile => "doctor_by_profile",
        }
    }
    fn code_prefix(self) -> &'static str {
        match self {
            Level::Bachelor => "6B",
            Level::Master => "7M",
            Level::Residency => "7R",
            Level::Phd | Level::DoctorByProfile => "8D",
        }
    }
    fn programme_months(self) -> u32 {
        match self {
            Level::Bachelor => 48,
            Level::Master | Level::Residency | Level::DoctorByProfile => 24,
            Level::Phd => 36,
        }
    }
    /// (youngest, oldest) age at graduation.
    fn age(self) -> (i32, i32) {
        match self {
            Level::Bachelor => (21, 23),
            Level::Master => (23, 27),
            Level::Residency => (25, 29),
            Level::Phd => (27, 34),
            Level::DoctorByProfile => (27, 36),
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Category {
    RuralQuota,
    Serpin,
    StateOrder,
    Phd,
    DoctorByProfile,
}

impl Category {
    fn as_str(self) -> &'static str {
        match self {
            Category::RuralQuota => "rural_quota",
            Category::Serpin => "serpin",
            Category::StateOrder => "state_order",
            Category::Phd => "phd",
            Category::DoctorByProfile => "doctor_by_profile",
        }
    }
}

/// Employer kinds with their weight among generated employers, the share of them in rural
/// localities, and the economic activity codes (OKED) they use.
const KINDS: &[(&str, u32, f64, &[&str])] = &[
    (
        "employer",
        520,
        0.15,
        &[
            "47110", "41201", "49410", "62010", "64191", "46900", "35111", "06100", "10110",
            "68200", "70220", "43210", "01500",
        ],
    ),
    ("school", 140, 0.55, &["85310"]),
    ("healthcare", 90, 0.35, &["86101", "86210"]),
    ("state_body", 60, 0.25, &["84110", "84120"]),
    ("agrarian", 50, 0.85, &["01110", "01410", "01500"]),
    ("college", 40, 0.15, &["85320"]),
    ("education_provider", 40, 0.20, &["85590", "85510"]),
    ("veterinary", 25, 0.60, &["75000"]),
    ("research", 15, 0.05, &["72190", "72110"]),
];

/// Which kind of work a graduate looks for; an employer may belong to two (a university).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Sector {
    Education = 0,
    Health = 1,
    Vet = 2,
    Agri = 3,
    Academic = 4,
    General = 5,
}

const SECTORS: usize = 6;

fn sectors_of(kind: &str) -> &'static [Sector] {
    match kind {
        "school" | "college" | "education_provider" => &[Sector::Education],
        "university" => &[Sector::Education, Sector::Academic],
        "healthcare" => &[Sector::Health],
        "veterinary" => &[Sector::Vet],
        "agrarian" => &[Sector::Agri],
        "research" | "state_body" => &[Sector::Academic],
        _ => &[Sector::General],
    }
}

const COMPANY_STEMS: &[&str] = &[
    "Алтын",
    "Береке",
    "Нур",
    "Жулдыз",
    "Казына",
    "Алем",
    "Тулпар",
    "Сункар",
    "Кайнар",
    "Арай",
    "Байтерек",
    "Достык",
    "Шапагат",
    "Ак жол",
    "Евразия",
    "Степь",
];
const COMPANY_TAILS: &[&str] = &[
    "Строй",
    "Трейд",
    "Сервис",
    "Логистик",
    "Инвест",
    "Групп",
    "Азия",
    "Снаб",
    "Энерго",
    "Транс",
    "Мунай",
    "Техно",
    "Консалт",
    "Агро",
];

// Names (Cyrillic, Latin for e-mail addresses).
const KK_MALE: &[(&str, &str)] = &[
    ("Нурлан", "nurlan"),
    ("Ерлан", "yerlan"),
    ("Данияр", "daniyar"),
    ("Арман", "arman"),
    ("Асхат", "askhat"),
    ("Бауыржан", "baurzhan"),
    ("Ерасыл", "yerassyl"),
    ("Айдос", "aidos"),
    ("Нұрсұлтан", "nursultan"),
    ("Әлихан", "alikhan"),
    ("Дамир", "damir"),
    ("Тимур", "timur"),
    ("Ержан", "yerzhan"),
    ("Мадияр", "madiyar"),
    ("Алибек", "alibek"),
    ("Санжар", "sanzhar"),
    ("Ильяс", "ilyas"),
    ("Бекзат", "bekzat"),
];
const KK_FEMALE: &[(&str, &str)] = &[
    ("Айгерим", "aigerim"),
    ("Әсем", "assem"),
    ("Дана", "dana"),
    ("Жанар", "zhanar"),
    ("Гүлназ", "gulnaz"),
    ("Аружан", "aruzhan"),
    ("Мадина", "madina"),
    ("Динара", "dinara"),
    ("Асель", "assel"),
    ("Камила", "kamila"),
    ("Айжан", "aizhan"),
    ("Томирис", "tomiris"),
    ("Жансая", "zhansaya"),
    ("Дильназ", "dilnaz"),
    ("Інкар", "inkar"),
    ("Меруерт", "meruert"),
];
const RU_MALE: &[(&str, &str)] = &[
    ("Александр", "alexandr"),
    ("Дмитрий", "dmitriy"),
    ("Сергей", "sergey"),
    ("Андрей", "andrey"),
    ("Максим", "maxim"),
    ("Артём", "artyom"),
    ("Иван", "ivan"),
    ("Никита", "nikita"),
    ("Евгений", "yevgeniy"),
    ("Владимир", "vladimir"),
    ("Денис", "denis"),
    ("Павел", "pavel"),
];
const RU_FEMALE: &[(&str, &str)] = &[
    ("Анна", "anna"),
    ("Екатерина", "yekaterina"),
    ("Мария", "maria"),
    ("Ольга", "olga"),
    ("Наталья", "natalya"),
    ("Юлия", "yulia"),
    ("Анастасия", "anastassiya"),
    ("Дарья", "darya"),
    ("Елена", "yelena"),
    ("Виктория", "viktoriya"),
    ("Ксения", "kseniya"),
    ("Алина", "alina"),
];
/// Surnames in the male form; the female form adds "а" to -ов, -ев, -ин.
const KK_SURNAMES: &[(&str, &str)] = &[
    ("Ахметов", "akhmetov"),
    ("Сериков", "serikov"),
    ("Нурланов", "nurlanov"),
    ("Жумабаев", "zhumabayev"),
    ("Касымов", "kassymov"),
    ("Искаков", "iskakov"),
    ("Абдрахманов", "abdrakhmanov"),
    ("Омаров", "omarov"),
    ("Тулегенов", "tulegenov"),
    ("Бекмухамбетов", "bekmukhambetov"),
    ("Сагинтаев", "sagintayev"),
    ("Мукашев", "mukashev"),
    ("Байжанов", "baizhanov"),
    ("Есенов", "yessenov"),
    ("Калиев", "kaliyev"),
    ("Садыков", "sadykov"),
    ("Рахимов", "rakhimov"),
    ("Утепов", "utepov"),
    ("Жаксылыков", "zhaksylykov"),
    ("Кенжебаев", "kenzhebayev"),
    ("Нургалиев", "nurgaliyev"),
    ("Смагулов", "smagulov"),
    ("Амиров", "amirov"),
    ("Турсунов", "tursunov"),
    ("Мусин", "mussin"),
];
const RU_SURNAMES: &[(&str, &str)] = &[
    ("Иванов", "ivanov"),
    ("Петров", "petrov"),
    ("Смирнов", "smirnov"),
    ("Кузнецов", "kuznetsov"),
    ("Попов", "popov"),
    ("Васильев", "vassilyev"),
    ("Соколов", "sokolov"),
    ("Михайлов", "mikhailov"),
    ("Новиков", "novikov"),
    ("Федоров", "fedorov"),
    ("Морозов", "morozov"),
    ("Волков", "volkov"),
    ("Ким", "kim"),
    ("Пак", "pak"),
    ("Шевченко", "shevchenko"),
];
/// Patronymics (male, female).
const KK_PATRONYMICS: &[(&str, &str)] = &[
    ("Нурланович", "Нурлановна"),
    ("Серикович", "Сериковна"),
    ("Болатович", "Болатовна"),
    ("Маратович", "Маратовна"),
    ("Канатович", "Канатовна"),
    ("Ерланович", "Ерлановна"),
    ("Бахытжанович", "Бахытжановна"),
    ("Талгатович", "Талгатовна"),
    ("Муратович", "Муратовна"),
    ("Нұрланұлы", "Нұрланқызы"),
    ("Серікұлы", "Серікқызы"),
    ("Болатұлы", "Болатқызы"),
    ("Ерланұлы", "Ерланқызы"),
];
const RU_PATRONYMICS: &[(&str, &str)] = &[
    ("Александрович", "Александровна"),
    ("Сергеевич", "Сергеевна"),
    ("Владимирович", "Владимировна"),
    ("Николаевич", "Николаевна"),
    ("Викторович", "Викторовна"),
    ("Андреевич", "Андреевна"),
];
const PHONE_PREFIXES: &[&str] = &[
    "700", "701", "702", "705", "707", "708", "747", "771", "775", "776", "777", "778",
];
const MAIL_DOMAINS: &[&str] = &["mail.ru", "gmail.com", "inbox.kz", "mail.kz", "yandex.kz"];

// ----------------------------------------------------------------------------------------------
// Generator state

struct Locality {
    kato: String,
    region: usize,
    rural: bool,
    /// "с. Жанаауыл" or "г. Кокшетау", for addresses.
    name_ru: String,
}

struct Org {
    id: String,
    kind: &'static str,
    /// `id,"name","address"` already quoted, as it appears in contribution rows.
    csv: String,
    locality: usize,
}

/// Known employers by sector, rural locality and Serpin region: `[sector][rural][serpin]`.
#[derive(Default)]
struct Pools {
    by: [[[Vec<u32>; 2]; 2]; SECTORS],
}

struct Generator {
    rng: StdRng,
    /// Every IIN and BIN issued, as numbers.
    used_ids: HashSet<u64>,
    localities: Vec<Locality>,
    /// Known employers first (`..known_orgs`), then the unknown ones.
    orgs: Vec<Org>,
    known_orgs: usize,
    /// Indexes into `orgs`, parallel to [`UNIVERSITIES`].
    universities: Vec<u32>,
    pools: Pools,
}

/// What the contributions of one graduate depend on.
struct GradFacts {
    iin: String,
    start: i32,
    group: Group,
    category: Category,
    referral: Option<u32>,
}

fn pick<'a, T>(rng: &mut StdRng, items: &'a [T]) -> &'a T {
    &items[rng.random_range(0..items.len())]
}

fn weighted<T: Copy>(rng: &mut StdRng, items: &[(T, u32)]) -> T {
    let total: u32 = items.iter().map(|(_, w)| w).sum();
    let mut x = rng.random_range(0..total.max(1));
    for (item, w) in items {
        if x < *w {
            return *item;
        }
        x -= w;
    }
    items[items.len() - 1].0
}

fn region_weights() -> Vec<(usize, u32)> {
    REGIONS
        .iter()
        .enumerate()
        .map(|(i, r)| (i, r.weight))
        .collect()
}

/// Appends a CSV field, quoted when it must be (RFC 4180).
fn push_field(out: &mut String, s: &str) {
    if s.contains([',', '"', '\n', '\r']) {
        out.push('"');
        out.push_str(&s.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(s);
    }
}

/// Months since year 0, for period arithmetic: `year * 12 + month - 1`.
fn month_index(year: i32, month: u32) -> i32 {
    year * 12 + month as i32 - 1
}

fn push_2(out: &mut Vec<u8>, n: u32) {
    out.push(b'0' + (n / 10 % 10) as u8);
    out.push(b'0' + (n % 10) as u8);
}

fn push_period(out: &mut Vec<u8>, index: i32) {
    let year = index.div_euclid(12) as u32;
    let month = index.rem_euclid(12) as u32 + 1;
    push_2(out, year / 100);
    push_2(out, year % 100);
    out.push(b'-');
    push_2(out, month);
}

fn push_u64(out: &mut Vec<u8>, mut n: u64) {
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend_from_slice(&buf[i..]);
}

fn ymd(year: i32, month: u32, day: u32) -> anyhow::Result<NaiveDate> {
    NaiveDate::from_ymd_opt(year, month, day)
        .with_context(|| format!("invalid date {year}-{month}-{day}"))
}

impl Generator {
    /// A new unique BIN: registration YYMM, resident legal entity head office, serial.
    fn new_bin(&mut self, year_from: i32, year_to: i32) -> anyhow::Result<String> {
        for _ in 0..10_000 {
            let year = self.rng.random_range(year_from..=year_to);
            let month = self.rng.random_range(1..=12u32);
            let serial = self.rng.random_range(0..100_000u32);
            let first11 = format!("{:02}{month:02}40{serial:05}", year.rem_euclid(100));
            if let Some(bin) = with_check_digit(&first11)
                && let Ok(n) = bin.parse::<u64>()
                && self.used_ids.insert(n)
            {
                return Ok(bin);
            }
        }
        anyhow::bail!("cannot find a free BIN")
    }

    /// A new unique IIN for a person born on `birth`.
    fn new_iin(&mut self, birth: NaiveDate, male: bool) -> anyhow::Result<String> {
        let century = match (birth.year() >= 2000, male) {
            (true, true) => 5,
            (true, false) => 6,
            (false, true) => 3,
            (false, false) => 4,
        };
        for _ in 0..10_000 {
            let serial = self.rng.random_range(0..10_000u32);
            let first11 = format!(
                "{:02}{:02}{:02}{century}{serial:04}",
                birth.year().rem_euclid(100),
                birth.month(),
                birth.day()
            );
            if let Some(iin) = with_check_digit(&first11)
                && let Ok(n) = iin.parse::<u64>()
                && self.used_ids.insert(n)
            {
                return Ok(iin);
            }
        }
        anyhow::bail!("cannot find a free IIN for birth date {birth}")
    }

    fn localities(&mut self, out: &mut CsvFile) -> anyhow::Result<u64> {
        let mut line = String::new();
        for (r, region) in REGIONS.iter().enumerate() {
            let prefix = &region.code[..2];
            let towns = if region.city {
                region.towns.len()
            } else {
                self.rng.random_range(1..=region.towns.len())
            };
            for (k, (kk, ru, en)) in region.towns.iter().take(towns).enumerate() {
                // Urban: region prefix, "1", town number, "10000".
                let kato = format!("{prefix}1{}10000", k + 1);
                self.locality(
                    &mut line,
                    Locality {
                        kato,
                        region: r,
                        rural: false,
                        name_ru: format!("г. {ru}"),
                    },
                    (kk, ru, en),
                    out,
                )?;
            }
            if region.city {
                continue;
            }
            let villages = self.rng.random_range(18..=22usize);
            for i in 0..villages {
                // Rural: region prefix, district 70-74, rural district, village.
                let district = 70 + i / 5;
                let okrug = 31 + 2 * (i % 5);
                let village = self.rng.random_range(100..1000u32);
                let kato = format!("{prefix}{district:02}{okrug:02}{village:03}");
                let (kk, ru, en) = *pick(&mut self.rng, VILLAGES);
                self.locality(
                    &mut line,
                    Locality {
                        kato,
                        region: r,
                        rural: true,
                        name_ru: format!("с. {ru}"),
                    },
                    (
                        &format!("{kk} ауылы"),
                        &format!("село {ru}"),
                        &format!("{en} village"),
                    ),
                    out,
                )?;
            }
        }
        Ok(self.localities.len() as u64)
    }

    fn locality(
        &mut self,
        line: &mut String,
        loc: Locality,
        (kk, ru, en): (&str, &str, &str),
        out: &mut CsvFile,
    ) -> anyhow::Result<()> {
        line.clear();
        line.push_str(&loc.kato);
        line.push(',');
        line.push_str(REGIONS[loc.region].code);
        for name in [kk, ru, en] {
            line.push(',');
            push_field(line, name);
        }
        line.push_str(if loc.rural { ",true" } else { ",false" });
        out.write_line(line.as_bytes())?;
        self.localities.push(loc);
        Ok(())
    }

    /// A locality in the region: rural with the given probability when it has villages.
    fn locality_in(&mut self, region: usize, rural_share: f64) -> usize {
        let rural = !REGIONS[region].city && self.rng.random_bool(rural_share);
        let candidates: Vec<usize> = self
            .localities
            .iter()
            .enumerate()
            .filter(|(_, l)| l.region == region && l.rural == rural)
            .map(|(i, _)| i)
            .collect();
        if candidates.is_empty() {
            return 0;
        }
        *pick(&mut self.rng, &candidates)
    }

    fn address(&mut self, locality: usize) -> String {
        let loc = &self.localities[locality];
        let region = &REGIONS[loc.region];
        let street = *pick(&mut self.rng, STREETS);
        let house = self.rng.random_range(1..=180u32);
        if region.city {
            format!("{}, {street}, {house}", region.ru)
        } else {
            format!("{}, {}, {street}, {house}", region.ru, loc.name_ru)
        }
    }

    fn org_name(&mut self, kind: &str, locality: usize) -> String {
        let place = self.localities[locality]
            .name_ru
            .split_once(' ')
            .map_or(String::new(), |(_, n)| n.to_owned());
        let n = self.rng.random_range(1..=120u32);
        let stem = *pick(&mut self.rng, COMPANY_STEMS);
        let tail = *pick(&mut self.rng, COMPANY_TAILS);
        match kind {
            "school" if self.localities[locality].rural => {
                format!("КГУ \"Общеобразовательная школа села {place}\"")
            }
            "school" => format!("КГУ \"Школа-гимназия №{n}\""),
            "college" => format!("ГККП \"Высший колледж {place} №{}\"", n % 12 + 1),
            "healthcare" if self.localities[locality].rural => {
                format!("ГКП на ПХВ \"Районная больница, с. {place}\"")
            }
            "healthcare" => format!("ГКП на ПХВ \"Городская поликлиника №{n}\""),
            "veterinary" => format!("КГП \"Ветеринарная станция {place}\""),
            "agrarian" if self.rng.random_bool(0.3) => {
                let (surname, _) = *pick(&mut self.rng, KK_SURNAMES);
                format!("КХ \"{surname}\"")
            }
            "agrarian" => format!("ТОО \"{stem}-Агро {place}\""),
            "research" => format!("ТОО \"Научно-исследовательский институт {stem}\""),
            "state_body" if self.rng.random_bool(0.5) => {
                format!("ГУ \"Аппарат акима {place}\"")
            }
            "state_body" => format!("ГУ \"Отдел образования {place}\""),
            "education_provider" => format!("ТОО \"Образовательный центр {stem}\""),
            _ if self.rng.random_bool(0.06) => {
                let other = *pick(&mut self.rng, COMPANY_TAILS);
                format!("ТОО \"{stem} {tail}, {other} и К\"")
            }
            _ if self.rng.random_bool(0.2) => format!("АО \"{stem}{tail}\""),
            _ => format!("ТОО \"{stem} {tail}\""),
        }
    }

    fn push_org(&mut self, id: String, kind: &'static str, name: &str, locality: usize) -> u32 {
        let address = self.address(locality);
        let mut csv = String::with_capacity(id.len() + name.len() + address.len() + 8);
        csv.push_str(&id);
        csv.push(',');
        push_field(&mut csv, name);
        csv.push(',');
        push_field(&mut csv, &address);
        self.orgs.push(Org {
            id,
            kind,
            csv,
            locality,
        });
        (self.orgs.len() - 1) as u32
    }

    fn write_employer(
        &self,
        org: u32,
        name: &str,
        activity: &str,
        out: &mut CsvFile,
    ) -> anyhow::Result<()> {
        let org = &self.orgs[org as usize];
        let mut line = String::with_capacity(200);
        line.push_str(&org.id);
        line.push(',');
        line.push_str(org.kind);
        line.push(',');
        push_field(&mut line, name);
        line.push(',');
        line.push_str(&self.localities[org.locality].kato);
        line.push(',');
        line.push_str(activity);
        out.write_line(line.as_bytes())
    }

    /// Universities first, then `count` employers of every kind.
    fn employers(&mut self, count: usize, out: &mut CsvFile) -> anyhow::Result<u64> {
        for (name, region, _) in UNIVERSITIES {
            let bin = self.new_bin(1996, 2021)?;
            let locality = self.locality_in(*region, 0.0);
            let org = self.push_org(bin, "university", name, locality);
            self.write_employer(org, name, "85420", out)?;
            self.universities.push(org);
        }
        let kinds: Vec<(usize, u32)> = KINDS.iter().enumerate().map(|(i, k)| (i, k.1)).collect();
        let regions = region_weights();
        for _ in 0..count {
            let (kind, _, rural_share, activities) = KINDS[weighted(&mut self.rng, &kinds)];
            let region = weighted(&mut self.rng, &regions);
            let locality = self.locality_in(region, rural_share);
            let bin = self.new_bin(1995, 2024)?;
            let name = self.org_name(kind, locality);
            let activity = *pick(&mut self.rng, activities);
            let org = self.push_org(bin, kind, &name, locality);
            self.write_employer(org, &name, activity, out)?;
        }
        self.known_orgs = self.orgs.len();
        for (i, org) in self.orgs.iter().enumerate() {
            let loc = &self.localities[org.locality];
            let rural = usize::from(loc.rural);
            let serpin = usize::from(REGIONS[loc.region].serpin);
            for sector in sectors_of(org.kind) {
                self.pools.by[*sector as usize][rural][serpin].push(i as u32);
            }
        }
        Ok(self.known_orgs as u64)
    }

    /// Employers that pay contributions but are not in `employers.csv`: mostly companies, some
    /// individual entrepreneurs (identified by their IIN), some schools and clinics.
    fn unknown_employers(&mut self, count: usize) -> anyhow::Result<()> {
        let regions = region_weights();
        for _ in 0..count {
            let region = weighted(&mut self.rng, &regions);
            let locality = self.locality_in(region, 0.2);
            if self.rng.random_bool(0.3) {
                let male = self.rng.random_bool(0.5);
                let birth_year = self.rng.random_range(1960..=1995);
                let day = self.rng.random_range(1..=365u32);
                let birth = NaiveDate::from_yo_opt(birth_year, day)
                    .with_context(|| format!("invalid day {day} of {birth_year}"))?;
                let iin = self.new_iin(birth, male)?;
                let (surname, _) = *pick(&mut self.rng, KK_SURNAMES);
                let surname = if male {
                    surname.to_owned()
                } else {
                    feminine(surname)
                };
                let (first, _) = *pick(&mut self.rng, if male { KK_MALE } else { KK_FEMALE });
                let initial: String = first.chars().take(1).collect();
                let name = format!("ИП {surname} {initial}.");
                self.push_org(iin, "employer", &name, locality);
            } else {
                let kind = weighted(
                    &mut self.rng,
                    &[
                        ("employer", 80),
                        ("school", 8),
                        ("healthcare", 7),
                        ("agrarian", 5),
                    ],
                );
                let bin = self.new_bin(2015, 2025)?;
                let name = self.org_name(kind, locality);
                self.push_org(bin, kind, &name, locality);
            }
        }
        Ok(())
    }

    /// A known employer of the sector (optionally rural or urban, in or out of the Serpin
    /// regions), relaxing the constraints when none matches.
    fn pick_employer(&mut self, sector: Sector, rural: Option<bool>, serpin: Option<bool>) -> u32 {
        let tries = [
            (Some(sector), rural, serpin),
            (Some(sector), rural, None),
            (Some(sector), None, None),
            (None, None, None),
        ];
        for (sector, rural, serpin) in tries {
            let mut total = 0;
            let mut chosen: Vec<&Vec<u32>> = Vec::with_capacity(4);
            for s in 0..SECTORS {
                if sector.is_some_and(|x| x as usize != s) {
                    continue;
                }
                for r in 0..2 {
                    if rural.is_some_and(|x| usize::from(x) != r) {
                        continue;
                    }
                    for p in 0..2 {
                        if serpin.is_some_and(|x| usize::from(x) != p) {
                            continue;
                        }
                        let pool = &self.pools.by[s][r][p];
                        total += pool.len();
                        chosen.push(pool);
                    }
                }
            }
            if total == 0 {
                continue;
            }
            let mut x = self.rng.random_range(0..total);
            for pool in chosen {
                if x < pool.len() {
                    return pool[x];
                }
                x -= pool.len();
            }
        }
        0
    }

    fn unknown_employer(&mut self) -> u32 {
        if self.orgs.len() > self.known_orgs {
            self.rng.random_range(self.known_orgs..self.orgs.len()) as u32
        } else {
            0
        }
    }

    /// An employer where the graduate's work counts.
    fn qualifying_employer(&mut self, group: Group, category: Category) -> u32 {
        let sector = match group {
            Group::Pedagogical => Sector::Education,
            Group::Medical => Sector::Health,
            Group::Veterinary => Sector::Vet,
            Group::Agricultural => Sector::Agri,
            Group::Technical | Group::Other => Sector::General,
        };
        match category {
            Category::RuralQuota => self.pick_employer(sector, Some(true), None),
            Category::Serpin => self.pick_employer(sector, None, Some(true)),
            Category::StateOrder => self.pick_employer(sector, None, None),
            Category::Phd | Category::DoctorByProfile => {
                if self.rng.random_bool(0.15) {
                    self.pick_employer(Sector::Health, Some(false), None)
                } else {
                    self.pick_employer(Sector::Academic, None, None)
                }
            }
        }
    }

    /// An employer where the graduate's work does not count (when any can: for technical and
    /// other state-order graduates every employer counts).
    fn non_qualifying_employer(&mut self, group: Group, category: Category) -> u32 {
        match category {
            Category::RuralQuota if self.rng.random_bool(0.5) => {
                let sector = match group {
                    Group::Medical => Sector::Health,
                    _ => Sector::Education,
                };
                self.pick_employer(sector, Some(false), None)
            }
            Category::Serpin => self.pick_employer(Sector::General, None, Some(false)),
            _ => self.pick_employer(Sector::General, Some(false), None),
        }
    }

    fn new_job(&mut self, grad: &GradFacts, qualifying: bool) -> u32 {
        if self.rng.random_bool(0.02) {
            self.unknown_employer()
        } else if qualifying {
            self.qualifying_employer(grad.group, grad.category)
        } else {
            self.non_qualifying_employer(grad.group, grad.category)
        }
    }

    fn graduate(&mut self, spec: &GenSpec, line: &mut String) -> anyhow::Result<GradFacts> {
        let rng = &mut self.rng;
        let level = weighted(
            rng,
            &[
                (Level::Bachelor, 780),
                (Level::Master, 120),
                (Level::Residency, 40),
                (Level::Phd, 40),
                (Level::DoctorByProfile, 20),
            ],
        );
        let group = if level == Level::Residency {
            Group::Medical
        } else {
            weighted(
                rng,
                &[
                    (Group::Pedagogical, 28),
                    (Group::Medical, 12),
                    (Group::Veterinary, 3),
                    (Group::Agricultural, 6),
                    (Group::Technical, 32),
                    (Group::Other, 19),
                ],
            )
        };
        let rural_eligible = matches!(
            group,
            Group::Pedagogical | Group::Medical | Group::Veterinary | Group::Agricultural
        );
        let serpin_eligible = matches!(
            group,
            Group::Pedagogical | Group::Technical | Group::Agricultural
        );
        let category = match level {
            Level::Phd if rng.random_bool(0.95) => Category::Phd,
            Level::DoctorByProfile => Category::DoctorByProfile,
            Level::Bachelor if rural_eligible && rng.random_bool(0.25) => Category::RuralQuota,
            Level::Bachelor if serpin_eligible && rng.random_bool(0.10) => Category::Serpin,
            _ => Category::StateOrder,
        };
        // Later graduation years are larger.
        let years: Vec<(i32, u32)> = (spec.first_graduation_year..=spec.last_graduation_year)
            .map(|y| (y, 10 + (y - spec.first_graduation_year).clamp(0, 20) as u32))
            .collect();
        let grad_year = weighted(rng, &years);
        let grad_month = if rng.random_bool(0.7) { 6 } else { 7 };
        let graduation = ymd(grad_year, grad_month, rng.random_range(15..=30))?;
        let programme = level.programme_months();
        let study_start = ymd(grad_year - (programme / 12) as i32, 9, 1)?;
        let grant = if rng.random_bool(0.93) {
            programme
        } else {
            rng.random_range(programme / 4..programme)
        };
        let (age_min, age_max) = level.age();
        let birth_year = grad_year - rng.random_range(age_min..=age_max);
        let birth_day = rng.random_range(1..=365u32);
        let birth = NaiveDate::from_yo_opt(birth_year, birth_day)
            .with_context(|| format!("invalid day {birth_day} of {birth_year}"))?;
        let female_share = match group {
            Group::Pedagogical | Group::Medical => 0.75,
            Group::Technical => 0.3,
            _ => 0.5,
        };
        let male = !rng.random_bool(female_share);
        let kazakh = rng.random_bool(0.72);
        let (first, first_lat) = *pick(
            rng,
            match (kazakh, male) {
                (true, true) => KK_MALE,
                (true, false) => KK_FEMALE,
                (false, true) => RU_MALE,
                (false, false) => RU_FEMALE,
            },
        );
        let (surname, surname_lat) = *pick(rng, if kazakh { KK_SURNAMES } else { RU_SURNAMES });
        let (last, last_lat) = if male {
            (surname.to_owned(), surname_lat.to_owned())
        } else {
            (feminine(surname), feminine_lat(surname_lat))
        };
        let middle = if rng.random_bool(0.08) {
            ""
        } else {
            let (m, f) = *pick(
                rng,
                if kazakh {
                    KK_PATRONYMICS
                } else {
                    RU_PATRONYMICS
                },
            );
            if male { m } else { f }
        };
        let language = if kazakh {
            weighted(rng, &[("kk", 70), ("ru", 27), ("en", 3)])
        } else {
            weighted(rng, &[("ru", 92), ("kk", 3), ("en", 5)])
        };
        let phone_prefix = *pick(rng, PHONE_PREFIXES);
        let phone_rest = rng.random_range(0..10_000_000u32);
        let email = if rng.random_bool(0.65) {
            let n = rng.random_range(1..100u32);
            let domain = *pick(rng, MAIL_DOMAINS);
            format!("{first_lat}.{last_lat}{n}@{domain}")
        } else {
            String::new()
        };
        let profile = match group {
            Group::Medical => Profile::Medical,
            Group::Veterinary | Group::Agricultural => Profile::Agrarian,
            Group::Pedagogical if rng.random_bool(0.6) => Profile::Pedagogical,
            Group::Technical if rng.random_bool(0.6) => Profile::Technical,
            _ => Profile::General,
        };
        let candidates: Vec<usize> = UNIVERSITIES
            .iter()
            .enumerate()
            .filter(|(_, u)| u.2 == profile)
            .map(|(i, _)| i)
            .collect();
        let uni = if candidates.is_empty() {
            rng.random_range(0..UNIVERSITIES.len())
        } else {
            *pick(rng, &candidates)
        };
        let university = self.orgs[self.universities[uni] as usize].id.clone();
        let (code, specialty) = *pick(
            rng,
            if level == Level::Residency {
                RESIDENCY_SPECIALTIES
            } else {
                group.specialties()
            },
        );
        let home_region = if rng.random_bool(0.5) {
            UNIVERSITIES[uni].1
        } else {
            weighted(rng, &region_weights())
        };
        let yearly_cost: f64 = match (level, group) {
            (Level::Bachelor, Group::Medical) => 1_000_000.0,
            (Level::Bachelor, Group::Technical) => 800_000.0,
            (Level::Bachelor, Group::Veterinary | Group::Agricultural) => 700_000.0,
            (Level::Bachelor, Group::Pedagogical) => 560_000.0,
            (Level::Bachelor, Group::Other) => 480_000.0,
            (Level::Master, _) => 1_250_000.0,
            (Level::Residency, _) => 1_900_000.0,
            (Level::Phd | Level::DoctorByProfile, _) => 2_600_000.0,
        };
        let cost = yearly_cost * f64::from(grant) / 12.0 * rng.random_range(0.9..1.12);
        let cost = (cost / 1000.0).round() as i64 * 1000;

        let referral = if matches!(category, Category::RuralQuota | Category::StateOrder)
            && matches!(
                group,
                Group::Pedagogical | Group::Medical | Group::Veterinary
            )
            && self.rng.random_bool(0.12)
        {
            Some(self.qualifying_employer(group, category))
        } else {
            None
        };
        let referral_date = graduation - Duration::days(self.rng.random_range(10..60));

        let iin = self.new_iin(birth, male)?;
        line.clear();
        let _ = write!(line, "{iin},");
        push_field(line, &last);
        line.push(',');
        push_field(line, first);
        line.push(',');
        push_field(line, middle);
        let _ = write!(
            line,
            ",{birth},+7{phone_prefix}{phone_rest:07},{email},{language},{university},{}{code},",
            level.code_prefix()
        );
        push_field(line, specialty);
        let _ = write!(
            line,
            ",{},{},{},{},{study_start},{graduation},{grant},{programme},{cost},",
            group.as_str(),
            level.as_str(),
            category.as_str(),
            REGIONS[home_region].code,
        );
        if let Some(r) = referral {
            let _ = write!(line, "{},{referral_date}", self.orgs[r as usize].id);
        } else {
            line.push(',');
        }
        Ok(GradFacts {
            iin,
            start: month_index(grad_year, 9),
            group,
            category,
            referral,
        })
    }

    /// Writes the monthly contributions of one graduate; returns the rows written.
    fn contributions(
        &mut self,
        spec: &GenSpec,
        grad: &GradFacts,
        row: &mut Vec<u8>,
        out: &mut CsvFile,
    ) -> anyhow::Result<u64> {
        let last =
            month_index(LAST_PERIOD.0, LAST_PERIOD.1).min(grad.start + spec.months as i32 - 1);
        if last < grad.start {
            return Ok(0);
        }
        let kind = self.rng.random_range(0..100u32);
        let (qualifying, mut wait, gap_chance, gap_len) = match kind {
            // Mostly working, where the work counts.
            0..70 => (
                true,
                weighted(
                    &mut self.rng,
                    &[(0, 25), (1, 15), (2, 15), (3, 10), (6, 15), (10, 20)],
                ),
                0.06,
                (1, 6),
            ),
            // Working where the work does not count.
            70..80 => (false, self.rng.random_range(0..7), 0.03, (1, 4)),
            // Long gaps; half of them never work.
            _ => {
                if self.rng.random_bool(0.5) {
                    return Ok(0);
                }
                (
                    self.rng.random_bool(0.7),
                    self.rng.random_range(4..19),
                    0.2,
                    (4, 12),
                )
            }
        };
        let mut job = match grad.referral {
            Some(r) if qualifying => r,
            _ => self.new_job(grad, qualifying),
        };
        let mut salary = self.rng.random_range(150..=600u32) * 1000;
        // A concurrent second employer: (employer, salary, months left).
        let mut second: Option<(u32, u32, u32)> = None;
        let mut rows = 0;
        for period in grad.start..=last {
            if wait > 0 {
                wait -= 1;
                continue;
            }
            if self.rng.random_bool(gap_chance) {
                wait = self.rng.random_range(gap_len.0..=gap_len.1) - 1;
                second = None;
                if self.rng.random_bool(0.5) {
                    let q = qualifying || self.rng.random_bool(0.3);
                    job = self.new_job(grad, q);
                    salary = self.rng.random_range(150..=600u32) * 1000;
                }
                continue;
            }
            if self.rng.random_bool(0.015) {
                let q = qualifying != self.rng.random_bool(0.1);
                job = self.new_job(grad, q);
                salary = self.rng.random_range(150..=600u32) * 1000;
            }
            if period % 12 == 0 {
                salary += salary / 20;
            }
            rows += self.month_rows(grad, job, salary, period, row, out)?;
            second = match second {
                Some((s, _, left)) if left == 0 || s == job => None,
                Some((s, pay, left)) => {
                    rows += self.month_rows(grad, s, pay, period, row, out)?;
                    Some((s, pay, left - 1))
                }
                None if self.rng.random_bool(0.01) => {
                    let q = self.rng.random_bool(0.5);
                    let s = self.new_job(grad, q);
                    let pay = self.rng.random_range(80..=250u32) * 1000;
                    Some((s, pay, self.rng.random_range(1..=6)))
                }
                None => None,
            };
        }
        Ok(rows)
    }

    /// The OPV row of one employer for one month, and usually its SO row.
    fn month_rows(
        &mut self,
        grad: &GradFacts,
        org: u32,
        salary: u32,
        period: i32,
        row: &mut Vec<u8>,
        out: &mut CsvFile,
    ) -> anyhow::Result<u64> {
        let opv = u64::from(salary / 10);
        let so_rate = if period >= month_index(2025, 1) {
            50
        } else {
            35
        };
        let so = u64::from(salary - salary / 10) * so_rate / 1000;
        let mut rows = self.row(grad, org, period, opv, "010", row, out)?;
        if self.rng.random_bool(0.65) {
            rows += self.row(grad, org, period, so, "012", row, out)?;
        }
        Ok(rows)
    }

    #[allow(clippy::too_many_arguments)]
    fn row(
        &mut self,
        grad: &GradFacts,
        org: u32,
        period: i32,
        amount: u64,
        code: &str,
        row: &mut Vec<u8>,
        out: &mut CsvFile,
    ) -> anyhow::Result<u64> {
        row.clear();
        row.extend_from_slice(grad.iin.as_bytes());
        row.push(b',');
        row.extend_from_slice(self.orgs[org as usize].csv.as_bytes());
        row.push(b',');
        push_period(row, period);
        row.push(b',');
        push_period(row, period + 1);
        row.push(b'-');
        push_2(row, self.rng.random_range(1..=25));
        row.push(b',');
        if self.rng.random_bool(0.8) {
            push_u64(row, amount);
        }
        row.push(b',');
        row.extend_from_slice(code.as_bytes());
        out.write_line(row)?;
        if self.rng.random_bool(0.01) {
            out.write_line(row)?;
            return Ok(2);
        }
        Ok(1)
    }
}

fn write_regions(out: &mut CsvFile) -> anyhow::Result<u64> {
    let mut line = String::new();
    for region in REGIONS {
        line.clear();
        line.push_str(region.code);
        let ru = match region.ru.strip_prefix("г. ") {
            Some(city) => format!("город {city}"),
            None => region.ru.to_owned(),
        };
        for name in [region.kk, &ru, region.en] {
            line.push(',');
            push_field(&mut line, name);
        }
        out.write_line(line.as_bytes())?;
    }
    Ok(REGIONS.len() as u64)
}

fn feminine(surname: &str) -> String {
    if surname.ends_with("ов") || surname.ends_with("ев") || surname.ends_with("ин") {
        format!("{surname}а")
    } else {
        surname.to_owned()
    }
}

fn feminine_lat(surname: &str) -> String {
    if surname.ends_with("ov") || surname.ends_with("ev") || surname.ends_with("in") {
        format!("{surname}a")
    } else {
        surname.to_owned()
    }
}

/// A buffered output file that writes its header first.
struct CsvFile {
    path: std::path::PathBuf,
    out: BufWriter<File>,
}

impl CsvFile {
    fn create(dir: &Path, name: &str, header: &str) -> anyhow::Result<Self> {
        let path = dir.join(name);
        let file =
            File::create(&path).with_context(|| format!("cannot create {}", path.display()))?;
        let mut f = Self {
            path,
            out: BufWriter::with_capacity(1 << 20, file),
        };
        f.write_line(header.as_bytes())?;
        Ok(f)
    }

    fn write_line(&mut self, line: &[u8]) -> anyhow::Result<()> {
        self.out
            .write_all(line)
            .and_then(|()| self.out.write_all(b"\n"))
            .with_context(|| format!("cannot write {}", self.path.display()))
    }

    fn finish(mut self) -> anyhow::Result<()> {
        self.out
            .flush()
            .with_context(|| format!("cannot write {}", self.path.display()))
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;
    use adal_core::identifiers::{Iin, OrganisationId};

    fn small(seed: u64) -> GenSpec {
        GenSpec {
            graduates: 600,
            months: 24,
            seed,
            first_graduation_year: 2022,
            last_graduation_year: 2025,
        }
    }

    /// A strict RFC 4180 reader: records of fields, quotes doubled inside quoted fields.
    fn parse_csv(text: &str) -> Vec<Vec<String>> {
        let mut records = Vec::new();
        let mut record = Vec::new();
        let mut field = String::new();
        let mut quoted = false;
        let mut chars = text.chars().peekable();
        while let Some(c) = chars.next() {
            if quoted {
                match c {
                    '"' if chars.peek() == Some(&'"') => {
                        chars.next();
                        field.push('"');
                    }
                    '"' => {
                        quoted = false;
                        assert!(
                            matches!(chars.peek(), Some(',' | '\n') | None),
                            "text after a closing quote"
                        );
                    }
                    _ => field.push(c),
                }
            } else {
                match c {
                    '"' => {
                        assert!(field.is_empty(), "quote inside an unquoted field");
                        quoted = true;
                    }
                    ',' => record.push(std::mem::take(&mut field)),
                    '\n' => {
                        record.push(std::mem::take(&mut field));
                        records.push(std::mem::take(&mut record));
                    }
                    '\r' => panic!("CR in the output"),
                    _ => field.push(c),
                }
            }
        }
        assert!(!quoted, "unterminated quoted field");
        assert!(
            field.is_empty() && record.is_empty(),
            "last line not terminated"
        );
        records
    }

    struct Files {
        regions: Vec<HashMap<String, String>>,
        localities: Vec<HashMap<String, String>>,
        employers: Vec<HashMap<String, String>>,
        graduates: Vec<HashMap<String, String>>,
        contributions: Vec<HashMap<String, String>>,
    }

    fn read(dir: &Path, name: &str, header: &str) -> Vec<HashMap<String, String>> {
        let text = std::fs::read_to_string(dir.join(name)).unwrap();
        let first_line = text.lines().next().unwrap();
        assert_eq!(first_line, header, "{name} header");
        let mut records = parse_csv(&text).into_iter();
        let columns = records.next().unwrap();
        records
            .map(|r| {
                assert_eq!(r.len(), columns.len(), "{name}: {r:?}");
                columns.iter().cloned().zip(r).collect()
            })
            .collect()
    }

    fn read_all(dir: &Path) -> Files {
        Files {
            regions: read(dir, REGIONS_CSV, REGIONS_HEADER),
            localities: read(dir, LOCALITIES_CSV, LOCALITIES_HEADER),
            employers: read(dir, EMPLOYERS_CSV, EMPLOYERS_HEADER),
            graduates: read(dir, GRADUATES_CSV, GRADUATES_HEADER),
            contributions: read(dir, CONTRIBUTIONS_CSV, CONTRIBUTIONS_HEADER),
        }
    }

    const FILES: [&str; 5] = [
        REGIONS_CSV,
        LOCALITIES_CSV,
        EMPLOYERS_CSV,
        GRADUATES_CSV,
        CONTRIBUTIONS_CSV,
    ];

    #[test]
    fn same_seed_same_bytes_other_seed_other_bytes() {
        let (a, b, c) = (
            tempfile::tempdir().unwrap(),
            tempfile::tempdir().unwrap(),
            tempfile::tempdir().unwrap(),
        );
        let sa = generate(&small(7), a.path()).unwrap();
        let sb = generate(&small(7), b.path()).unwrap();
        let sc = generate(&small(8), c.path()).unwrap();
        assert_eq!(sa, sb);
        for name in FILES {
            let fa = std::fs::read(a.path().join(name)).unwrap();
            assert_eq!(fa, std::fs::read(b.path().join(name)).unwrap(), "{name}");
            if name != LOCALITIES_CSV && name != REGIONS_CSV {
                assert_ne!(fa, std::fs::read(c.path().join(name)).unwrap(), "{name}");
            }
        }
        assert_ne!(sa, sc);
    }

    #[test]
    fn headers_and_row_counts_match_the_summary() {
        let dir = tempfile::tempdir().unwrap();
        let s = generate(&small(1), dir.path()).unwrap();
        let f = read_all(dir.path());
        assert_eq!(f.regions.len() as u64, s.regions);
        assert_eq!(s.regions, 17);
        assert_eq!(f.localities.len() as u64, s.localities);
        assert_eq!(f.employers.len() as u64, s.employers);
        assert_eq!(f.graduates.len() as u64, s.graduates);
        assert_eq!(f.contributions.len() as u64, s.contributions);
        assert_eq!(s.graduates, 600);
        assert_eq!(s.employers, 75 + UNIVERSITIES.len() as u64);
        // Physical lines too (no field holds a line break).
        for (name, rows) in FILES.iter().zip([
            s.regions,
            s.localities,
            s.employers,
            s.graduates,
            s.contributions,
        ]) {
            let text = std::fs::read_to_string(dir.path().join(name)).unwrap();
            assert_eq!(text.lines().count() as u64, rows + 1, "{name}");
        }
    }

    #[test]
    fn identifiers_are_valid_unique_and_consistent() {
        let dir = tempfile::tempdir().unwrap();
        generate(&small(2), dir.path()).unwrap();
        let f = read_all(dir.path());
        let mut iins = HashSet::new();
        for g in &f.graduates {
            let iin = Iin::parse(&g["iin"]).unwrap();
            assert!(iins.insert(g["iin"].clone()), "duplicate IIN");
            assert_eq!(
                iin.birth_date_hint().map(|d| d.to_string()).as_deref(),
                Some(g["birth_date"].as_str())
            );
        }
        let mut bins = HashSet::new();
        for e in &f.employers {
            OrganisationId::parse(&e["bin"]).unwrap();
            assert_eq!(&e["bin"][4..6], "40", "resident head office");
            assert!(bins.insert(e["bin"].clone()), "duplicate BIN");
            assert!(iins.insert(e["bin"].clone()), "BIN equal to an IIN");
        }
        for c in &f.contributions {
            OrganisationId::parse(&c["employer_id"]).unwrap();
            assert!(iins.contains(&c["iin"]));
        }
        let unknown = f
            .contributions
            .iter()
            .filter(|c| !bins.contains(&c["employer_id"]))
            .count();
        let share = unknown as f64 / f.contributions.len() as f64;
        assert!((0.002..0.06).contains(&share), "unknown employers {share}");
    }

    #[test]
    fn reference_data_is_well_formed() {
        let dir = tempfile::tempdir().unwrap();
        generate(&small(3), dir.path()).unwrap();
        let f = read_all(dir.path());
        let regions: HashSet<&str> = REGIONS.iter().map(|r| r.code).collect();
        assert_eq!(regions.len(), 17);
        let listed: HashSet<&str> = f.regions.iter().map(|r| r["kato"].as_str()).collect();
        assert_eq!(listed, regions);
        assert!(f.regions.iter().all(|r| !r["name_kk"].is_empty()
            && r["name_ru"].len() > 5
            && !r["name_en"].is_empty()));
        let mut katos = HashSet::new();
        let mut per_region: HashMap<&str, (usize, usize)> = HashMap::new();
        for l in &f.localities {
            let kato = l["kato"].as_str();
            assert_eq!(kato.len(), 9);
            assert!(kato.bytes().all(|b| b.is_ascii_digit()));
            assert!(!regions.contains(kato), "{kato} is a region code");
            assert_eq!(kato[..2], l["region_kato"][..2]);
            assert!(regions.contains(l["region_kato"].as_str()));
            assert!(katos.insert(kato.to_owned()), "duplicate {kato}");
            let e = per_region
                .entry(
                    REGIONS
                        .iter()
                        .find(|r| r.code == l["region_kato"])
                        .unwrap()
                        .code,
                )
                .or_default();
            match l["rural"].as_str() {
                "true" => e.1 += 1,
                "false" => e.0 += 1,
                other => panic!("rural = {other}"),
            }
        }
        for r in REGIONS {
            let (urban, rural) = per_region[r.code];
            if r.city {
                assert_eq!((urban, rural), (1, 0), "{}", r.ru);
            } else {
                assert!((1..=2).contains(&urban) && (18..=22).contains(&rural));
            }
        }
        let kinds = [
            "school",
            "college",
            "university",
            "healthcare",
            "veterinary",
            "agrarian",
            "research",
            "state_body",
            "employer",
            "education_provider",
        ];
        let mut rural_employers = 0;
        let rural: HashSet<&str> = f
            .localities
            .iter()
            .filter(|l| l["rural"] == "true")
            .map(|l| l["kato"].as_str())
            .collect();
        for e in &f.employers {
            assert!(kinds.contains(&e["kind"].as_str()), "{}", e["kind"]);
            assert!(katos.contains(&e["locality_kato"]));
            assert!(!e["name_ru"].is_empty());
            assert_eq!(e["activity_code"].len(), 5);
            rural_employers += usize::from(rural.contains(e["locality_kato"].as_str()));
        }
        assert!(rural_employers > 0);
        assert!(f.employers.iter().any(|e| e["name_ru"].contains(',')));
        let universities = f.employers.iter().filter(|e| e["kind"] == "university");
        assert_eq!(universities.count(), UNIVERSITIES.len());
    }

    #[test]
    fn graduates_are_consistent() {
        let dir = tempfile::tempdir().unwrap();
        let spec = small(4);
        generate(&spec, dir.path()).unwrap();
        let f = read_all(dir.path());
        let kind_of: HashMap<&str, &str> = f
            .employers
            .iter()
            .map(|e| (e["bin"].as_str(), e["kind"].as_str()))
            .collect();
        let mut full_grant = 0;
        let mut referrals = 0;
        for g in &f.graduates {
            let group = g["specialty_group"].as_str();
            let level = g["level"].as_str();
            let category = g["funding_category"].as_str();
            match category {
                "rural_quota" => assert!(
                    ["pedagogical", "medical", "veterinary", "agricultural"].contains(&group)
                ),
                "serpin" => assert!(["pedagogical", "technical", "agricultural"].contains(&group)),
                "phd" => assert_eq!(level, "phd"),
                "doctor_by_profile" => assert_eq!(level, "doctor_by_profile"),
                "state_order" => {}
                other => panic!("category {other}"),
            }
            assert_eq!(kind_of[g["university_bin"].as_str()], "university");
            let graduation = NaiveDate::parse_from_str(&g["graduation_date"], "%Y-%m-%d").unwrap();
            assert!(
                (spec.first_graduation_year..=spec.last_graduation_year)
                    .contains(&graduation.year())
            );
            assert!([6, 7].contains(&graduation.month()));
            let start = NaiveDate::parse_from_str(&g["study_start"], "%Y-%m-%d").unwrap();
            let programme: i32 = g["programme_months"].parse().unwrap();
            let grant: i32 = g["grant_months"].parse().unwrap();
            assert_eq!(
                (start.year(), start.month(), start.day()),
                (graduation.year() - programme / 12, 9, 1)
            );
            if level == "bachelor" {
                assert_eq!(programme, 48);
                let cost: i64 = g["budget_cost_kzt"].parse().unwrap();
                if grant == programme {
                    assert!((1_500_000..=4_500_000).contains(&cost), "{cost}");
                }
            }
            assert!(grant > 0 && grant <= programme);
            full_grant += usize::from(grant == programme);
            assert!(g["phone"].starts_with("+77") && g["phone"].len() == 12);
            assert!(["kk", "ru", "en"].contains(&g["language"].as_str()));
            assert!(!g["last_name"].is_empty() && !g["first_name"].is_empty());
            if !g["referral_employer_bin"].is_empty() {
                referrals += 1;
                assert!(kind_of.contains_key(g["referral_employer_bin"].as_str()));
                assert!(!g["referral_date"].is_empty());
            }
        }
        let share = full_grant as f64 / f.graduates.len() as f64;
        assert!((0.88..0.98).contains(&share), "{share}");
        assert!(referrals > 0 && referrals < f.graduates.len() / 5);
    }

    #[test]
    fn contributions_look_like_the_feed() {
        let dir = tempfile::tempdir().unwrap();
        let spec = small(5);
        generate(&spec, dir.path()).unwrap();
        let f = read_all(dir.path());
        let start: HashMap<&str, i32> = f
            .graduates
            .iter()
            .map(|g| {
                let d = NaiveDate::parse_from_str(&g["graduation_date"], "%Y-%m-%d").unwrap();
                (g["iin"].as_str(), month_index(d.year(), 9))
            })
            .collect();
        let last = month_index(LAST_PERIOD.0, LAST_PERIOD.1);
        let mut empty_amounts = 0;
        let mut lines = HashSet::new();
        let mut duplicates = 0;
        let mut concurrent: HashMap<(&str, &str), HashSet<&str>> = HashMap::new();
        for c in &f.contributions {
            let (y, m) = c["period"].split_once('-').unwrap();
            let p = month_index(y.parse().unwrap(), m.parse().unwrap());
            let s = start[c["iin"].as_str()];
            assert!(p >= s && p < s + spec.months as i32 && p <= last, "{p}");
            let paid = NaiveDate::parse_from_str(&c["payment_date"], "%Y-%m-%d").unwrap();
            assert_eq!(month_index(paid.year(), paid.month()), p + 1);
            assert!(["010", "012"].contains(&c["payment_code"].as_str()));
            assert!(!c["employer_name"].is_empty() && !c["employer_address"].is_empty());
            if c["amount_kzt"].is_empty() {
                empty_amounts += 1;
            } else {
                let amount: u64 = c["amount_kzt"].parse().unwrap();
                if c["payment_code"] == "010" {
                    assert!((8_000..=100_000).contains(&amount), "{amount}");
                }
            }
            let mut key: Vec<&String> = c.values().collect();
            key.sort();
            if !lines.insert(key) {
                duplicates += 1;
            }
            if c["payment_code"] == "010" {
                concurrent
                    .entry((c["iin"].as_str(), c["period"].as_str()))
                    .or_default()
                    .insert(c["employer_id"].as_str());
            }
        }
        let n = f.contributions.len() as f64;
        assert!((0.15..0.25).contains(&(empty_amounts as f64 / n)));
        assert!(
            (0.003..0.02).contains(&(duplicates as f64 / n)),
            "{duplicates}"
        );
        assert!(
            concurrent.values().any(|e| e.len() >= 2),
            "no concurrent employers"
        );
        let working: HashSet<&str> = f.contributions.iter().map(|c| c["iin"].as_str()).collect();
        let share = working.len() as f64 / f.graduates.len() as f64;
        assert!((0.72..0.95).contains(&share), "{share}");
    }

    #[test]
    fn months_are_capped_and_an_empty_run_works() {
        let dir = tempfile::tempdir().unwrap();
        let spec = GenSpec {
            graduates: 50,
            months: 0,
            ..small(6)
        };
        let s = generate(&spec, dir.path()).unwrap();
        assert_eq!(s.contributions, 0);
        let late = GenSpec {
            graduates: 50,
            months: 36,
            first_graduation_year: 2027,
            last_graduation_year: 2027,
            ..small(6)
        };
        assert_eq!(generate(&late, dir.path()).unwrap().contributions, 0);
        let bad = GenSpec {
            first_graduation_year: 2025,
            last_graduation_year: 2022,
            ..small(6)
        };
        assert!(generate(&bad, dir.path()).is_err());
    }
}
