//! The commission: exemption and suspension applications with their documents; members
//! vote with reasons, the quorum's majority decides, decided cases are read-only.

use leptos::prelude::*;

use crate::api::{self, ApiError};
use crate::format;
use crate::gql::{self, ApplicationStatus, Role};
use crate::i18n::Key;
use crate::portal::role_key;
use crate::records::{application_status_key, ground_key, period_text};
use crate::ui::{
    DocumentLink, EmptyState, ErrorBox, Loading, PageTitle, app, fill, lang, local_time, non_empty,
    t,
};

#[component]
pub fn CommissionPage() -> impl IntoView {
    let status = RwSignal::new(ApplicationStatus::Submitted.as_str().to_string());
    let reload = RwSignal::new(0u32);
    let data = api::query::<gql::Applications>(move || {
        reload.track();
        let status = non_empty(status.get()).map(|s| ApplicationStatus::parse(&s));
        gql::applications::Variables { status }
    });
    let st = app();
    let me = st
        .session
        .with_untracked(|s| s.as_ref().map(|s| s.me.account_id.clone()))
        .unwrap_or_default();
    let member = st
        .session
        .with_untracked(|s| s.as_ref().is_some_and(|s| s.holds(Role::CommissionMember)));
    let me = StoredValue::new(me);
    view! {
        <PageTitle key=Key::NavCommission/>
        <div class="filters">
            <div class="field">
                <label for="app-status">{t(Key::Status)}</label>
                <select id="app-status" on:change=move |ev| status.set(event_target_value(&ev))>
                    <option value="SUBMITTED" selected=true>{t(Key::AppSubmitted)}</option>
                    <option value="APPROVED">{t(Key::AppApproved)}</option>
                    <option value="REJECTED">{t(Key::AppRejected)}</option>
                    <option value="">{t(Key::All)}</option>
                </select>
            </div>
        </div>
        {move || match data.get() {
            None => view! { <Loading/> }.into_any(),
            Some(Err(e)) => view! { <ErrorBox error=e/> }.into_any(),
            Some(Ok(d)) if d.applications.is_empty() => {
                view! { <EmptyState title=Key::NoDataYet text=Key::EmptyCommission/> }.into_any()
            }
            Some(Ok(d)) => d
                .applications
                .into_iter()
                .map(|a| {
                    let open = a.status == Some(ApplicationStatus::Submitted);
                    let voted = a.votes.iter().any(|v| me.with_value(|m| *m == v.member_account_id));
                    let (label, class) = application_status_key(a.status);
                    let (n, quorum) = (a.votes.len() as i64, a.quorum);
                    let tally = move || {
                        let l = lang();
                        fill(l.text(Key::VotesOfQuorum), &[("n", format::number(l, n)), ("quorum", format::number(l, quorum))])
                    };
                    let applied = a.applied_at.clone();
                    let period = period_text(&a.period_start, &a.period_end);
                    let docs = a
                        .documents
                        .into_iter()
                        .map(|doc| {
                            view! { <li><DocumentLink name=doc.file_name path=doc.download_path size=doc.size/></li> }
                        })
                        .collect_view();
                    // Who has voted, in the order of the votes, and how (as a result, not as
                    // the button's verb).
                    let votes = a
                        .votes
                        .into_iter()
                        .enumerate()
                        .map(|(i, v)| {
                            let (k, c) = if v.approve { (Key::AppApproved, "badge ok") } else { (Key::AppRejected, "badge bad") };
                            let at = v.at.clone();
                            let who = move || format!("{}. {}", i + 1, lang().text(role_key(Role::CommissionMember)));
                            view! {
                                <li class="vote" data-approve=v.approve.to_string()>
                                    <span class="who">{who}</span>
                                    " · "
                                    <span class="muted">{move || local_time(lang(), &at)}</span>
                                    " · "
                                    <span class=c>{t(k)}</span>
                                    <span class="vote-reason-text">{v.reason}</span>
                                </li>
                            }
                        })
                        .collect_view();
                    let id = a.id.clone();
                    let graduate = format!("/operator/graduates/{}", a.graduate_id);
                    view! {
                        <article class="panel application" data-id=a.id.clone()>
                            <h2>
                                <span class="applicant">{a.applicant_name}</span>
                                " "
                                <span class=class>{t(label)}</span>
                            </h2>
                            <p class="asked">
                                <strong>{t(Key::ApplicantAsks)}</strong>
                                " "
                                <span class="ask">{t(if a.is_suspension { Key::Suspension } else { Key::Exemption })}</span>
                                " — "
                                {t(ground_key(a.ground))}
                            </p>
                            <p class="muted">
                                {period.map(|p| format!("{p} · "))}
                                {move || format::short_date(lang(), &applied)}
                                " · "
                                <a href=graduate>{t(Key::OpenCard)}</a>
                            </p>
                            <p class="statement">{a.statement}</p>
                            <h3>{t(Key::Documents)}</h3>
                            <ul class="documents">{docs}</ul>
                            <h3>{t(Key::Votes)} " — " <span class="tally">{tally}</span></h3>
                            <ol class="votes">{votes}</ol>
                            {a.decision_reason.map(|r| view! { <p class="decision"><strong>{t(Key::Decision)}</strong> " " {r}</p> })}
                            {(open && member && !voted).then(|| view! { <VoteForm id=id reload=reload/> })}
                            {(open && voted).then(|| view! { <p class="muted">{t(Key::YouVoted)}</p> })}
                        </article>
                    }
                })
                .collect_view()
                .into_any(),
        }}
    }
}

#[component]
fn VoteForm(id: String, reload: RwSignal<u32>) -> impl IntoView {
    let reason = RwSignal::new(String::new());
    let missing = RwSignal::new(false);
    let error: RwSignal<Option<ApiError>> = RwSignal::new(None);
    let pending = RwSignal::new(false);
    let field = format!("reason-{id}");
    let id = StoredValue::new(id);
    let send = move |approve: bool| {
        let Some(r) = non_empty(reason.get_untracked()) else {
            missing.set(true);
            return;
        };
        missing.set(false);
        pending.set(true);
        error.set(None);
        let vars = gql::vote::Variables {
            application_id: id.get_value(),
            approve,
            reason: r,
        };
        leptos::task::spawn_local(async move {
            match api::send::<gql::Vote>(vars, Vec::new()).await {
                Ok(_) => reload.update(|n| *n += 1),
                Err(e) => error.set(Some(e)),
            }
            pending.set(false);
        });
    };
    view! {
        <form class="vote-form" on:submit=|ev| ev.prevent_default()>
            <div class="field">
                <label for=field.clone()>{t(Key::VoteReason)}</label>
                <textarea
                    id=field
                    class="vote-reason"
                    rows="2"
                    aria-invalid=move || missing.get().to_string()
                    on:input=move |ev| reason.set(event_target_value(&ev))
                ></textarea>
                {move || missing.get().then(|| view! { <p class="field-error" role="alert">{t(Key::Required)}</p> })}
            </div>
            <div class="actions">
                <button type="button" class="approve" id=format!("approve-{}", id.get_value()) disabled=move || pending.get() on:click=move |_| send(true)>
                    {t(Key::VoteApprove)}
                </button>
                <button type="button" class="reject" id=format!("reject-{}", id.get_value()) disabled=move || pending.get() on:click=move |_| send(false)>
                    {t(Key::VoteReject)}
                </button>
            </div>
            {move || error.get().map(|e| view! { <ErrorBox error=e/> })}
        </form>
    }
}
