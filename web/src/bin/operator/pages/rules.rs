//! The qualification rules and their versions; an administrator edits them, previews how
//! many graduates would change status, then saves a new version and re-evaluates.

use leptos::prelude::*;

use crate::api::{self, ApiError};
use crate::format;
use crate::gql::{self, ObligationStatus};
use crate::i18n::Key;
use crate::ledger::status_key;
use crate::pages::operator::can_write;
use crate::ui::{ErrorBox, Loading, PageTitle, fill, lang, non_empty, t};

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
                    .map(|r| serde_json::to_string_pretty(&r.rules).unwrap_or_default())
                    .unwrap_or_default();
                let versions = d
                    .rule_sets
                    .into_iter()
                    .map(|r| {
                        let at = r.created_at.clone();
                        let text = serde_json::to_string_pretty(&r.rules).unwrap_or_default();
                        view! {
                            <details class="rule-version">
                                <summary>
                                    {move || fill(lang().text(Key::RuleVersion), &[("n", r.version.to_string())])}
                                    " · " {move || format::short_date(lang(), &at)} " · " {r.note}
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
    current: String,
    reload: RwSignal<u32>,
    saved: RwSignal<Option<String>>,
) -> impl IntoView {
    let text = RwSignal::new(current);
    let note = RwSignal::new(String::new());
    let error: RwSignal<Option<ApiError>> = RwSignal::new(None);
    let invalid = RwSignal::new(false);
    let preview: RwSignal<Option<Vec<gql::preview_rules::PreviewRulesPreviewRules>>> =
        RwSignal::new(None);
    let parsed = move || serde_json::from_str::<serde_json::Value>(&text.get_untracked()).ok();
    let on_preview = move |_| {
        error.set(None);
        saved.set(None);
        let Some(rules) = parsed() else {
            invalid.set(true);
            return;
        };
        invalid.set(false);
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
        let Some(rules) = parsed() else {
            invalid.set(true);
            return;
        };
        invalid.set(false);
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
    view! {
        <section class="panel" aria-labelledby="edit-rules-title">
            <h2 id="edit-rules-title">{t(Key::EditRules)}</h2>
            <p class="muted">{t(Key::RulesHint)}</p>
            <form on:submit=on_save novalidate=true>
                <div class="field">
                    <label for="rules-json">{t(Key::RulesJson)}</label>
                    <textarea
                        id="rules-json"
                        rows="14"
                        spellcheck="false"
                        aria-invalid=move || invalid.get().to_string()
                        prop:value=move || text.get()
                        on:input=move |ev| { text.set(event_target_value(&ev)); preview.set(None); }
                    ></textarea>
                    {move || invalid.get().then(|| view! { <p class="field-error" role="alert">{t(Key::RulesNotJson)}</p> })}
                </div>
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
