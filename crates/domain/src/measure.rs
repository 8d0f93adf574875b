//! Measures (ngưỡng chỉ tiêu): the thresholds a target sentence states.

use serde::{Deserialize, Serialize};

/// Phép so sánh — how a value is compared with the threshold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum MeasureOp {
    #[serde(rename = ">=")]
    Ge,
    #[serde(rename = ">")]
    Gt,
    #[serde(rename = "<=")]
    Le,
    #[serde(rename = "=")]
    Eq,
    #[serde(rename = "between")]
    Between,
}

impl MeasureOp {
    pub fn symbol(self) -> &'static str {
        match self {
            MeasureOp::Ge => "≥",
            MeasureOp::Gt => ">",
            MeasureOp::Le => "≤",
            MeasureOp::Eq => "=",
            MeasureOp::Between => "từ … đến",
        }
    }
}

/// Đơn vị đo — what the threshold counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MeasureUnit {
    Percent,
    Count,
    /// A decrease by that many: "giảm 14 biên chế".
    Reduction,
    /// A decrease by that share: "giảm tối thiểu 2,5%".
    PercentReduction,
}

/// Ngưỡng — one threshold of a target, for one scope.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Measure {
    pub op: MeasureOp,
    pub value: f64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<f64>,
    pub unit: MeasureUnit,
    pub scope: Option<String>,
}

impl Measure {
    /// Whether `actual` satisfies the threshold.
    pub fn is_met(&self, actual: f64) -> bool {
        match self.op {
            MeasureOp::Ge => actual >= self.value,
            MeasureOp::Gt => actual > self.value,
            MeasureOp::Le => actual <= self.value,
            MeasureOp::Eq => (actual - self.value).abs() < 1e-9,
            MeasureOp::Between => actual >= self.value && self.max.is_none_or(|m| actual <= m),
        }
    }

    /// "≥ 80%", "giảm 14", "từ 2 đến 3" — for pages and reports.
    pub fn display_vi(&self) -> String {
        let num = |v: f64| {
            if v.fract() == 0.0 {
                format!("{}", v as i64)
            } else {
                format!("{v}").replace('.', ",")
            }
        };
        let suffix = match self.unit {
            MeasureUnit::Percent | MeasureUnit::PercentReduction => "%",
            _ => "",
        };
        let body = match self.op {
            MeasureOp::Between => {
                format!("từ {} đến {}{}", num(self.value), num(self.max.unwrap_or(self.value)), suffix)
            }
            op => format!("{} {}{}", op.symbol(), num(self.value), suffix),
        };
        let body = match self.unit {
            MeasureUnit::Reduction | MeasureUnit::PercentReduction => format!("giảm {body}"),
            _ => body,
        };
        match &self.scope {
            Some(s) => format!("{s}: {body}"),
            None => body,
        }
    }
}
