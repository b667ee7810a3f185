#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail by panicking
//! Reference data that changes (issue 13): a locality's rural flag, an employer's kind and the
//! rules keep their history with effective dates, and each month is judged by the values in
//! force on its first day. Everything goes in through the imports and services an operator
//! uses; the months are computed by hand in each test's comments.
//!
//! The common setup: two graduates who finished in June 2024, so both obligations start in
//! September 2024 and need 36 months (48 of 48 months on the grant):
//! - A, rural quota, pedagogical: a school in the village 116835100 (rural), 2024-09..2025-11;
//! - B, state order, pedagogical: a firm (kind `employer`) in the town 111010000 (urban),
//!   2024-09..2025-11.
//!
//! The feeds end in November 2025: the horizon is 2025-11 (15 months from 2024-09).
//!
//! The history is read back through `Organisation.history` and `Locality.history`, and an
//! operator's edit in the register (`updateOrganisation`) re-evaluates the graduates who worked
//! at the organisation.

use crate::common;

use std::io::Write;
use std::path::{Path, PathBuf};

use adal_core::vocab::OrganisationKind;
use adal_obligations::import::{ImportKind, import_file};
use adal_obligations::rules::RuleSet;
use adal_obligations::vocab::FundingCategory;
use common::*;
use entities::{locality, locality_history, obligation, organisation, organisation_history};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{Value, json};

const GRAD_HEADER: &str = "iin,last_name,first_name,middle_name,birth_date,phone,email,language,university_bin,specialty_code,specialty_name,specialty_group,level,funding_category,home_region_kato,study_start,graduation_date,grant_months,programme_months,budget_cost_kzt,referral_employer_bin,referral_date";
const CONTRIB_HEADER: &str =
    "iin,employer_id,employer_name,employer_address,period,payment_date,amount_kzt,payment_code";
const LOCALITY_HEADER: &str = "kato,region_kato,name_kk,name_ru,name_en,rural,effective_from";
const EMPLOYER_HEADER: &str = "bin,kind,name_ru,locality_kato,activity_code,effective_from";
const UNIVERSITY: &str = "990140004654";
const VILLAGE: &str = "116835100";
const TOWN: &str = "111010000";

struct World {
    app: adal_testkit::TestApp,
    dir: tempfile::TempDir,
    a: String,
    b: String,
    school: String,
    firm: String,
    /// The setup's localities and employers imports.
    localities_batch: i64,
    employers_batch: i64,
}

fn write(dir: &Path, name: &str, lines: &[String]) -> PathBuf {
    let path = dir.join(name);
    let mut f = std::fs::File::create(&path).unwrap();
    for l in lines {
        writeln!(f, "{l}").unwrap();
    }
    path
}

/// `n` monthly contribution rows from `from` (year, month).
fn months(iin: &str, bin: &str, from: (i32, u32), n: u32) -> Vec<String> {
    (0..n)
        .map(|i| {
            let m0 = from.1 - 1 + i;
            let (y, m) = (from.0 + (m0 / 12) as i32, m0 % 12 + 1);
            format!("{iin},{bin},Employer,,{y}-{m:02},,,010")
        })
        .collect()
}

async fn import_report(
    w: &World,
    kind: ImportKind,
    name: &str,
    lines: &[String],
) -> adal_obligations::import::BatchReport {
    let path = write(w.dir.path(), name, lines);
    let r = import_file(&w.app.db, kind, &path, None).await.unwrap();
    assert_eq!(r.rejected, 0, "{name}: {r:?}");
    r
}

/// Imports a file with no rejected line; the number of obligations it re-evaluated.
async fn import(w: &World, kind: ImportKind, name: &str, lines: &[String]) -> u64 {
    import_report(w, kind, name, lines).await.evaluated
}

/// An operator administrator's account on the server (the setup loads no demo accounts), and
/// its access token.
async fn operator_admin(w: &World) -> String {
    use adal_registers::accounts::service::{AccountDraft, AssignmentDraft, create_account};
    let password = "history-admin-password";
    create_account(
        &w.app.db,
        None,
        AccountDraft {
            login: "history.admin".into(),
            password: password.into(),
            language: adal_core::vocab::Language::Ru,
            person_id: None,
            roles: vec![AssignmentDraft {
                role: adal_core::auth::Role::OperatorAdmin,
                organisation_id: None,
                region_kato: None,
                allowed_operations: None,
                allowed_fields: None,
            }],
        },
    )
    .await
    .unwrap();
    token_with(&w.app, "history.admin", password).await
}

const ORG_HISTORY: &str = "query($id: ID!) { organisation(id: $id) { kind history { effectiveFrom kind localityKato regionKato activityCode recordedAt importBatchId } locality { kato history { effectiveFrom rural recordedAt importBatchId } } } }";

/// An organisation with its history and its locality's, as `token` sees them.
async fn org_history(w: &World, token: Option<&str>, bin: &str) -> Value {
    let id = org(w, bin).await.id.to_string();
    gql(&w.app, token, ORG_HISTORY, json!({ "id": id }))
        .await
        .ok()["organisation"]
        .clone()
}

/// The (effectiveFrom, kind, localityKato, importBatchId) of each period, in order.
fn periods(org: &Value) -> Vec<(String, String, String, Value)> {
    org["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["effectiveFrom"].as_str().unwrap().to_owned(),
                p["kind"].as_str().unwrap().to_owned(),
                p["localityKato"].as_str().unwrap_or_default().to_owned(),
                p["importBatchId"].clone(),
            )
        })
        .collect()
}

const UPDATE: &str = "mutation($id: ID!, $input: OrganisationInput!, $from: NaiveDate) { updateOrganisation(id: $id, input: $input, effectiveFrom: $from) { kind } }";

/// The operator edits an organisation in the register: its kind and locality, the names as
/// imported.
async fn update(
    w: &World,
    token: &str,
    bin: &str,
    kind: &str,
    locality: &str,
    from: Option<&str>,
) -> Reply {
    let o = org(w, bin).await;
    gql(
        &w.app,
        Some(token),
        UPDATE,
        json!({
            "id": o.id.to_string(),
            "input": {
                "bin": bin,
                "kind": kind,
                "nameKk": o.name_kk,
                "nameRu": o.name_ru,
                "nameEn": o.name_en,
                "localityKato": locality,
            },
            "from": from,
        }),
    )
    .await
}

async fn setup() -> World {
    let mut w = World {
        app: spawn_app().await,
        dir: tempfile::tempdir().unwrap(),
        a: valid_id("00010150001"),
        b: valid_id("00020250002"),
        school: valid_id("23014000111"),
        firm: valid_id("23014000222"),
        localities_batch: 0,
        employers_batch: 0,
    };
    import(
        &w,
        ImportKind::Regions,
        "regions.csv",
        &[
            "kato,name_kk,name_ru,name_en".into(),
            "110000000,Ақмола облысы,Акмолинская область,Akmola region".into(),
        ],
    )
    .await;
    // No effective date: in force from the first day of this month, and so (the first
    // version) for every month before too.
    w.localities_batch = import_report(
        &w,
        ImportKind::Localities,
        "localities.csv",
        &[
            LOCALITY_HEADER.into(),
            format!("{VILLAGE},110000000,Ауыл,Село,Village,true,"),
            format!("{TOWN},110000000,Қала,Город,Town,false,"),
        ],
    )
    .await
    .id;
    w.employers_batch = import_report(
        &w,
        ImportKind::Employers,
        "employers.csv",
        &[
            EMPLOYER_HEADER.into(),
            format!("{UNIVERSITY},university,Университет,{TOWN},85421,"),
            format!("{},school,Сельская школа,{VILLAGE},85310,", w.school),
            format!("{},employer,ТОО Фирма,{TOWN},62010,", w.firm),
        ],
    )
    .await
    .id;
    import(
        &w,
        ImportKind::Graduates,
        "graduates.csv",
        &[
            GRAD_HEADER.into(),
            format!(
                "{},Серікова,Аяна,,,,,kk,{UNIVERSITY},6B01101,Педагогика,pedagogical,bachelor,rural_quota,110000000,2020-09-01,2024-06-30,48,48,2400000,,",
                w.a
            ),
            format!(
                "{},Омаров,Бекзат,,,,,ru,{UNIVERSITY},6B01102,Педагогика,pedagogical,bachelor,state_order,110000000,2020-09-01,2024-06-30,48,48,2400000,,",
                w.b
            ),
        ],
    )
    .await;
    let mut feed = vec![CONTRIB_HEADER.to_owned()];
    feed.extend(months(&w.a, &w.school, (2024, 9), 15));
    feed.extend(months(&w.b, &w.firm, (2024, 9), 15));
    import(&w, ImportKind::Contributions, "contributions.csv", &feed).await;
    w
}

async fn obligation_of(w: &World, iin: &str) -> obligation::Model {
    let person = entities::person::Entity::find()
        .filter(entities::person::Column::Iin.eq(iin))
        .one(&w.app.db)
        .await
        .unwrap()
        .unwrap();
    let grad = entities::graduate::Entity::find()
        .filter(entities::graduate::Column::PersonId.eq(person.id))
        .one(&w.app.db)
        .await
        .unwrap()
        .unwrap();
    obligation::Entity::find()
        .filter(obligation::Column::GraduateId.eq(grad.id))
        .one(&w.app.db)
        .await
        .unwrap()
        .unwrap()
}

async fn org(w: &World, bin: &str) -> organisation::Model {
    organisation::Entity::find()
        .filter(organisation::Column::Bin.eq(bin))
        .one(&w.app.db)
        .await
        .unwrap()
        .unwrap()
}

/// (status, credited months) and the explanation, for the assertion messages.
async fn status(w: &World, iin: &str) -> (String, i32, String) {
    let o = obligation_of(w, iin).await;
    (o.status, o.credited_months, o.explanation)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_village_made_urban_keeps_the_rural_months_credited() {
    let w = setup().await;
    // Before: the village is rural in every month; A's 15 months 2024-09..2025-11 at its
    // school are credited: WORKING, 15 of 36.
    let (s, credited, e) = status(&w, &w.a).await;
    assert_eq!((s.as_str(), credited), ("working", 15), "{e}");

    // The village is made urban from 1 September 2025, by a localities import and nothing
    // else. 2024-09..2025-08 (12 months) were worked while it was rural: still credited.
    // 2025-09, 2025-10, 2025-11 (3 months) at the same school are NON_QUALIFYING, not rural;
    // 3 months without credit, the latest non-qualifying: NON_QUALIFYING, 12 of 36.
    let evaluated = import(
        &w,
        ImportKind::Localities,
        "village-urban.csv",
        &[
            LOCALITY_HEADER.into(),
            format!("{VILLAGE},110000000,Ауыл,Село,Village,false,2025-09-01"),
            // The town is unchanged: no version, and nobody re-evaluated for it.
            format!("{TOWN},110000000,Қала,Город,Town,false,2025-09-01"),
        ],
    )
    .await;
    assert_eq!(
        evaluated, 1,
        "only A works in the village; B is not touched"
    );
    let o = obligation_of(&w, &w.a).await;
    assert_eq!(
        (o.status.as_str(), o.credited_months),
        ("non_qualifying", 12),
        "{}",
        o.explanation
    );
    let e: serde_json::Value = serde_json::from_str(&o.explanation).unwrap();
    assert_eq!(e["monthsWithoutCredit"], 3, "{e}");
    assert_eq!(e["since"], "2025-09", "{e}");
    assert_eq!(e["reason"]["code"], "not_rural", "{e}");
    assert_eq!(o.horizon_state.as_deref(), Some("non_qualifying"));

    // The current row holds the latest flag; the history both, with their dates.
    let village = locality::Entity::find_by_id(VILLAGE.to_owned())
        .one(&w.app.db)
        .await
        .unwrap()
        .unwrap();
    assert!(!village.rural);
    let versions = locality_history::Entity::find()
        .filter(locality_history::Column::Kato.eq(VILLAGE))
        .all(&w.app.db)
        .await
        .unwrap();
    assert_eq!(versions.len(), 2);
    assert!(
        versions.iter().any(|v| !v.rural
            && v.effective_from == chrono::NaiveDate::from_ymd_opt(2025, 9, 1).unwrap())
    );
    let town_versions = locality_history::Entity::find()
        .filter(locality_history::Column::Kato.eq(TOWN))
        .count(&w.app.db)
        .await
        .unwrap();
    assert_eq!(town_versions, 1, "an unchanged flag is not a new version");

    // A date that is not one is refused by line, with its field; the other lines go in.
    let path = write(
        w.dir.path(),
        "bad-date.csv",
        &[
            LOCALITY_HEADER.into(),
            format!("{VILLAGE},110000000,Ауыл,Село,Village,true,2025-13-01"),
        ],
    );
    let r = import_file(&w.app.db, ImportKind::Localities, &path, None)
        .await
        .unwrap();
    assert_eq!((r.accepted, r.rejected), (0, 1), "{r:?}");
    let report = adal_obligations::import::rejection_report(&w.app.db, r.id)
        .await
        .unwrap();
    assert!(report.contains("2,effective_from,"), "{report}");

    // B (at the firm in the town) was not re-evaluated and is as before: 15 months of
    // non-qualifying work (kind), 15 > 12: BREACH.
    let (s, credited, e) = status(&w, &w.b).await;
    assert_eq!((s.as_str(), credited), ("breach", 0), "{e}");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_employer_reclassified_from_a_date_keeps_the_months_before() {
    let w = setup().await;
    // Before: B works at a firm (kind `employer`), which does not count for a pedagogical
    // state-order graduate: 15 months non-qualifying, 15 > 12: BREACH.
    let (s, credited, e) = status(&w, &w.b).await;
    assert_eq!((s.as_str(), credited), ("breach", 0), "{e}");

    // The firm is reclassified as a school from 1 March 2025 (an employers import). The months
    // before keep the old kind: 2024-09..2025-02 (6) non-qualifying; 2025-03..2025-11 (9)
    // credited: WORKING, 9 of 36. Only B is re-evaluated (A's school did not change).
    let evaluated = import(
        &w,
        ImportKind::Employers,
        "firm-school.csv",
        &[
            EMPLOYER_HEADER.into(),
            format!("{},school,ТОО Фирма,{TOWN},85310,2025-03-01", w.firm),
            format!(
                "{},school,Сельская школа,{VILLAGE},85310,2025-03-01",
                w.school
            ),
        ],
    )
    .await;
    assert_eq!(evaluated, 1, "the unchanged school touches nobody");
    let (s, credited, e) = status(&w, &w.b).await;
    assert_eq!((s.as_str(), credited), ("working", 9), "{e}");

    // The operator classifies it back as an `employer` from 10 September 2025: a date within
    // a month applies from the next month, 2025-10. 2025-03..2025-09 (7) stay credited;
    // 2025-10, 2025-11 (2) are non-qualifying (kind): 2 months without credit, the latest
    // non-qualifying: NON_QUALIFYING, 7 of 36.
    let firm = org(&w, &w.firm).await;
    adal_obligations::classify::classify(
        &w.app.db,
        1,
        firm.id,
        OrganisationKind::Employer,
        TOWN,
        None,
        chrono::NaiveDate::from_ymd_opt(2025, 9, 10),
    )
    .await
    .unwrap();
    let o = obligation_of(&w, &w.b).await;
    assert_eq!(
        (o.status.as_str(), o.credited_months),
        ("non_qualifying", 7),
        "{}",
        o.explanation
    );
    let e: serde_json::Value = serde_json::from_str(&o.explanation).unwrap();
    assert_eq!(e["since"], "2025-10", "{e}");
    assert_eq!(e["reason"]["code"], "kind", "{e}");
    // Its history: as imported, the school from 2025-03-01, the employer from 2025-09-10.
    let versions = organisation_history::Entity::find()
        .filter(organisation_history::Column::OrganisationId.eq(firm.id))
        .all(&w.app.db)
        .await
        .unwrap();
    let kinds: Vec<&str> = versions.iter().map(|v| v.kind.as_str()).collect();
    assert_eq!(kinds, ["employer", "school", "employer"]);
    assert_eq!(versions[2].recorded_by, Some(1));
    assert_eq!(org(&w, &w.firm).await.kind, "employer");
    // A was never touched: 15 credited months at the village school.
    let (s, credited, e) = status(&w, &w.a).await;
    assert_eq!((s.as_str(), credited), ("working", 15), "{e}");
}

#[tokio::test(flavor = "multi_thread")]
async fn rules_apply_from_their_effective_date() {
    let w = setup().await;
    // New rules: rural-quota work counts only in healthcare, from 1 June 2025. A's school
    // months 2024-09..2025-05 (9) were judged by the rules then in force: credited;
    // 2025-06..2025-11 (6) are non-qualifying (kind): NON_QUALIFYING, 9 of 36. B's category is
    // untouched by the change.
    let mut rules = RuleSet::default();
    for r in &mut rules.rules {
        if r.category == FundingCategory::RuralQuota {
            r.employer_kinds = Some(vec![OrganisationKind::Healthcare]);
        }
    }
    let json = serde_json::to_value(&rules).unwrap();
    let june = chrono::NaiveDate::from_ymd_opt(2025, 6, 1);
    let preview = adal_obligations::evaluate::preview(&w.app.db, &rules, june)
        .await
        .unwrap();
    assert_eq!(preview.len(), 1, "{preview:?}");
    assert_eq!(
        preview.get(&("working".to_owned(), "non_qualifying".to_owned())),
        Some(&1)
    );
    // From December 2025, after the horizon (2025-11): no month is judged by it yet.
    let later = adal_obligations::evaluate::preview(
        &w.app.db,
        &rules,
        chrono::NaiveDate::from_ymd_opt(2025, 12, 1),
    )
    .await
    .unwrap();
    assert!(later.is_empty(), "{later:?}");

    let saved = adal_obligations::evaluate::save_rules(&w.app.db, 1, json, "healthcare only", june)
        .await
        .unwrap();
    assert_eq!(saved.effective_from, june.unwrap());
    let summary = adal_obligations::evaluate::reevaluate_all(&w.app.db)
        .await
        .unwrap();
    assert_eq!(
        summary.rule_version, saved.version,
        "the version at the horizon"
    );
    let o = obligation_of(&w, &w.a).await;
    assert_eq!(
        (o.status.as_str(), o.credited_months),
        ("non_qualifying", 9),
        "{}",
        o.explanation
    );
    let e: serde_json::Value = serde_json::from_str(&o.explanation).unwrap();
    assert_eq!(e["since"], "2025-06", "{e}");
    assert_eq!(o.rule_version, saved.version);
    let (s, credited, e) = status(&w, &w.b).await;
    assert_eq!((s.as_str(), credited), ("breach", 0), "{e}");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_history_fields_show_a_reclassified_employer_and_a_village_made_urban() {
    let w = setup().await;
    let admin = operator_admin(&w).await;
    let batch = |id: i64| json!(id.to_string());

    // As imported: the firm's values since ever, recorded by the employers import. A firm is
    // an employer: the operator's staff see it, an anonymous caller does not find it.
    let firm = org_history(&w, Some(&admin), &w.firm).await;
    assert_eq!(
        periods(&firm),
        [(
            "1900-01-01".into(),
            "EMPLOYER".into(),
            TOWN.into(),
            batch(w.employers_batch)
        )]
    );
    assert!(firm["history"][0]["recordedAt"].is_string(), "{firm}");
    let id = org(&w, &w.firm).await.id.to_string();
    let hidden = gql(&w.app, None, ORG_HISTORY, json!({ "id": id })).await;
    assert_eq!(
        hidden.code().as_deref(),
        Some("NOT_FOUND"),
        "{}",
        hidden.body
    );

    // The operator reclassifies it as a school from 1 March 2025: a second period, recorded
    // by a person (no import).
    let r = gql(
        &w.app,
        Some(&admin),
        "mutation($id: ID!) { classifyEmployer(id: $id, kind: SCHOOL, localityKato: \"111010000\", activityCode: \"85310\", effectiveFrom: \"2025-03-01\") { id } }",
        json!({ "id": id }),
    )
    .await;
    r.ok();
    let firm = org_history(&w, Some(&admin), &w.firm).await;
    assert_eq!(
        periods(&firm),
        [
            (
                "1900-01-01".into(),
                "EMPLOYER".into(),
                TOWN.into(),
                batch(w.employers_batch)
            ),
            (
                "2025-03-01".into(),
                "SCHOOL".into(),
                TOWN.into(),
                Value::Null
            ),
        ]
    );
    let second = &firm["history"][1];
    assert_eq!(second["activityCode"], "85310", "{firm}");
    assert_eq!(second["regionKato"], "110000000", "{firm}");
    assert_eq!(firm["history"][0]["activityCode"], "62010", "{firm}");

    // A localities import makes the village urban from 1 September 2025: the village school's
    // locality (public: a school is an institution) shows both flags, each with its import.
    let urban = import_report(
        &w,
        ImportKind::Localities,
        "village-urban.csv",
        &[
            LOCALITY_HEADER.into(),
            format!("{VILLAGE},110000000,Ауыл,Село,Village,false,2025-09-01"),
        ],
    )
    .await;
    let school = org_history(&w, None, &w.school).await;
    let flags: Vec<(&str, bool, &Value)> = school["locality"]["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["effectiveFrom"].as_str().unwrap(),
                p["rural"].as_bool().unwrap(),
                &p["importBatchId"],
            )
        })
        .collect();
    assert_eq!(
        flags,
        [
            ("1900-01-01", true, &batch(w.localities_batch)),
            ("2025-09-01", false, &batch(urban.id)),
        ]
    );
    // The school itself did not change: one period.
    assert_eq!(periods(&school).len(), 1, "{school}");
    // The same through the list of localities: the town's flag never changed.
    let r = gql(
        &w.app,
        None,
        "{ localities(regionKato: \"110000000\") { nodes { kato history { effectiveFrom rural } } } }",
        json!({}),
    )
    .await;
    let nodes = r.ok()["localities"]["nodes"].as_array().unwrap().clone();
    let of = |kato: &str| -> usize {
        nodes.iter().find(|n| n["kato"] == kato).unwrap()["history"]
            .as_array()
            .unwrap()
            .len()
    };
    assert_eq!((of(VILLAGE), of(TOWN)), (2, 1), "{nodes:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_operator_edit_in_the_register_re_evaluates_the_graduates_who_worked_there() {
    let w = setup().await;
    let admin = operator_admin(&w).await;
    // Before: B at the firm (kind `employer`): 15 months non-qualifying, 15 > 12: BREACH.
    let (s, credited, e) = status(&w, &w.b).await;
    assert_eq!((s.as_str(), credited), ("breach", 0), "{e}");

    // The operator edits the firm in the register: a school from 1 March 2025. Nothing but the
    // edit re-evaluates B: 2024-09..2025-02 (6) keep the old kind, non-qualifying;
    // 2025-03..2025-11 (9) at a school are credited: WORKING, 9 of 36.
    let r = update(&w, &admin, &w.firm, "SCHOOL", TOWN, Some("2025-03-01")).await;
    assert_eq!(r.ok()["updateOrganisation"]["kind"], "SCHOOL");
    let (s, credited, e) = status(&w, &w.b).await;
    assert_eq!((s.as_str(), credited), ("working", 9), "{e}");
    // A (at the village school) was not touched: 15 credited months.
    let (s, credited, e) = status(&w, &w.a).await;
    assert_eq!((s.as_str(), credited), ("working", 15), "{e}");

    // The village school moves to the town from 1 June 2025 (its locality, not its kind). A is
    // on the rural quota: 2024-09..2025-05 (9) in the village stay credited; 2025-06..2025-11
    // (6) in the town are not rural: 6 months without credit (not more than 12), the latest
    // non-qualifying: NON_QUALIFYING, 9 of 36, since 2025-06.
    update(&w, &admin, &w.school, "SCHOOL", TOWN, Some("2025-06-01"))
        .await
        .ok();
    let o = obligation_of(&w, &w.a).await;
    assert_eq!(
        (o.status.as_str(), o.credited_months),
        ("non_qualifying", 9),
        "{}",
        o.explanation
    );
    let e: serde_json::Value = serde_json::from_str(&o.explanation).unwrap();
    assert_eq!(e["since"], "2025-06", "{e}");
    assert_eq!(e["monthsWithoutCredit"], 6, "{e}");
    assert_eq!(e["reason"]["code"], "not_rural", "{e}");
    // B's firm did not change this time: still WORKING, 9.
    let (s, credited, e) = status(&w, &w.b).await;
    assert_eq!((s.as_str(), credited), ("working", 9), "{e}");

    // A change dated before the firm's latest one (2025-03-01) is refused, and nothing changes.
    let r = update(&w, &admin, &w.firm, "EMPLOYER", TOWN, Some("2025-01-01")).await;
    assert_eq!(r.code().as_deref(), Some("BAD_USER_INPUT"), "{}", r.body);
    assert_eq!(org(&w, &w.firm).await.kind, "school");
    let (s, credited, e) = status(&w, &w.b).await;
    assert_eq!((s.as_str(), credited), ("working", 9), "{e}");

    // Without a date, a change holds from the first day of the current month, after the
    // horizon (2025-11): B is re-evaluated and every month judged keeps its value, WORKING, 9.
    update(&w, &admin, &w.firm, "EMPLOYER", TOWN, None)
        .await
        .ok();
    let (s, credited, e) = status(&w, &w.b).await;
    assert_eq!((s.as_str(), credited), ("working", 9), "{e}");
    let firm = periods(&org_history(&w, Some(&admin), &w.firm).await);
    let kinds: Vec<&str> = firm.iter().map(|p| p.1.as_str()).collect();
    assert_eq!(kinds, ["EMPLOYER", "SCHOOL", "EMPLOYER"]);
    let latest = chrono::NaiveDate::parse_from_str(&firm[2].0, "%Y-%m-%d").unwrap();
    assert!(
        latest > chrono::NaiveDate::from_ymd_opt(2025, 11, 30).unwrap()
            && chrono::Datelike::day(&latest) == 1,
        "{firm:?}"
    );
    // Each edit is one version recorded by a person (no import); an edit of its names alone
    // is none.
    assert!(firm[1..].iter().all(|p| p.3.is_null()), "{firm:?}");
    let o = org(&w, &w.firm).await;
    let r = gql(
        &w.app,
        Some(&admin),
        UPDATE,
        json!({
            "id": o.id.to_string(),
            "input": {
                "bin": w.firm,
                "kind": "EMPLOYER",
                "nameKk": "Фирма",
                "nameRu": "ТОО Фирма (новое имя)",
                "nameEn": "Firm",
                "localityKato": TOWN,
            },
        }),
    )
    .await;
    r.ok();
    assert_eq!(
        periods(&org_history(&w, Some(&admin), &w.firm).await).len(),
        3
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_page_of_histories_costs_one_statement_per_table() {
    // The counter counts every statement on the pool: no job runner polling beside.
    let app = adal_testkit::spawn_app_with_demo_and(|s| s.job_runner = false).await;
    let q = "query($n: Int) { organisations(first: $n) { totalCount nodes { id history { effectiveFrom kind } locality { history { effectiveFrom rural } } } } }";
    let mut counts = Vec::new();
    // Anonymous callers see the demo's six institutions.
    for n in [2, 6] {
        let before = app.statements.get();
        let r = gql(&app, None, q, json!({ "n": n }));
        let r = r.await;
        let nodes = r.ok()["organisations"]["nodes"].as_array().unwrap().clone();
        assert_eq!(nodes.len(), n as usize);
        assert!(
            nodes
                .iter()
                .all(|o| !o["history"].as_array().unwrap().is_empty()),
            "every organisation has its first period: {nodes:?}"
        );
        counts.push(app.statements.get() - before);
    }
    assert_eq!(
        counts[0], counts[1],
        "statements grow with the page size: {counts:?}"
    );
    // count + page + organisations' histories + localities + localities' histories: at most 5.
    assert!(counts[1] <= 5, "{counts:?}");
}
