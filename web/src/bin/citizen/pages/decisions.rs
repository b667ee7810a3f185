//! "Decisions about me": every decision about the person and their children, from every
//! domain, newest first: what was decided, by whom (a role, or the rules on their own), under
//! which rule, with its reason and figures, and the commission's votes. From any of them the
//! person contests: the statement goes to the body that decided, and its answer shows here.

use leptos::prelude::*;

use super::school::allergen_key;
use crate::api::{self, ApiError};
use crate::contests::{ContestAnswer, body_key, contest_documents, kind_key, text_area};
use crate::gql::my_decisions::{
    MyDecisionsMyDecisions as Decision, MyDecisionsMyDecisionsContest as Contest,
};
use crate::gql::{
    self, Allergen, ApplicationStatus, ClaimStatus, DecisionKind, Ground, ObligationStatus,
};
use crate::i18n::{Key, Lang};
use crate::ui::{
    EmptyState, PageTitle, chosen_files, error_view, fill, lang, loaded, local_time, t,
    upload_parts,
};
use crate::{format, labels, ledger, records};

#[component]
pub fn MyDecisions() -> impl IntoView {
    let reload = RwSignal::new(0u32);
    let data = api::query::<gql::MyDecisions>(move || {
        reload.track();
        gql::my_decisions::Variables {}
    });
    let list = move || {
        loaded(data.get(), move |d| {
            if d.my_decisions.is_empty() {
                return view! { <EmptyState title=Key::DecNoneTitle text=Key::DecNoneText/> }
                    .into_any();
            }
            d.my_decisions
                .into_iter()
                .map(|d| view! { <DecisionCard d=d reload=reload/> })
                .collect_view()
                .into_any()
        })
    };
    view! {
        <PageTitle key=Key::NavDecisions/>
        <p class="hint">{t(Key::DecHint)}</p>
        <div id="decisions">{list}</div>
    }
}

fn upper(code: &str) -> String {
    code.to_ascii_uppercase()
}

/// What was decided, in the language, and its badge.
fn outcome(l: Lang, d: &Decision) -> (String, &'static str) {
    let code = d.outcome.as_str();
    let text = |k: Key| l.text(k).to_string();
    match d.kind {
        DecisionKind::ObligationStatus => (
            text(ledger::status_key(Some(ObligationStatus::parse(&upper(
                code,
            ))))),
            "badge",
        ),
        DecisionKind::Exemption if code == "ended" => (text(Key::DecEnded), "badge"),
        DecisionKind::Exemption => {
            let (k, class) =
                records::application_status_key(Some(ApplicationStatus::parse(&upper(code))));
            (text(k), class)
        }
        DecisionKind::Claim => (
            text(records::claim_status_key(Some(ClaimStatus::parse(&upper(
                code,
            ))))),
            "badge warn",
        ),
        DecisionKind::VoucherApplication => match code {
            "issued" => (text(Key::VchStatusIssued), "badge ok"),
            "queued" => (text(Key::VchStatusQueued), "badge warn"),
            _ => (text(Key::VchStatusRefused), "badge bad"),
        },
        DecisionKind::VoucherCategory => match code {
            "confirmed" => (text(Key::VchCatConfirmed), "badge ok"),
            _ => (text(Key::VchCatRejected), "badge bad"),
        },
        DecisionKind::MealGround => (labels::meal_ground(l, code), "badge ok"),
        DecisionKind::AllergenOverride | DecisionKind::Unknown => (
            fill(
                l.text(Key::DecAllergenAllowed),
                &[(
                    "allergen",
                    l.text(allergen_key(Allergen::parse(&upper(code))))
                        .to_string(),
                )],
            ),
            "badge warn",
        ),
    }
}

/// The rule the decision applied, in the language.
fn rule(l: Lang, d: &Decision) -> Option<String> {
    let version = d.figures.rule_version.map(|v| v.to_string());
    match d.kind {
        DecisionKind::ObligationStatus => {
            version.map(|v| fill(l.text(Key::DecRulesVersion), &[("version", v)]))
        }
        DecisionKind::VoucherApplication => Some(fill(
            l.text(Key::DecPriorityTable),
            &[
                ("version", version.unwrap_or_default()),
                ("campaign", d.rule.clone().unwrap_or_default()),
            ],
        )),
        DecisionKind::Exemption => d.rule.as_deref().map(|g| {
            l.text(records::ground_key(Some(Ground::parse(&upper(g)))))
                .to_string()
        }),
        DecisionKind::VoucherCategory => d
            .rule
            .as_deref()
            .map(|c| adal_web::vouchers::priority_category(l, c)),
        _ => d.rule.clone(),
    }
}

/// The figures the decision rests on, as sentences, and the period it holds.
fn figures(l: Lang, d: &Decision) -> Vec<(Key, String)> {
    let f = &d.figures;
    let mut out = Vec::new();
    if let (Some(score), Some(rank)) = (f.score, f.rank) {
        out.push((
            Key::DecFigures,
            fill(
                l.text(Key::DecScore),
                &[
                    ("score", score.to_string()),
                    ("rank", rank.to_string()),
                    ("cutoff", f.cutoff.map_or("—".into(), |c| c.to_string())),
                ],
            ),
        ));
    }
    if let (Some(c), Some(r)) = (f.credited_months, f.required_months) {
        out.push((
            Key::DecFigures,
            fill(
                l.text(Key::DecMonths),
                &[("credited", c.to_string()), ("required", r.to_string())],
            ),
        ));
    }
    if let Some(a) = f.amount {
        out.push((Key::DecFigures, format::money(l, a * 100)));
    }
    let period = match (&f.valid_from, &f.valid_to) {
        (Some(from), Some(to)) => Some(format!(
            "{} – {}",
            format::date(l, from),
            format::date(l, to)
        )),
        (Some(from), None) => Some(fill(
            l.text(Key::DecFrom),
            &[("date", format::date(l, from))],
        )),
        (None, Some(to)) => Some(fill(
            l.text(Key::DecUntil),
            &[("date", format::date(l, to))],
        )),
        (None, None) => None,
    };
    out.extend(period.map(|p| (Key::DecInForce, p)));
    out
}

#[component]
fn DecisionCard(d: Decision, reload: RwSignal<u32>) -> impl IntoView {
    let l = lang();
    let id = format!("decision-{}", d.key.replace(':', "-"));
    let (outcome_text, badge) = outcome(l, &d);
    let who = d.decided_by.map_or(l.text(Key::DecByRules), |r| {
        l.text(adal_web::portal::role_key(r))
    });
    let row = |label: Key, value: String| {
        view! {
            <div class="dl-row">
                <dt>{l.text(label)}</dt>
                <dd>{value}</dd>
            </div>
        }
    };
    let votes = (!d.votes.is_empty()).then(|| {
        let items = d
            .votes
            .iter()
            .map(|v| {
                let side = if v.approve {
                    Key::DecVoteFor
                } else {
                    Key::DecVoteAgainst
                };
                view! {
                    <li>
                        {l.text(adal_web::portal::role_key(v.role))} ": " <strong>{l.text(side)}</strong>
                        " — " {v.reason.clone()}
                    </li>
                }
            })
            .collect_view();
        view! {
            <div class="dl-row">
                <dt>{l.text(Key::DecVotes)}</dt>
                <dd><ul class="votes">{items}</ul></dd>
            </div>
        }
    });
    let body = body_key(d.body);
    let contest = match d.contest.clone() {
        Some(c) => view! { <ContestState c=c body=body/> }.into_any(),
        None => view! { <ContestForm key=d.key.clone() body=body reload=reload/> }.into_any(),
    };
    view! {
        <article class="panel decision" id=id>
            <h2>
                {l.text(kind_key(d.kind))} " · " {d.person_name.clone()}
            </h2>
            <p>
                <span class=badge>{outcome_text}</span> " "
                <span class="muted">{local_time(l, &d.at)}</span>
            </p>
            <dl class="facts">
                {row(Key::DecDecidedBy, who.to_string())}
                {rule(l, &d).map(|r| row(Key::DecRule, r))}
                {d.reason.clone().map(|r| row(Key::DecReason, r))}
                {figures(l, &d).into_iter().map(|(k, f)| row(k, f)).collect_view()}
                {votes}
            </dl>
            {contest}
        </article>
    }
}

/// Where a contest stands: waiting (by its deadline, or overdue) or answered.
#[component]
fn ContestState(c: Contest, body: Key) -> impl IntoView {
    let l = lang();
    let waiting = fill(
        l.text(Key::DecContested),
        &[
            ("date", local_time(l, &c.opened_at)),
            ("body", l.text(body).to_string()),
            ("due", format::date(l, &c.due_on)),
        ],
    );
    let answer = c.outcome.map(|o| {
        view! { <ContestAnswer outcome=o answer=c.answer.clone() answered_at=c.answered_at.clone()/> }
    });
    let overdue = (c.overdue && c.outcome.is_none())
        .then(|| view! { <p class="alert warn">{l.text(Key::DecOverdue)}</p> });
    let documents = contest_documents(
        c.documents
            .into_iter()
            .map(|d| (d.file_name, d.download_path, d.size)),
    );
    view! {
        <div class="contest">
            <p>{waiting}</p>
            {documents}
            {overdue}
            {answer}
        </div>
    }
}

/// The button that opens the contest form, and the form.
#[component]
fn ContestForm(key: String, body: Key, reload: RwSignal<u32>) -> impl IntoView {
    let l = lang();
    let open = RwSignal::new(false);
    let text = RwSignal::new(String::new());
    let files: NodeRef<leptos::html::Input> = NodeRef::new();
    let error: RwSignal<Option<ApiError>> = RwSignal::new(None);
    let key = StoredValue::new(key);
    let field = format!("contest-{}", key.get_value().replace(':', "-"));
    let files_field = format!("{field}-files");
    let label = fill(
        l.text(Key::DecContestLabel),
        &[("body", l.text(body).to_string())],
    );
    let send = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let chosen = chosen_files(files);
        let vars = gql::contest_decision::Variables {
            key: key.get_value(),
            statement: text.get_untracked(),
            documents: vec![(); chosen.len()],
        };
        crate::ui::act(
            api::send::<gql::ContestDecision>(vars, upload_parts("variables.documents", chosen)),
            error,
            reload,
        );
    };
    view! {
        <Show
            when=move || open.get()
            fallback=move || view! {
                <button type="button" class="secondary contest-open" on:click=move |_| open.set(true)>
                    {t(Key::DecContest)}
                </button>
            }
        >
            <form class="contest-form" on:submit=send>
                <label for=field.clone()>{label.clone()}</label>
                {text_area(field.clone(), text)}
                <div class="field">
                    <label for=files_field.clone()>{t(Key::Documents)}</label>
                    <input id=files_field.clone() class="contest-files" type="file" multiple=true
                        accept="application/pdf,image/png,image/jpeg" node_ref=files/>
                    <p class="muted">{t(Key::DecDocumentsHint)}</p>
                </div>
                <div class="actions">
                    <button type="submit">{t(Key::DecContestSend)}</button>
                    <button type="button" class="secondary" on:click=move |_| open.set(false)>
                        {t(Key::Cancel)}
                    </button>
                </div>
                {error_view(error)}
            </form>
        </Show>
    }
}
