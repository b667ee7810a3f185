//! Decisions and their contests as more than one program shows them: the labels of a kind of
//! decision and of a deciding body, and the desk where a body reads the contests of its
//! decisions (and of the bodies it supervises) and answers its own.

use leptos::prelude::*;

use crate::api::{self, ApiError};
use crate::gql::{self, ContestOutcome, DecidingBody, DecisionKind};
use crate::i18n::Key;
use crate::ui::{
    Cursor, DocumentLink, EmptyState, PageTitle, Pager, error_view, fill, lang, loaded, local_time,
    t,
};

pub fn kind_key(k: DecisionKind) -> Key {
    match k {
        DecisionKind::ObligationStatus => Key::DecKindObligation,
        DecisionKind::Exemption => Key::DecKindExemption,
        DecisionKind::Claim => Key::DecKindClaim,
        DecisionKind::VoucherApplication => Key::DecKindVoucher,
        DecisionKind::VoucherCategory => Key::DecKindCategory,
        DecisionKind::MealGround => Key::DecKindMealGround,
        DecisionKind::AllergenOverride | DecisionKind::Unknown => Key::DecKindAllergen,
    }
}

pub fn body_key(b: DecidingBody) -> Key {
    match b {
        DecidingBody::Operator => Key::DecBodyOperator,
        DecidingBody::Commission => Key::DecBodyCommission,
        DecidingBody::Akimat => Key::DecBodyAkimat,
        DecidingBody::School | DecidingBody::Unknown => Key::DecBodySchool,
    }
}

/// The answer's outcome, and its alert's class.
pub fn outcome_key(o: ContestOutcome) -> (Key, &'static str) {
    match o {
        ContestOutcome::Overturned => (Key::DecOverturned, "alert success"),
        ContestOutcome::Upheld | ContestOutcome::Unknown => (Key::DecUpheld, "alert info"),
    }
}

/// A body's answer to a contest: its outcome, its reasons and when it came.
#[component]
pub fn ContestAnswer(
    outcome: ContestOutcome,
    answer: Option<String>,
    answered_at: Option<String>,
) -> impl IntoView {
    let l = lang();
    let (key, class) = outcome_key(outcome);
    view! {
        <div class=class role="status">
            <strong>{l.text(key)}</strong>
            <p class="answer">{answer.unwrap_or_default()}</p>
            <p class="muted">{answered_at.map(|at| local_time(l, &at)).unwrap_or_default()}</p>
        </div>
    }
}

/// The documents a person attached to a contest, each downloading with the session's token;
/// nothing when there are none. Items are (file name, download path, size in bytes).
pub fn contest_documents(documents: impl Iterator<Item = (String, String, i64)>) -> impl IntoView {
    let items: Vec<_> = documents
        .map(|(name, path, size)| view! { <li><DocumentLink name=name path=path size=size/></li> })
        .collect();
    (!items.is_empty()).then(|| {
        view! {
            <div class="contest-documents">
                <p class="muted">{t(Key::Documents)}</p>
                <ul>{items}</ul>
            </div>
        }
    })
}

/// The text of a contest or of its answer (at most 4,000 characters, as the API keeps).
pub fn text_area(id: String, text: RwSignal<String>) -> impl IntoView {
    view! {
        <textarea
            id=id
            required
            maxlength="4000"
            rows="4"
            prop:value=move || text.get()
            on:input=move |ev| text.set(event_target_value(&ev))
        ></textarea>
    }
}

/// Which cases the desk lists.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Tab {
    Open,
    Overdue,
    Answered,
}

type Case = gql::contest_cases::ContestCasesContestCasesNodes;

/// `/<portal>/contests`: the contest cases, the earliest deadline first; a case the caller's
/// body answers has the form to answer it.
#[component]
pub fn ContestDesk() -> impl IntoView {
    let tab = RwSignal::new(Tab::Open);
    let cursor = Cursor::new();
    let reload = RwSignal::new(0u32);
    let data = api::query::<gql::ContestCases>(move || {
        reload.track();
        let tab = tab.get();
        gql::contest_cases::Variables {
            overdue_only: Some(tab == Tab::Overdue),
            answered: Some(tab == Tab::Answered),
            after: cursor.after(),
        }
    });
    let choose = move |t: Tab| {
        move |_| {
            cursor.reset();
            tab.set(t);
        }
    };
    let button = move |t: Tab, key: Key, id: &'static str| {
        view! {
            <button
                type="button"
                id=id
                class=move || if tab.get() == t { "tab active" } else { "tab" }
                aria-pressed=move || (tab.get() == t).to_string()
                on:click=choose(t)
            >
                {crate::ui::t(key)}
            </button>
        }
    };
    let list = move || {
        loaded(data.get(), move |d| {
            let c = d.contest_cases;
            if c.nodes.is_empty() {
                return view! { <EmptyState title=Key::DeskNoneTitle text=Key::DeskNoneText/> }
                    .into_any();
            }
            let shown = c.nodes.len();
            let cards = c
                .nodes
                .into_iter()
                .map(|case| view! { <CaseCard case=case reload=reload/> })
                .collect_view();
            view! {
                {cards}
                <Pager
                    cursor=cursor
                    total=c.total_count
                    shown=shown
                    page_size=20
                    has_next=c.page_info.has_next_page
                    end_cursor=c.page_info.end_cursor
                />
            }
            .into_any()
        })
    };
    view! {
        <PageTitle key=Key::NavContests/>
        <p class="hint">{t(Key::DeskHint)}</p>
        <div class="tabs" role="group">
            {button(Tab::Open, Key::DeskOpen, "desk-open")}
            {button(Tab::Overdue, Key::DeskOverdue, "desk-overdue")}
            {button(Tab::Answered, Key::DeskAnswered, "desk-answered")}
        </div>
        <div id="contest-cases">{list}</div>
    }
}

#[component]
fn CaseCard(case: Case, reload: RwSignal<u32>) -> impl IntoView {
    let l = lang();
    let id = format!("case-{}", case.id);
    let body = case.body.map_or(Key::DecBodySchool, body_key);
    let kind = case.decision_kind.map_or(Key::DecKindAllergen, kind_key);
    let due = fill(
        l.text(Key::DeskDue),
        &[
            ("opened", local_time(l, &case.opened_at)),
            ("due", crate::format::date(l, &case.due_on)),
        ],
    );
    let answer = case.outcome.map(|o| {
        view! { <ContestAnswer outcome=o answer=case.answer.clone() answered_at=case.answered_at.clone()/> }
    });
    let action = if case.outcome.is_some() {
        None
    } else if case.can_answer {
        Some(view! { <AnswerForm case_id=case.id.clone() reload=reload/> }.into_any())
    } else {
        Some(
            view! {
                <p class="muted">
                    {fill(l.text(Key::DeskSupervised), &[("body", l.text(body).to_string())])}
                </p>
            }
            .into_any(),
        )
    };
    view! {
        <article class="panel contest-case" id=id>
            <h2>{l.text(kind)} " · " {case.person_name.clone().unwrap_or_default()}</h2>
            <p>
                {due} " "
                {case.overdue.then(|| view! { <span class="badge bad">{l.text(Key::DeskOverdueBadge)}</span> })}
            </p>
            <blockquote class="statement">{case.statement.clone()}</blockquote>
            {contest_documents(case.documents.into_iter().map(|d| (d.file_name, d.download_path, d.size)))}
            {answer}
            {action}
        </article>
    }
}

#[component]
fn AnswerForm(case_id: String, reload: RwSignal<u32>) -> impl IntoView {
    let outcome = RwSignal::new(ContestOutcome::Upheld);
    let text = RwSignal::new(String::new());
    let error: RwSignal<Option<ApiError>> = RwSignal::new(None);
    let field = format!("answer-{case_id}");
    let case_id = StoredValue::new(case_id);
    let send = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let vars = gql::answer_contest::Variables {
            case_id: case_id.get_value(),
            outcome: outcome.get_untracked(),
            answer: text.get_untracked(),
        };
        crate::ui::act(
            api::send::<gql::AnswerContest>(vars, Vec::new()),
            error,
            reload,
        );
    };
    let choice = move |o: ContestOutcome, key: Key| {
        view! {
            <label class="inline">
                <input
                    type="radio"
                    name=format!("outcome-{}", case_id.get_value())
                    value=o.as_str()
                    prop:checked=move || outcome.get() == o
                    on:change=move |_| outcome.set(o)
                />
                " " {t(key)}
            </label>
        }
    };
    view! {
        <form class="contest-form" on:submit=send>
            <fieldset>
                <legend>{t(Key::DeskOutcome)}</legend>
                {choice(ContestOutcome::Upheld, Key::DeskUphold)}
                {choice(ContestOutcome::Overturned, Key::DeskOverturn)}
            </fieldset>
            <label for=field.clone()>{t(Key::DeskAnswerLabel)}</label>
            {text_area(field, text)}
            <button type="submit">{t(Key::DeskSend)}</button>
            {error_view(error)}
        </form>
    }
}
