//! The generic table export, read back with calamine and from the sheet XML.

mod common;

use calamine::Data;
use cchc_docs::xlsx_table::{write_table_xlsx, Column, TableSheet, Value};
use chrono::NaiveDate;
use common::Book;

fn timeliness() -> TableSheet {
    TableSheet {
        name: "Gửi báo cáo".into(),
        title: Some("TÌNH HÌNH GỬI BÁO CÁO CẢI CÁCH HÀNH CHÍNH QUÝ II NĂM 2024".into()),
        subtitle: Some("(Số liệu đến ngày 30/6/2024)".into()),
        columns: vec![
            Column::centred("TT", 5.0),
            Column::new("Cơ quan, đơn vị", 40.0),
            Column::centred("Ngày gửi", 12.0),
            Column::new("Số hồ sơ", 10.0),
            Column::new("Tỷ lệ đúng hạn", 14.0),
            Column::new("Ghi chú", 20.0),
        ],
        rows: vec![
            vec![
                "1".into(),
                "Phòng Nội vụ".into(),
                Value::Date(NaiveDate::from_ymd_opt(2024, 6, 14).unwrap()),
                Value::Integer(1234),
                Value::Percent(0.9986),
                Value::Empty,
            ],
            // A short row: the rest stays blank.
            vec!["2".into(), "Xã Tùng Ảnh & Tân Dân <mới>".into()],
        ],
        landscape: true,
    }
}

#[test]
fn values_land_under_their_vietnamese_headers_below_the_title() {
    let bytes = write_table_xlsx(&[timeliness()]).unwrap();
    let mut book = Book::open(bytes);
    assert_eq!(book.sheet_names(), ["Gửi báo cáo"]);
    let s = book.sheet("Gửi báo cáo");
    assert_eq!(
        s.text(0, 0),
        "TÌNH HÌNH GỬI BÁO CÁO CẢI CÁCH HÀNH CHÍNH QUÝ II NĂM 2024"
    );
    assert!(s.is_merged((0, 0), (0, 5)));
    assert_eq!(s.text(1, 0), "(Số liệu đến ngày 30/6/2024)");
    assert_eq!(
        s.row(2, 6),
        [
            "TT",
            "Cơ quan, đơn vị",
            "Ngày gửi",
            "Số hồ sơ",
            "Tỷ lệ đúng hạn",
            "Ghi chú"
        ]
    );
    assert_eq!(s.text(3, 1), "Phòng Nội vụ");
    assert_eq!(s.range.get_value((3, 3)), Some(&Data::Float(1234.0)));
    assert_eq!(s.range.get_value((3, 4)), Some(&Data::Float(0.9986)));
    match s.range.get_value((3, 2)) {
        Some(Data::DateTime(d)) => assert_eq!(d.as_f64(), 45457.0, "2024-06-14"),
        other => panic!("a date, got {other:?}"),
    }
    assert_eq!(s.text(4, 1), "Xã Tùng Ảnh & Tân Dân <mới>");
    assert_eq!(s.last_row(), 4);
}

#[test]
fn the_header_row_is_frozen_filtered_and_printed_on_every_page() {
    let b = Book::open(write_table_xlsx(&[timeliness()]).unwrap());
    let sheet = b.part("xl/worksheets/sheet1.xml");
    assert!(
        sheet.contains(
            "<pane ySplit=\"3\" topLeftCell=\"A4\" activePane=\"bottomLeft\" state=\"frozen\"/>"
        ),
        "{sheet}"
    );
    assert!(sheet.contains("<autoFilter ref=\"A3:F5\"/>"));
    // Excel stores the width with the cell padding added: a little over the 40 characters.
    let key = "<col min=\"2\" max=\"2\" width=\"";
    let col = &sheet[sheet.find(key).expect("column B's width") + key.len()..];
    let width: f64 = col[..col.find('"').unwrap()].parse().unwrap();
    assert!((40.0..41.5).contains(&width), "{width}");
    assert!(sheet.contains("orientation=\"landscape\"") && sheet.contains("paperSize=\"9\""));
    let workbook = b.part("xl/workbook.xml");
    assert!(workbook.contains("_xlnm.Print_Titles") && workbook.contains("$3:$3"));
}

#[test]
fn percent_date_and_count_formats_in_times_new_roman() {
    let b = Book::open(write_table_xlsx(&[timeliness()]).unwrap());
    let styles = b.part("xl/styles.xml");
    for code in ["0.0%", "dd/mm/yyyy", "#,##0"] {
        assert!(styles.contains(&format!("formatCode=\"{code}\"")), "{code}");
    }
    let fonts = &styles[styles.find("<fonts").unwrap()..styles.find("</fonts>").unwrap()];
    assert!(fonts.matches("<name val=\"Times New Roman\"/>").count() >= 1);
    assert!(!fonts.contains("Calibri"), "{fonts}");
}

#[test]
fn several_sheets_keep_their_order_and_a_bad_name_is_an_error() {
    let mut second = timeliness();
    second.name = "Chỉ số".into();
    second.title = None;
    second.subtitle = None;
    let mut book = Book::open(write_table_xlsx(&[timeliness(), second.clone()]).unwrap());
    assert_eq!(book.sheet_names(), ["Gửi báo cáo", "Chỉ số"]);
    assert_eq!(book.sheet("Chỉ số").text(0, 1), "Cơ quan, đơn vị");
    second.name = "Quý II/2024".into();
    assert!(write_table_xlsx(&[second]).is_err());
}
