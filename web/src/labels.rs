//! Labels of the vocabularies more than one program shows: kinds of organisation, specialty
//! groups, notification purposes, grounds for free meals.

use crate::gql::{NotificationPurpose, OrganisationKind, SpecialtyGroup};
use crate::i18n::Key;

/// The label of a kind of organisation.
pub fn kind_key(kind: OrganisationKind) -> Key {
    match kind {
        OrganisationKind::Operator => Key::KindOperator,
        OrganisationKind::University => Key::KindUniversity,
        OrganisationKind::College => Key::KindCollege,
        OrganisationKind::HigherCollege => Key::KindHigherCollege,
        OrganisationKind::Nis => Key::KindNis,
        OrganisationKind::ResearchUnit => Key::KindResearchUnit,
        OrganisationKind::School => Key::KindSchool,
        OrganisationKind::Employer => Key::KindEmployer,
        OrganisationKind::EducationProvider => Key::KindEducationProvider,
        OrganisationKind::Akimat => Key::KindAkimat,
        OrganisationKind::StateBody => Key::KindStateBody,
        OrganisationKind::Healthcare => Key::KindHealthcare,
        OrganisationKind::Research => Key::KindResearch,
        OrganisationKind::Veterinary => Key::KindVeterinary,
        OrganisationKind::Agrarian => Key::KindAgrarian,
        OrganisationKind::Other | OrganisationKind::Unknown => Key::KindOther,
    }
}

/// The label of a specialty group.
pub fn group_key(g: SpecialtyGroup) -> Key {
    match g {
        SpecialtyGroup::Pedagogical => Key::GroupPedagogical,
        SpecialtyGroup::Medical => Key::GroupMedical,
        SpecialtyGroup::Veterinary => Key::GroupVeterinary,
        SpecialtyGroup::Agricultural => Key::GroupAgricultural,
        SpecialtyGroup::Technical => Key::GroupTechnical,
        SpecialtyGroup::Other | SpecialtyGroup::Unknown => Key::GroupOther,
    }
}

/// The label of a notification's purpose.
pub fn purpose_key(p: Option<NotificationPurpose>) -> Key {
    match p {
        Some(NotificationPurpose::ObligationNotice) => Key::PurposeObligationNotice,
        Some(NotificationPurpose::BreachNotice) => Key::PurposeBreachNotice,
        Some(NotificationPurpose::ClaimNotice) => Key::PurposeClaimNotice,
        Some(NotificationPurpose::ConsentRequest) => Key::PurposeConsentRequest,
        Some(NotificationPurpose::ConsentAnswer) => Key::PurposeConsentAnswer,
        Some(NotificationPurpose::Reminder) => Key::PurposeReminder,
        Some(NotificationPurpose::VoucherIssued) => Key::PurposeVoucherIssued,
        Some(NotificationPurpose::VoucherQueue) => Key::PurposeVoucherQueue,
        Some(NotificationPurpose::VoucherAttendance) => Key::PurposeVoucherAttendance,
        Some(NotificationPurpose::VoucherLapsed) => Key::PurposeVoucherLapsed,
        Some(NotificationPurpose::VoucherMessage) => Key::PurposeVoucherMessage,
        Some(NotificationPurpose::SchoolEntry) => Key::PurposeSchoolEntry,
        Some(NotificationPurpose::SchoolExit) => Key::PurposeSchoolExit,
        Some(NotificationPurpose::SchoolMeal) => Key::PurposeSchoolMeal,
        Some(NotificationPurpose::SchoolAllergenOverride) => Key::PurposeSchoolAllergenOverride,
        _ => Key::PurposeInformation,
    }
}

/// A meal ground's name in the language: the national grounds, a region's own category by
/// the voucher priority categories' names, any other as it is written.
pub fn meal_ground(l: crate::i18n::Lang, ground: &str) -> String {
    let key = match ground {
        "grade_1_4" => Key::SchoolGroundGrade14,
        "targeted_social_assistance" => Key::SchoolGroundAsp,
        "below_subsistence" => Key::SchoolGroundBelowSubsistence,
        "orphan" => Key::SchoolGroundOrphan,
        "without_parental_care" => Key::SchoolGroundNoParentalCare,
        other => return crate::vouchers::priority_category(l, other),
    };
    l.text(key).to_string()
}
