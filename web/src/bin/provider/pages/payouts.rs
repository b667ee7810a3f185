//! The payouts: month by month, what the akimat paid the organisation (children and amount,
//! per campaign), and the children whose month was not paid in full, with the reason the
//! API's figures give (waiting for the parent, disputed, rejected on resolution, no session
//! held, below the attendance threshold, or the month's payouts not computed yet).

use std::collections::BTreeSet;

use leptos::prelude::*;

use super::{Month, month_label};
use crate::api;
use crate::format;
use crate::gql::{self, AttendanceStatus};
use crate::i18n::{Key, Lang};
use crate::ui::{EmptyState, PageTitle, fill, lang, loaded, table};

type Attendance = gql::provider_payouts::ProviderPayoutsVoucherAttendance;

const PAID_HEADS: [Key; 3] = [
    Key::ProviderCampaign,
    Key::ProviderPaidChildren,
    Key::ProviderAmount,
];
const UNPAID_HEADS: [Key; 4] = [
    Key::SheetChild,
    Key::SheetSection,
    Key::SheetAttended,
    Key::ProviderWhy,
];

/// Why a child's month was not paid in full; `None` when it was.
fn why_not_paid(l: Lang, a: &Attendance) -> Option<String> {
    let text = |k: Key, reason: Option<&String>| {
        fill(
            l.text(k),
            &[("reason", reason.cloned().unwrap_or_default())],
        )
    };
    match a.status {
        Some(AttendanceStatus::Recorded) => {
            return Some(l.text(Key::ProviderWhyWaiting).to_string());
        }
        Some(AttendanceStatus::Disputed) if a.anomaly.is_some() => {
            return Some(text(Key::ProviderWhyFlagged, a.anomaly.as_ref()));
        }
        Some(AttendanceStatus::Disputed) => {
            return Some(text(Key::ProviderWhyDisputed, a.dispute_reason.as_ref()));
        }
        Some(AttendanceStatus::Rejected) => {
            return Some(text(Key::ProviderWhyRejected, a.resolution.as_ref()));
        }
        _ => {}
    }
    if a.sessions_held == 0 {
        return Some(l.text(Key::ProviderWhyNoSessions).to_string());
    }
    if a.payout.is_none() {
        return Some(l.text(Key::ProviderWhyNotComputed).to_string());
    }
    a.below_threshold.then(|| {
        fill(
            l.text(Key::ProviderWhyBelow),
            &[
                ("attended", a.sessions_attended.to_string()),
                ("held", a.sessions_held.to_string()),
            ],
        )
    })
}

#[component]
pub fn PayoutsPage() -> impl IntoView {
    let data = api::query::<gql::ProviderPayouts>(|| gql::provider_payouts::Variables {});
    view! {
        <PageTitle key=Key::ProviderPayoutsTitle/>
        {move || loaded(data.get(), |d| {
            let l = lang();
            let months: BTreeSet<Month> = d
                .provider_voucher_payouts
                .iter()
                .map(|p| p.month)
                .chain(d.voucher_attendance.iter().map(|a| a.month))
                .collect();
            if months.is_empty() {
                return view! { <EmptyState title=Key::NoDataYet text=Key::ProviderNoPayouts/> }.into_any();
            }
            months
                .into_iter()
                .rev()
                .map(|m| {
                    let paid: Vec<_> = d.provider_voucher_payouts.iter().filter(|p| p.month == m).collect();
                    let paid_view = if paid.is_empty() {
                        view! { <p class="muted">{l.text(Key::ProviderWhyNotComputed)}</p> }.into_any()
                    } else {
                        let rows = paid
                            .iter()
                            .map(|p| {
                                let name = d
                                    .voucher_campaigns
                                    .iter()
                                    .find(|c| c.id == p.campaign_id)
                                    .map_or_else(|| p.campaign_id.clone(), |c| c.name.clone());
                                view! {
                                    <tr class="payout" data-campaign=p.campaign_id.clone()>
                                        <th scope="row">{name}</th>
                                        <td class="num children">{format::number(l, p.children)}</td>
                                        <td class="num amount">{format::money(l, p.amount * 100)}</td>
                                    </tr>
                                }
                            })
                            .collect_view();
                        table(l, "", "payouts", &PAID_HEADS, rows.into_any())
                    };
                    let unpaid: Vec<_> = d
                        .voucher_attendance
                        .iter()
                        .filter(|a| a.month == m)
                        .filter_map(|a| why_not_paid(l, a).map(|why| (a, why)))
                        .collect();
                    let unpaid_view = if unpaid.is_empty() {
                        view! { <p class="muted">{l.text(Key::ProviderAllPaid)}</p> }.into_any()
                    } else {
                        let rows = unpaid
                            .into_iter()
                            .map(|(a, why)| view! {
                                <tr class="unpaid" data-status=a.status.map_or("", AttendanceStatus::as_str)>
                                    <th scope="row">{a.child_name.clone().unwrap_or_default()}</th>
                                    <td>{a.section.name.clone()}</td>
                                    <td class="num">{format!("{} / {}", a.sessions_attended, a.sessions_held)}</td>
                                    <td class="why">{why}</td>
                                </tr>
                            })
                            .collect_view();
                        table(l, "", "unpaid", &UNPAID_HEADS, rows.into_any())
                    };
                    view! {
                        <section class="panel month-payouts" data-month=m.to_string()>
                            <h2>{month_label(l, m)}</h2>
                            {paid_view}
                            <h3>{l.text(Key::ProviderNotPaid)}</h3>
                            {unpaid_view}
                        </section>
                    }
                })
                .collect_view()
                .into_any()
        })}
    }
}
