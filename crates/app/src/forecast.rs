//! Dự báo cuối năm of the measured targets: which whole months of the year a forecast is made
//! from. The forecast itself is the domain's (`cchc_domain::forecast`); the series come from
//! the service totals (`delivery::indicators::forecasts`) and the evaluation records
//! (`evaluation::measures`).

use chrono::{Datelike, NaiveDate};

use cchc_domain::Period;

/// The whole months of `year` ended by `as_of`: 0 before the year, 12 after it, else the months
/// before `as_of`'s, and its own too when `as_of` is its last day.
pub fn months_to(year: i32, as_of: NaiveDate) -> u32 {
    match as_of.year().cmp(&year) {
        std::cmp::Ordering::Less => 0,
        std::cmp::Ordering::Greater => 12,
        std::cmp::Ordering::Equal => {
            let last_day = as_of.succ_opt().is_none_or(|d| d.month() != as_of.month());
            as_of.month() - u32::from(!last_day)
        }
    }
}

/// The as-of date of a period's forecast: the period's last day, never after `today`.
pub fn as_of(period: Period, today: NaiveDate) -> NaiveDate {
    period.end().min(today)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn only_whole_months_count() {
        assert_eq!(months_to(2024, d("2024-03-31")), 3);
        assert_eq!(months_to(2024, d("2024-03-30")), 2);
        assert_eq!(months_to(2024, d("2024-02-29")), 2);
        assert_eq!(months_to(2024, d("2024-12-31")), 12);
        assert_eq!(months_to(2024, d("2025-01-15")), 12);
        assert_eq!(months_to(2024, d("2023-12-31")), 0);
        assert_eq!(months_to(2024, d("2024-01-01")), 0);
    }

    #[test]
    fn the_as_of_date_is_the_period_end_but_never_after_today() {
        let q1 = Period::parse("2024-Q1").unwrap();
        assert_eq!(as_of(q1, d("2026-01-01")), d("2024-03-31"));
        assert_eq!(as_of(q1, d("2024-02-10")), d("2024-02-10"));
    }
}
