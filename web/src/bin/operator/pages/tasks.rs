//! Tasks a 512 refusal opens: on the graduate's page, the request to upload supporting
//! documents (employment contract, hiring order, employer's certificate); on the graduate
//! card, the documents for the operator to accept or reject.

use leptos::html::Input;
use leptos::prelude::*;

use crate::api::{self, ApiError};
use crate::format;
use crate::gql::{self, TaskStatus};
use crate::i18n::{Key, Lang};
use crate::pages::imports::{chosen_files, upload_parts};
use crate::pages::operator::can_write;
use crate::ui::{act, error_view, joined, lang, local_time, t};

/// A task status's label and badge class.
fn status_of(s: Option<TaskStatus>) -> (Key, &'static str) {
    match s {
        Some(TaskStatus::Open) => (Key::TaskOpen, "badge warn"),
        Some(TaskStatus::Submitted) => (Key::TaskSubmitted, "badge"),
        Some(TaskStatus::Accepted) => (Key::Accepted, "badge ok"),
        _ => (Key::TaskRejected, "badge bad"),
    }
}

/// One task: its status and the operator's note, then what `body` shows.
fn task_item(l: Lang, status: Option<TaskStatus>, review_note: String, body: AnyView) -> AnyView {
    let (label, class) = status_of(status);
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
fn task_section(l: Lang, id: &'static str, title: Key, items: Vec<AnyView>) -> AnyView {
    view! {
        <section class="panel" id=id aria-label=l.text(title)>
            <h2>{l.text(title)}</h2>
            <ul class="tasks">{items}</ul>
        </section>
    }
    .into_any()
}

type MyTask = gql::my_obligations::MyObligationsMyObligationsTasks;

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

type CardTask = gql::graduate::GraduateGraduateTasks;

/// The graduate's tasks on the card; an administrator accepts or rejects what was submitted.
#[component]
pub fn TaskReview(tasks: Vec<CardTask>, reload: RwSignal<u32>) -> impl IntoView {
    (!tasks.is_empty()).then(|| {
        let (l, admin) = (lang(), can_write());
        let items = tasks
            .into_iter()
            .map(|t| card_task(l, admin, t, reload))
            .collect();
        task_section(l, "tasks", Key::GraduateTasks, items)
    })
}

fn card_task(l: Lang, admin: bool, task: CardTask, reload: RwSignal<u32>) -> AnyView {
    let docs = task
        .documents
        .into_iter()
        .map(|d| view! { <li>{d.file_name} " · " {format::number(l, d.size)} " B"</li> })
        .collect_view();
    let submitted = task.submitted_at.map(|s| local_time(l, &s));
    let reviewable = admin && task.status == Some(TaskStatus::Submitted);
    let body = view! {
        {submitted.map(|s| view! { <p class="muted">{l.text(Key::Submitted)} " " {s} " · " {task.note}</p> })}
        <ul class="documents">{docs}</ul>
        {reviewable.then(|| view! { <ReviewForm task_id=task.id reload=reload/> })}
    };
    task_item(l, task.status, task.review_note, body.into_any())
}

#[component]
fn ReviewForm(task_id: String, reload: RwSignal<u32>) -> impl IntoView {
    let note = RwSignal::new(String::new());
    let error: RwSignal<Option<ApiError>> = RwSignal::new(None);
    let note_id = format!("review-note-{task_id}");
    let task_id = StoredValue::new(task_id);
    let review = move |accept: bool| {
        move |_| {
            let vars = gql::review_task::Variables {
                task_id: task_id.get_value(),
                accept,
                note: note.get_untracked(),
            };
            act(
                api::send::<gql::ReviewTask>(vars, Vec::new()),
                error,
                reload,
            );
        }
    };
    view! {
        <div class="form-row review">
            <div class="field">
                <label for=note_id.clone()>{t(Key::ReviewNote)}</label>
                <input id=note_id class="review-note-input" type="text" on:input=move |ev| note.set(event_target_value(&ev))/>
            </div>
            <button type="button" class="accept-task" on:click=review(true)>{t(Key::VoteApprove)}</button>
            <button type="button" class="secondary reject-task" on:click=review(false)>{t(Key::VoteReject)}</button>
            {error_view(error)}
        </div>
    }
}
