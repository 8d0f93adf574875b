//! The periodic report's document model, built from hand-made input.

use cchc_docs::docx::{write_docx, Block, OfficialDocument, Run};
use cchc_docs::report::*;
use chrono::NaiveDate;

fn input() -> PeriodicReportInput {
    let ev = EvidenceRef {
        number: "112/KH-UBND".into(),
        date: NaiveDate::from_ymd_opt(2024, 3, 12),
        issuer: "UBND huyện Đức Thọ".into(),
        title: "kiểm tra CCHC năm 2024".into(),
    };
    PeriodicReportInput {
        issuer_parent: Some("UBND tỉnh Hà Tĩnh".into()),
        issuer: "UBND huyện Đức Thọ".into(),
        place: "Đức Thọ".into(),
        year: 2024,
        period_label: "quý II năm 2024".into(),
        plan_ref: "Quyết định số 60/QĐ-UBND ngày 11/01/2024 của UBND huyện Đức Thọ".into(),
        areas: vec![
            AreaReport {
                no: 1,
                title: "Công tác chỉ đạo, điều hành".into(),
                done: vec![DoneActivity {
                    activity: "I.1.1".into(),
                    text: "Ban hành kế hoạch kiểm tra CCHC".into(),
                    unit: "Phòng Nội vụ".into(),
                    note: "Đã ban hành đúng hạn".into(),
                    evidence: vec![ev.clone()],
                    late: false,
                    lead: true,
                }],
                late: vec![LateActivity {
                    activity: "I.2.1".into(),
                    text: "Kiểm tra CCHC tại các xã".into(),
                    unit: "Phòng Nội vụ".into(),
                    deadline: "Quý II/2024".into(),
                    status: "Đang thực hiện".into(),
                    overdue: true,
                    reason: "Thiếu nhân lực do trùng lịch bầu cử".into(),
                    lead: true,
                }],
                proposals: vec![UnitText {
                    unit: "Phòng Nội vụ".into(),
                    text: "Bổ sung kinh phí kiểm tra".into(),
                }],
                ..Default::default()
            },
            AreaReport {
                no: 3,
                title: "Cải cách thủ tục hành chính".into(),
                targets: vec![TargetFigures {
                    code: "3.1".into(),
                    text: "Số hóa kết quả giải quyết TTHC".into(),
                    figures: vec![Figure {
                        scope: "Cấp xã".into(),
                        label: "Tỷ lệ số hóa kết quả giải quyết TTHC".into(),
                        value: "78,10% (781/1.000)".into(),
                        threshold: "≥ 80%".into(),
                        status: "Chưa đạt".into(),
                    }],
                }],
                ..Default::default()
            },
        ],
        activities: vec![
            ActivityStatusRow {
                activity: "I.1.1".into(),
                number: "3.1".into(),
                text: "Ban hành kế hoạch kiểm tra CCHC".into(),
                task: "1. Kiểm tra công tác CCHC".into(),
                deadline: "Quý I/2024".into(),
                area: 1,
                units: vec![
                    us("Phòng Nội vụ", true, "Hoàn thành"),
                    us("Xã Tùng Ảnh", false, NOT_REPORTED),
                ],
                lead: "Phòng Nội vụ".into(),
            },
            ActivityStatusRow {
                activity: "I.2.1".into(),
                number: String::new(),
                text: "Kiểm tra CCHC tại các xã".into(),
                task: "1. Kiểm tra công tác CCHC".into(),
                deadline: "Quý II/2024".into(),
                area: 1,
                units: vec![us("Phòng Nội vụ", true, "Đang thực hiện")],
                lead: "Phòng Nội vụ".into(),
            },
            ActivityStatusRow {
                activity: "VII.1.1".into(),
                number: String::new(),
                text: "Duy trì ISO".into(),
                task: String::new(),
                deadline: "Quý IV/2024".into(),
                area: 7,
                units: vec![],
                lead: "Văn phòng HĐND và UBND huyện".into(),
            },
        ],
        timeliness: vec![
            TimelinessRow {
                unit: "Phòng Nội vụ".into(),
                timeliness: Timeliness::OnTime,
                submitted: NaiveDate::from_ymd_opt(2024, 7, 5),
                state: "Đã chấp nhận".into(),
            },
            TimelinessRow {
                unit: "Xã Tùng Ảnh".into(),
                timeliness: Timeliness::Missing,
                submitted: None,
                state: "".into(),
            },
            TimelinessRow {
                unit: "Xã Hòa Lạc".into(),
                timeliness: Timeliness::Late,
                submitted: NaiveDate::from_ymd_opt(2024, 7, 25),
                state: "Đã gửi".into(),
            },
        ],
        signer_name: String::new(),
    }
}

fn us(unit: &str, lead: bool, status: &str) -> UnitStatus {
    UnitStatus {
        unit: unit.into(),
        group: if unit.starts_with("Xã") {
            "xã, thị trấn".into()
        } else {
            "cơ quan, đơn vị cấp huyện".into()
        },
        lead,
        status: status.into(),
    }
}

fn text_of(runs: &[Run]) -> String {
    runs.iter().map(|r| r.text.as_str()).collect()
}

fn all_text(doc: &OfficialDocument) -> String {
    let mut s = String::new();
    for b in &doc.body {
        match b {
            Block::Heading { text, .. } => s.push_str(text),
            Block::Paragraph(r) | Block::Bullet(r) | Block::Centered(r) => s.push_str(&text_of(r)),
            _ => {}
        }
        s.push('\n');
    }
    s
}

fn headings(doc: &OfficialDocument, level: u8) -> Vec<String> {
    doc.body
        .iter()
        .filter_map(|b| match b {
            Block::Heading { level: l, text } if *l == level => Some(text.clone()),
            _ => None,
        })
        .collect()
}

#[test]
fn header_title_recipients_and_signer_follow_decree_30() {
    let doc = build_periodic_report(&input());
    // A People's Committee heads its report alone, its name on two lines (Decree 30/2020).
    assert_eq!(doc.issuer, "Ủy ban nhân dân\nhuyện Đức Thọ");
    assert_eq!(doc.issuer_parent, None);
    assert!(doc.number.ends_with("/BC-UBND"));
    assert!(doc.place_date.starts_with("Đức Thọ, ngày"));
    assert!(doc.place_date.ends_with("năm 2024"));
    assert_eq!(
        doc.title,
        "Kết quả thực hiện công tác cải cách hành chính\nquý II năm 2024"
    );
    assert_eq!(
        doc.recipients.first().map(String::as_str),
        Some("Sở Nội vụ")
    );
    assert_eq!(
        doc.recipients.last().map(String::as_str),
        Some("Lưu: VT, NV.")
    );
    assert_eq!(doc.signer.title, "KT. Chủ tịch\nPhó Chủ tịch");
    assert!(doc.signer.name.is_empty(), "the name is left for signing");
}

#[test]
fn each_area_has_its_parts_and_targets_only_where_it_has_some() {
    let doc = build_periodic_report(&input());
    assert_eq!(
        headings(&doc, 2),
        vec![
            "1. Công tác chỉ đạo, điều hành",
            "3. Cải cách thủ tục hành chính"
        ]
    );
    let h4 = headings(&doc, 4);
    // Area 1 has no targets: a) done, b) late, c) proposals; area 3: a), b) targets, c), d).
    assert_eq!(h4[0], "a) Kết quả đạt được");
    assert!(h4[1].starts_with("b) Nhiệm vụ chậm tiến độ"));
    assert_eq!(h4[2], "c) Đề xuất, kiến nghị");
    assert_eq!(h4[4], "b) Kết quả thực hiện các chỉ tiêu");
    assert_eq!(h4[6], "d) Đề xuất, kiến nghị");
}

#[test]
fn evidence_is_cited_by_number_and_date_and_figures_against_thresholds() {
    let text = all_text(&build_periodic_report(&input()));
    assert!(text.contains(
        "Phòng Nội vụ (chủ trì) hoàn thành: đã ban hành đúng hạn (số 112/KH-UBND ngày 12/03/2024); \
         đơn vị phối hợp: 0/1 xã, thị trấn hoàn thành, 1 chưa báo cáo."
    ));
    assert!(text.contains("78,10% (781/1.000) (chỉ tiêu ≥ 80%) — Chưa đạt"));
    assert!(text.contains(
        "Phòng Nội vụ (chủ trì) đang thực hiện, đã quá hạn. Khó khăn, nguyên nhân: \
         “Thiếu nhân lực do trùng lịch bầu cử”."
    ));
    assert!(text.contains("Phòng Nội vụ: Bổ sung kinh phí kiểm tra."));
    // Counts in the summary agree with the tables.
    assert!(text.contains("01 đơn vị gửi đúng hạn"));
    assert!(text.contains("01 đơn vị gửi trễ hạn"));
    assert!(text.contains("01 đơn vị chưa gửi"));
    assert!(text.contains("hoàn thành 1/3 lượt nhiệm vụ"));
    assert!(
        text.contains("1/2 hoạt động đến hạn trong kỳ đã được đơn vị chủ trì báo cáo hoàn thành")
    );
}

#[test]
fn other_bodies_keep_their_name_and_parent_in_the_header() {
    let mut input = input();
    input.issuer = "Phòng Nội vụ".into();
    input.issuer_parent = Some("UBND huyện Đức Thọ".into());
    let doc = build_periodic_report(&input);
    assert_eq!(doc.issuer, "Phòng Nội vụ");
    assert_eq!(doc.issuer_parent.as_deref(), Some("UBND huyện Đức Thọ"));
    assert_eq!(
        issuer_heading("UBND tỉnh Hà Tĩnh").as_deref(),
        Some("Ủy ban nhân dân\ntỉnh Hà Tĩnh")
    );
}

#[test]
fn a_sent_report_not_yet_accepted_is_told_from_one_not_sent() {
    let mut input = input();
    input.activities[0]
        .units
        .push(us("Xã Hòa Lạc", false, NOT_ACCEPTED));
    let doc = build_periodic_report(&input);
    let Block::Table(t) = &doc.appendices[0].body[0] else {
        panic!("appendix I is a table")
    };
    assert_eq!(
        text_of(&t.rows[1][5].runs),
        "Xã, thị trấn: 1 đã gửi nhưng chưa được tiếp nhận, 1 chưa báo cáo"
    );
    let text = all_text(&doc);
    assert!(
        text.contains(
            "0/2 xã, thị trấn hoàn thành, 1 đã gửi nhưng chưa được tiếp nhận, 1 chưa báo cáo"
        ),
        "{text}"
    );
}

#[test]
fn appendix_one_has_a_row_per_activity_and_appendix_two_totals() {
    let doc = build_periodic_report(&input());
    assert_eq!(doc.appendices.len(), 2);
    let Block::Table(t) = &doc.appendices[0].body[0] else {
        panic!("appendix I is a table")
    };
    // The task once above its two activities (a row across the table), then one row per
    // activity; the third activity has no task, so no row of its own.
    assert_eq!(t.rows.len(), 4);
    let cells = |r: usize| -> Vec<String> { t.rows[r].iter().map(|c| text_of(&c.runs)).collect() };
    assert_eq!(cells(0), ["Nhiệm vụ: 1. Kiểm tra công tác CCHC"]);
    assert_eq!(t.rows[0][0].col_span, 6);
    assert_eq!(cells(1)[4], "Phòng Nội vụ: hoàn thành");
    assert_eq!(cells(1)[5], "Xã, thị trấn: 1 chưa báo cáo");
    assert_eq!(
        cells(3)[4],
        "Văn phòng HĐND và UBND huyện: không có đơn vị báo cáo trong danh mục"
    );
    // TT counts activities, not task rows.
    assert_eq!(cells(3)[0], "3");
    // The decision's number, the key under it; the key alone when there is no number.
    assert_eq!(cells(1)[1], "3.1\nI.1.1");
    assert_eq!(cells(2)[1], "I.2.1");
    let Block::Table(t) = &doc.appendices[1].body[0] else {
        panic!("appendix II is a table")
    };
    let total = t.rows.last().unwrap();
    let cells: Vec<String> = total.iter().map(|c| text_of(&c.runs)).collect();
    assert_eq!(cells[1..4], ["1", "1", "1"]);
}

/// Sixteen communes coordinating one activity: counted, not listed; the lead's documents
/// cited, a few of them; the communes' difficulties said once each.
#[test]
fn many_units_are_counted_and_their_difficulties_condensed() {
    let mut input = input();
    let communes: Vec<String> = (1..=16).map(|k| format!("Xã Số {k}")).collect();
    let mut units = vec![us("Văn phòng HĐND và UBND huyện", true, "Hoàn thành")];
    for (k, c) in communes.iter().enumerate() {
        let status = match k {
            0..=11 => "Hoàn thành",
            12..=14 => "Đang triển khai",
            _ => NOT_REPORTED,
        };
        units.push(us(c, false, status));
    }
    input.activities.push(ActivityStatusRow {
        activity: "III.1.1".into(),
        number: String::new(),
        text: "Rà soát, công khai TTHC".into(),
        task: String::new(),
        deadline: "Quý II/2024".into(),
        area: 3,
        units,
        lead: "Văn phòng HĐND và UBND huyện".into(),
    });
    let docs: Vec<EvidenceRef> = (1..=5)
        .map(|k| EvidenceRef {
            number: format!("{k}/KH-VP"),
            date: NaiveDate::from_ymd_opt(2024, 4, k),
            ..Default::default()
        })
        .collect();
    let area3 = &mut input.areas[1];
    area3.done.push(DoneActivity {
        activity: "III.1.1".into(),
        text: "Rà soát, công khai TTHC".into(),
        unit: "Văn phòng HĐND và UBND huyện".into(),
        evidence: docs,
        lead: true,
        ..Default::default()
    });
    for c in &communes[..12] {
        area3.done.push(DoneActivity {
            activity: "III.1.1".into(),
            text: "Rà soát, công khai TTHC".into(),
            unit: c.clone(),
            evidence: vec![EvidenceRef {
                number: format!("9/BC-UBND {c}"),
                ..Default::default()
            }],
            ..Default::default()
        });
    }
    let reasons = [
        "Thiếu nhân lực",
        "Thiếu nhân lực",
        "Thiếu kinh phí",
        "Chờ hướng dẫn",
    ];
    for (c, r) in communes[12..].iter().zip(reasons) {
        area3.late.push(LateActivity {
            activity: "III.1.1".into(),
            text: "Rà soát, công khai TTHC".into(),
            unit: c.clone(),
            deadline: "Quý II/2024".into(),
            status: "Đang triển khai".into(),
            reason: r.into(),
            ..Default::default()
        });
    }
    let doc = build_periodic_report(&input);
    let text = all_text(&doc);
    assert!(text.contains(
        "Rà soát, công khai TTHC. Văn phòng HĐND và UBND huyện (chủ trì) hoàn thành \
         (số 1/KH-VP ngày 01/04/2024, số 2/KH-VP ngày 02/04/2024, số 3/KH-VP ngày 03/04/2024 \
         và 2 văn bản khác); đơn vị phối hợp: 12/16 xã, thị trấn hoàn thành, \
         3 đang triển khai, 1 chưa báo cáo."
    ));
    // The communes' own documents are not cited in the body, nor the communes named.
    assert!(!text.contains("9/BC-UBND"));
    assert!(!text.contains("Xã Số 1"));
    assert!(text.contains(
        "Văn phòng HĐND và UBND huyện (chủ trì) hoàn thành; đơn vị phối hợp: 4/16 xã, thị trấn \
         chưa hoàn thành. Khó khăn, nguyên nhân: “Thiếu nhân lực” (2 đơn vị); “Thiếu kinh phí”; \
         … và 1 ý kiến khác."
    ));
    let Block::Table(t) = &doc.appendices[0].body[0] else {
        panic!("appendix I is a table")
    };
    let row = t
        .rows
        .iter()
        .find(|r| r.len() > 1 && text_of(&r[1].runs) == "III.1.1")
        .unwrap();
    assert_eq!(
        text_of(&row[5].runs),
        "Xã, thị trấn: 12 hoàn thành, 3 đang triển khai, 1 chưa báo cáo"
    );
}

#[test]
fn same_input_gives_the_same_bytes() {
    let a = write_docx(&build_periodic_report(&input())).unwrap();
    let b = write_docx(&build_periodic_report(&input())).unwrap();
    assert_eq!(a, b);
    let mut other = input();
    other.period_label = "6 tháng đầu năm 2024".into();
    assert_ne!(a, write_docx(&build_periodic_report(&other)).unwrap());
}
