//! The operator portal's reference registers, a program of their own under
//! `/operator/reference` (the operator program's budget could not hold them beside its other
//! pages): the regions with their localities and the organisations, each with its history (the
//! date each value takes effect, issue 13). The portal's navigation loads the other programs
//! for its other pages.

mod history;
mod organisations;
mod regions;

// The shared crate's modules under the names the pages use (`crate::api`, `crate::ui`, ...).
use adal_web::{api, format, gql, i18n, ident, reference, ui};

use adal_web::portal::Portal;
use adal_web::shell::{Frame, NotFound, PortalShell};
use leptos::prelude::*;
use leptos_router::components::{ParentRoute, Route, Router, Routes};
use leptos_router::path;

/// Rows per page of the registers.
const PAGE: i64 = 20;

fn main() {
    adal_web::shell::start(App);
}

#[component]
fn App() -> impl IntoView {
    view! {
        <Router base=Portal::Operator.path()>
            <Frame portal=Some(Portal::Operator)>
                <Routes fallback=|| view! { <NotFound/> }>
                    <ParentRoute path=path!("reference") view=|| view! { <PortalShell portal=Portal::Operator/> }>
                        <Route path=path!("") view=organisations::OrganisationsPage/>
                        <Route path=path!("regions") view=regions::RegionsPage/>
                        <Route path=path!("organisations") view=organisations::OrganisationsPage/>
                    </ParentRoute>
                </Routes>
            </Frame>
        </Router>
    }
}
