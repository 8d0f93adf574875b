//! The writer: an [`OfficialDocument`] as an Office Open XML package laid out as Decree
//! 30/2020/NĐ-CP prescribes (Phụ lục I: A4, margins, Times New Roman, the header block with the
//! national motto, page numbers at the top centre from page 2, "Nơi nhận" and the signer's
//! block) — the WordprocessingML of the body, the styles, settings, headers and document
//! properties, zipped.
//!
//! The package is written by hand (a dozen small XML parts in a zip): the model is small and a
//! docx crate would add more than it saves. Output is deterministic: the same document gives the
//! same bytes (no timestamps in the package).

use std::io::{Cursor, Write};

use unicode_normalization::UnicodeNormalization;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

use super::model::{Align, Appendix, Block, OfficialDocument, Run, Table};
use crate::DocsError;

/// The font Decree 30 prescribes (phông chữ Times New Roman, bộ mã Unicode TCVN 6909:2001).
pub const FONT: &str = "Times New Roman";

/// A4 width in twips (1/20 pt).
pub const A4_WIDTH: u32 = 11906;
/// A4 height in twips.
pub const A4_HEIGHT: u32 = 16838;
/// Top margin: 20 mm.
pub const MARGIN_TOP: u32 = 1134;
/// Bottom margin: 20 mm.
pub const MARGIN_BOTTOM: u32 = 1134;
/// Left margin: 30 mm (the binding side).
pub const MARGIN_LEFT: u32 = 1701;
/// Right margin: 15 mm.
pub const MARGIN_RIGHT: u32 = 850;
/// Distance of the page-number header from the top edge: 10 mm.
const HEADER_DISTANCE: u32 = 567;

/// Body text size in half-points (14 pt).
const BODY_SIZE: u16 = 28;
/// First-line indent of body paragraphs: 1.27 cm.
const FIRST_LINE: u32 = 720;
/// Space after a body paragraph: 6 pt.
const PARA_AFTER: u32 = 120;
/// Line spacing in 240ths of a line: 1.15 lines (Decree 30: single to 1.5).
const LINE: u32 = 276;

/// Quốc hiệu — the national name, first line of the motto.
pub const NATIONAL_NAME: &str = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM";
/// Tiêu ngữ — the motto under the national name.
pub const MOTTO: &str = "Độc lập - Tự do - Hạnh phúc";

/// Văn bản .docx — writes the document as an Office Open XML package.
pub fn write_docx(doc: &OfficialDocument) -> Result<Vec<u8>, DocsError> {
    let document = document_xml(doc)?;
    let parts: [(&str, String); 10] = [
        ("[Content_Types].xml", CONTENT_TYPES.to_string()),
        ("_rels/.rels", ROOT_RELS.to_string()),
        ("docProps/core.xml", core_xml(doc)),
        ("docProps/app.xml", APP.to_string()),
        ("word/_rels/document.xml.rels", DOCUMENT_RELS.to_string()),
        ("word/document.xml", document),
        ("word/styles.xml", styles_xml()),
        ("word/settings.xml", SETTINGS.to_string()),
        ("word/header1.xml", header_xml(true)),
        ("word/header2.xml", header_xml(false)),
    ];
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    // A fixed time keeps the bytes the same for the same document.
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .last_modified_time(DateTime::default());
    for (name, xml) in parts {
        zip.start_file(name, options)?;
        zip.write_all(xml.as_bytes())
            .map_err(zip::result::ZipError::from)?;
    }
    Ok(zip.finish()?.into_inner())
}

// ---------------------------------------------------------------------------------------------
// Text

/// Text as XML character data: NFC, without characters XML cannot carry, markup escaped (also
/// for attribute values). The public pages' Atom feed writes its text with it too.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.nfc() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

/// Upper case as Vietnamese writes it (precomposed letters upper-case to precomposed ones).
fn upper(s: &str) -> String {
    s.nfc().collect::<String>().to_uppercase()
}

/// Run properties of the document's runs.
#[derive(Clone, Copy, Default)]
struct Fmt {
    bold: bool,
    italic: bool,
    underline: bool,
    /// Size in half-points; `None` takes the style's.
    size: Option<u16>,
}

impl Fmt {
    fn size(pt2: u16) -> Self {
        Fmt {
            size: Some(pt2),
            ..Fmt::default()
        }
    }
    fn bold(mut self) -> Self {
        self.bold = true;
        self
    }
    fn italic(mut self) -> Self {
        self.italic = true;
        self
    }
    fn with(mut self, r: &Run) -> Self {
        self.bold |= r.bold;
        self.italic |= r.italic;
        self.underline |= r.underline;
        self
    }
}

fn rpr(out: &mut String, f: Fmt) {
    if !(f.bold || f.italic || f.underline || f.size.is_some()) {
        return;
    }
    out.push_str("<w:rPr>");
    if f.bold {
        out.push_str("<w:b/><w:bCs/>");
    }
    if f.italic {
        out.push_str("<w:i/><w:iCs/>");
    }
    if let Some(s) = f.size {
        out.push_str(&format!("<w:sz w:val=\"{s}\"/><w:szCs w:val=\"{s}\"/>"));
    }
    if f.underline {
        out.push_str("<w:u w:val=\"single\"/>");
    }
    out.push_str("</w:rPr>");
}

/// One run; line breaks and tabs inside the text become `w:br` and `w:tab`.
fn run(out: &mut String, text: &str, f: Fmt) {
    out.push_str("<w:r>");
    rpr(out, f);
    let text = text.replace("\r\n", "\n");
    let mut first = true;
    for line in text.split('\n') {
        if !first {
            out.push_str("<w:br/>");
        }
        first = false;
        for (i, piece) in line.split('\t').enumerate() {
            if i > 0 {
                out.push_str("<w:tab/>");
            }
            if !piece.is_empty() {
                out.push_str("<w:t xml:space=\"preserve\">");
                out.push_str(&esc(piece));
                out.push_str("</w:t>");
            }
        }
    }
    out.push_str("</w:r>");
}

fn runs<'r>(out: &mut String, rs: impl IntoIterator<Item = &'r Run>, base: Fmt) {
    for r in rs {
        run(out, &r.text, base.with(r));
    }
}

// ---------------------------------------------------------------------------------------------
// Paragraphs

/// Paragraph properties, written in the schema's order.
#[derive(Default)]
struct Para<'a> {
    style: Option<&'a str>,
    keep_next: bool,
    /// A rule drawn along the top edge (the short lines under the issuer, motto and title).
    rule_top: bool,
    before: Option<u32>,
    after: Option<u32>,
    /// Line spacing in 240ths of a line (auto).
    line: Option<u32>,
    ind_left: Option<i32>,
    ind_right: Option<i32>,
    first_line: Option<u32>,
    jc: Option<&'a str>,
}

fn ppr(out: &mut String, p: &Para) {
    out.push_str("<w:pPr>");
    if let Some(s) = p.style {
        out.push_str(&format!("<w:pStyle w:val=\"{s}\"/>"));
    }
    if p.keep_next {
        out.push_str("<w:keepNext/>");
    }
    if p.rule_top {
        out.push_str(
            "<w:pBdr><w:top w:val=\"single\" w:sz=\"6\" w:space=\"1\" w:color=\"000000\"/></w:pBdr>",
        );
    }
    if p.before.is_some() || p.after.is_some() || p.line.is_some() {
        out.push_str("<w:spacing");
        if let Some(b) = p.before {
            out.push_str(&format!(" w:before=\"{b}\""));
        }
        if let Some(a) = p.after {
            out.push_str(&format!(" w:after=\"{a}\""));
        }
        if let Some(l) = p.line {
            out.push_str(&format!(" w:line=\"{l}\" w:lineRule=\"auto\""));
        }
        out.push_str("/>");
    }
    if p.ind_left.is_some() || p.ind_right.is_some() || p.first_line.is_some() {
        out.push_str("<w:ind");
        if let Some(l) = p.ind_left {
            out.push_str(&format!(" w:left=\"{l}\""));
        }
        if let Some(r) = p.ind_right {
            out.push_str(&format!(" w:right=\"{r}\""));
        }
        if let Some(f) = p.first_line {
            out.push_str(&format!(" w:firstLine=\"{f}\""));
        }
        out.push_str("/>");
    }
    if let Some(j) = p.jc {
        out.push_str(&format!("<w:jc w:val=\"{j}\"/>"));
    }
    out.push_str("</w:pPr>");
}

/// A paragraph of one run of text.
fn para_text(out: &mut String, p: &Para, text: &str, f: Fmt) {
    out.push_str("<w:p>");
    ppr(out, p);
    if !text.is_empty() {
        run(out, text, f);
    }
    out.push_str("</w:p>");
}

/// An empty single-spaced paragraph as tall as text of `half_points`: vertical space.
fn gap(out: &mut String, half_points: u16) {
    let p = Para {
        after: Some(0),
        line: Some(240),
        ..Para::default()
    };
    para_text(out, &p, "", Fmt::size(half_points));
}

/// A paragraph of runs, each in its own emphasis.
fn para_runs<'r>(out: &mut String, p: &Para, rs: impl IntoIterator<Item = &'r Run>) {
    out.push_str("<w:p>");
    ppr(out, p);
    runs(out, rs, Fmt::default());
    out.push_str("</w:p>");
}

/// Properties of a paragraph that takes all from its style.
fn styled(style: &str) -> Para<'_> {
    Para {
        style: Some(style),
        ..Para::default()
    }
}

/// A short centred rule of `width` twips in a space `avail` twips wide: an empty paragraph
/// whose top border the indents cut to length. Works alike in Word and LibreOffice, unlike a
/// drawn shape.
fn rule(out: &mut String, avail: u32, width: u32, before: u32) {
    let width = width.min(avail);
    let side = ((avail - width) / 2) as i32;
    out.push_str("<w:p>");
    ppr(
        out,
        &Para {
            rule_top: true,
            before: Some(before),
            after: Some(0),
            line: Some(240),
            ind_left: Some(side),
            ind_right: Some(side),
            jc: Some("center"),
            ..Para::default()
        },
    );
    // An empty run with a tiny size so that the rule's line takes little height.
    out.push_str("<w:r><w:rPr><w:sz w:val=\"4\"/><w:szCs w:val=\"4\"/></w:rPr></w:r></w:p>");
}

/// Rough width of a line of Times New Roman in twips, enough to size the rules under the
/// header lines (average advance ≈ 0.5 em for mixed case, 0.68 em for bold capitals).
fn text_width(text: &str, half_points: u16, bold_caps: bool) -> u32 {
    let em = half_points as f64 * 10.0; // twips per em
    let w: f64 = text
        .nfc()
        .map(|c| {
            if c == ' ' {
                0.25
            } else if bold_caps || c.is_uppercase() {
                0.70
            } else if matches!(c, 'i' | 'l' | 'í' | 'ì' | 'ỉ' | 'ĩ' | 'ị' | '-' | '.' | ',')
            {
                0.30
            } else {
                0.50
            }
        })
        .sum();
    (w * em) as u32
}

// ---------------------------------------------------------------------------------------------
// The document

/// Page geometry of one section.
#[derive(Clone, Copy)]
struct Page {
    landscape: bool,
}

impl Page {
    fn text_width(self) -> u32 {
        let w = if self.landscape { A4_HEIGHT } else { A4_WIDTH };
        w - MARGIN_LEFT - MARGIN_RIGHT
    }
}

fn document_xml(doc: &OfficialDocument) -> Result<String, DocsError> {
    let mut out = String::with_capacity(64 * 1024);
    out.push_str(XML_DECL);
    out.push_str(&format!(
        "<w:document xmlns:w=\"{W_NS}\" xmlns:r=\"{R_NS}\"><w:body>"
    ));
    let portrait = Page { landscape: false };
    header_block(&mut out, doc);
    if !doc.kind_title.trim().is_empty() {
        let kind = upper(&doc.kind_title);
        para_text(
            &mut out,
            &Para {
                keep_next: true,
                before: Some(360),
                after: Some(0),
                jc: Some("center"),
                ..Para::default()
            },
            &kind,
            Fmt::size(28).bold(),
        );
        para_text(
            &mut out,
            &Para {
                keep_next: true,
                after: Some(0),
                jc: Some("center"),
                ..Para::default()
            },
            &doc.title,
            Fmt::size(28).bold(),
        );
        let title_width = doc
            .title
            .lines()
            .map(|l| text_width(l, 28, false))
            .max()
            .unwrap_or(0)
            .min(portrait.text_width());
        rule(&mut out, portrait.text_width(), title_width / 3, 60);
        // Room between the title's rule and the body.
        gap(&mut out, 16);
    }
    let mut table_no = 0;
    blocks(&mut out, &doc.body, portrait, &mut table_no)?;
    signature_block(&mut out, doc);

    // Sections: the letter's pages, then one per appendix. A section's properties sit at the
    // end of it: in the last paragraph for all but the last, at the end of the body for that.
    let mut current = portrait;
    let mut first_section = true;
    for appendix in &doc.appendices {
        out.push_str("<w:p><w:pPr>");
        sect_pr(&mut out, current, first_section);
        out.push_str("</w:pPr></w:p>");
        first_section = false;
        current = Page {
            landscape: appendix.landscape,
        };
        appendix_blocks(&mut out, appendix, current, &mut table_no)?;
    }
    sect_pr(&mut out, current, first_section);
    out.push_str("</w:body></w:document>");
    Ok(out)
}

/// Section properties: A4 portrait or landscape, Decree 30 margins, page numbers in the header
/// from the second page (the first page has its own, empty, header).
fn sect_pr(out: &mut String, page: Page, first_section: bool) {
    out.push_str("<w:sectPr>");
    out.push_str("<w:headerReference w:type=\"default\" r:id=\"rIdHeaderPage\"/>");
    if first_section {
        out.push_str("<w:headerReference w:type=\"first\" r:id=\"rIdHeaderFirst\"/>");
    } else {
        out.push_str("<w:type w:val=\"nextPage\"/>");
    }
    let (w, h) = if page.landscape {
        (A4_HEIGHT, A4_WIDTH)
    } else {
        (A4_WIDTH, A4_HEIGHT)
    };
    out.push_str(&format!("<w:pgSz w:w=\"{w}\" w:h=\"{h}\""));
    if page.landscape {
        out.push_str(" w:orient=\"landscape\"");
    }
    out.push_str("/>");
    out.push_str(&format!(
        "<w:pgMar w:top=\"{MARGIN_TOP}\" w:right=\"{MARGIN_RIGHT}\" w:bottom=\"{MARGIN_BOTTOM}\" \
         w:left=\"{MARGIN_LEFT}\" w:header=\"{HEADER_DISTANCE}\" w:footer=\"{HEADER_DISTANCE}\" \
         w:gutter=\"0\"/>"
    ));
    out.push_str("<w:cols w:space=\"720\"/>");
    if first_section {
        out.push_str("<w:titlePg/>");
    }
    out.push_str("<w:docGrid w:linePitch=\"360\"/>");
    out.push_str("</w:sectPr>");
}

/// Widths of the header block's columns (issuer | motto). The motto column needs room for the
/// national name in 13 pt bold on one line, so the table reaches a little into the margins.
const HEADER_COLS: [u32; 2] = [3969, 6009];
/// How far the header block starts left of the text.
const HEADER_INDENT: i32 = -340;

/// Borderless table properties for layout tables.
fn layout_table_start(out: &mut String, cols: &[u32], indent: i32) {
    let total: u32 = cols.iter().sum();
    out.push_str("<w:tbl><w:tblPr>");
    out.push_str(&format!("<w:tblW w:w=\"{total}\" w:type=\"dxa\"/>"));
    out.push_str(&format!("<w:tblInd w:w=\"{indent}\" w:type=\"dxa\"/>"));
    out.push_str(
        "<w:tblBorders><w:top w:val=\"nil\"/><w:left w:val=\"nil\"/><w:bottom w:val=\"nil\"/>\
         <w:right w:val=\"nil\"/><w:insideH w:val=\"nil\"/><w:insideV w:val=\"nil\"/></w:tblBorders>",
    );
    out.push_str("<w:tblLayout w:type=\"fixed\"/>");
    out.push_str(
        "<w:tblCellMar><w:left w:w=\"57\" w:type=\"dxa\"/><w:right w:w=\"57\" w:type=\"dxa\"/></w:tblCellMar>",
    );
    out.push_str("<w:tblLook w:val=\"0000\"/></w:tblPr><w:tblGrid>");
    for c in cols {
        out.push_str(&format!("<w:gridCol w:w=\"{c}\"/>"));
    }
    out.push_str("</w:tblGrid>");
}

fn cell_start(out: &mut String, width: u32) {
    tc_start(out, width, 1);
    out.push_str("</w:tcPr>");
}

/// Space inside a layout cell (width less the cell margins).
fn inner(width: u32) -> u32 {
    width - 2 * 57
}

/// Tight centred line in the header block.
fn header_line<'a>() -> Para<'a> {
    Para {
        after: Some(0),
        line: Some(240),
        jc: Some("center"),
        ..Para::default()
    }
}

/// Thể thức phần đầu — the issuing body and number on the left, the motto and place-date on
/// the right.
fn header_block(out: &mut String, doc: &OfficialDocument) {
    let [left, right] = HEADER_COLS;
    layout_table_start(out, &HEADER_COLS, HEADER_INDENT);

    // Row 1: issuing body | national name and motto.
    out.push_str("<w:tr><w:trPr><w:cantSplit/></w:trPr>");
    cell_start(out, left);
    if let Some(parent) = doc
        .issuer_parent
        .as_deref()
        .filter(|p| !p.trim().is_empty())
    {
        para_text(out, &header_line(), &upper(parent), Fmt::size(26));
    }
    let issuer = upper(&doc.issuer);
    para_text(out, &header_line(), &issuer, Fmt::size(26).bold());
    let issuer_width = issuer
        .lines()
        .map(|l| text_width(l, 26, true))
        .max()
        .unwrap_or(0)
        .min(inner(left));
    // Decree 30: a rule of one third to one half of the issuer's line, centred under it.
    rule(out, inner(left), issuer_width * 2 / 5, 60);
    out.push_str("</w:tc>");
    cell_start(out, right);
    para_text(out, &header_line(), NATIONAL_NAME, Fmt::size(26).bold());
    para_text(out, &header_line(), MOTTO, Fmt::size(28).bold());
    // Decree 30: a rule as long as the motto.
    rule(out, inner(right), text_width(MOTTO, 28, false), 60);
    out.push_str("</w:tc></w:tr>");

    // Row 2: number (and "V/v" summary of a letter) | place and date.
    out.push_str("<w:tr><w:trPr><w:cantSplit/></w:trPr>");
    cell_start(out, left);
    let number = Para {
        before: Some(120),
        ..header_line()
    };
    para_text(out, &number, &format!("Số: {}", doc.number), Fmt::size(26));
    if doc.kind_title.trim().is_empty() && !doc.title.trim().is_empty() {
        para_text(
            out,
            &Para {
                before: Some(60),
                ..header_line()
            },
            &format!("V/v {}", doc.title),
            Fmt::size(24),
        );
    }
    out.push_str("</w:tc>");
    cell_start(out, right);
    para_text(out, &number, &doc.place_date, Fmt::size(28).italic());
    out.push_str("</w:tc></w:tr></w:tbl>");
}

/// Nơi nhận and the signer: a borderless two-column table kept on one page.
fn signature_block(out: &mut String, doc: &OfficialDocument) {
    const COLS: [u32; 2] = [4536, 4819];
    layout_table_start(out, &COLS, 0);
    out.push_str("<w:tr><w:trPr><w:cantSplit/></w:trPr>");
    cell_start(out, COLS[0]);
    let tight = Para {
        after: Some(0),
        line: Some(240),
        jc: Some("left"),
        ..Para::default()
    };
    if doc.recipients.is_empty() {
        para_text(out, &tight, "", Fmt::size(24));
    } else {
        para_text(
            out,
            &Para {
                before: Some(120),
                ..tight
            },
            "Nơi nhận:",
            Fmt::size(24).bold().italic(),
        );
        let last = doc.recipients.len() - 1;
        for (i, r) in doc.recipients.iter().enumerate() {
            para_text(out, &tight, &recipient_line(r, i == last), Fmt::size(22));
        }
    }
    out.push_str("</w:tc>");
    cell_start(out, COLS[1]);
    let centre = Para {
        before: Some(120),
        ..header_line()
    };
    let s = &doc.signer;
    if let Some(a) = s.authority.as_deref().filter(|a| !a.trim().is_empty()) {
        para_text(out, &centre, &upper(a), Fmt::size(28).bold());
    }
    let title_para = Para {
        before: Some(if s.authority.is_some() { 0 } else { 120 }),
        ..header_line()
    };
    para_text(out, &title_para, &upper(&s.title), Fmt::size(28).bold());
    // Room for the signature and the seal (about 3 cm).
    para_text(
        out,
        &Para {
            before: Some(1700),
            ..header_line()
        },
        &s.name,
        Fmt::size(28).bold(),
    );
    out.push_str("</w:tc></w:tr></w:tbl>");
}

/// "- Sở Nội vụ;" and, last, "- Lưu: VT, NV." — the dash and the end mark added when missing.
fn recipient_line(r: &str, last: bool) -> String {
    let r = r.trim();
    let mut s = if r.starts_with('-') {
        r.to_string()
    } else {
        format!("- {r}")
    };
    if !s.ends_with([';', '.', ',']) {
        s.push(if last { '.' } else { ';' });
    }
    s
}

fn appendix_blocks(
    out: &mut String,
    a: &Appendix,
    page: Page,
    table_no: &mut usize,
) -> Result<(), DocsError> {
    let centre = Para {
        keep_next: true,
        after: Some(0),
        jc: Some("center"),
        ..Para::default()
    };
    para_text(out, &centre, &a.label, Fmt::size(28).bold());
    para_text(out, &centre, &a.title, Fmt::size(28).bold());
    if let Some(note) = a.note.as_deref() {
        para_text(out, &centre, note, Fmt::size(28).italic());
    }
    para_text(
        out,
        &Para {
            after: Some(0),
            ..Para::default()
        },
        "",
        Fmt::size(16),
    );
    blocks(out, &a.body, page, table_no)
}

fn blocks(
    out: &mut String,
    body: &[Block],
    page: Page,
    table_no: &mut usize,
) -> Result<(), DocsError> {
    for b in body {
        match b {
            Block::Heading { level, text } => {
                let level = (*level).clamp(1, 4);
                let style = ["Heading1", "Heading2", "Heading3", "Heading4"][level as usize - 1];
                para_runs(out, &styled(style), &[Run::plain(text.as_str())]);
            }
            Block::Paragraph(rs) => para_runs(out, &styled("BodyText"), rs),
            Block::Bullet(rs) => {
                let dashed = rs
                    .first()
                    .map(|r| r.text.trim_start().starts_with(['-', '–', '+']))
                    .unwrap_or(false);
                let dash = (!dashed).then(|| Run::plain("- "));
                para_runs(out, &styled("BodyText"), dash.iter().chain(rs));
            }
            Block::Centered(rs) => para_runs(
                out,
                &Para {
                    keep_next: true,
                    before: Some(60),
                    after: Some(60),
                    jc: Some("center"),
                    ..Para::default()
                },
                rs,
            ),
            Block::Table(t) => {
                *table_no += 1;
                table(out, t, page, *table_no)?;
                // Space after a table, and a paragraph between two tables so they stay apart.
                gap(out, 12);
            }
            Block::PageBreak => {
                out.push_str("<w:p><w:r><w:br w:type=\"page\"/></w:r></w:p>");
            }
        }
    }
    Ok(())
}

/// Scales relative widths to `total` twips; the last column takes the rounding.
fn scale(widths: &[u32], total: u32) -> Vec<u32> {
    let sum: u64 = widths.iter().map(|&w| w.max(1) as u64).sum();
    let mut out: Vec<u32> = widths
        .iter()
        .map(|&w| (w.max(1) as u64 * total as u64 / sum) as u32)
        .collect();
    let used: u32 = out.iter().sum();
    if let Some(last) = out.last_mut() {
        *last += total - used;
    }
    out
}

impl Align {
    /// The `w:jc` value of the alignment.
    fn xml(self) -> &'static str {
        match self {
            Align::Left => "left",
            Align::Center => "center",
            Align::Right => "right",
            Align::Justify => "both",
        }
    }
}

/// Shading of header cells.
const HEADER_SHADE: &str = "<w:shd w:val=\"clear\" w:color=\"auto\" w:fill=\"F2F2F2\"/>";

/// Opens a cell `w` twips wide over `span` grid columns; its properties stay open for more.
fn tc_start(out: &mut String, w: u32, span: u16) {
    out.push_str(&format!(
        "<w:tc><w:tcPr><w:tcW w:w=\"{w}\" w:type=\"dxa\"/>"
    ));
    if span > 1 {
        out.push_str(&format!("<w:gridSpan w:val=\"{span}\"/>"));
    }
}

fn table(out: &mut String, t: &Table, page: Page, no: usize) -> Result<(), DocsError> {
    let ncols = t.widths.len();
    if ncols == 0 {
        return Err(DocsError::Layout(format!("bảng thứ {no}: chưa có cột nào")));
    }
    let grid = scale(&t.widths, page.text_width());
    let size = (t.font_pt.clamp(8, 16) as u16) * 2;
    out.push_str("<w:tbl><w:tblPr><w:tblStyle w:val=\"Grid\"/>");
    out.push_str(&format!(
        "<w:tblW w:w=\"{}\" w:type=\"dxa\"/><w:jc w:val=\"center\"/>",
        page.text_width()
    ));
    out.push_str("<w:tblLayout w:type=\"fixed\"/><w:tblLook w:val=\"0000\"/></w:tblPr><w:tblGrid>");
    for g in &grid {
        out.push_str(&format!("<w:gridCol w:w=\"{g}\"/>"));
    }
    out.push_str("</w:tblGrid>");

    // Cells spanning rows: for each grid column, how many more rows it covers and how wide.
    let mut pending: Vec<(u16, u16)> = vec![(0, 0); ncols];
    let all = t
        .header
        .iter()
        .map(|r| (true, r))
        .chain(t.rows.iter().map(|r| (false, r)));
    for (i, (is_header, row)) in all.enumerate() {
        let row_no = i + 1;
        out.push_str("<w:tr>");
        if is_header {
            out.push_str("<w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>");
        }
        let mut cells = row.iter();
        let mut c = 0usize;
        while c < ncols {
            let (left, span) = pending[c];
            if left > 0 {
                pending[c].0 -= 1;
                let w: u32 = grid[c..(c + span as usize).min(ncols)].iter().sum();
                tc_start(out, w, span);
                out.push_str("<w:vMerge/>");
                if is_header {
                    out.push_str(HEADER_SHADE);
                }
                out.push_str("</w:tcPr><w:p/></w:tc>");
                c += span as usize;
                continue;
            }
            let Some(cell) = cells.next() else {
                return Err(DocsError::Layout(format!(
                    "bảng thứ {no}, dòng {row_no}: thiếu ô (có {c} trên {ncols} cột)"
                )));
            };
            let span = cell.col_span.max(1);
            if c + span as usize > ncols {
                return Err(DocsError::Layout(format!(
                    "bảng thứ {no}, dòng {row_no}: các ô chiếm quá {ncols} cột"
                )));
            }
            if cell.row_span > 1 {
                pending[c] = (cell.row_span - 1, span);
            }
            let w: u32 = grid[c..c + span as usize].iter().sum();
            tc_start(out, w, span);
            if cell.row_span > 1 {
                out.push_str("<w:vMerge w:val=\"restart\"/>");
            }
            if is_header {
                out.push_str(HEADER_SHADE);
                out.push_str("<w:vAlign w:val=\"center\"/>");
            }
            out.push_str("</w:tcPr><w:p>");
            let align = if is_header { Align::Center } else { cell.align };
            ppr(
                out,
                &Para {
                    style: Some("TableText"),
                    jc: Some(align.xml()),
                    ..Para::default()
                },
            );
            let mut f = Fmt::size(size);
            f.bold = is_header;
            runs(out, &cell.runs, f);
            out.push_str("</w:p></w:tc>");
            c += span as usize;
        }
        if cells.next().is_some() {
            return Err(DocsError::Layout(format!(
                "bảng thứ {no}, dòng {row_no}: thừa ô (bảng có {ncols} cột)"
            )));
        }
        out.push_str("</w:tr>");
    }
    out.push_str("</w:tbl>");
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// The other parts

const XML_DECL: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";
const W_NS: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
const R_NS: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

const CONTENT_TYPES: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>
<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">\
<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>\
<Default Extension=\"xml\" ContentType=\"application/xml\"/>\
<Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>\
<Override PartName=\"/word/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml\"/>\
<Override PartName=\"/word/settings.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml\"/>\
<Override PartName=\"/word/header1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml\"/>\
<Override PartName=\"/word/header2.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml\"/>\
<Override PartName=\"/docProps/core.xml\" ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/>\
<Override PartName=\"/docProps/app.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.extended-properties+xml\"/>\
</Types>";

const ROOT_RELS: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>
<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/>\
<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties\" Target=\"docProps/core.xml\"/>\
<Relationship Id=\"rId3\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties\" Target=\"docProps/app.xml\"/>\
</Relationships>";

const DOCUMENT_RELS: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>
<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
<Relationship Id=\"rIdStyles\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/>\
<Relationship Id=\"rIdSettings\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings\" Target=\"settings.xml\"/>\
<Relationship Id=\"rIdHeaderPage\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/header\" Target=\"header1.xml\"/>\
<Relationship Id=\"rIdHeaderFirst\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/header\" Target=\"header2.xml\"/>\
</Relationships>";

const APP: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>
<Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties\" \
xmlns:vt=\"http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes\">\
<Application>cchc</Application><DocSecurity>0</DocSecurity></Properties>";

/// Settings: the first-page header itself is switched on per section (`w:titlePg`); here the
/// tab stops, Vietnamese as the language and Word 2013+ layout rules.
const SETTINGS: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>
<w:settings xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">\
<w:zoom w:percent=\"100\"/><w:defaultTabStop w:val=\"720\"/>\
<w:characterSpacingControl w:val=\"doNotCompress\"/>\
<w:compat><w:compatSetting w:name=\"compatibilityMode\" w:uri=\"http://schemas.microsoft.com/office/word\" w:val=\"15\"/></w:compat>\
<w:themeFontLang w:val=\"vi-VN\"/>\
</w:settings>";

fn core_xml(doc: &OfficialDocument) -> String {
    let title = if doc.kind_title.trim().is_empty() {
        doc.title.clone()
    } else {
        format!("{} {}", upper(&doc.kind_title), doc.title)
    };
    format!(
        "{XML_DECL}<cp:coreProperties \
         xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" \
         xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\" \
         xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">\
         <dc:title>{}</dc:title><dc:creator>{}</dc:creator><dc:language>vi-VN</dc:language>\
         </cp:coreProperties>",
        esc(&title.replace('\n', " ")),
        esc(&doc.issuer.replace('\n', " ")),
    )
}

/// The page-number header (PAGE field, centred, 14 pt) or the first page's empty one.
fn header_xml(with_page: bool) -> String {
    let mut out = format!("{XML_DECL}<w:hdr xmlns:w=\"{W_NS}\" xmlns:r=\"{R_NS}\"><w:p>");
    ppr(
        &mut out,
        &Para {
            style: Some("Header"),
            jc: Some("center"),
            ..Para::default()
        },
    );
    if with_page {
        out.push_str(
            "<w:r><w:fldChar w:fldCharType=\"begin\"/></w:r>\
             <w:r><w:instrText xml:space=\"preserve\"> PAGE </w:instrText></w:r>\
             <w:r><w:fldChar w:fldCharType=\"separate\"/></w:r>\
             <w:r><w:t>2</w:t></w:r>\
             <w:r><w:fldChar w:fldCharType=\"end\"/></w:r>",
        );
    }
    out.push_str("</w:p></w:hdr>");
    out
}

fn styles_xml() -> String {
    let fonts = format!(
        "<w:rFonts w:ascii=\"{FONT}\" w:hAnsi=\"{FONT}\" w:eastAsia=\"{FONT}\" w:cs=\"{FONT}\"/>"
    );
    let heading = |id: &str, name: &str, level: u8, rpr: &str| {
        format!(
            "<w:style w:type=\"paragraph\" w:styleId=\"{id}\"><w:name w:val=\"{name}\"/>\
             <w:basedOn w:val=\"BodyText\"/><w:next w:val=\"BodyText\"/><w:qFormat/>\
             <w:pPr><w:keepNext/><w:keepLines/><w:spacing w:before=\"60\" w:after=\"{PARA_AFTER}\"/>\
             <w:outlineLvl w:val=\"{level}\"/></w:pPr><w:rPr>{rpr}</w:rPr></w:style>"
        )
    };
    format!(
        "{XML_DECL}<w:styles xmlns:w=\"{W_NS}\">\
         <w:docDefaults><w:rPrDefault><w:rPr>{fonts}\
         <w:sz w:val=\"{BODY_SIZE}\"/><w:szCs w:val=\"{BODY_SIZE}\"/>\
         <w:lang w:val=\"vi-VN\" w:eastAsia=\"en-US\" w:bidi=\"ar-SA\"/></w:rPr></w:rPrDefault>\
         <w:pPrDefault><w:pPr><w:widowControl/><w:spacing w:after=\"0\" w:line=\"240\" w:lineRule=\"auto\"/></w:pPr></w:pPrDefault>\
         </w:docDefaults>\
         <w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\"><w:name w:val=\"Normal\"/><w:qFormat/>\
         <w:rPr>{fonts}<w:sz w:val=\"{BODY_SIZE}\"/><w:szCs w:val=\"{BODY_SIZE}\"/></w:rPr></w:style>\
         <w:style w:type=\"paragraph\" w:styleId=\"BodyText\"><w:name w:val=\"Body Text\"/>\
         <w:basedOn w:val=\"Normal\"/><w:qFormat/>\
         <w:pPr><w:spacing w:before=\"0\" w:after=\"{PARA_AFTER}\" w:line=\"{LINE}\" w:lineRule=\"auto\"/>\
         <w:ind w:firstLine=\"{FIRST_LINE}\"/><w:jc w:val=\"both\"/></w:pPr></w:style>\
         {}{}{}{}\
         <w:style w:type=\"paragraph\" w:styleId=\"TableText\"><w:name w:val=\"Table Text\"/>\
         <w:basedOn w:val=\"Normal\"/><w:pPr><w:spacing w:before=\"40\" w:after=\"40\" w:line=\"240\" w:lineRule=\"auto\"/></w:pPr>\
         <w:rPr><w:sz w:val=\"24\"/><w:szCs w:val=\"24\"/></w:rPr></w:style>\
         <w:style w:type=\"paragraph\" w:styleId=\"Header\"><w:name w:val=\"header\"/>\
         <w:basedOn w:val=\"Normal\"/><w:pPr><w:jc w:val=\"center\"/></w:pPr></w:style>\
         <w:style w:type=\"table\" w:default=\"1\" w:styleId=\"TableNormal\"><w:name w:val=\"Normal Table\"/>\
         <w:tblPr><w:tblInd w:w=\"0\" w:type=\"dxa\"/><w:tblCellMar><w:top w:w=\"0\" w:type=\"dxa\"/>\
         <w:left w:w=\"108\" w:type=\"dxa\"/><w:bottom w:w=\"0\" w:type=\"dxa\"/><w:right w:w=\"108\" w:type=\"dxa\"/>\
         </w:tblCellMar></w:tblPr></w:style>\
         <w:style w:type=\"table\" w:styleId=\"Grid\"><w:name w:val=\"Table Grid\"/><w:basedOn w:val=\"TableNormal\"/>\
         <w:tblPr><w:tblBorders>\
         <w:top w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/>\
         <w:left w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/>\
         <w:bottom w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/>\
         <w:right w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/>\
         <w:insideH w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/>\
         <w:insideV w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/>\
         </w:tblBorders><w:tblCellMar><w:left w:w=\"85\" w:type=\"dxa\"/><w:right w:w=\"85\" w:type=\"dxa\"/></w:tblCellMar>\
         </w:tblPr></w:style>\
         </w:styles>",
        heading("Heading1", "heading 1", 0, "<w:b/><w:bCs/>"),
        heading("Heading2", "heading 2", 1, "<w:b/><w:bCs/>"),
        heading("Heading3", "heading 3", 2, "<w:b/><w:bCs/><w:i/><w:iCs/>"),
        heading("Heading4", "heading 4", 3, "<w:i/><w:iCs/>"),
    )
}
