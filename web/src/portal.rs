//! The portals, which roles open them, and the pages of each.

use crate::gql::Role;
use crate::i18n::Key;

/// Programs of their own inside a portal, by folder (and path): pages a portal's phone budget
/// could not hold beside its others. The portal's navigation loads them as another page.
pub const NESTED: &[&str] = &[
    "citizen/vouchers",
    "citizen/obligation",
    "operator/rules",
    "operator/templates",
    "operator/oversight",
    "operator/reference",
];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Portal {
    Operator,
    Akimat,
    Provider,
    School,
    /// Parents and graduates (phone first).
    Citizen,
}

impl Portal {
    pub const ALL: [Portal; 5] = [
        Portal::Operator,
        Portal::Akimat,
        Portal::Provider,
        Portal::School,
        Portal::Citizen,
    ];

    /// The portal a role works in; `None` for machine clients.
    pub fn of(role: Role) -> Option<Portal> {
        match role {
            Role::OperatorAdmin | Role::OperatorAnalyst | Role::CommissionMember => {
                Some(Portal::Operator)
            }
            Role::AkimatOfficer => Some(Portal::Akimat),
            Role::ProviderStaff => Some(Portal::Provider),
            Role::SchoolAdmin | Role::SchoolStaff => Some(Portal::School),
            Role::Parent | Role::Graduate => Some(Portal::Citizen),
            Role::Integration | Role::Device | Role::Pupil | Role::Unknown => None,
        }
    }

    /// The portal's name: its bundle's folder in `web/dist/` and the first segment of its
    /// paths.
    pub fn name(self) -> &'static str {
        match self {
            Portal::Operator => "operator",
            Portal::Akimat => "akimat",
            Portal::Provider => "provider",
            Portal::School => "school",
            Portal::Citizen => "citizen",
        }
    }

    /// The portal's path, also its router's base: `/operator`.
    pub fn path(self) -> &'static str {
        match self {
            Portal::Operator => "/operator",
            Portal::Akimat => "/akimat",
            Portal::Provider => "/provider",
            Portal::School => "/school",
            Portal::Citizen => "/citizen",
        }
    }

    pub fn title(self) -> Key {
        match self {
            Portal::Operator => Key::PortalOperator,
            Portal::Akimat => Key::PortalAkimat,
            Portal::Provider => Key::PortalProvider,
            Portal::School => Key::PortalSchool,
            Portal::Citizen => Key::PortalCitizen,
        }
    }

    /// The navigation of the portal: (path, label, roles that see it; empty = every role
    /// of the portal).
    pub fn pages(self) -> &'static [(&'static str, Key, &'static [Role])] {
        const OPERATOR_STAFF: &[Role] = &[Role::OperatorAdmin, Role::OperatorAnalyst];
        const PARENT: &[Role] = &[Role::Parent];
        match self {
            Portal::Operator => &[
                ("/operator", Key::NavDashboard, &[]),
                ("/operator/graduates", Key::NavGraduates, &[]),
                ("/operator/imports", Key::NavImports, OPERATOR_STAFF),
                ("/operator/commission", Key::NavCommission, &[]),
                ("/operator/claims", Key::NavClaims, OPERATOR_STAFF),
                // The administrators answer the operator's decisions, the commission its own.
                (
                    "/operator/oversight/contests",
                    Key::NavContests,
                    &[Role::OperatorAdmin, Role::CommissionMember],
                ),
                ("/operator/rules", Key::NavRules, &[]),
                ("/operator/templates", Key::NavTemplates, OPERATOR_STAFF),
                ("/operator/campaigns", Key::NavCampaigns, OPERATOR_STAFF),
                (
                    "/operator/dead-letters",
                    Key::NavDeadLetters,
                    OPERATOR_STAFF,
                ),
                ("/operator/reference/regions", Key::NavRegions, &[]),
                (
                    "/operator/reference/organisations",
                    Key::NavOrganisations,
                    &[],
                ),
                // Administrators and analysts read accounts; only administrators change them.
                ("/operator/accounts", Key::NavAccounts, OPERATOR_STAFF),
                // Administrators and analysts read the clients; only administrators change them.
                (
                    "/operator/oversight/clients",
                    Key::NavClients,
                    OPERATOR_STAFF,
                ),
                // Single sign-on's resources: the administrators register them for any school.
                (
                    "/operator/oversight/resources",
                    Key::SsoNav,
                    &[Role::OperatorAdmin],
                ),
            ],
            Portal::Akimat => &[
                ("/akimat", Key::NavVouchersQueue, &[]),
                ("/akimat/providers", Key::NavProviders, &[]),
                ("/akimat/budgets", Key::NavBudgets, &[]),
                ("/akimat/dashboard", Key::NavDashboard, &[]),
                ("/akimat/contests", Key::NavContests, &[]),
            ],
            Portal::Provider => &[
                ("/provider", Key::ProviderNavSheet, &[]),
                ("/provider/sections", Key::ProviderNavSections, &[]),
                ("/provider/payouts", Key::ProviderNavPayouts, &[]),
            ],
            Portal::School => &[
                ("/school", Key::NavSchoolToday, &[]),
                ("/school/till", Key::NavSchoolTill, &[]),
                ("/school/menus", Key::NavMenus, &[]),
                ("/school/reports", Key::NavReports, &[Role::SchoolAdmin]),
                ("/school/pupils", Key::NavSchoolPupils, &[]),
                (
                    "/school/settings",
                    Key::NavSchoolSettings,
                    &[Role::SchoolAdmin],
                ),
                ("/school/contests", Key::NavContests, &[Role::SchoolAdmin]),
                ("/school/resources", Key::SsoNav, &[Role::SchoolAdmin]),
            ],
            Portal::Citizen => &[
                ("/citizen/children", Key::NavMyChildren, PARENT),
                ("/citizen/attendance", Key::ChildToday, PARENT),
                ("/citizen/meals", Key::NavMeals, PARENT),
                ("/citizen/vouchers", Key::NavVouchers, PARENT),
                ("/citizen/allergens", Key::NavAllergens, PARENT),
                ("/citizen/account", Key::NavSchoolAccount, PARENT),
                (
                    "/citizen/obligation",
                    Key::NavMyObligation,
                    &[Role::Graduate],
                ),
                ("/citizen/decisions", Key::NavDecisions, &[]),
            ],
        }
    }

    /// The program (the bundle's folder under `web/dist/`, its path without the leading
    /// slash) that draws `path`: a portal's own, or one of the [`NESTED`] programs inside it.
    pub fn program_of(path: &str) -> &str {
        let path = path.trim_start_matches('/');
        NESTED
            .iter()
            .find(|p| within(path, p))
            .copied()
            .unwrap_or_else(|| path.split('/').next().unwrap_or(""))
    }

    /// The portal a path belongs to.
    pub fn of_path(path: &str) -> Option<Portal> {
        Portal::ALL.into_iter().find(|p| within(path, p.path()))
    }

    /// The page of the portal's navigation that `path` is on: the entry whose address is the
    /// longest one `path` lies within (a graduate's card is on the graduates page).
    pub fn page_of(self, path: &str) -> Option<Key> {
        let path = path.trim_end_matches('/');
        self.pages()
            .iter()
            .filter(|(href, _, _)| within(path, href))
            .max_by_key(|(href, _, _)| href.len())
            .map(|(_, key, _)| *key)
    }
}

/// Whether `path` is `prefix` or an address under it (`/a/b` is within `/a`, `/ab` is not).
fn within(path: &str, prefix: &str) -> bool {
    path.strip_prefix(prefix)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

/// The label of a role.
pub fn role_key(role: Role) -> Key {
    match role {
        Role::OperatorAdmin => Key::RoleOperatorAdmin,
        Role::OperatorAnalyst => Key::RoleOperatorAnalyst,
        Role::CommissionMember => Key::RoleCommissionMember,
        Role::AkimatOfficer => Key::RoleAkimatOfficer,
        Role::SchoolAdmin => Key::RoleSchoolAdmin,
        Role::SchoolStaff => Key::RoleSchoolStaff,
        Role::ProviderStaff => Key::RoleProviderStaff,
        Role::Parent => Key::RoleParent,
        Role::Graduate => Key::RoleGraduate,
        Role::Integration => Key::RoleIntegration,
        Role::Device => Key::RoleDevice,
        Role::Pupil => Key::SsoRolePupil,
        Role::Unknown => Key::RoleUnknown,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_map_to_programs() {
        assert_eq!(Portal::program_of("/citizen/vouchers"), "citizen/vouchers");
        assert_eq!(
            Portal::program_of("/citizen/vouchers/12"),
            "citizen/vouchers"
        );
        assert_eq!(Portal::program_of("/citizen/voucherstore"), "citizen");
        assert_eq!(Portal::program_of("/citizen/meals"), "citizen");
        assert_eq!(Portal::program_of("/operator"), "operator");
        assert_eq!(Portal::program_of("/operator/rules"), "operator/rules");
        assert_eq!(Portal::program_of("/operator/rulesets"), "operator");
        assert_eq!(
            Portal::program_of("/operator/oversight/clients"),
            "operator/oversight"
        );
        assert_eq!(
            Portal::program_of("/operator/reference/organisations"),
            "operator/reference"
        );
        assert_eq!(Portal::program_of("/operator/accounts"), "operator");
    }

    #[test]
    fn paths_map_to_portals() {
        assert_eq!(Portal::of_path("/operator"), Some(Portal::Operator));
        assert_eq!(
            Portal::of_path("/operator/reference/organisations"),
            Some(Portal::Operator)
        );
        assert_eq!(Portal::of_path("/operatorx"), None);
        assert_eq!(Portal::of_path("/citizen/meals"), Some(Portal::Citizen));
        assert_eq!(Portal::of_path("/provider"), Some(Portal::Provider));
        assert_eq!(Portal::of_path("/login"), None);
    }

    #[test]
    fn a_path_is_on_the_page_of_its_longest_address() {
        let o = Portal::Operator;
        assert_eq!(o.page_of("/operator"), Some(Key::NavDashboard));
        assert_eq!(o.page_of("/operator/"), Some(Key::NavDashboard));
        assert_eq!(o.page_of("/operator/graduates"), Some(Key::NavGraduates));
        assert_eq!(o.page_of("/operator/graduates/42"), Some(Key::NavGraduates));
        assert_eq!(o.page_of("/operator/claimsx"), Some(Key::NavDashboard));
        assert_eq!(o.page_of("/citizen/meals"), None);
        assert_eq!(
            o.page_of("/operator/oversight/clients"),
            Some(Key::NavClients)
        );
        assert_eq!(
            o.page_of("/operator/reference/regions"),
            Some(Key::NavRegions)
        );
        assert_eq!(
            Portal::Citizen.page_of("/citizen/vouchers/7"),
            Some(Key::NavVouchers)
        );
    }

    #[test]
    fn every_page_path_is_inside_its_portal() {
        for p in Portal::ALL {
            for (path, _, _) in p.pages() {
                assert_eq!(Portal::of_path(path), Some(p), "{path}");
            }
            assert_eq!(Portal::of_path(p.path()), Some(p));
            assert_eq!(p.path().trim_start_matches('/'), p.name());
        }
    }

    #[test]
    fn every_person_role_has_a_portal_and_machines_none() {
        for r in [Role::Parent, Role::Graduate] {
            assert_eq!(Portal::of(r), Some(Portal::Citizen));
        }
        assert_eq!(Portal::of(Role::ProviderStaff), Some(Portal::Provider));
        assert_eq!(Portal::of(Role::Device), None);
        assert_eq!(Portal::of(Role::Pupil), None);
        assert_eq!(Portal::of(Role::Integration), None);
    }
}
