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

/// Why the vouchers domain refused an action (`extensions.reason` of a `CONFLICT` or
/// `BAD_USER_INPUT` error); the schema lists every one, so a client explains each.
#[derive(async_graphql::Enum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum VoucherRefusal {
    /// A category code is 1-32 lower-case Latin letters, digits or `_`.
    BadCategoryCode,
    /// A child on the attendance sheet does not attend this section in that month.
    NotEnrolled,
    /// The parent has already confirmed or disputed this month: the answer is final.
    AlreadyAnswered,
    /// The days to answer are over: the month counts as confirmed.
    AnswerWindowOver,
    /// Only a disputed or flagged month is resolved by the akimat.
    NotDisputed,
    /// A month is paid after it ends.
    MonthNotOver,
    /// The providers' payouts of this month are already computed.
    AlreadyPaid,
    /// Parents still have months to answer before the payouts are computed.
    AttendancePending,
    /// The campaign does not take applications yet.
    WindowNotOpen,
    /// The campaign no longer takes applications.
    WindowClosed,
    /// The campaign offers no vouchers in that direction.
    DirectionNotOffered,
    /// The campaign's priority table has no such category.
    UnknownCategory,
    /// A claimed category needs its evidence.
    EvidenceRequired,
    /// The persons register does not show the applicant as the child's parent.
    NotGuardian,
    /// The child's age is outside the campaign's or the section's range.
    AgeOutOfRange,
    /// The child already has an application in this campaign.
    AlreadyApplied,
    /// The campaign's vouchers are allocated: its applications are final.
    AlreadyAllocated,
    /// The application is not waiting for a guardianship decision.
    NotHeld,
    /// The campaign's budget does not hold these vouchers.
    BudgetExceeded,
    /// Applications are still accepted: the allocation runs after the window closes.
    WindowOpen,
    /// Categories or guardianship documents still wait for a decision.
    DecisionsPending,
    /// The voucher was declined, withdrawn or has expired.
    VoucherEnded,
    /// The organisation is already registered with this region.
    AlreadyRegistered,
    /// The akimat of the region has not approved the provider yet.
    ProviderNotApproved,
    /// The section no longer takes children.
    SectionClosed,
    /// The section teaches another direction than the voucher pays for.
    OtherDirection,
    /// The section is in another region than the voucher's campaign.
    OtherRegion,
    /// The voucher is already used at this section.
    AlreadyEnrolled,
    /// The voucher has no month left to use.
    VoucherOver,
    /// The section has no place left.
    SectionFull,
    /// The campaign's application window has opened: its terms are fixed.
    CampaignStarted,
    /// The akimat has decided the category: its evidence is final.
    CategoryDecided,
}

impl adal_core::error::Refusal for VoucherRefusal {}
