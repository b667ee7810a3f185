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

/// The ledger as a timeline: one cell per month coloured by state, with the employer and
/// the reason in the tooltip, and a legend of the states shown. Typed views: the API's names
/// are text nodes and attribute values, never markup.
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
    let cells = months
        .into_iter()
        .map(|m| {
            let state = m.state;
            let label = move || month_label(lang(), &m);
            let title = label.clone();
            view! {
                <li class=month_class(state) data-state=state.as_str() title=title tabindex="0">
                    <span class="sr-only">{label}</span>
                </li>
            }
        })
        .collect_view();
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
            <ol class="timeline">{cells}</ol>
            <h3 class="legend-title">{t(Key::Legend)}</h3>
            <ul class="legend" id="legend">{legend}</ul>
        </section>
    }
    .into_any()
}

/// A month's cell label: "03.2024 · Credited · employer · reason".
fn month_label(l: Lang, m: &Month) -> String {
    let mut parts = vec![
        period_label(&m.period),
        l.text(month_key(m.state)).to_string(),
    ];
    parts.extend(m.employer.clone());
    parts.extend(m.reason.clone());
    parts.join(" · ")
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
        Some(d) => format::date(lang(), d),
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
