//! Readers: files in, domain types out, with located Vietnamese errors.
//!
//! - [`decision::parse_decision`]: the text form of a decision that issues a reform plan.
//! - [`plan_json::read_plan_json`] and [`plan_json::read_plan_file`]: `cchc-plan/1` JSON, or
//!   either format detected from the bytes.
//! - [`units_csv::read_units_csv`]: the unit registry.
//! - [`criteria_file`]: a reform-index criteria tree (CSV, XLSX), checked by the domain.
//! - [`service_files`]: procedure catalogue and dossier files (CSV, XLSX), row by row;
//!   [`service_gen`] writes realistic ones for tests, demos and benchmarks.

pub mod criteria_file;
pub mod decision;
pub mod error;
mod matrix;
pub mod normalize;
pub mod plan_json;
pub mod refs;
pub mod service_files;
pub mod service_gen;
pub mod survey_file;
pub mod units_csv;
mod xlsx_rows;

pub use error::ImportError;

/// Why a file could not be read, in Vietnamese, for the common cases.
pub fn io_reason_vi(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "không có tệp này".to_string(),
        std::io::ErrorKind::PermissionDenied => "không có quyền đọc tệp".to_string(),
        std::io::ErrorKind::IsADirectory => "đây là thư mục, không phải tệp".to_string(),
        _ => format!("lỗi đọc tệp ({e})"),
    }
}
