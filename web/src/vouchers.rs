//! The vouchers domain's words, shared by the akimat's, the provider's and the parent's pages:
//! a club's direction, a priority category, a weekday of its schedule, a child-month's
//! attendance state.

use crate::gql::{AttendanceStatus, ClubDirection};
use crate::i18n::{Key, Lang};

/// The label of a direction.
pub fn direction_key(d: Option<ClubDirection>) -> Key {
    match d {
        Some(ClubDirection::Sport) => Key::ProviderDirSport,
        Some(ClubDirection::Arts) => Key::ProviderDirArts,
        Some(ClubDirection::Technical) => Key::ProviderDirTechnical,
        Some(ClubDirection::Science) => Key::ProviderDirScience,
        Some(ClubDirection::Tourism) => Key::ProviderDirTourism,
        Some(ClubDirection::Social) | Some(ClubDirection::Unknown) | None => Key::ProviderDirSocial,
    }
}

/// The short name of a weekday of a section's schedule (1 = Monday .. 7 = Sunday).
pub fn day_key(day: i64) -> Key {
    match day {
        1 => Key::ProviderDay1,
        2 => Key::ProviderDay2,
        3 => Key::ProviderDay3,
        4 => Key::ProviderDay4,
        5 => Key::ProviderDay5,
        6 => Key::ProviderDay6,
        _ => Key::ProviderDay7,
    }
}

/// The label and badge class of a child's month (`None`: not recorded).
pub fn attendance_status(s: Option<AttendanceStatus>) -> (Key, &'static str) {
    match s {
        None => (Key::SheetNotRecorded, "badge"),
        Some(AttendanceStatus::Recorded) => (Key::SheetRecorded, "badge warn"),
        Some(AttendanceStatus::Confirmed) => (Key::SheetConfirmed, "badge ok"),
        Some(AttendanceStatus::AutoConfirmed) => (Key::SheetAutoConfirmed, "badge ok"),
        Some(AttendanceStatus::Disputed) => (Key::SheetDisputed, "badge bad"),
        Some(AttendanceStatus::Upheld) => (Key::SheetUpheld, "badge ok"),
        Some(AttendanceStatus::Rejected) | Some(AttendanceStatus::Unknown) => {
            (Key::SheetRejected, "badge bad")
        }
    }
}

/// The codes of the priority table's categories (Astana's twelve) and their names.
pub const PRIORITY_CATEGORIES: [(&str, Key); 12] = [
    ("disability", Key::VchCatDisability),
    ("orphan", Key::VchCatOrphan),
    ("no_parental_care", Key::VchCatNoParentalCare),
    ("disabled_family_member", Key::VchCatDisabledFamilyMember),
    ("asp", Key::VchCatAsp),
    ("large_family", Key::VchCatLargeFamily),
    ("single_parent", Key::VchCatSingleParent),
    ("low_income", Key::VchCatLowIncome),
    ("military_family", Key::VchCatMilitaryFamily),
    ("teacher_family", Key::VchCatTeacherFamily),
    ("rural_relocated", Key::VchCatRuralRelocated),
    ("repressed_family", Key::VchCatRepressedFamily),
];

/// A category by name; a code this build does not know, as the code.
pub fn priority_category(l: Lang, code: &str) -> String {
    PRIORITY_CATEGORIES
        .iter()
        .find(|(c, _)| *c == code)
        .map_or_else(|| code.to_string(), |(_, k)| l.text(*k).to_string())
}
