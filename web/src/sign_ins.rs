//! A person's sign-ins to educational resources (single sign-on, docs/sso.md) as a table: the
//! parent's page of a child's resources shows the child's and their own, and the account's
//! page (`/security`) the signed-in person's.

use leptos::prelude::*;

use crate::i18n::{Key, Lang};
use crate::ui::{local_time, table};

/// One sign-in: when, the resource, the role it was made in (`pupil`, `teacher`, `parent`).
pub type SignIn = (String, String, String);

fn role_key(role: &str) -> Key {
    match role {
        "pupil" => Key::SsoRolePupil,
        "teacher" => Key::SsoRoleTeacher,
        _ => Key::SsoRoleParent,
    }
}

/// Sign-ins, newest first, as a table with the element id `id` (or a line saying there are
/// none).
pub fn sign_ins(l: Lang, id: &'static str, list: Vec<SignIn>) -> AnyView {
    if list.is_empty() {
        return view! { <p class="empty-line" id=id>{l.text(Key::SsoNoSignIns)}</p> }.into_any();
    }
    let rows = list
        .into_iter()
        .map(|(at, resource, role)| {
            view! {
                <tr>
                    <td>{local_time(l, &at)}</td>
                    <td>{resource}</td>
                    <td>{l.text(role_key(&role))}</td>
                </tr>
            }
        })
        .collect_view()
        .into_any();
    table(
        l,
        id,
        "cards-sm",
        &[Key::When, Key::SsoResource, Key::Role],
        rows,
    )
}
