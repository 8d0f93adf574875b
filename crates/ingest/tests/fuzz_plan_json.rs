//! Fuzzing the plan JSON reader: the Đức Thọ plan as `cchc-plan/1` JSON, with characters cut,
//! inserted, lines swapped, and values of the tree replaced or removed. The reader returns; a
//! refusal names the line and column of the JSON in Vietnamese; a plan it accepts comes back
//! the same through JSON again.
//!
//! Bounded for CI; `PROPTEST_CASES=5000` runs each property that many times.

mod common;

use cchc_domain::plan::Plan;
use cchc_ingest::plan_json::read_plan_json;
use cchc_ingest::ImportError;
use common::*;
use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::TestCaseError;
use serde_json::Value;

fn plan_json() -> &'static str {
    static J: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    J.get_or_init(|| {
        let registry = registry_from(&repo_file("data/duc-tho-2024/units.csv"));
        let text = repo_file("data/duc-tho-2024/duc-tho-2024-qd60.txt");
        let plan = cchc_ingest::decision::parse_decision(&text, &registry).unwrap();
        serde_json::to_string_pretty(&plan).unwrap()
    })
}

fn check(text: &str, got: &Result<Plan, ImportError>) -> Result<(), TestCaseError> {
    match got {
        Err(e) => {
            let shown = e.to_string();
            prop_assert!(
                not_vietnamese(&shown).is_none(),
                "{:?}: {shown:?}",
                not_vietnamese(&shown)
            );
            match e {
                ImportError::Json {
                    line,
                    column,
                    message,
                } => {
                    prop_assert!(not_vietnamese(message).is_none(), "{message:?}");
                    let lines: Vec<&str> = text.split('\n').collect();
                    prop_assert!(
                        (1..=lines.len()).contains(line),
                        "line {line} of {}",
                        lines.len()
                    );
                    // Columns count characters, as an editor shows them.
                    let width = lines[line - 1].chars().count();
                    prop_assert!(
                        (1..=width + 1).contains(column),
                        "column {column} of a line of {width} characters: {e}"
                    );
                }
                ImportError::Format { .. } => {}
                ImportError::Empty => prop_assert!(
                    text.trim_start_matches('\u{feff}').trim().is_empty(),
                    "Empty for a text with content"
                ),
                other => prop_assert!(false, "a JSON error of another kind: {other:?}"),
            }
        }
        Ok(plan) => {
            // What was accepted comes back the same through JSON.
            let again = read_plan_json(&serde_json::to_string(plan).unwrap());
            prop_assert_eq!(again.as_ref(), Ok(plan));
        }
    }
    Ok(())
}

#[test]
fn the_plan_comes_back_the_same_through_json() {
    let got = read_plan_json(plan_json());
    assert!(got.is_ok(), "{got:?}");
    check(plan_json(), &got).unwrap();
}

// Regressions found by the properties below.

/// serde_json says column 0 when the offending byte is a line break; the error is on the line
/// the break ends. (Found by deleting characters that joined a string across lines.)
#[test]
fn a_line_break_inside_a_string_is_located_at_the_end_of_its_line() {
    let text = "{\n  \"format\": \"cchc\n-plan/1\"\n}";
    let e = read_plan_json(text).unwrap_err();
    assert_eq!(e.line(), Some(2), "{e}");
    assert!(
        e.to_string()
            .starts_with("dòng 2, cột 18: JSON sai cú pháp"),
        "{e}"
    );
}

/// Columns count characters, not the bytes of UTF-8: Vietnamese letters take 2 or 3 bytes.
#[test]
fn a_json_error_column_counts_characters_not_bytes() {
    let text = "{\"format\": \"cchc-plan/1\", \"ghi chú\": \"Quyết định\" x}";
    let e = read_plan_json(text).unwrap_err();
    let x = text.chars().position(|c| c == 'x').unwrap() + 1;
    assert!(
        e.to_string().starts_with(&format!("dòng 1, cột {x}: ")),
        "{e} (x is character {x}, byte {})",
        text.find('x').unwrap() + 1
    );
}

/// serde quotes a value of the wrong type with Rust's `Debug`, which escapes some letters
/// (`"\u{d62}"`); the message shows the character as written.
#[test]
fn a_value_of_the_wrong_type_is_quoted_as_written_not_debug_escaped() {
    let text = "{\"format\": \"cchc-plan/1\", \"sections\": \"\u{d62}\"}";
    let e = read_plan_json(text).unwrap_err();
    let shown = e.to_string();
    assert!(
        shown.contains("\u{d62}") && !shown.contains("\\u{"),
        "{shown}"
    );
    assert_eq!(not_vietnamese(&shown), None, "{shown}");
}

#[derive(Debug, Clone)]
enum Edit {
    Truncate(Index),
    Insert(Index, String),
    DeleteChars(Index, u8),
    SwapLines(Index, Index),
    DuplicateLine(Index),
}

fn edit() -> impl Strategy<Value = Edit> {
    let piece = prop_oneof![
        prop::sample::select(vec![
            "{", "}", "[", "]", ",", ":", "\"", "\\", "\\u", "\\ud800", "null", "true", "-",
            "1e999", "0", "\n", "\u{feff}", "é", "\t", "//", "/*",
        ])
        .prop_map(str::to_string),
        "\\PC{1,8}",
    ];
    prop_oneof![
        any::<Index>().prop_map(Edit::Truncate),
        (any::<Index>(), piece).prop_map(|(i, s)| Edit::Insert(i, s)),
        (any::<Index>(), any::<u8>()).prop_map(|(i, n)| Edit::DeleteChars(i, n)),
        (any::<Index>(), any::<Index>()).prop_map(|(a, b)| Edit::SwapLines(a, b)),
        any::<Index>().prop_map(Edit::DuplicateLine),
    ]
}

fn offset(s: &str, i: usize) -> usize {
    s.char_indices().nth(i).map_or(s.len(), |(b, _)| b)
}

fn apply(text: &str, e: &Edit) -> String {
    let chars = text.chars().count() + 1;
    let mut lines: Vec<&str> = text.split('\n').collect();
    let n = lines.len();
    match e {
        Edit::Truncate(i) => text[..offset(text, i.index(chars))].to_string(),
        Edit::Insert(i, s) => {
            let at = offset(text, i.index(chars));
            format!("{}{s}{}", &text[..at], &text[at..])
        }
        Edit::DeleteChars(i, len) => {
            let from = offset(text, i.index(chars));
            let to = from + offset(&text[from..], usize::from(*len));
            format!("{}{}", &text[..from], &text[to..])
        }
        Edit::SwapLines(a, b) => {
            lines.swap(a.index(n), b.index(n));
            lines.join("\n")
        }
        Edit::DuplicateLine(i) => {
            let k = i.index(n);
            lines.insert(k, lines[k]);
            lines.join("\n")
        }
    }
}

/// A value to put in the tree: scalars of every type, and small containers.
fn value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(Value::from),
        "\\PC{0,12}".prop_map(Value::String),
        prop::sample::select(vec![
            "",
            "2024",
            "2024-Q5",
            "2024-02-30",
            "cchc-plan/1",
            "cchc-plan/2",
            "date",
            "period",
            "warning",
            "unit",
            "group",
            "percent",
            ">=",
            "between",
        ])
        .prop_map(|s| Value::String(s.into())),
    ];
    leaf.prop_recursive(2, 8, 3, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..3).prop_map(Value::Array),
            prop::collection::btree_map("[a-z_]{1,8}", inner, 0..3)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// Goes down the tree by `path` (an index at each level) and replaces the node reached, or
/// removes it from its parent.
fn mutate(v: &mut Value, path: &[Index], new: Option<Value>) {
    let Some((step, rest)) = path.split_first() else {
        return;
    };
    match v {
        Value::Object(m) if !m.is_empty() => {
            let key = m.keys().nth(step.index(m.len())).unwrap().clone();
            if rest.is_empty() || !matches!(m[&key], Value::Object(_) | Value::Array(_)) {
                match new {
                    Some(n) => m[&key] = n,
                    None => {
                        m.remove(&key);
                    }
                }
            } else {
                mutate(m.get_mut(&key).unwrap(), rest, new)
            }
        }
        Value::Array(a) if !a.is_empty() => {
            let k = step.index(a.len());
            if rest.is_empty() || !matches!(a[k], Value::Object(_) | Value::Array(_)) {
                match new {
                    Some(n) => a[k] = n,
                    None => {
                        a.remove(k);
                    }
                }
            } else {
                mutate(&mut a[k], rest, new)
            }
        }
        _ => {}
    }
}

proptest! {
    #![proptest_config(fuzz_config(96))]

    #[test]
    fn edited_json_is_read_or_refused_at_a_line_and_column(
        edits in prop::collection::vec(edit(), 1..4)
    ) {
        let text = edits.iter().fold(plan_json().to_string(), |t, e| apply(&t, e));
        check(&text, &read_plan_json(&text))?;
    }

    /// Well-formed JSON of the wrong shape: a value anywhere in the tree replaced or removed.
    #[test]
    fn a_plan_with_a_value_changed_is_read_or_refused_at_a_line_and_column(
        changes in prop::collection::vec(
            (prop::collection::vec(any::<Index>(), 1..9), prop::option::weighted(0.8, value())),
            1..3,
        ),
        pretty in any::<bool>(),
    ) {
        let mut tree: Value = serde_json::from_str(plan_json()).unwrap();
        for (path, new) in changes {
            mutate(&mut tree, &path, new);
        }
        let text = if pretty {
            serde_json::to_string_pretty(&tree).unwrap()
        } else {
            serde_json::to_string(&tree).unwrap()
        };
        check(&text, &read_plan_json(&text))?;
    }

    #[test]
    fn arbitrary_json_values_are_refused_in_vietnamese(v in value()) {
        let text = v.to_string();
        check(&text, &read_plan_json(&text))?;
    }
}
