//! Small shared pieces of the pages: text in the chosen language, errors, loading,
//! empty states and Relay pagination.

use leptos::html::Input;
use leptos::prelude::*;

use crate::api::{self, ApiError};
use crate::format;
use crate::i18n::{Key, Lang};
use crate::session::{self, AppState};

/// The app state; created before the first component renders.
pub fn app() -> AppState {
    match session::state() {
        Some(s) => s,
        None => session::init(),
    }
}

/// The current language (tracked).
pub fn lang() -> Lang {
    app().lang.get()
}

/// Shown instead of the app when the texts of its language cannot be loaded at start-up
/// (no texts yet, so the message is in all three languages).
pub fn startup_failed(reason: &str) {
    leptos::logging::error!("Adal: the interface texts could not be loaded: {reason}");
    leptos::mount::mount_to_body(|| {
        view! {
            <main class="notice" role="alert">
                <p>"Adal: интерфейс мәтіндері жүктелмеді. Бетті қайта жүктеңіз."</p>
                <p>"Adal: не удалось загрузить тексты интерфейса. Обновите страницу."</p>
                <p>"Adal: the interface texts could not be loaded. Reload the page."</p>
            </main>
        }
    });
}

/// A text that follows the language switch.
pub fn t(key: Key) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    let lang = app().lang;
    move || lang.get().text(key)
}

/// A text with `{name}` placeholders filled in.
pub fn fill(template: &str, args: &[(&str, String)]) -> String {
    let mut out = template.to_string();
    for (name, value) in args {
        out = out.replace(&format!("{{{name}}}"), value);
    }
    out
}

/// An error as the person reads it, in their language: a refusal's reason (proof of notice,
/// a full section) is explained, with its machine code beside it for a support call;
/// otherwise the error's code says what happened. The API's own message is English for
/// machines and logs and is never shown.
#[component]
pub fn ErrorBox(error: ApiError) -> impl IntoView {
    let explained = error
        .reason
        .as_ref()
        .and_then(|(r, v)| crate::errors::refusal_key(r).map(|k| (k, r.clone(), v.clone())));
    let reason = explained.as_ref().map(|(_, r, _)| r.clone());
    let code = error.code;
    let headline = move || match &explained {
        Some((k, _, value)) => fill(lang().text(*k), &[("value", value.clone())]),
        None => lang().text(code.key()).to_string(),
    };
    view! {
        <div class="alert error" role="alert">
            <strong>{headline}</strong>
            {reason.map(|r| view! { " " <code class="muted">{r}</code> })}
        </div>
    }
}

/// An uploaded document: its name downloads it (with the session's token); a failed download
/// says why next to it.
#[component]
pub fn DocumentLink(name: String, path: String, size: i64) -> impl IntoView {
    let error: RwSignal<Option<ApiError>> = RwSignal::new(None);
    let kb = (size + 1023) / 1024;
    let label = name.clone();
    view! {
        <button type="button" class="link document" on:click=move |_| {
            download(path.clone(), name.clone(), error);
        }>{label}</button>
        " · " {move || format::number(lang(), kb)} " KB"
        {error_view(error)}
    }
}

/// Downloads a file of the API as the signed-in person and saves it; a failure goes to
/// `error`. The one place a download starts, so its task is compiled once.
pub fn download(path: String, file_name: String, error: RwSignal<Option<ApiError>>) {
    error.set(None);
    leptos::task::spawn_local(async move {
        if let Err(e) = crate::api::fetch_download(&path, &file_name).await {
            error.set(Some(e));
        }
    });
}

/// An error signal's box, when there is an error.
pub fn error_view(error: RwSignal<Option<ApiError>>) -> impl IntoView {
    move || error.get().map(|e| view! { <ErrorBox error=e/> })
}

/// An error signal's box, with a portal's own explanation first: `explain` names the text for a
/// refusal the API states by a form's field; anything else goes to the shared [`ErrorBox`].
pub fn explained_error_view(
    error: RwSignal<Option<ApiError>>,
    explain: fn(&ApiError) -> Option<Key>,
) -> impl IntoView {
    move || {
        error.get().map(|e| match explain(&e) {
            Some(k) => view! {
                <div class="alert error" role="alert">
                    <strong>{t(k)}</strong>
                </div>
            }
            .into_any(),
            None => view! { <ErrorBox error=e/> }.into_any(),
        })
    }
}

/// Sends a mutation ([`api::send`]), then reloads what depends on it, or shows the error.
pub fn act(sent: api::Pending<()>, error: RwSignal<Option<ApiError>>, reload: RwSignal<u32>) {
    error.set(None);
    leptos::task::spawn_local(async move {
        match sent.await {
            Ok(()) => reload.update(|n| *n += 1),
            Err(e) => error.set(Some(e)),
        }
    });
}

/// An RFC 3339 instant of the API in Kazakhstan's time (the country's one time zone, the
/// one the API counts days in), whatever the browser's time zone, as [`format::date_time`]
/// writes it.
pub fn local_time(l: Lang, instant: &str) -> String {
    let ms = js_sys::Date::parse(instant);
    if ms.is_nan() {
        return instant.to_string();
    }
    let (date, time) = crate::days::kazakhstan_time(ms);
    format::date_time(l, date, time)
}

/// What a query shows: that it loads, its error, or `ok` of its data.
pub fn loaded<T>(result: Option<Result<T, ApiError>>, ok: impl FnOnce(T) -> AnyView) -> AnyView {
    match result {
        None => view! { <Loading/> }.into_any(),
        Some(Err(e)) => view! { <ErrorBox error=e/> }.into_any(),
        Some(Ok(data)) => ok(data),
    }
}

/// A table in its scrolling frame: `heads` in the language as the header row, then `rows`.
/// `id` names the table; `class` styles it (a table repeated on a page has no id).
pub fn table(
    l: Lang,
    id: &'static str,
    class: &'static str,
    heads: &[Key],
    rows: AnyView,
) -> AnyView {
    let heads = heads
        .iter()
        .map(|k| view! { <th scope="col">{l.text(*k)}</th> })
        .collect_view();
    let id = (!id.is_empty()).then_some(id);
    view! {
        <div class="table-wrap">
            <table id=id class=class>
                <thead>
                    <tr>{heads}</tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
    .into_any()
}

/// Texts as one line, comma-separated (file names).
pub fn joined(items: impl IntoIterator<Item = String>) -> String {
    items.into_iter().collect::<Vec<_>>().join(", ")
}

/// Whether the signed-in person may change the operator's settings (rules, templates,
/// reference data): the operator's administrator; others read them.
pub fn can_write() -> bool {
    app().session.with(|s| {
        s.as_ref()
            .is_some_and(|s| s.holds(crate::gql::Role::OperatorAdmin))
    })
}

/// A labelled menu of `options` (a value and its label each); `any` adds a first, empty
/// option ("All statuses"); `pick` receives the value chosen; `value`, when given, is the
/// value shown as chosen (a filter restored from the address).
#[component]
pub fn Choice(
    #[prop(into)] id: String,
    label: Key,
    options: Vec<(&'static str, Key)>,
    #[prop(optional)] any: Option<Key>,
    pick: Callback<String>,
    #[prop(optional)] value: Option<RwSignal<String>>,
) -> impl IntoView {
    let chosen = move |v: &str| value.is_some_and(|c| c.with(|c| c == v));
    view! {
        <div class="field">
            <label for=id.clone()>{t(label)}</label>
            <select id=id on:change=move |ev| pick.run(event_target_value(&ev))>
                {any.map(|k| view! { <option value="">{t(k)}</option> })}
                {options
                    .into_iter()
                    .map(|(v, key)| {
                        view! { <option value=v selected=move || chosen(v)>{t(key)}</option> }
                    })
                    .collect_view()}
            </select>
        </div>
    }
}

/// A figure with its label.
#[component]
pub fn Stat(id: &'static str, label: Key, value: Signal<String>) -> impl IntoView {
    view! {
        <li class="stat" id=id>
            <span class="stat-value">{value}</span>
            <span>{t(label)}</span>
        </li>
    }
}

#[component]
pub fn Loading() -> impl IntoView {
    view! { <p class="loading" role="status" aria-live="polite">{t(Key::Loading)}</p> }
}

/// What a page says when it has nothing to show yet: plain words, no empty table.
#[component]
pub fn EmptyState(title: Key, text: Key) -> impl IntoView {
    view! {
        <section class="empty" aria-labelledby="empty-title">
            <h2 id="empty-title">{t(title)}</h2>
            <p>{t(text)}</p>
        </section>
    }
}

/// The page heading.
#[component]
pub fn PageTitle(key: Key) -> impl IntoView {
    view! { <h1 class="page-title">{t(key)}</h1> }
}

/// Forward Relay pagination with a way back: the `after` cursors of the pages visited.
#[derive(Clone, Copy)]
pub struct Cursor {
    stack: RwSignal<Vec<String>>,
}

impl Default for Cursor {
    fn default() -> Self {
        Self::new()
    }
}

impl Cursor {
    pub fn new() -> Self {
        Self {
            stack: RwSignal::new(Vec::new()),
        }
    }

    /// The `after` of the current page (tracked).
    pub fn after(self) -> Option<String> {
        self.stack.with(|s| s.last().cloned())
    }

    pub fn page(self) -> usize {
        self.stack.with(Vec::len)
    }

    pub fn next(self, end_cursor: String) {
        self.stack.update(|s| s.push(end_cursor));
    }

    pub fn prev(self) {
        self.stack.update(|s| {
            s.pop();
        });
    }

    /// Back to the first page (when a filter changes).
    pub fn reset(self) {
        if self.stack.with_untracked(|s| !s.is_empty()) {
            self.stack.set(Vec::new());
        }
    }
}

/// "1–20 of 57" with previous / next buttons.
#[component]
pub fn Pager(
    cursor: Cursor,
    total: i64,
    shown: usize,
    page_size: i64,
    has_next: bool,
    end_cursor: Option<String>,
) -> impl IntoView {
    let page = cursor.page() as i64;
    let from = if shown == 0 { 0 } else { page * page_size + 1 };
    let to = page * page_size + shown as i64;
    let summary = move || {
        let l = lang();
        fill(
            l.text(Key::ShowingOf),
            &[
                ("from", format::number(l, from)),
                ("to", format::number(l, to)),
                ("total", format::number(l, total)),
            ],
        )
    };
    let next_cursor = end_cursor.filter(|_| has_next);
    let can_next = next_cursor.is_some();
    view! {
        <nav class="pager" aria-label=t(Key::Pagination)>
            <span class="pager-summary" aria-live="polite">{summary}</span>
            <button
                type="button"
                class="secondary"
                disabled=page == 0
                on:click=move |_| cursor.prev()
            >
                {t(Key::Prev)}
            </button>
            <button
                type="button"
                class="secondary"
                disabled=!can_next
                on:click=move |_| {
                    if let Some(c) = next_cursor.clone() {
                        cursor.next(c);
                    }
                }
            >
                {t(Key::Next)}
            </button>
        </nav>
    }
}

/// The parts of a multipart request for `files`, each filling `{variable}.{i}`.
pub fn upload_parts(variable: &str, files: Vec<web_sys::File>) -> Vec<(String, web_sys::File)> {
    files
        .into_iter()
        .enumerate()
        .map(|(i, f)| (format!("{variable}.{i}"), f))
        .collect()
}

/// The files chosen in a file input.
pub fn chosen_files(input: NodeRef<Input>) -> Vec<web_sys::File> {
    let Some(list) = input.get_untracked().and_then(|i| i.files()) else {
        return Vec::new();
    };
    (0..list.length()).filter_map(|i| list.get(i)).collect()
}

/// `Some(s)` unless `s` is blank.
pub fn non_empty(s: String) -> Option<String> {
    let trimmed = s.trim();
    (!trimmed.is_empty()).then(|| trimmed.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fills_placeholders() {
        assert_eq!(
            fill(
                "{from}–{to} / {total}",
                &[
                    ("from", "1".into()),
                    ("to", "20".into()),
                    ("total", "57".into())
                ]
            ),
            "1–20 / 57"
        );
        assert_eq!(non_empty("  ".into()), None);
        assert_eq!(non_empty(" a ".into()), Some("a".into()));
    }
}
