//! The operator's portal: the dashboard, the organisation picker the graduates' filters use,
//! and the accounts with their role assignments. Only OPERATOR_ADMIN writes; everyone else
//! reads. The regions and organisations are a program of their own (`/operator/reference`).

use leptos::prelude::*;

use crate::api::{self, ApiError};
use crate::format;
use crate::gql::{self, Language, OrganisationKind, Role};
use crate::i18n::{Key, Lang};
use crate::portal::role_key;
use crate::ui::{Cursor, ErrorBox, Loading, PageTitle, Pager, fill, lang, non_empty, t};

// The regions for menus and labels, shared with the reference registers' program.
pub(crate) use adal_web::reference::{
    RegionSelect, Regions, load_regions, names, names_of, region_name,
};

const PAGE: i64 = 20;

/// Whether the signed-in person may change reference data.
pub use adal_web::ui::can_write;

#[component]
fn ReadOnlyNote() -> impl IntoView {
    view! { <p class="alert info" id="read-only">{t(Key::ReadOnlyNotice)}</p> }
}

// ---------------------------------------------------------------------------------------
// Dashboard

#[component]
pub fn Dashboard() -> impl IntoView {
    let data = api::query::<gql::Dashboard>(|| gql::dashboard::Variables {});
    view! {
        <PageTitle key=Key::NavDashboard/>
        {move || match data.get() {
            None => view! { <Loading/> }.into_any(),
            Some(Err(e)) => view! { <ErrorBox error=e/> }.into_any(),
            Some(Ok(d)) => {
                let (r, o) = (d.regions.total_count, d.organisations.total_count);
                view! {
                    <ul class="stats">
                        <li class="stat">
                            <span class="stat-value">{move || format::number(lang(), r)}</span>
                            <a href="/operator/reference/regions" rel="external">{t(Key::NavRegions)}</a>
                        </li>
                        <li class="stat">
                            <span class="stat-value">{move || format::number(lang(), o)}</span>
                            <a href="/operator/reference/organisations" rel="external">
                                {t(Key::NavOrganisations)}
                            </a>
                        </li>
                    </ul>
                }
                    .into_any()
            }
        }}
        <crate::pages::obligations::ObligationFigures/>
        <crate::pages::coverage::CoveragePanel/>
    }
}

// ---------------------------------------------------------------------------------------
// The organisation picker

/// An organisation chosen by typing part of its name or its BIN: the register suggests up to
/// eight matches (of `kind`, if given) as the person types, and `chosen` holds the id of the
/// one picked (`None` while the text names no suggested organisation). `changed` runs when
/// `chosen` changes.
#[component]
pub(crate) fn OrgPicker(
    #[prop(into)] id: String,
    label: Key,
    kind: Option<OrganisationKind>,
    chosen: RwSignal<Option<String>>,
    changed: Callback<()>,
    /// The text typed (`name · BIN`, or a BIN), when the caller keeps it (a filter in the
    /// address keeps the BIN).
    #[prop(optional)]
    text: Option<RwSignal<String>>,
) -> impl IntoView {
    // What names a BIN is searched by it, anything else as typed.
    let text = text.unwrap_or_else(|| RwSignal::new(String::new()));
    let found = api::query::<gql::Organisations>(move || {
        let typed = text.get();
        gql::organisations::Variables {
            filter: Some(gql::organisations::OrganisationFilter {
                search: bin_of(&typed)
                    .map(str::to_string)
                    .or_else(|| non_empty(typed)),
                kind,
                region_kato: None,
            }),
            first: Some(8),
            after: None,
        }
    });
    // The id of the organisation the text names, among the suggestions at hand.
    let named = move || {
        let typed = text.get();
        let bin = bin_of(&typed)?;
        found
            .get()?
            .ok()?
            .organisations
            .nodes
            .into_iter()
            .find(|o| o.bin == bin)
            .map(|o| o.id)
    };
    Effect::new(move |_| {
        let now = named();
        if now != chosen.get_untracked() {
            chosen.set(now);
            changed.run(());
        }
    });
    let list = format!("{id}-list");
    let hint = format!("{id}-hint");
    view! {
        <div class="field">
            <label for=id.clone()>{t(label)}</label>
            <input
                id=id
                type="search"
                list=list.clone()
                autocomplete="off"
                aria-describedby=hint.clone()
                prop:value=move || text.get()
                on:input=move |ev| text.set(event_target_value(&ev))
            />
            <datalist id=list>
                {move || {
                    let l = lang();
                    found
                        .get()
                        .and_then(Result::ok)
                        .map(|d| {
                            d.organisations
                                .nodes
                                .into_iter()
                                .map(|o| {
                                    let name = names_of(&o.name_kk, &o.name_ru, &o.name_en, l);
                                    view! { <option value=format!("{name} · {}", o.bin)/> }
                                })
                                .collect_view()
                        })
                }}
            </datalist>
            <small id=hint class="muted">{t(Key::OrgPickerHint)}</small>
        </div>
    }
}

/// The BIN an organisation picker's text names: a suggestion reads `name · BIN`; a BIN
/// typed alone counts too.
pub(crate) fn bin_of(text: &str) -> Option<&str> {
    let bin = text.rsplit_once(" · ").map_or(text.trim(), |(_, b)| b);
    (bin.len() == 12 && bin.bytes().all(|b| b.is_ascii_digit())).then_some(bin)
}

// ---------------------------------------------------------------------------------------
// Accounts and role assignments

type AccountRow = gql::accounts::AccountParts;

fn lang_key(l: Language) -> &'static str {
    Lang::from_api(l).endonym()
}

/// Whether a role needs an organisation (school, provider) or a region (akimat).
fn scope_of(role: Role) -> (bool, bool) {
    match role {
        Role::SchoolAdmin | Role::SchoolStaff | Role::ProviderStaff => (true, false),
        Role::AkimatOfficer => (false, true),
        _ => (false, false),
    }
}

#[component]
pub fn AccountsPage() -> impl IntoView {
    let writer = can_write();
    let cursor = Cursor::new();
    let search = RwSignal::new(String::new());
    let role = RwSignal::new(String::new());
    let reload = RwSignal::new(0u32);
    let open: RwSignal<Option<String>> = RwSignal::new(None);
    let creating = RwSignal::new(false);
    let notice: RwSignal<Option<String>> = RwSignal::new(None);
    let regions = load_regions();

    let data = api::query::<gql::Accounts>(move || {
        reload.track();
        gql::accounts::Variables {
            filter: Some(gql::accounts::AccountFilter {
                search: non_empty(search.get()),
                role: non_empty(role.get()).map(|r| Role::parse(&r)),
            }),
            first: Some(PAGE),
            after: cursor.after(),
        }
    });
    let changed = Callback::new(move |msg: String| {
        notice.set(Some(msg));
        reload.update(|n| *n += 1);
    });

    view! {
        <PageTitle key=Key::NavAccounts/>
        {(!writer).then(|| view! { <ReadOnlyNote/> })}
        <div class="toolbar">
            {writer
                .then(|| {
                    view! {
                        <button
                            type="button"
                            id="new-account"
                            on:click=move |_| {
                                notice.set(None);
                                creating.set(true);
                            }
                        >
                            {t(Key::NewAccount)}
                        </button>
                    }
                })}
        </div>
        {move || notice.get().map(|m| view! { <p class="alert success" role="status">{m}</p> })}
        {move || {
            creating
                .get()
                .then(|| {
                    view! {
                        <CreateAccountForm
                            regions=regions
                            on_done=Callback::new(move |msg: Option<String>| {
                                creating.set(false);
                                if let Some(m) = msg {
                                    changed.run(m);
                                }
                            })
                        />
                    }
                })
        }}
        <form class="filters" role="search" on:submit=|ev| ev.prevent_default()>
            <div class="field">
                <label for="account-search">{t(Key::SearchAccounts)}</label>
                <input
                    id="account-search"
                    type="search"
                    prop:value=move || search.get()
                    on:input=move |ev| {
                        search.set(event_target_value(&ev));
                        cursor.reset();
                    }
                />
            </div>
            <div class="field">
                <label for="account-role">{t(Key::Role)}</label>
                <select
                    id="account-role"
                    on:change=move |ev| {
                        role.set(event_target_value(&ev));
                        cursor.reset();
                    }
                >
                    <option value="">{t(Key::AllRoles)}</option>
                    {Role::ALL
                        .iter()
                        .map(|r| view! { <option value=r.as_str()>{t(role_key(*r))}</option> })
                        .collect_view()}
                </select>
            </div>
        </form>
        {move || match data.get() {
            None => view! { <Loading/> }.into_any(),
            Some(Err(e)) => view! { <ErrorBox error=e/> }.into_any(),
            Some(Ok(d)) if d.accounts.nodes.is_empty() => {
                view! { <p class="empty-line">{t(Key::NothingFound)}</p> }.into_any()
            }
            Some(Ok(d)) => {
                let l = lang();
                let c = d.accounts;
                let shown = c.nodes.len();
                let opened = open.get();
                let detail = opened
                    .as_ref()
                    .and_then(|id| c.nodes.iter().find(|a| &a.id == id).cloned());
                let rows = c
                    .nodes
                    .into_iter()
                    .map(|a| {
                        let id = a.id.clone();
                        let roles = a
                            .roles
                            .iter()
                            .map(|r| l.text(role_key(r.role)))
                            .collect::<Vec<_>>()
                            .join(", ");
                        let person = a.person.as_ref().map(|p| p.full_name.clone()).unwrap_or_default();
                        let status = t(if a.disabled { Key::Disabled } else { Key::Active });
                        let is_open = opened.as_deref() == Some(a.id.as_str());
                        view! {
                            <tr class:selected=is_open>
                                <td>
                                    <code>{a.login.clone()}</code>
                                </td>
                                <td>{person}</td>
                                <td>{roles}</td>
                                <td>{lang_key(a.language)}</td>
                                <td>{status}</td>
                                <td>{format::short_date(l, &a.created_at)}</td>
                                <td>
                                    <button
                                        type="button"
                                        class="link"
                                        aria-expanded=if is_open { "true" } else { "false" }
                                        on:click=move |_| {
                                            notice.set(None);
                                            open.set(if is_open { None } else { Some(id.clone()) });
                                        }
                                    >
                                        {t(if is_open { Key::Close } else { Key::Open })}
                                    </button>
                                </td>
                            </tr>
                        }
                    })
                    .collect_view();
                view! {
                    <div class="table-wrap">
                        <table id="accounts">
                            <caption class="sr-only">{t(Key::NavAccounts)}</caption>
                            <thead>
                                <tr>
                                    <th scope="col">{t(Key::LoginLabel)}</th>
                                    <th scope="col">{t(Key::Person)}</th>
                                    <th scope="col">{t(Key::Roles)}</th>
                                    <th scope="col">{t(Key::Language)}</th>
                                    <th scope="col">{t(Key::Status)}</th>
                                    <th scope="col">{t(Key::CreatedAt)}</th>
                                    <th scope="col">{t(Key::Actions)}</th>
                                </tr>
                            </thead>
                            <tbody>{rows}</tbody>
                        </table>
                    </div>
                    <Pager
                        cursor=cursor
                        total=c.total_count
                        shown=shown
                        page_size=PAGE
                        has_next=c.page_info.has_next_page
                        end_cursor=c.page_info.end_cursor
                    />
                    {detail.map(|a| view! { <AccountDetail account=a writer=writer regions=regions on_change=changed/> })}
                }
                    .into_any()
            }
        }}
    }
}

#[component]
fn AccountDetail(
    account: AccountRow,
    writer: bool,
    regions: Regions,
    on_change: Callback<String>,
) -> impl IntoView {
    let id = account.id.clone();
    let language = RwSignal::new(account.language.as_str().to_string());
    let disabled = RwSignal::new(account.disabled);
    let password = RwSignal::new(String::new());
    let error: RwSignal<Option<ApiError>> = RwSignal::new(None);
    let pending = RwSignal::new(false);
    let created = account.created_at.clone();
    let login = account.login.clone();

    let update_id = id.clone();
    let on_update = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        error.set(None);
        pending.set(true);
        let vars = gql::update_account::Variables {
            id: update_id.clone(),
            input: gql::update_account::UpdateAccountInput {
                language: Some(Language::parse(&language.get_untracked())),
                disabled: Some(disabled.get_untracked()),
                password: non_empty(password.get_untracked()),
                cost_per_minute: None,
                expires_at: None,
                persisted_only: None,
                requests_per_minute: None,
            },
        };
        leptos::task::spawn_local(async move {
            let r = api::send::<gql::UpdateAccount>(vars, Vec::new()).await;
            pending.set(false);
            match r {
                Ok(_) => {
                    password.set(String::new());
                    on_change.run(lang().text(Key::AccountSaved).to_string());
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };

    let roles = account
        .roles
        .iter()
        .map(|r| {
            let rid = r.id.clone();
            let role = r.role;
            let scope = r
                .organisation
                .as_ref()
                .map(|o| names(&o.name_kk, &o.name_ru, &o.name_en))
                .or_else(|| r.region.as_ref().map(|o| names(&o.name_kk, &o.name_ru, &o.name_en)));
            let on_revoke = move |_| {
                error.set(None);
                let vars = gql::revoke_role::Variables {
                    assignment_id: rid.clone(),
                };
                leptos::task::spawn_local(async move {
                    match api::send::<gql::RevokeRole>(vars, Vec::new()).await {
                        Ok(_) => on_change.run(lang().text(Key::RoleRevoked).to_string()),
                        Err(e) => error.set(Some(e)),
                    }
                });
            };
            view! {
                <li>
                    <span>{t(role_key(role))}</span>
                    {scope.map(|n| view! { <span class="muted">" · " {move || n.get(lang()).to_string()}</span> })}
                    {writer.then(|| view! {
                        <button type="button" class="link danger" on:click=on_revoke>{t(Key::Revoke)}</button>
                    })}
                </li>
            }
        })
        .collect_view();

    view! {
        <section class="panel" aria-labelledby="account-title" id="account-detail">
            <h2 id="account-title">{login}</h2>
            <p class="muted">{t(Key::CreatedAt)}": " {move || format::date(lang(), &created)}</p>
            <h3>{t(Key::Roles)}</h3>
            <ul class="roles">{roles}</ul>
            {move || error.get().map(|e| view! { <ErrorBox error=e/> })}
            {writer.then(|| view! {
                <AssignRoleForm account_id=id.clone() regions=regions on_change=on_change/>
                <h3>{t(Key::AccountSettings)}</h3>
                <form on:submit=on_update.clone()>
                    <div class="grid">
                        <div class="field">
                            <label for="account-language">{t(Key::Language)}</label>
                            <select id="account-language" on:change=move |ev| language.set(event_target_value(&ev))>
                                {Lang::ALL.into_iter().map(|l| {
                                    let code = l.to_api().as_str();
                                    view! { <option value=code selected=move || language.get() == code>{l.endonym()}</option> }
                                }).collect_view()}
                            </select>
                        </div>
                        <div class="field">
                            <label for="account-password">{t(Key::NewPassword)}</label>
                            <input
                                id="account-password"
                                type="password"
                                autocomplete="new-password"
                                prop:value=move || password.get()
                                on:input=move |ev| password.set(event_target_value(&ev))
                            />
                        </div>
                        <div class="field checkbox">
                            <input
                                id="account-disabled"
                                type="checkbox"
                                prop:checked=move || disabled.get()
                                on:change=move |ev| disabled.set(event_target_checked(&ev))
                            />
                            <label for="account-disabled">{t(Key::AccountDisabled)}</label>
                        </div>
                    </div>
                    <div class="actions">
                        <button type="submit" disabled=move || pending.get()>{t(Key::Save)}</button>
                    </div>
                </form>
            })}
        </section>
    }
}

/// Role + organisation + region inputs, shared by "assign role" and "create account".
#[derive(Clone, Copy)]
struct RoleInputs {
    role: RwSignal<String>,
    organisation: RwSignal<String>,
    region: RwSignal<String>,
}

impl RoleInputs {
    fn new() -> Self {
        Self {
            role: RwSignal::new(Role::SchoolStaff.as_str().to_string()),
            organisation: RwSignal::new(String::new()),
            region: RwSignal::new(String::new()),
        }
    }

    fn role(self) -> Role {
        Role::parse(&self.role.get_untracked())
    }
}

macro_rules! role_input {
    ($module:ident, $inputs:expr) => {{
        let role = $inputs.role();
        let (org, region) = scope_of(role);
        gql::$module::RoleAssignmentInput {
            role,
            organisation_id: if org {
                non_empty($inputs.organisation.get_untracked())
            } else {
                None
            },
            region_kato: if region {
                non_empty($inputs.region.get_untracked())
            } else {
                None
            },
            allowed_operations: None,
            allowed_fields: None,
        }
    }};
}

#[component]
fn RoleFields(prefix: &'static str, inputs: RoleInputs, regions: Regions) -> impl IntoView {
    let org_search = RwSignal::new(String::new());
    let orgs = LocalResource::new(move || {
        let vars = gql::organisations::Variables {
            filter: Some(gql::organisations::OrganisationFilter {
                search: non_empty(org_search.get()),
                kind: None,
                region_kato: None,
            }),
            first: Some(20),
            after: None,
        };
        async move {
            api::call::<gql::Organisations>(vars)
                .await
                .map(|d| d.organisations.nodes)
        }
    });
    let role_id = format!("{prefix}-role");
    let search_id = format!("{prefix}-org-search");
    let org_id = format!("{prefix}-org");
    let region_id: &'static str = if prefix == "new" {
        "new-region"
    } else {
        "assign-region"
    };
    let scope = move || scope_of(Role::parse(&inputs.role.get()));
    view! {
        <div class="field">
            <label for=role_id.clone()>{t(Key::Role)}</label>
            <select id=role_id on:change=move |ev| inputs.role.set(event_target_value(&ev))>
                {Role::ALL
                    .iter()
                    // Machines' roles and pupils' logins have flows of their own.
                    .filter(|r| !matches!(r, Role::Integration | Role::Device | Role::Pupil))
                    .map(|r| {
                        let code = r.as_str();
                        view! {
                            <option value=code selected=move || inputs.role.get() == code>
                                {t(role_key(*r))}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
        </div>
        {move || {
            scope()
                .0
                .then(|| {
                    view! {
                        <div class="field">
                            <label for=search_id.clone()>{t(Key::SearchOrganisations)}</label>
                            <input
                                id=search_id.clone()
                                type="search"
                                prop:value=move || org_search.get()
                                on:input=move |ev| org_search.set(event_target_value(&ev))
                            />
                        </div>
                        <div class="field">
                            <label for=org_id.clone()>{t(Key::Organisation)}</label>
                            <select id=org_id.clone() on:change=move |ev| inputs.organisation.set(event_target_value(&ev))>
                                <option value="">{t(Key::NotSet)}</option>
                                {move || {
                                    let l = lang();
                                    orgs.get()
                                        .and_then(Result::ok)
                                        .unwrap_or_default()
                                        .into_iter()
                                        .map(|o| {
                                            let oid = o.id.clone();
                                            view! {
                                                <option value=o.id.clone() selected=move || inputs.organisation.get() == oid>
                                                    {format!("{} · {}", names_of(&o.name_kk, &o.name_ru, &o.name_en, l), o.bin)}
                                                </option>
                                            }
                                        })
                                        .collect_view()
                                }}
                            </select>
                        </div>
                    }
                })
        }}
        {move || {
            scope()
                .1
                .then(|| {
                    view! {
                        <RegionSelect id=region_id label=Key::Region value=inputs.region empty=Key::NotSet regions=regions/>
                    }
                })
        }}
    }
}

#[component]
fn AssignRoleForm(
    account_id: String,
    regions: Regions,
    on_change: Callback<String>,
) -> impl IntoView {
    let inputs = RoleInputs::new();
    let error: RwSignal<Option<ApiError>> = RwSignal::new(None);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        error.set(None);
        let vars = gql::assign_role::Variables {
            account_id: account_id.clone(),
            input: role_input!(assign_role, inputs),
        };
        leptos::task::spawn_local(async move {
            match api::send::<gql::AssignRole>(vars, Vec::new()).await {
                Ok(_) => on_change.run(lang().text(Key::RoleAssigned).to_string()),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <h3>{t(Key::AssignRole)}</h3>
        <form on:submit=on_submit id="assign-role-form">
            <div class="grid">
                <RoleFields prefix="assign" inputs=inputs regions=regions/>
            </div>
            {move || error.get().map(|e| view! { <ErrorBox error=e/> })}
            <div class="actions">
                <button type="submit">{t(Key::AssignRole)}</button>
            </div>
        </form>
    }
}

#[component]
fn CreateAccountForm(regions: Regions, on_done: Callback<Option<String>>) -> impl IntoView {
    let login = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let language = RwSignal::new(Language::Kk.as_str().to_string());
    let person_search = RwSignal::new(String::new());
    let person = RwSignal::new(String::new());
    let inputs = RoleInputs::new();
    let error: RwSignal<Option<ApiError>> = RwSignal::new(None);
    let pending = RwSignal::new(false);
    let persons = LocalResource::new(move || {
        let search = non_empty(person_search.get());
        async move {
            let Some(search) = search else {
                return Ok(Vec::new());
            };
            api::call::<gql::Persons>(gql::persons::Variables {
                filter: Some(gql::persons::PersonFilter {
                    iin: None,
                    search: Some(search),
                }),
                first: Some(20),
            })
            .await
            .map(|d| d.persons.nodes)
        }
    });

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        error.set(None);
        pending.set(true);
        let vars = gql::create_account::Variables {
            input: gql::create_account::CreateAccountInput {
                login: login.get_untracked().trim().to_string(),
                password: password.get_untracked(),
                language: Language::parse(&language.get_untracked()),
                person_id: non_empty(person.get_untracked()),
                roles: vec![role_input!(create_account, inputs)],
            },
        };
        leptos::task::spawn_local(async move {
            let r = api::call::<gql::CreateAccount>(vars).await;
            pending.set(false);
            match r {
                Ok(d) => on_done.run(Some(fill(
                    lang().text(Key::AccountCreated),
                    &[("login", d.create_account.login)],
                ))),
                Err(e) => error.set(Some(e)),
            }
        });
    };

    view! {
        <section class="panel" aria-labelledby="new-account-title" id="account-form">
            <h2 id="new-account-title">{t(Key::NewAccount)}</h2>
            <form on:submit=on_submit>
                <div class="grid">
                    <div class="field">
                        <label for="new-login">{t(Key::LoginLabel)}</label>
                        <input
                            id="new-login"
                            type="text"
                            autocomplete="off"
                            required=true
                            prop:value=move || login.get()
                            on:input=move |ev| login.set(event_target_value(&ev))
                        />
                    </div>
                    <div class="field">
                        <label for="new-password">{t(Key::PasswordLabel)}</label>
                        <input
                            id="new-password"
                            type="password"
                            autocomplete="new-password"
                            required=true
                            prop:value=move || password.get()
                            on:input=move |ev| password.set(event_target_value(&ev))
                        />
                    </div>
                    <div class="field">
                        <label for="new-language">{t(Key::Language)}</label>
                        <select id="new-language" on:change=move |ev| language.set(event_target_value(&ev))>
                            {Lang::ALL.into_iter().map(|l| {
                                let code = l.to_api().as_str();
                                view! { <option value=code selected=move || language.get() == code>{l.endonym()}</option> }
                            }).collect_view()}
                        </select>
                    </div>
                    <div class="field">
                        <label for="new-person-search">{t(Key::SearchPersons)}</label>
                        <input
                            id="new-person-search"
                            type="search"
                            prop:value=move || person_search.get()
                            on:input=move |ev| person_search.set(event_target_value(&ev))
                        />
                    </div>
                    <div class="field">
                        <label for="new-person">{t(Key::Person)}</label>
                        <select id="new-person" on:change=move |ev| person.set(event_target_value(&ev))>
                            <option value="">{t(Key::NotSet)}</option>
                            {move || persons.get().and_then(Result::ok).unwrap_or_default().into_iter().map(|p| {
                                let pid = p.id.clone();
                                view! { <option value=p.id.clone() selected=move || person.get() == pid>{p.full_name}</option> }
                            }).collect_view()}
                        </select>
                    </div>
                    <RoleFields prefix="new" inputs=inputs regions=regions/>
                </div>
                {move || error.get().map(|e| view! { <ErrorBox error=e/> })}
                <div class="actions">
                    <button type="submit" disabled=move || pending.get()>{t(Key::CreateAccount)}</button>
                    <button type="button" class="secondary" on:click=move |_| on_done.run(None)>{t(Key::Cancel)}</button>
                </div>
            </form>
        </section>
    }
}
