//! `/open`: the open figures, for anyone, without signing in. Each table with its rows and
//! columns named in the page's language, hidden counts shown as "—", how it is computed, and
//! its CSV file. Rows and columns that count nobody are left out, so that a table fits a phone.
//! Last, the audit trail's published day heads.

use adal_web::api::{self, ApiError};
use adal_web::format;
use adal_web::gql::{self, ClubDirection, FundingCategory, ObligationStatus, OpenFigures};
use adal_web::i18n::{Key, Lang};
use adal_web::ledger::{category_key, period_label, status_key};
use adal_web::ui::{error_view, lang, local_time, t, table};
use adal_web::vouchers::{direction_key, priority_category};
use leptos::prelude::*;

use gql::open_figures::{
    OpenFiguresAuditHeads as DayHead, OpenFiguresOpenFigures as Figures,
    OpenFiguresOpenFiguresTables as Table, OpenHeadingParts as Heading, OpenValuesParts as Values,
};

/// The title and the "how computed" text of a table.
fn texts(id: &str) -> (Key, Key) {
    match id {
        "graduates-by-region" => (Key::OpenGraduatesByRegion, Key::OpenMethodGraduates),
        "graduates-by-year" => (Key::OpenGraduatesByYear, Key::OpenMethodGraduates),
        "graduates-by-funding" => (Key::OpenGraduatesByFunding, Key::OpenMethodGraduates),
        "vouchers-by-direction" => (Key::OpenVouchersByDirection, Key::OpenMethodVouchers),
        "vouchers-by-category" => (Key::OpenVouchersByCategory, Key::OpenMethodCategories),
        "vouchers-paid-by-month" => (Key::OpenVouchersPaid, Key::OpenMethodPaid),
        "free-meals-cost-by-month" => (Key::OpenMealsCost, Key::OpenMethodMeals),
        _ => (Key::OpenMealsServed, Key::OpenMethodMeals),
    }
}

/// What the rows (or columns) of a kind are called.
fn kind_key(kind: &str) -> Option<Key> {
    Some(match kind {
        "region" => Key::OpenKindRegion,
        "year" => Key::OpenKindYear,
        "funding" => Key::OpenKindFunding,
        "direction" => Key::OpenKindDirection,
        "category" => Key::OpenKindCategory,
        "month" => Key::OpenKindMonth,
        _ => return None,
    })
}

/// A row's or a column's name in the page's language.
fn heading(l: Lang, kind: &str, h: &Heading) -> String {
    if h.code == "UNKNOWN" {
        return l.text(Key::OpenUnknown).to_string();
    }
    match kind {
        "status" => l
            .text(status_key(Some(ObligationStatus::parse(&h.code))))
            .to_string(),
        "funding" => l
            .text(category_key(Some(FundingCategory::parse(&h.code))))
            .to_string(),
        "direction" => l
            .text(direction_key(Some(ClubDirection::parse(&h.code))))
            .to_string(),
        "category" => priority_category(l, &h.code),
        "month" => period_label(&h.code),
        _ => h.name.clone().unwrap_or_else(|| h.code.clone()),
    }
}

/// A cell: its persons ("—" when hidden), and the amount below it when the table has one.
fn cell(l: Lang, amount_kind: Option<&str>, v: &Values) -> AnyView {
    let persons = match v.persons {
        Some(n) => format::number(l, n),
        None => "—".to_string(),
    };
    let hidden = v.persons.is_none().then(|| l.text(Key::OpenHidden));
    let amount = match (amount_kind, v.amount) {
        (Some("tenge"), Some(a)) => Some(format::money(l, a.saturating_mul(100))),
        (Some(_), Some(a)) => Some(format!(
            "{} {}",
            format::number(l, a),
            l.text(Key::OpenMeals)
        )),
        _ => None,
    };
    view! {
        <span title=hidden aria-label=hidden>{persons}</span>
        {amount.map(|a| view! { <br/><small class="muted">{a}</small> })}
    }
    .into_any()
}

/// One table: the rows and columns that count anyone, with their totals.
#[component]
fn OpenTableView(table: Table) -> impl IntoView {
    let l = lang();
    let (title, method) = texts(&table.id);
    // Rows and columns whose total is a shown zero count nobody; hidden ones stay.
    let counts = |v: &Values| v.persons != Some(0);
    let rows: Vec<usize> = (0..table.rows.len())
        .filter(|&i| counts(&table.row_totals[i]))
        .collect();
    let cols: Vec<usize> = (0..table.columns.len())
        .filter(|&j| counts(&table.column_totals[j]))
        .collect();
    let amount_kind = table.amount_kind.clone();
    let ak = move || amount_kind.as_deref().map(str::to_owned);
    let csv = format!("/open-data/{}.csv?lang={}", table.id, l.code());
    let body = if rows.is_empty() {
        view! { <p class="muted">{t(Key::OpenNothingYet)}</p> }.into_any()
    } else {
        let corner = kind_key(&table.row_kind).map(|k| l.text(k)).unwrap_or("");
        let head: Vec<_> = cols
            .iter()
            .map(|&j| {
                view! { <th scope="col">{heading(l, &table.column_kind, &table.columns[j])}</th> }
            })
            .collect();
        let body: Vec<_> = rows
            .iter()
            .map(|&i| {
                let cells: Vec<_> = cols
                    .iter()
                    .map(|&j| view! { <td class="num">{cell(l, ak().as_deref(), &table.cells[i][j])}</td> })
                    .collect();
                view! {
                    <tr>
                        <th scope="row">{heading(l, &table.row_kind, &table.rows[i])}</th>
                        {cells}
                        <td class="num total">{cell(l, ak().as_deref(), &table.row_totals[i])}</td>
                    </tr>
                }
            })
            .collect();
        let foot: Vec<_> = cols
            .iter()
            .map(|&j| view! { <td class="num total">{cell(l, ak().as_deref(), &table.column_totals[j])}</td> })
            .collect();
        view! {
            <div class="table-wrap">
                <table class="open-table">
                    <thead>
                        <tr><th scope="col">{corner}</th>{head}<th scope="col">{t(Key::OpenTotal)}</th></tr>
                    </thead>
                    <tbody>{body}</tbody>
                    <tfoot>
                        <tr>
                            <th scope="row">{t(Key::OpenTotal)}</th>
                            {foot}
                            <td class="num total">{cell(l, ak().as_deref(), &table.total)}</td>
                        </tr>
                    </tfoot>
                </table>
            </div>
            {table.amount_kind.is_some().then(|| view! { <p class="muted">{t(Key::OpenCellLegend)}</p> })}
        }
        .into_any()
    };
    view! {
        <article class="panel open-figures-table" id=format!("open-{}", table.id)>
            <h2>{t(title)}</h2>
            <p class="muted">{t(method)}</p>
            {body}
            <p><a href=csv download="">{t(Key::OpenDownloadCsv)}</a></p>
        </article>
    }
}

/// The audit trail's day heads: the day, how many records it sealed, the hash of its last
/// link (whole, to copy), and whether the outside witness has it.
#[component]
fn AuditHeads(heads: Vec<DayHead>) -> impl IntoView {
    let l = lang();
    let body = if heads.is_empty() {
        view! { <p class="muted" id="audit-heads-none">{t(Key::OpenAuditNone)}</p> }.into_any()
    } else {
        let rows = heads.into_iter().map(|h| {
            let witnessed = if h.witnessed_at.is_some() {
                Key::OpenAuditWitnessedYes
            } else {
                Key::OpenAuditWitnessedNo
            };
            view! {
                <tr>
                    <th scope="row">{format::date(l, &h.day)}</th>
                    <td class="num">{format::number(l, h.events)}</td>
                    <td><code class="hash">{h.hash}</code></td>
                    <td>{t(witnessed)}</td>
                </tr>
            }
        });
        let heads = [
            Key::OpenAuditDay,
            Key::OpenAuditEvents,
            Key::OpenAuditHash,
            Key::OpenAuditWitnessed,
        ];
        table(l, "audit-heads", "", &heads, rows.collect_view().into_any())
    };
    view! {
        <article class="panel" id="open-audit">
            <h2>{t(Key::OpenAuditTitle)}</h2>
            <p class="muted">{t(Key::OpenAuditIntro)}</p>
            {body}
        </article>
    }
}

/// `/open`: every table of the open figures, and the audit trail's day heads, for anyone.
#[component]
pub fn OpenPage() -> impl IntoView {
    let figures: RwSignal<Option<(Figures, Vec<DayHead>)>> = RwSignal::new(None);
    let error: RwSignal<Option<ApiError>> = RwSignal::new(None);
    // Asked again in each language: the regions' names come with the figures.
    Effect::new(move |_| {
        let language = Some(lang().to_api());
        leptos::task::spawn_local(async move {
            match api::call_anonymous::<OpenFigures>(gql::open_figures::Variables { language })
                .await
            {
                Ok(d) => figures.set(Some((d.open_figures, d.audit_heads))),
                Err(e) => error.set(Some(e)),
            }
        });
    });
    view! {
        <section class="open-figures" aria-labelledby="open-title">
            <h1 id="open-title">{t(Key::OpenTitle)}</h1>
            <p>{t(Key::OpenIntro)}</p>
            {error_view(error)}
            {move || figures.get().map(|(f, heads)| {
                let at = local_time(lang(), &f.computed_at);
                view! {
                    <p class="muted" id="open-computed-at">{t(Key::OpenComputedAt)}": "{at}</p>
                    {f.tables.into_iter().map(|table| view! { <OpenTableView table/> }).collect::<Vec<_>>()}
                    <AuditHeads heads/>
                }
            })}
        </section>
    }
}
