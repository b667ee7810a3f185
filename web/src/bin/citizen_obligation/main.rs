//! The graduate's own work-off obligation, a program of its own under `/citizen/obligation`
//! (the citizen program's phone budget could not hold the ledger beside the parent's pages):
//! the obligation in plain words, the ledger, my employers, claim, tasks and applications.
//! The portal's navigation loads the other programs for its other pages.

mod obligation;

// The shared crate's modules under the names the pages use (`crate::api`, `crate::ui`, ...).
use adal_web::{api, format, gql, i18n, ledger, records, ui};

use adal_web::portal::Portal;
use adal_web::shell::{Frame, NotFound, PortalShell};
use leptos::prelude::*;
use leptos_router::components::{ParentRoute, Route, Router, Routes};
use leptos_router::path;

fn main() {
    adal_web::shell::start(App);
}

#[component]
fn App() -> impl IntoView {
    view! {
        <Router base=Portal::Citizen.path()>
            <Frame portal=Some(Portal::Citizen)>
                <Routes fallback=|| view! { <NotFound/> }>
                    <ParentRoute path=path!("obligation") view=|| view! { <PortalShell portal=Portal::Citizen/> }>
                        <Route path=path!("") view=obligation::MyObligation/>
                    </ParentRoute>
                </Routes>
            </Frame>
        </Router>
    }
}
