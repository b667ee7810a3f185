//! The ranking after the allocation: each child's place, score and the reasons for it (the
//! confirmed categories and their weights; ties by age, then the published lottery), and
//! the application's state.

use leptos::prelude::*;

use super::{Application, ApplicationsPage, application_status, category_label, direction_key};
use crate::gql::akimat::VoucherCategoryStatus;
use crate::i18n::Key;
use crate::ui::{fill, lang, table};

const HEADS: [Key; 6] = [
    Key::AkimatRank,
    Key::SheetChild,
    Key::AkimatScore,
    Key::AkimatWhy,
    Key::ProviderDirection,
    Key::Status,
];

#[component]
pub fn RankingPage() -> impl IntoView {
    view! {
        <ApplicationsPage title=Key::AkimatRankingTitle hint=Key::AkimatRankingHint empty=Key::AkimatNotRanked by_rank=true body=rows/>
    }
}

/// The ranked applications in the API's rank order, with the score and why (`None` before
/// the allocation).
fn rows(nodes: Vec<Application>, _reload: RwSignal<u32>) -> Option<AnyView> {
    let l = lang();
    if !nodes.iter().any(|a| a.rank.is_some()) {
        return None;
    }
    let rows = nodes
        .into_iter()
        .map(|a| {
            let (status, class) = application_status(a.status);
            let mut why: Vec<String> = a
                .categories
                .iter()
                .filter(|c| c.status == Some(VoucherCategoryStatus::Confirmed))
                .map(|c| format!("{} +{}", category_label(l, &c.category), c.weight))
                .collect();
            if why.is_empty() {
                why.push(l.text(Key::AkimatNoPriority).to_string());
            }
            if let Some(m) = a.age_months {
                why.push(fill(l.text(Key::AkimatAgeMonths), &[("years", (m / 12).to_string()), ("months", (m % 12).to_string())]));
            }
            view! {
                <tr class="ranked" data-id=a.id.clone() data-rank=a.rank.map(|r| r.to_string()).unwrap_or_default()>
                    <td class="num rank">{a.rank.map(|r| r.to_string()).unwrap_or_default()}</td>
                    <th scope="row" class="child">{a.child_name.clone().unwrap_or_default()}</th>
                    <td class="num score">{a.score.map(|s| s.to_string()).unwrap_or_default()}</td>
                    <td class="why">{why.join("; ")}</td>
                    <td>{l.text(direction_key(a.direction))}</td>
                    <td><span class=class>{l.text(status)}</span></td>
                </tr>
            }
        })
        .collect_view();
    Some(table(l, "ranking", "", &HEADS, rows.into_any()))
}
