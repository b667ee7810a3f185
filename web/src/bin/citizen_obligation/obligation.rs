//! The graduate's own page: the obligation in plain words, its status and figures, the
//! ledger timeline, my employers, my claim, my tasks (documents a refusal asked for), the
//! documents I sent with what each accepted one proves, and my applications for exemption or
//! suspension.

use leptos::html::Input;
use leptos::prelude::*;

use crate::api::{self, ApiError};
use crate::format;
use crate::gql::{self, Ground, TaskStatus};
use crate::i18n::{Key, Lang};
use crate::ledger::{StatusLine, Terms, Timeline};
use crate::records::{AppLine, ApplicationList, ClaimList, ground_key, task_item, task_section};
use crate::ui::{
    DocumentLink, EmptyState, ErrorBox, Loading, PageTitle, act, chosen_files, error_view, fill,
    joined, lang, local_time, non_empty, t, upload_parts,
};
use adal_web::{app_lines, claim_lines, months_of, proof_text};

#[component]
pub fn MyObligation() -> impl IntoView {
    let reload = RwSignal::new(0u32);
    let sent = RwSignal::new(false);
    // Owned by the page: the list below is drawn again when its data reloads (the language
    // changed, a task was answered), and what the graduate typed must survive that.
    let draft = Draft::new();
    let data = api::query::<gql::MyObligations>(move || {
        reload.track();
        let language = Some(lang().to_api());
        gql::my_obligations::Variables { language }
    });
    view! {
        <PageTitle key=Key::NavMyObligation/>
        {move || match data.get() {
            None => view! { <Loading/> }.into_any(),
            Some(Err(e)) => view! { <ErrorBox error=e/> }.into_any(),
            Some(Ok(d)) if d.my_obligations.is_empty() => {
                view! { <EmptyState title=Key::NoDataYet text=Key::EmptyObligation/> }.into_any()
            }
            Some(Ok(d)) => d
                .my_obligations
                .into_iter()
                .map(|g| {
                    let o = g.obligation;
                    let months = months_of!(g.ledger);
                    // My employers: each with the months it paid for, in order of first month.
                    let mut employers: Vec<(String, i64)> = Vec::new();
                    for m in &months {
                        if let Some(e) = &m.employer {
                            match employers.iter_mut().find(|(n, _)| n == e) {
                                Some((_, c)) => *c += 1,
                                None => employers.push((e.clone(), 1)),
                            }
                        }
                    }
                    let (req, cred, rem) = (o.required_months, o.credited_months, o.remaining_months);
                    let plain = move || {
                        let l = lang();
                        fill(
                            l.text(Key::ObligationPlain),
                            &[
                                ("required", format::number(l, req)),
                                ("credited", format::number(l, cred)),
                                ("remaining", format::number(l, rem)),
                            ],
                        )
                    };
                    let employer_list = if employers.is_empty() {
                        view! { <p class="muted">{t(Key::NoEmployers)}</p> }.into_any()
                    } else {
                        view! {
                            <ul class="employers">
                                {employers
                                    .into_iter()
                                    .map(|(name, n)| {
                                        view! {
                                            <li>
                                                <strong>{name}</strong>
                                                " — "
                                                {move || fill(lang().text(Key::MonthsCount), &[("n", format::number(lang(), n))])}
                                            </li>
                                        }
                                    })
                                    .collect_view()}
                            </ul>
                        }
                            .into_any()
                    };
                    let documents = my_documents(untrack(lang), &g.tasks, &g.document_evidence);
                    view! {
                        <article class="obligation" id="obligation">
                            <StatusLine status=o.status reason=o.reason/>
                            <p class="plain" id="plain">{plain}</p>
                            <MyTasks tasks=g.tasks reload=reload/>
                            <Terms
                                required=req
                                credited=cred
                                remaining=rem
                                projected=o.projected_completion
                            />
                            <Timeline months=months/>
                            <section class="panel" id="my-employers">
                                <h2>{t(Key::MyEmployers)}</h2>
                                {employer_list}
                            </section>
                            {documents}
                            <ClaimList claims=claim_lines!(g.claims) id="my-claim" title=Key::MyClaim/>
                            <MyApplications graduate_id=g.id applications=app_lines!(g.applications) reload=reload sent=sent draft=draft/>
                        </article>
                    }
                })
                .collect_view()
                .into_any(),
        }}
    }
}

/// An application being written: kept by the page while its sections are drawn again.
#[derive(Clone, Copy)]
pub struct Draft {
    ground: RwSignal<Ground>,
    start: RwSignal<String>,
    end: RwSignal<String>,
    statement: RwSignal<String>,
    files: RwSignal<Vec<web_sys::File>, LocalStorage>,
}

impl Draft {
    fn new() -> Self {
        Self {
            ground: RwSignal::new(Ground::SpouseNoVacancy),
            start: RwSignal::new(String::new()),
            end: RwSignal::new(String::new()),
            statement: RwSignal::new(String::new()),
            files: RwSignal::new_local(Vec::new()),
        }
    }

    /// Empty again, once sent.
    fn clear(self) {
        self.start.set(String::new());
        self.end.set(String::new());
        self.statement.set(String::new());
        self.files.set(Vec::new());
    }
}

/// Grounds that suspend the obligation for a period rather than exempt from it.
fn is_suspension(g: Ground) -> bool {
    matches!(g, Ground::MilitaryService | Ground::OtherSuspension)
}

#[component]
pub fn MyApplications(
    graduate_id: String,
    applications: Vec<AppLine>,
    reload: RwSignal<u32>,
    /// Set once an application is sent; owned by the page, which re-renders on `reload`.
    sent: RwSignal<bool>,
    draft: Draft,
) -> impl IntoView {
    view! {
        <section class="panel" id="my-applications" aria-labelledby="my-applications-title">
            <h2 id="my-applications-title">{t(Key::ExemptionTitle)}</h2>
            <ApplicationList applications=applications empty=Key::NoApplications/>
            <ApplyForm graduate_id=graduate_id reload=reload sent=sent draft=draft/>
        </section>
    }
}

#[component]
fn ApplyForm(
    graduate_id: String,
    reload: RwSignal<u32>,
    sent: RwSignal<bool>,
    draft: Draft,
) -> impl IntoView {
    let Draft {
        ground,
        start,
        end,
        statement,
        files: chosen,
    } = draft;
    let files: NodeRef<Input> = NodeRef::new();
    let missing = RwSignal::new(false);
    let error: RwSignal<Option<ApiError>> = RwSignal::new(None);
    let pending = RwSignal::new(false);
    let graduate_id = StoredValue::new(graduate_id);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        error.set(None);
        sent.set(false);
        let chosen = chosen.get_untracked();
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
                    draft.clear();
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
                        .map(|g| {
                            let g = *g;
                            view! { <option value=g.as_str() selected=move || ground.get() == g>{t(ground_key(Some(g)))}</option> }
                        })
                        .collect_view()}
                </select>
            </div>
            {move || is_suspension(ground.get()).then(|| view! {
                <div class="form-row">
                    <div class="field">
                        <label for="apply-start">{t(Key::PeriodStart)}</label>
                        <input id="apply-start" type="date" prop:value=start on:input=date(start) on:change=date(start)/>
                    </div>
                    <div class="field">
                        <label for="apply-end">{t(Key::PeriodEnd)}</label>
                        <input id="apply-end" type="date" prop:value=end on:input=date(end) on:change=date(end)/>
                    </div>
                </div>
            })}
            <div class="field">
                <label for="apply-statement">{t(Key::Statement)}</label>
                <textarea id="apply-statement" rows="3" prop:value=statement on:input=move |ev| statement.set(event_target_value(&ev))></textarea>
            </div>
            <div class="field">
                <label for="apply-documents">{t(Key::Documents)}</label>
                <input id="apply-documents" type="file" multiple=true node_ref=files on:change=move |_| chosen.set(chosen_files(files))/>
                // The files chosen, also after the form was drawn again (a file input
                // cannot be given them back).
                <p class="hint" id="apply-chosen">{move || chosen.with(|f| joined(f.iter().map(|f| f.name())))}</p>
            </div>
            {move || missing.get().then(|| view! { <p class="field-error" role="alert">{t(Key::ApplyMissing)}</p> })}
            <button type="submit" id="apply-submit" disabled=move || pending.get()>{t(Key::SubmitApplication)}</button>
            {move || sent.get().then(|| view! { <p class="alert info" role="status" id="apply-sent">{t(Key::ApplicationSent)}</p> })}
            {move || error.get().map(|e| view! { <ErrorBox error=e/> })}
        </form>
    }
}

type MyTask = gql::my_obligations::MyObligationsMyObligationsTasks;
type MyEvidence = gql::my_obligations::MyObligationsMyObligationsDocumentEvidence;

/// The documents I sent for my tasks: each downloads; its task's status (under review,
/// accepted, rejected with the operator's note) and, once accepted, the employer and the
/// months it proves. (An application's documents are listed with the application.)
fn my_documents(l: Lang, tasks: &[MyTask], evidence: &[MyEvidence]) -> AnyView {
    let items: Vec<AnyView> = tasks
        .iter()
        .filter(|t| !t.documents.is_empty())
        .map(|t| {
            let docs = t
                .documents
                .iter()
                .map(|d| {
                    let sent = local_time(l, &d.uploaded_at);
                    view! {
                        <li>
                            <DocumentLink name=d.file_name.clone() path=d.download_path.clone() size=d.size/>
                            " · " <span class="muted">{l.text(Key::Submitted)} " " {sent}</span>
                        </li>
                    }
                })
                .collect_view();
            let proofs = evidence
                .iter()
                .filter(|e| e.task_id == t.id)
                .map(|e| view! { <p class="proof">{proof_text!(l, e)}</p> })
                .collect_view();
            let body = view! { <ul class="documents">{docs}</ul> {proofs} };
            task_item(l, t.status, t.review_note.clone(), body.into_any())
        })
        .collect();
    let list = if items.is_empty() {
        view! { <p class="muted" id="my-documents-empty">{l.text(Key::NoMyDocuments)}</p> }
            .into_any()
    } else {
        view! { <ul class="tasks">{items}</ul> }.into_any()
    };
    view! {
        <section class="panel" id="my-documents" aria-labelledby="my-documents-title">
            <h2 id="my-documents-title">{l.text(Key::MyDocuments)}</h2>
            {list}
        </section>
    }
    .into_any()
}

/// The graduate's tasks, with the upload of documents while a task waits for them.
#[component]
pub fn MyTasks(tasks: Vec<MyTask>, reload: RwSignal<u32>) -> impl IntoView {
    (!tasks.is_empty()).then(|| {
        let l = lang();
        let items = tasks.into_iter().map(|t| my_task(l, t, reload)).collect();
        task_section(l, "my-tasks", Key::MyTasks, items)
    })
}

fn my_task(l: Lang, task: MyTask, reload: RwSignal<u32>) -> AnyView {
    let waiting = matches!(task.status, Some(TaskStatus::Open | TaskStatus::Rejected));
    let docs = joined(task.documents.into_iter().map(|d| d.file_name));
    let body = view! {
        <p class="instructions">{task.instructions}</p>
        {(!docs.is_empty()).then(|| view! { <p class="muted">{l.text(Key::Documents)} ": " {docs}</p> })}
        {waiting.then(|| view! { <UploadForm task_id=task.id reload=reload/> })}
    };
    task_item(l, task.status, task.review_note, body.into_any())
}

#[component]
fn UploadForm(task_id: String, reload: RwSignal<u32>) -> impl IntoView {
    let files: NodeRef<Input> = NodeRef::new();
    let note = RwSignal::new(String::new());
    let missing = RwSignal::new(false);
    let error: RwSignal<Option<ApiError>> = RwSignal::new(None);
    let id = |name: &str| format!("task-{name}-{task_id}");
    let task_id = StoredValue::new(task_id.clone());
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let chosen = chosen_files(files);
        missing.set(chosen.is_empty());
        if chosen.is_empty() {
            return;
        }
        let vars = gql::submit_task::Variables {
            task_id: task_id.get_value(),
            note: note.get_untracked(),
            documents: vec![(); chosen.len()],
        };
        let parts = upload_parts("variables.documents", chosen);
        act(api::send::<gql::SubmitTask>(vars, parts), error, reload);
    };
    view! {
        <form class="task-upload" on:submit=on_submit novalidate=true>
            <div class="field">
                <label for=id("files")>{t(Key::Documents)}</label>
                <input id=id("files") class="task-files" type="file" multiple=true node_ref=files/>
            </div>
            <div class="field">
                <label for=id("note")>{t(Key::Note)}</label>
                <input id=id("note") class="task-note" type="text" on:input=move |ev| note.set(event_target_value(&ev))/>
            </div>
            {move || missing.get().then(|| view! { <p class="field-error" role="alert">{t(Key::ChooseFile)}</p> })}
            <button type="submit" class="task-submit">{t(Key::SendDocuments)}</button>
            {error_view(error)}
        </form>
    }
}
