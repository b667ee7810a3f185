//! Today: the register of a day by class, staff present, who is inside now, and the
//! devices with their last event (an offline one flagged), and the day's refused and
//! flagged events.

use std::collections::BTreeMap;

use leptos::prelude::*;

use crate::api;
use crate::format;
use crate::gql::school::{self as gs, DeviceKind, MemberKind};
use crate::i18n::{Key, Lang};
use crate::pages::common::{refusal, today, with_school};
use crate::ui::{PageTitle, Stat, lang, loaded, local_time, t, table};

/// A device silent for longer than this is flagged offline.
const OFFLINE_AFTER_MS: f64 = 30.0 * 60.0 * 1000.0;

#[component]
pub fn TodayPage() -> impl IntoView {
    view! {
        <PageTitle key=Key::NavSchoolToday/>
        {with_school(|s| view! { <Today school=s/> }.into_any())}
    }
}

#[derive(Default)]
struct ClassDay {
    grade: i64,
    present: i64,
    absent: i64,
    late: i64,
    missing: Vec<String>,
    late_names: Vec<String>,
}

#[component]
fn Today(school: String) -> impl IntoView {
    let day = RwSignal::new(today());
    let school = StoredValue::new(school);
    let data = api::query::<gs::SchoolToday>(move || gs::school_today::Variables {
        school_id: school.get_value(),
        day: day.get(),
    });
    view! {
        <div class="form-row">
            <div class="field">
                <label for="school-day">{t(Key::SchoolDay)}</label>
                <input
                    id="school-day"
                    type="date"
                    prop:value=move || day.get()
                    on:change=move |ev| {
                        let v = event_target_value(&ev);
                        if !v.is_empty() {
                            day.set(v);
                        }
                    }
                />
            </div>
        </div>
        {move || loaded(data.get(), |d| register(lang(), d))}
    }
}

fn register(l: Lang, d: gs::school_today::ResponseData) -> AnyView {
    let mut classes: BTreeMap<(i64, String), ClassDay> = BTreeMap::new();
    let (mut present, mut absent, mut late, mut staff) = (0i64, 0i64, 0i64, 0i64);
    let mut inside = Vec::new();
    for row in d.school_attendance {
        let m = row.member;
        let day = row.day;
        let here = day.first_entry.is_some() || day.last_exit.is_some();
        let name = m.name.clone().unwrap_or_default();
        if day.inside {
            let place = match &m.class {
                Some(c) => c.name.clone(),
                None => m.position.clone().unwrap_or_default(),
            };
            inside.push((
                name.clone(),
                place,
                day.first_entry_local.clone().unwrap_or_default(),
            ));
        }
        if m.kind == Some(MemberKind::Staff) || m.class.is_none() {
            staff += i64::from(here);
            continue;
        }
        let Some(class) = m.class else { continue };
        let c = classes.entry((class.grade, class.name)).or_default();
        c.grade = class.grade;
        if here {
            present += 1;
            c.present += 1;
        }
        if day.absent {
            absent += 1;
            c.absent += 1;
            c.missing.push(name.clone());
        }
        if day.late {
            late += 1;
            c.late += 1;
            let at = day.first_entry_local.clone().unwrap_or_default();
            c.late_names
                .push([name.as_str(), " (", at.as_str(), ")"].concat());
        }
    }
    let n = move |v: i64| Signal::derive(move || format::number(lang(), v));
    let class_rows = classes
        .into_iter()
        .map(|((_, name), c)| {
            let mut who = Vec::new();
            if !c.missing.is_empty() {
                who.push(
                    [
                        l.text(Key::SchoolAbsent),
                        ": ",
                        &crate::ui::joined(c.missing),
                    ]
                    .concat(),
                );
            }
            if !c.late_names.is_empty() {
                who.push(
                    [
                        l.text(Key::SchoolLate),
                        ": ",
                        &crate::ui::joined(c.late_names),
                    ]
                    .concat(),
                );
            }
            let who = who.join("; ");
            view! {
                <tr>
                    <th scope="row">{name}</th>
                    <td class="num">{format::number(l, c.present)}</td>
                    <td class="num">{format::number(l, c.absent)}</td>
                    <td class="num">{format::number(l, c.late)}</td>
                    <td>{who}</td>
                </tr>
            }
        })
        .collect_view()
        .into_any();
    let inside_view = if inside.is_empty() {
        view! { <p class="muted">{l.text(Key::SchoolNobodyInside)}</p> }.into_any()
    } else {
        let rows = inside
            .into_iter()
            .map(
                |(name, place, at)| view! { <tr><td>{name}</td><td>{place}</td><td>{at}</td></tr> },
            )
            .collect_view()
            .into_any();
        table(
            l,
            "inside-now",
            "",
            &[Key::SchoolName, Key::SchoolClass, Key::SchoolEntered],
            rows,
        )
    };
    let names: Vec<(String, String)> = d
        .school_devices
        .iter()
        .map(|x| (x.id.clone(), x.name.clone()))
        .collect();
    let flagged = if d.school_events.is_empty() {
        view! { <p class="muted">{l.text(Key::SchoolNoFlagged)}</p> }.into_any()
    } else {
        let rows = d
            .school_events
            .into_iter()
            .map(|e| {
                let device = names
                    .iter()
                    .find(|(id, _)| *id == e.device_id)
                    .map(|(_, n)| n.clone())
                    .unwrap_or_default();
                let mut what: Vec<String> = Vec::new();
                if let Some(code) = &e.refused {
                    what.push(refusal(l, code, &[]));
                }
                if e.late {
                    what.push(l.text(Key::SchoolFlagLate).to_string());
                }
                if e.clock_suspect {
                    what.push(l.text(Key::SchoolFlagClock).to_string());
                }
                view! {
                    <tr>
                        <td>{local_time(l, &e.happened_at)}</td>
                        <td>{e.name.unwrap_or_default()}</td>
                        <td>{device}</td>
                        <td>{crate::ui::joined(what)}</td>
                    </tr>
                }
            })
            .collect_view()
            .into_any();
        table(
            l,
            "flagged",
            "",
            &[
                Key::SchoolTime,
                Key::SchoolName,
                Key::SchoolDevice,
                Key::Status,
            ],
            rows,
        )
    };
    let now = js_sys::Date::now();
    let device_rows = d
        .school_devices
        .into_iter()
        .map(|dev| {
            let seen = dev
                .last_seen_at
                .as_deref()
                .map(js_sys::Date::parse)
                .filter(|ms| !ms.is_nan());
            let offline = seen.is_none_or(|ms| now - ms > OFFLINE_AFTER_MS);
            let kind = match dev.kind {
                Some(DeviceKind::Till) => Key::SchoolDeviceTill,
                _ => Key::SchoolDeviceTurnstile,
            };
            let last = match &dev.last_seen_at {
                Some(at) => local_time(l, at),
                None => l.text(Key::SchoolNever).to_string(),
            };
            let (class, status) = if offline {
                ("device offline", Key::SchoolOffline)
            } else {
                ("device", Key::SchoolOnline)
            };
            let badge = if offline { "badge warn" } else { "badge ok" };
            view! {
                <tr class=class>
                    <td>{dev.name}</td>
                    <td>{l.text(kind)}</td>
                    <td>{last}</td>
                    <td class="num">{format::number(l, dev.last_seq)}</td>
                    <td><span class=badge>{l.text(status)}</span></td>
                </tr>
            }
        })
        .collect_view()
        .into_any();
    view! {
        <ul class="stats">
            <Stat id="stat-present" label=Key::SchoolPupilsPresent value=n(present)/>
            <Stat id="stat-absent" label=Key::SchoolPupilsAbsent value=n(absent)/>
            <Stat id="stat-late" label=Key::SchoolPupilsLate value=n(late)/>
            <Stat id="stat-staff" label=Key::SchoolStaffPresent value=n(staff)/>
        </ul>
        <section class="panel" aria-labelledby="by-class-title">
            <h2 id="by-class-title">{l.text(Key::SchoolByClass)}</h2>
            {table(
                l,
                "by-class",
                "",
                &[Key::SchoolClass, Key::SchoolPresent, Key::SchoolAbsent, Key::SchoolLate, Key::SchoolWhoAbsentLate],
                class_rows,
            )}
        </section>
        <section class="panel" aria-labelledby="inside-title">
            <h2 id="inside-title">{l.text(Key::SchoolInsideNow)}</h2>
            {inside_view}
        </section>
        <section class="panel" aria-labelledby="devices-title">
            <h2 id="devices-title">{l.text(Key::SchoolDevices)}</h2>
            {table(
                l,
                "devices",
                "",
                &[Key::SchoolDevice, Key::Kind, Key::SchoolLastEvent, Key::SchoolLastSeq, Key::Status],
                device_rows,
            )}
        </section>
        <section class="panel" aria-labelledby="flagged-title">
            <h2 id="flagged-title">{l.text(Key::SchoolFlagged)}</h2>
            {flagged}
        </section>
    }
    .into_any()
}
