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
    session::init();
    leptos::mount::mount_to_body(app::App);
}
