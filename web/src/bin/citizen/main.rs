//! The citizen portal, phone first: a parent's children (attendance, meals, allergens, the
//! school account) and a graduate's own work-off obligation. Served under `/citizen`; a
//! person who is both sees both. The parent's vouchers are a program of their own under
//! `/citizen/vouchers` (`web/src/bin/citizen_vouchers/`), so that neither outgrows a phone's
//! budget.

mod pages;

// The shared crate's modules under the names the pages use (`crate::api`, `crate::ui`, ...).
use adal_web::{api, days, format, gql, i18n, ledger, records, ui};

use adal_web::gql::Role;
use adal_web::portal::Portal;
use adal_web::shell::{Frame, NotFound, PortalShell};
use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::components::{ParentRoute, Route, Router, Routes};
use leptos_router::hooks::use_navigate;
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
                    <ParentRoute path=path!("") view=|| view! { <PortalShell portal=Portal::Citizen/> }>
                        <Route path=path!("") view=CitizenHome/>
                        <Route path=path!("children") view=pages::children::MyChildren/>
                        <Route path=path!("attendance") view=pages::day::ChildDay/>
                        <Route path=path!("meals") view=pages::meals::ChildMeals/>
                        <Route path=path!("allergens") view=pages::allergens::ChildAllergens/>
                        <Route path=path!("account") view=pages::account::ChildAccount/>
                        <Route path=path!("obligation") view=pages::obligation::MyObligation/>
                    </ParentRoute>
                </Routes>
            </Frame>
        </Router>
    }
}

/// `/citizen`: a parent's children, or a graduate's obligation.
#[component]
fn CitizenHome() -> impl IntoView {
    let navigate = use_navigate();
    let to = match adal_web::session::current() {
        Some(s) if !s.holds(Role::Parent) && s.holds(Role::Graduate) => "/obligation",
        _ => "/children",
    };
    // Relative to the router's base, `/citizen`.
    Effect::new(move |_| {
        navigate(
            to,
            NavigateOptions {
                replace: true,
                ..Default::default()
            },
        );
    });
}
