//! The operator's portal (JSC "Financial Center"): the dashboard, graduates and their cards,
//! imports, the commission, claims, campaigns, undelivered messages and accounts. Served under
//! `/operator`; the rules, templates, oversight and reference registers (regions,
//! organisations) are programs of their own under it (`adal_web::portal::NESTED`).

mod pages;

// The shared crate's modules under the names the pages use (`crate::api`, `crate::ui`, ...).
use adal_web::{api, charts, format, gql, i18n, ident, ledger, portal, records, ui};

use leptos::prelude::*;
use leptos_router::components::{ParentRoute, Route, Router, Routes};
use leptos_router::path;

use adal_web::portal::Portal;
use adal_web::shell::{Frame, NotFound, PortalShell};
use pages::{campaigns, claims, commission, imports, messages, obligations, operator};

fn main() {
    adal_web::shell::start(App);
}

#[component]
fn App() -> impl IntoView {
    view! {
        <Router base=Portal::Operator.path()>
            <Frame portal=Some(Portal::Operator)>
                <Routes fallback=|| view! { <NotFound/> }>
                    <ParentRoute path=path!("") view=|| view! { <PortalShell portal=Portal::Operator/> }>
                        <Route path=path!("") view=operator::Dashboard/>
                        <Route path=path!("graduates") view=obligations::GraduatesPage/>
                        <Route path=path!("graduates/:id") view=obligations::GraduateCard/>
                        <Route path=path!("imports") view=imports::ImportsPage/>
                        <Route path=path!("commission") view=commission::CommissionPage/>
                        <Route path=path!("claims") view=claims::ClaimsPage/>
                        <Route path=path!("campaigns") view=campaigns::CampaignsPage/>
                        <Route path=path!("dead-letters") view=messages::DeadLettersPage/>
                        <Route path=path!("accounts") view=operator::AccountsPage/>
                        // The reference registers' former addresses (bookmarks) load their program.
                        <Route path=path!("regions") view=|| moved("/operator/reference/regions")/>
                        <Route
                            path=path!("organisations")
                            view=|| moved("/operator/reference/organisations")
                        />
                    </ParentRoute>
                </Routes>
            </Frame>
        </Router>
    }
}

/// A page that moved to another program: loads it in this one's place.
fn moved(to: &'static str) {
    adal_web::shell::redirect(to);
}
