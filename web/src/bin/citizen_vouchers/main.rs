//! The citizen portal's voucher pages, a program of their own under `/citizen/vouchers`
//! (phone first, like the rest of the portal, whose other pages are the `citizen` program):
//! the parent's applications and their place in the queue, applying, the section, the months
//! to confirm or dispute. The portal's navigation loads the other program for its other pages.

mod vouchers;

// The shared crate's modules under the names the pages use (`crate::api`, `crate::ui`, ...).
use adal_web::{api, format, gql, i18n, ui};

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
                    <ParentRoute path=path!("vouchers") view=|| view! { <PortalShell portal=Portal::Citizen/> }>
                        <Route path=path!("") view=vouchers::MyVouchers/>
                        <Route path=path!("apply") view=vouchers::ApplyForVoucher/>
                        <Route path=path!(":id") view=vouchers::VoucherApplication/>
                    </ParentRoute>
                </Routes>
            </Frame>
        </Router>
    }
}
