//! Deadlines (thời gian hoàn thành) as the plan states them, and the dates they mean.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::text::{clean, fold};

/// Loại thời hạn — what kind of deadline a cell states.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DeadlineKind {
    /// A day: "Trước 15/01/2024".
    Date,
    /// A month, quarter(s), half or year: "Quý II, III/2024".
    Period,
    /// "Thường xuyên", "Hằng năm": reported every period.
    Recurring,
    /// "Khi có chỉ đạo của tỉnh": no date can be computed.
    Conditional,
}

impl DeadlineKind {
    pub fn label_vi(self) -> &'static str {
        match self {
            DeadlineKind::Date => "Theo ngày",
            DeadlineKind::Period => "Theo kỳ",
            DeadlineKind::Recurring => "Thường xuyên",
            DeadlineKind::Conditional => "Có điều kiện",
        }
    }
}

/// Thời gian hoàn thành — the source words and the span they mean.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deadline {
    pub text: String,
    pub kind: DeadlineKind,
    pub start: Option<NaiveDate>,
    pub end: Option<NaiveDate>,
}

impl Deadline {
    /// Reads a deadline cell ("Trước 15/01/2024", "Quý II, III/2024", "Thường xuyên", "Khi có
    /// chỉ đạo của tỉnh"); a period without a year takes `plan_year`. Words no form matches
    /// give a `conditional` deadline (no date can be computed); [`Deadline::try_parse`] tells
    /// the two apart. `text` always keeps the source words.
    pub fn parse(text: &str, plan_year: i32) -> Deadline {
        Deadline::try_parse(text, plan_year).unwrap_or_else(|| Deadline {
            text: clean(text),
            kind: DeadlineKind::Conditional,
            start: None,
            end: None,
        })
    }

    /// [`Deadline::parse`], or `None` when no known form matches the words.
    pub fn try_parse(text: &str, plan_year: i32) -> Option<Deadline> {
        let text = clean(text);
        let toks = tokens(&fold(&text));
        let make = |kind, start, end| {
            Some(Deadline {
                text: text.clone(),
                kind,
                start,
                end,
            })
        };
        if toks.is_empty() {
            return None;
        }
        // An explicit day wins over every other reading.
        let dates = find_dates(&toks, plan_year);
        match dates.as_slice() {
            [] => {}
            [end] => return make(DeadlineKind::Date, None, Some(*end)),
            [first, .., last] => {
                return if first <= last {
                    make(DeadlineKind::Period, Some(*first), Some(*last))
                } else {
                    make(DeadlineKind::Date, None, Some(*first))
                };
            }
        }
        let words: Vec<&str> = toks.iter().filter_map(Tok::word).collect();
        let starts = |p: &[&str]| words.len() >= p.len() && words[..p.len()] == *p;
        // "Theo kế hoạch thẩm định hằng năm" names a condition, not a recurrence.
        const CONDITIONAL: &[&[&str]] = &[
            &["khi"],
            &["theo"],
            &["sau", "khi"],
            &["neu"],
            &["tuy"],
            &["dot", "xuat"],
            &["khi", "co"],
            &["can", "cu"],
        ];
        if CONDITIONAL.iter().any(|p| starts(p)) {
            return make(DeadlineKind::Conditional, None, None);
        }
        const RECURRING: &[&[&str]] = &[
            &["thuong", "xuyen"],
            &["hang", "nam"],
            &["hang", "quy"],
            &["hang", "thang"],
            &["hang", "tuan"],
            &["hang", "ngay"],
            &["dinh", "ky"],
            &["lien", "tuc"],
        ];
        let contains = |p: &[&str]| words.windows(p.len()).any(|w| w == p);
        if RECURRING.iter().any(|p| contains(p)) {
            return make(DeadlineKind::Recurring, None, None);
        }
        let (start, end) = find_period(&toks, plan_year)?;
        make(DeadlineKind::Period, Some(start), Some(end))
    }

    /// Whether the deadline's span meets `[from, to]` (both inclusive). A `date` deadline
    /// falls on its day; recurring and conditional deadlines fall in no window.
    pub fn falls_within(&self, from: NaiveDate, to: NaiveDate) -> bool {
        match (self.kind, self.start, self.end) {
            (DeadlineKind::Date, _, Some(end)) => from <= end && end <= to,
            (DeadlineKind::Period, start, Some(end)) => {
                let start = start.unwrap_or(end);
                start <= to && from <= end
            }
            _ => false,
        }
    }

    /// Whether a dated deadline has passed on `today` (its last day is before today).
    pub fn is_past(&self, today: NaiveDate) -> bool {
        matches!(self.kind, DeadlineKind::Date | DeadlineKind::Period)
            && self.end.is_some_and(|end| end < today)
    }
}

/// A token of a folded deadline text.
#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Word(String),
    Num(u32, usize),
    Punct(char),
}

impl Tok {
    fn word(&self) -> Option<&str> {
        match self {
            Tok::Word(w) => Some(w),
            _ => None,
        }
    }
    fn is_word(&self, w: &str) -> bool {
        self.word() == Some(w)
    }
    fn num(&self) -> Option<u32> {
        match self {
            Tok::Num(n, _) => Some(*n),
            _ => None,
        }
    }
    fn year(&self) -> Option<i32> {
        match self {
            Tok::Num(n, 4) if (1900..=2200).contains(n) => Some(*n as i32),
            Tok::Num(n, 2) => Some(2000 + *n as i32),
            _ => None,
        }
    }
}

fn tokens(key: &str) -> Vec<Tok> {
    let chars: Vec<char> = key.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_ascii_digit() {
            let start = i;
            while i < chars.len() && chars[i].is_ascii_digit() {
                i += 1;
            }
            let digits: String = chars[start..i].iter().collect();
            let n = digits.parse::<u32>().unwrap_or(u32::MAX);
            out.push(Tok::Num(n, i - start));
        } else if c.is_alphabetic() {
            let start = i;
            while i < chars.len() && chars[i].is_alphabetic() {
                i += 1;
            }
            out.push(Tok::Word(chars[start..i].iter().collect()));
        } else {
            if !c.is_whitespace() {
                out.push(Tok::Punct(c));
            }
            i += 1;
        }
    }
    out
}

/// Days written `d/m/yyyy`, `d/m` (plan year) or "ngày d tháng m năm yyyy", in order.
fn find_dates(toks: &[Tok], plan_year: i32) -> Vec<NaiveDate> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        let slash = |k: usize| toks.get(k) == Some(&Tok::Punct('/'));
        if let (Some(d), true, Some(m)) = (
            toks[i].num(),
            slash(i + 1),
            toks.get(i + 2).and_then(Tok::num),
        ) {
            let prev_is_month_word =
                i > 0 && (toks[i - 1].is_word("thang") || toks[i - 1].is_word("quy"));
            if (1..=31).contains(&d) && (1..=12).contains(&m) && !prev_is_month_word {
                let (year, next) = match (slash(i + 3), toks.get(i + 4).and_then(Tok::year)) {
                    (true, Some(y)) => (y, i + 5),
                    _ => (plan_year, i + 3),
                };
                if let Some(date) = NaiveDate::from_ymd_opt(year, m, d) {
                    out.push(date);
                    i = next;
                    continue;
                }
            }
        }
        if toks[i].is_word("ngay") {
            let get = |k: usize| toks.get(i + k);
            if let (Some(d), true, Some(m)) = (
                get(1).and_then(Tok::num),
                get(2).is_some_and(|t| t.is_word("thang")),
                get(3).and_then(Tok::num),
            ) {
                let year = match (
                    get(4).is_some_and(|t| t.is_word("nam")),
                    get(5).and_then(Tok::year),
                ) {
                    (true, Some(y)) => y,
                    _ => plan_year,
                };
                if let Some(date) = NaiveDate::from_ymd_opt(year, m, d) {
                    out.push(date);
                    i += 4;
                    continue;
                }
            }
        }
        i += 1;
    }
    out
}

fn roman(w: &str) -> Option<u32> {
    match w {
        "i" => Some(1),
        "ii" => Some(2),
        "iii" => Some(3),
        "iv" => Some(4),
        _ => None,
    }
}

/// Ordinals after a quarter or month word: "ii, iii", "i-iv", "1 va 2"; returns them and the
/// index after the list.
fn ordinal_list(toks: &[Tok], mut i: usize, max: u32, allow_roman: bool) -> (Vec<u32>, usize) {
    let mut found: Vec<u32> = Vec::new();
    let mut range_pending = false;
    while i < toks.len() {
        let value = match &toks[i] {
            Tok::Num(n, len) if *len <= 2 && (1..=max).contains(n) => Some(*n),
            Tok::Word(w) if allow_roman => roman(w),
            _ => None,
        };
        if let Some(v) = value {
            if range_pending {
                if let Some(&from) = found.last() {
                    found.extend((from + 1)..=v);
                }
                range_pending = false;
            }
            found.push(v);
            i += 1;
            continue;
        }
        if found.is_empty() {
            break;
        }
        match &toks[i] {
            Tok::Punct(',') | Tok::Punct(';') => i += 1,
            Tok::Word(w) if w == "va" => i += 1,
            Tok::Punct('-') => {
                range_pending = true;
                i += 1
            }
            Tok::Word(w) if w == "den" || w == "toi" => {
                range_pending = true;
                i += 1
            }
            _ => break,
        }
    }
    (found, i)
}

/// The year after a list: "/2024", "năm 2024", "- 2024", "2024".
fn year_after(toks: &[Tok], i: usize) -> Option<i32> {
    match toks.get(i) {
        Some(Tok::Punct('/')) | Some(Tok::Punct('-')) => toks.get(i + 1).and_then(Tok::year),
        Some(Tok::Word(w)) if w == "nam" => toks.get(i + 1).and_then(Tok::year),
        Some(t @ Tok::Num(_, 4)) => t.year(),
        _ => None,
    }
}

fn month_start(year: i32, month: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(year, month, 1)
}

fn month_end(year: i32, month: u32) -> Option<NaiveDate> {
    let next = if month == 12 {
        NaiveDate::from_ymd_opt(year + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(year, month + 1, 1)
    };
    next.and_then(|d| d.pred_opt())
}

/// A month, quarter(s), half or year span.
fn find_period(toks: &[Tok], plan_year: i32) -> Option<(NaiveDate, NaiveDate)> {
    for (i, t) in toks.iter().enumerate() {
        match t.word() {
            Some("quy") => {
                let (qs, next) = ordinal_list(toks, i + 1, 4, true);
                if let (Some(&lo), Some(&hi)) = (qs.iter().min(), qs.iter().max()) {
                    let year = year_after(toks, next).unwrap_or(plan_year);
                    return Some((month_start(year, lo * 3 - 2)?, month_end(year, hi * 3)?));
                }
            }
            Some("thang") => {
                // "6 tháng đầu năm", "6 tháng cuối năm"
                let six = i > 0 && toks[i - 1].num() == Some(6);
                let half = toks.get(i + 1).and_then(Tok::word);
                if six && matches!(half, Some("dau") | Some("cuoi")) {
                    let year = toks
                        .iter()
                        .skip(i + 2)
                        .find_map(|t| match t {
                            Tok::Num(_, 4) => t.year(),
                            _ => None,
                        })
                        .unwrap_or(plan_year);
                    let (lo, hi) = if half == Some("dau") { (1, 6) } else { (7, 12) };
                    return Some((month_start(year, lo)?, month_end(year, hi)?));
                }
                let (ms, next) = ordinal_list(toks, i + 1, 12, false);
                if let (Some(&lo), Some(&hi)) = (ms.iter().min(), ms.iter().max()) {
                    let year = year_after(toks, next).unwrap_or(plan_year);
                    return Some((month_start(year, lo)?, month_end(year, hi)?));
                }
            }
            _ => {}
        }
    }
    // A year or a span of years: "Năm 2024", "năm 2024 - 2025", "2024".
    let years: Vec<i32> = toks
        .iter()
        .filter_map(|t| match t {
            Tok::Num(_, 4) => t.year(),
            _ => None,
        })
        .collect();
    let only_year = toks.len() == 1 && !years.is_empty();
    if toks.iter().any(|t| t.is_word("nam")) || only_year {
        let lo = *years.iter().min()?;
        let hi = *years.iter().max()?;
        return Some((
            NaiveDate::from_ymd_opt(lo, 1, 1)?,
            NaiveDate::from_ymd_opt(hi, 12, 31)?,
        ));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, day)
    }

    fn check(text: &str, kind: DeadlineKind, start: Option<NaiveDate>, end: Option<NaiveDate>) {
        let got = Deadline::parse(text, 2024);
        assert_eq!((got.kind, got.start, got.end), (kind, start, end), "{text}");
        assert_eq!(got.text, clean(text));
        assert!(
            Deadline::try_parse(text, 2024).is_some(),
            "{text} should be recognised"
        );
    }

    /// Checks each case, (text, start, end), as a deadline of `kind`.
    fn check_each(kind: DeadlineKind, cases: &[(&str, Option<NaiveDate>, Option<NaiveDate>)]) {
        for &(text, start, end) in cases {
            check(text, kind, start, end);
        }
    }

    #[test]
    fn a_day_is_a_date() {
        check_each(
            DeadlineKind::Date,
            &[
                ("Trước 15/01/2024", None, d(2024, 1, 15)),
                ("trước ngày 05/02/2024", None, d(2024, 2, 5)),
                ("Trước 30/6", None, d(2024, 6, 30)),
                ("Trước ngày 31 tháng 3 năm 2025", None, d(2025, 3, 31)),
            ],
        );
    }

    #[test]
    fn two_days_are_a_period() {
        check_each(
            DeadlineKind::Period,
            &[("Từ 01/3/2024 đến 30/6/2024", d(2024, 3, 1), d(2024, 6, 30))],
        );
    }

    #[test]
    fn a_month_is_a_period() {
        check_each(
            DeadlineKind::Period,
            &[
                ("Tháng 01/2024", d(2024, 1, 1), d(2024, 1, 31)),
                ("Tháng 2 năm 2024", d(2024, 2, 1), d(2024, 2, 29)),
                ("Tháng 12", d(2024, 12, 1), d(2024, 12, 31)),
                ("Tháng 3, 4/2025", d(2025, 3, 1), d(2025, 4, 30)),
            ],
        );
    }

    #[test]
    fn quarters_are_the_whole_span() {
        check_each(
            DeadlineKind::Period,
            &[
                ("Quý I/2024", d(2024, 1, 1), d(2024, 3, 31)),
                ("Quý II, III/2024", d(2024, 4, 1), d(2024, 9, 30)),
                ("Quý I, II năm 2024", d(2024, 1, 1), d(2024, 6, 30)),
                ("Quý I-IV năm 2024", d(2024, 1, 1), d(2024, 12, 31)),
                ("Quý II-IV năm 2024", d(2024, 4, 1), d(2024, 12, 31)),
                ("Quý I – III năm 2025", d(2025, 1, 1), d(2025, 9, 30)),
                ("Quý 3/2024", d(2024, 7, 1), d(2024, 9, 30)),
            ],
        );
    }

    #[test]
    fn a_quarter_without_year_takes_the_plan_year() {
        check_each(
            DeadlineKind::Period,
            &[
                ("Quý IV", d(2024, 10, 1), d(2024, 12, 31)),
                ("Quý II", d(2024, 4, 1), d(2024, 6, 30)),
            ],
        );
        let q = Deadline::parse("Quý II", 2025);
        assert_eq!(q.start, d(2025, 4, 1));
    }

    #[test]
    fn halves_and_years() {
        check_each(
            DeadlineKind::Period,
            &[
                ("Năm 2024", d(2024, 1, 1), d(2024, 12, 31)),
                ("Trong năm 2025", d(2025, 1, 1), d(2025, 12, 31)),
                ("Năm 2024 - 2025", d(2024, 1, 1), d(2025, 12, 31)),
                ("6 tháng đầu năm 2024", d(2024, 1, 1), d(2024, 6, 30)),
                ("6 tháng cuối năm", d(2024, 7, 1), d(2024, 12, 31)),
            ],
        );
    }

    #[test]
    fn ongoing_is_recurring() {
        for text in ["Thường xuyên", "Hằng năm", "hằng quý", "Hàng tháng"] {
            check(text, DeadlineKind::Recurring, None, None);
        }
    }

    #[test]
    fn conditions_are_conditional_even_when_they_name_a_recurrence() {
        for text in [
            "Khi có chỉ đạo của tỉnh",
            "Theo lộ trình đề án được phê duyệt",
            "Theo kế hoạch thẩm định hằng năm",
        ] {
            check(text, DeadlineKind::Conditional, None, None);
        }
    }

    #[test]
    fn unknown_words_are_kept_and_reported_as_unreadable() {
        assert_eq!(Deadline::try_parse("Sớm nhất có thể", 2024), None);
        let p = Deadline::parse("Sớm  nhất có thể", 2024);
        assert_eq!(p.kind, DeadlineKind::Conditional);
        assert_eq!(p.text, "Sớm nhất có thể");
        assert_eq!((p.start, p.end), (None, None));
        assert_eq!(Deadline::try_parse("", 2024), None);
        assert_eq!(Deadline::try_parse("Quý V/2024", 2024), None);
        assert_eq!(Deadline::try_parse("Tháng 13/2024", 2024), None);
    }

    #[test]
    fn nfd_input_reads_the_same() {
        use unicode_normalization::UnicodeNormalization;
        let nfd: String = "Quý II, III/2024".nfd().collect();
        assert_eq!(
            Deadline::parse(&nfd, 2024),
            Deadline::parse("Quý II, III/2024", 2024)
        );
    }

    #[test]
    fn never_panics_on_odd_input() {
        for s in [
            "/",
            "31/02/2024",
            "99999999999/1",
            "Quý",
            "tháng -",
            "6 tháng",
            "ngày 1 tháng",
        ] {
            let _ = Deadline::parse(s, 2024);
        }
        assert_eq!(Deadline::try_parse("31/02/2024", 2024), None);
    }
}
