//! The criteria tree of a reform index (Bộ chỉ số CCHC): areas, criteria and sub-criteria with
//! their maximum points, checked as a whole when the set is built.

use std::collections::HashMap;
use std::fmt;

use serde::{Deserialize, Serialize};

/// Điểm — points in hundredths, exact: sums of criteria never drift as floats would.
/// Signed, because a change of score or of a year's index is points too; a criterion's
/// maximum is refused negative by [`CriteriaSet::new`].
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
#[serde(try_from = "f64", into = "f64")]
pub struct Points(i64);

impl Points {
    pub const ZERO: Points = Points(0);

    /// Whole points.
    pub const fn whole(n: i64) -> Points {
        Points(n * 100)
    }

    /// Points from hundredths (`250` is 2,5 points).
    pub const fn from_hundredths(h: i64) -> Points {
        Points(h)
    }

    pub fn hundredths(self) -> i64 {
        self.0
    }

    pub fn as_f64(self) -> f64 {
        self.0 as f64 / 100.0
    }

    /// Parses `2`, `2,5`, `2.5`, `0,25`, `-1`: at most two decimals, comma or point.
    pub fn parse(s: &str) -> Result<Points, String> {
        let t = s.trim();
        let bad = || {
            format!("số điểm «{t}» không hợp lệ; viết số, tối đa hai chữ số thập phân (ví dụ 2 hoặc 2,5)")
        };
        let (neg, body) = match t.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, t),
        };
        let (int, frac) = match body.split_once([',', '.']) {
            Some((i, f)) => (i, f),
            None => (body, ""),
        };
        if int.is_empty()
            || int.len() > 9
            || frac.len() > 2
            || !int.bytes().all(|b| b.is_ascii_digit())
            || !frac.bytes().all(|b| b.is_ascii_digit())
            || (body.contains([',', '.']) && frac.is_empty())
        {
            return Err(bad());
        }
        let int: i64 = int.parse().map_err(|_| bad())?;
        let frac: i64 = match frac.len() {
            0 => 0,
            1 => frac.parse::<i64>().map_err(|_| bad())? * 10,
            _ => frac.parse().map_err(|_| bad())?,
        };
        let v = int * 100 + frac;
        Ok(Points(if neg { -v } else { v }))
    }

    /// `self × numerator ÷ denominator`, rounded half up to hundredths (the proportional rule).
    pub fn scaled(self, numerator: i64, denominator: i64) -> Option<Points> {
        if denominator <= 0 || numerator < 0 {
            return None;
        }
        let num = i128::from(self.0) * i128::from(numerator.min(denominator));
        let den = i128::from(denominator);
        Some(Points(((2 * num + den) / (2 * den)) as i64))
    }
}

impl std::ops::Add for Points {
    type Output = Points;
    fn add(self, o: Points) -> Points {
        Points(self.0 + o.0)
    }
}
impl std::ops::Sub for Points {
    type Output = Points;
    fn sub(self, o: Points) -> Points {
        Points(self.0 - o.0)
    }
}
impl std::ops::AddAssign for Points {
    fn add_assign(&mut self, o: Points) {
        self.0 += o.0;
    }
}
impl std::iter::Sum for Points {
    fn sum<I: Iterator<Item = Points>>(iter: I) -> Points {
        iter.fold(Points::ZERO, |a, b| a + b)
    }
}

/// Vietnamese writing: `2,5`, `12`, `0,25`, `-1,5`.
impl fmt::Display for Points {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let a = self.0.unsigned_abs();
        let (int, frac) = (a / 100, a % 100);
        match frac {
            0 => write!(f, "{sign}{int}"),
            x if x % 10 == 0 => write!(f, "{sign}{int},{}", x / 10),
            x => write!(f, "{sign}{int},{x:02}"),
        }
    }
}

impl TryFrom<f64> for Points {
    type Error = String;
    fn try_from(v: f64) -> Result<Points, String> {
        let h = (v * 100.0).round();
        if !v.is_finite() || (h - v * 100.0).abs() > 1e-6 || h.abs() > 1e15 {
            return Err(format!(
                "số điểm {v} không hợp lệ (tối đa hai chữ số thập phân)"
            ));
        }
        Ok(Points(h as i64))
    }
}
impl From<Points> for f64 {
    fn from(p: Points) -> f64 {
        p.as_f64()
    }
}

/// Mã tiêu chí — a criterion's code: numbers joined by dots, `1` (an area), `1.1`, `1.1.2`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CriterionCode(String);

impl CriterionCode {
    /// Parses a code; a trailing dot (`1.1.`) is dropped, as documents often write it.
    pub fn parse(s: &str) -> Result<CriterionCode, String> {
        let t = s.trim();
        let t = t.strip_suffix('.').unwrap_or(t);
        if t.is_empty() {
            return Err("mã tiêu chí trống".into());
        }
        let ok = t.len() <= 40
            && t.split('.')
                .all(|p| !p.is_empty() && p.len() <= 3 && p.bytes().all(|b| b.is_ascii_digit()));
        if !ok {
            return Err(format!(
                "mã tiêu chí «{t}» không hợp lệ; dùng các số cách nhau bởi dấu chấm, ví dụ 1, 1.1, 1.1.2"
            ));
        }
        Ok(CriterionCode(t.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The code its numbering implies as parent: `1.1.2` → `1.1`; an area has none.
    pub fn implied_parent(&self) -> Option<CriterionCode> {
        self.0
            .rsplit_once('.')
            .map(|(p, _)| CriterionCode(p.to_string()))
    }

    /// Numbers of the code, for ordering `1.10` after `1.9`.
    fn key(&self) -> Vec<u32> {
        self.0.split('.').filter_map(|p| p.parse().ok()).collect()
    }
}

impl TryFrom<String> for CriterionCode {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        CriterionCode::parse(&s)
    }
}
impl From<CriterionCode> for String {
    fn from(c: CriterionCode) -> String {
        c.0
    }
}
impl fmt::Display for CriterionCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Declares a closed vocabulary: the code files use, other accepted spellings, a label.
macro_rules! vocabulary {
    ($(#[$doc:meta])* $name:ident, $what:literal { $($(#[$vdoc:meta])* $variant:ident = $code:literal [$($alias:literal),*], $label:literal;)+ }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        pub enum $name {
            $($(#[$vdoc])* #[serde(rename = $code)] $variant,)+
        }
        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            /// The code files and the database use.
            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code,)+ }
            }
            pub fn label_vi(self) -> &'static str {
                match self { $($name::$variant => $label,)+ }
            }
            /// Parses the code or the Vietnamese label (case and diacritics ignored).
            pub fn parse(s: &str) -> Result<Self, String> {
                let key = crate::text::fold(s).replace(' ', "_");
                $(
                    if key == $code
                        || key == crate::text::fold($label).replace(' ', "_")
                        $(|| key == $alias)*
                    {
                        return Ok($name::$variant);
                    }
                )+
                Err(format!(
                    "{} «{}» không hợp lệ; dùng một trong: {}",
                    $what,
                    s.trim(),
                    [$(concat!($code, " (", $label, ")")),+].join(", ")
                ))
            }
        }
    };
}

vocabulary!(
    /// Loại tiêu chí — who gives a criterion its points.
    CriterionKind, "loại tiêu chí" {
        /// tự đánh giá: the commune scores itself, the council appraises.
        SelfAssessed = "tu_danh_gia" ["tu_cham", "self"], "Tự đánh giá";
        /// điều tra xã hội học: points come from the survey, not from the commune.
        Survey = "dieu_tra" ["dtxhh", "survey"], "Điều tra xã hội học";
    }
);

vocabulary!(
    /// Cách chấm — how a criterion's points are given.
    ScoringRule, "cách chấm" {
        /// đạt / không đạt: the whole maximum or nothing.
        Full = "dat_khong_dat" ["full", "toan_phan"], "Đạt hoặc không đạt";
        /// theo tỷ lệ: maximum × the ratio achieved (see [`Points::scaled`]).
        Scale = "ty_le" ["scale", "theo_ty_le"], "Theo tỷ lệ";
        /// chấm tự do: any score from 0 to the maximum.
        Manual = "tu_do" ["manual", "cham_tu_do"], "Chấm từ 0 đến điểm tối đa";
    }
);

vocabulary!(
    /// Tài liệu kiểm chứng — the evidence a criterion asks for.
    EvidenceRequirement, "minh chứng" {
        /// văn bản: a document's number and date.
        Document = "van_ban" ["document"], "Văn bản";
        /// tệp: an uploaded file.
        File = "tep" ["file", "tep_dinh_kem"], "Tệp đính kèm";
        /// không: no evidence asked.
        None = "khong" ["none", ""], "Không yêu cầu";
    }
);

/// Mã bộ chỉ số — a criteria set's id: lower-case ASCII letters, digits and '-'.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CriteriaSetId(String);

impl CriteriaSetId {
    pub fn parse(s: &str) -> Result<CriteriaSetId, String> {
        let t = s.trim();
        if t.is_empty() || t.len() > 64 {
            return Err(format!("mã bộ chỉ số «{t}» phải có từ 1 đến 64 ký tự"));
        }
        if !t
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        {
            return Err(format!(
                "mã bộ chỉ số «{t}» chỉ được gồm chữ thường không dấu, chữ số và dấu gạch ngang"
            ));
        }
        Ok(CriteriaSetId(t.to_string()))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}
impl TryFrom<String> for CriteriaSetId {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        CriteriaSetId::parse(&s)
    }
}
impl From<CriteriaSetId> for String {
    fn from(c: CriteriaSetId) -> String {
        c.0
    }
}
impl fmt::Display for CriteriaSetId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Tiêu chí (dự thảo) — one criterion as read, before the set is checked. `parent` left empty
/// means the one its code implies; `max_points` may be left empty on a criterion with children
/// (it is then their sum); `kind`, `rule` and `evidence` matter on leaves only and default to
/// self-assessed, scored freely, no evidence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CriterionDraft {
    pub code: CriterionCode,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<CriterionCode>,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_points: Option<Points>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<CriterionKind>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule: Option<ScoringRule>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evidence: Option<EvidenceRequirement>,
}

impl CriterionDraft {
    /// A leaf with its points, self-assessed and scored freely: for tests and hand-built sets.
    pub fn leaf(code: &str, name: &str, max: Points) -> CriterionDraft {
        CriterionDraft {
            code: CriterionCode::parse(code).expect("a valid code"),
            parent: None,
            name: name.to_string(),
            max_points: Some(max),
            kind: None,
            rule: None,
            evidence: None,
        }
    }
}

/// Bộ chỉ số (dự thảo) — a set as read or stored, before it is checked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CriteriaSetDraft {
    pub id: CriteriaSetId,
    pub name: String,
    pub year: i32,
    /// Căn cứ: where the set comes from (the act that issues it), or that it is a sample.
    pub source: String,
    /// Tổng điểm: the total the act declares (100 for the Hà Tĩnh commune index).
    pub total: Points,
    pub criteria: Vec<CriterionDraft>,
}

/// Tiêu chí — one checked node of the tree: an area (lĩnh vực, no parent), a criterion
/// (tiêu chí) or a sub-criterion (tiêu chí thành phần).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Criterion {
    pub code: CriterionCode,
    pub parent: Option<CriterionCode>,
    pub name: String,
    pub max_points: Points,
    pub kind: CriterionKind,
    pub rule: ScoringRule,
    pub evidence: EvidenceRequirement,
    /// 1 for an area, 2 for a criterion, 3 for a sub-criterion…
    pub depth: usize,
    pub is_leaf: bool,
}

/// Which field of a criterion a [`CriteriaError`] is about, so that a reader can name the
/// column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CriterionField {
    Code,
    Parent,
    MaxPoints,
}

/// Lỗi bộ chỉ số — why a set is refused: which criterion (its position among the drafts, and
/// its code), which field, and the reason in Vietnamese naming the code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CriteriaError {
    /// Index of the draft in [`CriteriaSetDraft::criteria`]; `None` for the set as a whole.
    pub index: Option<usize>,
    pub field: Option<CriterionField>,
    pub message: String,
}

impl fmt::Display for CriteriaError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// Bộ chỉ số CCHC — a checked criteria tree: codes unique, every parent known, no cycle, each
/// node's maximum the sum of its children's, the areas' sum the declared total, every leaf with
/// points, no negative points. Criteria are kept in code order (`1.9` before `1.10`).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(into = "CriteriaSetDraft")]
pub struct CriteriaSet {
    id: CriteriaSetId,
    name: String,
    year: i32,
    source: String,
    total: Points,
    criteria: Vec<Criterion>,
    #[serde(skip)]
    by_code: HashMap<CriterionCode, usize>,
}

impl<'de> Deserialize<'de> for CriteriaSet {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let draft = CriteriaSetDraft::deserialize(d)?;
        CriteriaSet::new(draft).map_err(|errors| {
            let msgs: Vec<String> = errors.into_iter().map(|e| e.message).collect();
            serde::de::Error::custom(msgs.join("; "))
        })
    }
}

impl From<CriteriaSet> for CriteriaSetDraft {
    fn from(s: CriteriaSet) -> CriteriaSetDraft {
        CriteriaSetDraft {
            id: s.id,
            name: s.name,
            year: s.year,
            source: s.source,
            total: s.total,
            criteria: s
                .criteria
                .into_iter()
                .map(|c| CriterionDraft {
                    code: c.code,
                    parent: c.parent,
                    name: c.name,
                    max_points: Some(c.max_points),
                    kind: Some(c.kind),
                    rule: Some(c.rule),
                    evidence: Some(c.evidence),
                })
                .collect(),
        }
    }
}

impl CriteriaSet {
    /// Checks a draft; every problem is returned, none is silently fixed.
    pub fn new(draft: CriteriaSetDraft) -> Result<CriteriaSet, Vec<CriteriaError>> {
        let mut errors = Vec::new();
        let err =
            |index: Option<usize>, field: Option<CriterionField>, message: String| CriteriaError {
                index,
                field,
                message,
            };
        if draft.name.trim().is_empty() {
            errors.push(err(None, None, "bộ chỉ số chưa có tên".into()));
        }
        if draft.criteria.is_empty() {
            errors.push(err(None, None, "bộ chỉ số không có tiêu chí nào".into()));
            return Err(errors);
        }

        // Codes unique.
        let mut index: HashMap<&CriterionCode, usize> = HashMap::new();
        for (i, c) in draft.criteria.iter().enumerate() {
            if let Some(&first) = index.get(&c.code) {
                errors.push(err(
                    Some(i),
                    Some(CriterionField::Code),
                    format!(
                        "mã tiêu chí «{}» bị lặp (đã có ở tiêu chí thứ {})",
                        c.code,
                        first + 1
                    ),
                ));
            } else {
                index.insert(&c.code, i);
            }
            if c.name.trim().is_empty() {
                errors.push(err(
                    Some(i),
                    None,
                    format!("tiêu chí «{}» chưa có tên", c.code),
                ));
            }
            if let Some(p) = c.max_points {
                if p < Points::ZERO {
                    errors.push(err(
                        Some(i),
                        Some(CriterionField::MaxPoints),
                        format!("tiêu chí «{}»: điểm tối đa {p} là số âm", c.code),
                    ));
                }
            }
        }

        // Parents known.
        let parent_of = |c: &CriterionDraft| c.parent.clone().or_else(|| c.code.implied_parent());
        let mut parents: Vec<Option<usize>> = vec![None; draft.criteria.len()];
        for (i, c) in draft.criteria.iter().enumerate() {
            if index.get(&c.code) != Some(&i) {
                continue; // a duplicate: already refused
            }
            if let Some(p) = parent_of(c) {
                if p == c.code {
                    errors.push(err(
                        Some(i),
                        Some(CriterionField::Parent),
                        format!(
                            "tiêu chí «{}» không thể là tiêu chí cha của chính nó",
                            c.code
                        ),
                    ));
                    continue;
                }
                match index.get(&p) {
                    Some(&j) => parents[i] = Some(j),
                    None => errors.push(err(
                        Some(i),
                        Some(CriterionField::Parent),
                        format!(
                            "tiêu chí «{}»: tiêu chí cha «{p}» không có trong bộ chỉ số",
                            c.code
                        ),
                    )),
                }
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }

        // No cycle: from every node, the walk up must reach an area.
        let n = draft.criteria.len();
        let mut depth: Vec<usize> = vec![0; n];
        for (start, depth_of) in depth.iter_mut().enumerate() {
            let mut seen = vec![start];
            let mut at = start;
            let mut repeated = None;
            while let Some(p) = parents[at] {
                if let Some(k) = seen.iter().position(|&s| s == p) {
                    repeated = Some(k);
                    break;
                }
                seen.push(p);
                at = p;
            }
            match repeated {
                None => *depth_of = seen.len(),
                // Reported once, at the member listed first; a node that only leads into a
                // cycle is not reported on its own.
                Some(k) if k == 0 && seen.iter().all(|&m| m >= start) => {
                    let path: Vec<&str> = seen
                        .iter()
                        .chain(std::iter::once(&start))
                        .map(|&m| draft.criteria[m].code.as_str())
                        .collect();
                    errors.push(err(
                        Some(start),
                        Some(CriterionField::Parent),
                        format!(
                            "tiêu chí «{}» nằm trong vòng lặp tiêu chí cha: {}",
                            draft.criteria[start].code,
                            path.join(" → ")
                        ),
                    ));
                }
                Some(_) => {}
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }

        // Points: leaves have them; a parent's maximum is its children's sum.
        let mut children: Vec<Vec<usize>> = vec![Vec::new(); n];
        for (i, p) in parents.iter().enumerate() {
            if let Some(p) = p {
                children[*p].push(i);
            }
        }
        let mut max: Vec<Option<Points>> = draft.criteria.iter().map(|c| c.max_points).collect();
        // Deepest first, so that children are settled before their parent.
        let mut order: Vec<usize> = (0..n).collect();
        order.sort_by_key(|&i| std::cmp::Reverse(depth[i]));
        for &i in &order {
            let c = &draft.criteria[i];
            if children[i].is_empty() {
                if max[i].is_none() {
                    errors.push(err(
                        Some(i),
                        Some(CriterionField::MaxPoints),
                        format!(
                            "tiêu chí «{}» không có tiêu chí con nên phải có điểm tối đa",
                            c.code
                        ),
                    ));
                }
                continue;
            }
            let kids: Option<Points> = children[i].iter().map(|&k| max[k]).sum();
            match (max[i], kids) {
                (Some(own), Some(sum)) if own != sum => errors.push(err(
                    Some(i),
                    Some(CriterionField::MaxPoints),
                    format!(
                        "tiêu chí «{}»: điểm tối đa là {own} nhưng các tiêu chí con ({}) cộng lại {sum}",
                        c.code,
                        children[i]
                            .iter()
                            .map(|&k| draft.criteria[k].code.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                )),
                (None, Some(sum)) => max[i] = Some(sum),
                _ => {}
            }
        }
        let areas: Vec<usize> = (0..n).filter(|&i| parents[i].is_none()).collect();
        if errors.is_empty() {
            let sum: Points = areas.iter().map(|&i| max[i].expect("settled")).sum();
            if sum != draft.total {
                errors.push(err(
                    None,
                    None,
                    format!(
                        "tổng điểm tối đa của các lĩnh vực ({}) là {sum}, khác tổng điểm công bố {}",
                        areas
                            .iter()
                            .map(|&i| draft.criteria[i].code.as_str())
                            .collect::<Vec<_>>()
                            .join(", "),
                        draft.total
                    ),
                ));
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }

        let mut criteria: Vec<Criterion> = draft
            .criteria
            .into_iter()
            .enumerate()
            .map(|(i, c)| Criterion {
                parent: parents[i].map(|_| {
                    c.parent
                        .clone()
                        .or_else(|| c.code.implied_parent())
                        .expect("has a parent")
                }),
                code: c.code,
                name: crate::text::clean(&c.name),
                max_points: max[i].expect("settled"),
                kind: c.kind.unwrap_or(CriterionKind::SelfAssessed),
                rule: c.rule.unwrap_or(ScoringRule::Manual),
                evidence: c.evidence.unwrap_or(EvidenceRequirement::None),
                depth: depth[i],
                is_leaf: children[i].is_empty(),
            })
            .collect();
        criteria.sort_by_key(|c| c.code.key());
        let by_code = criteria
            .iter()
            .enumerate()
            .map(|(i, c)| (c.code.clone(), i))
            .collect();
        Ok(CriteriaSet {
            id: draft.id,
            name: crate::text::clean(&draft.name),
            year: draft.year,
            source: draft.source.trim().to_string(),
            total: draft.total,
            criteria,
            by_code,
        })
    }

    pub fn id(&self) -> &CriteriaSetId {
        &self.id
    }
    pub fn name(&self) -> &str {
        &self.name
    }
    pub fn year(&self) -> i32 {
        self.year
    }
    pub fn source(&self) -> &str {
        &self.source
    }
    /// The declared total, equal to the areas' sum.
    pub fn total(&self) -> Points {
        self.total
    }
    /// Every node, in code order.
    pub fn criteria(&self) -> &[Criterion] {
        &self.criteria
    }
    pub fn get(&self, code: &CriterionCode) -> Option<&Criterion> {
        self.by_code.get(code).map(|&i| &self.criteria[i])
    }
    /// Lĩnh vực: the top-level nodes.
    pub fn areas(&self) -> impl Iterator<Item = &Criterion> {
        self.criteria.iter().filter(|c| c.parent.is_none())
    }
    /// Children of a node, in code order.
    pub fn children<'a>(&'a self, code: &'a CriterionCode) -> impl Iterator<Item = &'a Criterion> {
        self.criteria
            .iter()
            .filter(move |c| c.parent.as_ref() == Some(code))
    }
    /// The nodes that are scored: those without children.
    pub fn leaves(&self) -> impl Iterator<Item = &Criterion> {
        self.criteria.iter().filter(|c| c.is_leaf)
    }
    /// The nodes at a depth: 1 areas, 2 criteria (tiêu chí), 3 sub-criteria.
    pub fn at_depth(&self, depth: usize) -> impl Iterator<Item = &Criterion> {
        self.criteria.iter().filter(move |c| c.depth == depth)
    }
    /// The sum of the leaves' maxima of one kind: 70 self-assessed and 30 survey in Hà Tĩnh.
    pub fn points_of(&self, kind: CriterionKind) -> Points {
        self.leaves()
            .filter(|c| c.kind == kind)
            .map(|c| c.max_points)
            .sum()
    }
    /// The area a node belongs to (itself for an area).
    pub fn area_of(&self, code: &CriterionCode) -> Option<&Criterion> {
        let mut c = self.get(code)?;
        while let Some(p) = &c.parent {
            c = self.get(p)?;
        }
        Some(c)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(s: &str) -> CriterionCode {
        CriterionCode::parse(s).unwrap()
    }

    fn node(c: &str, max: Option<i64>) -> CriterionDraft {
        CriterionDraft {
            code: code(c),
            parent: None,
            name: format!("Tiêu chí {c}"),
            max_points: max.map(Points::whole),
            kind: None,
            rule: None,
            evidence: None,
        }
    }

    fn draft(total: i64, criteria: Vec<CriterionDraft>) -> CriteriaSetDraft {
        CriteriaSetDraft {
            id: CriteriaSetId::parse("thu").unwrap(),
            name: "Bộ thử".into(),
            year: 2024,
            source: "test".into(),
            total: Points::whole(total),
            criteria,
        }
    }

    fn messages(r: Result<CriteriaSet, Vec<CriteriaError>>) -> Vec<String> {
        r.unwrap_err().into_iter().map(|e| e.message).collect()
    }

    #[test]
    fn points_parse_both_decimal_marks_and_print_the_vietnamese_way() {
        assert_eq!(Points::parse("2,5").unwrap(), Points::from_hundredths(250));
        assert_eq!(Points::parse("2.5").unwrap(), Points::from_hundredths(250));
        assert_eq!(
            Points::parse(" 0,25 ").unwrap(),
            Points::from_hundredths(25)
        );
        assert_eq!(Points::parse("-1").unwrap(), Points::whole(-1));
        assert_eq!(Points::from_hundredths(250).to_string(), "2,5");
        assert_eq!(Points::from_hundredths(25).to_string(), "0,25");
        assert_eq!(Points::whole(12).to_string(), "12");
        assert_eq!(Points::from_hundredths(-150).to_string(), "-1,5");
        for bad in ["", "2,555", "abc", "2,", ",5", "1e3", "--1"] {
            let e = Points::parse(bad).unwrap_err();
            assert!(e.contains("không hợp lệ"), "{bad}: {e}");
        }
    }

    #[test]
    fn proportional_points_round_half_up_and_cap_at_the_maximum() {
        let max = Points::whole(2);
        assert_eq!(max.scaled(1, 3), Some(Points::from_hundredths(67)));
        assert_eq!(max.scaled(7, 8), Some(Points::from_hundredths(175)));
        assert_eq!(max.scaled(9, 8), Some(max));
        assert_eq!(max.scaled(1, 0), None);
    }

    #[test]
    fn codes_are_dotted_numbers() {
        assert_eq!(code("1.1.").as_str(), "1.1");
        assert_eq!(code("1.1.2").implied_parent(), Some(code("1.1")));
        assert_eq!(code("3").implied_parent(), None);
        for bad in ["", "a", "1..2", "1.a", ".1"] {
            assert!(CriterionCode::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_valid_tree_is_kept_in_code_order_with_derived_parent_points() {
        let set = CriteriaSet::new(draft(
            10,
            vec![
                node("1.10", Some(1)),
                node("1", None),
                node("2", Some(6)),
                node("1.9", Some(3)),
                node("2.1", Some(6)),
            ],
        ))
        .unwrap();
        let codes: Vec<&str> = set.criteria().iter().map(|c| c.code.as_str()).collect();
        assert_eq!(codes, ["1", "1.9", "1.10", "2", "2.1"]);
        assert_eq!(set.get(&code("1")).unwrap().max_points, Points::whole(4));
        assert_eq!(set.areas().count(), 2);
        assert_eq!(set.leaves().count(), 3);
        assert_eq!(set.area_of(&code("1.10")).unwrap().code, code("1"));
        assert_eq!(set.get(&code("2.1")).unwrap().depth, 2);
    }

    #[test]
    fn a_duplicate_code_is_refused_naming_it() {
        let m = messages(CriteriaSet::new(draft(
            4,
            vec![
                node("1", Some(4)),
                node("1.1", Some(4)),
                node("1.1", Some(4)),
            ],
        )));
        assert_eq!(m, ["mã tiêu chí «1.1» bị lặp (đã có ở tiêu chí thứ 2)"]);
    }

    #[test]
    fn an_unknown_parent_is_refused_naming_both_codes() {
        let mut orphan = node("1.1", Some(4));
        orphan.parent = Some(code("7"));
        let r = CriteriaSet::new(draft(4, vec![node("1", Some(4)), orphan]));
        let e = r.unwrap_err();
        assert_eq!(e[0].index, Some(1));
        assert_eq!(e[0].field, Some(CriterionField::Parent));
        assert_eq!(
            e[0].message,
            "tiêu chí «1.1»: tiêu chí cha «7» không có trong bộ chỉ số"
        );
        // An implied parent that is missing is refused alike.
        let m = messages(CriteriaSet::new(draft(4, vec![node("2.1", Some(4))])));
        assert_eq!(
            m,
            ["tiêu chí «2.1»: tiêu chí cha «2» không có trong bộ chỉ số"]
        );
    }

    #[test]
    fn a_cycle_of_parents_is_refused_once() {
        let mut a = node("1", Some(2));
        a.parent = Some(code("2"));
        let mut b = node("2", Some(2));
        b.parent = Some(code("1"));
        let m = messages(CriteriaSet::new(draft(2, vec![a, b, node("3", Some(0))])));
        assert_eq!(m.len(), 1, "{m:?}");
        assert!(
            m[0].starts_with("tiêu chí «1» nằm trong vòng lặp tiêu chí cha: 1 → 2 → 1"),
            "{m:?}"
        );
    }

    #[test]
    fn children_not_summing_to_the_parent_are_refused() {
        let m = messages(CriteriaSet::new(draft(
            5,
            vec![
                node("1", Some(5)),
                node("1.1", Some(2)),
                node("1.2", Some(2)),
            ],
        )));
        assert_eq!(
            m,
            ["tiêu chí «1»: điểm tối đa là 5 nhưng các tiêu chí con (1.1, 1.2) cộng lại 4"]
        );
    }

    #[test]
    fn a_total_other_than_the_declared_one_is_refused() {
        let m = messages(CriteriaSet::new(draft(
            100,
            vec![node("1", Some(60)), node("2", Some(30))],
        )));
        assert_eq!(
            m,
            ["tổng điểm tối đa của các lĩnh vực (1, 2) là 90, khác tổng điểm công bố 100"]
        );
    }

    #[test]
    fn a_leaf_without_points_and_negative_points_are_refused() {
        let m = messages(CriteriaSet::new(draft(2, vec![node("1", None)])));
        assert_eq!(
            m,
            ["tiêu chí «1» không có tiêu chí con nên phải có điểm tối đa"]
        );
        let m = messages(CriteriaSet::new(draft(
            2,
            vec![
                node("1", Some(2)),
                node("1.1", Some(3)),
                node("1.2", Some(-1)),
            ],
        )));
        assert_eq!(m, ["tiêu chí «1.2»: điểm tối đa -1 là số âm"]);
    }

    #[test]
    fn a_set_survives_json_and_a_broken_json_set_is_refused() {
        let set = CriteriaSet::new(draft(3, vec![node("1", Some(3))])).unwrap();
        let json = serde_json::to_string(&set).unwrap();
        let back: CriteriaSet = serde_json::from_str(&json).unwrap();
        assert_eq!(back, set);
        let broken = json.replace("\"total\":3", "\"total\":4");
        let e = serde_json::from_str::<CriteriaSet>(&broken).unwrap_err();
        assert!(e.to_string().contains("khác tổng điểm công bố 4"), "{e}");
    }

    #[test]
    fn vocabularies_read_codes_and_labels() {
        assert_eq!(
            CriterionKind::parse("Điều tra xã hội học"),
            Ok(CriterionKind::Survey)
        );
        assert_eq!(
            CriterionKind::parse("tu_danh_gia"),
            Ok(CriterionKind::SelfAssessed)
        );
        assert_eq!(ScoringRule::parse("Theo tỷ lệ"), Ok(ScoringRule::Scale));
        assert_eq!(ScoringRule::parse("DAT_KHONG_DAT"), Ok(ScoringRule::Full));
        assert_eq!(
            EvidenceRequirement::parse("văn bản"),
            Ok(EvidenceRequirement::Document)
        );
        let e = ScoringRule::parse("tùy ý").unwrap_err();
        assert!(
            e.starts_with("cách chấm «tùy ý» không hợp lệ; dùng một trong: dat_khong_dat"),
            "{e}"
        );
    }
}
