//! Roles and the scope each one carries.

use crate::vocab::{OrganisationKind, stored_enum};

stored_enum! {
    /// What an account may do. A role assignment pairs a role with its scope.
    Role {
        OperatorAdmin = "operator_admin",
        OperatorAnalyst = "operator_analyst",
        CommissionMember = "commission_member",
        AkimatOfficer = "akimat_officer",
        SchoolAdmin = "school_admin",
        SchoolStaff = "school_staff",
        ProviderStaff = "provider_staff",
        Parent = "parent",
        Graduate = "graduate",
        Integration = "integration",
        Device = "device",
        /// A pupil's login, issued by the school: it signs in to the educational resources
        /// of single sign-on, and to no portal.
        Pupil = "pupil",
    }
}

/// The scope a role's assignment must name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScopeKind {
    /// Nation-wide within the operator's work (operator staff, commission).
    National,
    /// One region, by KATO code.
    Region,
    /// One organisation of the given kind.
    Organisation(OrganisationKind),
    /// The account's own children, through guardianship of the linked person.
    OwnChildren,
    /// The account's linked person only.
    OwnPerson,
    /// An explicit list of operations (third-party systems).
    Operations,
}

impl Role {
    pub fn scope_kind(self) -> ScopeKind {
        match self {
            Role::OperatorAdmin | Role::OperatorAnalyst | Role::CommissionMember => {
                ScopeKind::National
            }
            Role::AkimatOfficer => ScopeKind::Region,
            Role::SchoolAdmin | Role::SchoolStaff | Role::Device => {
                ScopeKind::Organisation(OrganisationKind::School)
            }
            Role::ProviderStaff => ScopeKind::Organisation(OrganisationKind::EducationProvider),
            Role::Parent => ScopeKind::OwnChildren,
            Role::Graduate | Role::Pupil => ScopeKind::OwnPerson,
            Role::Integration => ScopeKind::Operations,
        }
    }

    /// Roles held by machine clients (client id and secret) rather than people.
    pub fn is_client_role(self) -> bool {
        matches!(self, Role::Integration | Role::Device)
    }
}

/// The operator's staff: the roles that see the national registers.
pub const OPERATOR_STAFF: &[Role] = &[
    Role::OperatorAdmin,
    Role::OperatorAnalyst,
    Role::CommissionMember,
];

/// Roles whose work includes uploading files (the operator's imports, a graduate's
/// documents, a parent's documents with a contest, a school's dish photos). Only they may send a multipart request, and only it may
/// be larger than `max_body_bytes`; a domain that adds an upload adds its role here.
pub const UPLOADERS: &[Role] = &[
    Role::OperatorAdmin,
    Role::Graduate,
    Role::Parent,
    Role::SchoolAdmin,
    Role::SchoolStaff,
];

/// Protected operations an integration client may be granted by name. Public reference
/// queries need no grant.
pub const GRANTABLE_OPERATIONS: &[&str] = &[
    "persons",
    "person",
    "accounts",
    "account",
    "auditEvents",
    "createOrganisation",
    "updateOrganisation",
    "createPerson",
    "updatePerson",
    "linkGuardian",
];

/// Personal fields an integration client may be granted by name; a field not granted reaches
/// it masked, with the reason in the answer's `extensions.masked`. The same names mark reads
/// on the audit trail.
pub const GRANTABLE_FIELDS: &[&str] = &["iin", "name", "birthDate", "phone", "email"];
