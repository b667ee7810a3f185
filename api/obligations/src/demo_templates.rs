//! Demo templates in Kazakh, Russian and English, saved through the same checks as the
//! operator's (so the demo shows templates that pass them).

use sea_orm::DatabaseConnection;

use adal_notifications::purposes::{PurposeDef, REMINDER};
use adal_notifications::templates::{self, TemplateDraft};

use crate::notices::{BREACH_NOTICE, CONSENT_REQUEST, OBLIGATION_NOTICE};

/// (code, purpose, subjects kk/ru/en, bodies kk/ru/en)
const TEMPLATES: &[(&str, &PurposeDef, [&str; 3], [&str; 3])] = &[
    (
        "obligation_notice",
        &OBLIGATION_NOTICE,
        [
            "Грант бойынша міндеттеме",
            "Обязательство по гранту",
            "Your grant obligation",
        ],
        [
            "{name}, мемлекеттік грант бойынша {required_months} ай жұмыс істеуге міндеттісіз. Өтелгені: {credited_months} ай. Adal",
            "{name}, вы обязаны отработать {required_months} мес. по государственному гранту. Отработано: {credited_months} мес. Adal",
            "{name}, you must work off {required_months} months for your state grant. Credited: {credited_months}. Adal",
        ],
    ),
    (
        "breach_notice",
        &BREACH_NOTICE,
        [
            "Міндеттеме орындалмай тұр",
            "Обязательство не исполняется",
            "Obligation not met",
        ],
        [
            "{name}, грант бойынша {remaining_months} ай өтелмеген. Құжаттарды Adal-ға жіберіңіз, әйтпесе өтемақы талабы жасалады.",
            "{name}, по гранту не отработано {remaining_months} мес. Направьте документы в Adal, иначе будет предъявлено требование о возмещении.",
            "{name}, {remaining_months} months of your grant are not worked off. Send documents via Adal, or a reimbursement claim follows.",
        ],
    ),
    (
        "consent_request",
        &CONSENT_REQUEST,
        ["Келісім сұрауы", "Запрос согласия", "Consent request"],
        [
            "Adal: зейнетақы жарналары туралы деректерді сұратуға келісесіз бе? 15 минут ішінде {short_number}-ге 511 (иә) не 512 (жоқ) жіберіңіз.",
            "Adal: согласны на запрос сведений о пенсионных взносах? Ответьте на {short_number}: 511 (да) или 512 (нет) в течение 15 минут.",
            "Adal: do you consent to a request for your pension-contribution data? Reply 511 (yes) or 512 (no) to {short_number} within 15 minutes.",
        ],
    ),
    (
        "reminder",
        &REMINDER,
        ["Еске салу", "Напоминание", "Reminder"],
        [
            "{name}, жұмыс орныңыз өзгерсе, Adal порталында белгілеуді ұмытпаңыз.",
            "{name}, если сменили работу, не забудьте отметить это на портале Adal.",
            "{name}, if you changed jobs, remember to record it on the Adal portal.",
        ],
    ),
];

/// Saves the demo templates (by code: loading twice changes nothing new).
pub async fn seed_templates(db: &DatabaseConnection, actor: Option<i64>) -> anyhow::Result<usize> {
    for (code, purpose, subject, body) in TEMPLATES {
        let draft = TemplateDraft {
            code: (*code).to_owned(),
            purpose: adal_notifications::purposes::Purpose::of(purpose),
            subject: subject.map(str::to_owned),
            body: body.map(str::to_owned),
        };
        templates::save(db, actor, draft, 3, &crate::notices::template_variables())
            .await
            .map_err(|e| anyhow::anyhow!("demo template {code}: {}", e.message()))?;
    }
    Ok(TEMPLATES.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_templates_pass_the_checks() {
        for (code, purpose, subject, body) in TEMPLATES {
            let d = TemplateDraft {
                code: (*code).to_owned(),
                purpose: adal_notifications::purposes::Purpose::of(purpose),
                subject: subject.map(str::to_owned),
                body: body.map(str::to_owned),
            };
            assert!(
                templates::check(&d, 3, &crate::notices::template_variables()).is_ok(),
                "{code}"
            );
        }
    }
}
