//! The akimat's dashboard of a campaign: the children served (at least one month of attendance
//! recorded) by direction, by district and by confirmed priority category, as charts; and by
//! month, the children's months confirmed, disputed, rejected and waiting, and the money paid.

use leptos::prelude::*;

use super::payouts::{Campaign, my_campaigns};
use super::{category_label, direction_key, month_label, org_name, tenge};
use crate::api;
use crate::charts::{Bar, BarChart};
use crate::format;
use crate::gql::akimat::{self as gql, ClubDirection};
use crate::i18n::Key;
use crate::ui::{EmptyState, PageTitle, fill, lang, loaded, t, table};

const MONTH_HEADS: [Key; 6] = [
    Key::SheetMonth,
    Key::AkimatDashConfirmed,
    Key::SheetDisputed,
    Key::SheetRejected,
    Key::SheetRecorded,
    Key::AkimatDashPaid,
];

#[component]
pub fn DashboardPage() -> impl IntoView {
    let data = api::query::<gql::AkimatCampaigns>(|| gql::akimat_campaigns::Variables {});
    view! {
        <PageTitle key=Key::NavDashboard/>
        <p class="hint">{t(Key::AkimatDashHint)}</p>
        {move || loaded(data.get(), |d| {
            let (campaigns, first) = my_campaigns(d);
            let Some(first) = first else {
                return view! { <EmptyState title=Key::NoDataYet text=Key::AkimatNoCampaigns/> }.into_any();
            };
            let campaign = RwSignal::new(first);
            let options = campaigns
                .iter()
                .map(|c| {
                    let chosen = c.id == campaign.get_untracked().id;
                    view! { <option value=c.id.clone() selected=chosen>{c.name.clone()}</option> }
                })
                .collect_view();
            let on_change = move |ev: leptos::ev::Event| {
                let id = event_target_value(&ev);
                if let Some(c) = campaigns.iter().find(|c| c.id == id) {
                    campaign.set(c.clone());
                }
            };
            view! {
                <div class="filters">
                    <div class="field">
                        <label for="dash-campaign">{t(Key::AkimatCampaign)}</label>
                        <select id="dash-campaign" on:change=on_change>{options}</select>
                    </div>
                </div>
                <Figures campaign=campaign/>
            }
            .into_any()
        })}
    }
}

/// The bars of counts by `key`, labelled by `label` in the page's language.
fn bars(
    list: &[(String, i64)],
    label: impl Fn(&str) -> String + Copy + Send + Sync + 'static,
) -> Vec<Bar> {
    list.iter()
        .map(|(key, n)| {
            let k = key.clone();
            Bar {
                key: key.clone(),
                label: Signal::derive(move || label(&k)),
                count: *n,
                class: "bar ok",
            }
        })
        .collect()
}

#[component]
fn Figures(campaign: RwSignal<Campaign>) -> impl IntoView {
    let data = api::query::<gql::AkimatDashboard>(move || {
        let c = campaign.get();
        gql::akimat_dashboard::Variables {
            campaign_id: c.id,
            region_kato: Some(c.region_kato),
        }
    });
    move || {
        loaded(data.get(), |d| {
            let l = lang();
            let dash = d.voucher_dashboard;
            let by_direction: Vec<(String, i64)> = dash
                .by_direction
                .into_iter()
                .map(|c| (c.key, c.children))
                .collect();
            let by_district: Vec<(String, i64)> = dash
                .by_district
                .into_iter()
                .map(|c| (c.key, c.children))
                .collect();
            let by_category: Vec<(String, i64)> = dash
                .by_category
                .into_iter()
                .map(|c| (c.key, c.children))
                .collect();
            let places: StoredValue<Vec<(String, [String; 3])>> = StoredValue::new(
                d.localities
                    .nodes
                    .into_iter()
                    .map(|n| (n.kato, [n.name_kk, n.name_ru, n.name_en]))
                    .collect(),
            );
            let place = move |kato: &str| {
                let l = lang();
                places
                    .with_value(|p| {
                        p.iter()
                            .find(|(k, _)| k == kato)
                            .map(|(_, [kk, ru, en])| org_name(l, kk, ru, en))
                    })
                    .unwrap_or_else(|| {
                        if kato.is_empty() {
                            l.text(Key::AkimatDashNoDistrict).to_string()
                        } else {
                            kato.to_string()
                        }
                    })
            };
            let direction = |code: &str| {
                let d = ClubDirection::ALL
                    .iter()
                    .copied()
                    .find(|d| d.as_str().eq_ignore_ascii_case(code));
                lang().text(direction_key(d)).to_string()
            };
            let category = |code: &str| category_label(lang(), code);
            let served = fill(
                l.text(Key::AkimatDashServed),
                &[("count", format::number(l, dash.children_served))],
            );
            let money: Vec<Bar> = dash
                .months
                .iter()
                .map(|m| {
                    let month = m.month;
                    Bar {
                        key: month.to_string(),
                        label: Signal::derive(move || month_label(lang(), month)),
                        count: m.paid,
                        class: "bar ok",
                    }
                })
                .collect();
            let rows = dash
                .months
                .into_iter()
                .rev()
                .map(|m| {
                    view! {
                        <tr class="month" data-month=m.month>
                            <th scope="row">{month_label(l, m.month)}</th>
                            <td class="num confirmed">{format::number(l, m.confirmed)}</td>
                            <td class="num disputed">{format::number(l, m.disputed)}</td>
                            <td class="num rejected">{format::number(l, m.rejected)}</td>
                            <td class="num waiting">{format::number(l, m.waiting)}</td>
                            <td class="num paid">{tenge(l, m.paid)}</td>
                        </tr>
                    }
                })
                .collect_view();
            if dash.children_served == 0 {
                return view! { <EmptyState title=Key::NoDataYet text=Key::AkimatDashNone/> }
                    .into_any();
            }
            view! {
                <p class="figure" id="dash-served"><strong>{served}</strong></p>
                <div class="grid-2">
                    <section class="panel">
                        <h2>{l.text(Key::AkimatDashByDirection)}</h2>
                        <BarChart id="dash-direction" label=Key::AkimatDashByDirection bars=bars(&by_direction, direction)/>
                    </section>
                    <section class="panel">
                        <h2>{l.text(Key::AkimatDashByDistrict)}</h2>
                        <BarChart id="dash-district" label=Key::AkimatDashByDistrict bars=bars(&by_district, place)/>
                    </section>
                    <section class="panel">
                        <h2>{l.text(Key::AkimatDashByCategory)}</h2>
                        <BarChart id="dash-category" label=Key::AkimatDashByCategory bars=bars(&by_category, category)/>
                    </section>
                    <section class="panel">
                        <h2>{l.text(Key::AkimatDashMoney)}</h2>
                        <BarChart id="dash-money" label=Key::AkimatDashMoney bars=money/>
                    </section>
                </div>
                <section class="panel">
                    <h2>{l.text(Key::AkimatDashMonths)}</h2>
                    {table(l, "dash-months", "", &MONTH_HEADS, rows.into_any())}
                </section>
            }
            .into_any()
        })
    }
}
