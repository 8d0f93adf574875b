//! Biểu đồ — charts drawn on the server as inline SVG: no script and no `style=` (the CSP
//! forbids both), only presentation attributes and classes (`svg.trend`, `svg.bars` in app.css). Each has a
//! `<title>`, a `<desc>` that says its figures in words, `role="img"` and an `aria-label`; a
//! `viewBox` with `width="100%"` keeps it readable at 390 px. Maud escapes every text.
//!
//! - [`trend`]: a year month by month (T1 … T12): the months so far as a solid line, the
//!   forecast as a dashed line to December with its range, the target as a horizontal line.
//! - [`unit_bars`]: one bar per unit for a measure, highest first, the target as a line.

use cchc_app::format::decimal_vi;
use maud::{html, Markup};

/// A value as the charts and forecasts write it: "72,5%", "12", "2,5".
pub fn value_vi(v: f64, percent: bool) -> String {
    if percent {
        format!("{}%", decimal_vi(v, 1))
    } else {
        decimal_vi(v, 1)
    }
}

/// A trend over one year.
pub struct Trend<'a> {
    /// What the chart shows, as its `<title>` and label ("Tỷ lệ hồ sơ nộp trực tuyến …").
    pub title: &'a str,
    /// The value at the end of months 1, 2, … so far (`None`: no data yet that month).
    pub actual: &'a [Option<f64>],
    /// The forecast at the end of each month after the last of `actual`, to December.
    pub projection: &'a [f64],
    /// The forecast's range in December.
    pub range: Option<(f64, f64)>,
    pub threshold: Option<f64>,
    pub percent: bool,
}

const W: f64 = 400.0;
const LEFT: f64 = 44.0;
const RIGHT: f64 = 14.0;
const TOP: f64 = 16.0;

/// A round top for a count axis: 1, 2 or 5 times a power of ten, at least `max`.
fn nice_top(max: f64) -> f64 {
    if max <= 0.0 {
        return 1.0;
    }
    let p = 10f64.powf(max.log10().floor());
    [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|k| k * p)
        .find(|t| *t >= max)
        .unwrap_or(10.0 * p)
}

fn fmt1(v: f64) -> String {
    format!("{v:.1}")
}

/// The monthly trend chart: `polyline.actual` has one point per month with data (each also a
/// `circle`), `polyline.projection` starts at the last of them.
pub fn trend(t: &Trend) -> Markup {
    let h = 230.0;
    let bottom = 40.0;
    let (pw, ph) = (W - LEFT - RIGHT, h - TOP - bottom);
    let values = t
        .actual
        .iter()
        .flatten()
        .chain(t.projection)
        .chain(t.threshold.iter())
        .chain(t.range.iter().flat_map(|(a, b)| [a, b]))
        .copied();
    let top = if t.percent {
        100.0
    } else {
        nice_top(values.fold(0.0, f64::max))
    };
    let x = |m: usize| LEFT + pw * (m as f64 - 0.5) / 12.0;
    let y = |v: f64| TOP + ph - ph * v.clamp(0.0, top) / top;
    let points: Vec<(usize, f64)> = t
        .actual
        .iter()
        .enumerate()
        .filter_map(|(i, v)| v.map(|v| (i + 1, v)))
        .collect();
    let mut dashed: Vec<(usize, f64)> = points.last().copied().into_iter().collect();
    dashed.extend(
        t.projection
            .iter()
            .enumerate()
            .map(|(i, v)| (t.actual.len() + i + 1, *v)),
    );
    let line = |ps: &[(usize, f64)]| {
        ps.iter()
            .map(|(m, v)| format!("{},{}", fmt1(x(*m)), fmt1(y(*v))))
            .collect::<Vec<_>>()
            .join(" ")
    };
    let fmt = |v: f64| value_vi(v, t.percent);
    let mut desc = match points.last() {
        Some((m, v)) => format!("Đến hết tháng {m}: {}.", fmt(*v)),
        None => "Chưa có số liệu.".to_string(),
    };
    if let Some(last) = t.projection.last() {
        desc.push_str(&format!(" Dự báo tháng 12: {}", fmt(*last)));
        if let Some((lo, hi)) = t.range {
            desc.push_str(&format!(" (khoảng {} – {})", fmt(lo), fmt(hi)));
        }
        desc.push('.');
    }
    if let Some(th) = t.threshold {
        desc.push_str(&format!(" Chỉ tiêu: {}.", fmt(th)));
    }
    let ticks = [0.0, top / 2.0, top];
    html! {
        svg.trend viewBox=(format!("0 0 {W} {h}")) width="100%" role="img" aria-label=(format!("{}. {desc}", t.title)) {
            title { (t.title) }
            desc { (desc) }
            @for v in ticks {
                line.grid x1=(LEFT) y1=(fmt1(y(v))) x2=(W - RIGHT) y2=(fmt1(y(v))) stroke="#d5dae1" {}
                text.tick x=(LEFT - 4.0) y=(fmt1(y(v) + 4.0)) text-anchor="end" font-size="11" { (fmt(v)) }
            }
            @for m in 1..=12usize {
                text.tick x=(fmt1(x(m))) y=(fmt1(TOP + ph + 15.0)) text-anchor="middle" font-size="11" { "T" (m) }
            }
            text.axis x=(fmt1(LEFT + pw / 2.0)) y=(fmt1(h - 6.0)) text-anchor="middle" font-size="11" { "Tháng (lũy kế từ đầu năm)" }
            @if let Some(th) = t.threshold {
                line.threshold x1=(LEFT) y1=(fmt1(y(th))) x2=(W - RIGHT) y2=(fmt1(y(th))) stroke="#9f1c20" stroke-width="1.5" stroke-dasharray="2 3" {}
                text.threshold-label x=(LEFT + 4.0) y=(fmt1(y(th) - 4.0)) font-size="11" fill="#9f1c20" { "Chỉ tiêu " (fmt(th)) }
            }
            @if dashed.len() > 1 {
                polyline.projection points=(line(&dashed)) fill="none" stroke="#0b57a4" stroke-width="2" stroke-dasharray="6 4" {}
            }
            @if let (Some((lo, hi)), false) = (t.range, t.projection.is_empty()) {
                line.range x1=(fmt1(x(12))) y1=(fmt1(y(lo))) x2=(fmt1(x(12))) y2=(fmt1(y(hi))) stroke="#0b57a4" stroke-width="1.5" {}
                line.range x1=(fmt1(x(12) - 4.0)) y1=(fmt1(y(lo))) x2=(fmt1(x(12) + 4.0)) y2=(fmt1(y(lo))) stroke="#0b57a4" {}
                line.range x1=(fmt1(x(12) - 4.0)) y1=(fmt1(y(hi))) x2=(fmt1(x(12) + 4.0)) y2=(fmt1(y(hi))) stroke="#0b57a4" {}
            }
            @if !points.is_empty() {
                polyline.actual points=(line(&points)) fill="none" stroke="#0b57a4" stroke-width="2.5" {}
            }
            @for (m, v) in &points {
                circle cx=(fmt1(x(*m))) cy=(fmt1(y(*v))) r="3.5" fill="#0b57a4" { title { "T" (m) ": " (fmt(*v)) } }
            }
        }
    }
}

/// One unit's bar.
pub struct Bar {
    pub label: String,
    pub value: f64,
    pub href: Option<String>,
}

/// Bars of units, highest first (ties by label); a bar that reaches `met` is drawn `.met`, one
/// that does not `.not-met`.
pub fn unit_bars(
    title: &str,
    mut bars: Vec<Bar>,
    threshold: Option<f64>,
    met: &dyn Fn(f64) -> bool,
    percent: bool,
) -> Markup {
    bars.sort_by(|a, b| {
        b.value
            .partial_cmp(&a.value)
            .unwrap_or(std::cmp::Ordering::Equal)
            .then_with(|| a.label.cmp(&b.label))
    });
    let (label_w, value_w, row) = (138.0, 48.0, 20.0);
    let pw = W - label_w - value_w;
    let h = TOP + row * bars.len() as f64 + 8.0;
    let top = if percent {
        100.0
    } else {
        nice_top(
            bars.iter()
                .map(|b| b.value)
                .chain(threshold)
                .fold(0.0, f64::max),
        )
    };
    let x = |v: f64| label_w + pw * v.clamp(0.0, top) / top;
    let fmt = |v: f64| value_vi(v, percent);
    let reached = bars.iter().filter(|b| met(b.value)).count();
    let mut desc = format!("{} đơn vị", bars.len());
    if let Some(th) = threshold {
        desc.push_str(&format!(", {reached} đơn vị đạt chỉ tiêu {}", fmt(th)));
    }
    if let (Some(first), Some(last)) = (bars.first(), bars.last()) {
        desc.push_str(&format!(
            "; cao nhất {} ({}), thấp nhất {} ({})",
            first.label,
            fmt(first.value),
            last.label,
            fmt(last.value)
        ));
    }
    desc.push('.');
    let short = |s: &str| {
        if s.chars().count() <= 24 {
            s.to_string()
        } else {
            format!("{}…", s.chars().take(23).collect::<String>())
        }
    };
    html! {
        svg.bars viewBox=(format!("0 0 {W} {}", fmt1(h))) width="100%" role="img" aria-label=(format!("{title}. {desc}")) {
            title { (title) }
            desc { (desc) }
            @for (i, b) in bars.iter().enumerate() {
                @let yy = TOP + row * i as f64;
                @let class = if met(b.value) { "bar met" } else { "bar not-met" };
                @let fill = if met(b.value) { "#1f6f43" } else { "#8a5a00" };
                @let body = html! {
                    text.label x=(label_w - 4.0) y=(fmt1(yy + 13.0)) text-anchor="end" font-size="11" { (short(&b.label)) }
                    rect class=(class) x=(label_w) y=(fmt1(yy + 3.0)) width=(fmt1((x(b.value) - label_w).max(1.0))) height=(row - 6.0) fill=(fill) {
                        title { (b.label) ": " (fmt(b.value)) }
                    }
                    text.value x=(fmt1(x(b.value) + 3.0)) y=(fmt1(yy + 13.0)) font-size="11" { (fmt(b.value)) }
                };
                @if let Some(href) = &b.href { a href=(href) { (body) } } @else { g { (body) } }
            }
            @if let Some(th) = threshold {
                line.threshold x1=(fmt1(x(th))) y1=(TOP - 4.0) x2=(fmt1(x(th))) y2=(fmt1(h - 4.0)) stroke="#9f1c20" stroke-width="1.5" stroke-dasharray="2 3" {}
                text.threshold-label x=(fmt1(x(th))) y=(TOP - 6.0) text-anchor="middle" font-size="11" fill="#9f1c20" { "Chỉ tiêu " (fmt(th)) }
            }
        }
    }
}

/// The bars of a measure unit by unit ([`cchc_app::delivery::indicators::UnitFigures`]): units
/// without a denominator are left out; `href` links each bar to that unit's figures.
pub fn measure_units(
    f: &cchc_app::delivery::indicators::UnitFigures,
    period_label: &str,
    href: &dyn Fn(&cchc_domain::UnitId) -> String,
) -> Markup {
    let bars = f
        .units
        .iter()
        .filter_map(|(id, name, r)| {
            r.percent().map(|v| Bar {
                label: name.clone(),
                value: v,
                href: Some(href(id)),
            })
        })
        .collect();
    let level = match f.level {
        cchc_domain::UnitLevel::Commune => "xã, thị trấn",
        _ => "đơn vị cấp huyện",
    };
    let title = format!("{} theo {level} — {period_label}", f.measure.label_vi());
    let target = f.target.as_ref().map(|t| t.measure.clone());
    unit_bars(
        &title,
        bars,
        target.as_ref().map(|t| t.value),
        &|v| target.as_ref().is_none_or(|t| t.is_reached(v)),
        true,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_count_axis_ends_on_a_round_number() {
        assert_eq!(nice_top(0.0), 1.0);
        assert_eq!(nice_top(3.0), 5.0);
        assert_eq!(nice_top(12.0), 20.0);
        assert_eq!(nice_top(100.0), 100.0);
    }

    #[test]
    fn the_trend_has_a_point_per_month_with_data_and_the_projection_from_the_last() {
        let svg = trend(&Trend {
            title: "Thử <a>",
            actual: &[Some(10.0), None, Some(30.0)],
            projection: &[40.0, 50.0],
            range: Some((35.0, 60.0)),
            threshold: Some(45.0),
            percent: true,
        })
        .into_string();
        assert_eq!(svg.matches("<circle").count(), 2);
        assert!(svg.contains("Thử &lt;a&gt;"));
        let dashed = svg.split("class=\"projection\" points=\"").nth(1).unwrap();
        let dashed = &dashed[..dashed.find('"').unwrap()];
        // From March (the last month with data) to May.
        assert_eq!(dashed.split(' ').count(), 3);
        assert!(svg.contains("Dự báo tháng 12: 50%"));
        assert!(!svg.contains("style="));
    }

    #[test]
    fn bars_go_highest_first_and_say_who_meets_the_target() {
        let bar = |l: &str, v: f64| Bar {
            label: l.into(),
            value: v,
            href: None,
        };
        let svg = unit_bars(
            "Đơn vị",
            vec![bar("B", 20.0), bar("A", 80.0), bar("C", 50.0)],
            Some(50.0),
            &|v| v >= 50.0,
            true,
        )
        .into_string();
        let (a, b, c) = (
            svg.find(">A<").unwrap(),
            svg.find(">B<").unwrap(),
            svg.find(">C<").unwrap(),
        );
        assert!(a < c && c < b);
        assert_eq!(svg.matches("class=\"bar met\"").count(), 2);
        assert!(svg.contains("2 đơn vị đạt chỉ tiêu 50%"));
    }
}
