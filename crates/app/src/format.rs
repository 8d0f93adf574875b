//! Numbers as Vietnamese documents write them: "1.234", "62,40% (312/500)".

/// "62,40% (312/500)".
pub fn percent_vi(value: Option<f64>, num: i64, den: i64) -> String {
    match value {
        Some(v) => format!(
            "{}% ({}/{})",
            two_decimals_vi(v),
            thousands(num),
            thousands(den)
        ),
        None => "chưa có số liệu".into(),
    }
}

/// "85,50": two decimals after a comma, always (points and indices as tables print them).
pub fn two_decimals_vi(v: f64) -> String {
    format!("{v:.2}").replace('.', ",")
}

/// "1.234".
pub fn thousands(n: i64) -> String {
    let s = n.abs().to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    if n < 0 {
        format!("-{out}")
    } else {
        out
    }
}

/// A value with `places` decimals as Vietnamese writes it, trailing zeros dropped:
/// "1.234,5", "60", "-2,25".
pub fn decimal_vi(v: f64, places: usize) -> String {
    let s = format!("{:.*}", places, v.abs());
    let (int, frac) = s.split_once('.').unwrap_or((&s, ""));
    let frac = frac.trim_end_matches('0');
    let int: i64 = int.parse().unwrap_or(0);
    let sign = if v < 0.0 && (int != 0 || !frac.is_empty()) {
        "-"
    } else {
        ""
    };
    if frac.is_empty() {
        format!("{sign}{}", thousands(int))
    } else {
        format!("{sign}{},{frac}", thousands(int))
    }
}

#[cfg(test)]
mod decimal_tests {
    use super::decimal_vi;

    #[test]
    fn decimals_take_a_comma_and_thousands_a_dot() {
        assert_eq!(decimal_vi(1234.5, 1), "1.234,5");
        assert_eq!(decimal_vi(60.0, 1), "60");
        assert_eq!(decimal_vi(-2.254, 2), "-2,25");
        assert_eq!(decimal_vi(-0.001, 1), "0");
        assert_eq!(decimal_vi(99.96, 1), "100");
    }
}
