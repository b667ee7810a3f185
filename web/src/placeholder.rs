//! A page whose module comes in a later release: it says so plainly.

use leptos::prelude::*;

use crate::i18n::Key;
use crate::ui::{EmptyState, PageTitle};

#[component]
pub fn Placeholder(title: Key, text: Key) -> impl IntoView {
    view! {
        <PageTitle key=title/>
        <EmptyState title=Key::NoDataYet text=text/>
    }
}
