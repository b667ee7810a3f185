//! Notification templates: a text per purpose in Kazakh, Russian and English with named
//! `{variables}`. The API checks them on save (unknown variables, SMS longer than the allowed
//! segments) and renders them with a real graduate's data for the preview.

use leptos::prelude::*;

use crate::api::{self, ApiError};
use crate::format;
use crate::gql::{self, NotificationPurpose};
use crate::i18n::{Key, Lang};
use crate::ui::{PageTitle, error_view, fill, lang, loaded, non_empty, t};
use adal_web::labels::purpose_key;
use adal_web::ui::can_write;

/// The editor's texts: subjects then bodies, each in kk, ru, en (the API's field suffixes).
const FIELDS: [&str; 6] = [
    "subjectKk",
    "subjectRu",
    "subjectEn",
    "bodyKk",
    "bodyRu",
    "bodyEn",
];

type Template = gql::notification_templates::NotificationTemplatesNotificationTemplates;

/// The template being edited.
#[derive(Clone, Copy)]
struct Draft {
    code: RwSignal<String>,
    purpose: RwSignal<NotificationPurpose>,
    texts: [RwSignal<String>; 6],
}

impl Draft {
    fn load(self, t: &Template) {
        self.code.set(t.code.clone());
        self.purpose
            .set(t.purpose.unwrap_or(NotificationPurpose::Information));
        let values = [
            &t.subject_kk,
            &t.subject_ru,
            &t.subject_en,
            &t.body_kk,
            &t.body_ru,
            &t.body_en,
        ];
        for (sig, v) in self.texts.iter().zip(values) {
            sig.set(v.clone());
        }
    }

    fn text(self, i: usize) -> String {
        self.texts[i].get_untracked()
    }

    /// The draft as a template of the list (after it is saved).
    fn template(self) -> Template {
        Template {
            id: String::new(),
            code: self.code.get_untracked().trim().to_string(),
            purpose: Some(self.purpose.get_untracked()),
            subject_kk: self.text(0),
            subject_ru: self.text(1),
            subject_en: self.text(2),
            body_kk: self.text(3),
            body_ru: self.text(4),
            body_en: self.text(5),
            max_segments: Vec::new(),
        }
    }
}

/// The `TemplateInput` of an operation (each has its own generated type).
macro_rules! template_input {
    ($($ty:ident)::+, $d:expr) => {
        $($ty)::+ {
            code: $d.code.get_untracked(),
            purpose: $d.purpose.get_untracked(),
            subject_kk: $d.text(0),
            subject_ru: $d.text(1),
            subject_en: $d.text(2),
            body_kk: $d.text(3),
            body_ru: $d.text(4),
            body_en: $d.text(5),
        }
    };
}

#[component]
pub fn TemplatesPage() -> impl IntoView {
    let data =
        api::query::<gql::NotificationTemplates>(|| gql::notification_templates::Variables {});
    view! {
        <PageTitle key=Key::NavTemplates/>
        {move || loaded(data.get(), |d| {
            let variables = d.template_variables.into_iter().map(|v| v.name).collect();
            view! { <Editor templates=d.notification_templates variables=variables/> }.into_any()
        })}
    }
}

#[component]
fn Editor(templates: Vec<Template>, variables: Vec<String>) -> impl IntoView {
    let draft = Draft {
        code: RwSignal::new(String::new()),
        purpose: RwSignal::new(NotificationPurpose::Information),
        texts: std::array::from_fn(|_| RwSignal::new(String::new())),
    };
    if let Some(first) = templates.first() {
        draft.load(first);
    }
    let error: RwSignal<Option<ApiError>> = RwSignal::new(None);
    let saved = RwSignal::new(false);
    let templates = RwSignal::new(templates);
    let on_pick = move |ev: leptos::ev::Event| {
        let code = event_target_value(&ev);
        error.set(None);
        saved.set(false);
        match templates.with_untracked(|ts| ts.iter().find(|t| t.code == code).cloned()) {
            Some(t) => draft.load(&t),
            None => {
                draft.code.set(String::new());
                for sig in draft.texts {
                    sig.set(String::new());
                }
            }
        }
    };
    let on_save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        error.set(None);
        saved.set(false);
        let input = template_input!(gql::save_template::TemplateInput, draft);
        leptos::task::spawn_local(async move {
            let vars = gql::save_template::Variables { input };
            match api::send::<gql::SaveTemplate>(vars, Vec::new()).await {
                Ok(()) => {
                    // The list offers what was saved, a new code too.
                    let t = draft.template();
                    templates.update(|ts| match ts.iter_mut().find(|x| x.code == t.code) {
                        Some(x) => *x = t,
                        None => ts.push(t),
                    });
                    saved.set(true);
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let options = move || {
        let current = draft.code.get_untracked();
        templates.with(|ts| {
            ts.iter()
                .map(|t| {
                    let selected = t.code == current;
                    view! { <option value=t.code.clone() selected=selected>{t.code.clone()}</option> }
                })
                .collect_view()
        })
    };
    let fields = FIELDS
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let sig = draft.texts[i];
            let language = Lang::ALL[i % 3];
            let id = format!("tpl-{name}");
            let label = move || {
                let key = if i < 3 { Key::SubjectIn } else { Key::TextIn };
                fill(lang().text(key), &[("lang", language.endonym().to_string())])
            };
            let invalid = move || error.with(|e| e.as_ref().is_some_and(|e| e.is_about(name)));
            let input = move |ev| sig.set(event_target_value(&ev));
            let control = if i < 3 {
                view! { <input id=id.clone() type="text" prop:value=move || sig.get() on:input=input aria-invalid=move || invalid().to_string()/> }.into_any()
            } else {
                let count = move || fill(lang().text(Key::Characters), &[("n", format::number(lang(), sig.with(|s| s.chars().count()) as i64))]);
                view! {
                    <textarea id=id.clone() rows="3" prop:value=move || sig.get() on:input=input aria-invalid=move || invalid().to_string()></textarea>
                    <p class="hint">{count}</p>
                }
                    .into_any()
            };
            view! {
                <div class="field">
                    <label for=id>{label}</label>
                    {control}
                </div>
            }
        })
        .collect_view();
    let variables = variables
        .into_iter()
        .map(|v| view! { <li><code>{format!("{{{v}}}")}</code></li> })
        .collect_view();
    view! {
        <div class="filters">
            <div class="field">
                <label for="tpl-select">{t(Key::Template)}</label>
                <select id="tpl-select" on:change=on_pick>
                    {options}
                    <option value="">{t(Key::NewTemplate)}</option>
                </select>
            </div>
        </div>
        <form class="panel" id="template-form" on:submit=on_save novalidate=true>
            <div class="form-row">
                <div class="field">
                    <label for="tpl-code">{t(Key::Code)}</label>
                    <input id="tpl-code" type="text" required=true prop:value=move || draft.code.get() on:input=move |ev| draft.code.set(event_target_value(&ev))/>
                </div>
                <div class="field">
                    <label for="tpl-purpose">{t(Key::Purpose)}</label>
                    <select id="tpl-purpose" on:change=move |ev| draft.purpose.set(NotificationPurpose::parse(&event_target_value(&ev)))>
                        {NotificationPurpose::ALL
                            .iter()
                            .filter(|p| **p != NotificationPurpose::ConsentAnswer)
                            .map(|p| {
                                let p = *p;
                                view! { <option value=p.as_str() selected=move || draft.purpose.get() == p>{t(purpose_key(Some(p)))}</option> }
                            })
                            .collect_view()}
                    </select>
                </div>
            </div>
            <p class="hint">{t(Key::VariablesHint)}</p>
            <ul class="chips" id="tpl-variables">{variables}</ul>
            {fields}
            {error_view(error)}
            {move || saved.get().then(|| view! { <p class="alert success" role="status" id="tpl-saved">{t(Key::TemplateSaved)}</p> })}
            {can_write().then(|| view! { <button type="submit" id="tpl-save">{t(Key::Save)}</button> })}
        </form>
        <Preview draft=draft/>
    }
}

/// The draft rendered with a real graduate's data in the three languages.
#[component]
fn Preview(draft: Draft) -> impl IntoView {
    let graduate = RwSignal::new(String::new());
    let error: RwSignal<Option<ApiError>> = RwSignal::new(None);
    let shown: RwSignal<Vec<gql::preview_template::PreviewTemplatePreviewTemplate>> =
        RwSignal::new(Vec::new());
    let graduates = api::query::<gql::Graduates>(|| gql::graduates::Variables {
        filter: None,
        first: Some(50),
        after: None,
        language: None,
    });
    let on_preview = move |_| {
        error.set(None);
        let input = template_input!(gql::preview_template::TemplateInput, draft);
        // The graduate chosen, or the first of the list (the menu shows it selected).
        let graduate_id = non_empty(graduate.get_untracked()).unwrap_or_else(|| {
            graduates
                .get_untracked()
                .and_then(Result::ok)
                .and_then(|d| d.graduates.nodes.into_iter().next())
                .map(|g| g.id)
                .unwrap_or_default()
        });
        leptos::task::spawn_local(async move {
            let vars = gql::preview_template::Variables {
                graduate_id,
                input: Some(input),
            };
            match api::call::<gql::PreviewTemplate>(vars).await {
                Ok(d) => shown.set(d.preview_template),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let cards = move || {
        let l = lang();
        shown
            .get()
            .into_iter()
            .map(|p| {
                let language = Lang::from_api(p.language);
                let figures = fill(
                    l.text(Key::PreviewFigures),
                    &[
                        ("n", format::number(l, p.characters)),
                        ("segments", format::number(l, p.sms_segments)),
                    ],
                );
                view! {
                    <li class="card preview" data-lang=language.code()>
                        <h3>{language.endonym()} {p.preferred.then(|| view! { " " <span class="badge ok">{l.text(Key::GraduatesLanguage)}</span> })}</h3>
                        <p><strong>{p.subject}</strong></p>
                        <p class="preview-body">{p.body}</p>
                        <p class="hint">{figures}</p>
                    </li>
                }
            })
            .collect_view()
    };
    view! {
        <section class="panel" aria-labelledby="preview-title">
            <h2 id="preview-title">{t(Key::Preview)}</h2>
            <div class="form-row">
                <div class="field">
                    <label for="tpl-graduate">{t(Key::PreviewWith)}</label>
                    <select id="tpl-graduate" on:change=move |ev| graduate.set(event_target_value(&ev))>
                        {move || {
                            graduates
                                .get()
                                .and_then(Result::ok)
                                .map(|d| {
                                    d.graduates
                                        .nodes
                                        .into_iter()
                                        .map(|g| view! { <option value=g.id>{g.full_name}</option> })
                                        .collect_view()
                                })
                        }}
                    </select>
                </div>
                <button type="button" class="secondary" id="tpl-preview" on:click=on_preview>{t(Key::Preview)}</button>
            </div>
            {error_view(error)}
            <ul class="cards" id="previews">{cards}</ul>
        </section>
    }
}
