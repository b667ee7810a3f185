//! A graduate's work-off obligation as both the graduate's own page and the operator's
//! graduate card show it: the status line, the figures, and the ledger timeline.

use leptos::prelude::*;

use crate::format;
use crate::gql::{FundingCategory, MonthState, ObligationStatus};
use crate::i18n::{Key, Lang};
use crate::ui::{Stat, fill, lang, t};

/// The label of an obligation status (`None`: not evaluated yet).
pub fn status_key(s: Option<ObligationStatus>) -> Key {
    match s {
        Some(ObligationStatus::NotStarted) => Key::StatusNotStarted,
        Some(ObligationStatus::Working) => Key::StatusWorking,
        Some(ObligationStatus::Gap) => Key::StatusGap,
        Some(ObligationStatus::NonQualifying) => Key::StatusNonQualifying,
        Some(ObligationStatus::Suspended) => Key::StatusSuspended,
        Some(ObligationStatus::Exempt) => Key::StatusExempt,
        Some(ObligationStatus::Fulfilled) => Key::StatusFulfilled,
        Some(ObligationStatus::Breach) => Key::StatusBreach,
        Some(ObligationStatus::Reimbursing) => Key::StatusReimbursing,
        Some(ObligationStatus::Closed) => Key::StatusClosed,
        Some(ObligationStatus::Unknown) | None => Key::StatusNotEvaluated,
    }
}

/// The CSS class of a status badge.
pub fn status_class(s: Option<ObligationStatus>) -> &'static str {
    match s {
        Some(ObligationStatus::Working | ObligationStatus::Fulfilled) => "badge ok",
        Some(ObligationStatus::Breach | ObligationStatus::Reimbursing | ObligationStatus::Gap) => {
            "badge bad"
        }
        Some(ObligationStatus::NonQualifying) => "badge warn",
        _ => "badge",
    }
}

pub fn month_key(s: MonthState) -> Key {
    match s {
        MonthState::Credited => Key::MonthCredited,
        MonthState::NonQualifying => Key::MonthNonQualifying,
        MonthState::PendingClassification => Key::MonthPendingClassification,
        MonthState::Suspended => Key::MonthSuspended,
        MonthState::Exempt => Key::MonthExempt,
        MonthState::Gap => Key::MonthGap,
        MonthState::Unknown => Key::MonthUnknown,
    }
}

pub fn month_class(s: MonthState) -> &'static str {
    match s {
        MonthState::Credited => "month m-credited",
        MonthState::NonQualifying => "month m-nonqualifying",
        MonthState::PendingClassification => "month m-pending",
        MonthState::Suspended => "month m-suspended",
        MonthState::Exempt => "month m-exempt",
        MonthState::Gap => "month m-gap",
        MonthState::Unknown => "month",
    }
}

pub fn category_key(c: Option<FundingCategory>) -> Key {
    match c {
        Some(FundingCategory::RuralQuota) => Key::CatRuralQuota,
        Some(FundingCategory::Serpin) => Key::CatSerpin,
        Some(FundingCategory::StateOrder) => Key::CatStateOrder,
        Some(FundingCategory::Phd) => Key::CatPhd,
        Some(FundingCategory::DoctorByProfile) => Key::CatDoctorByProfile,
        Some(FundingCategory::Unknown) | None => Key::CatNone,
    }
}

/// One month of the ledger, whichever query it came from.
#[derive(Clone, Debug, PartialEq)]
pub struct Month {
    pub period: String,
    pub state: MonthState,
    pub employer: Option<String>,
    pub reason: Option<String>,
    /// The month's evidence is a document the operator accepted, not the pension feed.
    pub by_document: bool,
}

/// [`Month`]s from a query's `ledger` (each query has its own generated type).
#[macro_export]
macro_rules! months_of {
    ($ledger:expr) => {
        $ledger
            .into_iter()
            .map(|m| $crate::ledger::Month {
                period: m.period,
                state: m.state,
                employer: m.employer.map(|e| e.name),
                reason: m.reason,
                by_document: m.source == Some($crate::gql::EvidenceSource::Document),
            })
            .collect::<Vec<$crate::ledger::Month>>()
    };
}

/// "YYYY-MM" as the month's name in the language, e.g. "03.2024".
pub fn period_label(period: &str) -> String {
    match period.split_once('-') {
        Some((y, m)) => format!("{m}.{y}"),
        None => period.to_string(),
    }
}

/// "YYYY-MM" as the year and the month's number (1 to 12).
fn year_month(period: &str) -> Option<(i32, usize)> {
    let (y, m) = period.split_once('-')?;
    let m: usize = m.get(..2).unwrap_or(m).parse().ok()?;
    Some((y.parse().ok()?, m)).filter(|(_, m)| (1..=12).contains(m))
}

/// "YYYY-MM" as a calendar names the month: "2025 жылғы наурыз", "Март 2025", "March 2025".
pub fn month_name(l: Lang, period: &str) -> String {
    let Some((y, m)) = year_month(period) else {
        return period.to_string();
    };
    let name = format::month_of_year(l, m);
    match l {
        Lang::Kk => format!("{y} жылғы {name}"),
        _ => format!("{} {y}", capitalised(name)),
    }
}

/// `s` with its first letter in upper case.
fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// A month's initial for its cell (Kazakh has three months in Қ: those get two letters).
fn month_initial(l: Lang, m: usize) -> String {
    let name = format::month_of_year(l, m);
    let n = if l == Lang::Kk && name.starts_with('қ') {
        2
    } else {
        1
    };
    capitalised(&name.chars().take(n).collect::<String>())
}

/// The ledger as a calendar: one row per year, twelve cells per row (one per month, empty
/// where the ledger has no month), each coloured by state and lettered with the month's
/// initial. Hovering shows the employer and the reason; tapping a cell (a phone) shows them
/// beside the ledger; a screen reader reads each cell's month, state and employer. A legend of
/// the states shown follows. Typed views: the API's names are text nodes and attribute
/// values, never markup.
#[component]
pub fn Timeline(months: Vec<Month>) -> impl IntoView {
    if months.is_empty() {
        return view! {
            <section class="panel" id="ledger">
                <h2>{t(Key::LedgerTitle)}</h2>
                <p class="muted">{t(Key::LedgerEmpty)}</p>
            </section>
        }
        .into_any();
    }
    let mut states: Vec<(MonthState, usize)> = Vec::new();
    for m in &months {
        match states.iter_mut().find(|(s, _)| *s == m.state) {
            Some((_, n)) => *n += 1,
            None => states.push((m.state, 1)),
        }
    }
    states.sort_by_key(|(s, _)| *s);
    // The years, each with its twelve slots.
    let mut years: Vec<(i32, [Option<Month>; 12])> = Vec::new();
    for m in months {
        let Some((y, i)) = year_month(&m.period) else {
            continue;
        };
        let row = match years.iter().position(|(year, _)| *year == y) {
            Some(p) => p,
            None => {
                years.push((y, Default::default()));
                years.len() - 1
            }
        };
        years[row].1[i - 1] = Some(m);
    }
    years.sort_by_key(|(y, _)| *y);
    let chosen: RwSignal<Option<Month>> = RwSignal::new(None);
    let rows = years
        .into_iter()
        .map(|(year, slots)| {
            let cells = slots
                .into_iter()
                .enumerate()
                .map(|(i, slot)| match slot {
                    None => view! { <li class="month m-none" aria-hidden="true"></li> }.into_any(),
                    Some(m) => {
                        let state = m.state;
                        let period = m.period.clone();
                        let label = {
                            let m = m.clone();
                            move || month_label(lang(), &m)
                        };
                        let pressed = {
                            let period = period.clone();
                            move || {
                                chosen.with(|c| c.as_ref().is_some_and(|c| c.period == period))
                            }
                        };
                        view! {
                            <li>
                                <button
                                    type="button"
                                    class=month_class(state)
                                    data-state=state.as_str()
                                    data-period=period
                                    title=label.clone()
                                    aria-label=label
                                    aria-pressed=move || if pressed() { "true" } else { "false" }
                                    aria-controls="month-detail"
                                    on:click=move |_| chosen.set(Some(m.clone()))
                                >
                                    <span aria-hidden="true">{move || month_initial(lang(), i + 1)}</span>
                                </button>
                            </li>
                        }
                        .into_any()
                    }
                })
                .collect_view();
            view! {
                <li class="ledger-year">
                    <span class="year">{year}</span>
                    <ol class="timeline" aria-label=year.to_string()>{cells}</ol>
                </li>
            }
        })
        .collect_view();
    let detail = move || match chosen.get() {
        None => view! { <p class="muted">{t(Key::LedgerTapMonth)}</p> }.into_any(),
        Some(m) => {
            let l = lang();
            view! {
                <p class="month-title"><strong>{month_name(l, &m.period)}</strong></p>
                <p class="month-state">
                    <span class=format!("swatch {}", month_class(m.state)) aria-hidden="true"></span>
                    {l.text(month_key(m.state))}
                </p>
                <p>
                    {l.text(Key::LedgerEmployer)} ": "
                    {m.employer.unwrap_or_else(|| l.text(Key::LedgerNoEmployer).to_string())}
                    {m.by_document.then(|| view! {
                        " " <span class="by-document">"(" {l.text(Key::LedgerByDocument)} ")"</span>
                    })}
                </p>
                {m.reason.map(|r| view! { <p class="reason">{r}</p> })}
            }
            .into_any()
        }
    };
    let legend = states
        .into_iter()
        .map(|(s, n)| {
            let count = move || {
                let l = lang();
                fill(
                    l.text(Key::MonthsCount),
                    &[("n", format::number(l, n as i64))],
                )
            };
            view! {
                <li>
                    <span class=format!("swatch {}", month_class(s)) aria-hidden="true"></span>
                    {t(month_key(s))}
                    " — "
                    {count}
                </li>
            }
        })
        .collect_view();
    view! {
        <section class="panel" id="ledger" aria-labelledby="ledger-title">
            <h2 id="ledger-title">{t(Key::LedgerTitle)}</h2>
            <p class="muted">{t(Key::LedgerHint)}</p>
            <ol class="ledger-years">{rows}</ol>
            <div class="month-detail" id="month-detail" aria-live="polite">{detail}</div>
            <h3 class="legend-title">{t(Key::Legend)}</h3>
            <ul class="legend" id="legend">{legend}</ul>
        </section>
    }
    .into_any()
}

/// A month's cell label: "March 2024: Credited · employer · reason".
fn month_label(l: Lang, m: &Month) -> String {
    let mut parts = vec![l.text(month_key(m.state)).to_string()];
    parts.extend(m.employer.clone());
    if m.by_document {
        parts.push(l.text(Key::LedgerByDocument).to_string());
    }
    parts.extend(m.reason.clone());
    format!("{}: {}", month_name(l, &m.period), parts.join(" · "))
}

/// The figures of an obligation, shared by the graduate's page and the card.
#[component]
pub fn Terms(
    required: i64,
    credited: i64,
    remaining: i64,
    projected: Option<String>,
) -> impl IntoView {
    let num = move |n: i64| Signal::derive(move || format::number(lang(), n));
    let completion = Signal::derive(move || match &projected {
        Some(d) => format::month(lang(), d),
        None => lang().text(Key::NoProjection).to_string(),
    });
    view! {
        <ul class="stats">
            <Stat id="required-months" label=Key::RequiredMonths value=num(required)/>
            <Stat id="credited-months" label=Key::CreditedMonths value=num(credited)/>
            <Stat id="remaining-months" label=Key::RemainingMonths value=num(remaining)/>
            <Stat id="projected-completion" label=Key::ProjectedCompletion value=completion/>
        </ul>
    }
}

#[component]
pub fn StatusLine(status: Option<ObligationStatus>, reason: String) -> impl IntoView {
    view! {
        <p class="status-line" id="status">
            <span class=status_class(status)>{t(status_key(status))}</span>
            " "
            <span class="reason">{reason}</span>
        </p>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_month_is_named_as_a_calendar_names_it() {
        assert_eq!(month_name(Lang::En, "2025-03"), "March 2025");
        assert_eq!(month_name(Lang::Ru, "2025-03"), "Март 2025");
        assert_eq!(month_name(Lang::Kk, "2025-03"), "2025 жылғы наурыз");
        assert_eq!(month_name(Lang::En, "garbage"), "garbage");
        assert_eq!(year_month("2025-13"), None);
    }

    #[test]
    fn each_month_of_a_year_has_a_distinct_initial_where_the_language_allows() {
        let kk: Vec<String> = (1..=12).map(|m| month_initial(Lang::Kk, m)).collect();
        assert_eq!(kk[8], "Қы");
        assert_eq!(kk[9], "Қа");
        assert_eq!(
            kk[0], "Қа",
            "қаңтар and қазан share theirs; the row's place tells them apart"
        );
        assert_eq!(month_initial(Lang::Ru, 3), "М");
        assert_eq!(month_initial(Lang::En, 12), "D");
    }
}
