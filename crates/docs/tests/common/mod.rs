//! Reading a produced workbook back: cell values with calamine, sheet XML with zip; and a
//! produced .docx (`docx`).

#![allow(dead_code)]

pub mod docx;

use std::io::{Cursor, Read};

use calamine::{open_workbook_from_rs, Data, Dimensions, Range, Reader, Xlsx};

/// A workbook read back from bytes.
pub struct Book {
    bytes: Vec<u8>,
    xlsx: Xlsx<Cursor<Vec<u8>>>,
}

impl Book {
    pub fn open(bytes: Vec<u8>) -> Self {
        let xlsx = open_workbook_from_rs(Cursor::new(bytes.clone())).expect("a readable xlsx");
        Book { bytes, xlsx }
    }

    pub fn sheet_names(&self) -> Vec<String> {
        self.xlsx.sheet_names().to_vec()
    }

    pub fn sheet(&mut self, name: &str) -> Sheet {
        let range = self.xlsx.worksheet_range(name).expect("the sheet");
        let merged = self
            .xlsx
            .merge_cells_by_sheet_name(name)
            .expect("merged cells");
        Sheet { range, merged }
    }

    /// The XML of a part of the package, e.g. `xl/worksheets/sheet1.xml`.
    pub fn part(&self, path: &str) -> String {
        let mut zip = zip::ZipArchive::new(Cursor::new(self.bytes.clone())).expect("a zip");
        let mut s = String::new();
        zip.by_name(path)
            .expect("the part")
            .read_to_string(&mut s)
            .expect("utf-8");
        s
    }
}

/// One sheet's cells (absolute positions) and merged ranges.
pub struct Sheet {
    pub range: Range<Data>,
    pub merged: Vec<Dimensions>,
}

impl Sheet {
    /// The text of a cell, "" when empty.
    pub fn text(&self, row: u32, col: u32) -> String {
        match self.range.get_value((row, col)) {
            Some(Data::String(s)) => s.clone(),
            Some(Data::Empty) | None => String::new(),
            Some(other) => other.to_string(),
        }
    }

    /// The texts of a row from column 0 to `cols - 1`.
    pub fn row(&self, row: u32, cols: u32) -> Vec<String> {
        (0..cols).map(|c| self.text(row, c)).collect()
    }

    /// The last row holding a value.
    pub fn last_row(&self) -> u32 {
        self.range.end().map(|(r, _)| r).unwrap_or(0)
    }

    pub fn is_merged(&self, start: (u32, u32), end: (u32, u32)) -> bool {
        self.merged.iter().any(|d| d.start == start && d.end == end)
    }
}
