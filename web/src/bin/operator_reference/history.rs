//! A reference value's history as the pages show it: from when each value holds, when it was
//! recorded, and by what (an import or an operator).

use leptos::prelude::*;

use crate::format;
use crate::i18n::{Key, Lang};
use crate::ui::{fill, local_time, t};

/// The date the API gives the values that hold from the start: the first version of a row
/// that existed before the history was kept, and of a new organisation.
pub const SINCE_EVER: &str = "1900-01-01";

/// From when a value holds: "From the start" for the first values, else the date in words.
pub fn from_text(l: Lang, date: &str) -> String {
    if date.starts_with(SINCE_EVER) {
        l.text(Key::RefHistoryFromStart).to_string()
    } else {
        format::date(l, date)
    }
}

/// What recorded a value: an import (by its number) or an operator.
pub fn source_text(l: Lang, import_batch: Option<&str>) -> String {
    match import_batch {
        Some(n) => fill(l.text(Key::RefHistoryByImport), &[("n", n.to_string())]),
        None => l.text(Key::RefHistoryByOperator).to_string(),
    }
}

/// When a value was recorded, in Kazakhstan's time; a dash for the values of a row kept
/// without history (they hold from the start, recorded by no one in particular).
pub fn recorded_text(l: Lang, at: Option<&str>) -> String {
    at.map_or_else(|| "—".to_string(), |at| local_time(l, at))
}

/// The button that opens and closes a row's history; `controls` is the id of what it opens.
pub fn toggle(
    label: String,
    controls: String,
    open: Signal<bool>,
    on_click: impl Fn() + 'static,
) -> impl IntoView {
    view! {
        <button
            type="button"
            class="link history"
            aria-label=label
            aria-controls=controls
            aria-expanded=move || if open.get() { "true" } else { "false" }
            on:click=move |_| on_click()
        >
            {t(Key::RefHistory)}
        </button>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_values_hold_from_the_start_in_words() {
        assert_eq!(from_text(Lang::En, "1900-01-01"), "From the start");
        assert_eq!(from_text(Lang::En, "2026-12-01"), "1 December 2026");
        assert_eq!(from_text(Lang::Ru, "2026-12-01"), "1 декабря 2026 г.");
        assert!(!from_text(Lang::Kk, "1900-01-01").contains("1900"));
    }

    #[test]
    fn a_value_is_recorded_by_an_import_or_an_operator() {
        assert_eq!(source_text(Lang::En, Some("12")), "by import #12");
        assert_eq!(source_text(Lang::En, None), "by an operator");
        assert_eq!(recorded_text(Lang::En, None), "—");
    }
}
