//! Lint (kiểm tra kế hoạch): the plan's flaws, located and in Vietnamese.
//!
//! Locations: `II.{code}` for a key target, `PL.{section}[.{part}].{row}` for an appendix row,
//! that plus `.{task code}` for a task, and `PL.{activity id}` for an activity.

use std::collections::{BTreeSet, HashMap, HashSet};

use crate::deadline::DeadlineKind;
use crate::diagnostic::{Diagnostic, Severity};
use crate::group::GroupId;
use crate::measure::Measure;
use crate::plan::{Activity, Objective, Part, Plan, RefTarget, Row, Section, UnitRef};
use crate::text::fold;

/// Stable codes of the lint's diagnostics (mã cảnh báo).
pub mod code {
    /// A target number is skipped within an area (5.2 without 5.1).
    pub const TARGET_NUMBER_GAP: &str = "target-number-gap";
    /// A target number occurs twice within an area.
    pub const TARGET_NUMBER_REPEAT: &str = "target-number-repeat";
    /// A row number (TT) is skipped within a section or part.
    pub const ROW_NUMBER_GAP: &str = "row-number-gap";
    /// A row number (TT) occurs twice within a section or part.
    pub const ROW_NUMBER_REPEAT: &str = "row-number-repeat";
    /// An objective number (1.x) is skipped within a section.
    pub const OBJECTIVE_NUMBER_GAP: &str = "objective-number-gap";
    /// An objective number (1.x) occurs twice within a section.
    pub const OBJECTIVE_NUMBER_REPEAT: &str = "objective-number-repeat";
    /// A task number (2.x) is skipped within a section.
    pub const TASK_NUMBER_GAP: &str = "task-number-gap";
    /// A task number (2.x) occurs twice within a section.
    pub const TASK_NUMBER_REPEAT: &str = "task-number-repeat";
    /// An activity number (3.x) is skipped within a section.
    pub const ACTIVITY_NUMBER_GAP: &str = "activity-number-gap";
    /// An activity number (3.x) occurs twice within a section.
    pub const ACTIVITY_NUMBER_REPEAT: &str = "activity-number-repeat";
    /// Two key targets say the same thing.
    pub const DUPLICATE_TARGET: &str = "duplicate-target";
    /// Two key targets say nearly the same thing.
    pub const SIMILAR_TARGETS: &str = "similar-targets";
    /// An activity names no lead unit (chủ trì).
    pub const MISSING_LEAD: &str = "missing-lead";
    /// An activity names no output (kết quả, sản phẩm).
    pub const MISSING_OUTPUT: &str = "missing-output";
    /// An activity states no deadline (thời gian hoàn thành).
    pub const MISSING_DEADLINE: &str = "missing-deadline";
    /// A deadline depends on a condition, so no date can be computed.
    pub const CONDITIONAL_DEADLINE: &str = "conditional-deadline";
    /// A dated or period deadline whose date could not be read.
    pub const UNCOMPUTABLE_DEADLINE: &str = "uncomputable-deadline";
    /// A deadline falls outside the plan's year.
    pub const DEADLINE_OUTSIDE_YEAR: &str = "deadline-outside-year";
    /// A unit phrase that names no unit or group of the registry.
    pub const UNRESOLVED_UNIT: &str = "unresolved-unit";
    /// A lead given only as "các cơ quan liên quan".
    pub const VAGUE_LEAD: &str = "vague-lead";
    /// Coordinators given only as "các cơ quan liên quan".
    pub const VAGUE_COORDINATOR: &str = "vague-coordinator";
    /// A key target and the appendix objective on the same subject state different thresholds.
    pub const TARGET_THRESHOLD_MISMATCH: &str = "target-threshold-mismatch";
}

/// Every flaw the lint finds in a plan, in document order.
pub fn lint(plan: &Plan) -> Vec<Diagnostic> {
    lint_with(plan, &crate::measure::parse_measures)
}

/// [`lint`] with the reader of an objective's thresholds supplied by the caller.
fn lint_with(plan: &Plan, objective_measures: &dyn Fn(&str) -> Vec<Measure>) -> Vec<Diagnostic> {
    let mut out = Out::default();
    target_numbering(plan, &mut out);
    duplicate_targets(plan, &mut out);
    threshold_mismatches(plan, objective_measures, &mut out);
    appendix_numbering(plan, &mut out);
    activities(plan, &mut out);
    out.finish()
}

/// Document position of a finding: targets first, then the appendix in reading order.
type Key = (u8, usize, usize, usize, usize, usize);

#[derive(Default)]
struct Out {
    items: Vec<(Key, Diagnostic)>,
}

impl Out {
    fn push(&mut self, key: Key, severity: Severity, code: &str, message: String, location: &str) {
        self.items
            .push((key, Diagnostic::new(severity, code, message, location)));
    }

    fn finish(mut self) -> Vec<Diagnostic> {
        // Stable: findings at one place keep the order the rules raised them in.
        self.items.sort_by_key(|(k, _)| *k);
        self.items.into_iter().map(|(_, d)| d).collect()
    }
}

fn part_path(section: &Section, part: &Part) -> String {
    match &part.code {
        Some(p) => format!("{}.{}", section.code, p),
        None => section.code.clone(),
    }
}

fn row_location(section: &Section, part: &Part, row: &Row) -> String {
    format!("PL.{}.{}", part_path(section, part), row.no)
}

/// `PL.` and the activity's id; the id [`Plan::assign_ids`] would give when none is set yet.
fn activity_location(
    section: &Section,
    part: &Part,
    row: &Row,
    n_in_row: usize,
    a: &Activity,
) -> String {
    if !a.id.is_empty() {
        return format!("PL.{}", a.id);
    }
    let code = a.code.clone().unwrap_or_else(|| format!("a{n_in_row}"));
    format!(
        "PL.{}{}.{}.{}",
        section.code,
        part.code.as_deref().unwrap_or(""),
        row.no,
        code
    )
}

// ---------------------------------------------------------------------------------------------
// Numbering

/// A numbered item: `prefix` is the code before its last dot ("3" in "3.11"), `n` the last number.
struct Numbered {
    prefix: String,
    n: u32,
    key: Key,
    location: String,
}

/// What is numbered, for messages and codes.
struct NumberKind {
    what: &'static str,
    /// Written before a missing number: "TT " for rows, whose numbers stand alone.
    missing: &'static str,
    gap: &'static str,
    repeat: &'static str,
}

const TARGETS: NumberKind = NumberKind {
    what: "Chỉ tiêu",
    missing: "",
    gap: code::TARGET_NUMBER_GAP,
    repeat: code::TARGET_NUMBER_REPEAT,
};
const ROWS: NumberKind = NumberKind {
    what: "Dòng TT",
    missing: "TT ",
    gap: code::ROW_NUMBER_GAP,
    repeat: code::ROW_NUMBER_REPEAT,
};
const OBJECTIVES: NumberKind = NumberKind {
    what: "Mục tiêu",
    missing: "",
    gap: code::OBJECTIVE_NUMBER_GAP,
    repeat: code::OBJECTIVE_NUMBER_REPEAT,
};
const TASKS: NumberKind = NumberKind {
    what: "Nhiệm vụ",
    missing: "",
    gap: code::TASK_NUMBER_GAP,
    repeat: code::TASK_NUMBER_REPEAT,
};
const ACTIVITIES: NumberKind = NumberKind {
    what: "Hoạt động",
    missing: "",
    gap: code::ACTIVITY_NUMBER_GAP,
    repeat: code::ACTIVITY_NUMBER_REPEAT,
};

/// "3.11" → ("3", 11); "5" → ("", 5); a trailing dot is tolerated.
fn split_code(code: &str) -> Option<(String, u32)> {
    let c = code.trim().trim_end_matches('.').trim();
    match c.rsplit_once('.') {
        Some((prefix, n)) => Some((prefix.trim().to_string(), n.trim().parse().ok()?)),
        None => Some((String::new(), c.parse().ok()?)),
    }
}

fn show_code(prefix: &str, n: u32) -> String {
    if prefix.is_empty() {
        n.to_string()
    } else {
        format!("{prefix}.{n}")
    }
}

/// Gaps and repeats among items that should be numbered 1, 2, 3 … within `scope` (a label
/// such as "phần I"). The order of the items does not matter for gaps: a number is missing
/// when no item carries it, so "3.11" written early does not make 3.8–3.10 gaps.
fn check_numbering(items: &[Numbered], kind: &NumberKind, scope: &str, out: &mut Out) {
    let mut prefixes: Vec<&str> = Vec::new();
    for it in items {
        if !prefixes.contains(&it.prefix.as_str()) {
            prefixes.push(&it.prefix);
        }
    }
    for prefix in prefixes {
        let group: Vec<&Numbered> = items.iter().filter(|it| it.prefix == prefix).collect();
        let present: BTreeSet<u32> = group.iter().map(|it| it.n).collect();
        let max = present.iter().next_back().copied().unwrap_or(0);
        // Runs of missing numbers, each reported at the first item after the run.
        let mut run_start: Option<u32> = None;
        for n in 1..=max {
            if present.contains(&n) {
                if let Some(start) = run_start.take() {
                    let at = group.iter().find(|it| it.n == n).expect("present");
                    let missing: Vec<String> = (start..n)
                        .map(|m| format!("{}{}", kind.missing, show_code(prefix, m)))
                        .collect();
                    let missing = if missing.len() > 4 {
                        format!("{} … {}", missing[0], missing[missing.len() - 1])
                    } else {
                        missing.join(", ")
                    };
                    out.push(
                        at.key,
                        Severity::Warning,
                        kind.gap,
                        format!(
                            "{} {} ({}): đánh số bị nhảy trong {scope}, thiếu {missing}",
                            kind.what,
                            show_code(prefix, n),
                            at.location
                        ),
                        &at.location,
                    );
                }
            } else if run_start.is_none() {
                run_start = Some(n);
            }
        }
        let mut first: HashMap<u32, &Numbered> = HashMap::new();
        for it in &group {
            match first.get(&it.n) {
                Some(earlier) => out.push(
                    it.key,
                    Severity::Warning,
                    kind.repeat,
                    format!(
                        "{} {} ({}) trùng số với {} {} ở {} trong {scope}",
                        kind.what,
                        show_code(prefix, it.n),
                        it.location,
                        kind.what.to_lowercase(),
                        show_code(prefix, it.n),
                        earlier.location
                    ),
                    &it.location,
                ),
                None => {
                    first.insert(it.n, it);
                }
            }
        }
    }
}

fn target_numbering(plan: &Plan, out: &mut Out) {
    let mut areas: Vec<u32> = Vec::new();
    for t in &plan.targets {
        if !areas.contains(&t.area) {
            areas.push(t.area);
        }
    }
    for area in areas {
        let items: Vec<Numbered> = plan
            .targets
            .iter()
            .enumerate()
            .filter(|(_, t)| t.area == area)
            .filter_map(|(i, t)| {
                let (prefix, n) = split_code(&t.code)?;
                Some(Numbered {
                    prefix,
                    n,
                    key: (0, i, 0, 0, 0, 0),
                    location: format!("II.{}", t.code),
                })
            })
            .collect();
        check_numbering(&items, &TARGETS, &format!("lĩnh vực {area}"), out);
    }
}

fn appendix_numbering(plan: &Plan, out: &mut Out) {
    for (si, section) in plan.sections.iter().enumerate() {
        // Rows (TT) restart in every part.
        for (pi, part) in section.parts.iter().enumerate() {
            let rows: Vec<Numbered> = part
                .rows
                .iter()
                .enumerate()
                .filter_map(|(ri, row)| {
                    let (prefix, n) = split_code(&row.no)?;
                    Some(Numbered {
                        prefix,
                        n,
                        key: (1, si, pi, ri, 0, 0),
                        location: row_location(section, part, row),
                    })
                })
                .collect();
            check_numbering(
                &rows,
                &ROWS,
                &format!("phần {}", part_path(section, part)),
                out,
            );
        }

        let mut objectives: Vec<(String, Vec<Numbered>)> = Vec::new();
        let mut tasks: Vec<(String, Vec<Numbered>)> = Vec::new();
        let mut acts: Vec<(String, Vec<Numbered>)> = Vec::new();
        for (pi, part) in section.parts.iter().enumerate() {
            let mut o = Vec::new();
            let mut t = Vec::new();
            let mut a = Vec::new();
            for (ri, row) in part.rows.iter().enumerate() {
                let row_loc = row_location(section, part, row);
                if let Some((prefix, n)) = row
                    .objective
                    .as_ref()
                    .and_then(|ob| ob.code.as_deref())
                    .and_then(split_code)
                {
                    o.push(Numbered {
                        prefix,
                        n,
                        key: (1, si, pi, ri, 0, 0),
                        location: row_loc.clone(),
                    });
                }
                let mut n_in_row = 0;
                for (ti, task) in row.tasks.iter().enumerate() {
                    if let Some(code) = task.code.as_deref() {
                        if let Some((prefix, n)) = split_code(code) {
                            t.push(Numbered {
                                prefix,
                                n,
                                key: (1, si, pi, ri, ti + 1, 0),
                                location: format!(
                                    "{row_loc}.{}",
                                    code.trim().trim_end_matches('.')
                                ),
                            });
                        }
                    }
                    for (ai, act) in task.activities.iter().enumerate() {
                        n_in_row += 1;
                        if let Some((prefix, n)) = act.code.as_deref().and_then(split_code) {
                            a.push(Numbered {
                                prefix,
                                n,
                                key: (1, si, pi, ri, ti + 1, ai + 1),
                                location: activity_location(section, part, row, n_in_row, act),
                            });
                        }
                    }
                }
            }
            let label = format!("phần {}", part_path(section, part));
            join_scope(&mut objectives, &label, o);
            join_scope(&mut tasks, &label, t);
            join_scope(&mut acts, &label, a);
        }
        for (scope, items) in &objectives {
            check_numbering(items, &OBJECTIVES, scope, out);
        }
        for (scope, items) in &tasks {
            check_numbering(items, &TASKS, scope, out);
        }
        for (scope, items) in &acts {
            check_numbering(items, &ACTIVITIES, scope, out);
        }
    }
}

/// Codes of objectives, tasks and activities run on through a section; a part (A, B) whose
/// numbers start again at 1 opens a new numbering instead, named after that part.
fn join_scope(scopes: &mut Vec<(String, Vec<Numbered>)>, label: &str, part_items: Vec<Numbered>) {
    if part_items.is_empty() {
        return;
    }
    let restarts = part_items.iter().map(|it| it.n).min() == Some(1);
    match scopes.last_mut() {
        Some((_, last)) if !restarts => last.extend(part_items),
        _ => scopes.push((label.to_string(), part_items)),
    }
}

// ---------------------------------------------------------------------------------------------
// Targets that repeat one another

/// The folded words of a text, digits kept, punctuation dropped.
fn words(s: &str) -> Vec<String> {
    fold(s)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

fn jaccard(a: &HashSet<&str>, b: &HashSet<&str>) -> f64 {
    let union = a.union(b).count();
    if union == 0 {
        return 0.0;
    }
    a.intersection(b).count() as f64 / union as f64
}

/// Word-set similarity above which two distinct targets are flagged as near duplicates.
const SIMILAR_TARGETS_MIN: f64 = 0.85;

fn duplicate_targets(plan: &Plan, out: &mut Out) {
    let folded: Vec<Vec<String>> = plan.targets.iter().map(|t| words(&t.text)).collect();
    let sets: Vec<HashSet<&str>> = folded
        .iter()
        .map(|w| w.iter().map(String::as_str).collect())
        .collect();
    for (i, t) in plan.targets.iter().enumerate() {
        if folded[i].is_empty() {
            continue;
        }
        let loc = format!("II.{}", t.code);
        if let Some(j) = (0..i).find(|&j| folded[j] == folded[i]) {
            out.push(
                (0, i, 0, 0, 0, 0),
                Severity::Warning,
                code::DUPLICATE_TARGET,
                format!(
                    "Chỉ tiêu {} trùng nội dung với chỉ tiêu {}",
                    t.code, plan.targets[j].code
                ),
                &loc,
            );
        } else if let Some(j) = (0..i)
            .find(|&j| folded[j].len() >= 5 && jaccard(&sets[i], &sets[j]) >= SIMILAR_TARGETS_MIN)
        {
            out.push(
                (0, i, 0, 0, 0, 0),
                Severity::Warning,
                code::SIMILAR_TARGETS,
                format!(
                    "Chỉ tiêu {} gần trùng nội dung với chỉ tiêu {}; kiểm tra lại có phải lặp không",
                    t.code, plan.targets[j].code
                ),
                &loc,
            );
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Activities: lead, output, deadline, units

fn activities(plan: &Plan, out: &mut Out) {
    for (si, section) in plan.sections.iter().enumerate() {
        for (pi, part) in section.parts.iter().enumerate() {
            for (ri, row) in part.rows.iter().enumerate() {
                let mut n_in_row = 0;
                for (ti, task) in row.tasks.iter().enumerate() {
                    for (ai, a) in task.activities.iter().enumerate() {
                        n_in_row += 1;
                        let key = (1, si, pi, ri, ti + 1, ai + 1);
                        let loc = activity_location(section, part, row, n_in_row, a);
                        let name = match &a.code {
                            Some(c) => format!("Hoạt động {c} ({loc})"),
                            None => format!("Hoạt động «{}» ({loc})", short(&a.text)),
                        };
                        activity(plan.year, a, key, &name, &loc, out);
                    }
                }
            }
        }
    }
}

/// The first words of a long text, for messages.
fn short(s: &str) -> String {
    let mut w: Vec<&str> = s.split_whitespace().take(8).collect();
    if s.split_whitespace().count() > 8 {
        w.push("…");
    }
    w.join(" ")
}

fn activity(year: i32, a: &Activity, key: Key, name: &str, loc: &str, out: &mut Out) {
    if a.lead.is_empty() {
        out.push(
            key,
            Severity::Warning,
            code::MISSING_LEAD,
            format!("{name}: không có đơn vị chủ trì"),
            loc,
        );
    }
    if a.outputs.as_deref().is_none_or(|o| o.trim().is_empty()) {
        out.push(
            key,
            Severity::Warning,
            code::MISSING_OUTPUT,
            format!("{name}: không có kết quả, sản phẩm"),
            loc,
        );
    }
    match &a.deadline {
        None => out.push(
            key,
            Severity::Warning,
            code::MISSING_DEADLINE,
            format!("{name}: không có thời gian hoàn thành"),
            loc,
        ),
        Some(d) => match d.kind {
            DeadlineKind::Conditional => out.push(
                key,
                Severity::Info,
                code::CONDITIONAL_DEADLINE,
                format!(
                    "{name}: thời gian hoàn thành «{}» phụ thuộc điều kiện, không tính được hạn",
                    d.text
                ),
                loc,
            ),
            DeadlineKind::Date | DeadlineKind::Period if d.end.is_none() => out.push(
                key,
                Severity::Warning,
                code::UNCOMPUTABLE_DEADLINE,
                format!(
                    "{name}: không đọc được ngày từ thời gian hoàn thành «{}»",
                    d.text
                ),
                loc,
            ),
            _ => {
                let outside: Vec<i32> = [d.start, d.end]
                    .into_iter()
                    .flatten()
                    .map(|day| chrono::Datelike::year(&day))
                    .filter(|&y| y != year)
                    .collect();
                if !outside.is_empty() {
                    out.push(
                        key,
                        Severity::Warning,
                        code::DEADLINE_OUTSIDE_YEAR,
                        format!(
                            "{name}: thời gian hoàn thành «{}» nằm ngoài năm {year} của kế hoạch",
                            d.text
                        ),
                        loc,
                    );
                }
            }
        },
    }
    units(&a.lead, "chủ trì", key, name, loc, out);
    units(&a.coordinators, "phối hợp", key, name, loc, out);
}

fn units(refs: &[UnitRef], role: &str, key: Key, name: &str, loc: &str, out: &mut Out) {
    let mut seen: HashSet<(bool, String)> = HashSet::new();
    for r in refs {
        match &r.target {
            RefTarget::Unresolved(phrase) if seen.insert((false, fold(phrase))) => {
                out.push(
                        key,
                        Severity::Warning,
                        code::UNRESOLVED_UNIT,
                        format!(
                            "{name}: không xác định được đơn vị «{phrase}» ({role}); thêm tên này vào danh mục đơn vị hoặc sửa kế hoạch"
                        ),
                        loc,
                    );
            }
            RefTarget::Group(GroupId::Related) if seen.insert((true, fold(&r.text))) => {
                let (code, what) = if role == "chủ trì" {
                    (code::VAGUE_LEAD, "đơn vị chủ trì")
                } else {
                    (code::VAGUE_COORDINATOR, "đơn vị phối hợp")
                };
                out.push(
                    key,
                    Severity::Warning,
                    code,
                    format!(
                        "{name}: {what} chỉ ghi chung «{}», chưa rõ là đơn vị nào",
                        r.text
                    ),
                    loc,
                );
            }
            _ => {}
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Key targets against the appendix

/// Words too common in plan sentences to tell two subjects apart.
const STOPWORDS: &[&str] = &[
    "cua", "va", "cac", "duoc", "trong", "nam", "theo", "tu", "den", "co", "cho", "voi", "tai",
    "la", "toi", "thieu", "dat", "tro", "len", "it", "nhat", "phan", "dau", "tren", "hoac",
    "nhung", "mot", "so", "ve", "de", "khi", "da", "ty", "le", "tuong", "ung", "dam", "bao",
    "tiep", "tuc", "nay", "do", "thi", "ma", "o", "tung",
];

/// Abbreviations spelled out, so "TTHC" and "thủ tục hành chính" share words.
const ABBREVIATIONS: &[(&str, &str)] = &[
    ("tthc", "thu tuc hanh chinh"),
    ("cchc", "cai cach hanh chinh"),
    ("qppl", "quy pham phap luat"),
    ("dvc", "dich vu cong"),
    ("dvsn", "don vi su nghiep"),
    ("sncl", "su nghiep cong lap"),
    ("cbcc", "can bo cong chuc"),
    ("cntt", "cong nghe thong tin"),
    ("cds", "chuyen doi so"),
    ("attt", "an toan thong tin"),
];

/// Pairs of consecutive significant words of a text: the subject's fingerprint.
fn subject_bigrams(s: &str) -> HashSet<String> {
    let mut toks: Vec<String> = Vec::new();
    for w in fold(s)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if w.chars().any(|c| c.is_ascii_digit()) || STOPWORDS.contains(&w) {
            continue;
        }
        match ABBREVIATIONS.iter().find(|(a, _)| *a == w) {
            Some((_, full)) => toks.extend(full.split(' ').map(str::to_string)),
            None => toks.push(w.to_string()),
        }
    }
    toks.windows(2)
        .map(|p| format!("{} {}", p[0], p[1]))
        .collect()
}

/// Least share of the shorter text's word pairs the other must contain to be on the same subject.
const SAME_SUBJECT_MIN_SCORE: f64 = 0.5;
/// Least number of shared word pairs, so that two short phrases do not match by accident.
const SAME_SUBJECT_MIN_SHARED: usize = 4;

/// How far two texts are on the same subject: shared word pairs over the shorter text's pairs,
/// or `None` when they share too little to count.
fn subject_score(a: &HashSet<String>, b: &HashSet<String>) -> Option<f64> {
    let shared = a.intersection(b).count();
    let shorter = a.len().min(b.len());
    if shorter == 0 || shared < SAME_SUBJECT_MIN_SHARED {
        return None;
    }
    let score = shared as f64 / shorter as f64;
    (score >= SAME_SUBJECT_MIN_SCORE).then_some(score)
}

/// The level a measure's scope names, when it names one.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Scope {
    Province,
    District,
    Commune,
    Other(String),
}

fn scope_of(m: &Measure) -> Option<Scope> {
    let s = m.scope.as_deref()?;
    let w: Vec<String> = words(s);
    let has = |x: &str| w.iter().any(|t| t == x);
    // "xã hội" is society, not a commune.
    let commune = w
        .iter()
        .enumerate()
        .any(|(i, t)| t == "xa" && w.get(i + 1).map(String::as_str) != Some("hoi"))
        || s.to_lowercase().contains("thị trấn");
    Some(if commune {
        Scope::Commune
    } else if has("huyen") {
        Scope::District
    } else if has("tinh") {
        Scope::Province
    } else if w.is_empty() {
        return None;
    } else {
        Scope::Other(w.join(" "))
    })
}

/// Whether two measures are for the same scope: `Some(true)` / `Some(false)` when both say,
/// `None` when one of them does not.
fn same_scope(a: &Measure, b: &Measure) -> Option<bool> {
    match (scope_of(a), scope_of(b)) {
        (Some(Scope::Other(x)), Some(Scope::Other(y))) => Some(x.contains(&y) || y.contains(&x)),
        (Some(x), Some(y)) => Some(x == y),
        _ => None,
    }
}

/// Same threshold value(s). The comparison word is left aside: "đạt 70%", "từ 70%" and
/// "tối thiểu 70%" state one threshold in the words of different drafters.
fn same_threshold(a: &Measure, b: &Measure) -> bool {
    a.unit == b.unit
        && (a.value - b.value).abs() < 1e-9
        && a.max.unwrap_or(a.value) == b.max.unwrap_or(b.value)
}

/// The thresholds of a target and of an appendix objective that disagree, as (target, objective)
/// pairs. An objective threshold agrees when the target states the same value for a scope that
/// does not contradict it; it disagrees only with a target threshold that is surely about the
/// same thing: the same scope level, or — both sentences giving the same list of thresholds
/// without saying the scope — the one in the same place of the list. A threshold with no
/// counterpart is left alone: the appendix often states only part of a target.
fn disagreements<'a>(
    target: &'a [Measure],
    objective: &'a [Measure],
) -> Vec<(&'a Measure, &'a Measure)> {
    let parallel = target.len() == objective.len()
        && target.iter().zip(objective).all(|(t, o)| t.unit == o.unit);
    let mut out = Vec::new();
    for (j, o) in objective.iter().enumerate() {
        if target
            .iter()
            .any(|t| same_threshold(t, o) && same_scope(t, o) != Some(false))
        {
            continue;
        }
        let counterpart = target
            .iter()
            .find(|t| t.unit == o.unit && same_scope(t, o) == Some(true))
            .or_else(|| (parallel && same_scope(&target[j], o).is_none()).then(|| &target[j]));
        if let Some(t) = counterpart {
            out.push((t, o));
        }
    }
    out
}

fn threshold_mismatches(
    plan: &Plan,
    objective_measures: &dyn Fn(&str) -> Vec<Measure>,
    out: &mut Out,
) {
    let objectives: Vec<(u32, String, &Objective, HashSet<String>)> = plan
        .sections
        .iter()
        .flat_map(|s| {
            let area = plan.section_area(&s.code);
            s.parts.iter().flat_map(move |p| {
                p.rows.iter().filter_map(move |r| {
                    let o = r.objective.as_ref()?;
                    Some((area?, row_location(s, p, r), o, subject_bigrams(&o.text)))
                })
            })
        })
        .collect();
    for (i, t) in plan.targets.iter().enumerate() {
        if t.measures.is_empty() {
            continue;
        }
        let tb = subject_bigrams(&t.text);
        let best = objectives
            .iter()
            .filter(|(area, ..)| *area == t.area)
            .filter_map(|o| subject_score(&tb, &o.3).map(|s| (s, o)))
            .fold(
                None::<(f64, &(u32, String, &Objective, HashSet<String>))>,
                |best, (s, o)| match best {
                    Some((bs, _)) if bs >= s => best,
                    _ => Some((s, o)),
                },
            );
        let Some((_, (_, row_loc, objective, _))) = best else {
            continue;
        };
        let om = objective_measures(&objective.text);
        let diffs = disagreements(&t.measures, &om);
        if diffs.is_empty() {
            continue;
        }
        let detail: Vec<String> = diffs
            .iter()
            .map(|(tm, omm)| {
                format!(
                    "{} ở chỉ tiêu, {} ở phụ lục",
                    tm.display_vi(),
                    omm.display_vi()
                )
            })
            .collect();
        let which = match &objective.code {
            Some(c) => format!("mục tiêu {c} ({row_loc})"),
            None => format!("mục tiêu ở {row_loc}"),
        };
        out.push(
            (0, i, 0, 0, 0, 0),
            Severity::Warning,
            code::TARGET_THRESHOLD_MISMATCH,
            format!(
                "Chỉ tiêu {} lệch ngưỡng với {which} của Phụ lục: {}",
                t.code,
                detail.join("; ")
            ),
            &format!("II.{}", t.code),
        );
    }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;
    use crate::deadline::Deadline;
    use crate::fixtures::*;
    use crate::measure::{MeasureOp, MeasureUnit};
    use crate::unit::UnitId;

    fn codes_at(diags: &[Diagnostic]) -> Vec<(String, String)> {
        diags
            .iter()
            .map(|d| (d.code.clone(), d.location.clone()))
            .collect()
    }

    fn has(diags: &[Diagnostic], code: &str, location: &str) -> bool {
        diags
            .iter()
            .any(|d| d.code == code && d.location == location)
    }

    /// Asserts that the finding's message contains `text`, showing the message if not.
    #[track_caller]
    fn assert_mentions(d: &Diagnostic, text: &str) {
        assert!(d.message.contains(text), "{}", d.message);
    }

    fn count(diags: &[Diagnostic], code: &str) -> usize {
        diags.iter().filter(|d| d.code == code).count()
    }

    #[test]
    fn a_well_formed_plan_has_no_findings() {
        let p = plan(
            vec![
                target("1.1", "Ban hành kế hoạch", vec![]),
                target("1.2", "Có sáng kiến", vec![]),
            ],
            vec![section("I", (1..=3).map(simple_row).collect())],
        );
        assert_eq!(lint(&p), vec![]);
    }

    #[test]
    fn a_skipped_target_number_is_a_gap_at_the_next_target() {
        let p = plan(vec![target("5.2", "Chuẩn hóa cán bộ", vec![])], vec![]);
        let d = lint(&p);
        assert_eq!(
            codes_at(&d),
            vec![(code::TARGET_NUMBER_GAP.into(), "II.5.2".into())]
        );
        assert_mentions(&d[0], "thiếu 5.1");

        let p = plan(
            vec![
                target("5.1", "Tuyển dụng", vec![]),
                target("5.2", "Chuẩn hóa", vec![]),
            ],
            vec![],
        );
        assert_eq!(lint(&p), vec![]);
    }

    #[test]
    fn target_numbers_are_counted_per_area() {
        let p = plan(
            vec![
                target("1.1", "Một", vec![]),
                target("2.1", "Hai", vec![]),
                target("2.1", "Ba", vec![]),
            ],
            vec![],
        );
        assert_eq!(
            codes_at(&lint(&p)),
            vec![(code::TARGET_NUMBER_REPEAT.into(), "II.2.1".into())]
        );
    }

    #[test]
    fn a_skipped_row_number_is_a_gap() {
        let p = plan(
            vec![],
            vec![section(
                "III",
                vec![simple_row(1), simple_row(3), simple_row(4)],
            )],
        );
        let mut p2 = p.clone();
        // Objectives, tasks and activities stay in sequence so that only the row gap remains.
        for (i, r) in p2.sections[0].parts[0].rows.iter_mut().enumerate() {
            renumber(r, i + 1);
        }
        let d = lint(&p2);
        assert_eq!(
            codes_at(&d),
            vec![(code::ROW_NUMBER_GAP.into(), "PL.III.3".into())]
        );
        assert_mentions(&d[0], "thiếu TT 2");
        // Without the renumbering every column skips 2.
        let d = lint(&p);
        assert!(has(&d, code::OBJECTIVE_NUMBER_GAP, "PL.III.3"));
        assert!(has(&d, code::TASK_NUMBER_GAP, "PL.III.3.2.3"));
        assert!(has(&d, code::ACTIVITY_NUMBER_GAP, "PL.III.3.3.3"));
    }

    #[test]
    fn rows_restart_in_each_part_and_a_repeated_objective_is_flagged() {
        let mut vii = section("VII", vec![]);
        vii.parts = vec![
            part(Some("A"), (1..=4).map(simple_row).collect()),
            part(
                Some("B"),
                vec![
                    simple_row(1),
                    simple_row(2),
                    simple_row(3),
                    simple_row(4),
                    row("5", "1.4", vec![task("2.5", vec![act("3.5")])]),
                ],
            ),
        ];
        let d = lint(&plan(vec![], vec![vii]));
        assert_eq!(
            codes_at(&d),
            vec![(code::OBJECTIVE_NUMBER_REPEAT.into(), "PL.VII.B.5".into())]
        );
        assert_mentions(&d[0], "PL.VII.B.4");
    }

    #[test]
    fn an_activity_code_met_twice_in_a_section_is_a_repeat_not_a_gap() {
        // Section I of the shared document: row 2 has 3.7 and 3.11, row 3 goes on with 3.8.
        let rows = vec![
            row("1", "1.1", vec![task("2.1", vec![act("3.1")])]),
            row("2", "1.2", vec![task("2.2", vec![act("3.2"), act("3.5")])]),
            row("3", "1.3", vec![task("2.3", vec![act("3.3")])]),
            row("4", "1.4", vec![task("2.4", vec![act("3.4"), act("3.5")])]),
        ];
        let d = lint(&plan(vec![], vec![section("I", rows)]));
        assert_eq!(
            codes_at(&d),
            vec![(code::ACTIVITY_NUMBER_REPEAT.into(), "PL.I.4.3.5".into())]
        );
        assert_mentions(&d[0], "PL.I.2.3.5");
    }

    #[test]
    fn task_and_activity_numbers_run_on_through_a_section() {
        // VII.B: tasks jump 2.5 → 2.9, activities 3.4 → 3.8 → 3.9.
        let rows = vec![
            row(
                "1",
                "1.1",
                vec![task("2.1", vec![act("3.1")]), task("2.2", vec![act("3.2")])],
            ),
            row("2", "1.2", vec![task("2.3", vec![act("3.3"), act("3.4")])]),
            row(
                "3",
                "1.3",
                vec![task("2.4", vec![act("3.8")]), task("2.5", vec![act("3.9")])],
            ),
            row("4", "1.4", vec![task("2.9", vec![act("3.10")])]),
        ];
        let d = lint(&plan(vec![], vec![section("VII", rows)]));
        assert_eq!(
            codes_at(&d),
            vec![
                (code::ACTIVITY_NUMBER_GAP.into(), "PL.VII.3.3.8".into()),
                (code::TASK_NUMBER_GAP.into(), "PL.VII.4.2.9".into()),
            ]
        );
        assert_mentions(&d[0], "thiếu 3.5, 3.6, 3.7");
        assert_mentions(&d[1], "thiếu 2.6, 2.7, 2.8");
    }

    #[test]
    fn a_part_that_goes_on_numbering_is_not_a_restart() {
        let mut s = section("IV", vec![]);
        s.parts = vec![
            part(Some("A"), vec![simple_row(1), simple_row(2)]),
            part(Some("B"), vec![simple_row(1)]),
        ];
        // Part B's row 1 carries objective 1.3, task 2.3 and activity 3.3: the section's numbering goes on.
        renumber(&mut s.parts[1].rows[0], 3);
        assert_eq!(lint(&plan(vec![], vec![s.clone()])), vec![]);
        // Going on from a later number leaves a gap.
        s.parts[1].rows[0].tasks[0].code = Some("2.4".into());
        assert_eq!(
            codes_at(&lint(&plan(vec![], vec![s]))),
            vec![(code::TASK_NUMBER_GAP.into(), "PL.IV.B.1.2.4".into())]
        );
    }

    #[test]
    fn targets_with_the_same_sentence_are_duplicates() {
        let text =
            "Có ít nhất 01 đơn vị sự nghiệp công lập tăng mức độ tự chủ so với năm trước liền kề.";
        let p = plan(
            vec![
                target("6.1", text, vec![]),
                target("6.2", "Tỷ lệ sắp xếp lại, xử lý nhà, đất thuộc thẩm quyền quản lý đạt trên 85%.", vec![]),
                // Same words, other spacing, case and punctuation.
                target("6.3", "Có ít nhất 01 đơn vị sự nghiệp  công lập tăng mức độ tự chủ, so với năm trước liền kề", vec![]),
            ],
            vec![],
        );
        let d = lint(&p);
        assert_eq!(
            codes_at(&d),
            vec![(code::DUPLICATE_TARGET.into(), "II.6.3".into())]
        );
        assert_eq!(d[0].message, "Chỉ tiêu 6.3 trùng nội dung với chỉ tiêu 6.1");
    }

    #[test]
    fn nearly_equal_targets_are_similar_and_distinct_ones_are_not() {
        let p = plan(
            vec![
                target("6.1", "Có ít nhất 01 đơn vị sự nghiệp công lập tăng mức độ tự chủ so với năm trước liền kề", vec![]),
                target("6.2", "Có ít nhất 01 đơn vị sự nghiệp công lập tăng mức độ tự chủ tài chính so với năm trước liền kề", vec![]),
                target("6.3", "100% đơn vị sự nghiệp công lập được giao quyền tự chủ tài chính theo Nghị định số 60/2021/NĐ-CP", vec![]),
                target("6.4", "100% cơ quan hành chính nhà nước được giao quyền tự chủ, tự chịu trách nhiệm theo Nghị định số 130/2005/NĐ-CP", vec![]),
            ],
            vec![],
        );
        assert_eq!(
            codes_at(&lint(&p)),
            vec![(code::SIMILAR_TARGETS.into(), "II.6.2".into())]
        );
    }

    #[test]
    fn an_activity_without_lead_output_or_deadline_is_flagged() {
        let mut a = act("3.1");
        a.lead.clear();
        a.outputs = Some("  ".into());
        a.deadline = None;
        let mut b = act("3.2");
        b.outputs = None;
        let d = lint(&one_task_plan("I", vec![a, b]));
        assert_eq!(
            codes_at(&d),
            vec![
                (code::MISSING_LEAD.into(), "PL.I.1.3.1".into()),
                (code::MISSING_OUTPUT.into(), "PL.I.1.3.1".into()),
                (code::MISSING_DEADLINE.into(), "PL.I.1.3.1".into()),
                (code::MISSING_OUTPUT.into(), "PL.I.1.3.2".into()),
            ]
        );
        assert!(
            d[0].message.starts_with("Hoạt động 3.1 (PL.I.1.3.1)"),
            "{}",
            d[0].message
        );
    }

    #[test]
    fn the_activity_id_is_the_location_once_assigned() {
        let mut a = act("3.1");
        a.lead.clear();
        let mut s = section("VII", vec![row("2", "1.2", vec![task("2.2", vec![a])])]);
        s.parts[0].code = Some("A".into());
        let mut p = plan(vec![], vec![s]);
        p.sections[0].parts[0].rows[0].no = "1".into();
        p.sections[0].parts[0].rows[0]
            .objective
            .as_mut()
            .unwrap()
            .code = Some("1.1".into());
        p.sections[0].parts[0].rows[0].tasks[0].code = Some("2.1".into());
        p.assign_ids();
        assert_eq!(
            codes_at(&lint(&p)),
            vec![(code::MISSING_LEAD.into(), "PL.VIIA.1.3.1".into())]
        );
    }

    fn with_deadline(
        text: &str,
        kind: DeadlineKind,
        start: Option<NaiveDate>,
        end: Option<NaiveDate>,
    ) -> Plan {
        let mut a = act("3.1");
        a.deadline = Some(Deadline {
            text: text.into(),
            kind,
            start,
            end,
        });
        one_task_plan("I", vec![a])
    }

    #[test]
    fn a_conditional_deadline_is_noted_as_not_computable() {
        let d = lint(&with_deadline(
            "Khi có chỉ đạo của tỉnh",
            DeadlineKind::Conditional,
            None,
            None,
        ));
        assert_eq!(
            codes_at(&d),
            vec![(code::CONDITIONAL_DEADLINE.into(), "PL.I.1.3.1".into())]
        );
        assert_eq!(d[0].severity, Severity::Info);
        assert_mentions(&d[0], "không tính được hạn");
        // Recurring deadlines have no date by nature: nothing to say.
        assert_eq!(
            lint(&with_deadline(
                "Thường xuyên",
                DeadlineKind::Recurring,
                None,
                None
            )),
            vec![]
        );
        // A period whose dates were not read is a problem of its own.
        let d = lint(&with_deadline(
            "Quý V/2024",
            DeadlineKind::Period,
            None,
            None,
        ));
        assert_eq!(
            codes_at(&d),
            vec![(code::UNCOMPUTABLE_DEADLINE.into(), "PL.I.1.3.1".into())]
        );
    }

    #[test]
    fn a_deadline_outside_the_plan_year_is_flagged() {
        let d = lint(&with_deadline(
            "Trước 15/01/2025",
            DeadlineKind::Date,
            None,
            Some(date(2025, 1, 15)),
        ));
        assert_eq!(
            codes_at(&d),
            vec![(code::DEADLINE_OUTSIDE_YEAR.into(), "PL.I.1.3.1".into())]
        );
        let d = lint(&with_deadline(
            "Quý IV/2023 - Quý I/2024",
            DeadlineKind::Period,
            Some(date(2023, 10, 1)),
            Some(date(2024, 3, 31)),
        ));
        assert_eq!(count(&d, code::DEADLINE_OUTSIDE_YEAR), 1);
        let d = lint(&with_deadline(
            "Quý II, III/2024",
            DeadlineKind::Period,
            Some(date(2024, 4, 1)),
            Some(date(2024, 9, 30)),
        ));
        assert_eq!(d, vec![]);
    }

    #[test]
    fn an_unresolved_phrase_is_reported_once_per_activity() {
        let mut a = act("3.1");
        a.lead
            .push(UnitRef::unresolved("Thành viên Đoàn kiểm tra CCHC huyện"));
        a.coordinators
            .push(UnitRef::unresolved("các ngân hàng trên địa bàn"));
        a.coordinators
            .push(UnitRef::unresolved("Các ngân hàng trên địa bàn"));
        let mut b = act("3.2");
        b.coordinators
            .push(UnitRef::unresolved("các ngân hàng trên địa bàn"));
        let d = lint(&one_task_plan("I", vec![a, b]));
        assert_eq!(
            codes_at(&d),
            vec![
                (code::UNRESOLVED_UNIT.into(), "PL.I.1.3.1".into()),
                (code::UNRESOLVED_UNIT.into(), "PL.I.1.3.1".into()),
                (code::UNRESOLVED_UNIT.into(), "PL.I.1.3.2".into()),
            ]
        );
        assert_mentions(&d[0], "«Thành viên Đoàn kiểm tra CCHC huyện» (chủ trì)");
        assert_mentions(&d[1], "(phối hợp)");
    }

    #[test]
    fn related_units_as_coordinator_or_lead_are_vague() {
        let mut a = act("3.1");
        a.coordinators = vec![UnitRef::group(GroupId::Related, "các cơ quan liên quan")];
        let mut b = act("3.2");
        b.lead = vec![UnitRef::group(GroupId::Related, "Các cơ quan liên quan")];
        b.coordinators = vec![UnitRef::unit(
            UnitId::parse("phong-vhtt").unwrap(),
            "Phòng Văn hóa-TT",
        )];
        let d = lint(&one_task_plan("VII", vec![a, b]));
        assert_eq!(
            codes_at(&d),
            vec![
                (code::VAGUE_COORDINATOR.into(), "PL.VII.1.3.1".into()),
                (code::VAGUE_LEAD.into(), "PL.VII.1.3.2".into()),
            ]
        );
        assert_mentions(&d[0], "«các cơ quan liên quan»");
    }

    #[test]
    fn findings_come_in_document_order() {
        let mut a = act("3.1");
        a.outputs = None;
        let p = plan(
            vec![target("1.2", "Có sáng kiến", vec![])],
            vec![
                section(
                    "I",
                    vec![row("1", "1.1", vec![task("2.1", vec![a])]), simple_row(3)],
                ),
                section(
                    "II",
                    vec![row(
                        "1",
                        "1.1",
                        vec![task("2.1", vec![act("3.1")]), task("2.1", vec![act("3.2")])],
                    )],
                ),
            ],
        );
        let locs: Vec<String> = lint(&p).into_iter().map(|d| d.location).collect();
        assert_eq!(
            locs,
            vec![
                "II.1.2",
                "PL.I.1.3.1",
                "PL.I.3",
                "PL.I.3",
                "PL.I.3.2.3",
                "PL.I.3.3.3",
                "PL.II.1.2.1"
            ]
        );
    }

    // --- thresholds -------------------------------------------------------------------------

    #[test]
    fn thresholds_for_the_same_level_that_differ_disagree() {
        // Target 5.2 against appendix V row 1.
        let t = [pct(95.0, Some("cấp huyện")), pct(85.0, Some("cấp xã"))];
        let o = [
            pct(100.0, Some("cán bộ, công chức huyện")),
            pct(95.0, Some("cấp xã")),
        ];
        let d = disagreements(&t, &o);
        assert_eq!(d.len(), 2);
        assert_eq!((d[0].0.value, d[0].1.value), (95.0, 100.0));
        assert_eq!((d[1].0.value, d[1].1.value), (85.0, 95.0));
    }

    #[test]
    fn parallel_lists_without_scopes_are_compared_in_order() {
        let t = [pct(95.0, None), pct(85.0, None)];
        let o = [pct(100.0, None), pct(95.0, None)];
        // 95 of the appendix is the target's first value, not its second: only the value at the
        // same place of an unscoped list counts, and 95 is found in the target, so it agrees.
        let d = disagreements(&t, &o);
        assert_eq!(d.len(), 1);
        assert_eq!((d[0].0.value, d[0].1.value), (95.0, 100.0));
    }

    #[test]
    fn the_same_threshold_in_other_words_agrees() {
        // Target 2.2 "Phân đầu từ 95%" and appendix II row 2 "Tối thiểu 95 %".
        let mut from = pct(95.0, None);
        from.op = MeasureOp::Eq;
        assert!(disagreements(&[from], &[pct(95.0, None)]).is_empty());
    }

    #[test]
    fn a_threshold_the_appendix_leaves_out_or_adds_is_not_a_disagreement() {
        // Target 1.3 (35% and 100%) against appendix I row 4 (35% only).
        assert!(disagreements(&[pct(35.0, None), pct(100.0, None)], &[pct(35.0, None)]).is_empty());
        // Target 3.4 (100%) against appendix III row 3 (100%, cut 20% and 20%).
        let cut = Measure {
            unit: MeasureUnit::PercentReduction,
            ..pct(20.0, None)
        };
        assert!(
            disagreements(&[pct(100.0, None)], &[pct(100.0, None), cut.clone(), cut]).is_empty()
        );
        // A different unit is a different threshold.
        let count = Measure {
            unit: MeasureUnit::Count,
            ..pct(1.0, None)
        };
        assert!(disagreements(&[pct(100.0, None)], &[count]).is_empty());
        // Different levels are not compared.
        assert!(disagreements(
            &[pct(80.0, Some("cấp huyện"))],
            &[pct(75.0, Some("cấp xã"))]
        )
        .is_empty());
    }

    #[test]
    fn a_commune_scope_is_not_confused_with_society() {
        let m = pct(1.0, Some("tổ chức chính trị - xã hội"));
        assert!(matches!(scope_of(&m), Some(Scope::Other(_))));
        assert_eq!(
            scope_of(&pct(1.0, Some("UBND các xã, thị trấn"))),
            Some(Scope::Commune)
        );
    }

    /// The real texts of the shared document, part II and appendix, for matching.
    fn area_plan() -> Plan {
        let targets = vec![
            target("2.1", "Phân đầu từ 100% văn bản QPPL của HĐND, UBND huyện được tự kiểm tra và kiểm tra theo thẩm quyền 100% văn bản quy phạm pháp luật trên địa bàn.", vec![pct(100.0, None), pct(100.0, None)]),
            target("2.2", "Phân đầu từ 95% văn bản QPPL của HĐND, UBND huyện được sửa đổi, bổ sung hoặc thay thế theo kết quả rà soát.", vec![pct(90.0, None)]),
            target("2.3", "Phân đầu từ 90% văn bản QPPL của Trung ương, của tỉnh, của huyện được tổ chức thực hiện kịp thời, hiệu quả.", vec![pct(90.0, None)]),
            target("3.1", "Tiếp tục triển khai thực hiện số hóa kết quả giải quyết TTHC thuộc thẩm quyền giải quyết của UBND cấp huyện, cấp xã đạt tỷ lệ tối thiểu tương ứng: cấp huyện 80%, cấp xã 75% số hồ sơ tiếp nhận.", vec![pct(80.0, Some("cấp huyện")), pct(75.0, Some("cấp xã"))]),
            target("5.2", "95% cán bộ, công chức cấp huyện; 85% cán bộ, công chức cấp xã có trình độ đại học trở lên và được chuẩn hoá về lý luận chính trị, chuyên môn, nghiệp vụ, kỹ năng làm việc (trừ các chức danh có quy định khác của cơ quan có thẩm quyền).", vec![pct(95.0, Some("cấp huyện")), pct(85.0, Some("cấp xã"))]),
            target("7.4", "95% hồ sơ công việc tại cấp huyện và 60% hồ sơ công việc tại cấp xã được xác lập trên môi trường mạng (trừ hồ sơ công việc thuộc phạm vi bí mật nhà nước).", vec![pct(95.0, Some("cấp huyện")), pct(60.0, Some("cấp xã"))]),
        ];
        let obj = |no: &str, code: &str, text: &str| Row {
            no: no.into(),
            objective: Some(Objective {
                code: Some(code.into()),
                text: text.into(),
            }),
            tasks: vec![],
        };
        let sections = vec![
            section("I", vec![]),
            section("II", vec![
                obj("1", "1.1", "Phần đầu từ 100% văn bản QPPL của HĐND, UBND huyện được tự kiểm tra và kiểm tra theo thẩm quyền 100% văn bản quy phạm pháp luật trên địa bàn"),
                obj("2", "1.2", "Tối thiểu 95 % văn bản QPPL của HĐND, UBND huyện được rà soát để sửa đổi, bổ sung hoặc thay thế cho phù hợp với quy định"),
                obj("3", "1.3", "Phân đầu đảm bảo tối thiểu 90% văn bản QPPL của Trung ương, của tỉnh được tổ chức thực hiện kịp thời, hiệu quả"),
            ]),
            section("III", vec![
                obj("4", "1.3", "100% TTHC được niêm yết công khai sau khi UBND tỉnh công bố TTHC liên quan"),
                obj("5", "1.4", "Tiếp tục triển khai thực hiện số hóa kết quả giải quyết thủ tục hành chính thuộc thẩm quyền giải quyết của UBND cấp huyện, cấp xã đạt tỷ lệ tối thiểu tương ứng: cấp huyện 80%, cấp xã 75% số hồ sơ tiếp nhận"),
            ]),
            section("IV", vec![]),
            section("V", vec![
                obj("1", "1.1", "100% cán bộ, công chức huyện, 95% cán bộ, công chức cấp xã có trình độ đại học trở lên và được chuẩn hoá về lý luận chính trị, chuyên môn, nghiệp vụ, kỹ năng làm việc (trừ các chức danh có quy định khác của cơ quan có thẩm quyền)"),
                obj("3", "1.3", "Thực hiện tinh giản biên chế theo quy định"),
            ]),
            section("VI", vec![]),
            section("VII", vec![
                obj("1", "1.1", "100% cơ quan, đơn vị duy trì, cải tiến hệ thống đáp ứng yêu cầu TCVN ISO 9001:2015"),
                obj("4", "1.4", "Nâng cao năng lực bảo đảm an toàn thông tin trong các cơ quan nhà nước"),
            ]),
        ];
        plan(targets, sections)
    }

    /// Thresholds of the appendix objectives above, as the importer's reader would give them.
    fn objective_measures(text: &str) -> Vec<Measure> {
        let f = fold(text);
        if f.starts_with("phan dau tu 100%") {
            vec![pct(100.0, None), pct(100.0, None)]
        } else if f.starts_with("toi thieu 95 %") {
            vec![pct(95.0, None)]
        } else if f.starts_with("phan dau dam bao") {
            vec![pct(90.0, None)]
        } else if f.starts_with("100% tthc") || f.starts_with("100% co quan") {
            vec![pct(100.0, None)]
        } else if f.starts_with("tiep tuc trien khai") {
            vec![pct(80.0, Some("cấp huyện")), pct(75.0, Some("cấp xã"))]
        } else if f.starts_with("100% can bo") {
            vec![
                pct(100.0, Some("cán bộ, công chức huyện")),
                pct(95.0, Some("cấp xã")),
            ]
        } else {
            vec![]
        }
    }

    #[test]
    fn with_the_real_reader_only_the_civil_service_target_disagrees() {
        let mut p = area_plan();
        for t in &mut p.targets {
            t.measures = crate::measure::parse_measures(&t.text);
        }
        let d = lint(&p);
        let mismatches: Vec<&Diagnostic> = d
            .iter()
            .filter(|x| x.code == code::TARGET_THRESHOLD_MISMATCH)
            .collect();
        assert_eq!(mismatches.len(), 1, "{mismatches:#?}");
        assert_eq!(mismatches[0].location, "II.5.2");
        assert!(
            mismatches[0].message.contains("95%") && mismatches[0].message.contains("100%"),
            "{}",
            mismatches[0].message
        );
    }

    #[test]
    fn targets_are_matched_to_the_appendix_objective_on_their_subject() {
        let p = area_plan();
        let tb =
            |code: &str| subject_bigrams(&p.targets.iter().find(|t| t.code == code).unwrap().text);
        let ob = |s: usize, r: usize| {
            subject_bigrams(
                &p.sections[s].parts[0].rows[r]
                    .objective
                    .as_ref()
                    .unwrap()
                    .text,
            )
        };
        let score = |a: &HashSet<String>, b: &HashSet<String>| subject_score(a, b).unwrap_or(0.0);
        // Each of the three look-alike targets of area 2 is closest to its own row.
        for (i, code) in ["2.1", "2.2", "2.3"].into_iter().enumerate() {
            let own = score(&tb(code), &ob(1, i));
            assert!(own > 0.0, "{code} does not match its row");
            for other in (0..3).filter(|&j| j != i) {
                assert!(
                    own > score(&tb(code), &ob(1, other)),
                    "{code} is closer to row {}",
                    other + 1
                );
            }
        }
        // "TTHC" and "thủ tục hành chính" are one subject.
        assert!(subject_score(&tb("3.1"), &ob(2, 1)).is_some());
        assert!(subject_score(&tb("3.1"), &ob(2, 0)).is_none());
        // Target 7.4 has no objective in the appendix; the ISO and security rows are other subjects.
        assert!(subject_score(&tb("7.4"), &ob(6, 0)).is_none());
        assert!(subject_score(&tb("7.4"), &ob(6, 1)).is_none());
    }

    #[test]
    fn a_target_whose_appendix_threshold_differs_is_flagged() {
        let d = lint_with(&area_plan(), &objective_measures);
        // 2.2 was given 90% above against the appendix's 95%; 5.2 is the real case. 2.1, 2.3
        // and 3.1 state the appendix's thresholds, and 7.4 has no objective to compare with.
        let mismatches: Vec<&str> = d
            .iter()
            .filter(|x| x.code == code::TARGET_THRESHOLD_MISMATCH)
            .map(|x| x.location.as_str())
            .collect();
        assert_eq!(mismatches, vec!["II.2.2", "II.5.2"]);
        // Without the objectives' thresholds there is nothing to compare.
        assert_eq!(
            count(
                &lint_with(&area_plan(), &|_: &str| Vec::new()),
                code::TARGET_THRESHOLD_MISMATCH
            ),
            0
        );
        let m = &d
            .iter()
            .find(|x| x.code == code::TARGET_THRESHOLD_MISMATCH && x.location == "II.5.2")
            .unwrap()
            .message;
        assert!(m.contains("mục tiêu 1.1 (PL.V.1)"), "{m}");
        assert!(
            m.contains("cấp huyện: ≥ 95% ở chỉ tiêu, cán bộ, công chức huyện: ≥ 100% ở phụ lục"),
            "{m}"
        );
        assert!(
            m.contains("cấp xã: ≥ 85% ở chỉ tiêu, cấp xã: ≥ 95% ở phụ lục"),
            "{m}"
        );
    }
}
