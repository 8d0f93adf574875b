//! Document writers: the plan as officials lay it out, for Excel; official documents
//! (văn bản hành chính) as .docx in the layout of Decree 30/2020/NĐ-CP.

pub mod docx;
pub mod ranking;
pub mod report;
pub mod xlsx_table;

use std::borrow::Cow;

use cchc_domain::deadline::{Deadline, DeadlineKind};
use cchc_domain::plan::{Plan, RefTarget, UnitRef};
use cchc_domain::unit::Registry;
use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError};
use xlsx_table::table_header;

/// Lỗi ghi tài liệu — why a document could not be written.
#[derive(Debug, thiserror::Error)]
pub enum DocsError {
    /// The spreadsheet library refused the workbook.
    #[error("không ghi được tệp Excel: {0}")]
    Xlsx(#[from] XlsxError),
    /// The .docx package could not be written.
    #[error("không ghi được tệp Word: {0}")]
    Zip(#[from] zip::result::ZipError),
    /// The document's content does not fit its layout (e.g. a table row with too many cells).
    #[error("văn bản không hợp lệ: {0}")]
    Layout(String),
}

/// Name of the appendix sheet.
pub const SHEET_MATRIX: &str = "Phụ lục";
/// Name of the key-targets sheet.
pub const SHEET_TARGETS: &str = "Chỉ tiêu";
/// Name of the diagnostics sheet.
pub const SHEET_DIAGNOSTICS: &str = "Cảnh báo";

/// Headers of the appendix sheet, in column order: the appendix's own eight columns after TT,
/// then the activity key and the computed span.
pub const MATRIX_HEADERS: [&str; 11] = [
    "TT",
    "Mục tiêu/Chỉ tiêu/Nội dung",
    "Nhiệm vụ",
    "Hoạt động",
    "Kết quả, sản phẩm",
    "Chủ trì",
    "Phối hợp",
    "Thời gian hoàn thành",
    "Kinh phí",
    "Mã hoạt động",
    "Hạn (từ–đến)",
];

/// Column widths of the appendix sheet, in characters.
const MATRIX_WIDTHS: [f64; 11] = [
    5.0, 34.0, 32.0, 40.0, 26.0, 20.0, 24.0, 14.0, 13.0, 15.0, 22.0,
];

/// Row of the header in the appendix sheet (0-based): below the title and the decision line.
pub const MATRIX_HEADER_ROW: u32 = 2;

const FONT: &str = "Times New Roman";

/// The cell formats of the workbook, all in Times New Roman as official documents are.
pub(crate) struct Formats {
    title: Format,
    subtitle: Format,
    header: Format,
    section: Format,
    part: Format,
    cell: Format,
    centre: Format,
}

impl Formats {
    fn new() -> Self {
        let base = Format::new().set_font_name(FONT).set_font_size(12);
        let boxed = base
            .clone()
            .set_border(FormatBorder::Thin)
            .set_text_wrap()
            .set_align(FormatAlign::Top);
        Formats {
            title: base
                .clone()
                .set_bold()
                .set_font_size(14)
                .set_align(FormatAlign::Center),
            subtitle: base.clone().set_italic().set_align(FormatAlign::Center),
            header: boxed
                .clone()
                .set_bold()
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter)
                .set_background_color("#D9E1F2"),
            section: boxed.clone().set_bold().set_background_color("#F2F2F2"),
            part: boxed.clone().set_bold().set_italic(),
            centre: boxed.clone().set_align(FormatAlign::Center),
            cell: boxed,
        }
    }
}

/// Phụ lục as .xlsx: the appendix matrix (one row per activity, with its row's TT, objective
/// and task repeated so that filters work), the key targets and the plan's diagnostics.
pub fn plan_matrix_xlsx(plan: &Plan, units: &Registry) -> Result<Vec<u8>, DocsError> {
    // Activity keys are the plan's contract; give them if the caller has not yet.
    let plan: Cow<Plan> = if plan.activities().any(|a| a.activity.id.is_empty()) {
        let mut p = plan.clone();
        p.assign_ids();
        Cow::Owned(p)
    } else {
        Cow::Borrowed(plan)
    };
    let f = Formats::new();
    let mut workbook = Workbook::new();
    matrix_sheet(workbook.add_worksheet(), &plan, units, &f)?;
    targets_sheet(workbook.add_worksheet(), &plan, &f)?;
    diagnostics_sheet(workbook.add_worksheet(), &plan, &f)?;
    Ok(workbook.save_to_buffer()?)
}

fn matrix_sheet(
    ws: &mut Worksheet,
    plan: &Plan,
    units: &Registry,
    f: &Formats,
) -> Result<(), XlsxError> {
    ws.set_name(SHEET_MATRIX)?;
    ws.set_landscape()
        .set_paper_size(9)
        .set_print_fit_to_pages(1, 0);
    let last_col = (MATRIX_HEADERS.len() - 1) as u16;
    for (c, w) in MATRIX_WIDTHS.iter().enumerate() {
        ws.set_column_width(c as u16, *w)?;
    }
    ws.merge_range(
        0,
        0,
        0,
        last_col,
        &format!(
            "KHUNG NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH TRỌNG TÂM NĂM {}",
            plan.year
        ),
        &f.title,
    )?;
    ws.merge_range(1, 0, 1, last_col, &decision_line(plan), &f.subtitle)?;
    let header = MATRIX_HEADER_ROW;
    for (c, h) in MATRIX_HEADERS.iter().enumerate() {
        ws.write_string_with_format(header, c as u16, *h, &f.header)?;
    }
    ws.set_freeze_panes(header + 1, 0)?;
    ws.set_repeat_rows(header, header)?;

    let mut r = header;
    for section in &plan.sections {
        r += 1;
        ws.write_string_with_format(r, 0, &section.code, &f.section)?;
        ws.merge_range(r, 1, r, last_col, &section.title, &f.section)?;
        for part in &section.parts {
            if part.code.is_some() || part.title.is_some() {
                r += 1;
                ws.write_string_with_format(r, 0, part.code.as_deref().unwrap_or(""), &f.part)?;
                ws.merge_range(
                    r,
                    1,
                    r,
                    last_col,
                    part.title.as_deref().unwrap_or(""),
                    &f.part,
                )?;
            }
            for row in &part.rows {
                let objective = row
                    .objective
                    .as_ref()
                    .map(|o| numbered(o.code.as_deref(), &o.text))
                    .unwrap_or_default();
                for task in &row.tasks {
                    let task_text = numbered(task.code.as_deref(), &task.text);
                    for a in &task.activities {
                        r += 1;
                        let cells: [(u16, String); 10] = [
                            (1, objective.clone()),
                            (2, task_text.clone()),
                            (3, numbered(a.code.as_deref(), &a.text)),
                            (4, a.outputs.clone().unwrap_or_default()),
                            (5, unit_names(&a.lead, units)),
                            (6, unit_names(&a.coordinators, units)),
                            (
                                7,
                                a.deadline
                                    .as_ref()
                                    .map(|d| d.text.clone())
                                    .unwrap_or_default(),
                            ),
                            (8, a.funding.clone().unwrap_or_default()),
                            (9, a.id.clone()),
                            (10, a.deadline.as_ref().map(span).unwrap_or_default()),
                        ];
                        ws.write_string_with_format(r, 0, &row.no, &f.centre)?;
                        for (c, text) in &cells {
                            ws.write_string_with_format(r, *c, text, &f.cell)?;
                        }
                    }
                }
            }
        }
    }
    ws.autofilter(header, 0, r, last_col)?;
    Ok(())
}

/// "Kèm theo Quyết định số 60/QĐ-UBND ngày 11/01/2024".
fn decision_line(plan: &Plan) -> String {
    let mut s = format!("(Kèm theo Quyết định số {}", plan.decision.number);
    if let Some(d) = plan.decision.date {
        s.push_str(&format!(" ngày {}", d.format("%d/%m/%Y")));
    }
    s.push(')');
    s
}

/// "2.1. Ban hành …" as the appendix writes a numbered cell.
fn numbered(code: Option<&str>, text: &str) -> String {
    match code {
        Some(c) if !c.is_empty() => format!("{}. {text}", c.trim_end_matches('.')),
        _ => text.to_string(),
    }
}

/// The units as the source names them, joined by "; "; a reference without words takes the
/// registry's name or the group's label.
fn unit_names(refs: &[UnitRef], units: &Registry) -> String {
    refs.iter()
        .map(|r| {
            if !r.text.trim().is_empty() {
                return r.text.clone();
            }
            match &r.target {
                RefTarget::Unit(id) => units
                    .get(id)
                    .map(|u| u.name.clone())
                    .unwrap_or_else(|| id.to_string()),
                RefTarget::Group(g) => g.label_vi().to_string(),
                RefTarget::Unresolved(p) => p.clone(),
            }
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// "01/04/2024 – 30/09/2024", "15/01/2024", or the kind for deadlines without a date.
fn span(d: &Deadline) -> String {
    let day = |x: chrono::NaiveDate| x.format("%d/%m/%Y").to_string();
    match (d.kind, d.start, d.end) {
        (DeadlineKind::Date | DeadlineKind::Period, Some(s), Some(e)) if s != e => {
            format!("{} – {}", day(s), day(e))
        }
        (DeadlineKind::Date | DeadlineKind::Period, _, Some(e)) => day(e),
        (kind, _, _) => kind.label_vi().to_string(),
    }
}

fn targets_sheet(ws: &mut Worksheet, plan: &Plan, f: &Formats) -> Result<(), XlsxError> {
    ws.set_name(SHEET_TARGETS)?;
    let headers = [
        ("Lĩnh vực", 30.0),
        ("Mã", 7.0),
        ("Nội dung", 80.0),
        ("Ngưỡng", 30.0),
    ];
    table_header(ws, 0, &headers, plan.targets.len() as u32, f)?;
    let mut r = 0;
    for t in &plan.targets {
        r += 1;
        let area = match plan.area_title(t.area) {
            Some(title) => format!("{}. {title}", t.area),
            None => t.area.to_string(),
        };
        let thresholds: Vec<String> = t.measures.iter().map(|m| m.display_vi()).collect();
        for (c, text) in [area, t.code.clone(), t.text.clone(), thresholds.join("; ")]
            .iter()
            .enumerate()
        {
            ws.write_string_with_format(r, c as u16, text, &f.cell)?;
        }
    }
    Ok(())
}

fn diagnostics_sheet(ws: &mut Worksheet, plan: &Plan, f: &Formats) -> Result<(), XlsxError> {
    ws.set_name(SHEET_DIAGNOSTICS)?;
    let headers = [
        ("Mức độ", 12.0),
        ("Mã", 26.0),
        ("Nội dung", 90.0),
        ("Vị trí", 18.0),
    ];
    table_header(ws, 0, &headers, plan.diagnostics.len() as u32, f)?;
    let mut r = 0;
    for d in &plan.diagnostics {
        r += 1;
        let cells = [
            d.severity.label_vi(),
            d.code.as_str(),
            d.message.as_str(),
            d.location.as_str(),
        ];
        for (c, text) in cells.iter().enumerate() {
            ws.write_string_with_format(r, c as u16, *text, &f.cell)?;
        }
    }
    Ok(())
}

/// Headers of the dossier sheet: the dossier file's columns, with the unit's name added.
pub const DOSSIER_HEADERS: [&str; 15] = [
    "Mã hồ sơ",
    "Mã TTHC",
    "Đơn vị tiếp nhận",
    "Tên đơn vị",
    "Hình thức nộp",
    "Ngày tiếp nhận",
    "Ngày hẹn trả",
    "Ngày trả kết quả",
    "Trạng thái",
    "Số hóa thành phần hồ sơ",
    "Số hóa kết quả",
    "Tái sử dụng dữ liệu",
    "Đã thanh toán trực tuyến",
    "Đánh giá",
    "Thư xin lỗi",
];

/// Data rows per sheet of a dossier list: Excel's limit of 1,048,576 rows, less the header.
pub const DOSSIER_ROWS_PER_SHEET: u32 = 1_048_575;

/// Danh sách hồ sơ — the dossiers behind a figure as an `.xlsx` workbook, written row by row:
/// each sheet keeps its rows in a temporary file (rust_xlsxwriter's constant-memory mode), so
/// a list of a million dossiers takes no more memory than one of ten. A list longer than a
/// sheet continues on «Hồ sơ (2)», «Hồ sơ (3)»…
pub struct DossiersXlsx {
    book: Workbook,
    bold: Format,
    sheets: usize,
    /// The next row of the current sheet (0 before the first sheet).
    row: u32,
    rows_per_sheet: u32,
}

impl DossiersXlsx {
    pub fn new() -> Result<DossiersXlsx, DocsError> {
        Self::with_rows_per_sheet(DOSSIER_ROWS_PER_SHEET)
    }

    /// With fewer data rows per sheet than Excel's limit (to see the sheets follow each other
    /// without a million rows).
    pub fn with_rows_per_sheet(rows: u32) -> Result<DossiersXlsx, DocsError> {
        Ok(DossiersXlsx {
            book: Workbook::new(),
            bold: Format::new().set_bold(),
            sheets: 0,
            row: 0,
            rows_per_sheet: rows.clamp(1, DOSSIER_ROWS_PER_SHEET),
        })
    }

    fn next_sheet(&mut self) -> Result<(), DocsError> {
        self.sheets += 1;
        let name = match self.sheets {
            1 => "Hồ sơ".to_string(),
            n => format!("Hồ sơ ({n})"),
        };
        let sheet = self.book.add_worksheet_with_constant_memory()?;
        sheet.set_name(name)?;
        for (c, h) in DOSSIER_HEADERS.iter().enumerate() {
            sheet.write_string_with_format(0, c as u16, *h, &self.bold)?;
        }
        self.row = 1;
        Ok(())
    }

    /// Adds a dossier as the next row.
    pub fn push(
        &mut self,
        d: &cchc_domain::service::Dossier,
        registry: &Registry,
    ) -> Result<(), DocsError> {
        if self.sheets == 0 || self.row > self.rows_per_sheet {
            self.next_sheet()?;
        }
        let yes_no = |b: bool| if b { "Có" } else { "Không" };
        let dt = |t: chrono::NaiveDateTime| t.format("%Y-%m-%d %H:%M:%S").to_string();
        let unit_name = registry
            .get(&d.unit)
            .map(|u| u.name.as_str())
            .unwrap_or_default();
        let returned = d.returned.map(dt).unwrap_or_default();
        let cells: [&str; 15] = [
            d.code.as_str(),
            d.procedure.as_str(),
            d.unit.as_str(),
            unit_name,
            d.channel.label_vi(),
            &dt(d.received),
            &dt(d.due),
            &returned,
            d.status.label_vi(),
            yes_no(d.inputs_digitized),
            yes_no(d.results_digitized),
            yes_no(d.data_reused),
            yes_no(d.paid_online),
            d.rating.map(|x| x.label_vi()).unwrap_or_default(),
            yes_no(d.apology),
        ];
        let sheet = self.book.worksheet_from_index(self.sheets - 1)?;
        for (c, v) in cells.iter().enumerate() {
            sheet.write_string(self.row, c as u16, *v)?;
        }
        self.row += 1;
        Ok(())
    }

    /// The workbook's bytes (a list without rows is one sheet of headers).
    pub fn finish(mut self) -> Result<Vec<u8>, DocsError> {
        if self.sheets == 0 {
            self.next_sheet()?;
        }
        Ok(self.book.save_to_buffer()?)
    }

    /// Writes the workbook to `path` (a list without rows is one sheet of headers): a long
    /// list's file need not be held in memory to be sent.
    pub fn finish_to(mut self, path: &std::path::Path) -> Result<(), DocsError> {
        if self.sheets == 0 {
            self.next_sheet()?;
        }
        Ok(self.book.save(path)?)
    }
}
