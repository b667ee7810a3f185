//! Adal's portals: a Leptos client-side app compiled to WebAssembly.
//!
//! It talks to the API only through GraphQL (`/graphql`), with the typed operations of
//! [`gql`], checked against `schema.graphql` at compile time.

mod api;
mod app;
mod decode;
mod format;
mod gql;
mod i18n;
mod ident;
mod pages;
mod portal;
mod session;
mod ui;

fn main() {
    use leptos::prelude::GetUntracked;
    let lang = session::init().lang.get_untracked();
    // The page is drawn once its language's texts are here (one small request). Leptos's
    // executor starts with the mount, hence wasm-bindgen's own spawn here.
    wasm_bindgen_futures::spawn_local(async move {
        match i18n::load(lang).await {
            Ok(()) => leptos::mount::mount_to_body(app::App),
            Err(e) => ui::startup_failed(&e),
        }
    });
}
