//! How the till knows a person, on their card: the member's photo (added by staff, PNG or
//! JPEG up to 1 MB, shown beside the name at the till) and, for a pupil whose parent
//! consented, a QR code or PIN instead of a card, its code shown this once to print or hand
//! to the family.

use leptos::html::Input;
use leptos::prelude::*;

use crate::api::{self, ApiError};
use crate::gql::school::{self as gs, CredentialKind};
use crate::i18n::Key;
use crate::ui::{act, chosen_files, error_view, explained_error_view, fill, lang, loaded, t};

/// The member's photo at this school (fetched for this one person), to add, replace or
/// remove.
#[component]
pub fn MemberPhoto(school: String, person: String, name: String) -> impl IntoView {
    let school = StoredValue::new(school);
    let person = StoredValue::new(person);
    let name = StoredValue::new(name);
    let reload = RwSignal::new(0u32);
    let error: RwSignal<Option<ApiError>> = RwSignal::new(None);
    let file: NodeRef<Input> = NodeRef::new();
    let data = api::query::<gs::SchoolMemberPhoto>(move || {
        reload.track();
        gs::school_member_photo::Variables {
            person_id: person.get_value(),
        }
    });
    // A photo to keep, or none to take it away.
    let send = move |photo: Option<web_sys::File>| {
        let vars = gs::school_set_member_photo::Variables {
            school_id: school.get_value(),
            person_id: person.get_value(),
            photo: photo.is_some().then_some(()),
        };
        let files = photo
            .map(|f| vec![("variables.photo".to_string(), f)])
            .unwrap_or_default();
        act(
            api::send::<gs::SchoolSetMemberPhoto>(vars, files),
            error,
            reload,
        );
    };
    let on_upload = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(f) = chosen_files(file).into_iter().next() else {
            return;
        };
        if let Some(i) = file.get_untracked() {
            i.set_value("");
        }
        send(Some(f));
    };
    let explain = |e: &ApiError| e.is_about("photo").then_some(Key::SchoolPhotoWrong);
    view! {
        <section id="member-photo-panel" aria-labelledby="member-photo-title">
            <h3 id="member-photo-title">{t(Key::SchoolPhoto)}</h3>
            {move || loaded(data.get(), move |d| {
                let photo = d
                    .pupil_schools
                    .into_iter()
                    .find(|s| s.school_id == school.get_value())
                    .and_then(|s| s.member.photo);
                match photo {
                    Some(src) => view! {
                        <img id="member-photo" class="member-photo" src=src alt=name.get_value()/>
                        <p class="actions">
                            <button type="button" class="secondary" id="remove-photo" on:click=move |_| send(None)>
                                {t(Key::SchoolRemovePhoto)}
                            </button>
                        </p>
                    }
                    .into_any(),
                    None => view! { <p class="muted" id="no-member-photo">{t(Key::SchoolNoPhoto)}</p> }.into_any(),
                }
            })}
            <form class="form-row" id="photo-form" on:submit=on_upload>
                <div class="field">
                    <label for="photo-file">{t(Key::SchoolPhoto)}</label>
                    <input id="photo-file" type="file" accept="image/png,image/jpeg" required=true node_ref=file/>
                </div>
                <button type="submit" id="upload-photo">{t(Key::SchoolUploadPhoto)}</button>
            </form>
            <p class="hint">{t(Key::SchoolPhotoHint)}</p>
            {explained_error_view(error, explain)}
        </section>
    }
}

type Issued = gs::school_issue_alt_id::SchoolIssueAltIdIssueSchoolAlternativeId;

/// Issuing a pupil a QR code or PIN (with their parent's consent, else the API refuses with
/// `NO_CONSENT`, explained); `cards` reloads the card's list of credentials.
#[component]
pub fn AlternativeId(
    school: String,
    person: String,
    name: String,
    cards: RwSignal<u32>,
) -> impl IntoView {
    let school = StoredValue::new(school);
    let person = StoredValue::new(person);
    let name = StoredValue::new(name);
    let error: RwSignal<Option<ApiError>> = RwSignal::new(None);
    let issued: RwSignal<Option<Issued>> = RwSignal::new(None);
    let pending = RwSignal::new(false);
    let issue = move |qr: bool| {
        if pending.get_untracked() {
            return;
        }
        pending.set(true);
        error.set(None);
        issued.set(None);
        leptos::task::spawn_local(async move {
            use gs::school_issue_alt_id::SchoolIdMethod;
            let vars = gs::school_issue_alt_id::Variables {
                school_id: school.get_value(),
                person_id: person.get_value(),
                method: if qr {
                    SchoolIdMethod::QR
                } else {
                    SchoolIdMethod::PIN
                },
            };
            match api::call::<gs::SchoolIssueAltId>(vars).await {
                Ok(d) => {
                    issued.set(Some(d.issue_school_alternative_id));
                    cards.update(|n| *n += 1);
                }
                Err(e) => error.set(Some(e)),
            }
            pending.set(false);
        });
    };
    view! {
        <section id="alt-id" aria-labelledby="alt-id-title">
            <h3 id="alt-id-title">{t(Key::SchoolAltIdTitle)}</h3>
            <p class="hint">{t(Key::SchoolAltIdHint)}</p>
            <div class="actions">
                <button type="button" class="secondary" id="issue-qr" disabled=move || pending.get() on:click=move |_| issue(true)>
                    {t(Key::SchoolIssueQr)}
                </button>
                <button type="button" class="secondary" id="issue-pin" disabled=move || pending.get() on:click=move |_| issue(false)>
                    {t(Key::SchoolIssuePin)}
                </button>
            </div>
            {error_view(error)}
            {move || issued.get().map(|i| issued_box(i, name.get_value()))}
        </section>
    }
}

/// The code issued, shown this once and marked as such, with the pupil's name so that a
/// printed slip says whose it is.
fn issued_box(i: Issued, name: String) -> impl IntoView {
    let title = if i.card.kind == Some(CredentialKind::Qr) {
        Key::SchoolQrIssued
    } else {
        Key::SchoolPinIssued
    };
    let heading = {
        let name = name.clone();
        move || fill(lang().text(title), &[("name", name.clone())])
    };
    let picture = i.qr.map(|src| {
        let alt = move || fill(lang().text(Key::SchoolQrAlt), &[("name", name.clone())]);
        view! { <p><img id="alt-qr" class="alt-qr" src=src alt=alt/></p> }
    });
    let print = |_| {
        if let Some(w) = web_sys::window() {
            let _ = w.print();
        }
    };
    view! {
        <div class="alert warn" role="status" id="alt-issued">
            <strong>{heading}</strong>
            <p><code id="alt-code" class="alt-code">{i.code}</code></p>
            {picture}
            <p>{t(Key::SchoolAltIdOnce)}</p>
            <button type="button" class="secondary" id="alt-print" on:click=print>{t(Key::SchoolPrintCode)}</button>
        </div>
    }
}

/// The words for how a credential identifies its holder (the cards table's kind column).
pub fn credential_key(kind: Option<CredentialKind>) -> Key {
    match kind {
        Some(CredentialKind::Qr) => Key::SchoolCredQr,
        Some(CredentialKind::Pin) => Key::SchoolCredPin,
        _ => Key::SchoolCredCard,
    }
}
