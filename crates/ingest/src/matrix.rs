//! The appendix matrix (phụ lục, khung nhiệm vụ): tab-separated cells → sections, parts, rows,
//! objectives, tasks and activities, by the inheritance rules of `cchc-plan/1`.

use std::collections::HashMap;

use cchc_domain::deadline::Deadline;
use cchc_domain::diagnostic::{Diagnostic, Severity};
use cchc_domain::plan::{Activity, Objective, Part, Row, Section, Task, UnitRef};
use cchc_domain::text::{clean, fold};
use cchc_domain::unit::Registry;

use crate::decision::short;
use crate::error::ImportError;
use crate::normalize::strip_markup;
use crate::refs::parse_unit_refs;

/// The columns of the matrix, in their usual order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Col {
    No,
    Objective,
    Task,
    Activity,
    Outputs,
    Lead,
    Coordinators,
    Deadline,
    Funding,
}

const COLS: usize = 9;

impl Col {
    fn from_header(cell: &str) -> Option<Col> {
        let key = fold(cell);
        let has = |w: &str| key.contains(w);
        Some(if key == "tt" || key == "stt" {
            Col::No
        } else if has("muc tieu") || has("chi tieu") {
            Col::Objective
        } else if has("nhiem vu") {
            Col::Task
        } else if has("hoat dong") {
            Col::Activity
        } else if has("ket qua") || has("san pham") {
            Col::Outputs
        } else if has("chu tri") {
            Col::Lead
        } else if has("phoi hop") {
            Col::Coordinators
        } else if has("thoi gian") || has("thoi han") {
            Col::Deadline
        } else if has("kinh phi") {
            Col::Funding
        } else {
            return None;
        })
    }
}

fn cell_clean(s: &str) -> String {
    clean(&strip_markup(s))
}

/// Index of the matrix's header line ("TT ⇥ Mục tiêu ⇥ Nhiệm vụ ⇥ Hoạt động ⇥ …").
pub(crate) fn find_header(lines: &[&str]) -> Result<usize, ImportError> {
    let found = lines.iter().position(|l| {
        let cells: Vec<&str> = l.split('\t').collect();
        cells.len() >= 4
            && Col::from_header(&cell_clean(cells[0])) == Some(Col::No)
            && cells
                .iter()
                .any(|c| Col::from_header(&cell_clean(c)) == Some(Col::Activity))
    });
    found.ok_or_else(|| {
        let appendix = lines
            .iter()
            .position(|l| fold(&cell_clean(l)).starts_with("phu luc"));
        ImportError::structure(
            appendix.map_or(lines.len().max(1), |i| i + 1),
            "không tìm thấy bảng phụ lục: cần dòng tiêu đề \"TT ⇥ Mục tiêu ⇥ Nhiệm vụ ⇥ Hoạt \
             động ⇥ …\" với các ô ngăn bởi dấu tab",
        )
    })
}

/// One line of the matrix after page breaks have been joined back.
#[derive(Debug, Clone)]
enum Logical {
    Section {
        code: String,
        title: String,
    },
    Part {
        line: usize,
        code: String,
        title: String,
    },
    Data {
        line: usize,
        cells: [String; COLS],
    },
}

fn is_roman(s: &str) -> bool {
    !s.is_empty() && s.len() <= 6 && s.chars().all(|c| matches!(c, 'I' | 'V' | 'X'))
}

fn is_part_letter(s: &str) -> bool {
    let mut cs = s.chars();
    matches!((cs.next(), cs.next()), (Some(c), None) if c.is_ascii_uppercase() && !matches!(c, 'I' | 'V' | 'X'))
}

/// "III CẢI CÁCH TTHC …" or "III" → (code, title in the same cell).
fn heading_cell(s: &str, accept: fn(&str) -> bool) -> Option<(String, String)> {
    let s = s.trim();
    let (head, rest) = match s.split_once([' ', '.']) {
        Some((h, r)) => (h, r.trim_start_matches('.').trim()),
        None => (s, ""),
    };
    accept(head).then(|| (head.to_string(), rest.to_string()))
}

/// Whether a cell starts with an item code such as "3.1." or "2.10".
fn starts_with_code(s: &str) -> bool {
    matches!(split_items(s).first(), Some((Some(_), _)))
}

/// Splits a cell into numbered items: "3.1. A 3.2. B" → [("3.1", "A"), ("3.2", "B")]. Only
/// codes of the first item's depth and parent split ("3.x" inside a "3.1." cell); a cell that
/// does not start with a code is one item without code.
fn split_items(s: &str) -> Vec<(Option<String>, String)> {
    let s = s.trim();
    if s.is_empty() {
        return Vec::new();
    }
    let Some((first, first_len)) = code_at(s, true) else {
        return vec![(None, s.to_string())];
    };
    let parent = |c: &str| c.rsplit_once('.').map(|(p, _)| p.to_string());
    let depth = first.matches('.').count();
    let want_parent = parent(&first);
    let mut starts: Vec<(usize, usize, String)> = vec![(0, first_len, first)];
    let mut prev_space = false;
    for (i, c) in s.char_indices() {
        if prev_space && c.is_ascii_digit() && i > starts.last().map_or(0, |l| l.0 + l.1) {
            if let Some((code, len)) = code_at(&s[i..], false) {
                if code.matches('.').count() == depth && parent(&code) == want_parent {
                    starts.push((i, len, code));
                }
            }
        }
        prev_space = c.is_whitespace();
    }
    let mut out = Vec::with_capacity(starts.len());
    for (k, (at, len, code)) in starts.iter().enumerate() {
        let end = starts.get(k + 1).map_or(s.len(), |n| n.0);
        out.push((Some(code.clone()), s[at + len..end].trim().to_string()));
    }
    out
}

/// An item code at the start of `s`: "3.10. " → ("3.10", bytes consumed). Within a cell a code
/// must end with a dot, or be followed by a capital letter.
fn code_at(s: &str, at_start: bool) -> Option<(String, usize)> {
    let b = s.as_bytes();
    let mut i = 0;
    let mut parts = 0;
    loop {
        let d0 = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        if i == d0 || i - d0 > 3 {
            return None;
        }
        parts += 1;
        if i < b.len() && b[i] == b'.' && b.get(i + 1).is_some_and(u8::is_ascii_digit) {
            i += 1;
            continue;
        }
        break;
    }
    if parts < 2 {
        return None;
    }
    let code = s[..i].to_string();
    let dotted = b.get(i) == Some(&b'.');
    let after = if dotted { i + 1 } else { i };
    match s[after..].chars().next() {
        None if at_start => Some((code, after)),
        Some(c) if c.is_whitespace() => {
            let next = s[after..].trim_start().chars().next();
            let ok = dotted || at_start || next.is_some_and(char::is_uppercase);
            let ok = ok && next != Some('%');
            ok.then_some((code, after))
        }
        _ => None,
    }
}

/// Reads the matrix from its header line to the end of the document.
pub(crate) fn read_matrix(
    lines: &[&str],
    header: usize,
    year: i32,
    registry: &Registry,
    diags: &mut Vec<Diagnostic>,
) -> Result<Vec<Section>, ImportError> {
    // Column of each cell position.
    let mut cols: Vec<Option<Col>> = Vec::new();
    for c in lines[header].split('\t') {
        cols.push(Col::from_header(&cell_clean(c)));
    }
    for need in [Col::No, Col::Objective, Col::Task, Col::Activity] {
        if !cols.contains(&Some(need)) {
            return Err(ImportError::structure(
                header + 1,
                format!(
                    "bảng phụ lục thiếu cột {}",
                    match need {
                        Col::No => "\"TT\"",
                        Col::Objective => "\"Mục tiêu\"",
                        Col::Task => "\"Nhiệm vụ\"",
                        _ => "\"Hoạt động\"",
                    }
                ),
            ));
        }
    }
    let logical = join_lines(lines, header, &cols, diags);
    Ok(build(logical, year, registry, diags))
}

/// Splits lines into cells, recognises headings, and joins page-broken lines to the line
/// above, cell by cell.
fn join_lines(
    lines: &[&str],
    header: usize,
    cols: &[Option<Col>],
    diags: &mut Vec<Diagnostic>,
) -> Vec<Logical> {
    let mut out: Vec<Logical> = Vec::new();
    for (i, raw) in lines.iter().enumerate().skip(header + 1) {
        let line = i + 1;
        if raw.trim().is_empty() {
            continue;
        }
        if !raw.contains('\t') {
            diags.push(Diagnostic::warning(
                "unplaced-text",
                format!("Dòng «{}» trong phụ lục không có ô nào (không có dấu tab); không xếp được vào bảng", short(&clean(raw))),
                format!("dòng {line}"),
            ));
            continue;
        }
        let mut cells: [String; COLS] = Default::default();
        for (k, c) in raw.split('\t').enumerate() {
            let text = cell_clean(c);
            if text.is_empty() {
                continue;
            }
            match cols.get(k).copied().flatten() {
                Some(col) => cells[col as usize] = text,
                None => {
                    diags.push(Diagnostic::warning(
                        "extra-cell",
                        format!(
                            "Ô thừa «{}» ngoài các cột của bảng; đã nối vào cột cuối",
                            short(&text)
                        ),
                        format!("dòng {line}"),
                    ));
                    let last = &mut cells[COLS - 1];
                    if !last.is_empty() {
                        last.push(' ');
                    }
                    last.push_str(&text);
                }
            }
        }
        if cells.iter().all(String::is_empty) {
            continue;
        }
        let no = &cells[Col::No as usize];
        let rest_empty = |from: usize| cells[from..].iter().all(String::is_empty);
        // Section heading: "I ⇥ CÔNG TÁC …" or "III CẢI CÁCH TTHC …" in one cell.
        if let Some((code, title)) = heading_cell(no, is_roman) {
            let title = if title.is_empty() {
                cells[Col::Objective as usize].clone()
            } else {
                title
            };
            if rest_empty(Col::Task as usize) && !title.is_empty() {
                out.push(Logical::Section { code, title });
                continue;
            }
        }
        if let Some((code, title)) = heading_cell(no, is_part_letter) {
            let title = if title.is_empty() {
                cells[Col::Objective as usize].clone()
            } else {
                title
            };
            if rest_empty(Col::Task as usize) {
                out.push(Logical::Part { line, code, title });
                continue;
            }
        }
        let first_item = [Col::Objective, Col::Task, Col::Activity]
            .iter()
            .map(|c| &cells[*c as usize])
            .find(|c| !c.is_empty());
        let starts_item = first_item.is_some_and(|c| starts_with_code(c));
        if !no.is_empty() || starts_item {
            out.push(Logical::Data { line, cells });
            continue;
        }
        // A page break cut the row above: continue its cells.
        match out.last_mut() {
            Some(Logical::Data { cells: above, .. }) => {
                for (a, c) in above.iter_mut().zip(cells) {
                    if !c.is_empty() {
                        if !a.is_empty() {
                            a.push(' ');
                        }
                        a.push_str(&c);
                    }
                }
            }
            Some(Logical::Section { title, .. }) | Some(Logical::Part { title, .. })
                if rest_empty(Col::Task as usize) && cells[Col::No as usize].is_empty() =>
            {
                title.push(' ');
                title.push_str(&cells[Col::Objective as usize]);
            }
            _ => {
                diags.push(Diagnostic::new(
                    Severity::Info,
                    "guessed-line",
                    "Dòng không có số thứ tự và không nối được vào dòng nào phía trên; đã đọc như một dòng mới",
                    format!("dòng {line}"),
                ));
                out.push(Logical::Data { line, cells });
            }
        }
    }
    out
}

/// Values of the line above in the same row, for merged cells.
#[derive(Default, Clone)]
struct Above {
    lead: Vec<UnitRef>,
    coordinators: Vec<UnitRef>,
    deadline: Option<Deadline>,
    funding: Option<String>,
}

fn build(
    logical: Vec<Logical>,
    year: i32,
    registry: &Registry,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Section> {
    let mut sections: Vec<Section> = Vec::new();
    let mut above = Above::default();
    let mut ref_cache: HashMap<String, Vec<UnitRef>> = HashMap::new();
    let mut refs = |cell: &str| -> Vec<UnitRef> {
        ref_cache
            .entry(cell.to_string())
            .or_insert_with(|| parse_unit_refs(cell, registry))
            .clone()
    };
    for item in logical {
        match item {
            Logical::Section { code, title, .. } => {
                sections.push(Section {
                    code,
                    title,
                    parts: vec![Part {
                        code: None,
                        title: None,
                        rows: Vec::new(),
                    }],
                });
            }
            Logical::Part { line, code, title } => {
                let section = current_section(&mut sections, line, diags);
                let part = Part {
                    code: Some(code),
                    title: (!title.is_empty()).then_some(title),
                    rows: Vec::new(),
                };
                match section.parts.last_mut() {
                    Some(p) if p.code.is_none() && p.rows.is_empty() => *p = part,
                    _ => section.parts.push(part),
                }
            }
            Logical::Data { line, cells } => {
                let get = |c: Col| cells[c as usize].as_str();
                let section = current_section(&mut sections, line, diags);
                let sec_code = section.code.clone();
                let part = section
                    .parts
                    .last_mut()
                    .expect("a section always has a part");
                let part_code = part.code.clone().unwrap_or_default();
                if !get(Col::No).is_empty() || part.rows.is_empty() {
                    if get(Col::No).is_empty() {
                        diags.push(Diagnostic::warning(
                            "guessed-row",
                            "Dòng đầu của mục không có số thứ tự (TT); đã coi là một dòng mới",
                            format!("dòng {line}"),
                        ));
                    }
                    part.rows.push(Row {
                        no: get(Col::No).to_string(),
                        objective: None,
                        tasks: Vec::new(),
                    });
                    above = Above::default();
                }
                let row = part.rows.last_mut().expect("just ensured a row");
                let loc = |code: &str| format!("PL.{sec_code}{part_code}.{}.{code}", row.no);
                // Objective.
                let objective = get(Col::Objective);
                if !objective.is_empty() {
                    let mut items = split_items(objective).into_iter();
                    let (code, text) = items.next().unwrap_or((None, String::new()));
                    let rest: Vec<String> = items
                        .map(|(c, t)| format!("{} {t}", c.unwrap_or_default()))
                        .collect();
                    if !rest.is_empty() {
                        diags.push(Diagnostic::new(
                            Severity::Info,
                            "guessed-objective",
                            format!("Ô mục tiêu có nhiều mục đánh số; đã giữ cả đoạn trong một mục tiêu ({})", code.clone().unwrap_or_default()),
                            format!("dòng {line}"),
                        ));
                    }
                    let text = clean(
                        &std::iter::once(text)
                            .chain(rest)
                            .collect::<Vec<_>>()
                            .join(" "),
                    );
                    match &mut row.objective {
                        None => row.objective = Some(Objective { code, text }),
                        Some(o) => {
                            diags.push(Diagnostic::new(
                                Severity::Info,
                                "guessed-objective",
                                "Mục tiêu thứ hai trong cùng một dòng (TT); đã nối vào mục tiêu phía trên",
                                format!("dòng {line}"),
                            ));
                            o.text.push(' ');
                            if let Some(c) = code {
                                o.text.push_str(&c);
                                o.text.push(' ');
                            }
                            o.text.push_str(&text);
                        }
                    }
                }
                // Cells shared by every activity of the line; empty ones take the line above's.
                let lead = match get(Col::Lead) {
                    "" => above.lead.clone(),
                    c => refs(c),
                };
                let coordinators = match get(Col::Coordinators) {
                    "" => above.coordinators.clone(),
                    c => refs(c),
                };
                let deadline = match get(Col::Deadline) {
                    "" => above.deadline.clone(),
                    c => Some(match Deadline::try_parse(c, year) {
                        Some(d) => d,
                        None => {
                            diags.push(Diagnostic::warning(
                                "unreadable-deadline",
                                format!("Không đọc được thời gian hoàn thành «{c}»; giữ nguyên chữ, không tính được hạn"),
                                format!("dòng {line}"),
                            ));
                            Deadline::parse(c, year)
                        }
                    }),
                };
                let funding = match get(Col::Funding) {
                    "" => above.funding.clone(),
                    c => Some(c.to_string()),
                };
                above = Above {
                    lead: lead.clone(),
                    coordinators: coordinators.clone(),
                    deadline: deadline.clone(),
                    funding: funding.clone(),
                };
                let outputs = Some(get(Col::Outputs).to_string()).filter(|s| !s.is_empty());
                let own_cells = [
                    Col::Outputs,
                    Col::Lead,
                    Col::Coordinators,
                    Col::Deadline,
                    Col::Funding,
                ]
                .iter()
                .any(|c| !get(*c).is_empty());
                let mut activities: Vec<Activity> = split_items(get(Col::Activity))
                    .into_iter()
                    .map(|(code, text)| Activity {
                        id: String::new(),
                        code,
                        text,
                        outputs: outputs.clone(),
                        lead: lead.clone(),
                        coordinators: coordinators.clone(),
                        deadline: deadline.clone(),
                        funding: funding.clone(),
                    })
                    .collect();
                if activities.is_empty() && own_cells {
                    diags.push(Diagnostic::new(
                        Severity::Info,
                        "missing-activity",
                        "Ô hoạt động trống nhưng dòng có kết quả, đơn vị hoặc thời gian; đã tạo một hoạt động không tên để giữ các ô đó",
                        format!("dòng {line}"),
                    ));
                    activities.push(Activity {
                        id: String::new(),
                        code: None,
                        text: String::new(),
                        outputs,
                        lead,
                        coordinators,
                        deadline,
                        funding,
                    });
                }
                // Tasks of the line, and where its activities go.
                let new_tasks: Vec<Task> = split_items(get(Col::Task))
                    .into_iter()
                    .map(|(code, text)| Task {
                        code,
                        text,
                        activities: Vec::new(),
                    })
                    .collect();
                let n_tasks = new_tasks.len();
                if n_tasks > 1 && !activities.is_empty() && activities.len() != n_tasks {
                    let codes: Vec<String> =
                        new_tasks.iter().filter_map(|t| t.code.clone()).collect();
                    diags.push(Diagnostic::new(
                        Severity::Info,
                        "guessed-task",
                        format!(
                            "Ô nhiệm vụ có {n_tasks} nhiệm vụ ({}) nhưng ô hoạt động có {} hoạt động; các hoạt động được xếp vào nhiệm vụ cuối",
                            codes.join(", "),
                            activities.len()
                        ),
                        loc(codes.last().map_or("", String::as_str)),
                    ));
                }
                if n_tasks > 1 && activities.len() == n_tasks {
                    for (mut t, a) in new_tasks.into_iter().zip(activities) {
                        t.activities.push(a);
                        row.tasks.push(t);
                    }
                    continue;
                }
                row.tasks.extend(new_tasks);
                if activities.is_empty() {
                    continue;
                }
                if row.tasks.is_empty() {
                    diags.push(Diagnostic::warning(
                        "missing-task",
                        "Hoạt động không có nhiệm vụ nào phía trên trong cùng dòng; đã tạo một nhiệm vụ không tên",
                        format!("dòng {line}"),
                    ));
                    row.tasks.push(Task {
                        code: None,
                        text: String::new(),
                        activities: Vec::new(),
                    });
                }
                let task = row.tasks.last_mut().expect("just ensured a task");
                task.activities.extend(activities);
            }
        }
    }
    sections
}

fn current_section<'a>(
    sections: &'a mut Vec<Section>,
    line: usize,
    diags: &mut Vec<Diagnostic>,
) -> &'a mut Section {
    if sections.is_empty() {
        diags.push(Diagnostic::warning(
            "unplaced-text",
            "Dòng của phụ lục đứng trước tiêu đề mục đầu tiên (I, II, …); đã xếp vào một mục không tên",
            format!("dòng {line}"),
        ));
        sections.push(Section {
            code: String::new(),
            title: String::new(),
            parts: vec![Part {
                code: None,
                title: None,
                rows: Vec::new(),
            }],
        });
    }
    let last = sections.len() - 1;
    &mut sections[last]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn items(s: &str) -> Vec<(Option<String>, String)> {
        split_items(s)
    }

    fn want(v: &[(Option<&str>, &str)]) -> Vec<(Option<String>, String)> {
        v.iter()
            .map(|(c, t)| (c.map(str::to_string), t.to_string()))
            .collect()
    }

    #[test]
    fn several_items_in_one_cell_split() {
        assert_eq!(
            items("3.10. Ban hành Kế hoạch 3.11. Thông báo lịch 3.12. Biên bản"),
            want(&[
                (Some("3.10"), "Ban hành Kế hoạch"),
                (Some("3.11"), "Thông báo lịch"),
                (Some("3.12"), "Biên bản")
            ])
        );
        assert_eq!(
            items("Tổ chức 3.1. thực hiện"),
            want(&[(None, "Tổ chức 3.1. thực hiện")])
        );
        assert_eq!(
            items("3.1. Đạt 2.5 % và 4.1. khác"),
            want(&[(Some("3.1"), "Đạt 2.5 % và 4.1. khác")])
        );
        assert_eq!(
            items("1.1. ISO 9001:2015 trong năm 2024"),
            want(&[(Some("1.1"), "ISO 9001:2015 trong năm 2024")])
        );
        assert!(items("").is_empty());
    }

    #[test]
    fn codes_are_recognised() {
        assert!(starts_with_code("3.5. Tổ chức"));
        assert!(starts_with_code("2.1 Tuyên truyền"));
        assert!(!starts_with_code("3 so với năm trước"));
        assert!(!starts_with_code("02 trường tiêu học"));
        assert!(!starts_with_code("cho cán bộ"));
    }

    #[test]
    fn headings_are_recognised() {
        assert_eq!(
            heading_cell("III CẢI CÁCH TTHC", is_roman),
            Some(("III".into(), "CẢI CÁCH TTHC".into()))
        );
        assert_eq!(
            heading_cell("VII", is_roman),
            Some(("VII".into(), String::new()))
        );
        assert_eq!(heading_cell("12", is_roman), None);
        assert_eq!(
            heading_cell("A", is_part_letter),
            Some(("A".into(), String::new()))
        );
        assert_eq!(heading_cell("I", is_part_letter), None);
    }
}
