//! The akimat's portal (vouchers for children's clubs): its pages come with the voucher
//! module; until then each says so plainly. Served under `/akimat`.

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
        <Router base=Portal::Akimat.path()>
            <Frame portal=Some(Portal::Akimat)>
                <Routes fallback=|| view! { <NotFound/> }>
                    <ParentRoute path=path!("") view=|| view! { <PortalShell portal=Portal::Akimat/> }>
                        <Route path=path!("") view=|| view! { <Placeholder title=Key::NavVouchersQueue text=Key::EmptyVouchersQueue/> }/>
                        <Route path=path!("providers") view=|| view! { <Placeholder title=Key::NavProviders text=Key::EmptyProviders/> }/>
                        <Route path=path!("budgets") view=|| view! { <Placeholder title=Key::NavBudgets text=Key::EmptyBudgets/> }/>
                    </ParentRoute>
                </Routes>
            </Frame>
        </Router>
    }
}
