//! A graduate's records as both the graduate's own page and the operator's graduate card
//! list them: applications for exemption or suspension (with documents and decisions),
//! reimbursement claims with how they were computed, and the tasks a refusal opened; with
//! the labels of their states.

use leptos::prelude::*;

use crate::format;
use crate::gql::{self, ApplicationStatus, ClaimStatus, Ground, TaskStatus};
use crate::i18n::{Key, Lang};
use crate::ui::{DocumentLink, fill, lang, t};

/// An application as the lists show it (from any query that selects it).
pub struct AppLine {
    pub ground: Option<Ground>,
    pub status: Option<ApplicationStatus>,
    pub applied_at: String,
    pub period_start: Option<String>,
    pub period_end: Option<String>,
    pub decision_reason: Option<String>,
    /// (file name, download path, size in bytes)
    pub documents: Vec<(String, String, i64)>,
}

/// [`AppLine`]s from a query's `applications` (each query has its own generated type).
#[macro_export]
macro_rules! app_lines {
    ($apps:expr) => {
        $apps
            .into_iter()
            .map(|a| $crate::records::AppLine {
                ground: a.ground,
                status: a.status,
                applied_at: a.applied_at,
                period_start: a.period_start,
                period_end: a.period_end,
                decision_reason: a.decision_reason,
                documents: a
                    .documents
                    .into_iter()
                    .map(|d| (d.file_name, d.download_path, d.size))
                    .collect(),
            })
            .collect::<Vec<$crate::records::AppLine>>()
    };
}

/// A claim as the lists show it.
pub struct ClaimLine {
    pub amount: i64,
    pub status: Option<ClaimStatus>,
    pub paid_total: i64,
    pub computation: gql::JSON,
}

/// [`ClaimLine`]s from a query's `claims`.
#[macro_export]
macro_rules! claim_lines {
    ($claims:expr) => {
        $claims
            .into_iter()
            .map(|c| $crate::records::ClaimLine {
                amount: c.amount,
                status: c.status,
                paid_total: c.paid_total,
                computation: c.computation,
            })
            .collect::<Vec<$crate::records::ClaimLine>>()
    };
}

/// Applications for exemption or suspension with their documents and decisions; `empty`
/// says there are none.
#[component]
pub fn ApplicationList(applications: Vec<AppLine>, empty: Key) -> impl IntoView {
    if applications.is_empty() {
        return view! { <p class="muted">{t(empty)}</p> }.into_any();
    }
    let items = applications
        .into_iter()
        .map(|a| {
            let (label, class) = application_status_key(a.status);
            let applied = a.applied_at.clone();
            let period = period_text(&a.period_start, &a.period_end);
            let docs = a
                .documents
                .into_iter()
                .map(|(name, path, size)| view! { <li><DocumentLink name=name path=path size=size/></li> })
                .collect_view();
            view! {
                <li class="my-application">
                    <strong>{t(ground_key(a.ground))}</strong>
                    " " <span class=class>{t(label)}</span>
                    <br/>
                    <span class="muted">
                        {move || format::short_date(lang(), &applied)}
                        {period.map(|p| format!(" · {p}"))}
                    </span>
                    <ul class="documents">{docs}</ul>
                    {a.decision_reason.map(|r| view! { <p class="decision"><strong>{t(Key::Decision)}</strong> " " {r}</p> })}
                </li>
            }
        })
        .collect_view();
    view! { <ul class="applications">{items}</ul> }.into_any()
}

/// Claims: amount, what is paid, and how the amount was computed; nothing when there are
/// none. `id` and `title` name the section (the graduate's own, or on the operator's card).
#[component]
pub fn ClaimList(claims: Vec<ClaimLine>, id: &'static str, title: Key) -> impl IntoView {
    (!claims.is_empty()).then(|| {
        let items = claims
            .into_iter()
            .map(|c| {
                let (amount, paid) = (c.amount, c.paid_total);
                let computation = c.computation.clone();
                view! {
                    <li>
                        <strong class="claim-amount">{move || kzt(amount)}</strong>
                        " " <span class="badge">{t(claim_status_key(c.status))}</span>
                        " · " {move || fill(lang().text(Key::PaidSoFar), &[("paid", kzt(paid))])}
                        <p class="computation">{move || computation_text(&computation)}</p>
                    </li>
                }
            })
            .collect_view();
        let heading = format!("{id}-title");
        let labelled_by = heading.clone();
        view! {
            <section class="panel" id=id aria-labelledby=labelled_by>
                <h2 id=heading>{t(title)}</h2>
                <ul class="claims">{items}</ul>
            </section>
        }
    })
}

pub fn claim_status_key(s: Option<ClaimStatus>) -> Key {
    match s {
        Some(ClaimStatus::Drafted) => Key::ClaimDrafted,
        Some(ClaimStatus::Sent) => Key::ClaimSent,
        Some(ClaimStatus::Acknowledged) => Key::ClaimAcknowledged,
        Some(ClaimStatus::PaidInPart) => Key::ClaimPaidInPart,
        Some(ClaimStatus::Paid) => Key::ClaimPaid,
        Some(ClaimStatus::InCourt) => Key::ClaimInCourt,
        Some(ClaimStatus::Withdrawn) | Some(ClaimStatus::Unknown) | None => Key::ClaimWithdrawn,
    }
}

/// Whole tenge as money in the language.
pub fn kzt(n: i64) -> String {
    format::money(lang(), n.saturating_mul(100))
}

/// "budget cost × (required − credited) / required = amount", from a claim's computation.
pub fn computation_text(c: &serde_json::Value) -> String {
    let n = |k: &str| {
        c.get(k)
            .and_then(serde_json::Value::as_i64)
            .unwrap_or_default()
    };
    let l = lang();
    fill(
        l.text(Key::ClaimComputation),
        &[
            ("cost", kzt(n("budgetCost"))),
            ("required", format::number(l, n("requiredMonths"))),
            ("credited", format::number(l, n("creditedMonths"))),
            ("amount", kzt(n("amount"))),
            ("version", n("ruleVersion").to_string()),
        ],
    )
}

pub fn ground_key(g: Option<Ground>) -> Key {
    match g {
        Some(Ground::SpouseNoVacancy) => Key::GroundSpouse,
        Some(Ground::Disability) => Key::GroundDisability,
        Some(Ground::PregnancyOrChildcare) => Key::GroundChildcare,
        Some(Ground::FurtherStudy) => Key::GroundStudy,
        Some(Ground::ContractMilitaryService) => Key::GroundContractService,
        Some(Ground::ConscriptServiceCompleted) => Key::GroundConscriptDone,
        Some(Ground::MilitaryService) => Key::GroundMilitaryService,
        Some(Ground::OtherSuspension) | Some(Ground::Unknown) | None => Key::GroundOther,
    }
}

pub fn application_status_key(s: Option<ApplicationStatus>) -> (Key, &'static str) {
    match s {
        Some(ApplicationStatus::Approved) => (Key::AppApproved, "badge ok"),
        Some(ApplicationStatus::Rejected) => (Key::AppRejected, "badge bad"),
        _ => (Key::AppSubmitted, "badge"),
    }
}

/// "from – to" of a suspension, or nothing.
pub fn period_text(start: &Option<String>, end: &Option<String>) -> Option<String> {
    let l = lang();
    match (start, end) {
        (None, None) => None,
        (s, e) => Some(format!(
            "{} – {}",
            s.as_deref()
                .map(|d| format::short_date(l, d))
                .unwrap_or_default(),
            e.as_deref()
                .map(|d| format::short_date(l, d))
                .unwrap_or_default()
        )),
    }
}

/// A task status's label and badge class.
pub fn task_status(s: Option<TaskStatus>) -> (Key, &'static str) {
    match s {
        Some(TaskStatus::Open) => (Key::TaskOpen, "badge warn"),
        Some(TaskStatus::Submitted) => (Key::TaskSubmitted, "badge"),
        Some(TaskStatus::Accepted) => (Key::Accepted, "badge ok"),
        _ => (Key::TaskRejected, "badge bad"),
    }
}

/// One task: its status and the operator's note, then what `body` shows.
pub fn task_item(
    l: Lang,
    status: Option<TaskStatus>,
    review_note: String,
    body: AnyView,
) -> AnyView {
    let (label, class) = task_status(status);
    view! {
        <li class="task" data-status=status.map_or("", TaskStatus::as_str)>
            <p>
                <span class=class>{l.text(label)}</span>
                {(!review_note.is_empty()).then(|| view! { " " <span class="review-note">{review_note}</span> })}
            </p>
            {body}
        </li>
    }
    .into_any()
}

/// Tasks under a heading; `id` names the section.
pub fn task_section(l: Lang, id: &'static str, title: Key, items: Vec<AnyView>) -> AnyView {
    view! {
        <section class="panel" id=id aria-label=l.text(title)>
            <h2>{l.text(title)}</h2>
            <ul class="tasks">{items}</ul>
        </section>
    }
    .into_any()
}

/// What an accepted document proves, from a query's `documentEvidence` row: "The document
/// proves work at {employer} ({bin}) from {from} to {to}." (the employer's BIN where Adal
/// does not know its name).
#[macro_export]
macro_rules! proof_text {
    ($l:expr, $e:expr) => {{
        let e = $e;
        let name = e.employer.as_ref().map(|o| o.name.clone());
        $crate::records::proof_line($l, name, &e.employer_bin, &e.from_month, &e.to_month)
    }};
}

/// [`proof_text!`]'s sentence from its parts.
pub fn proof_line(l: Lang, employer: Option<String>, bin: &str, from: &str, to: &str) -> String {
    fill(
        l.text(Key::ProofAccepted),
        &[
            ("employer", employer.unwrap_or_else(|| bin.to_string())),
            ("bin", bin.to_string()),
            ("from", crate::ledger::month_name(l, from)),
            ("to", crate::ledger::month_name(l, to)),
        ],
    )
}
