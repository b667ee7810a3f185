//! Translation catalogues: one module per language (`kk`, `ru`, `en`).
//!
//! Every visible string is a [`Key`]; each catalogue is an exhaustive `match` over the keys,
//! so a key missing from any language is a compile error. Tests check that no text is empty
//! and that the Kazakh catalogue is Kazakh, not a copy of another language.

mod en;
mod kk;
mod ru;

use crate::gql::Language;

macro_rules! keys {
    ($($k:ident),* $(,)?) => {
        /// A text of the interface.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum Key { $($k),* }

        impl Key {
            /// Every key, for the catalogue tests.
            #[cfg(test)]
            pub const ALL: &[Key] = &[$(Key::$k),*];
        }
    };
}

keys!(
    AccountCreated,
    AccountDisabled,
    AccountSaved,
    AccountSettings,
    Actions,
    Active,
    ActiveRole,
    All,
    AllKinds,
    AllRegions,
    AllRoles,
    AppName,
    AppTitle,
    AssignRole,
    Bin,
    BinCheckDigit,
    BinHint,
    BinLength,
    BinNotDigits,
    BinValid,
    BirthDate,
    Cancel,
    Close,
    CreateAccount,
    CreatedAt,
    Disabled,
    Edit,
    EditOrganisation,
    EmptyAllergens,
    EmptyBudgets,
    EmptyChildren,
    EmptyClaims,
    EmptyCommission,
    EmptyGraduates,
    EmptyImports,
    EmptyMenus,
    EmptyObligation,
    EmptyParentAttendance,
    EmptyParentMeals,
    EmptyParentVouchers,
    EmptyProviders,
    EmptyRegions,
    EmptyReports,
    EmptySchoolAttendance,
    EmptySchoolMeals,
    EmptyVouchersQueue,
    ErrBadUserInput,
    ErrConflict,
    ErrForbidden,
    ErrInternal,
    ErrNetwork,
    ErrNotFound,
    ErrRateLimited,
    ErrUnauthenticated,
    ErrUnknown,
    FilterByName,
    GoToMyPortal,
    Kato,
    Kind,
    KindAgrarian,
    KindAkimat,
    KindCollege,
    KindEducationProvider,
    KindEmployer,
    KindHealthcare,
    KindOperator,
    KindOther,
    KindResearch,
    KindSchool,
    KindStateBody,
    KindUniversity,
    KindVeterinary,
    Language,
    Loading,
    LocalitiesOf,
    Locality,
    LoginLabel,
    Name,
    NameEn,
    NameKk,
    NameRu,
    NavAccounts,
    NavAllergens,
    NavAttendance,
    NavBudgets,
    NavClaims,
    NavCommission,
    NavDashboard,
    NavGraduates,
    NavImports,
    NavLocalities,
    NavMeals,
    NavMenus,
    NavMyChildren,
    NavMyObligation,
    NavOrganisations,
    NavProviders,
    NavRegions,
    NavReports,
    NavVouchers,
    NavVouchersQueue,
    NewAccount,
    NewOrganisation,
    NewPassword,
    Next,
    NoAccess,
    NoAccessText,
    NoDataYet,
    NoPortalYet,
    NotFound,
    NotSet,
    NothingFound,
    Open,
    Organisation,
    OrganisationSaved,
    Pagination,
    PasswordLabel,
    Person,
    PortalAkimat,
    PortalGraduate,
    PortalOperator,
    PortalParent,
    PortalSchool,
    Prev,
    ReadOnlyNotice,
    Region,
    Required,
    Revoke,
    Role,
    RoleAkimatOfficer,
    RoleAssigned,
    RoleCommissionMember,
    RoleDevice,
    RoleGraduate,
    RoleIntegration,
    RoleOperatorAdmin,
    RoleOperatorAnalyst,
    RoleParent,
    RoleProviderStaff,
    RoleRevoked,
    RoleSchoolAdmin,
    RoleSchoolStaff,
    RoleUnknown,
    Roles,
    Rural,
    Save,
    Search,
    SearchAccounts,
    SearchOrganisations,
    SearchPersons,
    SessionExpired,
    Settlement,
    ShowLocalities,
    ShowingOf,
    SignIn,
    SignInIntro,
    SignInTitle,
    SignOut,
    SignedOut,
    SigningIn,
    SkipToContent,
    Status,
    Urban,
    WelcomeTitle,
    StatusNotStarted,
    StatusWorking,
    StatusGap,
    StatusNonQualifying,
    StatusSuspended,
    StatusExempt,
    StatusFulfilled,
    StatusBreach,
    StatusReimbursing,
    StatusClosed,
    StatusNotEvaluated,
    MonthCredited,
    MonthNonQualifying,
    MonthPendingClassification,
    MonthSuspended,
    MonthExempt,
    MonthGap,
    MonthUnknown,
    CatRuralQuota,
    CatSerpin,
    CatStateOrder,
    CatPhd,
    CatDoctorByProfile,
    CatNone,
    Category,
    AllStatuses,
    AllCategories,
    GraduationYear,
    Iin,
    IinHint,
    FullName,
    RequiredMonths,
    CreditedMonths,
    RemainingMonths,
    ProjectedCompletion,
    NoProjection,
    ObligationPlain,
    Reason,
    LedgerTitle,
    LedgerHint,
    LedgerEmpty,
    Legend,
    MyEmployers,
    NoEmployers,
    MonthsCount,
    LastEmployer,
    Identity,
    ObligationTerms,
    RevealIin,
    RevealRecorded,
    Specialty,
    University,
    GraduationDate,
    StartDate,
    HomeRegion,
    BackToGraduates,
    GraduatesTotal,
    ByStatus,
    BreachShare,
    LatestMonth,
    EmployersWaiting,
    ChartByStatus,
    StatusTrend,
    ChartStatusTrend,
    TrendBreach,
    TrendAttention,
    TrendPaused,
    TrendOnTrack,
    TrendNotStarted,
    Accepted,
    AppApproved,
    AppRejected,
    AppSubmitted,
    ApplicationSent,
    ApplyMissing,
    ApplyTitle,
    BatchCompleted,
    BatchFailed,
    BatchRunning,
    BatchSummary,
    ChangeNote,
    ChangeStatus,
    Channel,
    ChannelEmail,
    ChannelHybridMail,
    ChannelMessenger,
    ChannelPhone,
    ChannelSms,
    ChooseFile,
    ClaimAcknowledged,
    ClaimComputation,
    ClaimDrafted,
    ClaimInCourt,
    ClaimPaid,
    ClaimPaidInPart,
    ClaimSent,
    ClaimWithdrawn,
    ClaimsDue,
    ContactOutcome,
    Contacts,
    Decision,
    Documents,
    DownloadReport,
    DraftClaim,
    EditRules,
    EmptyClaimsDue,
    Exemption,
    ExemptionTitle,
    Field,
    File,
    FileName,
    FromStatus,
    Graduates,
    Ground,
    GroundChildcare,
    GroundConscriptDone,
    GroundContractService,
    GroundDisability,
    GroundMilitaryService,
    GroundOther,
    GroundSpouse,
    GroundStudy,
    ImportHistory,
    KindContributions,
    KindEmployers,
    KindGraduates,
    KindReference,
    Line,
    LogContact,
    MyClaim,
    NavRules,
    NoApplications,
    NoRejections,
    Note,
    OpenCard,
    PaidOn,
    PaidSoFar,
    PaymentAmount,
    PaymentReference,
    Payments,
    PeriodEnd,
    PeriodStart,
    PreviewRules,
    RecordPayment,
    Rejected,
    RejectionReport,
    RuleVersion,
    RuleVersions,
    RulesHint,
    RulesJson,
    RulesNotJson,
    RulesSaved,
    SaveRules,
    StartImport,
    StartedAt,
    Statement,
    SubmitApplication,
    Suspension,
    ToStatus,
    UploadFile,
    UploadHint,
    VoteApprove,
    VoteReason,
    VoteReject,
    Votes,
    VotesOfQuorum,
    WouldChange,
    YouVoted,
    ExportCsv,
    ExportXlsx,
    ByRegion,
    ChartByRegion,
    ErrNoDeliveredNotice,
    ErrUnknownVariable,
    ErrSmsTooLong,
    NavTemplates,
    SubjectIn,
    TextIn,
    Characters,
    Template,
    NewTemplate,
    Code,
    Purpose,
    VariablesHint,
    TemplateSaved,
    Preview,
    PreviewWith,
    PreviewFigures,
    GraduatesLanguage,
    PurposeObligationNotice,
    PurposeBreachNotice,
    PurposeClaimNotice,
    PurposeConsentRequest,
    PurposeConsentAnswer,
    PurposeReminder,
    PurposeInformation,
    ChannelPush,
    MsgQueued,
    MsgSending,
    MsgSent,
    MsgDelivered,
    MsgFailed,
    MsgDead,
    MsgSuppressed,
    MsgCancelled,
    ConsentOpen,
    ConsentGiven,
    ConsentRefused,
    ConsentExpired,
    NavDeadLetters,
    DeadLettersHint,
    EmptyDeadLetters,
    Retry,
    Attempts,
    LastError,
    When,
    Messages,
    Replied,
    ConsentRequests,
    SendMessage,
    Send,
    TaskOpen,
    TaskSubmitted,
    TaskRejected,
    MyTasks,
    SendDocuments,
    Submitted,
    GraduateTasks,
    ReviewNote,
    CampaignRunning,
    CampaignPaused,
    CampaignCancelled,
    NavCampaigns,
    Campaigns,
    EmptyCampaigns,
    CampaignPlan,
    PeopleReached,
    DeliveryRate,
    Resume,
    Pause,
    CancelCampaign,
    ChannelN,
    NoFurtherChannel,
    AudienceCount,
    NewCampaign,
    Audience,
    ChannelOrder,
    FallbackMinutes,
    StartAt,
    StartAtHint,
    CampaignStarted,
    StartCampaign,
    Reached,
    Obligated,
    Share,
    Coverage,
    CoverageHint,
    ReachedOf,
    NoContact,
    AllFailed,
    CoverageShare,
    ByChannel,
    ByCategory,
    Unreachable,
    UnreachableTotal,
    ExportHybridMail,
);

/// An interface language.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Lang {
    Kk,
    Ru,
    En,
}

impl Lang {
    pub const ALL: [Lang; 3] = [Lang::Kk, Lang::Ru, Lang::En];

    /// The text of `key` in this language.
    pub fn text(self, key: Key) -> &'static str {
        match self {
            Lang::Kk => kk::text(key),
            Lang::Ru => ru::text(key),
            Lang::En => en::text(key),
        }
    }

    /// The BCP 47 code, for `<html lang>` and storage.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Kk => "kk",
            Lang::Ru => "ru",
            Lang::En => "en",
        }
    }

    /// The language's name in itself, as a language menu shows it.
    pub fn endonym(self) -> &'static str {
        match self {
            Lang::Kk => "Қазақша",
            Lang::Ru => "Русский",
            Lang::En => "English",
        }
    }

    /// Reads a code (`kk`, `ru`, `en`, any case); Kazakh when unknown.
    pub fn from_code(code: &str) -> Lang {
        match code.to_ascii_lowercase().as_str() {
            "ru" => Lang::Ru,
            "en" => Lang::En,
            _ => Lang::Kk,
        }
    }

    pub fn from_api(l: Language) -> Lang {
        match l {
            Language::Ru => Lang::Ru,
            Language::En => Lang::En,
            Language::Kk | Language::Unknown => Lang::Kk,
        }
    }

    pub fn to_api(self) -> Language {
        match self {
            Lang::Kk => Language::Kk,
            Lang::Ru => Language::Ru,
            Lang::En => Language::En,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Texts that are the same in every language on purpose.
    const SAME_EVERYWHERE: &[Key] = &[Key::AppName];
    /// Loanwords written the same in Kazakh and Russian.
    const SAME_IN_KK_AND_RU: &[Key] = &[Key::PortalOperator, Key::NavCommission];

    #[test]
    fn no_text_is_empty() {
        for l in Lang::ALL {
            for k in Key::ALL {
                assert!(!l.text(*k).trim().is_empty(), "{l:?} {k:?} is empty");
            }
        }
    }

    #[test]
    fn kazakh_is_complete_not_a_fallback() {
        let kazakh_letters = |s: &str| s.chars().any(|c| ('\u{400}'..='\u{4ff}').contains(&c));
        for k in Key::ALL.iter().filter(|k| !SAME_EVERYWHERE.contains(k)) {
            let (kk, ru, en) = (Lang::Kk.text(*k), Lang::Ru.text(*k), Lang::En.text(*k));
            assert_ne!(kk, en, "{k:?}: Kazakh text is the English one");
            if !SAME_IN_KK_AND_RU.contains(k) {
                assert_ne!(kk, ru, "{k:?}: Kazakh text is the Russian one");
            }
            assert!(
                kazakh_letters(kk),
                "{k:?}: Kazakh text has no Cyrillic letters: {kk}"
            );
            assert!(
                kazakh_letters(ru),
                "{k:?}: Russian text has no Cyrillic letters: {ru}"
            );
        }
    }

    #[test]
    fn placeholders_match_across_languages() {
        let holes = |s: &str| {
            let mut v: Vec<String> = s
                .split('{')
                .skip(1)
                .filter_map(|p| p.split_once('}').map(|(h, _)| h.to_string()))
                .collect();
            v.sort();
            v
        };
        for k in Key::ALL {
            let en = holes(Lang::En.text(*k));
            assert_eq!(holes(Lang::Kk.text(*k)), en, "{k:?}");
            assert_eq!(holes(Lang::Ru.text(*k)), en, "{k:?}");
        }
    }

    #[test]
    fn codes_round_trip() {
        for l in Lang::ALL {
            assert_eq!(Lang::from_code(l.code()), l);
            assert_eq!(Lang::from_api(l.to_api()), l);
        }
        assert_eq!(Lang::from_code("xx"), Lang::Kk);
    }
}
