//! Unit references (tham chiếu đơn vị) read from a lead or coordinators cell.

use cchc_domain::plan::{RefTarget, UnitRef};
use cchc_domain::text::{clean, fold};
use cchc_domain::unit::{Named, Registry};

/// How many separated pieces one phrase may span ("Các cơ quan, đơn vị, địa phương" spans 3).
const MAX_SPAN: usize = 8;

/// A piece of a cell between separators, as a byte range of the cleaned cell, and the
/// separator before it.
#[derive(Debug, Clone, Copy)]
struct Piece {
    start: usize,
    end: usize,
    /// The separator before this piece was a semicolon (a hard break).
    after_semicolon: bool,
}

/// Splits a lead or coordinators cell into unit references. Commas, semicolons and "và"
/// separate units, but many phrases hold commas ("UBND các xã, thị trấn"), so the longest run
/// of pieces that names a unit or group wins. A phrase that names nothing stays
/// [`RefTarget::Unresolved`] with its words: no text is dropped.
pub fn parse_unit_refs(cell: &str, registry: &Registry) -> Vec<UnitRef> {
    let text = clean(cell);
    let text = text
        .trim_end_matches([',', ';', '.', ' '])
        .trim_start_matches([',', ';', ' ']);
    if text.is_empty() {
        return Vec::new();
    }
    let pieces = split_pieces(text);
    let mut out: Vec<UnitRef> = Vec::new();
    // Start of the last reference when it is unresolved, so that a continuation can extend it.
    let mut unresolved_start: Option<usize> = None;
    let mut i = 0;
    while i < pieces.len() {
        let mut matched = None;
        let hi = (i + MAX_SPAN).min(pieces.len());
        for j in (i..hi).rev() {
            let phrase = &text[pieces[i].start..pieces[j].end];
            if let Some(target) = resolve_phrase(phrase, registry) {
                matched = Some((j, target, phrase));
                break;
            }
        }
        match matched {
            Some((j, target, phrase)) => {
                out.push(UnitRef {
                    target,
                    text: phrase.to_string(),
                });
                unresolved_start = None;
                i = j + 1;
            }
            None => {
                let p = pieces[i];
                let words = &text[p.start..p.end];
                // "Các cơ quan, ban, ngành": a short lower-case piece continues the phrase.
                let continues = !p.after_semicolon
                    && words.split_whitespace().count() <= 2
                    && words.chars().next().is_some_and(char::is_lowercase);
                match (unresolved_start, out.last_mut()) {
                    (Some(start), Some(prev)) if continues => {
                        *prev = UnitRef::unresolved(&text[start..p.end]);
                    }
                    _ => {
                        out.push(UnitRef::unresolved(words));
                        unresolved_start = Some(p.start);
                    }
                }
                i += 1;
            }
        }
    }
    out
}

fn split_pieces(text: &str) -> Vec<Piece> {
    let mut pieces = Vec::new();
    let mut depth = 0usize;
    let mut start = 0;
    let mut after_semicolon = false;
    let bytes = text.as_bytes();
    let mut i = 0;
    let push = |s: usize, e: usize, semi: bool, pieces: &mut Vec<Piece>| {
        let seg = &text[s..e];
        let lead = seg.len() - seg.trim_start().len();
        let trail = seg.len() - seg.trim_end().len();
        if s + lead < e - trail {
            pieces.push(Piece {
                start: s + lead,
                end: e - trail,
                after_semicolon: semi,
            });
        }
    };
    while i < bytes.len() {
        match bytes[i] {
            b'(' => depth += 1,
            b')' => depth = depth.saturating_sub(1),
            b',' | b';' if depth == 0 => {
                push(start, i, after_semicolon, &mut pieces);
                after_semicolon = bytes[i] == b';';
                start = i + 1;
            }
            b' ' if depth == 0 && text[i..].starts_with(" và ") => {
                push(start, i, after_semicolon, &mut pieces);
                after_semicolon = false;
                // The piece starts at "và": the phrase keeps its words, resolution skips them.
                start = i + 1;
                i += 1;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    push(start, bytes.len(), after_semicolon, &mut pieces);
    pieces
}

/// What a phrase names: a unit or group of the registry, tolerating a leading "và", a
/// parenthesis ("UBND huyện (Phòng Tài chính - KH huyện)"), a missing or extra "huyện", and a
/// role after a unit's name ("Phòng Nội vụ chủ trì đối với …").
pub fn resolve_phrase(phrase: &str, registry: &Registry) -> Option<RefTarget> {
    let phrase = phrase.trim().trim_end_matches([',', ';', '.', ':']).trim();
    if phrase.is_empty() {
        return None;
    }
    if let Some(t) = resolve_plain(phrase, registry) {
        return Some(t);
    }
    for lead in ["và ", "cùng ", "với ", "hoặc "] {
        if let Some(rest) = strip_prefix_ci(phrase, lead) {
            return resolve_phrase(rest, registry);
        }
    }
    // "X (Y)": the office in brackets is the one that acts; otherwise the one outside.
    if let (Some(open), true) = (phrase.find('('), phrase.ends_with(')')) {
        let outer = phrase[..open].trim();
        let inner = &phrase[open + 1..phrase.len() - 1];
        if let Some(t) = resolve_plain(inner.trim(), registry) {
            return Some(t);
        }
        if let Some(t) = resolve_plain(outer, registry) {
            return Some(t);
        }
    }
    // A unit's name followed by its role: "Phòng Nội vụ chủ trì đối với nhân rộng mô hình hay".
    let words: Vec<&str> = phrase.split_whitespace().collect();
    const ROLES: &[&str] = &[
        "chu tri",
        "phoi hop",
        "thuc hien",
        "doi voi",
        "tham muu",
        "huong dan",
        "(",
    ];
    for k in (1..words.len()).rev() {
        let rest = fold(&words[k..].join(" "));
        if !ROLES.iter().any(|r| rest.starts_with(r)) {
            continue;
        }
        let head = words[..k].join(" ");
        if let Some(id) = lookup_unit(&head, registry) {
            return Some(RefTarget::Unit(id));
        }
    }
    None
}

fn resolve_plain(phrase: &str, registry: &Registry) -> Option<RefTarget> {
    match registry.resolve(phrase) {
        Some(Named::Unit(id)) => return Some(RefTarget::Unit(id)),
        Some(Named::Group(g)) => return Some(RefTarget::Group(g)),
        None => {}
    }
    lookup_unit(phrase, registry).map(RefTarget::Unit)
}

/// A unit by name, also with " huyện" added or removed ("Trung tâm Văn hóa - Truyền thông").
fn lookup_unit(phrase: &str, registry: &Registry) -> Option<cchc_domain::unit::UnitId> {
    if let Some(id) = registry.lookup(phrase) {
        return Some(id.clone());
    }
    if let Some(id) = registry.lookup(&format!("{phrase} huyện")) {
        return Some(id.clone());
    }
    let key = fold(phrase);
    if key.ends_with(" huyen") {
        let cut = phrase.trim_end();
        let cut = &cut[..cut.rfind(' ').unwrap_or(cut.len())];
        if let Some(id) = registry.lookup(cut) {
            return Some(id.clone());
        }
    }
    None
}

fn strip_prefix_ci<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    let n = prefix.len();
    if s.len() > n && s.is_char_boundary(n) && s[..n].to_lowercase() == prefix {
        Some(&s[n..])
    } else {
        None
    }
}
