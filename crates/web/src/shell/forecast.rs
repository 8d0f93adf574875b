//! Dự báo cuối năm on a page: the projected value with its range and status, and the method
//! ("Cách tính") that every page showing a forecast states.

use cchc_domain::forecast::{Forecast, Series, STATUS_RULE_VI, TOO_FEW_VI};
use chrono::NaiveDate;
use maud::{html, Markup};

use super::chart::{self, value_vi};

/// "Dự báo 72,5% (khoảng 61% – 80%) · Đúng hướng", or "Chưa đủ số liệu để dự báo"; the status
/// code in `data-forecast` (`on_track`, `watch`, `at_risk`, `none`).
pub fn badge(f: &Forecast, percent: bool) -> Markup {
    match f.projection() {
        None => html! { span.forecast data-forecast="none" { (TOO_FEW_VI) } },
        Some(p) => html! {
            span.forecast data-forecast=(p.status.code()) {
                "Dự báo " b.fc-value { (value_vi(p.value, percent)) }
                " (khoảng " (value_vi(p.low, percent)) " – " (value_vi(p.high, percent)) ") "
                span class={ "fc-status fc-" (p.status.code()) } { (p.status.label_vi()) }
            }
        },
    }
}

/// The method of the kinds of series on a page and the months used, as a "Cách tính" box.
pub fn method(kinds: &[&Series], as_of: NaiveDate, months: u32) -> Markup {
    let mut sentences: Vec<&str> = kinds.iter().map(|s| s.method_vi()).collect();
    sentences.dedup();
    html! {
        details.forecast-method {
            summary { "Cách tính dự báo" }
            p { "Dự báo giá trị cuối năm từ " (months) " tháng đã trọn (số liệu đến ngày " (as_of.format("%d/%m/%Y")) "), theo xu hướng tuyến tính của số cộng dồn." }
            ul { @for s in &sentences { li { (s) } } }
            p.muted { (STATUS_RULE_VI) }
        }
    }
}

/// The badge of a forecast over its trend chart: the year to date month by month, the dashed
/// forecast to December with its range, and the target's line (no chart without months).
pub fn with_trend(
    title: &str,
    series: &Series,
    f: &Forecast,
    threshold: Option<f64>,
    percent: bool,
) -> Markup {
    let actual = series.to_date();
    let p = f.projection();
    html! {
        p.forecast-line { (badge(f, percent)) }
        @if !series.is_empty() {
            (chart::trend(&chart::Trend {
                title,
                actual: &actual,
                projection: p.map(|p| p.path.as_slice()).unwrap_or(&[]),
                range: p.map(|p| (p.low, p.high)),
                threshold,
                percent,
            }))
        }
    }
}
