//! Input that is not a plan, plan JSON, and the unit registry CSV: located Vietnamese errors.

mod common;

use cchc_domain::unit::UnitKind;
use cchc_ingest::decision::parse_decision;
use cchc_ingest::plan_json::{read_plan_file, read_plan_json};
use cchc_ingest::units_csv::read_units_csv;
use cchc_ingest::ImportError;
use common::*;

#[test]
fn empty_and_binary_files_are_rejected() {
    let reg = duc_tho_registry();
    assert_eq!(parse_decision("", &reg), Err(ImportError::Empty));
    assert_eq!(
        parse_decision(" \n\r\n\u{feff}", &reg),
        Err(ImportError::Empty)
    );
    assert_eq!(
        ImportError::Empty.to_string(),
        "tệp trống: không có nội dung để nhập"
    );
    let e = parse_decision("Số: 1/QĐ-UBND\nabc\u{0}\u{1}", &reg).unwrap_err();
    assert_eq!(e, ImportError::Binary { line: 2 });
    assert!(e
        .to_string()
        .starts_with("dòng 2: tệp chứa dữ liệu nhị phân"));
    assert_eq!(read_plan_file(b"", &reg), Err(ImportError::Empty));
}

#[test]
fn a_text_without_decision_number_says_so_on_line_1() {
    let reg = duc_tho_registry();
    let e = parse_decision("Kế hoạch năm 2024\nkhông có gì khác\n", &reg).unwrap_err();
    assert_eq!(
        e.to_string(),
        "dòng 1: không tìm thấy số quyết định (\"Số: …/QĐ-…\")"
    );
    assert_eq!(e.code(), "not-a-plan");
}

#[test]
fn a_decision_without_appendix_table_is_rejected_where_the_appendix_should_be() {
    let reg = duc_tho_registry();
    let text = duc_tho_text();
    let cut = text.split("\nTT\t").next().unwrap();
    let e = parse_decision(cut, &reg).unwrap_err();
    let line = cut.lines().position(|l| l.contains("PHỤ LỤC")).unwrap() + 1;
    assert_eq!(e.line(), Some(line));
    assert!(e.to_string().contains("không tìm thấy bảng phụ lục"), "{e}");
}

#[test]
fn a_table_without_activity_column_is_not_a_plan() {
    let reg = duc_tho_registry();
    let text = duc_tho_text().replace("\t3- Hoạt động\t", "\t3- Việc làm\t");
    // Without its activity column the header is not recognised at all.
    let e = parse_decision(&text, &reg).unwrap_err();
    assert!(e.to_string().contains("không tìm thấy bảng phụ lục"), "{e}");
    let text = duc_tho_text().replace("\t2- Nhiệm vụ\t", "\t2- Việc\t");
    let e = parse_decision(&text, &reg).unwrap_err();
    assert_eq!(e.line(), Some(353));
    assert!(e.to_string().contains("thiếu cột \"Nhiệm vụ\""), "{e}");
}

#[test]
fn non_utf8_bytes_are_located() {
    let reg = duc_tho_registry();
    let mut bytes = "Số: 60/QĐ-UBND\nĐức Thọ\n".as_bytes().to_vec();
    let offset = bytes.len();
    bytes.extend_from_slice(&[0xC3, 0x28, b'\n']);
    let e = read_plan_file(&bytes, &reg).unwrap_err();
    assert_eq!(e, ImportError::NotUtf8 { offset, line: 3 });
    assert!(e.to_string().starts_with(&format!(
        "dòng 3 (byte thứ {offset}): tệp không phải văn bản UTF-8"
    )));
}

#[test]
fn read_plan_file_detects_text_and_json() {
    let reg = duc_tho_registry();
    let text = duc_tho_text();
    let from_text = read_plan_file(text.as_bytes(), &reg).unwrap();
    assert_eq!(from_text.decision.number, "60/QĐ-UBND");
    let json = format!("\u{feff}\n  {}", serde_json::to_string(&from_text).unwrap());
    assert_eq!(read_plan_file(json.as_bytes(), &reg).unwrap(), from_text);
}

#[test]
fn json_errors_are_located_and_in_vietnamese() {
    let e = read_plan_json("{\n  \"format\": \"cchc-plan/1\",\n  \"year\": 2024,,\n}").unwrap_err();
    match &e {
        ImportError::Json {
            line,
            column,
            message,
        } => {
            assert_eq!((*line, *column), (3, 16));
            assert!(message.starts_with("JSON sai cú pháp"), "{message}");
        }
        other => panic!("{other:?}"),
    }
    assert!(e
        .to_string()
        .starts_with("dòng 3, cột 16: JSON sai cú pháp"));
    let e = read_plan_json("{\"format\": \"cchc-plan/1\"").unwrap_err();
    assert!(e.to_string().contains("kết thúc giữa chừng"), "{e}");
    assert_eq!(
        read_plan_json("{\"year\": 2024}").unwrap_err(),
        ImportError::Format { found: None }
    );
    let e = read_plan_json("{\"format\": \"cchc-plan/2\"}").unwrap_err();
    assert_eq!(
        e,
        ImportError::Format {
            found: Some("cchc-plan/2".into())
        }
    );
    assert!(e.to_string().contains("«cchc-plan/2» không được hỗ trợ"));
    let e = read_plan_json("{\"format\": \"cchc-plan/1\",\n \"decision\": {}}").unwrap_err();
    assert!(e.to_string().contains("thiếu trường «"), "{e}");
    assert_eq!(e.line(), Some(2));
}

#[test]
fn json_without_ids_gets_them_and_keeps_existing_ones() {
    let plan = duc_tho();
    let mut v: serde_json::Value = serde_json::to_value(&plan).unwrap();
    // Drop every id but the first activity's, which is renamed.
    let mut first = true;
    for s in v["sections"].as_array_mut().unwrap() {
        for p in s["parts"].as_array_mut().unwrap() {
            for r in p["rows"].as_array_mut().unwrap() {
                for t in r["tasks"].as_array_mut().unwrap() {
                    for a in t["activities"].as_array_mut().unwrap() {
                        if first {
                            a["id"] = "kept".into();
                            first = false;
                        } else {
                            a.as_object_mut().unwrap().remove("id");
                        }
                    }
                }
            }
        }
    }
    let back = read_plan_json(&v.to_string()).unwrap();
    let ids: Vec<&str> = back.activities().map(|a| a.activity.id.as_str()).collect();
    let want: Vec<&str> = plan.activities().map(|a| a.activity.id.as_str()).collect();
    assert_eq!(ids[0], "kept");
    assert_eq!(ids[1..], want[1..]);
}

#[test]
fn the_shared_registry_reads() {
    let units = read_units_csv(shared("data/duc-tho-2024/units.csv").as_bytes()).unwrap();
    assert_eq!(units.len(), 37);
    let vp = units
        .iter()
        .find(|u| u.id.as_str() == "vp-hdnd-ubnd")
        .unwrap();
    assert_eq!(vp.kind, UnitKind::DistrictOffice);
    assert_eq!(vp.parent.as_ref().map(|p| p.as_str()), Some("ubnd-huyen"));
    assert_eq!(vp.aliases.len(), 6);
    assert_eq!(
        units.iter().filter(|u| u.source == "commune-list").count(),
        16
    );
}

#[test]
fn registry_columns_in_any_order_with_bom() {
    let csv = "\u{feff}name,kind,id\nPhòng Nội vụ,district_office,phong-noi-vu\n";
    let units = read_units_csv(csv.as_bytes()).unwrap();
    assert_eq!(units[0].id.as_str(), "phong-noi-vu");
    assert_eq!(units[0].parent, None);
    assert!(units[0].aliases.is_empty());
}

#[test]
fn registry_errors_are_located() {
    let csv = "id,name,kind,parent,aliases,source\n\
               ubnd-x,UBND huyện X,district,,,plan\n\
               Phong NV,Phòng Nội vụ,district_office,ubnd-x,,plan\n\
               phong-tp,Phòng Tư pháp,office,ubnd-x,,plan\n\
               ubnd-x,Trùng,district,,,plan\n\
               xa-a,Xã A,commune,ubnd-y,,plan\n\
               xa-b,,commune,ubnd-x,,plan\n";
    let errs = read_units_csv(csv.as_bytes()).unwrap_err();
    let got: Vec<(usize, &str, &str)> = errs
        .iter()
        .map(|e| (e.row, e.column.as_str(), e.value.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            (3, "id", "Phong NV"),
            (4, "kind", "office"),
            (5, "id", "ubnd-x"),
            (6, "parent", "ubnd-y"),
            (7, "name", "")
        ]
    );
    assert!(errs[1].reason.starts_with("loại đơn vị không hợp lệ"));
    assert!(errs[2].reason.contains("trùng với dòng 2"));
    assert!(errs[3].reason.contains("không có trong tệp"));
    assert_eq!(
        errs[1].to_string(),
        format!("dòng 4, cột «kind», giá trị «office»: {}", errs[1].reason)
    );
}

#[test]
fn registry_missing_columns_and_bad_bytes() {
    let errs = read_units_csv(b"id,name\na,B\n").unwrap_err();
    assert_eq!((errs[0].row, errs[0].column.as_str()), (1, "kind"));
    assert!(errs[0].reason.starts_with("thiếu cột «kind»"));
    let errs = read_units_csv(b"id,name,kind\nx,\xff,district\n").unwrap_err();
    assert_eq!(errs[0].row, 2);
    assert!(errs[0].reason.contains("UTF-8"));
    let errs =
        read_units_csv(b"id,name,kind,parent\na,A,district,b\nb,B,district,a\n").unwrap_err();
    assert!(
        errs.iter().all(|e| e.reason.contains("vòng lặp")),
        "{errs:?}"
    );
    assert_eq!(errs.len(), 2);
}
