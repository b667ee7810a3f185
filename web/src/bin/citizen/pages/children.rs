//! The parent's portal.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::api;
use crate::format;
use crate::gql::{self, MyChildren as MyChildrenQuery};
use crate::i18n::Key;
use crate::ui::{EmptyState, ErrorBox, Loading, PageTitle, lang, t};

/// "My children": the children linked to the signed-in parent.
#[component]
pub fn MyChildren() -> impl IntoView {
    let data = api::query::<MyChildrenQuery>(|| gql::my_children::Variables {});
    view! {
        <PageTitle key=Key::NavMyChildren/>
        {move || match data.get() {
            None => view! { <Loading/> }.into_any(),
            Some(Err(e)) => view! { <ErrorBox error=e/> }.into_any(),
            Some(Ok(d)) if d.my_children.is_empty() => {
                view! { <EmptyState title=Key::NoDataYet text=Key::EmptyChildren/> }.into_any()
            }
            Some(Ok(d)) => view! {
                <ul class="cards" id="children">
                    {d
                        .my_children
                        .into_iter()
                        .map(|c| {
                            let born = c.birth_date.clone();
                            let page = format!("/citizen/attendance?child={}", c.id);
                            let links = [
                                ("/citizen/attendance?child=", Key::ChildToday),
                                ("/citizen/meals?child=", Key::NavMeals),
                                ("/citizen/allergens?child=", Key::NavAllergens),
                                ("/citizen/account?child=", Key::NavSchoolAccount),
                                ("/citizen/resources?child=", Key::SsoNav),
                            ]
                            .map(|(path, key)| view! { <A href=String::from(path) + &c.id>{t(key)}</A> });
                            view! {
                                <li class="card">
                                    <h2><A href=page>{c.full_name}</A></h2>
                                    {born.map(|b| view! {
                                        <p>
                                            <span class="muted">{t(Key::BirthDate)}": "</span>
                                            {move || format::date(lang(), &b)}
                                        </p>
                                    })}
                                    <nav class="child-links">{links}</nav>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            }
                .into_any(),
        }}
    }
}
