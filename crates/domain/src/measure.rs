//! Measures (ngưỡng chỉ tiêu): the thresholds a target sentence states.

use serde::{Deserialize, Serialize};
use unicode_normalization::UnicodeNormalization;

use crate::text::clean;

/// Phép so sánh — how a value is compared with the threshold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum MeasureOp {
    #[serde(rename = ">=")]
    Ge,
    #[serde(rename = ">")]
    Gt,
    #[serde(rename = "<=")]
    Le,
    #[serde(rename = "=")]
    Eq,
    #[serde(rename = "between")]
    Between,
}

impl MeasureOp {
    pub fn symbol(self) -> &'static str {
        match self {
            MeasureOp::Ge => "≥",
            MeasureOp::Gt => ">",
            MeasureOp::Le => "≤",
            MeasureOp::Eq => "=",
            MeasureOp::Between => "từ … đến",
        }
    }
}

/// Đơn vị đo — what the threshold counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MeasureUnit {
    Percent,
    Count,
    /// A decrease by that many: "giảm 14 biên chế".
    Reduction,
    /// A decrease by that share: "giảm tối thiểu 2,5%".
    PercentReduction,
}

/// Ngưỡng — one threshold of a target, for one scope.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Measure {
    pub op: MeasureOp,
    #[serde(serialize_with = "whole_or_decimal")]
    pub value: f64,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "whole_or_decimal_opt"
    )]
    pub max: Option<f64>,
    pub unit: MeasureUnit,
    pub scope: Option<String>,
}

/// Writes 80 rather than 80.0, as the contract's examples do; 2.5 stays 2.5.
fn whole_or_decimal<S: serde::Serializer>(v: &f64, s: S) -> Result<S::Ok, S::Error> {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        s.serialize_i64(*v as i64)
    } else {
        s.serialize_f64(*v)
    }
}

fn whole_or_decimal_opt<S: serde::Serializer>(v: &Option<f64>, s: S) -> Result<S::Ok, S::Error> {
    match v {
        Some(v) => whole_or_decimal(v, s),
        None => s.serialize_none(),
    }
}

impl Measure {
    /// Whether `actual` satisfies the threshold.
    pub fn is_met(&self, actual: f64) -> bool {
        match self.op {
            MeasureOp::Ge => actual >= self.value,
            MeasureOp::Gt => actual > self.value,
            MeasureOp::Le => actual <= self.value,
            MeasureOp::Eq => (actual - self.value).abs() < 1e-9,
            MeasureOp::Between => actual >= self.value && self.max.is_none_or(|m| actual <= m),
        }
    }

    /// Whether `actual` reaches the target: as [`Measure::is_met`], except that "từ 2 đến 3" is
    /// reached from 2 (doing more than the plan asks is no failure).
    pub fn is_reached(&self, actual: f64) -> bool {
        match self.op {
            MeasureOp::Between => actual >= self.value,
            _ => self.is_met(actual),
        }
    }

    /// "≥ 80%", "giảm 14", "từ 2 đến 3" — for pages and reports.
    pub fn display_vi(&self) -> String {
        let num = |v: f64| {
            if v.fract() == 0.0 {
                format!("{}", v as i64)
            } else {
                format!("{v}").replace('.', ",")
            }
        };
        let suffix = match self.unit {
            MeasureUnit::Percent | MeasureUnit::PercentReduction => "%",
            _ => "",
        };
        let body = match self.op {
            MeasureOp::Between => {
                format!(
                    "từ {} đến {}{}",
                    num(self.value),
                    num(self.max.unwrap_or(self.value)),
                    suffix
                )
            }
            op => format!("{} {}{}", op.symbol(), num(self.value), suffix),
        };
        let body = match self.unit {
            MeasureUnit::Reduction | MeasureUnit::PercentReduction => format!("giảm {body}"),
            _ => body,
        };
        match &self.scope {
            Some(s) => format!("{s}: {body}"),
            None => body,
        }
    }
}

/// Reads every threshold a target sentence states (chỉ tiêu → ngưỡng): percents ("tối thiểu
/// 35%", "đạt trên 85%", "từ 94% trở lên"), counts after a qualifier ("ít nhất 01 sáng kiến",
/// "từ 02 đến 03 cuộc"), reductions ("giảm 14 biên chế công chức", "giảm tối thiểu 2,5%").
/// A bare figure is a minimum (`>=`). Numbers that are not thresholds — document numbers
/// ("60/2021/NĐ-CP"), years, spans ("2021-2030"), codes ("B1", "9001:2015") — are skipped.
/// `scope` is set when the sentence says whom the figure is for: a level ("cấp huyện 80%",
/// "95% cán bộ, công chức cấp xã"), what a reduction counts ("biên chế viên chức"), or the
/// words that set a clause apart from the one before ("tỷ lệ nộp hồ sơ trực tuyến toàn trình").
pub fn parse_measures(sentence: &str) -> Vec<Measure> {
    let text = clean(sentence);
    let chars: Vec<char> = text.chars().collect();
    let toks = tokenize(&chars);
    let found = thresholds(&toks);
    let mut out: Vec<Measure> = Vec::with_capacity(found.len());
    for (k, th) in found.iter().enumerate() {
        let scope = scope_of(&chars, &toks, &found, k);
        out.push(Measure {
            op: th.op,
            value: th.value,
            max: th.max,
            unit: th.unit,
            scope,
        });
    }
    out
}

#[derive(Debug, Clone, PartialEq)]
enum MTok {
    /// A run of letters: its folded key.
    Word(String),
    /// A number: value, and whether it is a plain integer.
    Num(f64, bool),
    Punct(char),
}

#[derive(Debug, Clone)]
struct Span {
    tok: MTok,
    start: usize,
    end: usize,
}

/// Folds one character: lower case, no diacritics, đ → d, dashes → '-'. Keeps positions 1:1.
fn fold_char(c: char) -> char {
    let base = c.nfd().next().unwrap_or(c);
    let base = match base {
        'đ' | 'Đ' => 'd',
        '\u{2010}'..='\u{2015}' | '\u{2212}' => '-',
        b => b,
    };
    base.to_lowercase().next().unwrap_or(base)
}

fn tokenize(chars: &[char]) -> Vec<Span> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_ascii_digit() {
            let start = i;
            while i < chars.len() && chars[i].is_ascii_digit() {
                i += 1;
            }
            let int: String = chars[start..i].iter().collect();
            let mut value = int.parse::<f64>().unwrap_or(f64::MAX);
            let mut is_int = true;
            // "2,5" and "2.5" are decimals; "1.000" is a thousand.
            if i + 1 < chars.len() && matches!(chars[i], ',' | '.') && chars[i + 1].is_ascii_digit()
            {
                let sep = chars[i];
                let fstart = i + 1;
                let mut j = fstart;
                while j < chars.len() && chars[j].is_ascii_digit() {
                    j += 1;
                }
                let frac: String = chars[fstart..j].iter().collect();
                let followed_by_code = j < chars.len() && matches!(chars[j], '.' | '/' | ':');
                if !followed_by_code {
                    if sep == '.' && frac.len() == 3 {
                        value = format!("{int}{frac}").parse::<f64>().unwrap_or(f64::MAX);
                    } else {
                        value = format!("{int}.{frac}").parse::<f64>().unwrap_or(f64::MAX);
                        is_int = false;
                    }
                    i = j;
                }
            }
            out.push(Span {
                tok: MTok::Num(value, is_int),
                start,
                end: i,
            });
        } else if c.is_alphabetic() {
            let start = i;
            while i < chars.len() && (chars[i].is_alphabetic() || is_mark(chars[i])) {
                i += 1;
            }
            let key: String = chars[start..i].iter().map(|&c| fold_char(c)).collect();
            out.push(Span {
                tok: MTok::Word(key),
                start,
                end: i,
            });
        } else {
            if !c.is_whitespace() {
                out.push(Span {
                    tok: MTok::Punct(fold_char(c)),
                    start: i,
                    end: i + 1,
                });
            }
            i += 1;
        }
    }
    out
}

fn is_mark(c: char) -> bool {
    unicode_normalization::char::is_combining_mark(c)
}

impl Span {
    fn word(&self) -> Option<&str> {
        match &self.tok {
            MTok::Word(w) => Some(w),
            _ => None,
        }
    }
    fn is_punct(&self, p: char) -> bool {
        self.tok == MTok::Punct(p)
    }
    fn num(&self) -> Option<(f64, bool)> {
        match self.tok {
            MTok::Num(v, i) => Some((v, i)),
            _ => None,
        }
    }
}

/// What a word before a number says about it.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Qual {
    Op(MeasureOp),
    From,
    Reduce,
    Filler,
}

const QUALIFIERS: &[(&[&str], Qual)] = &[
    (&["toi", "thieu"], Qual::Op(MeasureOp::Ge)),
    (&["it", "nhat"], Qual::Op(MeasureOp::Ge)),
    (&["dat"], Qual::Op(MeasureOp::Ge)),
    (&["tu"], Qual::From),
    (&["tren"], Qual::Op(MeasureOp::Gt)),
    (&["lon", "hon"], Qual::Op(MeasureOp::Gt)),
    (&["hon"], Qual::Op(MeasureOp::Gt)),
    (&["vuot"], Qual::Op(MeasureOp::Gt)),
    // There is no strict "<" in the contract; "dưới" is read as an upper bound.
    (&["duoi"], Qual::Op(MeasureOp::Le)),
    (&["toi", "da"], Qual::Op(MeasureOp::Le)),
    (&["khong", "vuot", "qua"], Qual::Op(MeasureOp::Le)),
    (&["khong", "qua"], Qual::Op(MeasureOp::Le)),
    (&["cat", "giam"], Qual::Reduce),
    (&["giam"], Qual::Reduce),
    (&["co"], Qual::Filler),
    (&["la"], Qual::Filler),
    (&["muc"], Qual::Filler),
    (&["duoc"], Qual::Filler),
];

const LEVELS: &[&str] = &["huyen", "xa", "tinh"];

#[derive(Debug, Clone)]
struct Threshold {
    op: MeasureOp,
    value: f64,
    max: Option<f64>,
    unit: MeasureUnit,
    /// One past the threshold's last token.
    end: usize,
    /// Token index where the threshold's lead-in (scope prefix, qualifiers) begins.
    lead: usize,
    /// A level written just before the figure ("cấp huyện 80%"): token range.
    prefix_scope: Option<(usize, usize)>,
    had_qualifier: bool,
}

/// Whether the number at `i` belongs to a code, a document number or a span of years.
fn is_code(toks: &[Span], i: usize) -> bool {
    let t = &toks[i];
    let attached_before = i > 0 && toks[i - 1].end == t.start;
    let attached_after = toks.get(i + 1).is_some_and(|n| n.start == t.end);
    if attached_before {
        let p = &toks[i - 1];
        if p.word().is_some() || ['/', '-', ':', '.'].iter().any(|&c| p.is_punct(c)) {
            return true;
        }
    }
    if attached_after {
        let n = &toks[i + 1];
        if n.word().is_some() {
            return true;
        }
        if ['/', ':'].iter().any(|&c| n.is_punct(c)) {
            return true;
        }
        // "2021-2030", "12-NQ": a dash glued to something on both sides.
        if (n.is_punct('-') || n.is_punct('.')) && toks.get(i + 2).is_some_and(|m| m.start == n.end)
        {
            return true;
        }
    }
    false
}

fn is_year(v: f64, is_int: bool) -> bool {
    is_int && (1900.0..=2100.0).contains(&v)
}

/// Matches a qualifier phrase ending just before token `end`; returns it and its length.
fn qualifier_before(toks: &[Span], end: usize) -> Option<(Qual, usize)> {
    QUALIFIERS.iter().find_map(|(words, q)| {
        let n = words.len();
        if end < n {
            return None;
        }
        let ok = (0..n).all(|k| toks[end - n + k].word() == Some(words[k]));
        ok.then_some((*q, n))
    })
}

fn thresholds(toks: &[Span]) -> Vec<Threshold> {
    let mut out: Vec<Threshold> = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        let Some((value, is_int)) = toks[i].num() else {
            i += 1;
            continue;
        };
        if is_code(toks, i) {
            i += 1;
            continue;
        }
        let pct_at = |k: usize| toks.get(k).is_some_and(|t| t.is_punct('%'));
        let mut percent = pct_at(i + 1);
        if !percent && is_year(value, is_int) {
            i += 1;
            continue;
        }
        let mut end = if percent { i + 2 } else { i + 1 };
        // A range: "từ 02 đến 03 cuộc", "từ 80% đến 90%", "từ 80 - 90%".
        let mut max = None;
        let joiner = toks
            .get(end)
            .is_some_and(|t| matches!(t.word(), Some("den") | Some("toi")) || t.is_punct('-'));
        if joiner {
            if let Some((v2, i2)) = toks.get(end + 1).and_then(Span::num) {
                let year_not_percent = is_year(v2, i2) && !pct_at(end + 2);
                if !is_code(toks, end + 1) && !year_not_percent {
                    max = Some(v2);
                    end += 2;
                    if pct_at(end) {
                        percent = true;
                        end += 1;
                    }
                }
            }
        }
        // Qualifiers just before the figure, nearest first; then a level ("cấp huyện").
        let mut lead = i;
        let mut op = None;
        let mut reduce = false;
        let mut strong = false;
        let mut any = false;
        let mut prefix_scope = None;
        loop {
            if let Some((q, n)) = qualifier_before(toks, lead) {
                any = true;
                match q {
                    Qual::Op(o) => {
                        op.get_or_insert(o);
                        strong = true;
                    }
                    // "từ 94%" alone reads as a minimum; with "đến" it opens a range.
                    Qual::From => strong = true,
                    Qual::Reduce => {
                        reduce = true;
                        strong = true;
                    }
                    Qual::Filler => {}
                }
                lead -= n;
                continue;
            }
            if prefix_scope.is_none()
                && lead >= 2
                && toks[lead - 2].word() == Some("cap")
                && toks[lead - 1].word().is_some_and(|w| LEVELS.contains(&w))
            {
                prefix_scope = Some((lead - 2, lead));
                lead -= 2;
                continue;
            }
            break;
        }
        // A count needs a qualifier and a noun after it; a bare number is no threshold.
        let noun_after = toks.get(end).is_some_and(|t| t.word().is_some());
        let is_count = strong && noun_after;
        if !percent && !is_count {
            i += 1;
            continue;
        }
        // "… 40% trở lên", "… trở xuống".
        if toks.get(end).and_then(Span::word) == Some("tro") {
            match toks.get(end + 1).and_then(Span::word) {
                Some("len") => {
                    op.get_or_insert(MeasureOp::Ge);
                    end += 2;
                }
                Some("xuong") => {
                    op = Some(MeasureOp::Le);
                    end += 2;
                }
                _ => {}
            }
        }
        // An unqualified figure in a list ("cắt giảm 20% quy định và 20% chi phí") reads like
        // the one before it.
        if !any {
            if let Some(prev) = out.last() {
                let between = &toks[prev.end..lead];
                let list_like = between.iter().all(|t| !t.is_punct(';') && !t.is_punct(':'))
                    && between.len() <= 8;
                if list_like && prev.had_qualifier {
                    reduce = matches!(
                        prev.unit,
                        MeasureUnit::Reduction | MeasureUnit::PercentReduction
                    );
                    if prev.op != MeasureOp::Between {
                        op = Some(prev.op);
                    }
                }
            }
        }
        let op = if max.is_some() {
            MeasureOp::Between
        } else {
            op.unwrap_or(MeasureOp::Ge)
        };
        let unit = match (percent, reduce) {
            (true, true) => MeasureUnit::PercentReduction,
            (true, false) => MeasureUnit::Percent,
            (false, true) => MeasureUnit::Reduction,
            (false, false) => MeasureUnit::Count,
        };
        out.push(Threshold {
            op,
            value,
            max,
            unit,
            end,
            lead,
            prefix_scope,
            had_qualifier: any || prefix_scope.is_some(),
        });
        i = end.max(i + 1);
    }
    out
}

fn source(chars: &[char], toks: &[Span], from: usize, to: usize) -> String {
    if from >= to || to > toks.len() {
        return String::new();
    }
    chars[toks[from].start..toks[to - 1].end].iter().collect()
}

/// Where the clause of token `at` begins: after the last ';' or ':' before it.
fn clause_start(toks: &[Span], at: usize) -> usize {
    (0..at)
        .rev()
        .find(|&k| toks[k].is_punct(';') || toks[k].is_punct(':'))
        .map_or(0, |k| k + 1)
}

fn words_in(toks: &[Span], from: usize, to: usize) -> Vec<usize> {
    (from..to.min(toks.len()))
        .filter(|&k| toks[k].word().is_some() || toks[k].num().is_some())
        .collect()
}

fn scope_of(chars: &[char], toks: &[Span], all: &[Threshold], k: usize) -> Option<String> {
    let th = &all[k];
    // A reduction of staff: "giảm 14 biên chế công chức (kể cả …)" → "công chức".
    if th.unit == MeasureUnit::Reduction {
        let mut j = th.end;
        if toks.get(j).and_then(Span::word) == Some("bien")
            && toks.get(j + 1).and_then(Span::word) == Some("che")
        {
            j += 2;
            let mut e = j;
            while e < toks.len() && e < j + 2 && toks[e].word().is_some() {
                if matches!(
                    toks[e].word(),
                    Some("so") | Some("doi") | Some("theo") | Some("tai")
                ) {
                    break;
                }
                e += 1;
            }
            if e > j {
                return Some(source(chars, toks, j, e));
            }
        }
        return None;
    }
    // A level written before the figure.
    if let Some((a, b)) = th.prefix_scope {
        return Some(source(chars, toks, a, b));
    }
    // A level in the words that follow, up to the next clause or threshold.
    let stop = all.get(k + 1).map_or(toks.len(), |n| n.lead);
    let mut j = th.end;
    while j + 1 < stop {
        if toks[j].is_punct(';') || toks[j].is_punct(':') {
            break;
        }
        if toks[j].word() == Some("cap") && toks[j + 1].word().is_some_and(|w| LEVELS.contains(&w))
        {
            return Some(source(chars, toks, j, j + 2));
        }
        j += 1;
    }
    // The words that set this clause's subject apart from the previous one's:
    // "tỷ lệ nộp hồ sơ trực tuyến" → "tỷ lệ nộp hồ sơ trực tuyến toàn trình".
    if k > 0 {
        let prev = &all[k - 1];
        let subject = |t: &Threshold, floor: usize| {
            let from = clause_start(toks, t.lead).max(floor);
            words_in(toks, from, t.lead)
        };
        let prev_floor = if k >= 2 { all[k - 2].end } else { 0 };
        let ps = subject(prev, prev_floor);
        let cs = subject(th, prev.end);
        if ps.len() >= 2 && cs.len() > ps.len() {
            let same = ps
                .iter()
                .zip(cs.iter())
                .all(|(&a, &b)| toks[a].tok == toks[b].tok);
            if same {
                let first = cs[ps.len()];
                let last = cs[cs.len() - 1];
                return Some(source(chars, toks, first, last + 1));
            }
        }
    }
    None
}

#[cfg(test)]
mod parse_tests {
    use super::*;
    use MeasureOp::*;
    use MeasureUnit::*;

    fn m(op: MeasureOp, value: f64, unit: MeasureUnit, scope: Option<&str>) -> Measure {
        Measure {
            op,
            value,
            max: None,
            unit,
            scope: scope.map(str::to_string),
        }
    }

    fn between(value: f64, max: f64, unit: MeasureUnit) -> Measure {
        Measure {
            op: Between,
            value,
            max: Some(max),
            unit,
            scope: None,
        }
    }

    /// Checks each case, (sentence, thresholds), against `parse_measures`.
    #[track_caller]
    fn reads(cases: &[(&str, Vec<Measure>)]) {
        for (text, want) in cases {
            assert_eq!(parse_measures(text), *want, "{text}");
        }
    }

    // Part II of decision 60/QĐ-UBND (Đức Thọ 2024), sentence by sentence.
    #[test]
    fn area_1_direction() {
        reads(&[
            (
                "Nâng cao chất lượng công tác chỉ đạo điều hành; tổ chức thực hiện có hiệu quả, đảm bảo chất lượng các nội dung, nhiệm vụ trong kế hoạch CCHC của huyện; 100% UBND cấp xã ban hành kế hoạch và triển khai có hiệu quả kế hoạch CCHC năm 2024.",
                vec![m(Ge, 100.0, Percent, Some("cấp xã"))],
            ),
            (
                "Phân đầu ít nhất có 01 sáng kiến (hoặc giải pháp mới) về CCHC áp dụng có hiệu quả, đáp ứng yêu cầu của Hội đồng thẩm định CCHC tỉnh.",
                vec![m(Ge, 1.0, Count, None)],
            ),
            (
                "Tối thiểu 35% cơ quan, đơn vị được kiểm tra CCHC trong năm 2024; 100% các địa phương ban hành và tổ chức thực hiện kế hoạch tự kiểm tra đảm bảo thực chất và đúng quy định.",
                vec![m(Ge, 35.0, Percent, None), m(Ge, 100.0, Percent, None)],
            ),
        ]);
    }

    #[test]
    fn area_2_institutions() {
        reads(&[
            (
                "Phân đầu từ 100% văn bản QPPL của HĐND, UBND huyện được tự kiểm tra và kiểm tra theo thẩm quyền 100% văn bản quy phạm pháp luật trên địa bàn.",
                vec![m(Ge, 100.0, Percent, None), m(Ge, 100.0, Percent, None)],
            ),
            (
                "Phân đầu từ 95% văn bản QPPL của HĐND, UBND huyện được sửa đổi, bổ sung hoặc thay thế theo kết quả rà soát.",
                vec![m(Ge, 95.0, Percent, None)],
            ),
            (
                "Phân đầu từ 90% văn bản QPPL của Trung ương, của tỉnh, của huyện được tổ chức thực hiện kịp thời, hiệu quả.",
                vec![m(Ge, 90.0, Percent, None)],
            ),
        ]);
    }

    #[test]
    fn area_3_procedures() {
        reads(&[
            (
                "Tiếp tục triển khai thực hiện số hóa kết quả giải quyết TTHC thuộc thẩm quyền giải quyết của UBND cấp huyện, cấp xã đạt tỷ lệ tối thiểu tương ứng: cấp huyện 80%, cấp xã 75% số hồ sơ tiếp nhận.",
                vec![m(Ge, 80.0, Percent, Some("cấp huyện")), m(Ge, 75.0, Percent, Some("cấp xã"))],
            ),
            (
                "100% TTHC đủ điều kiện được cung cấp dịch vụ công (DVC) trực tuyến (toàn trình, một phần) và được cập nhật lên cơ sở dữ liệu quốc gia về TTHC và công khai trên Cổng dịch vụ công quốc gia; tỷ lệ nộp hồ sơ trực tuyến đạt 70%; tỷ lệ nộp hồ sơ trực tuyến toàn trình đạt 90%.",
                vec![
                    m(Ge, 100.0, Percent, None),
                    m(Ge, 70.0, Percent, None),
                    m(Ge, 90.0, Percent, Some("toàn trình")),
                ],
            ),
            (
                "Tối thiểu 70% người dân, doanh nghiệp khi thực hiện TTHC không phải cung cấp lại các thông tin, giấy tờ, tài liệu đã được chấp nhận khi thực hiện thành công TTHC trước đó, mà cơ quan nhà nước có thẩm quyền giải quyết TTHC đang quản lý, hoặc thông tin, giấy tờ, tài liệu đã được cơ quan nhà nước kết nối, chia sẻ.",
                vec![m(Ge, 70.0, Percent, None)],
            ),
            (
                "100% TTHC nội bộ giữa các cơ quan hành chính nhà nước được rà soát, công bố, công khai.",
                vec![m(Ge, 100.0, Percent, None)],
            ),
            (
                "Tối thiểu 80% TTHC có yêu cầu nghĩa vụ tài chính, được triển khai thanh toán trực tuyến, trong số đó, tỷ lệ giao dịch thanh toán trực tuyến đạt tối thiểu tương ứng: cấp huyện 45%, cấp xã 40% trở lên.",
                vec![
                    m(Ge, 80.0, Percent, None),
                    m(Ge, 45.0, Percent, Some("cấp huyện")),
                    m(Ge, 40.0, Percent, Some("cấp xã")),
                ],
            ),
            (
                "Mức độ hài lòng của người dân, doanh nghiệp về giải quyết TTHC đạt từ 94% trở lên.",
                vec![m(Ge, 94.0, Percent, None)],
            ),
            (
                "Phân đầu trong năm tổ chức ít nhất từ 02 đến 03 cuộc đối thoại/diễn đàn của lãnh đạo cấp ủy, chính quyền huyện với người dân, doanh nghiệp.",
                vec![between(2.0, 3.0, Count)],
            ),
        ]);
    }

    #[test]
    fn area_4_organisation() {
        reads(&[
            (
                "Hoàn thành việc kiện toàn, sắp xếp đối với 100% đơn vị sự nghiệp công lập có phương án sắp xếp, kiện toàn theo Đề án sắp xếp, kiện toàn cơ cấu tổ chức các đơn vị sự nghiệp thuộc thẩm quyền quản lý của UBND huyện sau khi được cấp có thẩm quyền phê duyệt.",
                vec![m(Ge, 100.0, Percent, None)],
            ),
            (
                "Phân đầu năm 2024, giảm 14 biên chế công chức (kể cả công chức xã); giảm 15 biên chế viên chức so với năm 2023.",
                vec![m(Ge, 14.0, Reduction, Some("công chức")), m(Ge, 15.0, Reduction, Some("viên chức"))],
            ),
        ]);
    }

    #[test]
    fn area_5_civil_service() {
        reads(&[
            (
                "95% cán bộ, công chức cấp huyện; 85% cán bộ, công chức cấp xã có trình độ đại học trở lên và được chuẩn hoá về lý luận chính trị, chuyên môn, nghiệp vụ, kỹ năng làm việc (trừ các chức danh có quy định khác của cơ quan có thẩm quyền).",
                vec![m(Ge, 95.0, Percent, Some("cấp huyện")), m(Ge, 85.0, Percent, Some("cấp xã"))],
            ),
        ]);
    }

    #[test]
    fn area_6_public_finance() {
        reads(&[
            (
                "Giảm tối thiểu 2,5% chi hỗ trợ trực tiếp từ ngân sách nhà nước của các đơn vị sự nghiệp công lập nhóm 3 so với năm trước liền kề.",
                vec![m(Ge, 2.5, PercentReduction, None)],
            ),
            (
                "100% đơn vị sự nghiệp công lập được giao quyền tự chủ tài chính theo Nghị định số 60/2021/NĐ-CP của Chính phủ.",
                vec![m(Ge, 100.0, Percent, None)],
            ),
            (
                "100% cơ quan hành chính nhà nước được giao quyền tự chủ, tự chịu trách nhiệm theo Nghị định số 130/2005/NĐ-CP của Chính phủ, Nghị định số 117/2013/NĐ-CP của Chính phủ.",
                vec![m(Ge, 100.0, Percent, None)],
            ),
            (
                "Có ít nhất 01 đơn vị sự nghiệp công lập tăng mức độ tự chủ so với năm trước liền kề.",
                vec![m(Ge, 1.0, Count, None)],
            ),
            (
                "Tỷ lệ sắp xếp lại, xử lý nhà, đất thuộc thẩm quyền quản lý đạt trên 85%.",
                vec![m(Gt, 85.0, Percent, None)],
            ),
        ]);
    }

    #[test]
    fn area_7_digital_government() {
        reads(&[
            (
                "Phối hợp triển khai hệ thống hội nghị trực tuyến đồng bộ từ cấp tỉnh đến 100% cấp xã và kết nối với hệ thống hội nghị trực tuyến quốc gia.",
                vec![m(Ge, 100.0, Percent, Some("cấp xã"))],
            ),
            (
                "100% cơ sở dữ liệu quốc gia được kết nối, ứng dụng trên địa bàn huyện theo lộ trình của Chính phủ, của tỉnh;",
                vec![m(Ge, 100.0, Percent, None)],
            ),
            (
                "Từng bước triển khai 30% hoạt động kiểm tra của cơ quan quản lý nhà nước được thực hiện thông qua môi trường số và hệ thống thông tin của cơ quan quản lý (trừ hoạt động kiểm tra hoặc thông tin tư liệu của hoạt động kiểm tra thuộc phạm vi bí mật nhà nước).",
                vec![m(Ge, 30.0, Percent, None)],
            ),
            (
                "95% hồ sơ công việc tại cấp huyện và 60% hồ sơ công việc tại cấp xã được xác lập trên môi trường mạng (trừ hồ sơ công việc thuộc phạm vi bí mật nhà nước).",
                vec![m(Ge, 95.0, Percent, Some("cấp huyện")), m(Ge, 60.0, Percent, Some("cấp xã"))],
            ),
        ]);
    }

    #[test]
    fn numbers_that_are_not_thresholds_are_skipped() {
        for s in [
            "Thực hiện Chương trình tổng thể giai đoạn 2021-2030 theo Nghị quyết số 12-NQ/TU.",
            "Áp dụng TCVN ISO 9001:2015 tại 02 trường theo Đề án 06 của Thủ tướng.",
            "Nâng xếp hạng chỉ số B1 trong năm 2024.",
            "Nghị định số 60/2021/NĐ-CP; Quyết định 3433/QĐ-UBND ngày 25/12/2023.",
        ] {
            assert_eq!(parse_measures(s), vec![], "{s}");
        }
    }

    #[test]
    fn other_forms() {
        reads(&[
            ("đạt 99,5%", vec![m(Ge, 99.5, Percent, None)]),
            ("Tối thiểu 95 % văn bản", vec![m(Ge, 95.0, Percent, None)]),
            (
                "tỷ lệ hồ sơ trễ hạn không quá 2%",
                vec![m(Le, 2.0, Percent, None)],
            ),
            (
                "tỷ lệ từ 80% đến 90% hồ sơ",
                vec![between(80.0, 90.0, Percent)],
            ),
            (
                "cắt giảm 20% quy định và 20% chi phí tuân thủ",
                vec![
                    m(Ge, 20.0, PercentReduction, None),
                    m(Ge, 20.0, PercentReduction, None),
                ],
            ),
            ("Tổ chức ít nhất 04 hội nghị", vec![m(Ge, 4.0, Count, None)]),
            ("", vec![]),
            ("%%% 5 % , ;:", vec![m(Ge, 5.0, Percent, None)]),
        ]);
    }

    #[test]
    fn nfd_text_reads_the_same() {
        let s = "cấp huyện 80%, cấp xã 75%";
        let nfd: String = s.nfd().collect();
        assert_eq!(parse_measures(&nfd), parse_measures(s));
        assert_eq!(parse_measures(&nfd)[1].scope.as_deref(), Some("cấp xã"));
    }
}

#[cfg(test)]
mod json_tests {
    use super::*;

    #[test]
    fn whole_thresholds_are_written_as_integers_and_read_back() {
        let m = Measure {
            op: MeasureOp::Between,
            value: 2.0,
            max: Some(2.5),
            unit: MeasureUnit::Count,
            scope: None,
        };
        let json = serde_json::to_string(&m).unwrap();
        assert_eq!(
            json,
            r#"{"op":"between","value":2,"max":2.5,"unit":"count","scope":null}"#
        );
        assert_eq!(serde_json::from_str::<Measure>(&json).unwrap(), m);
    }
}
