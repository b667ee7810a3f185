//! The canteen till on a tablet: the till chosen once (kept in the browser), a card read
//! (a USB reader types the card's number and Enter), who the pupil is and how they eat
//! today (beside their photo, so staff see the card is the pupil's own), today's menu as
//! toggles, and Serve. A dish with an allergen the parent blocked is
//! stopped, naming the allergen; staff may lift the block with a reason. Each meal carries
//! the till's rising number, and a meal sent again after a lost answer carries the same one.

use leptos::html::Input;
use leptos::prelude::*;

use crate::api::{self, ApiError, ErrorCode};
use crate::gql::school::{self as gs, Allergen, DeviceKind, SchoolEventStatus};
use crate::i18n::Key;
use crate::pages::common::{
    allergen_names, charge_key, refusal, store, stored, tenge, today, with_school,
};
use crate::ui::{EmptyState, PageTitle, error_view, fill, lang, loaded, t};

const DEVICE_KEY: &str = "adal.till.device";

#[component]
pub fn TillPage() -> impl IntoView {
    view! {
        <PageTitle key=Key::NavSchoolTill/>
        {with_school(|s| view! { <Till school=s/> }.into_any())}
    }
}

#[component]
fn Till(school: String) -> impl IntoView {
    let school = StoredValue::new(school);
    let devices = api::query::<gs::SchoolDevices>(move || gs::school_devices::Variables {
        school_id: school.get_value(),
    });
    let device: RwSignal<Option<String>> = RwSignal::new(stored(DEVICE_KEY));
    move || {
        loaded(devices.get(), move |d| {
            let tills: Vec<(String, String, i64)> = d
                .school_devices
                .into_iter()
                .filter(|x| x.kind == Some(DeviceKind::Till))
                .map(|x| (x.id, x.name, x.last_seq))
                .collect();
            if tills.is_empty() {
                return view! { <EmptyState title=Key::NavSchoolTill text=Key::TillNoDevices/> }
                    .into_any();
            }
            let chosen = device
                .get()
                .and_then(|id| tills.iter().find(|(d, _, _)| *d == id).cloned());
            match chosen {
                Some((id, name, last_seq)) => view! {
                    <p class="toolbar">
                        <strong id="till-name">{name}</strong>
                        " "
                        <button type="button" class="secondary" id="till-change" on:click=move |_| device.set(None)>
                            {t(Key::TillChangeDevice)}
                        </button>
                    </p>
                    <Counter school=school.get_value() device=id last_seq=last_seq/>
                }
                .into_any(),
                None => {
                    let buttons = tills
                        .into_iter()
                        .map(|(id, name, _)| {
                            view! {
                                <li>
                                    <button type="button" class="till-choice" on:click=move |_| {
                                        store(DEVICE_KEY, &id);
                                        device.set(Some(id.clone()));
                                    }>{name}</button>
                                </li>
                            }
                        })
                        .collect_view();
                    view! {
                        <section class="panel" aria-labelledby="till-choose">
                            <h2 id="till-choose">{t(Key::TillChooseDevice)}</h2>
                            <ul class="toggles">{buttons}</ul>
                        </section>
                    }
                    .into_any()
                }
            }
        })
    }
}

/// The next number of this till's meals: above what Adal stored from it and above what this
/// browser sent, kept before it is sent.
fn next_seq(device: &str, last_seq: i64) -> i64 {
    let key = format!("adal.till.seq.{device}");
    let sent: i64 = stored(&key).and_then(|s| s.parse().ok()).unwrap_or(0);
    let seq = (last_seq + 1).max(sent + 1);
    store(&key, &seq.to_string());
    seq
}

type Pupil = gs::school_till_pupil::SchoolTillPupilTillPupil;
type Answer = gs::school_serve::SchoolServeServeAtTill;

#[component]
fn Counter(school: String, device: String, last_seq: i64) -> impl IntoView {
    let school = StoredValue::new(school);
    let device = StoredValue::new(device);
    let card = RwSignal::new(String::new());
    let credential = RwSignal::new(String::new());
    let pupil: RwSignal<Option<Pupil>> = RwSignal::new(None);
    let chosen: RwSignal<Vec<String>> = RwSignal::new(Vec::new());
    let answer: RwSignal<Option<Answer>> = RwSignal::new(None);
    let error: RwSignal<Option<ApiError>> = RwSignal::new(None);
    let notice: RwSignal<Option<Key>> = RwSignal::new(None);
    // The meal sent whose answer is not in: (seq, credential, dishes), re-sent as is.
    let pending: RwSignal<Option<(i64, String, Vec<String>)>> = RwSignal::new(None);
    let busy = RwSignal::new(false);
    // The allergens being lifted (the dish's), with the reason typed.
    let lifting: RwSignal<Option<Vec<Allergen>>> = RwSignal::new(None);
    let reason = RwSignal::new(String::new());
    let input: NodeRef<Input> = NodeRef::new();
    let focus_card = move || {
        if let Some(i) = input.get_untracked() {
            let _ = i.focus();
        }
    };
    Effect::new(move |_| {
        if let Some(i) = input.get() {
            let _ = i.focus();
        }
    });
    let menu = api::query::<gs::SchoolMenu>(move || gs::school_menu::Variables {
        school_id: school.get_value(),
        day: today(),
    });

    let read_card = move |value: String| {
        error.set(None);
        notice.set(None);
        answer.set(None);
        chosen.set(Vec::new());
        lifting.set(None);
        let value = value.trim().to_string();
        if value.is_empty() {
            return;
        }
        credential.set(value.clone());
        busy.set(true);
        leptos::task::spawn_local(async move {
            match api::call::<gs::SchoolTillPupil>(gs::school_till_pupil::Variables {
                school_id: school.get_value(),
                credential: value,
            })
            .await
            {
                Ok(d) => pupil.set(Some(d.till_pupil)),
                Err(e) => {
                    pupil.set(None);
                    error.set(Some(e));
                }
            }
            busy.set(false);
        });
    };
    let on_read = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let v = card.get_untracked();
        card.set(String::new());
        read_card(v);
    };

    let serve = move || {
        error.set(None);
        notice.set(None);
        let dishes = chosen.get_untracked();
        if dishes.is_empty() {
            notice.set(Some(Key::TillChooseDish));
            return;
        }
        let cred = credential.get_untracked();
        let seq = match pending.get_untracked() {
            Some((s, c, d)) if c == cred && d == dishes => s,
            _ => next_seq(&device.get_value(), last_seq),
        };
        pending.set(Some((seq, cred.clone(), dishes.clone())));
        busy.set(true);
        leptos::task::spawn_local(async move {
            let vars = gs::school_serve::Variables {
                school_id: school.get_value(),
                meal: gs::school_serve::TillMealInput {
                    device_id: device.get_value(),
                    seq,
                    credential: cred.clone(),
                    method: None,
                    dish_ids: dishes,
                },
            };
            match api::call::<gs::SchoolServe>(vars).await {
                Ok(d) => {
                    pending.set(None);
                    let a = d.serve_at_till;
                    let served = a.status != SchoolEventStatus::Refused;
                    answer.set(Some(a));
                    if served {
                        chosen.set(Vec::new());
                        // The pupil's next meal is charged anew.
                        if let Ok(p) =
                            api::call::<gs::SchoolTillPupil>(gs::school_till_pupil::Variables {
                                school_id: school.get_value(),
                                credential: cred,
                            })
                            .await
                        {
                            pupil.set(Some(p.till_pupil));
                        }
                    }
                    focus_card();
                }
                // No answer: the same number goes again with the next Serve.
                Err(e) if e.code == ErrorCode::Network => {
                    notice.set(Some(Key::TillRetryHint));
                    error.set(Some(e));
                }
                Err(e) => {
                    pending.set(None);
                    error.set(Some(e));
                }
            }
            busy.set(false);
        });
    };

    let lift = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(list) = lifting.get_untracked() else {
            return;
        };
        let Some(child) = pupil
            .get_untracked()
            .and_then(|p| p.member)
            .map(|m| m.person_id)
        else {
            return;
        };
        let why = reason.get_untracked().trim().to_string();
        if why.is_empty() {
            notice.set(Some(Key::TillOverrideReason));
            return;
        }
        error.set(None);
        busy.set(true);
        leptos::task::spawn_local(async move {
            for a in list {
                let sent = api::call::<gs::SchoolLiftBlock>(gs::school_lift_block::Variables {
                    school_id: school.get_value(),
                    child_id: child.clone(),
                    allergen: a,
                    reason: why.clone(),
                    valid_to: Some(today()),
                })
                .await;
                if let Err(e) = sent {
                    error.set(Some(e));
                    busy.set(false);
                    return;
                }
            }
            lifting.set(None);
            reason.set(String::new());
            notice.set(Some(Key::TillOverrideDone));
            if let Ok(p) = api::call::<gs::SchoolTillPupil>(gs::school_till_pupil::Variables {
                school_id: school.get_value(),
                credential: credential.get_untracked(),
            })
            .await
            {
                pupil.set(Some(p.till_pupil));
            }
            busy.set(false);
        });
    };

    let pupil_view = move || {
        let l = lang();
        pupil.get().map(|p| {
            if let Some(code) = &p.refused {
                return view! {
                    <div class="alert error" role="alert" id="till-refused">{refusal(l, code, &[])}</div>
                }
                .into_any();
            }
            let (name, class, photo) = p
                .member
                .as_ref()
                .map(|m| {
                    (
                        m.name.clone().unwrap_or_default(),
                        m.class.as_ref().map(|c| c.name.clone()).unwrap_or_default(),
                        m.photo.clone(),
                    )
                })
                .unwrap_or_default();
            let face = match photo {
                Some(src) => view! { <img id="till-photo" class="face" src=src alt=name.clone()/> }.into_any(),
                None => view! { <div class="face no-face" id="till-no-photo">{l.text(Key::SchoolNoPhoto)}</div> }.into_any(),
            };
            let charge = p.charge.map(|c| l.text(charge_key(c))).unwrap_or_default();
            let badge = match p.charge {
                Some(gs::MealCharge::Free) => "badge ok",
                Some(gs::MealCharge::Reduced) => "badge warn",
                _ => "badge",
            };
            let ground = p.ground.as_deref().map(|g| crate::labels::meal_ground(l, g));
            let balance = tenge(l, p.balance.unwrap_or(0));
            view! {
                <section class="panel till-pupil" id="till-pupil" aria-live="polite">
                    {face}
                    <div class="till-who">
                        <h2 id="till-pupil-name">{name}</h2>
                        <p>
                            <span id="till-class">{class}</span>
                            " · "
                            <span class=badge id="till-charge">{charge}</span>
                            {ground.map(|g| view! { " " <span id="till-ground">{g}</span> })}
                        </p>
                        <p>{l.text(Key::TillBalance)} ": " <strong id="till-balance">{balance}</strong></p>
                        {p.subsidised_used.then(|| view! { <p class="muted">{l.text(Key::TillSubsidisedUsed)}</p> })}
                    </div>
                </section>
            }
            .into_any()
        })
    };

    let answer_view = move || {
        let l = lang();
        answer.get().map(|a| {
            if a.status == SchoolEventStatus::Refused {
                let text = refusal(l, a.code.as_deref().unwrap_or(""), &a.allergens);
                return view! { <div class="alert error" role="alert" id="till-answer">{text}</div> }
                    .into_any();
            }
            let served = fill(
                l.text(Key::TillServed),
                &[
                    (
                        "charge",
                        a.charge
                            .map(|c| l.text(charge_key(c)))
                            .unwrap_or_default()
                            .to_string(),
                    ),
                    ("price", tenge(l, a.price.unwrap_or(0))),
                    ("balance", tenge(l, a.balance.unwrap_or(0))),
                ],
            );
            let dup = (a.status == SchoolEventStatus::Duplicate)
                .then(|| view! { <span class="detail">{l.text(Key::TillDuplicate)}</span> });
            view! {
                <div class="alert success" role="status" id="till-answer">
                    <strong>{served}</strong>
                    {dup}
                </div>
            }
            .into_any()
        })
    };

    let menu_view = move || {
        let can_choose = pupil.with(|p| p.as_ref().is_some_and(|p| p.refused.is_none()));
        let blocked: Vec<Allergen> = pupil.with(|p| {
            p.as_ref()
                .map(|p| p.blocked_allergens.clone())
                .unwrap_or_default()
        });
        loaded(menu.get(), move |d| {
            let l = lang();
            if d.school_menu.is_empty() {
                return view! { <p class="muted">{l.text(Key::TillNoMenu)}</p> }.into_any();
            }
            d.school_menu
                .into_iter()
                .map(|dish| {
                    let stops: Vec<Allergen> = dish
                        .allergens
                        .iter()
                        .copied()
                        .filter(|a| blocked.contains(a))
                        .collect();
                    let stopped = !stops.is_empty();
                    let id = dish.id.clone();
                    let pressed = {
                        let id = id.clone();
                        move || chosen.with(|c| c.contains(&id)).to_string()
                    };
                    let toggle = move |_| {
                        chosen.update(|c| {
                            if let Some(i) = c.iter().position(|x| *x == id) {
                                c.remove(i);
                            } else {
                                c.push(id.clone());
                            }
                        })
                    };
                    let label = format!("{} · {}", dish.name, tenge(l, dish.price));
                    let block = stopped.then(|| {
                        let names = allergen_names(l, &stops);
                        view! {
                            <span class="badge bad dish-blocked">
                                {fill(l.text(Key::TillBlocked), &[("allergens", names)])}
                            </span>
                            <button type="button" class="secondary lift" on:click=move |_| {
                                reason.set(String::new());
                                lifting.set(Some(stops.clone()));
                            }>{l.text(Key::TillOverride)}</button>
                        }
                    });
                    let allergens = (!dish.allergens.is_empty()).then(|| {
                        view! { <span class="muted">{allergen_names(l, &dish.allergens)}</span> }
                    });
                    view! {
                        <li class="dish">
                            <button
                                type="button"
                                class="toggle"
                                aria-pressed=pressed
                                disabled=!can_choose || stopped
                                on:click=toggle
                            >
                                {label}
                            </button>
                            {allergens}
                            {block}
                        </li>
                    }
                })
                .collect_view()
                .into_any()
        })
    };

    let lift_form = move || {
        lifting.get().map(|list| {
            let l = lang();
            view! {
                <form class="panel form-row" id="lift-form" on:submit=lift>
                    <div class="field">
                        <label for="lift-reason">
                            {l.text(Key::TillOverrideReason)} " (" {allergen_names(l, &list)} ")"
                        </label>
                        <input
                            id="lift-reason"
                            autofocus=true
                            prop:value=move || reason.get()
                            on:input=move |ev| reason.set(event_target_value(&ev))
                        />
                    </div>
                    <button type="submit" id="lift-confirm" disabled=move || busy.get()>{l.text(Key::TillOverride)}</button>
                    <button type="button" class="secondary" on:click=move |_| lifting.set(None)>{l.text(Key::Cancel)}</button>
                </form>
            }
        })
    };

    view! {
        <div class="till">
            <form class="form-row" id="till-card-form" on:submit=on_read>
                <div class="field">
                    <label for="till-card">{t(Key::TillCard)}</label>
                    <input
                        id="till-card"
                        node_ref=input
                        autocomplete="off"
                        inputmode="numeric"
                        prop:value=move || card.get()
                        on:input=move |ev| card.set(event_target_value(&ev))
                    />
                    <p class="hint">{t(Key::TillCardHint)}</p>
                </div>
                <button type="submit" id="till-read">{t(Key::TillRead)}</button>
            </form>
            {error_view(error)}
            {move || notice.get().map(|k| view! { <div class="alert info" role="status" id="till-notice">{t(k)}</div> })}
            {pupil_view}
            {lift_form}
            <section class="panel" aria-labelledby="till-menu-title">
                <h2 id="till-menu-title">{t(Key::TillTodayMenu)}</h2>
                <ul class="toggles" id="till-menu">{menu_view}</ul>
                <p class="actions">
                    <button
                        type="button"
                        id="till-serve"
                        disabled=move || busy.get() || pupil.with(|p| p.as_ref().is_none_or(|p| p.refused.is_some()))
                        on:click=move |_| serve()
                    >
                        {t(Key::TillServe)}
                    </button>
                </p>
            </section>
            {answer_view}
        </div>
    }
}
