//! Claim work: graduates in breach whose claim is due, then claims drafted, sent and paid;
//! an administrator drafts a claim, moves it on, records payments and logs every contact.

use leptos::prelude::*;

use crate::api::{self, ApiError};
use crate::format;
use crate::gql::{self, ClaimStatus, ClaimStatusChange, ContactChannel, ObligationStatus};
use crate::i18n::Key;
use crate::pages::operator::can_write;
use crate::records::{claim_status_key, computation_text, kzt};
use crate::ui::{EmptyState, ErrorBox, Loading, PageTitle, act, fill, lang, non_empty, t};

fn change_key(s: ClaimStatusChange) -> Key {
    match s {
        ClaimStatusChange::Sent => Key::ClaimSent,
        ClaimStatusChange::Acknowledged => Key::ClaimAcknowledged,
        ClaimStatusChange::InCourt => Key::ClaimInCourt,
        _ => Key::ClaimWithdrawn,
    }
}

fn channel_key(c: Option<ContactChannel>) -> Key {
    match c {
        Some(ContactChannel::Sms) => Key::ChannelSms,
        Some(ContactChannel::HybridMail) => Key::ChannelHybridMail,
        Some(ContactChannel::Phone) => Key::ChannelPhone,
        Some(ContactChannel::Email) => Key::ChannelEmail,
        _ => Key::ChannelMessenger,
    }
}

#[component]
pub fn ClaimsPage() -> impl IntoView {
    let view_of = RwSignal::new(String::from("DUE"));
    let reload = RwSignal::new(0u32);
    let tabs = [
        ("DUE", Key::ClaimsDue),
        ("DRAFTED", Key::ClaimDrafted),
        ("SENT", Key::ClaimSent),
        ("ACKNOWLEDGED", Key::ClaimAcknowledged),
        ("PAID_IN_PART", Key::ClaimPaidInPart),
        ("PAID", Key::ClaimPaid),
        ("IN_COURT", Key::ClaimInCourt),
        ("WITHDRAWN", Key::ClaimWithdrawn),
    ];
    view! {
        <PageTitle key=Key::NavClaims/>
        <div class="filters">
            <div class="field">
                <label for="claims-view">{t(Key::Status)}</label>
                <select id="claims-view" on:change=move |ev| view_of.set(event_target_value(&ev))>
                    {tabs
                        .into_iter()
                        .map(|(v, k)| view! { <option value=v>{t(k)}</option> })
                        .collect_view()}
                </select>
            </div>
        </div>
        {move || {
            if view_of.get() == "DUE" {
                view! { <DueList reload=reload/> }.into_any()
            } else {
                let status = ClaimStatus::parse(&view_of.get());
                view! { <ClaimList status=status reload=reload/> }.into_any()
            }
        }}
    }
}

/// Graduates in breach without an open claim.
#[component]
fn DueList(reload: RwSignal<u32>) -> impl IntoView {
    let error: RwSignal<Option<ApiError>> = RwSignal::new(None);
    let data = LocalResource::new(move || {
        reload.track();
        async move {
            let claims = api::call::<gql::Claims>(gql::claims::Variables { status: None }).await?;
            let filter = gql::graduates::GraduateFilter {
                status: Some(ObligationStatus::Breach),
                category: None,
                specialty_group: None,
                region_kato: None,
                university_id: None,
                graduation_year: None,
                employer_id: None,
                iin: None,
            };
            let g = api::call::<gql::Graduates>(gql::graduates::Variables {
                filter: Some(filter),
                first: Some(100),
                after: None,
                language: Some(lang().to_api()),
            })
            .await?;
            let open: Vec<String> = claims
                .claims
                .into_iter()
                .filter(|c| c.claim.status != Some(ClaimStatus::Withdrawn))
                .map(|c| c.graduate_id)
                .collect();
            Ok::<_, ApiError>(
                g.graduates
                    .nodes
                    .into_iter()
                    .filter(|n| !open.contains(&n.id))
                    .collect::<Vec<_>>(),
            )
        }
    });
    let admin = can_write();
    view! {
        {move || error.get().map(|e| view! { <ErrorBox error=e/> })}
        {move || match data.get() {
            None => view! { <Loading/> }.into_any(),
            Some(Err(e)) => view! { <ErrorBox error=e/> }.into_any(),
            Some(Ok(rows)) if rows.is_empty() => {
                view! { <EmptyState title=Key::NoDataYet text=Key::EmptyClaimsDue/> }.into_any()
            }
            Some(Ok(rows)) => {
                let rows = rows
                    .into_iter()
                    .map(|g| {
                        let id = g.id.clone();
                        let href = format!("/operator/graduates/{}", g.id);
                        view! {
                            <tr>
                                <td><a href=href>{g.full_name}</a></td>
                                <td>{g.obligation.reason}</td>
                                <td>
                                    {admin.then(|| {
                                        // What the rules would refuse is not offered: the button
                                        // is disabled and the reason stands beside it.
                                        let blocked = g.claim_blocked_by.as_deref().map(claim_blocked_key);
                                        let why = format!("claim-blocked-{}", g.id);
                                        view! {
                                            <button
                                                type="button"
                                                class="draft-claim"
                                                disabled=blocked.is_some()
                                                aria-describedby=blocked.map(|_| why.clone())
                                                on:click=move |_| {
                                                    let graduate_id = id.clone();
                                                    let vars = gql::draft_claim::Variables { graduate_id };
                                                    act(api::send::<gql::DraftClaim>(vars, Vec::new()), error, reload);
                                                }
                                            >{t(Key::DraftClaim)}</button>
                                            {blocked.map(|k| view! { <p class="muted claim-blocked" id=why>{t(k)}</p> })}
                                        }
                                    })}
                                </td>
                            </tr>
                        }
                    })
                    .collect_view();
                view! {
                    <div class="table-wrap">
                        <table id="claims-due">
                            <thead>
                                <tr>
                                    <th scope="col">{t(Key::FullName)}</th>
                                    <th scope="col">{t(Key::Reason)}</th>
                                    <th scope="col">{t(Key::Actions)}</th>
                                </tr>
                            </thead>
                            <tbody>{rows}</tbody>
                        </table>
                    </div>
                }
                    .into_any()
            }
        }}
    }
}

#[component]
fn ClaimList(status: ClaimStatus, reload: RwSignal<u32>) -> impl IntoView {
    let data = api::query::<gql::Claims>(move || {
        reload.track();
        gql::claims::Variables {
            status: Some(status),
        }
    });
    move || match data.get() {
        None => view! { <Loading/> }.into_any(),
        Some(Err(e)) => view! { <ErrorBox error=e/> }.into_any(),
        Some(Ok(d)) if d.claims.is_empty() => {
            view! { <EmptyState title=Key::NoDataYet text=Key::EmptyClaims/> }.into_any()
        }
        Some(Ok(d)) => d
            .claims
            .into_iter()
            .map(|c| view! { <ClaimCard item=c reload=reload/> })
            .collect_view()
            .into_any(),
    }
}

#[component]
fn ClaimCard(item: gql::claims::ClaimsClaims, reload: RwSignal<u32>) -> impl IntoView {
    let c = item.claim;
    let (amount, paid) = (c.amount, c.paid_total);
    let created = c.created_at.clone();
    let computation = c.computation.clone();
    let closed = matches!(c.status, Some(ClaimStatus::Paid | ClaimStatus::Withdrawn));
    let payable = !closed && c.status != Some(ClaimStatus::Drafted);
    let payments = c
        .payments
        .into_iter()
        .map(|p| {
            let on = p.paid_on.clone();
            view! { <li>{move || format::short_date(lang(), &on)} " · " {move || kzt(p.amount)} " · " {p.reference}</li> }
        })
        .collect_view();
    let contacts = c
        .contacts
        .into_iter()
        .map(|k| {
            let at = k.at.clone();
            view! {
                <li>
                    {move || format::short_date(lang(), &at)} " · " {t(channel_key(k.channel))} " · "
                    <strong>{k.outcome}</strong> " " {k.note}
                </li>
            }
        })
        .collect_view();
    let href = format!("/operator/graduates/{}", item.graduate_id);
    let id = StoredValue::new(c.id.clone());
    view! {
        <article class="panel claim" data-id=c.id.clone()>
            <h2><a href=href>{item.graduate_name}</a></h2>
            <p>
                <span class="badge claim-status">{t(claim_status_key(c.status))}</span>
                " " <strong class="claim-amount">{move || kzt(amount)}</strong>
                " · " {move || fill(lang().text(Key::PaidSoFar), &[("paid", kzt(paid))])}
                " · " {move || format::short_date(lang(), &created)}
            </p>
            <p class="muted computation">{move || computation_text(&computation)}</p>
            <h3>{t(Key::Payments)}</h3>
            <ul class="payments">{payments}</ul>
            <h3>{t(Key::Contacts)}</h3>
            <ul class="contacts">{contacts}</ul>
            {(can_write() && !closed).then(|| view! { <ClaimActions id=id payable=payable reload=reload/> })}
        </article>
    }
}

#[component]
fn ClaimActions(id: StoredValue<String>, payable: bool, reload: RwSignal<u32>) -> impl IntoView {
    let error: RwSignal<Option<ApiError>> = RwSignal::new(None);
    let next = RwSignal::new(ClaimStatusChange::Sent);
    let amount = RwSignal::new(String::new());
    let paid_on = RwSignal::new(String::new());
    let reference = RwSignal::new(String::new());
    let channel = RwSignal::new(ContactChannel::Phone);
    let outcome = RwSignal::new(String::new());
    let note = RwSignal::new(String::new());
    let cid = id.get_value();
    let f = move |name: &str| format!("{name}-{cid}");
    let on_status = move |_| {
        let vars = gql::set_claim_status::Variables {
            claim_id: id.get_value(),
            status: next.get_untracked(),
        };
        act(
            api::send::<gql::SetClaimStatus>(vars, Vec::new()),
            error,
            reload,
        );
    };
    let on_payment = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let vars = gql::record_claim_payment::Variables {
            claim_id: id.get_value(),
            amount: amount.get_untracked().trim().parse().unwrap_or(0),
            paid_on: paid_on.get_untracked(),
            reference: reference.get_untracked(),
        };
        act(
            api::send::<gql::RecordClaimPayment>(vars, Vec::new()),
            error,
            reload,
        );
    };
    let on_contact = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let vars = gql::record_claim_contact::Variables {
            claim_id: id.get_value(),
            channel: channel.get_untracked(),
            outcome: outcome.get_untracked(),
            note: non_empty(note.get_untracked()),
        };
        act(
            api::send::<gql::RecordClaimContact>(vars, Vec::new()),
            error,
            reload,
        );
    };
    let input = move |sig: RwSignal<String>| move |ev| sig.set(event_target_value(&ev));
    view! {
        <div class="claim-actions">
            <div class="form-row">
                <div class="field">
                    <label for=f("next")>{t(Key::ChangeStatus)}</label>
                    <select id=f("next") class="next-status" on:change=move |ev| next.set(ClaimStatusChange::parse(&event_target_value(&ev)))>
                        {ClaimStatusChange::ALL
                            .iter()
                            .map(|s| view! { <option value=s.as_str()>{t(change_key(*s))}</option> })
                            .collect_view()}
                    </select>
                </div>
                <button type="button" class="secondary set-status" on:click=on_status>{t(Key::Save)}</button>
            </div>
            {payable.then(|| view! {
                <form class="form-row payment-form" on:submit=on_payment>
                    <div class="field">
                        <label for=f("amount")>{t(Key::PaymentAmount)}</label>
                        <input id=f("amount") class="pay-amount" type="number" min="1" inputmode="numeric" required=true on:input=input(amount)/>
                    </div>
                    <div class="field">
                        <label for=f("paid-on")>{t(Key::PaidOn)}</label>
                        <input id=f("paid-on") class="pay-date" type="date" required=true on:input=input(paid_on) on:change=input(paid_on)/>
                    </div>
                    <div class="field">
                        <label for=f("reference")>{t(Key::PaymentReference)}</label>
                        <input id=f("reference") class="pay-reference" type="text" on:input=input(reference)/>
                    </div>
                    <button type="submit" class="record-payment">{t(Key::RecordPayment)}</button>
                </form>
            })}
            <form class="form-row contact-form" on:submit=on_contact>
                <div class="field">
                    <label for=f("channel")>{t(Key::Channel)}</label>
                    <select id=f("channel") class="contact-channel" on:change=move |ev| channel.set(ContactChannel::parse(&event_target_value(&ev)))>
                        {ContactChannel::ALL
                            .iter()
                            .map(|c| view! { <option value=c.as_str() selected=*c == ContactChannel::Phone>{t(channel_key(Some(*c)))}</option> })
                            .collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for=f("outcome")>{t(Key::ContactOutcome)}</label>
                    <input id=f("outcome") class="contact-outcome" type="text" required=true on:input=input(outcome)/>
                </div>
                <div class="field">
                    <label for=f("note")>{t(Key::Note)}</label>
                    <input id=f("note") class="contact-note" type="text" on:input=input(note)/>
                </div>
                <button type="submit" class="secondary log-contact">{t(Key::LogContact)}</button>
            </form>
            {move || error.get().map(|e| view! { <ErrorBox error=e/> })}
        </div>
    }
}

/// Why the rules would refuse drafting a claim, by the API's reason code.
fn claim_blocked_key(code: &str) -> Key {
    match code {
        "NO_DELIVERED_NOTICE" => Key::ClaimBlockedNoNotice,
        _ => Key::ClaimBlockedNotInBreach,
    }
}
