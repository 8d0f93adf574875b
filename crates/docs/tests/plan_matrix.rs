//! The plan matrix workbook, read back cell by cell from a hand-built plan.

mod common;

use cchc_docs::{
    plan_matrix_xlsx, MATRIX_HEADERS, MATRIX_HEADER_ROW, SHEET_DIAGNOSTICS, SHEET_MATRIX,
    SHEET_TARGETS,
};
use cchc_domain::deadline::{Deadline, DeadlineKind};
use cchc_domain::diagnostic::Diagnostic;
use cchc_domain::measure::{Measure, MeasureOp, MeasureUnit};
use cchc_domain::plan::*;
use cchc_domain::unit::{Registry, Unit, UnitId, UnitKind};
use cchc_domain::GroupId;
use chrono::NaiveDate;
use common::Book;

fn id(s: &str) -> UnitId {
    UnitId::parse(s).unwrap()
}

fn registry() -> Registry {
    Registry::new(vec![Unit {
        id: id("phong-noi-vu"),
        name: "Phòng Nội vụ".into(),
        kind: UnitKind::DistrictOffice,
        parent: None,
        aliases: vec![],
        source: "plan".into(),
    }])
}

fn activity(code: &str, text: &str, deadline: Deadline) -> Activity {
    Activity {
        id: String::new(),
        code: Some(code.into()),
        text: text.into(),
        outputs: Some("Kế hoạch".into()),
        lead: vec![UnitRef::unit(id("phong-noi-vu"), "Phòng Nội vụ")],
        coordinators: vec![
            UnitRef::group(GroupId::DistrictAgencies, "Các phòng, ban"),
            UnitRef::group(GroupId::Communes, "UBND các xã, thị trấn"),
        ],
        deadline: Some(deadline),
        funding: Some("Theo dự toán được cấp".into()),
    }
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// Two sections; the second has parts A and B. Four activities in all.
fn plan() -> Plan {
    let before = Deadline {
        text: "Trước 15/01/2024".into(),
        kind: DeadlineKind::Date,
        start: None,
        end: Some(day(2024, 1, 15)),
    };
    let quarters = Deadline {
        text: "Quý II, III/2024".into(),
        kind: DeadlineKind::Period,
        start: Some(day(2024, 4, 1)),
        end: Some(day(2024, 9, 30)),
    };
    let ongoing = Deadline {
        text: "Thường xuyên".into(),
        kind: DeadlineKind::Recurring,
        start: None,
        end: None,
    };
    let row = |no: &str, code: &str, text: &str, tasks: Vec<Task>| Row {
        no: no.into(),
        objective: Some(Objective {
            code: Some(code.into()),
            text: text.into(),
        }),
        tasks,
    };
    Plan {
        format: FORMAT.into(),
        decision: Decision {
            number: "60/QĐ-UBND".into(),
            date: Some(day(2024, 1, 11)),
            place: Some("Đức Thọ".into()),
            title: "Về việc ban hành Kế hoạch cải cách hành chính huyện Đức Thọ năm 2024".into(),
            signer: None,
            legal_basis: vec![],
            recipients: vec![],
        },
        year: 2024,
        owner: UnitRef::unit(id("ubnd-huyen"), "UBND huyện"),
        areas: vec![Area {
            no: 1,
            title: "Chỉ đạo điều hành CCHC".into(),
        }],
        targets: vec![Target {
            code: "1.3".into(),
            area: 1,
            text: "Tối thiểu 35% cơ quan, đơn vị được kiểm tra CCHC trong năm 2024".into(),
            measures: vec![Measure {
                op: MeasureOp::Ge,
                value: 35.0,
                max: None,
                unit: MeasureUnit::Percent,
                scope: None,
            }],
        }],
        solutions: vec![],
        sections: vec![
            Section {
                code: "I".into(),
                title: "CÔNG TÁC CHỈ ĐẠO ĐIỀU HÀNH CCHC".into(),
                parts: vec![Part {
                    code: None,
                    title: None,
                    rows: vec![row(
                        "1",
                        "1.1",
                        "Nâng cao chất lượng công tác chỉ đạo điều hành",
                        vec![Task {
                            code: Some("2.1".into()),
                            text: "Ban hành Kế hoạch CCHC năm 2024 của huyện".into(),
                            activities: vec![
                                activity(
                                    "3.1",
                                    "Xây dựng dự thảo văn bản đề xuất mục tiêu, nhiệm vụ",
                                    before.clone(),
                                ),
                                activity(
                                    "3.2",
                                    "Tổng hợp và xin ý kiến, hoàn thiện dự thảo",
                                    before,
                                ),
                            ],
                        }],
                    )],
                }],
            },
            Section {
                code: "VII".into(),
                title: "XÂY DỰNG VÀ PHÁT TRIỂN CHÍNH QUYỀN ĐIỆN TỬ, CHÍNH QUYỀN SỐ VÀ ÁP DỤNG ISO"
                    .into(),
                parts: vec![
                    Part {
                        code: Some("A".into()),
                        title: Some(
                            "Xây dựng và phát triển chính quyền điện tử, chính quyền số".into(),
                        ),
                        rows: vec![row(
                            "1",
                            "1.1",
                            "Phối hợp triển khai hệ thống hội nghị trực tuyến",
                            vec![Task {
                                code: Some("2.1".into()),
                                text: "Phối hợp triển khai hệ thống".into(),
                                activities: vec![activity("3.1", "Triển khai hệ thống", quarters)],
                            }],
                        )],
                    },
                    Part {
                        code: Some("B".into()),
                        title: Some("Áp dụng ISO 9001:2015 trong hoạt động của đơn vị".into()),
                        rows: vec![row(
                            "1",
                            "1.1",
                            "100% cơ quan, đơn vị duy trì, cải tiến hệ thống",
                            vec![Task {
                                code: Some("2.1".into()),
                                text: "Duy trì và cải tiến hệ thống".into(),
                                activities: vec![activity("3.1", "Áp dụng hệ thống", ongoing)],
                            }],
                        )],
                    },
                ],
            },
        ],
        commune_plans_due: None,
        diagnostics: vec![Diagnostic::warning(
            "duplicate-target",
            "Chỉ tiêu 6.6 trùng nội dung với chỉ tiêu 6.4",
            "II.6.6",
        )],
    }
}

fn book() -> Book {
    Book::open(plan_matrix_xlsx(&plan(), &registry()).expect("a workbook"))
}

#[test]
fn the_workbook_has_the_matrix_targets_and_diagnostics_sheets() {
    assert_eq!(
        book().sheet_names(),
        vec![SHEET_MATRIX, SHEET_TARGETS, SHEET_DIAGNOSTICS]
    );
}

#[test]
fn the_matrix_opens_with_the_title_the_decision_and_the_headers() {
    let s = book().sheet(SHEET_MATRIX);
    assert_eq!(
        s.text(0, 0),
        "KHUNG NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH TRỌNG TÂM NĂM 2024"
    );
    assert!(s.is_merged((0, 0), (0, 10)));
    assert_eq!(
        s.text(1, 0),
        "(Kèm theo Quyết định số 60/QĐ-UBND ngày 11/01/2024)"
    );
    let h = MATRIX_HEADER_ROW;
    assert_eq!(s.row(h, 11), MATRIX_HEADERS.map(String::from).to_vec());
    assert_eq!(s.text(h, 1), "Mục tiêu/Chỉ tiêu/Nội dung");
    assert_eq!(s.text(h, 10), "Hạn (từ–đến)");
}

#[test]
fn a_section_heading_is_a_merged_row_with_its_code() {
    let s = book().sheet(SHEET_MATRIX);
    let r = MATRIX_HEADER_ROW + 1;
    assert_eq!(s.text(r, 0), "I");
    assert_eq!(s.text(r, 1), "CÔNG TÁC CHỈ ĐẠO ĐIỀU HÀNH CCHC");
    assert!(s.is_merged((r, 1), (r, 10)));
    // Section VII comes after section I's two activities, then part A's heading.
    assert_eq!(s.text(r + 3, 0), "VII");
    assert!(s.is_merged((r + 3, 1), (r + 3, 10)));
    assert_eq!(s.text(r + 4, 0), "A");
    assert_eq!(
        s.text(r + 4, 1),
        "Xây dựng và phát triển chính quyền điện tử, chính quyền số"
    );
    assert!(s.is_merged((r + 4, 1), (r + 4, 10)));
}

#[test]
fn every_activity_is_one_row_with_its_row_objective_and_task_repeated() {
    let s = book().sheet(SHEET_MATRIX);
    let r = MATRIX_HEADER_ROW + 2;
    assert_eq!(
        s.row(r, 11),
        vec![
            "1",
            "1.1. Nâng cao chất lượng công tác chỉ đạo điều hành",
            "2.1. Ban hành Kế hoạch CCHC năm 2024 của huyện",
            "3.1. Xây dựng dự thảo văn bản đề xuất mục tiêu, nhiệm vụ",
            "Kế hoạch",
            "Phòng Nội vụ",
            "Các phòng, ban; UBND các xã, thị trấn",
            "Trước 15/01/2024",
            "Theo dự toán được cấp",
            "I.1.3.1",
            "15/01/2024",
        ]
    );
    // The second activity of the same task repeats TT, objective and task.
    assert_eq!(s.row(r + 1, 3)[..], s.row(r, 3)[..]);
    assert_eq!(s.text(r + 1, 9), "I.1.3.2");

    let keys: Vec<String> = (MATRIX_HEADER_ROW + 1..=s.last_row())
        .map(|row| s.text(row, 9))
        .filter(|k| !k.is_empty())
        .collect();
    let p = plan();
    assert_eq!(keys.len(), p.activities().count());
    assert_eq!(keys, vec!["I.1.3.1", "I.1.3.2", "VIIA.1.3.1", "VIIB.1.3.1"]);
}

#[test]
fn the_span_column_gives_the_dates_a_deadline_means() {
    let s = book().sheet(SHEET_MATRIX);
    let by_key = |key: &str| {
        (0..=s.last_row())
            .find(|&r| s.text(r, 9) == key)
            .map(|r| s.text(r, 10))
            .expect("the activity")
    };
    assert_eq!(by_key("VIIA.1.3.1"), "01/04/2024 – 30/09/2024");
    assert_eq!(by_key("VIIB.1.3.1"), "Thường xuyên");
}

#[test]
fn a_reference_without_words_takes_the_registry_name() {
    let mut p = plan();
    p.sections[0].parts[0].rows[0].tasks[0].activities[0].lead[0].text = String::new();
    let s = Book::open(plan_matrix_xlsx(&p, &registry()).unwrap()).sheet(SHEET_MATRIX);
    assert_eq!(s.text(MATRIX_HEADER_ROW + 2, 5), "Phòng Nội vụ");
}

#[test]
fn the_header_is_frozen_filtered_and_in_times_new_roman() {
    let b = book();
    let xml = b.part("xl/worksheets/sheet1.xml");
    assert!(
        xml.contains(r#"topLeftCell="A4""#) && xml.contains(r#"state="frozen""#),
        "{xml}"
    );
    // The autofilter runs from the header (row 3, 1-based) to the last activity row (row 11).
    assert!(xml.contains(r#"<autoFilter ref="A3:K11""#), "{xml}");
    let styles = b.part("xl/styles.xml");
    assert!(
        styles.contains(r#"<name val="Times New Roman"/>"#),
        "{styles}"
    );
    assert!(styles.contains(r#"wrapText="1""#), "{styles}");
}

#[test]
fn the_targets_sheet_lists_targets_with_their_thresholds() {
    let s = book().sheet(SHEET_TARGETS);
    assert_eq!(s.row(0, 4), vec!["Lĩnh vực", "Mã", "Nội dung", "Ngưỡng"]);
    assert_eq!(
        s.row(1, 4),
        vec![
            "1. Chỉ đạo điều hành CCHC",
            "1.3",
            "Tối thiểu 35% cơ quan, đơn vị được kiểm tra CCHC trong năm 2024",
            "≥ 35%",
        ]
    );
}

#[test]
fn the_diagnostics_sheet_lists_the_plan_diagnostics() {
    let s = book().sheet(SHEET_DIAGNOSTICS);
    assert_eq!(s.row(0, 4), vec!["Mức độ", "Mã", "Nội dung", "Vị trí"]);
    assert_eq!(
        s.row(1, 4),
        vec![
            "cảnh báo",
            "duplicate-target",
            "Chỉ tiêu 6.6 trùng nội dung với chỉ tiêu 6.4",
            "II.6.6"
        ]
    );
    assert_eq!(s.last_row(), 1);
}
