//! Typed GraphQL operations, checked against `schema.graphql` at compile time.
//!
//! Each operation lives in a `.graphql` file under `web/graphql/`; `graphql_client` generates
//! a module per operation. The enums shared by several operations (`Role`, `Language`,
//! `OrganisationKind`) are defined once here (`extern_enums`); `tests::enums_match_schema`
//! checks them against the schema so a new or renamed value fails the tests.

use graphql_client::GraphQLQuery;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

// Custom scalars of the schema, as the JSON they travel as.
pub type DateTime = String;
/// The `JSON` scalar (rules, a claim's computation).
#[allow(clippy::upper_case_acronyms)]
pub type JSON = serde_json::Value;
/// A file of a multipart request: `null` in the variables, the file in its own part
/// (see `api::send`).
pub type Upload = ();
// graphql_client names the `Date` scalar `NaiveDate` in generated code.
pub type NaiveDate = String;

macro_rules! schema_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident = $text:literal),* $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name {
            $($variant,)*
            /// A value this build of the web app does not know yet.
            Unknown,
        }

        impl $name {
            #[allow(dead_code)]
            pub const ALL: &[$name] = &[$($name::$variant),*];

            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text,)*
                    $name::Unknown => "UNKNOWN",
                }
            }

            pub fn parse(s: &str) -> Self {
                match s {
                    $($text => $name::$variant,)*
                    _ => $name::Unknown,
                }
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = String::deserialize(d)?;
                Ok($name::parse(&s))
            }
        }
    };
}

schema_enum!(
    /// A role an account holds, possibly scoped to an organisation or a region.
    Role {
        OperatorAdmin = "OPERATOR_ADMIN",
        OperatorAnalyst = "OPERATOR_ANALYST",
        CommissionMember = "COMMISSION_MEMBER",
        AkimatOfficer = "AKIMAT_OFFICER",
        SchoolAdmin = "SCHOOL_ADMIN",
        SchoolStaff = "SCHOOL_STAFF",
        ProviderStaff = "PROVIDER_STAFF",
        Parent = "PARENT",
        Graduate = "GRADUATE",
        Integration = "INTEGRATION",
        Device = "DEVICE",
        // A pupil's login for single sign-on's resources (issued by the school): no portal.
        Pupil = "PUPIL",
    }
);

schema_enum!(
    /// The interface languages.
    Language {
        Kk = "KK",
        Ru = "RU",
        En = "EN",
    }
);

schema_enum!(
    /// What kind of organisation a record is.
    OrganisationKind {
        Operator = "OPERATOR",
        University = "UNIVERSITY",
        College = "COLLEGE",
        HigherCollege = "HIGHER_COLLEGE",
        School = "SCHOOL",
        Nis = "NIS",
        Employer = "EMPLOYER",
        EducationProvider = "EDUCATION_PROVIDER",
        Akimat = "AKIMAT",
        StateBody = "STATE_BODY",
        Healthcare = "HEALTHCARE",
        Research = "RESEARCH",
        ResearchUnit = "RESEARCH_UNIT",
        Veterinary = "VETERINARY",
        Agrarian = "AGRARIAN",
        Other = "OTHER",
    }
);

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/session.graphql",
    extern_enums("Role", "Language", "OrganisationKind"),
    response_derives = "Debug, Clone, PartialEq",
    variables_derives = "Debug, Clone",
    skip_serializing_none
)]
pub struct Login;

/// The open figures of the public page (`/open`), read without signing in.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/open.graphql",
    extern_enums("Role", "Language", "OrganisationKind"),
    response_derives = "Debug, Clone, PartialEq",
    variables_derives = "Debug, Clone",
    skip_serializing_none
)]
pub struct OpenFigures;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/session.graphql",
    extern_enums("Role", "Language", "OrganisationKind"),
    response_derives = "Debug, Clone, PartialEq",
    variables_derives = "Debug, Clone",
    skip_serializing_none
)]
pub struct RefreshSession;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/session.graphql",
    extern_enums("Role", "Language", "OrganisationKind"),
    response_derives = "Debug, Clone, PartialEq",
    variables_derives = "Debug, Clone",
    skip_serializing_none
)]
pub struct Logout;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/session.graphql",
    extern_enums("Role", "Language", "OrganisationKind"),
    response_derives = "Debug, Clone, PartialEq",
    variables_derives = "Debug, Clone",
    skip_serializing_none
)]
pub struct SetMyLanguage;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/session.graphql",
    response_derives = "Debug, Clone, PartialEq",
    variables_derives = "Debug, Clone"
)]
pub struct MySecondFactor;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/session.graphql",
    response_derives = "Debug, Clone, PartialEq",
    variables_derives = "Debug, Clone"
)]
pub struct StartSecondFactor;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/session.graphql",
    response_derives = "Debug, Clone, PartialEq",
    variables_derives = "Debug, Clone"
)]
pub struct ConfirmSecondFactor;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/reference.graphql",
    extern_enums("Role", "Language", "OrganisationKind"),
    response_derives = "Debug, Clone, PartialEq",
    variables_derives = "Debug, Clone",
    skip_serializing_none
)]
pub struct Regions;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/reference.graphql",
    extern_enums("Role", "Language", "OrganisationKind"),
    response_derives = "Debug, Clone, PartialEq",
    variables_derives = "Debug, Clone",
    skip_serializing_none
)]
pub struct Localities;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/reference.graphql",
    extern_enums("Role", "Language", "OrganisationKind"),
    response_derives = "Debug, Clone, PartialEq",
    variables_derives = "Debug, Clone",
    skip_serializing_none
)]
pub struct Organisations;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/reference.graphql",
    extern_enums("Role", "Language", "OrganisationKind"),
    response_derives = "Debug, Clone, PartialEq",
    variables_derives = "Debug, Clone",
    skip_serializing_none
)]
pub struct CreateOrganisation;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/reference.graphql",
    extern_enums("Role", "Language", "OrganisationKind"),
    response_derives = "Debug, Clone, PartialEq",
    variables_derives = "Debug, Clone",
    skip_serializing_none
)]
pub struct UpdateOrganisation;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/reference.graphql",
    extern_enums("Role", "Language", "OrganisationKind"),
    response_derives = "Debug, Clone, PartialEq",
    variables_derives = "Debug, Clone",
    skip_serializing_none
)]
pub struct Dashboard;

/// The localities panel's rows, each with its rural flag's history.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/reference.graphql",
    extern_enums("Role", "Language", "OrganisationKind"),
    response_derives = "Debug, Clone, PartialEq",
    variables_derives = "Debug, Clone",
    skip_serializing_none
)]
pub struct LocalityRows;

/// One organisation's history (kind, locality, activity code over time).
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/reference.graphql",
    extern_enums("Role", "Language", "OrganisationKind"),
    response_derives = "Debug, Clone, PartialEq",
    variables_derives = "Debug, Clone",
    skip_serializing_none
)]
pub struct OrganisationHistory;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/accounts.graphql",
    extern_enums("Role", "Language", "OrganisationKind"),
    response_derives = "Debug, Clone, PartialEq",
    variables_derives = "Debug, Clone",
    skip_serializing_none
)]
pub struct Accounts;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/accounts.graphql",
    extern_enums("Role", "Language", "OrganisationKind"),
    response_derives = "Debug, Clone, PartialEq",
    variables_derives = "Debug, Clone",
    skip_serializing_none
)]
pub struct Persons;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/accounts.graphql",
    extern_enums("Role", "Language", "OrganisationKind"),
    response_derives = "Debug, Clone, PartialEq",
    variables_derives = "Debug, Clone",
    skip_serializing_none
)]
pub struct CreateAccount;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/accounts.graphql",
    extern_enums("Role", "Language", "OrganisationKind"),
    response_derives = "Debug, Clone, PartialEq",
    variables_derives = "Debug, Clone",
    skip_serializing_none
)]
pub struct UpdateAccount;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/accounts.graphql",
    extern_enums("Role", "Language", "OrganisationKind"),
    response_derives = "Debug, Clone, PartialEq",
    variables_derives = "Debug, Clone",
    skip_serializing_none
)]
pub struct AssignRole;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/accounts.graphql",
    extern_enums("Role", "Language", "OrganisationKind"),
    response_derives = "Debug, Clone, PartialEq",
    variables_derives = "Debug, Clone",
    skip_serializing_none
)]
pub struct RevokeRole;

#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/parent.graphql",
    extern_enums("Role", "Language", "OrganisationKind"),
    response_derives = "Debug, Clone, PartialEq",
    variables_derives = "Debug, Clone",
    skip_serializing_none
)]
pub struct MyChildren;

schema_enum!(
    /// The specialty groups the qualification rules tell apart.
    SpecialtyGroup {
        Pedagogical = "PEDAGOGICAL",
        Medical = "MEDICAL",
        Veterinary = "VETERINARY",
        Agricultural = "AGRICULTURAL",
        Technical = "TECHNICAL",
        Other = "OTHER",
    }
);

schema_enum!(
    /// Where an obligation stands.
    ObligationStatus {
        NotStarted = "NOT_STARTED",
        Working = "WORKING",
        Gap = "GAP",
        NonQualifying = "NON_QUALIFYING",
        Suspended = "SUSPENDED",
        Exempt = "EXEMPT",
        Fulfilled = "FULFILLED",
        Breach = "BREACH",
        Reimbursing = "REIMBURSING",
        Closed = "CLOSED",
    }
);

schema_enum!(
    /// What one month of the ledger is.
    MonthState {
        Credited = "CREDITED",
        NonQualifying = "NON_QUALIFYING",
        PendingClassification = "PENDING_CLASSIFICATION",
        Suspended = "SUSPENDED",
        Exempt = "EXEMPT",
        Gap = "GAP",
    }
);

schema_enum!(
    /// Where the evidence of a ledger month comes from.
    EvidenceSource {
        PensionFeed = "PENSION_FEED",
        Document = "DOCUMENT",
    }
);

schema_enum!(
    /// Why the graduate must work: the grant's category.
    FundingCategory {
        RuralQuota = "RURAL_QUOTA",
        Serpin = "SERPIN",
        StateOrder = "STATE_ORDER",
        Phd = "PHD",
        DoctorByProfile = "DOCTOR_BY_PROFILE",
    }
);

schema_enum!(
    /// What an imported file holds.
    ImportKind {
        Regions = "REGIONS",
        Localities = "LOCALITIES",
        ActivityCodes = "ACTIVITY_CODES",
        Specialties = "SPECIALTIES",
        Employers = "EMPLOYERS",
        Graduates = "GRADUATES",
        Contributions = "CONTRIBUTIONS",
    }
);

schema_enum!(
    /// Where an exemption or suspension application stands.
    ApplicationStatus {
        Submitted = "SUBMITTED",
        Approved = "APPROVED",
        Rejected = "REJECTED",
    }
);

schema_enum!(
    /// Legal grounds of exemption and reasons of suspension.
    Ground {
        SpouseNoVacancy = "SPOUSE_NO_VACANCY",
        Disability = "DISABILITY",
        PregnancyOrChildcare = "PREGNANCY_OR_CHILDCARE",
        FurtherStudy = "FURTHER_STUDY",
        ContractMilitaryService = "CONTRACT_MILITARY_SERVICE",
        ConscriptServiceCompleted = "CONSCRIPT_SERVICE_COMPLETED",
        MilitaryService = "MILITARY_SERVICE",
        OtherSuspension = "OTHER_SUSPENSION",
    }
);

schema_enum!(
    /// Where a reimbursement claim stands.
    ClaimStatus {
        Drafted = "DRAFTED",
        Sent = "SENT",
        Acknowledged = "ACKNOWLEDGED",
        PaidInPart = "PAID_IN_PART",
        Paid = "PAID",
        InCourt = "IN_COURT",
        Withdrawn = "WITHDRAWN",
    }
);

schema_enum!(
    /// The statuses an operator may move a claim to by hand.
    ClaimStatusChange {
        Sent = "SENT",
        Acknowledged = "ACKNOWLEDGED",
        InCourt = "IN_COURT",
        Withdrawn = "WITHDRAWN",
    }
);

schema_enum!(
    /// How the operator reached the graduate in claim work.
    ContactChannel {
        Sms = "SMS",
        HybridMail = "HYBRID_MAIL",
        Phone = "PHONE",
        Email = "EMAIL",
        Messenger = "MESSENGER",
    }
);

schema_enum!(
    /// How a message travels.
    Channel {
        Sms = "SMS",
        Push = "PUSH",
        Email = "EMAIL",
        Post = "POST",
    }
);

schema_enum!(
    /// Where a message stands.
    MessageStatus {
        Queued = "QUEUED",
        Sending = "SENDING",
        Sent = "SENT",
        Delivered = "DELIVERED",
        Failed = "FAILED",
        Dead = "DEAD",
        Suppressed = "SUPPRESSED",
        Cancelled = "CANCELLED",
    }
);

schema_enum!(
    /// Why a message is sent.
    NotificationPurpose {
        ObligationNotice = "OBLIGATION_NOTICE",
        BreachNotice = "BREACH_NOTICE",
        ClaimNotice = "CLAIM_NOTICE",
        ConsentRequest = "CONSENT_REQUEST",
        ConsentAnswer = "CONSENT_ANSWER",
        Reminder = "REMINDER",
        Information = "INFORMATION",
        VoucherIssued = "VOUCHER_ISSUED",
        VoucherQueue = "VOUCHER_QUEUE",
        VoucherAttendance = "VOUCHER_ATTENDANCE",
        VoucherLapsed = "VOUCHER_LAPSED",
        VoucherMessage = "VOUCHER_MESSAGE",
        SchoolEntry = "SCHOOL_ENTRY",
        SchoolExit = "SCHOOL_EXIT",
        SchoolMeal = "SCHOOL_MEAL",
        SchoolAllergenOverride = "SCHOOL_ALLERGEN_OVERRIDE",
    }
);

schema_enum!(
    /// A campaign's state.
    CampaignStatus {
        Running = "RUNNING",
        Paused = "PAUSED",
        Cancelled = "CANCELLED",
    }
);

schema_enum!(
    /// A graduate's task.
    TaskStatus {
        Open = "OPEN",
        Submitted = "SUBMITTED",
        Accepted = "ACCEPTED",
        Rejected = "REJECTED",
    }
);

schema_enum!(
    /// A 511/512 request's state.
    ConsentStatus {
        Open = "OPEN",
        Consented = "CONSENTED",
        Refused = "REFUSED",
        Expired = "EXPIRED",
    }
);

macro_rules! operations {
    ($file:tt: $($name:ident),*) => {$(
        #[derive(GraphQLQuery)]
        #[graphql(
            schema_path = "../schema.graphql",
            query_path = $file,
            extern_enums(
                "Role", "Language", "OrganisationKind", "ObligationStatus", "MonthState",
                "FundingCategory", "ImportKind", "ApplicationStatus", "Ground", "ClaimStatus",
                "ClaimStatusChange", "ContactChannel", "Channel", "MessageStatus",
                "NotificationPurpose", "CampaignStatus", "TaskStatus", "ConsentStatus",
                "SpecialtyGroup", "EvidenceSource"
            ),
            response_derives = "Debug, Clone, PartialEq",
            variables_derives = "Debug, Clone",
            skip_serializing_none
        )]
        pub struct $name;
    )*};
}

operations!(
    "graphql/obligations.graphql": MyObligations,
    Graduates,
    Graduate,
    RevealIin,
    CorrectGraduateTerms,
    ObligationDashboard
);

operations!(
    "graphql/work.graphql": ImportBatches,
    ImportBatch,
    ImportFile,
    Applications,
    Vote,
    ApplyForExemption,
    Claims,
    DraftClaim,
    SetClaimStatus,
    RecordClaimPayment,
    RecordClaimContact,
    RuleSets,
    PreviewRules,
    SaveRules,
    ReevaluateAll
);

operations!("graphql/clients.graphql": IntegrationClients, SetPersistedOnly);

// Single sign-on: the resources (the school's and the operator's administrators), a parent's
// permission per child, the sign-ins.
operations!(
    "graphql/sso.graphql": SsoClients,
    SsoSchools,
    RegisterSsoClient,
    SetSsoClientDisabled,
    RotateSsoClientSecret,
    SsoChild,
    MySsoSignIns,
    SetSsoChildConsent
);

operations!(
    "graphql/notifications.graphql": NotificationTemplates,
    SaveTemplate,
    PreviewTemplate,
    Campaigns,
    AudienceCount,
    CreateCampaign,
    SetCampaign,
    DeadLetters,
    RetryMessage,
    Coverage,
    ExportUnreachable,
    Notify,
    SubmitTask,
    ReviewTask
);

#[cfg(test)]
mod tests {
    use super::*;

    /// The values of `enum NAME { ... }` in the schema (descriptions and directives skipped).
    pub(super) fn schema_enum_values(schema: &str, name: &str) -> Vec<String> {
        // Drop block descriptions ("""..."""): the odd pieces between the quotes.
        let code: String = schema
            .split("\"\"\"")
            .step_by(2)
            .collect::<Vec<_>>()
            .join(" ");
        let head = format!("enum {name} ");
        let Some(start) = code.find(&head) else {
            panic!("schema has no enum {name}");
        };
        let body = &code[start + head.len()..];
        let open = body.find('{').unwrap_or(0);
        let close = body.find('}').unwrap_or(body.len());
        body[open + 1..close]
            .lines()
            .map(|l| l.split('#').next().unwrap_or("").trim())
            .filter(|l| !l.is_empty() && !l.starts_with('"'))
            .flat_map(|l| l.split([' ', ',']).filter(|w| !w.is_empty()).take(1))
            .map(str::to_string)
            .collect()
    }

    fn sorted(mut v: Vec<String>) -> Vec<String> {
        v.sort();
        v
    }

    #[test]
    fn enums_match_schema() {
        let schema = include_str!("../../schema.graphql");
        let ours = |all: &[&'static str]| sorted(all.iter().map(|s| s.to_string()).collect());
        assert_eq!(
            ours(&Role::ALL.iter().map(|r| r.as_str()).collect::<Vec<_>>()),
            sorted(schema_enum_values(schema, "Role"))
        );
        assert_eq!(
            ours(&Language::ALL.iter().map(|r| r.as_str()).collect::<Vec<_>>()),
            sorted(schema_enum_values(schema, "Language"))
        );
        assert_eq!(
            ours(
                &OrganisationKind::ALL
                    .iter()
                    .map(|r| r.as_str())
                    .collect::<Vec<_>>()
            ),
            sorted(schema_enum_values(schema, "OrganisationKind"))
        );
        fn strs<T: Copy>(all: &[T], f: fn(T) -> &'static str) -> Vec<String> {
            sorted(all.iter().map(|v| f(*v).to_string()).collect())
        }
        assert_eq!(
            strs(ObligationStatus::ALL, ObligationStatus::as_str),
            sorted(schema_enum_values(schema, "ObligationStatus"))
        );
        assert_eq!(
            strs(MonthState::ALL, MonthState::as_str),
            sorted(schema_enum_values(schema, "MonthState"))
        );
        assert_eq!(
            strs(EvidenceSource::ALL, EvidenceSource::as_str),
            sorted(schema_enum_values(schema, "EvidenceSource"))
        );
        assert_eq!(
            strs(FundingCategory::ALL, FundingCategory::as_str),
            sorted(schema_enum_values(schema, "FundingCategory"))
        );
        assert_eq!(
            strs(SpecialtyGroup::ALL, SpecialtyGroup::as_str),
            sorted(schema_enum_values(schema, "SpecialtyGroup"))
        );
        assert_eq!(
            strs(ImportKind::ALL, ImportKind::as_str),
            sorted(schema_enum_values(schema, "ImportKind"))
        );
        assert_eq!(
            strs(ApplicationStatus::ALL, ApplicationStatus::as_str),
            sorted(schema_enum_values(schema, "ApplicationStatus"))
        );
        assert_eq!(
            strs(Ground::ALL, Ground::as_str),
            sorted(schema_enum_values(schema, "Ground"))
        );
        assert_eq!(
            strs(ClaimStatus::ALL, ClaimStatus::as_str),
            sorted(schema_enum_values(schema, "ClaimStatus"))
        );
        assert_eq!(
            strs(ClaimStatusChange::ALL, ClaimStatusChange::as_str),
            sorted(schema_enum_values(schema, "ClaimStatusChange"))
        );
        assert_eq!(
            strs(ContactChannel::ALL, ContactChannel::as_str),
            sorted(schema_enum_values(schema, "ContactChannel"))
        );
        assert_eq!(
            strs(Channel::ALL, Channel::as_str),
            sorted(schema_enum_values(schema, "Channel"))
        );
        assert_eq!(
            strs(MessageStatus::ALL, MessageStatus::as_str),
            sorted(schema_enum_values(schema, "MessageStatus"))
        );
        assert_eq!(
            strs(NotificationPurpose::ALL, NotificationPurpose::as_str),
            sorted(schema_enum_values(schema, "NotificationPurpose"))
        );
        assert_eq!(
            strs(CampaignStatus::ALL, CampaignStatus::as_str),
            sorted(schema_enum_values(schema, "CampaignStatus"))
        );
        assert_eq!(
            strs(TaskStatus::ALL, TaskStatus::as_str),
            sorted(schema_enum_values(schema, "TaskStatus"))
        );
        assert_eq!(
            strs(ConsentStatus::ALL, ConsentStatus::as_str),
            sorted(schema_enum_values(schema, "ConsentStatus"))
        );
    }

    #[test]
    fn unknown_enum_values_do_not_fail_decoding() -> Result<(), serde_json::Error> {
        let r: Role = serde_json::from_str("\"SOMETHING_NEW\"")?;
        assert_eq!(r, Role::Unknown);
        let r: Role = serde_json::from_str("\"SCHOOL_STAFF\"")?;
        assert_eq!(r, Role::SchoolStaff);
        assert_eq!(serde_json::to_string(&Language::Kk)?, "\"KK\"");
        Ok(())
    }
}

// ---- school portal ----

/// The school portal's operations (`graphql/school.graphql`) and the schools' enums they use.
pub mod school {
    use super::*;

    // The allergens and meal charges are the parent pages' too: one definition (below).
    pub use super::{Allergen, MealCharge};

    schema_enum!(
        /// A turnstile or a canteen till.
        DeviceKind {
            Turnstile = "TURNSTILE",
            Till = "TILL",
        }
    );

    schema_enum!(
        /// What a monthly report is about.
        SchoolReportKind {
            MealsSchool = "MEALS_SCHOOL",
            MealsRegion = "MEALS_REGION",
            AttendanceSchool = "ATTENDANCE_SCHOOL",
        }
    );

    schema_enum!(
        /// A meal's transfer to the Social Wallet.
        WalletTransferState {
            Pending = "PENDING",
            Accepted = "ACCEPTED",
            Rejected = "REJECTED",
        }
    );

    schema_enum!(
        /// How a person is identified at a device.
        CredentialKind {
            Card = "CARD",
            Qr = "QR",
            Pin = "PIN",
        }
    );

    schema_enum!(
        /// A card active or blocked.
        CredentialStatus {
            Active = "ACTIVE",
            Blocked = "BLOCKED",
        }
    );

    schema_enum!(
        /// A pupil or a member of staff.
        MemberKind {
            Pupil = "PUPIL",
            Staff = "STAFF",
        }
    );

    schema_enum!(
        /// What became of one event.
        SchoolEventStatus {
            Stored = "STORED",
            Duplicate = "DUPLICATE",
            Refused = "REFUSED",
        }
    );

    // The school's settings and registering its devices (the administrator).
    // The school portal's operations (`SchoolIdMethod` is generated: only `SchoolIssueAltId`
    // uses it).
    macro_rules! school_operations {
        ($($name:ident),*) => {$(
            #[derive(GraphQLQuery)]
            #[graphql(
                schema_path = "../schema.graphql",
                query_path = "graphql/school.graphql",
                extern_enums(
                    "Role",
                    "Language",
                    "OrganisationKind",
                    "Allergen",
                    "MealCharge",
                    "DeviceKind",
                    "SchoolReportKind",
                    "WalletTransferState",
                    "CredentialKind",
                    "CredentialStatus",
                    "MemberKind",
                    "SchoolEventStatus"
                ),
                response_derives = "Debug, Clone, PartialEq",
                variables_derives = "Debug, Clone",
                skip_serializing_none
            )]
            pub struct $name;
        )*};
    }
    school_operations!(
        SchoolMyRoles,
        SchoolToday,
        SchoolDevices,
        SchoolTillPupil,
        SchoolServe,
        SchoolLiftBlock,
        SchoolMenu,
        SchoolWeek,
        SchoolRatings,
        SchoolSetMenu,
        SchoolSaveDish,
        SchoolDishPhoto,
        SchoolReports,
        SchoolPrepareReport,
        SchoolRetryTransfer,
        SchoolMembers,
        SchoolPerson,
        SchoolIssueCard,
        SchoolBlockCard,
        SchoolImportList,
        SchoolRecordGround,
        SchoolPupilLogins,
        SchoolIssuePupilLogin,
        SchoolWithdrawPupilLogin,
        SchoolSettings,
        SchoolSaveProfile,
        SchoolRegisterDevice,
        SchoolMemberPhoto,
        SchoolSetMemberPhoto,
        SchoolIssueAltId,
        SchoolEndGround,
        SchoolRemoveMember
    );

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn school_enums_match_schema() {
            let schema = include_str!("../../schema.graphql");
            let values = |name: &str| {
                let start = schema.find(&format!("enum {name} {{")).unwrap_or(0);
                let body = &schema[start..];
                let body = &body[body.find('{').unwrap_or(0) + 1..body.find('}').unwrap_or(0)];
                let mut v: Vec<String> = body
                    .lines()
                    .map(str::trim)
                    .filter(|l| {
                        !l.is_empty()
                            && l.chars()
                                .all(|c| c.is_ascii_uppercase() || c == '_' || c.is_ascii_digit())
                    })
                    .map(str::to_string)
                    .collect();
                v.sort();
                v
            };
            let strs = |all: &[&str]| {
                let mut v: Vec<String> = all.iter().map(|s| s.to_string()).collect();
                v.sort();
                v
            };
            assert_eq!(
                strs(
                    &DeviceKind::ALL
                        .iter()
                        .map(|a| a.as_str())
                        .collect::<Vec<_>>()
                ),
                values("DeviceKind")
            );
            assert_eq!(
                strs(
                    &SchoolReportKind::ALL
                        .iter()
                        .map(|a| a.as_str())
                        .collect::<Vec<_>>()
                ),
                values("SchoolReportKind")
            );
            assert_eq!(
                strs(
                    &WalletTransferState::ALL
                        .iter()
                        .map(|a| a.as_str())
                        .collect::<Vec<_>>()
                ),
                values("WalletTransferState")
            );
            assert_eq!(
                strs(
                    &CredentialKind::ALL
                        .iter()
                        .map(|a| a.as_str())
                        .collect::<Vec<_>>()
                ),
                values("CredentialKind")
            );
            assert_eq!(
                strs(
                    &CredentialStatus::ALL
                        .iter()
                        .map(|a| a.as_str())
                        .collect::<Vec<_>>()
                ),
                values("CredentialStatus")
            );
            assert_eq!(
                strs(
                    &MemberKind::ALL
                        .iter()
                        .map(|a| a.as_str())
                        .collect::<Vec<_>>()
                ),
                values("MemberKind")
            );
            assert_eq!(
                strs(
                    &SchoolEventStatus::ALL
                        .iter()
                        .map(|a| a.as_str())
                        .collect::<Vec<_>>()
                ),
                values("SchoolEventStatus")
            );
        }
    }
}

// ---- parent's school pages ----

schema_enum!(
    /// The 14 allergens of food labelling law.
    Allergen {
        Gluten = "GLUTEN",
        Crustaceans = "CRUSTACEANS",
        Eggs = "EGGS",
        Fish = "FISH",
        Peanuts = "PEANUTS",
        Soy = "SOY",
        Milk = "MILK",
        Nuts = "NUTS",
        Celery = "CELERY",
        Mustard = "MUSTARD",
        Sesame = "SESAME",
        Sulphites = "SULPHITES",
        Lupin = "LUPIN",
        Molluscs = "MOLLUSCS",
    }
);
schema_enum!(
    /// What a school event is: an entry, an exit or a meal.
    SchoolEventKind {
        Entry = "ENTRY",
        Exit = "EXIT",
        Meal = "MEAL",
    }
);
schema_enum!(
    /// What a meal costs the pupil.
    MealCharge {
        Free = "FREE",
        Reduced = "REDUCED",
        Paid = "PAID",
    }
);
schema_enum!(
    /// Who rated a meal, as the reader sees it.
    MealRater {
        You = "YOU",
        Pupil = "PUPIL",
        Guardian = "GUARDIAN",
    }
);

macro_rules! parent_school_operations {
    ($($name:ident),*) => {$(
        #[derive(GraphQLQuery)]
        #[graphql(
            schema_path = "../schema.graphql",
            query_path = "graphql/parent_school.graphql",
            extern_enums("Allergen", "SchoolEventKind", "MealCharge", "MealRater"),
            response_derives = "Debug, Clone, PartialEq",
            variables_derives = "Debug, Clone",
            skip_serializing_none
        )]
        pub struct $name;
    )*};
}
parent_school_operations!(
    ChildDay,
    ChildAllergens,
    SetAllergenBlocks,
    ChildMeals,
    ChildMenu,
    RateSchoolMeal,
    ChildAccount,
    SetSchoolNoticePreferences,
    SetSchoolIdConsent
);

// A pupil's own meals (the sign-in page's home for a pupil's login); they rate one with
// `RateSchoolMeal`, as a parent does.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/pupil.graphql",
    extern_enums("MealRater"),
    response_derives = "Debug, Clone, PartialEq",
    variables_derives = "Debug, Clone",
    skip_serializing_none
)]
pub struct PupilMeals;
operations!("graphql/pupil.graphql": PupilPerson);

// ---- decisions and their contests (the citizen's timeline, the bodies' desks) ----

schema_enum!(
    /// What kind of decision it is.
    DecisionKind {
        ObligationStatus = "OBLIGATION_STATUS",
        Exemption = "EXEMPTION",
        Claim = "CLAIM",
        VoucherApplication = "VOUCHER_APPLICATION",
        VoucherCategory = "VOUCHER_CATEGORY",
        MealGround = "MEAL_GROUND",
        AllergenOverride = "ALLERGEN_OVERRIDE",
    }
);
schema_enum!(
    /// The body that decided, and answers a contest.
    DecidingBody {
        Operator = "OPERATOR",
        Commission = "COMMISSION",
        Akimat = "AKIMAT",
        School = "SCHOOL",
    }
);
schema_enum!(
    /// How the body answered a contest.
    ContestOutcome {
        Upheld = "UPHELD",
        Overturned = "OVERTURNED",
    }
);

/// Every decision about the signed-in person and their children, and contesting one; the
/// bodies' desk of contest cases.
macro_rules! decision_operations {
    ($path:tt: $($name:ident),*) => {$(
        #[derive(GraphQLQuery)]
        #[graphql(
            schema_path = "../schema.graphql",
            query_path = $path,
            extern_enums("Role", "DecisionKind", "DecidingBody", "ContestOutcome"),
            response_derives = "Debug, Clone, PartialEq",
            variables_derives = "Debug, Clone",
            skip_serializing_none
        )]
        pub struct $name;
    )*};
}
decision_operations!("graphql/decisions.graphql": MyDecisions, ContestDecision);
decision_operations!("graphql/contests.graphql": ContestCases, AnswerContest);

#[cfg(test)]
mod decision_tests {
    use super::*;

    #[test]
    fn decision_enums_match_schema() {
        let schema = include_str!("../../schema.graphql");
        let values = |name: &str| {
            let head = format!("enum {name} {{");
            let body = schema
                .split(head.as_str())
                .nth(1)
                .and_then(|rest| rest.split('}').next())
                .unwrap_or_default();
            // The values, without their descriptions (`"""` blocks).
            let mut in_doc = false;
            let mut v = Vec::new();
            for line in body.lines().map(str::trim) {
                if line.starts_with("\"\"\"") {
                    in_doc = !in_doc;
                } else if !in_doc && !line.is_empty() {
                    v.push(line.to_string());
                }
            }
            v.sort_unstable();
            v
        };
        let ours = |all: &[&str]| {
            let mut v: Vec<String> = all.iter().map(|s| s.to_string()).collect();
            v.sort_unstable();
            v
        };
        let kinds: Vec<&str> = DecisionKind::ALL.iter().map(|k| k.as_str()).collect();
        assert_eq!(ours(&kinds), values("DecisionKind"));
        let bodies: Vec<&str> = DecidingBody::ALL.iter().map(|k| k.as_str()).collect();
        assert_eq!(ours(&bodies), values("DecidingBody"));
        let outcomes: Vec<&str> = ContestOutcome::ALL.iter().map(|k| k.as_str()).collect();
        assert_eq!(ours(&outcomes), values("ContestOutcome"));
    }
}

#[cfg(test)]
mod parent_school_tests {
    use super::*;

    #[test]
    fn school_enums_match_schema() {
        let schema = include_str!("../../schema.graphql");
        let values = |name: &str| {
            let mut v = super::tests::schema_enum_values(schema, name);
            v.sort_unstable();
            v
        };
        let strs = |all: Vec<&'static str>| {
            let mut v = all;
            v.sort_unstable();
            v
        };
        assert_eq!(
            strs(Allergen::ALL.iter().map(|a| a.as_str()).collect()),
            values("Allergen")
        );
        assert_eq!(
            strs(SchoolEventKind::ALL.iter().map(|a| a.as_str()).collect()),
            values("SchoolEventKind")
        );
        assert_eq!(
            strs(MealCharge::ALL.iter().map(|a| a.as_str()).collect()),
            values("MealCharge")
        );
        assert_eq!(
            strs(MealRater::ALL.iter().map(|a| a.as_str()).collect()),
            values("MealRater")
        );
    }
}

// ---- provider portal ----

schema_enum!(
    /// A direction of additional education a voucher pays for.
    ClubDirection {
        Sport = "SPORT",
        Arts = "ARTS",
        Technical = "TECHNICAL",
        Science = "SCIENCE",
        Tourism = "TOURISM",
        Social = "SOCIAL",
    }
);

schema_enum!(
    /// Where a child's month of attendance stands.
    AttendanceStatus {
        Recorded = "RECORDED",
        Confirmed = "CONFIRMED",
        AutoConfirmed = "AUTO_CONFIRMED",
        Disputed = "DISPUTED",
        Upheld = "UPHELD",
        Rejected = "REJECTED",
    }
);

schema_enum!(
    /// Where a provider's registration with the akimat stands.
    ProviderStatus {
        Pending = "PENDING",
        Approved = "APPROVED",
        Rejected = "REJECTED",
    }
);

schema_enum!(
    /// The side a voucher message was written for.
    VoucherSide {
        Parent = "PARENT",
        Provider = "PROVIDER",
        Akimat = "AKIMAT",
    }
);

schema_enum!(
    /// What a voucher conversation is about.
    VoucherThreadKind {
        Application = "APPLICATION",
        Attendance = "ATTENDANCE",
    }
);

/// The voucher conversation's operations (`graphql/conversation.graphql`), shared by the
/// three portals that take part in one ([`crate::conversation`]).
macro_rules! conversation_operation {
    ($($name:ident),* $(,)?) => {$(
        #[derive(GraphQLQuery)]
        #[graphql(
            schema_path = "../schema.graphql",
            query_path = "graphql/conversation.graphql",
            extern_enums("VoucherSide", "VoucherThreadKind"),
            response_derives = "Debug, Clone, PartialEq",
            variables_derives = "Debug, Clone",
            skip_serializing_none
        )]
        pub struct $name;
    )*};
}
conversation_operation!(VoucherThread, PostVoucherMessage, MarkVoucherThreadRead);

macro_rules! provider_operation {
    ($($name:ident),* $(,)?) => {$(
        #[derive(GraphQLQuery)]
        #[graphql(
            schema_path = "../schema.graphql",
            query_path = "graphql/provider.graphql",
            extern_enums("ClubDirection", "AttendanceStatus", "ProviderStatus", "VoucherSide"),
            response_derives = "Debug, Clone, PartialEq",
            variables_derives = "Debug, Clone",
            skip_serializing_none
        )]
        pub struct $name;
    )*};
}
provider_operation!(
    ProviderSections,
    SectionRoster,
    RecordAttendance,
    CreateSection,
    UpdateSection,
    ProviderPayouts,
);

#[cfg(test)]
mod provider_tests {
    use super::*;

    #[test]
    fn provider_enums_match_schema() {
        let schema = include_str!("../../schema.graphql");
        let values = |name: &str| -> Vec<String> {
            let head = format!("enum {name} {{");
            let Some(start) = schema.find(&head) else {
                return Vec::new();
            };
            let body = &schema[start + head.len()..];
            let body = &body[..body.find('}').unwrap_or(0)];
            let mut v: Vec<String> = body
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty() && !l.starts_with('"') && !l.starts_with('#'))
                .filter(|l| l.chars().all(|c| c.is_ascii_uppercase() || c == '_'))
                .map(str::to_string)
                .collect();
            v.sort();
            v
        };
        let strs = |all: &[&str]| {
            let mut v: Vec<String> = all.iter().map(|s| s.to_string()).collect();
            v.sort();
            v
        };
        let names = |all: Vec<&'static str>| strs(&all);
        assert_eq!(
            names(ClubDirection::ALL.iter().map(|d| d.as_str()).collect()),
            values("ClubDirection")
        );
        assert_eq!(
            names(AttendanceStatus::ALL.iter().map(|d| d.as_str()).collect()),
            values("AttendanceStatus")
        );
        assert_eq!(
            names(ProviderStatus::ALL.iter().map(|d| d.as_str()).collect()),
            values("ProviderStatus")
        );
        assert_eq!(
            names(VoucherSide::ALL.iter().map(|d| d.as_str()).collect()),
            values("VoucherSide")
        );
        assert_eq!(
            names(VoucherThreadKind::ALL.iter().map(|d| d.as_str()).collect()),
            values("VoucherThreadKind")
        );
    }
}

// ---- akimat portal ----

/// The akimat portal's operations (`graphql/akimat.graphql`) and the vouchers' enums only it
/// uses; the directions, attendance and provider states are the provider pages' (above).
pub mod akimat {
    use super::*;

    pub use super::{AttendanceStatus, ClubDirection, ProviderStatus, Role};

    schema_enum!(
        /// Where a campaign stands: open for applications, then allocated.
        VoucherCampaignStatus {
            Open = "OPEN",
            Allocated = "ALLOCATED",
        }
    );

    schema_enum!(
        /// Where an application stands.
        VoucherApplicationStatus {
            Held = "HELD",
            Submitted = "SUBMITTED",
            Queued = "QUEUED",
            Issued = "ISSUED",
            Refused = "REFUSED",
        }
    );

    schema_enum!(
        /// The akimat's decision on a declared category.
        VoucherCategoryStatus {
            Declared = "DECLARED",
            Confirmed = "CONFIRMED",
            Rejected = "REJECTED",
        }
    );

    schema_enum!(
        /// How ties of equal score are broken (the lottery always decides last).
        VoucherTieRule {
            YoungerFirst = "YOUNGER_FIRST",
            OlderFirst = "OLDER_FIRST",
            Lottery = "LOTTERY",
        }
    );

    macro_rules! akimat_operation {
        ($($name:ident),* $(,)?) => {$(
            #[derive(GraphQLQuery)]
            #[graphql(
                schema_path = "../schema.graphql",
                query_path = "graphql/akimat.graphql",
                extern_enums(
                    "ClubDirection",
                    "AttendanceStatus",
                    "ProviderStatus",
                    "Role",
                    "VoucherCampaignStatus",
                    "VoucherApplicationStatus",
                    "VoucherCategoryStatus",
                    "VoucherTieRule"
                ),
                response_derives = "Debug, Clone, PartialEq",
                variables_derives = "Debug, Clone",
                skip_serializing_none
            )]
            pub struct $name;
        )*};
    }
    akimat_operation!(
        AkimatCampaigns,
        OpenCampaign,
        UpdateCampaign,
        AkimatCampaign,
        CampaignApplications,
        DecideCategory,
        DecideGuardianship,
        RunAllocation,
        AkimatProviders,
        DecideProvider,
        AkimatPayouts,
        ResolveAttendance,
        ComputePayouts,
        AkimatPriorityTables,
        CreatePriorityTable,
        PriorityPreview,
        AkimatDashboard,
    );

    #[cfg(test)]
    mod tests {
        use super::*;

        /// The enums' values, sorted, as the schema lists them.
        fn values(name: &str) -> Vec<String> {
            let schema = include_str!("../../schema.graphql");
            let head = format!("enum {name} {{");
            let Some(start) = schema.find(&head) else {
                return Vec::new();
            };
            let body = &schema[start + head.len()..];
            let body = &body[..body.find('}').unwrap_or(0)];
            let mut v: Vec<String> = body
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty() && l.chars().all(|c| c.is_ascii_uppercase() || c == '_'))
                .map(str::to_string)
                .collect();
            v.sort();
            v
        }

        fn sorted(all: impl Iterator<Item = &'static str>) -> Vec<String> {
            let mut v: Vec<String> = all.map(str::to_string).collect();
            v.sort();
            v
        }

        #[test]
        fn akimat_enums_match_schema() {
            assert_eq!(
                sorted(VoucherCampaignStatus::ALL.iter().map(|s| s.as_str())),
                values("VoucherCampaignStatus")
            );
            assert_eq!(
                sorted(VoucherApplicationStatus::ALL.iter().map(|s| s.as_str())),
                values("VoucherApplicationStatus")
            );
            assert_eq!(
                sorted(VoucherCategoryStatus::ALL.iter().map(|s| s.as_str())),
                values("VoucherCategoryStatus")
            );
            assert_eq!(
                sorted(VoucherTieRule::ALL.iter().map(|s| s.as_str())),
                values("VoucherTieRule")
            );
        }
    }
}

// ---- parent's voucher pages ----

/// The parent's voucher pages (citizen portal): their operations and the enums only they use.
pub mod parent_vouchers {
    use super::{AttendanceStatus, ClubDirection, DateTime, GraphQLQuery, Upload};
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    schema_enum!(
        /// Where an application stands.
        VoucherApplicationStatus {
            Held = "HELD",
            Submitted = "SUBMITTED",
            Queued = "QUEUED",
            Issued = "ISSUED",
            Refused = "REFUSED",
        }
    );
    schema_enum!(
        /// A voucher's life.
        VoucherStatus {
            Issued = "ISSUED",
            Declined = "DECLINED",
            Lapsed = "LAPSED",
            Ended = "ENDED",
        }
    );
    schema_enum!(
        /// The akimat's decision on a declared category.
        VoucherCategoryStatus {
            Declared = "DECLARED",
            Confirmed = "CONFIRMED",
            Rejected = "REJECTED",
        }
    );
    schema_enum!(
        /// Where a campaign stands.
        VoucherCampaignStatus {
            Open = "OPEN",
            Allocated = "ALLOCATED",
        }
    );
    schema_enum!(
        /// How ties of equal score are broken.
        VoucherTieRule {
            YoungerFirst = "YOUNGER_FIRST",
            OlderFirst = "OLDER_FIRST",
            Lottery = "LOTTERY",
        }
    );

    macro_rules! parent_voucher_operations {
        ($($name:ident),* $(,)?) => {$(
            #[derive(GraphQLQuery)]
            #[graphql(
                schema_path = "../schema.graphql",
                query_path = "graphql/parent_vouchers.graphql",
                extern_enums(
                    "ClubDirection",
                    "AttendanceStatus",
                    "VoucherApplicationStatus",
                    "VoucherStatus",
                    "VoucherCategoryStatus",
                    "VoucherCampaignStatus",
                    "VoucherTieRule"
                ),
                response_derives = "Debug, Clone, PartialEq",
                variables_derives = "Debug, Clone",
                skip_serializing_none
            )]
            pub struct $name;
        )*};
    }
    parent_voucher_operations!(
        MyVouchers,
        VoucherApplication,
        VoucherOffers,
        EnrolVoucher,
        VoucherApplyForm,
        ApplyForVoucher,
        AnswerVoucherMonth,
        DeclineVoucher,
        AttachEvidence,
    );

    #[cfg(test)]
    mod tests {
        use super::*;

        /// The values of an enum of `schema.graphql`, sorted.
        fn values(name: &str) -> Vec<String> {
            let schema = include_str!("../../schema.graphql");
            let head = format!("enum {name} {{");
            let body = schema.split(head.as_str()).nth(1).unwrap_or_default();
            let mut v: Vec<String> = body
                .split('}')
                .next()
                .unwrap_or_default()
                .split_whitespace()
                .map(str::to_string)
                .collect();
            v.sort();
            v
        }

        fn sorted(all: impl Iterator<Item = &'static str>) -> Vec<String> {
            let mut v: Vec<String> = all.map(str::to_string).collect();
            v.sort();
            v
        }

        #[test]
        fn voucher_enums_match_schema() {
            let s = |a: &[VoucherApplicationStatus]| sorted(a.iter().map(|x| x.as_str()));
            assert_eq!(
                s(VoucherApplicationStatus::ALL),
                values("VoucherApplicationStatus")
            );
            let s = |a: &[VoucherStatus]| sorted(a.iter().map(|x| x.as_str()));
            assert_eq!(s(VoucherStatus::ALL), values("VoucherStatus"));
            let s = |a: &[VoucherCategoryStatus]| sorted(a.iter().map(|x| x.as_str()));
            assert_eq!(
                s(VoucherCategoryStatus::ALL),
                values("VoucherCategoryStatus")
            );
            let s = |a: &[VoucherCampaignStatus]| sorted(a.iter().map(|x| x.as_str()));
            assert_eq!(
                s(VoucherCampaignStatus::ALL),
                values("VoucherCampaignStatus")
            );
            let s = |a: &[VoucherTieRule]| sorted(a.iter().map(|x| x.as_str()));
            assert_eq!(s(VoucherTieRule::ALL), values("VoucherTieRule"));
        }
    }
}
