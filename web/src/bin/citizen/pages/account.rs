//! A child's meal balance with its movements, which school events the parent is told of (and
//! which also by SMS), and the parent's consent to a QR code or PIN instead of a card.

use leptos::prelude::*;

use super::school::{for_child, tenge};
use crate::api::{self, ApiError};
use crate::gql::{self, SchoolEventKind};
use crate::i18n::Key;
use crate::ui::{act, error_view, fill, lang, loaded, local_time, t, table};

#[component]
pub fn ChildAccount() -> impl IntoView {
    for_child(Key::NavSchoolAccount, |id| view! { <AccountOf child=id/> })
}

fn kind_key(k: SchoolEventKind) -> Key {
    match k {
        SchoolEventKind::Entry => Key::PurposeSchoolEntry,
        SchoolEventKind::Exit => Key::PurposeSchoolExit,
        _ => Key::PurposeSchoolMeal,
    }
}

/// A checkbox that keeps `k` in `list` while ticked.
fn toggle(
    list: RwSignal<Vec<SchoolEventKind>>,
    k: SchoolEventKind,
    id: String,
    done: RwSignal<bool>,
) -> impl IntoView {
    view! {
        <input
            type="checkbox"
            id=id
            prop:checked=move || list.with(|l| l.contains(&k))
            on:change=move |ev| {
                let on = event_target_checked(&ev);
                done.set(false);
                list.update(|l| {
                    l.retain(|x| *x != k);
                    if on {
                        l.push(k);
                    }
                });
            }
        />
    }
}

#[component]
fn AccountOf(child: String) -> impl IntoView {
    let child = StoredValue::new(child);
    let reload = RwSignal::new(0u32);
    let data = api::query::<gql::ChildAccount>(move || {
        reload.track();
        gql::child_account::Variables {
            child_id: child.get_value(),
        }
    });
    let kinds = RwSignal::new(Vec::new());
    let sms = RwSignal::new(Vec::new());
    let done = RwSignal::new(false);
    let error: RwSignal<Option<ApiError>> = RwSignal::new(None);
    let consent_error: RwSignal<Option<ApiError>> = RwSignal::new(None);
    Effect::new(move |_| {
        if let Some(Ok(d)) = data.get() {
            kinds.set(d.school_notice_preferences.kinds);
            sms.set(d.school_notice_preferences.sms_kinds);
        }
    });
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let k = kinds.get_untracked();
        let s: Vec<_> = sms
            .get_untracked()
            .into_iter()
            .filter(|x| k.contains(x))
            .collect();
        sms.set(s.clone());
        error.set(None);
        leptos::task::spawn_local(async move {
            let vars = gql::set_school_notice_preferences::Variables {
                child_id: child.get_value(),
                kinds: k,
                sms_kinds: s,
            };
            match api::send::<gql::SetSchoolNoticePreferences>(vars, Vec::new()).await {
                Ok(()) => done.set(true),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let balance = move || {
        loaded(data.get(), |d| {
            let l = lang();
            let b = d.school_balance;
            let amount = view! { <p class="stat-value" id="balance">{tenge(l, b.amount)}</p> };
            if b.entries.is_empty() {
                return view! {
                    {amount}
                    <p class="muted">{l.text(Key::ParentNoMovements)}</p>
                }
                .into_any();
            }
            let rows = b
                .entries
                .into_iter()
                .map(|e| {
                    let kind = if e.kind == "topup" {
                        Key::ParentTopUp
                    } else {
                        Key::ParentMealDebit
                    };
                    view! {
                        <tr>
                            <td>{local_time(l, &e.at)}</td>
                            <td>{l.text(kind)}</td>
                            <td>{tenge(l, e.amount)}</td>
                            <td>{tenge(l, e.balance_after)}</td>
                        </tr>
                    }
                })
                .collect_view()
                .into_any();
            let heads = [
                Key::ParentDateCol,
                Key::Kind,
                Key::AmountKzt,
                Key::ParentBalanceAfter,
            ];
            view! {
                {amount}
                {table(l, "balance-entries", "", &heads, rows)}
            }
            .into_any()
        })
    };
    let rows = SchoolEventKind::ALL
        .iter()
        .map(|k| {
            let k = *k;
            view! {
                <tr>
                    <th scope="row">{t(kind_key(k))}</th>
                    <td>{toggle(kinds, k, String::from("notice-") + k.as_str(), done)}</td>
                    <td>{toggle(sms, k, String::from("sms-") + k.as_str(), done)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section class="panel" aria-labelledby="balance-title">
            <h2 id="balance-title">{t(Key::ParentBalance)}</h2>
            {balance}
        </section>
        <form class="panel" id="notice-form" on:submit=save>
            <h2>{t(Key::ParentNoticesTitle)}</h2>
            <p class="hint">{t(Key::ParentNoticesHint)}</p>
            <div class="table-wrap">
                <table>
                    <thead>
                        <tr>
                            <td></td>
                            <th scope="col">{t(Key::ParentNoticeReceive)}</th>
                            <th scope="col">{t(Key::ParentNoticeSms)}</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
            <button type="submit" id="notice-save">{t(Key::Save)}</button>
            {move || done.get().then(|| view! { <p class="alert success" role="status">{t(Key::ParentNoticesSaved)}</p> })}
            {error_view(error)}
        </form>
        <section class="panel" aria-labelledby="id-title" id="id-consents">
            <h2 id="id-title">{t(Key::ParentIdTitle)}</h2>
            <p class="hint">{t(Key::ParentIdHint)}</p>
            {move || loaded(data.get(), move |d| {
                use gql::child_account::CredentialKind as Kind;
                use gql::set_school_id_consent::SchoolIdMethod as Method;
                let rows = [(Method::QR, Kind::QR, "QR", Key::ParentIdQr), (Method::PIN, Kind::PIN, "PIN", Key::ParentIdPin)]
                    .into_iter()
                    .map(|(method, kind, code, name)| {
                        let given = d
                            .school_id_consents
                            .iter()
                            .find(|c| c.revoked_at.is_none() && c.method.as_ref() == Some(&kind))
                            .map(|c| c.given_at.clone());
                        consent_row(child.get_value(), method, code, name, given, reload, consent_error)
                    })
                    .collect_view();
                view! { <ul class="consents">{rows}</ul> }.into_any()
            })}
            {error_view(consent_error)}
        </section>
    }
}

/// One way of identification: whether the parent consented, and the button that changes it.
fn consent_row(
    child: String,
    method: gql::set_school_id_consent::SchoolIdMethod,
    code: &'static str,
    name: Key,
    given: Option<String>,
    reload: RwSignal<u32>,
    error: RwSignal<Option<ApiError>>,
) -> impl IntoView {
    let l = lang();
    let on = given.is_some();
    let state = match given {
        Some(at) => fill(l.text(Key::ParentIdGiven), &[("date", local_time(l, &at))]),
        None => l.text(Key::ParentIdNotGiven).to_owned(),
    };
    let (label, class) = if on {
        (Key::ParentIdWithdraw, "secondary")
    } else {
        (Key::ParentIdGive, "")
    };
    view! {
        <li class="consent" data-method=code>
            <strong>{l.text(name)}</strong> ": " <span class="consent-state">{state}</span> " "
            <button type="button" class=class id=format!("consent-{code}") on:click=move |_| {
                act(
                    api::send::<gql::SetSchoolIdConsent>(
                        gql::set_school_id_consent::Variables {
                            child_id: child.clone(),
                            method: method.clone(),
                            given: !on,
                        },
                        Vec::new(),
                    ),
                    error,
                    reload,
                );
            }>{l.text(label)}</button>
        </li>
    }
}
