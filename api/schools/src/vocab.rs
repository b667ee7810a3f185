//! The schools domain's closed vocabularies.

use adal_core::vocab::stored_enum;

stored_enum! {
    /// Whom a school's list names: a pupil (in a class) or a member of staff.
    MemberKind { Pupil = "pupil", Staff = "staff" }
}

stored_enum! {
    /// How a person is identified at a device: by card, or (only with a parent's recorded
    /// consent, for a pupil) by QR code or PIN.
    CredentialKind { Card = "card", Qr = "qr", Pin = "pin" }
}

stored_enum! {
    /// A means of identification is active until blocked (lost, replaced, consent withdrawn).
    CredentialStatus { Active = "active", Blocked = "blocked" }
}

stored_enum! {
    /// What a device is: a turnstile (entries and exits) or a canteen till (meals).
    DeviceKind { Turnstile = "turnstile", Till = "till" }
}

stored_enum! {
    /// What a device reports.
    SchoolEventKind { Entry = "entry", Exit = "exit", Meal = "meal" }
}

stored_enum! {
    /// What a meal costs the pupil: nothing (`Free`), a price the region set (`Reduced`), or
    /// the dishes' price (`Paid`).
    MealCharge { Free = "free", Reduced = "reduced", Paid = "paid" }
}

stored_enum! {
    /// The 14 allergens of food labelling law.
    Allergen {
        Gluten = "gluten",
        Crustaceans = "crustaceans",
        Eggs = "eggs",
        Fish = "fish",
        Peanuts = "peanuts",
        Soy = "soy",
        Milk = "milk",
        Nuts = "nuts",
        Celery = "celery",
        Mustard = "mustard",
        Sesame = "sesame",
        Sulphites = "sulphites",
        Lupin = "lupin",
        Molluscs = "molluscs",
    }
}

stored_enum! {
    /// What a monthly report is about: a school's free and subsidised meals per pupil, a
    /// region's per school, or a school's attendance per person and day.
    SchoolReportKind {
        MealsSchool = "meals_school",
        MealsRegion = "meals_region",
        AttendanceSchool = "attendance_school",
    }
}

stored_enum! {
    /// Where a subsidised meal's transfer to the Social Wallet stands: waiting (perhaps for a
    /// retry after a failure), accepted, or rejected with the Wallet's reason.
    WalletTransferState { Pending = "pending", Accepted = "accepted", Rejected = "rejected" }
}

/// Allergens as stored: codes, sorted and comma-separated.
pub fn allergens_to_db(list: &[Allergen]) -> String {
    let mut codes: Vec<&str> = list.iter().map(|a| a.as_str()).collect();
    codes.sort_unstable();
    codes.dedup();
    codes.join(",")
}

/// Allergens from their stored form; unknown codes are skipped.
pub fn allergens_from_db(s: &str) -> Vec<Allergen> {
    s.split(',').filter_map(Allergen::from_db).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allergens_round_trip_sorted_once() {
        let s = allergens_to_db(&[Allergen::Milk, Allergen::Eggs, Allergen::Milk]);
        assert_eq!(s, "eggs,milk");
        assert_eq!(allergens_from_db(&s), vec![Allergen::Eggs, Allergen::Milk]);
        assert_eq!(allergens_from_db(""), Vec::<Allergen>::new());
        assert_eq!(Allergen::ALL.len(), 14);
    }
}

/// Why the schools domain refused an action (`extensions.reason` of a `CONFLICT` error); the
/// schema lists every one, so a client explains each.
#[derive(async_graphql::Enum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum SchoolRefusal {
    /// This card was issued before: a card is never issued twice.
    CardInUse,
    /// The parent has not consented to this way of identification.
    NoConsent,
    /// The parent has not blocked this allergen.
    NotBlocked,
    /// This payment reference was already credited with other data.
    ReferenceReused,
    /// This meal already has its rating.
    AlreadyRated,
}

impl adal_core::error::Refusal for SchoolRefusal {}
