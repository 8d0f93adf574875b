//! Import errors (lỗi nhập): input that is not a plan at all, located and in Vietnamese.

use std::fmt;

/// Lỗi nhập — why a file could not be read as a plan: what is wrong and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImportError {
    /// The file holds nothing but white space.
    Empty,
    /// Bytes that are not UTF-8, at `offset` (0-based) on `line` (1-based).
    NotUtf8 { offset: usize, line: usize },
    /// Binary content (a NUL or other control byte) on `line`.
    Binary { line: usize },
    /// Text that is not a decision document: what is missing or wrong, on which line.
    Structure { line: usize, message: String },
    /// JSON that does not parse or does not fit `cchc-plan/1`, at line and column.
    Json {
        line: usize,
        column: usize,
        message: String,
    },
    /// A JSON document of another format than `cchc-plan/1`.
    Format { found: Option<String> },
}

impl ImportError {
    /// Stable reference code of the error, for logs and for the interface to translate.
    pub fn code(&self) -> &'static str {
        match self {
            ImportError::Empty => "empty-file",
            ImportError::NotUtf8 { .. } => "not-utf8",
            ImportError::Binary { .. } => "binary-file",
            ImportError::Structure { .. } => "not-a-plan",
            ImportError::Json { .. } => "invalid-json",
            ImportError::Format { .. } => "unknown-format",
        }
    }

    /// The 1-based line the error is on, when it has one.
    pub fn line(&self) -> Option<usize> {
        match self {
            ImportError::NotUtf8 { line, .. }
            | ImportError::Binary { line }
            | ImportError::Structure { line, .. }
            | ImportError::Json { line, .. } => Some(*line),
            ImportError::Empty | ImportError::Format { .. } => None,
        }
    }

    pub(crate) fn structure(line: usize, message: impl Into<String>) -> Self {
        ImportError::Structure {
            line,
            message: message.into(),
        }
    }
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ImportError::Empty => f.write_str("tệp trống: không có nội dung để nhập"),
            ImportError::NotUtf8 { offset, line } => write!(
                f,
                "dòng {line} (byte thứ {offset}): tệp không phải văn bản UTF-8; hãy lưu lại tệp \
                 với bảng mã UTF-8"
            ),
            ImportError::Binary { line } => write!(
                f,
                "dòng {line}: tệp chứa dữ liệu nhị phân, không phải văn bản quyết định hay JSON"
            ),
            ImportError::Structure { line, message } => write!(f, "dòng {line}: {message}"),
            ImportError::Json {
                line,
                column,
                message,
            } => {
                write!(f, "dòng {line}, cột {column}: {message}")
            }
            ImportError::Format { found: Some(found) } => write!(
                f,
                "định dạng «{found}» không được hỗ trợ: trường \"format\" phải là \"{}\"",
                cchc_domain::plan::FORMAT
            ),
            ImportError::Format { found: None } => write!(
                f,
                "thiếu trường \"format\": tệp JSON kế hoạch phải có \"format\": \"{}\"",
                cchc_domain::plan::FORMAT
            ),
        }
    }
}

impl std::error::Error for ImportError {}
