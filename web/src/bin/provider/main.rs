//! The provider's portal (children's clubs and sections paid by vouchers): the monthly
//! attendance sheet of a section, the organisation's sections, and the payouts. Served under
//! `/provider`.

mod pages;

// The shared crate's modules under the names the pages use (`crate::api`, `crate::ui`, ...).
use adal_web::{api, format, gql, i18n, ui};

use adal_web::portal::Portal;
use adal_web::shell::{Frame, NotFound, PortalShell};
use leptos::prelude::*;
use leptos_router::components::{ParentRoute, Route, Router, Routes};
use leptos_router::path;
use pages::{payouts, sections, sheet};

fn main() {
    adal_web::shell::start(App);
}

#[component]
fn App() -> impl IntoView {
    view! {
        <Router base=Portal::Provider.path()>
            <Frame portal=Some(Portal::Provider)>
                <Routes fallback=|| view! { <NotFound/> }>
                    <ParentRoute path=path!("") view=|| view! { <PortalShell portal=Portal::Provider/> }>
                        <Route path=path!("") view=sheet::SheetPage/>
                        <Route path=path!("attendance") view=sheet::SheetPage/>
                        <Route path=path!("sections") view=sections::SectionsPage/>
                        <Route path=path!("payouts") view=payouts::PayoutsPage/>
                    </ParentRoute>
                </Routes>
            </Frame>
        </Router>
    }
}
