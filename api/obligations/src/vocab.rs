//! Vocabularies of the obligations domain.

use adal_core::vocab::stored_enum;

stored_enum! {
    /// Group of the specialty studied; decides which employers qualify.
    SpecialtyGroup {
        Pedagogical = "pedagogical",
        Medical = "medical",
        Veterinary = "veterinary",
        Agricultural = "agricultural",
        Technical = "technical",
        Other = "other",
    }
}

stored_enum! {
    /// Level of the programme studied on the grant.
    StudyLevel {
        Bachelor = "bachelor",
        Master = "master",
        Residency = "residency",
        Phd = "phd",
        DoctorByProfile = "doctor_by_profile",
    }
}

stored_enum! {
    /// Why the graduate must work: the grant's category.
    FundingCategory {
        RuralQuota = "rural_quota",
        Serpin = "serpin",
        StateOrder = "state_order",
        Phd = "phd",
        DoctorByProfile = "doctor_by_profile",
    }
}

stored_enum! {
    /// Where an obligation stands, derived from its ledger.
    ObligationStatus {
        NotStarted = "not_started",
        Working = "working",
        Gap = "gap",
        NonQualifying = "non_qualifying",
        Suspended = "suspended",
        Exempt = "exempt",
        Fulfilled = "fulfilled",
        Breach = "breach",
        Reimbursing = "reimbursing",
        Closed = "closed",
    }
}

stored_enum! {
    /// What one month of the ledger is.
    MonthState {
        Credited = "credited",
        NonQualifying = "non_qualifying",
        PendingClassification = "pending_classification",
        Suspended = "suspended",
        Exempt = "exempt",
        Gap = "gap",
    }
}

stored_enum! {
    /// Where the evidence of a ledger month comes from: the pension-contribution feed, or a
    /// document (employment contract, employer's certificate) the operator accepted.
    EvidenceSource {
        PensionFeed = "pension_feed",
        Document = "document",
    }
}

stored_enum! {
    /// Legal grounds of exemption and reasons of suspension.
    Ground {
        SpouseNoVacancy = "spouse_no_vacancy",
        Disability = "disability",
        PregnancyOrChildcare = "pregnancy_or_childcare",
        FurtherStudy = "further_study",
        ContractMilitaryService = "contract_military_service",
        ConscriptServiceCompleted = "conscript_service_completed",
        MilitaryService = "military_service",
        OtherSuspension = "other_suspension",
    }
}

impl Ground {
    /// Suspension reasons defer the obligation for a period; the others exempt from it.
    pub fn is_suspension(self) -> bool {
        matches!(self, Ground::MilitaryService | Ground::OtherSuspension)
    }
}

stored_enum! {
    /// Where an exemption or suspension application stands.
    ApplicationStatus {
        Submitted = "submitted",
        Approved = "approved",
        Rejected = "rejected",
    }
}

stored_enum! {
    /// Where a reimbursement claim stands.
    ClaimStatus {
        Drafted = "drafted",
        Sent = "sent",
        Acknowledged = "acknowledged",
        PaidInPart = "paid_in_part",
        Paid = "paid",
        InCourt = "in_court",
        Withdrawn = "withdrawn",
    }
}

stored_enum! {
    /// How the operator reached the graduate in claim work.
    ContactChannel {
        Sms = "sms",
        HybridMail = "hybrid_mail",
        Phone = "phone",
        Email = "email",
        Messenger = "messenger",
    }
}

stored_enum! {
    /// A 511/512 request's state.
    ConsentStatus {
        Open = "open",
        Consented = "consented",
        Refused = "refused",
        Expired = "expired",
    }
}

stored_enum! {
    /// What an inbound SMS was taken for (`ambiguous`: requests are open for several persons
    /// on the number and the reply named none).
    ReplyOutcome {
        Consent = "consent",
        Refusal = "refusal",
        Late = "late",
        Malformed = "malformed",
        Unmatched = "unmatched",
        Ambiguous = "ambiguous",
    }
}

stored_enum! {
    /// The employment-data request a consent opens.
    EmploymentRequestStatus {
        Pending = "pending",
        Ingested = "ingested",
        Failed = "failed",
    }
}

stored_enum! {
    /// A graduate's task.
    TaskStatus {
        Open = "open",
        Submitted = "submitted",
        Accepted = "accepted",
        Rejected = "rejected",
    }
}

pub const TASK_UPLOAD_EMPLOYMENT_DOCUMENTS: &str = "upload_employment_documents";

impl FundingCategory {
    /// Whether a graduate of `level` can hold a grant of this category: the doctoral
    /// categories are for their own level only (a PhD grant with a bachelor's degree is an
    /// error in the university's file).
    pub fn admits(self, level: StudyLevel) -> bool {
        match self {
            FundingCategory::Phd => level == StudyLevel::Phd,
            FundingCategory::DoctorByProfile => level == StudyLevel::DoctorByProfile,
            _ => true,
        }
    }
}

/// Why the obligations domain refused an action (`extensions.reason` of a `CONFLICT` error);
/// the schema lists every one, so a client explains each.
#[derive(async_graphql::Enum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ObligationRefusal {
    /// A claim needs proof of notice: no obligation or breach notice was delivered by SMS or
    /// eGov push yet (an e-mail proves only that it was sent).
    NoDeliveredNotice,
    /// Only an approved decision can be ended.
    NotApproved,
}

impl adal_core::error::Refusal for ObligationRefusal {}
