//! Bảng theo dõi, quá hạn, tổng quan: the period's board, overdue work, what falls due,
//! the dashboard and the audit log.

use std::collections::{BTreeMap, HashMap, HashSet};

use cchc_domain::execution::{
    due_in, due_soon, involvement, is_overdue, report_activities, Involvement, ItemStatus,
    ReportState,
};
use cchc_domain::plan::Activity;
use cchc_domain::{Deadline, Period, Plan, Registry, Unit, UnitId};
use cchc_store::execution::{AuditFilter, PeriodRecord, ReportHead};
use cchc_store::PlanId;
use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

use super::reports::get_period;
use super::{scope, Session};
use crate::plan::{plan_and_latest, plan_for};
use crate::{App, Error, Result as R};

/// Quá hạn as a signed-in account may see it: its own unit unless it sees every unit.
pub async fn overdue_for(state: &App, s: &Session, unit: Option<&str>) -> R<Vec<OverdueLine>> {
    let unit = match (s.user.role.sees_all(), unit) {
        (true, u) => u.map(str::to_string),
        (false, Some(u)) if u != s.user.unit => {
            scope(state, s, u, &format!("overdue:{u}"), false).await?;
            None
        }
        (false, _) => Some(s.user.unit.clone()),
    };
    overdue(state, unit.as_deref(), state.today()).await
}

// ---------------------------------------------------------------------------------------------
// Board, overdue, dashboard

/// One unit's line on the review board.
#[derive(Debug, Clone, Serialize)]
pub struct BoardLine {
    pub unit: String,
    pub unit_name: String,
    pub activities: usize,
    pub state: Option<ReportState>,
    pub version: i64,
    pub submitted_at: Option<DateTime<Utc>>,
    /// `on_time`, `late` or `missing`.
    pub timeliness: &'static str,
}

/// The period's stored reports (their states and statuses), by unit.
async fn reports_by_unit(state: &App, period: &str) -> R<HashMap<String, ReportHead>> {
    Ok(state
        .x()
        .list_report_heads(Some(period))
        .await?
        .into_iter()
        .map(|r| (r.unit.clone(), r))
        .collect())
}

/// What the board and the dashboard of a period read, loaded once per request (nothing is
/// kept across requests): the period, its year's plan and the registry, the period's reports.
pub struct PeriodData {
    pub rec: PeriodRecord,
    pub period: Period,
    pub plan_id: PlanId,
    pub plan: std::sync::Arc<Plan>,
    pub registry: Registry,
    /// The id of the latest plan, which overdue work is judged against.
    pub latest_plan_id: PlanId,
    pub reports: HashMap<String, ReportHead>,
}

/// Loads a period's [`PeriodData`].
pub async fn period_data(state: &App, period: &str) -> R<PeriodData> {
    let (rec, p) = get_period(state, period).await?;
    let (plan_id, plan, registry, latest_plan_id) = plan_and_latest(state, Some(p.year())).await?;
    let reports = reports_by_unit(state, &rec.code).await?;
    Ok(PeriodData {
        rec,
        period: p,
        plan_id,
        plan,
        registry,
        latest_plan_id,
        reports,
    })
}

/// Bảng theo dõi — every unit that has something to report in the period.
pub async fn board(state: &App, period: &str) -> R<(PeriodRecord, Vec<BoardLine>)> {
    let d = period_data(state, period).await?;
    let lines = board_with(&d);
    Ok((d.rec, lines))
}

/// [`board`] over data already loaded.
pub fn board_with(d: &PeriodData) -> Vec<BoardLine> {
    let (rec, p, plan, registry, reports) = (&d.rec, d.period, &d.plan, &d.registry, &d.reports);
    registry
        .units()
        .iter()
        .filter_map(|u| {
            let n = report_activities(plan, registry, &u.id, p).len();
            (n > 0).then(|| {
                let r = reports.get(u.id.as_str());
                let submitted_at = r.and_then(|r| r.submitted_at);
                let timeliness = match (r.map(|r| r.state), submitted_at) {
                    (Some(st), Some(t)) if st != ReportState::Draft => {
                        if t <= rec.due_at {
                            "on_time"
                        } else {
                            "late"
                        }
                    }
                    _ => "missing",
                };
                BoardLine {
                    unit: u.id.to_string(),
                    unit_name: u.name.clone(),
                    activities: n,
                    state: r.map(|r| r.state),
                    version: r.map_or(0, |r| r.version),
                    submitted_at,
                    timeliness,
                }
            })
        })
        .collect()
}

/// The sentence every page that shows an overdue count states (định nghĩa quá hạn).
pub const OVERDUE_DEFINITION: &str = "Quá hạn: hoạt động có thời hạn cụ thể (ngày hoặc khoảng thời gian) \
đã qua ngày cuối cùng mà đơn vị chủ trì chưa báo cáo hoàn thành trong báo cáo gần nhất đã gửi (bản nháp, \
báo cáo bị trả lại chưa tính); mỗi đơn vị \
chỉ tính việc mình chủ trì (việc phối hợp không tính), hoạt động thường xuyên hoặc có điều kiện không tính.";

/// One overdue activity of one lead unit.
#[derive(Debug, Clone, Serialize)]
pub struct OverdueLine {
    pub unit: String,
    pub unit_name: String,
    pub area: u32,
    pub activity: String,
    pub text: String,
    pub deadline: String,
    /// The deadline's last day (`YYYY-MM-DD`).
    pub deadline_end: NaiveDate,
    /// Số ngày quá hạn: today − the deadline's last day.
    pub days_late: i64,
    pub status: Option<ItemStatus>,
}

/// The latest reported status of every (unit, activity), across periods (trạng thái gần nhất):
/// the status in the most recently saved report of that unit that names the activity.
pub type Statuses = HashMap<(String, String), ItemStatus>;

/// The latest reported status of every (unit, activity), from reports that reached the
/// standing office ([`ReportState::is_in`]): a draft or a returned report says nothing yet,
/// as on the public pages.
pub async fn latest_statuses(state: &App) -> R<Statuses> {
    let mut reports = state.x().list_report_heads(None).await?;
    reports.retain(|r| r.state.is_in());
    reports.sort_by_key(|r| r.updated_at);
    let mut out = HashMap::new();
    for r in reports {
        for (activity, status) in r.items {
            out.insert((r.unit.clone(), activity), status);
        }
    }
    Ok(out)
}

/// The lead units (groups expanded) of an activity.
fn leads<'a>(a: &'a Activity, registry: &'a Registry) -> impl Iterator<Item = &'a Unit> + 'a {
    registry
        .units()
        .iter()
        .filter(move |u| involvement(a, &u.id, registry) == Some(Involvement::Lead))
}

/// Quá hạn — the one definition ([`OVERDUE_DEFINITION`]): for every activity with a dated
/// deadline whose last day is before `today`, one line per lead unit whose latest reported
/// status is not done. A unit's overdue work is its lines: what it leads, never what it only
/// coordinates (the lead answers for the activity), so the units' lists add up to the district's.
pub fn overdue_lines(
    plan: &Plan,
    registry: &Registry,
    statuses: &Statuses,
    today: NaiveDate,
) -> Vec<OverdueLine> {
    let mut out = Vec::new();
    for c in plan.activities() {
        let a = c.activity;
        let Some(d) = a.deadline.as_ref().filter(|d| d.is_past(today)) else {
            continue;
        };
        let end = d.end.expect("a past deadline has an end");
        for u in leads(a, registry) {
            let status = statuses.get(&(u.id.to_string(), a.id.clone())).copied();
            if is_overdue(Some(d), status, today) {
                out.push(OverdueLine {
                    unit: u.id.to_string(),
                    unit_name: u.name.clone(),
                    area: plan.section_area(&c.section.code).unwrap_or(0),
                    activity: a.id.clone(),
                    text: a.text.clone(),
                    deadline: d.text.clone(),
                    deadline_end: end,
                    days_late: (today - end).num_days(),
                    status,
                });
            }
        }
    }
    out
}

/// Quá hạn of the district (`unit` = None) or of one unit (what it leads).
pub async fn overdue(state: &App, unit: Option<&str>, today: NaiveDate) -> R<Vec<OverdueLine>> {
    let (_, plan, registry) = plan_for(state, None).await?;
    overdue_with(state, &plan, &registry, unit, today).await
}

/// [`overdue`] against a plan and registry already loaded (the latest plan).
pub async fn overdue_with(
    state: &App,
    plan: &Plan,
    registry: &Registry,
    unit: Option<&str>,
    today: NaiveDate,
) -> R<Vec<OverdueLine>> {
    let statuses = latest_statuses(state).await?;
    let mut lines = overdue_lines(plan, registry, &statuses, today);
    if let Some(u) = unit {
        lines.retain(|l| l.unit == u);
    }
    Ok(lines)
}

/// One overdue activity with its late lead units, as /qua-han lists them.
#[derive(Debug, Clone, Serialize)]
pub struct OverdueActivity {
    pub activity: String,
    pub text: String,
    pub area: u32,
    pub deadline: String,
    pub days_late: i64,
    /// (unit id, unit name, latest status).
    pub units: Vec<(String, String, Option<ItemStatus>)>,
}

/// The lines grouped by activity, in plan order: the overdue count is the number of groups.
pub fn by_activity(lines: &[OverdueLine]) -> Vec<OverdueActivity> {
    let mut out: Vec<OverdueActivity> = Vec::new();
    for l in lines {
        let unit = (l.unit.clone(), l.unit_name.clone(), l.status);
        match out.last_mut().filter(|g| g.activity == l.activity) {
            Some(g) => g.units.push(unit),
            None => out.push(OverdueActivity {
                activity: l.activity.clone(),
                text: l.text.clone(),
                area: l.area,
                deadline: l.deadline.clone(),
                days_late: l.days_late,
                units: vec![unit],
            }),
        }
    }
    out
}

/// Whether an activity past its deadline is still late (quá hạn) rather than merely expired
/// (hết hạn), as the plan pages badge it: for `unit` when it leads the activity, by that unit's
/// latest status; otherwise when any lead unit has not reported it done.
pub fn is_late(
    a: &Activity,
    registry: &Registry,
    statuses: &Statuses,
    unit: Option<&UnitId>,
    today: NaiveDate,
) -> bool {
    let d = a.deadline.as_ref();
    let late_for = |u: &UnitId| {
        is_overdue(
            d,
            statuses.get(&(u.to_string(), a.id.clone())).copied(),
            today,
        )
    };
    match unit {
        Some(u) if involvement(a, u, registry) == Some(Involvement::Lead) => late_for(u),
        _ => leads(a, registry).any(|u| late_for(&u.id)),
    }
}

/// The activities of `plan` that are late on `today` (see [`is_late`]).
pub async fn late_activities(
    state: &App,
    plan: &Plan,
    registry: &Registry,
    unit: Option<&UnitId>,
    today: NaiveDate,
) -> R<HashSet<String>> {
    let statuses = latest_statuses(state).await?;
    Ok(plan
        .activities()
        .filter(|c| is_late(c.activity, registry, &statuses, unit, today))
        .map(|c| c.activity.id.clone())
        .collect())
}

/// What falls due for a unit in the next `days` days.
pub async fn due_soon_for(
    state: &App,
    unit: &str,
    today: NaiveDate,
    days: i64,
) -> R<Vec<(String, String, Deadline)>> {
    let (_, plan, registry) = plan_for(state, None).await?;
    let uid = UnitId::parse(unit).map_err(Error::not_found)?;
    Ok(plan
        .activities()
        .filter(|c| {
            due_soon(c.activity.deadline.as_ref(), today, days)
                && involvement(c.activity, &uid, &registry).is_some()
        })
        .map(|c| {
            (
                c.activity.id.clone(),
                c.activity.text.clone(),
                c.activity.deadline.clone().unwrap(),
            )
        })
        .collect())
}

/// The activities of a period counted by reported status (`total` = all of them).
#[derive(Debug, Clone, Serialize, Default)]
pub struct Tally {
    /// Hoàn thành (on time or late).
    pub done: usize,
    /// Đang triển khai.
    pub in_progress: usize,
    /// Chưa triển khai.
    pub not_started: usize,
    /// Không thực hiện được.
    pub not_feasible: usize,
    /// Chưa báo cáo: no report of the period names the activity.
    pub not_reported: usize,
    pub total: usize,
}

impl Tally {
    /// Counts one activity by its status in the period's report, if any.
    pub fn add(&mut self, status: Option<ItemStatus>) {
        self.total += 1;
        match status {
            Some(ItemStatus::Done | ItemStatus::DoneLate) => self.done += 1,
            Some(ItemStatus::InProgress) => self.in_progress += 1,
            Some(ItemStatus::NotStarted) => self.not_started += 1,
            Some(ItemStatus::NotFeasible) => self.not_feasible += 1,
            None => self.not_reported += 1,
        }
    }

    pub fn percent(&self) -> u32 {
        (self.done * 100).checked_div(self.total).unwrap_or(0) as u32
    }
}

/// Tổng quan của một kỳ.
#[derive(Debug, Clone, Serialize)]
pub struct Dashboard {
    pub period: String,
    pub by_area: BTreeMap<u32, (String, Tally)>,
    pub by_unit: Vec<(String, String, Tally)>,
    pub units_expected: usize,
    pub submitted: usize,
    pub on_time: usize,
    pub late: usize,
    /// Activities overdue today ([`OVERDUE_DEFINITION`]), whatever the period.
    pub overdue: usize,
}

pub async fn dashboard(state: &App, period: &str) -> R<Dashboard> {
    Ok(dashboard_with_plan(state, period).await?.0)
}

/// [`dashboard`] and the id of the plan it reads, each loaded once.
pub async fn dashboard_with_plan(state: &App, period: &str) -> R<(Dashboard, PlanId)> {
    let d = period_data(state, period).await?;
    let overdue = if d.latest_plan_id == d.plan_id {
        overdue_with(state, &d.plan, &d.registry, None, state.today()).await?
    } else {
        overdue(state, None, state.today()).await?
    };
    Ok((dashboard_with(&d, by_activity(&overdue).len())?, d.plan_id))
}

/// [`dashboard`] over data already loaded, with the number of overdue activities.
pub fn dashboard_with(d: &PeriodData, overdue: usize) -> R<Dashboard> {
    let lines = board_with(d);
    let (rec, p, plan, registry, reports) = (&d.rec, d.period, &d.plan, &d.registry, &d.reports);
    let mut by_area: BTreeMap<u32, (String, Tally)> = BTreeMap::new();
    let mut by_unit = Vec::new();
    for l in &lines {
        let uid = UnitId::parse(&l.unit).map_err(Error::invalid)?;
        let mut t = Tally::default();
        for c in plan
            .activities()
            .filter(|c| due_in(c.activity.deadline.as_ref(), p))
        {
            if involvement(c.activity, &uid, registry).is_none() {
                continue;
            }
            let status = reports.get(&l.unit).and_then(|r| r.status(&c.activity.id));
            let area = plan.section_area(&c.section.code).unwrap_or(0);
            let e = by_area.entry(area).or_insert_with(|| {
                (
                    plan.area_title(area).unwrap_or("").to_string(),
                    Tally::default(),
                )
            });
            e.1.add(status);
            t.add(status);
        }
        by_unit.push((l.unit.clone(), l.unit_name.clone(), t));
    }
    let submitted = lines.iter().filter(|l| l.timeliness != "missing").count();
    Ok(Dashboard {
        period: rec.code.clone(),
        by_area,
        by_unit,
        units_expected: lines.len(),
        submitted,
        on_time: lines.iter().filter(|l| l.timeliness == "on_time").count(),
        late: lines.iter().filter(|l| l.timeliness == "late").count(),
        overdue,
    })
}

pub async fn audit(
    state: &App,
    filter: &AuditFilter,
) -> R<Vec<cchc_domain::execution::AuditEntry>> {
    Ok(state.x().list_audit(filter).await?)
}

/// Entries per page of the audit log.
pub const AUDIT_PAGE_SIZE: i64 = 100;

/// Page `page` (from 1) of the audit log, newest first, [`AUDIT_PAGE_SIZE`] entries a page.
pub async fn audit_page(
    state: &App,
    filter: &AuditFilter,
    page: i64,
) -> R<cchc_store::execution::AuditPage> {
    if page < 1 {
        return Err(Error::invalid(format!(
            "nhật ký: trang «{page}» không có; trang đầu là 1"
        )));
    }
    let offset = (page - 1).saturating_mul(AUDIT_PAGE_SIZE);
    Ok(state
        .x()
        .audit_page(filter, offset, AUDIT_PAGE_SIZE)
        .await?)
}
