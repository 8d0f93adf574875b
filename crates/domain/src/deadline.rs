//! Deadlines (thời gian hoàn thành) as the plan states them, and the dates they mean.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Loại thời hạn — what kind of deadline a cell states.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DeadlineKind {
    /// A day: "Trước 15/01/2024".
    Date,
    /// A month, quarter(s), half or year: "Quý II, III/2024".
    Period,
    /// "Thường xuyên", "Hằng năm": reported every period.
    Recurring,
    /// "Khi có chỉ đạo của tỉnh": no date can be computed.
    Conditional,
}

impl DeadlineKind {
    pub fn label_vi(self) -> &'static str {
        match self {
            DeadlineKind::Date => "Theo ngày",
            DeadlineKind::Period => "Theo kỳ",
            DeadlineKind::Recurring => "Thường xuyên",
            DeadlineKind::Conditional => "Có điều kiện",
        }
    }
}

/// Thời gian hoàn thành — the source words and the span they mean.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deadline {
    pub text: String,
    pub kind: DeadlineKind,
    pub start: Option<NaiveDate>,
    pub end: Option<NaiveDate>,
}

impl Deadline {
    /// Whether the deadline's span meets `[from, to]` (both inclusive). A `date` deadline
    /// falls on its day; recurring and conditional deadlines fall in no window.
    pub fn falls_within(&self, from: NaiveDate, to: NaiveDate) -> bool {
        match (self.kind, self.start, self.end) {
            (DeadlineKind::Date, _, Some(end)) => from <= end && end <= to,
            (DeadlineKind::Period, start, Some(end)) => {
                let start = start.unwrap_or(end);
                start <= to && from <= end
            }
            _ => false,
        }
    }

    /// Whether a dated deadline has passed on `today` (its last day is before today).
    pub fn is_past(&self, today: NaiveDate) -> bool {
        matches!(self.kind, DeadlineKind::Date | DeadlineKind::Period)
            && self.end.is_some_and(|end| end < today)
    }
}
