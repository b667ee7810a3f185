//! The operator portal's qualification rules, a program of their own under `/operator/rules`
//! (the operator program's budget could not hold the rules form beside its other pages): the
//! rule set as a form, the preview of how many graduates would change status, and the
//! versions. The portal's navigation loads the other program for its other pages.

mod rules;

// The shared crate's modules under the names the pages use (`crate::api`, `crate::ui`, ...).
use adal_web::{api, format, gql, i18n, ledger, ui};

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
        <Router base=Portal::Operator.path()>
            <Frame portal=Some(Portal::Operator)>
                <Routes fallback=|| view! { <NotFound/> }>
                    <ParentRoute path=path!("rules") view=|| view! { <PortalShell portal=Portal::Operator/> }>
                        <Route path=path!("") view=rules::RulesPage/>
                    </ParentRoute>
                </Routes>
            </Frame>
        </Router>
    }
}
