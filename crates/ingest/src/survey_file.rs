//! Phiếu khảo sát giấy: paper satisfaction questionnaires typed into CSV or XLSX, one
//! questionnaire a row. Columns by code or Vietnamese label: `don_vi` (Đơn vị: the unit's id),
//! `ngay` (Ngày: the day it was answered), `c1`…`c5` (the five SIPAS factors, 1–5 or empty),
//! `y_kien` (Ý kiến, optional). Rows come out as text with their row numbers; the application
//! checks the values against the registry and the rating scale.

use std::path::Path;

use crate::service_files::{col, optional_col, Column, ColumnMap, LocatedError, RawRow, RowReader};

/// The paper survey file's columns, in this order.
pub const PAPER_SURVEY_COLUMNS: [Column; 8] = [
    col("don_vi", "Đơn vị"),
    col("ngay", "Ngày"),
    optional_col("c1", "Tiếp cận dịch vụ"),
    optional_col("c2", "Thủ tục hành chính"),
    optional_col("c3", "Công chức"),
    optional_col("c4", "Kết quả"),
    optional_col("c5", "Góp ý, phản ánh"),
    optional_col("y_kien", "Ý kiến"),
];

/// Reads every row of a paper survey file (XLSX by its `.xlsx` extension, CSV otherwise).
pub fn read_paper_survey(path: &Path) -> Result<Vec<RawRow>, Vec<LocatedError>> {
    let mut reader =
        RowReader::open(path, &PAPER_SURVEY_COLUMNS, &ColumnMap::default()).map_err(|e| vec![e])?;
    let mut rows = Vec::new();
    let mut errors = Vec::new();
    while let Some(next) = reader.next_row() {
        match next {
            Ok(r) => rows.push(r),
            Err(e) => errors.push(e),
        }
    }
    if errors.is_empty() {
        Ok(rows)
    } else {
        Err(errors)
    }
}
