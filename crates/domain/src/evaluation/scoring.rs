//! Scoring a commune against a criteria set: self-assessment with evidence, the appraisal
//! council's decisions, sums per area and in total, the index, bands, ranking with ties and the
//! change from one year to the next.

use std::cmp::Ordering;
use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::criteria::{
    CriteriaSet, CriteriaSetId, Criterion, CriterionCode, CriterionKind, EvidenceRequirement,
    Points, ScoringRule,
};
use crate::unit::UnitId;

/// Tài liệu kiểm chứng — one piece of evidence for a self-score.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Evidence {
    /// văn bản: a document by number and date ("123/BC-UBND", 15/12/2024).
    Document { number: String, date: NaiveDate },
    /// tệp: a file already uploaded, by its id in the store.
    File { id: String },
    /// giải trình: a written explanation where no document exists.
    Explanation { text: String },
}

impl Evidence {
    fn problem(&self) -> Option<&'static str> {
        match self {
            Evidence::Document { number, .. } if number.trim().is_empty() => {
                Some("văn bản kiểm chứng thiếu số văn bản")
            }
            Evidence::File { id } if id.trim().is_empty() => Some("tệp kiểm chứng thiếu mã tệp"),
            Evidence::Explanation { text } if text.trim().is_empty() => Some("giải trình trống"),
            _ => None,
        }
    }
}

/// Điểm tự chấm — a commune's own score of one leaf criterion, with its evidence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SelfScore {
    pub criterion: CriterionCode,
    pub score: Points,
    #[serde(default)]
    pub evidence: Vec<Evidence>,
}

/// Kết luận thẩm định — the council's decision on one criterion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "decision", rename_all = "snake_case")]
pub enum AppraisalDecision {
    /// giữ nguyên: the self-score stands.
    Accept,
    /// điều chỉnh: another score, with the reason the commune is told.
    Change { score: Points, reason: String },
}

/// Thẩm định — the appraisal of one criterion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Appraisal {
    pub criterion: CriterionCode,
    pub decision: AppraisalDecision,
}

/// Kết quả chấm điểm — one unit's evaluation against one set for the set's year: the
/// self-scores, the survey's points and the appraisal, each checked against the set when
/// recorded.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Evaluation {
    set: CriteriaSetId,
    unit: UnitId,
    year: i32,
    self_scores: BTreeMap<CriterionCode, SelfScore>,
    survey_scores: BTreeMap<CriterionCode, Points>,
    appraisals: BTreeMap<CriterionCode, AppraisalDecision>,
}

/// The leaf a score is for, or why there is none.
fn leaf<'a>(set: &'a CriteriaSet, code: &CriterionCode) -> Result<&'a Criterion, String> {
    let c = set.get(code).ok_or_else(|| {
        format!(
            "tiêu chí «{code}» không có trong bộ chỉ số «{}»",
            set.name()
        )
    })?;
    if !c.is_leaf {
        return Err(format!(
            "tiêu chí «{code}» có tiêu chí con; điểm được chấm ở từng tiêu chí con"
        ));
    }
    Ok(c)
}

/// Whether a score fits the criterion's maximum and rule.
fn check_score(c: &Criterion, score: Points) -> Result<(), String> {
    if score < Points::ZERO || score > c.max_points {
        return Err(format!(
            "tiêu chí «{}»: điểm {score} ngoài khoảng từ 0 đến {} điểm",
            c.code, c.max_points
        ));
    }
    if c.rule == ScoringRule::Full && score != Points::ZERO && score != c.max_points {
        return Err(format!(
            "tiêu chí «{}» chấm đạt hoặc không đạt: chỉ được 0 hoặc {} điểm, không được {score}",
            c.code, c.max_points
        ));
    }
    Ok(())
}

impl Evaluation {
    /// An empty evaluation of `unit` against `set`, for the set's year.
    pub fn new(set: &CriteriaSet, unit: UnitId) -> Evaluation {
        Evaluation {
            set: set.id().clone(),
            unit,
            year: set.year(),
            self_scores: BTreeMap::new(),
            survey_scores: BTreeMap::new(),
            appraisals: BTreeMap::new(),
        }
    }

    pub fn unit(&self) -> &UnitId {
        &self.unit
    }
    pub fn year(&self) -> i32 {
        self.year
    }
    pub fn set_id(&self) -> &CriteriaSetId {
        &self.set
    }
    pub fn self_score(&self, code: &CriterionCode) -> Option<&SelfScore> {
        self.self_scores.get(code)
    }
    pub fn appraisal(&self, code: &CriterionCode) -> Option<&AppraisalDecision> {
        self.appraisals.get(code)
    }

    fn same_set(&self, set: &CriteriaSet) -> Result<(), String> {
        if set.id() != &self.set {
            return Err(format!(
                "kết quả chấm điểm theo bộ chỉ số «{}», không phải «{}»",
                self.set,
                set.id()
            ));
        }
        Ok(())
    }

    /// Records (or replaces) a self-score. Refused: a criterion the survey scores, a score out
    /// of range or against the rule, missing evidence where the criterion asks for it (a
    /// document, a file or a written explanation: any one of them), an empty piece of evidence.
    /// A replaced self-score loses its appraisal: the council looks at it again.
    pub fn record_self(&mut self, set: &CriteriaSet, s: SelfScore) -> Result<(), String> {
        self.same_set(set)?;
        let c = leaf(set, &s.criterion)?;
        if c.kind == CriterionKind::Survey {
            return Err(format!(
                "tiêu chí «{}» được chấm bằng điều tra xã hội học; đơn vị không tự chấm",
                c.code
            ));
        }
        check_score(c, s.score)?;
        if let Some(p) = s.evidence.iter().find_map(Evidence::problem) {
            return Err(format!("tiêu chí «{}»: {p}", c.code));
        }
        if c.evidence != EvidenceRequirement::None && s.evidence.is_empty() {
            return Err(format!(
                "tiêu chí «{}» yêu cầu tài liệu kiểm chứng ({}): ghi số và ngày văn bản, đính kèm \
                 tệp hoặc viết giải trình",
                c.code,
                c.evidence.label_vi().to_lowercase()
            ));
        }
        self.appraisals.remove(&c.code);
        self.self_scores.insert(c.code.clone(), s);
        Ok(())
    }

    /// Records the points a survey criterion earned.
    pub fn record_survey(
        &mut self,
        set: &CriteriaSet,
        code: &CriterionCode,
        score: Points,
    ) -> Result<(), String> {
        self.same_set(set)?;
        let c = leaf(set, code)?;
        if c.kind != CriterionKind::Survey {
            return Err(format!(
                "tiêu chí «{}» do đơn vị tự đánh giá, không phải tiêu chí điều tra xã hội học",
                c.code
            ));
        }
        check_score(c, score)?;
        self.survey_scores.insert(c.code.clone(), score);
        Ok(())
    }

    /// Records the council's decision. Refused: accepting a criterion the unit did not score,
    /// a change without a reason or out of range, any decision on a survey criterion.
    pub fn record_appraisal(&mut self, set: &CriteriaSet, a: Appraisal) -> Result<(), String> {
        self.same_set(set)?;
        let c = leaf(set, &a.criterion)?;
        if c.kind == CriterionKind::Survey {
            return Err(format!(
                "tiêu chí «{}» được chấm bằng điều tra xã hội học, không thẩm định",
                c.code
            ));
        }
        match &a.decision {
            AppraisalDecision::Accept if !self.self_scores.contains_key(&c.code) => {
                return Err(format!(
                    "tiêu chí «{}» chưa được đơn vị tự chấm nên không thể giữ nguyên; hãy chấm \
                     điểm thẩm định kèm lý do",
                    c.code
                ))
            }
            AppraisalDecision::Accept => {}
            AppraisalDecision::Change { score, reason } => {
                if reason.trim().is_empty() {
                    return Err(format!(
                        "tiêu chí «{}»: điều chỉnh điểm phải ghi lý do",
                        c.code
                    ));
                }
                check_score(c, *score)?;
            }
        }
        self.appraisals.insert(c.code.clone(), a.decision);
        Ok(())
    }

    /// The scores as they stand: per leaf, the council's score if it changed one, the
    /// self-score otherwise (provisional until appraised); the survey's points; zero where
    /// nothing was given (listed in [`Scorecard::unscored`]).
    pub fn scorecard(&self, set: &CriteriaSet) -> Scorecard {
        let mut by_code: BTreeMap<&CriterionCode, (Points, Points)> = BTreeMap::new();
        let mut unscored = Vec::new();
        let mut pending = Vec::new();
        for c in set.leaves() {
            let own = match c.kind {
                CriterionKind::Survey => self.survey_scores.get(&c.code).copied(),
                CriterionKind::SelfAssessed => self.self_scores.get(&c.code).map(|s| s.score),
            };
            let fin = match (c.kind, self.appraisals.get(&c.code)) {
                (CriterionKind::Survey, _) => own,
                (_, Some(AppraisalDecision::Change { score, .. })) => Some(*score),
                (_, Some(AppraisalDecision::Accept)) => own,
                (_, None) => {
                    if own.is_some() {
                        pending.push(c.code.clone());
                    }
                    own
                }
            };
            if fin.is_none() {
                unscored.push(c.code.clone());
            }
            by_code.insert(
                &c.code,
                (own.unwrap_or(Points::ZERO), fin.unwrap_or(Points::ZERO)),
            );
        }
        // Sums bottom-up: deepest nodes first.
        let mut nodes: Vec<&Criterion> = set.criteria().iter().collect();
        nodes.sort_by_key(|c| std::cmp::Reverse(c.depth));
        for c in nodes {
            if let Some(p) = &c.parent {
                let (o, f) = by_code.get(&c.code).copied().unwrap_or_default();
                let e = by_code.entry(p).or_default();
                e.0 += o;
                e.1 += f;
            }
        }
        let nodes: Vec<NodeScore> = set
            .criteria()
            .iter()
            .map(|c| {
                let (own, fin) = by_code.get(&c.code).copied().unwrap_or_default();
                NodeScore {
                    code: c.code.clone(),
                    max: c.max_points,
                    self_score: own,
                    final_score: fin,
                }
            })
            .collect();
        let of_kind = |k: CriterionKind| -> Points {
            set.leaves()
                .filter(|c| c.kind == k)
                .map(|c| by_code[&c.code].1)
                .sum()
        };
        let self_assessed = of_kind(CriterionKind::SelfAssessed);
        let survey = of_kind(CriterionKind::Survey);
        Scorecard {
            unit: self.unit.clone(),
            year: self.year,
            total: self_assessed + survey,
            max: set.total(),
            self_assessed,
            survey,
            nodes,
            unscored,
            pending_appraisal: pending,
        }
    }
}

/// Điểm một tiêu chí — a node's points: its maximum, the unit's own score and the score after
/// appraisal (the survey's points for a survey criterion, in both). A parent's are its
/// children's sums.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NodeScore {
    pub code: CriterionCode,
    pub max: Points,
    pub self_score: Points,
    pub final_score: Points,
}

/// Bảng điểm — a unit's scores for a year: per node, in total, and by kind.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Scorecard {
    pub unit: UnitId,
    pub year: i32,
    /// Tổng điểm đạt: self-assessed (after appraisal) plus survey.
    pub total: Points,
    /// Tổng điểm tối đa of the set.
    pub max: Points,
    pub self_assessed: Points,
    pub survey: Points,
    pub nodes: Vec<NodeScore>,
    /// Leaves with no score at all (counted as 0).
    pub unscored: Vec<CriterionCode>,
    /// Self-scored leaves the council has not decided on yet.
    pub pending_appraisal: Vec<CriterionCode>,
}

impl Scorecard {
    /// Chỉ số CCHC = total ÷ maximum × 100, unrounded (0 for an empty set).
    pub fn index(&self) -> f64 {
        if self.max <= Points::ZERO {
            return 0.0;
        }
        self.total.hundredths() as f64 * 100.0 / self.max.hundredths() as f64
    }

    pub fn node(&self, code: &CriterionCode) -> Option<&NodeScore> {
        self.nodes.iter().find(|n| &n.code == code)
    }

    /// Whether every leaf is scored and every self-score appraised: the index is final.
    pub fn is_final(&self) -> bool {
        self.unscored.is_empty() && self.pending_appraisal.is_empty()
    }
}

/// Xếp loại — the band an index falls in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Band {
    Good,
    Fair,
    Average,
    Weak,
}

impl Band {
    pub fn label_vi(self) -> &'static str {
        match self {
            Band::Good => "Tốt",
            Band::Fair => "Khá",
            Band::Average => "Trung bình",
            Band::Weak => "Yếu",
        }
    }
}

/// Thang xếp loại — the lower bounds of the bands, in index points, and where they come from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BandScheme {
    pub good: f64,
    pub fair: f64,
    pub average: f64,
    pub source: String,
}

impl Default for BandScheme {
    /// cchc's default, not taken from a Hà Tĩnh act: Tốt ≥ 80, Khá 70 to under 80, Trung bình
    /// 50 to under 70, Yếu under 50. A province that publishes bands sets its own.
    fn default() -> Self {
        BandScheme {
            good: 80.0,
            fair: 70.0,
            average: 50.0,
            source: "Thang mặc định của phần mềm (không lấy từ văn bản của tỉnh): Tốt từ 80 \
                     điểm; Khá từ 70 đến dưới 80; Trung bình từ 50 đến dưới 70; Yếu dưới 50"
                .into(),
        }
    }
}

impl BandScheme {
    pub fn band(&self, index: f64) -> Band {
        // Compared at two decimals, as the index is shown: 79.999 shown as 80,00 is Tốt.
        let i = (index * 100.0).round() / 100.0;
        if i >= self.good {
            Band::Good
        } else if i >= self.fair {
            Band::Fair
        } else if i >= self.average {
            Band::Average
        } else {
            Band::Weak
        }
    }
}

/// Xếp hạng — a unit's place among those ranked together.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RankedUnit {
    pub unit: UnitId,
    pub total: Points,
    pub max: Points,
    pub index: f64,
    /// 1 for the best; equal indices share a rank and the next rank skips (1, 1, 3).
    pub rank: usize,
}

/// Ranks scorecards by index, best first. Indices are compared exactly (total × other maximum),
/// so units with equal totals of equal maxima tie; ties are listed by unit id.
pub fn rank(cards: &[Scorecard]) -> Vec<RankedUnit> {
    let cmp = |a: &Scorecard, b: &Scorecard| -> Ordering {
        let l = i128::from(a.total.hundredths()) * i128::from(b.max.hundredths().max(1));
        let r = i128::from(b.total.hundredths()) * i128::from(a.max.hundredths().max(1));
        r.cmp(&l)
    };
    let mut sorted: Vec<&Scorecard> = cards.iter().collect();
    sorted.sort_by(|a, b| cmp(a, b).then_with(|| a.unit.cmp(&b.unit)));
    let mut out: Vec<RankedUnit> = Vec::with_capacity(sorted.len());
    for (i, c) in sorted.iter().enumerate() {
        let rank = match i {
            0 => 1,
            _ if cmp(sorted[i - 1], c) == Ordering::Equal => out[i - 1].rank,
            _ => i + 1,
        };
        out.push(RankedUnit {
            unit: c.unit.clone(),
            total: c.total,
            max: c.max,
            index: c.index(),
            rank,
        });
    }
    out
}

/// So với năm trước — a unit's change from the previous year's ranking.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct YearChange {
    pub unit: UnitId,
    pub index: f64,
    pub rank: usize,
    pub previous_index: Option<f64>,
    pub previous_rank: Option<usize>,
    /// Index points gained (negative: lost).
    pub index_change: Option<f64>,
    /// Places gained (positive: moved up; 3rd → 1st is +2).
    pub rank_change: Option<i64>,
}

/// The change of every unit of `current` against `previous` (a unit new this year has none).
pub fn year_over_year(current: &[RankedUnit], previous: &[RankedUnit]) -> Vec<YearChange> {
    current
        .iter()
        .map(|c| {
            let p = previous.iter().find(|p| p.unit == c.unit);
            YearChange {
                unit: c.unit.clone(),
                index: c.index,
                rank: c.rank,
                previous_index: p.map(|p| p.index),
                previous_rank: p.map(|p| p.rank),
                index_change: p.map(|p| c.index - p.index),
                rank_change: p.map(|p| p.rank as i64 - c.rank as i64),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evaluation::criteria::{CriteriaSetDraft, CriterionDraft};

    fn code(s: &str) -> CriterionCode {
        CriterionCode::parse(s).unwrap()
    }
    fn pts(s: &str) -> Points {
        Points::parse(s).unwrap()
    }
    fn unit(s: &str) -> UnitId {
        UnitId::parse(s).unwrap()
    }

    /// Area 1 (6): 1.1 full 2 with a document, 1.2 scale 2, 1.3 manual 2; area 2 (4): survey
    /// 2.1 (4). Total 10.
    fn set() -> CriteriaSet {
        let mut c11 = CriterionDraft::leaf("1.1", "Ban hành kế hoạch CCHC", pts("2"));
        c11.rule = Some(ScoringRule::Full);
        c11.evidence = Some(EvidenceRequirement::Document);
        let mut c12 = CriterionDraft::leaf("1.2", "Tỷ lệ nhiệm vụ hoàn thành", pts("2"));
        c12.rule = Some(ScoringRule::Scale);
        let c13 = CriterionDraft::leaf("1.3", "Tuyên truyền CCHC", pts("2"));
        let mut c21 = CriterionDraft::leaf("2.1", "Mức độ hài lòng", pts("4"));
        c21.kind = Some(CriterionKind::Survey);
        let mut a1 = CriterionDraft::leaf("1", "Chỉ đạo điều hành", pts("6"));
        a1.max_points = None;
        let a2 = CriterionDraft::leaf("2", "Điều tra xã hội học", pts("4"));
        CriteriaSet::new(CriteriaSetDraft {
            id: CriteriaSetId::parse("thu-2024").unwrap(),
            name: "Bộ thử".into(),
            year: 2024,
            source: "test".into(),
            total: pts("10"),
            criteria: vec![a1, c11, c12, c13, a2, c21],
        })
        .unwrap()
    }

    fn doc() -> Vec<Evidence> {
        vec![Evidence::Document {
            number: "12/KH-UBND".into(),
            date: NaiveDate::from_ymd_opt(2024, 1, 20).unwrap(),
        }]
    }

    fn score(c: &str, s: &str, evidence: Vec<Evidence>) -> SelfScore {
        SelfScore {
            criterion: code(c),
            score: pts(s),
            evidence,
        }
    }

    #[test]
    fn out_of_range_and_against_the_rule_scores_are_refused_in_vietnamese() {
        let set = set();
        let mut e = Evaluation::new(&set, unit("xa-tung-anh"));
        assert_eq!(
            e.record_self(&set, score("1.3", "2,5", vec![])),
            Err("tiêu chí «1.3»: điểm 2,5 ngoài khoảng từ 0 đến 2 điểm".into())
        );
        assert_eq!(
            e.record_self(&set, score("1.3", "-1", vec![])),
            Err("tiêu chí «1.3»: điểm -1 ngoài khoảng từ 0 đến 2 điểm".into())
        );
        assert_eq!(
            e.record_self(&set, score("1.1", "1", doc())),
            Err(
                "tiêu chí «1.1» chấm đạt hoặc không đạt: chỉ được 0 hoặc 2 điểm, không được 1"
                    .into()
            )
        );
        assert!(e.record_self(&set, score("1.2", "1,33", vec![])).is_ok());
        assert_eq!(
            e.record_self(&set, score("1", "1", vec![])),
            Err("tiêu chí «1» có tiêu chí con; điểm được chấm ở từng tiêu chí con".into())
        );
        assert_eq!(
            e.record_self(&set, score("9.9", "1", vec![])),
            Err("tiêu chí «9.9» không có trong bộ chỉ số «Bộ thử»".into())
        );
        assert_eq!(
            e.record_self(&set, score("2.1", "4", vec![])),
            Err("tiêu chí «2.1» được chấm bằng điều tra xã hội học; đơn vị không tự chấm".into())
        );
    }

    #[test]
    fn evidence_is_required_where_the_criterion_asks_and_any_kind_will_do() {
        let set = set();
        let mut e = Evaluation::new(&set, unit("xa-tung-anh"));
        let err = e.record_self(&set, score("1.1", "2", vec![])).unwrap_err();
        assert!(
            err.starts_with("tiêu chí «1.1» yêu cầu tài liệu kiểm chứng (văn bản)"),
            "{err}"
        );
        let blank = vec![Evidence::Explanation { text: "  ".into() }];
        assert_eq!(
            e.record_self(&set, score("1.1", "2", blank)),
            Err("tiêu chí «1.1»: giải trình trống".into())
        );
        let why = vec![Evidence::Explanation {
            text: "Kế hoạch lồng ghép trong chương trình công tác năm".into(),
        }];
        assert!(e.record_self(&set, score("1.1", "2", why)).is_ok());
        assert!(e
            .record_self(
                &set,
                score("1.1", "2", vec![Evidence::File { id: "f-17".into() }])
            )
            .is_ok());
        // No evidence is needed where none is asked.
        assert!(e.record_self(&set, score("1.3", "1", vec![])).is_ok());
    }

    #[test]
    fn a_changed_score_needs_a_reason_and_accepting_needs_a_self_score() {
        let set = set();
        let mut e = Evaluation::new(&set, unit("xa-tung-anh"));
        let change = |s: &str, reason: &str| Appraisal {
            criterion: code("1.3"),
            decision: AppraisalDecision::Change {
                score: pts(s),
                reason: reason.into(),
            },
        };
        let accept = Appraisal {
            criterion: code("1.3"),
            decision: AppraisalDecision::Accept,
        };
        assert_eq!(
            e.record_appraisal(&set, accept.clone()),
            Err("tiêu chí «1.3» chưa được đơn vị tự chấm nên không thể giữ nguyên; hãy chấm điểm thẩm định kèm lý do".into())
        );
        assert_eq!(
            e.record_appraisal(&set, change("1", " ")),
            Err("tiêu chí «1.3»: điều chỉnh điểm phải ghi lý do".into())
        );
        assert_eq!(
            e.record_appraisal(&set, change("3", "Thiếu kế hoạch tuyên truyền")),
            Err("tiêu chí «1.3»: điểm 3 ngoài khoảng từ 0 đến 2 điểm".into())
        );
        e.record_self(&set, score("1.3", "2", vec![])).unwrap();
        e.record_appraisal(&set, accept).unwrap();
        assert_eq!(
            e.scorecard(&set).node(&code("1.3")).unwrap().final_score,
            pts("2")
        );
        e.record_appraisal(&set, change("1,5", "Chỉ 3/4 quý có tin bài"))
            .unwrap();
        let card = e.scorecard(&set);
        let n = card.node(&code("1.3")).unwrap();
        assert_eq!((n.self_score, n.final_score), (pts("2"), pts("1,5")));
        // A new self-score sends the criterion back to the council.
        e.record_self(&set, score("1.3", "1", vec![])).unwrap();
        assert_eq!(e.appraisal(&code("1.3")), None);
        assert_eq!(e.scorecard(&set).pending_appraisal, vec![code("1.3")]);
    }

    #[test]
    fn sums_per_area_total_and_index_are_the_hand_computed_ones() {
        let set = set();
        let mut e = Evaluation::new(&set, unit("xa-tung-anh"));
        e.record_self(&set, score("1.1", "2", doc())).unwrap();
        e.record_self(
            &set,
            score(
                "1.2",
                &set.get(&code("1.2"))
                    .unwrap()
                    .max_points
                    .scaled(7, 8)
                    .unwrap()
                    .to_string(),
                vec![],
            ),
        )
        .unwrap();
        e.record_self(&set, score("1.3", "2", vec![])).unwrap();
        e.record_survey(&set, &code("2.1"), pts("3,4")).unwrap();
        e.record_appraisal(
            &set,
            Appraisal {
                criterion: code("1.3"),
                decision: AppraisalDecision::Change {
                    score: pts("0,5"),
                    reason: "Không có tin bài quý III, IV".into(),
                },
            },
        )
        .unwrap();
        let card = e.scorecard(&set);
        // 1.1 = 2, 1.2 = 2 × 7/8 = 1,75, 1.3 = 0,5 after appraisal: area 1 = 4,25 (self 5,75).
        let a1 = card.node(&code("1")).unwrap();
        assert_eq!(
            (a1.self_score, a1.final_score, a1.max),
            (pts("5,75"), pts("4,25"), pts("6"))
        );
        assert_eq!(card.node(&code("2")).unwrap().final_score, pts("3,4"));
        assert_eq!(
            (card.self_assessed, card.survey, card.total),
            (pts("4,25"), pts("3,4"), pts("7,65"))
        );
        assert!((card.index() - 76.5).abs() < 1e-9);
        assert_eq!(BandScheme::default().band(card.index()), Band::Fair);
        assert_eq!(card.pending_appraisal, vec![code("1.1"), code("1.2")]);
        assert!(!card.is_final());
        assert!(card.unscored.is_empty());
        assert_eq!(
            e.record_survey(&set, &code("1.3"), pts("1")),
            Err(
                "tiêu chí «1.3» do đơn vị tự đánh giá, không phải tiêu chí điều tra xã hội học"
                    .into()
            )
        );
    }

    #[test]
    fn nothing_scored_counts_zero_and_is_listed() {
        let set = set();
        let card = Evaluation::new(&set, unit("xa-tung-anh")).scorecard(&set);
        assert_eq!(card.total, Points::ZERO);
        assert_eq!(card.unscored.len(), 4);
        assert_eq!(BandScheme::default().band(card.index()), Band::Weak);
    }

    #[test]
    fn bands_have_inclusive_lower_bounds() {
        let b = BandScheme::default();
        assert_eq!(b.band(80.0), Band::Good);
        assert_eq!(b.band(79.996), Band::Good);
        assert_eq!(b.band(79.99), Band::Fair);
        assert_eq!(b.band(70.0), Band::Fair);
        assert_eq!(b.band(69.99), Band::Average);
        assert_eq!(b.band(50.0), Band::Average);
        assert_eq!(b.band(49.99), Band::Weak);
        assert_eq!(Band::Average.label_vi(), "Trung bình");
    }

    fn card(u: &str, total: &str) -> Scorecard {
        Scorecard {
            unit: unit(u),
            year: 2024,
            total: pts(total),
            max: pts("100"),
            self_assessed: pts(total),
            survey: Points::ZERO,
            nodes: vec![],
            unscored: vec![],
            pending_appraisal: vec![],
        }
    }

    #[test]
    fn equal_scores_share_a_rank_and_the_next_rank_skips() {
        let r = rank(&[
            card("xa-c", "80,5"),
            card("xa-a", "91"),
            card("xa-d", "75"),
            card("xa-b", "80,5"),
            card("xa-e", "91"),
        ]);
        let got: Vec<(&str, usize)> = r.iter().map(|x| (x.unit.as_str(), x.rank)).collect();
        assert_eq!(
            got,
            [
                ("xa-a", 1),
                ("xa-e", 1),
                ("xa-b", 3),
                ("xa-c", 3),
                ("xa-d", 5)
            ]
        );
        // The same index from different maxima ties too: 45/50 = 90/100.
        let mut half = card("xa-f", "45");
        half.max = pts("50");
        let r = rank(&[card("xa-g", "90"), half]);
        assert_eq!((r[0].rank, r[1].rank), (1, 1));
    }

    #[test]
    fn year_over_year_change_counts_places_gained() {
        let prev = rank(&[card("xa-a", "85"), card("xa-b", "80"), card("xa-c", "70")]);
        let cur = rank(&[
            card("xa-a", "84"),
            card("xa-b", "78"),
            card("xa-c", "88"),
            card("xa-d", "60"),
        ]);
        let ch = year_over_year(&cur, &prev);
        let c = ch.iter().find(|x| x.unit.as_str() == "xa-c").unwrap();
        assert_eq!(
            (c.previous_rank, c.rank, c.rank_change),
            (Some(3), 1, Some(2))
        );
        assert!((c.index_change.unwrap() - 18.0).abs() < 1e-9);
        let a = ch.iter().find(|x| x.unit.as_str() == "xa-a").unwrap();
        assert_eq!(a.rank_change, Some(-1));
        let d = ch.iter().find(|x| x.unit.as_str() == "xa-d").unwrap();
        assert_eq!((d.previous_rank, d.rank_change), (None, None));
    }

    #[test]
    fn an_evaluation_is_checked_against_its_own_set() {
        let set = set();
        let mut other = CriteriaSetDraft::from(set.clone());
        other.id = CriteriaSetId::parse("khac").unwrap();
        let other = CriteriaSet::new(other).unwrap();
        let mut e = Evaluation::new(&set, unit("xa-tung-anh"));
        assert_eq!(
            e.record_self(&other, score("1.3", "1", vec![])),
            Err("kết quả chấm điểm theo bộ chỉ số «thu-2024», không phải «khac»".into())
        );
    }
}
