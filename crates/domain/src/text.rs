//! Text at the boundary: NFC, folded white space, and the diacritic-free search key.

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// NFC with runs of white space folded to one space and trimmed: the form every stored text has.
pub fn clean(s: &str) -> String {
    let nfc: String = s.nfc().collect();
    let mut out = String::with_capacity(nfc.len());
    for word in nfc.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// The search key of a text: lower case, no diacritics, đ → d, every dash → '-', white space
/// folded. "Phòng Nội vụ" and "phong noi vu" share a key; so do "HĐND – UBND" and "hdnd-ubnd"
/// after [`fold_dashes`].
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.nfd() {
        if is_combining_mark(c) {
            continue;
        }
        let c = match c {
            'đ' | 'Đ' => 'd',
            '\u{2010}'..='\u{2015}' | '\u{2212}' => '-',
            c => c,
        };
        if c.is_whitespace() {
            space = !out.is_empty();
            continue;
        }
        if space {
            out.push(' ');
            space = false;
        }
        out.extend(c.to_lowercase());
    }
    out
}

/// [`fold`], then spaces around dashes removed, for matching names written "A - B", "A-B", "A – B".
pub fn fold_dashes(s: &str) -> String {
    let f = fold(s);
    let mut out = String::with_capacity(f.len());
    let chars: Vec<char> = f.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if c == ' ' {
            let prev = i.checked_sub(1).map(|j| chars[j]);
            let next = chars.get(i + 1).copied();
            if prev == Some('-') || next == Some('-') {
                continue;
            }
        }
        out.push(c);
    }
    out
}

/// Whether every word of `query` occurs in `haystack`, both compared by [`fold`].
pub fn matches_query(haystack_key: &str, query: &str) -> bool {
    let q = fold(query);
    q.split(' ')
        .filter(|w| !w.is_empty())
        .all(|w| haystack_key.contains(w))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fold_removes_diacritics_and_maps_d_bar() {
        assert_eq!(fold("Phòng Nội vụ"), "phong noi vu");
        assert_eq!(fold("ĐĂNG KÝ"), "dang ky");
        assert_eq!(fold("Thủy\u{00A0} Thuỷ"), "thuy thuy");
    }

    #[test]
    fn fold_is_the_same_for_nfd_input() {
        let nfd: String = "Đức Thọ".nfd().collect();
        assert_eq!(fold(&nfd), fold("Đức Thọ"));
    }

    #[test]
    fn fold_dashes_unifies_dash_spacing() {
        assert_eq!(fold_dashes("HĐND – UBND"), fold_dashes("HĐND-UBND"));
        assert_eq!(fold_dashes("Tài chính - KH"), "tai chinh-kh");
    }

    #[test]
    fn clean_is_nfc_and_folds_space() {
        let nfd: String = "Nội  vụ\n".nfd().collect();
        assert_eq!(clean(&nfd), "Nội vụ");
    }

    #[test]
    fn query_needs_every_word() {
        let key = fold("Phòng Nội vụ huyện");
        assert!(matches_query(&key, "noi vu"));
        assert!(!matches_query(&key, "noi tu phap"));
    }
}
