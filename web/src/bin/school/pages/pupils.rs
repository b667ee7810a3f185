//! Pupils and staff: the school's list by class, importing it (CSV pasted or chosen as a
//! file), a person's card: their photo and a pupil's QR code or PIN (`identity.rs`), their
//! cards (issue, which blocks the previous one; block a lost one with a reason), meal grounds
//! with their period (the administrator records and ends them), a pupil's login for
//! educational resources (`logins.rs`), and taking a person who left off the list.

use leptos::html::{Button, Input};
use leptos::prelude::*;

use crate::api::{self, ApiError};
use crate::format;
use crate::gql::Role;
use crate::gql::school::{self as gs, CredentialStatus, MemberKind};
use crate::i18n::Key;
use crate::pages::common::{today, with_school};
use crate::pages::identity::{AlternativeId, MemberPhoto, credential_key};
use crate::pages::logins::PupilLogin;
use crate::session;
use crate::ui::{
    PageTitle, act, chosen_files, error_view, explained_error_view, fill, lang, loaded, local_time,
    t, table,
};

#[component]
pub fn PupilsPage() -> impl IntoView {
    view! {
        <PageTitle key=Key::NavSchoolPupils/>
        {with_school(|s| view! { <Pupils school=s/> }.into_any())}
    }
}

fn is_admin() -> bool {
    session::current().is_some_and(|s| s.holds(Role::SchoolAdmin))
}

#[component]
fn Pupils(school: String) -> impl IntoView {
    let school = StoredValue::new(school);
    let class: RwSignal<Option<String>> = RwSignal::new(None);
    let reload = RwSignal::new(0u32);
    // The member opened: their person, name, and whether a pupil.
    let person: RwSignal<Option<(String, String, bool)>> = RwSignal::new(None);
    // The name of the person just taken off the list.
    let removed: RwSignal<Option<String>> = RwSignal::new(None);
    let data = api::query::<gs::SchoolMembers>(move || {
        reload.track();
        gs::school_members::Variables {
            school_id: school.get_value(),
            class_id: class.get(),
            kind: None,
        }
    });
    view! {
        {is_admin().then(|| view! { <ImportList school=school.get_value() reload=reload/> })}
        {move || removed.get().map(|name| view! {
            <div class="alert success" role="status" id="member-removed">
                {move || fill(lang().text(Key::SchoolMemberRemoved), &[("name", name.clone())])}
            </div>
        })}
        {move || person.get().map(|(id, name, pupil)| view! {
            <PersonCard school=school.get_value() person=id name=name pupil=pupil opened=person list=reload removed=removed/>
        })}
        {move || loaded(data.get(), move |d| {
            let l = lang();
            let options = d
                .school_classes
                .into_iter()
                .map(|c| {
                    let selected = class.get_untracked().as_deref() == Some(c.id.as_str());
                    view! { <option value=c.id selected=selected>{c.name}</option> }
                })
                .collect_view();
            let rows = d
                .school_members
                .into_iter()
                .map(|m| {
                    let name = m.name.clone().unwrap_or_default();
                    let place = m
                        .class
                        .map(|c| c.name)
                        .or(m.position)
                        .unwrap_or_default();
                    let pick = (m.person_id.clone(), name.clone(), m.kind == Some(MemberKind::Pupil));
                    view! {
                        <tr class="member">
                            <td>{name}</td>
                            <td>{place}</td>
                            <td>
                                <button type="button" class="secondary open-person" on:click=move |_| {
                                    removed.set(None);
                                    person.set(Some(pick.clone()));
                                }>
                                    {l.text(Key::Open)}
                                </button>
                            </td>
                        </tr>
                    }
                })
                .collect_view()
                .into_any();
            view! {
                <section class="panel" aria-labelledby="members-title">
                    <h2 id="members-title">{l.text(Key::SchoolMembers)}</h2>
                    <div class="field">
                        <label for="class-filter">{l.text(Key::SchoolClass)}</label>
                        <select id="class-filter" on:change=move |ev| {
                            let v = event_target_value(&ev);
                            class.set((!v.is_empty()).then_some(v));
                        }>
                            <option value="">{l.text(Key::SchoolAllClasses)}</option>
                            {options}
                        </select>
                    </div>
                    {table(l, "members", "", &[Key::SchoolName, Key::SchoolClass, Key::Actions], rows)}
                </section>
            }
            .into_any()
        })}
    }
}

#[component]
fn ImportList(school: String, reload: RwSignal<u32>) -> impl IntoView {
    let school = StoredValue::new(school);
    let csv = RwSignal::new(String::new());
    let file: NodeRef<Input> = NodeRef::new();
    let error: RwSignal<Option<ApiError>> = RwSignal::new(None);
    let result: RwSignal<Option<gs::school_import_list::SchoolImportListImportSchoolList>> =
        RwSignal::new(None);
    let on_file = move |_| {
        if let Some(f) = chosen_files(file).into_iter().next() {
            leptos::task::spawn_local(async move {
                if let Ok(text) = wasm_bindgen_futures::JsFuture::from(f.text()).await {
                    csv.set(text.as_string().unwrap_or_default());
                }
            });
        }
    };
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        error.set(None);
        result.set(None);
        let text = csv.get_untracked();
        leptos::task::spawn_local(async move {
            match api::call::<gs::SchoolImportList>(gs::school_import_list::Variables {
                school_id: school.get_value(),
                csv: text,
            })
            .await
            {
                Ok(d) => {
                    result.set(Some(d.import_school_list));
                    reload.update(|n| *n += 1);
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <details class="panel">
            <summary><strong>{t(Key::SchoolImportList)}</strong></summary>
            <form id="import-form" on:submit=on_submit>
                <p class="hint">{t(Key::SchoolImportHint)}</p>
                <div class="field">
                    <label for="import-csv">"CSV"</label>
                    <textarea id="import-csv" rows="6" prop:value=move || csv.get() on:input=move |ev| csv.set(event_target_value(&ev))></textarea>
                </div>
                <div class="field">
                    <label for="import-file">{t(Key::File)}</label>
                    <input id="import-file" type="file" accept=".csv,text/csv" node_ref=file on:change=on_file/>
                </div>
                <button type="submit" id="import-list">{t(Key::SchoolImportList)}</button>
            </form>
            {error_view(error)}
            {move || result.get().map(|r| {
                let l = lang();
                let summary = fill(
                    l.text(Key::SchoolImportDone),
                    &[
                        ("created", format::number(l, r.created)),
                        ("updated", format::number(l, r.updated)),
                        ("unchanged", format::number(l, r.unchanged)),
                        ("rejected", format::number(l, r.rejected.len() as i64)),
                    ],
                );
                let lines = r
                    .rejected
                    .into_iter()
                    .map(|x| view! { <li>{l.text(Key::SchoolLine)} " " {x.line} ": " {x.reason}</li> })
                    .collect_view();
                view! {
                    <div class="alert info" role="status" id="import-result">
                        <strong>{summary}</strong>
                        <ul>{lines}</ul>
                    </div>
                }
            })}
        </details>
    }
}

/// A ground being ended: its id, what it is (for the form's title) and its first day.
type Ending = (String, String, String);

/// One person's card. `opened` is the list's open card and `list` its reload, so that taking
/// the person off the list closes the card and reloads the list, which then says so (`removed`).
#[component]
fn PersonCard(
    school: String,
    person: String,
    name: String,
    pupil: bool,
    opened: RwSignal<Option<(String, String, bool)>>,
    list: RwSignal<u32>,
    removed: RwSignal<Option<String>>,
) -> impl IntoView {
    let school = StoredValue::new(school);
    let person = StoredValue::new(person);
    let full_name = StoredValue::new(name.clone());
    let reload = RwSignal::new(0u32);
    let error: RwSignal<Option<ApiError>> = RwSignal::new(None);
    let data = api::query::<gs::SchoolPerson>(move || {
        reload.track();
        gs::school_person::Variables {
            school_id: school.get_value(),
            person_id: person.get_value(),
        }
    });
    let uid = RwSignal::new(String::new());
    let block_reason = RwSignal::new(String::new());
    let issued = RwSignal::new(false);
    let on_issue = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        issued.set(false);
        let u = uid.get_untracked().trim().to_string();
        if u.is_empty() {
            return;
        }
        error.set(None);
        leptos::task::spawn_local(async move {
            match api::call::<gs::SchoolIssueCard>(gs::school_issue_card::Variables {
                school_id: school.get_value(),
                person_id: person.get_value(),
                uid: u,
            })
            .await
            {
                Ok(_) => {
                    uid.set(String::new());
                    issued.set(true);
                    reload.update(|n| *n += 1);
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    // The ground form.
    let category = RwSignal::new(String::new());
    let valid_from = RwSignal::new(today());
    let valid_to = RwSignal::new(String::new());
    let evidence = RwSignal::new(String::new());
    let on_ground = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let to = valid_to.get_untracked();
        act(
            api::send::<gs::SchoolRecordGround>(
                gs::school_record_ground::Variables {
                    school_id: school.get_value(),
                    person_id: person.get_value(),
                    input: gs::school_record_ground::MealGroundInput {
                        category: category.get_untracked().trim().to_string(),
                        valid_from: valid_from.get_untracked(),
                        valid_to: (!to.is_empty()).then_some(to),
                        evidence: evidence.get_untracked(),
                    },
                },
                Vec::new(),
            ),
            error,
            reload,
        );
    };
    // Ending a ground (the administrator): which one, its last day and why.
    let ending: RwSignal<Option<Ending>> = RwSignal::new(None);
    let end_on = RwSignal::new(today());
    let end_reason = RwSignal::new(String::new());
    let end_error: RwSignal<Option<ApiError>> = RwSignal::new(None);
    let end_first: NodeRef<Input> = NodeRef::new();
    Effect::new(move |_| {
        if let Some(i) = end_first.get() {
            let _ = i.focus();
        }
    });
    let on_end = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some((id, _, _)) = ending.get_untracked() else {
            return;
        };
        let vars = gs::school_end_ground::Variables {
            ground_id: id,
            on: end_on.get_untracked(),
            reason: end_reason.get_untracked().trim().to_string(),
        };
        end_error.set(None);
        leptos::task::spawn_local(async move {
            match api::send::<gs::SchoolEndGround>(vars, Vec::new()).await {
                Ok(()) => {
                    ending.set(None);
                    reload.update(|n| *n += 1);
                }
                Err(e) => end_error.set(Some(e)),
            }
        });
    };
    let explain_end = |e: &ApiError| e.is_about("on").then_some(Key::SchoolEndBeforeStart);
    let end_form = move || {
        ending.get().map(|(_, what, from)| {
            let title = move || fill(lang().text(Key::SchoolEndGroundTitle), &[("ground", what.clone())]);
            view! {
                <form id="end-ground-form" on:submit=on_end>
                    <fieldset>
                        <legend>{title}</legend>
                        <div class="form-row">
                            <div class="field">
                                <label for="end-ground-on">{t(Key::SchoolEndOn)}</label>
                                <input id="end-ground-on" type="date" required=true min=from node_ref=end_first prop:value=move || end_on.get() on:change=move |ev| end_on.set(event_target_value(&ev))/>
                            </div>
                            <div class="field">
                                <label for="end-ground-reason">{t(Key::Reason)}</label>
                                <input id="end-ground-reason" required=true prop:value=move || end_reason.get() on:input=move |ev| end_reason.set(event_target_value(&ev))/>
                            </div>
                            <button type="submit" id="end-ground-confirm">{t(Key::SchoolEndGroundSubmit)}</button>
                            <button type="button" class="secondary" on:click=move |_| ending.set(None)>{t(Key::Cancel)}</button>
                        </div>
                        <p class="hint">{t(Key::SchoolEndGroundHint)}</p>
                        {explained_error_view(end_error, explain_end)}
                    </fieldset>
                </form>
            }
        })
    };
    // Taking the person off the list (the administrator), after a second, explicit step.
    let confirming = RwSignal::new(false);
    let remove_yes: NodeRef<Button> = NodeRef::new();
    Effect::new(move |_| {
        if let Some(b) = remove_yes.get() {
            let _ = b.focus();
        }
    });
    let remove = move |_| {
        error.set(None);
        let vars = gs::school_remove_member::Variables {
            school_id: school.get_value(),
            person_id: person.get_value(),
        };
        leptos::task::spawn_local(async move {
            match api::send::<gs::SchoolRemoveMember>(vars, Vec::new()).await {
                Ok(()) => {
                    removed.set(Some(full_name.get_value()));
                    opened.set(None);
                    list.update(|n| *n += 1);
                }
                Err(e) => {
                    confirming.set(false);
                    error.set(Some(e));
                }
            }
        });
    };
    let admin = is_admin();
    view! {
        <section class="panel" aria-labelledby="person-title" id="person">
            <h2 id="person-title">{name.clone()}</h2>
            <MemberPhoto school=school.get_value() person=person.get_value() name=name.clone()/>
            {error_view(error)}
            {move || issued.get().then(|| view! { <div class="alert success" role="status" id="card-issued">{t(Key::SchoolCardIssued)}</div> })}
            {move || loaded(data.get(), move |d| {
                let l = lang();
                let cards = if d.school_cards.is_empty() {
                    view! { <p class="muted">{l.text(Key::SchoolNoCards)}</p> }.into_any()
                } else {
                    let rows = d
                        .school_cards
                        .into_iter()
                        .map(|c| {
                            let active = c.status == Some(CredentialStatus::Active);
                            let (badge, status) = if active {
                                ("badge ok", Key::SchoolCardActive)
                            } else {
                                ("badge bad", Key::SchoolCardBlocked)
                            };
                            let id = c.id.clone();
                            let block = active.then(|| view! {
                                <button type="button" class="secondary block-card" on:click=move |_| {
                                    let reason = block_reason.get_untracked().trim().to_string();
                                    if reason.is_empty() {
                                        return;
                                    }
                                    act(
                                        api::send::<gs::SchoolBlockCard>(
                                            gs::school_block_card::Variables { card_id: id.clone(), reason },
                                            Vec::new(),
                                        ),
                                        error,
                                        reload,
                                    );
                                }>{l.text(Key::SchoolBlockCard)}</button>
                            });
                            view! {
                                <tr class="card-row">
                                    <td class="card-kind">{l.text(credential_key(c.kind))}</td>
                                    <td><code>{c.uid_masked.unwrap_or_default()}</code></td>
                                    <td><span class=badge>{l.text(status)}</span></td>
                                    <td>{local_time(l, &c.issued_at)}</td>
                                    <td>{c.block_reason.unwrap_or_default()}</td>
                                    <td>{block}</td>
                                </tr>
                            }
                        })
                        .collect_view()
                        .into_any();
                    table(l, "cards", "", &[Key::Kind, Key::SchoolCardUid, Key::Status, Key::SchoolIssuedAt, Key::Reason, Key::Actions], rows)
                };
                let grounds = if d.meal_grounds.is_empty() {
                    view! { <p class="muted">{l.text(Key::SchoolNoGrounds)}</p> }.into_any()
                } else {
                    let day = today();
                    let rows = d
                        .meal_grounds
                        .into_iter()
                        .map(|g| {
                            let what = crate::labels::meal_ground(l, &g.category);
                            let from = format::short_date(l, &g.valid_from);
                            // A ground open or ending after today may be ended.
                            let open = g.valid_to.as_deref().is_none_or(|to| to > day.as_str());
                            let end = (admin && open).then(|| {
                                let pick = (g.id.clone(), format!("{what}, {from}"), g.valid_from.clone());
                                view! {
                                    <button type="button" class="secondary end-ground" on:click=move |_| {
                                        end_on.set(today());
                                        end_reason.set(String::new());
                                        end_error.set(None);
                                        ending.set(Some(pick.clone()));
                                    }>{l.text(Key::SchoolEndGround)}</button>
                                }
                            });
                            view! {
                                <tr class="ground-row">
                                    <td>{what}</td>
                                    <td>{from.clone()}</td>
                                    <td class="ground-to">{g.valid_to.map(|d| format::short_date(l, &d)).unwrap_or_default()}</td>
                                    <td>{g.evidence}</td>
                                    {admin.then(|| view! { <td>{end}</td> })}
                                </tr>
                            }
                        })
                        .collect_view()
                        .into_any();
                    let heads: &[Key] = if admin {
                        &[Key::SchoolCategory, Key::SchoolValidFrom, Key::SchoolValidTo, Key::SchoolEvidence, Key::Actions]
                    } else {
                        &[Key::SchoolCategory, Key::SchoolValidFrom, Key::SchoolValidTo, Key::SchoolEvidence]
                    };
                    table(l, "grounds", "", heads, rows)
                };
                view! {
                    <h3>{l.text(Key::SchoolCards)}</h3>
                    {cards}
                    <h3>{l.text(Key::SchoolGrounds)}</h3>
                    {grounds}
                }
                .into_any()
            })}
            {end_form}
            <div class="field">
                <label for="block-reason">{t(Key::SchoolBlockReason)}</label>
                <input id="block-reason" prop:value=move || block_reason.get() on:input=move |ev| block_reason.set(event_target_value(&ev))/>
            </div>
            <form class="form-row" id="issue-form" on:submit=on_issue>
                <div class="field">
                    <label for="card-uid">{t(Key::SchoolCardUid)}</label>
                    <input id="card-uid" autocomplete="off" prop:value=move || uid.get() on:input=move |ev| uid.set(event_target_value(&ev))/>
                </div>
                <button type="submit" id="issue-card">{t(Key::SchoolIssueCard)}</button>
            </form>
            {pupil.then(|| view! { <AlternativeId school=school.get_value() person=person.get_value() name=name.clone() cards=reload/> })}
            {admin.then(|| view! {
                <form class="form-row" id="ground-form" on:submit=on_ground>
                    <div class="field">
                        <label for="ground-category">{t(Key::SchoolCategory)}</label>
                        <input id="ground-category" list="ground-categories" prop:value=move || category.get() on:input=move |ev| category.set(event_target_value(&ev))/>
                        <datalist id="ground-categories">
                            <option value="targeted_social_assistance"></option>
                            <option value="below_subsistence"></option>
                            <option value="orphan"></option>
                            <option value="without_parental_care"></option>
                        </datalist>
                    </div>
                    <div class="field">
                        <label for="ground-from">{t(Key::SchoolValidFrom)}</label>
                        <input id="ground-from" type="date" prop:value=move || valid_from.get() on:change=move |ev| valid_from.set(event_target_value(&ev))/>
                    </div>
                    <div class="field">
                        <label for="ground-to">{t(Key::SchoolValidTo)}</label>
                        <input id="ground-to" type="date" prop:value=move || valid_to.get() on:change=move |ev| valid_to.set(event_target_value(&ev))/>
                    </div>
                    <div class="field">
                        <label for="ground-evidence">{t(Key::SchoolEvidence)}</label>
                        <input id="ground-evidence" prop:value=move || evidence.get() on:input=move |ev| evidence.set(event_target_value(&ev))/>
                    </div>
                    <button type="submit" id="record-ground">{t(Key::SchoolRecordGround)}</button>
                </form>
            })}
            {(pupil && admin).then(|| view! { <PupilLogin school=school.get_value() person=person.get_value()/> })}
            {admin.then(|| view! {
                <section id="remove-member" aria-labelledby="remove-member-title">
                    <h3 id="remove-member-title">{t(Key::SchoolRemoveMember)}</h3>
                    <p class="hint">{t(Key::SchoolRemoveMemberHint)}</p>
                    {move || if confirming.get() {
                        view! {
                            <div class="alert warn" id="remove-confirm">
                                <p>{move || fill(lang().text(Key::SchoolRemoveConfirm), &[("name", full_name.get_value())])}</p>
                                <div class="actions">
                                    <button type="button" class="reject" id="remove-yes" node_ref=remove_yes on:click=remove>{t(Key::SchoolRemoveYes)}</button>
                                    <button type="button" class="secondary" id="remove-cancel" on:click=move |_| confirming.set(false)>{t(Key::Cancel)}</button>
                                </div>
                            </div>
                        }
                        .into_any()
                    } else {
                        view! {
                            <p class="actions">
                                <button type="button" class="secondary" id="remove-start" on:click=move |_| confirming.set(true)>{t(Key::SchoolRemoveMember)}</button>
                            </p>
                        }
                        .into_any()
                    }}
                </section>
            })}
        </section>
    }
}
