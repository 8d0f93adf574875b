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
