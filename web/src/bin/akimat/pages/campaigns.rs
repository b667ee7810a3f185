//! The region's voucher campaigns (budget, period, window, what is committed and left), and
//! the form that opens a new one: budget, directions with their monthly values, application
//! window, age range and the priority table version.

use leptos::prelude::*;
use leptos_router::components::A;

use super::{direction_key, month_label, officer_regions, refusal_view, tenge};
use crate::api::{self, ApiError};
use crate::gql::akimat::{self as gql, ClubDirection, VoucherCampaignStatus};
use crate::i18n::Key;
use crate::ui::{EmptyState, PageTitle, lang, loaded, local_time, non_empty, t, table};

type Data = gql::akimat_campaigns::ResponseData;

const HEADS: [Key; 6] = [
    Key::AkimatCampaign,
    Key::AkimatPeriod,
    Key::AkimatWindow,
    Key::Status,
    Key::AkimatBudget,
    Key::AkimatAvailable,
];

/// The regions (KATO) the signed-in officer works in.
pub fn regions(d: &Data) -> Vec<String> {
    officer_regions(
        d.me.roles
            .iter()
            .map(|r| (r.role, r.region.as_ref().map(|x| x.kato.as_str()))),
    )
}

/// The label and badge of a campaign's state.
pub fn campaign_status(s: Option<VoucherCampaignStatus>) -> (Key, &'static str) {
    match s {
        Some(VoucherCampaignStatus::Allocated) => (Key::AkimatAllocated, "badge ok"),
        _ => (Key::AkimatOpen, "badge warn"),
    }
}

#[component]
pub fn CampaignsPage() -> impl IntoView {
    let reload = RwSignal::new(0u32);
    // Outside the list: the form is drawn anew when the list reloads after a creation.
    let created: RwSignal<Option<String>> = RwSignal::new(None);
    let data = api::query::<gql::AkimatCampaigns>(move || {
        reload.track();
        gql::akimat_campaigns::Variables {}
    });
    view! {
        <PageTitle key=Key::AkimatCampaignsTitle/>
        {move || loaded(data.get(), move |d| {
            let l = lang();
            let mine = regions(&d);
            let campaigns: Vec<_> = d
                .voucher_campaigns
                .iter()
                .filter(|c| mine.contains(&c.region_kato))
                .cloned()
                .collect();
            let tables: Vec<_> = d
                .voucher_priority_tables
                .iter()
                .filter(|p| mine.contains(&p.region_kato))
                .cloned()
                .collect();
            let list = if campaigns.is_empty() {
                view! { <EmptyState title=Key::NoDataYet text=Key::AkimatNoCampaigns/> }.into_any()
            } else {
                let rows = campaigns
                    .into_iter()
                    .map(|c| {
                        let (status, class) = campaign_status(c.status);
                        view! {
                            <tr class="campaign" data-id=c.id.clone()>
                                <th scope="row"><A href=format!("/akimat/campaigns/{}", c.id)>{c.name.clone()}</A></th>
                                <td>{format!("{} – {}", month_label(l, c.first_month), month_label(l, c.last_month))}</td>
                                <td>{format!("{} – {}", local_time(l, &c.opens_at), local_time(l, &c.closes_at))}</td>
                                <td><span class=class>{l.text(status)}</span></td>
                                <td class="num">{tenge(l, c.budget)}</td>
                                <td class="num">{tenge(l, c.available)}</td>
                            </tr>
                        }
                    })
                    .collect_view();
                table(l, "campaigns", "", &HEADS, rows.into_any())
            };
            let region = mine.first().cloned().unwrap_or_default();
            view! {
                {list}
                <p><A href="/akimat/priority">{t(Key::AkimatPriorityTitle)}</A></p>
                <NewCampaign region=region tables=tables reload=reload created=created/>
            }
            .into_any()
        })}
    }
}

/// One direction's monthly value being typed (empty: not offered).
#[derive(Clone, Copy)]
struct DirectionValue {
    direction: ClubDirection,
    value: RwSignal<String>,
}

/// `YYYY-MM` of a month input as `YYYYMM`.
fn month_of(s: &str) -> Option<i64> {
    let (y, m) = s.trim().split_once('-')?;
    let (y, m): (i64, i64) = (y.parse().ok()?, m.parse().ok()?);
    ((1..=12).contains(&m) && y > 2000).then_some(y * 100 + m)
}

/// A date input's day at a time of day in Kazakhstan (UTC+5, where the campaign runs,
/// whatever the officer's browser says), as the instant the API takes.
fn instant(day: &str, time: &str) -> Option<String> {
    adal_web::days::kazakhstan_instant(day, time)
}

#[component]
fn NewCampaign(
    region: String,
    tables: Vec<gql::akimat_campaigns::AkimatCampaignsVoucherPriorityTables>,
    reload: RwSignal<u32>,
    created: RwSignal<Option<String>>,
) -> impl IntoView {
    let name = RwSignal::new(String::new());
    let budget = RwSignal::new(String::new());
    let first = RwSignal::new(String::new());
    let last = RwSignal::new(String::new());
    let opens = RwSignal::new(String::new());
    let closes = RwSignal::new(String::new());
    let age_min = RwSignal::new("4".to_string());
    let age_max = RwSignal::new("18".to_string());
    let table_id = RwSignal::new(tables.first().map(|x| x.id.clone()).unwrap_or_default());
    let values: Vec<DirectionValue> = ClubDirection::ALL
        .iter()
        .map(|d| DirectionValue {
            direction: *d,
            value: RwSignal::new(String::new()),
        })
        .collect();
    let values = StoredValue::new(values);
    let invalid: RwSignal<Option<Key>> = RwSignal::new(None);
    let error: RwSignal<Option<ApiError>> = RwSignal::new(None);
    let region = StoredValue::new(region);

    let input = move || -> Result<gql::open_campaign::VoucherCampaignInput, Key> {
        let name = non_empty(name.get_untracked())
            .filter(|n| n.len() <= 200)
            .ok_or(Key::AkimatErrName)?;
        let num = |s: RwSignal<String>| s.get_untracked().trim().parse::<i64>().ok();
        let budget = num(budget).filter(|b| *b > 0).ok_or(Key::AkimatErrBudget)?;
        let (Some(first), Some(last)) = (
            month_of(&first.get_untracked()),
            month_of(&last.get_untracked()),
        ) else {
            return Err(Key::AkimatErrMonths);
        };
        if last < first {
            return Err(Key::AkimatErrMonths);
        }
        let (Some(opens), Some(closes)) = (
            instant(&opens.get_untracked(), "00:00"),
            instant(&closes.get_untracked(), "23:59"),
        ) else {
            return Err(Key::AkimatErrWindow);
        };
        if closes <= opens {
            return Err(Key::AkimatErrWindow);
        }
        let (Some(min), Some(max)) = (num(age_min), num(age_max)) else {
            return Err(Key::ProviderErrAges);
        };
        if !(3..=18).contains(&min) || !(min..=18).contains(&max) {
            return Err(Key::ProviderErrAges);
        }
        let mut directions = Vec::new();
        for v in values.get_value() {
            let text = v.value.get_untracked();
            if text.trim().is_empty() {
                continue;
            }
            let value = text
                .trim()
                .parse::<i64>()
                .ok()
                .filter(|x| *x > 0)
                .ok_or(Key::AkimatErrDirections)?;
            directions.push(gql::open_campaign::VoucherDirectionValueInput {
                direction: v.direction,
                monthly_value: value,
            });
        }
        if directions.is_empty() {
            return Err(Key::AkimatErrDirections);
        }
        let table = non_empty(table_id.get_untracked()).ok_or(Key::AkimatErrTable)?;
        Ok(gql::open_campaign::VoucherCampaignInput {
            region_kato: region.get_value(),
            name,
            first_month: first,
            last_month: last,
            opens_at: opens,
            closes_at: closes,
            budget,
            directions,
            age_min: min,
            age_max: max,
            priority_table_id: table,
            unused_days: 30,
            confirm_days: 10,
            attendance_threshold_pct: 75,
        })
    };
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        created.set(None);
        error.set(None);
        let input = match input() {
            Ok(i) => i,
            Err(k) => {
                invalid.set(Some(k));
                return;
            }
        };
        invalid.set(None);
        let vars = gql::open_campaign::Variables { input };
        leptos::task::spawn_local(async move {
            match api::call::<gql::OpenCampaign>(vars).await {
                Ok(d) => {
                    created.set(Some(d.open_voucher_campaign.id));
                    name.set(String::new());
                    reload.update(|n| *n += 1);
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let field = move |id: &'static str, label: Key, sig: RwSignal<String>, kind: &'static str| {
        view! {
            <div class="field">
                <label for=id>{t(label)}</label>
                <input id=id type=kind prop:value=move || sig.get() on:input=move |ev| sig.set(event_target_value(&ev))/>
            </div>
        }
    };
    let direction_fields = values
        .get_value()
        .into_iter()
        .map(|v| {
            let id = format!("camp-value-{}", v.direction.as_str().to_lowercase());
            view! {
                <div class="field">
                    <label for=id.clone()>{t(direction_key(Some(v.direction)))}</label>
                    <input id=id type="number" min="0" prop:value=move || v.value.get() on:input=move |ev| v.value.set(event_target_value(&ev))/>
                </div>
            }
        })
        .collect_view();
    let table_options = tables
        .into_iter()
        .map(|x| {
            let label = format!("v{} · {}", x.version, x.note);
            view! { <option value=x.id.clone()>{label}</option> }
        })
        .collect_view();
    view! {
        <form class="panel" id="campaign-form" on:submit=on_submit novalidate=true>
            <h2>{t(Key::AkimatNewCampaign)}</h2>
            <div class="grid">
                {field("camp-name", Key::AkimatCampaignName, name, "text")}
                {field("camp-budget", Key::AkimatBudgetTenge, budget, "number")}
                {field("camp-first", Key::AkimatFirstMonth, first, "month")}
                {field("camp-last", Key::AkimatLastMonth, last, "month")}
                {field("camp-opens", Key::AkimatOpensOn, opens, "date")}
                {field("camp-closes", Key::AkimatClosesOn, closes, "date")}
                {field("camp-age-min", Key::ProviderAgeMin, age_min, "number")}
                {field("camp-age-max", Key::ProviderAgeMax, age_max, "number")}
                <div class="field">
                    <label for="camp-table">{t(Key::AkimatPriorityTable)}</label>
                    <select id="camp-table" on:change=move |ev| table_id.set(event_target_value(&ev))>{table_options}</select>
                </div>
            </div>
            <fieldset>
                <legend>{t(Key::AkimatDirectionValues)}</legend>
                <p class="hint">{t(Key::AkimatDirectionHint)}</p>
                <div class="grid">{direction_fields}</div>
            </fieldset>
            {move || invalid.get().map(|k| view! { <p class="alert error" role="alert" id="campaign-invalid">{t(k)}</p> })}
            {refusal_view(error)}
            {move || created.get().map(|id| view! {
                <p class="alert success" role="status" id="campaign-created">
                    {t(Key::AkimatCampaignCreated)} " "
                    <A href=format!("/akimat/campaigns/{id}")>{t(Key::AkimatOpenCampaignPage)}</A>
                </p>
            })}
            <button type="submit" id="camp-create">{t(Key::AkimatCreateCampaign)}</button>
        </form>
    }
}
