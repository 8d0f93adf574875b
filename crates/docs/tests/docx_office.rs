//! The .docx as LibreOffice lays it out: converted to PDF, then read with poppler's pdftotext
//! and pdfinfo. Skipped with a notice when the tools are missing, unless CCHC_REQUIRE_OFFICE=1.

mod common;

use std::path::PathBuf;
use std::process::Command;

use cchc_docs::docx::*;
use common::docx::report;
use unicode_normalization::UnicodeNormalization;

fn has(tool: &str, arg: &str) -> bool {
    Command::new(tool)
        .arg(arg)
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false)
}

/// Whether soffice and poppler are here; fails instead when they are required.
fn office_available() -> bool {
    let ok = has("soffice", "--version") && has("pdftotext", "-v") && has("pdfinfo", "-v");
    if !ok {
        if std::env::var("CCHC_REQUIRE_OFFICE").as_deref() == Ok("1") {
            panic!("soffice, pdftotext or pdfinfo is missing and CCHC_REQUIRE_OFFICE=1");
        }
        eprintln!("notice: soffice or poppler-utils missing; LibreOffice layout test skipped");
    }
    ok
}

/// A document converted to PDF by LibreOffice, in its own directory and profile.
struct Pdf {
    _dir: tempfile::TempDir,
    path: PathBuf,
}

impl Pdf {
    fn convert(doc: &OfficialDocument) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let docx = dir.path().join("bao-cao.docx");
        std::fs::write(&docx, write_docx(doc).unwrap()).unwrap();
        // A profile of its own, so that parallel conversions do not wait for each other's lock.
        let profile = format!(
            "-env:UserInstallation=file://{}/profile",
            dir.path().display()
        );
        let out = Command::new("soffice")
            .args([&profile, "--headless", "--convert-to", "pdf", "--outdir"])
            .arg(dir.path())
            .arg(&docx)
            .output()
            .expect("soffice runs");
        let path = dir.path().join("bao-cao.pdf");
        assert!(
            out.status.success() && path.exists(),
            "conversion failed: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        Pdf { _dir: dir, path }
    }

    fn info(&self, args: &[&str]) -> String {
        let out = Command::new("pdfinfo")
            .args(args)
            .arg(&self.path)
            .output()
            .unwrap();
        assert!(out.status.success());
        String::from_utf8(out.stdout).unwrap()
    }

    fn pages(&self) -> usize {
        let info = self.info(&[]);
        let line = info
            .lines()
            .find(|l| l.starts_with("Pages:"))
            .expect("Pages:");
        line["Pages:".len()..].trim().parse().unwrap()
    }

    /// (width, height) of a page in points.
    fn page_size(&self, page: usize) -> (f64, f64) {
        let p = page.to_string();
        let info = self.info(&["-f", &p, "-l", &p]);
        let line = info
            .lines()
            .find(|l| l.starts_with("Page") && l.contains("size:"))
            .expect("page size");
        let dims: Vec<f64> = line
            .split_whitespace()
            .filter_map(|w| w.parse().ok())
            .collect();
        // "Page    1 size: 595.304 x 841.89 pts (A4)": page number, width, height.
        (dims[1], dims[2])
    }

    /// A page's text in reading order (NFC), without `-layout`.
    fn text(&self, page: usize) -> String {
        self.text_with(page, &[])
    }

    /// A page's text with columns kept side by side.
    fn layout_text(&self, page: usize) -> String {
        self.text_with(page, &["-layout"])
    }

    fn text_with(&self, page: usize, extra: &[&str]) -> String {
        let p = page.to_string();
        let out = Command::new("pdftotext")
            .args(["-f", &p, "-l", &p])
            .args(extra)
            .arg(&self.path)
            .arg("-")
            .output()
            .unwrap();
        assert!(out.status.success());
        String::from_utf8(out.stdout).unwrap().nfc().collect()
    }
}

fn first_line(text: &str) -> &str {
    text.lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("")
}

#[test]
fn three_pages_of_body_give_three_pages_numbered_from_the_second() {
    if !office_available() {
        return;
    }
    let mut body = vec![Block::heading(1, "I. KẾT QUẢ THỰC HIỆN")];
    for page in 1..=3 {
        for i in 1..=4 {
            body.push(Block::para(format!(
                "Nội dung trang {page}, đoạn {i}: các cơ quan, đơn vị đã triển khai đầy đủ các \
                 nhiệm vụ cải cách hành chính theo kế hoạch."
            )));
        }
        if page < 3 {
            body.push(Block::PageBreak);
        }
    }
    let pdf = Pdf::convert(&report(body));
    assert_eq!(pdf.pages(), 3, "{}", pdf.path.display());

    let p1 = pdf.layout_text(1);
    for text in [
        NATIONAL_NAME,
        MOTTO,
        "UBND HUYỆN ĐỨC THỌ",
        "PHÒNG NỘI VỤ",
        "Số: 125/BC-NV",
        "Đức Thọ, ngày 20 tháng 6 năm 2024",
        "BÁO CÁO",
        "Kết quả cải cách hành chính quý II năm 2024",
        "Nội dung trang 1, đoạn 1",
    ] {
        assert!(p1.contains(text), "page 1 lacks {text:?}:\n{p1}");
    }
    // The issuer and the national name share the first line: a two-column header block.
    let top = first_line(&p1);
    assert!(
        top.starts_with("UBND HUYỆN ĐỨC THỌ") && top.ends_with(NATIONAL_NAME),
        "{top}"
    );
    assert!(!p1.contains("Nội dung trang 2"));

    // No number on page 1; "2" and "3" head the next pages.
    assert!(
        !pdf.text(1).lines().any(|l| l.trim() == "1"),
        "page 1 carries a number"
    );
    assert_eq!(first_line(&pdf.text(2)), "2");
    assert_eq!(first_line(&pdf.text(3)), "3");
    assert!(pdf.text(2).contains("Nội dung trang 2, đoạn 1"));
    // The document closes on the last page.
    let p3 = pdf.layout_text(3);
    for text in [
        "Nơi nhận:",
        "- Lưu: VT, NV.",
        "TRƯỞNG PHÒNG",
        "Trần Thị Bình",
    ] {
        assert!(p3.contains(text), "page 3 lacks {text:?}:\n{p3}");
    }
    let (w, h) = pdf.page_size(1);
    assert!(
        (w - 595.3).abs() < 1.0 && (h - 841.9).abs() < 1.0,
        "A4: {w} x {h}"
    );
}

#[test]
fn a_long_table_repeats_its_header_on_every_page_and_a_landscape_appendix_is_landscape() {
    if !office_available() {
        return;
    }
    let mut t = Table::new(vec![1, 8, 3]);
    t.header = vec![vec![
        Cell::bold("TT"),
        Cell::bold("Cơ quan, đơn vị"),
        Cell::bold("Tình trạng"),
    ]];
    for i in 1..=90 {
        t.rows.push(vec![
            Cell::center(i.to_string()),
            Cell::text(format!("Đơn vị thứ {i}")),
            Cell::center("Đúng hạn"),
        ]);
    }
    let mut doc = report(vec![Block::para("Tình hình gửi báo cáo:"), Block::Table(t)]);
    doc.appendices.push(Appendix {
        label: "Phụ lục I".into(),
        title: "DANH MỤC HOẠT ĐỘNG".into(),
        note: None,
        landscape: true,
        body: vec![Block::para("Nội dung phụ lục.")],
    });
    let pdf = Pdf::convert(&doc);
    let pages = pdf.pages();
    assert!(
        pages >= 4,
        "90 rows take more than two pages, then the appendix: {pages}"
    );
    let mut table_pages = 0;
    for page in 1..pages {
        let text = pdf.text(page);
        if text.contains("Đơn vị thứ") {
            table_pages += 1;
            assert!(
                text.contains("Cơ quan, đơn vị"),
                "page {page} lacks the header row"
            );
        }
    }
    assert!(table_pages >= 2);
    let last = pdf.text(pages);
    assert!(last.contains("Phụ lục I") && last.contains("Nội dung phụ lục."));
    assert_eq!(first_line(&last), pages.to_string());
    let (w, h) = pdf.page_size(pages);
    assert!(w > h, "the appendix page is landscape: {w} x {h}");
    let (w, h) = pdf.page_size(1);
    assert!(w < h, "the report itself is portrait");
}
