//! The evaluation targets against the real Đức Thọ unit registry and plan.

mod common;

use cchc_domain::evaluation::registries::{inspection_coverage, inspection_scope, Inspection};
use cchc_domain::measure::MeasureOp;
use cchc_domain::service::TargetStatus;
use chrono::NaiveDate;
use common::*;

fn held(unit: &cchc_domain::UnitId, day: u32) -> Inspection {
    Inspection {
        unit: unit.clone(),
        planned: None,
        held: NaiveDate::from_ymd_opt(2024, 10, day),
        team: "Đoàn kiểm tra CCHC huyện".into(),
        content: "Kiểm tra công tác CCHC năm 2024".into(),
        minutes: Some("01/BB-ĐKT".into()),
        findings: String::new(),
        remediation: vec![],
    }
}

#[test]
fn target_1_3_counts_32_agencies_and_units_of_the_district() {
    let reg = duc_tho_registry();
    let scope = inspection_scope(&reg);
    // 12 offices, the public service centre, the culture and media centre, 2 schools, the
    // township and 15 communes; not the province, its department, the district committee, the
    // police or the Fatherland Front.
    assert_eq!(scope.len(), 32);
    let ids: Vec<&str> = scope.iter().map(|u| u.as_str()).collect();
    for out in [
        "ubnd-tinh",
        "so-noi-vu",
        "ubnd-huyen",
        "cong-an-huyen",
        "ubmttq-huyen",
    ] {
        assert!(!ids.contains(&out), "{out}");
    }
    // 11 of 32 = 34.375% < 35%; 12 of 32 = 37.5%.
    let eleven: Vec<Inspection> = scope[..11].iter().map(|u| held(u, 1)).collect();
    let f = inspection_coverage(&eleven, &scope, 2024);
    assert_eq!(
        (f.numerator, f.denominator, f.status),
        (11, Some(32), TargetStatus::NotMet)
    );
    assert!((f.value.unwrap() - 34.375).abs() < 1e-9);
    let twelve: Vec<Inspection> = scope[..12].iter().map(|u| held(u, 2)).collect();
    assert_eq!(
        inspection_coverage(&twelve, &scope, 2024).status,
        TargetStatus::Met
    );
}

#[test]
fn the_thresholds_used_are_those_the_plan_states() {
    // The figures' thresholds are fixed in code; they must stay those of the decision.
    let plan = duc_tho();
    let t = |code: &str| {
        plan.targets
            .iter()
            .find(|t| t.code == code)
            .unwrap_or_else(|| panic!("target {code}"))
    };
    let m13 = &t("1.3").measures[0];
    assert_eq!((m13.op, m13.value), (MeasureOp::Ge, 35.0));
    assert_eq!(t("1.2").measures[0].value, 1.0);
    assert_eq!(t("3.6").measures[0].value, 94.0);
    let m37 = &t("3.7").measures[0];
    assert_eq!((m37.value, m37.max), (2.0, Some(3.0)));
    let cuts: Vec<f64> = t("4.2").measures.iter().map(|m| m.value).collect();
    assert_eq!(cuts, [14.0, 15.0]);
}
