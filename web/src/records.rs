//! The graduate's applications for exemption or suspension (with documents) and their
//! decisions, and the graduate's reimbursement claim with how it was computed.

use leptos::html::Input;
use leptos::prelude::*;

use crate::api::{self, ApiError};
use crate::format;
use crate::gql::{self, ApplicationStatus, ClaimStatus, Ground};
use crate::i18n::Key;
use crate::pages::claims::{claim_status_key, computation_text, kzt};
use crate::pages::commission::{application_status_key, ground_key, period_text};
use crate::pages::imports::{chosen_files, upload_parts};
use crate::ui::{DocumentLink, ErrorBox, fill, lang, non_empty, t};

/// Grounds that suspend the obligation for a period rather than exempt from it.
fn is_suspension(g: Ground) -> bool {
    matches!(g, Ground::MilitaryService | Ground::OtherSuspension)
}

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
macro_rules! app_lines {
    ($apps:expr) => {
        $apps
            .into_iter()
            .map(|a| $crate::pages::apply::AppLine {
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
            .collect::<Vec<$crate::pages::apply::AppLine>>()
    };
}
pub(crate) use app_lines;

/// A claim as the lists show it.
pub struct ClaimLine {
    pub amount: i64,
    pub status: Option<ClaimStatus>,
    pub paid_total: i64,
    pub computation: gql::JSON,
}

/// [`ClaimLine`]s from a query's `claims`.
macro_rules! claim_lines {
    ($claims:expr) => {
        $claims
            .into_iter()
            .map(|c| $crate::pages::apply::ClaimLine {
                amount: c.amount,
                status: c.status,
                paid_total: c.paid_total,
                computation: c.computation,
            })
            .collect::<Vec<$crate::pages::apply::ClaimLine>>()
    };
}
pub(crate) use claim_lines;

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

#[component]
pub fn MyApplications(
    graduate_id: String,
    applications: Vec<AppLine>,
    reload: RwSignal<u32>,
    /// Set once an application is sent; owned by the page, which re-renders on `reload`.
    sent: RwSignal<bool>,
) -> impl IntoView {
    view! {
        <section class="panel" id="my-applications" aria-labelledby="my-applications-title">
            <h2 id="my-applications-title">{t(Key::ExemptionTitle)}</h2>
            <ApplicationList applications=applications empty=Key::NoApplications/>
            <ApplyForm graduate_id=graduate_id reload=reload sent=sent/>
        </section>
    }
}

#[component]
fn ApplyForm(graduate_id: String, reload: RwSignal<u32>, sent: RwSignal<bool>) -> impl IntoView {
    let ground = RwSignal::new(Ground::SpouseNoVacancy);
    let start = RwSignal::new(String::new());
    let end = RwSignal::new(String::new());
    let statement = RwSignal::new(String::new());
    let files: NodeRef<Input> = NodeRef::new();
    let missing = RwSignal::new(false);
    let error: RwSignal<Option<ApiError>> = RwSignal::new(None);
    let pending = RwSignal::new(false);
    let graduate_id = StoredValue::new(graduate_id);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        error.set(None);
        sent.set(false);
        let chosen = chosen_files(files);
        let Some(text) = non_empty(statement.get_untracked()).filter(|_| !chosen.is_empty()) else {
            missing.set(true);
            return;
        };
        missing.set(false);
        pending.set(true);
        let g = ground.get_untracked();
        let suspension = is_suspension(g);
        let input = gql::apply_for_exemption::ApplicationInput {
            graduate_id: graduate_id.get_value(),
            ground: g,
            period_start: non_empty(start.get_untracked()).filter(|_| suspension),
            period_end: non_empty(end.get_untracked()).filter(|_| suspension),
            statement: text,
            documents: vec![(); chosen.len()],
        };
        let parts = upload_parts("variables.input.documents", chosen);
        leptos::task::spawn_local(async move {
            let vars = gql::apply_for_exemption::Variables { input };
            match api::send::<gql::ApplyForExemption>(vars, parts).await {
                Ok(_) => {
                    sent.set(true);
                    reload.update(|n| *n += 1);
                }
                Err(e) => error.set(Some(e)),
            }
            pending.set(false);
        });
    };
    let date = move |sig: RwSignal<String>| move |ev| sig.set(event_target_value(&ev));
    view! {
        <form id="apply-form" on:submit=on_submit novalidate=true>
            <h3>{t(Key::ApplyTitle)}</h3>
            <div class="field">
                <label for="apply-ground">{t(Key::Ground)}</label>
                <select id="apply-ground" on:change=move |ev| ground.set(Ground::parse(&event_target_value(&ev)))>
                    {Ground::ALL
                        .iter()
                        .map(|g| view! { <option value=g.as_str()>{t(ground_key(Some(*g)))}</option> })
                        .collect_view()}
                </select>
            </div>
            {move || is_suspension(ground.get()).then(|| view! {
                <div class="form-row">
                    <div class="field">
                        <label for="apply-start">{t(Key::PeriodStart)}</label>
                        <input id="apply-start" type="date" on:input=date(start) on:change=date(start)/>
                    </div>
                    <div class="field">
                        <label for="apply-end">{t(Key::PeriodEnd)}</label>
                        <input id="apply-end" type="date" on:input=date(end) on:change=date(end)/>
                    </div>
                </div>
            })}
            <div class="field">
                <label for="apply-statement">{t(Key::Statement)}</label>
                <textarea id="apply-statement" rows="3" on:input=move |ev| statement.set(event_target_value(&ev))></textarea>
            </div>
            <div class="field">
                <label for="apply-documents">{t(Key::Documents)}</label>
                <input id="apply-documents" type="file" multiple=true node_ref=files/>
            </div>
            {move || missing.get().then(|| view! { <p class="field-error" role="alert">{t(Key::ApplyMissing)}</p> })}
            <button type="submit" id="apply-submit" disabled=move || pending.get()>{t(Key::SubmitApplication)}</button>
            {move || sent.get().then(|| view! { <p class="alert info" role="status" id="apply-sent">{t(Key::ApplicationSent)}</p> })}
            {move || error.get().map(|e| view! { <ErrorBox error=e/> })}
        </form>
    }
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
