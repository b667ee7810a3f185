//! A pupil's login for educational resources (single sign-on, `docs/sso.md`) on the person's
//! card, for the school's administrator: the login the pupil holds (and whether it was
//! withdrawn), issuing one or a new password (shown this once, to hand over on paper), and
//! withdrawing it.

use leptos::prelude::*;

use crate::api::{self, ApiError};
use crate::gql::school as gs;
use crate::i18n::Key;
use crate::ui::{act, error_view, lang, loaded, t};

type Issued = gs::school_issue_pupil_login::SchoolIssuePupilLoginIssuePupilLogin;

#[component]
pub fn PupilLogin(school: String, person: String) -> impl IntoView {
    let school = StoredValue::new(school);
    let person = StoredValue::new(person);
    let reload = RwSignal::new(0u32);
    let error: RwSignal<Option<ApiError>> = RwSignal::new(None);
    let issued: RwSignal<Option<Issued>> = RwSignal::new(None);
    let pending = RwSignal::new(false);
    let data = api::query::<gs::SchoolPupilLogins>(move || {
        reload.track();
        gs::school_pupil_logins::Variables {
            school_id: school.get_value(),
        }
    });
    let issue = move |_| {
        if pending.get_untracked() {
            return;
        }
        pending.set(true);
        error.set(None);
        issued.set(None);
        leptos::task::spawn_local(async move {
            let vars = gs::school_issue_pupil_login::Variables {
                school_id: school.get_value(),
                person_id: person.get_value(),
            };
            match api::call::<gs::SchoolIssuePupilLogin>(vars).await {
                Ok(d) => {
                    issued.set(Some(d.issue_pupil_login));
                    reload.update(|n| *n += 1);
                }
                Err(e) => error.set(Some(e)),
            }
            pending.set(false);
        });
    };
    let withdraw = move |_| {
        issued.set(None);
        let vars = gs::school_withdraw_pupil_login::Variables {
            school_id: school.get_value(),
            person_id: person.get_value(),
        };
        act(
            api::send::<gs::SchoolWithdrawPupilLogin>(vars, Vec::new()),
            error,
            reload,
        );
    };
    view! {
        <section id="pupil-login" aria-labelledby="pupil-login-title">
            <h3 id="pupil-login-title">{t(Key::PupilLoginTitle)}</h3>
            {move || loaded(data.get(), move |d| {
                let l = lang();
                let held = d.pupil_logins.into_iter().find(|x| x.person_id == person.get_value());
                let active = held.as_ref().is_some_and(|h| !h.withdrawn);
                let state = match held {
                    Some(h) => view! {
                        <p>
                            {l.text(Key::LoginLabel)} ": " <code id="pupil-login-name">{h.login}</code>
                            {h.withdrawn.then(|| view! {
                                " " <span class="badge bad" id="pupil-login-withdrawn">{l.text(Key::PupilLoginWithdrawn)}</span>
                            })}
                        </p>
                    }
                    .into_any(),
                    None => view! { <p class="muted" id="pupil-login-none">{l.text(Key::PupilLoginNone)}</p> }.into_any(),
                };
                let label = if active { Key::PupilLoginRenew } else { Key::PupilLoginIssue };
                view! {
                    {state}
                    <div class="actions">
                        <button type="button" id="issue-login" disabled=move || pending.get() on:click=issue>{l.text(label)}</button>
                        {active.then(|| view! {
                            <button type="button" class="secondary" id="withdraw-login" on:click=withdraw>{l.text(Key::PupilLoginWithdraw)}</button>
                        })}
                    </div>
                }
                .into_any()
            })}
            {move || issued.get().map(issued_box)}
            {error_view(error)}
        </section>
    }
}

/// The login and its password, shown this once, marked as such.
fn issued_box(i: Issued) -> impl IntoView {
    view! {
        <div class="alert warn" role="status" id="issued-box">
            <strong>{t(Key::PupilLoginIssued)}</strong>
            <dl class="facts">
                <div class="dl-row">
                    <dt>{t(Key::LoginLabel)}</dt>
                    <dd><code id="issued-login">{i.login}</code></dd>
                </div>
                <div class="dl-row">
                    <dt>{t(Key::PasswordLabel)}</dt>
                    <dd><code id="issued-password">{i.password}</code></dd>
                </div>
            </dl>
            <p>{t(Key::PupilLoginOnce)}</p>
            {i.reissued.then(|| view! { <p>{t(Key::PupilLoginReissued)}</p> })}
        </div>
    }
}
