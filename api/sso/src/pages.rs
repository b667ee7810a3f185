//! The sign-in and consent pages of the authorization endpoint: short server-rendered HTML
//! in the person's language (kk, ru, en), readable at 390 px, posting back to the request's
//! own address. Every value from outside is escaped.

use crate::service::ConsentView;

/// A text of the pages in a language (`kk`, `ru`, anything else: `en`).
pub fn t(lang: &str, key: &str) -> &'static str {
    let (kk, ru, en) = match key {
        "title" => ("Adal арқылы кіру", "Вход через Adal", "Sign in with Adal"),
        "asks" => (
            "ресурсы Adal арқылы кіруді сұрайды.",
            "просит войти через Adal.",
            "asks you to sign in with Adal.",
        ),
        "login" => ("Логин", "Логин", "Login"),
        "password" => ("Құпиясөз", "Пароль", "Password"),
        "sign_in" => ("Кіру", "Войти", "Sign in"),
        "pin_intro" => (
            "Оқушы мектептің PIN-кодымен кіре алады",
            "Ученик может войти по школьному PIN-коду",
            "A pupil may sign in with the school PIN",
        ),
        "school" => ("Мектеп", "Школа", "School"),
        "pin" => ("PIN-код", "PIN-код", "PIN"),
        "wrong" => (
            "Деректер дұрыс емес. Қайта көріңіз.",
            "Неверные данные. Попробуйте ещё раз.",
            "These details are not right. Try again.",
        ),
        "code" => (
            "Қосымшадағы код",
            "Код из приложения",
            "Code from the authenticator app",
        ),
        "code_needed" => (
            "Бұл тіркелгіге екінші фактор қосылған: құпиясөзді қайта енгізіп, аутентификатор қосымшасы көрсететін кодты жазыңыз.",
            "Для этой учётной записи включён второй фактор: введите пароль ещё раз и код, который показывает приложение-аутентификатор.",
            "This account has a second factor: enter the password again and the code your authenticator app shows.",
        ),
        "wrong_code" => (
            "Код дұрыс емес немесе бұрын қолданылған. Құпиясөзді және қосымшадағы жаңа кодты енгізіңіз.",
            "Код неверный или уже использован. Введите пароль и новый код из приложения.",
            "The code is wrong or was used already. Enter the password and the app's new code.",
        ),
        "not_for_you" => (
            "Бұл тіркелгі осы ресурсты пайдалана алмайды.",
            "С этой учётной записью нельзя пользоваться этим ресурсом.",
            "This account cannot use this resource.",
        ),
        "receives" => ("ресурсы мыналарды алады:", "получит:", "will receive:"),
        "sub" => (
            "тек осы ресурсқа арналған белгі (ЖСН емес)",
            "идентификатор только для этого ресурса (не ИИН)",
            "an identifier for this resource only (not your IIN)",
        ),
        "role" => (
            "рөліңіз (оқушы, мұғалім немесе ата-ана)",
            "вашу роль (ученик, учитель или родитель)",
            "your role (pupil, teacher or parent)",
        ),
        "locale" => ("тіліңіз", "ваш язык", "your language"),
        "class" => ("сыныбыңыз", "ваш класс", "your class"),
        "your_school" => ("мектебіңіз", "вашу школу", "your school"),
        "nothing_else" => (
            "Басқа ештеңе берілмейді.",
            "Больше ничего передано не будет.",
            "Nothing else is shared.",
        ),
        "allow" => ("Рұқсат беру", "Разрешить", "Allow"),
        "deny" => ("Бас тарту", "Отказать", "Deny"),
        "parent_needed" => (
            "Бұл ресурсты пайдалану үшін алдымен ата-анаң Adal-дағы өз кабинетінде рұқсат беруі керек.",
            "Чтобы пользоваться этим ресурсом, родитель должен сначала разрешить его в своём кабинете Adal.",
            "A parent must first allow this resource in their Adal account before you can use it.",
        ),
        "expired" => (
            "Бұл бет ескірді. Ресурсқа оралып, қайта бастаңыз.",
            "Эта страница устарела. Вернитесь на ресурс и начните снова.",
            "This page has expired. Go back to the resource and start again.",
        ),
        "unknown_client" => (
            "Бұл ресурс Adal-да тіркелмеген.",
            "Этот ресурс не зарегистрирован в Adal.",
            "This resource is not registered with Adal.",
        ),
        "redirect_uri" => (
            "Қайту мекенжайы ресурстың тіркелуіне сәйкес емес.",
            "Адрес возврата не совпадает с регистрацией ресурса.",
            "The return address does not match the resource's registration.",
        ),
        "signed_out" => (
            "Сіз ресурстан шықтыңыз.",
            "Вы вышли из ресурса.",
            "You are signed out of the resource.",
        ),
        _ => ("", "", ""),
    };
    match lang {
        "kk" => kk,
        "ru" => ru,
        _ => en,
    }
}

/// Text for HTML (element content and quoted attributes).
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const STYLE: &str = "body{font-family:system-ui,sans-serif;margin:0;padding:1rem;\
max-width:26rem;margin-inline:auto;line-height:1.4}h1{font-size:1.3rem}\
label{display:block;margin-top:.75rem}input,select{width:100%;box-sizing:border-box;\
padding:.6rem;font-size:1rem}button{margin-top:1rem;padding:.7rem 1rem;font-size:1rem;\
width:100%}fieldset{margin-top:1rem;border:1px solid #ccc}.error{color:#a00}";

fn page(lang: &str, body: &str) -> String {
    format!(
        "<!doctype html><html lang=\"{lang}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\
         <title>{}</title><style>{STYLE}</style></head><body><main>{body}</main></body></html>",
        t(lang, "title")
    )
}

/// What the sign-in form shows besides its fields.
#[derive(Default)]
pub struct SignInForm<'a> {
    /// The key of the text explaining why the form is shown again.
    pub error: Option<&'a str>,
    /// The login whose second factor is asked for: the form keeps it, asks the password again
    /// (a page never holds one) and adds the code field.
    pub code_for: Option<&'a str>,
}

/// The sign-in form: login and password (and the authenticator app's code when the account
/// has a second factor), and where the school chose it, school and PIN.
pub fn sign_in(
    lang: &str,
    request_id: &str,
    client_name: &str,
    pin_schools: &[(i64, String)],
    form: SignInForm<'_>,
) -> String {
    let error = form.error;
    let action = format!("/oidc/authorize/{}", esc(request_id));
    let mut body = format!(
        "<h1>{}</h1><p><strong>{}</strong> {}</p>",
        t(lang, "title"),
        esc(client_name),
        t(lang, "asks")
    );
    if let Some(e) = error {
        body.push_str(&format!(
            "<p class=\"error\" role=\"alert\">{}</p>",
            t(lang, e)
        ));
    }
    let kept_login = form
        .code_for
        .map(|l| format!(" value=\"{}\"", esc(l)))
        .unwrap_or_default();
    let code_field = if form.code_for.is_some() {
        format!(
            "<label for=\"code\">{}</label><input id=\"code\" name=\"code\" inputmode=\"numeric\" \
             autocomplete=\"one-time-code\" pattern=\"[0-9 ]{{6,7}}\" required>",
            t(lang, "code")
        )
    } else {
        String::new()
    };
    body.push_str(&format!(
        "<form method=\"post\" action=\"{action}\"><input type=\"hidden\" name=\"step\" value=\"password\">\
         <label for=\"login\">{}</label><input id=\"login\" name=\"login\" autocomplete=\"username\"{kept_login} required>\
         <label for=\"password\">{}</label><input id=\"password\" name=\"password\" type=\"password\" \
         autocomplete=\"current-password\" required>{code_field}<button type=\"submit\">{}</button></form>",
        t(lang, "login"),
        t(lang, "password"),
        t(lang, "sign_in")
    ));
    if !pin_schools.is_empty() {
        let options: String = pin_schools
            .iter()
            .map(|(id, name)| format!("<option value=\"{id}\">{}</option>", esc(name)))
            .collect();
        body.push_str(&format!(
            "<form method=\"post\" action=\"{action}\"><fieldset><legend>{}</legend>\
             <input type=\"hidden\" name=\"step\" value=\"pin\">\
             <label for=\"school\">{}</label><select id=\"school\" name=\"school_id\">{options}</select>\
             <label for=\"pin\">{}</label><input id=\"pin\" name=\"pin\" type=\"password\" \
             inputmode=\"numeric\" autocomplete=\"off\" required><button type=\"submit\">{}</button>\
             </fieldset></form>",
            t(lang, "pin_intro"),
            t(lang, "school"),
            t(lang, "pin"),
            t(lang, "sign_in")
        ));
    }
    page(lang, &body)
}

/// The consent step: what the resource will receive, or that a parent must allow it first.
pub fn consent(request_id: &str, view: &ConsentView) -> String {
    let lang = view.language.as_str();
    let name = esc(&view.client_name);
    if view.needs_parent {
        return page(
            lang,
            &format!(
                "<h1>{name}</h1><p role=\"alert\" id=\"parent-needed\">{}</p>",
                t(lang, "parent_needed")
            ),
        );
    }
    let mut items = format!("<li>{}</li>", t(lang, "sub"));
    for claim in &view.receives {
        let key = if *claim == "school" {
            "your_school"
        } else {
            claim
        };
        items.push_str(&format!("<li>{}</li>", t(lang, key)));
    }
    let action = format!("/oidc/authorize/{}", esc(request_id));
    page(
        lang,
        &format!(
            "<h1>{name}</h1><p><strong>{name}</strong> {}</p><ul>{items}</ul><p>{}</p>\
             <form method=\"post\" action=\"{action}\"><input type=\"hidden\" name=\"step\" value=\"allow\">\
             <button type=\"submit\">{}</button></form>\
             <form method=\"post\" action=\"{action}\"><input type=\"hidden\" name=\"step\" value=\"deny\">\
             <button type=\"submit\">{}</button></form>",
            t(lang, "receives"),
            t(lang, "nothing_else"),
            t(lang, "allow"),
            t(lang, "deny")
        ),
    )
}

/// An error page (the request cannot go back to the resource).
pub fn error(lang: &str, key: &str) -> String {
    page(
        lang,
        &format!(
            "<h1>{}</h1><p role=\"alert\">{}</p>",
            t(lang, "title"),
            t(lang, key)
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::SsoRole;

    #[test]
    fn every_text_exists_in_three_languages() {
        for key in [
            "title",
            "asks",
            "login",
            "password",
            "sign_in",
            "pin_intro",
            "school",
            "pin",
            "wrong",
            "code",
            "code_needed",
            "wrong_code",
            "not_for_you",
            "receives",
            "sub",
            "role",
            "locale",
            "class",
            "your_school",
            "nothing_else",
            "allow",
            "deny",
            "parent_needed",
            "expired",
            "unknown_client",
            "redirect_uri",
            "signed_out",
        ] {
            for lang in ["kk", "ru", "en"] {
                assert!(!t(lang, key).is_empty(), "{key} in {lang}");
            }
            assert_ne!(t("kk", key), t("en", key), "{key}: Kazakh is not English");
        }
    }

    #[test]
    fn pages_escape_what_comes_from_outside() {
        let view = ConsentView {
            client_name: "<script>x</script>".into(),
            role: SsoRole::Pupil,
            receives: vec!["role", "locale", "school", "class"],
            needs_parent: false,
            language: "ru".into(),
        };
        let html = consent("id\"", &view);
        assert!(!html.contains("<script>x"));
        assert!(html.contains("ваш класс"));
        assert!(html.contains("/oidc/authorize/id&quot;"));
    }
}
