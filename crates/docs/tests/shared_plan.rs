//! The plan matrix workbook of the real Đức Thọ 2024 decision, read back.

mod common;

use cchc_docs::{
    plan_matrix_xlsx, MATRIX_HEADER_ROW, SHEET_DIAGNOSTICS, SHEET_MATRIX, SHEET_TARGETS,
};
use cchc_domain::plan::Plan;
use cchc_domain::unit::Registry;
use common::Book;

fn shared(path: &str) -> String {
    let p = format!("{}/../../../shared/{path}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{p}: {e}"))
}

fn duc_tho() -> (Plan, Registry) {
    let units =
        cchc_ingest::units_csv::read_units_csv(shared("data/duc-tho-2024/units.csv").as_bytes())
            .unwrap_or_else(|e| panic!("registry: {e:?}"));
    let registry = Registry::new(units);
    let plan = cchc_ingest::decision::parse_decision(
        &shared("plan-documents/duc-tho-2024-qd60.txt"),
        &registry,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    (plan, registry)
}

#[test]
fn the_shared_plan_gives_one_row_per_activity_in_document_order() {
    let (plan, registry) = duc_tho();
    let mut book = Book::open(plan_matrix_xlsx(&plan, &registry).unwrap());
    let s = book.sheet(SHEET_MATRIX);
    assert_eq!(
        s.text(0, 0),
        "KHUNG NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH TRỌNG TÂM NĂM 2024"
    );
    assert_eq!(
        s.text(1, 0),
        "(Kèm theo Quyết định số 60/QĐ-UBND ngày 11/01/2024)"
    );

    let keys: Vec<String> = (MATRIX_HEADER_ROW + 1..=s.last_row())
        .map(|r| s.text(r, 9))
        .filter(|k| !k.is_empty())
        .collect();
    let ids: Vec<String> = plan.activities().map(|a| a.activity.id.clone()).collect();
    assert_eq!(keys, ids);

    // Seven sections and the two parts of VII are merged heading rows.
    let headings: Vec<String> = s
        .merged
        .iter()
        .filter(|d| d.start.0 > MATRIX_HEADER_ROW)
        .map(|d| s.text(d.start.0, 0))
        .collect();
    assert_eq!(
        headings,
        vec!["I", "II", "III", "IV", "V", "VI", "VII", "A", "B"]
    );

    let first = MATRIX_HEADER_ROW + 2;
    assert_eq!(s.text(first, 0), "1");
    assert!(s
        .text(first, 1)
        .starts_with("1.1. Nâng cao chất lượng công tác chỉ đạo điều hành"));
    assert_eq!(
        s.text(first, 2),
        "2.1. Ban hành khai Kế hoạch CCHC năm 2024 của huyện"
    );
    assert_eq!(
        s.text(first, 3),
        "3.1. Xây dựng dự thảo văn bản đề xuất mục tiêu, nhiệm vụ"
    );
    assert_eq!(s.text(first, 5), "Phòng Nội vụ");
    assert_eq!(s.text(first, 7), "Trước 15/01/2024");
    assert_eq!(s.text(first, 9), "I.1.3.1");
    assert_eq!(s.text(first, 10), "15/01/2024");
}

#[test]
fn the_shared_plan_targets_and_diagnostics_are_all_listed() {
    let (plan, registry) = duc_tho();
    let mut book = Book::open(plan_matrix_xlsx(&plan, &registry).unwrap());
    let t = book.sheet(SHEET_TARGETS);
    assert_eq!(t.last_row() as usize, plan.targets.len());
    let row_5_2 = (1..=t.last_row())
        .find(|&r| t.text(r, 1) == "5.2")
        .expect("target 5.2");
    assert_eq!(t.text(row_5_2, 3), "cấp huyện: ≥ 95%; cấp xã: ≥ 85%");

    let d = book.sheet(SHEET_DIAGNOSTICS);
    assert_eq!(d.last_row() as usize, plan.diagnostics.len());
    assert!(
        (1..=d.last_row()).any(|r| d.text(r, 1) == "duplicate-target" && d.text(r, 3) == "II.6.6")
    );
}
