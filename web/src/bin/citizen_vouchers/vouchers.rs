//! The parent's vouchers for additional education, phone first: each application's place in
//! the queue and why, applying for a child the registry links to the parent (no IIN typed),
//! the section the voucher is used at (chosen from a catalogue, moved from next month), the
//! months of attendance to confirm or dispute in two taps, and each month's cost.
//!
//! What another family's application holds never reaches the page: the API finds only the
//! caller's children's rows (`voucherApplication` answers `NOT_FOUND` for any other).

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};

use crate::api::{self, ApiError, ErrorCode};
use crate::format;
use crate::gql::parent_vouchers::{
    self as q, VoucherApplicationStatus as AppStatus, VoucherCampaignStatus, VoucherCategoryStatus,
    VoucherStatus, VoucherTieRule,
};
use crate::gql::{AttendanceStatus, ClubDirection};
use crate::i18n::{Key, Lang};
use crate::ui::{EmptyState, PageTitle, error_view, fill, lang, loaded, local_time, non_empty, t};
use adal_web::conversation::{Conversation, unread_badge};
use adal_web::gql::VoucherThreadKind;
use adal_web::vouchers::{self, day_key, direction_key};

/// A price in whole tenge as money.
fn tenge(l: Lang, amount: i64) -> String {
    format::money(l, amount.saturating_mul(100))
}

/// A month as the API writes it (`YYYYMM`), as people write it: 03.2027.
fn month(m: i64) -> String {
    format!("{:02}.{}", m % 100, m / 100)
}

fn direction(l: Lang, d: Option<ClubDirection>) -> &'static str {
    l.text(direction_key(d))
}

/// A weekly session: "Mon 16:00–17:30".
fn slot(l: Lang, day: i64, start: &str, end: &str) -> String {
    format!("{} {start}–{end}", l.text(day_key(day)))
}

/// The label and badge of an application: the voucher's end when it ended, else its status.
fn status_badge(s: Option<AppStatus>, v: Option<VoucherStatus>) -> (Key, &'static str) {
    match (s, v) {
        (_, Some(VoucherStatus::Lapsed)) => (Key::VchVoucherLapsed, "badge bad"),
        (_, Some(VoucherStatus::Ended)) => (Key::VchVoucherEnded, "badge bad"),
        (_, Some(VoucherStatus::Declined)) => (Key::VchVoucherDeclined, "badge"),
        (Some(AppStatus::Issued), _) => (Key::VchStatusIssued, "badge ok"),
        (Some(AppStatus::Queued), _) => (Key::VchStatusQueued, "badge warn"),
        (Some(AppStatus::Held), _) => (Key::VchStatusHeld, "badge warn"),
        (Some(AppStatus::Refused), _) => (Key::VchStatusRefused, "badge bad"),
        _ => (Key::VchStatusSubmitted, "badge"),
    }
}

fn badge(l: Lang, (key, class): (Key, &'static str)) -> impl IntoView + use<> {
    view! { <span class=class>{l.text(key)}</span> }
}

/// A month of attendance as the parent reads it.
fn attendance_badge(s: Option<AttendanceStatus>) -> (Key, &'static str) {
    match s {
        Some(AttendanceStatus::Recorded) => (Key::VchMonthWaiting, "badge warn"),
        Some(AttendanceStatus::Confirmed) => (Key::SheetConfirmed, "badge ok"),
        Some(AttendanceStatus::AutoConfirmed) => (Key::SheetAutoConfirmed, "badge ok"),
        Some(AttendanceStatus::Disputed) => (Key::SheetDisputed, "badge bad"),
        Some(AttendanceStatus::Upheld) => (Key::SheetUpheld, "badge ok"),
        _ => (Key::SheetRejected, "badge bad"),
    }
}

fn number(l: Lang, n: Option<i64>) -> String {
    n.map_or_else(|| "—".to_string(), |n| format::number(l, n))
}

/// "‹ Vouchers": back to the list.
fn back() -> impl IntoView {
    view! { <p><a href="/citizen/vouchers" id="vch-back">"‹ " {t(Key::NavVouchers)}</a></p> }
}

// ---- the list: months to answer, then the applications ----

/// `/citizen/vouchers`: the months waiting for the parent's answer and every application.
#[component]
pub fn MyVouchers() -> impl IntoView {
    let reload = RwSignal::new(0u32);
    let data = api::query::<q::MyVouchers>(move || {
        reload.track();
        q::my_vouchers::Variables {}
    });
    let answered: RwSignal<Option<Key>> = RwSignal::new(None);
    let navigate = use_navigate();
    view! {
        <PageTitle key=Key::NavVouchers/>
        <p class="actions">
            <button type="button" id="vch-apply" on:click=move |_| navigate("/vouchers/apply", Default::default())>
                {t(Key::VchApply)}
            </button>
        </p>
        {move || answered.get().map(|k| view! { <p class="alert success" role="status" id="vch-answered">{t(k)}</p> })}
        {move || loaded(data.get(), |d| home(d, reload, answered))}
    }
}

fn home(
    d: q::my_vouchers::ResponseData,
    reload: RwSignal<u32>,
    answered: RwSignal<Option<Key>>,
) -> AnyView {
    let l = lang();
    let apps = d.my_voucher_applications;
    if apps.is_empty() {
        return view! { <EmptyState title=Key::NoDataYet text=Key::EmptyParentVouchers/> }
            .into_any();
    }
    // The days the campaign gives to answer, by voucher.
    let days_of = |voucher: &str| {
        apps.iter()
            .find(|a| a.voucher.as_ref().is_some_and(|v| v.id == voucher))
            .map_or(0, |a| a.campaign.confirm_days)
    };
    let mut waiting = d.voucher_attendance;
    // The newest month first: the older ones are past their days to answer.
    waiting.sort_by_key(|m| -m.month);
    let months = if waiting.is_empty() {
        view! { <p class="muted">{l.text(Key::VchNothingToAnswer)}</p> }.into_any()
    } else {
        waiting
            .into_iter()
            .map(|m| {
                let days = days_of(&m.voucher_id);
                view! { <WaitingMonth m=m days=days reload=reload answered=answered/> }
            })
            .collect_view()
            .into_any()
    };
    let cards = apps
        .into_iter()
        .map(|a| {
            let v = a.voucher.as_ref();
            let summary = match (a.status, v) {
                (Some(AppStatus::Issued), Some(v)) => fill(
                    l.text(Key::VchValueMonths),
                    &[
                        ("value", tenge(l, v.monthly_value)),
                        ("from", month(v.first_month)),
                        ("to", month(v.last_month)),
                    ],
                ),
                (_, _) if a.rank.is_some() => fill(
                    l.text(Key::VchPlaceScore),
                    &[("rank", number(l, a.rank)), ("score", number(l, a.score))],
                ),
                _ => String::new(),
            };
            let href = format!("/citizen/vouchers/{}", a.id);
            let new = unread_badge(a.unread_messages);
            view! {
                <li class="card vch-app" data-application=a.id>
                    <h3>{a.child_name} {new}</h3>
                    <p class="muted">{a.campaign.name} " · " {direction(l, a.direction)}</p>
                    <p class="status-line">{badge(l, status_badge(a.status, v.and_then(|v| v.status)))} {summary}</p>
                    <a href=href class="vch-open">{l.text(Key::VchOpen)}</a>
                </li>
            }
        })
        .collect_view();
    view! {
        <section class="panel" aria-labelledby="vch-months-title">
            <h2 id="vch-months-title">{l.text(Key::VchWaitingTitle)}</h2>
            <ul class="cards" id="vch-waiting">{months}</ul>
        </section>
        <h2>{l.text(Key::VchApplicationsTitle)}</h2>
        <ul class="cards" id="vch-apps">{cards}</ul>
    }
    .into_any()
}

/// The reasons a parent disputes a month with one tap.
const DISPUTE_REASONS: [Key; 3] = [
    Key::VchReasonFewer,
    Key::VchReasonNone,
    Key::VchReasonNotHeld,
];

/// A month the section recorded: confirm (one tap), or dispute and tap the reason (two).
#[component]
fn WaitingMonth(
    m: q::my_vouchers::MyVouchersVoucherAttendance,
    days: i64,
    reload: RwSignal<u32>,
    answered: RwSignal<Option<Key>>,
) -> impl IntoView {
    let l = lang();
    let recorded = js_sys::Date::new(&wasm_bindgen::JsValue::from_str(&m.recorded_at)).get_time();
    let deadline = recorded + days as f64 * 86_400_000.0;
    let open = deadline > js_sys::Date::now();
    let by: String = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(deadline))
        .to_iso_string()
        .into();
    let disputing = RwSignal::new(false);
    let other = RwSignal::new(String::new());
    let error: RwSignal<Option<ApiError>> = RwSignal::new(None);
    let id = StoredValue::new(m.id.clone());
    let answer = move |confirm: bool, reason: Option<String>| {
        error.set(None);
        let sent = api::send::<q::AnswerVoucherMonth>(
            q::answer_voucher_month::Variables {
                id: id.get_value(),
                confirm,
                reason,
            },
            Vec::new(),
        );
        leptos::task::spawn_local(async move {
            match sent.await {
                Ok(()) => {
                    answered.set(Some(if confirm {
                        Key::VchConfirmed
                    } else {
                        Key::VchDisputed
                    }));
                    reload.update(|n| *n += 1);
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let other_id = format!("vch-other-{}", m.id);
    let actions = if open {
        let reasons = move || {
            DISPUTE_REASONS.map(|k| {
                view! {
                    <button type="button" class="secondary vch-reason"
                        on:click=move |_| answer(false, Some(lang().text(k).to_string()))>{t(k)}</button>
                }
            })
        };
        let on_other = move |ev: SubmitEvent| {
            ev.prevent_default();
            if let Some(r) = non_empty(other.get_untracked()) {
                answer(false, Some(r));
            }
        };
        let dispute = move || {
            disputing.get().then(|| {
                view! {
                    <div class="vch-reasons">
                        <p><strong>{t(Key::VchWhyDispute)}</strong></p>
                        <div class="actions">{reasons()}</div>
                        <form class="vch-other" on:submit=on_other>
                            <label for=other_id.clone()>{t(Key::VchOtherReason)}</label>
                            <input id=other_id.clone() type="text" maxlength="500"
                                on:input=move |ev| other.set(event_target_value(&ev))/>
                            <button type="submit" class="secondary">{t(Key::ProviderSend)}</button>
                        </form>
                    </div>
                }
            })
        };
        view! {
            <p class="muted">{fill(l.text(Key::VchAnswerBy), &[("date", local_time(l, &by))])}</p>
            <div class="actions">
                <button type="button" class="vch-confirm" on:click=move |_| answer(true, None)>{t(Key::VchConfirm)}</button>
                <button type="button" class="secondary vch-dispute" aria-expanded=move || disputing.get().to_string()
                    on:click=move |_| disputing.update(|d| *d = !*d)>{t(Key::VchDispute)}</button>
            </div>
            {dispute}
        }
        .into_any()
    } else {
        let text = fill(l.text(Key::VchAutoConfirmed), &[("days", days.to_string())]);
        view! { <p class="muted">{text}</p> }.into_any()
    };
    let sessions = fill(
        l.text(Key::VchSessions),
        &[
            ("attended", m.sessions_attended.to_string()),
            ("held", m.sessions_held.to_string()),
        ],
    );
    view! {
        <li class="card vch-month" data-attendance=m.id.clone()>
            <h3>{m.child_name} " · " {m.section.name}</h3>
            <p>{month(m.month)} " · " {sessions}</p>
            {actions}
            {error_view(error)}
        </li>
    }
}

// ---- one application: its place and why, the receipt, the voucher and its months ----

/// `/citizen/vouchers/:id`: one of the parent's applications. Another family's id shows the
/// API's `NOT_FOUND`, nothing of theirs.
#[component]
pub fn VoucherApplication() -> impl IntoView {
    let params = use_params_map();
    let fresh = use_query_map().with_untracked(|q| q.get("new").is_some());
    let reload = RwSignal::new(0u32);
    let enrolled = RwSignal::new(false);
    let data = api::query::<q::VoucherApplication>(move || {
        reload.track();
        q::voucher_application::Variables {
            id: params.with(|p| p.get("id").unwrap_or_default()),
        }
    });
    view! {
        {back()}
        <PageTitle key=Key::VchApplication/>
        {fresh.then(|| view! { <p class="alert success" role="status" id="vch-new">{t(Key::VchSubmittedNotice)}</p> })}
        {move || loaded(data.get(), |d| application(d, reload, enrolled))}
    }
}

fn application(
    d: q::voucher_application::ResponseData,
    reload: RwSignal<u32>,
    enrolled: RwSignal<bool>,
) -> AnyView {
    let l = lang();
    let a = d.voucher_application;
    let c = a.campaign;
    let say = |k: Key, args: &[(&str, String)]| fill(l.text(k), args);
    let voucher_status = a.voucher.as_ref().and_then(|v| v.status);
    let status_text = match a.status {
        Some(AppStatus::Held) => say(Key::VchHeldText, &[]),
        Some(AppStatus::Queued) => say(
            Key::VchQueuedText,
            &[
                ("rank", number(l, a.rank)),
                ("ahead", number(l, a.children_ahead)),
            ],
        ),
        Some(AppStatus::Submitted) => say(
            Key::VchSubmittedText,
            &[("date", local_time(l, &c.closes_at))],
        ),
        _ => String::new(),
    };
    let ranked = a.rank.map(|r| {
        say(
            Key::VchRanked,
            &[
                ("rank", number(l, Some(r))),
                ("ahead", number(l, a.children_ahead)),
            ],
        )
    });
    let cutoff = c.cutoff_score.map(|cut| {
        say(
            Key::VchCutoff,
            &[
                ("cutoff", number(l, Some(cut))),
                ("score", number(l, a.score)),
            ],
        )
    });
    let reason = a
        .reason
        .map(|r| view! { <p class="reason">{say(Key::VchAkimatReason, &[("reason", r)])}</p> });
    let score = match a.score {
        Some(s) => say(Key::VchScoreText, &[("score", number(l, Some(s)))]),
        None => l.text(Key::VchScoreLater).to_string(),
    };
    let categories = if a.categories.is_empty() {
        view! { <p>{l.text(Key::VchNoCategories)}</p> }.into_any()
    } else {
        let items = a
            .categories
            .into_iter()
            .map(|cat| {
                let state = match cat.status {
                    Some(VoucherCategoryStatus::Confirmed) => (Key::VchCatConfirmed, "badge ok"),
                    Some(VoucherCategoryStatus::Rejected) => (Key::VchCatRejected, "badge bad"),
                    _ => (Key::VchCatDeclared, "badge warn"),
                };
                let why = cat
                    .reason
                    .map(|r| view! { <br/><span>{say(Key::VchAkimatReason, &[("reason", r)])}</span> });
                let files = (!cat.documents.is_empty()).then(|| view! {
                    <ul class="evidence-files">
                        {cat.documents.iter().map(|d| view! { <li class="evidence-file">{d.file_name.clone()}</li> }).collect_view()}
                    </ul>
                });
                let open = cat.status == Some(VoucherCategoryStatus::Declared);
                let id = cat.id.clone();
                view! {
                    <li class="vch-category" data-category=cat.category.clone()>
                        <strong>{vouchers::priority_category(l, &cat.category)}</strong>
                        " · " {say(Key::VchWeight, &[("weight", number(l, Some(cat.weight)))])} " "
                        {badge(l, state)}
                        <br/><span class="muted">{say(Key::VchEvidence, &[("evidence", cat.evidence)])}</span>
                        {why}
                        {files}
                        {open.then(|| view! { <AttachEvidence category=id reload=reload/> })}
                    </li>
                }
            })
            .collect_view();
        view! { <ul class="vch-categories">{items}</ul> }.into_any()
    };
    let ties: Vec<&str> = c
        .priority_table
        .ties
        .iter()
        .map(|r| {
            l.text(match r {
                VoucherTieRule::YoungerFirst => Key::VchTieYounger,
                VoucherTieRule::OlderFirst => Key::VchTieOlder,
                _ => Key::VchTieLottery,
            })
        })
        .collect();
    let ties = say(Key::VchTies, &[("rules", ties.join(", "))]);
    let files = if c.allocations.is_empty() {
        view! { <p class="muted">{l.text(Key::VchNoFileYet)}</p> }.into_any()
    } else {
        c.allocations
            .into_iter()
            .map(|f| {
                let label = say(Key::VchFile, &[("date", local_time(l, &f.created_at))]);
                view! { <p><a href=f.download_url rel="external" download="" class="vch-file">{label}</a></p> }
            })
            .collect_view()
            .into_any()
    };
    let voucher = a
        .voucher
        .map(|v| voucher_view(l, v, d.voucher_attendance, c.region_kato, reload, enrolled));
    let child = a.child_name.unwrap_or_default() + " · " + &a.child_iin_masked.unwrap_or_default();
    view! {
        <section class="panel" id="vch-status">
            <h2>{child}</h2>
            <p class="muted">{c.name} " · " {direction(l, a.direction)}</p>
            <p class="status-line">{badge(l, status_badge(a.status, voucher_status))}</p>
            {(!status_text.is_empty()).then(|| view! { <p>{status_text}</p> })}
            {reason}
            <Conversation kind=VoucherThreadKind::Application id=a.id.clone() unread=a.unread_messages/>
        </section>
        <section class="panel" id="vch-why">
            <h2>{l.text(Key::VchWhyTitle)}</h2>
            {ranked.map(|r| view! { <p id="vch-rank"><strong>{r}</strong></p> })}
            <p id="vch-score">{score}</p>
            {categories}
            {cutoff.map(|c| view! { <p id="vch-cutoff">{c}</p> })}
            <p class="muted">{ties}</p>
        </section>
        {voucher}
        <section class="panel" id="vch-receipt">
            <h2>{l.text(Key::VchReceiptTitle)}</h2>
            <p>{l.text(Key::VchReceiptText)}</p>
            <p><code id="vch-code" style="overflow-wrap:anywhere">{a.receipt.child_hash}</code></p>
            <p class="muted" style="overflow-wrap:anywhere">{say(Key::VchSalt, &[("salt", a.receipt.salt)])}</p>
            {files}
        </section>
    }
    .into_any()
}

/// A document for a category the akimat has not decided yet: a photo or a PDF, chosen on the
/// phone and sent; once kept, the page reloads and lists it under the category.
#[component]
fn AttachEvidence(category: String, reload: RwSignal<u32>) -> impl IntoView {
    let file: NodeRef<leptos::html::Input> = NodeRef::new();
    let error: RwSignal<Option<ApiError>> = RwSignal::new(None);
    let busy = RwSignal::new(false);
    let category = StoredValue::new(category);
    let field = format!("evidence-{}", category.get_value());
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let Some(f) = crate::ui::chosen_files(file).into_iter().next() else {
            return;
        };
        error.set(None);
        busy.set(true);
        let sent = api::send::<q::AttachEvidence>(
            q::attach_evidence::Variables {
                category_id: category.get_value(),
                file: (),
            },
            vec![("variables.file".to_string(), f)],
        );
        leptos::task::spawn_local(async move {
            let r = sent.await;
            busy.set(false);
            match r {
                Ok(()) => reload.update(|n| *n += 1),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <form class="attach-evidence" on:submit=on_submit>
            <label for=field.clone()>{t(Key::VchAttachDocument)}</label>
            <input type="file" id=field accept="image/png,image/jpeg,application/pdf" node_ref=file required=true/>
            <small class="muted">{t(Key::VchAttachHint)}</small>
            {error_view(error)}
            <button type="submit" class="secondary" disabled=move || busy.get()>{t(Key::VchAttachDocument)}</button>
        </form>
    }
}

/// The voucher: its value and months, where it is used (and the catalogue to choose or move),
/// and each month's cost with its attendance.
fn voucher_view(
    l: Lang,
    v: q::voucher_application::VoucherApplicationVoucherApplicationVoucher,
    attendance: Vec<q::voucher_application::VoucherApplicationVoucherAttendance>,
    region: String,
    reload: RwSignal<u32>,
    enrolled: RwSignal<bool>,
) -> impl IntoView + use<> {
    let say = |k: Key, args: &[(&str, String)]| fill(l.text(k), args);
    let value = say(
        Key::VchIssuedText,
        &[
            ("value", tenge(l, v.monthly_value)),
            ("from", month(v.first_month)),
            ("to", month(v.last_month)),
        ],
    );
    let ended = v.ended_at.as_ref().map(|at| {
        let text = match (v.status, v.end_reason.clone()) {
            // Declined without a reason given: what it did.
            (Some(VoucherStatus::Declined), None) => l.text(Key::VchDeclined).to_string(),
            (_, reason) => say(
                Key::VchEndedText,
                &[
                    ("date", local_time(l, at)),
                    ("reason", reason.unwrap_or_default()),
                ],
            ),
        };
        view! { <p class="alert info" id="vch-ended">{text}</p> }
    });
    let current = v
        .enrolments
        .iter()
        .find(|e| e.last_month.is_none())
        .cloned();
    let current_id = current.as_ref().map(|e| e.section.id.clone());
    let used = match current {
        Some(e) => {
            let times: Vec<String> = e
                .section
                .schedule
                .iter()
                .map(|s| slot(l, s.day, &s.start, &s.end))
                .collect();
            view! {
                <div id="vch-section">
                    <p><strong>{say(Key::VchSectionNow, &[("name", e.section.name)])}</strong>
                        " · " {say(Key::VchSectionFrom, &[("month", month(e.first_month))])}</p>
                    <p class="muted">{e.section.address} " · " {times.join(", ")}</p>
                </div>
            }
            .into_any()
        }
        None => view! { <p id="vch-section">{l.text(Key::VchNoSection)}</p> }.into_any(),
    };
    let earlier = v
        .enrolments
        .iter()
        .filter_map(|e| {
            e.last_month.map(|last| {
                let text = format!(
                    "{}: {}–{}",
                    e.section.name,
                    month(e.first_month),
                    month(last)
                );
                view! { <li class="muted">{text}</li> }
            })
        })
        .collect_view();
    let picking = RwSignal::new(false);
    let usable = v.status == Some(VoucherStatus::Issued);
    let choose = usable.then(|| {
        let label = if current_id.is_some() {
            Key::VchMove
        } else {
            Key::VchChoose
        };
        let voucher = v.id.clone();
        view! {
            <button type="button" class="secondary" id="vch-choose" aria-expanded=move || picking.get().to_string()
                on:click=move |_| picking.update(|p| *p = !*p)>{t(label)}</button>
            {move || picking.get().then(|| view! {
                <Offers voucher=voucher.clone() region=region.clone() current=current_id.clone() reload=reload enrolled=enrolled/>
            })}
        }
    });
    let decline = usable.then(|| view! { <Decline voucher=v.id.clone() reload=reload/> });
    let months = if v.months.is_empty() {
        view! { <li class="muted">{l.text(Key::VchNoMonths)}</li> }.into_any()
    } else {
        v.months
            .into_iter()
            .map(|m| {
                let att = attendance
                    .iter()
                    .find(|a| a.voucher_id == v.id && a.month == m.month);
                let own = if m.own_payment > 0 {
                    say(Key::VchOwnPayment, &[("amount", tenge(l, m.own_payment))])
                } else {
                    l.text(Key::VchNoOwnPayment).to_string()
                };
                let record = att.map(|a| {
                    let sessions = say(
                        Key::VchSessions,
                        &[
                            ("attended", a.sessions_attended.to_string()),
                            ("held", a.sessions_held.to_string()),
                        ],
                    );
                    let dispute = a.dispute_reason.clone().map(|r| {
                        view! { <br/><span>{say(Key::SheetParentReason, &[("reason", r)])}</span> }
                    });
                    let flagged = a.anomaly.clone().map(|r| {
                        view! { <br/><span>{say(Key::ProviderWhyFlagged, &[("reason", r)])}</span> }
                    });
                    let resolution = a.resolution.clone().map(|r| {
                        view! { <br/><span>{say(Key::SheetResolution, &[("reason", r)])}</span> }
                    });
                    // A month in question has its conversation with the provider and the akimat.
                    let talk = (a.dispute_reason.is_some()
                        || a.anomaly.is_some()
                        || a.resolution.is_some()
                        || a.unread_messages > 0)
                        .then(|| view! { <Conversation kind=VoucherThreadKind::Attendance id=a.id.clone() unread=a.unread_messages/> });
                    view! {
                        <br/>{sessions} " " {badge(l, attendance_badge(a.status))}
                        {dispute}
                        {flagged}
                        {resolution}
                        {talk}
                    }
                });
                view! {
                    <li class="vch-cost" data-month=m.month>
                        <strong>{month(m.month)}</strong> " · " {m.section_name}
                        <br/>{say(Key::VchVoucherPart, &[("amount", tenge(l, m.voucher_part))])} " · " {own}
                        {record}
                    </li>
                }
            })
            .collect_view()
            .into_any()
    };
    view! {
        <section class="panel" id="vch-voucher">
            <h2>{l.text(Key::VchVoucherTitle)}</h2>
            <p id="vch-value">{value}</p>
            {ended}
            {move || enrolled.get().then(|| view! { <p class="alert success" role="status" id="vch-enrolled">{t(Key::VchEnrolled)}</p> })}
            {used}
            <ul class="enrolled">{earlier}</ul>
            {choose}
            {decline}
        </section>
        <section class="panel" id="vch-months">
            <h2>{l.text(Key::VchMonthsTitle)}</h2>
            <ul class="tasks vch-costs">{months}</ul>
        </section>
    }
}

/// Declining a voucher: said what it does (the months left go to the next child in the queue,
/// for good), asked once more, with an optional reason.
#[component]
fn Decline(voucher: String, reload: RwSignal<u32>) -> impl IntoView {
    let asking = RwSignal::new(false);
    let reason = RwSignal::new(String::new());
    let error: RwSignal<Option<ApiError>> = RwSignal::new(None);
    let voucher = StoredValue::new(voucher);
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        error.set(None);
        let sent = api::send::<q::DeclineVoucher>(
            q::decline_voucher::Variables {
                id: voucher.get_value(),
                reason: non_empty(reason.get_untracked()),
            },
            Vec::new(),
        );
        leptos::task::spawn_local(async move {
            match sent.await {
                Ok(()) => reload.update(|n| *n += 1),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <button type="button" class="secondary" id="vch-decline" aria-expanded=move || asking.get().to_string()
            on:click=move |_| asking.update(|a| *a = !*a)>{t(Key::VchDecline)}</button>
        {move || asking.get().then(|| view! {
            <form class="panel" id="vch-decline-form" on:submit=on_submit>
                <p><strong>{t(Key::VchDeclineWhat)}</strong></p>
                <label for="vch-decline-reason">{t(Key::VchDeclineReason)}</label>
                <input id="vch-decline-reason" type="text" maxlength="500"
                    on:input=move |ev| reason.set(event_target_value(&ev))/>
                <button type="submit" id="vch-decline-confirm">{t(Key::VchDeclineConfirm)}</button>
            </form>
        })}
        {error_view(error)}
    }
}

// ---- the catalogue of sections for a voucher ----

/// The sections the voucher can be used at (the API keeps those of its direction, for the
/// child's age, in the campaign's region, with a free place), filtered by district here.
#[component]
fn Offers(
    voucher: String,
    region: String,
    current: Option<String>,
    reload: RwSignal<u32>,
    enrolled: RwSignal<bool>,
) -> impl IntoView {
    let voucher = StoredValue::new(voucher);
    let data = api::query::<q::VoucherOffers>(move || q::voucher_offers::Variables {
        voucher_id: voucher.get_value(),
        region_kato: Some(region.clone()),
    });
    let district = RwSignal::new(String::new());
    let error: RwSignal<Option<ApiError>> = RwSignal::new(None);
    let enrol = move |section: String| {
        error.set(None);
        let sent = api::send::<q::EnrolVoucher>(
            q::enrol_voucher::Variables {
                voucher_id: voucher.get_value(),
                section_id: section,
            },
            Vec::new(),
        );
        leptos::task::spawn_local(async move {
            match sent.await {
                Ok(()) => {
                    enrolled.set(true);
                    reload.update(|n| *n += 1);
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let current = StoredValue::new(current);
    let list = move || {
        loaded(data.get(), |d| {
            let l = lang();
            let names = d.localities.nodes;
            let name_of = |kato: &str| {
                names.iter().find(|n| n.kato == kato).map_or_else(
                    || kato.to_string(),
                    |n| {
                        match l {
                            Lang::Kk => &n.name_kk,
                            Lang::Ru => &n.name_ru,
                            Lang::En => &n.name_en,
                        }
                        .clone()
                    },
                )
            };
            let mut districts: Vec<String> = d
                .voucher_sections_for_voucher
                .iter()
                .filter_map(|o| o.section.locality_kato.clone())
                .collect();
            districts.sort();
            districts.dedup();
            let options = districts
                .iter()
                .map(|k| view! { <option value=k.clone() selected=district.get_untracked() == *k>{name_of(k)}</option> })
                .collect_view();
            let chosen = district.get();
            let offers: Vec<_> = d
                .voucher_sections_for_voucher
                .into_iter()
                .filter(|o| {
                    chosen.is_empty() || o.section.locality_kato.as_deref() == Some(&chosen)
                })
                .collect();
            let cards = if offers.is_empty() {
                view! { <p class="muted" id="vch-no-offers">{l.text(Key::VchNoOffers)}</p> }
                    .into_any()
            } else {
                offers
                    .into_iter()
                    .map(|o| offer(l, o, current.get_value(), enrol, &name_of))
                    .collect_view()
                    .into_any()
            };
            view! {
                <div class="field">
                    <label for="vch-district">{l.text(Key::VchDistrict)}</label>
                    <select id="vch-district" on:change=move |ev| district.set(event_target_value(&ev))>
                        <option value="">{l.text(Key::VchAllDistricts)}</option>
                        {options}
                    </select>
                </div>
                <ul class="cards" id="vch-offers">{cards}</ul>
            }
            .into_any()
        })
    };
    view! {
        <section aria-labelledby="vch-offers-title">
            <h3 id="vch-offers-title">{t(Key::VchOffersTitle)}</h3>
            <p class="hint">{t(Key::VchOffersHint)}</p>
            {error_view(error)}
            {list}
        </section>
    }
}

fn offer<E: Fn(String) + Copy + 'static>(
    l: Lang,
    o: q::voucher_offers::VoucherOffersVoucherSectionsForVoucher,
    current: Option<String>,
    enrol: E,
    district: &dyn Fn(&str) -> String,
) -> impl IntoView + use<E> {
    let s = o.section;
    let say = |k: Key, args: &[(&str, String)]| fill(l.text(k), args);
    let org = s
        .organisation
        .map(|o| match l {
            Lang::Kk => o.name_kk,
            Lang::Ru => o.name_ru,
            Lang::En => o.name_en,
        })
        .unwrap_or_default();
    let times: Vec<String> = s
        .schedule
        .iter()
        .map(|x| slot(l, x.day, &x.start, &x.end))
        .collect();
    let place = s.locality_kato.as_deref().map(district).unwrap_or_default();
    let is_current = current.as_deref() == Some(s.id.as_str());
    let id = s.id.clone();
    let facts = [
        (Key::ProviderSchedule, times.join(", ")),
        (Key::ProviderAddress, place + ", " + &s.address),
        (
            Key::ProviderAges,
            say(
                Key::ProviderAgesRange,
                &[
                    ("min", s.age_min.to_string()),
                    ("max", s.age_max.to_string()),
                ],
            ),
        ),
        (
            Key::ProviderCapacity,
            say(
                Key::ProviderPlacesLeft,
                &[
                    ("left", s.places_left.to_string()),
                    ("capacity", s.capacity.to_string()),
                ],
            ),
        ),
        (Key::ProviderPrice, tenge(l, s.monthly_price)),
    ]
    .map(|(k, v)| view! { <div class="dl-row"><dt>{l.text(k)}</dt><dd>{v}</dd></div> });
    let own = if o.own_payment > 0 {
        say(Key::VchOwnPayment, &[("amount", tenge(l, o.own_payment))])
    } else {
        l.text(Key::VchNoOwnPayment).to_string()
    };
    let action = if is_current {
        view! { <span class="badge">{l.text(Key::VchCurrent)}</span> }.into_any()
    } else {
        view! { <button type="button" class="vch-enrol" on:click=move |_| enrol(id.clone())>{l.text(Key::VchEnrol)}</button> }
            .into_any()
    };
    view! {
        <li class="card vch-offer" data-section=s.id>
            <h4>{s.name}</h4>
            <p class="muted">{org}</p>
            <dl class="section-facts">{facts}</dl>
            <p><strong>{say(Key::VchVoucherPart, &[("amount", tenge(l, o.voucher_part))])} " · " {own}</strong></p>
            {action}
        </li>
    }
}

// ---- applying ----

/// `/citizen/vouchers/apply`: a child the registry links to the parent, an open campaign and
/// its direction, the categories that apply with their evidence.
#[component]
pub fn ApplyForVoucher() -> impl IntoView {
    let data = api::query::<q::VoucherApplyForm>(|| q::voucher_apply_form::Variables {});
    view! {
        {back()}
        <PageTitle key=Key::VchApply/>
        {move || loaded(data.get(), |d| view! { <ApplyForm d=d/> }.into_any())}
    }
}

/// A category of the campaign's table: ticked or not, and its evidence.
type Pick = (String, RwSignal<bool>, RwSignal<String>);

#[component]
fn ApplyForm(d: q::voucher_apply_form::ResponseData) -> impl IntoView {
    let campaigns: Vec<_> = d
        .voucher_campaigns
        .into_iter()
        .filter(|c| c.status == Some(VoucherCampaignStatus::Open))
        .collect();
    let (Some(first_child), Some(first_campaign)) = (d.my_children.first(), campaigns.first())
    else {
        let text = if d.my_children.is_empty() {
            Key::EmptyChildren
        } else {
            Key::VchNoCampaign
        };
        return view! { <EmptyState title=Key::NoDataYet text=text/> }.into_any();
    };
    let child = RwSignal::new(first_child.id.clone());
    let campaign = RwSignal::new(first_campaign.id.clone());
    let chosen_direction: RwSignal<Option<ClubDirection>> = RwSignal::new(None);
    let children = StoredValue::new(d.my_children);
    let campaigns = StoredValue::new(campaigns);
    let picks: StoredValue<Vec<Pick>> = StoredValue::new(Vec::new());
    let error: RwSignal<Option<ApiError>> = RwSignal::new(None);
    let busy = RwSignal::new(false);
    let current = move || {
        let id = campaign.get();
        campaigns.with_value(|cs| cs.iter().find(|c| c.id == id).cloned())
    };
    let child_options = children.with_value(|kids| {
        kids.iter()
            .map(|k| view! { <option value=k.id.clone()>{k.full_name.clone()}</option> })
            .collect_view()
    });
    let campaign_options = campaigns.with_value(|cs| {
        cs.iter()
            .map(|c| view! { <option value=c.id.clone()>{c.name.clone()}</option> })
            .collect_view()
    });
    // The campaign's directions, ages and categories (anew when another campaign is chosen).
    let details = move || {
        let c = current()?;
        let l = lang();
        let directions = c
            .directions
            .iter()
            .map(|d| {
                let label = direction(l, Some(d.direction)).to_string()
                    + " · "
                    + &fill(
                        l.text(Key::VchPerMonth),
                        &[("amount", tenge(l, d.monthly_value))],
                    );
                view! { <option value=d.direction.as_str()>{label}</option> }
            })
            .collect_view();
        let mut weights = c.priority_table.weights.clone();
        weights.sort_by_key(|w| -w.weight);
        let items: Vec<Pick> = weights
            .iter()
            .map(|w| {
                (
                    w.category.clone(),
                    RwSignal::new(false),
                    RwSignal::new(String::new()),
                )
            })
            .collect();
        picks.set_value(items.clone());
        let boxes = items
            .into_iter()
            .zip(weights)
            .map(|((code, on, evidence), w)| {
                let field = format!("vch-evidence-{code}");
                let name = vouchers::priority_category(l, &code)
                    + " · "
                    + &fill(l.text(Key::VchWeight), &[("weight", w.weight.to_string())]);
                view! {
                    <li>
                        <label>
                            <input type="checkbox" class="vch-cat" value=code
                                on:change=move |ev| on.set(event_target_checked(&ev))/>
                            {name}
                        </label>
                        {move || on.get().then(|| view! {
                            <div class="field">
                                <label for=field.clone()>{t(Key::VchEvidenceLabel)}</label>
                                <input id=field.clone() type="text" maxlength="500"
                                    on:input=move |ev| evidence.set(event_target_value(&ev))/>
                            </div>
                        })}
                    </li>
                }
            })
            .collect_view();
        let ages = fill(
            l.text(Key::VchAges),
            &[
                ("min", c.age_min.to_string()),
                ("max", c.age_max.to_string()),
                ("date", local_time(l, &c.closes_at)),
            ],
        );
        Some(view! {
            <p class="hint" id="vch-campaign-facts">{ages}</p>
            <div class="field">
                <label for="vch-direction">{l.text(Key::ProviderDirection)}</label>
                <select id="vch-direction" on:change=move |ev| {
                    chosen_direction.set(Some(ClubDirection::parse(&event_target_value(&ev))));
                }>{directions}</select>
            </div>
            <fieldset class="panel" style="min-width:0">
                <legend>{l.text(Key::VchCategories)}</legend>
                <p class="hint">{l.text(Key::VchCategoriesHint)}</p>
                <ul class="allergens" id="vch-categories">{boxes}</ul>
            </fieldset>
        })
    };
    let navigate = use_navigate();
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let Some(c) = campaigns.with_value(|cs| {
            let id = campaign.get_untracked();
            cs.iter().find(|c| c.id == id).cloned()
        }) else {
            return;
        };
        let id = child.get_untracked();
        let Some(iin) =
            children.with_value(|k| k.iter().find(|x| x.id == id).map(|x| x.iin.clone()))
        else {
            return;
        };
        let Some(dir) = chosen_direction
            .get_untracked()
            .or_else(|| c.directions.first().map(|d| d.direction))
        else {
            return;
        };
        let mut categories = Vec::new();
        for (code, on, evidence) in picks.get_value() {
            if !on.get_untracked() {
                continue;
            }
            let Some(evidence) = non_empty(evidence.get_untracked()) else {
                error.set(Some(ApiError {
                    code: ErrorCode::BadUserInput,
                    message: String::new(),
                    field: Some("categories".into()),
                    reason: Some(("EVIDENCE_REQUIRED".into(), code)),
                }));
                return;
            };
            categories.push(q::apply_for_voucher::VoucherCategoryInput {
                category: code,
                evidence,
            });
        }
        let vars = q::apply_for_voucher::Variables {
            input: q::apply_for_voucher::VoucherApplicationInput {
                campaign_id: c.id,
                child_iin: iin,
                direction: dir,
                categories,
                guardianship_evidence: None,
            },
        };
        error.set(None);
        busy.set(true);
        let navigate = navigate.clone();
        leptos::task::spawn_local(async move {
            match api::call::<q::ApplyForVoucher>(vars).await {
                Ok(r) => {
                    let to = format!("/vouchers/{}?new=1", r.apply_for_voucher.id);
                    navigate(&to, Default::default());
                }
                Err(e) => {
                    busy.set(false);
                    error.set(Some(e));
                }
            }
        });
    };
    view! {
        <form class="panel" id="vch-apply-form" on:submit=submit>
            <div class="field">
                <label for="vch-child">{t(Key::ChildPick)}</label>
                <select id="vch-child" on:change=move |ev| child.set(event_target_value(&ev))>{child_options}</select>
            </div>
            <div class="field">
                <label for="vch-campaign">{t(Key::VchCampaign)}</label>
                <select id="vch-campaign" on:change=move |ev| {
                    chosen_direction.set(None);
                    campaign.set(event_target_value(&ev));
                }>{campaign_options}</select>
            </div>
            {details}
            {error_view(error)}
            <button type="submit" id="vch-submit" disabled=move || busy.get()>{t(Key::VchSubmit)}</button>
        </form>
    }
    .into_any()
}
