//! The monthly payouts of a campaign: per provider, the children's months confirmed by the
//! parent, confirmed automatically, disputed and resolved; each dispute resolved with a
//! reason; the month's payouts computed once it is over; and the payment register (CSV,
//! XLSX) downloaded.

use std::collections::BTreeMap;

use leptos::prelude::*;

use super::campaigns::regions;
use super::{attendance_status, decision, month_label, org_name, refusal_view, tenge};
use crate::api::{self, ApiError};
use crate::format;
use crate::gql::akimat::{self as gql, AttendanceStatus};
use crate::i18n::{Key, Lang};
use crate::ui::{EmptyState, PageTitle, download, error_view, fill, lang, loaded, t, table};
use adal_web::conversation::Conversation;
use adal_web::days::this_month;
use adal_web::gql::VoucherThreadKind;

type Attendance = gql::akimat_payouts::AkimatPayoutsVoucherAttendance;

const SUMMARY_HEADS: [Key; 5] = [
    Key::AkimatProvider,
    Key::SheetConfirmed,
    Key::SheetAutoConfirmed,
    Key::SheetDisputed,
    Key::SheetRecorded,
];
const PAID_HEADS: [Key; 3] = [
    Key::AkimatProvider,
    Key::ProviderPaidChildren,
    Key::ProviderAmount,
];

/// The months from `first` to `last` (`YYYYMM`), newest first.
fn months(first: i64, last: i64) -> Vec<i64> {
    let mut out = Vec::new();
    let mut m = first;
    while m <= last && out.len() < 240 {
        out.push(m);
        m = if m % 100 == 12 {
            (m / 100 + 1) * 100 + 1
        } else {
            m + 1
        };
    }
    out.reverse();
    out
}

fn provider_of(l: Lang, a: &Attendance) -> (String, String) {
    a.section
        .organisation
        .as_ref()
        .map(|o| {
            (
                o.id.clone(),
                org_name(l, &o.name_kk, &o.name_ru, &o.name_en),
            )
        })
        .unwrap_or_default()
}

pub type Campaign = gql::akimat_campaigns::AkimatCampaignsVoucherCampaigns;

/// The campaigns of the officer's regions, and the one to show first: the newest whose period
/// has begun (the others have no months yet), else the newest.
pub fn my_campaigns(d: gql::akimat_campaigns::ResponseData) -> (Vec<Campaign>, Option<Campaign>) {
    let mine = regions(&d);
    let campaigns: Vec<Campaign> = d
        .voucher_campaigns
        .into_iter()
        .filter(|c| mine.contains(&c.region_kato))
        .collect();
    let started = campaigns.iter().find(|c| c.first_month <= this_month());
    let first = started.or(campaigns.first()).cloned();
    (campaigns, first)
}

#[component]
pub fn PayoutsPage() -> impl IntoView {
    let data = api::query::<gql::AkimatCampaigns>(|| gql::akimat_campaigns::Variables {});
    view! {
        <PageTitle key=Key::AkimatPayoutsTitle/>
        {move || loaded(data.get(), |d| {
            let (campaigns, first) = my_campaigns(d);
            let Some(first) = first else {
                return view! { <EmptyState title=Key::NoDataYet text=Key::AkimatNoCampaigns/> }.into_any();
            };
            let campaign = RwSignal::new(first.id.clone());
            let month = RwSignal::new(first.last_month.min(this_month()));
            let spans: Vec<(String, i64, i64)> = campaigns
                .iter()
                .map(|c| (c.id.clone(), c.first_month, c.last_month.min(this_month())))
                .collect();
            let campaign_options = campaigns
                .iter()
                .map(|c| {
                    let chosen = c.id == first.id;
                    view! { <option value=c.id.clone() selected=chosen>{c.name.clone()}</option> }
                })
                .collect_view();
            let month_options = move || {
                let id = campaign.get();
                let (a, b) = spans
                    .iter()
                    .find(|(c, _, _)| *c == id)
                    .map_or((0, -1), |(_, a, b)| (*a, *b));
                let chosen = month.get_untracked();
                if !(a..=b).contains(&chosen) && b >= a {
                    month.set(b);
                }
                months(a, b)
                    .into_iter()
                    .map(|m| view! { <option value=m.to_string() selected=move || month.get() == m>{month_label(lang(), m)}</option> })
                    .collect_view()
            };
            view! {
                <div class="filters">
                    <div class="field">
                        <label for="pay-campaign">{t(Key::AkimatCampaign)}</label>
                        <select id="pay-campaign" on:change=move |ev| campaign.set(event_target_value(&ev))>{campaign_options}</select>
                    </div>
                    <div class="field">
                        <label for="pay-month">{t(Key::SheetMonth)}</label>
                        <select id="pay-month" on:change=move |ev| {
                            if let Ok(m) = event_target_value(&ev).parse() {
                                month.set(m);
                            }
                        }>{month_options}</select>
                    </div>
                </div>
                <Month campaign=campaign month=month/>
            }
            .into_any()
        })}
    }
}

#[component]
fn Month(campaign: RwSignal<String>, month: RwSignal<i64>) -> impl IntoView {
    let reload = RwSignal::new(0u32);
    let data = api::query::<gql::AkimatPayouts>(move || {
        reload.track();
        gql::akimat_payouts::Variables {
            campaign_id: campaign.get(),
            month: month.get(),
        }
    });
    let compute_error: RwSignal<Option<ApiError>> = RwSignal::new(None);
    let download_error: RwSignal<Option<ApiError>> = RwSignal::new(None);
    // The last computation's answer: the month it was for, and the months it confirmed
    // automatically (a month with nothing to pay shows no payout rows).
    let computed: RwSignal<Option<(String, i64, i64)>> = RwSignal::new(None);
    let compute = move |_| {
        compute_error.set(None);
        let (c, m) = (campaign.get_untracked(), month.get_untracked());
        let vars = gql::compute_payouts::Variables {
            campaign_id: c.clone(),
            month: m,
        };
        leptos::task::spawn_local(async move {
            match api::call::<gql::ComputePayouts>(vars).await {
                Ok(d) => {
                    computed.set(Some((c, m, d.compute_voucher_payouts.auto_confirmed)));
                    reload.update(|n| *n += 1);
                }
                Err(e) => compute_error.set(Some(e)),
            }
        });
    };
    let computed_note = move || {
        let (c, m) = (campaign.get(), month.get());
        computed.get().filter(|(cc, mm, _)| *cc == c && *mm == m).map(|(_, _, auto)| {
            view! {
                <p class="alert success" role="status" id="computed">
                    {move || fill(lang().text(Key::AkimatComputed), &[("auto", format::number(lang(), auto))])}
                </p>
            }
        })
    };
    // The month's register at the address the API gives with its payouts.
    let get = move |url: String, ext: &'static str| {
        let (c, m) = (campaign.get_untracked(), month.get_untracked());
        download(
            url,
            format!("voucher-register-{c}-{m}.{ext}"),
            download_error,
        );
    };
    move || {
        loaded(data.get(), move |d| {
            let l = lang();
            // Per provider: confirmed, auto-confirmed, disputed, waiting.
            let mut by_provider: BTreeMap<String, (String, [i64; 4])> = BTreeMap::new();
            for a in &d.voucher_attendance {
                let (id, name) = provider_of(l, a);
                let slot = match a.status {
                    Some(AttendanceStatus::Confirmed) | Some(AttendanceStatus::Upheld) => 0,
                    Some(AttendanceStatus::AutoConfirmed) => 1,
                    Some(AttendanceStatus::Disputed) => 2,
                    Some(AttendanceStatus::Recorded) => 3,
                    _ => continue,
                };
                by_provider.entry(id).or_insert_with(|| (name, [0; 4])).1[slot] += 1;
            }
            let summary = if by_provider.is_empty() {
                view! { <p class="muted" id="no-attendance">{l.text(Key::AkimatNoAttendance)}</p> }
                    .into_any()
            } else {
                let rows = by_provider
                    .into_iter()
                    .map(|(id, (name, n))| view! {
                        <tr class="provider" data-id=id>
                            <th scope="row">{name}</th>
                            {n.into_iter().map(|x| view! { <td class="num">{format::number(l, x)}</td> }).collect_view()}
                        </tr>
                    })
                    .collect_view();
                table(l, "by-provider", "", &SUMMARY_HEADS, rows.into_any())
            };
            // Open months: those a parent disputed, and those flagged when the payouts were
            // computed (the anomaly list), each waiting for the akimat's decision.
            let (flagged, disputed): (Vec<Attendance>, Vec<Attendance>) = d
                .voucher_attendance
                .iter()
                .filter(|a| a.status == Some(AttendanceStatus::Disputed))
                .cloned()
                .partition(|a| a.anomaly.is_some());
            let open_list = |list: Vec<Attendance>,
                             id: &'static str,
                             none: &'static str,
                             empty: Key| {
                if list.is_empty() {
                    view! { <p class="muted" id=none>{l.text(empty)}</p> }.into_any()
                } else {
                    view! {
                        <ul class="disputes" id=id>
                            {list.into_iter().map(|a| view! { <Dispute a=a reload=reload/> }).collect_view()}
                        </ul>
                    }
                    .into_any()
                }
            };
            let disputes = open_list(disputed, "disputes", "no-disputes", Key::AkimatNoDisputes);
            let anomalies = open_list(flagged, "anomalies", "no-anomalies", Key::AkimatNoAnomalies);
            let resolved = d
                .voucher_attendance
                .iter()
                .filter(|a| a.resolution.is_some())
                .map(|a| {
                    let (key, class) = attendance_status(a.status);
                    view! {
                        <li class="resolved" data-id=a.id.clone()>
                            {a.child_name.clone().unwrap_or_default()} " · " {a.section.name.clone()} " "
                            <span class=format!("{class} state")>{l.text(key)}</span>
                            " — " {a.resolution.clone().unwrap_or_default()}
                        </li>
                    }
                })
                .collect_view();
            let paid = if d.voucher_payouts.is_empty() {
                view! {
                    <p class="muted" id="not-computed">{l.text(Key::ProviderWhyNotComputed)}</p>
                    {refusal_view(compute_error)}
                    <button type="button" id="compute-payouts" on:click=compute>{l.text(Key::AkimatComputePayouts)}</button>
                }
                .into_any()
            } else {
                let (csv, xlsx) = d
                    .voucher_payouts
                    .first()
                    .map(|p| (p.register_csv_url.clone(), p.register_xlsx_url.clone()))
                    .unwrap_or_default();
                let rows = d
                    .voucher_payouts
                    .iter()
                    .map(|p| {
                        let name = p
                            .organisation
                            .as_ref()
                            .map(|o| org_name(l, &o.name_kk, &o.name_ru, &o.name_en))
                            .unwrap_or_default();
                        view! {
                            <tr class="payout" data-id=p.id.clone()>
                                <th scope="row">{name}</th>
                                <td class="num children">{format::number(l, p.children)}</td>
                                <td class="num amount">{tenge(l, p.amount)}</td>
                            </tr>
                        }
                    })
                    .collect_view();
                view! {
                    {table(l, "payouts", "", &PAID_HEADS, rows.into_any())}
                    <p class="actions">
                        <button type="button" class="secondary" id="register-csv" on:click=move |_| get(csv.clone(), "csv")>{l.text(Key::AkimatRegisterCsv)}</button>
                        " "
                        <button type="button" class="secondary" id="register-xlsx" on:click=move |_| get(xlsx.clone(), "xlsx")>{l.text(Key::AkimatRegisterXlsx)}</button>
                    </p>
                    {error_view(download_error)}
                }
                .into_any()
            };
            view! {
                <section class="panel">
                    <h2>{l.text(Key::AkimatByProvider)}</h2>
                    {summary}
                </section>
                <section class="panel">
                    <h2>{l.text(Key::AkimatDisputes)}</h2>
                    {disputes}
                    <h2>{l.text(Key::AkimatAnomalies)}</h2>
                    <p class="hint">{l.text(Key::AkimatAnomaliesHint)}</p>
                    {anomalies}
                    <ul class="resolutions">{resolved}</ul>
                </section>
                <section class="panel" id="month-payouts">
                    <h2>{l.text(Key::ProviderPayoutsTitle)}</h2>
                    {computed_note}
                    {paid}
                </section>
            }
            .into_any()
        })
    }
}

/// A disputed month: the parent's reason, and the akimat's resolution with its own reason.
#[component]
fn Dispute(a: Attendance, reload: RwSignal<u32>) -> impl IntoView {
    let l = lang();
    let (_, provider) = provider_of(l, &a);
    let id = StoredValue::new(a.id.clone());
    let send = move |uphold: bool, reason: Option<String>| {
        api::send::<gql::ResolveAttendance>(
            gql::resolve_attendance::Variables {
                id: id.get_value(),
                uphold,
                sessions_attended: None,
                reason: reason.unwrap_or_default(),
            },
            Vec::new(),
        )
    };
    view! {
        <li class="dispute" data-id=a.id.clone()>
            <p>
                <strong class="child">{a.child_name.clone().unwrap_or_default()}</strong>
                " · " {a.section.name.clone()} " · " {provider}
                " · " {format!("{} / {}", a.sessions_attended, a.sessions_held)}
            </p>
            {a.dispute_reason.clone().map(|r| view! { <p class="reason">{l.text(Key::AkimatParentSays)} ": " {r}</p> })}
            {a.anomaly.clone().map(|r| view! { <p class="reason anomaly">{l.text(Key::AkimatAnomalyFound)} ": " {r}</p> })}
            {decision(Key::AkimatUphold, Key::AkimatRejectMonth, true, send, reload)}
            <Conversation kind=VoucherThreadKind::Attendance id=a.id.clone() unread=a.unread_messages/>
        </li>
    }
}
