//! The names people read for the obligations vocabularies, in kk, ru and en, where the server
//! itself writes them (exports). The web has the same words in its catalogue.

use adal_core::vocab::Language;

use super::vocab::{FundingCategory, ObligationStatus};

/// A specialty's name as a person reads it: the classifier's name in `l` (`SPECIALTIES`
/// imports), else the name the university gave where the classifier lacks the code.
pub fn specialty(
    classified: Option<&entities::specialty::Model>,
    given: &str,
    l: Language,
) -> String {
    classified.map_or_else(
        || given.to_owned(),
        |s| l.pick(&s.name_kk, &s.name_ru, &s.name_en).to_owned(),
    )
}

/// An obligation status as a person reads it.
pub fn status(s: ObligationStatus, l: Language) -> &'static str {
    use ObligationStatus as S;
    match s {
        S::NotStarted => l.pick("Басталмаған", "Не начато", "Not started"),
        S::Working => l.pick("Жұмыс істеп жүр", "Отрабатывает", "Working"),
        S::Gap => l.pick("Жұмыста үзіліс", "Перерыв в работе", "Gap in work"),
        S::NonQualifying => l.pick(
            "Жұмыс есепке алынбайды",
            "Работа не засчитывается",
            "Work does not count",
        ),
        S::Suspended => l.pick("Тоқтатылған", "Приостановлено", "Suspended"),
        S::Exempt => l.pick("Босатылған", "Освобождён", "Exempt"),
        S::Fulfilled => l.pick("Орындалды", "Исполнено", "Fulfilled"),
        S::Breach => l.pick("Міндеттеме бұзылды", "Нарушение обязательства", "Breach"),
        S::Reimbursing => l.pick("Қаражатты өтеуде", "Возмещает средства", "Reimbursing"),
        S::Closed => l.pick("Жабылған", "Закрыто", "Closed"),
    }
}

/// A funding category as a person reads it.
pub fn category(c: FundingCategory, l: Language) -> &'static str {
    use FundingCategory as C;
    match c {
        C::RuralQuota => l.pick("Ауылдық квота", "Сельская квота", "Rural quota"),
        C::Serpin => l.pick(
            "«Серпін» бағдарламасы",
            "Программа «Серпін»",
            "Serpin programme",
        ),
        C::StateOrder => l.pick(
            "Мемлекеттік тапсырыс",
            "Государственный заказ",
            "State order",
        ),
        C::Phd => l.pick("PhD докторантурасы", "Докторантура PhD", "PhD doctorate"),
        C::DoctorByProfile => l.pick(
            "Бейіндік докторантура",
            "Докторантура по профилю",
            "Doctorate by profile",
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_status_and_category_has_three_different_words() {
        for s in ObligationStatus::ALL {
            let words: Vec<&str> = Language::ALL.iter().map(|l| status(*s, *l)).collect();
            assert!(words.iter().all(|w| !w.is_empty()));
            assert_ne!(words[0], words[1]);
        }
        for c in FundingCategory::ALL {
            let words: Vec<&str> = Language::ALL.iter().map(|l| category(*c, *l)).collect();
            assert_ne!(words[1], words[2]);
        }
    }
}
