//! Export of the filtered graduates list: `GET /exports/graduates.csv` and
//! `GET /exports/graduates.xlsx` with the filters of the `graduates` query as URL parameters
//! (`status=BREACH&regionKato=...`), for the operator's staff (bearer token). Both read the
//! register page by page: the CSV is streamed as it is read, the XLSX worksheet is written in
//! constant memory (rows go to a temporary file) and sent when complete. Each export is
//! recorded in the audit trail with its format and filters.
//!
//! Two forms. For people: the XLSX always, and the CSV when a `lang=kk|ru|en` is given (the
//! pages pass theirs): column names, statuses, categories, specialties (from the classifier,
//! where it has the code) and regions in that language, the codes in extra columns at the end
//! (`category_code`, `region_kato`, `status_code`; the specialty's code is a column), and a CSV
//! that Excel opens as it is: UTF-8 with a byte-order mark, separated by `;` in kk and ru (the
//! list separator of those locales) and `,` in en. The XLSX without `lang` is in Russian. For
//! machines: the CSV without `lang`, as before: column names, codes, `,`, no byte-order mark.
//! IINs go out masked, as the list shows them; the exact-IIN filter is not offered, since an
//! IIN never goes into a URL (domain brief §1).

use actix_web::{HttpRequest, HttpResponse, web};
use futures_util::stream;
use serde::Deserialize;
use serde_json::json;

use super::graphql::GraduateFilterInput;
use super::labels;
use super::service::{self, GraduateRow};
use super::vocab::{FundingCategory, ObligationStatus, SpecialtyGroup};
use adal_core::audit;
use adal_core::auth::roles::OPERATOR_STAFF;
use adal_core::error::{ApiError, ApiResult, refusal};
use adal_core::identifiers::mask;
use adal_core::pagination::{MAX_PAGE, PageRequest, encode_cursor};
use adal_core::state::AppState;
use adal_core::vocab::Language;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/exports/graduates.csv", web::get().to(graduates_csv))
        .route("/exports/graduates.xlsx", web::get().to(graduates_xlsx));
}

/// The filters, named as in `GraduateFilter`.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ExportFilter {
    status: Option<String>,
    category: Option<String>,
    specialty_group: Option<String>,
    region_kato: Option<String>,
    university_id: Option<String>,
    graduation_year: Option<i32>,
    employer_id: Option<String>,
    /// The language of the export for people (`kk`, `ru`, `en`); none: the CSV for machines.
    lang: Option<String>,
}

/// `BREACH` (the GraphQL name) as the stored vocabulary value.
fn vocab<T>(
    field: &str,
    v: Option<String>,
    from_db: fn(&str) -> Option<T>,
) -> ApiResult<Option<T>> {
    v.filter(|s| !s.is_empty())
        .map(|s| {
            from_db(&s.to_ascii_lowercase())
                .ok_or_else(|| ApiError::bad_input(field, format!("unknown value {s}")))
        })
        .transpose()
}

impl ExportFilter {
    fn parse(self) -> ApiResult<service::GraduateFilter> {
        GraduateFilterInput {
            status: vocab("status", self.status, ObligationStatus::from_db)?,
            category: vocab("category", self.category, FundingCategory::from_db)?,
            specialty_group: vocab(
                "specialtyGroup",
                self.specialty_group,
                SpecialtyGroup::from_db,
            )?,
            region_kato: self.region_kato,
            university_id: self.university_id.map(Into::into),
            graduation_year: self.graduation_year,
            employer_id: self.employer_id.map(Into::into),
            iin: None,
        }
        .parse()
    }
}

/// The columns, as the CSV names them and as the XLSX header row says it in kk, ru and en.
const COLUMNS: [(&str, [&str; 3]); 12] = [
    ("id", ["№", "№", "No."]),
    ("full_name", ["Аты-жөні", "ФИО", "Full name"]),
    (
        "iin_masked",
        ["ЖСН (жасырылған)", "ИИН (скрыт)", "IIN (masked)"],
    ),
    ("category", ["Санат", "Категория", "Category"]),
    (
        "specialty_code",
        ["Мамандық коды", "Код специальности", "Specialty code"],
    ),
    ("specialty_name", ["Мамандық", "Специальность", "Specialty"]),
    ("region_kato", ["Өңір", "Регион", "Region"]),
    (
        "graduation_date",
        ["Бітірген күні", "Дата выпуска", "Graduation date"],
    ),
    ("status", ["Мәртебе", "Статус", "Status"]),
    (
        "required_months",
        ["Талап етілетін ай", "Требуется месяцев", "Months required"],
    ),
    (
        "credited_months",
        ["Есептелген ай", "Засчитано месяцев", "Months credited"],
    ),
    (
        "remaining_months",
        ["Қалған ай", "Осталось месяцев", "Months remaining"],
    ),
];

/// The columns people's exports add at the end: the codes, for machines.
const CODE_COLUMNS: [&str; 3] = ["category_code", "region_kato", "status_code"];

/// Columns holding whole numbers (written as numbers in XLSX).
const NUMERIC: [usize; 4] = [0, 9, 10, 11];

/// How an export is written: for machines (column names and codes) or for people in a
/// language (names, words, and the codes in [`CODE_COLUMNS`]).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Form {
    Machines,
    People(Language),
}

impl Form {
    /// The form a `lang` parameter asks for.
    fn of(lang: Option<&str>) -> ApiResult<Self> {
        match lang.filter(|l| !l.is_empty()) {
            None => Ok(Form::Machines),
            Some(l) => Language::from_db(l)
                .map(Form::People)
                .ok_or_else(|| ApiError::bad_input("lang", format!("unknown language {l}"))),
        }
    }

    /// The CSV separator: `;` where Excel's list separator is one (kk, ru), else `,`.
    fn separator(self) -> char {
        match self {
            Form::People(Language::Kk | Language::Ru) => ';',
            _ => ',',
        }
    }

    /// The header row's names.
    fn header(self) -> Vec<&'static str> {
        match self {
            Form::Machines => COLUMNS.iter().map(|(c, _)| *c).collect(),
            Form::People(l) => COLUMNS
                .iter()
                .map(|(_, [kk, ru, en])| l.pick(kk, ru, en))
                .chain(CODE_COLUMNS)
                .collect(),
        }
    }
}

/// The names the people's form reads in its language: regions by KATO code, specialties by
/// code (the classifier; a code it lacks keeps the name the university gave).
#[derive(Default)]
pub struct Names {
    regions: std::collections::HashMap<String, entities::region::Model>,
    specialties: std::collections::HashMap<String, entities::specialty::Model>,
}

/// Every region's and specialty's names (a few dozen and a few hundred rows), for the
/// people's form.
async fn names(db: &sea_orm::DatabaseConnection) -> ApiResult<Names> {
    use sea_orm::EntityTrait;
    let regions = entities::region::Entity::find()
        .all(db)
        .await
        .map_err(ApiError::internal)?;
    let specialties = entities::specialty::Entity::find()
        .all(db)
        .await
        .map_err(ApiError::internal)?;
    Ok(Names {
        regions: regions.into_iter().map(|r| (r.kato.clone(), r)).collect(),
        specialties: specialties
            .into_iter()
            .map(|s| (s.code.clone(), s))
            .collect(),
    })
}

/// One row's cells, in the order of [`Form::header`].
fn cells(r: &GraduateRow, form: Form, names: &Names) -> Vec<String> {
    let name = r.full_name();
    let remaining = (r.required_months - r.credited_months).max(0);
    let kato = r.home_region_kato.clone().unwrap_or_default();
    let (category, specialty, region, status) = match form {
        Form::Machines => (
            r.funding_category.to_ascii_uppercase(),
            r.specialty_name.clone(),
            kato.clone(),
            r.status.to_ascii_uppercase(),
        ),
        Form::People(l) => (
            FundingCategory::from_db(&r.funding_category).map_or_else(
                || r.funding_category.clone(),
                |c| labels::category(c, l).into(),
            ),
            labels::specialty(
                names.specialties.get(&r.specialty_code),
                &r.specialty_name,
                l,
            ),
            names.regions.get(&kato).map_or_else(
                || kato.clone(),
                |g| l.pick(&g.name_kk, &g.name_ru, &g.name_en).into(),
            ),
            ObligationStatus::from_db(&r.status)
                .map_or_else(|| r.status.clone(), |s| labels::status(s, l).into()),
        ),
    };
    let mut out = vec![
        r.id.to_string(),
        name,
        mask(&r.iin),
        category,
        r.specialty_code.clone(),
        specialty,
        region,
        r.graduation_date.to_string(),
        status,
        r.required_months.to_string(),
        r.credited_months.to_string(),
        remaining.to_string(),
    ];
    if let Form::People(_) = form {
        out.extend([
            r.funding_category.to_ascii_uppercase(),
            kato,
            r.status.to_ascii_uppercase(),
        ]);
    }
    out
}

/// The first bytes of a CSV: the byte-order mark for people, then the header line.
fn csv_header(form: Form) -> String {
    let mut out = String::new();
    if let Form::People(_) = form {
        out.push('\u{feff}');
    }
    let mut line = form.header().into_iter().map(String::from);
    csv_line(&mut out, &mut line, form.separator(), |_| true);
    out
}

/// One CSV line; a field is quoted when it needs to be, and written as text when `text(i)`.
fn csv_line(
    out: &mut String,
    fields: &mut dyn Iterator<Item = String>,
    sep: char,
    text: impl Fn(usize) -> bool,
) {
    for (i, value) in fields.enumerate() {
        if i > 0 {
            out.push(sep);
        }
        let value = if text(i) {
            adal_core::spreadsheet::text_cell(&value).into_owned()
        } else {
            value
        };
        if value.contains([sep, '"', '\n', '\r']) {
            out.push('"');
            out.push_str(&value.replace('"', "\"\""));
            out.push('"');
        } else {
            out.push_str(&value);
        }
    }
    out.push('\n');
}

/// The CSV lines of one page of rows.
pub fn csv_lines(rows: &[GraduateRow], form: Form, names: &Names) -> String {
    let mut out = String::new();
    for r in rows {
        let mut fields = cells(r, form, names).into_iter();
        csv_line(&mut out, &mut fields, form.separator(), |i| {
            !NUMERIC.contains(&i)
        });
    }
    out
}

/// Admits an export: the caller is the operator's staff, the filters are valid, and the export
/// is on the audit trail. Otherwise the response to send instead.
async fn admit(
    req: &HttpRequest,
    state: &AppState,
    query: ExportFilter,
    format: &str,
) -> ApiResult<service::GraduateFilter> {
    let actor = adal_core::graphql::http_actor(req, state, OPERATOR_STAFF).await?;
    let raw = format!("{query:?}");
    let filter = query.parse()?;
    audit::record(
        &state.db,
        Some(actor.account_id),
        "graduates.export",
        "graduate",
        "list",
        json!({ "format": format, "filter": raw }),
    )
    .await?;
    Ok(filter)
}

/// The register's pages under `filter`, in id order, until the last.
fn pages(
    db: sea_orm::DatabaseConnection,
    filter: service::GraduateFilter,
) -> impl futures_util::Stream<Item = ApiResult<Vec<GraduateRow>>> {
    // The cursor of the next page; `None` after the last page.
    stream::unfold(Some(None::<String>), move |after| {
        let db = db.clone();
        let filter = filter.clone();
        async move {
            let after = after?;
            let page = match PageRequest::parse(Some(MAX_PAGE as i32), after) {
                Ok(p) => p,
                Err(e) => return Some((Err(e), None)),
            };
            match service::list(&db, &filter, &page).await {
                Err(e) => Some((Err(e), None)),
                Ok(rows) => {
                    let next = (rows.len() as u64 == MAX_PAGE)
                        .then(|| rows.last().map(|r| encode_cursor(&r.id.to_string())))
                        .flatten();
                    Some((Ok(rows), next.map(Some)))
                }
            }
        }
    })
}

async fn graduates_csv(
    req: HttpRequest,
    query: web::Query<ExportFilter>,
    state: web::Data<AppState>,
) -> HttpResponse {
    let form = match Form::of(query.lang.as_deref()) {
        Ok(f) => f,
        Err(e) => return refusal(&e),
    };
    let filter = match admit(&req, &state, query.into_inner(), "csv").await {
        Ok(f) => f,
        Err(e) => return refusal(&e),
    };
    let names = match form {
        Form::Machines => Names::default(),
        Form::People(_) => match names(&state.db).await {
            Ok(n) => n,
            Err(e) => return refusal(&e),
        },
    };
    let lines = futures_util::StreamExt::map(pages(state.db.clone(), filter), move |rows| {
        rows.map(|rows| web::Bytes::from(csv_lines(&rows, form, &names)))
    });
    let head = stream::once(async move { Ok::<_, ApiError>(web::Bytes::from(csv_header(form))) });
    // A failure mid-stream ends the response early (the client sees a truncated download);
    // its cause is logged, never sent.
    let body = futures_util::StreamExt::map(futures_util::StreamExt::chain(head, lines), |r| {
        r.map_err(|e| {
            tracing::warn!(code = e.code(), "export: reading a page failed");
            std::io::Error::other(e.code())
        })
    });
    HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            "Content-Disposition",
            "attachment; filename=\"graduates.csv\"",
        ))
        .streaming(body)
}

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

async fn graduates_xlsx(
    req: HttpRequest,
    query: web::Query<ExportFilter>,
    state: web::Data<AppState>,
) -> HttpResponse {
    let lang = match Form::of(query.lang.as_deref()) {
        Ok(Form::People(l)) => l,
        Ok(Form::Machines) => Language::Ru,
        Err(e) => return refusal(&e),
    };
    let filter = match admit(&req, &state, query.into_inner(), "xlsx").await {
        Ok(f) => f,
        Err(e) => return refusal(&e),
    };
    match xlsx(state.db.clone(), filter, lang).await {
        Ok(bytes) => HttpResponse::Ok()
            .content_type(XLSX)
            .insert_header((
                "Content-Disposition",
                "attachment; filename=\"graduates.xlsx\"",
            ))
            .body(bytes),
        Err(e) => refusal(&e),
    }
}

/// The workbook of the filtered register, for people reading `lang`.
async fn xlsx(
    db: sea_orm::DatabaseConnection,
    filter: service::GraduateFilter,
    lang: Language,
) -> ApiResult<Vec<u8>> {
    let form = Form::People(lang);
    let names = names(&db).await?;
    use rust_xlsxwriter::{Format, Workbook, XlsxError};
    let failed = |e: XlsxError| ApiError::internal(anyhow::anyhow!("xlsx: {e}"));
    let mut book = Workbook::new();
    let sheet = book.add_worksheet_with_constant_memory().map_err(failed)?;
    let bold = Format::new().set_bold();
    for (col, name) in form.header().into_iter().enumerate() {
        sheet
            .write_string_with_format(0, col as u16, name, &bold)
            .map_err(failed)?;
    }
    sheet.set_freeze_panes(1, 0).map_err(failed)?;
    let mut row: u32 = 1;
    let mut pages = std::pin::pin!(pages(db, filter));
    while let Some(rows) = futures_util::StreamExt::next(&mut pages).await {
        for r in rows? {
            for (col, cell) in cells(&r, form, &names).iter().enumerate() {
                let number = NUMERIC
                    .contains(&col)
                    .then(|| cell.parse::<f64>().ok())
                    .flatten();
                match number {
                    Some(n) => sheet.write_number(row, col as u16, n),
                    None => sheet.write_string(row, col as u16, cell),
                }
                .map_err(failed)?;
            }
            row += 1;
        }
    }
    tokio::task::spawn_blocking(move || book.save_to_buffer().map_err(failed))
        .await
        .map_err(ApiError::internal)?
}
