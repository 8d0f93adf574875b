//! The official-document writer, read back part by part: the package, the Decree 30 page and
//! fonts, the header block, tables, sections and escaping.

mod common;

use cchc_docs::docx::*;
use cchc_docs::DocsError;
use common::docx::{assert_well_formed, report, Package};

fn written(doc: &OfficialDocument) -> Package {
    Package::open(write_docx(doc).expect("a docx"))
}

/// The `<w:sectPr …>…</w:sectPr>` elements of the document, in order.
fn sections(xml: &str) -> Vec<&str> {
    xml.match_indices("<w:sectPr>")
        .map(|(i, _)| {
            let end = xml[i..].find("</w:sectPr>").expect("closed") + i;
            &xml[i..end]
        })
        .collect()
}

/// The value of attribute `attr` on the first `<tag ` in `xml`.
fn attr<'a>(xml: &'a str, tag: &str, attr: &str) -> &'a str {
    let start = xml
        .find(&format!("<{tag} "))
        .unwrap_or_else(|| panic!("no <{tag}>"));
    let elem = &xml[start..start + xml[start..].find('>').unwrap()];
    let key = format!(" {attr}=\"");
    let v = elem
        .find(&key)
        .unwrap_or_else(|| panic!("{tag} has no {attr}: {elem}"))
        + key.len();
    &elem[v..v + elem[v..].find('"').unwrap()]
}

fn body(n: usize) -> Vec<Block> {
    (0..n)
        .map(|i| Block::para(format!("Đoạn văn số {i} của báo cáo.")))
        .collect()
}

#[test]
fn the_package_has_its_parts_and_every_part_is_well_formed() {
    let pkg = written(&report(body(3)));
    let mut names = pkg.names();
    names.sort();
    assert_eq!(
        names,
        [
            "[Content_Types].xml",
            "_rels/.rels",
            "docProps/app.xml",
            "docProps/core.xml",
            "word/_rels/document.xml.rels",
            "word/document.xml",
            "word/header1.xml",
            "word/header2.xml",
            "word/settings.xml",
            "word/styles.xml",
        ]
    );
    assert_well_formed(&pkg);
    let types = pkg.part("[Content_Types].xml");
    for name in names
        .iter()
        .filter(|n| n.ends_with(".xml") && !n.starts_with('['))
    {
        if !name.contains("_rels") {
            assert!(
                types.contains(&format!("PartName=\"/{name}\"")),
                "{name} has no content type"
            );
        }
    }
    // Every relationship of the document points at a part that exists.
    let rels = pkg.part("word/_rels/document.xml.rels");
    for target in rels
        .split("Target=\"")
        .skip(1)
        .map(|s| &s[..s.find('"').unwrap()])
    {
        assert!(
            names.contains(&format!("word/{target}")),
            "{target} missing"
        );
    }
}

#[test]
fn times_new_roman_is_set_on_every_script_slot_and_no_other_font_is_named() {
    let pkg = written(&report(vec![Block::para("Ơn, ưu tiên, đường, Đức Thọ")]));
    let styles = pkg.part("word/styles.xml");
    let defaults =
        &styles[styles.find("<w:rPrDefault>").unwrap()..styles.find("</w:rPrDefault>").unwrap()];
    for slot in ["w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"] {
        assert_eq!(
            attr(defaults, "w:rFonts", slot),
            "Times New Roman",
            "{slot}"
        );
    }
    assert_eq!(attr(defaults, "w:sz", "w:val"), "28", "14 pt body");
    assert_eq!(attr(defaults, "w:lang", "w:val"), "vi-VN");
    for name in pkg.names() {
        let xml = pkg.part(&name);
        for (i, _) in xml.match_indices("<w:rFonts ") {
            let elem = &xml[i..i + xml[i..].find('>').unwrap()];
            assert_eq!(
                elem.matches("Times New Roman").count(),
                4,
                "{name}: every rFonts names Times New Roman on all four slots: {elem}"
            );
        }
    }
}

#[test]
fn the_page_is_a4_portrait_with_the_decree_30_margins() {
    let pkg = written(&report(body(2)));
    let doc = pkg.part("word/document.xml");
    let secs = sections(&doc);
    assert_eq!(secs.len(), 1);
    let s = secs[0];
    assert_eq!(attr(s, "w:pgSz", "w:w"), "11906");
    assert_eq!(attr(s, "w:pgSz", "w:h"), "16838");
    assert!(!s.contains("landscape"));
    // 20 mm top and bottom, 30 mm left, 15 mm right (1 mm = 56.7 twips).
    for (side, mm) in [
        ("w:top", 20.0),
        ("w:bottom", 20.0),
        ("w:left", 30.0),
        ("w:right", 15.0),
    ] {
        let twips: f64 = attr(s, "w:pgMar", side).parse().unwrap();
        assert!(
            (twips / 56.7 - mm).abs() < 0.1,
            "{side}: {twips} twips is not {mm} mm"
        );
    }
}

#[test]
fn page_numbers_are_a_centred_page_field_at_the_top_from_the_second_page() {
    let pkg = written(&report(body(2)));
    let doc = pkg.part("word/document.xml");
    let s = sections(&doc)[0];
    assert!(s.contains("<w:titlePg/>"), "first page different");
    let rels = pkg.part("word/_rels/document.xml.rels");
    // The part a header reference of the given type points at.
    let target = |kind: &str| {
        let elem = s
            .split("<w:headerReference ")
            .skip(1)
            .find(|e| e.starts_with(&format!("w:type=\"{kind}\"")))
            .unwrap_or_else(|| panic!("no {kind} header"));
        let id = attr(&format!("<h {elem}"), "h", "r:id").to_string();
        let rel = rels
            .split("<Relationship ")
            .find(|r| r.starts_with(&format!("Id=\"{id}\"")))
            .expect("the relationship");
        format!("word/{}", attr(&format!("<r {rel}"), "r", "Target"))
    };
    let default = pkg.part(&target("default"));
    let first = pkg.part(&target("first"));
    assert!(default.contains("<w:instrText xml:space=\"preserve\"> PAGE </w:instrText>"));
    assert!(default.contains("<w:jc w:val=\"center\"/>"));
    assert!(!first.contains("PAGE"), "no number on page 1");
    assert!(
        !s.contains("w:footerReference"),
        "Decree 30 numbers pages at the top"
    );
}

#[test]
fn the_header_block_has_the_issuer_number_motto_and_place_date_before_the_title() {
    let pkg = written(&report(body(1)));
    let doc = pkg.part("word/document.xml");
    let paras = pkg.paragraphs("word/document.xml");
    let pos = |text: &str| {
        paras
            .iter()
            .position(|p| p == text)
            .unwrap_or_else(|| panic!("no paragraph {text:?} in {paras:#?}"))
    };
    // Upper case for the bodies, the kind title; the motto as written.
    let parent = pos("UBND HUYỆN ĐỨC THỌ");
    let issuer = pos("PHÒNG NỘI VỤ");
    let name = pos("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM");
    let motto = pos("Độc lập - Tự do - Hạnh phúc");
    let number = pos("Số: 125/BC-NV");
    let date = pos("Đức Thọ, ngày 20 tháng 6 năm 2024");
    let kind = pos("BÁO CÁO");
    let title = pos("Kết quả cải cách hành chính quý II năm 2024");
    assert!(parent < issuer && issuer < name && name < motto && motto < number);
    assert!(number < date && date < kind && kind == title - 1);
    // All of the header block is inside the first (borderless) table, the title is not.
    let table_end = doc.find("</w:tbl>").unwrap();
    let header_block = &doc[..table_end];
    for text in [
        "PHÒNG NỘI VỤ",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Số: 125/BC-NV",
    ] {
        assert!(header_block.contains(text), "{text}");
    }
    assert!(!header_block.contains("BÁO CÁO"));
    assert!(header_block.contains("<w:insideV w:val=\"nil\"/>"));
    // The motto is bold; the place-date is italic.
    let run_of = |text: &str| {
        let at = doc.find(&format!(">{text}<")).unwrap();
        let start = doc[..at].rfind("<w:r>").unwrap();
        &doc[start..at]
    };
    assert!(run_of("Độc lập - Tự do - Hạnh phúc").contains("<w:b/>"));
    assert!(run_of("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM").contains("<w:b/>"));
    assert!(run_of("Đức Thọ, ngày 20 tháng 6 năm 2024").contains("<w:i/>"));
    assert!(run_of("PHÒNG NỘI VỤ").contains("<w:b/>"));
    assert!(!run_of("UBND HUYỆN ĐỨC THỌ").contains("<w:b/>"));
    // Three short rules: under the issuer, the motto and the title.
    assert_eq!(doc.matches("<w:pBdr><w:top w:val=\"single\"").count(), 3);
}

#[test]
fn a_letter_without_kind_title_carries_its_summary_under_the_number() {
    let mut doc = report(body(1));
    doc.kind_title = String::new();
    doc.title = "báo cáo kết quả cải cách hành chính quý II".into();
    let paras = written(&doc).paragraphs("word/document.xml");
    let number = paras.iter().position(|p| p == "Số: 125/BC-NV").unwrap();
    assert_eq!(
        paras[number + 1],
        "V/v báo cáo kết quả cải cách hành chính quý II"
    );
    assert!(!paras.iter().any(|p| p == "BÁO CÁO"));
}

#[test]
fn recipients_and_signer_close_the_document() {
    let mut doc = report(body(1));
    doc.signer = Signer {
        authority: Some("TM. Ủy ban nhân dân".into()),
        title: "KT. Chủ tịch\nPhó Chủ tịch".into(),
        name: "Nguyễn Văn An".into(),
    };
    doc.recipients.insert(0, "- Thường trực Huyện ủy;".into());
    let paras = written(&doc).paragraphs("word/document.xml");
    let at = paras
        .iter()
        .position(|p| p == "Nơi nhận:")
        .expect("Nơi nhận");
    assert_eq!(
        &paras[at..],
        [
            "Nơi nhận:",
            "- Thường trực Huyện ủy;",
            "- Sở Nội vụ tỉnh Hà Tĩnh;",
            "- UBND huyện;",
            "- Lưu: VT, NV.",
            "TM. ỦY BAN NHÂN DÂN",
            "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH",
            "Nguyễn Văn An",
            // The body ends with the section's empty paragraph marks, nothing else.
        ]
        .iter()
        .map(|s| s.to_string())
        .chain(paras[at + 8..].iter().filter(|p| p.is_empty()).cloned())
        .collect::<Vec<_>>()
    );
}

#[test]
fn text_is_escaped_and_normalised_to_nfc() {
    // "Đức Thọ" typed with combining marks (NFD) as some keyboards and PDFs give it.
    let nfd = "Đu\u{301}c Tho\u{323} & <Cổng> \"dịch vụ\" 'công'\u{1}";
    let mut doc = report(vec![Block::para(nfd)]);
    doc.title = "A & B < C".into();
    doc.recipients = vec!["Phòng Tài chính & Kế hoạch".into()];
    let pkg = written(&doc);
    let xml = pkg.part("word/document.xml");
    assert!(xml.contains("A &amp; B &lt; C"));
    assert!(xml.contains("&lt;Cổng&gt;"));
    assert!(!xml.contains("<Cổng>"));
    let paras = pkg.paragraphs("word/document.xml");
    assert!(
        paras.contains(&"Đúc Thọ & <Cổng> \"dịch vụ\" 'công'".to_string()),
        "{paras:#?}"
    );
    assert!(paras.contains(&"- Phòng Tài chính & Kế hoạch.".to_string()));
    assert!(pkg
        .part("docProps/core.xml")
        .contains("BÁO CÁO A &amp; B &lt; C"));
    assert_well_formed(&pkg);
}

#[test]
fn runs_keep_their_emphasis_and_line_breaks() {
    let doc = report(vec![Block::Paragraph(vec![
        Run::plain("Đã kiểm tra "),
        Run::bold("06 xã"),
        Run::italic(" (chi tiết tại Phụ lục)\ndòng sau"),
    ])]);
    let xml = written(&doc).part("word/document.xml");
    let bold = xml.find(">06 xã<").unwrap();
    assert!(xml[xml[..bold].rfind("<w:r>").unwrap()..bold].contains("<w:b/>"));
    let italic = xml.find("> (chi tiết tại Phụ lục)<").unwrap();
    let run = &xml[xml[..italic].rfind("<w:r>").unwrap()..];
    let run = &run[..run.find("</w:r>").unwrap()];
    assert!(run.contains("<w:i/>") && !run.contains("<w:b/>"));
    assert!(run.contains("</w:t><w:br/><w:t xml:space=\"preserve\">dòng sau</w:t>"));
}

#[test]
fn body_paragraphs_are_justified_with_first_line_indent_and_six_point_spacing() {
    let pkg = written(&report(vec![
        Block::heading(1, "I. KẾT QUẢ"),
        Block::para("Nội dung."),
        Block::bullet("Một ý."),
        Block::bullet("- Ý có sẵn gạch."),
    ]));
    let styles = pkg.part("word/styles.xml");
    let body = &styles[styles.find("w:styleId=\"BodyText\"").unwrap()..];
    let body = &body[..body.find("</w:style>").unwrap()];
    assert_eq!(attr(body, "w:jc", "w:val"), "both");
    let indent: u32 = attr(body, "w:ind", "w:firstLine").parse().unwrap();
    assert!(
        (567..=720).contains(&indent),
        "1–1.27 cm, got {indent} twips"
    );
    assert_eq!(attr(body, "w:spacing", "w:after"), "120", "6 pt");
    let line: u32 = attr(body, "w:spacing", "w:line").parse().unwrap();
    assert!((240..=360).contains(&line), "single to 1.5 lines");
    let h1 = &styles[styles.find("w:styleId=\"Heading1\"").unwrap()..];
    assert!(h1[..h1.find("</w:style>").unwrap()].contains("<w:b/>"));
    let paras = pkg.paragraphs("word/document.xml");
    assert!(paras.contains(&"- Một ý.".to_string()));
    assert!(paras.contains(&"- Ý có sẵn gạch.".to_string()));
    assert!(!paras.iter().any(|p| p.starts_with("- - ")));
    let doc = pkg.part("word/document.xml");
    assert_eq!(doc.matches("<w:pStyle w:val=\"BodyText\"/>").count(), 3);
    assert_eq!(doc.matches("<w:pStyle w:val=\"Heading1\"/>").count(), 1);
}

fn timeliness() -> Table {
    let mut t = Table::new(vec![1, 6, 2, 2, 2, 3]);
    t.header = vec![
        vec![
            Cell::bold("TT").rows(2),
            Cell::bold("Cơ quan, đơn vị").rows(2),
            Cell::bold("Báo cáo quý II").span(3),
            Cell::bold("Ghi chú").rows(2),
        ],
        vec![
            Cell::bold("Đúng hạn"),
            Cell::bold("Trễ hạn"),
            Cell::bold("Chưa gửi"),
        ],
    ];
    for i in 1..=3 {
        t.rows.push(vec![
            Cell::center(i.to_string()),
            Cell::text(format!("Xã {i}")),
            Cell::center("x"),
            Cell::center(""),
            Cell::center(""),
            Cell::text(""),
        ]);
    }
    t
}

/// The `<w:tr>` elements of the first bordered table.
fn grid_rows(xml: &str) -> Vec<String> {
    let start = xml
        .find("<w:tblStyle w:val=\"Grid\"/>")
        .expect("a grid table");
    let table = &xml[start..start + xml[start..].find("</w:tbl>").unwrap()];
    table.split("<w:tr>").skip(1).map(str::to_string).collect()
}

#[test]
fn table_header_rows_repeat_on_each_page_and_merge_their_cells() {
    let xml = written(&report(vec![Block::Table(timeliness())])).part("word/document.xml");
    let rows = grid_rows(&xml);
    assert_eq!(rows.len(), 5);
    for (i, r) in rows.iter().enumerate() {
        assert_eq!(r.contains("<w:tblHeader/>"), i < 2, "row {i}");
        // Every row fills the six grid columns.
        let cols: usize = r
            .split("<w:tc>")
            .skip(1)
            .map(|c| match c.find("<w:gridSpan w:val=\"") {
                Some(at) => c[at + 19..at + 20].parse::<usize>().unwrap(),
                None => 1,
            })
            .sum();
        assert_eq!(cols, 6, "row {i}: {r}");
    }
    // TT, unit and note start a vertical merge in row 1 and continue it in row 2.
    assert_eq!(rows[0].matches("<w:vMerge w:val=\"restart\"/>").count(), 3);
    assert_eq!(rows[1].matches("<w:vMerge/>").count(), 3);
    assert!(rows[0].contains("<w:gridSpan w:val=\"3\"/>"));
    assert!(!rows[2].contains("vMerge"));
    // Header cells are bold; body cell text is 12 pt.
    assert!(rows[1].contains("<w:b/>"));
    assert!(rows[2].contains("<w:sz w:val=\"24\"/>") && !rows[2].contains("<w:b/>"));
}

#[test]
fn table_columns_share_the_text_width_in_proportion() {
    let xml = written(&report(vec![Block::Table(timeliness())])).part("word/document.xml");
    let start = xml.find("<w:tblStyle w:val=\"Grid\"/>").unwrap();
    let grid = &xml[start..start + xml[start..].find("</w:tblGrid>").unwrap()];
    let cols: Vec<u32> = grid
        .split("<w:gridCol w:w=\"")
        .skip(1)
        .map(|s| s[..s.find('"').unwrap()].parse().unwrap())
        .collect();
    let text_width = A4_WIDTH - MARGIN_LEFT - MARGIN_RIGHT;
    assert_eq!(cols.iter().sum::<u32>(), text_width);
    assert_eq!(cols.len(), 6);
    // Weights 1:6:2:2:2:3 of 16.
    assert!((cols[1] as i32 - (text_width * 6 / 16) as i32).abs() <= 1);
    assert_eq!(cols[2], cols[3]);
}

#[test]
fn a_row_that_does_not_fill_the_grid_is_refused_with_its_place() {
    let mut t = timeliness();
    t.rows[1].push(Cell::text("thừa"));
    let err = write_docx(&report(vec![Block::Table(t)])).unwrap_err();
    assert!(matches!(err, DocsError::Layout(_)));
    assert_eq!(
        err.to_string(),
        "văn bản không hợp lệ: bảng thứ 1, dòng 4: thừa ô (bảng có 6 cột)"
    );
    let mut t = timeliness();
    t.rows[0].pop();
    let err = write_docx(&report(vec![Block::Table(t)])).unwrap_err();
    assert!(err.to_string().contains("dòng 3: thiếu ô"), "{err}");
}

#[test]
fn an_appendix_gets_its_own_landscape_section_with_page_numbers() {
    let mut doc = report(body(2));
    let mut wide = Table::new(vec![1, 8, 3, 3, 3]);
    wide.header = vec![vec![
        Cell::bold("Mã"),
        Cell::bold("Hoạt động"),
        Cell::bold("Chủ trì"),
        Cell::bold("Hạn"),
        Cell::bold("Trạng thái"),
    ]];
    doc.appendices.push(Appendix {
        label: "Phụ lục I".into(),
        title: "KẾT QUẢ THỰC HIỆN CÁC HOẠT ĐỘNG".into(),
        note: Some("(Kèm theo Báo cáo số 125/BC-NV)".into()),
        landscape: true,
        body: vec![Block::Table(wide)],
    });
    let pkg = written(&doc);
    let xml = pkg.part("word/document.xml");
    let secs = sections(&xml);
    assert_eq!(secs.len(), 2);
    assert!(secs[0].contains("<w:titlePg/>") && !secs[1].contains("<w:titlePg/>"));
    assert_eq!(attr(secs[1], "w:pgSz", "w:w"), "16838");
    assert_eq!(attr(secs[1], "w:pgSz", "w:orient"), "landscape");
    assert!(
        secs[1].contains("w:type=\"default\"") && secs[1].contains("<w:type w:val=\"nextPage\"/>")
    );
    // The appendix follows the signature, and its table fills the landscape text width.
    let paras = pkg.paragraphs("word/document.xml");
    let signer = paras.iter().position(|p| p == "Trần Thị Bình").unwrap();
    let label = paras.iter().position(|p| p == "Phụ lục I").unwrap();
    assert!(signer < label);
    assert!(xml.contains(&format!(
        "<w:tblW w:w=\"{}\" w:type=\"dxa\"/>",
        A4_HEIGHT - MARGIN_LEFT - MARGIN_RIGHT
    )));
}

#[test]
fn the_same_document_gives_the_same_bytes() {
    let mut doc = report(body(20));
    doc.body.push(Block::Table(timeliness()));
    assert_eq!(write_docx(&doc).unwrap(), write_docx(&doc).unwrap());
}
