//! The qualification rules: reference data the operator can view and change, versioned. The
//! defaults are those of the domain brief; terms, grace and breach limits and rounding are
//! settings of the rule set, not constants in code.

use serde::{Deserialize, Serialize};

use super::period::Period;
use super::vocab::{FundingCategory, SpecialtyGroup};
use adal_core::vocab::OrganisationKind;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rounding {
    Up,
    Down,
    Nearest,
}

impl Rounding {
    /// `numerator / denominator`, rounded this way, exactly (integers only: no floating point
    /// touches a term or an amount of money). Both must be non-negative, the denominator above
    /// zero; `Nearest` rounds a half up.
    pub fn divide(self, numerator: i128, denominator: i128) -> i128 {
        if denominator <= 0 {
            return 0;
        }
        match self {
            Rounding::Down => numerator / denominator,
            Rounding::Up => (numerator + denominator - 1) / denominator,
            Rounding::Nearest => (2 * numerator + denominator) / (2 * denominator),
        }
    }
}

/// Where work counts for one category (and optionally some specialty groups).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct QualificationRule {
    pub category: FundingCategory,
    /// `None`: every specialty group.
    pub specialty_groups: Option<Vec<SpecialtyGroup>>,
    /// `None`: an employer of any kind.
    pub employer_kinds: Option<Vec<OrganisationKind>>,
    /// The employer's locality must be rural.
    pub rural_only: bool,
    /// `None`: any region; else KATO codes of the regions that count.
    pub regions: Option<Vec<String>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RuleSet {
    /// Months to work for a full grant (all categories but Serpin).
    pub base_months: i32,
    /// Months to work for Serpin.
    pub serpin_base_months: i32,
    /// Months without credited work before the status turns to gap.
    pub grace_months: i32,
    /// Months without credited work before the status turns to breach (the claim is due).
    pub breach_months: i32,
    /// Rounding of the proportional term.
    pub term_rounding: Rounding,
    /// Rounding of the reimbursement amount to whole tenge.
    pub money_rounding: Rounding,
    pub rules: Vec<QualificationRule>,
}

/// The Serpin receiving regions (configurable list in the rule set).
pub const SERPIN_REGIONS: &[&str] = &[
    "110000000",
    "150000000",
    "230000000",
    "270000000",
    "590000000",
    "630000000",
    "550000000",
    "390000000",
    "350000000",
];

impl Default for RuleSet {
    fn default() -> Self {
        use FundingCategory as C;
        use OrganisationKind as K;
        use SpecialtyGroup as G;
        let education = vec![
            K::School,
            K::Nis,
            K::College,
            K::HigherCollege,
            K::University,
            K::EducationProvider,
        ];
        let rule = |category, groups: Option<Vec<G>>, kinds: Option<Vec<K>>| QualificationRule {
            category,
            specialty_groups: groups,
            employer_kinds: kinds,
            rural_only: false,
            regions: None,
        };
        // Seed 001, PhD: state bodies, universities, scientific organisations and the
        // scientific units of other organisations, Nazarbayev Intellectual Schools,
        // post-secondary (higher) colleges, healthcare organisations. A college that is not a
        // higher college does not count.
        let academic = vec![
            K::StateBody,
            K::University,
            K::Research,
            K::ResearchUnit,
            K::Nis,
            K::HigherCollege,
            K::Healthcare,
        ];
        Self {
            base_months: 36,
            serpin_base_months: 24,
            grace_months: 3,
            breach_months: 12,
            term_rounding: Rounding::Up,
            money_rounding: Rounding::Nearest,
            rules: vec![
                QualificationRule {
                    rural_only: true,
                    ..rule(
                        C::RuralQuota,
                        None,
                        Some(vec![
                            K::School,
                            K::Nis,
                            K::College,
                            K::HigherCollege,
                            K::University,
                            K::EducationProvider,
                            K::Healthcare,
                            K::Veterinary,
                            K::Agrarian,
                        ]),
                    )
                },
                QualificationRule {
                    regions: Some(SERPIN_REGIONS.iter().map(|s| (*s).to_owned()).collect()),
                    ..rule(C::Serpin, None, None)
                },
                rule(C::StateOrder, Some(vec![G::Pedagogical]), Some(education)),
                rule(
                    C::StateOrder,
                    Some(vec![G::Medical]),
                    Some(vec![K::Healthcare]),
                ),
                rule(
                    C::StateOrder,
                    Some(vec![G::Veterinary]),
                    Some(vec![K::Veterinary]),
                ),
                rule(
                    C::StateOrder,
                    Some(vec![G::Agricultural]),
                    Some(vec![K::Agrarian]),
                ),
                rule(C::StateOrder, Some(vec![G::Technical, G::Other]), None),
                rule(C::Phd, None, Some(academic.clone())),
                rule(C::DoctorByProfile, None, Some(academic)),
            ],
        }
    }
}

/// What the ledger needs to know of an employer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmployerFacts {
    pub id: i64,
    pub kind: OrganisationKind,
    pub rural: bool,
    pub region: Option<String>,
    pub needs_classification: bool,
}

/// An employer's facts over time: each version holds from its month until the next version's.
/// A month is judged with the values in force on its first day, so a version whose date is not
/// a first of the month starts with the following month.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmployerTimeline {
    pub id: i64,
    /// In month order, each version with the first month it holds.
    pub versions: Vec<(Period, EmployerFacts)>,
}

impl EmployerTimeline {
    /// An employer whose facts never changed.
    pub fn constant(facts: EmployerFacts) -> Self {
        Self {
            id: facts.id,
            versions: vec![(Period::of_date(chrono::NaiveDate::MIN), facts)],
        }
    }

    /// The facts in force in month `p`: the latest version from `p` or before; before the
    /// first version, the first version (what was known of the employer when it was first
    /// recorded).
    pub fn at(&self, p: Period) -> Option<&EmployerFacts> {
        let after = self.versions.partition_point(|(from, _)| *from <= p);
        self.versions.get(after.saturating_sub(1)).map(|(_, f)| f)
    }

    /// The latest facts.
    pub fn latest(&self) -> Option<&EmployerFacts> {
        self.versions.last().map(|(_, f)| f)
    }
}

/// One version of the rules with the first month it applies to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleVersion {
    pub from: Period,
    pub version: i32,
    pub rules: RuleSet,
}

/// The versions of the rules over time: a month is judged by the latest version that applies
/// from it or before (the highest version number among those from the same month); a month
/// before every version, by the earliest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleBook {
    earliest: RuleVersion,
    /// The later versions, in (month, version) order.
    later: Vec<RuleVersion>,
}

impl RuleBook {
    /// One rule set for every month.
    pub fn single(version: i32, rules: RuleSet) -> Self {
        Self {
            earliest: RuleVersion {
                from: Period::of_date(chrono::NaiveDate::MIN),
                version,
                rules,
            },
            later: Vec::new(),
        }
    }

    /// The versions in any order; `None` without any.
    pub fn new(mut versions: Vec<RuleVersion>) -> Option<Self> {
        versions.sort_by_key(|v| (v.from, v.version));
        let mut versions = versions.into_iter();
        let earliest = versions.next()?;
        Some(Self {
            earliest,
            later: versions.collect(),
        })
    }

    /// The version that judges month `p`.
    pub fn at(&self, p: Period) -> &RuleVersion {
        self.later
            .iter()
            .rev()
            .find(|v| v.from <= p)
            .unwrap_or(&self.earliest)
    }

    /// The highest version number.
    pub fn max_version(&self) -> i32 {
        self.later
            .iter()
            .map(|v| v.version)
            .fold(self.earliest.version, i32::max)
    }

    /// This book with one more version (a proposal, for a preview).
    pub fn with(&self, v: RuleVersion) -> Self {
        let mut all = self.later.clone();
        all.push(self.earliest.clone());
        all.push(v);
        Self::new(all).unwrap_or_else(|| self.clone())
    }
}

/// Why a paying employer does not count.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "code")]
pub enum NotQualifying {
    /// No rule covers this category and specialty group.
    NoRule,
    /// The employer's kind does not count for this category.
    Kind { kind: OrganisationKind },
    /// The work must be in a rural locality.
    NotRural,
    /// The employer's region is not among those that count.
    Region { region: Option<String> },
}

impl RuleSet {
    /// Reads a rule set submitted as JSON; unknown or missing fields are refused.
    pub fn from_json(value: serde_json::Value) -> adal_core::error::ApiResult<Self> {
        serde_json::from_value(value).map_err(|e| {
            adal_core::error::ApiError::bad_input("rules", format!("the rules are not valid: {e}"))
        })
    }

    /// Months to work: the base term scaled by the share of the programme studied on the grant.
    pub fn required_months(
        &self,
        category: FundingCategory,
        grant_months: i32,
        programme_months: i32,
    ) -> i32 {
        let base = if category == FundingCategory::Serpin {
            self.serpin_base_months
        } else {
            self.base_months
        };
        if programme_months <= 0 || grant_months >= programme_months {
            return base;
        }
        let months = self.term_rounding.divide(
            i128::from(base) * i128::from(grant_months.max(0)),
            i128::from(programme_months),
        );
        i32::try_from(months).unwrap_or(base)
    }

    /// Reimbursement due: budget cost times the unworked share.
    pub fn reimbursement(&self, budget_cost: i64, required: i32, credited: i32) -> i64 {
        if required <= 0 || credited >= required {
            return 0;
        }
        let unworked = i128::from(required - credited.max(0));
        let due = self.money_rounding.divide(
            i128::from(budget_cost.max(0)) * unworked,
            i128::from(required),
        );
        i64::try_from(due).unwrap_or(i64::MAX)
    }

    /// Whether work at `employer` counts for a graduate of `category` and `group`.
    pub fn qualifies(
        &self,
        category: FundingCategory,
        group: SpecialtyGroup,
        employer: &EmployerFacts,
    ) -> Result<(), NotQualifying> {
        let mut first_reason = None;
        for r in self.rules.iter().filter(|r| {
            r.category == category
                && r.specialty_groups
                    .as_ref()
                    .is_none_or(|g| g.contains(&group))
        }) {
            let reason = if r
                .employer_kinds
                .as_ref()
                .is_some_and(|k| !k.contains(&employer.kind))
            {
                Some(NotQualifying::Kind {
                    kind: employer.kind,
                })
            } else if r.rural_only && !employer.rural {
                Some(NotQualifying::NotRural)
            } else if r.regions.as_ref().is_some_and(|regions| {
                !employer
                    .region
                    .as_ref()
                    .is_some_and(|reg| regions.contains(reg))
            }) {
                Some(NotQualifying::Region {
                    region: employer.region.clone(),
                })
            } else {
                None
            };
            match reason {
                None => return Ok(()),
                Some(r) => {
                    first_reason.get_or_insert(r);
                }
            }
        }
        Err(first_reason.unwrap_or(NotQualifying::NoRule))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn employer(kind: OrganisationKind, rural: bool, region: &str) -> EmployerFacts {
        EmployerFacts {
            id: 1,
            kind,
            rural,
            region: Some(region.into()),
            needs_classification: false,
        }
    }

    #[test]
    fn a_timeline_gives_the_facts_in_force_in_each_month() {
        use OrganisationKind as K;
        let p = |s: &str| Period::parse(s).unwrap();
        // A village school (rural) until the village is made urban from 2025-09; reclassified
        // as a college from 2026-01.
        let t = EmployerTimeline {
            id: 1,
            versions: vec![
                (p("2024-09"), employer(K::School, true, "110000000")),
                (p("2025-09"), employer(K::School, false, "110000000")),
                (p("2026-01"), employer(K::College, false, "110000000")),
            ],
        };
        // Before the first version: the first version.
        assert_eq!(t.at(p("2020-01")).unwrap().kind, K::School);
        assert!(t.at(p("2020-01")).unwrap().rural);
        assert!(t.at(p("2024-09")).unwrap().rural);
        assert!(
            t.at(p("2025-08")).unwrap().rural,
            "the last month before the change"
        );
        assert!(
            !t.at(p("2025-09")).unwrap().rural,
            "the first month of the change"
        );
        assert_eq!(t.at(p("2025-12")).unwrap().kind, K::School);
        assert_eq!(t.at(p("2026-01")).unwrap().kind, K::College);
        assert_eq!(
            t.at(p("2030-06")).unwrap().kind,
            K::College,
            "the last version holds on"
        );
        assert_eq!(t.latest().unwrap().kind, K::College);
        let c = EmployerTimeline::constant(employer(K::School, true, "110000000"));
        assert_eq!(c.at(p("1990-01")), c.latest());
        assert_eq!(c.at(p("2100-12")), c.latest());
        let none = EmployerTimeline {
            versions: vec![],
            ..c
        };
        assert_eq!(none.at(p("2025-01")), None);
    }

    #[test]
    fn a_rule_book_gives_the_version_in_force_in_each_month() {
        let p = |s: &str| Period::parse(s).unwrap();
        let v = |from: &str, version, grace| RuleVersion {
            from: p(from),
            version,
            rules: RuleSet {
                grace_months: grace,
                ..RuleSet::default()
            },
        };
        // Version 1 from 1990, version 3 from 2025-09, version 2 (saved before 3 but applying
        // later) from 2026-01.
        let book = RuleBook::new(vec![
            v("2026-01", 2, 6),
            v("1990-01", 1, 3),
            v("2025-09", 3, 4),
        ])
        .unwrap();
        assert_eq!(book.at(p("1990-01")).version, 1);
        assert_eq!(book.at(p("2025-08")).version, 1);
        assert_eq!(book.at(p("2025-09")).version, 3);
        assert_eq!(book.at(p("2025-12")).rules.grace_months, 4);
        assert_eq!(book.at(p("2026-01")).version, 2);
        assert_eq!(book.max_version(), 3);
        // A proposal from the same month as version 2 wins it (the higher number).
        let proposed = book.with(v("2026-01", 4, 9));
        assert_eq!(proposed.at(p("2026-05")).version, 4);
        assert_eq!(proposed.at(p("2025-10")).version, 3);
        assert!(RuleBook::new(vec![]).is_none());
        assert_eq!(
            RuleBook::single(7, RuleSet::default())
                .at(p("2100-12"))
                .version,
            7
        );
    }

    #[test]
    fn reimbursement_is_exact_in_every_rounding_mode() {
        let with = |money_rounding| RuleSet {
            money_rounding,
            ..RuleSet::default()
        };
        // 1,000,000 tenge, 24 of 36 months unworked: 666,666.67 exactly.
        for (mode, due) in [
            (Rounding::Up, 666_667),
            (Rounding::Down, 666_666),
            (Rounding::Nearest, 666_667),
        ] {
            assert_eq!(with(mode).reimbursement(1_000_000, 36, 12), due, "{mode:?}");
        }
        // 49 tenge, 1 of 49 months unworked: exactly 1 (floating point gives 0.999... and
        // rounding down made it 0).
        for mode in [Rounding::Up, Rounding::Down, Rounding::Nearest] {
            assert_eq!(with(mode).reimbursement(49, 49, 48), 1, "{mode:?}");
        }
        // A half: 3 tenge, 1 of 2 months unworked is 1.5.
        assert_eq!(with(Rounding::Nearest).reimbursement(3, 2, 1), 2);
        assert_eq!(with(Rounding::Down).reimbursement(3, 2, 1), 1);
        // Nothing left, or more credited than required: nothing due.
        assert_eq!(with(Rounding::Up).reimbursement(1_000_000, 36, 36), 0);
        assert_eq!(with(Rounding::Up).reimbursement(1_000_000, 36, 40), 0);
        // A national-scale budget cost does not overflow.
        assert_eq!(
            with(Rounding::Down).reimbursement(i64::MAX / 2, 36, 0),
            i64::MAX / 2
        );
    }

    #[test]
    fn terms_are_proportional_and_rounded() {
        let r = RuleSet::default();
        assert_eq!(r.required_months(FundingCategory::StateOrder, 48, 48), 36);
        assert_eq!(r.required_months(FundingCategory::Serpin, 48, 48), 24);
        assert_eq!(r.required_months(FundingCategory::StateOrder, 40, 48), 30);
        assert_eq!(r.required_months(FundingCategory::StateOrder, 41, 48), 31); // 30.75 up
        let down = RuleSet {
            term_rounding: Rounding::Down,
            ..RuleSet::default()
        };
        assert_eq!(
            down.required_months(FundingCategory::StateOrder, 41, 48),
            30
        );
    }

    #[test]
    fn reimbursement_is_the_unworked_share() {
        let r = RuleSet::default();
        assert_eq!(r.reimbursement(3_600_000, 36, 12), 2_400_000);
        assert_eq!(r.reimbursement(1_000_000, 36, 36), 0);
        assert_eq!(r.reimbursement(1_000_000, 3, 1), 666_667);
    }

    #[test]
    fn qualification_by_category() {
        use FundingCategory as C;
        use OrganisationKind as K;
        use SpecialtyGroup as G;
        let r = RuleSet::default();
        let rural_school = employer(K::School, true, "110000000");
        let city_school = employer(K::School, false, "710000000");
        let city_firm = employer(K::Employer, false, "710000000");
        let karaganda_firm = employer(K::Employer, false, "350000000");
        assert!(
            r.qualifies(C::RuralQuota, G::Pedagogical, &rural_school)
                .is_ok()
        );
        assert_eq!(
            r.qualifies(C::RuralQuota, G::Pedagogical, &city_school),
            Err(NotQualifying::NotRural)
        );
        assert!(
            r.qualifies(C::StateOrder, G::Pedagogical, &city_school)
                .is_ok()
        );
        assert_eq!(
            r.qualifies(C::StateOrder, G::Medical, &city_school),
            Err(NotQualifying::Kind { kind: K::School })
        );
        assert!(r.qualifies(C::StateOrder, G::Technical, &city_firm).is_ok());
        assert!(
            r.qualifies(C::Serpin, G::Technical, &karaganda_firm)
                .is_ok()
        );
        assert!(matches!(
            r.qualifies(C::Serpin, G::Technical, &city_firm),
            Err(NotQualifying::Region { .. })
        ));
        assert!(
            r.qualifies(C::Phd, G::Other, &employer(K::Research, false, "710000000"))
                .is_ok()
        );
    }

    #[test]
    fn phd_work_counts_where_seed_001_lists_it() {
        use FundingCategory as C;
        use OrganisationKind as K;
        let r = RuleSet::default();
        let at = |kind| {
            r.qualifies(
                C::Phd,
                SpecialtyGroup::Other,
                &employer(kind, false, "710000000"),
            )
        };
        for kind in [
            K::StateBody,
            K::University,
            K::Research,
            K::ResearchUnit,
            K::Nis,
            K::HigherCollege,
            K::Healthcare,
        ] {
            assert_eq!(at(kind), Ok(()), "{kind:?}");
            let doctor = r.qualifies(
                C::DoctorByProfile,
                SpecialtyGroup::Medical,
                &employer(kind, false, "710000000"),
            );
            assert_eq!(doctor, Ok(()), "doctor by profile at {kind:?}");
        }
        // An ordinary college, a school that is not an NIS school, a company: not for a PhD.
        for kind in [K::College, K::School, K::Employer, K::EducationProvider] {
            assert_eq!(at(kind), Err(NotQualifying::Kind { kind }), "{kind:?}");
        }
        // An NIS school and a higher college are schools and colleges for a teacher.
        for kind in [K::Nis, K::HigherCollege] {
            assert!(
                r.qualifies(
                    C::StateOrder,
                    SpecialtyGroup::Pedagogical,
                    &employer(kind, false, "710000000")
                )
                .is_ok()
            );
        }
    }

    #[test]
    fn rule_sets_round_trip_as_json() {
        let r = RuleSet::default();
        let json = serde_json::to_string(&r).unwrap();
        assert!(json.contains("\"ruralOnly\":true"));
        assert_eq!(serde_json::from_str::<RuleSet>(&json).unwrap(), r);
    }
}
