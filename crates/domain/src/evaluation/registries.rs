//! The registries behind the plan's evaluation targets and the figures they give: inspections
//! (1.3), initiatives (1.2), satisfaction surveys (3.6), dialogues (3.7), staff quotas (4.2).
//!
//! Each measure returns a [`TargetFigure`]: numerator, denominator where there is one, the value
//! compared, the threshold and the [`TargetStatus`] shared with the service measures.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::measure::{Measure, MeasureOp, MeasureUnit};
use crate::period::Period;
use crate::service::{Ratio, TargetStatus};
use crate::unit::{Registry, UnitId, UnitKind};

/// Kết quả chỉ tiêu — a target's figure: what was counted, against what, and how it stands.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TargetFigure {
    /// The plan's target code (`1.3`).
    pub target: String,
    pub label_vi: String,
    pub numerator: i64,
    /// The count the numerator is a share of; `None` for a plain count or a reduction.
    pub denominator: Option<i64>,
    /// The figure compared with the threshold: a percentage, a count or a reduction.
    pub value: Option<f64>,
    pub threshold: Measure,
    pub status: TargetStatus,
}

impl TargetFigure {
    fn new(
        target: &str,
        label: &str,
        numerator: i64,
        denominator: Option<i64>,
        value: Option<f64>,
        threshold: Measure,
        met: impl Fn(f64) -> bool,
    ) -> TargetFigure {
        let status = match value {
            None => TargetStatus::NoData,
            Some(v) if met(v) => TargetStatus::Met,
            Some(_) => TargetStatus::NotMet,
        };
        TargetFigure {
            target: target.into(),
            label_vi: label.into(),
            numerator,
            denominator,
            value,
            threshold,
            status,
        }
    }
}

fn threshold(
    op: MeasureOp,
    value: f64,
    max: Option<f64>,
    unit: MeasureUnit,
    scope: Option<&str>,
) -> Measure {
    Measure {
        op,
        value,
        max,
        unit,
        scope: scope.map(str::to_string),
    }
}

// ---------------------------------------------------------------------------------------------
// Inspections (1.3)

/// Việc khắc phục — a finding the inspected unit must remedy, by a deadline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RemediationItem {
    pub description: String,
    pub deadline: NaiveDate,
    /// The day it was reported done; `None` while open.
    pub done: Option<NaiveDate>,
}

impl RemediationItem {
    /// Quá hạn: still open after its deadline, or done after it.
    pub fn is_overdue(&self, today: NaiveDate) -> bool {
        match self.done {
            Some(d) => d > self.deadline,
            None => today > self.deadline,
        }
    }
}

/// Kiểm tra CCHC — one reform inspection of a unit: planned, then held, with its minutes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Inspection {
    pub unit: UnitId,
    /// Ngày dự kiến in the inspection plan.
    pub planned: Option<NaiveDate>,
    /// Ngày kiểm tra: the day it was held; `None` while only planned.
    pub held: Option<NaiveDate>,
    /// Đoàn kiểm tra: who inspected.
    pub team: String,
    /// Nội dung kiểm tra.
    pub content: String,
    /// Biên bản: the minutes' number, or the file id of the scan.
    pub minutes: Option<String>,
    /// Kết luận, tồn tại: what the team found.
    pub findings: String,
    #[serde(default)]
    pub remediation: Vec<RemediationItem>,
}

/// The units target 1.3 counts ("cơ quan, đơn vị"): the district's offices, its public service
/// centre and units, schools, the townships and communes. Left out: the province and its
/// departments, the district committee itself, the police (managed by the Ministry) and the
/// Fatherland Front and mass organisations (outside the administration).
pub fn inspection_scope(registry: &Registry) -> Vec<UnitId> {
    registry
        .units()
        .iter()
        .filter(|u| {
            matches!(
                u.kind,
                UnitKind::DistrictOffice
                    | UnitKind::PublicServiceCentre
                    | UnitKind::PublicServiceUnit
                    | UnitKind::School
                    | UnitKind::Township
                    | UnitKind::Commune
            )
        })
        .map(|u| u.id.clone())
        .collect()
}

/// Target 1.3: distinct units of `scope` with an inspection held in `year` ÷ units in scope,
/// against ≥ 35%. A unit inspected twice counts once; planned-only inspections and units
/// outside the scope do not count. An empty scope has no data.
pub fn inspection_coverage(
    inspections: &[Inspection],
    scope: &[UnitId],
    year: i32,
) -> TargetFigure {
    let scope: BTreeSet<&UnitId> = scope.iter().collect();
    let inspected: BTreeSet<&UnitId> = inspections
        .iter()
        .filter(|i| i.held.is_some_and(|d| Period::Year(year).contains(d)))
        .map(|i| &i.unit)
        .filter(|u| scope.contains(u))
        .collect();
    let r = Ratio {
        numerator: inspected.len() as i64,
        denominator: scope.len() as i64,
    };
    TargetFigure::new(
        "1.3",
        "Tỷ lệ cơ quan, đơn vị được kiểm tra CCHC trong năm",
        r.numerator,
        Some(r.denominator),
        r.percent(),
        threshold(MeasureOp::Ge, 35.0, None, MeasureUnit::Percent, None),
        |v| v >= 35.0,
    )
}

// ---------------------------------------------------------------------------------------------
// Initiatives (1.2)

/// Trạng thái sáng kiến — how far an initiative has been recognised.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InitiativeStatus {
    /// đề xuất
    Proposed,
    /// được Hội đồng cấp huyện công nhận
    AcceptedByDistrict,
    /// được Hội đồng thẩm định CCHC tỉnh công nhận
    AcceptedByProvince,
}

impl InitiativeStatus {
    pub fn label_vi(self) -> &'static str {
        match self {
            InitiativeStatus::Proposed => "Đề xuất",
            InitiativeStatus::AcceptedByDistrict => "Được huyện công nhận",
            InitiativeStatus::AcceptedByProvince => "Được Hội đồng thẩm định tỉnh công nhận",
        }
    }
}

/// Sáng kiến — a reform initiative (or new solution) of a unit in a year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Initiative {
    pub title: String,
    pub unit: UnitId,
    pub year: i32,
    pub status: InitiativeStatus,
}

/// Target 1.2: initiatives of `year` accepted by the province's appraisal council, ≥ 1. With
/// no initiative recorded at all the figure has no data; proposals alone count 0 (chưa đạt).
pub fn initiatives_accepted(initiatives: &[Initiative], year: i32) -> TargetFigure {
    let of_year: Vec<&Initiative> = initiatives.iter().filter(|i| i.year == year).collect();
    let accepted = of_year
        .iter()
        .filter(|i| i.status == InitiativeStatus::AcceptedByProvince)
        .count() as i64;
    TargetFigure::new(
        "1.2",
        "Số sáng kiến CCHC được Hội đồng thẩm định tỉnh công nhận",
        accepted,
        None,
        (!of_year.is_empty()).then_some(accepted as f64),
        threshold(MeasureOp::Ge, 1.0, None, MeasureUnit::Count, None),
        |v| v >= 1.0,
    )
}

// ---------------------------------------------------------------------------------------------
// Dialogues (3.7)

/// Đối thoại — a dialogue conference (or forum) of leaders with citizens and businesses.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dialogue {
    pub date: NaiveDate,
    /// Chủ trì: who chaired it.
    pub chair: String,
    pub topic: String,
    /// Thành phần: who took part.
    pub participants: String,
    /// Số người tham dự, when counted.
    pub attendance: Option<u32>,
}

/// Target 3.7: dialogues held in `year`, "ít nhất từ 02 đến 03 cuộc". The threshold is shown
/// as from 2 to 3; the status takes 2 as the minimum, since more dialogues do not miss a target
/// that says "at least". No data is never reported: zero dialogues is a figure (chưa đạt).
pub fn dialogues_held(dialogues: &[Dialogue], year: i32) -> TargetFigure {
    let n = dialogues
        .iter()
        .filter(|d| Period::Year(year).contains(d.date))
        .count() as i64;
    TargetFigure::new(
        "3.7",
        "Số cuộc đối thoại của lãnh đạo huyện với người dân, doanh nghiệp",
        n,
        None,
        Some(n as f64),
        threshold(MeasureOp::Between, 2.0, Some(3.0), MeasureUnit::Count, None),
        |v| v >= 2.0,
    )
}

// ---------------------------------------------------------------------------------------------
// Staff quotas (4.2)

/// Biên chế — a unit's posts in a year: civil servants (công chức, including the communes')
/// and public employees (viên chức).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffQuota {
    pub unit: UnitId,
    pub year: i32,
    pub civil_servants: u32,
    pub public_employees: u32,
}

/// Target 4.2: the cut of posts from `base_year` to `year`, summed over the units recorded in
/// each year: civil servants against 14, public employees against 15 (2023 → 2024). A year
/// with no record has no data. The cut is base − year (negative when posts grew).
pub fn staff_reduction(quotas: &[StaffQuota], base_year: i32, year: i32) -> [TargetFigure; 2] {
    let sum = |y: i32, f: fn(&StaffQuota) -> u32| -> Option<i64> {
        let rows: Vec<&StaffQuota> = quotas.iter().filter(|q| q.year == y).collect();
        (!rows.is_empty()).then(|| rows.iter().map(|q| i64::from(f(q))).sum())
    };
    let figure = |label: &str, scope: &str, f: fn(&StaffQuota) -> u32, target: f64| {
        let cut = match (sum(base_year, f), sum(year, f)) {
            (Some(b), Some(n)) => Some(b - n),
            _ => None,
        };
        TargetFigure::new(
            "4.2",
            label,
            cut.unwrap_or(0),
            None,
            cut.map(|c| c as f64),
            threshold(
                MeasureOp::Ge,
                target,
                None,
                MeasureUnit::Reduction,
                Some(scope),
            ),
            move |v| v >= target,
        )
    };
    [
        figure(
            &format!("Số biên chế công chức giảm so với năm {base_year}"),
            "biên chế công chức",
            |q| q.civil_servants,
            14.0,
        ),
        figure(
            &format!("Số biên chế viên chức giảm so với năm {base_year}"),
            "biên chế viên chức",
            |q| q.public_employees,
            15.0,
        ),
    ]
}

// ---------------------------------------------------------------------------------------------
// Satisfaction survey (3.6)

/// Yếu tố SIPAS — the five factors a satisfaction survey asks about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SipasFactor {
    Access,
    Procedures,
    CivilServants,
    Results,
    Feedback,
}

impl SipasFactor {
    pub const ALL: [SipasFactor; 5] = [
        SipasFactor::Access,
        SipasFactor::Procedures,
        SipasFactor::CivilServants,
        SipasFactor::Results,
        SipasFactor::Feedback,
    ];

    pub fn label_vi(self) -> &'static str {
        match self {
            SipasFactor::Access => "Tiếp cận dịch vụ",
            SipasFactor::Procedures => "Thủ tục hành chính",
            SipasFactor::CivilServants => "Công chức trực tiếp giải quyết công việc",
            SipasFactor::Results => "Kết quả giải quyết công việc",
            SipasFactor::Feedback => "Tiếp nhận, xử lý góp ý, phản ánh, kiến nghị",
        }
    }
}

/// Mức đánh giá — a rating from 1 (rất không hài lòng) to 5 (rất hài lòng).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "u8", into = "u8")]
pub struct SurveyRating(u8);

impl SurveyRating {
    pub fn new(v: u8) -> Result<SurveyRating, String> {
        if (1..=5).contains(&v) {
            Ok(SurveyRating(v))
        } else {
            Err(format!(
                "mức đánh giá {v} không hợp lệ; chỉ từ 1 (rất không hài lòng) đến 5 (rất hài lòng)"
            ))
        }
    }
    pub fn value(self) -> u8 {
        self.0
    }
    /// Hài lòng or rất hài lòng: 4 or 5.
    pub fn is_satisfied(self) -> bool {
        self.0 >= 4
    }
}
impl TryFrom<u8> for SurveyRating {
    type Error = String;
    fn try_from(v: u8) -> Result<Self, String> {
        SurveyRating::new(v)
    }
}
impl From<SurveyRating> for u8 {
    fn from(r: SurveyRating) -> u8 {
        r.0
    }
}

/// Phiếu khảo sát — one answered questionnaire about a unit: a rating per factor, a factor
/// left blank where the respondent did not answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SurveyAnswer {
    pub unit: UnitId,
    pub date: NaiveDate,
    /// In [`SipasFactor::ALL`] order.
    pub ratings: [Option<SurveyRating>; 5],
}

/// Mức độ hài lòng — satisfaction of a unit (or of all units) in a period: per factor, the
/// answers rating it 4 or 5 over the answers rating it at all; overall, the same over every
/// rating given (pooled). When every questionnaire rates every factor the overall share equals
/// the mean of the five factors' shares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SatisfactionSummary {
    /// Phiếu: questionnaires counted.
    pub answers: i64,
    pub per_factor: [Ratio; 5],
    pub overall: Ratio,
}

impl SatisfactionSummary {
    pub fn factor(&self, f: SipasFactor) -> Ratio {
        self.per_factor[SipasFactor::ALL
            .iter()
            .position(|x| *x == f)
            .expect("in ALL")]
    }
}

/// Aggregates the answers dated in `period`, for one unit or (with `None`) for all.
pub fn satisfaction(
    answers: &[SurveyAnswer],
    unit: Option<&UnitId>,
    period: Period,
) -> SatisfactionSummary {
    let mut s = SatisfactionSummary {
        answers: 0,
        per_factor: [Ratio::default(); 5],
        overall: Ratio::default(),
    };
    for a in answers
        .iter()
        .filter(|a| period.contains(a.date) && unit.is_none_or(|u| &a.unit == u))
    {
        s.answers += 1;
        for (k, r) in a.ratings.iter().enumerate() {
            if let Some(r) = r {
                let sat = i64::from(r.is_satisfied());
                s.per_factor[k].numerator += sat;
                s.per_factor[k].denominator += 1;
                s.overall.numerator += sat;
                s.overall.denominator += 1;
            }
        }
    }
    s
}

/// Target 3.6: the overall satisfaction share against ≥ 94%.
pub fn satisfaction_target(s: &SatisfactionSummary) -> TargetFigure {
    TargetFigure::new(
        "3.6",
        "Mức độ hài lòng của người dân, doanh nghiệp về giải quyết TTHC",
        s.overall.numerator,
        Some(s.overall.denominator),
        s.overall.percent(),
        threshold(MeasureOp::Ge, 94.0, None, MeasureUnit::Percent, None),
        |v| v >= 94.0,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }
    fn u(s: &str) -> UnitId {
        UnitId::parse(s).unwrap()
    }
    fn inspection(unit: &str, held: Option<NaiveDate>) -> Inspection {
        Inspection {
            unit: u(unit),
            planned: Some(d(2024, 5, 1)),
            held,
            team: "Đoàn kiểm tra CCHC huyện".into(),
            content: "Kiểm tra công tác CCHC năm 2024".into(),
            minutes: held.map(|_| "BB-01".into()),
            findings: String::new(),
            remediation: vec![],
        }
    }

    #[test]
    fn coverage_counts_distinct_units_inspected_in_the_year_within_scope() {
        let scope: Vec<UnitId> = (1..=20).map(|k| u(&format!("xa-{k}"))).collect();
        let list = vec![
            inspection("xa-1", Some(d(2024, 3, 5))),
            inspection("xa-1", Some(d(2024, 9, 5))), // twice: once
            inspection("xa-2", Some(d(2024, 6, 1))),
            inspection("xa-3", Some(d(2024, 12, 31))),
            inspection("xa-4", Some(d(2024, 11, 2))),
            inspection("xa-5", Some(d(2024, 10, 2))),
            inspection("xa-6", Some(d(2024, 10, 9))),
            inspection("xa-7", None),                        // planned only
            inspection("xa-8", Some(d(2023, 12, 30))),       // last year
            inspection("phong-noi-vu", Some(d(2024, 4, 4))), // outside the scope
        ];
        let f = inspection_coverage(&list, &scope, 2024);
        // 6 of 20 = 30% < 35%.
        assert_eq!((f.numerator, f.denominator), (6, Some(20)));
        assert_eq!(f.value, Some(30.0));
        assert_eq!(f.status, TargetStatus::NotMet);
        assert_eq!(f.threshold.display_vi(), "≥ 35%");
        let mut more = list.clone();
        more.push(inspection("xa-9", Some(d(2024, 8, 8))));
        let f = inspection_coverage(&more, &scope, 2024);
        assert_eq!(
            (f.numerator, f.value, f.status),
            (7, Some(35.0), TargetStatus::Met)
        );
        assert_eq!(
            inspection_coverage(&list, &[], 2024).status,
            TargetStatus::NoData
        );
    }

    #[test]
    fn remediation_is_overdue_when_open_past_its_deadline_or_done_late() {
        let item = |done| RemediationItem {
            description: "Cập nhật bảng niêm yết TTHC".into(),
            deadline: d(2024, 6, 30),
            done,
        };
        assert!(!item(None).is_overdue(d(2024, 6, 30)));
        assert!(item(None).is_overdue(d(2024, 7, 1)));
        assert!(!item(Some(d(2024, 6, 29))).is_overdue(d(2024, 12, 1)));
        assert!(item(Some(d(2024, 7, 2))).is_overdue(d(2024, 12, 1)));
    }

    #[test]
    fn initiatives_count_only_those_accepted_by_the_province_in_the_year() {
        let i = |year, status| Initiative {
            title: "Số hóa hồ sơ một cửa".into(),
            unit: u("xa-tung-anh"),
            year,
            status,
        };
        assert_eq!(initiatives_accepted(&[], 2024).status, TargetStatus::NoData);
        let list = [
            i(2024, InitiativeStatus::Proposed),
            i(2024, InitiativeStatus::AcceptedByDistrict),
            i(2023, InitiativeStatus::AcceptedByProvince),
        ];
        let f = initiatives_accepted(&list, 2024);
        assert_eq!(
            (f.numerator, f.value, f.status),
            (0, Some(0.0), TargetStatus::NotMet)
        );
        let mut list = list.to_vec();
        list.push(i(2024, InitiativeStatus::AcceptedByProvince));
        let f = initiatives_accepted(&list, 2024);
        assert_eq!((f.numerator, f.status), (1, TargetStatus::Met));
    }

    #[test]
    fn dialogues_meet_the_target_from_two_and_above() {
        let dlg = |date| Dialogue {
            date,
            chair: "Chủ tịch UBND huyện".into(),
            topic: "Giải quyết TTHC đất đai".into(),
            participants: "Người dân, doanh nghiệp".into(),
            attendance: Some(120),
        };
        let one = [dlg(d(2024, 4, 1)), dlg(d(2023, 4, 1))];
        let f = dialogues_held(&one, 2024);
        assert_eq!((f.numerator, f.status), (1, TargetStatus::NotMet));
        assert_eq!(f.threshold.display_vi(), "từ 2 đến 3");
        let four: Vec<Dialogue> = (1..=4).map(|m| dlg(d(2024, m * 3, 1))).collect();
        assert_eq!(dialogues_held(&four[..2], 2024).status, TargetStatus::Met);
        assert_eq!(dialogues_held(&four, 2024).status, TargetStatus::Met);
        assert_eq!(dialogues_held(&[], 2024).status, TargetStatus::NotMet);
    }

    #[test]
    fn staff_cut_is_base_year_minus_year_summed_over_units() {
        let q = |unit: &str, year, cs, pe| StaffQuota {
            unit: u(unit),
            year,
            civil_servants: cs,
            public_employees: pe,
        };
        let list = [
            q("phong-noi-vu", 2023, 60, 0),
            q("xa-tung-anh", 2023, 40, 0),
            q("thcs-dong-lang", 2023, 0, 300),
            q("phong-noi-vu", 2024, 52, 0),
            q("xa-tung-anh", 2024, 34, 0),
            q("thcs-dong-lang", 2024, 0, 288),
        ];
        let [cs, pe] = staff_reduction(&list, 2023, 2024);
        // 100 → 86: 14 cut, met. 300 → 288: 12 cut, against 15.
        assert_eq!(
            (cs.numerator, cs.value, cs.status),
            (14, Some(14.0), TargetStatus::Met)
        );
        assert_eq!((pe.numerator, pe.status), (12, TargetStatus::NotMet));
        assert_eq!(pe.threshold.display_vi(), "biên chế viên chức: giảm ≥ 15");
        let [cs, _] = staff_reduction(&list[..3], 2023, 2024);
        assert_eq!(cs.status, TargetStatus::NoData);
    }

    fn answer(unit: &str, date: NaiveDate, r: [u8; 5]) -> SurveyAnswer {
        SurveyAnswer {
            unit: u(unit),
            date,
            ratings: r.map(|v| (v > 0).then(|| SurveyRating::new(v).unwrap())),
        }
    }

    #[test]
    fn satisfaction_is_the_share_of_fours_and_fives_per_factor_and_pooled() {
        let list = [
            answer("xa-a", d(2024, 2, 1), [5, 4, 5, 5, 3]),
            answer("xa-a", d(2024, 3, 1), [4, 2, 5, 4, 0]), // feedback left blank
            answer("xa-a", d(2024, 5, 1), [1, 1, 1, 1, 1]), // Q2: outside Q1
            answer("xa-b", d(2024, 2, 1), [5, 5, 5, 5, 5]),
        ];
        let s = satisfaction(&list, Some(&u("xa-a")), Period::Quarter(2024, 1));
        assert_eq!(s.answers, 2);
        assert_eq!(
            s.factor(SipasFactor::Access),
            Ratio {
                numerator: 2,
                denominator: 2
            }
        );
        assert_eq!(
            s.factor(SipasFactor::Procedures),
            Ratio {
                numerator: 1,
                denominator: 2
            }
        );
        assert_eq!(
            s.factor(SipasFactor::Feedback),
            Ratio {
                numerator: 0,
                denominator: 1
            }
        );
        // 7 satisfied of 9 ratings = 77.78%.
        assert_eq!(
            s.overall,
            Ratio {
                numerator: 7,
                denominator: 9
            }
        );
        let f = satisfaction_target(&s);
        assert_eq!(f.status, TargetStatus::NotMet);
        assert!((f.value.unwrap() - 700.0 / 9.0).abs() < 1e-9);

        let all = satisfaction(&list, None, Period::Year(2024));
        assert_eq!(all.answers, 4);
        assert_eq!(
            all.overall,
            Ratio {
                numerator: 12,
                denominator: 19
            }
        );
        let none = satisfaction(&list, Some(&u("xa-c")), Period::Year(2024));
        assert_eq!(satisfaction_target(&none).status, TargetStatus::NoData);
    }

    #[test]
    fn with_every_factor_rated_pooled_equals_the_mean_of_factors() {
        let list: Vec<SurveyAnswer> = (0..50)
            .map(|k| {
                let r = |m: u8| if k % m == 0 { 3 } else { 5 };
                answer("xa-a", d(2024, 6, 1), [r(2), r(3), r(5), r(7), r(17)])
            })
            .collect();
        let s = satisfaction(&list, None, Period::Year(2024));
        let mean: f64 = s
            .per_factor
            .iter()
            .map(|r| r.percent().unwrap())
            .sum::<f64>()
            / 5.0;
        assert!((s.overall.percent().unwrap() - mean).abs() < 1e-9);
        // 94% met at the bound: 47 of 50 answers rating everything 5.
        let list: Vec<SurveyAnswer> = (0..50)
            .map(|k| answer("xa-a", d(2024, 6, 1), [if k < 47 { 5 } else { 3 }; 5]))
            .collect();
        let f = satisfaction_target(&satisfaction(&list, None, Period::Year(2024)));
        assert_eq!(
            (f.numerator, f.denominator, f.status),
            (235, Some(250), TargetStatus::Met)
        );
    }

    #[test]
    fn a_rating_outside_one_to_five_is_refused() {
        assert!(SurveyRating::new(0).unwrap_err().contains("chỉ từ 1"));
        assert!(SurveyRating::new(6).is_err());
        assert!(SurveyRating::new(4).unwrap().is_satisfied());
        assert!(!SurveyRating::new(3).unwrap().is_satisfied());
    }
}
