//! The vouchers domain's closed vocabularies.

use adal_core::vocab::stored_enum;

stored_enum! {
    /// A direction of additional education a voucher pays for.
    ClubDirection {
        Sport = "sport",
        Arts = "arts",
        Technical = "technical",
        Science = "science",
        Tourism = "tourism",
        Social = "social",
    }
}

stored_enum! {
    /// Where a campaign stands: applications accepted in its window, then allocated.
    VoucherCampaignStatus { Open = "open", Allocated = "allocated" }
}

stored_enum! {
    /// Where an application stands. `Held`: the registry does not show the applicant as the
    /// child's parent, and the akimat verifies the document given. `Submitted`: waiting for the
    /// allocation. `Queued`: ranked, waiting for money to be freed. `Issued`: the child has a
    /// voucher. `Refused`: with the akimat's reason.
    VoucherApplicationStatus {
        Held = "held",
        Submitted = "submitted",
        Queued = "queued",
        Issued = "issued",
        Refused = "refused",
    }
}

stored_enum! {
    /// The akimat's decision on a declared vulnerability category.
    VoucherCategoryStatus { Declared = "declared", Confirmed = "confirmed", Rejected = "rejected" }
}

stored_enum! {
    /// A voucher's life: issued (usable), declined by the parent, lapsed unused, or ended by the
    /// akimat. The last three free the money of the months left.
    VoucherStatus {
        Issued = "issued",
        Declined = "declined",
        Lapsed = "lapsed",
        Ended = "ended",
    }
}

stored_enum! {
    /// A provider's standing with an akimat: registered and waiting, approved, or rejected
    /// with the reason.
    ProviderStatus { Pending = "pending", Approved = "approved", Rejected = "rejected" }
}

stored_enum! {
    /// A child's month at a section. `Recorded` by the provider, waiting for the parent;
    /// `Confirmed` by the parent, or `AutoConfirmed` when the parent did not answer in the
    /// campaign's days; `Disputed` by the parent with a reason; then `Upheld` (paid as the
    /// akimat corrected it) or `Rejected` (not paid) by the akimat.
    AttendanceStatus {
        Recorded = "recorded",
        Confirmed = "confirmed",
        AutoConfirmed = "auto_confirmed",
        Disputed = "disputed",
        Upheld = "upheld",
        Rejected = "rejected",
    }
}

impl AttendanceStatus {
    /// Whether a month in this state is paid.
    pub fn payable(self) -> bool {
        matches!(
            self,
            AttendanceStatus::Confirmed
                | AttendanceStatus::AutoConfirmed
                | AttendanceStatus::Upheld
        )
    }
}

stored_enum! {
    /// What a conversation is about: an application, or a month of attendance.
    VoucherThreadKind { Application = "application", Attendance = "attendance" }
}

stored_enum! {
    /// The side a message was written for.
    VoucherSide { Parent = "parent", Provider = "provider", Akimat = "akimat" }
}
