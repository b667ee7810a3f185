//! One campaign: its money (committed, paid, freed, available) as figures and a chart, its
//! applications by state, and its allocation: the seed's commitment published when it
//! opened, the run after the window closed (revealing the seed), and each run's public
//! verification file; until the window opens, the form that changes its terms.

use leptos::prelude::*;
use leptos_router::components::A;

use super::campaigns::{CampaignForm, Listed, campaign_status};
use super::{application_status, campaign_id, direction_key, month_label, refusal_view, tenge};
use crate::api::{self, ApiError};
use crate::charts::{Bar, BarChart};
use crate::gql::akimat::{self as gql, VoucherApplicationStatus, VoucherCampaignStatus};
use crate::i18n::Key;
use crate::ui::{PageTitle, Stat, lang, loaded, local_time, t, table};

const STATUS_HEADS: [Key; 2] = [Key::Status, Key::AkimatApplications];
const RUN_HEADS: [Key; 5] = [
    Key::AkimatRunAt,
    Key::AkimatIssued,
    Key::AkimatCutoff,
    Key::AkimatCommitted,
    Key::AkimatFile,
];

/// The campaign's tabs: its page, the verification desk, the ranking.
#[component]
pub fn CampaignTabs(id: String) -> impl IntoView {
    view! {
        <nav class="tabs" aria-label=t(Key::AkimatCampaign)>
            <A href=format!("/akimat/campaigns/{id}") exact=true>{t(Key::AkimatOverview)}</A>
            <A href=format!("/akimat/campaigns/{id}/desk")>{t(Key::AkimatDeskTitle)}</A>
            <A href=format!("/akimat/campaigns/{id}/ranking")>{t(Key::AkimatRankingTitle)}</A>
        </nav>
    }
}

#[component]
pub fn CampaignPage() -> impl IntoView {
    let id = campaign_id();
    let reload = RwSignal::new(0u32);
    // Outside the page's data: said again after the page reloads with the change.
    let saved: RwSignal<Option<String>> = RwSignal::new(None);
    let data = api::query::<gql::AkimatCampaign>(move || {
        reload.track();
        gql::akimat_campaign::Variables { id: id() }
    });
    view! {
        <PageTitle key=Key::AkimatCampaign/>
        <CampaignTabs id=id()/>
        {move || loaded(data.get(), move |d| {
            let l = lang();
            let c = d.voucher_campaign;
            let money = |n: i64| Signal::derive(move || tenge(lang(), n));
            let (status, class) = campaign_status(c.status);
            let directions = c
                .directions
                .iter()
                .map(|x| format!("{}: {}", l.text(direction_key(Some(x.direction))), tenge(l, x.monthly_value)))
                .collect::<Vec<_>>()
                .join(", ");
            let money_bars = [
                ("committed", Key::AkimatCommitted, c.committed, "bar warn"),
                ("paid", Key::AkimatPaid, c.paid, "bar ok"),
                ("freed", Key::AkimatFreed, c.freed, "bar"),
                ("available", Key::AkimatAvailable, c.available, "bar ok"),
            ]
            .into_iter()
            .map(|(k, key, n, class)| Bar {
                key: k.to_string(),
                label: Signal::derive(move || t(key)().to_string()),
                count: n,
                class,
            })
            .collect::<Vec<_>>();
            let by_status = [
                (VoucherApplicationStatus::Held, d.held.total_count),
                (VoucherApplicationStatus::Submitted, d.submitted.total_count),
                (VoucherApplicationStatus::Queued, d.queued.total_count),
                (VoucherApplicationStatus::Issued, d.issued.total_count),
                (VoucherApplicationStatus::Refused, d.refused.total_count),
            ];
            let status_rows = by_status
                .iter()
                .map(|(s, n)| {
                    let (key, class) = application_status(Some(*s));
                    view! {
                        <tr data-status=s.as_str()>
                            <th scope="row"><span class=class>{l.text(key)}</span></th>
                            <td class="num">{crate::format::number(l, *n)}</td>
                        </tr>
                    }
                })
                .collect_view();
            let facts = [
                (Key::AkimatPeriod, format!("{} – {}", month_label(l, c.first_month), month_label(l, c.last_month))),
                (Key::AkimatWindow, format!("{} – {}", local_time(l, &c.opens_at), local_time(l, &c.closes_at))),
                (Key::ProviderAges, format!("{}–{}", c.age_min, c.age_max)),
                (Key::AkimatDirectionValues, directions),
                (Key::AkimatPriorityTable, format!("v{}", c.priority_table.version)),
            ]
            .into_iter()
            .map(|(k, v)| view! { <div class="dl-row"><dt>{l.text(k)}</dt><dd>{v}</dd></div> })
            .collect_view();
            let open = c.status == Some(VoucherCampaignStatus::Open);
            // Until its window opens the campaign may change (the API says so after that).
            let edit = (open && js_sys::Date::parse(&c.opens_at) > js_sys::Date::now()).then(|| {
                let day = |at: &str| adal_web::days::iso(adal_web::days::day_in_kazakhstan(js_sys::Date::parse(at)));
                let listed = Listed {
                    id: c.id.clone(),
                    name: c.name.clone(),
                    budget: c.budget,
                    first_month: c.first_month,
                    last_month: c.last_month,
                    opens_on: day(&c.opens_at),
                    closes_on: day(&c.closes_at),
                    age_min: c.age_min,
                    age_max: c.age_max,
                    table_id: c.priority_table.id.clone(),
                    directions: c.directions.iter().map(|x| (x.direction, x.monthly_value)).collect(),
                    unused_days: c.unused_days,
                    confirm_days: c.confirm_days,
                    attendance_threshold_pct: c.attendance_threshold_pct,
                };
                let tables = d
                    .voucher_priority_tables
                    .iter()
                    .filter(|x| x.region_kato == c.region_kato)
                    .map(|x| (x.id.clone(), format!("v{} · {}", x.version, x.note)))
                    .collect();
                view! {
                    <details class="panel" id="campaign-edit">
                        <summary><strong>{l.text(Key::AkimatEditCampaign)}</strong></summary>
                        <CampaignForm region=c.region_kato.clone() tables=tables campaign=Some(listed) reload=reload done=saved/>
                    </details>
                }
            });
            let runs = if c.allocations.is_empty() {
                view! { <p class="muted" id="no-runs">{l.text(Key::AkimatNoRuns)}</p> }.into_any()
            } else {
                let rows = c
                    .allocations
                    .iter()
                    .map(|a| view! {
                        <tr class="run" data-id=a.id.clone()>
                            <th scope="row">{local_time(l, &a.created_at)}</th>
                            <td class="num">{crate::format::number(l, a.issued)}</td>
                            <td class="num">{a.cutoff_score.map(|s| s.to_string()).unwrap_or_default()}</td>
                            <td class="num">{tenge(l, a.committed)}</td>
                            <td>
                                <a class="download" href=a.download_url.clone() download="" rel="external">{l.text(Key::AkimatDownloadFile)}</a>
                                <br/><code class="sha" title="SHA-256">{a.sha256.clone()}</code>
                            </td>
                        </tr>
                    })
                    .collect_view();
                table(l, "runs", "", &RUN_HEADS, rows.into_any())
            };
            view! {
                <section class="panel" id="campaign" data-id=c.id.clone()>
                    <h2 id="campaign-name">{c.name.clone()} " " <span class=class id="campaign-status">{l.text(status)}</span></h2>
                    <dl class="section-facts">{facts}</dl>
                </section>
                {move || saved.get().map(|_| view! { <p class="alert success" role="status" id="campaign-saved">{t(Key::AkimatCampaignSaved)}</p> })}
                {edit}
                <ul class="stats" id="campaign-money">
                    <Stat id="stat-budget" label=Key::AkimatBudget value=money(c.budget)/>
                    <Stat id="stat-committed" label=Key::AkimatCommitted value=money(c.committed)/>
                    <Stat id="stat-paid" label=Key::AkimatPaid value=money(c.paid)/>
                    <Stat id="stat-freed" label=Key::AkimatFreed value=money(c.freed)/>
                    <Stat id="stat-available" label=Key::AkimatAvailable value=money(c.available)/>
                </ul>
                <section class="panel">
                    <BarChart id="money-chart" label=Key::AkimatMoneyChart bars=money_bars/>
                </section>
                <section class="panel">
                    <h2>{l.text(Key::AkimatByStatus)}</h2>
                    {table(l, "by-status", "", &STATUS_HEADS, status_rows.into_any())}
                </section>
                <section class="panel" id="allocation">
                    <h2>{l.text(Key::AkimatAllocationTitle)}</h2>
                    <div class="dl-row"><dt>{l.text(Key::AkimatSeedCommitment)}</dt><dd><code id="seed-commitment">{c.seed_commitment.clone()}</code></dd></div>
                    <div class="dl-row"><dt>{l.text(Key::AkimatSeed)}</dt><dd>
                        {match c.seed.clone() {
                            Some(s) => view! { <code id="seed">{s}</code> }.into_any(),
                            None => view! { <span class="muted" id="seed-hidden">{l.text(Key::AkimatSeedHidden)}</span> }.into_any(),
                        }}
                    </dd></div>
                    {c.cutoff_score.map(|s| view! { <p id="cutoff">{l.text(Key::AkimatCutoff)} ": " {s}</p> })}
                    {open.then(|| view! { <RunAllocation id=c.id.clone() reload=reload/> })}
                    {runs}
                </section>
            }
            .into_any()
        })}
    }
}

/// Runs the allocation (the API refuses it before the window closes, or while decisions
/// are pending; the page says so in the language).
#[component]
fn RunAllocation(id: String, reload: RwSignal<u32>) -> impl IntoView {
    let error: RwSignal<Option<ApiError>> = RwSignal::new(None);
    let busy = RwSignal::new(false);
    let id = StoredValue::new(id);
    let run = move |_| {
        error.set(None);
        busy.set(true);
        let sent = api::send::<gql::RunAllocation>(
            gql::run_allocation::Variables {
                campaign_id: id.get_value(),
            },
            Vec::new(),
        );
        leptos::task::spawn_local(async move {
            match sent.await {
                Ok(()) => reload.update(|n| *n += 1),
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    };
    view! {
        <p class="hint">{t(Key::AkimatRunHint)}</p>
        {refusal_view(error)}
        <button type="button" id="run-allocation" disabled=move || busy.get() on:click=run>{t(Key::AkimatRunAllocation)}</button>
    }
}
