//! `/operator/oversight/clients`: the integration clients, the state systems that read Adal
//! through its API. For each: what it was granted (operations, personal fields, a cost budget,
//! an expiry), its use day by day over the last 30 days, and the operations it registered.
//! The operator's administrators require a client to run only its registered operations;
//! analysts read the same page.

use leptos::prelude::*;

use crate::api::{self, ApiError};
use crate::format;
use crate::gql::{self, Role};
use crate::i18n::{Key, Lang};
use crate::ui::{
    Cursor, EmptyState, PageTitle, Pager, can_write, error_view, lang, loaded, local_time, t, table,
};

type Client = gql::integration_clients::IntegrationClientsAccountsNodes;
type UsageDay = gql::integration_clients::IntegrationClientsAccountsNodesUsage;
type Operation = gql::integration_clients::IntegrationClientsAccountsNodesOperations;

/// The personal fields a client may be granted, by their names in the API, with their labels.
const FIELDS: [(&str, Key); 5] = [
    ("iin", Key::Iin),
    ("name", Key::FullName),
    ("birthDate", Key::BirthDate),
    ("phone", Key::FieldPhone),
    ("email", Key::ChannelEmail),
];

/// The clients on one page (the query asks for as many).
const PAGE: i64 = 20;

/// How many characters of an operation's hash are shown (the whole is its title).
const HASH_SHOWN: usize = 12;

#[component]
pub fn ClientsPage() -> impl IntoView {
    let writer = can_write();
    let cursor = Cursor::new();
    let data = api::query::<gql::IntegrationClients>(move || gql::integration_clients::Variables {
        after: cursor.after(),
    });
    // Drawn again in another language: the figures and dates are written in it.
    let list = move || {
        let l = lang();
        loaded(data.get(), move |d| {
            let c = d.accounts;
            if c.nodes.is_empty() {
                return view! { <EmptyState title=Key::ClientsNoneTitle text=Key::ClientsNoneText/> }
                    .into_any();
            }
            let shown = c.nodes.len();
            let cards = c
                .nodes
                .into_iter()
                .map(|client| view! { <ClientCard client=client writer=writer l=l/> })
                .collect_view();
            view! {
                {cards}
                <Pager
                    cursor=cursor
                    total=c.total_count
                    shown=shown
                    page_size=PAGE
                    has_next=c.page_info.has_next_page
                    end_cursor=c.page_info.end_cursor
                />
            }
            .into_any()
        })
    };
    view! {
        <PageTitle key=Key::NavClients/>
        <p class="hint">{t(Key::ClientsHint)}</p>
        <div id="clients">{list}</div>
    }
}

/// A label and its value in a client's facts.
fn fact(label: Key, value: impl IntoView + 'static) -> impl IntoView {
    view! {
        <div class="dl-row">
            <dt>{t(label)}</dt>
            <dd>{value}</dd>
        </div>
    }
}

#[component]
fn ClientCard(client: Client, writer: bool, l: Lang) -> impl IntoView {
    let id = client.id;
    // What the client's integration role grants (one assignment in practice; all of them
    // count).
    let granted = client.roles.iter().filter(|r| r.role == Role::Integration);
    let operations: Vec<String> = granted
        .clone()
        .flat_map(|r| r.allowed_operations.iter().flatten().cloned())
        .collect();
    let fields: Vec<String> = granted
        .flat_map(|r| r.allowed_fields.iter().flatten().cloned())
        .collect();
    let expired = client
        .expires_at
        .as_deref()
        .is_some_and(|at| js_sys::Date::parse(at) <= js_sys::Date::now());

    let operations = if operations.is_empty() {
        view! { <span class="muted">{t(Key::NotSet)}</span> }.into_any()
    } else {
        let items = operations
            .into_iter()
            .map(|op| view! { <li><code>{op}</code></li> })
            .collect_view();
        view! { <ul class="chips">{items}</ul> }.into_any()
    };
    let fields = FIELDS
        .iter()
        .map(|&(name, label)| {
            let on = fields.iter().any(|f| f == name);
            let (class, state) = if on {
                ("badge ok", Key::ClientGranted)
            } else {
                ("badge", Key::ClientMasked)
            };
            view! {
                <li data-field=name>
                    {t(label)} " " <span class=class>{t(state)}</span>
                </li>
            }
        })
        .collect_view();
    let per_minute = |n: Option<i64>| {
        n.map_or_else(
            || l.text(Key::ClientBudgetDefault).to_string(),
            |n| format::number(l, n),
        )
    };
    let budget = per_minute(client.cost_per_minute);
    let rate = per_minute(client.requests_per_minute);
    let expiry = client.expires_at.as_deref().map_or_else(
        || l.text(Key::SchoolNever).to_string(),
        |at| local_time(l, at),
    );
    let title = format!("client-{id}-name");
    view! {
        <article class="panel client" id=format!("client-{id}") aria-labelledby=title.clone()>
            <h2 id=title.clone()>{client.display_name.unwrap_or_else(|| client.login.clone())}</h2>
            {expired.then(|| view! { <p class="alert warn">{t(Key::ErrAccountExpired)}</p> })}
            <dl class="facts">
                {fact(Key::ClientIdLabel, view! { <code class="client-login">{client.login}</code> })}
                {fact(
                    Key::Status,
                    t(if client.disabled { Key::Disabled } else { Key::Active }),
                )}
                {fact(Key::ClientBudget, budget)}
                {fact(Key::ClientRate, rate)}
                {fact(Key::ClientExpires, expiry)}
                {fact(Key::ClientOperations, operations)}
                {fact(Key::ClientFields, view! { <ul class="chips client-fields">{fields}</ul> })}
            </dl>
            <PersistedOnly id=id.clone() on=client.persisted_only writer=writer/>
            <h3>{t(Key::ClientUsage)}</h3>
            {usage(l, client.usage)}
            <h3>{t(Key::ClientRegistered)}</h3>
            {registered(l, client.operations)}
        </article>
    }
}

/// "Run only registered operations": a switch an administrator flips (saved at once), shown
/// to an analyst as it stands.
#[component]
fn PersistedOnly(id: String, on: bool, writer: bool) -> impl IntoView {
    let on = RwSignal::new(on);
    let pending = RwSignal::new(false);
    let saved = RwSignal::new(false);
    let error: RwSignal<Option<ApiError>> = RwSignal::new(None);
    let field = format!("persisted-only-{id}");
    let account = StoredValue::new(id);
    let change = move |ev: leptos::ev::Event| {
        let wanted = event_target_checked(&ev);
        error.set(None);
        saved.set(false);
        pending.set(true);
        let vars = gql::set_persisted_only::Variables {
            id: account.get_value(),
            persisted_only: wanted,
        };
        leptos::task::spawn_local(async move {
            let answer = api::call::<gql::SetPersistedOnly>(vars).await;
            pending.set(false);
            match answer {
                Ok(d) => {
                    on.set(d.update_account.persisted_only);
                    saved.set(true);
                }
                Err(e) => {
                    on.set(!wanted);
                    error.set(Some(e));
                }
            }
        });
    };
    view! {
        <div class="field checkbox">
            <input
                id=field.clone()
                class="persisted-only"
                type="checkbox"
                prop:checked=move || on.get()
                disabled=move || !writer || pending.get()
                on:change=change
            />
            <label for=field>{t(Key::ClientPersistedOnly)}</label>
        </div>
        <div aria-live="polite">
            {move || {
                saved
                    .get()
                    .then(|| view! { <p class="alert success">{t(Key::AccountSaved)}</p> })
            }}
        </div>
        {error_view(error)}
    }
}

/// The client's use, a row per day with calls, newest first, and the totals.
fn usage(l: Lang, days: Vec<UsageDay>) -> AnyView {
    if days.is_empty() {
        return view! { <p class="empty-line">{t(Key::ClientNoUse)}</p> }.into_any();
    }
    let n = |v: i64| format::number(l, v);
    let mut total = [0i64; 4];
    let mut rows: Vec<AnyView> = days
        .into_iter()
        .map(|d| {
            let figures = [d.calls, d.cost, d.refusals, d.masked];
            for (sum, v) in total.iter_mut().zip(figures) {
                *sum += v;
            }
            view! {
                <tr>
                    <th scope="row">{format::short_date(l, &d.day)}</th>
                    {figures.into_iter().map(|v| view! { <td>{n(v)}</td> }).collect_view()}
                </tr>
            }
            .into_any()
        })
        .collect();
    rows.push(
        view! {
            <tr class="total">
                <th scope="row">{l.text(Key::OpenTotal)}</th>
                {total.into_iter().map(|v| view! { <td>{n(v)}</td> }).collect_view()}
            </tr>
        }
        .into_any(),
    );
    table(
        l,
        "",
        "open-table client-usage",
        &[
            Key::SchoolDay,
            Key::ClientCalls,
            Key::ClientCost,
            Key::ClientRefusals,
            Key::ClientMaskedFields,
        ],
        rows.into_iter().collect_view().into_any(),
    )
}

/// The operations the client registered: name, the start of the hash, when.
fn registered(l: Lang, operations: Vec<Operation>) -> AnyView {
    if operations.is_empty() {
        return view! { <p class="empty-line">{t(Key::ClientNoOperations)}</p> }.into_any();
    }
    let rows = operations
        .into_iter()
        .map(|op| {
            let short: String = op.hash.chars().take(HASH_SHOWN).collect();
            let name = match op.name {
                Some(name) => view! { <code>{name}</code> }.into_any(),
                None => view! { <span class="muted">{l.text(Key::NotSet)}</span> }.into_any(),
            };
            view! {
                <tr>
                    <td>{name}</td>
                    <td>
                        <code class="hash" title=op.hash>{short}</code>
                    </td>
                    <td>{local_time(l, &op.registered_at)}</td>
                </tr>
            }
        })
        .collect_view();
    table(
        l,
        "",
        "client-operations",
        &[Key::Name, Key::ClientHash, Key::ParentDateCol],
        rows.into_any(),
    )
}
