//! Properties: the importer never panics, and never drops a character of a cell's text.

mod common;

use cchc_domain::text::clean;
use cchc_ingest::decision::parse_decision;
use common::*;
use proptest::prelude::*;

/// A minimal decision around an appendix, with `rows` after the table header.
fn document(rows: &str) -> String {
    format!(
        "Số: 7/QĐ-UBND\n\nĐức Thọ, ngày 02 tháng 02 năm 2024\n\n**QUYẾT ĐỊNH**\n**Về việc ban hành \
         Kế hoạch CCHC huyện Đức Thọ năm 2024**\n\n**CHỦ TỊCH ỦY BAN NHÂN DÂN HUYỆN**\n\n\
         **PHỤ LỤC**\n\nTT\tMục tiêu\tNhiệm vụ\tHoạt động\tKết quả\tChủ trì\tPhối hợp\tThời \
         gian hoàn thành\tKinh phí\n<b>I</b>\t<b>MỤC MỘT</b>\t\t\t\t\t\t\t\n{rows}"
    )
}

/// Words of Vietnamese letters, digits and the punctuation met in cells, but no tab, line
/// break, markup or dotted number (those have meaning in the layout).
fn cell_text() -> impl Strategy<Value = String> {
    let word = "[a-zA-Zàáạảãâầấậăằắđêềếệôồốơờớưừứýỹ0-9%/()\\-]{1,9}";
    prop::collection::vec(
        (
            word,
            prop::sample::select(vec![" ", " ", ", ", "; ", "  ", " và "]),
        ),
        1..8,
    )
    .prop_map(|ws| {
        ws.into_iter()
            .map(|(w, s)| format!("{w}{s}"))
            .collect::<String>()
    })
    .prop_filter("a letter to start", |s| {
        s.chars().next().is_some_and(char::is_alphabetic)
    })
}

fn alnum(s: &str) -> String {
    s.chars().filter(|c| c.is_alphanumeric()).collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn never_panics_on_arbitrary_text(s in "\\PC{0,400}") {
        let _ = parse_decision(&s, &duc_tho_registry());
    }

    #[test]
    fn never_panics_on_arbitrary_matrix_lines(
        lines in prop::collection::vec("[\\t a-zA-Z0-9.<>/*%,;()IVXAB\\-àđ]{0,60}", 0..20)
    ) {
        let _ = parse_decision(&document(&lines.join("\n")), &duc_tho_registry());
    }

    #[test]
    fn never_panics_on_arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..300)) {
        let _ = cchc_ingest::plan_json::read_plan_file(&bytes, &duc_tho_registry());
        let _ = cchc_ingest::units_csv::read_units_csv(&bytes);
    }

    #[test]
    fn every_cell_comes_out_cleaned(
        cells in prop::collection::vec(cell_text(), 8),
        spaces in prop::collection::vec("[ \\u{a0}]{0,3}", 8),
    ) {
        let padded: Vec<String> = cells.iter().zip(&spaces).map(|(c, s)| format!("{s}{c}{s}")).collect();
        let row = format!(
            "1\t1.1. {}\t2.1. {}\t3.1. {}\t{}\t{}\t{}\t{}\t{}",
            padded[0], padded[1], padded[2], padded[3], padded[4], padded[5], padded[6], padded[7]
        );
        let plan = parse_decision(&document(&row), &duc_tho_registry()).unwrap();
        let r = &plan.sections[0].parts[0].rows[0];
        prop_assert_eq!(&r.objective.as_ref().unwrap().text, &clean(&cells[0]));
        prop_assert_eq!(&r.tasks[0].text, &clean(&cells[1]));
        let a = &r.tasks[0].activities[0];
        prop_assert_eq!(&a.text, &clean(&cells[2]));
        prop_assert_eq!(a.outputs.clone(), Some(clean(&cells[3])));
        let lead: String = a.lead.iter().map(|r| r.text.as_str()).collect();
        prop_assert_eq!(alnum(&lead), alnum(&cells[4]));
        let coord: String = a.coordinators.iter().map(|r| r.text.as_str()).collect();
        prop_assert_eq!(alnum(&coord), alnum(&cells[5]));
        prop_assert_eq!(&a.deadline.as_ref().unwrap().text, &clean(&cells[6]));
        prop_assert_eq!(a.funding.clone(), Some(clean(&cells[7])));
    }

    #[test]
    fn a_page_break_anywhere_in_a_cell_loses_nothing(
        before in cell_text(), after in cell_text(), col in 1usize..9,
    ) {
        // The row's cell `col` is cut in two: the second half comes on a line of its own,
        // after blank lines, with the other cells empty.
        let mut first = vec!["1".to_string(), "1.1. Mục tiêu".into(), "2.1. Nhiệm vụ".into(),
            "3.1. Hoạt động".into(), "Kết quả".into(), "Phòng Nội vụ".into(),
            "UBND các xã, thị trấn".into(), "Năm 2024".into(), "Theo dự toán".into()];
        first[col] = format!("{} {}", first[col], before);
        let mut second = vec![String::new(); 9];
        second[col] = after.clone();
        let text = document(&format!("{}\n\n\n{}", first.join("\t"), second.join("\t")));
        let plan = parse_decision(&text, &duc_tho_registry()).unwrap();
        let r = &plan.sections[0].parts[0].rows[0];
        let a = &r.tasks[0].activities[0];
        let got = match col {
            1 => r.objective.as_ref().unwrap().text.clone(),
            2 => r.tasks[0].text.clone(),
            3 => a.text.clone(),
            4 => a.outputs.clone().unwrap(),
            5 => a.lead.iter().map(|r| r.text.clone()).collect::<Vec<_>>().join(" "),
            6 => a.coordinators.iter().map(|r| r.text.clone()).collect::<Vec<_>>().join(" "),
            7 => a.deadline.as_ref().unwrap().text.clone(),
            _ => a.funding.clone().unwrap(),
        };
        prop_assert!(alnum(&got).ends_with(&alnum(&format!("{before}{after}"))), "{got:?}");
        prop_assert_eq!(plan.activities().count(), 1);
    }
}
