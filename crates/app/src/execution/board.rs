//! Bảng theo dõi, quá hạn, tổng quan: the period's board, overdue work, what falls due,
//! the dashboard and the audit log.

use std::collections::{BTreeMap, HashMap};

use cchc_domain::execution::{
    due_in, due_soon, involvement, is_overdue, report_activities, Involvement, ItemStatus,
    ReportState,
};
use cchc_domain::{Deadline, Period, Plan, Registry, UnitId};
use cchc_store::execution::{AuditFilter, PeriodRecord, ReportRecord};
use cchc_store::PlanId;
use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

use super::reports::get_period;
use super::{scope, Session};
use crate::plan::{plan_and_latest, plan_for};
use crate::{today, App, Error, Result as R};

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
    overdue(state, unit.as_deref(), today()).await
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

/// The period's stored reports, by unit.
async fn reports_by_unit(state: &App, period: &str) -> R<HashMap<String, ReportRecord>> {
    Ok(state
        .x()
        .list_reports(Some(period))
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
    pub plan: Plan,
    pub registry: Registry,
    /// The id of the latest plan, which overdue work is judged against.
    pub latest_plan_id: PlanId,
    pub reports: HashMap<String, ReportRecord>,
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

/// One overdue activity of one unit.
#[derive(Debug, Clone, Serialize)]
pub struct OverdueLine {
    pub unit: String,
    pub unit_name: String,
    pub area: u32,
    pub activity: String,
    pub text: String,
    pub deadline: String,
    pub status: Option<ItemStatus>,
}

/// The latest reported status of every (unit, activity).
async fn latest_statuses(state: &App) -> R<HashMap<(String, String), ItemStatus>> {
    let mut reports = state.x().list_reports(None).await?;
    reports.sort_by_key(|r| r.updated_at);
    let mut out = HashMap::new();
    for r in reports {
        for i in r.content.items {
            out.insert((r.unit.clone(), i.activity), i.status);
        }
    }
    Ok(out)
}

/// Quá hạn: dated activities past their end that the lead unit has not reported done;
/// `unit` narrows to one unit (and includes what it coordinates).
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
    let mut out = Vec::new();
    for c in plan.activities() {
        let a = c.activity;
        if !a.deadline.as_ref().is_some_and(|d| d.is_past(today)) {
            continue;
        }
        for u in registry.units() {
            let inv = involvement(a, &u.id, registry);
            let take = match unit {
                Some(x) => x == u.id.as_str() && inv.is_some(),
                None => inv == Some(Involvement::Lead),
            };
            if !take {
                continue;
            }
            let status = statuses.get(&(u.id.to_string(), a.id.clone())).copied();
            if is_overdue(a.deadline.as_ref(), status, today) {
                out.push(OverdueLine {
                    unit: u.id.to_string(),
                    unit_name: u.name.clone(),
                    area: plan.section_area(&c.section.code).unwrap_or(0),
                    activity: a.id.clone(),
                    text: a.text.clone(),
                    deadline: a
                        .deadline
                        .as_ref()
                        .map(|d| d.text.clone())
                        .unwrap_or_default(),
                    status,
                });
            }
        }
    }
    Ok(out)
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

/// A count with the records behind it.
#[derive(Debug, Clone, Serialize, Default)]
pub struct Tally {
    pub done: usize,
    pub total: usize,
}

impl Tally {
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
    pub overdue: usize,
}

pub async fn dashboard(state: &App, period: &str) -> R<Dashboard> {
    Ok(dashboard_with_plan(state, period).await?.0)
}

/// [`dashboard`] and the id of the plan it reads, each loaded once.
pub async fn dashboard_with_plan(state: &App, period: &str) -> R<(Dashboard, PlanId)> {
    let d = period_data(state, period).await?;
    let overdue = if d.latest_plan_id == d.plan_id {
        overdue_with(state, &d.plan, &d.registry, None, today()).await?
    } else {
        overdue(state, None, today()).await?
    };
    Ok((dashboard_with(&d, overdue.len())?, d.plan_id))
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
            if involvement(c.activity, &uid, registry) != Some(Involvement::Lead)
                && involvement(c.activity, &uid, registry).is_none()
            {
                continue;
            }
            let done = reports
                .get(&l.unit)
                .and_then(|r| r.content.item(&c.activity.id))
                .is_some_and(|i| i.status.is_done());
            let area = plan.section_area(&c.section.code).unwrap_or(0);
            let e = by_area.entry(area).or_insert_with(|| {
                (
                    plan.area_title(area).unwrap_or("").to_string(),
                    Tally::default(),
                )
            });
            e.1.total += 1;
            t.total += 1;
            if done {
                e.1.done += 1;
                t.done += 1;
            }
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
