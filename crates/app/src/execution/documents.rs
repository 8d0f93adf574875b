//! Văn bản và bảng tính của một kỳ báo cáo: the district's periodic report (.docx) and the
//! period's tables (.xlsx), read from the store. The command line and the period's page both
//! call [`report_docx`] and [`table_xlsx`] here, so they give the same files.

use std::collections::HashMap;

use crate::delivery::indicators::{
    load_inputs, report as indicator_report, IndicatorReport, ScopeRequest,
};
use cchc_docs::report::{
    ActivityStatusRow, AreaReport, DoneActivity, EvidenceRef, Figure, LateActivity,
    PeriodicReportInput, TargetFigures, Timeliness, TimelinessRow, UnitStatus, UnitText,
    NOT_ACCEPTED, NOT_REPORTED,
};
use cchc_docs::xlsx_table::{Column, TableSheet, Value};
use cchc_domain::execution::{due_in, involvement, is_overdue, Evidence, ItemStatus, ReportState};
use cchc_domain::plan::RefTarget;
use cchc_domain::service::{measure_label_vi, Scope, TargetStatus};
use cchc_domain::{Period, Plan, Registry};
use cchc_store::execution::ReportRecord;
use cchc_store::PlanId;

use super::board::{self as service, BoardLine};
pub use crate::format::percent_vi;
use crate::plan::plan_for;
use crate::{App, Error, Result as R};

/// Setting that names the signer of the periodic report (blank: left for signing).
pub const SIGNER_SETTING: &str = "report.signer_name";

/// What one period's documents are made of, read once.
pub struct PeriodData {
    pub period: Period,
    pub plan: std::sync::Arc<Plan>,
    pub registry: Registry,
    pub board: Vec<BoardLine>,
    /// Reports of the period by unit id.
    pub reports: HashMap<String, ReportRecord>,
    /// `cchc indicators --period P` (all, district, commune scopes, catalogue).
    pub indicators: IndicatorReport,
    /// Targets 1.2, 1.3, 3.7 and 4.2 measured from the evaluation records, up to the period's
    /// last day.
    pub evaluation: Vec<crate::evaluation::MeasuredTarget>,
    /// Target 3.6 from the satisfaction survey: the answers dated in the period.
    pub survey: cchc_domain::evaluation::SatisfactionSummary,
}

/// Reads the period's plan (the given one or the plan of its year), board, reports and
/// service indicators.
pub async fn load(state: &App, period: &str, plan: Option<PlanId>) -> R<PeriodData> {
    let (rec, p) = super::reports::get_period(state, period).await?;
    let (plan, registry) = match plan {
        Some(id) => {
            let plan = state
                .store
                .get_plan_shared(id)
                .await?
                .ok_or_else(|| Error::not_found(format!("không có kế hoạch số {id}")))?;
            (plan, Registry::new(state.store.list_units().await?))
        }
        None => {
            let (_, plan, registry) = plan_for(state, Some(p.year())).await?;
            (plan, registry)
        }
    };
    let (_, board) = service::board(state, &rec.code).await?;
    let reports = state
        .x()
        .list_reports(Some(&rec.code))
        .await?
        .into_iter()
        .map(|r| (r.unit.clone(), r))
        .collect();
    let inputs = load_inputs(&state.store, p, false).await?;
    let indicators = indicator_report(&inputs, p, &ScopeRequest::default());
    let evaluation = crate::evaluation::measure(state, p.year(), Some(p.end())).await?;
    let survey = crate::reform_index::survey_in(&state.store, p).await?;
    Ok(PeriodData {
        period: p,
        plan,
        registry,
        board,
        reports,
        indicators,
        evaluation,
        survey,
    })
}

/// Gathers the periodic report's input for a period: [`load`] then [`assemble`].
pub async fn gather(state: &App, period: &str, plan: Option<PlanId>) -> R<PeriodicReportInput> {
    let data = load(state, period, plan).await?;
    let signer = state
        .x()
        .get_setting(SIGNER_SETTING)
        .await?
        .unwrap_or_default();
    Ok(assemble(&data, signer.trim()))
}

/// "Chưa triển khai" from "chưa triển khai".
fn capital(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// The units that report an activity in the period, in registry order.
fn reporting_units<'a>(
    data: &'a PeriodData,
    a: &cchc_domain::plan::Activity,
) -> Vec<&'a cchc_domain::Unit> {
    if !due_in(a.deadline.as_ref(), data.period) {
        return Vec::new();
    }
    data.registry
        .units()
        .iter()
        .filter(|u| involvement(a, &u.id, &data.registry).is_some())
        .collect()
}

/// The accepted report of a unit, if any: only accepted reports feed the document.
fn accepted<'a>(data: &'a PeriodData, unit: &str) -> Option<&'a ReportRecord> {
    data.reports
        .get(unit)
        .filter(|r| r.state == ReportState::Accepted)
}

/// What stands for the status of a unit without an accepted report: sent and waiting for the
/// standing office, or not sent (no report, a draft, or one returned and not sent again).
fn unaccepted(data: &PeriodData, unit: &str) -> &'static str {
    match data.reports.get(unit) {
        Some(r) if r.state.is_in() => NOT_ACCEPTED,
        _ => NOT_REPORTED,
    }
}

/// The group a unit is counted in: communes and townships together, the rest as the
/// district's offices and units.
pub fn unit_group(u: &cchc_domain::Unit) -> &'static str {
    use cchc_domain::UnitKind;
    match u.kind {
        UnitKind::Commune | UnitKind::Township => "xã, thị trấn",
        _ => "cơ quan, đơn vị cấp huyện",
    }
}

fn evidence(e: &Evidence) -> EvidenceRef {
    EvidenceRef {
        number: e.number.clone(),
        date: e.date,
        issuer: e.issuer.clone(),
        title: e.title.clone(),
    }
}

fn scope_name(data: &PeriodData, scope: &str) -> String {
    Scope::name_of_code(scope, &data.registry)
}

/// The Vietnamese label of a measure id.
pub fn measure_label(id: &str) -> String {
    measure_label_vi(id).to_string()
}

fn threshold(t: &serde_json::Value) -> String {
    let op = match t["op"].as_str().unwrap_or("") {
        ">=" => "≥",
        "<=" => "≤",
        ">" => ">",
        "<" => "<",
        o => o,
    };
    let v = t["value"].to_string().replace('.', ",");
    format!("{op} {v}%")
}

/// Who issues the district's documents: the plan's owner unit, its parent in the registry, and
/// the decision's place.
pub struct Issuer {
    pub issuer: String,
    pub issuer_parent: Option<String>,
    pub place: String,
}

pub fn issuer_of(plan: &Plan, reg: &Registry) -> Issuer {
    let owner = match &plan.owner.target {
        RefTarget::Unit(id) => reg.get(id),
        _ => None,
    };
    Issuer {
        issuer: owner
            .map(|u| u.name.clone())
            .unwrap_or_else(|| plan.owner.text.clone()),
        issuer_parent: owner
            .and_then(|u| u.parent.as_ref())
            .and_then(|p| reg.get(p))
            .map(|u| u.name.clone()),
        place: plan.decision.place.clone().unwrap_or_default(),
    }
}

/// Lays the data out as the report's input; pure over `data`.
pub fn assemble(data: &PeriodData, signer: &str) -> PeriodicReportInput {
    let plan = &data.plan;
    let reg = &data.registry;
    let Issuer {
        issuer,
        issuer_parent,
        place,
    } = issuer_of(plan, reg);
    let plan_ref = {
        let mut s = format!("Quyết định số {}", plan.decision.number);
        if let Some(d) = plan.decision.date {
            s.push_str(&format!(" ngày {}", d.format("%d/%m/%Y")));
        }
        s.push_str(&format!(" của {issuer}"));
        s
    };
    let period_end = data.period.end();

    let mut areas: Vec<AreaReport> = plan
        .areas
        .iter()
        .map(|a| AreaReport {
            no: a.no,
            title: a.title.clone(),
            ..Default::default()
        })
        .collect();
    let mut activities = Vec::new();
    // Appendix I lists the period's activities: due in it, or recurring (`report_activities`).
    for c in plan
        .activities()
        .filter(|c| due_in(c.activity.deadline.as_ref(), data.period))
    {
        let a = c.activity;
        let area_no = plan.section_area(&c.section.code).unwrap_or(0);
        let deadline = a
            .deadline
            .as_ref()
            .map(|d| d.text.clone())
            .unwrap_or_default();
        let units = reporting_units(data, a);
        let mut row = ActivityStatusRow {
            activity: a.id.clone(),
            number: c.number().to_string(),
            text: a.text.clone(),
            task: match &c.task.code {
                Some(code) => format!("{code}. {}", c.task.text),
                None => c.task.text.clone(),
            },
            deadline: deadline.clone(),
            area: area_no,
            units: Vec::new(),
            lead: a
                .lead
                .iter()
                .map(|r| r.text.clone())
                .collect::<Vec<_>>()
                .join("; "),
        };
        let area = areas.iter_mut().find(|x| x.no == area_no);
        let mut area = area;
        for u in units {
            let item = accepted(data, u.id.as_str()).and_then(|r| r.content.item(&a.id));
            let status = item.map(|i| i.status);
            let lead =
                involvement(a, &u.id, reg) == Some(cchc_domain::execution::Involvement::Lead);
            row.units.push(UnitStatus {
                unit: u.name.clone(),
                group: unit_group(u).to_string(),
                lead,
                status: status.map_or_else(
                    || unaccepted(data, u.id.as_str()).to_string(),
                    |s| capital(s.label_vi()),
                ),
            });
            let Some(area) = area.as_deref_mut() else {
                continue;
            };
            match item {
                Some(i) if i.status.is_done() => area.done.push(DoneActivity {
                    activity: a.id.clone(),
                    text: a.text.clone(),
                    unit: u.name.clone(),
                    note: i.note.clone(),
                    evidence: i.evidence.iter().map(evidence).collect(),
                    late: i.status == ItemStatus::DoneLate,
                    lead,
                }),
                _ => {
                    let overdue = lead && is_overdue(a.deadline.as_ref(), status, period_end);
                    let reason = item
                        .map(|i| i.difficulties.trim().to_string())
                        .unwrap_or_default();
                    let held = item.is_some_and(|i| i.status == ItemStatus::NotFeasible);
                    if overdue || !reason.is_empty() || held {
                        area.late.push(LateActivity {
                            activity: a.id.clone(),
                            text: a.text.clone(),
                            unit: u.name.clone(),
                            deadline: deadline.clone(),
                            status: status.map_or_else(
                                || unaccepted(data, u.id.as_str()).to_string(),
                                |s| capital(s.label_vi()),
                            ),
                            overdue,
                            reason,
                            lead,
                        });
                    }
                }
            }
            if let Some(i) = item.filter(|i| !i.proposals.trim().is_empty()) {
                area.proposals.push(UnitText {
                    unit: u.name.clone(),
                    text: i.proposals.trim().to_string(),
                });
            }
        }
        activities.push(row);
    }

    for t in &plan.targets {
        let Some(area) = areas.iter_mut().find(|x| x.no == t.area) else {
            continue;
        };
        let mut figures: Vec<Figure> = data
            .indicators
            .indicators
            .iter()
            .filter(|i| {
                i.status != TargetStatus::NoTarget
                    && i.target.as_ref().and_then(|x| x["code"].as_str()) == Some(t.code.as_str())
            })
            .map(|i| Figure {
                scope: scope_name(data, &i.scope),
                label: measure_label(i.measure),
                value: percent_vi(i.value, i.numerator, i.denominator),
                threshold: i.target.as_ref().map(threshold).unwrap_or_default(),
                status: i.status.label_vi().to_string(),
            })
            .collect();
        // Targets measured from the evaluation records (1.2, 1.3, 3.7, 4.2), with their basis.
        for m in data.evaluation.iter().filter(|m| m.figure.target == t.code) {
            figures.push(Figure {
                scope: "Toàn huyện".into(),
                label: format!(
                    "theo sổ theo dõi đến ngày {} ({}):",
                    data.period.end().format("%d/%m/%Y"),
                    m.basis
                ),
                value: m.value_vi(),
                threshold: m.figure.threshold.display_vi(),
                status: m.figure.status.label_vi().to_string(),
            });
        }
        // Target 3.6 also from the satisfaction survey, beside the dossiers' own rating.
        if t.code == "3.6" {
            figures.push(survey_figure(data));
        }
        for u in reg.units() {
            let Some(r) = accepted(data, u.id.as_str()) else {
                continue;
            };
            for v in r.content.targets.iter().filter(|v| v.target == t.code) {
                if v.value.trim().is_empty() {
                    continue;
                }
                figures.push(Figure {
                    scope: u.name.clone(),
                    label: "báo cáo đạt".into(),
                    value: v.value.trim().to_string(),
                    threshold: String::new(),
                    status: String::new(),
                });
            }
        }
        area.targets.push(TargetFigures {
            code: t.code.clone(),
            text: t.text.clone(),
            figures,
        });
    }

    let timeliness = data
        .board
        .iter()
        .map(|l| TimelinessRow {
            unit: l.unit_name.clone(),
            timeliness: match l.timeliness {
                "on_time" => Timeliness::OnTime,
                "late" => Timeliness::Late,
                _ => Timeliness::Missing,
            },
            // Dates as the district reads them, in Vietnam's time zone.
            submitted: l.submitted_at.map(|t| {
                t.with_timezone(&chrono::FixedOffset::east_opt(7 * 3600).expect("UTC+7"))
                    .date_naive()
            }),
            state: l.state.map(|s| capital(s.label_vi())).unwrap_or_default(),
        })
        .collect();

    let label = data.period.label_vi();
    PeriodicReportInput {
        issuer_parent,
        issuer,
        place,
        year: data.period.year(),
        period_label: lower_period(&label),
        plan_ref,
        areas,
        activities,
        timeliness,
        signer_name: signer.to_string(),
    }
}

/// Target 3.6 as the survey measures it in the period: satisfied ratings over ratings.
fn survey_figure(data: &PeriodData) -> Figure {
    let s = &data.survey;
    let f = cchc_domain::evaluation::satisfaction_target(s);
    Figure {
        scope: "Toàn huyện".into(),
        label: format!(
            "theo khảo sát sự hài lòng {} ({} phiếu):",
            lower_period(&data.period.label_vi()),
            s.answers
        ),
        value: percent_vi(
            s.overall.percent(),
            s.overall.numerator,
            s.overall.denominator,
        ),
        threshold: f.threshold.display_vi(),
        status: f.status.label_vi().to_string(),
    }
}

/// "Quý II năm 2024" → "quý II năm 2024" as it stands inside a sentence and the title.
pub fn lower_period(label: &str) -> String {
    let mut c = label.chars();
    match c.next() {
        Some(f) => f.to_lowercase().chain(c).collect(),
        None => String::new(),
    }
}

// ---------------------------------------------------------------------------------------------
// Tables

/// Ma trận: each activity's status at each unit that reports it in the period.
pub fn matrix_sheet(data: &PeriodData) -> TableSheet {
    let input = assemble(data, "");
    let mut rows = Vec::new();
    for (i, a) in input.activities.iter().enumerate() {
        let units = if a.units.is_empty() {
            vec![UnitStatus {
                unit: a.lead.clone(),
                lead: true,
                status: "Không có đơn vị báo cáo trong danh mục".to_string(),
                ..Default::default()
            }]
        } else {
            a.units.clone()
        };
        for u in units {
            rows.push(vec![
                Value::Integer(i as i64 + 1),
                a.activity.clone().into(),
                a.text.clone().into(),
                a.deadline.clone().into(),
                u.unit.into(),
                if u.lead { "Chủ trì" } else { "Phối hợp" }.into(),
                u.status.into(),
            ]);
        }
    }
    TableSheet {
        name: "Tình hình thực hiện".into(),
        title: Some(format!(
            "TÌNH HÌNH THỰC HIỆN CÁC HOẠT ĐỘNG CCHC {}",
            data.period.label_vi().to_uppercase()
        )),
        subtitle: Some(format!(
            "(Theo báo cáo đã được chấp nhận; kế hoạch {})",
            data.plan.decision.number
        )),
        columns: vec![
            Column::centred("TT", 6.0),
            Column::centred("Mã hoạt động", 14.0),
            Column::new("Hoạt động", 60.0),
            Column::centred("Thời gian hoàn thành", 18.0),
            Column::new("Đơn vị thực hiện", 34.0),
            Column::centred("Vai trò", 12.0),
            Column::centred("Tình trạng", 22.0),
        ],
        rows,
        landscape: true,
    }
}

/// Bảng theo dõi: the units' reports for the period and their timeliness.
pub fn board_sheet(data: &PeriodData) -> TableSheet {
    let vn = chrono::FixedOffset::east_opt(7 * 3600).expect("UTC+7");
    let rows = data
        .board
        .iter()
        .enumerate()
        .map(|(i, l)| {
            vec![
                Value::Integer(i as i64 + 1),
                l.unit_name.clone().into(),
                Value::Integer(l.activities as i64),
                l.state
                    .map(|s| capital(s.label_vi()))
                    .unwrap_or_else(|| "Chưa lập".into())
                    .into(),
                l.submitted_at
                    .map(|t| Value::Date(t.with_timezone(&vn).date_naive()))
                    .unwrap_or(Value::Empty),
                match l.timeliness {
                    "on_time" => "Đúng hạn",
                    "late" => "Trễ hạn",
                    _ => "Chưa gửi",
                }
                .into(),
            ]
        })
        .collect();
    TableSheet {
        name: "Tình hình gửi báo cáo".into(),
        title: Some(format!(
            "TÌNH HÌNH GỬI BÁO CÁO CCHC {}",
            data.period.label_vi().to_uppercase()
        )),
        subtitle: None,
        columns: vec![
            Column::centred("TT", 6.0),
            Column::new("Cơ quan, đơn vị", 40.0),
            Column::centred("Số hoạt động phải báo cáo", 14.0),
            Column::centred("Trạng thái", 20.0),
            Column::centred("Ngày gửi", 14.0),
            Column::centred("Đúng hạn / trễ hạn", 16.0),
        ],
        rows,
        landscape: false,
    }
}

/// Chỉ số theo đơn vị và kỳ: every service measure for each scope and unit, for each period.
pub async fn indicators_sheet(state: &App, periods: &[Period]) -> R<TableSheet> {
    let mut rows = Vec::new();
    for p in periods {
        let inputs = load_inputs(&state.store, *p, false).await?;
        let req = ScopeRequest {
            by_unit: true,
            ..Default::default()
        };
        let r = indicator_report(&inputs, *p, &req);
        for i in &r.indicators {
            let scope = Scope::name_of_code(&i.scope, &inputs.registry);
            rows.push(vec![
                p.label_vi().into(),
                scope.into(),
                measure_label(i.measure).into(),
                Value::Integer(i.numerator),
                Value::Integer(i.denominator),
                i.value
                    .map(|v| Value::Percent(v / 100.0))
                    .unwrap_or(Value::Empty),
                i.target.as_ref().map(threshold).unwrap_or_default().into(),
                match i.status {
                    TargetStatus::NoTarget => String::new(),
                    s => s.label_vi().to_string(),
                }
                .into(),
            ]);
        }
    }
    Ok(TableSheet {
        name: "Chỉ số".into(),
        title: Some("CHỈ SỐ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH THEO ĐƠN VỊ VÀ KỲ".into()),
        subtitle: None,
        columns: vec![
            Column::new("Kỳ", 20.0),
            Column::new("Phạm vi, đơn vị", 36.0),
            Column::new("Chỉ số", 46.0),
            Column::new("Tử số", 11.0),
            Column::new("Mẫu số", 11.0),
            Column::new("Tỷ lệ", 10.0),
            Column::centred("Chỉ tiêu", 12.0),
            Column::centred("Đánh giá", 16.0),
        ],
        rows,
        landscape: true,
    })
}

/// The periods of the indicators export for a period: the quarters of its year up to it, then
/// the period itself when it is not a quarter.
pub fn indicator_periods(p: Period) -> Vec<Period> {
    let mut out: Vec<Period> = Period::year_and_quarters(p.year())[1..]
        .iter()
        .copied()
        .filter(|q| q.end() <= p.end())
        .collect();
    if !out.contains(&p) {
        out.push(p);
    }
    out
}

/// `bao-cao-cchc-2024-Q2.docx`.
pub fn docx_name(period: &str) -> String {
    format!("bao-cao-cchc-{period}.docx")
}

fn docs_error(e: cchc_docs::DocsError) -> Error {
    tracing::error!(error = %e, "document writer failed");
    Error::internal(e.to_string())
}

/// The report's bytes for a period (what the CLI writes too).
pub async fn report_docx(state: &App, period: &str, plan: Option<PlanId>) -> R<Vec<u8>> {
    let input = gather(state, period, plan).await?;
    let doc = cchc_docs::report::build_periodic_report(&input);
    cchc_docs::docx::write_docx(&doc).map_err(docs_error)
}

/// `xep-hang-chi-so-cchc-2024.docx`.
pub fn ranking_docx_name(year: i32) -> String {
    format!("xep-hang-chi-so-cchc-{year}.docx")
}

/// Chỉ số CCHC cấp xã: the year's ranking as the committee's decision with its appendix (.docx): any signed-in
/// account may read the ranking, so any may download it; the command line writes it too.
pub async fn ranking_docx(app: &App, year: i32) -> R<Vec<u8>> {
    let r = crate::reform_index::ranking(app, year).await?;
    let (_, plan, registry) = crate::plan::plan_for(app, Some(year)).await?;
    let who = issuer_of(&plan, &registry);
    let signer = app
        .store
        .execution()
        .get_setting(SIGNER_SETTING)
        .await?
        .unwrap_or_default();
    let lines = r
        .rows
        .iter()
        .map(|row| cchc_docs::ranking::RankingLine {
            rank: row.ranked.rank,
            unit: row.unit.name.clone(),
            total: crate::format::two_decimals_vi(row.ranked.total.as_f64()),
            max: crate::format::two_decimals_vi(row.ranked.max.as_f64()),
            index: crate::format::two_decimals_vi(row.ranked.index),
            band: row.band.label_vi().to_string(),
            previous: row
                .change
                .as_ref()
                .and_then(|c| Some((c.previous_index?, c.previous_rank?)))
                .map(|(i, k)| format!("{} (hạng {k})", crate::format::two_decimals_vi(i)))
                .unwrap_or_default(),
            note: match (row.state, row.pending) {
                (cchc_store::reform_index::EvaluationState::Draft, _) => {
                    "chưa gửi thẩm định".into()
                }
                (_, 0) => String::new(),
                (_, n) => format!("còn {n} tiêu chí chưa thẩm định"),
            },
        })
        .collect();
    let input = cchc_docs::ranking::RankingInput {
        issuer_parent: who.issuer_parent,
        issuer: who.issuer,
        place: who.place,
        year,
        set_name: r.criteria.set.name().to_string(),
        sample: r.criteria.sample,
        lines,
        signer_name: signer.trim().to_string(),
    };
    let doc = cchc_docs::ranking::build_ranking_decision(&input);
    cchc_docs::docx::write_docx(&doc).map_err(docs_error)
}

/// Which table: `matrix`, `board` or `indicators`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TableKind {
    Matrix,
    Board,
    Indicators,
}

/// An export's bytes for a period (what the CLI writes too).
pub async fn table_xlsx(state: &App, period: &str, kind: TableKind) -> R<Vec<u8>> {
    let sheet = match kind {
        TableKind::Indicators => {
            let (_, p) = super::reports::get_period(state, period).await?;
            indicators_sheet(state, &indicator_periods(p)).await?
        }
        TableKind::Matrix => matrix_sheet(&load(state, period, None).await?),
        TableKind::Board => board_sheet(&load(state, period, None).await?),
    };
    cchc_docs::xlsx_table::write_table_xlsx(&[sheet]).map_err(docs_error)
}
