//! Kết quả chỉ tiêu đo từ sổ theo dõi: targets 1.2, 1.3, 3.7 and 4.2 of a year, computed from
//! the stored records by the domain's measures, against the thresholds of the year's plan, each
//! with the records behind it.
//!
//! - 1.3 = distinct units in the inspection scope with an inspection held in the year ÷ units
//!   in the scope (`inspection_coverage`), ≥ 35%.
//! - 1.2 = initiatives of the year accepted by the province's appraisal council
//!   (`initiatives_accepted`), ≥ 1.
//! - 3.7 = dialogues dated in the year (`dialogues_held`), at least 2 (from 2 to 3).
//! - 4.2 = posts of the year before − posts of the year, summed over the units recorded, for
//!   civil servants (≥ 14) and public employees (≥ 15) (`staff_reduction`).

use std::collections::BTreeSet;

use cchc_domain::evaluation::{
    dialogues_held, initiatives_accepted, inspection_coverage, inspection_scope, staff_reduction,
    Dialogue, Initiative, InitiativeStatus, Inspection, RemediationItem, StaffQuota, TargetFigure,
};
use cchc_domain::forecast::{forecast, Forecast, Series};
use cchc_domain::measure::MeasureUnit;
use cchc_domain::service::TargetStatus;
use cchc_domain::{Plan, Registry, UnitId};
use cchc_store::evaluation::{InspectionRecord, RemediationRecord};
use cchc_store::Store;
use chrono::Datelike;
use chrono::NaiveDate;
use serde::Serialize;

use super::records::status_of;
use crate::{App, Result as R};

/// The target codes measured from records.
pub const MEASURED_TARGETS: [&str; 4] = ["1.2", "1.3", "3.7", "4.2"];

/// One record behind a figure, as listed under it.
#[derive(Debug, Clone, Serialize)]
pub struct RecordLine {
    pub unit: String,
    pub unit_name: String,
    pub date: Option<NaiveDate>,
    pub text: String,
}

/// A target's figure measured from records: the figure, how it was counted (Vietnamese), the
/// page of its records, the records themselves, and its year-end forecast (dự báo) from the
/// whole months up to the date measured.
#[derive(Debug, Clone, Serialize)]
pub struct MeasuredTarget {
    pub figure: TargetFigure,
    pub basis: String,
    pub path: &'static str,
    pub records: Vec<RecordLine>,
    /// The figure month by month (a coverage in points of percent), for the trend chart.
    pub series: Series,
    pub forecast: Forecast,
}

impl MeasuredTarget {
    /// The value as pages and the report print it: "37,50% (12/32)", "2 cuộc", "giảm 14".
    pub fn value_vi(&self) -> String {
        let f = &self.figure;
        match (f.value, f.threshold.unit) {
            (None, _) => "chưa có số liệu".into(),
            (Some(v), MeasureUnit::Percent) => {
                crate::format::percent_vi(Some(v), f.numerator, f.denominator.unwrap_or(0))
            }
            (Some(_), MeasureUnit::Reduction) if f.numerator < 0 => {
                format!("tăng {}", -f.numerator)
            }
            (Some(_), MeasureUnit::Reduction) => format!("giảm {}", f.numerator),
            (Some(_), _) => f.numerator.to_string(),
        }
    }
}

/// The monthly series of a figure from its records' dates, over the first `months` months of
/// `year`: a count counts records, a coverage adds each unit's share of its denominator (capped
/// at 100%); a record without a date counts in January (it is known, not when). A figure
/// without data has no months, and staffing quotas are yearly, so a reduction has none either.
fn series_of(
    f: &TargetFigure,
    records: &[RecordLine],
    year: i32,
    months: u32,
) -> (Series, Forecast) {
    let in_month = |r: &RecordLine| match r.date {
        Some(d) if d.year() == year => d.month(),
        Some(_) => 0,
        None => 1,
    };
    let threshold = Some(&f.threshold);
    if f.value.is_none() {
        // Nothing recorded at all: no months to project from.
        let s = Series::Count(Vec::new());
        let fc = forecast(&s, threshold);
        return (s, fc);
    }
    match f.threshold.unit {
        MeasureUnit::Percent => {
            let weight = 100.0 / f.denominator.unwrap_or(0).max(1) as f64;
            let s = Series::count_by_month(records.iter().map(in_month), months, weight);
            let fc = forecast(&s, threshold).capped(100.0, threshold);
            (s, fc)
        }
        MeasureUnit::Count => {
            let s = Series::count_by_month(records.iter().map(in_month), months, 1.0);
            let fc = forecast(&s, threshold);
            (s, fc)
        }
        MeasureUnit::Reduction | MeasureUnit::PercentReduction => {
            let s = Series::Level(Vec::new());
            let fc = forecast(&s, threshold);
            (s, fc)
        }
    }
}

impl MeasuredTarget {
    fn new(
        figure: TargetFigure,
        basis: String,
        records: Vec<RecordLine>,
        year: i32,
        months: u32,
    ) -> MeasuredTarget {
        let (series, forecast) = series_of(&figure, &records, year, months);
        MeasuredTarget {
            path: records_path(&figure.target),
            figure,
            basis,
            records,
            series,
            forecast,
        }
    }
}

/// Where each target's records are kept.
pub fn records_path(code: &str) -> &'static str {
    match code {
        "1.2" => "/danh-gia/sang-kien",
        "1.3" => "/danh-gia/kiem-tra",
        "3.7" => "/danh-gia/doi-thoai",
        "4.2" => "/danh-gia/bien-che",
        _ => "/danh-gia",
    }
}

fn unit_name(reg: &Registry, id: &str) -> String {
    UnitId::parse(id)
        .ok()
        .and_then(|u| reg.get(&u).map(|u| u.name.clone()))
        .unwrap_or_else(|| id.to_string())
}

fn unit_id(id: &str) -> UnitId {
    UnitId::parse(id).unwrap_or_else(|_| UnitId::parse("khong-ro").expect("a valid id"))
}

/// The domain's inspection of a stored one.
pub fn inspection_of(r: &InspectionRecord) -> Inspection {
    Inspection {
        unit: unit_id(&r.unit),
        planned: r.planned,
        held: r.held,
        team: r.team.clone(),
        content: r.content.clone(),
        minutes: (!r.minutes.is_empty()).then(|| r.minutes.clone()),
        findings: r.findings.clone(),
        remediation: r.remediation.iter().map(remediation_of).collect(),
    }
}

pub fn remediation_of(r: &RemediationRecord) -> RemediationItem {
    RemediationItem {
        description: r.description.clone(),
        deadline: r.deadline,
        done: r.done,
    }
}

/// The plan's threshold in place of the domain's default: the n-th figure of a code takes the
/// n-th of the plan target's measures in the same unit (1.3's second measure, 100% of
/// localities with a self-inspection plan, is another count). "Từ 2 đến 3" is met from 2.
fn with_plan_threshold(figures: &mut [TargetFigure], plan: Option<&Plan>) {
    let Some(plan) = plan else { return };
    let mut seen: Vec<(String, MeasureUnit)> = Vec::new();
    for f in figures.iter_mut() {
        let unit = f.threshold.unit;
        let n = seen
            .iter()
            .filter(|(c, u)| *c == f.target && *u == unit)
            .count();
        seen.push((f.target.clone(), unit));
        let Some(m) = plan
            .targets
            .iter()
            .find(|t| t.code == f.target)
            .and_then(|t| t.measures.iter().filter(|m| m.unit == unit).nth(n))
        else {
            continue;
        };
        f.threshold = m.clone();
        if let Some(v) = f.value {
            f.status = if m.is_reached(v) {
                TargetStatus::Met
            } else {
                TargetStatus::NotMet
            };
        }
    }
}

/// Targets 1.2, 1.3, 3.7 and 4.2 of `year` from the records, counting only what happened by
/// `until` when given (a period's report counts up to the period's last day): inspections held,
/// dialogues dated and recognitions decided by then. Thresholds come from the plan of the year
/// when there is one.
pub async fn measure(state: &App, year: i32, until: Option<NaiveDate>) -> R<Vec<MeasuredTarget>> {
    measure_store(&state.store, year, until, state.today()).await
}

/// [`measure`] on a store (for the plan's pages, which hold the store only); `today` bounds
/// the months a forecast is made from.
pub async fn measure_store(
    store: &Store,
    year: i32,
    until: Option<NaiveDate>,
    today: NaiveDate,
) -> R<Vec<MeasuredTarget>> {
    let e = store.evaluation();
    let reg = Registry::new(store.list_units().await?);
    let plan = match store
        .list_plans()
        .await?
        .iter()
        .rev()
        .find(|p| p.year == year)
    {
        Some(p) => store.get_plan_shared(p.id).await?,
        None => None,
    };
    let by = |d: Option<NaiveDate>| until.is_none_or(|u| d.is_none_or(|d| d <= u));

    // 1.3
    let mut inspections = e.list_inspections(year).await?;
    for i in &mut inspections {
        if !by(i.held) {
            i.held = None;
        }
    }
    let scope = inspection_scope(&reg);
    let domain: Vec<Inspection> = inspections.iter().map(inspection_of).collect();
    let coverage = inspection_coverage(&domain, &scope, year);
    let in_scope: BTreeSet<&str> = scope.iter().map(|u| u.as_str()).collect();
    let mut counted = BTreeSet::new();
    let inspected: Vec<RecordLine> = inspections
        .iter()
        .filter(|i| i.held.is_some() && in_scope.contains(i.unit.as_str()))
        .filter(|i| counted.insert(i.unit.clone()))
        .map(|i| RecordLine {
            unit: i.unit.clone(),
            unit_name: unit_name(&reg, &i.unit),
            date: i.held,
            text: i.content.clone(),
        })
        .collect();

    // 1.2
    let initiatives = e.list_initiatives(year).await?;
    let domain: Vec<Initiative> = initiatives
        .iter()
        .map(|r| Initiative {
            title: r.draft.title.clone(),
            unit: unit_id(&r.draft.unit),
            year: r.draft.year,
            status: match status_of(&r.draft.status) {
                Some(s) if by(r.draft.decision_date) => s,
                _ => InitiativeStatus::Proposed,
            },
        })
        .collect();
    let accepted_fig = initiatives_accepted(&domain, year);
    let accepted: Vec<RecordLine> = initiatives
        .iter()
        .zip(&domain)
        .filter(|(_, d)| d.status == InitiativeStatus::AcceptedByProvince)
        .map(|(r, _)| RecordLine {
            unit: r.draft.unit.clone(),
            unit_name: unit_name(&reg, &r.draft.unit),
            date: r.draft.decision_date,
            text: format!(
                "{}{}",
                r.draft.title,
                if r.draft.decision_number.is_empty() {
                    String::new()
                } else {
                    format!(" (Quyết định {})", r.draft.decision_number)
                }
            ),
        })
        .collect();

    // 3.7
    let dialogues: Vec<_> = e
        .list_dialogues(year)
        .await?
        .into_iter()
        .filter(|d| by(Some(d.draft.date)))
        .collect();
    let domain: Vec<Dialogue> = dialogues
        .iter()
        .map(|d| Dialogue {
            date: d.draft.date,
            chair: d.draft.chair.clone(),
            topic: d.draft.topic.clone(),
            participants: d.draft.participants.clone(),
            attendance: d.draft.attendance.and_then(|n| u32::try_from(n).ok()),
        })
        .collect();
    let held_fig = dialogues_held(&domain, year);
    let held: Vec<RecordLine> = dialogues
        .iter()
        .map(|d| RecordLine {
            unit: d.draft.unit.clone(),
            unit_name: unit_name(&reg, &d.draft.unit),
            date: Some(d.draft.date),
            text: format!("{} — chủ trì: {}", d.draft.topic, d.draft.chair),
        })
        .collect();

    // 4.2
    let base = year - 1;
    let quotas = e.list_quotas(&[base, year]).await?;
    let domain: Vec<StaffQuota> = quotas
        .iter()
        .map(|q| StaffQuota {
            unit: unit_id(&q.unit),
            year: q.year,
            civil_servants: u32::try_from(q.civil_servants).unwrap_or(0),
            public_employees: u32::try_from(q.public_employees).unwrap_or(0),
        })
        .collect();
    let [cs, pe] = staff_reduction(&domain, base, year);
    let sum = |y: i32, f: fn(&StaffQuota) -> u32| -> i64 {
        domain
            .iter()
            .filter(|q| q.year == y)
            .map(|q| i64::from(f(q)))
            .sum()
    };
    let quota_lines: Vec<RecordLine> = quotas
        .iter()
        .map(|q| RecordLine {
            unit: q.unit.clone(),
            unit_name: unit_name(&reg, &q.unit),
            date: None,
            text: format!(
                "năm {}: {} biên chế công chức, {} biên chế viên chức",
                q.year, q.civil_servants, q.public_employees
            ),
        })
        .collect();

    let mut figures = vec![accepted_fig, coverage, held_fig, cs, pe];
    with_plan_threshold(&mut figures, plan.as_deref());
    let [accepted_fig, coverage, held_fig, cs, pe]: [TargetFigure; 5] =
        figures.try_into().expect("five figures");
    let total_initiatives = initiatives.len();
    let posts = |label: &str, f: fn(&StaffQuota) -> u32| {
        format!(
            "{label}: {} (năm {base}) → {} (năm {year})",
            sum(base, f),
            sum(year, f)
        )
    };
    let months = crate::forecast::months_to(year, until.map_or(today, |u| u.min(today)));
    let target = |figure, basis, records| MeasuredTarget::new(figure, basis, records, year, months);
    Ok(vec![
        target(
            accepted_fig.clone(),
            format!(
                "{} sáng kiến được Hội đồng thẩm định CCHC tỉnh công nhận, trong {total_initiatives} \
                 sáng kiến ghi nhận năm {year}",
                accepted_fig.numerator
            ),
            accepted,
        ),
        target(
            coverage.clone(),
            format!(
                "{} trong {} cơ quan, đơn vị thuộc diện kiểm tra (phòng, ban, đơn vị sự nghiệp, \
                 trường học, thị trấn, xã) đã được kiểm tra năm {year}; mỗi đơn vị tính một lần",
                coverage.numerator,
                coverage.denominator.unwrap_or(0)
            ),
            inspected,
        ),
        target(
            held_fig.clone(),
            format!("{} cuộc đối thoại tổ chức trong năm {year}", held_fig.numerator),
            held,
        ),
        target(
            cs,
            posts("Biên chế công chức", |q| q.civil_servants),
            quota_lines.clone(),
        ),
        target(
            pe,
            posts("Biên chế viên chức", |q| q.public_employees),
            quota_lines,
        ),
    ])
}

/// A remediation item still open past its deadline, with the inspected unit.
#[derive(Debug, Clone, Serialize)]
pub struct OverdueRemediation {
    pub item: RemediationRecord,
    pub unit: String,
    pub unit_name: String,
}

/// The year's remediation items overdue on `today`.
pub async fn overdue_remediation(
    state: &App,
    year: i32,
    today: NaiveDate,
) -> R<Vec<OverdueRemediation>> {
    let reg = Registry::new(state.store.list_units().await?);
    let mut out = Vec::new();
    for i in state.store.evaluation().list_inspections(year).await? {
        for r in &i.remediation {
            if r.done.is_none() && remediation_of(r).is_overdue(today) {
                out.push(OverdueRemediation {
                    item: r.clone(),
                    unit: i.unit.clone(),
                    unit_name: unit_name(&reg, &i.unit),
                });
            }
        }
    }
    out.sort_by_key(|o| o.item.deadline);
    Ok(out)
}
