//! Graduates' work-off obligations as the operator sees them: the list of graduates, the
//! graduate card, and the obligation figures of the dashboard. The ledger timeline and the
//! charts are the shared crate's ([`adal_web::ledger`], [`adal_web::charts`]).

use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_location, use_navigate, use_params_map, use_query_map};

use crate::api::{self, ApiError};
use crate::charts::{Bar, BarChart, Column, Group, StackedColumns};
use crate::format;
use crate::gql::{self, FundingCategory, ObligationStatus, OrganisationKind, SpecialtyGroup};
use crate::i18n::Key;
use crate::ident;
use crate::ledger::{
    StatusLine, Terms, Timeline, category_key, period_label, status_class, status_key,
};
use crate::pages::messages::MessageHistory;
use crate::pages::operator::{OrgPicker, RegionSelect, Regions, bin_of, load_regions, region_name};
use crate::pages::tasks::TaskReview;
use crate::records::{ApplicationList, ClaimList};
use crate::ui::{
    Choice, Cursor, EmptyState, ErrorBox, Loading, PageTitle, Pager, Stat, fill, lang, non_empty,
    t, table,
};
use adal_web::{app_lines, claim_lines, months_of};

const PAGE: i64 = 20;

// ---------------------------------------------------------------------------------------
// The operator's list of graduates

/// The graduates register's filter as the person sets it: status, category, specialty group,
/// home region, university, graduation year and employer. The register and the campaign's
/// audience builder share it.
#[derive(Clone, Copy)]
pub struct RegisterFilter {
    status: RwSignal<String>,
    category: RwSignal<String>,
    specialty: RwSignal<String>,
    region: RwSignal<String>,
    university: RwSignal<Option<String>>,
    /// The university picker's text (`name · BIN`): the address keeps its BIN.
    university_text: RwSignal<String>,
    year: RwSignal<String>,
    employer: RwSignal<Option<String>>,
    employer_text: RwSignal<String>,
}

/// The names of the register's filters in the page's address, in the order written.
const ADDRESS_KEYS: [&str; 7] = [
    "status",
    "category",
    "specialtyGroup",
    "region",
    "university",
    "year",
    "employer",
];

/// A graduation year as a filter takes it: 1990 to 2100, else none.
fn year_of(text: &str) -> Option<i64> {
    text.trim()
        .parse()
        .ok()
        .filter(|y| (1990..=2100).contains(y))
}

/// What a [`RegisterFilter`] holds, as the API takes it (`GraduateFilter` without the IIN).
pub struct FilterValues {
    pub status: Option<ObligationStatus>,
    pub category: Option<FundingCategory>,
    pub specialty_group: Option<SpecialtyGroup>,
    pub region_kato: Option<String>,
    pub university_id: Option<String>,
    pub graduation_year: Option<i64>,
    pub employer_id: Option<String>,
}

impl RegisterFilter {
    pub fn new() -> Self {
        Self {
            status: RwSignal::new(String::new()),
            category: RwSignal::new(String::new()),
            specialty: RwSignal::new(String::new()),
            region: RwSignal::new(String::new()),
            university: RwSignal::new(None),
            university_text: RwSignal::new(String::new()),
            year: RwSignal::new(String::new()),
            employer: RwSignal::new(None),
            employer_text: RwSignal::new(String::new()),
        }
    }

    /// The filter a page's address sets (`?status=WORKING&year=2022&university=<BIN>`), so
    /// that a filtered list can be bookmarked and shared. An IIN never goes into an address.
    pub fn from_address(get: impl Fn(&str) -> Option<String>) -> Self {
        let f = Self::new();
        for (key, signal) in ADDRESS_KEYS.into_iter().zip(f.address_signals()) {
            if let Some(v) = get(key) {
                signal.set(v);
            }
        }
        f
    }

    /// The address's query (`?status=WORKING&...`, empty without filters; tracked).
    pub fn address(self) -> String {
        let pairs: Vec<String> = ADDRESS_KEYS
            .into_iter()
            .zip(self.address_signals())
            .filter_map(|(key, signal)| {
                let v = signal.get();
                // A picker's text is kept only when it names an organisation by its BIN.
                let v = match key {
                    "university" | "employer" => bin_of(&v).map(str::to_string),
                    _ => non_empty(v),
                }?;
                Some(format!("{key}={}", js_sys::encode_uri_component(&v)))
            })
            .collect();
        if pairs.is_empty() {
            String::new()
        } else {
            format!("?{}", pairs.join("&"))
        }
    }

    fn address_signals(self) -> [RwSignal<String>; 7] {
        [
            self.status,
            self.category,
            self.specialty,
            self.region,
            self.university_text,
            self.year,
            self.employer_text,
        ]
    }

    /// The values (tracked).
    pub fn values(self) -> FilterValues {
        FilterValues {
            status: non_empty(self.status.get()).map(|s| ObligationStatus::parse(&s)),
            category: non_empty(self.category.get()).map(|s| FundingCategory::parse(&s)),
            specialty_group: non_empty(self.specialty.get()).map(|s| SpecialtyGroup::parse(&s)),
            region_kato: non_empty(self.region.get()),
            university_id: self.university.get(),
            graduation_year: year_of(&self.year.get()),
            employer_id: self.employer.get(),
        }
    }

    /// The values as the export URLs take them (`name=value`, encoded; untracked).
    fn query_params(self) -> Vec<String> {
        let v = self.values_untracked();
        [
            ("status", v.status.map(|s| s.as_str().to_string())),
            ("category", v.category.map(|c| c.as_str().to_string())),
            (
                "specialtyGroup",
                v.specialty_group.map(|g| g.as_str().to_string()),
            ),
            ("regionKato", v.region_kato),
            ("universityId", v.university_id),
            ("graduationYear", v.graduation_year.map(|y| y.to_string())),
            ("employerId", v.employer_id),
        ]
        .into_iter()
        .filter_map(|(k, v)| v.map(|v| format!("{k}={}", js_sys::encode_uri_component(&v))))
        .collect()
    }

    fn values_untracked(self) -> FilterValues {
        untrack(move || self.values())
    }
}

/// The `GraduateFilter` input of an operation (each operation has its own generated type)
/// from [`RegisterFilter::values`] and an exact IIN.
macro_rules! graduate_filter {
    ($($ty:ident)::+, $values:expr, $iin:expr) => {{
        let v: $crate::pages::obligations::FilterValues = $values;
        $($ty)::+ {
            status: v.status,
            category: v.category,
            specialty_group: v.specialty_group,
            region_kato: v.region_kato,
            university_id: v.university_id,
            graduation_year: v.graduation_year,
            employer_id: v.employer_id,
            iin: $iin,
        }
    }};
}
pub(crate) use graduate_filter;

use adal_web::labels::group_key;

/// The fields of a [`RegisterFilter`], their ids prefixed with `prefix` (`grad-status`);
/// `changed` runs after every change.
#[component]
pub fn FilterFields(
    prefix: &'static str,
    filter: RegisterFilter,
    regions: Regions,
    changed: Callback<()>,
) -> impl IntoView {
    let id = move |name: &str| format!("{prefix}-{name}");
    let set = move |sig: RwSignal<String>| {
        Callback::new(move |v: String| {
            sig.set(v);
            changed.run(());
        })
    };
    let statuses = ObligationStatus::ALL
        .iter()
        .map(|s| (s.as_str(), status_key(Some(*s))))
        .collect();
    let categories = FundingCategory::ALL
        .iter()
        .map(|c| (c.as_str(), category_key(Some(*c))))
        .collect();
    let year_wrong = move || filter.year.with(|y| !y.is_empty() && year_of(y).is_none());
    let groups = SpecialtyGroup::ALL
        .iter()
        .map(|g| (g.as_str(), group_key(*g)))
        .collect();
    view! {
        <Choice id=id("status") label=Key::Status options=statuses any=Key::AllStatuses pick=set(filter.status) value=filter.status/>
        <Choice id=id("category") label=Key::Category options=categories any=Key::AllCategories pick=set(filter.category) value=filter.category/>
        <Choice id=id("group") label=Key::SpecialtyGroupLabel options=groups any=Key::AllSpecialtyGroups pick=set(filter.specialty) value=filter.specialty/>
        <RegionSelect id=id("region") label=Key::Region value=filter.region empty=Key::AllRegions regions=regions on_change=changed/>
        <OrgPicker id=id("university") label=Key::University kind=Some(OrganisationKind::University) chosen=filter.university changed=changed text=filter.university_text/>
        <div class="field">
            <label for=id("year")>{t(Key::GraduationYear)}</label>
            <input
                id=id("year")
                type="number"
                inputmode="numeric"
                min="1990"
                max="2100"
                aria-invalid=move || year_wrong().then_some("true")
                prop:value=move || filter.year.get()
                on:input=move |ev| set(filter.year).run(event_target_value(&ev))
            />
            {move || year_wrong().then(|| view! {
                <small class="field-error" role="status">{t(Key::FilterYearInvalid)}</small>
            })}
        </div>
        <OrgPicker id=id("employer") label=Key::EmployerLabel kind=None chosen=filter.employer changed=changed text=filter.employer_text/>
    }
}

#[component]
pub fn GraduatesPage() -> impl IntoView {
    let cursor = Cursor::new();
    let query = use_query_map();
    let filter = RegisterFilter::from_address(|k| query.with_untracked(|q| q.get(k)));
    let iin = RwSignal::new(String::new());
    let iin_wrong = move || iin.with(|i| !i.is_empty() && ident::check(i).is_err());
    let regions = load_regions();
    let navigate = use_navigate();
    // The filters live in the address (replaced, not pushed: the back button leaves the list).
    // Only while the list is the page shown and its address differs: a change that lands as
    // the person opens a card must not bring them back.
    let to_address = navigate.clone();
    let location = use_location();
    Effect::new(move |_| {
        let q = filter.address();
        let (path, search) = untrack(|| (location.pathname.get(), location.search.get()));
        let at = if search.is_empty() || search.starts_with('?') {
            search
        } else {
            format!("?{search}")
        };
        if path.trim_end_matches('/').ends_with("/graduates") && at != q {
            to_address(
                &format!("/graduates{q}"),
                NavigateOptions {
                    replace: true,
                    scroll: false,
                    ..Default::default()
                },
            );
        }
    });
    let export_error: RwSignal<Option<ApiError>> = RwSignal::new(None);
    // Downloads the filtered list as `format` (csv or xlsx) for a person reading the page's
    // language (names and words; Excel opens the CSV as it is). The list's filters go along,
    // without the IIN: an IIN never goes into a URL.
    let export = move |format: &'static str| {
        let mut params = filter.query_params();
        params.push(format!(
            "lang={}",
            crate::ui::app().lang.get_untracked().code()
        ));
        let file = format!("graduates.{format}");
        let path = format!("/exports/{file}?{}", params.join("&"));
        crate::ui::download(path, file, export_error);
    };

    let data = api::query::<gql::Graduates>(move || {
        let iin = non_empty(iin.get()).filter(|s| ident::check(s).is_ok());
        gql::graduates::Variables {
            filter: Some(graduate_filter!(
                gql::graduates::GraduateFilter,
                filter.values(),
                iin
            )),
            first: Some(PAGE),
            after: cursor.after(),
            language: Some(lang().to_api()),
        }
    });
    let reset = Callback::new(move |()| cursor.reset());

    view! {
        <PageTitle key=Key::NavGraduates/>
        <div class="filters">
            <FilterFields prefix="grad" filter=filter regions=regions changed=reset/>
            <div class="field">
                <label for="grad-iin">{t(Key::Iin)}</label>
                <input
                    id="grad-iin"
                    type="search"
                    inputmode="numeric"
                    maxlength="12"
                    aria-describedby="grad-iin-hint"
                    aria-invalid=move || iin_wrong().then_some("true")
                    prop:value=move || iin.get()
                    on:input=move |ev| { iin.set(event_target_value(&ev)); cursor.reset(); }
                />
                <small id="grad-iin-hint" class="muted">{t(Key::IinHint)}</small>
                {move || iin_wrong().then(|| view! {
                    <small class="field-error" role="status" id="grad-iin-error">{t(Key::FilterIinInvalid)}</small>
                })}
            </div>
        </div>
        <div class="toolbar">
            <button type="button" class="secondary" id="export-csv" on:click=move |_| export("csv")>
                {t(Key::ExportCsv)}
            </button>
            <button type="button" class="secondary" id="export-xlsx" on:click=move |_| export("xlsx")>
                {t(Key::ExportXlsx)}
            </button>
        </div>
        {move || export_error.get().map(|e| view! { <ErrorBox error=e/> })}
        {move || match data.get() {
            None => view! { <Loading/> }.into_any(),
            Some(Err(e)) => view! { <ErrorBox error=e/> }.into_any(),
            Some(Ok(d)) => {
                let g = d.graduates;
                if g.nodes.is_empty() {
                    return view! { <p class="empty" id="graduates-empty">{t(Key::NothingFound)}</p> }.into_any();
                }
                let shown = g.nodes.len();
                let rows = g
                    .nodes
                    .into_iter()
                    .map(|n| {
                        let href = format!("/operator/graduates/{}", n.id);
                        let go = navigate.clone();
                        // The router's base is `/operator`: navigate within it.
                        let to = format!("/graduates/{}", n.id);
                        view! {
                            <tr class="clickable" on:click=move |_| go(&to, Default::default())>
                                <td>
                                    <a href=href>{n.full_name}</a>
                                </td>
                                <td>
                                    <code>{n.masked_iin}</code>
                                </td>
                                <td>{t(category_key(n.category))}</td>
                                <td>
                                    <span class=status_class(n.obligation.status)>{t(status_key(n.obligation.status))}</span>
                                </td>
                                <td class="reason">{n.obligation.reason}</td>
                            </tr>
                        }
                    })
                    .collect_view();
                view! {
                    <div class="table-wrap">
                        <table id="graduates" class="cards-sm">
                            <caption class="sr-only">{t(Key::NavGraduates)}</caption>
                            <thead>
                                <tr>
                                    <th scope="col">{t(Key::FullName)}</th>
                                    <th scope="col">{t(Key::Iin)}</th>
                                    <th scope="col">{t(Key::Category)}</th>
                                    <th scope="col">{t(Key::Status)}</th>
                                    <th scope="col">{t(Key::Reason)}</th>
                                </tr>
                            </thead>
                            <tbody>{rows}</tbody>
                        </table>
                    </div>
                    <Pager
                        cursor=cursor
                        total=g.total_count
                        shown=shown
                        page_size=PAGE
                        has_next=g.page_info.has_next_page
                        end_cursor=g.page_info.end_cursor
                    />
                }
                    .into_any()
            }
        }}
    }
}

// ---------------------------------------------------------------------------------------
// The graduate card

#[component]
pub fn GraduateCard() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").unwrap_or_default());
    let revealed: RwSignal<Option<String>> = RwSignal::new(None);
    let reveal_error: RwSignal<Option<ApiError>> = RwSignal::new(None);
    let reload = RwSignal::new(0u32);
    // The terms' correction: its form open, and a correction saved. Owned by the card: the
    // card is drawn again when the graduate is loaded again.
    let (correcting, corrected) = (RwSignal::new(false), RwSignal::new(false));
    let data = api::query::<gql::Graduate>(move || {
        reload.track();
        gql::graduate::Variables {
            id: id(),
            language: Some(lang().to_api()),
        }
    });
    let on_reveal = move |_| {
        let graduate_id = id();
        reveal_error.set(None);
        leptos::task::spawn_local(async move {
            match api::call::<gql::RevealIin>(gql::reveal_iin::Variables { graduate_id }).await {
                Ok(d) => revealed.set(Some(d.reveal_iin)),
                Err(e) => reveal_error.set(Some(e)),
            }
        });
    };
    view! {
        <p>
            <a href="/operator/graduates" id="back-to-graduates">{t(Key::BackToGraduates)}</a>
        </p>
        {move || match data.get() {
            None => view! { <Loading/> }.into_any(),
            Some(Err(e)) => view! { <ErrorBox error=e/> }.into_any(),
            Some(Ok(d)) => {
                let g = d.graduate;
                let o = g.obligation;
                let masked = g.masked_iin.clone();
                let months = months_of!(g.ledger);
                let row = |label: Key, value: String| {
                    view! {
                        <div class="dl-row">
                            <dt>{t(label)}</dt>
                            <dd>{value}</dd>
                        </div>
                    }
                };
                let graduated = g.graduation_date.clone();
                let start = o.start_date.clone();
                let evidence = g.contributions;
                let terms = Recorded {
                    category: g.category,
                    grant: g.grant_months,
                    programme: g.programme_months,
                    graduation: g.graduation_date.clone(),
                    cost: g.budget_cost,
                };
                let l = untrack(lang);
                let number = |n: i64| format::number(l, n);
                view! {
                    <h1 class="page-title" id="graduate-name">{g.full_name}</h1>
                    <StatusLine status=o.status reason=o.reason/>
                    <p class="alert info" id="next-step"><strong>{t(Key::NextStep)}</strong> " " {o.next_step}</p>
                    <section class="panel" id="identity" aria-labelledby="identity-title">
                        <h2 id="identity-title">{t(Key::Identity)}</h2>
                        <dl class="facts">
                            <div class="dl-row">
                                <dt>{t(Key::Iin)}</dt>
                                <dd>
                                    <code id="iin">{move || revealed.get().unwrap_or_else(|| masked.clone())}</code>
                                    " "
                                    {move || revealed.with(Option::is_none).then(|| view! {
                                        <button type="button" class="secondary" id="reveal-iin" on:click=on_reveal title=t(Key::RevealRecorded)>
                                            {t(Key::RevealIin)}
                                        </button>
                                    })}
                                </dd>
                            </div>
                            {row(Key::Specialty, format!("{} {}", g.specialty_code, g.specialty_name))}
                            {g.university.map(|u| row(Key::University, u.name))}
                            {g.home_region.map(|r| row(Key::HomeRegion, r.name))}
                            <div class="dl-row">
                                <dt>{t(Key::GraduationDate)}</dt>
                                <dd>{move || format::date(lang(), &graduated)}</dd>
                            </div>
                            <div class="dl-row">
                                <dt>{t(Key::Category)}</dt>
                                <dd>{t(category_key(g.category))}</dd>
                            </div>
                        </dl>
                        {move || reveal_error.get().map(|e| view! { <ErrorBox error=e/> })}
                    </section>
                    <section class="panel" id="terms" aria-labelledby="terms-title">
                        <h2 id="terms-title">{t(Key::ObligationTerms)}</h2>
                        <Terms
                            required=o.required_months
                            credited=o.credited_months
                            remaining=o.remaining_months
                            projected=o.projected_completion
                        />
                        <dl class="facts">
                            <div class="dl-row">
                                <dt>{t(Key::StartDate)}</dt>
                                <dd>{move || format::date(lang(), &start)}</dd>
                            </div>
                            {o.last_employer.map(|e| row(Key::LastEmployer, e.name))}
                            {row(Key::GrantMonths, number(g.grant_months))}
                            {row(Key::ProgrammeMonths, number(g.programme_months))}
                            {row(Key::BudgetCostKzt, number(g.budget_cost))}
                        </dl>
                        {move || corrected.get().then(|| view! {
                            <p class="alert success" role="status" id="terms-corrected">{t(Key::TermsCorrected)}</p>
                        })}
                        {untrack(crate::ui::can_write).then(|| {
                            let (id, terms) = (g.id.clone(), terms.clone());
                            move || if correcting.get() {
                                view! { <TermsForm graduate_id=id.clone() was=terms.clone() open=correcting done=corrected reload=reload/> }.into_any()
                            } else {
                                view! {
                                    <button type="button" class="secondary" id="correct-terms" on:click=move |_| {
                                        corrected.set(false);
                                        correcting.set(true);
                                    }>{t(Key::CorrectTerms)}</button>
                                }.into_any()
                            }
                        })}
                    </section>
                    <Timeline months=months/>
                    <Evidence rows=evidence/>
                    <section class="panel" id="applications" aria-labelledby="applications-title">
                        <h2 id="applications-title">{t(Key::ExemptionTitle)}</h2>
                        <ApplicationList applications=app_lines!(g.applications) empty=Key::NoApplicationsYet/>
                    </section>
                    <ClaimList claims=claim_lines!(g.claims) id="claims" title=Key::NavClaims/>
                    <TaskReview tasks=g.tasks evidence=g.document_evidence reload=reload/>
                    <MessageHistory graduate_id=g.id messages=g.messages consents=g.consent_requests reload=reload/>
                }
                    .into_any()
            }
        }}
    }
}

/// A graduate's terms as recorded, which the correction form starts from.
#[derive(Clone)]
struct Recorded {
    category: Option<FundingCategory>,
    grant: i64,
    programme: i64,
    graduation: String,
    cost: i64,
}

/// The inputs of the terms' form, and the API's name of each (a refusal names its field).
const TERMS_FIELDS: [(&str, Key); 6] = [
    ("fundingCategory", Key::CorrectErrCategory),
    ("grantMonths", Key::CorrectErrMonths),
    ("programmeMonths", Key::CorrectErrMonths),
    ("graduationDate", Key::CorrectErrDate),
    ("budgetCostKzt", Key::CorrectErrCost),
    ("reason", Key::CorrectErrReason),
];

/// The text for a refused correction the API states by one of the form's fields.
fn terms_refusal(e: &ApiError) -> Option<Key> {
    (e.code == crate::api::ErrorCode::BadUserInput)
        .then(|| TERMS_FIELDS.iter().find(|(f, _)| e.is_about(f)))
        .flatten()
        .map(|(_, k)| *k)
}

/// One input of the terms' form, with the refusal of its field beside it.
fn terms_field(
    id: &'static str,
    label: Key,
    kind: &'static str,
    value: RwSignal<String>,
    field: &'static str,
    error: RwSignal<Option<ApiError>>,
) -> AnyView {
    let refused = move || {
        error.with(|e| {
            e.as_ref()
                .filter(|e| e.is_about(field))
                .and_then(terms_refusal)
        })
    };
    view! {
        <div class="field">
            <label for=id>{t(label)}</label>
            <input
                id=id
                type=kind
                inputmode=(kind == "number").then_some("numeric")
                aria-invalid=move || refused().map(|_| "true")
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))
                on:change=move |ev| value.set(event_target_value(&ev))
            />
            {move || refused().map(|k| view! { <small class="field-error" role="alert">{t(k)}</small> })}
        </div>
    }
    .into_any()
}

/// Corrects a graduate's terms with a reason (the administrator): the form starts from the
/// recorded values and sends only those changed; the API checks them as the graduates import
/// does, re-evaluates the graduate, and the card loads again.
#[component]
fn TermsForm(
    graduate_id: String,
    was: Recorded,
    open: RwSignal<bool>,
    done: RwSignal<bool>,
    reload: RwSignal<u32>,
) -> impl IntoView {
    let was_category = was.category.map_or("", |c| c.as_str());
    let category = RwSignal::new(was_category.to_string());
    let grant = RwSignal::new(was.grant.to_string());
    let programme = RwSignal::new(was.programme.to_string());
    let graduation = RwSignal::new(was.graduation.clone());
    let cost = RwSignal::new(was.cost.to_string());
    let reason = RwSignal::new(String::new());
    let error: RwSignal<Option<ApiError>> = RwSignal::new(None);
    let pending = RwSignal::new(false);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        // Only what changed; a number that is not one goes as -1, which the API refuses.
        let changed = |v: RwSignal<String>, old: String| {
            Some(v.get_untracked().trim().to_string()).filter(|v| *v != old)
        };
        let number = |v: String| v.parse::<i64>().unwrap_or(-1);
        let input = gql::correct_graduate_terms::GraduateTermsInput {
            funding_category: changed(category, was_category.into())
                .map(|c| FundingCategory::parse(&c)),
            grant_months: changed(grant, was.grant.to_string()).map(number),
            programme_months: changed(programme, was.programme.to_string()).map(number),
            graduation_date: changed(graduation, was.graduation.clone()),
            budget_cost_kzt: changed(cost, was.cost.to_string()).map(number),
        };
        let vars = gql::correct_graduate_terms::Variables {
            graduate_id: graduate_id.clone(),
            input,
            reason: reason.get_untracked(),
        };
        error.set(None);
        pending.set(true);
        leptos::task::spawn_local(async move {
            let sent = api::send::<gql::CorrectGraduateTerms>(vars, Vec::new()).await;
            pending.set(false);
            match sent {
                Ok(()) => {
                    open.set(false);
                    done.set(true);
                    reload.update(|n| *n += 1);
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let categories = FundingCategory::ALL
        .iter()
        .map(|c| (c.as_str(), category_key(Some(*c))))
        .collect();
    view! {
        <form id="terms-form" on:submit=on_submit novalidate=true>
            <fieldset>
                <legend>{t(Key::CorrectTerms)}</legend>
                <div class="form-row">
                    <Choice id="terms-category" label=Key::Category options=categories pick=Callback::new(move |v| category.set(v)) value=category/>
                    {terms_field("terms-grant", Key::GrantMonths, "number", grant, "grantMonths", error)}
                    {terms_field("terms-programme", Key::ProgrammeMonths, "number", programme, "programmeMonths", error)}
                </div>
                {move || error.with(|e| e.as_ref().filter(|e| e.is_about("fundingCategory")).and_then(terms_refusal)).map(|k| view! {
                    <p class="field-error" role="alert">{t(k)}</p>
                })}
                <div class="form-row">
                    {terms_field("terms-graduation", Key::GraduationDate, "date", graduation, "graduationDate", error)}
                    {terms_field("terms-cost", Key::BudgetCostKzt, "number", cost, "budgetCostKzt", error)}
                </div>
                {terms_field("terms-reason", Key::CorrectReason, "text", reason, "reason", error)}
                <div class="actions">
                    <button type="submit" id="terms-save" disabled=move || pending.get()>{t(Key::Save)}</button>
                    <button type="button" class="secondary" on:click=move |_| open.set(false)>{t(Key::Cancel)}</button>
                </div>
                // A refusal no field explains: nothing changed, or no right, or the network.
                {move || error.get().filter(|e| terms_refusal(e).is_none()).map(|e| if e.is_about("input") {
                    view! { <p class="alert error" role="alert">{t(Key::CorrectErrNothing)}</p> }.into_any()
                } else {
                    view! { <ErrorBox error=e/> }.into_any()
                })}
            </fieldset>
        </form>
    }
}

/// The contribution records behind the ledger (the evidence), newest first, folded: a
/// graduate working the whole term has 36 of them or more.
#[component]
fn Evidence(rows: Vec<gql::graduate::GraduateGraduateContributions>) -> impl IntoView {
    if rows.is_empty() {
        return view! {
            <section class="panel" id="evidence"><p class="muted">{t(Key::NoEvidence)}</p></section>
        }
        .into_any();
    }
    let n = rows.len();
    let body = rows
        .into_iter()
        .rev()
        .map(|r| {
            let date = r.payment_date.clone();
            let amount = r.amount_tiyn;
            // The operator's legal feed does not always carry dates and amounts: say so
            // rather than leave a blank that reads as zero.
            let none = || view! { <span class="muted">{t(Key::NotInFeed)}</span> }.into_any();
            let code = match r.payment_code.as_str() {
                "010" => Some(Key::PaymentCodeOpv),
                "012" => Some(Key::PaymentCodeSo),
                _ => None,
            };
            let code_text = r.payment_code.clone();
            view! {
                <tr>
                    <td>{period_label(&r.period)}</td>
                    <td><code>{r.employer_bin}</code> " " {r.employer_name}</td>
                    <td><code>{r.payment_code}</code> " " {move || code.map_or_else(|| code_text.clone(), |k| t(k)().to_owned())}</td>
                    <td>{move || date.as_deref().map_or_else(none, |d| format::date(lang(), d).into_any())}</td>
                    <td class="num">{move || amount.map_or_else(none, |a| format::money(lang(), a).into_any())}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section class="panel" id="evidence">
            <details>
                <summary>
                    <strong>{t(Key::Evidence)}</strong>
                    " · " {move || fill(lang().text(Key::RecordsCount), &[("n", format::number(lang(), n as i64))])}
                </summary>
                {table(
                    lang(),
                    "",
                    "",
                    &[Key::MonthCol, Key::EmployerLabel, Key::PaymentCodeCol, Key::PaymentDateCol, Key::AmountKzt],
                    body.into_any(),
                )}
            </details>
        </section>
    }
    .into_any()
}

// ---------------------------------------------------------------------------------------
// The operator's dashboard: obligation figures

/// The groups of statuses the trend stacks, with their CSS class and label.
const TREND_GROUPS: [&[ObligationStatus]; 5] = [
    &[ObligationStatus::Breach, ObligationStatus::Reimbursing],
    &[ObligationStatus::Gap, ObligationStatus::NonQualifying],
    &[ObligationStatus::Suspended, ObligationStatus::Exempt],
    &[
        ObligationStatus::Working,
        ObligationStatus::Fulfilled,
        ObligationStatus::Closed,
    ],
    &[ObligationStatus::NotStarted],
];
const TREND_LOOK: [Group; 5] = [
    ("bar bad", Key::TrendBreach),
    ("bar warn", Key::TrendAttention),
    ("bar paused", Key::TrendPaused),
    ("bar ok", Key::TrendOnTrack),
    ("bar", Key::TrendNotStarted),
];

/// Graduates by status at the end of each month: one stacked column per month (shares of the
/// month's graduates), the counts in each column's tooltip, and a legend.
#[component]
fn StatusTrend(
    months: Vec<gql::obligation_dashboard::ObligationDashboardObligationDashboardStatusHistory>,
) -> impl IntoView {
    let columns = months
        .into_iter()
        .map(|m| {
            let counts = TREND_GROUPS
                .iter()
                .map(|statuses| {
                    m.by_status
                        .iter()
                        // Stored names (`breach`), as the API counts them.
                        .filter(|c| {
                            statuses
                                .iter()
                                .any(|s| c.key.eq_ignore_ascii_case(s.as_str()))
                        })
                        .map(|c| c.count)
                        .sum()
                })
                .collect();
            let label = period_label(&m.period);
            Column {
                axis: label.get(..2).unwrap_or("").to_string(),
                key: m.period,
                label,
                counts,
            }
        })
        .collect();
    view! { <StackedColumns id="status-trend" label=Key::ChartStatusTrend groups=&TREND_LOOK columns=columns/> }
}

#[component]
pub fn ObligationFigures() -> impl IntoView {
    let regions = load_regions();
    let data = api::query::<gql::ObligationDashboard>(|| gql::obligation_dashboard::Variables {});
    move || match data.get() {
        None => view! { <Loading/> }.into_any(),
        Some(Err(e)) => view! { <ErrorBox error=e/> }.into_any(),
        Some(Ok(d)) => {
            let d = d.obligation_dashboard;
            if d.graduates == 0 {
                return view! { <EmptyState title=Key::NavGraduates text=Key::EmptyGraduates/> }
                    .into_any();
            }
            let counts: Vec<(ObligationStatus, i64)> = ObligationStatus::ALL
                .iter()
                .map(|s| {
                    let n = d
                        .by_status
                        .iter()
                        // The API counts by the stored name (`breach`), not the GraphQL one.
                        .filter(|c| c.key.eq_ignore_ascii_case(s.as_str()))
                        .map(|c| c.count)
                        .sum();
                    (*s, n)
                })
                .collect();
            let status_bars: Vec<Bar> = counts
                .into_iter()
                .map(|(st, n)| Bar {
                    key: st.as_str().to_string(),
                    label: Signal::derive(move || t(status_key(Some(st)))().to_string()),
                    count: n,
                    class: match st {
                        ObligationStatus::Breach | ObligationStatus::Reimbursing => "bar bad",
                        ObligationStatus::Working | ObligationStatus::Fulfilled => "bar ok",
                        _ => "bar",
                    },
                })
                .collect();
            let mut by_region = d.by_region;
            by_region.sort_by_key(|c| std::cmp::Reverse(c.count));
            let region_bars: Vec<Bar> = by_region
                .into_iter()
                .map(|c| {
                    let kato = c.key.clone();
                    Bar {
                        key: c.key,
                        label: Signal::derive(move || {
                            region_name(regions, &kato, lang()).unwrap_or_else(|| {
                                if kato.is_empty() {
                                    "—".to_string()
                                } else {
                                    kato.clone()
                                }
                            })
                        }),
                        count: c.count,
                        class: "bar",
                    }
                })
                .collect();
            let category_bars: Vec<Bar> = d
                .by_category
                .into_iter()
                .map(|c| {
                    let k = category_key(Some(FundingCategory::parse(&c.key.to_ascii_uppercase())));
                    Bar {
                        key: c.key,
                        label: Signal::derive(move || t(k)().to_string()),
                        count: c.count,
                        class: "bar",
                    }
                })
                .collect();
            let year_bars: Vec<Bar> = d
                .by_graduation_year
                .into_iter()
                .map(|c| {
                    let year = c.key.clone();
                    Bar {
                        key: c.key,
                        label: Signal::derive(move || year.clone()),
                        count: c.count,
                        class: "bar",
                    }
                })
                .collect();
            let (total, share, horizon, pending, history) = (
                d.graduates,
                d.breach_share,
                d.horizon,
                d.pending_classification,
                d.status_history,
            );
            let (credited, paid, running) = (
                d.credited_in_latest_month,
                d.paid_in_latest_month,
                d.imports_running,
            );
            let n = move |v: i64| Signal::derive(move || format::number(lang(), v));
            view! {
                <ul class="stats" id="obligation-figures">
                    <Stat id="graduates-total" label=Key::GraduatesTotal value=n(total)/>
                    <Stat id="breach-share" label=Key::BreachShare value=Signal::derive(move || format::percent(lang(), share))/>
                    <Stat id="latest-month" label=Key::LatestMonth value=Signal::derive(move || period_label(&horizon))/>
                    <Stat id="credited-latest-month" label=Key::CreditedLatestMonth value=n(credited)/>
                    <Stat id="paid-latest-month" label=Key::PaidLatestMonth value=n(paid)/>
                    <Stat id="employers-waiting" label=Key::EmployersWaiting value=n(pending)/>
                    <Stat id="imports-running" label=Key::ImportsRunning value=n(running)/>
                </ul>
                <section class="panel" aria-labelledby="by-status-title">
                    <h2 id="by-status-title">{t(Key::ByStatus)}</h2>
                    <BarChart id="status-chart" label=Key::ChartByStatus bars=status_bars/>
                </section>
                {(history.len() > 1).then(|| view! {
                    <section class="panel" aria-labelledby="trend-title">
                        <h2 id="trend-title">{t(Key::StatusTrend)}</h2>
                        <StatusTrend months=history/>
                    </section>
                })}
                <section class="panel" aria-labelledby="by-region-title">
                    <h2 id="by-region-title">{t(Key::ByRegion)}</h2>
                    <BarChart id="region-chart" label=Key::ChartByRegion bars=region_bars/>
                </section>
                <div class="grid-2">
                    <section class="panel" aria-labelledby="by-category-title">
                        <h2 id="by-category-title">{t(Key::ByCategory)}</h2>
                        <BarChart id="category-chart" label=Key::ChartByCategory bars=category_bars/>
                    </section>
                    <section class="panel" aria-labelledby="by-year-title">
                        <h2 id="by-year-title">{t(Key::ByGraduationYear)}</h2>
                        <BarChart id="year-chart" label=Key::ChartByYear bars=year_bars/>
                    </section>
                </div>
            }
                .into_any()
        }
    }
}
