//! The monthly attendance sheet: the provider picks a section and a month and fills, for each
//! child whose voucher is used there, the sessions held and attended (quickly, on a tablet:
//! Tab or Enter moves down the column, and whole-column actions fill every row), submits the
//! month in one request, and then follows each parent's answer.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::{Month, Own, attendance_status, month_label, recent_months, refusal_view, this_month};
use crate::api::{self, ApiError};
use crate::format;
use crate::gql::VoucherThreadKind;
use crate::gql::{self, AttendanceStatus};
use crate::i18n::Key;
use crate::ui::{EmptyState, PageTitle, fill, lang, loaded, t, table};
use adal_web::conversation::Conversation;

/// The most sessions a month can hold (the API's bound).
const MAX_SESSIONS: i64 = 62;

#[component]
pub fn SheetPage() -> impl IntoView {
    let data = api::query::<gql::ProviderSections>(|| gql::provider_sections::Variables {});
    let section = RwSignal::new(String::new());
    let month = RwSignal::new(this_month());
    view! {
        <PageTitle key=Key::SheetTitle/>
        {move || loaded(data.get(), move |d| {
            let own = Own::of(d);
            let standing = own.standing();
            if own.sections.is_empty() {
                return view! {
                    {standing}
                    <EmptyState title=Key::NoDataYet text=Key::ProviderNoSections/>
                }
                .into_any();
            }
            if section.with_untracked(String::is_empty)
                && let Some(first) = own.sections.first()
            {
                section.set(first.id.clone());
            }
            let options = own
                .sections
                .iter()
                .map(|s| {
                    let id = s.id.clone();
                    let value = id.clone();
                    view! { <option value=value selected=move || section.get() == id>{s.name.clone()}</option> }
                })
                .collect_view();
            view! {
                {standing}
                <div class="filters">
                    <div class="field">
                        <label for="sheet-section">{t(Key::SheetSection)}</label>
                        <select id="sheet-section" on:change=move |ev| section.set(event_target_value(&ev))>
                            {options}
                        </select>
                    </div>
                    <div class="field">
                        <label for="sheet-month">{t(Key::SheetMonth)}</label>
                        <select id="sheet-month" on:change=move |ev| {
                            if let Ok(m) = event_target_value(&ev).parse() {
                                month.set(m);
                            }
                        }>
                            {recent_months()
                                .into_iter()
                                .map(|m| view! {
                                    <option value=m.to_string() selected=move || month.get() == m>
                                        {move || month_label(lang(), m)}
                                    </option>
                                })
                                .collect_view()}
                        </select>
                    </div>
                </div>
                {move || {
                    let (s, m) = (section.get(), month.get());
                    view! { <Sheet section=s month=m/> }
                }}
            }
            .into_any()
        })}
    }
}

/// One child's line: their voucher, name, the figures being typed, and what was recorded.
#[derive(Clone)]
struct Line {
    voucher_id: String,
    name: String,
    held: RwSignal<String>,
    attended: RwSignal<String>,
    attendance: Option<gql::section_roster::SectionRosterVoucherSectionRosterAttendance>,
}

impl Line {
    /// Whether the provider may still send figures (nothing recorded, or not answered).
    fn editable(&self) -> bool {
        self.attendance
            .as_ref()
            .is_none_or(|a| a.status == Some(AttendanceStatus::Recorded))
    }
}

/// The figures of the lines to send, or the lines at fault.
fn rows_to_send(
    lines: &[Line],
) -> Result<Vec<gql::record_attendance::VoucherAttendanceRowInput>, ()> {
    let mut rows = Vec::new();
    for l in lines.iter().filter(|l| l.editable()) {
        let (held, attended) = (l.held.get_untracked(), l.attended.get_untracked());
        if held.trim().is_empty() && attended.trim().is_empty() {
            continue;
        }
        let held: i64 = held.trim().parse().map_err(|_| ())?;
        let attended: i64 = attended.trim().parse().map_err(|_| ())?;
        if !(0..=MAX_SESSIONS).contains(&held) || !(0..=held).contains(&attended) {
            return Err(());
        }
        rows.push(gql::record_attendance::VoucherAttendanceRowInput {
            voucher_id: l.voucher_id.clone(),
            sessions_held: held,
            sessions_attended: attended,
        });
    }
    Ok(rows)
}

/// Moves the focus to the element `id`; an input's text is selected (for typing over it).
fn focus(id: &str) -> bool {
    let Some(el) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id))
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    else {
        return false;
    };
    let _ = el.focus();
    if let Some(input) = el.dyn_ref::<web_sys::HtmlInputElement>() {
        input.select();
    }
    true
}

/// Tab and Enter go down the column (then to the top of the next column); Shift goes up.
fn on_key(ev: &leptos::ev::KeyboardEvent, column: &'static str, row: usize, rows: usize) {
    let key = ev.key();
    if key != "Enter" && key != "Tab" {
        return;
    }
    let target = if ev.shift_key() {
        match (column, row) {
            (_, r) if r > 0 => Some((column, r - 1)),
            ("attended", 0) => Some(("held", rows - 1)),
            _ => None,
        }
    } else {
        match (column, row) {
            (_, r) if r + 1 < rows => Some((column, r + 1)),
            ("held", _) => Some(("attended", 0)),
            _ => None,
        }
    };
    match target {
        // An answered child's inputs are read-only but still take the focus.
        Some((c, r)) if focus(&format!("sheet-{c}-{r}")) => ev.prevent_default(),
        None if key == "Enter" => {
            ev.prevent_default();
            focus("sheet-submit");
        }
        _ => {}
    }
}

const HEADS: [Key; 4] = [
    Key::SheetChild,
    Key::SheetHeld,
    Key::SheetAttended,
    Key::SheetState,
];

/// The sheet of one section and month.
#[component]
fn Sheet(section: String, month: Month) -> impl IntoView {
    let reload = RwSignal::new(0u32);
    let section_id = StoredValue::new(section);
    let roster = api::query::<gql::SectionRoster>(move || {
        reload.track();
        gql::section_roster::Variables {
            section_id: section_id.get_value(),
            month,
        }
    });
    let error: RwSignal<Option<ApiError>> = RwSignal::new(None);
    let invalid = RwSignal::new(false);
    let sent = RwSignal::new(false);
    let nothing = RwSignal::new(false);
    let busy = RwSignal::new(false);
    view! {
        <section class="panel sheet" aria-labelledby="sheet-title" data-section=section_id.get_value() data-month=month.to_string()>
            <h2 id="sheet-title">{move || month_label(lang(), month)}</h2>
            {move || loaded(roster.get(), move |d| {
                if d.voucher_section_roster.is_empty() {
                    return view! { <p class="empty-line" id="sheet-empty">{t(Key::SheetNoChildren)}</p> }.into_any();
                }
                let lines: Vec<Line> = d
                    .voucher_section_roster
                    .into_iter()
                    .map(|r| {
                        let figures = r.attendance.as_ref().map(|a| (a.sessions_held, a.sessions_attended));
                        Line {
                            voucher_id: r.voucher_id,
                            name: r.child_name.unwrap_or_default(),
                            held: RwSignal::new(figures.map(|f| f.0.to_string()).unwrap_or_default()),
                            attended: RwSignal::new(figures.map(|f| f.1.to_string()).unwrap_or_default()),
                            attendance: r.attendance,
                        }
                    })
                    .collect();
                let any_editable = lines.iter().any(Line::editable);
                let lines = StoredValue::new(lines);
                let held_all = RwSignal::new(String::new());
                let apply_held = move |_| {
                    let v = held_all.get_untracked();
                    lines.with_value(|ls| ls.iter().filter(|l| l.editable()).for_each(|l| l.held.set(v.clone())));
                };
                let all_attended = move |_| {
                    lines.with_value(|ls| {
                        ls.iter()
                            .filter(|l| l.editable())
                            .for_each(|l| l.attended.set(l.held.get_untracked()))
                    });
                };
                let submit = move |ev: leptos::ev::SubmitEvent| {
                    ev.prevent_default();
                    error.set(None);
                    sent.set(false);
                    nothing.set(false);
                    let rows = match lines.with_value(|ls| rows_to_send(ls)) {
                        Ok(rows) => rows,
                        Err(()) => {
                            invalid.set(true);
                            return;
                        }
                    };
                    invalid.set(false);
                    if rows.is_empty() {
                        nothing.set(true);
                        return;
                    }
                    let vars = gql::record_attendance::Variables {
                        section_id: section_id.get_value(),
                        month,
                        rows,
                    };
                    let request = api::send::<gql::RecordAttendance>(vars, Vec::new());
                    busy.set(true);
                    leptos::task::spawn_local(async move {
                        match request.await {
                            Ok(()) => {
                                sent.set(true);
                                reload.update(|n| *n += 1);
                            }
                            Err(e) => error.set(Some(e)),
                        }
                        busy.set(false);
                    });
                };
                let count = lines.with_value(Vec::len);
                let rows = lines.with_value(|ls| {
                    ls.iter().enumerate().map(|(i, line)| row_view(i, count, line)).collect_view()
                });
                let l = lang();
                view! {
                    <form id="sheet-form" on:submit=submit novalidate=true>
                        {any_editable.then(|| view! {
                            <p class="hint">{t(Key::SheetHint)}</p>
                            <div class="toolbar sheet-tools">
                                <div class="field">
                                    <label for="sheet-held-all">{t(Key::SheetHeldForAll)}</label>
                                    <input id="sheet-held-all" type="number" min="0" max="62" inputmode="numeric"
                                        prop:value=move || held_all.get()
                                        on:input=move |ev| held_all.set(event_target_value(&ev))
                                        on:keydown=move |ev| if ev.key() == "Enter" { ev.prevent_default(); apply_held(()); }/>
                                </div>
                                <button type="button" class="secondary" id="sheet-apply-held" on:click=move |_| apply_held(())>{t(Key::SheetApplyHeld)}</button>
                                <button type="button" class="secondary" id="sheet-all-attended" on:click=all_attended>{t(Key::SheetAllAttended)}</button>
                            </div>
                        })}
                        {table(l, "sheet", "sheet-table", &HEADS, rows.into_any())}
                        {move || invalid.get().then(|| view! { <p class="alert error" role="alert" id="sheet-invalid">{t(Key::SheetInvalidRow)}</p> })}
                        {move || nothing.get().then(|| view! { <p class="alert info" role="status">{t(Key::SheetNothingToSend)}</p> })}
                        {refusal_view(error)}
                        {move || sent.get().then(|| view! { <p class="alert success" role="status" id="sheet-sent">{t(Key::SheetSubmitted)}</p> })}
                        {any_editable.then(|| view! {
                            <button type="submit" id="sheet-submit" disabled=move || busy.get()>
                                {move || if busy.get() { t(Key::SheetSubmitting)() } else { t(Key::SheetSubmit)() }}
                            </button>
                        })}
                    </form>
                }
                .into_any()
            })}
        </section>
    }
}

fn row_view(i: usize, count: usize, line: &Line) -> impl IntoView + use<> {
    let l = lang();
    let editable = line.editable();
    let (held, attended) = (line.held, line.attended);
    let a = line.attendance.clone();
    let (label, class) = attendance_status(a.as_ref().and_then(|a| a.status));
    let status = a
        .as_ref()
        .and_then(|a| a.status)
        .map_or("NONE", AttendanceStatus::as_str);
    let mut notes = Vec::new();
    if let Some(a) = &a {
        if let Some(r) = a.dispute_reason.clone() {
            notes.push((
                "dispute-reason",
                fill(l.text(Key::SheetParentReason), &[("reason", r)]),
            ));
        }
        if let Some(r) = a.anomaly.clone() {
            notes.push((
                "anomaly",
                fill(l.text(Key::ProviderWhyFlagged), &[("reason", r)]),
            ));
        }
        if let Some(r) = a.resolution.clone() {
            notes.push((
                "resolution",
                fill(l.text(Key::SheetResolution), &[("reason", r)]),
            ));
        }
        if let Some(p) = a.payout {
            notes.push((
                "payout",
                fill(
                    l.text(Key::SheetPaid),
                    &[("amount", format::money(l, p * 100))],
                ),
            ));
        }
    }
    let notes = notes
        .into_iter()
        .map(|(class, text)| view! { <span class=format!("note {class}")>{text}</span> })
        .collect_view();
    // A disputed or flagged month (and its resolution) has a conversation with the parent and
    // the akimat.
    let thread = a
        .as_ref()
        .filter(|a| a.dispute_reason.is_some() || a.anomaly.is_some())
        .map(|a| (a.id.clone(), a.unread_messages));
    let name = line.name.clone();
    let held_label = format!("{} — {}", l.text(Key::SheetHeld), name);
    let attended_label = format!("{} — {}", l.text(Key::SheetAttended), name);
    view! {
        <tr data-voucher=line.voucher_id.clone() data-status=status>
            <th scope="row" class="child">{name}</th>
            <td>
                <input id=format!("sheet-held-{i}") class="held" type="number" min="0" max="62" inputmode="numeric"
                    aria-label=held_label readonly=!editable
                    prop:value=move || held.get()
                    on:input=move |ev| held.set(event_target_value(&ev))
                    on:keydown=move |ev| on_key(&ev, "held", i, count)/>
            </td>
            <td>
                <input id=format!("sheet-attended-{i}") class="attended" type="number" min="0" max="62" inputmode="numeric"
                    aria-label=attended_label readonly=!editable
                    prop:value=move || attended.get()
                    on:input=move |ev| attended.set(event_target_value(&ev))
                    on:keydown=move |ev| on_key(&ev, "attended", i, count)/>
            </td>
            <td class="state">
                <span class=class>{l.text(label)}</span>
                {notes}
                {thread.map(|(id, unread)| view! { <Conversation kind=VoucherThreadKind::Attendance id=id unread=unread/> })}
            </td>
        </tr>
    }
}
