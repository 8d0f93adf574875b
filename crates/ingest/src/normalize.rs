//! Input text before parsing: one byte-order, one line ending, one Unicode form, no markup.

use unicode_normalization::UnicodeNormalization;

use crate::error::ImportError;

/// NFC text with LF line endings and no byte-order mark, so that NFD, CRLF and BOM variants of
/// a document parse alike.
pub fn normalize_input(text: &str) -> String {
    let text = text.trim_start_matches('\u{feff}');
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    text.nfc().collect()
}

/// Rejects text that is binary rather than a document: a NUL or a control character other than
/// tab, line feed, carriage return and form feed.
pub fn check_text(text: &str) -> Result<(), ImportError> {
    if text
        .trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}')
        .is_empty()
    {
        return Err(ImportError::Empty);
    }
    let mut line = 1;
    for c in text.chars() {
        if c == '\n' {
            line += 1;
        } else if c.is_control() && !matches!(c, '\t' | '\r' | '\u{c}') {
            return Err(ImportError::Binary { line });
        }
    }
    Ok(())
}

/// Decodes UTF-8, locating the first invalid byte.
pub fn decode_utf8(bytes: &[u8]) -> Result<&str, ImportError> {
    std::str::from_utf8(bytes).map_err(|e| {
        let offset = e.valid_up_to();
        let line = 1 + bytes[..offset].iter().filter(|&&b| b == b'\n').count();
        ImportError::NotUtf8 { offset, line }
    })
}

/// Removes the markup of the text export: HTML-like tags (`<p>`, `</b>`, `<br/>`) become a
/// space; `**` and simple entities go.
pub fn strip_markup(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let chars: Vec<char> = s.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '<' {
            if let Some(len) = tag_len(&chars[i..]) {
                out.push(' ');
                i += len;
                continue;
            }
        }
        if c == '*' && chars.get(i + 1) == Some(&'*') {
            i += 2;
            while chars.get(i) == Some(&'*') {
                i += 1;
            }
            continue;
        }
        if c == '&' {
            let rest: String = chars[i..chars.len().min(i + 6)].iter().collect();
            let entity = [
                ("&nbsp;", " "),
                ("&amp;", "&"),
                ("&lt;", "<"),
                ("&gt;", ">"),
            ]
            .into_iter()
            .find(|(e, _)| rest.starts_with(e));
            if let Some((e, r)) = entity {
                out.push_str(r);
                i += e.chars().count();
                continue;
            }
        }
        out.push(c);
        i += 1;
    }
    out
}

/// Length of a tag such as `<p>`, `</b>`, `<br />`, `<span class="x">` at the start of `s`.
fn tag_len(s: &[char]) -> Option<usize> {
    let mut i = 1;
    if s.get(i) == Some(&'/') {
        i += 1;
    }
    let name_start = i;
    while s.get(i).is_some_and(|c| c.is_ascii_alphanumeric()) {
        i += 1;
    }
    if i == name_start || !s[name_start].is_ascii_alphabetic() {
        return None;
    }
    let name: String = s[name_start..i]
        .iter()
        .collect::<String>()
        .to_ascii_lowercase();
    const TAGS: &[&str] = &[
        "p", "b", "i", "u", "em", "strong", "br", "span", "div", "sup", "sub",
    ];
    if !TAGS.contains(&name.as_str()) {
        return None;
    }
    while i < s.len() && i < 200 {
        match s[i] {
            '>' => return Some(i + 1),
            '<' | '\n' => return None,
            _ => i += 1,
        }
    }
    None
}

/// A heading or paragraph line without its Markdown dress: leading `#`, wrapping `*`, markup.
pub fn plain_line(s: &str) -> String {
    let s = strip_markup(s);
    let s = s.trim().trim_start_matches('#').trim();
    let s = s.trim_matches('*').trim();
    cchc_domain::text::clean(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_goes_and_text_stays() {
        assert_eq!(
            strip_markup("<p>3.1. A</p> <p>3.2. B</p>")
                .split_whitespace()
                .collect::<Vec<_>>(),
            ["3.1.", "A", "3.2.", "B"]
        );
        assert_eq!(strip_markup("<b>I</b>"), " I ");
        assert_eq!(strip_markup("**Điều 1.** Ban hành"), "Điều 1. Ban hành");
        assert_eq!(strip_markup("a < b và c<d"), "a < b và c<d");
        assert_eq!(strip_markup("x <pending"), "x <pending");
    }

    #[test]
    fn plain_line_drops_heading_dress() {
        assert_eq!(
            plain_line("## **II. CÁC CHỈ TIÊU CHỦ YẾU**"),
            "II. CÁC CHỈ TIÊU CHỦ YẾU"
        );
        assert_eq!(
            plain_line("### *1. Chỉ đạo điều hành CCHC*"),
            "1. Chỉ đạo điều hành CCHC"
        );
        assert_eq!(plain_line("***Nơi nhận:***"), "Nơi nhận:");
    }

    #[test]
    fn variants_normalize_alike() {
        let nfc = "Đức Thọ\nQuý I";
        let nfd: String = nfc.nfd().collect();
        let crlf = format!("\u{feff}{}", nfd.replace('\n', "\r\n"));
        assert_eq!(normalize_input(&crlf), nfc);
    }

    #[test]
    fn binary_and_bad_bytes_are_located() {
        assert_eq!(
            check_text("a\nb\n\0c"),
            Err(ImportError::Binary { line: 3 })
        );
        assert_eq!(check_text(" \n\u{feff} "), Err(ImportError::Empty));
        let bytes = b"ab\ncd\xff";
        assert_eq!(
            decode_utf8(bytes),
            Err(ImportError::NotUtf8 { offset: 5, line: 2 })
        );
    }
}
