//! The verification desk: a campaign's applications with the categories each parent
//! declared and their evidence; the officer confirms or rejects each category (a rejection
//! states its reason) and decides the guardianship of an application held for it.

use leptos::prelude::*;

use super::{
    Application, ApplicationsPage, application_status, category_label, category_status, decision,
    direction_key,
};
use crate::api::{self, ApiError};
use crate::gql::akimat::{self as gql, VoucherApplicationStatus, VoucherCategoryStatus};
use crate::i18n::Key;
use crate::ui::{error_view, lang, local_time, t};
use adal_web::conversation::Conversation;
use adal_web::gql::VoucherThreadKind;

type Category = gql::campaign_applications::CampaignApplicationsVoucherApplicationsNodesCategories;
type EvidenceFile =
    gql::campaign_applications::CampaignApplicationsVoucherApplicationsNodesCategoriesDocuments;

#[component]
pub fn DeskPage() -> impl IntoView {
    view! {
        <ApplicationsPage title=Key::AkimatDeskTitle hint=Key::AkimatDeskHint empty=Key::AkimatNoApplications by_rank=false body=cards/>
    }
}

/// The applications as cards, each with its decisions.
fn cards(list: Vec<Application>, reload: RwSignal<u32>) -> Option<AnyView> {
    (!list.is_empty()).then(|| {
        view! {
            <div class="cards applications" id="applications">
                {list.into_iter().map(|a| view! { <ApplicationCard a=a reload=reload/> }).collect_view()}
            </div>
        }
        .into_any()
    })
}

#[component]
fn ApplicationCard(a: Application, reload: RwSignal<u32>) -> impl IntoView {
    let l = lang();
    let (status, class) = application_status(a.status);
    let held = a.status == Some(VoucherApplicationStatus::Held);
    let guardianship = a.guardianship_evidence.clone().map(|ev| {
        view! {
            <div class="guardianship">
                <p>{l.text(Key::AkimatGuardianship)} ": " <span class="evidence">{ev}</span></p>
                {held.then(|| view! { <Decision target=Target::Guardianship(a.id.clone()) reload=reload/> })}
            </div>
        }
    });
    let categories = if a.categories.is_empty() {
        view! { <p class="muted">{l.text(Key::AkimatNoCategories)}</p> }.into_any()
    } else {
        view! {
            <ul class="categories">
                {a.categories.into_iter().map(|c| view! { <CategoryRow c=c reload=reload/> }).collect_view()}
            </ul>
        }
        .into_any()
    };
    view! {
        <article class="card application" data-id=a.id.clone()>
            <h2>
                <span class="child">{a.child_name.clone().unwrap_or_default()}</span>
                " " <span class="muted iin">{a.child_iin_masked.clone().unwrap_or_default()}</span>
            </h2>
            <p>
                <span class=class>{l.text(status)}</span>
                " · " {l.text(direction_key(a.direction))}
                " · " {local_time(l, &a.submitted_at)}
            </p>
            {a.reason.clone().map(|r| view! { <p class="reason">{l.text(Key::Reason)} ": " {r}</p> })}
            {guardianship}
            <h3>{l.text(Key::AkimatDeclared)}</h3>
            {categories}
            <Conversation kind=VoucherThreadKind::Application id=a.id.clone() unread=a.unread_messages/>
        </article>
    }
}

#[component]
fn CategoryRow(c: Category, reload: RwSignal<u32>) -> impl IntoView {
    let l = lang();
    let (status, class) = category_status(c.status);
    let open = c.status == Some(VoucherCategoryStatus::Declared);
    view! {
        <li class="category" data-id=c.id.clone() data-category=c.category.clone()>
            <strong>{category_label(l, &c.category)}</strong>
            " (" {c.weight} ") · "
            <span class="evidence">{l.text(Key::AkimatEvidence)} ": " {c.evidence.clone()}</span>
            " " <span class=format!("{class} state")>{l.text(status)}</span>
            {c.reason.clone().map(|r| view! { <span class="reason">" — " {r}</span> })}
            {(!c.documents.is_empty()).then(|| view! {
                <ul class="evidence-files">
                    {c.documents.clone().into_iter().map(|d| view! { <Evidence d=d/> }).collect_view()}
                </ul>
            })}
            {open.then(|| view! { <Decision target=Target::Category(c.id.clone()) reload=reload/> })}
        </li>
    }
}

/// A document the parent attached, opened in the page (a picture as itself, a PDF in a
/// frame) from the bytes fetched with the officer's token.
#[component]
fn Evidence(d: EvidenceFile) -> impl IntoView {
    let shown: RwSignal<Option<(String, String)>> = RwSignal::new(None);
    let error: RwSignal<Option<ApiError>> = RwSignal::new(None);
    let path = StoredValue::new(d.download_path.clone());
    let close = move || {
        if let Some((url, _)) = shown.get_untracked() {
            let _ = web_sys::Url::revoke_object_url(&url);
        }
        shown.set(None);
    };
    on_cleanup(close);
    let toggle = move |_| {
        if shown.get_untracked().is_some() {
            close();
            return;
        }
        error.set(None);
        leptos::task::spawn_local(async move {
            match api::fetch_object_url(&path.get_value()).await {
                Ok(v) => shown.set(Some(v)),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let name = d.file_name.clone();
    view! {
        <li class="evidence-file" data-id=d.id.clone()>
            <button type="button" class="link evidence-open" aria-expanded=move || shown.get().is_some().to_string() on:click=toggle>
                {t(Key::AkimatOpenDocument)} ": " {name.clone()}
            </button>
            {error_view(error)}
            {move || shown.get().map(|(url, mime)| {
                if mime.starts_with("image/") {
                    view! { <img class="evidence-view" src=url alt=name.clone()/> }.into_any()
                } else {
                    view! { <iframe class="evidence-view" src=url title=name.clone()></iframe> }.into_any()
                }
            })}
        </li>
    }
}

/// What a decision is about.
#[derive(Clone)]
enum Target {
    Category(String),
    Guardianship(String),
}

/// Confirm or reject (a rejection states its reason).
#[component]
fn Decision(target: Target, reload: RwSignal<u32>) -> impl IntoView {
    let target = StoredValue::new(target);
    let send = move |yes: bool, reason: Option<String>| match target.get_value() {
        Target::Category(id) => api::send::<gql::DecideCategory>(
            gql::decide_category::Variables {
                id,
                confirm: yes,
                reason,
            },
            Vec::new(),
        ),
        Target::Guardianship(application_id) => api::send::<gql::DecideGuardianship>(
            gql::decide_guardianship::Variables {
                application_id,
                accept: yes,
                reason,
            },
            Vec::new(),
        ),
    };
    decision(Key::AkimatConfirm, Key::AkimatReject, false, send, reload)
}
