//! The operator's imports: upload a graduates list or a contribution feed, watch the batch,
//! read and download its rejection report, and the history of batches.

use adal_web::errors::import_reason_key;
use leptos::html::Input;
use leptos::prelude::*;

use crate::api::{self, ApiError};
use crate::format;
use crate::gql::{self, ImportKind};
use crate::i18n::Key;
use crate::pages::operator::can_write;
use crate::ui::{Choice, EmptyState, ErrorBox, Loading, PageTitle, chosen_files, fill, lang, t};

/// The kinds of file the operator uploads here, the frequent ones first (the same kinds as
/// `adal import`).
const KINDS: [ImportKind; 7] = [
    ImportKind::Contributions,
    ImportKind::Graduates,
    ImportKind::Employers,
    ImportKind::Regions,
    ImportKind::Localities,
    ImportKind::ActivityCodes,
    ImportKind::Specialties,
];

fn kind_key(k: Option<ImportKind>) -> Key {
    match k {
        Some(ImportKind::Contributions) => Key::KindContributions,
        Some(ImportKind::Graduates) => Key::KindGraduates,
        Some(ImportKind::Employers) => Key::KindEmployers,
        Some(ImportKind::Regions) => Key::KindRegionsFile,
        Some(ImportKind::Localities) => Key::KindLocalitiesFile,
        Some(ImportKind::ActivityCodes) => Key::KindActivityCodesFile,
        Some(ImportKind::Specialties) => Key::KindSpecialtiesFile,
        _ => Key::KindReference,
    }
}

fn batch_status_key(s: &str) -> Key {
    match s {
        "running" => Key::BatchRunning,
        "completed" => Key::BatchCompleted,
        _ => Key::BatchFailed,
    }
}

#[component]
pub fn ImportsPage() -> impl IntoView {
    let current: RwSignal<Option<String>> = RwSignal::new(None);
    let reload = RwSignal::new(0u32);
    let history = api::query::<gql::ImportBatches>(move || {
        reload.track();
        gql::import_batches::Variables { first: Some(50) }
    });
    view! {
        <PageTitle key=Key::NavImports/>
        {can_write().then(|| view! { <UploadForm current=current reload=reload/> })}
        {move || current.get().map(|id| view! { <BatchDetail id=id reload=reload/> })}
        <section class="panel" aria-labelledby="history-title">
            <h2 id="history-title">{t(Key::ImportHistory)}</h2>
            {move || match history.get() {
                None => view! { <Loading/> }.into_any(),
                Some(Err(e)) => view! { <ErrorBox error=e/> }.into_any(),
                Some(Ok(d)) if d.import_batches.nodes.is_empty() => {
                    view! { <EmptyState title=Key::NoDataYet text=Key::EmptyImports/> }.into_any()
                }
                Some(Ok(d)) => {
                    let rows = d
                        .import_batches
                        .nodes
                        .into_iter()
                        .map(|b| {
                            let id = b.id.clone();
                            let started = b.started_at.clone();
                            view! {
                                <tr>
                                    <td>{b.file_name}</td>
                                    <td>{t(kind_key(b.kind))}</td>
                                    <td>{move || format::short_date(lang(), &started)}</td>
                                    <td>{t(batch_status_key(&b.status))}</td>
                                    <td class="num">{move || format::number(lang(), b.accepted)}</td>
                                    <td class="num">{move || format::number(lang(), b.rejected)}</td>
                                    <td>
                                        <button type="button" class="secondary" on:click=move |_| current.set(Some(id.clone()))>
                                            {t(Key::Open)}
                                        </button>
                                    </td>
                                </tr>
                            }
                        })
                        .collect_view();
                    view! {
                        <div class="table-wrap">
                            <table id="import-history">
                                <thead>
                                    <tr>
                                        <th scope="col">{t(Key::FileName)}</th>
                                        <th scope="col">{t(Key::Kind)}</th>
                                        <th scope="col">{t(Key::StartedAt)}</th>
                                        <th scope="col">{t(Key::Status)}</th>
                                        <th scope="col">{t(Key::Accepted)}</th>
                                        <th scope="col">{t(Key::Rejected)}</th>
                                        <th scope="col">{t(Key::Actions)}</th>
                                    </tr>
                                </thead>
                                <tbody>{rows}</tbody>
                            </table>
                        </div>
                    }
                        .into_any()
                }
            }}
        </section>
    }
}

#[component]
fn UploadForm(current: RwSignal<Option<String>>, reload: RwSignal<u32>) -> impl IntoView {
    let kind = RwSignal::new(ImportKind::Contributions);
    let file: NodeRef<Input> = NodeRef::new();
    let error: RwSignal<Option<ApiError>> = RwSignal::new(None);
    let missing = RwSignal::new(false);
    let pending = RwSignal::new(false);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        error.set(None);
        let Some(f) = chosen_files(file).into_iter().next() else {
            missing.set(true);
            return;
        };
        missing.set(false);
        pending.set(true);
        let vars = gql::import_file::Variables {
            kind: kind.get_untracked(),
            file: (),
        };
        leptos::task::spawn_local(async move {
            match api::call_with_files::<gql::ImportFile>(vars, vec![("variables.file".into(), f)])
                .await
            {
                Ok(d) => {
                    current.set(Some(d.import_file.id));
                    reload.update(|n| *n += 1);
                }
                Err(e) => error.set(Some(e)),
            }
            pending.set(false);
        });
    };
    view! {
        <section class="panel" aria-labelledby="upload-title">
            <h2 id="upload-title">{t(Key::UploadFile)}</h2>
            <p class="muted">{t(Key::UploadHint)}</p>
            <form on:submit=on_submit class="form-row" novalidate=true>
                <Choice
                    id="import-kind"
                    label=Key::Kind
                    options=KINDS.iter().map(|k| (k.as_str(), kind_key(Some(*k)))).collect()
                    pick=Callback::new(move |v: String| kind.set(ImportKind::parse(&v)))
                />
                <div class="field">
                    <label for="import-file">{t(Key::File)}</label>
                    <input id="import-file" type="file" accept=".csv,text/csv" node_ref=file aria-invalid=move || missing.get().to_string()/>
                    {move || missing.get().then(|| view! { <p class="field-error" role="alert">{t(Key::ChooseFile)}</p> })}
                </div>
                <button type="submit" id="start-import" disabled=move || pending.get()>{t(Key::StartImport)}</button>
            </form>
            {move || error.get().map(|e| view! { <ErrorBox error=e/> })}
        </section>
    }
}

/// One batch, polled every second while it runs.
#[component]
fn BatchDetail(id: String, reload: RwSignal<u32>) -> impl IntoView {
    let tick = RwSignal::new(0u32);
    let id = StoredValue::new(id);
    let data = api::query::<gql::ImportBatch>(move || {
        tick.track();
        gql::import_batch::Variables { id: id.get_value() }
    });
    Effect::new(move |_| {
        if let Some(Ok(d)) = data.get() {
            if d.import_batch.status == "running" {
                set_timeout(
                    move || tick.update(|n| *n += 1),
                    std::time::Duration::from_millis(800),
                );
            } else if tick.get_untracked() > 0 {
                // It finished while we watched: the history shows its figures.
                reload.update(|n| *n += 1);
            }
        }
    });
    move || match data.get() {
        None => view! { <Loading/> }.into_any(),
        Some(Err(e)) => view! { <ErrorBox error=e/> }.into_any(),
        Some(Ok(d)) => {
            let b = d.import_batch;
            let running = b.status == "running";
            let (total, accepted, dups, rejected) =
                (b.total_rows, b.accepted, b.duplicates, b.rejected);
            let summary = move || {
                let l = lang();
                fill(
                    l.text(Key::BatchSummary),
                    &[
                        ("total", format::number(l, total)),
                        ("accepted", format::number(l, accepted)),
                        ("duplicates", format::number(l, dups)),
                        ("rejected", format::number(l, rejected)),
                    ],
                )
            };
            let report = b.rejection_report.clone();
            let file_name = format!("rejections-{}.csv", b.id);
            let failed = b.status == "failed";
            let lines = b.rejections;
            let table = if lines.is_empty() {
                // A refused file says why, never that every line was accepted.
                (!running && !failed)
                    .then(|| view! { <p class="muted">{t(Key::NoRejections)}</p> }.into_any())
            } else {
                let rows = lines
                    .into_iter()
                    .map(|r| {
                        let key = r.code.as_ref().map_or(Key::ImpROther, import_reason_key);
                        view! {
                            <tr>
                                <td class="num">{r.line}</td>
                                <td><code>{r.field}</code></td>
                                <td class="reason">{t(key)}</td>
                            </tr>
                        }
                    })
                    .collect_view();
                Some(
                    view! {
                        <button
                            type="button"
                            id="download-report"
                            class="secondary"
                            on:click=move |_| {
                                let _ = api::download(&file_name, "text/csv", &report);
                            }
                        >
                            {t(Key::DownloadReport)}
                        </button>
                        <div class="table-wrap">
                            <table id="rejections">
                                <caption>{t(Key::RejectionReport)}</caption>
                                <thead>
                                    <tr>
                                        <th scope="col">{t(Key::Line)}</th>
                                        <th scope="col">{t(Key::Field)}</th>
                                        <th scope="col">{t(Key::Reason)}</th>
                                    </tr>
                                </thead>
                                <tbody>{rows}</tbody>
                            </table>
                        </div>
                    }
                    .into_any(),
                )
            };
            let refusal = failed.then(|| {
                let columns = b.error_params.join(", ");
                let key = b
                    .error_code
                    .as_ref()
                    .map_or(Key::ImportFailed, import_reason_key);
                let text = move || fill(lang().text(key), &[("columns", columns.clone())]);
                view! { <p class="alert error" id="batch-error" role="alert">{text}</p> }
            });
            view! {
                <section class="panel" id="batch" aria-live="polite" data-status=b.status.clone()>
                    <h2>{b.file_name}</h2>
                    <p>
                        <span class="badge" id="batch-status">{t(batch_status_key(&b.status))}</span>
                        " "
                        {t(kind_key(b.kind))}
                    </p>
                    {(!failed).then(|| view! { <p id="batch-summary">{summary}</p> })}
                    {refusal}
                    {table}
                </section>
            }
            .into_any()
        }
    }
}
