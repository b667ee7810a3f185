//! Templates: a text per purpose in kk, ru and en with named `{variables}`, checked on save
//! (unknown variables, SMS longer than the configured segments) and rendered per person.

use std::collections::HashMap;

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    IntoActiveModel, QueryFilter, QueryOrder, Set,
};
use serde_json::json;

use entities::notification_template;

use super::purposes::Purpose;
use crate::subjects::Variable;
use crate::vocab::NotificationRefusal;
use adal_core::audit;
use adal_core::error::{ApiError, ApiResult};
use adal_core::vocab::Language;

/// A text split into literal parts and variable names.
#[derive(Debug, PartialEq, Eq)]
enum Part<'a> {
    Text(&'a str),
    Var(&'a str),
}

fn parse(text: &str) -> Result<Vec<Part<'_>>, String> {
    let mut parts = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find(['{', '}']) {
        if rest[open..].starts_with('}') {
            return Err("a `}` without its `{`".into());
        }
        if open > 0 {
            parts.push(Part::Text(&rest[..open]));
        }
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else {
            return Err("a `{` without its `}`".into());
        };
        let name = &after[..close];
        if name.is_empty() || name.contains('{') {
            return Err("an empty or nested `{}`".into());
        }
        parts.push(Part::Var(name));
        rest = &after[close + 1..];
    }
    if !rest.is_empty() {
        parts.push(Part::Text(rest));
    }
    Ok(parts)
}

/// Characters of the GSM 7-bit alphabet (basic set) and those taking two septets (extension).
const GSM_BASIC: &str = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
const GSM_EXTENDED: &str = "^{}\\[~]|€\u{c}";

/// How many SMS segments a text takes: GSM-7 (160, or 153 per part) when every character is
/// in the GSM alphabet, otherwise UCS-2 (70, or 67 per part), as Kazakh and Russian texts are.
pub fn sms_segments(text: &str) -> u32 {
    let gsm = text
        .chars()
        .all(|c| GSM_BASIC.contains(c) || GSM_EXTENDED.contains(c));
    let (units, single, multi) = if gsm {
        let septets: usize = text
            .chars()
            .map(|c| if GSM_EXTENDED.contains(c) { 2 } else { 1 })
            .sum();
        (septets, 160, 153)
    } else {
        (text.encode_utf16().count(), 70, 67)
    };
    if units == 0 {
        0
    } else if units <= single {
        1
    } else {
        units.div_ceil(multi) as u32
    }
}

/// Fills a checked text; an unknown variable (possible only in a text never checked) stays as is.
pub fn render(text: &str, vars: &HashMap<&'static str, String>) -> String {
    let Ok(parts) = parse(text) else {
        return text.to_owned();
    };
    let mut out = String::with_capacity(text.len() + 32);
    for p in parts {
        match p {
            Part::Text(t) => out.push_str(t),
            Part::Var(v) => match vars.get(v) {
                Some(value) => out.push_str(value),
                None => {
                    out.push('{');
                    out.push_str(v);
                    out.push('}');
                }
            },
        }
    }
    out
}

/// Checks one text: its variables are known and, for SMS, its longest rendering fits.
pub fn check_text(
    field: &str,
    text: &str,
    max_segments: Option<u32>,
    variables: &[Variable],
) -> ApiResult<()> {
    let parts = parse(text).map_err(|e| ApiError::bad_input(field, e))?;
    let mut longest = String::new();
    for p in &parts {
        match p {
            Part::Text(t) => longest.push_str(t),
            Part::Var(v) => {
                let Some((_, len, _)) = variables.iter().find(|(n, _, _)| n == v) else {
                    let known: Vec<&str> = variables.iter().map(|(n, _, _)| *n).collect();
                    return Err(ApiError::BadInputBecause {
                        field: field.to_owned(),
                        reason: NotificationRefusal::UnknownVariable.into(),
                        value: (*v).to_owned(),
                        message: format!(
                            "unknown variable {{{v}}}; known: {}",
                            known
                                .iter()
                                .map(|k| format!("{{{k}}}"))
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    });
                };
                // The longest value, in the costliest alphabet.
                longest.extend(std::iter::repeat_n('Ж', *len));
            }
        }
    }
    if let Some(max) = max_segments {
        let n = sms_segments(&longest);
        if n > max {
            return Err(ApiError::BadInputBecause {
                field: field.to_owned(),
                reason: NotificationRefusal::SmsTooLong.into(),
                value: n.to_string(),
                message: format!(
                    "as an SMS this text can take {n} segments; at most {max} are allowed (variables counted at their longest)"
                ),
            });
        }
    }
    Ok(())
}

/// A template as entered.
#[derive(Debug, Clone)]
pub struct TemplateDraft {
    pub code: String,
    pub purpose: Purpose,
    pub subject: [String; 3],
    pub body: [String; 3],
}

const LANGS: [(&str, Language); 3] = [
    ("Kk", Language::Kk),
    ("Ru", Language::Ru),
    ("En", Language::En),
];

/// Checks a draft: a code, three non-empty bodies with known variables that fit the SMS limit.
pub fn check(d: &TemplateDraft, max_segments: u32, variables: &[Variable]) -> ApiResult<()> {
    let code = d.code.trim();
    if code.is_empty()
        || code.len() > 64
        || !code
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '.')
    {
        return Err(ApiError::bad_input(
            "code",
            "a code of 1 to 64 latin letters, digits, `_`, `-` or `.`",
        ));
    }
    for (i, (suffix, _)) in LANGS.iter().enumerate() {
        let body = d.body[i].trim();
        let field = format!("body{suffix}");
        if body.is_empty() {
            return Err(ApiError::bad_input(&field, "the text is empty"));
        }
        check_text(&field, body, Some(max_segments), variables)?;
        let subject = d.subject[i].trim();
        if subject.chars().count() > 200 {
            return Err(ApiError::bad_input(
                &format!("subject{suffix}"),
                "at most 200 characters",
            ));
        }
        check_text(&format!("subject{suffix}"), subject, None, variables)?;
    }
    Ok(())
}

/// Creates or updates (by code) a checked template.
pub async fn save(
    db: &DatabaseConnection,
    actor: Option<i64>,
    d: TemplateDraft,
    max_segments: u32,
    variables: &[Variable],
) -> ApiResult<notification_template::Model> {
    check(&d, max_segments, variables)?;
    let code = d.code.trim().to_owned();
    let existing = notification_template::Entity::find()
        .filter(notification_template::Column::Code.eq(code.clone()))
        .one(db)
        .await?;
    let now = Utc::now();
    let t = |s: &str| s.trim().to_owned();
    let saved = match existing {
        Some(m) => {
            let mut am = m.into_active_model();
            am.purpose = Set(d.purpose.as_str().into());
            am.subject_kk = Set(t(&d.subject[0]));
            am.subject_ru = Set(t(&d.subject[1]));
            am.subject_en = Set(t(&d.subject[2]));
            am.body_kk = Set(t(&d.body[0]));
            am.body_ru = Set(t(&d.body[1]));
            am.body_en = Set(t(&d.body[2]));
            am.updated_by = Set(actor);
            am.updated_at = Set(now);
            am.update(db).await?
        }
        None => {
            notification_template::ActiveModel {
                code: Set(code),
                purpose: Set(d.purpose.as_str().into()),
                subject_kk: Set(t(&d.subject[0])),
                subject_ru: Set(t(&d.subject[1])),
                subject_en: Set(t(&d.subject[2])),
                body_kk: Set(t(&d.body[0])),
                body_ru: Set(t(&d.body[1])),
                body_en: Set(t(&d.body[2])),
                updated_by: Set(actor),
                updated_at: Set(now),
                ..Default::default()
            }
            .insert(db)
            .await?
        }
    };
    audit::record(
        db,
        actor,
        "template.save",
        "notification_template",
        saved.id,
        json!({ "code": saved.code, "purpose": saved.purpose }),
    )
    .await?;
    Ok(saved)
}

pub async fn list(db: &impl ConnectionTrait) -> ApiResult<Vec<notification_template::Model>> {
    Ok(notification_template::Entity::find()
        .order_by_asc(notification_template::Column::Code)
        .all(db)
        .await?)
}

pub async fn get(db: &impl ConnectionTrait, id: i64) -> ApiResult<notification_template::Model> {
    notification_template::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(ApiError::NotFound("template"))
}

/// The subject and body of a template in a language.
pub fn texts(t: &notification_template::Model, lang: Language) -> (&str, &str) {
    (
        lang.pick(&t.subject_kk, &t.subject_ru, &t.subject_en),
        lang.pick(&t.body_kk, &t.body_ru, &t.body_en),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const VARS: &[Variable] = &[
        ("name", 30, "first name"),
        ("remaining_months", 3, "months still to work"),
    ];

    #[test]
    fn variables_are_parsed_and_unknown_ones_refused() {
        assert!(
            check_text(
                "body",
                "Hello {name}, {remaining_months} left",
                Some(1),
                VARS
            )
            .is_ok()
        );
        let e = check_text("bodyRu", "Привет {nmae}", Some(3), VARS).unwrap_err();
        assert_eq!(e.code(), "BAD_USER_INPUT");
        assert!(e.message().contains("{nmae}"), "{}", e.message());
        assert!(check_text("b", "broken {name", None, VARS).is_err());
        assert!(check_text("b", "broken name}", None, VARS).is_err());
    }

    #[test]
    fn segments_follow_the_alphabet() {
        assert_eq!(sms_segments(&"a".repeat(160)), 1);
        assert_eq!(sms_segments(&"a".repeat(161)), 2);
        assert_eq!(sms_segments(&"ж".repeat(70)), 1);
        assert_eq!(sms_segments(&"ж".repeat(71)), 2);
        assert_eq!(sms_segments(&"ж".repeat(134)), 2);
        assert_eq!(sms_segments(&"ж".repeat(135)), 3);
        // Variables count at their longest: 30 + 50 > 70 characters.
        assert!(check_text("b", &format!("{{name}}{}", "ж".repeat(50)), Some(1), VARS).is_err());
    }

    #[test]
    fn rendering_fills_variables() {
        let vars = HashMap::from([("name", "Дамир".to_owned())]);
        assert_eq!(render("Сәлем, {name}!", &vars), "Сәлем, Дамир!");
    }
}
