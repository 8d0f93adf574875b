//! Periods (kỳ): a year, quarter, half, nine months or month, as reports and measures use them.

use std::fmt;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// Kỳ báo cáo — `2024`, `2024-Q1`, `2024-H1`, `2024-9M` (1 January to 30 September), `2024-03`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum Period {
    Year(i32),
    Quarter(i32, u32),
    Half(i32, u32),
    NineMonths(i32),
    Month(i32, u32),
}

impl Period {
    /// Parses the code form; the error, in Vietnamese, lists the accepted forms.
    pub fn parse(s: &str) -> Result<Period, String> {
        let s = s.trim();
        let bad = || {
            format!(
                "kỳ «{s}» không hợp lệ; dùng năm (2024), quý (2024-Q1), 6 tháng (2024-H1), \
                 9 tháng (2024-9M) hoặc tháng (2024-03)"
            )
        };
        let year = |y: &str| -> Result<i32, String> {
            match y.parse::<i32>() {
                Ok(n) if (1900..=2200).contains(&n) && y.len() == 4 => Ok(n),
                _ => Err(bad()),
            }
        };
        let Some((y, rest)) = s.split_once('-') else {
            return Ok(Period::Year(year(s)?));
        };
        let y = year(y)?;
        let rest = rest.to_ascii_uppercase();
        let p = match rest.as_str() {
            "Q1" | "Q2" | "Q3" | "Q4" => Period::Quarter(y, rest[1..].parse().map_err(|_| bad())?),
            "H1" | "H2" => Period::Half(y, rest[1..].parse().map_err(|_| bad())?),
            "9M" => Period::NineMonths(y),
            m if m.len() == 2 => match m.parse::<u32>() {
                Ok(m) if (1..=12).contains(&m) => Period::Month(y, m),
                _ => return Err(bad()),
            },
            _ => return Err(bad()),
        };
        Ok(p)
    }

    pub fn year(self) -> i32 {
        match self {
            Period::Year(y)
            | Period::Quarter(y, _)
            | Period::Half(y, _)
            | Period::NineMonths(y)
            | Period::Month(y, _) => y,
        }
    }

    /// First day of the period.
    pub fn start(self) -> NaiveDate {
        let (y, m) = match self {
            Period::Year(y) | Period::NineMonths(y) => (y, 1),
            Period::Quarter(y, q) => (y, 3 * q - 2),
            Period::Half(y, h) => (y, 6 * h - 5),
            Period::Month(y, m) => (y, m),
        };
        NaiveDate::from_ymd_opt(y, m, 1).expect("valid first day")
    }

    /// Last day of the period.
    pub fn end(self) -> NaiveDate {
        let (y, last_month) = match self {
            Period::Year(y) => (y, 12),
            Period::NineMonths(y) => (y, 9),
            Period::Quarter(y, q) => (y, 3 * q),
            Period::Half(y, h) => (y, 6 * h),
            Period::Month(y, m) => (y, m),
        };
        last_day_of_month(y, last_month)
    }

    /// Whether a day falls in the period.
    pub fn contains(self, day: NaiveDate) -> bool {
        self.start() <= day && day <= self.end()
    }

    /// Periodic reports are cumulative from 1 January: the span such a report covers.
    pub fn cumulative_start(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year(), 1, 1).expect("1 January")
    }

    /// "Quý II năm 2024", "6 tháng đầu năm 2024", "9 tháng năm 2024", "Tháng 3 năm 2024".
    pub fn label_vi(self) -> String {
        const ROMAN: [&str; 4] = ["I", "II", "III", "IV"];
        match self {
            Period::Year(y) => format!("Năm {y}"),
            Period::Quarter(y, q) => format!("Quý {} năm {y}", ROMAN[(q - 1) as usize]),
            Period::Half(y, 1) => format!("6 tháng đầu năm {y}"),
            Period::Half(y, _) => format!("6 tháng cuối năm {y}"),
            Period::NineMonths(y) => format!("9 tháng năm {y}"),
            Period::Month(y, m) => format!("Tháng {m} năm {y}"),
        }
    }

    /// The four quarters and the year of `year`, in order.
    pub fn year_and_quarters(year: i32) -> [Period; 5] {
        [
            Period::Year(year),
            Period::Quarter(year, 1),
            Period::Quarter(year, 2),
            Period::Quarter(year, 3),
            Period::Quarter(year, 4),
        ]
    }

    /// The period of a month.
    pub fn month_of(day: NaiveDate) -> Period {
        Period::Month(day.year(), day.month())
    }
}

fn last_day_of_month(y: i32, m: u32) -> NaiveDate {
    let (ny, nm) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    NaiveDate::from_ymd_opt(ny, nm, 1)
        .expect("valid month")
        .pred_opt()
        .expect("a day before")
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Period::Year(y) => write!(f, "{y}"),
            Period::Quarter(y, q) => write!(f, "{y}-Q{q}"),
            Period::Half(y, h) => write!(f, "{y}-H{h}"),
            Period::NineMonths(y) => write!(f, "{y}-9M"),
            Period::Month(y, m) => write!(f, "{y}-{m:02}"),
        }
    }
}

impl TryFrom<String> for Period {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        Period::parse(&s)
    }
}

impl From<Period> for String {
    fn from(p: Period) -> String {
        p.to_string()
    }
}

impl std::str::FromStr for Period {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Period::parse(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn every_form_parses_to_its_span_and_prints_back() {
        let cases = [
            ("2024", d(2024, 1, 1), d(2024, 12, 31)),
            ("2024-Q1", d(2024, 1, 1), d(2024, 3, 31)),
            ("2024-Q2", d(2024, 4, 1), d(2024, 6, 30)),
            ("2024-Q4", d(2024, 10, 1), d(2024, 12, 31)),
            ("2024-H1", d(2024, 1, 1), d(2024, 6, 30)),
            ("2024-H2", d(2024, 7, 1), d(2024, 12, 31)),
            ("2024-9M", d(2024, 1, 1), d(2024, 9, 30)),
            ("2024-02", d(2024, 2, 1), d(2024, 2, 29)),
            ("2023-02", d(2023, 2, 1), d(2023, 2, 28)),
        ];
        for (code, start, end) in cases {
            let p = Period::parse(code).unwrap();
            assert_eq!((p.start(), p.end()), (start, end), "{code}");
            assert_eq!(p.to_string(), code);
        }
        assert_eq!(Period::parse("2024-q3").unwrap(), Period::Quarter(2024, 3));
    }

    #[test]
    fn bad_codes_are_refused_in_vietnamese() {
        for bad in [
            "", "24", "2024-Q5", "2024-13", "2024-00", "2024-H3", "Q1-2024", "2024-1",
        ] {
            let e = Period::parse(bad).unwrap_err();
            assert!(e.contains("không hợp lệ"), "{bad}: {e}");
        }
    }

    #[test]
    fn contains_is_inclusive_at_both_ends() {
        let q2 = Period::Quarter(2024, 2);
        assert!(q2.contains(d(2024, 4, 1)) && q2.contains(d(2024, 6, 30)));
        assert!(!q2.contains(d(2024, 3, 31)) && !q2.contains(d(2024, 7, 1)));
    }

    #[test]
    fn labels_read_as_officials_write_them() {
        assert_eq!(Period::Quarter(2024, 2).label_vi(), "Quý II năm 2024");
        assert_eq!(Period::Half(2024, 1).label_vi(), "6 tháng đầu năm 2024");
        assert_eq!(Period::NineMonths(2024).label_vi(), "9 tháng năm 2024");
    }
}
