//! The akimat's portal (vouchers for children's clubs): the region's campaigns with their
//! money and applications, the verification desk, the allocation and its ranking, the
//! providers and their sections, and the monthly payouts. Served under `/akimat`.

mod pages;

// The shared crate's modules under the names the pages use (`crate::api`, `crate::ui`, ...).
use adal_web::{api, charts, format, gql, i18n, session, ui};

use adal_web::portal::Portal;
use adal_web::shell::{Frame, NotFound, PortalShell};
use leptos::prelude::*;
use leptos_router::components::{ParentRoute, Route, Router, Routes};
use leptos_router::path;
use pages::{campaign, campaigns, dashboard, desk, payouts, priority, providers, ranking};

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
                        <Route path=path!("") view=campaigns::CampaignsPage/>
                        <Route path=path!("campaigns/:id") view=campaign::CampaignPage/>
                        <Route path=path!("campaigns/:id/desk") view=desk::DeskPage/>
                        <Route path=path!("campaigns/:id/ranking") view=ranking::RankingPage/>
                        <Route path=path!("priority") view=priority::PriorityPage/>
                        <Route path=path!("providers") view=providers::ProvidersPage/>
                        <Route path=path!("budgets") view=payouts::PayoutsPage/>
                        <Route path=path!("dashboard") view=dashboard::DashboardPage/>
                        <Route path=path!("contests") view=adal_web::contests::ContestDesk/>
                    </ParentRoute>
                </Routes>
            </Frame>
        </Router>
    }
}
