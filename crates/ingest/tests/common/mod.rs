//! Shared helpers of the importer's integration tests.
#![allow(dead_code)]

use cchc_domain::diagnostic::Diagnostic;
use cchc_domain::plan::{Activity, Plan, RefTarget, Row, Section, UnitRef};
use cchc_domain::unit::Registry;

/// The shared reference document, read from `/work/shared` as the tests' source of truth.
pub fn shared(path: &str) -> String {
    let p = format!("{}/../../../shared/{path}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{p}: {e}"))
}

pub fn fixture(name: &str) -> String {
    let p = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{p}: {e}"))
}

pub fn registry_from(csv: &str) -> Registry {
    let units = cchc_ingest::units_csv::read_units_csv(csv.as_bytes())
        .unwrap_or_else(|e| panic!("registry: {e:?}"));
    Registry::new(units)
}

pub fn duc_tho_registry() -> Registry {
    registry_from(&shared("data/duc-tho-2024/units.csv"))
}

pub fn duc_tho_text() -> String {
    shared("plan-documents/duc-tho-2024-qd60.txt")
}

pub fn duc_tho() -> Plan {
    cchc_ingest::decision::parse_decision(&duc_tho_text(), &duc_tho_registry())
        .unwrap_or_else(|e| panic!("{e}"))
}

pub fn section<'a>(plan: &'a Plan, code: &str) -> &'a Section {
    plan.sections
        .iter()
        .find(|s| s.code == code)
        .unwrap_or_else(|| panic!("section {code}"))
}

/// The row numbered `no` of the section's part (`None` for the only part).
pub fn row<'a>(plan: &'a Plan, sec: &str, part: Option<&str>, no: &str) -> &'a Row {
    section(plan, sec)
        .parts
        .iter()
        .find(|p| p.code.as_deref() == part)
        .and_then(|p| p.rows.iter().find(|r| r.no == no))
        .unwrap_or_else(|| panic!("row {sec}{part:?}.{no}"))
}

pub fn activities(row: &Row) -> Vec<&Activity> {
    row.tasks.iter().flat_map(|t| t.activities.iter()).collect()
}

pub fn codes(acts: &[&Activity]) -> Vec<String> {
    acts.iter()
        .map(|a| a.code.clone().unwrap_or_default())
        .collect()
}

/// "unit:phong-noi-vu", "group:communes", "?Các cơ quan …" for compact assertions.
pub fn targets(refs: &[UnitRef]) -> Vec<String> {
    refs.iter()
        .map(|r| match &r.target {
            RefTarget::Unit(u) => format!("unit:{u}"),
            RefTarget::Group(g) => format!("group:{g}"),
            RefTarget::Unresolved(t) => format!("?{t}"),
        })
        .collect()
}

/// Diagnostic codes the importer itself raises (the lint's are someone else's contract).
pub const IMPORTER_CODES: &[&str] = &[
    "missing-date",
    "missing-title",
    "missing-targets",
    "missing-solutions",
    "guessed-continuation",
    "unplaced-text",
    "extra-cell",
    "guessed-line",
    "guessed-row",
    "guessed-objective",
    "unreadable-deadline",
    "missing-activity",
    "guessed-task",
    "missing-task",
];

/// The plan's diagnostics that the importer raised, leaving out the lint's.
pub fn importer_diagnostics(plan: &Plan) -> Vec<&Diagnostic> {
    plan.diagnostics
        .iter()
        .filter(|d| IMPORTER_CODES.contains(&d.code.as_str()))
        .collect()
}

/// A file of this repository (not of `/work/shared`), e.g. `data/duc-tho-2024/units.csv`.
pub fn repo_file(path: &str) -> String {
    let p = format!("{}/../../{path}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{p}: {e}"))
}

/// The proptest configuration of the fuzz properties: `ci_cases` cases, so that each file runs
/// in a few seconds in a debug build, unless `PROPTEST_CASES` asks for more (or fewer).
///
/// proptest reads `PROPTEST_CASES` only into `ProptestConfig::default()`; a literal
/// `ProptestConfig { cases: N, ..default() }` overrides it, so the variable is read here.
/// Run longer with e.g. `PROPTEST_CASES=5000 cargo test -p cchc-ingest --test fuzz_decision`.
pub fn fuzz_config(ci_cases: u32) -> proptest::test_runner::Config {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(ci_cases);
    proptest::test_runner::Config {
        cases,
        ..proptest::test_runner::Config::default()
    }
}

/// Lines of a text as the decision reader numbers them (CRLF, CR and LF each end a line).
pub fn line_count(text: &str) -> usize {
    text.replace("\r\n", "\n")
        .replace('\r', "\n")
        .split('\n')
        .count()
}

/// Whether a message shown to the user reads as Vietnamese and not as a raw Rust or English
/// error: not empty, has a Vietnamese letter, does not start with an English error word, and
/// carries no `Debug` formatting or panic text. `None` when it does; otherwise why not.
pub fn not_vietnamese(msg: &str) -> Option<&'static str> {
    const VI: &str = "ăâđêôơưáàảãạấầẩẫậắằẳẵặéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ";
    const ENGLISH_START: &[&str] = &[
        "invalid",
        "expected",
        "missing",
        "unknown",
        "eof",
        "error",
        "failed",
        "cannot",
        "could not",
        "unexpected",
        "trailing",
        "key must",
        "recursion",
        "io error",
        "csv error",
        "zip",
        "xml",
        "called `",
    ];
    const DEBUG: &[&str] = &[
        "Error {",
        "Error(",
        "{ kind:",
        "kind: ",
        "Some(",
        "Ok(",
        "Err(",
        "panicked",
        "RUST_BACKTRACE",
        "\\u{",
    ];
    if msg.trim().is_empty() {
        return Some("empty message");
    }
    // What the message quotes «…» is the input as written, which may hold any text: judge the
    // words around it.
    let unquoted = unquote(msg);
    let t = unquoted.trim();
    let lower = t.to_lowercase();
    if !lower.chars().any(|c| VI.contains(c)) {
        return Some("no Vietnamese letter");
    }
    if ENGLISH_START.iter().any(|w| lower.starts_with(w)) {
        return Some("starts with an English error word");
    }
    if DEBUG.iter().any(|d| t.contains(d)) {
        return Some("Debug formatting or panic text");
    }
    None
}

/// `msg` with every «quoted» part replaced by «…» (nested quotes included).
fn unquote(msg: &str) -> String {
    let mut out = String::with_capacity(msg.len());
    let mut depth = 0usize;
    for c in msg.chars() {
        match c {
            '«' => {
                if depth == 0 {
                    out.push_str("«…");
                }
                depth += 1;
            }
            '»' if depth > 0 => {
                depth -= 1;
                if depth == 0 {
                    out.push('»');
                }
            }
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

/// The line numbers named by a diagnostic's location ("dòng 12").
pub fn location_lines(location: &str) -> Vec<usize> {
    location
        .split("dòng ")
        .skip(1)
        .filter_map(|rest| {
            let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
            digits.parse().ok()
        })
        .collect()
}
