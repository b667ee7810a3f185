//! Labels of the vocabularies more than one program shows: kinds of organisation, specialty
//! groups.

use crate::gql::{OrganisationKind, SpecialtyGroup};
use crate::i18n::Key;

/// The label of a kind of organisation.
pub fn kind_key(kind: OrganisationKind) -> Key {
    match kind {
        OrganisationKind::Operator => Key::KindOperator,
        OrganisationKind::University => Key::KindUniversity,
        OrganisationKind::College => Key::KindCollege,
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
