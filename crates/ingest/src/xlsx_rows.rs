//! The first sheet of an XLSX workbook as a stream of rows of text.
//!
//! calamine's cell reader borrows its workbook, so it runs on a thread of its own and hands rows
//! over a bounded channel: the sheet is never held in memory as a whole (the shared-string table
//! is, as in any XLSX reader).

use std::fs::File;
use std::io::BufReader;
use std::path::Path;
use std::sync::mpsc;

use calamine::{open_workbook, DataRef, Reader, Xlsx};

type Row = Result<Vec<String>, String>;

/// Opens the workbook and starts reading its first sheet; rows come in sheet order, a blank
/// row as an empty vector so that row numbers stay those of the sheet.
pub fn open(path: &Path) -> Result<Box<dyn Iterator<Item = Row> + Send>, String> {
    let mut book: Xlsx<BufReader<File>> =
        open_workbook(path).map_err(|e| format!("không mở được tệp XLSX: {e}"))?;
    let sheet = book
        .sheet_names()
        .first()
        .cloned()
        .ok_or_else(|| "tệp XLSX không có trang tính nào".to_string())?;
    let (tx, rx) = mpsc::sync_channel::<Row>(256);
    std::thread::spawn(move || {
        // calamine may panic on a damaged sheet (an overflowing cell reference, say); the rows
        // would then just stop, as if the sheet ended there. Say so instead.
        let failed = tx.clone();
        let name = sheet.clone();
        let read = std::panic::catch_unwind(std::panic::AssertUnwindSafe(move || {
            read_sheet(&mut book, &sheet, &tx)
        }));
        if read.is_err() {
            let _ = failed.send(Err(format!(
                "tệp XLSX hỏng: trang tính «{name}» không đọc được đến hết"
            )));
        }
    });
    Ok(Box::new(rx.into_iter()))
}

/// Sends the rows of `sheet` in order, then ends (or sends the error that stopped it).
fn read_sheet(book: &mut Xlsx<BufReader<File>>, sheet: &str, tx: &mpsc::SyncSender<Row>) {
    let mut cells = match book.worksheet_cells_reader(sheet) {
        Ok(c) => c,
        Err(e) => {
            let _ = tx.send(Err(format!("không đọc được trang tính «{sheet}»: {e}")));
            return;
        }
    };
    let mut current: Vec<String> = Vec::new();
    let mut current_row: u32 = 0;
    loop {
        match cells.next_cell() {
            Ok(Some(cell)) => {
                let (r, c) = cell.get_position();
                while r > current_row {
                    if tx.send(Ok(std::mem::take(&mut current))).is_err() {
                        return;
                    }
                    current_row += 1;
                }
                let c = c as usize;
                if current.len() <= c {
                    current.resize(c + 1, String::new());
                }
                current[c] = text(cell.get_value());
            }
            Ok(None) => {
                let _ = tx.send(Ok(current));
                return;
            }
            Err(e) => {
                let _ = tx.send(Err(format!(
                    "ô không đọc được ở dòng {}: {e}",
                    current_row + 1
                )));
                return;
            }
        }
    }
}

fn text(v: &DataRef<'_>) -> String {
    match v {
        DataRef::Int(i) => i.to_string(),
        DataRef::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        DataRef::Float(f) => f.to_string(),
        DataRef::String(s) => s.clone(),
        DataRef::SharedString(s) => s.to_string(),
        DataRef::Bool(b) => if *b { "1" } else { "0" }.to_string(),
        DataRef::DateTime(d) => match d.as_datetime() {
            Some(dt) if dt.time() == chrono::NaiveTime::MIN => dt.format("%Y-%m-%d").to_string(),
            Some(dt) => dt.format("%Y-%m-%d %H:%M:%S").to_string(),
            None => d.as_f64().to_string(),
        },
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => s.clone(),
        DataRef::Error(e) => format!("#{e:?}"),
        DataRef::Empty => String::new(),
    }
}
