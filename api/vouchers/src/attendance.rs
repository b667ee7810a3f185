//! Attendance and payouts. Each month the provider records, per enrolled child, the sessions
//! held and attended; the parent confirms the month or disputes it with a reason; a month not
//! answered within the campaign's days counts as confirmed and is marked so by the worker's
//! hourly pass ([`auto_confirm_due`]), or sooner when the payouts are computed. The akimat
//! resolves disputes with a reason. Payouts per provider per month are made from confirmed
//! attendance only, by the rule in [`crate::rules`].
//!
//! Anomalies are flagged for the akimat, not paid silently: when the payouts of a month are
//! computed, a month that shows a child at two sections at overlapping times, or at a section
//! whose session falls at a time the school's turnstile shows the child inside school (when the
//! server plugs in the schools' [`crate::presence::Presence`]), a provider where every child
//! attended every session, or a section with more children than places is turned into a
//! dispute the akimat resolves before the month is paid.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction,
    EntityTrait, IntoActiveModel, QueryFilter, QueryOrder, QuerySelect, Set,
};
use serde_json::json;
use sha2::{Digest, Sha256};

use entities::{
    organisation, voucher, voucher_attendance as attendance, voucher_campaign,
    voucher_enrolment as enrolment, voucher_payout as payout, voucher_section as section,
};

use adal_core::audit;
use adal_core::auth::scope::organisations;
use adal_core::auth::{Actor, Role};
use adal_core::db::begin_write;
use adal_core::error::{ApiError, ApiResult};
use adal_core::spreadsheet::text_cell;
use adal_core::sql::Binds;

use crate::allocation::Notices;
use crate::clubs;
use crate::money::{self, Month};
use crate::presence::{Inside, SchoolPresence};
use crate::rules::{self, inside_during_session, schedules_overlap};
use crate::scope;
use crate::vocab::AttendanceStatus;
use crate::vocab::VoucherRefusal;

const PROVIDER_STAFF: &[Role] = &[Role::ProviderStaff];

/// The fewest children a provider must have for "every child attended every session" to be
/// an anomaly (with one or two children it is ordinary).
pub const PERFECT_ATTENDANCE_MIN_CHILDREN: usize = 5;

/// One child's month as the provider records it.
#[derive(Debug, Clone, Copy)]
pub struct Row {
    pub voucher_id: i64,
    pub held: i32,
    pub attended: i32,
}

/// The provider records a month's attendance at one of its sections. Re-sending the same
/// month replaces figures the parent has not answered yet; an answered month is final.
pub async fn record(
    db: &DatabaseConnection,
    actor: &Actor,
    section_id: i64,
    month: Month,
    rows: Vec<Row>,
    now: DateTime<Utc>,
) -> ApiResult<Vec<attendance::Model>> {
    record_with(db, actor, section_id, month, rows, now, Notices::Send).await
}

/// [`record`], asking the parents to confirm or not.
pub async fn record_with(
    db: &DatabaseConnection,
    actor: &Actor,
    section_id: i64,
    month: Month,
    rows: Vec<Row>,
    now: DateTime<Utc>,
    notices: Notices,
) -> ApiResult<Vec<attendance::Model>> {
    if !money::is_month(month) || month > money::month_of(now.date_naive()) {
        return Err(ApiError::bad_input(
            "month",
            "a month (YYYYMM) that has begun: attendance is recorded after the sessions",
        ));
    }
    let txn = begin_write(db).await?;
    let s = clubs::own_section(&txn, actor, section_id).await?;
    let mut saved = Vec::with_capacity(rows.len());
    let mut new_months: Vec<(attendance::Model, i64, i64)> = Vec::new();
    for row in rows {
        if !(0..=62).contains(&row.held) || !(0..=row.held).contains(&row.attended) {
            return Err(ApiError::bad_input(
                "rows",
                format!(
                    "voucher {}: sessions attended are 0 to the sessions held (0-62)",
                    row.voucher_id
                ),
            ));
        }
        let Some(e) = enrolment::Entity::find()
            .filter(enrolment::Column::VoucherId.eq(row.voucher_id))
            .filter(enrolment::Column::SectionId.eq(s.id))
            .filter(clubs::enrolled_in(month))
            .one(&txn)
            .await?
        else {
            return Err(ApiError::BadInputBecause {
                field: "rows".into(),
                reason: VoucherRefusal::NotEnrolled.into(),
                value: row.voucher_id.to_string(),
                message: format!(
                    "voucher {} is not used at this section in {month}",
                    row.voucher_id
                ),
            });
        };
        let existing = attendance::Entity::find()
            .filter(attendance::Column::EnrolmentId.eq(e.id))
            .filter(attendance::Column::Month.eq(month))
            .one(&txn)
            .await?;
        let mut fresh: Option<(i64, i64)> = None;
        let model = match existing {
            Some(a) if a.sessions_held == row.held && a.sessions_attended == row.attended => a,
            Some(a) if a.status == AttendanceStatus::Recorded.as_str() => {
                let mut am = a.into_active_model();
                am.sessions_held = Set(row.held);
                am.sessions_attended = Set(row.attended);
                am.recorded_by = Set(Some(actor.account_id));
                am.recorded_at = Set(now);
                am.update(&txn).await?
            }
            Some(a) => {
                return Err(ApiError::ConflictBecause {
                    reason: VoucherRefusal::AlreadyAnswered.into(),
                    message: format!(
                        "voucher {}: the month of {month} is already {}; it is final",
                        row.voucher_id, a.status
                    ),
                });
            }
            None => {
                let v = voucher::Entity::find_by_id(row.voucher_id)
                    .one(&txn)
                    .await?
                    .ok_or(ApiError::NotFound("voucher"))?;
                fresh = Some((v.application_id, v.campaign_id));
                attendance::ActiveModel {
                    enrolment_id: Set(e.id),
                    voucher_id: Set(v.id),
                    section_id: Set(s.id),
                    organisation_id: Set(s.organisation_id),
                    campaign_id: Set(v.campaign_id),
                    child_person_id: Set(v.child_person_id),
                    month: Set(month),
                    sessions_held: Set(row.held),
                    sessions_attended: Set(row.attended),
                    status: Set(AttendanceStatus::Recorded.as_str().to_owned()),
                    recorded_by: Set(Some(actor.account_id)),
                    recorded_at: Set(now),
                    dispute_reason: Set(None),
                    resolution: Set(None),
                    decided_by: Set(None),
                    decided_at: Set(None),
                    payout: Set(None),
                    payout_id: Set(None),
                    ..Default::default()
                }
                .insert(&txn)
                .await?
            }
        };
        if let Some((application_id, campaign_id)) = fresh {
            new_months.push((model.clone(), application_id, campaign_id));
        }
        saved.push(model);
    }
    // The parents of the months recorded for the first time are asked to confirm them.
    if notices == Notices::Quiet {
        new_months.clear();
    }
    for (a, application_id, campaign_id) in &new_months {
        let campaign = crate::campaigns::get(&txn, *campaign_id).await?;
        let by = answer_by(a.recorded_at, campaign.confirm_days);
        crate::notices::tell_parent(
            &txn,
            &crate::notices::VOUCHER_ATTENDANCE,
            *application_id,
            format!("voucher-attendance:{}", a.id),
            &[
                ("month", format!("{}-{:02}", month / 100, month % 100)),
                ("attended", a.sessions_attended.to_string()),
                ("held", a.sessions_held.to_string()),
                ("answer_by", by.format("%d.%m.%Y").to_string()),
            ],
            now,
        )
        .await?;
    }
    audit::record(
        &txn,
        Some(actor.account_id),
        "voucher.attendance.recorded",
        "voucher_section",
        s.id,
        json!({"month": month, "rows": saved.len()}),
    )
    .await?;
    txn.commit().await?;
    Ok(saved)
}

/// The day by which the parent answers a recorded month.
pub fn answer_by(recorded_at: DateTime<Utc>, confirm_days: i32) -> DateTime<Utc> {
    recorded_at + Duration::days(i64::from(confirm_days))
}

/// The parent confirms a month, or disputes it with a reason, within the campaign's days.
pub async fn answer(
    db: &DatabaseConnection,
    actor: &Actor,
    attendance_id: i64,
    confirm: bool,
    reason: Option<String>,
    now: DateTime<Utc>,
) -> ApiResult<attendance::Model> {
    let reason = adal_core::reason::unless_favourable(
        confirm,
        reason.as_deref(),
        "a dispute states its reason",
    )?;
    let txn = begin_write(db).await?;
    let a = scope::children(actor)
        .apply(
            attendance::Entity::find_by_id(attendance_id),
            attendance::Column::ChildPersonId,
        )
        .one(&txn)
        .await?
        .ok_or(ApiError::NotFound("attendance"))?;
    if a.status != AttendanceStatus::Recorded.as_str() {
        return Err(ApiError::ConflictBecause {
            reason: VoucherRefusal::AlreadyAnswered.into(),
            message: format!("this month is already {}", a.status),
        });
    }
    let campaign = crate::campaigns::get(&txn, a.campaign_id).await?;
    if now >= answer_by(a.recorded_at, campaign.confirm_days) {
        auto_confirm(&txn, &campaign, now).await?;
        txn.commit().await?;
        return Err(ApiError::ConflictBecause {
            reason: VoucherRefusal::AnswerWindowOver.into(),
            message: format!(
                "the month was not answered within {} days and counts as confirmed",
                campaign.confirm_days
            ),
        });
    }
    let status = if confirm {
        AttendanceStatus::Confirmed
    } else {
        AttendanceStatus::Disputed
    };
    let mut am = a.into_active_model();
    am.status = Set(status.as_str().to_owned());
    am.dispute_reason = Set(reason.clone());
    let saved = am.update(&txn).await?;
    audit::record(
        &txn,
        Some(actor.account_id),
        if confirm {
            "voucher.attendance.confirmed"
        } else {
            "voucher.attendance.disputed"
        },
        "voucher_attendance",
        saved.id,
        json!({"month": saved.month, "reason": reason}),
    )
    .await?;
    txn.commit().await?;
    Ok(saved)
}

/// The akimat resolves a disputed (or flagged) month: upheld, with the sessions attended as
/// it found them, or rejected (not paid); with its reason either way.
pub async fn resolve(
    db: &DatabaseConnection,
    actor: &Actor,
    attendance_id: i64,
    uphold: bool,
    attended: Option<i32>,
    reason: String,
) -> ApiResult<attendance::Model> {
    let reason = adal_core::reason::required(&reason, "a resolution states its reason")?;
    let txn = begin_write(db).await?;
    let a = attendance::Entity::find_by_id(attendance_id)
        .one(&txn)
        .await?
        .ok_or(ApiError::NotFound("attendance"))?;
    crate::campaigns::get_managed(&txn, actor, a.campaign_id)
        .await
        .map_err(|_| ApiError::NotFound("attendance"))?;
    if a.status != AttendanceStatus::Disputed.as_str() {
        return Err(ApiError::ConflictBecause {
            reason: VoucherRefusal::NotDisputed.into(),
            message: "only a disputed or flagged month is resolved".into(),
        });
    }
    if let Some(n) = attended
        && !(0..=a.sessions_held).contains(&n)
    {
        return Err(ApiError::bad_input(
            "attended",
            "sessions attended are 0 to the sessions held",
        ));
    }
    let status = if uphold {
        AttendanceStatus::Upheld
    } else {
        AttendanceStatus::Rejected
    };
    let mut am = a.clone().into_active_model();
    am.status = Set(status.as_str().to_owned());
    if let Some(n) = attended {
        am.sessions_attended = Set(n);
    }
    am.resolution = Set(Some(reason.clone()));
    am.decided_by = Set(Some(actor.account_id));
    am.decided_at = Set(Some(Utc::now()));
    let saved = am.update(&txn).await?;
    audit::record(
        &txn,
        Some(actor.account_id),
        "voucher.attendance.resolved",
        "voucher_attendance",
        saved.id,
        json!({"status": status.as_str(), "attended": [a.sessions_attended, saved.sessions_attended],
               "reason": reason}),
    )
    .await?;
    txn.commit().await?;
    Ok(saved)
}

/// The latest time a month may have been recorded for its answer time to be over at `now`:
/// `now >= answer_by(recorded_at, confirm_days)`.
fn unanswered_since(now: DateTime<Utc>, confirm_days: i32) -> DateTime<Utc> {
    now - Duration::days(i64::from(confirm_days))
}

/// Marks the campaign's recorded months whose answer time is over as auto-confirmed, with one
/// audit row naming them (whichever pass found them: the hourly one, a late answer, the
/// payouts); returns their ids.
async fn auto_confirm(
    txn: &DatabaseTransaction,
    campaign: &voucher_campaign::Model,
    now: DateTime<Utc>,
) -> ApiResult<Vec<i64>> {
    let recorded = AttendanceStatus::Recorded.as_str();
    let due: Vec<i64> = attendance::Entity::find()
        .select_only()
        .column(attendance::Column::Id)
        .filter(attendance::Column::CampaignId.eq(campaign.id))
        .filter(attendance::Column::Status.eq(recorded))
        .filter(attendance::Column::RecordedAt.lte(unanswered_since(now, campaign.confirm_days)))
        .order_by_asc(attendance::Column::Id)
        .into_tuple()
        .all(txn)
        .await?;
    for chunk in due.chunks(500) {
        attendance::Entity::update_many()
            .col_expr(
                attendance::Column::Status,
                AttendanceStatus::AutoConfirmed.as_str().into(),
            )
            .filter(attendance::Column::Id.is_in(chunk.iter().copied()))
            .filter(attendance::Column::Status.eq(recorded))
            .exec(txn)
            .await?;
    }
    if !due.is_empty() {
        audit::record(
            txn,
            None,
            "voucher.attendance.auto_confirmed",
            "voucher_campaign",
            campaign.id,
            json!({"months": due.len(), "attendance": due,
                   "confirm_days": campaign.confirm_days}),
        )
        .await?;
    }
    Ok(due)
}

/// Marks every campaign's months not answered within its days as auto-confirmed (the worker's
/// hourly pass; `now` is the pass's time). The campaigns with such months are found in one
/// read; each is then marked in its own transaction under the campaign's lock (as the payouts
/// take it). Returns how many months were marked.
pub async fn auto_confirm_due(db: &DatabaseConnection, now: DateTime<Utc>) -> ApiResult<usize> {
    let waiting: Vec<i64> = attendance::Entity::find()
        .select_only()
        .column(attendance::Column::CampaignId)
        .distinct()
        .filter(attendance::Column::Status.eq(AttendanceStatus::Recorded.as_str()))
        .into_tuple()
        .all(db)
        .await?;
    if waiting.is_empty() {
        return Ok(0);
    }
    let campaigns = voucher_campaign::Entity::find()
        .filter(voucher_campaign::Column::Id.is_in(waiting))
        .order_by_asc(voucher_campaign::Column::Id)
        .all(db)
        .await?;
    // Which of them have a month whose answer time is over: one statement for all.
    let mut due_somewhere = sea_orm::Condition::any();
    for c in &campaigns {
        due_somewhere = due_somewhere.add(
            sea_orm::Condition::all()
                .add(attendance::Column::CampaignId.eq(c.id))
                .add(attendance::Column::RecordedAt.lte(unanswered_since(now, c.confirm_days))),
        );
    }
    let due: HashSet<i64> = attendance::Entity::find()
        .select_only()
        .column(attendance::Column::CampaignId)
        .distinct()
        .filter(attendance::Column::Status.eq(AttendanceStatus::Recorded.as_str()))
        .filter(due_somewhere)
        .into_tuple::<i64>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let mut marked = 0;
    for c in campaigns.into_iter().filter(|c| due.contains(&c.id)) {
        let txn = begin_write(db).await?;
        let campaign = crate::campaigns::lock(&txn, c.id).await?;
        let ids = auto_confirm(&txn, &campaign, now).await?;
        txn.commit().await?;
        marked += ids.len();
    }
    if marked > 0 {
        tracing::info!(
            months = marked,
            "unanswered attendance months auto-confirmed"
        );
    }
    Ok(marked)
}

/// How a flagged month's dispute reason begins: the anomaly found, not a parent's words.
pub const ANOMALY: &str = "anomaly: ";

/// The anomalies in a month's confirmed attendance, by attendance id. `inside` holds, by
/// child, the spans of the month the school's turnstile shows them inside (empty when no
/// school presence is plugged in: that check is then not made).
pub fn anomalies(
    rows: &[attendance::Model],
    sections: &HashMap<i64, section::Model>,
    inside: &HashMap<i64, Vec<Inside>>,
) -> BTreeMap<i64, String> {
    let mut found: BTreeMap<i64, String> = BTreeMap::new();
    // A child at two sections at overlapping times.
    let mut by_child: HashMap<i64, Vec<&attendance::Model>> = HashMap::new();
    for r in rows {
        by_child.entry(r.child_person_id).or_default().push(r);
    }
    for list in by_child.values() {
        for (i, a) in list.iter().enumerate() {
            for b in &list[i + 1..] {
                let (Some(sa), Some(sb)) =
                    (sections.get(&a.section_id), sections.get(&b.section_id))
                else {
                    continue;
                };
                if a.section_id != b.section_id
                    && schedules_overlap(&clubs::schedule_of(sa), &clubs::schedule_of(sb))
                {
                    for (x, other) in [(a, sb), (b, sa)] {
                        found.insert(
                            x.id,
                            format!(
                                "the child is also recorded at section {} ({}) at overlapping times",
                                other.id, other.name
                            ),
                        );
                    }
                }
            }
        }
    }
    // A child recorded at a section whose session falls at a time the school's turnstile shows
    // them inside school, on that weekday on a day of the month (a month with no session
    // attended claims no time).
    for r in rows.iter().filter(|r| r.sessions_attended > 0) {
        let (Some(s), Some(spans)) = (sections.get(&r.section_id), inside.get(&r.child_person_id))
        else {
            continue;
        };
        let of_month: Vec<Inside> = spans
            .iter()
            .filter(|i| money::month_of(i.date) == r.month)
            .copied()
            .collect();
        if let Some((i, slot)) = inside_during_session(&clubs::schedule_of(s), &of_month) {
            found.entry(r.id).or_insert_with(|| {
                format!(
                    "the school's turnstile shows the child inside school on {} from {} to {}, \
                     during the section's session {}-{}",
                    i.date.format("%d.%m.%Y"),
                    i.from.format("%H:%M"),
                    i.to.format("%H:%M"),
                    rules::format_time(slot.start),
                    rules::format_time(slot.end)
                )
            });
        }
    }
    // A provider where every child attended every session.
    let mut by_org: HashMap<i64, Vec<&attendance::Model>> = HashMap::new();
    for r in rows {
        by_org.entry(r.organisation_id).or_default().push(r);
    }
    for list in by_org.values() {
        let children: HashSet<i64> = list.iter().map(|r| r.child_person_id).collect();
        if children.len() >= PERFECT_ATTENDANCE_MIN_CHILDREN
            && list
                .iter()
                .all(|r| r.sessions_held > 0 && r.sessions_attended == r.sessions_held)
        {
            for r in list {
                found.entry(r.id).or_insert_with(|| {
                    format!(
                        "every one of the provider's {} children attended every session",
                        children.len()
                    )
                });
            }
        }
    }
    // More children than places.
    let mut by_section: HashMap<i64, Vec<&attendance::Model>> = HashMap::new();
    for r in rows {
        by_section.entry(r.section_id).or_default().push(r);
    }
    for (sid, list) in by_section {
        if let Some(s) = sections.get(&sid)
            && list.len() > s.capacity as usize
        {
            for r in &list {
                found.entry(r.id).or_insert_with(|| {
                    format!(
                        "{} children recorded at a section of {} places",
                        list.len(),
                        s.capacity
                    )
                });
            }
        }
    }
    found
}

/// A provider's month while it is summed: children paid, the amount, and each attendance
/// row's payout.
#[derive(Default)]
struct ProviderMonth {
    children: i32,
    amount: i64,
    items: Vec<(i64, i64)>,
}

/// What a payout run did.
#[derive(Debug, Clone)]
pub struct PayoutRun {
    pub payouts: Vec<payout::Model>,
    pub auto_confirmed: usize,
}

/// Computes a month's payouts per provider from confirmed attendance (after the month ends).
/// `presence` is where the schools say when children were inside school (the server's
/// [`crate::presence::Presence`]); without it the turnstile check is not made.
pub async fn compute_payouts(
    db: &DatabaseConnection,
    actor: &Actor,
    campaign_id: i64,
    month: Month,
    now: DateTime<Utc>,
    presence: Option<&dyn SchoolPresence>,
) -> ApiResult<PayoutRun> {
    if !money::is_month(month) {
        return Err(ApiError::bad_input("month", "months are written YYYYMM"));
    }
    if month >= money::month_of(now.date_naive()) {
        return Err(ApiError::ConflictBecause {
            reason: VoucherRefusal::MonthNotOver.into(),
            message: "a month is paid after it ends".into(),
        });
    }
    let txn = begin_write(db).await?;
    let campaign = crate::campaigns::get_managed(&txn, actor, campaign_id).await?;
    let campaign = crate::campaigns::lock(&txn, campaign.id).await?;
    let done = payout::Entity::find()
        .filter(payout::Column::CampaignId.eq(campaign.id))
        .filter(payout::Column::Month.eq(month))
        .one(&txn)
        .await?;
    if done.is_some() {
        return Err(ApiError::ConflictBecause {
            reason: VoucherRefusal::AlreadyPaid.into(),
            message: format!("the payouts of {month} are already computed"),
        });
    }
    let auto_confirmed = auto_confirm(&txn, &campaign, now).await?.len();
    let rows = attendance::Entity::find()
        .filter(attendance::Column::CampaignId.eq(campaign.id))
        .filter(attendance::Column::Month.eq(month))
        .order_by_asc(attendance::Column::Id)
        .all(&txn)
        .await?;
    let section_ids: HashSet<i64> = rows.iter().map(|r| r.section_id).collect();
    let sections: HashMap<i64, section::Model> = section::Entity::find()
        .filter(section::Column::Id.is_in(section_ids))
        .all(&txn)
        .await?
        .into_iter()
        .map(|s| (s.id, s))
        .collect();
    // Flag anomalies among the months confirmed without the akimat's word.
    let unreviewed: Vec<attendance::Model> = rows
        .iter()
        .filter(|r| {
            matches!(
                AttendanceStatus::from_db(&r.status),
                Some(AttendanceStatus::Confirmed | AttendanceStatus::AutoConfirmed)
            )
        })
        .cloned()
        .collect();
    // When the school's turnstile showed the children inside: one question for all of them.
    let mut children: Vec<i64> = unreviewed
        .iter()
        .filter(|r| r.sessions_attended > 0)
        .map(|r| r.child_person_id)
        .collect();
    children.sort_unstable();
    children.dedup();
    let inside = match presence {
        Some(p) if !children.is_empty() => p.inside(&txn, &children, month).await?,
        _ => HashMap::new(),
    };
    let flagged = anomalies(&unreviewed, &sections, &inside);
    for (id, why) in &flagged {
        attendance::Entity::update_many()
            .col_expr(
                attendance::Column::Status,
                AttendanceStatus::Disputed.as_str().into(),
            )
            .col_expr(
                attendance::Column::DisputeReason,
                Some(format!("{ANOMALY}{why}")).into(),
            )
            .filter(attendance::Column::Id.eq(*id))
            .exec(&txn)
            .await?;
    }
    let waiting = rows
        .iter()
        .filter(|r| r.status == AttendanceStatus::Recorded.as_str())
        .count();
    let disputed = rows
        .iter()
        .filter(|r| r.status == AttendanceStatus::Disputed.as_str())
        .count()
        + flagged.len();
    if waiting > 0 || disputed > 0 {
        if !flagged.is_empty() {
            audit::record(
                &txn,
                Some(actor.account_id),
                "voucher.attendance.flagged",
                "voucher_campaign",
                campaign.id,
                json!({"month": month, "flagged": flagged}),
            )
            .await?;
            txn.commit().await?;
        }
        return Err(ApiError::ConflictBecause {
            reason: VoucherRefusal::AttendancePending.into(),
            message: format!(
                "{waiting} months wait for the parents' answer and {disputed} disputed or \
                 flagged months for your resolution before {month} is paid"
            ),
        });
    }

    let vouchers: HashMap<i64, voucher::Model> = voucher::Entity::find()
        .filter(voucher::Column::Id.is_in(rows.iter().map(|r| r.voucher_id)))
        .all(&txn)
        .await?
        .into_iter()
        .map(|v| (v.id, v))
        .collect();
    let mut per_org: BTreeMap<i64, ProviderMonth> = BTreeMap::new();
    let (mut released, mut paid) = (0i64, 0i64);
    let mut voucher_release: HashMap<i64, i64> = HashMap::new();
    for r in &rows {
        let (Some(v), Some(s)) = (vouchers.get(&r.voucher_id), sections.get(&r.section_id)) else {
            continue;
        };
        let status = AttendanceStatus::from_db(&r.status);
        let amount = if status.is_some_and(AttendanceStatus::payable) {
            rules::payout(
                v.monthly_value,
                s.monthly_price,
                r.sessions_held,
                r.sessions_attended,
                campaign.attendance_threshold_pct,
            )
        } else {
            0
        };
        let entry = per_org.entry(r.organisation_id).or_default();
        if amount > 0 {
            entry.children += 1;
        }
        entry.amount += amount;
        entry.items.push((r.id, amount));
        let release = v
            .monthly_value
            .min(v.committed - voucher_release.get(&v.id).copied().unwrap_or(0));
        *voucher_release.entry(v.id).or_default() += release.max(0);
        released += release.max(0);
        paid += amount;
    }
    let mut payouts = Vec::with_capacity(per_org.len());
    for (
        org,
        ProviderMonth {
            children,
            amount,
            items,
        },
    ) in per_org
    {
        let p = payout::ActiveModel {
            campaign_id: Set(campaign.id),
            month: Set(month),
            organisation_id: Set(org),
            children: Set(children),
            amount: Set(amount),
            created_at: Set(now),
            created_by: Set(Some(actor.account_id)),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        for (aid, amt) in items {
            attendance::Entity::update_many()
                .col_expr(attendance::Column::Payout, Some(amt).into())
                .col_expr(attendance::Column::PayoutId, Some(p.id).into())
                .filter(attendance::Column::Id.eq(aid))
                .exec(&txn)
                .await?;
        }
        payouts.push(p);
    }
    for (vid, release) in &voucher_release {
        let mut b = Binds::new(txn.get_database_backend());
        let r = b.push(*release);
        let id = b.push(*vid);
        txn.execute_raw(b.statement(format!(
            "UPDATE voucher SET committed = committed - {r} WHERE id = {id}"
        )))
        .await?;
    }
    // The month's commitment leaves `committed`: what was paid goes to `paid`, the rest is freed.
    let mut b = Binds::new(txn.get_database_backend());
    let rel = b.push(released);
    let pd = b.push(paid);
    let fr = b.push(released - paid);
    let id = b.push(campaign.id);
    txn.execute_raw(b.statement(format!(
        "UPDATE voucher_campaign SET committed = committed - {rel}, paid = paid + {pd}, \
         freed = freed + {fr} WHERE id = {id}"
    )))
    .await?;
    audit::record(
        &txn,
        Some(actor.account_id),
        "voucher.payouts.computed",
        "voucher_campaign",
        campaign.id,
        json!({"month": month, "providers": payouts.len(), "paid": paid,
               "released": released, "auto_confirmed": auto_confirmed}),
    )
    .await?;
    txn.commit().await?;
    Ok(PayoutRun {
        payouts,
        auto_confirmed,
    })
}

/// A campaign's payouts, by month and provider.
pub async fn payouts(
    db: &impl ConnectionTrait,
    actor: &Actor,
    campaign_id: i64,
    month: Option<Month>,
) -> ApiResult<Vec<payout::Model>> {
    crate::campaigns::get_managed(db, actor, campaign_id).await?;
    let mut q = payout::Entity::find().filter(payout::Column::CampaignId.eq(campaign_id));
    if let Some(m) = month {
        q = q.filter(payout::Column::Month.eq(m));
    }
    Ok(q.order_by_asc(payout::Column::Month)
        .order_by_asc(payout::Column::OrganisationId)
        .all(db)
        .await?)
}

/// One child on a section's sheet for a month: their enrolment, and the month's attendance
/// when recorded.
pub struct RosterRow {
    pub enrolment: enrolment::Model,
    pub child_person_id: i64,
    /// The application the child's voucher came from (its conversation is the provider's too).
    pub application_id: i64,
    pub attendance: Option<attendance::Model>,
}

/// The children whose vouchers are used at one of the provider's sections in a month (the
/// rows of its attendance sheet), with what was recorded for them.
pub async fn roster(
    db: &impl ConnectionTrait,
    actor: &Actor,
    section_id: i64,
    month: Month,
) -> ApiResult<Vec<RosterRow>> {
    if !money::is_month(month) {
        return Err(ApiError::bad_input("month", "a month as YYYYMM"));
    }
    let s = clubs::own_section(db, actor, section_id).await?;
    let enrolments = enrolment::Entity::find()
        .filter(enrolment::Column::SectionId.eq(s.id))
        .filter(clubs::enrolled_in(month))
        .order_by_asc(enrolment::Column::Id)
        .all(db)
        .await?;
    let children: std::collections::HashMap<i64, (i64, i64)> = entities::voucher::Entity::find()
        .filter(entities::voucher::Column::Id.is_in(enrolments.iter().map(|e| e.voucher_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|v| (v.id, (v.child_person_id, v.application_id)))
        .collect();
    let mut recorded: std::collections::HashMap<i64, attendance::Model> =
        attendance::Entity::find()
            .filter(attendance::Column::SectionId.eq(s.id))
            .filter(attendance::Column::Month.eq(month))
            .all(db)
            .await?
            .into_iter()
            .map(|a| (a.enrolment_id, a))
            .collect();
    Ok(enrolments
        .into_iter()
        .filter_map(|e| {
            let (child, application) = *children.get(&e.voucher_id)?;
            Some(RosterRow {
                attendance: recorded.remove(&e.id),
                child_person_id: child,
                application_id: application,
                enrolment: e,
            })
        })
        .collect())
}

/// The payouts made to the caller's organisations (a provider's staff), newest month first.
pub async fn own_payouts(
    db: &impl ConnectionTrait,
    actor: &Actor,
    month: Option<Month>,
) -> ApiResult<Vec<payout::Model>> {
    let mut q = payout::Entity::find()
        .filter(organisations(actor, PROVIDER_STAFF).condition(payout::Column::OrganisationId));
    if let Some(m) = month {
        q = q.filter(payout::Column::Month.eq(m));
    }
    Ok(q.order_by_desc(payout::Column::Month)
        .order_by_asc(payout::Column::CampaignId)
        .all(db)
        .await?)
}

/// Attendance the caller may see: a parent their children's, a provider its sections', an
/// akimat officer their campaigns'. Optionally one month and one status.
pub async fn list(
    db: &impl ConnectionTrait,
    actor: &Actor,
    month: Option<Month>,
    status: Option<AttendanceStatus>,
) -> ApiResult<Vec<attendance::Model>> {
    let managed: Vec<i64> = voucher_campaign::Entity::find()
        .filter(scope::campaign_regions(actor).condition(voucher_campaign::Column::RegionKato))
        .all(db)
        .await?
        .into_iter()
        .map(|c| c.id)
        .collect();
    let mut q = attendance::Entity::find().filter(
        sea_orm::Condition::any()
            .add(scope::children(actor).condition(attendance::Column::ChildPersonId))
            .add(organisations(actor, PROVIDER_STAFF).condition(attendance::Column::OrganisationId))
            .add(attendance::Column::CampaignId.is_in(managed)),
    );
    if let Some(m) = month {
        q = q.filter(attendance::Column::Month.eq(m));
    }
    if let Some(s) = status {
        q = q.filter(attendance::Column::Status.eq(s.as_str()));
    }
    Ok(q.order_by_asc(attendance::Column::Id)
        .limit_rows(2000)
        .all(db)
        .await?)
}

trait LimitRows {
    fn limit_rows(self, n: u64) -> Self;
}

impl LimitRows for sea_orm::Select<attendance::Entity> {
    fn limit_rows(self, n: u64) -> Self {
        sea_orm::QuerySelect::limit(self, n)
    }
}

/// The payment register of a month: one line per provider, as CSV, with its SHA-256.
pub async fn register_csv(
    db: &impl ConnectionTrait,
    actor: &Actor,
    campaign_id: i64,
    month: Month,
) -> ApiResult<(Vec<u8>, String)> {
    let rows = register_rows(db, actor, campaign_id, month).await?;
    let mut out = String::from("month,provider_bin,provider_name,children,amount_kzt\n");
    for r in &rows {
        out.push_str(&format!(
            "{},{},\"{}\",{},{}\n",
            r.month,
            r.bin,
            text_cell(&r.name).replace('"', "\"\""),
            r.children,
            r.amount
        ));
    }
    let sha = hex::encode(Sha256::digest(out.as_bytes()));
    Ok((out.into_bytes(), sha))
}

/// The same register as an XLSX workbook, with its SHA-256.
pub async fn register_xlsx(
    db: &impl ConnectionTrait,
    actor: &Actor,
    campaign_id: i64,
    month: Month,
) -> ApiResult<(Vec<u8>, String)> {
    use rust_xlsxwriter::Workbook;
    let rows = register_rows(db, actor, campaign_id, month).await?;
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    let failed = |e: rust_xlsxwriter::XlsxError| ApiError::internal(e);
    for (c, h) in [
        "Month",
        "Provider BIN",
        "Provider",
        "Children",
        "Amount, KZT",
    ]
    .iter()
    .enumerate()
    {
        sheet.write_string(0, c as u16, *h).map_err(failed)?;
    }
    for (i, r) in rows.iter().enumerate() {
        let row = i as u32 + 1;
        sheet
            .write_number(row, 0, f64::from(r.month))
            .map_err(failed)?;
        sheet.write_string(row, 1, &r.bin).map_err(failed)?;
        sheet
            .write_string(row, 2, text_cell(&r.name))
            .map_err(failed)?;
        sheet
            .write_number(row, 3, f64::from(r.children))
            .map_err(failed)?;
        sheet
            .write_number(row, 4, r.amount as f64)
            .map_err(failed)?;
    }
    let bytes = book.save_to_buffer().map_err(failed)?;
    let sha = hex::encode(Sha256::digest(&bytes));
    Ok((bytes, sha))
}

struct RegisterRow {
    month: Month,
    bin: String,
    name: String,
    children: i32,
    amount: i64,
}

async fn register_rows(
    db: &impl ConnectionTrait,
    actor: &Actor,
    campaign_id: i64,
    month: Month,
) -> ApiResult<Vec<RegisterRow>> {
    let list = payouts(db, actor, campaign_id, Some(month)).await?;
    if list.is_empty() {
        return Err(ApiError::NotFound("payouts of this month"));
    }
    let orgs: HashMap<i64, organisation::Model> = organisation::Entity::find()
        .filter(organisation::Column::Id.is_in(list.iter().map(|p| p.organisation_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|o| (o.id, o))
        .collect();
    Ok(list
        .into_iter()
        .map(|p| {
            let o = orgs.get(&p.organisation_id);
            RegisterRow {
                month: p.month,
                bin: o.map(|o| o.bin.clone()).unwrap_or_default(),
                name: o.map(|o| o.name_ru.clone()).unwrap_or_default(),
                children: p.children,
                amount: p.amount,
            }
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn section(id: i64, capacity: i32, schedule: &str) -> section::Model {
        section::Model {
            id,
            organisation_id: 100 + id,
            region_kato: "750000000".into(),
            name: format!("section {id}"),
            direction: "sport".into(),
            age_min: 6,
            age_max: 16,
            schedule: schedule.into(),
            capacity,
            enrolled: 0,
            locality_kato: None,
            address: "Абай даңғылы 1".into(),
            monthly_price: 15_000,
            active: true,
            created_at: Utc::now(),
        }
    }

    fn month(
        id: i64,
        child: i64,
        s: &section::Model,
        held: i32,
        attended: i32,
    ) -> attendance::Model {
        attendance::Model {
            id,
            enrolment_id: id,
            voucher_id: child,
            section_id: s.id,
            organisation_id: s.organisation_id,
            campaign_id: 1,
            child_person_id: child,
            month: 202612,
            sessions_held: held,
            sessions_attended: attended,
            status: AttendanceStatus::Confirmed.as_str().into(),
            recorded_by: None,
            recorded_at: Utc::now(),
            dispute_reason: None,
            resolution: None,
            decided_by: None,
            decided_at: None,
            payout: None,
            payout_id: None,
        }
    }

    fn none() -> HashMap<i64, Vec<Inside>> {
        HashMap::new()
    }

    // Times are minutes after midnight: 16:00-17:30, 17:00-18:00.
    const MONDAY_4PM: &str = r#"[{"day":1,"start":960,"end":1050}]"#;
    const MONDAY_5PM: &str = r#"[{"day":1,"start":1020,"end":1080}]"#;
    const TUESDAY: &str = r#"[{"day":2,"start":960,"end":1050}]"#;

    #[test]
    fn a_child_at_two_sections_at_overlapping_times_is_flagged_at_both() {
        let (a, b, c) = (
            section(1, 10, MONDAY_4PM),
            section(2, 10, MONDAY_5PM),
            section(3, 10, TUESDAY),
        );
        let rows = [
            month(1, 7, &a, 8, 6),
            month(2, 7, &b, 8, 5),
            month(3, 8, &a, 8, 6),
            month(4, 8, &c, 4, 3),
        ];
        let sections = [a, b, c].into_iter().map(|s| (s.id, s)).collect();
        let found = anomalies(&rows, &sections, &none());
        assert_eq!(found.keys().copied().collect::<Vec<_>>(), [1, 2]);
        assert!(found[&1].contains("section 2"), "{found:?}");
        assert!(found[&2].contains("section 1"), "{found:?}");
    }

    #[test]
    fn perfect_attendance_is_flagged_only_from_five_children() {
        let s = section(1, 20, MONDAY_4PM);
        let four: Vec<_> = (1..=4).map(|i| month(i, 10 + i, &s, 8, 8)).collect();
        let sections: HashMap<i64, section::Model> = [(1, s.clone())].into_iter().collect();
        assert!(anomalies(&four, &sections, &none()).is_empty());
        let mut five = four.clone();
        five.push(month(5, 15, &s, 8, 8));
        let found = anomalies(&five, &sections, &none());
        assert_eq!(found.len(), 5);
        assert!(found[&5].contains("every one of the provider's 5 children"));
        // One child missing a session makes the month ordinary again.
        five[2].sessions_attended = 7;
        assert!(anomalies(&five, &sections, &none()).is_empty());
    }

    #[test]
    fn more_children_than_places_is_flagged() {
        let s = section(1, 2, MONDAY_4PM);
        let rows: Vec<_> = (1..=3).map(|i| month(i, 10 + i, &s, 8, 6)).collect();
        let sections: HashMap<i64, section::Model> = [(1, s.clone())].into_iter().collect();
        let found = anomalies(&rows, &sections, &none());
        assert_eq!(found.len(), 3);
        assert!(found[&1].contains("3 children recorded at a section of 2 places"));
        assert!(anomalies(&rows[..2], &sections, &none()).is_empty());
    }

    #[test]
    fn a_month_at_a_section_while_the_turnstile_shows_the_child_in_school_is_flagged() {
        let s = section(1, 10, MONDAY_4PM);
        let rows = [
            month(1, 7, &s, 8, 6),
            month(2, 8, &s, 8, 6),
            month(3, 9, &s, 8, 0),
        ];
        let sections: HashMap<i64, section::Model> = [(1, s.clone())].into_iter().collect();
        let t = |h: &str| chrono::NaiveTime::parse_from_str(h, "%H:%M").unwrap();
        let span = |d: u32, from: &str, to: &str| Inside {
            date: chrono::NaiveDate::from_ymd_opt(2026, 12, d).unwrap(),
            from: t(from),
            to: t(to),
        };
        let inside: HashMap<i64, Vec<Inside>> = [
            // Child 7 stayed until 17:00 on Monday 7 December: inside during 16:00-17:30
            // (staying late on Tuesday the 8th is no matter: no session that day).
            (
                7,
                vec![span(8, "08:00", "18:00"), span(7, "08:00", "17:00")],
            ),
            // Child 8 left at 15:30, before the session began.
            (8, vec![span(7, "08:00", "15:30")]),
            // Child 9 attended no session: the month claims no time.
            (9, vec![span(7, "08:00", "17:00")]),
        ]
        .into_iter()
        .collect();
        let found = anomalies(&rows, &sections, &inside);
        assert_eq!(found.keys().copied().collect::<Vec<_>>(), [1], "{found:?}");
        assert_eq!(
            found[&1],
            "the school's turnstile shows the child inside school on 07.12.2026 from 08:00 to \
             17:00, during the section's session 16:00-17:30"
        );
        let other_month: HashMap<i64, Vec<Inside>> = [(
            7,
            vec![Inside {
                date: chrono::NaiveDate::from_ymd_opt(2026, 11, 30).unwrap(),
                ..span(7, "08:00", "17:00")
            }],
        )]
        .into_iter()
        .collect();
        assert!(
            anomalies(&rows, &sections, &other_month).is_empty(),
            "a Monday of another month does not count"
        );
    }
}
