//! The GraphQL schema: the domains' roots merged into one.

use async_graphql::{EmptySubscription, MergedObject, Schema};

use adal_core::audit::AuditQuery;
use adal_core::state::AppState;
use adal_notifications::graphql::{NotificationsMutation, NotificationsQuery};
use adal_obligations::graphql::{ObligationsMutation, ObligationsQuery};
use adal_obligations::notices::{NoticesMutation, NoticesQuery};
use adal_registers::accounts::clients::ClientsMutation;
use adal_registers::accounts::graphql::{AccountsMutation, AccountsQuery};
use adal_registers::auth::{AuthMutation, AuthQuery};
use adal_registers::people::graphql::{PeopleMutation, PeopleQuery};
use adal_registers::reference::graphql::{ReferenceMutation, ReferenceQuery};
use adal_schools::graphql::{SchoolsMutation, SchoolsQuery};
use adal_sso::graphql::{SsoMutation, SsoQuery};
use adal_transparency::graphql::{TransparencyMutation, TransparencyQuery};
use adal_vouchers::clubs_graphql::{ClubsMutation, ClubsQuery};
use adal_vouchers::graphql::{VouchersMutation, VouchersQuery};

#[derive(MergedObject, Default)]
pub struct Query(
    AuthQuery,
    ReferenceQuery,
    PeopleQuery,
    AccountsQuery,
    AuditQuery,
    ObligationsQuery,
    NotificationsQuery,
    NoticesQuery,
    VouchersQuery,
    ClubsQuery,
    SchoolsQuery,
    SsoQuery,
    TransparencyQuery,
    crate::open_data::OpenDataQuery,
);

#[derive(MergedObject, Default)]
pub struct Mutation(
    AuthMutation,
    ReferenceMutation,
    PeopleMutation,
    AccountsMutation,
    ClientsMutation,
    ObligationsMutation,
    NotificationsMutation,
    NoticesMutation,
    VouchersMutation,
    ClubsMutation,
    SchoolsMutation,
    SsoMutation,
    TransparencyMutation,
);

pub type AdalSchema = Schema<Query, Mutation, EmptySubscription>;

/// The schema with its limits; `state` is absent only when printing the SDL.
pub fn build_schema(state: Option<&AppState>, depth: usize, complexity: usize) -> AdalSchema {
    // The domains register their notification purposes before the schema's types are made.
    let domains = crate::wiring::domains();
    let mut builder = Schema::build(Query::default(), Mutation::default(), EmptySubscription)
        .register_output_type::<adal_core::error::ErrorCode>()
        // Every `extensions.reason` a domain gives (`adal_core::error::Reason` is made only
        // from these), listed so that clients explain each.
        .register_output_type::<adal_obligations::vocab::ObligationRefusal>()
        .register_output_type::<adal_notifications::vocab::NotificationRefusal>()
        .register_output_type::<adal_vouchers::vocab::VoucherRefusal>()
        .register_output_type::<adal_schools::vocab::SchoolRefusal>()
        .register_output_type::<adal_transparency::vocab::ContestRefusal>()
        .register_output_type::<adal_core::auth::second_factor::SignInRefusal>()
        .register_output_type::<adal_core::clients::ClientRefusal>()
        .limit_depth(depth)
        .limit_complexity(complexity);
    if let Some(state) = state {
        let s = &state.settings;
        builder = builder
            .extension(adal_core::limits::OperationLimits {
                max_root_fields: s.graphql_max_root_fields,
                max_aliases: s.graphql_max_aliases,
                budget: state.cost_budget.clone(),
                requests: state.request_budget.clone(),
            })
            .data(state.clone())
            .data(adal_obligations::service::RegisterCounts::default())
            .data(adal_obligations::service::DashboardCache::default())
            .data(adal_obligations::coverage::CoverageCache::default())
            .data(domains)
            .data(crate::wiring::decisions())
            .data(crate::wiring::school_presence())
            .data(crate::wiring::reference_events());
    }
    builder.finish()
}

/// The schema in SDL, as kept in `schema.graphql`.
pub fn sdl() -> String {
    build_schema(None, usize::MAX, usize::MAX).sdl()
}
