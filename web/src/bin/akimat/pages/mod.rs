//! The akimat portal's pages, and what they share: the officer's regions, the labels of
//! directions, application and category states, and the API's refusals in the person's
//! language.

pub mod campaign;
pub mod campaigns;
pub mod dashboard;
pub mod desk;
pub mod payouts;
pub mod priority;
pub mod providers;
pub mod ranking;

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::api::{ApiError, ErrorCode};
use crate::gql::akimat::{Role, VoucherApplicationStatus, VoucherCategoryStatus};
use crate::i18n::{Key, Lang};
use crate::session::Names;
use crate::ui::t;
pub use adal_web::vouchers::{attendance_status, direction_key};

/// The regions (KATO) the signed-in officer works in, of `me`'s roles (each a role and its
/// region's code).
pub fn officer_regions<'a>(roles: impl Iterator<Item = (Role, Option<&'a str>)>) -> Vec<String> {
    roles
        .filter(|(role, _)| *role == Role::AkimatOfficer)
        .filter_map(|(_, kato)| kato.map(str::to_string))
        .collect()
}

/// The campaign id of the page's address (`/campaigns/:id/...`).
pub fn campaign_id() -> impl Fn() -> String + Copy + Send + Sync + 'static {
    let params = use_params_map();
    move || params.with(|p| p.get("id").unwrap_or_default())
}

/// A month as the API writes it (`YYYYMM`), as people write it: 12.2026 (kk, ru) or
/// 2026-12 (en).
pub fn month_label(l: Lang, m: i64) -> String {
    match l {
        Lang::Kk | Lang::Ru => format!("{:02}.{}", m % 100, m / 100),
        Lang::En => format!("{}-{:02}", m / 100, m % 100),
    }
}

/// Tenge as the page writes money.
pub fn tenge(l: Lang, amount: i64) -> String {
    crate::format::money(l, amount * 100)
}

/// The label and badge class of an application's state.
pub fn application_status(s: Option<VoucherApplicationStatus>) -> (Key, &'static str) {
    match s {
        Some(VoucherApplicationStatus::Held) => (Key::AkimatAppHeld, "badge warn"),
        Some(VoucherApplicationStatus::Submitted) => (Key::AkimatAppSubmitted, "badge"),
        Some(VoucherApplicationStatus::Queued) => (Key::AkimatAppQueued, "badge warn"),
        Some(VoucherApplicationStatus::Issued) => (Key::AkimatAppIssued, "badge ok"),
        Some(VoucherApplicationStatus::Refused)
        | Some(VoucherApplicationStatus::Unknown)
        | None => (Key::AkimatAppRefused, "badge bad"),
    }
}

/// The label and badge class of a declared category's state.
pub fn category_status(s: Option<VoucherCategoryStatus>) -> (Key, &'static str) {
    match s {
        Some(VoucherCategoryStatus::Confirmed) => (Key::AkimatCatConfirmed, "badge ok"),
        Some(VoucherCategoryStatus::Rejected) => (Key::AkimatCatRejected, "badge bad"),
        _ => (Key::AkimatCatDeclared, "badge warn"),
    }
}

/// A priority category's code in the person's language; a code the app does not know is
/// shown as it is.
pub fn category_label(l: Lang, code: &str) -> String {
    let key = match code {
        "disability" => Key::AkimatCatDisability,
        "orphan" => Key::AkimatCatOrphan,
        "no_parental_care" => Key::AkimatCatNoParentalCare,
        "disabled_family_member" => Key::AkimatCatDisabledFamilyMember,
        "asp" => Key::AkimatCatAsp,
        "large_family" => Key::AkimatCatLargeFamily,
        "single_parent" => Key::AkimatCatSingleParent,
        "low_income" => Key::AkimatCatLowIncome,
        "military_family" => Key::AkimatCatMilitaryFamily,
        "teacher_family" => Key::AkimatCatTeacherFamily,
        "rural_relocated" => Key::AkimatCatRuralRelocated,
        "repressed_family" => Key::AkimatCatRepressedFamily,
        _ => return code.to_string(),
    };
    l.text(key).to_string()
}

/// An organisation's name in the person's language.
pub fn org_name(l: Lang, kk: &str, ru: &str, en: &str) -> String {
    Names {
        kk: kk.to_string(),
        ru: ru.to_string(),
        en: en.to_string(),
    }
    .get(l)
    .to_string()
}

/// The explanation, in the person's language, of a refusal the API states by its field;
/// `None` for errors the shared box explains (a refusal's reason among them).
pub fn refusal(e: &ApiError) -> Option<Key> {
    if e.reason.is_some() {
        return None;
    }
    match e.code {
        ErrorCode::BadUserInput if e.is_about("reason") => Some(Key::AkimatErrReason),
        ErrorCode::BadUserInput => e.field.as_deref().and_then(campaign_field_key),
        _ => None,
    }
}

/// The explanation of a campaign form's field the API refused.
pub fn campaign_field_key(field: &str) -> Option<Key> {
    match field.rsplit('.').next().unwrap_or(field) {
        "name" => Some(Key::AkimatErrName),
        "firstMonth" | "lastMonth" => Some(Key::AkimatErrMonths),
        "opensAt" | "closesAt" => Some(Key::AkimatErrWindow),
        "budget" => Some(Key::AkimatErrBudget),
        "directions" => Some(Key::AkimatErrDirections),
        "ageMin" | "ageMax" => Some(Key::ProviderErrAges),
        "priorityTableId" => Some(Key::AkimatErrTable),
        "unusedDays" | "confirmDays" | "attendanceThresholdPct" => Some(Key::AkimatErrRules),
        _ => None,
    }
}

/// An error of the akimat's pages: a known refusal in the person's language, else the
/// shared error box.
pub fn refusal_view(error: RwSignal<Option<ApiError>>) -> impl IntoView {
    adal_web::ui::explained_error_view(error, refusal)
}

/// The page size of the applications' lists.
pub const PAGE: i64 = 100;

/// One application of a campaign's list.
pub type Application =
    crate::gql::akimat::campaign_applications::CampaignApplicationsVoucherApplicationsNodes;

/// A page of a campaign's applications (the desk, the ranking): its title and hint, the
/// campaign's tabs, a filter by state, a page of applications drawn by `body` (`None`:
/// nothing to show, the `empty` text instead) and the pager.
#[component]
pub fn ApplicationsPage(
    title: Key,
    hint: Key,
    empty: Key,
    /// Whether the API lists them by the allocation's rank (else as they came in).
    by_rank: bool,
    body: fn(Vec<Application>, RwSignal<u32>) -> Option<AnyView>,
) -> impl IntoView {
    use crate::gql::akimat::CampaignApplications;
    use crate::gql::akimat::campaign_applications::{Variables, VoucherApplicationOrder};
    use crate::ui::{Choice, Cursor, EmptyState, PageTitle, Pager, loaded};
    let id = campaign_id();
    let reload = RwSignal::new(0u32);
    let status = RwSignal::new(None::<VoucherApplicationStatus>);
    let cursor = Cursor::new();
    let data = crate::api::query::<CampaignApplications>(move || {
        reload.track();
        Variables {
            campaign_id: id(),
            status: status.get(),
            order: if by_rank {
                VoucherApplicationOrder::RANK
            } else {
                VoucherApplicationOrder::SUBMITTED
            },
            first: Some(PAGE),
            after: cursor.after(),
        }
    });
    let options = VoucherApplicationStatus::ALL
        .iter()
        .map(|s| (s.as_str(), application_status(Some(*s)).0))
        .collect::<Vec<_>>();
    let pick = Callback::new(move |v: String| {
        cursor.reset();
        status.set((!v.is_empty()).then(|| VoucherApplicationStatus::parse(&v)));
    });
    view! {
        <PageTitle key=title/>
        <campaign::CampaignTabs id=id()/>
        <p class="hint">{t(hint)}</p>
        <div class="filters">
            <Choice id="app-status" label=Key::Status options=options any=Key::AkimatAllStatuses pick=pick/>
        </div>
        {move || loaded(data.get(), move |d| {
            let list = d.voucher_applications;
            let shown = list.nodes.len();
            let Some(page) = body(list.nodes, reload) else {
                return view! { <EmptyState title=Key::NoDataYet text=empty/> }.into_any();
            };
            view! {
                {page}
                <Pager
                    cursor=cursor
                    total=list.total_count
                    shown=shown
                    page_size=PAGE
                    has_next=list.page_info.has_next_page
                    end_cursor=list.page_info.end_cursor
                />
            }
            .into_any()
        })}
    }
}

/// A reason and two answers (`yes`, `no`); `no` needs the reason, and so does `yes` when
/// `reason_always`. `send` sends the answer; the page's data reloads after it.
pub fn decision(
    yes: Key,
    no: Key,
    reason_always: bool,
    send: impl Fn(bool, Option<String>) -> crate::api::Pending<()> + Copy + 'static,
    reload: RwSignal<u32>,
) -> impl IntoView {
    let reason = RwSignal::new(String::new());
    let missing = RwSignal::new(false);
    let error: RwSignal<Option<ApiError>> = RwSignal::new(None);
    let decide = move |answer: bool| {
        let why = crate::ui::non_empty(reason.get_untracked());
        if (reason_always || !answer) && why.is_none() {
            missing.set(true);
            return;
        }
        missing.set(false);
        crate::ui::act(send(answer, why), error, reload);
    };
    view! {
        <div class="decision form-row">
            <div class="field">
                <label>
                    {t(Key::Reason)}
                    <input type="text" class="reason-input" prop:value=move || reason.get() on:input=move |ev| reason.set(event_target_value(&ev))/>
                </label>
            </div>
            <button type="button" class="yes" on:click=move |_| decide(true)>{t(yes)}</button>
            <button type="button" class="secondary danger no" on:click=move |_| decide(false)>{t(no)}</button>
            {move || missing.get().then(|| view! { <p class="alert error" role="alert">{t(Key::AkimatErrReason)}</p> })}
            {refusal_view(error)}
        </div>
    }
}
