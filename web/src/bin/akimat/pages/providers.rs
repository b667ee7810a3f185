//! The region's providers: the akimat approves a registration, or rejects it with the
//! reason; each provider's sections with their capacity and how full they are.

use leptos::prelude::*;

use super::{decision, direction_key, org_name, tenge};
use crate::api;
use crate::format;
use crate::gql::akimat::{self as gql, ProviderStatus};
use crate::i18n::Key;
use crate::ui::{EmptyState, PageTitle, fill, lang, loaded, local_time, table};

type Section = gql::akimat_providers::AkimatProvidersVoucherSections;

const SECTION_HEADS: [Key; 5] = [
    Key::ProviderSectionName,
    Key::ProviderDirection,
    Key::ProviderAges,
    Key::ProviderPrice,
    Key::AkimatFill,
];

fn provider_status(s: Option<ProviderStatus>) -> (Key, &'static str) {
    match s {
        Some(ProviderStatus::Approved) => (Key::AppApproved, "badge ok"),
        Some(ProviderStatus::Rejected) => (Key::AppRejected, "badge bad"),
        _ => (Key::AkimatPending, "badge warn"),
    }
}

#[component]
pub fn ProvidersPage() -> impl IntoView {
    let reload = RwSignal::new(0u32);
    let data = api::query::<gql::AkimatProviders>(move || {
        reload.track();
        gql::akimat_providers::Variables {}
    });
    view! {
        <PageTitle key=Key::NavProviders/>
        {move || loaded(data.get(), move |d| {
            let l = lang();
            if d.voucher_providers.is_empty() {
                return view! { <EmptyState title=Key::NoDataYet text=Key::EmptyProviders/> }.into_any();
            }
            let sections = d.voucher_sections;
            d.voucher_providers
                .into_iter()
                .map(|p| {
                    let (status, class) = provider_status(p.status);
                    let (org_id, name, bin) = p
                        .organisation
                        .as_ref()
                        .map(|o| (o.id.clone(), org_name(l, &o.name_kk, &o.name_ru, &o.name_en), o.bin.clone()))
                        .unwrap_or_default();
                    let own: Vec<&Section> = sections
                        .iter()
                        .filter(|s| s.organisation.as_ref().is_some_and(|o| o.id == org_id))
                        .collect();
                    let sections_view = if own.is_empty() {
                        view! { <p class="muted">{l.text(Key::ProviderNoSections)}</p> }.into_any()
                    } else {
                        let rows = own
                            .into_iter()
                            .map(|s| {
                                let taken = (s.capacity - s.places_left).max(0);
                                let fill_text = fill(
                                    l.text(Key::AkimatFillOf),
                                    &[("taken", format::number(l, taken)), ("capacity", format::number(l, s.capacity))],
                                );
                                view! {
                                    <tr class="section" data-id=s.id.clone()>
                                        <th scope="row">{s.name.clone()}<br/><span class="muted">{s.address.clone()}</span></th>
                                        <td>{l.text(direction_key(s.direction))}</td>
                                        <td>{format!("{}–{}", s.age_min, s.age_max)}</td>
                                        <td class="num">{tenge(l, s.monthly_price)}</td>
                                        <td class="num fill">{fill_text}</td>
                                    </tr>
                                }
                            })
                            .collect_view();
                        table(l, "", "sections", &SECTION_HEADS, rows.into_any())
                    };
                    let pending = p.status == Some(ProviderStatus::Pending);
                    view! {
                        <article class="card provider" data-id=p.id.clone()>
                            <h2>{name} " " <span class=format!("{class} state")>{l.text(status)}</span></h2>
                            <p class="muted">{format!("BIN {bin} · ")}{local_time(l, &p.registered_at)}</p>
                            {p.reason.clone().map(|r| view! { <p class="reason">{l.text(Key::Reason)} ": " {r}</p> })}
                            {pending.then(|| view! { <ProviderDecision id=p.id.clone() reload=reload/> })}
                            <h3>{l.text(Key::ProviderNavSections)}</h3>
                            {sections_view}
                        </article>
                    }
                })
                .collect_view()
                .into_any()
        })}
    }
}

#[component]
fn ProviderDecision(id: String, reload: RwSignal<u32>) -> impl IntoView {
    let id = StoredValue::new(id);
    let send = move |approve: bool, reason: Option<String>| {
        api::send::<gql::DecideProvider>(
            gql::decide_provider::Variables {
                id: id.get_value(),
                approve,
                reason,
            },
            Vec::new(),
        )
    };
    decision(Key::VoteApprove, Key::VoteReject, false, send, reload)
}
