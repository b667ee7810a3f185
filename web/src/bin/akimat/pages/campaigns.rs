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
            let tables = d
                .voucher_priority_tables
                .iter()
                .filter(|p| mine.contains(&p.region_kato))
                .map(|x| (x.id.clone(), format!("v{} · {}", x.version, x.note)))
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
                <CampaignForm region=region tables=tables campaign=None reload=reload done=created/>
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

/// A campaign as listed, to change before its window opens.
#[derive(Clone)]
pub struct Listed {
    pub id: String,
    pub name: String,
    pub budget: i64,
    /// `YYYYMM`.
    pub first_month: i64,
    pub last_month: i64,
    /// The window's first and last days in Kazakhstan, `YYYY-MM-DD`.
    pub opens_on: String,
    pub closes_on: String,
    pub age_min: i64,
    pub age_max: i64,
    pub table_id: String,
    pub directions: Vec<(ClubDirection, i64)>,
    pub unused_days: i64,
    pub confirm_days: i64,
    pub attendance_threshold_pct: i64,
}

/// A campaign as typed, checked: the input of either operation.
struct Fields {
    region_kato: String,
    name: String,
    first_month: i64,
    last_month: i64,
    opens_at: String,
    closes_at: String,
    budget: i64,
    directions: Vec<(ClubDirection, i64)>,
    age_min: i64,
    age_max: i64,
    priority_table_id: String,
    unused_days: i64,
    confirm_days: i64,
    attendance_threshold_pct: i64,
}

/// [`Fields`] as the input type of the operation module `$m` (each operation has its own).
macro_rules! campaign_input {
    ($m:ident, $f:expr) => {{
        let f: Fields = $f;
        gql::$m::VoucherCampaignInput {
            region_kato: f.region_kato,
            name: f.name,
            first_month: f.first_month,
            last_month: f.last_month,
            opens_at: f.opens_at,
            closes_at: f.closes_at,
            budget: f.budget,
            directions: f
                .directions
                .into_iter()
                .map(
                    |(direction, monthly_value)| gql::$m::VoucherDirectionValueInput {
                        direction,
                        monthly_value,
                    },
                )
                .collect(),
            age_min: f.age_min,
            age_max: f.age_max,
            priority_table_id: f.priority_table_id,
            unused_days: f.unused_days,
            confirm_days: f.confirm_days,
            attendance_threshold_pct: f.attendance_threshold_pct,
        }
    }};
}

/// `YYYYMM` as a month input's `YYYY-MM`.
fn month_field(m: i64) -> String {
    format!("{:04}-{:02}", m / 100, m % 100)
}

/// The form that opens a campaign (`campaign` none, fields prefixed `camp-`) or changes one
/// before its window opens (fields prefixed `edit-`; its region and seed stay). `done` holds
/// the campaign's id once saved.
#[component]
pub fn CampaignForm(
    region: String,
    tables: Vec<(String, String)>,
    campaign: Option<Listed>,
    reload: RwSignal<u32>,
    done: RwSignal<Option<String>>,
) -> impl IntoView {
    let p = if campaign.is_some() { "edit" } else { "camp" };
    let given = |f: fn(&Listed) -> String, default: &str| {
        RwSignal::new(campaign.as_ref().map_or_else(|| default.to_string(), f))
    };
    let name = given(|c| c.name.clone(), "");
    let budget = given(|c| c.budget.to_string(), "");
    let first = given(|c| month_field(c.first_month), "");
    let last = given(|c| month_field(c.last_month), "");
    let opens = given(|c| c.opens_on.clone(), "");
    let closes = given(|c| c.closes_on.clone(), "");
    let age_min = given(|c| c.age_min.to_string(), "4");
    let age_max = given(|c| c.age_max.to_string(), "18");
    let table_id = RwSignal::new(
        campaign
            .as_ref()
            .map(|c| c.table_id.clone())
            .or_else(|| tables.first().map(|x| x.0.clone()))
            .unwrap_or_default(),
    );
    let values: Vec<DirectionValue> = ClubDirection::ALL
        .iter()
        .map(|d| DirectionValue {
            direction: *d,
            value: RwSignal::new(
                campaign
                    .as_ref()
                    .and_then(|c| c.directions.iter().find(|(x, _)| x == d))
                    .map(|(_, v)| v.to_string())
                    .unwrap_or_default(),
            ),
        })
        .collect();
    let values = StoredValue::new(values);
    // Terms the form does not show: the campaign's own when changed, the usual when opened.
    let terms = campaign.as_ref().map_or((30, 10, 75), |c| {
        (c.unused_days, c.confirm_days, c.attendance_threshold_pct)
    });
    let id = StoredValue::new(campaign.as_ref().map(|c| c.id.clone()));
    let invalid: RwSignal<Option<Key>> = RwSignal::new(None);
    let error: RwSignal<Option<ApiError>> = RwSignal::new(None);
    let region = StoredValue::new(region);

    let input = move || -> Result<Fields, Key> {
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
            directions.push((v.direction, value));
        }
        if directions.is_empty() {
            return Err(Key::AkimatErrDirections);
        }
        let table = non_empty(table_id.get_untracked()).ok_or(Key::AkimatErrTable)?;
        Ok(Fields {
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
            unused_days: terms.0,
            confirm_days: terms.1,
            attendance_threshold_pct: terms.2,
        })
    };
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        done.set(None);
        error.set(None);
        let input = match input() {
            Ok(i) => i,
            Err(k) => {
                invalid.set(Some(k));
                return;
            }
        };
        invalid.set(None);
        leptos::task::spawn_local(async move {
            let saved = match id.get_value() {
                Some(id) => api::call::<gql::UpdateCampaign>(gql::update_campaign::Variables {
                    id,
                    input: campaign_input!(update_campaign, input),
                })
                .await
                .map(|d| d.update_voucher_campaign.id),
                None => api::call::<gql::OpenCampaign>(gql::open_campaign::Variables {
                    input: campaign_input!(open_campaign, input),
                })
                .await
                .map(|d| d.open_voucher_campaign.id),
            };
            match saved {
                Ok(saved) => {
                    if id.get_value().is_none() {
                        name.set(String::new());
                    }
                    done.set(Some(saved));
                    reload.update(|n| *n += 1);
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let field = move |field: &'static str,
                      label: Key,
                      sig: RwSignal<String>,
                      kind: &'static str| {
        let id = format!("{p}-{field}");
        view! {
            <div class="field">
                <label for=id.clone()>{t(label)}</label>
                <input id=id type=kind prop:value=move || sig.get() on:input=move |ev| sig.set(event_target_value(&ev))/>
            </div>
        }
    };
    let direction_fields = values
        .get_value()
        .into_iter()
        .map(|v| {
            let id = format!("{p}-value-{}", v.direction.as_str().to_lowercase());
            view! {
                <div class="field">
                    <label for=id.clone()>{t(direction_key(Some(v.direction)))}</label>
                    <input id=id type="number" min="0" prop:value=move || v.value.get() on:input=move |ev| v.value.set(event_target_value(&ev))/>
                </div>
            }
        })
        .collect_view();
    let chosen = table_id.get_untracked();
    let table_options = tables
        .into_iter()
        .map(|(id, label)| {
            let selected = id == chosen;
            view! { <option value=id selected=selected>{label}</option> }
        })
        .collect_view();
    let editing = id.get_value().is_some();
    let (title, submit) = if editing {
        (Key::AkimatEditCampaign, Key::ProviderSaveSection)
    } else {
        (Key::AkimatNewCampaign, Key::AkimatCreateCampaign)
    };
    view! {
        <form class="panel" id=format!("{p}-form") on:submit=on_submit novalidate=true>
            <h2>{t(title)}</h2>
            {editing.then(|| view! { <p class="hint">{t(Key::AkimatEditCampaignHint)}</p> })}
            <div class="grid">
                {field("name", Key::AkimatCampaignName, name, "text")}
                {field("budget", Key::AkimatBudgetTenge, budget, "number")}
                {field("first", Key::AkimatFirstMonth, first, "month")}
                {field("last", Key::AkimatLastMonth, last, "month")}
                {field("opens", Key::AkimatOpensOn, opens, "date")}
                {field("closes", Key::AkimatClosesOn, closes, "date")}
                {field("age-min", Key::ProviderAgeMin, age_min, "number")}
                {field("age-max", Key::ProviderAgeMax, age_max, "number")}
                <div class="field">
                    <label for=format!("{p}-table")>{t(Key::AkimatPriorityTable)}</label>
                    <select id=format!("{p}-table") on:change=move |ev| table_id.set(event_target_value(&ev))>{table_options}</select>
                </div>
            </div>
            <fieldset>
                <legend>{t(Key::AkimatDirectionValues)}</legend>
                <p class="hint">{t(Key::AkimatDirectionHint)}</p>
                <div class="grid">{direction_fields}</div>
            </fieldset>
            {move || invalid.get().map(|k| view! { <p class="alert error" role="alert" id=format!("{p}-invalid")>{t(k)}</p> })}
            {refusal_view(error)}
            // A change is said by the campaign's page, which this form's save redraws.
            {move || done.get().filter(|_| !editing).map(|id| view! {
                <p class="alert success" role="status" id="campaign-created">
                    {t(Key::AkimatCampaignCreated)} " "
                    <A href=format!("/akimat/campaigns/{id}")>{t(Key::AkimatOpenCampaignPage)}</A>
                </p>
            })}
            <button type="submit" id=format!("{p}-save")>{t(submit)}</button>
        </form>
    }
}
