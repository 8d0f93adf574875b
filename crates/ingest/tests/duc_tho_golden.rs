//! Golden tests: the shared decision 60/QĐ-UBND (Đức Thọ 2024), pinned item by item.

mod common;

use cchc_domain::deadline::DeadlineKind;
use cchc_domain::measure::{MeasureOp, MeasureUnit};
use cchc_domain::plan::Plan;
use chrono::NaiveDate;
use common::*;
use unicode_normalization::UnicodeNormalization;

fn date(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d)
}

#[test]
fn decision_metadata_comes_through() {
    let plan = duc_tho();
    let d = &plan.decision;
    assert_eq!(plan.format, "cchc-plan/1");
    assert_eq!(d.number, "60/QĐ-UBND");
    assert_eq!(d.date, date(2024, 1, 11));
    assert_eq!(d.place.as_deref(), Some("Đức Thọ"));
    assert_eq!(
        d.title,
        "Về việc ban hành Kế hoạch cải cách hành chính huyện Đức Thọ năm 2024"
    );
    let signer = d.signer.as_ref().expect("signer");
    assert_eq!(
        (signer.title.as_str(), signer.name.as_str()),
        ("Chủ tịch", "Trần Hoài Đức")
    );
    assert_eq!(plan.year, 2024);
    assert_eq!(
        targets(std::slice::from_ref(&plan.owner)),
        ["unit:ubnd-huyen"]
    );
    assert_eq!(plan.owner.text, "Ủy ban nhân dân huyện Đức Thọ");

    assert_eq!(d.legal_basis.len(), 8);
    assert!(d.legal_basis[0]
        .starts_with("Luật Tổ chức Chính quyền địa phương ngày 19/6/2015; Luật sửa đổi"));
    assert!(d.legal_basis[0].ends_with("ngày 22/11/2019"));
    assert!(d.legal_basis[5].contains("3504/QĐ-UBND") && d.legal_basis[5].contains("3433/QĐ-UBND"));
    assert!(d.legal_basis[6]
        .starts_with("Thực hiện Kế hoạch cải cách hành chính nhà nước huyện Đức Thọ"));
    assert!(d.legal_basis[7].starts_with("Theo đề nghị của Trưởng phòng Nội vụ"));
    assert_eq!(
        d.recipients,
        [
            "Như Điều 2",
            "UBND tỉnh (B/C)",
            "Sở Nội vụ (B/c)",
            "TTr Huyện ủy, TTr HĐND huyện",
            "Chủ tịch, các PCT UBND huyện",
            "Ủy ban MTTQ và các đoàn thể cấp huyện",
            "Trung tâm HCC huyện",
            "Trung tâm Văn hóa – TT",
            "Lưu: VT, NV",
        ]
    );
}

#[test]
fn areas_targets_and_measures() {
    let plan = duc_tho();
    let titles: Vec<(u32, &str)> = plan
        .areas
        .iter()
        .map(|a| (a.no, a.title.as_str()))
        .collect();
    assert_eq!(
        titles,
        [
            (1, "Chỉ đạo điều hành CCHC"),
            (2, "Cải cách thể chế"),
            (3, "Cải cách thủ tục hành chính"),
            (4, "Cải cách tổ chức bộ máy"),
            (5, "Cải cách chế độ công vụ"),
            (6, "Cải cách tài chính công"),
            (
                7,
                "Xây dựng và phát triển chính quyền điện tử, chính quyền số"
            ),
        ]
    );
    let codes: Vec<&str> = plan.targets.iter().map(|t| t.code.as_str()).collect();
    assert_eq!(
        codes,
        [
            "1.1", "1.2", "1.3", "2.1", "2.2", "2.3", "3.1", "3.2", "3.3", "3.4", "3.5", "3.6",
            "3.7", "4.1", "4.2", "5.2", "6.1", "6.2", "6.3", "6.4", "6.5", "6.6", "7.1", "7.2",
            "7.3", "7.4"
        ]
    );
    assert!(plan
        .targets
        .iter()
        .all(|t| t.code.starts_with(&format!("{}.", t.area))));
    let measures: usize = plan.targets.iter().map(|t| t.measures.len()).sum();
    assert_eq!(measures, 36);
    assert!(
        plan.targets.iter().all(|t| !t.measures.is_empty()),
        "every target of this plan is quantified"
    );

    // A target cut by a blank line continues.
    let t41 = &plan.targets[13];
    assert!(
        t41.text
            .contains("kiện toàn cơ cấu tổ chức các đơn vị sự nghiệp thuộc thẩm quyền"),
        "{}",
        t41.text
    );
    assert!(t41
        .text
        .ends_with("sau khi được cấp có thẩm quyền phê duyệt."));
    // 6.4 and 6.6 are the same sentence, both kept.
    assert_eq!(plan.targets[19].text, plan.targets[21].text);
    // Measures with scopes.
    let t42 = &plan.targets[14].measures;
    assert_eq!(t42.len(), 2);
    assert_eq!(
        (t42[0].unit, t42[0].value, t42[0].scope.as_deref()),
        (MeasureUnit::Reduction, 14.0, Some("công chức"))
    );
    assert_eq!(
        (t42[1].unit, t42[1].value, t42[1].scope.as_deref()),
        (MeasureUnit::Reduction, 15.0, Some("viên chức"))
    );
    let t32 = &plan.targets[7].measures;
    assert_eq!(
        t32.iter().map(|m| m.value).collect::<Vec<_>>(),
        [100.0, 70.0, 90.0]
    );
    assert_eq!(t32[2].scope.as_deref(), Some("toàn trình"));
    let t37 = &plan.targets[12].measures[0];
    assert_eq!(
        (t37.op, t37.value, t37.max, t37.unit),
        (MeasureOp::Between, 2.0, Some(3.0), MeasureUnit::Count)
    );
    let t61 = &plan.targets[16].measures[0];
    assert_eq!((t61.unit, t61.value), (MeasureUnit::PercentReduction, 2.5));
    assert_eq!(plan.targets[20].measures[0].op, MeasureOp::Gt);
}

#[test]
fn solutions_by_area() {
    let plan = duc_tho();
    let per_area: Vec<usize> = (1..=7)
        .map(|a| plan.solutions.iter().filter(|s| s.area == a).count())
        .collect();
    assert_eq!(per_area, [7, 8, 6, 8, 5, 6, 13]);
    assert_eq!(plan.solutions.len(), 53);
    // Bullets cut by page breaks continue.
    assert!(plan.solutions.iter().any(|s| s
        .text
        .contains("Hiến pháp năm 2013, Luật Ban hành QPPL và các văn bản")));
    assert!(plan.solutions.iter().any(|s| s
        .text
        .contains("theo quy định tại Nghị định số 62/2020/NĐ-CP")));
    assert!(plan
        .solutions
        .iter()
        .any(|s| s.text.contains("thông suốt phục vụ hiệu quả các nhiệm vụ.")));
    // 7.2 (ISO) belongs to area 7.
    let last = plan.solutions.last().unwrap();
    assert_eq!(last.area, 7);
    assert!(last.text.starts_with("Quan tâm, bố trí nguồn kinh phí"));
}

#[test]
fn matrix_counts() {
    let plan = duc_tho();
    let codes: Vec<&str> = plan.sections.iter().map(|s| s.code.as_str()).collect();
    assert_eq!(codes, ["I", "II", "III", "IV", "V", "VI", "VII"]);
    // (parts, rows, objectives, tasks, activities) per section.
    let mut got = Vec::new();
    for s in &plan.sections {
        let rows: Vec<_> = s.parts.iter().flat_map(|p| p.rows.iter()).collect();
        let tasks: usize = rows.iter().map(|r| r.tasks.len()).sum();
        let acts: usize = rows.iter().map(|r| activities(r).len()).sum();
        let objs = rows.iter().filter(|r| r.objective.is_some()).count();
        got.push((s.parts.len(), rows.len(), objs, tasks, acts));
    }
    assert_eq!(
        got,
        [
            (1, 7, 7, 12, 19),
            (1, 3, 3, 3, 6),
            (1, 10, 10, 11, 15),
            (1, 3, 3, 6, 6),
            (1, 3, 3, 4, 4),
            (1, 4, 4, 6, 6),
            (2, 10, 10, 12, 12)
        ]
    );
    assert_eq!(plan.activities().count(), 68);
    // Every activity has a unique id, a deadline and a lead.
    let mut ids: Vec<&str> = plan.activities().map(|a| a.activity.id.as_str()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 68);
    assert!(plan
        .activities()
        .all(|a| a.activity.deadline.is_some() && !a.activity.lead.is_empty()));
    assert_eq!(
        section(&plan, "III").title,
        "CẢI CÁCH TTHC VÀ THỰC HIỆN CƠ CHẾ MỘT CỬA, MỘT CỬA LIÊN THÔNG"
    );
    // Row numbers as written (III has no row 2).
    let iii: Vec<&str> = section(&plan, "III").parts[0]
        .rows
        .iter()
        .map(|r| r.no.as_str())
        .collect();
    assert_eq!(iii, ["1", "3", "4", "5", "6", "7", "8", "9", "10", "11"]);
}

#[test]
fn section_i_row_4_five_activities_share_the_line() {
    let plan = duc_tho();
    let r = row(&plan, "I", None, "4");
    assert_eq!(r.objective.as_ref().unwrap().code.as_deref(), Some("1.4"));
    let acts = activities(r);
    assert_eq!(
        codes(&acts),
        ["3.10", "3.11", "3.12", "3.13", "3.14", "3.15"]
    );
    assert_eq!(r.tasks[0].activities.len(), 5);
    assert_eq!(
        acts[1].text,
        "Thông báo lịch kiểm tra và tiến hành kiểm tra tại các địa phương"
    );
    for a in &acts[..5] {
        assert_eq!(targets(&a.lead), ["unit:phong-noi-vu"]);
        assert_eq!(
            targets(&a.coordinators),
            [
                "?Các cơ quan chủ trì CCHC của huyện",
                "?các đơn vị được kiểm tra"
            ]
        );
        let d = a.deadline.as_ref().unwrap();
        assert_eq!(
            (d.text.as_str(), d.kind, d.start, d.end),
            (
                "Quý II, III/2024",
                DeadlineKind::Period,
                date(2024, 4, 1),
                date(2024, 9, 30)
            )
        );
        assert_eq!(a.funding.as_deref(), Some("Theo dự toán được cấp"));
        assert!(a
            .outputs
            .as_deref()
            .unwrap()
            .starts_with("Kế hoạch, Công văn, Báo cáo kết quả kiểm tra"));
    }
    // 3.15: its own cells, funding merged from the line above.
    let a = acts[5];
    assert_eq!(
        targets(&a.lead),
        ["unit:phong-noi-vu", "?Thành viên Đoàn kiểm tra CCHC huyện"]
    );
    assert_eq!(targets(&a.coordinators), ["group:all-units"]);
    assert_eq!(a.deadline.as_ref().unwrap().end, date(2024, 12, 31));
    assert_eq!(a.funding.as_deref(), Some("Theo dự toán được cấp"));
    assert_eq!(a.id, "I.4.3.15");
}

#[test]
fn section_i_merged_cells_and_page_breaks() {
    let plan = duc_tho();
    // Row 1, 3.5: empty lead and coordinators take the line above's; its own deadline.
    let acts = activities(row(&plan, "I", None, "1"));
    assert_eq!(codes(&acts), ["3.1", "3.2", "3.3", "3.4", "3.5", "3.6"]);
    let (a34, a35) = (acts[3], acts[4]);
    assert_eq!(targets(&a35.lead), ["unit:phong-vh-tt"]);
    assert_eq!(a35.coordinators, a34.coordinators);
    assert_eq!(
        targets(&a34.coordinators),
        ["group:related", "group:communes"]
    );
    assert_eq!(a34.coordinators[0].text, "Các phòng, ban, đơn vị liên quan");
    assert_eq!(a35.deadline.as_ref().unwrap().kind, DeadlineKind::Recurring);
    assert_eq!(a35.funding.as_deref(), Some("Theo dự toán được cấp"));
    assert_eq!(
        a35.outputs.as_deref(),
        Some("Các hình thức tuyên truyền đa dạng, phong phú")
    );
    assert_eq!(acts[0].deadline.as_ref().unwrap().end, date(2024, 1, 15));
    assert_eq!(acts[0].funding, None);
    // Row 2's "3.7 … 3.11 …" (numbering as written).
    assert_eq!(
        codes(&activities(row(&plan, "I", None, "2"))),
        ["3.7", "3.11"]
    );
    // Row 3: a lead with its role after the name.
    let a38 = activities(row(&plan, "I", None, "3"))[0];
    assert_eq!(targets(&a38.lead), ["unit:phong-noi-vu"]);
    assert_eq!(
        a38.lead[0].text,
        "Phòng Nội vụ chủ trì đối với nhân rộng mô hình hay"
    );
    // Row 6 is cut by a page break: task, activity and funding continue.
    let r6 = row(&plan, "I", None, "6");
    assert_eq!(r6.tasks.len(), 1);
    assert_eq!(
        r6.tasks[0].text,
        "Tổ chức tập huấn, bồi dưỡng về kiến thức, kỹ năng về CCHC cho cán bộ, công chức"
    );
    let a = &r6.tasks[0].activities[0];
    assert_eq!(
        a.text,
        "Phối hợp mở các lớp tập huấn, bồi dưỡng và cử đi tập huấn các lớp của tỉnh"
    );
    assert_eq!(a.funding.as_deref(), Some("Theo dự toán được cấp"));
    // Row 5: a conditional deadline.
    let a316 = activities(row(&plan, "I", None, "5"))[0];
    assert_eq!(
        a316.deadline.as_ref().unwrap().kind,
        DeadlineKind::Conditional
    );
    assert_eq!(
        targets(&a316.lead),
        ["unit:phong-noi-vu", "?Đoàn Kiểm tra", "?HĐĐ CCHC huyện"]
    );
}

#[test]
fn section_iii_p_tags_and_two_tasks_in_one_cell() {
    let plan = duc_tho();
    // Row 8: "tại Bộ" + "<p>phận Một cửa các cấp</p> <p>3.9. …</p> <p>3.10. …</p>".
    let acts = activities(row(&plan, "III", None, "8"));
    assert_eq!(codes(&acts), ["3.8", "3.9", "3.10"]);
    assert!(acts[0].text.ends_with(
        "nâng cao năng lực của công chức tiếp nhận và trả kết quả tại Bộ phận Một cửa các cấp"
    ));
    assert!(acts[2]
        .text
        .starts_with("Tổ chức các lớp tập huấn liên quan đến nhiệm vụ kiểm soát TTHC"));
    assert!(acts
        .iter()
        .all(|a| !a.text.contains('<') && a.outputs == acts[0].outputs));
    assert!(acts
        .iter()
        .all(|a| targets(&a.coordinators) == ["unit:trung-tam-hcc", "group:communes"]));
    // Row 9: two tasks in one cell, three activities, the row cut by a page break.
    let r9 = row(&plan, "III", None, "9");
    let o = r9.objective.as_ref().unwrap();
    assert!(o.text.starts_with("Tối thiểu 70% người dân"));
    assert!(o
        .text
        .contains("mà cơ quan nhà nước có thẩm quyền giải quyết thủ tục hành chính đang quản lý"));
    let tasks: Vec<(&str, usize)> = r9
        .tasks
        .iter()
        .map(|t| (t.code.as_deref().unwrap(), t.activities.len()))
        .collect();
    assert_eq!(tasks, [("2.8", 0), ("2.9", 3)]);
    assert_eq!(
        r9.tasks[0].text,
        "Tiếp tục đẩy mạnh số hóa hồ sơ, trả kết quả giải quyết TTHC"
    );
    let acts = activities(r9);
    assert_eq!(codes(&acts), ["3.11", "3.12", "3.13"]);
    assert_eq!(
        acts[2].text,
        "Thực hiện số hoá thành phần hồ sơ, kết quả giải quyết TTHC"
    );
    assert_eq!(
        targets(&acts[0].lead),
        [
            "unit:vp-hdnd-ubnd",
            "unit:phong-tu-phap",
            "unit:cong-an-huyen"
        ]
    );
    assert_eq!(
        acts[0].outputs.as_deref(),
        Some("- Chứng thực điện tử - Các dữ liệu dùng chung được kết nối, chia sẻ - Người dân được mở Tài khoản Danh tính số trên DVC QG - Thành phần HS được số hoá; Kết quả giải quyết TTH được số hoá.")
    );
    assert!(plan
        .diagnostics
        .iter()
        .any(|d| d.code == "guessed-task" && d.location == "PL.III.9.2.9"));
}

#[test]
fn section_iv_to_vi_continuations_and_inheritance() {
    let plan = duc_tho();
    let r = row(&plan, "IV", None, "1");
    assert_eq!(
        r.tasks[1].text,
        "Thực hiện sắp xếp, kiện toàn cơ cấu tổ chức các ĐVSN theo Đề án đã được phê duyệt"
    );
    let a = &r.tasks[1].activities[0];
    assert_eq!(
        a.text,
        "Ban hành Quyết định kiện toàn cơ cấu tổ chức các cơ quan, đơn vị."
    );
    assert_eq!(targets(&a.coordinators), ["group:public-service-units"]);
    assert_eq!(
        a.coordinators[0].text,
        "Các đơn vị sự nghiệp thuộc UBND huyện"
    );
    assert_eq!(
        targets(&activities(row(&plan, "IV", None, "3"))[0].lead),
        ["unit:phong-tc-kh"]
    );

    let v1 = row(&plan, "V", None, "1");
    assert!(v1
        .objective
        .as_ref()
        .unwrap()
        .text
        .contains("95% cán bộ, công chức cấp xã có trình độ đại học trở lên"));
    let a = activities(v1)[0];
    assert_eq!(
        a.text,
        "Xây dựng kế hoạch đào tạo, bồi dưỡng phù hợp với yêu cầu thực tiễn cho CBCC;"
    );
    assert_eq!(
        targets(&a.coordinators),
        ["group:district-agencies", "group:communes"]
    );

    // VI row 1: several objectives' paragraphs in one cell, two tasks paired with two activities.
    let r = row(&plan, "VI", None, "1");
    assert!(r
        .objective
        .as_ref()
        .unwrap()
        .text
        .ends_with("Nghị định số 117/2013/NĐ-CP của Chính phủ"));
    let pairs: Vec<(String, Vec<String>)> = r
        .tasks
        .iter()
        .map(|t| {
            (
                t.code.clone().unwrap(),
                t.activities
                    .iter()
                    .map(|a| a.code.clone().unwrap())
                    .collect(),
            )
        })
        .collect();
    assert_eq!(
        pairs,
        [
            ("2.1".to_string(), vec!["3.1".to_string()]),
            ("2.2".to_string(), vec!["3.2".to_string()])
        ]
    );
    let a = activities(r)[0];
    assert_eq!(targets(&a.lead), ["unit:phong-tc-kh"]);
    assert_eq!(a.lead[0].text, "UBND huyện (Phòng Tài chính - KH huyện)");
    assert_eq!(
        targets(&a.coordinators),
        [
            "group:public-service-units",
            "group:schools",
            "group:communes"
        ]
    );
    // VI row 2: the second line's empty cells take the first line's.
    let acts = activities(row(&plan, "VI", None, "2"));
    assert_eq!(codes(&acts), ["3.3", "3.4"]);
    assert_eq!(acts[1].lead, acts[0].lead);
    assert_eq!(acts[1].coordinators, acts[0].coordinators);
    assert_eq!(acts[1].deadline, acts[0].deadline);
    assert_eq!(acts[1].deadline.as_ref().unwrap().text, "Năm 2024");
    assert_eq!(acts[1].funding, None);
    // VI row 3: "… nhóm" + "3 so với năm trước liền kề" continues, though it starts with a digit.
    let r = row(&plan, "VI", None, "3");
    assert!(r
        .objective
        .as_ref()
        .unwrap()
        .text
        .ends_with("nhóm 3 so với năm trước liền kề"));
    assert!(r.tasks[0]
        .text
        .ends_with("giảm chi hỗ trợ trực tiếp từ ngân sách nhà nước"));
}

#[test]
fn section_vii_parts_a_and_b() {
    let plan = duc_tho();
    let vii = section(&plan, "VII");
    let parts: Vec<(Option<&str>, Option<&str>, usize)> = vii
        .parts
        .iter()
        .map(|p| (p.code.as_deref(), p.title.as_deref(), p.rows.len()))
        .collect();
    assert_eq!(
        parts,
        [
            (
                Some("A"),
                Some("Xây dựng và phát triển chính quyền điện tử, chính quyền số"),
                4
            ),
            (
                Some("B"),
                Some("Áp dụng ISO 9001:2015 trong hoạt động của đơn vị"),
                6
            ),
        ]
    );
    let a = activities(row(&plan, "VII", Some("A"), "1"))[0];
    assert_eq!(a.id, "VIIA.1.3.1");
    assert_eq!(a.funding.as_deref(), Some("Theo KH chuyển đổi số"));
    assert_eq!(
        targets(&a.coordinators),
        ["unit:phong-vh-tt", "group:related"]
    );
    let a = activities(row(&plan, "VII", Some("A"), "3"))[0];
    assert_eq!(
        targets(&a.lead),
        ["unit:phong-vh-tt", "unit:trung-tam-vh-tt"]
    );
    // B row 3 cut by a page break in five cells.
    let r = row(&plan, "VII", Some("B"), "3");
    assert!(r
        .objective
        .as_ref()
        .unwrap()
        .text
        .contains("Đậu Quang Lĩnh) và 02 trường tiêu học công lập"));
    assert_eq!(
        r.tasks[0].text,
        "Xây dựng mới hệ thống tại 02 trường THCS, 02 trường Tiểu học công lập"
    );
    let a = &r.tasks[0].activities[0];
    assert_eq!(
        a.outputs.as_deref(),
        Some("02 trường THCS, 02 trường Tiểu học công bố hệ thống phù hợp tiêu chuẩn")
    );
    assert_eq!(targets(&a.lead), ["group:schools"]);
    assert_eq!(targets(&a.coordinators), ["unit:vp-hdnd-ubnd"]);
    // B row 5: "(chủ trì, phối hợp kiểm tra)" does not split the lead.
    let r5 = row(&plan, "VII", Some("B"), "5");
    assert!(r5.tasks[0]
        .text
        .ends_with("theo yêu cầu TCVN ISO 9001:2015 và các quy định liên quan khác"));
    let a = &r5.tasks[0].activities[0];
    assert_eq!(targets(&a.lead), ["unit:vp-hdnd-ubnd"]);
    assert_eq!(a.deadline.as_ref().unwrap().start, date(2024, 4, 1));
    // The last row of the document.
    let last = plan.activities().last().unwrap();
    assert_eq!(last.activity.id, "VIIB.6.3.9");
    assert_eq!(last.activity.text, "Tổ chức các lớp tập huấn, đào tạo");
    assert_eq!(
        last.activity.funding.as_deref(),
        Some("Theo dự toán được cấp")
    );
    assert_eq!(
        targets(&last.activity.coordinators),
        ["group:all-units", "group:schools"]
    );
}

#[test]
fn importer_reports_only_the_guess_it_made() {
    let plan = duc_tho();
    let own = importer_diagnostics(&plan);
    assert_eq!(own.len(), 1, "{own:#?}");
    assert_eq!(own[0].code, "guessed-task");
}

#[test]
fn nfd_crlf_and_bom_variants_give_the_same_plan() {
    let text = duc_tho_text();
    let reg = duc_tho_registry();
    let parse = |t: &str| cchc_ingest::decision::parse_decision(t, &reg).unwrap();
    let base = parse(&text);
    let nfd: String = text.nfd().collect();
    assert_ne!(nfd, text);
    let crlf = text.replace('\n', "\r\n");
    let bom = format!("\u{feff}{text}");
    let all = format!("\u{feff}{}", nfd.replace('\n', "\r\n"));
    for variant in [nfd, crlf, bom, all] {
        assert_eq!(parse(&variant), base);
    }
}

#[test]
fn json_export_then_import_is_lossless() {
    let plan = duc_tho();
    let json = serde_json::to_string(&plan).unwrap();
    let back: Plan = cchc_ingest::plan_json::read_plan_json(&json).unwrap();
    assert_eq!(back, plan);
    let pretty = serde_json::to_string_pretty(&plan).unwrap();
    let via_file =
        cchc_ingest::plan_json::read_plan_file(pretty.as_bytes(), &duc_tho_registry()).unwrap();
    assert_eq!(via_file, plan);
}

#[test]
fn the_product_copy_is_the_shared_document() {
    let copy = std::fs::read_to_string(format!(
        "{}/../../data/duc-tho-2024/duc-tho-2024-qd60.txt",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    assert_eq!(copy, duc_tho_text());
}
