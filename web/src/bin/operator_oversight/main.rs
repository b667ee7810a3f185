//! The operator's oversight, a program of its own under `/operator/oversight` (the operator
//! program's budget could not hold these pages beside its others): the desk of contests of the
//! operator's and the commission's decisions, the integration clients (the state systems
//! reading Adal through its API) with their grants and use, and single sign-on's resources of
//! every school. The portal's navigation loads the other programs for its other pages.

mod clients;

// The shared crate's modules under the names the pages use (`crate::api`, `crate::ui`, ...).
use adal_web::{api, format, gql, i18n, ui};

use adal_web::contests::ContestDesk;
use adal_web::portal::Portal;
use adal_web::shell::{Frame, NotFound, PortalShell};
use adal_web::sso::ResourcesDesk;
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
                    <ParentRoute path=path!("oversight") view=|| view! { <PortalShell portal=Portal::Operator/> }>
                        <Route path=path!("contests") view=ContestDesk/>
                        <Route path=path!("clients") view=clients::ClientsPage/>
                        <Route path=path!("resources") view=|| view! { <ResourcesDesk/> }/>
                    </ParentRoute>
                </Routes>
            </Frame>
        </Router>
    }
}
