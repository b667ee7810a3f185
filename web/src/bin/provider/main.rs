//! The provider's portal (children's clubs and sections that take vouchers): its pages come
//! with the voucher module; until then its home says so plainly. Served under `/provider`.

use adal_web::i18n::Key;
use adal_web::placeholder::Placeholder;
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
        <Router base=Portal::Provider.path()>
            <Frame portal=Some(Portal::Provider)>
                <Routes fallback=|| view! { <NotFound/> }>
                    <ParentRoute path=path!("") view=|| view! { <PortalShell portal=Portal::Provider/> }>
                        <Route path=path!("") view=|| view! { <Placeholder title=Key::NavProviderHome text=Key::EmptyProviderHome/> }/>
                    </ParentRoute>
                </Routes>
            </Frame>
        </Router>
    }
}
