//! Diagnostics (cảnh báo) raised by the importer and the lint.

use serde::{Deserialize, Serialize};

/// Mức độ — how serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn label_vi(self) -> &'static str {
        match self {
            Severity::Info => "thông tin",
            Severity::Warning => "cảnh báo",
            Severity::Error => "lỗi",
        }
    }
}

/// Cảnh báo — one finding about a plan: a stable `code`, a Vietnamese `message`, and where.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Stable kebab-case reference (`duplicate-target`, `unresolved-unit`).
    pub code: String,
    /// What is wrong, in Vietnamese.
    pub message: String,
    /// Where: `II.6.6` for a target, `PL.I.1.3.2` for an appendix activity, `dòng 42` for a line.
    pub location: String,
}

impl Diagnostic {
    pub fn new(
        severity: Severity,
        code: &str,
        message: impl Into<String>,
        location: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity,
            code: code.to_string(),
            message: message.into(),
            location: location.into(),
        }
    }
    pub fn warning(code: &str, message: impl Into<String>, location: impl Into<String>) -> Self {
        Self::new(Severity::Warning, code, message, location)
    }
    pub fn error(code: &str, message: impl Into<String>, location: impl Into<String>) -> Self {
        Self::new(Severity::Error, code, message, location)
    }
}
