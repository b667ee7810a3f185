//! The citizen portal, phone first: a parent's children (attendance, meals, allergens, the
//! school account, the educational resources they sign in to with Adal). Served under
//! `/citizen`; a person who is both parent and graduate sees both. The parent's vouchers
//! (`/citizen/vouchers`, `web/src/bin/citizen_vouchers/`) and the graduate's own work-off
//! obligation (`/citizen/obligation`, `web/src/bin/citizen_obligation/`) are programs of their
//! own, so that none outgrows a phone's budget.

mod pages;

// The shared crate's modules under the names the pages use (`crate::api`, `crate::ui`, ...).
use adal_web::{api, contests, days, format, gql, i18n, labels, ledger, records, ui};

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
                        <Route path=path!("resources") view=pages::resources::ChildResourcesPage/>
                        <Route path=path!("decisions") view=pages::decisions::MyDecisions/>
                    </ParentRoute>
                </Routes>
            </Frame>
        </Router>
    }
}

/// `/citizen`: a parent's children, or a graduate's obligation (another program: a page load).
#[component]
fn CitizenHome() -> impl IntoView {
    let navigate = use_navigate();
    let graduate_only = matches!(
        adal_web::session::current(),
        Some(s) if !s.holds(Role::Parent) && s.holds(Role::Graduate)
    );
    Effect::new(move |_| {
        if graduate_only {
            adal_web::shell::redirect("/citizen/obligation");
        } else {
            // Relative to the router's base, `/citizen`.
            navigate(
                "/children",
                NavigateOptions {
                    replace: true,
                    ..Default::default()
                },
            );
        }
    });
}
