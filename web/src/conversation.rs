//! The conversation about a voucher application or a month of attendance, in each of the three
//! portals that take part in it (the akimat's, the provider's and the parent's): closed, it
//! says how many messages are new to the reader; opened, it shows the messages (a file attached
//! downloads from its name), marks them read through the last one shown, and takes a reply of
//! text, a file (PDF, PNG or JPEG), or both.

use leptos::prelude::*;

use crate::api::{self, ApiError};
use crate::gql::{self, VoucherSide, VoucherThreadKind};
use crate::i18n::Key;
use crate::ui::{DocumentLink, chosen_files, error_view, fill, lang, loaded, local_time, t};

fn side_key(s: Option<VoucherSide>) -> Key {
    match s {
        Some(VoucherSide::Parent) => Key::ProviderSideParent,
        Some(VoucherSide::Akimat) => Key::ProviderSideAkimat,
        _ => Key::ProviderSideProvider,
    }
}

/// "3 new": the reader's count of new messages, where there are any.
pub fn unread_badge(n: i64) -> Option<impl IntoView + use<>> {
    (n > 0).then(|| {
        let text = fill(
            lang().text(Key::ConversationNew),
            &[("count", n.to_string())],
        );
        view! { " " <span class="badge warn unread">{text}</span> }
    })
}

/// The conversation `kind` `id`, opened on demand; `unread` is the reader's count of new
/// messages as the list that shows it was loaded.
#[component]
pub fn Conversation(
    kind: VoucherThreadKind,
    id: String,
    #[prop(default = 0)] unread: i64,
) -> impl IntoView {
    let open = RwSignal::new(false);
    let unread = RwSignal::new(unread);
    let id = StoredValue::new(id);
    let title = match kind {
        VoucherThreadKind::Application => Key::ConversationApplication,
        _ => Key::ProviderConversation,
    };
    let new = move || unread_badge(unread.get());
    view! {
        <div class="conversation" data-unread=move || unread.get().to_string()>
            <button type="button" class="link" aria-expanded=move || open.get().to_string()
                on:click=move |_| open.update(|o| *o = !*o)>
                {t(title)}
            </button>
            {new}
            {move || open.get().then(|| view! { <Thread kind=kind id=id.get_value() unread=unread/> })}
        </div>
    }
}

#[component]
fn Thread(kind: VoucherThreadKind, id: String, unread: RwSignal<i64>) -> impl IntoView {
    let reload = RwSignal::new(0u32);
    let id = StoredValue::new(id);
    let messages = api::query::<gql::VoucherThread>(move || {
        reload.track();
        gql::voucher_thread::Variables {
            kind,
            id: id.get_value(),
        }
    });
    // Read through the last message shown (one that arrives meanwhile stays new).
    Effect::new(move |_| {
        let Some(Ok(d)) = messages.get() else { return };
        let Some(last) = d.voucher_conversation.last().map(|m| m.id.clone()) else {
            return;
        };
        if unread.get_untracked() == 0 {
            return;
        }
        let sent =
            api::call::<gql::MarkVoucherThreadRead>(gql::mark_voucher_thread_read::Variables {
                kind,
                id: id.get_value(),
                through: Some(last),
            });
        leptos::task::spawn_local(async move {
            if let Ok(left) = sent.await {
                unread.set(left.mark_voucher_conversation_read);
            }
        });
    });
    let body = RwSignal::new(String::new());
    let file: NodeRef<leptos::html::Input> = NodeRef::new();
    let error: RwSignal<Option<ApiError>> = RwSignal::new(None);
    let on_send = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let text = body.get_untracked().trim().to_string();
        let files: Vec<(String, web_sys::File)> = chosen_files(file)
            .into_iter()
            .take(1)
            .map(|f| ("variables.file".to_string(), f))
            .collect();
        if text.is_empty() && files.is_empty() {
            return;
        }
        error.set(None);
        let sent = api::send::<gql::PostVoucherMessage>(
            gql::post_voucher_message::Variables {
                kind,
                id: id.get_value(),
                body: text,
                file: (!files.is_empty()).then_some(()),
            },
            files,
        );
        leptos::task::spawn_local(async move {
            match sent.await {
                Ok(()) => {
                    body.set(String::new());
                    if let Some(input) = file.get_untracked() {
                        input.set_value("");
                    }
                    reload.update(|n| *n += 1);
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let field = format!(
        "message-{}-{}",
        kind.as_str().to_lowercase(),
        id.get_value()
    );
    view! {
        {move || loaded(messages.get(), |d| {
            let l = lang();
            if d.voucher_conversation.is_empty() {
                return view! { <p class="muted">{t(Key::ProviderNoMessages)}</p> }.into_any();
            }
            view! {
                <ul class="messages">
                    {d.voucher_conversation
                        .into_iter()
                        .map(|m| view! {
                            <li class="message">
                                <strong>{l.text(side_key(m.side))}</strong>
                                " · " <span class="muted">{local_time(l, &m.created_at)}</span>
                                {(!m.body.is_empty()).then(|| view! { <p>{m.body}</p> })}
                                {m.document.map(|d| view! {
                                    <p><DocumentLink name=d.file_name path=d.download_path size=d.size/></p>
                                })}
                            </li>
                        })
                        .collect_view()}
                </ul>
            }
            .into_any()
        })}
        <form class="message-form" on:submit=on_send>
            <label for=field.clone()>{t(Key::ProviderMessage)}</label>
            <textarea id=field.clone() rows="2" maxlength="2000"
                prop:value=move || body.get() on:input=move |ev| body.set(event_target_value(&ev))></textarea>
            <label for=format!("{field}-file")>{t(Key::VchAttachDocument)}</label>
            <input type="file" id=format!("{field}-file") accept="application/pdf,image/png,image/jpeg" node_ref=file/>
            {error_view(error)}
            <button type="submit" class="secondary">{t(Key::ProviderSend)}</button>
        </form>
    }
}
