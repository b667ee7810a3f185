//! Coverage on the operator's dashboard: the share of obligated graduates with at least one
//! delivered message in the chosen period, by channel, region, category and status; and the
//! graduates nobody reaches, with their export for hybrid mail.

use leptos::prelude::*;

use crate::api::{self, ApiError};
use crate::format;
use crate::gql::{self, Channel, FundingCategory, ObligationStatus};
use crate::i18n::{Key, Lang};
use crate::ledger::{category_key, status_key};
use crate::pages::messages::channel_key;
use crate::pages::operator::{can_write, load_regions, region_name};
use crate::ui::{Stat, error_view, fill, lang, loaded, non_empty, t, table};

type Share = gql::coverage::Share;

/// A `YYYY-MM-DD` of a date input as an instant of that day (UTC): its first second, or
/// with `end` its last, so that the period includes both days chosen.
fn day(d: String, end: bool) -> Option<String> {
    let time = if end { "23:59:59" } else { "00:00:00" };
    non_empty(d).map(|d| format!("{d}T{time}Z"))
}

/// Shares under a heading: what (a channel, region, ...), reached, of, share.
fn share_table(
    l: Lang,
    id: &'static str,
    title: Key,
    what: Key,
    rows: Vec<Share>,
    label: &dyn Fn(&str) -> String,
) -> impl IntoView {
    let rows = rows
        .into_iter()
        .map(|s| {
            view! {
                <tr data-key=s.key.clone()>
                    <th scope="row">{label(&s.key)}</th>
                    <td class="num">{format::number(l, s.reached)}</td>
                    <td class="num">{format::number(l, s.total)}</td>
                    <td class="num share">{format::percent(l, s.share)}</td>
                </tr>
            }
        })
        .collect_view()
        .into_any();
    view! {
        <h3>{l.text(title)}</h3>
        {table(l, id, "", &[what, Key::Reached, Key::Obligated, Key::Share], rows)}
    }
}

#[component]
pub fn CoveragePanel() -> impl IntoView {
    let from = RwSignal::new(String::new());
    let to = RwSignal::new(String::new());
    let regions = load_regions();
    let export_error: RwSignal<Option<ApiError>> = RwSignal::new(None);
    let data = api::query::<gql::Coverage>(move || gql::coverage::Variables {
        from: day(from.get(), false),
        to: day(to.get(), true),
    });
    let on_export = move |_| {
        export_error.set(None);
        leptos::task::spawn_local(async move {
            let done = api::call::<gql::ExportUnreachable>(gql::export_unreachable::Variables {})
                .await
                .and_then(|d| api::download("unreachable.csv", "text/csv", &d.export_unreachable));
            if let Err(e) = done {
                export_error.set(Some(e));
            }
        });
    };
    let date = move |sig: RwSignal<String>| move |ev| sig.set(event_target_value(&ev));
    let region =
        move |kato: &str| region_name(regions, kato, lang()).unwrap_or_else(|| kato.to_string());
    view! {
        <section class="panel" id="coverage" aria-labelledby="coverage-title">
            <h2 id="coverage-title">{t(Key::Coverage)}</h2>
            <p class="hint">{t(Key::CoverageHint)}</p>
            <div class="filters">
                <div class="field">
                    <label for="coverage-from">{t(Key::PeriodStart)}</label>
                    <input id="coverage-from" type="date" on:change=date(from)/>
                </div>
                <div class="field">
                    <label for="coverage-to">{t(Key::PeriodEnd)}</label>
                    <input id="coverage-to" type="date" on:change=date(to)/>
                </div>
            </div>
            {move || loaded(data.get(), |d| {
                    let l = lang();
                    let c = d.notification_coverage;
                    let u = d.unreachable_graduates;
                    let share = format::percent(l, c.share);
                    let reached = fill(
                        l.text(Key::ReachedOf),
                        &[("reached", format::number(l, c.reached)), ("total", format::number(l, c.total))],
                    );
                    let unreachable = u
                        .nodes
                        .into_iter()
                        .map(|n| {
                            let reason = if n.reason == "no_contact" { Key::NoContact } else { Key::AllFailed };
                            view! {
                                <li>
                                    <a href=format!("/operator/graduates/{}", n.graduate.id)>{n.graduate.full_name}</a>
                                    " · " {l.text(reason)}
                                </li>
                            }
                        })
                        .collect_view();
                    let channel_name = |k: &str| {
                        l.text(channel_key(Some(Channel::parse(&k.to_ascii_uppercase())))).to_string()
                    };
                    let category_name = |k: &str| {
                        l.text(category_key(Some(FundingCategory::parse(&k.to_ascii_uppercase())))).to_string()
                    };
                    let status_name = |k: &str| {
                        l.text(status_key(Some(ObligationStatus::parse(&k.to_ascii_uppercase())))).to_string()
                    };
                    view! {
                        <ul class="stats">
                            <Stat id="coverage-share" label=Key::CoverageShare value=Signal::stored(share)/>
                            <Stat id="coverage-reached" label=Key::Reached value=Signal::stored(reached)/>
                        </ul>
                        {share_table(l, "coverage-by-channel", Key::ByChannel, Key::Channel, c.by_channel, &channel_name)}
                        {share_table(l, "coverage-by-region", Key::ByRegion, Key::Region, c.by_region, &region)}
                        {share_table(l, "coverage-by-category", Key::ByCategory, Key::Category, c.by_category, &category_name)}
                        {share_table(l, "coverage-by-status", Key::ByStatus, Key::Status, c.by_status, &status_name)}
                        <h3>{l.text(Key::Unreachable)}</h3>
                        <p id="unreachable-total">
                            {fill(l.text(Key::UnreachableTotal), &[("n", format::number(l, u.total))])}
                        </p>
                        <ul id="unreachable">{unreachable}</ul>
                    }
                        .into_any()
            })}
            {can_write().then(|| view! {
                <button type="button" class="secondary" id="export-unreachable" on:click=on_export>{t(Key::ExportHybridMail)}</button>
            })}
            {error_view(export_error)}
        </section>
    }
}
