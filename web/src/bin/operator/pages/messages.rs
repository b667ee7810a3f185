//! Messages: the dead letters an administrator retries, and on the graduate card every
//! message to the graduate (what, in which language, through which channel, when queued,
//! sent, delivered and replied), their 511/512 consent requests, and sending a notice.

use leptos::prelude::*;

use crate::api::{self, ApiError};
use crate::gql::{self, Channel, ConsentStatus, MessageStatus, NotificationPurpose};
use crate::i18n::{Key, Lang};
use crate::pages::operator::can_write;
use crate::ui::{
    Choice, EmptyState, PageTitle, act, error_view, lang, loaded, local_time, t, table,
};
use adal_web::labels::purpose_key;

pub fn channel_key(c: Option<Channel>) -> Key {
    match c {
        Some(Channel::Sms) => Key::ChannelSms,
        Some(Channel::Push) => Key::ChannelPush,
        Some(Channel::Post) => Key::ChannelPost,
        _ => Key::ChannelEmail,
    }
}

/// A message status's label and badge class.
fn status_of(s: Option<MessageStatus>) -> (Key, &'static str) {
    match s {
        Some(MessageStatus::Queued) => (Key::MsgQueued, "badge"),
        Some(MessageStatus::Sending) => (Key::MsgSending, "badge"),
        Some(MessageStatus::Sent) => (Key::MsgSent, "badge warn"),
        Some(MessageStatus::Delivered) => (Key::MsgDelivered, "badge ok"),
        Some(MessageStatus::Failed) => (Key::MsgFailed, "badge bad"),
        Some(MessageStatus::Dead) => (Key::MsgDead, "badge bad"),
        Some(MessageStatus::Suppressed) => (Key::MsgSuppressed, "badge"),
        _ => (Key::MsgCancelled, "badge"),
    }
}

fn consent_key(s: Option<ConsentStatus>) -> Key {
    match s {
        Some(ConsentStatus::Open) => Key::ConsentOpen,
        Some(ConsentStatus::Consented) => Key::ConsentGiven,
        Some(ConsentStatus::Refused) => Key::ConsentRefused,
        _ => Key::ConsentExpired,
    }
}

const DEAD_LETTER_HEADS: [Key; 7] = [
    Key::Graduates,
    Key::Purpose,
    Key::Channel,
    Key::Attempts,
    Key::LastError,
    Key::When,
    Key::Actions,
];

const HISTORY_HEADS: [Key; 8] = [
    Key::Purpose,
    Key::Language,
    Key::Channel,
    Key::Status,
    Key::MsgQueued,
    Key::MsgSent,
    Key::MsgDelivered,
    Key::Replied,
];

/// An optional instant in the language; a dash when unset.
fn when(l: Lang, at: &Option<String>) -> String {
    at.as_deref()
        .map_or_else(|| "—".to_string(), |a| local_time(l, a))
}

// ---------------------------------------------------------------------------------------
// Dead letters

#[component]
pub fn DeadLettersPage() -> impl IntoView {
    let (admin, reload) = (can_write(), RwSignal::new(0u32));
    let data = api::query::<gql::DeadLetters>(move || {
        reload.track();
        gql::dead_letters::Variables {}
    });
    let error: RwSignal<Option<ApiError>> = RwSignal::new(None);
    view! {
        <PageTitle key=Key::NavDeadLetters/>
        <p class="hint">{t(Key::DeadLettersHint)}</p>
        {error_view(error)}
        {move || loaded(data.get(), |d| {
            if d.dead_letters.is_empty() {
                return view! { <EmptyState title=Key::NoDataYet text=Key::EmptyDeadLetters/> }.into_any();
            }
            let l = lang();
            let rows = d
                .dead_letters
                .into_iter()
                .map(|m| {
                    let id = m.id.clone();
                    let retry = move |_| {
                        let vars = gql::retry_message::Variables { id: id.clone() };
                        act(api::send::<gql::RetryMessage>(vars, Vec::new()), error, reload);
                    };
                    view! {
                        <tr data-id=m.id.clone()>
                            <td>
                                {(m.subject_kind.as_deref() == Some("graduate"))
                                    .then_some(m.subject_id)
                                    .flatten()
                                    .map(|g| view! { <a href=format!("/operator/graduates/{g}")>{l.text(Key::OpenCard)}</a> })}
                            </td>
                            <td>{l.text(purpose_key(m.purpose))}</td>
                            <td>{l.text(channel_key(m.channel))} " " <code>{m.recipient}</code></td>
                            <td class="num">{m.attempts}</td>
                            <td class="reason">{m.last_error}</td>
                            <td>{when(l, &m.failed_at.or(Some(m.queued_at)))}</td>
                            <td>{admin.then(|| view! { <button type="button" class="secondary retry" on:click=retry>{l.text(Key::Retry)}</button> })}</td>
                        </tr>
                    }
                })
                .collect_view()
                .into_any();
            table(l, "dead-letters", "", &DEAD_LETTER_HEADS, rows)
        })}
    }
}

// ---------------------------------------------------------------------------------------
// The graduate card: messages, consent requests, sending a notice

type CardMessage = gql::graduate::GraduateGraduateMessages;
type CardConsent = gql::graduate::GraduateGraduateConsentRequests;

#[component]
pub fn MessageHistory(
    graduate_id: String,
    messages: Vec<CardMessage>,
    consents: Vec<CardConsent>,
    reload: RwSignal<u32>,
) -> impl IntoView {
    let l = lang();
    let rows = messages
        .into_iter()
        .map(|m| {
            let (label, class) = status_of(m.status);
            let language = Lang::from_api(m.language);
            view! {
                <tr data-status=m.status.map_or("", MessageStatus::as_str)>
                    <td>{l.text(purpose_key(m.purpose))}</td>
                    <td>{language.endonym()}</td>
                    <td>{l.text(channel_key(m.channel))} " " <code>{m.recipient}</code></td>
                    <td>
                        <span class=class>{l.text(label)}</span>
                        {m.last_error.map(|e| view! { <br/> <small class="muted">{e}</small> })}
                    </td>
                    <td>{local_time(l, &m.queued_at)}</td>
                    <td>{when(l, &m.sent_at)}</td>
                    <td>{when(l, &m.delivered_at.or(m.failed_at))}</td>
                    <td>{when(l, &m.replied_at)}</td>
                </tr>
            }
        })
        .collect_view()
        .into_any();
    let consents = consents
        .into_iter()
        .map(|c| {
            view! {
                <li>
                    <span class="badge">{l.text(consent_key(c.status))}</span>
                    " " {local_time(l, &c.created_at)}
                    {c.answered_at.map(|a| format!(" → {}", local_time(l, &a)))}
                </li>
            }
        })
        .collect_view();
    view! {
        <section class="panel" id="messages" aria-labelledby="messages-title">
            <h2 id="messages-title">{l.text(Key::Messages)}</h2>
            {table(l, "message-history", "", &HISTORY_HEADS, rows)}
            <h3>{l.text(Key::ConsentRequests)}</h3>
            <ul class="consents" id="consents">{consents}</ul>
            {can_write().then(|| view! { <NotifyForm graduate_id=graduate_id reload=reload/> })}
        </section>
    }
}

/// An administrator sends the graduate a notice, or the 511/512 consent request by SMS.
#[component]
fn NotifyForm(graduate_id: String, reload: RwSignal<u32>) -> impl IntoView {
    const CHOICES: [NotificationPurpose; 5] = [
        NotificationPurpose::ObligationNotice,
        NotificationPurpose::BreachNotice,
        NotificationPurpose::ConsentRequest,
        NotificationPurpose::Reminder,
        NotificationPurpose::Information,
    ];
    let purpose = RwSignal::new(NotificationPurpose::ObligationNotice);
    let error: RwSignal<Option<ApiError>> = RwSignal::new(None);
    let graduate_id = StoredValue::new(graduate_id);
    let on_send = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let p = purpose.get_untracked();
        let consent = p == NotificationPurpose::ConsentRequest;
        let vars = gql::notify::Variables {
            graduate_id: graduate_id.get_value(),
            purpose: p,
            notice: !consent,
            consent,
        };
        act(api::send::<gql::Notify>(vars, Vec::new()), error, reload);
    };
    view! {
        <form class="form-row" id="notify-form" on:submit=on_send>
            <Choice
                id="notify-purpose"
                label=Key::SendMessage
                options=CHOICES.iter().map(|p| (p.as_str(), purpose_key(Some(*p)))).collect()
                pick=Callback::new(move |v: String| purpose.set(NotificationPurpose::parse(&v)))
            />
            <button type="submit" class="secondary" id="notify-send">{t(Key::Send)}</button>
            {error_view(error)}
        </form>
    }
}
