//! Bảng xuất Excel — generic table exports: Vietnamese headers, a frozen and filtered header
//! row, column widths, number, percent and date formats, Times New Roman, A4 print set-up.

use chrono::Datelike;
use rust_xlsxwriter::{ExcelDateTime, Format, FormatAlign, Workbook, Worksheet, XlsxError};

use crate::{DocsError, Formats};

/// Bảng tính — one sheet of an export: optional title lines, a header row, data rows.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TableSheet {
    /// Sheet name (at most 31 characters, no `[]:*?/\`).
    pub name: String,
    /// Title above the table, bold and centred across it, e.g. "TÌNH HÌNH GỬI BÁO CÁO QUÝ II".
    pub title: Option<String>,
    /// Italic line under the title, e.g. "(Số liệu đến ngày 30/6/2024)".
    pub subtitle: Option<String>,
    /// The columns, in order.
    pub columns: Vec<Column>,
    /// Data rows; a row shorter than the columns leaves the rest blank.
    pub rows: Vec<Vec<Value>>,
    /// Landscape print pages, fitted to one page wide.
    pub landscape: bool,
}

/// Cột — a column: its Vietnamese header, width in characters and alignment.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    /// Header text, e.g. "Cơ quan, đơn vị".
    pub header: String,
    /// Width in characters.
    pub width: f64,
    /// Centre the column's text (TT, codes, statuses).
    pub centred: bool,
}

impl Column {
    /// A left-aligned column.
    pub fn new(header: impl Into<String>, width: f64) -> Self {
        Column {
            header: header.into(),
            width,
            centred: false,
        }
    }

    /// A centred column.
    pub fn centred(header: impl Into<String>, width: f64) -> Self {
        Column {
            centred: true,
            ..Column::new(header, width)
        }
    }
}

/// A cell value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// Text.
    Text(String),
    /// A count, shown "1.234" or "1,234" by the reader's locale.
    Integer(i64),
    /// A decimal number with two places.
    Number(f64),
    /// A ratio shown as a percentage with one decimal: 0.625 → 62,5%.
    Percent(f64),
    /// A date shown dd/mm/yyyy.
    Date(chrono::NaiveDate),
    /// Nothing (a bordered blank cell).
    Empty,
}

impl From<&str> for Value {
    fn from(s: &str) -> Self {
        Value::Text(s.to_string())
    }
}

impl From<String> for Value {
    fn from(s: String) -> Self {
        Value::Text(s)
    }
}

/// Bảng tính .xlsx — writes the sheets as one workbook.
pub fn write_table_xlsx(sheets: &[TableSheet]) -> Result<Vec<u8>, DocsError> {
    let f = Formats::new();
    let mut workbook = Workbook::new();
    // Blank cells too in Times New Roman 12: Excel's default row is then 21 px high and its
    // default column 72 px wide (the pixel sizes rust_xlsxwriter asks for with a new default).
    workbook.set_default_format(
        &Format::new().set_font_name(crate::FONT).set_font_size(12),
        21,
        72,
    )?;
    for sheet in sheets {
        write_sheet(workbook.add_worksheet(), sheet, &f)?;
    }
    Ok(workbook.save_to_buffer()?)
}

fn write_sheet(ws: &mut Worksheet, s: &TableSheet, f: &Formats) -> Result<(), XlsxError> {
    ws.set_name(&s.name)?;
    ws.set_paper_size(9);
    if s.landscape {
        ws.set_landscape().set_print_fit_to_pages(1, 0);
    }
    let last_col = s.columns.len().saturating_sub(1) as u16;
    let mut header = 0;
    for (line, format) in [(&s.title, &f.title), (&s.subtitle, &f.subtitle)] {
        if let Some(text) = line {
            if last_col > 0 {
                ws.merge_range(header, 0, header, last_col, text, format)?;
            } else {
                ws.write_string_with_format(header, 0, text, format)?;
            }
            header += 1;
        }
    }
    let headers: Vec<(&str, f64)> = s
        .columns
        .iter()
        .map(|c| (c.header.as_str(), c.width))
        .collect();
    let last = table_header(ws, header, &headers, s.rows.len() as u32, f)?;
    ws.set_repeat_rows(header, header)?;

    let typed = TypedFormats::new(f);
    for (i, row) in s.rows.iter().enumerate() {
        let r = header + 1 + i as u32;
        for (c, col) in s.columns.iter().enumerate() {
            let c16 = c as u16;
            let text = if col.centred { &f.centre } else { &f.cell };
            match row.get(c).unwrap_or(&Value::Empty) {
                Value::Text(t) => ws.write_string_with_format(r, c16, t, text)?,
                Value::Integer(n) => {
                    ws.write_number_with_format(r, c16, *n as f64, &typed.integer)?
                }
                Value::Number(n) => ws.write_number_with_format(r, c16, *n, &typed.number)?,
                Value::Percent(p) => ws.write_number_with_format(r, c16, *p, &typed.percent)?,
                Value::Date(d) => {
                    let date =
                        ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8)?;
                    ws.write_date_with_format(r, c16, &date, &typed.date)?
                }
                Value::Empty => ws.write_blank(r, c16, text)?,
            };
        }
    }
    debug_assert_eq!(last, header + s.rows.len() as u32);
    Ok(())
}

/// Number formats on the bordered cell style.
struct TypedFormats {
    integer: Format,
    number: Format,
    percent: Format,
    date: Format,
}

impl TypedFormats {
    fn new(f: &Formats) -> Self {
        let right = f.cell.clone().set_align(FormatAlign::Right);
        TypedFormats {
            integer: right.clone().set_num_format("#,##0"),
            number: right.clone().set_num_format("#,##0.00"),
            percent: right.set_num_format("0.0%"),
            date: f.centre.clone().set_num_format("dd/mm/yyyy"),
        }
    }
}

/// Writes a header row at `row` with the column widths, freezes the panes below it and puts a
/// filter over it and the `rows` that follow; returns the last data row. Shared with the plan
/// workbook's simple sheets.
pub(crate) fn table_header(
    ws: &mut Worksheet,
    row: u32,
    headers: &[(&str, f64)],
    rows: u32,
    f: &Formats,
) -> Result<u32, XlsxError> {
    for (c, (h, w)) in headers.iter().enumerate() {
        ws.set_column_width(c as u16, *w)?;
        ws.write_string_with_format(row, c as u16, *h, &f.header)?;
    }
    ws.set_freeze_panes(row + 1, 0)?;
    let last = row + rows;
    ws.autofilter(row, 0, last, headers.len().saturating_sub(1) as u16)?;
    Ok(last)
}
