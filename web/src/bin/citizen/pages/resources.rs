//! `/citizen/resources`, linked from each child's card: a child's educational resources (single
//! sign-on, docs/sso.md), each resource of the child's schools with the parent's permission, to
//! give or withdraw (withdrawing signs the child out of it at once); the child's sign-ins, and
//! the parent's own.

use leptos::prelude::*;

use super::school::for_child;
use crate::api::{self, ApiError};
use crate::gql;
use crate::i18n::Key;
use crate::ui::{act, error_view, lang, loaded, t};
use adal_web::sign_ins::sign_ins;

type Resource = gql::sso_child::SsoChildSsoChildResources;

#[component]
pub fn ChildResourcesPage() -> impl IntoView {
    for_child(Key::SsoNav, |id| view! { <ChildResources child=id/> })
}

/// The resources of `child`'s schools, the child's sign-ins, and the parent's own sign-ins.
#[component]
fn ChildResources(child: String) -> impl IntoView {
    let child = StoredValue::new(child);
    let reload = RwSignal::new(0u32);
    let error: RwSignal<Option<ApiError>> = RwSignal::new(None);
    // The resource whose withdrawal waits for the parent's confirmation.
    let withdrawing: RwSignal<Option<String>> = RwSignal::new(None);
    let data = api::query::<gql::SsoChild>(move || {
        reload.track();
        gql::sso_child::Variables {
            child_id: child.get_value(),
        }
    });
    let set = move |client_id: String, allowed: bool| {
        withdrawing.set(None);
        let vars = gql::set_sso_child_consent::Variables {
            child_id: child.get_value(),
            client_id,
            allowed,
        };
        act(
            api::send::<gql::SetSsoChildConsent>(vars, Vec::new()),
            error,
            reload,
        );
    };
    let card = move |r: Resource| {
        let id = StoredValue::new(r.client_id.clone());
        let (class, state) = if r.allowed {
            ("badge ok", Key::SsoAllowed)
        } else {
            ("badge", Key::SsoNotAllowed)
        };
        let allowed = r.allowed;
        // From 14 the child decides on the consent page: no permission to give.
        let needs = r.needs_permission;
        let asking = move || withdrawing.get().as_deref() == Some(id.get_value().as_str());
        view! {
            <li class="card sso-resource" data-client=r.client_id>
                <p>
                    <strong>{r.name}</strong> " " <span class=class>{t(state)}</span>
                </p>
                {move || {
                    if asking() {
                        view! {
                            <div class="alert warn" role="alert">
                                <p>{t(Key::SsoWithdrawNote)}</p>
                                <div class="actions">
                                    <button type="button" class="sso-withdraw-yes" on:click=move |_| set(id.get_value(), false)>
                                        {t(Key::SsoWithdrawYes)}
                                    </button>
                                    <button type="button" class="secondary" on:click=move |_| withdrawing.set(None)>
                                        {t(Key::Cancel)}
                                    </button>
                                </div>
                            </div>
                        }
                        .into_any()
                    } else if allowed {
                        view! {
                            <button type="button" class="secondary sso-withdraw" on:click=move |_| withdrawing.set(Some(id.get_value()))>
                                {t(Key::SsoWithdraw)}
                            </button>
                        }
                        .into_any()
                    } else if !needs {
                        view! { <p class="muted sso-child-decides">{t(Key::SsoChildDecides)}</p> }.into_any()
                    } else {
                        view! {
                            <button type="button" class="sso-allow" on:click=move |_| set(id.get_value(), true)>
                                {t(Key::SsoAllow)}
                            </button>
                        }
                        .into_any()
                    }
                }}
            </li>
        }
    };
    let resources = move || {
        loaded(data.get(), move |d| {
            if d.sso_child_resources.is_empty() {
                return view! { <p class="empty-line">{t(Key::SsoChildNone)}</p> }.into_any();
            }
            let cards = d.sso_child_resources.into_iter().map(card).collect_view();
            view! { <ul class="cards" id="sso-resources">{cards}</ul> }.into_any()
        })
    };
    let lists = move || {
        loaded(data.get(), |d| {
            let l = lang();
            let child = d
                .child
                .into_iter()
                .map(|s| (s.at, s.resource, s.role))
                .collect();
            let mine = d
                .mine
                .into_iter()
                .map(|s| (s.at, s.resource, s.role))
                .collect();
            view! {
                <h2>{l.text(Key::SsoChildSignIns)}</h2>
                {sign_ins(l, "sso-child-sign-ins", child)}
                <h2>{l.text(Key::SsoMySignIns)}</h2>
                {sign_ins(l, "sso-my-sign-ins", mine)}
            }
            .into_any()
        })
    };
    view! {
        <section class="panel" id="sso-child">
            <p class="hint">{t(Key::SsoChildHint)}</p>
            {resources}
            {error_view(error)}
            {lists}
        </section>
    }
}
