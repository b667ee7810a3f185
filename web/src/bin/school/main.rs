//! The school's portal (entry, exit and meals): its pages come with the school module; until
//! then each says so plainly. Served under `/school`.

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
        <Router base=Portal::School.path()>
            <Frame portal=Some(Portal::School)>
                <Routes fallback=|| view! { <NotFound/> }>
                    <ParentRoute path=path!("") view=|| view! { <PortalShell portal=Portal::School/> }>
                        <Route path=path!("") view=|| view! { <Placeholder title=Key::NavAttendance text=Key::EmptySchoolAttendance/> }/>
                        <Route path=path!("meals") view=|| view! { <Placeholder title=Key::NavMeals text=Key::EmptySchoolMeals/> }/>
                        <Route path=path!("menus") view=|| view! { <Placeholder title=Key::NavMenus text=Key::EmptyMenus/> }/>
                        <Route path=path!("reports") view=|| view! { <Placeholder title=Key::NavReports text=Key::EmptyReports/> }/>
                    </ParentRoute>
                </Routes>
            </Frame>
        </Router>
    }
}
