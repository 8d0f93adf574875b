//! Fuzzing the decision reader: the real decision of Đức Thọ (QĐ 60/2024) with lines deleted,
//! duplicated, swapped, truncated, cut through by random bytes or Unicode, tabs changed; and
//! arbitrary text. Whatever comes in, the reader returns (no panic); a refusal names a line of
//! the document and says why in Vietnamese; a plan it reads places every finding on a line of
//! the document.
//!
//! Bounded for CI (a few seconds in a debug build); `PROPTEST_CASES=5000` runs each property
//! that many times (see `common::fuzz_config`).

mod common;

use cchc_domain::plan::Plan;
use cchc_domain::unit::Registry;
use cchc_ingest::decision::parse_decision;
use cchc_ingest::plan_json::read_plan_file;
use cchc_ingest::ImportError;
use common::*;
use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::TestCaseError;

fn registry() -> &'static Registry {
    static R: std::sync::OnceLock<Registry> = std::sync::OnceLock::new();
    R.get_or_init(|| registry_from(&repo_file("data/duc-tho-2024/units.csv")))
}

fn qd60() -> &'static str {
    static T: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    T.get_or_init(|| repo_file("data/duc-tho-2024/duc-tho-2024-qd60.txt"))
}

/// Text that means something to the reader, to be cut into the document.
const TOKENS: &[&str] = &[
    "\t",
    "\t\t",
    "\n",
    "\r",
    "\r\n",
    "**",
    "<b>",
    "</b>",
    "<p>",
    "<br/>",
    "&nbsp;",
    "#",
    "*",
    "\u{feff}",
    "\u{0301}",
    "\u{a0}",
    "\u{200b}",
    "Số: 1/QĐ-UBND",
    "Số:",
    "QUYẾT ĐỊNH",
    "ngày 31 tháng 02 năm 2024",
    "ngày 1 tháng 1 năm 99999",
    "PHỤ LỤC",
    "Nơi nhận:",
    "Căn cứ",
    "TT\tMục tiêu\tNhiệm vụ\tHoạt động",
    "TT\tHoạt động\t\t",
    "II. CÁC CHỈ TIÊU CHỦ YẾU",
    "III. NHIỆM VỤ, GIẢI PHÁP CHUNG",
    "I",
    "IV",
    "A",
    "1.",
    "1.1.",
    "1.1.1.",
    "999.999.",
    "3.1 ",
    "- ",
    "Quý V/2024",
    "Quý II, III/2024",
    "Tháng 13",
    "Trước 31/02/2024",
    "99999999999/1",
    "UBND huyện",
    "Phòng Nội vụ",
    "(",
    ")",
    ",",
    ";",
    " và ",
    "%",
    "≥",
    "tối thiểu 1000000000000000000000%",
    "năm",
    "năm 2024",
    "2024",
    "CHỦ TỊCH",
    "KT. CHỦ TỊCH",
];

fn inserted() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => prop::sample::select(TOKENS).prop_map(str::to_string),
        2 => "\\PC{1,12}",
        1 => any::<char>().prop_map(String::from),
        1 => prop::collection::vec(prop::sample::select(TOKENS), 1..4).prop_map(|v| v.concat()),
    ]
}

/// One change to the document.
#[derive(Debug, Clone)]
enum Edit {
    DeleteLine(Index),
    DuplicateLine(Index),
    SwapLines(Index, Index),
    /// Keeps the document up to a character.
    Truncate(Index),
    /// Inserts text at a character of the document.
    Insert(Index, String),
    /// Replaces a line with other text.
    ReplaceLine(Index, String),
    /// The tabs of a line become spaces (cells run together).
    TabsToSpaces(Index),
    /// The runs of spaces of a line become tabs (words become cells).
    SpacesToTabs(Index),
    /// Drops the `k`-th tab of a line (a cell merges with the next).
    DropTab(Index, Index),
    /// Deletes a range of characters.
    DeleteChars(Index, u8),
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        any::<Index>().prop_map(Edit::DeleteLine),
        any::<Index>().prop_map(Edit::DuplicateLine),
        (any::<Index>(), any::<Index>()).prop_map(|(a, b)| Edit::SwapLines(a, b)),
        any::<Index>().prop_map(Edit::Truncate),
        (any::<Index>(), inserted()).prop_map(|(i, s)| Edit::Insert(i, s)),
        (any::<Index>(), inserted()).prop_map(|(i, s)| Edit::ReplaceLine(i, s)),
        any::<Index>().prop_map(Edit::TabsToSpaces),
        any::<Index>().prop_map(Edit::SpacesToTabs),
        (any::<Index>(), any::<Index>()).prop_map(|(a, b)| Edit::DropTab(a, b)),
        (any::<Index>(), any::<u8>()).prop_map(|(i, n)| Edit::DeleteChars(i, n)),
    ]
}

/// The byte offset of character `i` of `s` (its end for `i` past the last character).
fn char_offset(s: &str, i: usize) -> usize {
    s.char_indices().nth(i).map_or(s.len(), |(b, _)| b)
}

fn apply(text: &str, e: &Edit) -> String {
    let mut lines: Vec<String> = text.split('\n').map(str::to_string).collect();
    let n = lines.len();
    let chars = text.chars().count() + 1;
    match e {
        Edit::DeleteLine(i) => {
            lines.remove(i.index(n));
        }
        Edit::DuplicateLine(i) => {
            let k = i.index(n);
            lines.insert(k, lines[k].clone());
        }
        Edit::SwapLines(a, b) => lines.swap(a.index(n), b.index(n)),
        Edit::Truncate(i) => return text[..char_offset(text, i.index(chars))].to_string(),
        Edit::Insert(i, s) => {
            let at = char_offset(text, i.index(chars));
            return format!("{}{s}{}", &text[..at], &text[at..]);
        }
        Edit::ReplaceLine(i, s) => lines[i.index(n)] = s.clone(),
        Edit::TabsToSpaces(i) => {
            let k = i.index(n);
            lines[k] = lines[k].replace('\t', " ");
        }
        Edit::SpacesToTabs(i) => {
            let k = i.index(n);
            lines[k] = lines[k].split_whitespace().collect::<Vec<_>>().join("\t");
        }
        Edit::DropTab(i, t) => {
            let k = i.index(n);
            let tabs: Vec<usize> = lines[k].match_indices('\t').map(|(b, _)| b).collect();
            if !tabs.is_empty() {
                lines[k].remove(tabs[t.index(tabs.len())]);
            }
        }
        Edit::DeleteChars(i, len) => {
            let from = char_offset(text, i.index(chars));
            let to = char_offset(&text[from..], usize::from(*len)) + from;
            return format!("{}{}", &text[..from], &text[to..]);
        }
    }
    lines.join("\n")
}

/// The reader's answer holds to the properties: a refusal is located within the document and
/// said in Vietnamese; a plan's findings point at lines of the document.
fn check(text: &str, got: &Result<Plan, ImportError>) -> Result<(), TestCaseError> {
    let lines = line_count(text);
    match got {
        Err(e) => {
            let shown = e.to_string();
            prop_assert!(
                not_vietnamese(&shown).is_none(),
                "{:?}: {shown:?}",
                not_vietnamese(&shown)
            );
            match e {
                ImportError::Empty => prop_assert!(
                    text.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}')
                        .is_empty(),
                    "Empty for a text with content"
                ),
                ImportError::Structure { message, .. } | ImportError::Json { message, .. } => {
                    prop_assert!(not_vietnamese(message).is_none(), "{message:?}")
                }
                _ => {}
            }
            if !matches!(e, ImportError::Empty | ImportError::Format { .. }) {
                let line = e.line();
                prop_assert!(
                    line.is_some_and(|l| (1..=lines).contains(&l)),
                    "{e:?} is not on a line of the document ({lines} lines)"
                );
            }
        }
        Ok(plan) => {
            for d in &plan.diagnostics {
                prop_assert!(not_vietnamese(&d.message).is_none(), "{d:?}");
                prop_assert!(!d.location.trim().is_empty(), "no location: {d:?}");
                for l in location_lines(&d.location) {
                    prop_assert!(
                        (1..=lines).contains(&l),
                        "{d:?} is not on a line of the document ({lines} lines)"
                    );
                }
            }
        }
    }
    Ok(())
}

#[test]
fn the_unchanged_decision_reads_and_its_findings_are_located() {
    let got = parse_decision(qd60(), registry());
    assert!(got.is_ok(), "{got:?}");
    check(qd60(), &got).unwrap();
}

proptest! {
    #![proptest_config(fuzz_config(40))]

    #[test]
    fn an_edited_decision_is_read_or_refused_on_a_line(
        edits in prop::collection::vec(edit(), 1..6)
    ) {
        let text = edits.iter().fold(qd60().to_string(), |t, e| apply(&t, e));
        check(&text, &parse_decision(&text, registry()))?;
    }
}

proptest! {
    #![proptest_config(fuzz_config(200))]

    #[test]
    fn arbitrary_text_is_refused_on_a_line(s in "\\PC{0,300}") {
        check(&s, &parse_decision(&s, registry()))?;
    }

    /// Lines made of the document's own vocabulary get past the first checks more often.
    #[test]
    fn text_of_the_readers_vocabulary_is_read_or_refused_on_a_line(
        lines in prop::collection::vec(prop::collection::vec(inserted(), 0..6), 0..24)
    ) {
        let text = lines.iter().map(|l| l.concat()).collect::<Vec<_>>().join("\n");
        check(&text, &parse_decision(&text, registry()))?;
    }
}

/// A change to the bytes of the document, for the byte reader.
#[derive(Debug, Clone)]
enum ByteEdit {
    Insert(Index, Vec<u8>),
    Truncate(Index),
    Flip(Index, u8),
}

fn byte_edit() -> impl Strategy<Value = ByteEdit> {
    prop_oneof![
        (any::<Index>(), prop::collection::vec(any::<u8>(), 1..4))
            .prop_map(|(i, b)| ByteEdit::Insert(i, b)),
        any::<Index>().prop_map(ByteEdit::Truncate),
        (any::<Index>(), 1u8..=255).prop_map(|(i, m)| ByteEdit::Flip(i, m)),
    ]
}

proptest! {
    #![proptest_config(fuzz_config(40))]

    /// Bytes that are not UTF-8 or not text are refused at the byte and line where they are.
    #[test]
    fn edited_bytes_are_refused_where_they_go_wrong(
        edits in prop::collection::vec(byte_edit(), 1..4)
    ) {
        let mut bytes = qd60().as_bytes().to_vec();
        for e in &edits {
            match e {
                ByteEdit::Insert(i, b) => {
                    let at = i.index(bytes.len() + 1);
                    bytes.splice(at..at, b.iter().copied());
                }
                ByteEdit::Truncate(i) => bytes.truncate(i.index(bytes.len() + 1)),
                ByteEdit::Flip(i, m) => {
                    if !bytes.is_empty() {
                        let at = i.index(bytes.len());
                        bytes[at] ^= m;
                    }
                }
            }
        }
        let got = read_plan_file(&bytes, registry());
        match (&got, std::str::from_utf8(&bytes)) {
            (Err(ImportError::NotUtf8 { offset, line }), Err(u)) => {
                prop_assert_eq!(*offset, u.valid_up_to());
                let newlines = bytes[..*offset].iter().filter(|&&b| b == b'\n').count();
                prop_assert_eq!(*line, 1 + newlines);
                prop_assert!(not_vietnamese(&got.unwrap_err().to_string()).is_none());
            }
            (Err(ImportError::NotUtf8 { .. }), Ok(_)) => {
                prop_assert!(false, "valid UTF-8 refused as not UTF-8")
            }
            (_, Err(_)) => prop_assert!(
                bytes.iter().all(u8::is_ascii_whitespace),
                "bytes that are not UTF-8 were not refused as such: {got:?}"
            ),
            (_, Ok(text)) => {
                if let Err(ImportError::Binary { line }) = &got {
                    let bad = text.replace("\r\n", "\n").split('\n').nth(line - 1).is_some_and(
                        |l| l.chars().any(|c| c.is_control() && !matches!(c, '\t' | '\r' | '\u{c}')),
                    );
                    prop_assert!(bad, "line {} has no binary character", line);
                }
                check(text, &got)?;
            }
        }
    }
}
