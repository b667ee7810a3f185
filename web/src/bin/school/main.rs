//! The school's portal: today's register and devices, the canteen till on a tablet, the
//! week's menus and dishes with their ratings, the monthly reports and the Social Wallet, and
//! the school's list with cards and meal grounds, the school's settings and devices, and the
//! resources its pupils and teachers sign in to with Adal. Served under `/school`.

mod pages;

// The shared crate's modules under the names the pages use (`crate::api`, `crate::ui`, ...).
use adal_web::{api, format, gql, i18n, labels, session, ui};

use adal_web::portal::Portal;
use adal_web::shell::{Frame, NotFound, PortalShell};
use leptos::prelude::*;
use leptos_router::components::{ParentRoute, Route, Router, Routes};
use leptos_router::path;
use pages::{menus, pupils, reports, settings, till, today};

fn main() {
    adal_web::shell::start(App);
}

/// `/school/resources`: single sign-on's resources of the administrator's school.
fn resources() -> impl IntoView {
    pages::common::with_school(|s| view! { <adal_web::sso::ResourcesDesk school=s/> }.into_any())
}

#[component]
fn App() -> impl IntoView {
    view! {
        <Router base=Portal::School.path()>
            <Frame portal=Some(Portal::School)>
                <Routes fallback=|| view! { <NotFound/> }>
                    <ParentRoute path=path!("") view=|| view! { <PortalShell portal=Portal::School/> }>
                        <Route path=path!("") view=today::TodayPage/>
                        <Route path=path!("till") view=till::TillPage/>
                        <Route path=path!("menus") view=menus::MenusPage/>
                        <Route path=path!("reports") view=reports::ReportsPage/>
                        <Route path=path!("pupils") view=pupils::PupilsPage/>
                        <Route path=path!("settings") view=settings::SettingsPage/>
                        <Route path=path!("contests") view=adal_web::contests::ContestDesk/>
                        <Route path=path!("resources") view=resources/>
                    </ParentRoute>
                </Routes>
            </Frame>
        </Router>
    }
}
