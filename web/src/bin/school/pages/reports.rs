//! Reports: a month's reports (kind, version, rows), prepared on request and downloaded as
//! CSV or XLSX; the month's subsidised meals and their transfer to the Social Wallet, a
//! rejected one sent again once fixed.

use leptos::prelude::*;

use crate::api::{self, ApiError};
use crate::format;
use crate::gql::school::{self as gs, SchoolReportKind, WalletTransferState};
use crate::i18n::Key;
use crate::pages::common::{month_number, today, with_school};
use crate::ui::{PageTitle, act, download, error_view, fill, lang, loaded, local_time, t, table};

#[component]
pub fn ReportsPage() -> impl IntoView {
    view! {
        <PageTitle key=Key::NavReports/>
        {with_school(|s| view! { <Reports school=s/> }.into_any())}
    }
}

fn kind_key(k: Option<SchoolReportKind>) -> Key {
    match k {
        Some(SchoolReportKind::AttendanceSchool) => Key::SchoolReportKindAttendance,
        Some(SchoolReportKind::MealsRegion) => Key::SchoolReportKindRegion,
        _ => Key::SchoolReportKindMeals,
    }
}

fn kind_file(k: Option<SchoolReportKind>) -> &'static str {
    match k {
        Some(SchoolReportKind::AttendanceSchool) => "attendance",
        Some(SchoolReportKind::MealsRegion) => "region-meals",
        _ => "meals",
    }
}

#[component]
fn Reports(school: String) -> impl IntoView {
    let school = StoredValue::new(school);
    let month = RwSignal::new(today()[..7].to_string());
    let reload = RwSignal::new(0u32);
    let error: RwSignal<Option<ApiError>> = RwSignal::new(None);
    let prepared: RwSignal<Option<bool>> = RwSignal::new(None);
    let data = api::query::<gs::SchoolReports>(move || {
        reload.track();
        gs::school_reports::Variables {
            school_id: school.get_value(),
            month: month_number(&month.get()).unwrap_or(0),
        }
    });
    let prepare = move |kind: SchoolReportKind| {
        error.set(None);
        prepared.set(None);
        let Some(m) = month_number(&month.get_untracked()) else {
            return;
        };
        leptos::task::spawn_local(async move {
            match api::call::<gs::SchoolPrepareReport>(gs::school_prepare_report::Variables {
                school_id: school.get_value(),
                month: m,
                kind,
            })
            .await
            {
                Ok(d) => {
                    prepared.set(Some(d.prepare_school_report.new_version));
                    reload.update(|n| *n += 1);
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let prepare_button = move |id: &'static str, kind: SchoolReportKind| {
        view! {
            <button type="button" class="secondary" id=id on:click=move |_| prepare(kind)>
                {move || fill(lang().text(Key::SchoolPrepare), &[("kind", lang().text(kind_key(Some(kind))).to_string())])}
            </button>
        }
    };
    view! {
        <div class="form-row">
            <div class="field">
                <label for="report-month">{t(Key::SchoolMonth)}</label>
                <input
                    id="report-month"
                    type="month"
                    prop:value=move || month.get()
                    on:change=move |ev| {
                        let v = event_target_value(&ev);
                        if month_number(&v).is_some() {
                            month.set(v);
                        }
                    }
                />
            </div>
            {prepare_button("prepare-meals", SchoolReportKind::MealsSchool)}
            {prepare_button("prepare-attendance", SchoolReportKind::AttendanceSchool)}
        </div>
        {error_view(error)}
        {move || prepared.get().map(|new| {
            let state = if new { Key::SchoolNewVersion } else { Key::SchoolUnchanged };
            view! {
                <div class="alert success" role="status" id="report-prepared">
                    {move || fill(lang().text(Key::SchoolPrepared), &[("state", lang().text(state).to_string())])}
                </div>
            }
        })}
        {move || loaded(data.get(), move |d| month_view(d, month.get_untracked(), error, reload))}
    }
}

fn month_view(
    d: gs::school_reports::ResponseData,
    month: String,
    error: RwSignal<Option<ApiError>>,
    reload: RwSignal<u32>,
) -> AnyView {
    let l = lang();
    let reports = if d.school_reports.is_empty() {
        view! { <p class="muted">{l.text(Key::SchoolNoReports)}</p> }.into_any()
    } else {
        let rows = d
            .school_reports
            .into_iter()
            .map(|r| {
                let base = format!("{}-{}-v{}", kind_file(r.kind), r.month, r.version);
                let (csv, xlsx) = (r.csv_url.clone(), r.xlsx_url.clone());
                let (csv_name, xlsx_name) = (format!("{base}.csv"), format!("{base}.xlsx"));
                view! {
                    <tr class="report">
                        <td>{l.text(kind_key(r.kind))}</td>
                        <td class="num">{r.version}</td>
                        <td class="num">{format::number(l, r.rows)}</td>
                        <td>{local_time(l, &r.generated_at)}</td>
                        <td>
                            <button type="button" class="link download-csv" on:click=move |_| download(csv.clone(), csv_name.clone(), error)>"CSV"</button>
                            " · "
                            <button type="button" class="link download-xlsx" on:click=move |_| download(xlsx.clone(), xlsx_name.clone(), error)>"XLSX"</button>
                        </td>
                    </tr>
                }
            })
            .collect_view()
            .into_any();
        table(
            l,
            "reports",
            "",
            &[
                Key::Kind,
                Key::SchoolVersion,
                Key::SchoolRows,
                Key::SchoolGeneratedAt,
                Key::Actions,
            ],
            rows,
        )
    };
    let transfers: Vec<_> = d
        .school_wallet_transfers
        .into_iter()
        .filter(|w| w.day.starts_with(&month))
        .collect();
    let count = transfers.len() as i64;
    let wallet = if transfers.is_empty() {
        view! { <p class="muted">{l.text(Key::SchoolNoTransfers)}</p> }.into_any()
    } else {
        let rows = transfers
            .into_iter()
            .map(|w| {
                let (class, state) = match w.state {
                    Some(WalletTransferState::Accepted) => ("badge ok", Key::SchoolWalletAccepted),
                    Some(WalletTransferState::Rejected) => ("badge bad", Key::SchoolWalletRejected),
                    _ => ("badge warn", Key::SchoolWalletPending),
                };
                let retry = (w.state == Some(WalletTransferState::Rejected)).then(|| {
                    let id = w.meal_id.clone();
                    view! {
                        <button type="button" class="secondary retry" on:click=move |_| {
                            act(
                                api::send::<gs::SchoolRetryTransfer>(
                                    gs::school_retry_transfer::Variables { meal_id: id.clone() },
                                    Vec::new(),
                                ),
                                error,
                                reload,
                            )
                        }>{l.text(Key::Retry)}</button>
                    }
                });
                view! {
                    <tr>
                        <td>{format::short_date(l, &w.day)}</td>
                        <td><span class=class>{l.text(state)}</span></td>
                        <td class="num">{w.attempts}</td>
                        <td>{w.reason.unwrap_or_default()}</td>
                        <td>{retry}</td>
                    </tr>
                }
            })
            .collect_view()
            .into_any();
        table(
            l,
            "wallet",
            "",
            &[
                Key::SchoolDay,
                Key::Status,
                Key::SchoolAttempts,
                Key::Reason,
                Key::Actions,
            ],
            rows,
        )
    };
    let meals = fill(
        l.text(Key::SchoolMealsInMonth),
        &[("n", format::number(l, count))],
    );
    view! {
        <section class="panel" aria-labelledby="reports-title">
            <h2 id="reports-title">{l.text(Key::NavReports)}</h2>
            {reports}
        </section>
        <section class="panel" aria-labelledby="wallet-title">
            <h2 id="wallet-title">{l.text(Key::SchoolWallet)}</h2>
            <p id="meals-in-month"><strong>{meals}</strong></p>
            {wallet}
        </section>
    }
    .into_any()
}
