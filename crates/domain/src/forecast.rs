//! Dự báo cuối năm — the year-end value of a measured target projected from the whole months
//! so far, with a range and whether the target looks reachable.
//!
//! The method, the same for every target (stated on the pages by [`Forecast::method_vi`]):
//! - a count that accumulates over the year ([`Series::Count`], e.g. dialogues held): the count
//!   so far plus the average of the months so far for each month left; the range lets every
//!   month left be like the lowest and like the highest month so far;
//! - a rate ([`Series::Rate`], e.g. dossiers submitted online): the numerator and the
//!   denominator are each projected as counts, and the year's rate is projected numerator ÷
//!   projected denominator (with average months this is the rate so far); the range lets the
//!   dossiers of the months left come at the lowest and at the highest monthly rate so far;
//! - a level ([`Series::Level`], e.g. posts cut): the latest month-end value plus the average
//!   monthly change for each month left; the range takes the smallest and largest change.
//!
//! Fewer than two months of data give no forecast ([`Forecast::TooFewMonths`]). Pure: the
//! caller decides which months count (whole months up to the as-of date).

use serde::Serialize;

use crate::measure::Measure;

/// Số liệu theo tháng — the figures of months 1, 2, … of a year, in order, up to the as-of
/// month (at most 12).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", content = "months", rename_all = "snake_case")]
pub enum Series {
    /// Số đếm cộng dồn — what happened in each month (a month without any is 0).
    Count(Vec<f64>),
    /// Tỷ lệ — each month's (numerator, denominator); the value is a percent.
    Rate(Vec<(f64, f64)>),
    /// Mức — the value at each month's end.
    Level(Vec<f64>),
}

/// Tình hình dự báo — how the projection stands against the target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ForecastStatus {
    /// Đúng hướng: the whole range meets the target.
    OnTrack,
    /// Cần theo dõi: the projected value meets it, the range only in part.
    Watch,
    /// Có nguy cơ không đạt: the projected value misses it.
    AtRisk,
}

impl ForecastStatus {
    pub fn label_vi(self) -> &'static str {
        match self {
            ForecastStatus::OnTrack => "Đúng hướng",
            ForecastStatus::Watch => "Cần theo dõi",
            ForecastStatus::AtRisk => "Có nguy cơ không đạt",
        }
    }

    /// The stable code pages put in `data-forecast` and CSS classes.
    pub fn code(self) -> &'static str {
        match self {
            ForecastStatus::OnTrack => "on_track",
            ForecastStatus::Watch => "watch",
            ForecastStatus::AtRisk => "at_risk",
        }
    }
}

/// Dự báo — a projection to December.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Projection {
    /// The whole months it is made from (2..=12).
    pub months: u32,
    /// The value at the end of the last of them (year to date).
    pub actual: f64,
    /// The projected value at the end of December.
    pub value: f64,
    pub low: f64,
    pub high: f64,
    /// The projected value at the end of each month after the last, to December (empty in
    /// December): the dashed part of the trend chart.
    pub path: Vec<f64>,
    pub status: ForecastStatus,
}

/// A forecast, or why there is none.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Forecast {
    /// Chưa đủ số liệu để dự báo: fewer than two months with data.
    TooFewMonths {
        months: u32,
    },
    Projected(Projection),
}

/// How the forecast is made, one sentence per kind (for the page's "Cách tính").
pub const METHOD_COUNT_VI: &str = "Số đếm: dự báo = số đã đạt + bình quân mỗi tháng đã qua × số \
    tháng còn lại; khoảng dự báo: các tháng còn lại như tháng thấp nhất và như tháng cao nhất \
    đã qua.";
pub const METHOD_RATE_VI: &str = "Tỷ lệ: tử số và mẫu số dự báo như số đếm (bình quân mỗi tháng \
    đã qua); tỷ lệ cả năm = tử số dự báo ÷ mẫu số dự báo; khoảng dự báo: hồ sơ các tháng còn \
    lại đạt tỷ lệ của tháng thấp nhất và của tháng cao nhất đã qua.";
pub const METHOD_LEVEL_VI: &str = "Mức: dự báo = giá trị cuối tháng gần nhất + mức thay đổi bình \
    quân mỗi tháng × số tháng còn lại; khoảng dự báo: thay đổi thấp nhất và cao nhất của một \
    tháng đã qua.";
/// How the status is read from the range.
pub const STATUS_RULE_VI: &str = "Đúng hướng: cả khoảng dự báo đạt chỉ tiêu; Cần theo dõi: giá \
    trị dự báo đạt nhưng một phần khoảng chưa đạt; Có nguy cơ không đạt: giá trị dự báo chưa \
    đạt. Chỉ tính các tháng đã trọn; cần ít nhất 2 tháng có số liệu.";
pub const TOO_FEW_VI: &str = "Chưa đủ số liệu để dự báo";

impl Series {
    /// The method sentence of this kind of series.
    pub fn method_vi(&self) -> &'static str {
        match self {
            Series::Count(_) => METHOD_COUNT_VI,
            Series::Rate(_) => METHOD_RATE_VI,
            Series::Level(_) => METHOD_LEVEL_VI,
        }
    }

    /// The months it holds.
    pub fn len(&self) -> usize {
        match self {
            Series::Count(v) | Series::Level(v) => v.len(),
            Series::Rate(v) => v.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The value at the end of each month from January (year to date): a count summed, a rate
    /// over the months' summed numerators and denominators (`None` while no denominator), a
    /// level as it is. The solid part of the trend chart.
    pub fn to_date(&self) -> Vec<Option<f64>> {
        match self {
            Series::Count(v) => v
                .iter()
                .scan(0.0, |sum, x| {
                    *sum += x;
                    Some(Some(*sum))
                })
                .collect(),
            Series::Level(v) => v.iter().map(|x| Some(*x)).collect(),
            Series::Rate(v) => v
                .iter()
                .scan((0.0, 0.0), |(n, d), (a, b)| {
                    *n += a;
                    *d += b;
                    Some((*d > 0.0).then(|| 100.0 * *n / *d))
                })
                .collect(),
        }
    }

    /// A count series from the months of dated events: `months[i]` is the month (1..=12) of
    /// event i, each weighing `weight`; months after `upto` are left out.
    pub fn count_by_month(months: impl IntoIterator<Item = u32>, upto: u32, weight: f64) -> Series {
        let upto = upto.min(12);
        let mut v = vec![0.0; upto as usize];
        for m in months {
            if (1..=upto).contains(&m) {
                v[m as usize - 1] += weight;
            }
        }
        Series::Count(v)
    }
}

/// Projects `base` by `per_month` for each of `left` months, with the range of the lowest and
/// highest month: the arithmetic counts and levels share.
fn linear(base: f64, steps: &[f64], left: u32) -> (f64, f64, f64, Vec<f64>) {
    let mean = steps.iter().sum::<f64>() / steps.len() as f64;
    let min = steps.iter().copied().fold(f64::INFINITY, f64::min);
    let max = steps.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let r = f64::from(left);
    let path = (1..=left).map(|j| base + mean * f64::from(j)).collect();
    (base + mean * r, base + min * r, base + max * r, path)
}

/// The forecast of `series` against `threshold` (a "từ … đến …" target counts as met from its
/// lower bound, [`Measure::is_reached`]).
pub fn forecast(series: &Series, threshold: Option<&Measure>) -> Forecast {
    let months = series.len().min(12) as u32;
    let left = 12 - months;
    let (actual, value, low, high, path) = match series {
        Series::Count(v) => {
            if v.len() < 2 {
                return Forecast::TooFewMonths { months };
            }
            let base: f64 = v.iter().sum();
            let (value, low, high, path) = linear(base, v, left);
            (base, value, low, high, path)
        }
        Series::Level(v) => {
            if v.len() < 2 {
                return Forecast::TooFewMonths { months };
            }
            let steps: Vec<f64> = v.windows(2).map(|w| w[1] - w[0]).collect();
            let base = *v.last().expect("two months");
            let (value, low, high, path) = linear(base, &steps, left);
            (base, value, low, high, path)
        }
        Series::Rate(v) => {
            let with_data: Vec<f64> = v
                .iter()
                .filter(|(_, d)| *d > 0.0)
                .map(|(n, d)| n / d)
                .collect();
            if with_data.len() < 2 {
                return Forecast::TooFewMonths {
                    months: with_data.len() as u32,
                };
            }
            let num: f64 = v.iter().map(|(n, _)| n).sum();
            let den: f64 = v.iter().map(|(_, d)| d).sum();
            let per_month = den / f64::from(months);
            let min = with_data.iter().copied().fold(f64::INFINITY, f64::min);
            let max = with_data.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            // The months left bring `per_month` dossiers each, at the rate so far (the
            // projection) or at the lowest / highest monthly rate (the range).
            let at = |rate: f64, j: u32| {
                let more = per_month * f64::from(j);
                100.0 * (num + rate * more) / (den + more)
            };
            let so_far = num / den;
            let path = (1..=left).map(|j| at(so_far, j)).collect();
            (
                100.0 * so_far,
                at(so_far, left),
                at(min, left),
                at(max, left),
                path,
            )
        }
    };
    Forecast::Projected(Projection {
        months,
        actual,
        value,
        low,
        high,
        path,
        status: status_of(value, low, high, threshold),
    })
}

/// At risk when the value misses the target, on track when the whole range meets it.
fn status_of(value: f64, low: f64, high: f64, threshold: Option<&Measure>) -> ForecastStatus {
    let reached = |x: f64| threshold.is_none_or(|t| t.is_reached(x));
    if !reached(value) {
        ForecastStatus::AtRisk
    } else if reached(low) && reached(high) {
        ForecastStatus::OnTrack
    } else {
        ForecastStatus::Watch
    }
}

impl Forecast {
    /// The projection, if any.
    pub fn projection(&self) -> Option<&Projection> {
        match self {
            Forecast::Projected(p) => Some(p),
            Forecast::TooFewMonths { .. } => None,
        }
    }

    /// The same forecast with every value kept at or below `max` (a coverage cannot pass
    /// 100%), the status read again against `threshold`.
    pub fn capped(self, max: f64, threshold: Option<&Measure>) -> Forecast {
        let Forecast::Projected(mut p) = self else {
            return self;
        };
        for v in [&mut p.actual, &mut p.value, &mut p.low, &mut p.high]
            .into_iter()
            .chain(p.path.iter_mut())
        {
            *v = v.min(max);
        }
        p.status = status_of(p.value, p.low, p.high, threshold);
        Forecast::Projected(p)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::measure::{MeasureOp, MeasureUnit};
    use proptest::prelude::*;

    fn at_least(v: f64, unit: MeasureUnit) -> Measure {
        Measure {
            op: MeasureOp::Ge,
            value: v,
            max: None,
            unit,
            scope: None,
        }
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    fn projected(f: Forecast) -> Projection {
        f.projection().cloned().expect("a projection")
    }

    #[test]
    fn a_count_is_projected_by_its_monthly_average_with_the_lowest_and_highest_month() {
        // Dialogues: 1 in January, 0 in February, 2 in March → 3 so far, 1 a month, 9 months
        // left: 3 + 9 = 12, range 3 + 0 = 3 .. 3 + 18 = 21.
        let p = projected(forecast(
            &Series::Count(vec![1.0, 0.0, 2.0]),
            Some(&at_least(2.0, MeasureUnit::Count)),
        ));
        assert_eq!(p.months, 3);
        assert!(close(p.actual, 3.0) && close(p.value, 12.0));
        assert!(close(p.low, 3.0) && close(p.high, 21.0));
        assert_eq!(p.path.len(), 9);
        assert!(close(p.path[0], 4.0) && close(p.path[8], 12.0));
        assert_eq!(p.status, ForecastStatus::OnTrack);
    }

    #[test]
    fn a_count_whose_low_end_misses_needs_watching_and_one_whose_value_misses_is_at_risk() {
        // 0, 1 in six months of January–June → 1 so far, 1/6 a month, 6 left: 2; range 1..7.
        let half = Series::Count(vec![0.0, 0.0, 0.0, 0.0, 0.0, 1.0]);
        let two = at_least(2.0, MeasureUnit::Count);
        let p = projected(forecast(&half, Some(&two)));
        assert!(close(p.value, 2.0) && close(p.low, 1.0) && close(p.high, 7.0));
        assert_eq!(p.status, ForecastStatus::Watch);
        let three = at_least(3.0, MeasureUnit::Count);
        assert_eq!(
            projected(forecast(&half, Some(&three))).status,
            ForecastStatus::AtRisk
        );
    }

    #[test]
    fn a_rate_is_projected_numerator_over_projected_denominator() {
        // Online dossiers: January 1/1, February 0/1, March 2/3 → 3/5 = 60% so far; 5/3 dossiers
        // a month for 9 months = 15 more: 60% at the rate so far, (3 + 0·15)/20 = 15% at
        // February's rate, (3 + 1·15)/20 = 90% at January's.
        let p = projected(forecast(
            &Series::Rate(vec![(1.0, 1.0), (0.0, 1.0), (2.0, 3.0)]),
            Some(&at_least(70.0, MeasureUnit::Percent)),
        ));
        assert!(close(p.actual, 60.0) && close(p.value, 60.0));
        assert!(close(p.low, 15.0) && close(p.high, 90.0));
        assert_eq!(p.status, ForecastStatus::AtRisk);
        // Against 50%, the value meets it but the range only in part.
        let watch = forecast(
            &Series::Rate(vec![(1.0, 1.0), (0.0, 1.0), (2.0, 3.0)]),
            Some(&at_least(50.0, MeasureUnit::Percent)),
        );
        assert_eq!(projected(watch).status, ForecastStatus::Watch);
    }

    #[test]
    fn a_rate_steady_above_its_threshold_is_on_track() {
        // 8/10 and 9/10: 85% so far; the range 80%..90% is all above 75%.
        let p = projected(forecast(
            &Series::Rate(vec![(8.0, 10.0), (9.0, 10.0)]),
            Some(&at_least(75.0, MeasureUnit::Percent)),
        ));
        assert!(close(p.value, 85.0));
        assert!(close(p.low, (17.0 + 0.8 * 100.0) / 120.0 * 100.0));
        assert!(close(p.high, (17.0 + 0.9 * 100.0) / 120.0 * 100.0));
        assert_eq!(p.status, ForecastStatus::OnTrack);
    }

    #[test]
    fn fewer_than_two_months_give_no_forecast() {
        assert_eq!(
            forecast(&Series::Count(vec![3.0]), None),
            Forecast::TooFewMonths { months: 1 }
        );
        assert_eq!(
            forecast(&Series::Level(vec![]), None),
            Forecast::TooFewMonths { months: 0 }
        );
        // A rate needs two months with a denominator: an empty month does not count.
        assert_eq!(
            forecast(
                &Series::Rate(vec![(0.0, 0.0), (1.0, 2.0), (0.0, 0.0)]),
                None
            ),
            Forecast::TooFewMonths { months: 1 }
        );
    }

    #[test]
    fn a_level_is_projected_by_its_average_monthly_change() {
        // Posts cut at month ends: 2, 4, 5 → changes 2, 1; 9 months left: 5 + 13.5 = 18.5,
        // range 5 + 9 = 14 .. 5 + 18 = 23; "giảm 14" is met by all of it.
        let p = projected(forecast(
            &Series::Level(vec![2.0, 4.0, 5.0]),
            Some(&at_least(14.0, MeasureUnit::Reduction)),
        ));
        assert!(close(p.actual, 5.0) && close(p.value, 18.5));
        assert!(close(p.low, 14.0) && close(p.high, 23.0));
        assert_eq!(p.status, ForecastStatus::OnTrack);
    }

    #[test]
    fn december_projects_the_actual_value_and_a_from_to_target_counts_from_its_lower_bound() {
        let mut v = vec![0.0; 12];
        v[3] = 1.0;
        v[9] = 1.0;
        let between = Measure {
            op: MeasureOp::Between,
            value: 2.0,
            max: Some(3.0),
            unit: MeasureUnit::Count,
            scope: None,
        };
        let p = projected(forecast(&Series::Count(v), Some(&between)));
        assert!(close(p.value, 2.0) && close(p.low, 2.0) && close(p.high, 2.0));
        assert!(p.path.is_empty());
        assert_eq!(p.status, ForecastStatus::OnTrack);
    }

    #[test]
    fn to_date_sums_counts_and_pools_rates() {
        assert_eq!(
            Series::Count(vec![1.0, 0.0, 2.0]).to_date(),
            [Some(1.0), Some(1.0), Some(3.0)]
        );
        assert_eq!(
            Series::Rate(vec![(0.0, 0.0), (1.0, 1.0), (0.0, 1.0), (2.0, 2.0)]).to_date(),
            [None, Some(100.0), Some(50.0), Some(75.0)]
        );
    }

    #[test]
    fn count_by_month_sums_weights_and_leaves_out_later_months() {
        let s = Series::count_by_month([1, 3, 3, 7], 4, 2.5);
        assert_eq!(s, Series::Count(vec![2.5, 0.0, 5.0, 0.0]));
    }

    #[test]
    fn a_capped_coverage_stays_at_most_its_ceiling() {
        // 40% of units a month: 80% so far after 2 months, 480% projected → 100%.
        let f = forecast(&Series::Count(vec![40.0, 40.0]), None)
            .capped(100.0, Some(&at_least(35.0, MeasureUnit::Percent)));
        let p = projected(f);
        assert!(close(p.value, 100.0) && close(p.high, 100.0));
        assert!(p.path.iter().all(|v| *v <= 100.0));
        assert_eq!(p.status, ForecastStatus::OnTrack);
    }

    proptest! {
        /// The projection lies within its range, the range holds the value so far for a
        /// count of non-negative months, and the dashed path ends at the projection.
        #[test]
        fn the_projection_lies_within_its_range(
            v in proptest::collection::vec(0.0f64..1000.0, 2..=12),
        ) {
            let p = projected(forecast(&Series::Count(v.clone()), None));
            prop_assert!(p.low <= p.value + 1e-6 && p.value <= p.high + 1e-6);
            prop_assert!(p.low + 1e-6 >= p.actual);
            prop_assert_eq!(p.path.len(), 12 - v.len());
            if let Some(last) = p.path.last() {
                prop_assert!((last - p.value).abs() < 1e-6);
            }
        }

        /// A rate's projection and range stay between 0% and 100%, the range around the value.
        #[test]
        fn a_rate_stays_a_percent(
            v in proptest::collection::vec((0u32..500, 0u32..500), 2..=12),
        ) {
            let months: Vec<(f64, f64)> = v
                .iter()
                .map(|(a, b)| (f64::from(*a.min(b)), f64::from(*a.max(b))))
                .collect();
            if let Forecast::Projected(p) = forecast(&Series::Rate(months), None) {
                for x in [p.value, p.low, p.high, p.actual] {
                    prop_assert!((-1e-9..=100.0 + 1e-9).contains(&x));
                }
                prop_assert!(p.low <= p.value + 1e-9 && p.value <= p.high + 1e-9);
            }
        }
    }
}
