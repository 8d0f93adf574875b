//! Tiến độ thực hiện: what the public plan pages show of execution — each activity's latest
//! reported status at each unit involved, the values units reported for a target, and a unit's
//! reports by period. One function per page.
//!
//! These pages are public. Only reports that reached the standing office count (submitted,
//! approved by the unit head, accepted: [`ReportState::is_in`]); a draft or a returned
//! report counts for nothing. Only states, statuses and reported target values are given out:
//! no notes, no difficulties, no names of people.

use std::collections::HashMap;

use cchc_domain::execution::{involvement, Involvement, ItemStatus, ReportState};
use cchc_domain::{Period, Plan, Registry, UnitId};
use cchc_store::execution::ReportRecord;

use crate::{App, Result as R};

/// A unit's latest reported status on an activity: from its latest counted report of the
/// plan's year that speaks of the activity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reported {
    /// The period of that report, e.g. `2024-Q2`.
    pub period: String,
    pub state: ReportState,
    pub status: ItemStatus,
}

/// One unit involved in an activity and what it last reported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitStatus {
    pub unit: UnitId,
    pub unit_name: String,
    pub involvement: Involvement,
    /// `None`: no counted report of the unit speaks of the activity yet.
    pub reported: Option<Reported>,
}

/// Counts over the units of an activity, for the plan's matrix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Tally {
    /// Units involved (lead or coordinator, groups expanded).
    pub units: usize,
    /// Units that reported it done (on time or late).
    pub done: usize,
    /// Units that reported any status.
    pub reported: usize,
}

/// A value a unit reported for a key target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TargetReport {
    pub unit_name: String,
    pub period: String,
    pub state: ReportState,
    pub value: String,
}

/// A unit's report in an opened period, for the unit's page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeriodReport {
    pub period: String,
    /// `None`: no report yet, or only a draft (a draft is not shown as progress).
    pub state: Option<ReportState>,
}

/// The counted reports of `year`, oldest period first (so later ones win when folded).
async fn counted_reports(state: &App, year: i32) -> R<Vec<(Period, ReportRecord)>> {
    let mut out: Vec<(Period, ReportRecord)> = state
        .x()
        .list_reports(None)
        .await?
        .into_iter()
        .filter(|r| r.state.is_in())
        .filter_map(|r| Period::parse(&r.period).ok().map(|p| (p, r)))
        .filter(|(p, _)| p.year() == year)
        .collect();
    // By end date, then by start (2024-Q2 before 2024-H1, which ends the same day).
    out.sort_by_key(|(p, _)| (p.end(), std::cmp::Reverse(p.start())));
    Ok(out)
}

/// Latest status of each (unit, activity) in the counted reports.
fn latest(reports: &[(Period, ReportRecord)]) -> HashMap<(&str, &str), Reported> {
    let mut out = HashMap::new();
    for (_, r) in reports {
        for item in &r.content.items {
            out.insert(
                (r.unit.as_str(), item.activity.as_str()),
                Reported {
                    period: r.period.clone(),
                    state: r.state,
                    status: item.status,
                },
            );
        }
    }
    out
}

fn involved(
    plan_activity: &cchc_domain::plan::Activity,
    registry: &Registry,
) -> Vec<(UnitId, String, Involvement)> {
    registry
        .units()
        .iter()
        .filter_map(|u| {
            involvement(plan_activity, &u.id, registry).map(|i| (u.id.clone(), u.name.clone(), i))
        })
        .collect()
}

/// Trang hoạt động: every unit involved in `activity`, leads first, with its latest counted
/// status. `None` when the plan has no such activity.
pub async fn activity_progress(
    state: &App,
    plan: &Plan,
    registry: &Registry,
    activity: &str,
) -> R<Option<Vec<UnitStatus>>> {
    let Some(ctx) = plan.activity(activity) else {
        return Ok(None);
    };
    let reports = counted_reports(state, plan.year).await?;
    let latest = latest(&reports);
    let mut out: Vec<UnitStatus> = involved(ctx.activity, registry)
        .into_iter()
        .map(|(unit, unit_name, involvement)| UnitStatus {
            reported: latest.get(&(unit.as_str(), activity)).cloned(),
            unit,
            unit_name,
            involvement,
        })
        .collect();
    out.sort_by_key(|u| u.involvement != Involvement::Lead);
    Ok(Some(out))
}

/// Trang kế hoạch: for each activity of the plan, how many of its units reported it done.
pub async fn plan_progress(
    state: &App,
    plan: &Plan,
    registry: &Registry,
) -> R<HashMap<String, Tally>> {
    let reports = counted_reports(state, plan.year).await?;
    let latest = latest(&reports);
    let mut out = HashMap::new();
    for c in plan.activities() {
        let mut t = Tally::default();
        for (unit, _, _) in involved(c.activity, registry) {
            t.units += 1;
            if let Some(r) = latest.get(&(unit.as_str(), c.activity.id.as_str())) {
                t.reported += 1;
                if r.status.is_done() {
                    t.done += 1;
                }
            }
        }
        out.insert(c.activity.id.clone(), t);
    }
    Ok(out)
}

/// Trang chỉ tiêu: the values units reported for `target` in counted reports of the plan's
/// year, latest period first; empty when none did ("chưa có số liệu").
pub async fn target_reports(
    state: &App,
    plan: &Plan,
    registry: &Registry,
    target: &str,
) -> R<Vec<TargetReport>> {
    let reports = counted_reports(state, plan.year).await?;
    let mut out = Vec::new();
    for (_, r) in reports.iter().rev() {
        for v in r.content.targets.iter().filter(|v| v.target == target) {
            if v.value.trim().is_empty() {
                continue;
            }
            let unit_name = UnitId::parse(&r.unit)
                .ok()
                .and_then(|id| registry.get(&id))
                .map_or_else(|| r.unit.clone(), |u| u.name.clone());
            out.push(TargetReport {
                unit_name,
                period: r.period.clone(),
                state: r.state,
                value: v.value.trim().to_string(),
            });
        }
    }
    Ok(out)
}

/// Trang đơn vị: the unit's report in every opened period (latest first), and its latest
/// counted status on each activity of `plan` (by activity key).
pub async fn unit_progress(
    state: &App,
    plan: Option<&Plan>,
    unit: &UnitId,
) -> R<(Vec<PeriodReport>, HashMap<String, Reported>)> {
    let x = state.x();
    let mut periods = x.list_periods().await?;
    periods.sort_by_key(|p| std::cmp::Reverse(p.due_at));
    let mut rows = Vec::new();
    for p in &periods {
        let r = x.get_report(&p.code, unit.as_str()).await?;
        rows.push(PeriodReport {
            period: p.code.clone(),
            state: r.map(|r| r.state).filter(|s| *s != ReportState::Draft),
        });
    }
    let mut statuses = HashMap::new();
    if let Some(plan) = plan {
        let reports = counted_reports(state, plan.year).await?;
        for ((u, a), r) in latest(&reports) {
            if u == unit.as_str() {
                statuses.insert(a.to_string(), r);
            }
        }
    }
    Ok((rows, statuses))
}

/// Tình hình thực hiện một hoạt động — where an activity stands on the public pages, from its
/// lead units' latest counted statuses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Standing {
    /// Hoàn thành: every lead unit reported it done.
    Done,
    /// Quá hạn: past its dated deadline and a lead unit has not reported it done
    /// ([`crate::execution::is_late`] over counted reports only).
    Late,
    /// Đang thực hiện: some unit involved reported a status, and it is neither done nor late.
    InProgress,
    /// Chưa có báo cáo: no counted report speaks of it yet.
    NotReported,
}

impl Standing {
    pub const ALL: [Standing; 4] = [
        Standing::Done,
        Standing::InProgress,
        Standing::Late,
        Standing::NotReported,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Standing::Done => "done",
            Standing::Late => "late",
            Standing::InProgress => "in_progress",
            Standing::NotReported => "not_reported",
        }
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            Standing::Done => "hoàn thành",
            Standing::Late => "quá hạn",
            Standing::InProgress => "đang thực hiện",
            Standing::NotReported => "chưa có báo cáo",
        }
    }
}

/// Trang công khai: where every activity of `plan` stands on `today` (by activity key), from
/// counted reports only, so a draft or a returned report changes nothing.
pub async fn standings(
    state: &App,
    plan: &Plan,
    registry: &Registry,
    today: chrono::NaiveDate,
) -> R<HashMap<String, Standing>> {
    let reports = counted_reports(state, plan.year).await?;
    let statuses: crate::execution::Statuses = latest(&reports)
        .into_iter()
        .map(|((u, a), r)| ((u.to_string(), a.to_string()), r.status))
        .collect();
    let mut out = HashMap::new();
    for c in plan.activities() {
        let a = c.activity;
        let mut leads = 0;
        let mut leads_done = 0;
        let mut reported = false;
        for (unit, _, inv) in involved(a, registry) {
            let status = statuses.get(&(unit.to_string(), a.id.clone()));
            reported |= status.is_some();
            if inv == Involvement::Lead {
                leads += 1;
                leads_done += usize::from(status.is_some_and(|s| s.is_done()));
            }
        }
        let standing = if leads > 0 && leads_done == leads {
            Standing::Done
        } else if crate::execution::is_late(a, registry, &statuses, None, today) {
            Standing::Late
        } else if reported {
            Standing::InProgress
        } else {
            Standing::NotReported
        };
        out.insert(a.id.clone(), standing);
    }
    Ok(out)
}
