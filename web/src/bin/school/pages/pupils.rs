//! Pupils and staff: the school's list by class, importing it (CSV pasted or chosen as a
//! file), a person's cards (issue, which blocks the previous one; block a lost one with a
//! reason), meal grounds with their period, and a pupil's login for educational resources
//! (`logins.rs`).

use leptos::html::Input;
use leptos::prelude::*;

use crate::api::{self, ApiError};
use crate::format;
use crate::gql::Role;
use crate::gql::school::{self as gs, CredentialStatus, MemberKind};
use crate::i18n::Key;
use crate::pages::common::{today, with_school};
use crate::pages::logins::PupilLogin;
use crate::session;
use crate::ui::{
    PageTitle, act, chosen_files, error_view, fill, lang, loaded, local_time, t, table,
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
        {move || person.get().map(|(id, name, pupil)| view! { <PersonCard school=school.get_value() person=id name=name pupil=pupil/> })}
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
                                <button type="button" class="secondary open-person" on:click=move |_| person.set(Some(pick.clone()))>
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

#[component]
fn PersonCard(school: String, person: String, name: String, pupil: bool) -> impl IntoView {
    let school = StoredValue::new(school);
    let person = StoredValue::new(person);
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
    view! {
        <section class="panel" aria-labelledby="person-title" id="person">
            <h2 id="person-title">{name}</h2>
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
                    table(l, "cards", "", &[Key::SchoolCardUid, Key::Status, Key::SchoolIssuedAt, Key::Reason, Key::Actions], rows)
                };
                let grounds = if d.meal_grounds.is_empty() {
                    view! { <p class="muted">{l.text(Key::SchoolNoGrounds)}</p> }.into_any()
                } else {
                    let rows = d
                        .meal_grounds
                        .into_iter()
                        .map(|g| view! {
                            <tr>
                                <td>{crate::labels::meal_ground(l, &g.category)}</td>
                                <td>{format::short_date(l, &g.valid_from)}</td>
                                <td>{g.valid_to.map(|d| format::short_date(l, &d)).unwrap_or_default()}</td>
                                <td>{g.evidence}</td>
                            </tr>
                        })
                        .collect_view()
                        .into_any();
                    table(l, "grounds", "", &[Key::SchoolCategory, Key::SchoolValidFrom, Key::SchoolValidTo, Key::SchoolEvidence], rows)
                };
                view! {
                    <h3>{l.text(Key::SchoolCards)}</h3>
                    {cards}
                    <h3>{l.text(Key::SchoolGrounds)}</h3>
                    {grounds}
                }
                .into_any()
            })}
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
            {is_admin().then(|| view! {
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
            {(pupil && is_admin()).then(|| view! { <PupilLogin school=school.get_value() person=person.get_value()/> })}
        </section>
    }
}
