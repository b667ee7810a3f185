//! The qualification rules and their versions; an administrator changes them through a form
//! (the terms, and per category the kinds of employer, rural only, the regions), previews how
//! many graduates would change status, then saves a new version and re-evaluates. The form
//! edits the rule set's JSON in place (the API's `rules`, which machines keep using), so a
//! field the form does not show goes back as it came.

use leptos::either::Either;
use leptos::prelude::*;

use crate::api::{self, ApiError};
use crate::format;
use crate::gql::{self, FundingCategory, ObligationStatus, OrganisationKind, SpecialtyGroup};
use crate::i18n::{Key, Lang};
use crate::ledger::{category_key, status_key};
use crate::ui::{ErrorBox, Loading, PageTitle, fill, lang, non_empty, t};
use adal_web::labels::{group_key, kind_key};
use serde_json::Value;

use adal_web::ui::can_write;

/// A status as the API's change list names it (`breach`), in the language.
fn status_name(s: &str) -> Key {
    status_key(Some(ObligationStatus::parse(&s.to_ascii_uppercase())))
}

#[component]
pub fn RulesPage() -> impl IntoView {
    let reload = RwSignal::new(0u32);
    // Outlives the editor, which the reload after saving renders anew.
    let saved: RwSignal<Option<String>> = RwSignal::new(None);
    let data = api::query::<gql::RuleSets>(move || {
        reload.track();
        gql::rule_sets::Variables {}
    });
    view! {
        <PageTitle key=Key::NavRules/>
        {move || match data.get() {
            None => view! { <Loading/> }.into_any(),
            Some(Err(e)) => view! { <ErrorBox error=e/> }.into_any(),
            Some(Ok(d)) => {
                let current = d
                    .rule_sets
                    .first()
                    .map(|r| r.rules.clone())
                    .unwrap_or_default();
                let versions = d
                    .rule_sets
                    .into_iter()
                    .map(|r| {
                        let at = r.created_at.clone();
                        let text = serde_json::to_string_pretty(&r.rules).unwrap_or_default();
                        // The defaults' note is the system's (in English): the page says it.
                        let note = if r.defaults {
                            Either::Left(t(Key::RuleDefaults))
                        } else {
                            Either::Right(r.note)
                        };
                        view! {
                            <details class="rule-version">
                                <summary>
                                    {move || fill(lang().text(Key::RuleVersion), &[("n", r.version.to_string())])}
                                    " · " {move || format::short_date(lang(), &at)} " · " {note}
                                </summary>
                                <pre>{text}</pre>
                            </details>
                        }
                    })
                    .collect_view();
                view! {
                    {can_write().then(|| view! { <RulesEditor current=current reload=reload saved=saved/> })}
                    <section class="panel" aria-labelledby="versions-title">
                        <h2 id="versions-title">{t(Key::RuleVersions)}</h2>
                        <div id="rule-versions">{versions}</div>
                    </section>
                }
                    .into_any()
            }
        }}
    }
}

#[component]
fn RulesEditor(
    current: Value,
    reload: RwSignal<u32>,
    saved: RwSignal<Option<String>>,
) -> impl IntoView {
    let rule_count = current
        .get("rules")
        .and_then(Value::as_array)
        .map_or(0, Vec::len);
    let draft = RwSignal::new(current);
    let note = RwSignal::new(String::new());
    let error: RwSignal<Option<ApiError>> = RwSignal::new(None);
    let preview: RwSignal<Option<Vec<gql::preview_rules::PreviewRulesPreviewRules>>> =
        RwSignal::new(None);
    let regions = api::query::<gql::Regions>(|| gql::regions::Variables {
        first: Some(100),
        after: None,
    });
    let on_preview = move |_| {
        error.set(None);
        saved.set(None);
        let rules = draft.get_untracked();
        leptos::task::spawn_local(async move {
            match api::call::<gql::PreviewRules>(gql::preview_rules::Variables { rules }).await {
                Ok(d) => preview.set(Some(d.preview_rules)),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let on_save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        error.set(None);
        let rules = draft.get_untracked();
        let note = non_empty(note.get_untracked()).unwrap_or_default();
        leptos::task::spawn_local(async move {
            let done = async {
                let v = api::call::<gql::SaveRules>(gql::save_rules::Variables { rules, note })
                    .await?
                    .save_rules
                    .version;
                api::send::<gql::ReevaluateAll>(gql::reevaluate_all::Variables {}, Vec::new())
                    .await?;
                Ok::<_, ApiError>(v)
            };
            match done.await {
                Ok(v) => {
                    saved.set(Some(v.to_string()));
                    preview.set(None);
                    reload.update(|n| *n += 1);
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let edit = Edit { draft, preview };
    let terms = [
        ("rule-base-months", "/baseMonths", Key::RuleBaseMonths),
        (
            "rule-serpin-months",
            "/serpinBaseMonths",
            Key::RuleSerpinMonths,
        ),
        ("rule-grace-months", "/graceMonths", Key::RuleGraceMonths),
        ("rule-breach-months", "/breachMonths", Key::RuleBreachMonths),
    ]
    .into_iter()
    .map(|(id, at, label)| view! { <MonthsField id=id at=at label=label edit=edit/> })
    .collect_view();
    let rules = (0..rule_count)
        .map(|i| view! { <RuleFields i=i edit=edit regions=regions/> })
        .collect_view();
    view! {
        <section class="panel" aria-labelledby="edit-rules-title">
            <h2 id="edit-rules-title">{t(Key::EditRules)}</h2>
            <p class="muted">{t(Key::RulesFormHint)}</p>
            <form on:submit=on_save novalidate=true id="rules-form">
                <fieldset class="rule-terms">
                    <legend>{t(Key::RuleTerms)}</legend>
                    <div class="grid-2">{terms}</div>
                </fieldset>
                {rules}
                <div class="actions">
                    <button type="button" class="secondary" id="preview-rules" on:click=on_preview>{t(Key::PreviewRules)}</button>
                </div>
                {move || preview.get().map(|changes| {
                    let total: i64 = changes.iter().map(|c| c.count).sum();
                    let rows = changes
                        .into_iter()
                        .map(|c| view! {
                            <tr>
                                <td>{t(status_name(&c.from))}</td>
                                <td>{t(status_name(&c.to))}</td>
                                <td class="num">{move || format::number(lang(), c.count)}</td>
                            </tr>
                        })
                        .collect_view();
                    view! {
                        <div id="rules-preview" aria-live="polite">
                            <p><strong>{move || fill(lang().text(Key::WouldChange), &[("n", format::number(lang(), total))])}</strong></p>
                            {(total > 0).then(|| view! {
                                <div class="table-wrap">
                                    <table>
                                        <thead>
                                            <tr>
                                                <th scope="col">{t(Key::FromStatus)}</th>
                                                <th scope="col">{t(Key::ToStatus)}</th>
                                                <th scope="col">{t(Key::Graduates)}</th>
                                            </tr>
                                        </thead>
                                        <tbody>{rows}</tbody>
                                    </table>
                                </div>
                            })}
                            <div class="field">
                                <label for="rules-note">{t(Key::ChangeNote)}</label>
                                <input id="rules-note" type="text" required=true on:input=move |ev| note.set(event_target_value(&ev))/>
                            </div>
                            <button type="submit" id="save-rules">{t(Key::SaveRules)}</button>
                        </div>
                    }
                })}
            </form>
            {move || saved.get().map(|v| view! {
                <p class="alert info" role="status" id="rules-saved">{move || fill(lang().text(Key::RulesSaved), &[("n", v.clone())])}</p>
            })}
            {move || error.get().map(|e| view! { <ErrorBox error=e/> })}
        </section>
    }
}

/// The draft rule set and the preview it makes stale.
#[derive(Clone, Copy)]
struct Edit {
    draft: RwSignal<Value>,
    preview: RwSignal<Option<Vec<gql::preview_rules::PreviewRulesPreviewRules>>>,
}

impl Edit {
    /// The value at a JSON pointer of the draft (tracked).
    fn get(self, at: &str) -> Value {
        self.draft
            .with(|d| d.pointer(at).cloned())
            .unwrap_or(Value::Null)
    }

    /// Replaces the value at a JSON pointer of the draft; the preview no longer holds.
    fn set(self, at: &str, v: Value) {
        self.draft.update(|d| {
            if let Some(slot) = d.pointer_mut(at) {
                *slot = v;
            }
        });
        self.preview.set(None);
    }

    /// Whether the list at `at` holds `item` (`null`: any, not a list).
    fn has(self, at: &str, item: &str) -> bool {
        self.get(at)
            .as_array()
            .is_some_and(|l| l.iter().any(|v| v.as_str() == Some(item)))
    }

    /// Adds `item` to the list at `at`, or takes it out.
    fn toggle(self, at: &str, item: &str, on: bool) {
        let mut list: Vec<Value> = self.get(at).as_array().cloned().unwrap_or_default();
        list.retain(|v| v.as_str() != Some(item));
        if on {
            list.push(Value::from(item));
        }
        self.set(at, Value::Array(list));
    }
}

/// A whole number of months in the draft.
#[component]
fn MonthsField(id: &'static str, at: &'static str, label: Key, edit: Edit) -> impl IntoView {
    view! {
        <div class="field">
            <label for=id>{t(label)}</label>
            <input
                id=id
                type="number"
                min="0"
                max="120"
                inputmode="numeric"
                prop:value=move || edit.get(at).as_i64().unwrap_or_default().to_string()
                on:change=move |ev| {
                    if let Ok(n) = event_target_value(&ev).trim().parse::<i64>() {
                        edit.set(at, Value::from(n.clamp(0, 120)));
                    }
                }
            />
        </div>
    }
}

/// A checkbox with its label.
#[component]
fn Check(
    id: String,
    label: Signal<String>,
    checked: Signal<bool>,
    changed: Callback<bool>,
) -> impl IntoView {
    let for_id = id.clone();
    view! {
        <label class="check" for=for_id>
            <input
                id=id
                type="checkbox"
                prop:checked=move || checked.get()
                on:change=move |ev| changed.run(event_target_checked(&ev))
            />
            " " {move || label.get()}
        </label>
    }
}

/// The kinds of employer an organisation may be in a rule (not the operator itself).
const KINDS: [OrganisationKind; 14] = [
    OrganisationKind::School,
    OrganisationKind::Nis,
    OrganisationKind::College,
    OrganisationKind::HigherCollege,
    OrganisationKind::University,
    OrganisationKind::EducationProvider,
    OrganisationKind::Healthcare,
    OrganisationKind::Veterinary,
    OrganisationKind::Agrarian,
    OrganisationKind::Research,
    OrganisationKind::ResearchUnit,
    OrganisationKind::StateBody,
    OrganisationKind::Akimat,
    OrganisationKind::Employer,
];

/// One qualification rule: its category (and specialty groups) as the legend, then where work
/// counts: the kinds of employer (or any), rural only, the regions (or any).
#[component]
fn RuleFields(i: usize, edit: Edit, regions: api::Query<gql::Regions>) -> impl IntoView {
    let at = move |field: &str| format!("/rules/{i}/{field}");
    let category = edit
        .get(&at("category"))
        .as_str()
        .map(|c| FundingCategory::parse(&c.to_ascii_uppercase()));
    let groups: Vec<Key> = edit
        .get(&at("specialtyGroups"))
        .as_array()
        .map(|l| {
            l.iter()
                .filter_map(Value::as_str)
                .map(|g| group_key(SpecialtyGroup::parse(&g.to_ascii_uppercase())))
                .collect()
        })
        .unwrap_or_default();
    let legend = move || {
        let l = lang();
        let mut s = l.text(category_key(category)).to_string();
        if !groups.is_empty() {
            let names: Vec<&str> = groups.iter().map(|g| l.text(*g)).collect();
            s.push_str(" — ");
            s.push_str(&names.join(", "));
        }
        s
    };
    let kinds_at = at("employerKinds");
    let regions_at = at("regions");
    let rural_at = at("ruralOnly");
    let any_kind = {
        let a = kinds_at.clone();
        Signal::derive(move || edit.get(&a).is_null())
    };
    let any_region = {
        let a = regions_at.clone();
        Signal::derive(move || edit.get(&a).is_null())
    };
    let kinds = {
        let a = kinds_at.clone();
        move || {
            (!any_kind.get()).then(|| {
                KINDS
                    .iter()
                    .map(|k| {
                        let code = k.as_str().to_ascii_lowercase();
                        let (a1, a2, c1, c2) = (a.clone(), a.clone(), code.clone(), code.clone());
                        view! {
                            <Check
                                id=format!("rule-{i}-kind-{code}")
                                label=Signal::derive(move || lang().text(kind_key(*k)).to_string())
                                checked=Signal::derive(move || edit.has(&a1, &c1))
                                changed=Callback::new(move |on| edit.toggle(&a2, &c2, on))
                            />
                        }
                    })
                    .collect_view()
            })
        }
    };
    let region_list = {
        let a = regions_at.clone();
        move || {
            (!any_region.get()).then(|| {
                let rows = regions
                    .get()
                    .and_then(Result::ok)
                    .map(|d| d.regions.nodes)
                    .unwrap_or_default();
                rows.into_iter()
                    .map(|r| {
                        let (a1, a2) = (a.clone(), a.clone());
                        let (k1, k2) = (r.kato.clone(), r.kato.clone());
                        let name = Signal::derive(move || match lang() {
                            Lang::Kk => r.name_kk.clone(),
                            Lang::Ru => r.name_ru.clone(),
                            Lang::En => r.name_en.clone(),
                        });
                        view! {
                            <Check
                                id=format!("rule-{i}-region-{k1}")
                                label=name
                                checked=Signal::derive(move || edit.has(&a1, &k1))
                                changed=Callback::new(move |on| edit.toggle(&a2, &k2, on))
                            />
                        }
                    })
                    .collect_view()
            })
        }
    };
    let (ka, ra, ru1, ru2) = (
        kinds_at.clone(),
        regions_at.clone(),
        rural_at.clone(),
        rural_at,
    );
    view! {
        <fieldset class="rule" id=format!("rule-{i}")>
            <legend>{legend}</legend>
            <div class="rule-part">
                <p class="rule-part-title">{t(Key::RuleEmployerKinds)}</p>
                <Check
                    id=format!("rule-{i}-any-kind")
                    label=Signal::derive(move || lang().text(Key::RuleAnyKind).to_string())
                    checked=any_kind
                    changed=Callback::new(move |on: bool| {
                        edit.set(&ka, if on { Value::Null } else { Value::Array(Vec::new()) })
                    })
                />
                <div class="checks">{kinds}</div>
            </div>
            <Check
                id=format!("rule-{i}-rural")
                label=Signal::derive(move || lang().text(Key::RuleRuralOnly).to_string())
                checked=Signal::derive(move || edit.get(&ru1).as_bool().unwrap_or(false))
                changed=Callback::new(move |on: bool| edit.set(&ru2, Value::Bool(on)))
            />
            <div class="rule-part">
                <p class="rule-part-title">{t(Key::RuleRegions)}</p>
                <Check
                    id=format!("rule-{i}-any-region")
                    label=Signal::derive(move || lang().text(Key::RuleAnyRegion).to_string())
                    checked=any_region
                    changed=Callback::new(move |on: bool| {
                        edit.set(&ra, if on { Value::Null } else { Value::Array(Vec::new()) })
                    })
                />
                <div class="checks">{region_list}</div>
            </div>
        </fieldset>
    }
}
