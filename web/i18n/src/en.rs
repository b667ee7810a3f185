//! English.

use crate::Key::{self, *};

pub fn text(key: Key) -> &'static str {
    match key {
        AppName => "Adal",
        AppTitle => "Adal — education platform",
        SkipToContent => "Skip to content",
        Loading => "Loading…",
        Language => "Language",
        ActiveRole => "Working as",
        SignIn => "Sign in",
        SigningIn => "Signing in…",
        SignInTitle => "Sign in to Adal",
        SignInIntro => "Enter the login and password you were given by your organisation.",
        LoginLabel => "Login",
        PasswordLabel => "Password",
        SignOut => "Sign out",
        SignedOut => "You have signed out.",
        SessionExpired => "Your session has expired. Sign in again to continue where you were.",
        WelcomeTitle => "Welcome",
        NoPortalYet => "Your role has no portal in this version of Adal yet.",
        NoAccess => "No access",
        NoAccessText => "This section belongs to a portal of a role you do not hold.",
        GoToMyPortal => "Go to my portal",
        NotFound => "Page not found",
        NoDataYet => "No data yet",
        NothingFound => "Nothing found. Change the filters and try again.",
        Required => "This field is required.",
        ReadOnlyNotice => "You can view this page; only an operator administrator can change it.",
        Pagination => "Pages",
        ShowingOf => "{from}–{to} of {total}",
        Prev => "Previous",
        Next => "Next",
        Search => "Search",
        FilterByName => "Filter by name or code",
        All => "All",
        AllKinds => "All kinds",
        AllRegions => "All regions",
        AllRoles => "All roles",
        NotSet => "Not set",
        Save => "Save",
        Cancel => "Cancel",
        Edit => "Edit",
        Open => "Open",
        Close => "Close",
        Actions => "Actions",
        Status => "Status",
        Active => "Active",
        Disabled => "Disabled",
        ErrUnauthenticated => "You are not signed in, or the login or password is wrong.",
        ErrForbidden => "You do not have permission for this action.",
        ErrNotFound => "The record was not found.",
        ErrBadUserInput => "Please correct the highlighted data.",
        ErrConflict => "This conflicts with an existing record.",
        ErrRateLimited => "Too many attempts. Wait a minute and try again.",
        ErrInternal => "Something went wrong on the server. Try again later.",
        ErrNetwork => "The server cannot be reached. Check the connection and try again.",
        ErrUnknown => "The request failed.",
        PortalOperator => "Operator",
        PortalAkimat => "Akimat",
        PortalSchool => "School",
        PortalCitizen => "Citizens",
        PortalProvider => "Provider",
        NavProviderHome => "Home",
        EmptyProviderHome => "The pages of clubs and sections come in a later release.",
        RoleOperatorAdmin => "Operator administrator",
        RoleOperatorAnalyst => "Operator analyst",
        RoleCommissionMember => "Commission member",
        RoleAkimatOfficer => "Akimat officer",
        RoleSchoolAdmin => "School administrator",
        RoleSchoolStaff => "School staff",
        RoleProviderStaff => "Provider staff",
        RoleParent => "Parent",
        RoleGraduate => "Graduate",
        RoleIntegration => "Integration (system)",
        RoleDevice => "Device (system)",
        RoleUnknown => "Other role",
        NavDashboard => "Dashboard",
        NavGraduates => "Graduates",
        NavImports => "Imports",
        NavCommission => "Commission",
        NavClaims => "Claims",
        NavRegions => "Regions",
        NavLocalities => "Localities",
        NavOrganisations => "Organisations",
        NavAccounts => "Accounts",
        NavVouchersQueue => "Voucher queue",
        NavProviders => "Providers",
        NavBudgets => "Budgets",
        NavAttendance => "Attendance",
        NavMeals => "Meals",
        NavMenus => "Menus",
        NavReports => "Reports",
        NavMyChildren => "My children",
        NavVouchers => "Vouchers",
        NavAllergens => "Allergens",
        NavMyObligation => "My obligation",
        EmptyGraduates => {
            "No graduates are under monitoring yet. They appear here once the first register is imported."
        }
        EmptyImports => "No imports have been made yet.",
        EmptyCommission => "No applications have been submitted to the commission yet.",
        EmptyClaims => "There are no reimbursement claims yet.",
        EmptyVouchersQueue => "No voucher applications have been received yet.",
        EmptyProviders => "No providers have been registered yet.",
        EmptyBudgets => "No budgets have been set yet.",
        EmptySchoolAttendance => "No entries or exits have been recorded yet.",
        EmptySchoolMeals => "No meals have been recorded yet.",
        EmptyMenus => "No menus have been published yet.",
        EmptyReports => "No reports have been prepared yet.",
        EmptyParentAttendance => "Your children's entries and exits will appear here.",
        EmptyParentMeals => "Your children's meals will appear here.",
        EmptyParentVouchers => "You have no vouchers for additional education yet.",
        EmptyAllergens => "No allergen restrictions have been set yet.",
        EmptyObligation => "No work-off obligation has been recorded for you yet.",
        EmptyChildren => "No children are linked to your account yet.",
        EmptyRegions => "The reference of regions is empty.",
        BirthDate => "Date of birth",
        Kato => "KATO code",
        Name => "Name",
        ShowLocalities => "Show localities",
        LocalitiesOf => "Localities: {region}",
        Settlement => "Settlement type",
        Rural => "Rural",
        Urban => "Urban",
        Region => "Region",
        Locality => "Locality",
        Bin => "BIN",
        BinHint => "12 digits: business identification number.",
        BinValid => "The BIN is valid.",
        BinNotDigits => "A BIN consists of digits only.",
        BinLength => "A BIN has 12 digits; {n} entered.",
        BinCheckDigit => "The check digit does not match: check the BIN.",
        Kind => "Kind",
        KindOperator => "Operator",
        KindUniversity => "University",
        KindCollege => "College",
        KindHigherCollege => "Higher college",
        KindNis => "Nazarbayev Intellectual School",
        KindResearchUnit => "Scientific unit of an organisation",
        KindSchool => "School",
        KindEmployer => "Employer",
        KindEducationProvider => "Additional education provider",
        KindAkimat => "Akimat",
        KindStateBody => "State body",
        KindHealthcare => "Healthcare organisation",
        KindResearch => "Research organisation",
        KindVeterinary => "Veterinary organisation",
        KindAgrarian => "Agrarian organisation",
        KindOther => "Other",
        NameKk => "Name in Kazakh",
        NameRu => "Name in Russian",
        NameEn => "Name in English",
        NewOrganisation => "New organisation",
        EditOrganisation => "Edit organisation",
        OrganisationSaved => "Organisation with BIN {bin} saved.",
        SearchOrganisations => "Search by name or BIN",
        Organisation => "Organisation",
        SearchAccounts => "Search by login or name",
        SearchPersons => "Find a person by name",
        Person => "Person",
        Role => "Role",
        Roles => "Roles",
        NewAccount => "New account",
        CreateAccount => "Create account",
        AccountCreated => "Account {login} created.",
        AccountSaved => "Account saved.",
        AccountSettings => "Account settings",
        AccountDisabled => "Account disabled (cannot sign in)",
        NewPassword => "New password (leave empty to keep)",
        CreatedAt => "Created",
        AssignRole => "Assign role",
        RoleAssigned => "Role assigned.",
        Revoke => "Revoke",
        RoleRevoked => "Role revoked.",
        StatusNotStarted => "Not started",
        StatusWorking => "Working",
        StatusGap => "Gap in work",
        StatusNonQualifying => "Work does not count",
        StatusSuspended => "Suspended",
        StatusExempt => "Exempt",
        StatusFulfilled => "Fulfilled",
        StatusBreach => "Breach",
        StatusReimbursing => "Reimbursing",
        StatusClosed => "Closed",
        StatusNotEvaluated => "Not evaluated yet",
        MonthCredited => "Credited",
        MonthNonQualifying => "Does not count",
        MonthPendingClassification => "Employer being checked",
        MonthSuspended => "Suspended",
        MonthExempt => "Exempt",
        MonthGap => "No work",
        MonthUnknown => "Unknown state",
        CatRuralQuota => "Rural quota",
        CatSerpin => "Serpin programme",
        CatStateOrder => "State order",
        CatPhd => "PhD doctorate",
        CatDoctorByProfile => "Doctorate by profile",
        CatNone => "No category",
        Category => "Category",
        AllStatuses => "All statuses",
        AllCategories => "All categories",
        GraduationYear => "Graduation year",
        Iin => "IIN",
        IinHint => "12 digits, exact match",
        FullName => "Full name",
        RequiredMonths => "Months to work",
        CreditedMonths => "Months credited",
        RemainingMonths => "Months left",
        ProjectedCompletion => "Expected completion",
        NoProjection => "Cannot be predicted yet",
        ObligationPlain => {
            "You must work {required} months. {credited} have been credited and {remaining} are left."
        }
        Reason => "Reason",
        LedgerTitle => "Month by month",
        LedgerHint => {
            "Each square is one month. Hover or tap it to see the employer and the reason."
        }
        LedgerEmpty => "No months yet.",
        Legend => "Legend",
        MyEmployers => "My employers",
        NoEmployers => "No employer has paid contributions yet.",
        MonthsCount => "{n} months",
        LastEmployer => "Last employer",
        Identity => "Identity",
        ObligationTerms => "Obligation terms",
        RevealIin => "Reveal IIN",
        RevealRecorded => "The request is recorded in the audit trail.",
        Specialty => "Specialty",
        University => "University",
        GraduationDate => "Graduation date",
        StartDate => "Work starts",
        HomeRegion => "Home region",
        BackToGraduates => "Back to graduates",
        GraduatesTotal => "Graduates monitored",
        ByStatus => "By status",
        BreachShare => "Share in breach",
        LatestMonth => "Latest month covered",
        EmployersWaiting => "Employers waiting for classification",
        ChartByStatus => "Graduates by status (chart)",
        StatusTrend => "Status over the last 12 months",
        ChartStatusTrend => "Graduates by status at the end of each month (chart)",
        TrendBreach => "Breach or reimbursing",
        TrendAttention => "Gap or non-qualifying work",
        TrendPaused => "Suspended or exempt",
        TrendOnTrack => "Working, fulfilled or closed",
        TrendNotStarted => "Not started",
        Accepted => "Accepted",
        AppApproved => "Approved",
        AppRejected => "Rejected",
        AppSubmitted => "Awaiting decision",
        ApplicationSent => "Your application has been submitted. The commission will decide on it.",
        ApplyMissing => "Write a statement and attach at least one document.",
        ApplyTitle => "Apply for exemption or suspension",
        BatchCompleted => "Completed",
        BatchFailed => "Failed",
        BatchRunning => "In progress",
        BatchSummary => {
            "Rows: {total}; accepted: {accepted}; duplicates: {duplicates}; rejected: {rejected}."
        }
        ChangeNote => "What changed and why",
        ChangeStatus => "Move the claim to",
        Channel => "Channel",
        ChannelEmail => "E-mail",
        ChannelPost => "Registered letter",
        ChannelHybridMail => "Hybrid mail",
        ChannelMessenger => "Messenger",
        ChannelPhone => "Phone",
        ChannelSms => "SMS",
        ChooseFile => "Choose a file.",
        ClaimAcknowledged => "Acknowledged",
        ClaimComputation => {
            "{cost} × ({required} − {credited}) / {required} = {amount} (rules version {version})"
        }
        ClaimDrafted => "Drafted",
        ClaimInCourt => "In court",
        ClaimPaid => "Paid",
        ClaimPaidInPart => "Paid in part",
        ClaimSent => "Sent",
        ClaimWithdrawn => "Withdrawn",
        ClaimsDue => "Due: in breach, no claim yet",
        ContactOutcome => "Outcome",
        Contacts => "Contacts",
        Decision => "Decision:",
        Documents => "Documents",
        DownloadReport => "Download the rejection report (CSV)",
        DraftClaim => "Draft a claim",
        EditRules => "Change the rules",
        EmptyClaimsDue => "No graduate in breach is waiting for a claim.",
        Exemption => "Exemption",
        ExemptionTitle => "Exemption and suspension",
        Field => "Field",
        File => "File",
        FileName => "File",
        FromStatus => "From",
        Graduates => "Graduates",
        Ground => "Ground",
        GroundChildcare => "Pregnancy or a child under 3",
        GroundConscriptDone => "Completed conscript service",
        GroundContractService => "Contract military service",
        GroundDisability => "Disability group I or II",
        GroundMilitaryService => "Military service (suspension)",
        GroundOther => "Other reason for suspension",
        GroundSpouse => "No vacancy where the spouse lives or works",
        GroundStudy => "Residency, master's or doctoral study",
        ImportHistory => "History of imports",
        KindContributions => "Contribution feed (OPV, SO)",
        KindEmployers => "Employers",
        KindGraduates => "Graduates list",
        KindReference => "Reference data",
        Line => "Line",
        LogContact => "Log the contact",
        MyClaim => "My reimbursement claim",
        NavRules => "Rules",
        NoApplications => "You have not applied yet.",
        NoRejections => "Every line was accepted.",
        Note => "Note",
        OpenCard => "Graduate's card",
        PaidOn => "Paid on",
        PaidSoFar => "paid {paid}",
        PaymentAmount => "Amount, KZT",
        PaymentReference => "Payment reference",
        Payments => "Payments",
        PeriodEnd => "Until",
        PeriodStart => "From",
        PreviewRules => "Preview: who would change status",
        RecordPayment => "Record the payment",
        Rejected => "Rejected",
        RejectionReport => "Rejected lines",
        RuleVersion => "Version {n}",
        RuleVersions => "Versions of the rules",
        RuleDefaults => "The initial rules (saved by the system)",
        RulesHint => {
            "The rules are JSON. Preview the effect first; saving creates a new version and re-evaluates every graduate."
        }
        RulesJson => "Rules in force",
        RulesNotJson => "This is not valid JSON.",
        RulesSaved => "Version {n} is saved and in force for every graduate.",
        SaveRules => "Save and apply",
        StartImport => "Upload and import",
        StartedAt => "Started",
        Statement => "Statement",
        SubmitApplication => "Submit the application",
        Suspension => "Suspension",
        ToStatus => "Would become",
        UploadFile => "Upload a file",
        UploadHint => {
            "A CSV file with a header line. Lines with errors are rejected with their line number; the rest is imported."
        }
        VoteApprove => "Approve",
        VoteReason => "Reasons for your vote",
        VoteReject => "Reject",
        Votes => "Votes",
        VotesOfQuorum => "{n} of {quorum} votes",
        WouldChange => "{n} graduates would change status.",
        YouVoted => "You have voted on this application.",
        ExportCsv => "Export to CSV",
        ExportXlsx => "Export to Excel (XLSX)",
        ByRegion => "By home region",
        ChartByRegion => "Graduates by home region (chart)",
        ErrNoDeliveredNotice => {
            "A claim cannot be raised yet: no obligation or breach notice has been delivered to this graduate (proof of notice). Send a notice first and wait until it is delivered."
        }
        ErrUnknownVariable => "Unknown variable “{value}”. Use only the variables listed above.",
        ErrSmsTooLong => {
            "As an SMS this text can take {value} segments (variables counted at their longest), more than allowed. Shorten it."
        }
        ErrBadCategoryCode => "A category code is 1 to 32 lower-case Latin letters, digits or “_”.",
        ErrBudgetExceeded => "The campaign's budget does not hold these vouchers.",
        ErrAlreadyRegistered => "Your organisation is already registered with this region.",
        ErrCardInUse => "This card was issued before: a card is never issued twice.",
        ErrNoConsent => "The parent has not consented to this way of identification.",
        ErrNotBlocked => "The parent has not blocked this allergen.",
        ErrReferenceReused => "This payment reference was already credited with other data.",
        ErrAlreadyRated => "This meal already has its rating.",
        ErrNotApproved => "Only an approved decision can be ended.",
        NavTemplates => "Templates",
        SubjectIn => "Subject ({lang})",
        TextIn => "Text ({lang})",
        Characters => "Characters: {n}",
        Template => "Template",
        NewTemplate => "New template",
        Code => "Code",
        Purpose => "Purpose",
        VariablesHint => "Variables are written in braces and filled in for each graduate:",
        TemplateSaved => "The template is saved.",
        Preview => "Preview",
        PreviewWith => "With the data of",
        PreviewFigures => "Characters: {n} · SMS segments: {segments}",
        GraduatesLanguage => "Graduate's language",
        PurposeObligationNotice => "Obligation notice",
        PurposeBreachNotice => "Breach notice",
        PurposeClaimNotice => "Claim notice",
        PurposeConsentRequest => "Consent request (511/512)",
        PurposeConsentAnswer => "Answer to a reply",
        PurposeReminder => "Reminder",
        PurposeInformation => "Information",
        PurposeVoucherIssued => "Voucher issued",
        PurposeVoucherQueue => "Voucher queue",
        PurposeVoucherAttendance => "Club attendance to confirm",
        PurposeVoucherLapsed => "Voucher lapsed",
        PurposeVoucherMessage => "Message about a voucher",
        PurposeSchoolEntry => "Entered school",
        PurposeSchoolExit => "Left school",
        PurposeSchoolMeal => "Meal at the canteen",
        PurposeSchoolAllergenOverride => "Allergen block lifted by the school",
        ChannelPush => "eGov push",
        MsgQueued => "Queued",
        MsgSending => "Sending",
        MsgSent => "Sent",
        MsgDelivered => "Delivered",
        MsgFailed => "Not delivered",
        MsgDead => "Waiting for an operator",
        MsgSuppressed => "Opted out",
        MsgCancelled => "Withdrawn",
        ConsentOpen => "Waiting for the reply",
        ConsentGiven => "Consented (511)",
        ConsentRefused => "Refused (512)",
        ConsentExpired => "No reply in time",
        NavDeadLetters => "Undelivered",
        DeadLettersHint => {
            "Messages whose attempts ran out or whose channel is not configured. Sending again keeps the same idempotency key, so nobody gets a message twice."
        }
        EmptyDeadLetters => "No message is waiting for an operator.",
        Retry => "Send again",
        Attempts => "Attempts",
        LastError => "Last error",
        When => "When",
        Messages => "Messages",
        Replied => "Reply",
        ConsentRequests => "Consent requests (511/512)",
        SendMessage => "Send the graduate",
        Send => "Send",
        TaskOpen => "Documents needed",
        TaskSubmitted => "Under review",
        TaskRejected => "Rejected: upload again",
        MyTasks => "Tasks for you",
        SendDocuments => "Send the documents",
        Submitted => "Submitted",
        GraduateTasks => "Tasks and documents",
        ReviewNote => "Comment (required to reject)",
        ProofEmployerBin => "Employer's BIN named in the document (required to accept)",
        ProofFromMonth => "First month of work the document proves",
        ProofToMonth => "Last month of work the document proves",
        ProofAccepted => "The document proves work at {employer} ({bin}) from {from} to {to}.",
        CampaignRunning => "Running",
        CampaignPaused => "Paused",
        CampaignCancelled => "Cancelled",
        NavCampaigns => "Campaigns",
        Campaigns => "All campaigns",
        EmptyCampaigns => "No campaign has been started yet.",
        CampaignPlan => {
            "Template {template} · {channels} · next channel after {minutes} min · from {at}"
        }
        PeopleReached => "{reached} of {people} people reached",
        DeliveryRate => "Delivery rate",
        Resume => "Resume",
        Pause => "Pause",
        CancelCampaign => "Cancel the campaign",
        ChannelN => "Channel {n}",
        NoFurtherChannel => "— none —",
        AudienceCount => "{n} graduates will receive it.",
        NewCampaign => "New campaign",
        Audience => "Recipients",
        ChannelOrder => "Channels, in order",
        FallbackMinutes => "Next channel if not delivered within, min",
        StartAt => "Start at",
        StartAtHint => "In Kazakhstan's time (UTC+5). Leave empty to start now.",
        CampaignStarted => "The campaign is started.",
        StartCampaign => "Start the campaign",
        Reached => "Reached",
        Obligated => "With an obligation",
        Share => "Share",
        Coverage => "Reached by notifications",
        CoverageHint => {
            "Graduates with an obligation who got at least one delivered message in the period (by default the last 12 months)."
        }
        ReachedOf => "{reached} of {total}",
        NoContact => "no contact details",
        AllFailed => "every channel failed",
        CoverageShare => "Reached in the period",
        ByChannel => "By channel",
        ByCategory => "By category",
        Unreachable => "Graduates nobody reaches",
        UnreachableTotal => "{n} graduates: no contact details, or every message failed.",
        ExportHybridMail => "Export for hybrid mail (CSV)",
        SpecialtyGroupLabel => "Specialty group",
        AllSpecialtyGroups => "All specialty groups",
        GroupPedagogical => "Pedagogical",
        GroupMedical => "Medical",
        GroupVeterinary => "Veterinary",
        GroupAgricultural => "Agricultural",
        GroupTechnical => "Technical",
        GroupOther => "Other specialties",
        EmployerLabel => "Employer",
        OrgPickerHint => "Type part of the name or the BIN, then pick from the list.",
        KindRegionsFile => "Regions (KATO: oblasts and cities)",
        KindLocalitiesFile => "Localities (KATO)",
        KindActivityCodesFile => "Activity codes (OKED)",
        KindSpecialtiesFile => "Classifier of specialties",
        CreditedLatestMonth => "Months credited in the latest month",
        PaidLatestMonth => "Graduates with contributions in the latest month",
        ImportsRunning => "Imports running",
        ByGraduationYear => "By graduation year",
        ChartByCategory => "Graduates by category (chart)",
        ChartByYear => "Graduates by graduation year (chart)",
        NextStep => "What to do next:",
        Evidence => "Contribution records (evidence)",
        RecordsCount => "{n} records",
        NoEvidence => "No contribution records yet.",
        MonthCol => "Month",
        PaymentCodeOpv => "mandatory pension contribution",
        PaymentCodeSo => "social contribution",
        NotInFeed => "not in the feed",
        PaymentCodeCol => "Payment code",
        PaymentDateCol => "Payment date",
        AmountKzt => "Amount, ₸",
        NoApplicationsYet => "No applications.",
        // school portal
        NavSchoolToday => "Today",
        NavSchoolTill => "Canteen till",
        NavSchoolPupils => "Pupils and staff",
        NavSchoolSettings => "Settings",
        SchoolDayAndCanteen => "School day and canteen",
        SchoolLessonsStart => "Lessons start",
        SchoolLateGrace => "Grace for lateness, minutes",
        SchoolAllowCredit => "The canteen may serve paying pupils on credit",
        SchoolCreditLimit => "Credit limit, tenge",
        SchoolSettingsHint => {
            "A pupil who enters after lessons start plus the grace minutes is counted late. With credit allowed, the canteen may serve a paying pupil whose balance is below zero, down to the limit."
        }
        SchoolSettingsSaved => "The settings are saved.",
        SchoolLessonsStartWrong => "Enter the time lessons start as HH:MM.",
        SchoolLateGraceWrong => "The grace for lateness is from 0 to 120 minutes.",
        SchoolCreditLimitWrong => {
            "Without credit the limit is zero; with credit, a positive amount in tenge."
        }
        SchoolRegisteredAt => "Registered",
        SchoolNoDevicesYet => "No device is registered yet.",
        SchoolRegisterDevice => "Register a device",
        SchoolClientIdHint => {
            "3 to 64 characters: Latin letters, digits, . _ - @. The device signs in to Adal with it."
        }
        SchoolClientIdTaken => "This client ID is already taken: choose another.",
        SchoolDeviceRegistered => "The device {name} is registered",
        SchoolDeviceSecretNote => {
            "The secret is shown only now: enter it into the device together with the client ID. Adal keeps only its hash; if it is lost, register the device again under another client ID."
        }
        SchoolNoSchool => "Your role is not tied to any school.",
        SchoolDay => "Day",
        SchoolPupilsPresent => "Pupils present",
        SchoolPupilsAbsent => "Pupils absent",
        SchoolPupilsLate => "Pupils late",
        SchoolStaffPresent => "Staff present",
        SchoolInsideNow => "Inside now",
        SchoolByClass => "By class",
        SchoolClass => "Class",
        SchoolPresent => "Present",
        SchoolAbsent => "Absent",
        SchoolLate => "Late",
        SchoolWhoAbsentLate => "Who is absent or late",
        SchoolEntered => "Entered",
        SchoolLeft => "Left",
        SchoolNobodyInside => "Nobody is inside now.",
        SchoolDevices => "Devices",
        SchoolDevice => "Device",
        SchoolDeviceTurnstile => "Turnstile",
        SchoolDeviceTill => "Till",
        SchoolLastEvent => "Last event",
        SchoolLastSeq => "Last number",
        SchoolOnline => "Online",
        SchoolOffline => "Offline",
        SchoolNever => "Never",
        SchoolName => "Name",
        SchoolStaffWord => "Staff",
        TillChooseDevice => "Choose which till this tablet is",
        TillNoDevices => "The school has no registered till.",
        TillChangeDevice => "Change till",
        TillCard => "Card",
        TillCardHint => "Read the card or type its number, then press Enter.",
        TillRead => "Read",
        TillFree => "Free",
        TillReduced => "Reduced",
        TillPaid => "Paid",
        TillGround => "Ground",
        TillBalance => "Balance",
        TillSubsidisedUsed => "Today's subsidised meal was had already.",
        TillTodayMenu => "Today's menu",
        TillNoMenu => "There is no menu for today.",
        TillServe => "Serve",
        TillBlocked => "Blocked: {allergens}",
        TillOverride => "Lift the block",
        TillOverrideReason => "Reason for lifting the block",
        TillOverrideDone => "The block is lifted for today; the parent is told.",
        TillServed => "Served: {charge}, price {price}, balance {balance}",
        TillDuplicate => "This meal was stored before (sent again).",
        TillRefused => "Refused: {reason}",
        TillRetryHint => "No answer: send again with the same number.",
        TillChooseDish => "Choose at least one dish.",
        TillNextPupil => "Next pupil",
        TillUnknownCard => "Unknown card",
        TillCardBlocked => "The card is blocked",
        TillNotThisSchool => "A card of another school",
        TillNotAPupil => "Not a pupil",
        TillInsufficient => "Insufficient balance",
        TillAllergenRefused => "Allergen block: {allergens}",
        SchoolAllergenGluten => "gluten",
        SchoolAllergenCrustaceans => "crustaceans",
        SchoolAllergenEggs => "eggs",
        SchoolAllergenFish => "fish",
        SchoolAllergenPeanuts => "peanuts",
        SchoolAllergenSoy => "soy",
        SchoolAllergenMilk => "milk",
        SchoolAllergenNuts => "nuts",
        SchoolAllergenCelery => "celery",
        SchoolAllergenMustard => "mustard",
        SchoolAllergenSesame => "sesame",
        SchoolAllergenSulphites => "sulphites",
        SchoolAllergenLupin => "lupin",
        SchoolAllergenMolluscs => "molluscs",
        SchoolWeekOf => "Week of {date}",
        SchoolPrevWeek => "Previous week",
        SchoolNextWeek => "Next week",
        SchoolCopyLastWeek => "Copy last week's menu",
        SchoolSaveWeek => "Save the week's menu",
        SchoolWeekSaved => "The week's menu is saved.",
        SchoolDishes => "Dishes",
        SchoolDish => "Dish",
        SchoolAddDish => "Add a dish",
        SchoolEditDish => "Edit the dish",
        SchoolPrice => "Price, ₸",
        SchoolPortion => "Portion",
        SchoolAllergens => "Allergens",
        SchoolPhoto => "Photo",
        SchoolUploadPhoto => "Upload the photo",
        SchoolDishActive => "Offered on menus",
        SchoolDishSaved => "The dish is saved.",
        SchoolRatings => "Meal ratings",
        SchoolRatingsPerDish => "Average per dish",
        SchoolRatingsPerWeek => "Average per week",
        SchoolRatingsCount => "Ratings",
        SchoolAverage => "Average",
        SchoolNoRatings => "No ratings in this period.",
        SchoolRatingsSpan => "Period",
        SchoolSpanTwoWeeks => "2 weeks",
        SchoolSpanFourWeeks => "4 weeks",
        SchoolSpanThreeMonths => "3 months",
        SchoolSpanYear => "a year",
        SchoolComments => "What families wrote",
        SchoolNoComments => "No comments in this period.",
        SchoolScore => "Score",
        SchoolRatingsRange => {
            "{from} – {to}: averages over the period; comments without names, latest first"
        }
        SchoolMonth => "Month",
        SchoolReportKindMeals => "Free and subsidised meals",
        SchoolReportKindRegion => "Region's meals",
        SchoolReportKindAttendance => "Attendance",
        SchoolVersion => "Version",
        SchoolRows => "Rows",
        SchoolGeneratedAt => "Generated",
        SchoolPrepare => "Prepare: {kind}",
        SchoolPrepared => "Report ready: {state}",
        SchoolNewVersion => "a new version",
        SchoolUnchanged => "the data did not change",
        SchoolNoReports => "No reports for this month yet.",
        SchoolWallet => "Transfers to the Social Wallet",
        SchoolWalletPending => "Pending",
        SchoolWalletAccepted => "Accepted",
        SchoolWalletRejected => "Rejected",
        SchoolAttempts => "Attempts",
        SchoolMealsInMonth => "Free and subsidised meals in the month: {n}",
        SchoolNoTransfers => "No transfers in this month.",
        SchoolAllClasses => "All classes",
        SchoolPosition => "Position",
        SchoolCards => "Cards",
        SchoolCardUid => "Card number (UID)",
        SchoolIssueCard => "Issue a card",
        SchoolBlockCard => "Block",
        SchoolBlockReason => "Reason for blocking (e.g. lost)",
        SchoolCardActive => "Active",
        SchoolCardBlocked => "Blocked",
        SchoolIssuedAt => "Issued",
        SchoolNoCards => "No cards issued.",
        SchoolCardIssued => "The card is issued; the previous one is blocked.",
        SchoolGrounds => "Meal grounds",
        SchoolCategory => "Category",
        SchoolValidFrom => "From",
        SchoolValidTo => "To",
        SchoolEvidence => "Evidence",
        SchoolRecordGround => "Record the ground",
        SchoolPhotoHint => {
            "PNG or JPEG, up to 1 MB. The till shows it beside the name, so staff can see the card is the pupil's own."
        }
        SchoolNoPhoto => "No photo",
        SchoolRemovePhoto => "Remove the photo",
        SchoolPhotoWrong => "The photo must be a PNG or JPEG picture of at most 1 MB.",
        SchoolAltIdTitle => "QR code or PIN",
        SchoolAltIdHint => {
            "For a pupil who comes without a card, when the parent has consented to it in their account. A new code blocks the previous QR code or PIN."
        }
        SchoolIssueQr => "Issue a QR code",
        SchoolIssuePin => "Issue a PIN",
        SchoolQrIssued => "QR code issued: {name}",
        SchoolPinIssued => "PIN issued: {name}",
        SchoolAltIdOnce => {
            "It is shown only now: print it or give it to the family. Adal keeps no copy it could show again."
        }
        SchoolQrAlt => "QR code for {name}",
        SchoolPrintCode => "Print",
        SchoolCredCard => "Card",
        SchoolCredQr => "QR code",
        SchoolCredPin => "PIN",
        SchoolEndGround => "End",
        SchoolEndGroundTitle => "End the ground: {ground}",
        SchoolEndOn => "Last day",
        SchoolEndGroundHint => "Meals on this ground count up to and including the last day.",
        SchoolEndGroundSubmit => "End the ground",
        SchoolEndBeforeStart => "The last day cannot be before the ground starts.",
        SchoolRemoveMember => "Remove from the school's list",
        SchoolRemoveMemberHint => {
            "For a pupil or member of staff who has left. Their cards, QR codes and PINs stop working at once; the records of past days stay."
        }
        SchoolRemoveConfirm => {
            "Remove {name} from the school's list? Their cards stop working at once."
        }
        SchoolRemoveYes => "Yes, remove",
        SchoolMemberRemoved => {
            "{name} is no longer on the school's list; their cards no longer work."
        }
        SchoolNoGrounds => "No grounds recorded.",
        SchoolImportList => "Import the list",
        SchoolImportHint => {
            "CSV header: kind;iin;last_name;first_name;middle_name;class;position. Paste the text or choose a file."
        }
        SchoolImportDone => {
            "Added {created}, changed {updated}, unchanged {unchanged}, rejected {rejected}"
        }
        SchoolLine => "Line",
        SchoolMembers => "The list",
        SchoolPupilWord => "Pupil",
        SchoolGroundGrade14 => "grades 1-4",
        SchoolGroundAsp => "targeted social assistance",
        SchoolGroundBelowSubsistence => "income below subsistence",
        SchoolGroundOrphan => "orphan",
        SchoolGroundNoParentalCare => "without parental care",
        SchoolFlagged => "Refused and flagged events",
        SchoolFlagLate => "uploaded late",
        SchoolFlagClock => "device clock suspect",
        SchoolNoFlagged => "No refused or flagged events.",
        SchoolTime => "Time",
        // parent's school pages
        AllergenGluten => "Cereals with gluten",
        AllergenCrustaceans => "Crustaceans",
        AllergenEggs => "Eggs",
        AllergenFish => "Fish",
        AllergenPeanuts => "Peanuts",
        AllergenSoy => "Soy",
        AllergenMilk => "Milk",
        AllergenNuts => "Tree nuts",
        AllergenCelery => "Celery",
        AllergenMustard => "Mustard",
        AllergenSesame => "Sesame",
        AllergenSulphites => "Sulphites",
        AllergenLupin => "Lupin",
        AllergenMolluscs => "Molluscs",
        ChildPick => "Child",
        ChildToday => "My child's day",
        ChildPrevDay => "Previous day",
        ChildNextDay => "Next day",
        ChildNothingThatDay => "No entries or meals on this day.",
        ChildMonth => "The month at a glance",
        ChildPresent => "Present",
        ChildLate => "Late",
        ChildAbsent => "Absent",
        ChildMealFree => "Free",
        ChildMealReduced => "Reduced price",
        ChildAllergensServed => "Served despite the block: {list}",
        AllergenIntro => {
            "Tick the allergens your child must not be given. The canteen's till refuses a dish that contains one."
        }
        AllergenReview => "Review the changes",
        AllergenConfirmTitle => "Before saving: what changes at the till",
        AllergenWillRefuse => "The till will refuse dishes with: {list}.",
        AllergenNoLongerBlocked => "No longer blocked: {list}.",
        AllergenNothingBlocked => "The till will block no dish for allergens.",
        AllergenNoChange => "Nothing changes.",
        AllergenConfirm => "Confirm and save",
        AllergenSaved => "Saved: the till follows the new list.",
        AllergenOverridesTitle => "Blocks lifted by the school",
        AllergenNoOverrides => "The school has not lifted any block.",
        AllergenUntil => "until {date}",
        AllergenUntilFurther => "until further notice",
        ParentMenuTitle => "Menu of the day",
        ParentNoMenu => "The school has not published a menu for this day.",
        ParentMealsServed => "Meals served to my child",
        ParentRate => "Rate",
        ParentScore => "Score (1–5)",
        ParentComment => "Comment (optional)",
        ParentRated => "Your rating: {n} of 5",
        ParentRatedByChild => "Your child's rating: {n} of 5",
        ParentRatedByOtherParent => "A parent's rating: {n} of 5",
        NavSchoolAccount => "Balance and notices",
        ParentBalance => "Meal balance",
        ParentTopUp => "Top-up",
        ParentMealDebit => "Meal",
        ParentNoMovements => "No movements yet.",
        ParentNoticesTitle => "Notifications",
        ParentNoticesHint => "The eGov push notice always comes; SMS can be chosen as well.",
        ParentNoticeReceive => "Receive",
        ParentNoticeSms => "Also by SMS",
        ParentNoticesSaved => "Notification settings saved.",
        ParentIdTitle => "Identification without a card",
        ParentIdHint => {
            "With your consent the school may give your child a QR code or a PIN to pass the turnstile and be served at the canteen without a card. Withdrawing your consent stops that code at once, at every school."
        }
        ParentIdQr => "QR code",
        ParentIdPin => "PIN",
        ParentIdGiven => "Consent given on {date}",
        ParentIdNotGiven => "No consent",
        ParentIdGive => "Give consent",
        ParentIdWithdraw => "Withdraw consent",
        ParentDateCol => "Date",
        ParentBalanceAfter => "Balance after",
        // provider portal
        ProviderNavSheet => "Attendance sheet",
        ProviderNavSections => "Sections",
        ProviderNavPayouts => "Payouts",
        SheetTitle => "Monthly attendance sheet",
        SheetSection => "Section",
        SheetMonth => "Month",
        SheetChild => "Child",
        SheetHeld => "Sessions held",
        SheetAttended => "Sessions attended",
        SheetState => "Parent's answer",
        SheetHeldForAll => "Sessions held, for every child",
        SheetApplyHeld => "Apply to all",
        SheetAllAttended => "All attended every session",
        SheetSubmit => "Submit the month",
        SheetSubmitting => "Sending…",
        SheetSubmitted => "The month is submitted: each parent is asked to confirm it.",
        SheetNoChildren => "No child uses a voucher at this section in this month.",
        SheetHint => {
            "Tab or Enter moves to the next field. A month the parent has answered is final."
        }
        SheetNotRecorded => "Not recorded yet",
        SheetRecorded => "Recorded, waiting for the parent",
        SheetConfirmed => "Confirmed by the parent",
        SheetAutoConfirmed => "Confirmed automatically (no answer in time)",
        SheetDisputed => "Disputed by the parent",
        SheetUpheld => "Dispute resolved: paid",
        SheetRejected => "Dispute resolved: not paid",
        SheetParentReason => "Parent's reason: {reason}",
        SheetResolution => "Akimat's resolution: {reason}",
        SheetPaid => "Paid: {amount}",
        SheetInvalidRow => "Sessions attended are 0 to the sessions held (at most 62).",
        SheetNothingToSend => {
            "Every month on this sheet is already answered: there is nothing to send."
        }
        SheetErrAlreadyAnswered => {
            "A parent has already answered this month: its figures are final. Reload the sheet."
        }
        SheetErrNotEnrolled => {
            "A child's voucher is not used at this section in this month. Reload the sheet."
        }
        SheetErrMonth => "Attendance is recorded only for a month that has begun.",
        SheetErrNotYours => "This section is not one of your organisation's.",
        ProviderErrNotApproved => {
            "The akimat of this region has not approved your organisation yet."
        }
        ProviderNoSections => {
            "Your organisation has no sections yet: list one on the Sections page."
        }
        ProviderStatusPending => "Your organisation is waiting for the akimat's approval.",
        ProviderStatusRejected => "The akimat refused your organisation: {reason}",
        ProviderNotRegistered => "Your organisation is not registered with an akimat for vouchers.",
        ProviderDirection => "Direction",
        ProviderPrice => "Price a month",
        ProviderCapacity => "Places",
        ProviderPlacesLeft => "{left} of {capacity} free",
        ProviderSchedule => "Schedule",
        ProviderAddress => "Address",
        ProviderAges => "Ages",
        ProviderAgesRange => "{min}–{max} years",
        ProviderEnrolledNow => "Children this month",
        ProviderNobodyEnrolled => "No child this month.",
        ProviderDirSport => "Sport",
        ProviderDirArts => "Arts",
        ProviderDirTechnical => "Technical creativity",
        ProviderDirScience => "Science",
        ProviderDirTourism => "Tourism and local history",
        ProviderDirSocial => "Social and humanities",
        ProviderDay1 => "Mon",
        ProviderDay2 => "Tue",
        ProviderDay3 => "Wed",
        ProviderDay4 => "Thu",
        ProviderDay5 => "Fri",
        ProviderDay6 => "Sat",
        ProviderDay7 => "Sun",
        ProviderNewSection => "List a new section",
        ProviderSectionName => "Name",
        ProviderAgeMin => "Youngest age",
        ProviderAgeMax => "Oldest age",
        ProviderLocality => "Locality KATO code (optional)",
        ProviderSessions => "Weekly sessions",
        ProviderDay => "Day",
        ProviderStart => "Starts",
        ProviderEnd => "Ends",
        ProviderAddSession => "Add a session",
        ProviderRemoveSession => "Remove",
        ProviderCreateSection => "List the section",
        ProviderSectionCreated => "The section is listed: parents can choose it now.",
        ProviderEditSection => "Change the section",
        ProviderSaveSection => "Save the changes",
        ProviderSectionSaved => "Saved: parents see the section as changed.",
        ProviderEditHint => {
            "The direction stays as listed (a different one is a new section); the places cannot fall below the children enrolled."
        }
        ProviderPayoutsTitle => "Payouts for vouchers",
        ProviderPaidChildren => "Children paid",
        ProviderAmount => "Amount",
        ProviderCampaign => "Campaign",
        ProviderNoPayouts => {
            "No payouts yet: the akimat computes a month's payouts after the month ends."
        }
        ProviderNotPaid => "Children not paid in full",
        ProviderWhy => "Why",
        ProviderWhyWaiting => "Waiting for the parent's answer",
        ProviderWhyDisputed => "Disputed by the parent, waiting for the akimat: {reason}",
        ProviderWhyRejected => "Rejected on resolution: {reason}",
        ProviderWhyNoSessions => "No session held",
        ProviderWhyBelow => {
            "Below the attendance threshold: paid in proportion ({attended} of {held} sessions)"
        }
        ProviderWhyNotComputed => "Not paid yet: the month's payouts are not computed",
        ProviderAllPaid => "Every child's month was paid in full.",
        ProviderConversation => "Conversation about this month",
        ProviderNoMessages => "No messages yet.",
        ProviderMessage => "Your message",
        ProviderSend => "Send",
        ProviderSideParent => "Parent",
        ProviderSideProvider => "Provider",
        ProviderSideAkimat => "Akimat",
        ConversationApplication => "Conversation about this application",
        ConversationNew => "{count} new",
        AkimatAnomalies => "Anomalies",
        AkimatAnomaliesHint => {
            "Months confirmed by the parent or by no answer, but held back when the payouts were computed because something was unusual. Each waits for your decision."
        }
        AkimatNoAnomalies => "No anomalies this month.",
        AkimatAnomalyFound => "Found",
        ProviderWhyFlagged => "Held back as unusual, waiting for the akimat: {reason}",
        AkimatDashHint => {
            "A campaign's children served (a month of attendance recorded at a section) and its months, as the records stand now."
        }
        AkimatDashServed => "Children served: {count}",
        AkimatDashNone => "No child has used a voucher of this campaign at a section yet.",
        AkimatDashNoDistrict => "District not given",
        AkimatDashByDirection => "Children served by direction",
        AkimatDashByDistrict => "Children served by district",
        AkimatDashByCategory => "Children served by priority category",
        AkimatDashMoney => "Paid to providers by month",
        AkimatDashMonths => "Months of attendance",
        AkimatDashConfirmed => "Confirmed",
        AkimatDashPaid => "Paid",
        AkimatOpenDocument => "Document",
        VchErrCategoryDecided => {
            "The akimat has already decided this category: its documents can no longer change."
        }
        VchAttachDocument => "Attach a document",
        VchAttachHint => "A photo or a PDF of the certificate, up to 5 MB.",
        ProviderErrName => "A section needs a name of up to 200 characters.",
        ProviderErrAges => "Ages are 3 to 18 years, the youngest first.",
        ProviderErrSchedule => {
            "A section meets at least once a week; each session starts (HH:MM) before it ends."
        }
        ProviderErrCapacity => "A section takes 1 to 500 children.",
        ProviderErrPrice => "The price is a whole number of tenge, zero or more.",
        ProviderErrAddress => "A section has an address.",
        ProviderErrLocality => "A KATO code has 9 digits.",
        // akimat portal
        AkimatCampaignsTitle => "Voucher campaigns",
        AkimatCampaign => "Campaign",
        AkimatPeriod => "Period",
        AkimatWindow => "Application window",
        AkimatBudget => "Budget",
        AkimatAvailable => "Available",
        AkimatCommitted => "Committed",
        AkimatPaid => "Paid",
        AkimatFreed => "Freed",
        AkimatOpen => "Open for applications",
        AkimatAllocated => "Allocated",
        AkimatNoCampaigns => "Your region has no campaign yet. Open one with the form below.",
        AkimatNewCampaign => "Open a new campaign",
        AkimatCampaignName => "Name",
        AkimatBudgetTenge => "Budget, tenge",
        AkimatFirstMonth => "First month",
        AkimatLastMonth => "Last month",
        AkimatOpensOn => "Applications open on",
        AkimatClosesOn => "Applications close on",
        AkimatPriorityTable => "Priority table version",
        AkimatDirectionValues => "Directions and monthly values",
        AkimatDirectionHint => {
            "Give the voucher's monthly value in tenge; a direction left empty is not offered."
        }
        AkimatCreateCampaign => "Open the campaign",
        AkimatCampaignCreated => "The campaign is open.",
        AkimatOpenCampaignPage => "Go to its page",
        AkimatOverview => "Overview",
        AkimatMoneyChart => "The campaign's money, tenge (chart)",
        AkimatByStatus => "Applications by status",
        AkimatApplications => "Applications",
        AkimatAppHeld => "Held for the guardianship document",
        AkimatAppSubmitted => "Waiting for the allocation",
        AkimatAppQueued => "In the queue",
        AkimatAppIssued => "Voucher issued",
        AkimatAppRefused => "Refused",
        AkimatAllStatuses => "All statuses",
        AkimatAllocationTitle => "Allocation",
        AkimatSeedCommitment => "Lottery seed commitment (published when the campaign opened)",
        AkimatSeed => "Lottery seed",
        AkimatSeedHidden => "Revealed by the allocation",
        AkimatCutoff => "Score of the last voucher issued",
        AkimatRunHint => {
            "The allocation runs after the window closed, once every category is decided."
        }
        AkimatRunAllocation => "Run the allocation",
        AkimatNoRuns => "No allocation has run yet.",
        AkimatRunAt => "Run at",
        AkimatIssued => "Vouchers issued",
        AkimatFile => "Verification file",
        AkimatDownloadFile => "Download the public verification file",
        AkimatDeskTitle => "Verification desk",
        AkimatDeskHint => {
            "Confirm each declared category on its evidence, or reject it with the reason."
        }
        AkimatNoApplications => "This campaign has no application yet.",
        AkimatGuardianship => "Guardianship document",
        AkimatDeclared => "Declared categories",
        AkimatNoCategories => "No category declared.",
        AkimatEvidence => "Evidence",
        AkimatCatDeclared => "Not decided",
        AkimatCatConfirmed => "Confirmed",
        AkimatCatRejected => "Rejected",
        AkimatConfirm => "Confirm",
        AkimatReject => "Reject",
        AkimatErrReason => "Write the reason.",
        AkimatCatDisability => "Child with special needs",
        AkimatCatOrphan => "Orphan",
        AkimatCatNoParentalCare => "Child without parental care",
        AkimatCatDisabledFamilyMember => "Family with a disabled member",
        AkimatCatAsp => "Family on targeted social assistance",
        AkimatCatLargeFamily => "Large family",
        AkimatCatSingleParent => "Single-parent family",
        AkimatCatLowIncome => "Low-income family",
        AkimatCatMilitaryFamily => "Military family",
        AkimatCatTeacherFamily => "Teacher's family",
        AkimatCatRuralRelocated => "Family relocated from a village",
        AkimatCatRepressedFamily => "Family of victims of political repression",
        AkimatRankingTitle => "Ranking",
        AkimatRankingHint => {
            "The score is the sum of the confirmed categories' weights; ties go by age, and last by the published lottery."
        }
        AkimatNotRanked => "The allocation has not run yet: the ranking shows after it.",
        AkimatRank => "Place",
        AkimatScore => "Score",
        AkimatWhy => "Why",
        AkimatNoPriority => "No priority category",
        AkimatAgeMonths => "age {years} y {months} m",
        AkimatPending => "Waiting for a decision",
        AkimatFill => "Fill",
        AkimatFillOf => "{taken} of {capacity} places",
        AkimatPayoutsTitle => "Budgets and payouts",
        AkimatProvider => "Provider",
        AkimatByProvider => "Months by provider",
        AkimatNoAttendance => "No attendance is recorded for this month yet.",
        AkimatDisputes => "Disputed months",
        AkimatNoDisputes => "No dispute is waiting.",
        AkimatParentSays => "The parent's reason",
        AkimatUphold => "Pay (for the provider)",
        AkimatRejectMonth => "Do not pay (for the parent)",
        AkimatComputePayouts => "Compute the month's payouts",
        AkimatRegisterCsv => "Payment register (CSV)",
        AkimatRegisterXlsx => "Payment register (XLSX)",
        AkimatErrAllocated => "The campaign is allocated: its applications are final.",
        AkimatErrWindowOpen => {
            "Applications are still accepted: the allocation runs after the window closes."
        }
        AkimatErrPending => "Decide every category and guardianship document first.",
        AkimatErrNotHeld => "This application is not held for guardianship.",
        AkimatErrNotDisputed => "This month is not disputed, or already resolved.",
        AkimatErrMonthNotOver => "A month is paid after it ends.",
        AkimatErrAlreadyPaid => "This month's payouts are already computed.",
        AkimatErrAttendancePending => "Resolve this month's disputes first.",
        AkimatErrName => "A campaign needs a name of up to 200 characters.",
        AkimatErrMonths => "Give the period's first and last month, the earlier first.",
        AkimatErrWindow => "Give the window's start and end, the start first.",
        AkimatErrBudget => "The budget is a positive whole number of tenge.",
        AkimatErrDirections => {
            "Give a monthly value (a positive number) for at least one direction."
        }
        AkimatErrTable => "Choose a priority table version.",
        AkimatErrRules => "The campaign's rule values are out of range.",
        AkimatPriorityTitle => "Priority tables",
        AkimatNoTables => "Your region has no priority table yet.",
        AkimatCategory => "Category",
        AkimatWeight => "Weight",
        AkimatTies => "Ties",
        AkimatTieYounger => "younger first",
        AkimatTieOlder => "older first",
        AkimatTieLottery => "lottery",
        AkimatNewTable => "Record a new version",
        AkimatNewTableHint => {
            "Versions are never edited: a new one starts from the latest one's weights and applies to new campaigns."
        }
        AkimatNote => "What changed and why",
        AkimatErrWeight => "A weight is a whole number from 0 to 1000.",
        AkimatErrNote => "Say what changed.",
        AkimatTableSaved => "The new version is recorded:",
        AkimatSaveTable => "Record the version",
        AkimatComputed => "Computed: {auto} months without an answer were confirmed automatically.",
        // parent's voucher pages
        VchApply => "Apply for a voucher",
        VchApplication => "Voucher application",
        VchWaitingTitle => "Months waiting for your answer",
        VchApplicationsTitle => "Your applications",
        VchOpen => "Details",
        VchNothingToAnswer => "No month waits for your answer.",
        VchStatusHeld => "Guardianship being checked",
        VchStatusSubmitted => "Waiting for the allocation",
        VchStatusQueued => "In the queue",
        VchStatusIssued => "Voucher issued",
        VchStatusRefused => "Refused",
        VchVoucherDeclined => "Voucher declined",
        VchVoucherLapsed => "Voucher lapsed unused",
        VchVoucherEnded => "Voucher ended by the akimat",
        VchPlaceScore => "Place {rank} · score {score}",
        VchValueMonths => "{value} a month, {from}–{to}",
        VchHeldText => {
            "The registry does not show you as the child's parent: the akimat is checking the document you gave."
        }
        VchSubmittedText => {
            "Applications close on {date}. Then the queue is ranked by the rules below and vouchers are issued down it while the budget lasts."
        }
        VchQueuedText => {
            "Place {rank} in the queue: {ahead} children are ahead. A voucher is issued to the next child when money is freed."
        }
        VchRanked => "Place {rank} in the ranking; {ahead} children ahead.",
        VchCutoff => "The last voucher went to a score of {cutoff}; your child's score is {score}.",
        VchAkimatReason => "The akimat's reason: {reason}",
        VchWhyTitle => "Why this place",
        VchScoreText => {
            "Score {score}: the sum of the weights of the categories the akimat confirmed."
        }
        VchScoreLater => {
            "The score is counted when the queue is ranked: the sum of the weights of the categories the akimat confirms."
        }
        VchNoCategories => "No priority category declared: the score is 0.",
        VchWeight => "weight {weight}",
        VchCatDeclared => "awaits the akimat's check",
        VchCatConfirmed => "confirmed",
        VchCatRejected => "not confirmed",
        VchEvidence => "Evidence: {evidence}",
        VchTies => "Equal scores: {rules}. The time of applying never counts.",
        VchTieYounger => "younger first",
        VchTieOlder => "older first",
        VchTieLottery => "then the lottery from the published seed",
        VchReceiptTitle => "Receipt",
        VchReceiptText => {
            "Your child's code in the published allocation file (the file holds no IIN): find your row by it."
        }
        VchSalt => "Salt: {salt} (the code is SHA-256 of salt:IIN)",
        VchFile => "Allocation file of {date}",
        VchNoFileYet => "The file is published when the queue is ranked.",
        VchSubmittedNotice => "Application submitted. Keep the receipt code below.",
        VchVoucherTitle => "Voucher",
        VchIssuedText => "{value} a month, from {from} to {to}.",
        VchEndedText => "Ended on {date}: {reason}",
        VchSectionNow => "Used at: {name}",
        VchSectionFrom => "from {month}",
        VchNoSection => "The voucher is not used at a section yet.",
        VchChoose => "Choose a section",
        VchMove => "Move to another section (from next month)",
        VchOffersTitle => "Sections for this voucher",
        VchOffersHint => {
            "Only sections of the voucher's direction, for the child's age, in the campaign's region and with free places."
        }
        VchDistrict => "District",
        VchAllDistricts => "All districts",
        VchNoOffers => "No section with free places suits this voucher now.",
        VchVoucherPart => "From the voucher: {amount}",
        VchOwnPayment => "you pay: {amount}",
        VchNoOwnPayment => "nothing to pay on top",
        VchEnrol => "Enrol here",
        VchCurrent => "Current section",
        VchEnrolled => "Done: the voucher is used at the section.",
        VchMonthsTitle => "Months and their cost",
        VchNoMonths => "No month yet.",
        VchSessions => "{attended} of {held} sessions attended",
        VchMonthWaiting => "Waiting for your answer",
        VchAnswerBy => "Answer by {date}",
        VchAutoConfirmed => "Not answered within {days} days: the month counts as confirmed.",
        VchConfirm => "Confirm",
        VchDispute => "Dispute",
        VchWhyDispute => "What is wrong?",
        VchReasonFewer => "The child attended fewer sessions",
        VchReasonNone => "The child did not go this month",
        VchReasonNotHeld => "Fewer sessions were held",
        VchOtherReason => "Another reason",
        VchConfirmed => "Month confirmed: the section is paid for it.",
        VchDisputed => {
            "Month disputed: the akimat decides; the section is not paid for it until then."
        }
        VchCampaign => "Campaign",
        VchAges => "For children of {min}–{max} years; applications until {date}.",
        VchPerMonth => "{amount} a month",
        VchCategories => "Priority categories that apply",
        VchCategoriesHint => {
            "Tick each that applies and give the certificate's number or the document's reference: the akimat checks it."
        }
        VchEvidenceLabel => "Certificate or document",
        VchSubmit => "Submit the application",
        VchNoCampaign => "No campaign takes applications now.",
        VchCatDisability => "Child with special needs or a disability",
        VchCatOrphan => "Orphan",
        VchCatNoParentalCare => "Child without parental care",
        VchCatDisabledFamilyMember => "Family with a disabled member",
        VchCatAsp => "Family on targeted social assistance (ASP)",
        VchCatLargeFamily => "Large family",
        VchCatSingleParent => "Single-parent family",
        VchCatLowIncome => "Low-income family",
        VchCatMilitaryFamily => "Military family",
        VchCatTeacherFamily => "Teacher's family",
        VchCatRuralRelocated => "Family relocated from a rural area",
        VchCatRepressedFamily => "Family of victims of political repression",
        VchErrWindowClosed => "Applications to this campaign are closed.",
        VchErrWindowNotOpen => "Applications to this campaign have not opened yet.",
        VchErrDirection => "This campaign does not offer vouchers in that direction.",
        VchErrUnknownCategory => "The campaign's priority table has no such category.",
        VchErrEvidence => {
            "Give the certificate's number or the document's reference for each category ticked."
        }
        VchErrNotGuardian => "The registry does not show you as this child's parent.",
        VchErrAge => "The child's age is outside the campaign's (or the section's) age range.",
        VchErrAlreadyApplied => "This child already has an application in this campaign.",
        VchErrVoucherEnded => "This voucher is no longer in use.",
        VchErrOtherDirection => "The section teaches another direction than the voucher pays for.",
        VchErrOtherRegion => "The section is in another region.",
        VchErrSectionClosed => "The section no longer takes children.",
        VchErrAlreadyEnrolled => "The voucher is already used at this section.",
        VchErrVoucherOver => "The voucher has no month left to use.",
        VchErrSectionFull => "The section has no place left.",
        AkimatPreviewTable => "Preview the change",
        AkimatPreviewHint => {
            "Before saving: each application of the campaigns not yet allocated whose score or place by score the new weights change. Equal scores share a place; the tie rules and the lottery order them at the allocation."
        }
        AkimatPreviewCampaign => "{campaign}: {applications} applications, {changed} would change",
        AkimatPreviewNone => "The new weights change no application's score or place.",
        AkimatScoreNowThen => "Score: now → then",
        AkimatPlaceNowThen => "Place: now → then",
        AkimatEditCampaign => "Change the campaign",
        AkimatEditCampaignHint => {
            "Until the application window opens, the campaign's terms can change; its region and its lottery seed stay. After that they are what parents applied under."
        }
        AkimatCampaignSaved => "The campaign is changed.",
        VchErrCampaignStarted => {
            "The application window has opened: the campaign's terms are fixed."
        }
        VchErrAnswerWindowOver => "The time to answer is over: the month counts as confirmed.",
        FilterIinInvalid => {
            "Not a valid IIN (12 digits with a check digit): the list is not filtered by it."
        }
        FilterYearInvalid => "Enter a year from 1990 to 2100: the list is not filtered by it.",
        WrongLoginOrPassword => "The login or password is wrong.",
        CodeLabel => "Code from the authenticator app",
        ErrSecondFactorRequired => {
            "Your account has a second factor: enter the six digits the app shows now."
        }
        ErrSecondFactorIncorrect => {
            "The code is wrong or already used: enter the one the app shows now."
        }
        ErrSecondFactorAlreadyOn => {
            "The second factor is on already. To set up a new one, ask an administrator to reset it."
        }
        ErrSecondFactorNotStarted => "Start the setup first.",
        ErrSecondFactorSetupRequired => {
            "Your role requires a second factor: set it up on the sign-in security page first."
        }
        SecurityTitle => "Sign-in security",
        SecondFactorOff => "The second factor is off: your password alone signs you in.",
        SecondFactorOn => {
            "The second factor is on: each sign-in asks for the code from your authenticator app."
        }
        SecondFactorStart => "Set up a second factor",
        SecondFactorKey => "Add this key to an authenticator app, or open the link on your phone:",
        SecondFactorOpenApp => "Open in the authenticator app",
        SecondFactorConfirm => "Turn on",
        SecondFactorDone => {
            "The second factor is on. Keep the app: without it, only an administrator can let you in."
        }
        SecondFactorRequired => {
            "Your role requires a second factor. Set it up to continue: until then your portal stays closed."
        }
        SecondFactorContinue => "Continue to your portal",
        // Language: import rejections and refusals in the page's language, the default language
        ImpRUnreadableFile => "The file could not be read. Upload it again.",
        ImpRUnreadableHeader => "The first line of the file (the column names) could not be read.",
        ImpRMissingColumns => "The file lacks required columns: {columns}.",
        ImpRNotCsvLine => "The line is not a valid CSV line.",
        ImpRInvalidIin => "The IIN must be 12 digits with a valid check digit.",
        ImpRInvalidBin => "The BIN (or IIN) must be 12 digits with a valid check digit.",
        ImpRInvalidKato => "The KATO code must be 9 digits.",
        ImpRInvalidName => "The name is empty or too long.",
        ImpRInvalidPhone => "The phone number is not valid (expected +7 and 10 digits).",
        ImpRInvalidEmail => "The e-mail address is not valid.",
        ImpRInvalidPeriod => "The month must be written as year-month (2025-03).",
        ImpRInvalidDate => "The date must be written as year-month-day (2025-03-31).",
        ImpRInvalidNumber => "A whole number is expected.",
        ImpRInvalidAmount => "An amount in tenge is expected.",
        ImpRNegativeAmount => "The amount must not be negative.",
        ImpRInvalidChoice => "The value is not one of the allowed values.",
        ImpRInvalidBoolean => "The value must be true or false.",
        ImpRInvalidCode => "The code is empty or too long.",
        ImpRMonthsOutOfRange => "The number of months must be between 1 and 240.",
        ImpRStudyOrder => "Study must start before graduation.",
        ImpRGrantExceedsProgramme => "The grant months exceed the months of the programme.",
        ImpRLevelNotAdmitted => "This kind of grant is not given at this level of study.",
        ImpRInvalidPaymentCode => {
            "The payment code must be 010 (pension contribution) or 012 (social contribution)."
        }
        ImpRUnknownRegion => "No region with this KATO code is registered.",
        ImpRUnknownLocality => "No locality with this KATO code is registered.",
        ImpRUnknownUniversity => "No university with this BIN is registered.",
        ImpRUnknownEmployer => "No employer with this BIN is registered.",
        ImpROther => "The line was refused.",
        ImportFailed => "The file could not be imported.",
        KeepLangPrompt => "Make {language} your default language?",
        KeepLangYes => "Yes",
        KeepLangNotNow => "Not now",
        // office
        LedgerTapMonth => "Tap a month to see its employer and the reason.",
        LedgerEmployer => "Employer",
        LedgerNoEmployer => "none in the pension feed",
        LedgerByDocument => "by document",
        RulesFormHint => {
            "Change what you need, press “Preview” to see how many graduates would change status, then save with a note."
        }
        RuleTerms => "Terms",
        RuleBaseMonths => "Months to work for a full grant",
        RuleSerpinMonths => "Months to work for Serpin",
        RuleGraceMonths => "Months without work before a gap",
        RuleBreachMonths => "Months without work before a breach",
        RuleEmployerKinds => "Kinds of employer where work counts",
        RuleAnyKind => "Any kind of employer",
        RuleRuralOnly => "Only in a rural locality",
        RuleRegions => "Regions where work counts",
        RuleAnyRegion => "Any region",
        ApplicantAsks => "Asks for",
        ClaimBlockedNoNotice => {
            "No notice has reached the graduate yet (SMS or eGov push): send a breach notice first."
        }
        ClaimBlockedNotInBreach => "Only an obligation in breach leads to a claim.",
        OpenFiguresLink => "Open figures",
        OpenTitle => "Open figures",
        OpenIntro => {
            "Figures about graduates, vouchers and school meals, published for everyone without signing in. A count of fewer than 10 persons is hidden (—), and so is any other figure that would let it be worked out from the totals."
        }
        OpenComputedAt => "Computed",
        OpenTotal => "Total",
        OpenHidden => "hidden",
        OpenDownloadCsv => "Download CSV",
        OpenUnknown => "Not known",
        OpenNothingYet => "Nobody is counted here yet.",
        OpenCellLegend => "Each cell: persons; below, the amount.",
        OpenMeals => "meals",
        OpenKindRegion => "Region",
        OpenKindYear => "Year of graduation",
        OpenKindFunding => "Grant",
        OpenKindDirection => "Direction",
        OpenKindCategory => "Category",
        OpenKindMonth => "Month",
        OpenGraduatesByRegion => "Graduates under monitoring: by home region and status",
        OpenGraduatesByYear => "Graduates under monitoring: by year of graduation and status",
        OpenGraduatesByFunding => "Graduates under monitoring: by grant and status",
        OpenVouchersByDirection => {
            "Children with a voucher: by region and direction, with the money committed"
        }
        OpenVouchersByCategory => {
            "Children with a voucher: by vulnerability category and direction"
        }
        OpenVouchersPaid => "Voucher attendance paid for: by region and month",
        OpenMealsCost => "Free school meals: pupils and cost by region and month",
        OpenMealsServed => "Free school meals: pupils and meals served by region and month",
        OpenMethodGraduates => {
            "Graduates who studied on a state grant and must work it off, each counted once, by the status of their obligation as last evaluated from the monthly pension contribution records."
        }
        OpenMethodVouchers => {
            "Children holding a voucher that is in use or was ended after use (declined and lapsed vouchers are left out), counted once per direction, by the region of the campaign; the amount is the money committed to those vouchers. A child in two directions counts in each."
        }
        OpenMethodCategories => {
            "Children holding a voucher, by the vulnerability category the akimat confirmed for their application. A child in two categories counts in each."
        }
        OpenMethodPaid => {
            "Vouchers paid for in a month, by the region of the campaign: a provider is paid for a child's month only when the parent confirmed the attendance. The amount is the money paid."
        }
        OpenMethodMeals => {
            "Pupils who ate at least one free meal in the month at a school of the region, each counted once a month; the amount is the cost of the free meals (or how many were served) as the canteen recorded them."
        }
        OpenAuditTitle => "The audit trail's daily seals",
        OpenAuditIntro => {
            "Every decision and every reading of personal data is recorded in a chain in which each record holds the hash of the one before. The last link of each day is published here and sent to an outside witness: anyone who kept a day's hash can later prove that no record up to that day was changed, removed or reordered."
        }
        OpenAuditDay => "Day",
        OpenAuditEvents => "Records sealed",
        OpenAuditHash => "Hash of the day's last link",
        OpenAuditWitnessed => "Witness",
        OpenAuditWitnessedYes => "received",
        OpenAuditWitnessedNo => "not yet",
        OpenAuditNone => {
            "No day has ended since the trail began: the first seal is published after midnight (Kazakhstan's time)."
        }
        VchDecline => "Decline the voucher",
        VchDeclineWhat => {
            "Declining gives the voucher's remaining months to the next child in the queue, at once. It cannot be undone."
        }
        VchDeclineReason => "Why (optional)",
        VchDeclineConfirm => "Yes, decline",
        VchDeclined => {
            "The voucher is declined; its remaining months went to the next child in the queue."
        }
        ErrAccountExpired => "This client's access has expired: the operator can extend it.",
        NavDecisions => "Decisions about me",
        DecHint => {
            "Every decision about you and your children, with the rule it applied and its reason. If you think one is wrong, contest it: the body that decided must answer within 20 working days."
        }
        DecNoneTitle => "No decisions yet",
        DecNoneText => {
            "Decisions about you and your children will appear here, each with its reason."
        }
        DecKindObligation => "Work-off obligation status",
        DecKindExemption => "Commission's decision on an application",
        DecKindClaim => "Reimbursement claim",
        DecKindVoucher => "Voucher queue",
        DecKindCategory => "Vulnerability category",
        DecKindMealGround => "Ground for free meals",
        DecKindAllergen => "Allergen block lifted",
        DecEnded => "Ended by the commission",
        DecAllergenAllowed => "{allergen} allowed at the canteen",
        DecDecidedBy => "Decided by",
        DecByRules => "The rules, automatically",
        DecRule => "Rule",
        DecRulesVersion => "Rules, version {version}",
        DecPriorityTable => "Priority table, version {version}: {campaign}",
        DecReason => "Reason",
        DecFigures => "Figures",
        DecScore => "Score {score}, place {rank}; the last voucher went to score {cutoff}",
        DecMonths => "{credited} of {required} months credited",
        DecFrom => "from {date}",
        DecUntil => "until {date}",
        DecVotes => "Commission members' votes",
        DecVoteFor => "for",
        DecVoteAgainst => "against",
        DecBodyOperator => "the operator (Financial Center)",
        DecBodyCommission => "the operator's commission",
        DecBodyAkimat => "the akimat",
        DecBodySchool => "the school",
        DecContest => "Contest this decision",
        DecContestLabel => "What is wrong with this decision? Your text goes to {body}.",
        DecContestSend => "Send the contest",
        DecContested => "Contested on {date}. {body} must answer by {due}.",
        DecOverdue => "The answer is overdue: the supervising body sees it.",
        DecUpheld => "Answer: the decision stands",
        DecOverturned => "Answer: the decision is changed",
        ErrAlreadyContested => {
            "This decision has been contested already: its answer will show beside it."
        }
        ErrAlreadyAnswered => "This contest has its answer already.",
        DecInForce => "In force",
        NavContests => "Contests",
        DeskHint => {
            "Contests of your decisions, and of those you supervise, the earliest deadline first. Answer each within its term, with your reasons: the person reads the answer beside the decision."
        }
        DeskOpen => "Waiting",
        DeskOverdue => "Overdue",
        DeskAnswered => "Answered",
        DeskNoneTitle => "No contests here",
        DeskNoneText => "Contests of decisions appear here when a person opens one.",
        DeskDue => "Opened {opened}; answer by {due}.",
        DeskOverdueBadge => "overdue",
        DeskSupervised => "You supervise this case: {body} answers it.",
        DeskOutcome => "Your answer",
        DeskUphold => "The decision stands",
        DeskOverturn => "The decision is changed",
        DeskAnswerLabel => "Reasons (the person reads them)",
        DeskSend => "Send the answer",
        NavClients => "Integration clients",
        ClientsHint => {
            "State information systems that read Adal through its API: what each may call and read, its use over the last 30 days and the operations it registered. Personal fields it was not granted reach it masked."
        }
        ClientsNoneTitle => "No integration clients",
        ClientsNoneText => "A state system appears here once an administrator creates its client.",
        ClientIdLabel => "Client ID",
        ClientOperations => "Granted operations",
        ClientFields => "Personal fields",
        ClientGranted => "granted",
        ClientMasked => "masked",
        ClientBudget => "Cost budget per minute",
        ClientBudgetDefault => "the server's default",
        ClientExpires => "Access ends",
        ClientPersistedOnly => "Run only registered operations (it can register no more)",
        ClientUsage => "Use over the last 30 days",
        ClientCalls => "Calls",
        ClientCost => "Cost",
        ClientRefusals => "Refusals",
        ClientMaskedFields => "Masked fields",
        ClientNoUse => "No calls in the last 30 days.",
        ClientRegistered => "Registered operations",
        ClientNoOperations => "No operation registered yet.",
        ClientHash => "Hash (SHA-256)",
        FieldPhone => "Phone number",
        ErrPersistedQueryNotFound => {
            "No operation is registered under this hash: send its text with the hash once, or register it."
        }
        ErrPersistedQueryHashMismatch => {
            "The hash sent is not the SHA-256 of the operation's text."
        }
        ErrOperationNotRegistered => {
            "This client may run only its registered operations, and this one is not registered."
        }
        ErrRegistrationClosed => {
            "This client may run only its registered operations: it registers no new ones until the operator allows it."
        }
        DecDocumentsHint => {
            "Up to five PDF, PNG or JPEG files of up to 10 MB each that bear your statement out (optional)."
        }
        ClientRate => "Requests per minute",
        SsoNav => "Educational resources",
        SsoHint => {
            "Learning platforms, libraries and e-journals whose pupils, teachers and parents sign in with Adal. A resource receives only what is ticked here: never a name, IIN, phone or e-mail."
        }
        SsoNone => "No resources are registered yet.",
        SsoRedirectUris => "Redirect URIs",
        SsoScopes => "What it may ask for",
        SsoSchoolAndClass => "May receive the pupil's school and class",
        SsoPupilPin => "Pupils sign in with the school PIN",
        SsoYes => "Yes",
        SsoNo => "No",
        SsoRegisterTitle => "Register a resource",
        SsoUrisHint => {
            "One address per line, exactly as the resource sends it: https, or http for localhost only; no #fragment."
        }
        SsoScopeOpenid => "openid — sign-in, with an identifier for this resource only (always)",
        SsoScopeProfile => "profile — the role (pupil, teacher, parent) and the language",
        SsoScopeSchool => "school — the school, and the class if allowed below",
        SsoSchools => "Schools",
        SsoForYourSchool => "The resource is registered for your school.",
        SsoPickSchool => "Choose at least one school.",
        SsoRegister => "Register",
        SsoSecretTitle => "The client secret of {name}",
        SsoSecret => "Client secret",
        SsoSecretNote => {
            "Copy it now and pass it to the resource's operators over a safe channel: it will not be shown again. Adal keeps only its hash."
        }
        SsoDisable => "Disable",
        SsoEnable => "Enable",
        SsoDisableNote => {
            "A disabled resource can start no sign-in, and its access tokens are revoked at once."
        }
        SsoRotate => "New secret",
        SsoRotateConfirm => {
            "The current secret stops working at once: the resource must set the new one right away. Give it a new secret?"
        }
        SsoRotateYes => "Yes, give a new secret",
        SsoChildHint => {
            "The resources of the child's school that sign in with Adal. A child under 14 can use one only after you allow it. A resource never receives the child's name or IIN."
        }
        SsoChildNone => "The child's school has no resources with Adal sign-in yet.",
        SsoAllowed => "Allowed",
        SsoNotAllowed => "Not allowed",
        SsoAllow => "Allow",
        SsoWithdraw => "Withdraw permission",
        SsoWithdrawNote => {
            "The child will be signed out of this resource at once and cannot sign in to it again until you allow it."
        }
        SsoWithdrawYes => "Withdraw and sign out",
        SsoChildSignIns => "The child's sign-ins",
        SsoMySignIns => "Your own sign-ins to resources",
        SsoNoSignIns => "No sign-ins yet.",
        SsoResource => "Resource",
        SsoRolePupil => "Pupil",
        SsoRoleTeacher => "Teacher",
        SsoRoleParent => "Parent",
        SsoPupilLogin => "Pupils sign in with the login the school issued them",
        PupilLoginTitle => "Login for educational resources",
        PupilLoginNone => "The pupil has no login yet.",
        PupilLoginWithdrawn => "Withdrawn",
        PupilLoginIssue => "Issue login",
        PupilLoginRenew => "New password",
        PupilLoginWithdraw => "Withdraw",
        PupilLoginIssued => "The pupil's login and password",
        PupilLoginOnce => {
            "The password is shown only this once: write it down and give it to the pupil or a parent on paper."
        }
        PupilLoginReissued => "The previous password no longer works.",
        PupilLoginSignIn => {
            "This login is for educational resources, not for an Adal portal: open the resource (for example, your school's e-journal) and choose “Sign in with Adal” there."
        }
        PupilMealsTitle => "My meals",
        PupilMealsIntro => {
            "What you ate at school in the last two weeks. Did you like it? Give it a score!"
        }
        PupilMealsEmpty => {
            "Nothing here yet. When you eat in the school canteen, your meal will show up here."
        }
        PupilMealScore => "How tasty was it? (1–5)",
        PupilMealComment => "Anything to say? (you can skip this)",
        PupilMealRate => "Rate",
        PupilMealRated => "Rated {n} of 5",
        PupilMealRatedByParent => "Your parent rated it {n} of 5",
        CorrectTerms => "Correct the terms",
        GrantMonths => "Months studied on the grant",
        ProgrammeMonths => "Months of the programme",
        BudgetCostKzt => "Budget cost of the training, tenge",
        CorrectReason => "Reason for the correction (kept in the audit trail)",
        TermsCorrected => "The terms are corrected and the obligation is evaluated again.",
        CorrectErrCategory => "This category does not admit the graduate's level of study.",
        CorrectErrMonths => {
            "From 1 to 240 months; the months on the grant cannot exceed the programme's."
        }
        CorrectErrDate => "The graduation date must come after the start of study.",
        CorrectErrCost => "The budget cost is a whole number of tenge, not negative.",
        CorrectErrReason => "Write why the terms are corrected (at least 3 characters).",
        CorrectErrNothing => "Nothing to correct: these are the values already recorded.",
        MyDocuments => "My documents",
        NoMyDocuments => {
            "You have not sent any documents yet. When the operator asks for documents, a task on this page says which ones."
        }
        SsoChildDecides => {
            "From 14 your child decides on the sign-in page: no permission is needed."
        }
        RefHistory => "History",
        RefHistoryOf => "History: {name}",
        RefHistoryFrom => "In force from",
        RefHistoryFromStart => "From the start",
        RefChangeFromHint => {
            "A change of kind, locality or region holds from this day (empty: the first day of this month); the months before it keep the values then in force."
        }
        RefChangeTooEarly => {
            "This day is before the organisation's latest recorded change: see its history and choose that day or a later one."
        }
        RefActivityCode => "Activity code",
        RefHistoryRecorded => "Recorded",
        RefHistorySource => "Source",
        RefHistoryByImport => "by import #{n}",
        RefHistoryByOperator => "by an operator",
    }
}
