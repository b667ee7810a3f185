//! What the operator does next about one obligation, in plain words: the stated rule that turns
//! the obligation's status, its open application and its claim into one step. The graduate
//! card shows it; third-party systems read the same text from `Obligation.nextStep`.

use sea_orm::DatabaseConnection;

use adal_core::error::ApiResult;
use adal_core::vocab::Language;

use super::ledger::Explanation;
use super::service::{self, GraduateRow};
use super::vocab::{ApplicationStatus, ClaimStatus, ObligationStatus};

/// What the next step depends on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Situation {
    pub status: ObligationStatus,
    /// Months waiting for an employer's classification.
    pub pending_classification_months: i32,
    /// An application for exemption or suspension waits for the commission.
    pub application_open: bool,
    /// The latest claim not withdrawn.
    pub claim: Option<ClaimStatus>,
}

impl Situation {
    pub fn of(
        status: ObligationStatus,
        explanation: Option<&Explanation>,
        application_open: bool,
        claim: Option<ClaimStatus>,
    ) -> Self {
        Self {
            status,
            pending_classification_months: explanation
                .map_or(0, |e| e.pending_classification_months),
            application_open,
            claim,
        }
    }
}

/// The situation of a graduate's obligation as stored: its status and explanation, whether an
/// application waits for the commission, and its latest claim not withdrawn. `None` when the
/// status is not one this version knows.
pub async fn situation(
    db: &DatabaseConnection,
    g: &GraduateRow,
    explanation: Option<&Explanation>,
) -> ApiResult<Option<Situation>> {
    let Some(status) = ObligationStatus::from_db(&g.status) else {
        return Ok(None);
    };
    let application_open = service::exemptions_of(db, g.id)
        .await?
        .iter()
        .any(|a| a.status == ApplicationStatus::Submitted.as_str());
    let claim = service::claims_of(db, g.obligation_id)
        .await?
        .iter()
        .rev()
        .filter_map(|c| ClaimStatus::from_db(&c.status))
        .find(|c| *c != ClaimStatus::Withdrawn);
    Ok(Some(Situation::of(
        status,
        explanation,
        application_open,
        claim,
    )))
}

/// The step, in `lang`. The first rule that applies wins: a claim under way, then an open
/// application, then an employer to classify, then the status.
pub fn next_step(s: Situation, lang: Language) -> String {
    use ClaimStatus as C;
    use ObligationStatus as S;
    let (kk, ru, en) = match (s.claim, s.status) {
        (Some(C::Drafted), _) => (
            "Талап жобасы дайын: оны түлекке жіберіңіз.",
            "Проект претензии готов: направьте её выпускнику.",
            "The claim is drafted: send it to the graduate.",
        ),
        (Some(C::Sent | C::Acknowledged), _) => (
            "Талап жіберілді: төлемді күтіңіз, әр байланыс пен төлемді тіркеңіз.",
            "Претензия направлена: ждите оплаты, фиксируйте каждый контакт и платёж.",
            "The claim is sent: await payment, and record every contact and payment.",
        ),
        (Some(C::PaidInPart), _) => (
            "Талап ішінара өтелді: қалған соманы қадағалаңыз.",
            "Претензия оплачена частично: добейтесь оплаты остатка.",
            "The claim is paid in part: follow up the remaining amount.",
        ),
        (Some(C::InCourt), _) => (
            "Талап сотта: сот шешімін және төлемдерді тіркеңіз.",
            "Претензия в суде: зафиксируйте решение суда и платежи.",
            "The claim is in court: record the court's decision and payments.",
        ),
        (Some(C::Paid), _) | (_, S::Closed) => (
            "Ештеңе істеудің қажеті жоқ: талап өтелді, міндеттеме жабылды.",
            "Действий не требуется: претензия оплачена, обязательство закрыто.",
            "Nothing to do: the claim is paid and the obligation closed.",
        ),
        _ if s.application_open => (
            "Өтініш комиссия шешімін күтуде: комиссия мүшелері дауыс береді.",
            "Заявление ждёт решения комиссии: голосуют члены комиссии.",
            "An application awaits the commission's decision: its members vote.",
        ),
        _ if s.pending_classification_months > 0 => (
            "Жұмыс берушіні жіктеңіз: оның айлары жіктелгенше есептелмейді.",
            "Классифицируйте работодателя: его месяцы не засчитываются до классификации.",
            "Classify the employer: its months count only once it is classified.",
        ),
        (_, S::Breach) => (
            "Өтеу туралы талап жобасын жасаңыз (алдымен түлекке хабарлама жеткізілуі керек).",
            "Подготовьте претензию о возмещении (сначала выпускнику должно быть доставлено уведомление).",
            "Draft a reimbursement claim (a notice must have reached the graduate first).",
        ),
        (_, S::Gap) => (
            "Түлекке хабарлама жіберіңіз: жұмысын растауды немесе өтініш беруді сұраңыз.",
            "Направьте выпускнику уведомление: попросите подтвердить работу или подать заявление.",
            "Notify the graduate: ask for proof of work or an application.",
        ),
        (_, S::NonQualifying) => (
            "Түлекке бұл жұмыстың неге есептелмейтінін хабарлаңыз; негіз болса, босату туралы өтініш бере алады.",
            "Сообщите выпускнику, почему эта работа не засчитывается; при наличии основания он может подать заявление об освобождении.",
            "Tell the graduate why this work does not count; with a ground, they may apply for an exemption.",
        ),
        (_, S::NotStarted) => (
            "Алғашқы жарналарды күтіңіз; түлектің міндеттеме туралы хабардар екеніне көз жеткізіңіз.",
            "Ждите первых взносов; убедитесь, что выпускник уведомлён об обязательстве.",
            "Await the first contributions; make sure the graduate has been told of the obligation.",
        ),
        (_, S::Working) => (
            "Ештеңе істеудің қажеті жоқ: айлар жарналар келген сайын есептеледі.",
            "Действий не требуется: месяцы засчитываются по мере поступления взносов.",
            "Nothing to do: months are credited as the feeds arrive.",
        ),
        (_, S::Suspended) => (
            "Тоқтата тұру мерзімі біткенше ештеңе істеудің қажеті жоқ.",
            "Действий не требуется до окончания приостановления.",
            "Nothing to do until the suspension ends.",
        ),
        (_, S::Exempt | S::Fulfilled) => (
            "Ештеңе істеудің қажеті жоқ: міндеттеме орындалды немесе одан босатылды.",
            "Действий не требуется: обязательство исполнено или снято.",
            "Nothing to do: the obligation is fulfilled or exempted.",
        ),
        (_, S::Reimbursing) => (
            "Өтеу жүріп жатыр: талап бойынша төлемдерді тіркеңіз.",
            "Идёт возмещение: фиксируйте платежи по претензии.",
            "Reimbursement under way: record the claim's payments.",
        ),
    };
    lang.pick(kk, ru, en).to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn step(
        status: ObligationStatus,
        open: bool,
        claim: Option<ClaimStatus>,
        pending: i32,
    ) -> String {
        next_step(
            Situation {
                status,
                pending_classification_months: pending,
                application_open: open,
                claim,
            },
            Language::En,
        )
    }

    #[test]
    fn a_claim_under_way_comes_first() {
        assert!(
            step(
                ObligationStatus::Breach,
                true,
                Some(ClaimStatus::Drafted),
                2
            )
            .starts_with("The claim is drafted")
        );
        assert!(
            step(
                ObligationStatus::Reimbursing,
                false,
                Some(ClaimStatus::InCourt),
                0
            )
            .contains("court")
        );
    }

    #[test]
    fn then_an_open_application_then_an_employer_to_classify() {
        assert!(step(ObligationStatus::Gap, true, None, 3).contains("commission"));
        assert!(step(ObligationStatus::Gap, false, None, 3).starts_with("Classify the employer"));
        // A withdrawn claim is no claim: breach asks for one again.
        assert!(
            step(ObligationStatus::Breach, false, None, 0)
                .starts_with("Draft a reimbursement claim")
        );
    }

    #[test]
    fn every_status_has_a_step_in_every_language() {
        for status in ObligationStatus::ALL {
            for lang in [Language::Kk, Language::Ru, Language::En] {
                let s = next_step(Situation::of(*status, None, false, None), lang);
                assert!(s.ends_with('.'), "{status:?} {lang:?}: {s}");
            }
        }
    }
}
