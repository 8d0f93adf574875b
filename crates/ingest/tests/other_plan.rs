//! A second plan in the same layout — a fictional Can Lộc 2025 decision with its own units,
//! numbering, page breaks, parts, markup, every deadline form and every measure form — so
//! that the importer is not a parser of one file.

mod common;

use cchc_domain::measure::{Measure, MeasureOp, MeasureUnit};
use cchc_domain::plan::Plan;
use common::*;

fn can_loc() -> Plan {
    let registry = registry_from(&fixture("units-can-loc.csv"));
    cchc_ingest::decision::parse_decision(&fixture("ke-hoach-khac.txt"), &registry)
        .unwrap_or_else(|e| panic!("{e}"))
}

/// One line per activity: where it sits and every field, for an exact comparison.
fn outline(plan: &Plan) -> Vec<String> {
    let mut out = Vec::new();
    for s in &plan.sections {
        for p in &s.parts {
            out.push(format!(
                "## {} {} | {:?} {:?}",
                s.code, s.title, p.code, p.title
            ));
            for r in &p.rows {
                let o = r
                    .objective
                    .as_ref()
                    .map(|o| format!("{}: {}", o.code.clone().unwrap_or_default(), o.text));
                out.push(format!("row {} [{}]", r.no, o.unwrap_or_default()));
                for t in &r.tasks {
                    out.push(format!(
                        "  task {}: {}",
                        t.code.clone().unwrap_or_default(),
                        t.text
                    ));
                    for a in &t.activities {
                        let d = a.deadline.as_ref().map(|d| {
                            format!("{} ({:?} {:?}..{:?})", d.text, d.kind, d.start, d.end)
                        });
                        out.push(format!(
                            "    {} {} | out={} | lead={} | coord={} | {} | {}",
                            a.id,
                            a.text,
                            a.outputs.clone().unwrap_or_default(),
                            targets(&a.lead).join("+"),
                            targets(&a.coordinators).join("+"),
                            d.unwrap_or_default(),
                            a.funding.clone().unwrap_or_default()
                        ));
                    }
                }
            }
        }
    }
    out
}

#[test]
fn decision_of_another_district_and_year() {
    let plan = can_loc();
    let d = &plan.decision;
    assert_eq!(d.number, "125/QĐ-UBND");
    assert_eq!(d.date, chrono::NaiveDate::from_ymd_opt(2025, 1, 8));
    assert_eq!(d.place.as_deref(), Some("Can Lộc"));
    assert_eq!(
        d.title,
        "Ban hành Kế hoạch cải cách hành chính huyện Can Lộc năm 2025"
    );
    let s = d.signer.as_ref().unwrap();
    assert_eq!(
        (s.title.as_str(), s.name.as_str()),
        ("Phó Chủ tịch", "Nguyễn Văn Bình")
    );
    assert_eq!(
        d.legal_basis,
        [
            "Luật Tổ chức Chính quyền địa phương ngày 19/6/2015",
            "Nghị quyết số 76/NQ-CP ngày 15/7/2021 của Chính phủ",
            "Quyết định số 4120/QĐ-UBND ngày 30/12/2024 của UBND tỉnh về Kế hoạch CCHC tỉnh năm 2025",
            "Thực hiện Kế hoạch số 512/KH-UBND ngày 20/12/2021 của UBND huyện",
            "Xét đề nghị của Trưởng phòng Nội vụ",
        ]
    );
    assert_eq!(
        d.recipients,
        [
            "Như Điều 2",
            "Sở Nội vụ (B/c)",
            "Thường trực Huyện ủy",
            "Lưu: VT, NV"
        ]
    );
    assert_eq!(plan.year, 2025);
    assert_eq!(
        targets(std::slice::from_ref(&plan.owner)),
        ["unit:ubnd-can-loc"]
    );
}

fn m(op: MeasureOp, value: f64, unit: MeasureUnit, scope: Option<&str>) -> Measure {
    Measure {
        op,
        value,
        max: None,
        unit,
        scope: scope.map(str::to_string),
    }
}

#[test]
fn targets_with_every_measure_form() {
    use MeasureOp::*;
    use MeasureUnit::*;
    let plan = can_loc();
    let areas: Vec<(u32, &str)> = plan
        .areas
        .iter()
        .map(|a| (a.no, a.title.as_str()))
        .collect();
    assert_eq!(
        areas,
        [
            (1, "Công tác chỉ đạo, điều hành"),
            (2, "Cải cách thủ tục hành chính"),
            (3, "Tổ chức bộ máy, công vụ và tài chính công")
        ]
    );
    let got: Vec<(&str, u32, &[Measure])> = plan
        .targets
        .iter()
        .map(|t| (t.code.as_str(), t.area, t.measures.as_slice()))
        .collect();
    let between = Measure {
        op: Between,
        value: 3.0,
        max: Some(5.0),
        unit: Count,
        scope: None,
    };
    let want: Vec<(&str, u32, Vec<Measure>)> = vec![
        ("1.1", 1, vec![m(Ge, 40.0, Percent, None)]),
        ("1.3", 1, vec![m(Ge, 2.0, Count, None), between]),
        (
            "2.1",
            2,
            vec![
                m(Ge, 85.0, Percent, Some("cấp huyện")),
                m(Ge, 80.0, Percent, Some("cấp xã")),
            ],
        ),
        (
            "2.2",
            2,
            vec![
                m(Ge, 75.0, Percent, None),
                m(Ge, 60.0, Percent, Some("toàn trình")),
                m(Le, 1.0, Percent, None),
            ],
        ),
        ("2.3", 2, vec![m(Gt, 90.0, Percent, None)]),
        (
            "3.1",
            3,
            vec![
                m(Ge, 8.0, Reduction, Some("công chức")),
                m(Ge, 10.0, Reduction, Some("viên chức")),
            ],
        ),
        (
            "3.2",
            3,
            vec![
                m(Ge, 90.0, Percent, Some("cấp huyện")),
                m(Ge, 80.0, Percent, Some("cấp xã")),
                m(Ge, 3.5, PercentReduction, None),
            ],
        ),
    ];
    assert_eq!(got.len(), want.len());
    for ((code, area, ms), (wc, wa, wm)) in got.iter().zip(&want) {
        assert_eq!((*code, *area), (*wc, *wa));
        assert_eq!(ms.to_vec(), *wm, "target {code}");
    }
    // A target cut by a blank line continues, and the span of years is no threshold.
    assert!(plan.targets[2]
        .text
        .ends_with("cấp xã 80% số hồ sơ tiếp nhận trong giai đoạn 2021-2030."));
}

#[test]
fn solutions_with_sub_headings_and_page_breaks() {
    let plan = can_loc();
    let got: Vec<(u32, &str)> = plan
        .solutions
        .iter()
        .map(|s| (s.area, s.text.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            (1, "Kiện toàn Ban chỉ đạo CCHC huyện."),
            (1, "Tăng cường kiểm tra đột xuất việc thực hiện kỷ luật, kỷ cương hành chính tại các cơ quan, đơn vị, địa phương."),
            (2, "Rà soát, đơn giản hóa TTHC nội bộ."),
            (2, "Nâng cao chất lượng Trung tâm HCC huyện."),
            (2, "Đẩy mạnh thanh toán trực tuyến."),
            (3, "Thực hiện tinh giản biên chế theo lộ trình."),
        ]
    );
}

#[test]
fn matrix_imports_exactly() {
    let plan = can_loc();
    let want = [
        "## I CHỈ ĐẠO, ĐIỀU HÀNH | None None",
        "row 1 [1.1: Ban hành kế hoạch CCHC năm 2025]",
        "  task 2.1: Xây dựng kế hoạch",
        "    I.1.3.1 Dự thảo kế hoạch | out=Kế hoạch | lead=unit:noi-vu | coord=group:district-agencies+group:communes | Trước 20/01/2025 (Date None..Some(2025-01-20)) | Theo dự toán được cấp",
        "    I.1.3.2 Trình ban hành kế hoạch | out=Kế hoạch | lead=unit:noi-vu | coord=group:district-agencies+group:communes | Trước 20/01/2025 (Date None..Some(2025-01-20)) | Theo dự toán được cấp",
        "    I.1.3.3 Phổ biến kế hoạch | out=Công văn | lead=unit:noi-vu | coord=group:district-agencies+group:communes | trước ngày 15/02/2025 (Date None..Some(2025-02-15)) | Theo dự toán được cấp",
        "  task 2.2: Báo cáo định kỳ",
        "    I.1.3.4 Báo cáo quý | out=Báo cáo | lead=unit:noi-vu | coord=group:all-units | hằng quý (Recurring None..None) | Theo dự toán được cấp",
        "row 2 [1.2: Kiểm tra CCHC tại tối thiểu 40% cơ quan, đơn vị]",
        "  task 2.3: Tổ chức kiểm tra CCHC",
        "    I.2.3.5 Ban hành kế hoạch kiểm tra và tổ chức kiểm tra tại 05 xã | out=Kế hoạch, biên bản | lead=unit:noi-vu+group:communes | coord=unit:van-phong | Quý II, III/2025 (Period Some(2025-04-01)..Some(2025-09-30)) | Theo dự toán được cấp",
        "row 3 [1.3: Thẩm định chỉ số CCHC]",
        "  task 2.4: Thẩm định",
        "    I.3.3.6 Họp hội đồng thẩm định | out=Biên bản | lead=unit:noi-vu | coord=?Ban Tuyên giáo Huyện ủy | Theo kế hoạch thẩm định hằng năm (Conditional None..None) | ",
        "## II CẢI CÁCH THỦ TỤC HÀNH CHÍNH | Some(\"A\") Some(\"Kiểm soát thủ tục hành chính\")",
        "row 1 [1.1: Rà soát 100% TTHC nội bộ]",
        "  task 2.1: Rà soát TTHC nội bộ",
        "    IIA.1.3.1 Lập danh mục TTHC nội bộ | out=Danh mục | lead=unit:van-phong | coord=unit:tu-phap+unit:cong-an | Quý I/2025 (Period Some(2025-01-01)..Some(2025-03-31)) | ",
        "  task 2.2: Công bố TTHC nội bộ",
        "    IIA.1.3.2 Trình công bố danh mục | out=Danh mục | lead=unit:van-phong | coord=unit:tu-phap+unit:cong-an | Quý I/2025 (Period Some(2025-01-01)..Some(2025-03-31)) | ",
        "row 2 [1.2: Niêm yết công khai TTHC]",
        "  task 2.3: Cập nhật niêm yết",
        "    IIA.2.3.3 Niêm yết tại Trung tâm HCC | out=Bảng niêm yết | lead=unit:van-phong | coord=unit:hcc-can-loc+group:communes | Tháng 03/2025 (Period Some(2025-03-01)..Some(2025-03-31)) | ",
        "    IIA.2.3.4 Kiểm tra việc niêm yết | out=Biên bản | lead=unit:van-phong | coord=unit:hcc-can-loc+group:communes | Quý I, II năm 2025 (Period Some(2025-01-01)..Some(2025-06-30)) | ",
        "## II CẢI CÁCH THỦ TỤC HÀNH CHÍNH | Some(\"B\") Some(\"Cơ chế một cửa, một cửa liên thông\")",
        "row 1 [1.1: Nâng cao tỷ lệ hồ sơ trực tuyến]",
        "  task 2.1: Hướng dẫn nộp hồ sơ trực tuyến",
        "    IIB.1.3.1 Tập huấn cho công chức một cửa | out=Lớp tập huấn | lead=unit:hcc-can-loc | coord=group:communes | Quý I-IV năm 2025 (Period Some(2025-01-01)..Some(2025-12-31)) | Theo dự toán được cấp",
        "    IIB.1.3.2 Tuyên truyền trên Cổng thông tin | out=Tin bài | lead=unit:hcc-can-loc | coord=group:communes | Quý II-IV năm 2025 (Period Some(2025-04-01)..Some(2025-12-31)) | Theo dự toán được cấp",
        "  task 2.2: Thanh toán trực tuyến",
        "    IIB.1.3.3 Phối hợp ngân hàng | out=Văn bản | lead=unit:tai-chinh | coord=?Các ngân hàng trên địa bàn | Quý III (Period Some(2025-07-01)..Some(2025-09-30)) | Theo dự toán được cấp",
        "## III TỔ CHỨC BỘ MÁY, CÔNG VỤ VÀ TÀI CHÍNH CÔNG | None None",
        "row 1 [1.1: Sắp xếp đơn vị hành chính cấp xã]",
        "  task 2.1: Xây dựng đề án sắp xếp",
        "    III.1.3.1 Lập hồ sơ đề án | out=Đề án | lead=unit:noi-vu | coord=unit:tt-nghen+unit:xa-thien-loc | Khi có chỉ đạo của tỉnh (Conditional None..None) | ",
        "row 2 [1.2: Giảm 8 biên chế công chức]",
        "  task 2.2: Thực hiện tinh giản biên chế",
        "    III.2.3.2 Rà soát đối tượng tinh giản | out=Danh sách | lead=unit:noi-vu | coord=group:public-service-units | Theo lộ trình đề án được phê duyệt (Conditional None..None) | ",
        "    III.2.3.3 Báo cáo kết quả tinh giản | out=Báo cáo | lead=unit:noi-vu | coord=group:public-service-units | Năm 2025 (Period Some(2025-01-01)..Some(2025-12-31)) | ",
        "row 3 [1.3: Tự chủ tài chính]",
        "  task 2.3: Giao tự chủ",
        "    III.3.3.4 Thẩm định phương án tự chủ | out=Quyết định | lead=unit:tai-chinh | coord=unit:thcs-hong-loc | Sau Tết Nguyên đán (Conditional None..None) | ",
        "    III.3.3.5 Đánh giá hằng năm | out=Báo cáo | lead=unit:tai-chinh | coord=unit:thcs-hong-loc | Hằng năm (Recurring None..None) | Theo dự toán được cấp",
        "    III.3.3.6 Theo dõi thường xuyên | out=Báo cáo | lead=unit:tai-chinh | coord=unit:thcs-hong-loc | Thường xuyên (Recurring None..None) | Theo dự toán được cấp",
    ];
    let got = outline(&plan);
    for (g, w) in got.iter().zip(want.iter()) {
        assert_eq!(g, w);
    }
    assert_eq!(got.len(), want.len());
    // A lead with its role keeps every source word.
    let a = plan.activity("I.3.3.6").unwrap().activity;
    assert_eq!(
        a.lead[0].text,
        "Phòng Nội vụ chủ trì, phối hợp với Tổ thẩm định"
    );
    assert_eq!(
        plan.activity("I.2.3.5").unwrap().activity.lead[1].text,
        "UBND các xã, thị trấn"
    );
}

#[test]
fn only_the_unreadable_deadline_is_reported_by_the_importer() {
    let plan = can_loc();
    let own = importer_diagnostics(&plan);
    assert_eq!(own.len(), 1, "{own:#?}");
    assert_eq!(own[0].code, "unreadable-deadline");
    assert!(own[0].message.contains("Sau Tết Nguyên đán"));
    assert!(own[0].location.starts_with("dòng "));
}

#[test]
fn json_round_trip_of_the_other_plan() {
    let plan = can_loc();
    let json = serde_json::to_string(&plan).unwrap();
    assert_eq!(cchc_ingest::plan_json::read_plan_json(&json).unwrap(), plan);
}
