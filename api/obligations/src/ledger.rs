//! The compliance ledger: month by month from the start of the obligation, what each month is
//! and why, and the status that follows, with its explanation in data. Pure: no database.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::period::Period;
use super::rules::{EmployerTimeline, NotQualifying, RuleBook, RuleSet};
use super::vocab::{
    ClaimStatus, EvidenceSource, FundingCategory, MonthState, ObligationStatus, SpecialtyGroup,
};
use adal_core::vocab::Language;

/// An approved exemption or suspension, by months (`None` bounds: open). A month is covered
/// when any day of it is (a decision from the 15th covers that month), but a month a
/// qualifying employer paid for is credited whatever decision covers it: evidence of
/// qualifying work wins.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    pub suspension: bool,
    pub from: Option<Period>,
    pub to: Option<Period>,
}

impl Decision {
    fn covers(&self, p: Period) -> bool {
        self.from.is_none_or(|f| f <= p) && self.to.is_none_or(|t| p <= t)
    }
}

/// Everything the evaluation of one obligation reads.
pub struct LedgerInput<'a> {
    pub category: FundingCategory,
    pub group: SpecialtyGroup,
    pub required_months: i32,
    pub start: Period,
    /// The last month the feeds cover.
    pub horizon: Period,
    /// (period, employer id) pairs; duplicates are harmless.
    pub contributions: &'a [(Period, i64)],
    /// (period, employer id) pairs that accepted documents prove: counted like contributions,
    /// through the same qualification rules; where an employer both paid and is documented for
    /// a month, the pension feed is the month's source.
    pub documented: &'a [(Period, i64)],
    /// Each employer's facts over time; a month reads those in force in it.
    pub employers: &'a HashMap<i64, EmployerTimeline>,
    pub decisions: &'a [Decision],
    /// The latest claim's status, if a claim exists.
    pub claim: Option<ClaimStatus>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LedgerMonth {
    pub period: Period,
    pub state: MonthState,
    /// The employer that credited the month, or the one examined.
    pub employer_id: Option<i64>,
    /// Why a paying employer did not count.
    pub reason: Option<NotQualifying>,
    /// All employers that paid for the month or that a document names for it.
    pub employers: Vec<i64>,
    /// Where the evidence behind `employer_id` comes from (the crediting evidence of a credited
    /// month); `None` for a month without evidence.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<EvidenceSource>,
}

/// Why the status is what it is: a code and the facts behind it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Explanation {
    pub status: ObligationStatus,
    pub required_months: i32,
    pub credited_months: i32,
    /// Months without credited work at the end of the ledger.
    pub months_without_credit: i32,
    /// The first month of that run.
    pub since: Option<Period>,
    pub employer_id: Option<i64>,
    pub reason: Option<NotQualifying>,
    pub pending_classification_months: i32,
    pub horizon: Period,
    pub grace_months: i32,
    pub breach_months: i32,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ledger {
    pub months: Vec<LedgerMonth>,
    pub status: ObligationStatus,
    pub credited: i32,
    pub projected_completion: Option<Period>,
    pub last_employer_id: Option<i64>,
    pub explanation: Explanation,
}

impl Ledger {
    /// The state of month `p`, if the ledger reaches it.
    pub fn state_in(&self, p: Period) -> Option<MonthState> {
        self.months
            .iter()
            .rev()
            .find(|m| m.period == p)
            .map(|m| m.state)
    }
}

/// The ledger under one rule set for every month.
pub fn evaluate(input: &LedgerInput<'_>, rules: &RuleSet) -> Ledger {
    evaluate_in(input, &RuleBook::single(0, rules.clone()), rules)
}

/// The ledger with each month's work judged by the rules in force in that month (`book`); the
/// grace and breach limits are those of `rules`, the version in force when the status is
/// judged.
pub fn evaluate_in(input: &LedgerInput<'_>, book: &RuleBook, rules: &RuleSet) -> Ledger {
    // Each month's employers with their evidence's source: the feed's first, so a month an
    // employer paid for keeps the feed as its source whatever a document adds.
    let mut by_month: HashMap<Period, Vec<(i64, EvidenceSource)>> = HashMap::new();
    let evidence = (input.contributions.iter())
        .map(|(p, e)| (p, e, EvidenceSource::PensionFeed))
        .chain((input.documented.iter()).map(|(p, e)| (p, e, EvidenceSource::Document)));
    for (p, e, source) in evidence {
        let v = by_month.entry(*p).or_default();
        if !v.iter().any(|(known, _)| known == e) {
            v.push((*e, source));
        }
    }
    let mut months = Vec::new();
    let mut credited = 0;
    let mut p = input.start;
    while p <= input.horizon && credited < input.required_months {
        let m = month(
            input,
            &book.at(p).rules,
            p,
            by_month.get(&p).map(Vec::as_slice).unwrap_or(&[]),
        );
        if m.state == MonthState::Credited {
            credited += 1;
        }
        months.push(m);
        p = p.next();
    }

    // The run of months without credit at the end (pending, exempt and suspended months are
    // neutral: they neither extend nor end it).
    let mut run = 0;
    let mut since = None;
    let mut latest: Option<&LedgerMonth> = None;
    for m in months.iter().rev() {
        match m.state {
            MonthState::Credited => break,
            MonthState::Gap | MonthState::NonQualifying => {
                run += 1;
                since = Some(m.period);
                latest.get_or_insert(m);
            }
            _ => {}
        }
    }
    let pending = months
        .iter()
        .filter(|m| m.state == MonthState::PendingClassification)
        .count() as i32;
    // A decision that covers the horizon month gives its status now: an exemption with a start
    // and no end holds from its start on, a bounded one while it lasts.
    let exempt_now = input
        .decisions
        .iter()
        .any(|d| !d.suspension && d.covers(input.horizon));
    let suspended_now = input
        .decisions
        .iter()
        .any(|d| d.suspension && d.covers(input.horizon));
    let any_credit = credited > 0;
    let status = match input.claim {
        Some(ClaimStatus::Paid) => ObligationStatus::Closed,
        Some(
            ClaimStatus::Sent
            | ClaimStatus::Acknowledged
            | ClaimStatus::PaidInPart
            | ClaimStatus::InCourt,
        ) => ObligationStatus::Reimbursing,
        _ if exempt_now => ObligationStatus::Exempt,
        _ if credited >= input.required_months => ObligationStatus::Fulfilled,
        _ if input.horizon < input.start => ObligationStatus::NotStarted,
        _ if suspended_now => ObligationStatus::Suspended,
        _ if run > rules.breach_months => ObligationStatus::Breach,
        _ if latest.is_some_and(|m| m.state == MonthState::NonQualifying) => {
            ObligationStatus::NonQualifying
        }
        _ if run > rules.grace_months => ObligationStatus::Gap,
        _ if !any_credit => ObligationStatus::NotStarted,
        _ => ObligationStatus::Working,
    };
    let last_employer_id = months
        .iter()
        .rev()
        .find_map(|m| m.employer_id.or_else(|| m.employers.first().copied()));
    let projected_completion = (status == ObligationStatus::Working)
        .then(|| input.horizon.plus(input.required_months - credited));
    let explanation = Explanation {
        status,
        required_months: input.required_months,
        credited_months: credited,
        months_without_credit: run,
        since,
        employer_id: latest.and_then(|m| m.employer_id).or(last_employer_id),
        reason: latest.and_then(|m| m.reason.clone()),
        pending_classification_months: pending,
        horizon: input.horizon,
        grace_months: rules.grace_months,
        breach_months: rules.breach_months,
    };
    Ledger {
        months,
        status,
        credited,
        projected_completion,
        last_employer_id,
        explanation,
    }
}

fn month(
    input: &LedgerInput<'_>,
    rules: &RuleSet,
    p: Period,
    paid_by: &[(i64, EvidenceSource)],
) -> LedgerMonth {
    let mut m = LedgerMonth {
        period: p,
        state: MonthState::Gap,
        employer_id: None,
        reason: None,
        employers: paid_by.iter().map(|(e, _)| *e).collect(),
        source: None,
    };
    let mut pending = None;
    let mut refused = None;
    for &(e, source) in paid_by {
        let Some(facts) = input.employers.get(&e).and_then(|t| t.at(p)) else {
            pending.get_or_insert((e, source));
            continue;
        };
        if facts.needs_classification {
            pending.get_or_insert((e, source));
            continue;
        }
        match rules.qualifies(input.category, input.group, facts) {
            Ok(()) => {
                m.state = MonthState::Credited;
                m.employer_id = Some(e);
                m.source = Some(source);
                return m;
            }
            Err(reason) => {
                refused.get_or_insert((e, source, reason));
            }
        }
    }
    // No qualifying work this month: a decision covering it makes it neutral.
    if input.decisions.iter().any(|d| !d.suspension && d.covers(p)) {
        m.state = MonthState::Exempt;
        return m;
    }
    if input.decisions.iter().any(|d| d.suspension && d.covers(p)) {
        m.state = MonthState::Suspended;
        return m;
    }
    if let Some((e, source)) = pending {
        m.state = MonthState::PendingClassification;
        m.employer_id = Some(e);
        m.source = Some(source);
    } else if let Some((e, source, reason)) = refused {
        m.state = MonthState::NonQualifying;
        m.employer_id = Some(e);
        m.source = Some(source);
        m.reason = Some(reason);
    }
    m
}

/// The explanation in plain words, in the reader's language. `employer` is the employer's name.
/// A month as a sentence starts a span from it, as each language writes it: "2024 жылғы
/// желтоқсаннан" (… бастап), "декабря 2024 г." (начиная с …), "December 2024" (since …); never
/// an ISO month in a sentence.
pub fn since_text(p: Period, lang: Language) -> String {
    const KK_FROM: [&str; 12] = [
        "қаңтардан",
        "ақпаннан",
        "наурыздан",
        "сәуірден",
        "мамырдан",
        "маусымнан",
        "шілдеден",
        "тамыздан",
        "қыркүйектен",
        "қазаннан",
        "қарашадан",
        "желтоқсаннан",
    ];
    const RU_OF: [&str; 12] = [
        "января",
        "февраля",
        "марта",
        "апреля",
        "мая",
        "июня",
        "июля",
        "августа",
        "сентября",
        "октября",
        "ноября",
        "декабря",
    ];
    const EN: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let (y, i) = (p.year(), (p.month() as usize).saturating_sub(1).min(11));
    match lang {
        Language::Kk => format!("{y} жылғы {}", KK_FROM[i]),
        Language::Ru => format!("{} {y} г.", RU_OF[i]),
        Language::En => format!("{} {y}", EN[i]),
    }
}

pub fn explain(e: &Explanation, employer: Option<&str>, lang: Language) -> String {
    let remaining = (e.required_months - e.credited_months).max(0);
    let emp = employer.unwrap_or("—");
    let since = e.since.map(|p| since_text(p, lang)).unwrap_or_default();
    let reason = e
        .reason
        .as_ref()
        .map(|r| reason_text(r, lang))
        .unwrap_or_default();
    use ObligationStatus as S;
    match (e.status, lang) {
        (S::NotStarted, Language::Kk) => format!(
            "Міндеттеме әлі басталмаған немесе есепке алынған жұмыс жоқ: {} айдан 0 ай өтелді.",
            e.required_months
        ),
        (S::NotStarted, Language::Ru) => format!(
            "Отработка ещё не началась или засчитанной работы нет: отработано 0 из {} мес.",
            e.required_months
        ),
        (S::NotStarted, Language::En) => format!(
            "The obligation has not started or no qualifying work yet: 0 of {} months credited.",
            e.required_months
        ),
        (S::Working, Language::Kk) => format!(
            "Жұмыс істеп жатыр: {} / {} ай есепке алынды, {} ай қалды (соңғы жұмыс беруші: {emp}).",
            e.credited_months, e.required_months, remaining
        ),
        (S::Working, Language::Ru) => format!(
            "Отрабатывает: засчитано {} из {} мес., осталось {} (последний работодатель: {emp}).",
            e.credited_months, e.required_months, remaining
        ),
        (S::Working, Language::En) => format!(
            "Working: {} of {} months credited, {} to go (latest employer: {emp}).",
            e.credited_months, e.required_months, remaining
        ),
        (S::Gap, Language::Kk) => format!(
            "{since} бастап {} ай бойы есепке алынатын жұмыс жоқ (рұқсат етілген үзіліс: {} ай).",
            e.months_without_credit, e.grace_months
        ),
        (S::Gap, Language::Ru) => format!(
            "Нет засчитываемой работы {} мес. начиная с {since} (допустимый перерыв: {} мес.).",
            e.months_without_credit, e.grace_months
        ),
        (S::Gap, Language::En) => format!(
            "No qualifying work for {} months since {since} (allowed gap: {} months).",
            e.months_without_credit, e.grace_months
        ),
        (S::NonQualifying, Language::Kk) => {
            format!("{emp} жарна төлейді, бірақ бұл жұмыс есептелмейді: {reason}.")
        }
        (S::NonQualifying, Language::Ru) => {
            format!("{emp} платит взносы, но эта работа не засчитывается: {reason}.")
        }
        (S::NonQualifying, Language::En) => {
            format!("{emp} pays contributions, but this work does not count: {reason}.")
        }
        (S::Suspended, Language::Kk) => {
            "Міндеттеме комиссия шешімімен уақытша тоқтатылды; бұл айлар есептелмейді.".into()
        }
        (S::Suspended, Language::Ru) => {
            "Обязательство приостановлено решением комиссии; эти месяцы не засчитываются.".into()
        }
        (S::Suspended, Language::En) => {
            "The obligation is suspended by the commission's decision; these months do not count."
                .into()
        }
        (S::Exempt, Language::Kk) => "Комиссия шешімімен міндеттемеден босатылды.".into(),
        (S::Exempt, Language::Ru) => "Освобождён(а) от обязательства решением комиссии.".into(),
        (S::Exempt, Language::En) => {
            "Exempted from the obligation by the commission's decision.".into()
        }
        (S::Fulfilled, Language::Kk) => format!(
            "Міндеттеме орындалды: {} ай есепке алынды.",
            e.credited_months
        ),
        (S::Fulfilled, Language::Ru) => format!(
            "Обязательство выполнено: засчитано {} мес.",
            e.credited_months
        ),
        (S::Fulfilled, Language::En) => format!(
            "Obligation fulfilled: {} months credited.",
            e.credited_months
        ),
        (S::Breach, Language::Kk) => format!(
            "{since} бастап {} ай бойы есепке алынатын жұмыс жоқ, шегі {} ай: бюджет қаражатын өтеу талабы қойылуы тиіс.",
            e.months_without_credit, e.breach_months
        ),
        (S::Breach, Language::Ru) => format!(
            "Нет засчитываемой работы {} мес. начиная с {since} при пределе {} мес.: подлежит требование о возмещении бюджетных средств.",
            e.months_without_credit, e.breach_months
        ),
        (S::Breach, Language::En) => format!(
            "No qualifying work for {} months since {since}, past the limit of {}: a reimbursement claim is due.",
            e.months_without_credit, e.breach_months
        ),
        (S::Reimbursing, Language::Kk) => {
            "Бюджет қаражатын өтеу талабы бойынша жұмыс жүріп жатыр.".into()
        }
        (S::Reimbursing, Language::Ru) => {
            "Идёт работа по требованию о возмещении бюджетных средств.".into()
        }
        (S::Reimbursing, Language::En) => "A reimbursement claim is in progress.".into(),
        (S::Closed, Language::Kk) => "Бюджет қаражаты толық өтелді; міндеттеме жабылды.".into(),
        (S::Closed, Language::Ru) => {
            "Бюджетные средства возмещены полностью; обязательство закрыто.".into()
        }
        (S::Closed, Language::En) => {
            "The budget cost was reimbursed in full; the obligation is closed.".into()
        }
    }
}

/// Why an employer does not count, in plain words.
pub fn reason_text(r: &NotQualifying, lang: Language) -> String {
    match (r, lang) {
        (NotQualifying::NoRule, Language::Kk) => "бұл санат пен мамандыққа ереже жоқ".into(),
        (NotQualifying::NoRule, Language::Ru) => {
            "для этой категории и специальности нет правила".into()
        }
        (NotQualifying::NoRule, Language::En) => {
            "no rule covers this category and specialty".into()
        }
        (NotQualifying::Kind { kind }, Language::Kk) => {
            format!("ұйым түрі ({kind}) бұл санат үшін есептелмейді")
        }
        (NotQualifying::Kind { kind }, Language::Ru) => {
            format!("тип организации ({kind}) не засчитывается для этой категории")
        }
        (NotQualifying::Kind { kind }, Language::En) => {
            format!("the organisation kind ({kind}) does not count for this category")
        }
        (NotQualifying::NotRural, Language::Kk) => "жұмыс ауылдық елді мекенде болуы керек".into(),
        (NotQualifying::NotRural, Language::Ru) => "работа должна быть в сельской местности".into(),
        (NotQualifying::NotRural, Language::En) => "the work must be in a rural locality".into(),
        (NotQualifying::Region { .. }, Language::Kk) => "жұмыс беруші өңірі тізімде жоқ".into(),
        (NotQualifying::Region { .. }, Language::Ru) => {
            "регион работодателя не входит в перечень".into()
        }
        (NotQualifying::Region { .. }, Language::En) => {
            "the employer's region is not on the list".into()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use adal_core::vocab::OrganisationKind as K;

    fn p(s: &str) -> Period {
        Period::parse(s).unwrap()
    }

    fn employers() -> HashMap<i64, EmployerTimeline> {
        let mut m = HashMap::new();
        let f = |id, kind, rural, needs| crate::rules::EmployerFacts {
            id,
            kind,
            rural,
            region: Some("110000000".into()),
            needs_classification: needs,
        };
        for (id, kind, rural, needs) in [
            (1, K::School, true, false),
            (2, K::Employer, false, false),
            (3, K::Employer, false, true),
        ] {
            m.insert(id, EmployerTimeline::constant(f(id, kind, rural, needs)));
        }
        m
    }

    fn run(contribs: &[(&str, i64)], horizon: &str, decisions: &[Decision]) -> Ledger {
        run_with_documents(contribs, &[], horizon, decisions)
    }

    /// [`run`] with months that accepted documents prove.
    fn run_with_documents(
        contribs: &[(&str, i64)],
        documented: &[(&str, i64)],
        horizon: &str,
        decisions: &[Decision],
    ) -> Ledger {
        let c: Vec<(Period, i64)> = contribs.iter().map(|(s, e)| (p(s), *e)).collect();
        let d: Vec<(Period, i64)> = documented.iter().map(|(s, e)| (p(s), *e)).collect();
        let emps = employers();
        evaluate(
            &LedgerInput {
                category: FundingCategory::RuralQuota,
                group: SpecialtyGroup::Pedagogical,
                required_months: 36,
                start: p("2024-09"),
                horizon: p(horizon),
                contributions: &c,
                documented: &d,
                employers: &emps,
                decisions,
                claim: None,
            },
            &RuleSet::default(),
        )
    }

    fn months(from: &str, n: i32, employer: i64) -> Vec<(String, i64)> {
        (0..n)
            .map(|i| (p(from).plus(i).to_string(), employer))
            .collect()
    }

    fn as_refs(v: &[(String, i64)]) -> Vec<(&str, i64)> {
        v.iter().map(|(s, e)| (s.as_str(), *e)).collect()
    }

    #[test]
    fn working_months_are_credited_once_per_month() {
        let mut c = months("2024-09", 6, 1);
        c.push(("2024-10".into(), 2)); // a second, non-qualifying employer the same month
        c.push(("2024-10".into(), 1)); // a duplicate record
        let l = run(&as_refs(&c), "2025-02", &[]);
        assert_eq!(l.credited, 6);
        assert_eq!(l.status, ObligationStatus::Working);
        assert_eq!(l.projected_completion, Some(p("2025-02").plus(30)));
        assert_eq!(l.months[1].employers.len(), 2);
    }

    #[test]
    fn gaps_turn_into_breach_after_the_limit() {
        let c = months("2024-09", 3, 1);
        let l = run(&as_refs(&c), "2025-01", &[]);
        assert_eq!(
            l.status,
            ObligationStatus::Working,
            "2 months without: within grace"
        );
        let l = run(&as_refs(&c), "2025-03", &[]);
        assert_eq!(l.status, ObligationStatus::Gap);
        assert_eq!(l.explanation.since, Some(p("2024-12")));
        assert_eq!(l.explanation.months_without_credit, 4);
        let l = run(&as_refs(&c), "2025-12", &[]);
        assert_eq!(l.status, ObligationStatus::Breach);
    }

    #[test]
    fn non_qualifying_employment_is_named_with_its_reason() {
        let mut c = months("2024-09", 3, 1);
        c.extend(months("2024-12", 2, 2));
        let l = run(&as_refs(&c), "2025-01", &[]);
        assert_eq!(l.status, ObligationStatus::NonQualifying);
        assert_eq!(l.explanation.employer_id, Some(2));
        assert!(matches!(
            l.explanation.reason,
            Some(NotQualifying::Kind { .. })
        ));
        let text = explain(&l.explanation, Some("ТОО Test"), Language::Ru);
        assert!(
            text.contains("ТОО Test") && text.contains("не засчитывается"),
            "{text}"
        );
    }

    #[test]
    fn unclassified_employers_are_pending_never_gaps() {
        let c = months("2024-09", 10, 3);
        let l = run(&as_refs(&c), "2025-06", &[]);
        assert_eq!(l.explanation.pending_classification_months, 10);
        assert!(
            l.months
                .iter()
                .take(10)
                .all(|m| m.state == MonthState::PendingClassification)
        );
        assert_eq!(
            l.status,
            ObligationStatus::NotStarted,
            "pending months are not a gap"
        );
        assert_eq!(l.explanation.months_without_credit, 0);
    }

    #[test]
    fn suspension_and_exemption() {
        let c = months("2024-09", 3, 1);
        let military = Decision {
            suspension: true,
            from: Some(p("2024-12")),
            to: Some(p("2025-11")),
        };
        let l = run(&as_refs(&c), "2025-06", std::slice::from_ref(&military));
        assert_eq!(l.status, ObligationStatus::Suspended);
        assert_eq!(l.credited, 3, "service months do not count");
        let l = run(&as_refs(&c), "2026-01", &[military]);
        assert_eq!(
            l.status,
            ObligationStatus::Working,
            "back within grace after service"
        );
        let exempt = Decision {
            suspension: false,
            from: None,
            to: None,
        };
        let l = run(&[], "2026-01", &[exempt]);
        assert_eq!(l.status, ObligationStatus::Exempt);
    }

    #[test]
    fn an_exemption_with_a_start_and_no_end_holds_from_its_start_on() {
        // Worked 2024-09..2025-02 (6 months credited), a disability exemption from 2025-03-10
        // with no end. Horizon 2026-06: 2025-03..2026-06 are 16 exempt months; the status is
        // EXEMPT (not WORKING with a projected completion), and nothing is a gap.
        let c = months("2024-09", 6, 1);
        let disability = Decision {
            suspension: false,
            from: Some(p("2025-03")),
            to: None,
        };
        let l = run(&as_refs(&c), "2026-06", &[disability]);
        assert_eq!(l.status, ObligationStatus::Exempt);
        assert_eq!(l.credited, 6);
        assert_eq!(l.projected_completion, None);
        assert_eq!(l.months.len(), 22, "2024-09..2026-06");
        assert!(l.months[6..].iter().all(|m| m.state == MonthState::Exempt));
        assert_eq!(l.explanation.months_without_credit, 0);
    }

    #[test]
    fn a_bounded_decision_covering_the_horizon_gives_its_status_now() {
        // Worked 2024-09..2024-11 (3 credited), then nothing; childcare exemption 2025-01..
        // 2027-05 (a child under 3 until then). Horizon 2025-12: 2024-12 is a gap (1 month,
        // within grace), 2025-01..2025-12 are exempt: EXEMPT now, not GAP or BREACH.
        let c = months("2024-09", 3, 1);
        let childcare = Decision {
            suspension: false,
            from: Some(p("2025-01")),
            to: Some(p("2027-05")),
        };
        let l = run(&as_refs(&c), "2025-12", std::slice::from_ref(&childcare));
        assert_eq!(l.status, ObligationStatus::Exempt);
        assert_eq!(l.state_in(p("2024-12")), Some(MonthState::Gap));
        assert_eq!(l.state_in(p("2025-12")), Some(MonthState::Exempt));
        // After it ends (horizon 2027-09): 2027-06..2027-09 are 4 gap months after the last
        // credit (2024-12 too: 5 in the run) > grace 3: GAP.
        let l = run(&as_refs(&c), "2027-09", &[childcare]);
        assert_eq!(l.status, ObligationStatus::Gap);
        assert_eq!(l.explanation.months_without_credit, 5);
    }

    #[test]
    fn qualifying_work_in_a_month_a_decision_covers_is_credited() {
        // Military service (a suspension) from 2025-03-20 to 2026-03-05: by months 2025-03..
        // 2026-03. The school paid 2024-09..2025-03 and again from 2026-03: March 2025 and
        // March 2026 are credited (evidence of work wins); 2025-04..2026-02 (11 months) are
        // suspended. Horizon 2026-05: credited 7 + 3 = 10.
        let mut c = months("2024-09", 7, 1);
        c.extend(months("2026-03", 3, 1));
        let service = Decision {
            suspension: true,
            from: Some(p("2025-03")),
            to: Some(p("2026-03")),
        };
        let l = run(&as_refs(&c), "2026-05", &[service]);
        assert_eq!(l.state_in(p("2025-03")), Some(MonthState::Credited));
        assert_eq!(l.state_in(p("2026-03")), Some(MonthState::Credited));
        assert_eq!(
            l.months
                .iter()
                .filter(|m| m.state == MonthState::Suspended)
                .count(),
            11
        );
        assert_eq!(l.credited, 10);
        assert_eq!(l.status, ObligationStatus::Working);
    }

    #[test]
    fn an_ended_exemption_leaves_the_months_after_it_to_the_rules() {
        // Contract military service exempted from 2025-01 with no end; the commission ends it
        // on 2025-06-30 (terms not kept). Worked 2024-09..2024-12 (4 credited); 2025-01..
        // 2025-06 exempt; 2025-07..2026-08 (14 months) without work > breach limit 12: BREACH.
        let c = months("2024-09", 4, 1);
        let open = Decision {
            suspension: false,
            from: Some(p("2025-01")),
            to: None,
        };
        assert_eq!(
            run(&as_refs(&c), "2026-08", std::slice::from_ref(&open)).status,
            ObligationStatus::Exempt
        );
        let ended = Decision {
            to: Some(p("2025-06")),
            ..open
        };
        let l = run(&as_refs(&c), "2026-08", &[ended]);
        assert_eq!(l.status, ObligationStatus::Breach);
        assert_eq!(l.explanation.months_without_credit, 14);
        assert_eq!(l.explanation.since, Some(p("2025-07")));
    }

    #[test]
    fn fulfilment_stops_the_ledger_and_claims_override() {
        let c = months("2024-09", 40, 1);
        let l = run(&as_refs(&c), "2027-12", &[]);
        assert_eq!(l.status, ObligationStatus::Fulfilled);
        assert_eq!(l.months.len(), 36);
        let emps = employers();
        let input = LedgerInput {
            category: FundingCategory::RuralQuota,
            group: SpecialtyGroup::Pedagogical,
            required_months: 36,
            start: p("2024-09"),
            horizon: p("2026-09"),
            contributions: &[],
            documented: &[],
            employers: &emps,
            decisions: &[],
            claim: Some(ClaimStatus::Sent),
        };
        assert_eq!(
            evaluate(&input, &RuleSet::default()).status,
            ObligationStatus::Reimbursing
        );
    }

    #[test]
    fn every_status_reads_in_three_languages() {
        for s in ObligationStatus::ALL {
            let e = Explanation {
                status: *s,
                required_months: 36,
                credited_months: 3,
                months_without_credit: 4,
                since: Some(p("2025-01")),
                employer_id: None,
                reason: Some(NotQualifying::NotRural),
                pending_classification_months: 0,
                horizon: p("2025-05"),
                grace_months: 3,
                breach_months: 12,
            };
            let texts: Vec<String> = Language::ALL
                .iter()
                .map(|l| explain(&e, Some("X"), *l))
                .collect();
            assert!(texts.iter().all(|t| t.len() > 10));
            assert_ne!(texts[0], texts[1]);
            assert_ne!(texts[1], texts[2]);
        }
    }

    #[test]
    fn the_expected_completion_is_the_month_the_last_required_month_is_worked() {
        // 27 of 36 months worked, September 2024 to November 2026: nine months are left,
        // December 2026 and January to August 2027, so it completes in August 2027.
        let c = months("2024-09", 27, 1);
        let l = run(&as_refs(&c), "2026-11", &[]);
        assert_eq!(l.credited, 27);
        assert_eq!(l.projected_completion, Some(p("2027-08")));
        // 35 of 36 worked, September 2024 to July 2027: the one month left is August 2027.
        let c = months("2024-09", 35, 1);
        let l = run(&as_refs(&c), "2027-07", &[]);
        assert_eq!(l.credited, 35);
        assert_eq!(l.projected_completion, Some(p("2027-08")));
    }

    #[test]
    fn months_a_document_proves_are_credited_like_paid_months() {
        // A rural-quota teacher, obligation from 2024-09, nothing in the pension feed; horizon
        // 2026-03. Without evidence 2024-09..2026-03 are 19 months without work > 12: BREACH.
        let l = run(&[], "2026-03", &[]);
        assert_eq!(l.status, ObligationStatus::Breach);
        assert_eq!(l.explanation.months_without_credit, 19);
        // The operator accepts a contract with the rural school (1) for 2025-10..2026-03:
        // those 6 months are credited by document, the 13 before them (2024-09..2025-09) stay
        // gaps, and the run without work at the end is 0: WORKING, 6 of 36, 30 to go.
        let docs = months("2025-10", 6, 1);
        let l = run_with_documents(&[], &as_refs(&docs), "2026-03", &[]);
        assert_eq!(l.status, ObligationStatus::Working);
        assert_eq!(l.credited, 6);
        assert_eq!(l.projected_completion, Some(p("2026-03").plus(30)));
        assert_eq!(l.months.len(), 19);
        assert!(
            l.months[..13]
                .iter()
                .all(|m| m.state == MonthState::Gap && m.source.is_none())
        );
        assert!(
            l.months[13..]
                .iter()
                .all(|m| m.state == MonthState::Credited
                    && m.employer_id == Some(1)
                    && m.source == Some(EvidenceSource::Document))
        );
    }

    #[test]
    fn a_document_from_an_employer_that_does_not_qualify_credits_nothing() {
        // The same teacher, a certificate from a city employer (2: not rural, not a school)
        // for 2025-10..2026-03: those 6 months are NON_QUALIFYING (the document's employer
        // named, with its reason), and 2024-09..2026-03 are still 19 months without
        // qualifying work: BREACH, 0 credited.
        let docs = months("2025-10", 6, 2);
        let l = run_with_documents(&[], &as_refs(&docs), "2026-03", &[]);
        assert_eq!(l.status, ObligationStatus::Breach);
        assert_eq!(l.credited, 0);
        assert_eq!(l.explanation.months_without_credit, 19);
        let m = &l.months[13];
        assert_eq!(m.state, MonthState::NonQualifying);
        assert_eq!(m.employer_id, Some(2));
        assert_eq!(m.source, Some(EvidenceSource::Document));
        assert!(matches!(m.reason, Some(NotQualifying::Kind { .. })));
        // An employer not yet classified (3) leaves the months pending, never a gap.
        let docs = months("2025-10", 6, 3);
        let l = run_with_documents(&[], &as_refs(&docs), "2026-03", &[]);
        assert_eq!(l.explanation.pending_classification_months, 6);
        assert_eq!(l.months[13].source, Some(EvidenceSource::Document));
    }

    #[test]
    fn a_month_both_paid_and_documented_counts_once_with_the_feed_as_its_source() {
        // The school (1) paid 2024-09..2024-11; a contract with it proves 2024-10..2024-12;
        // a city employer (2) paid 2025-01 and a contract with the school proves 2025-01.
        // Credited: 2024-09..2024-12 and 2025-01 = 5 months (2024-10 and 2024-11 once each).
        // 2024-09..11 come from the feed; 2024-12 from the document; 2025-01 is credited by
        // the document (the feed's employer there does not qualify).
        let c = [
            ("2024-09", 1),
            ("2024-10", 1),
            ("2024-11", 1),
            ("2025-01", 2),
        ];
        let d = [
            ("2024-10", 1),
            ("2024-11", 1),
            ("2024-12", 1),
            ("2025-01", 1),
        ];
        let l = run_with_documents(&c, &d, "2025-01", &[]);
        assert_eq!(l.credited, 5);
        assert_eq!(l.status, ObligationStatus::Working);
        let sources: Vec<Option<EvidenceSource>> = l.months.iter().map(|m| m.source).collect();
        use EvidenceSource::{Document, PensionFeed};
        assert_eq!(
            sources,
            [
                Some(PensionFeed),
                Some(PensionFeed),
                Some(PensionFeed),
                Some(Document),
                Some(Document)
            ]
        );
        assert_eq!(l.months[1].employers, vec![1], "one employer, counted once");
        assert_eq!(l.months[4].employers, vec![2, 1]);
    }

    #[test]
    fn a_span_starts_at_a_month_written_in_words() {
        assert_eq!(
            since_text(p("2024-12"), Language::Kk),
            "2024 жылғы желтоқсаннан"
        );
        assert_eq!(since_text(p("2025-03"), Language::Ru), "марта 2025 г.");
        assert_eq!(since_text(p("2025-03"), Language::En), "March 2025");
        let e = Explanation {
            status: ObligationStatus::Gap,
            required_months: 36,
            credited_months: 10,
            months_without_credit: 4,
            since: Some(p("2025-03")),
            employer_id: None,
            reason: None,
            pending_classification_months: 0,
            horizon: p("2025-06"),
            grace_months: 6,
            breach_months: 12,
        };
        for lang in [Language::Kk, Language::Ru, Language::En] {
            let text = explain(&e, None, lang);
            assert!(!text.contains("2025-03"), "{text}");
        }
        assert!(explain(&e, None, Language::Ru).contains("начиная с марта 2025 г."));
        assert!(explain(&e, None, Language::Kk).contains("2025 жылғы наурыздан бастап"));
    }
}
