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

/// What a diagnostic's code means, in words (the page shows this and keeps the code in a
/// title): the lint's codes (`lint::code`) and the importer's. `None` for a code not known.
pub fn code_label_vi(code: &str) -> Option<&'static str> {
    Some(match code {
        "target-number-gap" => "Số thứ tự chỉ tiêu bị bỏ sót",
        "target-number-repeat" => "Số thứ tự chỉ tiêu bị lặp",
        "row-number-gap" => "Số thứ tự dòng (TT) bị bỏ sót",
        "row-number-repeat" => "Số thứ tự dòng (TT) bị lặp",
        "objective-number-gap" => "Số mục tiêu bị bỏ sót",
        "objective-number-repeat" => "Số mục tiêu bị lặp",
        "task-number-gap" => "Số nhiệm vụ bị bỏ sót",
        "task-number-repeat" => "Số nhiệm vụ bị lặp",
        "activity-number-gap" => "Số hoạt động bị bỏ sót",
        "activity-number-repeat" => "Số hoạt động bị lặp",
        "duplicate-target" => "Chỉ tiêu trùng nhau",
        "similar-targets" => "Chỉ tiêu gần giống nhau",
        "missing-lead" => "Thiếu đơn vị chủ trì",
        "missing-output" => "Thiếu kết quả, sản phẩm",
        "missing-deadline" => "Thiếu thời gian hoàn thành",
        "conditional-deadline" => "Thời hạn phụ thuộc điều kiện",
        "uncomputable-deadline" => "Không tính được thời hạn",
        "deadline-outside-year" => "Thời hạn ngoài năm kế hoạch",
        "unresolved-unit" => "Không xác định được đơn vị",
        "vague-lead" => "Đơn vị chủ trì không cụ thể",
        "vague-coordinator" => "Đơn vị phối hợp không cụ thể",
        "target-threshold-mismatch" => "Ngưỡng chỉ tiêu không khớp với phụ lục",
        "missing-title" => "Thiếu trích yếu",
        "missing-date" => "Thiếu ngày ban hành",
        "missing-targets" => "Không tìm thấy chỉ tiêu",
        "missing-solutions" => "Không tìm thấy nhiệm vụ, giải pháp",
        "missing-activity" => "Thiếu hoạt động",
        "missing-task" => "Thiếu nhiệm vụ",
        "unplaced-text" => "Đoạn văn không xếp được vào mục nào",
        "unreadable-deadline" => "Không đọc được thời hạn",
        "extra-cell" => "Ô thừa ngoài bảng",
        "guessed-line" => "Dòng được đọc theo phỏng đoán",
        "guessed-continuation" => "Dòng nối tiếp theo phỏng đoán",
        "guessed-objective" => "Mục tiêu xác định theo phỏng đoán",
        "guessed-row" => "Dòng xác định theo phỏng đoán",
        "guessed-task" => "Nhiệm vụ xác định theo phỏng đoán",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_lint_code_has_a_label() {
        use crate::lint::code::*;
        for c in [
            TARGET_NUMBER_GAP,
            TARGET_NUMBER_REPEAT,
            ROW_NUMBER_GAP,
            ROW_NUMBER_REPEAT,
            OBJECTIVE_NUMBER_GAP,
            OBJECTIVE_NUMBER_REPEAT,
            TASK_NUMBER_GAP,
            TASK_NUMBER_REPEAT,
            ACTIVITY_NUMBER_GAP,
            ACTIVITY_NUMBER_REPEAT,
            DUPLICATE_TARGET,
            SIMILAR_TARGETS,
            MISSING_LEAD,
            MISSING_OUTPUT,
            MISSING_DEADLINE,
            CONDITIONAL_DEADLINE,
            UNCOMPUTABLE_DEADLINE,
            DEADLINE_OUTSIDE_YEAR,
            UNRESOLVED_UNIT,
            VAGUE_LEAD,
            VAGUE_COORDINATOR,
            TARGET_THRESHOLD_MISMATCH,
        ] {
            assert!(code_label_vi(c).is_some(), "{c} has no label");
        }
        assert_eq!(code_label_vi("no-such-code"), None);
    }
}
