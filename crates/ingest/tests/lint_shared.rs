//! The lint on the real Đức Thọ 2024 decision: the flaws a reader finds by hand are found, at
//! their places, and nothing is said where the document is right.

use std::collections::HashSet;

use cchc_domain::diagnostic::{Diagnostic, Severity};
use cchc_domain::lint::{code, lint};
use cchc_domain::plan::Plan;
use cchc_domain::unit::Registry;

fn shared(path: &str) -> String {
    let p = format!("{}/../../../shared/{path}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{p}: {e}"))
}

fn duc_tho() -> Plan {
    let units =
        cchc_ingest::units_csv::read_units_csv(shared("data/duc-tho-2024/units.csv").as_bytes())
            .unwrap_or_else(|e| panic!("registry: {e:?}"));
    cchc_ingest::decision::parse_decision(
        &shared("plan-documents/duc-tho-2024-qd60.txt"),
        &Registry::new(units),
    )
    .unwrap_or_else(|e| panic!("{e}"))
}

fn at<'a>(d: &'a [Diagnostic], c: &str) -> Vec<&'a str> {
    d.iter()
        .filter(|x| x.code == c)
        .map(|x| x.location.as_str())
        .collect()
}

fn message<'a>(d: &'a [Diagnostic], c: &str, location: &str) -> &'a str {
    &d.iter()
        .find(|x| x.code == c && x.location == location)
        .unwrap_or_else(|| panic!("{c} at {location}"))
        .message
}

#[test]
fn the_importer_appends_the_lint_to_the_plan_diagnostics() {
    let plan = duc_tho();
    let found = lint(&plan);
    assert!(!found.is_empty());
    for d in &found {
        assert!(plan.diagnostics.contains(d), "missing from the plan: {d:?}");
    }
}

#[test]
fn the_missing_target_5_1_and_the_repeated_target_6_6_are_found() {
    let d = lint(&duc_tho());
    assert_eq!(at(&d, code::TARGET_NUMBER_GAP), vec!["II.5.2"]);
    assert!(message(&d, code::TARGET_NUMBER_GAP, "II.5.2").contains("thiếu 5.1"));
    assert!(at(&d, code::TARGET_NUMBER_REPEAT).is_empty());
    assert_eq!(at(&d, code::DUPLICATE_TARGET), vec!["II.6.6"]);
    assert_eq!(
        message(&d, code::DUPLICATE_TARGET, "II.6.6"),
        "Chỉ tiêu 6.6 trùng nội dung với chỉ tiêu 6.4"
    );
    assert!(at(&d, code::SIMILAR_TARGETS).is_empty());
}

#[test]
fn only_target_5_2_disagrees_with_its_appendix_objective() {
    // 5.2 says 95% (district) and 85% (commune); appendix V row 1 says 100% and 95%. Every
    // other target with a counterpart (1.2–1.3, 2.1–2.3, 3.1–3.7, 4.2, 6.1–6.6, 7.1) states the
    // appendix's own thresholds, in other words at most.
    let d = lint(&duc_tho());
    assert_eq!(at(&d, code::TARGET_THRESHOLD_MISMATCH), vec!["II.5.2"]);
    let m = message(&d, code::TARGET_THRESHOLD_MISMATCH, "II.5.2");
    assert!(m.contains("PL.V.1"), "{m}");
    assert!(
        m.contains("95%") && m.contains("100%") && m.contains("85%"),
        "{m}"
    );
}

#[test]
fn the_appendix_numbering_flaws_are_found_where_they_are() {
    let d = lint(&duc_tho());
    // Section III has rows 1, 3, 4 …
    assert_eq!(at(&d, code::ROW_NUMBER_GAP), vec!["PL.III.3"]);
    assert!(at(&d, code::ROW_NUMBER_REPEAT).is_empty());
    // VII.B has objective 1.4 twice, then jumps to 1.9.
    assert_eq!(at(&d, code::OBJECTIVE_NUMBER_REPEAT), vec!["PL.VII.B.5"]);
    assert_eq!(at(&d, code::OBJECTIVE_NUMBER_GAP), vec!["PL.VII.B.6"]);
    // Section I writes 3.11 in row 2 and again in row 4; VII.B jumps 3.4 → 3.8 and 2.5 → 2.9.
    assert_eq!(at(&d, code::ACTIVITY_NUMBER_REPEAT), vec!["PL.I.4.3.11"]);
    assert!(message(&d, code::ACTIVITY_NUMBER_REPEAT, "PL.I.4.3.11").contains("PL.I.2.3.11"));
    assert_eq!(at(&d, code::ACTIVITY_NUMBER_GAP), vec!["PL.VIIB.5.3.8"]);
    assert!(message(&d, code::ACTIVITY_NUMBER_GAP, "PL.VIIB.5.3.8").contains("thiếu 3.5, 3.6, 3.7"));
    assert_eq!(at(&d, code::TASK_NUMBER_GAP), vec!["PL.VII.B.6.2.9"]);
    assert!(at(&d, code::TASK_NUMBER_REPEAT).is_empty());
}

#[test]
fn every_activity_has_a_lead_an_output_and_a_deadline_in_2024_or_a_conditional_one() {
    let d = lint(&duc_tho());
    for c in [
        code::MISSING_LEAD,
        code::MISSING_OUTPUT,
        code::MISSING_DEADLINE,
        code::UNCOMPUTABLE_DEADLINE,
        code::DEADLINE_OUTSIDE_YEAR,
    ] {
        assert!(at(&d, c).is_empty(), "{c}: {:?}", at(&d, c));
    }
    assert_eq!(
        at(&d, code::CONDITIONAL_DEADLINE),
        vec!["PL.I.5.3.16", "PL.IV.1.3.3", "PL.IV.3.3.5", "PL.IV.3.3.6"]
    );
    assert!(d
        .iter()
        .filter(|x| x.code == code::CONDITIONAL_DEADLINE)
        .all(|x| x.severity == Severity::Info));
}

#[test]
fn vague_and_unresolved_units_are_named_once_per_activity() {
    let d = lint(&duc_tho());
    assert_eq!(at(&d, code::VAGUE_LEAD), vec!["PL.VIIA.4.3.6"]);
    assert!(at(&d, code::VAGUE_COORDINATOR).contains(&"PL.VIIA.1.3.1"));
    assert!(message(&d, code::UNRESOLVED_UNIT, "PL.I.4.3.15")
        .contains("«Thành viên Đoàn kiểm tra CCHC huyện» (chủ trì)"));
    assert!(d.iter().any(|x| x.code == code::UNRESOLVED_UNIT
        && x.location == "PL.III.7.3.7"
        && x.message.contains("«các ngân hàng trên địa bàn»")));
    let mut seen = HashSet::new();
    for x in d
        .iter()
        .filter(|x| x.code == code::UNRESOLVED_UNIT || x.code.starts_with("vague-"))
    {
        assert!(
            seen.insert((&x.code, &x.location, &x.message)),
            "said twice: {x:?}"
        );
    }
}
