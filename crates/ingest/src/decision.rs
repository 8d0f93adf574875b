//! The decision document (quyết định ban hành kế hoạch) in its text form → a [`Plan`].
//!
//! Layout read: the header (number, place and date, title, issuer), the "Căn cứ" lines, the
//! articles, "Nơi nhận" and the signature; then the plan with part II (key targets by area),
//! part III (solution bullets by area), and the appendix matrix (tab-separated cells).

use chrono::NaiveDate;

use cchc_domain::diagnostic::Diagnostic;
use cchc_domain::measure::parse_measures;
use cchc_domain::plan::{Area, Decision, Plan, Signer, Solution, Target, UnitRef, FORMAT};
use cchc_domain::text::{clean, fold};
use cchc_domain::unit::Registry;

use crate::error::ImportError;
use crate::matrix;
use crate::normalize::{check_text, normalize_input, plain_line};
use crate::refs::resolve_phrase;

/// Reads a decision document (UTF-8 text; NFC or NFD, LF or CRLF, with or without BOM) into a
/// plan: metadata, areas, targets with their measures, solutions and the appendix matrix. Unit
/// phrases resolve through `registry`; what does not resolve stays unresolved. The plan's
/// diagnostics hold the importer's own findings (text it could not place, deadlines it could
/// not read, cells it had to guess about) followed by the lint's.
pub fn parse_decision(text: &str, registry: &Registry) -> Result<Plan, ImportError> {
    check_text(text)?;
    let norm = normalize_input(text);
    let lines: Vec<&str> = norm.split('\n').collect();
    let mut diags: Vec<Diagnostic> = Vec::new();

    // What makes a text a decision comes first: its number, then its appendix table.
    if !lines.iter().any(|l| decision_number(l).is_some()) {
        return Err(ImportError::structure(
            1,
            "không tìm thấy số quyết định (\"Số: …/QĐ-…\")",
        ));
    }
    let table = matrix::find_header(&lines)?;
    // The decision and the plan come before the appendix.
    let body = &lines[..table];
    let header = read_header(body, &mut diags)?;
    let year = plan_year(&header).ok_or_else(|| {
        ImportError::structure(
            header.title_line,
            "không xác định được năm kế hoạch: tên quyết định và ngày ban hành không ghi năm",
        )
    })?;
    let owner = owner_ref(&header, registry);

    let (areas, targets) = read_targets(body, &mut diags);
    let solutions = read_solutions(body, &mut diags);
    let sections = matrix::read_matrix(&lines, table, year, registry, &mut diags)?;

    let mut plan = Plan {
        format: FORMAT.to_string(),
        decision: Decision {
            number: header.number,
            date: header.date,
            place: header.place,
            title: header.title,
            signer: header.signer,
            legal_basis: header.legal_basis,
            recipients: header.recipients,
        },
        year,
        owner,
        areas,
        targets,
        solutions,
        sections,
        commune_plans_due: body
            .iter()
            .find_map(|l| cchc_domain::commune_plan::commune_plans_due_in(&plain_line(l))),
        diagnostics: Vec::new(),
    };
    plan.assign_ids();
    diags.extend(cchc_domain::lint::lint(&plan));
    plan.diagnostics = diags;
    Ok(plan)
}

/// The first page of the decision.
#[derive(Debug, Default)]
struct Header {
    number: String,
    date: Option<NaiveDate>,
    place: Option<String>,
    title: String,
    title_line: usize,
    /// "CHỦ TỊCH ỦY BAN NHÂN DÂN HUYỆN": who issues.
    issuer: Option<String>,
    signer: Option<Signer>,
    legal_basis: Vec<String>,
    recipients: Vec<String>,
}

fn key_of(line: &str) -> String {
    fold(&plain_line(line))
}

fn read_header(lines: &[&str], diags: &mut Vec<Diagnostic>) -> Result<Header, ImportError> {
    let mut h = Header::default();
    // Số: 60 /QĐ-UBND
    let (num_line, number) = lines
        .iter()
        .enumerate()
        .find_map(|(i, l)| decision_number(l).map(|n| (i, n)))
        .ok_or_else(|| {
            ImportError::structure(1, "không tìm thấy số quyết định (\"Số: …/QĐ-…\")")
        })?;
    h.number = number;

    // Place and date: "Đức Thọ, ngày 11 tháng 01 năm 2024".
    let mut date_line = None;
    for (i, l) in lines.iter().enumerate().skip(num_line) {
        if let Some((place, date)) = place_and_date(l) {
            h.place = place;
            h.date = Some(date);
            date_line = Some(i);
            break;
        }
        if key_of(l).starts_with("can cu") {
            break;
        }
    }
    if h.date.is_none() {
        diags.push(Diagnostic::warning(
            "missing-date",
            "Không tìm thấy địa danh, ngày ban hành (\"…, ngày … tháng … năm …\")",
            format!("dòng {}", num_line + 1),
        ));
    }

    // Title: the lines after the bold "QUYẾT ĐỊNH" up to a blank line.
    let from = date_line.unwrap_or(num_line) + 1;
    let title_at = lines
        .iter()
        .enumerate()
        .skip(from)
        .find(|(_, l)| key_of(l) == "quyet dinh");
    let mut after_title = from;
    match title_at {
        Some((i, _)) => {
            let mut parts = Vec::new();
            let mut j = i + 1;
            while j < lines.len() && lines[j].trim().is_empty() {
                j += 1;
            }
            h.title_line = j + 1;
            while j < lines.len() && !lines[j].trim().is_empty() {
                parts.push(plain_line(lines[j]));
                j += 1;
            }
            h.title = clean(&parts.join(" "));
            after_title = j;
        }
        None => {
            h.title_line = from + 1;
            diags.push(Diagnostic::warning(
                "missing-title",
                "Không tìm thấy tên quyết định (sau dòng \"QUYẾT ĐỊNH\")",
                format!("dòng {}", from + 1),
            ));
        }
    }

    // Issuer, legal basis, up to the second "QUYẾT ĐỊNH:".
    let mut k = after_title;
    while k < lines.len() {
        let key = key_of(lines[k]);
        if key.starts_with("quyet dinh") {
            break;
        }
        if key.is_empty() {
            k += 1;
            continue;
        }
        let plain = plain_line(lines[k]);
        if ["can cu", "thuc hien", "theo de nghi", "xet de nghi"]
            .iter()
            .any(|p| key.starts_with(p))
        {
            let text = if key.starts_with("can cu") {
                plain
                    .chars()
                    .skip("Căn cứ".chars().count())
                    .collect::<String>()
            } else {
                plain.clone()
            };
            let text = text.trim().trim_start_matches(':').trim();
            h.legal_basis
                .push(clean(text.trim_end_matches([';', ',', '.'])));
        } else if h.issuer.is_none() && h.legal_basis.is_empty() && is_upper(&plain) {
            h.issuer = Some(plain);
        }
        k += 1;
    }
    if h.issuer.is_none() {
        // The signature block's "ỦY BAN NHÂN DÂN …" or the header's.
        h.issuer = lines.iter().map(|l| plain_line(l)).find(|p| {
            let key = fold(p);
            is_upper(p) && (key.contains("uy ban nhan dan") || key.starts_with("ubnd"))
        });
    }

    // Nơi nhận and the signature.
    if let Some(r) = (k..lines.len()).find(|&i| key_of(lines[i]).starts_with("noi nhan")) {
        let first = plain_line(lines[r]);
        if let Some((_, rest)) = first.split_once(':') {
            if !rest.trim().is_empty() {
                h.recipients.push(recipient(rest));
            }
        }
        let mut j = r + 1;
        while j < lines.len() {
            let t = lines[j].trim();
            if t.is_empty() {
                j += 1;
                continue;
            }
            let Some(rest) = t.strip_prefix(['-', '+', '•', '–']) else {
                break;
            };
            h.recipients.push(recipient(rest));
            j += 1;
        }
        h.signer = signer(&lines[j..]);
    }
    Ok(h)
}

fn recipient(s: &str) -> String {
    clean(&plain_line(s))
        .trim_end_matches([';', ',', '.'])
        .trim()
        .to_string()
}

/// "Số: 60 /QĐ-UBND" → "60/QĐ-UBND".
fn decision_number(line: &str) -> Option<String> {
    let plain = plain_line(line);
    let key = fold(&plain);
    if !(key.starts_with("so:") || key.starts_with("so ")) {
        return None;
    }
    let rest = plain.chars().skip(2).collect::<String>();
    let rest = rest.trim_start_matches([':', ' ', '.']).trim();
    if !rest.starts_with(|c: char| c.is_ascii_digit()) || !rest.contains('/') {
        return None;
    }
    let number = rest.split_whitespace().collect::<Vec<_>>().join(" ");
    let number = number
        .replace(" /", "/")
        .replace("/ ", "/")
        .replace(" - ", "-");
    let number = number.replace(" -", "-").replace("- ", "-");
    Some(number)
}

/// "Đức Thọ, ngày 11 tháng 01 năm 2024" → (Some("Đức Thọ"), 2024-01-11).
fn place_and_date(line: &str) -> Option<(Option<String>, NaiveDate)> {
    let plain = plain_line(line);
    let key = fold(&plain);
    let words: Vec<&str> = key.split(|c: char| c.is_whitespace() || c == ',').collect();
    let words: Vec<&str> = words.into_iter().filter(|w| !w.is_empty()).collect();
    let pos = words.iter().position(|w| *w == "ngay")?;
    let num = |k: usize| words.get(pos + k).and_then(|w| w.parse::<u32>().ok());
    if words.get(pos + 2) != Some(&"thang") || words.get(pos + 4) != Some(&"nam") {
        return None;
    }
    let date = NaiveDate::from_ymd_opt(num(5)? as i32, num(3)?, num(1)?)?;
    let place = plain
        .split_once(',')
        .map(|(p, _)| clean(p))
        .filter(|p| !p.is_empty() && !fold(p).contains("ngay"));
    Some((place, date))
}

/// Whether every letter is upper case (a heading or a title in capitals).
fn is_upper(s: &str) -> bool {
    s.chars().any(char::is_alphabetic) && !s.chars().any(char::is_lowercase)
}

/// "CHỦ TỊCH ỦY BAN NHÂN DÂN" → "Chủ tịch Ủy ban nhân dân".
fn sentence_case(s: &str) -> String {
    let lower = s.to_lowercase();
    let mut chars = lower.chars();
    let first: String = chars
        .next()
        .map(|c| c.to_uppercase().collect())
        .unwrap_or_default();
    (first + chars.as_str())
        .replace("chủ tịch", "Chủ tịch")
        .replace("ủy ban", "Ủy ban")
}

/// The signature block after "Nơi nhận": title lines in capitals, then the name.
fn signer(lines: &[&str]) -> Option<Signer> {
    let mut titles: Vec<String> = Vec::new();
    for l in lines.iter().take(12) {
        let p = plain_line(l);
        if p.is_empty() {
            continue;
        }
        if l.trim_start().starts_with('#') || p.chars().count() > 60 {
            break;
        }
        if is_upper(&p) {
            titles.push(p);
            continue;
        }
        let title = titles.last()?;
        let title = title
            .trim_start_matches("KT.")
            .trim_start_matches("TM.")
            .trim_start_matches("Q.")
            .trim();
        return Some(Signer {
            title: sentence_case(title),
            name: p,
        });
    }
    None
}

fn plan_year(h: &Header) -> Option<i32> {
    let words: Vec<String> = fold(&h.title)
        .split_whitespace()
        .map(str::to_string)
        .collect();
    let from_title = words.windows(2).rev().find_map(|w| {
        (w[0] == "nam")
            .then(|| w[1].trim_end_matches(['.', ',']).parse::<i32>().ok())
            .flatten()
    });
    from_title
        .filter(|y| (1900..=2200).contains(y))
        .or(h.date.map(|d| chrono::Datelike::year(&d)))
}

/// The people's committee that issues the plan, resolved through the registry.
fn owner_ref(h: &Header, registry: &Registry) -> UnitRef {
    let issuer = h
        .issuer
        .clone()
        .unwrap_or_else(|| "ỦY BAN NHÂN DÂN".to_string());
    let mut body = issuer.trim().to_string();
    for prefix in ["CHỦ TỊCH ", "TM. ", "KT. "] {
        if let Some(rest) = body.strip_prefix(prefix) {
            body = rest.trim().to_string();
        }
    }
    let body = sentence_case(&body);
    // "… huyện Đức Thọ năm 2024" gives the name after the level word.
    let level = body.split_whitespace().last().unwrap_or("").to_string();
    let name = district_name(&h.title, &level);
    let text = match &name {
        Some(n) => format!("{body} {n}"),
        None => body.clone(),
    };
    let short = fold(&body).replacen("uy ban nhan dan", "UBND", 1);
    let mut candidates = vec![text.clone()];
    if let Some(n) = &name {
        candidates.push(format!("{short} {n}"));
    }
    candidates.push(body.clone());
    candidates.push(short);
    for c in candidates {
        if let Some(target) = resolve_phrase(&c, registry) {
            return UnitRef { target, text };
        }
    }
    UnitRef::unresolved(text)
}

fn district_name(title: &str, level: &str) -> Option<String> {
    if level.is_empty() {
        return None;
    }
    let words: Vec<&str> = title.split_whitespace().collect();
    let lk = fold(level);
    let pos = words.iter().rposition(|w| fold(w) == lk)?;
    let name: Vec<&str> = words[pos + 1..]
        .iter()
        .take_while(|w| fold(w) != "nam" && w.chars().next().is_some_and(char::is_uppercase))
        .copied()
        .collect();
    (!name.is_empty()).then(|| name.join(" "))
}

/// A roman-numbered heading of the plan: "II. CÁC CHỈ TIÊU CHỦ YẾU" → ("II", key of the title).
fn roman_heading(line: &str) -> Option<(String, String)> {
    let plain = plain_line(line);
    let (head, rest) = plain.split_once(['.', ' '])?;
    if head.is_empty() || !head.chars().all(|c| matches!(c, 'I' | 'V' | 'X')) {
        return None;
    }
    let rest = rest.trim_start_matches('.').trim();
    if rest.is_empty() || !is_upper(rest) {
        return None;
    }
    Some((head.to_string(), fold(rest)))
}

/// Lines of the part whose heading satisfies `is_start`, up to the next roman heading.
fn part_range(lines: &[&str], is_start: impl Fn(&str, &str) -> bool) -> Option<(usize, usize)> {
    let start = lines
        .iter()
        .position(|l| roman_heading(l).is_some_and(|(r, k)| is_start(&r, &k)))?;
    let end = (start + 1..lines.len())
        .find(|&i| roman_heading(lines[i]).is_some())
        .unwrap_or(lines.len());
    Some((start + 1, end))
}

/// A numbered line: "5.2. text" → ([5, 2], "text"); "1. text" → ([1], "text").
fn numbered(plain: &str) -> Option<(Vec<u32>, String)> {
    let mut nums = Vec::new();
    let mut rest = plain;
    loop {
        let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
        if digits.is_empty() || digits.len() > 3 {
            break;
        }
        let after = &rest[digits.len()..];
        let Some(after) = after.strip_prefix('.') else {
            // "3.1 Text": a last number without its dot.
            if !nums.is_empty() && after.starts_with(' ') {
                nums.push(digits.parse().ok()?);
                rest = after;
            }
            break;
        };
        nums.push(digits.parse().ok()?);
        rest = after;
    }
    if nums.is_empty() || !rest.starts_with(' ') {
        return None;
    }
    Some((nums, clean(rest)))
}

fn is_heading(line: &str) -> bool {
    let t = line.trim_start();
    t.starts_with('#') || t.starts_with('*')
}

fn ends_sentence(s: &str) -> bool {
    s.trim_end().ends_with(['.', ';', ':', '!', '?'])
}

/// Appends a line that carries no number of its own to the item above it. A line that starts
/// with a capital after a finished sentence may be a paragraph of its own: it is kept with the
/// item above, and the guess is reported.
fn continue_item(
    text: &mut String,
    piece: &str,
    line_no: usize,
    what: &str,
    diags: &mut Vec<Diagnostic>,
) {
    if ends_sentence(text) && piece.chars().next().is_some_and(char::is_uppercase) {
        diags.push(Diagnostic::new(
            cchc_domain::diagnostic::Severity::Info,
            "guessed-continuation",
            format!(
                "Đoạn «{}» không có số thứ tự; đã nối vào {what} phía trên",
                short(piece)
            ),
            format!("dòng {line_no}"),
        ));
    }
    text.push(' ');
    text.push_str(piece);
}

pub(crate) fn short(s: &str) -> String {
    let mut out: String = s.chars().take(60).collect();
    if s.chars().count() > 60 {
        out.push('…');
    }
    out
}

fn read_targets(lines: &[&str], diags: &mut Vec<Diagnostic>) -> (Vec<Area>, Vec<Target>) {
    let Some((start, end)) = part_range(lines, |r, k| r == "II" && k.contains("chi tieu")) else {
        diags.push(Diagnostic::warning(
            "missing-targets",
            "Không tìm thấy phần \"II. CÁC CHỈ TIÊU CHỦ YẾU\": kế hoạch không có chỉ tiêu",
            "dòng 1",
        ));
        return (Vec::new(), Vec::new());
    };
    let mut areas: Vec<Area> = Vec::new();
    let mut targets: Vec<Target> = Vec::new();
    for (i, line) in lines.iter().enumerate().take(end).skip(start) {
        let plain = plain_line(line);
        if plain.is_empty() {
            continue;
        }
        match numbered(&plain) {
            Some((nums, title)) if nums.len() == 1 => {
                areas.push(Area { no: nums[0], title });
            }
            Some((nums, text)) => {
                let code = nums
                    .iter()
                    .map(u32::to_string)
                    .collect::<Vec<_>>()
                    .join(".");
                let area = areas.last().map_or(nums[0], |a| a.no);
                targets.push(Target {
                    code,
                    area,
                    text,
                    measures: Vec::new(),
                });
            }
            None => {
                let last = targets.last_mut().map(|t| &mut t.text);
                continue_or_unplaced(last, line, &plain, i + 1, "chỉ tiêu", diags)
            }
        }
    }
    for t in &mut targets {
        t.measures = parse_measures(&t.text);
    }
    (areas, targets)
}

/// A line of running text goes on the last item (`what`: "chỉ tiêu", "giải pháp"); with no
/// item before it, or when it is a heading, it is reported as unplaced.
fn continue_or_unplaced(
    last: Option<&mut String>,
    line: &str,
    plain: &str,
    line_no: usize,
    what: &str,
    diags: &mut Vec<Diagnostic>,
) {
    match last {
        Some(text) if !is_heading(line) => continue_item(text, plain, line_no, what, diags),
        _ => diags.push(Diagnostic::warning(
            "unplaced-text",
            format!("Không xếp được đoạn «{}» vào {what} nào", short(plain)),
            format!("dòng {line_no}"),
        )),
    }
}

fn read_solutions(lines: &[&str], diags: &mut Vec<Diagnostic>) -> Vec<Solution> {
    let Some((start, end)) = part_range(lines, |r, k| {
        r == "III" && k.contains("nhiem vu") && k.contains("giai phap")
    }) else {
        diags.push(Diagnostic::warning(
            "missing-solutions",
            "Không tìm thấy phần \"III. NHIỆM VỤ, GIẢI PHÁP CHUNG\"",
            "dòng 1",
        ));
        return Vec::new();
    };
    let mut out: Vec<Solution> = Vec::new();
    let mut area: Option<u32> = None;
    for (i, line) in lines.iter().enumerate().take(end).skip(start) {
        let plain = plain_line(line);
        if plain.is_empty() {
            continue;
        }
        if let Some(rest) = plain.strip_prefix(['-', '+', '•', '–']) {
            if area.is_none() {
                diags.push(Diagnostic::warning(
                    "unplaced-text",
                    format!(
                        "Giải pháp «{}» đứng trước tiêu đề lĩnh vực đầu tiên",
                        short(rest)
                    ),
                    format!("dòng {}", i + 1),
                ));
            }
            out.push(Solution {
                area: area.unwrap_or(0),
                text: clean(rest),
            });
            continue;
        }
        if let Some((nums, _)) = numbered(&plain) {
            if nums.len() == 1 || is_heading(line) {
                area = Some(nums[0]);
                continue;
            }
        }
        let last = out.last_mut().map(|s| &mut s.text);
        continue_or_unplaced(last, line, &plain, i + 1, "giải pháp", diags);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn number_is_normalized() {
        assert_eq!(
            decision_number("Số: 60 /QĐ-UBND").as_deref(),
            Some("60/QĐ-UBND")
        );
        assert_eq!(
            decision_number("**Số: 125/QĐ - UBND**").as_deref(),
            Some("125/QĐ-UBND")
        );
        assert_eq!(decision_number("Số lượng cán bộ"), None);
    }

    #[test]
    fn place_and_date_are_read() {
        let (place, date) = place_and_date("Đức Thọ, ngày 11 tháng 01 năm 2024").unwrap();
        assert_eq!(place.as_deref(), Some("Đức Thọ"));
        assert_eq!(date, NaiveDate::from_ymd_opt(2024, 1, 11).unwrap());
        assert!(place_and_date("ngày 31 tháng 02 năm 2024").is_none());
    }

    #[test]
    fn numbered_lines() {
        assert_eq!(
            numbered("5.2. 95% cán bộ"),
            Some((vec![5, 2], "95% cán bộ".into()))
        );
        assert_eq!(numbered("1. Mục đích"), Some((vec![1], "Mục đích".into())));
        assert_eq!(numbered("2024 là năm"), None);
        assert_eq!(
            numbered("3.1 Văn bản"),
            Some((vec![3, 1], "Văn bản".into()))
        );
    }

    #[test]
    fn titles_read_in_sentence_case() {
        assert_eq!(sentence_case("PHÓ CHỦ TỊCH"), "Phó Chủ tịch");
        assert_eq!(sentence_case("CHỦ TỊCH"), "Chủ tịch");
    }
}
