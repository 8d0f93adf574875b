//! Catalogue and dossier imports (nhập danh mục TTHC, nhập hồ sơ): file → rows → store.
//!
//! The file is read on a blocking thread and handed over in batches through a bounded
//! channel, so parsing and writing overlap and memory stays flat. Everything is written in one
//! transaction: on any error (by default) nothing is stored.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use cchc_domain::service::Dossier;
use cchc_ingest::service_files::{
    parse_dossier, parse_procedure, ColumnMap, DossierContext, ErrorList, LocatedError, RawRow,
    RejectWriter, RowReader, CATALOG_COLUMNS, DOSSIER_COLUMNS,
};
use cchc_store::{Deltas, ImportCounts, Store, StoreError};
use serde::Serialize;

/// How an import treats bad rows and where it reports.
#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    pub columns: ColumnMap,
    /// `--skip-invalid`: store the good rows, write the bad ones with reasons to this CSV.
    pub skip_invalid: Option<PathBuf>,
    /// How the file is named in messages (the upload's name on the web); the path by default.
    pub display_name: Option<String>,
    /// A catalogue file is the whole catalogue (`--replace`): stored procedures it does not
    /// list are marked retired (đã bãi bỏ).
    pub whole_catalog: bool,
}

/// Tiến độ — how far an import has come.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct Progress {
    pub rows: u64,
    pub bytes: u64,
    pub size: u64,
    pub elapsed_ms: u64,
}

impl Progress {
    pub fn rows_per_second(&self) -> f64 {
        self.rows as f64 * 1000.0 / self.elapsed_ms.max(1) as f64
    }

    /// Seconds left, estimated from bytes read (`None` when the size is not known).
    pub fn eta_seconds(&self) -> Option<f64> {
        (self.size > 0 && self.bytes > 0).then(|| {
            let rate = self.bytes as f64 / self.elapsed_ms.max(1) as f64;
            (self.size.saturating_sub(self.bytes)) as f64 / rate / 1000.0
        })
    }
}

/// Why an import stored nothing.
#[derive(Debug, thiserror::Error)]
pub enum ImportFailure {
    /// The file's own problems, located.
    #[error("{0}")]
    Rows(ErrorList),
    #[error("{0}")]
    Store(#[from] StoreError),
    #[error("{0}")]
    Io(String),
}

/// Tóm tắt — what an import did.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct ImportSummary {
    #[serde(flatten)]
    pub counts: ImportCounts,
    pub elapsed_ms: u64,
}

impl ImportSummary {
    /// "đọc 10, thêm mới 8, cập nhật 1, không đổi 1, bị loại 0".
    pub fn line_vi(&self) -> String {
        let c = &self.counts;
        let mut line = format!(
            "đọc {}, thêm mới {}, cập nhật {}, không đổi {}, bị loại {}",
            c.read, c.new, c.updated, c.unchanged, c.rejected
        );
        if c.retired > 0 {
            line.push_str(&format!(", đánh dấu bãi bỏ {}", c.retired));
        }
        line
    }
}

fn one_error(file: &str, reason: String) -> ImportFailure {
    let mut list = ErrorList::default();
    list.push(LocatedError {
        file: file.to_string(),
        row: 0,
        column: String::new(),
        value: String::new(),
        reason,
    });
    ImportFailure::Rows(list)
}

fn open_reject(
    path: &Path,
    columns: &[cchc_ingest::service_files::Column],
) -> Result<RejectWriter<std::fs::File>, ImportFailure> {
    let f = std::fs::File::create(path).map_err(|e| {
        ImportFailure::Io(format!(
            "không tạo được tệp dòng bị loại «{}»: {e}",
            path.display()
        ))
    })?;
    RejectWriter::new(f, columns)
        .map_err(|e| ImportFailure::Io(format!("không ghi được tệp «{}»: {e}", path.display())))
}

/// Imports a procedure catalogue (small: read whole, then stored in one transaction).
pub async fn import_catalog(
    store: &Store,
    path: &Path,
    options: &ImportOptions,
) -> Result<ImportSummary, ImportFailure> {
    let started = Instant::now();
    let mut reader = RowReader::open(path, &CATALOG_COLUMNS, &options.columns)
        .map_err(|e| rows_failure(vec![e]))?;
    let file = options
        .display_name
        .clone()
        .unwrap_or_else(|| reader.file().to_string());
    let mut errors = ErrorList::default();
    let mut procedures = Vec::new();
    let mut seen: std::collections::HashMap<String, usize> = Default::default();
    let mut reject = match &options.skip_invalid {
        Some(p) => Some(open_reject(p, &CATALOG_COLUMNS)?),
        None => None,
    };
    let mut rejected = 0;
    // Every code the file names, in good rows and rejected ones: a whole-catalogue import
    // retires only what the file does not mention.
    let mut named = HashSet::new();
    while let Some(row) = reader.next_row() {
        let row = match row {
            Ok(r) => r,
            Err(e) => {
                errors.push(e);
                continue;
            }
        };
        if let Some(code) = row.cells.first() {
            named.insert(code.trim().to_string());
        }
        let result = parse_procedure(&file, &row).and_then(|p| {
            match seen.insert(p.code.to_string(), row.row) {
                Some(first) => Err(vec![LocatedError {
                    file: file.clone(),
                    row: row.row,
                    column: "ma_tthc".into(),
                    value: p.code.to_string(),
                    reason: format!("mã TTHC «{}» đã có ở dòng {first} của tệp này", p.code),
                }]),
                None => Ok(p),
            }
        });
        match result {
            Ok(p) => {
                named.insert(p.code.to_string());
                procedures.push(p)
            }
            Err(errs) => {
                rejected += 1;
                if let Some(w) = &mut reject {
                    w.write(&row, &errs)
                        .map_err(|e| ImportFailure::Io(e.to_string()))?;
                } else {
                    errs.into_iter().for_each(|e| errors.push(e));
                }
            }
        }
    }
    if !errors.is_empty() {
        return Err(ImportFailure::Rows(errors));
    }
    if procedures.is_empty() && rejected == 0 {
        return Err(one_error(&file, "tệp không có dòng dữ liệu nào".into()));
    }
    if let Some(w) = reject {
        w.finish().map_err(|e| ImportFailure::Io(e.to_string()))?;
    }
    let whole = options.whole_catalog.then_some(&named);
    let mut counts = store.import_procedures(&procedures, whole).await?;
    counts.read += rejected;
    counts.rejected = rejected;
    Ok(ImportSummary {
        counts,
        elapsed_ms: started.elapsed().as_millis() as u64,
    })
}

fn rows_failure(errors: Vec<LocatedError>) -> ImportFailure {
    let mut list = ErrorList::default();
    errors.into_iter().for_each(|e| list.push(e));
    ImportFailure::Rows(list)
}

/// Rows per batch handed from the reader to the store: a multiple of the rows per insert
/// statement of a fresh SQLite import (64), so that batches fill whole statements.
const BATCH: usize = 2048;

/// A row the store will not see: its cells (none when the CSV reader could not split it) and
/// why it is refused.
struct Refused(Option<RawRow>, Vec<LocatedError>);

/// A batch handed from the reading thread to the writing one.
struct Batch {
    /// The good rows, in file order.
    good: Vec<(usize, Dossier)>,
    /// The good rows' cells by row, kept only when refused rows are written to a file (a
    /// duplicate code is found only when the store sees it).
    cells: HashMap<usize, RawRow>,
    refused: Vec<Refused>,
    bytes: u64,
    size: u64,
}

/// What the reading thread needs: the file, how to check a row, and where the writer sends a
/// batch's good rows back once stored, so that they are freed (and their vector reused) on
/// the reading thread, not the writing one, which is the import's bottleneck.
struct ReadingThread {
    reader: RowReader,
    file: String,
    ctx: DossierContext,
    keep_cells: bool,
    sum: Option<Deltas>,
    used: std::sync::mpsc::Receiver<Vec<(usize, Dossier)>>,
}

impl ReadingThread {
    fn empty_batch(&self) -> Batch {
        let mut good = self
            .used
            .try_recv()
            .unwrap_or_else(|_| Vec::with_capacity(BATCH));
        good.clear();
        Batch {
            good,
            cells: HashMap::new(),
            refused: Vec::new(),
            bytes: 0,
            size: 0,
        }
    }

    /// Reads the whole file into batches sent on `tx`; returns the sum of the good rows'
    /// totals when asked to keep one.
    fn run(mut self, tx: tokio::sync::mpsc::Sender<Batch>) -> Option<Deltas> {
        let mut batch = self.empty_batch();
        let mut raw = RawRow {
            row: 0,
            cells: Vec::new(),
        };
        let mut rows = 0;
        while let Some(next) = self.reader.next_into(&mut raw) {
            rows += 1;
            match next {
                Ok(()) => match parse_dossier(&self.file, &raw, &self.ctx) {
                    Ok(d) => {
                        if let Some(sum) = &mut self.sum {
                            sum.add(&d, 1);
                        }
                        if self.keep_cells {
                            batch.cells.insert(raw.row, raw.clone());
                        }
                        batch.good.push((raw.row, d));
                    }
                    Err(errs) => batch.refused.push(Refused(Some(raw.clone()), errs)),
                },
                Err(e) => batch.refused.push(Refused(None, vec![e])),
            }
            if rows == BATCH {
                rows = 0;
                (batch.bytes, batch.size) = self.reader.progress();
                let full = std::mem::replace(&mut batch, self.empty_batch());
                if tx.blocking_send(full).is_err() {
                    return None;
                }
            }
        }
        (batch.bytes, batch.size) = self.reader.progress();
        batch.bytes = batch.bytes.max(batch.size);
        let _ = tx.blocking_send(batch);
        self.sum
    }
}

/// Imports a dossier file: streaming, one transaction, every error located.
pub async fn import_dossiers(
    store: &Store,
    path: &Path,
    options: &ImportOptions,
    mut progress: impl FnMut(Progress) + Send,
) -> Result<ImportSummary, ImportFailure> {
    let started = Instant::now();
    let procedures = store.list_procedures().await?;
    let units = store.list_units().await?;
    let ctx = DossierContext {
        procedures: procedures
            .into_iter()
            .map(|p| p.code)
            .collect::<HashSet<_>>(),
        units: units.into_iter().map(|u| u.id).collect::<HashSet<_>>(),
    };
    let reader = RowReader::open(path, &DOSSIER_COLUMNS, &options.columns)
        .map_err(|e| rows_failure(vec![e]))?;
    let file = options
        .display_name
        .clone()
        .unwrap_or_else(|| reader.file().to_string());

    let mut reject = match &options.skip_invalid {
        Some(p) => Some(open_reject(p, &DOSSIER_COLUMNS)?),
        None => None,
    };
    let mut import = store.begin_dossier_import(&file).await?;
    let (tx, mut rx) = tokio::sync::mpsc::channel::<Batch>(4);
    let (give_back, used) = std::sync::mpsc::channel();
    let thread = ReadingThread {
        reader,
        file: file.clone(),
        ctx,
        keep_cells: options.skip_invalid.is_some(),
        sum: import.sum_in_caller().then(Deltas::default),
        used,
    };
    let reading = tokio::task::spawn_blocking(move || thread.run(tx));

    let mut errors = ErrorList::default();
    let mut counts = ImportCounts::default();
    let mut last_report = Instant::now();
    while let Some(batch) = rx.recv().await {
        for Refused(raw, errs) in batch.refused {
            counts.read += 1;
            counts.rejected += 1;
            match (&mut reject, raw) {
                (Some(w), raw) => {
                    let raw = raw.unwrap_or_else(|| RawRow {
                        row: errs.first().map_or(0, |e| e.row),
                        cells: vec![String::new(); DOSSIER_COLUMNS.len()],
                    });
                    w.write(&raw, &errs)
                        .map_err(|e| ImportFailure::Io(e.to_string()))?
                }
                (None, _) => errs.into_iter().for_each(|e| errors.push(e)),
            }
        }
        let outcome = import.add(&batch.good).await?;
        // Freed, and the vector reused, on the reading thread; gone when it has stopped.
        let _ = give_back.send(batch.good);
        counts.add(&outcome.counts);
        for dup in outcome.duplicates {
            counts.rejected += 1;
            let e = LocatedError {
                file: file.clone(),
                row: dup.row,
                column: "ma_ho_so".into(),
                value: dup.code.to_string(),
                reason: format!(
                    "mã hồ sơ «{}» đã có ở dòng {} của tệp này; mỗi hồ sơ chỉ được có một dòng",
                    dup.code, dup.first_row
                ),
            };
            match (&mut reject, batch.cells.get(&dup.row)) {
                (Some(w), Some(raw)) => w
                    .write(raw, std::slice::from_ref(&e))
                    .map_err(|e| ImportFailure::Io(e.to_string()))?,
                _ => errors.push(e),
            }
        }
        if last_report.elapsed() >= Duration::from_millis(200) {
            last_report = Instant::now();
            progress(Progress {
                rows: counts.read,
                bytes: batch.bytes,
                size: batch.size,
                elapsed_ms: started.elapsed().as_millis() as u64,
            });
        }
    }
    let summed = reading
        .await
        .map_err(|e| ImportFailure::Io(format!("luồng đọc tệp dừng bất thường: {e}")))?;
    if !errors.is_empty() {
        // Dropping the import rolls its transaction back: nothing is stored.
        drop(import);
        return Err(ImportFailure::Rows(errors));
    }
    if counts.read == 0 {
        drop(import);
        return Err(one_error(&file, "tệp không có dòng hồ sơ nào".into()));
    }
    if let Some(w) = reject {
        w.finish().map_err(|e| ImportFailure::Io(e.to_string()))?;
    }
    import.commit(summed).await?;
    let elapsed_ms = started.elapsed().as_millis() as u64;
    progress(Progress {
        rows: counts.read,
        bytes: 1,
        size: 1,
        elapsed_ms,
    });
    tracing::info!(file = %file, read = counts.read, new = counts.new, updated = counts.updated,
        unchanged = counts.unchanged, rejected = counts.rejected, elapsed_ms, "dossiers imported");
    Ok(ImportSummary { counts, elapsed_ms })
}
