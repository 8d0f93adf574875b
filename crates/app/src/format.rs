//! Numbers as Vietnamese documents write them: "1.234", "62,40% (312/500)".

/// "62,40% (312/500)".
pub fn percent_vi(value: Option<f64>, num: i64, den: i64) -> String {
    match value {
        Some(v) => format!("{}% ({}/{})", decimal_vi(v), thousands(num), thousands(den)),
        None => "chưa có số liệu".into(),
    }
}

/// "85,50": two decimals after a comma.
pub fn decimal_vi(v: f64) -> String {
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
