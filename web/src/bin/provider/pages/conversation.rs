//! The conversation about a disputed month: the parent's, the provider's and the akimat's
//! messages, and the provider's reply.

use leptos::prelude::*;

use super::refusal_view;
use crate::api::{self, ApiError};
use crate::gql::{self, VoucherSide};
use crate::i18n::Key;
use crate::ui::{lang, loaded, local_time, non_empty, t};

fn side_key(s: Option<VoucherSide>) -> Key {
    match s {
        Some(VoucherSide::Parent) => Key::ProviderSideParent,
        Some(VoucherSide::Akimat) => Key::ProviderSideAkimat,
        _ => Key::ProviderSideProvider,
    }
}

/// The conversation of the month of attendance `id`, opened on demand.
#[component]
pub fn Conversation(id: String) -> impl IntoView {
    let open = RwSignal::new(false);
    let id = StoredValue::new(id);
    view! {
        <div class="conversation">
            <button type="button" class="link" aria-expanded=move || open.get().to_string()
                on:click=move |_| open.update(|o| *o = !*o)>
                {t(Key::ProviderConversation)}
            </button>
            {move || open.get().then(|| view! { <Thread id=id.get_value()/> })}
        </div>
    }
}

#[component]
fn Thread(id: String) -> impl IntoView {
    let reload = RwSignal::new(0u32);
    let id = StoredValue::new(id);
    let messages = api::query::<gql::AttendanceConversation>(move || {
        reload.track();
        gql::attendance_conversation::Variables { id: id.get_value() }
    });
    let body = RwSignal::new(String::new());
    let error: RwSignal<Option<ApiError>> = RwSignal::new(None);
    let on_send = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(text) = non_empty(body.get_untracked()) else {
            return;
        };
        error.set(None);
        let sent = api::send::<gql::PostAttendanceMessage>(
            gql::post_attendance_message::Variables {
                id: id.get_value(),
                body: text,
            },
            Vec::new(),
        );
        leptos::task::spawn_local(async move {
            match sent.await {
                Ok(()) => {
                    body.set(String::new());
                    reload.update(|n| *n += 1);
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let field = format!("message-{}", id.get_value());
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
                                <p>{m.body}</p>
                            </li>
                        })
                        .collect_view()}
                </ul>
            }
            .into_any()
        })}
        <form class="message-form" on:submit=on_send>
            <label for=field.clone()>{t(Key::ProviderMessage)}</label>
            <textarea id=field rows="2" prop:value=move || body.get() on:input=move |ev| body.set(event_target_value(&ev))></textarea>
            {refusal_view(error)}
            <button type="submit" class="secondary">{t(Key::ProviderSend)}</button>
        </form>
    }
}
