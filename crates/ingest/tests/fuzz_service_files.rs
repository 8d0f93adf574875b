//! Fuzzing the catalogue and dossier readers (CSV and XLSX). Generated files
//! ([`cchc_ingest::service_gen`]) always parse fully, in CSV and written as a workbook with
//! typed cells; one cell changed is refused at its row and column and nowhere else; a file
//! whose quotes, headers, bytes or encoding are damaged is read or refused at a row, in
//! Vietnamese, without a panic (one on the XLSX reading thread is reported as an error).
//!
//! Bounded for CI; `PROPTEST_CASES=5000` runs each property that many times.

mod common;

use std::collections::HashSet;
use std::io::Cursor;
use std::sync::atomic::{AtomicUsize, Ordering};

use cchc_domain::service::{Dossier, ProcedureCode};
use cchc_domain::{Unit, UnitId};
use cchc_ingest::service_files::{
    parse_dossier, parse_procedure, Column, ColumnMap, DossierContext, LocatedError, RawRow,
    RowReader, CATALOG_COLUMNS, DOSSIER_COLUMNS,
};
use cchc_ingest::service_gen::{receiving_units, write_catalog, write_dossiers};
use common::*;
use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::TestCaseError;

fn units() -> &'static [Unit] {
    static U: std::sync::OnceLock<Vec<Unit>> = std::sync::OnceLock::new();
    U.get_or_init(|| {
        cchc_ingest::units_csv::read_units_csv(repo_file("data/duc-tho-2024/units.csv").as_bytes())
            .unwrap()
    })
}

/// A generated catalogue and dossier file, and what the dossiers are checked against.
struct Generated {
    catalog: Vec<u8>,
    dossiers: Vec<u8>,
    /// Dossier rows written.
    rows: u64,
    ctx: DossierContext,
}

fn generate(procedures: usize, dossiers: u64, seed: u64, year: i32) -> Generated {
    let mut catalog = Vec::new();
    let procs = write_catalog(&mut catalog, procedures, seed).unwrap();
    let mut file = Vec::new();
    // Dossiers need a procedure that is not internal; a tiny catalogue may have none (the
    // generator refuses that), and then the file has only its header.
    let dossiers = if procs.is_empty() { 0 } else { dossiers };
    if procs.is_empty() {
        let header: Vec<&str> = DOSSIER_COLUMNS.iter().map(|c| c.code).collect();
        file = format!("{}\n", header.join(",")).into_bytes();
    } else {
        write_dossiers(
            &mut file,
            dossiers,
            seed,
            year,
            &receiving_units(units()),
            &procs,
        )
        .unwrap();
    }
    let codes = csv::Reader::from_reader(catalog.as_slice())
        .records()
        .map(|r| ProcedureCode::parse(&r.unwrap()[0]).unwrap())
        .collect();
    let ctx = DossierContext {
        procedures: codes,
        units: units()
            .iter()
            .map(|u| u.id.clone())
            .collect::<HashSet<UnitId>>(),
    };
    Generated {
        catalog,
        dossiers: file,
        rows: dossiers,
        ctx,
    }
}

fn open_csv(bytes: &[u8], columns: &'static [Column]) -> Result<RowReader, LocatedError> {
    RowReader::from_csv(
        "hoso.csv".into(),
        Box::new(Cursor::new(bytes.to_vec())),
        bytes.len() as u64,
        columns,
        &ColumnMap::default(),
    )
}

fn rows(mut r: RowReader) -> Vec<Result<RawRow, LocatedError>> {
    std::iter::from_fn(|| r.next_row()).collect()
}

fn dossiers_of(r: RowReader, ctx: &DossierContext) -> Vec<Result<Dossier, Vec<LocatedError>>> {
    rows(r)
        .into_iter()
        .map(|row| match row {
            Ok(row) => parse_dossier("hoso.csv", &row, ctx),
            Err(e) => Err(vec![e]),
        })
        .collect()
}

/// A located error of a file of `columns`: a row (the header is 1, 0 the file as a whole), a
/// column of the spec or none, the value when there is a column, a reason in Vietnamese.
fn check_error(e: &LocatedError, columns: &[Column]) -> Result<(), TestCaseError> {
    prop_assert!(
        not_vietnamese(&e.reason).is_none(),
        "{:?}: {e:?}",
        not_vietnamese(&e.reason)
    );
    prop_assert!(not_vietnamese(&e.to_string()).is_none(), "{e}");
    prop_assert!(!e.file.is_empty(), "{e:?}");
    prop_assert!(
        e.column.is_empty() || columns.iter().any(|c| c.code == e.column),
        "unknown column: {e:?}"
    );
    Ok(())
}

proptest! {
    #![proptest_config(fuzz_config(64))]

    /// Generated files parse fully: every catalogue row, every dossier row.
    #[test]
    fn generated_files_always_parse_fully(
        procedures in 1usize..40,
        dossiers in 0u64..80,
        seed in any::<u64>(),
        year in 1900i32..=2199,
    ) {
        let g = generate(procedures, dossiers, seed, year);
        let cat = rows(open_csv(&g.catalog, &CATALOG_COLUMNS).unwrap());
        prop_assert_eq!(cat.len(), procedures);
        for row in cat {
            let row = row.unwrap();
            prop_assert!(parse_procedure("danhmuc.csv", &row).is_ok(), "{row:?}");
        }
        let got = dossiers_of(open_csv(&g.dossiers, &DOSSIER_COLUMNS).unwrap(), &g.ctx);
        prop_assert_eq!(got.len() as u64, g.rows);
        prop_assert!(g.rows == dossiers || g.rows == 0);
        for (i, d) in got.iter().enumerate() {
            let d = d.as_ref();
            prop_assert!(d.is_ok(), "row {}: {:?}", i + 2, d);
            prop_assert_eq!(d.unwrap().code.as_str(), format!("HS{year}-{i:09}"));
        }
    }
}

/// Values to put in a cell: near misses of the spec's forms and arbitrary text.
fn cell() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "",
            " ",
            "x",
            "có",
            "KHÔNG",
            "2",
            "-1",
            "true ",
            "yes",
            "2024-02-30",
            "2024-13-01",
            "31/12/1899",
            "2024-01-01 24:00",
            "2024-01-01T10:00:61",
            "01/01/2024 7:05",
            "1.001000",
            "9.999999",
            "ubnd-huyen",
            "xa-khong-co",
            "truc_tuyen",
            "TRUC TUYEN",
            "da_tra",
            "rat_hai_long",
            "\u{feff}",
            "\"",
            "a,b",
            "dòng\nhai",
            "\t",
        ])
        .prop_map(str::to_string),
        "\\PC{0,16}",
        "[0-9/: T-]{0,20}",
        "\\PC{101,120}",
    ]
}

proptest! {
    #![proptest_config(fuzz_config(128))]

    /// One cell changed: the row is refused at that column, with the value, and the file's
    /// other rows still parse.
    #[test]
    fn a_changed_cell_is_refused_at_its_row_and_column(
        seed in any::<u64>(),
        at_row in any::<Index>(),
        at_col in any::<Index>(),
        value in cell(),
    ) {
        let g = generate(12, 20, seed, 2024);
        let mut records: Vec<Vec<String>> = csv::Reader::from_reader(g.dossiers.as_slice())
            .records()
            .map(|r| r.unwrap().iter().map(str::to_string).collect())
            .collect();
        let r = at_row.index(records.len());
        let c = at_col.index(DOSSIER_COLUMNS.len());
        records[r][c] = value.clone();
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record(DOSSIER_COLUMNS.iter().map(|c| c.code)).unwrap();
        for rec in &records {
            w.write_record(rec).unwrap();
        }
        let bytes = w.into_inner().unwrap();
        let got = dossiers_of(open_csv(&bytes, &DOSSIER_COLUMNS).unwrap(), &g.ctx);
        prop_assert_eq!(got.len(), records.len());
        for (i, d) in got.iter().enumerate() {
            match d {
                Ok(_) => {}
                Err(errors) => {
                    prop_assert_eq!(i, r, "a row that was not changed is refused: {:?}", errors);
                    for e in errors {
                        check_error(e, &DOSSIER_COLUMNS)?;
                        prop_assert_eq!(e.row, r + 2);
                        prop_assert_eq!(&e.column, DOSSIER_COLUMNS[c].code);
                        prop_assert_eq!(&e.value, value.trim());
                    }
                }
            }
        }
    }
}

/// A change to the bytes or the layout of a CSV file.
#[derive(Debug, Clone)]
enum CsvEdit {
    /// Inserts text (a quote, a separator, a line break…) at a byte of the file.
    Insert(Index, String),
    /// Deletes up to `n` bytes.
    Delete(Index, u8),
    /// Inserts raw bytes (maybe not UTF-8).
    Bytes(Index, Vec<u8>),
    Truncate(Index),
    /// Replaces the `k`-th header cell.
    Header(Index, String),
    /// Removes the `k`-th column from every line.
    DropColumn(Index),
    SwapLines(Index, Index),
    DuplicateLine(Index),
    /// The whole file in UTF-16 LE with a byte-order mark.
    Utf16,
    /// The whole file in Latin-1 (characters beyond it as `?`), as old exports do.
    Latin1,
    Bom,
    /// `;` or tab instead of `,` between cells.
    Delimiter(bool),
    CrLf,
}

fn csv_edit() -> impl Strategy<Value = CsvEdit> {
    let piece = prop_oneof![
        prop::sample::select(vec![
            "\"", "\"\"", ",", "\n", "\r", "\r\n", ";", "\t", "\u{feff}", "\0"
        ])
        .prop_map(str::to_string),
        "\\PC{1,6}",
    ];
    let header = prop_oneof![
        prop::sample::select(vec![
            "",
            "ma_ho_so",
            "Mã hồ sơ",
            "MA_HO_SO",
            "ngay_tra",
            "x"
        ])
        .prop_map(str::to_string),
        "\\PC{0,10}",
    ];
    prop_oneof![
        4 => (any::<Index>(), piece).prop_map(|(i, s)| CsvEdit::Insert(i, s)),
        2 => (any::<Index>(), any::<u8>()).prop_map(|(i, n)| CsvEdit::Delete(i, n)),
        2 => (any::<Index>(), prop::collection::vec(any::<u8>(), 1..4))
            .prop_map(|(i, b)| CsvEdit::Bytes(i, b)),
        1 => any::<Index>().prop_map(CsvEdit::Truncate),
        2 => (any::<Index>(), header).prop_map(|(i, h)| CsvEdit::Header(i, h)),
        1 => any::<Index>().prop_map(CsvEdit::DropColumn),
        1 => (any::<Index>(), any::<Index>()).prop_map(|(a, b)| CsvEdit::SwapLines(a, b)),
        1 => any::<Index>().prop_map(CsvEdit::DuplicateLine),
        1 => Just(CsvEdit::Utf16),
        1 => Just(CsvEdit::Latin1),
        1 => Just(CsvEdit::Bom),
        1 => any::<bool>().prop_map(CsvEdit::Delimiter),
        1 => Just(CsvEdit::CrLf),
    ]
}

fn split_lines(b: &[u8]) -> Vec<Vec<u8>> {
    b.split(|&c| c == b'\n').map(<[u8]>::to_vec).collect()
}

fn apply_csv(b: &[u8], e: &CsvEdit) -> Vec<u8> {
    let mut b = b.to_vec();
    let mut lines = split_lines(&b);
    let n = lines.len();
    let joined = |lines: Vec<Vec<u8>>| lines.join(&b'\n');
    match e {
        CsvEdit::Insert(i, s) => {
            let at = i.index(b.len() + 1);
            b.splice(at..at, s.bytes());
            b
        }
        CsvEdit::Delete(i, k) => {
            let at = i.index(b.len() + 1);
            let to = (at + usize::from(*k)).min(b.len());
            b.drain(at..to);
            b
        }
        CsvEdit::Bytes(i, bytes) => {
            let at = i.index(b.len() + 1);
            b.splice(at..at, bytes.iter().copied());
            b
        }
        CsvEdit::Truncate(i) => {
            b.truncate(i.index(b.len() + 1));
            b
        }
        CsvEdit::Header(i, h) => {
            let text = String::from_utf8_lossy(&lines[0]).to_string();
            let mut cells: Vec<String> = text.split(',').map(str::to_string).collect();
            let k = i.index(cells.len());
            cells[k] = h.clone();
            lines[0] = cells.join(",").into_bytes();
            joined(lines)
        }
        CsvEdit::DropColumn(i) => {
            let k = i.index(DOSSIER_COLUMNS.len());
            for l in &mut lines {
                let mut cells: Vec<&[u8]> = l.split(|&c| c == b',').collect();
                if k < cells.len() {
                    cells.remove(k);
                }
                *l = cells.join(&b',');
            }
            joined(lines)
        }
        CsvEdit::SwapLines(a, c) => {
            lines.swap(a.index(n), c.index(n));
            joined(lines)
        }
        CsvEdit::DuplicateLine(i) => {
            let k = i.index(n);
            lines.insert(k, lines[k].clone());
            joined(lines)
        }
        CsvEdit::Utf16 => {
            let text = String::from_utf8_lossy(&b).to_string();
            let mut out = vec![0xFF, 0xFE];
            for u in text.encode_utf16() {
                out.extend(u.to_le_bytes());
            }
            out
        }
        CsvEdit::Latin1 => String::from_utf8_lossy(&b)
            .chars()
            .map(|c| u8::try_from(u32::from(c)).unwrap_or(b'?'))
            .collect(),
        CsvEdit::Bom => {
            b.splice(0..0, [0xEF, 0xBB, 0xBF]);
            b
        }
        CsvEdit::Delimiter(semicolon) => {
            let d = if *semicolon { b';' } else { b'\t' };
            b.iter().map(|&c| if c == b',' { d } else { c }).collect()
        }
        CsvEdit::CrLf => joined(lines)
            .split(|&c| c == b'\n')
            .collect::<Vec<_>>()
            .join(&b"\r\n"[..]),
    }
}

proptest! {
    #![proptest_config(fuzz_config(256))]

    /// Damaged quotes, headers, bytes, encodings, separators: the file is read or refused at a
    /// row, in Vietnamese; rows come in order.
    #[test]
    fn a_damaged_csv_is_read_or_refused_at_a_row(
        seed in any::<u64>(),
        edits in prop::collection::vec(csv_edit(), 1..4),
        catalog in any::<bool>(),
    ) {
        let g = generate(8, 12, seed, 2024);
        let (file, columns): (&[u8], &'static [Column]) = if catalog {
            (&g.catalog, &CATALOG_COLUMNS)
        } else {
            (&g.dossiers, &DOSSIER_COLUMNS)
        };
        let bytes = edits.iter().fold(file.to_vec(), |b, e| apply_csv(&b, e));
        match open_csv(&bytes, columns) {
            Err(e) => {
                check_error(&e, columns)?;
                prop_assert_eq!(e.row, 1, "{}", e);
            }
            Ok(reader) => {
                let mut last = 1;
                for row in rows(reader) {
                    let row_no = match &row {
                        Ok(r) => r.row,
                        Err(e) => e.row,
                    };
                    prop_assert!(row_no > last, "row {} after row {}", row_no, last);
                    last = row_no;
                    let errors = match row {
                        Err(e) => vec![e],
                        Ok(r) if catalog => parse_procedure("danhmuc.csv", &r).err().unwrap_or_default(),
                        Ok(r) => parse_dossier("hoso.csv", &r, &g.ctx).err().unwrap_or_default(),
                    };
                    for e in &errors {
                        check_error(e, columns)?;
                        prop_assert_eq!(e.row, row_no);
                    }
                }
            }
        }
    }

    #[test]
    fn a_column_map_is_read_or_refused_in_vietnamese(s in "\\PC{0,60}") {
        if let Err(e) = ColumnMap::parse(&s) {
            prop_assert!(not_vietnamese(&e).is_none(), "{}", e);
        }
    }
}

// ---- XLSX ----

/// Found by `a_damaged_workbook_is_read_or_refused_without_a_panic` (seed
/// 5386015524569006938, one byte XOR 242): calamine overflows on a damaged cell reference
/// ("attempt to multiply with overflow", in a debug build) and panics on the reading thread;
/// the rows used to just stop there, so the import saw a shorter, valid-looking file, or an
/// "empty" one when it was the header. The byte below does the same to this (deterministic)
/// workbook.
#[test]
fn a_panic_while_reading_a_damaged_sheet_is_reported_not_a_silent_end() {
    count_panics();
    let g = generate(6, 8, 5386015524569006938, 2024);
    let mut bytes = workbook(&g.dossiers, &[true, false], true);
    assert_eq!(
        bytes.len(),
        6627,
        "the workbook writer changed; find another damaging byte"
    );
    bytes[3687] ^= 64;
    let before = PANICS.load(Ordering::SeqCst);
    let (_f, reader) = open_xlsx(&bytes);
    // Refused at the header (the damage is in its first cell) or at the row it stopped on;
    // before, the header never came and the file was called empty.
    let error = match reader {
        Err(e) => e,
        Ok(r) => rows(r)
            .into_iter()
            .find_map(Result::err)
            .expect("no error reported"),
    };
    assert!(
        PANICS.load(Ordering::SeqCst) > before,
        "the damage no longer makes calamine panic"
    );
    assert!(error.reason.starts_with("tệp XLSX hỏng"), "{error}");
    assert!(error.row >= 1, "{error}");
}

/// Panics seen on any thread of this test binary, the XLSX reading thread included (whose
/// panic would otherwise only end its rows early, silently).
static PANICS: AtomicUsize = AtomicUsize::new(0);

fn count_panics() {
    static HOOK: std::sync::Once = std::sync::Once::new();
    HOOK.call_once(|| {
        let default = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            PANICS.fetch_add(1, Ordering::SeqCst);
            default(info);
        }));
    });
}

/// Writes the generated dossier file as a workbook: the header as labels or codes, and each
/// cell as text or with the type a spreadsheet would give it (dates, booleans, numbers).
fn workbook(csv_bytes: &[u8], typed: &[bool], labels: bool) -> Vec<u8> {
    use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook};
    let mut book = Workbook::new();
    // A fixed creation date: the same input gives the same bytes, so a damage reproduces.
    let created = ExcelDateTime::from_ymd(2024, 1, 1).unwrap();
    book.set_properties(&DocProperties::new().set_creation_datetime(&created));
    let sheet = book.add_worksheet();
    let date = Format::new().set_num_format("yyyy-mm-dd hh:mm:ss");
    for (c, col) in DOSSIER_COLUMNS.iter().enumerate() {
        sheet
            .write_string(0, c as u16, if labels { col.label } else { col.code })
            .unwrap();
    }
    let records = csv::Reader::from_reader(csv_bytes).into_records();
    for (r, rec) in records.enumerate() {
        let rec = rec.unwrap();
        let row = r as u32 + 1;
        for (c, v) in rec.iter().enumerate() {
            let col = c as u16;
            let typed = typed[(r * 14 + c) % typed.len()];
            let dt = cchc_domain::service::parse_datetime(v);
            match (typed, c, dt) {
                (true, 4..=6, Ok(t)) if !v.is_empty() => {
                    use chrono::{Datelike, Timelike};
                    let x =
                        ExcelDateTime::from_ymd(t.year() as u16, t.month() as u8, t.day() as u8)
                            .unwrap()
                            .and_hms(t.hour() as u16, t.minute() as u8, t.second())
                            .unwrap();
                    sheet
                        .write_datetime_with_format(row, col, &x, &date)
                        .unwrap();
                }
                (true, 8..=11 | 13, _) if matches!(v, "1" | "0") => {
                    if v == "1" {
                        sheet.write_boolean(row, col, true).unwrap();
                    } else {
                        sheet.write_number(row, col, 0.0).unwrap();
                    }
                }
                _ if v.is_empty() => {}
                _ => {
                    sheet.write_string(row, col, v).unwrap();
                }
            }
        }
    }
    book.save_to_buffer().unwrap()
}

fn open_xlsx(bytes: &[u8]) -> (tempfile::NamedTempFile, Result<RowReader, LocatedError>) {
    let mut f = tempfile::Builder::new().suffix(".xlsx").tempfile().unwrap();
    std::io::Write::write_all(&mut f, bytes).unwrap();
    let r = RowReader::open(f.path(), &DOSSIER_COLUMNS, &ColumnMap::default());
    (f, r)
}

proptest! {
    #![proptest_config(fuzz_config(48))]

    /// A generated dossier file written as a workbook, cells typed or not, reads as the same
    /// dossiers as the CSV.
    #[test]
    fn a_generated_workbook_reads_as_its_csv(
        seed in any::<u64>(),
        typed in prop::collection::vec(any::<bool>(), 1..20),
        labels in any::<bool>(),
    ) {
        let g = generate(10, 15, seed, 2024);
        let from_csv = dossiers_of(open_csv(&g.dossiers, &DOSSIER_COLUMNS).unwrap(), &g.ctx);
        let (_f, reader) = open_xlsx(&workbook(&g.dossiers, &typed, labels));
        let from_xlsx = dossiers_of(reader.unwrap(), &g.ctx);
        prop_assert_eq!(from_xlsx, from_csv);
    }

    /// A workbook with bytes damaged: opened or refused, rows refused at a row, in Vietnamese;
    /// a panic of the XLSX library on the reading thread is reported, not a silent end.
    #[test]
    fn a_damaged_workbook_is_read_or_refused_without_a_panic(
        seed in any::<u64>(),
        flips in prop::collection::vec((any::<Index>(), 1u8..=255), 0..6),
        cut in prop::option::weighted(0.3, any::<Index>()),
    ) {
        count_panics();
        let g = generate(6, 8, seed, 2024);
        let mut bytes = workbook(&g.dossiers, &[true, false], true);
        for (i, m) in &flips {
            let at = i.index(bytes.len());
            bytes[at] ^= m;
        }
        if let Some(c) = cut {
            bytes.truncate(c.index(bytes.len() + 1));
        }
        let before = PANICS.load(Ordering::SeqCst);
        let (_f, reader) = open_xlsx(&bytes);
        match reader {
            Err(e) => {
                check_error(&e, &DOSSIER_COLUMNS)?;
                prop_assert!(e.row <= 1, "{}", e);
                let panicked = PANICS.load(Ordering::SeqCst) != before;
                prop_assert!(
                    !panicked || !e.reason.starts_with("tệp trống"),
                    "the reading thread panicked and the file was called empty: {}",
                    e
                );
            }
            Ok(reader) => {
                let mut refused = false;
                for row in rows(reader) {
                    let errors = match row {
                        Err(e) => {
                            refused = true;
                            vec![e]
                        }
                        Ok(r) => parse_dossier("hoso.xlsx", &r, &g.ctx).err().unwrap_or_default(),
                    };
                    for e in &errors {
                        check_error(e, &DOSSIER_COLUMNS)?;
                        prop_assert!(e.row >= 1, "{}", e);
                    }
                }
                // calamine may panic on a damaged sheet; the reader must then say the sheet
                // was not read to its end, not just stop giving rows.
                let panicked = PANICS.load(Ordering::SeqCst) != before;
                prop_assert!(!panicked || refused, "the reading thread panicked and the rows just stopped");
            }
        }
    }
}
