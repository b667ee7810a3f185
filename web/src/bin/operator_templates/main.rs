//! The operator portal's notification templates, a program of their own under
//! `/operator/templates` (the operator program's budget could not hold the editor beside its
//! other pages): a text per purpose in kk, ru and en, checked on save and previewed with a real
//! graduate's data. The portal's navigation loads the other programs for its other pages.

mod templates;

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
        <Router base=Portal::Operator.path()>
            <Frame portal=Some(Portal::Operator)>
                <Routes fallback=|| view! { <NotFound/> }>
                    <ParentRoute path=path!("templates") view=|| view! { <PortalShell portal=Portal::Operator/> }>
                        <Route path=path!("") view=templates::TemplatesPage/>
                    </ParentRoute>
                </Routes>
            </Frame>
        </Router>
    }
}
