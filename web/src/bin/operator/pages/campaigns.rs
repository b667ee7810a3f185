//! Campaigns: an administrator picks the audience with the graduates register's filter
//! (seeing how many it reaches as the filter changes), a template, a channel order with a
//! fallback delay and a schedule; everyone on the page watches progress and delivery rates
//! per channel, refreshed every few seconds, and an administrator pauses, resumes or
//! cancels.

use leptos::prelude::*;

use crate::api::{self, ApiError};
use crate::format;
use crate::gql::{self, CampaignStatus, Channel};
use crate::i18n::Key;
use crate::pages::messages::channel_key;
use crate::pages::obligations::{FilterFields, RegisterFilter, graduate_filter};
use crate::pages::operator::{can_write, load_regions};
use crate::ui::{
    EmptyState, PageTitle, act, error_view, fill, lang, loaded, local_time, non_empty, t, table,
};
use adal_web::labels::purpose_key;

/// How often the progress is refreshed while the page is open.
const REFRESH_MS: u64 = 4_000;

const PROGRESS_HEADS: [Key; 7] = [
    Key::Channel,
    Key::Messages,
    Key::MsgQueued,
    Key::MsgSent,
    Key::MsgDelivered,
    Key::MsgFailed,
    Key::DeliveryRate,
];

fn status_of(s: Option<CampaignStatus>) -> (Key, &'static str) {
    match s {
        Some(CampaignStatus::Running) => (Key::CampaignRunning, "badge ok"),
        Some(CampaignStatus::Paused) => (Key::CampaignPaused, "badge warn"),
        _ => (Key::CampaignCancelled, "badge"),
    }
}

#[component]
pub fn CampaignsPage() -> impl IntoView {
    let reload = RwSignal::new(0u32);
    let data = api::query::<gql::Campaigns>(move || {
        reload.track();
        gql::campaigns::Variables {}
    });
    // Not while the keyboard is on a campaign's buttons: the list is drawn anew.
    let refresh = move || {
        if !focus_within(".campaign") {
            reload.update(|n| *n += 1);
        }
    };
    if let Ok(handle) =
        set_interval_with_handle(refresh, std::time::Duration::from_millis(REFRESH_MS))
    {
        on_cleanup(move || handle.clear());
    }
    let error: RwSignal<Option<ApiError>> = RwSignal::new(None);
    view! {
        <PageTitle key=Key::NavCampaigns/>
        {can_write().then(|| view! { <Builder reload=reload/> })}
        <section class="panel" aria-labelledby="campaigns-title">
            <h2 id="campaigns-title">{t(Key::Campaigns)}</h2>
            {error_view(error)}
            // The last answer stays on screen while the next refresh loads.
            {move || loaded(data.get(), |d| {
                if d.campaigns.is_empty() {
                    return view! { <EmptyState title=Key::NoDataYet text=Key::EmptyCampaigns/> }.into_any();
                }
                d.campaigns
                    .into_iter()
                    .map(|c| view! { <CampaignCard c=c error=error reload=reload/> })
                    .collect_view()
                    .into_any()
            })}
        </section>
    }
}

#[component]
fn CampaignCard(
    c: gql::campaigns::CampaignsCampaigns,
    error: RwSignal<Option<ApiError>>,
    reload: RwSignal<u32>,
) -> impl IntoView {
    let l = lang();
    let (label, class) = status_of(c.status);
    let p = c.progress;
    let channels = c
        .channels
        .iter()
        .map(|ch| l.text(channel_key(Some(*ch))))
        .collect::<Vec<_>>()
        .join(" → ");
    let plan = fill(
        l.text(Key::CampaignPlan),
        &[
            ("template", c.template.code),
            ("channels", channels),
            ("minutes", format::number(l, c.fallback_after_seconds / 60)),
            ("at", local_time(l, &c.scheduled_at)),
        ],
    );
    let reached = fill(
        l.text(Key::PeopleReached),
        &[
            ("reached", format::number(l, p.people_reached)),
            ("people", format::number(l, p.people)),
        ],
    );
    let rows = p
        .by_channel
        .into_iter()
        .map(|r| {
            view! {
                <tr data-channel=r.channel.map_or("", Channel::as_str)>
                    <th scope="row">{l.text(channel_key(r.channel))}</th>
                    {[
                        ("num", r.total),
                        ("num", r.queued),
                        ("num", r.sent),
                        ("num delivered", r.delivered),
                        ("num", r.failed),
                    ]
                        .map(|(class, n)| view! { <td class=class>{format::number(l, n)}</td> })}
                    <td class="num rate">{format::percent(l, r.delivery_rate)}</td>
                </tr>
            }
        })
        .collect_view()
        .into_any();
    let id = StoredValue::new(c.id.clone());
    let set = move |pause: bool, resume: bool, cancel: bool| {
        move |_| {
            let vars = gql::set_campaign::Variables {
                id: id.get_value(),
                pause,
                resume,
                cancel,
            };
            act(
                api::send::<gql::SetCampaign>(vars, Vec::new()),
                error,
                reload,
            );
        }
    };
    let actions = (can_write() && c.status != Some(CampaignStatus::Cancelled)).then(|| {
        let paused = c.status == Some(CampaignStatus::Paused);
        view! {
            <div class="actions">
                {if paused {
                    view! { <button type="button" class="secondary resume" on:click=set(false, true, false)>{l.text(Key::Resume)}</button> }
                } else {
                    view! { <button type="button" class="secondary pause" on:click=set(true, false, false)>{l.text(Key::Pause)}</button> }
                }}
                <button type="button" class="secondary cancel" on:click=set(false, false, true)>{l.text(Key::CancelCampaign)}</button>
            </div>
        }
    });
    view! {
        <article class="card campaign" data-id=c.id data-status=c.status.map_or("", CampaignStatus::as_str)>
            <h3>{c.name} " " <span class=class>{l.text(label)}</span></h3>
            <p class="muted">{plan}</p>
            <p class="reached">{reached}</p>
            {table(l, "", "progress", &PROGRESS_HEADS, rows)}
            {actions}
        </article>
    }
}

/// Whether the focused element is inside an element matching `selector`.
fn focus_within(selector: &str) -> bool {
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.active_element())
        .and_then(|e| e.closest(selector).ok().flatten())
        .is_some()
}

/// The channel of a `<select>` value; `None` for "no further channel".
fn channel_of(v: &str) -> Option<Channel> {
    Some(Channel::parse(v)).filter(|c| *c != Channel::Unknown)
}

#[component]
fn Builder(reload: RwSignal<u32>) -> impl IntoView {
    let name = RwSignal::new(String::new());
    let template = RwSignal::new(String::new());
    let filter = RegisterFilter::new();
    let channels: [RwSignal<String>; 3] = [
        RwSignal::new("PUSH".to_string()),
        RwSignal::new("SMS".to_string()),
        RwSignal::new("EMAIL".to_string()),
    ];
    let fallback = RwSignal::new("30".to_string());
    let schedule = RwSignal::new(String::new());
    let error: RwSignal<Option<ApiError>> = RwSignal::new(None);
    let started = RwSignal::new(false);
    let regions = load_regions();
    let templates =
        api::query::<gql::NotificationTemplates>(|| gql::notification_templates::Variables {});
    // The live count: asked again whenever the filter changes.
    let count = api::query::<gql::AudienceCount>(move || gql::audience_count::Variables {
        audience: graduate_filter!(gql::audience_count::GraduateFilter, filter.values(), None),
    });
    let on_start = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        started.set(false);
        let chosen: Vec<Channel> = channels
            .iter()
            .filter_map(|c| channel_of(&c.get_untracked()))
            .collect();
        // `datetime-local` gives a day and a time, meant in Kazakhstan whatever the browser's
        // time zone; the API takes an instant (and refuses a value that is neither).
        let scheduled_at = non_empty(schedule.get_untracked()).map(|s| {
            s.split_once('T')
                .and_then(|(day, time)| adal_web::days::kazakhstan_instant(day, time))
                .unwrap_or(s)
        });
        let minutes: i64 = fallback.get_untracked().trim().parse().unwrap_or(30);
        let input = gql::create_campaign::CampaignInput {
            name: name.get_untracked(),
            template_id: template.get_untracked(),
            audience: graduate_filter!(gql::create_campaign::GraduateFilter, filter.values(), None),
            channels: chosen,
            fallback_after_seconds: minutes.saturating_mul(60),
            scheduled_at,
        };
        let sent =
            api::send::<gql::CreateCampaign>(gql::create_campaign::Variables { input }, Vec::new());
        act(
            Box::pin(async move { sent.await.map(|()| started.set(true)) }),
            error,
            reload,
        );
    };
    let channel_select = move |i: usize| {
        let sig = channels[i];
        let id = format!("camp-channel-{}", i + 1);
        let label = move || fill(lang().text(Key::ChannelN), &[("n", (i + 1).to_string())]);
        view! {
            <div class="field">
                <label for=id.clone()>{label}</label>
                <select id=id on:change=move |ev| sig.set(event_target_value(&ev))>
                    {(i > 0).then(|| view! { <option value="" selected=move || sig.get().is_empty()>{t(Key::NoFurtherChannel)}</option> })}
                    {Channel::ALL
                        .iter()
                        .map(|c| {
                            let c = *c;
                            view! { <option value=c.as_str() selected=move || sig.get() == c.as_str()>{t(channel_key(Some(c)))}</option> }
                        })
                        .collect_view()}
                </select>
            </div>
        }
    };
    let audience_count = move || {
        let l = lang();
        match count.get() {
            Some(Ok(d)) => fill(
                l.text(Key::AudienceCount),
                &[("n", format::number(l, d.campaign_audience_count))],
            ),
            _ => l.text(Key::Loading).to_string(),
        }
    };
    let template_options = move || {
        let l = lang();
        let list = templates
            .get()
            .and_then(Result::ok)
            .map(|d| d.notification_templates)
            .unwrap_or_default();
        if template.with_untracked(String::is_empty)
            && let Some(first) = list.first()
        {
            template.set(first.id.clone());
        }
        list.into_iter()
            .map(|tpl| {
                let label = format!("{} · {}", tpl.code, l.text(purpose_key(tpl.purpose)));
                view! { <option value=tpl.id>{label}</option> }
            })
            .collect_view()
    };
    view! {
        <form class="panel" id="campaign-form" on:submit=on_start novalidate=true>
            <h2>{t(Key::NewCampaign)}</h2>
            <div class="form-row">
                <div class="field">
                    <label for="camp-name">{t(Key::Name)}</label>
                    <input id="camp-name" type="text" required=true on:input=move |ev| name.set(event_target_value(&ev))/>
                </div>
                <div class="field">
                    <label for="camp-template">{t(Key::Template)}</label>
                    <select id="camp-template" on:change=move |ev| template.set(event_target_value(&ev))>
                        {template_options}
                    </select>
                </div>
            </div>
            <fieldset class="filters">
                <legend>{t(Key::Audience)}</legend>
                <FilterFields prefix="camp" filter=filter regions=regions changed=Callback::new(|()| {})/>
            </fieldset>
            <p class="alert info" id="audience-count" role="status" aria-live="polite">{audience_count}</p>
            <fieldset class="form-row">
                <legend>{t(Key::ChannelOrder)}</legend>
                {channel_select(0)}
                {channel_select(1)}
                {channel_select(2)}
                <div class="field">
                    <label for="camp-fallback">{t(Key::FallbackMinutes)}</label>
                    <input id="camp-fallback" type="number" min="0" inputmode="numeric" prop:value=move || fallback.get() on:input=move |ev| fallback.set(event_target_value(&ev))/>
                </div>
                <div class="field">
                    <label for="camp-schedule">{t(Key::StartAt)}</label>
                    <input id="camp-schedule" type="datetime-local" aria-describedby="camp-schedule-hint" on:input=move |ev| schedule.set(event_target_value(&ev)) on:change=move |ev| schedule.set(event_target_value(&ev))/>
                    <small id="camp-schedule-hint" class="muted">{t(Key::StartAtHint)}</small>
                </div>
            </fieldset>
            {error_view(error)}
            {move || started.get().then(|| view! { <p class="alert success" role="status" id="campaign-started">{t(Key::CampaignStarted)}</p> })}
            <button type="submit" id="camp-start">{t(Key::StartCampaign)}</button>
        </form>
    }
}
