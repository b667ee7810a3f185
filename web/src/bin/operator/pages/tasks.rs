//! Tasks a 512 refusal opens, on the graduate card: the documents the graduate uploaded
//! (employment contract, hiring order, employer's certificate), for the operator to accept
//! or reject. The graduate's side is the citizen portal's.

use leptos::prelude::*;

use crate::api::{self, ApiError};
use crate::format;
use crate::gql::{self, TaskStatus};
use crate::i18n::{Key, Lang};
use crate::pages::operator::can_write;
use crate::records::{task_item, task_section};
use crate::ui::{act, error_view, lang, local_time, t};

type CardTask = gql::graduate::GraduateGraduateTasks;
type CardEvidence = gql::graduate::GraduateGraduateDocumentEvidence;

/// The graduate's tasks on the card; an administrator accepts or rejects what was submitted.
/// An accepted task says what its documents prove (`evidence`: the graduate's, by task).
#[component]
pub fn TaskReview(
    tasks: Vec<CardTask>,
    evidence: Vec<CardEvidence>,
    reload: RwSignal<u32>,
) -> impl IntoView {
    (!tasks.is_empty()).then(|| {
        let (l, admin) = (lang(), can_write());
        let items = tasks
            .into_iter()
            .map(|t| {
                let proofs = evidence
                    .iter()
                    .filter(|e| e.task_id == t.id)
                    .map(|e| adal_web::proof_text!(l, e))
                    .collect();
                card_task(l, admin, t, proofs, reload)
            })
            .collect();
        task_section(l, "tasks", Key::GraduateTasks, items)
    })
}

fn card_task(
    l: Lang,
    admin: bool,
    task: CardTask,
    proofs: Vec<String>,
    reload: RwSignal<u32>,
) -> AnyView {
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
        {proofs.into_iter().map(|p| view! { <p class="proof">{p}</p> }).collect_view()}
        {reviewable.then(|| view! { <ReviewForm task_id=task.id reload=reload/> })}
    };
    task_item(l, task.status, task.review_note, body.into_any())
}

/// Accepting names what the documents prove: the employer's BIN and the first and last month
/// of work (the months then count in the ledger, "by document"); rejecting needs a comment.
#[component]
fn ReviewForm(task_id: String, reload: RwSignal<u32>) -> impl IntoView {
    let note = RwSignal::new(String::new());
    let bin = RwSignal::new(String::new());
    let from = RwSignal::new(String::new());
    let to = RwSignal::new(String::new());
    let error: RwSignal<Option<ApiError>> = RwSignal::new(None);
    let id = |what: &str| format!("review-{what}-{task_id}");
    let (note_id, bin_id, from_id, to_id) = (id("note"), id("bin"), id("from"), id("to"));
    let task_id = StoredValue::new(task_id);
    let given =
        |s: RwSignal<String>| Some(s.get_untracked().trim().to_string()).filter(|v| !v.is_empty());
    let review = move |accept: bool| {
        move |_| {
            let vars = gql::review_task::Variables {
                task_id: task_id.get_value(),
                accept,
                note: note.get_untracked(),
                employer_bin: accept.then(|| given(bin)).flatten(),
                from_month: accept.then(|| given(from)).flatten(),
                to_month: accept.then(|| given(to)).flatten(),
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
                <label for=bin_id.clone()>{t(Key::ProofEmployerBin)}</label>
                <input id=bin_id class="proof-bin-input" type="text" inputmode="numeric" maxlength="12" autocomplete="off" on:input=move |ev| bin.set(event_target_value(&ev))/>
            </div>
            <div class="field">
                <label for=from_id.clone()>{t(Key::ProofFromMonth)}</label>
                <input id=from_id class="proof-from-input" type="month" on:input=move |ev| from.set(event_target_value(&ev))/>
            </div>
            <div class="field">
                <label for=to_id.clone()>{t(Key::ProofToMonth)}</label>
                <input id=to_id class="proof-to-input" type="month" on:input=move |ev| to.set(event_target_value(&ev))/>
            </div>
        </div>
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
