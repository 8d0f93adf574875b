//! `cchc-plan/1` JSON files, and detection of JSON against decision text.

use cchc_domain::plan::{Plan, FORMAT};
use cchc_domain::unit::Registry;
use serde_json::error::Category;

use crate::decision::parse_decision;
use crate::error::ImportError;
use crate::normalize::decode_utf8;

/// Reads a `cchc-plan/1` JSON document; errors give line and column. Activities without an
/// `id` get the key [`Plan::assign_ids`] would give them; existing ids are kept.
pub fn read_plan_json(text: &str) -> Result<Plan, ImportError> {
    let text = text.trim_start_matches('\u{feff}');
    if text.trim().is_empty() {
        return Err(ImportError::Empty);
    }
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| json_error(e, text))?;
    match value.get("format") {
        Some(serde_json::Value::String(f)) if f == FORMAT => {}
        Some(serde_json::Value::String(f)) => {
            return Err(ImportError::Format {
                found: Some(f.clone()),
            })
        }
        Some(other) => {
            return Err(ImportError::Format {
                found: Some(other.to_string()),
            })
        }
        None => return Err(ImportError::Format { found: None }),
    }
    let mut plan: Plan = serde_json::from_str(text).map_err(|e| json_error(e, text))?;
    fill_missing_ids(&mut plan);
    Ok(plan)
}

fn fill_missing_ids(plan: &mut Plan) {
    if plan.activities().all(|a| !a.activity.id.is_empty()) {
        return;
    }
    let mut keyed = plan.clone();
    keyed.assign_ids();
    let fresh: Vec<String> = keyed.activities().map(|a| a.activity.id.clone()).collect();
    let mut k = 0;
    for s in &mut plan.sections {
        for p in &mut s.parts {
            for r in &mut p.rows {
                for t in &mut r.tasks {
                    for a in &mut t.activities {
                        if a.id.is_empty() {
                            a.id = fresh.get(k).cloned().unwrap_or_default();
                        }
                        k += 1;
                    }
                }
            }
        }
    }
}

/// A serde_json error, located and said in Vietnamese.
fn json_error(e: serde_json::Error, text: &str) -> ImportError {
    let detail = e.to_string();
    // serde_json appends " at line L column C"; the location is given separately.
    let detail = detail
        .split(" at line ")
        .next()
        .unwrap_or(&detail)
        .to_string();
    // serde quotes the offending value with Rust's `Debug`: show the user's characters.
    let detail = unescape_unicode(&detail);
    let message = match e.classify() {
        Category::Syntax => format!("JSON sai cú pháp ({})", translate(&detail)),
        Category::Eof => {
            "tệp JSON kết thúc giữa chừng (thiếu dấu đóng ngoặc hoặc nháy)".to_string()
        }
        Category::Data => format!(
            "dữ liệu không đúng khuôn dạng {FORMAT}: {}",
            translate(&detail)
        ),
        Category::Io => format!("không đọc được dữ liệu JSON ({detail})"),
    };
    let (line, column) = char_position(text, e.line(), e.column());
    ImportError::Json {
        line,
        column,
        message,
    }
}

/// serde_json's position (1-based line, column in bytes; column 0 when the offending byte is
/// the line break itself) as an editor shows it: the 1-based column in characters, on the
/// line the offending character is on.
fn char_position(text: &str, line: usize, byte_column: usize) -> (usize, usize) {
    let lines: Vec<&str> = text.split('\n').collect();
    if line == 0 || line > lines.len() {
        return (line, byte_column);
    }
    if byte_column == 0 {
        // The line break that ends the line above.
        return match line.checked_sub(2).and_then(|i| lines.get(i)) {
            Some(above) => (line - 1, above.chars().count() + 1),
            None => (line, 1),
        };
    }
    let l = lines[line - 1];
    let mut end = byte_column.min(l.len());
    while !l.is_char_boundary(end) {
        end += 1;
    }
    (line, l[..end].chars().count().max(1))
}

/// `\u{d62}` (Rust's `Debug` escape of a character) back into the character.
fn unescape_unicode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(at) = rest.find("\\u{") {
        out.push_str(&rest[..at]);
        let after = &rest[at + 3..];
        // `\\u{…}` is a backslash the user wrote, followed by text.
        let escaped = rest[..at].ends_with('\\');
        let decoded = after
            .split_once('}')
            .filter(|_| !escaped)
            .and_then(|(hex, tail)| {
                let c = u32::from_str_radix(hex, 16).ok().and_then(char::from_u32)?;
                Some((c, tail))
            });
        match decoded {
            Some((c, tail)) => {
                out.push(c);
                rest = tail;
            }
            None => {
                out.push_str("\\u{");
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The usual serde_json messages, in Vietnamese; others are kept as they are.
fn translate(detail: &str) -> String {
    let quoted = |s: &str| s.split('`').nth(1).unwrap_or("").to_string();
    if detail.starts_with("missing field") {
        format!("thiếu trường «{}»", quoted(detail))
    } else if detail.starts_with("unknown variant") {
        format!("giá trị «{}» không hợp lệ ({})", quoted(detail), detail)
    } else if detail.starts_with("invalid type") {
        format!("sai kiểu dữ liệu ({detail})")
    } else if detail.starts_with("invalid value") {
        format!("giá trị không hợp lệ ({detail})")
    } else if detail.starts_with("duplicate field") {
        format!("trường «{}» bị lặp", quoted(detail))
    } else if detail.starts_with("expected") || detail.starts_with("trailing") {
        format!("ký tự không mong đợi: {detail}")
    } else {
        detail.to_string()
    }
}

/// Reads a plan file of either kind: `cchc-plan/1` JSON (it starts with `{`) or the text of a
/// decision document, whose units resolve through `registry`. Bytes that are not UTF-8 are
/// rejected with their offset and line.
pub fn read_plan_file(bytes: &[u8], registry: &Registry) -> Result<Plan, ImportError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(ImportError::Empty);
    }
    let text = decode_utf8(bytes)?;
    let body = text.trim_start_matches('\u{feff}').trim_start();
    if body.starts_with('{') {
        read_plan_json(text)
    } else {
        parse_decision(text, registry)
    }
}
